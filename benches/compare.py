#!/usr/bin/env python3
"""cxm against what a Python user would write instead, in one process, on the same data.

    bash scripts/bench.sh            # builds cxm in release mode, then runs this and criterion

Each peer computes the same thing: the NPS of n scores on 0..10 (shares of 9-10 and 0-6), the
weighted NPS, and the bootstrap and Bayesian intervals of an NPS. Reported: the best of several runs, and each peer's time as a ratio to cxm's
(> 1 means cxm is faster). Every peer's answer is checked against cxm's before it is timed.
"""

import math
import sys
import timeit

import numpy as np

import cxm


def best_seconds(fn, repeat=7):
    number = max(1, int(0.2 / max(timeit.timeit(fn, number=1), 1e-7)))
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def peers(scores, weights):
    out = {}
    out["numpy (mask means)"] = lambda: 100 * ((scores >= 9).mean() - (scores <= 6).mean())

    def numpy_bincount():
        c = np.bincount(scores, minlength=11)
        return 100 * (c[9:].sum() - c[:7].sum()) / c.sum()

    out["numpy (bincount)"] = numpy_bincount
    try:
        import pandas as pd

        s = pd.Series(scores)
        out["pandas"] = lambda: 100 * ((s >= 9).mean() - (s <= 6).mean())
    except ImportError:
        pass
    try:
        import polars as pl

        ps = pl.Series(scores)
        out["polars"] = lambda: 100 * ((ps >= 9).mean() - (ps <= 6).mean())
    except ImportError:
        pass
    weighted = {
        "numpy weighted": lambda: 100 * (weights[scores >= 9].sum() - weights[scores <= 6].sum()) / weights.sum(),
    }
    return out, weighted


def simulated_intervals(rng):
    """The bootstrap (10 000 resamples) and the Bayesian interval (100 000 draws) against numpy's
    multinomial and Dirichlet samplers with numpy's percentiles, at a small and a huge n. The
    peers use another random stream, so their limits are checked to Monte Carlo accuracy."""
    for n in (1_000, 100_000_000):
        counts = np.array([n // 2, n * 3 // 10, n // 5])  # promoters, passives, detractors
        result = cxm.nps_from_counts(*counts.tolist())
        shares = counts / n
        se = result.standard_error

        def numpy_bootstrap():
            p, _, d = rng.multinomial(n, shares, size=10_000).T
            return np.percentile(100 * (p - d) / n, [2.5, 97.5])

        def numpy_bayesian():
            theta = rng.dirichlet(counts + 1.0, size=100_000)
            return np.percentile(100 * (theta[:, 0] - theta[:, 2]), [2.5, 97.5])

        for task, mine, fn in (
            ("bootstrap 10k", lambda: result.confidence_interval(0.95, "bootstrap"), numpy_bootstrap),
            ("bayesian 100k", lambda: result.confidence_interval(0.95, "bayesian"), numpy_bayesian),
        ):
            assert np.allclose(fn(), mine(), atol=0.1 * se), (task, fn(), mine())
            t, ours = best_seconds(fn, repeat=3), best_seconds(mine, repeat=3)
            print(f"{n:>11,}  {task:<22}{'numpy':<22}{t * 1e3:>10.3f}ms{ours * 1e3:>10.3f}ms{t / ours:>8.1f}")


def main():
    sizes = [int(x) for x in sys.argv[1:]] or [10_000, 1_000_000, 10_000_000]
    rng = np.random.default_rng(20261123)
    profile = np.array([1, 1, 1, 2, 2, 4, 5, 9, 14, 25, 36], dtype=float)
    print(f"cxm {cxm.__version__}, numpy {np.__version__}")
    print(f"{'n':>11}  {'task':<22}{'peer':<22}{'peer time':>12}{'cxm time':>12}{'ratio':>8}")
    for n in sizes:
        scores = rng.choice(11, size=n, p=profile / profile.sum()).astype(np.int64)
        weights = rng.uniform(0.5, 2.0, size=n)
        expected = cxm.nps(scores)
        expected_w = cxm.nps(scores, weights=weights)
        plain, weighted = peers(scores, weights)
        ours = best_seconds(lambda: cxm.nps(scores))
        ours_w = best_seconds(lambda: cxm.nps(scores, weights=weights))
        for task, group, mine, want in (("nps", plain, ours, expected), ("weighted nps", weighted, ours_w, expected_w)):
            for name, fn in group.items():
                got = float(fn())
                assert math.isclose(got, want.score, abs_tol=1e-9), (name, got, want.score)
                t = best_seconds(fn)
                print(f"{n:>11,}  {task:<22}{name:<22}{t * 1e3:>10.3f}ms{mine * 1e3:>10.3f}ms{t / mine:>8.1f}")
    u8 = rng.choice(11, size=10_000_000, p=profile / profile.sum()).astype(np.uint8)
    t_np = best_seconds(lambda: 100 * ((u8 >= 9).mean() - (u8 <= 6).mean()))
    t_cxm = best_seconds(lambda: cxm.nps(u8))
    print(f"{10_000_000:>11,}  {'nps, uint8':<22}{'numpy (mask means)':<22}{t_np * 1e3:>10.3f}ms{t_cxm * 1e3:>10.3f}ms{t_np / t_cxm:>8.1f}")
    simulated_intervals(rng)


if __name__ == "__main__":
    main()
