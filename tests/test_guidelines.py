"""Group B (ICD-10-CM conventions) held to the ICD-10-CM Official Guidelines' own scenarios.

Each claim is a scenario of the FY2026 guidelines coded as the guideline says (no finding of
group B), or coded with the error the guideline names (the finding that says so).
Scenarios no edit claims (a new edit would be needed) are not here. Only group B findings
are compared: the claims' other edits have their own tests.

Every claim is written by hand with real codes; dates are 2025-11-03 (FY2026).
"""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim

DAY = "2025-11-03"
GROUP_B = {"DX_EXCLUDES1_CONFLICT", "DX_MANIFESTATION_FIRST_LISTED", "DX_CODE_FIRST_ORDER",
           "DX_ETIOLOGY_MISSING", "DX_EXTERNAL_CAUSE_FIRST_LISTED",
           "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", "DX_SECONDARY_ONLY_FIRST_LISTED",
           "DX_ADDITIONAL_CODE_MISSING", "DX_COMBINATION_CODE_EXPECTED",
           "DX_OBSTETRIC_NOT_FIRST", "DX_GUIDELINE_CONFLICT", "DX_GUIDELINE_SEQUENCE",
           "DX_OBSTETRIC_CODE_MISSING", "DX_SYMPTOM_INTEGRAL"}
CHECKERS = {"prof": Checker(profile="medicare-professional"),
            "inp": Checker(profile="medicare-inpatient"),
            "out": Checker(profile="medicare-outpatient"),
            "commercial": Checker(profile="commercial")}
ADULT, MOTHER, NEWBORN = "1958-04-09", "1995-01-01", "2025-11-02"

Found = list[tuple[str, int, tuple[str, ...], tuple[str, ...], str]]


def claim(kind: str, dx: list[str], born: str, sex: str) -> dict[str, Any]:
    patient = {"sex": sex, "birth_date": born}
    if kind == "inp":  # an inpatient stay, bill type 111: the first code is the principal
        return {"claim_type": "institutional", "payer": "medicare", "bill_type": "111",
                "date_of_service": DAY, "admission_date": "2025-10-30", "patient": patient,
                "diagnoses": dx, "service_lines": []}
    if kind == "out":
        return {"claim_type": "institutional", "payer": "medicare", "bill_type": "131",
                "date_of_service": DAY, "patient": patient, "diagnoses": dx,
                "service_lines": [{"line": 1, "procedure_code": "99284",
                                   "revenue_code": "0450", "units": 1}]}
    return {"claim_type": "professional", "payer": "aetna" if kind == "commercial" else
            "medicare", "date_of_service": DAY, "patient": patient, "diagnoses": dx,
            "service_lines": [{"line": 1, "procedure_code": "99214", "units": 1,
                               "diagnosis_pointers": list(range(1, min(len(dx), 4) + 1))}]}


def group_b(kind: str, dx: list[str], born: str = ADULT, sex: str = "F") -> Found:
    report = CHECKERS[kind].check(Claim.from_dict(claim(kind, dx, born, sex)))
    return [(f.rule, f.location[1], f.codes, f.fix, f.severity.value)
            for f in report.findings if f.rule in GROUP_B]


def cf(x: str, y: str, at: int = 0) -> tuple[str, int, tuple[str, ...], tuple[str, ...], str]:
    """DX_CODE_FIRST_ORDER on ``x`` at ``at``, whose note names ``y`` (the fix)."""
    return ("DX_CODE_FIRST_ORDER", at, (x, y), (y,), "warning")


def gc(at: int, codes: tuple[str, ...], fix: tuple[str, ...] | None = None
       ) -> tuple[str, int, tuple[str, ...], tuple[str, ...], str]:
    """DX_GUIDELINE_CONFLICT at ``at`` on ``codes`` (the code to remove first); the fix is
    the other codes unless given."""
    return ("DX_GUIDELINE_CONFLICT", at, codes, codes[1:] if fix is None else fix, "warning")


def om(at: int, x: str, y: str, fix: str
       ) -> tuple[str, int, tuple[str, ...], tuple[str, ...], str]:
    """DX_OBSTETRIC_CODE_MISSING on ``x`` at ``at`` beside chapter 15 code ``y``: ``fix``
    is the chapter 15 code it calls for."""
    return ("DX_OBSTETRIC_CODE_MISSING", at, (x, y), (fix,), "warning")


def gs(x: str, y: str) -> tuple[str, int, tuple[str, ...], tuple[str, ...], str]:
    """DX_GUIDELINE_SEQUENCE on first-listed ``x``: list ``y`` first."""
    return ("DX_GUIDELINE_SEQUENCE", 0, (x, y), (y,), "warning")


