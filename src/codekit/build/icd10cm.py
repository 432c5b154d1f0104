"""Turning ICD-10-CM source rows into codekit's release tables (``data/icd10cm/*.ckt``).

Three kinds of table:

- one **release table** per code-set release (``FY2026.ckt`` ...): every code with its
  billable flag, long and short title, and, when the release came with a tabular XML, the
  hierarchy, instructional notes (parsed into code references) and 7th-character
  definitions;
- one **title table** (``titles.ckt``) that the bundled releases share: every code of any
  release and every title once (most titles never change from one year to the next), so
  that a release stores only which codes it has and where its titles differ from the
  newest one's (:class:`TitleTable`);
- one **validity table** (``validity.ckt``): for every code, the date periods in which it
  is billable, from the CMS Medicare Code Editor (MCE) master table, plus the MCE flags
  (age band, sex, manifestation, ...) with their date ranges.

The layout of both is described in :mod:`codekit.icd10cm._store`, which reads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .. import _artifact
from ..errors import DataError
from .icd10cm_sources import MceRow, OrderRow, Tabular

__all__ = ["NoteStats", "TitleTable", "tabular_order", "write_release", "write_titles",
           "write_validity"]

ROW_BILLABLE = 1
ROW_TABULAR = 2
ROW_PRESENT = 0x80  # in a shared-titles release's ``rows``: the code is in the release


class TitleTable:
    """The codes and titles of a set of releases, each title stored once.

    Rows are every code of any release, sorted; string ``j`` of ``long`` (and ``short``)
    for ``j`` below the number of codes is code ``j``'s title in the newest release that
    has it (its *base* title); titles that differ from the base follow, each once. A
    release then stores, per code of the table, whether it has the code (and its flags),
    and the few ``(code, string)`` pairs where its title is not the base one.

    >>> from codekit.build.icd10cm_sources import OrderRow
    >>> old = [OrderRow("M9251", True, "Juvenile osteochondrosis of hip", "Juvenile ...")]
    >>> new = [OrderRow("M9251", True, "Juvenile osteochondrosis of hip, right", "J ...")]
    >>> t = TitleTable([old, new])
    >>> t.long, t.overrides(old, "long")
    (['J ...', 'Juvenile ...'], [(0, 1)])
    """

    def __init__(self, releases: Sequence[Sequence[OrderRow]]) -> None:
        base: dict[str, OrderRow] = {}
        for rows in releases:  # oldest first: the newest title of a code wins
            for r in rows:
                base[r.code] = r
        self.codes = sorted(base)
        self.index = {c: j for j, c in enumerate(self.codes)}
        self.long = [base[c].long for c in self.codes]
        self.short = [base[c].short for c in self.codes]
        self._where: dict[str, dict[str, int]] = {}
        for kind in ("long", "short"):
            strings: list[str] = getattr(self, kind)
            where = self._where[kind] = {}
            for j, text in enumerate(strings):
                where.setdefault(text, j)
            # every other title of every release, once, in release order: the table is
            # complete (and its id final) before any release is written
            for rows in releases:
                for r in rows:
                    text = getattr(r, kind)
                    if text != strings[self.index[r.code]] and text not in where:
                        where[text] = len(strings)
                        strings.append(text)

    def overrides(self, rows: Sequence[OrderRow], kind: str) -> list[tuple[int, int]]:
        """``(code row, string)`` pairs where ``rows`` (a release given to the
        constructor) title a code otherwise than its base title (``kind`` "long" or
        "short"), sorted."""
        strings, where = getattr(self, kind), self._where[kind]
        out = []
        for r in rows:
            j = self.index.get(r.code)
            text = getattr(r, kind)
            if j is None or text not in where:
                raise DataError(f"{r.code} {text!r}: not in the title table (give the "
                                "release to TitleTable first)")
            if strings[j] != text:
                out.append((j, where[text]))
        return sorted(out)

    def present(self, rows: Sequence[OrderRow], flags: Sequence[int]) -> bytes:
        """One byte per code of the table: 0 when ``rows`` lack it, else
        :data:`ROW_PRESENT` | the row's flags."""
        out = bytearray(len(self.codes))
        for r, f in zip(rows, flags, strict=True):
            out[self.index[r.code]] = ROW_PRESENT | f
        return bytes(out)

    @property
    def id(self) -> str:
        """A digest of the codes and strings: releases name the title table they index."""
        h = hashlib.sha256()
        for part in (self.codes, self.long, self.short):
            h.update("\n".join(part).encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()[:16]


def _next_characters(codes: Sequence[str]) -> dict[str, list[str]]:
    """Prefix (3 characters or more) -> the characters that follow it, in the order the
    codes (an order file's, in tabular order) first have them. Each prefix's codes must
    be one run of the file (a subtree of the tabular), else the order cannot be told by
    prefixes."""
    out: dict[str, list[str]] = {}
    for code in codes:
        for i in range(3, len(code)):
            after = out.setdefault(code[:i], [])
            if not after or after[-1] != code[i]:
                if code[i] in after:
                    raise DataError(f"{code[:i + 1]}: its codes are not one run of the order "
                                    "file (not a subtree of the tabular)")
                after.append(code[i])
    return out


def _merge_place(merged: list[str], seen: list[str], ch: str) -> int:
    """Where ``ch`` goes in ``merged`` (an order of siblings from newer releases), ``seen``
    being its own release's order: after the nearest sibling before it there that
    ``merged`` has, else before the nearest after it, else (no sibling in common) right
    after its alphabetical predecessor in ``merged`` (first when it has none), as
    :func:`codekit.icd10cm.tabular_key` places a code no release has."""
    k = seen.index(ch)
    for prev in reversed(seen[:k]):
        if prev in merged:
            return merged.index(prev) + 1
    for nxt in seen[k + 1:]:
        if nxt in merged:
            return merged.index(nxt)
    below = [c for c in merged if c < ch]
    return merged.index(max(below)) + 1 if below else 0


def tabular_order(releases: Sequence[Sequence[str]]) -> dict[str, str]:
    """The order of the tabular inside categories, where it is not alphabetical: prefix
    -> the characters that follow it in the tabular's order, for the codes of the order
    files ``releases`` (each in its file's order; oldest first). A newer release's order
    wins; a code only older releases have goes after the sibling it follows there.

    >>> old = ["S06", "S060", "S0600", "S0609"]
    >>> new = ["S06", "S060", "S060X", "S060X0", "S060XA", "S060X9"]
    >>> tabular_order([old, new])
    {'S060X': '0A9'}
    >>> tabular_order([["C84", "C849", "C84Z"], ["C84", "C840", "C84Z", "C849"]])
    {'C84': '0Z9'}
    """
    merged: dict[str, list[str]] = {}
    for codes in reversed(releases):  # newest first
        for prefix, seen in _next_characters(codes).items():
            into = merged.setdefault(prefix, [])
            for ch in seen:
                if ch not in into:
                    into.insert(_merge_place(into, seen, ch), ch)
    return {p: "".join(m) for p, m in sorted(merged.items()) if m != sorted(m)}


def _pairs(pairs: list[tuple[int, int]]) -> bytes:
    a = array("I", (x for pair in pairs for x in pair))
    if a.itemsize != 4:  # pragma: no cover - exotic platforms
        raise DataError("array('I') is not 32-bit here")
    return a.tobytes() if sys.byteorder == "little" else _swap(a)


def write_titles(path: Path, titles: TitleTable, *, sources: list[dict[str, Any]],
                 order: dict[str, str] | None = None) -> dict[str, Any]:
    """Write the shared title table, with the tabular's order of its codes where it is
    not alphabetical (``order``: :func:`tabular_order`)."""
    meta = {"kind": "icd10cm-titles", "id": titles.id, "sources": sources,
            "counts": {"codes": len(titles.codes), "long": len(titles.long),
                       "short": len(titles.short)},
            "tabular_order": order or {}}
    _artifact.write(path, meta, {
        "codes": _artifact.pack_strings(titles.codes),
        "long": _artifact.pack_strings(titles.long),
        "short": _artifact.pack_strings(titles.short),
    })
    return {"file": path.name, "id": meta["id"], "counts": meta["counts"]}


class NoteStats:
    """Counts of instructional notes seen, with code references, and that failed to parse."""

    def __init__(self) -> None:
        self.notes = 0
        self.with_refs = 0
        self.failures: list[dict[str, str]] = []

    def as_dict(self) -> dict[str, Any]:
        return {"notes": self.notes, "with_code_references": self.with_refs,
                "unparsed": len(self.failures), "unparsed_notes": self.failures[:50]}


def _parsed_notes(notes: dict[str, list[str]], where: str, stats: NoteStats) -> dict[str, list]:
    from ..icd10cm import notes as note_parser

    out: dict[str, list] = {}
    for kind, texts in notes.items():
        items = []
        for text in texts:
            stats.notes += 1
            try:
                refs = note_parser.parse_refs(text)
            except note_parser.NoteParseError as e:
                stats.failures.append({"where": where, "kind": kind, "text": text,
                                       "error": str(e)})
                refs = ()
            if refs:
                stats.with_refs += 1
            items.append([text, [r.to_json() for r in refs]])
        out[kind] = items
    return out


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def write_release(
    path: Path,
    *,
    release_id: str,
    label: str,
    effective: dt.date,
    until: dt.date | None,
    rows: Sequence[OrderRow],
    tabular: Tabular | None,
    sources: list[dict[str, Any]],
    notes_from: str | None = None,
    remarks: str = "",
    titles: TitleTable | None = None,
    extra_meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write one release table; returns its provenance record (counts, notes stats).

    With ``titles`` (the bundled build), the codes and titles are stored as indexes into
    that shared table (call :func:`write_titles` after the last release); without, in the
    file itself (user releases)."""
    seen: set[str] = set()
    for r in rows:
        if r.code in seen:
            raise DataError(f"release {release_id}: code {r.code} appears twice")
        seen.add(r.code)
    rows = sorted(rows, key=lambda r: r.code)
    stats = NoteStats()
    details: list[str] = []
    flags = bytearray()
    for r in rows:
        node = tabular.nodes.get(r.code) if tabular else None
        flags.append((ROW_BILLABLE if r.billable else 0) | (ROW_TABULAR if node else 0))
        if node is None:
            details.append("")
            continue
        d: dict[str, Any] = {}
        if node.notes:
            d["notes"] = _parsed_notes(node.notes, r.code, stats)
        if node.seven:
            d["seven"] = node.seven
        if node.seven_note:
            d["seven_note"] = node.seven_note
        details.append(_dumps(d) if d else "")
    if titles is None:
        sections = {
            "codes": _artifact.pack_strings(r.code for r in rows),
            "flags": bytes(flags),
            "long": _artifact.pack_strings(r.long for r in rows),
            "short": _artifact.pack_strings(r.short for r in rows),
        }
    else:
        sections = {
            "rows": titles.present(rows, flags),
            "long_over": _pairs(titles.overrides(rows, "long")),
            "short_over": _pairs(titles.overrides(rows, "short")),
        }
    if tabular is not None:
        chapters = [dict(c, notes=_parsed_notes(c["notes"], "chapter " + c["chapter"], stats))
                    for c in tabular.chapters]
        blocks = [dict(b, notes=_parsed_notes(b["notes"], "block " + b["block"], stats))
                  for b in tabular.blocks]
        sections["details"] = _artifact.pack_strings(details)
        sections["structure"] = _dumps({"chapters": chapters, "blocks": blocks}).encode()
    counts = {"codes": len(rows), "billable": sum(r.billable for r in rows),
              "headers": sum(not r.billable for r in rows)}
    meta = {
        "kind": "icd10cm-release",
        "id": release_id,
        "label": label,
        "effective": effective.isoformat(),
        "until": until.isoformat() if until else None,
        "has_tabular": tabular is not None,
        "tabular_version": tabular.version if tabular else None,
        "notes_from": notes_from,
        "sources": sources,
        "counts": counts,
        "remarks": remarks,
        **(extra_meta or {}),
    }
    if titles is not None:
        meta["titles"] = "titles.ckt"  # its id is checked against the table's on reading
        meta["titles_id"] = titles.id
    if tabular is not None:
        meta["notes"] = stats.as_dict()
    _artifact.write(path, meta, sections)
    return {"file": path.name, **{k: meta[k] for k in ("id", "label", "effective", "until")},
            "counts": counts, **({"notes": stats.as_dict()} if tabular else {})}


def periods_of(rows: Iterable[MceRow], first: dt.date, table_end: dt.date) -> list[dt.date]:
    """Start dates of the periods within which no MCE row starts or ends."""
    bounds = {first}
    for r in rows:
        bounds.add(max(r.start, first))
        if r.end < table_end:
            bounds.add(r.end + dt.timedelta(days=1))
    return sorted(b for b in bounds if b >= first)


def write_validity(
    path: Path,
    *,
    rows: Sequence[MceRow],
    table_end: dt.date,
    age_bands: list[dict],
    sources: list[dict[str, Any]],
    first: dt.date = dt.date(2015, 10, 1),
) -> dict[str, Any]:
    """Write the validity table from MCE rows (rows ending on ``table_end`` are open)."""
    periods = periods_of(rows, first, table_end)
    if len(periods) > 64:
        raise DataError(f"{len(periods)} validity periods do not fit a 64-bit mask")
    masks: dict[str, int] = {}
    for r in rows:
        bits = masks.get(r.code, 0)
        for i, p in enumerate(periods):
            if r.start <= p and (p <= r.end or r.end >= table_end):
                bits |= 1 << i
        masks[r.code] = bits
    codes = sorted(masks)
    mask_array = array("Q", (masks[c] for c in codes))
    if mask_array.itemsize != 8:  # pragma: no cover - exotic platforms
        raise DataError("array('Q') is not 64-bit here")
    flag_lines = [
        "\t".join((r.code, r.start.isoformat(),
                    "" if r.end >= table_end else r.end.isoformat(), ",".join(r.flags)))
        for r in sorted(rows, key=lambda r: (r.code, r.start))
    ]
    raw = mask_array.tobytes() if sys.byteorder == "little" else _swap(mask_array)
    sections = {
        "codes": _artifact.pack_strings(codes),
        "masks": raw,
        "mce": _artifact.pack_strings(flag_lines),
    }
    meta = {
        "kind": "icd10cm-validity",
        "periods": [p.isoformat() for p in periods],
        "table_end": table_end.isoformat(),
        "age_bands": age_bands,
        "sources": sources,
        "counts": {"codes": len(codes), "mce_rows": len(rows)},
    }
    _artifact.write(path, meta, sections)
    return {"file": path.name, "periods": meta["periods"], "table_end": meta["table_end"],
            "counts": meta["counts"]}


def _swap(a: array) -> bytes:  # pragma: no cover - big-endian hosts
    b = array(a.typecode, a)
    b.byteswap()
    return b.tobytes()
