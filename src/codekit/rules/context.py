"""What rules see: a claim with its codes already resolved for the date of service.

:class:`ClaimContext` validates every diagnosis and procedure once; rules then ask for
"the valid diagnoses", "the diagnoses this line points to" and so on, and never re-parse a
string. The code systems remember the resolution across claims
(:func:`codekit.icd10cm.date_view`, :func:`codekit.procedure.resolve`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import _cache, icd10cm, icd10pcs, procedure
from ..errors import ValidationError
from ..findings import Notice, NotRun
from ..icd10cm import Entry, Facts
from ..icd10cm.guidelines import IN_PREGNANCY
from ..modifiers import (
    ANATOMIC,
    CONTRADICTIONS,
    IOCE_CONFLICTS,
    NOT_ON_EM,
    NOT_ON_LAB,
    PLACEMENT,
    is_clinical_lab,
    origin_destination,
)
from .place_of_service import MISFIT_POS, OFFICE_MISFITS, POS_CODES

if TYPE_CHECKING:
    from ..claims import Claim, ServiceLine
    from .engine import Profile

__all__ = [
    "ANESTHESIA_SECTION",
    "HIPPS_REVENUE_CODES",
    "HOME_HEALTH_PPS",
    "HOSPICE_BILL_TYPES",
    "NO_CMS_EDITOR",
    "OTHER_SIDE",
    "PAYMENT_CATEGORIES",
    "ClaimContext",
    "DxInfo",
    "LineInfo",
    "NcciOffTables",
    "ProcInfo",
    "hipps_revenue_codes",
    "is_anesthesia_line",
    "is_bone_reposition",
    "is_dmepos",
    "is_hipps_line",
    "is_quality_data",
    "is_visit_addon",
    "lines_on",
    "most_lines_on_a_day",
    "ncci_off",
    "one_encounter",
    "why_missing",
]

# What a valid diagnosis / procedure may trigger (codekit.icd10cm.Facts.bits,
# codekit.procedure.Resolved.bits).
AGE_LIMIT, SEX_LIMIT, MANIFESTATION = Facts.AGE_LIMIT, Facts.SEX_LIMIT, Facts.MANIFESTATION
EXTERNAL_CAUSE, FIRST_ONLY_Z, NOT_PRINCIPAL = (Facts.EXTERNAL_CAUSE, Facts.FIRST_ONLY_Z,
                                               Facts.NOT_PRINCIPAL)
ADDITIONAL_CODE, COMBINATION = Facts.ADDITIONAL_CODE, Facts.COMBINATION
COMBINATION_COMPANION, OBSTETRIC = Facts.COMBINATION_COMPANION, Facts.OBSTETRIC
GUIDELINE_DROP, GUIDELINE_PARTNER = Facts.GUIDELINE_DROP, Facts.GUIDELINE_PARTNER
GUIDELINE_FIRST, GUIDELINE_AFTER = Facts.GUIDELINE_FIRST, Facts.GUIDELINE_AFTER
GUIDELINE_SAME, GUIDELINE_KIN = Facts.GUIDELINE_SAME, Facts.GUIDELINE_KIN
SEVERE_SEPSIS, SEQUELA = Facts.SEVERE_SEPSIS, Facts.SEQUELA
QUESTIONABLE_ADMISSION = Facts.QUESTIONABLE_ADMISSION
AGE_NOTE = Facts.AGE_NOTE
UNSPECIFIED_MCE = Facts.UNSPECIFIED_MCE
SYMPTOM_INTEGRAL, SYMPTOM_DISEASE = Facts.SYMPTOM_INTEGRAL, Facts.SYMPTOM_DISEASE
SUPERFICIAL = Facts.SUPERFICIAL
UNTABULATED = Facts.UNTABULATED
INJURY_INITIAL, INJURY_SUBSEQUENT = Facts.INJURY_INITIAL, Facts.INJURY_SUBSEQUENT
INJURY_SEQUELA = Facts.INJURY_SEQUELA
_INJURY_AD = INJURY_INITIAL | INJURY_SUBSEQUENT
_INJURY_ANY = _INJURY_AD | INJURY_SEQUELA
_CAUSE_SEQUELA = Facts.CAUSE_INITIAL | Facts.CAUSE_SUBSEQUENT  # (a sequela cause sets both)
_CAUSE_SHIFT = 3  # CAUSE_INITIAL, CAUSE_SUBSEQUENT are INJURY_INITIAL, _SUBSEQUENT << 3
assert Facts.CAUSE_INITIAL == INJURY_INITIAL << _CAUSE_SHIFT and \
    Facts.CAUSE_SUBSEQUENT == INJURY_SUBSEQUENT << _CAUSE_SHIFT
PROC_SEX, PROC_AGE, PROC_SIDED = (procedure.Resolved.SEX, procedure.Resolved.AGE,
                                  procedure.Resolved.SIDED)
PROC_SCREENING = procedure.Resolved.SCREENING
PROC_MPFS = procedure.Resolved.MPFS
PROC_THERAPY = procedure.Resolved.THERAPY
PROC_FRACTURE = procedure.Resolved.FRACTURE
PROC_PREVENTIVE = procedure.Resolved.PREVENTIVE
THERAPY_REVENUE = procedure.THERAPY_REVENUE
PROC_VACCINE, PROC_ACP = procedure.Resolved.VACCINE, procedure.Resolved.ACP
_PROC_PART_B = PROC_VACCINE | PROC_ACP  # one test on claims with neither (almost all)
PROC_EM_OFFICE, PROC_EM_FACILITY = procedure.Resolved.EM_OFFICE, procedure.Resolved.EM_FACILITY
PROC_TELEMEDICINE, PROC_ANESTHESIA = (procedure.Resolved.TELEMEDICINE,
                                      procedure.Resolved.ANESTHESIA)
PROC_AMBULANCE = procedure.Resolved.AMBULANCE
PROC_DATE_EDIT = procedure.Resolved.DATE_EDIT
PROC_DRUG_TEST = procedure.Resolved.DRUG_TEST
PROC_PERIOD = procedure.Resolved.PERIOD
PROC_QUALITY = procedure.Resolved.QUALITY
PROC_VISIT_ADDON = procedure.Resolved.VISIT_ADDON
#: The lines that are no service of their own beside an E/M with 25 (``mods-25-alone``).
_NO_SERVICE = PROC_QUALITY | PROC_VISIT_ADDON
_PROC_RARE = PROC_TELEMEDICINE | PROC_ANESTHESIA | PROC_AMBULANCE | PROC_DATE_EDIT | \
    PROC_DRUG_TEST | PROC_PERIOD
INVALID = False  # what a DateView answers for a diagnosis not valid on its dates
#: The ICD-10-PCS procedures an institutional claim carries at most: the 837I's principal
#: procedure (HI BBR) and 24 others (two HI segments of 12, BBQ).
PCS_LIMIT = 25
_ZERO = Decimal(0)
_INFINITY = Decimal("Infinity")  # units of a claim built by hand (from_dict refuses it)


#: The dates every procedure code's data describes: the bundled quarters and the loaded
#: quarterly code lists (``cpt.coverage``); a loaded CMS HCPCS file describes Level II
#: codes only, so a line past these dates asks ``procedure.covers`` of its own code.
_PROC_COVERAGE = _cache.Once("rules.procedure_coverage", lambda: _cpt().coverage())


def _cpt() -> Any:
    """:mod:`codekit.cpt`, imported when first needed: imported with this module, it cost
    ``bench/instructions.py check`` 4 % more instructions a claim (207,600 -> 216,000)."""
    from .. import cpt

    return cpt


def _procedure_coverage() -> tuple[dt.date, dt.date]:
    return _PROC_COVERAGE.value or _PROC_COVERAGE.get()


def _procedure_not_covered(ln: LineInfo) -> str:
    """The message of the ``PROCEDURE_DATE_NOT_COVERED`` notice of line ``ln``, whose
    code's data does not describe its date: the dates of that code's data (a loaded CMS
    HCPCS file describes Level II codes only)."""
    level_ii = ln.code is not None and not ln.code[0].isdigit()
    first, last = procedure.coverage() if level_ii else _cpt().coverage()
    if ln.day < first:
        return (f"{ln.day} is before the dates codekit's CPT/HCPCS data describes ({first} "
                f"to {last}): procedure codes and modifiers are answered as of its first "
                f"quarter, and a code deleted before {first} is unknown to it")
    return (f"{ln.day} is outside the dates codekit's CPT/HCPCS data describes ({first} to "
            f"{last}): procedure codes and modifiers are answered as of the nearest quarter; "
            + ("load a newer CMS HCPCS file for Level II codes" if level_ii else
               "load a newer CMS quarterly code list (codekit.procedure.load_quarter) for CPT "
               "codes, a CMS HCPCS file for Level II codes"))


class DxInfo:
    """One diagnosis position: what was sent and what it resolved to (``facts`` when
    valid on the date of service, else ``error``; both None for a blank position)."""

    __slots__ = ("_day", "code", "day", "error", "facts", "index", "lines", "raw", "valid")

    def __init__(self, index: int, raw: str, facts: Facts | None,
                 error: ValidationError | None, day: dt.date,
                 lines: tuple[int, ...] = ()) -> None:
        self.index = index  # 0-based position in claim.diagnoses
        self.raw = raw
        self.error = error
        self.valid = facts is not None
        self.code: str | None = facts.code if facts is not None else None
        #: The facts of a valid diagnosis (rules read them only for valid ones).
        self.facts: Facts = facts  # type: ignore[assignment]
        self._day = day
        #: The date the error is about: the claim's, or the date of the lines (numbers in
        #: ``lines``) that point to the diagnosis on a day it is not valid.
        self.day = day
        self.lines = lines

    @property
    def entry(self) -> Entry | None:
        """The diagnosis's :class:`~codekit.icd10cm.Entry` on the date of service (None
        when it is not valid then); made on first use."""
        if self.facts is None:
            return None
        return icd10cm.validate(self.raw, on=self._day)

    def __repr__(self) -> str:
        return f"DxInfo({self.index}, {self.raw!r}, valid={self.valid})"


class LineInfo:
    """One service line and its resolved procedure code: ``code`` (compact, when well
    formed), ``entry`` (when valid on the line's ``day``) or ``error``, and the
    ``modifiers`` stripped and upper-cased."""

    __slots__ = ("code", "day", "entry", "error", "index", "line", "modifiers",
                 "quarter_entry", "valid")

    def __init__(self, index: int, line: ServiceLine, day: dt.date, code: str | None,
                 entry: Any, error: ValidationError | None,
                 modifiers: tuple[str, ...]) -> None:
        self.index = index
        self.line = line
        self.day = day
        self.code = code
        self.entry = entry
        self.error = error
        self.modifiers = modifiers
        self.valid = entry is not None
        #: For a code valid in its IOCE quarter but not on the line's day (a date edit:
        #: CMS approved or ended it inside the quarter), the quarter's entry; else None.
        self.quarter_entry: Any = None

    def __repr__(self) -> str:
        return f"LineInfo({self.index}, {self.line.procedure_code!r}, valid={self.valid})"

    @property
    def facts(self) -> Any:
        """The entry the patient edits read: :attr:`entry`, or for a code CMS approved or
        ended inside its quarter and used outside those dates, the quarter's entry
        (:attr:`quarter_entry`)."""
        return self.entry if self.entry is not None else self.quarter_entry


class ProcInfo:
    """One ICD-10-PCS procedure of an institutional claim, resolved for the claim's date
    of service (the discharge: inpatient codes are those in effect then): ``code``
    (compact, when well formed), ``entry`` when valid, else ``error``, and its MCE
    ``flags`` on the date."""

    __slots__ = ("code", "date", "entry", "error", "flags", "index", "raw")

    def __init__(self, index: int, raw: str, date: dt.date | None,
                 resolved: icd10pcs.Resolved) -> None:
        self.index = index
        self.raw = raw
        self.date = date
        self.code = resolved.code
        self.entry = resolved.entry
        self.error = resolved.error
        self.flags = resolved.flags

    @property
    def valid(self) -> bool:
        """Whether the procedure code is valid on the claim's date (it has an
        :attr:`entry`; else :attr:`error` says why not)."""
        return self.entry is not None

    def __repr__(self) -> str:
        return f"ProcInfo({self.index}, {self.raw!r}, valid={self.valid})"


_MODIFIERS: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...], int]] = \
    _cache.owned("rules.modifiers", {}, max_bytes=8 << 20)
_SIDES = frozenset({"RT", "LT", "50"})
#: The E/M modifiers (25, 57: :data:`codekit.modifiers.PLACEMENT` entries that ``moves``)
#: and the CPT sections that take them without a look at the code (the E/M section): a
#: line with 25 on an E/M, the usual case, makes no ``mods-placed``.
_EM_MODIFIERS = frozenset(m for m, p in PLACEMENT.items() if p.moves)
_EM_SECTIONS = frozenset().union(*(PLACEMENT[m].sections for m in _EM_MODIFIERS))
#: What a line's modifiers ask of its code (the third part of ``_modifiers``' answer):
#: an E/M modifier, to be on an E/M; one an E/M never takes, not to be.
#: Modifier 51 asks for a code that is no add-on (CPT Appendix D).
_LOOK_EM_MOD, _LOOK_NOT_ON_EM, _LOOK_51 = 1, 2, 4
#: A modifier a clinical laboratory test never takes (76, 77:
#: :data:`codekit.modifiers.NOT_ON_LAB`), to be on a code that is none.
_LOOK_NOT_ON_LAB = 8
#: An eyelid, finger or toe modifier -> RT or LT of the other side (F5, the right thumb:
#: LT), which contradicts it on one line (``MOD_LATERALITY_CONFLICT``).
OTHER_SIDE = {m: {"right": "LT", "left": "RT"}[a.side] for m, a in ANATOMIC.items()
                if a.region in ("eyelid", "hand", "foot") and a.side in ("right", "left")}
_CONTRADICTIONS = tuple(pair for pair, _, _ in (*CONTRADICTIONS, *IOCE_CONFLICTS))
#: The DMEPOS payment-category modifiers (new purchase, rental, used purchase): KI or KJ
#: without one is a rental month without RR (``mods-pair``: ``MOD_COMBINATION_INVALID``).
PAYMENT_CATEGORIES = frozenset({"NU", "RR", "UE"})


#: The modifiers that bill a line as telehealth (95, GT, GQ; 93 audio-only; FQ audio-only
#: at an RHC or FQHC), and the places of service that do (02, 10): the claim feature
#: ``telehealth`` (``MOD_TELEHEALTH_NOT_ELIGIBLE``).
TELEHEALTH_MODIFIERS = frozenset({"95", "GT", "GQ", "93", "FQ"})
TELEHEALTH_POS = frozenset({"02", "10"})
#: The places of service right on every date (``POS_INVALID`` looks at the others: a code
#: of a later date, or none).
_POS_ANY_DAY = frozenset(code for code, since in POS_CODES.items() if since is None)
#: The types of bill (first two digits, leading zero dropped) on which Medicare takes
#: outpatient therapy under Part B with a discipline modifier on each therapy line
#: (Claims Processing Manual ch.5 §20.1): hospital 12x, 13x; skilled nursing facility
#: 22x, 23x; home health agency outside a home health plan of care 34x (not 32x); ORF 74x;
#: CORF 75x; critical access hospital 85x.
THERAPY_BILL_TYPES = frozenset({"12", "13", "22", "23", "34", "74", "75", "85"})
#: The types of bill (first two digits) of a hospice's claims: 81x (non-hospital based),
#: 82x (hospital based). Their claims have the feature ``hospice``
#: (:mod:`codekit.rules.post_acute`).
HOSPICE_BILL_TYPES = frozenset({"81", "82"})
#: The type of bill (first two digits) of a home health agency's claim of a PPS period
#: under a plan of care, 32x (34x, services outside a plan of care, is paid otherwise):
#: its claims have the feature ``home-health`` (:mod:`codekit.rules.post_acute`).
HOME_HEALTH_PPS = "32"


def _modifiers(raw: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """Modifiers as written -> (stripped and upper-cased, the claim features they give:
    ``mods-many`` over four, ``mods-side`` an anatomic modifier naming a side,
    ``mods-conflict`` two of RT, LT and 50, or an eyelid, finger or toe modifier with RT or
    LT of the other side, ``mods-cs`` the cost-sharing waiver CS, ``mods-gy`` GY (a
    statutorily excluded service, billed for the denial),
    ``mods-pair`` a modifier written twice, two that cannot share a line (see
    :data:`codekit.modifiers.CONTRADICTIONS`, and the I/OCE's pairs,
    :data:`codekit.modifiers.IOCE_CONFLICTS`), two ambulance origin/destination
    modifiers, or a DMEPOS rental month KI or KJ without RR, NU or UE, ``mods-placed`` a
    modifier that belongs on one kind of code only (see
    :data:`codekit.modifiers.PLACEMENT`) other than the E/M modifiers 25 and 57,
    ``telehealth`` a telehealth modifier of :data:`TELEHEALTH_MODIFIERS`, ``mods-pt``
    modifier PT (a colorectal cancer screening turned diagnostic), ``mods-53`` modifier
    53 (a discontinued procedure: physicians only), ``mods-73-74`` modifier 73 or 74 (a
    procedure discontinued before or after anesthesia: facilities only), ``mods-50``
    modifier 50 (bilateral), ``mods-fs`` modifier FS (a split or shared visit),
    ``mods-jw`` / ``mods-jz`` modifier JW / JZ (a drug amount discarded / none),
    ``mods-assistant`` modifier CQ or CO (a therapy service furnished in whole or in part
    by a therapy assistant), ``code-not-ascii`` a modifier holding a character outside
    ASCII; what they ask of the line's code:
    :data:`_LOOK_EM_MOD` for 25 or 57, :data:`_LOOK_NOT_ON_EM` for a modifier an E/M
    never takes, :data:`codekit.modifiers.NOT_ON_EM` -- the claim's loop makes these
    ``mods-placed`` on a line whose code is not an E/M / is one -- :data:`_LOOK_51`
    for 51, ``mods-placed`` on an add-on code, and :data:`_LOOK_NOT_ON_LAB` for 76 or 77,
    ``mods-placed`` on a clinical laboratory test); remembered."""
    hit = _MODIFIERS.get(raw)
    if hit is None:
        mods = tuple(m.strip().upper() for m in raw)
        found = []
        if len(mods) > 4:
            found.append("mods-many")
        if any(m in ANATOMIC and ANATOMIC[m].side is not None for m in mods):
            found.append("mods-side")
        if len(_SIDES.intersection(mods)) > 1 or any(
                OTHER_SIDE.get(m) in mods for m in mods):
            found.append("mods-conflict")
        if "CS" in mods:
            found.append("mods-cs")
        if "GY" in mods:
            found.append("mods-gy")
        if (len(mods) > 1 and (len(set(mods)) < len(mods) or any(
                pair <= set(mods) for pair in _CONTRADICTIONS) or sum(
                origin_destination(m) is not None for m in mods) > 1)) or (
                ("KI" in mods or "KJ" in mods) and not PAYMENT_CATEGORIES.intersection(mods)):
            found.append("mods-pair")
        if any(m in PLACEMENT and not PLACEMENT[m].moves for m in mods):
            found.append("mods-placed")
        if any(m in TELEHEALTH_MODIFIERS for m in mods):
            found.append("telehealth")
        if "PT" in mods:
            found.append("mods-pt")
        if "53" in mods:
            found.append("mods-53")
        if "73" in mods or "74" in mods:
            found.append("mods-73-74")
        if "50" in mods:
            found.append("mods-50")
        if "FS" in mods:
            found.append("mods-fs")
        if "JW" in mods:
            found.append("mods-jw")
        if "JZ" in mods:
            found.append("mods-jz")
        if "CQ" in mods or "CO" in mods:
            found.append("mods-assistant")
        if not "".join(raw).isascii():
            found.append("code-not-ascii")
        look = (_LOOK_EM_MOD if any(m in _EM_MODIFIERS for m in mods) else 0) | \
            (_LOOK_NOT_ON_EM if any(m in NOT_ON_EM for m in mods) else 0) | \
            (_LOOK_51 if "51" in mods else 0) | \
            (_LOOK_NOT_ON_LAB if any(m in NOT_ON_LAB for m in mods) else 0)
        hit = (mods, tuple(found), look)
        if len(_MODIFIERS) >= 4096:
            _MODIFIERS.clear()
        _MODIFIERS[raw] = hit
    return hit


#: The category bits of the codes reported only as additional codes (B95-B97, Z37, Z3A,
#: Z68: ``Facts.secondary_only``): a claim without them skips a look at its pointers.
_SECONDARY_ONLY = 0
for _category in ("B95", "B96", "B97", "Z37", "Z3A", "Z68"):
    _SECONDARY_ONLY |= icd10cm.Facts.category_bit_of(_category)

#: The category bit of Y65 (other misadventures: Y65.5- wrong procedure performed).
_Y65 = icd10cm.Facts.category_bit_of("Y65")
#: The category bits of the conditions chapter 15 classifies in a pregnancy
#: (:data:`codekit.icd10cm.guidelines.IN_PREGNANCY`: I10-I13, I15, E08-E11, E13): the
#: feature ``dx-obstetric-condition`` (``DX_OBSTETRIC_CODE_MISSING``).
_IN_PREGNANCY = 0
for _row in IN_PREGNANCY:
    for _code in _row.codes:
        _IN_PREGNANCY |= icd10cm.Facts.category_bit_of(_code[:3])
#: The category bit of Z38 (liveborn infants): the feature ``dx-liveborn``
#: (``DX_LIVEBORN_NOT_AT_BIRTH``).
_Z38 = icd10cm.Facts.category_bit_of("Z38")
#: A code of a subcategory with a code of one side and its bilateral code: two of one
#: category, the feature ``dx-guideline-pair`` (``DX_GUIDELINE_CONFLICT``: the bilateral
#: code, I.B.13, I.C.7.a.2).
BILATERAL = Facts.BILATERAL
#: The category bit of Z3A (weeks of gestation): with a chapter 15 code, the feature
#: ``dx-weeks`` (``DX_TRIMESTER_WEEKS_CONFLICT``).
_Z3A = icd10cm.Facts.category_bit_of("Z3A")
#: The category bits of the chapter 16 categories of a newborn as the product of the
#: pregnancy (P00-P08, P95, P96): with a chapter 15 code, the feature
#: ``dx-perinatal-maternal`` (``DX_PERINATAL_ON_MATERNAL_RECORD``).
_PERINATAL = 0
for _category in ("P00", "P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P95", "P96"):
    _PERINATAL |= icd10cm.Facts.category_bit_of(_category)
#: The category bit of Z00 (general examinations: Z00.11-, Z00.12- by age in days): the
#: feature ``dx-age-days`` (``DX_AGE_DAYS_CONFLICT``).
_Z00 = icd10cm.Facts.category_bit_of("Z00")


#: reason -> its NotRun (frozen, so shared): see ClaimContext.table_on. A reason names
#: its date ("no NCCI practitioner PTP table covers 2024-03-05: ..."), so a stream over
#: several years has thousands (two a day without the practitioner tables); entries are
#: forgotten oldest first, so the bound holds years of them (256 held four months, and
#: a stream longer than that made a NotRun anew for most claims).
_NOT_RUN: dict[str, NotRun] = _cache.owned("rules.not_run", {}, max_entries=8192,
                                           long_keys=True)


def _not_run(why: str) -> NotRun:
    """The one :class:`NotRun` of reason ``why`` (a claim stream without the practitioner
    tables yields it on every claim)."""
    found = _NOT_RUN.get(why)
    if found is None:
        found = _NOT_RUN[why] = NotRun(why)
    return found


def ncci_off(profile: str) -> str:
    """Why the NCCI PTP and MUE edits did not run under a profile that has them off but
    says so (option ``ncci_not_run``: ``commercial``)."""
    return (f"the profile {profile} runs the NCCI PTP and MUE edits only when configured "
            "(many payers apply NCCI): evolve it with options={'ncci': True} and load the "
            "CMS tables (codekit.ncci.load_ptp, load_mue)")


class NcciOffTables:
    """The NCCI tables of a profile with ``ncci`` off that runs the add-on edit anyway
    (``addon_edits``) or lists the PTP and MUE edits as not run (``ncci_not_run``):
    ``commercial``. It answers for add-on tables from ``library`` and for PTP and MUE
    tables with none, and the reason (:func:`ncci_off`), as a library answers for a date
    it has no table of; so :meth:`ClaimContext.table_on` pays nothing more for it.

    ``not_run`` is what an edit needing a PTP or MUE table yields under it, the same for
    every claim and every date: ``(NotRun(reason),)``, made once; ``()`` for the tables
    of a claim no CMS editor takes (``said=False``: :data:`NO_CMS_EDITOR`), which the
    checker gives such a claim whatever its profile. The edits that need
    one (``NCCI_PTP_CONFLICT``, ``MUE_EXCEEDED``, ``EM_MINOR_PROC_NO_MOD25``) answer
    with it, where they would have had lines to judge, from a look at the claim's lines
    instead of asking for a table date by date (:meth:`ClaimContext.tables_on`), as they
    would have yielded the reason :meth:`ClaimContext.table_on` gives for each date."""

    __slots__ = ("library", "not_run", "reason")

    def __init__(self, library: Any, profile: str, *, said: bool = True) -> None:
        self.library = library
        self.reason = ncci_off(profile) if said else NO_CMS_EDITOR_NCCI
        #: empty for a claim no CMS editor takes (``said`` False: :data:`NO_CMS_EDITOR`),
        #: which the edits do not judge and do not list as not run
        self.not_run: tuple[NotRun, ...] = (NotRun(self.reason),) if said else ()

    def table(self, kind: str, setting: str | None, day: dt.date) -> tuple[Any, Any]:
        """For the add-on table, the library's answer (``(table, None)``, or ``(None,
        why)`` when none covers ``day``); for a PTP or MUE table ``(None, reason)``: the
        profile runs no PTP or MUE edit, and :attr:`reason` says so."""
        if kind == "addon":
            return self.library.table(kind, setting, day)
        return None, self.reason


def most_lines_on_a_day(ctx: ClaimContext) -> int:
    """The most valid lines on one date of service (0 when none is valid): what
    :func:`lines_on` would group, counted without grouping them when every line is on the
    claim's date (the usual case)."""
    if ctx._one_day:
        return len(ctx.valid_lines)
    return max(map(len, lines_on(ctx).values()), default=0)


