"""The FHIR door and the HTTP front as a data engineer uses them: codekit's own
extensions with the wrong ``value[x]`` are said (item 4), the documented URIs are the
ones codekit writes (item 7), NDJSON lines are located alike and read past a byte order
mark, and a body (or input) that holds no claim is one ``fatal`` answer (``400``)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

pytest.importorskip("fhir.resources")

from codekit import Checker, fhir
from codekit.fhir import _outcome, _read
from codekit.fhir import _systems as S
from tests.test_dme_supplier import claim as dme_claim
from tests.test_fhir import CPT, claim

DOCS = Path(__file__).resolve().parent.parent / "docs"

# -- item 4: codekit's own extensions with the wrong value[x] ---------------------------------


def _supplier(**ext: Any) -> dict[str, Any]:
    """The FHIR Claim of a DME supplier's E0601 rental, its dme-supplier extension's
    value replaced by ``ext``."""
    resource = fhir.from_claim(dme_claim("E0601", "RR", dme_supplier=True))
    for e in resource["extension"]:
        if e["url"] == "urn:codekit:fhir:dme-supplier":
            del e["valueBoolean"]
            e.update(ext)
    return resource


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize(("ext", "has"), [
    ({"valueString": "true"}, "has valueString 'true', not the valueBoolean it takes"),
    ({"valueCode": "true"}, "has valueCode 'true', not the valueBoolean it takes"),
    ({"valueBoolean": "true"}, "has valueBoolean holding a string ('true'), not a boolean"),
    ({}, "has no value[x] (it takes valueBoolean)")])
def test_a_dme_supplier_extension_of_another_type_is_said(validate: bool, ext: dict[str, Any],
                                                          has: str) -> None:
    """It was read as "not given" without a word: a supplier's claim was checked as a
    practitioner's, against the practitioner MUE table."""
    resource = _supplier(**ext)
    at = next(k for k, e in enumerate(resource["extension"])
              if e["url"] == "urn:codekit:fhir:dme-supplier")
    (r,) = fhir.read(json.dumps(resource), validate=validate)
    assert r.claim is not None and r.claim.dme_supplier is None  # checked without it
    assert [(f.rule, f.severity.value, f.location, f.message) for f in r.findings] == [(
        "FHIR_STRUCTURE_INVALID", "warning", ("Claim", "extension", at),
        f"Claim.extension[{at}]: urn:codekit:fhir:dme-supplier {has}: it is not read, and "
        "the claim is checked without it")]
    issues = [i for i in fhir.check(resource, validate=validate)["issue"]
              if i["severity"] == "warning"]
    assert [i["expression"] for i in issues] == [[f"Claim.extension[{at}]"]]


@pytest.mark.parametrize(("url", "value", "message"), [
    ("urn:codekit:fhir:opps", {"valueString": "true"},
     "has valueString 'true', not the valueBoolean it takes"),
    ("urn:codekit:fhir:place-of-service", {"valueCode": "11"},
     "has valueCode '11', not the valueCoding it takes"),
    ("urn:codekit:fhir:date-of-service", {"valueInteger": 20251103},
     "has valueInteger 20251103, not the valueDate it takes")])
def test_each_claim_extension_of_another_type_is_said(url: str, value: dict[str, Any],
                                                      message: str) -> None:
    (r,) = fhir.read(claim(extension=[{"url": url, **value}]), validate=False)
    assert r.claim is not None
    assert (r.claim.opps, r.claim.place_of_service) == (None, None)
    assert [(f.rule, f.message) for f in r.findings] == [(
        "FHIR_STRUCTURE_INVALID", f"Claim.extension[0]: {url} {message}: it is not read, and "
        "the claim is checked without it")]


@pytest.mark.parametrize(("url", "value", "message"), [
    ("urn:codekit:fhir:place-of-service", {"valueCoding": {"system": S.POS}},
     "has a valueCoding with no code"),
    ("urn:codekit:fhir:place-of-service", {"valueCoding": {"code": 11}},
     "has a valueCoding whose code is a number (11), not a string"),
    ("urn:codekit:fhir:date-of-service", {"valueDate": "2025-11-31"},
     "has valueDate '2025-11-31', not a FHIR date (YYYY-MM-DD) or dateTime"),
    ("urn:codekit:fhir:date-of-service", {"valueDate": "2025-11"},
     "has valueDate '2025-11', not a whole day (YYYY-MM-DD)")])
