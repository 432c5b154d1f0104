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

from codekit import fhir
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
    raw = without_request_id(resp.status, resp.getheader("x-request-id", ""), resp.read())
    if own:
        c.close()
    return resp.status, resp.getheader("content-type", ""), json.loads(raw)


def without_request_id(status: int, rid: str, body: bytes) -> bytes:
    """An answer's body without the request id its error answers (``4xx``, ``5xx``) quote
    at the end of every issue's diagnostics, once that is checked: the tests that compare
    messages compare the words codekit says of the request."""
    if status < 400 or not body.startswith(b'{"resourceType":"OperationOutcome"'):
        return body
    said = f" (request id {rid})"
    issues = json.loads(body)["issue"]
    assert rid and all(i["diagnostics"].endswith(said) for i in issues), (rid, issues)
    return body.replace(said.encode(), b"")


def test_a_deeply_nested_extra_extension_is_a_warning_not_a_500(
        server: tuple[str, int]) -> None:
    """A review of bad input (2026-12-06), item 6: `500 internal error: RecursionError`."""
    deep = '{"a":' * 3_000 + "1" + "}" * 3_000
    status, _, out = call(server, "POST", "/Claim/$validate", claim(extension=[
        {"url": "urn:codekit:fhir:extra", "valueString": deep}]))
    assert status == 200
    assert [(i["severity"], i["expression"]) for i in out["issue"]
            if i["severity"] == "warning"] == [("warning", ["Claim.extension[0]"])]


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


def test_bad_entries_of_a_batch_are_their_own_answers() -> None:
    """Ops: one bad entry must not cost the batch its other answers (docs/server.md, the
    status rule). Each entry is answered on its own, in order; the Patient is no entry."""
    bad = claim(id="bad")
    bad["status"] = 7
    bundle = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"resource": claim(id="a")}, {"resource": bad}, {},
        {"resource": {"resourceType": "Claim"}}, {"resource": {"resourceType": "Patient"}},
        {"resource": "x"}, {"resource": claim(id="b")}]}
    status, _, body = asgi(create_app(), "POST", "/Claim/$validate",
                           (json.dumps(bundle).encode(),),
                           {"Content-Type": "application/fhir+json"})
    out = json.loads(body)
    assert (status, out["type"]) == (200, "batch-response")
    assert [e["response"]["status"] for e in out["entry"]] == [
        "200 OK", "200 OK", "400 Bad Request", "422 Unprocessable Entity", "400 Bad Request",
        "200 OK"]
    rules = [sorted({i["details"]["coding"][0]["code"] for i in e["resource"]["issue"]
                     if i["severity"] in ("error", "fatal")}) for e in out["entry"]]
    assert rules == [["LATERALITY_MISMATCH"], ["FHIR_STRUCTURE_INVALID", "LATERALITY_MISMATCH"],
                     ["FHIR_FORMAT_INVALID"],
                     ["FHIR_CLAIM_TYPE_UNSUPPORTED", "FHIR_STRUCTURE_INVALID"],
                     ["FHIR_FORMAT_INVALID"], ["LATERALITY_MISMATCH"]]


@pytest.mark.parametrize(("body", "status", "text"), [
    (b"{not json", 400, "not JSON"),
    (b'{"resourceType": "Claim", "status": "active", "status": "draft"}', 400,
     "not FHIR JSON: an object names 'status' twice (beside 'resourceType')"),
    (b"", 400, "not JSON: the input is empty"),
    ({"resourceType": "Patient"}, 400, "got a Patient"),
    ({"resourceType": "Parameters", "parameter": []}, 400, "no 'resource' parameter"),
    # an empty list held no claim either (it was a 200 and an empty batch-response)
    ([], 400, "the input holds no Claim (an empty list)"),
    ([[], [[]]], 400, "the input holds no Claim (an empty list)"),
    ({"resourceType": "Bundle", "type": "batch", "entry": []}, 400, "holds no Claim"),
    # JSON that is no resource: said in JSON's words (it was "got NoneType"), and a
    # string is not parsed again as JSON text (a double-encoded Claim was checked)
    (b"null", 400, "expected a FHIR resource (a JSON object), got null"),
    (b'"x"', 400, "expected a FHIR resource (a JSON object), got a string ('x')"),
    (json.dumps(json.dumps(claim())).encode(), 400,
     "expected a FHIR resource (a JSON object), got a string"),
])
def test_bad_claims(server: tuple[str, int], body: Any, status: int, text: str) -> None:
    """An EHR integrator's review (2026-12-06), items 2 and 9: a body that holds no claim is
    answered as codekit.fhir.check answers the same bytes (server.md says so): one ``fatal`` issue,
    in the same words (and the request's id after them, as every error answer: ``call`` checks
    it and takes it out)."""
    got, _, out = call(server, "POST", "/Claim/$validate", body)
    assert got == status
    OperationOutcome.model_validate(out)
    assert text in out["issue"][0]["diagnostics"]
    assert {i["severity"] for i in out["issue"]} == {"fatal"}
    if not (isinstance(body, dict) and body["resourceType"] == "Parameters"):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        assert out == fhir.check(raw)


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
         "code: expected text, got a number (5)")]
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


