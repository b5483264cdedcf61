#!/usr/bin/env python3
"""Writes testdata/ratings.json: CSAT/CES vectors (favourable share, mean, intervals).

Unweighted expectations are what a user would get from numpy, scipy and statsmodels:
share = count / n with statsmodels' proportion_confint, mean and np.std(ddof=1), and
scipy.stats.t.interval(level, n - 1, mean, sd / sqrt(n)). Weighted cases apply cxm's
documented definitions with the same functions: weighted share and mean, Kish
n_eff = (sum w)^2 / sum w^2, sd = sqrt(sum w (x - mean)^2 / sum w * n_eff / (n_eff - 1)),
proportion_confint(share * n_eff, n_eff) and t.interval(level, n_eff - 1, mean, sd / sqrt(n_eff)).

    python3 testdata/generate_ratings.py          # rewrite the file
    python3 testdata/generate_ratings.py --check  # exit 1 if out of date (run by pytest)
"""

import math
import pathlib

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import vectorfile

OUT = pathlib.Path(__file__).resolve().parent / "ratings.json"
METHODS = {"wilson": "wilson", "agresti_coull": "agresti_coull", "clopper_pearson": "beta",
           "jeffreys": "jeffreys", "wald": "normal"}
SHARE_LEVELS = [0.9, 0.95]
MEAN_LEVELS = [0.95, 0.99]


def expected(scores, weights, scale):
    lo, hi, threshold, higher = scale
    kept = [(s, 1.0 if weights is None else weights[i]) for i, s in enumerate(scores) if s is not None]
    x = np.array([s for s, _ in kept], dtype=float)
    w = np.array([v for _, v in kept], dtype=float)
    good = x >= threshold if higher else x <= threshold
    n = len(x)
    if weights is None:
        n_eff = float(n)
        share = good.sum() / n
        mean = float(np.mean(x))
        sd = float(np.std(x, ddof=1)) if n > 1 else None
        successes = int(good.sum())
    else:
        n_eff = w.sum() ** 2 / (w * w).sum()
        share = float((w * good).sum() / w.sum())
        mean = float((w * x).sum() / w.sum())
        var = float((w * (x - mean) ** 2).sum() / w.sum())
        sd = math.sqrt(var * n_eff / (n_eff - 1)) if n_eff > 1 else None
        successes = share * n_eff
    out = {
        "n": n, "favourable": int(good.sum()), "share": float(share), "mean": mean,
        "standard_deviation": sd, "effective_n": float(n_eff), "share_intervals": [], "mean_intervals": [],
    }
    for level in SHARE_LEVELS:
        for method, sm in METHODS.items():
            a, b = proportion_confint(successes, n_eff, alpha=1 - level, method=sm)
            out["share_intervals"].append({"method": method, "level": level, "lower": float(a), "upper": float(b)})
    for level in MEAN_LEVELS:
        if sd is None:
            out["mean_intervals"].append({"level": level, "error": "too_few_responses"})
        elif sd == 0:
            # scipy refuses scale 0 (NaN); every answer equal leaves the point interval.
            out["mean_intervals"].append({"level": level, "lower": mean, "upper": mean})
        else:
            a, b = stats.t.interval(level, n_eff - 1, loc=mean, scale=sd / math.sqrt(n_eff))
            out["mean_intervals"].append({"level": level, "lower": float(a), "upper": float(b)})
    return out


def case(name, scores, scale, weights=None, missing="reject"):
    c = {"name": name, "input": {"scores": scores, "weights": weights, "missing": missing,
                                 "scale": dict(zip(["min", "max", "threshold", "higher_is_better"], scale))}}
    c["expected"] = expected(scores, weights, scale)
    return c


def error_case(name, scores, scale, kind, message, weights=None, missing="reject"):
    return {"name": name, "input": {"scores": scores, "weights": weights, "missing": missing,
                                    "scale": dict(zip(["min", "max", "threshold", "higher_is_better"], scale))},
            "error": {"kind": kind, "message": message}}


CSAT5, CSAT7, CSAT10 = (1, 5, 4, True), (1, 7, 6, True), (1, 10, 9, True)
CES7, EFFORT5 = (1, 7, 5, True), (1, 5, 2, False)


def cases():
    yield case("csat_small", [5, 4, 4, 3, 2, 5, 1, 4], CSAT5)
    yield case("csat_1_7", [7, 6, 5, 6, 7, 2, 4, 6, 7, 1, 3, 6], CSAT7)
    yield case("csat_1_10", [10, 9, 8, 9, 3, 7, 10, 6, 9, 5, 10, 2, 8], CSAT10)
    yield case("ces_1_7", [7, 5, 4, 6, 3, 5, 7, 2, 6, 5], CES7)
    yield case("ces_effort_1_5_lower_is_easier", [1, 2, 3, 1, 5, 2, 4, 1, 2], EFFORT5)
    yield case("all_satisfied", [4, 5, 5, 4, 5], CSAT5)
    yield case("none_satisfied", [1, 2, 3, 3, 2, 1], CSAT5)
    yield case("all_at_threshold", [4, 4, 4, 4], CSAT5)
    yield case("n1", [5], CSAT5)
    yield case("missing_skipped", [5, None, 4, 2, None, 3, 5], CSAT5, missing="skip")
    yield case("weighted", [5, 4, 3, 2, 5, 1, 4, 4], CSAT5, weights=[1.2, 0.8, 1.0, 2.0, 0.5, 1.5, 1.0, 0.7])
    rng = np.random.default_rng(7)
    yield case("larger_csat", [int(v) for v in rng.choice([1, 2, 3, 4, 5], size=400, p=[.05, .1, .15, .4, .3])], CSAT5)
    yield error_case("outside_scale", [5, 6], CSAT5, "score_out_of_range", "score 6 at index 1 is outside 1..=5")
    yield error_case("zero_on_csat", [0, 3], CSAT5, "score_out_of_range", "score 0 at index 0 is outside 1..=5")
    yield error_case("threshold_off_scale", [3], (1, 5, 6, True), "invalid_scale",
                     "invalid scale: the threshold 6 is outside the scale 1..=5")
    yield error_case("empty_scale", [3], (5, 1, 3, True), "invalid_scale", "invalid scale: the scale 5..=1 needs min < max")


def main():
    doc = {
        "comment": [
            "CSAT/CES vectors shared by the Rust, C and Python tests of cxm. Written by",
            "testdata/generate_ratings.py with numpy, scipy.stats.t.interval and statsmodels'",
            "proportion_confint (see its docstring for the weighted definitions). Scale: answers",
            "min..=max; favourable at or above threshold (higher_is_better) or at or below it.",
            "standard_deviation is null, and a mean interval an error, below two responses; with",
            "sd = 0 the mean interval is the point [mean, mean] (scipy gives NaN for scale 0).",
            "Do not edit by hand.",
        ],
        "tolerance": 1e-10,
        "cases": list(cases()),
    }
    vectorfile.write_or_check(OUT, doc)


if __name__ == "__main__":
    main()
