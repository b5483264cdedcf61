"""``cxm.topic_impact``: what each comment topic costs or earns the NPS (or the CSAT or CES share),
with the uncertainty the vendors' formula leaves out, overall or per segment. The core's
``topic_impact`` computes; this module reads the columns and builds the table."""

from __future__ import annotations

import json
from typing import Any, NamedTuple, Optional, Sequence

import numpy as np

from cxm import _cxm
from cxm._drivers import _floats
from cxm._records import _array, _masked
from cxm._segments import _column, _factorise, _scalar


class TopicRow(NamedTuple):
    """One topic (in one ``segment``, with ``by``): ``mentions`` of ``n`` responses (``share``,
    weighted with weights), the score of those that mention it (``topic_score``) and of the rest
    (``rest_score``), ``impact`` = score(all) − score(rest) with its delta-method
    ``standard_error`` and interval (``lower``, ``upper``), and the test of score(topic) =
    score(rest): ``p_value``, and ``p_adjusted`` over the rows. The score is the NPS in points,
    or a share (a fraction) for CSAT and CES; ``nps_topic`` and ``nps_rest`` name the NPS's."""

    topic: str
    n: int
    mentions: int
    share: float
    topic_score: float
    rest_score: float
    impact: float
    standard_error: float
    lower: float
    upper: float
    p_value: float
    p_adjusted: float
    segment: Any = None

    @property
    def nps_topic(self) -> float:
        """``topic_score``, under the NPS's name."""
        return self.topic_score

    @property
    def nps_rest(self) -> float:
        """``rest_score``, under the NPS's name."""
        return self.rest_score


class TopicImpactResult:
    """What ``cxm.topic_impact`` returns: a table of topics (iterate it, index it by name, or take
    ``.to_pandas()`` / ``.to_polars()``), with ``.metric``, ``.level`` and ``.adjust``. Its
    score columns are named after the metric (``nps_topic``, ``nps_rest``; ``csat_topic``, …).
    Topics overlap, so their impacts do not add up."""

    def __init__(self, rows: list, level: float, adjust: str, metric: str = "nps", segments: Optional[list] = None):
        self._rows = rows
        self.level, self.adjust, self.metric, self._segments = level, adjust, metric, segments
        self.topics = [TopicRow(r["topic"], r["n"], r["mentions"], r["share"], r["topic_score"], r["rest_score"],
                                r["impact"], r["standard_error"], r["interval"]["lower"], r["interval"]["upper"],
                                r["p_value"], r["p_adjusted"], None if segments is None else segments[r["group"]])
                       for r in rows]

    def __iter__(self):
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)

    def __getitem__(self, key: Any) -> TopicRow:
        """The row of topic ``key``, or with segments of ``(segment, topic)``."""
        for row in self.topics:
            if (row.topic if self._segments is None else (row.segment, row.topic)) == key:
                return row
        raise KeyError(key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TopicImpactResult):
            return NotImplemented
        mine = (self._rows, self.level, self.adjust, self.metric, self._segments)
        return mine == (other._rows, other.level, other.adjust, other.metric, other._segments)

    def __reduce__(self) -> tuple:
        return (TopicImpactResult, (json.loads(json.dumps(self._rows)), self.level, self.adjust, self.metric,
                                    self._segments))

    def _records(self) -> list:
        """The rows as dicts, the score columns named after the metric, the segment first."""
        names = {"topic_score": f"{self.metric}_topic", "rest_score": f"{self.metric}_rest"}
        records = []
        for row in self.topics:
            record = {names.get(k, k): v for k, v in row._asdict().items() if k != "segment"}
            records.append(record if self._segments is None else {"segment": row.segment, **record})
        return records

    def to_pandas(self):
        """The table as a pandas DataFrame, a row per topic (per segment and topic with ``by``)."""
        import pandas as pd

        return pd.DataFrame(self._records())

    def to_polars(self):
        """The table as a polars DataFrame, a row per topic (per segment and topic with ``by``)."""
        import polars as pl

        return pl.DataFrame(self._records())

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
        ax.set_yticks(y, [r.topic if r.segment is None else f"{r.segment}: {r.topic}" for r in rows])
        unit = "NPS, points" if self.metric == "nps" else f"{self.metric.upper()} share"
        ax.set_xlabel(f"impact on the {unit} ({self.level:.0%} intervals)")
        return ax

    def __repr__(self) -> str:
        body = ", ".join(f"{r.topic if r.segment is None else f'{r.segment}/{r.topic}'} {r.impact:+.3g}"
                         for r in self.topics)
        return f"TopicImpactResult({body})"