def test_a_claim_extension_out_of_range_is_said(url: str, value: dict[str, Any],
                                                message: str) -> None:
    """The right value[x] and JSON type, but no value codekit can use: it was dropped
    without a word (a date of service was said at ``Claim.extension``, not the one)."""
    (r,) = fhir.read(claim(extension=[{"url": "urn:codekit:fhir:opps", "valueBoolean": True},
                                      {"url": url, **value}]), validate=False)
    assert r.claim is not None and r.claim.opps is True
    assert (r.claim.place_of_service, r.claim.date_of_service.isoformat()) == (
        None, "2025-11-03")  # the billablePeriod's
    assert [(f.rule, f.severity.value, f.location, f.message) for f in r.findings] == [(
        "FHIR_STRUCTURE_INVALID", "warning", ("Claim", "extension", 1),
        f"Claim.extension[1]: {url} {message}: it is not read, and the claim is checked "
        "without it")]


def test_a_patient_age_out_of_range_is_said_at_the_patient() -> None:
    """An age of 5000 was dropped without a word; -999 to 999 is read (the range
    Claim.from_dict takes: the age edits judge it)."""
    resource = claim()
    del resource["contained"][0]["birthDate"]
    resource["contained"][0]["extension"] = [{"url": "urn:codekit:fhir:age",
                                              "valueInteger": 5000}]
    (r,) = fhir.read(resource, validate=False)
    assert r.claim is not None and r.claim.patient.age is None
    assert [(f.rule, f.location, f.message) for f in r.findings] == [
        ("FHIR_STRUCTURE_INVALID", ("Claim", "contained", 0, "extension", 0),
         "Claim.contained[0].extension[0]: urn:codekit:fhir:age has valueInteger 5000, out "
         "of any age's range (-999 to 999): it is not read, and the claim is checked without "
         "it"),
        ("FHIR_PATIENT_INCOMPLETE", ("Claim", "contained", 0),
         "Claim.contained[0]: no birthDate (the age edits were not run).")]
    resource["contained"][0]["extension"][0]["valueInteger"] = 999
    (r,) = fhir.read(resource, validate=False)
    assert r.claim is not None and (r.claim.patient.age, r.findings) == (999, ())


def test_a_patient_extension_of_another_type_is_said_at_the_patient() -> None:
    """The contained Patient's codekit age as text: said at that Patient's extension."""
    resource = claim()
    resource["contained"][0]["extension"] = [{"url": "urn:codekit:fhir:age",
                                              "valueString": "69"}]
    (r,) = fhir.read(resource, validate=False)
    assert [(f.location, f.message) for f in r.findings] == [(
        ("Claim", "contained", 0, "extension", 0),
        "Claim.contained[0].extension[0]: urn:codekit:fhir:age has valueString '69', not the "
        "valueInteger it takes: it is not read, and the claim is checked without it")]


def test_codekit_extensions_as_written_read_without_a_word() -> None:
    """Every extension the writer gives (place of service, OPPS, supplier, sex, age, roles,
    line ids, extra) is read back with no finding."""
    from tests.test_fhir_feeds import professional

    c = fhir.to_claim(professional())
    c = attrs.evolve(c, opps=True, place_of_service="11", extra={"batch": "B-7"},
                     patient=attrs.evolve(c.patient, sex="X", birth_date=None, age=40),
                     service_lines=tuple(attrs.evolve(ln, line_id=f"L-{ln.line}")
                                         for ln in c.service_lines))
    (r,) = fhir.read(fhir.from_claim(c), validate=False)
    assert (r.claim, r.findings) == (c, ())



