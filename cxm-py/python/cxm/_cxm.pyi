"""Type stubs for the native module; checked against it by ``mypy.stubtest``."""

import datetime as _dt
from typing import Any, Literal, Optional, Sequence, overload

from typing_extensions import final

__all__ = [
    "CxmError",
    "_rake",
    "Raking",
    "CalibratedEstimate",
    "_segment_table",
    "_bucket_periods",
    "_group_states",
    "_count_states",
    "_states_table",
    "_period_labels",
    "_durations",
    "_contact_centre",
    "_drivers",
    "_topic_impact",
    "adjust_p_values",
    "NpsState",
    "RatingState",
    "DurationState",
    "ContactCentreState",
    "_restore",
    "CORE_FIELDS",
    "DEFAULTS",
    "ERROR_KINDS",
    "NpsResult",
    "nps",
    "nps_from_counts",
    "RatingResult",
    "csat",
    "ces",
    "proportion_interval",
    "ComparisonResult",
    "compare_proportions",
    "compare_nps",
    "compare_means",
    "LiftResult",
    "lift",
    "NamedRateResult",
    "rate",
    "BenchmarkResult",
    "nps_vs_benchmark",
    "proportion_vs_benchmark",
    "ChurnResult",
    "churn",
    "NcvgResult",
    "ncvg",
    "CustomerFlowResult",
    "_customer_flow",
    "_churn_lift",
    "rate_interval",
    "annual_from_monthly",
    "monthly_from_annual",
    "__version__",
]
__version__: str

_Missing = Literal["reject", "skip"]
_NpsMethod = Literal["wald", "adjusted_wald", "score", "bootstrap", "bayesian"]
_ProportionMethod = Literal["wilson", "agresti_coull", "clopper_pearson", "jeffreys", "wald"]
_RateMethod = Literal["exact", "jeffreys", "score", "wald", "wald_ccv", "sqrt_anscombe"]
_ChurnBasis = Literal["start", "average"]
_NamedRate = Literal[
    "first_contact_resolution", "renewal", "referral", "cart_abandonment", "post_incident_loss"
]

CORE_FIELDS: dict[str, list[str]]
"""Each result class's fields as the core declares them (the Rust type's field names)."""

DEFAULTS: dict[str, Any]
"""The core's defaults (level, methods, alternative, simulation sizes, the CSAT and CES scales)
that every signature here spells out."""

ERROR_KINDS: dict[str, int]
"""Every kind of ``CxmError`` and its stable code (the C ABI's status), as the core declares them."""

class CxmError(ValueError):
    """Raised for input cxm refuses. The message names the value and its index; ``kind`` is a
    stable name for the error, e.g. ``"score_out_of_range"``, and ``code`` its number, the
    status the C ABI returns for it; ``index`` the position of the value refused (None when
    the error names none) and ``label`` its pandas index label when the data came as a Series
    with a non-default index (the message then says it too)."""

    kind: str
    code: int
    index: Optional[int]
    label: Any

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
    def confidence_interval(
        self,
        level: float = 0.95,
        method: _NpsMethod = "adjusted_wald",
        *,
        resamples: int = 10000,
        seed: int = 0,
        prior: Optional[tuple[float, float, float]] = None,
        draws: int = 100000,
    ) -> tuple[float, float]:
        """Two-sided interval for the score in points, clipped to [-100, 100].

        Methods: ``"wald"``, ``"adjusted_wald"`` (Rocks 2016; recommended), ``"score"``;
        ``"bootstrap"``: the percentile interval of ``resamples`` (2 to 10 000 000) seeded
        multinomial resamples; ``"bayesian"``: the equal-tailed credible interval under the
        Dirichlet posterior ``prior`` + counts, ``prior`` given as (promoters, passives,
        detractors) weights (None: uniform, (1, 1, 1)), estimated by seeded Monte Carlo from ``draws``
        posterior draws. For both, the same seed gives the same interval in Python, Rust and C,
        and the cost does not grow with n; weighted data count ``effective_n`` responses.
        Raises ``CxmError`` for a level outside (0, 1), an unknown method, a bad prior, a
        number of resamples or draws out of range (kind ``"invalid_simulation_size"``) or a
        seed outside 0..2**64 - 1 (kind ``"outside_supported_range"``)."""
    def to_dict(
        self, *, level: float = 0.95, method: Literal["wald", "adjusted_wald", "score"] = "adjusted_wald"
    ) -> dict[str, float]:
        """The fields, plus the interval at ``level`` by ``method`` as ``lower`` and ``upper``,
        and ``level``: one row of a data frame, all numbers."""

