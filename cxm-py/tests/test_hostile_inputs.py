"""Regression tests for a hostile tester's findings on the Python surface: every bad input gets
a clear, typed error, and no input is silently misread. One test per finding."""

import threading

import numpy as np
import pytest

import cxm


def raises(error, fragment, call, kind=None):
    """Asserts that call() raises `error` whose message contains `fragment` (and, for a
    CxmError, whose kind is `kind`)."""
    with pytest.raises(error) as caught:
        call()
    assert fragment in str(caught.value)
    if kind is not None:
        assert caught.value.kind == kind


# 1. A masked array's mask was ignored: masked entries are missing values.


def test_masked_scores_are_missing_values():
    scores = np.ma.masked_array([9, 9, 0], mask=[0, 0, 1])
    assert cxm.nps(scores, missing="skip").to_dict() == cxm.nps([9, 9]).to_dict()
    assert cxm.nps(scores, missing="skip").score == 100.0
    raises(cxm.CxmError, "score at index 2 is missing", lambda: cxm.nps(scores), kind="missing_score")
    # A float array's NaN and a mask mean the same; no entry masked reads the data as is.
    floats = np.ma.masked_array([9.0, np.nan, 0.0], mask=[0, 0, 1])
    assert cxm.nps(floats, missing="skip").n == 1
    assert cxm.nps(np.ma.masked_array([9, 9, 0])).to_dict() == cxm.nps([9, 9, 0]).to_dict()
    assert cxm.csat(np.ma.masked_array([5, 1], mask=[0, 1]), missing="skip").share == 1.0


def test_masked_weight_is_an_invalid_weight_naming_its_index():
    # A masked weight counts as NaN: refused at its index where the score is scored.
    weights = np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 0, 1])
    raises(cxm.CxmError, "at index 2", lambda: cxm.nps([9, 9, 0], weights=weights), kind="invalid_weight")
    # Issue 15, item 12: a skipped response's weight is not read, masked or NaN.
    assert cxm.nps([9, 9, None], weights=weights, missing="skip").n == 2
    assert cxm.nps([9, None, 0], weights=[1.0, float("nan"), 2.0], missing="skip").score == cxm.nps(
        [9, 0], weights=[1.0, 2.0]).score


# 2. Big-endian, float16, bool, strided and 2-D arrays.


@pytest.mark.parametrize("dtype", [">i8", ">u4", ">i2", ">f8", ">f4", "float16", "longdouble"])
def test_other_byte_orders_and_float_widths_are_converted(dtype):
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 5]
    assert cxm.nps(np.array(scores, dtype=dtype)).to_dict() == cxm.nps(scores).to_dict()
    assert cxm.nps([9] * 10, weights=np.array(scores, dtype=dtype)).effective_n == cxm.nps(
        [9] * 10, weights=scores).effective_n


def test_float16_still_checks_whole_numbers():
    raises(cxm.CxmError, "score 9.5 at index 0 is not a whole number",
           lambda: cxm.nps(np.array([9.5], dtype=np.float16)), kind="not_whole_score")


@pytest.mark.parametrize("scores, fragment", [
    (np.array([True, False]), "bool scores are not scores"),
    (np.ma.masked_array([True, False], mask=[0, 1]), "bool scores are not scores"),
    ([True, 9], "score at index 0 is a bool (True), not a number"),
    ([9, np.True_], "score at index 1 is a bool"),
])
def test_bool_scores_are_refused(scores, fragment):
    raises(TypeError, fragment, lambda: cxm.nps(scores))


def test_bool_weights_are_refused():
    raises(TypeError, "bool weights are not weights", lambda: cxm.nps([9, 9], weights=np.array([True, False])))


@pytest.mark.parametrize("view", [slice(None, None, 2), slice(None, None, -1), slice(1, None, 3)])
def test_strided_arrays_are_read_as_their_elements(view):
    scores = np.array([10, 0, 9, 5, 7, 7, 3, 10, 8], dtype=np.int32)[view]
    weights = np.linspace(1, 2, 9)[view]
    assert not scores.flags.c_contiguous
    assert cxm.nps(scores).to_dict() == cxm.nps(scores.tolist()).to_dict()
    assert cxm.nps(scores, weights=weights).to_dict() == cxm.nps(scores.tolist(), weights=weights.tolist()).to_dict()


