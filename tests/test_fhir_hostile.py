"""What a security review found in the FHIR door: a Bundle whose
references name two resources, a Claim nested too deep for fhir.resources, codes that
hold characters an 837 cannot carry, and messages that echo the caller's text. Resources
of our own making, real codes and dates."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from collections import OrderedDict
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codekit import FhirFormatError, fhir
from codekit.fhir import expression_of, terminology
from tests.test_fhir import ICD10CM, claim

pytest.importorskip("fhir.resources")

CPT = "http://www.ama-assn.org/go/cpt"


def delivery(patient_ref: str) -> dict[str, Any]:
    """A professional Claim of 2025-11-03 for a vaginal delivery (O80, 59400): the sex
    and age edits fire for a male patient of 69 and for no one else."""
    return claim(contained=[], patient={"reference": patient_ref}, diagnosis=[
        {"sequence": 1, "diagnosisCodeableConcept": {"coding": [
            {"system": ICD10CM, "code": "O80"}]}}], item=[
        {"sequence": 1, "diagnosisSequence": [1], "servicedDate": "2025-11-03",
         "productOrService": {"coding": [{"system": CPT, "code": "59400"}]},
         "quantity": {"value": 1}}])


MALE = {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1956-03-02"}
FEMALE = {"resourceType": "Patient", "id": "p1", "gender": "female",
          "birthDate": "1995-01-01"}


def rules_of(out: dict[str, Any]) -> list[str]:
    return [i["details"]["coding"][0]["code"] for i in out["issue"]
            if i["severity"] in ("error", "warning")]


@pytest.mark.parametrize("ref", ["urn:uuid:4f2b1c9e-0d3a-4e5f-9a8b-7c6d5e4f3a2b", "Patient/p1"])
@pytest.mark.parametrize("first", ["male", "female"])
def test_a_reference_two_bundle_resources_answer_to_resolves_to_neither(
        ref: str, first: str) -> None:
    """bdl-7: a fullUrl names one resource of a Bundle. Two Patients under one fullUrl
    (or one Type/id) made the first entry the patient: the same delivery claim had
    DX_SEX_CONFLICT, DX_AGE_CONFLICT, PROC_SEX_CONFLICT and PROC_AGE_CONFLICT, or nothing,
    as the entries were ordered."""
    url = "urn:uuid:4f2b1c9e-0d3a-4e5f-9a8b-7c6d5e4f3a2b"
    one, two = (MALE, FEMALE) if first == "male" else (FEMALE, MALE)
    bundle = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"fullUrl": url, "resource": one}, {"fullUrl": url, "resource": two},
        {"fullUrl": "urn:uuid:0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e",
         "resource": delivery(ref)}]}
    (entry,) = fhir.check(bundle)["entry"]
    out = entry["resource"]
    assert rules_of(out) == ["FHIR_PATIENT_UNRESOLVED"]
    (issue,) = [i for i in out["issue"] if i["severity"] == "warning"]
    assert issue["expression"] == ["Bundle.entry[2].resource.patient"]
    assert issue["diagnostics"] == (
        f"Bundle.entry[2].resource.patient: the patient cannot be read ({ref!r} names two "
        "different resources of the Bundle, Bundle.entry[0].resource and "
        "Bundle.entry[1].resource: a fullUrl (or a type and id) used twice, which one is "
        "meant cannot be told): the age and sex edits were not run.")


def test_the_same_resource_twice_and_a_unique_fullurl_still_resolve() -> None:
    """No clash without two different resources: the same Patient listed twice is the
    patient (the sex and age edits run), and so is a Patient whose fullUrl is its own
    though another Patient has its id."""
    url = "urn:uuid:4f2b1c9e-0d3a-4e5f-9a8b-7c6d5e4f3a2b"
    twice = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"fullUrl": url, "resource": MALE}, {"fullUrl": url, "resource": dict(MALE)},
        {"resource": delivery(url)}]}
    both = ["DX_SEX_CONFLICT", "DX_AGE_CONFLICT", "PROC_SEX_CONFLICT", "PROC_AGE_CONFLICT"]
    assert sorted(rules_of(fhir.check(twice)["entry"][0]["resource"])) == sorted(both)
    own = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"fullUrl": "http://a.example.org/fhir/Patient/p1", "resource": MALE},
        {"fullUrl": "http://b.example.org/fhir/Patient/p1", "resource": FEMALE},
        {"fullUrl": "http://a.example.org/fhir/Claim/c1", "resource": delivery("Patient/p1")}]}
    # Patient/p1 relative to the Claim's fullUrl is http://a.example.org/fhir/Patient/p1
    assert sorted(rules_of(fhir.check(own)["entry"][0]["resource"])) == sorted(both)


@pytest.mark.parametrize("first", ["male", "female"])
def test_a_reference_two_contained_resources_answer_to_resolves_to_neither(
        first: str) -> None:
    """Contained resources share their container's id space (FHIR R4 references.html
    #contained): ``#p1`` names one resource. Two contained Patients with the id p1 made the
    first the patient: the delivery claim had the four sex and age errors, or none, as the
    entries were ordered. As for a Bundle's fullUrl (bdl-7), it names neither."""
    one, two = (MALE, FEMALE) if first == "male" else (FEMALE, MALE)
    c = delivery("#p1")
    c["contained"] = [dict(one), dict(two)]
    out = fhir.check(c)
    assert rules_of(out) == ["FHIR_PATIENT_UNRESOLVED"]
    (issue,) = [i for i in out["issue"] if i["severity"] == "warning"]
    assert issue["expression"] == ["Claim.patient"]
    assert issue["diagnostics"] == (
        "Claim.patient: the patient cannot be read ('#p1' names two different contained "
        "resources, Claim.contained[0] and Claim.contained[1]: an id used twice in one "
        "resource, which one is meant cannot be told): the age and sex edits were not run.")
    # the same Patient twice is no clash: it is the patient
    c["contained"] = [dict(MALE), dict(MALE)]
    assert sorted(rules_of(fhir.check(c))) == sorted(
        ["DX_SEX_CONFLICT", "DX_AGE_CONFLICT", "PROC_SEX_CONFLICT", "PROC_AGE_CONFLICT"])


