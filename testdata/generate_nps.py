#!/usr/bin/env python3
"""Writes testdata/nps.json: NPS test vectors whose expected values come from mpmath.

Independent of cxm's Rust code on purpose: 45-digit arithmetic, and the score interval is found
by maximising the restricted multinomial likelihood numerically (not Tango's closed form that
cxm uses), so agreement checks the formula rather than repeating it.

    python3 testdata/generate_nps.py          # rewrite the file
    python3 testdata/generate_nps.py --check  # exit 1 if the file is out of date (run by pytest)
"""

import pathlib
import warnings

import mpmath as mp

import vectorfile

mp.mp.dps = 45
HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "nps.json"
LEVELS = [0.8, 0.9, 0.95, 0.99]
METHODS = ["wald", "adjusted_wald", "score"]

COMMENT = [
    "NPS test vectors shared by the Rust, C and Python tests of cxm. Written by",
    "testdata/generate_nps.py with mpmath at 45 significant digits; each expected float is the",
    "45-digit value rounded to the nearest double. Do not edit by hand: change the generator.",
    "Inputs: 'counts' (promoters, passives, detractors) or 'scores' (null = missing) with optional",
    "'weights' and the missing-value policy 'missing'. Shares are fractions; score, standard_error",
    "and interval limits are in points (-100..100). effective_n is Kish's (sum w)^2 / sum w^2.",
    "Formulas (Rocks 2016, The American Statistician 70(4); R package NPS): SE = sqrt((pP + pD -",
    "(pP - pD)^2) / n); Wald = est +- z SE; adjusted Wald adds (0.75, 1.5, 0.75) pseudo-observations",
    "to (detractors, passives, promoters) and centres on the adjusted estimate; the score interval",
    "inverts the score test of H0: pP - pD = delta, with the restricted MLE found here by",
    "maximising the likelihood numerically. z = sqrt(2) * erfinv(level). Limits clipped to",
    "[-100, 100]. Error cases give the message every surface must report.",
    "'bootstrap' cases: the exact quantiles (points) of the bootstrap distribution, i.e. of",
    "100 (P* - D*) / n for (D*, Pas*, P*) ~ Multinomial(n; observed shares), enumerated exactly;",
    "cases are chosen so that the CDF is at least 0.01 away from alpha/2 and 1 - alpha/2 at",
    "them, where the percentile of 20000 seeded resamples equals the exact quantile.",
    "'bayesian' cases: the exact equal-tailed quantiles (points) of 100 (theta_P - theta_D) under",
    "the Dirichlet posterior prior + counts, by one integral (theta_D ~ Beta(a_D, a_Pas + a_P) and",
    "theta_P / (1 - theta_D) ~ Beta(a_P, a_Pas) given theta_D) with scipy's quad, betainc and brentq",
    "(checked against mpmath to 1e-12 and the closed form 1 - sqrt(0.05) of Dirichlet(1, 1, 1)).",
    "cxm estimates them by seeded Monte Carlo from 'draws' draws: each limit must lie within",
    "'allowance' points, 5 Monte Carlo standard errors sqrt(q (1 - q) / draws) / density.",
    "Anchor: counts (20, 30, 50) give Wald (0.1469219192, 0.4530780808), adjusted Wald",
    "(0.1405113018, 0.4420129701) and score roots (0.1395514161, 0.4433930663) in the R package.",
]


def bisect(f, lo, hi, iterations=125):
    """Root of a function that is positive at lo and negative at hi (or the end it tends to)."""
    for _ in range(iterations):
        mid = (lo + hi) / 2
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def restricted_variance(b, pas, c, n, delta):
    """pP + pD - delta^2 at the MLE of (pD, pP) under pP - pD = delta, for counts b, pas, c."""
    lo = max(mp.mpf(0), -delta)
    hi = (1 - delta) / 2

    def slope(pd):  # derivative of the log-likelihood in pD, decreasing (concave likelihood)
        s = mp.mpf(0)
        if b:
            s += b / pd
        if pas:
            s -= 2 * pas / (1 - 2 * pd - delta)
        if c:
            s += c / (pd + delta)
        return s

    pd = bisect(slope, lo, hi)
    return (pd + delta) + pd - delta**2


