"""cxm.topic_impact: the shared topic vectors (testdata/topics.json: the vendors' formula three
ways, the delta method by finite differences, checked against a bootstrap), the table and its
refusals. The exact bits go to $CXM_VECTOR_OUT/topics.python.txt."""

import pickle

import numpy as np
import pandas as pd
import pytest

import cxm
from conftest import Bits, close, load


def frame(case):
    data = pd.DataFrame({name: np.array(case["topics"][name], dtype=bool) for name in case["names"]})
    data["score"] = case["scores"]
    if "weights" in case:
        data["w"] = case["weights"]
    return data


def test_shared_vectors():
    doc = load("topics")
    bits = Bits()
    for c, case in enumerate(doc["cases"]):
        weights = "w" if "weights" in case else None
        result = cxm.topic_impact(frame(case), score="score", topics=case["names"], weights=weights,
                                  metric=case["metric"])
        for row, want in zip(result, case["expected"]):
            assert row.topic == want["topic"] and (row.n, row.mentions) == (want["n"], want["mentions"])
            for field in ("share", "topic_score", "rest_score", "impact"):
                assert close(getattr(row, field), want[field], doc["tolerance"]), (row.topic, field)
            for field in ("standard_error", "lower", "upper"):
                assert close(getattr(row, field), want[field], doc["se_tolerance"]), (row.topic, field)
            if case["metric"] == "nps" and weights is None:
                flags = np.array(case["topics"][row.topic], dtype=bool)
                scores = np.array(case["scores"])
                assert row.p_value == cxm.compare_nps(cxm.nps(scores[flags]), cxm.nps(scores[~flags])).p_value
            bits.line(f"case {c} {row.topic}", row.share, row.topic_score, row.rest_score, row.impact,
                      row.standard_error, row.lower, row.upper, row.p_value, row.p_adjusted)
        assert [r.p_adjusted for r in result] == list(cxm.adjust_p_values([r.p_value for r in result], "holm"))
    bits.save("topics")


def test_segments_come_from_one_call():
    case = load("topics")["cases"][3]  # CSAT
    data = frame(case)
    data["region"] = np.where(np.arange(len(data)) % 2 == 0, "north", "south")
    result = cxm.topic_impact(data, score="score", topics=["price", "praise"], metric="csat", by="region")
    assert [(r.segment, r.topic) for r in result] == [("north", "price"), ("south", "price"), ("north", "praise"),
                                                      ("south", "praise")]
    north = data[data.region == "north"]
    alone = cxm.topic_impact(north, score="score", topics=["price"], metric="csat")["price"]
    row = result["north", "price"]
    assert row._replace(segment=None, p_adjusted=alone.p_adjusted) == alone
    table = result.to_pandas()
    assert list(table.columns[:4]) == ["segment", "topic", "n", "mentions"] and "csat_topic" in table.columns


def test_the_table():
    case = load("topics")["cases"][0]
    result = cxm.topic_impact(frame(case), score="score", topics=case["names"], adjust="fdr_bh")
    assert len(result) == 4 and result["price"].impact < 0 < result["praise"].impact
    table = result.to_pandas()
    assert list(table.topic) == case["names"] and {"nps_topic", "nps_rest", "impact", "lower", "upper",
                                                   "p_adjusted"} <= set(table.columns)
    assert result["price"].nps_topic == result["price"].topic_score
    assert pickle.loads(pickle.dumps(result)) == result
    assert repr(result).startswith("TopicImpactResult(price -15.3")
    import matplotlib

    matplotlib.use("Agg")
    assert len(result.plot().patches) == 4


def test_refusals():
    data = {"nps": [9, 3, 10], "all": [True, True, True], "odd": [1, 2, 0]}
    with pytest.raises(cxm.CxmError, match="a response that does not mention topic 'all' is needed") as e:
        cxm.topic_impact(data, score="nps", topics=["all"])
    assert e.value.kind == "missing_input"
    with pytest.raises(ValueError, match="topic 'odd' has 2 at index 1: a topic column holds True/False"):
        cxm.topic_impact(data, score="nps", topics=["odd"])
    with pytest.raises(ValueError, match="topic 'gap' has None at index 2"):
        cxm.topic_impact({"nps": [9, 3, 10], "gap": [True, False, None]}, score="nps", topics=["gap"])
    with pytest.raises(cxm.CxmError, match="score 11 at index 1"):
        cxm.topic_impact({"nps": [9, 11], "t": [True, False]}, score="nps", topics=["t"])
    with pytest.raises(cxm.CxmError, match="score 6 at index 1 is outside 1..=5"):
        cxm.topic_impact({"a": [5, 6], "t": [True, False]}, score="a", topics=["t"], metric="csat")
    with pytest.raises(ValueError, match=r"the segment \(by=\) is missing at index 1"):
        cxm.topic_impact({"nps": [9, 3, 10], "t": [True, False, True], "r": ["a", None, "b"]}, score="nps",
                         topics=["t"], by="r")
    with pytest.raises(ValueError, match="metric='mean'"):
        cxm.topic_impact(data, score="nps", topics=["all"], metric="mean")