@overload
def nps(scores: Any, *, weights: None = None, missing: _Missing = "reject", calibration: Raking) -> CalibratedEstimate: ...
@overload
def nps(scores: Any, *, weights: Optional[Any] = None, missing: _Missing = "reject", calibration: None = None) -> NpsResult:
    """The NPS of 0-10 scores.

    ``scores``: a list, tuple or iterator (a generator), a 1-D numpy array of any integer or
    float dtype (read without copying when native and contiguous; other byte orders, float16
    and strided arrays are converted), or a pandas/polars Series or pyarrow array. Missing
    values are ``None``, NaN, ``pandas.NA`` and the masked entries of a numpy masked array.
    Bools and strings are refused (``TypeError`` naming the index and value), as is anything
    not one-dimensional. ``weights``: one non-negative weight per score, or None, read the same
    way (a masked weight is an invalid weight). ``missing``: ``"reject"`` raises on a missing
    score, ``"skip"`` leaves it out. Raises ``CxmError`` naming the bad value and its index.

    With ``calibration`` (a ``Raking`` from ``cxm.rake``, one row per score) instead of weights:
    a ``CalibratedEstimate``, the NPS with the raked weights and a standard error that accounts
    for the raking."""

def nps_from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    """An NPS from counts already tallied; a count outside 0..2**64 - 1 raises ``CxmError``
    (kind ``"outside_supported_range"``)."""

@final
class RatingResult:
    """The favourable share and the mean of answers on a rating scale (CSAT, CES).

    ``share`` is a fraction; with weights, share, mean and standard_deviation are weighted and
    ``effective_n`` is Kish's (sum w)^2 / sum w^2, which the intervals use in place of n.
    """

    @property
    def n(self) -> int: ...
    @property
    def favourable(self) -> int: ...
    @property
    def share(self) -> float: ...
    @property
    def mean(self) -> float: ...
    @property
    def standard_deviation(self) -> float:
        """Sample standard deviation (n - 1 form); NaN below two responses."""
    @property
    def effective_n(self) -> float: ...
    @property
    def scale(self) -> tuple[int, int]: ...
    @property
    def threshold(self) -> int: ...
    @property
    def higher_is_better(self) -> bool: ...
    def share_interval(self, level: float = 0.95, method: _ProportionMethod = "wilson") -> tuple[float, float]:
        """Interval for ``share`` as statsmodels' proportion_confint defines the method."""
    def mean_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Student t interval for ``mean``; raises CxmError below two responses."""
    def to_dict(self) -> dict[str, Any]: ...

@overload
def csat(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    threshold: Optional[int] = None,
    weights: None = None,
    missing: _Missing = "reject",
    calibration: Raking,
) -> CalibratedEstimate: ...
@overload
def csat(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    threshold: Optional[int] = None,
    weights: Optional[Any] = None,
    missing: _Missing = "reject",
    calibration: None = None,
) -> RatingResult:
    """CSAT: share of answers at or above ``threshold`` on ``scale`` (default 4-5 of 1-5), and the mean.

    ``scores``, ``weights`` and ``missing`` are read as by ``nps``; with ``calibration`` (a
    ``Raking``), the ``CalibratedEstimate`` of the satisfied share."""

@overload
def ces(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    threshold: Optional[int] = None,
    higher_is_easier: bool = True,
    weights: None = None,
    missing: _Missing = "reject",
    calibration: Raking,
) -> CalibratedEstimate: ...
@overload
def ces(
    scores: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    threshold: Optional[int] = None,
    higher_is_easier: bool = True,
    weights: Optional[Any] = None,
    missing: _Missing = "reject",
    calibration: None = None,
) -> RatingResult:
    """CES: share of "easy" answers (at or above ``threshold``, or at or below it when
    ``higher_is_easier=False``, as on 1-5 effort scales), and the mean; with ``calibration``
    (a ``Raking``), the ``CalibratedEstimate`` of the easy share."""

def proportion_interval(
    successes: float, n: float, level: float = 0.95, method: _ProportionMethod = "wilson"
) -> tuple[float, float]:
    """Confidence interval for successes / n, as statsmodels' proportion_confint defines it."""

