"""PCS_LATERALITY_MISMATCH: the side of an ICD-10-PCS procedure's body part (character 4,
"Knee Joint, Right") against the sides of the claim's diagnoses of the same body region
(ICD-10-PCS Official Guidelines B4.1/B4.2; ICD-10-CM Guidelines I.B.13), on real codes.

The rule fires only when every valid diagnosis of the procedure's region names the other
side (or, for a bilateral body part, one and the same side): a diagnosis of the
procedure's side, of both sides or of no stated side keeps it quiet, as an auditor reads
the other knee's diagnosis as a possible comorbidity.
"""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim
from codekit.rules import laterality
from codekit.rules.laterality import body_part_side, dx_regions

DAY = "2025-11-03"
RULE = "PCS_LATERALITY_MISMATCH"


def _claim(procs: list[str], dx: list[str], *, payer: str = "medicare",
           claim_type: str = "institutional") -> dict[str, Any]:
    claim: dict[str, Any] = {
        "claim_id": "pcs-side", "payer": payer, "claim_type": claim_type,
        "date_of_service": DAY, "patient": {"sex": "F", "birth_date": "1955-01-01"},
        "diagnoses": [{"code": c, "poa": "Y"} for c in dx] if claim_type ==
        "institutional" else dx}
    if claim_type == "institutional":
        claim["bill_type"] = "111"
        claim["admitting_diagnosis"] = "R07.9"
        claim["statement_period"] = ["2025-11-01", DAY]
        claim["procedures"] = [{"code": p, "date": DAY} for p in procs]
    return claim


def _found(procs: list[str], dx: list[str], **kw: Any) -> list[tuple[Any, ...]]:
    report = Checker().check(Claim.from_dict(_claim(procs, dx, **kw)))
    return [(f.severity.value, tuple(f.location), f.codes, f.fix, f.message)
            for f in report.findings if f.rule == RULE]


def test_right_knee_replacement_with_a_left_knee_diagnosis_only() -> None:
    assert _found(["0SRC0J9"], ["M17.12"]) == [(
        "warning", ("procedures", 0, "code"), ("0SRC0J9", "M17.12"), ("0SRD0J9",),
        "Procedure 1 0SRC0J9 is on the right side (body part C = Knee Joint, Right), but "
        "the claim's diagnoses of the knee (M17.12) name the left side only: correct the "
        "body part (0SRD0J9, Knee Joint, Left) or add the diagnosis of the right side.")]


@pytest.mark.parametrize(("procs", "dx"), [
    (["0SRC0J9"], ["M17.11"]),            # same side
    (["0SRC0J9"], ["M17.0"]),             # bilateral osteoarthritis of knee
    (["0SRC0J9"], ["M17.12", "M17.11"]),  # one of each side: the left may be a comorbidity
    (["0SRD0J9"], ["M17.12"]),            # left knee, left knee
    (["0SRC0J9"], ["M17.10"]),            # unspecified knee: no side to contradict
    (["0SRC0J9"], ["M17.12", "M17.10"]),  # an unspecified knee beside the left one
    (["0SRC0J9"], ["M16.12"]),            # the left hip: another region
    (["0SR90J9"], ["S72.001A"]),          # right hip, fracture of neck of right femur
    (["0SRB0J9"], ["S72.002A"]),          # left hip, left femur
    (["08RJ3JZ"], ["H25.11"]),            # right lens, cataract of the right eye
    (["0HTT0ZZ"], ["C50.911"]),           # right breast, right breast
    (["0HTV0ZZ"], ["C50.911", "Z40.01"]),  # both breasts: cancer right, prophylactic removal
    (["0HTV0ZZ"], ["C50.911", "C50.912"]),  # both breasts, both sides
    (["0DTJ4ZZ"], ["M17.12"]),            # appendix: a body part without side
    (["0DTJ4ZZ"], ["K35.80", "M17.12"]),
])
def test_no_finding(procs: list[str], dx: list[str]) -> None:
    assert _found(procs, dx) == []


def test_a_hip_replacement_against_the_femoral_neck_fracture_of_the_other_side() -> None:
    assert _found(["0SR90J9"], ["S72.002A"]) == [(
        "warning", ("procedures", 0, "code"), ("0SR90J9", "S72.002A"), ("0SRB0J9",),
        "Procedure 1 0SR90J9 is on the right side (body part 9 = Hip Joint, Right), but "
        "the claim's diagnoses of the femur (S72.002A) name the left side only: "
        "correct the body part (0SRB0J9, Hip Joint, Left) or add the diagnosis of the right "
        "side.")]
    assert [f[3] for f in _found(["0SRB0J9"], ["S72.001A"])] == [("0SR90J9",)]


