"""Group G: NCCI procedure-to-procedure (PTP) edits, medically unlikely edits (MUE) and
add-on codes without their primary.

These are CMS Medicare policy: the ``medicare-*`` profiles apply them (option ``ncci``);
``commercial`` only when configured. Professional claims use the practitioner PTP table,
which CMS does not publish on any registry: load the quarterly file
(:func:`codekit.ncci.load_ptp`), or the report lists the edit as not run. Institutional
claims use the bundled hospital-outpatient table. Only codes valid on the date of service
are considered.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .. import _cache
from .. import modifiers as _modifiers
from ..findings import Hit, NotRun
from ..procedure import is_em
from .context import ClaimContext, LineInfo, lines_on
from .engine import rule

NCCI_ASSOCIATED = _modifiers.NCCI_ASSOCIATED


#: E/M modifiers: what bypasses an indicator-1 edit of an E/M under the NCCI manual.
EM_MODIFIERS = frozenset({"25", "57"})


def bypassed(ctx: ClaimContext, c1: LineInfo, c2: LineInfo) -> bool:
    """Whether the lines' modifiers bypass an indicator-1 PTP edit (column 1 ``c1``,
    column 2 ``c2``). The CMS I/OCE (profile option ``ncci_bypass="ioce"``, the
    ``medicare-outpatient`` profile) accepts an NCCI-associated modifier on either line.
    The NCCI manual (``"manual"``, the default) does too, except for an E/M in column 2:
    only 25 or 57 on the E/M bypass it, never 59, X{EPSU} or an anatomic modifier."""
    if ctx.profile.option("ncci_bypass", "manual") != "ioce" and is_em(c2.code):
        return bool(EM_MODIFIERS.intersection(c2.modifiers))
    return bool(NCCI_ASSOCIATED.intersection(c1.modifiers)
                or NCCI_ASSOCIATED.intersection(c2.modifiers))


def _per_day(ctx: ClaimContext, kind: str) -> Iterator[tuple[Any, Any, list[LineInfo]]]:
    """(date, table of the claim's setting covering it, valid lines of that date); a date
    no table covers yields a table of None."""
    for day, lines in lines_on(ctx).items():
        yield day, ctx.ncci(kind, day), lines  # type: ignore[arg-type]


@rule("NCCI_PTP_CONFLICT", "G", "error",
      "NCCI Policy Manual ch.I; CMS NCCI PTP files (practitioner / hospital outpatient)",
      needs=("ptp",), when=["lines-several"])
def ptp_conflict(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """Two codes on the same date form a column 1 / column 2 pair of the NCCI PTP table of
    the claim's setting (indicator 0 always; indicator 1 unless an NCCI-associated modifier
    is on either line, as the CMS I/OCE does; indicator 9 never)."""
    for day, ptp, lines in _per_day(ctx, "ptp"):
        if len(lines) < 2:
            continue
        if ptp is None:
            yield NotRun(ctx.why_no_table("ptp", day))
            continue
        for c1 in lines:
            for c2 in lines:
                if c1 is c2 or c1.code == c2.code:
                    continue
                edit = ptp.pair(c1.code, c2.code, on=day)
                if edit is None or edit.modifier_indicator == 9:
                    continue
                if edit.modifier_indicator == 1 and bypassed(ctx, c1, c2):
                    continue
                fix: tuple[str, ...] = ()
                if edit.modifier_indicator == 0:
                    how = "no modifier bypasses it: remove the column-2 code"
                elif is_em(c2.code) and c1.entry.global_days == "090":
                    how = (f"append 57 to {c2.code} if it was the decision for this major "
                           f"surgery ({c1.code}: 90 global days), otherwise remove it")
                    fix = ("57",)
                elif is_em(c2.code):
                    how = (f"if the E/M was significant and separately identifiable append "
                           f"25 to {c2.code} (minor procedure, 0 or 10 global days), or 57 "
                           "if it was the decision for a major surgery (90 global days)")
                    fix = ("25", "57")
                else:
                    how = ("append an NCCI-associated modifier (59, XE/XS/XP/XU, anatomic...) "
                           f"to {c2.code} only if the services were distinct")
                    fix = ("59", "XS", "XE", "XP", "XU")
                yield Hit(f"Line {c2.line.line}: {c2.code} is bundled into {c1.code} (line "
                          f"{c1.line.line}) by an NCCI {ctx.setting} PTP edit (column 1 "
                          f"{c1.code}, column 2 {c2.code}, modifier indicator "
                          f"{edit.modifier_indicator}): {how}.",
                          ("service_lines", c2.index, "procedure_code"),
                          (c1.code or "", c2.code or ""), fix)


@rule("MUE_EXCEEDED", "G", "error",
      "CMS NCCI MUE files; NCCI Policy Manual ch.I (MAI 1/2/3)", needs=("mue",))
def mue_exceeded(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """Units above the MUE of the claim's setting: per line (MAI 1) or summed over the
    date of service (MAI 2/3)."""
    for day, mue, lines in _per_day(ctx, "mue"):
        if mue is None:
            yield NotRun(ctx.why_no_table("mue", day))
            continue
        totals: dict[str, Decimal] = {}
        for ln in lines:
            edit = mue.get(ln.code)
            units = ln.line.units or Decimal(0)
            if edit is None:
                continue
            if not edit.per_day:
                if units > edit.units:
                    yield Hit(f"Line {ln.line.line}: {units} units of {ln.code} exceed its MUE "
                              f"of {edit.units} per line (MAI 1): split only if the services "
                              "were separate, otherwise correct the units.",
                              ("service_lines", ln.index, "units"), (ln.code or "",),
                              (str(edit.units),))
                continue
            before = totals.get(ln.code or "", Decimal(0))
            totals[ln.code or ""] = before + units
            if before <= edit.units < before + units:
                kind = "absolute" if edit.mai == 2 else "appealable"
                yield Hit(f"{ln.code}: {before + units} units on {day} exceed its MUE of "
                          f"{edit.units} per day (MAI {edit.mai}, {kind}).",
                          ("service_lines", ln.index, "units"), (ln.code or "",),
                          (str(max(edit.units - before, 0)),))


@rule("ADDON_WITHOUT_PRIMARY", "G", "error",
      "CMS NCCI add-on code edits (types 1/2/3); NCCI Policy Manual ch.I", needs=("addon",))
def addon_without_primary(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """An add-on code with no acceptable primary code on the same date."""
    for day, table, lines in _per_day(ctx, "addon"):
        if table is None:
            if any(ln.entry.addon_type for ln in lines):
                yield NotRun(ctx.why_no_table("addon", day))
            continue
        if not any(ln.code in table for ln in lines):
            continue  # no add-on code on that date (the usual case)
        codes = {ln.code for ln in lines}
        for ln in lines:
            edit = _addon(table, ln.code, day)
            if edit is None:
                continue
            others = codes - {ln.code}
            if edit.type == 1:
                ok = bool(others & edit.primaries)
            else:  # types 2 and 3: any other, non-add-on procedure will do
                ok = any(_addon(table, c, day) is None for c in others)
            if not ok:
                primaries = tuple(sorted(edit.primaries))
                listed = ", ".join(primaries[:8]) + (", ..." if len(primaries) > 8 else "")
                need = f"one of its primary codes ({listed})" if edit.type == 1 and listed \
                    else "a primary procedure"
                yield Hit(f"Line {ln.line.line}: {ln.code} is an add-on code (type "
                          f"{edit.type}) and needs {need} on the same date.",
                          ("service_lines", ln.index, "procedure_code"), (ln.code or "",),
                          primaries)


_ADDONS: dict[tuple[int, str | None, object], Any] = _cache.owned("rules.addon_edits", {})
_ADDON_TABLES: dict[int, Any] = _cache.owned("rules.addon_tables", {})


def _addon(table: Any, code: str | None, day: object) -> Any:
    """``table.get(code, on=day)``, remembered (add-on look-ups repeat on every claim)."""
    key = (id(table), code, day)
    try:
        return _ADDONS[key]
    except KeyError:
        pass
    edit = table.get(code, on=day)
    if len(_ADDONS) >= 65536:
        _ADDONS.clear()
        _ADDON_TABLES.clear()
    _ADDON_TABLES[id(table)] = table  # keeps the id from being reused while cached
    _ADDONS[key] = edit
    return edit


RULES = (ptp_conflict, mue_exceeded, addon_without_primary)
