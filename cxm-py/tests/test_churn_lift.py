"""cxm.churn_lift: the churn of customers marked at least once against the others', by the
core's churn_lift (the same counts as customer_flow), and the lift between them."""

import pickle

import numpy as np
import pandas as pd
import pytest

import cxm

DAY = 86_400


def records():
    """200 customers marked, 30 of them lost in the window; 400 unmarked, 24 lost; one joins
    inside the window (not at risk), one is lost and never marked nor unmarked."""
    starts, ends, ids = [], [], []
    for i in range(600):
        lost = i < 30 if i < 200 else i < 224
        ids += [f"C{i}", f"C{i}"]
        starts += [-90 * DAY, -20 * DAY]
        ends += [-30 * DAY, 15 * DAY if lost else None]
    ids += ["C600", "C601"]
    starts += [5 * DAY, -DAY]
    ends += [None, 3 * DAY]
    return starts, ends, ids


def test_counts_and_lift_are_the_cores_and_statsmodels():
    starts, ends, ids = records()
    who = [f"C{i}" for i in range(600)] + ["C600", "C700", "C5", "C5"]
    marked = [i < 200 for i in range(600)] + [True, False, False, True]
    c = cxm.churn_lift(starts, ends, customers=ids, window_start=0, window_end=60 * DAY,
                       marked_customers=who, marked=marked)
    assert c.marked == cxm.GroupChurn(customers=201, at_start=200, lost=30, rate=0.15)
    assert c.unmarked == cxm.GroupChurn(customers=400, at_start=400, lost=24, rate=0.06)
    assert c.unknown == 1
    # statsmodels 0.14: confint_proportions_2indep(30, 200, 24, 400, compare="ratio",
    # method="log") = (1.5024200152083094, 4.159955230051593)
    assert c.lift.interval == pytest.approx((1.5024200152083094, 4.159955230051593), rel=1e-14)
    assert c.lift == cxm.lift(30, 200, 24, 400)
    # The groups' losses are the flow's, less the customer in neither group.
    flow = cxm.customer_flow(starts, ends, customers=ids, window_start=0, window_end=60 * DAY)
    assert flow.lost == c.marked.lost + c.unmarked.lost + 1
    assert set(c.to_dict()) == set(cxm.CORE_FIELDS["ChurnLiftResult"])
    assert set(c.marked._fields) == set(cxm.CORE_FIELDS["GroupChurn"])
    assert pickle.loads(pickle.dumps(c)) == c
    assert "ratio 2.5" in repr(c)


def test_ids_and_flags_of_any_column_type():
    starts, ends, ids = records()
    who = [f"C{i}" for i in range(600)]
    marked = np.array([i < 200 for i in range(600)])
    expected = cxm.churn_lift(starts, ends, customers=ids, window_start=0, window_end=60 * DAY,
                              marked_customers=who, marked=marked)
    as_series = cxm.churn_lift(pd.Series(starts), pd.Series(ends, dtype="float64").astype("Int64"),
                               customers=pd.Series(ids, dtype="category"), window_start=0,
                               window_end=60 * DAY, marked_customers=np.array(who),
                               marked=marked.astype(np.int8))
    assert as_series == expected
    numbers = [int(i[1:]) for i in ids]
    as_numbers = cxm.churn_lift(starts, ends, customers=numbers, window_start=0, window_end=60 * DAY,
                                marked_customers=np.arange(600), marked=marked)
    assert as_numbers == expected


def test_bad_input_is_named():
    starts, ends, ids = records()
    common = dict(customers=ids, window_start=0, window_end=60 * DAY, marked_customers=["C1", "C2"])
    with pytest.raises(cxm.CxmError, match="in the unmarked group is needed for the churn lift") as e:
        cxm.churn_lift(starts, ends, marked=[True, True], **common)
    assert e.value.kind == "missing_input"
    with pytest.raises(cxm.CxmError, match="marked flag at index 1 is missing"):
        cxm.churn_lift(starts, ends, marked=[True, None], **common)
    with pytest.raises(cxm.CxmError) as e:
        cxm.churn_lift(starts, ends, marked=[True], **common)
    assert e.value.kind == "column_length_mismatch"
    with pytest.raises(cxm.CxmError, match="has no customer id"):
        cxm.churn_lift(starts, ends, marked=[True, False], **{**common, "marked_customers": ["C1", None]})
