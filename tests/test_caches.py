"""One owner for caches: loading or unloading data changes every answer at once.

Regression tests for the stale answers of the first architecture review: after
``hcpcs.load_release`` a new or existing Checker still reported ``PROC_CODE_UNKNOWN``; a
modifier loaded the same way stayed ``MOD_INVALID`` (an ``lru_cache`` nothing cleared);
the policy code-set checks were ``lru_cache``s never cleared, one of them asking
``today()`` inside.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import codekit
from codekit import Checker, Claim, PolicyError, _cache, hcpcs, modifiers, policies, procedure

ON = "2026-07-15"  # after the bundled IOCE quarters end (2026-06-30)


def _record(hcpc: str, recid: str, long: str, short: str, add: str, acteff: str) -> str:
    """One 320-character record of the CMS HCPCS ANWEB text file."""
    line = [" "] * 320
    for pos, text, width in ((0, hcpc.rjust(5), 5), (5, "00100", 5), (10, recid, 1),
                             (11, long, 80), (91, short, 28), (268, add, 8),
                             (276, acteff, 8), (292, "A", 1)):
        line[pos:pos + width] = list(text.ljust(width)[:width])
    return "".join(line)


def write_release(path: Path) -> Path:
    """Write at ``path`` a HCPCS file for July 2026 adding the code G0000 and the
    modifier X9."""
    path.write_text("\r\n".join([
        _record("G0000", "3", "codekit test new code", "codekit g0000", "20260701",
                "20260701"),
        _record("X9", "7", "codekit test new modifier", "codekit x9", "20260701",
                "20260701"),
    ]) + "\r\n", encoding="latin-1")
    return path


@pytest.fixture
def release_file(tmp_path: Path) -> Iterator[Path]:
    """A HCPCS file for July 2026 adding the code G0000 and the modifier X9; whatever a
    test loads into the process-wide store is unloaded after it."""
    yield write_release(tmp_path / "HCPC2026_JUL_ANWEB.txt")
    hcpcs.unload_releases()


def _claim() -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "commercial",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": ON,
        "diagnoses": ["I10"],
        "service_lines": [{"procedure_code": "G0000", "units": 1, "diagnosis_pointers": [1]},
                          {"procedure_code": "99213", "modifiers": ["X9"], "units": 1,
                           "diagnosis_pointers": [1]}]})


def _rules(checker: Checker) -> set[str]:
    return {f.rule for f in checker.check(_claim()).findings}


def test_loading_a_hcpcs_file_changes_every_checker_at_once(release_file: Path) -> None:
    existing = Checker(policies=())
    assert not hcpcs.is_valid("G0000", on=ON)
    assert {"PROC_CODE_UNKNOWN", "MOD_INVALID"} <= _rules(existing)
    generation = _cache.generation()

    hcpcs.load_release(release_file)

    assert _cache.generation() > generation
    assert hcpcs.is_valid("G0000", on=ON) and modifiers.is_valid("X9", on=ON)
    assert _rules(existing) == set()  # the checker made before the load
    assert _rules(Checker(policies=())) == set()  # and a new one

    hcpcs.unload_releases()

    assert {"PROC_CODE_UNKNOWN", "MOD_INVALID"} <= _rules(existing)
    assert not modifiers.is_valid("X9", on=ON)


def test_a_modifier_loaded_from_a_file_is_no_longer_invalid(release_file: Path) -> None:
    checker = Checker(policies=())
    claim = Claim.from_dict({**_claim().to_dict(), "service_lines": [
        {"procedure_code": "99213", "modifiers": ["X9"], "units": 1,
         "diagnosis_pointers": [1]}]})
    assert [f.rule for f in checker.check(claim).findings] == ["MOD_INVALID"]
    hcpcs.load_release(release_file)
    assert checker.check(claim).findings == ()


POLICY = """
rule TEST-G0000
  payer: commercial
  source: "codekit test"
  for each line where procedure in G0000
  require pointed dx in I10
