"""NPS, CSAT and CES by segment and period: ``nps_by``, ``csat_by``, ``ces_by`` and the
``SegmentTable`` they return.

Only conversion lives here: columns are read from a pandas or polars DataFrame (or given as
arrays), keys of any dtype are factorised into integer codes, and periods into the core's
period numbers. The core groups the responses in one pass, computes each segment's figure and
interval, compares it with the rest (or the overall, or a baseline), adjusts the p-values, and
compares each period with the one before.
"""

from __future__ import annotations

import html
from typing import Any, Optional, Sequence

import numpy as np

from cxm import _cxm
from cxm._records import _array, _error, _masked, _seconds

_COLUMNS = ["n", "effective_n", "estimate", "standard_error", "lower", "upper", "difference",
            "p_value", "p_adjusted", "small", "note"]


def _library(data: Any) -> Optional[str]:
    """'pandas' or 'polars' for a DataFrame of that library, else None."""
    module = type(data).__module__.split(".")[0]
    return module if module in ("pandas", "polars") else None


def _column(data: Any, column: Any, what: str) -> Any:
    """``data[column]`` when a DataFrame is given, else the column itself."""
    if column is None:
        return column
    if data is None:
        if isinstance(column, str):
            raise TypeError(f"{what}={column!r} names a column, but no data= was given: pass the DataFrame "
                            f"as data= (or the column itself)")
        return column
    if isinstance(column, str):
        try:
            return data[column]
        except Exception:  # noqa: BLE001 - each library raises its own KeyError-like error
            raise KeyError(f"{what} column {column!r} is not in the data") from None
    return column


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN, through dicts, sequences and arrays."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
        return a.shape == b.shape and all(_same(x, y) for x, y in zip(a.tolist(), b.tolist()))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return bool(a == b)


def _scalar(value: Any) -> Any:
    """A numpy scalar as the Python number it holds."""
    return value.item() if isinstance(value, np.generic) else value


def _factorise(column: Any, name: str, codes_ok: bool = True) -> tuple[np.ndarray, Optional[list]]:
    """Codes (−1 where missing) and the sorted labels of a key column of any dtype. With
    ``codes_ok``, integer codes that fit 32 bits are their own labels (``None``): the core takes
    them as they are, sparse or not, with no pass to number them."""
    if np.isscalar(column):
        raise TypeError(f"key {name} is the single value {column!r}, not a column: by= takes a column, a list "
                        "of columns, or a dict of name to column")
    mask = _masked(column)
    if mask is None and isinstance(column, np.ndarray) and column.dtype.kind in "iu" and column.size:
        if codes_ok and column.dtype.kind == "u" and column.dtype.itemsize <= 4:
            return column, None
        low, high = int(column.min()), int(column.max())
        if codes_ok and low >= 0 and high <= np.iinfo(np.uint32).max:
            return column.astype(np.uint32), None
        if low >= 0 and high < max(4 * column.size, 1 << 20):
            present = np.bincount(column, minlength=high + 1) > 0
            if present.all():  # already dense: the codes are their own numbers
                return column, list(range(high + 1))
            mapping = np.cumsum(present) - 1
            return mapping[column], np.flatnonzero(present).tolist()
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional
        pd = None
    if pd is not None:
        if type(column).__module__.startswith("polars"):
            values = np.asarray(column.to_list(), dtype=object)  # None where missing
        elif isinstance(column, np.ma.MaskedArray):
            values = column.data
        elif isinstance(column, (list, tuple)):
            values = np.asarray(column, dtype=object)
        else:
            values = column
        codes, uniques = pd.factorize(values, sort=True)
        codes = np.asarray(codes, dtype=np.int64)
        labels = list(uniques.tolist() if hasattr(uniques, "tolist") else uniques)
    else:  # pragma: no cover
        items = _array(column).tolist()
        present = sorted({v for v in items if v is not None and v == v})
        index = {v: i for i, v in enumerate(present)}
        codes = np.array([index.get(v, -1) if v is not None and v == v else -1 for v in items], dtype=np.int64)
        labels = present
    if mask is not None:
        codes = np.where(mask, -1, codes)
    return codes, labels


