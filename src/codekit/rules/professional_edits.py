"""Groups D and E on professional claims (837P): the E/M visit and its place of service,
modifier 25 with nothing beside it, and two Medicare physician fee schedule rules.

- ``EM_PLACE_OF_SERVICE_MISMATCH``: an E/M visit whose CPT category (by where the patient
  is seen) the line's place of service contradicts (99213 at an inpatient hospital, 21),
  and on Medicare a split or shared visit (FS) in an office (11). Every payer for the
  categories (they are CPT's); Medicare's for FS.
- ``MOD_25_WITHOUT_OTHER_SERVICE``: modifier 25 on an E/M that is the only line of its
  date: 25 says the E/M was separate from another procedure or service of that date.
- ``PROC_TELEMEDICINE_NOT_MEDICARE``: CPT's telemedicine visits 98000-98015, which Medicare
  does not recognize (MPFS status I from 2025): Medicare pays the office or other
  outpatient visit of the same level, billed as telehealth.
- ``PROC_DRUG_TEST_NOT_MEDICARE``: CPT's definitive drug tests 80320-80377, which
  Medicare does not pay: it pays a day's definitive drug testing as one line of
  G0480-G0483 (by the number of drug classes) or G0659.
- ``MOD_ANESTHESIA_PAYMENT_MISSING``: an anesthesia code on Medicare without a payment
  modifier (AA, AD, QK, QX, QY, QZ), which Medicare prices it by.
- ``MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING``: an anesthesia base code without P1-P6
  (CPT; a warning under ``commercial``, off under the Medicare profiles).
- ``PROC_ANESTHESIA_MULTIPLE``: two anesthesia base codes on one date, neither marked a
  session of its own: one anesthesia is billed as one line (every payer, a warning).
- ``PROC_PERIOD_REPEATED``: a care management, remote monitoring or remote device
  interrogation code Medicare pays once per calendar month (99490), once per 30 days
  (99454) or once per 90 days (93294) on two dates of one period; two codes of one
  monthly service (99490 and 99491) in one month.
- ``PROC_PERIOD_EXCLUSIVE``: two monthly services one practitioner is not paid both of
  for one patient in one month (advanced primary care management G0557 and chronic care
  management 99490).
- ``PROC_PERIOD_ADDON_WITHOUT_BASE``: a behavioral health add-on of advanced primary care
  management (G0568-G0570, 2026) with no APCM base code (G0556-G0558) in its month.

The Medicare rules run under a profile with the option ``medicare_pfs``
(``medicare-professional``, ``medicare-dme``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .. import procedure
from .._show import shown
from ..findings import Hit
from ..modifiers import PLACEMENT
from ..procedure import DEFINITIVE_DRUG_TESTS, MEDICARE_DEFINITIVE_DRUG_TESTS
from .context import (
    ClaimContext,
    LineInfo,
    is_anesthesia_line,
    is_quality_data,
    is_visit_addon,
)
from .engine import rule
from .ncci_edits import by_provider, npi_of, ptp_holds
from .place_of_service import EM_POS_MISFITS, POS_NAMES, SETTING_NAMES, pos_problem

__all__ = ["ANESTHESIA_PAYMENT", "ANESTHESIA_SEPARATE_SESSION", "APCM_ADDONS", "APCM_BASE",
           "DAILY_ANESTHESIA_MANAGEMENT",
           "EXCLUSIVE_IN_MONTH", "ONCE_PER_PERIOD", "ONE_SERVICE", "PHYSICAL_STATUS",
           "RULES", "TELEMEDICINE_FROM",
           "office_visit_of", "telemedicine_advice"]

#: CPT's telemedicine visits (98000-98015) take effect on 2025-01-01.
TELEMEDICINE_FROM = dt.date(2025, 1, 1)


def office_visit_of(code: str) -> str | None:
    """The office or other outpatient visit (99202-99205 new, 99212-99215 established) of
    the same patient kind and level of medical decision making as a telemedicine visit of
    :data:`codekit.procedure.TELEMEDICINE_VISITS` (98000-98015, four levels each of new and
    established patients, audio-video then audio-only), else None: what Medicare pays
    for it (CY 2025 PFS final rule).

    >>> office_visit_of("98005"), office_visit_of("98000"), office_visit_of("98015")
    ('99213', '99202', '99215')
    >>> office_visit_of("98016"), office_visit_of("99213")
    (None, None)
    """
    if code not in procedure.TELEMEDICINE_VISITS:
        return None
    n = int(code) - 98000
    return str((99202 if n % 8 < 4 else 99212) + n % 4)


def telemedicine_advice(code: str) -> str:
    """What Medicare takes in place of telemedicine visit ``code`` (98000-98015), for a
    message: the office visit of its level, with the telehealth place of service, and
    modifier 93 for the audio-only ones (98008-98015)."""
    office = office_visit_of(code)
    audio_only = code >= "98008"
    return (f"Medicare pays a visit furnished by {'audio-only' if audio_only else 'audio-video'} "
            f"telecommunication as the office or other outpatient visit of the same level, "
            f"{office}, with place of service 10 (the patient at home) or 02 (elsewhere)"
            + (" and modifier 93 (audio-only)" if audio_only else ""))


def _codes_of(kind: str, day: dt.date) -> tuple[str, ...]:
    """The codes of E/M category ``kind`` valid on ``day``, in order."""
    return tuple(str(n) for a, b in procedure.EM_SETTINGS[kind] for n in range(a, b + 1)
                 if procedure.resolve(str(n), on=day).entry is not None)


@rule("POS_INVALID", "E", "error",
      "CMS Place of Service code set (837P CLM05-1, SV105; CMS-1500 item 24B: a two-digit "
      "POS code); Claims Processing Manual ch.26 §10.5; CR 9231, 11353, 13314 (the dates "
      "of 19, 58, 27); RARC M77 (missing, incomplete or invalid place of service)",
      when=["pos-odd"])
def pos_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """On a professional claim, a place of service (the claim's, then each line's own)
    that is not a code of the CMS Place of Service code set on the date of service
    (:data:`codekit.rules.place_of_service.POS_CODES`): not two digits (``2``, ``2.0``,
    `` 02``: the fix is the code it reads as, ``02``), unassigned (``30``, ``00``), or in
    effect only after the date (``27`` before 2023-10-01, ``10`` before 2022-01-01). The
    claim's is judged on the claim's date, a line's on the line's. Every edit that reads a
    place of service (telehealth, the E/M category, the ASC's) compares its two digits, so
    a place of service written otherwise was passed over by each."""
    claim = ctx.claim
    if claim.claim_type == "institutional":
        return
    where: list[tuple[str, tuple[str | int, ...], dt.date, str]] = []
    if claim.place_of_service is not None:
        where.append((claim.place_of_service, ("place_of_service",), ctx.day, "The claim's"))
    for ln in ctx.lines:
        pos = ln.line.place_of_service
        if pos is not None:
            where.append((pos, ("service_lines", ln.index, "place_of_service"), ln.day,
                          f"Line {ln.line.line}'s"))
    for pos, path, day, whose in where:
        found = pos_problem(pos, day)
        if found is None:
            continue
        why, meant = found
        fix = f"write {meant}" if meant else "report the CMS place of service code of " \
            "where the service was furnished"
        yield Hit(f"{whose} place of service {shown(pos, 30)} {why}: {fix}.", path, (pos,),
                  fix=(meant,) if meant else ())


@rule("EM_PLACE_OF_SERVICE_MISMATCH", "E", "warning",
      "CPT E/M guidelines (categories by setting); Claims Processing Manual ch.12 §30.6.9, "
      "§30.6.11, §30.6.13, §30.6.14.1, §30.6.18 (split or shared visits), ch.26 §10.5 "
      "(CR 7631: the place of service)", when=["em-pos"])
def em_place_of_service(ctx: ClaimContext) -> Iterator[Hit]:
    """On a professional claim, an E/M visit whose CPT category does not fit the line's
    place of service (the line's, else the claim's), in the pairs of
    :data:`codekit.rules.place_of_service.EM_POS_MISFITS` (an office visit at an inpatient
    hospital, 21, a skilled nursing or nursing facility, 31, 32, an inpatient psychiatric
    facility, 51, or a psychiatric residential treatment center, 56; a hospital visit in an
    office; an emergency department visit in an office, a home or an urgent care facility;
    a nursing facility visit in an office or a home; a home visit in an office, an
    emergency room, a nursing facility or a psychiatric residential treatment center);
    the fix is the codes of the category of that place. Under a profile with the option
    ``medicare_pfs``, modifier FS (a split or shared visit) on an E/M visit in an office
    (11): Medicare's split or shared visits are billed in facility settings only, where
    incident-to billing is not allowed (Claims Processing Manual ch.12 §30.6.18)."""
    if ctx.claim.is_institutional:
        return
    claim_pos = ctx.claim.place_of_service
    medicare = bool(ctx.profile.option("medicare_pfs"))
    for ln in ctx.valid_lines:
        pos = ln.line.place_of_service or claim_pos
        if pos is None:
            continue
        code = ln.code or ""
        if medicare and pos == "11" and "FS" in ln.modifiers and ln.entry.system == "cpt" \
                and PLACEMENT["FS"].takes(ln.entry.section, code):
            yield Hit(f"Line {ln.line.line}: {code} carries modifier FS (a split or shared "
                      "visit) at place of service 11 (an office): Medicare takes split or "
                      "shared visits in facility settings only (a hospital, a skilled nursing "
                      "facility), where incident-to billing is not allowed; in an office the "
                      "visit is billed by the practitioner who furnished it, or incident to a "
                      "physician's service when its conditions are met: remove FS.",
                      ("service_lines", ln.index, "modifiers", ln.modifiers.index("FS")),
                      (code, "FS"))
        kind = procedure.em_setting(code)
        if kind is None:
            continue
        right = EM_POS_MISFITS[kind].get(pos)
        if right is None:
            continue
        note = (f" (A registered hospital inpatient seen in the practitioner's office keeps "
                f"place of service {pos}: Claims Processing Manual ch.26 §10.5.)"
                if pos in ("21", "51") else "")
        yield Hit(f"Line {ln.line.line}: {code} is {SETTING_NAMES[kind]}, and its place of "
                  f"service {pos} is {POS_NAMES[pos]}: a visit there is "
                  f"{SETTING_NAMES[right]}. Correct the code, or the place of service if "
                  f"the patient was seen elsewhere.{note}",
                  ("service_lines", ln.index, "procedure_code"), (code,),
                  _codes_of(right, ln.day))


@rule("MOD_25_WITHOUT_OTHER_SERVICE", "E", "warning",
      "CPT Appendix A (modifier 25: an E/M separate from a procedure or other service of "
      "the same day); Claims Processing Manual ch.12 §30.6.6", when=["mods-25-alone"])
def mod_25_alone(ctx: ClaimContext) -> Iterator[Hit]:
    """On a professional claim, modifier 25 on an E/M (a CPT code that takes it:
    :data:`codekit.modifiers.PLACEMENT`) that is the only line of its date: 25 says the
    E/M was significant and separately identifiable from another procedure or service of
    the same day, and the claim has none (any other line of the date, whatever its code,
    valid or not, counts as one, but a quality-data code: a CPT Category II code, or a
    code of MPFS status M in a loaded MPFS file, :func:`~codekit.rules.context.is_quality_data`,
    reports a measure's action for the visit and is no service; and an add-on code of the
    visit itself, :func:`~codekit.rules.context.is_visit_addon`: G2211, the visit's
    prolonged time G2212 or 99417, critical care's 99292, reports more of the same E/M,
    not a service separate from it: 99215-25 beside G2212 alone fires)."""
    if ctx.claim.is_institutional:
        return
    place = PLACEMENT["25"]
    for ln in ctx.valid_lines:
        if "25" not in ln.modifiers or ln.entry.system != "cpt" or \
                not place.takes(ln.entry.section, ln.code or ""):
            continue
        same = [o for o in ctx.lines if o is not ln and o.day == ln.day]
        addons = [o for o in same if is_visit_addon(o)]
        if any(not is_quality_data(o) for o in same if o not in addons):
            continue
        yield _25_alone_hit(ln, same, addons)


def _25_alone_hit(ln: LineInfo, same: list[LineInfo], addons: list[LineInfo]) -> Hit:
    """The finding of modifier 25 on E/M line ``ln`` whose other lines of its date
    (``same``) are quality-data codes or add-ons of the visit itself (``addons``)."""
    qdc = ", ".join(dict.fromkeys(o.code or "" for o in same if o not in addons))
    if not same:
        alone = f"it is the only line of {ln.day}"
    elif not addons:
        alone = (f"the other line of {ln.day} is a quality-data code ({qdc}), which "
                 "reports a quality measure's action, not a service" if len(same) == 1 else
                 f"the other lines of {ln.day} are quality-data codes ({qdc}), which "
                 "report a quality measure's action, not a service")
    else:
        own = list(dict.fromkeys(o.code or "" for o in addons))
        what = [f"{', '.join(own)}, {'an add-on code' if len(own) == 1 else 'add-on codes'} "
                "of the E/M itself (more of the same visit)"]
        if qdc:
            kind = "quality-data codes" if ", " in qdc else "a quality-data code"
            what.append(f"{qdc}, {kind} (a quality measure's action)")
        alone = (f"the other line{'' if len(same) == 1 else 's'} of {ln.day} "
                 f"{'is' if len(same) == 1 else 'are'} {' and '.join(what)}, not a service "
                 "separate from it")
    return Hit(f"Line {ln.line.line}: {ln.code} carries modifier 25, which says the E/M "
               "was significant and separately identifiable from another procedure or "
               f"service of its date, and {alone}: remove 25 (it "
               "stays only if the other service of that day is billed on another claim).",
               ("service_lines", ln.index, "modifiers", ln.modifiers.index("25")),
               (ln.code or "", "25"))


@rule("PROC_TELEMEDICINE_NOT_MEDICARE", "D", "error",
      "CY 2025 PFS final rule (CMS-1807-F, 89 FR 97710): 98000-98015 not recognized (MPFS "
      "status I), 98016 payable; Claims Processing Manual ch.12 §190 (telehealth: place "
      "of service 02/10, modifier 93)", when=["proc-telemedicine"],
      options=["medicare_pfs"],
      supersedes=["MOD_TELEHEALTH_NOT_ELIGIBLE", "PROC_MEDICARE_USES_OTHER_CODE"])
def telemedicine_not_medicare(ctx: ClaimContext) -> Iterator[Hit]:
    """Under a profile with the option ``medicare_pfs``, on a professional claim, a line of
    CPT's telemedicine visits 98000-98015 (from 2025-01-01): Medicare gives them status I
    (not valid for Medicare) and pays the visit as the office or other outpatient visit of
    the same patient kind and level (:func:`office_visit_of`: 98005 -> 99213), billed as
    telehealth (place of service 02 or 10; modifier 93 for audio-only). Replaces
    ``MOD_TELEHEALTH_NOT_ELIGIBLE`` on the same line (the code, not the telehealth place,
    is the mistake)."""
    if ctx.claim.is_institutional:
        return
    for ln in ctx.valid_lines:
        code = ln.code or ""
        office = office_visit_of(code)
        if office is None or ln.day < TELEMEDICINE_FROM:
            continue
        yield _telemedicine_hit(ln, code, office)


def _telemedicine_hit(ln: LineInfo, code: str, office: str) -> Hit:
    return Hit(f"Line {ln.line.line}: {code} is a CPT telemedicine visit that Medicare does "
               "not recognize (MPFS status I since 2025; other payers may take it): "
               f"{telemedicine_advice(code)}.", ("service_lines", ln.index, "procedure_code"),
               (code,), (office,))


@rule("PROC_DRUG_TEST_NOT_MEDICARE", "D", "error",
      "CMS Clinical Laboratory Fee Schedule, CY 2016 final determinations (80320-80377 not "
      "recognized; G0480-G0483 for definitive drug testing) and CY 2018 (G0659); MAC LCD "
      "Urine Drug Testing (L36037)", when=["proc-drug-test"], options=["medicare_pfs"])
def drug_test_not_medicare(ctx: ClaimContext) -> Iterator[Hit]:
    """Under a profile with the option ``medicare_pfs``, on a professional claim, a line of
    CPT's definitive drug testing codes (80320-80377:
    :data:`codekit.procedure.DEFINITIVE_DRUG_TESTS`): Medicare does not pay them and pays
    the definitive drug testing of a day as one line of G0480-G0483, by the number of drug
    classes tested, or G0659 (:data:`codekit.procedure.MEDICARE_DEFINITIVE_DRUG_TESTS`).
    One finding a line, naming the date's other such lines; ``fix`` the G codes whose
    class counts the date's distinct codes can reach (a code tests one drug class or part
    of one, so the classes are at most the codes), then G0659. Presumptive testing
    (80305-80307) is Medicare's and not judged."""
    if ctx.claim.is_institutional:
        return
    tests = [ln for ln in ctx.valid_lines if ln.code in DEFINITIVE_DRUG_TESTS]
    for ln in tests:
        day = [t for t in tests if t.day == ln.day]
        most = len({t.code for t in day})
        fix = tuple(g for g, low, _ in MEDICARE_DEFINITIVE_DRUG_TESTS if low <= most)
        lines = ", ".join(str(t.line.line) for t in day)
        yield Hit(f"Line {ln.line.line}: {ln.code} is a CPT definitive drug test, which "
                  "Medicare does not pay (the Clinical Laboratory Fee Schedule prices none "
                  "of 80320-80377): Medicare pays the definitive drug testing of a day as "
                  "one line, by the number of drug classes tested: G0480 (1-7), G0481 "
                  "(8-14), G0482 (15-21), G0483 (22 or more), or G0659 (any number, by a "
                  "method without the calibration, quality control or internal standards "
                  f"G0480-G0483 call for). Report the testing of {ln.day} (line"
                  f"{'s' if len(day) > 1 else ''} {lines}) as one line of the code of its "
                  "number of drug classes.",
                  ("service_lines", ln.index, "procedure_code"), (ln.code or "",), fix)


