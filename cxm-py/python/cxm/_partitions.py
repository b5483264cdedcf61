"""States per partition, merged, finished: the pattern under ``cxm.spark`` and ``cxm.dask``,
for any engine that can run a function on each partition and bring small results back.

1. On each partition, :func:`partition_states` counts the responses of every group with
   responses into one state (the core's documented bytes, ``docs/state-format.md``): one row
   per group, its key values and its state. An empty partition gives no rows.
2. On the driver, :func:`table_of_partitions` takes all those rows, merges the states of each
   group (exact: integer counts, and exact sums of the weights rounded once when finished), and
   finishes them into the ``SegmentTable`` that ``cxm.nps_by`` gives for all the responses at
   once, to the bit, whatever the partitions and the order they arrive in.

Keys are told by their values, not by codes: each partition numbers its own groups, and the
driver numbers them all again as ``nps_by`` would. Periods travel as the core's period numbers,
so that partitions agree on them without knowing each other's first period.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np

from cxm import _cxm
from cxm._segments import (SegmentTable, _assemble, _baseline_codes, _bucketed, _factorise, _own_periods, _u32,
                           _without_missing_keys)

STATE = "_cxm_state"
"""The column of a partition's result holding each group's state, as bytes."""


def partition_states(metric: str, columns: dict, *, score: str, by: Sequence[str] = (), period: Optional[str] = None,
                     freq: Optional[str] = "month", weights: Optional[str] = None, missing: str = "reject",
                     dropna: bool = False, utc_offset: int = 0, scale: Optional[tuple] = None,
                     counts: Optional[str] = None) -> dict:
    """One row per group of one partition: ``{key: values, ..., STATE: [bytes, ...]}``.
    ``columns`` maps the named columns to arrays (a pandas DataFrame serves). With ``freq``,
    the period column holds the core's period numbers (int64); without, the partition's own
    period labels. Bad data is refused here, as ``nps_by`` refuses it; its index is the row's
    within the partition. With ``counts``, row ``i`` stands for ``counts[i]`` responses of its
    score, unweighted (an engine's own ``groupBy(keys, score).count()``), and a group may have
    several rows, which the driver merges."""
    names = [*by, *([period] if period is not None else [])]
    key_codes, key_labels = [], []
    first = None
    for name in by:
        codes, labels = _factorise(columns[name], name)
        key_codes.append(codes)
        key_labels.append(labels)
    if period is not None:
        if freq is None:
            codes, labels = _factorise(columns[period], period, codes_ok=False)
        else:
            codes, first, _ = _bucketed(columns[period], period, freq, utc_offset)
            labels = None
        key_codes.append(codes)
        key_labels.append(labels)
    w = None if weights is None else columns[weights]
    times = None if counts is None else np.asarray(columns[counts], dtype=np.uint64)
    key_codes, scores, w, kept = _without_missing_keys(names, key_codes, columns[score], w, dropna)
    if times is None:
        codes, states = _cxm._group_states(metric, scores, w, _u32(key_codes), missing=missing, scale=scale)
    else:
        times = times if kept is None else times[kept]
        scores = np.asarray(_doubles(scores), dtype=np.float64)
        codes, states = _cxm._count_states(metric, scores, times, _u32(key_codes), missing=missing, scale=scale)
    out: dict = {}
    for j, (name, labels) in enumerate(zip(names, key_labels)):
        if labels is not None:
            out[name] = np.asarray(labels, dtype=object)[codes[j]]
        elif period is not None and j == len(names) - 1 and first is not None:
            out[name] = codes[j].astype(np.int64) + first
        else:
            out[name] = codes[j].astype(np.int64)
    out[STATE] = states
    return out


def _doubles(values: Any) -> np.ndarray:
    """Scores as doubles, None (a missing score) as NaN."""
    array = np.asarray(values)
    return array.astype(np.float64) if array.dtype != object else np.array(
        [np.nan if v is None else v for v in array], dtype=np.float64)


def table_of_partitions(metric: str, rows: dict, *, by: Sequence[str] = (), period: Optional[str] = None,
                        freq: Optional[str] = "month", level: float = 0.95, method: Optional[str] = None,
                        compare: str = "rest", baseline: Any = None, adjust: str = "holm", min_n: int = 30,
                        rolling: Optional[int] = None, scale: Optional[tuple] = None,
                        library: Optional[str] = None) -> SegmentTable:
    """The ``SegmentTable`` of every partition's rows (:func:`partition_states`' columns,
    concatenated): the groups' states merged, then finished as ``nps_by`` finishes them."""
    if rolling is not None and period is None:
        raise TypeError("rolling= gives trailing windows of periods: it needs period=")
    key_names = [*by, *([period] if period is not None else [])]
    if not key_names:
        raise TypeError("give at least one key in by= or a period=")
    # A key the workers grouped by and the driver was not told of would merge its groups.
    unnamed = [name for name in rows if name != STATE and name not in key_names]
    if unnamed:
        raise TypeError(f"the partitions were grouped by {unnamed} too: give the driver the workers' by= and period=")
    key_codes, key_labels = [], []
    for name in by:
        codes, labels = _factorise(np.asarray(rows[name]), name)
        key_codes.append(codes)
        key_labels.append(labels)
    if period is not None:
        if freq is None:
            codes, labels = _own_periods(np.asarray(rows[period]), period)
        else:
            numbers = np.asarray(rows[period], dtype=np.int64)
            first = int(numbers.min()) if numbers.size else 0
            last = int(numbers.max()) if numbers.size else 0
            codes, labels = numbers - first, _cxm._period_labels(first, last, freq)
        key_codes.append(codes)
        key_labels.append(list(labels))
    base = _baseline_codes(key_labels, compare, baseline)
    result = _cxm._states_table(
        metric, _u32(key_codes), [bytes(s) for s in rows[STATE]], level=level, method=method, compare=compare,
        baseline=base, adjust=adjust, min_n=min_n, periods=period is not None, rolling=rolling, scale=scale)
    return _assemble(metric, result, key_names, key_labels, period, rolling, level, library)