class SegmentTable:
    """The result of ``nps_by``, ``csat_by`` and ``ces_by``: one row per segment (each
    combination of the keys, and of the period, that has responses) with its ``n``,
    ``effective_n``, ``estimate`` (NPS in points; the favourable share of a rating as a
    fraction), ``standard_error``, ``lower``/``upper`` (the interval), ``difference`` and
    ``p_value`` against what ``compare`` says, ``p_adjusted`` and ``small``; ``note`` says why a
    segment is flagged. ``overall`` is the figure of all responses, ``changes`` each period
    against the one before. With ``rolling`` (N), each period's row is the trailing window of N
    periods that ends with it (``window_start`` is its first period), and each change compares
    a window with the window N periods before, which shares none of its responses."""

    def __init__(self, metric: str, key_names: list, key_columns: list, columns: dict, overall: dict,
                 changes: Optional[list], level: float, library: Optional[str], period: Optional[str],
                 rolling: Optional[int] = None, window_start: Any = None):
        self.metric = metric
        self.key_names = key_names
        self._key_columns = key_columns  # one array of labels per key, a row each
        self.columns = columns
        self.overall = {k: _scalar(v[0]) for k, v in overall.items()}
        self.changes = changes
        self.level = level
        self.period = period
        self.rolling = rolling
        self.window_start = window_start  # with rolling: each row's first period
        self._library = library
        self._labels: Optional[list] = None

    @property
    def labels(self) -> list:
        """Each row's key labels, as a tuple."""
        if self._labels is None:
            self._labels = [tuple(_scalar(v) for v in row) for row in zip(*self._key_columns)]
        return self._labels

    def __len__(self) -> int:
        return len(self.columns["n"])

    def __eq__(self, other: object) -> bool:
        """Equal when every label, column, change and setting is (NaN equal to NaN)."""
        if not isinstance(other, SegmentTable):
            return NotImplemented
        mine = (self.metric, self.key_names, self.level, self.period, self.rolling)
        theirs = (other.metric, other.key_names, other.level, other.period, other.rolling)
        return mine == theirs and self.labels == other.labels and _same(
            (self.columns, self.overall, self.changes, self.window_start),
            (other.columns, other.overall, other.changes, other.window_start))

    def _records(self) -> dict:
        out: dict = dict(zip(self.key_names, self._key_columns))
        if self.window_start is not None:
            out["window_start"] = self.window_start
        out.update({name: self.columns[name] for name in _COLUMNS})
        return out

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (keys first)."""
        import pandas as pd
        return pd.DataFrame(self._records())

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (keys first)."""
        import polars as pl
        return pl.DataFrame(self._records(), strict=False)

    def to_frame(self) -> Any:
        """The rows in the input's library (pandas or polars; pandas for arrays)."""
        return self.to_polars() if self._library == "polars" else self.to_pandas()

    def _unit(self, x: float) -> str:
        if x != x:
            return "n/a"
        return f"{x:.1f}" if self.metric == "nps" else f"{100 * x:.1f}%"

    def _lines(self) -> list:
        header = [*self.key_names, "n", "estimate", f"{round(100 * self.level)}% interval", "p_adjusted", ""]
        rows = []
        for i, label in enumerate(self.labels):
            c = {k: self.columns[k][i] for k in _COLUMNS}
            p = c["p_adjusted"]
            rows.append([*map(str, label), str(c["n"]), self._unit(c["estimate"]),
                         f"[{self._unit(c['lower'])}, {self._unit(c['upper'])}]",
                         "n/a" if p != p else f"{p:.3g}", "small" if c["small"] else ""])
        o = self.overall
        rows.append(["(overall)", *[""] * (len(self.key_names) - 1), str(o["n"]), self._unit(o["estimate"]),
                     f"[{self._unit(o['lower'])}, {self._unit(o['upper'])}]", "", ""])
        return [header, *rows]

    def __repr__(self) -> str:
        lines = self._lines()
        widths = [max(len(row[j]) for row in lines) for j in range(len(lines[0]))]
        text = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines]
        windows = f", trailing windows of {self.rolling} periods" if self.rolling else ""
        return (f"SegmentTable({self.metric} by {', '.join(self.key_names)}{windows}: {len(self)} segments)\n"
                + "\n".join(text))

    def _repr_html_(self) -> str:
        lines = self._lines()
        head = "".join(f"<th>{html.escape(c)}</th>" for c in lines[0])
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in lines[1:])
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def plot(self, ax: Any = None) -> Any:
        """A trend line with its interval band and significant changes marked (with a period),
        or a forest plot of the segments against the overall line (small segments hollow).
        Needs matplotlib. Returns the axes."""
        import matplotlib.pyplot as plt
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        unit = "NPS (points)" if self.metric == "nps" else "favourable share"
        if self.period is not None:
            _trend(self, ax, unit)
        else:
            _forest(self, ax, unit)
        if self.metric != "nps":  # shares as percent, as the repr shows them
            from matplotlib.ticker import PercentFormatter
            (ax.yaxis if self.period is not None else ax.xaxis).set_major_formatter(PercentFormatter(1.0))
        ax.figure.tight_layout()  # long period labels stay inside a saved figure
        return ax


