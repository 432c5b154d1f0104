"""codekit's memory under hostile input: does RSS stay bounded and flat, and do dropped
stores give their memory back?

    python bench/bench_memory.py [--quick] [--n 3000000] [--full] [--only NAME ...]

1. **Distinct junk inputs, one entry point at a time** (each in a fresh process): ``n``
   (default 3,000,000; ``--quick`` 200,000) distinct inputs -- one in four a well-formed
   code no table has, the others random printable strings of 1 to 1,000 characters -- to
   ``icd10cm.is_valid``/``validate``/``suggest``, ``hcpcs``/``cpt``/``modifiers.validate``,
   ``Checker.check`` of junk claims (junk diagnoses, procedure codes and modifiers), and
   ``procedure.validate("99201", on=<a distinct day>)`` (days from 0001-01-01 on, one each).
   RSS (``/proc/self/status`` VmRSS, else ``resource``' peak) is sampled every ``n/30``
   inputs (every 100,000 in the full run); an entry point is **flat** when RSS grew by less
   than 8 MB or 5 %, whichever is more, over the second half of the run (a quick run can
   end while the caches are still filling up to their bounds). ``icd10cm.suggest`` (about
   0.5 ms a junk text: fuzzy matching) gets ``n/20`` inputs, and ``Checker.check`` (about
   1 ms a junk claim: every bad code gets its suggestions) ``n/10``, unless ``--full``
   gives each its ``n`` (3,000,000 junk claims took 56 minutes of one core on 2026-12-03).
2. **Caller-made stores**: 40 ``icd10cm.Store(user=folder)`` and 40 ``icd10pcs.Store``
   created, searched, validated against and dropped: RSS before, after the first one
   (the bundled tables read: they stay open, shared by every later store), after the
   second (the allocator's slack settles once), and after the 40th is dropped; then the
   Python objects (``tracemalloc``) five more stores leave alive.

Targets (issue 11): RSS <= 300 MB and flat after 3,000,000 distinct inputs to any single
entry point; stores leave memory where it started. The last run's figures are in
``docs/performance.md`` (Memory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

TARGET_MB = 300
ALPHABET = string.ascii_letters + string.digits + string.punctuation + " "


def rss_mb() -> float:
    """Resident set size now, in MB (peak RSS where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def junk(n: int, seed: int, *, long: int = 1000) -> Iterator[str]:
    """``n`` distinct junk strings: a quarter well-formed but unknown codes, the rest
    random printable text of 1 to ``long`` characters (each made distinct by its index)."""
    rnd = random.Random(seed)
    for i in range(n):
        if i % 4 == 0:
            yield f"Z{i % 100:02d}.{i // 100 % 10000:04d}"[:8] if i % 8 else f"{i % 100000:05d}"
        else:
            size = rnd.choice((1, 3, 5, 8, 20, 100, long))
            body = "".join(rnd.choices(ALPHABET, k=size))
            yield f"{body}{i}"


def _swallow(fn: Callable[[str], object]) -> Callable[[str], object]:
    from codekit.errors import CodekitError

    def call(x: str) -> object:
        try:
            return fn(x)
        except CodekitError:
            return None
    return call


def entry_points() -> dict[str, tuple[Callable[[str], object], int]]:
    """name -> (call on one input, divisor of n)."""
    from codekit import cpt, hcpcs, icd10cm, modifiers

    on = "2025-06-01"
    return {
        "icd10cm.is_valid": (lambda x: icd10cm.is_valid(x, on=on), 1),
        "icd10cm.validate": (_swallow(lambda x: icd10cm.validate(x, on=on)), 1),
        "icd10cm.suggest": (_swallow(lambda x: icd10cm.suggest(x[:40], on=on)), 20),
        "hcpcs.validate": (_swallow(lambda x: hcpcs.validate(x, on=on)), 1),
        "cpt.validate": (_swallow(lambda x: cpt.validate(x, on=on)), 1),
        "modifiers.validate": (_swallow(lambda x: modifiers.validate(x, on=on)), 1),
        "procedure.validate(day)": (_procedure_day(), 1),
        "Checker.check": (_checker(), 10),
    }


def _procedure_day() -> Callable[[str], object]:
    from codekit import procedure

    start = dt.date(1, 1, 1).toordinal()
    count = [0]

    def call(_: str) -> object:
        day = dt.date.fromordinal(start + count[0] % 3_600_000)
        count[0] += 1
        try:
            return procedure.validate("99201", on=day)
        except Exception:
            return None
    return call


def _checker() -> Callable[[str], object]:
    from codekit import Checker, Claim
    from codekit.errors import CodekitError

    checker = Checker()

    def call(x: str) -> object:
        try:
            claim = Claim.from_dict({
                "claim_type": "professional", "payer": "medicare",
                "patient": {"sex": "F", "birth_date": "1960-05-17"},
                "date_of_service": "2025-11-03", "diagnoses": [x[:30], "I10"],
                "service_lines": [{"procedure_code": x[-12:], "modifiers": [x[:2]],
                                   "units": 1, "diagnosis_pointers": [1]}]})
            return checker.check(claim)
        except CodekitError:
            return None
    return call


def run_one(name: str, n: int, *, full: bool = False) -> dict[str, object]:
    """Feed ``n`` distinct junk inputs to one entry point (``n`` over its divisor unless
    ``full``); RSS samples."""
    from codekit import _cache

    call, divisor = entry_points()[name]
    if not full:
        n //= divisor
    every = max(1, n // 30)
    samples = [(0, round(rss_mb(), 1))]
    t0 = time.perf_counter()
    for i, x in enumerate(junk(n, seed=hash(name) & 0xFFFF), 1):
        call(x)
        if i % every == 0:
            samples.append((i, round(rss_mb(), 1)))
    half = samples[len(samples) // 2][1]
    last = samples[-1][1]
    flat = last - half < max(8.0, 0.05 * half)
    held = {k: v for k, v in _cache.nbytes().items() if v}
    return {"name": name, "n": n, "seconds": round(time.perf_counter() - t0, 1),
            "samples": samples, "peak": max(s for _, s in samples), "last": last,
            "flat": flat, "cache_mb": round(sum(held.values()) / 2**20, 1)}


def stores(count: int = 40) -> dict[str, float]:
    """Create, use and drop ``count`` caller-made stores of each system: RSS on the way."""
    from codekit import icd10cm, icd10pcs

    folder = Path(tempfile.mkdtemp(prefix="codekit-bench-"))
    out = {"before": rss_mb()}
    def one() -> None:
        s = icd10cm.Store(user=folder)
        icd10cm.search("diabetes with hyperglycemia", on="2025-06-01", store=s)
        icd10cm.suggest("E11.6S", on="2025-06-01", store=s)
        icd10cm.validate("E11.65", on="2025-06-01", store=s)
        p = icd10pcs.Store(user=folder)
        icd10pcs.search("appendectomy", on="2025-06-01", store=p)
        icd10pcs.validate("0DTJ4ZZ", on="2025-06-01", store=p)
        del s, p
        gc.collect()

    for i in range(count):
        one()
        if i == 0:
            out["after first"] = rss_mb()
        elif i == 1:
            out["after second"] = rss_mb()
    out["after 40 dropped"] = rss_mb()
    # what RSS cannot tell apart from allocator slack: the Python objects five more
    # stores leave alive (traced after the RSS samples, which tracing would distort)
    tracemalloc.start()
    one()
    traced = tracemalloc.get_traced_memory()[0]
    for _ in range(5):
        one()
    out["python objects kept by 5 more stores (MB)"] = \
        (tracemalloc.get_traced_memory()[0] - traced) / 2**20
    tracemalloc.stop()
    return {k: round(v, 2) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200,000 inputs an entry point")
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="entry points to run")
    parser.add_argument("--full", action="store_true",
                        help="every entry point gets all n inputs (no divisors)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    n = args.n or (200_000 if args.quick else 3_000_000)
    if args.child == "stores":
        print(json.dumps(stores()))
        return
    if args.child:
        print(json.dumps(run_one(args.child, n, full=args.full)))
        return
    names = args.only or [*entry_points(), "stores"]
    print(f"codekit memory under distinct junk input: {n:,} inputs an entry point, "
          f"target <= {TARGET_MB} MB and flat\n")
    ok = True
    for name in names:
        proc = subprocess.run([sys.executable, __file__, "--child", name, "--n", str(n),
                               *(["--full"] if args.full else [])],
                              capture_output=True, text=True, check=False)
        if proc.returncode:
            print(f"{name}: failed\n{proc.stderr[-2000:]}")
            ok = False
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        if name == "stores":
            back = r["after 40 dropped"] - r["after second"]
            kept = r["python objects kept by 5 more stores (MB)"]
            print(f"{'40 stores':26} before {r['before']:.0f} MB, after the first "
                  f"{r['after first']:.0f} MB (the bundled tables, shared, stay open), after "
                  f"the second {r['after second']:.0f} MB, after 40 made and dropped "
                  f"{r['after 40 dropped']:.0f} MB ({back:+.1f} MB since the second; "
                  f"Python objects 5 more stores keep: {kept:+.3f} MB)")
            ok &= back < 8
            continue
        good = r["peak"] <= TARGET_MB and r["flat"]
        ok &= good
        curve = " ".join(f"{mb:.0f}" for _, mb in r["samples"][:: max(1, len(r["samples"]) // 8)])
        print(f"{name:26} {r['n']:>9,} inputs {r['seconds']:>7.1f} s  peak {r['peak']:6.1f} MB"
              f"  last {r['last']:6.1f} MB  {'flat' if r['flat'] else 'GROWING':7}"
              f"  caches ~{r['cache_mb']} MB  [{curve}]  {'ok' if good else 'OVER'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
