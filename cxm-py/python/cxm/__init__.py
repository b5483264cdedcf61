"""cxm: customer-experience metrics with honest statistics.

The computations live in Rust (``cxm-core``); this package is the same logic the C ABI and
Rust callers use, bit for bit.
"""

from cxm._cxm import (
    CxmError,
    NpsResult,
    RatingResult,
    __version__,
    ces,
    csat,
    nps,
    nps_from_counts,
    proportion_interval,
)

__all__ = [
    "CxmError",
    "NpsResult",
    "RatingResult",
    "__version__",
    "ces",
    "csat",
    "nps",
    "nps_from_counts",
    "proportion_interval",
]
