"""Claims in bulk: check_many and the streaming command line (issue 12)."""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim
from codekit.cli import main
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
