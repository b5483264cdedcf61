#!/usr/bin/env python3
"""Writes testdata/churn.json: reference values for cxm's churn and Poisson-rate computations.

Four sections, each computed here, never typed in:

- rate_intervals: Poisson-rate intervals as statsmodels 0.15 defines them in
  statsmodels.stats.rates.confint_poisson. For exact (Garwood, "exact-c") and Jeffreys the
  expected limits are the Gamma quantiles statsmodels asks scipy for, solved again with mpmath
  at 40 digits where the Gamma shape is at most MPMATH_MAX_SHAPE (mpmath's series for the
  incomplete gamma stop converging by shape 1e7); above it scipy's (Boost's) value is the
  reference. Each case says which in "source"; statsmodels' own value is kept as
  statsmodels_lower/_upper.
- churn: churn, retention and growth from counts, with statsmodels' proportion_confint (basis
  "start") or confint_poisson (basis "average") intervals.
- flows: customer records over a window, with the flow computed by a deliberately simple
  brute-force reference (activity tested at every breakpoint) that shares nothing with cxm's
  sweep, and the confint_poisson interval of lost over the customer-months at risk.
- ncvg: net customer value growth, exact integer differences.

    python3 testdata/generate_churn.py          # rewrite the file
    python3 testdata/generate_churn.py --check  # exit 1 if out of date (run by pytest)
"""

import calendar
import pathlib
import random

import mpmath as mp
import numpy
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

import vectorfile

mp.mp.dps = 40

OUT = pathlib.Path(__file__).resolve().parent / "churn.json"

RATE_METHODS = {  # cxm name -> statsmodels confint_poisson name
    "exact": "exact-c",
    "jeffreys": "jeffreys",
    "score": "score",
    "wald": "wald",
    "wald_ccv": "waldccv",
    "sqrt_anscombe": "sqrt-a",
}
PROPORTION_METHODS = {  # cxm name -> statsmodels proportion_confint name
    "wilson": "wilson",
    "agresti_coull": "agresti_coull",
    "clopper_pearson": "beta",
    "jeffreys": "jeffreys",
    "wald": "normal",
}

# ---------------------------------------------------------------------------------------------
# Rate intervals
# ---------------------------------------------------------------------------------------------

COUNTS = [0, 1, 2, 3, 10, 57, 1000, 123_456, 10_000_000, 3_000_000_000]
EXPOSURES = [1, 2.5, 10, 1234.5, 1e6]
# Every count with exposures 1 and 1234.5, and these other (count, exposure) pairs.
EXTRA_PAIRS = [
    (0, 2.5), (1, 10), (3, 2.5), (10, 1e6), (57, 10), (1000, 2.5), (1000, 1e6),
    (123_456, 10), (10_000_000, 1e6), (3_000_000_000, 2.5), (3_000_000_000, 1e6),
]
RATE_LEVELS = [0.9, 0.95, 0.99]

# Shapes up to here are solved with mpmath: at 40 digits both of its incomplete-gamma series
# converge and take a few milliseconds (shape 123 456.5 included); at 1e7 they raise
# NoConvergence.
MPMATH_MAX_SHAPE = 200_000


def gamma_quantile(p, a, upper_tail, start):
    """x with P(X <= x) = p (or P(X > x) = p) for X ~ Gamma(a, 1), to 40 digits, near scipy's
    answer ``start``. The tails are mpmath's regularized incomplete gamma functions."""
    a, p = mp.mpf(a), mp.mpf(p)

    def f(x):
        if upper_tail:
            tail = mp.gammainc(a, x, mp.inf, regularized=True)  # Q(a, x), falls with x
        else:
            tail = mp.gammainc(a, 0, x, regularized=True)  # P(a, x), rises with x
        return tail - p

    # Bisection on a bracket around scipy's answer (checked to hold a sign change).
    x0 = mp.mpf(start)
    for width in ("1e-8", "1e-6", "1e-4", "1e-2", "0.5"):
        lo = x0 * (1 - mp.mpf(width))
        hi = x0 * (1 + mp.mpf(width))
        if (f(lo) > 0) != (f(hi) > 0):
            break
    else:
        raise ValueError(f"no bracket for Gamma({a}) quantile {p} near {start}")
    rising = f(hi) > 0
    for _ in range(160):
        mid = (lo + hi) / 2
        if (f(mid) > 0) == rising:
            hi = mid
        else:
            lo = mid
    x = (lo + hi) / 2
    # Sanity check of mpmath itself: the two tails it computes sum to 1 at the root.
    both = mp.gammainc(a, 0, x, regularized=True) + mp.gammainc(a, x, mp.inf, regularized=True)
    assert abs(both - 1) < mp.mpf("1e-35"), (a, p, both)
    return x


