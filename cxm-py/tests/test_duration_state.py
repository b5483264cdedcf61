"""cxm.DurationState: durations added in batches, merged in any order and sent as bytes, finish
to the very result of one cxm.durations call."""

import pickle

import numpy as np
import pytest

import cxm


def records(n, seed, whole):
    rng = np.random.default_rng(seed)
    times = rng.exponential(600.0, n)
    return (np.round(times) if whole else times), rng.random(n) < 0.3


@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("with_open", [True, False])
def test_any_split_finishes_to_one_call(whole, with_open):
    times, open_ = records(3_000, 7, whole)
    flags = open_ if with_open else None
    once = cxm.durations(times, open=flags, percentiles=(25, 50, 90), within=300.0, level=0.9)
    parts = []
    for start, end in [(0, 1), (1, 900), (900, 2_999), (2_999, 3_000)]:
        state = cxm.DurationState()
        state.add(times[start:end], None if flags is None else flags[start:end])
        parts.append(cxm.DurationState.from_bytes(state.to_bytes()))
    merged = parts[3] + (parts[1].merge(parts[0]) + parts[2])
    assert merged.n == 3_000 and not merged.weighted
    assert merged.finish(percentiles=(25, 50, 90), within=300.0, level=0.9) == once
    assert pickle.loads(pickle.dumps(merged)) == merged
    assert repr(merged) == "DurationState(n=3000)"


def test_timedeltas_and_bad_records():
    import pandas as pd

    state = cxm.DurationState()
    state.add(pd.Series(pd.to_timedelta([12, 30, 45], unit="s")))
    assert state.finish().median == cxm.durations([12, 30, 45]).median
    with pytest.raises(cxm.CxmError, match="record at index 1 has the time -3"):
        state.add([1.0, -3.0])
    assert state.n == 3  # unchanged
    with pytest.raises(cxm.CxmError) as e:
        cxm.DurationState().finish()
    assert e.value.kind == "missing_input"
    with pytest.raises(cxm.CxmError, match="a state of nps, not of durations"):
        cxm.DurationState.from_bytes(cxm.NpsState().to_bytes())


def contacts(n, seed):
    rng = np.random.default_rng(seed)
    return np.round(rng.exponential(25.0, n)), rng.random(n) < 0.8


@pytest.mark.parametrize("short", [None, 5.0])
def test_contact_centre_state_finishes_to_one_call(short):
    waits, answered = contacts(2_000, 11)
    parts = []
    for start, end in [(0, 1), (1, 700), (700, 1_999), (1_999, 2_000)]:
        state = cxm.ContactCentreState()
        state.add(waits[start:end], answered[start:end])
        parts.append(cxm.ContactCentreState.from_bytes(state.to_bytes()))
    merged = parts[2] + (parts[0].merge(parts[3]) + parts[1])
    assert merged.n == 2_000 and not merged.weighted
    options = dict(short_abandon_seconds=short, service_level_seconds=30.0, percentiles=(50, 80), level=0.9)
    once = cxm.contact_centre(waits, answered, **options)
    finished = merged.finish(**options)
    assert finished.to_dict() == once.to_dict()
    assert merged.finish().to_dict() == cxm.contact_centre(waits, answered).to_dict()
    assert pickle.loads(pickle.dumps(merged)) == merged
    assert repr(merged) == "ContactCentreState(n=2000)"


def test_contact_centre_state_bad_records():
    import pandas as pd

    state = cxm.ContactCentreState()
    state.add(pd.Series(pd.to_timedelta([12, 30, 45], unit="s")), [True, False, True])
    with pytest.raises(cxm.CxmError, match="record at index 1 has the wait -3"):
        state.add([1.0, -3.0], [True, True])
    with pytest.raises(cxm.CxmError, match="column answered has 1"):
        state.add([1.0, 3.0], [True])
    assert state.n == 3  # unchanged
    with pytest.raises(cxm.CxmError) as e:
        cxm.ContactCentreState().finish()
    assert e.value.kind == "missing_input"
    with pytest.raises(cxm.CxmError, match="a state of durations, not of contact_centre"):
        cxm.ContactCentreState.from_bytes(cxm.DurationState().to_bytes())


@pytest.mark.parametrize("with_open", [True, False])
def test_weighted_splits_finish_to_one_call(with_open):
    # Weights over ten orders of magnitude, some 0, on whole seconds (many ties per time): the
    # weights at each time are summed exactly, so the split does not change a bit.
    times, open_ = records(3_000, 5, whole=True)
    rng = np.random.default_rng(9)
    weights = rng.random(3_000) * 10.0 ** rng.integers(-5, 5, 3_000)
    weights[::17] = 0.0
    flags = open_ if with_open else None
    once = cxm.durations(times, open=flags, weights=weights, percentiles=(25, 50, 90), within=300.0)
    parts = []
    for start, end in [(0, 1), (1, 900), (900, 2_999), (2_999, 3_000)]:
        state = cxm.DurationState()
        state.add(times[start:end], None if flags is None else flags[start:end], weights=weights[start:end])
        parts.append(cxm.DurationState.from_bytes(state.to_bytes()))
    merged = parts[2] + (parts[3].merge(parts[1]) + parts[0])
    assert merged.n == 3_000 and merged.weighted
    assert merged.finish(percentiles=(25, 50, 90), within=300.0) == once
    assert (once.mean is None) == with_open
    assert pickle.loads(pickle.dumps(merged)) == merged
    assert repr(merged) == "DurationState(n=3000, weighted)"


def test_weighted_and_unweighted_records_do_not_mix():
    state = cxm.DurationState()
    state.add([1.0, 2.0], weights=[0.5, 0.0])
    with pytest.raises(cxm.CxmError) as e:
        state.add([3.0])
    assert e.value.kind == "incompatible_states"
    with pytest.raises(cxm.CxmError, match="weight -1 at index 1"):
        state.add([3.0, 4.0], weights=[1.0, -1.0])
    assert state.n == 2  # unchanged
    zero = cxm.DurationState()
    zero.add([1.0], weights=[0.0])
    with pytest.raises(cxm.CxmError) as e:
        zero.finish()
    assert e.value.kind == "zero_total_weight"