def test_a_finding_on_a_field_read_from_an_extension_is_at_that_extension() -> None:
    """20610 (knee injection, not on the Medicare Telehealth Services List) billed at
    place of service 02: MOD_TELEHEALTH_NOT_ELIGIBLE is at ``$.place_of_service``, which a
    FHIR Claim holds in codekit's place-of-service extension. Behind a sender's own
    extension it is ``Claim.extension[1]``; the issue said ``Claim.extension``, every
    extension of the Claim (the differential harness of the doors found it). The date of
    service from the date-of-service extension is located alike."""
    resource = claim(item=[claim()["item"][1]], diagnosis=claim()["diagnosis"][:1])
    resource["item"][0]["productOrService"]["coding"][0]["code"] = "20610"
    resource["item"][0]["modifier"] = [{"coding": [{"system": CPT, "code": "RT"}]}]
    resource["billablePeriod"] = {"start": "2025-11-01", "end": "2025-11-05"}
    resource["extension"] = [
        {"url": "http://example.org/fhir/batch", "valueString": "B-7"},
        {"url": "urn:codekit:fhir:place-of-service",
         "valueCoding": {"system": S.POS, "code": "02"}},
        {"url": "urn:codekit:fhir:date-of-service", "valueDate": "2025-11-03"}]
    (r,) = fhir.check_each(json.dumps(resource))
    assert r.claim is not None
    assert (r.claim.place_of_service, r.claim.date_of_service) == ("02", dt.date(2025, 11, 3))
    assert [(f.rule, x) for f, x in r.issues()
            if f.rule == "MOD_TELEHEALTH_NOT_ELIGIBLE"] == [
        ("MOD_TELEHEALTH_NOT_ELIGIBLE", "Claim.extension[1]")]
    assert r.read is not None
    assert r.read.paths.expression(("date_of_service",)) == "Claim.extension[2]"

# -- item 7: the URIs the docs name ----------------------------------------------------------


def test_every_codekit_uri_the_docs_name_is_one_codekit_writes() -> None:
    """fhir.md named the rule system ``urn:codekit:rule``; the answers use
    ``urn:codekit:fhir:rule``: a client filtering on the documented URI found nothing."""
    known = {S.CODEKIT, S.MODIFIERS, _outcome.RULE_SYSTEM, _outcome.OUTCOME_SYSTEM,
             _outcome.POLICY_SYSTEM, _outcome.FIX_EXTENSION, _outcome.CODES_EXTENSION,
             _outcome.CLAIM_ID_EXTENSION, _outcome.PROFILE_EXTENSION,
             _outcome.DIAGNOSIS_SEQUENCE_EXTENSION,
             *(f"{S.CODEKIT}:{name}" for name in _read._OWN)}
    named = {(m.group(), page.name) for page in sorted(DOCS.rglob("*.md"))
             for m in re.finditer(r"urn:codekit(?::[A-Za-z][A-Za-z-]*)*",
                                  page.read_text(encoding="utf-8"))}
    assert {u for u, _ in named} >= {_outcome.RULE_SYSTEM}
    assert sorted((u, page) for u, page in named if u not in known) == []


# -- NDJSON: a byte order mark, and one locator for a line that holds no claim ---------------


def test_check_ndjson_reads_past_a_byte_order_mark_in_text_mode(tmp_path: Path) -> None:
    """A file opened the usual way keeps its BOM on line 1, which was ``fatal`` "Unexpected
    UTF-8 BOM"; in binary mode, in the CLI and on the server it was read."""
    path = tmp_path / "claims.ndjson"
    path.write_text("\ufeff" + json.dumps(claim()) + "\n", encoding="utf-8")
    with open(path, encoding="utf-8") as text, open(path, "rb") as raw:
        got = [[(f.rule, x) for f, x in r.issues()] for r in fhir.check_ndjson(text)]
        assert got == [[(f.rule, x) for f, x in r.issues()] for r in fhir.check_ndjson(raw)]
    assert got == [[("LATERALITY_MISMATCH", "Claim.item[1].modifier[0]")]]


