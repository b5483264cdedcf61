import json
import os
import pathlib
import struct
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(name):
    return json.loads((ROOT / "testdata" / f"{name}.json").read_text())


class Bits:
    """Lines of '<label> <hex bits>...', saved as $CXM_VECTOR_OUT/<suite>.python.txt when set: the
    Rust and C tests write the same lines from their surfaces."""

    def __init__(self):
        self.lines = []

    def line(self, label, *values):
        self.lines.append(" ".join([label] + [struct.pack(">d", v).hex() for v in values]))

    def save(self, suite):
        out = os.environ.get("CXM_VECTOR_OUT")
        if out:
            pathlib.Path(out).mkdir(parents=True, exist_ok=True)
            (pathlib.Path(out) / f"{suite}.python.txt").write_text("".join(x + "\n" for x in self.lines))


def close(got, want, tolerance):
    return abs(got - want) <= tolerance * max(abs(want), 1.0)


@pytest.fixture(scope="session")
def nps_vectors():
    return load("nps")


# The engines under cxm.spark and cxm.dask, started for real once per test session: a local
# Spark session on two cores and a Dask LocalCluster of two worker processes. Neither skips: the
# test command (scripts/test.sh) installs pyspark, dask and distributed, and Java for Spark.
# Each worker is its own Python process, so a function defined in a test module is imported
# there by name: the tests directory goes on the workers' PYTHONPATH (Dask's spawned workers
# get the driver's sys.path too).
TESTS = pathlib.Path(__file__).resolve().parent
ENGINE_TIMES = {}


def _engine_module(name, package):
    try:
        return __import__(name, fromlist=["_"])
    except ImportError as error:
        pytest.fail(f"{package} is not installed ({error}); scripts/test.sh installs it from "
                    "cxm-py/requirements-test.txt", pytrace=False)


def _workers_env(env):
    env.setenv("PYTHONPATH", os.pathsep.join([str(TESTS)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """A real SparkSession, local[2]: no UI, bound to 127.0.0.1, Python workers on this
    interpreter, Arrow on, two shuffle partitions. Stopped at the end of the session."""
    sql = _engine_module("pyspark.sql", "pyspark")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        env.setenv("PYSPARK_PYTHON", sys.executable)
        env.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        _workers_env(env)
        started = time.perf_counter()
        session = (
            sql.SparkSession.builder.master("local[2]")
            .appName("cxm-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.local.dir", str(tmp_path_factory.mktemp("spark-local")))
            .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        ENGINE_TIMES["spark local[2] start"] = time.perf_counter() - started
        try:
            yield session
        finally:
            stopped = time.perf_counter()
            session.stop()
            ENGINE_TIMES["spark stop"] = time.perf_counter() - stopped


@pytest.fixture(scope="session")
def dask_client(tmp_path_factory):
    """A real distributed.Client on a LocalCluster of two single-threaded worker processes, no
    dashboard. Closed at the end of the session."""
    distributed = _engine_module("distributed", "distributed")
    _engine_module("dask.dataframe", "dask[dataframe]")
    with pytest.MonkeyPatch.context() as env:
        _workers_env(env)
        started = time.perf_counter()
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            host="127.0.0.1", local_directory=str(tmp_path_factory.mktemp("dask")))
        client = distributed.Client(cluster)
        ENGINE_TIMES["dask LocalCluster(2) start"] = time.perf_counter() - started
        try:
            yield client
        finally:
            stopped = time.perf_counter()
            client.close()
            cluster.close()
            ENGINE_TIMES["dask close"] = time.perf_counter() - stopped


def pytest_terminal_summary(terminalreporter):
    if ENGINE_TIMES:
        terminalreporter.write_line("engines: " + ", ".join(f"{k} {v:.2f} s" for k, v in ENGINE_TIMES.items()))
