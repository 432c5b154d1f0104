"""Group D: the I/OCE's line edits decided by the code's status in the outpatient code editor.

Each HCPCS/CPT code has, in every I/OCE quarter, an OPPS status indicator and flags that
say what the editor does with it on an outpatient claim (``ProcedureEntry.status_indicator``
and ``ProcedureEntry.flags``, read through :func:`codekit.procedure.resolve`, on the line's
date). Four of them are coding and billing errors a coder can fix, and return the claim
or reject the line:

- edit 28, status E1 with ``not_recognized_mcare``: the code is not recognized by Medicare
  for outpatient claims (an alternate code may be available);
- edit 62, status B with ``not_recognized_opps``: not recognized by OPPS (on OPPS claims);
- edit 50, status E1 with ``statutory_exclusion``: a service Medicare excludes by statute;
- edit 61, status Y with ``dmerc_billable_only``: billable only to the DME MAC.

Three more are about the line's revenue code, read through
:func:`codekit.procedure.revenue_code` (the I/OCE's revenue code table, on the line's date):

- edit 41: a revenue code the I/OCE does not know on the date, or one not written as a
  revenue code (four digits; the I/OCE reads the field as a number, so ``450`` is
  ``0450``);
- edit 48: a line with a revenue code and no HCPCS code, where the revenue code needs one
  (not flagged ``bypass_e48``, and not packaged, N, or F without one);
- edit 65: a revenue code Medicare does not recognize on outpatient claims
  (``not_recognized``).

A line without a revenue code is not judged by them (the I/OCE takes it for edit 41).

Not here, on purpose: edit 9 (E1 ``non_covered``: a non-covered service, denied whatever
the coding), edit 13 (E2: no pricing information) and edit 18 (C: an inpatient-only
procedure, denied with its day): payment decisions, not coding errors.

Every rule runs under a profile with the option ``ioce`` (``medicare-outpatient``) only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .. import procedure
from ..errors import InvalidFormat
from ..findings import Hit
from .context import ClaimContext, LineInfo
from .engine import rule

#: (status indicator, I/OCE flag) of each edit, as the I/OCE tables pair them.
NOT_RECOGNIZED_MEDICARE = ("E1", "not_recognized_mcare")
NOT_RECOGNIZED_OPPS = ("B", "not_recognized_opps")
STATUTORY_EXCLUSION = ("E1", "statutory_exclusion")
DME_MAC_ONLY = ("Y", "dmerc_billable_only")


def _runs(ctx: ClaimContext) -> bool:
    # the plan runs these rules under a profile with the option ``ioce`` only
    return not ctx.claim.is_inpatient


def _bill_type(ctx: ClaimContext) -> str:
    return (ctx.claim.bill_type or "").strip().lstrip("0")


def _flagged(ctx: ClaimContext, status: tuple[str, str]) -> Iterator[LineInfo]:
    """The valid lines whose code has ``status`` (indicator and flag) on the line's date."""
    si, flag = status
    for ln in ctx.valid_lines:
        entry = ln.entry
        if flag in entry.flags and entry.status_indicator == si:
            yield ln


def _status(ln: LineInfo) -> str:
    """"has status indicator E1 (Non-allowed item or service) on 2024-03-01", and what
    answered when the date is outside codekit's data."""
    e = ln.entry
    text = f"has status indicator {e.status_indicator}"
    if e.status_description:
        text += f" ({e.status_description})"
    text += f" on {ln.day}"
    if not e.covered:
        text += (f" (as of {e.release}, the nearest quarter codekit has: {ln.day} is "
                 "outside its data)")
    return text


@rule("PROC_NOT_RECOGNIZED_BY_MEDICARE", "D", "error",
      "I/OCE edit 28 (code not recognized by Medicare for outpatient claims; alternate code "
      "for same service may be available)", when=["lines"], options=["ioce"])
