"""codekit.server's Claim/$validate on a Parameters body whose ``resource`` holds no
resource (missing, a number, a string of JSON text), driven over ASGI: each is said at its
parameter, in JSON's words, not in Python's (``got NoneType``) and never read as a Claim."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("fhir.resources")

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

from codekit.server import create_app
from tests.test_fhir_feeds import professional
from tests.test_server import asgi

FHIR = {"content-type": "application/fhir+json"}


def post(body: Any) -> tuple[int, dict[str, Any]]:
    status, _, raw = asgi(create_app(), "POST", "/Claim/$validate",
                          (json.dumps(body).encode(),), FHIR)
    return status, json.loads(raw)


def params(*resources: Any) -> dict[str, Any]:
    return {"resourceType": "Parameters", "parameter": [
        {"name": "resource"} if r is ... else {"name": "resource", "resource": r}
        for r in resources]}


@pytest.mark.parametrize(("resource", "said"), [
    (..., "the 'resource' parameter holds no resource (the Claim or Bundle to check)"),
    (7, "expected a FHIR resource (a JSON object), got a number (7)"),
    # a string was parsed as JSON text of its own and checked as a Claim
    ('{"resourceType": "Claim"}', "expected a FHIR resource (a JSON object), got a string "
                                  "('{\"resourceType\": \"Claim\"}')")])
def test_a_resource_parameter_that_holds_no_resource_is_said_there(resource: Any,
                                                                  said: str) -> None:
    status, out = post(params(resource))
    assert status == 400
    OperationOutcome.model_validate(out)
    ((diagnostics, expression),) = [(i["diagnostics"], i["expression"]) for i in out["issue"]]
    assert (diagnostics, expression) == (said, ["Parameters.parameter[0].resource"])


def test_in_a_batch_of_parameters_it_is_its_own_entry() -> None:
    status, out = post(params(None, professional(), 7))
    assert status == 200
    Bundle.model_validate(out)
    assert [(e["response"]["status"], e["resource"]["issue"][0].get("expression"),
             e["resource"]["issue"][0]["diagnostics"]) for e in out["entry"]] == [
        ("400 Bad Request", ["Parameters.parameter[0].resource"],
         "the 'resource' parameter holds no resource (the Claim or Bundle to check)"),
        ("200 OK", ["Claim"],
         "No issues: claim c1 passed every edit that ran (medicare-professional)."),
        ("400 Bad Request", ["Parameters.parameter[2].resource"],
         "expected a FHIR resource (a JSON object), got a number (7)")]


def test_a_list_item_that_is_not_a_resource_is_said_in_json_words() -> None:
    status, out = post([professional(), 5, None])
    assert status == 200
    assert [(e["response"]["status"], e["resource"]["issue"][0]["diagnostics"])
            for e in out["entry"]][1:] == [
        ("400 Bad Request", "expected a FHIR resource (a JSON object), got a number (5)"),
        ("400 Bad Request", "expected a FHIR resource (a JSON object), got null")]


def test_a_gzip_body_of_several_members_is_read_whole() -> None:
    """A gzip file may hold several members (``gzip -c a b``, Python's gzip.decompress
    reads them all): only the first was read, so the body was cut ("not JSON:
    Unterminated string"); data after the last member was dropped without a word."""
    import gzip

    raw = json.dumps(professional()).encode()
    packed = gzip.compress(raw[:50]) + gzip.compress(raw[50:])
    headers = {**FHIR, "content-encoding": "gzip"}
    whole = asgi(create_app(), "POST", "/Claim/$validate", (gzip.compress(raw),), headers)
    for chunks in ((packed,), (packed[:30], packed[30:70], packed[70:]),
                   (packed + b"\0\0\0\0",)):  # zero padding after the end, as gzip skips
        status, _, body = asgi(create_app(), "POST", "/Claim/$validate", chunks, headers)
        assert (status, body) == (whole[0], whole[2]) and status == 200
    for tail, encoding, packer in ((b"junk", "gzip", gzip.compress),
                                   (b"junk", "deflate", __import__("zlib").compress)):
        status, _, body = asgi(create_app(), "POST", "/Claim/$validate", (packer(raw) + tail,),
                               {**FHIR, "content-encoding": encoding})
        assert (status, json.loads(body)["issue"][0]["diagnostics"]) == (400, (
            "the body is not the gzip it says: data after its end that is not another gzip "
            "member" if encoding == "gzip" else
            "the body is not the deflate it says: data after its end"))


def test_a_gzip_member_after_the_limit_is_not_decoded() -> None:
    """A first gzip member that decodes to just over the limit, then a member of 60 MB of
    zeros (60 KB compressed): 413 at once, the second member never decoded (zlib's
    ``decompress(data, 0)`` has no limit: a room of 0 used to decode it whole)."""
    import gzip
    import tracemalloc
    import zlib

    limit = 64 * 1024
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = packer.compress(b"\0" * (60 * 1024 * 1024)) + packer.flush()
    body = gzip.compress(b" " * (limit + 1)) + bomb
    tracemalloc.start()
    try:
        status, _, raw = asgi(create_app(max_body=limit), "POST", "/Claim/$validate",
                              (body,), {"content-encoding": "gzip",
                                        "content-type": "application/fhir+json"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert status == 413
    assert "the body decoded is over 65,536 bytes" in \
        json.loads(raw)["issue"][0]["diagnostics"]
    assert peak < 16 * 1024 * 1024, peak  # 60 MB when the member was decoded
