"""Memory that comes back (issue 11, item 5): a store a caller makes and drops is freed
with everything cached about it; caches stay under their bounds (entries and bytes)
whatever the input; junk longer than a code is answered but not remembered.

RSS over millions of inputs is measured by ``bench/bench_memory.py``, not here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import weakref
from pathlib import Path

import pytest

from codekit import _cache, icd10cm, icd10pcs, procedure
from codekit.errors import CodekitError


def _freed(ref: weakref.ref[object]) -> bool:
    gc.collect()
    return ref() is None


def test_a_dropped_icd10cm_store_is_freed_with_its_caches(tmp_path: Path) -> None:
    store = icd10cm.Store(user=tmp_path)
    assert icd10cm.validate("E11.65", on="2025-06-01", store=store).title == \
        "Type 2 diabetes mellitus with hyperglycemia"
    assert icd10cm.lookup("E11", on="2025-06-01", store=store).billable is False
    assert icd10cm.is_valid("G35", on="2025-10-01", store=store) is False
    with pytest.raises(CodekitError):  # a header: explained, the explanation remembered
        icd10cm.validate("E11", on="2025-06-01", store=store)
    assert icd10cm.suggest("E11.6S", on="2025-06-01", store=store)[0] == "E11.65"
    assert icd10cm.search("diabetes with hyperglycemia", on="2025-06-01", store=store)
    assert _cache.sizes()["icd10cm.search_index"] >= 1
    ref = weakref.ref(store)
    del store
    assert _freed(ref)


def test_a_dropped_icd10pcs_store_is_freed_with_its_caches(tmp_path: Path) -> None:
    store = icd10pcs.Store(user=tmp_path)
    assert icd10pcs.validate("0DTJ4ZZ", on="2025-06-01", store=store).code == "0DTJ4ZZ"
    assert icd10pcs.is_valid("0DTJ4ZZ", on="2025-06-01", store=store)
    assert icd10pcs.search("appendectomy", on="2025-06-01", store=store)
    ref = weakref.ref(store)
    del store
    assert _freed(ref)


def test_forty_stores_made_and_dropped_leave_no_cache_behind(tmp_path: Path) -> None:
    before = _cache.sizes()["icd10cm.search_index"]
    refs = []
    for _ in range(40):
        store = icd10cm.Store(user=tmp_path)
        icd10cm.validate("E11.65", on="2025-06-01", store=store)
        refs.append(weakref.ref(store))
        del store
    gc.collect()
    assert not any(r() for r in refs)
    assert _cache.sizes()["icd10cm.search_index"] == before


def test_the_registry_keeps_one_store_per_folder_and_forgets_them(tmp_path: Path) -> None:
    from codekit.icd10cm import _store

    a = _store.open_store(None, tmp_path)
    assert _store.open_store(None, tmp_path) is a
    assert _store.default_store() is _store.default_store()
    ref = weakref.ref(a)
    del a
    _store.forget_stores()
    assert _freed(ref)
    assert _store.default_store().releases[-1].id.startswith("FY")


def test_a_bounded_cache_forgets_the_oldest_past_either_bound() -> None:
    c: _cache.BoundedCache[str, str] = _cache.BoundedCache(max_entries=100, max_bytes=10**9)
    for i in range(1000):
        c[f"K{i}"] = "x"
    assert len(c) <= 100
    assert "K999" in c and "K0" not in c
    b: _cache.BoundedCache[str, str] = _cache.BoundedCache(max_entries=10**6, max_bytes=100_000)
    for i in range(10_000):
        b[f"K{i}"] = "y" * 900
    assert b.nbytes <= 100_000
    assert 50 <= len(b) <= 100
    b.clear()
    assert b.nbytes == 0 and not b


def test_a_bounded_cache_keeps_no_over_long_key_and_counts_its_writes() -> None:
    c: _cache.BoundedCache[object, int] = _cache.BoundedCache()
    c["E11.9" * 20] = 1
    c[("E11.9" * 20, dt.date(2025, 6, 1))] = 2
    assert len(c) == 0 and c.nbytes == 0
    c["E119"] = 1
    cost = c.nbytes
    c["E119"] = 2  # replaced, not counted twice
    assert c.nbytes == cost
    assert c.setdefault("I10", 3) == 3 and c.pop("I10") == 3
    assert c.nbytes == cost
    del c["E119"]
    assert c.nbytes == 0


def _a_kilobyte(key: object, value: object) -> int:
    return 1000


def test_a_cache_with_a_weigher_counts_what_it_says_and_pickles_with_it() -> None:
    import pickle

    weigher = _a_kilobyte
    c: _cache.BoundedCache[str, str] = _cache.BoundedCache(
        max_entries=10**6, max_bytes=10_000, max_key=None, weigher=weigher)
    for i in range(100):
        c[f"K{i}"] = "y"
    assert 1 <= len(c) <= 10 and c.nbytes == 1000 * len(c)
    copy = pickle.loads(pickle.dumps(c))
    assert (len(copy), copy.weigher, copy.max_key, copy.max_bytes) == (0, weigher, None, 10_000)
    assert pickle.loads(pickle.dumps(_cache.BoundedCache(5, 6))).weigher is None


def test_resolved_procedures_are_counted_as_weighing_them_would() -> None:
    """procedure.resolve's memo sums a valid code's weight from its varying parts instead
    of weighing it: the sum must be what weighing says (a Resolved or key that changed
    shape would break it); an error is weighed."""
    from codekit import procedure
    from codekit._procedures import _facts

    day = dt.date(2025, 11, 3)
    for raw in ("99213", "G2211", " 55700 ", "0001A", "99201"):
        r = procedure.resolve(raw, on=day)
        weighed = _cache.weigh((raw, day)) + _cache.weigh(r) + _cache.ENTRY_OVERHEAD
        assert _facts._weigh((raw, day), r) == weighed, raw
    assert procedure.resolve("99201", on=day).error is not None  # deleted in 2023


def test_every_registered_dict_cache_is_bounded_by_bytes() -> None:
    import codekit.claims  # noqa: F401 - registers claims.lines

    bounds = _cache.limits()
    #: the caches given a larger byte budget on purpose, with what they were given
    larger = {"pandas.answers": 64 << 20,  # a column's distinct invalid cells and their fixes
              "pandas.codes": 32 << 20}  # every code ever valid, once, as a column's cells
    for name, (entries, nbytes) in bounds.items():
        assert 0 < entries <= _cache.DEFAULT_MAX_ENTRIES
        assert 0 < nbytes <= larger.get(name, _cache.DEFAULT_MAX_BYTES), name
    for name in ("icd10cm.keys", "icd10cm.raw_masks", "procedure.keys", "procedure.parsed",
                 "procedure.resolved", "claims.lines", "icd10pcs.answers"):
        entries, nbytes = bounds[name]
        assert entries <= _cache.DEFAULT_MAX_ENTRIES
        assert nbytes <= _cache.DEFAULT_MAX_BYTES


def test_set_limits_shrinks_a_cache_now() -> None:
    for i in range(3000):
        icd10cm.is_valid(f"Z{i:05d}", on="2025-06-01")
    assert _cache.sizes()["icd10cm.raw_masks"] >= 3000
    try:
        _cache.set_limits(max_entries=1000, name="icd10cm.raw_masks")
        assert _cache.sizes()["icd10cm.raw_masks"] <= 1000
        assert icd10cm.is_valid("E11.65", on="2025-06-01")
    finally:
        _cache.set_limits(max_entries=200_000, name="icd10cm.raw_masks")


def test_junk_longer_than_a_code_is_answered_not_remembered() -> None:
    _cache.clear_caches()
    junk = ["E11.9" + "x" * 1000 + str(i) for i in range(500)]
    for j in junk:
        assert icd10cm.is_valid(j, on="2025-06-01") is False
        with pytest.raises(CodekitError):
            icd10cm.validate(j, on="2025-06-01")
        with pytest.raises(CodekitError):
            procedure.validate(j, on="2025-06-01")
    held = _cache.nbytes()
    # nothing of a kilobyte per input was kept: far below 500 x 1 KB
    assert held["icd10cm.keys"] < 50_000
    assert held["icd10cm.raw_masks"] < 50_000
    assert held["procedure.parsed"] < 50_000


def test_icd10cm_remembered_answers_stay_bounded_over_distinct_junk() -> None:
    from codekit.icd10cm import _codes

    _cache.clear_caches()
    limit = _codes.SEEN_MAX
    try:
        _codes.SEEN_MAX = (2000, 200_000)
        for i in range(6000):
            with pytest.raises(CodekitError):
                icd10cm.validate(f"Q{i:05d}!", on="2025-06-01")
            assert _codes._SEEN_SIZE[0] <= 2000 and _codes._SEEN_SIZE[1] <= 200_000 + 10_000
        assert icd10cm.validate("E11.65", on="2025-06-01").code == "E1165"
    finally:
        _codes.SEEN_MAX = limit


def test_procedure_entries_over_distinct_days_stay_bounded() -> None:
    _cache.clear_caches()
    day = dt.date(2016, 1, 1)
    try:
        _cache.set_limits(max_entries=500, name="procedure.entries")
        for i in range(3000):
            on = day + dt.timedelta(days=i)
            with contextlib.suppress(CodekitError):
                procedure.validate("99201", on=on)
            assert _cache.sizes()["procedure.entries"] <= 500
        procedure.suggest("9920", on=day)
        assert _cache.sizes()["procedure.entries"] <= 500
    finally:
        _cache.set_limits(max_entries=100_000, name="procedure.entries")
    # the answers are the same as from a fresh cache: deleted at the end of 2020
    assert procedure.validate("99201", on="2020-12-31").code == "99201"
    with pytest.raises(CodekitError, match="2020-12-31"):
        procedure.validate("99201", on="2021-01-01")


def test_junk_claims_leave_no_kilobyte_per_claim_in_the_caches() -> None:
    from codekit import Checker, Claim

    checker = Checker()
    _cache.clear_caches()

    def junk_claim(i: int) -> Claim:
        return Claim.from_dict({
            "claim_type": "professional", "payer": "medicare",
            "patient": {"sex": "F", "birth_date": "1960-05-17"},
            "date_of_service": "2025-11-03", "diagnoses": ["E11.9" + "q" * 900 + str(i)],
            "service_lines": [{"procedure_code": "99213", "modifiers": ["Z" * 900 + str(i)],
                               "units": 1, "diagnosis_pointers": [1]}]})

    rules = {f.rule for f in checker.check(junk_claim(0)).findings}
    assert rules == {"DX_FORMAT_INVALID", "MOD_INVALID"}
    # what the first claim fills once (the policies' code sets compiled: 290 KB of entries
    # since the Medicare Part B preventive list) is no claim's cost
    first = sum(_cache.nbytes().values())
    for i in range(1, 200):
        checker.check(junk_claim(i))
    assert _cache.sizes()["rules.modifier_problems"] == 0
    assert _cache.sizes()["icd10cm.seen"] < 10  # not one a claim
    assert sum(_cache.nbytes().values()) - first < 199 * 900
