"""Notebook display: the HTML that codekit's results show in Jupyter (``_repr_html_``).

One module renders every result, so that the result classes stay thin (their
``_repr_html_`` is one line calling a function here) and all of it looks alike. The HTML
is compact, readable in light and dark themes, has no scripts, no external assets (inline
styles only) and every value is escaped (:func:`esc`): a code, a message or a claim id
can never inject markup.

Renderers read the objects by their attributes (duck typing): this core module knows no
code system.

>>> from codekit.findings import Finding, Report, Severity
>>> r = Report((Finding("DX_NOT_BILLABLE", Severity.ERROR, "E11 is a <header>",
...                     ("diagnoses", 0), ("E11",), fix=("E11.9",)),), "commercial",
...            claim_id="PCN-1")
>>> html = report(r)
>>> "E11 is a &lt;header&gt;" in html and "<script" not in html
True
"""

from __future__ import annotations

import datetime as dt
import html as _html
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["entry", "esc", "finding", "report", "search_results", "summary", "table"]

#: How many items of a list (notes, children, rows) are shown before "... and N more".
SHOW = 12

_FONT = "font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 13px"
_BOX = f"{_FONT}; line-height: 1.4; max-width: 80em"
_CELL = "padding: 2px 8px; text-align: left; vertical-align: top; border-bottom: " \
        "1px solid rgba(128,128,128,0.25)"
_HEAD = _CELL + "; font-weight: 600"
_MUTED = "opacity: 0.7"
_COLORS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0", "ok": "#2e7d32",
           "invalid": "#c62828", "muted": "#757575"}


def esc(value: object) -> str:
    """``value`` as text, escaped for HTML (quotes included)."""
    return _html.escape("" if value is None else str(value), quote=True)


def badge(text: str, kind: str) -> str:
    color = _COLORS.get(kind, _COLORS["muted"])
    return (f'<span style="display:inline-block; padding:0 6px; border-radius:8px; '
            f'color:#fff; background:{color}; font-size:11px; font-weight:600">'
            f"{esc(text)}</span>")