_QUANTILES = {}


def unit_quantile(p, a, upper_tail):
    """gamma_quantile for Gamma(a, 1), cached: it does not depend on the exposure."""
    key = (p, a, upper_tail)
    if key not in _QUANTILES:
        start = stats.gamma.isf(float(p), a) if upper_tail else stats.gamma.ppf(float(p), a)
        _QUANTILES[key] = gamma_quantile(p, a, upper_tail, start)
    return _QUANTILES[key]


def gamma_limits(method, count, exposure, level):
    """The exact or Jeffreys limits, the 40-digit Gamma quantiles divided by the exposure and
    rounded once to a double. exact: [G^-1(alpha/2; k), G^-1(1 - alpha/2; k + 1)] (lower 0 at
    k = 0); jeffreys: both limits with shape k + 1/2."""
    half = (1 - mp.mpf(level)) / 2  # level as the double it is, alpha / 2 exactly
    e = mp.mpf(exposure)
    if method == "exact":
        lo = mp.mpf(0) if count == 0 else unit_quantile(half, count, False)
        hi = unit_quantile(half, count + 1, True)
    else:
        lo = unit_quantile(half, count + 0.5, False)
        hi = unit_quantile(half, count + 0.5, True)
    # statsmodels' last step, np.maximum(lower, 0): a no-op for these positive quantiles.
    return max(float(lo / e), 0.0), float(hi / e)


def statsmodels_rate(count, exposure, level, method):
    """statsmodels' confint_poisson limits as Python floats (its lower limit is already
    clipped at 0 by its final np.maximum(lower, 0))."""
    lower, upper = confint_poisson(count, exposure, method=RATE_METHODS[method], alpha=1 - level)
    return float(lower), float(upper)


def rate_intervals():
    pairs = [(k, e) for k in COUNTS for e in (1, 1234.5)] + EXTRA_PAIRS
    assert all(e in EXPOSURES for _, e in pairs) and len(set(pairs)) == len(pairs)
    pairs.sort()
    cases = []
    for count, exposure in pairs:
        for level in RATE_LEVELS:
            for method in RATE_METHODS:
                lower, upper = statsmodels_rate(count, exposure, level, method)
                case = {"count": count, "exposure": float(exposure), "level": level, "method": method}
                if method in ("exact", "jeffreys"):
                    largest_shape = count + (1 if method == "exact" else 0.5)
                    if largest_shape <= MPMATH_MAX_SHAPE:
                        case["lower"], case["upper"] = gamma_limits(method, count, exposure, level)
                        case["source"] = "mpmath"
                    else:
                        case["lower"], case["upper"] = lower, upper
                        case["source"] = "scipy"
                    case["statsmodels_lower"], case["statsmodels_upper"] = lower, upper
                else:
                    case["lower"], case["upper"] = lower, upper
                    case["source"] = "statsmodels"
                cases.append(case)
    return cases


# ---------------------------------------------------------------------------------------------
# Churn from counts
# ---------------------------------------------------------------------------------------------