#: The anesthesia payment (pricing) modifiers, the most common first: AA (personally
#: performed by the anesthesiologist), QK (medical direction of 2-4 concurrent
#: procedures), QY (medical direction of one CRNA), QX (a CRNA with medical direction), QZ
#: (a CRNA without medical direction), AD (medical supervision, more than 4 concurrent
#: procedures): Claims Processing Manual ch.12 §50, §140.3.3.
ANESTHESIA_PAYMENT = ("AA", "QK", "QY", "QX", "QZ", "AD")


@rule("MOD_ANESTHESIA_PAYMENT_MISSING", "E", "error",
      "Claims Processing Manual ch.12 §50 (anesthesia: payment by who furnished it, "
      "modifiers AA, AD, QK, QY) and §140.3.3 (CRNA billing modifiers QX, QZ)",
      when=["proc-anesthesia"], options=["medicare_pfs"])
def anesthesia_payment_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """Under a profile with the option ``medicare_pfs``, on a professional claim, a line of
    an anesthesia code (CPT 00100-01999, add-on codes 01953, 01968, 01969 among them)
    without one of the anesthesia payment modifiers AA, AD, QK, QX, QY, QZ: Medicare
    pays anesthesia by who furnished it (an anesthesiologist alone, medical direction or
    supervision, a CRNA with or without it), which only that modifier says."""
    if ctx.claim.is_institutional:
        return
    for ln in ctx.valid_lines:
        if not is_anesthesia_line(ln) or any(m in ANESTHESIA_PAYMENT for m in ln.modifiers):
            continue
        yield Hit(f"Line {ln.line.line}: {ln.code} is an anesthesia service without an "
                  "anesthesia payment modifier, by which Medicare prices it: add AA "
                  "(personally performed by the anesthesiologist), QK (medical direction of "
                  "2-4 concurrent procedures), QY (medical direction of one CRNA), QX (a CRNA "
                  "with medical direction), QZ (a CRNA without medical direction) or AD "
                  "(medical supervision of more than 4 concurrent procedures).",
                  ("service_lines", ln.index, "modifiers"), (ln.code or "",),
                  ANESTHESIA_PAYMENT)