def score_interval(b, pas, c, z):
    n = b + pas + c
    est = (c - b) / n

    def stat(delta):
        var = restricted_variance(b, pas, c, n, delta)
        return (est - delta) / mp.sqrt(var / n)

    lower = mp.mpf(-1) if b == n else bisect(lambda d: stat(d) - z, mp.mpf(-1), est)
    upper = mp.mpf(1) if c == n else bisect(lambda d: stat(d) + z, est, mp.mpf(1))
    return lower, upper


def wald(p, d, n, z):
    est = p - d
    half = z * mp.sqrt(max(p + d - est**2, 0) / n)
    return est - half, est + half


def interval(method, b, pas, c, n_eff, level):
    """Limits in fractions; b, pas, c are effective counts summing to n_eff."""
    z = mp.sqrt(2) * mp.erfinv(mp.mpf(level))
    if method == "wald":
        lo, hi = wald(c / n_eff, b / n_eff, n_eff, z)
    elif method == "adjusted_wald":
        n2 = n_eff + 3
        lo, hi = wald((c + mp.mpf("0.75")) / n2, (b + mp.mpf("0.75")) / n2, n2, z)
    else:
        lo, hi = score_interval(b, pas, c, z)
    clip = lambda x: min(max(x, mp.mpf(-1)), mp.mpf(1))
    return clip(lo), clip(hi)


def category(score):
    return 0 if score <= 6 else (1 if score <= 8 else 2)


def expected(counts, weight_totals, n_eff):
    """counts and weight_totals ordered (detractors, passives, promoters)."""
    total = sum(weight_totals)
    pd, ppas, pp = (w / total for w in weight_totals)
    est = pp - pd
    se = mp.sqrt(max(pp + pd - est**2, 0) / n_eff)
    b, pas, c = pd * n_eff, ppas * n_eff, pp * n_eff
    intervals = []
    for level in LEVELS:
        for method in METHODS:
            lo, hi = interval(method, b, pas, c, n_eff, level)
            intervals.append(
                {"method": method, "level": level, "lower": float(100 * lo), "upper": float(100 * hi)}
            )
    return {
        "n": sum(counts),
        "detractors": counts[0],
        "passives": counts[1],
        "promoters": counts[2],
        "detractor_share": float(pd),
        "passive_share": float(ppas),
        "promoter_share": float(pp),
        "score": float(100 * est),
        "standard_error": float(100 * se),
        "effective_n": float(n_eff),
        "intervals": intervals,
    }


def from_counts(promoters, passives, detractors):
    counts = [detractors, passives, promoters]
    return expected(counts, [mp.mpf(x) for x in counts], mp.mpf(sum(counts)))


def from_scores(scores, weights, missing):
    counts = [0, 0, 0]
    totals = [mp.mpf(0)] * 3
    sum_w2 = mp.mpf(0)
    for i, s in enumerate(scores):
        if s is None:
            assert missing == "skip"
            continue
        w = mp.mpf(1) if weights is None else mp.mpf(weights[i])
        k = category(s)
        counts[k] += 1
        totals[k] += w
        sum_w2 += w * w
    n_eff = sum(totals) ** 2 / sum_w2
    return expected(counts, totals, n_eff)


def counts_case(name, promoters, passives, detractors):
    counts = {"promoters": promoters, "passives": passives, "detractors": detractors}
    return {"name": name, "input": {"counts": counts}, "expected": from_counts(promoters, passives, detractors)}


def scores_case(name, scores, weights=None, missing="reject"):
    case = {"name": name, "input": {"scores": scores, "weights": weights, "missing": missing}}
    case["expected"] = from_scores(scores, weights, missing)
    return case


def error_case(name, scores, message, kind, weights=None, missing="reject"):
    return {
        "name": name,
        "input": {"scores": scores, "weights": weights, "missing": missing},
        "error": {"kind": kind, "message": message},
    }


