#!/usr/bin/env python3
"""Writes testdata/lift.json: lift between two groups and named rates, from statsmodels 0.15.

Lift of group a (events_a of n_a) over group b (events_b of n_b), at levels 0.9, 0.95, 0.99:

- ratio, lower, upper: the relative risk p_a / p_b and its log (Katz) interval,
  confint_proportions_2indep(ea, na, eb, nb, compare="ratio", method="log").
- statistic, p_value: test_proportions_2indep(ea, na, eb, nb, compare="ratio") with its default
  method, which statsmodels 0.15 sets to "log-adjusted" (1/2 added to counts and sizes; the
  generator asserts the result names it). Where both groups are all events statsmodels returns
  0/0 = NaN; cxm defines z = 0 and p = 1 there (no evidence of a difference), as recorded.
- difference, difference_lower, difference_upper: p_a - p_b and
  confint_proportions_2indep(..., compare="diff") with its default method, "newcomb".
- odds_ratio, odds_ratio_lower, odds_ratio_upper: Table2x2([[ea, na - ea], [eb, nb - eb]])
  .oddsratio and .oddsratio_confint(alpha).
- Zero cells (a cell of the 2x2 table is 0: no events, or only events, in a group): the ratio
  and the odds ratio are 0, infinite or 0/0 there. statsmodels documents Table2x2's default
  shift_zeros=True as "0.5 is added to all cells of the table if any cell is equal to zero",
  while its code (Table.__init__: table[table == 0] = 0.5) replaces only the zero cells. cxm
  follows the documentation (Haldane 1956), so for these cases ratio, odds ratio and their
  intervals come from Table2x2(table + 0.5, shift_zeros=False) (riskratio, riskratio_confint,
  oddsratio, oddsratio_confint), which is statsmodels' arithmetic on the documented table, and
  "zero_cell_correction" is true. The difference and the test are as above.

Every value is also computed with mpmath at 50 digits straight from the formulas (a check
that does not share statsmodels' code), and the two must agree to 1e-12. Where they do not, it
is statsmodels' double rounding (1/x - 1/n with x close to a huge n loses most digits), and the
file records mpmath's value, lists the field under "from_mpmath" with statsmodels' value
beside it.

Named rates: proportion_confint(successes, n, alpha, method) for each method (statsmodels'
"normal" is cxm's "wald", "beta" its "clopper_pearson"), estimate successes / n.

    python3 testdata/generate_lift.py          # rewrite the file
    python3 testdata/generate_lift.py --check  # exit 1 if out of date (run by pytest)
"""

import math
import pathlib
import sys
import warnings

import mpmath as mp
import numpy as np
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    test_proportions_2indep,
)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import vectorfile  # noqa: E402

mp.mp.dps = 50
OUT = pathlib.Path(__file__).resolve().parent / "lift.json"
LEVELS = [0.9, 0.95, 0.99]
AGREE = 1e-12


