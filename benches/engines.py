#!/usr/bin/env python3
"""cxm on Spark and Dask against each engine's own aggregation of the NPS counts, on the same data.

    python benches/engines.py                         # 1e7 rows, 10 and 1,000 groups
    python benches/engines.py --rows 1e7 1e8 --out docs/engines.md
    python benches/engines.py --engines dask --repeat 5

One local Spark session (local[2]) and one Dask LocalCluster of two single-threaded worker
processes. For each size the scores (uint8, 0-10, the profile of benches/compare.py) and the
group codes (int32) come from a seeded numpy RNG and are written once to parquet in a temporary
directory (files of 2,500,000 rows), which both engines read. Timed, from the parquet files to
the per-group answer on the driver, the best of --repeat runs:

  native  Spark: groupBy(k).agg(sum(when(score >= 9, 1)), sum(when(score <= 6, 1)), count(*));
          Dask: df.assign(p=score >= 9, d=score <= 6).groupby(k).agg(sum, sum, count).
  cxm     cxm.spark.nps_by(df, score="score", by=["k"]) and cxm.dask.nps_by(ddf, ...), when
          those modules exist (else skipped, with a note); cxm also computes each group's
          standard error, interval and comparison with the rest.

Every answer is checked before it is timed: the native counts against numpy's bincount of the
generated arrays, and cxm's table (its n, and its estimate against 100 (p - d) / n) against them.
`native / cxm` above 1 means cxm is faster. Needs Java 17+ for Spark (scripts/java-env.sh).
"""

import argparse
import importlib
import importlib.util
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

PROFILE = np.array([1, 1, 1, 2, 2, 4, 5, 9, 14, 25, 36], dtype=float)
ROWS_PER_FILE = 2_500_000
SEED = 20261217

# pyspark warns once it sees pandas 3; the Spark paths here go through Arrow.
warnings.filterwarnings("ignore", r"PySpark does not yet fully support pandas >= 3\.0\.0", FutureWarning,
                        r"pyspark\.")


ENGINE_NOTES = (
    "How each path works: unweighted, `cxm.spark` has Spark count each answer per group "
    "(`groupBy(k, score).count()`, integers, in the JVM) and builds the states from those counts on "
    "the driver; `cxm.dask` computes one state per group in each worker process "
    "(`map_partitions`). Weighted responses, and periods that cxm buckets, take `mapInArrow` on "
    "Spark, whose move of the rows from the JVM to the Python workers alone (a `mapInArrow` that "
    "only counts its rows) took 1.6-1.9 s for 1e7 rows here, about 2.5x Spark's whole native "
    "aggregation: there cxm on Spark is slower than Spark's own (inexact) float sums.\n\n")


def count(text):
    value = float(text)
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"not a whole count: {text}")
    return int(value)


def write_survey(root, rows, groups, rng):
    """Scores and codes as parquet files under root; returns the directory and the true
    promoters, detractors and responses per group code (numpy bincount)."""
    scores = rng.choice(11, size=rows, p=PROFILE / PROFILE.sum()).astype(np.uint8)
    codes = rng.integers(0, groups, rows, dtype=np.int32)
    path = os.path.join(root, f"survey-{rows}-{groups}")
    os.makedirs(path)
    for i, start in enumerate(range(0, rows, ROWS_PER_FILE)):
        part = slice(start, start + ROWS_PER_FILE)
        pq.write_table(pa.table({"score": scores[part], "k": codes[part]}), os.path.join(path, f"part-{i:04d}.parquet"))
    truth = (np.bincount(codes, weights=scores >= 9, minlength=groups).astype(np.int64),
             np.bincount(codes, weights=scores <= 6, minlength=groups).astype(np.int64),
             np.bincount(codes, minlength=groups).astype(np.int64))
    return path, truth


def check_counts(keys, promoters, detractors, n, truth, where):
    """The engine's own counts (missing sums, as Spark's sum over no promoters, count 0)."""
    p, d, total = truth
    present = np.flatnonzero(total)
    keys = np.asarray(keys, dtype=np.int64)
    order = np.argsort(keys)
    assert np.array_equal(keys[order], present), f"{where}: groups differ"
    for name, got, want in (("promoters", promoters, p), ("detractors", detractors, d), ("n", n, total)):
        got = np.array([0 if v is None else v for v in np.asarray(got, dtype=object)[order]], dtype=np.int64)
        assert np.array_equal(got, want[present]), f"{where}: {name} differ"