def _code(text: object) -> str:
    return f"<code>{esc(text)}</code>"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *,
          raw: bool = True, limit: int | None = None) -> str:
    """A compact table. Cells are HTML already (built with :func:`esc`) when ``raw``."""
    out = ['<table style="border-collapse: collapse; margin: 4px 0">', "<thead><tr>"]
    out += [f'<th style="{_HEAD}">{esc(h)}</th>' for h in headers]
    out.append("</tr></thead><tbody>")
    rows = list(rows)
    shown = rows if limit is None else rows[:limit]
    for row in shown:
        out.append("<tr>" + "".join(
            f'<td style="{_CELL}">{cell if raw else esc(cell)}</td>' for cell in row)
            + "</tr>")
    if limit is not None and len(rows) > limit:
        out.append(f'<tr><td colspan="{len(headers)}" style="{_CELL}; {_MUTED}">... and '
                   f"{len(rows) - limit:,} more</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _box(*parts: str) -> str:
    return f'<div style="{_BOX}">' + "".join(p for p in parts if p) + "</div>"


def _dl(items: Iterable[tuple[str, str]]) -> str:
    rows = [(f'<span style="{_MUTED}">{esc(k)}</span>', v) for k, v in items if v]
    if not rows:
        return ""
    return ('<table style="border-collapse: collapse; margin: 4px 0">' + "".join(
        f'<tr><td style="{_CELL}; white-space: nowrap">{k}</td><td style="{_CELL}">{v}</td>'
        "</tr>" for k, v in rows) + "</table>")


def _ranges(ranges: Sequence[tuple[dt.date, dt.date | None]]) -> str:
    return esc(", ".join(f"{a} to {b or 'now'}" for a, b in ranges)) or \
        f'<span style="{_MUTED}">never</span>'


def _more(items: Sequence[str], sep: str = ", ", show: int = SHOW) -> str:
    shown = sep.join(items[:show])
    if len(items) > show:
        shown += f'{sep}<span style="{_MUTED}">... and {len(items) - show:,} more</span>'
    return shown


# -- findings and reports ----------------------------------------------------------------------


def _where(r: Any, f: Any) -> str:
    text = _code(f.path)
    line, line_id = r.line_of(f) if r is not None else (None, None)
    if line is not None:
        text += f'<br><span style="{_MUTED}">line {esc(line)}'
        text += f" ({esc(line_id)})" if line_id else ""
        text += "</span>"
    return text


def _fix(fix: Sequence[str]) -> str:
    return _more([_code(c) for c in fix], show=6) if fix else ""


def _rule(f: Any) -> str:
    """A finding's rule, and under it the payer policy's rule ID when a policy raised it."""
    text = _code(f.rule)
    policy = getattr(f, "policy", None)
    if policy is not None:
        text += f'<br><span style="{_MUTED}">policy {_code(policy)}</span>'
    return text


def _finding_rows(r: Any, findings: Sequence[Any]) -> list[list[str]]:
    return [[badge(str(f.severity), str(f.severity)), _rule(f), _where(r, f),
             esc(f.message), _fix(f.fix)] for f in findings]


def finding(f: Any) -> str:
    """One :class:`~codekit.findings.Finding`."""
    return _box(table(("severity", "rule", "where", "message", "fix"),
                      _finding_rows(None, [f])))


def report(r: Any) -> str:
    """A :class:`~codekit.findings.Report`: the verdict, then its findings in a table."""
    who = f"claim {_code(r.claim_id)} " if r.claim_id is not None else ""
    verdict = badge("NOT OK", "error") if not r.ok else \
        badge("OK, judged outside the data", "warning") if r.outside_data else badge("OK", "ok")
    head = (f"<div>{who}{verdict} <span style=\"{_MUTED}\">{esc(r.profile or 'no profile')}"
            f" &middot; {len(r.errors)} error(s), {len(r.warnings)} warning(s), "
            f"{len(r.findings)} finding(s)</span></div>")
    body = table(("severity", "rule", "where", "message", "fix"),
                 _finding_rows(r, r.findings), limit=50) if r.findings else \
        f'<div style="{_MUTED}">no findings</div>'
    extra = []
    if r.not_run:
        extra.append(f'<div style="{_MUTED}">not run: ' + "; ".join(
            f"{_code(rule)} ({esc(why)})" for rule, why in r.not_run) + "</div>")
    if r.notices:
        extra.append("<div>" + "<br>".join(
            f"{badge('notice', 'info')} {_code(n.code)} {esc(n.message)}" for n in r.notices)
            + "</div>")
    return _box(head, body, *extra)


# -- code-system entries -----------------------------------------------------------------------


def entry(e: Any) -> str:
    """An entry of any code system (ICD-10-CM entries show hierarchy and notes)."""
    valid = bool(getattr(e, "valid", False))
    on = getattr(e, "on", None)
    status = badge(f"valid on {on}", "ok") if valid else badge(f"not valid on {on}", "invalid")
    title = getattr(e, "title", None)
    shown = esc(title) if title else f'<span style="{_MUTED}">(no title)</span>'
    head = (f'<div style="font-size: 14px"><b>{esc(e.formatted)}</b> {shown} {status}'
            "</div>")
    items: list[tuple[str, str]] = []
    if hasattr(e, "dotted"):  # ICD-10-CM
        items += _icd10cm_items(e)
    else:
        items += _procedure_items(e)
    items.append(("valid", _ranges(getattr(e, "valid_ranges", ()))))
    items.append(("release", esc(getattr(e, "release", None))))
    note = getattr(e, "note", None)
    if note:
        items.append(("note", esc(note)))
    return _box(head, _dl(items))


def _icd10cm_items(e: Any) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = [("kind", esc(e.kind))]
    if e.chapter is not None:
        items.append(("chapter", f"{esc(e.chapter.number)}: {esc(e.chapter.title)}"))
    if e.block is not None:
        items.append(("block", f"{_code(e.block.id)} {esc(e.block.title)}"))
    if e.ancestors:
        items.append(("hierarchy", " &rsaquo; ".join(
            _code(_dot(a)) for a in reversed(e.ancestors)) + f" &rsaquo; {_code(e.dotted)}"))
    if e.children:
        items.append(("children", _more([_code(_dot(c)) for c in e.children])))
    notes = (("inclusion terms", "inclusion_terms"), ("includes", "includes"),
             ("excludes1", "excludes1"), ("excludes2", "excludes2"),
             ("code first", "code_first"), ("use additional code", "use_additional_code"),
             ("code also", "code_also"), ("notes", "notes"))
    for label, attr in notes:
        texts = list(getattr(e, attr).texts)
        if texts:
            items.append((label, _more([esc(t) for t in texts], "<br>")))
    seventh = e.seventh_characters
    if seventh:
        items.append(("7th characters", _more(
            [f"{_code(k)} {esc(v)}" for k, v in seventh.items()], "<br>")))
    mce = e.mce
    if mce is not None:
        flags = [f for f, on in (("manifestation", mce.manifestation),
                                 ("unacceptable principal", mce.unacceptable_principal),
                                 ("unspecified", mce.unspecified)) if on]
        if mce.age_band:
            flags.insert(0, f"{mce.age_band} ages {mce.age_range[0]}-{mce.age_range[1]}"
                         if mce.age_range else mce.age_band)
        if mce.sex:
            flags.insert(0, f"sex {mce.sex}")
        if flags:
            items.append(("MCE", esc(", ".join(flags))))
    return items


def _dot(code: str) -> str:
    return code if len(code) <= 3 else code[:3] + "." + code[3:]


def _procedure_items(e: Any) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for label, attr in (("system", "system"), ("level", "level"), ("section", "section"),
                        ("subsection", "subsection"), ("label", "label"), ("side", "side"),
                        ("status indicator", "status_indicator"),
                        ("status", "status_description"), ("bilateral", "bilateral"),
                        ("add-on type", "addon_type"), ("global days", "global_days"),
                        ("sex", "sex")):
        v = getattr(e, attr, None)
        if v is not None and v != "":
            items.append((label, esc(v)))
    category = getattr(e, "category", None)
    if category is not None:
        items.append(("category", esc(getattr(category, "label", category))))
    lo, hi = getattr(e, "min_age", None), getattr(e, "max_age", None)
    if lo is not None or hi is not None:
        items.append(("ages", esc(f"{lo if lo is not None else 0}-"
                                  f"{hi if hi is not None else ''}")))
    flags = getattr(e, "flags", ())
    if flags:
        items.append(("flags", esc(", ".join(flags))))
    return items


# -- search -------------------------------------------------------------------------------------


def search_results(results: Sequence[Any], *, query: str | None = None,
                   weak: float = 0.5, release: str | None = None,
                   note: str | None = None) -> str:
    """Search hits, best first, with their confidence; says so when none is a good match,
    and what answered (the release) and, when the data does not cover the date, its note."""
    head = f"{len(results)} result(s)" + (f" for <b>{esc(query)}</b>" if query else "") + \
        (f' <span style="{_MUTED}">({esc(release)})</span>' if release else "")
    best = max((getattr(h, "confidence", 1.0) for h in results), default=0.0)
    warn = "" if best >= weak else \
        f" {badge('no good match', 'warning')}"
    if note:
        warn += f" {badge('date not covered', 'warning')}<div>{esc(note)}</div>"
    rows = [[esc(i), _code(h.formatted), esc(h.title),
             esc(h.matched) if h.matched != h.title else "",
             esc(f"{getattr(h, 'confidence', 0):.2f}"), esc(f"{h.score:.1f}")]
            for i, h in enumerate(results, 1)]
    body = table(("#", "code", "title", "matched", "confidence", "score"), rows) \
        if rows else ""
    return _box(f"<div>{head}{warn}</div>", body)


# -- batch summaries -----------------------------------------------------------------------------


#: The most characters of one value a summary cell shows (a payer or rule of a findings
#: table made elsewhere may be a megabyte of text).
CELL_CHARS = 200


def _cut(value: object) -> str:
    text = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else \
        "" if value is None else str(value)
    if len(text) <= CELL_CHARS:
        return esc(text)
    return (esc(text[:CELL_CHARS - 40]) + f'<span style="{_MUTED}">... '
            f"({len(text):,} characters)</span>")


def summary(title: str, totals: Sequence[tuple[str, object]],
            sections: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> str:
    """A summary: totals, then one small table a section (heading, columns, rows); a
    value longer than :data:`CELL_CHARS` is cut, saying how long it was.

    >>> html = summary("batch", [("claims", 1200)], [("by payer", ["payer", "findings"],
    ...                [["p" * 5000, 3]])])
    >>> "1,200" in html, "... (5,000 characters)" in html, len(html) < 3000
    (True, True, True)
    """
    head = f"<div><b>{esc(title)}</b></div>" + _dl((k, _cut(v)) for k, v in totals)
    parts = []
    for heading, columns, rows in sections:
        if not rows:
            continue
        parts.append(f'<div style="margin-top: 6px"><b>{esc(heading)}</b></div>')
        parts.append(table(columns, [[_cut(c) for c in row] for row in rows],
                           limit=SHOW * 2))
    return _box(head, *parts)
