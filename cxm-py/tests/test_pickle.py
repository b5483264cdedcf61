"""Every result pickles, copies and compares equal after the round trip; a tampered pickle of a
result with invariants is refused by the core's checks, like a hand-built C struct."""

import copy
import pickle

import pytest

import cxm

NPS = cxm.nps_from_counts(50, 30, 20)
RESULTS = {
    "nps": NPS,
    "weighted nps": cxm.nps([9, 10, 3, 7], weights=[1.0, 2.5, 0.5, 1.0]),
    "rating": cxm.csat([5, 4, 4, 3, 1]),
    "rating of one answer (NaN sd)": cxm.csat([5]),
    "ces, lower is easier": cxm.ces([1, 2, 5], scale=(1, 5), threshold=2, higher_is_easier=False),
    "comparison": cxm.compare_nps(NPS, cxm.nps_from_counts(20, 30, 50)),
    "welch": cxm.compare_means(cxm.csat([5, 4, 4]), cxm.csat([3, 4, 2, 1])),
    "benchmark": cxm.nps_vs_benchmark(NPS, 20.0),
    "exact benchmark (NaN statistic)": cxm.proportion_vs_benchmark(3, 10, 0.5, method="clopper_pearson"),
    "churn": cxm.churn(lost=5, customers_at_start=100),
    "average churn": cxm.churn(lost=5, customers_at_start=100, customers_at_end=120, basis="average"),
    "ncvg": cxm.ncvg(new_count=3, new_value=2**62, lost_count=9, lost_value=0),
    "flow": cxm.customer_flow([0, 5, 9], [7, None, None], window_start=1, window_end=8, values=[1, 2, 3]),
    "flow without values (NaN ratios)": cxm.customer_flow([0], window_start=1, window_end=8),
    "lift": cxm.lift(30, 200, 24, 400),
    "lift with a zero cell": cxm.lift(0, 20, 5, 25, 0.9),
    "named rate": cxm.rate("first_contact_resolution", 412, 530, method="jeffreys"),
    "calibrated nps": cxm.rake({"region": [0, 1, 1]}, margins={"region": [1.0, 1.0]}).nps([9, 3, 7]),
    "raking": cxm.rake({"region": ["n", "s", "s"]}, margins={"region": {"n": 1.0, "s": 1.0}}, bounds=(0.5, 2.0)),
}


@pytest.mark.parametrize("name", RESULTS)
def test_round_trips_are_equal(name):
    result = RESULTS[name]
    for again in (pickle.loads(pickle.dumps(result)), copy.copy(result), copy.deepcopy(result)):
        assert type(again) is type(result)
        assert again == result and not (again != result)
        assert repr(again) == repr(result)


def test_different_results_are_not_equal():
    assert cxm.nps([9]) == cxm.nps([9])
    assert cxm.nps([9]) != cxm.nps([0])
    assert NPS != "NPS 30" and NPS != RESULTS["rating"]


def test_a_tampered_pickle_is_refused():
    state = NPS.to_dict()
    state["promoters"] = 99  # no longer adds up to n
    with pytest.raises(cxm.CxmError) as caught:
        cxm._cxm._restore("NpsResult", state)
    assert caught.value.kind == "invalid_estimate"
    state = RESULTS["rating"].to_dict()
    state["mean"] = 9.0  # off the 1-5 scale
    with pytest.raises(cxm.CxmError) as caught:
        cxm._cxm._restore("RatingResult", state)
    assert caught.value.kind == "invalid_estimate"
    with pytest.raises(TypeError):
        cxm._cxm._restore("Nothing", {})


# Issue 15, item 5: pickles whose fields contradict each other, refused in full by the core.
CONTRADICTIONS = [
    ("nps", {"promoters": 100, "passives": 0, "detractors": 0}, "counts that contradict the shares"),
    ("nps", {"standard_error": 1.0}, "a standard error that is not the shares' at effective_n"),
    ("rating", {"share": 0.9}, "a share that is not favourable / n"),
    ("rating", {"standard_deviation": 0.0}, "sd 0 with answers that differ"),
    ("comparison", {"p_value": 7.0}, "p = 7"),
    ("comparison", {"level": 3.0}, "level = 3"),
    ("comparison", {"interval": (5.0, -5.0)}, "a reversed interval"),
    ("welch", {"p_value": 0.999}, "a p-value that is not the statistic's"),
    ("benchmark", {"p_value": 7.0}, "benchmark p = 7"),
    ("benchmark", {"level": 3.0}, "benchmark level = 3"),
    ("flow", {"value_at_start": -4}, "a negative value at the start"),
    ("flow", {"net_revenue_retention": 2.0}, "a ratio that does not follow from the values"),
    ("flow", {"window_start": 9}, "a reversed window"),
    ("lift", {"p_value": 0.5}, "a lift whose p-value is not its counts'"),
    ("lift", {"zero_cell_correction": True}, "a correction the counts did not need"),
    ("lift", {"difference_method": "woolf"}, "a method the lift did not use"),
    ("named rate", {"interval": (0.1, 0.9)}, "a rate whose interval is not its counts'"),
]


@pytest.mark.parametrize("name, edit, what", CONTRADICTIONS, ids=[c[2] for c in CONTRADICTIONS])
def test_a_pickle_that_contradicts_itself_is_refused(name, edit, what):
    result = RESULTS[name]
    state = {**result.to_dict(), **edit}
    with pytest.raises(cxm.CxmError) as caught:
        cxm._cxm._restore(type(result).__name__, state)
    assert caught.value.kind in ("invalid_estimate", "invalid_window"), what
