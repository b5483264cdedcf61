"""``cxm.churn_lift``: the churn of customers marked at least once (e.g. with a contact not
resolved at the first) against the others', and the lift between them. The core's
``churn_lift`` computes; this module converts dates and ids and builds the result."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

import numpy as np

from cxm import _cxm
from cxm._durations import _open_flags
from cxm._records import _array, _customer_codes, _instant, _seconds
from cxm._segments import _same


class GroupChurn(NamedTuple):
    """One group's customers over the window: ``customers`` found in the records, ``at_start``
    (active at the window start: at risk), ``lost`` (of those, not active at its end) and
    ``rate`` = lost / at_start."""

    customers: int
    at_start: int
    lost: int
    rate: float


class ChurnLiftResult:
    """What ``cxm.churn_lift`` returns: ``marked`` and ``unmarked`` (``GroupChurn``), ``unknown``
    (customers named in the marks with no record), the window in seconds since the epoch, and
    ``lift`` (a ``LiftResult``: ``ratio`` with its ``interval`` and ``p_value``, ``difference``,
    ``odds_ratio``) of the marked group's churn over the unmarked group's."""

    def __init__(self, result: dict):
        self._result = result
        self.window_start: int = result["window_start"]
        self.window_end: int = result["window_end"]
        self.marked = GroupChurn(**result["marked"])
        self.unmarked = GroupChurn(**result["unmarked"])
        self.unknown: int = result["unknown"]
        self.lift: _cxm.LiftResult = result["lift"]

    def to_dict(self) -> dict:
        """The core's fields as plain data (the lift's as its ``to_dict``)."""
        out = dict(self._result)
        out["marked"], out["unmarked"] = dict(out["marked"]), dict(out["unmarked"])
        out["lift"] = self.lift.to_dict()
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChurnLiftResult):
            return NotImplemented
        return _same(self.to_dict(), other.to_dict())

    def __reduce__(self) -> tuple:
        return (ChurnLiftResult, (dict(self._result),))

    def __repr__(self) -> str:
        m, u, lift = self.marked, self.unmarked, self.lift
        low, high = lift.interval
        return (f"ChurnLiftResult(marked {m.lost}/{m.at_start} = {m.rate:.4g}, unmarked {u.lost}/{u.at_start} = "
                f"{u.rate:.4g}; ratio {lift.ratio:.4g} [{low:.4g}, {high:.4g}], p = {lift.p_value:.3g})")


def _joint_codes(customers: Any, marked_customers: Any) -> tuple:
    """The two id columns as int64 codes equal exactly when the ids are (as ``customer_flow``
    codes one column); each column's missing id is an error naming its index there."""
    first, second = _customer_codes(customers), _customer_codes(marked_customers)
    a, b = _array(customers), _array(marked_customers)
    if a.dtype.kind in "iu" and b.dtype.kind in "iu" and a.dtype != np.uint64 and b.dtype != np.uint64:
        return first, second  # whole numbers are their own codes
    codes = _customer_codes(np.concatenate([a.astype(object), b.astype(object)]))
    return codes[: len(a)], codes[len(a):]


def churn_lift(
    starts: Any,
    ends: Optional[Any] = None,
    *,
    customers: Any,
    window_start: Any,
    window_end: Any,
    marked_customers: Any,
    marked: Any,
    level: float = 0.95,
) -> ChurnLiftResult:
    """The churn over ``[window_start, window_end)`` of the customers marked at least once
    against that of the customers never marked, and the lift between them (the relative risk
    with its log (Katz) interval and test, the risk difference and the odds ratio, as
    ``cxm.lift``).

    ``starts``, ``ends`` and ``customers`` are the customer records, as ``cxm.customer_flow``
    takes them (a customer is all the records of an id). ``marked_customers`` and ``marked`` say,
    row by row, of a customer whether something was marked, e.g. one row per contact with
    ``marked`` True for a contact not resolved at the first. A customer is in the marked group
    when any of their rows is marked, in the unmarked group when none is, in neither without a
    row. Within each group churn is on the start basis: at risk when active at the window start,
    lost when not active at its end.

    Raises CxmError (``missing_input``) when a group has no customer at risk, and for bad
    records as ``customer_flow`` does."""
    start_seconds = _seconds(starts, "starts")
    end_seconds = None if ends is None else _seconds(ends, "ends")
    record_codes, mark_codes = _joint_codes(customers, marked_customers)
    flags = _open_flags(marked, "marked")
    result = _cxm._churn_lift(start_seconds, end_seconds, record_codes, _instant(window_start, "window_start"),
                              _instant(window_end, "window_end"), mark_codes, flags, level)
    return ChurnLiftResult(result)
