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

import datetime as dt
import re
from collections.abc import Container, Iterable, Iterator
from decimal import Decimal
from operator import attrgetter
from typing import Any

from .. import _cache
from .. import modifiers as _modifiers
from ..claims import bill_class
from ..findings import Hit, NotRun
from ..ncci import ioce_addons
from ..procedure import (
    ANESTHESIA_QUALIFYING_CIRCUMSTANCES,
    EM_VISIT_KINDS,
    IOCE_CONDITIONAL_THERAPY,
    LAB_PANELS,
    MAMMOGRAPHY_DIAGNOSTIC,
    MAMMOGRAPHY_SCREENING,
    TELEMEDICINE_VISITS,
    THERAPY_MODIFIERS,
    THERAPY_REVENUE,
    is_em,
    is_em_or_eye_exam,
)
from .context import (
    NO_CMS_EDITOR,
    ClaimContext,
    LineInfo,
    NcciOffTables,
    is_anesthesia_line,
    is_dmepos,
    lines_on,
    most_lines_on_a_day,
)
from .engine import rule
from .ioce_billing import trauma_rejected
from .ioce_status import (
    ADDON_MAP_PATHS,
    companion_lines,
    ioce_path,
    ioce_runs,
    professional_revenue,
    revenue_lines,
    runs_on,
)

NCCI_ASSOCIATED = _modifiers.NCCI_ASSOCIATED
#: The NCCI-associated anatomic modifiers (RT/LT, E1-E4, FA-F9, TA-T9, LC/LD/LM/RC/RI).
ANATOMIC_NCCI = NCCI_ASSOCIATED.intersection(_modifiers.ANATOMIC)
_ZERO = Decimal(0)


#: E/M modifiers: what bypasses an indicator-1 edit of an E/M under the NCCI manual.
EM_MODIFIERS = frozenset({"25", "57"})


def bypassed(ctx: ClaimContext, c1: LineInfo, c2: LineInfo) -> bool:
    """Whether the lines' modifiers bypass an indicator-1 PTP edit (column 1 ``c1``,
    column 2 ``c2``). The CMS I/OCE (profile option ``ncci_bypass="ioce"``, the
    ``medicare-outpatient`` profile) accepts an NCCI-associated modifier on either line.
    The NCCI manual (``"manual"``, the default) does too, except that

    - an E/M in column 2 is bypassed only by 25 or 57 on the E/M, never by 59, X{EPSU} or
      an anatomic modifier; so is a telemedicine visit (98000-98015, CPT's E/M section
      from 2025: 95004 with 98005-59 stays an edit) and an eye examination (92002-92014),
      which NCCI treats as a visit: :func:`codekit.procedure.is_em_or_eye_exam`, the one
      E/M of these modifiers, which :func:`unplaced` uses too; but an E/M visit in column
      2 of critical care (:data:`CRITICAL_CARE`) is bypassed by 25 on the critical care
      line too, where CMS asks for it ("practitioners must report modifier -25 on the
      claim when reporting these critical care services": CY 2022 PFS final rule; Claims
      Processing Manual ch.12 §30.6.12);
    - anatomic modifiers say the services were at *different* sites: the same anatomic
      modifiers on both lines (29881-RT with 29877-RT, 26055-F1 with 20550-F1) mark one
      site and bypass nothing;
    - a modifier on a code Medicare does not allow it on bypasses nothing (25 on 97597,
      91 on a procedure, 27 on a practitioner's claim, 59 on an E/M: :func:`unplaced`);
    - on a practitioner's claim under a Medicare profile (option ``screening_modifiers``)
      GG on the diagnostic mammography of a pair with a screening one of the same date
      (77066-GG with 77067) bypasses it: Medicare pays both (Claims Processing Manual
      ch.18 §20), though GG is no NCCI-associated modifier."""
    m1 = NCCI_ASSOCIATED.intersection(c1.modifiers)
    m2 = NCCI_ASSOCIATED.intersection(c2.modifiers)
    if ctx.profile.option("ncci_bypass", "manual") == "ioce":
        return bool(m1 or m2)
    if ctx.setting == "practitioner" and ctx.profile.option("screening_modifiers") and \
            (diag := _diagnostic_mammography(c1, c2)) is not None and "GG" in diag.modifiers:
        return True
    if is_em_or_eye_exam(c2.code):
        return bool(EM_MODIFIERS.intersection(c2.modifiers)) or (
            c1.code in CRITICAL_CARE and "25" in c1.modifiers and is_em(c2.code))
    if m1:
        m1 = m1.difference([m for m, _ in unplaced(ctx, c1)])
    if m2:
        m2 = m2.difference([m for m, _ in unplaced(ctx, c2)])
    if (m1 | m2) - ANATOMIC_NCCI:
        return True  # 59, X{EPSU}, 91, a global-surgery modifier...
    return bool(m1 ^ m2)  # anatomic modifiers only: a site one line names, the other not


#: The modifiers of a service distinct from the others of its date (CPT modifier 59 and
#: its HCPCS subsets XE, XP, XS, XU): for "procedures/services, other than E/M services".
DISTINCT_MODIFIERS = frozenset({"59", "XE", "XP", "XS", "XU"})
#: The NCCI-associated modifiers of an E/M service (CPT Appendix A): 24 (unrelated E/M in
#: a postoperative period), 25 (significant, separately identifiable E/M), 57 (decision
#: for surgery); and 27, the outpatient hospital's multiple E/M encounters of one date.
EM_ONLY_MODIFIERS = frozenset({"24", "25", "27", "57"})


def unplaced(ctx: ClaimContext, ln: LineInfo) -> tuple[tuple[str, str], ...]:
    """The NCCI-associated modifiers of line ``ln`` that bypass no PTP edit under the NCCI
    manual's bypass (``ncci_bypass="manual"``), each with why: a modifier Medicare allows
    on one kind of code only, on another. The NCCI Policy Manual (ch.I §E) lets a modifier
    bypass an edit only "if the Medicare restrictions are fulfilled": 24, 25 and 57 are E/M
    modifiers (on an E/M or an eye examination, CPT E/M or 92002-92014, as
    ``MOD_INVALID`` places 25 and 57: :data:`codekit.modifiers.PLACEMENT`); 27 is the
    outpatient hospital's (multiple E/M encounters of one date), never a practitioner's;
    91 is a repeated clinical laboratory test's; 59 and X{EPSU} mark a service "other than
    E/M services" distinct (CPT modifier 59; MLN SE0715), so not on an E/M, a telemedicine
    visit (98000-98015: 98005-59 beside 96127 stays an edit) or an eye examination
    (:func:`codekit.procedure.is_em_or_eye_exam`, as :func:`bypassed` judges an E/M in
    column 2). A HCPCS Level II code is not judged for 24, 25, 57 and 91 (G0463-25 is
    the hospital's visit), as ``MOD_INVALID`` does not judge it. ``11042`` + ``97597-25``,
    ``99291-59`` + ``36415`` stay edits; ``36415-59`` bypasses."""
    out: list[tuple[str, str]] = []
    code = ln.code or ""
    cpt = ln.entry.system == "cpt"
    for m in ln.modifiers:
        if m in DISTINCT_MODIFIERS:
            if is_em_or_eye_exam(code):
                out.append((m, f"{m} marks a distinct service other than an E/M (CPT "
                               "modifier 59, of which XE, XP, XS and XU are subsets), never "
                               "a visit"))
        elif m in EM_ONLY_MODIFIERS:
            if m == "27" and ctx.setting != "hospital":
                out.append((m, "27 is the outpatient hospital's modifier (multiple E/M "
                               "encounters of one date), not a practitioner's"))
            elif cpt and not _PLACED_EM.takes(ln.entry.section, code):
                out.append((m, f"{m} is an E/M modifier, not {code}'s"))
        elif m == "91" and cpt and not _PLACED_LAB.takes(ln.entry.section, code):
            out.append((m, f"91 is a repeated clinical laboratory test's modifier, not "
                           f"{code}'s"))
    return tuple(out)


_PLACED_EM = _modifiers.PLACEMENT["25"]
_PLACED_LAB = _modifiers.PLACEMENT["91"]


#: A critical access hospital's type of bill (its first two digits). Under the optional
#: method (Method II) the CAH bills its practitioners' professional services on its own
#: claim, under revenue codes 0960-0989, beside the facility's lines for the same visit
#: (Claims Processing Manual ch.4 §250.2).
CAH_BILL = "85"


def one_biller(ctx: ClaimContext, a: LineInfo, b: LineInfo) -> bool:
    """Whether lines ``a`` and ``b`` are billed alike for the NCCI edits: on a critical
    access hospital's claim (type of bill 85x) a line under a professional-fee revenue
    code (0960-0989: a practitioner's service under the optional method) and a facility
    line are two bills, the practitioner's and the facility's, so a PTP pair between
    them is no PTP edit, nor does one line's code stand as the other's add-on primary.
    The CMS I/OCE pairs on 85x only lines of one kind (pyoce ``NcciLogic``
    ``_eligible_for_edit``, ``AddonType1And3Pair85xLogic``, ``AddonDrugPairLogic``:
    ``is_professional_service`` of both lines equal). True on every other claim."""
    return bill_class(ctx.claim.bill_type) != CAH_BILL or \
        professional_revenue(a) == professional_revenue(b)


def by_provider(ctx: ClaimContext, lines: list[LineInfo]) -> list[list[LineInfo]]:
    """The lines ``lines`` of one date split by the provider who rendered them
    (:meth:`codekit.claims.Claim.provider_of`: the line's own 2420A NPI, else the
    claim's), in the order each first appears, on a practitioner's claim: NCCI PTP edits
    pair, and MUEs count the units of, the services "of the same provider for the same
    beneficiary on the same date of service" (NCCI Policy Manual ch.I; CMS's PTP and MUE
    pages), an add-on code is paid beside a primary "to the same practitioner" (CMS's
    add-on code edits; APCM's add-ons beside the month's APCM code, given the claim's
    lines), and a group's claim may bill several of its practitioners' services. One
    group, ``[lines]``, on any other claim (the outpatient hospital's lines are all the
    facility's, the DME supplier's the supplier's) or where no line names a provider of
    its own. Asked only of the lines an edit judges (a PTP pair that fires, a date's
    units over an MUE, a date with an add-on code), never of every claim."""
    if ctx.setting != "practitioner":
        return [lines]
    for ln in lines:  # (a loop: all() of a generator cost the PTP days more)
        if ln.line.rendering_provider is not None:
            break
    else:
        return [lines]
    claim = ctx.claim
    groups: dict[str | None, list[LineInfo]] = {}
    for ln in lines:
        groups.setdefault(claim.provider_of(ln.line), []).append(ln)
    return list(groups.values())


# -- I/OCE edit 21: a medical visit on the day of a significant procedure, without 25 -------

#: The statuses of edit 21's procedures (pyoce ``SameDayEandMSurgeryLogic``): a
#: significant procedure (S) and one the multiple procedure reduction applies to (T).
SURGERY_STATUSES = frozenset({"S", "T"})
#: The conditionally packaged visits (status indicator J2) the I/OCE pays as medical
#: visits (V) outside a comprehensive observation stay: the emergency department visits,
#: type A and B, and the hospital clinic visit. The other J2 codes are not visits there:
#: critical care (99291) is paid as S, G0379 (direct referral) goes with observation.
J2_VISITS = frozenset({"99281", "99282", "99283", "99284", "99285", "G0380", "G0381",
                       "G0382", "G0383", "G0384", "G0463"})
#: The direct referral for observation (J2): on a critical access hospital's claim, where
#: every J2 code is a visit for edit 21, the I/OCE packages it (N) on a day without
#: hourly observation (G0378; edit 58) or with a T or V line it keeps (pyoce
#: ``DirectAdmissionRequiresObservationLogic``): it is a visit only on the other days.
DIRECT_REFERRAL = "G0379"
#: The modifier that marks a visit significant and separately identifiable.
SEPARATE_VISIT = "25"