@pytest.mark.parametrize("scores, fragment", [
    (np.zeros((2, 2), dtype=np.int64), "but this ndarray is 2-dimensional (shape (2, 2))"),
    (np.zeros((3, 1)), "2-dimensional (shape (3, 1))"),
    (9, "but this int is 0-dimensional"),
    ({9, 10}, "but this set is 0-dimensional"),
    (np.array([1j]), "scores must be integers or floats; got dtype complex128"),
])
def test_not_one_dimensional_numbers_are_type_errors(scores, fragment):
    raises(TypeError, fragment, lambda: cxm.nps(scores))
    raises(TypeError, fragment.replace("scores", "weights"), lambda: cxm.nps([9], weights=scores))


# 3. A generator said "float() argument must be ...": iterators are read like lists.


def test_iterators_are_read_like_lists():
    expected = cxm.nps([9, 10, 0, None], missing="skip").to_dict()
    assert cxm.nps((x for x in [9, 10, 0, None]), missing="skip").to_dict() == expected
    assert cxm.nps(iter([9, 10, 0, None]), missing="skip").to_dict() == expected
    assert cxm.nps(map(int, "9 10 0".split())).to_dict() == cxm.nps([9, 10, 0]).to_dict()
    assert cxm.nps([9, 0], weights=(w for w in [1, 3])).score == cxm.nps([9, 0], weights=[1, 3]).score
    assert cxm.compare_nps((x for x in [9, 0]), iter([10, 10])).difference == -100.0
    raises(TypeError, "score at index 1 is a str ('x'), not a number", lambda: cxm.nps(x for x in [9, "x"]))


# 4. 10**400 said "is a int, not a number".


@pytest.mark.parametrize("value, index", [(10**400, 0), (-(10**400), 1)])
def test_an_int_too_large_for_a_float_is_out_of_range(value, index):
    scores = [value, 9] if index == 0 else [9, value]
    raises(cxm.CxmError, f"score at index {index} ({str(value)[:12]}", lambda: cxm.nps(scores),
           kind="score_out_of_range")
    raises(cxm.CxmError, "does not fit in a float", lambda: cxm.csat(scores), kind="score_out_of_range")
    raises(cxm.CxmError, "weight at index 0 (10000", lambda: cxm.nps([9], weights=[10**400]), kind="invalid_weight")


@pytest.mark.parametrize("scores", [[2**64], [2**63], [-(2**64)], np.array([2**64 - 1], dtype=np.uint64)])
def test_large_ints_are_simply_out_of_range(scores):
    raises(cxm.CxmError, "at index 0 is outside 0..=10", lambda: cxm.nps(scores), kind="score_out_of_range")


# 5. resamples, draws and seed out of the core's u32/u64 raised OverflowError.


@pytest.mark.parametrize("method, argument, value, kind, fragment", [
    ("bootstrap", "resamples", -1, "invalid_simulation_size", "-1 resamples: need 2 to 10000000"),
    ("bootstrap", "resamples", 2**32, "invalid_simulation_size", "4294967296 resamples: need 2 to 10000000"),
    ("bootstrap", "resamples", 10**400, "invalid_simulation_size", "resamples: need 2 to 10000000"),
    ("bayesian", "draws", -1, "invalid_simulation_size", "-1 posterior draws: need 2 to 10000000"),
    ("bayesian", "draws", 2**32, "invalid_simulation_size", "4294967296 posterior draws"),
    ("bootstrap", "seed", -1, "outside_supported_range", "seed -1 is outside the supported range: a whole number in 0..=2^64 - 1"),
    ("bayesian", "seed", 2**64, "outside_supported_range", "seed 1.8446744073709552e19 is outside the supported range"),
])
def test_simulation_arguments_out_of_range_are_cxm_errors(method, argument, value, kind, fragment):
    r = cxm.nps_from_counts(50, 30, 20)
    raises(cxm.CxmError, fragment, lambda: r.confidence_interval(0.95, method, **{argument: value}), kind=kind)
    # The largest seed is a seed; a float is still not an int.
    assert r.confidence_interval(0.95, method, seed=2**64 - 1, resamples=100, draws=100)
    raises(TypeError, "cannot be interpreted as an integer", lambda: r.confidence_interval(0.95, method, **{argument: 1.5}))


@pytest.mark.parametrize("call, kind, fragment", [
    (lambda: cxm.nps_from_counts(-1, 0, 0), "outside_supported_range", "count -1 is outside the supported range"),
    (lambda: cxm.nps_from_counts(0, 2**64, 0), "outside_supported_range", "count 1.8446744073709552e19 is outside"),
    (lambda: cxm.csat([1], scale=(0, 2**64)), "outside_supported_range", "scale bound 1.8446744073709552e19 is outside the supported range: a 64-bit integer"),
    (lambda: cxm.ces([1], threshold=-(2**63) - 1), "outside_supported_range", "threshold -9.223372036854776e18 is outside"),
])
def test_other_int_arguments_out_of_range_are_cxm_errors(call, kind, fragment):
    raises(cxm.CxmError, fragment, call, kind=kind)


