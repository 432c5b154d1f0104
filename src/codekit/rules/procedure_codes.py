"""Group D (procedure codes and units) and H2 (procedure code valid on the date of service).

One line gets one validity finding, the most specific (``docs/catalog.md#precedence``):
the classification is :func:`codekit.procedure.resolve`'s, whose errors carry the catalog
IDs. A line whose procedure code fails validity skips the modifier, laterality and NCCI
edits; its pointers are still checked, since they are about the claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..findings import Hit
from .context import ClaimContext
from .engine import rule

if TYPE_CHECKING:
    from ..claims import ServiceLine


def _revenue_only(ctx: ClaimContext, line: ServiceLine) -> bool:
    """An institutional line with a revenue code and no procedure code (inpatient room and
    board, many 837I lines): nothing to validate as CPT/HCPCS."""
    return ctx.claim.is_institutional and bool(line.revenue_code) and \
        not line.procedure_code.strip()


def _proc_validity(rule_id: str, doc: str) -> Callable[[ClaimContext], Iterator[Hit]]:
    def check(ctx: ClaimContext) -> Iterator[Hit]:
        for ln in ctx.lines:
            if ln.error is not None and ln.error.code == rule_id and \
                    not _revenue_only(ctx, ln.line):
                yield Hit(f"Line {ln.line.line}: {ln.error}",
                          ("service_lines", ln.index, "procedure_code"),
                          (ln.line.procedure_code,), ln.error.fix)

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


@rule("UNITS_INVALID", "D", "error",
      "837P SV104 / 837I SV205 (service unit count, greater than zero); Claims Processing "
      "Manual ch.26 §10.4 item 24G (1 for one service), ch.25 FL 46 (service units)",
      when=["units-odd"])
def units_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """Units are missing, zero or negative (non-numeric units are format errors). Not an
    I/OCE edit: the I/OCE has no units edit and reads missing or 0 units as 1."""
    for ln in ctx.lines:
        u = ln.line.units
        if u is None or u <= 0 or u.is_infinite():
            what = "missing" if u is None else f"{u}"
            yield Hit(f"Line {ln.line.line} ({ln.line.procedure_code}): units are {what}; "
                      "report at least 1.", ("service_lines", ln.index, "units"),
                      (ln.line.procedure_code,))


@rule("LINE_COUNT_EXCEEDED", "D", "error",
      "X12 837P loop 2400 (50 service lines); 837I loop 2400 (999 service lines)",
      when=["lines-many"])
def line_count(ctx: ClaimContext) -> Iterator[Hit]:
    """More than 50 service lines (professional) or 999 (institutional)."""
    claim = ctx.claim
    limit = 999 if claim.is_institutional else 50
    n = len(claim.service_lines)
    if n > limit:
        kind = "an institutional" if claim.is_institutional else f"a {claim.claim_type}"
        yield Hit(f"{n} service lines: {kind} claim carries at most {limit}; split the "
                  "services over several claims.", ("service_lines", limit))


RULES = (proc_format, proc_not_valid_on_dos, proc_unknown, units_invalid, line_count)