# (lost, customers_at_start, customers_at_end or None, basis)
CHURN_CASES = [
    (0, 100, 120, "start"),  # nobody lost
    (0, 100, 120, "average"),
    (100, 100, 0, "start"),  # everybody lost
    (100, 100, 0, "average"),  # rate 2 per average customer
    (30, 200, 180, "start"),  # shrinking base
    (30, 200, 180, "average"),
    (7, 40, None, "start"),  # end unknown: no growth
    (12, 80, 150, "average"),  # growing base
    (1, 1, 1, "start"),  # the one customer lost, another gained
    (50_000, 1_000_000, 1_020_000, "start"),  # large counts
    (50_000, 1_000_000, 1_020_000, "average"),
    (3_000_000, 2_000_000_000, 1_999_000_001, "average"),  # odd start + end: half exposure
]
CHURN_LEVELS = [0.95, 0.9]


def churn_case(lost, start, end, basis):
    if basis == "start":
        rate = lost / start  # int / int: Python rounds the exact quotient once
    else:
        rate = 2 * lost / (start + end)  # lost over the average (start + end) / 2
    intervals = []
    for level in CHURN_LEVELS:
        if basis == "start":
            for method, sm in PROPORTION_METHODS.items():
                lo, hi = (float(v) for v in proportion_confint(lost, start, alpha=1 - level, method=sm))
                if method == "wilson":
                    # Wilson's limits are exactly 0 at lost = 0 and 1 at lost = start; statsmodels'
                    # arithmetic leaves rounding noise there (3.5e-18 at 0 of 100, level 0.95),
                    # which no relative tolerance admits. Write the exact values.
                    if lost == 0:
                        assert abs(lo) < 1e-15, lo
                        lo = 0.0
                    if lost == start:
                        assert abs(hi - 1) < 1e-15, hi
                        hi = 1.0
                intervals.append({"level": level, "method": method, "lower": lo, "upper": hi})
        else:
            for method in RATE_METHODS:
                lo, hi = statsmodels_rate(lost, (start + end) / 2, level, method)
                intervals.append({"level": level, "method": method, "lower": lo, "upper": hi})
    return {
        "lost": lost,
        "customers_at_start": start,
        "customers_at_end": end,
        "basis": basis,
        "rate": rate,
        "retention": (start - lost) / start,
        "growth": None if end is None else (end - start) / start,
        "intervals": intervals,
    }


# ---------------------------------------------------------------------------------------------
# Flows from customer records: the brute-force reference
# ---------------------------------------------------------------------------------------------

SECONDS_PER_MONTH = 2629800.0  # 365.25 / 12 days of 86 400 s
DAY = 86_400
JAN = calendar.timegm((2026, 1, 1, 0, 0, 0))  # 2026-01-01T00:00:00Z
APR = calendar.timegm((2026, 4, 1, 0, 0, 0))  # 2026-04-01T00:00:00Z
NAN = "nan"


def active(record, t):
    """A record [start, end) is active at t; end None = not ended."""
    start, end, _ = record
    return start <= t and (end is None or t < end)


def reference_flow(starts, ends, values, customers, window_start, window_end):
    """The flow as the definitions say, by brute force."""
    n = len(starts)
    ends = ends if ends is not None else [None] * n
    ids = customers if customers is not None else list(range(n))  # own customer per record
    vals = values if values is not None else [0] * n
    by_customer = {}
    for i in range(n):
        by_customer.setdefault(ids[i], []).append((starts[i], ends[i], vals[i]))

    def is_active(records, t):
        return any(active(r, t) for r in records)

    def value(records, t):
        return sum(r[2] for r in records if active(r, t))

    at_start = {c for c, rs in by_customer.items() if is_active(rs, window_start)}
    at_end = {c for c, rs in by_customer.items() if is_active(rs, window_end)}
    lost, gained, stayed = at_start - at_end, at_end - at_start, at_start & at_end

    # Exposure: activity can only change at a record's start or end, so cut the window at every
    # such time inside it and count each piece [a, b) in full when the customer is active at a.
    cuts = {window_start, window_end}
    for s, e, _ in (r for rs in by_customer.values() for r in rs):
        cuts.update(t for t in (s, e) if t is not None and window_start < t < window_end)
    cuts = sorted(cuts)
    seconds = 0
    for c in at_start:
        for a, b in zip(cuts, cuts[1:]):
            if is_active(by_customer[c], a):
                seconds += b - a
    exposure_months = float(seconds) / SECONDS_PER_MONTH

    start_value = {c: value(by_customer[c], window_start) for c in at_start}
    end_value = {c: value(by_customer[c], window_end) for c in at_end}
    value_at_start = sum(start_value.values())
    lost_value = sum(start_value[c] for c in lost)
    contraction = sum(max(start_value[c] - end_value[c], 0) for c in stayed)
    expansion = sum(max(end_value[c] - start_value[c], 0) for c in stayed)

    def ratio(numerator):
        if values is None or value_at_start == 0:
            return NAN
        return float(numerator) / float(value_at_start)

    return {
        "customers_at_start": len(at_start),
        "customers_at_end": len(at_end),
        "gained": len(gained),
        "lost": len(lost),
        "exposure_months": exposure_months,
        "churn_by_exposure": len(lost) / exposure_months,
        "has_values": values is not None,
        "value_at_start": value_at_start,
        "value_at_end": sum(end_value.values()),
        "new_value": sum(end_value[c] for c in gained),
        "lost_value": lost_value,
        "expansion": expansion,
        "contraction": contraction,
        "gross_revenue_churn": ratio(lost_value + contraction),
        "gross_revenue_retention": ratio(value_at_start - lost_value - contraction),
        "net_revenue_retention": ratio(value_at_start - lost_value - contraction + expansion),
    }


