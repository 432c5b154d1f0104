"""POA indicators on inpatient claims: the CDC exempt list of the discharge's fiscal year,
and the three findings (missing, invalid, reported on an exempt code)."""

from __future__ import annotations

import lzma
from typing import Any

import pytest

from codekit import Checker, Claim, poa
from tests.conftest import reference


def _claim(day: str, dx: list[Any], **extra: Any) -> Claim:
    return Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
        "patient": {"sex": "F", "age": 30}, "date_of_service": day, "diagnoses": dx,
        "service_lines": [], **extra})


def _rules(claim: Claim) -> list[tuple[str, object]]:
    return [(f.rule, f.location) for f in Checker().check(claim).findings]


def test_exempt_lists_by_fiscal_year() -> None:
    assert poa.fiscal_years() == list(range(2019, 2027))
    # Z37.0 (outcome of delivery) and Z38.00 are exempt every year; I10 never is
    for day in ("2018-10-01", "2022-06-01", "2025-11-03"):
        assert poa.is_exempt("Z37.0", on=day) and poa.is_exempt("Z3800", on=day)
        assert poa.is_exempt("I10", on=day) is False
    assert poa.is_exempt("Z37.0", on="2018-09-30") is None  # FY2018: no list bundled
    assert poa.is_exempt("Z37.0", on="2026-10-01") is None  # FY2027: none either


def test_the_bundled_lists_are_the_cdc_files() -> None:
    """Every year's bundled list is exactly the CDC file's codes."""
    for year in range(2019, 2027):
        path = reference("cdc_poa_exempt", f"POAexemptCodesFY{year % 100:02d}.txt.xz")
        lines = lzma.decompress(path.read_bytes()).decode("latin-1").splitlines()[1:]
        codes = {line.split("\t")[1] for line in lines if line.strip()}
        day = f"{year - 1}-10-01"
        assert all(poa.is_exempt(c, on=day) for c in codes), year
    # and a code added to the list in a later year is not exempt before
    fy26 = lzma.decompress(reference("cdc_poa_exempt", "POAexemptCodesFY26.txt.xz")
                           .read_bytes()).decode("latin-1").splitlines()[1:]
    fy25 = lzma.decompress(reference("cdc_poa_exempt", "POAexemptCodesFY25.txt.xz")
                           .read_bytes()).decode("latin-1").splitlines()[1:]
    new = {ln.split("\t")[1] for ln in fy26 if ln.strip()} - \
        {ln.split("\t")[1] for ln in fy25 if ln.strip()}
    code = sorted(new)[0]
    assert poa.is_exempt(code, on="2025-10-01") and not poa.is_exempt(code, on="2025-09-30")


def test_every_valid_diagnosis_needs_an_indicator_unless_exempt() -> None:
    # O80 (full-term delivery), Z37.0 and Z3A.39 are on the CDC exempt list (O80 takes no
    # other chapter 15 code: DX_GUIDELINE_CONFLICT; O99.214 is a delivery of its own)
    ok = _claim("2025-11-03", [{"code": "O80", "poa": "1"}, {"code": "Z37.0", "poa": "1"},
                               {"code": "Z3A.39"}])
    assert _rules(ok) == []
    ok = _claim("2025-11-03", [{"code": "O99.214", "poa": "N"}, {"code": "Z37.0", "poa": "1"},
                               {"code": "Z3A.39"}])
    assert _rules(ok) == []
    missing = _claim("2025-11-03", ["O60.14X0", {"code": "O99.214", "poa": ""},
                                    {"code": "Z37.0"}, {"code": "O24.410", "poa": "1"}])
    assert _rules(missing) == [("POA_MISSING", ("diagnoses", 0, "poa")),
                               ("POA_MISSING", ("diagnoses", 1, "poa")),
                               ("POA_MISSING", ("diagnoses", 3, "poa"))]


def test_invalid_values_and_indicators_on_exempt_codes() -> None:
    claim = _claim("2024-03-15", [{"code": "O80", "poa": "X"}, {"code": "Z37.0", "poa": "Y"},
                                  {"code": "O99.214", "poa": "w"}])
    report = Checker().check(claim)
    # (O80 beside O99.214 is a guideline conflict too: O80 takes no other chapter 15 code)
    assert [(f.rule, f.location, f.severity.value) for f in report.findings] == [
        ("DX_GUIDELINE_CONFLICT", ("diagnoses", 0), "warning"),
        ("POA_INVALID", ("diagnoses", 0, "poa"), "error"),
        ("POA_EXEMPT_REPORTED", ("diagnoses", 1, "poa"), "warning")]
    assert "'X' is not one of Y" in report.findings[1].message
    assert "CDC list of FY2024" in report.findings[2].message


def test_invalid_diagnoses_get_no_poa_finding_and_years_without_a_list_say_so() -> None:
    assert _rules(_claim("2025-11-03", [{"code": "O80", "poa": "1"}, "E11.99"])) == [
        ("DX_CODE_UNKNOWN", ("diagnoses", 1))]
    report = Checker().check(_claim("2018-06-01", ["O80"]))
    assert report.findings == ()
    assert [r for r, _ in report.not_run] == ["POA_MISSING"]
    assert "FY2019-FY2026" in report.not_run[0][1]


@pytest.mark.parametrize("profile", ["medicare-outpatient", "medicare-professional",
                                     "commercial"])
def test_only_the_inpatient_profile_asks_for_poa(profile: str) -> None:
    claim = _claim("2025-11-03", ["O80", {"code": "I10", "poa": "Q"}])
    assert not [f for f in Checker(profile=profile).check(claim).findings
                if f.rule.startswith("POA_")]


@pytest.mark.parametrize("value", sorted(poa.INDICATORS))
def test_every_indicator_of_codekit_poa_is_judged_by_its_meaning(value: str) -> None:
    """The edits read the values of ``codekit.poa``: Y, N, U and W report (wrong on the
    exempt Z37.0), 1 exempts (wrong on J18.9, which is not exempt). (Not I10 first: the
    MCE's questionable-admission list has it, DX_ADMISSION_QUESTIONABLE.)"""
    claim = _claim("2025-11-03", [{"code": "J18.9", "poa": value},
                                  {"code": "Z37.0", "poa": value}])
    expected = [("POA_EXEMPT_REPORTED", ("diagnoses", 1, "poa"))] if value in poa.REPORTED \
        else [("POA_MISSING", ("diagnoses", 0, "poa"))]
    assert _rules(claim) == expected
