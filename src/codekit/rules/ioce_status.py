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
- edit 61, status Y with ``dmerc_billable_only``: billable only to the DME MAC;
- edit 72, status M with ``non_billable_mac``: not billable to the MAC that processes
  the facility's claims (e.g. 93000, the global ECG, where the facility bills 93005).

Three more are about the line's revenue code, read through
:func:`codekit.procedure.revenue_code` (the I/OCE's revenue code table, on the line's date):

- edit 41: a revenue code the I/OCE does not know on the date, or one not written as a
  revenue code (four digits; the I/OCE reads the field as a number, so ``450`` is
  ``0450``);
- edit 48: a line with a revenue code and no HCPCS code, where the revenue code needs one
  (not flagged ``bypass_e48``, and not packaged, N, or F without one);
- edit 65: a revenue code Medicare does not recognize on outpatient claims
  (``not_recognized``).

A line without a revenue code is edit 41 too (the I/OCE takes a blank one as invalid).

Four more are a procedure whose companion code is missing, read through
:func:`codekit.procedure.ioce_companion_flags` (the I/OCE's HCPCS flags, on the line's
date), on an outpatient institutional claim:

- edit 43: a blood procedure (``blood_service``) on an OPPS claim with no blood product
  (``blood_product``) on any line;
- edit 87: a skin substitute application without its product on the same day (to
  2025-12-31: ``skin_substitute_sg_lo`` / ``_sg_hi`` without a ``skin_substitute_lo`` /
  ``_hi`` line; from 2026-01-01: ``skin_substitute_application_procedure`` without a
  line of status indicator S1);
- edit 92: a device-intensive procedure (``device_procedure``) on an OPPS claim without
  a device code (``device``) on the same day, unless modifier 52, 73 or 74 is on it, or
  CG with ``bypass_e92_modifier``;
- edit 93: cornea tissue processing (``cornea_tissue_processing``) without a cornea
  transplant (``cornea_transplant``) on the same day.

One more is a drug without the service it was given with: edit 99, a separately payable
drug or biological (status G, K, K1) on an OPPS claim with no OPPS payable procedure,
decided where every line's status is one the I/OCE's pricing steps never make payable
(:data:`NO_PAYABLE_PROCEDURE`), and not on a drug flagged ``bypass_e99``.

Not here: edits 71 (device code missing), 78 (nuclear medicine procedure missing
radiopharmaceutical) and 85 (dependent code missing): the I/OCE (pyoce 0.1.0, versions
2019-07-01 on) never raises them.

Not here, on purpose: edit 9 (E1 ``non_covered``: a non-covered service, denied whatever
the coding), edit 13 (E2: no pricing information) and edit 18 (C: an inpatient-only
procedure, denied with its day): payment decisions, not coding errors.

One is about the claim's type of bill: edit 118 (invalid type of bill: one that is not a
type of bill, blank or malformed; 11x, 18x, 21x and the others the I/OCE has no path for;
from 2024-01-01 a community mental health center claim, 76x, without condition code 41 or
92; a hospital claim of 12x or 14x with condition code 41, edit 46 before; a type of bill
of the other kind of provider, OPPS or not) and edit 46 (condition code 41 on 43x): the
I/OCE returns the claim and, but on 43x, runs no other edit, and codekit then runs none of
the I/OCE's path edits on it (:func:`invalid_bill_type`, :func:`ioce_path`).

