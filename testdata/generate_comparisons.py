#!/usr/bin/env python3
"""Writes testdata/comparisons.json: two-sample comparisons (proportions, NPS, means).

- Proportions: statsmodels 0.15, confint_proportions_2indep(method="newcomb") for the interval
  and test_proportions_2indep(method="score") (correction=True, its default) for z and p.
  Where both samples are all successes or all failures statsmodels returns NaN (0/0); cxm
  defines z = 0 and p = 1 there, as recorded.
- NPS: the Wald and adjusted-Wald (Rocks 2016, pseudo-observations 3/4, 3/2, 3/4) two-sample
  z comparison, computed with mpmath at 40 digits: d = NPS1 - NPS2, SE = sqrt(Var1/n1 +
  Var2/n2) on the method's shares, interval d +- z SE (points, clipped to +-200), z = d / SE,
  p = erfc(|z| / sqrt 2). estimate is always the raw difference of the two scores. With SE = 0
  and d != 0, z is infinite and p = 0.
- Means: scipy 1.17, stats.ttest_ind(a, b, equal_var=False): statistic, pvalue, df and
  confidence_interval(level).
- Benchmarks (one-sided): a proportion against p0 with statsmodels' proportions_ztest
  (prop_var=p0 for the score test behind Wilson, the sample variance for Wald) and scipy's
  binomtest (exact, behind Clopper-Pearson), intervals from proportion_confint; an NPS against
  a benchmark with mpmath: Wald and adjusted-Wald z, and the score statistic from the restricted
  likelihood maximised numerically (generate_nps.py), p = erfc(+-z / sqrt 2) / 2.

    python3 testdata/generate_comparisons.py          # rewrite the file
    python3 testdata/generate_comparisons.py --check  # exit 1 if out of date (run by pytest)
"""

import pathlib
import sys
import warnings

import mpmath as mp
import numpy as np
from scipy import stats
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
    test_proportions_2indep,
)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import generate_nps  # noqa: E402  (the independent NPS reference: intervals, restricted MLE)
import vectorfile  # noqa: E402

mp.mp.dps = 40
OUT = pathlib.Path(__file__).resolve().parent / "comparisons.json"
LEVELS = [0.9, 0.95]


def proportions(x1, n1, x2, n2):
    out = []
    for level in LEVELS:
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", alpha=1 - level)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            test = test_proportions_2indep(x1, n1, x2, n2, method="score")
        z, p = float(test.statistic), float(test.pvalue)
        if np.isnan(z):  # both samples degenerate: no evidence of a difference
            z, p = 0.0, 1.0
        out.append({"level": level, "estimate": x1 / n1 - x2 / n2, "lower": float(lo), "upper": float(hi),
                    "statistic": z, "p_value": p})
    return {"input": {"successes1": x1, "n1": n1, "successes2": x2, "n2": n2}, "expected": out}


def nps_shares(promoters, passives, detractors, adjusted):
    p, pas, d = (mp.mpf(v) for v in (promoters, passives, detractors))
    if adjusted:
        p, pas, d = p + mp.mpf("0.75"), pas + mp.mpf("1.5"), d + mp.mpf("0.75")
    n = p + pas + d
    return p / n, d / n, n


def nps(a, b):
    out = []
    for method, adjusted in (("wald", False), ("adjusted_wald", True)):
        for level in LEVELS:
            (p1, d1, n1), (p2, d2, n2) = nps_shares(*a, adjusted), nps_shares(*b, adjusted)
            diff = (p1 - d1) - (p2 - d2)
            se = mp.sqrt((p1 + d1 - (p1 - d1) ** 2) / n1 + (p2 + d2 - (p2 - d2) ** 2) / n2)
            z = mp.sqrt(2) * mp.erfinv(mp.mpf(level))
            if se == 0:  # both samples in one category each: z is 0 (no difference) or infinite
                z_stat = (mp.inf if diff > 0 else -mp.inf) if diff != 0 else mp.mpf(0)
                p_value = mp.mpf(0) if diff != 0 else mp.mpf(1)
            else:
                z_stat = diff / se
                p_value = mp.erfc(abs(z_stat) / mp.sqrt(2))
            clip = lambda v: min(max(v, mp.mpf(-2)), mp.mpf(2))
            raw = lambda c: (mp.mpf(c[0]) - c[2]) / sum(c)
            out.append({
                "method": method, "level": level, "estimate": float(100 * (raw(a) - raw(b))),
                "lower": float(100 * clip(diff - z * se)), "upper": float(100 * clip(diff + z * se)),
                "statistic": num(z_stat), "p_value": float(p_value),
            })
    keys = ("promoters", "passives", "detractors")
    return {"input": {"a": dict(zip(keys, a)), "b": dict(zip(keys, b))}, "expected": out}


def means(a, b, scale):
    res = stats.ttest_ind(a, b, equal_var=False)
    out = []
    for level in LEVELS:
        ci = res.confidence_interval(level)
        out.append({"level": level, "estimate": float(np.mean(a) - np.mean(b)), "lower": float(ci.low),
                    "upper": float(ci.high), "statistic": float(res.statistic), "p_value": float(res.pvalue),
                    "degrees_of_freedom": float(res.df)})
    return {"input": {"a": a, "b": b, "scale": scale}, "expected": out}