def flow_inputs():
    """(name, window_start, window_end, records, has_ends, has_values, has_customers); a record
    is (start, end or None, value, customer id)."""
    ws, we = JAN, JAN + 30 * DAY
    flows = []

    flows.append(("single-record customers over 30 days", ws, we, [
        (ws - 100 * DAY, None, 1000, None),  # there throughout
        (ws - 40 * DAY, ws + 10 * DAY, 2000, None),  # lost mid-window
        (ws, None, 500, None),  # starts at window_start: at the start
        (ws + 20 * DAY, None, 700, None),  # gained
        (ws - 50 * DAY, ws, 900, None),  # ended at window_start: not at the start
        (ws - 7 * DAY, ws + 3 * DAY + 3600, 1250, None),  # lost, an odd number of seconds
        (we + DAY, None, 300, None),  # after the window: nowhere
    ], True, True, False))

    flows.append(("customers with several subscriptions: upgrades, downgrades, partial cancels", ws, we, [
        (ws - 60 * DAY, ws + 12 * DAY, 1000, 42),  # 42 upgrades: one record ends as the next begins
        (ws - 90 * DAY, ws + 15 * DAY, 5000, 7),  # 7 downgrades 5000 -> 3000 (contraction 2000)
        (ws - 30 * DAY, None, 2000, -5),  # -5 holds two subscriptions and cancels one (contraction 800)
        (ws + 12 * DAY, None, 2500, 42),
        (ws - 10 * DAY, ws + 3 * DAY, 1200, 0),  # 0 cancels both of its, at different times: lost
        (ws - 20 * DAY, ws + 5 * DAY, 800, -5),
        (ws + 15 * DAY, None, 3000, 7),
        (ws - 5 * DAY, ws + 8 * DAY, 300, 0),
        (ws - 20 * DAY, ws + 4 * DAY, 600, 9),  # 9 pauses for 6 days and returns at the same value
        (ws + 10 * DAY, None, 600, 9),
        (ws + 2 * DAY, ws + 9 * DAY, 400, 11),  # 11 joins, leaves, rejoins: gained at 900
        (ws + 20 * DAY, None, 900, 11),
        (ws - 3 * DAY, ws + DAY, 100, 13),  # 13 is lost and returns only after the window
        (we + 5 * DAY, None, 100, 13),
        (ws - DAY, None, 100, 14),  # 14 expands: a second subscription joins the first
        (ws + 25 * DAY, None, 50, 14),
    ], True, True, True))

    flows.append(("joiners who leave inside the window are neither gained nor lost", ws, we, [
        (ws - 365 * DAY, None, 4000, None),
        (ws - 2 * DAY, ws + 29 * DAY, 1500, None),  # lost one day before the end
        (ws + 3 * DAY, ws + 10 * DAY, 800, None),  # joins and leaves
        (ws + DAY, we - 1, 650, None),  # joins and leaves one second before the end
        (ws + 5 * DAY, ws + 5 * DAY, 999, None),  # zero length: never active
        (ws + 6 * DAY, None, 120, None),  # gained
    ], True, True, False))

    flows.append(("records ending exactly at window_end are lost; starting at it, gained", ws, we, [
        (ws - 10 * DAY, we, 1500, None),  # not active at window_end: lost
        (ws, we, 700, None),  # the whole window, still lost
        (ws - 1, we + 1, 300, None),  # one second either side: stays
        (we, None, 450, None),  # starts at window_end: gained
        (we - 1, we, 60, None),  # the last second only: nowhere
        (ws + DAY, we, 200, None),  # joins inside, ends at window_end: nowhere
    ], True, True, False))

    flows.append(("no ends column: every record still active", ws, we, [
        (ws - 400 * DAY, None, 10_000, 1),
        (ws - DAY, None, 2500, 2),
        (ws + 10 * DAY, None, 1750, 3),  # gained
        (ws + 12 * DAY, None, 500, 1),  # customer 1 expands
        (we + 10 * DAY, None, 800, 4),  # after the window: nowhere
    ], False, True, True))

    flows.append(("no values column: counts only, revenue ratios NaN", ws, we, [
        (ws - 30 * DAY, ws + 14 * DAY, None, 100),
        (ws + 14 * DAY, None, None, 100),  # 100 switches plans: stays
        (ws - 3 * DAY, ws + 20 * DAY, None, 200),  # lost
        (ws - 3 * DAY, None, None, 300),
        (ws + 2 * DAY, None, None, 400),  # gained
    ], True, False, True))

    flows.append(("values all zero at the start: revenue ratios NaN", ws, we, [
        (ws - 30 * DAY, ws + 14 * DAY, 0, None),  # lost
        (ws - 3 * DAY, None, 0, None),
        (ws + 2 * DAY, None, 2900, None),  # gained, with value
    ], True, True, False))

    # Seeded random records over 2026-01-01 .. 2026-04-01: starts within +-90 days of the
    # window start, a third never end, and some times fall exactly on the window's edges.
    rng = random.Random(20260101)
    ws, we = JAN, APR

    def moment():
        u = rng.random()
        if u < 0.05:
            return ws
        if u < 0.10:
            return we
        return ws + rng.randint(-90 * DAY, 90 * DAY)

    records = []
    for _ in range(300):
        start = moment()
        if rng.random() < 1 / 3:
            end = None
        else:
            end = max(start, moment()) if rng.random() < 0.3 else start + rng.randint(1, 120 * DAY)
        value = 0 if rng.random() < 0.05 else rng.randint(100, 50_000)
        records.append((start, end, value, rng.randint(1, 120)))
    flows.append(("seeded random: 300 records of 120 customers over 2026-01-01 to 2026-04-01",
                  ws, we, records, True, True, True))
    return flows


