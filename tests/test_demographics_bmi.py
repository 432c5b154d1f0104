"""DX_BMI_AGE_CONFLICT: the tabular note at Z68 ("BMI adult codes are for use for persons
20 years of age or older", "BMI pediatric codes are for use for persons 2-19 years of
age"), apart from DX_AGE_CONFLICT, which stays the MCE's band (adult 15-124).

Real codes; dates 2025-11-03 (FY2026) unless a test says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, icd10cm
from codekit.rules.context import ClaimContext
from codekit.rules.demographics import bmi_age_conflict, bmi_ages

ID = "DX_BMI_AGE_CONFLICT"
DAY = "2025-11-03"
CHECKER = Checker(profile="medicare-professional")
PEDIATRIC = ("Z68.51", "Z68.52", "Z68.53", "Z68.54", "Z68.55", "Z68.56")
ADULT = ("Z68.1", *(f"Z68.{n}" for n in range(20, 40)),
         *(f"Z68.{n}" for n in range(41, 46)))


def claim(dx: list[str], age: int, day: str = DAY) -> dict[str, Any]:
    return {"claim_type": "professional", "payer": "medicare", "date_of_service": day,
            "patient": {"sex": "F", "age": age}, "diagnoses": dx,
            "service_lines": [{"line": 1, "procedure_code": "99213", "units": 1,
                               "diagnosis_pointers": list(range(1, len(dx) + 1))}]}


def found(dx: list[str], age: int, day: str = DAY) -> list[tuple[Any, ...]]:
    report = CHECKER.check(Claim.from_dict(claim(dx, age, day)))
    return [(f.rule, f.location, f.fix, f.severity.value) for f in report.findings
            if f.rule in (ID, "DX_AGE_CONFLICT")]


@pytest.mark.parametrize(("dx", "age", "expected"), [
    # an adult code for a patient of 15-19: the pediatric percentile codes
    (["E66.9", "Z68.41"], 16, [(ID, ("diagnoses", 1), PEDIATRIC, "warning")]),
    (["E66.9", "Z68.41"], 19, [(ID, ("diagnoses", 1), PEDIATRIC, "warning")]),
    (["R63.6", "Z68.1"], 15, [(ID, ("diagnoses", 1), PEDIATRIC, "warning")]),
    (["E66.9", "Z68.41"], 20, []),
    # under 15 the MCE's adult band (15-124) says it: DX_AGE_CONFLICT alone
    (["E66.9", "Z68.41"], 10, [("DX_AGE_CONFLICT", ("diagnoses", 1), (), "error")]),
    # a pediatric code for a patient of 20 or more: the adult codes; under 2: no code
    (["E66.9", "Z68.54"], 20, [(ID, ("diagnoses", 1), ADULT, "warning")]),
    (["E66.9", "Z68.52"], 25, [(ID, ("diagnoses", 1), ADULT, "warning")]),
    (["E66.9", "Z68.54"], 1, [(ID, ("diagnoses", 1), (), "warning")]),
    (["E66.9", "Z68.54"], 2, []),
    (["E66.9", "Z68.54"], 19, []),
    # written twice: one finding
    (["E66.9", "Z68.41", "Z68.41"], 17, [(ID, ("diagnoses", 1), PEDIATRIC, "warning")]),
], ids=lambda v: str(v))
def test_the_z68_note_against_the_patients_age(dx: list[str], age: int,
                                               expected: list[tuple[Any, ...]]) -> None:
    assert found(dx, age) == expected


def test_the_messages() -> None:
    report = CHECKER.check(Claim.from_dict(claim(["E66.9", "Z68.41"], 16)))
    assert [f.message for f in report.findings if f.rule == ID] == [
        "Z68.41 is an adult body mass index code, for persons 20 years of age or older "
        "(tabular note at Z68), but the patient is 16 on 2025-11-03: report the pediatric "
        "percentile code (Z68.51-Z68.56) the record documents."]
    report = CHECKER.check(Claim.from_dict(claim(["E66.9", "Z68.52"], 25)))
    assert [f.message for f in report.findings if f.rule == ID] == [
        "Z68.52 is a pediatric body mass index code, for persons 2-19 years of age (tabular "
        "note at Z68), but the patient is 25 on 2025-11-03: report the adult code "
        "(Z68.1-Z68.45) of the BMI the record documents."]
    report = CHECKER.check(Claim.from_dict(claim(["E66.9", "Z68.52"], 1)))
    assert [f.message for f in report.findings if f.rule == ID] == [
        "Z68.52 is a pediatric body mass index code, for persons 2-19 years of age (tabular "
        "note at Z68), but the patient is 1 on 2025-11-03: no body mass index code is for "
        "that age: remove it."]


def test_the_ages_are_the_notes_of_the_date() -> None:
    assert bmi_ages(icd10cm.facts("Z68.45", on=DAY)) == ("adult", 20, None)  # type: ignore[arg-type]
    assert bmi_ages(icd10cm.facts("Z68.51", on=DAY)) == ("pediatric", 2, 19)  # type: ignore[arg-type]
    assert bmi_ages(icd10cm.facts("E66.9", on=DAY)) == ()  # type: ignore[arg-type]


def test_dates_before_fy2021_are_not_judged() -> None:
    # the first release's note said 21 and older / 2-20; the FY2021 tabular is the
    # earliest codekit has that says 20 / 2-19
    assert found(["E66.9", "Z68.41"], 16, day="2020-09-30") == []
    assert found(["E66.9", "Z68.41"], 16, day="2020-10-01") == [
        (ID, ("diagnoses", 1), ("Z68.51", "Z68.52", "Z68.53", "Z68.54"), "warning")]


@pytest.mark.parametrize("profile", ["medicare-professional", "medicare-outpatient",
                                     "medicare-inpatient", "commercial"])
def test_a_warning_in_every_profile(profile: str) -> None:
    report = Checker(profile=profile).check(Claim.from_dict(claim(["E66.9", "Z68.41"], 17)))
    assert [(f.rule, f.severity.value) for f in report.findings if f.rule == ID] == [
        (ID, "warning")]


def test_a_claim_without_a_bmi_code_does_not_run_it() -> None:
    """Z68 codes carry ``Facts.AGE_NOTE`` (and ``AGE_LIMIT``: the pediatric ones have no
    MCE band, the tabular note gives them theirs), so the feature ``dx-age-note`` gates
    the edit: a claim with other age-banded codes (Z00.00) does not run it."""
    assert bmi_age_conflict.when == frozenset({"dx-age-note"})
    bits = icd10cm.Facts.AGE_NOTE | icd10cm.Facts.AGE_LIMIT
    for code in ("Z68.41", "Z68.54", "Z68.1"):
        assert icd10cm.facts(code, on=DAY).bits & bits == bits, code  # type: ignore[union-attr]
    assert not icd10cm.facts("Z00.00", on=DAY).bits & icd10cm.Facts.AGE_NOTE  # type: ignore[union-attr]
    for dx, age, feature in ((["E66.9", "I10"], 16, False), (["Z00.00", "E66.9"], 40, False),
                             (["E66.9", "Z68.41"], 16, True), (["E66.9", "Z68.54"], 40, True)):
        c = Claim.from_dict(claim(dx, age))
        ctx = ClaimContext(c, CHECKER.route(c).profile)
        assert ("dx-age-note" in ctx.features) is feature, dx
    # an age outside 0-124 is no age (PATIENT_AGE_INVALID's): not planned either
    c = Claim.from_dict(claim(["E66.9", "Z68.54"], 130))
    assert "dx-age-note" not in ClaimContext(c, CHECKER.route(c).profile).features