def _trend(table: SegmentTable, ax: Any, unit: str) -> None:
    series: dict = {}
    for i, label in enumerate(table.labels):
        series.setdefault(tuple(label[:-1]), []).append(i)
    significant = {(tuple(c["keys"]), c["to"]) for c in table.changes or [] if c["p_value"] == c["p_value"]
                   and c["p_value"] < 1 - table.level}
    for prefix, rows in series.items():
        x = [table.labels[i][-1] for i in rows]
        y = [table.columns["estimate"][i] for i in rows]
        name = ", ".join(map(str, prefix)) or table.metric.upper()
        line, = ax.plot(x, y, marker="o", label=name)
        ax.fill_between(x, [table.columns["lower"][i] for i in rows], [table.columns["upper"][i] for i in rows],
                        alpha=0.2, color=line.get_color())
        marks = [(xi, yi) for xi, yi in zip(x, y) if (prefix, xi) in significant]
        if marks:
            ax.scatter(*zip(*marks), s=140, facecolors="none", edgecolors="black", zorder=3,
                       label=f"changed (p < {1 - table.level:.2g})" if prefix == next(iter(series)) else None)
    ax.set_ylabel(unit)
    ax.set_title(f"{table.metric.upper()} by {table.period} with {round(100 * table.level)}% intervals")
    ax.legend(loc="best", fontsize="small")
    ax.tick_params(axis="x", rotation=45)


def _forest(table: SegmentTable, ax: Any, unit: str) -> None:
    names = [", ".join(map(str, label)) for label in table.labels]
    y = np.arange(len(names))[::-1]
    est = np.array(table.columns["estimate"], dtype=float)
    lo = est - np.array(table.columns["lower"], dtype=float)
    hi = np.array(table.columns["upper"], dtype=float) - est
    small = np.array(table.columns["small"], dtype=bool)
    ax.errorbar(est[~small], y[~small], xerr=[lo[~small], hi[~small]], fmt="o", color="C0", label="segment")
    if small.any():
        ax.errorbar(est[small], y[small], xerr=[lo[small], hi[small]], fmt="o", mfc="white", color="C1",
                    label="small segment")
    ax.axvline(table.overall["estimate"], color="grey", linestyle="--", label="overall")
    ax.set_yticks(y, names)
    ax.set_xlabel(unit)
    ax.set_title(f"{table.metric.upper()} by {', '.join(table.key_names)} with {round(100 * table.level)}% intervals")
    ax.legend(loc="best", fontsize="small")


def _key_names(by: Any) -> tuple[list, list]:
    """The names of the ``by`` keys and their columns (names or arrays)."""
    if isinstance(by, dict):  # {name: column}: keys named by the caller
        return [str(k) for k in by], list(by.values())
    by_list = [] if by is None else ([by] if isinstance(by, str) or not isinstance(by, (list, tuple)) else list(by))
    return [b if isinstance(b, str) else getattr(b, "name", None) or f"key{i}" for i, b in enumerate(by_list)], by_list


def _period_name(period: Any) -> str:
    return period if isinstance(period, str) else getattr(period, "name", None) or "period"


def _own_periods(column: Any, name: str) -> tuple[np.ndarray, list]:
    """Codes and labels of the caller's own periods (``freq=None``): integers as consecutive
    period numbers, or labels that sort in time order."""
    codes, labels = _factorise(column, name, codes_ok=False)
    if labels and all(isinstance(v, (int, np.integer)) for v in labels):
        numbers = np.array(labels, dtype=np.int64)
        codes = np.where(codes >= 0, numbers[np.maximum(codes, 0)] - numbers.min(), -1)
        labels = np.arange(numbers.min(), numbers.max() + 1).tolist()
    return codes, labels


def _bucketed(column: Any, name: str, freq: str, utc_offset: int) -> tuple[np.ndarray, int, list]:
    """Dense period codes (−1 where the time is missing), the first period's number, and the
    labels of every period from the first to the last, by the core."""
    try:
        seconds = _seconds(column, name)
    except TypeError as e:
        raise TypeError(f"{e}; periods that are already labels (such as '2026-Q2') need freq=None") from None
    missing_time = seconds == np.iinfo(np.int64).max
    raw, first, labels = _cxm._bucket_periods(np.where(missing_time, 0, seconds).tolist(), freq, utc_offset)
    return np.where(missing_time, -1, np.asarray(raw, dtype=np.int64)), first, labels