def check_options(metric: str, *, missing: str, scale: Optional[tuple], level: float, method: Optional[str],
                  compare: str, adjust: str, min_n: int, period: Optional[str], rolling: Optional[int]) -> None:
    """Every option checked by the core on the driver, before any job starts: a bad one is a
    ``CxmError`` here, not a failure on a worker."""
    none = np.zeros(0, dtype=np.uint32)
    _cxm._group_states(metric, np.zeros(0), None, [none], missing=missing, scale=scale)
    _cxm._states_table(metric, [none], [], level=level, method=method, compare=compare, baseline=None,
                       adjust=adjust, min_n=min_n, periods=period is not None, rolling=rolling, scale=scale)


def engine_request(metric: str, columns: Sequence[str], *, score: str, by: Any, period: Optional[str],
                   weights: Optional[str], missing: str, scale: Optional[tuple], level: float, method: Optional[str],
                   compare: str, adjust: str, min_n: int, rolling: Optional[int]) -> tuple[list, list]:
    """What every engine checks on the driver before a job: the keys named, the columns there,
    the options the core's. Returns the ``by`` names and the columns the job reads."""
    by = _names(by)
    if rolling is not None and period is None:
        raise TypeError("rolling= gives trailing windows of periods: it needs period=")
    if not by and period is None:
        raise TypeError("give at least one key in by= or a period=")
    check_columns(columns, score=score, by=by, period=period, weights=weights)
    check_options(metric, missing=missing, scale=scale, level=level, method=method, compare=compare, adjust=adjust,
                  min_n=min_n, period=period, rolling=rolling)
    return by, [score, *by, *([period] if period else []), *([weights] if weights else [])]


