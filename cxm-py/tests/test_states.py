"""cxm.NpsState and cxm.RatingState: batches, merges, bytes and pickles finish to the very
bits of the one-shot functions; bad bytes and mixed states are typed errors."""

import copy
import pickle
import random

import numpy as np
import pytest

import cxm


def bits(result):
    """Every field of a result, NaN equal to NaN."""
    return repr(sorted((k, repr(v)) for k, v in result.to_dict().items()))


@pytest.mark.parametrize("weighted", [False, True])
def test_any_split_and_merge_order_gives_the_one_shot_bits(weighted):
    rng = random.Random(7)
    for _ in range(50):
        n = rng.choice([2, 10, 500, 20_000])
        scores = np.array([rng.randrange(11) for _ in range(n)], dtype=np.float64)
        scores[rng.randrange(1, n)] = np.nan
        weights = np.array([rng.uniform(0.01, 5) * 10.0 ** rng.randint(-3, 3) for _ in range(n)])
        w = weights if weighted else None
        one_shot = cxm.nps(scores, weights=w, missing="skip")
        cuts = sorted([0, n] + [rng.randrange(n + 1) for _ in range(rng.randrange(6))])
        states = []
        for a, b in zip(cuts, cuts[1:]):
            s = cxm.NpsState()
            s.add(scores[a:b], None if w is None else w[a:b], missing="skip")
            states.append(s)
        rng.shuffle(states)
        while len(states) > 1:
            a, b = states.pop(), states.pop()
            if rng.random() < 0.5:
                b = cxm.NpsState.from_bytes(b.to_bytes())
            states.insert(rng.randrange(len(states) + 1), a + b)
        assert bits(states[0].finish()) == bits(one_shot)


def test_one_score_at_a_time_and_every_input_kind():
    state = cxm.NpsState()
    for score, weight in [(10, 1.5), (9.0, 0.5), (np.int64(3), 2.0)]:
        state.add(score, weight)
    assert state.n == 3 and state.weighted
    assert state.finish() == cxm.nps([10, 9, 3], weights=[1.5, 0.5, 2.0])
    plain = cxm.NpsState()
    plain.add([10, None, 7], missing="skip")
    plain.add(np.array([0, 9], dtype=np.int32))
    assert plain.finish() == cxm.nps([10, 7, 0, 9])
    assert "2 promoters" in repr(plain)


def test_rating_states_and_their_scale():
    csat = cxm.RatingState()
    assert (csat.scale, csat.threshold, csat.higher_is_better) == ((1, 5), 4, True)
    csat.add([5, 4, 2])
    other = cxm.RatingState()
    other.add([3, 5])
    assert (csat + other).finish() == cxm.csat([5, 4, 2, 3, 5])
    ces = cxm.RatingState(scale=(1, 7), threshold=5)
    with pytest.raises(cxm.CxmError) as e:
        csat.merge(ces)
    assert e.value.kind == "incompatible_states"
    with pytest.raises(cxm.CxmError) as e:
        csat.add(6)
    assert e.value.kind == "score_out_of_range" and e.value.index == 0


def test_bytes_pickles_and_copies():
    state = cxm.NpsState()
    state.add([10, 9, 0, 7], weights=[1.0, 2.0, 0.5, 0.25])
    data = state.to_bytes()
    assert data[:4] == b"CXMS"
    assert cxm.NpsState.from_bytes(data) == state
    assert pickle.loads(pickle.dumps(state)) == state
    clone = copy.deepcopy(state)
    clone.add(10, 1.0)
    assert clone != state and clone.n == state.n + 1
    for bad in [data[:-1], data[:10], b"", data[:20] + bytes([data[20] ^ 1]) + data[21:]]:
        with pytest.raises(cxm.CxmError) as e:
            cxm.NpsState.from_bytes(bad)
        assert e.value.kind == "invalid_state"
    with pytest.raises(cxm.CxmError) as e:
        cxm.RatingState.from_bytes(data)
    assert str(e.value) == "invalid state: a state of nps, not of rating"


def test_weighted_and_unweighted_do_not_mix_and_failures_change_nothing():
    state = cxm.NpsState()
    state.add([9, 10])
    before = state.to_bytes()
    with pytest.raises(cxm.CxmError) as e:
        state.add([9], weights=[1.0])
    assert e.value.kind == "incompatible_states"
    with pytest.raises(cxm.CxmError):
        state.add([9, 11])
    assert state.to_bytes() == before
    with pytest.raises(cxm.CxmError) as e:
        cxm.NpsState().finish()
    assert e.value.kind == "empty"