def why_missing(profile: Profile, need: str) -> str:
    """Why a rule needing ``need`` cannot run under ``profile`` ("" when it simply does
    not apply, e.g. NCCI edits under a profile without them, or no policies loaded).
    Whether a table covers a claim's dates is decided per claim (:meth:`ClaimContext.ncci`)."""
    if need in ("ptp", "mue", "addon", "policies"):
        return ""
    return f"needs {need}"


#: The revenue codes whose line carries a HIPPS rate code in its HCPCS field (UB-04 FL 44,
#: 837I SV202 qualifier HP), with the types of bill (first two digits) that bill them:
#: 0022 a skilled nursing facility's PPS stay (21x) or a swing bed's (18x), Claims
#: Processing Manual ch.6 §30; 0023 a home health PPS period (32x), ch.10 §40.2; 0024 an
#: inpatient rehabilitation facility's stay (11x), ch.3 §140.3. Written as codekit reads
#: revenue codes (four digits; the I/OCE reads ``23`` as ``0023``).
HIPPS_REVENUE_CODES: dict[str, frozenset[str]] = {
    "0022": frozenset({"18", "21"}), "0023": frozenset({"32"}), "0024": frozenset({"11"})}
#: Per type of bill (first two digits), the revenue codes of its HIPPS lines, in the forms
#: they may be written (``0023``, ``023``, ``23``).
_HIPPS_OF_BILL: dict[str, frozenset[str]] = {
    bill: frozenset(form for rev, bills in HIPPS_REVENUE_CODES.items() if bill in bills
                    for form in (rev, rev[1:], rev[2:]))
    for bill in set().union(*HIPPS_REVENUE_CODES.values())}


