"""Type stubs for the native module; checked against it by ``mypy.stubtest``."""

from typing import Any, Literal, Optional

from typing_extensions import final

__all__ = ["CxmError", "NpsResult", "nps", "nps_from_counts", "__version__"]
__version__: str

_Missing = Literal["reject", "skip"]
_NpsMethod = Literal["wald", "adjusted_wald", "score"]

class CxmError(ValueError):
    """Raised for input cxm refuses. The message names the value and its index; ``kind`` is a
    stable name for the error, e.g. ``"score_out_of_range"``."""

    kind: str

@final
class NpsResult:
    """A Net Promoter Score with its shares, standard error and intervals.

    Shares are fractions (0..1); ``score`` and ``standard_error`` are in points (-100..100).
    With weights, shares are weighted and ``effective_n`` is Kish's (sum w)^2 / sum w^2.
    """

    @property
    def score(self) -> float: ...
    @property
    def n(self) -> int: ...
    @property
    def promoters(self) -> int: ...
    @property
    def passives(self) -> int: ...
    @property
    def detractors(self) -> int: ...
    @property
    def promoter_share(self) -> float: ...
    @property
    def passive_share(self) -> float: ...
    @property
    def detractor_share(self) -> float: ...
    @property
    def standard_error(self) -> float: ...
    @property
    def effective_n(self) -> float: ...
    def confidence_interval(self, level: float = 0.95, method: _NpsMethod = "wald") -> tuple[float, float]:
        """Two-sided interval for the score in points, clipped to [-100, 100].

        Methods: ``"wald"``, ``"adjusted_wald"`` (Rocks 2016; recommended), ``"score"``.
        Raises ``CxmError`` for a level outside (0, 1) or an unknown method."""
    def to_dict(self) -> dict[str, float]: ...

def nps(scores: Any, *, weights: Optional[Any] = None, missing: _Missing = "reject") -> NpsResult:
    """The NPS of 0-10 scores.

    ``scores``: a list (``None`` = missing), a 1-D numpy array of any integer or float dtype
    (read without copying; NaN = missing), or a pandas/polars Series or pyarrow array.
    ``weights``: one non-negative weight per score, or None. ``missing``: ``"reject"`` raises
    on a missing score, ``"skip"`` leaves it out. Raises ``CxmError`` naming the bad value and
    its index."""

def nps_from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    """An NPS from counts already tallied."""