#: Modifiers that mark an anesthesia line as a session of its own on its date: 59 or XE
#: (a separate encounter), 76 or 77 (a repeat procedure), 78 or 79 (a return to the
#: operating room, an unrelated procedure).
ANESTHESIA_SEPARATE_SESSION = frozenset({"59", "XE", "76", "77", "78", "79"})
#: CPT's daily hospital management of epidural or subarachnoid continuous drug
#: administration: a daily service, not an anesthesia session (the NCCI PTP edits pair it
#: with the anesthesia codes of its date).
DAILY_ANESTHESIA_MANAGEMENT = "01996"
#: The anesthesia physical-status modifiers (the patient's ASA class, CPT anesthesia
#: guidelines).
PHYSICAL_STATUS = ("P1", "P2", "P3", "P4", "P5", "P6")


def _anesthesia_base(ln: LineInfo) -> bool:
    """Whether a valid line is of an anesthesia base code: CPT 00100-01999 but the add-on
    codes (01953, 01968, 01969) and the daily management 01996."""
    return is_anesthesia_line(ln) and ln.entry.addon_type is None and \
        ln.code != DAILY_ANESTHESIA_MANAGEMENT


@rule("MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING", "E", "warning",
      "CPT Anesthesia guidelines (every anesthesia service is reported with a physical "
      "status modifier P1-P6); Medicare takes them as information only (off there)",
      when=["proc-anesthesia"])
