"""Group D: the I/OCE's billing-form edits: a code billed under the wrong revenue code or
type of bill, or without the line it is billed with.

Each is a billing error the provider fixes on the claim, decided by the I/OCE's HCPCS
flags on the line's date (:func:`codekit.procedure.ioce_companion_flags`, the I/OCE's
HCPCS table), the line's revenue code and the claim's type of bill; none depends on
the statuses the I/OCE assigns while pricing. Written from the CMS I/OCE port (pyoce
0.1.0) and cross-checked against it (``docs/ioce_crosscheck.md``):

- edit 73 (``BloodLogic``): a blood product billed other than as one line under revenue
  code 038x (the product) and one under 039x (its processing and storage), both with
  modifier BL and the same units when the hospital paid for the blood, or under 039x
  alone when it did not;
- edit 79 (``BloodProductRevenueCodeConflictLogic``): revenue code 0381 (packed red
  cells) with a code that is not a packed red cell product, 0382 (whole blood) with one
  that is not whole blood;
- edit 100 (``AllogeneicTransplantLogic``): an allogeneic stem cell transplant (38240)
  with no line under revenue code 0815 (donor acquisition);
- edit 116 (``OpioidTreatmentLogic``): an opioid treatment program code (G2067-G2080...)
  on a type of bill that is not an opioid treatment program's (87x; 13x and 85x with
  condition code 89);
- edit 44 (``ObservationRevenueCodeLogic``): revenue code 0762 (observation) with a code
  that is not an observation code (G0378, G0379);
- edit 58 (``DirectAdmissionRequiresObservationLogic``): G0379 (direct referral for
  observation) without G0378 (hourly observation) on its date;
- edit 51 (``MultipleHourlyObservationLogic``): hourly observation (G0378) on more than
  one line of the claim (one line holds the stay's hours);
- edit 53 (``OutpatientHospitalCodeOnlyLogic``): G0378 or G0379 on a type of bill other
  than a hospital outpatient (13x) or critical access hospital (85x) claim;
- edit 76 (``RevenueCodeCodeRequiresTraumaResponseLogic``): the trauma response code
  G0390 without revenue code 068x (trauma response) and 99291 (critical care) on its
  date;
- edit 122 (``AcquiredDrug340BLogic``): modifier JG (340B-acquired drug) on a
  pass-through drug or biological (status indicator G), from 2022-04-01 to 2024-12-31.

The partial hospitalization (PHP) and intensive outpatient program (IOP) edits, on OPPS
claims, by the I/OCE's own diagnosis list (:func:`codekit.icd10cm.ioce_mental_health`,
:func:`codekit.icd10cm.ioce_code_first`) and HCPCS flags:

- edits 29 and 109 (``NonMentalHealthDiagnosisLogic``, ``CodeFirstNonMentalHealth
  DiagnosisLogic``): a PHP claim (13x with condition code 41; 76x) or, from 2024-01-01,
  an IOP claim (13x or 76x with condition code 92) whose principal diagnosis is not a
  mental health diagnosis (29), or is a "code first" diagnosis (T14.91X-, intentional
  self-harm poisonings) without a mental health diagnosis as the first secondary (109);
- edits 80 and 132 (``MentalHealthNotApprovedPartialHospitalizationLogic``,
  ``MentalHealthNotApprovedIOPLogic``): a mental health code the I/OCE does not approve
  for the program (``mh_not_ph``, ``mh_not_iop``) on a PHP claim (76x; 13x to
  2022-12-31) or an IOP claim of a community mental health center (76x);
- edits 81 and 133 (``MentalHealthNotPayableOutsidePhpLogic``, ``...OutsideIOPLogic``):
  a PHP or IOP code (``ph_not_mh``, ``iop_not_mh``: G0129, G0176, G0410, G0411) on a
  hospital outpatient claim (13x) that is neither (no condition code 41 or 92; nor 89).

Not here: edit 84 (``ImplantationPrimaryCodeRequiredForAddonCodeLogic``), which the I/OCE
runs before version 19.0 (2018) only; and the PHP / IOP day edits (30, 128, 129, 131:
too few services or hours on a program day), payment logic.

Edit 102 (two modifiers that conflict on one line) is ``MOD_COMBINATION_INVALID``'s
(:mod:`codekit.rules.modifier_edits`).

Every rule runs under a profile with the option ``ioce`` (``medicare-outpatient``) only,
on the I/OCE paths that run its edit (:data:`codekit.rules.ioce_status.PATHS`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from .. import icd10cm, procedure
from ..claims import bill_class
from ..errors import InvalidFormat
from ..findings import Hit, NotRun
from .context import ClaimContext, LineInfo
from .engine import rule
from .ioce_status import (
    CompanionLine,
    by_day,
    companion_lines,
    first_day,
    intensive_outpatient,
    ioce_not_covered,
    ioce_runs,
    line_location,
    newer_than_ioce,
    on_day,
    rejected_first,
    revenue_lines,
    status_text,
)

#: The I/OCE's HCPCS flags the edits read (``procedure.ioce_companion_flags``).
BLOOD_PRODUCT = "blood_product"
PACKED_RED_CELLS = "packed_red_cells"
WHOLE_BLOOD = "whole_blood"
ALLOGENEIC_TRANSPLANT = "allogeneic_transplant"
OPIOID_TREATMENT = "opioid_treatment_program"
OBSERVATION = "observation"
OBSERVATION_HOURLY = "observation_hourly"
OBSERVATION_DIRECT_ADMIT = "observation_direct_admit"
OBSERVATION_HOSPITAL_ONLY = "observation_hospital_only"
TRAUMA_RESPONSE = "trauma_revenue_code"
TRAUMA_CRITICAL_CARE = "trauma_critical_care"

#: Revenue codes: packed red cells, whole blood (edit 79), donor acquisition for an
#: allogeneic stem cell transplant (edit 100), observation (edit 44).
PACKED_RED_CELLS_REVENUE = "0381"
WHOLE_BLOOD_REVENUE = "0382"
DONOR_ACQUISITION_REVENUE = "0815"
OBSERVATION_REVENUE = "0762"
#: The code of the hourly observation a direct referral (G0379) needs (edit 58).
HOURLY_OBSERVATION = "G0378"
#: Modifier BL: the hospital paid for the blood product (edit 73).
BLOOD_PURCHASED = "BL"
#: Modifiers JG (340B-acquired drug) and TB (a drug not subject to the 340B payment
#: adjustment, tracking only), edit 122.
DRUG_340B = "JG"
DRUG_340B_EXEMPT = "TB"

#: The first day of the I/OCE version (20.0) that runs edit 116, by the claim's first day.
OTP_EDIT_FROM = dt.date(2020, 1, 1)
#: The I/OCE versions that run edit 122 (23.1 from 2022-04-01 to 25.3, to 2024-12-31), by the
#: claim's first day; JG is not a modifier after 2024-12-31 (``MOD_INVALID``).
JG_EDIT_FROM, JG_EDIT_TO = dt.date(2022, 4, 1), dt.date(2024, 12, 31)


def revenue_of(ln: LineInfo) -> str | None:
    """A line's revenue code as the I/OCE reads it (four digits: ``450`` is ``0450``), or
    None when it has none or one not written as a revenue code (edit 41)."""
    written = ln.line.revenue_code
    if not written or not written.strip():
        return None
    try:
        return procedure.revenue_key(written)
    except InvalidFormat:
        return None


def _flagged(lines: list[CompanionLine], flag: str) -> bool:
    return any(flag in f for _, f in lines)


def _units(ln: LineInfo) -> Decimal:
    """A line's units as the I/OCE counts them (none or 0 is 1)."""
    u = ln.line.units
    return u if u is not None and u > 0 else Decimal(1)


