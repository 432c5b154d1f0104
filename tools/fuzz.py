"""Fuzz codekit at length: the generators of ``tests/fuzz`` driven by a seeded
``random.Random`` (no hypothesis overhead), every input checked by the oracle of
``tests/fuzz/targets.py`` (only ``CodekitError`` may come out, inputs never change,
results round-trip through JSON).

    python tools/fuzz.py --group codes --inputs 1000000 --jobs 1
    python tools/fuzz.py --group all --inputs 100000 --jobs 2 --out fuzz-out

``--inputs`` is per group (split evenly over the group's targets and over ``--jobs``
worker processes). Each worker runs under an address-space cap (``--memory-mb``) and
each input under a time limit (``--timeout``; an input that hits it is a ``timeout``
escape). The escapes are grouped by site (exception type and the last codekit frame); the
first input of each site gets a reproducer script in ``--out``, as does the slowest input
of each target. The table printed at the end gives per target: inputs, escapes (hits and
sites), the slowest input and its time, peak RSS of the workers, and inputs per second;
``--out``/summary.json holds the same figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class Timeout(BaseException):
    """An input ran longer than ``--timeout``."""


def _alarm(signum: int, frame: Any) -> None:
    raise Timeout


def _setup_worker(memory_mb: int) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("CODEKIT_DATA_DIR", tempfile.mkdtemp(prefix="codekit-fuzz-data-"))
    os.environ.setdefault("CODEKIT_FUZZ_BIG", "1")  # mutate whole real workbooks too
    if memory_mb:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.signal(signal.SIGALRM, _alarm)


def run_chunk(job: dict[str, Any]) -> dict[str, Any]:
    """Run ``job["count"]`` inputs of target ``job["target"]`` (in a worker process)."""
    _setup_worker(job["memory_mb"])
    from tests.fuzz.targets import TARGETS, Escape, check_one

    target = TARGETS[job["target"]]
    out = Path(job["out"])
    rng = random.Random(job["seed"])
    sites: dict[str, dict[str, Any]] = {}
    slowest = (0.0, None)
    warm = random.Random(-job["seed"])
    for _ in range(3):  # first calls import modules and open tables: not an input's cost
        try:
            signal.setitimer(signal.ITIMER_REAL, max(job["timeout"], 60.0))
            check_one(target, target.gen(warm))
        except (Exception, Timeout):
            pass
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    t_start = time.perf_counter()
    count = 0
    draws = 0
    while count < job["count"] and draws < 10 * job["count"] + 100:
        i = draws
        draws += 1
        try:
            inp = target.gen(rng)
        except Exception:  # a generator's own limit (deep junk); draw again
            continue
        count += 1
        t0 = time.perf_counter()
        try:
            signal.setitimer(signal.ITIMER_REAL, job["timeout"])
            esc = check_one(target, inp)
        except Timeout:
            esc = Escape(target.name, "timeout", f"over {job['timeout']} s", "timeout")
        except MemoryError as e:  # raised outside check_one's own handler (rare)
            esc = Escape(target.name, "exception", f"MemoryError: {e}", "MemoryError")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - t0
        if took > slowest[0]:
            slowest = (took, inp)
        if esc is None:
            continue
        s = sites.setdefault(esc.site, {"hits": 0, "error": esc.error, "kind": esc.kind,
                                        "repro": None})
        s["hits"] += 1
        if s["repro"] is None:
            safe = "".join(c if c.isalnum() else "_" for c in esc.site)[:80]
            path = out / f"escape-{target.name}-{safe}-{job['seed']}-{i}.py"
            s["repro"] = _write_repro(path, target, inp, esc)
    slow_path, slow = None, None
    if slowest[1] is not None:
        slow_path = out / f"slowest-{target.name}-{job['seed']}.py"
        slow = _write_repro(slow_path, target, slowest[1], Escape(
            target.name, "slowest", f"slowest input: {slowest[0]:.3f} s", "-"))
    return {"target": target.name, "group": target.group, "inputs": count,
            "seconds": time.perf_counter() - t_start, "sites": sites,
            "slowest": slowest[0], "slowest_repro": slow,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _write_repro(path: Path, target: Any, inp: Any, esc: Any) -> str:
    from tests.fuzz.targets import reproducer

    try:
        path.write_text(reproducer(target, inp, esc), encoding="utf-8")
    except Exception as e:  # never lose the run for a reproducer
        return f"(no reproducer: {type(e).__name__}: {e})"
    return str(path)


def plan(groups: list[str], inputs: int, jobs: int, seed: int, out: Path, timeout: float,
         memory_mb: int, chunk: int = 5000) -> list[dict[str, Any]]:
    """The chunks to run: ``inputs`` per group over its targets (rounded up, so that the
    group gets at least ``inputs``), split over ``jobs`` and in chunks of at most ``chunk``
    inputs (each a fresh worker process, seeded apart). A chunk runs its count of inputs:
    a draw the generator refuses is drawn again, not counted."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from tests.fuzz.targets import targets_of

    chunks = []
    for g in groups:
        targets = targets_of(g)
        if not targets:
            raise SystemExit(f"unknown group or target: {g}")
        per_target = max(1, -(-inputs // len(targets)))  # the group gets at least inputs
        for k, t in enumerate(targets):
            parts = max(1, min(jobs, per_target),
                        -(-per_target // chunk) if chunk > 0 else 1)
            for j in range(parts):
                n = per_target // parts + (1 if j < per_target % parts else 0)
                chunks.append({"target": t.name, "count": n, "seed": seed * 10**6 + k * 10**4 + j,
                               "out": str(out), "timeout": timeout, "memory_mb": memory_mb})
    return chunks


def merge(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per-target totals of the chunks' results."""
    rows: dict[str, dict[str, Any]] = {}
    for r in results:
        row = rows.setdefault(r["target"], {
            "group": r["group"], "inputs": 0, "seconds": 0.0, "sites": {}, "slowest": 0.0,
            "slowest_repro": None, "peak_rss_mb": 0.0})
        row["inputs"] += r["inputs"]
        row["seconds"] += r["seconds"]
        row["peak_rss_mb"] = max(row["peak_rss_mb"], r["peak_rss_mb"])
        if r["slowest"] >= row["slowest"]:
            row["slowest"], row["slowest_repro"] = r["slowest"], r["slowest_repro"]
        for site, s in r["sites"].items():
            cur = row["sites"].setdefault(site, {**s, "hits": 0})
            cur["hits"] += s["hits"]
    return rows


def table(rows: dict[str, dict[str, Any]]) -> str:
    """The figures as a Markdown table (also what ``docs/reliability.md`` records)."""
    lines = ["| target | inputs | escapes (hits / sites) | slowest input | peak RSS | inputs/s |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        hits = sum(s["hits"] for s in r["sites"].values())
        rate = r["inputs"] / r["seconds"] if r["seconds"] else 0.0
        lines.append(f"| {name} | {r['inputs']:,} | {hits:,} / {len(r['sites'])} | "
                     f"{r['slowest']:.2f} s | {r['peak_rss_mb']:.0f} MB | {rate:,.0f} |")
    return "\n".join(lines)


def escape_table(rows: dict[str, dict[str, Any]]) -> str:
    """Every escape site as a Markdown table: target, site, hits, the error, reproducer."""
    lines = ["| target | site | hits | error | reproducer |", "|---|---|---:|---|---|"]
    for name, r in rows.items():
        for site, s in sorted(r["sites"].items(), key=lambda kv: -kv[1]["hits"]):
            err = s["error"][:120].replace("|", "\\|").replace("\n", " ")
            repro = Path(s["repro"]).name if s["repro"] else ""
            lines.append(f"| {name} | `{site}` | {s['hits']:,} | {err} | {repro} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--group", action="append",
                   help="codes, claims, policies, frontdoors, loaders, all, or a target name "
                   "(e.g. loaders.mue); repeatable (default: all)")
    p.add_argument("--inputs", type=int, default=10_000, help="inputs per group")
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=10.0, help="seconds allowed per input")
    p.add_argument("--memory-mb", type=int, default=3072,
                   help="address-space cap of each worker (0: none)")
    p.add_argument("--chunk", type=int, default=5000,
                   help="inputs per worker process at most (results print per chunk; 0: one "
                   "process per target and job, so that peak RSS covers all its inputs)")
    p.add_argument("--out", type=Path, default=Path("fuzz-out"),
                   help="folder for reproducers and summary.json")
    p.add_argument("--report", type=Path, nargs="+", metavar="SUMMARY_JSON",
                   help="print the tables of earlier runs' summary.json files and exit")
    args = p.parse_args(argv)
    if args.report:
        rows = {}
        for f in args.report:
            rows.update(json.loads(f.read_text(encoding="utf-8"))["targets"])
        print(f"{table(rows)}\n\n{escape_table(rows)}")
        return 0
    groups = args.group or ["all"]
    if "all" in groups:
        groups = ["codes", "claims", "policies", "frontdoors", "loaders"]
    args.out.mkdir(parents=True, exist_ok=True)
    chunks = plan(groups, args.inputs, args.jobs, args.seed, args.out.resolve(),
                  args.timeout, args.memory_mb, args.chunk)
    t0 = time.perf_counter()
    ctx = mp.get_context("spawn")
    with ctx.Pool(args.jobs, maxtasksperchild=1) as pool:
        results = []
        for r in pool.imap_unordered(run_chunk, chunks):
            results.append(r)
            _save(args, merge(results))  # after every chunk: a stopped run keeps its figures
            hits = sum(s["hits"] for s in r["sites"].values())
            print(f"{r['target']:<28} {r['inputs']:>9,} inputs {hits:>7,} escapes "
                  f"slowest {r['slowest']:.2f} s  {r['seconds']:.0f} s", flush=True)
    rows = merge(results)
    order = [t["target"] for t in chunks]
    rows = {k: rows[k] for k in dict.fromkeys(order)}
    print()
    print(table(rows))
    print()
    for name, r in rows.items():
        for site, s in sorted(r["sites"].items(), key=lambda kv: -kv[1]["hits"]):
            print(f"{name}: {s['hits']:,} x {s['kind']} {site}\n    {s['error'][:160]}\n"
                  f"    reproducer: {s['repro']}")
    total = sum(r["inputs"] for r in rows.values())
    escapes = sum(s["hits"] for r in rows.values() for s in r["sites"].values())
    print(f"\n{total:,} inputs, {escapes:,} escapes, {time.perf_counter() - t0:.0f} s wall")
    _save(args, rows)
    return 1 if escapes else 0


def _save(args: argparse.Namespace, rows: dict[str, dict[str, Any]]) -> None:
    (args.out / "summary.md").write_text(
        f"{table(rows)}\n\n{escape_table(rows)}\n", encoding="utf-8")
    (args.out / "summary.json").write_text(json.dumps(
        {"args": {k: str(v) for k, v in vars(args).items()}, "targets": rows}, indent=1),
        encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
