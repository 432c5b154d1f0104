"""Post-acute and other institutional claims: skilled nursing facility (21x, 18x), home
health (32x), inpatient rehabilitation (11x with a 0024 line). What CMS's editors do not
apply to them is not applied, and their HIPPS lines are not read as CPT/HCPCS codes
(a post-acute billing review of 2026-12-06)."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim
from codekit.findings import Report

CHECKER = Checker()
OUTPATIENT = Checker(profile="medicare-outpatient")


def claim(bill_type: str, lines: list[dict[str, Any]], dx: list[Any],
          period: tuple[str, str] = ("2025-11-01", "2025-11-30"), **kw: Any) -> Claim:
    return Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": bill_type,
        "patient": {"sex": "F", "birth_date": "1940-03-02"}, "statement_period": list(period),
        "diagnoses": dx, "service_lines": lines, **kw})


def found(report: Report) -> list[tuple[str, tuple[Any, ...]]]:
    return [(f.rule, f.location) for f in report.findings]


#: A skilled nursing facility's Part A stay: the HIPPS line (0022), room and board, lab and
#: respiratory lines without HCPCS (a SNF reports HCPCS on its therapy lines only), an ECG
#: (93000, status M: the I/OCE's edit 72 on an outpatient claim) and a debridement pair of
#: the hospital NCCI table (11042 with 97597, modifier indicator 1).
SNF_LINES = [
    {"revenue_code": "0022", "procedure_code": "NHNC1", "units": 30},
    {"revenue_code": "0120", "units": 30},
    {"revenue_code": "0300", "units": 3},
    {"revenue_code": "0410", "units": 5},
    {"revenue_code": "0730", "procedure_code": "93000", "units": 1,
     "date_of_service": "2025-11-02"},
    {"revenue_code": "0361", "procedure_code": "11042", "units": 1,
     "date_of_service": "2025-11-03"},
    {"revenue_code": "0361", "procedure_code": "97597", "units": 1,
     "date_of_service": "2025-11-03"}]


@pytest.mark.parametrize("bill_type", ["211", "212", "214", "181", "411"])
def test_a_stay_no_cms_editor_takes_gets_no_ioce_or_ncci_edit(bill_type: str) -> None:
    """A SNF (21x), swing bed (18x) or religious nonmedical (41x) stay, routed to
    medicare-outpatient with its notice that no CMS editor takes the type of bill: none of
    the I/OCE's edits nor the NCCI edits judge it (the I/OCE has no path for it; NCCI is
    a Part B program). It failed before: REVENUE_CODE_REQUIRES_HCPCS on 0120, 0300 and
    0410, PROC_NOT_BILLABLE_TO_MAC on 93000, NCCI_PTP_CONFLICT on 97597, as if a 13x, and
    PROC_FORMAT_INVALID on the HIPPS code NHNC1; the notice said those edits were not
    CMS's. (A religious nonmedical institution bills no HIPPS line: 41x without it.)"""
    lines = SNF_LINES if bill_type[:2] != "41" else SNF_LINES[1:]
    report = CHECKER.check(claim(bill_type, lines, ["L89.153", "I10"]))
    assert report.profile == "medicare-outpatient"
    assert found(report) == []
    assert [n.code for n in report.notices] == ["BILL_TYPE_NOT_EDITED_BY_CMS"]
    assert report.not_run == ()
    assert "without the I/OCE's edits and the NCCI PTP, MUE and add-on edits" in \
        report.notices[0].message
    # the same claim under medicare-outpatient chosen for every claim: the I/OCE returns it
    # (and, as on every claim the I/OCE returns, the NCCI pair is still said)
    assert found(OUTPATIENT.check(claim(bill_type, lines, ["L89.153", "I10"]))) == [
        ("BILL_TYPE_INVALID", ("bill_type",)),
        ("NCCI_PTP_CONFLICT", ("service_lines", len(lines) - 1, "procedure_code"))]


def test_a_snf_stay_keeps_its_diagnosis_edits() -> None:
    """The diagnosis edits still judge a SNF stay: G35 is a header on the through date
    (2025-10-14), E11.9 beside E10.9 is an Excludes1 pair."""
    report = CHECKER.check(claim("211", SNF_LINES[:2], ["G35", "E11.9", "E10.9"],
                                 period=("2025-09-15", "2025-10-14")))
    assert found(report) == [("DX_NOT_VALID_ON_DOS", ("diagnoses", 0)),
                             ("DX_EXCLUDES1_CONFLICT", ("diagnoses", 2))]


