"""MIPS quality-data codes (QDCs) on practitioners' claims: CPT Category II codes (3046F,
3074F, 1036F, with 1P, 2P, 3P or 8P) and the quality G-codes (G8427...) a practitioner
reports on their own $0.00 lines beside the visit, pointing to the diagnosis the measure is
about. A QDC is no service: CMS denies every QDC line with remark N365 ("not payable ... for
reporting/information purposes only"), the MPFS gives the G-codes status M ("measurement
codes"), CPT calls Category II codes supplemental tracking codes. So the edits that judge a
service leave it be: the Medicare Telehealth Services List (a QDC of a telehealth visit
shares its claim's place of service 02 or 10), and modifier 25 (an E/M beside QDCs alone is
beside no other service).

The MPFS rows are written here in the CMS PPRRVU layout (``tests.test_fee_schedule``): G8427
and G8431 with status M, 99214 with status A, as the CMS RVU file gives them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, procedure
from tests.claims_gen import loaded_mpfs
from tests.test_fee_schedule import _NAMES, _csv_row

DAY = "2025-11-03"

MPFS = "".join(",," + title + "\n" for title in (
    "2025 National Physician Fee Schedule Relative Value File January Release",
    "CPT codes and descriptions only are copyright 2024 American Medical Association.")
) + "".join(",".join(row) + "\n" for row in _NAMES) + "".join(_csv_row(*row) for row in (
    ("99214", "", "A", "0", "XXX", "0", "0", "0", "0", "0"),
    ("G8427", "", "M", "9", "XXX", "9", "9", "9", "9", "9"),
    ("G8431", "", "M", "9", "XXX", "9", "9", "9", "9", "9"),
))


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(policies=())


@pytest.fixture
def rvu(tmp_path: Path) -> Iterator[procedure.MpfsTable]:
    yield from loaded_mpfs(tmp_path / "PPRRVU25_JAN.csv", MPFS)


def line(code: str, *mods: str, ptr: tuple[int, ...] = (1,), charge: str = "0.00"
         ) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), "units": 1,
            "diagnosis_pointers": list(ptr), "charge": charge}


def claim(dx: list[str], lines: list[dict[str, Any]], *, pos: str = "11",
          payer: str = "medicare") -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": payer, "place_of_service": pos,
        "patient": {"sex": "F", "birth_date": "1952-05-14"}, "date_of_service": DAY,
        "diagnoses": dx, "service_lines": lines})


def found(checker: Checker, c: Claim) -> list[tuple[str, str, tuple[Any, ...]]]:
    return [(f.rule, f.severity.value, f.location) for f in checker.check(c).findings]


def test_category_ii_codes_are_quality_data() -> None:
    """The resolve bit QUALITY: every CPT Category II code; a Level II code only by its
    MPFS status M (none loaded here); never a service code."""
    bits = {c: bool(procedure.resolve(c, on=DAY).bits & procedure.Resolved.QUALITY)
            for c in ("3046F", "3074F", "1036F", "G8427", "99214", "G0444")}
    assert bits == {"3046F": True, "3074F": True, "1036F": True, "G8427": False,
                    "99214": False, "G0444": False}


# -- MOD_TELEHEALTH_NOT_ELIGIBLE: the telehealth list judges services, not QDCs ------------

@pytest.mark.parametrize("pos", ["10", "02"])
def test_category_ii_lines_of_a_telehealth_visit(checker: Checker, pos: str) -> None:
    """A diabetes visit by audio-video at home (POS 10) or elsewhere (02): 99214 95 and its
    HbA1c and blood pressure QDCs (3046F, 3074F, 3078F at $0.00, 8P on one). They were
    each told "report the place where it was furnished in person" (an error a line)."""
    c = claim(["E11.9", "I10"], [
        line("99214", "95", ptr=(1, 2), charge="150.00"), line("3046F"),
        line("3074F", ptr=(2,)), line("3078F", "8P", ptr=(2,))], pos=pos)
    assert found(checker, c) == []
    assert checker.check(c).ok


def test_category_ii_line_with_its_own_95(checker: Checker) -> None:
    """95 on the QDC's line too (some billing systems copy the visit's modifiers): the QDC
    still is no service the list judges; 95 on a service not on the list still fires."""
    c = claim(["I10", "M17.11"], [
        line("99214", "95", ptr=(1,), charge="150.00"), line("3074F", "95"),
        line("20610", "RT", "95", ptr=(2,), charge="90.00")])
    assert found(checker, c) == [
        ("MOD_TELEHEALTH_NOT_ELIGIBLE", "error", ("service_lines", 2, "modifiers", 1))]


def test_quality_g_codes_with_the_mpfs(checker: Checker, rvu: procedure.MpfsTable) -> None:
    """G8427 (current medications documented) and G8431 (depression screening) have MPFS
    status M: with the file loaded they are QDCs and a telehealth visit's lines are clean."""
    c = claim(["I10", "F32.A"], [line("99214", "95", ptr=(1, 2), charge="150.00"),
                                 line("G8427"), line("G8431", ptr=(2,))], pos="10")
    assert found(checker, c) == []