def _flags(column: Any, name: Any) -> np.ndarray:
    """A topic column as contiguous bools; anything but True/False (or 1/0) in it, a missing
    entry included, is a ``ValueError`` naming the topic and the index."""
    array, mask = _array(column), _masked(column)
    if mask is not None:
        raise ValueError(f"topic {name!r} is missing at index {int(np.flatnonzero(mask)[0])}: a topic column "
                         f"holds True/False (or 1/0) for every response")
    if array.dtype != bool:
        valid = np.array([v is not None and v in (0, 1) for v in array.tolist()]) if array.dtype == object \
            else np.isin(array, (0, 1))
        if not valid.all():
            i = int(np.argmin(valid))
            raise ValueError(f"topic {name!r} has {_scalar(array[i])!r} at index {i}: a topic column holds True/False "
                             f"(or 1/0) for every response")
        array = array.astype(bool)
    return np.ascontiguousarray(array)


def topic_impact(data: Any, *, score: str, topics: Sequence[str], weights: Any = None, metric: str = "nps",
                 scale: Optional[tuple] = None, threshold: Optional[int] = None, higher_is_easier: bool = True,
                 by: Any = None, level: float = 0.95, adjust: str = "holm",
                 missing: str = "reject") -> TopicImpactResult:
    """The impact of each topic on the score of the column ``score`` of ``data`` (a pandas or
    polars DataFrame, or a mapping of column names to arrays); ``topics`` names boolean
    columns, one per topic (a response may mention several). Impact = score(all) −
    score(responses not mentioning the topic), the formula Thematic, zenloop and Qualtrics
    publish, with its delta-method standard error (the topic's share random too) and Wald
    interval at ``level``, and the test of score(topic) = score(rest), its p-values adjusted
    over the rows by ``adjust`` (``"holm"``, ``"fdr_bh"`` or ``"none"``).

    ``metric``: ``"nps"`` (0–10 scores, points), or the favourable share (a fraction) of
    ``"csat"`` or ``"ces"`` answers on ``scale`` with ``threshold`` (as ``cxm.csat`` and
    ``cxm.ces`` read them; the core's scale when None). ``weights``: a column name or an array
    (shares weighted, Kish's effective n in the standard errors). ``by``: a column of segments
    (or its name): a row per segment and topic from one pass, a segment in which a topic is
    mentioned by none or all of its responses having no row for it. Missing scores are an
    error unless ``missing="skip"``."""
    if metric not in ("nps", "csat", "ces"):
        raise ValueError(f"metric={metric!r}: one of 'nps', 'csat', 'ces'")
    names = list(topics)
    flags = [_flags(_column(data, name, "topic"), name) for name in names]
    w = None if weights is None else _floats(_column(data, weights, "weights"))
    defaults = _cxm.DEFAULTS.get(metric, {"scale": (0, 10)})
    low, high = tuple(scale) if scale is not None else tuple(defaults["scale"])
    groups, segments = None, None
    if by is not None:
        codes, segments = _factorise(_column(data, by, "by"), "by", codes_ok=False)
        absent = np.flatnonzero(codes < 0)
        if absent.size:
            raise ValueError(f"the segment (by=) is missing at index {int(absent[0])}")
        groups = np.ascontiguousarray(codes, dtype=np.uint32)
    rows = _cxm._topic_impact(_floats(_column(data, score, "score")), flags, [str(n) for n in names], w, metric,
                              (int(low), int(high), threshold, bool(higher_is_easier)), groups,
                              0 if segments is None else len(segments), missing, float(level), adjust)
    return TopicImpactResult(json.loads(rows), float(level), adjust, metric, segments)


__all__: Sequence[str] = ["topic_impact", "TopicImpactResult", "TopicRow"]
