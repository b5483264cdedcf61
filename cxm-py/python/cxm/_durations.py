"""``cxm.durations``: waits, handle times and times to resolution (with cases still open), and
the result classes built from the core's answer. Only conversion lives here."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Sequence

import numpy as np

from cxm import _cxm
from cxm._records import _array, _error, _masked
from cxm._segments import _column, _same

_CURVE = ["time", "at_risk", "resolved", "open", "survival", "lower", "upper"]


class Percentile(NamedTuple):
    """A percentile of the durations with its interval; ``None`` where not reached (the curve,
    or the limit's band, never comes down that far within the data)."""

    percent: float
    estimate: Optional[float]
    lower: Optional[float]
    upper: Optional[float]

    @property
    def reached(self) -> bool:
        return self.estimate is not None


class ShareWithin(NamedTuple):
    """The share of cases done within ``seconds``, with its interval."""

    seconds: float
    share: float
    lower: float
    upper: float


class SurvivalCurve:
    """The Kaplan–Meier curve: a row per time with the cases at risk, resolved and still open
    there, the share still unresolved after it (``survival``) and its band (``lower``,
    ``upper``; NaN where the curve is 0, which no band transform covers)."""

    def __init__(self, columns: dict, level: float, conf_type: str):
        self.columns = {k: columns[k] for k in _CURVE}
        self.greenwood = columns["greenwood"]
        self.level = level
        self.conf_type = conf_type

    def __len__(self) -> int:
        return len(self.columns["time"])

    def to_pandas(self) -> Any:
        import pandas as pd
        return pd.DataFrame(self.columns)

    def to_polars(self) -> Any:
        import polars as pl
        return pl.DataFrame(self.columns)

    def plot(self, ax: Any = None, *, resolved: bool = False) -> Any:
        """The curve as steps with its band shaded, open cases marked; with ``resolved`` the
        share resolved (1 − S) instead. Needs matplotlib. Returns the axes."""
        import matplotlib.pyplot as plt
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        t = np.concatenate([[0.0], self.columns["time"]])
        flip = (lambda y: 1 - y) if resolved else (lambda y: y)
        s = flip(np.concatenate([[1.0], self.columns["survival"]]))
        lo = flip(np.concatenate([[1.0], self.columns["lower"]]))
        hi = flip(np.concatenate([[1.0], self.columns["upper"]]))
        line, = ax.step(t, s, where="post", label="share resolved" if resolved else "share still open")
        ax.fill_between(t, lo, hi, step="post", alpha=0.2, color=line.get_color(),
                        label=f"{round(100 * self.level)}% band ({self.conf_type})")
        open_at = self.columns["open"] > 0
        ax.plot(self.columns["time"][open_at], flip(self.columns["survival"][open_at]), "|", color="black",
                markersize=8, label="cases still open")
        ax.set_xlabel("seconds")
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc="best", fontsize="small")
        return ax

    def __repr__(self) -> str:
        return f"SurvivalCurve({len(self)} times, {round(100 * self.level)}% band by {self.conf_type})"


def _percentile(d: dict) -> Percentile:
    return Percentile(d["percent"], d["estimate"], d["lower"], d["upper"])