def _ptp_rejected(ctx: ClaimContext) -> set[int] | None:
    """The indexes of the valid lines the I/OCE rejects as the column-2 code of an NCCI
    PTP pair on their date (indicator 0; indicator 1 without a bypassing modifier), as
    :func:`ptp_conflict` finds them, or for their revenue code (one Medicare does not
    recognize, edit 65, a line rejection; not one the I/OCE does not know, edit 41, which
    returns the claim and leaves the line in its later edits); None when a date has no
    PTP table."""
    out = {ln.index for ln, _written, _malformed, entry in revenue_lines(ctx)
           if entry is not None and entry.not_recognized}
    for day, ptp, missing, lines in ctx.tables_on("ptp"):
        if len(lines) < 2:
            continue
        if missing is not None or ptp is None:
            return None
        found = ptp.among([ln.code for ln in lines], on=day)
        if not found:
            continue
        pairs = {(e.column_1, e.column_2): e for e in found}
        for c1 in lines:
            for c2 in lines:
                edit = pairs.get((c1.code, c2.code)) if c1 is not c2 else None
                if edit is not None and ptp_holds(ctx, edit, c1, c2):
                    out.add(c2.index)
    return out


def ptp_holds(ctx: ClaimContext, edit: Any, c1: LineInfo, c2: LineInfo) -> bool:
    """Whether the PTP ``edit`` that lines ``c1`` (column 1) and ``c2`` (column 2) form
    holds: not indicator 9, the lines of one biller (not a critical access hospital's
    facility line beside its practitioner's), and indicator 0, or 1 without a bypassing
    modifier. What :func:`ptp_conflict` reports and :func:`_ptp_rejected` leaves out of
    edit 21 (asked only of a pair the table has: the usual pair has none)."""
    return edit.modifier_indicator != 9 and one_biller(ctx, c1, c2) and not (
        edit.modifier_indicator == 1 and bypassed(ctx, c1, c2))


def _paid_as_therapy(ln: LineInfo) -> bool:
    """Whether the I/OCE pays line ``ln`` as therapy (status A) rather than by its OPPS
    status: a "sometimes therapy" code it flags (:data:`codekit.procedure.
    IOCE_CONDITIONAL_THERAPY`) under a therapy revenue code (042x-044x) or with GN, GO or
    GP (pyoce ``SometimesTherapyLogic``, on the 12x and 13x paths)."""
    if ln.code not in IOCE_CONDITIONAL_THERAPY:
        return False
    rev = (ln.line.revenue_code or "").strip().zfill(4)[:3]
    return rev in THERAPY_REVENUE or not THERAPY_MODIFIERS.isdisjoint(ln.modifiers)


@rule("VISIT_SAME_DAY_PROCEDURE_NO_MOD25", "E", "error",
      "I/OCE edit 21 (medical visit on same day as a type T or S procedure without "
      "modifier 25)", needs=("ptp",), when=["lines-several"], options=["ioce"])
def visit_same_day_procedure(ctx: ClaimContext) -> Iterable[Hit]:
    """A medical visit (status indicator V; or J2 and one of :data:`J2_VISITS`, which the
    I/OCE pays as V) without modifier 25 on the date of a procedure of status S or T (the
    I/OCE quarter of the line's date): the I/OCE returns the claim (edit 21; pyoce's
    ``SameDayEandMSurgeryLogic`` on the statuses it has assigned). Decided only where
    codekit knows those statuses: not on a claim with a comprehensive procedure (J1: the
    visit is packaged, N) or an inpatient-only one (C: the lines of its day are denied),
    nor on one with hourly observation (G0378) and no status T line (the visit may be
    part of a comprehensive observation stay; a T line on the claim rules that stay out);
    a line the I/OCE rejects as the column-2 code of an NCCI pair (``NCCI_PTP_CONFLICT``
    says so), for its revenue code (edit 65; not edit 41, which returns the claim and
    keeps the line) or as a trauma response without critical care
    (``TRAUMA_RESPONSE_WITHOUT_CRITICAL_CARE``, edit 76) or an add-on code without its
    primary (``ADDON_WITHOUT_PRIMARY``, edits 106-108, 115) is left out, as the I/OCE
    leaves it out, and so is a line of an inherently bilateral code the I/OCE rejects
    (``BILATERAL_REPEATED``, edit 17), and a "sometimes therapy" procedure billed as
    therapy (:func:`_paid_as_therapy`: paid as A); a Q1-Q3 code the I/OCE may pay
    as S or T, or critical care (99291, paid as S), is not counted as the procedure: no
    finding there, never a wrong one; nor on a claim with a Q2 code and no status T line
    the I/OCE keeps (it packages Q2 codes claim-wide beside a T line, ``ConditionalClaim
    Logic``, and otherwise pays them on their own, where the APC may be a comprehensive
    one, J1, which packages the visit: 75716, 64584). Under a profile with the option
    ``ioce`` (``medicare-outpatient``), on OPPS claims of 13x without condition code 41,
    89 or 92 and of 12x with condition code W2; and on a critical access hospital's claim
    (85x) without condition code 89, where the I/OCE's path (``SameDayEandMSurgery85x
    Logic``) assigns no APC: the statuses are the table's, every J2 code is a visit (the
    direct referral, :data:`DIRECT_REFERRAL`, only where the I/OCE does not package it),
    and J1, C, Q2 and observation change nothing."""
    cah = bill_class(ctx.claim.bill_type) == CAH_BILL
    surgery: dict[dt.date, list[LineInfo]] = {}
    visits = []
    t_packaged: list[LineInfo] = []
    for ln in ctx.valid_lines:
        si = ln.entry.status_indicator
        if si in SURGERY_STATUSES:
            if cah or not _paid_as_therapy(ln):
                surgery.setdefault(ln.day, []).append(ln)
        elif (si == "V" or (si == "J2" and (cah or ln.code in J2_VISITS))) and \
                SEPARATE_VISIT not in ln.modifiers:
            visits.append(ln)
        elif cah:
            continue
        elif si == "J1" or si == "C":
            return ()
        elif si == "Q2":
            t_packaged.append(ln)
    visits = [v for v in visits if v.day in surgery]
    if not visits or not ioce_runs(ctx, 21):
        return ()
    rejected = _ptp_rejected(ctx)
    if rejected is None:
        return ()
    rejected.update(trauma_rejected(ctx))
    rejected.update(int(h.location[1]) for h in _ioce_addons(ctx) if isinstance(h, Hit))
    from .modifier_edits import bilateral_rejected  # it imports this module

    rejected.update(bilateral_rejected(ctx))
    if not cah:
        paid_t = any(ln.entry.status_indicator == "T" and ln.index not in rejected
                     for procs in surgery.values() for ln in procs)
        if not paid_t and (t_packaged or any(
                "observation_hourly" in f for _, f in companion_lines(ctx))):
            return ()  # a Q2 code paid on its own (its APC may be comprehensive, J1), or
            # a comprehensive observation stay that may package the visit
    elif any(v.code == DIRECT_REFERRAL for v in visits):
        hourly = {ln.day for ln, f in companion_lines(ctx) if "observation_hourly" in f}
        kept = {ln.day for ln in ctx.valid_lines if ln.index not in rejected and
                ln.code != DIRECT_REFERRAL and ln.entry.status_indicator in ("T", "V")}
        visits = [v for v in visits if v.code != DIRECT_REFERRAL or
                  (v.day in hourly and v.day not in kept)]
    out = []
    paid = ", a visit on a critical access hospital's claim" if cah else ", paid as V"
    for v in visits:
        procs = [p for p in surgery[v.day] if p.index not in rejected]
        if v.index in rejected or not procs:
            continue
        proc, si = procs[0], v.entry.status_indicator
        out.append(Hit(
            f"Line {v.line.line}: {v.code} is a medical visit (status indicator {si}"
            f"{paid if si == 'J2' else ''}) on {v.day}, the day of {proc.code} "
            f"(line {proc.line.line}, status indicator {proc.entry.status_indicator}), "
            "without modifier 25 (I/OCE edit 21, the claim is returned): append 25 if the "
            "visit was significant and separately identifiable from the procedure; "
            "otherwise remove the visit line (it is part of the procedure).",
            ("service_lines", v.index, "modifiers"), (v.code or "", proc.code or ""),
            (SEPARATE_VISIT,)))
    return out


#: Visits that are not in :data:`codekit.procedure.EM_RANGES` but pair with an E/M the
#: same way (the initial preventive physical examination, the annual wellness visits).
VISIT_CODES = frozenset({"G0402", "G0438", "G0439"})
#: Critical care (first hour, each further half hour): on a practitioner's claim an E/M
#: visit of the same date is paid beside it only when it came first, while the patient
#: did not need critical care, with 25 on the visit (Claims Processing Manual ch.12
#: §30.6.12; the CY 2022 PFS final rule). Before 2022 an emergency department visit was
#: not paid on the date of critical care by the same physician at all (ch.12 §30.6.9.A as
#: then in force).
CRITICAL_CARE = frozenset({"99291", "99292"})
CRITICAL_CARE_WITH_ED_FROM = dt.date(2022, 1, 1)
ED_VISITS = ("99281", "99285")
#: Medicare preventive screening and counseling services (NCDs 210.8, 210.9, 210.12) that
#: NCCI bundles into an E/M (E/M in column 1, indicator 1), each with its kind. Billed
#: beside a problem-oriented visit, it is the E/M that is marked separate, with 25 (CPT
#: modifier 25: an E/M separate from another service of its date; Medicare contractors'
#: instructions for these services); 59 or XU on the screening code bypasses the edit too,
#: and is the one an audit questions.
EM_SCREENING: dict[str, str] = {
    "G0442": "annual alcohol misuse screening",
    "G0443": "brief counseling for alcohol misuse",
    "G0444": "annual depression screening",
    "G0447": "behavioral counseling for obesity",
}
#: Screening services NCCI bundles into an E/M (E/M in column 1, indicator 1) beside which
#: a problem-oriented E/M that was significant and separate is the service marked, with
#: 25: the Medicare preventive services of :data:`EM_SCREENING`, and the vision screening
#: 99173. Not every column-2 code of an E/M: what critical care or a facility visit
#: includes by definition (36415, 71045, 93040 beside 99291; 96372 beside 99223) is not
#: a separate service that 25 on the E/M could mark, and keeps the generic advice (59 or
#: X{EPSU} on it only when it was distinct: done at another time or encounter).
EM_SEPARATE = frozenset({*EM_SCREENING, "99173"})
#: Initial hospital inpatient or observation care, and the same-day admission and
#: discharge codes (CPT 2023 on): an E/M of the same day that led to the admission is
#: part of them (Claims Processing Manual ch.12 §30.6.9.1.C).
#: The hospital outpatient clinic visit (OPPS pays clinic visits with G0463 since the CY
#: 2014 OPPS final rule): beside a CPT E/M it is the same visit billed twice (the E/M has
#: status B on an OPPS claim, ``PROC_NOT_RECOGNIZED_BY_OPPS``), not a procedure that
#: includes a separate E/M.
HOSPITAL_VISIT_CODES = frozenset({"G0463"})
INITIAL_CARE = (("99221", "99223"), ("99234", "99236"))
#: The wound repair (closure) codes by classification and anatomic group, each group's
#: codes reporting the summed length of its wounds: "When multiple wounds are repaired,
#: add together the lengths of those in the same classification ... and from all anatomic
#: sites that are grouped together into the same code descriptor" (CPT repair guidelines).
#: Simple 12001-12007, 12011-12018; intermediate 12031-12037, 12041-12047, 12051-12057;
#: complex 13100-13102, 13120-13122, 13131-13133, 13151-13153 (the last of each complex
#: group is the add-on of each further length, billed in units: not judged here).
REPAIR_GROUPS: tuple[tuple[int, int], ...] = (
    (12001, 12007), (12011, 12018), (12031, 12037), (12041, 12047), (12051, 12057),
    (13100, 13101), (13120, 13121), (13131, 13132), (13151, 13152))


def repair_group(code: str | None) -> tuple[int, int] | None:
    """The :data:`REPAIR_GROUPS` range ``code`` (a CPT code) is in, or None (the complex
    repairs' add-ons 13102, 13122, 13133, 13153 too).

    >>> repair_group("12002"), repair_group("12032"), repair_group("13133")
    ((12001, 12007), (12031, 12037), None)
    """
    return _REPAIR_OF.get(code) if code is not None else None


