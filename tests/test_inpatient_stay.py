"""The stay of an inpatient claim: its patient discharge status (``DISCHARGE_STATUS_INVALID``,
and against the bill's frequency ``DISCHARGE_STATUS_FREQUENCY_CONFLICT``), its admitting
diagnosis (``ADMITTING_DX_MISSING``), the length of stay (``PCS_LOS_INCONSISTENT``) and the
dates of its ICD-10-PCS procedures (``PCS_DATE_AFTER_DISCHARGE``,
``PCS_DATE_BEFORE_ADMISSION``), through every door that carries them: the claim dict, the
837I (CL1-03, HI BBR/BBQ dates), FHIR (supportingInfo ``discharge-status``,
``procedure.date``) and pandas. The MCE cross-check (tests/test_mce_crosscheck.py) holds
the status list equal to the MCE's."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from codekit import Checker, Claim, fhir
from codekit.claims import Procedure
from codekit.rules.inpatient import DISCHARGE_STATUSES

D = dt.date

#: A clean inpatient stay: statement period 2025-11-01 to 2025-11-05, admitted 2025-11-01,
#: appendicitis (K35.80) with its appendectomy (0DTJ4ZZ) on 2025-11-02.
STAY: dict[str, Any] = {
    "claim_id": "H1", "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
    "patient": {"sex": "F", "birth_date": "1955-04-02"},
    "statement_period": ["2025-11-01", "2025-11-05"], "admission_date": "2025-11-01",
    "diagnoses": [{"code": "K35.80", "poa": "Y"}, {"code": "I10", "poa": "Y"}],
    "admitting_diagnosis": "R10.31", "procedures": [{"code": "0DTJ4ZZ", "date": "2025-11-02"}]}

STATUS_MESSAGE = ("The patient discharge status {!r} is not a NUBC patient discharge status "
                  "code of an inpatient claim (UB-04 FL 17, 837I CL1-03: 01-07, 20, 21, 30, "
                  "43, 50, 51, 61-66, 69, 70, 81-95): correct it.")


def _stay(**changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(STAY)
    for key, value in changes.items():
        if value is KeyError:
            del d[key]
        else:
            d[key] = value
    return d


def _found(claim: dict[str, Any] | Claim, **checker: Any) -> list[tuple[str, str, str,
                                                                        tuple[str, ...]]]:
    c = claim if isinstance(claim, Claim) else Claim.from_dict(claim)
    return [(f.rule, f.severity.value, f.path, f.codes)
            for f in Checker(**checker).check(c).findings]


def test_the_stay_is_clean() -> None:
    assert _found(STAY) == []
    assert _found(_stay(discharge_status="01")) == []


# -- the discharge status ----------------------------------------------------------------------


@pytest.mark.parametrize(("status", "fires"), [
    ("01", False), ("06", False), ("20", False), ("30", False), ("43", False),
    ("65", False), ("70", False), ("81", False), ("95", False),
    # one digit: a number in a spreadsheet, Blue Button's ptnt_dschrg_stus_cd ("1")
    ("1", False), (" 02 ", False),
    ("00", True), ("08", True), ("09", True), ("40", True), ("41", True), ("42", True),
    ("71", True), ("96", True), ("99", True), ("0", True), ("A1", True), ("001", True),
])
def test_the_discharge_status_of_an_inpatient_claim(status: str, fires: bool) -> None:
    expected = [("DISCHARGE_STATUS_INVALID", "error", "$.discharge_status", (status,))]
    # (30 on a 111 is DISCHARGE_STATUS_FREQUENCY_CONFLICT: a valid code on the wrong bill)
    assert [f for f in _found(_stay(discharge_status=status))
            if f[0] == "DISCHARGE_STATUS_INVALID"] == (expected if fires else [])


def test_the_message_lists_the_valid_codes() -> None:
    report = Checker().check(Claim.from_dict(_stay(discharge_status="09")))
    (f,) = report.findings
    assert f.message == STATUS_MESSAGE.format("09")
    assert len(DISCHARGE_STATUSES) == 36


def test_a_missing_or_blank_status_is_not_judged() -> None:
    assert _found(_stay(discharge_status=None)) == []
    assert _found(_stay(discharge_status="")) == []
    assert Claim.from_dict(STAY).discharge_status is None


def test_only_inpatient_claims_are_judged() -> None:
    """Other types of bill carry codes the inpatient list lacks (hospice 40-42)."""
    hospice = _stay(bill_type="811", discharge_status="41", procedures=KeyError,
                    admission_date=KeyError,
                    service_lines=[{"revenue_code": "0651", "units": 3,
                                    "procedure_code": "Q5001",
                                    "date_of_service": "2025-11-01"}])
    assert "DISCHARGE_STATUS_INVALID" not in [r for r, *_ in _found(hospice)]
    # any payer: the UB-04's own code list (commercial profile)
    assert _found(_stay(payer="aetna", discharge_status="99")) == [
        ("DISCHARGE_STATUS_INVALID", "error", "$.discharge_status", ("99",))]
    # an institutional claim without a type of bill under the inpatient profile
    no_tob = _stay(bill_type=KeyError, discharge_status="99")
    assert _found(no_tob, profile="medicare-inpatient") == [
        ("DISCHARGE_STATUS_INVALID", "error", "$.discharge_status", ("99",))]


def test_the_claim_dict_carries_the_status() -> None:
    claim = Claim.from_dict(_stay(discharge_status="06"))
    assert claim.discharge_status == "06" and claim.to_dict()["discharge_status"] == "06"
    assert Claim.from_dict(claim.to_dict()) == claim
    assert Claim.from_dict(_stay(discharge_status=1)).discharge_status == "1"


# -- the procedures' dates ---------------------------------------------------------------------

AFTER = ("Procedure 1 0DTJ4ZZ is dated 2025-11-06, 1 day after the stay's last day on this "
         "claim (2025-11-05, the statement period's through date: the discharge): correct the "
         "procedure's date or the claim's.")
BEFORE = ("Procedure 1 0DTJ4ZZ is dated 2025-10-28, 4 days before the admission (2025-11-01):"
          " an inpatient claim reports the procedures of the stay and of the 3 days before "
          "the admission (the payment window, from 2025-10-29); correct the date, or bill the "
          "procedure on the claim of its own encounter.")


@pytest.mark.parametrize(("day", "expected"), [
    ("2025-11-05", []),  # the discharge day
    ("2025-11-06", [("PCS_DATE_AFTER_DISCHARGE", "error", "$.procedures[0].date",
                     ("0DTJ4ZZ",))]),
    ("2026-01-10", [("PCS_DATE_AFTER_DISCHARGE", "error", "$.procedures[0].date",
                     ("0DTJ4ZZ",))]),
    ("2025-11-01", []),  # the admission day
    ("2025-10-29", []),  # 3 days before: the payment window
    ("2025-10-28", [("PCS_DATE_BEFORE_ADMISSION", "warning", "$.procedures[0].date",
                     ("0DTJ4ZZ",))]),
])
def test_a_procedure_date_against_the_stay(day: str, expected: list[Any]) -> None:
    assert _found(_stay(procedures=[{"code": "0DTJ4ZZ", "date": day}])) == expected


def test_the_date_messages() -> None:
    for day, text in (("2025-11-06", AFTER), ("2025-10-28", BEFORE)):
        report = Checker().check(Claim.from_dict(
            _stay(procedures=[{"code": "0DTJ4ZZ", "date": day}])))
        assert [f.message for f in report.findings] == [text]


def test_the_stay_without_an_admission_date_or_a_period() -> None:
    # no admission date: the statement period's from date is the admission
    assert _found(_stay(admission_date=KeyError, procedures=[
        {"code": "0DTJ4ZZ", "date": "2025-10-28"}, {"code": "0DTJ0ZZ", "date": "2025-10-29"}])
    ) == [("PCS_DATE_BEFORE_ADMISSION", "warning", "$.procedures[0].date", ("0DTJ4ZZ",))]
    # no period: the date of service is the discharge, and no start is known
    dos = _stay(statement_period=KeyError, admission_date=KeyError,
                date_of_service="2025-11-05",
                procedures=[{"code": "0DTJ4ZZ", "date": "2025-11-06"},
                            {"code": "0DTJ0ZZ", "date": "2025-09-01"}])
    report = Checker().check(Claim.from_dict(dos))
    assert [(f.rule, f.path) for f in report.findings] == [
        ("PCS_DATE_AFTER_DISCHARGE", "$.procedures[0].date")]
    assert "(2025-11-05, the date of service: the discharge)" in report.findings[0].message


def test_undated_procedures_and_other_bills_are_not_judged() -> None:
    assert _found(_stay(procedures=["0DTJ4ZZ"])) == []
    outpatient = _stay(bill_type="131", admission_date=KeyError,
                       procedures=[{"code": "0DTJ4ZZ", "date": "2025-11-09"}],
                       service_lines=[{"revenue_code": "0360", "procedure_code": "44970",
                                       "units": 1, "date_of_service": "2025-11-02"}])
    assert [r for r, *_ in _found(outpatient)
            if r.startswith("PCS_DATE")] == []


# -- the 837I: CL1-03 and the HI procedure dates ------------------------------------------------


def _837(claim: Claim) -> str:
    from decimal import Decimal

    import attrs

    from codekit.claims import ServiceLine
    from codekit.x12 import write_837

    # an 837I has the patient's last name and a line (write_837 refuses a claim without):
    # the stay's room and board
    claim = attrs.evolve(claim, patient=attrs.evolve(claim.patient, name="DOE, ANN"),
                         service_lines=(ServiceLine(1, "", (), Decimal(4), revenue_code="0120",
                                                    charge=Decimal(4000)),))
    text = write_837([claim], date=D(2025, 11, 10), newline="\n")
    assert isinstance(text, str)
    return text


def test_837i_cl1_03_round_trip() -> None:
    pytest.importorskip("pyx12")
    from codekit.x12 import check, read_claims

    claim = Claim.from_dict(_stay(discharge_status="06"))
    text = _837(claim)
    assert "CL1*1*1*06~" in text
    (rec,) = [r for r in read_claims(text.encode()) if r.kind == "claim"]
    assert rec.claim.discharge_status == "06"
    where = rec.locate(("discharge_status",))
    assert (where.segment, where.element) == ("CL1", "CL103")
    # without a status: CL1-03 is required, written as 01 (docs/x12.md)
    assert "CL1*1*1*01~" in _837(Claim.from_dict(STAY))
    # an invalid status is the edit's finding, at CL1-03
    bad = _837(Claim.from_dict(_stay(discharge_status="99")))
    (result,) = [r for r in check(bad.encode()) if r.kind == "claim"]
    assert [(f.rule, f.location.segment, f.location.element) for f in result.findings
            if not f.rule.startswith("X12_")] == [("DISCHARGE_STATUS_INVALID", "CL1", "CL103")]


def test_837i_procedure_date_after_the_discharge() -> None:
    pytest.importorskip("pyx12")
    from codekit.x12 import check

    claim = Claim.from_dict(_stay(procedures=[{"code": "0DTJ4ZZ", "date": "2025-11-02"},
                                              {"code": "0DTJ0ZZ", "date": "2025-11-06"}]))
    text = _837(claim)
    assert "HI*BBR:0DTJ4ZZ:D8:20251102~" in text and "HI*BBQ:0DTJ0ZZ:D8:20251106~" in text
    (result,) = [r for r in check(text.encode()) if r.kind == "claim"]
    assert [(f.rule, f.location.segment, f.location.element, f.finding.path)
            for f in result.findings if not f.rule.startswith("X12_")] == [
        ("PCS_DATE_AFTER_DISCHARGE", "HI", "HI01-4", "$.procedures[1].date")]


def test_837i_sample_patient_status() -> None:
    """A third-party 837I (LinuxForHealth, type of bill 141): CL1*3**01."""
    pytest.importorskip("pyx12")
    from tests.test_x12 import claims_of

    (rec,) = claims_of("lfh_institutional-claim.837i")
    assert rec.claim.discharge_status == "01"
    assert rec.locate(("discharge_status",)).element == "CL103"


# -- FHIR: supportingInfo discharge-status, procedure.date -------------------------------------


def test_fhir_round_trip_and_locations() -> None:
    claim = attrs_evolve(Claim.from_dict(_stay(discharge_status="99")), procedures=(
        Procedure("0DTJ4ZZ", D(2025, 11, 2)), Procedure("0DTJ0ZZ", D(2025, 10, 20))))
    resource = fhir.from_claim(claim)
    info = [si for si in resource["supportingInfo"]
            if si["category"]["coding"][0]["code"] == "discharge-status"]
    assert info == [{"sequence": 3, "category": {"coding": [{
        "system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType",
        "code": "discharge-status"}]}, "code": {"coding": [{
            "system": "https://www.nubc.org/CodeSystem/PatDischargeStatus", "code": "99"}]}}]
    (read,) = fhir.read(json.dumps(resource))
    assert read.claim == claim
    outcome = fhir.check(resource)
    assert [(i["details"]["coding"][0]["code"], i["expression"]) for i in outcome["issue"]] \
        == [("PCS_DATE_BEFORE_ADMISSION", ["Claim.procedure[1].date"]),
            ("DISCHARGE_STATUS_INVALID", ["Claim.supportingInfo[2].code"])]


def _fhir_claim(info: list[dict[str, Any]]) -> dict[str, Any]:
    resource = fhir.from_claim(Claim.from_dict(STAY))
    resource["supportingInfo"] = [*resource["supportingInfo"], *info]
    return resource


@pytest.mark.parametrize(("category", "system", "code", "read"), [
    # Blue Button writes the CCW variable without its leading 0
    (("http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType", "discharge-status"),
     "https://bluebutton.cms.gov/resources/variables/ptnt_dschrg_stus_cd", "1", "1"),
    # FHIR's own claiminformationcategory "discharge"
    (("http://terminology.hl7.org/CodeSystem/claiminformationcategory", "discharge"),
     "https://www.nubc.org/CodeSystem/PatDischargeStatus", "03", "03"),
    # a NUBC coding under another category
    (("http://terminology.hl7.org/CodeSystem/claiminformationcategory", "info"),
     "https://www.nubc.org/CodeSystem/PatDischargeStatus", "07", "07"),
    # another system under another category: not a discharge status
    (("http://terminology.hl7.org/CodeSystem/claiminformationcategory", "info"),
     "http://example.org/status", "07", None),
])
def test_fhir_reads_the_status_where_ig_and_spec_put_it(
        category: tuple[str, str], system: str, code: str, read: str | None) -> None:
    resource = _fhir_claim([{"sequence": 9, "category": {"coding": [
        {"system": category[0], "code": category[1]}]},
        "code": {"coding": [{"system": system, "code": code}]}}])
    (r,) = fhir.read(json.dumps(resource))
    assert r.claim.discharge_status == read
    issues = fhir.check(resource)["issue"]  # "1" is 01, a valid status: clean
    assert [i["details"]["coding"][-1]["code"] for i in issues] == ["clean"]


def test_fhir_blue_button_sample() -> None:
    """A third-party EOB (CMS Blue Button, outpatient): supportingInfo discharge-status."""
    from tests.conftest import reference

    path = reference("fhir_claim_examples", "bfd_eobReadOutpatient.json")
    (r,) = fhir.read(path.read_text())
    assert r.claim.discharge_status == "1"
    assert r.paths.expression(("discharge_status",)) == \
        "ExplanationOfBenefit.supportingInfo[3].code"


def attrs_evolve(claim: Claim, **changes: Any) -> Claim:
    import attrs

    return attrs.evolve(claim, **changes)


# -- pandas ------------------------------------------------------------------------------------


def test_pandas_reads_the_status_column() -> None:
    pd = pytest.importorskip("pandas")
    from codekit import pandas as ckpd
    from codekit.errors import InvalidArgument

    lines = pd.DataFrame({
        "claim_id": ["H1", "H2"], "claim_type": "institutional", "payer": "medicare",
        "sex": "F", "age": 70, "bill_type": "111", "statement_from": "2025-11-01",
        "statement_through": "2025-11-05", "admission_date": "2025-11-01",
        "discharge_status": [1, 99], "dx1": "K35.80", "poa1": "Y",
        "admitting_diagnosis": "R10.31",
        "pcs1": "0DTJ4ZZ", "pcs_date1": ["2025-11-02", "2025-11-07"]})
    claims = ckpd.claims_of(lines)
    assert [c["discharge_status"] for c in claims] == ["01", "99"]  # type: ignore[index]
    found = ckpd.check_claims(lines)
    assert found[["claim_id", "rule", "path"]].values.tolist() == [
        ["H2", "PCS_DATE_AFTER_DISCHARGE", "$.procedures[0].date"],
        ["H2", "DISCHARGE_STATUS_INVALID", "$.discharge_status"]]
    with pytest.raises(InvalidArgument, match="columns=\\{'discharge_status': "
                                              "'patient_status'\\}"):
        ckpd.check_claims(lines.rename(columns={"discharge_status": "patient_status"}))


# -- the discharge status against the bill's frequency (UB-04 FL 4 and FL 17) --------------


@pytest.mark.parametrize(("bill", "status", "fix"), [
    ("111", "30", None), ("114", "30", None),  # a bill that ends the stay: not 30
    ("112", "01", ("30",)), ("113", "20", ("30",)),  # an interim bill: 30 only
    ("0111", "30", None),
])
def test_the_status_against_the_frequency(bill: str, status: str,
                                          fix: tuple[str, ...] | None) -> None:
    report = Checker().check(Claim.from_dict(_stay(bill_type=bill, discharge_status=status)))
    (f,) = report.findings
    assert (f.rule, f.severity.value, f.path, f.codes, f.fix) == (
        "DISCHARGE_STATUS_FREQUENCY_CONFLICT", "error", "$.discharge_status", (status, bill),
        fix or ())


def test_the_status_messages_name_both_sides() -> None:
    (f,) = Checker().check(Claim.from_dict(_stay(discharge_status="30"))).findings
    assert f.message == (
        "The patient discharge status 30 (still a patient) is on type of bill 111, a bill "
        "that ends the stay (admit through discharge): give the status the patient left "
        "with, or bill the continuing stay as an interim claim (type of bill 112, status 30).")
    (f,) = Checker().check(Claim.from_dict(_stay(bill_type="113", discharge_status="1"))).findings
    assert f.message == (
        "The patient discharge status 01 (a discharge, not 30) is on type of bill 113, an "
        "interim bill of a patient still in the hospital (continuing claim), which takes "
        "status 30: give status 30, or bill the stay's end as type of bill 114.")


@pytest.mark.parametrize(("bill", "status"), [
    ("111", "01"), ("114", "06"), ("112", "30"), ("113", "30"),
    ("117", "30"), ("117", "01"), ("118", "30"),  # replacement, void: not judged
    ("112", "99"),  # not a NUBC code: DISCHARGE_STATUS_INVALID alone
    ("112", None),  # none given
])
def test_the_status_agrees_with_the_frequency(bill: str, status: str | None) -> None:
    # a replacement or void names the claim it corrects (CORRECTED_CLAIM_ID_MISSING)
    corrects = "PCN0001234" if bill[-1] in "78" else None
    rules = [r for r, *_ in _found(_stay(bill_type=bill, discharge_status=status,
                                         corrected_claim_id=corrects))]
    assert "DISCHARGE_STATUS_FREQUENCY_CONFLICT" not in rules
    assert rules == (["DISCHARGE_STATUS_INVALID"] if status == "99" else [])


def test_the_status_against_the_frequency_on_other_bills_and_payers() -> None:
    # 131 (outpatient): 30 marks a continuing series, not judged
    outpatient = _stay(bill_type="131", discharge_status="30", procedures=KeyError,
                       admission_date=KeyError, diagnoses=["K35.80"],
                       service_lines=[{"revenue_code": "0450", "units": 1,
                                       "procedure_code": "99284",
                                       "date_of_service": "2025-11-01"}])
    assert "DISCHARGE_STATUS_FREQUENCY_CONFLICT" not in [r for r, *_ in _found(outpatient)]
    # any payer: the UB-04's own fields (commercial profile)
    assert _found(_stay(payer="aetna", discharge_status="30")) == [
        ("DISCHARGE_STATUS_FREQUENCY_CONFLICT", "error", "$.discharge_status", ("30", "111"))]


#: A skilled nursing facility's monthly bill of a continuing stay (type of bill 213: interim,
#: continuing), June 2025, admitted 2025-05-20 after a stroke; a swing bed's is 18x.
SNF: dict[str, Any] = {
    "claim_id": "S1", "claim_type": "institutional", "payer": "medicare", "bill_type": "213",
    "patient": {"sex": "F", "birth_date": "1944-02-11"},
    "statement_period": ["2025-06-01", "2025-06-30"], "admission_date": "2025-05-20",
    "discharge_status": "30", "diagnoses": ["I69.351", "I10"]}


@pytest.mark.parametrize(("bill", "status"), [
    ("212", "01"), ("213", "01"), ("213", "03"), ("182", "06"), ("183", "01"),
    ("0213", "20"),
])
def test_snf_and_swing_bed_interim_bills_take_status_30(bill: str, status: str) -> None:
    """An interim bill of a SNF (212 first, 213 continuing) or a swing bed (182, 183) is
    the bill of a patient still in the facility: status 30 (NUBC FL 4 and FL 17; Claims
    Processing Manual ch.6 §40, billed monthly). Not judged on 21x/18x before 2026-12-06."""
    (f,) = Checker().check(Claim.from_dict({**SNF, "bill_type": bill,
                                            "discharge_status": status})).findings
    assert (f.rule, f.severity.value, f.path, f.codes, f.fix) == (
        "DISCHARGE_STATUS_FREQUENCY_CONFLICT", "error", "$.discharge_status", (status, bill),
        ("30",))
    kind = bill.lstrip("0")
    assert f.message == (
        f"The patient discharge status {status} (a discharge, not 30) is on type of bill "
        f"{kind}, an interim bill of a patient still in the facility "
        f"({'first' if kind[2] == '2' else 'continuing'} claim), which takes status 30: give "
        f"status 30, or bill the stay's end as type of bill {kind[:2]}"
        f"{'1' if kind[2] == '2' else '4'}.")


@pytest.mark.parametrize(("bill", "status"), [
    ("212", "30"), ("213", "30"), ("183", "30"), ("211", "01"), ("214", "04"),
    # a final bill with 30: a patient who stays in the facility below a skilled level of
    # care (occurrence code 22; CMS returns such a claim with another status): not judged
    ("211", "30"), ("214", "30"), ("184", "30"),
    ("217", "01"), ("210", "01"),  # replacement; no-pay: not judged
])
def test_snf_and_swing_bed_bills_that_agree(bill: str, status: str) -> None:
    # a replacement names the claim it corrects (CORRECTED_CLAIM_ID_MISSING)
    corrects = {"corrected_claim_id": "PCN0001234"} if bill[-1] in "78" else {}
    report = Checker().check(Claim.from_dict({**SNF, "bill_type": bill,
                                              "discharge_status": status, **corrects}))
    assert [f.rule for f in report.findings] == []


#: A SNF's last bill of a covered stay whose skilled care ended on 2025-06-18 (occurrence
#: code 22 on the through date): the patient stays in the facility.
SNF_LAST: dict[str, Any] = {
    **SNF, "bill_type": "214", "statement_period": ["2025-06-01", "2025-06-18"],
    "occurrence_codes": [{"code": "22", "date": "2025-06-18"}],
    "occurrence_spans": [{"code": "70", "from": "2025-05-16", "through": "2025-05-19"}],
    "value_codes": [{"code": "80", "amount": 18}]}


@pytest.mark.parametrize(("bill", "status"), [
    ("214", "01"), ("211", "04"), ("184", "01"), ("181", "03"), ("0214", "20")])
def test_active_care_ended_on_the_through_date_takes_status_30(bill: str,
                                                               status: str) -> None:
    """CMS returns a SNF (21x) or swing-bed (18x) claim with occurrence code 22 dated its
    through date and a status other than 30 (MLN Matters 2018-10-05, from 2019-04-01)."""
    (f,) = Checker().check(Claim.from_dict({**SNF_LAST, "bill_type": bill,
                                            "discharge_status": status})).findings
    assert (f.rule, f.severity.value, f.path, f.codes, f.fix) == (
        "SNF_ACTIVE_CARE_ENDED_STATUS", "error", "$.discharge_status", (status, "22"),
        ("30",))
    assert f.message == (
        f"Occurrence code 22 (date active care ended) is dated 2025-06-18, the claim's "
        f"through date, and the patient discharge status is {status}, not 30 (still a "
        f"patient): on type of bill {bill.lstrip('0')} a covered stay that ends with the "
        "patient staying in the facility takes status 30 (CMS returns the claim); give "
        "status 30, or, if the patient left the facility, remove occurrence code 22 and "
        "keep the discharge status.")


@pytest.mark.parametrize("changes", [
    {"discharge_status": "30"},  # still a patient: right
    {"occurrence_codes": [{"code": "22", "date": "2025-06-10"}]},  # not the through date
    {"occurrence_codes": [{"code": "21", "date": "2025-06-18"}]},  # another code
    {"occurrence_codes": KeyError},  # none given
    {"bill_type": "114"}, {"bill_type": "131"},  # not a SNF's or swing bed's claim
    {"discharge_status": "99"},  # not a NUBC code (an inpatient claim's edit says so)
])
def test_active_care_ended_claims_that_agree(changes: dict[str, Any]) -> None:
    d = {**SNF_LAST, "discharge_status": "01", **changes}
    d = {k: v for k, v in d.items() if v is not KeyError}
    assert "SNF_ACTIVE_CARE_ENDED_STATUS" not in [
        f.rule for f in Checker().check(Claim.from_dict(d)).findings]


def test_occurrence_and_value_codes_are_claim_fields() -> None:
    """The claim dict's ``occurrence_codes``, ``occurrence_spans`` and ``value_codes``
    (UB-04 FL 31-41, 837I HI BH, BI, BE): read, kept in order, written back by
    ``to_dict``; each entry's fields are required, a span does not run backwards."""
    from decimal import Decimal

    from codekit import ClaimFormatError
    from codekit.claims import Occurrence, OccurrenceSpan, ValueCode

    c = Claim.from_dict({**SNF_LAST, "occurrence_codes": [
        {"code": " 22", "date": "2025-06-18"}, {"code": "A3", "date": "2025-06-02"}]})
    assert c.occurrence_codes == (Occurrence("22", D(2025, 6, 18)),
                                  Occurrence("A3", D(2025, 6, 2)))
    assert c.occurrence_spans == (OccurrenceSpan("70", D(2025, 5, 16), D(2025, 5, 19)),)
    assert c.value_codes == (ValueCode("80", Decimal(18)),)
    assert Claim.from_dict(c.to_dict()) == c
    assert c.to_dict()["occurrence_spans"] == [
        {"code": "70", "from": "2025-05-16", "through": "2025-05-19"}]
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_dict({**SNF_LAST, "occurrence_codes": [{"code": "22"}, "11"],
                         "occurrence_spans": [{"code": "70", "from": "2025-05-19",
                                               "through": "2025-05-16"}],
                         "value_codes": [{"code": "80", "amount": "x", "days": 3}]})
    assert [(".".join(map(str, p)), m) for p, m in e.value.problems] == [
        ("occurrence_codes.0.date", "missing"),
        ("occurrence_codes.1", "must be an object ({'code': ..., 'date': ...}), got a "
                               "string ('11')"),
        ("occurrence_spans.0", "runs backwards: 2025-05-19 to 2025-05-16"),
        ("value_codes.0.amount", "must be a number, got 'x'"),
        ("value_codes.0.days", "unknown field")]