# (guideline, setting, diagnoses, patient's birth date, sex, group B findings)
SCENARIOS: list[tuple[str, str, list[str], str, str, Found]] = [
    # I.C.9.a.1: hypertension with heart failure: I11.0, then the type of heart failure
    ("I.C.9.a.1", "prof", ["I11.0", "I50.22"], ADULT, "F", []),
    ("I.C.9.a.1", "prof", ["I50.22", "I11.0"], ADULT, "F", [cf("I50.22", "I11.0")]),
    ("I.C.9.a.1", "inp", ["I50.22", "I11.0"], ADULT, "F", [cf("I50.22", "I11.0")]),
    # I.C.9.a.2: hypertensive CKD, then its stage
    ("I.C.9.a.2", "prof", ["I12.9", "N18.30"], ADULT, "F", []),
    ("I.C.9.a.2", "inp", ["N18.30", "I12.9"], ADULT, "F", [cf("N18.30", "I12.9")]),
    ("I.C.9.a.2", "prof", ["I12.0", "N18.6", "Z99.2"], ADULT, "F", []),
    ("I.C.9.a.2", "prof", ["N18.6", "I12.0", "Z99.2"], ADULT, "F", [cf("N18.6", "I12.0")]),
    # I.C.9.a.3: hypertensive heart and CKD: I13, then I50 and N18
    ("I.C.9.a.3", "prof", ["I13.0", "I50.9", "N18.4"], ADULT, "F", []),
    ("I.C.9.a.3", "prof", ["I13.2", "I50.9", "N18.5"], ADULT, "F", []),
    ("I.C.9.a.3", "prof", ["I50.9", "I13.0", "N18.4"], ADULT, "F", [cf("I50.9", "I13.0")]),
    ("I.C.9.a.3", "prof", ["N18.4", "I13.0", "I50.9"], ADULT, "F", [cf("N18.4", "I13.0")]),
    # I.C.9.a.6: hypertensive urgency, "Code also" the hypertensive disease (no order)
    ("I.C.9.a.6", "prof", ["I16.0", "I10"], ADULT, "F", []),
    # I.C.4.a: diabetes combination codes, the CKD stage after E11.22
    ("I.C.4.a", "prof", ["E11.22", "N18.31", "Z79.4"], ADULT, "F", []),
    ("I.C.4.a", "prof", ["N18.31", "E11.22"], ADULT, "F", [cf("N18.31", "E11.22")]),
    ("I.C.4.a", "prof", ["E11.621", "L97.412"], ADULT, "F", []),
    # I.C.4.a.3: insulin with oral or injectable non-insulin drugs: both Z79 codes
    ("I.C.4.a.3", "prof", ["E11.65", "Z79.4", "Z79.84"], ADULT, "F", []),
    ("I.C.4.a.3", "prof", ["E11.9", "Z79.4", "Z79.85"], ADULT, "F", []),
    # I.A.12.a's own example of its exception: F45.8 (psychogenic dysmenorrhea) with
    # G47.63, unrelated; codes cannot tell, so the warning stays and names the exception
    ("I.A.12.a", "prof", ["F45.8", "G47.63"], ADULT, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("F45.8", "G47.63"), (), "warning")]),
    ("I.A.12.a", "prof", ["E11.9", "E10.9"], ADULT, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("E11.9", "E10.9"), (), "warning")]),
    # I.C.4.a.6: secondary diabetes: the cause first (E08, a manifestation on the MCE list)
    ("I.C.4.a.6.a", "prof", ["E84.9", "E08.9"], ADULT, "F", []),
    ("I.C.4.a.6.a", "prof", ["E08.9", "E84.9"], ADULT, "F",
     [("DX_MANIFESTATION_FIRST_LISTED", 0, ("E08.9",), ("E84.9",), "error")]),
    # drug-induced diabetes: poisoning first; an adverse effect (5th/6th character 5) after
    ("I.C.4.a.6.b", "prof", ["T38.3X1A", "E09.9"], ADULT, "F", []),
    ("I.C.4.a.6.b", "prof", ["E09.9", "T38.3X1A"], ADULT, "F", [cf("E09.9", "T38.3X1A")]),
    ("I.C.4.a.6.b", "prof", ["E09.9", "T38.0X5A"], ADULT, "F", []),
    # postpancreatectomy diabetes: the FY2025+ tabular at E89.1 says "Code first, if
    # applicable, ... (E13.-)"; the tabular's instruction governs (Section I.A)
    ("I.C.4.a.6.b", "prof", ["E13.9", "E89.1", "Z90.410", "Z79.4"], ADULT, "F", []),
    # I.C.4.a.4: insulin pump failure: the mechanical complication, then the underdosing
    ("I.C.4.a.4", "prof", ["T85.614A", "T38.3X6A", "E11.65"], ADULT, "F", []),
    # I.C.1.d: sepsis, severe sepsis, septic shock
    ("I.C.1.d.1.a", "prof", ["A41.9", "R65.20", "J18.9"], ADULT, "F", []),
    ("I.C.1.d.1.a", "inp", ["A41.9", "R65.21"], ADULT, "F", []),
    ("I.C.1.d.1.a.ii", "prof", ["R65.20", "A41.9"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("R65.20",), ("A41.9",), "warning")]),
    ("I.C.1.d.1.a.ii", "inp", ["R65.20", "A41.9"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("R65.20",), ("A41.9",), "error")]),
    ("I.C.1.d.1.a.ii", "out", ["R65.20", "A41.9"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("R65.20",), ("A41.9",), "error")]),
    ("I.C.1.d.5.b", "prof", ["T81.44XA", "A41.9", "R65.20"], ADULT, "F", []),
    ("I.C.1.d.5.b", "prof", ["A41.9", "T81.44XA"], ADULT, "F", [cf("A41.9", "T81.44XA")]),
    ("I.C.1.e", "prof", ["A41.02", "Z16.11"], ADULT, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("Z16.11", "A41.02"), (), "warning")]),
    ("I.C.15.j", "prof", ["O85", "B95.0"], MOTHER, "F", []),
    ("I.C.15.j", "prof", ["O85", "A41.9"], MOTHER, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("A41.9", "O85"), (), "warning")]),
    # I.C.1.a: HIV; in pregnancy O98.7- first, then B20 or Z21
    ("I.C.1.a.2.a", "prof", ["B20", "J18.9"], ADULT, "M", []),
    ("I.C.1.a.2.f", "prof", ["O98.711", "B20", "Z3A.10"], MOTHER, "F", []),
    ("I.C.1.a.2.f", "prof", ["B20", "O98.711", "Z3A.10"], MOTHER, "F", [cf("B20", "O98.711")]),
    ("I.C.1.a.2.f", "prof", ["O98.711", "Z21", "Z3A.10"], MOTHER, "F", []),
    ("I.C.1.a.2.d", "prof", ["B20", "Z21"], ADULT, "M",
     [("DX_EXCLUDES1_CONFLICT", 1, ("B20", "Z21"), ("B20",), "warning")]),
    # I.C.15: pregnancy
    ("I.C.15.b.4", "prof", ["O80", "Z3A.39", "Z37.0"], MOTHER, "F", []),
    ("I.B.14", "prof", ["Z3A.39", "O80", "Z37.0"], MOTHER, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("Z3A.39",), ("O80",), "warning")]),
    ("I.C.15.a.1", "prof", ["I10", "Z33.1"], MOTHER, "F", []),
    ("I.C.15.a.1", "prof", ["Z33.1", "O21.0"], MOTHER, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("Z33.1", "O21.0"), (), "warning")]),
    ("I.C.15.b.2", "prof", ["Z34.01", "Z3A.10"], MOTHER, "F", []),
    ("I.C.15.b.2", "prof", ["Z34.00", "O99.211"], MOTHER, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("Z34.00", "O99.211"), (), "warning")]),
    ("I.C.15.s", "prof", ["O98.513", "U07.1", "Z3A.30"], MOTHER, "F", []),
    # I.C.15.a.1: chapter 15 codes have sequencing priority over codes of other chapters
    ("I.C.15.a.1", "prof", ["U07.1", "O98.513", "Z3A.30"], MOTHER, "F",
     [("DX_OBSTETRIC_NOT_FIRST", 0, ("U07.1", "O98.513"), ("O98.513",), "warning")]),
    ("I.C.15.a.1", "prof", ["O24.112", "E11.9", "Z3A.25"], MOTHER, "F", []),
    ("I.C.15.a.1", "prof", ["E11.9", "O24.112", "Z3A.25"], MOTHER, "F",
     [("DX_OBSTETRIC_NOT_FIRST", 0, ("E11.9", "O24.112"), ("O24.112",), "warning")]),
    ("I.C.15.a.1", "inp", ["E11.9", "O24.112", "Z3A.25"], MOTHER, "F",
     [("DX_OBSTETRIC_NOT_FIRST", 0, ("E11.9", "O24.112"), ("O24.112",), "warning")]),
    ("I.C.15.a.1", "prof", ["S82.101A", "O9A.212", "Z3A.20", "W01.0XXA"], MOTHER, "F",
     [("DX_OBSTETRIC_NOT_FIRST", 0, ("S82.101A", "O9A.212"), ("O9A.212",), "warning")]),
    ("I.C.15.a.1", "prof", ["O9A.212", "S82.101A", "Z3A.20", "W01.0XXA"], MOTHER, "F", []),
    # a first-listed-only encounter code keeps its place (elective termination, I.C.15.q)
    ("I.C.15.q.1", "prof", ["Z33.2", "O35.0XX0"], MOTHER, "F", []),
    # I.C.2: neoplasms
    ("I.C.2.e.2", "prof", ["Z51.11", "C50.911"], ADULT, "F", []),
    ("I.C.21.c.16", "prof", ["C50.911", "Z51.11"], ADULT, "F",
     [("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", 1, ("Z51.11",), (), "warning")]),
    ("I.C.2.e.2", "prof", ["Z51.11", "C34.90", "D70.1", "T45.1X5A"], ADULT, "M", []),
    ("I.C.2.c.1", "prof", ["C50.911", "D63.0"], ADULT, "F", []),
    ("I.C.2.c.1", "prof", ["D63.0", "C50.911"], ADULT, "F",
     [("DX_MANIFESTATION_FIRST_LISTED", 0, ("D63.0",), ("C50.911",), "error")]),
    ("I.C.2.c.2", "prof", ["D64.81", "C50.911", "T45.1X5A"], ADULT, "F", []),
    ("I.C.6.b.5", "prof", ["G89.3", "C50.911"], ADULT, "F", []),
    ("I.C.2.d", "prof", ["C78.00", "Z85.3"], ADULT, "F", []),
    ("I.C.21.c.8", "prof", ["Z08", "Z85.3"], ADULT, "F", []),
    ("I.C.21.c.8", "prof", ["Z85.3", "Z08"], ADULT, "F", [cf("Z85.3", "Z08")]),
    ("I.C.2 (Z17)", "prof", ["Z17.0", "C50.911"], ADULT, "F", [cf("Z17.0", "C50.911")]),
    # I.C.19 / I.C.20: injuries; external cause codes never first-listed
    ("I.C.20", "prof", ["S72.001A", "W19.XXXA", "Y92.009"], ADULT, "F", []),
    ("I.C.20", "prof", ["W19.XXXA", "S72.001A"], ADULT, "F",
     [("DX_EXTERNAL_CAUSE_FIRST_LISTED", 0, ("W19.XXXA",), (), "error")]),
    ("I.C.20", "inp", ["Y92.009", "S72.001A"], ADULT, "F",
     [("DX_EXTERNAL_CAUSE_FIRST_LISTED", 0, ("Y92.009",), (), "error")]),
    ("I.C.19.a", "prof", ["S72.001D", "W19.XXXD"], ADULT, "F", []),
    ("I.C.18.e", "prof", ["S06.0X1A", "R40.2142"], ADULT, "F", []),
    ("I.C.18.e", "prof", ["R40.2142", "S06.0X1A"], ADULT, "F", [cf("R40.2142", "S06.0X1A")]),
    ("I.C.18.e", "prof", ["I63.9", "R40.2142"], ADULT, "F", []),
    # I.C.19.e.5: poisoning first; adverse effect after its nature; underdosing after
    ("I.C.19.e.5.b", "prof", ["T40.2X1A", "R40.20"], ADULT, "F", []),
    ("I.C.19.e.5.b", "prof", ["T42.4X1A", "T40.2X1A", "R06.89"], ADULT, "F", []),
    ("I.C.19.e.5.a", "prof", ["L27.0", "T36.0X5A"], ADULT, "F", []),
    ("I.C.19.e.5.a", "inp", ["T36.0X5A", "L27.0"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("T36.0X5A",), ("L27.0",), "error")]),
    # on an 837P too an adverse effect is never first (the nature "followed by" it): the
    # never-first finding replaces the block note's code-first one, and a nature the note
    # does not name (R41.0, confusion) is no longer clean (an ED coder's review of 2026-12-06)
    ("I.C.19.e.5.a", "prof", ["T36.0X5A", "L27.0"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("T36.0X5A",), ("L27.0",), "warning")]),
    ("I.C.19.e.5.a", "prof", ["T39.395A", "K29.70"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("T39.395A",), ("K29.70",), "warning")]),
    ("I.C.19.e.5.a", "prof", ["T42.4X5A", "R41.0"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("T42.4X5A",), (), "warning")]),
    ("I.C.19.e.5.a", "prof", ["R41.0", "T42.4X5A"], ADULT, "F", []),
    # a poisoning before its manifestation is right: the block's note is for adverse effects
    ("I.C.19.e.5.b", "prof", ["T39.011A", "K29.70"], ADULT, "F", []),
    ("I.C.19.e.5.b", "prof", ["T45.1X1A", "D61.810"], ADULT, "F", []),
    ("I.C.19.e.5.c", "prof", ["I10", "T46.5X6A", "Z91.120"], ADULT, "F", []),
    ("I.C.19.e.5.c", "out", ["T46.5X6A", "I10", "Z91.120"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("T46.5X6A",), (), "error")]),
    # I.A.13 / I.C.5: dementia in Alzheimer's disease
    ("I.A.13", "prof", ["G30.9", "F02.80"], ADULT, "F", []),
    ("I.A.13", "prof", ["G30.1", "F02.811"], ADULT, "F", []),
    ("I.A.13", "prof", ["G31.83", "F02.80"], ADULT, "F", []),
    ("I.A.13", "prof", ["F02.80", "G30.9"], ADULT, "F",
     [("DX_MANIFESTATION_FIRST_LISTED", 0, ("F02.80",), ("G30.9",), "error")]),
    ("I.A.13", "inp", ["F02.80", "G30.9"], ADULT, "F",
     [("DX_MANIFESTATION_FIRST_LISTED", 0, ("F02.80",), ("G30.9",), "error")]),
    ("I.A.13", "commercial", ["F02.80", "G30.9"], ADULT, "F",
     [("DX_MANIFESTATION_FIRST_LISTED", 0, ("F02.80",), ("G30.9",), "warning")]),
    ("I.A.13", "prof", ["Z79.4", "F02.80"], ADULT, "F",
     [("DX_ETIOLOGY_MISSING", 1, ("F02.80",), (), "warning")]),
    # I.C.1.g.1: COVID-19 first, J12.82 for its pneumonia
    ("I.C.1.g.1.a", "prof", ["U07.1", "J12.82"], ADULT, "F", []),
    ("I.C.1.g.1.a", "prof", ["U07.1", "J12.82", "J96.01"], ADULT, "F", []),
    ("I.C.1.g.1.a", "prof", ["J12.82", "U07.1"], ADULT, "F", [cf("J12.82", "U07.1")]),
    ("I.C.1.g.1.a", "inp", ["J12.82", "U07.1"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("J12.82",), ("U07.1",), "error")]),
    ("I.C.1.g.1.m", "prof", ["J84.10", "U09.9"], ADULT, "F", []),
    ("I.C.1.g.1.m", "prof", ["U09.9", "J84.10"], ADULT, "F", [cf("U09.9", "J84.10")]),
    # I.C.12.a: pressure ulcers by stage; gangrene first
    ("I.C.12.a", "prof", ["L89.153", "L89.156"], ADULT, "F", []),
    ("I.C.12.a", "prof", ["I96", "L89.153"], ADULT, "F", []),
    ("I.C.12.a", "prof", ["L89.153", "I96"], ADULT, "F", [cf("L89.153", "I96")]),
    # I.C.21.c: Z codes first-listed only; status codes against their encounter codes
    ("I.C.21.c.13", "prof", ["Z00.01", "I10"], ADULT, "F", []),
    ("I.C.21.c.16", "prof", ["I10", "Z00.00"], ADULT, "F",
     [("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", 1, ("Z00.00",), (), "warning")]),
    ("I.C.21.c.16", "inp", ["Z00.00"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("Z00.00",), (), "error")]),
    ("I.C.21.c.16", "prof", ["Z38.00", "P59.9"], NEWBORN, "M", []),
    ("I.C.21.c.16", "prof", ["P59.9", "Z38.00"], NEWBORN, "M",
     [("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", 1, ("Z38.00",), (), "warning")]),
    ("I.C.21.c.7", "prof", ["Z47.1", "Z96.651"], ADULT, "F", []),
    ("I.C.21.c.3", "prof", ["Z45.010", "Z95.0"], ADULT, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("Z95.0", "Z45.010"), (), "warning")]),
    ("I.C.21.c.3", "prof", ["E66.01", "Z68.41"], ADULT, "F", []),
    ("I.C.21.c.3", "prof", ["Z68.41", "E66.01"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("Z68.41",), (), "warning")]),
    # I.C.1.g.1.e: Z20.822 (exposure) is not coded once COVID-19 is confirmed
    ("I.C.1.g.1.e", "prof", ["U07.1", "Z20.822"], ADULT, "F", [gc(1, ("Z20.822", "U07.1"))]),
    ("I.C.1.g.1.e", "inp", ["U07.1", "J12.82", "Z20.822"], ADULT, "F",
     [gc(2, ("Z20.822", "U07.1"))]),
    ("I.C.1.g.1.e", "prof", ["Z20.822", "R05.9"], ADULT, "F", []),
    ("I.C.1.g.1.e", "prof", ["U07.1", "Z20.828"], ADULT, "F", []),
    # I.C.15.n: O80 with no other chapter 15 code, and Z37.0 its only outcome code
    ("I.C.15.n.1", "prof", ["O80", "O70.0", "Z37.0", "Z3A.39"], MOTHER, "F",
     [gc(0, ("O80", "O70.0"))]),
    ("I.C.15.n.1", "inp", ["O80", "O99.214", "E66.9", "Z37.0", "Z3A.39"], MOTHER, "F",
     [gc(0, ("O80", "O99.214"))]),
    ("I.C.15.n.3", "prof", ["O80", "Z37.2", "Z3A.39"], MOTHER, "F",
     [gc(0, ("O80", "Z37.2"), ())]),
    ("I.C.15.n.3", "prof", ["O70.0", "Z37.2", "Z3A.39"], MOTHER, "F", []),
    # O80 is full-term: 37 to 40 completed weeks (O60: preterm "before 37 completed
    # weeks"; O48.0: post-term "over 40 completed weeks"); the weeks of an inpatient stay
    # are those of its admission (4 days before the discharge here)
    ("I.C.15.n.1", "prof", ["O80", "Z37.0", "Z3A.36"], MOTHER, "F",
     [gc(0, ("O80", "Z3A.36"), ("O60.1-",))]),
    ("I.C.15.n.1", "prof", ["O80", "Z37.0", "Z3A.41"], MOTHER, "F",
     [gc(0, ("O80", "Z3A.41"), ("O48.0",))]),
    ("I.C.15.n.1", "prof", ["O80", "Z37.0", "Z3A.42"], MOTHER, "F",
     [gc(0, ("O80", "Z3A.42"), ("O48.0", "O48.1"))]),
    ("I.C.15.n.1", "inp", ["O80", "Z37.0", "Z3A.49"], MOTHER, "F",
     [gc(0, ("O80", "Z3A.49"), ("O48.1",))]),
    ("I.C.15.n.1", "inp", ["O80", "Z37.0", "Z3A.35"], MOTHER, "F",
     [gc(0, ("O80", "Z3A.35"), ("O60.1-",))]),
    ("I.C.15.n.1", "prof", ["O80", "Z37.0", "Z3A.37"], MOTHER, "F", []),
    ("I.C.15.n.1", "prof", ["O80", "Z37.0", "Z3A.40"], MOTHER, "F", []),
    ("I.C.15.n.1", "inp", ["O80", "Z37.0", "Z3A.36"], MOTHER, "F", []),
    ("I.C.15.n.1", "prof", ["O80", "Z37.0", "Z3A.00"], MOTHER, "F", []),
    # one finding for O80: its other chapter 15 code says it
    ("I.C.15.n.1", "prof", ["O80", "O60.14X0", "Z37.0", "Z3A.34"], MOTHER, "F",
     [gc(0, ("O80", "O60.14X0"))]),
    # I.C.15.a.1, I.C.15.d: hypertension in pregnancy is coded in chapter 15 (O10-O16);
    # pre-existing: O10.0- in place of I10 (its Excludes1), O10.1-O10.4 before I11-I13, I15
    ("I.C.15.d", "prof", ["O09.523", "I10", "Z3A.30"], MOTHER, "F",
     [om(1, "I10", "O09.523", "O10.0-")]),
    ("I.C.15.d", "inp", ["O26.893", "I11.9", "Z3A.30"], MOTHER, "F",
     [om(1, "I11.9", "O26.893", "O10.1-")]),
    ("I.C.15.d", "prof", ["O99.891", "I12.9", "N18.30"], MOTHER, "F",
     [om(1, "I12.9", "O99.891", "O10.2-")]),
    ("I.C.15.d", "prof", ["O90.89", "I15.8"], MOTHER, "F", [om(1, "I15.8", "O90.89", "O10.4-")]),
    # I10 first: one finding (the chapter 15 code it names goes first)
    ("I.C.15.d", "prof", ["I10", "O09.523", "Z3A.30"], MOTHER, "F",
     [om(0, "I10", "O09.523", "O10.0-")]),
    ("I.C.15.d", "prof", ["O10.013", "O09.523", "Z3A.30"], MOTHER, "F", []),
    ("I.C.15.d", "prof", ["O10.113", "I11.9", "Z3A.30"], MOTHER, "F", []),
    ("I.C.15.d", "prof", ["O10.213", "I12.9", "N18.30", "Z3A.30"], MOTHER, "F", []),
    ("I.C.15.d", "prof", ["O13.3", "O09.523", "Z3A.30"], MOTHER, "F", []),
    # hypertensive urgency: no O10 subcategory names I16 (an Excludes2 of its block)
    ("I.C.15.d", "prof", ["O16.3", "I16.0", "Z3A.30"], MOTHER, "F", []),
    # I.C.15.g: pre-existing diabetes, O24 first, followed by the E08-E13 code
    ("I.C.15.g", "prof", ["O09.523", "E11.9", "Z3A.30"], MOTHER, "F",
     [om(1, "E11.9", "O09.523", "O24.1-")]),
    ("I.C.15.g", "inp", ["O99.283", "E10.9", "Z3A.30"], MOTHER, "F",
     [om(1, "E10.9", "O99.283", "O24.0-")]),
    ("I.C.15.g", "prof", ["O90.89", "E13.9"], MOTHER, "F", [om(1, "E13.9", "O90.89", "O24.8-")]),
    ("I.C.15.g", "prof", ["E11.9", "O09.523", "Z3A.30"], MOTHER, "F",
     [om(0, "E11.9", "O09.523", "O24.1-")]),
    ("I.C.15.g", "inp", ["O24.113", "E11.9", "Z79.4", "Z3A.30"], MOTHER, "F", []),
    ("I.C.15.g", "prof", ["O24.013", "E10.9", "Z3A.30"], MOTHER, "F", []),
    # O80 with hypertension: O80 is not coded either (its own finding with the O10 code)
    ("I.C.15.d", "inp", ["O80", "I10", "Z37.0", "Z3A.39"], MOTHER, "F",
     [om(1, "I10", "O80", "O10.0-")]),
    # no chapter 15 code of a current pregnancy: incidental (Z33.1), abortive outcome,
    # sequela after the puerperium, weeks of gestation alone
    ("I.C.15.a.1", "prof", ["J18.9", "I10", "E11.9", "Z33.1", "Z3A.20"], MOTHER, "F", []),
    ("I.C.15.a.1", "prof", ["O03.9", "I10"], MOTHER, "F", []),
    ("I.C.15.q", "prof", ["O94", "I10"], MOTHER, "F", []),
    ("I.C.15.a.1", "prof", ["J18.9", "E11.9", "Z3A.20"], MOTHER, "F", []),
    # I.C.15.i: the O24.4- code says the control; no Z79.4 / Z79.84 / Z79.85 with it
    ("I.C.15.i", "prof", ["O24.414", "Z79.4", "Z3A.30"], MOTHER, "F",
     [gc(1, ("Z79.4", "O24.414"))]),
    ("I.C.15.i", "prof", ["O24.415", "Z79.84", "Z3A.30"], MOTHER, "F",
     [gc(1, ("Z79.84", "O24.415"))]),
    ("I.C.15.i", "prof", ["O24.414", "Z79.85", "Z3A.30"], MOTHER, "F",
     [gc(1, ("Z79.85", "O24.414"))]),
    ("I.C.15.i", "prof", ["O24.414", "Z3A.30"], MOTHER, "F", []),
    # pre-existing type 2 diabetes in pregnancy keeps its Z79.4 (I.C.15.h, I.C.4.a.3)
    ("I.C.15.h", "prof", ["O24.113", "E11.9", "Z79.4", "Z3A.30"], MOTHER, "F", []),
    # I.C.2.d, I.C.2.m: history of malignancy only when none is at the site
    ("I.C.2.d", "prof", ["C50.911", "Z85.3"], ADULT, "F", [gc(1, ("Z85.3", "C50.911"))]),
    ("I.C.2.d", "prof", ["Z85.3", "C50.911"], ADULT, "F", [gc(0, ("Z85.3", "C50.911"))]),
    ("I.C.2.d", "prof", ["C34.90", "Z85.3"], ADULT, "F", []),
    ("I.C.2.d", "prof", ["C34.90", "Z85.118"], ADULT, "M", [gc(1, ("Z85.118", "C34.90"))]),
    ("I.C.2.d", "prof", ["C61", "Z85.46"], ADULT, "M", [gc(1, ("Z85.46", "C61"))]),
    ("I.C.2.d", "prof", ["C44.311", "Z85.828"], ADULT, "F", []),
    # leukemia in remission: its Excludes1 note already says it (one finding)
    ("I.C.2.n", "prof", ["C91.11", "Z85.6"], ADULT, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("C91.11", "Z85.6"), (), "warning")]),
    # I.C.21.c.7: an injury's aftercare is the injury code with a subsequent 7th character
    ("I.C.21.c.7", "prof", ["Z47.89", "S72.001D"], ADULT, "F",
     [gc(0, ("Z47.89", "S72.001D"))]),
    ("I.C.21.c.7", "prof", ["S82.101G", "Z47.89"], ADULT, "F",
     [gc(1, ("Z47.89", "S82.101G"))]),
    ("I.C.21.c.7", "prof", ["Z48.02", "S61.411D"], ADULT, "F",
     [gc(0, ("Z48.02", "S61.411D"))]),
    ("I.C.21.c.7", "prof", ["S72.001D", "W19.XXXD"], ADULT, "F", []),
    ("I.C.21.c.7", "prof", ["Z48.3", "S61.411D"], ADULT, "F", []),
    ("I.C.21.c.7", "prof", ["Z47.89", "S72.001S"], ADULT, "F", []),
    # I.C.19.e.5.b: a poisoning first, then its manifestations
    ("I.C.19.e.5.b", "prof", ["R40.20", "T40.2X1A"], ADULT, "F", [gs("R40.20", "T40.2X1A")]),
    ("I.C.19.e.5.b", "inp", ["R40.20", "T40.2X1A"], ADULT, "F", [gs("R40.20", "T40.2X1A")]),
    ("I.C.19.e.5.b", "prof", ["J96.01", "T42.4X2A", "F32.A"], ADULT, "F",
     [gs("J96.01", "T42.4X2A")]),
    # an adverse effect follows its nature (5th/6th character 5): not a poisoning
    ("I.C.19.e.5.a", "prof", ["R40.20", "T40.2X5A"], ADULT, "F", []),
    # I.C.19.d.6: T31 is an additional code beside a burn of a specified site
    ("I.C.19.d.6", "prof", ["T31.10", "T22.211A"], ADULT, "F", [gs("T31.10", "T22.211A")]),
    ("I.C.19.d.1", "prof", ["T31.10", "T22.211A", "T23.301A", "X10.0XXA"], ADULT, "F",
     [gs("T31.10", "T23.301A")]),
    ("I.C.19.d.6", "prof", ["T22.211A", "T31.10"], ADULT, "F", []),
    ("I.C.19.d.6", "prof", ["T31.10", "J96.01"], ADULT, "F", []),
    # I.C.1.g.1.a, I.C.1.g.1.b: U07.1 first, then its respiratory manifestations
    ("I.C.1.g.1.b", "prof", ["J96.01", "U07.1"], ADULT, "F", [gs("J96.01", "U07.1")]),
    ("I.C.1.g.1.b", "inp", ["J80", "U07.1"], ADULT, "F", [gs("J80", "U07.1")]),
    ("I.C.1.g.1.b", "out", ["J96.01", "U07.1"], ADULT, "F", [gs("J96.01", "U07.1")]),
    ("I.C.1.g.1.b", "commercial", ["J22", "U07.1"], ADULT, "F", [gs("J22", "U07.1")]),
    ("I.C.1.g.1.b", "prof", ["U07.1", "J96.01", "J80"], ADULT, "F",
     [("DX_EXCLUDES1_CONFLICT", 2, ("J96.01", "J80"), (), "warning")]),
    ("I.C.1.g.1.b", "prof", ["U07.1", "J20.8", "J98.8"], ADULT, "F", []),
    # the exceptions: sepsis, transplant complications, obstetrics (I.C.15.s: O98.5- first)
    ("I.C.1.g.1.a", "prof", ["J96.01", "U07.1", "A41.89"], ADULT, "F", []),
    ("I.C.1.g.1.a", "prof", ["J96.01", "U07.1", "T86.11"], ADULT, "F", []),
    ("I.C.1.g.1.a", "prof", ["J96.01", "U07.1", "R65.21"], ADULT, "F", []),
    ("I.C.15.s", "prof", ["J96.01", "O98.513", "U07.1", "Z3A.30"], MOTHER, "F",
     [("DX_OBSTETRIC_NOT_FIRST", 0, ("J96.01", "O98.513"), ("O98.513",), "warning")]),
    # a pneumonia not due to COVID-19 is not a manifestation the row names
    ("I.C.1.g.1.a", "prof", ["J18.9", "U07.1"], ADULT, "F", []),
    # I.C.1.d.1.b: severe sepsis needs the code of its underlying systemic infection
    ("I.C.1.d.1.b", "prof", ["J18.9", "R65.20"], ADULT, "F",
     [("DX_ETIOLOGY_MISSING", 1, ("R65.20",), (), "warning")]),
    ("I.C.1.d.1.b", "inp", ["N39.0", "R65.21", "B96.20"], ADULT, "F",
     [("DX_ETIOLOGY_MISSING", 1, ("R65.21",), (), "warning")]),
    ("I.C.1.d.1.b", "prof", ["A41.51", "R65.21", "N39.0"], ADULT, "F", []),
    ("I.C.1.d.5.b", "prof", ["T81.44XA", "R65.20"], ADULT, "F", []),
    ("I.C.15.j", "prof", ["O85", "R65.20"], MOTHER, "F", []),
    # listed first it is DX_SECONDARY_ONLY_FIRST_LISTED's alone (one mistake, one finding)
    ("I.C.1.d.1.b", "prof", ["R65.20", "J18.9"], ADULT, "F",
     [("DX_SECONDARY_ONLY_FIRST_LISTED", 0, ("R65.20",), (), "warning")]),
    # I.C.9.e.1: an NSTEMI that evolves to a STEMI is coded as the STEMI (a review of 2026-12-06);
    # not beside a type 2 MI (I21.A1) nor a subsequent MI (I22: I.C.9.e.4)
    ("I.C.9.e.1", "prof", ["I21.09", "I21.4"], ADULT, "F", [gc(1, ("I21.4", "I21.09"))]),
    ("I.C.9.e.1", "inp", ["I21.4", "I21.11", "I21.29"], ADULT, "F",
     [gc(0, ("I21.4", "I21.11", "I21.29"))]),
    ("I.C.9.e.1", "prof", ["I21.4", "I21.A1"], ADULT, "F", []),
    ("I.C.9.e.1", "prof", ["I21.4", "I22.1"], ADULT, "F", []),
    # I.C.9.b: atherosclerotic heart disease with angina is one combination code, I25.11-
    # (the same review); not beside a graft's angina (I25.7-), whose native artery may have
    # none
    ("I.C.9.b", "prof", ["I25.10", "I25.119"], ADULT, "F", [gc(0, ("I25.10", "I25.119"))]),
    ("I.C.9.b", "inp", ["I25.110", "I25.10"], ADULT, "F", [gc(1, ("I25.10", "I25.110"))]),
    ("I.C.9.b", "prof", ["I25.10", "I25.700", "Z95.1"], ADULT, "F", []),
    # I.C.1.d.1.a: A41.9 only when the organism is not specified
    ("I.C.1.d.1.a", "prof", ["A41.51", "A41.9", "N39.0"], ADULT, "F",
     [gc(1, ("A41.9", "A41.51"))]),
    ("I.C.1.d.1.a", "inp", ["A41.9", "A41.01", "J15.211"], ADULT, "F",
     [gc(0, ("A41.9", "A41.01"))]),
    ("I.C.1.d.1.a", "prof", ["A41.9", "N39.0", "B96.20"], ADULT, "F", []),
    ("I.C.1.d.1.a", "prof", ["A41.01", "A41.51", "N39.0"], ADULT, "F", []),
    ("I.C.1.d.1.a", "prof", ["A40.1", "A41.9"], ADULT, "F",
     [("DX_EXCLUDES1_CONFLICT", 1, ("A41.9", "A40.1"), (), "warning")]),
    # I.C.20.c, I.C.20.k: one activity code and one external cause status code
    ("I.C.20.c", "prof", ["S72.001A", "W19.XXXA", "Y93.01", "Y93.02", "Y99.8"], ADULT, "F",
     [gc(3, ("Y93.02", "Y93.01"))]),
    ("I.C.20.k", "inp", ["S72.001A", "W19.XXXA", "Y99.8", "Y99.9"], ADULT, "F",
     [gc(3, ("Y99.9", "Y99.8"))]),
    ("I.C.20.k", "prof", ["S72.001A", "W19.XXXA", "Y99.0", "Y99.2"], ADULT, "F",
     [("DX_EXCLUDES1_CONFLICT", 3, ("Y99.0", "Y99.2"), (), "warning")]),
    ("I.C.20.c", "prof", ["S72.001A", "W19.XXXA", "Y92.009", "Y93.01", "Y99.8"], ADULT, "F",
     []),
    # I.C.20.b, I.C.20.c, I.C.20.k (Y92's note): place, activity and status at the initial
    # encounter only: not at a follow-up nor a sequela's visit, nor with an inpatient
    # stay's new injury (an initial encounter), nor beside any initial-encounter code
    ("I.C.20.b", "prof", ["S72.001D", "W19.XXXD", "Y92.009"], ADULT, "F",
     [gc(2, ("Y92.009", "S72.001D", "W19.XXXD"), ())]),
    ("I.C.20.c", "prof", ["S52.501D", "W19.XXXD", "Y93.01", "Y99.8"], ADULT, "F",
     [gc(2, ("Y93.01", "S52.501D", "W19.XXXD"), ()),
      gc(3, ("Y99.8", "S52.501D", "W19.XXXD"), ())]),
    ("I.C.20.c", "prof", ["M25.551", "S72.001S", "W19.XXXS", "Y93.01"], ADULT, "F",
     [gc(3, ("Y93.01", "S72.001S", "W19.XXXS"), ())]),
    ("I.C.20.k", "inp", ["S72.001K", "W19.XXXD", "Y99.8"], ADULT, "F",
     [gc(2, ("Y99.8", "S72.001K", "W19.XXXD"), ())]),
    ("I.C.20.b", "prof", ["S72.001D", "S52.501A", "W19.XXXD", "W19.XXXA", "Y92.009"], ADULT,
     "F", []),
    # (not I.C.20.b's: an initial encounter; the external cause's own 7th character is
    # I.C.20.a.2's)
    ("I.C.20.b", "prof", ["S72.001A", "W19.XXXD", "Y92.009"], ADULT, "F",
     [gc(1, ("W19.XXXD", "S72.001A"), ("W19.XXXA",))]),
    ("I.C.20.b", "prof", ["M80.051A", "S52.501D", "Y92.009"], ADULT, "F", []),
    # T86.84-'s 7th character is the eye (T86.8401: corneal transplant rejection, right
    # eye), no encounter: not a later encounter's code, beside Y92 or with a follow-up's
    ("I.C.20.b", "prof", ["T86.8401", "Y83.0", "Y92.538"], ADULT, "F", []),
    ("I.C.20.b", "prof", ["S72.001D", "T86.8412", "W19.XXXD", "Y92.009"], ADULT, "F",
     [gc(3, ("Y92.009", "S72.001D", "W19.XXXD"), ())]),
    ("I.C.20.c", "prof", ["M77.11", "Y93.73"], ADULT, "F", []),
    # I.C.19.f, Y07's note: a perpetrator code for confirmed abuse (T74.-) only
    ("I.C.19.f", "prof", ["T76.12XA", "S42.301A", "Y07.11"], "2021-06-01", "F",
     [gc(2, ("Y07.11", "T76.12XA"), ())]),
    ("I.C.19.f", "prof", ["T74.12XA", "S42.301A", "Y04.0XXA", "Y07.11"], "2021-06-01", "F",
     []),
    ("I.C.19.f", "prof", ["O9A.312", "S30.1XXA", "Y07.03", "Z3A.20"], MOTHER, "F", []),
    # I.C.19.d.6, the notes of T31 and T32: the extent of burns (T31) beside burns, of
    # corrosions (T32) beside corrosions; the fix is the other category's code
    ("I.C.19.d.6", "prof", ["T22.611A", "T31.10"], ADULT, "F",
     [gc(1, ("T31.10", "T22.611A"), ("T32.10",))]),
    ("I.C.19.d.6", "prof", ["T24.311A", "T21.21XA", "T32.21"], ADULT, "F",
     [gc(2, ("T32.21", "T24.311A", "T21.21XA"), ("T31.21",))]),
    ("I.C.19.d.6", "prof", ["T22.611A", "T23.211A", "T31.10", "T32.10"], ADULT, "F", []),
    ("I.C.19.d.6", "prof", ["T22.211A", "T31.10"], ADULT, "F", []),
    ("I.C.19.d.6", "prof", ["T22.611A", "T32.10"], ADULT, "F", []),
    # I.C.20.b: "generally" one place of occurrence, and another for a new injury during
    # a hospitalization: not judged
    ("I.C.20.b", "inp", ["S72.001A", "W19.XXXA", "Y92.009", "Y92.230"], ADULT, "F", []),
    # I.C.19.a: one injury is for the initial encounter (active treatment) or a later one
    ("I.C.19.a", "prof", ["S72.001A", "S72.001D", "W19.XXXA"], ADULT, "F",
     [gc(1, ("S72.001D", "S72.001A"))]),
    ("I.C.19.a", "out", ["S52.501D", "S52.501A"], ADULT, "F",
     [gc(0, ("S52.501D", "S52.501A"))]),
    ("I.C.19.a", "prof", ["S72.001A", "S72.002D", "W19.XXXA", "W19.XXXD"], ADULT, "F", []),
    ("I.C.19.a", "prof", ["S72.001A", "S72.001S"], ADULT, "F", []),
    # I.C.19.e.5: one drug correctly used (adverse effect) or improperly (poisoning)
    ("I.C.19.e.5", "prof", ["T42.4X1A", "R41.82", "T42.4X5A"], ADULT, "F",
     [gc(2, ("T42.4X5A", "T42.4X1A"))]),
    ("I.C.19.e.5", "prof", ["T43.011A", "R41.82", "T42.4X5A"], ADULT, "F", []),
    ("I.C.19.e.5", "prof", ["T42.4X1A", "R41.82", "T42.4X6A"], ADULT, "F", []),
]


