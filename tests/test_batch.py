"""Claims in bulk: check_many and the streaming command line (issue 12)."""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codekit import Checker, Claim, icd10cm
from codekit.cli import main
from codekit.errors import CheckerError, DataError, ExtraNotInstalled, PolicyError
from codekit.findings import Finding, Notice, Report, Severity
from codekit.rules import rule
from tests.claims_gen import make_professional, with_ids

CHECKER = Checker()


@pytest.fixture(scope="module")
def dicts() -> list[dict[str, Any]]:
    out = with_ids(make_professional(600, seed=5), "C{:04d}")
    out[7] = {"claim_id": "BAD-7", "claim_type": "dental"}  # unreadable, mid-stream
    return out


def _summary(report: Any) -> tuple[Any, ...]:
    return (report.claim_id, report.profile, tuple(report.rows()), report.not_run,
            report.notices)


def test_check_many_keeps_order_and_identity(dicts: list[dict[str, Any]]) -> None:
    reports = list(CHECKER.check_many(dicts))
    assert [r.claim_id for r in reports] == [d["claim_id"] for d in dicts]
    bad = reports[7]
    assert {f.rule for f in bad.findings} == {"CLAIM_FORMAT_INVALID"}
    assert ("CLAIM_FORMAT_INVALID", "$.claim_type") in [(f.rule, f.path) for f in bad.findings]
    # every finding row can be joined back to its claim and line
    rows = [row for r in reports for row in r.rows()]
    assert len(rows) > 100
    for row in rows:
        if row["line"] is not None:
            assert row["line_id"] == f"{row['claim_id']}-{row['line']}"
    # the same claims as objects and as JSON text give the same reports
    claims = [Claim.from_dict(d) for i, d in enumerate(dicts) if i != 7]
    texts = [json.dumps(d) for i, d in enumerate(dicts) if i != 7]
    good = [_summary(r) for i, r in enumerate(reports) if i != 7]
    assert [_summary(r) for r in CHECKER.check_many(claims)] == good
    assert [_summary(r) for r in CHECKER.check_many(texts)] == good


def test_two_processes_answer_as_one(dicts: list[dict[str, Any]]) -> None:
    one = [_summary(r) for r in CHECKER.check_many(dicts)]
    two = [_summary(r) for r in CHECKER.check_many(dicts, processes=2, chunk_size=50)]
    assert one == two


def test_an_item_that_does_not_pickle_is_a_result_with_two_processes(
        dicts: list[dict[str, Any]]) -> None:
    """An item a worker cannot be sent (a claim dict holding a lock under an unknown key,
    a memoryview, a dict nested 5,000 deep) is a result, as with one process: it raised
    TypeError / RecursionError from check_many(processes=2) and the batch was lost."""
    items: list[Any] = list(dicts[:150])
    items[3] = {**dicts[3], "extra": {"lock": threading.Lock()}}
    items[60] = memoryview(b"{}")
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]
    items[120] = deep
    one = [_summary(r) for r in CHECKER.check_many(items)]
    two = [_summary(r) for r in CHECKER.check_many(items, processes=2, chunk_size=25)]
    assert two == one and len(two) == 150
    assert one[3][0] == dicts[3]["claim_id"]  # checked, the unknown key kept
    assert {row["rule"] for row in one[60][2]} == {"CLAIM_FORMAT_INVALID"}
    assert {row["rule"] for row in one[120][2]} == {"CLAIM_FORMAT_INVALID"}


def test_pandas_na_and_arrays_in_claim_dicts_are_their_records_results(
        dicts: list[dict[str, Any]]) -> None:
    """Claim dicts from ``df.to_dict("records")`` carry ``pandas.NA`` (and Parquet list
    columns NumPy arrays): each such record was CLAIM_CHECK_FAILED, "a bug in codekit",
    with one process and two. It is that record's CLAIM_FORMAT_INVALID, in order, and the
    records around it are checked as without it."""
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    items: list[Any] = list(dicts[:120])
    bad = {5: ("claim_type", pd.NA), 40: ("claim_type", np.array(["professional"] * 2)),
           77: ("modifiers", pd.NA), 101: ("diagnosis_pointers", np.array([1, 2]))}
    for i, (key, value) in bad.items():
        if key == "claim_type":
            items[i] = {**dicts[i], key: value}
        else:
            lines = [dict(ln) for ln in dicts[i]["service_lines"]]
            lines[0][key] = value
            items[i] = {**dicts[i], "service_lines": lines}
    one = [_summary(r) for r in CHECKER.check_many(items)]
    two = [_summary(r) for r in CHECKER.check_many(items, processes=2, chunk_size=16)]
    assert two == one and [r[0] for r in one] == [d["claim_id"] for d in dicts[:120]]
    for i in bad:
        assert [row["rule"] for row in one[i][2]] == ["CLAIM_FORMAT_INVALID"], i
    clean = [_summary(r) for r in CHECKER.check_many(
        [d for i, d in enumerate(dicts[:120]) if i not in bad])]
    assert [r for i, r in enumerate(one) if i not in bad] == clean


