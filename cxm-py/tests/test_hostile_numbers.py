"""Regression tests for the hostile tester's numeric findings, in the Python form they were
seen in: a crash, hangs and silently wrong numbers. (The Rust forms are in
cxm-core/tests/hostile.rs; the bad-input messages in test_hostile_inputs.py.)"""

import math

import numpy as np
import pytest

import cxm

MAX_COUNT = 2.0**53


def ordered(ci, lo, hi):
    return all(math.isfinite(v) for v in ci) and lo <= ci[0] <= ci[1] <= hi


def test_welch_with_a_weight_of_1e_170_does_not_kill_the_process():
    # Was "Segmentation fault" (rc 139): a NaN Welch df sent the t quantile into infinite
    # recursion. The tiny weight only leaves out the 4, so the first group is all 5s.
    a = cxm.csat([5, 5, 4], weights=[1, 1, 1e-170])
    c = cxm.compare_means(a, cxm.csat([5, 5]))
    assert math.isfinite(c.degrees_of_freedom) and 0.0 <= c.p_value <= 1.0
    assert ordered(c.interval, -4.0, 4.0)


@pytest.mark.parametrize(
    "successes, n, method",
    [(1, 1e50, "jeffreys"), (1, 1e100, "jeffreys"), (5e299, 1e300, "clopper_pearson")],
)
def test_huge_counts_are_refused_at_once(successes, n, method):
    # Took 9.8 s, more than 15 s and 145 s.
    with pytest.raises(cxm.CxmError) as caught:
        cxm.proportion_interval(successes, n, method=method)
    assert caught.value.kind == "outside_supported_range"
    with pytest.raises(cxm.CxmError) as caught:
        cxm.proportion_vs_benchmark(successes, n, 0.5, method=method if method != "jeffreys" else "wilson")
    assert caught.value.kind == "outside_supported_range"


@pytest.mark.parametrize("method", ["score", "wald", "adjusted_wald"])
def test_all_passives_against_zero_has_p_one_half(method):
    # p_value was NaN (0/0) for score and wald.
    result = cxm.nps_vs_benchmark(cxm.nps([7, 8, 7, 8]), 0.0, method=method)
    assert result.p_value == 0.5


def test_the_bootstrap_keeps_the_normal_width_at_huge_n():
    # Width ÷ Wald width was 1.005 at 1e14, 1.11 at 3e15, 1.43 at 1e16, 1.82 at 1e18.
    for n in (10**14, 3 * 10**15, 10**16, 10**18):
        result = cxm.nps_from_counts(n // 2, n // 10 * 3, n // 5)
        wald = result.confidence_interval(0.95, "wald")
        boot = result.confidence_interval(0.95, "bootstrap", resamples=20_000, seed=3)
        ratio = (boot[1] - boot[0]) / (wald[1] - wald[0])
        assert abs(ratio - 1.0) < 0.03, (n, ratio)


@pytest.mark.parametrize("method", ["clopper_pearson", "jeffreys"])
@pytest.mark.parametrize("successes", [1.0, MAX_COUNT - 1, MAX_COUNT])
@pytest.mark.parametrize("level", [1e-6, 0.95, 1 - 1e-12])
def test_exact_limits_stay_ordered_up_to_two_to_the_53(method, successes, level):
    # (1, 1e25) gave (5.55e-17, 5.57e-25); Jeffreys at x = n >= 1e16 gave (1.0, 0.9999999999999999).
    assert ordered(cxm.proportion_interval(successes, MAX_COUNT, level, method), 0.0, 1.0)
    with pytest.raises(cxm.CxmError):
        cxm.proportion_interval(1, 1e25, method=method)


def test_the_exact_test_at_half_of_a_huge_n():
    # Was 0.518 at n = 1e21 and 1.0 from 1e24. At n = 2^52, P(X >= n/2) = 1/2 + 1/sqrt(2 pi n).
    n = 2.0**52
    got = cxm.proportion_vs_benchmark(n / 2, n, 0.5, method="clopper_pearson").p_value
    assert abs(got - (0.5 + 1 / math.sqrt(2 * math.pi * n))) < 1e-12
    with pytest.raises(cxm.CxmError) as caught:
        cxm.proportion_vs_benchmark(5e20, 1e21, 0.5, method="clopper_pearson")
    assert caught.value.kind == "outside_supported_range"


def test_weights_near_the_largest_double_give_finite_moments():
    # Gave mean inf and standard deviation nan with no error.
    heavy = cxm.csat([1, 5], weights=[8e307, 8e307])
    plain = cxm.csat([1, 5])
    assert (heavy.mean, heavy.share) == (plain.mean, plain.share)
    assert heavy.standard_deviation == pytest.approx(plain.standard_deviation, rel=1e-15)


@pytest.mark.parametrize("successes, n, shown", [(5e-324, 1e9, "5e-324 successes of 1000000000"), (2.5, 10, "2.5 successes of 10")])
def test_counts_that_are_not_whole_are_refused(successes, n, shown):
    with pytest.raises(cxm.CxmError) as caught:
        cxm.proportion_interval(successes, n)
    assert caught.value.kind == "invalid_count" and shown in str(caught.value)


def test_the_student_t_does_not_saturate_for_an_effective_n_near_one():
    # df = 0.0998 gave a t of 1.26e8 where the truth is 1.7845e12 (mpmath). Weights (1, w) give
    # n_eff = (1 + w)^2 / (1 + w^2); w = 0.05 gives n_eff − 1 = 0.0998, and the mean interval's
    # half width is t · sd / sqrt(n_eff).
    w = 0.05
    r = cxm.csat([1, 5], weights=[1.0, w])
    df = r.effective_n - 1
    assert df == pytest.approx(0.0998, abs=5e-4)
    lo, hi = r.mean_interval(0.95)
    t = (hi - lo) / 2 / (r.standard_deviation / math.sqrt(r.effective_n))
    assert 1e11 < t < 1e13 and math.isfinite(lo)


def test_masked_numpy_scores_are_missing_not_counted():
    # [9, 9, --] scored 33.3, not 100.
    scores = np.ma.masked_array([9, 9, 0], mask=[False, False, True])
    assert cxm.nps(scores, missing="skip").score == 100.0