@pytest.mark.parametrize(("section", "kind", "dx", "born", "sex", "expected"), SCENARIOS,
                         ids=[f"{s[0]}-{s[1]}-{'+'.join(s[2])}" for s in SCENARIOS])
def test_guideline_scenario(section: str, kind: str, dx: list[str], born: str, sex: str,
                            expected: Found) -> None:
    assert group_b(kind, dx, born, sex) == expected, section


def test_an_inpatient_principal_the_mce_bars_names_the_code_its_note_asks_for() -> None:
    """Guidelines I.A.13 ("Code first") and I.C.1.d.1.a.ii (R65.2- is never the principal
    diagnosis; the underlying infection is sequenced first): on an inpatient claim the MCE
    finding replaces DX_CODE_FIRST_ORDER on the same code, so it must name what the
    replaced finding named, as it does on the secondary-only and I/OCE lists."""
    report = CHECKERS["inp"].check(Claim.from_dict(claim("inp", ["R65.20", "A41.9"], ADULT,
                                                         "F")))
    (f,) = [f for f in report.findings if f.rule in GROUP_B]
    assert (f.rule, f.fix) == ("DX_SECONDARY_ONLY_FIRST_LISTED", ("A41.9",))
    assert f.message == ("R65.20 is unacceptable as the principal diagnosis of an inpatient "
                         "claim (MCE list): choose the condition chiefly responsible for the "
                         "admission (A41.9 here).")
    # without the code the note names, the message and fix are as before
    report = CHECKERS["inp"].check(Claim.from_dict(claim("inp", ["R65.21", "A41.51"], ADULT,
                                                         "F")))
    (f,) = [f for f in report.findings if f.rule in GROUP_B]
    assert (f.fix, f.message) == ((), (
        "R65.21 is unacceptable as the principal diagnosis of an inpatient claim (MCE list): "
        "choose the condition chiefly responsible for the admission."))