def flows():
    cases = []
    for name, ws, we, records, has_ends, has_values, has_customers in flow_inputs():
        starts = [r[0] for r in records]
        ends = [r[1] for r in records] if has_ends else None
        values = [r[2] for r in records] if has_values else None
        customers = [r[3] for r in records] if has_customers else None
        assert has_ends or all(r[1] is None for r in records)
        assert all(r[1] is None or r[1] >= r[0] for r in records)
        assert all(v >= 0 for v in values or [])
        expected = reference_flow(starts, ends, values, customers, ws, we)
        assert expected["customers_at_start"] >= 1, name
        assert expected["customers_at_end"] == (
            expected["customers_at_start"] - expected["lost"] + expected["gained"]
        )
        intervals = []
        for method in RATE_METHODS:
            lo, hi = statsmodels_rate(expected["lost"], expected["exposure_months"], 0.95, method)
            intervals.append({"level": 0.95, "method": method, "lower": lo, "upper": hi})
        cases.append({
            "name": name,
            "window_start": ws,
            "window_end": we,
            "starts": starts,
            "ends": ends,
            "values": values,
            "customers": customers,
            "expected": expected,
            "intervals": intervals,
        })
    return cases


# ---------------------------------------------------------------------------------------------
# NCVG
# ---------------------------------------------------------------------------------------------