# 6. A RatingResult where an NpsResult is expected said "float() argument ...".


@pytest.mark.parametrize("call, fragment", [
    (lambda r, n: cxm.compare_nps(r, n), "compare_nps expects two NpsResult (or scores), got RatingResult"),
    (lambda r, n: cxm.compare_nps(n, r), "compare_nps expects two NpsResult (or scores), got RatingResult"),
    (lambda r, n: cxm.compare_nps(n, cxm.compare_nps(n, n)), "got ComparisonResult"),
    (lambda r, n: cxm.nps_vs_benchmark(r, 10), "nps_vs_benchmark expects an NpsResult (or scores), got RatingResult"),
    (lambda r, n: cxm.compare_means(n, r), "compare_means expects two RatingResult, got NpsResult"),
    (lambda r, n: cxm.compare_means(r, [1, 2, 3]), "compare_means expects two RatingResult, got list"),
])
def test_a_result_of_the_wrong_class_is_a_type_error(call, fragment):
    rating, nps = cxm.csat([1, 5, 4]), cxm.nps_from_counts(5, 3, 2)
    raises(TypeError, fragment, lambda: call(rating, nps))


# 7. Strings were parsed as numbers from a pandas Series but refused from a list.


@pytest.mark.parametrize("make", [list, tuple, iter, np.array, "Series", "object Series"])
def test_strings_are_refused_from_every_input(make):
    if isinstance(make, str):
        pd = pytest.importorskip("pandas")
        dtype = object if make == "object Series" else None
        make = lambda values: pd.Series(values, dtype=dtype)  # noqa: E731
    for call in (cxm.nps, cxm.csat, lambda v: cxm.nps([9, 9], weights=v)):
        with pytest.raises(TypeError) as caught:
            call(make(["9", "10"]))
        message = str(caught.value)
        assert "at index 0 is a str" in message and "'9'" in message and "not a number" in message
    if make is not np.array:  # which would make the 9 a str as well
        raises(TypeError, "score at index 1 is a str ('ten'), not a number", lambda: cxm.nps(make([9, "ten"])))


def test_pandas_numbers_and_missing_values_keep_working():
    pd = pytest.importorskip("pandas")
    expected = cxm.nps([10, 9, 3]).to_dict()
    for series in [pd.Series([10, 9, None, 3], dtype="Int64"), pd.Series([10.0, 9.0, None, 3.0], dtype="Float64"),
                   pd.Series([10, 9.0, None, 3], dtype=object), pd.Series([10, 9, pd.NA, 3], dtype=object)]:
        assert cxm.nps(series, missing="skip").to_dict() == expected, series.dtype
        raises(cxm.CxmError, "score at index 2 is missing", lambda: cxm.nps(series), kind="missing_score")
    assert cxm.nps([10, 9, pd.NA, 3], missing="skip").to_dict() == expected
    raises(TypeError, "score at index 0 is a bool", lambda: cxm.nps(pd.Series([True, None], dtype="boolean")))


# 8. Threads: large inputs release the GIL; results must not depend on what runs alongside.


def summary(scores, ratings, weights):
    """Every float of a set of computations, as bits (float.hex), so that == is bitwise."""
    r = cxm.nps(scores, missing="skip")
    w = cxm.nps(scores, weights=weights, missing="skip")
    c = cxm.csat(ratings)
    values = [*r.to_dict().values(), *w.to_dict().values(), c.share, c.mean, c.standard_deviation,
              *r.confidence_interval(0.95, "adjusted_wald"),
              *r.confidence_interval(0.9, "bootstrap", resamples=5000, seed=11),
              *w.confidence_interval(0.95, "bayesian", draws=20000, seed=12, prior=(0.5, 0.5, 0.5)),
              *cxm.compare_nps(r, w).to_dict()["interval"], cxm.compare_nps(ratings[::2], ratings[1::2]).p_value]
    return [float(v).hex() for v in values]


def test_threads_give_bitwise_the_single_threaded_results():
    rng = np.random.default_rng(2024)
    data = []
    for size in (16_385, 40_000, 100_000, 250_000):
        scores = rng.integers(0, 11, size=size).astype(np.float64)
        scores[rng.random(size) < 0.01] = np.nan
        data.append((scores, rng.integers(1, 6, size=size, dtype=np.int16), rng.random(size) + 0.5))
    expected = [summary(*d) for d in data]
    failures = []

    def work(thread):
        for round in range(6):
            which = (thread + round) % len(data)
            if summary(*data[which]) != expected[which]:
                failures.append((thread, round, which))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
