"""codekit.server over real HTTP: a uvicorn server started by the test on a free loopback
port, spoken to with http.client (the standard library's HTTP client), and a bounded load
test (8 concurrent clients, a fixed number of requests) that reports requests/s and
p50/p99 latency and must see no error. No timing is asserted."""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("starlette")
pytest.importorskip("fhir.resources")

import uvicorn
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.parameters import Parameters

from codekit.server import create_app
from tests.test_fhir import claim

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    port = free_port()
    config = uvicorn.Config(create_app(max_body=2 * 1024 * 1024), host="127.0.0.1",
                            port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.02)
    yield "127.0.0.1", port
    srv.should_exit = True
    thread.join(10)


def call(addr: tuple[str, int], method: str, path: str, body: Any = None,
         headers: dict[str, str] | None = None, conn: http.client.HTTPConnection | None = None
         ) -> tuple[int, str, dict[str, Any]]:
    own = conn is None
    c = conn or http.client.HTTPConnection(*addr, timeout=30)
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    hdrs = {"Content-Type": "application/fhir+json"} if data is not None else {}
    hdrs.update(headers or {})
    c.request(method, path, body=data, headers=hdrs)
    resp = c.getresponse()
    raw = resp.read()
    if own:
        c.close()
    return resp.status, resp.getheader("content-type", ""), json.loads(raw)


def test_claim_validate(server: tuple[str, int]) -> None:
    status, ctype, out = call(server, "POST", "/Claim/$validate", claim())
    assert (status, ctype) == (200, "application/fhir+json")
    OperationOutcome.model_validate(out)
    rules = [i["details"]["coding"][0]["code"] for i in out["issue"]
             if i["details"]["coding"][-1]["code"] == "finding"]
    assert rules == ["LATERALITY_MISMATCH"]
    # the $ percent-encoded, and the Claim wrapped in Parameters, as $validate takes it
    status, _, again = call(server, "POST", "/Claim/%24validate", {
        "resourceType": "Parameters", "parameter": [{"name": "resource",
                                                     "resource": claim()}]})
    assert status == 200 and again == out


def test_parameters_with_several_resources_is_a_batch(server: tuple[str, int]) -> None:
    """Every ``resource`` parameter is checked, answered as a Bundle is: one entry each."""
    two = claim(id="b")
    two["diagnosis"][1]["diagnosisCodeableConcept"]["coding"][0]["code"] = "E11"
    status, _, out = call(server, "POST", "/Claim/$validate", {
        "resourceType": "Parameters", "parameter": [
            {"name": "resource", "resource": claim(id="a")},
            {"name": "mode", "valueCode": "create"},
            {"name": "resource", "resource": two},
            {"name": "resource", "resource": {"resourceType": "Patient"}}]})
    assert status == 200 and out["type"] == "batch-response"
    Bundle.model_validate(out)
    assert [e["response"] for e in out["entry"]] == [
        {"status": "200 OK", "location": "Claim/a"}, {"status": "200 OK", "location": "Claim/b"},
        {"status": "400 Bad Request"}]
    found = [[(i["details"]["coding"][0]["code"], i["expression"]) for i in e["resource"]["issue"]
              if i["details"]["coding"][-1]["code"] == "finding"] for e in out["entry"][:2]]
    assert found == [
        [("LATERALITY_MISMATCH", ["Claim.item[1].modifier[0]"])],
        [("DX_NOT_BILLABLE", ["Claim.diagnosis[1].diagnosisCodeableConcept"]),
         ("LATERALITY_MISMATCH", ["Claim.item[1].modifier[0]"])]]
    assert "got a Patient" in out["entry"][2]["resource"]["issue"][0]["diagnostics"]


def test_bundle_in_bundle_out(server: tuple[str, int]) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": claim(id="a")}, {"resource": claim(id="b")}]}
    status, _, out = call(server, "POST", "/Claim/$validate", bundle)
    assert status == 200 and out["type"] == "batch-response" and len(out["entry"]) == 2
    Bundle.model_validate(out)
    assert [e["response"]["location"] for e in out["entry"]] == ["Claim/a", "Claim/b"]


