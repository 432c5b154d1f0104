"""codekit.server as an orchestrator sees it: ``GET /ready`` (readiness, distinct from the
liveness ``GET /metadata`` answers) and a real ``codekit serve`` process stopped with
SIGTERM (graceful shutdown). Checks are held with events or a gate file, never timed."""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("fhir.resources")

import anyio
from fhir.resources.R4B.parameters import Parameters

from codekit.server import create_app
from tests.test_fhir import claim
from tests.test_server import asgi, diagnostics, free_port
from tests.test_server_limits import Held, request


def ready_within(app: Any, seconds: float = 60) -> dict[str, Any]:
    """The ``200`` of ``GET /ready`` once the app answers it (asked every 20 ms)."""
    deadline = time.monotonic() + seconds
    while True:
        status, _, body = asgi(app, "GET", "/ready")
        if status == 200:
            out: dict[str, Any] = json.loads(body)
            return out
        assert status == 503 and time.monotonic() < deadline, diagnostics(body)
        time.sleep(0.02)


def test_ready_says_503_until_the_tables_are_read_and_a_first_claim_checked() -> None:
    """Ops: GET /metadata was the only health path, and it answers as soon as the port
    is open: with --no-preload, or an app mounted in one's own ASGI server, a readiness
    probe passed before any table was read and the first requests paid for them (0.8 s
    of tables, then 0.2 s more for the first check). /ready is 503 with Retry-After until
    the app is warmed up (the first ask begins it), then 200 with the data's releases."""
    import codekit
    from codekit import _cache

    held = Held()
    app = create_app(checker=held)
    status, headers, body = asgi(app, "GET", "/ready")
    assert (status, headers["retry-after"]) == (503, "1")
    assert diagnostics(body).startswith("not ready: reading the tables and checking a "
                                        "first claim (for ")
    assert held.started.wait(60)  # the warm-up checks its claim with the app's checker
    assert asgi(app, "GET", "/ready")[0] == 503
    assert asgi(app, "GET", "/metadata")[0] == 200  # alive meanwhile
    held.gate.set()
    out = ready_within(app)
    Parameters.model_validate(out)
    assert held.calls == 1
    assert out["parameter"][:4] == [
        {"name": "ready", "valueBoolean": True},
        {"name": "version", "valueString": str(codekit.__version__)},
        {"name": "data-id", "valueString": codekit.data_id()},
        {"name": "generation", "valueInteger": _cache.generation()}]
    data = {p["part"][0]["valueString"]: {q["name"]: q.get("valuePeriod", q.get("valueString"))
                                          for q in p["part"][1:]}
            for p in out["parameter"][4:] if p["name"] == "data"}
    assert list(data) == ["ICD-10-CM", "ICD-10-PCS", "CPT/HCPCS", "NCCI", "POA exempt"]
    assert data["ICD-10-CM"] == {"coverage": {"start": "2015-10-01", "end": "2027-03-31"},
                                 "releases": "FY2016 .. FY2027"}
    assert data["ICD-10-PCS"] == {"coverage": {"start": "2015-10-01", "end": "2027-03-31"}}
    assert data["POA exempt"] == {"releases": "FY2019 .. FY2026"}
    assert data["CPT/HCPCS"]["coverage"]["start"] == "2019-07-01"
    status, headers, _ = asgi(app, "HEAD", "/ready")
    assert (status, headers["content-type"]) == (200, "application/fhir+json")


