"""cxm.spark and cxm.dask on the real engines (a local Spark session and a Dask LocalCluster of
two worker processes, started by conftest.py): per-partition states merged on the driver give
the table that cxm.nps_by gives for the same rows in one process, to the bit, for any number
of partitions, with empty partitions, skewed groups, weights over many orders of magnitude,
periods and trailing windows."""

import math
import struct

import numpy as np
import pandas as pd
import pytest

import cxm
import cxm._partitions
import cxm.dask
import cxm.spark

N = 6_000


def survey(seed=3):
    """Responses in skewed regions (one holds a few), channels, four months, and weights from
    1e-6 to 1e6, whose plain float sums depend on the order they are added in."""
    rng = np.random.default_rng(seed)
    region = rng.choice(["North", "South", "East", "Tiny"], N, p=[0.6, 0.3, 0.0985, 0.0015])
    start = 1_767_225_600  # 2026-01-01T00:00:00Z
    at = start + rng.integers(0, 120 * 86_400, N)
    return pd.DataFrame({
        "score": rng.integers(0, 11, N).astype(np.int16),
        "blanks": np.where(rng.random(N) < 0.05, np.nan, rng.integers(0, 11, N)),
        "sat": rng.integers(1, 6, N).astype(np.int16),
        "region": region,
        "channel": rng.choice(["phone", "chat", "email"], N),
        "at": at,
        "quarter": np.where(at < start + 90 * 86_400, "2026-Q1", "2026-Q2"),
        "weight": 10.0 ** rng.uniform(-6, 6, N),
    })


def bits(table):
    """Everything a table says, floats as their bits: equal only when identical."""
    def cell(v):
        if isinstance(v, (float, np.floating)):
            return struct.pack(">d", float(v)).hex()
        return v.item() if isinstance(v, np.generic) else v
    columns = {k: [cell(v) for v in np.asarray(col, dtype=object)] for k, col in table.columns.items()}
    changes = [{k: cell(v) for k, v in c.items()} for c in (table.changes or [])]
    overall = {k: cell(v) for k, v in table.overall.items()}
    return table.labels, columns, overall, changes, table.rolling


CASES = [
    ("nps", dict(by="region")),
    ("nps", dict(by=["region", "channel"], weights="weight")),
    ("nps", dict(by="channel", period="at", freq="month", weights="weight", rolling=2)),
    ("nps", dict(period="at", freq="week", compare="overall", adjust="fdr_bh", method="wald")),
    ("csat", dict(by="region", period="at", weights="weight")),
    # Unweighted by segment or own periods: on Spark, from Spark's own counts.
    ("csat", dict(by="channel", compare="baseline", baseline="chat")),
    ("nps", dict(by="region", period="quarter", freq=None, rolling=2)),
    ("nps", dict(score="blanks", by="channel", missing="skip")),
]


def reference(metric, frame, options):
    function = {"nps": cxm.nps_by, "csat": cxm.csat_by}[metric]
    score = "score" if metric == "nps" else "sat"
    return function(frame, **{"score": score, **options})


def on_engine(module, metric, frame, options):
    function = {"nps": module.nps_by, "csat": module.csat_by}[metric]
    score = "score" if metric == "nps" else "sat"
    return function(frame, **{"score": score, **options})


@pytest.mark.parametrize("metric, options", CASES, ids=lambda v: v if isinstance(v, str) else "-".join(map(str, v)))
@pytest.mark.parametrize("partitions", [1, 3, 8])
def test_spark_is_nps_by_to_the_bit(spark, metric, options, partitions):
    frame = survey()
    # Sorted by region before the split: partitions hold few groups each, some none of a group.
    df = spark.createDataFrame(frame.sort_values("region")).repartitionByRange(partitions, "region")
    assert bits(on_engine(cxm.spark, metric, df, options)) == bits(reference(metric, frame, options))


def test_spark_counts_unweighted_answers_itself(spark):
    # Unweighted, the states come from Spark's groupBy(keys, score).count(), no Python worker:
    # the same bits as the per-partition states and as nps_by.
    frame = survey(13)
    df = spark.createDataFrame(frame).repartition(3)
    rows = cxm.spark._counted("nps", df, "score", ["region", "channel"], None, "reject", False, None)
    assert len(rows[cxm._partitions.STATE]) <= 4 * 3 * 11  # a state per group and answer
    counted = cxm._partitions.table_of_partitions("nps", rows, by=["region", "channel"])
    assert bits(counted) == bits(cxm.nps_by(frame, score="score", by=["region", "channel"]))


def test_spark_with_empty_partitions_and_empty_data(spark):
    frame = survey().head(50)
    # Four regions in twelve ranges: Spark keeps fewer ranges, and at least one holds nothing.
    df = spark.createDataFrame(frame).repartitionByRange(12, "region")
    sizes = df.rdd.glom().map(len).collect()
    assert sizes.count(0) >= 1 and sum(sizes) == 50
    assert bits(cxm.spark.nps_by(df, score="score", by="region", weights="weight")) == bits(
        cxm.nps_by(frame, score="score", by="region", weights="weight"))
    none = cxm.spark.nps_by(df.filter("score > 10"), score="score", by="region")
    assert len(none) == 0 and none.overall["n"] == 0


