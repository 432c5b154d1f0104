"""Modifier edge cases a professional-fee coder checks on 837P claims: 25 beside a major
surgery, contradictory side modifiers (finger/toe/eyelid with RT/LT) and the advice for
an inherently bilateral code. Real codes and dates; no CPT descriptors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, procedure
from tests.claims_gen import loaded_mpfs, ptp_checker

DOS = "2025-11-03"

#: CMS practitioner PTP rows (code numbers and indicators only).
PTP_CSV = """column_1,column_2,effective_date,deletion_date,modifier_indicator
27447,99213,2000-01-01,,1
20610,99213,2000-01-01,,1
"""


def claim(lines: list[dict[str, Any]], dx: tuple[str, ...] = ("M17.11",)) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1960-05-17"},
        "date_of_service": DOS, "diagnoses": list(dx),
        "service_lines": [{"line": i + 1, "units": 1, "diagnosis_pointers": [1], **ln}
                          for i, ln in enumerate(lines)]})


def line(code: str, *mods: str) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods)}


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    return ptp_checker(tmp_path_factory.mktemp("ptp"), PTP_CSV)


@pytest.fixture
def mpfs(tmp_path: Path) -> Iterator[None]:
    """Global days as the MPFS RVU file gives them: 27447 090 (major), 20610 000."""
    yield from loaded_mpfs(tmp_path / "PPRRVU25_JAN.csv", "code,global_days\n27447,090\n20610,000\n"
                           "99213,XXX\n")


def found(report: Any, rule: str) -> list[Any]:
    return [f for f in report.findings if f.rule == rule]


class TestModifier25BesideAMajorSurgery:
    """Claims Processing Manual ch.12 §40.2.A.4, NCCI Policy Manual ch.I/XI: on the day of
    a major surgery (090 global days) an E/M is payable only as the decision for surgery
    (57); 25 is the modifier for a minor procedure."""

    def test_25_with_a_major_surgery_asks_for_57(self, checker: Checker,
                                                 mpfs: None) -> None:
        report = checker.check(claim([line("99213", "25"), line("27447", "RT")]))
        (f,) = report.findings
        assert f.rule == "EM_MINOR_PROC_NO_MOD25"
        assert f.location == ("service_lines", 0, "modifiers", 0)
        assert f.codes == ("99213", "27447") and f.fix == ("57",)
        assert f.message == (
            "Line 1: 99213 carries 25, but 27447 (line 2) is a major surgery (090 global "
            "days): an E/M on the day of a major surgery is part of its global package "
            "unless it was the decision for the surgery, which is 57 (25 is for a minor "
            "procedure): use 57 if so, otherwise remove the E/M.")

    def test_57_or_25_with_57_is_clean(self, checker: Checker, mpfs: None) -> None:
        for mods in (("57",), ("25", "57")):
            report = checker.check(claim([line("99213", *mods), line("27447", "RT")]))
            assert report.findings == ()

    def test_25_with_a_minor_procedure_is_clean(self, checker: Checker, mpfs: None) -> None:
        report = checker.check(claim([line("99213", "25"), line("20610", "RT")]))
        assert report.findings == ()

    def test_without_the_mpfs_file_25_is_accepted(self, checker: Checker) -> None:
        """Without global days codekit cannot tell minor from major: no finding."""
        report = checker.check(claim([line("99213", "25"), line("27447", "RT")]))
        assert report.findings == ()

    def test_the_outpatient_profile_keeps_the_ioce_rule(self, mpfs: None) -> None:
        """The I/OCE takes 25 as any NCCI-associated modifier (bundled hospital table)."""
        c = Claim.from_dict({**claim([line("99213", "25"), line("27447", "RT")]).to_dict(),
                             "claim_type": "institutional", "bill_type": "131"})
        assert found(Checker(policies=()).check(c), "EM_MINOR_PROC_NO_MOD25") == []


class TestOppositeSides:
    """A finger, toe or eyelid modifier names its side: RT/LT of the other side on the
    same line contradicts it, whatever the diagnosis says."""

    def test_right_thumb_with_lt(self) -> None:
        report = Checker(policies=()).check(claim([line("26055", "F5", "LT")],
                                                  dx=("M65.311",)))
        (f,) = report.findings  # replaces LATERALITY_MISMATCH on LT
        assert f.rule == "MOD_LATERALITY_CONFLICT"
        assert f.location == ("service_lines", 0, "modifiers", 1)
        assert f.codes == ("26055", "F5", "LT")
        assert f.message == ("Line 1 (26055) has F5 and LT: they name opposite sides (F5: "
                             "right hand, thumb): keep the side treated (F5 names its "
                             "side; LT is not needed).")

    def test_left_great_toe_with_rt_and_no_sided_diagnosis(self) -> None:
        report = Checker(policies=()).check(claim([line("28285", "TA", "RT")],
                                                  dx=("M20.40",)))
        assert [(f.rule, f.codes) for f in report.findings] == [
            ("MOD_LATERALITY_CONFLICT", ("28285", "TA", "RT"))]

    @pytest.mark.parametrize("mods", [("F5", "RT"), ("E3", "RT"), ("TA", "LT"), ("LC",),
                                      ("LD", "RT")])
    def test_same_side_or_coronary_is_not_this_edit(self, mods: tuple[str, ...]) -> None:
        report = Checker(policies=()).check(claim([line("26055", *mods)], dx=("M65.30",)))
        assert found(report, "MOD_LATERALITY_CONFLICT") == []


class TestInherentlyBilateral:
    """RT with LT on a code the IOCE designates inherently bilateral: 50 is not the way."""

    def test_rt_lt_on_an_inherently_bilateral_code(self) -> None:
        assert procedure.lookup("77067", on=DOS).bilateral == "inherent"
        report = Checker(policies=()).check(claim([line("77067", "RT", "LT")],
                                                  dx=("Z12.31",)))
        (f,) = report.findings
        assert (f.rule, f.codes) == ("MOD_LATERALITY_CONFLICT", ("77067", "RT", "LT"))
        assert f.message == ("Line 1 (77067) has RT and LT: the code covers both sides "
                             "(IOCE bilateral designation inherent): bill it once, without "
                             "RT, LT or 50.")

    def test_50_with_lt_on_an_inherently_bilateral_code(self) -> None:
        report = Checker(policies=()).check(claim([line("77067", "50", "LT")],
                                                  dx=("Z12.31",)))
        (f,) = report.findings
        assert f.message.endswith("drop 50 and RT/LT.")

    def test_a_conditional_code_keeps_the_50_advice(self) -> None:
        report = Checker(policies=()).check(claim([line("20610", "RT", "LT")],
                                                  dx=("M17.0",)))
        (f,) = report.findings
        assert f.message == ("Line 1 (20610) has RT and LT: bill both sides with 50 "
                             "(1 unit) or on two lines, one RT and one LT.")


# -- modifiers that cannot share a line ------------------------------------------------------


@pytest.mark.parametrize(("mods", "code", "expected"), [
    (["59", "XS", "RT"], "20610", [("$.service_lines[0].modifiers[1]", ("XS",))]),
    (["XU", "59", "RT"], "20610", [("$.service_lines[0].modifiers[1]", ("XU",))]),
    (["26", "TC"], "71046", [("$.service_lines[0].modifiers[1]", ())]),
    (["GA", "GZ", "RT"], "20610", [("$.service_lines[0].modifiers[1]", ())]),
    (["RT", "RT"], "20610", [("$.service_lines[0].modifiers[1]", ())]),
    (["rt", "RT "], "20610", [("$.service_lines[0].modifiers[1]", ())]),
    (["26"], "71046", []), (["59", "RT"], "20610", []), (["XS", "RT"], "20610", []),
    (["GA", "RT"], "20610", []), (["TC"], "71046", [])])
def test_modifiers_that_cannot_share_a_line(mods: list[str], code: str,
                                            expected: list[tuple[str, tuple[str, ...]]]) -> None:
    """59 with an X{EPSU} modifier (CMS: incorrect on one line), 26 with TC, GA with GZ and
    a modifier written twice were accepted without a word."""
    report = Checker(policies=()).check(claim([line(code, *mods)]))
    assert [(f.path, f.fix) for f in found(report, "MOD_COMBINATION_INVALID")] == expected


def test_a_contradiction_message_says_why_and_what_to_keep() -> None:
    report = Checker(policies=()).check(claim([line("20610", "59", "XS", "RT")]))
    (f,) = found(report, "MOD_COMBINATION_INVALID")
    assert (f.message, f.codes, f.severity.value) == (
        "Line 1 has 59 and XS: XS is a more specific form of 59 (a distinct procedural "
        "service): CMS calls reporting both on one line incorrect; keep XS.",
        ("59", "XS"), "error")


# -- a modifier CMS ended with another in its place ---------------------------------------


@pytest.mark.parametrize(("dos", "expected"), [
    ("2025-02-01", [("$.service_lines[0].modifiers[0]", ("TB",))]),
    ("2024-12-31", [])])
def test_jg_after_2024_is_told_to_be_tb(dos: str, expected: list[Any]) -> None:
    """J9035 JG after JG ended (2024-12-31): every 340B-acquired drug takes TB from
    2025-01-01 (spec E1); the finding's fix was empty."""
    report = Checker(policies=()).check(Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": dos,
        "patient": {"sex": "F", "birth_date": "1960-05-17"}, "diagnoses": ["C18.9"],
        "service_lines": [{"line": 1, "units": 1, "diagnosis_pointers": [1],
                           **line("J9035", "JG")}]}))
    assert [(f.path, f.fix) for f in found(report, "MOD_INVALID")] == expected
    if expected:
        assert "report TB in its place" in found(report, "MOD_INVALID")[0].message
