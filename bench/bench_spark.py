"""Claims on Spark against one plain Python process: throughput, overhead, same findings.

    pip install -e '.[spark]'
    python bench/bench_spark.py [--n 2000000] [--chunk 200000] [--small 200000]
                                [--shape nested|json|both]

Workload: ``--n`` typical Medicare professional claims (``tests/claims_gen.make_professional``,
fixed seeds, one per chunk of ``--chunk``), each with a claim id and line ids, dates as
Parquet dates. Measured in one run, on the same claims:

1. **plain Python**: one process on one core, ``Checker.check_many`` over the claim dicts
   (as generated: no file reading), each report turned into its finding rows
   (``Report.rows``) -- what a Python job without Spark does. The chunks are written to
   Parquet (nested: one row per claim) between the timed passes.
2. **Spark** ``local[2]``: ``codekit.spark.check`` on the Parquet claims (read, check,
   write the findings as Parquet), wall time of the job. ``--shape json``: the lake holds
   each claim as JSON text beside its claim id (two string columns, ``json.dumps`` of the
   claim dict) instead of nested columns, so the JVM reads text and writes no JSON;
   ``--shape both`` writes both lakes and times one job on each, against the same plain
   pass. Each side first checks the first 20,000 claims untimed (workers started, tables
   opened).
3. **findings identical**: counts by rule over every claim, and every finding of one claim
   in 997, row for row.
4. the long (one row per line) and JSON shapes on the first ``--small`` claims.

Prints claims/s and lines/s, per core, and the Spark overhead: how much of a core's
plain-Python rate a Spark core keeps. The machine's load average is printed before and
after: the development VM is shared.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "src"), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
warnings.filterwarnings("ignore", message=".*does not yet fully support pandas")

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from tests.claims_gen import make_professional, nested_table, with_ids  # noqa: E402

from codekit import Checker  # noqa: E402

SAMPLE = 997
WARM = 20_000

def chunk(k: int, size: int, start: int) -> list[dict[str, Any]]:
    return with_ids(make_professional(size, seed=20251103 + k), "PCN{:09d}", start)


def key(row: dict[str, Any]) -> str:
    return repr(tuple(tuple(row[k]) if isinstance(row[k], list) else row[k] for k in (
        "claim_id", "line", "line_id", "rule", "severity", "path", "codes", "message", "fix",
        "catalog")))


def family_cpu() -> float:
    """CPU seconds (user + system, reaped children included) of every process this one
    started: the Spark JVM, the PySpark daemon and its Python workers."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        stats[int(stat.parent.name)] = (int(fields[1]), sum(map(int, fields[11:15])) / tick)
    family, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, (ppid, _) in stats.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    family.discard(os.getpid())
    return sum(stats[pid][1] for pid in family if pid in stats)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2_000_000)
    ap.add_argument("--chunk", type=int, default=200_000)
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--shape", choices=("nested", "json", "both"), default="nested",
                    help="how the lake holds the claims the timed Spark job reads")
    args = ap.parse_args()
    import pyspark

    print(f"Python {sys.version.split()[0]}, PySpark {pyspark.__version__}, pyarrow "
          f"{pa.__version__}, {os.cpu_count()} CPUs; {load()}")
    tmp = Path(tempfile.mkdtemp(prefix="codekit-bench-spark-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def lake(shape: str, dicts: list[dict[str, Any]]) -> pa.Table:
    """The claims as the lake of ``shape`` holds them."""
    if shape == "nested":
        return nested_table(dicts)
    return pa.table({"claim_id": [d["claim_id"] for d in dicts],
                     "claim": [json.dumps(d, separators=(",", ":")) for d in dicts]})


def run(args: argparse.Namespace, tmp: Path) -> None:
    checker = Checker()
    shapes = ["nested", "json"] if args.shape == "both" else [args.shape]
    for shape in shapes:
        (tmp / shape).mkdir()
    counts: collections.Counter[str] = collections.Counter()
    sample: list[str] = []
    n = lines = 0
    seconds = cpu = 0.0
    small: list[dict[str, Any]] = []
    print(f"== 1. plain Python: one process, check_many + Report.rows over {args.n:,} claims")
    for k, start in enumerate(range(0, args.n, args.chunk)):
        dicts = chunk(k, min(args.chunk, args.n - start), start)
        if k == 0:
            for _ in checker.check_many(dicts[:WARM]):
                pass
        if len(small) < args.small:
            small += dicts[:args.small - len(small)]
        t, c = time.perf_counter(), time.process_time()
        rows = [r for report in checker.check_many(dicts) for r in report.rows()]
        seconds += time.perf_counter() - t
        cpu += time.process_time() - c
        lines += sum(len(d["service_lines"]) for d in dicts)
        n += len(dicts)
        counts.update(r["rule"] for r in rows)
        sample += [key(r) for r in rows if int(r["claim_id"][3:]) % SAMPLE == 0]
        for shape in shapes:
            pq.write_table(lake(shape, dicts), tmp / shape / f"part-{k:04d}.parquet",
                           row_group_size=50_000)
        print(f"  chunk {k}: {len(dicts):,} claims, {len(rows):,} findings "
              f"({time.perf_counter() - t:.1f} s with the Parquet write)", flush=True)
    py_rate = n / seconds
    print(f"  {n:,} claims, {lines:,} lines, {sum(counts.values()):,} findings in "
          f"{seconds:.1f} s: {py_rate:,.0f} claims/s, {lines / seconds:,.0f} lines/s "
          f"on one core; {load()}")
    print(f"  CPU {cpu:.1f} s: {1e6 * cpu / n:.1f} us a claim")

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    import codekit.spark as cks

    t = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("codekit-bench")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "4g")
             # ~ 100,000 claims a partition: work for both cores, little per-task cost
             .config("spark.sql.files.maxPartitionBytes", str(4 << 20))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    print(f"  Spark session start {time.perf_counter() - t:.1f} s")
    timed: dict[str, tuple[float, float]] = {}
    for shape in shapes:
        print(f"== 2. Spark local[2]: read Parquet ({shape}), codekit.spark.check, write "
              "Parquet")
        claims = spark.read.parquet(str(tmp / shape))
        print(f"  {claims.rdd.getNumPartitions()} input partitions")
        t = time.perf_counter()
        # both Python workers: two tasks
        cks.check(claims.limit(WARM).repartition(2), checker=checker).write.format(
            "noop").mode("overwrite").save()
        print(f"  warm-up on {WARM:,} claims {time.perf_counter() - t:.1f} s")
        out = tmp / f"findings-{shape}"
        t, c = time.perf_counter(), family_cpu()
        cks.check(claims, checker=checker).write.parquet(str(out))
        spark_seconds = time.perf_counter() - t
        spark_cpu = family_cpu() - c
        timed[shape] = (spark_seconds, spark_cpu)
        print(f"  {n:,} claims in {spark_seconds:.1f} s: {n / spark_seconds:,.0f} claims/s, "
              f"{lines / spark_seconds:,.0f} lines/s on 2 cores; {load()}")
        print(f"  CPU of the JVM and the Python workers {spark_cpu:.1f} s: "
              f"{1e6 * spark_cpu / n:.1f} us a claim")

        print(f"== 3. the same findings ({shape})")
        found = spark.read.parquet(str(out))
        spark_counts = {r["rule"]: r["count"]
                        for r in found.groupBy("rule").count().collect()}
        same_counts = spark_counts == dict(counts)
        picked = found.where((F.substring("claim_id", 4, 9).cast("long") % SAMPLE) == 0)
        spark_sample = sorted(key(r.asDict()) for r in picked.collect())
        same_sample = spark_sample == sorted(sample)
        print(f"  counts by rule identical: {same_counts} ({len(counts)} rules, "
              f"{sum(spark_counts.values()):,} findings)")
        print(f"  every finding of 1 claim in {SAMPLE} identical: {same_sample} "
              f"({len(sample):,} findings)")
        if not (same_counts and same_sample):
            for rule in sorted(set(counts) | set(spark_counts)):
                if counts.get(rule) != spark_counts.get(rule):
                    print(f"    {rule}: python {counts.get(rule)}, "
                          f"spark {spark_counts.get(rule)}")

    print(f"== 4. other shapes, first {len(small):,} claims")
    small_lines = sum(len(d["service_lines"]) for d in small)
    t = time.perf_counter()
    for _ in checker.check_many(small):
        pass
    base = len(small) / (time.perf_counter() - t)
    texts = spark.createDataFrame([(d["claim_id"], json.dumps(d)) for d in small],
                                  "claim_id string, claim string")
    texts = texts.repartition(4).cache()
    texts.count()
    t = time.perf_counter()
    cks.check(texts, checker=checker).write.format("noop").mode("overwrite").save()
    json_rate = len(small) / (time.perf_counter() - t)
    pq.write_table(nested_table(small), tmp / "small.parquet")
    nested = spark.read.parquet(str(tmp / "small.parquet"))
    long = nested.select(
        "claim_id", "claim_type", "payer", "patient", "date_of_service", "diagnoses",
        F.explode("service_lines").alias("l")).select("*", "l.*").drop("l").cache()
    long.count()
    t = time.perf_counter()
    cks.check(long, checker=checker, format="lines").write.format("noop").mode(
        "overwrite").save()
    long_rate = len(small) / (time.perf_counter() - t)
    print(f"  plain Python (dicts)            {base:>10,.0f} claims/s  one core")
    print(f"  JSON text column                {json_rate:>10,.0f} claims/s  2 cores, "
          f"{json_rate / 2 / base:.2f}x a core's plain rate per core")
    print(f"  long format ({small_lines / len(small):.2f} lines a claim) "
          f"{long_rate:>10,.0f} claims/s  2 cores (shuffle + sort), "
          f"{long_rate / 2 / base:.2f}x per core")
    spark.stop()

    print("== summary")
    print(f"  plain Python, one core      {py_rate:>10,.0f} claims/s  "
          f"{lines / seconds:>10,.0f} lines/s   CPU {1e6 * cpu / n:.1f} us a claim")
    for shape, (spark_seconds, spark_cpu) in timed.items():
        spark_rate = n / spark_seconds
        per_core = spark_rate / 2
        print(f"  Spark local[2], {shape + ' lake':<12}{spark_rate:>10,.0f} claims/s  "
              f"{lines / spark_seconds:>10,.0f} lines/s   {spark_rate / py_rate:.2f}x "
              "(target 1.6x)")
        print(f"    per core                  {per_core:>10,.0f} claims/s  "
              f"{lines / spark_seconds / 2:>10,.0f} lines/s   {per_core / py_rate:.0%} of a "
              f"plain core (overhead {1 - per_core / py_rate:.0%})")
        print(f"    by CPU time (what the machine's other load does not decide): Spark "
              f"{1e6 * spark_cpu / n:.1f} us a claim: {cpu / spark_cpu:.0%} of a plain "
              f"core's rate per core; on two idle cores {2 * cpu / spark_cpu:.2f}x one "
              f"plain core; per core {n / spark_cpu:,.0f} claims/s, "
              f"{lines / spark_cpu:,.0f} lines/s")
        day = 1e9 / (lines / spark_seconds / 2)
        print(f"    1 billion lines: {day / 3600:,.1f} core-hours at this rate -> "
              f"{day / 86400:.2f} cores busy all day, or {day / 3600 / 16:.2f} h on 16 "
              "cores")


if __name__ == "__main__":
    main()
