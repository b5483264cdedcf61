#!/usr/bin/env python3
"""cxm against what a Python user would write instead, in one process, on the same arrays.

    bash scripts/bench.sh                     # release build, this script, then criterion
    bash scripts/bench.sh --quick             # the same, smaller sizes, criterion's --quick
    python benches/compare.py --quick         # smaller sizes, fewer repeats
    python benches/compare.py --write docs/benchmarks.md

For every input type and size it times cxm, each peer idiom (numpy, pandas, polars) and the
single-core memory floor: a numpy ``bitwise_or.reduce`` over the same bytes, the least any
pass over the data costs. Reported: the best of several runs; ``peer / cxm`` (> 1: cxm is
faster) and ``cxm / floor`` (1: at the memory floor). Every peer's answer is checked against
cxm's before it is timed, and validation stays inside cxm's measured call.
"""

import argparse
import math
import os
import platform
import subprocess
import sys
import timeit

import numpy as np
import pandas as pd
import polars as pl
import scipy
import scipy.stats

import cxm

PROFILE = np.array([1, 1, 1, 2, 2, 4, 5, 9, 14, 25, 36], dtype=float)
RATING_PROFILE = np.array([5, 8, 17, 35, 35], dtype=float)


def best(fn, repeat):
    once = timeit.timeit(fn, number=1)
    number = max(1, int(0.05 / max(once, 1e-7)))
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def floor_of(*arrays):
    """The memory floor: one reduction over the same bytes, as wide words where they fit."""
    views = [a.view(np.uint64) if a.nbytes % 8 == 0 else a.view(np.uint8) for a in arrays]
    return lambda: [np.bitwise_or.reduce(v) for v in views]


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}; Python "
            f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, polars "
            f"{pl.__version__}, scipy {scipy.__version__}, cxm {cxm.__version__}")