def test_check_many_streams(dicts: list[dict[str, Any]]) -> None:
    """An endless input: results come out as claims go in (bounded memory)."""
    endless = itertools.cycle(dicts[:20])
    taken = list(itertools.islice(CHECKER.check_many(endless, processes=2, chunk_size=8), 50))
    assert [r.claim_id for r in taken] == [d.get("claim_id") for d in dicts[:20]] * 2 + \
        [d.get("claim_id") for d in dicts[:10]]


def _pid_and_sigint(_: object) -> Any:
    """In a worker: its process id and its SIGINT handler."""
    import os
    import signal

    return os.getpid(), signal.getsignal(signal.SIGINT)


def test_a_worker_that_dies_is_a_codekit_error_after_the_reports_given(
        dicts: list[dict[str, Any]]) -> None:
    """A worker killed from outside (the out-of-memory killer) raised the pool's own
    BrokenProcessPool; now the typed WorkerDied, after the reports already given. The
    workers leave Ctrl-C (SIGINT) to the calling process."""
    import os
    import signal

    from codekit import CodekitError, WorkerDied

    reports = CHECKER.check_many(itertools.cycle(dicts[:20]), processes=2, chunk_size=8)
    first = [next(reports) for _ in range(10)]
    assert [r.claim_id for r in first] == [d.get("claim_id") for d in dicts[:10]]
    # the workers of the pool: kill them all, as the out-of-memory killer would
    import multiprocessing

    children = multiprocessing.active_children()
    assert children
    for child in children:
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    with pytest.raises(WorkerDied, match="a worker process died") as info:
        list(itertools.islice(reports, 10_000))
    assert isinstance(info.value, CodekitError) and info.value.code == "WORKER_DIED"
    # a worker ignores SIGINT: the parent ends the batch on Ctrl-C
    from codekit import batch

    with batch.ProcessPoolExecutor(1, mp_context=batch._context(),
                                   initializer=batch._init_worker,
                                   initargs=(CHECKER, None)) as pool:
        pid, handler = pool.submit(_pid_and_sigint, None).result()
    assert pid != os.getpid() and handler == signal.SIG_IGN


class _CallerStop(Exception):
    """A library caller's own interrupt, raised by its signal handler."""