def _n(u: Decimal) -> str:
    return str(u.normalize()) if u == u.to_integral_value() else str(u)


# -- edit 73: blood products billed by their 038x and 039x lines ------------------------------


def _blood_revenue(ln: LineInfo) -> str:
    """``"38"`` (blood product: 0380-0389), ``"39"`` (blood processing and storage:
    0390-0399) or ``""`` for a line's revenue code."""
    rev = revenue_of(ln)
    return rev[1:3] if rev is not None and rev[:3] in ("038", "039") else ""


def _blood_hits(ctx: ClaimContext) -> dict[int, Hit]:
    """Edit 73's findings by line index (the first reason for a line), as the I/OCE's
    ``BloodLogic`` decides them day by day."""
    out: dict[int, Hit] = {}

    def hit(ln: LineInfo, text: str, fix: tuple[str, ...] = ()) -> None:
        if ln.index not in out:
            out[ln.index] = Hit(
                f"Line {ln.line.line}: {ln.code} {text} (I/OCE edit 73, the claim is "
                "returned).", line_location(ln), (ln.code or "",), fix)

    for day, items in by_day(companion_lines(ctx)).items():
        blood = [ln for ln, f in items if BLOOD_PRODUCT in f]
        if not blood:
            continue
        lines38 = [ln for ln in blood if _blood_revenue(ln) == "38"]
        lines39 = [ln for ln in blood if _blood_revenue(ln) == "39"]
        for ln in blood:
            kind = _blood_revenue(ln)
            same38 = [o for o in lines38 if o.code == ln.code]
            if kind == "39" and BLOOD_PURCHASED in ln.modifiers:
                if not same38:
                    hit(ln, f"is billed with modifier BL under revenue code {revenue_of(ln)} "
                        f"(processing and storage) on {day}, and no line of the date bills "
                        f"{ln.code} under 038x (the blood product): a blood product the "
                        "hospital paid for is billed on two lines, 038x and 039x, both "
                        "with modifier BL and the same units; report the 038x line")
                    continue
                unmarked = [o for o in same38 if BLOOD_PURCHASED not in o.modifiers]
                for other in unmarked:
                    why = (f"is billed with modifier BL under revenue code {revenue_of(ln)} "
                           f"on line {ln.line.line} and without it under "
                           f"{revenue_of(other)} on line {other.line.line} on {day}: a "
                           "blood product the hospital paid for carries modifier BL on "
                           "both its 038x and 039x lines")
                    hit(ln, why)
                    hit(other, why + "; add BL to this line", (BLOOD_PURCHASED,))
                if unmarked:
                    continue
                marked38 = [o for o in same38 if BLOOD_PURCHASED in o.modifiers]
                marked39 = [o for o in lines39 if o.code == ln.code
                            and BLOOD_PURCHASED in o.modifiers]
                u38 = sum((_units(o) for o in marked38), Decimal(0))
                u39 = sum((_units(o) for o in marked39), Decimal(0))
                if u38 != u39:
                    why = (f"is billed with modifier BL for {_n(u38)} unit(s) under 038x "
                           f"and {_n(u39)} under 039x on {day}: the blood product's 038x "
                           "and 039x lines report the same units")
                    for other in (*marked38, *marked39):
                        hit(other, why)
            elif kind == "39":
                for other in same38:
                    why = (f"is billed under revenue code {revenue_of(ln)} (processing and "
                           f"storage) on line {ln.line.line} without modifier BL, and "
                           f"under {revenue_of(other)} (the blood product) on line "
                           f"{other.line.line} on {day}: when the hospital paid for the "
                           "blood, put modifier BL on both lines; when it did not, report "
                           "the product under 039x alone and take the 038x line off")
                    hit(ln, why, (BLOOD_PURCHASED,))
                    hit(other, why, (BLOOD_PURCHASED,))
            elif kind == "38":
                if not any(o.code == ln.code for o in lines39):
                    hit(ln, f"is billed under revenue code {revenue_of(ln)} (the blood "
                        f"product) on {day}, and no line of the date bills {ln.code} under "
                        "039x (processing and storage): a blood product the hospital paid "
                        "for is billed on two lines, 038x and 039x, both with modifier BL "
                        "and the same units; one it did not pay for is billed under 039x "
                        "alone")
            else:
                rev = revenue_of(ln)
                hit(ln, f"is a blood product in the I/OCE's HCPCS table {on_day(ln)}, "
                    f"billed under revenue code {rev or 'none'}: a blood product is "
                    "billed under 038x (the product, with modifier BL, when the hospital "
                    "paid for it) and 039x (processing and storage), or under 039x alone")
    return out


