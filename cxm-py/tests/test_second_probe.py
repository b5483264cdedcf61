"""Regression tests for the second hostile probe and new user (issue 15), on the Python surface:
one test per finding, each failing on the code before its fix."""

import math
import re

import numpy as np
import pytest

import cxm


def raises(error, fragment, call, kind=None):
    with pytest.raises(error) as caught:
        call()
    assert fragment in str(caught.value), str(caught.value)
    if kind is not None:
        assert caught.value.kind == kind


def test_float_scores_on_scales_beyond_two_to_the_53_are_compared_exactly():
    # Item 1: PanicException (index out of bounds); a score above the maximum dropped; 2**63
    # accepted on a scale ending at 2**63 - 1; the sd of int64 scores doubled.
    raises(cxm.CxmError, "score 9007199254740992 at index 0 is outside",
           lambda: cxm.ces([9007199254740992.0], scale=(2**53 + 1, 2**53 + 3), threshold=2**53 + 2),
           kind="score_out_of_range")
    raises(cxm.CxmError, "at index 1 is outside",
           lambda: cxm.ces([float(-2**53 - 2), float(-2**53)], scale=(-2**53 - 3, -2**53 - 1),
                           threshold=-2**53 - 2), kind="score_out_of_range")
    raises(cxm.CxmError, "is outside",
           lambda: cxm.csat([float(2**63)], scale=(2**63 - 3, 2**63 - 1), threshold=2**63 - 1),
           kind="score_out_of_range")
    r = cxm.csat(np.array([2**53, 2**53 + 10], dtype=np.int64), scale=(2**53, 2**53 + 10), threshold=2**53 + 5)
    # Two answers 10 apart: sd = 10 / sqrt(2) (numpy: np.std([0, 10], ddof=1)).
    assert r.standard_deviation == pytest.approx(np.std([0, 10], ddof=1), rel=1e-12)


@pytest.mark.parametrize("dtype", ["int64", "float64", "int32"])
def test_misaligned_views_are_read(dtype):
    # Item 7: np.frombuffer(buf, offset=1) (as Dask partitions arrive) was refused.
    values = np.array([10, 9, 3, 7, 9], dtype=dtype)
    buffer = b"\0" + values.tobytes()
    view = np.frombuffer(buffer, dtype=dtype, offset=1)
    assert not view.flags.aligned
    assert cxm.nps(view).to_dict() == cxm.nps(values).to_dict()
    weights = np.frombuffer(b"\0" + np.ones(5).tobytes(), dtype="float64", offset=1)
    assert cxm.nps(values, weights=weights).to_dict() == cxm.nps(values, weights=np.ones(5)).to_dict()


def test_bools_are_not_counts_and_huge_ints_are_typed_errors():
    # Item 8: bools were accepted as counts; item 10: rate_interval(10**400, 1) raised a bare
    # OverflowError.
    raises(TypeError, "is a bool", lambda: cxm.churn(lost=True, customers_at_start=2))
    raises(TypeError, "is a bool", lambda: cxm.ncvg(new_count=True, new_value=0, lost_count=0, lost_value=0))
    raises(TypeError, "is a bool", lambda: cxm.rate_interval(True, 1))
    raises(TypeError, "is a bool", lambda: cxm.proportion_interval(1, np.bool_(True)))
    raises(cxm.CxmError, "count inf is outside the supported range", lambda: cxm.rate_interval(10**400, 1),
           kind="outside_supported_range")
    raises(cxm.CxmError, "exposure -inf", lambda: cxm.rate_interval(1, -10**400), kind="outside_supported_range")


def test_churn_past_two_to_the_53_is_refused_not_rounded():
    # Item 8: customers_at_start = 2**53 + 1 was rounded to 2**53 and given an interval.
    c = cxm.churn(lost=1, customers_at_start=2**53 + 1)
    raises(cxm.CxmError, "customers_at_start is 9007199254740993", c.interval, kind="invalid_customer_count")


def test_a_longdouble_that_a_double_would_round_is_not_a_score():
    # Item 8: a longdouble 9 + 2**-60 was read as the score 9.
    if np.finfo(np.longdouble).nmant <= 52:
        pytest.skip("longdouble is a double on this platform")
    scores = np.array([9, 9], dtype=np.longdouble)
    scores[1] += np.longdouble(2) ** -60
    raises(cxm.CxmError, "at index 1 is not a whole number", lambda: cxm.nps(scores), kind="not_whole_score")
    assert cxm.nps(np.array([9, 0], dtype=np.longdouble)).to_dict() == cxm.nps([9, 0]).to_dict()


