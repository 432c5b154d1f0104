"""Group F1-F4: diagnosis pointers of professional service lines, and the diagnosis a
line's first pointer makes its primary one."""

from __future__ import annotations

from collections.abc import Iterator

from .. import procedure
from ..claims import ServiceLine
from ..findings import Hit
from ..icd10cm import Facts
from .context import ClaimContext
from .engine import rule


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
    """A pointer is not 1-12, or points past the last diagnosis (on a claim with no
    diagnosis at all, ``DX_MISSING`` is the one finding)."""
    n = len(ctx.dx_hits)  # one per diagnosis position
    for ln in ctx.lines:
        for j, p in enumerate(ln.line.diagnosis_pointers):
            if not 1 <= p <= 12:
                yield Hit(f"Line {ln.line.line}: pointer {p} is not between 1 and 12.",
                          ("service_lines", ln.index, "diagnosis_pointers", j))
            elif p > n and n:
                has = "1 diagnosis" if n == 1 else f"{n} diagnoses"
                yield Hit(f"Line {ln.line.line}: pointer {p} points to diagnosis {p}, but the "
                          f"claim has {has}.", ("service_lines", ln.index,
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


def _not_primary(f: Facts | bool) -> str | None:
    """Why a diagnosis cannot be a line's primary diagnosis (None when it can, or is not
    valid: the validity edits speak for it)."""
    if f is False or f is True:
        return None
    if f.manifestation:
        return "a manifestation code, never first-listed (Guideline I.A.13)"
    if f.external_cause:
        return ("an external-cause code, never first-listed (Guideline I.C.20); it only "
                "adds the cause, intent, place, activity or status of the injury or "
                "condition")
    if f.secondary_only:
        return "an additional code only (the classification's note at its category)"
    return None


@rule("PTR_PRIMARY_NOT_ALLOWED", "F", "warning",
      "NUCC 1500 instructions item 24E (the first pointer is the line's primary diagnosis); "
      "ICD-10-CM Guidelines I.A.13, I.C.20, Section IV.A", when=["not-principal-later"])
def ptr_primary_not_allowed(ctx: ClaimContext) -> Iterator[Hit]:
    """A professional line's first pointer (its primary diagnosis) points to a diagnosis
    that is never first-listed: a manifestation code, an external-cause code (V00-Y99) or
    a code reported only as an additional code (B95-B97, Z37, Z3A, Z68). Diagnosis 1 is
    left to the claim's own edits (``DX_MANIFESTATION_FIRST_LISTED``...): this one judges
    the pointers to the others. The fix is the line's pointers as they should be sent, the
    first that can be primary moved first (``("1", "2")`` for pointers 2, 1), when it has
    one."""
    if ctx.claim.is_institutional:
        return
    hits = ctx.dx_hits  # no DxInfo is made: most claims with the feature have no finding
    n = len(hits)
    for index, line in enumerate(ctx.claim.service_lines):
        pointers = line.diagnosis_pointers
        if not pointers or not 2 <= pointers[0] <= n:
            continue
        f = hits[pointers[0] - 1]
        why = _not_primary(f)
        if why is None:
            continue
        yield _primary_hit(ctx, index, line, f, why)  # type: ignore[arg-type]


def _primary_hit(ctx: ClaimContext, index: int, line: ServiceLine, f: Facts,
                 why: str) -> Hit:
    hits, pointers = ctx.dx_hits, line.diagnosis_pointers
    other = next((p for p in pointers[1:] if 1 <= p <= len(hits)
                  and hits[p - 1] is not False and _not_primary(hits[p - 1]) is None), None)
    if other is not None:
        how = (f"point first to the condition treated ({hits[other - 1].dotted}, "  # type: ignore[union-attr]
               f"pointer {other}) and to {f.dotted} after it")
    else:
        how = f"point first to the condition treated, and to {f.dotted} after it"
    return Hit(f"Line {line.line} ({line.procedure_code}): its first pointer, {pointers[0]}, "
               f"makes {f.dotted} the line's primary diagnosis, but {f.dotted} is {why}: "
               f"{how}.", ("service_lines", index, "diagnosis_pointers", 0),
               (line.procedure_code, f.dotted),
               () if other is None else tuple(str(p) for p in
                                              (other, *[p for p in pointers if p != other])))


#: The categories of the ICD-10-CM block "Persons encountering health services for
#: examinations" (Z00-Z13): the routine and administrative examinations of Guideline
#: I.C.21.c.13 (Z00, Z01, Z02) and the screenings (Z11-Z13) a preventive visit is for.
_EXAM_CATEGORIES = frozenset(f"Z{n:02d}" for n in range(0, 14))
PREVENTIVE_VISITS = procedure.PREVENTIVE_VISITS


@rule("PTR_PREVENTIVE_NO_EXAM_DX", "F", "warning",
      "ICD-10-CM Guidelines I.C.21.c.13 (routine and administrative examinations: Z00-Z02; "
      "a condition found or treated is an additional code); CPT preventive medicine "
      "services 99381-99397", when=["proc-preventive"])
def ptr_preventive_no_exam_dx(ctx: ClaimContext) -> Iterator[Hit]:
    """A professional line of a preventive medicine visit (99381-99397) whose pointers all
    go to valid diagnoses, none of them an examination or screening code (Z00-Z13): a
    routine examination is coded with its Z code (Z00.00, Z00.129, Z01.419), and a
    condition found or managed at it is an additional code (Guideline I.C.21.c.13).
    99395 pointing to I10 only. A line with no pointer, or one to an invalid diagnosis,
    is left to the pointer and validity edits."""
    if ctx.claim.is_institutional:
        return
    for ln in ctx.valid_lines:
        if ln.code not in PREVENTIVE_VISITS:
            continue
        pointed = ctx.pointed(ln)
        if not pointed or len(pointed) != len(ln.line.diagnosis_pointers) or \
                any(d.facts is None or d.facts.code[:3] in _EXAM_CATEGORIES for d in pointed):
            continue
        codes = ", ".join(d.facts.dotted for d in pointed)
        yield Hit(f"Line {ln.line.line} ({ln.code}) is a preventive medicine visit, but it "
                  f"points only to {codes}: point first to the examination code (Z00.00, "
                  "Z00.01, Z00.121, Z00.129, Z01.411, Z01.419...) and add it to the "
                  "diagnoses if it is missing; the conditions addressed stay as additional "
                  "pointers (Guideline I.C.21.c.13).",
                  ("service_lines", ln.index, "diagnosis_pointers"),
                  (ln.code or "", *(d.facts.dotted for d in pointed)))


RULES = (ptr_missing, ptr_invalid, ptr_too_many, ptr_duplicate, ptr_primary_not_allowed,
         ptr_preventive_no_exam_dx)