@rule("BLOOD_PRODUCT_BILLING_INVALID", "D", "error",
      "I/OCE edit 73 (incorrect billing of blood and blood products)", when=["lines"],
      options=["ioce"])
def blood_product_billing(ctx: ClaimContext) -> Iterable[Hit]:
    """A blood product (the I/OCE's ``blood_product`` flag on the line's date: P9010,
    P9016...) not billed as the I/OCE's blood logic expects on its date: under a revenue
    code other than 038x or 039x; under 038x (the product) with no line of the same code
    under 039x (processing and storage); under 039x with modifier BL (the hospital paid
    for the blood) and no 038x line of the code, or one without BL, or other units than
    the 038x lines with BL; under 039x without BL beside a 038x line of the code. Under a
    profile with the option ``ioce`` (``medicare-outpatient``), on OPPS claims of 12x and
    13x (13x: not with condition code 41, 89 or 92). The I/OCE returns the claim."""
    lines = companion_lines(ctx)
    if not _flagged(lines, BLOOD_PRODUCT) or not ioce_runs(ctx, 73):
        return ()
    hits = _blood_hits(ctx)
    return [hits[i] for i in sorted(hits)]


# -- edit 79: revenue codes 0381 and 0382 -------------------------------------------------------


@rule("BLOOD_REVENUE_CODE_MISMATCH", "D", "error",
      "I/OCE edit 79 (incorrect billing of revenue code with HCPCS code)", when=["lines"],
      options=["ioce"])
def blood_revenue_code_mismatch(ctx: ClaimContext) -> Iterable[Hit]:
    """Revenue code 0381 (packed red cells) on a line whose code the I/OCE's HCPCS table
    does not flag as packed red cells on the line's date (P9016, P9021, P9022, P9038-P9040,
    P9051, P9054, P9057, P9058; P9027 from 2024-10-01), or 0382 (whole blood) on one not
    flagged whole blood (P9010, P9051, P9054, P9056). A line without a procedure code
    counts only where ``REVENUE_CODE_REQUIRES_HCPCS`` does not already say the code is
    missing; a line whose code is not valid on its date is left to the validity edits.
    Under a profile with the option ``ioce`` (``medicare-outpatient``), on the I/OCE paths
    that run edit 79: 12x, 13x (OPPS; not with condition code 41, 89 or 92), 73x, 83x, 85x
    (not with condition code 89). The I/OCE returns the claim."""
    revenue = revenue_lines(ctx)
    candidates = [(ln, entry) for ln, _, _, entry in revenue if entry is not None
                  and entry.code in (PACKED_RED_CELLS_REVENUE, WHOLE_BLOOD_REVENUE)]
    if not candidates or not ioce_runs(ctx, 79):
        return ()
    flags = {ln.index: f for ln, f in companion_lines(ctx)}
    out = []
    for ln, entry in candidates:
        packed = entry.code == PACKED_RED_CELLS_REVENUE
        need = PACKED_RED_CELLS if packed else WHOLE_BLOOD
        f = flags.get(ln.index)
        if f is None:  # no valid code on the line
            if ln.line.procedure_code.strip() or (
                    entry.requires_hcpcs and ioce_runs(ctx, 48)):
                continue
            what = "no procedure code"
        elif need in f:
            continue
        else:
            what = ln.code or ""
        product = "packed red cells" if packed else "whole blood"
        right: tuple[str, ...] = ()
        if f is not None and (WHOLE_BLOOD if packed else PACKED_RED_CELLS) in f:
            right = (WHOLE_BLOOD_REVENUE if packed else PACKED_RED_CELLS_REVENUE,)
        advice = (f"bill {ln.code} under revenue code {right[0]}" if right else
                  f"report the {product} product's code (one the I/OCE flags as "
                  f"{product}) on the line, or bill the service under its own revenue code")
        out.append(Hit(
            f"Line {ln.line.line}: revenue code {entry.code} ({product}) with {what}, "
            f"which is not a {product} code in the I/OCE's HCPCS table {on_day(ln)} "
            f"(I/OCE edit 79, the claim is returned): {advice}.",
            ("service_lines", ln.index, "revenue_code"), (entry.code, *(
                (ln.code,) if f is not None and ln.code else ())), right))
    return out


# -- edit 100: an allogeneic stem cell transplant and its donor acquisition --------------------


@rule("ALLOGENEIC_TRANSPLANT_WITHOUT_DONOR_ACQUISITION", "D", "error",
      "I/OCE edit 100 (claim for HSCT allogeneic transplantation lacks required revenue "
      "code line for donor acquisition services)", when=["lines"], options=["ioce"])
def allogeneic_transplant_without_donor(ctx: ClaimContext) -> Iterable[Hit]:
    """An allogeneic hematopoietic stem cell transplant (the I/OCE's
    ``allogeneic_transplant`` flag on the line's date: 38240) on a claim with no line
    under revenue code 0815 (donor acquisition; a line the I/OCE rejects first, under a
    revenue code Medicare does not recognize, does not count, nor a transplant line it
    denies). Under a profile with the option ``ioce`` (``medicare-outpatient``), on the
    I/OCE paths that run edit 100: 12x, 13x (not with condition code 41, 89 or 92), 85x
    (not with condition code 89). The I/OCE returns the claim."""
    lines = companion_lines(ctx)
    if not _flagged(lines, ALLOGENEIC_TRANSPLANT) or not ioce_runs(ctx, 100):
        return ()
    if any(entry is not None and entry.code == DONOR_ACQUISITION_REVENUE
           and not entry.not_recognized for _, _, _, entry in revenue_lines(ctx)):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} is an allogeneic stem cell transplant "
                f"(HSCT) in the I/OCE's HCPCS table {on_day(ln)}, and no line of the claim "
                f"bills the donor acquisition under revenue code {DONOR_ACQUISITION_REVENUE} "
                "(I/OCE edit 100, the claim is returned): report the donor search and "
                f"acquisition charges on a line under revenue code {DONOR_ACQUISITION_REVENUE}.",
                line_location(ln), (ln.code or "",), (DONOR_ACQUISITION_REVENUE,))
            for ln, f in lines if ALLOGENEIC_TRANSPLANT in f and not rejected_first(ctx, ln))