def test_a_skipped_response_s_weight_is_not_read():
    # Item 12: weights=[1.0, nan, 2.0] with the score at index 1 missing and skipped.
    got = cxm.nps([9, None, 0], weights=[1.0, math.nan, 2.0], missing="skip")
    assert got.to_dict() == cxm.nps([9, 0], weights=[1.0, 2.0]).to_dict()
    raises(cxm.CxmError, "weight NaN at index 1", lambda: cxm.nps([9, 7, 0], weights=[1.0, math.nan, 2.0],
                                                                     missing="skip"), kind="invalid_weight")


def test_the_churn_conversions_are_in_python():
    # Item 15: annual_from_monthly / monthly_from_annual existed in the core only.
    assert cxm.annual_from_monthly(0.02) == pytest.approx(1 - 0.98**12, rel=1e-15)
    assert cxm.monthly_from_annual(cxm.annual_from_monthly(0.02)) == pytest.approx(0.02, rel=1e-15)
    raises(cxm.CxmError, "monthly churn", lambda: cxm.annual_from_monthly(1.5), kind="outside_supported_range")


def test_compare_nps_reads_raw_scores_with_missing():
    # Item 15: compare_nps on raw lists had no missing=.
    a, b = [10, 9, None, 3], [9, 8, 7, 1]
    raises(cxm.CxmError, "index 2", lambda: cxm.compare_nps(a, b), kind="missing_score")
    got = cxm.compare_nps(a, b, missing="skip")
    assert got.to_dict() == cxm.compare_nps(cxm.nps([10, 9, 3]), cxm.nps(b)).to_dict()


DAY = 86_400


def test_masked_records_are_missing():
    # Item 2: customer_flow used masked starts, ends and values as data.
    starts = np.ma.masked_array([0, 0, 0], mask=[0, 0, 0])
    ends = np.ma.masked_array([5 * DAY, 40 * DAY, 5 * DAY], mask=[0, 0, 1])  # the third: open
    got = cxm.customer_flow(starts, ends, window_start=DAY, window_end=30 * DAY)
    want = cxm.customer_flow([0, 0, 0], [5 * DAY, 40 * DAY, None], window_start=DAY, window_end=30 * DAY)
    assert got == want and got.lost == 1
    masked_start = np.ma.masked_array([0, 0], mask=[0, 1])
    raises(cxm.CxmError, "record at index 1 has no start time",
           lambda: cxm.customer_flow(masked_start, window_start=DAY, window_end=30 * DAY), kind="invalid_record")
    values = np.ma.masked_array([100, 200], mask=[0, 1])
    raises(cxm.CxmError, "record at index 1 has a missing (masked) value",
           lambda: cxm.customer_flow([0, 0], values=values, window_start=DAY, window_end=30 * DAY),
           kind="invalid_record")


@pytest.mark.parametrize("ids, customers", [
    ([1, "1", 2], 3),
    (["None", 3, "x"], 3),
    ([2**53, 2**53 + 1, 0.5], 3),
    ([1, 1.0, 2], 2),  # equal by ==, with or without a None elsewhere
])
def test_customer_ids_compare_by_value(ids, customers):
    # Item 3: ids in object columns were grouped by str(): 1 and "1" one customer, 2**53 and
    # 2**53 + 1 too; whether 1 and 1.0 were one depended on a None elsewhere.
    flow = cxm.customer_flow([0] * len(ids), customers=np.array(ids, dtype=object),
                             window_start=DAY, window_end=2 * DAY)
    assert flow.customers_at_start == customers


@pytest.mark.parametrize("missing", [None, float("nan"), np.datetime64("NaT")])
def test_a_missing_customer_id_is_an_error(missing):
    # Item 3: every missing id became one customer.
    raises(cxm.CxmError, "record at index 1 has no customer id",
           lambda: cxm.customer_flow([0, 0, 0], customers=[7, missing, 8], window_start=DAY, window_end=2 * DAY),
           kind="invalid_record")