@pytest.mark.parametrize(("body", "status", "text"), [
    (b"{not json", 400, "not JSON"),
    (b"", 400, "no body"),
    ({"resourceType": "Patient"}, 400, "got a Patient"),
    ({"resourceType": "Parameters", "parameter": []}, 400, "no 'resource' parameter"),
    # an empty list held no claim either (it was a 200 and an empty batch-response)
    ([], 400, "the body holds no Claim (an empty list)"),
    ([[], [[]]], 400, "the body holds no Claim (an empty list)"),
    ({"resourceType": "Bundle", "type": "batch", "entry": []}, 400, "holds no Claim"),
])
def test_bad_claims(server: tuple[str, int], body: Any, status: int, text: str) -> None:
    got, _, out = call(server, "POST", "/Claim/$validate", body)
    assert got == status
    OperationOutcome.model_validate(out)
    assert text in out["issue"][0]["diagnostics"]


def test_http_errors_are_operation_outcomes(server: tuple[str, int]) -> None:
    status, _, out = call(server, "GET", "/Patient/1")
    assert status == 404 and out["resourceType"] == "OperationOutcome"
    status, _, out = call(server, "GET", "/Claim/$validate")
    assert status == 405 and "GET is not allowed" in out["issue"][0]["diagnostics"]
    status, _, out = call(server, "POST", "/Claim/$validate", b"<Claim/>",
                          {"Content-Type": "application/fhir+xml"})
    assert status == 415
    status, _, out = call(server, "POST", "/Claim/$validate", b" " * (3 * 1024 * 1024))
    assert status == 413 and out["issue"][0]["code"] == "too-costly"
    status, _, out = call(server, "GET", "/metadata")
    assert status == 200
    CapabilityStatement.model_validate(out)


def test_validate_code_parameters_codekit_does_not_answer_are_said(
        server: tuple[str, int]) -> None:
    """A coding beside a different code, a version, a codeableConcept, a code that is not
    text: each was ignored or read as "code: missing" (coding E11 with code I10 and the
    CPT url was answered for I10 under CPT; version=FY2020 was answered for today)."""
    post = [
        ([{"name": "coding", "valueCoding": {"system": ICD10CM, "code": "E11"}},
          {"name": "code", "valueCode": "I10"}],
         "coding.code 'E11' and code 'I10' disagree: give the code once (a coding, or "
         "system and code)"),
        ([{"name": "url", "valueUri": ICD10CM}, {"name": "code", "valueCode": "I10"},
          {"name": "version", "valueString": "FY2020"}],
         "version: codekit answers for a date of service, not a code system version: give "
         "date (e.g. 2019-10-01 for ICD-10-CM FY2020)"),
        ([{"name": "codeableConcept", "valueCodeableConcept": {"coding": [
            {"system": ICD10CM, "code": "I10"}]}}],
         "codeableConcept: not supported: give one code (a coding, or system and code)"),
        ([{"name": "url", "valueUri": ICD10CM}, {"name": "code", "valueInteger": 5}],
         "code: expected text, got int 5")]
    for params, message in post:
        status, _, out = call(server, "POST", "/CodeSystem/$validate-code",
                              {"resourceType": "Parameters", "parameter": params})
        assert (status, out["issue"][0]["diagnostics"]) == (400, message)
    status, _, out = call(server, "GET", "/CodeSystem/$validate-code?" + urlencode(
        {"url": ICD10CM, "code": "I10", "version": "FY2020"}))
    assert status == 400 and out["issue"][0]["diagnostics"].startswith("version: codekit")
    status, _, out = call(server, "GET", "/CodeSystem/$validate-code?" + urlencode(
        {"url": ICD10CM + "|FY2026", "code": "I10"}))
    assert status == 400 and "version 'FY2026': codekit answers for a date of service" in \
        out["issue"][0]["diagnostics"]