@pytest.mark.parametrize(("kind", "dx", "message", "fix"), [
    ("prof", ["T46.5X6A", "I10", "Z91.120"], "T46.5X6A is never listed first: list the "
     "condition the underdosing caused first (Guideline I.C.19.e.5.c).", ()),
    ("prof", ["R65.21", "A41.51"], "R65.21 is never listed first: list the underlying "
     "infection first (Guideline I.C.1.d.1.a.ii).", ()),
    ("prof", ["R65.20", "A41.9"], "R65.20 is never listed first: list the underlying "
     "infection (A41.9 here) first (Guideline I.C.1.d.1.a.ii).", ("A41.9",)),
    ("prof", ["R65.11", "T20.211A"], "R65.11 is never listed first: list the injury or "
     "condition that caused it (T20.211A here) first (Guideline I.C.18.g).", ("T20.211A",)),
    ("commercial", ["T38.3X6A", "E11.65"], "T38.3X6A is never listed first: list the "
     "condition the underdosing caused first (Guideline I.C.19.e.5.c).", ())],
    ids=["underdosing", "severe-sepsis", "severe-sepsis-named", "sirs", "commercial"])
def test_codes_the_guidelines_never_list_first(kind: str, dx: list[str], message: str,
                                               fix: tuple[str, ...]) -> None:
    """I.C.19.e.5.c: "Codes for underdosing should never be assigned as principal or
    first-listed codes"; I.C.1.d.1.a.ii: "A code from subcategory R65.2 can never be
    assigned as a principal diagnosis"; I.C.18.g: SIRS of non-infectious origin (R65.1-)
    follows the injury or condition. Only the MCE and I/OCE lists caught them (institutional
    claims, which keep those lists: test_mce_crosscheck, test_ioce_crosscheck); R65.2's
    "Code first ... such as" names A41.9, not A41.51."""
    (f,) = [f for f in CHECKERS[kind].check(Claim.from_dict(
        claim(kind, dx, ADULT, "F"))).findings if f.rule in GROUP_B]
    assert (f.rule, f.location, f.message, f.fix) == (
        "DX_SECONDARY_ONLY_FIRST_LISTED", ("diagnoses", 0), message, fix)


@pytest.mark.parametrize(("dx", "day", "rule", "message"), [
    (["U07.1", "Z20.822"], "2025-11-03", "DX_GUIDELINE_CONFLICT",
     "Z20.822 with U07.1: contact with or suspected exposure to COVID-19 is not coded once "
     "COVID-19 is confirmed: remove Z20.822 (Guideline I.C.1.g.1.e)."),
    (["O80", "O70.0", "Z37.0"], "2025-11-03", "DX_GUIDELINE_CONFLICT",
     "O80 with O70.0: O80 is a full-term uncomplicated delivery of a single liveborn infant, "
     "not reported with another chapter 15 code nor with an outcome of delivery other than "
     "Z37.0: remove O80 and code what the delivery had (Guidelines I.C.15.n.1, I.C.15.n.3)."),
    (["O24.414", "Z79.4"], "2025-11-03", "DX_GUIDELINE_CONFLICT",
     "Z79.4 with O24.414: O24.4- codes say how the gestational diabetes is controlled "
     "(diet, insulin or oral hypoglycemic drugs: here O24.414), and the long-term (current) "
     "drug therapy code Z79.4 is not assigned with them: remove Z79.4 (Guideline "
     "I.C.15.i)."),
    (["C50.911", "Z85.3"], "2025-11-03", "DX_GUIDELINE_CONFLICT",
     "Z85.3 with C50.911: Z85.3 is for a primary malignancy excised or eradicated from its "
     "site, with no further treatment directed to it and no evidence of it there, but "
     "C50.911 codes a current malignancy of that site: remove Z85.3, unless the provider "
     "documents C50.911 as a new primary distinct from the former one (Guidelines I.C.2.d, "
     "I.C.2.m)."),
    (["Z47.89", "S72.001D"], "2025-11-03", "DX_GUIDELINE_CONFLICT",
     "Z47.89 with S72.001D: aftercare Z codes are not used for injuries: the injury code "
     "with its subsequent-encounter 7th character (S72.001D) reports the aftercare: remove "
     "Z47.89, unless it is for the aftercare of another condition (Guideline I.C.21.c.7)."),
    (["R40.20", "T40.2X1A"], "2025-11-03", "DX_GUIDELINE_SEQUENCE",
     "T40.2X1A should be listed before R40.20: a poisoning (T36-T50, 6th character 1-4) is "
     "sequenced first, followed by the codes of its manifestations, unless R40.20 is "
     "unrelated to the poisoning (Guideline I.C.19.e.5.b)."),
    (["T31.10", "T22.211A"], "2025-11-03", "DX_GUIDELINE_SEQUENCE",
     "T22.211A should be listed before T31.10: T31 and T32 (burns and corrosions by extent "
     "of body surface) are first-listed only when the site is unspecified; with a burn or "
     "corrosion of a specified site (T20-T25) they are additional codes, after the site of "
     "the highest degree (Guideline I.C.19.d.6)."),
    # the first dates: U07.1 from 2020-04-01, Z20.822 from 2021-01-01; FY2016
    (["U07.1", "Z20.822"], "2021-01-01", "DX_GUIDELINE_CONFLICT", None),
    (["C50.911", "Z85.3"], "2015-10-01", "DX_GUIDELINE_CONFLICT", None),
    (["R40.20", "T40.2X1A"], "2015-10-01", "DX_GUIDELINE_SEQUENCE", None),
], ids=["covid", "o80", "gestational", "history", "aftercare", "poisoning", "burns",
        "covid-2021-01-01", "history-fy2016", "poisoning-fy2016"])
def test_the_guideline_pairs_say_what_to_do(dx: list[str], day: str, rule: str,
                                            message: str | None) -> None:
    """The messages name the guideline and the code to remove or to list first; the rows
    hold from the first day their codes are valid."""
    data = {**claim("prof", dx, ADULT, "F"), "date_of_service": day}
    (f,) = [f for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule in GROUP_B]
    assert f.rule == rule
    if message is not None:
        assert f.message == message


@pytest.mark.parametrize(("dx", "day", "rules"), [
    # Z20.822 is not valid before 2021-01-01: its validity finding only
    (["U07.1", "Z20.822"], "2020-12-31", ["DX_NOT_VALID_ON_DOS"]),
    # U07.1 is not valid before 2020-04-01
    (["U07.1", "Z20.828"], "2020-03-31", ["DX_NOT_VALID_ON_DOS"]),
    # Z79.84 and O24.415 are valid from 2016-10-01
    (["O24.415", "Z79.84"], "2016-09-30", ["DX_NOT_VALID_ON_DOS", "DX_NOT_VALID_ON_DOS"]),
    (["O24.415", "Z79.84"], "2016-10-01", ["DX_GUIDELINE_CONFLICT"]),
    (["U07.1"], "2025-11-03", []),
], ids=["z20822-before", "u071-before", "z7984-before", "z7984-from", "u071-alone"])
def test_the_guideline_pairs_take_no_code_before_its_date(dx: list[str], day: str,
                                                          rules: list[str]) -> None:
    data = {**claim("prof", dx, MOTHER, "F"), "date_of_service": day}
    found = [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
             if f.rule.startswith("DX_")]
    assert found == rules


@pytest.mark.parametrize(("dx", "expected"), [
    # the uncomplicated code of a pattern of use beside another code of the pattern: of
    # each substance, pattern (abuse, dependence, use) and nicotine product
    (["F11.20", "F11.23"], [(0, ("F11.20", "F11.23"), ("F11.23",))]),
    (["F12.90", "F12.91"], [(0, ("F12.90", "F12.91"), ("F12.91",))]),
    (["F10.120", "F10.10"], [(1, ("F10.10", "F10.120"), ("F10.120",))]),
    (["F17.210", "F17.213"], [(0, ("F17.210", "F17.213"), ("F17.213",))]),
    # not the same pattern or product: two products of nicotine, two complications,
    # abuse beside dependence (DX_EXCLUDES1_CONFLICT's); a code alone
    (["F17.210", "F17.290"], []), (["F17.200", "F17.213"], []),
    (["F10.220", "F10.229"], []), (["F10.10", "F10.20"], []), (["F10.20"], []),
    # septic shock: R65.21 alone is clean
    (["A41.9", "R65.21"], []),
], ids=["opioid", "cannabis-use", "alcohol-abuse", "cigarettes", "two-products",
        "product-unspecified", "two-complications", "abuse-dependence", "alone", "shock"])
def test_one_code_says_the_pattern_of_use_and_the_shock(
        dx: list[str], expected: list[tuple[int, tuple[str, ...], tuple[str, ...]]]) -> None:
    """I.C.5.b.2, I.B.9: an "uncomplicated" code of a substance's pattern of use beside
    another code of that pattern is removed; I.C.1.d.2: R65.20 beside R65.21."""
    report = CHECKERS["prof"].check(Claim.from_dict(claim("prof", dx, ADULT, "F")))
    assert [(f.location[1], f.codes, f.fix) for f in report.findings
            if f.rule == "DX_GUIDELINE_CONFLICT"] == expected


def test_the_facts_mark_the_codes_of_the_guideline_tables() -> None:
    """The edits run only on claims whose facts carry the bits (``dx-guideline-pair``,
    ``dx-guideline-first``): every code a row names has them, a code no row names not."""
    from codekit import icd10cm
    from codekit.icd10cm import Facts

    def bits(code: str) -> int:
        f = icd10cm.facts(code, on=DAY)
        assert f is not None
        return f.bits & (Facts.GUIDELINE_DROP | Facts.GUIDELINE_PARTNER
                         | Facts.GUIDELINE_FIRST | Facts.GUIDELINE_AFTER
                         | Facts.GUIDELINE_SAME)

    drop, partner, first = Facts.GUIDELINE_DROP, Facts.GUIDELINE_PARTNER, \
        Facts.GUIDELINE_FIRST
    same = Facts.GUIDELINE_SAME  # removed only beside a code of its own category
    assert [bits(c) for c in ("Z20.822", "O80", "Z79.4", "Z79.84", "Z85.3", "Z47.89",
                              "Z48.02")] == [drop] * 7
    after = Facts.GUIDELINE_AFTER
    assert [bits(c) for c in ("Z37.2", "C34.90")] == [partner, partner | after]
    # U07.1 rules out Z20.822 and goes before its respiratory manifestations (I.C.1.g.1.b)
    assert bits("U07.1") == partner | first
    # an injury for a subsequent encounter rules out aftercare codes and is ruled out by
    # the same injury for the initial encounter (I.C.19.a), which rules it out
    assert [bits(c) for c in ("S72.001D", "S82.101G")] == [partner | same] * 2
    assert [bits(c) for c in ("S72.001A", "S82.101B")] == [partner] * 2
    # O24.414 rules out Z79.4 and O24.410, and is ruled out by another O24 code
    assert bits("O24.414") == partner | drop
    # a poisoning goes first and rules out an adverse effect of its drug (I.C.19.e.5)
    assert [bits(c) for c in ("T40.2X1A", "T42.4X4A")] == [first | partner] * 2
    # (the initial encounter's codes of chapter 19 may rule out their subsequent one; a
    # code for a later encounter rules out a place, activity or status code, I.C.20.b)
    assert [bits(c) for c in ("T40.2X5A", "T42.4X5D")] == [same | partner, same | partner]
    assert [bits(c) for c in ("W19.XXXD", "W19.XXXS", "W19.XXXA")] == [partner, partner, 0]
    # A41.9 beside a sepsis of a specified organism; a sepsis code goes before a localized
    # infection present on admission (I.C.1.d.1.a, I.C.1.d.4)
    assert bits("A41.9") == drop | first | after
    assert [bits(c) for c in ("A41.51", "A40.1", "B37.7")] == \
        [partner | first | after, first | after, first | after]
    # (and removed beside a code for a later encounter only: I.C.20.c, I.C.20.k)
    assert [bits(c) for c in ("Y93.01", "Y99.8")] == [drop | same | partner] * 2
    assert [bits(c) for c in ("Y92.009", "Y07.11")] == [drop] * 2
    # T31 beside corrosions of a site, T32 beside burns (I.C.19.d.6)
    assert [bits(c) for c in ("T31.10", "T32.10")] == [drop | after] * 2
    # a burn of a site goes before T31/T32, may be listed before a burn of a higher degree
    # and is coded once at its site's highest degree (drop, partner); coded for a
    # subsequent encounter it rules out aftercare codes too
    assert bits("T22.211A") == same | partner | first | after
    assert bits("T22.211D") == same | partner | first | after
    assert [bits(c) for c in ("Z37.0", "Z79.01", "Z85.828", "Z48.3", "Y92.9",
                              "O70.0")] == [0, 0, 0, 0, drop, 0]
    # the codes a sequence row may find first-listed: conditions
    after = Facts.GUIDELINE_AFTER
    assert [bits(c) for c in ("R40.20", "E11.9", "J96.01")] == [after] * 3
    assert bits("C50.911") == partner | after


@pytest.mark.parametrize(("dx", "planned"), [
    (["S72.001D", "S72.001A"], True),  # one injury for two encounters (I.C.19.a)
    (["S72.001D", "S72.002A"], False),  # two injuries of one category: no row pairs them
    (["T42.4X5A", "T42.4X1A"], True),  # one drug's adverse effect and poisoning
    (["T42.4X5A", "T42.3X1A"], False),  # two drugs of one category
    (["T22.211A", "T22.311A"], True),  # one site and side in two degrees (I.C.19.d.2)
    (["T22.211A", "T22.312A"], False),  # the two sides
    (["Y93.01", "Y93.02"], True),  # two activity codes (I.C.20.c)
])
def test_the_rows_of_one_category_run_where_two_codes_share_a_key(dx: list[str],
                                                                   planned: bool) -> None:
    """``DX_GUIDELINE_CONFLICT``'s rows of one category are planned
    (``dx-guideline-pair``) only on a claim two of whose codes share a key of
    ``Facts.guideline_kin``: a category written twice is not enough (most claims with
    injuries have an initial and a subsequent encounter of different injuries)."""
    from codekit.rules import ClaimContext

    c = Claim.from_dict(claim("inp", ["I10", *dx], ADULT, "F"))
    ctx = ClaimContext(c, CHECKERS["inp"].route(c).profile)
    assert ("dx-guideline-pair" in ctx.features) is planned


