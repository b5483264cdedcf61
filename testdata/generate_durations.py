#!/usr/bin/env python3
"""Writes testdata/durations.json: summaries of durations with no case open (waits, handle
times), from numpy, scipy and statsmodels.

- Percentiles: numpy.percentile(x, q) (the default, linear interpolation).
- Their distribution-free intervals: scipy.stats.quantile_test(x, p=q/100)
  .confidence_interval(level) (order statistics with binomial coverage; NaN, recorded as null,
  where the sample cannot give a limit), for 0 < q < 100, which scipy requires.
- Mean: numpy.mean, its standard deviation numpy.std(ddof=1) and the t interval
  scipy.stats.ttest_1samp(x, 0).confidence_interval(level).
- Share within T: the count at or below T over n, with statsmodels'
  proportion_confint(method="wilson").

    python3 testdata/generate_durations.py          # rewrite the file
    python3 testdata/generate_durations.py --check  # exit 1 if out of date (run by pytest)
"""

import pathlib
import sys

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import vectorfile  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "durations.json"
PERCENTS = [0.0, 5.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 100.0]
LEVELS = [0.9, 0.95, 0.99]


def big(n):
    """A long deterministic case, rebuilt by the tests from the same formula: waits in seconds
    with many ties."""
    i = np.arange(n, dtype=np.int64)
    return ((i * 7919) % 3607).astype(np.float64) / 4.0


def cases():
    rng = np.random.default_rng(20261205)
    yield "one wait", [42.0], 42.0
    yield "two waits", [10.0, 30.0], 20.0
    yield "ties", [5.0, 5.0, 5.0, 7.0, 7.0, 9.0, 12.0, 12.0], 7.0
    yield "a shift of calls", np.round(rng.exponential(35.0, 200), 1).tolist(), 20.0
    yield "handle times", np.round(rng.lognormal(5.5, 0.6, 1000), 2).tolist(), 300.0
    yield "long (1e6)", None, 450.0


def nullable(x):
    return None if not np.isfinite(x) else float(x)


def expected(x, within):
    x = np.asarray(x, dtype=np.float64)
    out = []
    for level in LEVELS:
        row = {"level": level, "percentiles": []}
        for q in PERCENTS:
            entry = {"percent": q, "estimate": float(np.percentile(x, q))}
            if 0 < q < 100:  # scipy's test takes p strictly inside (0, 1)
                ci = stats.quantile_test(x, p=q / 100).confidence_interval(level)
                entry.update(lower=nullable(ci.low), upper=nullable(ci.high))
            row["percentiles"].append(entry)
        row["mean"] = float(np.mean(x))
        if x.size > 1:
            row["standard_deviation"] = float(np.std(x, ddof=1))
            ci = stats.ttest_1samp(x, 0.0).confidence_interval(level)
            row["mean_interval"] = [float(ci.low), float(ci.high)]
        else:
            row["standard_deviation"] = None
            row["mean_interval"] = None
        done = int(np.count_nonzero(x <= within))
        lo, hi = proportion_confint(done, x.size, alpha=1 - level, method="wilson")
        row["within"] = {"seconds": within, "share": done / x.size, "lower": float(lo), "upper": float(hi)}
        out.append(row)
    return out


def main():
    document = {"about": __doc__.split("\n\n")[0], "cases": []}
    for name, x, within in cases():
        if x is None:
            n = 1_000_000
            case = {"name": name, "input": {"formula": "big", "n": n}, "expected": expected(big(n), within)}
        else:
            case = {"name": name, "input": {"seconds": x}, "expected": expected(x, within)}
        document["cases"].append(case)
    vectorfile.write_or_check(OUT, document)


if __name__ == "__main__":
    main()