def test_validate_code_and_lookup(server: tuple[str, int]) -> None:
    q = urlencode({"url": ICD10CM, "code": "G35", "date": "2025-11-03"})
    status, _, p = call(server, "GET", f"/CodeSystem/$validate-code?{q}")
    assert status == 200
    Parameters.model_validate(p)
    got = {x["name"]: x for x in p["parameter"]}
    assert got["result"]["valueBoolean"] is False
    assert got["reason"]["valueCode"] == "DX_NOT_VALID_ON_DOS"
    assert [x["valueCoding"]["code"] for x in p["parameter"]
            if x["name"] == "suggestion"][:2] == ["G35.A", "G35.B0"]
    status, _, p = call(server, "POST", "/CodeSystem/$validate-code", {
        "resourceType": "Parameters", "parameter": [
            {"name": "coding", "valueCoding": {"system": "http://www.ama-assn.org/go/cpt",
                                               "code": "99213"}},
            {"name": "date", "valueDateTime": "2025-11-03"}]})
    assert status == 200 and p["parameter"][0] == {"name": "result", "valueBoolean": True}
    status, _, p = call(server, "GET", "/CodeSystem/$lookup?" + urlencode(
        {"system": ICD10CM, "code": "E11.65", "date": "2025-11-03"}))
    assert status == 200
    assert {"name": "display", "valueString": "Type 2 diabetes mellitus with hyperglycemia"} \
        in p["parameter"]
    status, _, out = call(server, "GET", "/CodeSystem/$lookup?system=" + quote(ICD10CM) +
                          "&code=E11.99")
    assert status == 404
    OperationOutcome.model_validate(out)
    assert out["issue"][0]["details"]["coding"][0]["code"] == "DX_CODE_UNKNOWN"
    # the did-you-mean as codekit.fhir.check writes a fix (docs/fhir.md): valueCode
    assert out["issue"][0]["extension"][:2] == [
        {"url": "urn:codekit:fhir:fix", "valueCode": "E11.9"},
        {"url": "urn:codekit:fhir:fix", "valueCode": "E11.3299"}]
    assert all(set(e) == {"url", "valueCode"} for e in out["issue"][0]["extension"])
    status, _, out = call(server, "GET", "/CodeSystem/$validate-code?system=http://snomed"
                                         ".info/sct&code=1")
    assert status == 400 and "does not answer" in out["issue"][0]["diagnostics"]
    status, _, out = call(server, "GET", "/CodeSystem/$validate-code?" + urlencode(
        {"url": ICD10CM, "code": "I10", "date": "yesterday"}))
    assert status == 400 and "date" in out["issue"][0]["diagnostics"]


def load(addr: tuple[str, int], clients: int = 8, per_client: int = 50
         ) -> dict[str, float]:
    """``clients`` threads, each with its own keep-alive connection, sending
    ``per_client`` requests (Claim/$validate and $validate-code alternately)."""
    body = json.dumps(claim()).encode()
    code_path = "/CodeSystem/$validate-code?" + urlencode(
        {"url": ICD10CM, "code": "E11.9", "date": "2025-11-03"})
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(*addr, timeout=60)
        mine = []
        try:
            for k in range(per_client):
                t = time.perf_counter()
                if k % 2:
                    status, _, out = call(addr, "GET", code_path, conn=conn)
                else:
                    status, _, out = call(addr, "POST", "/Claim/$validate", body, conn=conn)
                mine.append(time.perf_counter() - t)
                if status != 200 or out["resourceType"] not in ("OperationOutcome",
                                                                 "Parameters"):
                    with lock:
                        errors.append(f"{status}: {str(out)[:100]}")
        except Exception as e:  # counted, not raised: the report says how many
            with lock:
                errors.append(f"{type(e).__name__}: {e}")
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    n = len(latencies)
    return {"requests": n, "errors": len(errors), "seconds": wall,
            "requests_per_s": n / wall if wall else 0.0,
            "p50_ms": statistics.median(latencies) * 1000 if n else 0.0,
            "p99_ms": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else 0.0,
            "first_error": errors[0] if errors else ""}  # type: ignore[dict-item]


def test_bounded_load_8_clients(server: tuple[str, int]) -> None:
    stats = load(server, clients=8, per_client=50)
    print(f"\nload: {stats['requests']:.0f} requests from 8 clients in "
          f"{stats['seconds']:.2f} s: {stats['requests_per_s']:.0f} requests/s, p50 "
          f"{stats['p50_ms']:.1f} ms, p99 {stats['p99_ms']:.1f} ms, {stats['errors']:.0f} "
          "errors")
    assert stats["errors"] == 0, stats["first_error"]
    assert stats["requests"] == 400