@pytest.mark.parametrize(("dx", "pair", "rows"), [
    # an external cause of another encounter than every injury's; a superficial injury
    # beside another injury of its region and encounter: planned, the rows not read
    (["S52.521A", "W19.XXXD"], True, False), (["S80.01XA", "S82.201A"], True, False),
    # the external cause of the injury's encounter, or of one of two; a superficial
    # injury of another region or encounter: not planned
    (["S52.521A", "W19.XXXA"], False, False), (["S52.521A", "S82.001D", "W19.XXXD"], False,
                                               False),
    (["S80.01XA", "S52.001A"], False, False), (["S80.01XA", "S82.001D"], False, False),
    # a row's pair: planned, its rows read
    (["S72.001A", "S72.001D"], True, True),
])
def test_the_checks_without_rows_are_planned_by_their_codes(dx: list[str], pair: bool,
                                                            rows: bool) -> None:
    """``dx-guideline-pair`` plans I.C.20.a.2 and I.C.19.b.1 only where they may fire (an
    external cause whose 7th character no injury has, ``Facts.encounter``; a
    superficial injury, ``Facts.SUPERFICIAL``, beside another injury of its region and
    encounter); ``dx-guideline-rows`` says whether the rows may pair two codes."""
    from codekit.rules import ClaimContext

    c = Claim.from_dict(claim("inp", ["I10", *dx], ADULT, "F"))
    ctx = ClaimContext(c, CHECKERS["inp"].route(c).profile)
    assert ("dx-guideline-pair" in ctx.features) is pair
    assert ("dx-guideline-rows" in ctx.features) is rows


def test_the_facts_carry_the_encounter_of_an_injury_and_of_an_external_cause() -> None:
    """``Facts.bits`` say a code's encounter (its 7th character, ``Facts.encounter``):
    ``INJURY_*`` for an injury of chapter 19 or a fracture of chapter 13, ``CAUSE_*`` for
    an external cause code, a sequela cause both ``CAUSE_*`` bits."""
    from codekit import icd10cm
    from codekit.icd10cm import Facts

    every = (Facts.INJURY_INITIAL | Facts.INJURY_SUBSEQUENT | Facts.INJURY_SEQUELA
             | Facts.CAUSE_INITIAL | Facts.CAUSE_SUBSEQUENT)

    def encounter(code: str) -> int:
        f = icd10cm.facts(code, on=DAY)
        assert f is not None
        return f.bits & every

    assert [encounter(c) for c in ("S52.521A", "S72.001G", "S72.002S", "M80.051A",
                                   "W19.XXXA", "W01.0XXD", "W19.XXXS", "Y92.009",
                                   "M54.50", "M1A.0110")] == [
        Facts.INJURY_INITIAL, Facts.INJURY_SUBSEQUENT, Facts.INJURY_SEQUELA,
        Facts.INJURY_INITIAL, Facts.CAUSE_INITIAL, Facts.CAUSE_SUBSEQUENT,
        Facts.CAUSE_INITIAL | Facts.CAUSE_SUBSEQUENT, 0, 0, 0]
    assert every < 2 ** 30  # the bits stay a one-digit integer


def test_every_test_of_an_encounter_reads_the_7th_character_as_encounter_does() -> None:
    """``initial``, ``not_initial`` and the SEQUELA bit say what ``encounter`` says of
    every billable code of two fiscal years; a 7th character that is no encounter is of
    none (T86.8401, corneal transplant rejection, right eye, of FY2025: the eye; M1A.0110:
    a tophus)."""
    from codekit import icd10cm
    from codekit.icd10cm import Facts, guidelines

    sequela: dict[str, str] = {}  # category -> its first sequela code (of S00-T88)
    for day in ("2024-10-01", "2025-10-01"):
        for c in icd10cm.codes(on=day):
            enc = guidelines.encounter(c)
            assert guidelines.initial(c) is (enc == "A"), c
            assert guidelines.not_initial(c) is (enc in ("D", "S") and c[0] != "M"), c
            if c[0] in "ST" and enc == "S":
                sequela.setdefault(c[:3], c)
    assert len(sequela) == 166
    for c in sequela.values():
        f = icd10cm.facts(c, on="2025-10-01")
        assert f is not None and f.bits & Facts.SEQUELA, c
    f = icd10cm.facts("M80051S", on="2025-10-01")  # a fracture's sequela: not S00-T88's
    assert f is not None and not f.bits & Facts.SEQUELA
    assert guidelines.encounter("T868401") is None
    assert not guidelines.not_initial("T868401")


INJURIES = ("S52.521A", "S82.001D", "S72.002S")  # three categories: no row pairs them
CAUSES = ("W19.XXXA", "W01.0XXD", "W10.0XXS")


@pytest.mark.parametrize("injuries", [
    [x for i, x in enumerate(INJURIES) if n >> i & 1] for n in range(8)])
@pytest.mark.parametrize("causes", [
    [x for i, x in enumerate(CAUSES) if n >> i & 1] for n in range(1, 8)])
def test_the_encounter_bits_plan_i_c_20_a_2_where_the_codes_do(
        injuries: list[str], causes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The claim context tells from the diagnoses' encounter bits that no external cause
    has an encounter no injury has (I.C.20.a.2) without looking at the codes: every set
    of injuries' and causes' encounters is planned as the codes say, and the codes are
    looked at only where the bits say "maybe": every set with a mismatch, and a few
    without one (a sequela cause reads as an initial and a subsequent one)."""
    from codekit.rules import ClaimContext

    looked: list[bool] = []
    look = ClaimContext._encounter_mismatch

    def counted(self: ClaimContext) -> bool:
        looked.append(True)
        return look(self)

    monkeypatch.setattr(ClaimContext, "_encounter_mismatch", counted)
    c = Claim.from_dict(claim("inp", ["I10", *injuries, *causes], ADULT, "F"))
    ctx = ClaimContext(c, CHECKERS["inp"].route(c).profile)
    kinds = {x[-1] for x in injuries}
    mismatch = bool(kinds) and not {x[-1] for x in causes} <= kinds
    assert ("dx-guideline-pair" in ctx.features) is mismatch
    # the bits: a sequela cause reads as an initial and a subsequent one
    ca, cd = (any(x[-1] in ("S", k) for x in causes) for k in ("A", "D"))
    maybe = bool(kinds) and ((ca and "A" not in kinds) or (cd and "D" not in kinds)
                             or (ca and cd and "S" not in kinds))
    assert maybe >= mismatch
    assert bool(looked) is maybe


def test_a_code_a_lines_date_made_invalid_leaves_its_encounter_out() -> None:
    """A diagnosis valid on the claim's date but not on the date of the line pointing to
    it (S31.656A, new on 2025-10-01, on a line of 2025-09-30) is not valid: its encounter
    (initial) does not count, and W19.XXXA is judged against S52.521D alone (the bits
    of the claim still hold S31.656A's: the codes say)."""
    data = {"claim_type": "professional", "payer": "medicare", "date_of_service": "2025-10-01",
            "patient": {"sex": "F", "birth_date": ADULT},
            "diagnoses": ["S52.521D", "W19.XXXA", "S31.656A"],
            "service_lines": [
                {"line": 1, "procedure_code": "99213", "units": 1,
                 "diagnosis_pointers": [1, 2]},
                {"line": 2, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [3],
                 "date_of_service": "2025-09-30"}]}
    found = [(f.rule, f.location, f.codes, f.fix)
             for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
             if f.rule in ("DX_GUIDELINE_CONFLICT", "DX_NOT_VALID_ON_DOS")]
    assert found == [("DX_NOT_VALID_ON_DOS", ("diagnoses", 2), ("S31.656A",), ("S31.659A",)),
                     ("DX_GUIDELINE_CONFLICT", ("diagnoses", 1), ("W19.XXXA", "S52.521D"),
                      ("W19.XXXD",))]


def test_a_sequela_of_chapter_19_is_marked() -> None:
    """``Facts.SEQUELA`` (S00-T88, 7th character S): first-listed, the claim context plans
    ``DX_GUIDELINE_SEQUENCE``."""
    from codekit import icd10cm
    from codekit.icd10cm import Facts

    def sequela(code: str) -> bool:
        f = icd10cm.facts(code, on=DAY)
        assert f is not None
        return bool(f.bits & Facts.SEQUELA)

    assert [sequela(c) for c in ("S72.002S", "T40.2X1S", "S72.002D", "M25.552", "T31.10")] \
        == [True, True, False, False, False]


def _delivery(kind: str, dx: list[str], procedures: list[str],
              line: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...], str]]:
    """DX_GUIDELINE_CONFLICT findings of a delivery: an inpatient stay (111, admitted
    2025-11-02, discharged 2025-11-03) with ``procedures``, or a professional claim with
    the delivery's CPT code ``line``."""
    if kind == "inp":
        data = {**claim("inp", dx, MOTHER, "F"), "admission_date": "2025-11-02",
                "procedures": list(procedures)}
    else:
        data = {**claim("prof", dx, MOTHER, "F"),
                "service_lines": [{"line": 1, "procedure_code": line, "units": 1,
                                   "diagnosis_pointers": [1]}]}
    return [(f.rule, f.codes, f.fix, f.message) for f in CHECKERS[kind].check(
        Claim.from_dict(data)).findings if f.rule == "DX_GUIDELINE_CONFLICT"]


_SPONTANEOUS = ("O80 is a spontaneous, full-term, vaginal delivery of a single liveborn "
                "infant requiring minimal or no assistance, without instrumentation or fetal "
                "manipulation, but ")


@pytest.mark.parametrize(("kind", "dx", "procedures", "line", "expected"), [
    ("inp", ["O80", "Z37.0", "Z3A.39"], ["10D00Z1"], "", [(
        ("O80", "10D00Z1"), (),
        "O80 with 10D00Z1: " + _SPONTANEOUS + "10D00Z1 (Extraction of Products of "
        "Conception, Low, Open Approach) is a cesarean delivery: remove O80 and code what "
        "the delivery was (a cesarean's indication, or O82 without one), unless 10D00Z1 is "
        "in error (Guideline I.C.15.n.1 and O80's inclusion note).")]),
    ("inp", ["O80", "Z37.0", "Z3A.39"], ["10D07Z3"], "", [(
        ("O80", "10D07Z3"), (),
        "O80 with 10D07Z3: " + _SPONTANEOUS + "10D07Z3 (Extraction of Products of "
        "Conception, Low Forceps, Via Natural or Artificial Opening) is an assisted "
        "(extraction) delivery: remove O80 and code what the delivery was, unless 10D07Z3 "
        "is in error (Guideline I.C.15.n.1 and O80's inclusion note).")]),
    ("inp", ["O80", "Z37.0", "Z3A.39"], ["10D07Z6"], "", [(("O80", "10D07Z6"), (), None)]),
    ("inp", ["O80", "Z37.0", "Z3A.39"], ["10D07Z7"], "", [(("O80", "10D07Z7"), (), None)]),
    # O80 alone on the claim still judged (and the MCE's missing outcome is its own edit)
    ("inp", ["O80"], ["10D00Z0"], "", [(("O80", "10D00Z0"), (), None)]),
    # a preterm weeks code and a cesarean: one finding naming both
    ("inp", ["O80", "Z37.0", "Z3A.34"], ["10D00Z1"], "", [(
        ("O80", "Z3A.34", "10D00Z1"), ("O60.1-",),
        "O80 with Z3A.34 and 10D00Z1: " + _SPONTANEOUS + "Z3A.34 puts the delivery before "
        "37 completed weeks, preterm (O60.1-); 10D00Z1 (Extraction of Products of "
        "Conception, Low, Open Approach) is a cesarean delivery: remove O80 and code what "
        "the delivery was (a cesarean's indication, or O82 without one), unless Z3A.34 and "
        "10D00Z1 are in error (Guideline I.C.15.n.1 and O80's inclusion note).")]),
    ("prof", ["O80", "Z37.0", "Z3A.39"], [], "59510", [(
        ("O80", "59510"), (),
        "O80 with 59510: " + _SPONTANEOUS + "59510 is a cesarean delivery: remove O80 and "
        "code what the delivery was (a cesarean's indication, or O82 without one), unless "
        "59510 is in error (Guideline I.C.15.n.1 and O80's inclusion note).")]),
    ("prof", ["O80", "Z37.0", "Z3A.39"], [], "59618", [(("O80", "59618"), (), None)]),
    # spontaneous vaginal deliveries: clean
    ("inp", ["O80", "Z37.0", "Z3A.39"], ["10E0XZZ", "0W8NXZZ"], "", []),
    ("prof", ["O80", "Z37.0", "Z3A.39"], [], "59400", []),
    ("prof", ["O80", "Z37.0", "Z3A.39"], [], "59409", []),
    # a cesarean with its indication: no O80 (O82 without one)
    ("inp", ["O82", "Z37.0", "Z3A.39"], ["10D00Z1"], "", []),
    ("inp", ["O32.1XX0", "Z37.0", "Z3A.39"], ["10D00Z1"], "", []),
], ids=["cesarean", "forceps", "vacuum", "version", "o80-alone", "preterm-cesarean",
        "cpt-cesarean", "cpt-vbac-cesarean", "spontaneous", "cpt-vaginal", "cpt-vaginal-only",
        "o82", "breech"])
def test_o80_is_a_spontaneous_vaginal_delivery(
        kind: str, dx: list[str], procedures: list[str], line: str,
        expected: list[tuple[tuple[str, ...], tuple[str, ...], str | None]]) -> None:
    """Guideline I.C.15.n.1 and O80's inclusion note: "Delivery requiring minimal or no
    assistance, with or without episiotomy, without fetal manipulation [e.g., rotation
    version] or instrumentation [forceps] of a spontaneous, cephalic, vaginal, full-term,
    single, live-born infant": not with a cesarean (ICD-10-PCS 10D00-, CPT 59510...) nor an
    extraction through the natural opening (10D07-: forceps, vacuum, internal version)."""
    found = _delivery(kind, dx, procedures, line or "59400")
    assert [(codes, fix) for _, codes, fix, _ in found] == [(c, f) for c, f, _ in expected]
    for (_, _, _, message), (_, _, said) in zip(found, expected, strict=True):
        if said is not None:
            assert message == said


def _liveborn(kind: str, dx: list[str], born: str, admitted: str | None,
              day: str = DAY) -> list[tuple[str, int, tuple[str, ...], str]]:
    data = {**claim(kind, dx, born, "M"), "date_of_service": day}
    if admitted is None:
        data.pop("admission_date", None)
    else:
        data["admission_date"] = admitted
    report = CHECKERS[kind].check(Claim.from_dict(data))
    return [(f.rule, f.location[1], f.codes, f.message) for f in report.findings
            if f.rule in ("DX_LIVEBORN_NOT_AT_BIRTH", "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST",
                          "DX_AGE_CONFLICT")]