def anesthesia_physical_status_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """On a professional claim, a valid line of an anesthesia base code (CPT 00100-01999;
    not an add-on code, 01953, 01968, 01969, nor the daily management 01996) without a
    physical-status modifier P1-P6: CPT reports every anesthesia service with the
    patient's physical status, and payers that follow CPT price or require it. Off under
    the Medicare profiles, which do not use it for payment."""
    if ctx.claim.is_institutional:
        return
    for ln in ctx.valid_lines:
        if not _anesthesia_base(ln) or any(m in PHYSICAL_STATUS for m in ln.modifiers):
            continue
        yield Hit(f"Line {ln.line.line}: {ln.code} is an anesthesia service without a "
                  "physical-status modifier: add the patient's ASA class, P1 (a healthy "
                  "patient) to P6 (a brain-dead organ donor), as CPT reports every "
                  "anesthesia service and payers that follow CPT require (P3-P5 may add "
                  "units).", ("service_lines", ln.index, "modifiers"), (ln.code or "",),
                  PHYSICAL_STATUS)


@rule("PROC_ANESTHESIA_MULTIPLE", "D", "warning",
      "Claims Processing Manual ch.12 §50 (anesthesia for multiple surgical procedures: "
      "the base units of the procedure with the highest base unit value, the time of all); "
      "Noridian and Palmetto GBA anesthesia billing guides",
      when=["proc-anesthesia"])
def anesthesia_multiple(ctx: ClaimContext) -> Iterator[Hit]:
    """On a professional claim, a valid line of an anesthesia base code (CPT 00100-01999,
    not an add-on code such as 01953, 01968, 01969, nor the daily management 01996) dated
    the same day as an earlier such line of another code, neither marked a session of its
    own (:data:`ANESTHESIA_SEPARATE_SESSION`): several surgical procedures under one
    anesthesia are billed as one anesthesia line, the code with the highest base units,
    with the total anesthesia time. Lines of the same code (the anesthesiologist's QK or
    QY line and the CRNA's QX line of one case) are not judged."""
    if ctx.claim.is_institutional:
        return
    first: dict[object, LineInfo] = {}
    for ln in ctx.valid_lines:
        if not _anesthesia_base(ln) or ANESTHESIA_SEPARATE_SESSION.intersection(ln.modifiers):
            continue
        earlier = first.setdefault(ln.day, ln)
        if earlier is ln or earlier.code == ln.code:
            continue
        yield Hit(f"Line {ln.line.line}: {ln.code} and {earlier.code} (line "
                  f"{earlier.line.line}) are two anesthesia procedure codes on {ln.day}: "
                  "for several procedures under one anesthesia, report only the anesthesia "
                  "code with the highest base units, with the total anesthesia time on its "
                  "line (Claims Processing Manual ch.12 §50); if this was an anesthesia "
                  "session of its own, mark it with 59 or XE.",
                  ("service_lines", ln.index, "procedure_code"),
                  (ln.code or "", earlier.code or ""))


