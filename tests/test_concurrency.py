"""A Checker in a threaded service and in a multi-process batch (issue: reliability review).

Threads share one checker and must answer as one thread does, claim by claim; a batch in
worker processes keeps its promises when the caller's iterable fails midway, when a worker
dies while the caller reads, and under the start method the program chose. No timing
assertions: threads start together at a barrier and results are compared exactly.
"""

from __future__ import annotations

import copy
import itertools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, CheckerError, Claim, WorkerDied, ncci
from tests.claims_gen import make_inpatient, make_professional, with_ids
from tests.conftest import ROOT, reference

#: Set in this process only: a worker made by fork sees it, one started by spawn does not.
FLAG = "not set"


def _flag(report: Any) -> tuple[str | None, str]:
    """In a worker: the claim id and what this module's FLAG is there."""
    return report.claim_id, FLAG


def _mixed() -> list[Claim]:
    """Professional and outpatient claims of August 2024 (the quarter of the NCCI files
    loaded) and inpatient ones, interleaved."""
    out: list[dict[str, Any]] = []
    for i, d in enumerate(make_professional(120, seed=7)):
        d = copy.deepcopy(d)
        d["date_of_service"] = f"2024-08-{1 + i % 28:02d}"
        d["patient"] = {"sex": d["patient"]["sex"], "age": 70}
        if i % 2:
            d["claim_type"], d["bill_type"] = "institutional", "131"
            for line in d["service_lines"]:
                line.pop("diagnosis_pointers", None)
        out.append(d)
    inpatient = make_inpatient(60, seed=11)
    mixed = [x for pair in itertools.zip_longest(out[::2], out[1::2], inpatient)
             for x in pair if x is not None]
    return [Claim.from_dict(d) for d in with_ids(mixed, "M{:04d}")]


def _library(tmp: Path) -> ncci.TableLibrary:
    """The July 2024 practitioner PTP edits among the codes the claims use (the whole file
    takes 13 s to read; the part is written in ``tmp``) and the MUE tables of both
    settings."""
    import gzip

    from tests.claims_gen import BAD_PROCS, EM, PROCS

    folder = reference("northstar_2024q3")
    codes = {c for c, _, _ in PROCS} | set(EM) | set(BAD_PROCS)
    part = tmp / "ncci_ptp_practitioner_2024q3.csv"
    with gzip.open(folder / "ncci_ptp_practitioner_2024q3.csv.gz", "rt",
                   encoding="latin-1") as f, part.open("w", encoding="latin-1") as out:
        out.write(next(f))
        out.writelines(line for line in f if line[:line.find(",")] in codes
                       and line.split(",", 2)[1] in codes)
    return ncci.TableLibrary([
        ncci.load_ptp(part),
        ncci.load_mue(folder / "ncci_mue_practitioner_2024q3.csv"),
        ncci.load_mue(folder / "ncci_mue_outpatient_hospital_2024q3.csv")])


def test_sixteen_threads_answer_as_one_claim_by_claim(tmp_path: Path) -> None:
    """Professional, outpatient and Medicare inpatient claims with NCCI tables of both
    settings, checked by 16 threads sharing one Checker, cold (caches just emptied) and warm: every
    report is the one a single thread gives."""
    import codekit

    claims = _mixed()
    library = _library(tmp_path)
    alone = [Checker(tables=library).check(c).to_json() for c in claims]
    rules = {f["rule"] for r in alone for f in json.loads(r)["findings"]}
    assert {"NCCI_PTP_CONFLICT", "MUE_EXCEEDED", "POA_INVALID"} <= rules
    assert {json.loads(r)["profile"] for r in alone} == {
        "medicare-professional", "medicare-outpatient", "medicare-inpatient"}
    n = 16
    for cold in (True, False):
        if cold:
            codekit.clear_caches()
        shared = Checker(tables=library)
        barrier = threading.Barrier(n)
        together: list[str | None] = [None] * len(claims)
        errors: list[BaseException] = []

        def work(k: int, shared: Checker = shared, barrier: threading.Barrier = barrier,
                 together: list[str | None] = together,
                 errors: list[BaseException] = errors) -> None:
            barrier.wait()
            try:
                for i in range(k, len(claims), n):
                    together[i] = shared.check(claims[i]).to_json()
            except BaseException as e:
                errors.append(e)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert together == alone


@pytest.fixture(scope="module")
def dicts() -> list[dict[str, Any]]:
    return with_ids(make_professional(40, seed=5), "C{:04d}")


def _failing(items: list[dict[str, Any]], at: int, error: BaseException
             ) -> itertools.chain[dict[str, Any]]:
    def fail() -> Any:
        raise error
        yield  # a generator

    return itertools.chain(itertools.islice(itertools.cycle(items), at), fail())