@pytest.mark.parametrize(("kind", "dx", "born", "admitted", "expected"), [
    # born in hospital (Z38.0-): the birth stay is admitted on the day of birth
    ("inp", ["Z38.00", "P59.9"], "2025-10-25", "2025-10-30",
     [("DX_LIVEBORN_NOT_AT_BIRTH", 0, ("Z38.00",),
       "Z38.00 (liveborn infant) is for the birth stay only, but this stay was admitted on "
       "2025-10-30, 5 days after the birth (2025-10-25): a Z38 code is assigned once, at "
       "the time of birth, never on a readmission nor at the hospital a newborn is "
       "transferred to; remove it and list the reason for this admission first (Guideline "
       "I.C.16.a.2).")]),
    # listed second: removed, not moved first (replaces the first-listed-only finding)
    ("inp", ["P59.9", "Z38.01"], "2025-10-25", "2025-10-30",
     [("DX_LIVEBORN_NOT_AT_BIRTH", 1, ("Z38.01",), None)]),
    ("prof", ["Z38.30", "P07.38"], "2025-10-01", "2025-10-03",
     [("DX_LIVEBORN_NOT_AT_BIRTH", 0, ("Z38.30",), None)]),
    # born outside a hospital: judged after the newborn period (28 days) only
    ("inp", ["Z38.1", "P59.9"], "2025-10-25", "2025-10-30", []),
    ("inp", ["Z38.1", "P59.9"], "2025-08-20", "2025-10-30",
     [("DX_LIVEBORN_NOT_AT_BIRTH", 0, ("Z38.1",), None)]),
    # the birth stay: admitted on the day of birth, or the next (past midnight)
    ("inp", ["Z38.00", "P59.9"], "2025-10-30", "2025-10-30", []),
    ("inp", ["Z38.00", "P59.9"], "2025-10-29", "2025-10-30", []),
    ("inp", ["P59.9", "Z38.00"], "2025-10-30", "2025-10-30",
     [("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", 1, ("Z38.00",), None)]),
    # a professional claim of a day of the birth stay (no admission date): clean
    ("prof", ["Z38.00"], "2025-10-25", None, []),
    # aged 1 on the date of service: the newborn band says it (MCE edit 4)
    ("inp", ["Z38.00", "P59.9"], "2024-10-25", "2025-10-30",
     [("DX_AGE_CONFLICT", 0, ("Z38.00",), None)]),
], ids=["readmitted", "second", "prof-twin", "outside-5-days", "outside-71-days",
        "birth-day", "next-day", "birth-day-second", "prof-no-admission", "aged-1"])
def test_z38_is_for_the_birth_stay(kind: str, dx: list[str], born: str, admitted: str | None,
                                   expected: list[tuple[str, int, tuple[str, ...],
                                                        str | None]]) -> None:
    """Guideline I.C.16.a.2: "A code from category Z38 is assigned only once, to a newborn
    at the time of birth. If a newborn is transferred to another institution, a code from
    category Z38 should not be used at the receiving hospital."; the tabular's note at Z38:
    "for the initial birth record only"."""
    found = _liveborn(kind, dx, born, admitted)
    assert [f[:3] for f in found] == [e[:3] for e in expected]
    for f, e in zip(found, expected, strict=True):
        if e[3] is not None:
            assert f[3] == e[3]

def poa(*pairs: str) -> list[dict[str, str]]:
    """Diagnoses with POA indicators: ``"J18.9:Y"`` (no indicator after a bare code)."""
    return [{"code": c, "poa": p} if p else {"code": c}
            for c, _, p in (x.partition(":") for x in pairs)]


@pytest.mark.parametrize(("kind", "dx", "expected"), [
    # both present on admission: the systemic infection first (I.C.1.d.4)
    ("inp", poa("J18.9:Y", "A41.9:Y", "R65.20:Y"), [gs("J18.9", "A41.9")]),
    ("inp", poa("N39.0:Y", "A41.51:Y"), [gs("N39.0", "A41.51")]),
    ("inp", poa("L03.115:Y", "A41.01:Y", "J96.01:Y"), [gs("L03.115", "A41.01")]),
    ("inp", poa("A41.9:Y", "J18.9:Y", "R65.20:Y"), []),
    # sepsis that develops after admission: the localized infection stays principal
    ("inp", poa("J18.9:Y", "A41.9:N", "R65.20:N"), []),
    # clinically undetermined, unknown, or no indicator: not judged
    ("inp", poa("J18.9:Y", "A41.9:W"), []),
    ("inp", poa("J18.9:Y", "A41.9:U"), []),
    ("inp", poa("J18.9", "A41.9"), []),
    ("inp", poa("J18.9:N", "A41.9:Y"), []),
    # professional and outpatient claims carry no POA: the admission is not theirs
    ("prof", poa("J18.9", "A41.9"), []),
    ("out", poa("J18.9", "A41.9"), []),
    # a condition the row does not name as a localized infection
    ("inp", poa("K57.20:Y", "A41.9:Y"), []),
], ids=["pneumonia", "uti", "cellulitis", "in-order", "sepsis-after-admission", "poa-w",
        "poa-u", "no-poa", "infection-after-admission", "professional", "outpatient",
        "diverticulitis"])
def test_sepsis_present_on_admission_goes_before_its_localized_infection(
        kind: str, dx: list[dict[str, str]], expected: Found) -> None:
    """I.C.1.d.4: "If the reason for admission is sepsis or severe sepsis and a localized
    infection, such as pneumonia or cellulitis, a code(s) for the underlying systemic
    infection should be assigned first ... If the patient is admitted with a localized
    infection, such as pneumonia, and sepsis/severe sepsis doesn't develop until after
    admission, the localized infection should be assigned first"."""
    report = CHECKERS[kind].check(Claim.from_dict(claim(kind, dx, ADULT, "F")))  # type: ignore[arg-type]
    assert [(f.rule, f.location[1], f.codes, f.fix, f.severity.value)
            for f in report.findings if f.rule == "DX_GUIDELINE_SEQUENCE"] == expected


@pytest.mark.parametrize(("dx", "expected"), [
    # COVID-19 arisen during the stay (POA N) is not the principal diagnosis
    (poa("J96.01:Y", "U07.1:N"), []),
    (poa("J96.01:Y", "U07.1:Y"), [gs("J96.01", "U07.1")]),
    # a new injury during the stay (POA N) beside the aftercare of the same one
    (poa("S72.001D:Y", "S72.001A:N", "W06.XXXA:1", "Y92.230:1"), []),
    (poa("S72.001D:Y", "S72.001A:Y"), [gc(0, ("S72.001D", "S72.001A"))]),
    # an adverse effect of a drug given in the stay beside the admission's poisoning
    (poa("T40.2X1A:Y", "K59.03:N", "T40.2X5A:N"), []),
    (poa("T40.2X1A:Y", "K59.03:Y", "T40.2X5A:Y"), [gc(2, ("T40.2X5A", "T40.2X1A"))]),
    # the burn row (I.C.19.d.2) asks no POA, whatever the rows before it asked
    (poa("S72.001D:Y", "S72.001A:Y", "T22.111A:Y", "T22.311A:N"),
     [gc(0, ("S72.001D", "S72.001A")), gc(2, ("T22.111A", "T22.311A"))]),
    # a STEMI reported not present on admission beside the admission's NSTEMI: not judged
    (poa("I21.4:Y", "I21.09:N"), []),
    (poa("I21.4:Y", "I21.09:Y"), [gc(0, ("I21.4", "I21.09"))]),
], ids=["covid-after-admission", "covid-on-admission", "new-injury", "one-injury",
        "new-adverse-effect", "one-drug", "burn-after-injury", "stemi-after-admission",
        "stemi-on-admission"])
def test_a_code_not_present_on_admission_is_another_event(dx: list[dict[str, str]],
                                                          expected: Found) -> None:
    report = CHECKERS["inp"].check(Claim.from_dict(claim("inp", dx, ADULT, "F")))  # type: ignore[arg-type]
    assert [(f.rule, f.location[1], f.codes, f.fix, f.severity.value)
            for f in report.findings if f.rule in GROUP_B] == expected


@pytest.mark.parametrize("dx", [["S72.001A", "S72.001D", "W19.XXXA"],
                                ["T42.4X1A", "R41.82", "T42.4X5A"],
                                ["S72.001A", "W19.XXXA", "Y93.01", "Y93.02"],
                                ["I21.4", "I21.09"], ["I25.10", "I25.119"],
                                ["C91.00", "C91.01"]],
                         ids=["injury", "drug", "activity", "nstemi-stemi",
                              "ashd-angina", "leukemia-status"])
def test_a_claim_of_several_days_may_bill_several_encounters(dx: list[str]) -> None:
    """The initial and a subsequent encounter of one injury, a poisoning and an adverse
    effect of one drug, two activity codes, an NSTEMI and the STEMI it evolved to: on a
    professional claim whose lines are on two days, each may be its own encounter's; on
    one day they are one encounter's."""
    data = claim("prof", dx, ADULT, "F")
    assert [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule == "DX_GUIDELINE_CONFLICT"] == ["DX_GUIDELINE_CONFLICT"]
    data["service_lines"] = [
        {"line": 1, "procedure_code": "99214", "units": 1, "diagnosis_pointers": [1, 2],
         "date_of_service": "2025-10-20"},
        {"line": 2, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1, 2],
         "date_of_service": DAY}]
    assert [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule == "DX_GUIDELINE_CONFLICT"] == []


@pytest.mark.parametrize(("kind", "dx", "rule", "message"), [
    ("inp", poa("J18.9:Y", "A41.9:Y"), "DX_GUIDELINE_SEQUENCE",
     "A41.9 should be listed before J18.9: when sepsis and a localized infection (J18.9) are "
     "both present on admission, the code of the systemic infection is sequenced first and "
     "the localized infection after it (and R65.2- for severe sepsis) (Guideline "
     "I.C.1.d.4)."),
    ("prof", ["J96.01", "U07.1"], "DX_GUIDELINE_SEQUENCE",
     "U07.1 should be listed before J96.01: COVID-19 (U07.1) is sequenced first, followed "
     "by the codes of its respiratory manifestations, unless J96.01 is not due to COVID-19 "
     "(Guidelines I.C.1.g.1.a, I.C.1.g.1.b)."),
    ("prof", ["J18.9", "R65.20"], "DX_ETIOLOGY_MISSING",
     "R65.20 is severe sepsis but the claim has no code of its underlying systemic "
     "infection: code the infection first (A41.9 when the causal organism is not "
     "documented), then R65.20 (Guideline I.C.1.d.1.b)."),
    ("prof", ["A41.51", "A41.9"], "DX_GUIDELINE_CONFLICT",
     "A41.9 with A41.51: A41.9 (sepsis, unspecified organism) is assigned only when the "
     "causal organism is not further specified, and A41.51 specifies it: remove A41.9 "
     "(Guideline I.C.1.d.1.a)."),
    ("prof", ["S72.001A", "W19.XXXA", "Y93.01", "Y93.02"], "DX_GUIDELINE_CONFLICT",
     "Y93.02 with Y93.01: only one activity code (category Y93) is recorded for an "
     "encounter (Y93.01 is one): keep the activity of the patient at the time of the event "
     "and remove the other (Y93.02) (Guideline I.C.20.c)."),
    ("prof", ["S72.001A", "W19.XXXA", "Y99.8", "Y99.9"], "DX_GUIDELINE_CONFLICT",
     "Y99.9 with Y99.8: only one external cause status code (category Y99) is recorded for "
     "an encounter (Y99.8 is one): keep the status of the patient at the time of the event "
     "and remove the other (Y99.9) (Guideline I.C.20.k)."),
    ("prof", ["S72.001A", "S72.001D"], "DX_GUIDELINE_CONFLICT",
     "S72.001D with S72.001A: one injury is coded for a subsequent encounter (S72.001D) and "
     "for the initial encounter (S72.001A): an encounter where the injury receives active "
     "treatment is its initial encounter: remove S72.001D, unless the two codes are two "
     "injuries of one kind and site, one new and one healing (Guideline I.C.19.a)."),
    ("prof", ["T42.4X1A", "T42.4X5A"], "DX_GUIDELINE_CONFLICT",
     "T42.4X5A with T42.4X1A: one drug is coded as an adverse effect (T42.4X5A: correctly "
     "prescribed and properly administered) and as a poisoning (T42.4X1A: an overdose, a "
     "wrong substance or route, or a reaction with a nonprescribed drug): its use is coded "
     "as the poisoning: remove T42.4X5A, unless the codes are for two different drugs of the "
     "class (Guideline I.C.19.e.5)."),
    ("prof", ["S72.001D", "W19.XXXD", "Y92.009"], "DX_GUIDELINE_CONFLICT",
     "Y92.009 with S72.001D and W19.XXXD: a place of occurrence code (Y92) is recorded only "
     "at the initial encounter for treatment, and no code of the claim is for an initial "
     "encounter (S72.001D and W19.XXXD: a subsequent encounter or a sequela): remove Y92.009 "
     "(Guideline I.C.20.b)."),
    ("prof", ["T76.12XA", "Y07.11"], "DX_GUIDELINE_CONFLICT",
     "Y07.11 with T76.12XA: a perpetrator code (Y07) is for confirmed abuse (T74.-) only, "
     "and T76.12XA codes a suspected one: remove Y07.11 (Guideline I.C.19.f)."),
    ("prof", ["T22.611A", "T31.10"], "DX_GUIDELINE_CONFLICT",
     "T31.10 with T22.611A: T31 classifies the extent of burns, but the claim's burns of a "
     "site are corrosions (T22.611A), whose extent T32 classifies: replace T31.10 by T32.10 "
     "(Guideline I.C.19.d.6)."),
    ("inp", ["A41.9", "R65.20", "R65.21"], "DX_GUIDELINE_CONFLICT",
     "R65.20 with R65.21: R65.20 is severe sepsis without septic shock, but R65.21 is severe "
     "sepsis with septic shock, the code septic shock takes: remove R65.20 (Guideline "
     "I.C.1.d.2)."),
    ("inp", ["F10.239", "F10.20"], "DX_GUIDELINE_CONFLICT",
     "F10.20 with F10.239: F10.20 says the pattern of use of the substance is uncomplicated, "
     "but F10.239 codes the same pattern of use of the same substance with a complication or "
     "in remission, and one code identifies the pattern of use (a combination code says its "
     "complication): remove F10.20 (Guidelines I.B.9, I.C.5.b.2)."),
], ids=["sepsis-localized", "covid", "severe-sepsis", "a419", "y93", "y99", "injury", "drug",
        "y92-follow-up", "y07-suspected", "t31-corrosion", "septic-shock", "alcohol-dependence"])
def test_the_new_guideline_rows_say_what_to_do(kind: str, dx: list[Any], rule: str,
                                               message: str) -> None:
    (f,) = [f for f in CHECKERS[kind].check(Claim.from_dict(claim(kind, dx, ADULT, "F")))
            .findings if f.rule in GROUP_B]
    assert (f.rule, f.message) == (rule, message)


@pytest.mark.parametrize(("dx", "day", "rules"), [
    # the COVID-19 row from U07.1's first day; a sepsis row and A41.9 from FY2016
    (["J96.01", "U07.1"], "2020-04-01", ["DX_GUIDELINE_SEQUENCE"]),
    (["A41.51", "A41.9"], "2015-10-01", ["DX_GUIDELINE_CONFLICT"]),
    (["J18.9", "R65.20"], "2015-10-01", ["DX_ETIOLOGY_MISSING"]),
    (["S72.001A", "S72.001D"], "2015-10-01", ["DX_GUIDELINE_CONFLICT"]),
], ids=["covid-2020-04-01", "a419-fy2016", "severe-sepsis-fy2016", "injury-fy2016"])
def test_the_new_rows_hold_from_their_first_day(dx: list[str], day: str,
                                                rules: list[str]) -> None:
    data = {**claim("prof", dx, ADULT, "F"), "date_of_service": day}
    assert [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule.startswith("DX_")] == rules


def si(at: int, codes: tuple[str, ...]) -> tuple[str, int, tuple[str, ...], tuple[str, ...], str]:
    """DX_SYMPTOM_INTEGRAL at ``at`` on ``codes`` (the symptom first): the fix is the
    diseases, the codes that stay."""
    return ("DX_SYMPTOM_INTEGRAL", at, codes, codes[1:], "warning")


