"""ICD-10-CM conventions (Guidelines I.A/I.B) on the edges a coder checks: one mistake,
one finding, and each finding's fix names the code the tabular note asks for."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, Severity

BASE: dict[str, Any] = {
    "claim_type": "professional",
    "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1990-05-17"},
    "date_of_service": "2025-11-03",
    "service_lines": [
        {"line": 1, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]},
    ],
}


def check(dx: list[str], **changes: Any) -> list[tuple[str, tuple[Any, ...], tuple[str, ...],
                                                       tuple[str, ...]]]:
    d = {**BASE, "diagnoses": dx, **changes}
    report = Checker().check(Claim.from_dict(d))
    return [(f.rule, f.location, f.codes, f.fix) for f in report.findings]


def test_a_secondary_only_code_first_is_one_finding_naming_the_code_its_note_asks_for() -> None:
    """Z3A.39 ("Code first obstetric condition or encounter for delivery (O09-O60,
    O80-O82, O94-O9A)") before O80 is one mistake: DX_SECONDARY_ONLY_FIRST_LISTED, whose
    fix is O80; DX_CODE_FIRST_ORDER on the same code is replaced."""
    d = {**BASE, "diagnoses": ["Z3A.39", "O80"]}
    (f,) = Checker().check(Claim.from_dict(d)).findings
    assert (f.rule, f.location, f.codes, f.fix, f.severity) == (
        "DX_SECONDARY_ONLY_FIRST_LISTED", ("diagnoses", 0), ("Z3A.39",), ("O80",),
        Severity.WARNING)
    assert f.message == ("Z3A.39 is reported only as an additional code: list the condition "
                         "it supplements (O80 here) first.")
    assert check(["O80", "Z3A.39"]) == []


def test_a_secondary_only_code_without_a_code_first_note_keeps_its_message() -> None:
    assert check(["Z68.41", "E66.01"]) == [
        ("DX_SECONDARY_ONLY_FIRST_LISTED", ("diagnoses", 0), ("Z68.41",), ())]


def test_the_ioce_list_replaces_code_first_on_the_coma_scale() -> None:
    """R40.2112 says 'Code first intracranial injury (S06.-)'; on an outpatient claim it is
    also on the I/OCE edit 113 list: one error, whose fix is the injury."""
    inst = {"claim_type": "institutional", "bill_type": "131", "date_of_service": "2024-08-01",
            "service_lines": [{"line": 1, "procedure_code": "99284", "revenue_code": "0450",
                               "units": 1, "diagnosis_pointers": [1]}]}
    assert check(["R40.2112", "S06.0X0A"], **inst) == [
        ("DX_SECONDARY_ONLY_FIRST_LISTED", ("diagnoses", 0), ("R40.2112",), ("S06.0X0A",))]
    # professional: the I/OCE list does not apply, the code-first warning stays
    assert check(["R40.2112", "S06.0X0A"], date_of_service="2024-08-01") == [
        ("DX_CODE_FIRST_ORDER", ("diagnoses", 0), ("R40.2112", "S06.0X0A"), ("S06.0X0A",))]


@pytest.mark.parametrize("again", ["Z51.11", "Z5111", "z51.11"])
def test_a_first_listed_only_z_code_written_twice_is_reported_once(again: str) -> None:
    """The second Z51.11 is a duplicate (DX_DUPLICATE); the first-listed-only warning is
    about the code, given once at its first position."""
    assert check(["C50.911", "Z51.11", again]) == [
        ("DX_DUPLICATE", ("diagnoses", 2), (again,), ()),
        ("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", ("diagnoses", 1), ("Z51.11",), ()),
    ]


@pytest.mark.parametrize(("dx", "expected"), [
    # Excludes1 (I.A.12.a): reported once, at the later position, the note's carrier first
    (["E11.9", "E10.9"], [("DX_EXCLUDES1_CONFLICT", ("diagnoses", 1), ("E11.9", "E10.9"), ())]),
    (["G44.209", "R51.9"],
     [("DX_EXCLUDES1_CONFLICT", ("diagnoses", 1), ("G44.209", "R51.9"), ())]),
    (["Z87.891", "F17.210"],
     [("DX_EXCLUDES1_CONFLICT", ("diagnoses", 1), ("Z87.891", "F17.210"), ())]),
    # Excludes2 and "Code also" never fire
    (["R51.9", "G43.909"], []), (["J44.9", "J45.909"], []), (["J45.909", "J44.9"], []),
    # etiology/manifestation (I.A.13): etiology first is clean
    (["G30.9", "F02.80"], []), (["M32.14", "N08"],
                                [("DX_EXCLUDES1_CONFLICT", ("diagnoses", 1), ("N08", "M32.14"),
                                  ())]),
    (["F02.80", "G30.9"],
     [("DX_MANIFESTATION_FIRST_LISTED", ("diagnoses", 0), ("F02.80",), ("G30.9",))]),
    (["D63.1", "N18.30"],
     [("DX_MANIFESTATION_FIRST_LISTED", ("diagnoses", 0), ("D63.1",), ("N18.30",))]),
    (["N18.30", "I12.9"],
     [("DX_CODE_FIRST_ORDER", ("diagnoses", 0), ("N18.30", "I12.9"), ("I12.9",))]),
    (["I12.9", "N18.30"], []),
    # external cause never first-listed
    (["Y93.01", "S72.001A"],
     [("DX_EXTERNAL_CAUSE_FIRST_LISTED", ("diagnoses", 0), ("Y93.01",), ())]),
    # 7th character and placeholder X
    (["S72.001"], [("DX_SEVENTH_CHAR_MISSING", ("diagnoses", 0), ("S72.001",), ())]),
    (["S72.001Z"], [("DX_SEVENTH_CHAR_INVALID", ("diagnoses", 0), ("S72.001Z",), ())]),
    (["T78.40A"], [("DX_PLACEHOLDER_X_MISSING", ("diagnoses", 0), ("T78.40A",), ("T78.40XA",))]),
    (["T360X1A"], []),
    (["E11.9", "E119"], [("DX_DUPLICATE", ("diagnoses", 1), ("E119",), ())]),
])
def test_conventions_a_coder_knows(dx: list[str], expected: list[Any]) -> None:
    assert check(dx) == expected
