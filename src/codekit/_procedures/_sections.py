"""CPT sections and subsections by code range (the CPT code set's public structure).

The sections keep their one- or two-word generic names (Surgery, Radiology...); the
subsections are named in codekit's own short plain words ("Injections, infusions and
chemotherapy administration"), never with CPT's headings nor a code's descriptor (AMA
text). Where ranges nest, the narrowest one names the subsection.

>>> section_of("99213", "category_i")
('Evaluation and Management', 'Office and outpatient visits')
>>> section_of("27447", "category_i")
('Surgery', 'Bones, joints and muscles')
>>> section_of("96413", "category_i")[1]
'Injections, infusions and chemotherapy administration'
>>> section_of("0001U", "pla")
('Pathology and Laboratory', 'Proprietary lab tests')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

import attrs

__all__ = [
    "ADVANCE_CARE_PLANNING",
    "AMBULANCE_MILEAGE",
    "AMBULANCE_TRIPS",
    "ANESTHESIA_QUALIFYING_CIRCUMSTANCES",
    "ANNUAL_WELLNESS_VISIT",
    "COLONOSCOPY_ANESTHESIA",
    "COLORECTAL_ENDOSCOPY",
    "COVID_VACCINES",
    "COVID_VACCINE_ADMINISTRATION",
    "CPT_AGE_LIMITS",
    "CPT_VACCINE_ADMINISTRATION",
    "DEFINITIVE_DRUG_TESTS",
    "DMEPOS_ONE_A_SIDE",
    "DMEPOS_SIDED",
    "EM_RANGES",
    "EM_SETTINGS",
    "EM_VISIT_KINDS",
    "EYE_EXAMS",
    "FRACTURE_TREATMENT",
    "HOME_VACCINE_ADMINISTRATION",
    "LAB_PANELS",
    "MAMMOGRAPHY_DIAGNOSTIC",
    "MAMMOGRAPHY_SCREENING",
    "MEDICARE_DEFINITIVE_DRUG_TESTS",
    "PART_B_VACCINES",
    "PART_B_VACCINE_ADMINISTRATION",
    "PART_D_VACCINES",
    "PART_D_VACCINE_KINDS",
    "PREVENTIVE_VISITS",
    "PROLONGED_STATUS_I",
    "SCREENING_COLONOSCOPY_ANESTHESIA",
    "SCREENING_TURNED_DIAGNOSTIC",
    "SECTIONS",
    "SUBSECTIONS",
    "TELEMEDICINE_VISITS",
    "TELEPHONE_VISITS",
    "VACCINE_PRODUCTS",
    "VISIT_ADDONS",
    "CptAgeLimit",
    "em_setting",
    "is_em",
    "is_em_or_eye_exam",
    "is_em_or_telemedicine",
    "is_vaccine_product",
    "section_of",
    "sex_of",
]

ANESTHESIA = "Anesthesia"
SURGERY = "Surgery"
RADIOLOGY = "Radiology"
LAB = "Pathology and Laboratory"
MEDICINE = "Medicine"
EM = "Evaluation and Management"

#: (first, last, section) for CPT Category I codes.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("00100", "01999", ANESTHESIA),
    ("10004", "69990", SURGERY),
    ("70010", "79999", RADIOLOGY),
    ("80047", "89398", LAB),
    ("90281", "99199", MEDICINE),
    ("99201", "99499", EM),
    ("99500", "99607", MEDICINE),
)

_SUB: dict[str, tuple[tuple[str, str, str], ...]] = {
    ANESTHESIA: (
        ("00100", "00222", "Head"), ("00300", "00352", "Neck"),
        ("00400", "00474", "Chest wall"), ("00500", "00580", "Inside the chest"),
        ("00600", "00670", "Spine"), ("00700", "00797", "Upper abdomen"),
        ("00800", "00882", "Lower abdomen"), ("00902", "00952", "Perineum"),
        ("01112", "01173", "Pelvis"), ("01200", "01274", "Thigh"),
        ("01320", "01444", "Knee"), ("01462", "01522", "Lower leg"),
        ("01610", "01682", "Shoulder and armpit"),
        ("01710", "01782", "Upper arm and elbow"),
        ("01810", "01860", "Forearm, wrist and hand"),
        ("01916", "01936", "Imaging procedures"), ("01951", "01953", "Burn care"),
        ("01958", "01969", "Obstetric"), ("01990", "01999", "Other"),
    ),
    SURGERY: (
        ("10004", "10021", "General"), ("10030", "19499", "Skin and breast"),
        ("20100", "29999", "Bones, joints and muscles"),
        ("30000", "32999", "Nose, airways and lungs"),
        ("33010", "37799", "Heart and vessels"),
        ("38100", "38999", "Spleen, marrow and lymph nodes"),
        ("39000", "39599", "Mediastinum and diaphragm"),
        ("40490", "49999", "Digestive system"),
        ("50010", "53899", "Kidneys and urinary tract"),
        ("54000", "55899", "Male genital organs"),
        ("55920", "55920", "Reproductive organs"), ("55970", "55980", "Intersex surgery"),
        ("56405", "58999", "Female genital organs"),
        ("59000", "59899", "Pregnancy and delivery"),
        ("60000", "60699", "Endocrine glands"), ("61000", "64999", "Nervous system"),
        ("65091", "68899", "Eye, eyelids and orbit"), ("69000", "69979", "Ear"),
        ("69990", "69990", "Operating microscope"),
    ),
    RADIOLOGY: (
        ("70010", "76499", "Diagnostic imaging"), ("76506", "76999", "Ultrasound"),
        ("77001", "77022", "Imaging guidance"), ("77046", "77067", "Breast imaging"),
        ("77071", "77086", "Bone and joint imaging"),
        ("77261", "77799", "Radiation therapy"), ("78012", "79999", "Nuclear medicine"),
    ),
    LAB: (
        ("80047", "80081", "Lab panels"), ("80143", "80299", "Drug levels"),
        ("80305", "80377", "Drug testing"),
        ("80400", "80439", "Stimulation and suppression tests"),
        ("80503", "80506", "Pathology consultations"), ("81000", "81099", "Urine tests"),
        ("81105", "81479", "Molecular tests"), ("81410", "81471", "Genomic sequencing"),
        ("81490", "81599", "Multi-analyte tests with a score"),
        ("82009", "84999", "Chemistry"), ("85002", "85999", "Blood counts and clotting"),
        ("86000", "86849", "Immunology"), ("86850", "86999", "Blood bank"),
        ("87003", "87999", "Microbiology"), ("88000", "88099", "Autopsy"),
        ("88104", "88199", "Cytopathology"), ("88230", "88299", "Chromosome studies"),
        ("88300", "88399", "Tissue pathology"),
        ("88720", "88749", "Tests through the skin"), ("89049", "89240", "Other"),
        ("89250", "89398", "Fertility lab"),
    ),
    MEDICINE: (
        ("90281", "90399", "Immune globulins"),
        ("90460", "90474", "Vaccine administration"), ("90476", "90759", "Vaccines"),
        ("90785", "90899", "Mental health"), ("90901", "90913", "Biofeedback"),
        ("90935", "90999", "Dialysis"), ("91010", "91299", "Digestive tests"),
        ("92002", "92499", "Eye exams and tests"),
        ("92502", "92700", "Ear, nose, throat and speech"),
        ("92920", "93799", "Heart and vessels"), ("93880", "93998", "Vascular studies"),
        ("94002", "94799", "Lungs and breathing"),
        ("95004", "95199", "Allergy and immunology"),
        ("95249", "95251", "Glucose monitoring"),
        ("95700", "96020", "Nerve, muscle and brain tests"),
        ("96040", "96040", "Genetic counseling"),
        ("96105", "96146", "Cognitive, developmental and psychological tests"),
        ("96156", "96171", "Health behavior services"),
        ("96360", "96549", "Injections, infusions and chemotherapy administration"),
        ("96567", "96574", "Photodynamic therapy"), ("96900", "96999", "Skin treatments"),
        ("97010", "97799", "Physical therapy and rehabilitation"),
        ("97151", "97158", "Adaptive behavior services"),
        ("97802", "97804", "Nutrition therapy"), ("97810", "97814", "Acupuncture"),
        ("98925", "98929", "Osteopathic manipulation"),
        ("98940", "98943", "Chiropractic manipulation"),
        ("98960", "98962", "Self-management education"),
        ("98966", "98972", "Remote services by other professionals"),
        ("98975", "98981", "Remote therapy monitoring"),
        ("99000", "99082", "Special services and reports"),
        ("99100", "99140", "Anesthesia circumstances"),
        ("99151", "99157", "Moderate sedation"), ("99170", "99199", "Other services"),
        ("99500", "99602", "Home health services"),
        ("99605", "99607", "Medication management"),
    ),
    EM: (
        ("99201", "99215", "Office and outpatient visits"),
        ("99217", "99220", "Observation care"),
        ("99221", "99239", "Hospital and observation care"),
        ("99241", "99255", "Consultations"),
        ("99281", "99288", "Emergency department visits"),
        ("99291", "99292", "Critical care"), ("99304", "99318", "Nursing facility visits"),
        ("99324", "99337", "Rest home and custodial care visits"),
        ("99341", "99350", "Home visits"), ("99354", "99360", "Prolonged services"),
        ("99366", "99368", "Case management"), ("99374", "99380", "Care plan oversight"),
        ("99381", "99429", "Preventive visits"), ("99415", "99418", "Prolonged services"),
        ("99421", "99423", "Online visits"),
        ("99441", "99449", "Telephone and interprofessional services"),
        ("99450", "99456", "Insurance and disability exams"),
        ("99460", "99465", "Newborn care"),
        ("99466", "99480", "Newborn and child critical care"),
        ("99487", "99491", "Care management"),
        ("99492", "99494", "Collaborative psychiatric care"),
        ("99495", "99496", "Transitional care management"),
        ("99497", "99498", "Advance care planning"), ("99499", "99499", "Other visits"),
    ),
}

#: Category II (performance measurement) sections.
_CATEGORY_II = (
    ("0001F", "0015F", "Composite measures"), ("0500F", "0584F", "Management"),
    ("1000F", "1505F", "History"), ("2000F", "2060F", "Examination"),
    ("3006F", "3776F", "Test and screening results"), ("4000F", "4563F", "Treatments"),
    ("5005F", "5250F", "Follow-up and outcomes"), ("6005F", "6150F", "Safety"),
    ("7010F", "7025F", "Structural measures"), ("9001F", "9007F", "Other codes"),
)

#: (first, last, section, subsection), flattened.
SUBSECTIONS: tuple[tuple[str, str, str, str], ...] = tuple(
    (a, b, sec, sub) for sec, subs in _SUB.items() for a, b, sub in subs)


def _narrowest(code: str, ranges: tuple[tuple[str, str, str], ...]) -> str | None:
    best: tuple[int, str] | None = None
    for a, b, name in ranges:
        if a <= code <= b:
            width = int(b[:4]) - int(a[:4]) if not b[4].isdigit() else int(b) - int(a)
            if best is None or width < best[0]:
                best = (width, name)
    return best[1] if best else None


def section_of(code: str, category: str) -> tuple[str | None, str | None]:
    """(section, subsection) of a CPT code; None where the code falls in no range."""
    if category == "vaccine":
        return MEDICINE, "Vaccines and their administration"
    if category == "maaa":
        return LAB, "Multi-analyte tests with a score (administrative codes)"
    if category == "pla":
        return LAB, "Proprietary lab tests"
    if category == "category_ii":
        return "Category II (Performance Measurement)", _narrowest(code, _CATEGORY_II)
    if category == "category_iii":
        return "Category III (Emerging Technology)", None
    for a, b, sec in SECTIONS:
        if a <= code <= b:
            return sec, _narrowest(code, _SUB[sec])
    return None, None


#: The kinds of E/M visit, one range each (office or other outpatient, hospital
#: inpatient and observation, consultations, emergency department, nursing facility,
#: home or residence, preventive medicine): two visits of one kind on one date are one
#: visit for one provider (Claims Processing Manual ch.12 §30.6.5).
EM_VISIT_KINDS: tuple[tuple[int, int], ...] = (
    (99202, 99215), (99221, 99239), (99242, 99255), (99281, 99285), (99304, 99316),
    (99341, 99350), (99381, 99397))

#: The E/M services of the modifier edits: modifier 25 (or 57) says such a service is
#: separate from a procedure of its date, 59 and X{EPSU} never do (NCCI Policy Manual
#: ch.I §E), and it has no professional or technical component and no assistant at
#: surgery. The visit kinds of :data:`EM_VISIT_KINDS`, and the other face-to-face E/M
#: services of CPT's E/M section that NCCI bundles into procedures (column 2 of PTP edits
#: with minor procedures, indicator 1; NCCI Policy Manual ch.XI, E/M services): critical
#: care 99291-99292; newborn care 99460-99463; inpatient neonatal and pediatric critical
#: care and intensive care, and pediatric transport, 99466-99469, 99471-99472,
#: 99475-99480 (99470 is not one: a remote monitoring code from 2026; 99473-99474 are
#: self-measured blood pressure codes); cognitive assessment and care planning 99483;
#: transitional care management 99495-99496. Left out: the E/M section's codes that are
#: no visit of their own -- prolonged services, care management, online and
#: interprofessional services, the delivery-room newborn codes 99464-99465, advance care
#: planning.
EM_RANGES: tuple[tuple[int, int], ...] = (
    *EM_VISIT_KINDS, (99291, 99292), (99460, 99463), (99466, 99469), (99471, 99472),
    (99475, 99480), (99483, 99483), (99495, 99496))


def is_em(code: str | None) -> bool:
    """An evaluation and management code of :data:`EM_RANGES`.

    >>> is_em("99213"), is_em("99291"), is_em("99470"), is_em("20610"), is_em(None)
    (True, True, False, False, False)
    """
    return code in _EM_CODES


_EM_CODES = frozenset(str(n) for a, b in EM_RANGES for n in range(a, b + 1))

#: CPT's telemedicine visits of 2025 (98000-98015: a visit by synchronous audio-video,
#: 98000-98007, or audio-only, 98008-98015, telecommunication; in each, four new-patient
#: codes then four established-patient ones, by level of medical decision making). Not
#: 98016 (a brief virtual check-in). Numbers only, never a descriptor.
TELEMEDICINE_VISITS: frozenset[str] = frozenset(str(n) for n in range(98000, 98016))
_EM_OR_TELEMEDICINE = _EM_CODES | TELEMEDICINE_VISITS


def is_em_or_telemedicine(code: str | None) -> bool:
    """An E/M code of :data:`EM_RANGES` or a telemedicine visit of
    :data:`TELEMEDICINE_VISITS` (98000-98015, CPT's E/M section from 2025): a visit as the
    modifier edits judge one (76 and 77 are no E/M modifiers; 26, TC, 80-82, AS, 58, 78
    and 79 never go on one).

    >>> is_em_or_telemedicine("98005"), is_em_or_telemedicine("99213")
    (True, True)
    >>> is_em_or_telemedicine("98016"), is_em_or_telemedicine("92012")
    (False, False)
    """
    return code in _EM_OR_TELEMEDICINE

#: CPT's telephone E/M services with an established patient (99441-99443), which CPT
#: deleted on 2025-01-01 (their last day 2024-12-31). In their place: CPT's audio-only
#: telemedicine visits of an established patient, 98012-98015 (98008-98011 for a new
#: one: :data:`TELEMEDICINE_VISITS`); on Medicare, which does not recognize those (MPFS
#: status I), the office or other outpatient visits of an established patient,
#: 99212-99215, with modifier 93 and place of service 02 or 10 (CY 2025 PFS final rule,
#: CMS-1807-F). Numbers only, never a descriptor.
TELEPHONE_VISITS: frozenset[str] = frozenset({"99441", "99442", "99443"})

#: CPT's prolonged service codes that Medicare does not recognize (MPFS status I: "not
#: valid for Medicare purposes, Medicare uses another code") from their first day: 99417
#: (CY 2021 PFS final rule: Medicare pays G2212 beside 99205 and 99215; from 2023 G0317,
#: G0318 beside the nursing facility and home visits) and 99418 (CY 2023 PFS final rule:
#: G0316 beside the hospital inpatient and observation visits, G0317). What codekit knows of
#: their status without an MPFS RVU file, which gives every code's
#: (``PROC_MEDICARE_USES_OTHER_CODE`` judges them with the file or without it).
PROLONGED_STATUS_I: frozenset[str] = frozenset({"99417", "99418"})

#: Add-on codes that report more of the E/M visit they are billed with, not a procedure or
#: service of their own: the visit complexity add-on G2211 (CY 2024 PFS final rule); the
#: visit's prolonged time, CPT's 99417 and 99418, its clinical staff's 99415 and 99416,
#: the face-to-face prolonged services 99354-99357 (deleted after 2022) and Medicare's
#: G2212, G0316, G0317 and G0318; critical care's further 30 minutes, 99292. Modifier 25
#: says an E/M was separate from another procedure or service of its date (CPT Appendix A;
#: Claims Processing Manual ch.12 §30.6.6): a line of one of these beside it is none.
#: Not the psychotherapy add-ons 90833-90838 (a service of its own, with the E/M).
VISIT_ADDONS: frozenset[str] = frozenset({
    "G2211", "99417", "99418", "99415", "99416", "99354", "99355", "99356", "99357",
    "G2212", "G0316", "G0317", "G0318", "99292"})

#: The eye examinations, CPT's general ophthalmological services (92002 and 92004 new
#: patient, 92012 and 92014 established patient), which ophthalmology reports in place of
#: an E/M visit. NCCI treats them as visits: since 2013-07-01 the practitioner PTP edits
#: put them, like the office visits, in column 2 of minor procedures (indicator 1), and
#: modifiers 25 and 57 (never 59 or X{EPSU}) say an eye examination was separate from a
#: procedure of its date (NCCI Policy Manual ch.I §E, ch.XI; Claims Processing Manual
#: ch.12 §40.1, the global surgical package).
EYE_EXAMS = frozenset({"92002", "92004", "92012", "92014"})
#: The visits of NCCI's modifiers (:func:`is_em_or_eye_exam`).
_VISIT_CODES = _EM_CODES | TELEMEDICINE_VISITS | EYE_EXAMS


def is_em_or_eye_exam(code: str | None) -> bool:
    """An E/M code of :data:`EM_RANGES`, a telemedicine visit of
    :data:`TELEMEDICINE_VISITS` (98000-98015, CPT's E/M section from 2025) or an eye
    examination of :data:`EYE_EXAMS`: a visit, the one E/M of the NCCI modifier edits
    (the PTP bypass, ``EM_MINOR_PROC_NO_MOD25``): modifier 25 (or 57) says it was separate
    from a procedure of its date, 59 and X{EPSU} never do (CPT modifier 59: "other than
    E/M services"; NCCI Policy Manual ch.I §E). Not the brief virtual check-in 98016,
    which, like the online E/M codes 99421-99423 that :data:`EM_RANGES` leaves out, is no
    visit of its own.

    >>> is_em_or_eye_exam("92012"), is_em_or_eye_exam("99213"), is_em_or_eye_exam("92015")
    (True, True, False)
    >>> is_em_or_eye_exam("98005"), is_em_or_eye_exam("98016"), is_em("98005")
    (True, False, False)
    """
    return code in _VISIT_CODES

#: The E/M visit categories CPT defines by where the patient is seen (CPT E/M guidelines,
#: the category headings of the E/M section), each with its code range: ``office`` (office
#: or other outpatient, 99201-99215; 99201 until 2020), ``hospital`` (hospital inpatient
#: and observation care, 99221-99239, with the observation codes 99217-99220 until 2022),
#: ``emergency`` (emergency department, 99281-99285), ``nursing`` (nursing facility,
#: 99304-99318; 99318 until 2022), ``home`` (home or residence, 99341-99350). Numbers
#: only; a code of a range that does not exist on a date is never a valid line.
EM_SETTINGS: dict[str, tuple[tuple[int, int], ...]] = {
    "office": ((99201, 99215),),
    "hospital": ((99217, 99239),),
    "emergency": ((99281, 99285),),
    "nursing": ((99304, 99318),),
    "home": ((99341, 99350),),
}
_SETTING_OF = {str(n): kind for kind, ranges in EM_SETTINGS.items()
               for a, b in ranges for n in range(a, b + 1)}


def em_setting(code: str | None) -> str | None:
    """The category of :data:`EM_SETTINGS` an E/M visit code belongs to, else None.

    >>> em_setting("99213"), em_setting("99232"), em_setting("99284"), em_setting("99291")
    ('office', 'hospital', 'emergency', None)
    """
    return _SETTING_OF.get(code)  # type: ignore[arg-type]


#: The HCPCS codes of the Medicare ambulance fee schedule: ground mileage A0425, the ground
#: base rates A0426-A0429 (ALS1 and BLS, non-emergency and emergency), the air base rates
#: A0430 (fixed wing) and A0431 (rotary wing), paramedic intercept A0432, ALS2 A0433,
#: specialty care transport A0434, air mileage A0435 (fixed wing) and A0436 (rotary wing).
#: Each line of an ambulance trip carries the trip's origin/destination modifier (Claims
#: Processing Manual ch.15 §30.A).
AMBULANCE_TRIPS: frozenset[str] = frozenset(f"A04{n}" for n in range(25, 37))
#: The mileage codes of the Medicare ambulance fee schedule and the base rates whose trips
#: they bill the loaded miles of: ground mileage A0425 with the ground base rates A0426,
#: A0427, A0428, A0429, A0433, A0434; fixed-wing air mileage A0435 with A0430; rotary-wing
#: air mileage A0436 with A0431 (paramedic intercept A0432 has no mileage).
AMBULANCE_MILEAGE: Mapping[str, frozenset[str]] = MappingProxyType({
    "A0425": frozenset({"A0426", "A0427", "A0428", "A0429", "A0433", "A0434"}),
    "A0435": frozenset({"A0430"}),
    "A0436": frozenset({"A0431"}),
})


#: CPT's definitive drug testing codes, one or more a drug class (80320-80377, from 2015).
#: Medicare does not pay them: the Clinical Laboratory Fee Schedule prices none of them
#: and pays definitive drug testing per day with Level II codes by the number of drug
#: classes tested (:data:`MEDICARE_DEFINITIVE_DRUG_TESTS`; CY 2016 CLFS final
#: determinations: G0480-G0483; CY 2018: G0659). Numbers only, never a descriptor.
DEFINITIVE_DRUG_TESTS: frozenset[str] = frozenset(str(n) for n in range(80320, 80378))

#: What Medicare pays for definitive drug testing of a day in place of
#: :data:`DEFINITIVE_DRUG_TESTS`, each with the number of drug classes it is for: G0480
#: (1-7), G0481 (8-14), G0482 (15-21), G0483 (22 or more), and G0659 (any number, by a
#: method without the calibration, matrix-matched quality control or internal standards
#: G0480-G0483 call for).
MEDICARE_DEFINITIVE_DRUG_TESTS: tuple[tuple[str, int, int | None], ...] = (
    ("G0480", 1, 7), ("G0481", 8, 14), ("G0482", 15, 21), ("G0483", 22, None),
    ("G0659", 1, None))


#: The flexible sigmoidoscopy (45330-45350) and colonoscopy (45378-45398) CPT codes: a
#: Medicare colorectal cancer screening (G0104, G0105, G0121) that turned diagnostic or
#: therapeutic is reported with one of them and modifier PT (CMS MLN MM7012, CR 7012;
#: Claims Processing Manual ch.18 §60). Numbers only (no descriptor); codes of the ranges
#: that do not exist are never valid lines.
COLORECTAL_ENDOSCOPY: frozenset[str] = frozenset(
    str(n) for a, b in ((45330, 45350), (45378, 45398)) for n in range(a, b + 1))
#: Anesthesia for a lower intestinal endoscopy of a colonoscopy (CPT, from 2018-01-01;
#: numbers only): 00812 the one of a screening colonoscopy, 00811 the other one. Medicare
#: takes the anesthesia of a screening colonoscopy as 00812 (no deductible, no
#: coinsurance) and, when the screening became diagnostic or therapeutic, as 00811 with
#: modifier PT (no deductible): CMS MLN MM10181 (CY 2018 PFS final rule).
SCREENING_COLONOSCOPY_ANESTHESIA = "00812"
#: See :data:`SCREENING_COLONOSCOPY_ANESTHESIA`.
COLONOSCOPY_ANESTHESIA = "00811"
#: CPT's qualifying circumstances for anesthesia (99100, 99116, 99135, 99140): add-on
#: codes of an anesthesia service, reported with the anesthesia procedure code (CPT
#: Anesthesia guidelines, qualifying circumstances). CMS's add-on table gives them type 2
#: (no list of primaries). Numbers only, never a descriptor.
ANESTHESIA_QUALIFYING_CIRCUMSTANCES: frozenset[str] = frozenset(
    {"99100", "99116", "99135", "99140"})
_BMP = frozenset({"82374", "82435", "82565", "82947", "84132", "84295", "84520"})
_ELECTROLYTES = frozenset({"82374", "82435", "84132", "84295"})
_HEPATIC = frozenset({"82040", "82247", "82248", "84075", "84155", "84450", "84460"})
_CMP = _BMP | {"82310", "82040", "82247", "84075", "84155", "84450", "84460"}
#: A complete blood count (85025, or 85027 with a differential: 85004, 85007, 85009) and
#: what an automated count measures (hematocrit 85014, hemoglobin 85018, red cells 85041,
#: white cells 85048, platelets 85049).
_CBC = frozenset({"85025", "85027", "85004", "85007", "85009", "85014", "85018", "85041",
                  "85048", "85049"})
_OBSTETRIC = _CBC | {"87340", "86762", "86592", "86850", "86900", "86901"}
#: CPT's organ or disease oriented panels (80047-80081) and the codes of the tests each
#: includes (CPT Pathology and Laboratory, organ or disease oriented panels; numbers only,
#: never a descriptor; Medicare takes the AMA's definition of a panel's tests, Claims
#: Processing Manual ch.16, organ or disease oriented panels, Rev. 1451): a panel and one
#: of its tests billed apart on one date is the unbundling of NCCI Policy Manual ch.X; a
#: test that is none of them (83721, a direct LDL, beside the lipid panel 80061) is
#: billed with it on its own grounds.
LAB_PANELS: Mapping[str, frozenset[str]] = MappingProxyType({
    "80047": _BMP | {"82330"},
    "80048": _BMP | {"82310"},
    "80050": _CMP | _CBC | {"84443"},
    "80051": _ELECTROLYTES,
    "80053": _CMP,
    "80055": _OBSTETRIC,
    "80061": frozenset({"82465", "83718", "84478"}),
    "80069": _BMP | {"82310", "82040", "84100"},
    "80074": frozenset({"86705", "86709", "86803", "87340"}),
    "80076": _HEPATIC,
    "80081": _OBSTETRIC | {"87389"},
})
#: The screening mammography code (77067, from 2018) and the diagnostic ones (77065,
#: 77066): a diagnostic mammography on the day of a screening one carries modifier GG
#: (Claims Processing Manual ch.18 §20).
MAMMOGRAPHY_SCREENING: frozenset[str] = frozenset({"77067"})
#: The diagnostic mammography codes (77065, 77066): see :data:`MAMMOGRAPHY_SCREENING`.
MAMMOGRAPHY_DIAGNOSTIC: frozenset[str] = frozenset({"77065", "77066"})
#: Every code of a Medicare screening that may turn diagnostic the same day
#: (:data:`COLORECTAL_ENDOSCOPY`, the anesthesia of a colonoscopy that is not a screening,
#: :data:`COLONOSCOPY_ANESTHESIA`, the mammography codes): ``Resolved.SCREENING``.
SCREENING_TURNED_DIAGNOSTIC: frozenset[str] = \
    COLORECTAL_ENDOSCOPY | {COLONOSCOPY_ANESTHESIA} | MAMMOGRAPHY_SCREENING \
    | MAMMOGRAPHY_DIAGNOSTIC


#: The administration codes of Medicare Part B's preventive vaccines (Social Security Act
#: §1861(s)(10)(A)-(B)), by the kind of vaccine they administer: Medicare pays the
#: administration of an influenza, pneumococcal or hepatitis B vaccine as G0008, G0009 or
#: G0010, not as a CPT immunization administration code (Claims Processing Manual ch.18
#: §10.2.1; §10.2.2 for institutional claims).
PART_B_VACCINE_ADMINISTRATION: Mapping[str, str] = MappingProxyType({
    "G0008": "influenza", "G0009": "pneumococcal", "G0010": "hepatitis B"})
#: The vaccine codes of those three kinds (numbers only, no descriptor), by their
#: administration code, as Claims Processing Manual ch.18 §10.2.1 and CMS's quarterly
#: Part B vaccine pricing files list them: influenza 90630, 90653-90662, 90672-90674,
#: 90682, 90685-90689, 90694, 90756 and Q2034-Q2039; pneumococcal 90670, 90671 (from
#: 2021-07-16), 90677 (from 2021-07-01), 90684 (from 2024-06-27), 90732; hepatitis B
#: 90739, 90740, 90743, 90744, 90746, 90747, 90759 (from 2022-01-11). They are the codes of
#: 90476-90759 the I/OCE gives status indicator L (paid at reasonable cost, not under
#: OPPS; hepatitis B in some quarters F) on every date from 2019-07-01, but for 90658 until
#: 2024-07-31 (Medicare took Q2035-Q2038 for it) and 90694 until 2020-06-30, then status
#: E1 (tests/test_part_b.py holds them equal). A line is judged only when its code is valid
#: on its date (90630 and 90654 ended 2024-12-31).
PART_B_VACCINES: Mapping[str, str] = MappingProxyType({
    **dict.fromkeys(("90630", "90653", "90654", "90655", "90656", "90657", "90658", "90660",
                     "90661", "90662", "90672", "90673", "90674", "90682", "90685", "90686",
                     "90687", "90688", "90689", "90694", "90756", "Q2034", "Q2035", "Q2036",
                     "Q2037", "Q2038", "Q2039"), "G0008"),
    **dict.fromkeys(("90670", "90671", "90677", "90684", "90732"), "G0009"),
    **dict.fromkeys(("90739", "90740", "90743", "90744", "90746", "90747", "90759"),
                    "G0010"),
})
#: Medicare Part B's administration code of every COVID-19 vaccine (Social Security Act
#: §1861(s)(10)(A)) from 2023-09-11: 90480, which CPT created that day in place of each
#: vaccine's own administration codes (0001A-0174A), when the 2023-2024 formula vaccines
#: took their codes and Medicare stopped paying the bivalent ones' (MLN Connects of
#: 2023-09-14; CMS, COVID-19 vaccine billing codes and payment allowances).
COVID_VACCINE_ADMINISTRATION = "90480"
#: Medicare's add-on payment for a Part B preventive vaccine administered in the patient's
#: home (M0201: COVID-19 from 2021-06-08; influenza, pneumococcal and hepatitis B too from
#: 2024-01-01). It is billed with the administration code of the vaccine, never alone: "You
#: must use both" G0008, G0009 or G0010 (90480 or the COVID-19 vaccine's own administration
#: code) "and M0201" (CMS, Home Vaccine Administration Additional Payment; CY 2024 PFS
#: final rule).
HOME_VACCINE_ADMINISTRATION = "M0201"
#: The COVID-19 vaccines Medicare pays with :data:`COVID_VACCINE_ADMINISTRATION`, each
#: with the first date of service it does: the vaccines CPT numbered from 2023-09-11
#: (91318-91322, the 2023-2024 formula and later ones; 91323, valid from 2025-08-27, in
#: the same I/OCE status L), and 91304 (Novavax) from 2023-10-03, when its own
#: administration codes 0041A-0044A ended (I/OCE). Codes only, no descriptor.
COVID_VACCINES: Mapping[str, dt.date] = MappingProxyType({
    **dict.fromkeys(("91318", "91319", "91320", "91321", "91322", "91323"),
                    dt.date(2023, 9, 11)),
    "91304": dt.date(2023, 10, 3),
})
#: The CPT immunization administration codes that count vaccines (one a unit): 90460
#: (through age 18, with counseling: its add-on 90461 counts components, not vaccines),
#: 90471-90472 (injection), 90473-90474 (intranasal or oral). Medicare pays them for the
#: vaccines it covers other than those of :data:`PART_B_VACCINES` (a tetanus toxoid after
#: an injury, Benefit Policy Manual ch.15 §50.4.4.2).
CPT_VACCINE_ADMINISTRATION: frozenset[str] = frozenset(
    {"90460", "90471", "90472", "90473", "90474"})
#: Vaccines Medicare Part D covers and Part B does not, by their kind: zoster (90736, 90750)
#: and the adult respiratory syncytial virus vaccines (90678, 90679, 90683). A vaccine is a
#: covered Part D drug (Social Security Act §1860D-2(e)(1)) unless Part B pays it, and Part B
#: pays only the vaccines of §1861(s)(10) (influenza, pneumococcal, hepatitis B, COVID-19)
#: and those given for an injury or a direct exposure (Benefit Policy Manual ch.15
#: §50.4.4.2), which no zoster or RSV vaccine is (the MACs' exposure lists, e.g. WPS LCD
#: L34596, name none). The I/OCE gives every one status indicator M (not billable to the
#: MAC) on every date it is valid (90683 from 2024-07-01; E1 before its FDA approval).
PART_D_VACCINE_KINDS: Mapping[str, str] = MappingProxyType({
    "90736": "zoster", "90750": "zoster", "90678": "RSV", "90679": "RSV", "90683": "RSV"})
#: The codes of :data:`PART_D_VACCINE_KINDS`.
PART_D_VACCINES: frozenset[str] = frozenset(PART_D_VACCINE_KINDS)
#: The annual wellness visit (G0438 first, G0439 subsequent) and advance care planning
#: (99497, its add-on 99498): ACP on the day of an AWV, as its optional element, takes
#: modifier 33, which waives the deductible and coinsurance (Claims Processing Manual ch.12
#: §280.5.1; ch.18 §140).
ANNUAL_WELLNESS_VISIT: frozenset[str] = frozenset({"G0438", "G0439"})
#: Advance care planning (99497, its add-on 99498): see :data:`ANNUAL_WELLNESS_VISIT`.
ADVANCE_CARE_PLANNING: frozenset[str] = frozenset({"99497", "99498"})
#: The DMEPOS codes the DME MACs reject without RT or LT, each side on its own line (1
#: unit a line): the L codes of the DME MAC joint publication "Correct Coding - RT and
#: LT Modifier Usage Change" of 2018-12-06 (in force from 2019-03-01; its list of codes,
#: CGS of 2019-05-31) for ankle-foot and knee-ankle-foot orthoses (policy article A52457),
#: without the abduction bars L2300 and L2310 (one per patient: DME MUE 1), and the knee
#: orthoses' base codes L1810-L1860 (policy article A52465: RT and LT on base, addition
#: and replacement codes). The lower limb prostheses, breast, eye and facial prostheses,
#: footwear, shoes and dressings of that publication are not here: codekit has no
#: verified list of their codes.
DMEPOS_SIDED: frozenset[str] = frozenset({
    "L1810", "L1812", "L1820", "L1821", "L1830", "L1831", "L1832", "L1833", "L1834",
    "L1836", "L1840", "L1843", "L1844", "L1845", "L1846", "L1847", "L1848", "L1850",
    "L1851", "L1852", "L1860",
    "L1900", "L1902", "L1904", "L1906", "L1907", "L1910", "L1920", "L1930", "L1932",
    "L1940", "L1945", "L1950", "L1951", "L1960", "L1970", "L1971", "L1980", "L1990",
    "L2000", "L2005", "L2010", "L2020", "L2030", "L2034", "L2035", "L2036", "L2037",
    "L2038", "L2106", "L2108", "L2112", "L2114", "L2116", "L2126", "L2128", "L2132",
    "L2134", "L2136", "L2180", "L2182", "L2184", "L2186", "L2188", "L2190", "L2192",
    "L2200", "L2210", "L2220", "L2230", "L2232", "L2240", "L2250", "L2260", "L2265",
    "L2270", "L2275", "L2280", "L2320", "L2330", "L2335", "L2340", "L2350", "L2360",
    "L2370", "L2375", "L2380", "L2385", "L2387", "L2390", "L2395", "L2397", "L2405",
    "L2415", "L2425", "L2430", "L2492", "L2500", "L2510", "L2520", "L2525", "L2526",
    "L2530", "L2540", "L2550", "L2750", "L2755", "L2760", "L2768", "L2780", "L2785",
    "L2795", "L2800", "L2810", "L2820", "L2830", "L2840", "L2850", "L2999",
    "L4350", "L4360", "L4361", "L4370", "L4386", "L4387", "L4394", "L4396", "L4397",
    "L4398", "L4631",
})
#: The codes of :data:`DMEPOS_SIDED` of which a side takes one: the orthoses themselves
#: (knee, ankle-foot, knee-ankle-foot and fracture orthoses, walking boots, foot drop
#: splints), each of which the CMS DME supplier MUE table (2026-04-01) allows 2 a day for
#: the anatomy (one a side). Additions are not here (a KAFO has two knee joints: L2385
#: "each joint", MUE 4). More than one unit on a line of one side is both sides, or a
#: second item of that side, on one line.
DMEPOS_ONE_A_SIDE: frozenset[str] = frozenset({
    "L1810", "L1812", "L1820", "L1821", "L1830", "L1831", "L1832", "L1833", "L1834",
    "L1836", "L1840", "L1843", "L1844", "L1845", "L1846", "L1847", "L1848", "L1850",
    "L1851", "L1852", "L1860",
    "L1900", "L1902", "L1904", "L1906", "L1907", "L1910", "L1920", "L1930", "L1932",
    "L1940", "L1945", "L1950", "L1951", "L1960", "L1970", "L1971", "L1980", "L1990",
    "L2000", "L2005", "L2010", "L2020", "L2030", "L2034", "L2035", "L2036", "L2037",
    "L2038", "L2106", "L2108", "L2112", "L2114", "L2116", "L2126", "L2128", "L2132",
    "L2134", "L2136",
    "L4350", "L4360", "L4361", "L4370", "L4386", "L4387", "L4396", "L4397", "L4398",
    "L4631",
})
#: The CPT vaccine and toxoid product codes (90476-90759) and the COVID-19 vaccines
#: (91300-91399): what a CPT immunization administration code may be for.
VACCINE_PRODUCTS: tuple[tuple[str, str], ...] = (("90476", "90759"), ("91300", "91399"))


def is_vaccine_product(code: str | None) -> bool:
    """A code of the CPT vaccine and toxoid products (:data:`VACCINE_PRODUCTS`).

    >>> is_vaccine_product("90686"), is_vaccine_product("91320"), is_vaccine_product("90471")
    (True, True, False)
    """
    # the two ranges of VACCINE_PRODUCTS, compared inline (every line of a vaccine claim)
    return code is not None and len(code) == 5 and (
        "90476" <= code <= "90759" or "91300" <= code <= "91399")


@attrs.frozen(slots=True)
class CptAgeLimit:
    """An age limit a CPT code's own descriptor sets and the IOCE does not carry: the
    whole-year ages it is reported for (``ages``: inclusive ranges), the codes reported
    instead outside them (``instead``: empty when the line is to be removed), and where
    the limit is stated (``source``)."""

    ages: tuple[tuple[int, int], ...]
    instead: tuple[str, ...]
    source: str
    #: the days of life the code is for (first day, last day or None), where the
    #: descriptor counts them (the neonatal and pediatric critical care codes): judged
    #: from a birth date only; None for a code limited by years alone
    days: tuple[int, int | None] | None = None

    def allows(self, age: int) -> bool:
        """Whether a patient of ``age`` (whole years) may be reported with the code."""
        return any(lo <= age <= hi for lo, hi in self.ages)

    def allows_days(self, days: int) -> bool:
        """Whether a patient ``days`` old (days since the birth date) may be reported with
        the code (always, for a code without :attr:`days`)."""
        if self.days is None:
            return True
        lo, hi = self.days
        return lo <= days and (hi is None or days <= hi)


#: CPT codes limited by age in their descriptors where the IOCE gives no age (its procedure
#: ages are empty for them): ``Resolved.AGE``. 90460 and 90461 (immunization
#: administration with counseling) are for patients through age 18 (the descriptor; CPT
#: immunization administration guidelines): from 19, 90471 and 90472 (90473/90474 by
#: route). 99100 (an anesthesia qualifying circumstance) is for a patient under 1 year or
#: over 70 (the descriptor): judged by whole years, ages 1-69 conflict (a 70-year-old is
#: over 70 every day but the birthday, so 70 is let pass). The neonatal critical care
#: codes 99468 (initial day) and 99469 (subsequent day) are for a neonate through the 28th
#: day of life, the pediatric ones 99471 and 99472 from the 29th day (their descriptors;
#: CPT's critical care guidelines): the I/OCE's whole years (0-0, 0-2) cannot tell them
#: apart, so their limit is in days (:attr:`CptAgeLimit.days`), each the other's code
#: instead. 90696 (a DTaP-IPV combination vaccine) is for children aged 4 through 6 (the
#: descriptor): no code replaces the product given, the line is checked. Numbers only, no
#: descriptor.
CPT_AGE_LIMITS: dict[str, CptAgeLimit] = {
    "90696": CptAgeLimit(((4, 6),), (), "CPT 90696: ages 4 through 6"),
    "90460": CptAgeLimit(((0, 18),), ("90471",), "CPT 90460: through age 18"),
    "90461": CptAgeLimit(((0, 18),), ("90472",), "CPT 90461: through age 18"),
    "99100": CptAgeLimit(((0, 0), (70, 124)), (), "CPT 99100: under 1 year or over 70"),
    "99468": CptAgeLimit(((0, 124),), ("99471",), "CPT 99468: through day 28 of life",
                         (0, 28)),
    "99469": CptAgeLimit(((0, 124),), ("99472",), "CPT 99469: through day 28 of life",
                         (0, 28)),
    "99471": CptAgeLimit(((0, 124),), ("99468",), "CPT 99471: from day 29 of life",
                         (29, None)),
    "99472": CptAgeLimit(((0, 124),), ("99469",), "CPT 99472: from day 29 of life",
                         (29, None)),
}

#: The CPT fracture and/or dislocation treatment codes (the "Fracture and/or Dislocation"
#: subsections of the musculoskeletal system, numbers only): head 21310-21490 (not 21497,
#: for a condition other than a fracture), thorax 21800-21825, spine 22310-22328, shoulder
#: 23500-23680, humerus and elbow 24500-24685, forearm and wrist 25500-25695, hand and
#: fingers 26600-26785, pelvis and hip 27193-27269, femur and knee 27500-27566, leg and
#: ankle 27750-27848, foot and toes 28400-28675: ``Resolved.FRACTURE``. Their treatment of
#: a fracture is active treatment (ICD-10-CM Guidelines I.C.19.a, I.C.19.c.1). Codes of
#: the ranges that do not exist are never valid lines.
FRACTURE_TREATMENT: frozenset[str] = frozenset(
    str(n) for a, b in ((21310, 21490), (21800, 21825), (22310, 22328), (23500, 23680),
                        (24500, 24685), (25500, 25695), (26600, 26785), (27193, 27269),
                        (27500, 27566), (27750, 27848), (28400, 28675))
    for n in range(a, b + 1))

#: The preventive medicine visits, new (99381-99387) and established (99391-99397):
#: ``Resolved.PREVENTIVE``.
PREVENTIVE_VISITS: frozenset[str] = frozenset(
    str(n) for a, b in ((99381, 99387), (99391, 99397)) for n in range(a, b + 1))


#: HCPCS Level II codes limited to one sex, with their source (the IOCE's procedure sex
#: is empty): G0101 (screening pelvic examination) and Q0091 (obtaining a screening Pap
#: smear) are Medicare screening services for women: Social Security Act §1861(nn)
#: ("screening pap smear and screening pelvic exam" for a woman), 42 CFR 410.56, Medicare
#: Claims Processing Manual ch.18 §40 (screening pelvic examinations) and §30 (screening
#: Pap smears); G0102 (the screening digital rectal examination) and G0103 (the screening
#: prostate specific antigen test) are the prostate cancer screening tests for men: Social
#: Security Act §1861(oo), 42 CFR 410.39, Claims Processing Manual ch.18 §50. A patient of
#: another recorded sex who has the organs is billed with KX.
HCPCS_SEX = {"G0101": "F", "Q0091": "F", "G0102": "M", "G0103": "M"}


def sex_of(code: str) -> str | None:
    """The sex a CPT code is limited to by its range: the Male Genital System (54000-55899)
    "M"; the Female Genital System and Maternity Care and Delivery (56405-59899) "F". No
    CMS table marks CPT codes by sex (the IOCE's procedure sex is empty). HCPCS Level II
    codes by :data:`HCPCS_SEX`.

    >>> sex_of("55700"), sex_of("57454"), sex_of("99213"), sex_of("Q0091")
    ('M', 'F', None, 'F')
    """
    if len(code) != 5 or not code.isdigit():
        return HCPCS_SEX.get(code)
    if "54000" <= code <= "55899":
        return "M"
    if "56405" <= code <= "59899":
        return "F"
    return None