def test_837i_occurrence_code_22_against_the_status() -> None:
    """The 837I carries the occurrence codes (HI BH) to the edit, which is located at
    CL1-03; write_837 writes them (HI BI, BH, BE before BG) and reads them back."""
    pytest.importorskip("pyx12")
    from codekit.x12 import check

    text = _837(Claim.from_dict({**SNF_LAST, "discharge_status": "01"}))
    assert "HI*BI:70:RD8:20250516-20250519~\nHI*BH:22:D8:20250618~\nHI*BE:80:::18~" in text
    (result,) = [r for r in check(text.encode()) if r.kind == "claim"]
    assert [(f.rule, f.location.segment, f.location.element) for f in result.findings] == [
        ("SNF_ACTIVE_CARE_ENDED_STATUS", "CL1", "CL103")]
    assert result.claim is not None
    assert (result.claim.occurrence_codes, result.claim.occurrence_spans,
            result.claim.value_codes) == (Claim.from_dict(SNF_LAST).occurrence_codes,
                                          Claim.from_dict(SNF_LAST).occurrence_spans,
                                          Claim.from_dict(SNF_LAST).value_codes)


def test_837i_status_against_the_frequency() -> None:
    pytest.importorskip("pyx12")
    from codekit.x12 import check

    text = _837(Claim.from_dict(_stay(discharge_status="30")))
    assert "CL1*1*1*30~" in text
    (result,) = [r for r in check(text.encode()) if r.kind == "claim"]
    assert [(f.rule, f.location.segment, f.location.element) for f in result.findings
            if not f.rule.startswith("X12_")] == [
        ("DISCHARGE_STATUS_FREQUENCY_CONFLICT", "CL1", "CL103")]


