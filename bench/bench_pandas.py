"""Notebooks and DataFrames (issue 15): whole columns and search, codekit and the peer side
by side in one run.

    pip install -e '.[pandas,bench]' && python bench/bench_pandas.py [--rows 1000000]

1. **Column validation**, ``codekit.pandas.validate(codes, on=dates)`` with its result
   columns (code, valid, billable, rule, message, fix, title, release, note), against
   simple_icd_10_cm 1.5.0 applied row by row on the same column (billable flag and title;
   it has no dates). Two workloads of ``--rows`` rows:

   - *realistic*: 50,000 distinct codes (ever-billable codes, 1,000 headers, 500 typos;
     half written with the dot), drawn with a Zipf-like repeat pattern, dates of service
     spread over ten years (2016-2025);
   - *all distinct*: no (code, date) pair twice (every ever-billable code on a dozen
     dates).

   codekit is timed reading its tables (``icd10cm.preload()`` after ``clear_caches()``),
   then on its first call (every (code, date) new to it: the all-distinct target) and warm
   (the realistic target: a notebook validating its columns again and again);
   the peer's import (its XML parse) is not counted.
2. **Search**: the queries of ``tests/search_queries.csv``, warm (p50/p95/max), the index
   load in a fresh interpreter, and the share of queries whose expected code is in the
   top 5.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _pool(rng: np.random.Generator) -> list[str]:
    from codekit.icd10cm._store import default_store

    s = default_store()
    ever = sorted(s.validity.masks)
    heads = sorted({c for r in s.releases for c in r.codes} - set(ever))
    pool = [str(x) for x in rng.choice(ever, 48_500, replace=False)]
    pool += [str(x) for x in rng.choice(heads, 1_000, replace=False)]
    pool += [str(c)[:-1] + ("O" if str(c)[-1] == "0" else "0")
             for c in rng.choice(ever, 500, replace=False)]
    pool = [c[:3] + "." + c[3:] if len(c) > 3 and i % 2 else c for i, c in enumerate(pool)]
    rng.shuffle(pool)
    return pool


def realistic(rows: int, rng: np.random.Generator) -> tuple[pd.Series, pd.Series]:
    pool = _pool(rng)
    zipf = np.minimum(rng.zipf(1.2, rows) - 1, len(pool) - 1)
    uniform = rng.integers(0, len(pool), rows)
    ranks = np.where(rng.random(rows) < 0.8, zipf, uniform)  # every code appears
    codes = pd.Series(np.array(pool, dtype=object)[ranks], dtype=object)
    days = pd.Series(pd.Timestamp("2016-01-01")
                     + pd.to_timedelta(rng.integers(0, 3653, rows), unit="D"))
    return codes, days


def all_distinct(rows: int, rng: np.random.Generator) -> tuple[pd.Series, pd.Series]:
    from codekit.icd10cm._store import default_store

    ever = np.array(sorted(default_store().validity.masks), dtype=object)
    per_code = -(-rows // len(ever))
    codes = np.repeat(ever, per_code)[:rows]
    offsets = np.concatenate([rng.choice(3653, per_code, replace=False)
                              for _ in range(len(ever))])[:rows]
    days = pd.Series(pd.Timestamp("2016-01-01") + pd.to_timedelta(offsets, unit="D"))
    order = rng.permutation(rows)
    return pd.Series(codes[order], dtype=object), days.iloc[order].reset_index(drop=True)


def time_codekit(codes: pd.Series, days: pd.Series, repeat: int
                 ) -> tuple[float, float, float, int]:
    """CPU seconds (one process, one core: on a shared machine the wall time measures the
    other jobs) of reading the ICD-10-CM tables (``icd10cm.preload()``, after
    ``codekit.clear_caches()``: nothing remembered from an earlier workload), of the first
    call (every (code, date) new to codekit) and of the best warm call; and the rows found
    valid."""
    import codekit
    import codekit.pandas as ckpd
    from codekit import icd10cm

    codekit.clear_caches()
    t = time.process_time()
    icd10cm.preload()
    load = time.process_time() - t
    t = time.process_time()
    out = ckpd.validate(codes, on=days)
    first = time.process_time() - t
    warm = []
    for _ in range(repeat):
        t = time.process_time()
        out = ckpd.validate(codes, on=days)
        warm.append(time.process_time() - t)
    return load, first, min(warm), int(out["valid"].sum())


def time_peer(codes: pd.Series) -> tuple[float, int]:
    import simple_icd_10_cm as scm

    def row(code: str) -> tuple[bool, str | None]:
        try:
            if scm.is_valid_item(code):
                return scm.is_leaf(code), scm.get_description(code)
        except Exception:
            pass
        return False, None

    t = time.process_time()
    result = codes.map(row)
    frame = pd.DataFrame(result.tolist(), columns=["billable", "title"], index=codes.index)
    elapsed = time.process_time() - t
    return elapsed, int(frame["billable"].sum())


def search_bench() -> None:
    from codekit import codesystem

    with open(ROOT / "tests" / "search_queries.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    for r in rows:  # warm: tables and indexes read
        codesystem.get(r["system"]).search(r["query"], on=r["on"], limit=5)
    times: dict[str, list[float]] = {}
    found: dict[str, list[bool]] = {}
    for r in rows:
        mod = codesystem.get(r["system"])
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            hits = mod.search(r["query"], on=r["on"], limit=5)
            best = min(best, time.perf_counter() - t)
        key = f"{r['system']} ({r['set']})"
        times.setdefault(r["system"], []).append(best * 1000)
        found.setdefault(key, []).append(mod.compact(r["expected"]) in [h.code for h in hits])
    for system, ts in times.items():
        ts.sort()
        p95 = ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))]
        print(f"  {system:<8} {len(ts)} queries warm: p50 {statistics.median(ts):.2f} ms, "
              f"p95 {p95:.2f} ms, max {ts[-1]:.2f} ms")
    for key, hits in found.items():
        print(f"  top-5 {key:<20} {sum(hits)}/{len(hits)} = {sum(hits) / len(hits):.0%}")
    code = ("import time; t=time.perf_counter(); from codekit.icd10cm import _search, "
            "_store; s=_store.default_store(); t1=time.perf_counter(); "
            "i=_search.index_for(s); t2=time.perf_counter(); i.search('heart attack'); "
            "t3=time.perf_counter(); print(f'{t2-t1:.3f} {t3-t2:.3f}')")
    loads = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        opened, first = (float(x) for x in out.stdout.split())
        loads.append((opened + first, opened, first))
    total, opened, first = min(loads)
    print(f"  index load, fresh interpreter: {total:.3f} s (open {opened:.3f} s + first "
          f"query {first:.3f} s)")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-peer", action="store_true")
    args = p.parse_args()
    print(f"python {sys.version.split()[0]}, pandas {pd.__version__}, {args.rows:,} rows; "
          "rates by CPU time of this process (one core)")
    rng = np.random.default_rng(15)
    for name, make in (("realistic", realistic), ("all distinct", all_distinct)):
        codes, days = make(args.rows, rng)
        pairs = len(pd.MultiIndex.from_arrays([codes, days]).unique())
        print(f"\n{name}: {codes.nunique():,} distinct codes, {days.nunique():,} dates, "
              f"{pairs:,} distinct (code, date) pairs")
        load, first, warm, valid = time_codekit(codes, days, args.repeat)
        n = len(codes)
        print(f"  codekit.pandas.validate  tables read {load:.2f} s, then first call "
              f"{first:.2f} s ({n / first:,.0f} rows/s)   warm {warm:.2f} s "
              f"({n / warm:,.0f} rows/s)   valid rows {valid:,}")
        target, rate = (2_000_000, n / warm) if name == "realistic" else \
            (300_000, n / first)
        print(f"  target {target:,} rows/s ({'warm' if name == 'realistic' else 'first call'}"
              f"): {rate / target:.2f}x {'met' if rate >= target else 'NOT met'}")
        if not args.no_peer:
            peer, billable = time_peer(codes)
            print(f"  simple_icd_10_cm row by row  {peer:.2f} s ({n / peer:,.0f} rows/s)  "
                  f"billable rows {billable:,}  -> codekit warm {peer / warm:.1f}x, first "
                  f"call {peer / first:.1f}x")
    print("\nsearch")
    search_bench()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