def check_columns(columns: Sequence[str], *, score: str, by: Sequence[str], period: Optional[str],
                  weights: Optional[str]) -> None:
    """A named column the DataFrame lacks is a ``KeyError`` naming the argument."""
    for argument, names in (("score", [score]), ("by", by), ("period", [period]), ("weights", [weights])):
        for name in names:
            if name is not None and name not in columns:
                raise KeyError(f"{argument} column {name!r} is not in the DataFrame; it has {list(columns)}")


def _names(by: Any, what: str = "by") -> list:
    """Column names: an engine's columns are named, never passed as arrays."""
    names = [by] if isinstance(by, str) else list(by or ())
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{what}= names the engine's columns: {name!r} is not a column name")
    return names


def _scale(metric: str, scale: Optional[tuple], threshold: Optional[int], higher: bool) -> Optional[tuple]:
    return None if metric == "nps" else (scale[0], scale[1], threshold, higher)


def front_ends(segments: Callable[..., SegmentTable], frame: str) -> tuple:
    """``nps_by``, ``csat_by`` and ``ces_by`` for one engine, with ``cxm.nps_by``'s arguments
    (columns named), each calling ``segments(metric, df, score, by, period, freq, weights,
    missing, level, method, compare, baseline, adjust, min_n, dropna, rolling, utc_offset,
    scale)``; ``frame`` names the engine's DataFrame in their docs."""

    def nps_by(df: Any, *, score: str, by: Any = (), period: Optional[str] = None, freq: Optional[str] = "month",
               weights: Optional[str] = None, missing: str = "reject", level: float = 0.95,
               method: Optional[str] = None, compare: str = "rest", baseline: Any = None, adjust: str = "holm",
               min_n: int = 30, dropna: bool = False, rolling: Optional[int] = None,
               utc_offset: int = 0) -> SegmentTable:
        return segments("nps", df, score, by, period, freq, weights, missing, level, method, compare, baseline,
                        adjust, min_n, dropna, rolling, utc_offset, None)

    def csat_by(df: Any, *, score: str, by: Any = (), period: Optional[str] = None, freq: Optional[str] = "month",
                scale: tuple = (1, 5), threshold: Optional[int] = None, weights: Optional[str] = None,
                missing: str = "reject", level: float = 0.95, method: Optional[str] = None, compare: str = "rest",
                baseline: Any = None, adjust: str = "holm", min_n: int = 30, dropna: bool = False,
                rolling: Optional[int] = None, utc_offset: int = 0) -> SegmentTable:
        return segments("csat", df, score, by, period, freq, weights, missing, level, method, compare, baseline,
                        adjust, min_n, dropna, rolling, utc_offset, _scale("csat", scale, threshold, True))

    def ces_by(df: Any, *, score: str, by: Any = (), period: Optional[str] = None, freq: Optional[str] = "month",
               scale: tuple = (1, 7), threshold: Optional[int] = None, higher_is_easier: bool = True,
               weights: Optional[str] = None, missing: str = "reject", level: float = 0.95,
               method: Optional[str] = None, compare: str = "rest", baseline: Any = None, adjust: str = "holm",
               min_n: int = 30, dropna: bool = False, rolling: Optional[int] = None,
               utc_offset: int = 0) -> SegmentTable:
        return segments("ces", df, score, by, period, freq, weights, missing, level, method, compare, baseline,
                        adjust, min_n, dropna, rolling, utc_offset, _scale("ces", scale, threshold, higher_is_easier))

    nps_by.__doc__ = (f"``cxm.nps_by`` on a {frame}: the same arguments, with columns named; the same table, to "
                      "the bit, as ``cxm.nps_by`` on the same rows in one process.")
    csat_by.__doc__ = f"``cxm.csat_by`` on a {frame}, as ``nps_by``."
    ces_by.__doc__ = f"``cxm.ces_by`` on a {frame}, as ``nps_by``."
    return nps_by, csat_by, ces_by


__all__: Sequence[str] = ["STATE", "partition_states", "table_of_partitions"]