# -- the admitting diagnosis (837I 2300 HI ABJ; UB-04 FL 69) -------------------------------


def test_an_inpatient_claim_without_an_admitting_diagnosis() -> None:
    report = Checker().check(Claim.from_dict(_stay(admitting_diagnosis=KeyError)))
    (f,) = report.findings
    assert (f.rule, f.severity.value, f.path, f.codes, f.fix) == (
        "ADMITTING_DX_MISSING", "error", "$.admitting_diagnosis", (), ())
    assert f.message == (
        "The inpatient claim (type of bill 111) has no admitting diagnosis: give the "
        "ICD-10-CM code of the condition that occasioned the admission, as the admitting "
        "physician wrote it (837I 2300 HI*ABJ; UB-04 FL 69).")
    assert _found(_stay(admitting_diagnosis=" ")) == [
        ("ADMITTING_DX_MISSING", "error", "$.admitting_diagnosis", ())]
    # a claim that carries no admission data is not judged (as a missing discharge status)
    assert _found(_stay(admitting_diagnosis=KeyError, admission_date=KeyError)) == []
    # medicare-inpatient only: not under commercial, not on an outpatient bill
    assert _found(_stay(admitting_diagnosis=KeyError, payer="aetna")) == []
    assert _found(_stay(admitting_diagnosis=KeyError, bill_type=KeyError),
                  profile="medicare-inpatient") == []