@pytest.mark.parametrize(("kind", "dx", "expected"), [
    # a reviewer's claims (I.B.5, I.C.18.b): chest pain with an NSTEMI, cough with
    # pneumonia (fever is not judged beside a localized infection), abdominal pain with
    # appendicitis
    ("prof", ["I21.4", "R07.9"], [si(1, ("R07.9", "I21.4"))]),
    ("out", ["I21.4", "R07.9"], [si(1, ("R07.9", "I21.4"))]),
    ("commercial", ["R07.9", "I21.4"], [si(0, ("R07.9", "I21.4"))]),
    ("prof", ["J18.9", "R50.9", "R05.9"], [si(2, ("R05.9", "J18.9"))]),
    ("prof", ["K35.80", "R10.9"], [si(1, ("R10.9", "K35.80"))]),
    ("prof", ["K35.30", "R10.31", "R10.813"],
     [si(1, ("R10.31", "K35.30")), si(2, ("R10.813", "K35.30"))]),
    # unstable angina, a subsequent MI; influenza (I.C.18.c: its combination codes include
    # the respiratory and gastrointestinal symptoms); viral gastroenteritis; acute
    # cystitis; an elevated blood-pressure reading beside hypertension (I.C.9.a.7)
    ("prof", ["I20.0", "R07.2"], [si(1, ("R07.2", "I20.0"))]),
    # unstable angina classified with its atherosclerosis (I.C.9.b; a review of 2026-12-06): the
    # native coronary artery (I25.110), a bypass graft (I25.790)
    ("prof", ["I25.110", "R07.9"], [si(1, ("R07.9", "I25.110"))]),
    ("prof", ["R07.2", "I25.790"], [si(0, ("R07.2", "I25.790"))]),
    ("prof", ["J11.1", "R05.1", "R50.9", "R51.9"],
     [si(1, ("R05.1", "J11.1")), si(2, ("R50.9", "J11.1")), si(3, ("R51.9", "J11.1"))]),
    ("prof", ["J10.2", "R11.2"], [si(1, ("R11.2", "J10.2"))]),
    ("prof", ["A08.11", "R11.10", "R19.7"],
     [si(1, ("R11.10", "A08.11")), si(2, ("R19.7", "A08.11"))]),
    ("prof", ["N30.00", "R30.0"], [si(1, ("R30.0", "N30.00"))]),
    ("prof", ["I10", "R03.0"], [si(1, ("R03.0", "I10"))]),
    # two diseases on an outpatient claim: both established (IV.H), one finding
    ("prof", ["I21.4", "I20.0", "R07.9"], [si(2, ("R07.9", "I21.4", "I20.0"))]),
    # a symptom written twice is judged once (DX_DUPLICATE says the rest)
    ("prof", ["J18.9", "R05.9", "J18.9"], [si(1, ("R05.9", "J18.9"))]),
    # clean: a symptom alone, or beside a disease it is not routinely part of (I.B.6);
    # fever with a localized infection; hemoptysis with pneumonia (I.C.18.b's example);
    # anterior chest-wall pain, a chronic cough, pelvic pain; noninfective
    # gastroenteritis and colitis; a type 2 MI, hypostatic pneumonia
    ("prof", ["R07.9"], []),
    ("prof", ["N39.0", "R50.9"], []),
    ("prof", ["L03.115", "R50.9"], []),
    ("prof", ["J18.9", "R50.9"], []),
    ("prof", ["J18.9", "R04.2"], []),
    ("prof", ["I21.4", "R07.89"], []),
    ("prof", ["J18.9", "R05.3"], []),
    ("prof", ["K35.80", "R10.20"], []),
    ("prof", ["K52.9", "R11.2"], []),
    ("prof", ["I21.A1", "R07.9"], []),
    ("prof", ["J18.2", "R05.9"], []),
    ("prof", ["M54.50", "R07.9"], []),
    # stable angina with atherosclerosis: chest pain not said ischemic is coded (as I20.9)
    ("prof", ["I25.119", "R07.9"], []),
    # pairs an Excludes1 note names are DX_EXCLUDES1_CONFLICT's alone
    ("prof", ["J45.909", "R06.2"], [("DX_EXCLUDES1_CONFLICT", 1, ("J45.909", "R06.2"),
                                     (), "warning")]),
], ids=["nstemi", "nstemi-131", "nstemi-symptom-first", "pneumonia-fever-cough",
        "appendicitis", "appendicitis-rlq-tenderness", "unstable-angina",
        "ashd-unstable-angina", "graft-unstable-angina", "influenza",
        "influenza-gi", "viral-gastroenteritis", "cystitis", "elevated-bp",
        "two-diseases-outpatient", "written-twice", "symptom-alone", "uti-fever",
        "cellulitis-fever", "pneumonia-fever", "hemoptysis", "chest-wall",
        "chronic-cough", "pelvic-pain", "colitis", "mi-type-2", "hypostatic",
        "back-pain", "ashd-stable-angina", "wheezing-excludes1"])
def test_a_symptom_routinely_part_of_its_disease_is_not_coded(kind: str, dx: list[str],
                                                              expected: Found) -> None:
    """I.B.5: "Signs and symptoms that are associated routinely with a disease process
    should not be assigned as additional codes"; I.B.6: those "that may not be associated
    routinely with a disease process should be coded when present"."""
    assert group_b(kind, dx) == expected


@pytest.mark.parametrize(("dx", "expected"), [
    (poa("I21.4:Y", "R07.9:Y"), [si(1, ("R07.9", "I21.4"))]),
    # admitted for chest pain, the infarction arose in the stay (POA N): another event
    (poa("R07.9:Y", "I21.4:N"), []),
    # the symptom with diseases of two categories: maybe comparative or contrasting
    # ("unstable angina versus NSTEMI"), coded as if established (II.D)
    (poa("R07.9:Y", "I21.4:Y", "I20.0:Y"), []),
    (poa("J18.9:Y", "J11.1:Y", "R05.9:Y"), []),
    # two codes of one category are not two diagnoses to compare
    (poa("I21.4:Y", "I21.01:Y", "R07.9:Y"), [si(2, ("R07.9", "I21.4", "I21.01"))]),
], ids=["on-admission", "mi-after-admission", "contrasting", "contrasting-flu-pneumonia",
        "one-category"])
def test_an_inpatient_symptom_beside_its_disease(dx: list[dict[str, str]],
                                                 expected: Found) -> None:
    """On an inpatient claim (Sections II.H, III.C: a diagnosis documented at discharge as
    probable or suspected is coded as if established) the symptom goes as well, but beside
    a disease not present on admission or beside diseases that may be compared."""
    report = CHECKERS["inp"].check(Claim.from_dict(claim("inp", dx, ADULT, "F")))  # type: ignore[arg-type]
    assert [(f.rule, f.location[1], f.codes, f.fix, f.severity.value)
            for f in report.findings if f.rule == "DX_SYMPTOM_INTEGRAL"] == expected


@pytest.mark.parametrize(("kind", "dx", "message"), [
    ("prof", ["I21.4", "R07.9"],
     "R07.9 with I21.4: chest pain is routinely associated with an acute myocardial "
     "infarction and unstable angina (ischemic chest pain is classified to angina: I20.9's "
     "inclusion term): remove R07.9, unless the provider documents it as not due to I21.4; "
     "if I21.4 was not confirmed, code R07.9 and not I21.4: an outpatient claim codes no "
     "uncertain diagnosis (Guidelines I.B.5, I.B.6, I.C.18.b, IV.D, IV.H)."),
    ("inp", poa("I21.4:Y", "R07.9:Y"),
     "R07.9 with I21.4: chest pain is routinely associated with an acute myocardial "
     "infarction and unstable angina (ischemic chest pain is classified to angina: I20.9's "
     "inclusion term): remove R07.9, unless the provider documents it as not due to I21.4; "
     "a diagnosis documented at discharge as probable or suspected is coded as if "
     "established (Guidelines I.B.5, I.B.6, I.C.18.b, II.H, III.C)."),
    ("prof", ["J11.1", "R05.9"],
     "R05.9 with J11.1: J11.1 is influenza with respiratory manifestations, a combination "
     "code that includes its cough (its inclusion term: influenza with upper respiratory "
     "symptoms): remove R05.9, unless the provider documents it as not due to J11.1; if "
     "J11.1 was not confirmed, code R05.9 and not J11.1: an outpatient claim codes no "
     "uncertain diagnosis (Guidelines I.B.5, I.B.6, I.C.18.c, IV.D, IV.H)."),
    ("prof", ["I10", "R03.0"],
     "R03.0 with I10: R03.0 is an elevated blood-pressure reading without diagnosis of "
     "hypertension, and I10 is that diagnosis: remove R03.0; if I10 was not confirmed, code "
     "R03.0 and not I10: an outpatient claim codes no uncertain diagnosis (Guidelines I.B.5, "
     "I.C.9.a.7, IV.D, IV.H)."),
], ids=["outpatient", "inpatient", "combination-code", "elevated-bp"])
def test_the_symptom_edit_says_what_to_do(kind: str, dx: list[Any], message: str) -> None:
    (f,) = [f for f in CHECKERS[kind].check(Claim.from_dict(claim(kind, dx, ADULT, "F")))
            .findings if f.rule == "DX_SYMPTOM_INTEGRAL"]
    assert f.message == message


def test_a_symptom_the_classification_instructs_to_code_is_not_removed() -> None:
    """I.B.5's "unless otherwise instructed by the classification": a "Use additional
    code" note of the disease naming the symptom (N40.1: "Use additional code for
    associated symptoms, when specified: ... urinary frequency (R35.0)"), a "Code first"
    note of the symptom naming the disease (R50.81: sickle-cell disease D57.-)."""
    from codekit import icd10cm
    from codekit.rules.guideline_pairs import instructed

    def f(code: str) -> icd10cm.Facts:
        found = icd10cm.facts(code, on=DAY)
        assert found is not None
        return found

    assert instructed(f("R35.0"), f("N40.1")) and instructed(f("R39.14"), f("N40.1"))
    assert instructed(f("R50.81"), f("D57.00"))
    assert not instructed(f("R07.9"), f("I21.4")) and not instructed(f("R05.9"), f("J18.9"))
    assert group_b("prof", ["D57.00", "R50.81"]) == []
    assert [r for r, *_ in group_b("prof", ["N40.1", "R35.0"], sex="M")] == []


def test_a_claim_of_several_days_may_code_a_symptom_before_its_diagnosis() -> None:
    """Chest pain seen on 2025-10-20, the infarction on 2025-11-03: two encounters."""
    data = claim("prof", ["I21.4", "R07.9"], ADULT, "F")
    data["service_lines"] = [
        {"line": 1, "procedure_code": "99214", "units": 1, "diagnosis_pointers": [2],
         "date_of_service": "2025-10-20"},
        {"line": 2, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1],
         "date_of_service": DAY}]
    assert [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule == "DX_SYMPTOM_INTEGRAL"] == []


@pytest.mark.parametrize(("dx", "day", "rules"), [
    # R05 and R51 were codes of their own until R05.1-R05.9 (2021-10-01) and R51.0, R51.9
    # (2020-10-01)
    (["J18.9", "R05"], "2021-09-30", ["DX_SYMPTOM_INTEGRAL"]),
    (["J11.1", "R51"], "2015-10-01", ["DX_SYMPTOM_INTEGRAL"]),
    (["I21.4", "R07.9"], "2015-10-01", ["DX_SYMPTOM_INTEGRAL"]),
    (["J18.9", "R05"], "2021-10-01", ["DX_NOT_VALID_ON_DOS"]),
], ids=["r05-fy2021", "r51-fy2016", "nstemi-fy2016", "r05-header-fy2022"])
def test_the_symptom_rows_follow_the_codes_of_their_date(dx: list[str], day: str,
                                                         rules: list[str]) -> None:
    data = {**claim("prof", dx, ADULT, "F"), "date_of_service": day}
    assert [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule.startswith("DX_")] == rules


def test_the_facts_mark_the_symptoms_of_the_integral_table() -> None:
    """``DX_SYMPTOM_INTEGRAL`` runs only on claims whose facts carry the bits: every
    symptom a row removes and every disease of a row has its bit, their neighbours no row
    names do not."""
    from codekit import icd10cm
    from codekit.icd10cm import Facts

    def marked(code: str) -> bool:
        f = icd10cm.facts(code, on=DAY)
        assert f is not None
        return bool(f.bits & Facts.SYMPTOM_INTEGRAL)

    assert all(marked(c) for c in ("R07.2", "R07.9", "R10.0", "R10.11", "R10.31", "R10.84",
                                   "R10.9", "R05.1", "R05.9", "R50.9", "R51.9", "R11.0",
                                   "R11.10", "R11.11", "R11.2", "R19.7", "R30.0", "R03.0"))
    assert not any(marked(c) for c in ("R07.1", "R07.89", "R10.20", "R05.3", "R05.4",
                                       "R50.81", "R51.0", "R11.12", "R04.2", "R06.2",
                                       "I21.4", "J18.9", "Z20.822"))

    def disease(code: str) -> bool:
        f = icd10cm.facts(code, on=DAY)
        assert f is not None
        return bool(f.bits & Facts.SYMPTOM_DISEASE)

    assert all(disease(c) for c in ("I20.0", "I21.4", "I21.01", "I22.9", "K35.80", "K36",
                                    "K37", "J18.9", "J12.82", "J09.X1", "J10.1", "J11.2",
                                    "A08.4", "N30.00", "I10", "I12.9", "I1A.0", "O13.3"))
    assert not any(disease(c) for c in ("I20.9", "I21.A1", "I21.B", "J18.2", "J45.909",
                                        "K52.9", "N39.0", "R07.9", "O12.03"))


@pytest.mark.parametrize(("dx", "expected"), [
    # one type and stage in both eyes, coded by eye: the bilateral code (I.C.7.a.2)
    (["H40.1111", "H40.1121"], [gc(1, ("H40.1121", "H40.1111"), ("H40.1131",))]),
    (["H40.2212", "H40.2222"], [gc(1, ("H40.2222", "H40.2212"), ("H40.2232",))]),
    # the bilateral code beside one eye of the same type and stage
    (["H40.1131", "H40.1111"], [gc(1, ("H40.1111", "H40.1131"), ("H40.1131",))]),
    # different stages (I.C.7.a.3), stage unspecified, a bilateral code beside one eye of
    # another stage (which one is wrong, the record says), two types
    (["H40.1111", "H40.1122"], []),
    (["H40.1110", "H40.1120"], []),
    (["H40.1131", "H40.1112"], []),
    (["H40.1111", "H40.1221"], []),
])
def test_bilateral_glaucoma_of_one_type_and_stage_takes_the_bilateral_code(
        dx: list[str], expected: Found) -> None:
    assert group_b("prof", dx) == expected


