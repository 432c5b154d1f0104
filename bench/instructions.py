"""Instructions a claim, counted by valgrind: an A/B measure the VM's noise cannot move.

    python bench/instructions.py [--n 3000] [--against REF] [WORKLOAD ...]

The development VM's cores change speed by 15-30 % from run to run, so a speed-up of a
few per cent cannot be seen in claims/s. Instructions executed can: valgrind's callgrind
counts them, and the count of a fixed workload is the same from run to run (within
0.01 %; ``PYTHONHASHSEED=0``). Each workload runs in a child process under callgrind,
uninstrumented until its claims are built and warmed (every (code, date) seen once), then
counted over one pass of ``--n`` claims; the figure is instructions per claim.

With ``--against REF`` (a git commit, branch or tag) the same workloads run on a
checkout of REF too (a temporary ``git worktree``), side by side, with the ratio.

With ``--where`` each count is also split by what the interpreter spent it on (its own C
functions, from ``callgrind_annotate``, in groups: the bytecode loop, frames and calls,
memory, integer masks, dictionaries, sets, ...), instructions a claim: where a workload's
cost lies when no single Python function stands out.

Workloads (default: all that can run):

- ``from_dict``: ``Claim.from_dict`` of the typical professional claims of
  ``tests/claims_gen.make_professional``; ``from_json``: ``Claim.from_json`` of the same
  as JSON text;
- ``check``: ``Checker().check`` of those claims (the Medicare professional profile, the
  bundled tables);
- ``jsonl``: JSON line -> report -> JSON line, as ``codekit check --format jsonl``;
- ``tables``: ``check`` with the practitioner PTP and MUE tables of July 2024 loaded
  (``../shared``; the claims moved into that quarter);
- ``inpatient``: the ``medicare-inpatient`` profile over
  ``tests/claims_gen.make_inpatient`` (PCS procedures, POA indicators);
- ``stream``: ``check_many`` + ``Report.rows`` (what ``bench_spark.py``'s plain pass does)
  over JSON claims the process has not seen, after as many others: the first pass of a
  stream, where each diagnosis and procedure new to the process is resolved and its notes
  read (what every Spark worker and every fresh process pays);
- ``inpatient_stream``: the ``medicare-inpatient`` profile over inpatient claims the process
  has not seen, after as many others: the dates, diagnoses and procedures of a real stream
  are mostly new (``inpatient`` re-checks claims already seen);
- not run unless named, the parts of ``inpatient`` that ``bench/inpatient_floor.py``
  times, here in instructions: ``inpatient_context`` (``ClaimContext`` alone),
  ``inpatient_no_rules`` (the checker with no rules: claim limits, routing, context,
  plan, report), ``inpatient_one_pass`` (that bench's yardstick: the rules' usual
  work in one plain function), ``inpatient_resolve`` (its first part: resolving the
  codes) and ``inpatient_without_usual`` (the checker without the rules whose work the
  yardstick does, ``inpatient_floor.EVERY_CLAIM``): the ceiling of fusing those rules is
  ``inpatient_without_usual`` + ``inpatient_one_pass`` - ``inpatient_resolve``; and
  ``commercial``: ``check``'s claims with another payer (the ``commercial`` profile); and
  ``g2211``: ``check`` of only the claims of that workload's generator that bill G2211
  (about one in 23; the first ``--n`` of them): what a claim costs that runs the policy
  interpreter's general path (``MCR-G2211-MOD25``'s quantifiers, and its finding on most);
  and ``to_json``: ``Report.to_json()`` of ``check``'s reports, the report's JSON alone
  (what ``jsonl`` spends writing: about one report in three has findings); and
  ``command``: ``codekit check --format jsonl --quiet`` itself over a file of ``jsonl``'s
  lines (its reader, ``Input`` objects, the summary's count, the text stream to
  ``/dev/null``), the parsed command run on a checker warmed by a first run over the same
  file (the command makes a new checker each run, whose plans are made again; here it is
  given the warmed one): the once-a-run work (opening the file, the signal handlers, the
  format detection) is in the count, spread over the ``--n`` claims.

Needs ``valgrind`` (``apt install valgrind``); a workload whose input is missing is
skipped and said so.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "reference" / "northstar_2024q3"  # as bench_batch
PTP_CSV = SHARED / "ncci_ptp_practitioner_2024q3.csv.gz"
MUE_CSV = SHARED / "ncci_mue_practitioner_2024q3.csv"
WORKLOADS = ("from_dict", "from_json", "check", "jsonl", "tables", "inpatient", "stream",
             "inpatient_stream")
PARTS = ("inpatient_context", "inpatient_no_rules", "inpatient_one_pass", "inpatient_resolve",
         "inpatient_without_usual")
#: Workloads run only when named, besides :data:`PARTS`.
NAMED = (*PARTS, "commercial", "g2211", "to_json", "command")


def child(root: Path, workload: str, n: int, ptp_ckt: str) -> None:
    """Build the workload on the codekit of ``root``, warm it, switch callgrind's
    instrumentation on, and run one counted pass inside ``functools.reduce`` (the
    function callgrind collects in)."""
    sys.path[:0] = [str(root / "src"), str(ROOT), str(ROOT / "bench")]
    import json

    import codekit  # the tree's own, before bench_batch puts this tree's src on the path
    from codekit import Checker, Claim, ncci
    from codekit.batch import report_of

    assert Path(codekit.__file__).is_relative_to(root), codekit.__file__
    from tests.claims_gen import make_inpatient

    from bench_batch import claims

    step: Any
    items: list[Any]
    warm: list[Any] | None = None  # what warms the process when not ``items`` themselves
    dicts = [] if workload == "stream" else make_inpatient(n) if workload == "inpatient" \
        or workload in PARTS \
        else make_inpatient(2 * n) if workload == "inpatient_stream" \
        else _g2211(n) if workload == "g2211" \
        else claims(n, into_2024q3=workload == "tables")
    if workload == "commercial":
        for d in dicts:
            d["payer"] = "commercial"
    if workload == "stream":
        checker = Checker()
        more = [json.dumps(d, separators=(",", ":")) for d in claims(2 * n)]
        # one step over all the texts: the first n warm the process, the next n are counted
        warm, items = [more[:n]], [more[n:]]

        def step(acc: int, texts: Any) -> int:
            return acc + sum(len(r.rows()) for r in checker.check_many(texts))
    elif workload in ("from_dict", "from_json"):
        items = dicts if workload == "from_dict" else [json.dumps(d) for d in dicts]
        make = Claim.from_dict if workload == "from_dict" else Claim.from_json

        def step(acc: int, item: Any) -> int:
            make(item)
            return acc
    elif workload == "jsonl":
        checker = Checker().preload()
        items = [json.dumps(d) for d in dicts]

        def step(acc: int, line: Any) -> int:
            _ = f'{{"input": {acc}, ' + report_of(checker, line).to_json()[1:] + "\n"
            return acc + 1
    elif workload == "command":
        from codekit.cli import _parser
        from codekit.cli import check as command

        checker = Checker().preload()
        path = Path(tempfile.mkdtemp()) / "claims.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in dicts), encoding="utf-8")
        args = _parser().parse_args(["check", "--format", "jsonl", "--quiet", str(path)])
        command._checker = lambda _args: checker  # the warmed one, plans made
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - the process's
        items = [args]

        def step(acc: int, parsed: Any) -> int:
            return acc + command._cmd_check(parsed)
    elif workload == "to_json":
        checker = Checker().preload()
        items = [checker.check(Claim.from_dict(d)) for d in dicts]

        def step(acc: int, report: Any) -> int:
            report.to_json()
            return acc
    else:
        if workload == "tables":
            lib = ncci.TableLibrary([ncci.load_ptp(ptp_ckt), ncci.load_mue(MUE_CSV)])
            checker = Checker(tables=lib).preload()  # the claims are in its quarter
        elif workload.startswith("inpatient"):
            checker = Checker(profile="medicare-inpatient", policies=()).preload()
        else:
            checker = Checker().preload()
        items = [Claim.from_dict(d) for d in dicts]
        if workload == "inpatient_stream":  # the first n warm the process, the next counted
            warm, items = items[:n], items[n:]
        check = _part(workload, checker, items[0])

        def step(acc: int, claim: Any) -> int:
            check(claim)
            return acc
    # warm: not counted (instrumentation is off)
    functools.reduce(step, items if warm is None else warm, 0)
    # a full collection now, not in the counted pass: whether the warm-up's garbage tips a
    # collection of every generation into the counted pass depended on how many objects
    # the tree made while loading (one such collection is ~120,000 instructions a claim
    # of 300 in ``check``: a change that allocated a few more at start-up "cost" 58 %)
    gc.collect()
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())],
                   stdout=subprocess.DEVNULL, check=True)
    until = time.time() + 2  # callgrind takes the command at its next poll
    while time.time() < until:
        pass
    functools.reduce(step, items, 0)


#: (group, substrings of a C function's name in it), first match wins: what ``--where``
#: sorts the interpreter's functions into.
GROUPS = (
    ("bytecode loop", ("_PyEval_EvalFrameDefault",)),
    ("frames and calls", ("_PyFrame_", "initialize_locals", "_PyEvalFramePushAndInit",
                          "_PyThreadState_PopFrame", "_PyThreadState_Push", "_PyEval_Vector",
                          "_PyObject_MakeTpCall", "_PyObject_Call", "vectorcall",
                          "method_vectorcall", "_PyFunction_Vectorcall", "gen_")),
    ("memory (alloc, free, GC)", ("obmalloc", "_PyObject_Free", "_PyObject_Malloc",
                                  "dealloc", "_GC_", "GC_Link", "GC_Del", "GC_UnTrack",
                                  "_Py_NewReference", "PyType_GenericAlloc", "memset",
                                  "_PyLong_New", "tuple_alloc", "PyTuple_New",
                                  "_Py_Dealloc", "PyObject_GC_Del", "clear_freelist", "_PyTrash",
                                  "PyList_New", "_PyTuple_FromArray", "PyTuple_Pack")),
    ("integer masks (big-int &, |, bit_count)", (
        "long_bitwise", "long_and", "long_or", "PyNumber_And", "PyNumber_Or",
        "PyNumber_InPlaceOr", "PyNumber_InPlaceAnd", "popcount", "int_bit_count")),
    ("iteration (for, zip, enumerate, map)", ("iter", "_next", "GetIter")),
    ("dictionaries", ("dict", "unicodekeys_lookup", "insertdict", "lookdict")),
    ("sets and frozensets", ("set_", "setobject", "frozenset")),
    ("JSON", ("_json.c", "scanstring", "scan_once", "encoder_", "py_encode")),
    ("strings and hashing", ("unicode", "siphash", "_Py_HashBytes", "memcmp", "memcpy",
                             "memmove", "str_")),
    ("attributes and types", ("GetAttr", "_PyType_Lookup", "SetAttr", "descr_",
                              "slot_tp_", "member_get", "member_set", "property_")),
)


def where(out: Path, n: int) -> list[tuple[str, float]]:
    """Instructions a claim by :data:`GROUPS` (and "other"), most first, from a callgrind
    output file of ``n`` claims."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100",
                           str(out)], capture_output=True, text=True, check=True).stdout
    totals: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 3 or not parts[0].replace(",", "").isdigit() or ":" not in line \
                or "PROGRAM TOTALS" in line:
            continue
        ir = int(parts[0].replace(",", ""))  # then "file:function [object]"
        group = next((g for g, keys in GROUPS if any(k in line for k in keys)), "other")
        totals[group] = totals.get(group, 0) + ir / n
    return sorted(totals.items(), key=lambda kv: -kv[1])