Every rule runs under a profile with the option ``ioce`` (``medicare-outpatient``) only,
and on the I/OCE processing paths that run its edit (:func:`ioce_path`, :data:`PATHS`):
the I/OCE picks one path per claim by its type of bill, OPPS flag and (07) condition
codes, and each path runs its own list of edits (e.g. a home health claim, 34x, runs
edits 28, 43 and 62 only with a vaccine, antigen, cast, splint or wound therapy code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from .. import icd10cm, procedure
from ..claims import bill_class, is_total_line
from ..errors import InvalidFormat
from ..findings import Hit
from .context import (
    NO_CMS_EDITOR,
    ClaimContext,
    LineInfo,
    hipps_revenue_codes,
    is_hipps_line,
)
from .engine import rule
from .routing import bill_type_problem

#: (status indicator, I/OCE flag) of each edit, as the I/OCE tables pair them.
NOT_RECOGNIZED_MEDICARE = ("E1", "not_recognized_mcare")
NOT_RECOGNIZED_OPPS = ("B", "not_recognized_opps")
STATUTORY_EXCLUSION = ("E1", "statutory_exclusion")
DME_MAC_ONLY = ("Y", "dmerc_billable_only")
NOT_BILLABLE_TO_MAC = ("M", "non_billable_mac")
#: The revenue code under which a hospice (81x, 82x) bills its physicians' services: the
#: I/OCE does not apply edit 72 to such lines.
HOSPICE_PHYSICIAN_REVENUE = "0657"


def _runs(ctx: ClaimContext) -> bool:
    # the plan runs these rules under a profile with the option ``ioce`` only
    return not ctx.claim.is_inpatient


def professional_revenue(ln: LineInfo) -> bool:
    """A line under a professional-fee revenue code (0960-0989), as a critical access
    hospital (85x) bills its physicians' services (method II): the I/OCE treats such lines
    apart (edits 17, 74, 87)."""
    rev = (ln.line.revenue_code or "").strip()
    return rev.isdigit() and "0960" <= rev.zfill(4) <= "0989"


# -- the I/OCE's processing paths ------------------------------------------------------------

#: The I/OCE's HCPCS flags (``procedure.ioce_companion_flags``, on the line's date) that
#: send a home health claim (34x) down its OPPS branch, with ``vaccine``
#: (``ProcedureEntry.flags``), and (antigen, cast, splint) a claim with condition code 07
#: down the CC07 path: the data's flag -> the claim flag it sets.
PATH_FLAGS = {"antigen": "antigen", "cast": "cast", "splint": "splint",
              "negative_pressure_wound_therapy": "npwt"}
#: The types of bill a claim with condition code 07 leaves for the CC07 path.
CC07_BILLS = frozenset({"22", "23", "32", "72", "74", "75", "81", "82"})
#: Types of bill the I/OCE has a path for on non-OPPS claims only, and on OPPS claims only.
NON_OPPS_ONLY = frozenset({"73", "78", "83", "84", "85", "89"})
OPPS_ONLY = frozenset({"76"})
#: The types of bill with a path of their own whatever the OPPS flag.
ANY_OPPS = frozenset({"12", "13", "14", "22", "23", "32", "34", "43", "71", "72", "74", "75",
                      "77", "81", "82", "87"})
_PATH_BILLS = ANY_OPPS | NON_OPPS_ONLY | OPPS_ONLY

#: For each edit of this module, the I/OCE processing paths that run it (a type of bill's
#: two first digits, or ``"cc07"``) and what each needs besides: ``opps`` (``Claim.opps``
#: not False), ``no89`` (no condition code 89), ``no41_92`` (nor 41, 92), ``no65`` (nor
#: 65), ``cc89`` (condition code 89: edit 53 on 13x), ``w2`` (condition code W2: a Part
#: B inpatient claim rebilled after a Part A denial; edits 60 and 70 on 12x), ``flagged`` (a
#: valid line with a vaccine, antigen, cast, splint or negative pressure wound therapy
#: code: the OPPS branch of 34x), ``not22_23`` (the claim's type of bill is not 22x or
#: 23x), ``program`` (condition code 41, or 92 from 2024-01-01: a partial hospitalization
#: or intensive outpatient program claim), ``iop`` (condition code 92 from 2024-01-01: the
#: I/OCE's IOP branch, version 25.0 on), ``not_iop``, ``php`` (condition code 41 and not
#: ``iop``), ``before_2023`` (the claim's first day before 2023-01-01, version 24.0),
#: ``from_2024`` (on or after 2024-01-01). Read from pyoce's ``OceProcessingLogicPhasePath``
#: and its ``BillType*LogicPath`` classes (the port of the CMS I/OCE, versions from 2019-07-01).
_EVERY = ("12", "13", "14", "22", "23", "32", "34", "43", "71", "72", "73", "74", "75", "76",
          "77", "78", "81", "82", "83", "84", "85", "87", "89", "cc07")
PATHS: dict[int, dict[str, tuple[str, ...]]] = {
    28: {"12": (), "13": ("no89",), "14": (), "22": (), "23": (), "34": ("opps", "flagged"),
         "85": ("no89",), "cc07": ()},
    62: {"12": ("opps",), "13": ("opps", "no89"), "14": ("opps",),
         "34": ("opps", "flagged"), "cc07": ("not22_23",)},
    50: {p: () for p in _EVERY if p != "43"},
    61: {p: () for p in _EVERY if p not in ("32", "34", "43", "81", "82", "cc07")},
    41: dict.fromkeys(_EVERY, ()),
    48: {p: ("no89",) if p == "13" else () for p in _EVERY
         if p not in ("43", "81", "82", "85", "cc07")},
    65: dict.fromkeys(_EVERY, ()),
    43: {"12": ("opps",), "13": ("opps", "no89"), "34": ("opps", "flagged"), "76": (),
         "cc07": ()},
    87: {"12": (), "13": ("no89", "no41_92"), "83": (), "85": ("no89",)},
    92: {"12": ("opps",), "13": ("opps", "no89")},
    93: {"12": (), "13": ("no89", "no41_92"), "85": ("no89",)},
    # the bilateral edits of codekit.rules.modifier_edits (85x: the I/OCE's 85x variants)
    17: {"12": (), "13": ("no89",), "34": ("opps", "flagged"), "85": ("no89",), "cc07": ()},
    74: {"12": (), "13": ("no89",), "14": (), "34": ("opps", "flagged"), "85": ("no89",),
         "cc07": ()},
    37: {"12": ("opps",), "13": ("opps", "no89"), "14": ("opps",), "85": ("no89",)},
    # 71x and 77x: the I/OCE bypasses edit 72 for status M there (every flagged code is M)
    72: {p: () for p in _EVERY if p not in ("43", "71", "77")},
    # edit 113 of codekit.rules.conventions (DX_SECONDARY_ONLY_FIRST_LISTED): every path
    # with diagnosis edits, each with its list (INPATIENT_PRINCIPAL_PATHS)
    113: {p: () for p in _EVERY if p != "43"},
    # edit 120 of codekit.rules.screening_modifiers (MOD_PT_NOT_APPLICABLE)
    120: {"12": (), "13": ("no89", "no41_92"), "85": ("no89",)},
    # from version 23.2 (2022-07-01) on every path but 43x; 77x not with condition code 65
    124: {p: ("no65",) if p == "77" else () for p in _EVERY if p != "43"},
    # the billing-form edits of codekit.rules.ioce_billing: 73 (BloodLogic), 79
    # (BloodProductRevenueCodeConflictLogic), 100 (AllogeneicTransplantLogic), 116
    # (OpioidTreatmentLogic, from version 20.0, 2020-01-01), 44 (ObservationRevenueCode
    # Logic), 58 (DirectAdmissionRequiresObservationLogic), 51 (MultipleHourlyObservation
    # Logic: 13x on OPPS claims), 53 (OutpatientHospitalCode
    # OnlyLogic: 13x only with condition code 89), 76 (RevenueCodeCodeRequiresTrauma
    # ResponseLogic), 122 (AcquiredDrug340BLogic, versions 23.1 to 25.3)
    73: {"12": ("opps",), "13": ("opps", "no89", "no41_92")},
    79: {"12": (), "13": ("opps", "no89", "no41_92"), "73": (), "83": (), "85": ("no89",)},
    100: {"12": (), "13": ("no89", "no41_92"), "85": ("no89",)},
    116: {p: {"13": ("no89",), "77": ("no65",), "85": ("no89",)}.get(p, ())
          for p in _EVERY if p not in ("43", "87", "cc07")},
    44: {"13": ("no89", "no41_92"), "85": ("no89",)},
    58: {"12": ("opps",), "13": ("opps", "no89"), "85": ("no89",)},
    51: {"13": ("opps", "no89", "no41_92"), "85": ("no89",)},
    # 60 and 70, modifier CA (InpatientComprehensiveLogic): OPPS 13x without 41, 89, 92,
    # and OPPS 12x with condition code W2 (a Part B inpatient claim after a Part A denial)
    # 21, a visit on the day of a status S or T procedure without 25
    # (SameDayEandMSurgeryLogic): OPPS 13x without 41, 89, 92; OPPS 12x (with W2: without
    # it the visit keeps J2 or is rejected, edit 127, and no edit 21 follows); 85x without
    # 89 (SameDayEandMSurgery85xLogic)
    21: {"12": ("opps", "w2"), "13": ("opps", "no89", "no41_92"), "85": ("no89",)},
    60: {"12": ("opps", "w2"), "13": ("opps", "no89", "no41_92")},
    70: {"12": ("opps", "w2"), "13": ("opps", "no89", "no41_92")},
    53: {p: ("cc89",) if p == "13" else () for p in _EVERY if p not in ("43", "85")},
    76: {"12": ("opps",), "13": ("no89", "no41_92"), "85": ("no89",)},
    122: {"12": ("opps",), "13": ("opps",), "34": ("opps", "flagged"), "76": (), "cc07": ()},
    # edit 99 (DrugBiologicalMissingPayableServiceLogic) of DRUG_WITHOUT_PAYABLE_PROCEDURE
    99: {"12": ("opps",), "13": ("opps", "no89"), "76": ()},
    # the partial hospitalization (PHP) and intensive outpatient program (IOP) edits of
    # codekit.rules.ioce_billing, on OPPS claims: 29 and 109 (NonMentalHealthDiagnosis
    # Logic, CodeFirstNonMentalHealthDiagnosisLogic) on 13x with condition code 41, or 92
    # from 2024-01-01, and on every 76x claim; 80 (MentalHealthNotApprovedPartial
    # HospitalizationLogic) on the PHP branch of 76x, and of 13x to 2022-12-31; 132
    # (MentalHealthNotApprovedIOPLogic) on the IOP branch of 76x; 81 and 133 (MentalHealth
    # NotPayableOutsidePhpLogic, ...OutsideIOPLogic, this one from 2024-01-01) on 13x
    # without condition code 41, 89 or 92
    29: {"13": ("opps", "program"), "76": ()},
    80: {"13": ("opps", "php", "before_2023"), "76": ("not_iop",)},
    132: {"76": ("iop",)},
    81: {"13": ("opps", "no89", "no41_92")},
    133: {"13": ("opps", "no89", "no41_92", "from_2024")},
    # edit 102 (HcpcsModifierConflictLogic) of MOD_COMBINATION_INVALID
    # (codekit.rules.modifier_edits); on 32x not on a line under revenue code 0023
    102: {p: {"13": ("no89",), "77": ("no65",), "85": ("no89",)}.get(p, ())
          for p in ("12", "13", "14", "32", "71", "72", "74", "75", "76", "77", "81", "82",
                    "85")},
}


def _flags(ctx: ClaimContext) -> frozenset[str]:
    """Which of the I/OCE's claim flags the valid lines set: ``vaccine``, ``antigen``,
    ``cast``, ``splint``, ``npwt``."""
    memo = ctx.memo.get("ioce_claim_flags")
    if memo is not None:
        return memo
    out: set[str] = set()
    for ln in ctx.valid_lines:
        if "vaccine" in ln.entry.flags:
            out.add("vaccine")
        for flag in procedure.ioce_companion_flags(ln.code, on=ln.day):
            name = PATH_FLAGS.get(flag)
            if name is not None:
                out.add(name)
    flags = frozenset(out)
    ctx.memo["ioce_claim_flags"] = flags
    return flags


def ioce_path(ctx: ClaimContext) -> str | None:
    """The I/OCE processing path of an outpatient institutional claim: its type of bill's
    first two digits, ``"cc07"`` for an OPPS claim of 22x, 23x, 32x, 72x, 74x, 75x, 81x or
    82x with condition code 07 and an antigen, cast or splint code, or None where the
    I/OCE has no path (73x, 78x, 83x, 84x, 85x, 89x on an OPPS claim; 76x on a non-OPPS
    claim; a claim the I/OCE returns with edit 118 or 46 before any other edit:
    :func:`invalid_bill_type`, among them a type of bill that is not one, or one the I/OCE
    has no path for; a type of bill no CMS editor takes that the payer routing sent here
    with its notice, ``ClaimContext.route_problem`` ``"no-editor"``: a skilled nursing
    facility's 21x, a swing bed's 18x, which CMS pays under their own systems and never
    puts through the I/OCE). A claim without a type of bill is taken as 13x. An unknown
    OPPS flag (``Claim.opps`` None) is OPPS, except on the types of bill the I/OCE edits on
    non-OPPS claims only. Worked out once a claim."""
    if "ioce_path" in ctx.memo:
        return ctx.memo["ioce_path"]
    claim = ctx.claim
    bill = bill_class(ctx.claim.bill_type)
    if bill not in _PATH_BILLS:
        bill = "13"
    path: str | None = bill
    invalid = invalid_bill_type(ctx)
    if claim.is_inpatient or (invalid is not None and invalid[2]) or \
            ctx.route_problem == NO_CMS_EDITOR:
        path = None
    elif bill in CC07_BILLS and claim.opps is not False and "07" in claim.condition_codes \
            and not _flags(ctx).isdisjoint(("antigen", "cast", "splint")):
        path = "cc07"
    elif (bill in NON_OPPS_ONLY and claim.opps is True) or \
            (bill in OPPS_ONLY and claim.opps is False):
        path = None
    ctx.memo["ioce_path"] = path
    return path


#: The first day of the I/OCE version (94, 2024-01-01) that returns a community mental
#: health center claim (76x) without condition code 41 or 92 with edit 118, and a hospital
#: claim of 12x or 14x with condition code 41 with edit 118 instead of edit 46 (pyoce's
#: ``ValidateBillType``: version after 93, read from the claim's first day).
BILL_TYPE_EDIT_FROM = dt.date(2024, 1, 1)
#: Condition codes 41 (partial hospitalization) and 92 (intensive outpatient program).
PARTIAL_HOSPITALIZATION = "41"
INTENSIVE_OUTPATIENT = "92"

#: Why the I/OCE rejects a claim's type of bill (:func:`invalid_bill_type`): the I/OCE
#: edit (118 or 46), what is wrong (``"76x"``, ``"cc41"``, ``"opps"``), and whether the
#: I/OCE stops there (no other edit).
BillTypeError = tuple[int, str, bool]


def first_day(ctx: ClaimContext) -> dt.date:
    """The claim's first day, which picks the I/OCE version: its statement period's start,
    else its date of service."""
    period = ctx.claim.statement_period
    return period[0] if period is not None else ctx.day


def invalid_bill_type(ctx: ClaimContext) -> BillTypeError | None:
    """Why the I/OCE rejects an outpatient institutional claim's type of bill, or None:

    - ``(118, "76x", True)``: from 2024-01-01 (the claim's first day), a community mental
      health center claim (76x) without condition code 41 or 92;
    - ``(118, "cc41", True)`` from 2024-01-01, ``(46, "cc41", True)`` before: a hospital
      claim of 12x or 14x with condition code 41 (partial hospitalization);
    - ``(46, "cc41", False)``: a 43x claim with condition code 41 (the I/OCE goes on);
    - ``(118, "opps", True)``: a type of bill the I/OCE has a path for on non-OPPS claims
      only (73x, 78x, 83x, 84x, 85x, 89x) on an OPPS claim (``Claim.opps`` True), or 76x
      on a non-OPPS one (``Claim.opps`` False);
    - ``(118, "form", True)``: an institutional claim whose type of bill, given, is not
      one (blank, not three characters after the UB-04's leading zero, a type of facility
      or bill classification that is not a digit, type of facility 0 or 9:
      :func:`codekit.rules.routing.bill_type_problem`);
    - ``(118, "11x", True)``: a hospital inpatient claim (11x), which CMS edits with the
      MCE, judged under a profile of the I/OCE's (a profile chosen for every claim: the
      payer routing sends 11x to ``medicare-inpatient``);
    - ``(118, "path", True)``: another type of bill the I/OCE has no path for (its first
      two digits are none of :data:`codekit.rules.routing.IOCE_BILL_TYPES`: 18x, 21x,
      41x...), but not on a claim the payer routing sent here with its notice that no CMS
      editor takes the type of bill (``ClaimContext.route_problem`` ``"no-editor"``): a
      skilled nursing facility's 21x is a claim of its own payment system, not one the
      I/OCE returns (:func:`ioce_path` is None on it: no I/OCE edit runs).

    A claim without a type of bill (``Claim.bill_type`` None) is none of these: it is
    taken as 13x. The third item says whether the I/OCE stops there (runs no other edit):
    then :func:`ioce_path` is None. Worked out once a claim."""
    if "ioce_bill_invalid" in ctx.memo:
        return ctx.memo["ioce_bill_invalid"]
    claim = ctx.claim
    why: BillTypeError | None = None
    bill = bill_class(ctx.claim.bill_type)
    written = claim.bill_type
    malformed = written is not None and bill_type_problem(written) is not None
    if written is not None and claim.is_institutional and (
            malformed or bill not in _PATH_BILLS):
        # not a type of bill, an inpatient claim, or one the I/OCE has no path for
        if malformed:
            why = (118, "form", True)
        elif claim.is_inpatient:
            why = (118, "11x", True)
        elif ctx.route_problem != "no-editor":
            why = (118, "path", True)
    elif bill in _CHECKED_BILLS and not claim.is_inpatient:
        conditions = claim.condition_codes
        php = PARTIAL_HOSPITALIZATION in conditions
        late = first_day(ctx) >= BILL_TYPE_EDIT_FROM
        if bill == "76" and late and not php and INTENSIVE_OUTPATIENT not in conditions:
            why = (118, "76x", True)
        elif bill in ("12", "14") and php:
            why = (118 if late else 46, "cc41", True)
        elif (bill in NON_OPPS_ONLY and claim.opps is True) or \
                (bill in OPPS_ONLY and claim.opps is False):
            why = (118, "opps", True)
        elif bill == "43" and php:
            why = (46, "cc41", False)
    ctx.memo["ioce_bill_invalid"] = why
    return why


_CHECKED_BILLS = NON_OPPS_ONLY | OPPS_ONLY | {"12", "14", "43"}


def ioce_runs(ctx: ClaimContext, edit: int) -> bool:
    """Whether the I/OCE's path of the claim (:func:`ioce_path`) runs ``edit``, an I/OCE
    edit number of :data:`PATHS`."""
    return runs_on(ctx, PATHS[edit])


#: The paths that run the I/OCE's add-on logic (edits 106-108), as :data:`PATHS` gives
#: an edit's: its maps of OPPS claims, the Software as a Service map (``AddonSaaSLogic``)
#: on OPPS 13x without condition code 41, 89 or 92 and the remote mental health map
#: (``AddonRemoteMentalHealthLogic``) on OPPS 12x and 13x without 89; and ``"general"``,
#: the NCCI add-on lists (pyoce's ``BillType*LogicPath`` classes).
ADDON_MAP_PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    "saas": {"13": ("opps", "no89", "no41_92")},
    "remote_mental_health": {"12": ("opps",), "13": ("opps", "no89")},
    # the NCCI add-on edits of every claim (AddonType1And3PairLogic, its 85x variant,
    # AddonType2Logic, AddonDrugPairLogic: edits 106-108): on 12x, 13x and 14x non-OPPS
    # claims only, on 34x off its OPPS branch, never on 43x and 76x, on every other path
    # whatever the OPPS flag
    "general": {p: ("non_opps",) if p in ("12", "13", "14") else
                ("not_opps_branch",) if p == "34" else ()
                for p in _EVERY if p not in ("43", "76")},
}