def test_window_ends_that_are_missing_or_too_large_are_typed_errors():
    # Item 10: window_start=None or NaT read as -9223372036854775808; 2**63 raised a bare
    # OverflowError; customer_flow([], []) said "not float64".
    for missing in (None, np.datetime64("NaT")):
        raises(cxm.CxmError, "window_start is missing",
               lambda: cxm.customer_flow([0], window_start=missing, window_end=DAY), kind="invalid_window")
    raises(cxm.CxmError, "window_start 9223372036854775808 is outside",
           lambda: cxm.customer_flow([0], window_start=2**63, window_end=DAY), kind="invalid_window")
    raises(TypeError, "is a bool", lambda: cxm.customer_flow([0], window_start=True, window_end=DAY))
    raises(cxm.CxmError, "no customer is active at the window start 1970-01-02",
           lambda: cxm.customer_flow([], [], window_start=DAY, window_end=2 * DAY), kind="no_customers_at_risk")


def test_realistic_pandas_and_pyarrow_columns_are_read():
    # Item 4: string / string[pyarrow] ends and pd.NA in an object column raised "boolean value
    # of NA is ambiguous"; a pyarrow array with a null ArrowInvalid; date32[pyarrow]
    # NotImplementedError; Int64 seconds with NA "not float64"; UInt64 ids were refused.
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    import datetime as dt
    window = {"window_start": "2026-01-15", "window_end": "2026-02-15"}
    starts = pd.Series(["2026-01-01", "2026-01-02"])
    want = cxm.customer_flow(starts, [np.datetime64("2026-02-01"), None], **window)
    assert want.lost == 1
    for dtype in ("string", "string[pyarrow]"):
        assert cxm.customer_flow(starts, pd.Series(["2026-02-01", None], dtype=dtype), **window) == want
    ends = pd.Series([dt.datetime(2026, 2, 1), pd.NA], dtype=object)
    assert cxm.customer_flow(starts, ends, **window) == want
    dates = pd.Series([dt.date(2026, 1, 1), dt.date(2026, 1, 2)], dtype="date32[pyarrow]")
    assert cxm.customer_flow(dates, ends, **window) == want
    seconds = {"window_start": DAY, "window_end": 30 * DAY}
    want = cxm.customer_flow([0, 0], [5 * DAY, None], **seconds)
    assert cxm.customer_flow(pa.array([0, 0]), pa.array([5 * DAY, None]), **seconds) == want
    assert cxm.customer_flow(pd.Series([0, 0]), pd.Series([5 * DAY, None], dtype="Int64"), **seconds) == want
    ids = pd.Series([1, 2**64 - 1], dtype="UInt64")
    assert cxm.customer_flow([0, 0], customers=ids, **seconds).customers_at_start == 2


def test_datetimes_past_int64_seconds_and_bad_dates_name_their_index():
    # Item 8: datetime64[D] / [Y] past the int64-seconds range wrapped into negative seconds;
    # item 10: a bad date string named neither its value nor its index.
    window = {"window_start": DAY, "window_end": 30 * DAY}
    days = np.array(["2000-01-01", "200000000000000-01-01"], dtype="datetime64[D]")
    raises(cxm.CxmError, "starts at index 1 (200000000000000-01-01) does not fit int64 seconds",
           lambda: cxm.customer_flow(days, **window), kind="value_overflow")
    years = np.array([2000, 2**62], dtype="datetime64[Y]")
    raises(cxm.CxmError, "starts at index 1", lambda: cxm.customer_flow(years, **window), kind="value_overflow")
    raises(TypeError, "starts at index 1 ('2026-13-45') is not a datetime",
           lambda: cxm.customer_flow(["2026-01-01", "2026-13-45"], **window))
    raises(TypeError, "starts at index 0 is a bool",
           lambda: cxm.customer_flow(np.array([True, 0], dtype=object), **window))