_MONTH, _30_DAYS, _90_DAYS = "month", "30 days", "90 days"
#: The period of Medicare's preventive visits: a new one 11 full months after the month of
#: the last (the next one from the same month a year later).
_YEAR = "12 months"
#: The period of transitional care management: the 30 days from a discharge.
_DISCHARGE = "30 days from a discharge"
#: The length of each period counted in days.
_DAYS = {_30_DAYS: 30, _90_DAYS: 90}
#: Transitional care management's face-to-face visit, its date of service, comes within
#: so many days of the discharge (CPT; CMS MLN908628, Transitional Care Management
#: Services: "The date of service you report should be the date of the required
#: face-to-face visit").
_VISIT_WITHIN = {"99495": 14, "99496": 7}
#: Codes Medicare pays once per calendar month (``"month"``: the first block of time of a
#: month; further time has its own add-on code) or once per 30 days (``"30 days"``: a
#: monitoring device's supply), each with what it is, for the message: chronic care
#: management 99490, 99491, complex 99487 (CMS MLN909188, Chronic Care Management
#: Services), principal care management 99424, 99426 (CY 2022 PFS final rule), behavioral
#: health integration 99484, psychiatric collaborative care 99492 (its first month),
#: 99493, G2214 (CMS MLN909432, Behavioral Health Integration Services), remote
#: physiologic monitoring treatment management 99457 and device supply 99454 (CY 2021 PFS
#: final rule: 99453 and 99454 once per 30 days, 99457 per calendar month), remote
#: therapeutic monitoring device supply 98976, 98977 and treatment management 98980 (CY
#: 2022 PFS final rule; 98978, the device supply of cognitive behavioral therapy
#: monitoring, CY 2023). The codes of 2026 (CY 2026 PFS final rule, CMS-1832-F): the
#: device supply of 2-15 days of a 30-day period, 99445 (physiologic) and 98984, 98985,
#: 98986 (therapeutic), each once per 30 days as the 16-30-day codes are; the first 10
#: minutes of treatment management in a calendar month, 99470 (physiologic) and 98979
#: (therapeutic), once per calendar month. Remote interrogation device evaluations of
#: implanted cardiac devices (``"90 days"``: pacemaker 93294, defibrillator 93295, their
#: technical component 93296; ``"30 days"``: cardiovascular physiologic monitor and
#: loop recorder 93297, 93298), each reported once for the period of up to 90 or 30 days
#: its code covers (CPT's cardiac device monitoring guidelines; practitioner MUE 1, "Code
#: Descriptor / CPT Instruction"). Advanced primary care management G0556, G0557, G0558
#: (CY 2025 PFS final rule, CMS-1807-F: a calendar month, one level a month), from 2026
#: its behavioral health add-ons G0568, G0569, G0570 (CY 2026 PFS final rule, CMS-1832-F:
#: per calendar month, :data:`APCM_ADDONS`); community
#: health integration G0019 and principal illness navigation G0023 (CY 2024 PFS final
#: rule, CMS-1784-F: the first 60 minutes a calendar month), its peer support G0140 (CY
#: 2025). Transitional care management 99495, 99496 (``"30 days from a discharge"``: CPT,
#: only once within 30 days of a discharge, and not for another discharge within them; CMS
#: MLN908628): the claim does not say the discharge, but a TCM's date is its face-to-face
#: visit, within 14 days of the discharge (99495) or 7 (99496), so a second TCM fewer than
#: 16 (23) days after it falls within the first one's 30 days whatever the discharges
#: were. Add-on codes of further time (99439, 99458, 99494, G0022, G0024, G0146 ...) are
#: counted in units on the day, as the MUE does. Medicare's preventive visits (``"12
#: months"``): the initial preventive physical examination G0402 (once in a lifetime, in the
#: first 12 months of Part B), the first annual wellness visit G0438 (once in a lifetime,
#: not within 12 months of the IPPE or an AWV) and a subsequent one G0439 (when 11 full
#: months have passed after the month of the last AWV): 42 CFR 410.15, 410.16; Claims
#: Processing Manual ch.18 §80, §140. One claim's lines never span the 12 months.
ONCE_PER_PERIOD: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("99490", "99491", "99487"), (_MONTH, "chronic care management")),
    **dict.fromkeys(("99424", "99426"), (_MONTH, "principal care management")),
    **dict.fromkeys(("99484", "99492", "99493", "G2214"),
                    (_MONTH, "behavioral health integration")),
    **dict.fromkeys(("99457", "99470"),
                    (_MONTH, "remote physiologic monitoring treatment management")),
    **dict.fromkeys(("99454", "99445"),
                    (_30_DAYS, "remote physiologic monitoring device supply")),
    **dict.fromkeys(("98976", "98977", "98978", "98984", "98985", "98986"),
                    (_30_DAYS, "remote therapeutic monitoring device supply")),
    **dict.fromkeys(("98980", "98979"),
                    (_MONTH, "remote therapeutic monitoring treatment management")),
    **dict.fromkeys(("93294", "93295", "93296"), (_90_DAYS, "remote interrogation device "
                                                            "evaluation")),
    **dict.fromkeys(("93297", "93298"), (_30_DAYS, "remote interrogation device "
                                                   "evaluation")),
    **dict.fromkeys(("G0556", "G0557", "G0558"), (_MONTH, "advanced primary care management")),
    **dict.fromkeys(("G0568", "G0569"), (_MONTH, "psychiatric collaborative care with advanced "
                                                 "primary care management")),
    "G0570": (_MONTH, "behavioral health integration with advanced primary care management"),
    "G0019": (_MONTH, "community health integration"),
    **dict.fromkeys(("99495", "99496"), (_DISCHARGE, "transitional care management")),
    **dict.fromkeys(("G0023", "G0140"), (_MONTH, "principal illness navigation")),
    "G0402": (_YEAR, "initial preventive physical examination"),
    **dict.fromkeys(("G0438", "G0439"), (_YEAR, "annual wellness visit")),
}


#: The remote monitoring codes of 2026 for part of a period, each with the code of the
#: whole period it is billed instead of (CY 2026 PFS final rule, CMS-1832-F: not additive;
#: one of the two for a 30-day period or a calendar month): the device supply of 2-15
#: days of a 30-day period, 99445 (physiologic) for 99454, 98984 (respiratory) for 98976,
#: 98985 (musculoskeletal) for 98977, 98986 (cognitive behavioral therapy) for 98978 (the
#: 16-30-day codes); the first 10 minutes of treatment management in a calendar month,
#: 99470 (physiologic) for 99457, 98979 (therapeutic) for 98980 (the first 20 minutes).
#: :func:`period_repeated` counts each pair as one code.
PART_OF_PERIOD: dict[str, str] = {"99445": "99454", "98984": "98976", "98985": "98977",
                                  "98986": "98978", "99470": "99457", "98979": "98980"}

#: The codes of one monthly service of which Medicare pays one a calendar month, whichever
#: code (each with the first code of its service, which keys it): chronic care management
#: 99490, 99491 and complex 99487 (CPT: 99491 is not reported in the month of 99487, 99489
#: or 99490, nor complex and non-complex care management together; CMS MLN909188), principal
#: care management by the practitioner 99424 or by clinical staff 99426 (CPT; NCCI PTP
#: 99424/99426, indicator 0), psychiatric collaborative care of the first month 99492 or of
#: a later month 99493 (CPT: not both in one calendar month), advanced primary care
#: management at one of its three levels G0556, G0557, G0558 (CY 2025 PFS final rule),
#: its psychiatric collaborative care add-on of the first month G0568 or of a later month
#: G0569 (CY 2026 PFS final rule; their HCPCS descriptors: the first calendar month, a
#: subsequent month, as 99492 and 99493 they mirror); and one transitional care
#: management, 99495 or 99496, in the 30 days from a discharge (CPT); one preventive visit,
#: G0402, G0438 or G0439, in 12 months (42 CFR 410.15, 410.16).
#: :func:`period_repeated` counts each service as one code.
ONE_SERVICE: dict[str, str] = {
    **dict.fromkeys(("99490", "99491", "99487"), "99490"),
    **dict.fromkeys(("99424", "99426"), "99424"),
    **dict.fromkeys(("99492", "99493"), "99492"),
    **dict.fromkeys(("G0556", "G0557", "G0558"), "G0556"),
    **dict.fromkeys(("G0568", "G0569"), "G0568"),
    **dict.fromkeys(("99495", "99496"), "99495"),
    **dict.fromkeys(("G0402", "G0438", "G0439"), "G0402"),
}


