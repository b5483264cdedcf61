"""NPS, CSAT and CES by segment and period on a Dask DataFrame (``pip install cxm[dask]``).

Each partition's responses become one state per group, on the workers, through
``map_partitions`` (with ``meta=``, so Dask never guesses by running the function on fake
data): only a few bytes per group and partition leave a worker. The driver merges the states of
each group and finishes them into the ``SegmentTable`` that ``cxm.nps_by`` gives for the same
rows computed in one process, to the bit, for any number of partitions (see
``cxm._partitions``). Partitions arrive as pandas DataFrames, whose columns (misaligned or
read-only views included) are read as ``cxm.nps_by`` reads them.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from cxm._partitions import STATE, engine_request, front_ends, partition_states, table_of_partitions
from cxm._segments import SegmentTable


def _states_of_partition(frame: Any, *, metric: str, score: str, by: list, period: Optional[str],
                         freq: Optional[str], weights: Optional[str], missing: str, dropna: bool,
                         utc_offset: int, scale: Optional[tuple], empty: Any) -> Any:
    """``map_partitions``' function: the partition's groups and their states, a row each."""
    import pandas as pd

    if len(frame) == 0:
        return empty
    out = partition_states(metric, frame, score=score, by=by, period=period, freq=freq, weights=weights,
                           missing=missing, dropna=dropna, utc_offset=utc_offset, scale=scale)
    return pd.DataFrame({name: pd.Series(list(values) if name == STATE else values, dtype=empty[name].dtype)
                         for name, values in out.items()})


def _segments(metric: str, df: Any, score: str, by: Any, period: Optional[str], freq: Optional[str],
              weights: Optional[str], missing: str, level: float, method: Optional[str], compare: str,
              baseline: Any, adjust: str, min_n: int, dropna: bool, rolling: Optional[int], utc_offset: int,
              scale: Optional[tuple]) -> SegmentTable:
    import pandas as pd

    by, wanted = engine_request(metric, list(df.columns), score=score, by=by, period=period, weights=weights, missing=missing,
                                scale=scale, level=level, method=method, compare=compare, adjust=adjust, min_n=min_n,
                                rolling=rolling)
    # Keys travel as their values (objects); a bucketed period as the core's period number.
    meta = pd.DataFrame({**{name: pd.Series([], dtype=object) for name in by},
                         **({period: pd.Series([], dtype=np.int64 if freq is not None else object)}
                            if period is not None else {}),
                         STATE: pd.Series([], dtype=object)})
    states = df[wanted].map_partitions(
        _states_of_partition, metric=metric, score=score, by=by, period=period, freq=freq, weights=weights,
        missing=missing, dropna=dropna, utc_offset=utc_offset, scale=scale, empty=meta, meta=meta)
    rows = states.compute()
    columns = {name: rows[name].to_numpy() for name in meta.columns}
    return table_of_partitions(metric, columns, by=by, period=period, freq=freq, level=level, method=method,
                               compare=compare, baseline=baseline, adjust=adjust, min_n=min_n, rolling=rolling,
                               scale=scale, library="pandas")


nps_by, csat_by, ces_by = front_ends(_segments, "``dask.dataframe.DataFrame``")


__all__: Sequence[str] = ["nps_by", "csat_by", "ces_by"]