def hipps_revenue_codes(claim: Claim) -> frozenset[str] | None:
    """The revenue codes (as they may be written) whose lines carry a HIPPS rate code on
    ``claim`` (:data:`HIPPS_REVENUE_CODES`: 0022 on 21x and 18x, 0023 on 32x, 0024 on
    11x), or None on a claim of another type of bill, or a professional one.

    Such a line's code is no CPT/HCPCS code: the procedure edits do not judge it (as the
    I/OCE does not on 32x: its edit 6 passes a HIPPS line over), and it is the code the
    line needs (no ``REVENUE_CODE_REQUIRES_HCPCS``: the I/OCE's HCPCS field holds it)."""
    if claim.claim_type != "institutional" or not claim.bill_type:
        return None
    # bill_class(claim.bill_type) written out: read on every institutional claim
    return _HIPPS_OF_BILL.get(claim.bill_type.strip().lstrip("0")[:2])


#: The CPT section of the anesthesia codes (``ProcedureEntry.section``: 00100-01999).
ANESTHESIA_SECTION = "Anesthesia"


def is_anesthesia_line(ln: LineInfo) -> bool:
    """Whether a valid line is of a CPT anesthesia code (00100-01999: its section), the
    add-on codes (01953, 01968, 01969) and the daily management 01996 among them."""
    return ln.entry.section == ANESTHESIA_SECTION and ln.entry.system == "cpt"


def is_quality_data(ln: LineInfo) -> bool:
    """Whether a line is a valid quality-data code (QDC: ``procedure.Resolved.QUALITY``, a
    CPT Category II code, or a code of MPFS status M in a loaded MPFS file), which reports
    a quality measure's action for the visit of its claim and is no service of its own."""
    return ln.entry is not None and bool(
        procedure.resolve(ln.line.procedure_code, on=ln.day).bits & PROC_QUALITY)


def is_visit_addon(ln: LineInfo) -> bool:
    """Whether a line is a valid add-on code reporting more of the E/M visit it is billed
    with (``procedure.VISIT_ADDONS``: G2211, the visit's prolonged time G2212 and 99417,
    critical care's 99292...), no procedure or service of its own."""
    return ln.entry is not None and ln.code in procedure.VISIT_ADDONS


def is_hipps_line(hipps: frozenset[str] | None, line: ServiceLine) -> bool:
    """Whether ``line`` is a HIPPS line of a claim whose :func:`hipps_revenue_codes` are
    ``hipps``."""
    rev = line.revenue_code
    return hipps is not None and rev is not None and rev.strip() in hipps


#: ``ClaimContext.route_problem`` of a Medicare institutional claim of a type of bill
#: neither CMS editor takes (a skilled nursing facility's 21x, a swing bed's 18x, a
#: religious nonmedical institution's 41x: Part A stays paid per diem by their own payment
#: systems, Claims Processing Manual ch.6 §30), which the payer routing sent to
#: ``medicare-outpatient`` with a notice. No I/OCE path edit judges such a claim (the I/OCE
#: has no path for it: :func:`codekit.rules.ioce_status.ioce_path`), nor the NCCI PTP,
#: MUE and add-on edits (CMS applies the hospital NCCI edits to the outpatient types of
#: bill the I/OCE takes, and NCCI is a Part B program: NCCI Policy Manual, Introduction).
NO_CMS_EDITOR = "no-editor"
#: Why no NCCI PTP or MUE table answers for such a claim (its checker's tables are an
#: :class:`NcciOffTables` that says nothing: ``said=False``).
NO_CMS_EDITOR_NCCI = ("CMS applies no NCCI edit to a type of bill neither of its editors "
                      "takes")


