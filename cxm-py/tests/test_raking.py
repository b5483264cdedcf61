"""cxm.rake and the calibrated estimates: the shared raking vectors (testdata/raking.json, from R
survey: calibrate with and without bounds, trimWeights, svymean), the columns it reads, and its
refusals. The exact bits go to $CXM_VECTOR_OUT/raking.python.txt."""

import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxm
from conftest import Bits, close, load


def raked(case, frame=None, **options):
    """The case's raking, from its codes (or, with `frame`, from the frame's columns)."""
    data = frame if frame is not None else {m["name"]: np.array(m["codes"], dtype=np.int64) for m in case["margins"]}
    margins = {m["name"]: m["targets"] for m in case["margins"]}
    if case.get("bounds"):
        options["bounds"] = tuple(case["bounds"])
    base = None if case.get("base_weights") is None else np.array(case["base_weights"])
    result = cxm.rake(data, margins=margins, base_weights=base, **options)
    return result.trim(*case["trim"]) if case.get("trim") else result


def scores(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def estimate_values(e):
    return (e.estimate, e.standard_error, *e.interval, e.fixed_weights_standard_error, e.kish_standard_error,
            e.effective_n, float(e.n))


def test_shared_vectors():
    doc = load("raking")
    bits = Bits()
    for case in doc["cases"]:
        name, want = case["name"], case["expected"]
        r = raked(case)
        assert r.converged
        assert all(close(g, w, doc["weight_tolerance"]) for g, w in zip(r.weights, want["weights"])), name
        nps_scores = scores(case["scores"])
        missing = "skip" if np.isnan(nps_scores).any() else "reject"
        nps = r.nps(nps_scores, missing=missing)
        share = r.csat(np.array(case["answers"], dtype=np.int64))
        for got, expected in ((nps, want["nps"]), (share, want["share"])):
            for field in ("estimate", "standard_error", "fixed_weights_standard_error"):
                assert close(getattr(got, field), expected[field], doc["se_tolerance"]), (name, field)
        # The calibration= spelling is the same call.
        assert cxm.nps(nps_scores, missing=missing, calibration=r) == nps
        assert cxm.csat(np.array(case["answers"]), calibration=r) == share
        assert nps.kish_standard_error == cxm.nps(nps_scores, weights=r.weights, missing=missing).standard_error
        bits.line(f"{name} weights", *r.weights)
        bits.line(f"{name} fit", float(r.iterations), r.max_residual, r.design_effect, r.effective_n, r.efficiency,
                  float(r.trimmed))
        bits.line(f"{name} nps", *estimate_values(nps))
        bits.line(f"{name} share", *estimate_values(share))
    bits.save("raking")


def labelled(case, library):
    """The case's margins as label columns (region 'r0', 'r1', …) in a pandas or polars frame."""
    columns = {m["name"]: [f"{m['name']}-{c}" for c in m["codes"]] for m in case["margins"]}
    return pd.DataFrame(columns) if library == "pandas" else pl.DataFrame(columns)


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_label_columns_give_the_weights_of_codes(library):
    case = load("raking")["cases"][1]
    frame = labelled(case, library)
    margins = {m["name"]: {f"{m['name']}-{c}": t for c, t in reversed(list(enumerate(m["targets"])))}
               for m in case["margins"]}
    by_labels = cxm.rake(frame, margins=margins, base_weights=np.array(case["base_weights"]))
    assert np.array_equal(by_labels.weights, raked(case).weights)


def test_the_result_reads_back_and_reports_its_margins():
    case = load("raking")["cases"][0]
    r = raked(case)
    assert set(r.residuals) == {m["name"] for m in case["margins"]}
    assert r.max_residual == max(abs(x) for v in r.residuals.values() for x in v.values())
    assert r.max_residual <= cxm.DEFAULTS["rake_tolerance"]
    assert [m["targets"] for m in r.margins] == [m["targets"] for m in case["margins"]]
    assert r.n == len(r.weights) and r.bounds is None and r.trimmed == 0
    assert r.design_effect == pytest.approx(len(r.weights) * (r.weights ** 2).sum() / r.weights.sum() ** 2, rel=1e-12)
    assert r.efficiency == pytest.approx(1 / r.design_effect)
    # The core's defaults, when left out.
    again = raked(case, tolerance=cxm.DEFAULTS["rake_tolerance"], max_iterations=cxm.DEFAULTS["rake_iterations"])
    assert np.array_equal(again.weights, r.weights)
    estimate = r.nps(scores(case["scores"]))
    assert pickle.loads(pickle.dumps(estimate)) == estimate
    assert set(estimate.to_dict()) == set(cxm.CORE_FIELDS["CalibratedEstimate"])
    trimmed = r.trim(0.5, 2.0)
    assert trimmed.trimmed > 0 and trimmed.max_residual > r.max_residual
    assert trimmed.weights.max() <= 2.0 * trimmed.weights.mean() * (1 + 1e-12)
    # A raking pickles by being made again from its inputs: the same bits, trimmed alike.
    for result in (r, trimmed, raked(load("raking")["cases"][2])):
        again = pickle.loads(pickle.dumps(result))
        assert again == result and again.weights.tobytes() == result.weights.tobytes()
        assert again.residuals == result.residuals and again.bounds == result.bounds
    assert r != trimmed and r != "a raking"


def test_categories_are_the_callers_labels():
    data = {"region": ["south", "north", "north", "east"], "plan": [0, 1, 1, 0]}
    r = cxm.rake(data, margins={"region": {"north": 0.5, "south": 0.3, "east": 0.2}, "plan": [0.4, 0.6]})
    assert list(r.residuals["region"]) == ["north", "south", "east"] and list(r.residuals["plan"]) == [0, 1]
    assert r.margins[0]["categories"] == ["north", "south", "east"]
    assert pickle.loads(pickle.dumps(r)).residuals == r.residuals


def test_contradictory_margins_and_empty_trimming_are_errors():
    # Two respondents, each its own cell of both margins: no finite weights meet them.
    with pytest.raises(cxm.CxmError, match="the margins contradict each other") as err:
        cxm.rake({"a": ["x", "y"], "b": ["p", "q"]}, margins={"a": {"x": 0.9, "y": 0.1}, "b": {"p": 0.1, "q": 0.9}})
    assert err.value.kind == "calibration_infeasible"
    r = cxm.rake({"region": [0, 0, 0, 1]}, margins={"region": [1.0, 1.0]})
    with pytest.raises(cxm.CxmError, match="leave no weight inside") as err:
        r.trim(0.8, 1.2)
    assert err.value.kind == "invalid_calibration"
    assert r.trim(upper=1.5).trimmed == 1


def test_refusals_name_the_margin():
    data = {"region": np.array([0, 0, 1, 1]), "label": np.array(["a", "b", "a", "c"], dtype=object)}
    with pytest.raises(cxm.CxmError, match="margin 'region' has category 1 at index 2") as err:
        cxm.rake(data, margins={"region": [5.0]})
    assert err.value.kind == "invalid_calibration"
    with pytest.raises(ValueError, match="margin 'label' has 'c' at index 3, which is not one of"):
        cxm.rake(data, margins={"label": {"a": 1.0, "b": 1.0}})
    with pytest.raises(ValueError, match="codes 0..1 as integers"):
        cxm.rake(data, margins={"label": [1.0, 1.0]})
    with pytest.raises(cxm.CxmError, match="category 'a' of margin 'label' has a target of 1"):
        cxm.rake(data, margins={"label": {"a": 1.0, "b": 1.0, "c": 8.0}}, bounds=(0.5, 1.5))
    with pytest.raises(ValueError, match="margin 'label' is missing at index 1"):
        cxm.rake({"label": ["a", None, "b"]}, margins={"label": {"a": 1.0, "b": 1.0}})
    with pytest.raises(cxm.CxmError) as err:
        cxm.rake(data, margins={"region": [1.0, 9.0]}, bounds=(0.5, 1.5))
    assert err.value.kind == "calibration_infeasible"
    r = cxm.rake(data, margins={"region": [5.0, 5.0]})
    with pytest.raises(ValueError, match="not both"):
        cxm.nps([9, 3, 7, 10], weights=[1, 1, 1, 1], calibration=r)
    with pytest.raises(cxm.CxmError, match="score 11 at index 2"):
        r.nps([9, 3, 11, 10])
    with pytest.raises(cxm.CxmError) as err:
        r.nps([9, 3, 7])
    assert err.value.kind == "column_length_mismatch"
