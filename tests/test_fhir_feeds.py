"""codekit.fhir on what EHR feeds send: hand-written FHIR R4 Claims (real codes, real dates)
in Bundles of each type, with contained resources, several codings in one CodeableConcept,
the system URI variants, POA codings, diagnosis sequences that are not 1..n, quantities a
SimpleQuantity cannot hold. Each test says what the feed means and what codekit reads."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from codekit import fhir

pytest.importorskip("fhir.resources")

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
NUBC_POA = "https://www.nubc.org/CodeSystem/PresentOnAdmissionIndicator"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"


def dx(seq: int, *codings: tuple[str, str], **more: Any) -> dict[str, Any]:
    return {"sequence": seq, "diagnosisCodeableConcept": {
        "coding": [{"system": s, "code": c} for s, c in codings]}, **more}


def item(seq: int = 1, code: str = "99213", system: str = CPT, **more: Any) -> dict[str, Any]:
    return {"sequence": seq, "diagnosisSequence": [1], "quantity": {"value": 1},
            "productOrService": {"coding": [{"system": system, "code": code}]}, **more}


def professional(**kw: Any) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "resourceType": "Claim", "id": "c1", "status": "active", "use": "claim",
        "created": "2025-11-03",
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "professional"}]},
        "contained": [{"resourceType": "Patient", "id": "p", "gender": "female",
                       "birthDate": "1956-03-02"}],
        "patient": {"reference": "#p"}, "provider": {"display": "clinic"},
        "priority": {"coding": [{"code": "normal"}]}, "insurer": {"display": "Medicare"},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "Part B"}}],
        "billablePeriod": {"start": "2025-11-03"},
        "diagnosis": [dx(1, (ICD10CM, "E11.9"))],
        "item": [item()]}
    claim.update(kw)
    return claim


DIAGNOSIS_TYPE = "http://terminology.hl7.org/CodeSystem/ex-diagnosistype"


def inpatient(**kw: Any) -> dict[str, Any]:
    """A Medicare inpatient claim (type of bill 0111), discharged 2025-11-03; its
    diagnoses (``diagnosis=``) come with an admitting diagnosis, R10.9 (a diagnosis typed
    admitting, after a gap in the sequence)."""
    if "diagnosis" in kw:
        kw["diagnosis"] = [*kw["diagnosis"], {
            "sequence": 20, "diagnosisCodeableConcept": {"coding": [
                {"system": ICD10CM, "code": "R10.9"}]},
            "type": [{"coding": [{"system": DIAGNOSIS_TYPE, "code": "admitting"}]}]}]
    return professional(**{
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "institutional"}]},
        "subType": {"coding": [{"system": "https://www.nubc.org/CodeSystem/TypeOfBill",
                                "code": "0111"}]},
        "billablePeriod": {"start": "2025-10-30", "end": "2025-11-03"},
        "item": [{"sequence": 1, "quantity": {"value": 4},
                  "revenue": {"coding": [{"system": "https://www.nubc.org/CodeSystem/RevenueCodes",
                                          "code": "0120"}]},
                  "productOrService": {"coding": [{
                      "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                      "code": "not-applicable"}]}}], **kw})


def issues(outcome: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(i["details"]["coding"][0]["code"], i.get("expression", [""])[0],
             i.get("diagnostics", "")) for i in outcome["issue"]
            if i["severity"] in ("error", "warning")]


def reader(source: Any, **kw: Any) -> list[tuple[str, str, str]]:
    (r,) = fhir.read(source, **kw)
    return [(f.rule, fhir.expression_of(f.location), f.message) for f in r.findings]


# -- Bundles and references ------------------------------------------------------------------


@pytest.mark.parametrize("bundle_type", ["collection", "transaction", "searchset"])
def test_a_claim_in_each_kind_of_bundle_finds_its_patient_by_urn_uuid(bundle_type: str) -> None:
    claim = professional(patient={"reference": "urn:uuid:5b3f8c36-0d83-4b8e-9d0e-1f5c0e2a7a11"})
    del claim["contained"]
    patient = {"resourceType": "Patient", "gender": "male", "birthDate": "1950-01-01"}
    extra: dict[str, Any] = {
        "collection": {}, "transaction": {"request": {"method": "POST", "url": "Claim"}},
        "searchset": {"search": {"mode": "match"}}}[bundle_type]
    bundle = {"resourceType": "Bundle", "type": bundle_type, "entry": [
        {"fullUrl": "urn:uuid:9a1d2c44-7f2e-4c55-8a3b-2f6e1d0c9b22", "resource": claim, **extra},
        {"fullUrl": "urn:uuid:5b3f8c36-0d83-4b8e-9d0e-1f5c0e2a7a11", "resource": patient}]}
    (r,) = fhir.read(bundle)
    assert r.claim is not None and r.findings == ()
    assert (r.claim.patient.sex, str(r.claim.patient.birth_date)) == ("M", "1950-01-01")
    assert r.reference == "urn:uuid:9a1d2c44-7f2e-4c55-8a3b-2f6e1d0c9b22"


@pytest.mark.parametrize(("entry", "where", "said"), [
    ({"resource": 7}, "Bundle.entry[1].resource",
     "not a FHIR resource: expected a JSON object, got a number (7); the entry is not read"),
    ({}, "Bundle.entry[1]", "the entry holds no resource (nor a request or response: "
                            "FHIR's bdl-5); the entry is not read"),
    ({"resource": {"id": "c2"}}, "Bundle.entry[1].resource",
     "not a FHIR resource: no resourceType; the entry is not read"),
    ("Claim/c2", "Bundle.entry[1]",
     "not a Bundle entry: expected a JSON object, got a string ('Claim/c2'); the entry is "
     "not read")])
def test_a_bundle_entry_that_is_not_a_resource_is_a_result(entry: Any, where: str,
                                                           said: str) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": professional()}, entry, {"resource": professional(id="c3")}]}
    results = fhir.check_each(bundle)
    assert [(r.where, r.status) for r in results] == [
        ("Bundle.entry[0].resource", "200 OK"), (where, "400 Bad Request"),
        ("Bundle.entry[2].resource", "200 OK")]
    assert results[1].error is not None and results[1].error.problems == ((where, said),)
    assert [(f.rule, f.message) for f in results[1].to_report().findings] == [
        ("FHIR_FORMAT_INVALID", said)]
    out = fhir.check(bundle)
    assert [e["response"]["status"] for e in out["entry"]] == [
        "200 OK", "400 Bad Request", "200 OK"]
    assert out["entry"][1]["resource"]["issue"][0]["expression"] == [where]
    assert len(fhir.read(bundle)) == 2  # read gives the claims


def test_a_bundle_of_entries_that_are_not_resources_says_each() -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{}, {"resource": 7}]}
    (r,) = fhir.check_each(bundle)
    assert r.error is not None and [p for p, _ in r.error.problems] == [
        "Bundle", "Bundle.entry[0]", "Bundle.entry[1].resource"]
    assert r.error.problems[0][1] == "the Bundle holds no Claim (no entry holds a resource)"
    # a DELETE in a transaction has no resource, as FHIR allows: not said
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"request": {"method": "DELETE", "url": "Claim/c0"}},
        {"resource": professional(), "request": {"method": "POST", "url": "Claim"}}]}
    assert [r.status for r in fhir.check_each(bundle)] == ["200 OK"]


def test_contained_condition_procedure_and_coverage_are_read() -> None:
    claim = professional(
        contained=[
            {"resourceType": "Patient", "id": "p", "gender": "male", "birthDate": "1950-01-01"},
            {"resourceType": "Condition", "id": "d1", "subject": {"reference": "#p"},
             "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006"},
                                 {"system": ICD10CM, "code": "E11.9"}]}},
            {"resourceType": "Procedure", "id": "x1", "status": "completed",
             "subject": {"reference": "#p"},
             "code": {"coding": [{"system": "http://www.cms.gov/Medicare/Coding/ICD10",
                                  "code": "0DTJ4ZZ"}]}},
            {"resourceType": "Coverage", "id": "v1", "status": "active",
             "beneficiary": {"reference": "#p"}, "payor": [{"display": "Acme Health"}]}],
        diagnosis=[{"sequence": 1, "diagnosisReference": {"reference": "#d1"}}],
        procedure=[{"sequence": 1, "date": "2025-11-03",
                    "procedureReference": {"reference": "#x1"}}],
        insurance=[{"sequence": 1, "focal": True, "coverage": {"reference": "#v1"}}])
    del claim["insurer"]
    (r,) = fhir.read(claim)
    assert r.findings == ()
    assert r.claim is not None
    assert (r.claim.diagnoses, r.claim.payer) == (("E11.9",), "acme health")
    assert [(p.code, str(p.date)) for p in r.claim.procedures] == [("0DTJ4ZZ", "2025-11-03")]


# -- code systems --------------------------------------------------------------------------


@pytest.mark.parametrize("system", [ICD10CM, "urn:oid:2.16.840.1.113883.6.90"])
@pytest.mark.parametrize("code", ["E11.9", "E119"])
def test_icd10cm_under_either_uri_with_or_without_the_dot(system: str, code: str) -> None:
    (r,) = fhir.read(professional(diagnosis=[dx(1, (system, code))]))
    assert r.claim is not None and r.claim.diagnoses == (code,) and r.findings == ()
    assert issues(fhir.check(professional(diagnosis=[dx(1, (system, code))]))) == []


def test_who_icd10_is_said_and_read_only_when_asked() -> None:
    claim = professional(diagnosis=[dx(1, ("http://hl7.org/fhir/sid/icd-10", "E11.9"))])
    ((rule, where, message),) = reader(claim)
    assert (rule, where) == ("FHIR_DX_SYSTEM_UNSUPPORTED",
                             "Claim.diagnosis[0].diagnosisCodeableConcept")
    assert "E11.9 is coded in ICD-10 (WHO) (http://hl7.org/fhir/sid/icd-10) only" in message
    (r,) = fhir.read(claim, icd10_who=True)
    assert r.claim is not None and r.claim.diagnoses == ("E11.9",)
    assert [f.severity.value for f in r.findings] == ["warning"]


def test_who_icd10_by_its_oid_is_named_and_read_when_asked() -> None:
    """urn:oid:2.16.840.1.113883.6.3 is WHO ICD-10 (as .6.90 is ICD-10-CM): it was named
    as a bare URI, without the fix, and icd10_who=True did not read it."""
    claim = professional(diagnosis=[dx(1, ("urn:oid:2.16.840.1.113883.6.3", "E11.9"))])
    (r,) = fhir.read(claim)
    ((f),) = r.findings
    assert (f.rule, f.fix) == ("FHIR_DX_SYSTEM_UNSUPPORTED", ("E11.9",))
    assert f.message.startswith("Claim.diagnosis[0].diagnosisCodeableConcept: E11.9 is coded "
                                "in ICD-10 (WHO) (urn:oid:2.16.840.1.113883.6.3) only;")
    (r,) = fhir.read(claim, icd10_who=True)
    assert r.claim is not None and r.claim.diagnoses == ("E11.9",)
    assert [(f.rule, f.severity.value) for f in r.findings] == [
        ("FHIR_DX_SYSTEM_UNSUPPORTED", "warning")]


def test_snomed_beside_icd10cm_reads_the_icd10cm_code_without_a_word() -> None:
    claim = professional(diagnosis=[dx(1, ("http://snomed.info/sct", "44054006"),
                                       (ICD10CM, "E11.9"))])
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.diagnoses == ("E11.9",) and r.findings == ()


def test_two_icd10cm_codes_in_one_diagnosis_are_said_not_dropped() -> None:
    """A CodeableConcept's codings are one concept in several systems: E11.9 and I10
    under ICD-10-CM are two diagnoses, and the second was dropped without a word."""
    claim = professional(diagnosis=[dx(1, (ICD10CM, "E11.9"), (ICD10CM, "I10"))])
    for validate in (True, False):
        (r,) = fhir.read(claim, validate=validate)
        assert r.claim is not None and r.claim.diagnoses == ("E11.9",)
        ((f),) = r.findings
        assert (f.rule, f.severity.value, fhir.expression_of(f.location), f.codes) == (
            "FHIR_STRUCTURE_INVALID", "warning",
            "Claim.diagnosis[0].diagnosisCodeableConcept.coding[1]", ("E11.9", "I10"))
        assert f.message == (
            "Claim.diagnosis[0].diagnosisCodeableConcept.coding[1]: ICD-10-CM 'I10' beside "
            "'E11.9' in one CodeableConcept, whose codings are one concept in several "
            "systems: codekit reads the first, 'E11.9', and not 'I10'; send each diagnosis "
            "as its own Claim.diagnosis.")


def test_one_code_written_two_ways_is_not_two_codes() -> None:
    claim = professional(
        diagnosis=[dx(1, (ICD10CM, "E11.9"), ("urn:oid:2.16.840.1.113883.6.90", "E119"))],
        item=[item(productOrService={"coding": [{"system": CPT, "code": "99213"},
                                                {"system": HCPCS, "code": "99213"}]})])
    (r,) = fhir.read(claim)
    assert r.findings == ()


def test_a_condition_with_two_icd10cm_codes_is_said_at_the_contained_coding() -> None:
    # was said at Claim.diagnosis[0].diagnosisReference; the element to change is the
    # contained Condition's coding, in the same resource, so the finding points there
    claim = professional(
        contained=[professional()["contained"][0],
                   {"resourceType": "Condition", "id": "d1", "subject": {"reference": "#p"},
                    "code": {"coding": [{"system": ICD10CM, "code": "I10"},
                                        {"system": ICD10CM, "code": "N18.30"}]}}],
        diagnosis=[{"sequence": 1, "diagnosisReference": {"reference": "#d1"}}])
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.diagnoses == ("I10",)
    assert [(f.rule, fhir.expression_of(f.location), f.message.split(":")[0])
            for f in r.findings] == [("FHIR_STRUCTURE_INVALID",
                                      "Claim.contained[1].code.coding[1]",
                                      "Claim.contained[1].code.coding[1]")]


def test_code_findings_of_a_contained_condition_point_at_its_code() -> None:
    patient = professional()["contained"][0]
    claim = professional(
        contained=[patient,
                   {"resourceType": "Condition", "id": "d1", "subject": {"reference": "#p"},
                    "code": {"coding": [{"system": ICD10CM, "code": "E11.99999"}]}}],
        diagnosis=[{"sequence": 1, "diagnosisReference": {"reference": "#d1"}}])
    (r,) = fhir.check_each(claim)
    assert [(f.rule, x) for f, x in r.issues()] == [
        ("DX_FORMAT_INVALID", "Claim.contained[1].code")]
    # a Condition coded in SNOMED CT only: said at the contained Condition's code too
    claim["contained"][1]["code"] = {"coding": [{"system": "http://snomed.info/sct",
                                                 "code": "44054006"}]}
    (r,) = fhir.read(claim)
    assert [(f.rule, fhir.expression_of(f.location)) for f in r.findings] == [
        ("FHIR_DX_SYSTEM_UNSUPPORTED", "Claim.contained[1].code")]
    # the same Condition from the caller's resolver is not in the claim: at the reference
    claim["contained"] = [patient]
    claim["diagnosis"][0]["diagnosisReference"] = {"reference": "Condition/d1"}
    (r,) = fhir.read(claim, resolver={"Condition/d1": {
        "resourceType": "Condition", "code": {"coding": [{"system": "http://snomed.info/sct",
                                                          "code": "44054006"}]}}}.get)
    assert [(f.rule, fhir.expression_of(f.location)) for f in r.findings] == [
        ("FHIR_DX_SYSTEM_UNSUPPORTED", "Claim.diagnosis[0].diagnosisReference")]


def test_a_contained_procedure_in_another_system_is_said_at_its_code() -> None:
    claim = professional(
        contained=[professional()["contained"][0],
                   {"resourceType": "Procedure", "id": "x1", "status": "completed",
                    "subject": {"reference": "#p"}, "code": {"coding": [
                        {"system": "http://snomed.info/sct", "code": "80146002"}]}}],
        procedure=[{"sequence": 1, "date": "2025-11-03",
                    "procedureReference": {"reference": "#x1"}}])
    (r,) = fhir.read(claim)
    assert [(f.rule, fhir.expression_of(f.location)) for f in r.findings] == [
        ("FHIR_PROCEDURE_SYSTEM_UNSUPPORTED", "Claim.contained[1].code")]


def test_hcpcs_and_cpt_codes_in_one_product_or_service_are_said() -> None:
    claim = professional(item=[item(productOrService={"coding": [
        {"system": HCPCS, "code": "G0439"}, {"system": CPT, "code": "99397"}]})])
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.service_lines[0].procedure_code == "G0439"
    assert [(f.rule, f.severity.value, fhir.expression_of(f.location), f.codes)
            for f in r.findings] == [("FHIR_STRUCTURE_INVALID", "warning",
                                      "Claim.item[0].productOrService.coding[1]",
                                      ("G0439", "99397"))]


def test_product_or_service_as_text_only_is_said() -> None:
    claim = professional(item=[item(productOrService={"text": "office visit"})])
    assert reader(claim) == [(
        "FHIR_ITEM_SYSTEM_UNSUPPORTED", "Claim.item[0].productOrService",
        "Claim.item[0].productOrService: productOrService has no code; codekit checks CPT "
        f"({CPT}) and HCPCS ({HCPCS}) codes: the line is not checked.")]


# -- diagnosis sequences and pointers ---------------------------------------------------------


def test_sequences_out_of_order_point_by_sequence() -> None:
    claim = professional(diagnosis=[dx(2, (ICD10CM, "I10")), dx(1, (ICD10CM, "E11.9"))],
                         item=[item(diagnosisSequence=[2])])
    (r,) = fhir.read(claim)
    assert r.claim is not None
    assert r.claim.diagnoses == ("E11.9", "I10")
    assert r.claim.service_lines[0].diagnosis_pointers == (2,)


def test_a_pointer_into_a_gap_of_sequences_not_1_to_n_is_said_as_such() -> None:
    """Diagnoses numbered 5 and 7: a pointer to 6 names no diagnosis. It was kept as
    position 6 and judged PTR_INVALID ("points to diagnosis 6, but the claim has 2 diagnoses")."""
    claim = professional(diagnosis=[dx(5, (ICD10CM, "I10")), dx(7, (ICD10CM, "E11.9"))],
                         item=[item(diagnosisSequence=[7, 6])])
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.service_lines[0].diagnosis_pointers == (2,)
    assert issues(fhir.check(claim)) == [
        ("FHIR_DIAGNOSIS_SEQUENCE_UNKNOWN", "Claim.item[0].diagnosisSequence[1]",
         "Claim.item[0].diagnosisSequence[1]: no diagnosis has sequence 6.")]


def test_a_pointer_beyond_every_sequence_is_judged_by_the_pointer_edit() -> None:
    claim = professional(diagnosis=[dx(5, (ICD10CM, "I10")), dx(7, (ICD10CM, "E11.9"))],
                         item=[item(diagnosisSequence=[5, 9])])
    assert [(rule, where) for rule, where, _ in issues(fhir.check(claim))] == [
        ("PTR_INVALID", "Claim.item[0].diagnosisSequence[1]")]


def test_a_pointer_to_sequence_0_is_said() -> None:
    claim = professional(item=[item(diagnosisSequence=[0])])
    assert [(rule, where) for rule, where, _ in issues(fhir.check(claim))] == [
        ("FHIR_STRUCTURE_INVALID", "Claim.item[0].diagnosisSequence[0]"),
        ("PTR_INVALID", "Claim.item[0].diagnosisSequence[0]")]


# -- quantities --------------------------------------------------------------------------------


@pytest.mark.parametrize("validate", [True, False])
def test_a_quantity_with_a_comparator_is_not_read_as_a_count(validate: bool) -> None:
    """An item's quantity is a SimpleQuantity (no comparator, qty-3), which fhir.resources'
    models do not hold: "< 2" was read as 2 units without a word."""
    claim = professional(item=[item(quantity={"value": 2, "comparator": "<"})])
    (r,) = fhir.read(claim, validate=validate)
    assert r.claim is not None and r.claim.service_lines[0].units is None
    assert [(rule, where) for rule, where, _ in issues(fhir.check(claim, validate=validate))] \
        == [("FHIR_STRUCTURE_INVALID", "Claim.item[0].quantity.comparator"),
            ("UNITS_INVALID", "Claim.item[0].quantity")]
    assert reader(claim, validate=validate)[0][2] == (
        "Claim.item[0].quantity.comparator: an item's quantity is a SimpleQuantity, which has "
        "no comparator (qty-3): '<' 2 is not a count of units; the units are not read")


@pytest.mark.parametrize(("value", "message"), [
    (0, "Line 1 (99213): units are 0; report at least 1."),
    (-1, "Line 1 (99213): units are -1; report at least 1.")])
def test_zero_and_negative_quantities_reach_the_units_edit(value: int, message: str) -> None:
    claim = professional(item=[item(quantity={"value": value})])
    assert issues(fhir.check(claim)) == [("UNITS_INVALID", "Claim.item[0].quantity", message)]


def test_a_decimal_quantity_is_kept_exactly() -> None:
    (r,) = fhir.read('{"resourceType": "Claim", "status": "active", "use": "claim", '
                     '"created": "2025-11-03", "type": {"coding": [{"system": '
                     f'"{CLAIM_TYPE}", "code": "professional"}}]}}, "patient": {{"display": '
                     '"x"}, "provider": {"display": "x"}, "priority": {"coding": [{"code": '
                     '"normal"}]}, "insurance": [{"sequence": 1, "focal": true, "coverage": '
                     '{"display": "x"}}], "billablePeriod": {"start": "2025-11-03"}, "item": '
                     '[{"sequence": 1, "quantity": {"value": 1.50}, "productOrService": '
                     f'{{"coding": [{{"system": "{CPT}", "code": "97110"}}]}}}}]}}')
    assert r.claim is not None and str(r.claim.service_lines[0].units) == "1.50"


# -- POA ---------------------------------------------------------------------------------------


def test_poa_is_read_from_the_nubc_coding_when_a_local_one_comes_first() -> None:
    """An EHR's own coding ahead of the NUBC one: the NUBC value is what the claim says
    (the first coding was read: POA 'yes', POA_INVALID)."""
    claim = inpatient(diagnosis=[dx(1, (ICD10CM, "K35.80"), onAdmission={"coding": [
        {"system": "http://example.org/epic/poa", "code": "yes"},
        {"system": NUBC_POA, "code": "Y"}]})])
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.poa == ("Y",)
    assert issues(fhir.check(claim)) == []


def test_the_fhir_example_poa_system_is_read_in_upper_case() -> None:
    claim = inpatient(diagnosis=[dx(1, (ICD10CM, "K35.80"), onAdmission={"coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/ex-diagnosis-on-admission",
         "code": "y"}]})])
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.poa == ("Y",)


def test_a_poa_finding_points_at_on_admission() -> None:
    """The POA edits locate their findings at ("diagnoses", i, "poa"): that is
    Claim.diagnosis[i].onAdmission, not the diagnosis code."""
    claim = inpatient(diagnosis=[dx(1, (ICD10CM, "K35.80")),
                                 dx(2, (ICD10CM, "I10"), onAdmission={"coding": [
                                     {"system": NUBC_POA, "code": "Q"}]})])
    found = [(rule, where) for rule, where, _ in issues(fhir.check(claim))]
    assert found == [("POA_MISSING", "Claim.diagnosis[0].onAdmission"),
                     ("POA_INVALID", "Claim.diagnosis[1].onAdmission")]


# -- the patient -------------------------------------------------------------------------------


@pytest.mark.parametrize(("birth", "said"), [
    ("1960", " (the patient is 64 or 65 on 2025-11-03: the age edits were not run)"),
    ("1960-11", " (the patient is 64 or 65 on 2025-11-03: the age edits were not run)"),
    ("2026-01", "")])
def test_a_partial_birth_date_is_said(birth: str, said: str) -> None:
    claim = professional(contained=[{"resourceType": "Patient", "id": "p", "gender": "male",
                                     "birthDate": birth}])
    assert reader(claim) == [("FHIR_PATIENT_INCOMPLETE", "Claim.contained[0]",
                              f"Claim.contained[0]: birthDate '{birth}' is not a whole "
                              f"date{said}.")]
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.patient.age is None


@pytest.mark.parametrize(("birth", "age"), [("1960-05", 65), ("1960-10", 65),
                                            ("2025-10", 0)])
def test_a_partial_birth_date_that_fixes_the_age_gives_it(birth: str, age: int) -> None:
    """Born in May 1960, the patient is 65 on 2025-11-03 whatever the day: the age edits
    ran on no age, and a warning said the birth date was not whole."""
    claim = professional(contained=[{"resourceType": "Patient", "id": "p", "gender": "male",
                                     "birthDate": birth}])
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.findings == ()
    assert (r.claim.patient.age, r.claim.patient.birth_date) == (age, None)
    # the age edits run: a liveborn infant's code on the 65-year-old is said
    old = professional(contained=[{"resourceType": "Patient", "id": "p", "gender": "male",
                                   "birthDate": "1960-05"}],
                       diagnosis=[dx(1, (ICD10CM, "Z38.00"))])
    assert "DX_AGE_CONFLICT" in [code for code, _, _ in issues(fhir.check(old))]


@pytest.mark.parametrize("gender", ["unknown", "other"])
def test_gender_unknown_and_other_are_sex_u_without_a_finding(gender: str) -> None:
    claim = professional(contained=[{"resourceType": "Patient", "id": "p", "gender": gender,
                                     "birthDate": "1960-05-01"}])
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.patient.sex == "U" and r.findings == ()


# -- the round trip ----------------------------------------------------------------------------


def test_read_check_write_back_and_read_again() -> None:
    """FHIR Claim -> codekit claim -> OperationOutcome; the claim written back as FHIR reads
    as the same codekit claim, and the input is not changed."""
    claim = inpatient(diagnosis=[dx(1, (ICD10CM, "K35.80"), onAdmission={"coding": [
        {"system": "http://example.org/epic/poa", "code": "yes"},
        {"system": NUBC_POA, "code": "Y"}]}), dx(2, (ICD10CM, "I10"), onAdmission={
            "coding": [{"system": NUBC_POA, "code": "N"}]})])
    before = copy.deepcopy(claim)
    (r,) = fhir.read(claim)
    assert r.claim is not None
    outcome = fhir.check(claim)
    assert [i["details"]["coding"][0]["code"] for i in outcome["issue"]][:1] == ["clean"]
    back = fhir.from_claim(r.claim)
    (again,) = fhir.read(back)
    assert again.claim == r.claim and again.findings == ()
    assert claim == before


# -- modifier extensions -----------------------------------------------------------------------


@pytest.mark.parametrize("validate", [True, False])
def test_a_modifier_extension_is_said_not_ignored(validate: bool) -> None:
    """A modifierExtension changes what its element means (a line "not performed", a
    diagnosis "ruled out"); FHIR forbids reading the element as if it were not there.
    codekit read past it and could answer a claim clean."""
    claim = professional(
        diagnosis=[dx(1, (ICD10CM, "E11.9"), modifierExtension=[
            {"url": "http://example.org/fhir/ruled-out", "valueBoolean": True}])],
        item=[item(modifierExtension=[{"url": "http://example.org/fhir/not-performed",
                                       "valueBoolean": True}])])
    claim["contained"][0]["modifierExtension"] = [{"url": "http://example.org/fhir/p",
                                                    "valueCode": "x"}]
    rows = [(r, p) for r, p, _ in issues(fhir.check(claim, validate=validate))]
    assert rows == [
        ("FHIR_MODIFIER_EXTENSION_UNKNOWN", "Claim.contained[0].modifierExtension[0]"),
        ("FHIR_MODIFIER_EXTENSION_UNKNOWN", "Claim.diagnosis[0].modifierExtension[0]"),
        ("FHIR_MODIFIER_EXTENSION_UNKNOWN", "Claim.item[0].modifierExtension[0]")]
    (_, _, message), = [m for m in reader(claim) if "item[0]" in m[1]]
    assert message == (
        "Claim.item[0].modifierExtension[0]: a modifier extension "
        "('http://example.org/fhir/not-performed') changes the meaning of the element it "
        "sits on, and codekit does not know it: the element was checked as if the "
        "extension were not there, so its findings may not hold (remove the extension, or "
        "leave the element out)")
    assert reader(professional()) == []  # a plain extension is nothing to say


def test_modifier_extensions_are_said_at_most_twenty_times() -> None:
    claim = professional(item=[item(modifierExtension=[
        {"url": f"http://example.org/fhir/m{i}"} for i in range(1000)])])
    assert len(reader(claim)) == 20


def test_a_poa_given_as_text_only_is_said() -> None:
    """onAdmission {"text": "Y"} was read as no indicator with nothing said: the inpatient
    claim got POA_MISSING for an indicator the feed did send."""
    claim = inpatient(diagnosis=[dx(1, (ICD10CM, "K35.80"), onAdmission={"text": "Y"})])
    found = [(code, where) for code, where, _ in issues(fhir.check(claim))]
    assert ("FHIR_STRUCTURE_INVALID", "Claim.diagnosis[0].onAdmission") in found
    assert ("POA_MISSING", "Claim.diagnosis[0].onAdmission") in found
    ((_, _, message),) = [r for r in reader(claim) if r[1] == "Claim.diagnosis[0].onAdmission"]
    assert message == (
        "Claim.diagnosis[0].onAdmission: no coding, only the text 'Y', which codekit does "
        "not read as a POA indicator: code it (system "
        "https://www.nubc.org/CodeSystem/PresentOnAdmissionIndicator)")


def test_a_place_of_service_in_another_system_is_said() -> None:
    """A line's locationCodeableConcept in a local system (or text only) was dropped with
    nothing said; a CMS place-of-service coding is read as before."""
    local = professional(item=[item(locationCodeableConcept={"coding": [
        {"system": "http://example.org/fhir/locations", "code": "CLINIC-A"}]})])
    assert reader(local) == [(
        "FHIR_STRUCTURE_INVALID", "Claim.item[0].locationCodeableConcept",
        "Claim.item[0].locationCodeableConcept: no CMS place-of-service coding "
        "('CLINIC-A' in 'http://example.org/fhir/locations'): the line's place of service "
        "is not read")]
    text = professional(item=[item(locationCodeableConcept={"text": "office"})])
    assert [m for _, _, m in reader(text)] == [
        "Claim.item[0].locationCodeableConcept: no CMS place-of-service coding (only the "
        "text 'office'): the line's place of service is not read"]
    cms = professional(item=[item(locationCodeableConcept={"coding": [
        {"system": "https://www.cms.gov/Medicare/Coding/place-of-service-codes/"
                   "Place_of_Service_Code_Set", "code": "11"}]})])
    (r,) = fhir.read(cms)
    assert r.findings == () and r.claim is not None
    assert r.claim.service_lines[0].place_of_service == "11"


def test_a_claim_a_search_included_beside_its_eob_is_checked_once() -> None:
    """A searchset of an ExplanationOfBenefit (matched) and the Claim it references
    (included) is one claim: both were checked, so every finding came twice."""
    claim = professional(diagnosis=[dx(1, (ICD10CM, "E11"))])  # a header: one finding
    eob = {**copy.deepcopy(claim), "resourceType": "ExplanationOfBenefit", "id": "e1",
           "outcome": "complete", "claim": {"reference": "Claim/c1"}}
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [
        {"fullUrl": "http://example.org/fhir/ExplanationOfBenefit/e1", "resource": eob,
         "search": {"mode": "match"}},
        {"fullUrl": "http://example.org/fhir/Claim/c1", "resource": claim,
         "search": {"mode": "include"}}]}
    read = fhir.read(bundle, validate=False)
    assert [r.expression for r in read] == ["Bundle.entry[0].resource"]
    # a search that matched Claims checks every one of them, as any Bundle
    matched = {**bundle, "entry": [{**e, "search": {"mode": "match"}} for e in
                                   bundle["entry"]]}
    assert len(fhir.read(matched, validate=False)) == 2


@pytest.mark.parametrize(("quantity", "said"), [
    ({"value": 30, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}, "30 mg"),
    ({"value": 2, "unit": "hours"}, "2 hours"),
    ({"value": 1, "code": "{unit}", "system": "http://unitsofmeasure.org"}, None),
    ({"value": 3}, None)])
def test_a_quantity_that_is_an_amount_is_said(quantity: dict[str, Any], said: str | None
                                               ) -> None:
    """30 mg of a drug was read as 30 units of J1885 with nothing said: a line counts the
    code's own units (doses of its descriptor)."""
    claim = professional(item=[item(code="J1885", system=HCPCS, quantity=quantity)])
    found = reader(claim)
    (r,) = fhir.read(claim)
    assert r.claim is not None and r.claim.service_lines[0].units == quantity["value"]
    if said is None:
        assert found == []
        return
    assert found == [("FHIR_STRUCTURE_INVALID", "Claim.item[0].quantity",
                      f"Claim.item[0].quantity: {said} is an amount, not a count of the "
                      f"code's units: it is read as {quantity['value']} units (convert it to "
                      "the code's units: a drug code's are doses of its descriptor)")]