# --- HTTP-level robustness: the app driven over ASGI directly (no client library), and
# the real server above -------------------------------------------------------------------

def asgi(app: Any, method: str, path: str, chunks: tuple[bytes, ...] = (),
         headers: dict[str, str] | None = None, *, then: str = "end", ids: bool = False
         ) -> tuple[int, dict[str, str], bytes]:
    """One request through the ASGI app: the body sent as ``chunks``, and then the body
    ``end``s, the client ``disconnect``s, or it ``stall``s (never sends the rest). The
    request id an error answer quotes is checked and taken out (:func:`without_request_id`)
    unless ``ids``."""
    import anyio

    path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "server": ("test", 80),
             "client": ("127.0.0.1", 1), "headers": [(k.lower().encode(), v.encode())
                                                     for k, v in (headers or {}).items()]}
    queue = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if queue:
            return queue.pop(0)
        if then == "stall":
            await anyio.sleep_forever()
        if then == "disconnect":
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    heads = {k.decode(): v.decode() for k, v in start["headers"]}
    if not ids:
        body = without_request_id(start["status"], heads.get("x-request-id", ""), body)
    return start["status"], heads, body


def diagnostics(body: bytes) -> str:
    out = json.loads(body)
    assert out["resourceType"] == "OperationOutcome"
    return str(out["issue"][0]["diagnostics"])


def test_a_stalled_body_is_a_408_and_a_closed_connection() -> None:
    """A client that sent part of its body and then nothing was waited for forever: it
    held its connection, and `codekit serve` would not stop on SIGTERM ("Waiting for
    connections to close")."""
    app = create_app(body_timeout=0.05)
    status, headers, body = asgi(app, "POST", "/Claim/$validate", (b'{"resourceType"',),
                                 {"Content-Type": "application/fhir+json"}, then="stall")
    assert (status, headers["connection"]) == (408, "close")
    assert json.loads(body)["issue"] == [{"severity": "error", "code": "timeout",
                                          "diagnostics": "the body was not all sent "
                                                         "within 0.05 s"}]


def test_a_client_gone_mid_body_is_no_traceback() -> None:
    """A client that closed its connection mid-body raised ClientDisconnect out of the
    app: "Exception in ASGI application" and a traceback in the server's log."""
    status, _, body = asgi(create_app(), "POST", "/CodeSystem/$lookup", (b'{"resou',),
                           {"Content-Type": "application/fhir+json"}, then="disconnect")
    assert (status, diagnostics(body)) == (
        400, "the client closed the connection before the body ended")


def test_a_crash_is_a_500_and_its_log_quotes_no_claim() -> None:
    """An operations review: a bug's exception went out of the app (Starlette's 500 handler
    re-raises it) and uvicorn logged its traceback with its message, which quoted the
    claim: "ValueError: ... Patient(sex='F', birth_date=..., name='SAMPLE, ANN')"."""
    import logging

    from codekit import Checker, Claim, Report

    class Broken(Checker):
        def check(self, claim: Claim) -> Report:
            raise ValueError(f"cannot check {claim.patient!r}")

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(logging.Formatter().format(record))

    log = logging.getLogger("uvicorn.error")
    keep, level = Keep(), log.level
    log.addHandler(keep)
    log.setLevel(logging.INFO)
    try:
        status, headers, body = asgi(create_app(checker=Broken()), "POST",
                                     "/Claim/$validate", (json.dumps(claim()).encode(),),
                                     {"Content-Type": "application/fhir+json",
                                      "X-Request-ID": "crash-1"}, ids=True)
    finally:
        log.removeHandler(keep)
        log.setLevel(level)
    # the request's id, to quote to the operators and find in the log
    assert (status, headers["x-request-id"], diagnostics(body)) == (
        500, "crash-1", "internal error: ValueError (request id crash-1)")
    (logged,) = lines
    assert logged.startswith("Exception in POST /Claim/$validate, request crash-1 (the "
                             "messages are not logged: they may quote the claim)\nTraceback")
    assert 'raise ValueError(f"cannot check {claim.patient!r}")' in logged  # the frame
    assert logged.endswith("\nbuiltins.ValueError")
    assert "cannot check Patient" not in logged and "1956" not in logged