def test_an_invalid_admitting_diagnosis_is_judged_as_a_diagnosis() -> None:
    assert [(r, p) for r, _, p, _ in _found(_stay(admitting_diagnosis="R10.3"))] == [
        ("DX_NOT_BILLABLE", "$.admitting_diagnosis")]


def test_837i_without_hi_abj() -> None:
    pytest.importorskip("pyx12")
    from codekit.x12 import check

    text = _837(Claim.from_dict(_stay(admitting_diagnosis=KeyError)))
    assert "HI*ABJ" not in text
    (result,) = [r for r in check(text.encode()) if r.kind == "claim"]
    assert [(f.rule, f.finding.path) for f in result.findings
            if not f.rule.startswith("X12_")] == [
        ("ADMITTING_DX_MISSING", "$.admitting_diagnosis")]
    text = _837(Claim.from_dict(STAY))
    assert "HI*ABJ:R1031~" in text
    (result,) = [r for r in check(text.encode()) if r.kind == "claim"]
    assert [f.rule for f in result.findings if not f.rule.startswith("X12_")] == []


def test_fhir_without_an_admitting_diagnosis() -> None:
    resource = fhir.from_claim(Claim.from_dict(_stay(admitting_diagnosis=KeyError)))
    outcome = fhir.check(resource)
    assert [i["details"]["coding"][0]["code"] for i in outcome["issue"]] == [
        "ADMITTING_DX_MISSING"]
    outcome = fhir.check(fhir.from_claim(Claim.from_dict(STAY)))
    assert [i["details"]["coding"][0]["code"] for i in outcome["issue"]] == ["clean"]