#: code -> its :data:`REPAIR_GROUPS` range (one dictionary read a pair or a line).
_REPAIR_OF: dict[str, tuple[int, int]] = {
    str(n): (a, b) for a, b in REPAIR_GROUPS for n in range(a, b + 1)}


def _summed_repairs(group: tuple[int, int], numbers: Iterable[int]) -> str:
    """What to tell of lines ``numbers`` of one repair group on one date: one code of the
    summed length, not a line or a unit removed."""
    listed = sorted(set(numbers))
    which = (f"lines {', '.join(map(str, listed[:-1]))} and {listed[-1]}" if len(listed) > 1
             else f"line {listed[0]}")
    return (f"repairs of one classification and anatomic group ({group[0]}-{group[1]}) are "
            "reported once, with the code of the wounds' summed length (CPT repair "
            f"guidelines, multiple wounds): add the lengths repaired on {which} and bill the "
            "code of the total, 1 unit, on one line (not a line or a unit less: the total "
            "may be another code's length)")


def _same_kind(c1: str | None, c2: str | None) -> tuple[int, int] | None:
    """The range of :data:`codekit.procedure.EM_VISIT_KINDS` (office or other outpatient
    99202-99215, hospital 99221-99239, emergency department 99281-99285...) that holds both
    E/M codes: two visits of one kind, which one provider reports as one E/M; None when
    they are of different kinds (a preventive or annual wellness visit beside a problem
    visit: two services, the second with 25)."""
    if not (c1 and c2 and c1.isdigit() and c2.isdigit()):
        return None
    a, b = int(c1), int(c2)
    return next(((lo, hi) for lo, hi in EM_VISIT_KINDS if lo <= a <= hi and lo <= b <= hi),
                None)


#: What a second visit of the same kind may be billed apart for, by kind (a range of
#: :data:`codekit.procedure.EM_VISIT_KINDS`); the others: §30.6.5's unrelated problems.
_APART = {
    (99202, 99215): "visits for unrelated problems that could not be handled at the same "
                    "encounter are billed apart (§30.6.7.B), with 25 on {c2}",
    (99221, 99239): "one hospital visit a day is paid, whether the problems are related or "
                    "not (§30.6.9)",
}


#: The initial drug administration services, each with its kind, its rank in the
#: hospital hierarchy (Claims Processing Manual ch.4 §230.2: chemotherapy infusion, then
#: chemotherapy push, infusion, push, hydration) and the code it becomes when it is not
#: the initial service of the encounter (its sequential or subsequent add-on).
INITIAL_ADMIN: dict[str, tuple[str, int, str]] = {
    "96413": ("chemotherapy infusion", 1, "96417"),
    "96409": ("chemotherapy push", 2, "96411"),
    "96365": ("infusion", 3, "96367"),
    "96374": ("push", 4, "96375"),
    "96360": ("hydration", 5, "96361"),
}


#: PTP pairs (column 1, column 2) of two services one code reports when they are done at
#: one site at one encounter: that code, what it reports, and its first day. A diagnostic
#: bone marrow biopsy (38221) and aspiration (38220) on the same iliac bone at one encounter
#: are 38222 (CPT 2018), and modifier 59 is not used on them; 59 or XS only when they were
#: done at separate anatomic sites (contralateral iliac bones) or encounters (NCCI Policy
#: Manual ch.V).
COMBINED: dict[tuple[str, str], tuple[str, str, dt.date]] = {
    ("38221", "38220"): ("38222", "a bone marrow biopsy and aspiration",
                         dt.date(2018, 1, 1)),
}


def _combined(c1: LineInfo, c2: LineInfo, code: str, what: str) -> str:
    """The advice of a :data:`COMBINED` pair: the one code for both at one site, a
    modifier only at separate sites or encounters."""
    return (f"{c1.code} and {c2.code} done at one site at one encounter are reported as "
            f"{code} ({what}) in place of both lines, without 59 (NCCI Policy Manual ch.V); "
            f"59 or XS on {c2.code} only if they were done at separate anatomic sites "
            f"(contralateral iliac bones) or at separate encounters")


def _one_initial_service(ctx: ClaimContext, c1: LineInfo, c2: LineInfo
                         ) -> tuple[str, tuple[str, ...]]:
    """The advice and fix of a PTP pair of two initial drug administration services: one
    initial service an encounter (NCCI Policy Manual ch.XI), the other reported as its
    sequential or subsequent code; on a hospital claim the initial one is the higher in
    the hierarchy, on a practitioner's the reason for the encounter."""
    k1, r1, _ = INITIAL_ADMIN[c1.code or ""]
    k2, r2, seq2 = INITIAL_ADMIN[c2.code or ""]
    sites = f"; 59 or XU on {c2.code} only if a second IV site was medically necessary"
    if ctx.setting == "hospital":
        hi, lo = (c1, c2) if r1 <= r2 else (c2, c1)
        kind_lo, _, seq = INITIAL_ADMIN[lo.code or ""]
        kind_hi = INITIAL_ADMIN[hi.code or ""][0]
        how = (f"one initial drug administration service is reported per encounter, for a "
               f"hospital the highest in CPT's facility hierarchy (Claims Processing "
               f"Manual ch.4 §230.2): keep {hi.code} ({kind_hi}) as the initial "
               f"service and report line {lo.line.line}'s {kind_lo} as {seq} instead of "
               f"{lo.code}{sites}")
        return how, (seq,) if lo is c2 else ()
    how = (f"one initial drug administration service is reported per encounter (NCCI Policy "
           f"Manual ch.XI): {c1.code} ({k1}) or {c2.code} ({k2}), whichever was the reason "
           f"for the encounter, and the other as its sequential or subsequent code ({seq2} "
           f"for {c2.code}){sites}")
    return how, (seq2,)


def _lab(code: str | None) -> bool:
    """A CPT pathology and laboratory code (80047-89398)."""
    return code is not None and len(code) == 5 and code.isdigit() and \
        "80047" <= code <= "89398"


def _panel(code: str | None) -> bool:
    """A CPT organ or disease oriented panel (80047-80081)."""
    return code is not None and len(code) == 5 and "80047" <= code <= "80081"


def _in_panel(panel: str, code: str) -> bool:
    """Whether ``code`` is a test of the CPT ``panel`` (:data:`codekit.procedure.LAB_PANELS`),
    or a panel whose tests all are.

    >>> _in_panel("80053", "82947"), _in_panel("80053", "80048"), _in_panel("80053", "80047")
    (True, True, False)
    >>> _in_panel("80061", "83721")
    False
    """
    tests = LAB_PANELS.get(panel, frozenset())
    return code in tests or (code in LAB_PANELS and LAB_PANELS[code] <= tests)


#: A direct LDL measurement (83721) beside the lipid panel (80061), whose LDL is
#: calculated: Medicare pays both only when the triglycerides were too high for the
#: calculation (NCD 190.23, Lipid Testing).
DIRECT_LDL = ("80061", "83721")


def _panel_advice(c1: LineInfo, c2: LineInfo) -> tuple[str, tuple[str, ...]]:
    """The advice and fix of a PTP pair of a panel (column 1, ``c1``) and a laboratory test
    (column 2, ``c2``): one of the panel's tests is unbundled (remove it; 59 or XU for a
    separate specimen, 91 for a later repeat); of two panels sharing tests, the tests of the
    second that the first lacks are reported in its place (80053 + 80047: 82330, the
    ``fix``); a direct LDL beside the lipid panel is paid with high triglycerides only;
    another test is billed apart only for its own reason."""
    if _in_panel(c1.code or "", c2.code or ""):
        return (f"the panel {c1.code} includes {c2.code} (NCCI Policy Manual ch.X): remove "
                f"{c2.code}; 59 or XU only if it was tested on a separate specimen, 91 only "
                "if it was repeated later that day for a subsequent result (not to confirm a "
                "result, nor after a specimen or equipment problem: CPT modifier 91)",
                ("59", "XU", "91"))
    first, second = LAB_PANELS.get(c1.code or ""), LAB_PANELS.get(c2.code or "")
    if first is not None and second is not None and first & second:
        others = tuple(sorted(second - first))
        return (f"two panels that share tests are not both reported for one specimen "
                f"(CPT's panel guidelines; NCCI Policy Manual ch.X): keep {c1.code} and "
                f"report the tests of {c2.code} it lacks ({', '.join(others)}) on lines of "
                f"their own in place of {c2.code}; 59 or XU only if {c2.code} was tested on "
                "a separate specimen", others)
    if (c1.code, c2.code) == DIRECT_LDL:
        return ("83721 (LDL measured directly) is not a test of the lipid panel 80061, "
                "whose LDL is calculated: Medicare pays both on one date only when the "
                "triglycerides were too high for the calculation (NCD 190.23, Lipid "
                "Testing; NCCI Policy Manual ch.X): then append 59 or XU to 83721, "
                "otherwise remove it", ("59", "XU"))
    return (f"{c2.code} is not one of the panel's tests, but the edit bundles it with "
            f"{c1.code}: append 59 or XU to {c2.code} only if it was a distinct test (its "
            "own order and medical necessity, or a separate specimen), otherwise remove it",
            ("59", "XU"))


def _initial_care(code: str | None) -> bool:
    """``code`` is an initial hospital or observation care code (:data:`INITIAL_CARE`)."""
    return code is not None and any(lo <= code <= hi for lo, hi in INITIAL_CARE)


def _same_site(c1: LineInfo, c2: LineInfo) -> tuple[str, ...]:
    """The NCCI-associated anatomic modifiers both lines carry (sorted)."""
    return tuple(sorted(ANATOMIC_NCCI.intersection(c1.modifiers)
                        .intersection(c2.modifiers)))


@rule("NCCI_PTP_CONFLICT", "G", "error",
      "NCCI Policy Manual ch.I; CMS NCCI PTP files (practitioner / hospital outpatient)",
      needs=("ptp",), when=["lines-several"])
def ptp_conflict(ctx: ClaimContext) -> Iterable[Hit | NotRun]:
    """Two codes on the same date form a column 1 / column 2 pair of the NCCI PTP table of
    the claim's setting (indicator 0 always; indicator 1 unless an NCCI-associated modifier
    is on either line, as the CMS I/OCE does; indicator 9 never). Not on a claim no CMS
    editor takes (:data:`NO_CMS_EDITOR`: its tables say nothing)."""
    tables = ctx.tables
    if type(tables) is NcciOffTables:  # no PTP table on any date: not run where two lines
        return tables.not_run if most_lines_on_a_day(ctx) > 1 else ()  # share one
    return _ptp_conflict(ctx)