def runs_on(ctx: ClaimContext, paths: dict[str, tuple[str, ...]]) -> bool:
    """Whether the claim's path (:func:`ioce_path`) is one of ``paths`` (a value of
    :data:`PATHS` or :data:`ADDON_MAP_PATHS`) and meets what it needs there."""
    path = ioce_path(ctx)
    needs = paths.get(path) if path is not None else None
    if needs is None:
        return False
    return all(_NEEDS[need](ctx) for need in needs)


#: The paths that run the I/OCE's inpatient form of edit 113
#: (``DiagnosisUnacceptablePrincipalInpatientLogic``: 12x, 22x, 81x, 82x); the others run
#: its outpatient form (``DiagnosisUnacceptablePrincipalLogic``), the CC07 path too.
INPATIENT_PRINCIPAL_PATHS = frozenset({"12", "22", "81", "82"})


def ioce_principal_list(ctx: ClaimContext) -> str | None:
    """Which of the I/OCE's lists of diagnoses unacceptable as the principal diagnosis
    (edit 113) the claim's path (:func:`ioce_path`) runs: ``"inpatient"`` on the paths of
    12x, 22x, 81x and 82x, ``"outpatient"`` on the others (condition code 07's too), None
    where the path runs no edit 113 (43x; no path).

    The lists are :attr:`codekit.icd10cm.Facts.ioce_unacceptable_principal` and
    :attr:`codekit.icd10cm.Facts.ioce_unacceptable_principal_inpatient` (the outpatient list
    and the codes whose exclusion flag the I/OCE's inpatient logic disregards, F02-F07...
    from 2025-04-01)."""
    if not ioce_runs(ctx, 113):
        return None
    return "inpatient" if ioce_path(ctx) in INPATIENT_PRINCIPAL_PATHS else "outpatient"


