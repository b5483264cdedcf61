"""NPS, CSAT and CES by segment and period on a Spark DataFrame (``pip install cxm[spark]``).

Each partition's responses become one state per group, in the Python workers, through
``mapInArrow`` (no shuffle of the responses: only a few bytes per group and partition leave a
worker). The driver merges the states of each group and finishes them into the
``SegmentTable`` that ``cxm.nps_by`` gives for the same rows collected into one process, to the
bit, for any number of partitions (see ``cxm._partitions``).

Unweighted responses need no Python on the workers at all: their state is a count per group
and answer, which Spark's own ``groupBy(keys, score).count()`` gives exactly (integers) without
moving a row out of the JVM, and the driver turns those counts into the same states. That path
serves unweighted tables by segment, or by the caller's own periods (``freq=None``); weights
and bucketed periods take ``mapInArrow``. A value the core refuses (a score off the scale, a
missing score or key that the options do not allow) sends the job down ``mapInArrow``, which
names the row.

The workers need ``cxm`` installed in the interpreter Spark starts for them
(``PYSPARK_PYTHON``). Columns are named, as Spark names them; a period column is a timestamp,
a date or epoch seconds (bucketed by ``freq`` in UTC at ``utc_offset``), or with ``freq=None``
the caller's own periods.
"""

from __future__ import annotations

import functools
from typing import Any, Iterator, Optional, Sequence

import numpy as np

import re

from cxm import CxmError
from cxm._partitions import STATE, engine_request, front_ends, partition_states, table_of_partitions
from cxm._records import _error
from cxm._segments import SegmentTable


_WORKER_ERROR = re.compile(r"\[cxm (?P<kind>\w+)\] (?P<message>[^\n]*)")

COUNT = "_cxm_count"
"""The column of Spark's own count of each answer per group."""


def _column(batch: Any, name: str) -> np.ndarray:
    """An Arrow column as numpy, missing values as NaN (numbers) or None (objects)."""
    return batch.column(name).to_numpy(zero_copy_only=False)


def _states_of_partition(batches: Iterator[Any], *, metric: str, score: str, by: list, period: Optional[str],
                         freq: Optional[str], weights: Optional[str], missing: str, dropna: bool,
                         utc_offset: int, scale: Optional[tuple], schema: Any) -> Iterator[Any]:
    """``mapInArrow``'s function: the partition's batches read as one table, its groups' states
    as one batch."""
    import pyarrow as pa

    batches = list(batches)
    if not batches:
        return
    table = pa.Table.from_batches(batches)
    if table.num_rows == 0:
        return
    wanted = [score, *by, *([period] if period else []), *([weights] if weights else [])]
    columns = {name: _column(table, name) for name in wanted}
    try:
        out = partition_states(metric, columns, score=score, by=by, period=period, freq=freq, weights=weights,
                               missing=missing, dropna=dropna, utc_offset=utc_offset, scale=scale)
    except CxmError as e:
        # Marked for the driver, which raises it as the CxmError it is; the index counts the
        # rows of this partition.
        from pyspark import TaskContext
        context = TaskContext.get()
        where = f"partition {context.partitionId()}" if context is not None else "a partition"
        raise RuntimeError(f"[cxm {e.kind}] in {where} (indexes count its rows): {e}") from None
    arrays = [pa.array(list(out[f.name]) if out[f.name].dtype == object else out[f.name], type=f.type)
              if f.name != STATE else pa.array(out[STATE], type=pa.binary()) for f in schema]
    yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _segments(metric: str, df: Any, score: str, by: Any, period: Optional[str], freq: Optional[str],
              weights: Optional[str], missing: str, level: float, method: Optional[str], compare: str,
              baseline: Any, adjust: str, min_n: int, dropna: bool, rolling: Optional[int], utc_offset: int,
              scale: Optional[tuple]) -> SegmentTable:
    from pyspark.sql import types as T
    from pyspark.sql.pandas.types import to_arrow_type

    by, wanted = engine_request(metric, df.columns, score=score, by=by, period=period, weights=weights, missing=missing,
                                scale=scale, level=level, method=method, compare=compare, adjust=adjust, min_n=min_n,
                                rolling=rolling)
    # The keys keep their Spark types; a bucketed period becomes the core's period number.
    fields = [T.StructField(name, df.schema[name].dataType) for name in by]
    if period is not None:
        fields.append(T.StructField(period, T.LongType() if freq is not None else df.schema[period].dataType))
    fields.append(T.StructField(STATE, T.BinaryType(), nullable=False))
    schema = T.StructType(fields)
    arrow = __import__("pyarrow").schema([(f.name, to_arrow_type(f.dataType)) for f in fields])
    job = functools.partial(_states_of_partition, metric=metric, score=score, by=by, period=period, freq=freq,
                            weights=weights, missing=missing, dropna=dropna, utc_offset=utc_offset, scale=scale,
                            schema=arrow)
    counted = weights is None and (period is None or freq is None) and isinstance(
        df.schema[score].dataType, T.NumericType)
    try:
        rows = _counted(metric, df, score, by, period, missing, dropna, scale) if counted else None
    except CxmError:
        rows = None  # mapInArrow below names the bad value and its row
    if rows is None:
        states = df.select(*wanted).mapInArrow(job, schema)
        try:
            rows = _collect(states, [f.name for f in fields])
        except Exception as e:  # a worker's CxmError comes back inside Spark's own exception
            found = _WORKER_ERROR.search(str(e))
            if found is None:
                raise
            raise _error(found["kind"], found["message"]) from None
    return table_of_partitions(metric, rows, by=by, period=period, freq=freq, level=level, method=method,
                               compare=compare, baseline=baseline, adjust=adjust, min_n=min_n, rolling=rolling,
                               scale=scale)


def _counted(metric: str, df: Any, score: str, by: list, period: Optional[str], missing: str, dropna: bool,
             scale: Optional[tuple]) -> dict:
    """The groups' states from Spark's own counts of each answer per group."""
    from pyspark.sql import functions as F

    keys = [*by, *([period] if period is not None else [])]
    counts = df.groupBy(*keys, score).agg(F.count(F.lit(1)).alias(COUNT))
    columns = _collect(counts, [*keys, score, COUNT], arrays=True)
    return partition_states(metric, columns, score=score, by=by, period=period, freq=None, missing=missing,
                            dropna=dropna, scale=scale, counts=COUNT)


def _collect(states: Any, names: list, arrays: bool = False) -> dict:
    """The partitions' rows on the driver, as columns."""
    if hasattr(states, "toArrow"):  # pyspark 4: Arrow all the way, no pandas
        table = states.toArrow()
        if arrays:
            return {name: table.column(name).to_numpy(zero_copy_only=False) for name in names}
        return {name: table.column(name).to_pylist() for name in names}
    rows = states.collect()
    return {name: [row[name] for row in rows] for name in names}


nps_by, csat_by, ces_by = front_ends(_segments, "``pyspark.sql.DataFrame``")


__all__: Sequence[str] = ["nps_by", "csat_by", "ces_by"]
