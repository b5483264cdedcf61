"""``cxm.topic_impact``: what each comment topic costs or earns the NPS, with the uncertainty the
vendors' formula leaves out. The core's ``nps_topic_impact`` computes; this module reads the
columns and builds the table."""

from __future__ import annotations

import json
from typing import Any, NamedTuple, Sequence

import numpy as np

from cxm import _cxm
from cxm._drivers import _floats
from cxm._records import _array
from cxm._segments import _column


class TopicRow(NamedTuple):
    """One topic: ``mentions`` of ``n`` responses (``share``), the NPS of those that mention it
    and of the rest, ``impact`` = NPS(all) − NPS(rest) in points with its delta-method
    ``standard_error`` and interval (``lower``, ``upper``), and the test of NPS(topic) =
    NPS(rest): ``p_value``, and ``p_adjusted`` over the topics."""

    topic: str
    n: int
    mentions: int
    share: float
    nps_topic: float
    nps_rest: float
    impact: float
    standard_error: float
    lower: float
    upper: float
    p_value: float
    p_adjusted: float


class TopicImpactResult:
    """What ``cxm.topic_impact`` returns: a table of topics (iterate it, index it by name, or take
    ``.to_pandas()`` / ``.to_polars()``), with ``.level`` and ``.adjust``. Topics overlap, so
    their impacts do not add up."""

    def __init__(self, rows: list, level: float, adjust: str):
        self._rows = rows
        self.level, self.adjust = level, adjust
        self.topics = [TopicRow(r["topic"], r["n"], r["mentions"], r["share"], r["nps_topic"], r["nps_rest"],
                                r["impact"], r["standard_error"], r["interval"]["lower"], r["interval"]["upper"],
                                r["p_value"], r["p_adjusted"]) for r in rows]

    def __iter__(self):
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)

    def __getitem__(self, topic: str) -> TopicRow:
        for row in self.topics:
            if row.topic == topic:
                return row
        raise KeyError(topic)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TopicImpactResult):
            return NotImplemented
        return (self._rows, self.level, self.adjust) == (other._rows, other.level, other.adjust)

    def __reduce__(self) -> tuple:
        return (TopicImpactResult, (json.loads(json.dumps(self._rows)), self.level, self.adjust))

    def to_pandas(self):
        """The table as a pandas DataFrame, a row per topic."""
        import pandas as pd

        return pd.DataFrame([row._asdict() for row in self.topics])

    def to_polars(self):
        """The table as a polars DataFrame, a row per topic."""
        import polars as pl

        return pl.DataFrame([row._asdict() for row in self.topics])

    def plot(self, ax=None):
        """Each topic's impact in NPS points with its interval, most negative at the bottom.
        Returns the matplotlib axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.4 * len(self.topics) + 1))
        rows = sorted(self.topics, key=lambda r: r.impact)
        y = np.arange(len(rows))
        impacts = np.array([r.impact for r in rows])
        errors = np.array([[r.impact - r.lower for r in rows], [r.upper - r.impact for r in rows]])
        ax.barh(y, impacts, xerr=errors, capsize=3, color=["#c44e52" if v < 0 else "#55a868" for v in impacts])
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, [r.topic for r in rows])
        ax.set_xlabel(f"impact on the NPS, points ({self.level:.0%} intervals)")
        return ax

    def __repr__(self) -> str:
        body = ", ".join(f"{r.topic} {r.impact:+.1f}" for r in self.topics)
        return f"TopicImpactResult({body})"


def _flags(column: Any) -> np.ndarray:
    array = _array(column)
    if array.dtype != bool:
        if array.dtype == object or not np.isin(array, (0, 1)).all():
            raise ValueError("a topic column holds True/False (or 1/0) for every response")
        array = array.astype(bool)
    return np.ascontiguousarray(array)


def topic_impact(data: Any, *, score: str, topics: Sequence[str], level: float = 0.95, adjust: str = "holm",
                 missing: str = "reject") -> TopicImpactResult:
    """The impact of each topic on the NPS of the column ``score`` (0–10) of ``data`` (a pandas
    or polars DataFrame, or a mapping of column names to arrays); ``topics`` names boolean
    columns, one per topic (a response may mention several). Impact = NPS(all) − NPS(responses
    not mentioning the topic), the formula Thematic, zenloop and Qualtrics publish, with its
    delta-method standard error (the topic's share random too) and Wald interval at ``level``,
    and the test of NPS(topic) = NPS(rest), its p-values adjusted over the topics by ``adjust``
    (``"holm"``, ``"fdr_bh"`` or ``"none"``). Missing scores are an error unless
    ``missing="skip"``."""
    names = list(topics)
    flags = [_flags(_column(data, name, "topic")) for name in names]
    rows = _cxm._topic_impact(_floats(_column(data, score, "score")), flags, [str(n) for n in names], missing,
                              float(level), adjust)
    return TopicImpactResult(json.loads(rows), float(level), adjust)


__all__: Sequence[str] = ["topic_impact", "TopicImpactResult", "TopicRow"]