def test_every_ndjson_line_without_a_claim_is_at_its_line() -> None:
    """A Patient line's fatal issue had no expression; a line that is not JSON had
    ``['line N']``."""
    lines = io.StringIO("{oops\n" + json.dumps({"resourceType": "Patient"}) + "\n"
                        + json.dumps({"resourceType": "Bundle", "type": "batch"}) + "\n")
    results = list(fhir.check_ndjson(lines))
    assert [[i.get("expression") for i in r.to_outcome()["issue"]] for r in results] == [
        [["line 1"]], [["line 2"]], [["Bundle"]]]  # a problem inside the line: its FHIRPath
    # in a report (codekit check --format json, Spark's check_fhir) the line is where the
    # record is, and the finding is at the record itself: path $, as an 837's error row
    assert [[(f.path, f.location) for f in r.to_report().findings] for r in results] == [
        [("$", ())], [("$", ())], [("$.Bundle", ("Bundle",))]]


def test_spark_check_fhir_rows_of_a_bad_line_say_the_line_in_location() -> None:
    """Spark's check_fhir gave a bad line's path as ``$['line 2']``, which reads as a key of
    the claim (run on the worker function itself: no JVM)."""
    pytest.importorskip("pyarrow")
    from codekit.spark import _worker

    out = _worker._Out({}, False, _worker.FILE_COLUMNS)
    content = (json.dumps(claim()) + "\n{oops\n").encode()
    _worker._fhir_file(Checker(), "claims.ndjson", content, out)
    names = [name for name, _ in _worker.FILE_COLUMNS]
    rows = [dict(zip(names, row, strict=True)) for row in zip(*out.cols, strict=True)]
    assert [(r["rule"], r["path"], r["location"]) for r in rows] == [
        ("LATERALITY_MISMATCH", "$.service_lines[1].modifiers[0]",
         "line 1: Claim: Claim.item[1].modifier[0]"),
        ("FHIR_FORMAT_INVALID", "$", "line 2")]


def test_spark_check_fhir_rows_of_the_readers_findings_name_their_line() -> None:
    """A finding of the FHIR reader at an item (a quantity with a comparator, which an
    item's SimpleQuantity cannot have) names the line read from the item in Spark's
    check_fhir rows, as the checker's findings there do: its ``line`` and ``line_id``
    were null (run on the worker function itself: no JVM)."""
    pytest.importorskip("pyarrow")
    from codekit.spark import _worker

    resource = claim()
    resource["item"][1]["quantity"] = {"value": 1, "comparator": "<"}
    resource["item"][1]["extension"] = [{"url": "urn:codekit:fhir:line-id",
                                         "valueString": "L-2"}]
    out = _worker._Out({}, False, _worker.FILE_COLUMNS)
    _worker._fhir_file(Checker(), "claims.ndjson", (json.dumps(resource) + "\n").encode(), out)
    names = [name for name, _ in _worker.FILE_COLUMNS]
    rows = [dict(zip(names, row, strict=True)) for row in zip(*out.cols, strict=True)]
    assert [(r["rule"], r["line"], r["line_id"], r["path"]) for r in rows] == [
        ("FHIR_STRUCTURE_INVALID", 2, "L-2", "$.Claim.item[1].quantity.comparator"),
        ("UNITS_INVALID", 2, "L-2", "$.service_lines[1].units"),
        ("LATERALITY_MISMATCH", 2, "L-2", "$.service_lines[1].modifiers[0]")]