end
"""


def test_policy_code_checks_follow_the_data(release_file: Path) -> None:
    with pytest.raises(PolicyError) as e:
        policies.loads(POLICY)
    assert e.value.kind == "unknown_code"
    hcpcs.load_release(release_file)
    assert policies.loads(POLICY).ids == ("TEST-G0000",)


def test_no_cached_answer_depends_on_today() -> None:
    """A cache may not hide a call to today(): its answer would outlive the day."""
    from codekit.policies import _codesets

    for fn in (_codesets._icd_problem, _codesets._procedure_problem,
               _codesets._modifier_problem):
        assert "today(" not in inspect.getsource(fn)


def test_every_cache_is_registered_and_emptied() -> None:
    codekit.icd10cm.validate("E11.9", on=dt.date(2025, 11, 3))
    codekit.procedure.resolve("99213", on=dt.date(2025, 11, 3))
    held = _cache.sizes()
    assert held["icd10cm.seen"] > 0 and held["procedure.resolved"] > 0
    codekit.clear_caches()
    assert not any(_cache.sizes().values())
    # answers do not change
    assert codekit.icd10cm.validate("E11.9", on=dt.date(2025, 11, 3)).code == "E119"


def _race(cache: _cache.BoundedCache[str, Any], key: str, theirs: Any) -> Any:
    """A weigher that, the first time it is asked, lets another thread write ``theirs``
    under ``key`` and waits for it: a thread switch in the middle of a write, at one
    fixed point."""
    import threading

    done: list[bool] = []

    def weigh(k: object, v: Any) -> int:
        if not done:
            done.append(True)
            other = threading.Thread(target=cache.__setitem__, args=(key, theirs))
            other.start()
            other.join()
        return 100 + len(v)

    return weigh


def _held(cache: _cache.BoundedCache[str, Any]) -> int:
    return sum(cache.cost(k, v) for k, v in dict.items(cache))


@pytest.mark.parametrize(("before", "theirs"), [
    (None, "other answer"),  # two threads meet a new key at once
    (None, ()),  # ... with a shared value (the empty tuple), as note groups are
    ("old", "other answer"),  # two threads replace an entry at once
])
def test_two_threads_writing_one_key_count_it_once(before: str | None, theirs: Any) -> None:
    """A cache's byte count is what it holds, whatever threads write at once: the count
    was read, the entry weighed (a thread switch there) and assigned, so a key two threads
    wrote counted twice (16 threads over 900 claims left 12 caches' counts off, the
    capacity shrinking for good), and a replaced entry was taken off twice."""
    cache: _cache.BoundedCache[str, Any] = _cache.BoundedCache(
        weigher=lambda k, v: 100 + len(v))
    if before is not None:
        cache["E119"] = before
    cache.weigher = _race(cache, "E119", theirs)
    cache["E119"] = "mine" if theirs != () else ()
    assert dict.items(cache) == {("E119", "mine" if theirs != () else ())}
    assert cache.nbytes == _held(cache) == 100 + (4 if theirs != () else 0)


def test_a_value_made_once_is_returned_though_emptied_meanwhile() -> None:
    """`_cache.Once`, the holder for a table opened on first use: emptied by clear_caches
    while it is being made (another thread's clear, here from inside the making), the
    caller still gets what was made; the next use makes it again."""
    made: list[int] = []

    def make() -> tuple[str, int]:
        made.append(1)
        codekit.clear_caches()
        return ("table", len(made))

    once = _cache.Once("test.once", make, tables=True)
    assert once.get() == ("table", 1)
    assert once.get() == ("table", 1) and len(made) == 1  # kept
    _cache.data_changed()  # a table: a plain data change keeps it
    assert once.get() == ("table", 1)
    codekit.clear_caches()
    assert _cache.sizes()["test.once"] == 0
    assert once.get() == ("table", 2)
    # made while the data changed: answered, not kept (it may be of the old data)
    changing = _cache.Once("test.once_data", lambda: (_cache.data_changed(), made.append(1),
                                                     len(made))[2])
    assert changing.get() == 3 and changing.get() == 4
    assert _cache.sizes()["test.once_data"] == 0


def test_a_value_begun_while_data_changes_is_not_kept() -> None:
    """A change moves the generation before the data changes: a Once that began making its
    value after that (from the old data) and kept it if the generation had not moved since
    kept it for good, the change's emptying having come before (icd10cm.coverage, the
    procedure coverage asked outside a check). It begins with the count of finished
    changes, as a check does (events only, no timing)."""
    import threading

    data = ["old"]
    began, changed = threading.Event(), threading.Event()

    def make() -> str:
        value = data[0]  # read before the change lands
        began.set()
        assert changed.wait(60)
        return value

    once = _cache.Once("test.once_across_a_change", make)
    got: list[str] = []
    making = threading.Thread(target=lambda: got.append(once.get()))
    with _cache.changing():
        making.start()
        assert began.wait(60)
        data[0] = "new"
    changed.set()  # the change emptied the caches and is counted: the value comes now
    making.join()
    assert got == ["old"]  # answered to its caller, as made
    assert once.value is None and once.get() == "new"  # not kept


def test_a_change_cut_short_while_emptying_the_caches_is_counted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A change whose emptying of the caches was cut short (a KeyboardInterrupt) was never
    counted finished: from then on every check saw the generation ahead of the count it
    began with, emptied every answer cache and checked its claim twice."""
    real_clear, real_settle = _cache._clear, _cache.settle

    def clear(level: int) -> None:
        monkeypatch.setattr(_cache, "_clear", real_clear)  # once
        raise KeyboardInterrupt

    monkeypatch.setattr(_cache, "_clear", clear)
    generation, changes = _cache.generation(), _cache.changes()
    with pytest.raises(KeyboardInterrupt):
        _cache.data_changed()
    assert (_cache.generation() - generation, _cache.changes() - changes) == (1, 1)
    settled: list[int] = []

    def settle() -> int:
        settled.append(1)
        return real_settle()

    monkeypatch.setattr(_cache, "settle", settle)
    _rules(Checker(policies=()))
    assert settled == []  # checked once, its answers kept


