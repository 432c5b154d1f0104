"""Group D (procedure codes and units) and H2 (procedure code valid on the date of service).

One line gets one validity finding, the most specific (``docs/catalog.md#precedence``):
the classification is :func:`codekit.procedure.resolve`'s, whose errors carry the catalog
IDs. A line whose procedure code fails validity skips the modifier, laterality and NCCI
edits; its pointers are still checked, since they are about the claim.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..claims import is_total_line
from ..findings import Hit
from ..procedure import TELEPHONE_VISITS
from .context import ClaimContext, LineInfo
from .engine import rule

if TYPE_CHECKING:
    from ..claims import ServiceLine


_NOT_VALID = "PROC_NOT_VALID_ON_DOS"


def _revenue_only(ctx: ClaimContext, line: ServiceLine) -> bool:
    """An institutional line with a revenue code and no procedure code (inpatient room and
    board, many 837I lines): nothing to validate as CPT/HCPCS."""
    return ctx.claim.is_institutional and bool(line.revenue_code) and \
        not line.procedure_code.strip()


#: The first day without CPT's telephone E/M services (:data:`codekit.procedure.
#: TELEPHONE_VISITS`, 99441-99443).
TELEPHONE_VISITS_DELETED = dt.date(2025, 1, 1)
#: What replaces a telephone E/M service (99441-99443) from 2025 on a professional claim:
#: Medicare's answer (the profile option ``medicare_pfs``), then other payers'.
_MEDICARE_AUDIO_ONLY = ("99212", "99213", "99214", "99215")
_CPT_AUDIO_ONLY = ("98012", "98013", "98014", "98015")


def _telephone_visit(ctx: ClaimContext, ln: LineInfo) -> tuple[str, tuple[str, ...]] | None:
    """What a line of a telephone E/M service (99441-99443) dated after CPT deleted them
    (2025-01-01) on a professional claim is to say and be fixed with, by the payer the
    profile is for: Medicare (option ``medicare_pfs``) pays an audio-only visit as the
    office or other outpatient visit of an established patient, 99212-99215, with modifier
    93 and place of service 02 or 10, and does not recognize CPT's telemedicine visits
    98000-98015 (MPFS status I; CY 2025 PFS final rule, CMS-1807-F); other payers take
    CPT's audio-only telemedicine visits of an established patient, 98012-98015 (CPT
    2025). None for another line (its error's own fix stands)."""
    if ln.code not in TELEPHONE_VISITS or ln.day < TELEPHONE_VISITS_DELETED or \
            ctx.claim.is_institutional:
        return None
    if ctx.profile.option("medicare_pfs"):
        return (" CPT deleted the telephone E/M services 99441-99443 on 2025-01-01; Medicare "
                "(this claim's profile) pays an audio-only visit with an established patient "
                "as the office or other outpatient visit of its level, 99212-99215, with "
                "modifier 93 (audio-only) and place of service 10 (the patient at home) or 02 "
                "(elsewhere), and does not recognize CPT's telemedicine visits 98000-98015 (CY "
                "2025 PFS final rule).", _MEDICARE_AUDIO_ONLY)
    return (" CPT deleted the telephone E/M services 99441-99443 on 2025-01-01: an audio-only "
            "visit with an established patient is CPT's telemedicine visit 98012-98015 (a new "
            "patient's 98008-98011), where the payer takes them (Medicare does not: it pays "
            "99212-99215 with modifier 93).", _CPT_AUDIO_ONLY)


def _proc_validity(rule_id: str, doc: str) -> Callable[[ClaimContext], Iterator[Hit]]:
    def check(ctx: ClaimContext) -> Iterator[Hit]:
        for ln in ctx.lines:
            if ln.error is not None and ln.error.code == rule_id and \
                    not _revenue_only(ctx, ln.line):
                told = _telephone_visit(ctx, ln) if rule_id == _NOT_VALID else None
                said = str(ln.error)
                if told is not None:
                    said += ("" if said.endswith(".") else ".") + told[0]
                yield Hit(f"Line {ln.line.line}: {said}",
                          ("service_lines", ln.index, "procedure_code"),
                          (ln.line.procedure_code,), told[1] if told else ln.error.fix)

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
                   "or takes effect after it; a telephone E/M service (99441-99443) of 2025 "
                   "on a professional claim is told what replaced it, by the profile's "
                   "payer (:func:`_telephone_visit`)."))


@rule("UNITS_INVALID", "D", "error",
      "837P SV104 / 837I SV205 (service unit count, greater than zero); Claims Processing "
      "Manual ch.26 §10.4 item 24G (1 for one service), ch.25 FL 46 (service units)",
      when=["units-odd"])
def units_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """Units are missing, zero or negative (non-numeric units are format errors). Not an
    I/OCE edit: the I/OCE has no units edit and reads missing or 0 units as 1. Not on the
    UB-04's total line (revenue code 0001, :func:`codekit.claims.is_total_line`: FL 46
    holds no units on it)."""
    for ln in ctx.lines:
        u = ln.line.units
        if (u is None or u <= 0) and is_total_line(ln.line):
            continue  # the total line: no service, no units
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