def test_a_bundle_claim_whose_check_fails_is_its_own_500_entry() -> None:
    """A codekit bug met by one Claim of a Bundle (a rule raising KeyError for claim BAD)
    made the whole request a 500: the other claims were not answered (docs/server.md said
    so). The answer is now a 200 batch-response whose entry for that claim is a 500 with
    its CLAIM_CHECK_FAILED error and the request id; the others are answered. A single
    Claim stays a 500."""
    from codekit import Claim
    from tests.test_batch import BROKEN, broken_claim

    claims = [fhir.from_claim(Claim.from_dict(broken_claim(c))) for c in ("A", "BAD", "C")]
    bundle = {"resourceType": "Bundle", "type": "batch",
              "entry": [{"resource": c} for c in claims]}
    app = create_app(checker=BROKEN)
    status, _, body = asgi(app, "POST", "/Claim/$validate", (json.dumps(bundle).encode(),),
                           {"Content-Type": "application/fhir+json",
                            "X-Request-ID": "batch-1"}, ids=True)
    out = json.loads(body)
    assert status == 200
    assert [e["response"]["status"] for e in out["entry"]] == [
        "200 OK", "500 Internal Server Error", "200 OK"]
    (issue,) = out["entry"][1]["resource"]["issue"]
    assert issue["details"]["coding"][0]["code"] == "CLAIM_CHECK_FAILED"
    assert issue["diagnostics"].startswith("codekit could not check this claim (KeyError:")
    assert issue["diagnostics"].endswith("(request id batch-1)")
    assert "request id" not in json.dumps(out["entry"][0])
    status, _, body = asgi(app, "POST", "/Claim/$validate", (json.dumps(claims[1]).encode(),),
                           {"Content-Type": "application/fhir+json",
                            "X-Request-ID": "single-1"}, ids=True)
    assert (status, diagnostics(body)) == (500, "internal error: KeyError (request id "
                                                "single-1)")


def test_every_answer_has_a_request_id_and_an_access_line() -> None:
    """An operations review: uvicorn's access line had no duration and no request id, and logged
    the query of a GET $validate-code (the diagnosis code, its display) next to the
    client's address. codekit writes the line: path without its query, status, duration,
    id; the id is the client's X-Request-ID when it is a sane token, else a new one, and
    comes back in the answer's X-Request-ID."""
    import logging
    import re

    from codekit.server import ACCESS_LOG

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    keep, level = Keep(), ACCESS_LOG.level
    ACCESS_LOG.addHandler(keep)
    ACCESS_LOG.setLevel(logging.INFO)
    app = create_app()
    try:
        got = [asgi(app, "GET", "/metadata", headers={"X-Request-ID": "abc-123"}),
               asgi(app, "GET", f"/CodeSystem/$validate-code?url={ICD10CM}&code=F32.9&"
                    "display=Major%20depressive%20disorder", headers={"X-Request-ID": "a b"}),
               # the path as uvicorn gives it, decoded: a line feed (%0A) in it
               asgi(app, "GET", "/x\ny", headers={"X-Request-ID": "x" * 129}),
               asgi(app, "POST", "/Claim/$validate", (b"[]",),
                    {"Content-Type": "application/fhir+json",
                     "X-Request-ID": "9f1c:2026-12-07/claims+batch=1@lb.example"})]
        asgi(create_app(access_log=False), "GET", "/metadata")
    finally:
        ACCESS_LOG.removeHandler(keep)
        ACCESS_LOG.setLevel(level)
    ids = [headers["x-request-id"] for _, headers, _ in got]
    assert ids[0] == "abc-123" and ids[3] == "9f1c:2026-12-07/claims+batch=1@lb.example"
    assert all(re.fullmatch("[0-9a-f]{32}", i) for i in ids[1:3]) and ids[1] != ids[2]
    shown = [re.sub(r" \d+\.\d ms ", " <ms> ", line) for line in lines]
    assert shown == [
        '127.0.0.1:1 - "GET /metadata HTTP/1.1" 200 <ms> id=abc-123',
        f'127.0.0.1:1 - "GET /CodeSystem/$validate-code HTTP/1.1" 200 <ms> id={ids[1]}',
        f'127.0.0.1:1 - "GET /x%0Ay HTTP/1.1" 404 <ms> id={ids[2]}',
        '127.0.0.1:1 - "POST /Claim/$validate HTTP/1.1" 400 <ms> '
        'id=9f1c:2026-12-07/claims+batch=1@lb.example']


