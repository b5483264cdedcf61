"""Customer records from Python columns to the int64 seconds the core reads.

Only conversion lives here: datetimes (numpy ``datetime64``, pandas and polars datetime
Series, lists of ``datetime``) become whole seconds since the Unix epoch, a missing end
(``NaT``, ``None``) becomes the core's open end, and customer ids of any hashable type become
int64 codes. The flow itself is computed by the core.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Optional

import numpy as np

from cxm import _cxm

def _array(column: Any) -> np.ndarray:
    dt_accessor = getattr(column, "dt", None)
    if getattr(dt_accessor, "tz", None) is not None:  # timezone-aware pandas: to naive UTC
        column = dt_accessor.tz_convert("UTC").dt.tz_localize(None)
    if hasattr(column, "to_numpy") and not isinstance(column, np.ndarray):
        column = column.to_numpy()  # pandas, polars, pyarrow
    return np.asarray(column)


def _naive_utc(value: Any) -> Any:
    """A datetime as numpy reads it: aware ones converted to naive UTC, pandas Timestamps to
    datetime64; anything else unchanged."""
    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    if hasattr(value, "to_datetime64"):  # pandas Timestamp
        value = value.to_datetime64()
    return value


def _datetime64(value: Any) -> np.datetime64:
    """One item of an object column: None, NaN and NaT are missing; aware datetimes go to UTC."""
    if value is None or value != value:
        return np.datetime64("NaT")
    return np.datetime64(_naive_utc(value), "s")


def _int64(array: np.ndarray, name: str) -> np.ndarray:
    """``array`` as contiguous int64, refusing what would not convert exactly (floats, uint64)."""
    if array.dtype.kind not in "iu" or not np.can_cast(array.dtype, np.int64, casting="safe"):
        raise TypeError(f"{name} must hold integers that fit int64, not {array.dtype}")
    return np.ascontiguousarray(array, dtype=np.int64)


def _seconds(column: Any, name: str) -> np.ndarray:
    """An int64 array of seconds since the epoch, NaT / None as the open end."""
    array = _array(column)
    if array.dtype.kind == "O":
        array = np.array([_datetime64(v) for v in array], dtype="datetime64[s]")
    if array.dtype.kind in "US":  # ISO 8601 text
        try:
            array = array.astype("datetime64[s]")
        except ValueError:
            raise TypeError(f"{name} holds text that is not an ISO 8601 date") from None
    if array.dtype.kind == "M":
        return np.ascontiguousarray(array.astype("datetime64[s]").view(np.int64))
    if array.dtype.kind in "iu":
        return _int64(array, name)
    raise TypeError(f"{name} must hold datetimes or int seconds since the Unix epoch, not {array.dtype}")


def _instant(value: Any, name: str) -> int:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    try:
        return int(np.datetime64(_naive_utc(value), "s").astype(np.int64))
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a datetime or int seconds since the Unix epoch, not {value!r}") from None


def _customer_codes(column: Any) -> np.ndarray:
    array = _array(column)
    if array.dtype.kind in "iu":
        return _int64(array, "customers")
    _, codes = np.unique(array.astype(str) if array.dtype.kind == "O" else array, return_inverse=True)
    return np.ascontiguousarray(codes, dtype=np.int64)


def customer_flow(
    starts: Any,
    ends: Optional[Any] = None,
    *,
    window_start: Any,
    window_end: Any,
    values: Optional[Any] = None,
    customers: Optional[Any] = None,
) -> _cxm.CustomerFlowResult:
    """The customers over the window ``[window_start, window_end)`` from their records.

    ``starts`` and ``ends`` are datetimes (numpy ``datetime64``, pandas or polars datetime
    columns, ``datetime`` objects, ISO 8601 strings; timezone-aware values are converted to UTC, naive ones are
    read as UTC) or int seconds since
    the Unix epoch, truncated to whole seconds; an end of ``NaT`` or ``None`` (or no ``ends``)
    means still active. A record is active from its start (included) to its end (excluded).
    ``values`` are each record's recurring value in integer minor units (e.g. monthly revenue
    in cents); ``customers`` groups records (subscriptions) into customers by id.

    Raises CxmError naming the record for one that ends before it starts, and for a window
    with no customer active at its start.
    """
    start_seconds = _seconds(starts, "starts")
    end_seconds = None if ends is None else _seconds(ends, "ends")
    value_array = None if values is None else _int64(_array(values), "values")
    customer_codes = None if customers is None else _customer_codes(customers)
    return _cxm._customer_flow(
        start_seconds,
        end_seconds,
        value_array,
        customer_codes,
        _instant(window_start, "window_start"),
        _instant(window_end, "window_end"),
    )