def test_a_load_failing_half_way_leaves_the_store_as_it_was(
        release_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A HCPCS file or quarterly list added while the bundled quarters cannot be read
    (opened on first use) was listed by the store with no window, its generation and
    entries left as they were: answered as not loaded, yet sent to spawned workers
    (batch._procedure_files) as loaded. The store stays as it was; the change is
    counted."""
    from codekit._procedures._quarter import load_quarter
    from codekit._procedures._release import load_release
    from codekit.errors import DataError
    from codekit.procedure import ProcedureStore

    quarter = tmp_path / "codes.csv"
    quarter.write_text("code,status_indicator\n99213,V\n", encoding="utf-8")
    store = ProcedureStore()

    def unread(self: ProcedureStore) -> Any:
        raise DataError("the bundled quarters cannot be read")

    monkeypatch.setattr(ProcedureStore, "quarters", property(unread))
    generation, changes = _cache.generation(), _cache.changes()
    with pytest.raises(DataError, match="cannot be read"):
        store.add_release(load_release(release_file))
    with pytest.raises(DataError, match="cannot be read"):
        store.add_quarter(load_quarter(quarter, effective="2026-07-01"))
    assert (store.releases, store.quarter_files, store.generation) == ([], [], 0)
    assert (_cache.generation() - generation, _cache.changes() - changes) == (2, 2)
    monkeypatch.undo()
    store.add_release(load_release(release_file))
    assert hcpcs.is_valid("G0000", on=ON, store=store)


def test_a_check_across_a_data_load_answers_with_the_new_data(release_file: Path) -> None:
    """A check running while another thread loads a HCPCS file read the old data's
    answers, and remembered some (the modifier look-up) after the load had emptied the
    caches: its report mixed old and new, and later checks kept X9 MOD_INVALID until the
    next data change. Here the load happens inside the check, at its last rule, as another
    thread's would."""
    from codekit.rules import rule

    loaded: list[int] = []

    @rule("ZZ_LOAD_MIDWAY", "custom", "warning", "test: loads a HCPCS file mid-check")
    def load_midway(ctx: Any) -> Iterator[Any]:
        if not loaded:
            loaded.append(1)
            hcpcs.load_release(release_file)
        return iter(())

    checker = Checker(policies=()).with_rules(load_midway)
    assert _rules(Checker(policies=())) >= {"PROC_CODE_UNKNOWN", "MOD_INVALID"}  # old data
    assert {f.rule for f in checker.check(_claim()).findings} == set()  # the new data's
    assert loaded == [1]
    assert _rules(Checker(policies=())) == set()  # and after it


def test_a_check_ending_while_a_load_empties_the_caches_keeps_no_old_answer(
        release_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that read the old data (X9 not a modifier) and remembered the answer after
    another thread's load had emptied the caches, ending before that load counted itself
    finished, was not checked again: its old answer stayed remembered for good (every
    later claim with X9 said MOD_INVALID while the loaded file says it is valid). Here
    the checking thread works out X9 before the load, writes it after the load emptied
    the caches, and the load waits in between until the check has ended or waits for it
    (events only, no timing)."""
    import threading

    from codekit.rules import modifier_edits

    real_validate, real_clear, real_settle = modifiers.validate, _cache._clear, _cache.settle
    worked_out, emptied, check_over = threading.Event(), threading.Event(), threading.Event()

    class Modifiers:  # the modifier code system, X9 answered from the old data but late
        def __getattr__(self, name: str) -> Any:
            return getattr(modifiers, name)

        def validate(self, code: str, *, on: object = None) -> Any:
            try:
                return real_validate(code, on=on)
            finally:
                if code == "X9" and not worked_out.is_set():
                    worked_out.set()
                    assert emptied.wait(60)

    def clear(level: int) -> None:
        real_clear(level)
        if worked_out.is_set() and not emptied.is_set():  # the load's, not settle's
            emptied.set()
            assert check_over.wait(60)

    def settle() -> int:
        check_over.set()  # the check waits for the load to finish
        return real_settle()

    monkeypatch.setattr(modifier_edits, "_modifiers", Modifiers())
    monkeypatch.setattr(_cache, "_clear", clear)
    monkeypatch.setattr(_cache, "settle", settle)
    _cache.data_changed()  # nothing remembered of X9
    reports: list[set[str]] = []

    def check() -> None:
        try:
            reports.append(_rules(Checker(policies=())))
        finally:
            check_over.set()

    checking = threading.Thread(target=check)
    checking.start()
    assert worked_out.wait(60)
    hcpcs.load_release(release_file)
    checking.join()
    assert reports == [set()]  # the new data's report
    assert _rules(Checker(policies=())) == set()  # and no old answer stayed


@pytest.mark.parametrize("verb", ["resolve", "lookup"])
def test_an_answer_worked_out_before_a_load_and_remembered_after_it_is_not_kept(
        release_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        verb: str) -> None:
    """Outside a check nothing settles a data change: a thread that worked out an answer
    from the old data, was held up while another thread's load ran to its end, then
    remembered it, left that answer for good. procedure.resolve("G0000") on 2026-07-15
    said unknown though the HCPCS file loaded makes it valid (1 time in 1,500 load cycles
    with two threads); hcpcs.lookup("99213") kept no global days though the MPFS file
    loaded gives XXX. An answer worked out before a change began is not remembered after
    it (events only, no timing)."""
    import threading

    from codekit._procedures import _codes, _facts

    day = dt.date.fromisoformat(ON)
    worked_out, loaded = threading.Event(), threading.Event()
    module, name = (_facts, "_resolve") if verb == "resolve" else (_codes, "CptEntry")
    real = getattr(module, name)

    def late(*args: Any, **kwargs: Any) -> Any:  # worked out, remembered only later
        found = real(*args, **kwargs)
        if threading.current_thread() is not threading.main_thread():
            worked_out.set()
            assert loaded.wait(60)
        return found

    monkeypatch.setattr(module, name, late)
    rvu = tmp_path / "PPRRVU26_JAN.csv"
    rvu.write_text("code,global_days\n99213,XXX\n", encoding="utf-8")

    def ask() -> object:
        if verb == "resolve":
            entry = procedure.resolve("G0000", on=day).entry
            return entry is not None and entry.valid
        return procedure.lookup("99213", on=day).global_days

    _cache.data_changed()  # nothing remembered
    before = ask()
    _cache.data_changed()
    asking = threading.Thread(target=ask)
    asking.start()
    assert worked_out.wait(60)
    try:
        if verb == "resolve":
            hcpcs.load_release(release_file)
        else:
            procedure.load_mpfs(rvu)
        loaded.set()
        asking.join()
        assert (before, ask()) == ((False, True) if verb == "resolve" else (None, "XXX"))
    finally:
        loaded.set()
        procedure.unload_mpfs()


def test_tables_shared_through_a_symlink_do_not_read_through_it(tmp_path: Path) -> None:
    """A store opened first on a temporary folder of symlinks to the bundled files (what
    the search-index build does) made the shared tables read through that folder: once it
    was gone, every new store of the bundled files failed ("no such file .../procedures/
    codes.ckt"), in whichever test ran next."""
    from codekit._paths import bundled_data_dir
    from codekit.procedure import ProcedureStore

    links = tmp_path / "links"
    (links / "procedures").mkdir(parents=True)
    for name in ("codes.ckt", "modifiers.ckt"):
        (links / "procedures" / name).symlink_to(bundled_data_dir() / "procedures" / name)
    codekit.clear_caches()  # the shared tables are opened anew, by the temporary store
    first = ProcedureStore(links)
    assert procedure.lookup("99213", on="2025-06-01", store=first).code == "99213"
    for name in ("codes.ckt", "modifiers.ckt"):
        (links / "procedures" / name).unlink()
    later = ProcedureStore()
    assert procedure.lookup("G0438", on="2025-06-01", store=later).code == "G0438"
    assert modifiers.lookup("RT", on="2025-06-01", store=later).code == "RT"
    codekit.clear_caches()


# -- streams over several years -------------------------------------------------------------
# Memos forget their oldest entries first, so a stream whose distinct keys outnumber a
# memo's bound re-does every answer (a claim stream over three years, checked again: 58 ->
# 35 us a claim; the I/OCE cross-check's 6,000 claims over seven years: 339 -> 150 us).


def test_a_stream_over_years_keeps_its_not_run_reasons() -> None:
    """Without the practitioner PTP and MUE tables each claim's not-run list names its
    date: three years of dates (two reasons a day) stay remembered, one shared ``NotRun``
    per reason (256 entries held about four months of them)."""
    codekit.clear_caches()
    checker = Checker()
    first = dt.date(2023, 1, 2)
    claims = [Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": day.isoformat(),
        "patient": {"sex": "F", "age": 70}, "diagnoses": ["M17.11"],
        "service_lines": [{"procedure_code": "99213", "diagnosis_pointers": [1]},
                          {"procedure_code": "20610", "diagnosis_pointers": [1]}]})
        for day in (first + dt.timedelta(days=k) for k in range(3 * 365))]
    before = checker.check(claims[0]).not_run
    assert [(rule, why.split(":")[0]) for rule, why in before] == [
        ("EM_MINOR_PROC_NO_MOD25", "no NCCI practitioner PTP table covers 2023-01-02"),
        ("NCCI_PTP_CONFLICT", "no NCCI practitioner PTP table covers 2023-01-02"),
        ("MUE_EXCEEDED", "no NCCI practitioner MUE table covers 2023-01-02")]
    for c in claims[1:]:
        checker.check(c)
    assert _cache.sizes()["rules.not_run"] == 2 * 3 * 365
    assert checker.check(claims[0]).not_run == before


def test_a_stream_over_years_keeps_its_procedure_resolutions() -> None:
    """20,000 (code, day) pairs, about what three years of professional claims meet, stay
    remembered: the first one is answered by the same object at the end (8 MB held about
    13,700 of them)."""
    codekit.clear_caches()
    codes = ["99213", "99214", "36415", "80053", "85025", "93000", "71046", "97110",
             "G0439", "J1100", "20610", "11721", "17000", "96372", "90471", "81002",
             "83036", "84443", "80061", "99203"]
    first = dt.date(2023, 1, 2)
    days = [first + dt.timedelta(days=k) for k in range(1000)]
    kept = procedure.resolve(codes[0], on=days[0])
    assert kept.entry is not None and kept.entry.on == days[0]
    for day in days:
        for code in codes:
            procedure.resolve(code, on=day)
    assert procedure.resolve(codes[0], on=days[0]) is kept
