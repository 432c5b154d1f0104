"""Groups D (procedure codes and units), E (modifiers), F1-F5 (pointers and laterality)
and H2 (procedure valid on the date of service).

A line whose procedure code fails validity skips the modifier, pointer-laterality and NCCI
edits (rules catalog 0.3); its pointers are still checked, since they are about the claim.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from .. import _cache
from .. import modifiers as _modifiers
from ..errors import ValidationError
from ..findings import Hit
from ..procedure import is_em
from .context import ClaimContext, DxInfo, LineInfo
from .engine import rule

ANATOMIC = _modifiers.ANATOMIC
#: Modifiers that say on which side a procedure was done.
SIDE_MODIFIERS = frozenset(ANATOMIC)


def _proc_validity(rule_id: str, doc: str) -> Callable[[ClaimContext], Iterator[Hit]]:
    def check(ctx: ClaimContext) -> Iterator[Hit]:
        for ln in ctx.lines:
            if ln.error is not None and ln.error.code == rule_id:
                yield Hit(f"Line {ln.line.line}: {ln.error}",
                          ("service_lines", ln.index, "procedure_code"),
                          (ln.line.procedure_code,))

    check.__doc__ = doc
    return check


proc_format = rule("PROC_FORMAT_INVALID", "D", "error",
                   "CMS HCPCS Level II structure; AMA CPT category structure",
                   when=["PROC_FORMAT_INVALID"])(
    _proc_validity("PROC_FORMAT_INVALID", "The procedure code is not a CPT or HCPCS layout "
                   "(5 characters; modifiers go in their own field)."))
proc_unknown = rule("PROC_CODE_UNKNOWN", "D", "error", "I/OCE edit 6 (invalid procedure code)",
                    when=["PROC_CODE_UNKNOWN"])(
    _proc_validity("PROC_CODE_UNKNOWN", "The code is in no CPT or HCPCS release."))
proc_not_valid_on_dos = rule("PROC_NOT_VALID_ON_DOS", "H", "error",
                             "I/OCE edit 6 (valid for the version date)",
                             when=["PROC_NOT_VALID_ON_DOS"])(
    _proc_validity("PROC_NOT_VALID_ON_DOS", "The code was deleted before the date of service "
                   "or takes effect after it."))


@rule("UNITS_INVALID", "D", "error", "837P SV104 (quantity > 0); I/OCE edit 15 family",
      when=["units-odd"])
def units_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """Units are missing or zero (negative or non-numeric units are format errors)."""
    for ln in ctx.lines:
        u = ln.line.units
        if u is None or u <= 0:
            what = "missing" if u is None else f"{u}"
            yield Hit(f"Line {ln.line.line} ({ln.line.procedure_code}): units are {what}; "
                      "report at least 1.", ("service_lines", ln.index, "units"),
                      (ln.line.procedure_code,))


# -- E: modifiers --------------------------------------------------------------------------


@rule("MOD_INVALID", "E", "error", "I/OCE edit 22; CMS HCPCS Level II file (modifiers)",
      when=["modifiers"])
def mod_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """A modifier is not a CPT/HCPCS modifier, or not active on the date of service."""
    for ln in ctx.lines:
        for j, m in enumerate(ln.line.modifiers):
            problem = _modifier_problem(m, ln.day)
            if problem:
                yield Hit(f"Line {ln.line.line}, modifier {m!r}: {problem}",
                          ("service_lines", ln.index, "modifiers", j), (m,))


@functools.lru_cache(maxsize=1 << 14)
def _modifier_problem(modifier: str, day: object) -> str | None:
    try:
        _modifiers.validate(modifier, on=day)
    except ValidationError as e:
        return e.reason or str(e)
    return None


_cache.owned("rules.modifier_problems", _modifier_problem)


@rule("MOD_COUNT_EXCEEDED", "E", "error", "837P SV101-3..6; NUCC item 24D (4 modifiers)",
      when=["mods-many"])
def mod_count(ctx: ClaimContext) -> Iterator[Hit]:
    """More than four modifiers on a line."""
    for ln in ctx.lines:
        if len(ln.modifiers) > 4:
            yield Hit(f"Line {ln.line.line} has {len(ln.modifiers)} modifiers "
                      f"({', '.join(ln.modifiers)}); a line carries at most 4.",
                      ("service_lines", ln.index, "modifiers", 4), ln.modifiers)


@rule("MOD_LATERALITY_CONFLICT", "E", "error",
      "Medicare Claims Processing Manual ch.12 §40.7; MPFS bilateral indicator",
      when=["mods-conflict"])
def mod_laterality_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """Contradictory side modifiers on one line: RT with LT, or 50 with RT or LT."""
    for ln in ctx.valid_lines:
        mods = set(ln.modifiers)
        if {"RT", "LT"} <= mods:
            bad = ("RT", "LT")
            fix = "bill both sides with 50 (1 unit) or on two lines, one RT and one LT"
        elif "50" in mods and mods & {"RT", "LT"}:
            bad = ("50", *sorted(mods & {"RT", "LT"}))
            fix = "50 already means both sides: drop RT/LT, or drop 50 for one side"
        else:
            continue
        j = ln.modifiers.index(bad[1])
        yield Hit(f"Line {ln.line.line} ({ln.code}) has {' and '.join(bad)}: {fix}.",
                  ("service_lines", ln.index, "modifiers", j), (ln.code or "", *bad))


def _dx_side(d: DxInfo) -> str | None:
    return d.facts.side if d.valid else None


@rule("MOD_LATERALITY_MISSING", "E", "warning",
      "MAC LCD billing articles (e.g. 20610/20611 RT/LT/50); IOCE/MPFS bilateral indicator",
      when=["proc-sided"])
def mod_laterality_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A procedure that can be done on either side, a pointed diagnosis that states a side,
    and no side modifier on the line."""
    for ln in ctx.valid_lines:
        if getattr(ln.entry, "bilateral", None) not in ("conditional", "independent"):
            continue
        if SIDE_MODIFIERS & set(ln.modifiers):
            continue
        sided = [d for d in ctx.pointed(ln) if _dx_side(d)]
        if sided:
            d = sided[0]
            mod = {"right": "RT", "left": "LT", "bilateral": "50"}[d.facts.side or "right"]
            yield Hit(f"Line {ln.line.line} ({ln.code}) points to {d.facts.dotted} "
                      f"({d.facts.side}) but has no side modifier: add {mod} (or RT/LT/50 "
                      "as performed).", ("service_lines", ln.index, "modifiers"),
                      (ln.code or "", d.facts.dotted))


