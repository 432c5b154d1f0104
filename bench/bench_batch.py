"""Claims in bulk: JSON lines in, JSON-line reports out, on one core and on two.

    python bench/bench_batch.py [--n 200000] [--stream 1000000]

Typical professional claims (``tests/claims_gen.make_professional``: Medicare 837P
claims over one quarter, 1-4 lines, 2-6 diagnoses, about one claim in five with a finding),
with a claim id and line ids, written as JSON lines. Measured in one run:

1. ``Claim.from_dict`` streamed (build, then drop), and ``Claim.from_json`` (reading
   with ``orjson`` when installed, the ``fast`` extra, and with ``json`` alone);
2. end to end in one process, warm (every (code, date) seen once before): JSON line ->
   claim -> report -> JSON line, as ``codekit check --format jsonl`` does, with each
   reader;
3. ``Checker.check_many(processes=2)`` against ``processes=1`` on the same claims (JSON
   text in, JSON text out: ``render`` in the workers); beside it, what two processes at
   once give on this machine: a small pure-Python loop, and the one-process loop of 2
   itself run in two forked processes (the same working set, nothing sent);
4. with the practitioner PTP and MUE tables of July 2024 loaded (``../shared``; claims
   moved into that quarter), warm;
5. peak RSS of ``codekit check --format jsonl`` over streams of ``--stream`` / 5 and
   ``--stream`` distinct claims (generated ``--n`` at a time, each batch from its own
   seed: codes, dates and ids as a real stream brings them, not the same lines again),
   in a child process, RSS sampled as it runs (memory must level off: the stream is
   never held, and every cache is bounded).

Rates are **CPU time** (``time.process_time``; for ``check_many`` the parent's and the
workers' ``getrusage`` time): on a machine shared with other jobs wall time measures the
other jobs. Each line prints the measure, its target and the ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.claims_gen import make_professional, with_ids  # noqa: E402

from codekit import Checker, Claim, _json, ncci  # noqa: E402
from codekit.batch import check_many, report_of  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "reference"


def claims(n: int, *, into_2024q3: bool = False) -> list[dict[str, Any]]:
    """``n`` claims with ids; ``into_2024q3`` moves them from 2025 Q4 to 2024 Q3 (the
    quarter of the practitioner tables in ../shared), month for month."""
    out = with_ids(make_professional(n), "PCN{:07d}")
    for d in out:
        if into_2024q3:
            _, m, day = map(int, d["date_of_service"].split("-"))
            d["date_of_service"] = f"2024-{m - 3:02d}-{min(day, 30):02d}"
    return out


def best(fn: Callable[[], int], repeat: int = 3) -> float:
    """Items per CPU second (this process), best of ``repeat`` runs."""
    rates = []
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        n = fn()
        rates.append(n / (time.process_time() - t))
    return max(rates)


def _cpu() -> tuple[float, float]:
    """(this process's CPU seconds, its finished children's)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def show(what: str, rate: float, target: float, unit: str = "claims/s") -> None:
    """One measure beside its target, with the ratio."""
    verdict = "met" if rate >= target else "NOT met"
    fmt = ",.2f" if target < 10 else ",.0f"
    print(f"  {what:<34}{rate:>10{fmt}} {unit}   target {target:>8{fmt}}   "
          f"{rate / target:5.2f}x  {verdict}")


def jsonl_pipeline(checker: Checker, lines: Iterable[str]) -> int:
    """JSON line -> report -> JSON line (what ``codekit check --format jsonl`` does)."""
    n = 0
    sink = open(os.devnull, "w")  # noqa: SIM115
    with sink:
        for n, line in enumerate(lines, 1):
            # as the CLI writes it: {"input": n, **report.to_dict()} as JSON
            sink.write(f'{{"input": {n}, ' + report_of(checker, line).to_json()[1:] + "\n")
    return n


