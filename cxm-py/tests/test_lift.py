"""Lift between two groups and named rates: the shared vectors (testdata/lift.json, bit for bit
with Rust and C), the Python contract's names, zero cells and bad counts."""

import math

import pytest

import cxm
from conftest import Bits, close, load

DOC = load("lift")
FIELDS = ["ratio", "lower", "upper", "statistic", "p_value", "difference", "difference_lower",
          "difference_upper", "odds_ratio", "odds_ratio_lower", "odds_ratio_upper"]


def figures(r):
    """A lift's figures in the order the vectors name them (and the bits are written)."""
    return [r.ratio, *r.interval, r.statistic, r.p_value, r.difference, *r.difference_interval,
            r.odds_ratio, *r.odds_ratio_interval]


def test_lift_and_rate_vectors():
    tolerance = DOC["tolerance"]
    bits = Bits()
    failures = []
    for index, case in enumerate(DOC["lift"]):
        i = case["input"]
        for want in case["expected"]:
            r = cxm.lift(i["events_a"], i["n_a"], i["events_b"], i["n_b"], want["level"])
            label = f"lift {index}@{want['level']}"
            if r.zero_cell_correction != case["zero_cell_correction"]:
                failures.append(f"{label}: zero_cell_correction")
            for field, got in zip(FIELDS, figures(r)):
                if not close(got, want[field], tolerance):
                    failures.append(f"{label} {field}: {got!r} vs {want[field]!r}")
            bits.line(label, *figures(r))
    for index, case in enumerate(DOC["rates"]):
        for want in case["expected"]:
            r = cxm.rate(case["name"], case["successes"], case["n"], want["level"], want["method"])
            label = f"rate {index} {want['method']}@{want['level']}"
            assert (r.name, r.method) == (case["name"], want["method"])
            for field, got in zip(["estimate", "lower", "upper"], [r.estimate, *r.interval]):
                if not close(got, want[field], tolerance):
                    failures.append(f"{label} {field}: {got!r} vs {want[field]!r}")
            assert r.interval == cxm.proportion_interval(case["successes"], case["n"], want["level"], want["method"])
            bits.line(label, r.estimate, *r.interval)
    assert not failures, "\n".join(failures)
    bits.save("lift")


def test_the_contract_names():
    # Churn among customers whose issue was not solved at the first contact against those whose was.
    r = cxm.lift(30, 200, 24, 400)
    assert r.ratio == pytest.approx(2.5)
    lower, upper = r.interval
    assert lower < r.ratio < upper and r.p_value < 0.001
    assert r.difference == pytest.approx(0.09)
    assert r.difference_interval[0] < r.difference < r.difference_interval[1]
    assert r.odds_ratio_interval[0] < r.odds_ratio < r.odds_ratio_interval[1]
    assert (r.ratio_method, r.test_method, r.difference_method, r.odds_ratio_method) == (
        "katz_log", "log_adjusted", "newcombe", "woolf")
    assert r == cxm.lift(30, 200, 24, 400, level=0.95) and r != cxm.lift(30, 200, 24, 400, level=0.9)
    assert repr(r).startswith("LiftResult(ratio=2.5, interval=(")
    assert r.to_dict()["interval"] == r.interval


def test_zero_cells_are_corrected_and_said_so_never_inf_or_nan():
    for counts in [(0, 20, 5, 25), (5, 25, 0, 20), (0, 20, 0, 25), (20, 20, 10, 20), (1, 1, 0, 1)]:
        r = cxm.lift(*counts)
        assert r.zero_cell_correction, counts
        assert all(math.isfinite(v) for v in figures(r)), counts
    assert not cxm.lift(1, 20, 5, 25).zero_cell_correction


@pytest.mark.parametrize("counts, message", [
    ((11, 10, 3, 20), "events_a is 11: it must be between 0 and n_a (10)"),
    ((3, 10, -1, 20), "events_b is -1: it must be between 0 and n_b (20)"),
    ((0, 0, 3, 20), "n_a is 0: it must be at least 1"),
    ((1, 2**53 + 1, 1, 10), "n_a is 9007199254740993: it must be at most 2^53"),
])
def test_bad_counts_name_the_count(counts, message):
    with pytest.raises(cxm.CxmError, match=message.replace("^", r"\^").replace("(", r"\(").replace(")", r"\)")) as caught:
        cxm.lift(*counts)
    assert caught.value.kind == "invalid_event_count"


def test_counts_must_be_ints():
    with pytest.raises(TypeError):
        cxm.lift(3.5, 10, 1, 10)
    with pytest.raises(cxm.CxmError) as caught:
        cxm.lift(2**70, 10, 1, 10)
    assert caught.value.kind == "value_overflow"


def test_named_rates_say_what_they_are():
    fcr = cxm.rate("first_contact_resolution", 412, 530)
    assert (fcr.name, fcr.method, fcr.level) == ("first_contact_resolution", "wilson", 0.95)
    assert fcr.estimate == 412 / 530
    assert fcr.interval == cxm.proportion_interval(412, 530)
    assert fcr.counts == ("resolved at the first contact", "contacts with a known first-contact outcome")
    assert repr(fcr).startswith("NamedRateResult(name='first_contact_resolution', estimate=")
    for name in ["renewal", "referral", "cart_abandonment", "post_incident_loss"]:
        assert cxm.rate(name, 3, 10).name == name
    with pytest.raises(cxm.CxmError, match='unknown named rate "nps"') as caught:
        cxm.rate("nps", 3, 10)
    assert caught.value.kind == "unknown_name"
    with pytest.raises(cxm.CxmError, match="successes is 11") as caught:
        cxm.rate("renewal", 11, 10)
    assert caught.value.kind == "invalid_event_count"