def nested_extension(depth: int) -> dict[str, Any]:
    """A complex extension ``depth`` levels deep (legal FHIR, if absurd)."""
    ext: dict[str, Any] = {"url": "http://example.org/x", "valueString": "v"}
    for _ in range(depth):
        ext = {"url": "http://example.org/x", "extension": [ext]}
    return ext


def test_a_claim_nested_too_deep_for_the_fhir_models_is_a_structure_error() -> None:
    """fhir.resources recurses per level: 300 levels of extensions raised RecursionError
    out of fhir.check (a 500 from the server, a traceback and exit 1 from codekit check)."""
    c = claim(extension=[nested_extension(300)])
    out = fhir.check(c)
    structure = [i for i in out["issue"]
                 if i["details"]["coding"][0]["code"] == "FHIR_STRUCTURE_INVALID"]
    assert [(i["severity"], i["expression"]) for i in structure] == [("error", ["Claim"])]
    assert structure[0]["diagnostics"].startswith(
        "Claim: nested too deeply for FHIR model validation")
    # the claim's own edits still ran, as without validation
    assert "LATERALITY_MISMATCH" in rules_of(out)
    assert rules_of(fhir.check(c, validate=False)) == ["LATERALITY_MISMATCH"]


@pytest.mark.parametrize(("code", "named"), [
    ("E11.9\u200b", "U+200B (zero width space) at character 6"),
    ("\uff25\uff11\uff11.\uff19", "U+FF25 (fullwidth latin capital letter e) at character 1"),
])
def test_validate_code_says_a_code_holds_characters_an_837_cannot_carry(
        code: str, named: str) -> None:
    """CODE_NOT_ASCII's hint on a claim was missing from $validate-code: result true and
    no message, so a gate that asks first forwarded E11.9 with a zero-width space."""
    p = terminology.validate_code(ICD10CM, code, date="2025-11-03")
    assert terminology.value(p, "result") is True
    assert terminology.value(p, "code") == "E11.9"
    message = terminology.value(p, "message")
    assert message.startswith(f"the code {code!r} holds {named}")
    assert message.endswith("codekit read it as E11.9; send E11.9 (an 837 carries codes in "
                            "ASCII only, and a payer's translator rejects other characters)")
    # an ASCII code has no such message
    assert terminology.value(terminology.validate_code(
        ICD10CM, "e11.9 ", date="2025-11-03"), "message") is None


