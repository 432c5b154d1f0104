"""The FHIR door and its HTTP front as a review probed them: what a
FHIR Claim says is read or said, never dropped without a word, and the library, the
command line and the server answer one input the same way. Resources of our own making,
real codes and dates."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from codekit import fhir
from codekit.cli.check import read_inputs

ICD = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
PCS = "http://www.cms.gov/Medicare/Coding/ICD10"
NUBC = "https://www.nubc.org/CodeSystem/"
INFO = "http://terminology.hl7.org/CodeSystem/claiminformationcategory"
C4BB_SUBTYPE = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBInstitutionalClaimSubType"


def cc(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def professional(**changes: Any) -> dict[str, Any]:
    """A Medicare professional Claim of 2025-11-03: E11.9 and I10, one 99213."""
    claim: dict[str, Any] = {
        "resourceType": "Claim", "id": "p1", "status": "active", "use": "claim",
        "created": "2025-11-03", "identifier": [{"value": "CLM-P1"}],
        "type": cc("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
        "contained": [{"resourceType": "Patient", "id": "p", "gender": "female",
                       "birthDate": "1956-03-02"}],
        "patient": {"reference": "#p"}, "provider": {"display": "clinic"},
        "priority": cc("http://terminology.hl7.org/CodeSystem/processpriority", "normal"),
        "insurer": {"display": "Medicare"},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "Part B"}}],
        "billablePeriod": {"start": "2025-11-03"},
        "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": cc(ICD, "E11.9")},
                      {"sequence": 2, "diagnosisCodeableConcept": cc(ICD, "I10")}],
        "item": [{"sequence": 1, "diagnosisSequence": [1], "quantity": {"value": 1},
                  "productOrService": cc(CPT, "99213")}]}
    claim.update(changes)
    return {k: v for k, v in claim.items() if v is not None}


def inpatient(**changes: Any) -> dict[str, Any]:
    """A Medicare inpatient Claim (type of bill 0111) of a stay 2025-11-01 to 11-05: an
    appendectomy (0DTJ4ZZ) on 11-02 for K35.80, discharged home."""
    claim = professional(
        id="i1", identifier=[{"value": "CLM-I1"}],
        type=cc("http://terminology.hl7.org/CodeSystem/claim-type", "institutional"),
        billablePeriod={"start": "2025-11-01", "end": "2025-11-05"},
        supportingInfo=[
            {"sequence": 1, "category": cc(INFO, "typeofbill"),
             "code": cc(NUBC + "TypeOfBill", "0111")},
            {"sequence": 2, "category": cc(INFO, "admissionperiod"),
             "timingPeriod": {"start": "2025-11-01", "end": "2025-11-05"}},
            {"sequence": 3, "category": cc(INFO, "discharge"),
             "code": cc(NUBC + "PatDischargeStatus", "01")}],
        diagnosis=[
            {"sequence": 1, "type": [cc("http://terminology.hl7.org/CodeSystem/"
                                        "ex-diagnosistype", "principal")],
             "diagnosisCodeableConcept": cc(ICD, "K35.80"),
             "onAdmission": cc(NUBC + "PresentOnAdmissionIndicator", "Y")},
            {"sequence": 2, "type": [cc("http://terminology.hl7.org/CodeSystem/"
                                        "ex-diagnosistype", "admitting")],
             "diagnosisCodeableConcept": cc(ICD, "R10.31")}],
        procedure=[{"sequence": 1, "date": "2025-11-02",
                    "procedureCodeableConcept": cc(PCS, "0DTJ4ZZ")}],
        item=[{"sequence": 1, "revenue": cc(NUBC + "RevenueCodes", "0360"),
               "productOrService": {"coding": [{
                   "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                   "code": "not-applicable"}]},
               "quantity": {"value": 1}}])
    claim.update(changes)
    return {k: v for k, v in claim.items() if v is not None}


def issues(outcome: dict[str, Any], kind: str = "finding") -> list[tuple[str, str, str]]:
    """(rule, expression, severity) of the issues of one kind of an OperationOutcome."""
    return [(i["details"]["coding"][0]["code"], (i.get("expression") or [""])[0],
             i["severity"]) for i in outcome["issue"]
            if i["details"]["coding"][-1]["code"] == kind]


def said(outcome: dict[str, Any], rule: str) -> list[str]:
    return [i["diagnostics"] for i in outcome["issue"]
            if i["details"]["coding"][0]["code"] == rule]


# -- 1. the command line reads every FHIR record of a file ----------------------------------


def test_a_record_without_a_claim_on_line_2_costs_only_itself(tmp_path: Path) -> None:
    """`null` (or `"x"`, `7`) on line 2 made the file "values one after another", read
    as one JSON text: one FHIR_FORMAT_INVALID ("Extra data") and no claim checked."""
    for bad in ("null", '"x"', "7"):
        path = tmp_path / "claims.ndjson"
        path.write_text("\n".join([json.dumps(professional()), bad,
                                   json.dumps(professional(id="p2"))]) + "\n")
        got = [(i.where, getattr(i.item, "claim_id", None)) for i in read_inputs([str(path)])]
        assert got == [(f"{path}:line 1: Claim", "CLM-P1"), (f"{path}:line 2", None),
                       (f"{path}:line 3: Claim", "CLM-P1")]
        (unread,) = [i for i in read_inputs([str(path)]) if i.where.endswith("line 2")]
        assert [m for _, m in unread.item.problems] == [  # type: ignore[attr-defined]
            "expected a FHIR resource (a JSON object), got " + {
                "null": "null", '"x"': "a string ('x')", "7": "a number (7)"}[bad]]


def test_resources_one_after_another_are_read_as_claims_one_after_another_are(
        tmp_path: Path) -> None:
    """`jq '.[]'` output of FHIR Claims (batch.md says inputs may be so): it was one
    "not JSON: Extra data" error."""
    path = tmp_path / "claims.json"
    first = json.dumps(professional(), indent=2)
    path.write_text(first + "\n" + json.dumps(professional(id="p2"), indent=2) + "\n")
    second_line = first.count("\n") + 2
    got = [(i.where, i.item.date_of_service.isoformat())  # type: ignore[attr-defined]
           for i in read_inputs([str(path)])]
    assert got == [(f"{path}:line 1: Claim", "2025-11-03"),
                   (f"{path}:line {second_line}: Claim", "2025-11-03")]
    # a damaged one is one result at its line, and the next is read
    path.write_text(first[:-40] + "\n" + json.dumps(professional(id="p2"), indent=2) + "\n")
    results = list(read_inputs([str(path)]))
    assert [type(i.item).__name__ for i in results] == ["ClaimFormatError", "Claim"]
    assert results[0].where == f"{path}:line 1"
    assert results[0].meta.to_report().findings[0].rule == "FHIR_FORMAT_INVALID"


def test_records_says_the_line_a_record_starts_on() -> None:
    (r,) = fhir.records(json.dumps(professional()), line=7)
    assert (r.where, r.claim is not None) == ("line 7: Claim", True)
    (r,) = fhir.records("null", line=7)
    assert (r.where, r.error.problems if r.error else None) == (
        "line 7", (("line 7", "expected a FHIR resource (a JSON object), got null"),))


# -- 2 and 9. no claim: the same fatal answer from the library and the server ---------------


def test_the_library_speaks_json_not_python_of_what_holds_no_claim() -> None:
    assert fhir.check(None)["issue"][0]["diagnostics"] == (
        "expected FHIR JSON (text, bytes, a dict or a fhir.resources model), got null")
    assert [(i["severity"], i["diagnostics"]) for i in fhir.check(b" \n")["issue"]] == [
        ("fatal", "not JSON: the input is empty")]
    # JSON text inside a JSON string is not parsed again
    twice = json.dumps(json.dumps(professional()))
    assert [(i["severity"], i["diagnostics"][:57]) for i in fhir.check(twice)["issue"]] == [
        ("fatal", "expected a FHIR resource (a JSON object), got a string ('")]


def post(body: bytes, path: str = "/Claim/$validate",
         ctype: str = "application/fhir+json") -> tuple[int, dict[str, Any]]:
    pytest.importorskip("starlette")
    from codekit.server import create_app
    from tests.test_server import asgi

    status, _, raw = asgi(create_app(validate=False), "POST", path, (body,),
                          {"content-type": ctype})
    return status, json.loads(raw)


@pytest.mark.parametrize("body", [b"", b"null", b'"x"', b"[]",
                                  json.dumps(json.dumps(professional())).encode()])
def test_the_server_answers_a_body_without_a_claim_as_the_library_does(body: bytes) -> None:
    status, out = post(body)
    assert status == 400
    assert out == fhir.check(body, validate=False)
    assert {i["severity"] for i in out["issue"]} == {"fatal"}


# -- 3 and 7. the date of service -----------------------------------------------------------


def test_an_inpatient_stay_without_its_end_is_not_judged_on_its_admission() -> None:
    """billablePeriod.start alone was taken as the discharge: PCS_DATE_AFTER_DISCHARGE
    for the appendectomy of the day after the admission."""
    claim = inpatient(billablePeriod={"start": "2025-11-01"})
    (result,) = fhir.check_each(claim)
    assert result.claim is not None
    assert result.claim.date_of_service.isoformat() == "2025-11-02"
    out = result.to_outcome()
    assert ("PCS_DATE_AFTER_DISCHARGE", "Claim.procedure[0].date", "error") not in issues(out)
    assert ("FHIR_DATE_OF_SERVICE_MISSING", "Claim.billablePeriod", "warning") in issues(out)
    assert "checked on 2025-11-02, the last date it gives (Claim.procedure[0].date)" in \
        said(out, "FHIR_DATE_OF_SERVICE_MISSING")[0]
    # its end, when given, is the date of service (the through date), without a word
    (whole,) = fhir.check_each(inpatient())
    assert whole.claim is not None and whole.claim.date_of_service.isoformat() == "2025-11-05"
    assert not said(whole.to_outcome(), "FHIR_DATE_OF_SERVICE_MISSING")


def test_an_outpatient_claim_with_every_item_dated_needs_no_end() -> None:
    """Type of bill 0131: the last item date is the through date, and said only when an
    item is undated."""
    claim = inpatient(billablePeriod={"start": "2025-11-03"}, procedure=None, item=[
        {"sequence": 1, "revenue": cc(NUBC + "RevenueCodes", "0510"),
         "productOrService": cc(CPT, "99213"), "quantity": {"value": 1},
         "servicedDate": "2025-11-03"},
        {"sequence": 2, "revenue": cc(NUBC + "RevenueCodes", "0300"),
         "productOrService": cc(CPT, "85025"), "quantity": {"value": 1},
         "servicedDate": "2025-11-04"}])
    claim["supportingInfo"][0]["code"] = cc(NUBC + "TypeOfBill", "0131")
    (result,) = fhir.check_each(claim)
    assert result.claim is not None and result.claim.date_of_service.isoformat() == "2025-11-04"
    assert not said(result.to_outcome(), "FHIR_DATE_OF_SERVICE_MISSING")
    del claim["item"][1]["servicedDate"]
    (result,) = fhir.check_each(claim)
    assert result.claim is not None and result.claim.date_of_service.isoformat() == "2025-11-03"
    assert said(result.to_outcome(), "FHIR_DATE_OF_SERVICE_MISSING")[0].startswith(
        "Claim.billablePeriod has a start (2025-11-03) and no end: ")


def test_a_professional_claim_with_one_item_undated_is_checked_on_the_first_item_date() -> None:
    """It was FHIR_DATE_OF_SERVICE_MISSING: every item had to be dated."""
    claim = professional(billablePeriod=None, item=[
        {"sequence": 1, "diagnosisSequence": [1], "quantity": {"value": 1},
         "servicedDate": "2025-11-03", "productOrService": cc(CPT, "99213")},
        {"sequence": 2, "diagnosisSequence": [1], "quantity": {"value": 1},
         "productOrService": cc(CPT, "82962")}])
    (result,) = fhir.check_each(claim)
    assert result.claim is not None and result.checked
    assert result.claim.date_of_service.isoformat() == "2025-11-03"
    assert said(result.to_outcome(), "FHIR_DATE_OF_SERVICE_MISSING") == [
        "Claim.item[1] has no servicedDate or servicedPeriod, and the claim no "
        "billablePeriod: it was checked on the claim's date of service, 2025-11-03, the "
        "first item date (Claim.item[0]): date each item, or give billablePeriod."]


def test_a_preauthorization_without_dates_is_checked_on_its_created_day() -> None:
    request = professional(use="preauthorization", billablePeriod=None)
    (result,) = fhir.check_each(request)
    assert result.claim is not None and result.checked
    assert result.claim.date_of_service.isoformat() == "2025-11-03"
    assert issues(result.to_outcome())[0] == (
        "FHIR_DATE_OF_SERVICE_MISSING", "Claim.created", "warning")
    # a claim (use claim) without dates is still not checked
    (bare,) = fhir.check_each(professional(billablePeriod=None))
    assert not bare.checked


@pytest.mark.parametrize("use", [{"coding": []}, ["preauthorization"]])
def test_a_use_that_is_no_code_and_no_dates_is_answered(use: Any) -> None:
    """An operations review's fuzzing: a ``use`` that is a JSON object or list on a claim
    without dates was a TypeError (``use in`` a set of strings), a 500 from the server."""
    missing = ("FHIR_DATE_OF_SERVICE_MISSING", "Claim.billablePeriod", "error")
    assert issues(fhir.check(professional(use=use, billablePeriod=None))) == [
        ("FHIR_STRUCTURE_INVALID", "Claim.use", "error"), missing]
    assert issues(fhir.check(professional(use=use, billablePeriod=None),
                             validate=False)) == [missing]


# -- 4. an institutional claim without a type of bill -------------------------------------


def test_an_inpatient_subtype_without_a_type_of_bill_is_said() -> None:
    """CARIN's subType inpatient and no type of bill: checked as outpatient, I/OCE edits
    and all, without a word."""
    claim = inpatient(subType=cc(C4BB_SUBTYPE, "inpatient"))
    claim["supportingInfo"] = claim["supportingInfo"][1:]
    out = fhir.check(claim)
    assert ("FHIR_BILL_TYPE_MISSING", "Claim.subType", "warning") in issues(out)
    assert "says an inpatient claim (CARIN Blue Button 'inpatient')" in \
        said(out, "FHIR_BILL_TYPE_MISSING")[0]
    del claim["subType"]
    assert ("FHIR_BILL_TYPE_MISSING", "Claim.supportingInfo", "warning") in \
        issues(fhir.check(claim))
    assert not said(fhir.check(inpatient()), "FHIR_BILL_TYPE_MISSING")


# -- 5. diagnosis numbers ------------------------------------------------------------------


def test_issues_say_the_fhir_sequence_of_the_diagnosis_they_are_about() -> None:
    """Sequence 1 in SNOMED CT only (not read): codekit's diagnosis 2 is sequence 3."""
    claim = professional(
        diagnosis=[{"sequence": 1, "diagnosisCodeableConcept": cc("http://snomed.info/sct",
                                                                  "44054006")},
                   {"sequence": 2, "diagnosisCodeableConcept": cc(ICD, "E11.9")},
                   {"sequence": 3, "diagnosisCodeableConcept": cc(ICD, "I10")},
                   {"sequence": 4, "diagnosisCodeableConcept": cc(ICD, "Z00.00")}],
        item=[{"sequence": 1, "diagnosisSequence": [3, 3], "quantity": {"value": 1},
               "productOrService": cc(CPT, "99213")}])
    out = fhir.check(claim)
    (dup,) = [i for i in out["issue"] if i["details"]["coding"][0]["code"] == "PTR_DUPLICATE"]
    assert dup["expression"] == ["Claim.item[0].diagnosisSequence[1]"]
    assert dup["diagnostics"].endswith(
        "[FHIR: this pointer, diagnosisSequence 3, is codekit's diagnosis 2: codekit "
        "numbers the diagnoses in their order, the principal first]")
    assert {"url": fhir.DIAGNOSIS_SEQUENCE_EXTENSION, "valueInteger": 3} in dup["extension"]
    (z,) = said(out, "DX_Z_FIRST_LISTED_ONLY_NOT_FIRST")
    assert z.endswith("[FHIR: codekit's diagnosis 3 is Claim.diagnosis[3], sequence 4: "
                      "codekit numbers the diagnoses in their order, the principal first]")
    # numbered as codekit numbers them: the messages alone, the sequence in the extension
    same = copy.deepcopy(claim)
    del same["diagnosis"][0]
    for k, d in enumerate(same["diagnosis"], 1):
        d["sequence"] = k
    same["item"][0]["diagnosisSequence"] = [2, 2]
    out = fhir.check(same)
    (dup,) = [i for i in out["issue"] if i["details"]["coding"][0]["code"] == "PTR_DUPLICATE"]
    assert "[FHIR" not in dup["diagnostics"]
    assert {"url": fhir.DIAGNOSIS_SEQUENCE_EXTENSION, "valueInteger": 2} in dup["extension"]


