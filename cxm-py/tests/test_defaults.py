"""Every default a signature spells out is the core's: a default chosen in cxm-py is a bug.
The module exports the core's defaults as ``cxm.DEFAULTS``; each signature must agree."""

import inspect

import numpy as np
import pytest

import cxm
import cxm.dask
import cxm.spark

D = cxm.DEFAULTS


def defaults(function):
    return {name: p.default for name, p in inspect.signature(function).parameters.items()
            if p.default is not inspect.Parameter.empty}


@pytest.mark.parametrize("function, expected", [
    (cxm.NpsResult.confidence_interval,
     {"level": D["level"], "method": D["nps_method"], "resamples": D["resamples"], "draws": D["draws"]}),
    (cxm.RatingResult.share_interval, {"level": D["level"], "method": D["proportion_method"]}),
    (cxm.RatingResult.mean_interval, {"level": D["level"]}),
    (cxm.proportion_interval, {"level": D["level"], "method": D["proportion_method"]}),
    (cxm.compare_proportions, {"level": D["level"]}),
    (cxm.compare_nps, {"level": D["level"], "method": D["nps_method"], "missing": defaults(cxm.nps)["missing"]}),
    (cxm.compare_means, {"level": D["level"]}),
    (cxm.lift, {"level": D["level"]}),
    (cxm.rate, {"level": D["level"], "method": D["proportion_method"]}),
    (cxm.nps_vs_benchmark, {"level": D["level"], "method": D["nps_method"], "alternative": D["alternative"]}),
    (cxm.proportion_vs_benchmark,
     {"level": D["level"], "method": D["proportion_method"], "alternative": D["alternative"]}),
    (cxm.churn, {"basis": D["churn_basis"], "customers_at_end": None}),
    (cxm.ChurnResult.interval, {"level": D["level"], "method": None}),
    (cxm.CustomerFlowResult.churn, {"basis": D["churn_basis"]}),
    (cxm.CustomerFlowResult.churn_by_exposure_interval, {"level": D["level"], "method": D["rate_method"]}),
    (cxm.rate_interval, {"level": D["level"], "method": D["rate_method"]}),
    (cxm.adjust_p_values, {"method": D["adjustment"]}),
    (cxm.nps_by, {"level": D["level"], "adjust": D["adjustment"], "min_n": D["min_n"], "compare": D["compare"],
                  "freq": D["period"], "method": None}),
    (cxm.csat_by, {"level": D["level"], "adjust": D["adjustment"], "min_n": D["min_n"], "compare": D["compare"],
                   "freq": D["period"], "scale": D["csat"]["scale"], "threshold": None}),
    (cxm.ces_by, {"level": D["level"], "adjust": D["adjustment"], "min_n": D["min_n"], "compare": D["compare"],
                  "freq": D["period"], "scale": D["ces"]["scale"], "threshold": None,
                  "higher_is_easier": D["ces"]["higher_is_better"]}),
    (cxm.RatingState, {"scale": D["csat"]["scale"], "threshold": None,
                       "higher_is_better": D["csat"]["higher_is_better"]}),
    (cxm.csat, {"scale": D["csat"]["scale"], "threshold": None}),
    (cxm.ces, {"scale": D["ces"]["scale"], "threshold": None,
               "higher_is_easier": D["ces"]["higher_is_better"]}),
    *[(module.nps_by, {"level": D["level"], "adjust": D["adjustment"], "min_n": D["min_n"], "compare": D["compare"],
                       "freq": D["period"], "method": None}) for module in (cxm.spark, cxm.dask)],
    *[(module.csat_by, {"scale": D["csat"]["scale"], "threshold": None}) for module in (cxm.spark, cxm.dask)],
    *[(module.ces_by, {"scale": D["ces"]["scale"], "threshold": None, "higher_is_easier": D["ces"]["higher_is_better"]})
      for module in (cxm.spark, cxm.dask)],
    (cxm.contact_centre, {"service_level_seconds": D["service_level_seconds"], "percentiles": tuple(D["percentiles"]),
                          "level": D["level"], "short_abandon_seconds": None}),
    (cxm.durations, {"percentiles": tuple(D["percentiles"]), "level": D["level"], "conf_type": D["conf_type"]}),
    (cxm.DurationState.finish, {"percentiles": tuple(D["percentiles"]), "within": None, "level": D["level"],
                                "conf_type": D["conf_type"]}),
    (cxm.drivers, {"method": D["driver_method"], "resamples": D["driver_resamples"], "seed": D["driver_seed"],
                   "level": D["level"], "missing": "reject", "permutations": D["driver_permutations"]}),
    (cxm.topic_impact, {"level": D["level"], "adjust": D["adjustment"], "missing": "reject", "metric": "nps",
                        "scale": None, "threshold": None, "weights": None, "by": None,
                        "higher_is_easier": D["ces"]["higher_is_better"]}),
    (cxm.rake, {"tolerance": None, "max_iterations": None, "bounds": None, "base_weights": None}),
    (cxm.Raking.nps, {"level": D["level"], "missing": "reject"}),
    (cxm.Raking.csat, {"level": D["level"], "scale": D["csat"]["scale"], "threshold": None}),
    (cxm.Raking.ces, {"level": D["level"], "scale": D["ces"]["scale"], "threshold": None,
                      "higher_is_easier": D["ces"]["higher_is_better"]}),
    (cxm.ContactCentreState.finish, {"service_level_seconds": D["service_level_seconds"],
                                     "percentiles": tuple(D["percentiles"]), "level": D["level"],
                                     "short_abandon_seconds": None}),
], ids=lambda v: getattr(v, "__qualname__", ""))
def test_signature_defaults_are_the_cores(function, expected):
    got = defaults(function)
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("rating", ["csat", "ces"])
def test_a_threshold_left_out_is_the_cores_on_its_scale_only(rating):
    # threshold=None is the core's threshold of the default scale (Scale::or_default); on any
    # other scale the favourable answers cannot be guessed, and every entry point says so.
    scale, threshold = tuple(D[rating]["scale"]), D[rating]["threshold"]
    scores = list(range(scale[0], scale[1] + 1))
    function, by = getattr(cxm, rating), getattr(cxm, f"{rating}_by")
    assert function(scores).threshold == threshold
    assert function(scores) == function(scores, scale=scale, threshold=threshold)
    for call in (lambda: function(scores, scale=(0, 10)),
                 lambda: by(score=[0, 10], by=np.array([0, 1]), scale=(0, 10)),
                 lambda: cxm.RatingState(scale=(0, 10))):
        with pytest.raises(cxm.CxmError, match="a threshold .* on the scale 0..=10 is needed"):
            call()
    assert function([0, 10], scale=(0, 10), threshold=9).share == 0.5
    if rating == "ces":
        with pytest.raises(cxm.CxmError, match="lower is better"):
            cxm.ces(scores, higher_is_easier=False)


def test_the_core_defaults_are_the_documented_ones():
    # NPS intervals default to adjusted Wald (Rocks' R package default, which covers near the
    # nominal level from n = 10, where Wald under-covers); shares to Wilson.
    assert (D["level"], D["nps_method"], D["proportion_method"]) == (0.95, "adjusted_wald", "wilson")
    r = cxm.nps_from_counts(50, 30, 20)
    assert r.confidence_interval() == r.confidence_interval(0.95, "adjusted_wald")


def test_churn_intervals_default_to_the_bases_methods():
    assert (D["churn_method_start"], D["churn_method_average"]) == (D["proportion_method"], D["rate_method"])
    start = cxm.churn(lost=5, customers_at_start=100)
    assert start.interval() == start.interval(0.95, D["churn_method_start"])
    average = cxm.churn(lost=5, customers_at_start=100, customers_at_end=80, basis="average")
    assert average.interval() == average.interval(0.95, D["churn_method_average"])
