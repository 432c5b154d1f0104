"""codekit.server's limits on the cost of a request (a review of hostile requests,
2026-12-06, item 1: a 32 KB gzip body of ``[{},{},...]`` took 22 GB and 5.5 minutes;
nothing capped the records of a body, the checks running at once, or the work of a client
that had gone). Driven over ASGI with small caps set in each test; a check is held with an
event, never with a sleep."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("fhir.resources")

import anyio

from codekit import Claim, Report, fhir
from codekit import check as default_check
from codekit.server import create_app
from tests.test_fhir import claim
from tests.test_server import asgi

ROOT = Path(__file__).resolve().parents[1]
FHIR = {"content-type": "application/fhir+json"}
VALIDATE = "/Claim/$validate"


def post(app: Any, body: Any) -> tuple[int, dict[str, str], dict[str, Any]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, headers, out = asgi(app, "POST", VALIDATE, (raw,), FHIR)
    return status, headers, json.loads(out)


def too_costly(text: str) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [{
        "severity": "error", "code": "too-costly", "diagnostics": text}]}


class Held:
    """A checker whose calls are counted and wait for ``gate`` (at most 10 s)."""

    def __init__(self, *, hold: bool = True) -> None:
        self.gate = threading.Event()
        if not hold:
            self.gate.set()
        self.started = threading.Event()
        self.calls = 0

    def check(self, c: Claim) -> Report:
        self.calls += 1
        self.started.set()
        assert self.gate.wait(10), "the test never let the check go on"
        return default_check(c)


async def request(app: Any, body: Any, leave: anyio.Event | None = None, *,
                  rid: str = "", method: str = "POST", path: str = VALIDATE
                  ) -> tuple[int, dict[str, str], dict[str, Any]]:
    """One ``Claim/$validate`` as uvicorn sends it: the body, then nothing until the
    client closes its connection (when ``leave`` is set), which is ``http.disconnect``;
    ``rid`` its X-Request-ID."""
    sent: list[dict[str, Any]] = []
    given = False

    async def receive() -> dict[str, Any]:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": json.dumps(body).encode(),
                    "more_body": False}
        if leave is None:
            await anyio.sleep_forever()
        else:
            await leave.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path,
             "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "server": ("test", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"content-type", b"application/fhir+json"),
                         *([(b"x-request-id", rid.encode())] if rid else [])]}
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    out = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            json.loads(out))


def test_a_body_past_max_records_is_a_413_before_any_record_is_read() -> None:
    """Each record that is not a claim was a fatal issue, about 2 KB of memory: 11
    million of them in 32 MiB. Records are counted from the parsed body first."""
    held = Held(hold=False)
    app = create_app(checker=held, max_records=10)
    over = too_costly("the body holds more than 10 records (claims, list items, Bundle "
                      "entries that hold no resource): send at most 10 a request (the "
                      "server's limit: codekit serve --max-records, "
                      "create_app(max_records=...))")
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": claim(id=f"c{k}")} for k in range(11)]}
    params = {"resourceType": "Parameters", "parameter": [{"name": "resource"}] * 11}
    for body in ([{}] * 11, [[{}] * 6, [{}] * 5], bundle, params,
                 {"resourceType": "Bundle", "entry": [{}] * 11}):
        assert post(app, body)[::2] == (413, over)
    assert held.calls == 0
    # at the cap: answered as before (ten fatal issues, one per record)
    status, _, out = post(app, [{}] * 10)
    assert (status, [i["expression"] for i in out["issue"]]) == (
        400, [[f"[{k}]"] for k in range(10)])
    # the resources a Bundle's claims refer to are no records: 10 claims and 20 Patients
    bundle["entry"] = bundle["entry"][:10] + [{"resource": {"resourceType": "Patient"}}] * 20
    status, _, out = post(app, bundle)
    assert (status, len(out["entry"]), held.calls) == (200, 10, 10)


def test_issues_past_max_issues_stop_the_check() -> None:
    """A 999-line claim with an error on every line has thousands of issues; 8 MiB of
    them built a gigabyte of answer. Checking stops at the record that passes the cap."""
    held = Held(hold=False)
    claims = [claim(id=f"c{k}") for k in range(5)]  # 3 issues each
    status, _, out = post(create_app(checker=held, max_issues=7), claims)
    assert (status, out) == (413, too_costly(
        "the answer would hold more than 7 issues (9 once [2] was checked): send fewer "
        "claims a request (the server's limit: codekit serve --max-issues, "
        "create_app(max_issues=...))"))
    assert held.calls == 3  # the last two never checked
    status, _, out = post(create_app(max_issues=15), claims)
    assert (status, sum(len(e["resource"]["issue"]) for e in out["entry"])) == (200, 15)


def test_the_default_body_cap_is_8_mib() -> None:
    """32 MiB of JSON parse to up to 1 GB of Python objects (``[{"":{}}, ...]``), before
    any record is counted; 8 MiB to at most about 280 MB. 8 KB of gzip that decode to
    one byte over 8 MiB are a 413 before they are parsed (the padding is spaces, so that
    the server before the change answers at once, a 400 for one record, and is not
    bombed)."""
    packed = gzip.compress(b"[{}]" + b" " * (8 * 2**20 - 3), 9)
    assert len(packed) < 20_000
    status, _, out = asgi(create_app(), "POST", VALIDATE, (packed,),
                          {**FHIR, "content-encoding": "gzip"})
    assert (status, json.loads(out)["issue"][0]["diagnostics"]) == (
        413, "the body decoded is over 8,388,608 bytes")


def test_a_full_server_is_a_503_with_retry_after() -> None:
    """Each request had a thread of anyio's 40, and each could hold a 22 GB check. Now
    ``max_checks`` run, ``max_queue`` wait their turn, and the next is told to come back."""
    held = Held()
    app = create_app(checker=held, max_checks=1, max_queue=1)
    got: dict[str, Any] = {}

    async def main() -> None:
        async def run(name: str) -> None:
            got[name] = await request(app, claim(id=name))

        async with anyio.create_task_group() as group:
            group.start_soon(run, "a")
            assert await anyio.to_thread.run_sync(held.started.wait, 10)
            group.start_soon(run, "b")  # waits for a's slot
            await anyio.wait_all_tasks_blocked()
            got["c"] = await request(app, claim(id="c"), rid="c-1")  # answered at once
            held.gate.set()

    anyio.run(main)
    status, headers, out = got["c"]
    assert (status, headers["retry-after"], out) == (503, "1", {
        "resourceType": "OperationOutcome", "issue": [{
            "severity": "error", "code": "throttled",
            "diagnostics": "the server is busy (1 checks running, 1 waiting): try again in "
                           "1 s (the server's limits: codekit serve --max-checks and "
                           "--max-queue) (request id c-1)"}]})
    assert [got[k][0] for k in "ab"] == [200, 200] and held.calls == 2


def test_the_default_queue_takes_a_client_pool_of_100() -> None:
    """An operations review (2026-12-07): 20 clients posting single claims got 859 x 503 of 2,000 at
    the defaults (2 checks and 16 waiting < 20 connections). A waiting request holds only its
    body; at the defaults 2 are checked and 100 wait (a pool of 100 connections, httpx's
    and aiohttp's default, is never refused), and the next is the 503."""
    held = Held()
    app = create_app(checker=held)
    got: dict[int, Any] = {}

    async def main() -> None:
        async def run(k: int) -> None:
            got[k] = await request(app, claim(id=f"c{k}"))

        async with anyio.create_task_group() as group:
            for k in range(102):
                group.start_soon(run, k)
            await anyio.wait_all_tasks_blocked()
            assert got == {}  # 2 checks held, 100 waiting
            got[102] = await request(app, claim(id="c102"), rid="full")
            held.gate.set()

    anyio.run(main)
    assert got.pop(102)[::2] == (503, {"resourceType": "OperationOutcome", "issue": [{
        "severity": "error", "code": "throttled",
        "diagnostics": "the server is busy (2 checks running, 100 waiting): try again in 1 "
                       "s (the server's limits: codekit serve --max-checks and --max-queue)"
                       " (request id full)"}]})
    assert {v[0] for v in got.values()} == {200} and held.calls == 102


def test_limit_concurrency_is_codekit_s_503_with_retry_after() -> None:
    """An operations review (2026-12-07): uvicorn's --limit-concurrency answered ``503 Service
    Unavailable`` in plain text, without Retry-After (and counted idle kept-alive connections: 1,805
    of 2,000 refused with 10 for 20 clients). codekit counts the requests open and says
    it as every other error; a health check (GET /metadata) is not counted."""
    held = Held()
    app = create_app(checker=held, max_checks=1, limit_concurrency=2)
    got: dict[str, Any] = {}

    async def main() -> None:
        async def run(name: str) -> None:
            got[name] = await request(app, claim(id=name))

        async with anyio.create_task_group() as group:
            group.start_soon(run, "a")
            assert await anyio.to_thread.run_sync(held.started.wait, 10)
            group.start_soon(run, "b")  # waits for a's slot: 2 requests open
            await anyio.wait_all_tasks_blocked()
            got["c"] = await request(app, claim(id="c"), rid="c-1")
            got["metadata"] = await request(app, None, method="GET", path="/metadata")
            held.gate.set()

    anyio.run(main)
    status, headers, out = got["c"]
    assert (status, headers["retry-after"], headers["content-type"], out) == (
        503, "1", "application/fhir+json", {"resourceType": "OperationOutcome", "issue": [{
            "severity": "error", "code": "throttled",
            "diagnostics": "the server is busy (2 requests open): try again in 1 s (the "
                           "server's limit: codekit serve --limit-concurrency) (request id "
                           "c-1)"}]})
    assert got["metadata"][2]["resourceType"] == "CapabilityStatement"
    assert [got[k][0] for k in "ab"] == [200, 200] and held.calls == 2
    # the slots are given back: the next request is answered
    assert anyio.run(request, create_app(limit_concurrency=1), claim())[0] == 200


def test_a_client_that_leaves_stops_its_check() -> None:
    """A client that gave up left its request running for minutes. The check stops at
    the next record, and a request still waiting for a slot is never checked."""
    held = Held()
    app = create_app(checker=held, max_checks=1)
    def gone(rid: str) -> dict[str, Any]:
        return {"resourceType": "OperationOutcome", "issue": [{
            "severity": "error", "code": "incomplete", "diagnostics": "the client closed the "
            f"connection before the answer (request id {rid})"}]}
    got: dict[str, Any] = {}

    async def main() -> None:
        leave_a, leave_b = anyio.Event(), anyio.Event()

        async def run(name: str, body: Any, leave: anyio.Event) -> None:
            got[name] = await request(app, body, leave, rid=name)

        async with anyio.create_task_group() as group:
            group.start_soon(run, "a", [claim(id=f"c{k}") for k in range(20)], leave_a)
            assert await anyio.to_thread.run_sync(held.started.wait, 10)
            group.start_soon(run, "b", claim(id="b"), leave_b)  # waits for a's slot
            await anyio.wait_all_tasks_blocked()
            leave_b.set()
            with anyio.fail_after(10):
                while "b" not in got:  # answered while a still holds the slot
                    await anyio.sleep(0)
            leave_a.set()
            for _ in range(10):  # a's watcher sees its client gone before a goes on
                await anyio.sleep(0)
            held.gate.set()

    anyio.run(main)
    assert got["a"][::2] == (400, gone("a")) and got["b"][::2] == (400, gone("b"))
    assert held.calls == 1  # the first claim of a; none of its 19 others, none of b


def test_serve_options_reach_the_app_and_uvicorn(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from codekit import server
    from codekit.cli import main
    from tests.test_server import free_port

    seen: dict[str, Any] = {}
    made: dict[str, Any] = {}
    real = server.create_app
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    monkeypatch.setattr(server, "create_app", lambda **kw: made.update(kw) or real(**kw))
    assert main(["serve", "--port", str(free_port()), "--no-preload", "--max-records", "2",
                 "--max-body", "1KiB", "--limit-concurrency", "50",
                 "--timeout-keep-alive", "7", "--forwarded-allow-ips", "10.0.0.5"]) == 0
    # the concurrency cap is codekit's (a 503 OperationOutcome), not uvicorn's; no Server
    # header (OWASP HTTP Headers Cheat Sheet); one access line, codekit's
    assert (made["limit_concurrency"], made["access_log"]) == (50, True)
    assert "limit_concurrency" not in seen
    assert (seen["timeout_keep_alive"], seen["forwarded_allow_ips"], seen["server_header"],
            seen["access_log"]) == (7, "10.0.0.5", False, False)
    assert seen["log_config"]["loggers"]["codekit.access"]["level"] == "INFO"
    assert post(seen["app"], [{}] * 3)[0] == 413
    assert post(seen["app"], b" " * 1025)[2]["issue"][0]["diagnostics"] == \
        "the body is over 1,024 bytes"
    assert main(["serve", "--port", str(free_port()), "--no-preload", "--no-access-log",
                 "--log-level", "warning"]) == 0
    assert (made["limit_concurrency"], made["access_log"], seen["forwarded_allow_ips"]) == (
        None, False, None)
    assert seen["log_config"]["loggers"]["codekit.access"]["level"] == "WARNING"
    for option, value, text in (("--max-body", "8MB", "invalid size: '8MB' (bytes, or with "
                                 "KiB, MiB or GiB: 8MiB)"),
                                ("--max-checks", "0", "0: expected a whole number >= 1")):
        with pytest.raises(SystemExit) as exit_:
            main(["serve", option, value])
        assert exit_.value.code == 3
        assert f"argument {option}: {text}" in capsys.readouterr().err


def test_serve_takes_the_checker_options_of_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``codekit serve --ncci DIR`` (or ``--ptp``, ``--mue``, ``--policies``, ``--profile``,
    ``--require``) was ``unrecognized arguments``: the served checker never ran the
    practitioner PTP or any MUE edit, while every professional claim's answer said
    "NCCI_PTP_CONFLICT was not run: ... load the quarterly CMS file ... or --ptp FILE, or
    ... --ncci DIR". serve takes codekit check's checker options, reads the tables before
    its port opens, and GET /ready names the NCCI tables it judges with."""
    import uvicorn

    from codekit.cli import main
    from tests.test_server import free_port

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    ptp = tmp_path / "practitioner_ptp.csv"  # a row of the CMS practitioner PTP table
    ptp.write_text("column_1,column_2,effective_date,deletion_date,modifier_indicator\n"
                   "20610,99213,2012-01-01,,1\n")
    # 99213 and 20610-LT on 2025-11-03, Medicare
    knee = json.loads((ROOT / "docs" / "examples" / "fhir_claim.json").read_text())
    assert main(["serve", "--port", str(free_port()), "--no-access-log", "--ptp", str(ptp),
                 "--require", "ncci", "--no-default-policies"]) == 0
    status, _, out = post(seen["app"], knee)
    rules = [i["details"]["coding"][0]["code"] for i in out["issue"]]
    assert status == 200
    assert "EM_MINOR_PROC_NO_MOD25" in rules  # the PTP row judged the claim
    assert "NCCI_PTP_CONFLICT" not in rules  # it ran: not said as not run
    # --require ncci: the MUE table nobody gave is an error, not a silent pass
    assert [i["diagnostics"][:58] for i in out["issue"]
            if i["details"]["coding"][0]["code"] == "EDIT_REQUIRED_NOT_RUN"] == [
        "The required edit MUE_EXCEEDED did not run on this claim, "]
    ready = json.loads(asgi(seen["app"], "GET", "/ready")[2])
    tables = [{q["name"]: q.get("valueString", q.get("valuePeriod")) for q in p["part"]}
              for p in ready["parameter"] if p["name"] == "ncci-table"]
    assert tables == [
        {"kind": "addon", "coverage": {"start": "2019-07-01", "end": "2026-06-30"},
         "source": "bundled add-on table (IOCE)"},
        {"kind": "ptp", "setting": "hospital",
         "coverage": {"start": "2019-07-01", "end": "2026-06-30"},
         "source": "bundled hospital PTP (IOCE)"},
        {"kind": "ptp", "setting": "practitioner", "source": "practitioner_ptp.csv"}]
    # a table or a policy folder that cannot be read is said before the port opens
    seen.clear()
    assert main(["serve", "--port", str(free_port()), "--ptp", str(tmp_path / "no.csv")]) \
        == 3
    assert main(["serve", "--port", str(free_port()), "--policies", str(tmp_path)]) == 3
    assert main(["serve", "--port", str(free_port()), "--mue-effective", "2025-10-01"]) == 3
    err = capsys.readouterr().err
    assert "codekit: no such file: " in err
    assert "no .policy file in this folder or below it" in err
    assert "codekit: --mue-effective is the first day of the --mue files" in err
    assert seen == {}  # uvicorn never started


def test_fhir_check_calls_on_result_with_each_result() -> None:
    """The hook the server caps with: each result as soon as it is checked, in order;
    what it raises stops the check."""
    seen: list[tuple[str, bool]] = []

    def each(r: fhir.Result) -> None:
        seen.append((r.where, r.checked))
        if len(seen) == 2:
            raise LookupError("enough")

    with pytest.raises(LookupError, match="enough"):
        fhir.check([claim(), {}, claim()], on_result=each)
    assert seen == [("[0]", True), ("[1]", False)]
    seen.clear()
    assert len(fhir.check_each("{", on_result=seen.append)) == 1  # type: ignore[arg-type]
    assert seen[0].error is not None  # type: ignore[attr-defined]