# -- edit 116: an opioid treatment program code on another provider's claim --------------------


@rule("OTP_SERVICE_BILL_TYPE_INVALID", "D", "error",
      "I/OCE edit 116 (opioid treatment program service not payable outside the opioid "
      "treatment program)", when=["lines"], options=["ioce"])
def otp_service_bill_type(ctx: ClaimContext) -> Iterable[Hit]:
    """An opioid treatment program code (the I/OCE's ``opioid_treatment_program`` flag on
    the line's date: G2067-G2080, G1028, G2215, G2216, G0137, G0532-G0536) on a claim
    whose type of bill is not an opioid treatment program's: the I/OCE runs edit 116 from
    2020-01-01 (the claim's first day) on every path but 87x (a freestanding program), 43x,
    the condition code 07 path, and 13x and 85x with condition code 89 (a hospital's or a
    critical access hospital's program), 77x with condition code 65. Under a profile with
    the option ``ioce`` (``medicare-outpatient``). The I/OCE returns the claim."""
    lines = companion_lines(ctx)
    if not _flagged(lines, OPIOID_TREATMENT) or first_day(ctx) < OTP_EDIT_FROM or \
            not ioce_runs(ctx, 116):
        return ()
    written = (ctx.claim.bill_type or "").strip()
    bill = f"type of bill {written}" if written else "a claim without a type of bill"
    return (Hit(f"Line {ln.line.line}: {ln.code} is an opioid treatment program service in "
                f"the I/OCE's HCPCS table {on_day(ln)}, billed on {bill} (I/OCE edit 116, "
                "the claim is returned): an opioid treatment program bills it on type of "
                "bill 87x, or, run by a hospital or a critical access hospital, on 13x or "
                "85x with condition code 89; take the line off this claim.",
                line_location(ln), (ln.code or "",))
            for ln, f in lines if OPIOID_TREATMENT in f)


# -- edits 44, 58, 51, 53: observation ------------------------------------------------------------


@rule("OBSERVATION_REVENUE_CODE_MISMATCH", "D", "error",
      "I/OCE edit 44 (observation revenue code on line item with non-observation HCPCS "
      "code)", when=["lines"], options=["ioce"])
def observation_revenue_code_mismatch(ctx: ClaimContext) -> Iterable[Hit]:
    """Revenue code 0762 (observation) on a line whose code the I/OCE's HCPCS table does
    not flag as observation on the line's date (G0378, G0379 are), e.g. a visit or a
    procedure billed under it. Not on a line without a procedure code, nor one whose code
    is not valid on its date (the validity edits say so). Under a profile with the option
    ``ioce`` (``medicare-outpatient``), on 13x (not with condition code 41, 89 or 92) and
    85x (not with 89). The I/OCE returns the claim."""
    revenue = revenue_lines(ctx)
    candidates = [ln for ln, _, _, entry in revenue if ln.valid and entry is not None
                  and entry.code == OBSERVATION_REVENUE]
    if not candidates or not ioce_runs(ctx, 44):
        return ()
    flags = {ln.index: f for ln, f in companion_lines(ctx)}
    return (Hit(f"Line {ln.line.line}: revenue code {OBSERVATION_REVENUE} (observation) with "
                f"{ln.code}, which is not an observation code in the I/OCE's HCPCS table "
                f"{on_day(ln)} (I/OCE edit 44, the claim is returned): bill {ln.code} under "
                f"its own revenue code; under {OBSERVATION_REVENUE} report the observation "
                f"hours, {HOURLY_OBSERVATION} (G0379 for a direct referral).",
                ("service_lines", ln.index, "revenue_code"), (OBSERVATION_REVENUE,
                                                              ln.code or ""))
            for ln in candidates if OBSERVATION not in flags.get(ln.index, ()))


@rule("DIRECT_REFERRAL_WITHOUT_OBSERVATION", "D", "error",
      "I/OCE edit 58 (direct admittance G0379 only allowed with observation G0378)",
      when=["lines"], options=["ioce"])
def direct_referral_without_observation(ctx: ClaimContext) -> Iterable[Hit]:
    """A direct referral for observation (the I/OCE's ``observation_direct_admit`` flag on
    the line's date: G0379) with no hourly observation (``observation_hourly``: G0378) on
    the same date; not a G0379 line the I/OCE rejects first (under a revenue code Medicare
    does not recognize; on a type of bill that does not take observation,
    ``OBSERVATION_BILL_TYPE_INVALID``). Under a profile with the option ``ioce``
    (``medicare-outpatient``), on OPPS claims of 12x and 13x (13x: not with condition code
    89) and on 85x (not with 89). The I/OCE returns the claim."""
    lines = companion_lines(ctx)
    if not _flagged(lines, OBSERVATION_DIRECT_ADMIT) or not ioce_runs(ctx, 58):
        return ()
    # on the paths that run edit 53 too (12x), the I/OCE rejects G0379 there first
    wrong_bill = ioce_runs(ctx, 53)
    out = []
    for day, items in by_day(lines).items():
        if _flagged(items, OBSERVATION_HOURLY):
            continue
        out += [Hit(f"Line {ln.line.line}: {ln.code} is a direct referral for observation in "
                    f"the I/OCE's HCPCS table {on_day(ln)}, and no line of {day} reports the "
                    f"hourly observation, {HOURLY_OBSERVATION} (I/OCE edit 58, the claim is "
                    f"returned): report the observation hours as {HOURLY_OBSERVATION} on a "
                    "line of the same date.", line_location(ln), (ln.code or "",),
                    (HOURLY_OBSERVATION,))
                for ln, f in items if OBSERVATION_DIRECT_ADMIT in f
                and not rejected_first(ctx, ln) and not (wrong_bill and (
                    OBSERVATION_HOURLY in f or OBSERVATION_HOSPITAL_ONLY in f))]
    return out