@pytest.mark.parametrize("kind", ["prof", "inp"])
@pytest.mark.parametrize(("dx", "expected"), [
    # one condition on both sides coded by side, where the bilateral code exists (I.B.13):
    # at the later code, fix the bilateral code; cataract, otitis media, diabetic
    # retinopathy (the side a 7th character), an injury (the side before the encounter's)
    (["H25.11", "H25.12"], [gc(1, ("H25.12", "H25.11"), ("H25.13",))]),
    (["H65.01", "I10", "H65.02"], [gc(2, ("H65.02", "H65.01"), ("H65.03",))]),
    (["E11.3512", "E11.3511"], [gc(1, ("E11.3511", "E11.3512"), ("E11.3513",))]),
    (["S20.311A", "S20.312A"], [gc(1, ("S20.312A", "S20.311A"), ("S20.313A",))]),
    (["I10", "Z96.651", "Z96.652"], [gc(2, ("Z96.652", "Z96.651"), ("Z96.653",))]),
    # the bilateral code beside a side: remove the side, wherever it is
    (["H25.13", "H25.11"], [gc(1, ("H25.11", "H25.13"), ("H25.13",))]),
    (["H25.12", "H25.13"], [gc(0, ("H25.12", "H25.13"), ("H25.13",))]),
    # both sides and the bilateral code: each side removed
    (["H25.11", "H25.12", "H25.13"], [gc(0, ("H25.11", "H25.13"), ("H25.13",)),
                                      gc(1, ("H25.12", "H25.13"), ("H25.13",))]),
    # the type unspecified on both sides: the bilateral code of that type (I.B.13: "If no
    # bilateral code is provided..."; H65.93 is provided), either way round
    (["H65.91", "H65.92"], [gc(1, ("H65.92", "H65.91"), ("H65.93",))]),
    (["H65.93", "H65.92"], [gc(1, ("H65.92", "H65.93"), ("H65.93",))]),
    (["H16.002", "H16.001"], [gc(1, ("H16.001", "H16.002"), ("H16.003",))]),
    # "unilateral ... right/left" and the category's "bilateral" code of another
    # subcategory: osteoarthritis of the knee, hip, first carpometacarpal joint, congenital
    # dislocation of the hip
    (["M17.11", "M17.12"], [gc(1, ("M17.12", "M17.11"), ("M17.0",))]),
    (["M16.12", "I10", "M16.11"], [gc(2, ("M16.11", "M16.12"), ("M16.0",))]),
    (["M16.31", "M16.32"], [gc(1, ("M16.32", "M16.31"), ("M16.2",))]),
    (["M18.51", "M18.52"], [gc(1, ("M18.52", "M18.51"), ("M18.4",))]),
    (["Q65.01", "Q65.02"], [gc(1, ("Q65.02", "Q65.01"), ("Q65.1",))]),
    (["M17.0", "M17.11"], [gc(1, ("M17.11", "M17.0"), ("M17.0",))]),
    # hearing loss of one ear "with unrestricted hearing on the contralateral side" for
    # each ear: each code denies the other's unrestricted hearing, the loss is of both
    # ears, and the category has the bilateral code (conductive H90.0, sensorineural
    # H90.3, mixed H90.6); a side beside the bilateral code
    (["H90.11", "H90.12"], [gc(1, ("H90.12", "H90.11"), ("H90.0",))]),
    (["H90.42", "Z97.4", "H90.41"], [gc(2, ("H90.41", "H90.42"), ("H90.3",))]),
    (["H90.71", "H90.72"], [gc(1, ("H90.72", "H90.71"), ("H90.6",))]),
    (["H90.11", "H90.0"], [gc(0, ("H90.11", "H90.0"), ("H90.0",))]),
    # a side's title and its bilateral code's differing in number: "of right lower
    # extremity", "of lower extremities, bilateral"; "right carotid artery", "bilateral
    # carotid arteries"; "right upper limb", "bilateral upper limbs"; "right breast and
    # nipple", "bilateral breasts and nipples"; "right leg", "bilateral legs"
    (["I80.201", "I80.202"], [gc(1, ("I80.202", "I80.201"), ("I80.203",))]),
    (["I65.22", "I65.21"], [gc(1, ("I65.21", "I65.22"), ("I65.23",))]),
    (["G56.01", "G56.02"], [gc(1, ("G56.02", "G56.01"), ("G56.03",))]),
    (["Z90.11", "Z90.12"], [gc(1, ("Z90.12", "Z90.11"), ("Z90.13",))]),
    (["I70.212", "I70.211"], [gc(1, ("I70.211", "I70.212"), ("I70.213",))]),
    (["I65.23", "I65.21"], [gc(1, ("I65.21", "I65.23"), ("I65.23",))]),
    # two conditions (nuclear, cortical cataract); no bilateral code (breast: C50.919 is
    # the unspecified side); primary and post-traumatic osteoarthritis; hearing loss of
    # one ear "with restricted hearing on the contralateral side" for each (the other
    # ear's loss may be of another type: H90.A11 with H90.A22); conductive loss of one ear
    # and sensorineural of the other; a bilateral code beside the other kind's side; two
    # nerves, two arteries, two stages of atherosclerosis of the legs
    (["H25.11", "H25.012"], []), (["C50.911", "C50.912"], []),
    (["M17.11", "M17.32"], []), (["H90.A11", "H90.A12"], []), (["H90.11", "H90.42"], []),
    (["M17.0", "M17.31"], []), (["G56.01", "G56.22"], []), (["I65.21", "I65.02"], []),
    (["I70.211", "I70.222"], []), (["H90.0", "H90.41"], []),
    # the bilateral code beside the other side of another condition
    (["H25.13", "H25.041"], []),
])
def test_one_condition_on_both_sides_takes_the_bilateral_code(kind: str, dx: list[str],
                                                             expected: Found) -> None:
    assert group_b(kind, dx) == expected


@pytest.mark.parametrize("kind", ["prof", "inp"])
@pytest.mark.parametrize(("dx", "expected"), [
    # an external cause code for another encounter than every injury's (I.C.20.a.2): at
    # it, fix the code with the injuries' 7th character
    (["S52.521A", "W19.XXXD"], [gc(1, ("W19.XXXD", "S52.521A"), ("W19.XXXA",))]),
    (["S52.521D", "W19.XXXA", "Y92.009"], [gc(1, ("W19.XXXA", "S52.521D"), ("W19.XXXD",))]),
    (["S72.001G", "W19.XXXS"], [gc(1, ("W19.XXXS", "S72.001G"), ("W19.XXXD",))]),
    (["M80.051A", "W19.XXXD"], [gc(1, ("W19.XXXD", "M80.051A"), ("W19.XXXA",))]),
    # injuries of two encounters: no fix (which one the cause is of, the record says)
    (["S52.521A", "S82.001D", "W19.XXXS"],
     [gc(2, ("W19.XXXS", "S52.521A", "S82.001D"), ())]),
    # the 7th character of one injury (a fracture's G is a subsequent encounter); an
    # external cause beside a condition of another chapter only; no 7th character (Y92)
    (["S72.001G", "W19.XXXD"], []), (["S72.001S", "W19.XXXS"], []),
    (["S52.521A", "S82.001D", "W19.XXXA", "W01.XXXD"], []),
    (["M54.50", "X50.0XXA"], []), (["S52.521A", "W19.XXXA", "Y92.009"], []),
])
def test_an_external_cause_takes_the_injurys_encounter(kind: str, dx: list[str],
                                                        expected: Found) -> None:
    assert group_b(kind, dx) == expected


@pytest.mark.parametrize("kind", ["prof", "inp"])
@pytest.mark.parametrize(("dx", "expected"), [
    # a superficial injury beside a more severe one of the same site and side
    # (I.C.19.b.1): at the superficial one, fix the severe ones (the codes that stay)
    (["S82.001A", "S80.01XA"], [gc(1, ("S80.01XA", "S82.001A"))]),
    (["S80.211A", "S81.011A"], [gc(0, ("S80.211A", "S81.011A"))]),
    (["S60.011A", "S62.501A"], [gc(0, ("S60.011A", "S62.501A"))]),
    (["S40.011A", "S42.001A"], [gc(0, ("S40.011A", "S42.001A"))]),
    # another part of the region (the tibia's shaft is the lower leg's, not the knee's),
    # another side, finger or encounter, an injury not said more severe (a sprain), a
    # region the titles do not name (the thorax)
    (["S80.01XA", "S82.201A"], []), (["S80.01XA", "S82.002A"], []),
    (["S60.021A", "S62.501A"], []), (["S80.211A", "S82.001D"], []),
    (["S80.01XA", "S83.411A"], []), (["S20.211A", "S22.31XA"], []),
])
def test_a_superficial_injury_is_not_coded_beside_a_severe_one_of_its_site(
        kind: str, dx: list[str], expected: Found) -> None:
    assert group_b(kind, dx) == expected


def test_a_superficial_injury_of_another_encounter_is_kept() -> None:
    """I.C.19.b.1 is of one encounter: a claim whose lines are on two dates may carry a
    contusion treated at one and the fracture found at the other."""
    data = claim("prof", ["S80.01XA", "S82.001A"], ADULT, "F")
    data["service_lines"] = [
        {"line": 1, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1],
         "date_of_service": "2025-10-30"},
        {"line": 2, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [2],
         "date_of_service": DAY}]
    assert [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule == "DX_GUIDELINE_CONFLICT"] == []


def test_separate_encounters_keep_their_sides() -> None:
    """I.B.13: a bilateral condition treated at two encounters is coded bilateral at the
    first and by the side left at the second (cataract surgery): a claim whose lines are on
    two dates may carry both; on one date it is one encounter's."""
    data = claim("prof", ["H25.13", "H25.12"], ADULT, "F")
    assert [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule == "DX_GUIDELINE_CONFLICT"] == ["DX_GUIDELINE_CONFLICT"]
    data["service_lines"] = [
        {"line": 1, "procedure_code": "66984", "modifiers": ["RT"], "units": 1,
         "diagnosis_pointers": [1], "date_of_service": "2025-10-20"},
        {"line": 2, "procedure_code": "66984", "modifiers": ["LT"], "units": 1,
         "diagnosis_pointers": [2], "date_of_service": DAY}]
    assert [f.rule for f in CHECKERS["prof"].check(Claim.from_dict(data)).findings
            if f.rule == "DX_GUIDELINE_CONFLICT"] == []


def _leaves(code: str, day: str) -> list[str]:
    from codekit import icd10cm

    e = icd10cm.lookup(code, on=day)
    return [e.code] if e.billable else [c for k in e.children for c in _leaves(k, day)]


def test_every_bilateral_prefix_holds_a_side_and_its_bilateral_code() -> None:
    """``Facts.BILATERAL`` (the gate of the bilateral edit) marks the codes of a side of
    the subcategories of ``BILATERAL_PREFIXES`` (not H25.10, unspecified eye): each has a
    code of one side whose bilateral code (``Facts.bilateral``) the classification has, on
    2025-11-03 or, for H81.4, I82.8 and I83.8 (whose codes changed since), 2016-06-01."""
    from codekit import icd10cm
    from codekit.icd10cm._facts import BILATERAL_PREFIXES

    for prefix in sorted(BILATERAL_PREFIXES):
        day = "2016-06-01" if prefix in ("H814", "I828", "I838") else DAY
        codes = _leaves(prefix[:3] + "." + prefix[3:], day)
        # a code of one side with its bilateral code, or (M17.0) the bilateral code of
        # another subcategory's sides
        sides = _leaves(prefix[:3], day)
        assert any(icd10cm.facts(c, on=day).bilateral for c in codes) or any(  # type: ignore[union-attr]
            b.code[:4] == prefix for c in sides
            if (b := icd10cm.facts(c, on=day).bilateral) is not None), prefix  # type: ignore[union-attr]
        for c in codes:  # the bit: a code of the prefix naming a side or both
            f = icd10cm.facts(c, on=day)
            assert f is not None
            both = f.side is None and "bilateral" in f.title.lower().replace(",", " ")
            assert bool(f.bits & icd10cm.Facts.BILATERAL) == (f.side is not None or both), c


@pytest.mark.slow
@pytest.mark.parametrize("day", [DAY, "2016-06-01"])
def test_the_bilateral_prefixes_are_complete(day: str) -> None:
    """Every code of the tabular with a bilateral code (``Facts.bilateral``) is of a
    subcategory of ``BILATERAL_PREFIXES`` (scans the whole release: a new tabular adding a
    bilateral code elsewhere fails here)."""
    from codekit import icd10cm
    from codekit.icd10cm._facts import BILATERAL_PREFIXES

    found = set()
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for n in range(100):
            try:
                codes = _leaves(f"{letter}{n:02d}", day)
            except Exception:  # no such category
                continue
            for c in codes:
                b = icd10cm.facts(c, on=day).bilateral  # type: ignore[union-attr]
                if b is not None:
                    found |= {c[:4], b.code[:4]}
    assert found <= BILATERAL_PREFIXES, sorted(found - BILATERAL_PREFIXES)
    assert len(found) == {DAY: 361, "2016-06-01": 315}[day]


@pytest.mark.parametrize("kind", ["prof", "inp"])
@pytest.mark.parametrize(("dx", "expected"), [
    # one leukemia or myeloma in two statuses of its 5th character (I.C.2.n): at the later
    # code, no fix (the record says which)
    (["C91.00", "C91.01"], [gc(1, ("C91.01", "C91.00"), ())]),
    (["C91.02", "D64.9", "C91.00"], [gc(2, ("C91.00", "C91.02"), ())]),
    (["C90.01", "C90.02"], [gc(1, ("C90.02", "C90.01"), ())]),
    (["C92.A0", "C92.A1"], [gc(1, ("C92.A1", "C92.A0"), ())]),
    # from 2024-10-01, C88 has 0 and 1 (no relapse code)
    (["C88.00", "C88.01"], [gc(1, ("C88.01", "C88.00"), ())]),
    # three statuses: each later one
    (["C95.00", "C95.01", "C95.02"], [gc(1, ("C95.01", "C95.00"), ()),
                                      gc(2, ("C95.02", "C95.00", "C95.01"), ())]),
    # two leukemias (two subcategories, two categories): each its own status
    (["C91.00", "C91.11"], []), (["C91.01", "C92.00"], []), (["C90.00", "C90.11"], []),
    # lymphoma's 5th character is a site, not a status (C83.30, C83.34)
    (["C83.30", "C83.34"], []),
], ids=lambda v: " ".join(v) if isinstance(v, list) and v and isinstance(v[0], str) else None)
def test_one_leukemia_has_one_remission_status(kind: str, dx: list[str],
                                               expected: Found) -> None:
    assert group_b(kind, dx) == expected


@pytest.mark.parametrize("day", ["2025-11-03", "2016-06-01"])
def test_the_remission_subcategories_are_those_of_the_tabular(day: str) -> None:
    """``guidelines.REMISSION`` is every subcategory of C81-C96 whose billable codes'
    5th character is the status axis (titles "not having achieved remission", "in
    remission", "in relapse"), on both dates (C86, C88 from 2024-10-01)."""
    from codekit import icd10cm
    from codekit.icd10cm.guidelines import REMISSION

    def billable(code: str) -> list[str]:
        e = icd10cm.lookup(code, on=day)
        return [e.code] if e.billable else [c for k in e.children for c in billable(k)]

    found: dict[str, str] = {}
    for n in (*range(81, 87), 88, *range(90, 97)):  # (no C87, C89)
        for code in billable(f"C{n}"):
            title = icd10cm.lookup(code, on=day).title.lower()
            words = ("not having achieved remission", "in remission", "in relapse")
            if not code[-1].isdigit():  # C81-C85 (FY2025): "in remission", a letter
                continue                    # beside the site codes (C81.0A, C84.7B)
            if any(w in title for w in words):
                status = next(str(k) for k, w in enumerate(words) if w in title)
                assert len(code) == 5 and code[4] == status, code
                found[code[:4]] = found.get(code[:4], "") + status
    assert all(v in ("012", "01") for v in found.values()), found
    assert set(found) == {p for p in REMISSION if day >= "2024-10-01" or p[:3] not in (
        "C86", "C88")}
