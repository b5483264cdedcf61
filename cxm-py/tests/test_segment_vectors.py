"""The shared grouped and periodised vectors (testdata/segments.json) through Python: each
group's n and estimate match the generator's plain-Python sums, the adjusted p-values match
statsmodels' multipletests on the table's own p-values, period labels match Python's datetime,
and every number is written for the cross-surface comparison."""

import math

import numpy as np
from statsmodels.stats.multitest import multipletests

import cxm
from conftest import Bits, close, load

FIELDS = ["estimate", "standard_error", "lower", "upper", "difference", "p_value", "p_adjusted"]


def test_shared_vectors():
    v = load("segments")
    out = Bits()
    for i, case in enumerate(v["groups"]):
        scores = np.array([np.nan if s is None else s for s in case["scores"]], dtype=np.float64)
        weights = case.get("weights")
        options = case["options"]
        if case["metric"] == "nps":
            prototype, metric, scale = cxm.NpsState(), "nps", None
        else:
            low, high, threshold, higher = case["scale"]
            prototype, metric, scale = cxm.RatingState((low, high), threshold, higher), "rating", tuple(case["scale"])
        states = prototype.by_group(scores, case["groups"], case["group_count"], weights, missing=case["missing"])
        for state, want in zip(states, case["expected"]):
            assert state.n == want["n"]
            result = state.finish()
            got = result.score if metric == "nps" else result.share
            assert close(got, want["estimate"], 1e-12)
        table = cxm._cxm._segment_table(
            metric, scores, weights, [np.asarray(case["groups"], dtype=np.uint32)], missing=case["missing"],
            level=options["level"], method=case["method"],
            compare=options["compare"], baseline=[options["baseline"]] if "baseline" in options else None,
            adjust=options["adjustment"], min_n=options["min_n"], periods=False, rolling=None, scale=scale)
        columns = table["columns"]
        for row, group in enumerate(table["keys"][0].tolist()):
            label = f"groups[{i}] group {group} n={columns['n'][row]} small={int(columns['small'][row])}"
            out.line(label, *[columns[f][row].item() for f in FIELDS])
        o = table["overall"]
        out.line(f"groups[{i}] overall n={o['n'][0]} small={int(o['small'][0])}", *[o[f][0].item() for f in FIELDS])
        # The adjustment is statsmodels', to the bit, on the table's own p-values.
        p = [x for x in columns["p_value"] if not math.isnan(x)]
        if options["adjustment"] != "none":
            adjusted = multipletests(p, method=options["adjustment"])[1].tolist()
            assert [x for x in columns["p_adjusted"] if not math.isnan(x)] == adjusted
    for i, case in enumerate(v["periods"]):
        codes, first, labels = cxm._cxm._bucket_periods(case["times"], case["freq"], case["utc_offset"])
        assert [labels[c] for c in codes] == case["labels"]
        out.line(f"periods[{i}] first={first}", *[float(c) for c in codes])
    out.save("segments")
