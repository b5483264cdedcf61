"""``cxm.rake``: survey weights raked to population margins. The core's ``rake`` computes; this
module reads the columns, turns each margin's categories into codes and hands back the core's
``Raking``, whose ``nps``/``csat``/``ces`` (or ``cxm.nps(..., calibration=...)``) give estimates
with standard errors that account for the raking."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from cxm import _cxm
from cxm._drivers import _floats
from cxm._records import _array, _masked
from cxm._segments import _column, _factorise, _scalar

Targets = Union[Mapping[Any, float], Sequence[float]]


def _codes(column: Any, targets: Targets, name: str) -> Tuple[np.ndarray, list, list]:
    """Each row's category code (uint32), the targets in code order and the categories (the
    mapping's keys, or the codes). With a mapping, its keys are the categories (labels of any
    kind); with a sequence, the column holds the codes 0, 1, … itself. A row with no category
    (missing) or one without a target is a ``ValueError`` naming it and its index."""
    if isinstance(targets, Mapping):
        labels = list(targets)
        values = [float(targets[label]) for label in labels]
        found_codes, found = _factorise(column, name, codes_ok=False)
        missing = np.flatnonzero(found_codes < 0)
        if missing.size:
            raise ValueError(f"margin {name!r} is missing at index {int(missing[0])}: every respondent needs a "
                             f"category of every margin")
        position = {label: code for code, label in enumerate(labels)}
        lookup = np.array([position.get(label, len(labels)) for label in found], dtype=np.int64)
        codes = lookup[found_codes]
        stray = np.flatnonzero(codes == len(labels))
        if stray.size:
            i = int(stray[0])
            raise ValueError(f"margin {name!r} has {_scalar(found[found_codes[i]])!r} at index {i}, which is not "
                             f"one of its targets' categories ({', '.join(map(repr, labels))})")
        return np.ascontiguousarray(codes, dtype=np.uint32), values, labels
    array, mask = _array(column), _masked(column)
    values = [float(t) for t in targets]
    if array.dtype.kind not in "iu" or mask is not None:
        raise ValueError(f"margin {name!r}: with targets as a sequence, the column holds the categories' codes "
                         f"0..{len(values) - 1} as integers (or pass the targets as a mapping of category to "
                         f"target)")
    if array.dtype.kind == "i" or array.dtype.itemsize > 4:  # codes that uint32 cannot hold
        low, high = (array.min(), array.max()) if array.size else (0, 0)
        if low < 0 or high > np.iinfo(np.uint32).max:
            i = int(np.argmax((array < 0) | (array > np.iinfo(np.uint32).max)))
            raise ValueError(f"margin {name!r} has code {array[i]} at index {i}: codes are 0..{len(values) - 1}")
    return np.ascontiguousarray(array, dtype=np.uint32), values, list(range(len(values)))


def _restore(args: tuple, categories: list, trims: list) -> "_cxm.Raking":
    """A pickled ``Raking``, made again from what it was given (the same bits)."""
    raking = _cxm._rake(*args, categories)  # the labels only name categories in messages
    for lower, upper in trims:
        raking = raking.trim(lower, upper)
    return raking


def rake(data: Any, *, margins: Mapping[str, Targets], base_weights: Any = None, tolerance: Optional[float] = None,
         max_iterations: Optional[int] = None, bounds: Optional[Tuple[float, float]] = None) -> "_cxm.Raking":
    """Weights for the rows of ``data`` (a pandas or polars DataFrame, or a mapping of column
    names to arrays) that meet population ``margins``: ``{column: targets}``, the targets a
    mapping of category to population count or share (``{"north": 0.3, "south": 0.7}``), or a
    sequence when the column holds codes 0, 1, …. Every margin's targets must add up to the same
    total, which the weights then sum to.

    Raking (iterative proportional fitting) from ``base_weights`` (a column name or an array;
    all equal when None) until every category is met within the relative ``tolerance``, at most
    ``max_iterations`` sweeps (the core's defaults when None, ``cxm.DEFAULTS["rake_tolerance"]``
    and ``["rake_iterations"]``). ``bounds=(lower, upper)``: bounded calibration, each weight
    within ``[lower, upper]`` × its base weight scaled to the total (× the mean weight without
    base weights), as R ``survey``'s ``calibrate(calfun="raking", bounds=...)``; bounds that
    cannot be met raise ``CxmError`` (``calibration_infeasible``).

    Returns a ``Raking``: ``.weights`` (in the rows' order), ``.iterations``, ``.converged``,
    ``.residuals`` (margin → category → relative residual), ``.design_effect``,
    ``.effective_n``, ``.trim(lower, upper)``, and ``.nps(scores)`` / ``.csat(answers)`` /
    ``.ces(answers)`` with standard errors that account for the raking (with a ``level``;
    ``cxm.nps(scores, calibration=r)`` is ``r.nps(scores)`` at the default level). It pickles
    (made again from its inputs, to the same bits) and compares equal to another raked alike."""
    names, codes, targets, categories, labels = [], [], [], [], []
    for name, target in margins.items():
        column_codes, values, keys = _codes(_column(data, name, "margin"), target, str(name))
        names.append(str(name))
        codes.append(column_codes)
        targets.append(values)
        categories.append(keys)
        labels.append([str(k) for k in keys] if isinstance(target, Mapping) else None)
    weights = None if base_weights is None else _floats(_column(data, base_weights, "base_weights"))
    limits = None if bounds is None else (float(bounds[0]), float(bounds[1]))
    return _cxm._rake(codes, targets, names, weights, None if tolerance is None else float(tolerance),
                      None if max_iterations is None else int(max_iterations), limits, categories, labels)


__all__: Sequence[str] = ["rake"]