def ioce_not_covered(day: dt.date, what: str) -> str | None:
    """The message of the notice ``IOCE_DATE_NOT_COVERED`` for ``what`` (an I/OCE list,
    "the I/OCE's unacceptable-principal list") answered for ``day`` outside the I/OCE
    quarters codekit has: after the last one, as of it; before the first one (2019-07-01),
    as of that one. None on a date they cover."""
    first, last = icd10cm.ioce_coverage()
    if day > last:
        return (f"{day} is after the last I/OCE quarter codekit has (to {last}): {what} is "
                "answered as of then")
    if day < first:
        return (f"{day} is before the first I/OCE quarter codekit has (from {first}): "
                f"{what} is answered as of that quarter")
    return None


def newer_than_ioce(code: str, day: dt.date) -> dt.date | None:
    """The date ``code`` (compact, valid on ``day``) took effect, when that is after the
    last I/OCE quarter codekit has and ``day`` is too: that quarter's diagnosis table does
    not list the code (F64.A, FY2027, against I/OCE 27.1 of 2026-04-01), so its lists
    cannot judge it; None otherwise (the date test first: claims the bundled I/OCE
    quarters cover pay nothing more)."""
    last = icd10cm.ioce_coverage()[1]
    if day <= last:
        return None
    first = min((a for a, _ in icd10cm.valid_ranges(code)), default=None)
    return first if first is not None and first > last else None


#: The first day of the I/OCE version (24.0, 2023-01-01) whose 13x path no longer runs
#: edit 80 (a mental health code not approved for partial hospitalization).
PHP_APPROVAL_EDIT_TO = dt.date(2023, 1, 1)


def intensive_outpatient(ctx: ClaimContext) -> bool:
    """An intensive outpatient program claim as the I/OCE's paths take it: condition code
    92 on a claim from 2024-01-01 (the claim's first day; version 25.0, where the IOP
    branches begin)."""
    return INTENSIVE_OUTPATIENT in ctx.claim.condition_codes and \
        first_day(ctx) >= BILL_TYPE_EDIT_FROM


#: What each requirement of :data:`PATHS` asks of the claim.
_NEEDS: dict[str, Callable[[ClaimContext], bool]] = {
    "opps": lambda ctx: ctx.claim.opps is not False,
    "no89": lambda ctx: "89" not in ctx.claim.condition_codes,
    "no41_92": lambda ctx: not {"41", "92"} & set(ctx.claim.condition_codes),
    "no65": lambda ctx: "65" not in ctx.claim.condition_codes,
    "cc89": lambda ctx: "89" in ctx.claim.condition_codes,
    "w2": lambda ctx: "W2" in ctx.claim.condition_codes,
    "flagged": lambda ctx: bool(_flags(ctx)),
    "non_opps": lambda ctx: ctx.claim.opps is False,
    "not_opps_branch": lambda ctx: ctx.claim.opps is False or not _flags(ctx),
    "program": lambda ctx: PARTIAL_HOSPITALIZATION in ctx.claim.condition_codes
    or intensive_outpatient(ctx),
    "iop": lambda ctx: intensive_outpatient(ctx),
    "not_iop": lambda ctx: not intensive_outpatient(ctx),
    "php": lambda ctx: PARTIAL_HOSPITALIZATION in ctx.claim.condition_codes
    and not intensive_outpatient(ctx),
    "before_2023": lambda ctx: first_day(ctx) < PHP_APPROVAL_EDIT_TO,
    "from_2024": lambda ctx: first_day(ctx) >= BILL_TYPE_EDIT_FROM,
    "not22_23": lambda ctx: bill_class(ctx.claim.bill_type) not in ("22", "23"),
}


def _flagged(ctx: ClaimContext, status: tuple[str, str]) -> Iterator[LineInfo]:
    """The valid lines whose code has ``status`` (indicator and flag) on the line's date."""
    si, flag = status
    for ln in ctx.valid_lines:
        entry = ln.entry
        if flag in entry.flags and entry.status_indicator == si:
            yield ln


def status_text(ln: LineInfo) -> str:
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


@rule("BILL_TYPE_INVALID", "D", "error",
      "I/OCE edit 118 (invalid type of bill); edit 46 (partial hospitalization condition "
      "code 41 not approved for type of bill); UB-04 FL4, 837I CLM05 (type of bill)",
      when=["lines"], options=["ioce"])
