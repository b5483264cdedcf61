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