def test_an_eye_procedure_against_the_other_eye() -> None:
    assert _found(["08RK3JZ"], ["H25.11"]) == [(
        "warning", ("procedures", 0, "code"), ("08RK3JZ", "H25.11"), ("08RJ3JZ",),
        "Procedure 1 08RK3JZ is on the left side (body part K = Lens, Left), but the "
        "claim's diagnoses of the eye (H25.11) name the right side only: correct the body "
        "part (08RJ3JZ, Lens, Right) or add the diagnosis of the left side.")]


def test_a_breast_procedure_against_the_other_breast() -> None:
    assert [f[2:4] for f in _found(["0HTT0ZZ"], ["C50.912"])] == [
        (("0HTT0ZZ", "C50.912"), ("0HTU0ZZ",))]


def test_a_bilateral_body_part_against_one_sided_diagnoses() -> None:
    assert _found(["0HTV0ZZ"], ["C50.911"]) == [(
        "warning", ("procedures", 0, "code"), ("0HTV0ZZ", "C50.911"), ("0HTT0ZZ",),
        "Procedure 1 0HTV0ZZ is on both sides (body part V = Breast, Bilateral), but the "
        "claim's diagnoses of the breast (C50.911) name the right side only: code the right "
        "side's body part (0HTT0ZZ, Breast, Right) if one side was operated on, or add the "
        "diagnosis of the left side.")]
    # a plural body part (Kidneys, Bilateral) finds its singular one-sided value
    assert [f[3] for f in _found(["0TT20ZZ"], ["C64.1"])] == [("0TT00ZZ",)]


@pytest.mark.parametrize(("procs", "dx"), [
    # staging of a right ovarian cancer: hysterectomy, both ovaries and tubes out
    (["0UT20ZZ", "0UT70ZZ", "0UT90ZZ"], ["C56.1"]),
    # hysterectomy for a leiomyoma with both ovaries out, a cyst of the left one
    (["0UT20ZZ", "0UT70ZZ", "0UT90ZZ"], ["D25.9", "N83.202"]),
    # both tubes out: a left tubal pregnancy and a sterilization
    (["0UT74ZZ"], ["O00.102", "Z30.2"]),
])
def test_both_ovaries_or_tubes_out_beside_one_sided_disease_is_routine(
        procs: list[str], dx: list[str]) -> None:
    """The healthy ovary and tube come out with the diseased one, and a sterilization
    closes both tubes, with no diagnosis of the other side to code: no finding."""
    assert _found(procs, dx) == []
    # one side's organ out against the other side's disease still is one
    assert [f[3] for f in _found(["0UT00ZZ"], ["C56.2"])] == [("0UT10ZZ",)]


def test_a_fracture_of_the_lower_femur_is_of_the_knee() -> None:
    """A right knee replaced for a fracture of the lower end of the right femur, with the
    left knee's osteoarthritis beside it: the right knee has its diagnosis."""
    assert _found(["0SRC0J9"], ["S72.401A", "M17.12"]) == []
    assert dx_regions("Unspecified fracture of lower end of left femur, initial encounter "
                      "for closed fracture") == frozenset({"femur", "knee"})


def test_both_sides_coded_the_diagnosis_of_one_missing() -> None:
    """Both knees replaced, only the left knee diagnosed: the right knee's procedure is
    flagged, with no fix (its left counterpart is on the claim already)."""
    assert [(f[1], f[3]) for f in _found(["0SRC0J9", "0SRD0J9"], ["M17.12"])] == [
        (("procedures", 0, "code"), ())]


def test_a_second_procedure_is_located_at_its_own_position() -> None:
    assert [f[1] for f in _found(["0DTJ4ZZ", "0SRC0J9"], ["K35.80", "M17.12"])] == [
        ("procedures", 1, "code")]


def test_any_payer_warns() -> None:
    assert [f[0] for f in _found(["0SRC0J9"], ["M17.12"], payer="aetna")] == ["warning"]


def test_an_invalid_procedure_takes_no_part() -> None:
    """0SRCXJ9 is no code (approach X is not allowed there): PCS_CODE_UNKNOWN only."""
    report = Checker().check(Claim.from_dict(_claim(["0SRCXJ9"], ["M17.12"])))
    assert [f.rule for f in report.findings] == ["PCS_CODE_UNKNOWN"]


def test_the_rule_runs_only_on_claims_with_pcs_procedures() -> None:
    rule = next(r for r in laterality.RULES if r.id == RULE)
    assert rule.when == frozenset({"pcs"})
    assert _found([], ["M17.12"], claim_type="professional") == []