class DurationsResult:
    """What ``cxm.durations`` returns. ``mean`` (with ``standard_deviation`` and
    ``mean_interval``) only when no case is open; ``median`` and ``percentiles`` (each a
    ``Percentile`` with its interval); ``within`` (a ``ShareWithin``) when asked; ``survival``,
    the Kaplan–Meier curve, when cases are open or the records weighted."""

    def __init__(self, result: dict, level: float, conf_type: str):
        self._result = result
        self.level = level
        self.conf_type = conf_type
        self.records = result["records"]
        self.open = result["open"]
        mean = result["mean"]
        self.mean = None if mean is None else mean["estimate"]
        self.standard_deviation = None if mean is None else mean["standard_deviation"]
        self.mean_interval = None if mean is None else mean["interval"]
        self.median = result["median"]["estimate"]
        self.median_interval = (result["median"]["lower"], result["median"]["upper"])
        self.percentiles = [_percentile(p) for p in result["percentiles"]]
        w = result["within"]
        self.within = None if w is None else ShareWithin(w["seconds"], w["share"], *w["interval"])
        self.survival = None if result["curve"] is None else SurvivalCurve(result["curve"], level, conf_type)
        self.method = "kaplan_meier" if result["curve"] is not None else "order_statistics"

    def to_dict(self) -> dict:
        """The core's fields (``records``, ``open``, ``mean``, ``median``, ``percentiles``,
        ``within``, ``curve``, ``band``) as plain data; the band, each step's (lower, upper), is
        the curve's ``lower`` and ``upper`` columns."""
        out = dict(self._result)
        out["band"] = None
        if out["curve"] is not None:
            out["curve"] = {k: np.asarray(v).tolist() for k, v in out["curve"].items()}
            out["band"] = list(zip(out["curve"]["lower"], out["curve"]["upper"]))
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DurationsResult):
            return NotImplemented
        return (self.level, self.conf_type) == (other.level, other.conf_type) and _same(self.to_dict(), other.to_dict())

    def __reduce__(self) -> tuple:
        return (DurationsResult, (self.to_dict(), self.level, self.conf_type))

    def __repr__(self) -> str:
        # A limit the data do not give: not reached on a Kaplan–Meier curve; on order
        # statistics, a sample too small for the interval (as the command line says).
        missing = "not reached" if self.survival is not None else "n/a"

        def t(x: Optional[float]) -> str:
            return missing if x is None else f"{x:g}"
        parts = [f"n={self.records}"]
        if self.open:
            parts.append(f"open={self.open:g}")
        if self.mean is not None:
            parts.append(f"mean={self.mean:g}")
        parts.append(f"median={t(self.median)} [{t(self.median_interval[0])}, {t(self.median_interval[1])}]")
        parts += [f"p{p.percent:g}={t(p.estimate)}" for p in self.percentiles if p.percent != 50]
        if self.within is not None:
            parts.append(f"within {self.within.seconds:g}s={self.within.share:.3f}")
        return f"DurationsResult({', '.join(parts)}; {self.method})"


def _seconds_of(values: Any) -> Any:
    """Durations as numbers of seconds: timedeltas (numpy, pandas) converted, numbers as they
    are (the core checks them)."""
    array = np.asarray(values) if not isinstance(values, np.ndarray) else values
    if array.dtype.kind == "m":
        seconds = array / np.timedelta64(1, "s")
        return np.where(np.isnat(array), np.nan, seconds)
    return values


def _open_flags(open: Any, what: str = "open") -> Optional[np.ndarray]:
    """Flags (open cases, answered contacts) as a contiguous bool array; a missing flag is an
    error, never False."""
    if open is None:
        return None
    mask = _masked(open)
    array = _array(open)
    if array.size == 0:
        return np.zeros(0, dtype=bool)
    if array.dtype.kind == "O":
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in array.tolist()], dtype=bool)
        mask = missing if mask is None else (mask | missing)
    if mask is not None and mask.any():
        index = int(np.flatnonzero(mask)[0])
        raise _error("missing_input", f"the {what} flag at index {index} is missing: say whether it is {what}", index)
    if array.dtype.kind not in "biuO":
        raise TypeError(f"{what} must hold booleans, not {array.dtype}")
    flags = array.astype(bool, copy=False) if array.dtype.kind != "O" else np.array([bool(v) for v in array.tolist()])
    if array.dtype.kind in "iu" and not np.isin(array, (0, 1)).all():
        index = int(np.flatnonzero(~np.isin(array, (0, 1)))[0])
        raise _error("invalid_record", f"the {what} flag at index {index} is {array[index]}, not 0 or 1", index)
    return np.ascontiguousarray(flags, dtype=bool)


def durations(seconds: Any, *, open: Any = None, weights: Any = None, percentiles: Sequence[float] = (50.0, 90.0),
              within: Optional[float] = None, level: float = 0.95, conf_type: str = "log-log",
              data: Any = None) -> DurationsResult:
    """Waits, handle times or times to resolution in seconds (numbers, or timedeltas): the mean
    with its t interval (when no case is open), the median and ``percentiles`` with
    distribution-free intervals (numpy's percentiles with scipy's ``quantile_test`` intervals),
    and the share done ``within`` a time with its interval. With ``open`` (True for each case
    still open at the end of the window: right-censored, never counted as resolved nor dropped)
    or ``weights``, the percentiles and the share are Kaplan–Meier's, their intervals from its
    band (``conf_type`` ``"log-log"``, or R's default ``"log"``), and ``survival`` is the
    curve. With ``data`` (a pandas or polars DataFrame), ``seconds``, ``open`` and ``weights``
    may name its columns."""
    seconds, open, weights = (_column(data, c, what) for c, what in
                              ((seconds, "seconds"), (open, "open"), (weights, "weights")))
    values = _seconds_of(seconds)
    flags = _open_flags(open)
    result = _cxm._durations(values, flags, weights, [float(p) for p in percentiles],
                             None if within is None else float(within), level, conf_type)
    return DurationsResult(result, level, conf_type)


