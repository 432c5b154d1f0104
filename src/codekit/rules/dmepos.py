"""Group E: the DME MACs' side modifiers on orthoses (``medicare-dme``).

The four DME MACs' joint publication "Correct Coding - RT and LT Modifier Usage Change"
(2018-12-06, for dates of service from 2019-03-01) and the policy articles it changed
(A52457, ankle-foot and knee-ankle-foot orthoses; A52465, knee orthoses) ask for the
right (RT) or left (LT) modifier on each line of their codes, an item for each side on
two lines, one RT and one LT, 1 unit each; a line without RT or LT, or with both sides on
one line, is rejected as incorrect coding. The codes: ``procedure.DMEPOS_SIDED``; those
of which one side takes one, ``procedure.DMEPOS_ONE_A_SIDE``.

Every rule runs under a profile with the option ``dme_modifiers`` (``medicare-dme``): a
DMEPOS supplier's claim to a DME MAC (``Claim.dme_supplier``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from .. import procedure
from ..findings import Hit
from .context import ClaimContext, LineInfo
from .engine import rule

#: The first date of service of the joint publication's instructions.
SIDES_FROM = dt.date(2019, 3, 1)
_SOURCE = ("DME MAC joint publication \"Correct Coding - RT and LT Modifier Usage Change\" "
           "(2018-12-06, from 2019-03-01); policy articles A52457 (AFO/KAFO), A52465 (knee "
           "orthoses)")
#: The side modifier of a diagnosis's side.
_MODIFIER = {"right": "RT", "left": "LT"}


def _sided_lines(ctx: ClaimContext) -> Iterator[LineInfo]:
    """The valid lines of a code of ``procedure.DMEPOS_SIDED`` dated from 2019-03-01."""
    sided = procedure.DMEPOS_SIDED
    for ln in ctx.valid_lines:
        if ln.code in sided and ln.day >= SIDES_FROM:
            yield ln


@rule("MOD_DME_SIDE_MISSING", "E", "error", _SOURCE, when=["lines"],
      options=["dme_modifiers"])
def dme_side_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """An orthosis whose DME MAC policy article asks for RT or LT on every line
    (``procedure.DMEPOS_SIDED``: knee orthoses L1810-L1860, the ankle-foot and
    knee-ankle-foot orthoses and their additions) on a line with neither RT, LT nor 50
    (50 is :func:`dme_50`'s). Location: the line's modifiers; fix: the
    modifier of the side the line's valid pointed diagnoses name, when they name one side
    only (M17.11, right knee: RT), else none. Under a profile with the option
    ``dme_modifiers``."""
    for ln in _sided_lines(ctx):
        mods = ln.modifiers
        if "RT" in mods or "LT" in mods or "50" in mods:
            continue
        sides = {d.facts.side for d in ctx.pointed(ln) if d.valid and d.facts.side}
        side = sides.pop() if len(sides) == 1 else None
        fix = (_MODIFIER[side],) if side in _MODIFIER else ()
        said = f": add {fix[0]}, the {side} side its diagnoses name" if fix else \
            ": add RT or LT"
        yield Hit(f"Line {ln.line.line} ({ln.code}) has neither RT nor LT: the DME MACs "
                  f"reject this orthosis without its side{said} (for both sides, two lines, "
                  "one RT and one LT, 1 unit each: DME MAC joint publication of "
                  "2018-12-06).", ("service_lines", ln.index, "modifiers"), (ln.code or "",),
                  fix)


def _units(ln: LineInfo) -> Decimal:
    """The line's units (1 when missing or unusable: ``UNITS_INVALID`` judges those)."""
    try:
        n = Decimal(ln.line.units) if ln.line.units is not None else Decimal(1)
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(1)
    return n if n.is_finite() else Decimal(1)


@rule("MOD_DME_50", "E", "error", _SOURCE, when=["mods-50"], options=["dme_modifiers"],
      supersedes=["MOD_LATERALITY_CONFLICT", "LATERALITY_MISMATCH"])
def dme_50(ctx: ClaimContext) -> Iterator[Hit]:
    """Modifier 50 (a procedure's bilateral modifier) on an orthosis of
    ``procedure.DMEPOS_SIDED``: the DME MACs take an item for each side on two lines, one
    RT and one LT, 1 unit each. It replaces ``MOD_LATERALITY_CONFLICT`` and
    ``LATERALITY_MISMATCH`` on 50 of the same line (their advice, 50 alone or RT/LT in its
    place on one line, is not the DME MACs'). Location: 50; no fix (the item of the other
    side goes on a line of its own). Under a profile with the option ``dme_modifiers``."""
    for ln in _sided_lines(ctx):
        mods = ln.modifiers
        if "50" in mods:
            code = ln.code or ""
            yield Hit(f"Line {ln.line.line} ({code}) has 50: the DME MACs do not take 50 on "
                      "an orthosis: bill the item of each side on a line of its own, one RT "
                      "and one LT, 1 unit each (DME MAC joint publication of 2018-12-06: "
                      "bilateral items on one line are returned as unprocessable).",
                      ("service_lines", ln.index, "modifiers", mods.index("50")),
                      (code, "50"))


@rule("MOD_DME_SIDE_UNITS", "E", "error", _SOURCE, when=["mods-side"],
      options=["dme_modifiers"])
def dme_side_units(ctx: ClaimContext) -> Iterator[Hit]:
    """RT or LT alone with more than 1 unit on an orthosis of which a side takes one
    (``procedure.DMEPOS_ONE_A_SIDE``: L1832-RT with 2 units): both sides, or a second
    item of one side, on one line; the DME MACs take an item for each side on two lines,
    one RT and one LT, 1 unit each. Location: the line's units; no fix. Under a profile
    with the option ``dme_modifiers``."""
    one = procedure.DMEPOS_ONE_A_SIDE
    for ln in _sided_lines(ctx):
        mods = ln.modifiers
        code = ln.code or ""
        if code not in one or ("RT" in mods) == ("LT" in mods) or "50" in mods:
            continue
        units = _units(ln)
        if units > 1:
            mod = "RT" if "RT" in mods else "LT"
            yield Hit(f"Line {ln.line.line} ({code}-{mod}) has {units:f} units, but one side "
                      f"takes one {code}: for both sides bill two lines, one RT and one LT, 1 "
                      "unit each (DME MAC joint publication of 2018-12-06).",
                      ("service_lines", ln.index, "units"), (code, mod))


RULES = (dme_side_missing, dme_50, dme_side_units)