@rule("EM_MINOR_PROC_NO_MOD25", "E", "error",
      "Medicare Claims Processing Manual ch.12 §30.6.6; NCCI Policy Manual ch.I and XI "
      "(E/M column-2 PTP edits, indicator 1)", needs=("ptp",), when=["lines-several"],
      supersedes=["NCCI_PTP_CONFLICT"])
def em_without_25(ctx: ClaimContext) -> Iterator[Hit]:
    """An E/M service without modifier 25 on the same date as a procedure that bundles it
    (an NCCI PTP edit with the E/M in column 2 and modifier indicator 1)."""
    ptp = ctx.table("ptp")
    lines = ctx.valid_lines
    for em in lines:
        if not is_em(em.code) or "25" in em.modifiers:
            continue
        for proc in lines:
            if proc is em or proc.day != em.day or is_em(proc.code):
                continue
            edit = ptp.pair(proc.code, em.code, on=em.day)
            if edit is not None and edit.modifier_indicator == 1:
                yield Hit(f"Line {em.line.line}: {em.code} is reported on the same day as "
                          f"{proc.code} (line {proc.line.line}), which includes the E/M: "
                          "append 25 if the E/M was significant and separately "
                          "identifiable, otherwise remove it.",
                          ("service_lines", em.index, "modifiers"), (em.code or "",
                                                                    proc.code or ""))
                break


# -- F1-F5: pointers and laterality --------------------------------------------------------


