"""Group F1-F4: diagnosis pointers of professional service lines."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Hit
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


RULES = (ptr_missing, ptr_invalid, ptr_too_many, ptr_duplicate)