def test_an_interrupt_raised_while_waiting_for_a_worker_is_raised(
        dicts: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception raised in the caller's thread while it waited for a worker's chunk
    (a signal handler's: `codekit check`'s SIGTERM) was taken for a chunk that could not
    be pickled: the chunk was checked again in the caller and the batch went on."""
    import os
    import signal
    import time

    from codekit import batch

    caller = os.getpid()
    report_of = batch.report_of

    def slow(checker: Any, item: object) -> Any:  # forked workers get it: 10 ms a claim
        if os.getpid() != caller:
            time.sleep(0.01)
        return report_of(checker, item)

    def stop(signum: int, frame: Any) -> None:
        raise _CallerStop

    monkeypatch.setattr(batch, "report_of", slow)
    previous = signal.signal(signal.SIGUSR1, stop)
    try:
        reports = CHECKER.check_many(itertools.cycle(dicts[:20]), processes=2, chunk_size=8)
        assert next(reports).claim_id == dicts[0]["claim_id"]
        # the caller now waits for the workers' chunks (80 ms each) nearly all the time
        threading.Timer(0.1, os.kill, (caller, signal.SIGUSR1)).start()
        with pytest.raises(_CallerStop):
            for _ in itertools.islice(reports, 400):
                pass
    finally:
        signal.signal(signal.SIGUSR1, previous)


def test_a_stream_goes_on_when_the_thread_that_started_it_ends(
        dicts: list[dict[str, Any]]) -> None:
    """The workers end with their parent process, not with the thread that started them
    (Linux's parent-death signal comes when that *thread* ends: it is asked for only when
    the main thread starts the workers)."""
    box: list[Any] = []

    def start() -> None:
        reports = CHECKER.check_many(iter(dicts[:100]), processes=2, chunk_size=8)
        box.extend([next(reports), reports])

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    first, reports = box
    assert [first.claim_id, *(r.claim_id for r in reports)] == \
        [d["claim_id"] for d in dicts[:100]]


#: A process whose thread (not the main one) starts two workers, says their ids and waits.
_ORPHANS = """
import itertools, json, multiprocessing, sys, threading, time
from codekit import Checker
claims = [json.loads(line) for line in sys.stdin]
def run():
    for _ in Checker().check_many(itertools.cycle(claims), processes=2, chunk_size=8):
        time.sleep(0.01)
threading.Thread(target=run, daemon=True).start()
while len(multiprocessing.active_children()) < 2:
    time.sleep(0.05)
print(*(p.pid for p in multiprocessing.active_children()), flush=True)
time.sleep(600)
"""


@pytest.mark.slow  # a child process that opens the tables
@pytest.mark.skipif(not Path("/proc/self").exists(), reason="/proc: Linux")
def test_workers_end_when_their_parent_is_killed(dicts: list[dict[str, Any]]) -> None:
    """A parent killed by SIGKILL (the out-of-memory killer) or SIGHUP left its workers
    waiting for chunks for good, 100 MB each. Workers a thread started watch their
    parent (a main thread's get Linux's parent-death signal: tests/test_cli_signals.py)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-c", _ORPHANS], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("".join(json.dumps(d) + "\n" for d in dicts[:20]))
    proc.stdin.close()
    workers = [int(pid) for pid in proc.stdout.readline().split()]
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 10
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.parametrize("bad", [0.5, -1, True, "2"])
def test_check_many_arguments(bad: Any) -> None:
    from codekit import InvalidArgument

    with pytest.raises(InvalidArgument, match="processes"):
        list(CHECKER.check_many([], processes=bad))


def _write_jsonl(path: Path, dicts: list[dict[str, Any]]) -> None:
    lines = [json.dumps(d) for d in dicts]
    lines.insert(3, "{ this is not json")  # a malformed line: a result, the stream goes on
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("processes", ["1", "2"])
def test_the_command_streams_json_lines(tmp_path: Path, dicts: list[dict[str, Any]],
                                        capsys: pytest.CaptureFixture[str],
                                        processes: str) -> None:
    src = tmp_path / "claims.jsonl"
    _write_jsonl(src, dicts[:40])
    assert main(["check", str(src), "--format", "jsonl", "--processes", processes]) == 2
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert len(out) == 41
    assert [o["input"] for o in out] == [f"{src}:{n}" for n in range(1, 42)]
    assert out[3]["findings"][0]["rule"] == "CLAIM_FORMAT_INVALID"
    assert "not JSON" in out[3]["findings"][0]["message"]
    assert [o["claim_id"] for o in out if o["input"] != f"{src}:4"] == \
        [d.get("claim_id") for d in dicts[:40]]
    assert captured.err.startswith("41 claims: ")
    assert "2 unreadable" in captured.err


def test_the_command_reads_a_json_list_and_writes_one(tmp_path: Path,
                                                     dicts: list[dict[str, Any]],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "claims.json"
    src.write_text(json.dumps(dicts[:5]))
    main(["check", str(src), "--format", "json", "--quiet"])
    out = json.loads(capsys.readouterr().out)
    assert [o["claim_id"] for o in out] == [d["claim_id"] for d in dicts[:5]]
    assert out[1]["input"] == f"{src}[1]"


def test_the_command_text_report_of_several(tmp_path: Path, dicts: list[dict[str, Any]],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(d) for d in dicts[:3]) + "\n")
    main(["check", str(src)])
    out = capsys.readouterr().out
    assert out.count("== ") == 3 and f"== {src}:2\n" in out
    assert "3 claims: " in out


def test_report_json_is_json_dumps_of_the_dict() -> None:
    """Report.to_json writes its JSON piece by piece (the not-run list encoded once):
    byte for byte json.dumps(to_dict()), with findings on lines, notices, a claim id
    that needs escaping and none."""
    checker = Checker()
    claim = {"claim_id": 'PCN "7" \u00e9', "claim_type": "professional", "payer": "medicare",
             "patient": {"sex": "F", "age": 70}, "date_of_service": "2031-01-15",
             "diagnoses": ["E11", "I10"],
             "service_lines": [{"procedure_code": "99213", "diagnosis_pointers": [1],
                                "line_id": "L1"},
                               {"procedure_code": "J1030", "diagnosis_pointers": [3]}]}
    report = checker.check(Claim.from_dict(claim))
    assert {f.rule for f in report.findings} >= {"DX_NOT_BILLABLE"}
    assert report.notices and report.not_run
    assert report.to_json() == json.dumps(report.to_dict())
    assert report.to_json(indent=2) == json.dumps(report.to_dict(), indent=2)
    claim.pop("claim_id")
    again = checker.check(Claim.from_dict(claim))
    assert again.claim_id is None and again.to_json() == json.dumps(again.to_dict())
    assert json.loads(again.to_json())["not_run"] == json.loads(report.to_json())["not_run"]


# what a finding may hold: text of any character (quotes, controls, DEL, non-ASCII, a lone
# surrogate a key read from JSON may hold), and in a location whole numbers; anything else
# (a bool, a float, a number among codes) is written by json.dumps itself
_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12) | \
    st.sampled_from(["E11.9", "service_lines", "a.b", "", "x y", "it's", "\x7f", "\ud800é"])
_PART = _TEXT | st.integers(-3, 2**70) | st.booleans() | st.floats(allow_nan=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["DX_NOT_BILLABLE", "PTR_INVALID", "COVERAGE_CRITERIA_NOT_MET", "R\u00e9"]),
    st.sampled_from(list(Severity)), _TEXT, st.lists(_PART, max_size=4).map(tuple),
    st.lists(_TEXT | st.integers(), max_size=3).map(tuple),
    st.sampled_from(["", "ICD-10-CM Guidelines I.A.12.a", "\"quoted\" \u2014 \n"]),
    st.lists(_TEXT, max_size=2).map(tuple), st.none() | _TEXT), max_size=4),
       st.none() | _TEXT, st.lists(st.none() | _TEXT, max_size=3).map(tuple),
       st.lists(st.integers(1, 99), max_size=3).map(tuple), st.booleans())
