"""``cxm.drivers``: key-driver analysis of a score on attribute ratings (LMG, the Shapley value
of R², or Johnson's relative weights) with percentile bootstrap intervals. The core's
``key_drivers`` computes; this module reads the columns and builds the result."""

from __future__ import annotations

import json
from typing import Any, NamedTuple, Optional, Sequence

import numpy as np

from cxm import _cxm
from cxm._records import _array, _masked
from cxm._segments import _column


class DriverShare(NamedTuple):
    """One driver's part of the R²: ``share`` (of the R², the shares sum to 1) with its
    bootstrap interval (``lower``, ``upper``), ``contribution`` (in R² units, summing to the R²)
    with its interval, the standardized ``coefficient`` of the full model and its ``sign``
    (the driver's direction, which the share does not carry); ``monte_carlo_error`` of the
    contribution when LMG was estimated from random orders (above 20 drivers), else None."""

    driver: str
    share: float
    lower: Optional[float]
    upper: Optional[float]
    contribution: float
    contribution_lower: Optional[float]
    contribution_upper: Optional[float]
    coefficient: float
    sign: int
    monte_carlo_error: Optional[float] = None


class Dominance(NamedTuple):
    """LMG's dominance analysis (Azen and Budescu 2003): ``general`` (each driver's
    contribution: general dominance), ``conditional`` (driver → its mean gain in R² added to
    subsets of 0, 1, … other drivers) and ``complete`` (driver → driver → 1 where the first
    adds more R² than the second to every subset of the others, −1 where less, 0 neither)."""

    general: dict
    conditional: dict
    complete: dict


def _interval(value: Optional[dict]) -> tuple:
    return (None, None) if value is None else (value["lower"], value["upper"])


class DriversResult:
    """What ``cxm.drivers`` returns: a table of drivers (iterate it, index it by name, or take
    ``.to_pandas()`` / ``.to_polars()``), with ``.r_squared``, ``.method``, ``.rows`` used and
    ``.dropped`` (listwise), ``.dominance`` (exact LMG only), ``.permutations`` (the random
    orders of entry LMG was estimated from above 20 drivers; 0 when exact), the bootstrap's ``.resamples``,
    ``.failed_resamples``, ``.level`` and ``.seed``."""

    def __init__(self, result: dict):
        self._result = result
        self.method: str = result["method"]
        self.r_squared: float = result["r_squared"]
        self.rows: int = result["rows"]
        self.dropped: int = result["dropped"]
        self.resamples: int = result["resamples"]
        self.failed_resamples: int = result["failed_resamples"]
        self.level: float = result["level"]
        self.seed: int = result["seed"]
        self.permutations: int = result["permutations"]
        self.drivers = [
            DriverShare(d["name"], d["share"], *_interval(d["share_interval"]), d["contribution"],
                        *_interval(d["contribution_interval"]), d["coefficient"], d["sign"], d["monte_carlo_error"])
            for d in result["drivers"]
        ]
        names = [d.driver for d in self.drivers]
        self.dominance: Optional[Dominance] = None
        if result["conditional"] is not None:
            self.dominance = Dominance(
                general={d.driver: d.contribution for d in self.drivers},
                conditional=dict(zip(names, result["conditional"])),
                complete={a: dict(zip(names, row)) for a, row in zip(names, result["complete"])},
            )

    def __iter__(self):
        return iter(self.drivers)

    def __len__(self) -> int:
        return len(self.drivers)

    def __getitem__(self, driver: str) -> DriverShare:
        for d in self.drivers:
            if d.driver == driver:
                return d
        raise KeyError(driver)

    def to_dict(self) -> dict:
        """The core's fields as plain data."""
        return json.loads(json.dumps(self._result))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DriversResult):
            return NotImplemented
        return self._result == other._result

    def __reduce__(self) -> tuple:
        return (DriversResult, (self.to_dict(),))

    def to_pandas(self):
        """The table as a pandas DataFrame, a row per driver."""
        import pandas as pd

        return pd.DataFrame([d._asdict() for d in self.drivers])

    def to_polars(self):
        """The table as a polars DataFrame, a row per driver."""
        import polars as pl

        return pl.DataFrame([d._asdict() for d in self.drivers])

    def plot(self, ax=None):
        """A horizontal bar chart of the shares, largest on top, with their bootstrap intervals;
        drivers with a negative coefficient are hatched. Returns the matplotlib axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.4 * len(self.drivers) + 1))
        rows = sorted(self.drivers, key=lambda d: d.share)
        y = np.arange(len(rows))
        shares = np.array([d.share for d in rows])
        errors = None
        if all(d.lower is not None for d in rows):
            errors = np.array([[d.share - d.lower for d in rows], [d.upper - d.share for d in rows]])
        bars = ax.barh(y, shares, xerr=errors, color="#4c72b0", capsize=3)
        for bar, d in zip(bars, rows):
            if d.sign < 0:
                bar.set_hatch("//")
        ax.set_yticks(y, [d.driver for d in rows])
        ax.set_xlabel(f"share of R² = {self.r_squared:.3f} ({self.method})")
        return ax

    def __repr__(self) -> str:
        top = ", ".join(f"{d.driver} {d.share:.1%}" for d in sorted(self.drivers, key=lambda d: -d.share)[:3])
        return f"DriversResult({self.method}, R² {self.r_squared:.4g} on {self.rows} rows: {top})"


def _floats(column: Any) -> np.ndarray:
    """A column as contiguous float64, its missing values (None, pandas NA, polars and pyarrow
    nulls, masked entries) NaN: ``_array``'s reading of any column, then numbers."""
    array, mask = _array(column), _masked(column)
    if array.dtype == object:
        array = np.array([np.nan if v is None else v for v in array], dtype=np.float64)
    array = np.asarray(array, dtype=np.float64)  # a copy only where the dtype differs or a mask is set
    if mask is not None:
        array = array.copy()
        array[mask] = np.nan
    return np.ascontiguousarray(array)


def drivers(data: Any, *, score: str, drivers: Sequence[str], weights: Any = None, method: str = "lmg",
            resamples: int = 1000, seed: int = 0, level: float = 0.95, missing: str = "reject",
            permutations: int = 10_000) -> DriversResult:
    """Key drivers of the column ``score`` of ``data`` (a pandas or polars DataFrame, or a
    mapping of column names to arrays) among the columns ``drivers``: the R² of the (weighted)
    regression of the score on them, divided among them by ``method`` — ``"lmg"`` (the Shapley
    value of R², as R's relaimpo ``calc.relimp(type="lmg")``, exact up to 20 drivers, with
    dominance analysis; above, estimated from ``permutations`` random orders of entry, with a
    Monte Carlo error per driver) or ``"johnson"`` (Johnson's relative weights, a different quantity) —
    with percentile bootstrap intervals from ``resamples`` resamples of the rows, seeded by
    ``seed`` (``boot``'s percentile method). ``weights`` is a column name or an array; rows with
    a missing value are an error unless ``missing="skip"`` (listwise deletion)."""
    names = list(drivers)
    w = None if weights is None else _floats(_column(data, weights, "weights"))
    result = _cxm._drivers(_floats(_column(data, score, "score")),
                           [_floats(_column(data, name, "driver")) for name in names], [str(n) for n in names], w,
                           method, int(resamples), int(seed), float(level), missing, int(permutations))
    return DriversResult(json.loads(result))


__all__: Sequence[str] = ["drivers", "DriversResult", "DriverShare", "Dominance"]
