"""Claims of one quarter against the same claims spread over years, side by side.

    python bench/bench_years.py [--n 20000] [--years 3]

A retrospective audit or a backfill checks claims of several years in one stream. codekit
remembers its answers per (code, date) and per reason a rule cannot run (which names its
date), in memos bounded by entries and bytes that forget their oldest entries first: a
stream whose distinct keys outnumber a bound answers everything again. This bench checks
the typical professional claims of ``tests/claims_gen.make_professional`` (one quarter,
2025-10-01 to 2025-12-31) and the same claims moved back by 0 to ``--years`` whole years
and 0-90 days (seeded), a first pass and a later pass each, CPU time, microseconds a
claim. The spread claims meet codes that were not valid yet on their date, so their
findings differ and their first pass meets more dates: the later pass shows whether the
memos hold the stream.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.claims_gen import make_professional  # noqa: E402

from codekit import Checker, Claim, _cache  # noqa: E402 (the checkout's codekit)


def moved(claim: dict[str, Any], days: int) -> dict[str, Any]:
    """``claim`` with its date (and its lines' dates) moved by ``days``."""
    c = copy.deepcopy(claim)
    c["date_of_service"] = (dt.date.fromisoformat(c["date_of_service"])
                            + dt.timedelta(days=days)).isoformat()
    for line in c["service_lines"]:
        if line.get("date_of_service"):
            line["date_of_service"] = (dt.date.fromisoformat(line["date_of_service"])
                                       + dt.timedelta(days=days)).isoformat()
    return c


def passes(claims: list[Claim]) -> tuple[float, float, int]:
    """(first pass, later pass) in µs a claim, CPU time, on emptied caches; findings."""
    _cache.clear_caches()
    checker = Checker()
    t = time.process_time()
    found = sum(len(checker.check(c).findings) for c in claims)
    first = time.process_time() - t
    t = time.process_time()
    for c in claims:
        checker.check(c)
    later = time.process_time() - t
    return first / len(claims) * 1e6, later / len(claims) * 1e6, found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--years", type=int, default=3)
    args = ap.parse_args(argv)
    base = make_professional(args.n)
    rng = random.Random(7)
    spread = [moved(c, -365 * rng.randint(0, args.years) - rng.randint(0, 90)) for c in base]
    streams = {"one quarter": [Claim.from_dict(c) for c in base],
               f"over {args.years} years": [Claim.from_dict(c) for c in spread]}
    print(f"{args.n:,} typical professional claims, Checker(), CPU µs a claim")
    print("| stream | days | first pass | later pass | findings |")
    print("|---|---:|---:|---:|---:|")
    for name, claims in streams.items():
        days = len({c.date_of_service for c in claims})
        first, later, found = passes(claims)
        print(f"| {name} | {days:,} | {first:.1f} | {later:.1f} | {found:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