#: A home health agency's claim of a PPS period: its HIPPS line (0023, 1AA11) and visits.
HH_LINES = [
    {"revenue_code": "0023", "procedure_code": "1AA11", "units": 1,
     "date_of_service": "2025-11-01"},
    {"revenue_code": "0551", "procedure_code": "G0299", "units": 4,
     "date_of_service": "2025-11-03"},
    {"revenue_code": "0421", "procedure_code": "G0151", "units": 3,
     "date_of_service": "2025-11-04"}]


def test_a_home_health_hipps_line_is_not_a_hcpcs_code() -> None:
    """A 32x claim's 0023 line carries the period's HIPPS code: the I/OCE passes it over
    (no edit 6), and a line whose HIPPS code the 837 or FHIR door kept apart (SV202 HP) is
    not missing its HCPCS code (no edit 48). It failed before: PROC_FORMAT_INVALID ('1AA11':
    a CPT code is 5 digits), and REVENUE_CODE_REQUIRES_HCPCS on the line without it. On a
    13x claim a 0023 line's code is judged, as the I/OCE does."""
    assert found(CHECKER.check(claim("329", HH_LINES, ["I50.22"]))) == []
    kept_apart = [{**HH_LINES[0], "procedure_code": ""}, *HH_LINES[1:]]
    assert found(CHECKER.check(claim("329", kept_apart, ["I50.22"]))) == []
    assert found(CHECKER.check(claim("131", HH_LINES[:1], ["I50.22"]))) == [
        ("PROC_FORMAT_INVALID", ("service_lines", 0, "procedure_code"))]


def test_snf_and_irf_hipps_codes_are_not_hcpcs_codes_for_any_payer() -> None:
    """0022 on a SNF stay and 0024 on an inpatient rehabilitation facility's (11x) carry
    HIPPS codes, for a commercial payer too. It failed before: PROC_FORMAT_INVALID (NHNC1:
    'HCPCS Level II codes never start with N'), PROC_CODE_UNKNOWN (A0101)."""
    snf = claim("211", SNF_LINES[:2], ["I63.9"], payer="commercial")
    assert found(CHECKER.check(snf)) == []
    irf = claim("111", [{"revenue_code": "0024", "procedure_code": "A0101", "units": 1},
                        {"revenue_code": "0128", "units": 12}],
                [{"code": "I69.351", "poa": "Y"}, {"code": "I10", "poa": "Y"}],
                period=("2025-11-01", "2025-11-13"), admission_date="2025-11-01",
                discharge_status="01", admitting_diagnosis="I69.351", payer="commercial")
    assert found(CHECKER.check(irf)) == []


def test_an_irf_stay_is_exempt_from_poa_reporting() -> None:
    """An 11x claim with a 0024 line (IRF PPS) is an inpatient rehabilitation facility's,
    which reports no POA: no POA_MISSING. It failed before: POA_MISSING on I10 (I69.351, a
    sequela, is POA-exempt).
    The same stay without the 0024 line (an IPPS hospital's) keeps them."""
    lines = [{"revenue_code": "0024", "procedure_code": "A0101", "units": 1},
             {"revenue_code": "0128", "units": 12}]
    kw: dict[str, Any] = {"period": ("2025-11-01", "2025-11-13"),
                          "admission_date": "2025-11-01", "discharge_status": "01",
                          "admitting_diagnosis": "I69.351"}
    assert found(CHECKER.check(claim("111", lines, ["I69.351", "I10"], **kw))) == []
    assert found(CHECKER.check(claim("111", lines[1:], ["I69.351", "I10"], **kw))) == [
        ("POA_MISSING", ("diagnoses", 1, "poa"))]


@pytest.mark.parametrize(("bill_type", "warned"), [("329", False), ("341", True),
                                                   ("811", True), ("211", True),
                                                   ("181", True)])
def test_a_home_health_pps_period_across_october_1_is_not_split(bill_type: str,
                                                                warned: bool) -> None:
    """A home health PPS claim (32x) is coded for its through date (CMS CR 7492, MLN
    MM7492): G35.A, valid from 2025-10-01, on a period of 2025-09-20 to 2025-10-19 is no
    DX_SPANS_CODE_SET_CHANGE there; a home health Part B claim (34x) and a hospice's (81x)
    are split, and keep it. It failed before on 329. A SNF's (21x) and a swing bed's (18x)
    inpatient claims are split at October 1 too (Claims Processing Manual ch.6 §30: a bill
    for each federal fiscal year; Medicare's front end returns one that crosses it), so
    they keep the warning."""
    lines = [{"revenue_code": "0551", "procedure_code": "G0299", "units": 2,
              "date_of_service": "2025-10-03"}]
    report = CHECKER.check(claim(bill_type, lines, ["G35.A"],
                                 period=("2025-09-20", "2025-10-19")))
    assert [r for r, _ in found(report)] == (["DX_SPANS_CODE_SET_CHANGE"] if warned else [])