def bill_type_invalid(ctx: ClaimContext) -> Iterable[Hit]:
    """A type of bill the I/OCE rejects (:func:`invalid_bill_type`), under a profile with
    the option ``ioce`` (``medicare-outpatient``): one that is not a type of bill (blank,
    not three characters after the UB-04's leading zero, ``1X1``, ``A31``, type of
    facility 0 or 9: edit 118); a hospital inpatient claim, 11x, which the MCE edits (a
    profile chosen for every claim; edit 118); one the I/OCE has no path for (18x, 21x,
    41x...; not on a claim the payer routing sent here saying that no CMS editor takes it:
    edit 118); from 2024-01-01 (the claim's first day) a community mental health center
    claim (76x) without condition code 41 (partial hospitalization) or 92 (intensive
    outpatient program), the programs a CMHC bills on 76x (edit 118); a hospital claim of
    12x or 14x with condition code 41, which a hospital bills on 13x (edit 46 to
    2023-12-31, 118 from 2024-01-01); a 43x claim with condition code 41 (edit 46); a type
    of bill the I/OCE edits for non-OPPS providers only (73x, 78x, 83x-85x, 89x) on an
    OPPS claim, or 76x on a non-OPPS one (edit 118). The I/OCE returns the claim and, but
    on 43x, runs no other edit; codekit runs none of its path edits on it either
    (:func:`ioce_path` is None). A claim without a type of bill is taken as 13x; a claim
    without service lines is not judged (the I/OCE returns it for that first)."""
    if not ctx.claim.service_lines:
        return ()
    invalid = invalid_bill_type(ctx)
    if invalid is None:
        return ()
    edit, why, _ = invalid
    written = (ctx.claim.bill_type or "").strip()
    first = first_day(ctx)
    returned = f"I/OCE edit {edit}, the claim is returned"
    if why == "form":
        raw = ctx.claim.bill_type or ""
        what = ("The type of bill is blank" if not written else
                f"Type of bill {raw!r} {bill_type_problem(raw)}" if raw != written else
                f"Type of bill {written} {bill_type_problem(raw)}")
        text = (f"{what}: a type of bill is three characters, the type of facility, the "
                "bill classification and the frequency, e.g. 131 (UB-04 FL4, whose leading "
                "zero codekit drops: 0131 is 131; 837I CLM05-1 and CLM05-3) "
                f"({returned}): report the claim's type of bill.")
        return (Hit(text, ("bill_type",), (written,) if written else ()),)
    if why == "11x":
        text = (f"Type of bill {written} is a hospital inpatient claim (11x), which CMS "
                f"edits with the MCE; the I/OCE processes no 11x claim ({returned}): "
                "check it under medicare-inpatient, or, if it is an outpatient claim, "
                "correct the type of bill.")
        return (Hit(text, ("bill_type",), (written,)),)
    if why == "path":
        text = (f"Type of bill {written}: the I/OCE processes types of bill 12x-14x, 22x, "
                "23x, 32x, 34x, 43x, 71x-78x, 81x-85x, 87x and 89x only, not "
                f"{bill_class(ctx.claim.bill_type)}x ({returned}): correct the type of bill; "
                "if it is right, CMS does not run the I/OCE on the claim, so check it under a "
                "profile of its own payment system.")
        return (Hit(text, ("bill_type",), (written,)),)
    if why == "76x":
        text = (f"Type of bill {written} (community mental health center) without condition "
                f"code 41 or 92 on a claim from {first} ({returned}; from 2024-01-01 a CMHC "
                "bills partial hospitalization, condition code 41, or an intensive "
                "outpatient program, condition code 92, on 76x): report the program's "
                "condition code.")
    elif why == "cc41" and bill_class(ctx.claim.bill_type) == "43":
        text = (f"Type of bill {written} with condition code 41 (partial hospitalization) "
                f"({returned}: partial hospitalization is not billed on this type of "
                "bill): take condition code 41 off.")
    elif why == "cc41" and edit == 46:
        text = (f"Type of bill {written} with condition code 41 (partial hospitalization) "
                f"({returned}: partial hospitalization is not billed on this type of bill; "
                "a hospital bills it on 13x): bill the program on 13x, or take condition "
                "code 41 off.")
    elif why == "cc41":
        text = (f"Type of bill {written} (hospital) with condition code 41 (partial "
                f"hospitalization) on a claim from {first} ({returned}; a hospital bills "
                "partial hospitalization on type of bill 13x): bill the program on 13x, or "
                "take condition code 41 off.")
    else:
        opps = "non-OPPS" if ctx.claim.opps else "OPPS"
        text = (f"Type of bill {written} on {'an OPPS' if ctx.claim.opps else 'a non-OPPS'} "
                f"claim: the I/OCE edits type of bill {bill_class(ctx.claim.bill_type)}x for "
                f"{opps} providers only ({returned}): correct the type of bill, or the "
                "claim's OPPS flag.")
    return (Hit(text, ("bill_type",), (written,)),)


@rule("PROC_NOT_RECOGNIZED_BY_MEDICARE", "D", "error",
      "I/OCE edit 28 (code not recognized by Medicare for outpatient claims; alternate code "
      "for same service may be available)", when=["lines"], options=["ioce"])
def not_recognized_by_medicare(ctx: ClaimContext) -> Iterable[Hit]:
    """A code the I/OCE does not recognize for Medicare outpatient claims (status indicator
    E1 with the I/OCE's not-recognized flag on the line's date: e.g. the CPT
    Category II codes), under a profile with the option ``ioce`` (``medicare-outpatient``),
    on the I/OCE paths that run edit 28 (:data:`PATHS`: not 13x with condition code 89,
    nor 32x, for instance). The I/OCE rejects the line; an alternate code may be
    available for the same service (codekit's data names none)."""
    if not ioce_runs(ctx, 28):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} {status_text(ln)}: Medicare does not recognize "
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
    claim (``Claim.opps`` not False), under a profile with the option ``ioce``
    (``medicare-outpatient``), on the I/OCE paths that run edit 62 (:data:`PATHS`: 12x,
    13x without condition code 89, 14x, ...; not 85x). The I/OCE returns the claim. The
    fix names the code OPPS takes where codekit knows it: G0463 for an office visit, the
    definitive drug testing codes G0480-G0483 and G0659 for CPT's 80320-80377."""
    if not ioce_runs(ctx, 62):
        return ()
    out = []
    for ln in _flagged(ctx, NOT_RECOGNIZED_OPPS):
        fix = _clinic_visit(ln)
        drug = not fix and ln.code in procedure.DEFINITIVE_DRUG_TESTS
        if drug:
            fix = tuple(g for g, _, _ in procedure.MEDICARE_DEFINITIVE_DRUG_TESTS)
        out.append(Hit(
            f"Line {ln.line.line}: {ln.code} {status_text(ln)}: OPPS does not recognize it "
            "(I/OCE edit 62, the claim is returned): " + (
                "report the day's definitive drug testing as one line of the Level II code "
                "Medicare pays it with, by the number of drug classes tested: G0480 (1-7), "
                "G0481 (8-14), G0482 (15-21), G0483 (22 or more), or G0659 (CMS Clinical "
                "Laboratory Fee Schedule)." if drug else
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
    if not ioce_runs(ctx, 50):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} {status_text(ln)}: the service is excluded "
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
    option ``ioce`` (``medicare-outpatient``), on the I/OCE paths that run edit 61
    (:data:`PATHS`). Not on an OPPS claim with a comprehensive APC procedure (status J1
    on the claim's date, without condition code 41, 89 or 92): the I/OCE packages every
    other line into it. The I/OCE returns the claim."""
    if not ioce_runs(ctx, 61):
        return ()
    flagged = list(_flagged(ctx, DME_MAC_ONLY))
    if not flagged or _comprehensive(ctx):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} {status_text(ln)}: it is billable only to the "
                "DME MAC (I/OCE edit 61, the claim is returned): bill it to the DME MAC and "
                "take the line off this claim.", ("service_lines", ln.index,
                                                   "procedure_code"), (ln.code or "",))
            for ln in flagged)


@rule("PROC_NOT_BILLABLE_TO_MAC", "D", "error",
      "I/OCE edit 72 (service not billable to the Fiscal Intermediary/MAC)", when=["lines"],
      options=["ioce"])
def not_billable_to_mac(ctx: ClaimContext) -> Iterable[Hit]:
    """A code the MAC that processes the facility's claims does not take (status indicator
    M with the I/OCE's flag on the line's date: e.g. 93000, the global ECG, where the
    facility bills 93005; the Category II codes in some quarters) on an outpatient claim,
    under a profile with the option ``ioce`` (``medicare-outpatient``), on the I/OCE paths
    that run edit 72 (:data:`PATHS`: not 43x; not 71x, 77x, where the I/OCE bypasses status
    M). Not on a hospice claim's (81x, 82x) physician-service line (revenue code 0657) nor
    on a critical access hospital's (85x) professional-fee line (0960-0989): those are
    billed there. The I/OCE returns the claim."""
    if not ioce_runs(ctx, 72):
        return ()
    bill = bill_class(ctx.claim.bill_type)
    out = []
    for ln in _flagged(ctx, NOT_BILLABLE_TO_MAC):
        if bill in ("81", "82") and \
                (ln.line.revenue_code or "").strip().zfill(4) == HOSPICE_PHYSICIAN_REVENUE:
            continue
        if bill == "85" and professional_revenue(ln):
            continue
        out.append(Hit(f"Line {ln.line.line}: {ln.code} {status_text(ln)}: it is not billable "
                       "to the MAC on a facility claim (I/OCE edit 72, the claim is "
                       "returned): report the facility's own code for the service (the "
                       "technical component), or bill the service where it is payable and "
                       "take the line off this claim.",
                       ("service_lines", ln.index, "procedure_code"), (ln.code or "",)))
    return out


def _comprehensive(ctx: ClaimContext) -> bool:
    """A comprehensive APC procedure (status J1) makes the claim's payment one APC: on an
    OPPS claim that the I/OCE's comprehensive-APC step runs on (not 85x, nor condition
    codes 41, 89, 92)."""
    claim = ctx.claim
    if claim.opps is False or bill_class(ctx.claim.bill_type) == "85" or \
            {"41", "89", "92"} & set(claim.condition_codes):
        return False
    return any(ln.entry.status_indicator == "J1" for ln in ctx.valid_lines)


# -- the revenue-code edits ------------------------------------------------------------------

#: A line's revenue code as the rules read it: (the line, the code as written, "" when
#: there is none, why it is not written as a revenue code or None, the I/OCE's entry on
#: the line's date or None).
RevenueLine = tuple[LineInfo, str, "str | None", "procedure.RevenueEntry | None"]


def revenue_lines(ctx: ClaimContext) -> list[RevenueLine]:
    """The lines of an outpatient institutional claim, each with its revenue code as
    written ("" when it has none) and its I/OCE entry (read once a claim, for the three
    edits). Not the UB-04's total line (revenue code 0001,
    :func:`codekit.claims.is_total_line`), which states the total and is no service: the
    I/OCE never receives it (an 837I carries the total in CLM02), so no revenue-code edit
    judges it."""
    memo = ctx.memo.get("ioce_revenue")
    if memo is not None:
        return memo
    out: list[RevenueLine] = []
    if _runs(ctx) and ctx.claim.is_institutional:
        for ln in ctx.lines:
            written = ln.line.revenue_code
            if written is None or not written.strip():
                out.append((ln, "", None, None))
                continue
            if is_total_line(ln.line):
                continue  # the UB-04's total line: no service the I/OCE edits
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
    (``medicare-outpatient``). A line without a revenue code too: the I/OCE takes a blank
    one as invalid (the claim model makes it optional; an 837I's SV201 is required). On
    every I/OCE path (:func:`ioce_path`). The I/OCE returns the claim."""
    if not ioce_runs(ctx, 41):
        return ()
    out = []
    for ln, written, malformed, entry in revenue_lines(ctx):
        if entry is not None:
            continue
        where = ("service_lines", ln.index, "revenue_code")
        if not written:
            out.append(Hit(f"Line {ln.line.line} has no revenue code (I/OCE edit 41, the claim "
                           "is returned): report the line's NUBC revenue code (four digits: "
                           "the code of the department that gave the service).", where))
        elif malformed is not None:
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


