"""codekit procedure codes and NCCI tables: absolute throughput against the issue's targets.

    python bench/bench_procedures.py [--n 100000] [--repeat 5] [--practitioner FILE]

No peer library answers these questions by date of service, so the numbers are absolute:

- data on disk (``data/procedures``, ``data/ncci``);
- cold start: a fresh interpreter that imports codekit and validates one procedure code
  (median of 5), and one that opens the bundled hospital PTP table (load seconds, RSS
  growth and traced Python memory);
- ``procedure.validate`` / ``procedure.is_valid`` throughput over a fixed mix of inputs
  (60 % codes valid on the date, 15 % not valid on the date, 10 % unknown, 10 % Level II
  lower case, 5 % malformed), first pass and best later pass (validate remembers built
  entries);
- PTP lookups: ``pair()`` and ``indicator()`` over 200,000 (column 1, column 2, date)
  questions, half of them pairs with an edit, half random pairs of codes in the table;
  target ≥ 1,000,000 lookups/s;
- ``among()`` for claims of 6 procedure codes;
- optionally (``--practitioner``) loading a CMS practitioner PTP file (2.5 million rows),
  saving it to ``.ckt`` and reopening it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DOS = dt.date(2025, 6, 1)
REF = ROOT.parent / "shared" / "data" / "reference"


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s"


def _subprocess(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(ROOT / "src")})
    return out.stdout.strip()


def disk() -> None:
    print("== data on disk")
    for folder in ("procedures", "ncci"):
        for p in sorted((ROOT / "data" / folder).glob("*.ckt")):
            print(f"  data/{folder}/{p.name:20s} {p.stat().st_size / 1024:8.0f} KB")
    total = sum(p.stat().st_size for f in ("procedures", "ncci")
                for p in (ROOT / "data" / f).glob("*.ckt"))
    print(f"  total                          {total / 1024:8.0f} KB")


COLD_VALIDATE = """
import time, resource
t = time.perf_counter()
from codekit import procedure
procedure.validate("99213", on="2025-06-01")
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

COLD_PTP = """
import sys, time, resource, tracemalloc
from codekit.ncci import _ptp
from codekit._paths import bundled_data_dir
trace = sys.argv[1] == "trace"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if trace:
    tracemalloc.start()
t = time.perf_counter()
p = _ptp.PtpTable.open(bundled_data_dir() / "ncci" / "ptp_hospital.ckt")
p.indicator("29881", "29877", on="2025-06-01")
elapsed = time.perf_counter() - t
traced = tracemalloc.get_traced_memory()[0] if trace else 0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, (after - before) * 1024, traced, len(p))
"""


def cold() -> None:
    print("== cold start (fresh interpreter, median of 5)")
    runs = [tuple(map(float, _subprocess(COLD_VALIDATE).split())) for _ in range(5)]
    print(f"  import + first procedure.validate : {statistics.median(r[0] for r in runs):.3f} s,"
          f" peak RSS {statistics.median(r[1] for r in runs) / 1024:.0f} MB")
    runs = [tuple(map(float, _subprocess(COLD_PTP, "time").split())) for _ in range(5)]
    print(f"  open bundled hospital PTP table   : {statistics.median(r[0] for r in runs):.3f} s"
          f" (target <= 0.3 s) for {int(runs[0][3]):,} edits, all quarters")
    mem = [tuple(map(float, _subprocess(COLD_PTP, "trace").split())) for _ in range(3)]
    print(f"  memory of the open table          : peak RSS +"
          f"{statistics.median(r[1] for r in runs) / 2**20:.1f} MB while opening, "
          f"{statistics.median(r[2] for r in mem) / 2**20:.1f} MB of Python objects after")


def workload(n: int, seed: int = 20261126) -> list[str]:
    from codekit.procedure import default_store

    s = default_store()
    q = s.quarters.index(DOS)
    active = s.codes.codes_in(q)
    inactive = [c for c in s.codes.masks if c not in set(active)]
    level2 = [c for c in active if c[0].isalpha()]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.60:
            out.append(rng.choice(active))
        elif r < 0.75:
            out.append(rng.choice(inactive))
        elif r < 0.85:
            out.append(f"{rng.randrange(100000):05d}")
        elif r < 0.95:
            out.append(rng.choice(level2).lower())
        else:
            out.append(rng.choice(["9921", "W1234", "99213-25", "", "E11.9"]))
    return out