def test_every_error_answer_quotes_its_request_id() -> None:
    """Ops: the id was in the diagnostics of a 500 or 503 only; a client given a 400, 404
    or 413 had only the header to quote, which most clients do not show. Every error
    answer (4xx, 5xx) now ends each issue's diagnostics with it; a 200's batch-response
    entries (a 400 or 422 entry) are not errors of the request and are left as they are."""
    app = create_app(max_body=64, body_timeout=0.05)
    fhir_json = {"Content-Type": "application/fhir+json"}
    asked = [  # (method, path, body chunks, headers, then) -> its status
        (("POST", "/Claim/$validate", (b"{not json",), fhir_json, "end"), 400),
        (("POST", "/Claim/$validate", (b"[1, 2]",), fhir_json, "end"), 400),
        (("GET", "/Patient/1", (), {}, "end"), 404),
        (("GET", f"/CodeSystem/$lookup?system={ICD10CM}&code=Q99.99X&date=2025-11-03", (),
          {}, "end"), 404),
        (("GET", "/Claim/$validate", (), {}, "end"), 405),
        (("GET", "/metadata", (), {"Accept": "application/fhir+xml"}, "end"), 406),
        (("POST", "/Claim/$validate", (b"{",), fhir_json, "stall"), 408),
        (("POST", "/Claim/$validate", (b" " * 65,), fhir_json, "end"), 413),
        (("POST", "/Claim/$validate", (b"<Claim/>",), {"Content-Type": "text/xml"}, "end"),
         415)]
    for k, ((method, path, chunks, headers, then), status) in enumerate(asked):
        got, heads, body = asgi(app, method, path, chunks,
                                {**headers, "X-Request-ID": f"ops-{k}"}, then=then, ids=True)
        issues = json.loads(body)["issue"]
        assert (got, heads["x-request-id"]) == (status, f"ops-{k}")
        assert issues and all(i["diagnostics"].endswith(f" (request id ops-{k})")
                              for i in issues), (status, issues)
    # an id codekit made is the one quoted
    got, heads, body = asgi(app, "GET", "/Patient/1", ids=True)
    assert json.loads(body)["issue"][0]["diagnostics"] == (
        f"no operation at /Patient/1: see /metadata (request id {heads['x-request-id']})")
    # a 200 holding a 400 entry: not an error answer
    got, _, body = asgi(create_app(), "POST", "/Claim/$validate",
                        (json.dumps([claim(), 1]).encode(),),
                        {**fhir_json, "X-Request-ID": "ok-1"}, ids=True)
    assert got == 200 and b"request id" not in body


def test_the_body_is_parsed_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """json.loads of a 32 MiB body ran on the event loop, holding every other request."""
    import asyncio

    import codekit.fhir

    where: list[bool] = []
    real = codekit.fhir.load

    def load(source: Any, **kw: Any) -> Any:
        try:
            asyncio.get_running_loop()
            where.append(True)
        except RuntimeError:
            where.append(False)
        return real(source, **kw)

    monkeypatch.setattr(codekit.fhir, "load", load)
    status, _, _ = asgi(create_app(), "POST", "/Claim/$validate", (json.dumps(claim()).encode(),),
                        {"Content-Type": "application/fhir+json"})
    assert status == 200 and where and not any(where)