def test_help_says_what_nps_and_churn_return_and_the_bases():
    # Item 15: help(cxm.nps) / help(cxm.churn) said neither what they return nor the bases.
    assert "Returns an `NpsResult`" in cxm.nps.__doc__
    assert "Returns a `ChurnResult`" in cxm.churn.__doc__
    # The bases and methods named are the core's: its own refusal lists them.
    for wrong, call in [("basis", lambda: cxm.churn(lost=1, customers_at_start=2, basis="?")),
                        ("start", lambda: cxm.churn(lost=1, customers_at_start=2).interval(method="exact")),
                        ("average", lambda: cxm.churn(lost=1, customers_at_start=2, customers_at_end=2,
                                                      basis="average").interval(method="wilson"))]:
        with pytest.raises(cxm.CxmError) as caught:
            call()
        names = re.split(r"one of |its methods: ", str(caught.value))[-1].rstrip(")").split(", ")
        assert len(names) >= 2, str(caught.value)
        for name in names:
            assert re.search(rf"\b{name}\b", cxm.churn.__doc__), (wrong, name)


def test_an_nps_dict_carries_its_interval():
    # Item 15: to_dict() of an NPS left out any interval.
    r = cxm.nps_from_counts(50, 30, 20)
    d = r.to_dict()
    assert (d["lower"], d["upper"]) == r.confidence_interval() and d["level"] == 0.95
    d = r.to_dict(level=0.9, method="wald")
    assert (d["lower"], d["upper"]) == r.confidence_interval(0.9, "wald")


def test_errors_give_the_position_and_the_pandas_label():
    # Item 15: errors gave positions only, and CxmError had no .index.
    pd = pytest.importorskip("pandas")
    scores = pd.Series([9, 10, 11], index=["r1", "r2", "r3"])
    with pytest.raises(cxm.CxmError) as caught:
        cxm.nps(scores)
    err = caught.value
    assert (err.index, err.label) == (2, "r3")
    assert str(err) == "score 11 at index 2 (label 'r3') is outside 0..=10"
    weights = pd.Series([1.0, -1.0, 1.0], index=pd.date_range("2026-01-01", periods=3))
    with pytest.raises(cxm.CxmError) as caught:
        cxm.csat(pd.Series([5, 4, 3], index=weights.index), weights=weights)
    assert caught.value.index == 1 and caught.value.label == pd.Timestamp("2026-01-02")
    # A default index, or a list: the position only.
    with pytest.raises(cxm.CxmError) as caught:
        cxm.nps(pd.Series([9, 11]))
    assert (caught.value.index, caught.value.label, str(caught.value)) == (1, None, "score 11 at index 1 is outside 0..=10")
    with pytest.raises(cxm.CxmError) as caught:
        cxm.nps([])
    assert caught.value.index is None


def test_flow_windows_are_datetimes_in_python():
    # Item 15: customer_flow results reported window times as epoch seconds only.
    import datetime as dt
    flow = cxm.customer_flow(["2025-12-01"], window_start="2026-01-01", window_end="2026-02-01T12:00:00")
    utc = dt.timezone.utc
    assert flow.window_start_datetime == dt.datetime(2026, 1, 1, tzinfo=utc)
    assert flow.window_end_datetime == dt.datetime(2026, 2, 1, 12, tzinfo=utc)
    assert flow.window_start == 1_767_225_600  # the seconds stay (date -d 2026-01-01 +%s)
    far = cxm.customer_flow([0], window_start=1, window_end=2**62)
    raises(cxm.CxmError, "outside the supported range", lambda: far.window_end_datetime,
           kind="outside_supported_range")


@pytest.mark.parametrize("count, exposure, level, method", [
    (0, 1, 1e-300, "sqrt_anscombe"),  # was (0.0, -5.6e-17): lower above upper
    (1, 1e-160, 0.95, "wald"),        # was (0, inf) where the interval is finite
    (0, 1e-300, 0.95, "wald_ccv"),    # was an infinite upper limit
])
def test_rate_intervals_at_extreme_exposures_are_finite_and_ordered(count, exposure, level, method):
    # Item 6 (the C fuzzer hit the first 2,524 times).
    lower, upper = cxm.rate_interval(count, exposure, level, method)
    assert math.isfinite(lower) and math.isfinite(upper) and 0 <= lower <= upper


def test_a_rate_interval_no_double_holds_is_refused():
    # Item 6: Jeffreys at (0, 5e-324) gave (inf, inf).
    raises(cxm.CxmError, "exposure 5e-324 is outside the supported range",
           lambda: cxm.rate_interval(0, 5e-324, 0.95, "jeffreys"), kind="outside_supported_range")
