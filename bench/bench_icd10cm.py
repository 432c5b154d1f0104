"""codekit.icd10cm side by side with simple_icd_10_cm 1.5.0, in one run.

    pip install -e '.[bench]'      # codekit + simple-icd-10-cm==1.5.0
    python bench/bench_icd10cm.py [--n 100000] [--repeat 3]

Workload: one list of 100,000 codes drawn with a fixed seed from the FY2026 code set
(70 % billable codes, 15 % headers, 15 % typos; half written with the dot), checked for
a date of service in FY2026 (2026-06-01), which is the release the peer ships.

Measured:
- cold start: a fresh interpreter that imports the library and validates one code (wall
  time, median of 5 runs) and its peak RSS;
- peak RSS after loading the current release (codekit: validate + lookup with titles);
- per-call throughput over the whole list: ``is_valid`` vs the peer's billable check
  (``is_valid_item`` and ``is_leaf``, a ValueError counted as "not billable"), and
  ``lookup(...).title`` vs the peer's ``get_description`` (a raised error counted as a
  miss). codekit's tables are loaded before (five warm-up calls); then the first pass over
  the list (every input new to codekit) is reported separately from the best of the
  following passes: codekit remembers cleaned inputs and built entries, the peer has
  everything in memory from import.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
DOS = "2026-06-01"


def make_codes(n: int, seed: int = 20261126) -> list[str]:
    from tests.typos import typo

    from codekit.icd10cm import default_store

    rel = default_store().release("FY2026")
    billable = [c for i, c in enumerate(rel.codes) if rel.is_billable_row(i)]
    headers = [c for i, c in enumerate(rel.codes) if not rel.is_billable_row(i)]
    known = set(rel.codes)
    rng = random.Random(seed)

    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.70:
            c = rng.choice(billable)
        elif r < 0.85:
            c = rng.choice(headers)
        else:
            c = typo(rng, rng.choice(billable), known)
        if rng.random() < 0.5 and len(c) > 3:
            c = c[:3] + "." + c[3:]
        out.append(c)
    return out


def cold(cmd: str, runs: int = 5) -> tuple[float, float]:
    """Median wall seconds and max peak RSS (MiB) of ``python -c cmd``."""
    times, rss = [], []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", cmd + "\nimport resource; "
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
            check=True, capture_output=True, text=True, cwd=ROOT,
            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
        times.append(time.perf_counter() - t)
        rss.append(int(out.stdout.split()[-1]) / 1024)
    return statistics.median(times), max(rss)


def timed(fn, codes: list[str], repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(first pass, best later pass) in calls per second."""
    rates = []
    for _ in range(repeat + 1):
        t = time.perf_counter()
        fn(codes)
        rates.append(len(codes) / (time.perf_counter() - t))
    return rates[0], max(rates[1:])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    rows: list[tuple[str, str, str, str]] = []
    ck_cold = cold(f"import codekit.icd10cm as m\nm.is_valid('E11.65', on='{DOS}')")
    peer_cold = cold("import simple_icd_10_cm as c\nc.is_leaf('E11.65')")
    rows.append(("cold import + first validation (s)", f"{ck_cold[0]:.3f}",
                 f"{peer_cold[0]:.3f}", f"{peer_cold[0] / ck_cold[0]:.1f}x faster"))
    ck_load = cold(f"import codekit.icd10cm as m\nm.validate('E11.65', on='{DOS}')\n"
                   f"m.lookup('S72.001A', on='{DOS}').title\nm.lookup('E11', on='{DOS}')"
                   ".excludes1")
    rows.append(("peak RSS after loading the current release (MiB)", f"{ck_load[1]:.1f}",
                 f"{peer_cold[1]:.1f}", f"{peer_cold[1] / ck_load[1]:.1f}x smaller"))
    rows.append(("  (wall time of that process, s)", f"{ck_load[0]:.3f}", f"{peer_cold[0]:.3f}",
                 ""))

    codes = make_codes(args.n)
    import simple_icd_10_cm as peer

    from codekit import icd10cm

    def ck_valid(cs: list[str]) -> int:
        f = icd10cm.is_valid
        return sum(f(c, on=DOS) for c in cs)

    def peer_valid(cs: list[str]) -> int:
        n = 0
        for c in cs:
            try:
                n += peer.is_valid_item(c) and peer.is_leaf(c)
            except ValueError:
                pass
        return n

    def ck_lookup(cs: list[str]) -> int:
        f = icd10cm.lookup
        n = 0
        for c in cs:
            try:
                n += f(c, on=DOS).title is not None
            except ValueError:
                pass
        return n

    def peer_lookup(cs: list[str]) -> int:
        n = 0
        for c in cs:
            try:
                n += bool(peer.get_description(c))
            except ValueError:
                pass
        return n

    # Load codekit's tables once (what a long-running service has done before its first
    # request): the "first pass" below then measures new inputs, not table loading.
    warm = ["E11.65", "E11", "E11.99", "S52.521", "Z86.010"]
    ck_valid(warm)
    ck_lookup(warm)
    for label, a, b in (("is_valid vs billable check (calls/s)", ck_valid, peer_valid),
                        ("lookup().title vs get_description (calls/s)", ck_lookup,
                         peer_lookup)):
        (a0, a1), (b0, b1) = timed(a, codes, args.repeat), timed(b, codes, args.repeat)
        rows.append((label + ", first pass", f"{a0:,.0f}", f"{b0:,.0f}", f"{a0 / b0:.1f}x"))
        rows.append((label + ", best later pass", f"{a1:,.0f}", f"{b1:,.0f}",
                     f"{a1 / b1:.1f}x"))

    print(f"answers on the list: codekit billable {ck_valid(codes)}, "
          f"peer billable {peer_valid(codes)}; titles found: codekit {ck_lookup(codes)}, "
          f"peer {peer_lookup(codes)}")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'codekit':>12}  {'simple_icd_10_cm':>16}  ratio")
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:>12}  {r[2]:>16}  {r[3]}")


if __name__ == "__main__":
    main()