def num(x):
    """A float, or "inf", "-inf", "nan" for the non-finite ones JSON cannot hold."""
    x = float(x)
    return x if np.isfinite(x) else ("nan" if np.isnan(x) else ("inf" if x > 0 else "-inf"))


def proportion_benchmark(x, n, p0, alternative):
    out = []
    sm_alt = {"greater": "larger", "less": "smaller"}[alternative]
    for method, sm in (("wilson", "wilson"), ("wald", "normal"), ("clopper_pearson", "beta")):
        lo, hi = proportion_confint(x, n, alpha=0.05, method=sm)
        if method == "clopper_pearson":
            z, p = "nan", stats.binomtest(x, n, p0, alternative=alternative).pvalue
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # z = +-inf when the sample sd is 0
                z, p = proportions_ztest(x, n, value=p0, alternative=sm_alt, prop_var=p0 if method == "wilson" else False)
            z = num(z)
        out.append({"method": method, "level": 0.95, "estimate": x / n, "lower": float(lo), "upper": float(hi),
                    "statistic": z, "p_value": float(p)})
    return {"input": {"successes": x, "n": n, "benchmark": p0, "alternative": alternative}, "expected": out}


def nps_benchmark(counts, benchmark, alternative):
    promoters, passives, detractors = counts
    b, pas, c = mp.mpf(detractors), mp.mpf(passives), mp.mpf(promoters)
    n = b + pas + c
    delta = mp.mpf(benchmark) / 100
    sign = 1 if alternative == "greater" else -1
    out = []
    for method in ("wald", "adjusted_wald", "score"):
        if method == "score":
            z_stat = (c / n - b / n - delta) / mp.sqrt(generate_nps.restricted_variance(b, pas, c, n, delta) / n)
        else:
            p, d, m = nps_shares(promoters, passives, detractors, method == "adjusted_wald")
            z_stat = (p - d - delta) / mp.sqrt((p + d - (p - d) ** 2) / m)
        lo, hi = generate_nps.interval(method, b, pas, c, n, 0.95)
        out.append({"method": method, "level": 0.95, "estimate": float(100 * (c - b) / n),
                    "lower": float(100 * lo), "upper": float(100 * hi), "statistic": float(z_stat),
                    "p_value": float(mp.erfc(sign * z_stat / mp.sqrt(2)) / 2)})
    keys = ("promoters", "passives", "detractors")
    return {"input": {"counts": dict(zip(keys, counts)), "benchmark": benchmark, "alternative": alternative},
            "expected": out}


def document():
    rng = np.random.default_rng(11)
    big_a = [int(v) for v in rng.choice([1, 2, 3, 4, 5], size=300, p=[.05, .1, .2, .35, .3])]
    big_b = [int(v) for v in rng.choice([1, 2, 3, 4, 5], size=250, p=[.1, .15, .2, .3, .25])]
    return {
        "comment": [
            "Two-sample comparisons shared by the Rust, C and Python tests of cxm. Written by",
            "testdata/generate_comparisons.py; its docstring says where each number comes from",
            "(statsmodels for proportions, mpmath for NPS, scipy's Welch t test for means).",
            "Non-finite numbers are written as the strings \"inf\", \"-inf\" and \"nan\".",
            "Do not edit by hand.",
        ],
        "tolerance": 1e-10,
        "proportions": [
            proportions(9, 10, 3, 10), proportions(45, 100, 30, 100), proportions(30, 100, 45, 100),
            proportions(0, 20, 0, 25), proportions(20, 20, 20, 20), proportions(1, 1, 0, 1),
            proportions(123, 1000, 98, 1050), proportions(2, 7, 1, 4), proportions(0, 50, 7, 60),
        ],
        "nps": [
            nps((50, 30, 20), (40, 30, 30)), nps((220, 130, 150), (180, 140, 180)), nps((5, 0, 0), (0, 0, 5)),
            nps((1, 0, 0), (1, 0, 0)), nps((3, 2, 1), (17, 2, 1)), nps((12345, 23456, 34567), (34567, 23456, 12345)),
        ],
        "means": [
            means([5, 4, 4, 3, 2, 5, 1, 4], [3, 3, 4, 2, 1, 2, 3], [1, 5]),
            means([7, 6, 5, 6, 7, 2, 4], [5, 5, 6, 4, 3, 5, 6, 7, 2], [1, 7]),
            means(big_a, big_b, [1, 5]),
            means([4, 5], [1, 2, 3, 2, 1, 2], [1, 5]),
        ],
        "proportion_benchmarks": [
            proportion_benchmark(62, 100, 0.5, "greater"), proportion_benchmark(62, 100, 0.5, "less"),
            proportion_benchmark(3, 40, 0.2, "less"), proportion_benchmark(0, 25, 0.1, "less"),
            proportion_benchmark(25, 25, 0.9, "greater"), proportion_benchmark(7012, 10000, 0.69, "greater"),
        ],
        "nps_benchmarks": [
            nps_benchmark((50, 30, 20), 20, "greater"), nps_benchmark((50, 30, 20), 45, "less"),
            nps_benchmark((12, 3, 1), 50, "greater"), nps_benchmark((0, 2, 8), -50, "less"),
            nps_benchmark((3456, 2345, 1234), 30, "greater"),
        ],
    }


def main():
    vectorfile.write_or_check(OUT, document())


if __name__ == "__main__":
    main()