class ClaimContext:
    """A claim resolved for its dates, with the checker's profile and tables."""

    #: What the payer routing said of the claim (:attr:`codekit.rules.Route.problem`):
    #: ``"no-editor"`` for a Medicare institutional claim of a type of bill neither CMS
    #: editor takes, which the routing sent to ``medicare-outpatient`` with a notice; None
    #: when the routing placed it without a word, or when a profile was chosen for every
    #: claim (``Checker(profile=...)``). Set on the instance only when not None: one more
    #: attribute on every context took its instances past CPython's 30 shared keys, and
    #: every attribute read of every rule slower (2.5 % of a claim's instructions).
    route_problem: str | None = None

    def __init__(self, claim: Claim, profile: Profile, tables: Any = None,
                 payer: str | None = None, plan: str | None = None,
                 route_problem: str | None = None) -> None:
        self.claim = claim
        self.profile = profile
        if route_problem is not None:  # (the class's None otherwise: see route_problem)
            self.route_problem = route_problem
        #: What the report must say about how the claim was judged (see :meth:`notice`).
        self.notices: list[Notice] = []
        #: The claim's payer as routed (``medicare`` for "Medicare Part B" or filing
        #: indicator MB; see :mod:`codekit.rules.routing`), else its own name.
        own = claim.payer.lower()
        self.payer: str = payer if payer is not None else own
        #: The names a payer policy may use for this payer: the routed family, the payer
        #: ID the routing gave when it is no family (``plan``: :attr:`Route.plan`) and the
        #: claim's own payer name (``payer: medicare`` and ``payer: acme`` both match).
        self.payers: tuple[str, ...] = (own,) if own == self.payer else (self.payer, own)
        if plan is not None and plan not in self.payers:
            self.payers = (self.payer, plan, *self.payers[1:])
        #: The NCCI tables the profile uses: a :class:`codekit.ncci.TableLibrary`, or None
        #: when the profile runs no NCCI edit.
        self.tables = tables
        #: The setting whose NCCI tables apply: practitioner for professional claims,
        #: dme for a DMEPOS supplier's (``Claim.dme_supplier``), hospital (outpatient) for
        #: institutional ones, unless the profile says otherwise (``ncci_setting``).
        self.setting: str = profile.options.get("ncci_setting") or (
            "hospital" if claim.claim_type == "institutional" else
            "dme" if claim.dme_supplier else "practitioner")
        #: An institutional claim under a profile with ``inpatient=True``: what the POA
        #: and MCE procedure edits judge.
        self.inpatient: bool = claim.claim_type == "institutional" and \
            bool(profile.options.get("inpatient", False))
        day = self.day = claim.date_of_service
        dc = icd10cm.date_view(day)
        answers = dc.answers
        hits: list[Facts | bool] = []  # per position: the facts, or INVALID
        #: rule ID -> the diagnoses whose validity error carries it
        errors: dict[str, list[DxInfo]] = {}
        odd: dict[int, DxInfo] = {}  # the invalid and blank positions
        blank: list[int] = []  # blank positions
        first = later = 0  # Facts.bits of the first diagnosis / of the others
        cats = 0  # the category bits of the valid diagnoses (see valid_categories)
        valid: list[tuple[int, Facts]] = []  # (position, facts) of the valid ones
        i = 0
        for raw in claim.diagnoses:
            hit = answers.get(raw)
            if hit is None:
                hit = dc.resolve(raw)
            if hit is INVALID:
                if raw.strip():
                    err = dc.error(raw, day)
                    d = odd[i] = DxInfo(i, raw, None, err, day)
                    errors.setdefault(err.code, []).append(d)
                else:
                    odd[i] = DxInfo(i, raw, None, None, day)
                    blank.append(i)
            else:
                cats |= hit.category_bit  # type: ignore[union-attr]
                valid.append((i, hit))  # type: ignore[arg-type]
                if i:
                    later |= hit.bits  # type: ignore[union-attr]
                else:
                    first = hit.bits  # type: ignore[union-attr]
            hits.append(hit)
            i += 1
        if (first | later) >= UNTABULATED:  # (the one bit past 2**30)
            self._untabulated(dc, valid)
        # The DxInfo of the valid diagnoses are made when a rule first asks (most claims
        # run no rule that does).
        #: per diagnosis position, its Facts when valid, else INVALID (False)
        self.dx_hits: list[Facts | bool] = hits
        self._odd = odd
        self._dx: list[DxInfo] | None = None
        self._codes: tuple[str | None, ...] | None = None
        self._valid: list[DxInfo] | None = None
        #: (position, facts) of the diagnoses valid on their dates, in claim order: what
        #: rules that compare diagnoses read without making a :class:`DxInfo` for each
        #: (plain attributes, as the next: a property's call on every read cost the
        #: inpatient workload 2 % of its instructions).
        self.valid_hits: list[tuple[int, Facts]] = valid
        #: The :attr:`codekit.icd10cm.Facts.category_bit` of every valid diagnosis, or-ed:
        #: what a note's :attr:`codekit.icd10cm.NoteIndex.mask` is tested against (a note
        #: that names none of the claim's categories is passed over with one AND).
        self.valid_categories: int = cats
        self._n_valid = i - len(odd)
        self.dx_errors = errors
        # A code written twice resolves to the same facts (E11.9 and E119 too); two
        # invalid positions count as a possible repeat, which DX_DUPLICATE then judges.
        self._repeat = len(set(hits)) < i
        lines: list[LineInfo] = []
        valid_lines: list[LineInfo] = []
        proc = 0  # the bits of the valid procedures
        #: Lines whose code is valid in its IOCE quarter but not on the line's day (see
        #: LineInfo.quarter_entry): the patient age and sex edits still judge them.
        self.dated_lines: list[LineInfo] = []
        mod_features: tuple[str, ...] = ()
        other_days: list[tuple[dt.date, ServiceLine]] = []
        # the revenue codes of the claim's HIPPS lines: None on most claims
        hipps = hipps_revenue_codes(claim) if claim.service_lines and \
            claim.claim_type == "institutional" else None
        hipps_lines = False
        for i, line in enumerate(claim.service_lines):
            on = line.date_of_service or day
            if on != day:
                other_days.append((on, line))
            if hipps is not None and is_hipps_line(hipps, line):
                # a HIPPS rate code, not a CPT/HCPCS code: nothing the procedure edits judge
                code, entry, error, bits = None, None, None, 0
                hipps_lines = True
            else:
                code, entry, error, bits = procedure.resolve(line.procedure_code, on=on)
            if line.modifiers:
                mods, found, look = _modifiers(line.modifiers)
                mod_features += found
                if look and entry is not None and (
                        (look & _LOOK_EM_MOD  # (25 on an E/M, the usual case, stops here)
                         and entry.section not in _EM_SECTIONS  # type: ignore[attr-defined]
                         and entry.system == "cpt")
                        or (look & _LOOK_NOT_ON_EM and procedure.is_em_or_telemedicine(code))
                        or (look & _LOOK_51 and entry.addon_type is not None)
                        or (look & _LOOK_NOT_ON_LAB and entry.system == "cpt"
                            and is_clinical_lab(entry.section,  # type: ignore[attr-defined]
                                                code or ""))):
                    mod_features += ("mods-placed",)  # see _modifiers
            else:
                mods = ()
            ln = LineInfo(i, line, on, code, entry, error, mods)
            lines.append(ln)
            if entry is not None:
                valid_lines.append(ln)
                proc |= bits
            elif code is not None and error is not None and \
                    error.code == "PROC_NOT_VALID_ON_DOS":
                proc |= self._dated(ln, code, on)
        self.lines = lines
        self.valid_lines = valid_lines
        self._one_day = not other_days  # every line on the claim's date (see lines_on)
        if other_days:
            born = claim.patient.birth_date
            if born is not None and born > min(d for d, _ in other_days):
                # a line dated before the birth (PATIENT_AGE_INVALID): said with the
                # modifiers' features, which _features adds, so that claims of one date,
                # most claims, do not look
                mod_features += ("patient-odd",)
        if other_days and claim.claim_type != "institutional":
            gained = self._line_dates(other_days)
            first |= gained[0]
            later |= gained[1]
            if self.valid_hits is not valid:  # the lines' dates changed the valid ones:
                cats = 0  # the features read no category bits then (as they always have)
        covered = icd10cm.coverage()
        if not covered[0] <= day <= covered[1] or (
                other_days and not covered[0] <= max(d for d, _ in other_days) <= covered[1]):
            self._coverage(other_days)
        if lines:
            start, end = _procedure_coverage()
            for ln in lines:
                if not start <= ln.day <= end and ln.line.procedure_code.strip() and \
                        not procedure.covers(ln.code, on=ln.day):  # (a revenue code alone:
                    # no CPT/HCPCS data answers the line)
                    self.notice("PROCEDURE_DATE_NOT_COVERED", _procedure_not_covered(ln),
                                ("service_lines", ln.index, "procedure_code"))
                    break
        elif not self.inpatient and not claim.is_inpatient:
            # an 837P, or an outpatient 837I, carries at least one service line: say that
            # the line edits had nothing to judge rather than call the claim clean
            kind = "an outpatient 837I" if claim.is_institutional else "an 837P"
            self.notice("NO_SERVICE_LINES", "the claim has no service lines: only its "
                        "diagnoses were checked (the procedure, units, modifier, pointer and "
                        f"NCCI edits judge lines, and {kind} carries at least one)",
                        ("service_lines",))
        # The ICD-10-PCS procedures resolved for the claim's date of service; their
        # ProcInfo are made when a rule first asks (see procs): most claims run no rule
        # that does, and the features read the resolutions.
        self._pcs: list[icd10pcs.Resolved] = [
            icd10pcs.resolve(p.code, on=day) for p in claim.procedures] \
            if claim.procedures else []
        if claim.procedures:
            start, end = icd10pcs.coverage()
            if not start <= day <= end:
                self.notice("ICD10PCS_DATE_NOT_COVERED", f"{day} is " + (
                    f"after the last date codekit's ICD-10-PCS data describes ({end}): "
                    "procedures are answered from the newest data; add the CMS release "
                    "of that date (codekit data add-pcs)" if day > end else
                    f"before ICD-10-PCS took effect ({start}): ICD-10-PCS codes are not "
                    "valid then"), ("procedures",))
        self._procs: list[ProcInfo] | None = None
        self.lines_by_day: dict[dt.date, list[LineInfo]] | None = None  # see lines_on
        #: What a rule works out once for the claim and other rules reuse (by name);
        #: ``"hipps_lines"`` (True) when a line is a HIPPS line (:func:`is_hipps_line`).
        self.memo: dict[str, Any] = {"hipps_lines": True} if hipps_lines else {}
        self._age: tuple[int | None] | None = None
        self.features = self._features(blank, first, later, proc, mod_features, cats)

    def _bilateral_pair(self) -> bool:
        """Two valid diagnoses of one category carry ``Facts.BILATERAL`` (H25.11 and
        H25.12: the bilateral code, I.B.13, may replace them). Asked only of claims with
        such a code after position 1."""
        seen = 0
        for _, h in self.valid_hits:
            if h.bits & BILATERAL:
                if seen & h.category_bit:
                    return True
                seen |= h.category_bit
        return False

    def _kin_pair(self) -> bool:
        """Two valid diagnoses share a key of :attr:`codekit.icd10cm.Facts.guideline_kin`:
        a guideline row of one category (one injury coded for two encounters, one drug's
        poisoning and adverse effect, one burn site in two degrees, two Y93 or Y99 codes)
        may pair them. Asked only of claims with a code such a row may remove and one that
        may rule one out (most claims with injuries: their subsequent and initial
        encounters, of different injuries)."""
        seen: set[str] = set()
        for _, h in self.valid_hits:
            kin = h.guideline_kin
            if kin:
                for key in kin:
                    if key in seen:
                        return True
                    seen.add(key)
        return False

    def _encounter_mismatch(self) -> bool:
        """An external cause code (V00-Y38) whose 7th character says another encounter
        than every injury code's of the claim (S00-T88, the fractures of chapter 13:
        ``Facts.encounter``; W19.XXXD beside S52.521A only): the
        feature ``dx-guideline-pair`` (``DX_GUIDELINE_CONFLICT``,
        I.C.20.a.2). Asked only of claims with an external cause code."""
        causes = injuries = ""
        for _, h in self.valid_hits:
            found = h.encounter
            if found is not None:
                if h.external_cause:
                    causes += found
                else:
                    injuries += found
        if injuries:
            for c in causes:
                if c not in injuries:
                    return True
        return False

    def _superficial_pair(self) -> bool:
        """A superficial injury (``Facts.SUPERFICIAL``: S00, S10 ... S90) and another
        injury of its body region (S80.01XA with S82.001A: the same first two characters)
        for the same encounter (``Facts.encounter``):
        the feature ``dx-guideline-pair`` (``DX_GUIDELINE_CONFLICT``, I.C.19.b.1). Asked
        only of claims with a superficial injury."""
        superficial: list[str] = []
        others: list[str] = []
        for _, h in self.valid_hits:
            code = h.code
            if code[0] == "S":  # its region (S8-) and encounter: "8A"
                key = code[1] + (h.encounter or "")
                if h.bits & SUPERFICIAL:
                    superficial.append(key)
                else:
                    others.append(key)
        return bool(superficial) and not set(superficial).isdisjoint(others)

    def _points_first_to_secondary(self) -> bool:
        """A professional line's first pointer points past diagnosis 1 to a valid code that
        is never first-listed (manifestation, external cause, additional code only): the
        feature ``not-principal-later`` (``PTR_PRIMARY_NOT_ALLOWED``). Asked only of claims
        with such a code after position 1 (an external cause beside an injury is common;
        pointed first, rare)."""
        if self.claim.claim_type == "institutional":
            return False
        hits = self.dx_hits
        n = len(hits)
        for line in self.claim.service_lines:
            p = line.diagnosis_pointers
            if p and 1 < p[0] <= n:
                h = hits[p[0] - 1]
                if h and (h.manifestation or h.external_cause  # type: ignore[union-attr]
                          or h.secondary_only):  # type: ignore[union-attr]
                    return True
        return False

    def _other_dx(self) -> list[tuple[tuple[str | int, ...], str, ValidationError]]:
        """The validity errors of the admitting diagnosis and the reasons for visit, on the
        claim's date (the MCE judges an admitting diagnosis on the discharge's, its edit
        INVALID_ADMIT_DX; the I/OCE, the reasons for visit on the claim's)."""
        claim, day = self.claim, self.day
        dc = icd10cm.date_view(day)
        out: list[tuple[tuple[str | int, ...], str, ValidationError]] = []
        where: list[tuple[tuple[str | int, ...], str]] = [
            (("visit_reasons", i), raw) for i, raw in enumerate(claim.visit_reasons)]
        if claim.admitting_diagnosis:
            where.insert(0, (("admitting_diagnosis",), claim.admitting_diagnosis))
        for at, raw in where:
            if raw.strip() and dc.resolve(raw) is INVALID:
                out.append((at, raw, dc.error(raw, day)))
        return out

    def _dated(self, ln: LineInfo, code: str, on: dt.date) -> int:
        """For a line whose code CMS approved or ended inside its quarter, used outside
        those dates: keep the quarter's entry (the code's age and sex limits hold whatever
        the date; the I/OCE edits them too) and return what it may trigger (the I/OCE's
        date edit when the date is on its wrong side)."""
        limit = procedure.date_limit(code, on=on)
        if limit is None:
            return 0
        entry = procedure.lookup(code, on=on)
        ln.quarter_entry = entry
        self.dated_lines.append(ln)
        return (PROC_SEX if entry.sex else 0) | (
            PROC_AGE if entry.min_age is not None or entry.max_age is not None
            or code in procedure.CPT_AGE_LIMITS else 0) | (
            PROC_DATE_EDIT if limit.violated_on(on) else 0)

    def _line_dates(self, other_days: list[tuple[dt.date, ServiceLine]]) -> tuple[int, int]:
        """Professional claims: a diagnosis must be valid on the dates of the lines that
        point to it, not only on the claim's date (G35 pointed to by a line dated
        2025-10-01 on a claim dated 2025-09-30 is not valid on that line's date); and a
        diagnosis that only lines of other dates point to is judged on their dates, not
        the claim's (D69.11, new on 2026-10-01, pointed to by the line of that day alone
        on a claim dated 2026-09-30). Returns the :attr:`Facts.bits` of the diagnoses
        that became valid (of position 1, of the others)."""
        hits, raws = self.dx_hits, self.claim.diagnoses
        gained = self._redate(other_days)
        bad: dict[int, tuple[dt.date, list[int]]] = {}
        for on, line in other_days:
            view = icd10cm.date_view(on)
            for p in line.diagnosis_pointers:
                i = p - 1
                if not 0 <= i < len(hits) or hits[i] is INVALID:
                    continue
                if view.resolve(raws[i]) is INVALID:
                    first, nums = bad.setdefault(i, (on, []))
                    if on == first:
                        nums.append(line.line)
        for i, (on, nums) in bad.items():
            err = icd10cm.date_view(on).error(raws[i], on)
            d = self._odd[i] = DxInfo(i, raws[i], None, err, on, tuple(nums))
            self.dx_errors.setdefault(err.code, []).append(d)
            hits[i] = INVALID
            self._n_valid -= 1
        if bad or gained != (0, 0):
            self._dx = self._valid = self._codes = None
            valid = self.valid_hits = [(i, h) for i, h in enumerate(hits)  # type: ignore[misc]
                                       if h is not INVALID]
            cats = 0
            for _, h in valid:
                cats |= h.category_bit
            self.valid_categories = cats
            self._repeat = self._repeat or len(set(hits)) < len(hits)
        return gained

    def _redate(self, other_days: list[tuple[dt.date, ServiceLine]]) -> tuple[int, int]:
        """Judge each diagnosis not valid on the claim's date, but valid on another, that
        no line of the claim's date points to and lines of other dates do, on the first
        of those lines' dates (the loop of :meth:`_line_dates` then holds it to the
        others)."""
        dated = self.dx_errors.get("DX_NOT_VALID_ON_DOS")
        if not dated:
            return 0, 0
        day, hits = self.day, self.dx_hits
        today: set[int] = set()  # positions a line of the claim's date points to
        for line in self.claim.service_lines:
            if line.date_of_service is None or line.date_of_service == day:
                today.update(line.diagnosis_pointers)
        first = later = 0
        for d in list(dated):
            if d.day != day or d.index + 1 in today:
                continue
            days = sorted(on for on, line in other_days
                          if d.index + 1 in line.diagnosis_pointers)
            if not days:
                continue  # no line points to it: the claim's date judges it
            facts = icd10cm.date_view(days[0]).resolve(d.raw)
            if facts is INVALID:
                continue
            dated.remove(d)
            del self._odd[d.index]
            hits[d.index] = facts
            self._n_valid += 1
            if d.index:
                later |= facts.bits  # type: ignore[union-attr]
            else:
                first = facts.bits  # type: ignore[union-attr]
        if not dated:
            del self.dx_errors["DX_NOT_VALID_ON_DOS"]
        return first, later

    def _untabulated(self, dc: icd10cm.DateView, valid: list[tuple[int, Facts]]) -> None:
        """Say so when a valid diagnosis is not in the tabular whose notes the claim's date
        reads (I42.01, new in FY2027, against the FY2026 tabular): its own notes are not
        read by the convention edits (``ICD10CM_NOTES_NOT_COVERED``, at the first)."""
        found = [(i, f.dotted) for i, f in valid if f.bits & UNTABULATED]
        if found:
            self.notice("ICD10CM_NOTES_NOT_COVERED", dc.untabulated_note(
                list(dict.fromkeys(c for _, c in found)), self.day), ("diagnoses", found[0][0]))

    def _coverage(self, other_days: list[tuple[dt.date, ServiceLine]]) -> None:
        """Say so when a date is outside what codekit's ICD-10-CM data describes."""
        first, last = icd10cm.coverage()
        days = {self.day, *(d for d, _ in other_days)}
        late = sorted(d for d in days if d > last)
        # the words code-level answers use too (icd10cm.coverage_note)
        if late:
            self.notice("ICD10CM_DATE_NOT_COVERED",
                        icd10cm.coverage_note(on=late[0]))  # type: ignore[arg-type]
        if min(days) < first:
            self.notice("ICD10CM_DATE_NOT_COVERED",
                        icd10cm.coverage_note(on=min(days)))  # type: ignore[arg-type]

    @property
    def dx(self) -> list[DxInfo]:
        """Every diagnosis position, in claim order."""
        dx = self._dx
        if dx is None:
            odd, day, raws = self._odd, self.day, self.claim.diagnoses
            dx = self._dx = [odd[i] if hit is INVALID else
                             DxInfo(i, raws[i], hit, None, day)  # type: ignore[arg-type]
                             for i, hit in enumerate(self.dx_hits)]
        return dx

    @property
    def dx_codes(self) -> tuple[str | None, ...]:
        """Per position, the compact code of a valid diagnosis, or None."""
        codes = self._codes
        if codes is None:
            codes = self._codes = tuple([None if hit is INVALID else hit.code  # type: ignore[union-attr]
                                         for hit in self.dx_hits])
        return codes

    @property
    def repeated_categories(self) -> int:
        """The :attr:`valid_categories` bits held by two or more valid diagnoses (0 when
        every valid diagnosis is of its own category, the usual claim): a note of one code
        that names only its own category can name another diagnosis of the claim only
        when that category is repeated."""
        repeated = self.memo.get("repeated_categories")
        if repeated is None:
            valid = self.valid_hits
            repeated = 0
            if self.valid_categories.bit_count() < len(valid):
                seen = 0
                for _, h in valid:
                    bit = h.category_bit
                    if seen & bit:
                        repeated |= bit
                    seen |= bit
            self.memo["repeated_categories"] = repeated
        return repeated

    @property
    def valid_dx(self) -> list[DxInfo]:
        """The diagnoses valid on the date of service, in claim order."""
        valid = self._valid
        if valid is None:
            valid = self._valid = [d for d in self.dx if d.valid] if self._odd else self.dx
        return valid

    def _features(self, blank: list[int], first: int, later: int, proc: int,
                  mod_features: tuple[str, ...], cats: int) -> frozenset[str]:
        """What the claim has, so rules that need something it lacks are not run:

        - the validity error codes of its diagnoses and procedures (``DX_CODE_UNKNOWN``...);
        - ``dx-missing`` (no diagnosis, or position 1 blank), ``dx-invalid`` (a diagnosis
          failed validity or is blank), ``dx-several`` (two or more valid diagnoses),
          ``dx-repeat`` (a diagnosis written twice), ``dx-many`` (more than 12);
        - from the valid diagnoses: ``dx-age`` / ``dx-sex`` (one has an age band or a
          tabular age note / a sex limit, and the patient's age / sex M or F is known),
          ``dx-age-note`` (one has a tabular age note, ``Facts.AGE_NOTE``: Z68, and the
          age is known), ``manifestation``,
          ``external-first`` (position 1 is an external cause), ``not-principal-first``
          (position 1 is secondary-only or an MCE unacceptable principal),
          ``dx-etiology`` (a manifestation code, or severe sepsis, R65.2-,
          ``Facts.SEVERE_SEPSIS``: codes whose underlying condition must be coded),
          ``z-later``
          (a first-listed-only Z code after position 1), ``dx-additional`` (a code whose
          "Use additional code" note the guidelines make mandatory: I11.0, I12...),
          ``dx-combination`` (a code a combination code may replace and one that may
          call for it: ``Facts.COMBINATION``, ``Facts.COMBINATION_COMPANION``),
          ``obstetric-later`` (a chapter 15 code after position 1, and none first),
          ``dx-obstetric-condition`` (a chapter 15 code and a code of a condition
          chapter 15 classifies in a pregnancy: I10-I13, I15, E08-E11, E13),
          ``dx-liveborn`` (a Z38 code, liveborn infant, on a claim with an admission date),
          ``dx-weeks`` (a chapter 15 code and a Z3A code, weeks of gestation),
          ``dx-perinatal-maternal`` (a code of P00-P08, P95 or P96 and a chapter 15
          code), ``dx-age-days`` (a Z00 code, a birth date and age 0),
          ``not-principal-later`` (a professional line's first pointer to a
          manifestation, external-cause or additional-only code after position 1),
          ``dx-guideline-pair`` (a code a guideline does not report beside another and one
          that may rule it out: ``Facts.GUIDELINE_DROP``, ``Facts.GUIDELINE_PARTNER`` or
          ``Facts.OBSTETRIC``; or ``Facts.GUIDELINE_SAME``, a code ruled out only by one of
          its own category, and ``Facts.GUIDELINE_KIN``, one that may rule such a code
          out, two of whose codes share a ``Facts.guideline_kin`` key; or two codes of
          one category with ``Facts.BILATERAL``: a side and the bilateral code; or an
          external cause code of another encounter than every injury's, or a superficial
          injury, ``Facts.SUPERFICIAL``, beside another injury of its body region), with
          ``dx-guideline-rows`` when a row of ``icd10cm.guidelines.CONFLICTS`` may pair
          two of the codes (the first two cases: the edit reads its rows only then),
          ``dx-guideline-first`` (a code a guideline sequences first,
          ``Facts.GUIDELINE_FIRST``, after position 1, and first a code it may be sequenced
          before, ``Facts.GUIDELINE_AFTER``; or first a chapter 19 code with 7th
          character S, a sequela, and other valid diagnoses), ``dx-symptom-integral`` (a
          sign or symptom a guideline does not code beside a disease it is part of,
          ``Facts.SYMPTOM_INTEGRAL``, and such a disease, ``Facts.SYMPTOM_DISEASE``);
        - ``lines``, ``lines-several``, ``lines-repeat`` (a procedure code on two lines
          or more), ``line-ids`` (a ``line_id`` on two lines),
          ``lines-many`` (over 50), ``dates-several``
          (several lines, one dated other than the claim's date), ``proc-invalid``,
          ``units-odd`` (units missing or not positive), ``modifiers``; from the valid
          lines: ``proc-sex`` / ``proc-age`` (a procedure limited by sex / age, sex M or F
          / age known), ``proc-sided`` (a procedure done on either side),
          ``proc-screening`` (a flexible sigmoidoscopy, colonoscopy or mammography code,
          or 00811, the anesthesia of a colonoscopy:
          ``procedure.SCREENING_TURNED_DIAGNOSTIC``), ``proc-mpfs`` (a procedure with a
          row in a loaded MPFS RVU file: ``ProcedureEntry.mpfs``), ``therapy`` (a Medicare
          "always therapy" code, ``procedure.ALWAYS_THERAPY``; or on an institutional claim
          of a type of bill of :data:`THERAPY_BILL_TYPES`, a line of revenue code
          042x-044x), ``hospice`` (an institutional claim of a type of bill of
          :data:`HOSPICE_BILL_TYPES`, 81x or 82x, under a profile without ``inpatient``),
          ``home-health`` (likewise, of type of bill 32x: :data:`HOME_HEALTH_PPS`),
          ``hipps`` (likewise, with a HIPPS line of its type of bill:
          :data:`HIPPS_REVENUE_CODES`, :func:`is_hipps_line`),
          ``fracture-treated`` (a CPT fracture treatment code,
          ``procedure.FRACTURE_TREATMENT``; or a valid ICD-10-PCS Reposition of an upper or
          lower bone), ``proc-preventive`` (a preventive medicine visit,
          ``procedure.PREVENTIVE_VISITS``), ``proc-vaccine`` (a vaccine Part B pays with its own
          administration code, or one Part D covers: ``procedure.PART_B_VACCINES``,
          ``procedure.COVID_VACCINES``, ``procedure.PART_D_VACCINES``; or M0201, the
          add-on of a Part B vaccine administered at home), ``proc-acp``
          (advance care planning, 99497 or 99498), ``mods-many``,
          ``mods-side``, ``mods-conflict``, ``mods-cs``, ``mods-gy``, ``mods-pair``,
          ``mods-placed``, ``mods-pt``, ``mods-53``, ``mods-73-74``, ``mods-50``,
          ``mods-fs``,
          ``mods-jw``, ``mods-jz``, ``mods-assistant`` (see
          ``_modifiers``); ``telehealth`` (a telehealth modifier, or place of service 02 or
          10 on the claim or a line); on a professional claim ``mods-25-alone`` (modifier
          25 on a claim of one line, or of lines on several dates: a date may have one
          line, or with a quality-data code, ``Resolved.QUALITY``, or an add-on of the
          visit itself, ``Resolved.VISIT_ADDON``: a date may have no other service),
          ``em-pos`` (see :meth:`_em_pos`), ``pos-odd`` (a place of
          service, the claim's or a line's, that is not a code of the CMS set in effect on
          every date:
          ``codekit.rules.place_of_service.POS_CODES``), ``asc-facility`` (an ambulatory
          surgical center's facility claim, ``Claim.asc_facility``);
          ``proc-telemedicine`` (a valid telemedicine visit 98000-98015),
          ``proc-anesthesia`` (a valid anesthesia code),
          ``proc-drug-test`` (a valid CPT definitive drug test, 80320-80377),
          ``proc-period`` (a valid code of a service billed for a period, a month or 30 or
          90 days: ``Resolved.PERIOD``), ``proc-date-edit`` (a line's date on the wrong
          side of its code's I/OCE date edit, ``procedure.date_limit``: a valid Level II
          code, ``Resolved.DATE_EDIT``, or a code not valid on the date);
        - ``period-outpatient`` (an institutional claim, not inpatient, with a statement
          period), ``line-outside-period`` (an institutional claim with a line dated
          outside its statement period), ``discharge-status`` (an institutional claim
          with a discharge status), ``occurrence-codes`` (an institutional claim with NUBC
          occurrence codes), ``pcs-dated`` (an institutional claim with an
          ICD-10-PCS procedure that has its date);
        - ``pcs`` (the claim has ICD-10-PCS procedures), ``pcs-many`` (more than 25),
          the validity error codes of its procedures, ``pcs-flags`` (a valid procedure
          with MCE flags on the date),
          ``pcs-bone-reposition`` (a valid Reposition of an upper or lower bone, 0PS/0QS);
          ``inpatient`` (an institutional claim under a profile with ``inpatient=True``),
          ``dx-wrong-procedure`` (a valid diagnosis Y65.5-: wrong procedure performed),
          ``admission-questionable`` (a valid principal diagnosis on the MCE's
          questionable-admission list: ``Facts.QUESTIONABLE_ADMISSION``),
          ``dx-unspecified-mce`` (a valid diagnosis on the MCE's unspecified list:
          ``Facts.UNSPECIFIED_MCE``), ``admitting-dx-missing`` (an admission date and no
          admitting diagnosis);
        - ``pointer-odd`` (a line with no, repeated, too many or out-of-range pointers),
          ``patient-odd`` (sex not M/F/U, an age outside 0-124 on the date, or a birth
          date after the date of service, the admission or a line's own date);
        - ``code-not-ascii`` (a diagnosis, procedure code, modifier, ICD-10-PCS code,
          admitting diagnosis or reason for visit holding a character outside ASCII);
        - ``charges`` (a total charge or a line's charge given), ``correction`` (a
          ``corrected_claim_id`` or a frequency code given, or a type of bill whose last
          character is not 1: it may be a replacement's or void's, 7 or 8).
        """
        f = list(self.dx_errors)  # the validity error codes present (one edit each)
        f += mod_features
        n = len(self.dx_hits)
        if not "".join(self.claim.diagnoses).isascii():
            f.append("code-not-ascii")
        if not n or (blank and blank[0] == 0):
            f.append("dx-missing")
        if blank and blank[-1] > 0:
            f.append("DX_FORMAT_INVALID")  # a blank position after the first
        if self.dx_errors or blank:
            f.append("dx-invalid")
        if self._n_valid > 1:
            f.append("dx-several")
            if later & BILATERAL and (cats or self.valid_categories).bit_count() < \
                    self._n_valid and self._bilateral_pair():
                f.append("dx-guideline-pair")  # one side and the other, or both (I.B.13)
            if first & SEQUELA:  # a sequela first (chapter 19, 7th character S)
                f.append("dx-guideline-first")
        if self._repeat:
            f.append("dx-repeat")
        if n > 12:
            f.append("dx-many")
        patient = self.claim.patient
        age = patient.age_on(self.day)
        if age is not None and not 0 <= age <= 124:
            age = None
            f.append("patient-odd")
        elif patient.sex not in ("M", "F", "U") or (
                patient.birth_date is not None and (patient.birth_date > self.day or (
                    self.claim.admission_date is not None
                    and patient.birth_date > self.claim.admission_date))):
            f.append("patient-odd")
        self._age = (age,)
        both = first | later  # (the diagnoses' bits: the procedures' are read from proc)
        if both or proc:
            sexed = patient.sex in ("M", "F")
            if both & AGE_LIMIT and age is not None:
                f.append("dx-age")
                if both & AGE_NOTE:  # (Z68 codes carry AGE_LIMIT too)
                    f.append("dx-age-note")
            if both & SEX_LIMIT and sexed:
                f.append("dx-sex")
            if both & (MANIFESTATION | SEVERE_SEPSIS):
                if both & MANIFESTATION:
                    f.append("manifestation")
                f.append("dx-etiology")
            if first & EXTERNAL_CAUSE:
                f.append("external-first")
            if first & NOT_PRINCIPAL:
                f.append("not-principal-first")
            if (later & (MANIFESTATION | EXTERNAL_CAUSE) or (
                    later & NOT_PRINCIPAL and cats & _SECONDARY_ONLY)) \
                    and self._points_first_to_secondary():
                f.append("not-principal-later")
            dx = both
            if dx & FIRST_ONLY_Z:  # a Z code reported only first-listed (Z38 among them)
                if later & FIRST_ONLY_Z:
                    f.append("z-later")
                if self.claim.admission_date is not None and self.valid_categories & _Z38:
                    f.append("dx-liveborn")
            if both & ADDITIONAL_CODE:
                f.append("dx-additional")
            if dx & COMBINATION and dx & COMBINATION_COMPANION:
                f.append("dx-combination")
            if dx & OBSTETRIC:  # a chapter 15 code
                if later & OBSTETRIC and not first & OBSTETRIC:
                    f.append("obstetric-later")
                if self.valid_categories & _IN_PREGNANCY:
                    f.append("dx-obstetric-condition")
                if cats & _Z3A:
                    f.append("dx-weeks")
                if cats & _PERINATAL:
                    f.append("dx-perinatal-maternal")
            if age == 0 and patient.birth_date is not None and cats & _Z00:
                f.append("dx-age-days")
            if (dx & GUIDELINE_DROP and dx & (GUIDELINE_PARTNER | OBSTETRIC)) or (
                    dx & GUIDELINE_SAME and dx & GUIDELINE_KIN
                    and cats.bit_count() < self._n_valid  # a category twice
                    and self._kin_pair()):
                f.append("dx-guideline-rows")  # the CONFLICTS rows may pair two codes
                if "dx-guideline-pair" not in f:
                    f.append("dx-guideline-pair")
            if dx & (EXTERNAL_CAUSE | SUPERFICIAL) and self._n_valid > 1 and \
                    "dx-guideline-pair" not in f and (
                        (dx & EXTERNAL_CAUSE and dx & _INJURY_ANY and (
                            # the encounters' bits (exact unless a line's date made a
                            # code invalid, cats 0): a cause's encounter no injury has,
                            # initial or subsequent, or a sequela cause where no injury
                            # is a sequela (I.C.20.a.2); then the codes say
                            not cats or dx >> _CAUSE_SHIFT & ~dx & _INJURY_AD
                            or (dx & _CAUSE_SEQUELA == _CAUSE_SEQUELA
                                and not dx & INJURY_SEQUELA))
                         and self._encounter_mismatch())
                        or (dx & SUPERFICIAL and self._superficial_pair())):
                f.append("dx-guideline-pair")  # I.C.20.a.2, I.C.19.b.1
            if later & GUIDELINE_FIRST and first & GUIDELINE_AFTER:
                f.append("dx-guideline-first")
            if dx & SYMPTOM_INTEGRAL and dx & SYMPTOM_DISEASE:
                f.append("dx-symptom-integral")
            if proc:
                if proc & PROC_SEX and sexed:
                    f.append("proc-sex")
                if proc & PROC_AGE and age is not None:
                    f.append("proc-age")
                if proc & PROC_SIDED:
                    f.append("proc-sided")
                if proc & PROC_SCREENING:
                    f.append("proc-screening")
                if proc & PROC_MPFS:
                    f.append("proc-mpfs")
                if proc & PROC_THERAPY:
                    f.append("therapy")
                if proc & _PROC_PART_B:
                    if proc & PROC_VACCINE:
                        f.append("proc-vaccine")
                    if proc & PROC_ACP:
                        f.append("proc-acp")
                if proc & PROC_FRACTURE:
                    f.append("fracture-treated")
                if proc & PROC_PREVENTIVE:
                    f.append("proc-preventive")
                if proc & _PROC_RARE:  # (bits few claims have: one test)
                    if proc & PROC_TELEMEDICINE:
                        f.append("proc-telemedicine")
                    if proc & PROC_ANESTHESIA:
                        f.append("proc-anesthesia")
                    if proc & PROC_AMBULANCE:
                        f.append("proc-ambulance")
                    if proc & PROC_DATE_EDIT:
                        f.append("proc-date-edit")
                    if proc & PROC_DRUG_TEST:
                        f.append("proc-drug-test")
                    if proc & PROC_PERIOD:
                        f.append("proc-period")
        if self._pcs:
            f.append("pcs")
            if len(self._pcs) > PCS_LIMIT:
                f.append("pcs-many")
            for given in self.claim.procedures:
                if not given.code.isascii():
                    f.append("code-not-ascii")
                    break
            for pr in self._pcs:
                if pr.error is not None:
                    f.append(pr.error.code)
                else:
                    if pr.flags:
                        f.append("pcs-flags")
                    code = pr.code  # is_bone_reposition(code), inlined: every procedure
                    if code is not None and code[2] == "S" and code[1] in "PQ" and \
                            code[0] == "0":
                        f.append("pcs-bone-reposition")
                        f.append("fracture-treated")
        claim = self.claim
        if claim.claim_type == "institutional":
            period = claim.statement_period
            if period is not None:
                if not claim.is_inpatient:
                    f.append("period-outpatient")
                start, end = period
                for line in claim.service_lines:
                    on = line.date_of_service
                    if on is not None and not start <= on <= end:
                        f.append("line-outside-period")
                        break
            if claim.discharge_status is not None:
                f.append("discharge-status")
            if claim.occurrence_codes:
                f.append("occurrence-codes")
            # (an inpatient stay takes no therapy modifier and is no hospice's: its
            # claims skip the look)
            if not self.inpatient:
                # (bill_class(claim.bill_type) written out: a call here cost every
                # outpatient claim)
                kind = (claim.bill_type or "").strip().lstrip("0")[:2]
                if kind in HOSPICE_BILL_TYPES:
                    f.append("hospice")  # (rules/post_acute.py decides)
                elif kind in _HIPPS_OF_BILL:
                    if kind == HOME_HEALTH_PPS:
                        f.append("home-health")  # (rules/post_acute.py decides)
                    if "hipps_lines" in self.memo:
                        f.append("hipps")  # a HIPPS line (HIPPS_CODE_INVALID decides)
                if not proc & PROC_THERAPY and kind in THERAPY_BILL_TYPES:
                    for line in claim.service_lines:
                        rev = line.revenue_code
                        if rev is not None and rev.strip().zfill(4)[:3] in THERAPY_REVENUE:
                            f.append("therapy")  # a therapy revenue code line (042x-044x)
                            break
            for dated in claim.procedures:
                if dated.date is not None:
                    f.append("pcs-dated")
                    break
            if claim.admitting_diagnosis or claim.visit_reasons:
                # kept in memo: one more instance attribute than the instance dict's
                # shared keys hold would slow every attribute read of every claim (3 %)
                others = self.memo["other_dx"] = self._other_dx()
                f += [err.code for _, _, err in others if err.code not in f]
                if not ((claim.admitting_diagnosis or "")
                        + "".join(claim.visit_reasons)).isascii():
                    f.append("code-not-ascii")
        if self.inpatient:
            f.append("inpatient")
            if first & QUESTIONABLE_ADMISSION:
                f.append("admission-questionable")
            if both & UNSPECIFIED_MCE:
                f.append("dx-unspecified-mce")
            if claim.admission_date is not None and \
                    not (claim.admitting_diagnosis or "").strip():
                f.append("admitting-dx-missing")  # (ADMITTING_DX_MISSING decides)
            # Y65.5- only: a claim without a valid Y65 code skips the walk
            if (first | later) & EXTERNAL_CAUSE and self.valid_categories & _Y65:
                for h in self.dx_hits:
                    if h is not False and h.code.startswith("Y655"):  # type: ignore[union-attr]
                        f.append("dx-wrong-procedure")
                        break
        lines = self.claim.service_lines
        charged = claim.total_charge is not None
        if lines:
            f.append("lines")
            if len(lines) > 1:
                f.append("lines-several")
                # the resolved codes, as LINE_DUPLICATE compares them (J1100 and j1100 are
                # one code); an invalid code is None, so two invalid lines plan it too
                if len({ln.code for ln in self.lines}) < len(lines):
                    f.append("lines-repeat")  # a code on two lines (LINE_DUPLICATE)
                if not self._one_day:
                    f.append("dates-several")
                if len(lines) > 50:
                    f.append("lines-many")
            for ln in self.lines:
                if ln.error is not None:
                    f.append("proc-invalid")
                    f.append(ln.error.code)
            top = min(n, 12)
            claim_pos = self.claim.place_of_service
            pos = claim_pos in TELEHEALTH_POS
            line_pos = False  # a line with a place of service of its own
            pos_odd = claim_pos is not None and claim_pos not in _POS_ANY_DAY
            ids: set[str] = set()  # the lines' ids (837 REF*6R), and how many lines have one
            n_ids = 0
            for line in lines:
                if line.modifiers:
                    f.append("modifiers")
                if line.line_id is not None:
                    ids.add(line.line_id)
                    n_ids += 1
                if not line.procedure_code.isascii():
                    f.append("code-not-ascii")
                if line.charge is not None:
                    charged = True
                if line.place_of_service is not None:
                    line_pos = True
                    pos = pos or line.place_of_service in TELEHEALTH_POS
                    pos_odd = pos_odd or line.place_of_service not in _POS_ANY_DAY
                u = line.units
                if u is None or not _ZERO < u < _INFINITY:
                    f.append("units-odd")
                p = line.diagnosis_pointers
                k = len(p)
                if not (1 <= p[0] <= top if k == 1 else 1 < k <= 4 and min(p) >= 1
                        and max(p) <= top and len(set(p)) == k):
                    f.append("pointer-odd")
            if pos:
                f.append("telehealth")
            if len(ids) < n_ids:  # an id on two lines (LINE_ID_DUPLICATE)
                f.append("line-ids")
            if claim.claim_type != "institutional":
                if pos_odd:  # (POS_INVALID decides)
                    f.append("pos-odd")
                if claim.asc_facility:  # an ASC's facility claim (rules/asc_facility.py)
                    f.append("asc-facility")
                # a date may have a line of its own: one line, or lines of several dates;
                # or its other lines may be quality-data codes or add-ons of the visit
                # itself (G2211, G2212...), which are no service
                if len(lines) == 1 or not self._one_day or proc & _NO_SERVICE:
                    for ln in self.lines:
                        if "25" in ln.modifiers:
                            f.append("mods-25-alone")
                            break
                # an office visit (the usual claim) at a place that fits it is passed
                # over without a look at its lines
                if (line_pos or claim_pos is not None) and (
                        proc & PROC_EM_FACILITY or (proc & PROC_EM_OFFICE and (
                            line_pos or claim_pos in OFFICE_MISFITS))
                        or (mod_features and "mods-fs" in mod_features)) \
                        and self._em_pos():
                    f.append("em-pos")
        if charged:  # a charge given (CLAIM_TOTAL_MISMATCH, CHARGE_NEGATIVE decide)
            f.append("charges")
        bill = claim.bill_type
        # (a type of bill not ending in 1, an admit-through-discharge or original claim,
        # the usual one: its last digit may be a correction's, 7 or 8, after blanks too)
        if claim.corrected_claim_id is not None or claim.frequency_code is not None or (
                bill is not None and bill[-1:] != "1"):
            f.append("correction")  # (CORRECTED_CLAIM_ID_MISSING, _UNEXPECTED decide)
        return frozenset(f)

    def _em_pos(self) -> bool:
        """A valid line of an E/M visit whose category does not fit its place of service
        (the line's, else the claim's: :data:`codekit.rules.place_of_service.MISFIT_POS`),
        or with modifier FS at an office (11): the feature ``em-pos``
        (``EM_PLACE_OF_SERVICE_MISMATCH``). Asked only of professional claims with a
        valid E/M visit of such a category or a modifier FS."""
        claim_pos = self.claim.place_of_service
        for ln in self.valid_lines:
            bad = MISFIT_POS.get(ln.code)  # type: ignore[arg-type]
            if bad is None and "FS" not in ln.modifiers:
                continue  # (most lines: one look-up)
            pos = ln.line.place_of_service or claim_pos
            if (bad is not None and pos in bad) or (pos == "11" and "FS" in ln.modifiers):
                return True
        return False

    # -- diagnoses -------------------------------------------------------------------------

    def pointed(self, line: LineInfo) -> list[DxInfo]:
        """The diagnoses a line points to (valid pointers only), in pointer order."""
        dx = self.dx
        n = len(dx)
        return [dx[p - 1] for p in line.line.diagnosis_pointers if 1 <= p <= n]

    # -- patient ---------------------------------------------------------------------------

    @property
    def age(self) -> int | None:
        """Age in whole years at the date of service; None when unknown or invalid."""
        if self._age is None:
            a = self.claim.patient.age_on(self.day)
            self._age = (a if a is not None and 0 <= a <= 124 else None,)
        return self._age[0]

    @property
    def admission_age(self) -> int | None:
        """The patient's age on the claim's admission date where it is not :attr:`age`
        (the age on the date of service, an inpatient claim's discharge): a stay across a
        birthday, on an institutional claim with an admission date and a birth date. None
        otherwise (a professional claim's date of service is the day of its service), and
        when that age is outside 0-124 (a birth date after the admission is
        ``PATIENT_AGE_INVALID``).

        Which of the two ages CMS gives the MCE is not published (the MCE and the MS-DRG
        grouper take an age, not dates): the age edits find a conflict only when both
        ages are in conflict (``docs/catalog.md``, C. Demographics)."""
        claim = self.claim
        admitted = claim.admission_date
        if admitted is None or claim.patient.birth_date is None or admitted == self.day \
                or not claim.is_institutional:
            return None
        a = claim.patient.age_on(admitted)
        return a if a is not None and 0 <= a <= 124 and a != self.age else None

    def ages(self) -> tuple[int, ...]:
        """The ages the age edits judge: :attr:`age`, and :attr:`admission_age` when the
        stay crosses a birthday (a conflict holds only when it holds at both); () when the
        age is unknown or invalid."""
        age = self.age
        if age is None:
            return ()
        other = self.admission_age
        return (age,) if other is None else (age, other)

    @property
    def sex(self) -> str:
        """The patient's sex as the claim gives it: ``"M"``, ``"F"`` or ``"U"``
        (unknown, which the sex edits skip)."""
        return self.claim.patient.sex

    # -- lines -----------------------------------------------------------------------------

    @property
    def procs(self) -> list[ProcInfo]:
        """The ICD-10-PCS procedures, resolved for the claim's date of service (the
        discharge's codes: see :class:`ProcInfo`), in claim order."""
        procs = self._procs
        if procs is None:
            procs = self._procs = [
                ProcInfo(i, p.code, p.date, r)
                for i, (p, r) in enumerate(zip(self.claim.procedures, self._pcs,
                                               strict=True))]
        return procs

    @property
    def pcs_resolved(self) -> list[icd10pcs.Resolved]:
        """The ICD-10-PCS procedures as resolved for the date of service, in claim order
        (what :attr:`procs` wraps: a rule that reads a few of them makes no ProcInfo)."""
        return self._pcs

    @property
    def valid_procs(self) -> list[ProcInfo]:
        """The ICD-10-PCS procedures valid on the date of service, in claim order."""
        return [p for p in self.procs if p.entry is not None]

    def dx_mce_flags(self, d: DxInfo) -> tuple[str, ...]:
        """Every MCE flag of a valid diagnosis on the date of service (including those
        :class:`~codekit.icd10cm.Facts` does not carry: ``delout``, ``wrngproc``,
        ``clintrial``, ``diabtypeI``, ``ncov6``, ``ncov7``, ``ncov_z302``...)."""
        if not d.valid:
            return ()
        mce = icd10cm.lookup(d.raw, on=self.day).mce
        if mce is None:
            return ()
        out = list(mce.other)
        if mce.sex:
            out.append("male" if mce.sex == "M" else "female")
        return tuple(out)

    @property
    def discharge(self) -> dt.date:
        """The discharge (through) date: the statement period's end, else the date of
        service."""
        period = self.claim.statement_period
        return period[1] if period is not None else self.day

    # -- tables ----------------------------------------------------------------------------

    def why_missing(self, need: str) -> str:
        """Why a rule needing ``need`` cannot run on this claim's profile (the module's
        :func:`why_missing`; "" when it simply does not apply)."""
        return why_missing(self.profile, need)

    def notice(self, code: str, message: str, location: tuple[str | int, ...] = ()) -> None:
        """Add a :class:`~codekit.findings.Notice` to the report (once)."""
        n = Notice(code, message, location)
        if n not in self.notices:
            self.notices.append(n)

    def ncci(self, kind: str, day: dt.date) -> Any:
        """The NCCI table of ``kind`` (``ptp``, ``mue``, ``addon``) for the claim's setting
        covering ``day``, or None (:meth:`table_on` says why). A table used past its
        quarter adds a notice."""
        return self.table_on(kind, day)[0]

    def table_on(self, kind: str, day: dt.date) -> tuple[Any, NotRun | None]:
        """(the NCCI table of ``kind`` for the claim's setting covering ``day``, None), or
        (None, the :class:`NotRun` a rule that needs it yields: the library's reason, one
        shared object per reason), in one question to the library. A table used past its
        quarter adds a notice."""
        lib = self.tables
        if lib is None:
            return None, _not_run(f"the profile {self.profile.name} runs no NCCI edits")
        table, note = lib.table(kind, None if kind == "addon" else self.setting, day)
        if table is None:  # the note says why (its NotRun made once: see _not_run)
            return None, _NOT_RUN.get(note) or _not_run(str(note))
        if note is not None:
            self.notice("NCCI_TABLE_PAST_QUARTER", note)
        return table, None

    def tables_on(self, kind: str) -> list[tuple[dt.date, Any, NotRun | None,
                                                  list[LineInfo]]]:
        """Per date of the claim's valid lines (:func:`lines_on`): (the date, the NCCI
        table of ``kind`` covering it or None, the :class:`NotRun` when None, the date's
        valid lines)."""
        out: list[tuple[dt.date, Any, NotRun | None, list[LineInfo]]] = []
        for day, lines in lines_on(self).items():
            out.append((day, *self.table_on(kind, day), lines))
        return out