@pytest.mark.parametrize(("label", "side", "regions"), [
    ("Knee Joint, Right", "right", {"knee"}),
    ("Knee Joint, Tibial Surface, Left", "left", {"knee"}),
    ("Hip Joint, Left", "left", {"hip", "femur"}),
    ("Upper Femur, Right", "right", {"hip", "femur"}),
    ("Lower Femur, Left", "left", {"knee", "femur"}),
    ("Shoulder Joint, Right", "right", {"shoulder", "humerus"}),
    ("Skin, Right Lower Leg", "right", {"lower leg", "leg"}),
    ("Lower Leg, Left", "left", {"lower leg", "leg"}),
    ("1st Toe, Right", "right", {"foot", "leg"}),
    ("Subcutaneous Tissue and Fascia, Left Hand", "left", {"hand"}),
    ("Lens, Left", "left", {"eye"}),
    ("Tympanic Membrane, Right", "right", {"ear"}),
    ("Breast, Bilateral", "bilateral", {"breast"}),
    ("Ovaries, Bilateral", "bilateral", {"ovary"}),
    ("Fallopian Tube, Right", "right", {"fallopian tube"}),
    ("Upper Lung Lobe, Right", "right", {"lung"}),
    # sides that are no side of a region: the heart's chambers, vessels, lymphatics
    ("Atrium, Left", None, set()),
    ("Femoral Artery, Right", None, set()),
    ("Lymphatic, Right Axillary", None, set()),
    ("Liver, Left Lobe", None, set()),
    ("Appendix", None, set()),
])
def test_body_part_side(label: str, side: str | None, regions: set[str]) -> None:
    assert body_part_side(label) == (side, frozenset(regions))


@pytest.mark.parametrize(("title", "regions"), [
    ("Unilateral primary osteoarthritis, left knee", {"knee"}),
    ("Fracture of unspecified part of neck of right femur, initial encounter for closed "
     "fracture", {"femur"}),
    ("Malignant neoplasm of unspecified site of right female breast", {"breast"}),
    ("Left tubal pregnancy without intrauterine pregnancy", {"fallopian tube"}),
    ("Malignant neoplasm of upper lobe, right bronchus or lung", {"lung"}),
    ("Essential (primary) hypertension", set()),
])
def test_dx_regions(title: str, regions: set[str]) -> None:
    assert dx_regions(title) == frozenset(regions)


def test_an_amputation_against_the_gangrene_of_the_other_leg() -> None:
    """I70.262 names "left leg", no part of it: the leg is a region of its own, which an
    amputation's body part (lower leg, upper leg, knee region, foot, toe) lies in."""
    assert _found(["0Y6H0Z1"], ["I70.262"]) == [(
        "warning", ("procedures", 0, "code"), ("0Y6H0Z1", "I70.262"), ("0Y6J0Z1",),
        "Procedure 1 0Y6H0Z1 is on the right side (body part H = Lower Leg, Right), but "
        "the claim's diagnoses of the leg (I70.262) name the left side only: "
        "correct the body part (0Y6J0Z1, Lower Leg, Left) or add the diagnosis of the "
        "right side.")]
    # an infected stump of the left lower extremity, the right lower leg revised
    assert [f[2:4] for f in _found(["0Y6H0Z1"], ["T87.44"])] == [
        (("0Y6H0Z1", "T87.44"), ("0Y6J0Z1",))]
    assert _found(["0Y6J0Z1"], ["I70.262"]) == []
    assert _found(["0Y6P0Z0"], ["I70.261"]) == []  # right great toe, right leg
    # a "lower leg" is no whole leg: a left toe beside a right ankle fracture is quiet
    assert _found(["0QNR3ZZ"], ["S82.841G"]) == []


@pytest.mark.parametrize(("procs", "dx"), [
    (["0Y6J0Z1"], ["E11.52", "Z89.511"]),   # left leg now, the right one lost before
    (["0Y6P0Z0"], ["E11.52", "Z89.412"]),   # right great toe now, the left one before
])
def test_an_acquired_absence_is_no_diagnosis_of_the_part_operated_on(
        procs: list[str], dx: list[str]) -> None:
    assert _found(procs, dx) == []


@pytest.mark.parametrize(("procs", "dx"), [
    # a left thigh's burn grafted with skin from the right thigh: the harvest is coded at
    # its donor site, Excision of Right Upper Leg Skin (ICD-10-PCS Guidelines B3.9)
    (["0HRJX74", "0HBHXZZ"], ["T24.212A", "T31.0", "X10.0XXA"]),
    # a left leg's ulcer and cellulitis, the graft from the right thigh
    (["0HRLX74", "0HBHXZZ"], ["L97.922", "L03.116"]),
])
def test_an_autograft_harvested_from_the_other_side_is_not_judged(
        procs: list[str], dx: list[str]) -> None:
    assert _found(procs, dx) == []


def test_without_the_graft_the_excision_is_judged_and_the_graft_itself_always() -> None:
    burn = ["T24.212A", "T31.0", "X10.0XXA"]
    assert [f[:4] for f in _found(["0HBHXZZ"], burn)] == [
        ("warning", ("procedures", 0, "code"), ("0HBHXZZ", "T24.212A"), ("0HBJXZZ",))]
    assert [f[:4] for f in _found(["0HRHX74", "0HBJXZZ"], burn)] == [
        ("warning", ("procedures", 0, "code"), ("0HRHX74", "T24.212A"), ("0HRJX74",))]
