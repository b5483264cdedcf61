"""cxm.durations against the references the core is held to (R's survival for Kaplan–Meier,
numpy and scipy for percentiles with no case open; testdata/survival.json and durations.json),
and its Python side: inputs, flags, results, pickling, the curve's table and chart."""

import json
import pickle

import numpy as np
import pandas as pd
import pytest

import cxm
from conftest import ROOT

SURVIVAL = json.loads((ROOT / "testdata" / "survival.json").read_text())
DURATIONS = json.loads((ROOT / "testdata" / "durations.json").read_text())


def close(got, want, tolerance=1e-13):
    if want is None:
        return got is None or got != got
    if want == "inf":
        return got == float("inf")
    return abs(got - want) <= tolerance * max(abs(want), 1.0)


# With no case open and no weights, durations gives the sample percentiles (below): the
# curve's own are held to R in cxm-core/tests/survival.rs.
@pytest.mark.parametrize("case", [c for c in SURVIVAL["cases"] if "times" in c["input"]
                                  and (any(c["input"]["open"]) or c["input"]["weights"])], ids=lambda c: c["name"])
def test_kaplan_meier_is_rs(case):
    data = case["input"]
    for r in case["r"]:
        result = cxm.durations(data["times"], open=data["open"], weights=data["weights"],
                               percentiles=[p["percent"] for p in r["percentiles"]], level=r["level"],
                               conf_type=r["transform"])
        curve = result.survival.columns
        assert len(curve["time"]) == len(r["curve"]["time"])
        for i, t in enumerate(r["curve"]["time"]):
            assert curve["time"][i] == t
            assert close(curve["survival"][i], r["curve"]["surv"][i], 1e-15)
            if curve["survival"][i] < 1:  # R's log-log band is NA where the curve is 1
                assert close(curve["lower"][i], r["curve"]["lower"][i])
                assert close(curve["upper"][i], r["curve"]["upper"][i])
        for got, want in zip(result.percentiles, r["percentiles"]):
            assert (got.estimate, got.lower, got.upper) == (want["estimate"], want["lower"], want["upper"])
            assert got.reached == (want["estimate"] is not None)


def test_ten_million_records_are_rs():
    """The long case (1e7 records, rebuilt from generate_survival.py's formula) as a user passes
    it, numpy arrays: its first and last five steps and its percentiles are R's."""
    case = next(c for c in SURVIVAL["cases"] if "formula" in c["input"])
    n = case["input"]["n"]
    i = np.arange(n, dtype=np.int64)
    times, open_ = ((i * 7919) % 2881).astype(np.float64) * 60.0, i % 5 == 0
    for r in case["r"]:
        result = cxm.durations(times, open=open_, percentiles=[p["percent"] for p in r["percentiles"]],
                               level=r["level"], conf_type=r["transform"])
        curve = result.survival.columns
        assert len(curve["time"]) == r["curve_steps"]
        rows = list(range(5)) + list(range(len(curve["time"]) - 5, len(curve["time"])))
        for j, k in enumerate(rows):
            assert curve["time"][k] == r["curve"]["time"][j]
            assert close(curve["at_risk"][k], r["curve"]["n_risk"][j], 1e-14)
            assert close(curve["survival"][k], r["curve"]["surv"][j], 1e-15)
            if curve["survival"][k] < 1:
                assert close(curve["lower"][k], r["curve"]["lower"][j])
                assert close(curve["upper"][k], r["curve"]["upper"][j])
        for got, want in zip(result.percentiles, r["percentiles"]):
            assert (got.estimate, got.lower, got.upper) == (want["estimate"], want["lower"], want["upper"])


@pytest.mark.parametrize("case", [c for c in DURATIONS["cases"] if "seconds" in c["input"]], ids=lambda c: c["name"])
def test_no_open_case_is_numpy_and_scipy(case):
    x = case["input"]["seconds"]
    for e in case["expected"]:
        percents = [p["percent"] for p in e["percentiles"]]
        result = cxm.durations(np.array(x), percentiles=percents, within=e["within"]["seconds"], level=e["level"])
        assert result.survival is None and result.method == "order_statistics"
        for got, want in zip(result.percentiles, e["percentiles"]):
            assert got.estimate == want["estimate"] == np.percentile(x, want["percent"])
            if "lower" in want:
                assert (got.lower, got.upper) == (want["lower"], want["upper"])
        assert close(result.mean, e["mean"], 1e-14)
        assert result.within.share == e["within"]["share"]