def not_recognized_by_medicare(ctx: ClaimContext) -> Iterable[Hit]:
    """A code the I/OCE does not recognize for Medicare outpatient claims (status indicator
    E1 with the I/OCE's not-recognized flag on the line's date: e.g. the CPT
    Category II codes), under a profile
    with the option ``ioce`` (``medicare-outpatient``). Not with condition code 89, as the
    I/OCE. The I/OCE rejects the line; an alternate code may be available for the same
    service (codekit's data names none)."""
    if not _runs(ctx) or "89" in ctx.claim.condition_codes:
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} {_status(ln)}: Medicare does not recognize "
                "it on outpatient claims (I/OCE edit 28, the line is rejected): report the "
                "service with the code Medicare recognizes for it (an alternate code may be "
                "available; codekit's data names none), or take the line off.",
                ("service_lines", ln.index, "procedure_code"), (ln.code or "",))
            for ln in _flagged(ctx, NOT_RECOGNIZED_MEDICARE))


@rule("PROC_NOT_RECOGNIZED_BY_OPPS", "D", "error",
      "I/OCE edit 62 (code not recognized by OPPS; alternate code for same service may be "
      "available)", when=["lines"], options=["ioce"])
def not_recognized_by_opps(ctx: ClaimContext) -> Iterable[Hit]:
    """A code OPPS does not recognize (status indicator B with the I/OCE's flag on the
    line's date: e.g. a CPT code for which OPPS takes a HCPCS Level II code) on an OPPS
    claim (``Claim.opps`` not False; not a critical access hospital, 85x, whose I/OCE path
    has no such step), under a profile with the option ``ioce``
    (``medicare-outpatient``). Not with condition code 89. The I/OCE returns the claim."""
    if not _runs(ctx) or ctx.claim.opps is False or "89" in ctx.claim.condition_codes \
            or _bill_type(ctx).startswith("85"):
        return ()
    out = []
    for ln in _flagged(ctx, NOT_RECOGNIZED_OPPS):
        fix = _clinic_visit(ln)
        out.append(Hit(
            f"Line {ln.line.line}: {ln.code} {_status(ln)}: OPPS does not recognize it "
            "(I/OCE edit 62, the claim is returned): " + (
                f"report the hospital outpatient clinic visit as {fix[0]}, the code OPPS "
                "pays clinic visits with since 2014 (CY 2014 OPPS final rule)." if fix else
                "report the service with the code OPPS recognizes for it (an alternate "
                "code may be available; codekit's data names none)."),
            ("service_lines", ln.index, "procedure_code"), (ln.code or "",), fix))
    return out


#: CMS's code for every hospital outpatient clinic visit under OPPS from 2014-01-01 (the
#: CY 2014 OPPS/ASC final rule, 78 FR 74826), in place of the office and other outpatient
#: visit codes 99201-99205 and 99211-99215, which OPPS does not recognize (status B).
CLINIC_VISIT = "G0463"


def _clinic_visit(ln: LineInfo) -> tuple[str, ...]:
    """``("G0463",)`` for an office or other outpatient visit code (99201-99215) on a day
    G0463 is valid, else ``()``: the one alternate code of edit 62 CMS names for a whole
    family of codes; for the others codekit's data names none."""
    code = ln.code or ""
    if not (code.isdigit() and "99201" <= code <= "99215"):
        return ()
    return (CLINIC_VISIT,) if procedure.is_valid(CLINIC_VISIT, on=ln.day) else ()


@rule("PROC_STATUTORY_EXCLUSION", "D", "error",
      "I/OCE edit 50 (non-covered under any Medicare outpatient benefit, based on statutory "
      "exclusion)", when=["lines"], options=["ioce"])
def statutory_exclusion(ctx: ClaimContext) -> Iterable[Hit]:
    """A service Medicare excludes by statute (status indicator E1 with the I/OCE's
    statutory-exclusion flag on the line's date: e.g. the hearing aids V5171, V5181),
    under a profile with the option ``ioce`` (``medicare-outpatient``).
    The I/OCE returns the claim."""
    if not _runs(ctx):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} {_status(ln)}: the service is excluded "
                "from Medicare by statute (I/OCE edit 50, the claim is returned): take the "
                "line off the Medicare claim.", ("service_lines", ln.index, "procedure_code"),
                (ln.code or "",))
            for ln in _flagged(ctx, STATUTORY_EXCLUSION))