def _without_missing_keys(key_names: list, key_codes: list, scores: Any, w: Any,
                          dropna: bool) -> tuple[list, Any, Any, Optional[np.ndarray]]:
    """The key codes, scores and weights without the rows whose key is missing (with
    ``dropna``; else the first is an error), and which rows were kept (None: all)."""
    if not key_codes:
        raise TypeError("give at least one key in by= or a period=")
    n = len(key_codes[0])
    absent = None  # rows with a missing key: only signed codes (−1) can say so
    for name, codes in zip(key_names, key_codes):
        if len(codes) != n:
            raise _error("column_length_mismatch", f"column {name} has {len(codes)} values but {key_names[0]} has {n}")
        if codes.dtype.kind == "i":
            absent = codes < 0 if absent is None else absent | (codes < 0)
    if absent is None or not absent.any():
        return key_codes, scores, w, None
    if not dropna:
        index = int(np.flatnonzero(absent)[0])
        bad = next(name for name, codes in zip(key_names, key_codes) if codes[index] < 0)
        raise _error("missing_input", f"key {bad} at index {index} is missing: pass dropna=True to leave such rows out", index)
    keep = ~absent
    scores = np.asarray(_array(scores))[keep]
    if w is not None:
        w = np.asarray(_array(w), dtype=np.float64)[keep]
    return [codes[keep] for codes in key_codes], scores, w, keep


def _baseline_codes(key_labels: list, compare: str, baseline: Any) -> Optional[list]:
    if compare != "baseline":
        return None
    if baseline is None:
        raise TypeError("compare='baseline' needs baseline= (a segment's labels)")
    wanted = baseline if isinstance(baseline, tuple) else (baseline,)
    try:
        return [int(value) if labels is None else labels.index(value) for labels, value in zip(key_labels, wanted)]
    except (ValueError, TypeError):
        raise _error("missing_input", f"the baseline {baseline!r} is not a segment of the data") from None


def _u32(codes: list) -> list:
    return [np.ascontiguousarray(c, dtype=np.uint32) for c in codes]


def _assemble(metric: str, result: dict, key_names: list, key_labels: list, period_name: Optional[str],
              rolling: Optional[int], level: float, library: Optional[str]) -> SegmentTable:
    """The ``SegmentTable`` of the core's columns, its key codes labelled."""
    def label(j: int, code: int) -> Any:
        return code if key_labels[j] is None else key_labels[j][code]

    key_columns = [codes if labels is None else np.asarray(labels, dtype=object)[codes]
                   for labels, codes in zip(key_labels, result["keys"])]
    window_start = None
    if "window_start" in result:  # with trailing windows: each row's first period, from the core
        starts = result["window_start"]
        window_start = starts if key_labels[-1] is None else np.asarray(key_labels[-1], dtype=object)[starts]
    changes = None
    if period_name is not None:
        changes = []
        for c in result["changes"]:
            prefix = tuple(label(j, code) for j, code in enumerate(c["keys"]))
            changes.append({**dict(zip(key_names[:-1], prefix)), "keys": prefix,
                            "from": label(-1, c["from"]), "to": label(-1, c["to"]),
                            **{k: c[k] for k in ("difference", "lower", "upper", "p_value", "note")}})
    return SegmentTable(metric, key_names, key_columns, result["columns"], result["overall"], changes, level,
                        library, period_name, rolling if period_name is not None else None, window_start)


def _segments(metric: str, data: Any, score: Any, by: Any, period: Any, freq: Optional[str],
              weights: Any, missing: str, level: float, method: Optional[str], compare: str,
              baseline: Any, adjust: str, min_n: int, dropna: bool, rolling: Optional[int],
              utc_offset: int, scale: Optional[tuple]) -> SegmentTable:
    if rolling is not None and period is None:
        raise TypeError("rolling= gives trailing windows of periods: it needs period=")
    scores = _column(data, score, "score")
    w = _column(data, weights, "weights")
    key_names, by_list = _key_names(by)
    key_codes, key_labels = [], []
    for name, b in zip(key_names, by_list):
        codes, labels = _factorise(_column(data, b, "by"), name)
        key_codes.append(codes)
        key_labels.append(labels)
    period_name = None
    if period is not None:
        period_name = _period_name(period)
        column = _column(data, period, "period")
        if freq is None:
            codes, labels = _own_periods(column, period_name)
        else:
            codes, _, labels = _bucketed(column, period_name, freq, utc_offset)
        key_names.append(period_name)
        key_codes.append(codes)
        key_labels.append(list(labels))
    key_codes, scores, w, _ = _without_missing_keys(key_names, key_codes, scores, w, dropna)
    base = _baseline_codes(key_labels, compare, baseline)
    result = _cxm._segment_table(
        metric, scores, w, _u32(key_codes), missing=missing, level=level, method=method, compare=compare,
        baseline=base, adjust=adjust, min_n=min_n, periods=period is not None, rolling=rolling, scale=scale)
    return _assemble(metric, result, key_names, key_labels, period_name, rolling, level, _library(data))