def test_messages_cut_the_callers_text() -> None:
    """A birthDate, an element name and a display of a million characters came back whole
    in the answer (a 2-12 KB gzip request, a 2-7 MB answer)."""
    big = "1" * 1_000_000
    c = claim()
    c["contained"][0]["birthDate"] = big
    c["z" * 1_000_000] = 1
    out = fhir.check(c)
    assert len(json.dumps(out)) < 10_000
    said = {i["details"]["coding"][0]["code"]: (i["expression"], i["diagnostics"])
            for i in out["issue"]}
    assert said["FHIR_PATIENT_INCOMPLETE"] == (["Claim.contained[0]"], (
        "Claim.contained[0]: birthDate '1111111111111111111111111111111111111111'... "
        "(1,000,000 characters) is not a whole date."))
    name = "z" * 40 + "\u2026"
    assert said["FHIR_STRUCTURE_INVALID"] == (
        [f"Claim.{name}"], f"Claim.{name}: Extra inputs are not permitted")
    p = terminology.validate_code(ICD10CM, "E11.9", display=big, date="2025-11-03")
    assert terminology.value(p, "result") is False
    assert terminology.value(p, "message") == (
        "the display '1111111111111111111111111111111111111111'... (1,000,000 characters) "
        "is not E11.9's: 'Type 2 diabetes mellitus without complications'")


NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"


def issues_of(out: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["details"]["coding"][0]["code"], i["expression"][0]) for i in out["issue"]
            if i["severity"] in ("error", "warning")]


def test_a_care_team_role_code_that_is_a_list_is_no_role() -> None:
    """``careTeam[].role.coding[].code`` of ``["primary"]``: the roles were put in a set
    (``TypeError: unhashable type: 'list'`` from ``check``, ``to_claim``...). It is the
    structure error it is, and the member with a role of text renders the claim."""
    c = claim(careTeam=[
        {"sequence": 1, "provider": {"identifier": {"system": NPI_SYSTEM,
                                                    "value": "1234567893"}},
         "role": {"coding": [{"code": ["primary"]}]}},
        {"sequence": 2, "provider": {"identifier": {"system": NPI_SYSTEM,
                                                    "value": "1588667638"}},
         "role": {"coding": [{"code": "primary"}]}}])
    assert issues_of(fhir.check(c)) == [
        ("FHIR_STRUCTURE_INVALID", "Claim.careTeam[0].role.coding[0].code"),
        ("LATERALITY_MISMATCH", "Claim.item[1].modifier[0]")]
    assert fhir.to_claim(c, validate=False).rendering_provider == "1588667638"


def test_an_eob_total_category_code_that_is_a_list_is_no_category() -> None:
    """An ExplanationOfBenefit's ``total[].category.coding[].code`` of ``["submitted"]``:
    ``TypeError: unhashable type: 'list'``. The total of category ``submitted`` is read."""
    eob = claim(resourceType="ExplanationOfBenefit", total=[
        {"category": {"coding": [{"code": ["submitted"]}]},
         "amount": {"value": 125.0, "currency": "USD"}},
        {"category": {"coding": [{"code": "submitted"}]},
         "amount": {"value": 140.0, "currency": "USD"}}])
    assert ("FHIR_STRUCTURE_INVALID", "ExplanationOfBenefit.total[0].category.coding[0].code"
            ) in issues_of(fhir.check(eob))
    assert str(fhir.to_claim(eob, validate=False).total_charge) == "140.0"


# -- a resource given as Python data holding what JSON does not ----------------------------------

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

NOT_JSON = ("a Python {kind} is not JSON data (FHIR JSON holds objects, arrays, strings, "
            "numbers, true, false and null); the {unit} is not read")


