"""What checking the bundled data costs (docs/performance.md, "Data integrity").

Prints the time to check every bundled file against ``data/PROVENANCE.json`` (sha256 of
the whole file, once per process per file), and the first answer of a fresh process with
the check and without it (the check replaced by a no-op), median of ``--runs`` processes;
then what a store a caller makes costs (``icd10cm.Store(user=...)``, ``icd10pcs.Store``, a
``ProcedureStore`` and its first answers, CPU time, best of ``--runs``), sharing the
bundled tables already open and, side by side, opening them anew (``clear_caches()``
before each: what every store cost before they were shared).

    PYTHONPATH=src python bench/bench_integrity.py --runs 7
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

FIRST = {
    "icd10cm.validate": "from codekit import icd10cm; icd10cm.validate('E11.65', on='2025-06-01')",
    "procedure.validate": "from codekit import procedure; procedure.validate('99213', "
                          "on='2025-06-01')",
    "Checker.check": (
        "from codekit import Checker, Claim; Checker().check(Claim.from_dict({"
        "'claim_id': 'C1', 'claim_type': 'professional', 'payer': 'medicare', 'patient': "
        "{'sex': 'F', 'birth_date': '1960-05-17'}, 'date_of_service': '2025-11-03', "
        "'diagnoses': ['E11.9', 'I10'], 'service_lines': [{'line': 1, 'procedure_code': "
        "'99213', 'units': 1, 'diagnosis_pointers': [1, 2]}]}))"),
    "codekit.preload": "import codekit; codekit.preload()",
}

CHILD = """
import time, json
import codekit
from codekit import _artifact
if {off}:
    _artifact.verify_bundled = lambda path: True   # no whole-file check, no section check
t = time.perf_counter()
{stmt}
print(json.dumps(time.perf_counter() - t))
"""


def _run(stmt: str, off: bool) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD.format(stmt=stmt, off=off)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def every_file() -> dict[str, float]:
    from codekit import _artifact
    from codekit._paths import bundled_data_dir

    root = bundled_data_dir()
    out = {}
    t0 = time.perf_counter()
    _artifact.check_bundled()
    out["manifest (missing files, policies)"] = time.perf_counter() - t0
    for path in sorted(root.rglob("*.ckt")):
        t = time.perf_counter()
        _artifact.verify_bundled(path)
        out[path.relative_to(root).as_posix()] = time.perf_counter() - t
    return out


def stores(runs: int) -> dict[str, dict[str, float]]:
    """ms of CPU to make a store and ask it its first questions: shared tables vs anew."""
    import tempfile
    from pathlib import Path

    import codekit
    from codekit import hcpcs, icd10cm, icd10pcs
    from codekit.procedure import default_store

    empty = Path(tempfile.mkdtemp(prefix="codekit-bench-"))
    cases = {
        "icd10cm.Store(user=...) + is_valid + lookup": (
            lambda: icd10cm.Store(user=empty),
            lambda s: (icd10cm.is_valid("E11.9", on="2025-06-01", store=s),
                       icd10cm.lookup("E11.65", on="2025-06-01", store=s))),
        "icd10pcs.Store(user=...) + lookup": (
            lambda: icd10pcs.Store(user=empty),
            lambda s: icd10pcs.lookup("0DTJ4ZZ", on="2025-06-01", store=s)),
        "ProcedureStore() + hcpcs.lookup": (
            lambda: type(default_store())(),
            lambda s: hcpcs.lookup("G0121", on="2025-06-01", store=s)),
    }
    out = {}
    for name, (make, use) in cases.items():
        times = {}
        for mode in ("anew", "shared"):
            best = float("inf")
            for _ in range(runs):
                if mode == "anew":
                    codekit.clear_caches()
                else:
                    use(make())  # the bundled tables open, as in any process that answered
                t = time.process_time()
                use(make())
                best = min(best, time.process_time() - t)
            times[mode] = round(best * 1000, 2)
        out[name] = times
        print(f"{name:<46} opened anew {times['anew']:8.1f} ms  shared {times['shared']:6.2f} ms"
              f"  ({times['anew'] / max(times['shared'], 1e-3):,.0f}x)")
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    files = every_file()
    total = sum(files.values())
    big = sorted(files.items(), key=lambda kv: -kv[1])[:5]
    print(f"checking every bundled file: {total * 1000:.1f} ms "
          f"({len(files) - 1} tables); slowest: "
          + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in big))
    rows = {}
    for name, stmt in FIRST.items():
        on = statistics.median(_run(stmt, False) for _ in range(args.runs))
        off = statistics.median(_run(stmt, True) for _ in range(args.runs))
        rows[name] = {"checked_ms": round(on * 1000, 1), "unchecked_ms": round(off * 1000, 1),
                      "cost_ms": round((on - off) * 1000, 1)}
        print(f"first {name:<20} checked {on * 1000:7.1f} ms  unchecked {off * 1000:7.1f} ms"
              f"  cost {(on - off) * 1000:6.1f} ms")
    costs = stores(args.runs)
    print(json.dumps({"every_file_ms": round(total * 1000, 1), "first_answer": rows,
                      "stores_ms": costs}))


if __name__ == "__main__":
    main()