@final
class ComparisonResult:
    """Group 1 minus group 2: the difference, its interval, the test statistic and p-value."""

    @property
    def method(self) -> str:
        """"newcombe_score", "nps_wald", "nps_adjusted_wald" or "welch"."""
    @property
    def estimate(self) -> float:
        """Group 1 minus group 2 (points for NPS, a fraction for proportions)."""
    @property
    def difference(self) -> float:
        """The old name of ``estimate``, kept for code written before it."""
    @property
    def interval(self) -> tuple[float, float]: ...
    @property
    def p_value(self) -> float:
        """Two-sided p-value of "no difference"."""
    @property
    def statistic(self) -> float: ...
    @property
    def degrees_of_freedom(self) -> float:
        """inf for a z statistic."""
    @property
    def level(self) -> float: ...
    @property
    def n1(self) -> float: ...
    @property
    def n2(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...

def compare_proportions(
    successes1: float, n1: float, successes2: float, n2: float, level: float = 0.95
) -> ComparisonResult:
    """p1 - p2 with Newcombe's hybrid score interval and the score test (statsmodels'
    confint_proportions_2indep(method="newcomb") and test_proportions_2indep(method="score"))."""

def compare_nps(
    a: Any,
    b: Any,
    level: float = 0.95,
    method: Literal["wald", "adjusted_wald"] = "adjusted_wald",
    *,
    missing: Literal["reject", "skip"] = "reject",
) -> ComparisonResult:
    """NPS(a) - NPS(b) in points; a and b are NpsResult objects or scores for cxm.nps, read with
    ``missing`` (another cxm result, such as a RatingResult, raises ``TypeError``)."""

def compare_means(a: RatingResult, b: RatingResult, level: float = 0.95) -> ComparisonResult:
    """mean(a) - mean(b) with Welch's t test and interval; anything but two RatingResult
    raises ``TypeError``."""

@final
class LiftResult:
    """Lift of group a over group b: the relative risk with its log (Katz) interval and
    statsmodels' default test of a ratio, the risk difference with Newcombe's interval and the
    odds ratio with Woolf's. Every number is finite. Pickles, and compares equal after a round
    trip."""

    @property
    def events_a(self) -> int: ...
    @property
    def n_a(self) -> int: ...
    @property
    def events_b(self) -> int: ...
    @property
    def n_b(self) -> int: ...
    @property
    def level(self) -> float: ...
    @property
    def ratio(self) -> float:
        """The relative risk (events_a / n_a) / (events_b / n_b)."""
    @property
    def interval(self) -> tuple[float, float]:
        """The ratio's log (Katz) interval."""
    @property
    def ratio_method(self) -> str:
        """``"katz_log"``."""
    @property
    def statistic(self) -> float:
        """z of "no lift" (a ratio of 1)."""
    @property
    def p_value(self) -> float:
        """Two-sided, by ``test_method``."""
    @property
    def test_method(self) -> str:
        """``"log_adjusted"``: statsmodels' default test of a ratio (1/2 added to counts and
        sizes); not the test the Katz interval inverts."""
    @property
    def difference(self) -> float:
        """events_a / n_a - events_b / n_b."""
    @property
    def difference_interval(self) -> tuple[float, float]:
        """Newcombe's hybrid score interval of the difference."""
    @property
    def difference_method(self) -> str:
        """``"newcombe"``."""
    @property
    def odds_ratio(self) -> float: ...
    @property
    def odds_ratio_interval(self) -> tuple[float, float]:
        """Woolf's logit interval of the odds ratio."""
    @property
    def odds_ratio_method(self) -> str:
        """``"woolf"``."""
    @property
    def zero_cell_correction(self) -> bool:
        """True when a cell of the 2x2 table was 0 and 1/2 was added to every cell for the
        ratio and the odds ratio (statsmodels' documented Table2x2 handling)."""
    def to_dict(self) -> dict[str, Any]: ...

def lift(events_a: int, n_a: int, events_b: int, n_b: int, level: float = 0.95) -> LiftResult:
    """Lift of group a (events_a of n_a) over group b (events_b of n_b). Bad counts raise
    CxmError (``invalid_event_count``) naming the count."""

@final
class NamedRateResult:
    """A named rate (successes / n) with its proportion interval and its name. Pickles, and
    compares equal after a round trip."""

    @property
    def name(self) -> str:
        """``"first_contact_resolution"``, ``"renewal"``, ``"referral"``, ``"cart_abandonment"``
        or ``"post_incident_loss"``."""
    @property
    def successes(self) -> int: ...
    @property
    def n(self) -> int: ...
    @property
    def estimate(self) -> float:
        """successes / n."""
    @property
    def interval(self) -> tuple[float, float]: ...
    @property
    def level(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def counts(self) -> tuple[str, str]:
        """What the rate divides, in words: (successes, n)."""
    def to_dict(self) -> dict[str, Any]: ...

def rate(
    name: _NamedRate, successes: int, n: int, level: float = 0.95, method: _ProportionMethod = "wilson"
) -> NamedRateResult:
    """The named rate successes / n with its proportion interval (as proportion_interval)."""

@final
class BenchmarkResult:
    """A one-sided test of an estimate against a benchmark, with the estimate's interval."""

    @property
    def method(self) -> str: ...
    @property
    def estimate(self) -> float: ...
    @property
    def benchmark(self) -> float: ...
    @property
    def alternative(self) -> str: ...
    @property
    def interval(self) -> tuple[float, float]: ...
    @property
    def statistic(self) -> float:
        """z; NaN for the exact binomial test."""
    @property
    def p_value(self) -> float:
        """One-sided, in the direction of ``alternative``."""
    @property
    def level(self) -> float: ...
    @property
    def n(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...

def nps_vs_benchmark(
    nps: Any,
    benchmark: float,
    *,
    alternative: Literal["greater", "less"] = "greater",
    level: float = 0.95,
    method: Literal["wald", "adjusted_wald", "score"] = "adjusted_wald",
) -> BenchmarkResult:
    """Is the NPS above (or below) ``benchmark`` points? ``nps`` is an NpsResult or scores.
    The statistic is the one the method's interval inverts (the score test by default)."""

def proportion_vs_benchmark(
    successes: float,
    n: float,
    benchmark: float,
    *,
    alternative: Literal["greater", "less"] = "greater",
    level: float = 0.95,
    method: Literal["wilson", "clopper_pearson", "wald"] = "wilson",
) -> BenchmarkResult:
    """Is successes / n above (or below) ``benchmark``? Wilson: score z test; clopper_pearson:
    exact binomial test (whole counts); wald: z with the sample variance."""

def adjust_p_values(p_values: Any, method: Literal["holm", "fdr_bh", "none"] = "holm") -> list[float]:
    """p-values adjusted for their number, as statsmodels' ``multipletests(p, method=...)[1]``:
    ``"holm"`` (family-wise error rate), ``"fdr_bh"`` (Benjamini-Hochberg) or ``"none"``."""

def _segment_table(
    metric: str,
    scores: Any,
    weights: Optional[Any],
    keys: list[Any],
    *,
    missing: str,
    level: float,
    method: Optional[str],
    compare: str,
    baseline: Optional[list[int]],
    adjust: str,
    min_n: int,
    periods: bool,
    rolling: Optional[int],
    scale: Optional[tuple[int, int, Optional[int], bool]] = None,
) -> dict[str, Any]: ...
def _bucket_periods(times: list[int], freq: str, utc_offset: int) -> tuple[list[int], int, list[str]]: ...
def _group_states(
    metric: str,
    scores: Any,
    weights: Optional[Any],
    keys: list[Any],
    *,
    missing: str,
    scale: Optional[tuple[int, int, Optional[int], bool]] = None,
) -> tuple[list[Any], list[bytes]]: ...
def _count_states(
    metric: str,
    scores: list[float],
    counts: list[int],
    keys: list[Any],
    *,
    missing: str,
    scale: Optional[tuple[int, int, Optional[int], bool]] = None,
) -> tuple[list[Any], list[bytes]]: ...
def _states_table(
    metric: str,
    keys: list[Any],
    states: list[bytes],
    *,
    level: float,
    method: Optional[str],
    compare: str,
    baseline: Optional[list[int]],
    adjust: str,
    min_n: int,
    periods: bool,
    rolling: Optional[int],
    scale: Optional[tuple[int, int, Optional[int], bool]] = None,
) -> dict[str, Any]: ...
def _period_labels(first: int, last: int, freq: str) -> list[str]: ...
def _contact_centre(
    wait_seconds: Any,
    answered: Any,
    short_abandon_seconds: Optional[float],
    service_level_seconds: float,
    percentiles: list[float],
    level: float,
) -> dict[str, Any]: ...
def _durations(
    seconds: Any,
    open: Optional[Any],
    weights: Optional[Any],
    percentiles: list[float],
    within: Optional[float],
    level: float,
    conf_type: str,
) -> dict[str, Any]: ...

@final
class NpsState:
    """A running NPS: add scores in batches or one by one, merge states from other threads,
    processes or machines, and ``finish()`` into the ``NpsResult`` that ``cxm.nps`` gives for
    all the scores at once, to the bit. ``to_bytes()`` is cxm's documented binary format, the
    same from Rust, C and Python."""

    def __new__(cls) -> NpsState: ...
    def add(self, scores: Any, weights: Optional[Any] = None, *, missing: _Missing = "reject") -> None:
        """Adds one score or an array (everything ``cxm.nps`` accepts), with one weight per
        score or None. On error the state is unchanged."""
    def by_group(
        self, scores: Any, groups: Any, group_count: int, weights: Optional[Any] = None, *, missing: _Missing = "reject"
    ) -> list[NpsState]:
        """One state per group in one pass: row i belongs to group ``groups[i]`` (below
        ``group_count``); each has this state's parameters and its group's responses alone."""
    def merge(self, other: NpsState) -> NpsState:
        """A new state with the responses of both."""
    def __add__(self, other: NpsState, /) -> NpsState: ...
    def __radd__(self, other: NpsState, /) -> NpsState: ...
    def finish(self) -> NpsResult:
        """The NPS of every response added and merged."""
    @property
    def n(self) -> int: ...
    @property
    def weighted(self) -> bool: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> NpsState:
        """Reads ``to_bytes()`` back; bad bytes raise ``CxmError`` (kind ``invalid_state``)."""
    def __eq__(self, other: object, /) -> bool: ...
    def __copy__(self) -> NpsState: ...
    def __deepcopy__(self, memo: Any) -> NpsState: ...

@final
class RatingState:
    """A running CSAT, CES or any rating on a scale: add, merge, ``finish()`` into the
    ``RatingResult`` of all the answers at once, to the bit. States of different scales do not
    merge."""

    def __new__(
        cls, scale: tuple[int, int] = (1, 5), threshold: Optional[int] = None, higher_is_better: bool = True
    ) -> RatingState: ...
    def add(self, scores: Any, weights: Optional[Any] = None, *, missing: _Missing = "reject") -> None: ...
    def by_group(
        self, scores: Any, groups: Any, group_count: int, weights: Optional[Any] = None, *, missing: _Missing = "reject"
    ) -> list[RatingState]:
        """One state per group in one pass: row i belongs to group ``groups[i]`` (below
        ``group_count``); each has this state's parameters and its group's responses alone."""
    def merge(self, other: RatingState) -> RatingState: ...
    def __add__(self, other: RatingState, /) -> RatingState: ...
    def __radd__(self, other: RatingState, /) -> RatingState: ...
    def finish(self) -> RatingResult: ...
    @property
    def n(self) -> int: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def scale(self) -> tuple[int, int]: ...
    @property
    def threshold(self) -> int: ...
    @property
    def higher_is_better(self) -> bool: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> RatingState: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __copy__(self) -> RatingState: ...
    def __deepcopy__(self, memo: Any) -> RatingState: ...

@final
class DurationState:
    """A running summary of unweighted durations (waits, handle times, times to resolution with
    cases still open): add, merge, ``finish()`` into the ``DurationsResult`` that
    ``cxm.durations`` gives for all the records at once, to the bit. Its size grows with the
    distinct times, not the records."""

    def __new__(cls) -> DurationState: ...
    def add(self, seconds: Any, open: Optional[Any] = None, weights: Optional[Any] = None) -> None: ...
    def merge(self, other: DurationState) -> DurationState: ...
    def __add__(self, other: DurationState, /) -> DurationState: ...
    def __radd__(self, other: DurationState, /) -> DurationState: ...
    def finish(
        self, percentiles: Sequence[float] = (50.0, 90.0), within: Optional[float] = None, level: float = 0.95,
        conf_type: str = "log-log",
    ) -> Any: ...
    @property
    def n(self) -> int: ...
    @property
    def weighted(self) -> bool: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> DurationState: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __copy__(self) -> DurationState: ...
    def __deepcopy__(self, memo: Any) -> DurationState: ...

@final
class ContactCentreState:
    """A running tally of contact records (waits, answered or abandoned): add, merge,
    ``finish()`` into the ``ContactCentreResult`` that ``cxm.contact_centre`` gives for all the
    contacts at once, to the bit. It keeps the waits, not counts at thresholds, so the
    service-level and short-abandon times are chosen when it is finished. Its size grows with
    the distinct waits, not the contacts."""

    def __new__(cls) -> ContactCentreState: ...
    def add(self, wait_seconds: Any, answered: Any) -> None: ...
    def merge(self, other: ContactCentreState) -> ContactCentreState: ...
    def __add__(self, other: ContactCentreState, /) -> ContactCentreState: ...
    def __radd__(self, other: ContactCentreState, /) -> ContactCentreState: ...
    def finish(
        self, *, short_abandon_seconds: Optional[float] = None, service_level_seconds: float = 20.0,
        percentiles: Sequence[float] = (50.0, 90.0), level: float = 0.95,
    ) -> Any: ...
    @property
    def n(self) -> int: ...
    @property
    def weighted(self) -> bool: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> ContactCentreState: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __copy__(self) -> ContactCentreState: ...
    def __deepcopy__(self, memo: Any) -> ContactCentreState: ...

def _topic_impact(
    scores: Any, topics: Sequence[Any], names: Sequence[str], weights: Optional[Any], metric: str,
    scale: tuple[int, int, Optional[int], bool], groups: Optional[Any], group_count: int, missing: str, level: float,
    adjust: str,
) -> str: ...
def _drivers(
    score: Any, drivers: Sequence[Any], names: Sequence[str], weights: Optional[Any], method: str, resamples: int,
    seed: int, level: float, missing: str, permutations: int,
) -> str: ...
def _restore(class_name: str, state: dict[str, Any]) -> Any:
    """Reads back a pickled result (its class name and its ``to_dict``); the core checks it."""

@final
class ChurnResult:
    """Churn over a period from its counts, with retention and growth. Pickles, and compares
    equal after a round trip."""

    @property
    def lost(self) -> int: ...
    @property
    def customers_at_start(self) -> int: ...
    @property
    def customers_at_end(self) -> Optional[int]: ...
    @property
    def basis(self) -> str:
        """``"start"`` (lost / customers at start) or ``"average"`` (lost / mean of start and end)."""
    @property
    def rate(self) -> float: ...
    @property
    def retention(self) -> float:
        """(customers_at_start - lost) / customers_at_start."""
    @property
    def growth(self) -> Optional[float]:
        """(customers_at_end - customers_at_start) / customers_at_start, or None."""
    def interval(self, level: float = 0.95, method: Optional[str] = None) -> tuple[float, float]:
        """Confidence interval for ``rate``: a proportion method (default ``"wilson"``) on the
        start basis, a Poisson-rate method (default ``"exact"``, Garwood) on the average basis."""
    def to_dict(self) -> dict[str, Any]: ...

def churn(
    *,
    lost: int,
    customers_at_start: int,
    customers_at_end: Optional[int] = None,
    basis: _ChurnBasis = "start",
) -> ChurnResult:
    """Churn of ``lost`` of ``customers_at_start`` customers. ``basis="average"`` divides by
    (start + end) / 2 and needs ``customers_at_end``. Negative counts, zero customers at the
    start and ``lost > customers_at_start`` raise CxmError."""

@final
class NcvgResult:
    """Net customer value growth: customers gained minus lost, as counts and as value in
    integer minor units (e.g. cents). Every field is an int."""

    @property
    def new_count(self) -> int: ...
    @property
    def new_value(self) -> int: ...
    @property
    def lost_count(self) -> int: ...
    @property
    def lost_value(self) -> int: ...
    @property
    def net_count(self) -> int: ...
    @property
    def net_value(self) -> int: ...
    def to_dict(self) -> dict[str, int]: ...

def ncvg(*, new_count: int, new_value: int, lost_count: int, lost_value: int) -> NcvgResult:
    """NCVG from totals. Values are integer minor units; negatives raise, and so does any value
    past a 64-bit integer (``value_overflow``)."""

@final
class CustomerFlowResult:
    """The customers over a window ``[window_start, window_end)`` (seconds since the Unix epoch):
    at the start and end, gained, lost, customer-months at risk and the revenue view."""

    @property
    def window_start(self) -> int: ...
    @property
    def window_end(self) -> int: ...
    @property
    def window_start_datetime(self) -> _dt.datetime:
        """The window start as a timezone-aware UTC datetime."""
    @property
    def window_end_datetime(self) -> _dt.datetime:
        """The window end (excluded) as a timezone-aware UTC datetime."""
    @property
    def customers_at_start(self) -> int: ...
    @property
    def customers_at_end(self) -> int: ...
    @property
    def gained(self) -> int: ...
    @property
    def lost(self) -> int: ...
    @property
    def exposure_months(self) -> float:
        """Customer-months at risk of the customers at the start (a month is 365.25/12 days)."""
    @property
    def churn_by_exposure(self) -> float:
        """lost / exposure_months: customers lost per customer-month."""
    @property
    def has_values(self) -> bool: ...
    @property
    def value_at_start(self) -> int: ...
    @property
    def value_at_end(self) -> int: ...
    @property
    def new_value(self) -> int: ...
    @property
    def lost_value(self) -> int: ...
    @property
    def expansion(self) -> int: ...
    @property
    def contraction(self) -> int: ...
    @property
    def gross_revenue_churn(self) -> float: ...
    @property
    def gross_revenue_retention(self) -> float: ...
    @property
    def net_revenue_retention(self) -> float: ...
    def churn(self, basis: _ChurnBasis = "start") -> ChurnResult: ...
    def ncvg(self) -> NcvgResult: ...
    def churn_by_exposure_interval(self, level: float = 0.95, method: _RateMethod = "exact") -> tuple[float, float]:
        """Poisson-rate interval of ``lost`` over ``exposure_months``."""
    def to_dict(self) -> dict[str, Any]: ...

def _customer_flow(
    starts: Any,
    ends: Optional[Any],
    values: Optional[Any],
    customers: Optional[Any],
    window_start: int,
    window_end: int,
) -> CustomerFlowResult:
    """The flow from int64 numpy columns in seconds; ``cxm.customer_flow`` converts to them."""

def _churn_lift(
    starts: Any,
    ends: Optional[Any],
    customers: Any,
    window_start: int,
    window_end: int,
    marked_customers: Any,
    marked: Any,
    level: float,
) -> dict[str, Any]:
    """The core's ``churn_lift`` from int64 numpy columns; ``cxm.churn_lift`` converts to them."""

def annual_from_monthly(monthly: float) -> float:
    """The annual churn ``1 - (1 - monthly)**12`` implied by a monthly churn when each month
    loses the same share (Gold, *Fighting Churn with Data*, 2.2)."""

def monthly_from_annual(annual: float) -> float:
    """The monthly churn ``1 - (1 - annual)**(1/12)`` that compounds to ``annual``: the inverse
    of ``annual_from_monthly``."""

def rate_interval(
    count: float, exposure: float, level: float = 0.95, method: _RateMethod = "exact"
) -> tuple[float, float]:
    """Confidence interval for the Poisson rate count / exposure, as statsmodels'
    ``confint_poisson`` defines it (``exact`` is its ``exact-c``, Garwood)."""

@final
class CalibratedEstimate:
    """A raked estimate (NPS points, or a share in 0..1) with ``standard_error`` by
    linearization on the calibration residuals (as R ``survey``'s ``svymean`` on a calibrated
    design) and its Wald ``interval`` at ``level``; beside them ``fixed_weights_standard_error``
    (the weights taken as fixed) and ``kish_standard_error`` (what ``cxm.nps(weights=...)``
    reports)."""

    @property
    def estimate(self) -> float: ...
    @property
    def n(self) -> int: ...
    @property
    def standard_error(self) -> float: ...
    @property
    def interval(self) -> tuple[float, float]: ...
    @property
    def fixed_weights_standard_error(self) -> float: ...
    @property
    def kish_standard_error(self) -> float: ...
    @property
    def effective_n(self) -> float: ...
    @property
    def level(self) -> float: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> Any: ...

@final
class Raking:
    """Weights raked to population margins: what ``cxm.rake`` returns."""

    @property
    def weights(self) -> Any:
        """Each row's weight, in the input's order (a new float64 array)."""
    @property
    def n(self) -> int: ...
    @property
    def iterations(self) -> int: ...
    @property
    def converged(self) -> bool: ...
    @property
    def max_residual(self) -> float: ...
    @property
    def residuals(self) -> dict[str, dict[Any, float]]:
        """Margin -> category -> ``(achieved - target) / target``."""
    @property
    def margins(self) -> list[dict[str, Any]]:
        """Each margin: ``name``, ``targets``, ``achieved``, ``residuals``."""
    @property
    def bounds(self) -> Optional[tuple[float, float]]: ...
    @property
    def trimmed(self) -> int: ...
    @property
    def design_effect(self) -> float: ...
    @property
    def effective_n(self) -> float: ...
    @property
    def efficiency(self) -> float: ...
    def trim(self, lower: float = 0.0, upper: Optional[float] = None) -> Raking:
        """The weights trimmed to ``[lower, upper]`` x their mean (``upper=None``: no upper
        bound), the excess shared equally by the others (R ``survey::trimWeights(strict=TRUE)``)."""
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> Any: ...
    def nps(self, scores: Any, *, missing: _Missing = "reject", level: float = 0.95) -> CalibratedEstimate:
        """The NPS with these weights and standard errors that account for the raking."""
    def csat(
        self,
        answers: Any,
        *,
        scale: tuple[int, int] = (1, 5),
        threshold: Optional[int] = None,
        missing: _Missing = "reject",
        level: float = 0.95,
    ) -> CalibratedEstimate:
        """The CSAT share with these weights and standard errors that account for the raking."""
    def ces(
        self,
        answers: Any,
        *,
        scale: tuple[int, int] = (1, 7),
        threshold: Optional[int] = None,
        higher_is_easier: bool = True,
        missing: _Missing = "reject",
        level: float = 0.95,
    ) -> CalibratedEstimate:
        """The CES share with these weights and standard errors that account for the raking."""

def _rake(
    codes: list[Any],
    targets: list[list[float]],
    names: list[str],
    base_weights: Optional[Any],
    tolerance: Optional[float],
    max_iterations: Optional[int],
    bounds: Optional[tuple[float, float]],
    categories: Optional[list[list[Any]]] = None,
    labels: Optional[list[Optional[list[str]]]] = None,
) -> Raking: ...
