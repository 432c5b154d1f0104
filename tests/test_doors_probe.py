"""Red-team probes of the X12 837 and FHIR front doors: what a round trip lost or moved,
what a reader dropped without a word (each test failed before its fix)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import attrs
import pytest

from codekit import fhir
from codekit.claims import Procedure
from codekit.errors import InvalidArgument
from codekit.x12 import read_claims, write_837
from tests.test_round_trip import CAH_ROW, _base, _edit, _read_x12
from tests.test_x12 import _inst, _prof

pytest.importorskip("pyx12")
D = dt.date

BBR = "HI*BBR:02703DZ:D8:20250303~"
CAH = "HI*CAH:ABC123:D8:20250303~"
BBQ = "HI*BBQ:0DTJ4ZZ:D8:20250304~"
PROCEDURES = (Procedure("02703DZ", D(2025, 3, 3)), Procedure("0DTJ4ZZ", D(2025, 3, 4)))
#: pyx12's word on the second principal procedure HI (the guide has room for one).
REPEAT = ("X12_SEGMENT_REPEAT_EXCEEDED", "", "Segment HI exceeded max count.  Found 2, "
          "should have 1")


def _hi(text: str) -> list[str]:
    return [s for s in text.splitlines() if s.startswith("HI*")]


# -- 837I: an HI BBR beside an HI CAH (two principal procedure HIs) ----------------------


@pytest.mark.parametrize(("hi", "bbr"), [
    (f"{BBR}\n{CAH}\n{BBQ}", "before"),
    (f"{CAH}\n{BBR}\n{BBQ}", "after"),
], ids=["BBR then CAH", "CAH then BBR"])
def test_an_hi_bbr_beside_an_hi_cah_is_written_back_where_it_was(hi: str, bbr: str) -> None:
    """005010X223A2 has one Principal Procedure Information HI (HI01-1 BBR, BR or CAH) and
    the Other Procedure Information HIs (BBQ, BQ). An 837I that sends both BBR and CAH
    has two principal procedures (pyx12: the HI repeats); the reader reads both, and the
    writer wrote the BBR back as HI*BBQ: the principal procedure 02703DZ became an other
    procedure and the file's error was gone."""
    source = _edit(_base(_inst(procedures=PROCEDURES)), f"{BBR}\n{BBQ}", hi)
    claim, findings = _read_x12(source)
    assert claim.procedures == PROCEDURES
    assert claim.extra == {"x12_other_procedure_codes": [{**CAH_ROW, "bbr": bbr}]}
    assert findings == [REPEAT]
    again = write_837([claim], date=D(2025, 3, 10), newline="\n")
    assert isinstance(again, str)
    assert _hi(again) == _hi(source)
    assert _read_x12(again) == (claim, findings)


def test_an_hi_cah_alone_as_principal_is_still_written_before_the_bbq_rows() -> None:
    source = _edit(_base(_inst(procedures=PROCEDURES)), f"{BBR}\n{BBQ}",
                   f"{CAH}\nHI*BBQ:02703DZ:D8:20250303*BBQ:0DTJ4ZZ:D8:20250304~")
    claim, findings = _read_x12(source)
    assert claim.extra == {"x12_other_procedure_codes": [CAH_ROW]}
    assert findings == []
    again = write_837([claim], date=D(2025, 3, 10), newline="\n")
    assert isinstance(again, str)
    assert _hi(again) == _hi(source)


@pytest.mark.parametrize(("claim", "message"), [
    (_inst(procedures=PROCEDURES, extra={"x12_other_procedure_codes": [
        {**CAH_ROW, "bbr": "first"}]}),
     "claim 'I1': extra.x12_other_procedure_codes[0].bbr 'first' is not 'before' or "
     "'after' (where the reader read the HI BBR of procedures[0] beside this HI CAH): an "
     "837I cannot hold it"),
    (_inst(procedures=(), extra={"x12_other_procedure_codes": [
        {**CAH_ROW, "bbr": "before"}]}),
     "claim 'I1': extra.x12_other_procedure_codes[0].bbr is 'before': the row was read "
     "beside an HI BBR, the principal procedure procedures[0], and the claim has no "
     "procedures: an 837I cannot hold it"),
], ids=["not before/after", "no procedures"])
def test_a_cah_row_naming_an_hi_bbr_that_cannot_be_written_is_refused(
        claim: object, message: str) -> None:
    with pytest.raises(InvalidArgument) as e:
        write_837([claim])  # type: ignore[list-item]
    assert str(e.value) == message + " (claims[0]; on_refused= skips such claims)"


# -- FHIR: the principal procedure ------------------------------------------------------