@rule("OBSERVATION_MULTIPLE_LINES", "D", "error",
      "I/OCE edit 51 (observation code G0378 not allowed to be reported more than once per "
      "claim); Claims Processing Manual ch.4 §290 (observation services)",
      when=["lines-several"],
      options=["ioce"])
def observation_multiple_lines(ctx: ClaimContext) -> Iterable[Hit]:
    """Hourly observation (the I/OCE's ``observation_hourly`` flag on the line's date:
    G0378) on more than one line of the claim: the I/OCE takes G0378 once a claim, its
    units the stay's hours (Claims Processing Manual ch.4 §290), so a stay that runs past
    midnight is one line too, dated the day observation began. Every such line after the
    first (by date, then by its place on the claim) is the finding, at its code. Under a
    profile with the option ``ioce`` (``medicare-outpatient``), on OPPS claims of 13x (not
    with condition code 41, 89 or 92) and on 85x (not with 89), as the I/OCE's
    ``MultipleHourlyObservationLogic``. The I/OCE returns the claim."""
    lines = companion_lines(ctx)
    hourly = [ln for ln, f in lines if OBSERVATION_HOURLY in f]
    if len(hourly) < 2 or not ioce_runs(ctx, 51):
        return ()
    hourly.sort(key=lambda ln: (ln.day, ln.index))
    first = hourly[0]
    total = sum((_units(ln) for ln in hourly), Decimal(0))
    return (Hit(f"Line {ln.line.line}: {ln.code} (hourly observation) is also billed on line "
                f"{first.line.line}, and the I/OCE takes it once a claim (I/OCE edit 51, "
                f"the claim is returned): report the stay's hours on one {ln.code} line, "
                f"dated the day observation began ({first.day}), with the total hours as its "
                f"units ({total} on these lines), even when the stay runs past midnight; "
                "remove this line.", line_location(ln), (ln.code or "",))
            for ln in hourly[1:])


@rule("OBSERVATION_BILL_TYPE_INVALID", "D", "error",
      "I/OCE edit 53 (codes G0378 and G0379 only allowed with bill type 13x or 85x)",
      when=["lines"], options=["ioce"])
def observation_bill_type(ctx: ClaimContext) -> Iterable[Hit]:
    """An observation code (the I/OCE's ``observation_hourly`` or
    ``observation_hospital_only`` flag on the line's date: G0378, G0379) on a claim that is
    neither a hospital outpatient (13x) nor a critical access hospital (85x) claim: every
    I/OCE path runs edit 53 but those of 13x, 85x and 43x; on 13x, it runs with condition
    code 89 (an opioid treatment program's claim). Under a profile with the option
    ``ioce`` (``medicare-outpatient``). The I/OCE rejects the line."""
    lines = companion_lines(ctx)
    if not (_flagged(lines, OBSERVATION_HOURLY) or _flagged(lines, OBSERVATION_HOSPITAL_ONLY)) \
            or not ioce_runs(ctx, 53):
        return ()
    written = (ctx.claim.bill_type or "").strip()
    bill = f"type of bill {written}" if written else "a claim without a type of bill"
    if bill_class(ctx.claim.bill_type) == "13":
        bill += " with condition code 89 (an opioid treatment program's claim)"
    return (Hit(f"Line {ln.line.line}: {ln.code} is an observation code the I/OCE allows on "
                "a hospital outpatient claim (type of bill 13x) or a critical access "
                f"hospital's (85x) only {on_day(ln)}, billed on {bill} (I/OCE edit 53, the "
                "line is rejected): bill the observation on the hospital's outpatient "
                "claim, or take the line off.", line_location(ln), (ln.code or "",))
            for ln, f in lines
            if OBSERVATION_HOURLY in f or OBSERVATION_HOSPITAL_ONLY in f)


# -- edit 76: trauma response with critical care ------------------------------------------------


def _trauma_revenue(ln: LineInfo) -> bool:
    """A line under revenue code 068x (trauma response)."""
    rev = revenue_of(ln)
    return rev is not None and rev[:3] == "068"


def trauma_rejected(ctx: ClaimContext) -> dict[int, list[str]]:
    """The lines the I/OCE rejects with edit 76 (a ``trauma_revenue_code`` line on a date
    without a line under 068x, or without ``trauma_critical_care``), by index, with what
    their date lacks; empty where the I/OCE does not run edit 76 on the claim."""
    lines = companion_lines(ctx)
    if not _flagged(lines, TRAUMA_RESPONSE) or not ioce_runs(ctx, 76):
        return {}
    out: dict[int, list[str]] = {}
    for day, items in by_day(lines).items():
        if not _flagged(items, TRAUMA_RESPONSE):
            continue
        missing = []
        if not any(_trauma_revenue(ln) for ln in ctx.lines if ln.day == day):
            missing.append("no line under revenue code 068x (trauma response)")
        if not _flagged(items, TRAUMA_CRITICAL_CARE):
            missing.append("no 99291 (critical care)")
        if missing:
            out.update((ln.index, missing) for ln, f in items if TRAUMA_RESPONSE in f)
    return out


@rule("TRAUMA_RESPONSE_WITHOUT_CRITICAL_CARE", "D", "error",
      "I/OCE edit 76 (trauma response critical care code without revenue code 068x and "
      "CPT 99291)", when=["lines"], options=["ioce"])
def trauma_response_without_critical_care(ctx: ClaimContext) -> Iterable[Hit]:
    """The trauma response code (the I/OCE's ``trauma_revenue_code`` flag on the line's
    date: G0390, trauma activation with critical care) on a date without both a line under
    revenue code 068x (trauma response) and critical care (``trauma_critical_care``:
    99291). Under a profile with the option ``ioce`` (``medicare-outpatient``), on OPPS
    claims of 12x, on 13x (not with condition code 41, 89 or 92) and 85x (not with 89).
    The I/OCE rejects the line."""
    rejected = trauma_rejected(ctx)
    return [Hit(f"Line {ln.line.line}: {ln.code} is the trauma response code the I/OCE "
                f"takes with critical care {on_day(ln)}, and {ln.day} has "
                f"{' and '.join(rejected[ln.index])} (I/OCE edit 76, the line is rejected): "
                f"report {ln.code} under revenue code 068x on the date of the critical "
                "care, 99291; without critical care, report the trauma activation under "
                f"068x with the visit and no {ln.code} line.", line_location(ln),
                (ln.code or "",))
            for ln in ctx.lines if ln.index in rejected]