@pytest.mark.parametrize(("ctype", "status", "text"), [
    # "json" anywhere in the header was taken for JSON
    ("application/jsonx", 415, "content type 'application/jsonx': send FHIR JSON "
                               "(application/fhir+json)"),
    ("text/plain; note=json", 415, "content type 'text/plain; note=json': send FHIR JSON "
                                   "(application/fhir+json)"),
    # a charset FHIR JSON is not in was read as UTF-8 (é in Latin-1: "not JSON: 'utf-8'
    # codec can't decode")
    ("application/fhir+json; charset=iso-8859-1", 415,
     "charset 'iso-8859-1': FHIR JSON is UTF-8 (application/fhir+json; charset=utf-8)"),
    ('application/fhir+json; charset="UTF-8"', 200, None),
    ("Application/JSON", 200, None),
    ("application/json+fhir", 200, None),
])
def test_content_type_is_read_as_a_media_type(server: tuple[str, int], ctype: str,
                                              status: int, text: str | None) -> None:
    got, _, out = call(server, "POST", "/Claim/$validate", claim(), {"Content-Type": ctype})
    assert got == status
    if text:
        assert out["issue"] == [{"severity": "error", "code": "not-supported",
                                 "diagnostics": text}]


def test_content_encoding(server: tuple[str, int]) -> None:
    """gzip was read as the JSON itself ("not JSON: 'utf-8' codec can't decode byte
    0x8b"); br and any other encoding were read as if the body were plain."""
    import gzip
    import zlib

    raw = json.dumps(claim()).encode()
    _, _, plain = call(server, "POST", "/Claim/$validate", raw)
    for encoding, packed in (("gzip", gzip.compress(raw)), ("deflate", zlib.compress(raw))):
        status, _, out = call(server, "POST", "/Claim/$validate", packed,
                              {"Content-Encoding": encoding})
        assert (status, out) == (200, plain)
    status, _, out = call(server, "POST", "/Claim/$validate", raw, {"Content-Encoding": "br"})
    assert (status, out["issue"][0]["diagnostics"]) == (
        415, "Content-Encoding 'br': send the body as it is, or gzip or deflate it")
    # the limit holds for the body decoded: 3 MiB that gzip to 3 KiB (max_body is 2 MiB)
    status, _, out = call(server, "POST", "/Claim/$validate", gzip.compress(b" " * 3 * 2**20),
                          {"Content-Encoding": "gzip"})
    assert (status, out["issue"][0]) == (413, {
        "severity": "error", "code": "too-costly",
        "diagnostics": "the body decoded is over 2,097,152 bytes"})
    status, _, out = call(server, "POST", "/Claim/$validate", gzip.compress(raw)[:-20],
                          {"Content-Encoding": "gzip"})
    assert (status, out["issue"][0]["diagnostics"]) == (
        400, "the body ends before its gzip stream does")
    status, _, out = call(server, "POST", "/Claim/$validate", raw, {"Content-Encoding": "gzip"})
    assert status == 400 and out["issue"][0]["diagnostics"].startswith(
        "the body is not the gzip it says: Error -3")


def test_lone_surrogates_are_refused(server: tuple[str, int]) -> None:
    """A \\ud800 escape is JSON but not Unicode (FHIR JSON is UTF-8): it was read and sent
    back in the claim-id extension, a text strict JSON readers refuse."""
    body = json.dumps(claim()).replace('"PCN-1"', '"PCN-\\ud800"').encode()
    status, _, out = call(server, "POST", "/Claim/$validate", body)
    assert (status, out["issue"]) == (400, [{
        "severity": "error", "code": "structure",
        "diagnostics": 'the text "PCN-\\ud800" is not Unicode: it holds a lone surrogate'}])
    # its UTF-8 form, which json.loads reads with surrogatepass
    status, _, out = call(server, "POST", "/Claim/$validate",
                          body.replace(b"\\ud800", "\ud800".encode("utf-8", "surrogatepass")))
    assert status == 400 and "lone surrogate" in out["issue"][0]["diagnostics"]
    # a pair is a character
    status, _, _ = call(server, "POST", "/Claim/$validate",
                        json.dumps(claim()).replace('"PCN-1"', '"PCN-\\ud83d\\ude00"').encode())
    assert status == 200


