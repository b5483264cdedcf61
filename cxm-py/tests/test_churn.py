"""Churn, Poisson-rate intervals, customer flows and NCVG through the Python surface: the
shared vectors (testdata/churn.json, bit for bit with Rust and C), the contract's names, the
column types a notebook hands over, and the refusals."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxm
from conftest import Bits, close, load

DOC = load("churn")
FLOW_FIELDS = [
    "customers_at_start", "customers_at_end", "gained", "lost", "exposure_months",
    "churn_by_exposure", "value_at_start", "value_at_end", "new_value", "lost_value",
    "expansion", "contraction", "gross_revenue_churn", "gross_revenue_retention",
    "net_revenue_retention",
]


def test_rate_intervals_match_the_vectors():
    bits = Bits()
    for i, c in enumerate(DOC["rate_intervals"]):
        lo, hi = cxm.rate_interval(c["count"], c["exposure"], c["level"], c["method"])
        for got, want in ((lo, c["lower"]), (hi, c["upper"])):
            assert abs(got - want) <= DOC["tolerance"] * abs(want) + 1e-300, (c, got)
        bits.line(f"rate {i}", lo, hi)
    bits.save("rates")


def test_churn_matches_the_vectors():
    bits = Bits()
    for i, c in enumerate(DOC["churn"]):
        r = cxm.churn(lost=c["lost"], customers_at_start=c["customers_at_start"],
                      customers_at_end=c["customers_at_end"], basis=c["basis"])
        assert (r.rate, r.retention, r.growth, r.basis) == (c["rate"], c["retention"], c["growth"], c["basis"])
        bits.line(f"churn {i}", r.rate, r.retention, math.nan if r.growth is None else r.growth)
        for iv in c["intervals"]:
            lo, hi = r.interval(iv["level"], iv["method"])
            assert close(lo, iv["lower"], 1e-9) and close(hi, iv["upper"], 1e-9), (c, iv)
            bits.line(f"churn {i} {iv['method']}@{iv['level']}", lo, hi)
    bits.save("churn")


def test_flows_match_the_vectors():
    bits = Bits()
    for i, c in enumerate(DOC["flows"]):
        ends = None if c["ends"] is None else [np.iinfo(np.int64).min if e is None else e for e in c["ends"]]
        f = cxm.customer_flow(np.array(c["starts"]), None if ends is None else np.array(ends),
                              window_start=c["window_start"], window_end=c["window_end"],
                              values=c["values"], customers=c["customers"])
        for field, want in c["expected"].items():
            got = getattr(f, field)
            if isinstance(want, str):
                assert math.isnan(got) and want == "nan", (c["name"], field)
            elif isinstance(want, float):
                assert close(got, want, 1e-15), (c["name"], field, got, want)
            else:
                assert got == want, (c["name"], field)
        bits.line(f"flow {i}", *(float(getattr(f, k)) for k in FLOW_FIELDS))
        for iv in c["intervals"]:
            lo, hi = f.churn_by_exposure_interval(iv["level"], iv["method"])
            assert close(lo, iv["lower"], 1e-9) and close(hi, iv["upper"], 1e-9)
            bits.line(f"flow {i} {iv['method']}@{iv['level']}", lo, hi)
        g = f.ncvg()
        bits.line(f"flow {i} ncvg", float(g.net_count), float(g.net_value))
    bits.save("flows")


def test_ncvg_is_exact_and_int():
    for c in DOC["ncvg"]:
        g = cxm.ncvg(new_count=c["new_count"], new_value=c["new_value"],
                     lost_count=c["lost_count"], lost_value=c["lost_value"])
        assert (g.net_count, g.net_value) == (c["net_count"], c["net_value"])
        assert all(type(v) is int for v in g.to_dict().values())


@pytest.mark.parametrize("kwargs, kind", [
    (dict(lost=11, customers_at_start=10), "invalid_customer_count"),
    (dict(lost=-1, customers_at_start=10), "invalid_customer_count"),
    (dict(lost=0, customers_at_start=0), "invalid_customer_count"),
    (dict(lost=1, customers_at_start=10, customers_at_end=-5), "invalid_customer_count"),
    (dict(lost=1, customers_at_start=10, basis="average"), "missing_input"),
    (dict(lost=1, customers_at_start=2**64), "value_overflow"),
    (dict(lost=1, customers_at_start=10, basis="end"), "unknown_name"),
])
def test_bad_churn_counts_raise(kwargs, kind):
    with pytest.raises(cxm.CxmError) as e:
        cxm.churn(**kwargs)
    assert e.value.kind == kind


def test_each_basis_takes_its_own_methods():
    start = cxm.churn(lost=5, customers_at_start=100)
    # A method of the other basis is "not for this basis", not unknown (issue 15, item 10).
    with pytest.raises(cxm.CxmError, match="the method exact is not available for churn on the start basis \\(its methods: wilson,"):
        start.interval(method="exact")
    with pytest.raises(cxm.CxmError, match="unknown proportion interval method \"exakt\""):
        start.interval(method="exakt")
    average = cxm.churn(lost=5, customers_at_start=100, customers_at_end=100, basis="average")
    assert average.rate == 0.05 and average.interval(method="score")[0] > 0


def test_ncvg_overflow_and_negatives_raise():
    with pytest.raises(cxm.CxmError) as e:
        cxm.ncvg(new_count=1, new_value=2**63, lost_count=0, lost_value=0)
    assert e.value.kind == "value_overflow" and "9223372036854775808" in str(e.value)
    with pytest.raises(cxm.CxmError, match="lost_count is -2"):
        cxm.ncvg(new_count=1, new_value=0, lost_count=-2, lost_value=0)


STARTS = ["2025-11-03", "2025-12-20", "2026-01-10", "2025-10-01"]
ENDS = [None, "2026-01-15", None, "2026-02-01"]
WINDOW = dict(window_start=dt.datetime(2026, 1, 1), window_end=dt.datetime(2026, 2, 1))


def expected_flow():
    s = np.array(STARTS, dtype="datetime64[s]")
    e = np.array([np.datetime64("NaT") if x is None else x for x in ENDS], dtype="datetime64[s]")
    return cxm.customer_flow(s, e, values=[100, 250, 80, 40], **WINDOW)


@pytest.mark.parametrize("make", [
    lambda: (np.array(STARTS, dtype="datetime64[D]"), np.array(["NaT" if x is None else x for x in ENDS], dtype="datetime64[ns]")),
    lambda: (pd.Series(pd.to_datetime(STARTS)), pd.Series(pd.to_datetime(ENDS))),
    lambda: (pl.Series(STARTS).str.to_datetime("%Y-%m-%d"), pl.Series(ENDS).str.to_datetime("%Y-%m-%d")),
    lambda: ([dt.datetime.fromisoformat(x) for x in STARTS],
             [None if x is None else dt.datetime.fromisoformat(x) for x in ENDS]),
], ids=["numpy", "pandas", "polars", "datetime list"])
def test_datetime_columns_of_every_kind_give_the_same_flow(make):
    starts, ends = make()
    f = cxm.customer_flow(starts, ends, values=np.array([100, 250, 80, 40]), **WINDOW)
    assert f == expected_flow()
    assert (f.customers_at_start, f.lost, f.gained) == (3, 2, 1)


def test_timezone_aware_columns_are_read_in_utc():
    starts = pd.Series(pd.to_datetime(STARTS)).dt.tz_localize("Europe/Paris")
    ends = pd.Series(pd.to_datetime(ENDS)).dt.tz_localize("Europe/Paris")  # with NaT
    aware = cxm.customer_flow(starts, ends, values=[100, 250, 80, 40], **WINDOW)
    shifted = cxm.customer_flow(
        (starts.dt.tz_convert("UTC").dt.tz_localize(None)).to_numpy(),
        (ends.dt.tz_convert("UTC").dt.tz_localize(None)).to_numpy(),
        values=[100, 250, 80, 40], **WINDOW)
    assert aware == shifted
    as_objects = [None if x is pd.NaT else x.to_pydatetime() for x in ends]
    assert cxm.customer_flow(list(starts), as_objects, values=[100, 250, 80, 40], **WINDOW) == aware


def test_customer_ids_of_any_type_group_subscriptions():
    by_int = cxm.customer_flow([0, 0, 2], [5, None, None], window_start=1, window_end=9, customers=[7, 7, 8])
    by_str = cxm.customer_flow([0, 0, 2], [5, None, None], window_start=1, window_end=9,
                               customers=pd.Series(["a", "a", "b"]))
    assert by_int == by_str and by_int.customers_at_start == 1 and by_int.gained == 1


def test_bad_records_are_named():
    with pytest.raises(cxm.CxmError, match="record at index 1 ends at 1970-01-01T00:00:03Z before it starts at 1970-01-01T00:00:04Z"):
        cxm.customer_flow([0, 4], [None, 3], window_start=1, window_end=9)
    with pytest.raises(cxm.CxmError) as e:
        cxm.customer_flow([5], window_start=1, window_end=9)
    assert e.value.kind == "no_customers_at_risk"
    with pytest.raises(TypeError, match="values must hold integers"):
        cxm.customer_flow([0], window_start=1, window_end=9, values=[1.5])
    with pytest.raises(cxm.CxmError) as e:
        cxm.customer_flow([0], window_start=9, window_end=1)
    assert e.value.kind == "invalid_window"