@pytest.mark.parametrize("processes", [1, 2])
def test_an_iterable_that_fails_midway_keeps_the_reports_before(
        dicts: list[dict[str, Any]], processes: int) -> None:
    """A generator raising ValueError at item 1,000: one process gave the 1,000 reports and
    then the error; two processes (chunks of 64) gave 768 and lost the 232 claims already
    read (the chunks in flight and the part-read chunk). Now both give all 1,000, in order,
    then the caller's own error."""
    got: list[str | None] = []
    reports = Checker().check_many(_failing(dicts, 1000, ValueError("the source failed")),
                                   processes=processes, chunk_size=64)
    with pytest.raises(ValueError, match=r"^the source failed$"):
        got.extend(report.claim_id for report in reports)
    assert got == [d["claim_id"] for d in itertools.islice(itertools.cycle(dicts), 1000)]


def test_a_keyboard_interrupt_from_the_iterable_ends_the_batch(
        dicts: list[dict[str, Any]]) -> None:
    """Ctrl-C while the input is read ends the batch at once (queued chunks not checked)
    and leaves no worker process behind."""
    with pytest.raises(KeyboardInterrupt):
        list(Checker().check_many(_failing(dicts, 1000, KeyboardInterrupt()), processes=2,
                                  chunk_size=64))
    assert multiprocessing.active_children() == []


def test_a_worker_death_noticed_before_the_next_chunk_is_sent_is_worker_died(
        dicts: list[dict[str, Any]]) -> None:
    """Workers killed while the caller is busy with the reports given: when the pool knew
    it was broken before the next chunk was sent, the pool's own BrokenProcessPool
    escaped from check_many instead of codekit.WorkerDied."""
    reports = Checker().check_many(itertools.cycle(dicts[:20]), processes=2, chunk_size=8)
    first = [next(reports) for _ in range(10)]
    assert [r.claim_id for r in first] == [d["claim_id"] for d in dicts[:10]]
    children = multiprocessing.active_children()
    assert children
    for child in children:
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    for child in children:
        child.join()
    # wait until the pool has noticed, as a caller busy elsewhere would (nothing timed is
    # asserted: had it not noticed, the next result would say it the old way)
    pool = reports.gi_yieldfrom.gi_frame.f_locals["pool"]
    for _ in range(6000):
        if pool._broken:
            break
        threading.Event().wait(0.01)
    with pytest.raises(WorkerDied, match="a worker process died"):
        list(itertools.islice(reports, 10_000))
    assert multiprocessing.active_children() == []


SPAWNED = """
import multiprocessing, sys
sys.path.insert(0, {root!r})

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    import tests.test_concurrency as t
    from codekit import Checker, CheckerError
    from codekit.batch import check_many
    from codekit.rules import rule
    from tests.claims_gen import make_professional, with_ids

    t.FLAG = "set in the parent"
    dicts = with_ids(make_professional(20, seed=5), "C{{:04d}}")
    got = list(check_many(Checker(), dicts, processes=2, chunk_size=4, render=t._flag))
    print(got == [(d["claim_id"], "not set") for d in dicts])
    mine = rule("MY_EDIT", "custom", "warning", "mine")(lambda ctx: [])
    try:
        list(Checker().with_rules(mine).check_many(dicts, processes=2))
    except CheckerError as e:
        print(str(e))
    print(multiprocessing.active_children())
"""


