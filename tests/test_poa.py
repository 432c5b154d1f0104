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
        "admitting_diagnosis": "R10.9", "service_lines": [], **extra})


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
    # both POA list edits (catalog, POA_MISSING: "The same holds for POA_EXEMPT_REPORTED")
    assert [r for r, _ in report.not_run] == ["POA_MISSING", "POA_EXEMPT_REPORTED"]
    assert "FY2019-FY2026" in report.not_run[0][1]


def test_a_discharge_with_no_bundled_list_lists_both_poa_edits_as_not_run() -> None:
    """FY2027 (from 2026-10-01) has no bundled CDC list: Z37.0 reported Y was judged on
    2026-09-30 (FY2026) and silently not on 2026-10-01 (POA_EXEMPT_REPORTED was in no
    not_run)."""
    dx = ["K35.80", {"code": "Z37.0", "poa": "Y"}]
    assert _rules(_claim("2026-09-30", dx)) == [("POA_MISSING", ("diagnoses", 0, "poa")),
                                                ("POA_EXEMPT_REPORTED", ("diagnoses", 1, "poa"))]
    report = Checker().check(_claim("2026-10-01", dx))
    assert report.findings == ()
    reason = ("no CDC POA-exempt list for FY2027, the fiscal year of 2026-10-01 (codekit has "
              "FY2019-FY2026)")
    assert report.not_run == (("POA_MISSING", reason), ("POA_EXEMPT_REPORTED", reason))


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


# -- a hospital exempt from POA reporting; the 5010 blank; the indicator's case ---------------


def _exempt_hospital() -> Checker:
    from codekit.rules.profiles import builtin_profiles

    inpatient = builtin_profiles()["medicare-inpatient"]
    return Checker(profile=inpatient.evolve(options={"poa_required": False}))


def test_a_hospital_exempt_from_poa_reporting() -> None:
    """A critical access hospital, an LTCH, an IRF, an IPF, a cancer or children's hospital
    (paid outside the IPPS) bills 11x without POA indicators (CMS HAC/POA reporting): the
    profile option poa_required=False, and POA_MISSING does not run."""
    claim = _claim("2025-11-03", ["J18.9", "I10"])
    assert _rules(claim) == [("POA_MISSING", ("diagnoses", 0, "poa")),
                             ("POA_MISSING", ("diagnoses", 1, "poa"))]
    report = _exempt_hospital().check(claim)
    assert report.findings == () and report.not_run == ()
    # a value written is still judged: not a POA value, or reported on an exempt code
    claim = _claim("2025-11-03", [{"code": "J18.9", "poa": "Q"}, {"code": "Z37.0", "poa": "Y"}])
    assert [(f.rule, f.location) for f in _exempt_hospital().check(claim).findings] == [
        ("POA_INVALID", ("diagnoses", 0, "poa")),
        ("POA_EXEMPT_REPORTED", ("diagnoses", 1, "poa"))]


def test_the_poa_messages_advise_a_blank_never_1() -> None:
    """The 5010 837I's HI0x-9 takes Y, N, U and W only: an exempt code's indicator is left
    out ("1" is the 4010A form of the blank, read but never advised)."""
    report = Checker().check(_claim("2025-11-03", [
        {"code": "K35.80", "poa": "Y"}, {"code": "Z79.4", "poa": "N"}, {"code": "I10"},
        {"code": "E11.9", "poa": "1"}, {"code": "E78.5", "poa": "x"}]))
    assert sorted(((f.rule, f.message) for f in report.findings),
                  key=lambda rm: rm[1]) == [
        ("POA_EXEMPT_REPORTED", "Diagnosis 2 Z79.4 is exempt from POA reporting (CDC list of "
         "FY2026) but has indicator N: leave the indicator blank (on the 837I, no HI0x-9)."),
        ("POA_MISSING", "Diagnosis 3 I10 needs a POA indicator (Y, N, U or W): got none, and "
         "I10 is not on the CDC POA-exempt list of FY2026; a hospital exempt from POA "
         "reporting (paid outside the IPPS: critical access, long-term care, inpatient "
         "rehabilitation or psychiatric, cancer or children's hospital) checks with the "
         "profile option poa_required=False."),
        ("POA_MISSING", "Diagnosis 4 E11.9 needs a POA indicator (Y, N, U or W): got '1' (the "
         "4010A form of a blank: exempt), and E11.9 is not on the CDC POA-exempt list of "
         "FY2026; a hospital exempt from POA reporting (paid outside the IPPS: critical "
         "access, long-term care, inpatient rehabilitation or psychiatric, cancer or "
         "children's hospital) checks with the profile option poa_required=False."),
        ("POA_INVALID", "Diagnosis 5 E78.5: POA indicator 'X' is not one of Y (present at "
         "admission), N (not present), U (documentation insufficient), W (clinically "
         "undetermined), or blank (exempt).")]
    assert "blank" in poa.INDICATORS["1"] and "4010A" in poa.INDICATORS["1"]


def test_a_lower_case_indicator_is_upper_cased_by_every_reader() -> None:
    """docs/fhir.md: the indicator is upper-cased; the claim dict does the same (the 837I's
    HI0x-9 is a code list: its reader calls "y" invalid)."""
    from codekit import fhir

    claim = _claim("2025-11-03", [{"code": "J18.9", "poa": "y"}, {"code": "I10", "poa": "n"}])
    assert claim.poa == ("Y", "N")
    assert Claim.from_dict(claim.to_dict()) == claim
    resource = fhir.from_claim(claim)
    rows = [row for row in resource["diagnosis"] if "onAdmission" in row]
    for row in rows:
        row["onAdmission"]["coding"][0]["code"] = row["onAdmission"]["coding"][0]["code"].lower()
    (read,) = fhir.read(resource)
    assert read.claim.poa == ("Y", "N")
    # the FHIR example code system (y, n, u, w) and a NUBC coding alike
    rows[0]["onAdmission"]["coding"][0]["system"] = \
        "http://terminology.hl7.org/CodeSystem/ex-diagnosis-on-admission"
    (read,) = fhir.read(resource)
    assert read.claim.poa == ("Y", "N")
