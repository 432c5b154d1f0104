"""An emergency department and urgent care coder's checks (a review of 2026-12-06):
wound repairs of one classification and anatomic group summed, not cut to the MUE; one finding
for an external-cause code listed before the code its "Code first" note names; the
words of the pointer edit for external-cause codes that are no injury's mechanism.

The PTP and MUE rows are copied by code number from the CMS practitioner tables (July 2024
and April 2026). No CPT descriptors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, ncci
from codekit.rules.ncci_edits import repair_group

DOS = "2025-06-10"
PTP_CSV = """column_1,column_2,effective_date,deletion_date,modifier_indicator
12002,12001,2012-01-01,,0
12032,12031,2012-01-01,,0
"""
MUE_CSV = "code,mue,mai\n12001,1,2\n12002,1,2\n12032,1,2\n13133,7,3\n"
WOUNDS = ["S01.81XA", "S51.811A", "W26.0XXA"]


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    folder: Path = tmp_path_factory.mktemp("ed")
    (folder / "ptp.csv").write_text(PTP_CSV)
    (folder / "mue.csv").write_text(MUE_CSV)
    return Checker(ptp=ncci.load_ptp(folder / "ptp.csv", setting="practitioner"),
                   mue=ncci.load_mue(folder / "mue.csv", effective="2024-07-01",
                                     setting="practitioner"), policies=())


def line(code: str, *mods: str, units: int = 1, ptr: int = 1) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), "units": units,
            "diagnosis_pointers": [ptr]}


def claim(dx: list[str], lines: list[dict[str, Any]]) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "place_of_service": "23",
        "patient": {"sex": "M", "birth_date": "1958-03-02"}, "date_of_service": DOS,
        "diagnoses": dx, "service_lines": lines})


def found(checker: Checker, c: Claim, *rules: str) -> list[tuple[Any, ...]]:
    return [(f.rule, f.location, f.codes, f.fix, f.message)
            for f in checker.check(c).findings if not rules or f.rule in rules]


def summed(which: str, group: str = "12001-12007") -> str:
    return (f"epairs of one classification and anatomic group ({group}) are reported once, "
            "with the code of the wounds' summed length (CPT repair guidelines, multiple "
            f"wounds): add the lengths repaired on {which} and bill the code of the total, 1 "
            "unit, on one line (not a line or a unit less: the total may be another code's "
            "length)")


def test_repair_groups() -> None:
    assert [repair_group(c) for c in ("12001", "12007", "12011", "12037", "13101", "13133",
                                      "12020", "11042", "G0168", None)] == [
        (12001, 12007), (12001, 12007), (12011, 12018), (12031, 12037), (13100, 13101),
        None, None, None, None, None]


def test_two_lines_of_one_repair_code_are_summed(checker: Checker) -> None:
    """12002 on two lines (two wounds of the group, 5 cm and 4 cm: 9 cm is 12004): the MUE
    finding said "remove line 2", which under-reports the repair."""
    got = found(checker, claim(WOUNDS, [line("12002"), line("12002", ptr=2)]))
    assert got == [(
        "MUE_EXCEEDED", ("service_lines", 1, "units"), ("12002",), (),
        "Line 2: 12002: 2 units on 2025-06-10 (lines 1, 2) exceed its MUE of 1 per day (MAI "
        "2, absolute: the units of every line of the code on the date are summed, whatever "
        "their modifiers). R" + summed("lines 1 and 2") + ".")]


def test_units_of_one_repair_code_are_summed(checker: Checker) -> None:
    """12002 x 2 on one line: the fix was 1 unit (of 12002, whatever the total length)."""
    got = found(checker, claim(WOUNDS, [line("12002", units=2)]))
    assert [(r, loc, fix) for r, loc, _, fix, _ in got] == [
        ("MUE_EXCEEDED", ("service_lines", 0, "units"), ())]
    assert got[0][4].endswith("R" + summed("line 1") + ".")


def test_two_codes_of_one_repair_group_are_summed(checker: Checker) -> None:
    """12001 + 12002 (PTP indicator 0): "remove the column-2 code" is right only when the
    summed length stays in 12002's range."""
    got = found(checker, claim(WOUNDS, [line("12001"), line("12002", ptr=2)]))
    assert got == [(
        "NCCI_PTP_CONFLICT", ("service_lines", 0, "procedure_code"), ("12002", "12001"), (),
        "Line 1: 12001 is bundled into 12002 (line 2) by an NCCI practitioner PTP edit "
        "(column 1 12002, column 2 12001, modifier indicator 0): r" + summed("lines 1 and 2")
        + ".")]


@pytest.mark.parametrize("lines", [
    [line("12002"), line("12032", ptr=2)],        # simple and intermediate: two codes
    [line("13132"), line("13133", units=3)],      # a complex repair's add-on in units
])
def test_repairs_of_two_groups_or_an_add_on_are_clean(checker: Checker,
                                                      lines: list[dict[str, Any]]) -> None:
    assert found(checker, claim(WOUNDS, lines), "MUE_EXCEEDED", "NCCI_PTP_CONFLICT") == []


def test_an_external_cause_listed_before_its_code_first_is_one_finding() -> None:
    """Y90.8 (blood alcohol level) before F10.129: its "Code first" note and the external
    cause rule said the one mistake twice; the error now names F10.129 and fixes it."""
    c = claim(["Y90.8", "F10.129"], [line("99284", ptr=2)])
    assert [(f.rule, f.location, f.codes, f.fix, f.message)
            for f in Checker(policies=()).check(c).findings] == [(
        "DX_EXTERNAL_CAUSE_FIRST_LISTED", ("diagnoses", 0), ("Y90.8",), ("F10.129",),
        "Y90.8 is an external-cause code and can never be first-listed: list the injury or "
        "condition (F10.129 here) first.")]


def test_a_pointer_to_blood_alcohol_is_not_called_an_injury() -> None:
    """Y90.8 says the blood alcohol level, not how an injury happened (I.C.20: cause,
    intent, place, activity, status)."""
    c = claim(["F10.129", "Y90.8"], [line("99285", ptr=2)])
    got = [f.message for f in Checker(policies=()).check(c).findings
           if f.rule == "PTR_PRIMARY_NOT_ALLOWED"]
    assert got == [
        "Line 1 (99285): its first pointer, 2, makes Y90.8 the line's primary diagnosis, but "
        "Y90.8 is an external-cause code, never first-listed (Guideline I.C.20); it only adds "
        "the cause, intent, place, activity or status of the injury or condition: point "
        "first to the condition treated, and to Y90.8 after it."]