def test_the_start_method_the_program_chose_is_used(tmp_path: Path) -> None:
    """`multiprocessing.set_start_method("spawn")` (a threaded service must not fork) was
    ignored: workers were forked anyway. Under spawn the checker travels pickled; one
    whose custom rule cannot be rebuilt in a worker (a lambda defined in the main block)
    made the pool die ("with fewer processes if it ran out of memory"); now it is a
    CheckerError that says why."""
    script = tmp_path / "spawned.py"
    script.write_text(SPAWNED.format(root=str(ROOT)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "True"
    assert lines[1] == (
        "check_many(processes=N): this checker cannot be sent to worker processes (start "
        "method 'spawn'): AttributeError: module '__mp_main__' has no attribute 'mine'; "
        "define custom rules and render functions at the top level of an importable "
        "module, or check with processes=1")
    assert lines[2] == "[]"


LOADED = """
import multiprocessing, os, sys
sys.path.insert(0, {root!r})

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    from codekit import Checker, CheckerError, hcpcs
    from tests.test_concurrency import _loaded_claims

    hcpcs.load_release({path!r})
    claims = _loaded_claims()
    checker = Checker(policies=())
    one = [r.to_json() for r in checker.check_many(claims)]
    print(one == [r.to_json() for r in checker.check_many(claims, processes=2, chunk_size=4)])
    print(sorted({{f.rule for r in checker.check_many(claims, processes=2, chunk_size=4)
                  for f in r.findings}}))
    os.remove({path!r})  # the file loaded is gone: a worker cannot load it again
    try:
        list(checker.check_many(claims, processes=2, chunk_size=4))
    except CheckerError as e:
        print(str(e))
    print(multiprocessing.active_children())
"""


def _loaded_claims() -> list[dict[str, Any]]:
    """Claims of 2026-07-15 with the code G0000 and the modifier X9, which only the HCPCS
    file of ``tests/test_caches.py`` makes valid."""
    from tests.test_caches import _claim

    return with_ids([_claim().to_dict()] * 12, "H{:04d}")


def test_workers_not_forked_load_the_procedure_files_loaded_by_the_caller(
        tmp_path: Path) -> None:
    """A HCPCS file loaded with hcpcs.load_release answered in the calling process and in
    forked workers, but a spawned worker (or forkserver's) started without it: every
    claim of a batch with processes=2 said PROC_CODE_UNKNOWN for G0000 and MOD_INVALID
    for X9, which the file makes valid. The workers now load the caller's procedure files
    (HCPCS, CPT descriptors, quarterly lists, MPFS) before any claim; a file that cannot
    be loaded again (deleted since) is a CheckerError saying so."""
    from tests.test_caches import write_release

    path = write_release(tmp_path / "HCPC2026_JUL_ANWEB.txt")
    script = tmp_path / "loaded.py"
    script.write_text(LOADED.format(root=str(ROOT), path=str(path)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": os.pathsep.join(
                              [str(ROOT / "src"), str(ROOT)])})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["True", "[]"]
    assert lines[2].startswith(
        "check_many(processes=N): this checker cannot be sent to worker processes (start "
        "method 'spawn'): the procedure files loaded in the calling process (HCPCS, CPT, "
        "quarterly code lists, MPFS) could not be loaded again in a worker: ")
    assert lines[2].endswith("; keep the files where they were loaded from, unchanged, "
                             "until the batch ends, or check with processes=1")
    assert lines[3] == "[]"


def test_a_file_loaded_collecting_row_problems_reaches_spawned_workers(
        tmp_path: Path) -> None:
    """What a worker not forked from the caller loads (batch._procedure_files, unpickled
    in it): a HCPCS file loaded with errors="collect" that had a bad row was read again
    with errors="raise", so every batch with processes=2 under spawn was a CheckerError
    ("could not be loaded again in a worker: MalformedFile ...; keep the files ...
    unchanged") though the file was there, unchanged. It is read again as it was read."""
    import pickle

    from codekit import batch, hcpcs
    from tests.test_caches import _record, write_release

    path = write_release(tmp_path / "HCPC2026_JUL_ANWEB.txt")
    with path.open("a", encoding="latin-1") as f:  # ACT EFF DT month 13: a row problem
        f.write(_record("G0001", "3", "codekit bad row", "bad", "20261399", "20261399")
                + "\r\n")
    try:
        loaded = hcpcs.load_release(path, errors="collect")
        assert [p.line for p in loaded.problems] == [3]
        files = batch._procedure_files()
        assert files is not None
        (release,), descriptors, mpfs, quarters = pickle.loads(files)
        assert (release.path, [p.line for p in release.problems], sorted(release.codes),
                sorted(release.modifiers)) == (path, [3], ["G0000"], ["X9"])
        assert (descriptors, mpfs, quarters) == ([], [], [])
    finally:
        hcpcs.unload_releases()
    assert batch._procedure_files() is None  # loaded, then unloaded: nothing to send


def test_a_user_file_changed_or_loaded_by_a_relative_path_is_not_read_as_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a spawned worker of check_many does with the caller's procedure files
    (batch._procedure_files, unpickled in it): each was read again by the path it was
    loaded by. A HCPCS file rewritten after hcpcs.load_release without its G0000 record
    gave the workers PROC_CODE_UNKNOWN on claims the caller found clean; one loaded as
    ``HCPC2026_JUL_ANWEB.txt`` before an os.chdir was not found, or was another file of
    that name. A file is now read again by its absolute path and must be the content
    loaded (size and sha256), else a DataError names it and what differs (the batch's
    CheckerError, before its first claim). The same for every kind of procedure file."""
    import pickle

    from codekit import DataError
    from codekit._procedures._descriptors import load_descriptors
    from codekit._procedures._mpfs import load_mpfs
    from codekit._procedures._quarter import load_quarter
    from codekit._procedures._release import load_release
    from tests.test_caches import write_release

    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    here.mkdir()
    elsewhere.mkdir()
    write_release(here / "HCPC2026_JUL_ANWEB.txt")
    (elsewhere / "HCPC2026_JUL_ANWEB.txt").write_text(
        (here / "HCPC2026_JUL_ANWEB.txt").read_text(encoding="latin-1").splitlines()[1]
        + "\r\n", encoding="latin-1")  # the modifier X9 only: no G0000
    texts = {"cpt.txt": "99213\tcodekit test descriptor\n",
             "PPRRVU26_JAN.csv": "code,global_days\n99213,XXX\n",
             "codes.csv": "code,status_indicator\n99213,V\n"}
    for name, text in texts.items():
        (here / name).write_text(text, encoding="utf-8")
        (elsewhere / name).write_text(text.replace("99213", "99214"), encoding="utf-8")
    monkeypatch.chdir(here)  # each loaded by a relative path
    loaded = [load_release("HCPC2026_JUL_ANWEB.txt"), load_descriptors("cpt.txt"),
              load_mpfs("PPRRVU26_JAN.csv"), load_quarter("codes.csv", effective="2026-07-01")]
    sent = [pickle.dumps(f) for f in loaded]
    monkeypatch.chdir(elsewhere)  # another file of each name here
    again = [pickle.loads(s) for s in sent]
    assert sorted(again[0].codes) == ["G0000"]
    assert [list(again[1].titles), list(again[2].indicators), list(again[3].codes)] == \
        [["99213"]] * 3
    assert [a.path for a in again] == [here / f.path for f in loaded]
    for f, s in zip(loaded, sent, strict=True):  # rewritten where it was loaded
        (here / f.path).write_bytes((elsewhere / f.path).read_bytes())
        with pytest.raises(DataError) as e:
            pickle.loads(s)
        size = (elsewhere / f.path).stat().st_size
        assert str(e.value).startswith(
            f"{here / f.path}: not the file that was loaded (changed or replaced since): "
            f"it now has {size:,} bytes, sha256 ")
        assert str(e.value).endswith(
            f"; loaded, it had {f.source.size:,} bytes, sha256 {f.source.sha256}")


def test_a_checker_that_does_not_pickle_is_said_before_any_work(
        dicts: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a start method other than fork, a checker whose rule is a local lambda is a
    CheckerError before a worker starts (it was the pool's raw pickling error); forked
    workers need no pickling and answer as one process."""
    from codekit.rules import rule

    def local() -> Any:
        return rule("MY_EDIT", "custom", "warning", "mine")(lambda ctx: [])

    checker = Checker().with_rules(local())
    one = [r.to_json() for r in checker.check_many(dicts)]
    assert [r.to_json() for r in checker.check_many(dicts, processes=2, chunk_size=8)] == one
    monkeypatch.setattr(multiprocessing, "get_start_method",
                        lambda allow_none=False: "forkserver")
    with pytest.raises(CheckerError, match=(
            r"start method 'forkserver'\): AttributeError: Can't pickle local object "
            r"'test_a_checker_that_does_not_pickle_is_said_before_any_work.<locals>.local."
            r"<locals>.<lambda>'")):
        next(checker.check_many(dicts, processes=2))
    assert multiprocessing.active_children() == []


#: Tables and answers opened on first use. They were kept in a one-item list: ``if not L:
#: ... L.append(...)`` then ``return L[0]``, and a clear_caches() (or any data change, for
#: the coverage answers) in another thread between the two made ``L[0]`` an IndexError in
#: the checking thread: seen with 8 threads checking while another called clear_caches()
#: (``icd10cm/_ioce.py`` ``ioce_principal``, from the POA rules). Each is now a
#: ``_cache.Once``, which returns what it read or made.
LAZY = [
    ("codekit.icd10cm._ioce", "ioce_principal", ()),
    ("codekit.poa", "_load", ()),
    ("codekit.procedure", "cs_waiver_eligible", ("99213",)),
    ("codekit.rules.context", "_procedure_coverage", ()),
    ("codekit.icd10cm", "coverage", ()),
    ("codekit.icd10pcs", "coverage", ()),
]


@pytest.mark.parametrize(("module", "name", "args"), LAZY)
def test_caches_emptied_at_every_line_of_a_lazy_table_read(
        module: str, name: str, args: tuple[Any, ...]) -> None:
    """The caches emptied (as another thread would) before every line the function and
    the holder it reads run: each call still answers, and as before."""
    import importlib

    import codekit
    from codekit import _cache

    fn = getattr(importlib.import_module(module), name)
    expected = fn(*args)  # opened once
    watched = {fn.__code__, _cache.Once.get.__code__}
    fired: list[int] = []

    def in_fn(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            fired.append(frame.f_lineno)
            codekit.clear_caches()
        return in_fn

    def calls(frame: Any, event: str, arg: Any) -> Any:
        return in_fn if frame.f_code in watched else None

    before = sys.gettrace()
    sys.settrace(calls)
    try:
        got = fn(*args)
    finally:
        sys.settrace(before)
    assert fired
    # a table opened again is another object of the same file; answers are equal
    assert got == expected if isinstance(expected, tuple | bool) else \
        type(got) is type(expected)