@rule("REVENUE_CODE_REQUIRES_HCPCS", "D", "error",
      "I/OCE edit 48 (revenue center requires HCPCS)", when=["lines"], options=["ioce"])
def revenue_code_requires_hcpcs(ctx: ClaimContext) -> Iterable[Hit]:
    """A line with a revenue code and no HCPCS code, where the I/OCE's revenue code table
    says the revenue code needs one on the line's date (not flagged as bypassing edit 48,
    and not a packaged revenue code, status N, or F: e.g. 0450 or 0510, not 0250), on an
    outpatient institutional claim, under a profile with the option ``ioce``
    (``medicare-outpatient``). Not on critical access hospital (85x), hospice (81x, 82x)
    or 43x claims, nor on 13x with condition code 89, nor on the CC07 path, as the I/OCE
    (:data:`PATHS`). Not on a HIPPS line (revenue code 0023 on 32x:
    :func:`codekit.rules.context.hipps_revenue_codes`), whose code is a HIPPS rate code
    the 837 and FHIR doors keep apart from the CPT/HCPCS field (SV202 qualifier HP): the
    I/OCE's field holds it. The I/OCE returns the claim."""
    lines = revenue_lines(ctx)
    if not lines or not ioce_runs(ctx, 48):
        return ()
    hipps = hipps_revenue_codes(ctx.claim) if "hipps_lines" in ctx.memo else None
    return (Hit(f"Line {ln.line.line}: revenue code {entry.code} needs a HCPCS code on "
                f"outpatient claims on {ln.day}{_outside(ln.day)}, and the line has none "
                "(I/OCE edit 48, the claim is returned): report the CPT/HCPCS code of the "
                "service on the line.", ("service_lines", ln.index, "procedure_code"),
                (entry.code,))
            for ln, _, _, entry in lines
            if entry is not None and not ln.line.procedure_code.strip()
            and entry.requires_hcpcs and not is_hipps_line(hipps, ln.line))


@rule("REVENUE_CODE_NOT_RECOGNIZED", "D", "error",
      "I/OCE edit 65 (revenue code not recognized by Medicare)", when=["lines"],
      options=["ioce"])
def revenue_code_not_recognized(ctx: ClaimContext) -> Iterable[Hit]:
    """A revenue code Medicare does not recognize on outpatient claims (the I/OCE's
    not-recognized flag on the line's date: e.g. 0500, 0660, 1000; 0905 until
    2023-12-31), on an outpatient institutional claim, under a profile with the option
    ``ioce`` (``medicare-outpatient``). The I/OCE rejects the line."""
    if not ioce_runs(ctx, 65):
        return ()
    return (Hit(f"Line {ln.line.line}: revenue code {entry.code} is not recognized by "
                f"Medicare on outpatient claims on {ln.day}{_outside(ln.day)} (I/OCE edit 65, "
                f"status indicator {entry.status_indicator}: the line is rejected): bill the "
                "service under the revenue code Medicare recognizes for it, or take the line "
                "off.", ("service_lines", ln.index, "revenue_code"), (entry.code,))
            for ln, _, _, entry in revenue_lines(ctx)
            if entry is not None and entry.not_recognized)


# -- the missing-companion edits -------------------------------------------------------------

#: The first day of the I/OCE version (27.0, 2026-01-01) whose edit 87 asks a skin
#: substitute application for a product of status indicator S1 (before: the low / high
#: cost product flags).
SKIN_SUBSTITUTE_S1_FROM = dt.date(2026, 1, 1)
#: Modifiers that keep a device-intensive procedure out of edit 92 (reduced, discontinued).
DEVICE_BYPASS_MODIFIERS = frozenset({"52", "73", "74"})

CompanionLine = tuple[LineInfo, frozenset[str]]


def companion_lines(ctx: ClaimContext) -> list[CompanionLine]:
    """The valid lines of an outpatient institutional claim, each with its I/OCE
    companion flags on the line's date (read once a claim, for the four edits)."""
    memo = ctx.memo.get("ioce_companion")
    if memo is not None:
        return memo
    out: list[CompanionLine] = []
    if _runs(ctx) and ctx.claim.is_institutional:
        out = [(ln, procedure.ioce_companion_flags(ln.code, on=ln.day))
               for ln in ctx.valid_lines]
    ctx.memo["ioce_companion"] = out
    return out


def _ended_lines(ctx: ClaimContext) -> list[CompanionLine]:
    """The lines of an outpatient institutional claim whose code is not valid on the
    line's date (``PROC_NOT_VALID_ON_DOS``: CMS's HCPCS file ended it) while the I/OCE's
    table of the date still has it, each with its companion flags (empty for a code the
    table does not have)."""
    if not (_runs(ctx) and ctx.claim.is_institutional):
        return []
    return [(ln, procedure.ioce_companion_flags(ln.code, on=ln.day)) for ln in ctx.lines
            if ln.code is not None and ln.error is not None
            and ln.error.code == "PROC_NOT_VALID_ON_DOS"]