NCVG_CASES = [  # (new_count, new_value, lost_count, lost_value)
    (120, 3_000_000, 80, 2_650_050),
    (0, 0, 0, 0),
    (0, 0, 5, 2**62),
    (3, 2**62 + 12_345, 4, 2**62 - 1),
    (2**62, 2**63 - 1, 1, 0),
    (1, 0, 2**62 + 1, 2**63 - 1),
]


def ncvg():
    return [
        {"new_count": nc, "new_value": nv, "lost_count": lc, "lost_value": lv,
         "net_count": nc - lc, "net_value": nv - lv}
        for nc, nv, lc, lv in NCVG_CASES
    ]


def document():
    return {
        "comment": [
            "Churn and Poisson-rate reference values shared by the tests of cxm. Written by",
            "testdata/generate_churn.py with statsmodels " + statsmodels.__version__ + ", scipy "
            + scipy.__version__ + ", numpy " + numpy.__version__ + " and mpmath " + mp.__version__ + ".",
            "Do not edit by hand: change the generator. alpha = 1 - level throughout.",
            "rate_intervals: statsmodels.stats.rates.confint_poisson(count, exposure, method, alpha)",
            "with cxm methods exact = exact-c, jeffreys, score, wald, wald_ccv = waldccv,",
            "sqrt_anscombe = sqrt-a (lower limits clipped at 0, as statsmodels does). For exact",
            "([G^-1(alpha/2; k), G^-1(1 - alpha/2; k + 1)] / exposure, lower 0 at k = 0, G the",
            "Gamma(., 1) CDF) and jeffreys (both with shape k + 1/2) the limits are solved with",
            "mpmath's regularized incomplete gamma at 40 digits where the shape is at most "
            + str(MPMATH_MAX_SHAPE) + ",",
            "else scipy's (Boost) values; 'source' says which, and statsmodels' values are",
            "statsmodels_lower/_upper. 'tolerance' is relative to lower/upper, 'statsmodels_tolerance'",
            "relative to statsmodels_*.",
            "churn: rate = lost / customers_at_start (basis start) or 2 lost / (start + end) (basis",
            "average), retention = (start - lost) / start, growth = (end - start) / start. Intervals",
            "(statsmodels' values; compare at statsmodels_tolerance): basis start uses",
            "statsmodels.stats.proportion.proportion_confint(lost, start) with wilson, agresti_coull,",
            "clopper_pearson = beta, jeffreys, wald = normal; basis average uses confint_poisson(lost,",
            "(start + end) / 2) with the six rate methods. Exception: Wilson limits at lost = 0 and",
            "lost = start are written as their exact 0 and 1 (statsmodels' have ~1e-18 noise).",
            "flows: customer records (seconds since the Unix epoch; ends null = not ended; customers",
            "null = one customer per record; values in minor units) over [window_start, window_end),",
            "by a brute-force reference: a record is active at t iff start <= t < end; a customer is",
            "active when any of its records is, worth the sum of their values. exposure_months = the",
            "seconds the customers active at window_start spend active inside the window, / 2629800",
            "(365.25 / 12 days). Revenue ratios are float(numerator) / float(value_at_start), 'nan'",
            "without values or when value_at_start is 0. Intervals: confint_poisson(lost,",
            "exposure_months) at level 0.95 (statsmodels' values; compare at statsmodels_tolerance).",
            "ncvg: net_count = new_count - lost_count, net_value = new_value - lost_value, exact.",
        ],
        "tolerance": 1e-13,
        "statsmodels_tolerance": 1e-9,
        "rate_intervals": rate_intervals(),
        "churn": [churn_case(*c) for c in CHURN_CASES],
        "flows": flows(),
        "ncvg": ncvg(),
    }


def main():
    vectorfile.write_or_check(OUT, document())


if __name__ == "__main__":
    main()