def test_an_stu3_item_is_named_as_such() -> None:
    """An STU3 item (service, not productOrService) was "productOrService is missing",
    with nothing saying the claim was written in an older FHIR version."""
    claim = professional(item=[{"sequence": 1, "quantity": {"value": 1},
                                "service": {"coding": [{"system": CPT, "code": "99213"}]}}])
    assert reader(claim) == [
        ("FHIR_STRUCTURE_INVALID", "Claim.item[0].productOrService",
         "Claim.item[0].productOrService: Field required"),
        ("FHIR_STRUCTURE_INVALID", "Claim.item[0].service",
         "Claim.item[0].service: Extra inputs are not permitted (service is FHIR STU3's "
         "element; codekit reads FHIR R4, where it is productOrService)")]
    assert reader(claim, validate=False) == [(
        "FHIR_STRUCTURE_INVALID", "Claim.item[0].productOrService",
        "Claim.item[0].productOrService: is missing: codekit checks CPT and HCPCS codes "
        "(item.service is FHIR STU3's name for it: codekit reads FHIR R4, where it is "
        "productOrService)")]


# -- status, periods, Bundles in Bundles -------------------------------------------------------


@pytest.mark.parametrize(("status", "said"), [
    ("entered-in-error", "Claim.status is 'entered-in-error': the claim was recorded in error; "
                         "it is checked as asked, but no payer will adjudicate it, and its "
                         "findings need no fixing."),
    ("cancelled", "Claim.status is 'cancelled': the claim was withdrawn; it is checked as "
                  "asked, but no payer will adjudicate it, and its findings need no fixing.")])