def cases():
    yield counts_case("rocks_2016_example", 50, 30, 20)
    yield counts_case("r_package_tests_1_2_3", 3, 2, 1)
    yield counts_case("all_promoters", 12, 0, 0)
    yield counts_case("all_detractors", 0, 0, 7)
    yield counts_case("all_passives", 0, 4, 0)
    yield counts_case("n1_promoter", 1, 0, 0)
    yield counts_case("n1_passive", 0, 1, 0)
    yield counts_case("n1_detractor", 0, 0, 1)
    yield counts_case("half_promoters_half_detractors", 5, 0, 5)
    yield counts_case("small_skewed", 17, 2, 1)
    yield counts_case("no_passives_n3", 2, 0, 1)
    yield counts_case("large_n", 345678, 234567, 123456)
    yield scores_case("every_score_once", list(range(11)))
    yield scores_case("missing_skipped", [10, 9, None, 0, 6, 7, 8, 3, None, 10], missing="skip")
    yield scores_case(
        "weighted",
        [10, 9, 8, 7, 6, 5, 0, 10, 3, 9],
        weights=[1.5, 0.5, 2.0, 1.0, 1.0, 3.0, 0.25, 1.0, 1.0, 0.75],
    )
    yield scores_case(
        "weighted_with_zero_weight_and_missing",
        [9, None, 2, 10, 7, 4],
        weights=[2.0, 5.0, 1.0, 0.0, 0.5, 1.25],
        missing="skip",
    )
    yield scores_case("weighted_all_promoters", [9, 10, 10], weights=[1.0, 2.0, 3.0])
    yield error_case("out_of_range", [9, 11], "score 11 at index 1 is outside 0..=10", "score_out_of_range")
    yield error_case("negative_score", [5, 6, -1], "score -1 at index 2 is outside 0..=10", "score_out_of_range")
    yield error_case("not_whole", [9, 7.5], "score 7.5 at index 1 is not a whole number", "not_whole_score")
    yield error_case(
        "missing_rejected",
        [9, None, 3],
        'score at index 1 is missing and the missing-value policy is "reject"',
        "missing_score",
    )
    empty = "no responses to score: the input is empty or every score is missing"
    yield error_case("empty", [], empty, "empty")
    yield error_case("all_missing_skipped", [None, None], empty, "empty", missing="skip")
    yield error_case(
        "negative_weight",
        [9, 3],
        "weight -0.5 at index 1 is not a finite, non-negative number",
        "invalid_weight",
        weights=[1.0, -0.5],
    )
    yield error_case(
        "weight_length",
        [9, 3, 4],
        "3 scores but 2 weights: the lengths must match",
        "length_mismatch",
        weights=[1.0, 1.0],
    )
    yield error_case(
        "zero_total_weight",
        [9, 3],
        "the weights of the scored responses sum to zero",
        "zero_total_weight",
        weights=[0.0, 0.0],
    )


def exact_bootstrap_quantiles(promoters, passives, detractors, level):
    """Quantiles of the exact bootstrap distribution of the NPS, in points, and the margins."""
    from fractions import Fraction
    from math import comb

    n = promoters + passives + detractors
    pp, pd = Fraction(promoters, n), Fraction(detractors, n)
    ppas = 1 - pp - pd
    mass = {}
    for d in range(n + 1):
        for p in range(n - d + 1):
            prob = comb(n, d) * comb(n - d, p) * pd**d * pp**p * ppas ** (n - d - p)
            if prob:
                key = Fraction(p - d, n)
                mass[key] = mass.get(key, 0) + prob
    alpha = 1 - Fraction(level).limit_denominator(1000)
    out = []
    for q in (alpha / 2, 1 - alpha / 2):
        cdf = 0
        for value in sorted(mass):
            below = cdf
            cdf += mass[value]
            if cdf >= q:
                margin = min(q - below, cdf - q)
                assert margin > Fraction(1, 100), (promoters, passives, detractors, level, float(margin))
                out.append(float(100 * value))
                break
    return out


def bootstrap_cases():
    # The last two are edges: every response a promoter (share 1), and n = 1.
    for counts, level, seed in (((9, 6, 5), 0.9, 1), ((25, 10, 15), 0.8, 2), ((3, 3, 6), 0.8, 3),
                                ((7, 0, 0), 0.95, 4), ((0, 0, 1), 0.95, 5)):
        lower, upper = exact_bootstrap_quantiles(*counts, level)
        yield {"counts": dict(zip(("promoters", "passives", "detractors"), counts)), "level": level,
               "resamples": 20000, "seed": seed, "lower": lower, "upper": upper}