@rule("PTR_MISSING", "F", "error", "837P SV107-1 (required); NUCC item 24E", when=["pointer-odd"])
def ptr_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A professional line has no diagnosis pointer (837I lines have none)."""
    if ctx.claim.is_institutional:
        return
    for ln in ctx.lines:
        if not ln.line.diagnosis_pointers:
            yield Hit(f"Line {ln.line.line} ({ln.line.procedure_code}) points to no "
                      "diagnosis: add a pointer (1-12) to the diagnosis it treats.",
                      ("service_lines", ln.index, "diagnosis_pointers"),
                      (ln.line.procedure_code,))


@rule("PTR_INVALID", "F", "error", "837P SV107 (values 1-12)", when=["pointer-odd"])
def ptr_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """A pointer is not 1-12, or points past the last diagnosis."""
    n = len(ctx.dx)
    for ln in ctx.lines:
        for j, p in enumerate(ln.line.diagnosis_pointers):
            if not 1 <= p <= 12:
                yield Hit(f"Line {ln.line.line}: pointer {p} is not between 1 and 12.",
                          ("service_lines", ln.index, "diagnosis_pointers", j))
            elif p > n:
                yield Hit(f"Line {ln.line.line}: pointer {p} points to diagnosis {p}, but the "
                          f"claim has {n}.", ("service_lines", ln.index,
                                              "diagnosis_pointers", j))


@rule("PTR_TOO_MANY", "F", "error", "837P C004 composite (4 pointers); NUCC item 24E",
      when=["pointer-odd"])
def ptr_too_many(ctx: ClaimContext) -> Iterator[Hit]:
    """More than four pointers on a line."""
    for ln in ctx.lines:
        if len(ln.line.diagnosis_pointers) > 4:
            yield Hit(f"Line {ln.line.line} has {len(ln.line.diagnosis_pointers)} pointers; "
                      "a line points to at most 4 diagnoses.",
                      ("service_lines", ln.index, "diagnosis_pointers", 4))


@rule("PTR_DUPLICATE", "F", "warning", "837P C004 (each pointer a distinct diagnosis)",
      when=["pointer-odd"])
def ptr_duplicate(ctx: ClaimContext) -> Iterator[Hit]:
    """The same pointer twice on one line."""
    for ln in ctx.lines:
        seen: set[int] = set()
        for j, p in enumerate(ln.line.diagnosis_pointers):
            if p in seen:
                yield Hit(f"Line {ln.line.line} points to diagnosis {p} twice: remove the "
                          "repeat.", ("service_lines", ln.index, "diagnosis_pointers", j))
            seen.add(p)


def _compatible(mod: str, dxs: list[DxInfo]) -> bool:
    anatomy = ANATOMIC[mod]
    sides = {d.facts.side for d in dxs}
    if mod == "50":
        return "bilateral" in sides or {"right", "left"} <= sides
    for d in dxs:
        if d.facts.side not in (anatomy.side, "bilateral"):
            continue
        detail = d.facts.detail
        if detail and anatomy.region in ("eyelid", "hand", "foot"):
            site = anatomy.site
            # finer sides: upper/lower eyelid, thumb/fingers, great/lesser toes
            if detail in ("upper eyelid", "lower eyelid") and detail.split()[0] not in site:
                continue
            if detail == "thumb" and "thumb" not in site:
                continue
            if detail in ("index finger", "middle finger", "ring finger", "little finger") \
                    and "thumb" in site:
                continue
            if detail == "great toe" and "great toe" not in site:
                continue
            if detail == "lesser toe" and "great toe" in site:
                continue
        return True
    return False


@rule("LATERALITY_MISMATCH", "F", "error",
      "ICD-10-CM Guidelines I.B.13; CPT/HCPCS anatomic modifiers", when=["mods-side"])
def laterality_mismatch(ctx: ClaimContext) -> Iterator[Hit]:
    """A side modifier none of whose pointed diagnoses (with a stated side) fits."""
    for ln in ctx.valid_lines:
        pointed = [d for d in ctx.pointed(ln) if d.valid and d.facts.side]
        if not pointed:
            continue
        for j, m in enumerate(ln.modifiers):
            if m not in ANATOMIC or ANATOMIC[m].side is None:
                continue
            if not _compatible(m, pointed):
                dx = ", ".join(f"{d.facts.dotted} ({d.facts.side}"
                               + (f" {d.facts.detail}" if d.facts.detail else "") + ")"
                               for d in pointed)
                yield Hit(f"Line {ln.line.line}: modifier {m} ({ANATOMIC[m].site}) does not "
                          f"match the diagnoses it points to: {dx}. Correct the modifier or "
                          "the diagnosis.", ("service_lines", ln.index, "modifiers", j),
                          (ln.code or "", m, *(d.facts.dotted for d in pointed)))


def lines_on(ctx: ClaimContext) -> dict[object, list[LineInfo]]:
    """The valid lines grouped by date of service (worked out once per claim)."""
    by_day = ctx.lines_by_day
    if by_day is None:
        by_day = {}
        for ln in ctx.valid_lines:
            by_day.setdefault(ln.day, []).append(ln)
        ctx.lines_by_day = by_day
    return by_day


RULES = (proc_format, proc_not_valid_on_dos, proc_unknown, units_invalid, mod_invalid,
         mod_count, mod_laterality_conflict, mod_laterality_missing, em_without_25,
         ptr_missing, ptr_invalid, ptr_too_many, ptr_duplicate, laterality_mismatch)
