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


def _findings(line: str) -> list[tuple[str, str, str]]:
    """(rule, location, message) of the findings (and notices) of one corpus line."""
    report = json.loads(line[line.index("{"):])
    return [(f.get("rule", f.get("code", "?")), json.dumps(f.get("location")),
             f.get("message", "")) for f in (*report.get("findings", ()),
                                             *report.get("notices", ()))]


def _by_rule(before: list[str], after: list[str], bad: list[int]) -> dict[tuple[str, str], int]:
    """How the differing lines differ: per finding rule, findings added, gone or reworded
    (the same rule at the same location with another message)."""
    out: dict[tuple[str, str], int] = {}
    for i in bad:
        if i >= len(after):
            break
        a, b = _findings(before[i]), _findings(after[i])
        old = {(r, loc): m for r, loc, m in a}
        new = {(r, loc): m for r, loc, m in b}
        for key in old.keys() | new.keys():
            how = ("gone" if key not in new else "added" if key not in old else
                   "reworded" if old[key] != new[key] else "")
            if how:
                out[key[0], how] = out.get((key[0], how), 0) + 1
        if a == b:
            out["(the report's other fields)", "changed"] = \
                out.get(("(the report's other fields)", "changed"), 0) + 1
    return out


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
        print("what differs, by finding rule (findings added / gone / reworded):")
        for (rule, how), n in sorted(_by_rule(before, lines, bad).items()):
            print(f"  {rule:36} {how:10} {n:6,}")
        sys.exit(1)
    print(f"identical: {len(lines):,} reports")


if __name__ == "__main__":
    main()