def line_location(ln: LineInfo) -> tuple[str, int, str]:
    return ("service_lines", ln.index, "procedure_code")


def on_day(ln: LineInfo) -> str:
    return f"on {ln.day}{_outside(ln.day)}"


@rule("BLOOD_PROCEDURE_WITHOUT_PRODUCT", "D", "error",
      "I/OCE edit 43 (blood transfusion or exchange procedure missing blood product)",
      when=["lines"], options=["ioce"])
def blood_procedure_without_product(ctx: ClaimContext) -> Iterable[Hit]:
    """A blood procedure (the I/OCE's ``blood_service`` flag on the line's date: 36430,
    36440, 36460) on an OPPS claim (``Claim.opps`` not False) with no blood product (a
    code flagged ``blood_product``: e.g. P9010, P9021) on any line, under a profile with
    the option ``ioce`` (``medicare-outpatient``), on the I/OCE paths that run edit 43
    (:data:`PATHS`: 12x, 13x without condition code 89, 76x, 34x's OPPS branch, the
    condition code 07 path). The I/OCE returns the claim."""
    lines = companion_lines(ctx)
    if not any("blood_service" in f for _, f in lines) or \
            any("blood_product" in f for _, f in lines) or \
            not ioce_runs(ctx, 43):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} is a blood procedure in the I/OCE's HCPCS "
                f"table {on_day(ln)}, and no line of the claim reports a blood product (I/OCE "
                "edit 43, the claim is returned): report the blood product given (its "
                "HCPCS code, one the I/OCE flags as a blood product: e.g. P9010, P9021; "
                "codekit's data does not say which one) on a line of the claim.",
                line_location(ln), (ln.code or "",))
            for ln, f in lines if "blood_service" in f)


def by_day(lines: list[CompanionLine]) -> dict[dt.date, list[CompanionLine]]:
    days: dict[dt.date, list[CompanionLine]] = {}
    for item in lines:
        days.setdefault(item[0].day, []).append(item)
    return days


@rule("SKIN_SUBSTITUTE_WITHOUT_PRODUCT", "D", "error",
      "I/OCE edit 87 (skin substitute application procedure without appropriate skin "
      "substitute product code)", when=["lines"], options=["ioce"])
def skin_substitute_without_product(ctx: ClaimContext) -> Iterable[Hit]:
    """A skin substitute application with no skin substitute product on the same day,
    by the I/OCE's HCPCS flags on the line's date: to 2025-12-31 an application for low
    (high) cost products (``skin_substitute_sg_lo``: C5271-C5278; ``_sg_hi``:
    15271-15278) without a low (high) cost product (``skin_substitute_lo`` / ``_hi``);
    from 2026-01-01 (the claim's date) an application
    (``skin_substitute_application_procedure``: 15271-15278) without a line of status
    indicator S1 (the products). Under a profile with the option ``ioce``
    (``medicare-outpatient``), on the types of bill whose I/OCE path runs the edit:
    12x, 13x (not with condition code 41, 89 or 92), 83x, 85x (not with condition code
    89, nor on a day with a professional-service revenue code, 096x-098x). The I/OCE
    returns the claim."""
    lines = companion_lines(ctx)
    apply = ("skin_substitute_sg_lo", "skin_substitute_sg_hi",
             "skin_substitute_application_procedure")
    if not any(a in f for _, f in lines for a in apply) or \
            not ioce_runs(ctx, 87):
        return ()
    bill = bill_class(ctx.claim.bill_type)
    s1 = ctx.day >= SKIN_SUBSTITUTE_S1_FROM
    out = []
    for day, items in by_day(lines).items():
        if bill == "85" and any(professional_revenue(ln) for ln in ctx.lines if ln.day == day):
            continue
        have = frozenset().union(*(f for _, f in items))
        for ln, f in items:
            if s1:
                if "skin_substitute_application_procedure" not in f or any(
                        other.entry.status_indicator == "S1" for other, _ in items):
                    continue
                need = "a skin substitute product, a code of status indicator S1 then"
            else:
                lo = "skin_substitute_sg_lo" in f and "skin_substitute_lo" not in have
                hi = "skin_substitute_sg_hi" in f and "skin_substitute_hi" not in have
                if not (lo or hi):
                    continue
                need = "a low cost skin substitute product" if lo else \
                    "a high cost skin substitute product"
            out.append(Hit(
                f"Line {ln.line.line}: {ln.code} is a skin substitute application in the "
                f"I/OCE's HCPCS table {on_day(ln)}, and no line of {day} reports {need} "
                "(I/OCE edit 87, the claim is returned): report the skin substitute "
                "product applied (its HCPCS code; codekit's data does not say which one) "
                "on a line of the same date.", line_location(ln), (ln.code or "",)))
    return out


@rule("DEVICE_PROCEDURE_WITHOUT_DEVICE", "D", "error",
      "I/OCE edit 92 (device-intensive procedure reported without device code)",
      when=["lines"], options=["ioce"])
def device_procedure_without_device(ctx: ClaimContext) -> Iterable[Hit]:
    """A device-intensive procedure (the I/OCE's ``device_procedure`` flag on the line's
    date: e.g. 33208, 63650) with no device code (flagged ``device``: e.g. C1785) on any
    line of the same day, on an OPPS claim (``Claim.opps`` not False) of type of bill 12x
    or 13x, under a profile with the option ``ioce`` (``medicare-outpatient``). Not when
    the line has modifier 52, 73 or 74, nor modifier CG on a code flagged
    ``bypass_e92_modifier``. The I/OCE returns the claim."""
    lines = companion_lines(ctx)
    if not any("device_procedure" in f for _, f in lines) or \
            not ioce_runs(ctx, 92):
        return ()
    out = []
    for day, items in by_day(lines).items():
        if any("device" in f for _, f in items):
            continue
        for ln, f in items:
            mods = set(ln.modifiers)
            if "device_procedure" not in f or mods & DEVICE_BYPASS_MODIFIERS or \
                    ("CG" in mods and "bypass_e92_modifier" in f):
                continue
            out.append(Hit(
                f"Line {ln.line.line}: {ln.code} is a device-intensive procedure in the "
                f"I/OCE's HCPCS table {on_day(ln)}, and no line of {day} reports a device "
                "code (I/OCE edit 92, the claim is returned): report the device implanted "
                "(its HCPCS device code, one the I/OCE flags as a device: e.g. a C-code; "
                "codekit's data does not say which one) on a line of the same date; if "
                "the procedure was discontinued or reduced, report it with modifier 73, "
                "74 or 52.", line_location(ln), (ln.code or "",)))
    return out


#: The flags of a status E1 code the I/OCE denies (edit 9) or rejects (edit 28).
DENIED_E1 = frozenset({"non_covered", "not_recognized_mcare"})


def rejected_first(ctx: ClaimContext, ln: LineInfo) -> bool:
    """A line the I/OCE rejects or denies before edit 93, so that it does not count as
    the cornea transplant: a non-covered code (status E1 with ``non_covered``: edit 9),
    one Medicare does not recognize (:data:`NOT_RECOGNIZED_MEDICARE`: edit 28), or a
    revenue code Medicare does not recognize (edit 65: :func:`revenue_lines`)."""
    e = ln.entry
    if e.status_indicator == "E1" and not DENIED_E1.isdisjoint(e.flags):
        return True
    return any(other is ln and entry is not None and entry.not_recognized
               for other, _, _, entry in revenue_lines(ctx))


@rule("CORNEA_TISSUE_WITHOUT_TRANSPLANT", "D", "error",
      "I/OCE edit 93 (corneal tissue processing reported without cornea transplant "
      "procedure)", when=["lines"], options=["ioce"])