def test_accept_and_format(server: tuple[str, int]) -> None:
    """XML was asked for and JSON sent with a 200; FHIR asks for a 406."""
    for path, headers, text in [
            ("/metadata", {"Accept": "application/fhir+xml"},
             "Accept 'application/fhir+xml': codekit answers in FHIR R4 JSON only "
             "(application/fhir+json; fhirVersion=4.0)"),
            ("/metadata?_format=xml", {}, "_format 'xml': codekit answers in FHIR R4 JSON "
                                          "only (application/fhir+json; fhirVersion=4.0)"),
            # _format overrides Accept, as FHIR says
            ("/CodeSystem/$lookup?_format=application/fhir%2Bxml&system=" + quote(ICD10CM) +
             "&code=I10", {"Accept": "application/fhir+json"},
             "_format 'application/fhir+xml': codekit answers in FHIR R4 JSON only "
             "(application/fhir+json; fhirVersion=4.0)")]:
        status, ctype, out = call(server, "GET", path, headers=headers)
        assert (status, ctype, out["issue"][0]["diagnostics"]) == (
            406, "application/fhir+json", text)
    status, _, out = call(server, "POST", "/Claim/$validate", claim(),
                          {"Accept": "application/xml"})
    assert status == 406
    for accept in ("application/json", "*/*", "application/fhir+xml;q=1, application/*;q=0.1",
                   "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ""):
        assert call(server, "GET", "/metadata", headers={"Accept": accept})[0] == 200
    assert call(server, "GET", "/metadata?_format=json",
                headers={"Accept": "application/fhir+xml"})[0] == 200


def test_405_says_allow_and_a_trailing_slash_is_a_404(server: tuple[str, int]) -> None:
    """A 405 had no Allow header (RFC 9110 asks for one); /metadata/ was an empty 307 to a
    Location built from the request's Host header, not an OperationOutcome."""
    for method, path, allow in [("GET", "/Claim/$validate", "POST"),
                                ("OPTIONS", "/CodeSystem/$lookup", "GET, HEAD, POST"),
                                ("DELETE", "/metadata", "GET, HEAD")]:
        c = http.client.HTTPConnection(*server, timeout=30)
        c.request(method, path)
        resp = c.getresponse()
        out = json.loads(without_request_id(resp.status, resp.getheader("x-request-id", ""),
                                            resp.read()))
        c.close()
        assert (resp.status, resp.getheader("allow")) == (405, allow)
        assert out["issue"][0]["diagnostics"] == f"{method} is not allowed on {path}"
    for path in ("/metadata/", "/Claim/$validate/"):
        status, _, out = call(server, "POST" if "Claim" in path else "GET", path,
                              claim() if "Claim" in path else None)
        assert (status, out["issue"][0]["diagnostics"]) == (
            404, f"no operation at {path}: see /metadata")


def test_head_of_an_operation_is_its_get(server: tuple[str, int]) -> None:
    """HEAD of $validate-code was read as a POST: a 400 for a missing body."""
    c = http.client.HTTPConnection(*server, timeout=30)
    c.request("HEAD", "/CodeSystem/$validate-code?" + urlencode({"url": ICD10CM,
                                                                  "code": "I10"}))
    resp = c.getresponse()
    assert (resp.status, resp.read()) == (200, b"")
    c.close()


def test_a_parameter_given_twice_is_said(server: tuple[str, int]) -> None:
    """code=I10&code=E11.99 was answered for E11.99, the last; url and system naming
    different code systems were answered for system, url ignored."""
    for query, text in [
            ([("url", ICD10CM), ("code", "I10"), ("code", "E11.99")],
             "code: given more than once; give it once"),
            ([("system", ICD10CM), ("system", ICD10CM), ("code", "I10")],
             "system: given more than once; give it once"),
            ([("url", ICD10CM), ("system", "http://www.ama-assn.org/go/cpt"), ("code", "I10")],
             f"url '{ICD10CM}' and system 'http://www.ama-assn.org/go/cpt' disagree: give "
             "the code system once")]:
        for op in ("$validate-code", "$lookup"):
            status, _, out = call(server, "GET", f"/CodeSystem/{op}?" + urlencode(query))
            assert (status, out["issue"][0]["diagnostics"]) == (400, text)
        status, _, out = call(server, "POST", "/CodeSystem/$validate-code", {
            "resourceType": "Parameters", "parameter": [
                {"name": k, ("valueCode" if k == "code" else "valueUri"): v}
                for k, v in query]})
        assert (status, out["issue"][0]["diagnostics"]) == (400, text)
    # the same code system twice, as url and as system, is one
    status, _, out = call(server, "GET", "/CodeSystem/$validate-code?" + urlencode(
        {"url": ICD10CM, "system": ICD10CM, "code": "I10"}))
    assert status == 200 and out["parameter"][0] == {"name": "result", "valueBoolean": True}


def test_capability_statement_is_an_instance_statement(server: tuple[str, int]) -> None:
    """kind "instance" needs an implementation (FHIR invariant cpb-14); and every operation
    it names is served."""
    status, _, out = call(server, "GET", "/metadata")
    assert status == 200 and out["kind"] == "instance"
    assert out["implementation"]["description"].startswith("codekit serve")
    paths = {f"/{r['type']}/${op['name']}" for r in out["rest"][0]["resource"]
             for op in r["operation"]}
    assert paths == {"/Claim/$validate", "/CodeSystem/$validate-code", "/CodeSystem/$lookup"}
    # /metadata and /ready are not FHIR operations
    paths_served = {r.path for r in create_app().routes} - {"/metadata", "/ready"}
    assert paths == paths_served


def test_concurrent_answers_are_the_sequential_ones(server: tuple[str, int]) -> None:
    """8 threads sending the same requests in different orders get, for each, the answer
    one client alone gets."""
    import random

    reqs: list[tuple[str, str, Any]] = []
    for code in ("E11.9", "G35", "E11.99", "S72.001A", "M17.1"):
        for date in ("2025-11-03", "2019-10-01"):
            q = urlencode({"url": ICD10CM, "code": code, "date": date})
            reqs += [("GET", f"/CodeSystem/$validate-code?{q}", None),
                     ("GET", f"/CodeSystem/$lookup?{q}".replace("url=", "system="), None)]
    for k, dx in enumerate(("E11.9", "E11", "G35")):
        c = claim(id=f"k{k}")
        c["diagnosis"][1]["diagnosisCodeableConcept"]["coding"][0]["code"] = dx
        reqs += [("POST", "/Claim/$validate", c)]
    alone = [call(server, m, p, b) for m, p, b in reqs]
    got: dict[int, list[Any]] = {}
    lock = threading.Lock()

    def client(seed: int) -> None:
        order = list(range(len(reqs))) * 2
        random.Random(seed).shuffle(order)
        conn = http.client.HTTPConnection(*server, timeout=60)
        try:
            for i in order:
                answer = call(server, *reqs[i], conn=conn)
                with lock:
                    got.setdefault(i, []).append(answer)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {i: len(v) for i, v in got.items()} == dict.fromkeys(range(len(reqs)), 16)
    assert all(answer == alone[i] for i, v in got.items() for answer in v)


def test_serve_says_a_bad_port_or_host_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    """A port in use was said by uvicorn's logger only (nothing at --log-level critical),
    after the tables were read; --port 70000 was an OverflowError traceback."""
    from codekit.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--log-level", "critical"]) == 3
    assert capsys.readouterr().err == (f"codekit: cannot listen on 127.0.0.1:{port}: "
                                       "Address already in use\n")
    assert main(["serve", "--host", "nosuchhost.invalid", "--port", "20999"]) == 3
    assert "codekit: cannot listen on nosuchhost.invalid:20999: " in capsys.readouterr().err
    for bad, text in (("70000", "port 70000: expected 0 to 65535"),
                      ("-1", "port -1: expected 0 to 65535")):
        with pytest.raises(SystemExit) as exit_:
            main(["serve", "--port", bad])
        assert exit_.value.code == 3  # a usage error, as for every command
        assert f"argument --port: {text}" in capsys.readouterr().err


def test_serve_bounds_the_graceful_shutdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn waited without end for open requests at shutdown."""
    from codekit import server as srv

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    srv.serve("127.0.0.1", free_port(), preload=False, body_timeout=2.5)
    assert seen["timeout_graceful_shutdown"] == 3


def raw_exchange(addr: tuple[str, int], request: bytes) -> bytes:
    """Send ``request`` as it is and read every byte the server sends until it closes the
    connection (or 10 s pass)."""
    out = b""
    with socket.create_connection(addr, timeout=10) as s:
        s.sendall(request)
        try:
            while chunk := s.recv(65536):
                out += chunk
        except TimeoutError:
            out += b"<still open>"
    return out


def answer_of(out: bytes) -> tuple[bytes, bytes]:
    """The head and the body of the one answer in ``out`` (from :func:`raw_exchange`), the
    request id taken out of the body (:func:`without_request_id`)."""
    head, _, body = out.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    rid = next((line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
                if line.lower().startswith(b"x-request-id:")), "")
    return head, without_request_id(status, rid, body)


@pytest.mark.parametrize("first", [b"POST /Claim/$validate", b"GET /metadata"])
def test_a_request_framed_two_ways_is_refused_and_its_connection_closed(
        server: tuple[str, int], first: bytes) -> None:
    """A security review (2026-12-06), item 3: Content-Length and Transfer-Encoding both. uvicorn
    read the chunks (an empty body), answered, and kept the connection: the bytes a
    front reading by Content-Length takes for the body were answered as a second request
    (a 200 CapabilityStatement), request smuggling. RFC 9112 section 6.3: an error, and
    the connection closed."""
    out = raw_exchange(server, first + b" HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       b"application/fhir+json\r\nContent-Length: 40\r\nTransfer-Encoding: "
                       b"chunked\r\n\r\n0\r\n\r\nGET /metadata HTTP/1.1\r\nHost: x\r\n\r\n")
    head, body = answer_of(out)
    assert head.startswith(b"HTTP/1.1 400 ") and b"\r\nconnection: close" in head.lower()
    assert out.count(b"HTTP/1.1 ") == 1 and b"CapabilityStatement" not in out
    assert json.loads(body)["issue"] == [{
        "severity": "error", "code": "structure",
        "diagnostics": "the request has both Content-Length and Transfer-Encoding: which "
                       "one frames the body cannot be told (RFC 9112, section 6.3); send one"}]


def test_header_lines_given_twice_are_read_together(server: tuple[str, int]) -> None:
    """A security review (2026-12-06), item 6: only the first line was read. ``identity`` then
    ``gzip`` (a list: RFC 9110 section 8.4) read the gzip bytes as JSON ("not JSON:
    'utf-8' codec can't decode"); a second, other Content-Type was ignored."""
    import gzip

    packed = gzip.compress(json.dumps(claim()).encode())
    out = raw_exchange(server, b"POST /Claim/$validate HTTP/1.1\r\nHost: x\r\nConnection: "
                       b"close\r\nContent-Encoding: identity\r\nContent-Encoding: gzip\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(packed) + packed)
    head, body = answer_of(out)
    assert head.startswith(b"HTTP/1.1 415 ")
    assert json.loads(body)["issue"][0]["diagnostics"] == (
        "Content-Encoding 'identity, gzip': send the body as it is, or gzip or deflate it")
    out = raw_exchange(server, b"POST /Claim/$validate HTTP/1.1\r\nHost: x\r\nConnection: "
                       b"close\r\nContent-Type: application/fhir+json\r\nContent-Type: "
                       b"text/plain\r\nContent-Length: 2\r\n\r\n{}")
    head, body = answer_of(out)
    assert head.startswith(b"HTTP/1.1 415 ")
    assert json.loads(body)["issue"][0]["diagnostics"] == (
        "Content-Type given 2 times ('application/fhir+json', 'text/plain'): send one, "
        "application/fhir+json")


def test_a_claim_nested_too_deep_for_the_models_is_answered(server: tuple[str, int]) -> None:
    """A security review (2026-12-06), item 2: extensions in extensions 300 deep were `500 internal
    error: RecursionError` (and a 1,700-line traceback in the log)."""
    ext: dict[str, Any] = {"url": "http://example.org/x", "valueString": "v"}
    for _ in range(300):
        ext = {"url": "http://example.org/x", "extension": [ext]}
    status, _, out = call(server, "POST", "/Claim/$validate", claim(extension=[ext]))
    assert status == 200
    assert [(i["details"]["coding"][0]["code"], i["expression"]) for i in out["issue"]
            if i["severity"] == "error"] == [("FHIR_STRUCTURE_INVALID", ["Claim"]),
                                             ("LATERALITY_MISMATCH", ["Claim.item[1].modifier[0]"])]


def test_answers_are_neither_cached_nor_sniffed(server: tuple[str, int]) -> None:
    """A security review (2026-12-06), item 7: answers that name claims and diagnoses carried no
    Cache-Control, and a 404 that repeats its path (``/x/<script>``) no nosniff (OWASP REST
    Security Cheat Sheet, security headers)."""
    for method, path, body in (("POST", "/Claim/$validate", claim()),
                               ("GET", "/x/%3Cscript%3E", None), ("GET", "/metadata", None)):
        c = http.client.HTTPConnection(*server, timeout=30)
        c.request(method, path, body=None if body is None else json.dumps(body).encode(),
                  headers={"Content-Type": "application/fhir+json"})
        resp = c.getresponse()
        resp.read()
        c.close()
        assert (resp.getheader("cache-control"), resp.getheader("x-content-type-options")) \
            == ("no-store", "nosniff"), path