def posterior_cdf(t, a_p, a_pas, a_d):
    """P(theta_P - theta_D <= t) under Dirichlet(a_p, a_pas, a_d), as one integral over
    theta_D ~ Beta(a_d, a_pas + a_p), given which theta_P / (1 - theta_D) ~ Beta(a_p, a_pas).
    Integrated over u = P(theta_D <= x), so that the integrand is bounded for any shape."""
    from scipy import integrate, special

    lo, hi = max(0.0, -t), (1 - t) / 2  # the inner CDF is 0 below lo and 1 above hi
    u_lo, u_hi = special.betainc(a_d, a_pas + a_p, lo), special.betainc(a_d, a_pas + a_p, hi)
    rest = 1 - u_hi
    if u_hi <= u_lo:
        return rest

    def integrand(u):
        x = special.betaincinv(a_d, a_pas + a_p, u)
        if x >= 1:  # every response a detractor: theta_P - theta_D = -1 <= t
            return 1.0
        return special.betainc(a_p, a_pas, min(max((x + t) / (1 - x), 0.0), 1.0))

    # Shapes below 1 give the integrand a square-root edge, on which QUADPACK warns of roundoff;
    # the values still agree with an mpmath quadrature at 20 digits to 1e-12.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(integrand, u_lo, u_hi, epsabs=1e-14, epsrel=1e-12, limit=200)
    return value + rest


def posterior_quantile(q, shapes):
    from scipy import optimize

    return optimize.brentq(lambda t: posterior_cdf(t, *shapes) - q, -1 + 1e-15, 1 - 1e-15, xtol=1e-14, rtol=1e-14)


def bayesian_cases():
    # Closed form anchor: under Dirichlet(1, 1, 1), P(theta_P - theta_D > t) = (1 - t)^2 / 2.
    assert abs(posterior_quantile(0.975, (1, 1, 1)) - (1 - 0.05**0.5)) < 1e-12
    draws = 100_000
    for counts, prior, level, seed in (
        ((50, 30, 20), (1, 1, 1), 0.95, 1),
        ((0, 0, 1), (1, 1, 1), 0.95, 2),
        ((10, 0, 0), (0.5, 0.5, 0.5), 0.9, 3),
        ((0, 7, 0), (0.75, 1.5, 0.75), 0.8, 4),
        ((3, 3, 6), (2, 1, 0.5), 0.99, 5),
        ((400, 350, 250), (1, 1, 1), 0.95, 6),
    ):
        shapes = [a + x for a, x in zip(prior, counts)]
        limits, allowances = [], []
        for q in ((1 - level) / 2, (1 + level) / 2):
            t = posterior_quantile(q, shapes)
            h = 1e-5
            density = (posterior_cdf(min(t + h, 1), *shapes) - posterior_cdf(max(t - h, -1), *shapes)) / (
                min(t + h, 1) - max(t - h, -1))
            limits.append(100 * t)
            allowances.append(100 * 5 * (q * (1 - q) / draws) ** 0.5 / density)
        names = ("promoters", "passives", "detractors")
        yield {"counts": dict(zip(names, counts)), "prior": dict(zip(names, prior)), "level": level,
               "draws": draws, "seed": seed, "lower": limits[0], "upper": limits[1],
               "allowance": max(allowances)}


def document():
    return {
        "comment": COMMENT,
        "tolerance": 1e-12,
        "invalid_levels": [
            {"level": 0.0, "message": "confidence level 0 is outside the open interval (0, 1)"},
            {"level": 1.0, "message": "confidence level 1 is outside the open interval (0, 1)"},
            {"level": 1.5, "message": "confidence level 1.5 is outside the open interval (0, 1)"},
            {"level": -0.25, "message": "confidence level -0.25 is outside the open interval (0, 1)"},
        ],
        "cases": list(cases()),
        "bootstrap": list(bootstrap_cases()),
        "bayesian": list(bayesian_cases()),
    }


def main():
    vectorfile.write_or_check(OUT, document())


if __name__ == "__main__":
    main()
