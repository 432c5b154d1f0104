"""Claims on Spark against one plain Python process: throughput, overhead, same findings.

    pip install -e '.[spark]'
    python bench/bench_spark.py [--n 2000000] [--chunk 200000] [--small 200000]
                                [--shape nested|json|both]

Workload: ``--n`` typical Medicare professional claims (``tests/claims_gen.make_professional``,
fixed seeds, one per chunk of ``--chunk``), each with a claim id and line ids, dates as
Parquet dates. Measured in one run, on the same claims:

1. **plain Python**, each pass in a fresh process on one core that first checks the
   first 20,000 claims untimed, ``check_many`` + ``Report.rows`` (each report as its
   finding rows) over every claim:
   - over the claim dicts as generated (no file to read; generating a chunk is not
     timed): the strictest baseline;
   - **like for like**: over the JSON lake Spark reads (each Parquet file read with
     pyarrow, timed), ``check_many`` of the claim JSON texts.
2. **Spark** ``local[2]``: ``codekit.spark.check`` on the Parquet claims (read, check,
   write the findings as Parquet), wall time of the job, after the same job on a lake
   of the first 20,000 claims (untimed: the JVM compiles the job's code, each worker
   unpickles the checker). ``--shape json``: the lake holds each claim as JSON text
   beside its claim id (two string columns, ``json.dumps`` of the claim dict), so the JVM
   reads text and writes no JSON; ``nested``: one row per claim, the claim's fields as
   columns; ``both``.
   Job 1 is what is compared; the same job runs again (job 2: the JVM's code compiled,
   each worker's memos filled by job 1) for information.
3. **findings identical**: counts by rule over every claim, and every finding of one claim
   in 997, row for row.
4. the long (one row per line) and JSON shapes on the first ``--small`` claims.

Ratios: Spark job 1 against each plain pass.

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
import subprocess
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


def family_cpu() -> tuple[float, float]:
    """CPU seconds (user + system, reaped children included) of every process this one
    started, as (the Spark JVM, the Python side: the PySpark daemon and its workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        name = text[text.index("(") + 1:text.rindex(")")]
        # the JVM's children (the daemon) are counted on the Python side, never twice
        own = fields[11:13] if name == "java" else fields[11:15]
        stats[int(stat.parent.name)] = (int(fields[1]), sum(map(int, own)) / tick,
                                        name == "java")
    family, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, (ppid, _, _) in stats.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    family.discard(os.getpid())
    jvm = sum(stats[pid][1] for pid in family if pid in stats and stats[pid][2])
    python = sum(stats[pid][1] for pid in family if pid in stats and not stats[pid][2])
    return jvm, python


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, where, n, size = sys.argv[2:6]
        plain_child(kind, Path(where), int(n), int(size))
        return
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


def plain_child(kind: str, tmp: Path, n: int, size: int) -> None:
    """One timed pass in this fresh process (after checking the first 20,000 claims
    untimed): ``check_many`` + ``Report.rows`` over the claim dicts as generated
    (``dicts``: generating a chunk is not timed) or over the JSON lake (``lake``: each
    Parquet file read with pyarrow, timed); the result as JSON on stdout."""
    checker = Checker()
    seconds = cpu = 0.0
    counts: collections.Counter[str] = collections.Counter()
    sample: list[str] = []
    parts = sorted((tmp / "json").glob("*.parquet"))

    def texts(k: int) -> list[Any]:
        return pq.read_table(parts[k], columns=["claim"]).column("claim").to_pylist()

    first = chunk(0, min(size, n), 0) if kind == "dicts" else texts(0)
    for _ in checker.check_many(first[:WARM]):
        pass
    for k, start in enumerate(range(0, n, size)):
        if kind == "dicts":  # a chunk of dicts is generated before the clock starts
            items = first if k == 0 else chunk(k, min(size, n - start), start)
        t, c = time.perf_counter(), time.process_time()
        if kind == "lake":  # a lake file is read on the clock (its first one again)
            items = texts(k)
        found = [r for report in checker.check_many(items) for r in report.rows()]
        seconds += time.perf_counter() - t
        cpu += time.process_time() - c
        counts.update(r["rule"] for r in found)
        sample += [key(r) for r in found if int(r["claim_id"][3:]) % SAMPLE == 0]
    print(json.dumps({"seconds": seconds, "cpu": cpu, "counts": counts, "sample": sample}))


def plain_pass(kind: str, tmp: Path, n: int, size: int) -> dict[str, Any]:
    """:func:`plain_child` in a fresh interpreter: every plain pass starts alike."""
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(tmp), str(n),
                          str(size)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"the plain {kind} pass failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
    return result


def run(args: argparse.Namespace, tmp: Path) -> None:
    checker = Checker()
    timed_shapes = ["nested", "json"] if args.shape == "both" else [args.shape]
    shapes = [*timed_shapes, "json"] if "json" not in timed_shapes else timed_shapes
    for shape in shapes:  # the like-for-like plain pass reads the JSON lake
        (tmp / shape).mkdir()
    n = args.n
    print(f"== 0. {n:,} claims generated and written as Parquet ({', '.join(shapes)} lake)")
    lines = 0
    small: list[dict[str, Any]] = []
    for k, start in enumerate(range(0, n, args.chunk)):
        dicts = chunk(k, min(args.chunk, n - start), start)
        lines += sum(len(d["service_lines"]) for d in dicts)
        if len(small) < max(args.small, WARM):
            small += dicts[:max(args.small, WARM) - len(small)]
        for shape in shapes:
            pq.write_table(lake(shape, dicts), tmp / shape / f"part-{k:04d}.parquet",
                           row_group_size=50_000)
    small_warm = small[:WARM]
    for _ in checker.check_many(small_warm):
        pass
    small = small[:args.small]
    print("== 1. plain Python: one fresh process on one core each, check_many + "
          "Report.rows over every claim")
    plain: dict[str, tuple[float, float]] = {}
    for kind, label in (("dicts", "claim dicts"), ("lake", "JSON lake")):
        result = plain_pass(kind, tmp, n, args.chunk)
        plain[label] = (result["seconds"], result["cpu"])
        if kind == "dicts":
            counts = collections.Counter(result["counts"])
            sample = result["sample"]
        else:
            assert result["counts"] == dict(counts), "the two plain passes disagree"
        print(f"  {label:<12} {n / result['seconds']:>8,.0f} claims/s, "
              f"{lines / result['seconds']:>8,.0f} lines/s on one core; "
              f"CPU {1e6 * result['cpu'] / n:.1f} us a claim; {load()}", flush=True)
    print(f"  {n:,} claims, {lines:,} lines, {sum(counts.values()):,} findings")

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
    timed: dict[str, list[tuple[float, float]]] = {}
    for shape in timed_shapes:
        print(f"== 2. Spark local[2]: read Parquet ({shape}), codekit.spark.check, write "
              "Parquet, twice")
        claims = spark.read.parquet(str(tmp / shape))
        print(f"  {claims.rdd.getNumPartitions()} input partitions")
        t = time.perf_counter()
        # the same job on the first 20,000 claims (a lake of their own, in two files: a
        # task for each Python worker), as the plain side checks them first
        warm = tmp / f"warm-{shape}"
        warm.mkdir()
        for half in (0, 1):
            part = small_warm[half * WARM // 2:(half + 1) * WARM // 2]
            pq.write_table(lake(shape, part), warm / f"part-{half}.parquet")
        cks.check(spark.read.parquet(str(warm)), checker=checker).write.mode(
            "overwrite").parquet(str(tmp / f"warm-findings-{shape}"))
        print(f"  warm-up: the same job on {WARM:,} claims {time.perf_counter() - t:.1f} s")
        out = tmp / f"findings-{shape}"
        for job in (1, 2):
            t, (jvm, py) = time.perf_counter(), family_cpu()
            cks.check(claims, checker=checker).write.mode("overwrite").parquet(str(out))
            spark_seconds = time.perf_counter() - t
            jvm2, py2 = family_cpu()
            spark_cpu = jvm2 - jvm + py2 - py
            timed.setdefault(shape, []).append((spark_seconds, spark_cpu))
            print(f"  job {job}: {n:,} claims in {spark_seconds:.1f} s: "
                  f"{n / spark_seconds:,.0f} claims/s, {lines / spark_seconds:,.0f} lines/s "
                  f"on 2 cores; CPU of the JVM and the Python workers {spark_cpu:.1f} s: "
                  f"{1e6 * spark_cpu / n:.1f} us a claim (JVM {1e6 * (jvm2 - jvm) / n:.1f}, "
                  f"Python {1e6 * (py2 - py) / n:.1f}); {load()}")

        print(f"== 3. the same findings ({shape}, job 2)")
        found_df = spark.read.parquet(str(out))
        spark_counts = {r["rule"]: r["count"]
                        for r in found_df.groupBy("rule").count().collect()}
        same_counts = spark_counts == dict(counts)
        picked = found_df.where((F.substring("claim_id", 4, 9).cast("long") % SAMPLE) == 0)
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

    print("== summary (claims/s by wall time; CPU time a claim in brackets)")
    for label, (seconds, cpu) in plain.items():
        print(f"  plain Python, one core, {label:<12}  {n / seconds:>8,.0f}  "
              f"({1e6 * cpu / n:.1f} us)")
    for shape, jobs in timed.items():
        for job, (spark_seconds, spark_cpu) in enumerate(jobs, 1):
            rate = n / spark_seconds
            print(f"  Spark local[2], {shape} lake, job {job}  {rate:>8,.0f}  "
                  f"({1e6 * spark_cpu / n:.1f} us; per core {rate / 2:,.0f} claims/s, "
                  f"{lines / spark_seconds / 2:,.0f} lines/s)")
            if job == 2:
                print("    (the same claims again: JVM code compiled, each worker's memos "
                      "filled by job 1; no plain pass is run twice)")
                continue
            against = [("claim dicts", "plain starts from dicts in memory")]
            if shape == "json":
                against.append(("JSON lake", "like for like: both read the same lake"))
            for label, why in against:
                seconds, cpu = plain[label]
                ratio = rate / (n / seconds)
                print(f"    vs plain, {label:<12} {ratio:.2f}x (target 1.6x; by CPU, on two "
                      f"idle cores {2 * cpu / spark_cpu:.2f}x); a Spark core keeps "
                      f"{ratio / 2:.0%} of a plain core's rate  [{why}]")
        seconds, _ = jobs[0]
        day = 1e9 / (lines / seconds / 2)
        print(f"    1 billion lines at job 1's rate: {day / 3600:,.1f} core-hours "
              f"-> {day / 86400:.2f} cores busy all day, or {day / 3600 / 16:.2f} h on 16 "
              "cores")


if __name__ == "__main__":
    main()
