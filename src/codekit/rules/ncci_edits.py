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
from .context import ClaimContext, lines_on
from .engine import rule

NCCI_ASSOCIATED = _modifiers.NCCI_ASSOCIATED


@rule("NCCI_PTP_CONFLICT", "G", "error",
      "NCCI Policy Manual ch.I; CMS NCCI PTP files (practitioner / hospital outpatient)",
      needs=("ptp",), when=["lines-several"])
def ptp_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """Two codes on the same date form a column 1 / column 2 pair of the NCCI PTP table
    (indicator 0 always; indicator 1 unless an NCCI-associated modifier is on the column-2
    line; indicator 9 never)."""
    ptp = ctx.table("ptp")
    for day, lines in lines_on(ctx).items():
        for c1 in lines:
            for c2 in lines:
                if c1 is c2 or c1.code == c2.code:
                    continue
                edit = ptp.pair(c1.code, c2.code, on=day)
                if edit is None or edit.modifier_indicator == 9:
                    continue
                bypass = NCCI_ASSOCIATED & set(c2.modifiers)
                if edit.modifier_indicator == 1 and bypass:
                    continue
                how = ("no modifier bypasses it" if edit.modifier_indicator == 0 else
                       "append an NCCI-associated modifier (59, XE/XS/XP/XU, anatomic...) to "
                       f"{c2.code} only if the services were distinct")
                yield Hit(f"Line {c2.line.line}: {c2.code} is bundled into {c1.code} (line "
                          f"{c1.line.line}) by an NCCI PTP edit (column 1 {c1.code}, column 2 "
                          f"{c2.code}, modifier indicator {edit.modifier_indicator}): {how}.",
                          ("service_lines", c2.index, "procedure_code"),
                          (c1.code or "", c2.code or ""))


@rule("MUE_EXCEEDED", "G", "error",
      "CMS NCCI MUE files; NCCI Policy Manual ch.I (MAI 1/2/3)", needs=("mue",))
def mue_exceeded(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """Units above the MUE: per line (MAI 1) or summed over the date of service (MAI 2/3)."""
    mue = ctx.table("mue")
    for day, lines in lines_on(ctx).items():
        if not mue.covers(day):
            yield NotRun(f"the loaded MUE table ({mue.effective}) does not cover {day}: load "
                         "the MUE file of that quarter")
            continue
        totals: dict[str, Decimal] = {}
        for ln in lines:
            edit = mue.get(ln.code, on=day)
            units = ln.line.units or Decimal(0)
            if edit is None:
                continue
            if not edit.per_day:
                if units > edit.units:
                    yield Hit(f"Line {ln.line.line}: {units} units of {ln.code} exceed its MUE "
                              f"of {edit.units} per line (MAI 1): split only if the services "
                              "were separate, otherwise correct the units.",
                              ("service_lines", ln.index, "units"), (ln.code or "",))
                continue
            before = totals.get(ln.code or "", Decimal(0))
            totals[ln.code or ""] = before + units
            if before <= edit.units < before + units:
                kind = "absolute" if edit.mai == 2 else "appealable"
                yield Hit(f"{ln.code}: {before + units} units on {day} exceed its MUE of "
                          f"{edit.units} per day (MAI {edit.mai}, {kind}).",
                          ("service_lines", ln.index, "units"), (ln.code or "",))


@rule("ADDON_WITHOUT_PRIMARY", "G", "error",
      "CMS NCCI add-on code edits (types 1/2/3); NCCI Policy Manual ch.I", needs=("addon",))
def addon_without_primary(ctx: ClaimContext) -> Iterator[Hit]:
    """An add-on code with no acceptable primary code on the same date."""
    table = ctx.table("addon")
    for ln in ctx.valid_lines:
        if ln.code in table:
            break
    else:  # no add-on code on the claim (the usual case)
        return
    for day, lines in lines_on(ctx).items():
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
                listed = ", ".join(sorted(edit.primaries)[:6])
                need = f"one of its primary codes ({listed})" if edit.type == 1 and listed \
                    else "a primary procedure"
                yield Hit(f"Line {ln.line.line}: {ln.code} is an add-on code (type "
                          f"{edit.type}) and needs {need} on the same date.",
                          ("service_lines", ln.index, "procedure_code"), (ln.code or "",))


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