def test_codekit_check_prints_fhirpaths(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The text said ``at $.Claim.item[1].modifier[0]``: a JSON path prefix on a
    FHIRPath, which is neither; now what the OperationOutcome says."""
    from codekit.cli import main

    path = tmp_path / "claims.ndjson"
    path.write_text(json.dumps(claim()) + "\n" + json.dumps({"resourceType": "Patient"})
                    + "\n")
    assert main(["check", "--quiet", str(path)]) == 2
    found = [m.groups() for line in capsys.readouterr().out.splitlines()
             if (m := re.match(r"  ERROR +(\S+) at (.+?): ", line))]
    assert found == [("LATERALITY_MISMATCH", "Claim.item[1].modifier[0]"),
                     ("FHIR_FORMAT_INVALID", "line 2")]


def test_codekit_check_names_the_line_of_a_fhir_finding(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A finding at an item names the service line read from it (``line``, ``line_id``),
    in ``codekit check --format jsonl`` and the report's rows, as the claim dict's and the
    837's reports do: the FHIR report's had neither (its locations are FHIR elements,
    which the report did not know as lines; the doors' differential harness found it)."""
    from codekit.cli import main

    resource = claim()
    resource["item"][1]["extension"] = [{"url": "urn:codekit:fhir:line-id",
                                         "valueString": "L-2"}]
    path = tmp_path / "claim.json"
    path.write_text(json.dumps(resource))
    main(["check", "--format", "jsonl", str(path)])
    (out,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(f["rule"], f["path"], f.get("line"), f.get("line_id"))
            for f in out["findings"]] == [
        ("LATERALITY_MISMATCH", "$.Claim.item[1].modifier[0]", 2, "L-2")]
    (r,) = fhir.check_each(json.dumps(resource))
    assert [(row["rule"], row["line"], row["line_id"]) for row in r.to_report().rows()] == [
        ("LATERALITY_MISMATCH", 2, "L-2")]


# -- input that holds no claim: one fatal answer, a 400 --------------------------------------


@pytest.mark.parametrize(("source", "expressions"), [
    ("[]", [None]), ("[[]]", [None]), ("[1, 2]", [["[0]"], ["[1]"]]),
    ('[{"resourceType": "Patient"}, {"resourceType": "Patient"}]', [["[0]"], ["[1]"]])])
def test_input_without_a_claim_is_one_fatal_outcome(source: str,
                                                    expressions: list[Any]) -> None:
    """``[]`` gave an empty batch-response and ``[1, 2]`` a batch-response of two 400
    entries, where ``[1]``, a Patient and a Bundle without Claims give a fatal outcome."""
    out = json.loads(fhir.check_json(source))
    assert out["resourceType"] == "OperationOutcome"
    assert [(i["severity"], i.get("expression")) for i in out["issue"]] == [
        ("fatal", x) for x in expressions]


def test_a_batch_holding_a_claim_is_still_a_batch_response() -> None:
    out = fhir.check([claim(), 1])
    assert [e["response"]["status"] for e in out["entry"]] == ["200 OK", "400 Bad Request"]
    out = fhir.check([claim()])
    assert [e["response"]["status"] for e in out["entry"]] == ["200 OK"]


def _post(body: Any) -> tuple[int, dict[str, Any]]:
    pytest.importorskip("starlette")
    from codekit.server import create_app
    from tests.test_server import asgi

    status, _, raw = asgi(create_app(), "POST", "/Claim/$validate",
                          (json.dumps(body).encode(),),
                          {"content-type": "application/fhir+json"})
    return status, json.loads(raw)


def _params(*resources: Any) -> dict[str, Any]:
    return {"resourceType": "Parameters",
            "parameter": [{"name": "resource", "resource": r} for r in resources]}


@pytest.mark.parametrize(("body", "status", "answer"), [
    # no claim anywhere: 400 and one fatal OperationOutcome (was 200 and 400 entries)
    ([1, 2], 400, ["fatal", "fatal"]),
    (_params({"resourceType": "Patient"}, 7), 400, ["fatal", "fatal"]),
    # was a 400 with an error issue, not fatal as the docs say
    ([], 400, ["fatal"]),
    ({"resourceType": "Parameters", "parameter": []}, 400, ["fatal"]),
    ([{"resourceType": "Patient"}], 400, ["fatal"]),
    ({"resourceType": "Bundle", "type": "batch", "entry": []}, 400, ["fatal"]),
    # a claim in the body: 200, each record's own status in its entry
    ([claim(), 1], 200, ["200 OK", "400 Bad Request"]),
    (_params(claim(), {"resourceType": "Patient"}), 200, ["200 OK", "400 Bad Request"])])
def test_the_server_status_is_400_exactly_when_the_body_holds_no_claim(
        body: Any, status: int, answer: list[str]) -> None:
    got, out = _post(body)
    assert got == status
    if out["resourceType"] == "Bundle":
        assert [e["response"]["status"] for e in out["entry"]] == answer
    else:
        assert [i["severity"] for i in out["issue"]] == answer
