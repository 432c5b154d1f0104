"""Byte-identical reports before and after a speed change.

    python bench/equivalence.py save  OUT.jsonl.gz   # with the code as it is
    python bench/equivalence.py check OUT.jsonl.gz   # after a change: exit 1 on a difference

A fixed generated corpus (``tests/claims_gen.py``: professional and inpatient claims with
ICD-10-PCS procedures; the outpatient claims of the I/OCE cross-check when its pools are
available; each also as a commercial claim, an institutional outpatient claim, and with
the practitioner PTP and MUE tables of July 2024 from ``../shared`` loaded) through
``Checker.check``, ``report_of`` on JSON text, the JSONL front door's line, and
``check_many(processes=2)``; every report written as JSON.
"""

from __future__ import annotations

import copy
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.claims_gen import make_inpatient, make_professional  # noqa: E402

from codekit import Checker, ncci  # noqa: E402
from codekit.batch import check_many, report_of  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "reference" / "northstar_2024q3"


def _variants(d: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield d
    c = copy.deepcopy(d)
    c["payer"] = "commercial"
    yield c
    if d.get("claim_type") == "professional":
        c = copy.deepcopy(d)
        c["claim_type"], c["bill_type"] = "institutional", "131"
        for line in c.get("service_lines", ()):
            line.setdefault("revenue_code", "0510")
        yield c


def corpus() -> list[tuple[str, list[dict[str, Any]]]]:
    prof = make_professional(3000)
    for i, d in enumerate(prof):
        d["claim_id"] = f"P{i}"
        for j, line in enumerate(d["service_lines"]):
            line["line_id"] = f"{i}-{j + 1}"
    inp = make_inpatient(3000)
    for i, d in enumerate(inp):
        d["claim_id"] = f"I{i}"
    sets = [("professional", [v for d in prof for v in _variants(d)]),
            ("inpatient", [v for d in inp for v in _variants(d)])]
    try:
        from tests import ioce_env
        from tests.test_ioce_crosscheck import Pools, make_claims

        out = make_claims(Pools(ioce_env.pools()), 2000)
        sets.append(("outpatient", out))
    except Exception as e:  # the I/OCE pools are optional
        print(f"outpatient claims skipped: {e}", file=sys.stderr)
    q3 = []
    for d in make_professional(3000, seed=7):
        _, m, day = map(int, d["date_of_service"].split("-"))
        d["date_of_service"] = f"2024-{m - 3:02d}-{min(day, 30):02d}"
        q3.append(d)
    sets.append(("professional-2024q3", q3))
    return sets


def run() -> Iterator[str]:
    plain = Checker()
    sets = corpus()
    checkers = [("plain", plain)]
    if (SHARED / "ncci_ptp_practitioner_2024q3.csv.gz").exists():
        lib = ncci.TableLibrary([ncci.load_ptp(SHARED / "ncci_ptp_practitioner_2024q3.csv.gz"),
                                 ncci.load_mue(SHARED / "ncci_mue_practitioner_2024q3.csv")])
        checkers.append(("ptp+mue", Checker(tables=lib)))
    else:
        print("PTP/MUE skipped: ../shared not found", file=sys.stderr)
    for cname, checker in checkers:
        for name, dicts in sets:
            texts = [json.dumps(d) for d in dicts]
            for n, text in enumerate(texts, 1):
                r = report_of(checker, text)
                line = {"input": n}
                line.update(r.to_dict())
                yield f"{cname} {name} jsonl {json.dumps(line)}"
                yield f"{cname} {name} text {r.to_json()}"
            for d in dicts:  # the dict path and the Claim path
                yield f"{cname} {name} dict {report_of(checker, d).to_json()}"
    for r in check_many(plain, [json.dumps(d) for _, ds in sets for d in ds[:1500]],
                        processes=2, chunk_size=97):
        yield f"many {r.to_json()}"


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    lines = list(run())
    if mode == "save":
        with gzip.open(path, "wt") as f:
            f.write("\n".join(lines) + "\n")
        print(f"saved {len(lines):,} reports to {path}")
        return
    with gzip.open(path, "rt") as f:
        before = f.read().splitlines()
    bad = [i for i, (a, b) in enumerate(zip(before, lines, strict=False)) if a != b]
    if len(before) != len(lines) or bad:
        print(f"DIFFERENT: {len(before)} vs {len(lines)} lines, {len(bad)} differ")
        for i in bad[:5]:
            print(" before", before[i][:400])
            print(" after ", lines[i][:400])
        sys.exit(1)
    print(f"identical: {len(lines):,} reports")


if __name__ == "__main__":
    main()