def test_a_claim_withdrawn_or_recorded_in_error_is_said(status: str, said: str) -> None:
    """A feed's cancelled Claim was checked and reported "clean" or with errors to fix,
    as if it were to be submitted."""
    assert issues(fhir.check(professional(status=status))) == [
        ("FHIR_CLAIM_NOT_ACTIVE", "Claim.status", said)]


@pytest.mark.parametrize("validate", [True, False])
def test_a_status_outside_its_value_set_is_said(validate: bool) -> None:
    """fhir.resources takes any code for ``status``: ``"submitted"`` (not an R4 Claim
    status) passed without a word."""
    assert reader(professional(status="submitted"), validate=validate) == [
        ("FHIR_STRUCTURE_INVALID", "Claim.status", "Claim.status: 'submitted' is not a Claim "
         "status (one of active, cancelled, draft, entered-in-error)")]


def test_a_draft_claim_is_checked_without_a_word() -> None:
    assert reader(professional(status="draft")) == []


def test_a_serviced_period_that_runs_backwards_is_said() -> None:
    """FHIR's per-1 (a Period's start is not after its end): the item's servicedPeriod of
    2025-11-05 to 2025-11-03 was read as 2025-11-05 without a word."""
    claim = professional(item=[item(servicedPeriod={"start": "2025-11-05",
                                                    "end": "2025-11-03"})])
    (r,) = fhir.read(claim)
    assert [(f.rule, fhir.expression_of(f.location), f.message) for f in r.findings] == [
        ("FHIR_STRUCTURE_INVALID", "Claim.item[0].servicedPeriod",
         "Claim.item[0].servicedPeriod: runs backwards: 2025-11-05 to 2025-11-03")]
    assert r.claim is not None and str(r.claim.service_lines[0].date_of_service) == "2025-11-05"


