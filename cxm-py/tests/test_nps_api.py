"""The Python contract of cxm.nps: names, defaults, inputs, errors."""

import pickle
import threading

import numpy as np
import pytest

import cxm


def test_result_fields_and_repr():
    r = cxm.nps([10, 9, 8, 7, 6, 0])
    assert (r.n, r.promoters, r.passives, r.detractors) == (6, 2, 2, 2)
    assert r.score == 0.0
    assert r.promoter_share + r.passive_share + r.detractor_share == pytest.approx(1.0)
    assert r.effective_n == 6.0
    assert repr(r).startswith("NpsResult(score=0.0, n=6, promoters=2, passives=2, detractors=2")
    d = r.to_dict()
    assert set(d) == {
        "score", "n", "promoters", "passives", "detractors", "promoter_share",
        "passive_share", "detractor_share", "standard_error", "effective_n", "lower", "upper", "level",
    }
    assert d["standard_error"] == r.standard_error


def test_default_interval_is_95_percent_adjusted_wald():
    r = cxm.nps_from_counts(50, 30, 20)
    assert r.confidence_interval() == r.confidence_interval(0.95, "adjusted_wald")
    assert r.confidence_interval(level=0.9, method="score") == r.confidence_interval(0.9, "score")


def test_simulated_intervals_are_seeded_and_checked():
    r = cxm.nps_from_counts(50, 30, 20)
    # Defaults: 10 000 resamples, 100 000 draws, a uniform prior, seed 0.
    assert r.confidence_interval(0.95, "bootstrap") == r.confidence_interval(0.95, "bootstrap", resamples=10000, seed=0)
    assert r.confidence_interval(0.95, "bayesian") == r.confidence_interval(
        0.95, "bayesian", prior=(1, 1, 1), draws=100000, seed=0)
    assert r.confidence_interval(0.95, "bayesian", seed=1) != r.confidence_interval(0.95, "bayesian", seed=2)
    # A prior moves the posterior: 50 pseudo-promoters pull the interval up.
    flat = r.confidence_interval(0.95, "bayesian", draws=20000)
    keen = r.confidence_interval(0.95, "bayesian", draws=20000, prior=(50, 1, 1))
    assert keen[0] > flat[0] + 5 and keen[1] > flat[1] + 5
    with pytest.raises(cxm.CxmError, match="Dirichlet prior weight 0 for detractors must be positive") as e:
        r.confidence_interval(0.95, "bayesian", prior=(1, 1, 0))
    assert e.value.kind == "invalid_prior"
    with pytest.raises(cxm.CxmError, match="1 resamples: need 2 to 10000000") as e:
        r.confidence_interval(0.95, "bootstrap", resamples=1)
    assert e.value.kind == "invalid_simulation_size"
    with pytest.raises(cxm.CxmError, match="0 posterior draws"):
        r.confidence_interval(0.95, "bayesian", draws=0)


def test_unknown_method_and_policy_are_errors():
    r = cxm.nps_from_counts(5, 3, 2)
    with pytest.raises(cxm.CxmError, match='unknown NPS interval method "wilson"') as e:
        r.confidence_interval(0.95, "wilson")
    assert e.value.kind == "unknown_name"
    with pytest.raises(cxm.CxmError, match="missing-value policy"):
        cxm.nps([9], missing="drop")


def test_cxm_error_is_a_value_error_and_pickles():
    assert issubclass(cxm.CxmError, ValueError)
    assert cxm.CxmError.__module__ == "cxm"
    err = pickle.loads(pickle.dumps(cxm.CxmError("x")))
    assert isinstance(err, cxm.CxmError) and str(err) == "x"


@pytest.mark.parametrize(
    "dtype", [np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.int16, np.int32, np.int64, np.float32, np.float64]
)
def test_every_numpy_dtype_gives_the_same_answer(dtype):
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 5]
    assert cxm.nps(np.array(scores, dtype=dtype)).to_dict() == cxm.nps(scores).to_dict()


def test_read_only_and_strided_arrays():
    a = np.array([10, 9, 0, 5, 7, 7], dtype=np.int64)
    a.setflags(write=False)
    assert cxm.nps(a).score == cxm.nps(a.tolist()).score
    strided = np.array([10, -1, 0, -1, 9, -1])[::2]
    assert cxm.nps(strided).to_dict() == cxm.nps([10, 0, 9]).to_dict()


def test_unsupported_inputs_are_type_errors():
    with pytest.raises(TypeError, match="2-dimensional"):
        cxm.nps(np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(TypeError, match="bool"):
        cxm.nps(np.array([True, False]))
    with pytest.raises(TypeError, match="score at index 1 is a str"):
        cxm.nps([9, "ten"])


def test_nan_and_none_are_missing_only_when_asked():
    with pytest.raises(cxm.CxmError, match="score at index 1 is missing"):
        cxm.nps(np.array([9.0, np.nan]))
    assert cxm.nps(np.array([9.0, np.nan]), missing="skip").n == 1
    assert cxm.nps([9, None, 0], missing="skip").score == 0.0


def test_weights_from_lists_and_arrays():
    scores = np.array([10, 9, 3, 7, 0, 9], dtype=np.uint8)
    weights = [3.0, 1, 1, 1, 1, 1]
    from_list = cxm.nps(scores, weights=weights)
    assert from_list.score == pytest.approx(37.5, abs=1e-12)
    assert from_list.effective_n == pytest.approx(64 / 14, abs=1e-12)
    assert cxm.nps(scores, weights=np.array(weights)).to_dict() == from_list.to_dict()
    assert cxm.nps(scores, weights=np.array(weights, dtype=np.float32)).to_dict() == from_list.to_dict()
    with pytest.raises(cxm.CxmError, match="^weight -1 at index 2 is not a finite, non-negative number$"):
        cxm.nps(scores, weights=[1, 1, -1, 1, 1, 1])


def test_large_input_releases_the_gil_and_is_thread_safe():
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 11, size=200_000, dtype=np.int64)
    expected = cxm.nps(scores.tolist()).to_dict()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cxm.nps(scores).to_dict())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_pandas_series_when_available():
    pd = pytest.importorskip("pandas")
    s = pd.Series([10, 9, None, 3], dtype="Int64")
    assert cxm.nps(s, missing="skip").to_dict() == cxm.nps([10, 9, 3]).to_dict()
    assert cxm.nps(pd.Series([10.0, 9.0, 3.0])).score == cxm.nps([10, 9, 3]).score


def test_polars_and_pyarrow_when_available():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    expected = cxm.nps([10, 9, 3]).to_dict()
    assert cxm.nps(pl.Series([10, 9, 3])).to_dict() == expected
    assert cxm.nps(pa.array([10, 9, 3], type=pa.int8())).to_dict() == expected
    assert cxm.nps(pl.Series([10, 9, None, 3]), missing="skip").to_dict() == expected
    assert cxm.nps(pa.array([10, 9, None, 3]), missing="skip").to_dict() == expected
