"""Search quality as a coder feels it: hit@1, @3 and @10 and latency per code system on
the queries of ``bench/search_quality.tsv`` (written with their answers before the search
was run), codekit side by side with icd10-coder 0.2.3 where it searches (ICD-10-CM: its
SQLite FTS5 ``cm_search``; ICD-10-PCS: the codes its ``proc`` command lists, in order).
No offline peer searches HCPCS Level II, and simple_icd_10_cm has no search.

    pip install -e '.[bench]'   # icd10-coder 0.2.3
    PYTHONPATH=src python bench/bench_search_quality.py [--system icd10cm] [--peer] [-v]

Run one system a process: "first" is the first search of the process (the index read).
The figures are in docs/search.md.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import io
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

TABLE = Path(__file__).with_name("search_quality.tsv")
DOS = "2025-06-01"


def queries(system: str) -> list[tuple[str, str, list[str], str]]:
    """(round, query, accepted code patterns, date) of ``system``."""
    rows = []
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    for line in lines[1:]:
        sysn, rnd, query, expected, on = line.split("\t")
        if sysn == system:
            rows.append((rnd, query, [e.replace(".", "") for e in expected.split(",")],
                         on or DOS))
    return rows


def rank(codes: list[str], accepted: list[str]) -> int | None:
    """The place (1-based) of the first code ``accepted`` matches, or None."""
    for i, code in enumerate(codes):
        if any(fnmatch.fnmatchcase(code.replace(".", ""), e) for e in accepted):
            return i + 1
    return None


def codekit_search(system: str) -> Callable[[str, str], list[str]]:
    """codekit's search of ``system``: the codes of the first 10 hits."""
    from codekit import codesystem

    mod = codesystem.get(system)
    return lambda query, on: [h.code for h in mod.search(query, on=on, limit=10)]


def peer_search(system: str) -> Callable[[str, str], list[str]]:
    """icd10-coder's: ``cm_search`` (ICD-10-CM) or the codes ``proc`` lists (PCS)."""
    import sqlite3

    import icd10_coder.coder as coder

    if system == "icd10cm":
        cm = sqlite3.connect(coder.CM_DB)
        return lambda query, on: [r[0] for r in coder.cm_search(cm, query, 10)]

    def proc(query: str, on: str) -> list[str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            coder.cmd_proc(argparse.Namespace(query=[query], korean=False))
        listed = out.getvalue().split("--- Valid PCS Codes (tree candidates) ---")
        return re.findall(r"^\s+([0-9A-HJ-NP-Z]{7})\b", listed[1], re.M)[:10] \
            if len(listed) > 1 else []
    return proc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--system", default="icd10cm", choices=["icd10cm", "icd10pcs", "hcpcs"])
    ap.add_argument("--peer", action="store_true", help="icd10-coder instead of codekit")
    ap.add_argument("-v", action="store_true", help="list the queries not found first")
    args = ap.parse_args()
    rows = queries(args.system)
    search = (peer_search if args.peer else codekit_search)(args.system)
    first = None
    found: dict[str, list[int | None]] = {}
    times = []
    for rnd, query, accepted, on in rows:
        t = time.perf_counter()
        codes = search(query, on)
        if first is None:
            first = time.perf_counter() - t
        t = time.perf_counter()
        for _ in range(3):
            codes = search(query, on)
        times.append((time.perf_counter() - t) / 3)
        place = rank(codes, accepted)
        found.setdefault("all", []).append(place)
        if rnd != "-":
            found.setdefault(rnd, []).append(place)
        if args.v and place != 1:
            print(f"  {query!r:45} place {place}: {codes[:3]}")
    warm = statistics.median(times)
    who = "icd10-coder" if args.peer else "codekit"
    for rnd, places in found.items():
        at = [sum(1 for p in places if p is not None and p <= k) for k in (1, 3, 10)]
        print(f"{who} {args.system} {rnd}: {len(places)} queries, hit@1 {at[0]}, @3 {at[1]}, "
              f"@10 {at[2]}")
    print(f"{who} {args.system}: first search {first * 1e3:.1f} ms, warm median "
          f"{warm * 1e3:.2f} ms, max {max(times) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
