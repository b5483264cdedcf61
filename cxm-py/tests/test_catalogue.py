"""The catalogue of bad inputs (testdata/bad_inputs.json), run through the Python API: every case
whose surfaces name "python" must raise ``cxm.CxmError`` with its kind and a message containing
its fragment. Also checks the catalogue itself, and that docs/bad-inputs.md is up to date."""

import re
import subprocess
import sys

import numpy as np
import pytest

import cxm
from conftest import ROOT, load

CATALOGUE = load("bad_inputs")
SURFACES = {"rust", "c", "python"}
PYTHON_CASES = [case for case in CATALOGUE["cases"] if "python" in case["surfaces"]]


def number(v):
    """A number from the catalogue: JSON numbers as they are, "nan", "inf", "-inf" as floats."""
    return float(v) if isinstance(v, str) else v


def count(v):
    """A count: a JSON number, or a decimal string for the u64s a float cannot hold."""
    return int(v)


def arg(args, key, default):
    return number(args[key]) if key in args else default


def numbers(values):
    return [number(v) for v in values]


def nps_of(v):
    """An NPS from counts; the hand-built structs (with "n") have no Python constructor."""
    assert "n" not in v, "a hand-built NpsResult cannot be made in Python: the case should not name python"
    return cxm.nps_from_counts(count(v["promoters"]), count(v["passives"]), count(v["detractors"]))


def rating_of(v):
    """A rating summary from {scores, weights?, scale?}: scale "csat" (the default), "ces", or
    {min, max, threshold, higher_is_better}."""
    assert "scores" in v, "a hand-built RatingResult cannot be made in Python: the case should not name python"
    scores = numbers(v["scores"])
    weights = numbers(v["weights"]) if "weights" in v else None
    scale = v.get("scale", "csat")
    if scale == "csat":
        return cxm.csat(scores, weights=weights)
    if scale == "ces":
        return cxm.ces(scores, weights=weights)
    bounds = (scale["min"], scale["max"])
    if scale["higher_is_better"]:
        return cxm.csat(scores, scale=bounds, threshold=scale["threshold"], weights=weights)
    return cxm.ces(scores, scale=bounds, threshold=scale["threshold"], higher_is_easier=False, weights=weights)


def nps_interval(nps, args, level):
    # The catalogue's defaults, passed explicitly so the catalogue does not depend on the signature's.
    prior = args.get("prior")
    return nps.confidence_interval(
        level,
        args.get("method", "adjusted_wald"),
        resamples=count(args.get("resamples", 10000)),
        seed=0,
        prior=tuple(numbers(prior)) if prior is not None else None,
        draws=count(args.get("draws", 100000)),
    )


