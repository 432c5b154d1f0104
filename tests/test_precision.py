"""Precision: claims a careful coder calls clean get no finding, and the false positives a
coder's audit found stay fixed (each with the nearest claim that must still fire).

Every claim here is written by hand with real codes and dates; none is taken from the
third-party samples."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim
from codekit.icd10cm.notes import parse_refs

PROFESSIONAL = ("medicare-professional", "commercial")
CHECKERS = {name: Checker(profile=name) for name in
            ("medicare-professional", "medicare-outpatient", "medicare-inpatient",
             "commercial")}
DAY = "2025-11-03"


def prof(dx: list[str], lines: list[tuple[str, list[str], int, list[int]]], *, sex: str = "F",
         born: str = "1958-04-09", day: str = DAY, payer: str = "medicare") -> dict[str, Any]:
    return {"claim_type": "professional", "payer": payer, "date_of_service": day,
            "patient": {"sex": sex, "birth_date": born}, "diagnoses": dx,
            "service_lines": [{"line": i + 1, "procedure_code": code, "modifiers": mods,
                               "units": units, "diagnosis_pointers": ptr}
                              for i, (code, mods, units, ptr) in enumerate(lines)]}


def inst(dx: list[Any], lines: list[tuple[str, list[str], int, str]], *, bill_type: str,
         sex: str = "F", born: str = "1950-02-14", day: str = DAY,
         **extra: Any) -> dict[str, Any]:
    return {"claim_type": "institutional", "payer": "medicare", "bill_type": bill_type,
            "date_of_service": day, "patient": {"sex": sex, "birth_date": born},
            "diagnoses": dx, "service_lines": [
                {"line": i + 1, "procedure_code": code, "modifiers": mods, "units": units,
                 "revenue_code": rev} for i, (code, mods, units, rev) in enumerate(lines)],
            **extra}


def found(d: dict[str, Any], profile: str) -> list[tuple[str, str]]:
    report = CHECKERS[profile].check(Claim.from_dict(d))
    return [(f.rule, f.message) for f in report.findings]


#: Claims a careful coder calls clean: coding conventions followed (code-first order,
#: etiology before manifestation, first-listed-only Z codes first, additional-only codes
#: after), sides matching, ages and sexes consistent, valid on the date.
CLEAN: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("follow-up, G2211", prof(["I10", "E11.9", "E78.5"],
                              [("99214", [], 1, [1, 2, 3]), ("G2211", [], 1, [1])]),
     PROFESSIONAL),
    ("hypertensive heart failure first", prof(["I11.0", "I50.22"],
                                              [("93306", [], 1, [1, 2])]), PROFESSIONAL),
    ("diabetic CKD, then stage", prof(["E11.22", "N18.30"], [("99239", [], 1, [1, 2])]),
     PROFESSIONAL),
    ("CKD, then its anemia", prof(["N18.4", "D63.1"], [("99213", [], 1, [1, 2])]),
     PROFESSIONAL),
    ("Alzheimer's, then dementia", prof(["G30.9", "F02.80"], [("99214", [], 1, [1, 2])],
                                        born="1940-06-01"), PROFESSIONAL),
    ("diabetic ulcer, then site", prof(["E11.621", "L97.412"], [("11042", [], 1, [1, 2])]),
     PROFESSIONAL),
    ("adverse effect after its nature", prof(["L27.0", "T36.0X5A"],
                                             [("99213", [], 1, [1, 2])]), PROFESSIONAL),
    ("BMI after obesity", prof(["E66.9", "Z68.30"], [("99213", [], 1, [1, 2])]),
     PROFESSIONAL),
    ("knee injection right, visit 25", prof(["M17.11"], [("99213", ["25"], 1, [1]),
                                                         ("20610", ["RT"], 1, [1])]),
     PROFESSIONAL),
    ("bilateral knees 50", prof(["M17.0"], [("20610", ["50"], 1, [1])]), PROFESSIONAL),
    ("right upper eyelid E3", prof(["H02.831"], [("15823", ["E3"], 1, [1])]), PROFESSIONAL),
    ("right middle finger F7", prof(["M65.331"], [("20550", ["F7"], 1, [1])],
                                    payer="aetna"), ("commercial",)),
    ("PCI right coronary", prof(["I25.110"], [("92928", ["RC"], 1, [1])], sex="M"),
     PROFESSIONAL),
    ("PCI LAD, right heart failure pointed", prof(["I25.10", "I50.810"],
                                                  [("92928", ["LD"], 1, [1, 2])], sex="M"),
     PROFESSIONAL),
    ("screening colonoscopy", prof(["Z12.11"], [("G0121", [], 1, [1])], sex="M"),
     PROFESSIONAL),
    ("flu vaccine", prof(["Z23"], [("G0008", [], 1, [1]), ("90662", [], 1, [1])],
                         born="1947-03-03"), PROFESSIONAL),
    ("global OB, delivery", prof(["O80", "Z3A.39", "Z37.0"], [("59400", [], 1, [1, 2, 3])],
                                 born="1997-08-21", payer="aetna"), ("commercial",)),
    ("newborn care on day 1", prof(["Z38.00"], [("99460", [], 1, [1])], sex="M",
                                   born="2025-11-02", payer="aetna"), ("commercial",)),
    ("perinatal code for life at 3", prof(["P27.1"], [("99213", [], 1, [1])], sex="M",
                                          born="2022-05-30", payer="aetna"), ("commercial",)),
    ("well child with vaccine", prof(["Z00.129", "Z23"],
                                     [("99392", ["25"], 1, [1]), ("90707", [], 1, [2]),
                                      ("90460", [], 1, [2])],
                                     born="2024-01-15", payer="aetna"), ("commercial",)),
    ("colles fracture, external cause last", prof(["S52.531A", "W01.0XXA"],
                                                  [("25600", ["RT"], 1, [1])]), PROFESSIONAL),
    ("outpatient chest pain observation", inst(["R07.89", "I10"],
                                               [("99284", [], 1, "0450"),
                                                ("93005", [], 1, "0730"),
                                                ("G0378", [], 20, "0762")],
                                               bill_type="131", sex="M"),
     ("medicare-outpatient",)),
    ("inpatient NSTEMI with PCI", inst([{"code": c, "poa": "Y"} for c in
                                        ("I21.4", "I25.10", "E78.5", "I10")], [],
                                       bill_type="111", sex="M", procedures=["027034Z"],
                                       admission_date="2025-10-30",
                                       admitting_diagnosis="R07.9"),
     ("medicare-inpatient",)),
]


@pytest.mark.parametrize(("name", "d", "profiles"), CLEAN, ids=[c[0] for c in CLEAN])
def test_clean_claims_get_no_finding(name: str, d: dict[str, Any],
                                     profiles: tuple[str, ...]) -> None:
    for profile in profiles:
        assert found(d, profile) == [], (name, profile)
    assert [f.rule for f in Checker().check(Claim.from_dict(d)).findings] == []


# -- Z51.0 / Z51.11 / Z51.12 in any sequence (Guideline I.C.2.e.2) --------------------------

def test_chemotherapy_and_immunotherapy_in_any_sequence() -> None:
    d = prof(["Z51.11", "Z51.12", "C34.90"], [("96413", [], 1, [1, 3]),
                                              ("96417", [], 1, [2, 3])], sex="M")
    assert found(d, "medicare-professional") == []
    d = prof(["Z51.12", "Z51.11", "C34.90"], [("96413", [], 1, [2, 3])], sex="M")
    assert found(d, "medicare-professional") == []


def test_radiation_and_chemotherapy_outpatient_in_any_sequence() -> None:
    d = inst(["Z51.0", "Z51.11", "C53.9"], [("77412", [], 1, "0333"),
                                           ("96413", [], 1, "0335")], bill_type="131")
    assert found(d, "medicare-outpatient") == []
    d = inst(["Z51.11", "C53.9", "Z51.0"], [("96413", [], 1, "0335")], bill_type="131")
    assert found(d, "medicare-outpatient") == []


def test_therapy_code_after_a_condition_still_fires() -> None:
    d = prof(["C34.90", "Z51.11"], [("96413", [], 1, [2, 1])], sex="M")
    assert found(d, "medicare-professional") == [(
        "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST",
        "Z51.11 may only be reported as the principal/first-listed diagnosis, but is in "
        "position 2: move it first or drop it.")]
    # after a code of another kind still (I10), wherever the claim's first-listed-only Z
    # codes are
    d = prof(["Z00.00", "I10", "Z51.11", "C34.90"], [("99396", [], 1, [1])], born="1975-01-20",
             payer="aetna")
    assert [r for r, _ in found(d, "commercial")] == ["DX_Z_FIRST_LISTED_ONLY_NOT_FIRST"]


def test_first_listed_only_z_codes_heading_the_claim_together() -> None:
    """I.C.21.c.16: first-listed-only Z codes may be reported in other positions "when
    there are multiple encounters on the same day and the medical records for the
    encounters are combined": each encounter's reason heads the claim (a general and a
    gynecological examination, an examination and a chemotherapy session). Not after a
    code of another kind (I10, Z00.00)."""
    d = prof(["Z00.00", "Z01.419"], [("99396", [], 1, [1, 2])], born="1975-01-20")
    assert found(d, "medicare-professional") == []
    d = prof(["Z00.00", "Z51.11", "C34.90"], [("99396", [], 1, [1])], born="1975-01-20",
             payer="aetna")  # C34.90: the neoplasm of the chemotherapy (I.C.2.e.2)
    assert found(d, "commercial") == []
    d = prof(["Z00.00", "Z01.419", "N95.1"], [("99396", [], 1, [1, 2, 3])],
             born="1975-01-20")
    assert found(d, "medicare-professional") == []
    d = prof(["I10", "Z00.00"], [("99396", [], 1, [1, 2])], born="1975-01-20")
    assert found(d, "medicare-professional") == [(
        "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST",
        "Z00.00 may only be reported as the principal/first-listed diagnosis, but is in "
        "position 2: move it first or drop it.")]
    d = prof(["Z00.00", "N95.1", "Z01.419"], [("99396", [], 1, [1, 2, 3])],
             born="1975-01-20")
    assert found(d, "medicare-professional") == [(
        "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST",
        "Z01.419 may only be reported as the principal/first-listed diagnosis, but is in "
        "position 3: move it first or drop it.")]


# -- Excludes1 between two substances (Guideline I.C.19.e.5.b) -------------------------------

def test_two_drugs_each_coded_is_no_excludes1_conflict() -> None:
    # adverse effects of a penicillin and of an antineoplastic antibiotic: T36's Excludes1
    # "antineoplastic antibiotics (T45.1-)" says where the second drug is classified
    d = prof(["L27.0", "T36.0X5A", "T45.1X5A"], [("99214", [], 1, [1, 2, 3])])
    assert found(d, "medicare-professional") == []
    # opioid and benzodiazepine poisoning (T41's Excludes1 names both): each is coded
    d = prof(["T40.2X1A", "T42.4X1A", "R40.20"], [("99285", [], 1, [1, 2, 3])])
    assert found(d, "medicare-professional") == []


def test_excludes1_with_one_substance_still_fires() -> None:
    d = prof(["J30.1", "T78.40XA"], [("99213", [], 1, [1, 2])])
    assert found(d, "medicare-professional") == [(
        "DX_EXCLUDES1_CONFLICT",
        "T78.40XA and J30.1 should not be reported together: the Excludes1 note of "
        "T78.40XA (at T78.4) says 'hay fever (J30.1)'. Keep the one that fits the patient, "
        "unless the conditions are unrelated (Guideline I.A.12.a exception).")]


# -- "Code first underdosing of medication (T36-T50) with fifth or sixth character 6" --------

def test_note_qualifier_after_the_parentheses_restricts_its_codes() -> None:
    (ref,) = parse_refs("underdosing of medication (T36-T50) with fifth or sixth character 6")
    assert str(ref) == "T36-T50 with fifth or sixth character 6"
    assert (ref.matches("T46.5X6A"), ref.matches("T38.3X6A"), ref.matches("T36.0X5A"),
            ref.matches("T40.2X1A")) == (True, True, False, False)
    # prose after the parentheses that names no character is not a qualifier
    assert [str(r) for r in parse_refs("concussion (acute) (S06.0X-) with loss (in)")] \
        == ["S06.0X-"]


def test_underdosing_note_does_not_name_an_adverse_effect() -> None:
    # noncompliance with an antihypertensive (after its underdosing code), and a drug rash
    # with its adverse-effect code: Z91.120's note asks only for the underdosing first
    d = prof(["I10", "T46.5X6A", "Z91.120", "L27.0", "T36.0X5A"],
             [("99214", [], 1, [1, 2, 3, 4])])
    assert found(d, "medicare-professional") == []


def test_underdosing_listed_after_its_status_code_still_fires() -> None:
    d = prof(["I10", "Z91.120", "T46.5X6A"], [("99214", [], 1, [1, 2, 3])])
    assert found(d, "medicare-professional") == [(
        "DX_CODE_FIRST_ORDER",
        "T46.5X6A should be listed before Z91.120: Z91.120 says 'Code first underdosing of "
        "medication (T36-T50) with fifth or sixth character 6'.")]


# -- coronary modifiers against non-coronary titles ------------------------------------------

@pytest.mark.parametrize("block", ["I44.4", "I44.5"])
def test_fascicular_block_is_no_coronary_side(block: str) -> None:
    # "Left anterior/posterior fascicular block": a conduction pathway, not the left
    # coronary system: stenting the right coronary artery does not contradict it
    d = prof(["I25.10", block], [("92928", ["RC"], 1, [1, 2])], sex="M")
    assert found(d, "medicare-professional") == []


@pytest.mark.parametrize(("dx", "mod", "ptr"), [
    # an inferior STEMI (RCA culprit) and a multivessel PCI: the LAD stented in the same
    # session points to the MI and the CAD of the vessel
    (["I21.11", "I25.10"], "LD", [1, 2]),
    (["I21.02", "I25.110"], "RC", [1, 2]),
    # a staged PCI of the non-culprit vessel within four weeks still codes the I21
    # (Guideline I.C.9.e.1): the culprit vessel is not the vessel treated
    (["I21.02"], "RC", [1]),
    (["I21.21"], "LD", [1]),
])
def test_coronary_modifiers_name_the_vessel_treated_not_a_side(
        dx: list[str], mod: str, ptr: list[int]) -> None:
    """LC/LD/LM/RC/RI say which coronary artery a PCI treated; I21.01-I21.21 say which
    one the infarction came from. Neither is a body side (Guideline I.B.13): no
    LATERALITY_MISMATCH, on any profile."""
    d = prof(dx, [("92928", [mod], 1, ptr)], sex="M")
    for profile in ("medicare-professional", "commercial"):
        assert [r for r, _ in found(d, profile) if r == "LATERALITY_MISMATCH"] == []
    i = inst(dx, [("92928", [mod], 1, "0481")], bill_type="131", sex="M")
    assert [r for r, _ in found(i, "medicare-outpatient") if r == "LATERALITY_MISMATCH"] == []


def test_a_coronary_artery_title_is_no_body_side_for_rt_or_lt() -> None:
    # an arterial line in the right radial artery of a patient with an LAD STEMI: the
    # "left" of the LAD is no side of the body
    d = prof(["I21.02"], [("36620", ["RT"], 1, [1])], sex="M")
    assert [r for r, _ in found(d, "medicare-professional")
            if r == "LATERALITY_MISMATCH"] == []
    # a line also pointing to the side-less I21.02 is not judged (spec F5: a diagnosis with
    # no laterality -> no edit); pointing to the knee alone, the other side fires
    d = prof(["I21.02", "M17.11"], [("20610", ["LT"], 1, [1, 2])], sex="M")
    assert [r for r, _ in found(d, "medicare-professional")] == []
    d = prof(["I21.02", "M17.11"], [("20610", ["LT"], 1, [2])], sex="M")
    assert [r for r, _ in found(d, "medicare-professional")] == ["LATERALITY_MISMATCH"]


# -- a structure's left or right is no body side ------------------------------------------

def test_a_fascicle_of_the_heart_is_no_body_side() -> None:
    # a dual-chamber pacemaker implanted in the right chest for complete heart block in a
    # patient with a left anterior fascicular block (I44.4): the "left" is a fascicle of the
    # left bundle branch, not a side of the body, and RT contradicts nothing
    d = prof(["I44.2", "I44.4"], [("33208", ["RT"], 1, [1, 2])], sex="M")
    assert found(d, "medicare-professional") == []
    # beside it the line is not judged (I44.4 states no side: spec F5); pointing to the
    # knee alone, the other side fires
    d = prof(["I44.4", "M17.12"], [("27447", ["RT"], 1, [1, 2])], sex="M")
    assert found(d, "medicare-professional") == []
    d = prof(["I44.4", "M17.12"], [("27447", ["RT"], 1, [2])], sex="M")
    assert found(d, "medicare-professional") == [(
        "LATERALITY_MISMATCH", "Line 1: modifier RT (right side of the body) does not match "
        "the diagnoses it points to: M17.12 (left). Correct the modifier or the diagnosis.")]


# -- a blank sex is missing, not a typo ------------------------------------------------------

def test_blank_sex_is_said_missing() -> None:
    d = prof(["I10"], [("99213", [], 1, [1])], sex="")
    report = CHECKERS["medicare-professional"].check(Claim.from_dict(d))
    (f,) = report.findings
    assert (f.rule, f.path, f.message, f.fix) == (
        "PATIENT_SEX_INVALID", "$.patient.sex",
        "The patient's sex is missing: give M, F or U (U when it is not known).", ())


def test_dates_of_the_clean_claims_are_covered() -> None:
    # the clean claims above are judged from data that covers their date (no notice)
    for _name, d, profiles in CLEAN:
        report = CHECKERS[profiles[0]].check(Claim.from_dict(d))
        assert [n.code for n in report.notices if n.code.endswith("NOT_COVERED")] == []