def _g2211(n: int) -> list[dict[str, Any]]:
    """The first ``n`` claims of ``bench_batch.claims`` that bill G2211 (a run of 30
    claims a G2211 claim wanted: one in 23 bills it)."""
    from bench_batch import claims

    def bills(d: dict[str, Any]) -> bool:
        return any(str(ln["procedure_code"]).strip().upper() == "G2211"
                   for ln in d["service_lines"])

    return [d for d in claims(30 * n) if bills(d)][:n]


def _part(workload: str, checker: Any, first: Any) -> Any:
    """What a workload calls on each claim: ``checker.check``, or a part of it (PARTS);
    the context is made as the checker makes it, routed once on the ``first`` claim (as
    ``bench/inpatient_floor.py`` does: the inpatient claims share a profile)."""
    if workload == "inpatient_no_rules":
        import attrs

        return attrs.evolve(checker, rules=()).preload().check
    if workload == "inpatient_context":
        from codekit.rules import ClaimContext

        where = checker.route(first)
        profile, tables = where.profile, checker.tables_for(where.profile)
        return lambda claim: ClaimContext(claim, profile, tables, where.payer)
    if workload == "inpatient_one_pass":
        from inpatient_floor import one_pass

        return one_pass
    if workload == "inpatient_resolve":
        from inpatient_floor import resolve

        return resolve
    if workload == "inpatient_without_usual":
        import attrs

        from inpatient_floor import EVERY_CLAIM

        profile = checker.route(first).profile.evolve(disable=EVERY_CLAIM)
        return attrs.evolve(checker, profile=profile).preload().check
    return checker.check