def _ncci_pairs(ctx: ClaimContext, ln: LineInfo, prior: LineInfo) -> bool:
    """Whether ``NCCI_PTP_CONFLICT`` reports lines ``ln`` and ``prior`` of one date: the
    profile runs it, the claim's NCCI PTP table covering the date pairs their codes
    (either in column 1) and the edit holds as that edit judges it
    (:func:`~codekit.rules.ncci_edits.ptp_holds`: indicator 0, or 1 without a bypassing
    modifier). A period edit does not judge such a pair again; one NCCI lets pass (59 on
    an indicator-1 pair) it does."""
    if "NCCI_PTP_CONFLICT" in ctx.profile.disabled:
        return False
    table, _ = ctx.table_on("ptp", ln.day)
    if table is None:
        return False
    lines = {ln.code: ln, prior.code: prior}
    return any(ptp_holds(ctx, e, lines[e.column_1], lines[e.column_2])
               for e in table.among([ln.code or "", prior.code or ""], on=ln.day))


@rule("PROC_PERIOD_REPEATED", "D", "error",
      "CMS MLN909188 (chronic care management: once per calendar month), MLN909432 "
      "(behavioral health integration); CY 2021 PFS final rule (CMS-1734-F: 99453, 99454 "
      "once per 30 days; 99457 per calendar month); CY 2022 PFS final rule (CMS-1751-F: "
      "principal care management; remote therapeutic monitoring); CY 2026 PFS final rule "
      "(CMS-1832-F: 99445, 99470, 98979, 98984-98986); CPT remote interrogation device "
      "evaluations (93294-93296 per 90 days, 93297, 93298 per 30 days); 42 CFR 410.15, "
      "410.16, Claims Processing Manual ch.18 §80, §140 (the IPPE and the annual wellness "
      "visit)",
      when=["proc-period", "lines-several"], options=["medicare_pfs"])
def period_repeated(ctx: ClaimContext) -> Iterator[Hit]:
    """Under a profile with the option ``medicare_pfs``, on a professional claim, a code of
    :data:`ONCE_PER_PERIOD` on a valid line dated in the same calendar month as an earlier
    line of the same code (``"month"``), or fewer than 30 or 90 days after it (``"30
    days"``, ``"90 days"``), or fewer than 12 months after it by calendar month (``"12
    months"``: the IPPE and the annual wellness visit, G0402 and G0438 also once in a
    lifetime, G0402, G0438 and G0439 one service):
    Medicare pays it once for the period, so the later line is a second payment of it.
    Lines of one code and date are the MUE's (``MUE_EXCEEDED``) and are not judged here; a
    line 30 days or more after the last one paid (99454), or in another month, is a new
    period. A code of :data:`PART_OF_PERIOD` and the code of the whole period it is billed
    instead of count as one code (99445 and 99454 in one 30 days, on one date too: one of
    the two is paid); so do the codes of one service of :data:`ONE_SERVICE` (99490 and
    99491 in one month), on one date too unless the claim's NCCI PTP table of the date
    pairs them (then ``NCCI_PTP_CONFLICT`` judges them)."""
    if ctx.claim.is_institutional:
        return
    first: dict[str, LineInfo] = {}
    for ln in sorted((ln for ln in ctx.valid_lines if ln.code in ONCE_PER_PERIOD),
                     key=lambda ln: (ln.day, ln.index)):
        code = ln.code or ""
        period, what = ONCE_PER_PERIOD[code]
        key = PART_OF_PERIOD.get(code) or ONE_SERVICE.get(code, code)
        prior = first.get(key)
        if prior is None:
            first[key] = ln
            continue
        if prior.day == ln.day and (prior.code == code or (
                code in ONE_SERVICE and _ncci_pairs(ctx, ln, prior))):
            continue
        if period == _MONTH:
            same = (prior.day.year, prior.day.month) == (ln.day.year, ln.day.month)
            when = (f"in the same calendar month ({ln.day:%Y-%m}) as line {prior.line.line} "
                    f"on {prior.day}")
            once = "once per calendar month (its further time on its add-on code, if any)"
        elif period == _YEAR:
            months = (ln.day.year - prior.day.year) * 12 + ln.day.month - prior.day.month
            # the IPPE and the first AWV: once in a lifetime
            same = months < 12 or (code == prior.code and code != "G0439")
            when = (f"in the same calendar month ({ln.day:%Y-%m}) as line {prior.line.line} "
                    f"on {prior.day}" if months == 0 else
                    f"{months} month{'s' if months > 1 else ''} after line "
                    f"{prior.line.line} on {prior.day}")
            once = ("once in a lifetime" if code != "G0439" else
                    "only when 11 full months have passed after the month of the last "
                    "annual wellness visit")
        else:
            days = (ln.day - prior.day).days
            when = f"{days} days after line {prior.line.line} on {prior.day}"
            if period == _DISCHARGE:
                n = 30 - _VISIT_WITHIN[prior.code or ""]
                once = (f"once in the 30 days from a discharge, and {prior.code}'s date is "
                        f"its face-to-face visit, within {30 - n} days of the discharge: a "
                        f"TCM fewer than {n} days later falls within the same 30 days")
            else:
                n = _DAYS[period]
                once = (f"once per {n} days (the next period starts {n} days after the "
                        "first line)")
            same = days < n
        if not same:
            first[key] = ln
            continue
        if prior.code != code and code not in ONE_SERVICE:
            yield _part_of_period(ln, prior, key, period, what, when)
            continue
        if prior.code != code:
            yield _one_service(ln, prior, key, what, when)
            continue
        yield Hit(f"Line {ln.line.line}: {code} ({what}) on {ln.day} is {when}: Medicare "
                  f"pays {code} {once}; remove this line, or correct its date.",
                  ("service_lines", ln.index, "procedure_code"), (code,))


def _one_service(ln: LineInfo, prior: LineInfo, key: str, what: str, when: str) -> Hit:
    """The finding of two codes of one service of :data:`ONE_SERVICE` (keyed ``key``) in
    one calendar month, at the later line."""
    code = ln.code or ""
    codes, _ = _service(key)
    if ln.day == prior.day:
        when = f"on the date of line {prior.line.line}"
    per, note = _SERVICES[key]
    return Hit(f"Line {ln.line.line}: {code} ({what}) on {ln.day} is {when}, which bills "
               f"{prior.code}: Medicare pays one of {', '.join(codes[:-1])} and {codes[-1]} "
               f"{per} ({note}); report the one that fits and remove the other line, or "
               "correct its date.",
               ("service_lines", ln.index, "procedure_code"), (code, prior.code or ""))