def test_claims_in_a_bundle_of_bundles_are_each_read_in_order() -> None:
    """A batch of collection Bundles (one per encounter) said "the Bundle holds no Claim
    (it holds Bundle)". Each inner Bundle's references resolve within it."""
    def collection(claim_id: str, gender: str) -> dict[str, Any]:
        claim = professional(id=claim_id, patient={"reference": "Patient/p1"})
        del claim["contained"]
        return {"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": claim},
            {"resource": {"resourceType": "Patient", "id": "p1", "gender": gender,
                          "birthDate": "1950-01-01"}}]}
    lone = professional(id="c0")
    batch = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"resource": collection("c1", "male")}, {"resource": lone},
        {"resource": collection("c2", "female")}]}
    read = fhir.read(batch)
    assert [(r.id, r.expression, r.claim.patient.sex if r.claim else None) for r in read] == [
        ("c1", "Bundle.entry[0].resource.entry[0].resource", "M"),
        ("c0", "Bundle.entry[1].resource", "F"),
        ("c2", "Bundle.entry[2].resource.entry[0].resource", "F")]


def test_bundles_nested_too_deep_or_without_claims_are_said() -> None:
    empty: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    with pytest.raises(fhir.FhirFormatError) as e:
        fhir.read({"resourceType": "Bundle", "type": "batch", "entry": [{"resource": empty}]})
    assert e.value.problems == (("Bundle.entry[0].resource",
                                 "the Bundle holds no Claim (it has no entries)"),)
    deep: dict[str, Any] = {"resourceType": "Bundle", "type": "collection",
                            "entry": [{"resource": professional()}]}
    for _ in range(5):
        deep = {"resourceType": "Bundle", "type": "batch", "entry": [{"resource": deep}]}
    with pytest.raises(fhir.FhirFormatError) as e:
        fhir.read(deep)
    assert e.value.problems == (("Bundle" + ".entry[0].resource" * 5,
                                 "a Bundle nested more than 4 Bundles deep: not read"),)


def test_an_admitting_diagnosis_is_judged_at_its_element() -> None:
    """A diagnosis typed ``admitting`` was read and never judged (G35, a header since
    2025-10-01, passed)."""
    claim = inpatient(diagnosis=[
        dx(1, (ICD10CM, "K35.80"), type=[{"coding": [{"code": "principal"}]}],
           onAdmission={"coding": [{"system": NUBC_POA, "code": "Y"}]}),
        dx(2, (ICD10CM, "G35"), type=[{"coding": [{"code": "admitting"}]}])])
    [(rule, where, said)] = issues(fhir.check(claim))
    assert (rule, where) == ("DX_NOT_VALID_ON_DOS",
                             "Claim.diagnosis[1].diagnosisCodeableConcept")
    assert said.startswith("The admitting diagnosis 'G35': not valid on 2025-11-03")