def test_a_warm_up_that_fails_is_tried_again_at_the_next_probe_and_logs_no_claim(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed warm-up kept /ready at 503 for the life of the process ("and it stays
    so"): a failure that passes (a data volume mounted late) left a pod that never took
    traffic while its liveness probe said 200. The next probe (here with no wait after a
    failure) begins it again, one at a time, and /ready is 200 once one succeeds; each
    failure is logged, quoting no claim."""
    import logging

    import codekit.server

    monkeypatch.setattr(codekit.server, "WARM_UP_RETRY", 0.0)

    class Broken:
        """Fails its first two checks (the warm-up's first claim), then checks."""

        def __init__(self) -> None:
            self.calls = 0

        def check(self, c: Any) -> Any:
            self.calls += 1
            if self.calls <= 2:
                raise ValueError(f"cannot check {c.patient!r}")
            from codekit import Checker

            return Checker().check(c)

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    log = logging.getLogger("uvicorn.error")
    keep = Keep()
    log.addHandler(keep)
    broken = Broken()
    said: list[str] = []
    try:
        app = create_app(checker=broken)
        deadline = time.monotonic() + 60
        while True:
            status, _, body = asgi(app, "GET", "/ready")
            if status == 200:
                break
            said.append(diagnostics(body))
            assert status == 503 and time.monotonic() < deadline, said
            time.sleep(0.02)
    finally:
        log.removeHandler(keep)
    assert broken.calls == 3  # two warm-ups failed, the third (begun by a probe) did not
    assert ("not ready: reading the tables or checking a first claim failed (ValueError; "
            "the server's log says where), and is tried again at a probe 0 s after it "
            "failed; try again in 1 s") in said
    assert asgi(app, "GET", "/ready")[0] == 200  # and it stays so
    assert len(lines) == 2
    assert all(line.startswith("Exception in the warm-up (GET /ready), request -")
               and "1956" not in line for line in lines)


def test_a_warm_up_is_tried_again_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Probes while a warm-up begun again after a failure runs do not begin another."""
    import codekit.server

    monkeypatch.setattr(codekit.server, "WARM_UP_RETRY", 0.0)
    gate, started = threading.Event(), threading.Event()

    class Slow:
        def __init__(self) -> None:
            self.calls = 0

        def check(self, c: Any) -> Any:
            self.calls += 1
            if self.calls == 1:
                raise ValueError("the first fails")
            started.set()
            assert gate.wait(60)
            raise ValueError("and so does the second, once let go")

    slow = Slow()
    app = create_app(checker=slow)
    deadline = time.monotonic() + 60
    while not started.is_set():  # probes until the second warm-up is under way
        assert asgi(app, "GET", "/ready")[0] == 503 and time.monotonic() < deadline
        time.sleep(0.02)
    for _ in range(5):
        assert asgi(app, "GET", "/ready")[0] == 503
    gate.set()
    assert slow.calls == 2


def test_a_failed_warm_up_is_not_tried_again_at_every_probe(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each GET /ready after a failed warm-up began another (a preload, a first check and
    a logged traceback at every probe: 8,640 a day at a 10 s readinessProbe, when the
    failure stays). Probes within WARM_UP_RETRY seconds of the failure are 503 and begin
    none; the first probe after it begins one."""
    import codekit.server

    class Failing:
        def __init__(self) -> None:
            self.calls = 0

        def check(self, c: Any) -> Any:
            self.calls += 1
            raise ValueError("no tables yet")

    monkeypatch.setattr(codekit.server, "WARM_UP_RETRY", 3600.0)  # an hour: none is due
    failing = Failing()
    app = create_app(checker=failing)
    with pytest.raises(ValueError, match="no tables yet"):
        app.state.warm_up()  # fails in this thread, as codekit serve's would
    assert failing.calls == 1
    said = set()
    for _ in range(5):
        status, _, body = asgi(app, "GET", "/ready")
        said.add((status, diagnostics(body)))
    assert said == {(503, "not ready: reading the tables or checking a first claim failed "
                          "(ValueError; the server's log says where), and is tried again at "
                          "a probe 3600 s after it failed; try again in 1 s")}
    assert failing.calls == 1
    monkeypatch.setattr(codekit.server, "WARM_UP_RETRY", 0.0)  # now one is due
    deadline = time.monotonic() + 60
    while failing.calls < 2:  # the next probe begins it, in a thread
        assert asgi(app, "GET", "/ready")[0] == 503 and time.monotonic() < deadline
        time.sleep(0.02)


def test_ready_is_not_counted_by_limit_concurrency() -> None:
    """A readiness probe that a full server answered 503 would take it out of the
    balancer at its busiest; /ready, as /metadata, is not counted."""
    held = Held(hold=False)
    app = create_app(checker=held, limit_concurrency=1)
    app.state.warm_up()  # what codekit serve does before its port opens
    assert held.calls == 1
    held.gate.clear()
    held.started.clear()
    got: dict[str, Any] = {}

    async def main() -> None:
        async def run() -> None:
            got["a"] = await request(app, claim(id="a"))

        async with anyio.create_task_group() as group:
            group.start_soon(run)
            assert await anyio.to_thread.run_sync(held.started.wait, 10)
            got["b"] = await request(app, claim(id="b"))
            got["ready"] = await request(app, None, method="GET", path="/ready")
            held.gate.set()

    anyio.run(main)
    assert [got[k][0] for k in ("a", "b", "ready")] == [200, 503, 200]
    assert got["ready"][2]["parameter"][0] == {"name": "ready", "valueBoolean": True}


def test_serve_warms_up_before_its_port_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from codekit import server

    held = Held(hold=False)
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run",
                        lambda app, **kw: seen.update(app=app, calls=held.calls))
    server.serve("127.0.0.1", free_port(), checker=held)
    assert seen["calls"] == 1  # checked its first claim before uvicorn ran
    assert asgi(seen["app"], "GET", "/ready")[0] == 200
    server.serve("127.0.0.1", free_port(), checker=held, preload=False)
    assert seen["calls"] == 1  # --no-preload: nothing before the port opens


def test_the_warm_up_preloads_the_default_checker_when_none_is_given(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``codekit serve`` gives create_app no checker: its requests are checked by the
    process's default one, whose tables and policies the warm-up skipped (it preloaded
    only a checker it was given), so /ready said 200 while the first claims still paid
    to open them."""
    from codekit import checker as checker_module

    default = checker_module.default_checker()
    opened: list[object] = []
    monkeypatch.setattr(checker_module.Checker, "preload",
                        lambda self: opened.append(self) or self)
    create_app().state.warm_up()
    assert opened == [default]


SERVE = textwrap.dedent("""
    import os, sys, time
    from codekit import check
    from codekit.server import serve

    class Gated:  # a check that goes on once the test makes the gate file
        def check(self, claim):
            print("checking", flush=True)
            while not os.path.exists(sys.argv[2]):
                time.sleep(0.01)
            return check(claim)

    serve("127.0.0.1", int(sys.argv[1]), preload=False, checker=Gated(), body_timeout=30)
""")


def test_sigterm_closes_the_port_and_lets_the_running_check_answer(tmp_path: Path) -> None:
    """Ops: what a pod's SIGTERM does to `codekit serve`, with a real uvicorn: the port is
    closed at once (a new connection is refused: the balancer's clear answer), and the
    check that was running finishes and is answered 200; then the process ends."""
    port, gate = free_port(), tmp_path / "gate"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parents[1] / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(port), str(gate)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or ()],
                     daemon=True).start()
    log: list[str] = []

    def wait_for(text: str) -> None:
        while not any(text in line for line in log):
            log.append(lines.get(timeout=60))

    answers: dict[str, Any] = {}

    def post() -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("POST", "/Claim/$validate", json.dumps(claim()).encode(),
                  {"Content-Type": "application/fhir+json", "X-Request-ID": "in-flight"})
        resp = c.getresponse()
        answers["in-flight"] = (resp.status, json.loads(resp.read()))
        c.close()

    try:
        wait_for("Uvicorn running on")
        running = threading.Thread(target=post)
        running.start()
        wait_for("checking")
        proc.send_signal(signal.SIGTERM)
        wait_for("Shutting down")
        refused = []
        for _ in range(500):  # the listening socket goes once uvicorn's loop gets to it
            try:
                socket.create_connection(("127.0.0.1", port), timeout=10).close()
            except ConnectionRefusedError:
                refused.append(True)
                break
            time.sleep(0.01)
        assert refused
        gate.touch()
        running.join(60)
        assert proc.wait(60) in (0, -signal.SIGTERM)
    finally:
        proc.kill()
        proc.wait()
    status, out = answers["in-flight"]
    assert (status, out["resourceType"]) == (200, "OperationOutcome")
    assert [i["details"]["coding"][0]["code"] for i in out["issue"]
            if i["severity"] == "error"] == ["LATERALITY_MISMATCH"]
    wait_for('"POST /Claim/$validate HTTP/1.1" 200 ')
    assert any(line.rstrip().endswith("id=in-flight") and " 200 " in line for line in log)
