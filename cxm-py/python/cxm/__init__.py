"""cxm: customer-experience metrics with honest statistics.

The computations live in Rust (``cxm-core``); this package is the same logic the C ABI and
Rust callers use, bit for bit.
"""

from cxm._cxm import (
    BenchmarkResult,
    ChurnResult,
    CustomerFlowResult,
    NcvgResult,
    ComparisonResult,
    CORE_FIELDS,
    DEFAULTS,
    CxmError,
    ERROR_KINDS,
    NpsResult,
    RatingResult,
    __version__,
    ces,
    churn,
    ncvg,
    rate_interval,
    compare_means,
    compare_nps,
    compare_proportions,
    csat,
    nps,
    nps_from_counts,
    nps_vs_benchmark,
    proportion_interval,
    proportion_vs_benchmark,
)
from cxm._records import customer_flow

__all__ = [
    "BenchmarkResult",
    "ChurnResult",
    "CustomerFlowResult",
    "NcvgResult",
    "ComparisonResult",
    "CORE_FIELDS",
    "CxmError",
    "DEFAULTS",
    "ERROR_KINDS",
    "NpsResult",
    "RatingResult",
    "__version__",
    "ces",
    "churn",
    "customer_flow",
    "ncvg",
    "rate_interval",
    "compare_means",
    "compare_nps",
    "compare_proportions",
    "csat",
    "nps",
    "nps_from_counts",
    "nps_vs_benchmark",
    "proportion_interval",
    "proportion_vs_benchmark",
]
