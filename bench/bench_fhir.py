"""FHIR R4 Claim JSON in -> OperationOutcome JSON out, one core.

    python bench/bench_fhir.py [--n 20000] [--validated 3000] [--repeat 3]

Workload: ``n`` typical Medicare professional claims (``tests/claims_gen.make_professional``,
the claims of ``bench/bench_claims.py``: 1-4 lines, 2-6 diagnoses, about one in five with a
finding) written as FHIR R4 Claims by ``codekit.fhir.from_claim`` (contained Patient,
insurer, billablePeriod, diagnosis with sequences, items with CPT/HCPCS codings,
modifiers, quantity, diagnosisSequence, servicedDate), as JSON text, about 2 KB each.
Checked with the default ``Checker`` on the bundled data after one warm-up pass (the
later-pass figures of ``docs/performance.md``).

1. End to end, ``codekit.fhir.check_json(text)``: with fhir.resources model validation
   (the default) and without (``validate=False``, the fast path for trusted input).
2. The split of one claim's time: JSON parsing (``fhir.load``), fhir.resources model
   validation (``Claim.model_validate``), mapping to a codekit claim (``fhir.read``,
   ``validate=False``), checking (``Checker.check``), the OperationOutcome
   (``Result.to_outcome``) and its JSON (``json.dumps``). Each stage timed on its own over
   the same claims, best of ``repeat``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.claims_gen import make_professional  # noqa: E402

from codekit import Checker, Claim, fhir  # noqa: E402
from codekit.fhir import Result  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The best of ``repeat`` runs, in CPU seconds of this process (on a shared machine the
    wall time measures the other jobs; one process, one core)."""
    out = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        out.append(time.process_time() - t)
    return min(out)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--validated", type=int, default=3_000,
                    help="claims for the runs with model validation (slower)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    claims = [Claim.from_dict(d) for d in make_professional(args.n)]
    texts = [json.dumps(fhir.from_claim(c)) for c in claims]
    size = sum(map(len, texts)) / len(texts)
    checker = Checker()
    print(f"{args.n:,} professional claims as FHIR JSON, {size:,.0f} bytes each on average; "
          "rates are per core, by CPU time")

    # warm-up: tables open, caches filled (the later-pass figures)
    for t in texts:
        fhir.check_json(t, checker=checker, validate=False)
    for t in texts[: args.validated]:
        fhir.check_json(t, checker=checker)

    fast = best(lambda: [fhir.check_json(t, checker=checker, validate=False) for t in texts],
                args.repeat)
    some = texts[: args.validated]
    full = best(lambda: [fhir.check_json(t, checker=checker) for t in some], args.repeat)
    print("\nend to end, JSON in -> OperationOutcome JSON out:")
    print(f"  with model validation (default)  {len(some) / full:10,.0f} claims/s  "
          f"({full / len(some) * 1e6:7.1f} us/claim)")
    print(f"  validate=False (trusted input)   {len(texts) / fast:10,.0f} claims/s  "
          f"({fast / len(texts) * 1e6:7.1f} us/claim)")

    # the split
    from fhir.resources.R4B.claim import Claim as ClaimModel

    data = [fhir.load(t) for t in texts]
    reads = [fhir.read(d, validate=False)[0] for d in data]
    reports = [checker.check(r.claim) for r in reads]  # type: ignore[arg-type]
    results = [Result(r, rep) for r, rep in zip(reads, reports, strict=True)]
    outcomes = [r.to_outcome() for r in results]
    n = len(texts)
    m = len(some)
    stages = [
        ("JSON parsing (fhir.load)", n, best(lambda: [fhir.load(t) for t in texts],
                                             args.repeat)),
        ("model validation (fhir.resources)", m,
         best(lambda: [ClaimModel.model_validate(d) for d in data[:m]], args.repeat)),
        ("mapping to a codekit claim", n,
         best(lambda: [fhir.read(d, validate=False) for d in data], args.repeat)),
        ("checking (Checker.check)", n,
         best(lambda: [checker.check(r.claim) for r in reads], args.repeat)),  # type: ignore[arg-type]
        ("OperationOutcome", n, best(lambda: [r.to_outcome() for r in results], args.repeat)),
        ("OperationOutcome JSON", n,
         best(lambda: [json.dumps(o, separators=(",", ":")) for o in outcomes], args.repeat)),
    ]
    total = sum(t / k for _, k, t in stages)
    print("\nthe split of one claim's time (each stage alone):")
    for name, k, t in stages:
        us = t / k * 1e6
        print(f"  {name:36} {us:8.1f} us  {t / k / total:6.1%}")
    trusted = total - stages[1][2] / stages[1][1]
    print(f"  {'sum':36} {total * 1e6:8.1f} us; without model validation "
          f"{trusted * 1e6:.1f} us")


if __name__ == "__main__":
    main()