def put(resource: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A deep copy of ``resource`` with ``value`` at ``path``."""
    out = copy.deepcopy(resource)
    at = out
    for part in path[:-1]:
        at = at[part]
    at[path[-1]] = value
    return out


# every place the reader compared such a value with == or in, and raised
SITES = [("resourceType",), ("contained", 0, "id"), ("contained", 0, "resourceType"),
         ("extension", 0, "url"), ("provider", "identifier", "system")]


@pytest.mark.parametrize("path", SITES, ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize(("value", "kind"), [
    (pd.NA, "pandas.NAType (<NA>)"), (np.array(["a", "b"]), "numpy.ndarray "
                                                            "(array(['a', 'b'], dtype='<U1'))")])
def test_a_claim_dict_holding_what_json_does_not_is_a_format_error(
        path: tuple[str | int, ...], value: Any, kind: str) -> None:
    """A Claim given as a dict (a DataFrame's row, a model's output) with ``pd.NA`` or a
    NumPy array where the reader compares (``contained[0].id == ref``): ``TypeError:
    boolean value of NA is ambiguous`` or ``ValueError: The truth value of an array ... is
    ambiguous`` out of fhir.check, fhir.check_each and fhir.read. It is a FhirFormatError
    at the element, the resource not read; in a list, that record's result, the others
    checked; the input unchanged."""
    c = claim(extension=[{"url": "urn:codekit:fhir:extra", "valueString": "{}"}])
    bad = put(c, path, value)
    before = pickle.dumps(bad)
    where = "Claim." + expression_of(path) if path != ("resourceType",) else "resourceType"
    for validate in (True, False):
        out = fhir.check(bad, validate=validate)
        assert [(i["severity"], i["expression"], i["diagnostics"]) for i in out["issue"]] == [
            ("fatal", [where], NOT_JSON.format(kind=kind, unit="resource"))]
        good, wrong = fhir.check_each([claim(), bad], validate=validate)
        assert (good.status, wrong.status, wrong.error is not None) == (
            "200 OK", "400 Bad Request", True)
        # a resource of a list is named by its place there, as the reader names it
        assert wrong.error.problems == ((f"[1].{expression_of(path)}",
                                         NOT_JSON.format(kind=kind, unit="resource")),)
        with pytest.raises(FhirFormatError):
            fhir.read(bad, validate=validate)
    assert pickle.dumps(bad) == before


@pytest.mark.parametrize("path", [("type",), ("entry", 0, "search", "mode")],
                         ids=lambda p: ".".join(map(str, p)))
def test_a_bundle_holding_what_json_does_not_refuses_only_that_part(
        path: tuple[str | int, ...]) -> None:
    """``pd.NA`` as a searchset Bundle's ``type`` (or an entry's ``search.mode``) raised
    out of fhir.check. The Bundle's own field is the Bundle's error; an entry's is that
    entry's error (not read, as ``{"resource": 7}`` is), and its other claims are checked."""
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [
        {"fullUrl": "urn:uuid:1", "resource": claim(), "search": {"mode": "match"}},
        {"fullUrl": "urn:uuid:2", "resource": claim(id="c2"), "search": {"mode": "match"}}]}
    out = fhir.check(put(bundle, path, pd.NA))
    said = NOT_JSON.format(kind="pandas.NAType (<NA>)", unit="entry" if path[0] == "entry"
                           else "resource")
    if path == ("type",):
        assert [(i["expression"], i["diagnostics"]) for i in out["issue"]] == [
            (["Bundle.type"], said)]
        return
    assert [e["response"]["status"] for e in out["entry"]] == ["400 Bad Request", "200 OK"]
    (issue,) = out["entry"][0]["resource"]["issue"]
    assert (issue["expression"], issue["diagnostics"]) == (["Bundle.entry[0].search.mode"],
                                                           said)