class Table:
    def __init__(self):
        self.rows = []

    def add(self, task, n, dtype, peer, peer_s, cxm_s, floor_s=None):
        self.rows.append((task, n, dtype, peer, peer_s, cxm_s, floor_s))
        ratio = f"{peer_s / cxm_s:10.2f}" if peer_s else " " * 10
        to_floor = f"{cxm_s / floor_s:10.2f}" if floor_s else " " * 10
        peer_ms = f"{peer_s * 1e3:12.3f}" if peer_s else " " * 12
        print(f"{task:<14}{n:>12,} {dtype:<8}{peer:<30}{peer_ms}{cxm_s * 1e3:12.3f}{ratio}{to_floor}", flush=True)

    def summary(self):
        """Per metric, input type and size: the fastest peer's time over cxm's (> 1: cxm is
        faster), and from 1e6 on cxm's time over the memory floor."""
        fastest, floor, sizes = {}, {}, []
        for task, n, dtype, peer, peer_s, cxm_s, floor_s in self.rows:
            if task not in ("nps", "csat", "ces"):
                continue
            key = (task, dtype, n)
            if n not in sizes:
                sizes.append(n)
            if floor_s:
                floor[key] = cxm_s / floor_s
            if peer != "memory floor" and peer_s:
                fastest[key] = min(fastest.get(key, math.inf), peer_s / cxm_s)
        lines = ["| metric | input | " + " | ".join(f"{n:,}" for n in sizes) + " |",
                 "|---|---|" + "---:|" * len(sizes)]
        for task, dtype in dict.fromkeys((t, d) for t, d, _ in fastest):
            cells = []
            for n in sizes:
                key = (task, dtype, n)
                cell = f"{fastest[key]:.2f}" if key in fastest else ""
                if n >= 1_000_000 and key in floor:
                    cell += f" / {floor[key]:.2f}"
                cells.append(cell)
            lines.append(f"| {task} | {dtype} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def markdown(self):
        lines = ["| task | n | input | peer | peer ms | cxm ms | peer / cxm | cxm / floor |",
                 "|---|---:|---|---|---:|---:|---:|---:|"]
        for task, n, dtype, peer, peer_s, cxm_s, floor_s in self.rows:
            lines.append(
                f"| {task} | {n:,} | {dtype} | {peer} | {'' if not peer_s else f'{peer_s * 1e3:.3f}'} | "
                f"{cxm_s * 1e3:.3f} | {'' if not peer_s else f'{peer_s / cxm_s:.2f}'} | "
                f"{'' if not floor_s else f'{cxm_s / floor_s:.2f}'} |")
        return "\n".join(lines)


def nps_peers(a):
    s, ps = pd.Series(a), pl.Series(a)
    out = {
        "numpy mask means": lambda: 100 * ((a >= 9).mean() - (a <= 6).mean()),
        "numpy count_nonzero": lambda: 100 * (np.count_nonzero(a >= 9) - np.count_nonzero(a <= 6)) / a.size,
        "pandas mask means": lambda: 100 * ((s >= 9).mean() - (s <= 6).mean()),
        "polars sums": lambda: 100 * ((ps >= 9).sum() - (ps <= 6).sum()) / ps.len(),
        "polars means": lambda: 100 * ((ps >= 9).mean() - (ps <= 6).mean()),
    }
    if a.dtype.kind in "iu":
        out["numpy bincount"] = lambda: (lambda c: 100 * (c[9:].sum() - c[:7].sum()) / a.size)(
            np.bincount(a.astype(np.intp, copy=False), minlength=11))
    return out


def rating_peers(a, threshold):
    ps = pl.Series(a)
    return {
        "numpy share, mean": lambda: ((a >= threshold).mean(), a.mean()),
        "polars share, mean": lambda: ((ps >= threshold).mean(), ps.mean()),
    }


def scoring(table, sizes, repeat, rng):
    for dtype in ("uint8", "int8", "int32", "int64", "float32", "float64"):
        for n in sizes:
            a = rng.choice(11, size=n, p=PROFILE / PROFILE.sum()).astype(dtype)
            want = cxm.nps(a).score
            mine = best(lambda: cxm.nps(a), repeat)
            floor = best(floor_of(a), repeat)
            table.add("nps", n, dtype, "memory floor", floor, mine, floor)
            for name, fn in nps_peers(a).items():
                assert math.isclose(float(fn()), want, abs_tol=1e-9), (name, dtype, n)
                table.add("nps", n, dtype, name, best(fn, repeat), mine, floor)
            r = (rng.choice(5, size=n, p=RATING_PROFILE / RATING_PROFILE.sum()) + 1).astype(dtype)
            for task, metric in (("csat", cxm.csat), ("ces", cxm.ces)):
                threshold = cxm.DEFAULTS[task]["threshold"]
                if task == "ces":  # CES 2.0 is on 1..7
                    r = (r + 2).astype(dtype)
                got = metric(r)
                mine = best(lambda: metric(r), repeat)
                floor = best(floor_of(r), repeat)
                # float32 peers sum in float32: their mean is only good to about 1e-6.
                tolerance = 1e-5 if dtype == "float32" else 1e-12
                for name, fn in rating_peers(r, threshold).items():
                    share, mean = fn()
                    assert math.isclose(share, got.share, abs_tol=1e-12), (name, dtype, n)
                    assert math.isclose(mean, got.mean, rel_tol=tolerance), (name, dtype, n, mean, got.mean)
                    table.add(task, n, dtype, name, best(fn, repeat), mine, floor)
            del a, r


def weighted(table, sizes, repeat, rng):
    for n in sizes:
        a = rng.choice(11, size=n, p=PROFILE / PROFILE.sum()).astype(np.uint8)
        w = rng.uniform(0.5, 2.0, size=n)
        want = cxm.nps(a, weights=w).score
        mine = best(lambda: cxm.nps(a, weights=w), repeat)
        floor = best(floor_of(a, w), repeat)
        peer = lambda: 100 * (w[a >= 9].sum() - w[a <= 6].sum()) / w.sum()
        assert math.isclose(peer(), want, abs_tol=1e-9)
        table.add("weighted nps", n, "u8+f64", "numpy masked sums", best(peer, repeat), mine, floor)
        ps = pl.DataFrame({"s": a, "w": w})
        polars = lambda: ps.select(((pl.col("w") * (pl.col("s") >= 9)).sum() - (pl.col("w") * (pl.col("s") <= 6)).sum()) / pl.col("w").sum())
        table.add("weighted nps", n, "u8+f64", "polars weighted sums", best(polars, repeat), mine, floor)


def grouped(table, sizes, repeat, rng):
    """cxm.nps_by on integer key codes against the fastest idioms a user has for the per-group
    counts (numpy bincount of codes * 11 + scores, polars group_by), each answer checked equal
    to cxm's per-group NPS first. cxm also computes every group's interval and its comparison
    with the rest, Holm-adjusted."""
    for n in sizes:
        for groups in (10, 1_000, 100_000):
            codes = rng.integers(0, groups, n).astype(np.uint32)
            for dtype in ("uint8", "float64"):
                a = rng.choice(11, size=n, p=PROFILE / PROFILE.sum()).astype(dtype)
                for w in (None, rng.uniform(0.5, 2.0, size=n)):
                    table_of = lambda: cxm.nps_by(score=a, by=[codes], weights=w)
                    got = np.array(table_of().columns["estimate"])
                    def by_bincount():
                        cells = codes.astype(np.int64) * 11 + a.astype(np.int64)
                        c = np.bincount(cells, weights=w, minlength=groups * 11).reshape(groups, 11)
                        total = c.sum(axis=1)
                        return 100 * (c[:, 9:].sum(axis=1) - c[:, :7].sum(axis=1)) / total

                    frame = pl.DataFrame({"k": codes, "s": a, "w": w if w is not None else np.ones(n)})

                    def by_polars():
                        out = frame.group_by("k").agg(
                            (pl.col("w") * (pl.col("s") >= 9)).sum().alias("p"),
                            (pl.col("w") * (pl.col("s") <= 6)).sum().alias("d"),
                            pl.col("w").sum().alias("t")).sort("k")
                        return (100 * (out["p"] - out["d"]) / out["t"]).to_numpy()

                    present = np.bincount(codes, minlength=groups) > 0
                    for name, fn in (("numpy bincount", by_bincount), ("polars group_by", by_polars)):
                        want = fn()
                        want = want[present] if len(want) == groups else want
                        assert np.allclose(got, want, rtol=0, atol=1e-9), (name, groups, dtype)
                    mine = best(table_of, repeat)
                    label = f"nps_by {groups:,} groups" + (" weighted" if w is not None else "")
                    # With few groups the pass is all there is: cxm against the memory floor of
                    # the score, key (and weight) bytes it reads.
                    floor = best(floor_of(*[x for x in (a, codes, w) if x is not None]), repeat) if groups == 10 else None
                    for name, fn in (("numpy bincount", by_bincount), ("polars group_by", by_polars)):
                        table.add(label, n, dtype, name, best(fn, repeat), mine, floor)
                del a


def input_paths(table, repeat, rng):
    n = 1_000_000
    a = rng.choice(11, size=n, p=PROFILE / PROFILE.sum()).astype(np.int64)
    base = best(lambda: cxm.nps(a), repeat)
    as_list = a.tolist()
    paths = {
        "python list": lambda: cxm.nps(as_list),
        "pandas Series": (lambda s: lambda: cxm.nps(s))(pd.Series(a)),
        "polars Series": (lambda s: lambda: cxm.nps(s))(pl.Series(a)),
        "pyarrow array": (lambda s: lambda: cxm.nps(s))(__import__("pyarrow").array(a)),
    }
    for name, fn in paths.items():
        assert fn().score == cxm.nps(a).score
        # Here the "peer" is cxm's own numpy path: the ratio is the cost of the input path.
        table.add("input path", n, "int64", f"{name} (cxm ÷ numpy)", best(fn, repeat), base)
    table.add("input path", n, "int64", "numpy from the list", best(lambda: 100 * (
        (lambda x: (x >= 9).mean() - (x <= 6).mean())(np.asarray(as_list))), repeat), best(lambda: cxm.nps(as_list), repeat))


def bootstrap(table, repeat, rng):
    """cxm's bootstrap (10 000 resamples of the three counts) against scipy.stats.bootstrap of
    the NPS statistic over the raw scores. scipy's cost grows with n × resamples: it runs 200
    resamples here and its time is scaled by 50 (its cost is linear in the resamples)."""
    for n in (10_000, 100_000, 1_000_000):
        a = rng.choice(11, size=n, p=PROFILE / PROFILE.sum()).astype(np.int8)
        result = cxm.nps(a)
        mine = best(lambda: result.confidence_interval(0.95, "bootstrap", resamples=10_000), repeat)

        def statistic(x, axis):
            return 100 * ((x >= 9).mean(axis=axis) - (x <= 6).mean(axis=axis))

        peer = lambda: scipy.stats.bootstrap((a,), statistic, n_resamples=200, vectorized=True,
                                             method="percentile", batch=20, random_state=1)
        table.add("bootstrap 10k", n, "int8", "scipy.stats.bootstrap (×50)", 50 * best(peer, 1), mine)


SURVIVAL_NOTES = """The time to resolution with cases still open: `cxm.durations(times, open=open_)`
(the Kaplan–Meier curve, its log(-log) band, the median and 90th percentile with their intervals)
against lifelines' `KaplanMeierFitter().fit(times, event_observed)` (the curve and its band), on
exponential times (mean an hour) with 30% of the cases open: in whole seconds (`whole`: ties, as
exports have them), and with fractions of a second (`fractional`: every time distinct). Their
curves are checked equal first. `cxm / floor` is cxm's time over a numpy sort of the same times,
the least a Kaplan–Meier that sorts costs: whole seconds below 18 hours (or a quarter of the record count) are
counted in one pass instead of sorted, which is why cxm runs below that floor there; other times
take a radix sort (on two threads: keys spread into cache-sized buckets by their highest bits,
then each bucket sorted in cache). lifelines runs once per size. The floor depends on the CPU:
with AVX-512, numpy sorts doubles with a vectorized sort (x86-simd-sort), about 8 times faster
than on a CPU without it. With every time distinct the result is the bulk of the work: a step
per record (six doubles) and its band (two more), 640 MB at 1e7, and on this machine merely
writing that much fresh memory on two threads takes 1.7 to 2.4 times numpy's sort of the times,
so no Kaplan-Meier that returns every step and its band comes within 2 times of that floor
here. Of cxm's time at 1e7, the sort is about 100 ms, writing the curve about 250 ms (most of it
the kernel's page faults) and the band, six logarithms and exponentials a step on two threads,
about 215 ms.

"""


def survival(table, sizes, repeat, rng):
    """Kaplan–Meier against lifelines, and against the floor of a sort."""
    from lifelines import KaplanMeierFitter

    for kind in ("whole", "fractional"):
        for n in sizes:
            times = rng.exponential(3600.0, n)
            times = np.round(times) if kind == "whole" else times
            open_ = rng.random(n) < 0.3
            fitted = KaplanMeierFitter().fit(times, ~open_)
            mine = cxm.durations(times, open=open_)
            steps = mine.survival.columns
            theirs = fitted.survival_function_.iloc[:, 0].loc[steps["time"]].to_numpy()
            assert np.allclose(steps["survival"], theirs, rtol=1e-12, atol=0), "the curves differ"
            cxm_s = best(lambda: cxm.durations(times, open=open_), repeat)
            sort_s = best(lambda: np.sort(times), repeat)
            peer_s = best(lambda: KaplanMeierFitter().fit(times, ~open_), 1)
            table.add("kaplan-meier", n, kind, "lifelines KaplanMeierFitter.fit", peer_s, cxm_s, sort_s)


def numpy_rake(codes, targets, tolerance, max_sweeps=1000):
    """Raking as a numpy user writes it: per margin, a weighted bincount and a gather, until every
    category is met within the relative tolerance."""
    w = np.ones(len(codes[0]))
    for _ in range(max_sweeps):
        for c, t in zip(codes, targets):
            w *= (t / np.bincount(c, weights=w, minlength=len(t)))[c]
        if all(np.max(np.abs(np.bincount(c, weights=w, minlength=len(t)) / t - 1)) <= tolerance
               for c, t in zip(codes, targets)):
            return w
    raise RuntimeError("numpy raking did not converge")


def raking(table, sizes, repeat, rng):
    """Raking 3 margins (5 regions, 6 age bands, 3 plans) to 1e-10, against numpy's IPF."""
    for n in sizes:
        region = rng.choice(5, n, p=[0.3, 0.25, 0.2, 0.15, 0.1]).astype(np.uint32)
        age = np.minimum(rng.poisson(1.5 + 0.4 * region), 5).astype(np.uint32)
        plan = (rng.random(n) < 0.2 + 0.1 * (age > 2)).astype(np.uint32) + (rng.random(n) < 0.1)
        plan = plan.astype(np.uint32)
        codes = [region, age, plan]
        targets = [np.full(5, n / 5), np.full(6, n / 6), np.array([0.5, 0.3, 0.2]) * n]
        margins = {"region": targets[0], "age": targets[1], "plan": targets[2]}
        data = {"region": region, "age": age, "plan": plan}
        mine = cxm.rake(data, margins=margins)
        theirs = numpy_rake(codes, targets, cxm.DEFAULTS["rake_tolerance"])
        assert np.allclose(mine.weights, theirs, rtol=1e-8, atol=0), "the weights differ"
        cxm_s = best(lambda: cxm.rake(data, margins=margins), repeat)
        peer_s = best(lambda: numpy_rake(codes, targets, cxm.DEFAULTS["rake_tolerance"]), repeat)
        floor_s = best(floor_of(region, age, plan), repeat)
        table.add("rake", n, "3 margins", f"numpy IPF ({mine.iterations} sweeps)", peer_s, cxm_s, floor_s)


def drivers(table, sizes, repeat, rng):
    """Exact LMG (no bootstrap) against pingouin's relimp, which fits a regression per subset."""
    import pingouin

    for p in (6, 10):
        for n in sizes:
            x = rng.integers(1, 6, size=(n, p)).astype(float)
            # A 0–10 score, as a CX survey's overall question.
            y = np.clip(np.round(x @ rng.uniform(0.1, 1.0, p) / p * 2 + rng.normal(0.0, 1.5, n)), 0, 10)
            names = [f"d{j}" for j in range(p)]
            data = {"score": y, **{name: x[:, j] for j, name in enumerate(names)}}
            frame = pd.DataFrame(x, columns=names)
            mine = cxm.drivers(data, score="score", drivers=names, resamples=0)
            theirs = pingouin.linear_regression(frame, y, relimp=True).set_index("names")["relimp"]
            assert np.allclose([d.contribution for d in mine], theirs.loc[names], rtol=1e-9, atol=1e-12)
            cxm_s = best(lambda: cxm.drivers(data, score="score", drivers=names, resamples=0), repeat)
            peer_s = best(lambda: pingouin.linear_regression(frame, y, relimp=True), 1)
            table.add("lmg", n, f"{p} drivers", "pingouin linear_regression(relimp)", peer_s, cxm_s)


DRIVERS_NOTES = ("Exact LMG (the Shapley value of R², `relaimpo`'s `type = \"lmg\"`), no bootstrap, of a "
                 "0–10 score on 1–5 ratings, against pingouin's `linear_regression(relimp=True)` "
                 "(documented to match relaimpo; R's relaimpo is not packaged for Debian, so it is not "
                 "run). Both form the covariance matrix and then work on subsets of it; pingouin inverts a "
                 "matrix per subset, cxm reads every subset's R² one sweep step from its parent, which "
                 "tells with more drivers. On large inputs the pass over the rows dominates. cxm first "
                 "finds the distinct rows (what its bootstrap resamples, at a cost per distinct row rather "
                 "than per row): in one pass through a table when the rows' combinations fit one (6 "
                 "drivers here), by sorting the rows otherwise (10 drivers: 5^10 × 11 combinations), which "
                 "at a million rows costs more than pingouin's single covariance pass. The contributions "
                 "agree to 1e-9.\n\n")


RAKING_NOTES = ("Raking three margins (5 regions, 6 age bands, 3 plans; the margins correlated, so it "
                "takes several sweeps) to a relative tolerance of 1e-10, against iterative proportional "
                "fitting written in numpy (a weighted `bincount` and a gather per margin per sweep, the "
                "idiom a user writes). cxm groups the rows into their cells once and sweeps over the "
                "cells, so it reads the rows a fixed number of times (group, weigh, check each margin) "
                "whatever the number of sweeps; numpy reads them twice per margin per sweep. The weights agree to 1e-8. `cxm / floor` is over "
                "one `bitwise_or.reduce` of the three code columns.\n\n")


def write_section(path, title, notes, table):
    """Writes `table` as the section `## title` of `path`, keeping the others."""
    body = f"## {title}\n\n" + notes + f"Machine: {machine()}; the best of 3 runs.\n\n" + table.markdown() + "\n"
    text = open(path).read() if os.path.exists(path) else ""
    before, found, rest = text.partition(f"\n## {title}\n")
    after = ("\n## " + rest.split("\n## ", 1)[1]) if found and "\n## " in rest else ""
    with open(path, "w") as f:
        f.write(before.rstrip("\n") + "\n\n" + body + after)


# The benchmarks that each write one section of a file: flag → (title, peer, function, quick
# sizes, sizes, seed, notes).
SECTIONS = {
    "survival": ("Survival", "lifelines", survival, [100_000, 1_000_000], [100_000, 1_000_000, 10_000_000],
                 20261206, SURVIVAL_NOTES),
    "drivers": ("Key drivers", "pingouin", drivers, [10_000, 100_000], [10_000, 100_000, 1_000_000], 20261208,
                DRIVERS_NOTES),
    "raking": ("Raking", "numpy", raking, [100_000, 1_000_000], [100_000, 1_000_000, 10_000_000], 20261207,
               RAKING_NOTES),
}


def peak_memory():
    """Peak resident memory of cxm.nps on 1e8 numpy uint8 scores, in a fresh process: the
    growth past the array itself."""
    code = (
        "import resource, numpy as np, cxm\n"
        "a = np.full(100_000_000, 9, dtype=np.uint8)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "cxm.nps(a)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(before, after)\n")
    before, after = map(int, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                            check=True).stdout.split())
    growth_mb = (after - before) / 1024
    print(f"peak memory: cxm.nps on 1e8 uint8 scores (100 MB) grew the peak RSS by {growth_mb:.1f} MB")
    return growth_mb


NOTES = """## Notes

- cxm is built for baseline x86-64 (SSE2), so that its wheel and library run on every x86-64
  CPU. Its counting and weighing kernels are also compiled for AVX2, and `cxm-simd` runs that
  copy where the CPU has it, as numpy does for its own loops; the polars wheel is built for
  AVX2 CPUs only. The results are the same bits on either path.
- From 4 MiB of input two threads share the work (from 1e6 scores of 8 bytes, 1e7 of 1 byte);
  below it, starting a thread cost more than it saved when the threshold was set.
- Weighted NPS adds the weights in 8 lanes, masked per group (detractors, passives,
  promoters), plainly for 16 rows and then into each lane's compensated (Neumaier) sum, with the
  counts from the counting kernel. The masks and the compensation make it several times the
  floor of the score and weight bytes (its rows), where a plain unmasked sum would be near it.
- scipy.stats.bootstrap runs 200 resamples and its time is scaled to 10 000 (its cost is
  linear in the resamples); cxm runs all 10 000.
"""


GROUPED_NOTES = """Written by `python benches/compare.py --grouped docs/benchmarks.md` (after a release build).
`cxm.nps_by(score=scores, by=[codes], weights=...)` on uint32 key codes computes each group's
NPS, standard error, adjusted Wald interval and comparison with the rest, Holm-adjusted, and the
overall figure, with exact weight sums; the peers compute only the per-group NPS (numpy
`bincount` of `codes * 11 + scores`, with `weights=` when weighted; polars `group_by().agg` of
the masked weight sums). The weight sums are exact: when every weight lies on the grids of the
largest (as here), each group's are cut from the pass's table in fixed point, the same bits at an
integer operation each. Every answer is checked equal to cxm's first. `peer / cxm` above 1
means cxm is faster; `cxm / floor` (10 groups) is cxm's time over one numpy reduction of the
score, key and weight bytes it reads (1: at the memory floor).

"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes to 1e6 and fewer repeats")
    parser.add_argument("--write", metavar="FILE", help="also write the table as Markdown")
    parser.add_argument("--grouped", metavar="FILE",
                        help="only the grouped benchmarks, written as the '## Grouped' section of FILE")
    for flag, (title, peer, *_rest) in SECTIONS.items():
        parser.add_argument(f"--{flag}", metavar="FILE",
                            help=f"only {title} against {peer}, written as the '## {title}' section of FILE")
    args = parser.parse_args()
    for flag, (title, _peer, run, quick, full, seed, notes) in SECTIONS.items():
        path = getattr(args, flag)
        if path:
            table = Table()
            print(machine())
            run(table, quick if args.quick else full, 3, np.random.default_rng(seed))
            write_section(path, title, notes, table)
            return
    if args.grouped:
        sizes = [1_000_000, 10_000_000] if args.quick else [10_000_000, 100_000_000]
        rng = np.random.default_rng(20261204)
        table = Table()
        print(machine())
        grouped(table, sizes, 3, rng)
        text = open(args.grouped).read() if os.path.exists(args.grouped) else ""
        before, _, rest = text.partition("\n## Grouped\n")
        after = rest.partition("\n## States\n")[2]  # the states' section (criterion) stays
        text = before.rstrip("\n") + "\n\n## Grouped\n\n" + GROUPED_NOTES
        text += f"Machine: {machine()}; the best of 3 runs.\n\n" + table.markdown() + "\n"
        if after:
            text += "\n## States\n" + after
        with open(args.grouped, "w") as f:
            f.write(text)
        return
    sizes = [1_000, 100_000, 1_000_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]
    repeat = 3 if args.quick else 7
    rng = np.random.default_rng(20261201)
    print(machine())
    print(f"{'task':<14}{'n':>12} {'input':<8}{'peer':<30}{'peer ms':>12}{'cxm ms':>12}{'peer/cxm':>10}{'cxm/floor':>10}")
    table = Table()
    scoring(table, sizes, repeat, rng)
    weighted(table, [s for s in sizes if s >= 1_000_000] or sizes[-1:], repeat, rng)
    input_paths(table, repeat, rng)
    bootstrap(table, 3, rng)
    growth = peak_memory()
    if args.write:
        # The sections written by the other runs (--grouped, criterion's states, engines.py) stay.
        kept = ""
        if os.path.exists(args.write):
            old = open(args.write).read()
            if "\n## Grouped\n" in old:
                kept = "\n## Grouped\n" + old.split("\n## Grouped\n", 1)[1]
        with open(args.write, "w") as f:
            f.write("# Benchmarks: cxm against numpy, pandas, polars and scipy\n\n")
            f.write("Written by `python benches/compare.py --write docs/benchmarks.md` (after a release build, "
                    "`bash scripts/bench.sh` does both). All in one process, on the same arrays; the best of "
                    f"{repeat} runs. `peer / cxm` above 1 means cxm is faster; `cxm / floor` is cxm's time over "
                    "a numpy `bitwise_or.reduce` of the same bytes, the least a pass over the data costs on one core.\n\n")
            f.write(f"Machine: {machine()}.\n\n")
            f.write("## Summary\n\nEach cell: the fastest peer idiom's time over cxm's (above 1: cxm is faster); "
                    "from 1,000,000 on, then cxm's time over the memory floor (1: at the floor; below 1: "
                    "two threads beat one core's floor).\n\n")
            f.write(table.summary() + "\n\n## Every row\n\n")
            f.write(table.markdown() + "\n\n")
            f.write(f"Peak memory: `cxm.nps` on 1e8 numpy uint8 scores (100 MB) grew the peak RSS by {growth:.1f} MB "
                    "(the array is read in place).\n\n")
            f.write(NOTES)
            f.write(kept)


if __name__ == "__main__":
    main()
