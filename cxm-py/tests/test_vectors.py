"""The shared NPS vectors (testdata/nps.json) through the Python surface; the exact bits of
every computed number go to $CXM_VECTOR_OUT/nps.python.txt for the cross-surface comparison.
"""

import math

import numpy as np
import pytest

import cxm
from conftest import Bits, close

FIELDS = ["promoter_share", "passive_share", "detractor_share", "score", "standard_error", "effective_n"]


def run(inp, as_type=None):
    if "counts" in inp:
        c = inp["counts"]
        return cxm.nps_from_counts(c["promoters"], c["passives"], c["detractors"])
    scores = inp["scores"]
    if as_type is not None:
        scores = np.array(scores, dtype=as_type)
    return cxm.nps(scores, weights=inp["weights"], missing=inp["missing"])


def outcome(inp, as_type=None):
    try:
        return run(inp, as_type).to_dict()
    except cxm.CxmError as e:
        return (e.kind, str(e))


def representations(inp):
    """The numpy dtypes this input can be given as, beside the plain list."""
    if "counts" in inp:
        return []
    scores = inp["scores"]
    types = [np.float64, np.float32]
    if all(s is not None and float(s).is_integer() for s in scores):
        types += [np.int64, np.int32, np.int16]
        if all(0 <= s <= 255 for s in scores):
            types += [np.uint8]
    elif any(s is None for s in scores):
        types = [np.float64, np.float32]  # None becomes NaN
    return types


def test_shared_vectors(nps_vectors):
    tolerance = nps_vectors["tolerance"]
    bits = Bits()
    failures = []
    for case in nps_vectors["cases"]:
        name, inp = case["name"], case["input"]
        reference = outcome(inp)
        for as_type in representations(inp):
            assert outcome(inp, as_type) == reference, f"{name}: {as_type.__name__} differs from list"
        if "error" in case:
            assert reference == (case["error"]["kind"], case["error"]["message"]), name
            continue
        result = run(inp)
        want = case["expected"]
        for field in ["n", "promoters", "passives", "detractors"]:
            assert getattr(result, field) == want[field], f"{name} {field}"
        for field in FIELDS:
            got = getattr(result, field)
            if not close(got, want[field], tolerance):
                failures.append(f"{name} {field}: {got!r} vs {want[field]!r}")
            bits.line(f"{name} {field}", got)
        for iv in want["intervals"]:
            lower, upper = result.confidence_interval(iv["level"], iv["method"])
            for limit, got in (("lower", lower), ("upper", upper)):
                if not close(got, iv[limit], tolerance):
                    failures.append(f"{name} {iv['method']}@{iv['level']} {limit}: {got!r} vs {iv[limit]!r}")
            bits.line(f"{name} {iv['method']}@{iv['level']}", lower, upper)
    for index, case in enumerate(nps_vectors["bootstrap"]):
        c = case["counts"]
        result = cxm.nps_from_counts(c["promoters"], c["passives"], c["detractors"])
        lower, upper = result.confidence_interval(case["level"], "bootstrap", resamples=case["resamples"], seed=case["seed"])
        assert close(lower, case["lower"], tolerance) and close(upper, case["upper"], tolerance), case
        bits.line(f"bootstrap {index}", lower, upper)
    for index, case in enumerate(nps_vectors["bayesian"]):
        c, a = case["counts"], case["prior"]
        result = cxm.nps_from_counts(c["promoters"], c["passives"], c["detractors"])
        prior = (a["promoters"], a["passives"], a["detractors"])
        lower, upper = result.confidence_interval(case["level"], "bayesian", prior=prior, draws=case["draws"], seed=case["seed"])
        assert abs(lower - case["lower"]) <= case["allowance"] and abs(upper - case["upper"]) <= case["allowance"], case
        bits.line(f"bayesian {index}", lower, upper)
    some = cxm.nps_from_counts(1, 1, 1)
    for invalid in nps_vectors["invalid_levels"]:
        with pytest.raises(cxm.CxmError) as err:
            some.confidence_interval(invalid["level"])
        assert str(err.value) == invalid["message"]
        assert err.value.kind == "invalid_level"
    assert not failures, "\n".join(failures)
    bits.save("nps")


def test_rocks_2016_worked_example():
    # Rocks' R package NPS, counts (20, 30, 50) at alpha = 0.05, as fractions:
    # Wald (0.1469219192, 0.4530780808), adjusted Wald (0.1405113018, 0.4420129701),
    # exact score roots (0.1395514161, 0.4433930663).
    r = cxm.nps_from_counts(50, 30, 20)
    expected = {
        "wald": (14.69219192, 45.30780808),
        "adjusted_wald": (14.05113018, 44.20129701),
        "score": (13.95514161, 44.33930663),
    }
    for method, (lower, upper) in expected.items():
        got = r.confidence_interval(0.95, method)
        assert math.isclose(got[0], lower, abs_tol=1e-8) and math.isclose(got[1], upper, abs_tol=1e-8), method