def statsmodels_lift(ea, na, eb, nb, level):
    alpha = 1 - level
    corrected = 0 in (ea, na - ea, eb, nb - eb)
    table = np.array([[ea, na - ea], [eb, nb - eb]], dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if corrected:
            shifted = Table2x2(table + 0.5, shift_zeros=False)
            ratio = shifted.riskratio
            lower, upper = shifted.riskratio_confint(alpha)
            odds = shifted
        else:
            ratio = (ea / na) / (eb / nb)
            lower, upper = confint_proportions_2indep(ea, na, eb, nb, compare="ratio", method="log", alpha=alpha)
            odds = Table2x2(table)
        test = test_proportions_2indep(ea, na, eb, nb, compare="ratio")
    assert test.method == "log-adjusted", test.method
    statistic, p_value = float(test.statistic), float(test.pvalue)
    if math.isnan(statistic):  # both groups all events: no evidence of a difference
        statistic, p_value = 0.0, 1.0
    d_lower, d_upper = confint_proportions_2indep(ea, na, eb, nb, compare="diff", alpha=alpha)
    or_lower, or_upper = odds.oddsratio_confint(alpha)
    return corrected, {
        "ratio": ratio, "lower": lower, "upper": upper, "statistic": statistic, "p_value": p_value,
        "difference": ea / na - eb / nb, "difference_lower": d_lower, "difference_upper": d_upper,
        "odds_ratio": odds.oddsratio, "odds_ratio_lower": or_lower, "odds_ratio_upper": or_upper,
    }


def wilson(x, n, z):
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * mp.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def mpmath_lift(ea, na, eb, nb, level):
    """The same figures from the formulas, in 50-digit arithmetic."""
    x1, n1, x2, n2 = (mp.mpf(v) for v in (ea, na, eb, nb))
    z = mp.sqrt(2) * mp.erfinv(mp.mpf(level))
    shift = mp.mpf("0.5") if 0 in (ea, na - ea, eb, nb - eb) else mp.mpf(0)
    a, b, c, d = x1 + shift, n1 - x1 + shift, x2 + shift, n2 - x2 + shift
    ratio = (a / (a + b)) / (c / (c + d))
    se = mp.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    half = mp.mpf("0.5")
    ratio_adj = ((x1 + half) / (n1 + half)) / ((x2 + half) / (n2 + half))
    var_adj = 1 / (x1 + half) - 1 / (n1 + half) + 1 / (x2 + half) - 1 / (n2 + half)
    statistic = mp.log(ratio_adj) / mp.sqrt(var_adj) if var_adj > 0 else mp.mpf(0)
    w1, w2 = wilson(x1, n1, z), wilson(x2, n2, z)
    p1, p2 = x1 / n1, x2 / n2
    odds = (a * d) / (b * c)
    or_se = mp.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return {
        "ratio": ratio, "lower": ratio * mp.exp(-z * se), "upper": ratio * mp.exp(z * se),
        "statistic": statistic, "p_value": mp.erfc(abs(statistic) / mp.sqrt(2)),
        "difference": p1 - p2,
        "difference_lower": p1 - p2 - mp.sqrt((p1 - w1[0]) ** 2 + (w2[1] - p2) ** 2),
        "difference_upper": p1 - p2 + mp.sqrt((p2 - w2[0]) ** 2 + (w1[1] - p1) ** 2),
        "odds_ratio": odds, "odds_ratio_lower": odds * mp.exp(-z * or_se),
        "odds_ratio_upper": odds * mp.exp(z * or_se),
    }


def agree(got, want):
    """Relative agreement to AGREE (p-values down to 1e-300 keep their relative precision in
    both)."""
    return got == want or abs(got - want) <= AGREE * abs(want)


def lift(ea, na, eb, nb):
    expected, from_mpmath = [], []
    corrected = None
    for level in LEVELS:
        corrected, sm = statsmodels_lift(ea, na, eb, nb, level)
        exact = mpmath_lift(ea, na, eb, nb, level)
        row = {"level": level}
        for key, value in sm.items():
            reference = float(exact[key])
            if agree(float(value), reference):
                row[key] = float(value)
            else:
                row[key] = reference
                from_mpmath.append({"level": level, "field": key, "statsmodels": float(value)})
        expected.append(row)
    case = {"input": {"events_a": ea, "n_a": na, "events_b": eb, "n_b": nb},
            "zero_cell_correction": corrected, "expected": expected}
    if from_mpmath:
        case["from_mpmath"] = from_mpmath
    return case


RATE_METHODS = {"wilson": "wilson", "agresti_coull": "agresti_coull", "clopper_pearson": "beta",
                "jeffreys": "jeffreys", "wald": "normal"}


def rate(name, successes, n):
    expected = []
    for method, sm in RATE_METHODS.items():
        for level in (0.9, 0.95):
            lower, upper = proportion_confint(successes, n, alpha=1 - level, method=sm)
            expected.append({"method": method, "level": level, "estimate": successes / n,
                             "lower": float(lower), "upper": float(upper)})
    return {"name": name, "successes": successes, "n": n, "expected": expected}


def document():
    return {
        "comment": [
            "Lift between two groups (relative risk with its log (Katz) interval and statsmodels'",
            "default ratio test, risk difference with Newcombe's interval, odds ratio with Woolf's)",
            "and named rates, shared by the Rust, C and Python tests of cxm. Written by",
            "testdata/generate_lift.py from statsmodels 0.15, each value checked against mpmath at",
            "50 digits; its docstring says where each number comes from, and how zero cells are",
            "corrected. Do not edit by hand.",
        ],
        "tolerance": 1e-10,
        "lift": [
            # Ordinary cases.
            lift(30, 200, 24, 400), lift(9, 10, 3, 10), lift(45, 100, 30, 100), lift(30, 100, 45, 100),
            lift(123, 1000, 98, 1050), lift(2, 7, 1, 4),
            # Equal groups: no lift.
            lift(17, 80, 17, 80), lift(5, 10, 10, 20),
            # Zero cells: no events in a group, only events in a group, both.
            lift(0, 20, 5, 25), lift(5, 25, 0, 20), lift(0, 20, 0, 25), lift(20, 20, 10, 20),
            lift(10, 10, 7, 7), lift(0, 1, 1, 1), lift(1, 1, 0, 1),
            # Tiny groups.
            lift(1, 2, 1, 3), lift(1, 3, 2, 3),
            # Huge counts, rare events in huge groups, and events close to huge n.
            lift(3, 1_000_000_000, 1, 2_000_000_000), lift(123_456_789, 10_000_000_000, 987_654_321, 100_000_000_000),
            lift(2**52, 2**53, 2**51, 2**53), lift(10**15 - 3, 10**15, 10**15 - 7, 10**15),
        ],
        "rates": [
            rate("first_contact_resolution", 412, 530), rate("renewal", 88, 97), rate("referral", 0, 40),
            rate("cart_abandonment", 7012, 10000), rate("post_incident_loss", 3, 3),
        ],
    }


def main():
    vectorfile.write_or_check(OUT, document())


if __name__ == "__main__":
    main()
