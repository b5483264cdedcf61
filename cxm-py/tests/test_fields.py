"""Every result class carries the fields its core type declares, under the core's names: its
``to_dict`` keys and its attributes. (The C structs are held to the same declaration by
cxm-ffi/tests/abi.rs.) A field added to the core and not here, or renamed here, fails."""

import pytest

import cxm

RESULTS = {
    "NpsResult": cxm.nps_from_counts(5, 3, 2),
    "RatingResult": cxm.csat([4, 5, 3]),
    "ComparisonResult": cxm.compare_nps(cxm.nps_from_counts(5, 3, 2), cxm.nps_from_counts(2, 3, 5)),
    "BenchmarkResult": cxm.nps_vs_benchmark(cxm.nps_from_counts(5, 3, 2), 0.0),
    "ChurnResult": cxm.churn(lost=5, customers_at_start=100, customers_at_end=90),
    "NcvgResult": cxm.ncvg(new_count=3, new_value=300, lost_count=2, lost_value=100),
    "LiftResult": cxm.lift(30, 200, 24, 400),
    "NamedRateResult": cxm.rate("renewal", 88, 97),
    "CustomerFlowResult": cxm.customer_flow([0, 3], [5, None], window_start=1, window_end=9, values=[4, 2]),
    "CalibratedEstimate": cxm.rake({"region": [0, 1, 1]}, margins={"region": [1.0, 1.0]}).nps([9, 3, 7]),
}


def python_names(core_fields):
    """The core's names as Python shows them: a rating's scale reads as ``scale`` (min, max),
    ``threshold`` and ``higher_is_better``."""
    names = set(core_fields)
    if "scale" in names:
        names |= {"threshold", "higher_is_better"}
    return names


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_to_dict_and_attributes_are_the_cores_fields(name):
    result = RESULTS[name]
    assert type(result).__name__ == name
    expected = python_names(cxm.CORE_FIELDS[name])
    # An NPS's dict also carries its interval (issue 15, item 15), beside the core's fields.
    extra = {"lower", "upper", "level"} if name == "NpsResult" else set()
    assert set(result.to_dict()) == expected | extra
    for field in expected:
        assert getattr(result, field) == result.to_dict()[field]
