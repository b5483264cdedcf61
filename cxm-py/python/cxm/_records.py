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

def _error(kind: str, message: str, index: Optional[int] = None) -> _cxm.CxmError:
    """A CxmError of one of the core's kinds, as the compiled module raises them."""
    error = _cxm.CxmError(message)
    error.kind, error.code = kind, _cxm.ERROR_KINDS[kind]
    error.index, error.label = index, None
    return error


def _masked(column: Any) -> Optional[np.ndarray]:
    """The mask of a numpy masked array (True = missing), or None for any other column."""
    if isinstance(column, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(column)
        return mask if mask.any() else None
    return None


def _array(column: Any) -> np.ndarray:
    """A column as a numpy array: numpy as is, pandas/polars/pyarrow through ``to_numpy``, and
    columns with missing entries that numpy has no dtype for (pandas ``string``, ``Int64``,
    pyarrow arrays with nulls) as object arrays with ``None`` where an entry is missing."""
    if isinstance(column, np.ma.MaskedArray):
        return np.asarray(column.data)  # the caller reads the mask with _masked
    if isinstance(column, np.ndarray):
        return column
    if hasattr(column, "null_count") and hasattr(column, "to_pylist"):  # pyarrow
        if column.null_count:
            return np.array(column.to_pylist(), dtype=object)
        return np.asarray(column.to_numpy(zero_copy_only=False))
    try:
        dt_accessor = getattr(column, "dt", None)
        timezone = getattr(dt_accessor, "tz", None)
    except (AttributeError, NotImplementedError, TypeError):  # e.g. pandas date32[pyarrow]
        timezone = None
    if timezone is not None:  # timezone-aware pandas: to naive UTC
        column = dt_accessor.tz_convert("UTC").dt.tz_localize(None)
    dtype = getattr(column, "dtype", None)
    if dtype is not None and not isinstance(dtype, np.dtype) and hasattr(column, "isna"):
        # A pandas extension dtype (string, Int64, date32[pyarrow], ...): numpy values where
        # there are no missing entries, objects with None where there are.
        if bool(column.isna().any()):
            return np.asarray(column.to_numpy(dtype=object, na_value=None))
        if getattr(dtype, "kind", "O") in "iuMm":
            return np.asarray(column.to_numpy(dtype=dtype.numpy_dtype if hasattr(dtype, "numpy_dtype") else None))
        return np.asarray(column.to_numpy(dtype=object))
    if hasattr(column, "to_numpy"):
        column = column.to_numpy()  # pandas, polars
    return np.asarray(column)


def _naive_utc(value: Any) -> Any:
    """A datetime as numpy reads it: aware ones converted to naive UTC, pandas Timestamps to
    datetime64; anything else unchanged."""
    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    if hasattr(value, "to_datetime64"):  # pandas Timestamp
        value = value.to_datetime64()
    return value


def _datetime64(value: Any, name: str, index: int) -> np.datetime64:
    """One item of an object column: None, NaN, NaT and pandas.NA are missing; aware datetimes
    go to UTC; ints are seconds; a bool or text that is no date is an error naming the index."""
    if _is_missing(value):
        return np.datetime64("NaT")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} at index {index} is a bool ({value!r}), not a datetime")
    try:
        return np.datetime64(_naive_utc(value), "s")
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{name} at index {index} ({value!r}) is not a datetime, an ISO 8601 date "
                        "or int seconds since the Unix epoch") from None


def _datetimes_by_pandas(array: np.ndarray) -> Optional[np.ndarray]:
    """An object column of only datetimes, dates and None converted at once by pandas (20 times
    faster than item by item: 1M datetimes in 0.1 s), naive ones read as UTC as documented; None
    when pandas is absent or the column holds anything else (the item-by-item path then decides,
    naming a bad item)."""
    try:
        import pandas as pd
    except ImportError:
        return None
    if not {type(v) for v in array.tolist()} <= {_dt.datetime, _dt.date, pd.Timestamp, type(None)}:
        return None
    try:
        converted = pd.to_datetime(array, utc=True)
    except (ValueError, TypeError, OverflowError):  # e.g. beyond pandas' years 1677-2262
        return None
    return converted.tz_localize(None).to_numpy().astype("datetime64[s]")


def _int64(array: np.ndarray, name: str) -> np.ndarray:
    """``array`` as contiguous int64, refusing what would not convert exactly (floats, uint64)."""
    if array.dtype.kind not in "iu" or not np.can_cast(array.dtype, np.int64, casting="safe"):
        raise TypeError(f"{name} must hold integers that fit int64, not {array.dtype}")
    return np.ascontiguousarray(array, dtype=np.int64)