def _ptp_conflict(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """:func:`ptp_conflict` with the profile's tables."""
    for day, ptp, missing, day_lines in ctx.tables_on("ptp"):
        if len(day_lines) < 2:
            continue
        if missing is not None:
            yield missing
            continue
        # the edits among the date's codes in one call (none: the usual case)
        found = ptp.among([ln.code for ln in day_lines], on=day)
        if not found:
            continue
        pairs = {(e.column_1, e.column_2): e for e in found}
        fired: set[tuple[int, str | None]] = set()
        for lines in by_provider(ctx, day_lines):  # one provider's lines (most often all)
            addons: list[LineInfo] | None = None  # their type-1 add-on lines, when asked
            for c1 in lines:
                for c2 in lines:
                    if c1 is c2 or (c2.index, c1.code) in fired:
                        continue
                    edit = pairs.get((c1.code, c2.code))
                    if edit is None or not ptp_holds(ctx, edit, c1, c2):
                        continue
                    if _primary_bundles(ctx, c1, c2, lines, pairs) is not None:
                        continue  # the finding of its primary code's line says it
                    # a column-2 line is bundled once into a code, however many lines bill it
                    fired.add((c2.index, c1.code))
                    note = _unplaced_note(ctx, c1, c2) if edit.modifier_indicator == 1 and \
                        (c1.modifiers or c2.modifiers) else ""
                    fix: tuple[str, ...] = ()
                    if edit.modifier_indicator == 0 and c1.code in PSYCHOTHERAPY_ADDON and \
                            is_em(c2.code) and ctx.setting != "hospital":
                        got = _psychotherapy_beside_em(ctx, c1, c2)
                        if got is not None:  # the E/M takes the add-on: at the psychotherapy
                            yield got
                            continue
                    if edit.modifier_indicator == 0 and \
                            (group := repair_group(c1.code)) is not None and \
                            group == repair_group(c2.code):
                        how = _summed_repairs(group, (c1.line.line, c2.line.line))
                    elif edit.modifier_indicator == 0:
                        how = "no modifier bypasses it: remove the column-2 code"
                    elif is_em(c2.code) and _initial_care(c1.code):
                        how = (f"an E/M on the day of an admission that it led to is part of "
                               f"the initial hospital or observation care ({c1.code}; Claims "
                               "Processing Manual ch.12 §30.6.9.1.C): report the day's work in "
                               f"{c1.code} and remove {c2.code}")
                    elif is_em(c2.code) and c1.code in HOSPITAL_VISIT_CODES:
                        how = (f"{c1.code} is the hospital outpatient clinic visit and "
                               f"{c2.code} the same visit billed again: report it once, as "
                               f"{c1.code} (OPPS pays clinic visits with it since 2014), and "
                               f"remove line {c2.line.line}")
                    elif is_em(c2.code) and (kind := _same_kind(c1.code, c2.code)):
                        one = (f"{c1.code} and {c2.code} are visits of one kind ({kind[0]}-"
                               f"{kind[1]}) on one date: ")
                        if ctx.setting == "hospital":
                            # the facility's visits: 27, not the physician's 25 or §30.6.5
                            how = (one + "report them as one visit (remove line "
                                   f"{c2.line.line}), or, if they were distinct encounters, "
                                   f"append 27 to {c2.code} (multiple outpatient hospital E/M "
                                   "encounters on the same date)")
                        else:
                            apart = _APART.get(kind, "visits for unrelated problems are billed "
                                                     "apart (§30.6.5), with 25 on {c2}")
                            how = (one + "one provider reports them as one E/M at the level of "
                                   "the combined visits (Claims Processing Manual ch.12 "
                                   f"§30.6.5): remove line {c2.line.line} and report the day's "
                                   f"work on one line; {apart.format(c2=c2.code)}")
                    elif is_em(c2.code) and c1.code in CRITICAL_CARE and \
                            ctx.setting != "hospital":
                        how, fix = _visit_beside_critical_care(c1, c2)
                    elif is_em(c2.code) and (is_em(c1.code) or c1.code in VISIT_CODES):
                        how = (f"two E/M visits of one provider on one date are billed as one: "
                               f"report one E/M for the day's work, or append 25 to {c2.code} "
                               "only if it was significant and separately identifiable (a "
                               "problem-oriented visit beside a preventive or annual wellness "
                               "visit, or an unrelated problem that could not be handled at the "
                               "same encounter: Claims Processing Manual ch.12 §30.6.7.B); 57 "
                               "is for the decision for a major surgery")
                        fix = ("25",)
                    elif _visit_beside_procedure(c1, c2) and c1.entry.global_days == "090":
                        how = (f"append 57 to {c2.code} if it was the decision for this major "
                               f"surgery ({c1.code}: 90 global days), otherwise remove it")
                        fix = ("57",)
                    elif _visit_beside_procedure(c1, c2):
                        how = (f"if the E/M was significant and separately identifiable append "
                               f"25 to {c2.code} (minor procedure, 0 or 10 global days), or 57 "
                               "if it was the decision for a major surgery (90 global days)")
                        fix = ("25", "57")
                    elif is_em(c1.code) and c2.code in EM_SEPARATE and \
                            ctx.setting != "hospital":
                        # a screening an E/M includes: the E/M takes the modifier (25), so the
                        # finding is at its modifiers
                        yield _service_beside_em(ctx, c1, c2, edit.modifier_indicator, note)
                        continue
                    elif c2.code in HOSPITAL_VISIT_CODES and not is_em(c1.code) and \
                            c1.code not in HOSPITAL_VISIT_CODES:
                        # the hospital's clinic visit beside a procedure: 25 marks it separate
                        how = (f"a clinic visit on the day of a procedure is billed apart only "
                               "if it was significant and separately identifiable: then append "
                               f"25 to {c2.code} (the I/OCE also returns a visit without 25 on "
                               "the day of a surgical or significant procedure, edit 21), "
                               "otherwise remove it; 59 and X{EPSU} do not mark a visit "
                               "separate (NCCI Policy Manual ch.I §E)")
                        fix = ("25",)
                    elif c1.code in INITIAL_ADMIN and c2.code in INITIAL_ADMIN:
                        how, fix = _one_initial_service(ctx, c1, c2)
                    elif (joint := COMBINED.get((c1.code or "", c2.code or ""))) is not None \
                            and c2.day >= joint[2]:
                        how, fix = _combined(c1, c2, joint[0], joint[1]), (joint[0],)
                    elif ctx.setting == "practitioner" and \
                            ctx.profile.option("screening_modifiers") and \
                            (diag := _diagnostic_mammography(c1, c2)) is not None:
                        how = _screening_turned_diagnostic(diag)
                    elif _panel(c1.code) and _lab(c2.code):
                        how, fix = _panel_advice(c1, c2)
                    else:
                        how = ("append an NCCI-associated modifier (59, XS/XE/XP/XU, anatomic...) "
                               f"to {c2.code} only if the services were distinct")
                        same = _same_site(c1, c2)
                        if same:
                            how += (f"; {'/'.join(same)} on both lines marks the same site and "
                                    "does not bypass the edit")
                        fix = ("59", "XS", "XE", "XP", "XU")
                    also = [a for a in lines if a is not c1 and a is not c2 and
                            _primary_bundles(ctx, a, c2, lines, pairs) is c1]
                    if addons is None:
                        addons = [a for a in lines if a.entry.addon_type == 1] \
                            if ctx.setting == "practitioner" else []
                    rides = _riding_addons(ctx, day, c2, lines, addons) if addons else ""
                    yield Hit(f"Line {c2.line.line}: {c2.code} is bundled into {c1.code} (line "
                              f"{c1.line.line})"
                              + "".join(f" and its add-on code {a.code} (line {a.line.line})"
                                        for a in also)
                              + f" by an NCCI {ctx.setting} PTP edit (column 1 "
                              f"{c1.code}, column 2 {c2.code}, modifier indicator "
                              f"{edit.modifier_indicator}"
                              + "".join(f"; the same for {a.code}" for a in also)
                              + f"): {how}.{note}{rides}",
                              ("service_lines", c2.index, "procedure_code"),
                              (c1.code or "", c2.code or ""), fix)


def _riding_addons(ctx: ClaimContext, day: dt.date, c2: LineInfo, lines: list[LineInfo],
                   addons: list[LineInfo]) -> str:
    """What a practitioner's PTP finding adds about the type-1 add-on lines of its date
    whose only primary there is its column-2 line ``c2``: CMS pays a type-1 add-on code
    only "if one of the listed primary procedure codes is also eligible for payment" (CMS
    Medicare NCCI Add-on Code Edits), so the add-on is denied with ``c2`` (11102 + 17000 +
    17003: 17003 goes with 17000). "" when there is none (the usual case), or on another
    setting's claim (the I/OCE asks for a primary on the claim, not a paid one).
    ``addons``: the date's lines of a type-1 add-on code (asked once a date, on a
    practitioner's claim only)."""
    table, missing = ctx.table_on("addon", day)
    if missing is not None:
        return ""
    rest = [o for o in lines if o is not c2]
    riders = []
    for a in addons:
        if a is c2:
            continue
        edit = _addon(table, a.code, day)
        if edit is not None and edit.type == 1 and c2.code in edit.primaries and \
                _satisfied(a, lines, table, frozenset()) and \
                not _satisfied(a, rest, table, frozenset()):
            riders.append(a)
    return "".join(f" {a.code} (line {a.line.line}), an add-on code with no other primary "
                   f"on its date, is paid only if {c2.code} is (CMS NCCI add-on code edits, "
                   "type 1)." for a in riders)


def _unplaced_note(ctx: ClaimContext, c1: LineInfo, c2: LineInfo) -> str:
    """What a PTP finding of indicator 1 adds about the NCCI-associated modifiers of its
    lines that bypassed nothing for being on a code Medicare does not allow them on
    (:func:`unplaced`; the manual's bypass, column 2 no visit: there only 25 or 57 on the
    visit count, as the message says): "" when there are none (the usual case)."""
    if is_em_or_eye_exam(c2.code) or ctx.profile.option("ncci_bypass", "manual") == "ioce":
        return ""
    parts = [f" {m} on line {ln.line.line} bypasses nothing: {why}."
             for ln in (c1, c2) for m, why in unplaced(ctx, ln)]
    if not parts:
        return ""
    return "".join(parts)[:-1] + (" (NCCI Policy Manual ch.I §E: a modifier bypasses an "
                                  "edit only where Medicare allows it).")


def _visit_beside_procedure(c1: LineInfo, c2: LineInfo) -> bool:
    """Column-2 line ``c2`` is an E/M (:func:`codekit.procedure.is_em`), or a telemedicine
    visit (98000-98015) or an eye examination (92002-92014) in column 2 of a code that is
    no visit (not an E/M, one of those, a preventive visit or the clinic visit G0463): 25
    or 57 on it is the advice. Such a visit beside a visit keeps the generic advice."""
    if is_em(c2.code):
        return True
    return is_em_or_eye_exam(c2.code) and not is_em_or_eye_exam(c1.code) and \
        c1.code not in VISIT_CODES and c1.code not in HOSPITAL_VISIT_CODES


def _primary_bundles(ctx: ClaimContext, c1: LineInfo, c2: LineInfo, lines: list[LineInfo],
                     pairs: dict[tuple[str | None, str | None], Any]) -> LineInfo | None:
    """The line of a primary code of add-on code ``c1`` (a type-1 add-on: 99292, whose
    primary is 99291) on ``c1``'s date when the PTP edits bundle column-2 line ``c2`` into
    it too, with the same modifier indicator; else None. ``c2`` bundled into critical care
    and into its add-on code (99291 and 99292 with 99284) is one problem, with one remedy:
    the primary's finding says it, naming the add-on line, and the add-on's is not
    reported (there were two findings at ``c2``'s code). Asked only of a pair that fires."""
    table, missing = ctx.table_on("addon", c1.day)
    if missing is not None:
        return None
    edit = _addon(table, c1.code, c1.day)
    if edit is None or edit.type != 1:
        return None
    mine = pairs.get((c1.code, c2.code))
    if mine is None:
        return None
    own = mine.modifier_indicator
    for p in lines:
        if p is not c1 and p is not c2 and p.code in edit.primaries and \
                (e := pairs.get((p.code, c2.code))) is not None and \
                e.modifier_indicator == own:
            return p
    return None


def _diagnostic_mammography(c1: LineInfo, c2: LineInfo) -> LineInfo | None:
    """The diagnostic mammography line (77065, 77066) of a PTP pair of it with a screening
    mammography (77067), in either column; None for any other pair."""
    if c1.code in MAMMOGRAPHY_DIAGNOSTIC and c2.code in MAMMOGRAPHY_SCREENING:
        return c1
    if c2.code in MAMMOGRAPHY_DIAGNOSTIC and c1.code in MAMMOGRAPHY_SCREENING:
        return c2
    return None


def _screening_turned_diagnostic(diag: LineInfo) -> str:
    """The advice of a practitioner PTP pair of a screening and a diagnostic mammography
    of one date under a Medicare profile (option ``screening_modifiers``): Medicare pays
    both when the diagnostic one carries GG (Claims Processing Manual ch.18 §20), so GG is
    the advice, never 59 or X{EPSU}, with no ``fix`` (GG goes on the diagnostic line:
    ``MOD_GG_MISSING`` carries it there); with GG the pair is bypassed (:func:`bypassed`).
    On a hospital claim the I/OCE knows no GG, and the generic advice stands (catalog:
    ``MOD_GG_MISSING``)."""
    return (f"a diagnostic mammography that a screening of the same day led to is billed "
            f"with GG on the diagnostic code, for which Medicare pays both (Claims "
            f"Processing Manual ch.18 §20): add GG to {diag.code} on line {diag.line.line} "
            f"(MOD_GG_MISSING)")


def _visit_beside_critical_care(cc: LineInfo, visit: LineInfo) -> tuple[str, tuple[str, ...]]:
    """The advice and fix of an E/M visit bundled into critical care (:data:`CRITICAL_CARE`)
    on a practitioner's claim: 25 when the visit came first, before the patient needed
    critical care, on the critical care line as CMS asks (CY 2022 PFS final rule; Claims
    Processing Manual ch.12 §30.6.12; 25 on the visit bypasses the PTP edit too); before
    2022 an emergency department visit not at all."""
    if visit.day < CRITICAL_CARE_WITH_ED_FROM and \
            ED_VISITS[0] <= (visit.code or "") <= ED_VISITS[1]:
        return (f"before 2022 Medicare paid no emergency department visit on the date of "
                f"critical care by the same physician (Claims Processing Manual ch.12 "
                f"§30.6.9.A as then in force): report the day's work as critical care "
                f"({cc.code}) and remove line {visit.line.line}"), ()
    return (f"an E/M visit and critical care ({cc.code}) on one date are both paid only "
            "when the visit came first, while the patient did not need critical care: "
            f"append 25 to {cc.code} (line {cc.line.line}) if so, as CMS asks of critical "
            "care billed with another E/M of its date (CY 2022 PFS final rule; Claims "
            "Processing Manual ch.12 §30.6.12), otherwise report the day's work as critical "
            f"care and remove line {visit.line.line}"), ("25",)


def _service_beside_em(ctx: ClaimContext, em: LineInfo, other: LineInfo,
                       indicator: int, note: str = "") -> Hit:
    """The finding of a screening service an E/M of its date includes
    (:data:`EM_SEPARATE`: E/M in column 1, indicator 1) on a practitioner's claim: 25 on
    the E/M first, at the E/M's modifiers. 25 is the modifier that says an E/M was
    significant and separate from another service of its date (CPT Appendix A; NCCI Policy
    Manual ch.I §E); 59 or XU on the screening code bypasses the edit too, but 59 and
    X{EPSU} are not the modifiers of a separate E/M, and an audit questions them (99214
    beside the vision screening 99173, or beside G0444). A Medicare preventive screening or
    counseling service (:data:`EM_SCREENING`) is named, as the MACs instruct for it. (A
    hospital claim keeps the generic advice, at the column-2 line, where the I/OCE reports
    it.)"""
    head = (f"Line {em.line.line}: {em.code} includes {other.code} (line {other.line.line}"
            + (f", {EM_SCREENING[other.code or '']}" if other.code in EM_SCREENING else "")
            + f") by an NCCI {ctx.setting} PTP edit (column 1 {em.code}, column 2 "
            f"{other.code}, modifier indicator {indicator}): ")
    if other.code in EM_SCREENING:
        kind = EM_SCREENING[other.code or ""]
        how = (f"if the E/M was a problem-oriented visit significant and separate from the "
               f"{kind}, append 25 to {em.code}, as Medicare contractors instruct for a "
               f"preventive service billed with an E/M (59 or XU on {other.code} bypasses "
               "the edit too, and is the one an audit questions); otherwise bill one of the "
               "two.")
    else:
        how = (f"if the E/M was significant and separately identifiable from {other.code}, "
               f"append 25 to {em.code}, the modifier of an E/M separate from another "
               f"service of its date (59 or XU on {other.code} bypasses the edit too, and is "
               "the one an audit questions: 59 and X{EPSU} do not make an E/M separate); "
               "otherwise bill one of the two.")
    return Hit(head + how + note, ("service_lines", em.index, "modifiers"),
               (em.code or "", other.code or ""), ("25",))


#: The psychotherapy codes reported without an E/M, each with the psychotherapy add-on
#: code of its time reported with an E/M (CPT psychotherapy guidelines: psychotherapy and
#: an E/M by the same provider on one date are the E/M with 90833, 90836 or 90838; the
#: NCCI practitioner table has 90832/90834/90837 with an E/M at indicator 0).
PSYCHOTHERAPY_ADDON: dict[str, str] = {"90832": "90833", "90834": "90836", "90837": "90838"}


def _psychotherapy_beside_em(ctx: ClaimContext, psy: LineInfo, em: LineInfo) -> Hit | None:
    """The finding of a psychotherapy code (:data:`PSYCHOTHERAPY_ADDON`) with an E/M of its
    date (psychotherapy in column 1, the E/M in column 2, indicator 0) on a practitioner's
    claim: the recoding is the E/M with the psychotherapy add-on code, at the
    psychotherapy line, the ``fix`` the add-on codes from the one of its time down (the
    E/M's time does not count toward the psychotherapy's). None when the add-on table
    does not list the E/M as a primary of the add-on (an emergency department visit,
    critical care): the generic advice stands."""
    addon = PSYCHOTHERAPY_ADDON[psy.code or ""]
    table, missing = ctx.table_on("addon", psy.day)
    edit = _addon(table, addon, psy.day) if missing is None else None
    if edit is None or em.code not in edit.primaries:
        return None
    fix = tuple(a for a in ("90838", "90836", "90833") if a <= addon)
    return Hit(f"Line {psy.line.line}: {psy.code} and {em.code} (line {em.line.line}) are "
               f"billed together, which an NCCI {ctx.setting} PTP edit (column 1 "
               f"{psy.code}, column 2 {em.code}, modifier indicator 0) never allows: "
               "psychotherapy on the day of an E/M by the same provider is reported as the "
               "E/M with a psychotherapy add-on code (90833, 90836 or 90838, by the "
               "psychotherapy time, the E/M's time not counted; CPT psychotherapy "
               f"guidelines): report {em.code} with {addon} in place of {psy.code}, or a "
               f"shorter add-on if the psychotherapy time apart from the E/M is shorter; if "
               f"no separate E/M was done, bill {psy.code} alone and remove line "
               f"{em.line.line}.", ("service_lines", psy.index, "procedure_code"),
               (psy.code or "", em.code or ""), fix)


@rule("MUE_EXCEEDED", "G", "error",
      "CMS NCCI MUE files; NCCI Policy Manual ch.I (MAI 1/2/3)", needs=("mue",),
      supersedes=["LINE_DUPLICATE"])
def mue_exceeded(ctx: ClaimContext) -> Iterable[Hit | NotRun]:
    """Units above the MUE of the claim's setting: per line (MAI 1) or summed over the
    date of service (MAI 2/3). Not on a claim no CMS editor takes
    (:data:`NO_CMS_EDITOR`: its tables say nothing)."""
    tables = ctx.tables
    if type(tables) is NcciOffTables:  # no MUE table on any date: not run where a line is
        return tables.not_run if ctx.valid_lines else ()  # valid
    return _mue_exceeded(ctx)


def _mue_exceeded(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """:func:`mue_exceeded` with the profile's tables."""
    for day, mue, missing, lines in ctx.tables_on("mue"):
        if missing is not None:
            yield missing
            continue
        totals: dict[str, Decimal] = {}
        odd = "units-odd" in ctx.features  # a line of units missing or not positive
        get = mue.get
        day_total: dict[str, tuple[Decimal, list[int]]] | None = None
        for ln in lines:
            edit = get(ln.code)
            if edit is None:
                continue
            units = ln.line.units or _ZERO
            if edit.units == 0:
                # no units of the code at all: each line is one to remove, unless GY says
                # the line is billed for the denial (MUE_ZERO_WITH_GY), or the 0 is
                # Medicare's payment policy on another payer's claim
                if units > 0 and "GY" not in ln.modifiers and \
                        not _medicare_policy_only(ctx, ln, edit):
                    yield _none_allowed(ctx, ln, units, edit)
                continue
            if not edit.per_day:
                if units > edit.units:
                    dose = _dose_units(ln, units, edit.units)
                    yield Hit(f"Line {ln.line.line}: {_units(units)} of {ln.code} "
                              f"{_exceed(units)} its MUE of {edit.units} per line (MAI 1): "
                              "split only if the services were separate, otherwise correct "
                              "the units" + (f".{dose}" if dose else
                                             f" (at most {edit.units} on the line)."),
                              ("service_lines", ln.index, "units"), (ln.code or "",),
                              () if dose else (str(edit.units),))
                continue
            if odd and units <= 0:
                continue  # no service (UNITS_INVALID): it gives no units back to the date
            before = totals.get(ln.code or "", _ZERO)
            totals[ln.code or ""] = before + units
            if before <= edit.units < before + units:
                groups = by_provider(ctx, lines)
                if len(groups) > 1:
                    # several providers' lines of the date: each one's units of the code
                    # are summed apart (the date's total crossed first: none may else)
                    yield from _over_by_provider(day, ln.code, edit, groups, odd)
                    continue
                if day_total is None:
                    day_total = _day_totals(lines)
                yield _over_day(day, ln, lines, edit, before, day_total[ln.code or ""])


def _over_by_provider(day: dt.date, code: str | None, edit: Any,
                      groups: list[list[LineInfo]], odd: bool) -> Iterator[Hit]:
    """The findings of a code whose units of date ``day`` exceed its MUE of ``edit`` (MAI
    2 or 3) summed over the date's lines: per provider (:func:`by_provider`), of the
    providers whose own lines of the code exceed it."""
    for group in groups:
        before = _ZERO
        for ln in group:
            if ln.code != code:
                continue
            units = ln.line.units or _ZERO
            if odd and units <= 0:
                continue
            if before <= edit.units < before + units:
                yield _over_day(day, ln, group, edit, before, _day_totals(group)[code or ""])
            before += units


def _over_day(day: dt.date, ln: LineInfo, lines: list[LineInfo], edit: Any, before: Decimal,
              day_total: tuple[Decimal, list[int]]) -> Hit:
    """The finding of line ``ln``, whose units take its code's total of date ``day`` past
    its MUE of ``edit`` (MAI 2 or 3), ``before`` units billed on the lines of the code
    before it, among ``lines`` (the date's lines of one provider), with the total and the
    line numbers that bill it (``day_total``)."""
    total, numbers = day_total
    kind = "absolute" if edit.mai == 2 else "appealable"
    summed = f" (lines {', '.join(map(str, numbers))})" if len(numbers) > 1 else ""
    message = (f"Line {ln.line.line}: {ln.code}: {_units(total)} on {day}{summed} "
               f"{_exceed(total)} its MUE of {edit.units} per day (MAI {edit.mai}, {kind}: "
               "the units of every line of the code on the date are summed, whatever their "
               "modifiers).")
    if _both_sides(ln, lines, edit.units):
        # the advice is modifier 50, so is the fix: in place of this line's side
        # modifier (or added, on a line without one), not its units
        side = next((j for j, m in enumerate(ln.modifiers) if m in ("RT", "LT")), None)
        return Hit(f"{message} Both sides done: bill {ln.code} once, on one line "
                   "with modifier 50 instead of RT and LT, and 1 unit.",
                   ("service_lines", ln.index, "modifiers",
                    *(() if side is None else (side,))), (ln.code or "",), ("50",))
    dose = _dose_units(ln, total, edit.units)
    if dose:
        return Hit(message + dose, ("service_lines", ln.index, "units"),
                   (ln.code or "",))
    group = repair_group(ln.code) if edit.units == 1 else None
    if group is not None:
        how = _summed_repairs(group, (o.line.line for o in lines
                                      if repair_group(o.code) == group))
        return Hit(f"{message} {how[0].upper()}{how[1:]}.",
                   ("service_lines", ln.index, "units"), (ln.code or "",))
    keep = edit.units - before
    return Hit(message + _within_mue(ln, lines, edit, keep),
               ("service_lines", ln.index, "units"), (ln.code or "",),
               (str(keep),) if keep > 0 else ())


def _within_mue(ln: LineInfo, lines: list[LineInfo], edit: Any, keep: Decimal) -> str:
    """What the finding of a date's total over its MUE (MAI 2 or 3), first passed on line
    ``ln``, tells to do: keep ``keep`` units on the line (the lines before it bill the
    rest of the MUE), or, when they bill all of it, remove the line (the ``fix`` is then
    empty: 0 units is no line), and remove the later lines of the code of the date. A
    code billed in parts on that date (26 on one line, TC on another) is the global
    service of one provider: it is billed once, on one line without 26 or TC.
    Appealable (MAI 3): unless the medical records support more units."""
    later = [o.line.line for o in lines if o.code == ln.code and o.index > ln.index
             and (o.line.units or _ZERO) > 0]
    parts = {m for o in lines if o.code == ln.code for m in o.modifiers} & {"26", "TC"}
    if parts == {"26", "TC"} and edit.units == 1 and keep <= 0:
        return (f" 26 and TC of {ln.code} on one date are its global service: if one "
                f"provider furnished both, bill {ln.code} once, on one line without 26 or TC "
                f"(1 unit), and remove line {ln.line.line}"
                + (f" and line{'s' if len(later) > 1 else ''} "
                   f"{', '.join(map(str, later))}" if later else "") + ".")
    if keep > 0:
        before = edit.units - keep
        do = f"bill at most {_units(keep)} on line {ln.line.line}" + (
            f" (the lines before it bill {_units(before)})" if before else "")
    else:
        do = (f"remove line {ln.line.line} (the lines before it bill the MUE of "
              f"{edit.units})")
    if later:
        do += f" and line{'s' if len(later) > 1 else ''} {', '.join(map(str, later))}"
    appeal = ("; more units are paid only on appeal, with the medical records"
              if edit.mai == 3 else "")
    return f" To stay within it, {do}{appeal}."


def _none_allowed(ctx: ClaimContext, ln: LineInfo, units: Decimal, edit: Any) -> Hit:
    """The finding of a line whose code has an MUE of 0: CMS allows no units of it in the
    claim's setting (a non-covered or non-payable code there: the preventive visits
    99381-99397 on a practitioner claim, rationale "CMS Policy"), so neither splitting the
    units nor an appeal of the count helps: the line goes, or the code the payer covers
    for the service is billed instead. No ``fix``: 0 units is no line. On a Medicare
    practitioner claim, a consultation code (99241-99245, 99251-99255: Medicare has not
    paid them since 2010) is told the E/M of the setting to bill instead.

    A DMEPOS item on a practitioner claim (E0601, L3908: practitioner MUE 0) is billed by
    a DMEPOS supplier to the DME MAC, under the DME supplier MUE table: the message says
    so, and how a supplier's claim is marked (``Claim.dme_supplier``). GA or GZ on the
    line changes nothing (an ABN does not cover an MUE denial, a coding denial: MLN
    MM8853): the message says so, and that a statutorily excluded service takes GY
    (:func:`mue_zero_with_gy`)."""
    why = f", rationale: {edit.rationale}" if edit.rationale else ""
    head = (f"Line {ln.line.line}: {_units(units)} of {ln.code}: its {_setting(ctx)} MUE is "
            f"0 (MAI {edit.mai}{why}): ")
    if ctx.setting == "practitioner" and _dme_mac_item(ln):
        return Hit(head + f"CMS allows no units of {ln.code} on a practitioner's claim. "
                   f"{ln.code} is a DMEPOS item: a DMEPOS supplier bills it to the DME MAC, "
                   "where the DME supplier MUE table applies. If this is a supplier's claim, "
                   'mark it so ("dme_supplier": true; a Medicare claim then goes to the '
                   "medicare-dme profile) and load the CMS DME supplier MUE file; otherwise "
                   "remove the line.", ("service_lines", ln.index, "units"), (ln.code or "",))
    abn = [m for m in ln.modifiers if m in ("GA", "GZ")]
    if ctx.payer == "medicare" and _preventive_visit(ln.code):
        how = (f"CMS allows no units of {ln.code} in this setting: Medicare does not cover a "
               "routine preventive visit (SSA §1862(a)(7); Benefit Policy Manual ch.16 §90). "
               "Its own are the initial preventive physical examination (G0402, in the "
               "first 12 months of Part B) and the annual wellness visit (G0438 the first, "
               "G0439 after; Claims Processing Manual ch.18 §80, §140): bill the one "
               f"furnished in place of {ln.code}, or bill {ln.code} with GY (statutorily "
               "excluded) for the denial, so that the patient or a secondary payer pays; "
               "otherwise remove the line")
    elif ctx.payer == "medicare" and ctx.setting == "practitioner" and \
            (visit := _consultation(ln.code)) is not None:
        how = (f"CMS allows no units of {ln.code} in this setting: Medicare has not paid "
               "the consultation codes since 2010-01-01 (CMS CR 6740; Claims Processing "
               "Manual ch.12 §30.6.10): bill the E/M of the setting where the visit took "
               f"place, at the level furnished, in place of {ln.code}: {visit}; otherwise "
               "remove the line")
    else:
        how = (f"CMS allows no units of {ln.code} in this setting; remove the line, or bill "
               "the code the payer covers for the service")
        if ctx.payer == "medicare" and not abn:
            how += ("; a service Medicare excludes by statute, billed for the denial, takes "
                    "GY")
    return Hit(head + how + (
                   f". {abn[0]} does not change this: an MUE denial is a coding denial, for "
                   "which an ABN shifts no liability to the patient; a service Medicare "
                   "excludes by statute, billed for the denial, takes GY" if abn else "")
               + ".", ("service_lines", ln.index, "units"), (ln.code or "",))


#: What Medicare pays in place of a consultation code (Claims Processing Manual ch.12
#: §30.6.10, CR 6740): the E/M of the setting where the visit took place.
_OFFICE_CONSULT = ("an office or other outpatient visit, new patient 99202-99205 or "
                   "established 99212-99215 (in the emergency department, 99281-99285)")
_INPATIENT_CONSULT = ("hospital inpatient or observation care, initial 99221-99223 (the "
                      "first visit) or subsequent 99231-99233, or in a nursing facility "
                      "initial 99304-99306 or subsequent 99307-99310")


def _consultation(code: str | None) -> str | None:
    """What Medicare pays in place of a consultation code, office or other outpatient
    (99241-99245) or inpatient or observation (99251-99255), which it has not paid since
    2010-01-01 (99241 and 99251 left CPT in 2023); None for another code."""
    if code is None or len(code) != 5:
        return None
    if "99241" <= code <= "99245":
        return _OFFICE_CONSULT
    if "99251" <= code <= "99255":
        return _INPATIENT_CONSULT
    return None


def _preventive_visit(code: str | None) -> bool:
    """A CPT preventive medicine visit, new (99381-99387) or established (99391-99397)
    patient: excluded from Medicare as routine physical checkups."""
    return code is not None and len(code) == 5 and (
        "99381" <= code <= "99387" or "99391" <= code <= "99397")


#: The dose a unit of a drug code stands for, at the end of its HCPCS Level II descriptor
#: ("Injection, triamcinolone acetonide, not otherwise specified, 10 mg": 10 mg; "per 15
#: mg", "up to 1000 mcg", "250 cc", "1 microgram", "per vial").
_DOSE = re.compile(
    r"(?:\b(?:per|up to)\s+)?\b(\d[\d,]*(?:\.\d+)?)\s*(mg|mcg|micrograms?|milligrams?|"
    r"grams?|gm|g|ml|cc|units?|iu|i\.u\.|meq|million units|usp units)\.?\s*$"
    r"|\bper\s+(?:vial|i\.u\.|iu|gm|ml|unit|milligram|dose)\.?\s*$", re.IGNORECASE)
#: What may follow the dose in a descriptor: "(for non-esrd use)", ", not otherwise
#: specified".
_AFTER_DOSE = re.compile(r"(?:\s*\([^()]*\)|,\s*(?:not otherwise specified|nos))+\s*$",
                         re.IGNORECASE)
#: Units at least this many times the MUE, on a drug code: likely counted in another
#: measure than the descriptor's (milligrams for a code per 10 mg), not over-dosed.
DOSE_FACTOR = 2


def _drug_code(code: str | None) -> bool:
    """A HCPCS Level II drug code: J (drugs other than oral, chemotherapy) or Q5
    (biosimilars)."""
    return code is not None and len(code) == 5 and (code[0] == "J" or code[:2] == "Q5")


def _dose_units(ln: LineInfo, units: Decimal, mue: int) -> str:
    """What to add to an MUE message when a drug code's units are :data:`DOSE_FACTOR`
    times its MUE or more ("" otherwise): units count the dose of the code's HCPCS
    descriptor (J3301 is per 10 mg: 40 mg of triamcinolone is 4 units, not 40), so units
    that far above the MUE usually count milligrams; the descriptor's dose per unit is
    named when codekit has it (the CMS HCPCS file's long description, once loaded with
    :func:`codekit.hcpcs.load_release`, else the short one when it gives a dose). The
    MUE is then no fix either: the finding gives none."""
    if mue <= 0 or units < DOSE_FACTOR * mue or not _drug_code(ln.code):
        return ""
    entry = ln.entry
    text = getattr(entry, "long_description", None) or \
        getattr(entry, "short_description", None) or ""
    head = (f" {_units(units)} {'is' if units == 1 else 'are'} {units / mue:.1f} times the "
            "MUE. A unit of a drug code is the dose in its HCPCS descriptor, not a milligram "
            "or one dose given: ")
    found = _dose_of(text)
    if found is None:
        return (head + f"check the units against {ln.code}'s dose per unit (the CMS HCPCS "
                "file names it; loaded with codekit.hcpcs.load_release, it is named here).")
    plain, amount, unit = found
    total = ""
    if amount is not None:
        total = f" ({_units(units)} bill {(amount * units).normalize():f} {unit})"
    return (head + f"a unit of {ln.code} is {plain}{total}; check the units against the "
            "dose given.")


#: descriptor -> its dose per unit (:func:`_dose_of`): a finding that names one repeats
#: on every claim of the code, and the descriptor's patterns cost microseconds.
_DOSES: dict[str, tuple[str, Decimal | None, str | None] | None] = _cache.owned(
    "rules.drug_doses", {})


def _dose_of(text: str) -> tuple[str, Decimal | None, str | None] | None:
    """The dose per unit at the end of a HCPCS descriptor (:data:`_DOSE`): (how to say it,
    "10 mg", "up to 1000 mcg", "one vial"; the amount a unit bills, 10, when it is one;
    its unit of measure, "mg"), or None."""
    if text in _DOSES:
        return _DOSES[text]
    found = _DOSE.search(_AFTER_DOSE.sub("", text))
    out: tuple[str, Decimal | None, str | None] | None = None
    if found is not None:
        dose = found.group(0).strip()
        if dose.endswith(".") and not dose.lower().endswith("i.u."):
            dose = dose[:-1]
        plain = dose[4:] if dose.lower().startswith("per ") else dose
        if not found.group(1):
            out = (f"one {plain}", None, None)  # per vial
        elif dose.lower().startswith("up to "):
            out = (plain, None, None)
        else:
            out = (plain, Decimal(found.group(1).replace(",", "")), found.group(2))
    _DOSES[text] = out
    return out


def _setting(ctx: ClaimContext) -> str:
    """The claim's NCCI setting as the MUE tables are named: ``practitioner``,
    ``hospital``, ``DME supplier``."""
    return "DME supplier" if ctx.setting == "dme" else ctx.setting


#: The rationale the CMS MUE files give an MUE of 0 that is Medicare's payment policy for
#: the code (not covered by Medicare, or not paid separately by it), not a count of units.
MEDICARE_POLICY_RATIONALE = "cms policy"


def _medicare_policy_only(ctx: ClaimContext, ln: LineInfo, edit: Any) -> bool:
    """Whether an MUE of 0 only says what Medicare pays, on a claim of another payer: its
    rationale is "CMS Policy" (:data:`MEDICARE_POLICY_RATIONALE`), the payer is not Medicare
    and the code is no DMEPOS item on a practitioner's claim (told of the DME supplier's
    table, :func:`_none_allowed`). The practitioner MUE of the preventive visits 99381-99397,
    of 36416, 92551, 99173 and 90723 is 0 by this rationale: Medicare excludes routine
    checkups (SSA §1862(a)(7)), while a commercial plan must cover a child's well visits
    and screenings (PHS Act §2713(a)(3), Bright Futures) and Medicaid covers them as EPSDT
    (SSA §1905(r)): no units to judge on such a claim. A 0 of another rationale, or of
    none (a table made by hand), is still judged."""
    return ctx.payer != "medicare" and \
        (edit.rationale or "").strip().lower() == MEDICARE_POLICY_RATIONALE and \
        not (ctx.setting == "practitioner" and _dme_mac_item(ln))


def _dme_mac_item(ln: LineInfo) -> bool:
    """A DMEPOS code (:func:`~codekit.rules.context.is_dmepos`; B, enteral and parenteral
    nutrition; or one the I/OCE says is billable only to the DME MAC)."""
    return is_dmepos(ln) or (ln.code or "")[:1] == "B" or \
        "dmerc_billable_only" in ln.entry.flags


@rule("MUE_ZERO_WITH_GY", "G", "info",
      "CMS NCCI MUE files (MUE 0); HCPCS modifier GY (statutorily excluded, or no Medicare "
      "benefit: billed for the denial); MLN MM8853 and the CMS MUE FAQ (an ABN shifts no "
      "liability for an MUE denial, so GA/GZ do not count)",
      needs=("mue",), when=["mods-gy"])
def mue_zero_with_gy(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A line with modifier GY whose code has an MUE of 0 in the claim's setting (99397,
    92015 on a practitioner claim): GY says the service is statutorily excluded or no
    Medicare benefit and is billed so that Medicare denies it (the patient or a secondary
    payer then pays), so the denial the MUE gives is the one asked for: a note, not
    ``MUE_EXCEEDED``'s error. Only GY: GA and GZ are about medical necessity and an ABN,
    and an MUE denial is a coding denial an ABN does not cover (MLN MM8853). Not on a
    claim no CMS editor takes (:data:`NO_CMS_EDITOR`)."""
    if not any("GY" in ln.modifiers for ln in ctx.valid_lines) or \
            ctx.route_problem == NO_CMS_EDITOR:
        return
    for _, mue, missing, lines in ctx.tables_on("mue"):
        gy = [ln for ln in lines if "GY" in ln.modifiers]
        if not gy:
            continue
        if missing is not None:
            yield missing
            continue
        for ln in gy:
            edit = mue.get(ln.code)
            units = ln.line.units or _ZERO
            if edit is None or edit.units != 0 or units <= 0 or \
                    _medicare_policy_only(ctx, ln, edit):
                continue
            why = f", rationale: {edit.rationale}" if edit.rationale else ""
            yield Hit(f"Line {ln.line.line}: {ln.code} with GY: its {_setting(ctx)} MUE is 0 "
                      f"(MAI {edit.mai}{why}), so the line will be denied, which is what GY "
                      "(a service statutorily excluded, or no Medicare benefit) asks for: "
                      "the denial lets the patient or a secondary payer be billed; nothing "
                      "to correct.", ("service_lines", ln.index, "modifiers",
                                      ln.modifiers.index("GY")), (ln.code or "",))


def _units(n: Decimal) -> str:
    """``1 unit``, ``2 units``, ``1.5 units``."""
    return f"{n} unit" + ("" if n == 1 else "s")


def _exceed(n: Decimal) -> str:
    """The verb after :func:`_units`: ``1 unit exceeds``, ``2 units exceed``."""
    return "exceeds" if n == 1 else "exceed"


def _both_sides(ln: LineInfo, lines: list[LineInfo], mue: int) -> bool:
    """Whether a code done on either side (IOCE bilateral designation conditional), with
    an MUE of 1, is billed RT and LT on the date: then both sides are billed on one line
    with 50, 1 unit (27447 RT + 27447 LT; Claims Processing Manual ch.12 §40.7)."""
    if mue != 1 or getattr(ln.entry, "bilateral", None) != "conditional":
        return False
    sides = {m for other in lines if other.code == ln.code for m in other.modifiers}
    return {"RT", "LT"} <= sides


def _day_totals(lines: list[LineInfo]) -> dict[str, tuple[Decimal, list[int]]]:
    """Per code: (the units of the date's lines, their line numbers); a line of no units or
    fewer (``UNITS_INVALID``'s) bills nothing and is left out."""
    out: dict[str, tuple[Decimal, list[int]]] = {}
    for ln in lines:
        units = ln.line.units or _ZERO
        if units <= 0:
            continue
        total, numbers = out.get(ln.code or "", (_ZERO, []))
        out[ln.code or ""] = (total + units, [*numbers, ln.line.line])
    return out


@rule("ADDON_WITHOUT_PRIMARY", "G", "error",
      "CMS NCCI add-on code edits (types 1/2/3); NCCI Policy Manual ch.I; I/OCE edits 106, "
      "107, 108 and 115", needs=("addon",), same_advice=["NCCI_PTP_CONFLICT"])
def addon_without_primary(ctx: ClaimContext) -> Iterable[Hit | NotRun]:
    """An add-on code with no acceptable primary code on the same date: type 1 needs one of
    its listed primaries, types 2 and 3 any other procedure that is not an add-on code,
    except CPT's qualifying circumstances for anesthesia (99100, 99116, 99135, 99140:
    ``procedure.ANESTHESIA_QUALIFYING_CIRCUMSTANCES``, type 2), which need an anesthesia
    code (00100-01999) of the date, the service they qualify (CPT Anesthesia guidelines). A
    primary that is itself an add-on code counts only with its own primary (90785 with
    90836 needs the E/M or psychotherapy base code too). Under a profile with the option
    ``ioce`` (``medicare-outpatient``), institutional claims are edited as the I/OCE does
    (see :func:`_ioce_addons`). A profile with ``ncci`` off that runs the edit anyway
    (``addon_edits``: ``commercial``, for CPT's add-on convention) judges professional
    claims only: on an outpatient hospital claim Medicare's own editor packages add-on
    codes (OPPS) and allows a primary of the day before (a service past midnight), which a
    same-date rule would contradict. Not on a claim no CMS editor takes
    (:data:`NO_CMS_EDITOR`). Its finding replaces an ``NCCI_PTP_CONFLICT`` that gives the
    same advice at the same line (90785 beside 90839, 90833 beside 90792: the PTP edit of
    the pair says "remove" it too): one problem, one finding, whether the PTP table is
    loaded or not (``Rule.same_advice``)."""
    if ctx.claim.claim_type == "institutional":
        if ctx.profile.option("ioce"):
            return () if ctx.route_problem == NO_CMS_EDITOR else _ioce_addons(ctx)
        if not ctx.profile.option("ncci"):
            return ()
    # the dates to judge, each with its table (every date's asked first, as its notices
    # come before any finding); most claims have no add-on code: nothing more is made
    judged: list[tuple[dt.date, Any, NotRun | None, list[LineInfo]]] | None = None
    for day, lines in lines_on(ctx).items():
        table, missing = ctx.table_on("addon", day)
        if missing is not None:
            if not any(ln.entry.addon_type for ln in lines):
                continue
        elif not table.any_of(map(_CODE, lines)):
            continue  # no add-on code on that date (the usual case)
        if judged is None:
            judged = []
        judged.append((day, table, missing, lines))
    return () if judged is None else _addons_without_primary(ctx, judged)


#: A line's code (``LineInfo.code``), read in C: what the add-on table is asked about.
_CODE = attrgetter("code")


def _addons_without_primary(ctx: ClaimContext,
                            judged: list[tuple[dt.date, Any, NotRun | None,
                                               list[LineInfo]]]) -> Iterator[Hit | NotRun]:
    """:func:`addon_without_primary` on the dates it has something to judge: (the date,
    its add-on table, the :class:`NotRun` when it has none, the date's valid lines). On a
    practitioner's claim an add-on line is judged among the lines of its own rendering
    provider (:func:`by_provider`): CMS pays an add-on code only "if one of the listed
    primary procedure codes is also eligible for payment to the same practitioner for the
    same patient on the same date of service" (CMS Medicare NCCI Add-on Code Edits; type 2
    alike), so a group's 22614 by one NPI is not satisfied by 22612 by another; but for
    :data:`GROUP_ADDONS` (99292), the date's lines of every provider. On a professional
    claim the hospital's clinic visit is offered as no primary."""
    professional = ctx.claim.claim_type == "professional"
    for day, table, missing, day_lines in judged:
        if missing is not None:
            yield missing
            continue
        groups = by_provider(ctx, day_lines)
        for lines in groups:
            codes = {ln.code for ln in lines}
            for ln in lines:
                edit = _addon(table, ln.code, day)
                if edit is None:
                    continue
                if edit.type == 1:
                    ok = _satisfied(ln, day_lines if ln.code in GROUP_ADDONS else lines,
                                    table, frozenset())
                elif ln.code in ANESTHESIA_QUALIFYING_CIRCUMSTANCES:
                    if any(is_anesthesia_line(o) for o in lines):
                        continue
                    yield _circumstance_alone(ln)
                    continue
                else:  # types 2 and 3: any other, non-add-on procedure will do
                    ok = any(_addon(table, c, day) is None for c in codes - {ln.code})
                if not ok:
                    yield _psychiatric_addon(ln, lines) or \
                        _missing(ln, edit, lines, table, practitioner=professional,
                                 others=_others(ctx, ln, edit, table, day_lines, lines)
                                 if len(groups) > 1 else "",
                                 medicare=professional
                                 and bool(ctx.profile.option("medicare_pfs")))


def npi_of(claim: Any, line: Any) -> str:
    """A line's rendering provider (:meth:`codekit.claims.Claim.provider_of`) as a
    message names it: "none named" on a claim that names none (2310B nor 2010AA)."""
    return claim.provider_of(line) or "none named"


#: The add-on codes a practitioner may bill without its primary when another practitioner
#: of the group bills the primary on the date: critical care, where of two or more
#: practitioners of one specialty and group one reports 99291 and the others 99292 alone
#: (the "one exception" of CMS's add-on code edits, CR 7501; Claims Processing Manual
#: ch.12 §30.6.12). Their primary is searched among the date's lines of every provider of
#: the claim (codekit cannot tell the specialty).
GROUP_ADDONS = frozenset({"99292"})


def _others(ctx: ClaimContext, ln: LineInfo, edit: Any, table: Any,
            day_lines: list[LineInfo], lines: list[LineInfo]) -> str:
    """What the finding of add-on line ``ln`` without a primary among ``lines`` (its
    provider's lines of the date) adds when another provider's line of the date
    (``day_lines``) would have been one: "" when none would."""
    if edit.type == 1:
        found = [o for o in day_lines if o.code in edit.primaries and o not in lines]
    else:
        found = [o for o in day_lines if o not in lines and _addon(table, o.code, o.day) is None]
    if not found:
        return ""
    claim = ctx.claim
    named = ", ".join(f"{o.code} (line {o.line.line})" for o in found[:3])
    npis = ", ".join(dict.fromkeys(npi_of(claim, o.line) for o in found[:3]))
    return (f" {named} {'is' if len(found) == 1 else 'are'} another rendering provider's "
            f"(NPI {npis}; line {ln.line.line}'s is "
            f"{npi_of(claim, ln.line)}): an add-on "
            "code is paid only beside a primary of the same practitioner on the same date "
            "(CMS NCCI add-on code edits); if one practitioner furnished both, bill both "
            "lines under that practitioner's NPI.")


#: The psychiatric codes CPT does not report with an add-on code (the psychotherapy
#: add-ons 90833, 90836, 90838 and interactive complexity 90785) on the same date, though
#: a biller may take them for its primary: the psychiatric diagnostic evaluations 90791
#: and 90792 (no E/M: psychotherapy is not reported with them) and psychotherapy for
#: crisis 90839, 90840 (interactive complexity is not reported with it). CPT psychiatry
#: guidelines; the NCCI practitioner PTP edits of each pair, modifier indicator 0 (rationale
#: "CPT Manual or CMS manual coding instruction").
PSYCHIATRIC_NOT_WITH: dict[str, tuple[str, ...]] = {
    "90833": ("90791", "90792"), "90836": ("90791", "90792"), "90838": ("90791", "90792"),
    "90785": ("90839", "90840"),
}


def _psychiatric_addon(ln: LineInfo, lines: list[LineInfo]) -> Hit | None:
    """The finding of a psychiatric add-on code without its primary, beside a code of its
    date that CPT does not report it with (:data:`PSYCHIATRIC_NOT_WITH`: 90833 beside
    90792, 90785 beside 90839): the add-on is removed, and no primary is to be added (an
    E/M beside 90791 or 90792 is itself an NCCI indicator-0 pair). None otherwise: the
    generic finding stands."""
    excluded = PSYCHIATRIC_NOT_WITH.get(ln.code or "")
    other = next((o for o in lines if o.code in excluded), None) if excluded else None
    if other is None:
        return None
    code = ln.code or ""
    if code == "90785":
        head = (f"{code} (interactive complexity) is an add-on code without its primary "
                f"here: CPT does not report it with psychotherapy for crisis, {other.code} "
                f"(line {other.line.line})")
        otherwise = ""
    else:
        head = (f"{code} is a psychotherapy add-on code, reported with an E/M of its date, "
                f"and {other.code} (line {other.line.line}) is a psychiatric diagnostic "
                "evaluation, not an E/M: CPT does not report psychotherapy with 90791 or "
                "90792 on the same date")
        otherwise = (f"; if the service was an E/M with psychotherapy, report the E/M in "
                     f"place of {other.code} and keep {code}")
    return Hit(f"Line {ln.line.line}: {head} (NCCI PTP edit column 1 {other.code}, column 2 "
               f"{code}, modifier indicator 0): remove {code}{otherwise}.",
               ("service_lines", ln.index, "procedure_code"), (code,))


def _circumstance_alone(ln: LineInfo) -> Hit:
    """The finding of a qualifying circumstance code (99100-99140) with no anesthesia code
    on its date."""
    return Hit(f"Line {ln.line.line}: {ln.code} is an add-on code (type 2), a qualifying "
               "circumstance of an anesthesia service (CPT Anesthesia guidelines), and "
               "needs an anesthesia code (00100-01999) on the same date: report it with the "
               "anesthesia it qualifies, or remove it.",
               ("service_lines", ln.index, "procedure_code"), (ln.code or "",))


def _satisfied(ln: LineInfo, lines: list[LineInfo], table: Any,
               seen: frozenset[int], unchained: Container[str] = ()) -> bool:
    """Whether add-on line ``ln`` has one of its listed primaries among ``lines`` (on or
    before its date), that primary satisfied in turn when it is an add-on code of type 1
    or 3 itself (``seen``: the lines of the chain so far; add-on codes listed as each other's
    primary satisfy each other). A primary whose code is in ``unchained`` counts as it
    stands (the I/OCE judges its drug-administration add-ons on their own map: 96411 as
    the primary of 0663T, itself without 96409, is edit 106 on 96411 alone)."""
    edit = _addon(table, ln.code, ln.day)
    if edit is None or edit.type == 2 or ln.index in seen or ln.code in unchained:
        # not an add-on of type 1 or 3; or a cycle: add-on codes CMS lists as each other's
        # primary (0836T and 88177 from 2024-04-01) accept each other
        return True
    seen = seen | {ln.index}
    return any(p is not ln and p.code in edit.primaries and p.day <= ln.day
               and _satisfied(p, lines, table, seen, unchained) for p in lines)


def _medicare_unrecognized(code: str) -> bool:
    """A primary code of the add-on table that Medicare does not recognize on a
    practitioner's claim, so never the primary to add there: CPT's telemedicine visits
    98000-98015 (MPFS status I from their first day, CY 2025 PFS final rule) and the
    consultations 99241-99255 (not paid since 2010-01-01: CR 6740; Claims Processing Manual
    ch.12 §30.6.10)."""
    return code in TELEMEDICINE_VISITS or _consultation(code) is not None


def _missing(ln: LineInfo, edit: Any, lines: list[LineInfo], table: Any,
             why: str = "", listed_only: bool = False, practitioner: bool = False,
             others: str = "", medicare: bool = False) -> Hit:
    """The finding for add-on line ``ln`` without its primary. A type-3 add-on code is
    told CMS's list is partial unless ``listed_only`` (the I/OCE's non-OPPS logic, which
    accepts listed primaries only). On a ``practitioner``'s claim the primaries named
    leave out the hospital outpatient clinic visit (:data:`HOSPITAL_VISIT_CODES`, an OPPS
    code: the bundled lists are the I/OCE's, which from 2024 name G0463 as a primary of
    the psychotherapy add-ons 90833, 90836, 90838, of G2211, G2212, 99417, 96160...; a
    practitioner bills an E/M); under a Medicare profile (``medicare``: the option
    ``medicare_pfs``) they leave out the codes Medicare does not recognize
    (:func:`_medicare_unrecognized`: 99417's list names 98003, 98007, 98011, 98015 and
    99245). ``others``: what to add about another provider's lines (:func:`_others`)."""
    primaries = tuple(sorted(p for p in edit.primaries
                             if not (practitioner and p in HOSPITAL_VISIT_CODES)
                             and not (medicare and _medicare_unrecognized(p))))
    listed = ", ".join(primaries[:8]) + (", ..." if len(primaries) > 8 else "")
    if edit.type == 1 and listed:
        need = f"one of its primary codes ({listed})"
    elif edit.type == 3 and listed and not why and not listed_only:
        # type 3: CMS lists some primaries; the contractor may accept others
        need = f"a primary procedure (CMS lists {listed}; the contractor may accept others)"
    elif listed and edit.type != 2:
        need = f"one of its primary codes ({listed})"
    else:
        need = "a primary procedure"
    chained = [p.code or "" for p in lines if p is not ln and p.code in edit.primaries]
    if chained and not why:
        why = (f" {', '.join(sorted(set(chained)))} is an add-on code itself and lacks its "
               "own primary: report the base code too.")
    return Hit(f"Line {ln.line.line}: {ln.code} is an add-on code (type {edit.type}) and "
               f"needs {need} on the same date.{why}{others}",
               ("service_lines", ln.index, "procedure_code"), (ln.code or "",), primaries)


#: When the I/OCE checks its add-on maps (``codekit.ncci.ioce_addons``): COVID-19 laboratory
#: add-ons (edit 115) in versions 22.0 to 24.1, on every claim; Software as a Service and
#: remote mental health add-ons (edit 106) from version 24.0 on OPPS claims.
COVID_LAB = (dt.date(2021, 1, 1), dt.date(2023, 6, 30))
OPPS_MAPS_FROM = dt.date(2023, 1, 1)
#: Revenue codes of professional fees (096x-098x): the I/OCE denies a type-2 add-on there.
PROFESSIONAL_REVENUE = ("096", "097", "098")


def _ioce_addons(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """The I/OCE's add-on logic for an outpatient claim (``Claim.opps``; an unknown flag is
    OPPS, as the I/OCE's default). Which of the two below applies is the claim's I/OCE
    path's (:data:`ADDON_MAP_PATHS` ``"general"``: the NCCI add-on edits on 12x, 13x and 14x
    non-OPPS claims, on 34x off its OPPS branch, never on 43x and 76x, on every other path
    whatever the flag); on a claim the I/OCE has no path for, the OPPS flag's:

    - OPPS claims of 12x, 13x and 14x (34x on its OPPS branch, 43x, 76x): add-on codes
      are packaged, and only the I/OCE's own maps are checked
      (:func:`codekit.ncci.ioce_addons`): Software as a Service and remote mental health
      add-ons (from 2023-01-01, on the paths of :data:`ADDON_MAP_PATHS`: SaaS on 13x
      without condition code 41, 89 or 92, remote mental health on 12x and on 13x without
      89) need a listed primary anywhere on the claim / on the same date; COVID-19
      laboratory add-ons (2021-01-01 to 2023-06-30) on the same date.
    - Other claims (non-OPPS 12x-14x, critical access hospitals, Maryland...; 22x, 23x,
      32x, 71x, 81x... whatever the flag): type 1 and 3 add-on
      codes need a listed primary on their date or the day before (a service that runs
      past midnight), itself satisfied when it is an add-on code (I/OCE edits 106, 108);
      a type 2 add-on code billed under a professional-fee revenue code (096x-098x) is
      denied (107); drug
      administration add-ons need a listed primary anywhere on the claim (106); COVID-19
      laboratory add-ons as above (115). On a critical access hospital's claim (85x) a
      type 1 or 3 or drug administration add-on takes a primary of its own kind only, a
      professional-fee line's one under a professional-fee revenue code, a facility
      line's one on a facility line (:func:`one_biller`).
    """
    lines = ctx.valid_lines
    if not lines:
        return
    # the NCCI add-on edits: by the I/OCE's path (ADDON_MAP_PATHS["general"]); by the
    # OPPS flag alone on a claim it has no path for (codekit still edits its codes)
    ncci_lists = ctx.claim.opps is False if ioce_path(ctx) is None else \
        runs_on(ctx, ADDON_MAP_PATHS["general"])
    maps = ioce_addons()
    kinds: dict[str, str] = maps.meta.get("maps", {})
    drug_admin = _drug_admin_codes(maps)
    for ln in lines:
        kind = kinds.get(ln.code or "", "")
        edit = maps.get(ln.code or "", on=ln.day) if kind else None
        if edit is not None:
            if kind == "covid_lab":
                live = COVID_LAB[0] <= ln.day <= COVID_LAB[1]
                pool = [p for p in lines if p.day == ln.day]
            elif kind == "drug_admin":
                # on a CAH's claim (85x) a primary of the add-on's kind only (one_biller)
                live, pool = ncci_lists, [p for p in lines if one_biller(ctx, ln, p)]
            else:  # saas (the whole claim), remote_mental_health (the date)
                live = ln.day >= OPPS_MAPS_FROM and runs_on(ctx, ADDON_MAP_PATHS[kind])
                pool = lines if kind == "saas" else [p for p in lines if p.day == ln.day]
            if live:
                if not any(p is not ln and p.code in edit.primaries for p in pool):
                    yield _missing(ln, edit, [], maps, f" (I/OCE {kind.replace('_', ' ')} "
                                   "add-on map)")
                continue
        if not ncci_lists or kind == "drug_admin":
            continue
        table, missing = ctx.table_on("addon", ln.day)
        if missing is not None:
            if ln.entry.addon_type:
                yield missing
            continue
        general = _addon(table, ln.code, ln.day)
        if general is None:
            continue
        if general.type == 2:
            rev = (ln.line.revenue_code or "").strip().zfill(4)
            if rev.startswith(PROFESSIONAL_REVENUE):
                yield Hit(f"Line {ln.line.line}: {ln.code} is a type 2 add-on code (no "
                          f"primary listed) billed under professional-fee revenue code {rev}: "
                          "the I/OCE denies it (edit 107).",
                          ("service_lines", ln.index, "procedure_code"), (ln.code or "",))
            continue
        before = ln.day - dt.timedelta(days=1)
        window = [p for p in lines if (p.day == ln.day or p.day == before)
                  and one_biller(ctx, ln, p)]
        if not _satisfied(ln, window, table, frozenset(), drug_admin):
            yield _missing(ln, general, window, table, listed_only=True)


#: An I/OCE add-on table -> the codes of its drug-administration map (keyed by the table,
#: compared by identity, as ``_ADDONS``).
_DRUG_ADMIN: dict[Any, frozenset[str]] = _cache.owned("rules.addon_drug_admin", {})


def _drug_admin_codes(maps: Any) -> frozenset[str]:
    """The codes of the I/OCE's drug-administration add-on map, worked out once a table."""
    got = _DRUG_ADMIN.get(maps)
    if got is None:
        got = _DRUG_ADMIN[maps] = frozenset(
            code for code, kind in maps.meta.get("maps", {}).items() if kind == "drug_admin")
    return got


#: (table, code, day) -> the table's answer. Keyed by the table itself (compared by
#: identity): the key keeps it alive, so no other table can take its place (an ``id``
#: key, with the tables kept in a second cache emptied on its own, could be reused).
_ADDONS: dict[tuple[Any, str | None, object], Any] = _cache.owned("rules.addon_edits", {})


def _addon(table: Any, code: str | None, day: object) -> Any:
    """``table.get(code, on=day)``, remembered (add-on look-ups repeat on every claim)."""
    key = (table, code, day)
    try:
        return _ADDONS[key]
    except KeyError:
        pass
    edit = _ADDONS[key] = table.get(code, on=day)
    return edit


RULES = (ptp_conflict, mue_exceeded, mue_zero_with_gy, addon_without_primary,
         visit_same_day_procedure)
