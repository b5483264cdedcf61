#!/usr/bin/env python3
"""Writes testdata/proportions.json: proportion intervals as statsmodels defines them.

Wald, Wilson and Agresti-Coull are statsmodels 0.15's proportion_confint values. For
Clopper-Pearson and Jeffreys the expected limits are the Beta quantiles statsmodels asks scipy
for; where the smaller Beta parameter is at most 100, they are solved with mpmath at 40 digits
instead, because scipy 1.17's Beta quantile (Boost) is off by up to 9e-10 relative there at
large n (e.g. beta.isf(0.05, 4, 1e8 - 3)). mpmath's betainc is too slow when both parameters
are large; there Boost (asymptotic expansions, not cxm's continued fraction) is the reference.
Each case says which in "source"; statsmodels' value is kept as statsmodels_lower/_upper.

    python3 testdata/generate_proportions.py          # rewrite the file
    python3 testdata/generate_proportions.py --check  # exit 1 if out of date (run by pytest)
"""

import pathlib

import mpmath as mp
import scipy
import statsmodels
from statsmodels.stats.proportion import proportion_confint

import vectorfile

mp.mp.dps = 40

OUT = pathlib.Path(__file__).resolve().parent / "proportions.json"
METHODS = {  # cxm name -> statsmodels name
    "wilson": "wilson",
    "agresti_coull": "agresti_coull",
    "clopper_pearson": "beta",
    "jeffreys": "jeffreys",
    "wald": "normal",
}
COUNTS = [
    (0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (1, 2), (7, 20), (50, 100), (999, 1000),
    (4, 5), (0, 1_000_000), (3, 1_000_000), (123_456, 1_000_000),
    (3, 100_000_000), (0, 10_000_000_000), (17, 10_000_000_000), (5_000_000_000, 10_000_000_000),
    (9_999_999_990, 10_000_000_000),
]
LEVELS = [0.9, 0.95, 0.99]


MPMATH_MAX_SMALLER_PARAMETER = 100


def beta_quantile(p, a, b, upper_tail, start):
    """x with P(X <= x) = p (or P(X > x) = p) for X ~ Beta(a, b), near scipy's answer."""
    if min(a, b) > MPMATH_MAX_SMALLER_PARAMETER:
        return start
    a, b, p = mp.mpf(a), mp.mpf(b), mp.mpf(p)

    def f(x):
        tail = mp.betainc(a, b, x, 1, regularized=True) if upper_tail else mp.betainc(a, b, 0, x, regularized=True)
        return tail - p

    # Bisection on a bracket around scipy's answer (checked to hold a sign change).
    x0 = mp.mpf(start)
    for width in ("1e-8", "1e-6", "1e-4", "1e-2"):
        lo = x0 * (1 - mp.mpf(width))
        hi = min(x0 * (1 + mp.mpf(width)), (1 + x0) / 2)
        if (f(lo) > 0) != (f(hi) > 0):
            break
    else:
        raise ValueError(f"no bracket for Beta({a}, {b}) quantile {p} near {start}")
    rising = f(hi) > 0
    for _ in range(150):
        mid = (lo + hi) / 2
        if (f(mid) > 0) == rising:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def exact(method, x, n, level, lower, upper):
    """The Beta-quantile limits of clopper_pearson and jeffreys to 40 digits."""
    half = (1 - mp.mpf(level)) / 2
    if method == "clopper_pearson":
        lo = 0.0 if x == 0 else float(beta_quantile(half, x, n - x + 1, False, lower))
        hi = 1.0 if x == n else float(beta_quantile(half, x + 1, n - x, True, upper))
    else:
        lo = float(beta_quantile(half, x + 0.5, n - x + 0.5, False, lower))
        hi = float(beta_quantile(half, x + 0.5, n - x + 0.5, True, upper))
    return lo, hi


def document():
    cases = []
    for successes, n in COUNTS:
        for level in LEVELS:
            for method, sm in METHODS.items():
                lower, upper = (float(v) for v in proportion_confint(successes, n, alpha=1 - level, method=sm))
                case = {"successes": successes, "n": n, "level": level, "method": method}
                if method in ("clopper_pearson", "jeffreys"):
                    case["lower"], case["upper"] = exact(method, successes, n, level, lower, upper)
                    case["statsmodels_lower"], case["statsmodels_upper"] = lower, upper
                    small = min(successes, n - successes) + (0.5 if method == "jeffreys" else 1)
                    case["source"] = "mpmath" if small <= MPMATH_MAX_SMALLER_PARAMETER else "scipy"
                else:
                    case["lower"], case["upper"] = lower, upper
                cases.append(case)
    return {
        "comment": [
            "Proportion intervals shared by the Rust, C and Python tests of cxm. Written by",
            "testdata/generate_proportions.py from statsmodels.stats.proportion.proportion_confint",
            f"(statsmodels {statsmodels.__version__}, scipy {scipy.__version__}) with",
            "alpha = 1 - level; cxm method names map to statsmodels' as: wilson, agresti_coull,",
            "clopper_pearson = beta, jeffreys, wald = normal. Clopper-Pearson and Jeffreys limits are",
            "statsmodels' Beta quantiles, solved with mpmath at 40 digits where the smaller Beta",
            "parameter is at most 100 (scipy's are off by up to 9e-10 relative there at large n),",
            "else scipy's (Boost); 'source' says which. statsmodels' values: statsmodels_*.",
            "Limits agree within tolerance * |expected| + 1e-20: the absolute 1e-20 admits",
            "statsmodels' Wilson lower limit at x = 0, exactly 0 in theory and ~1e-22 in its",
            "arithmetic. Do not edit by hand.",
        ],
        "tolerance": 1e-10,
        "statsmodels_tolerance": 1e-8,
        "cases": cases,
    }


def main():
    vectorfile.write_or_check(OUT, document())


if __name__ == "__main__":
    main()