def test_spark_refuses_bad_data_and_bad_names(spark):
    frame = survey().head(100)
    frame.loc[7, "score"] = 11
    df = spark.createDataFrame(frame)
    with pytest.raises(cxm.CxmError, match=r"in partition \d+ \(indexes count its rows\): score 11 at index 7 is"):
        cxm.spark.nps_by(df.repartition(1), score="score", by="region", weights="weight")
    with pytest.raises(KeyError, match="by column 'nowhere' is not in the DataFrame"):
        cxm.spark.nps_by(df, score="score", by="nowhere")
    # Options are the core's to check, on the driver, before any job.
    with pytest.raises(cxm.CxmError) as e:
        cxm.spark.nps_by(df, score="score", by="region", missing="maybe")
    assert e.value.kind == "unknown_name"
    with pytest.raises(cxm.CxmError):
        cxm.dask.nps_by(__import__("dask.dataframe").dataframe.from_pandas(frame, npartitions=1), score="score",
                        by="region", adjust="bonferroni")
    with pytest.raises(TypeError, match="names the engine's columns"):
        cxm.spark.nps_by(df, score="score", by=[np.zeros(3)])


@pytest.mark.parametrize("metric, options", CASES, ids=lambda v: v if isinstance(v, str) else "-".join(map(str, v)))
@pytest.mark.parametrize("partitions", [1, 4, 13])
def test_dask_is_nps_by_to_the_bit(dask_client, metric, options, partitions):
    import dask.dataframe as dd

    frame = survey(5)
    ddf = dd.from_pandas(frame, npartitions=partitions, sort=False)
    assert bits(on_engine(cxm.dask, metric, ddf, options)) == bits(reference(metric, frame, options))


def test_dask_with_empty_partitions_timestamps_and_bad_data(dask_client):
    import dask.dataframe as dd

    frame = survey(7).assign(when=lambda f: pd.to_datetime(f["at"], unit="s"))
    ddf = dd.from_pandas(frame, npartitions=6, sort=False)
    emptied = ddf[ddf["region"] != "North"]  # the skew leaves partitions of few or no rows
    kept = frame[frame["region"] != "North"]
    options = dict(by="region", period="when", freq="month", weights="weight")
    assert bits(cxm.dask.nps_by(emptied, score="score", **options)) == bits(
        cxm.nps_by(kept, score="score", **options))
    assert bits(cxm.dask.nps_by(ddf[ddf["score"] > 10], score="score", by="region")) == bits(
        cxm.nps_by(frame[frame["score"] > 10], score="score", by="region"))
    bad = frame.assign(score=frame["score"].where(frame.index != 3, 12))
    with pytest.raises(cxm.CxmError, match="score 12 at index 3 is outside 0..=10"):
        cxm.dask.nps_by(dd.from_pandas(bad, npartitions=2, sort=False), score="score", by="region")


def test_a_state_merged_in_any_order_is_the_same(dask_client):
    # The driver's merge: partitions arrive in any order, the table does not change.
    from cxm._partitions import STATE, partition_states, table_of_partitions

    frame = survey(11)
    parts = [partition_states("nps", frame.iloc[i::5], score="score", by=["region"], weights="weight")
             for i in range(5)]
    tables = []
    for order in ([0, 1, 2, 3, 4], [4, 2, 0, 3, 1]):
        rows = {k: np.concatenate([np.asarray(parts[i][k], dtype=object) for i in order]) for k in ("region", STATE)}
        tables.append(bits(table_of_partitions("nps", rows, by=["region"])))
    assert tables[0] == tables[1] == bits(cxm.nps_by(frame, score="score", by="region", weights="weight"))
    assert not math.isnan(cxm.nps_by(frame, score="score", by="region").overall["estimate"])


def test_readme_spark_and_dask_examples_run(spark, capsys, monkeypatch, tmp_path):
    import re
    import subprocess
    import sys

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    spark_example, dask_example = re.findall(r"```py\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    # Spark's JVM started in the tests' directory, and resolves relative paths from there.
    spark_example = spark_example.replace('"examples/', f'"{ROOT}/examples/')
    exec(compile(spark_example, "README.md", "exec"), {"__name__": "__main__"})
    # The Dask example as a user runs it: a script of its own, whose cluster's worker
    # processes import it afresh.
    script = tmp_path / "dask_example.py"
    script.write_text(dask_example)
    run = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    out = capsys.readouterr().out + run.stdout
    assert "SegmentTable(nps by region: 3 segments)" in out
    assert "SegmentTable(csat by channel: 3 segments)" in out


def test_the_distributed_docs_example_runs(capsys, monkeypatch):
    import re

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    (example,) = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "distributed.md").read_text(), re.S)
    exec(compile(example, "docs/distributed.md", "exec"), {"__name__": "__main__"})
    assert "SegmentTable(nps by region, quarter: " in capsys.readouterr().out


def test_the_driver_must_know_the_workers_keys():
    from cxm.partitions import partition_states, table_of_partitions

    frame = survey(2)
    rows = partition_states("nps", frame, score="score", by=["region"], period="quarter", freq=None)
    with pytest.raises(TypeError, match=r"grouped by \['quarter'\] too"):
        table_of_partitions("nps", rows, by=["region"])