# -- edit 122: modifier JG on a pass-through drug ---------------------------------------------


@rule("MOD_340B_ON_PASS_THROUGH", "E", "error",
      "I/OCE edit 122 (340B-acquired drug modifier reported inappropriately)",
      when=["modifiers"], options=["ioce"])
def mod_340b_on_pass_through(ctx: ClaimContext) -> Iterable[Hit]:
    """Modifier JG (340B-acquired drug) on a pass-through drug or biological (status
    indicator G in the I/OCE quarter of the line's date): pass-through drugs are not
    subject to the 340B payment adjustment and take modifier TB. From 2022-04-01 to
    2024-12-31 (the I/OCE versions that run edit 122, by the claim's first day). Under a
    profile with the option ``ioce`` (``medicare-outpatient``), on OPPS claims of 12x,
    13x, 76x, 34x (its OPPS branch) and the condition code 07 path. The I/OCE returns the
    claim."""
    if not any(DRUG_340B in ln.modifiers for ln in ctx.valid_lines):
        return ()
    if not JG_EDIT_FROM <= first_day(ctx) <= JG_EDIT_TO or not ioce_runs(ctx, 122):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} {status_text(ln)} and modifier JG (a "
                "340B-acquired drug) (I/OCE edit 122, the claim is returned): a pass-through "
                "drug or biological is not subject to the 340B payment adjustment; report "
                "modifier TB instead of JG.",
                ("service_lines", ln.index, "modifiers", ln.modifiers.index(DRUG_340B)),
                (ln.code or "", DRUG_340B), (DRUG_340B_EXEMPT,))
            for ln in ctx.valid_lines
            if DRUG_340B in ln.modifiers and ln.entry.status_indicator == "G")


# -- edits 60, 70: modifier CA (an inpatient-only procedure, the patient died) ---------------

#: Modifier CA: a procedure payable only as an inpatient, performed on an emergency basis
#: on an outpatient who dies before admission (edits 60, 70).
DIED_BEFORE_ADMISSION = "CA"
#: The patient discharge statuses the I/OCE takes with CA (pyoce
#: ``InpatientComprehensiveLogic``: the patient expired, 20, or was transferred).
DIED_OR_TRANSFERRED = frozenset({"02", "05", "20", "62", "63", "65", "66", "82", "85", "90",
                                 "91", "93", "94"})


def _ca_lines(ctx: ClaimContext) -> list[LineInfo]:
    """The lines the I/OCE's inpatient procedure processing takes modifier CA on (pyoce
    ``InpatientComprehensiveLogic``): valid lines with CA whose code has status indicator
    C (inpatient only) on the line's date, but a separate procedure (``separate_procedure``
    flag) on a day with a status T procedure or on a claim with a comprehensive (J1)
    procedure, which the I/OCE leaves out (it treats such a line as part of the other
    procedure). Where the claim's path runs the edits: OPPS 13x without condition code 41,
    89 or 92, and OPPS 12x with condition code W2 (a Part B inpatient claim rebilled after
    a Part A denial: pyoce's 12x path runs the step only then)."""
    marked = [ln for ln in ctx.valid_lines if DIED_BEFORE_ADMISSION in ln.modifiers
              and ln.entry.status_indicator == "C"]
    if not marked or not ioce_runs(ctx, 60):
        return []
    lines = ctx.valid_lines
    comprehensive = any(o.entry.status_indicator == "J1" for o in lines)
    return [ln for ln in marked if "separate_procedure" not in ln.entry.flags
            or not (comprehensive or any(o.day == ln.day and o.entry.status_indicator == "T"
                                         for o in lines))]


@rule("MOD_CA_MORE_THAN_ONE", "E", "error",
      "I/OCE edit 60 (use of modifier CA with more than one procedure not allowed); Claims "
      "Processing Manual ch.4 §180.7", when=["modifiers"], options=["ioce"])
def ca_more_than_one(ctx: ClaimContext) -> Iterable[Hit]:
    """Modifier CA (an inpatient-only procedure, status indicator C, performed on an
    emergency basis on an outpatient who died before admission) on more than one line of
    the claim, or on a line of more than one unit: the I/OCE pays one such procedure a
    claim, and returns a claim with more (edit 60, on every CA line). Lines as
    :func:`_ca_lines` takes them. Under a profile with the option ``ioce``
    (``medicare-outpatient``), on OPPS claims of 13x without condition code 41, 89 or
    92, and of 12x with condition code W2."""
    lines = _ca_lines(ctx)
    total = sum((_units(ln) for ln in lines), Decimal(0))
    if total <= 1:
        return ()
    where = (f"line {lines[0].line.line}" if len(lines) == 1 else
             f"lines {', '.join(str(o.line.line) for o in lines)}")
    return (Hit(f"Line {ln.line.line}: {ln.code} carries modifier CA, and the claim has "
                f"{total} units of inpatient-only procedures with CA ({where}): the I/OCE "
                "takes CA on one procedure, 1 unit, a claim (I/OCE edit 60, the claim is "
                "returned): keep CA on the one procedure performed before the patient died, "
                "1 unit.", line_location(ln), (ln.code or "", DIED_BEFORE_ADMISSION))
            for ln in lines)


@rule("MOD_CA_DISCHARGE_STATUS", "E", "error",
      "I/OCE edit 70 (CA modifier requires patient discharge status indicating expired or "
      "transferred); Claims Processing Manual ch.4 §180.7",
      when=["modifiers", "discharge-status"], options=["ioce"])
