"""Maternity and newborn misses an obstetrics coder's review found (2026-12-06), on real
codes and dates:
the trimester of a chapter 15 code against the weeks of gestation
(``DX_TRIMESTER_WEEKS_CONFLICT``: O26.891 with Z3A.30), perinatal codes on the mother's
record (``DX_PERINATAL_ON_MATERNAL_RECORD``: P07.37 with O60.14X0), the newborn and child
health examinations by age in days (``DX_AGE_DAYS_CONFLICT``: Z00.110 at 47 days) and the
neonatal and pediatric critical care codes by day of life (``PROC_AGE_CPT_CONFLICT``:
99468 at 61 days)."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim

CHECKER = Checker()


def _found(rule: str, dx: list[str], lines: list[str] | None = None, *,
           dos: str = "2025-11-03", **patient: Any) -> list[tuple[Any, ...]]:
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "commercial", "date_of_service": dos,
        "patient": {"sex": "F", **patient}, "diagnoses": dx,
        "service_lines": [{"line": n + 1, "procedure_code": code, "diagnosis_pointers": [1],
                           "units": 1} for n, code in enumerate(lines or ["99213"])]})
    return [(f.severity.value, tuple(f.location), f.codes, f.fix, f.message)
            for f in CHECKER.check(claim).findings if f.rule == rule]


def _inpatient(rule: str, dx: list[str], admitted: str, discharged: str) -> list[tuple[Any, ...]]:
    claim = Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
        "patient": {"sex": "F", "age": 28}, "date_of_service": discharged,
        "admission_date": admitted, "admitting_diagnosis": dx[0], "diagnoses": dx,
        "service_lines": [{"line": 1, "revenue_code": "0120", "units": 4}]})
    return [(tuple(f.location), f.codes, f.fix)
            for f in CHECKER.check(claim).findings if f.rule == rule]


# -- DX_TRIMESTER_WEEKS_CONFLICT ------------------------------------------------------------

TRIMESTER = "DX_TRIMESTER_WEEKS_CONFLICT"


def test_first_trimester_code_at_30_weeks() -> None:
    assert _found(TRIMESTER, ["O26.891", "Z3A.30"], age=30) == [(
        "warning", ("diagnoses", 0), ("O26.891", "Z3A.30"), ("O26.893",),
        "O26.891 is of the first trimester but Z3A.30 puts the encounter in the third "
        "trimester (1st: less than 14 weeks 0 days, 2nd: 14 weeks 0 days to less than 28 "
        "weeks 0 days, 3rd: 28 weeks 0 days until delivery, the tabular's note at chapter "
        "15): report O26.893 if the weeks are right, or correct the weeks of gestation "
        "(Guideline I.C.15.a.3).")]


@pytest.mark.parametrize(("dx", "found"), [
    (["O09.513", "Z3A.10"], [("O09.513", ("O09.511",))]),    # third at 10 weeks
    (["O26.899", "Z3A.30"], [("O26.899", ("O26.893",))]),    # unspecified, weeks known
    (["O26.893", "Z3A.27"], [("O26.893", ("O26.892",))]),    # 27 weeks 6 days at most
    (["O36.5910", "Z3A.33"], [("O36.5910", ("O36.5930",))]),  # the 7th character kept
    (["O26.892", "Z3A.14"], []),   # 14 weeks 0 days: the second
    (["O26.891", "Z3A.13"], []),   # 13 weeks 6 days at most: the first
    (["O26.893", "Z3A.28"], []),
    (["O09.511", "Z3A.01"], []),   # less than 8 weeks
    (["O26.891", "Z3A.00"], []),   # weeks not specified
    (["O60.13X0", "Z3A.30", "Z37.0"], []),  # labor second, delivery third trimester
    (["O80", "Z3A.39", "Z37.0"], []),       # no trimester
    (["O60.02", "Z3A.10"], [("O60.02", ())]),  # preterm labor has no first trimester
])
def test_trimester_against_the_weeks(dx: list[str],
                                     found: list[tuple[str, tuple[str, ...]]]) -> None:
    assert [(f[2][0], f[3]) for f in _found(TRIMESTER, dx, age=30)] == found


def test_a_maternal_code_outside_its_ages_is_the_age_edits() -> None:
    # an infant's claim with O92.112 and Z3A.36: DX_AGE_CONFLICT (maternity 9-64) alone
    assert _found(TRIMESTER, ["Z3A.36", "O92.112"], sex="M", age=0) == []
    assert [f[2] for f in _found(TRIMESTER, ["O92.112", "Z3A.36"], age=30)] == [
        ("O92.112", "Z3A.36")]


def test_visits_on_several_dates_and_antepartum_packages_are_read_over_their_days() -> None:
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "commercial", "date_of_service": "2025-11-03",
        "patient": {"sex": "F", "age": 30}, "diagnoses": ["O26.893", "Z3A.27"],
        "service_lines": [{"line": 1, "procedure_code": "99213", "diagnosis_pointers": [1],
                           "units": 1},
                          {"line": 2, "procedure_code": "99213", "diagnosis_pointers": [1],
                           "units": 1, "date_of_service": "2025-11-10"}]})
    assert not [f for f in CHECKER.check(claim).findings if f.rule == TRIMESTER]
    # months of antepartum visits on one line: not judged
    assert _found(TRIMESTER, ["O09.513", "Z3A.10"], ["59425"], age=36) == []


def test_an_inpatient_stay_reaches_the_trimester_it_crosses() -> None:
    # admitted at 30 weeks: a second-trimester code no day of the stay reaches
    assert _inpatient(TRIMESTER, ["O14.12", "Z3A.30", "Z37.0"], "2025-11-01",
                      "2025-11-05") == [(("diagnoses", 0), ("O14.12", "Z3A.30"), ("O14.13",))]
    # admitted at 27 weeks, four days: a complication of the third trimester may develop
    assert _inpatient(TRIMESTER, ["O14.13", "Z3A.27", "Z37.0"], "2025-11-01",
                      "2025-11-05") == []


# -- DX_PERINATAL_ON_MATERNAL_RECORD --------------------------------------------------------

PERINATAL = "DX_PERINATAL_ON_MATERNAL_RECORD"


def test_prematurity_of_the_infant_on_the_mothers_delivery_claim() -> None:
    assert _found(PERINATAL, ["O60.14X0", "Z37.0", "Z3A.35", "P07.37"], ["59409"],
                  age=30) == [(
        "warning", ("diagnoses", 3), ("P07.37", "O60.14X0"), (),
        "P07.37 (Preterm newborn, gestational age 34 completed weeks) is a perinatal code, "
        "for the newborn's record only, but O60.14X0 makes this the mother's record: "
        "remove P07.37 and code the mother's own condition with chapter 15 (maternal care "
        "for a fetal problem O35-O36, preterm labor O60.1-, the outcome of delivery Z37) "
        "(Guideline I.C.16.a.1; the tabular's note at chapter 16).")]


@pytest.mark.parametrize(("dx", "patient", "found"), [
    (["O36.5930", "Z3A.34", "P05.19"], {"age": 30}, [("P05.19", 2)]),
    (["O99.283", "Z3A.35", "P00.89"], {"age": 30}, [("P00.89", 2)]),
    (["Z3A.35", "P00.89"], {"age": 30}, []),  # no chapter 15 code: not judged
    # a condition of the perinatal period the mother may have herself
    (["O99.512", "Z3A.20", "P27.1"], {"age": 25}, []),
    # the newborn's record: the chapter 15 code is the mistake (DX_AGE_CONFLICT)
    (["Z38.00", "P07.37", "O60.14X0"], {"birth_date": "2025-11-03"}, []),
    (["O60.14X0", "Z3A.35", "P07.37"], {"age": 70}, []),
    # P95 with Z37.1: their Excludes1 notes (DX_EXCLUDES1_CONFLICT)
    (["O60.14X0", "Z3A.35", "Z37.1", "P95"], {"age": 30}, []),
    (["P07.37", "Z38.00"], {"age": 30}, []),
])
def test_perinatal_codes_and_the_maternal_record(dx: list[str], patient: dict[str, Any],
                                                 found: list[tuple[str, int]]) -> None:
    assert [(f[2][0], f[1][1]) for f in _found(PERINATAL, dx, **patient)] == found


# -- DX_AGE_DAYS_CONFLICT -------------------------------------------------------------------

DAYS = "DX_AGE_DAYS_CONFLICT"


def test_newborn_examination_code_at_the_two_month_visit() -> None:
    assert _found(DAYS, ["Z00.110"], ["99391"], dos="2025-12-20", sex="M",
                  birth_date="2025-11-03") == [(
        "warning", ("diagnoses", 0), ("Z00.110",), ("Z00.129", "Z00.121"),
        "Z00.110 (Health examination for newborn under 8 days old) is for a newborn under 8 "
        "days old, but the patient is 47 days old on 2025-12-20 (born 2025-11-03): report "
        "Z00.129 or Z00.121 (without or with abnormal findings), the examination code of "
        "that age.")]


@pytest.mark.parametrize(("code", "born", "fix"), [
    ("Z00.129", "2025-11-03", ("Z00.110",)),  # 5 days: Z00.12's Excludes1
    ("Z00.121", "2025-10-20", ("Z00.111",)),  # 19 days
    ("Z00.110", "2025-10-20", ("Z00.111",)),
    ("Z00.111", "2025-11-03", ("Z00.110",)),
    ("Z00.111", "2025-10-10", ("Z00.129", "Z00.121")),  # 29 days
    ("Z00.110", "2025-11-01", None),  # 7 days
    ("Z00.111", "2025-11-01", ("Z00.110",)),
    ("Z00.111", "2025-10-31", None),  # 8 days
    ("Z00.111", "2025-10-11", None),  # 28 days
    ("Z00.129", "2025-10-10", None),  # 29 days
])
def test_examination_codes_by_days_of_life(code: str, born: str,
                                           fix: tuple[str, ...] | None) -> None:
    found = _found(DAYS, [code], ["99391"], dos="2025-11-08", sex="M", birth_date=born)
    assert [f[3] for f in found] == ([] if fix is None else [fix])


def test_examination_days_need_a_birth_date() -> None:
    assert _found(DAYS, ["Z00.129"], ["99391"], sex="M", age=0) == []


# -- PROC_AGE_CPT_CONFLICT: neonatal and pediatric critical care ----------------------------

CPT_AGE = "PROC_AGE_CPT_CONFLICT"


def test_neonatal_critical_care_at_61_days() -> None:
    assert _found(CPT_AGE, ["P22.1"], ["99468"], sex="M", birth_date="2025-09-03") == [(
        "warning", ("service_lines", 0, "procedure_code"), ("99468",), ("99471",),
        "Line 1: 99468 is limited by age (CPT 99468: through day 28 of life) but the "
        "patient is 61 days old on 2025-11-03 (born 2025-09-03): report 99471 instead.")]


@pytest.mark.parametrize(("code", "born", "fix"), [
    ("99469", "2025-09-03", ("99472",)),
    ("99471", "2025-10-29", ("99468",)),   # 5 days
    ("99472", "2025-10-06", ("99469",)),   # 28 days
    ("99468", "2025-10-06", None),         # 28 days
    ("99471", "2025-10-05", None),         # 29 days
    ("99468", "2022-09-03", None),         # 3 years: PROC_AGE_CONFLICT (I/OCE 0-0)
])
def test_critical_care_by_day_of_life(code: str, born: str,
                                      fix: tuple[str, ...] | None) -> None:
    found = _found(CPT_AGE, ["P22.1"], [code], sex="M", birth_date=born)
    assert [f[3] for f in found] == ([] if fix is None else [fix])


def test_critical_care_days_need_a_birth_date() -> None:
    assert _found(CPT_AGE, ["P22.1"], ["99471"], sex="M", age=0) == []