def _typed(resource: dict, principal: int) -> dict:
    out = copy.deepcopy(resource)
    for i, p in enumerate(out["procedure"]):
        p["type"] = [{"coding": [{
            "system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimProcedureType",
            "code": "principal" if i == principal else "other"}]}]
    return out


def test_the_fhir_procedure_typed_principal_is_the_claims_first() -> None:
    """CARIN Blue Button types an EOB's procedures principal / other; the reader ignored
    the type, so a principal procedure of sequence 2 was procedures[1] and an 837I
    written from the claim carried the other procedure as HI BBR."""
    resource = _typed(fhir.from_claim(_inst(procedures=PROCEDURES)), principal=1)
    (r,) = fhir.read(json.dumps(resource))
    assert r.findings == ()
    assert r.claim is not None
    assert r.claim.procedures == PROCEDURES[::-1]
    assert r.paths.procedures == ("Claim.procedure[1].procedureCodeableConcept",
                                  "Claim.procedure[0].procedureCodeableConcept")
    text = write_837([r.claim], date=D(2025, 3, 10), newline="\n")
    assert isinstance(text, str)
    assert [s for s in _hi(text) if s.startswith(("HI*BBR", "HI*BBQ"))] == [
        "HI*BBR:0DTJ4ZZ:D8:20250304~", "HI*BBQ:02703DZ:D8:20250303~"]


def test_the_fhir_procedure_example_type_primary_is_the_claims_first() -> None:
    resource = fhir.from_claim(_inst(procedures=PROCEDURES))
    for i, p in enumerate(resource["procedure"]):
        p["type"] = [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/ex-procedure-type",
            "code": "primary" if i == 1 else "secondary"}]}]
    (r,) = fhir.read(json.dumps(resource))
    assert r.claim is not None
    assert r.claim.procedures == PROCEDURES[::-1]


def test_the_fhir_principal_procedure_of_blue_buttons_sample_stays_first() -> None:
    resource = _typed(fhir.from_claim(_inst(procedures=PROCEDURES)), principal=0)
    (r,) = fhir.read(json.dumps(resource))
    assert r.claim is not None
    assert r.claim.procedures == PROCEDURES


# -- FHIR: codekit's extra extension that is not JSON ------------------------------------


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize(("value", "shown"), [("{not json", "'{not json'"), ("[1]", "'[1]'")])
def test_an_extra_extension_that_is_not_a_json_object_is_said(validate: bool, value: str,
                                                               shown: str) -> None:
    """The reader dropped it without a word: a hand-edited claim lost its extra."""
    resource = fhir.from_claim(_prof())
    at = len(resource["extension"])  # after codekit's place-of-service extension
    resource["extension"].append({"url": "urn:codekit:fhir:extra", "valueString": value})
    (r,) = fhir.read(json.dumps(resource), validate=validate)
    assert r.claim == _prof()
    assert [(f.rule, f.severity.value, f.message) for f in r.findings] == [(
        "FHIR_STRUCTURE_INVALID", "warning",
        f"Claim.extension[{at}]: urn:codekit:fhir:extra is not a JSON object in valueString "
        f"(got {shown}): the claim's extra is not read")]


def test_an_extra_extension_round_trips_without_a_word() -> None:
    claim = _prof(extra={"batch": "B-7", "rows": [1, 2]})
    (r,) = fhir.read(json.dumps(fhir.from_claim(claim)))
    assert (r.claim, r.findings) == (claim, ())
    assert attrs.evolve(claim, extra={}) == _prof()
    (record,) = list(read_claims(_base(_prof()).encode()))
    assert record.claim == _prof()


# -- 837P: an empty SV107 component ------------------------------------------------------


def _checked(text: str) -> list[tuple[str, str, str | None, str]]:
    from codekit.x12 import check

    return [(f.finding.rule, f.finding.path, f.location.element, f.finding.message)
            for r in check(text.encode()) for f in r.findings]


def test_an_empty_pointer_component_is_no_pointer() -> None:
    """SV107 ``1::2`` (SV107-2 empty, SV107-3 2) was read as pointers (1, 0, 2): the line
    was rejected for a "pointer 0" the file does not have."""
    text = _edit(_base(_prof()), "***1:2~", "***1::2~")
    (record,) = [r for r in read_claims(text.encode()) if r.kind == "claim"]
    assert record.claim == _prof()
    assert _checked(text) == []


def test_a_pointer_after_an_empty_component_is_located_where_it_is() -> None:
    text = _edit(_base(_prof()), "***1:2~", "***1::3~")
    (record,) = [r for r in read_claims(text.encode()) if r.kind == "claim"]
    assert record.claim is not None
    assert record.claim.service_lines[0].diagnosis_pointers == (1, 3)
    assert _checked(text) == [(
        "PTR_INVALID", "$.service_lines[0].diagnosis_pointers[1]", "SV107-3",
        "Line 1: pointer 3 points to diagnosis 3, but the claim has 2 diagnoses.")]