def ca_discharge_status(ctx: ClaimContext) -> Iterable[Hit]:
    """Modifier CA on an inpatient-only procedure (lines as :func:`_ca_lines` takes them)
    on a claim whose patient discharge status is not one of a patient who expired (20) or
    was transferred (02, 05, 62, 63, 65, 66, 82, 85, 90, 91, 93, 94), as the I/OCE takes
    them (edit 70, the claim is returned). A claim without a discharge status is not
    judged. Under a profile with the option ``ioce`` (``medicare-outpatient``), on OPPS
    claims of 13x without condition code 41, 89 or 92, and of 12x with condition code W2."""
    written = ctx.claim.discharge_status
    if written is None or not written.strip():
        return ()
    status = written.strip()
    if len(status) == 1 and status.isdigit():
        status = "0" + status
    if status in DIED_OR_TRANSFERRED:
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} carries modifier CA (an inpatient-only "
                "procedure performed on an outpatient who died before admission), and the "
                f"claim's patient discharge status is {status}, not that of a patient who "
                "expired (20) or was transferred (I/OCE edit 70, the claim is returned): "
                "correct the discharge status; if the patient neither died nor was "
                "transferred, remove CA: an inpatient-only procedure is billed on the "
                "inpatient claim.", line_location(ln), (ln.code or "", DIED_BEFORE_ADMISSION))
            for ln in _ca_lines(ctx))


# -- partial hospitalization and intensive outpatient programs (29, 109, 80, 132, 81, 133) --

#: Condition codes 41 (partial hospitalization) and 92 (intensive outpatient program).
PHP_CONDITION, IOP_CONDITION = "41", "92"
#: The I/OCE's HCPCS flags of edits 80, 132 (a mental health code not approved for the
#: program) and 81, 133 (a program code outside the program).
NOT_FOR_PHP, NOT_FOR_IOP = "mh_not_ph", "mh_not_iop"
PHP_ONLY, IOP_ONLY = "ph_not_mh", "iop_not_mh"


def _program(ctx: ClaimContext) -> str:
    """What kind of program claim the I/OCE takes the claim for (its 13x and 76x paths)."""
    written = (ctx.claim.bill_type or "").strip() or "13x"
    if intensive_outpatient(ctx):
        return f"an intensive outpatient program claim (condition code 92, type of bill {written})"
    if PHP_CONDITION in ctx.claim.condition_codes:
        return f"a partial hospitalization claim (condition code 41, type of bill {written})"
    return (f"a community mental health center claim (type of bill {written}), which the "
            "I/OCE takes for partial hospitalization")


def _mental_health(ctx: ClaimContext, i: int) -> bool:
    d = ctx.dx[i]
    return d.valid and icd10cm.ioce_mental_health(d.facts.code, on=ctx.day)


def _not_on_ioce_list(dotted: str, role: str, first: dt.date) -> NotRun:
    last = icd10cm.ioce_coverage()[1]
    return NotRun(f"{dotted}, {role}, took effect on {first}, after the last I/OCE quarter "
                  f"codekit has (to {last}): that quarter's list of mental health diagnoses "
                  "does not know it, so I/OCE edits 29 and 109 were not judged")


@rule("PHP_IOP_PRINCIPAL_NOT_MENTAL_HEALTH", "D", "error",
      "I/OCE edit 29 (partial hospitalization or intensive outpatient claim lacks a "
      "required mental health diagnosis as principal); edit 109 (code first diagnosis "
      "without a mental health diagnosis as first secondary); Medicare Benefit Policy "
      "Manual ch.6 §70.3", when=["lines"], options=["ioce"])
def php_iop_principal_not_mental_health(ctx: ClaimContext) -> Iterable[Hit | NotRun]:
    """A partial hospitalization or intensive outpatient program claim whose principal
    diagnosis is not on the I/OCE's own list of mental health diagnoses
    (:func:`codekit.icd10cm.ioce_mental_health`: F01-F99, and G30, G31, G47, O9A, R37,
    R41, R45, R48, R69 and Z codes among them), under a profile with the option ``ioce``
    (``medicare-outpatient``), on OPPS claims (``Claim.opps`` not False) of the I/OCE paths
    that run edit 29: 13x with condition code 41 (or 92 from 2024-01-01, the claim's first
    day), and 76x (a community mental health center). A "code first" principal
    (:func:`codekit.icd10cm.ioce_code_first`: T14.91X-, intentional self-harm
    poisonings) is accepted with a mental health diagnosis as the first secondary
    diagnosis, and without one is edit 109 instead. The I/OCE returns the claim. The fix
    names a mental health diagnosis of the claim, when it has one. A principal diagnosis
    that is not valid is not judged (its own finding says what is wrong; the I/OCE
    raises edit 29 beside its edit 1). On a date after the last I/OCE quarter codekit
    has, a principal (or, after a "code first" principal, a first secondary) diagnosis
    that took effect after that quarter is not on its lists (F64.A, FY2027): the edit is
    not judged and the report says so (a :class:`~codekit.findings.NotRun`); when it fires
    there, the notice ``IOCE_DATE_NOT_COVERED`` says the list is the last quarter's."""
    conditions = ctx.claim.condition_codes
    if (PHP_CONDITION not in conditions and IOP_CONDITION not in conditions
            and not (ctx.claim.bill_type or "").strip().lstrip("0").startswith("76")) \
            or not ctx.dx or not ctx.dx[0].valid or not ioce_runs(ctx, 29):
        return ()
    d = ctx.dx[0]
    code, day = d.facts.code, ctx.day
    if icd10cm.ioce_mental_health(code, on=day):
        return ()
    took_effect = newer_than_ioce(code, day)
    if took_effect is not None:
        return (_not_on_ioce_list(d.facts.dotted, "the principal diagnosis", took_effect),)
    code_first = icd10cm.ioce_code_first(code, on=day)
    if code_first and len(ctx.dx) > 1:
        if _mental_health(ctx, 1):
            return ()
        second_dx = ctx.dx[1]
        took_effect = newer_than_ioce(second_dx.facts.code, day) if second_dx.valid else None
        if took_effect is not None:
            return (_not_on_ioce_list(second_dx.facts.dotted, "the first secondary diagnosis",
                                      took_effect),)
    outside = ioce_not_covered(day, "the I/OCE's list of mental health diagnoses")
    if outside is not None:  # it fires on the first or the last quarter's list
        ctx.notice("IOCE_DATE_NOT_COVERED", outside, ("diagnoses", 0))
    others = [o.facts.dotted for i, o in enumerate(ctx.dx) if i and _mental_health(ctx, i)]
    program = _program(ctx)
    if code_first:
        second = "the claim has no secondary diagnosis"
        if len(ctx.dx) > 1:
            first = ctx.dx[1]
            second = (f"the first secondary diagnosis, "
                      f"{first.facts.dotted if first.valid else first.raw}, "
                      "is not one")
        text = (f"{d.facts.dotted}, the principal diagnosis of {program}, is a diagnosis the "
                "I/OCE accepts there only with a mental health diagnosis as the first "
                f"secondary diagnosis, and {second} (I/OCE edit 109, the claim is "
                "returned): report the mental health condition the program treats as the "
                "first secondary diagnosis"
                + (f" ({', '.join(others)}, on the claim, is one)." if others else "."))
        return (Hit(text, ("diagnoses", 0), (d.facts.dotted,), tuple(others[:1])),)
    text = (f"{d.facts.dotted}, the principal diagnosis of {program}, is not on the "
            f"I/OCE's list of mental health diagnoses on {day} (I/OCE edit 29, the claim is "
            "returned): the principal diagnosis of a partial hospitalization or intensive "
            "outpatient program claim is the mental health condition the program treats; "
            + (f"list {others[0]}, on the claim, first." if others else
               "report it first."))
    return (Hit(text, ("diagnoses", 0), (d.facts.dotted,), tuple(others[:1])),)