def cornea_tissue_without_transplant(ctx: ClaimContext) -> Iterable[Hit]:
    """Cornea tissue processing (the I/OCE's ``cornea_tissue_processing`` flag on the
    line's date: V2785) with no cornea transplant (``cornea_transplant``: e.g. 65710,
    65730, 65767; not one the I/OCE denies or rejects first: a non-covered code, status E1,
    as 65765 and 65767 are) on any line of the same day, under a profile with the option ``ioce``
    (``medicare-outpatient``), on the types of bill whose I/OCE path runs the edit: 12x,
    13x (not with condition code 41, 89 or 92), 85x (not with condition code 89). The
    I/OCE rejects the line."""
    lines = companion_lines(ctx)
    if not any("cornea_tissue_processing" in f for _, f in lines) or \
            not ioce_runs(ctx, 93):
        return ()
    out = []
    for day, items in by_day(lines).items():
        transplants = [ln for ln, f in items if "cornea_transplant" in f]
        if any(not rejected_first(ctx, ln) for ln in transplants):
            continue
        denied = (" the I/OCE accepts (it denies or rejects " + ", ".join(
            f"{t.code} on line {t.line.line}" for t in transplants) + " first)"
        ) if transplants else ""
        out += [Hit(f"Line {ln.line.line}: {ln.code} is cornea tissue processing in the "
                    f"I/OCE's HCPCS table {on_day(ln)}, and no line of {day} reports a cornea "
                    f"transplant{denied} (I/OCE edit 93, the line is rejected): report the "
                    "cornea transplant procedure (e.g. 65710 or 65730; codekit's data does "
                    "not say which one) on a line of the same date, or take the line off.",
                    line_location(ln), (ln.code or "",))
                for ln, f in items if "cornea_tissue_processing" in f]
    return out


#: The last day of the COVID-19 public health emergency (2023-05-11), the I/OCE's default
#: when the claim has no value code Z9 (codekit's claim model carries no value codes).
PHE_END = dt.date(2023, 5, 11)
#: The I/OCE's HCPCS flag of edit 124: a code valid only during the public health
#: emergency (G2023, G2024, K1034, U0003, U0004, U0005 from version 23.2, 2022-07-01).
PHE_ONLY = "cms_mid_quarter_termination"


@rule("PROC_VALID_ONLY_DURING_PHE", "D", "error",
      "I/OCE edit 124 (code not valid after the end of the public health emergency)",
      when=["lines"], options=["ioce"], supersedes=["PROC_NOT_VALID_ON_DOS"])
def valid_only_during_phe(ctx: ClaimContext) -> Iterable[Hit]:
    """A code the I/OCE's HCPCS table flags as valid only during the COVID-19 public
    health emergency (``cms_mid_quarter_termination`` on the line's date: G2023, G2024,
    U0003, U0004, U0005 to 2023-06-30, K1034 on) on a line dated after its end
    (2023-05-11; the I/OCE takes another end from value code Z9, which codekit's claim
    model does not carry), under a profile with the option ``ioce``
    (``medicare-outpatient``), on the I/OCE paths that run edit 124 (every path but 43x;
    77x not with condition code 65). CMS's HCPCS file ended the five temporary codes on
    2023-05-11 (``TERM DT``), so their lines are ``PROC_NOT_VALID_ON_DOS`` too, which this
    edit replaces: the I/OCE's table kept them to the end of the quarter (2023-06-30) and
    edits them with 124 rather than as invalid codes. The I/OCE returns the claim."""
    lines = companion_lines(ctx) + _ended_lines(ctx)
    if not any(PHE_ONLY in f for _, f in lines) or not ioce_runs(ctx, 124):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} is valid only during the COVID-19 public "
                f"health emergency in the I/OCE's HCPCS table {on_day(ln)}, and the emergency "
                f"ended on {PHE_END} (I/OCE edit 124, the claim is returned): report the "
                "service with a code valid after the emergency, or take the line off.",
                line_location(ln), (ln.code or "",))
            for ln, f in lines if PHE_ONLY in f and ln.day > PHE_END)


# -- edit 99: a drug on a claim without an OPPS payable procedure -----------------------------

#: The status indicators of the drugs and biologicals edit 99 edits: G (pass-through), K
#: (non-pass-through), K1 (non-opioid drugs for post-surgical pain).
SEPARATE_DRUG_STATUS = frozenset({"G", "K", "K1"})
#: The status indicators of no OPPS payable procedure, whatever the I/OCE's packaging and
#: composite steps make of a claim's lines (they turn payable procedures into packaged
#: ones, never the reverse): a claim whose valid lines all have one of these has none, and
#: edit 99's answer does not depend on the statuses the I/OCE assigns while pricing. Not
#: among them: the payable procedures (J1, J2, P, Q1-Q3, S, T, V), blood products and
#: brachytherapy sources (R, U: the edit's CMS description names them with the payable
#: procedures, the port does not), C (an inpatient-only procedure, paid on a claim with
#: modifier CA), S1 and any other: a claim with one of them is not judged.
NO_PAYABLE_PROCEDURE = frozenset({"A", "B", "D", "E", "E1", "E2", "F", "G", "H", "K", "K1",
                                  "L", "M", "N", "Q4", "Y"})
#: The I/OCE's HCPCS flag of the drugs edit 99 does not edit (the clotting factors,
#: pegfilgrastim J2505, J2506).
BYPASS_E99 = "bypass_e99"


@rule("DRUG_WITHOUT_PAYABLE_PROCEDURE", "D", "error",
      "I/OCE edit 99 (claim with pass-through or non-pass-through drug or biological lacks "
      "OPPS payable procedure)", when=["lines"], options=["ioce"])
def drug_without_payable_procedure(ctx: ClaimContext) -> Iterable[Hit]:
    """A separately payable drug or biological (status indicator G, K or K1 on the line's
    date) on an OPPS claim (``Claim.opps`` not False) none of whose lines is an OPPS
    payable procedure: every line a valid code of a status of
    :data:`NO_PAYABLE_PROCEDURE` (a drug, a packaged service, a laboratory test...), so
    that the I/OCE's answer does not depend on its pricing steps; a claim with a line of
    another status, or with a code codekit does not know on its date, is not judged. Not
    on a drug the I/OCE flags ``bypass_e99`` (clotting factors, pegfilgrastim). Under a
    profile with the option ``ioce`` (``medicare-outpatient``), on the I/OCE paths that
    run edit 99 (:data:`PATHS`: 12x, 13x without condition code 89, 76x). The I/OCE
    returns the claim."""
    drugs = [ln for ln in ctx.valid_lines if ln.entry.status_indicator in SEPARATE_DRUG_STATUS]
    if not drugs or any(ln.code is not None and ln.entry is None for ln in ctx.lines) or \
            any(ln.entry.status_indicator not in NO_PAYABLE_PROCEDURE
                for ln in ctx.valid_lines) or not ioce_runs(ctx, 99):
        return ()
    return (Hit(f"Line {ln.line.line}: {ln.code} {status_text(ln)}, a separately payable "
                "drug or biological, and no line of the claim is an OPPS payable procedure "
                "(status indicator J1, J2, P, Q1-Q3, S, T or V: the drug's administration, "
                "a visit...) (I/OCE edit 99, the claim is returned): report the service the "
                "drug was given with (its administration, e.g. 96413, 96365, 96372) on the "
                "claim.", line_location(ln), (ln.code or "",))
            for ln in drugs if BYPASS_E99 not in procedure.ioce_companion_flags(
                ln.code, on=ln.day))


RULES = (bill_type_invalid, not_recognized_by_medicare, not_recognized_by_opps,
         statutory_exclusion, dme_mac_only,
         not_billable_to_mac, revenue_code_invalid, revenue_code_requires_hcpcs,
         revenue_code_not_recognized,
         blood_procedure_without_product, skin_substitute_without_product,
         device_procedure_without_device, cornea_tissue_without_transplant,
         valid_only_during_phe, drug_without_payable_procedure)