def run(call, args):
    level = arg(args, "level", 0.95)
    proportion_method = args.get("method", "wilson")
    alternative = args.get("alternative", "greater")
    if call == "nps":
        weights = numbers(args["weights"]) if "weights" in args else None
        return cxm.nps(numbers(args["scores"]), weights=weights, missing=args.get("missing", "reject"))
    if call == "rating":
        return rating_of(args)
    if call == "nps_from_counts":
        return nps_of(args)
    if call == "nps_interval":
        return nps_interval(nps_of(args["nps"]), args, level)
    if call == "proportion_interval":
        return cxm.proportion_interval(arg(args, "successes", 0.0), arg(args, "n", 0.0), level, proportion_method)
    if call == "compare_proportions":
        return cxm.compare_proportions(
            arg(args, "successes1", 0.0), arg(args, "n1", 0.0), arg(args, "successes2", 0.0), arg(args, "n2", 0.0),
            level)
    if call == "contact_centre":
        return cxm.contact_centre(numbers(args["wait_seconds"]), args["answered"],
                                  short_abandon_seconds=arg(args, "short_abandon_seconds", None),
                                  service_level_seconds=arg(args, "service_level_seconds", 20.0), level=level)
    if call == "durations":
        return cxm.durations(numbers(args["seconds"]), open=args.get("open"),
                             weights=None if args.get("weights") is None else numbers(args["weights"]),
                             percentiles=numbers(args.get("percents", [50])),
                             within=arg(args, "within", None), level=level)
    if call == "lift":
        return cxm.lift(count(args["events_a"]), count(args["n_a"]), count(args["events_b"]), count(args["n_b"]),
                        level)
    if call == "named_rate":
        return cxm.rate(args["name"], count(args["successes"]), count(args["n"]), level, proportion_method)
    if call == "compare_nps":
        return cxm.compare_nps(nps_of(args["a"]), nps_of(args["b"]), level, args.get("method", "adjusted_wald"))
    if call == "compare_means":
        return cxm.compare_means(rating_of(args["a"]), rating_of(args["b"]), level)
    if call == "rating_mean_interval":
        return rating_of(args["rating"]).mean_interval(level)
    if call == "rating_share_interval":
        return rating_of(args["rating"]).share_interval(level, proportion_method)
    if call == "nps_vs_benchmark":
        # The catalogue's default method, passed explicitly.
        return cxm.nps_vs_benchmark(nps_of(args["nps"]), arg(args, "benchmark", 0.0), alternative=alternative,
                                    level=level, method=args.get("method", "adjusted_wald"))
    if call == "proportion_vs_benchmark":
        return cxm.proportion_vs_benchmark(arg(args, "successes", 0.0), arg(args, "n", 0.0),
                                           arg(args, "benchmark", 0.5), alternative=alternative, level=level,
                                           method=proportion_method)
    if call == "churn":
        return cxm.churn(lost=args["lost"], customers_at_start=args["customers_at_start"],
                         customers_at_end=args.get("customers_at_end"), basis=args.get("basis", "start"))
    if call == "churn_interval":
        churn = cxm.churn(lost=args["lost"], customers_at_start=args["customers_at_start"],
                          customers_at_end=args.get("customers_at_end"), basis=args.get("basis", "start"))
        return churn.interval(level, method=args.get("method"))
    if call == "rate_interval":
        return cxm.rate_interval(arg(args, "count", 0.0), arg(args, "exposure", 1.0), level,
                                 args.get("method", "exact"))
    if call == "customer_flow":
        return cxm.customer_flow(args["starts"], args.get("ends"), window_start=args["window_start"],
                                 window_end=args["window_end"], values=args.get("values"),
                                 customers=args.get("customers"))
    if call == "churn_lift":
        return cxm.churn_lift(args["starts"], args.get("ends"), customers=args["customers"],
                              window_start=args["window_start"], window_end=args["window_end"],
                              marked_customers=args["marked_customers"], marked=args["marked"], level=level)
    if call == "ncvg":
        return cxm.ncvg(new_count=args["new_count"], new_value=args["new_value"],
                        lost_count=args["lost_count"], lost_value=args["lost_value"])
    if call == "nps_topic_impact":
        data = dict(zip(args["names"], ([bool(f) for f in t] for t in args["topics"])), score=numbers(args["scores"]))
        return cxm.topic_impact(data, score="score", topics=args["names"])
    if call == "rake":
        data = {m["name"]: np.array(m["codes"], dtype=np.int64) for m in args["margins"]}
        bounds = tuple(args["bounds"]) if "bounds" in args else None
        return cxm.rake(data, margins={m["name"]: m["targets"] for m in args["margins"]}, bounds=bounds)
    if call == "key_drivers":
        data = dict(zip(args["names"], (numbers(c) for c in args["columns"])), score=numbers(args["score"]))
        return cxm.drivers(data, score="score", drivers=args["names"], resamples=args.get("resamples", 0))
    if call == "adjust_p_values":
        return cxm.adjust_p_values(numbers(args["p_values"]), args.get("method", "holm"))
    if call == "nps_state_from_bytes":
        return cxm.NpsState.from_bytes(bytes.fromhex(args["bytes_hex"]))
    if call == "nps_state_merge":
        states = []
        for part in (args["a"], args["b"]):
            state = cxm.NpsState()
            weights = numbers(part["weights"]) if "weights" in part else None
            state.add(numbers(part["scores"]), weights)
            states.append(state)
        return states[0].merge(states[1])
    if call == "nps_by_group":
        return cxm.NpsState().by_group(numbers(args["scores"]), args["groups"], args["group_count"])
    raise AssertionError(f"the catalogue names a call this runner does not know: {call}")


@pytest.mark.parametrize("case", PYTHON_CASES, ids=[case["id"] for case in PYTHON_CASES])
def test_case_gets_its_error(case):
    with pytest.raises(cxm.CxmError) as caught:
        run(case["call"], case["args"])
    error = caught.value
    assert (error.kind, case["message"] in str(error)) == (case["kind"], True), (
        f'got {error.kind} "{error}", expected {case["kind"]} "{case["message"]}"')
    assert error.code == cxm.ERROR_KINDS[error.kind]


def test_every_kind_of_error_is_reachable_from_python():
    # invalid_estimate is a hand-built result's error: from Python, a tampered pickle
    # (tests/test_pickle.py) reaches it.
    reached = {case["kind"] for case in PYTHON_CASES} | {"invalid_estimate"}
    assert set(cxm.ERROR_KINDS) == reached
    assert len(set(cxm.ERROR_KINDS.values())) == len(cxm.ERROR_KINDS), "codes must be distinct"


def test_the_catalogue_is_large_and_well_formed():
    cases = CATALOGUE["cases"]
    assert len(cases) >= 40
    ids = [case["id"] for case in cases] + [entry["id"] for entry in CATALOGUE["surface_specific"]]
    assert len(ids) == len(set(ids)), "ids must be unique"
    for case in cases:
        assert case["surfaces"] and set(case["surfaces"]) <= SURFACES, case["id"]
        assert re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", case["kind"]), case["id"]
        assert case["message"] and case["what"] and case["call"], case["id"]
    for entry in CATALOGUE["surface_specific"]:
        assert entry["surface"] in SURFACES | {"cli"}, entry["id"]


@pytest.mark.parametrize("entry", CATALOGUE["surface_specific"], ids=[e["id"] for e in CATALOGUE["surface_specific"]])
def test_every_surface_specific_case_names_a_test_that_exists(entry):
    path, function = entry["test"].split("::")
    text = (ROOT / path).read_text()
    definition = {".py": rf"^def {function}\(", ".rs": rf"^fn {function}\("}.get(
        path[path.rindex("."):], rf"^static [^;]*\b{function}\(")
    assert re.search(definition, text, re.M), f"{path} defines no {function}"


def test_the_page_is_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogue.py"), "--check"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