def test_quality_g_codes_without_the_mpfs(checker: Checker) -> None:
    """Without an MPFS file codekit cannot tell a quality G-code from a Level II service
    (the I/OCE's status M holds payable codes too, G0181): G8427 is still judged."""
    c = claim(["I10"], [line("99214", "95", charge="150.00"), line("G8427")], pos="10")
    assert found(checker, c) == [
        ("MOD_TELEHEALTH_NOT_ELIGIBLE", "error", ("place_of_service",))]


# -- MOD_25_WITHOUT_OTHER_SERVICE: QDCs are no other service --------------------------------

@pytest.mark.parametrize("payer", ["medicare", "aetna"])
def test_25_beside_quality_data_codes_alone(checker: Checker, payer: str) -> None:
    c = claim(["E11.9", "I10"], [line("99214", "25", ptr=(1, 2), charge="150.00"),
                                 line("3046F"), line("3074F", ptr=(2,), charge="0.01")],
              payer=payer)
    [f] = [f for f in checker.check(c).findings if f.rule == "MOD_25_WITHOUT_OTHER_SERVICE"]
    assert (f.severity.value, f.location, f.codes, f.fix) == (
        "warning", ("service_lines", 0, "modifiers", 0), ("99214", "25"), ())
    assert f.message == (
        "Line 1: 99214 carries modifier 25, which says the E/M was significant and "
        "separately identifiable from another procedure or service of its date, and the "
        "other lines of 2025-11-03 are quality-data codes (3046F, 3074F), which report a "
        "quality measure's action, not a service: remove 25 (it stays only if the other "
        "service of that day is billed on another claim).")


def test_25_beside_one_quality_data_code(checker: Checker) -> None:
    c = claim(["E11.9"], [line("99214", "25", charge="150.00"), line("3046F", "8P")])
    [f] = checker.check(c).findings
    assert f.rule == "MOD_25_WITHOUT_OTHER_SERVICE"
    assert "and the other line of 2025-11-03 is a quality-data code (3046F), which " \
        "reports a quality measure's action, not a service: remove 25" in f.message


def test_25_beside_a_service_and_quality_data_codes(checker: Checker) -> None:
    """An injection the same day is the other service: 25 stays, the QDC changes nothing."""
    c = claim(["M17.11", "I10"], [line("99214", "25", ptr=(2,), charge="150.00"),
                                  line("20610", "RT", charge="90.00"),
                                  line("3074F", ptr=(2,))])
    assert [r for r, _, _ in found(checker, c)] == []


def test_25_beside_a_quality_g_code_with_the_mpfs(checker: Checker,
                                                  rvu: procedure.MpfsTable) -> None:
    c = claim(["I10"], [line("99214", "25", charge="150.00"), line("G8427")])
    assert [r for r, _, _ in found(checker, c)] == ["MOD_25_WITHOUT_OTHER_SERVICE"]


def test_qdc_lines_otherwise_clean(checker: Checker) -> None:
    """An office visit with its QDCs at $0.00 and $0.01, each with 1P, 2P, 3P or 8P, is
    clean under both professional profiles (no charge edit; the Category II modifiers
    on Category II codes)."""
    for payer in ("medicare", "aetna"):
        c = claim(["E11.9", "I10", "Z72.0"], [
            line("99214", ptr=(1, 2, 3), charge="150.00"), line("3046F", "1P"),
            line("3074F", "2P", ptr=(2,)), line("4004F", "3P", ptr=(3,), charge="0.01"),
            line("1036F", "8P", ptr=(3,))], payer=payer)
        assert found(checker, c) == []
        assert c.service_lines[3].charge == Decimal("0.01")


