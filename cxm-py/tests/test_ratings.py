"""CSAT/CES and proportion intervals: the shared vectors (testdata/ratings.json and
testdata/proportions.json) through the Python surface, and the Python contract."""

import math

import numpy as np
import pytest

import cxm
from conftest import Bits, close, load


def run(inp, as_type=None):
    scale = inp["scale"]
    scores = inp["scores"] if as_type is None else np.array(inp["scores"], dtype=as_type)
    return cxm.ces(
        scores,
        scale=(scale["min"], scale["max"]),
        threshold=scale["threshold"],
        higher_is_easier=scale["higher_is_better"],
        weights=inp["weights"],
        missing=inp["missing"],
    )


def test_rating_vectors():
    doc = load("ratings")
    tolerance = doc["tolerance"]
    bits = Bits()
    failures = []

    def check(what, got, want):
        if not close(got, want, tolerance):
            failures.append(f"{what}: {got!r} vs {want!r}")

    for case in doc["cases"]:
        name, inp = case["name"], case["input"]
        if "error" in case:
            with pytest.raises(cxm.CxmError) as err:
                run(inp)
            assert (err.value.kind, str(err.value)) == (case["error"]["kind"], case["error"]["message"]), name
            continue
        r = run(inp)
        if all(s is not None for s in inp["scores"]):
            for dtype in (np.int64, np.uint8, np.float32):
                # repr, not ==: the standard deviation is NaN (equal to nothing) below two answers
                assert repr(run(inp, dtype).to_dict()) == repr(r.to_dict()), f"{name} {dtype.__name__}"
        want = case["expected"]
        assert (r.n, r.favourable) == (want["n"], want["favourable"]), name
        for field in ("share", "mean", "effective_n"):
            check(f"{name} {field}", getattr(r, field), want[field])
            bits.line(f"{name} {field}", getattr(r, field))
        if want["standard_deviation"] is None:
            assert math.isnan(r.standard_deviation), name
        else:
            check(f"{name} sd", r.standard_deviation, want["standard_deviation"])
        bits.line(f"{name} standard_deviation", r.standard_deviation)
        for iv in want["share_intervals"]:
            lo, hi = r.share_interval(iv["level"], iv["method"])
            check(f"{name} share {iv['method']}@{iv['level']}", lo, iv["lower"])
            check(f"{name} share {iv['method']}@{iv['level']}", hi, iv["upper"])
            bits.line(f"{name} share {iv['method']}@{iv['level']}", lo, hi)
        for iv in want["mean_intervals"]:
            if "error" in iv:
                with pytest.raises(cxm.CxmError) as err:
                    r.mean_interval(iv["level"])
                assert err.value.kind == iv["error"]
                continue
            lo, hi = r.mean_interval(iv["level"])
            check(f"{name} mean@{iv['level']}", lo, iv["lower"])
            check(f"{name} mean@{iv['level']}", hi, iv["upper"])
            bits.line(f"{name} mean@{iv['level']}", lo, hi)
    assert not failures, "\n".join(failures)
    bits.save("ratings")


def test_proportion_vectors():
    doc = load("proportions")
    bits = Bits()
    for c in doc["cases"]:
        lo, hi = cxm.proportion_interval(c["successes"], c["n"], c["level"], c["method"])
        for got, want in ((lo, c["lower"]), (hi, c["upper"])):
            assert abs(got - want) <= doc["tolerance"] * abs(want) + 1e-20, (c, got)
        bits.line(f"{c['method']} {c['successes']}/{c['n']}@{c['level']}", lo, hi)
    bits.save("proportions")


def test_csat_and_ces_contract():
    r = cxm.csat([5, 4, 4, 3, 2, 5, 1, 4])
    assert (r.n, r.share, r.mean, r.scale, r.threshold) == (8, 0.625, 3.5, (1, 5), 4)
    assert r.share_interval() == r.share_interval(0.95, "wilson")
    assert r.mean_interval() == r.mean_interval(level=0.95)
    assert repr(r).startswith("RatingResult(share=0.625, mean=3.5, n=8, favourable=5, scale=(1, 5)")
    ces = cxm.ces([7, 5, 4, 6, 3])
    assert (ces.scale, ces.threshold, ces.favourable) == ((1, 7), 5, 3)
    effort = cxm.ces([1, 2, 3, 5], scale=(1, 5), threshold=2, higher_is_easier=False)
    assert effort.share == 0.5 and effort.higher_is_better is False
    assert cxm.csat([7, 6, 2], scale=(1, 7), threshold=6).favourable == 2


def test_scales_are_validated_and_never_guessed():
    with pytest.raises(cxm.CxmError, match="threshold 6 is outside the scale 1..=5") as err:
        cxm.csat([3], threshold=6)
    assert err.value.kind == "invalid_scale"
    with pytest.raises(cxm.CxmError, match="score 7 at index 0 is outside 1..=5"):
        cxm.csat([7, 3])
    with pytest.raises(cxm.CxmError, match="score 0 at index 1 is outside 1..=7"):
        cxm.ces([3, 0])


def test_proportion_interval_contract():
    assert cxm.proportion_interval(3, 10) == cxm.proportion_interval(3, 10, 0.95, "wilson")
    with pytest.raises(cxm.CxmError) as err:
        cxm.proportion_interval(11, 10)
    assert err.value.kind == "invalid_count"
    with pytest.raises(cxm.CxmError, match="unknown proportion interval method"):
        cxm.proportion_interval(3, 10, method="exact")