def test_result_fields_are_the_cores_and_pickle():
    result = cxm.durations([3.0, 1.0, 2.0, 7.0], open=[False, True, False, False], within=2.5)
    assert set(result.to_dict()) == set(cxm.CORE_FIELDS["DurationsResult"])
    assert pickle.loads(pickle.dumps(result)) == result
    assert result != cxm.durations([3.0, 1.0, 2.0, 7.0], within=2.5)
    assert result.mean is None and result.open == 1.0  # no mean while a case is open
    assert "kaplan_meier" in repr(result) and "open=1" in repr(result)
    frame = result.survival.to_pandas()
    assert list(frame.columns) == ["time", "at_risk", "resolved", "open", "survival", "lower", "upper"]


def test_inputs_timedeltas_series_and_flags():
    waits = pd.Series(pd.to_timedelta([12, 30, 45, 7], unit="s"))
    assert cxm.durations(waits).median == cxm.durations([12, 30, 45, 7]).median == 21.0
    flags = pd.Series([True, False, None, False])
    with pytest.raises(cxm.CxmError, match="open flag at index 2 is missing"):
        cxm.durations([1, 2, 3, 4], open=flags)
    with pytest.raises(cxm.CxmError, match="open flag at index 1 is 2, not 0 or 1"):
        cxm.durations([1, 2, 3], open=np.array([0, 2, 1]))
    with pytest.raises(cxm.CxmError, match="record at index 1 has the time -3"):
        cxm.durations([1.0, -3.0])
    with pytest.raises(cxm.CxmError) as e:
        cxm.durations([1.0, 2.0], open=[True])
    assert e.value.kind == "column_length_mismatch"
    with pytest.raises(cxm.CxmError, match="unknown"):
        cxm.durations([1.0, 2.0], conf_type="plain")


def test_not_reached_is_none_never_infinity():
    result = cxm.durations([5.0, 7.0, 9.0], open=[True, True, True])
    assert result.median is None and result.median_interval == (None, None)
    assert "not reached" in repr(result)


def test_a_sample_too_small_for_the_interval_says_so_not_not_reached():
    # Four durations, none open: the order statistics give the median (2.5, as numpy.median
    # and R's median give), but no 95% interval: the widest, [x(1), x(n)], covers the median
    # with probability 1 - 2 * 0.5**n (Conover, Practical Nonparametric Statistics, 3rd ed.,
    # sec. 3.2), 0.875 for n = 4 and below 0.95 until n = 6 (0.96875).
    result = cxm.durations([1.0, 2.0, 3.0, 4.0])
    assert result.method == "order_statistics"
    assert result.median == 2.5 and result.median_interval == (None, None)
    assert "median=2.5 [n/a, n/a]" in repr(result) and "not reached" not in repr(result)