# -- 6. nothing dropped without a word -----------------------------------------------------


def test_a_second_code_in_a_procedure_or_a_modifier_is_said() -> None:
    claim = inpatient(procedure=[{"sequence": 1, "date": "2025-11-02",
                                  "procedureCodeableConcept": {"coding": [
                                      {"system": PCS, "code": "0DTJ4ZZ"},
                                      {"system": PCS, "code": "0DTJ0ZZ"}]}}])
    assert ("FHIR_STRUCTURE_INVALID",
            "Claim.procedure[0].procedureCodeableConcept.coding[1]", "warning") in \
        issues(fhir.check(claim))
    claim = professional(item=[{
        "sequence": 1, "diagnosisSequence": [1], "quantity": {"value": 1},
        "productOrService": cc(CPT, "73030"),
        "modifier": [{"coding": [{"system": CPT, "code": "RT"}, {"system": HCPCS,
                                                                 "code": "LT"}]}]}])
    out = fhir.check(claim)
    assert ("FHIR_STRUCTURE_INVALID", "Claim.item[0].modifier[0].coding[1]", "warning") in \
        issues(out)
    assert "modifier 'LT' beside 'RT' in one CodeableConcept" in \
        said(out, "FHIR_STRUCTURE_INVALID")[0]


def test_a_second_principal_diagnosis_is_said() -> None:
    principal = [cc("http://terminology.hl7.org/CodeSystem/ex-diagnosistype", "principal")]
    claim = inpatient()
    claim["diagnosis"].insert(1, {"sequence": 3, "type": principal,
                                  "diagnosisCodeableConcept": cc(ICD, "E11.9"),
                                  "onAdmission": cc(NUBC + "PresentOnAdmissionIndicator",
                                                    "Y")})
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.diagnoses == ("K35.80", "E11.9")
    assert [(f.rule, fhir.expression_of(f.location)) for f in r.findings] == [
        ("FHIR_STRUCTURE_INVALID", "Claim.diagnosis[1].type")]