@rule("PROC_DME_MAC_ONLY", "D", "error",
      "I/OCE edit 61 (service can be billed only to the DME MAC)", when=["lines"],
      options=["ioce"])
def dme_mac_only(ctx: ClaimContext) -> Iterable[Hit]:
    """Durable medical equipment billable only to the DME MAC (status indicator Y with the
    I/OCE's DME flag on the line's date) on an outpatient claim, under a profile with the
    option ``ioce`` (``medicare-outpatient``). Not on an OPPS claim (13x) with a
    comprehensive APC procedure (status J1 on the claim's date, without condition code
    41, 89 or 92): the I/OCE packages every other line into it. The I/OCE returns the
    claim."""
    if not _runs(ctx):
        return ()
    flagged = list(_flagged(ctx, DME_MAC_ONLY))
    if not flagged or _comprehensive(ctx):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} {_status(ln)}: it is billable only to the "
                "DME MAC (I/OCE edit 61, the claim is returned): bill it to the DME MAC and "
                "take the line off this claim.", ("service_lines", ln.index,
                                                   "procedure_code"), (ln.code or "",))
            for ln in flagged)


def _comprehensive(ctx: ClaimContext) -> bool:
    """A comprehensive APC procedure (status J1) makes the claim's payment one APC: on an
    OPPS claim that the I/OCE's comprehensive-APC step runs on (not 85x, nor condition
    codes 41, 89, 92)."""
    claim = ctx.claim
    if claim.opps is False or _bill_type(ctx).startswith("85") or \
            {"41", "89", "92"} & set(claim.condition_codes):
        return False
    return any(ln.entry.status_indicator == "J1" for ln in ctx.valid_lines)


# -- the revenue-code edits ------------------------------------------------------------------

#: A line's revenue code as the rules read it: (the line, the code as written, why it is
#: not written as a revenue code or None, the I/OCE's entry on the line's date or None).
_Revenue = tuple[LineInfo, str, "str | None", "procedure.RevenueEntry | None"]


def _revenue_lines(ctx: ClaimContext) -> list[_Revenue]:
    """The lines with a revenue code of an outpatient institutional claim, each with its
    I/OCE entry (read once a claim, for the three edits)."""
    memo = ctx.memo.get("ioce_revenue")
    if memo is not None:
        return memo
    out: list[_Revenue] = []
    if _runs(ctx) and ctx.claim.is_institutional:
        for ln in ctx.lines:
            written = ln.line.revenue_code
            if written is None or not written.strip():
                continue
            try:
                entry = procedure.revenue_code(written, on=ln.day)
            except InvalidFormat as e:
                out.append((ln, written, e.reason, None))
                continue
            out.append((ln, written, None, entry))
    ctx.memo["ioce_revenue"] = out
    return out


def _outside(day: dt.date) -> str:
    """What answered for a date outside codekit's I/OCE revenue code data ("" inside)."""
    first, last = procedure.revenue_coverage()
    if first <= day <= last:
        return ""
    asof = first if day < first else last
    return f" (as of {asof}, the nearest day codekit's I/OCE data has: {day} is outside it)"


@rule("REVENUE_CODE_INVALID", "D", "error", "I/OCE edit 41 (invalid revenue code)",
      when=["lines"], options=["ioce"])
