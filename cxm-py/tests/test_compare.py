"""Two-sample comparisons: the shared vectors (testdata/comparisons.json) through the Python
surface, and the Python contract ("did NPS really change?")."""

import math

import numpy as np
import pytest

import cxm
from conftest import Bits, close, load


def check(what, got, want, tolerance, failures):
    lower, upper = got.interval
    for field, value in (("estimate", got.difference), ("lower", lower), ("upper", upper), ("p_value", got.p_value)):
        if not close(value, want[field], tolerance):
            failures.append(f"{what} {field}: {value!r} vs {want[field]!r}")
    if want["statistic"] is None:  # infinite, with the sign of the difference
        assert got.statistic == math.copysign(math.inf, got.difference), what
    elif not close(got.statistic, want["statistic"], tolerance):
        failures.append(f"{what} statistic: {got.statistic!r} vs {want['statistic']!r}")
    if "degrees_of_freedom" in want and not close(got.degrees_of_freedom, want["degrees_of_freedom"], tolerance):
        failures.append(f"{what} df: {got.degrees_of_freedom!r}")


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
    assert not failures, "\n".join(failures)
    bits.save("comparisons")


def test_did_nps_really_change():
    this_quarter = cxm.nps_from_counts(220, 130, 150)
    last_quarter = cxm.nps_from_counts(180, 140, 180)
    c = cxm.compare_nps(this_quarter, last_quarter)
    assert c.method == "nps_adjusted_wald" and c.level == 0.95
    assert c.difference == pytest.approx(14.0) and c.p_value < 0.01 and c.interval[0] > 0
    assert (c.n1, c.n2) == (500.0, 500.0)
    assert c.to_dict()["difference"] == c.difference
    assert repr(c).startswith("ComparisonResult(method='nps_adjusted_wald', difference=14.0")
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