def test_the_admission_as_a_timing_date_is_read() -> None:
    claim = inpatient()
    claim["supportingInfo"][1] = {"sequence": 2, "category": cc(INFO, "admissionperiod"),
                                  "timingDate": "2025-11-01"}
    assert fhir.to_claim(claim).admission_date.isoformat() == "2025-11-01"  # type: ignore


def test_only_an_npi_is_read_as_the_npi() -> None:
    tin = {"identifier": {"system": "urn:oid:2.16.840.1.113883.4.4", "value": "12-3456789"}}
    (r,) = fhir.read(professional(provider=tin))
    assert r.claim is not None and r.claim.billing_provider is None
    assert [(f.rule, f.severity.value, f.message) for f in r.findings] == [(
        "FHIR_STRUCTURE_INVALID", "info",
        "Claim.provider.identifier: '12-3456789' has system "
        "'urn:oid:2.16.840.1.113883.4.4', not the NPI system "
        "(http://hl7.org/fhir/sid/us-npi): it is not read as the provider's NPI")]
    npi = {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}}
    assert fhir.to_claim(professional(provider=npi)).billing_provider == "1234567893"


def test_r5_elements_are_named_as_r5() -> None:
    claim = professional()
    claim["item"][0]["traceNumber"] = [{"value": "L1"}]
    assert "(traceNumber is FHIR R5's element; codekit reads FHIR R4, which has none)" in \
        said(fhir.check(claim), "FHIR_STRUCTURE_INVALID")[0]