class ContactShare(NamedTuple):
    """A share of contacts, ``count`` of ``of``, with its Wilson interval (NaN when ``of`` is 0)."""

    count: int
    of: int
    share: float
    lower: float
    upper: float


def _contact_share(d: dict) -> ContactShare:
    return ContactShare(d["count"], d["of"], d["share"], *d["interval"])


class ContactCentreResult:
    """What ``cxm.contact_centre`` returns: the counts (``offered``, ``answered``,
    ``abandoned``, ``short_abandons``), ``abandonment`` and each of ``service_levels``
    (``"offered"``, ``"answered_and_late_abandons"``, ``"answered"``: a ``ContactShare`` each),
    and ``speed_of_answer`` (a ``DurationsResult`` of the answered waits: ``.mean`` is the
    average speed of answer), ``None`` when no contact was answered."""

    def __init__(self, result: dict, level: float):
        self._result = result
        self.level = level
        for key in ("offered", "answered", "abandoned", "short_abandons", "short_abandon_seconds"):
            setattr(self, key, result[key])
        self.abandonment = _contact_share(result["abandonment"])
        self.service_levels = {k: _contact_share(v) for k, v in result["service_levels"].items()}
        self.service_level_seconds = next(iter(result["service_levels"].values()))["seconds"]
        speed = result["speed_of_answer"]
        self.speed_of_answer = None if speed is None else DurationsResult(speed, level, "log-log")

    def to_dict(self) -> dict:
        out = dict(self._result)
        if self.speed_of_answer is not None:
            out["speed_of_answer"] = self.speed_of_answer.to_dict()
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ContactCentreResult):
            return NotImplemented
        return self.level == other.level and _same(self.to_dict(), other.to_dict())

    def __reduce__(self) -> tuple:
        return (_restore_contacts, (self.to_dict(), self.level))

    def __repr__(self) -> str:
        sl = self.service_levels["offered"]
        asa = "none answered" if self.speed_of_answer is None else f"ASA {self.speed_of_answer.mean:g} s"
        short = f", {self.short_abandons} short abandons left out" if self.short_abandon_seconds is not None else ""
        return (f"ContactCentreResult(offered={self.offered}, abandonment={self.abandonment.share:.3f}, "
                f"service level {sl.share:.3f} within {self.service_level_seconds:g} s of offered, {asa}{short})")


def _restore_contacts(result: dict, level: float) -> ContactCentreResult:
    restored = dict(result)
    if restored["speed_of_answer"] is not None:
        speed = dict(restored["speed_of_answer"])
        if speed["curve"] is not None:
            speed["curve"] = {k: np.asarray(v) for k, v in speed["curve"].items()}
        restored["speed_of_answer"] = speed
    return ContactCentreResult(restored, level)


def contact_centre(wait_seconds: Any, answered: Any, *, short_abandon_seconds: Optional[float] = None,
                   service_level_seconds: float = 20.0, percentiles: Sequence[float] = (50.0, 90.0),
                   level: float = 0.95, data: Any = None) -> ContactCentreResult:
    """Contact-centre figures from contact records: ``wait_seconds`` before each contact was
    answered or abandoned (numbers or timedeltas) and ``answered`` (True / False, never
    missing). Abandonment = abandoned ÷ offered, short abandons (abandoned at or within
    ``short_abandon_seconds``) left out of both when given; the service level at
    ``service_level_seconds`` in its three definitions (of offered, of answered and abandoned
    after the time, of answered); and the speed of answer (mean, median, ``percentiles``, with
    intervals). Each share has a Wilson interval at ``level``. With ``data`` (a pandas or
    polars DataFrame), ``wait_seconds`` and ``answered`` may name its columns."""
    wait_seconds, answered = _column(data, wait_seconds, "wait_seconds"), _column(data, answered, "answered")
    waits = _seconds_of(wait_seconds)
    flags = _open_flags(answered, what="answered")
    result = _cxm._contact_centre(waits, flags, None if short_abandon_seconds is None else float(short_abandon_seconds),
                                  float(service_level_seconds), [float(p) for p in percentiles], level)
    return ContactCentreResult(result, level)


__all__: Sequence[str] = ["contact_centre", "ContactCentreResult", "ContactShare", "durations", "DurationsResult",
                          "Percentile", "ShareWithin", "SurvivalCurve"]