def revenue_code_invalid(ctx: ClaimContext) -> Iterable[Hit]:
    """A line's revenue code the I/OCE does not know on the line's date (not in its revenue
    code table then: e.g. 0457), or one not written as a revenue code (four digits; as
    the I/OCE reads a number, ``450`` is ``0450`` and passes), on an outpatient
    institutional claim, under a profile with the option ``ioce``
    (``medicare-outpatient``). A line without a revenue code is not judged. The I/OCE
    returns the claim."""
    out = []
    for ln, written, malformed, entry in _revenue_lines(ctx):
        if entry is not None:
            continue
        where = ("service_lines", ln.index, "revenue_code")
        if malformed is not None:
            out.append(Hit(f"Line {ln.line.line}: revenue code {written.strip()!r} is {malformed} "
                           "(I/OCE edit 41, the claim is returned): write the line's NUBC "
                           "revenue code as four digits.", where, (written,)))
        else:
            key = written.strip().zfill(4)
            out.append(Hit(f"Line {ln.line.line}: revenue code {key} is not a revenue code "
                           f"the I/OCE knows on {ln.day}{_outside(ln.day)} (I/OCE edit 41, "
                           "the claim is returned): correct the line's revenue code (the "
                           "NUBC code of the department that gave the service).", where,
                           (key,)))
    return out


def _requires_hcpcs_runs(ctx: ClaimContext) -> bool:
    """Edit 48's I/OCE paths: not critical access hospitals (85x), nor 81x/82x (hospice),
    nor a hospital outpatient claim (13x) with condition code 89."""
    bill = _bill_type(ctx)
    return not bill.startswith(("81", "82", "85")) and not (
        bill.startswith("13") and "89" in ctx.claim.condition_codes)


@rule("REVENUE_CODE_REQUIRES_HCPCS", "D", "error",
      "I/OCE edit 48 (revenue center requires HCPCS)", when=["lines"], options=["ioce"])
def revenue_code_requires_hcpcs(ctx: ClaimContext) -> Iterable[Hit]:
    """A line with a revenue code and no HCPCS code, where the I/OCE's revenue code table
    says the revenue code needs one on the line's date (not flagged as bypassing edit 48,
    and not a packaged revenue code, status N, or F: e.g. 0450 or 0510, not 0250), on an
    outpatient institutional claim, under a profile with the option ``ioce``
    (``medicare-outpatient``). Not on critical access hospital (85x) or hospice (81x,
    82x) claims, nor on 13x with condition code 89, as the I/OCE. The I/OCE returns the
    claim."""
    lines = _revenue_lines(ctx)
    if not lines or not _requires_hcpcs_runs(ctx):
        return ()
    return (Hit(f"Line {ln.line.line}: revenue code {entry.code} needs a HCPCS code on "
                f"outpatient claims on {ln.day}{_outside(ln.day)}, and the line has none "
                "(I/OCE edit 48, the claim is returned): report the CPT/HCPCS code of the "
                "service on the line.", ("service_lines", ln.index, "procedure_code"),
                (entry.code,))
            for ln, _, _, entry in lines
            if entry is not None and not ln.line.procedure_code.strip()
            and entry.requires_hcpcs)


@rule("REVENUE_CODE_NOT_RECOGNIZED", "D", "error",
      "I/OCE edit 65 (revenue code not recognized by Medicare)", when=["lines"],
      options=["ioce"])
def revenue_code_not_recognized(ctx: ClaimContext) -> Iterable[Hit]:
    """A revenue code Medicare does not recognize on outpatient claims (the I/OCE's
    not-recognized flag on the line's date: e.g. 0500, 0660, 1000; 0905 until
    2023-12-31), on an outpatient institutional claim, under a profile with the option
    ``ioce`` (``medicare-outpatient``). The I/OCE rejects the line."""
    return (Hit(f"Line {ln.line.line}: revenue code {entry.code} is not recognized by "
                f"Medicare on outpatient claims on {ln.day}{_outside(ln.day)} (I/OCE edit 65, "
                f"status indicator {entry.status_indicator}: the line is rejected): bill the "
                "service under the revenue code Medicare recognizes for it, or take the line "
                "off.", ("service_lines", ln.index, "revenue_code"), (entry.code,))
            for ln, _, _, entry in _revenue_lines(ctx)
            if entry is not None and entry.not_recognized)


RULES = (not_recognized_by_medicare, not_recognized_by_opps, statutory_exclusion, dme_mac_only,
         revenue_code_invalid, revenue_code_requires_hcpcs, revenue_code_not_recognized)