def is_dmepos(ln: LineInfo) -> bool:
    """A line of a HCPCS Level II code of the DMEPOS kinds the DME MACs process: E
    (equipment), K, L (orthotics and prostheses), A4-A9 (supplies), V (lenses, eye
    prostheses)."""
    code = ln.code or ""
    return ln.entry.system != "cpt" and (code[:1] in ("E", "K", "L", "V") or (
        code[:1] == "A" and code[1:2] in ("4", "5", "6", "7", "8", "9")))


def is_bone_reposition(code: str | None) -> bool:
    """A well-formed ICD-10-PCS code (compact) of the root operation Reposition of the
    upper or lower bones (``0PS``, ``0QS``): a fracture's reduction.

    >>> is_bone_reposition("0QS604Z"), is_bone_reposition("0SR90J9"), is_bone_reposition("0Q")
    (True, False, False)
    """
    return code is not None and code[2:3] == "S" and code[1:2] in ("P", "Q") and \
        code[0] == "0"


def one_encounter(ctx: ClaimContext) -> bool:
    """The claim reports one encounter: an inpatient stay (type of bill 11x), or a claim
    whose service lines are all on its date of service (a professional or outpatient claim
    whose lines span days may bill several visits)."""
    return ctx.claim.is_inpatient or ctx._one_day


def lines_on(ctx: ClaimContext) -> dict[dt.date, list[LineInfo]]:
    """The valid lines grouped by date of service (worked out once per claim)."""
    by_day = ctx.lines_by_day
    if by_day is None:
        if ctx._one_day:  # the usual case: one date, every valid line
            by_day = {ctx.day: list(ctx.valid_lines)} if ctx.valid_lines else {}
        else:
            by_day = {}
            for ln in ctx.valid_lines:
                by_day.setdefault(ln.day, []).append(ln)
        ctx.lines_by_day = by_day
    return by_day