def test_values_json_does_not_hold_are_named_by_their_python_type() -> None:
    """A NumPy integer as an item's sequence was "got a number (3)", a datetime as the
    created date "not a FHIR date or dateTime", a set or bytes in Python's words: each is
    now said as what it is, not JSON, before anything is read; a subclass of a JSON type
    (NumPy's float64, an OrderedDict) is JSON data and is read."""
    said = {}
    for path, value in [(("item", 0, "sequence"), np.int64(1)),
                        (("created",), dt.datetime(2025, 11, 3, 9, 30)),
                        (("identifier", 0, "value"), b"PCN-1"),
                        (("diagnosis", 0, "diagnosisCodeableConcept", "coding"), ({},)),
                        (("insurance", 0, "focal"), np.bool_(True))]:
        (problem,) = fhir.check_each(put(claim(), path, value))[0].error.problems
        said[problem[0]] = problem[1].split(" is not JSON data")[0]
    assert said == {
        "Claim.item[0].sequence": "a Python numpy.int64 (np.int64(1))",
        "Claim.created": "a Python datetime.datetime (datetime.datetime(2025, 11, 3, 9, 30))",
        "Claim.identifier[0].value": "a Python bytes (b'PCN-1')",
        "Claim.diagnosis[0].diagnosisCodeableConcept.coding": "a Python tuple (({},))",
        "Claim.insurance[0].focal": "a Python numpy.bool (np.True_)"}
    keyed = claim()
    keyed["contained"][0][1] = "x"
    (problem,) = fhir.check_each(keyed)[0].error.problems
    assert problem == ("Claim.contained[0]", "a property named by a Python int (1), not a "
                       "string is not JSON data (FHIR JSON holds objects, arrays, strings, "
                       "numbers, true, false and null); the resource is not read")
    subclasses = put(claim(), ("item", 0, "net"), OrderedDict(
        value=np.float64(125.0), currency=np.str_("USD")))
    assert fhir.check(subclasses) == fhir.check(claim())


def test_a_resolvers_answer_holding_what_json_does_not_is_an_unresolved_reference() -> None:
    """A resolver that gave a Patient with ``resourceType`` ``pd.NA`` raised out of the
    reader (``typed``); a value JSON does not hold in what it gives is the reference's
    finding, as a resolver that raised is, and the claim is checked without the patient."""
    c = claim(contained=[], patient={"reference": "Patient/9"})
    for patient, said in [({"resourceType": pd.NA, "gender": "female"},
                           "resourceType is a Python pandas.NAType (<NA>)"),
                          ({"resourceType": "Patient", "gender": np.array(["female"])},
                           "gender is a Python numpy.ndarray (array(['female'], "
                           "dtype='<U6'))")]:
        out = fhir.check(c, resolver=lambda ref, p=patient: p, validate=False)
        (issue,) = [i for i in out["issue"]
                    if i["details"]["coding"][0]["code"] == "FHIR_PATIENT_UNRESOLVED"]
        assert f"(what the resolver gave for 'Patient/9' is not JSON data: {said})" in \
            issue["diagnostics"]


@settings(max_examples=40, derandomize=True, deadline=None)
@given(st.data())
def test_a_value_json_does_not_hold_anywhere_in_a_claim_is_said_never_raised(
        data: st.DataObject) -> None:
    """Any element of a Claim (in a Bundle beside another) replaced by a value JSON does
    not hold: fhir.check never raises, says it at that element, checks the other claim,
    and leaves the input as it was."""
    c = claim()
    places = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), c)]
    while stack:
        at, item = stack.pop()
        if at:
            places.append(at)
        if isinstance(item, dict):
            stack.extend(((*at, k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend(((*at, k), v) for k, v in enumerate(item))
    path = data.draw(st.sampled_from(sorted(places, key=repr)))
    value = data.draw(st.sampled_from([pd.NA, pd.NaT, np.array([1, 2]), np.int64(7),
                                       {"a"}, b"x", dt.date(2025, 11, 3), Decimal("1E+999999"),
                                       object()]))
    bundle = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"resource": put(c, path, value)}, {"resource": claim(id="c2")}]}
    before = pickle.dumps(bundle)
    out = fhir.check(bundle, validate=False)
    first, second = (e["response"]["status"] for e in out["entry"])
    assert second == "200 OK"
    if isinstance(value, Decimal):  # a JSON number: read, and said by the reader if need be
        assert first in ("200 OK", "422 Unprocessable Entity")
    else:
        assert first == "400 Bad Request"
        (issue,) = out["entry"][0]["resource"]["issue"]
        assert issue["expression"] == [f"Bundle.entry[0].resource.{expression_of(path)}"]
    assert pickle.dumps(bundle) == before