#: What a message says of each service of :data:`ONE_SERVICE`, by its key: its period,
#: and a note.
_SERVICES = {
    "99490": ("a calendar month", "chronic care management, its further time on the add-on "
                                  "code of the one billed"),
    "99424": ("a calendar month", "principal care management, its further time on the "
                                  "add-on code of the one billed"),
    "99492": ("a calendar month", "psychiatric collaborative care: 99492 in its first month, "
                                  "99493 in a later one, further time on 99494"),
    "G0556": ("a calendar month", "advanced primary care management: one level a month"),
    "G0568": ("a calendar month", "psychiatric collaborative care with advanced primary care "
                                  "management: G0568 in its first month, G0569 in a later one"),
    "G0402": ("in 12 months", "the initial preventive physical examination once in a "
              "lifetime, in the first 12 months of Part B; the first annual wellness visit "
              "once in a lifetime, not within 12 months of it; a subsequent one 11 full "
              "months after the month of the last"),
    "99495": ("in the 30 days from a discharge", "transitional care management, dated at "
              "its face-to-face visit: within 14 days of the discharge for 99495, 7 for "
              "99496"),
}


def _part_of_period(ln: LineInfo, prior: LineInfo, whole: str, period: str, what: str,
                    when: str) -> Hit:
    """The finding of a line of a code of :data:`PART_OF_PERIOD` and a line of the code it
    is billed instead of (``whole``) in one period, at the later line (the one of a higher
    line number on one date)."""
    code = ln.code or ""
    part = next(p for p, w in PART_OF_PERIOD.items() if w == whole)
    if period == _MONTH:
        which = (f"{part} for 10-19 minutes of treatment management in the month, {whole} "
                 "for 20 minutes or more")
        per = "per calendar month"
    else:
        which = (f"{part} for 2-15 days of data in the 30 days, {whole} for 16-30 days")
        per = "per 30 days"
    if ln.day == prior.day:
        when = f"on the date of line {prior.line.line}"
    return Hit(f"Line {ln.line.line}: {code} ({what}) on {ln.day} is {when}, which bills "
               f"{prior.code}: Medicare pays one of {part} and {whole} {per} ({which}; CY "
               "2026 PFS final rule): report the one that fits the period and remove the "
               "other line, or correct its date.",
               ("service_lines", ln.index, "procedure_code"), (code, prior.code or ""))


#: A monthly service: its codes and what it is, for the message.
Service = tuple[tuple[str, ...], str]


def _service(key: str) -> Service:
    """The service of :data:`ONE_SERVICE` keyed ``key``: its codes, in order, and what
    :data:`ONCE_PER_PERIOD` calls it."""
    return tuple(c for c, k in ONE_SERVICE.items() if k == key), ONCE_PER_PERIOD[key][1]


_APCM, _CCM, _PCM, _TCM, _APCM_COCM = map(_service, ("G0556", "99490", "99424", "99495",
                                                     "G0568"))
#: (99484 is of no service of :data:`ONE_SERVICE`; G2214 is not of 99492's)
_BHI: Service = (("99484",), "general behavioral health integration")
_COCM: Service = (("99492", "99493", "G2214"), "psychiatric collaborative care")
_APCM_BHI: Service = (("G0570",), ONCE_PER_PERIOD["G0570"][1])
_APCM_WHY = ("advanced primary care management includes the month's chronic, principal and "
             "transitional care management; CY 2025 PFS final rule")
_APCM_BH_WHY = ("with advanced primary care management the month's collaborative care or "
                "behavioral health integration is billed with its add-on code, G0568, G0569 or "
                "G0570, in place of 99492, 99493, G2214 or 99484; CY 2026 PFS final rule")
#: Services of two kinds that Medicare does not pay one practitioner both of for one
#: patient in one calendar month, each pair with why, for the message: advanced primary
#: care management G0556-G0558 with chronic care management 99490, 99491, 99487, principal
#: care management 99424, 99426 or transitional care management 99495, 99496 (CY 2025 PFS
#: final rule, CMS-1807-F: APCM combines their elements, the same practitioner does not
#: bill them in its month); chronic with principal care management (CMS MLN909188: one
#: practitioner bills either for a patient in a month); general behavioral health
#: integration 99484 with psychiatric collaborative care 99492, 99493, G2214 (CY 2017 PFS
#: final rule, CMS-1654-F: "A single practitioner must choose whether to report
#: psychiatric CoCM code(s) ... or the general BHI code ... for a given month"); from
#: 2026 the behavioral health add-ons of advanced primary care management, psychiatric
#: collaborative care G0568, G0569 and general behavioral health integration G0570, with
#: the codes of those services billed without APCM, 99492, 99493, G2214 and 99484 (CY 2026
#: PFS final rule, CMS-1832-F: the add-ons are directly comparable to the CoCM and BHI
#: codes, whose values CMS crosswalks to them; with APCM the month's CoCM or BHI is
#: billed with the add-on, not with the code it mirrors as well). Their
#: add-on codes (99439, 99437, 99489, 99425, 99427, 99494) go with their primary codes
#: (``ADDON_WITHOUT_PRIMARY``) and are not judged here.
EXCLUSIVE_IN_MONTH: tuple[tuple[Service, Service, str], ...] = (
    (_APCM, _CCM, _APCM_WHY), (_APCM, _PCM, _APCM_WHY), (_APCM, _TCM, _APCM_WHY),
    (_CCM, _PCM, "one practitioner bills either chronic or principal care management for "
                 "a patient in a month; CMS MLN909188"),
    (_BHI, _COCM, "one practitioner reports either psychiatric collaborative care or "
                  "general behavioral health integration for a patient in a month; CY 2017 "
                  "PFS final rule"),
    *((_a, _b, _APCM_BH_WHY) for _a in (_APCM_COCM, _APCM_BHI) for _b in (_COCM, _BHI)),
)
#: :data:`EXCLUSIVE_IN_MONTH` by code: code -> other code -> (what the code is, what the
#: other is, why).
_EXCLUDES: dict[str, dict[str, tuple[str, str, str]]] = {}
for (_a, _what_a), (_b, _what_b), _why in EXCLUSIVE_IN_MONTH:
    for _x, _y, _wx, _wy in ((_a, _b, _what_a, _what_b), (_b, _a, _what_b, _what_a)):
        for _code in _x:
            _EXCLUDES.setdefault(_code, {}).update(dict.fromkeys(_y, (_wx, _wy, _why)))
del _a, _b, _what_a, _what_b, _why, _x, _y, _wx, _wy, _code