@rule("PHP_IOP_SERVICE_NOT_APPROVED", "D", "error",
      "I/OCE edit 80 (mental health code not approved for partial hospitalization "
      "program); edit 132 (mental health code not approved for intensive outpatient "
      "program)", when=["lines"], options=["ioce"])
def php_iop_service_not_approved(ctx: ClaimContext) -> Iterable[Hit]:
    """A mental health code the I/OCE does not approve for the program of the claim (its
    HCPCS flags on the line's date: ``mh_not_ph`` for partial hospitalization, e.g.
    90839, 90849, 97151-97158, G0451, and 90853 to 2023-12-31; ``mh_not_iop`` for an
    intensive outpatient program: 0362T, 0373T, 90865), under a profile with the option
    ``ioce`` (``medicare-outpatient``), on the I/OCE paths that run edit 80 or 132: a
    community mental health center claim (76x; an IOP one, condition code 92, from
    2024-01-01: edit 132), and a hospital's partial hospitalization claim (13x with
    condition code 41, OPPS) to 2022-12-31 (the claim's first day; version 24.0 dropped
    the edit from the 13x path). The I/OCE returns the claim."""
    conditions = ctx.claim.condition_codes
    if PHP_CONDITION not in conditions and IOP_CONDITION not in conditions \
            and not (ctx.claim.bill_type or "").strip().lstrip("0").startswith("76"):
        return ()
    if ioce_runs(ctx, 132):
        flag, edit, what = NOT_FOR_IOP, 132, "an intensive outpatient program"
    elif ioce_runs(ctx, 80):
        flag, edit, what = NOT_FOR_PHP, 80, "partial hospitalization"
    else:
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} is a mental health code the I/OCE does not "
                f"approve for {what} {on_day(ln)}, on {_program(ctx)} (I/OCE edit {edit}, "
                "the claim is returned): report the program's services with the codes "
                "approved for it, or bill this service on a claim of its own.",
                line_location(ln), (ln.code or "",))
            for ln, f in companion_lines(ctx) if flag in f and not rejected_first(ctx, ln))


@rule("PHP_IOP_SERVICE_OUTSIDE_PROGRAM", "D", "error",
      "I/OCE edit 81 (partial hospitalization code not payable outside a partial "
      "hospitalization program); edit 133 (intensive outpatient code not payable outside "
      "an intensive outpatient program)", when=["lines"], options=["ioce"])
def php_iop_service_outside_program(ctx: ClaimContext) -> Iterable[Hit]:
    """A partial hospitalization or intensive outpatient program code (the I/OCE's HCPCS
    flags ``ph_not_mh`` and, from 2024-01-01, ``iop_not_mh`` on the line's date: G0129,
    G0176, G0410, G0411) on a hospital outpatient claim that is not the program's (13x
    without condition code 41 or 92, nor 89; OPPS), under a profile with the option
    ``ioce`` (``medicare-outpatient``): one finding a line, for edit 81 (and 133 from
    2024-01-01, the claim's first day: the I/OCE raises both). The I/OCE returns the
    claim."""
    lines = companion_lines(ctx)
    if not any(PHP_ONLY in f or IOP_ONLY in f for _, f in lines) or not ioce_runs(ctx, 81):
        return ()
    late = ioce_runs(ctx, 133)
    out = []
    for ln, f in lines:
        edits = [e for e, flag, runs in ((81, PHP_ONLY, True), (133, IOP_ONLY, late))
                 if runs and flag in f]
        if not edits or rejected_first(ctx, ln):
            continue
        which = " and ".join(map(str, edits))
        programs = ("partial hospitalization (condition code 41) or intensive outpatient "
                    "program (condition code 92)" if 133 in edits else
                    "partial hospitalization (condition code 41)")
        out.append(Hit(
            f"Line {ln.line.line}: {ln.code} is billed only on a {programs} claim "
            f"{on_day(ln)}, and this claim is not one (I/OCE edit{'s' if len(edits) > 1 else ''} "
            f"{which}, the claim is returned): if the service was part of the program, "
            "bill it on the program's claim with its condition code; if not, report the "
            "service with the code for it outside the program.",
            line_location(ln), (ln.code or "",)))
    return out


RULES = (blood_product_billing, blood_revenue_code_mismatch,
         allogeneic_transplant_without_donor, otp_service_bill_type,
         observation_revenue_code_mismatch, direct_referral_without_observation,
         observation_multiple_lines, observation_bill_type,
         trauma_response_without_critical_care, mod_340b_on_pass_through,
         ca_more_than_one, ca_discharge_status, php_iop_principal_not_mental_health,
         php_iop_service_not_approved, php_iop_service_outside_program)