def check_table(table, truth, where):
    """cxm's table: one row per group, its n and its NPS equal to the counts'."""
    p, d, total = truth
    labels = [label[0] if isinstance(label, tuple) else label for label in table.labels]
    n = np.asarray(table.columns["n"], dtype=np.int64)
    estimate = np.asarray(table.columns["estimate"], dtype=np.float64)
    present = np.flatnonzero(total)
    order = np.argsort(np.asarray(labels, dtype=np.int64))
    assert np.array_equal(np.asarray(labels, dtype=np.int64)[order], present), f"{where}: cxm's groups differ"
    assert np.array_equal(n[order], total[present]), f"{where}: cxm's n differs"
    want = 100 * (p[present] - d[present]) / total[present]
    assert np.allclose(estimate[order], want, rtol=0, atol=1e-9), f"{where}: cxm's NPS differs"


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cxm_module(name):
    """cxm.spark or cxm.dask if cxm has it yet; None (and a note) if not. Any other import
    error is raised."""
    if importlib.util.find_spec(name) is None:
        print(f"note: {name} is not in this cxm ({importlib.util.find_spec('cxm').origin}); its column is skipped",
              flush=True)
        return None
    return importlib.import_module(name)


class Spark:
    name = "Spark local[2]"

    def __init__(self, scratch):
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
        os.environ["PYSPARK_PYTHON"] = sys.executable
        from pyspark.sql import SparkSession, functions

        self.F = functions
        start = time.perf_counter()
        self.session = (
            SparkSession.builder.master("local[2]")
            .appName("cxm-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.memory", "2g")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.local.dir", os.path.join(scratch, "spark-local"))
            .config("spark.sql.warehouse.dir", os.path.join(scratch, "spark-warehouse"))
            .getOrCreate()
        )
        self.session.sparkContext.setLogLevel("ERROR")
        self.startup = time.perf_counter() - start
        self.cxm = cxm_module("cxm.spark")

    def version(self):
        import pyspark

        return f"pyspark {pyspark.__version__} (Java {java_version()})"

    def native(self, path):
        F = self.F
        df = self.session.read.parquet(path)
        out = (df.groupBy("k")
               .agg(F.sum(F.when(F.col("score") >= 9, 1)).alias("promoters"),
                    F.sum(F.when(F.col("score") <= 6, 1)).alias("detractors"),
                    F.count("*").alias("n"))
               .toArrow())
        return [out.column(c).to_pylist() for c in ("k", "promoters", "detractors", "n")]

    def with_cxm(self, path):
        return self.cxm.nps_by(self.session.read.parquet(path), score="score", by=["k"])

    def close(self):
        self.session.stop()


class Dask:
    name = "Dask LocalCluster(2)"

    def __init__(self, scratch):
        import dask.dataframe
        from distributed import Client, LocalCluster

        self.dd = dask.dataframe
        start = time.perf_counter()
        self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                    host="127.0.0.1", local_directory=os.path.join(scratch, "dask"))
        self.client = Client(self.cluster)
        self.startup = time.perf_counter() - start
        self.cxm = cxm_module("cxm.dask")

    def version(self):
        import dask
        import distributed

        return f"dask {dask.__version__}, distributed {distributed.__version__}"

    def native(self, path):
        df = self.dd.read_parquet(path)
        out = (df.assign(p=df.score >= 9, d=df.score <= 6)
               .groupby("k").agg(promoters=("p", "sum"), detractors=("d", "sum"), n=("score", "count"))
               .compute())
        return [out.index.to_numpy(), out["promoters"].to_numpy(), out["detractors"].to_numpy(), out["n"].to_numpy()]

    def with_cxm(self, path):
        return self.cxm.nps_by(self.dd.read_parquet(path), score="score", by=["k"])

    def close(self):
        self.client.close()
        self.cluster.close()


ENGINES = {"spark": Spark, "dask": Dask}


def java_version():
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    try:
        text = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    except OSError:
        return "none"
    return text.split('"')[1] if '"' in text else text.strip()


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import cxm

    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}; Python "
            f"{platform.python_version()}, numpy {np.__version__}, pyarrow {pa.__version__}, cxm {cxm.__version__}")


