"""cxm.drivers: the shared key-driver vectors (testdata/drivers.json: pingouin's LMG,
relativeImp's Johnson weights and brute-force subset fits, which agree), the table, its inputs
and its refusals. The exact bits (200 resamples, seed 7) go to $CXM_VECTOR_OUT/drivers.python.txt."""

import math
import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxm
from conftest import Bits, close, load

NAN = float("nan")


def analyse(case, method, resamples):
    data = {name: case["drivers"][name] for name in case["names"]}
    data["score"] = case["score"]
    weights = None if case["weights"] is None else np.array(case["weights"])
    return cxm.drivers(data, score="score", drivers=case["names"], weights=weights, method=method,
                       resamples=resamples, seed=7)


def test_shared_vectors():
    doc = load("drivers")
    agree = doc["agree"]
    bits = Bits()
    for case in doc["cases"]:
        for method in ("lmg", "johnson"):
            k = analyse(case, method, 0)
            assert close(k.r_squared, case["r_squared"], agree), case["name"]
            for j, d in enumerate(k):
                assert d.driver == case["names"][j]
                assert close(d.contribution, case[method][j], agree), (case["name"], method, d.driver)
                assert close(d.coefficient, case["coefficients"][j], agree)
                assert d.sign == math.copysign(1, case["coefficients"][j])
                assert d.lower is None and d.upper is None and d.monte_carlo_error is None
            if method == "lmg":
                for j, name in enumerate(case["names"]):
                    got = k.dominance.conditional[name]
                    assert all(close(g, w, agree) for g, w in zip(got, case["conditional"][j]))
                    assert [k.dominance.complete[name][other] for other in case["names"]] == case["complete"][j]
            else:
                assert k.dominance is None
            booted = analyse(case, method, 200)
            values = [booted.r_squared]
            for d in booted:
                values += [d.contribution, d.share, d.coefficient, d.contribution_lower, d.contribution_upper,
                           d.lower, d.upper]
            bits.line(f"{case['name']} {method}", *values)
    bits.save("drivers")


def survey():
    case = next(c for c in load("drivers")["cases"] if c["name"] == "survey")
    frame = pd.DataFrame({name: case["drivers"][name] for name in case["names"]})
    frame["nps"] = case["score"]
    return frame, case["names"]


def test_the_table_its_frames_and_its_bootstrap():
    frame, names = survey()
    k = cxm.drivers(frame, score="nps", drivers=names, resamples=300, seed=3)
    assert len(k) == len(names) and k.resamples == 300 and k.failed_resamples == 0
    assert math.isclose(sum(d.share for d in k), 1.0, rel_tol=1e-12)
    for d in k:
        assert d.lower <= d.share <= d.upper and d.contribution_lower <= d.contribution <= d.contribution_upper
    assert k["price"].share == max(d.share for d in k)
    assert k == cxm.drivers(pl.from_pandas(frame), score="nps", drivers=names, resamples=300, seed=3)
    assert k != cxm.drivers(frame, score="nps", drivers=names, resamples=300, seed=4)
    table = k.to_pandas()
    assert list(table.driver) == names and {"share", "lower", "upper", "sign"} <= set(table.columns)
    assert k.to_polars().height == len(names)
    assert pickle.loads(pickle.dumps(k)) == k
    assert repr(k).startswith("DriversResult(lmg, R² 0.423")


def test_plot_draws_a_bar_per_driver():
    import matplotlib

    matplotlib.use("Agg")
    frame, names = survey()
    ax = cxm.drivers(frame, score="nps", drivers=names, resamples=50).plot()
    assert len(ax.patches) == len(names)


def test_missing_values_only_as_asked():
    frame, names = survey()
    frame.loc[[3, 10], "support"] = np.nan
    with pytest.raises(cxm.CxmError, match="record at index 3 has no value for driver 'support'") as e:
        cxm.drivers(frame, score="nps", drivers=names, resamples=0)
    assert e.value.kind == "invalid_record"
    k = cxm.drivers(frame, score="nps", drivers=names, resamples=0, missing="skip")
    assert (k.rows, k.dropped) == (len(frame) - 2, 2)
    assert k.drivers == cxm.drivers(frame.dropna(), score="nps", drivers=names, resamples=0).drivers


@pytest.mark.parametrize("column, message", [
    ("flat", "driver 'flat' is constant: it explains nothing"),
    ("total", "driver 'total' is a linear combination of the drivers before it"),
])
def test_degenerate_drivers_are_named(column, message):
    frame, names = survey()
    frame["flat"] = 3.0
    frame["total"] = frame["price"] + frame["support"]
    with pytest.raises(cxm.CxmError, match=message) as e:
        cxm.drivers(frame, score="nps", drivers=names + [column], resamples=0)
    assert e.value.kind == "degenerate_column"


def test_lmg_above_twenty_drivers_is_sampled_with_its_error():
    rng = np.random.default_rng(1)
    data = {f"x{i}": rng.normal(size=300) for i in range(21)}
    data["y"] = sum(data[f"x{i}"] * (i % 4) for i in range(21)) + rng.normal(size=300) * 4
    names = [f"x{i}" for i in range(21)]
    k = cxm.drivers(data, score="y", drivers=names, resamples=0, permutations=2_000)
    assert k.permutations == 2_000 and k.dominance is None
    assert abs(sum(d.contribution for d in k) - k.r_squared) < 1e-12
    johnson = cxm.drivers(data, score="y", drivers=names, method="johnson", resamples=0)
    assert johnson.permutations == 0 and all(d.monte_carlo_error is None for d in johnson)
    for d in k:
        assert 0 < d.monte_carlo_error < 0.01
    with pytest.raises(cxm.CxmError, match="number of permutations 1 is outside the supported range"):
        cxm.drivers(data, score="y", drivers=names, resamples=0, permutations=1)