def nps_by(data: Any = None, *, score: Any, by: Any = (), period: Any = None, freq: Optional[str] = "month",
           weights: Any = None, missing: str = "reject", level: float = 0.95, method: Optional[str] = None,
           compare: str = "rest", baseline: Any = None, adjust: str = "holm", min_n: int = 30,
           dropna: bool = False, rolling: Optional[int] = None, utc_offset: int = 0) -> SegmentTable:
    """The NPS per segment (``by``: one key or several, columns of ``data`` by name, arrays, or
    a dict of name to array)
    and per ``period`` (a datetime or epoch-seconds column, bucketed by ``freq``: ``"day"``,
    ``"week"`` (ISO), ``"month"``, ``"quarter"``, ``"year"``, at ``utc_offset`` seconds east
    of UTC; ``freq=None`` takes the column's own periods: integers as consecutive period
    numbers, or labels such as ``"2026-Q1"`` that sort in time order, one after another), in one
    pass. Each segment is compared with the rest (``compare="rest"``), the overall
    (``"overall"``) or a ``baseline`` segment (``"baseline"``), p-values adjusted by
    ``adjust`` (``"holm"``, ``"fdr_bh"``, ``"none"``); segments below ``min_n`` responses, or
    whose interval degenerates, are flagged ``small``. ``rolling=k`` gives trailing windows of
    k periods (merged states). Missing keys raise unless ``dropna=True``. Returns a
    ``SegmentTable``."""
    return _segments("nps", data, score, by, period, freq, weights, missing, level, method, compare, baseline,
                     adjust, min_n, dropna, rolling, utc_offset, None)


def csat_by(data: Any = None, *, score: Any, by: Any = (), period: Any = None, freq: Optional[str] = "month",
            scale: tuple = (1, 5), threshold: Optional[int] = None, weights: Any = None, missing: str = "reject",
            level: float = 0.95, method: Optional[str] = None, compare: str = "rest", baseline: Any = None,
            adjust: str = "holm", min_n: int = 30, dropna: bool = False, rolling: Optional[int] = None,
            utc_offset: int = 0) -> SegmentTable:
    """CSAT (the share of answers at or above ``threshold`` on ``scale``) per segment and
    period, as ``nps_by``; ``estimate`` is the share (a fraction) and ``method`` a proportion
    interval method (Wilson by default). ``threshold`` may be left out on the default scale
    (1–5, satisfied 4–5) only: on any other, which answers are favourable cannot be guessed."""
    return _segments("csat", data, score, by, period, freq, weights, missing, level, method, compare, baseline,
                     adjust, min_n, dropna, rolling, utc_offset, (scale[0], scale[1], threshold, True))


def ces_by(data: Any = None, *, score: Any, by: Any = (), period: Any = None, freq: Optional[str] = "month",
           scale: tuple = (1, 7), threshold: Optional[int] = None, higher_is_easier: bool = True, weights: Any = None,
           missing: str = "reject", level: float = 0.95, method: Optional[str] = None, compare: str = "rest",
           baseline: Any = None, adjust: str = "holm", min_n: int = 30, dropna: bool = False,
           rolling: Optional[int] = None, utc_offset: int = 0) -> SegmentTable:
    """CES (the share of "easy" answers on ``scale``) per segment and period, as ``csat_by``;
    ``threshold`` may be left out on the default scale (1–7, easy 5–7) only."""
    return _segments("ces", data, score, by, period, freq, weights, missing, level, method, compare, baseline,
                     adjust, min_n, dropna, rolling, utc_offset, (scale[0], scale[1], threshold, higher_is_easier))


__all__: Sequence[str] = ["SegmentTable", "nps_by", "csat_by", "ces_by"]