def _seconds(column: Any, name: str) -> np.ndarray:
    """An int64 array of seconds since the epoch, NaT / None / masked as the open end."""
    mask = _masked(column)
    array = _array(column)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if mask is not None:  # a masked entry is missing, as NaT is
        array = np.where(mask, None, array.astype(object))
    if array.dtype.kind == "O":
        fast = _datetimes_by_pandas(array)
        if fast is not None:
            array = fast
    if array.dtype.kind in "OUS":  # objects, ISO 8601 text: one by one, naming a bad item
        array = np.array([_datetime64(v, name, i) for i, v in enumerate(array.tolist())], dtype="datetime64[s]")
    if array.dtype.kind == "M":
        seconds = array.astype("datetime64[s]")
        # Coarser units (days, years) past int64 seconds wrap around in numpy: refused.
        wrapped = (seconds.astype(array.dtype) != array) & ~np.isnat(array)
        if wrapped.any():
            index = int(np.flatnonzero(wrapped)[0])
            raise _error("value_overflow",
                         f"{name} at index {index} ({array[index]}) does not fit int64 seconds since the Unix epoch",
                         index)
        return np.ascontiguousarray(seconds.view(np.int64))
    if array.dtype.kind in "iu":
        return _int64(array, name)
    raise TypeError(f"{name} must hold datetimes or int seconds since the Unix epoch, not {array.dtype}")


_I64 = np.iinfo(np.int64)


def _instant(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} is a bool, not a datetime or int seconds since the Unix epoch")
    if isinstance(value, (int, np.integer)):
        if not _I64.min < int(value) <= _I64.max:
            raise _error("invalid_window", f"{name} {value} is outside the int64 seconds a window can hold")
        return int(value)
    if _is_missing(value):
        raise _error("invalid_window", f"{name} is missing ({value!r}): a window needs both ends")
    try:
        instant = np.datetime64(_naive_utc(value), "s")
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{name} must be a datetime or int seconds since the Unix epoch, not {value!r}") from None
    if np.isnat(instant):
        raise _error("invalid_window", f"{name} is missing ({value!r}): a window needs both ends")
    return int(instant.astype(np.int64))


def _is_missing(value: Any) -> bool:
    """None, NaN, NaT and pandas.NA (which is neither equal nor unequal to itself)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA: its truth is ambiguous
        return True


def _customer_codes(column: Any) -> np.ndarray:
    """Customer ids as int64 codes, equal exactly when the ids are equal by Python's ``==`` (so
    ``1`` and ``1.0`` are one customer, ``1`` and ``"1"`` two, ``2**53`` and ``2**53 + 1`` two),
    whatever else the column holds. A missing id (None, NaN, NaT, pandas.NA, masked) is an error
    naming its index."""
    mask = _masked(column)
    array = _array(column)
    if mask is None and array.dtype.kind in "iu" and array.dtype != np.uint64:
        return _int64(array, "customers")
    if mask is None and array.dtype.kind in "US":
        _, codes = np.unique(array, return_inverse=True)
        return np.ascontiguousarray(codes, dtype=np.int64)
    codes: dict = {}
    out = np.empty(len(array), dtype=np.int64)
    for index, value in enumerate(array.tolist()):
        if (mask is not None and mask[index]) or _is_missing(value):
            raise _error("invalid_record", f"record at index {index} has no customer id ({value!r})", index)
        out[index] = codes.setdefault(value, len(codes))
    return out


def _values(column: Any) -> np.ndarray:
    """Record values as int64; a masked value is missing, which a value cannot be."""
    mask = _masked(column)
    if mask is not None:
        index = int(np.flatnonzero(mask)[0])
        raise _error("invalid_record", f"record at index {index} has a missing (masked) value", index)
    array = _array(column)
    return np.zeros(0, dtype=np.int64) if array.size == 0 else _int64(array, "values")


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
    in cents); ``customers`` groups records (subscriptions) into customers by id, ids being equal
    when Python's ``==`` says so (``1`` and ``1.0`` are one customer, ``1`` and ``"1"`` two). A
    masked start or end is missing, as ``NaT``; a missing value or id is an error naming its index.

    Raises CxmError naming the record for one that ends before it starts, and for a window
    with no customer active at its start.
    """
    start_seconds = _seconds(starts, "starts")
    end_seconds = None if ends is None else _seconds(ends, "ends")
    value_array = None if values is None else _values(values)
    customer_codes = None if customers is None else _customer_codes(customers)
    return _cxm._customer_flow(
        start_seconds,
        end_seconds,
        value_array,
        customer_codes,
        _instant(window_start, "window_start"),
        _instant(window_end, "window_end"),
    )
