"""Two-sample comparisons: the shared vectors (testdata/comparisons.json) through the Python
surface, and the Python contract ("did NPS really change?")."""

import math

import numpy as np
import pytest

import cxm
from conftest import Bits, close, load


def same(got, want, tolerance):
    """close(), and non-finite expectations ("inf", "-inf", "nan" in the file) matched exactly."""
    want = float(want)
    if math.isfinite(want):
        return close(got, want, tolerance)
    return got == want or (math.isnan(got) and math.isnan(want))


def check(what, got, want, tolerance, failures):
    lower, upper = got.interval
    estimate = got.difference if hasattr(got, "difference") else got.estimate
    fields = [("estimate", estimate), ("lower", lower), ("upper", upper), ("p_value", got.p_value),
              ("statistic", got.statistic)]
    if "degrees_of_freedom" in want:
        fields.append(("degrees_of_freedom", got.degrees_of_freedom))
    for field, value in fields:
        if not same(value, want[field], tolerance):
            failures.append(f"{what} {field}: {value!r} vs {want[field]!r}")


def line(bits, label, c):
    bits.line(label, c.difference, *c.interval, c.statistic, c.p_value, c.degrees_of_freedom)


def test_comparison_vectors():
    doc = load("comparisons")
    tolerance = doc["tolerance"]
    bits = Bits()
    failures = []
    for index, case in enumerate(doc["proportions"]):
        i = case["input"]
        for want in case["expected"]:
            c = cxm.compare_proportions(i["successes1"], i["n1"], i["successes2"], i["n2"], want["level"])
            label = f"proportions {index}@{want['level']}"
            check(label, c, want, tolerance, failures)
            line(bits, label, c)
    for index, case in enumerate(doc["nps"]):
        a, b = (cxm.nps_from_counts(g["promoters"], g["passives"], g["detractors"]) for g in (case["input"]["a"], case["input"]["b"]))
        for want in case["expected"]:
            c = cxm.compare_nps(a, b, want["level"], want["method"])
            label = f"nps {index} {want['method']}@{want['level']}"
            check(label, c, want, tolerance, failures)
            line(bits, label, c)
    for index, case in enumerate(doc["means"]):
        i = case["input"]
        lo, hi = i["scale"]
        a, b = (cxm.csat(i[k], scale=(lo, hi), threshold=lo) for k in ("a", "b"))
        for want in case["expected"]:
            c = cxm.compare_means(a, b, want["level"])
            label = f"means {index}@{want['level']}"
            check(label, c, want, tolerance, failures)
            line(bits, label, c)
    for index, case in enumerate(doc["proportion_benchmarks"]):
        i = case["input"]
        for want in case["expected"]:
            t = cxm.proportion_vs_benchmark(i["successes"], i["n"], i["benchmark"], alternative=i["alternative"],
                                            method=want["method"])
            label = f"proportion_benchmark {index} {want['method']}"
            check(label, t, want, tolerance, failures)
            bits.line(label, t.estimate, *t.interval, t.statistic, t.p_value)
    for index, case in enumerate(doc["nps_benchmarks"]):
        i = case["input"]
        counts = i["counts"]
        nps = cxm.nps_from_counts(counts["promoters"], counts["passives"], counts["detractors"])
        for want in case["expected"]:
            t = cxm.nps_vs_benchmark(nps, i["benchmark"], alternative=i["alternative"], method=want["method"])
            label = f"nps_benchmark {index} {want['method']}"
            check(label, t, want, tolerance, failures)
            bits.line(label, t.estimate, *t.interval, t.statistic, t.p_value)
    assert not failures, "\n".join(failures)
    bits.save("comparisons")


def test_is_our_nps_above_the_industry():
    ours = cxm.nps_from_counts(50, 30, 20)  # NPS 30, n = 100
    t = cxm.nps_vs_benchmark(ours, 20, method="score")
    assert (t.method, t.alternative, t.benchmark, t.estimate) == ("nps_score", "greater", 20.0, 30.0)
    assert 0.05 < t.p_value < 0.2 and t.interval[0] < 20 < t.interval[1]
    assert cxm.nps_vs_benchmark(ours, 45, alternative="less").p_value < 0.05
    with pytest.raises(cxm.CxmError) as err:
        cxm.nps_vs_benchmark(ours, 100)
    assert err.value.kind == "invalid_benchmark"
    csat = cxm.csat([5, 4, 4, 5, 5, 4, 3, 5, 4, 4, 5, 2])
    share = cxm.proportion_vs_benchmark(csat.favourable, csat.n, 0.6, method="clopper_pearson")
    assert share.method == "proportion_exact" and math.isnan(share.statistic) and 0 < share.p_value < 0.2


def test_did_nps_really_change():
    this_quarter = cxm.nps_from_counts(220, 130, 150)
    last_quarter = cxm.nps_from_counts(180, 140, 180)
    c = cxm.compare_nps(this_quarter, last_quarter)
    assert c.method == "nps_adjusted_wald" and c.level == 0.95
    assert c.difference == pytest.approx(14.0) and c.p_value < 0.01 and c.interval[0] > 0
    assert (c.n1, c.n2) == (500.0, 500.0)
    assert c.to_dict()["estimate"] == c.estimate == c.difference
    assert repr(c).startswith("ComparisonResult(method='nps_adjusted_wald', estimate=14.0")
    # Raw scores work too.
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 11, 200), rng.integers(0, 11, 180)
    assert cxm.compare_nps(a, b, method="wald").difference == pytest.approx(cxm.nps(a).score - cxm.nps(b).score)
    with pytest.raises(cxm.CxmError, match="not available for comparing two NPS") as err:
        cxm.compare_nps(this_quarter, last_quarter, method="score")
    assert err.value.kind == "unsupported_method"


def test_compare_proportions_and_means_contract():
    c = cxm.compare_proportions(9, 10, 3, 10)
    assert c.method == "newcombe_score" and c.degrees_of_freedom == math.inf
    assert c.difference == pytest.approx(0.6) and c.p_value < 0.01
    welch = cxm.compare_means(cxm.csat([5, 4, 4, 3, 2, 5, 1, 4]), cxm.csat([3, 3, 4, 2, 1, 2, 3]))
    assert welch.method == "welch" and 10 < welch.degrees_of_freedom < 14
    with pytest.raises(cxm.CxmError) as err:
        cxm.compare_means(cxm.csat([5]), cxm.csat([3, 4]))
    assert err.value.kind == "too_few_responses"
