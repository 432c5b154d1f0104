"""Post-acute and other institutional claims: skilled nursing facility (21x, 18x), home
health (32x), inpatient rehabilitation (11x with a 0024 line), hospice (81x, 82x). What
CMS's editors do not apply to them is not applied, and their HIPPS lines are not read as
CPT/HCPCS codes (a post-acute billing review of 2026-12-06); what Medicare's claims
processing manual asks of a hospice's claim and of a home health period's is (a review of
2026-12-07)."""

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
    they keep the warning. (A hospice's claim across two months is returned for that too:
    HOSPICE_PERIOD_SPANS_MONTHS.)"""
    lines = [{"revenue_code": "0551", "procedure_code": "G0299", "units": 2,
              "date_of_service": "2025-10-03"}]
    report = CHECKER.check(claim(bill_type, lines, ["G35.A"],
                                 period=("2025-09-20", "2025-10-19")))
    assert [r for r, _ in found(report)] == (["DX_SPANS_CODE_SET_CHANGE"] if warned else []) \
        + (["HOSPICE_PERIOD_SPANS_MONTHS"] if bill_type == "811" else [])


#: A hospice's month of routine home care at the patient's home (Q5001), with a nurse's
#: and an aide's visits (G0299, G0156 on their discipline's lines).
HOSPICE_LINES = [
    {"revenue_code": "0651", "procedure_code": "Q5001", "units": 30},
    {"revenue_code": "0551", "procedure_code": "G0299", "units": 4,
     "date_of_service": "2025-11-03"},
    {"revenue_code": "0571", "procedure_code": "G0156", "units": 4,
     "date_of_service": "2025-11-05"}]


@pytest.mark.parametrize("bill_type", ["811", "821", "813", "0814"])
def test_a_hospice_month_with_its_site_of_service_is_clean(bill_type: str) -> None:
    """A month of hospice care whose level-of-care line names its place (Q5001, the home)
    is clean: admission through discharge, interim claims, hospital-based (82x)."""
    report = CHECKER.check(claim(bill_type, HOSPICE_LINES, ["C34.90", "J96.11"]))
    assert report.profile == "medicare-outpatient"
    assert found(report) == []


@pytest.mark.parametrize(("rev", "code"), [("0651", ""), ("651", "G0299"), ("0652", ""),
                                           ("0655", "99233"), ("0656", "Q5011")])
def test_a_hospice_level_of_care_line_without_its_site_of_service(rev: str, code: str) -> None:
    """A level-of-care line (0651 routine home care, 0652 continuous home care, 0655
    respite, 0656 general inpatient) without a site-of-service code Q5001-Q5010 (Claims
    Processing Manual ch.11 §30.3): HOSPICE_SITE_OF_SERVICE_MISSING at its procedure code,
    no fix (only the hospice knows the place). It passed before (the I/OCE does not judge
    it: pyoce 0.1.0 passes 0651 with no code and with G0299). Q5011 is no HCPCS code,
    which PROC_CODE_UNKNOWN says too."""
    lines = [{"revenue_code": rev, "procedure_code": code, "units": 3}, *HOSPICE_LINES[1:]]
    report = CHECKER.check(claim("811", lines, ["C34.90"]))
    hits = [f for f in report.findings if f.rule == "HOSPICE_SITE_OF_SERVICE_MISSING"]
    assert [(f.location, f.codes, f.fix, str(f.severity)) for f in hits] == [
        (("service_lines", 0, "procedure_code"), (code,) if code else (), (), "error")]
    assert ("carries no HCPCS code" if not code else f"carries {code}, which is no "
            "site-of-service code") in hits[0].message
    assert "Q5001-Q5010" in hits[0].message
    others = {f.rule for f in report.findings} - {"HOSPICE_SITE_OF_SERVICE_MISSING"}
    assert others == ({"PROC_CODE_UNKNOWN"} if code == "Q5011" else set())


def test_a_site_of_service_line_elsewhere_is_not_a_hospice_edit() -> None:
    """Not on a hospice's discipline line (0551 with G0299), not on another type of bill
    (0651 on a 13x is the I/OCE's edit 48, REVENUE_CODE_REQUIRES_HCPCS), not for another
    payer (Medicare's manual: the option post_acute_billing, medicare-outpatient only)."""
    bare = [{"revenue_code": "0651", "units": 30}, *HOSPICE_LINES[1:]]
    assert [r for r, _ in found(CHECKER.check(claim("131", bare[:1], ["C34.90"])))] == [
        "REVENUE_CODE_REQUIRES_HCPCS"]
    commercial = claim("811", bare, ["C34.90"], payer="Aetna", filing_indicator="CI",
                       period=("2025-10-20", "2025-11-19"))
    assert found(CHECKER.check(commercial)) == []


@pytest.mark.parametrize(("bill_type", "period", "fires"), [
    ("811", ("2025-11-15", "2025-12-14"), True),
    ("822", ("2025-12-01", "2026-01-31"), True),
    ("813", ("2025-11-01", "2025-11-30"), False),
    ("811", ("2025-11-15", "2025-11-20"), False),  # an admission through discharge
    ("81A", ("2025-11-15", "2025-12-14"), False),  # a notice of election: no monthly bill
])
def test_a_hospice_claim_bills_one_calendar_month(bill_type: str, period: tuple[str, str],
                                                  fires: bool) -> None:
    """A hospice bills each calendar month on a claim of its own (Claims Processing Manual
    ch.11 §90): a statement period into a second month is HOSPICE_PERIOD_SPANS_MONTHS at
    the statement period, whose message gives the first month's part. It passed before.
    A hospice's notices (frequency A-E) are no monthly bills."""
    report = CHECKER.check(claim(bill_type, HOSPICE_LINES[:1] if bill_type[-1].isdigit()
                                 else [], ["C34.90"], period=period))
    hits = [f for f in report.findings if f.rule == "HOSPICE_PERIOD_SPANS_MONTHS"]
    assert [f.location for f in hits] == ([("statement_period",)] if fires else [])
    if fires:
        month_end = "2025-11-30" if period[0] == "2025-11-15" else "2025-12-31"
        assert f"bill {period[0]} to {month_end} on this claim" in hits[0].message


@pytest.mark.parametrize(("bill_type", "period", "fires"), [
    ("329", ("2025-11-01", "2025-12-15"), True),  # 45 days
    ("327", ("2025-11-15", "2025-12-15"), True),  # 31 days: day 31 is the next period's
    ("329", ("2025-11-15", "2025-12-14"), False),  # 30 days across two months: right
    ("329", ("2019-11-15", "2020-01-13"), False),  # a 60-day episode (before the PDGM)
    ("32A", ("2025-11-01", "2025-12-15"), False),  # the notice of admission
    ("341", ("2025-11-01", "2025-12-15"), False),  # Part B, outside a plan of care
])
def test_a_home_health_claim_bills_one_30_day_period(bill_type: str, period: tuple[str, str],
                                                     fires: bool) -> None:
    """A home health PPS claim (32x) bills one 30-day period of care since 2020-01-01 (CMS
    CR 11081; the next period, from day 31, on its own claim: CR 11527): a longer
    statement period is HOME_HEALTH_PERIOD_TOO_LONG at the statement period, whose message
    gives this claim's 30 days. It passed before. A period may cross a month's end."""
    lines = [{**ln, "date_of_service": period[0]} for ln in HH_LINES]
    if bill_type.startswith("34"):
        lines = lines[1:]
    report = CHECKER.check(claim(bill_type, lines, ["I50.22"], period=period))
    hits = [f for f in report.findings if f.rule == "HOME_HEALTH_PERIOD_TOO_LONG"]
    assert [(f.location, str(f.severity)) for f in hits] == (
        [(("statement_period",), "error")] if fires else [])
    if fires:
        last = {"2025-11-01": "2025-11-30", "2025-11-15": "2025-12-14"}[period[0]]
        assert f"bill {period[0]} to {last} on this claim" in hits[0].message
        assert "days: a home health PPS claim bills one 30-day period of care" in \
            hits[0].message


@pytest.mark.parametrize(("bill_type", "rev", "code", "says", "fix"), [
    ("211", "0022", "NHNC1", None, ()),
    ("211", "0022", "ZZZZZ", None, ()),  # the PDPM default code
    ("181", "0022", "PLYF0", None, ()),  # the last group of each component; an IPA (0)
    ("211", "0022", "99213", "its position 1 is '9', not the PT/OT case-mix group (A-P)", ()),
    ("211", "0022", "QHNC1", "its position 1 is 'Q', not the PT/OT case-mix group (A-P)", ()),
    ("211", "0022", "NMNC1", "its position 2 is 'M', not the speech-language pathology "
     "case-mix group (A-L)", ()),
    ("211", "0022", "NHZC1", "its position 3 is 'Z', not the nursing case-mix group (A-Y)",
     ()),
    ("211", "0022", "NHNG1", "its position 4 is 'G', not the non-therapy ancillary case-mix "
     "group (A-F)", ()),
    ("211", "0022", "NHNCA", "its position 5 is 'A', not the assessment indicator (0-9)", ()),
    ("181", "0022", "nhnc1", "its position 1 is 'n'", ("NHNC1",)),
    ("211", "0022", "NHNC", "it has 4 characters, not 5", ()),
    ("329", "0023", "1AA11", None, ()),
    ("329", "0023", "4LC31", None, ()),
    ("329", "0023", "9ZZZZ", "its position 1 is '9', not the admission source and timing "
     "(1-4)", ()),
    ("329", "0023", "1MA11", "its position 2 is 'M', not the clinical group (A-L)", ()),
    ("329", "0023", "1AD11", "its position 3 is 'D', not the functional impairment level "
     "(A-C)", ()),
    ("329", "0023", "1AA41", "its position 4 is '4', not the comorbidity adjustment (1-3)",
     ()),
    ("329", "0023", "1AA12", "its position 5 is '2', not the placeholder (1)", ()),
    ("329", "0023", "ZZZZZ", "its position 1 is 'Z'", ()),  # no default code under PDGM
])
def test_a_hipps_code_has_its_payment_systems_structure(bill_type: str, rev: str, code: str,
                                                        says: str | None,
                                                        fix: tuple[str, ...]) -> None:
    """A HIPPS line's code follows its payment system's HIPPS structure: PDPM on a SNF's
    or swing bed's 0022 line (PT/OT A-P, SLP A-L, nursing A-Y, NTA A-F, the assessment
    indicator; or the default ZZZZZ: CMS CR 11152), PDGM on a home health period's 0023
    line (1-4, A-L, A-C, 1-3, 1: CMS CR 11081). HIPPS_CODE_INVALID at the line's code, for
    every payer; it passed before (no edit read a HIPPS line's code: 99213 on 0022 and
    9ZZZZ on 0023 were clean)."""
    lines = [{"revenue_code": rev, "procedure_code": code, "units": 1}]
    for payer in ("medicare", "commercial"):
        report = CHECKER.check(claim(bill_type, lines, ["I63.9"], payer=payer))
        hits = [(f.rule, f.location, f.fix) for f in report.findings]
        if says is None:
            assert hits == []
            continue
        assert hits == [("HIPPS_CODE_INVALID", ("service_lines", 0, "procedure_code"), fix)]
        assert says in report.findings[0].message


def test_a_hipps_code_is_judged_by_its_payment_systems_dates() -> None:
    """Before the PDPM (2019-10-01) a SNF's HIPPS code was a RUG-IV group and before the
    PDGM (periods from 2020-01-01) a home health one an HHRG: not judged then. A line
    whose code a door kept apart (no code) and an IRF's 0024 line are not judged either."""
    rug = [{"revenue_code": "0022", "procedure_code": "RUA10", "units": 30}]
    assert found(CHECKER.check(claim("211", rug, ["I63.9"],
                                     period=("2019-09-01", "2019-09-30")))) == []
    assert [r for r, _ in found(CHECKER.check(claim("211", rug, ["I63.9"])))] == [
        "HIPPS_CODE_INVALID"]
    hhrg = [{"revenue_code": "0023", "procedure_code": "2HFK5", "units": 1}]
    assert found(CHECKER.check(claim("329", hhrg, ["I50.22"],
                                     period=("2019-11-15", "2019-12-31")))) == []
    kept_apart = [{"revenue_code": "0023", "procedure_code": "", "units": 1}]
    assert found(CHECKER.check(claim("329", kept_apart, ["I50.22"]))) == []


def test_a_hospice_claim_from_fhir_gets_the_same_findings() -> None:
    """The FHIR door: a hospice's Claim (81x, billablePeriod into a second month, a 0651
    item without a site-of-service code) gets the two hospice edits its claim dict gets."""
    from codekit import fhir

    c = claim("811", [{"revenue_code": "0651", "procedure_code": "", "units": 30,
                       "date_of_service": "2025-11-15"}, *HOSPICE_LINES[1:]],
              ["C34.90"], period=("2025-11-03", "2025-12-02"), claim_id="H1")
    expected = sorted(f.rule for f in CHECKER.check(c).findings)
    assert expected == ["HOSPICE_PERIOD_SPANS_MONTHS", "HOSPICE_SITE_OF_SERVICE_MISSING"]
    (r,) = fhir.check_each(fhir.from_claim(c), checker=Checker(policies=()))
    assert r.claim == c
    assert sorted(f.rule for f, _ in r.issues()) == expected