def markdown(rows):
    lines = ["| engine | rows | groups | native s | cxm s | native / cxm |", "|---|---:|---:|---:|---:|---:|"]
    for engine, n, groups, native_s, cxm_s in rows:
        cxm_cell = f"{cxm_s:.3f}" if cxm_s is not None else "skipped"
        ratio = f"{native_s / cxm_s:.2f}" if cxm_s is not None else ""
        lines.append(f"| {engine} | {n:,} | {groups:,} | {native_s:.3f} | {cxm_cell} | {ratio} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=count, nargs="+", default=[10_000_000], metavar="N",
                        help="row counts (1e7, 1e8, ...); default 1e7")
    parser.add_argument("--groups", type=count, nargs="+", default=[10, 1_000], metavar="G",
                        help="group counts; default 10 1000")
    parser.add_argument("--engines", nargs="+", choices=sorted(ENGINES), default=["spark", "dask"])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per cell, the best kept; default 3")
    parser.add_argument("--out", metavar="FILE", help="also write the table as Markdown")
    args = parser.parse_args()

    rng = np.random.default_rng(SEED)
    results, notes = [], []
    with tempfile.TemporaryDirectory(prefix="cxm-engines-") as scratch:
        start = time.perf_counter()
        data = {}
        for n in args.rows:
            for groups in args.groups:
                data[n, groups] = write_survey(scratch, n, groups, rng)
        print(f"{machine()}\nwrote {len(data)} parquet sets in {time.perf_counter() - start:.1f} s under {scratch}",
              flush=True)
        print(f"{'engine':<22}{'rows':>14}{'groups':>8}{'native s':>10}{'cxm s':>10}{'native/cxm':>12}", flush=True)
        for key in args.engines:
            engine = ENGINES[key](scratch)
            notes.append(f"{engine.name}: {engine.version()}, started in {engine.startup:.1f} s")
            try:
                for (n, groups), (path, truth) in data.items():
                    where = f"{engine.name}, {n:,} rows, {groups:,} groups"
                    check_counts(*engine.native(path), truth, where + ", native")
                    native_s = best(lambda: engine.native(path), args.repeat)
                    cxm_s = None
                    if engine.cxm is not None:
                        check_table(engine.with_cxm(path), truth, where)
                        cxm_s = best(lambda: engine.with_cxm(path), args.repeat)
                    results.append((engine.name, n, groups, native_s, cxm_s))
                    cxm_cell = f"{cxm_s:10.3f}" if cxm_s is not None else f"{'skipped':>10}"
                    ratio = f"{native_s / cxm_s:12.2f}" if cxm_s is not None else ""
                    print(f"{engine.name:<22}{n:>14,}{groups:>8,}{native_s:10.3f}{cxm_cell}{ratio}", flush=True)
            finally:
                engine.close()
    table = markdown(results)
    print()
    print(table)
    for note in notes:
        print(note)
    if args.out:
        # The "## Engines" section of the file, replaced where it is, appended otherwise; the rest
        # of the file (compare.py's tables) stays.
        section = (
            "## Engines\n\n"
            f"Written by `python benches/engines.py {' '.join(sys.argv[1:])}`. Spark local[2] and a Dask "
            "LocalCluster of two single-threaded worker processes read the same parquet files (uint8 "
            "scores 0-10, int32 group codes, seeded); timed from the files to the per-group answer on the "
            f"driver, the best of {args.repeat} runs. `native` is the engine's own aggregation of the "
            "promoter, detractor and response counts; `cxm` is `cxm.spark.nps_by` / `cxm.dask.nps_by`, "
            "which also computes each group's standard error, interval and comparison with the rest. "
            "Every answer is checked first. `native / cxm` above 1 means cxm is faster.\n\n"
            + ENGINE_NOTES + f"Machine: {machine()}.\n\n" + "".join(f"- {note}\n" for note in notes) + "\n"
            + table + "\n")
        text = open(args.out).read() if os.path.exists(args.out) else ""
        before, found, rest = text.partition("\n## Engines\n")
        after = ("\n## " + rest.split("\n## ", 1)[1]) if found and "\n## " in rest else ""
        with open(args.out, "w") as f:
            f.write(before.rstrip("\n") + "\n\n" + section + after)


if __name__ == "__main__":
    main()
