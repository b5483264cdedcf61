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
    data["nps"] = case["scores"]
    return data


def test_shared_vectors():
    doc = load("topics")
    bits = Bits()
    for c, case in enumerate(doc["cases"]):
        result = cxm.topic_impact(frame(case), score="nps", topics=case["names"])
        for row, want in zip(result, case["expected"]):
            assert row.topic == want["topic"] and (row.n, row.mentions) == (want["n"], want["mentions"])
            for field in ("share", "nps_topic", "nps_rest", "impact"):
                assert close(getattr(row, field), want[field], doc["tolerance"]), (row.topic, field)
            for field in ("standard_error", "lower", "upper"):
                assert close(getattr(row, field), want[field], doc["se_tolerance"]), (row.topic, field)
            flags = np.array(case["topics"][row.topic], dtype=bool)
            scores = np.array(case["scores"])
            assert row.p_value == cxm.compare_nps(cxm.nps(scores[flags]), cxm.nps(scores[~flags])).p_value
            bits.line(f"case {c} {row.topic}", row.share, row.nps_topic, row.nps_rest, row.impact,
                      row.standard_error, row.lower, row.upper, row.p_value, row.p_adjusted)
        assert [r.p_adjusted for r in result] == list(cxm.adjust_p_values([r.p_value for r in result], "holm"))
    bits.save("topics")


def test_the_table():
    case = load("topics")["cases"][0]
    result = cxm.topic_impact(frame(case), score="nps", topics=case["names"], adjust="fdr_bh")
    assert len(result) == 4 and result["price"].impact < 0 < result["praise"].impact
    table = result.to_pandas()
    assert list(table.topic) == case["names"] and {"impact", "lower", "upper", "p_adjusted"} <= set(table.columns)
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
    with pytest.raises(ValueError, match="True/False"):
        cxm.topic_impact(data, score="nps", topics=["odd"])
    with pytest.raises(cxm.CxmError, match="score 11 at index 1"):
        cxm.topic_impact({"nps": [9, 11], "t": [True, False]}, score="nps", topics=["t"])
