"""codekit.x12 (SNIP 1-7) side by side with pyx12's own validator (x12valid, SNIP 1-2).

    python bench/bench_x12.py [--claims 50000] [--small 10000] [--keep DIR]

Writes a generated 837P of ``--claims`` claims with ``codekit.x12.write_837`` (streamed to
disk; a fixed seed): Medicare and commercial patients, dates of service over 2025-10-01 to
2025-12-31, 1-3 lines a claim (office visits, labs, injections, therapy; modifiers 25,
59, RT/LT on some), 1-4 diagnoses from common ICD-10-CM codes, pointers, REF*6R line ids,
charges that balance -- about 22 segments a claim. Then, each in a fresh process, one
after the other on the same file:

1. ``x12valid FILE`` -- pyx12's validator as its command runs it (SNIP 1-2; it also
   writes its 999 acknowledgement);
2. ``codekit.x12.check(FILE)`` -- every claim read, validated by pyx12 (same maps, one
   pass), balanced, the situational rules, and ``Checker()`` on the bundled data
   (SNIP 1-7); results are consumed and counted.

Prints wall time, claims/s and peak RSS (``ru_maxrss`` of the process) of each, and the
ratio (target: codekit <= 1.5 x x12valid). The same two runs on a ``--small`` file show
whether memory grows with the file. One core; the machine may be shared: say so when
quoting the numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from codekit.claims import Claim, Patient, ServiceLine  # noqa: E402
from codekit.x12 import write_837  # noqa: E402

DX = ["E119", "I10", "E785", "J449", "M545", "Z0000", "R079", "N390", "J069", "K219",
      "F329", "M1711", "E1165", "I2510", "G4733", "R519", "Z23", "E039", "M79604", "L409"]
VISITS = [("99213", Decimal("95")), ("99214", Decimal("140")), ("99203", Decimal("120"))]
OTHER = [("80053", Decimal("35"), ()), ("85025", Decimal("20"), ()),
         ("96372", Decimal("40"), ()), ("20610", Decimal("180"), ("RT",)),
         ("97110", Decimal("60"), ("GP",)), ("93000", Decimal("45"), ()),
         ("36415", Decimal("10"), ()), ("J1100", Decimal("15"), ())]
PAYERS = [("medicare part b", "MB"), ("aetna", "CI"), ("blue cross", "BL"),
          ("medicaid", "MC")]


def _claims(n: int, seed: int = 2025):  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    start = dt.date(2025, 10, 1)
    for i in range(n):
        day = start + dt.timedelta(days=rnd.randrange(92))
        dx = tuple(rnd.sample(DX, rnd.randint(1, 4)))
        lines = []
        visit, price = rnd.choice(VISITS)
        extra = rnd.sample(OTHER, rnd.randint(0, 2))
        mods: tuple[str, ...] = ("25",) if extra and rnd.random() < 0.5 else ()
        lines.append(ServiceLine(1, visit, mods, Decimal(1), (1,), date_of_service=day,
                                 charge=price, line_id=f"{i}-1"))
        for k, (code, charge, m) in enumerate(extra, start=2):
            lines.append(ServiceLine(k, code, m, Decimal(1),
                                     (rnd.randint(1, len(dx)),), date_of_service=day,
                                     charge=charge, line_id=f"{i}-{k}"))
        payer, filing = rnd.choice(PAYERS)
        age = rnd.randint(2, 95)
        yield Claim(
            claim_type="professional", payer=payer, claim_id=f"PCN{i:07d}",
            patient=Patient(rnd.choice("MF"), dt.date(2025 - age, rnd.randint(1, 12),
                                                      rnd.randint(1, 28)),
                            id=f"MBR{i:08d}", name=f"PATIENT, NUMBER{i}"),
            date_of_service=day, diagnoses=dx, service_lines=tuple(lines),
            billing_provider=rnd.choice(["1234567893", "1999999984"]),
            place_of_service="11", total_charge=sum(ln.charge for ln in lines),
            frequency_code="1", filing_indicator=filing)


def generate(path: Path, n: int) -> None:
    with open(path, "w", encoding="ascii", newline="") as f:
        write_837(_claims(n), f, date=dt.date(2026, 1, 5), newline="\n")


_X12VALID = """
import resource, sys, time
from pyx12.scripts import x12valid
sys.argv = ["x12valid", "--quiet", sys.argv[1]]
t = time.perf_counter()
x12valid.main()
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_CODEKIT = """
import resource, sys, time
sys.path.insert(0, sys.argv[2])
t = time.perf_counter()
from codekit import x12
run = x12.check(sys.argv[1])
n = 0
for result in run:
    n += 1
s = run.summary
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      s.claims, s.accepted, s.rejected, sum(s.by_rule.values()))
"""


def _run(script: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", script, *args], check=True,
                         capture_output=True, text=True)
    return out.stdout.split()


def measure(path: Path, n: int) -> dict[str, float]:
    pyx = _run(_X12VALID, str(path))
    ck = _run(_CODEKIT, str(path), str(ROOT / "src"))
    r = {"claims": n, "bytes": path.stat().st_size,
         "x12valid_s": float(pyx[0]), "x12valid_rss_mb": int(pyx[1]) / 1024,
         "codekit_s": float(ck[0]), "codekit_rss_mb": int(ck[1]) / 1024,
         "codekit_claims": int(ck[2]), "accepted": int(ck[3]), "rejected": int(ck[4]),
         "findings": int(ck[5])}
    r["ratio"] = r["codekit_s"] / r["x12valid_s"]
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--claims", type=int, default=50_000)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--keep", type=Path, help="write the generated files here")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-x12-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (args.small, args.claims):
        path = folder / f"837p-{n}.txt"
        t = time.perf_counter()
        generate(path, n)
        gen = time.perf_counter() - t
        print(f"generated {path} ({n:,} claims, {path.stat().st_size / 1e6:.1f} MB) in "
              f"{gen:.1f} s", flush=True)
        r = measure(path, n)
        rows.append(r)
        print(f"  x12valid (pyx12, SNIP 1-2): {r['x12valid_s']:8.1f} s  "
              f"{n / r['x12valid_s']:8,.0f} claims/s  peak RSS {r['x12valid_rss_mb']:6.0f} MB")
        print(f"  codekit.x12 (SNIP 1-7):     {r['codekit_s']:8.1f} s  "
              f"{n / r['codekit_s']:8,.0f} claims/s  peak RSS {r['codekit_rss_mb']:6.0f} MB"
              f"  ({r['codekit_claims']:,} claims, {r['accepted']:,} accepted, "
              f"{r['findings']:,} findings)")
        print(f"  codekit / x12valid: {r['ratio']:.2f} x (target <= 1.5)", flush=True)
        if not args.keep:
            path.unlink()
            for extra in folder.glob(f"837p-{n}.*"):
                extra.unlink()
    print(json.dumps(rows, indent=1))
    if not args.keep:
        try:
            os.rmdir(folder)
        except OSError:
            pass


if __name__ == "__main__":
    main()