def count(root: Path, workload: str, n: int, ptp_ckt: str,
          split: list[tuple[str, float]] | None = None) -> float:
    """Instructions a claim of ``workload`` on the codekit of ``root`` (and, into
    ``split`` when given, the same by :func:`where`)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
               "--toggle-collect=functools_reduce", f"--callgrind-out-file={out}",
               sys.executable, __file__, "--child", str(root), workload, str(n), ptp_ckt]
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
        for line in proc.stderr.splitlines():
            if "Collected :" in line:
                if split is not None:
                    split.extend(where(out, n))
                return int(line.split(":")[-1]) / n
        raise SystemExit(f"{workload} on {root}: no count\n{proc.stderr[-2000:]}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        root, workload, n, ptp = sys.argv[2:6]
        child(Path(root), workload, int(n), ptp)
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workloads", nargs="*", metavar="WORKLOAD",
                    help=f"any of {', '.join(WORKLOADS + NAMED)} (default: the first "
                    f"{len(WORKLOADS)})")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--against", metavar="REF")
    ap.add_argument("--where", action="store_true",
                    help="split each count by what the interpreter spent it on")
    args = ap.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("valgrind is not installed (apt install valgrind)")
    workloads = args.workloads or list(WORKLOADS)
    unknown = sorted(set(workloads) - set(WORKLOADS) - set(NAMED))
    if unknown:
        ap.error(f"unknown workload(s) {', '.join(unknown)}; known: "
                 f"{', '.join(WORKLOADS + NAMED)}")
    with tempfile.TemporaryDirectory() as tmp:
        ptp_ckt = str(Path(tmp) / "ptp.ckt")
        if "tables" in workloads:
            if PTP_CSV.exists() and MUE_CSV.exists():
                sys.path.insert(0, str(ROOT / "src"))
                from codekit import ncci

                ncci.load_ptp(PTP_CSV).save(ptp_ckt)  # the children open it in ms
            else:
                print(f"tables: skipped ({SHARED} not found)")
                workloads.remove("tables")
        roots = [("this tree", ROOT)]
        if args.against:
            other = Path(tmp) / "against"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                            str(other), args.against], check=True)
            roots.insert(0, (args.against, other))
        try:
            print(f"instructions a claim, {args.n:,} claims a workload (callgrind)")
            print(f"{'workload':<24}" + "".join(f"{name:>16}" for name, _ in roots)
                  + (f"   {args.against} / this tree" if len(roots) > 1 else ""))
            for w in workloads:
                splits: list[list[tuple[str, float]]] = [[] for _ in roots]
                counts = [count(root, w, args.n, ptp_ckt, split if args.where else None)
                          for (_, root), split in zip(roots, splits, strict=True)]
                ratio = f"  {counts[0] / counts[1]:7.3f}x" if len(counts) > 1 else ""
                print(f"{w:<24}" + "".join(f"{c:>16,.0f}" for c in counts) + ratio,
                      flush=True)
                if args.where:
                    _print_where(splits, counts)
        finally:
            if args.against:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(other)], check=False)


def _print_where(splits: list[list[tuple[str, float]]], counts: list[float]) -> None:
    """The groups of :func:`where` under a workload's line, one column a tree."""
    by_tree = [dict(split) for split in splits]
    groups = list(by_tree[-1]) + [g for d in by_tree[:-1] for g in d if g not in by_tree[-1]]
    for g in groups:
        cells = [f"{d.get(g, 0.0):>9,.0f} {d.get(g, 0.0) / total:4.0%}"
                 for d, total in zip(by_tree, counts, strict=True)]
        print(f"  {g:<42}" + "".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