def validate_bench(n: int, repeat: int) -> None:
    from codekit import procedure
    from codekit.errors import ValidationError

    codes = workload(n)
    print(f"== procedure.validate / is_valid ({n:,} inputs, date {DOS})")

    def run_validate() -> float:
        t = time.perf_counter()
        for c in codes:
            try:
                procedure.validate(c, on=DOS)
            except ValidationError:
                pass
        return time.perf_counter() - t

    first = run_validate()
    best = min(run_validate() for _ in range(repeat))
    print(f"  validate  first pass {_rate(n, first):>14}   best later pass {_rate(n, best):>14}")

    def run_is_valid() -> float:
        t = time.perf_counter()
        for c in codes:
            procedure.is_valid(c, on=DOS)
        return time.perf_counter() - t

    first = run_is_valid()
    best = min(run_is_valid() for _ in range(repeat))
    print(f"  is_valid  first pass {_rate(n, first):>14}   best later pass {_rate(n, best):>14}")


def ptp_bench(repeat: int) -> None:
    from codekit import ncci

    ptp = ncci.hospital_ptp()
    rng = random.Random(7)
    codes = ptp.codes
    rows = [e for i, e in enumerate(ptp.rows()) if i % 7 == 0]
    hits = [(e.column_1, e.column_2) for e in rng.choices(rows, k=100_000)]
    misses = [(rng.choice(codes), rng.choice(codes)) for _ in range(100_000)]
    pairs = hits + misses
    rng.shuffle(pairs)
    common = rng.sample(hits, 1000) + rng.sample(misses, 1000)
    working_set = [rng.choice(common) for _ in range(200_000)]
    print(f"== PTP lookups on {DOS} (target >= 1,000,000/s)")
    for label, qs in (("random pairs over the whole table (cache-cold)", pairs),
                      ("a working set of 2,000 pairs (as claims repeat codes)", working_set)):
        found = sum(1 for a, b in qs if ptp.indicator(a, b, on=DOS) is not None)
        print(f"  {label}: {len(qs):,} questions, {found:,} with an edit")
        for name in ("pair", "indicator"):
            fn = getattr(ptp, name)
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                for a, b in qs:
                    fn(a, b, on=DOS)
                times.append(time.perf_counter() - t)
            print(f"    {name:9s} best {_rate(len(qs), min(times)):>14}   "
                  f"median {_rate(len(qs), statistics.median(times)):>14}")
    claims = [rng.sample(codes, 6) for _ in range(20_000)]
    t = time.perf_counter()
    for c in claims:
        ptp.among(c, on=DOS)
    el = time.perf_counter() - t
    print(f"  among() for 6-code claims: {_rate(len(claims), el)} claims "
          f"({_rate(len(claims) * 30, el)} ordered pairs)")


def practitioner(path: Path) -> None:
    import resource
    import tempfile

    from codekit import ncci

    print(f"== loading {path.name}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    table = ncci.load_ptp(path)
    el = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  load_ptp: {len(table):,} rows in {el:.1f} s ({_rate(len(table), el)}), "
          f"peak RSS +{(peak - before) / 1024:.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ptp.ckt"
        t = time.perf_counter()
        table.save(out)
        saved = time.perf_counter() - t
        t = time.perf_counter()
        ncci.load_ptp(out)
        opened = time.perf_counter() - t
        print(f"  save() {saved:.2f} s -> {out.stat().st_size / 1024:.0f} KB; reopen "
              f"{opened:.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--practitioner", type=Path,
                    default=REF / "northstar_2024q3" / "ncci_ptp_practitioner_2024q3.csv.gz")
    args = ap.parse_args()
    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    disk()
    cold()
    validate_bench(args.n, args.repeat)
    ptp_bench(args.repeat)
    if args.practitioner and args.practitioner.is_file():
        practitioner(args.practitioner)


if __name__ == "__main__":
    main()
