"""The engines cxm.spark and cxm.dask run on, for real: a local Spark session (local[2]) and a
Dask LocalCluster of two worker processes start (conftest.py times them, printed at the end of
the run), run a job in their own Python worker processes that imports numpy and pyarrow there,
and compute the NPS counts per group with their own aggregations, checked against numpy."""

import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

N = 10_000
GROUPS = 7


def survey():
    """uint8 scores 0-10 and int32 group codes, seeded."""
    rng = np.random.default_rng(17)
    return rng.integers(0, 11, N).astype(np.uint8), rng.integers(0, GROUPS, N).astype(np.int32)


@pytest.fixture(scope="module")
def survey_parquet(tmp_path_factory):
    """The survey as one parquet file in four row groups, read by both engines."""
    path = tmp_path_factory.mktemp("engines") / "survey.parquet"
    scores, codes = survey()
    pq.write_table(pa.table({"score": scores, "k": codes}), path, row_group_size=N // 4)
    return str(path)


def counts_by_numpy(scores, codes):
    """Promoters, detractors and responses per group code, in code order."""
    return (np.bincount(codes, weights=scores >= 9, minlength=GROUPS).astype(np.int64),
            np.bincount(codes, weights=scores <= 6, minlength=GROUPS).astype(np.int64),
            np.bincount(codes, minlength=GROUPS).astype(np.int64))


def where_it_ran(rows, values):
    """One row per batch or partition: how many rows, their sum, and the worker's process id,
    interpreter and numpy. Module-level, so the worker imports this module by name."""
    import numpy

    return {"rows": [rows], "total": [int(numpy.asarray(values).sum())], "pid": [os.getpid()],
            "python": [sys.executable], "numpy": [numpy.__version__]}


def arrow_batches(batches):
    for batch in batches:
        yield pa.RecordBatch.from_pydict(where_it_ran(batch.num_rows, batch.column("id").to_numpy()))


def pandas_partition(frame):
    import pandas

    return pandas.DataFrame(where_it_ran(len(frame), frame["id"].to_numpy()))


def check_workers(ran, rows, driver_pid):
    assert sum(ran["rows"]) == rows
    assert sum(ran["total"]) == rows * (rows - 1) // 2
    assert driver_pid not in set(ran["pid"]), "the job ran in the driver, not in a worker process"
    assert set(ran["python"]) == {sys.executable}
    assert set(ran["numpy"]) == {np.__version__}


def test_spark_runs_python_workers_that_import_numpy(spark):
    assert spark.sparkContext.master == "local[2]"
    assert spark.conf.get("spark.sql.execution.arrow.pyspark.enabled") == "true"
    frame = spark.range(0, N, numPartitions=2).mapInArrow(
        arrow_batches, "rows long, total long, pid long, python string, numpy string")
    check_workers(frame.toArrow().to_pydict(), N, os.getpid())


def test_spark_counts_nps_per_group(spark, survey_parquet):
    from pyspark.sql import functions as F

    frame = spark.read.parquet(survey_parquet)
    # Spark has no unsigned types: parquet's uint8 reads as smallint (int16 in Arrow batches),
    # and createDataFrame refuses a uint8 Arrow column outright.
    assert frame.schema.simpleString() == "struct<score:smallint,k:int>"
    out = (frame.groupBy("k")
           .agg(F.sum(F.when(F.col("score") >= 9, 1).otherwise(0)).alias("p"),
                F.sum(F.when(F.col("score") <= 6, 1).otherwise(0)).alias("d"),
                F.count("*").alias("n"))
           .orderBy("k").toArrow())
    p, d, n = counts_by_numpy(*survey())
    assert out.column("k").to_pylist() == list(range(GROUPS))
    for name, want in (("p", p), ("d", d), ("n", n)):
        assert out.column(name).to_pylist() == want.tolist(), name


def test_dask_runs_worker_processes_that_import_numpy(dask_client):
    import dask.dataframe as dd
    import pandas as pd

    assert len(dask_client.scheduler_info()["workers"]) == 2
    frame = dd.from_pandas(pd.DataFrame({"id": np.arange(N)}), npartitions=4)
    meta = {"rows": "i8", "total": "i8", "pid": "i8", "python": "str", "numpy": "str"}
    ran = frame.map_partitions(pandas_partition, meta=meta).compute()
    check_workers(ran.to_dict("list"), N, os.getpid())
    worker_pids = set(dask_client.run(os.getpid).values())
    assert set(ran["pid"]) <= worker_pids


def test_dask_counts_nps_per_group(dask_client, survey_parquet):
    import dask.dataframe as dd

    frame = dd.read_parquet(survey_parquet, split_row_groups=True)
    assert frame.npartitions == 4
    assert [str(t) for t in frame.dtypes] == ["uint8", "int32"]
    out = (frame.assign(p=frame.score >= 9, d=frame.score <= 6)
           .groupby("k").agg(p=("p", "sum"), d=("d", "sum"), n=("score", "count"))
           .compute().sort_index())
    p, d, n = counts_by_numpy(*survey())
    assert out.index.tolist() == list(range(GROUPS))
    for name, want in (("p", p), ("d", d), ("n", n)):
        assert out[name].tolist() == want.tolist(), name
