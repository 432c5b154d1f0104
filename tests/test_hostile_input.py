"""A review of bad input (2026-12-06): bad input never crashes with a raw exception (a typed
codekit error, or a finding with a clear message), and a bad record in a batch is a
result for that record while the batch goes on.

One regression test per defect (the numbers are the review's items, as in docs/reliability.md); each
failed before its fix. The FHIR items (6 and 15) are in tests/test_fhir.py and
tests/test_server.py; the units given as text (16) in tests/test_schemas.py.
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, ClassVar

import pytest

import codekit.batch
from codekit import Checker, Claim, ClaimFormatError, InvalidArgument, _json
from codekit.cli import main
from tests.claims_gen import KNEE_CLAIM

GOOD: dict[str, Any] = KNEE_CLAIM
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000
DEEP_MIXED = '[{"a":' * 3_000 + "1" + "}]" * 3_000
NESTED_TOO_DEEPLY = ((), "not JSON: nested too deeply")


def _problems(text: str | bytes) -> object:
    try:
        return Claim.from_json(text).to_dict()
    except ClaimFormatError as e:
        return e.problems


# -- 1: JSON nested too deeply for orjson before 3.9.15 ---------------------------------------


def test_the_fast_reader_is_never_given_text_that_could_nest_deeper_than_it_reads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """orjson before 3.9.15 has no nesting limit: an object nested 100,000 deep overflowed
    the C stack (a segfault of the CLI, of check_many's workers, of a Spark worker;
    CVE-2024-27454; 3.8.3 was installed here). Text that could nest more than 1,024
    levels now goes to json, whatever orjson is installed; a claim line still goes to the
    fast reader, and a long one too when it is shallow."""
    given: list[str | bytes] = []

    def fast(text: str | bytes) -> Any:
        given.append(text)
        return json.loads(text)

    monkeypatch.setattr(_json, "fast_loads", fast)
    for deep in (DEEP_OBJECT, DEEP_MIXED, "[" * 2_000, DEEP_OBJECT.encode()):
        assert _problems(deep) == (NESTED_TOO_DEEPLY,)
    assert given == []
    long = json.dumps({**GOOD, "extra": {"note": "x" * 5_000}})
    assert Claim.from_json(long).extra == {"note": "x" * 5_000}
    assert Claim.from_json(json.dumps(GOOD)).claim_id == "G1"
    assert given == [long, json.dumps(GOOD)]


@pytest.mark.slow  # child processes: about 4 s (the fake reader above is the fast check)
def test_a_deep_object_is_a_result_for_its_line_in_the_cli_and_in_workers(
        tmp_path: Path) -> None:
    """50 reports, then rc 139 and no message: the 50 claims after the deep line were
    lost (check_many(processes=2): WorkerDied and 0 of 9 reports). In a child process,
    with whatever orjson is installed."""
    src = tmp_path / "deep.jsonl"
    good = json.dumps(GOOD)
    src.write_text("\n".join([good] * 3 + [DEEP_OBJECT] + [good] * 3) + "\n")
    script = textwrap.dedent(f"""
        import json, sys
        from codekit import Checker, Claim, ClaimFormatError
        from codekit.cli import main
        lines = open({str(src)!r}).read().splitlines()
        try:
            Claim.from_json(lines[3])
        except ClaimFormatError as e:
            print(json.dumps(e.problems))
        for processes in (1, 2):
            print([r.ok for r in Checker().check_many(lines, processes=processes)])
        sys.exit(main(["check", {str(src)!r}, "--format", "jsonl", "--processes", "2",
                       "--quiet"]))
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stderr) == (2, "")
    problems, one, two, *rows = done.stdout.splitlines()
    assert json.loads(problems) == [[[], "not JSON: nested too deeply"]]
    assert one == two == str([True] * 3 + [False] + [True] * 3)
    assert [(r["input"], r["ok"]) for r in map(json.loads, rows)] == [
        (f"{src}:{n}", n != 4) for n in range(1, 8)]
    assert json.loads(rows[3])["findings"][0]["message"] == "not JSON: nested too deeply"