@pytest.mark.parametrize(("path", "parameter", "said"), [
    ("/Claim/$validate", {"name": "profile", "valueCanonical":
                          "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/"
                          "profile-claim"}, "profile: codekit checks a Claim against"),
    ("/Claim/$validate", {"name": "mode", "valueCode": "delete"}, "mode 'delete': "),
    # an operations review's fuzzing: a mode that is no text was a TypeError, a 500
    ("/Claim/$validate", {"name": "mode", "valueCode": {"code": "create"}},
     "mode an object: codekit checks a Claim's content"),
    ("/Claim/$validate", {"name": "mode", "valueCode": ["create"]}, "mode an array: "),
    ("/Claim/$validate?profile=http://example.org/p", None, "profile: codekit checks"),
])
def test_validate_parameters_codekit_does_not_answer_are_refused(
        path: str, parameter: dict[str, Any] | None, said: str) -> None:
    body = {"resourceType": "Parameters", "parameter": [
        {"name": "resource", "resource": professional()}, *([parameter] if parameter else [])]}
    status, out = post(json.dumps(body).encode(), path)
    assert status == 400
    assert (out["issue"][0]["code"], out["issue"][0]["diagnostics"][:len(said)]) == (
        "not-supported", said)


def test_fhir_json_of_another_version_is_refused() -> None:
    body = json.dumps(professional()).encode()
    status, out = post(body, ctype="application/fhir+json; fhirVersion=5.0")
    assert (status, out["issue"][0]["diagnostics"]) == (415, (
        "content type 'application/fhir+json; fhirVersion=5.0': fhirVersion '5.0': codekit "
        "reads and writes FHIR R4 only (fhirVersion=4.0)"))
    assert post(body, ctype="application/fhir+json; fhirVersion=4.0")[0] == 200


# -- 8. one fault, one issue, at a FHIRPath ------------------------------------------------


def test_a_value_where_an_object_belongs_is_one_issue_at_the_element() -> None:
    out = fhir.check(professional(type=5))
    assert [(x, s) for r, x, s in issues(out) if r == "FHIR_STRUCTURE_INVALID"] == [
        ("Claim.type", "error")]
    assert said(out, "FHIR_STRUCTURE_INVALID") == [
        "Claim.type: must be a CodeableConcept (a JSON object), got a number (5)"]
