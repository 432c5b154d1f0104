"""The published JSON Schemas of the claim dict and the report hold for what codekit reads
and writes (docs/examples, generated claims, unreadable claims, notices)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema")

import codekit  # noqa: E402
from codekit import Checker, Claim, ClaimFormatError  # noqa: E402
from codekit.findings import Finding, Severity  # noqa: E402
from tests.claims_gen import make_inpatient, make_professional  # noqa: E402

#: The claim files of docs/examples (one claim each; claims.json is a list of them, and
#: fhir_claim.json a FHIR Claim, read by the FHIR door).
EXAMPLES = sorted(p for p in (Path(__file__).resolve().parents[1] / "docs" / "examples"
                              ).glob("*.json") if p.name not in ("claims.json", "fhir_claim.json"))
CLAIM = jsonschema.Draft202012Validator(codekit.schema("claim"))
REPORT = jsonschema.Draft202012Validator(codekit.schema("report"))


def test_the_schemas_are_valid_schemas() -> None:
    for name in ("claim", "report"):
        jsonschema.Draft202012Validator.check_schema(codekit.schema(name))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_follow_the_schemas(path: Path) -> None:
    data = json.loads(path.read_text())
    CLAIM.validate(data)
    report = Checker().check(Claim.from_dict(data))
    REPORT.validate(report.to_dict())


def test_the_example_batch_follows_the_schema() -> None:
    """docs/examples/claims.json, a JSON list of claims (claims.jsonl holds the same)."""
    folder = Path(__file__).resolve().parents[1] / "docs" / "examples"
    claims = json.loads((folder / "claims.json").read_text())
    lines = [json.loads(line) for line in (folder / "claims.jsonl").read_text().splitlines()]
    assert claims == lines and len(claims) == 3
    for data in claims:
        CLAIM.validate(data)


def test_generated_claims_and_their_reports() -> None:
    dicts: list[dict[str, Any]] = [*make_professional(300, seed=8), *make_inpatient(100)]
    dicts.append({"claim_type": "dental", "payer": "acme"})  # unreadable
    dicts.append({"claim_id": "X", "claim_type": "professional", "payer": "acme",
                  "patient": {"sex": "F", "age": 30}, "date_of_service": "2030-01-02",
                  "diagnoses": ["I10"], "service_lines": [{"procedure_code": "99213"}]})
    for d in dicts[:-2]:
        CLAIM.validate(Claim.from_dict(d).to_dict())
    for report in Checker().check_many(dicts):
        REPORT.validate(report.to_dict())
    last = list(Checker().check_many(dicts[-2:]))
    assert last[0].findings[0].rule == "CLAIM_FORMAT_INVALID"
    assert last[1].notices  # an unrouted payer, and more


def test_the_claim_schema_refuses_what_from_dict_refuses() -> None:
    d = json.loads(EXAMPLES[0].read_text())
    d["colour"] = "blue"
    with pytest.raises(jsonschema.ValidationError):
        CLAIM.validate(d)
    with pytest.raises(ClaimFormatError):
        Claim.from_dict(d)


# -- the claim schema accepts what from_dict reads, and refuses what it refuses ---------------

BASE: dict[str, Any] = {
    "claim_id": "C1", "claim_type": "professional", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1950-01-01"}, "date_of_service": "2025-11-03",
    "diagnoses": ["I10", {"code": "E11.9", "poa": "Y"}],
    "procedures": ["0DTJ4ZZ", {"code": "0SR90J9", "date": "2025-11-02"}],
    "service_lines": [{"line": 1, "line_id": "A", "procedure_code": "99213",
                       "modifiers": ["25"], "units": 1, "diagnosis_pointers": [1, "B"],
                       "date_of_service": "2025-11-03", "charge": 10}]}


def _with(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    d = copy.deepcopy(BASE)
    t: Any = d
    for p in path[:-1]:
        t = t[p]
    if value is KeyError:
        del t[path[-1]]
    else:
        t[path[-1]] = value
    return d


def _reads(d: object) -> bool:
    try:
        Claim.from_dict(d)
    except ClaimFormatError:
        return False
    return True


_OPTIONAL = [(k,) for k in (
    "claim_id", "payer", "filing_indicator", "billing_provider", "rendering_provider",
    "provider", "place_of_service", "total_charge", "frequency_code", "bill_type",
    "condition_codes", "opps", "statement_period", "admission_date", "discharge_status",
    "occurrence_codes", "occurrence_spans", "value_codes", "diagnoses", "admitting_diagnosis",
    "visit_reasons", "procedures", "service_lines", "extra", "notes")]
_OPTIONAL += [("patient", k) for k in ("id", "name")]
_OPTIONAL += [("service_lines", 0, k) for k in (
    "line_id", "modifiers", "units", "diagnosis_pointers", "revenue_code", "date_of_service",
    "place_of_service", "charge", "ndc", "rendering_provider")]
_OPTIONAL += [("diagnoses", 1, "poa"), ("procedures", 1, "date")]


@pytest.mark.parametrize(("path", "value", "read"), [
    # null is a missing optional field for from_dict: the schema says so too
    *[(p, None, True) for p in _OPTIONAL],
    (("claim_type",), None, False),
    (("patient", "sex"), None, False), (("diagnoses", 0), None, False),
    (("service_lines", 0, "line"), None, False),
    (("service_lines", 0, "procedure_code"), None, False),
    # dates: real ones only, ASCII digits, a time that is a time
    (("date_of_service",), "2025-02-30", False), (("date_of_service",), "2025-13-01", False),
    (("date_of_service",), "0000-01-01", False), (("date_of_service",), "2100-02-29", False),
    (("date_of_service",), "2024-02-29", True), (("date_of_service",), "2000-02-29", True),
    (("date_of_service",), "٢٠٢٥-١١-٠٣", False), (("date_of_service",), "2025-11-03Tx", False),
    (("date_of_service",), "2025-11-03T24:00", False),
    (("date_of_service",), "2025-11-03T10:15:00.123456-05:00", True),
    (("date_of_service",), "2025-11-03 10Z", True),
    (("patient", "birth_date"), "1950-01-01T", False),
    (("service_lines", 0, "date_of_service"), "2025-11-31", False),
    (("procedures", 1, "date"), "2025-11-02T99", False),
    # a birth date or an age, as text or a number within range
    (("patient", "birth_date"), None, False), (("patient", "age"), 5000, False),
    # the date of service: given, or the statement period's end, or every line's date
    (("date_of_service",), KeyError, True), (("date_of_service",), None, True),
    (("service_lines",), [{"procedure_code": "99213"}], None),
    (("service_lines",), [], None),
    # numbers as numbers or plain decimal text, within what from_dict reads
    (("service_lines", 0, "units"), "abc", False), (("service_lines", 0, "units"), "Inf", False),
    (("service_lines", 0, "units"), 1e10, False), (("service_lines", 0, "units"), 9.5e9, True),
    (("service_lines", 0, "units"), "2.5", True), (("service_lines", 0, "units"), -1, True),
    (("service_lines", 0, "units"), "12345678901", False),
    # text Python's Decimal reads but no sender means as a quantity: the reader read "1_0"
    # as 10 units, "١" (an Arabic-Indic 1) as 1, "1e3" as 1000 (a review of bad input, item 16)
    (("service_lines", 0, "units"), "1_0", False), (("service_lines", 0, "units"), "١", False),
    (("service_lines", 0, "units"), "1e3", False), (("service_lines", 0, "units"), "1e-400", False),
    (("service_lines", 0, "units"), "NaN", False), (("service_lines", 0, "units"), "１", False),
    (("service_lines", 0, "charge"), "1e3", False),
    (("total_charge",), "1_000.00", False), (("service_lines", 0, "units"), ".5", True),
    (("service_lines", 0, "charge"), 1e12, False), (("service_lines", 0, "charge"), "-12.50", True),
    (("total_charge",), "1,000.00", False), (("total_charge",), "$10", False),
    (("service_lines", 0, "line"), 10**9, False), (("service_lines", 0, "line"), 10**9 - 1, True),
    (("service_lines", 0, "line"), 0, False), (("service_lines", 0, "line"), -1, False),
    (("service_lines", 0, "line"), 1.0, True), (("service_lines", 0, "line"), "1", False),
    (("service_lines", 0, "line"), True, False),
    # pointers: whole numbers of any sign within range, digits, or the letters A-L
    (("service_lines", 0, "diagnosis_pointers"), ["Z"], False),
    (("service_lines", 0, "diagnosis_pointers"), [""], False),
    (("service_lines", 0, "diagnosis_pointers"), [5000], False),
    (("service_lines", 0, "diagnosis_pointers"), ["l", "12", 0, -3], True),
    # NUBC occurrence codes, occurrence spans and value codes: objects with every field
    (("occurrence_codes",), [{"code": "22", "date": "2025-06-18"}], True),
    (("occurrence_codes",), [{"code": "22"}], False),
    (("occurrence_codes",), [{"code": "22", "date": None}], False),
    (("occurrence_codes",), [{"code": None, "date": "2025-06-18"}], False),
    (("occurrence_codes",), [{"code": "22", "date": "2025-02-30"}], False),
    (("occurrence_codes",), ["22"], False), (("occurrence_codes",), "22", False),
    (("occurrence_spans",), [{"code": "70", "from": "2025-05-16", "through": "2025-05-19"}],
     True),
    (("occurrence_spans",), [{"code": "70", "from": "2025-05-16"}], False),
    (("value_codes",), [{"code": "80", "amount": "18"}], True),
    (("value_codes",), [{"code": "80", "amount": 18.5, "days": 1}], False),
    (("value_codes",), [{"code": "80", "amount": "1e3"}], False),
    (("value_codes",), [{"code": "80"}], False),
])
def test_the_claim_schema_and_from_dict_agree(path: tuple[str | int, ...], value: object,
                                              read: bool | None) -> None:
    d = _with(path, value)
    if path == ("service_lines",) and isinstance(value, list):  # and no date of service
        del d["date_of_service"]
    assert CLAIM.is_valid(d) is _reads(d)
    if path == ("service_lines",) and isinstance(value, list):  # null: the same as left out
        d["date_of_service"] = None
        assert CLAIM.is_valid(d) is _reads(d)
    if read is not None:
        assert _reads(d) is read


def test_the_claim_schema_dates_are_the_dates_from_dict_reads() -> None:
    pattern = re.compile(codekit.schema("claim")["properties"]["date_of_service"]["pattern"])
    for year in ("0000", "0001", "0004", "0100", "0400", "1900", "2000", "2024", "2025",
                 "2100", "9996", "9999"):
        for month in range(14):
            for day in range(33):
                text = f"{year}-{month:02}-{day:02}"
                try:
                    dt.date.fromisoformat(text)
                except ValueError:
                    valid = False
                else:
                    valid = True
                assert bool(pattern.search(text)) is valid, text
    for time in ("T00", "T23:59", "T23:59:59", "T10:15:00.1", "T10:15:00,123456", " 10:15Z",
                 "T10:15+05", "T10:15+0530", "T10:15:00-05:00", "T10Z"):
        assert pattern.search("2025-11-03" + time), time
        assert _reads(_with(("date_of_service",), "2025-11-03" + time)), time
    for time in ("T24:00", "T10:60", "T10:15:61", "T", "T1", "T10:15:00.1234567", "x10",
                 "T10:15+24:00", "T10:15:00 ", "T10::15"):
        assert not pattern.search("2025-11-03" + time), time


def test_claims_the_claim_schema_generates_are_read() -> None:
    """What a producer that follows the schema writes, from_dict reads (but for the seven
    facts a schema cannot state: age and birth date agree, the period runs forwards, the
    admission is not after the discharge, provider and billing_provider agree, notes and
    extra.notes agree, an inpatient claim's date of service is its period's end, no two
    lines have the same number)."""
    hypothesis = pytest.importorskip("hypothesis")
    hjs = pytest.importorskip("hypothesis_jsonschema")
    semantic = ("runs backwards", "but birth_date", "is after the",
                "provider is the older name of billing_provider",
                "given at the top level and as extra.notes",
                "is not the statement period's end",
                "which is also the number of service_lines[")

    @hypothesis.settings(max_examples=40, deadline=None, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(hjs.from_schema(codekit.schema("claim")))
    def check(d: dict[str, Any]) -> None:
        try:
            Claim.from_dict(d)
        except ClaimFormatError as e:
            if not any(s in m for _, m in e.problems for s in semantic):
                raise

    check()


def test_each_location_has_its_own_path() -> None:
    """An unreadable claim's unknown keys are any text: ``a.b`` is not ``b`` under ``a``, and
    the path (all the rows keep of the location) must tell them apart."""
    bad = {"claim_id": "K", "claim_type": "professional", "patient": {"sex": "F", "age": 40},
           "date_of_service": "2025-11-03", "diagnoses": ["I10"], "a": 1, "a.b": 1, "": 1,
           "x y": 1, "it's": 1, 5: 1, "l\n": 1,
           "service_lines": [{"procedure_code": "99213", "units[0]": 1}]}
    report = next(Checker().check_many([bad]))
    REPORT.validate(report.to_dict())
    REPORT.validate(json.loads(report.to_json()))
    assert [(f.location, f.path) for f in report.findings] == [
        (("",), "$['']"), (("5",), "$['5']"), (("a",), "$.a"), (("a.b",), "$['a.b']"),
        (("it's",), "$['it\\'s']"), (("l\n",), "$['l\\n']"),
        (("service_lines", 0, "units[0]"), "$.service_lines[0]['units[0]']"),
        (("x y",), "$['x y']")]
    assert [row["path"] for row in report.rows()] == [f.path for f in report.findings]
    assert [(row["line"], row["line_id"]) for row in report.rows()][-2:] == \
        [(1, None), (None, None)]
    # the paths of codekit's own locations are unchanged
    assert Finding("X", Severity.ERROR, "m", ("service_lines", 0, "modifiers", 1)).path == \
        "$.service_lines[0].modifiers[1]"
    assert Finding("X", Severity.ERROR, "m", ("\ud800", 1.5)).path == "$['\\ud800']['1.5']"


def test_the_claim_schema_says_line_numbers_are_unique() -> None:
    """Uniqueness is beyond a JSON Schema: the schema accepts two lines 1, from_dict
    refuses them, and the schema's description says so."""
    d = copy.deepcopy(BASE)
    d["service_lines"].append({**d["service_lines"][0], "line_id": "B"})
    assert CLAIM.is_valid(d)
    assert not _reads(d)
    line = codekit.schema("claim")["properties"]["service_lines"]["items"]["properties"]["line"]
    assert line["minimum"] == 1
    assert "Unique within the claim" in line["description"]
