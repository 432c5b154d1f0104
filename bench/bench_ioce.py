"""codekit's outpatient profile side by side with the CMS I/OCE port (pyoce 0.1.0).

    python bench/bench_ioce.py [--n 6000] [--passes 3]

The claims are those of the I/OCE cross-check (``tests/test_ioce_crosscheck.py``: type of
bill 131, dates 2019-07 to 2026-06, 1-6 diagnoses and about 4 lines each, with invalid,
age- and sex-limited diagnoses, unacceptable principal diagnoses, invalid and
terminated procedures and modifiers, NCCI pairs, add-ons, ambulance lines and modifier
CS). pyoce needs Python >= 3.12: it runs in its own interpreter (``tests/ioce_env.py``)
and times its own ``IoceComponent.process`` calls; codekit times ``Checker.check`` with
``profile="medicare-outpatient"`` and no payer policies (the I/OCE has none). Each side gets
its own prebuilt input (``Claim`` objects; pyoce's dicts). The **first pass** sees every
(code, date) for the first time; **later passes** see them again (codekit's caches, and
whatever pyoce keeps). The machine may be shared: compare the ratio, not the absolutes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT)]

import ioce_env  # noqa: E402 - after the sys.path set-up
import test_ioce_crosscheck as xc  # noqa: E402
from codekit import Checker, Claim  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=xc.N_CLAIMS)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        pools = xc.Pools(ioce_env.pools())
    except ioce_env.Unavailable as e:
        print(f"pyoce unavailable: {e}")
        return 1
    claims = xc.make_claims(pools, args.n)
    inputs = [xc.ioce_input(c) for c in claims]
    parsed = [Claim.from_dict(c) for c in claims]
    checker = Checker(profile="medicare-outpatient", policies=())
    checker.check(parsed[0])  # the tables opened, as pyoce's first claim opens its own
    ck = []
    for _ in range(args.passes):
        t = time.perf_counter()
        for c in parsed[1:]:
            checker.check(c)
        ck.append(time.perf_counter() - t)
    answer = ioce_env.call("run", inputs, str(args.passes))
    io = answer["passes"]
    n = len(claims) - 1
    print(f"{len(claims)} claims (pyoce on Python {answer['python']}; first claim and the "
          "engine start not timed: pyoce "
          f"{answer['start_seconds']:.2f} s)")
    print("| pass | codekit claims/s | pyoce claims/s | codekit / pyoce |")
    print("|---|---:|---:|---:|")
    for i, (a, b) in enumerate(zip(ck, io, strict=True)):
        label = "first" if i == 0 else f"later ({i + 1})"
        print(f"| {label} | {n / a:,.0f} | {n / b:,.0f} | {b / a:.1f}x |")
    if len(ck) > 2:
        a, b = statistics.median(ck[1:]), statistics.median(io[1:])
        print(f"| later, median | {n / a:,.0f} | {n / b:,.0f} | {b / a:.1f}x |")
    print(f"codekit per claim: first {1e6 * ck[0] / n:.0f} µs, later "
          f"{1e6 * min(ck[1:] or ck) / n:.0f} µs; pyoce {1e6 * io[0] / n:.0f} µs, "
          f"{1e6 * min(io[1:] or io) / n:.0f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