def test_the_curve_plots(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    result = cxm.durations([1.0, 2.0, 2.0, 3.0, 5.0, 8.0], open=[0, 0, 1, 0, 1, 1])
    ax = result.survival.plot(resolved=True)
    ax.figure.savefig(tmp_path / "curve.png")
    assert (tmp_path / "curve.png").stat().st_size > 0


def _bits_of(bits, label, result, level, conf_type):
    """The lines cxm-core/tests/survival.rs writes for the same call."""
    nan = float("nan")
    value = lambda x: nan if x is None else x  # noqa: E731
    if result.survival is not None:
        c = result.survival.columns
        for j in range(len(result.survival)):
            bits.line(f"{label} step {j}", c["time"][j], c["at_risk"][j], c["resolved"][j], c["open"][j],
                      c["survival"][j], result.survival.greenwood[j], c["lower"][j], c["upper"][j])
    bits.line(f"{label} median", value(result.median), *map(value, result.median_interval))
    for m, p in enumerate(result.percentiles):
        bits.line(f"{label} p{m}", value(p.estimate), value(p.lower), value(p.upper))
    w = result.within
    interval = result.mean_interval or (None, None)
    bits.line(f"{label} summary", float(result.records), result.open, value(result.mean),
              value(result.standard_deviation), *map(value, interval),
              *(map(value, (None, None, None)) if w is None else (w.share, w.lower, w.upper)))


def test_survival_bits_for_the_other_surfaces():
    from conftest import Bits

    bits = Bits()
    for i, case in enumerate(SURVIVAL["cases"]):
        data = case["input"]
        if "formula" in data:
            continue
        for k, r in enumerate(case["r"]):
            result = cxm.durations(data["times"], open=data["open"], weights=data["weights"],
                                   percentiles=[p["percent"] for p in r["percentiles"]], within=data["times"][0],
                                   level=r["level"], conf_type=r["transform"])
            _bits_of(bits, f"km {i}.{k}", result, r["level"], r["transform"])
    for i, case in enumerate(DURATIONS["cases"]):
        if "seconds" not in case["input"]:
            continue
        for k, e in enumerate(case["expected"]):
            result = cxm.durations(case["input"]["seconds"], percentiles=[p["percent"] for p in e["percentiles"]],
                                   within=e["within"]["seconds"], level=e["level"])
            _bits_of(bits, f"dur {i}.{k}", result, e["level"], "log-log")
    contacts = json.loads((ROOT / "testdata" / "contacts.json").read_text())
    for i, case in enumerate(contacts["cases"]):
        data = case["input"]
        for k, e in enumerate(case["expected"]):
            c = cxm.contact_centre(data["wait_seconds"], data["answered"],
                                   short_abandon_seconds=data["short_abandon_seconds"],
                                   service_level_seconds=data["service_level_seconds"], percentiles=data["percents"],
                                   level=e["level"])
            row = [float(c.offered), float(c.answered), float(c.abandoned), float(c.short_abandons)]
            for s in [c.abandonment, *c.service_levels.values()]:
                row += [s.share, s.lower, s.upper]
            bits.line(f"contacts {i}.{k}", *row)
            if c.speed_of_answer is not None:
                _bits_of(bits, f"contacts {i}.{k} speed", c.speed_of_answer, e["level"], "log-log")
    bits.save("survival")


CONTACTS = json.loads((ROOT / "testdata" / "contacts.json").read_text())


@pytest.mark.parametrize("case", CONTACTS["cases"], ids=lambda c: c["name"])
def test_contact_centre_is_numpy_scipy_and_statsmodels(case):
    data = case["input"]
    for e in case["expected"]:
        c = cxm.contact_centre(np.array(data["wait_seconds"]), data["answered"],
                               short_abandon_seconds=data["short_abandon_seconds"],
                               service_level_seconds=data["service_level_seconds"], percentiles=data["percents"],
                               level=e["level"])
        assert (c.offered, c.answered, c.abandoned, c.short_abandons) == (
            e["offered"], e["answered"], e["abandoned"], e["short_abandons"])
        for got, want in [(c.abandonment, e["abandonment"])] + [(c.service_levels[k], v)
                                                                for k, v in e["service_levels"].items()]:
            assert (got.count, got.of) == (want["count"], want["of"])
            if want["share"] is None:
                assert got.share != got.share
            else:
                assert got.share == want["share"] and close(got.lower, want["lower"]) and close(got.upper, want["upper"])
        if e["speed_of_answer"] is None:
            assert c.speed_of_answer is None
        else:
            assert close(c.speed_of_answer.mean, e["speed_of_answer"]["mean"], 1e-14)
            for got, want in zip(c.speed_of_answer.percentiles, e["speed_of_answer"]["percentiles"]):
                assert (got.estimate, got.lower, got.upper) == (want["estimate"], want["lower"], want["upper"])
        assert pickle.loads(pickle.dumps(c)) == c and "ContactCentreResult(offered=" in repr(c)


def test_contact_records_are_checked():
    with pytest.raises(cxm.CxmError, match="record at index 1 has the wait -2"):
        cxm.contact_centre([3, -2], [True, False])
    with pytest.raises(cxm.CxmError, match="answered flag at index 1 is missing"):
        cxm.contact_centre([3, 2], [True, None])
    with pytest.raises(cxm.CxmError) as e:
        cxm.contact_centre([3, 2], [True])
    assert e.value.kind == "column_length_mismatch"


def test_dataframe_columns_by_name():
    import polars as pl

    frame = pd.DataFrame({"hours": [1.0, 2.0, 2.0, 3.0, 5.0, 8.0], "open": [False, False, True, False, True, True]})
    by_name = cxm.durations("hours", open="open", data=frame)
    assert by_name == cxm.durations(frame.hours, open=frame.open)
    assert cxm.durations("hours", open="open", data=pl.from_pandas(frame)) == by_name
    calls = pd.DataFrame({"wait": [5, 12, 40, 3], "answered": [True, True, False, True]})
    assert cxm.contact_centre("wait", "answered", data=calls) == cxm.contact_centre(calls.wait, calls.answered)
    with pytest.raises(KeyError, match="seconds column 'nope' is not in the data"):
        cxm.durations("nope", data=frame)