def test_a_pointer_to_a_blank_diagnosis_after_an_empty_component() -> None:
    text = _edit(_edit(_base(_prof()), "***1:2~", "***1::2~"), "HI*ABK:E119*ABF:I10~",
                 "HI*ABK:E119**ABF:I10~")
    found = _checked(text)
    assert ("X12_POINTER_NOT_DIAGNOSIS", "$.service_lines[0].diagnosis_pointers[1]",
            "SV107-3", "line 1: pointer 2 (SV107-3) points at HI02, which holds no "
            "diagnosis code (value '2')") in found


# -- FHIR: crashes on malformed contained resources ------------------------------------


@pytest.mark.parametrize(("kind", "shown"), [("x", "'x'"), ("", "''"), (None, "None"),
                                             (3, "3")])
def test_a_contained_resource_of_no_known_type_is_a_finding(kind: object, shown: str
                                                            ) -> None:
    """fhir.resources looks a contained resource's model up by its resourceType and
    raised KeyError / TypeError out of fhir.check: a traceback, not an OperationOutcome."""
    resource = fhir.from_claim(_prof())
    resource["contained"][0]["resourceType"] = kind
    outcome = fhir.check(json.dumps(resource))
    assert outcome["resourceType"] == "OperationOutcome"
    (r,) = fhir.read(json.dumps(resource))
    assert (r.findings[0].rule, r.findings[0].message) == (
        "FHIR_STRUCTURE_INVALID", f"Claim.contained[0].resourceType: unknown resource type "
        f"{shown}")
    assert r.claim is not None and r.claim.diagnoses == ("E119", "I10")


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize("code", [[], {}, ["MB"]])
def test_a_member_id_type_code_that_is_not_text_is_no_crash(validate: bool, code: object
                                                            ) -> None:
    """A Patient identifier's type coding with a list or object as its code raised
    TypeError (unhashable) out of the reader, on the fast path too."""
    resource = fhir.from_claim(_prof())
    resource["contained"][0]["identifier"][0]["type"]["coding"][0]["code"] = code
    (r,) = fhir.read(json.dumps(resource), validate=validate)
    assert r.claim is not None
    assert r.claim.patient.id == "M1"  # the patient's only identifier, typed or not
    outcome = fhir.check(json.dumps(resource), validate=validate)
    assert outcome["resourceType"] == "OperationOutcome"


# -- 837I: NUBC's four-digit type of bill ------------------------------------------------


def test_a_four_digit_type_of_bill_is_written_as_a_two_digit_facility_code() -> None:
    """FHIR's TypeOfBill (and the claim reader) take NUBC's four digits, 0111; write_837
    wrote CLM05-1 ``011``, which pyx12 rejects (X12_ELEMENT_LENGTH: at most 2)."""
    claim = _inst(bill_type="0111")
    text = write_837([claim], date=D(2025, 3, 10), newline="\n")
    assert isinstance(text, str)
    assert [s for s in text.splitlines() if s.startswith("CLM*")] == [
        "CLM*I1*4000***11:A:1**A*Y*Y~"]
    back, findings = _read_x12(text)
    assert back == attrs.evolve(claim, bill_type="111")
    assert findings == []


# -- FHIR: a pointer to a diagnosis read as the admitting one ---------------------------


def test_a_pointer_to_the_admitting_diagnosis_is_said_when_dropped() -> None:
    """An item's diagnosisSequence naming a diagnosis typed only ``admitting`` (read as
    the claim's admitting_diagnosis, not among its diagnoses) was dropped without a
    word: line 1 lost a pointer and nothing said so."""
    resource = fhir.from_claim(_prof())
    resource["diagnosis"].append({
        "sequence": 3, "type": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/ex-diagnosistype",
            "code": "admitting"}]}],
        "diagnosisCodeableConcept": {"coding": [
            {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "R07.9"}]}})
    resource["item"][0]["diagnosisSequence"] = [1, 3]
    (r,) = fhir.read(json.dumps(resource))
    assert r.claim is not None
    assert r.claim.admitting_diagnosis == "R07.9"
    assert r.claim.service_lines[0].diagnosis_pointers == (1,)
    assert [(f.rule, f.severity.value, fhir.expression_of(f.location), f.message)
            for f in r.findings] == [(
                "FHIR_DIAGNOSIS_SEQUENCE_UNKNOWN", "warning",
                "Claim.item[0].diagnosisSequence[1]",
                "Claim.item[0].diagnosisSequence[1]: diagnosis sequence 3 is the admitting "
                "diagnosis (typed only so), not one of the claim's diagnoses: the pointer "
                "is dropped.")]