def _to_json(report: Any) -> str:
    return report.to_json()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--stream", type=int, default=1_000_000)
    args = ap.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    dicts = claims(args.n)
    lines = [json.dumps(d) for d in dicts]
    checker = Checker().preload()

    print(f"== 1. Claim.from_dict ({len(dicts):,} claims)")

    def build() -> int:
        for d in dicts:
            Claim.from_dict(d)
        return len(dicts)

    def parse_build() -> int:
        for line in lines:
            Claim.from_json(line)
        return len(lines)

    show("from_dict, streamed", best(build), 100_000)
    fast = _json.fast_loads
    readers = [("orjson", fast), ("json", None)] if fast is not None else [("json", None)]
    for name, reader in readers:
        _json.fast_loads = reader
        print(f"  {'Claim.from_json, ' + name:<34}{best(parse_build):>10,.0f} claims/s")
    _json.fast_loads = fast
    if fast is None:
        print("  (orjson is not installed: pip install 'codekit[fast]' reads claims faster)")

    print("== 2. end to end, one process: JSON line -> report -> JSON line (CPU time)")
    jsonl_pipeline(checker, lines)  # the first pass: every (code, date) seen once
    for name, reader in readers:  # the installed reader first: the target's line
        _json.fast_loads = reader
        show(f"warm, claims read with {name}", best(lambda: jsonl_pipeline(checker, lines)),
             30_000)
    _json.fast_loads = fast

    print("== 3. check_many: two processes against one (JSON text in, JSON text out)")

    def many(processes: int) -> tuple[float, float, float]:
        """(CPU seconds of this process, of the workers, wall seconds)."""
        gc.collect()
        me, kids = _cpu()
        t = time.perf_counter()
        for _ in check_many(checker, lines, processes=processes, chunk_size=500,
                            render=_to_json):
            pass
        wall = time.perf_counter() - t
        me2, kids2 = _cpu()
        return me2 - me, kids2 - kids, wall

    n = len(lines)
    one = min((many(1) for _ in range(2)), key=lambda r: r[0])
    two = min((many(2) for _ in range(2)), key=lambda r: r[0] + r[1])
    # two processes on two idle cores: the work (parent + workers) spread over both
    # cores, and never less than the parent's own share
    two_core = max((two[0] + two[1]) / 2, two[0])
    print(f"  processes=1: {one[0]:.2f} s CPU, {n / one[0]:,.0f} claims/s "
          f"(wall {one[2]:.1f} s)")
    print(f"  processes=2: {two[0]:.2f} s CPU parent + {two[1]:.2f} s CPU workers = "
          f"{(two[0] + two[1]) / n * 1e6:.1f} us a claim against {one[0] / n * 1e6:.1f} "
          f"(wall {two[2]:.1f} s)")
    show("2 processes on 2 idle cores (CPU)", one[0] / two_core, 1.8, unit="x one   ")
    print(f"  the machine's own: a pure-Python loop in two processes at once runs "
          f"{machine_scaling():.2f}x one")
    alone, together = pair_scaling(checker, lines)
    print(f"  the one-process loop itself, in two forked processes at once (no check_many, "
          f"nothing sent): {together / n * 1e6:.1f} us a claim against {alone / n * 1e6:.1f}"
          f" alone: {2 * alone / together:.2f}x one, the most check_many can reach with "
          "this working set")

    print("== 4. with the practitioner PTP and MUE tables (July 2024) loaded")
    ptp = SHARED / "northstar_2024q3" / "ncci_ptp_practitioner_2024q3.csv.gz"
    mue = SHARED / "northstar_2024q3" / "ncci_mue_practitioner_2024q3.csv"
    if ptp.exists() and mue.exists():
        lib = ncci.TableLibrary([ncci.load_ptp(ptp), ncci.load_mue(mue)])
        tabled = Checker(tables=lib).preload()
        q3 = [Claim.from_dict(d) for d in claims(min(args.n, 100_000), into_2024q3=True)]

        def check_all() -> int:
            for c in q3:
                tabled.check(c)
            return len(q3)

        check_all()
        rate = best(check_all)
        show("check, warm", rate, 25_000)
        ptp_findings = sum(1 for c in q3[:20_000] for f in tabled.check(c).findings
                           if f.rule in ("NCCI_PTP_CONFLICT", "MUE_EXCEEDED",
                                         "EM_MINOR_PROC_NO_MOD25"))
        print(f"  {ptp_findings:,} NCCI findings in the first 20,000 claims")
    else:
        print("  skipped: ../shared/data/reference/northstar_2024q3 not found")

    print("== 5. memory: codekit check --format jsonl over a stream, in a child process")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "claims.jsonl"
        written = 0
        for size in (args.stream // 5, args.stream):
            with open(src, "a") as f:
                while written < size:
                    batch = with_ids(make_professional(min(len(dicts), size - written),
                                                       seed=20251103 + 1 + written),
                                     "S{:08d}", written)
                    f.writelines(json.dumps(d) + "\n" for d in batch)
                    written += len(batch)
            rss = _peak_rss_of([sys.executable, "-m", "codekit", "check", str(src),
                                "--format", "jsonl", "--quiet"])
            print(f"  {size:>9,} distinct claims: peak RSS {rss[0]:.0f} MiB, {rss[2]:.0f} s "
                  f"CPU ({size / rss[2]:,.0f} claims/s with process start-up)")


def _spin(_: object = None) -> float:
    """CPU seconds of a fixed pure-Python loop (small working set)."""
    t = time.process_time()
    memo: dict[int, int] = {}
    total = 0
    for i in range(3_000_000):
        total += i % 7
        memo[i & 1023] = total
    return time.process_time() - t


def machine_scaling() -> float:
    """How two processes at once compare with one on a loop that shares nothing: the
    most ``check_many(processes=2)`` can reach on this machine (its cores may be two
    threads of one, or shared with other machines)."""
    import multiprocessing

    one = min(_spin() for _ in range(2))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        two = min(max(pool.map(_spin, [0, 1])) for _ in range(2))
    return 2 * one / two


def pair_scaling(checker: Checker, lines: list[str]) -> tuple[float, float]:
    """(CPU seconds of the end-to-end loop over ``lines`` alone, the mean CPU seconds of
    the same loop in two forked processes at once): what two cores give this working set
    (the caches of the checker, its tables) when nothing crosses a process boundary."""
    def timed() -> float:
        t = time.process_time()
        jsonl_pipeline(checker, lines)
        return time.process_time() - t

    alone = min(timed() for _ in range(2))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the second process: the same loop, its time through the pipe
        try:
            os.write(write, repr(timed()).encode())
        finally:
            os._exit(0)
    mine = timed()
    os.waitpid(pid, 0)
    other = float(os.read(read, 64))
    os.close(read)
    os.close(write)
    return alone, (mine + other) / 2


def _peak_rss_of(cmd: list[str]) -> tuple[float, float, float]:
    """(peak RSS in MiB, wall seconds, CPU seconds) of a child process, its output
    discarded."""
    t = time.perf_counter()
    _, before = _cpu()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env={**os.environ,
                            "PYTHONPATH": str(ROOT / "src")})
    peak = 0.0
    status = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            pass
        time.sleep(0.2)
    _, after = _cpu()
    return peak, time.perf_counter() - t, after - before


if __name__ == "__main__":
    main()
