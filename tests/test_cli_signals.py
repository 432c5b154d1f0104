"""``codekit check --processes 2`` ended by a signal, as a service manager, a terminal or
the out-of-memory killer ends it: to the command alone or to its whole process group.

Each test runs the command in a process group of its own, through a small driver that
paces the worker processes (2 ms a claim) and has a worker send the signal at its 400th
claim: the command is then waiting for a worker's chunk, having written the reports of
the chunks before, which is where a SIGTERM used to be swallowed (the run went on to the
end). No fixed sleep: the signal comes when the run is where it should be.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import codekit
from tests.claims_gen import make_professional, with_ids

pytestmark = [
    pytest.mark.slow,  # a child process that opens the tables, a few seconds each
    pytest.mark.skipif(not sys.platform.startswith("linux"),
                       reason="process groups and /proc: Linux"),
]

#: The driver: ``codekit check`` with workers that take 2 ms more a claim, one of which
#: sends the signal (argv: the signal's name, ``leader`` or ``group``, the worker's claim
#: number to send it at, then the command's arguments).
DRIVER = """
import os, signal, sys, time
import codekit.batch as batch
from codekit.cli import main

parent = os.getpid()
sig, to, at = getattr(signal, "SIG" + sys.argv[1]), sys.argv[2], int(sys.argv[3])
real = batch.report_of
seen = [0]

def once():  # the first worker to get there sends the signal, the other does not
    try:
        os.close(os.open(sys.argv[0] + f".{parent}.sent", os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return False
    return True

def report_of(checker, item):
    if os.getpid() != parent:  # in a worker (forked: it has this function)
        seen[0] += 1
        if seen[0] == at and once():
            if to == "group":
                os.killpg(0, sig)
            else:
                os.kill(parent, sig)
        time.sleep(0.002)
    return real(checker, item)

batch.report_of = report_of
sys.exit(main(sys.argv[4:]))
"""

N = 1200  # claims: 5 chunks of 256; the signal comes in the third


@pytest.fixture(scope="module")
def claim_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signals")
    claims = with_ids(make_professional(40, seed=3), "S{:02d}")
    (folder / "claims.jsonl").write_text(
        "".join(json.dumps(claims[i % 40]) + "\n" for i in range(N)))
    (folder / "driver.py").write_text(DRIVER)
    return folder / "claims.jsonl"


def _alive(group: int) -> list[int]:
    """The processes of ``group`` still running (a zombie waits for its reaper only)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == group and fields[0] != "Z":
            pids.append(int(entry))
    return pids


def _run(claim_file: Path, how: str, to: str) -> tuple[int, list[dict[str, Any]], str, list[int]]:
    """Run the driver; (exit code, the reports written, standard error, the processes of
    its group left running a moment after it ended)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(codekit.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, str(claim_file.parent / "driver.py"), how, to, "400", "check",
         str(claim_file), "--format", "jsonl", "--processes", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)
    try:
        # the workers hold the output pipe too: it ends once every one of them has ended
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"SIG{how} to the {to}: the run (or a worker) was still there after 60 s")
    left = _alive(proc.pid)
    deadline = time.monotonic() + 5
    while left and time.monotonic() < deadline:  # a process that closed its files, ending
        time.sleep(0.1)
        left = _alive(proc.pid)
    for pid in left:  # not left behind for the next tests
        os.kill(pid, signal.SIGKILL)
    return proc.returncode, [json.loads(line) for line in out.splitlines()], err, left


@pytest.mark.parametrize(("how", "to"), [("TERM", "leader"), ("TERM", "group"),
                                         ("HUP", "leader"), ("HUP", "group")])
def test_a_signal_ends_the_run_with_the_reports_made(claim_file: Path, how: str,
                                                     to: str) -> None:
    """SIGTERM to the command was swallowed while it waited for a worker (the run went on
    to the end and exited 2); SIGTERM to the group was "a worker process died ... run
    again with fewer --processes", exit 3; SIGHUP killed the command, lost the reports
    still buffered and left both workers running for good."""
    code, reports, err, left = _run(claim_file, how, to)
    assert code == 128 + getattr(signal, "SIG" + how)
    n = len(reports)
    assert err == (f"codekit: SIG{how}: stopped after {n:,} claims (their reports are "
                   "written; the claims after them were not checked)\n")
    assert 0 < n < N  # the chunks before the signal, not the whole file
    assert [r["input"] for r in reports] == [f"{claim_file}:{i}" for i in range(1, n + 1)]
    assert left == []


def test_workers_end_with_a_killed_command(claim_file: Path) -> None:
    """SIGKILL (the out-of-memory killer, a supervisor) left both workers waiting for
    chunks for good (about 100 MB each)."""
    code, _, err, left = _run(claim_file, "KILL", "leader")
    assert (code, err, left) == (-signal.SIGKILL, "", [])