# -- the length of stay from the statement period ------------------------------------------


def test_the_length_of_stay_from_the_statement_period() -> None:
    """On a 111, the statement period's from date is the admission day (UB-04 FL 6):
    PCS_LOS_INCONSISTENT counts the stay from it when no admission date is given, as
    PCS_DATE_BEFORE_ADMISSION does."""
    vent = _stay(admission_date=KeyError, statement_period=["2025-03-01", "2025-03-04"],
                 diagnoses=[{"code": "J96.00", "poa": "Y"}], admitting_diagnosis="R06.03",
                 procedures=["5A1955Z"])
    report = Checker().check(Claim.from_dict(vent))
    assert [(f.rule, f.path, f.fix) for f in report.findings] == [
        ("PCS_LOS_INCONSISTENT", "$.procedures[0].code", ("5A1945Z",))]
    assert "stay of 3 days (2025-03-01 to 2025-03-04)" in report.findings[0].message
    assert report.not_run == ()
    longer = {**vent, "statement_period": ["2025-02-28", "2025-03-04"]}
    assert Checker().check(Claim.from_dict(longer)).findings == ()
    # neither an admission date nor a period: not run, and said so
    bare = {**vent, "date_of_service": "2025-03-04"}
    del bare["statement_period"]
    report = Checker().check(Claim.from_dict(bare))
    assert report.findings == ()
    assert [r for r, _ in report.not_run] == ["PCS_LOS_INCONSISTENT"]
    assert report.not_run[0][1].startswith("no admission_date or statement period")


def test_more_than_25_procedures() -> None:
    # the 837I carries the principal procedure (HI BBR) and 24 others (two HI BBQ of 12);
    # the chest x-rays of the stay, each on its day
    xrays = [{"code": "BW03ZZZ", "date": "2025-11-02"}] * 25
    assert _found(_stay(procedures=STAY["procedures"] + xrays[:24])) == []
    (hit,) = Checker().check(Claim.from_dict(_stay(
        procedures=STAY["procedures"] + xrays))).findings
    assert (hit.rule, hit.severity.value, hit.path, hit.codes, hit.fix, hit.message) == (
        "PCS_COUNT_EXCEEDED", "error", "$.procedures[25]", (), (),
        "26 ICD-10-PCS procedures: an institutional claim carries at most 25 (the principal "
        "procedure and 24 others); report the procedures that affect the stay's coding and "
        "payment first and drop the extra ones.")