@pytest.mark.parametrize("mod", ["1P", "2p", "3P"])
def test_an_outpatient_hospital_claim_keeps_edit_22_on_the_category_ii_exclusions(
        checker: Checker, mod: str) -> None:
    """1P, 2P and 3P are valid on a practitioner's quality line, but the I/OCE's modifier
    list lacks them: under medicare-outpatient (type of bill 131) 3046F-1P is MOD_INVALID,
    as the I/OCE's edit 22 (pyoce 0.1.0: tests/test_ioce_crosscheck.py, KNOWN). Since
    the bundled list took them in for practitioners, the outpatient claim was clean; 8P
    is on the I/OCE's list and stays clean."""
    def hospital(*mods: str) -> Claim:
        return Claim.from_dict({
            "claim_type": "institutional", "bill_type": "131", "payer": "medicare",
            "patient": {"sex": "F", "birth_date": "1952-05-14"}, "date_of_service": DAY,
            "diagnoses": ["E11.9"], "service_lines": [
                {"procedure_code": "99283", "revenue_code": "0450", "units": 1},
                {"procedure_code": "3046F", "modifiers": list(mods), "revenue_code": "0510",
                 "units": 1}]})

    report = checker.check(hospital(mod))
    assert report.profile == "medicare-outpatient"
    (f,) = [f for f in report.findings if f.rule == "MOD_INVALID"]
    up = mod.upper()
    assert (f.location, f.codes, f.fix) == (("service_lines", 1, "modifiers", 0), (mod,), ())
    assert f.message == (
        f"Line 2, modifier {mod!r}: {up} is a CPT Category II (performance measurement) "
        "modifier of a practitioner's quality line, not on the I/OCE's modifier list: an "
        "outpatient hospital claim does not take it (I/OCE edit 22); remove it.")
    assert [f.rule for f in checker.check(hospital("8P")).findings
            if f.rule == "MOD_INVALID"] == []
    # the practitioner's quality line keeps it
    assert [f.rule for f in checker.check(claim(["E11.9"], [line("99214", charge="120.00"),
                                                            line("3046F", mod)])).findings
            if f.rule == "MOD_INVALID"] == []


def test_an_outpatient_claim_is_not_told_to_use_1p(checker: Checker) -> None:
    """An unknown modifier near 1P (1T): the practitioner's claim is offered 1P among the
    nearest; the outpatient hospital claim, whose I/OCE refuses 1P, is not."""
    def hospital() -> Claim:
        return Claim.from_dict({
            "claim_type": "institutional", "bill_type": "131", "payer": "medicare",
            "patient": {"sex": "F", "birth_date": "1952-05-14"}, "date_of_service": DAY,
            "diagnoses": ["E11.9"], "service_lines": [
                {"procedure_code": "99283", "revenue_code": "0450", "units": 1,
                 "modifiers": ["1T"]}]})

    (out,) = [f for f in checker.check(hospital()).findings if f.rule == "MOD_INVALID"]
    assert out.fix == ("T1", "AT", "CT", "ET", "FT")
    (pro,) = [f for f in checker.check(claim(["E11.9"], [line("99214", "1T")])).findings
              if f.rule == "MOD_INVALID"]
    assert pro.fix == ("T1", "1P", "AT", "CT", "ET")
    assert "with CPT's 1P-3P" in pro.message


def test_the_modifiers_the_ioce_lacks_are_the_ones_the_build_adds() -> None:
    """``codekit.modifiers.IOCE_UNLISTED`` (what MOD_INVALID refuses under the I/OCE) is the
    build's ``CPT_MODIFIERS`` (what the bundled list adds to the I/OCE's)."""
    from codekit import modifiers
    from codekit.build.procedures import CPT_MODIFIERS

    assert frozenset(CPT_MODIFIERS) == modifiers.IOCE_UNLISTED
