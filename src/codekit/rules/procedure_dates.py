"""Group H: the IOCE date edits (67, 68, 69, 83, 110, 134, 136), ``medicare-outpatient`` only.

CMS approves some codes, or ends them, inside a quarter: a vaccine from its emergency use
authorization, a drug from its FDA approval, a test until a non-coverage NCD; the I/OCE
edits a line dated on the wrong side of those dates
(:func:`codekit.procedure.date_limit`). A CPT code's validity follows them to the day, so
such a line already fails ``PROC_NOT_VALID_ON_DOS``, which the finding of the I/OCE's edit
replaces on an outpatient claim (one mistake, one finding). A Level II code's validity
follows CMS's HCPCS file instead (G0011 exists from 2024-01-02; its NCD approval, edit 68,
is 2024-09-30): the line is valid, and only the outpatient edit judges it. The profile
option ``ioce_date_edits`` turns them on (the built-in ``medicare-outpatient`` profile sets
it).
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import procedure
from ..findings import Hit
from .context import ClaimContext
from .engine import Rule, rule

__all__ = ["RULES"]

#: IOCE edit number -> the edit's name in the I/OCE specification.
IOCE_NAMES = {
    67: "service provided prior to FDA approval",
    68: "service provided prior to date of National Coverage Determination (NCD) or "
        "Demonstration approval",
    69: "service provided outside approval period",
    83: "service provided on or after effective date of NCD",
    110: "service provided prior to initial marketing date",
    134: "service provided outside designated approval period",
    136: "service provided prior to initial ACIP date",
}

_DOCS = {
    67: "The line's date is before the FDA approval date of its drug or device code.",
    68: "The line's date is before the code's activation by a National Coverage "
        "Determination or a demonstration approval.",
    69: "The line's date is outside the period CMS approved the code for (before its "
        "approval or after its termination, e.g. an EUA vaccine after its authorization "
        "ended).",
    83: "The line's date is after the last day the code is covered: a National Coverage "
        "Determination of non-coverage applies from the next day.",
    110: "The line's date is before the code's initial marketing date (e.g. a vaccine "
         "administration code before the vaccine was marketed).",
    134: "The line's date is outside the period CMS designated for the code (I/OCE 24.1 "
         "and later).",
    136: "The line's date is before the ACIP recommendation date of its vaccine.",
}


def _date_edit(edit: int) -> Rule:
    rule_id = procedure.DATE_EDITS[edit][0]

    def check(ctx: ClaimContext) -> Iterator[Hit]:
        if not ctx.profile.option("ioce_date_edits", False):
            return
        for ln in ctx.lines:
            if ln.entry is not None:  # (a Level II code valid by CMS's HCPCS file)
                limit = ln.entry.date_limit
            elif ln.code is not None and ln.error is not None and \
                    ln.error.code == "PROC_NOT_VALID_ON_DOS":
                limit = procedure.date_limit(ln.code, on=ln.day)
            else:
                continue
            if limit is None or limit.ioce_edit != edit or not limit.violated_on(ln.day):
                continue
            first, last = limit.approved, limit.terminated
            window = (f"from {first}" if last is None else f"through {last}" if first is None
                      else f"on {first} to {last} only")
            yield Hit(f"Line {ln.line.line} ({ln.code}): {ln.day} is {limit.explain(ln.day)}; "
                      f"CMS accepts {ln.code} {window}.",
                      ("service_lines", ln.index, "procedure_code"),
                      (ln.line.procedure_code,))

    check.__doc__ = _DOCS[edit]
    return rule(rule_id, "H", "error", f"I/OCE edit {edit} ({IOCE_NAMES[edit]})",
                when=["proc-date-edit"], supersedes=["PROC_NOT_VALID_ON_DOS"])(check)


before_fda_approval = _date_edit(67)
before_ncd_approval = _date_edit(68)
outside_approval_period = _date_edit(69)
after_ncd_noncoverage = _date_edit(83)
before_marketing_date = _date_edit(110)
outside_designated_period = _date_edit(134)
before_acip_date = _date_edit(136)

RULES = (before_fda_approval, before_ncd_approval, outside_approval_period,
         after_ncd_noncoverage, before_marketing_date, outside_designated_period,
         before_acip_date)