def test_report_json_of_any_findings_is_json_dumps_of_the_dict(
        findings: list[tuple[Any, ...]], claim_id: str | None, line_ids: tuple[Any, ...],
        line_numbers: tuple[int, ...], noticed: bool) -> None:
    """Report.to_json writes each finding from its parts (a rule's shared parts encoded
    once): byte for byte json.dumps(to_dict()) for findings of any text and location,
    on service lines or not, of a policy or not, findings of one rule with other references
    or severities, and values that only json.dumps writes."""
    report = Report(tuple(Finding(*f) for f in findings), "medicare-professional",
                    (("NCCI_PTP_CONFLICT", "no table"),), claim_id, line_ids, line_numbers,
                    (Notice("ICD10CM_DATE_NOT_COVERED", "2031"),) if noticed else ())
    for _ in range(2):  # the shared parts made, then remembered
        assert report.to_json() == json.dumps(report.to_dict())


def test_the_command_writes_an_input_name_as_json_dumps_does(
        tmp_path: Path, dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    """A JSONL report's input name, written without json.dumps: a name with a quote, a
    backslash and characters outside ASCII is escaped as json.dumps escapes it."""
    src = tmp_path / 'cl"ai\\ms \u00e9\u2014.jsonl'
    src.write_text("".join(json.dumps(d) + "\n" for d in dicts[:2]))
    main(["check", str(src), "--format", "jsonl", "--quiet"])
    lines = capsys.readouterr().out.splitlines()
    assert [line[:line.index(', "claim_id"')] for line in lines] == \
        [f'{{"input": {json.dumps(f"{src}:{n}")}' for n in (1, 2)]
    assert [json.loads(line)["input"] for line in lines] == [f"{src}:1", f"{src}:2"]


def test_reports_made_before_an_unreadable_input_are_written(
        tmp_path: Path, dicts: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit check one.json nope.json` printed nothing for one.json (the report was held
    back to see whether a second came), and `list.json nope.json --format json` left its
    JSON list open: the error ends the run, not the reports already made."""
    one, several = tmp_path / "one.json", tmp_path / "list.json"
    one.write_text(json.dumps(dicts[0]))
    several.write_text(json.dumps(dicts[:3]))
    missing = str(tmp_path / "nope.json")
    assert main(["check", str(one), missing, "--format", "jsonl", "--quiet"]) == 3
    captured = capsys.readouterr()
    assert [json.loads(line)["claim_id"] for line in captured.out.splitlines()] == \
        [dicts[0]["claim_id"]]
    assert "cannot read" in captured.err
    assert main(["check", str(one), missing, "--quiet"]) == 3
    assert capsys.readouterr().out.startswith(f"claim {dicts[0]['claim_id']} ")
    assert main(["check", str(several), missing, "--format", "json", "--quiet"]) == 3
    assert [r["claim_id"] for r in json.loads(capsys.readouterr().out)] == \
        [d["claim_id"] for d in dicts[:3]]


def test_json_lines_whose_first_line_is_a_list_and_objects_one_after_another(
        tmp_path: Path, dicts: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON-lines file whose first line is a JSON list was one unreadable result (the
    claims of the next lines never checked); objects written one after another,
    pretty-printed (what `jq '.[]'` writes), were read line by line: 44 "unreadable
    claims" for 2."""
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([json.dumps(dicts[:2]), json.dumps(dicts[2]),
                                json.dumps(dicts[3])]) + "\n")
    assert main(["check", str(mixed), "--format", "jsonl", "--quiet"]) == 2
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["input"], o["claim_id"]) for o in out] == [
        (f"{mixed}:1", None), (f"{mixed}:2", dicts[2]["claim_id"]),
        (f"{mixed}:3", dicts[3]["claim_id"])]
    assert out[0]["findings"][0]["message"] == "a claim must be an object, got an array"
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(dicts[0], indent=2) + "\n" + json.dumps(dicts[1], indent=2))
    lines_of_first = json.dumps(dicts[0], indent=2).count("\n") + 1
    main(["check", str(pretty), "--format", "jsonl", "--quiet"])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["input"], o["claim_id"]) for o in out] == [
        (f"{pretty}:1", dicts[0]["claim_id"]),
        (f"{pretty}:{lines_of_first + 1}", dicts[1]["claim_id"])]


def test_the_text_report_quotes_a_claim_id_with_control_characters(
        dicts: list[dict[str, Any]]) -> None:
    """A claim id with a newline or an ANSI escape was written raw: it could forge or
    recolour lines of the text report."""
    report = CHECKER.check(Claim.from_dict({**dicts[0], "claim_id": "X\x1b[32m\nFAKE OK"}))
    assert str(report).splitlines()[0].startswith("claim 'X\\x1b[32m\\nFAKE OK' ")
    assert str(CHECKER.check(Claim.from_dict(dicts[0]))).startswith(
        f"claim {dicts[0]['claim_id']} ")


def test_a_claim_that_cannot_be_read_keeps_a_numeric_id() -> None:
    """The id of a claim that cannot be read is read as from_dict reads it (5 is '5'):
    it was None exactly when the report needed joining back."""
    items = [{"claim_id": 5, "claim_type": "dental"}, '{"claim_id": 7, "claim_type": 1}',
             {"claim_id": True, "claim_type": "dental"}, {"claim_id": "A-1", "claim_type": 2}]
    reports = list(CHECKER.check_many(items))
    assert [r.claim_id for r in reports] == ["5", "7", None, "A-1"]
    # the message shows the value as sent (it said got '7' for the number 7)
    assert reports[1].findings[0].message == \
        "must be 'professional' or 'institutional', got 1"


@pytest.mark.parametrize("processes", [1, 2])
def test_flush_gives_the_reports_read_so_far(dicts: list[dict[str, Any]],
                                             processes: int) -> None:
    """With processes=N, reports came only once 2 x N chunks of 256 claims were read or
    the input ended: a trickling source (a queue tail piped into `codekit check`) saw
    nothing for a long time. FLUSH among the items gives every report before it, then
    itself, before the next item is read."""
    from codekit.batch import FLUSH

    asked: list[int] = []

    def items() -> Any:
        yield from dicts[:3]
        yield FLUSH
        asked.append(1)  # the source is asked for more only now
        yield from dicts[3:5]

    got: list[Any] = []
    for out in CHECKER.check_many(items(), processes=processes):
        got.append(out)
        if out is FLUSH:
            assert not asked and len(got) == 4
    assert [getattr(r, "claim_id", r) for r in got] == [
        *[d["claim_id"] for d in dicts[:3]], FLUSH, *[d["claim_id"] for d in dicts[3:5]]]


def test_a_claim_far_over_the_limits_is_refused_before_it_is_read(
        dicts: list[dict[str, Any]]) -> None:
    """ClaimLimits applied only once the whole claim was read: 200,000 lines took 9.7 s
    before CLAIM_TOO_LARGE, and with a bad field on each line the cap never applied
    (200,000 CLAIM_FORMAT_INVALID findings, a 69-89 MB report). The lines past the cap
    are not read: one CLAIM_TOO_LARGE error, with the claim's id and profile."""
    line = {"procedure_code": "99213", "units": "x", "diagnosis_pointers": [1]}
    for units, profile in (("x", ""), (1, "medicare-professional")):
        big = {**dicts[0], "service_lines": [{**line, "units": units}] * 20_000}
        for item in (big, json.dumps(big)):
            (report,) = CHECKER.check_many([item])
            assert [(f.rule, f.path, f.message) for f in report.findings] == [(
                "CLAIM_TOO_LARGE", "$.service_lines[999]",
                "The claim is too large to check: 20000 service lines: codekit checks at "
                "most 999 (the 837 allows 50 on a professional claim, 999 on an "
                "institutional one). Split it, or raise the checker's ClaimLimits.")]
            # its profile when what is read of it can be read
            assert (report.claim_id, report.profile) == (dicts[0]["claim_id"], profile)
    # the same report as a claim read whole (one past the cap: 1,000 good lines)
    good = {**dicts[0], "service_lines": [{**line, "units": 1}] * 1000}
    read_whole = CHECKER.check(Claim.from_dict(good))
    assert CHECKER.check_many([good]).__next__().to_json() == read_whole.to_json()


def test_the_report_of_a_claim_with_many_format_problems_lists_100(
        dicts: list[dict[str, Any]]) -> None:
    """Every problem was a finding: 999 lines with a bad "units" were 999 findings."""
    line = {"procedure_code": "99213", "units": "x", "diagnosis_pointers": [1]}
    (report,) = CHECKER.check_many([{**dicts[0], "service_lines": [line] * 999}])
    assert len(report.findings) == 101
    assert [f.path for f in report.findings[:2]] == [  # the reader's order: by path text
        "$.service_lines[0].units", "$.service_lines[100].units"]
    last = report.findings[-1]
    assert (last.rule, last.path, last.message) == (
        "CLAIM_FORMAT_INVALID", "$",
        "899 more problems in the claim are not listed (the first 100 are)")


def test_json_text_longer_than_a_claim_is_not_parsed(monkeypatch: pytest.MonkeyPatch,
                                                     dicts: list[dict[str, Any]]) -> None:
    """A 50 MB claim text was parsed (280 MB of memory) before anything was said."""
    import codekit.batch

    monkeypatch.setattr(codekit.batch, "MAX_CLAIM_BYTES", 100_000)
    text = json.dumps({**dicts[0], "extra": {"note": "x" * 100_000}})
    for item in (text, text.encode()):
        (report,) = CHECKER.check_many([item])
        assert [(f.rule, f.message) for f in report.findings] == [(
            "CLAIM_FORMAT_INVALID", f"the claim is {len(text):,} "
            f"{'characters' if isinstance(item, str) else 'bytes'} of JSON: codekit reads "
            "a claim of at most 100,000, and did not read this one")]


def test_flush_after_the_workers_started(dicts: list[dict[str, Any]]) -> None:
    """FLUSH once a chunk for each worker was read (the pool started): every report of
    the chunks in flight, then FLUSH, before the source is asked for more."""
    from codekit.batch import FLUSH

    asked: list[int] = []

    def items() -> Any:
        yield from dicts[:5]  # chunks of 2: two read ahead, the pool starts
        yield FLUSH
        asked.append(1)
        yield from dicts[5:7]

    got: list[Any] = []
    for out in CHECKER.check_many(items(), processes=2, chunk_size=2):
        got.append(out)
        if out is FLUSH:
            assert not asked and len(got) == 6
    assert [getattr(r, "claim_id", r) for r in got] == [
        *[d["claim_id"] for d in dicts[:5]], FLUSH, *[d["claim_id"] for d in dicts[5:7]]]


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit, GeneratorExit])
@pytest.mark.parametrize("n", [3, 7])  # before the workers start (chunks of 2), and after
def test_an_interrupted_source_gets_the_reports_before_it_with_two_processes(
        dicts: list[dict[str, Any]], stop: type[BaseException], n: int) -> None:
    """A source raising KeyboardInterrupt, SystemExit or GeneratorExit midway gave none of
    the reports before it with processes=2 (0 of 37), all of them with processes=1: only
    an Exception was held until the reports were given."""
    def items() -> Any:
        yield from dicts[:n]
        raise stop

    for processes in (1, 2):
        got: list[Any] = []
        reports = CHECKER.check_many(items(), processes=processes, chunk_size=2)
        with pytest.raises(stop):
            got.extend(report.claim_id for report in reports)
        assert got == [d["claim_id"] for d in dicts[:n]]


class _NoReduce(dict):  # type: ignore[type-arg]
    """A claim dict that refuses to be pickled, with an error pickle does not expect."""

    def __reduce__(self) -> Any:
        raise RuntimeError("not to be pickled")


def test_an_item_whose_reduce_raises_is_a_result_with_two_processes(
        dicts: list[dict[str, Any]]) -> None:
    """An item whose __reduce__ raised RuntimeError ended check_many(processes=2) with
    that raw RuntimeError; processes=1 checked it. Its chunk is checked here."""
    items: list[Any] = list(dicts[:6])
    items[4] = _NoReduce(dicts[4])
    one = [_summary(r) for r in CHECKER.check_many(items)]
    two = [_summary(r) for r in CHECKER.check_many(items, processes=2, chunk_size=2)]
    assert two == one and one[4][0] == dicts[4]["claim_id"]


def test_an_unreadable_claims_findings_name_its_lines_by_number_and_id(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The report of a claim that cannot be read gave a finding on a line the line's
    position and no id (line 2, line_id None for the line numbered 7, "L-7"), so a job
    joining findings back on (claim_id, line) put it on the wrong line; only the pandas
    door repaired it. Every door now reads them from the claim as given (a data analyst's review of
    2026-12-06, item 3)."""
    claim = {"claim_id": "C", "claim_type": "professional", "payer": "medicare",
             "patient": {"sex": "F", "age": 70}, "date_of_service": "2025-11-03",
             "diagnoses": ["E11.9"], "service_lines": [
                 {"line": 3, "line_id": "L-3", "procedure_code": "99214", "units": 1,
                  "diagnosis_pointers": [1]},
                 {"line": 7, "line_id": "L-7", "procedure_code": "99213", "units": "x",
                  "diagnosis_pointers": [1]}]}
    want = [{"claim_id": "C", "line": 7, "line_id": "L-7", "rule": "CLAIM_FORMAT_INVALID",
             "path": "$.service_lines[1].units"}]
    for item in (claim, json.dumps(claim)):
        (report,) = CHECKER.check_many([item])
        assert [{k: row[k] for k in want[0]} for row in report.rows()] == want
    src = tmp_path / "claims.jsonl"
    src.write_text(json.dumps(claim) + "\n")
    assert main(["check", str(src), "--format", "jsonl", "--quiet"]) == 2
    (out,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(f["line"], f["line_id"], f["path"]) for f in out["findings"]] == [
        (7, "L-7", "$.service_lines[1].units")]


# -- a claim whose check fails on a codekit bug -------------------------------------------------


@rule("TEST_BROKEN_FOR_BAD", "Z", "error", "tests.test_batch")
def _broken_for_bad(ctx: Any) -> Any:
    """A bug injected for the claim whose id is BAD (a rule raising KeyError)."""
    if ctx.claim.claim_id == "BAD":
        raise KeyError(f"no entry for {ctx.claim.patient.birth_date}")
    return ()


#: A checker with one rule that raises for claim BAD: registered through the public hook,
#: a top-level function, so it survives the fork (and pickling) into worker processes.
BROKEN = Checker().with_rules(_broken_for_bad)


def broken_claim(claim_id: str) -> dict[str, Any]:
    """A clean professional claim: Medicare, 2025-11-03, I10, 99213 pointing to it (the
    fields an 837P needs too)."""
    return {"claim_id": claim_id, "claim_type": "professional", "payer": "medicare",
            "patient": {"id": f"MEMBER-{claim_id}", "name": "SAMPLE, ANN", "sex": "F",
                        "birth_date": "1956-03-02"},
            "date_of_service": "2025-11-03", "diagnoses": ["I10"],
            "billing_provider": "1234567893", "place_of_service": "11", "total_charge": 95,
            "service_lines": [{"line": 1, "line_id": f"{claim_id}-1", "procedure_code": "99213",
                               "units": 1, "diagnosis_pointers": [1], "charge": 95}]}


def test_a_single_check_raises_the_bug() -> None:
    """Checker.check of one claim surfaces a bug: the batches turn it into a report."""
    with pytest.raises(KeyError, match="no entry for 1956-03-02"):
        BROKEN.check(Claim.from_dict(broken_claim("BAD")))


@pytest.mark.parametrize("processes", [1, 2])
def test_a_claim_whose_check_fails_is_a_result_and_the_stream_goes_on(
        processes: int, caplog: pytest.LogCaptureFixture) -> None:
    """A codekit bug met by one claim (a rule raising KeyError) ended check_many: one
    process yielded the reports before it and raised; two processes checked the chunk
    again in the parent and raised, no report at all. It is now that claim's report: one
    CLAIM_CHECK_FAILED error naming the exception, never ok, and the claims after it are
    checked; its traceback is logged (frames and types, no message) with a failure id the
    report quotes."""
    items = [broken_claim("A"), broken_claim("BAD"), json.dumps(broken_claim("C")),
             Claim.from_dict(broken_claim("D"))]
    with caplog.at_level("ERROR", logger="codekit.check"):
        reports = list(BROKEN.check_many(items, processes=processes, chunk_size=1))
    assert [(r.claim_id, [f.rule for f in r.findings]) for r in reports] == [
        ("A", []), ("BAD", ["CLAIM_CHECK_FAILED"]), ("C", []), ("D", [])]
    bad = reports[1]
    (f,) = bad.findings
    assert (f.severity.value, f.path, f.fix, bad.ok, bad.line_ids) == (
        "error", "$", (), False, ("BAD-1",))
    assert f.message.startswith("codekit could not check this claim (KeyError: 'no entry "
                                "for 1956-03-02'): a bug in codekit, not in the claim")
    failure = f.message.split("failure id ")[1].split()[0]
    if processes == 1:  # a worker's log goes to the worker's handlers (inherited on fork)
        (logged,) = [r.getMessage() for r in caplog.records]
        assert f"failure id {failure}" in logged
        assert 'raise KeyError(f"no entry for {ctx.claim.patient.birth_date}")' in logged
        assert logged.endswith("\nbuiltins.KeyError") and "1956" not in logged


@pytest.mark.parametrize("error", [
    DataError("data/icd10cm/fy2026.ckt: damaged"),
    ExtraNotInstalled("damaged: pip install 'codekit[x12]'", extra="x12"),
    CheckerError("damaged: unknown profile"),
    PolicyError("damaged: duplicate rule ID", kind="duplicate_rule"),
    MemoryError("damaged")])
def test_a_codekit_error_still_ends_the_batch(error: BaseException) -> None:
    """What every claim would meet alike (codekit.batch.FATAL: a ConfigurationError, or no
    memory) ends the batch: a damaged data file (DataError), an optional dependency not
    installed, a checker or its policies configured wrongly (a PolicyError was one claim's
    CLAIM_CHECK_FAILED, and every claim after it failed alike)."""

    @rule("TEST_DATA_GONE", "Z", "error", "tests.test_batch")
    def gone(ctx: Any) -> Any:
        """A table that cannot be read."""
        raise error

    with pytest.raises(type(error), match="damaged"):
        list(Checker().with_rules(gone).check_many([broken_claim("A")]))


@rule("TEST_LOOKUP_FOR_BAD", "Z", "error", "tests.test_batch")
def _lookup_for_bad(ctx: Any) -> Any:
    """A rule that forgot to catch a lookup's ValidationError: for claim BAD it looks up
    E11.999, which no ICD-10-CM release has (UnknownCode)."""
    if ctx.claim.claim_id == "BAD":
        icd10cm.lookup("E11.999", on=ctx.claim.date_of_service)
    return ()


#: A checker whose rule raises a ValidationError (a CodekitError) for claim BAD.
LOOKUP_BROKEN = Checker().with_rules(_lookup_for_bad)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_validation_error_a_rule_did_not_catch_is_that_claims_result(
        processes: int) -> None:
    """A per-claim CodekitError raised by a rule (UnknownCode of a lookup it forgot to
    catch) ended check_many (and codekit check, pandas, X12 and FHIR batches), while Spark
    made it the claim's CLAIM_CHECK_FAILED. Every door now says it as Spark did: the
    claim's report, and the claims after it are checked."""
    items = [broken_claim("A"), broken_claim("BAD"), json.dumps(broken_claim("C"))]
    reports = list(LOOKUP_BROKEN.check_many(items, processes=processes, chunk_size=1))
    assert [(r.claim_id, [f.rule for f in r.findings]) for r in reports] == [
        ("A", []), ("BAD", ["CLAIM_CHECK_FAILED"]), ("C", [])]
    assert reports[1].findings[0].message.startswith(
        "codekit could not check this claim (UnknownCode: 'E11.999': E11.999 is in no "
        "ICD-10-CM release codekit knows): a bug in codekit")


@pytest.mark.parametrize("processes", ["1", "2"])
def test_the_command_goes_on_past_a_claim_whose_check_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        processes: str) -> None:
    """codekit check stopped at the claim (one line written, "internal error", exit 3):
    every claim now has its line, the failed one its CLAIM_CHECK_FAILED, the summary and
    standard error say how many failed, and the run exits 3 (an internal error), not 2."""
    import codekit.cli.check as cli_check

    monkeypatch.setattr(cli_check, "_checker", lambda args: BROKEN)
    src = tmp_path / "claims.jsonl"
    src.write_text("".join(json.dumps(broken_claim(c)) + "\n" for c in ("A", "BAD", "C")))
    assert main(["check", str(src), "--format", "jsonl", "--processes", processes]) == 3
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert [(o["claim_id"], [f["rule"] for f in o["findings"]]) for o in out] == [
        ("A", []), ("BAD", ["CLAIM_CHECK_FAILED"]), ("C", [])]
    assert "3 claims: 2 clean, 0 judged outside the data only, 0 with warnings only, 0 " \
        "with errors, 0 unreadable\ncould not be checked: 1 claim(s) (CLAIM_CHECK_FAILED" \
        in captured.err
    assert captured.err.rstrip().splitlines()[-1].startswith(
        "codekit: internal error: 1 claim(s) could not be checked (CLAIM_CHECK_FAILED in "
        "their reports): a bug in codekit, not in the input; the other claims were checked")


class _NotPlain(Report):
    """A report the command's summary counts through its whole chain of tests."""

    __slots__ = ()


@pytest.mark.parametrize("unread", [False, True])
def test_the_summary_counts_a_plain_report_as_its_whole_chain_does(unread: bool) -> None:
    """``codekit check``'s summary counts a plain report of a read claim in one pass over
    its findings: as the chain of tests it takes for any other report counts it, finding
    by finding and rule by rule, in the same order."""
    from collections import Counter

    from codekit.cli.check import _count

    def finding(rule: str, severity: Severity) -> Finding:
        return Finding(rule, severity, "...", ("service_lines", 0))

    warn, err = finding("PTR_DUPLICATE", Severity.WARNING), finding("DX_NOT_BILLABLE",
                                                                      Severity.ERROR)
    info = finding("DX_LATERALITY_UNSPECIFIED", Severity.INFO)
    unreadable = finding("CLAIM_FORMAT_INVALID", Severity.ERROR)
    failed = finding("CLAIM_CHECK_FAILED", Severity.ERROR)
    cases = [(), (info,), (warn,), (info, warn, warn), (err,), (warn, err, info), (err, warn),
             (unreadable,), (warn, unreadable), (failed,), (warn, failed), (failed, unreadable)]
    stats, rules = Counter[str](), Counter[str]()
    chain_stats, chain_rules = Counter[str](), Counter[str]()
    for findings in cases:
        _count(Report(findings, "medicare-professional"), stats, rules, unread=unread)
        _count(_NotPlain(findings, "medicare-professional"), chain_stats, chain_rules,
               unread=unread)
        assert (stats, list(rules.items())) == (chain_stats, list(chain_rules.items())), \
            findings
    assert stats == ({"unreadable": len(cases)} if unread else
                     {"ok": 2, "warnings": 2, "errors": 3, "unreadable": 3, "failed": 2})


def test_the_command_reads_a_line_of_whitespace_as_blank(tmp_path: Path,
                                                         dicts: list[dict[str, Any]]) -> None:
    """A line of the ASCII whitespace ``bytes.strip`` strips (a vertical tab, a form feed)
    is skipped as a blank line; a line of other control characters is an input (not JSON);
    each input is the line as read, ``file:line``."""
    from codekit.cli.check import Input, read_inputs

    good = [json.dumps(d).encode() + b"\n" for d in dicts[:2]]
    src = tmp_path / "claims.jsonl"
    src.write_bytes(good[0] + good[1] + b"\x0b\x0c \t\r\n\n\x1c\x1d\n" + good[0].rstrip())
    inputs = list(read_inputs([str(src)]))
    assert inputs == [Input(f"{src}:1", good[0]), Input(f"{src}:2", good[1]),
                      Input(f"{src}:5", b"\x1c\x1d\n"), Input(f"{src}:6", good[0].rstrip())]
    assert all(type(inp) is Input for inp in inputs)


def test_a_line_as_bytes_is_reported_as_any_other_bytes(dicts: list[dict[str, Any]]) -> None:
    """The command's lines (bytes) take their own way through ``report_of``: the same
    report as bytes given another way (a bytearray, which takes the general path)."""
    from codekit.batch import report_of

    lines = [json.dumps(d).encode() + b"\n" for d in dicts[:40]]
    lines += [b"not json\n", b'{"claim_type": "professional"\n', b"[1, 2]\n",
              b'{"claim_id": "\xff"}\n', b'{"claim_id": "x", "claim_type": 5}',
              b"{" * 5000 + b"\n", b" " * 3_000_000 + b"{}"]
    for line in lines:
        assert report_of(CHECKER, line) == report_of(CHECKER, bytearray(line)), line[:80]