@rule("PROC_PERIOD_EXCLUSIVE", "D", "error",
      "CY 2025 PFS final rule (CMS-1807-F: advanced primary care management G0556-G0558 "
      "not billed by the same practitioner in the month of chronic, principal or "
      "transitional care management); CMS MLN909188 (chronic or principal care "
      "management); CY 2017 PFS final rule (CMS-1654-F: psychiatric collaborative care or "
      "general behavioral health integration)",
      when=["proc-period", "lines-several"], options=["medicare_pfs"])
def period_exclusive(ctx: ClaimContext) -> Iterator[Hit]:
    """Under a profile with the option ``medicare_pfs``, on a professional claim, a valid
    line of a monthly service of :data:`EXCLUSIVE_IN_MONTH` dated in the same calendar
    month as an earlier line of a service it excludes (G0557 and 99490 in May): one
    practitioner, the claim's, is not paid both for one patient in a month, so one of the
    two lines is refused. Two lines of one date are judged unless the claim's NCCI PTP
    table of the date pairs them (99490 and 99424: ``NCCI_PTP_CONFLICT``). The finding is
    at the later line (by date, then line number), naming the first line it conflicts
    with."""
    if ctx.claim.is_institutional:
        return
    seen: list[LineInfo] = []
    for ln in sorted((ln for ln in ctx.valid_lines if ln.code in _EXCLUDES),
                     key=lambda ln: (ln.day, ln.index)):
        code = ln.code or ""
        excludes = _EXCLUDES[code]
        for prior in seen:
            other = prior.code or ""
            why = excludes.get(other)
            if why is None or (prior.day.year, prior.day.month) != (ln.day.year, ln.day.month):
                continue
            if prior.day == ln.day and _ncci_pairs(ctx, ln, prior):
                continue
            what, what_other, reason = why
            when = (f"on the date of line {prior.line.line}" if prior.day == ln.day else
                    f"in the same calendar month ({ln.day:%Y-%m}) as line "
                    f"{prior.line.line} on {prior.day}")
            yield Hit(f"Line {ln.line.line}: {code} ({what}) on {ln.day} is {when}, which "
                      f"bills {other} ({what_other}): Medicare does not pay one practitioner "
                      f"both for a patient in one month ({reason}); bill the one that fits "
                      "the month and remove the other line, or correct its date.",
                      ("service_lines", ln.index, "procedure_code"), (code, other))
            break
        seen.append(ln)


#: Advanced primary care management, its three levels (CY 2025 PFS final rule,
#: CMS-1807-F): the base code its add-ons go with.
APCM_BASE = _APCM[0]
#: The behavioral health add-ons of advanced primary care management (CY 2026 PFS final
#: rule, CMS-1832-F), billed by the practitioner who bills the month's APCM base code
#: (:data:`APCM_BASE`), in that calendar month: psychiatric collaborative care of the first
#: month G0568, of a later month G0569, general behavioral health integration G0570; each
#: with the code it mirrors (CMS crosswalks their values to 99492, 99493, 99484), which is
#: how the service is billed without APCM.
APCM_ADDONS: dict[str, str] = {"G0568": "99492", "G0569": "99493", "G0570": "99484"}


@rule("PROC_PERIOD_ADDON_WITHOUT_BASE", "D", "error",
      "CY 2026 PFS final rule (CMS-1832-F: G0568, G0569, G0570 billed as add-ons to "
      "advanced primary care management G0556-G0558 reported by the same practitioner in "
      "the same month)", when=["proc-period"], options=["medicare_pfs"])
def period_addon_without_base(ctx: ClaimContext) -> Iterator[Hit]:
    """Under a profile with the option ``medicare_pfs``, on a professional claim, a valid
    line of a behavioral health add-on of advanced primary care management
    (:data:`APCM_ADDONS`: G0568, G0569, G0570, from 2026) with no valid line of an APCM
    base code (:data:`APCM_BASE`) dated in its calendar month: Medicare pays the add-on only
    beside the APCM code the same practitioner bills for the month. ``fix``
    the base codes; without APCM, the service is billed with the code the add-on mirrors
    (99492, 99493, 99484), which the message names. The lines of one claim are seen: an
    APCM line of the month on another claim is the payer's to find. On a claim whose
    lines name rendering providers of their own (837P 2420A), an add-on line's base
    code must be its own provider's (:func:`~codekit.rules.ncci_edits.by_provider`):
    G0568 by one NPI beside another NPI's G0556 fires, naming that line."""
    if ctx.claim.is_institutional:
        return
    addons = [ln for ln in ctx.valid_lines if ln.code in APCM_ADDONS]
    if not addons:
        return
    groups = by_provider(ctx, ctx.valid_lines)
    for lines in groups:
        months = {(ln.day.year, ln.day.month) for ln in lines if ln.code in APCM_BASE}
        for ln in lines:
            if ln.code not in APCM_ADDONS or (ln.day.year, ln.day.month) in months:
                continue
            yield _apcm_addon_alone(ctx, ln, groups)


def _apcm_addon_alone(ctx: ClaimContext, ln: LineInfo, groups: list[list[LineInfo]]) -> Hit:
    """The finding of APCM add-on line ``ln`` with no APCM base line of its provider in its
    month, among the claim's lines split by provider (``groups``): another provider's
    base line of the month, when there is one, is named."""
    code = ln.code or ""
    what = ONCE_PER_PERIOD[code][1]
    month = (ln.day.year, ln.day.month)
    other = next((o for lines in groups if ln not in lines for o in lines
                  if o.code in APCM_BASE and (o.day.year, o.day.month) == month), None)
    which, told = "no line bills", ""
    if other is not None:
        which = f"no line of its rendering provider (NPI {npi_of(ctx.claim, ln.line)}) bills"
        told = (f" ({other.code} on line {other.line.line} is another rendering provider's, "
                f"NPI {npi_of(ctx.claim, other.line)})")
    return Hit(f"Line {ln.line.line}: {code} ({what}) on {ln.day} is an add-on of advanced "
               f"primary care management, and {which} {', '.join(APCM_BASE[:-1])} "
               f"or {APCM_BASE[-1]} in {ln.day:%Y-%m}{told}: Medicare pays it only beside the "
               "APCM code the same practitioner bills for the month (CY 2026 PFS final "
               "rule). Report the month's APCM code; without APCM, bill the service as "
               f"{APCM_ADDONS[code]} (if the month's APCM code is on another claim, "
               "nothing to correct).",
               ("service_lines", ln.index, "procedure_code"), (code,), APCM_BASE)


RULES = (pos_invalid, em_place_of_service, mod_25_alone, telemedicine_not_medicare,
         drug_test_not_medicare, anesthesia_payment_missing,
         anesthesia_physical_status_missing, anesthesia_multiple, period_repeated,
         period_exclusive, period_addon_without_base)