@pytest.mark.parametrize("depth", [300, 600, 2_000])
def test_an_extra_nested_hundreds_deep_is_read_as_json_reads_it(
        depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """What orjson read was checked for big numbers by a recursive walk: an ``extra``
    nested 600 deep, which orjson reads, raised RecursionError out of Claim.from_json
    (and out of check_many: the batch ended)."""
    text = json.dumps({**GOOD, "extra": {"x": 1}}).replace(
        '{"x": 1}', '{"a":' * depth + "1" + "}" * depth)
    monkeypatch.setattr(_json, "fast_loads", None)
    plain = _problems(text)
    monkeypatch.setattr(_json, "fast_loads", json.loads)  # a fast reader that reads it
    assert _problems(text) == plain
    assert (plain == (NESTED_TOO_DEEPLY,)) is (depth == 2_000)
    [report] = Checker().check_many([text])
    assert report.ok is (depth != 2_000)


# -- 5: worker processes bounded by the CPUs and the work ------------------------------------


class _Pool(codekit.batch.ProcessPoolExecutor):
    """A pool that records how many workers it was asked for, and refuses more than the
    CPUs before starting any (the test must not fork a million processes)."""

    asked: ClassVar[list[int]] = []

    def __init__(self, max_workers: int, **kw: Any) -> None:
        type(self).asked.append(max_workers)
        assert max_workers <= codekit.batch.cpus()
        super().__init__(max_workers, **kw)


@pytest.mark.parametrize(("n", "processes", "workers"), [
    (3, 16, 1), (3, 10**6, 1), (3, 10**20, 1), (24, 3, 2), (0, 8, None)])
def test_workers_are_bounded_by_the_cpus_and_by_the_work(
        n: int, processes: int, workers: int | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """processes=16 for 3 claims started 16 workers; processes=10**6 forked until the
    machine hung; 10**20 was a raw OverflowError."""
    monkeypatch.setattr(codekit.batch, "ProcessPoolExecutor", _Pool)
    monkeypatch.setattr(codekit.batch, "cpus", lambda: 2)
    _Pool.asked.clear()
    reports = list(Checker().check_many([GOOD] * n, processes=processes, chunk_size=8))
    assert [r.claim_id for r in reports] == ["G1"] * n
    assert _Pool.asked == ([] if workers is None else [workers])


def test_a_failing_iterable_read_ahead_still_gets_its_reports() -> None:
    """The chunks read before the workers start are checked, then the caller's error."""
    def items() -> Any:
        yield from [GOOD] * 5
        raise ValueError("the source failed")

    got: list[str | None] = []
    with pytest.raises(ValueError, match=r"^the source failed$"):
        got.extend(r.claim_id for r in Checker().check_many(items(), processes=2,
                                                            chunk_size=2))
    assert got == ["G1"] * 5


def test_the_command_caps_processes_and_refuses_a_negative_count(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`--processes 99999999999999999999`: a raw OverflowError traceback and exit 1
    ("warnings only")."""
    monkeypatch.setattr(codekit.batch, "ProcessPoolExecutor", _Pool)
    src = tmp_path / "good.json"
    src.write_text(json.dumps(GOOD))
    assert main(["check", str(src), "--processes", "99999999999999999999"]) == 0
    with pytest.raises(SystemExit) as e:
        main(["check", str(src), "--processes", "-1"])
    assert e.value.code == 3
    assert "--processes: expected a whole number >= 0" in capsys.readouterr().err
    with pytest.raises(InvalidArgument, match=r"processes=-1: expected a whole number"):
        list(Checker().check_many([GOOD], processes=-1))


# -- 11 and 13: standard output ---------------------------------------------------------------


class _Full(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("argv", [["check", "{src}"], ["check", "{src}", "--format", "jsonl"],
                                  ["lookup", "E11.9"]])
def test_a_full_disk_on_standard_output_is_exit_3_with_a_message(
        argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit check good.json > /dev/full`: a raw OSError traceback and exit 1, which
    the exit codes call "warnings only"."""
    src = tmp_path / "good.json"
    src.write_text(json.dumps(GOOD))
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", _Full())
    assert main([a.format(src=src) for a in argv]) == 3
    assert capsys.readouterr().err == ("codekit: cannot write to standard output: No space "
                                       "left on device (what was written is incomplete)\n")
    assert isinstance(sys.stdout, _Full)  # given back as it was


@pytest.mark.slow  # a child process
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_dev_full_is_exit_3_without_a_traceback(tmp_path: Path) -> None:
    src = tmp_path / "good.json"
    src.write_text(json.dumps(GOOD))
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "codekit", "check", str(src)],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (3, "codekit: cannot write to standard output: "
                                              "No space left on device (what was written is "
                                              "incomplete)\n")


def test_json_interrupted_before_the_first_report_is_an_empty_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """SIGINT or SIGTERM before the first report left an empty file, not JSON."""
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join([json.dumps(GOOD)] * 3) + "\n")

    def interrupted(checker: Any, item: object) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(codekit.batch, "report_of", interrupted)
    assert main(["check", str(src), "--format", "json"]) == 130
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert "stopped after 0 claims" in captured.err


# -- 14: NumPy scalars ------------------------------------------------------------------------


def test_numpy_scalars_are_text_and_whole_numbers_in_every_field() -> None:
    """numpy.str_ codes were refused with "must be text, got a string", np.int64 units
    taken but np.int64 pointers refused: values out of NumPy or pandas arrays."""
    np = pytest.importorskip("numpy")
    d = copy.deepcopy(GOOD)
    d.update(claim_id=np.int64(42), payer=np.str_("medicare"), diagnoses=[np.str_("M17.11")],
             patient={"sex": np.str_("F"), "age": np.int64(74)})
    d["service_lines"] = [{"line": np.int64(1), "procedure_code": np.str_("20610"),
                           "modifiers": [np.str_("RT")], "units": np.int64(1),
                           "diagnosis_pointers": [np.int64(1)],
                           "charge": np.float64(125.5)}]
    claim = Claim.from_dict(d)
    plain = Claim.from_dict({**GOOD, "claim_id": "42", "patient": {"sex": "F", "age": 74},
                             "service_lines": [{**GOOD["service_lines"][0], "charge": 125.5}]})
    assert claim == plain
    assert [type(c) for c in (claim.claim_id, claim.diagnoses[0],
                              claim.service_lines[0].procedure_code)] == [str, str, str]
    assert Checker().check(claim).to_dict() == Checker().check(plain).to_dict()
    with pytest.raises(ClaimFormatError) as e:  # refused as what it is, in words that fit
        Claim.from_dict({**GOOD, "opps": np.bool_(True), "diagnoses": [np.float64(1.5)]})
    assert e.value.problems == (
        (("diagnoses", 0), f"must be text, got a number ({np.float64(1.5)!r})"),
        (("opps",), f"must be true or false, got {np.True_!r}"))


def test_codekit_imports_no_numpy() -> None:
    done = subprocess.run([sys.executable, "-c", "import sys, codekit, codekit.claims; "
                           "print('numpy' in sys.modules)"], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout == "False\n"
