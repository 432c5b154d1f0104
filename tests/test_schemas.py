"""The published JSON Schemas of the claim dict and the report hold for what codekit reads
and writes (docs/examples, generated claims, unreadable claims, notices)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema")

import codekit  # noqa: E402
from codekit import Checker, Claim, ClaimFormatError  # noqa: E402
from tests.claims_gen import make_inpatient, make_professional  # noqa: E402

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "docs" / "examples").glob("*.json"))
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
