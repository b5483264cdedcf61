#!/usr/bin/env python3
"""Writes testdata/survival.json: Kaplan–Meier curves, bands and percentiles of the time to
resolution with cases still open, from R's survival package (the reference) and lifelines.

- R 4.2 with survival 3.5 (Debian: r-base-core, r-cran-survival):
  survfit(Surv(time, resolved) ~ 1, weights = w, conf.type = "log-log" | "log") for the curve
  (with weights, robust = FALSE: Greenwood's variance on the weighted counts, weights read as
  case counts; R's default for non-integer weights is the infinitesimal jackknife instead)
  (time, n.risk, n.event, n.censor, surv, std.err, lower, upper) and
  quantile(fit, probs) for the percentiles and their intervals (NA: not reached).
- lifelines 0.30 (unweighted cases): KaplanMeierFitter's survival function and its
  (exponential Greenwood, log(-log)) band, and median_survival_time_ with
  median_survival_times(confidence_interval_), recorded beside R's to show where they differ:
  lifelines takes the first time at the level where R takes the midpoint of a flat, reports
  infinity where R reports NA, and a band of [1, 1] where the curve is 0.

Neither R nor lifelines is a dependency of cxm or of its tests: they are needed only to rewrite
this file (hence no --check in the test suite; the file is the record).

    /path/to/venv-with-lifelines/bin/python testdata/generate_survival.py
"""

import csv
import io
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import vectorfile  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "survival.json"
PROBS = [0.25, 0.5, 0.75, 0.9]
LEVELS = [0.95, 0.9]


def big(n):
    """A long deterministic case, rebuilt by the tests from the same formula: times with many
    ties (whole minutes up to 2 days), every fifth case still open."""
    i = np.arange(n, dtype=np.int64)
    times = ((i * 7919) % 2881).astype(np.float64) * 60.0
    return times.tolist(), (i % 5 == 0).tolist(), None


def cases():
    rng = np.random.default_rng(20261204)
    hours = np.round(rng.exponential(20.0, 60), 1)
    yield "ties and open cases", [1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 5.0, 8.0, 8.0, 13.0], \
        [False, False, True, False, False, True, True, False, True, True], None
    yield "none open, even count", [4.0, 1.0, 3.0, 2.0, 6.0, 5.0], [False] * 6, None
    yield "none open, odd count", [30.0, 10.0, 20.0, 50.0, 40.0], [False] * 5, None
    yield "all open", [5.0, 7.0, 9.0], [True] * 3, None
    yield "one record", [42.0], [False], None
    yield "one open record", [42.0], [True], None
    yield "last case resolved", [1.0, 2.0, 3.0, 4.0], [False, True, False, False], None
    yield "a day of tickets", hours.tolist(), (rng.random(60) < 0.3).tolist(), None
    yield "weighted", hours.tolist(), (rng.random(60) < 0.3).tolist(), np.round(rng.uniform(0.2, 3.0, 60), 3).tolist()
    yield "long (1e7)", *big(10_000_000)


R_PROGRAM = r"""
library(survival)
# Every number with 17 significant digits: the same double when read back.
exact <- function(frame) { for (k in names(frame)) if (is.numeric(frame[[k]])) frame[[k]] <- ifelse(is.na(frame[[k]]), NA, sprintf("%.17g", frame[[k]])); frame }
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
weighted <- !all(is.na(d$w))
probs <- as.numeric(strsplit(args[2], ",")[[1]])
for (type in c("log-log", "log")) for (level in as.numeric(strsplit(args[3], ",")[[1]])) {
  fit <- if (weighted) survfit(Surv(time, resolved) ~ 1, data = d, weights = w, conf.type = type, conf.int = level,
                               robust = FALSE)
         else survfit(Surv(time, resolved) ~ 1, data = d, conf.type = type, conf.int = level)
  curve <- data.frame(type = type, level = level, time = fit$time, n_risk = fit$n.risk,
                      n_event = fit$n.event, n_censor = fit$n.censor, surv = fit$surv,
                      std_err = fit$std.err, lower = fit$lower, upper = fit$upper)
  write.table(exact(curve), file = paste0(args[4], "-curve-", type, "-", level, ".csv"), sep = ",",
              row.names = FALSE, na = "NA", quote = FALSE)
  q <- quantile(fit, probs = probs)
  qs <- data.frame(type = type, level = level, prob = probs, quantile = q$quantile,
                   lower = q$lower, upper = q$upper)
  write.table(exact(qs), file = paste0(args[4], "-quantile-", type, "-", level, ".csv"), sep = ",",
              row.names = FALSE, na = "NA", quote = FALSE)
}
"""


def number(text):
    """R's text of a number: NA as null, and infinity as the string "inf" (JSON has no
    infinity)."""
    if text == "NA":
        return None
    return "inf" if text == "Inf" else float(text)


def read(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def r_reference(times, open_, weights, tmp):
    data = pathlib.Path(tmp) / "data.csv"
    with open(data, "w") as f:
        f.write("time,resolved,w\n")
        for i, t in enumerate(times):
            w = "NA" if weights is None else repr(weights[i])
            f.write(f"{t!r},{0 if open_[i] else 1},{w}\n")
    program = pathlib.Path(tmp) / "km.R"
    program.write_text(R_PROGRAM)
    prefix = str(pathlib.Path(tmp) / "out")
    subprocess.run(["Rscript", str(program), str(data), ",".join(map(str, PROBS)), ",".join(map(str, LEVELS)),
                    prefix], check=True)
    out = []
    for transform in ("log-log", "log"):
        for level in LEVELS:
            curve = read(f"{prefix}-curve-{transform}-{level}.csv")
            quantiles = read(f"{prefix}-quantile-{transform}-{level}.csv")
            out.append({
                "transform": transform, "level": level,
                "curve": {k: [number(row[k]) for row in curve]
                          for k in ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper")},
                "percentiles": [{"percent": 100 * float(row["prob"]), "estimate": number(row["quantile"]),
                                 "lower": number(row["lower"]), "upper": number(row["upper"])} for row in quantiles],
            })
    return out


def lifelines_reference(times, open_):
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    kmf = KaplanMeierFitter().fit(times, event_observed=[not o for o in open_], alpha=0.05)
    band = kmf.confidence_interval_
    ci = median_survival_times(band)
    finite = lambda x: None if not np.isfinite(x) else float(x)  # noqa: E731
    return {
        "time": [float(t) for t in kmf.survival_function_.index],
        "survival": [float(s) for s in kmf.survival_function_.iloc[:, 0]],
        "lower": [float(x) for x in band.iloc[:, 0]],
        "upper": [float(x) for x in band.iloc[:, 1]],
        "median": finite(kmf.median_survival_time_),
        "median_lower": finite(ci.iloc[0, 0]),
        "median_upper": finite(ci.iloc[0, 1]),
    }


def main():
    document = {"about": __doc__.split("\n\n")[0], "cases": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name, times, open_, weights in cases():
            case = {"name": name}
            if name.startswith("long"):
                case["input"] = {"formula": "big", "n": len(times)}
            else:
                case["input"] = {"times": times, "open": open_, "weights": weights}
            case["r"] = r_reference(times, open_, weights, tmp)
            if weights is None and not name.startswith("long"):
                case["lifelines"] = lifelines_reference(times, open_)
            if name.startswith("long"):  # the curve is long: keep its first and last steps
                for r in case["r"]:
                    r["curve"] = {k: v[:5] + v[-5:] for k, v in r["curve"].items()}
                    r["curve_steps"] = 2881
            document["cases"].append(case)
    vectorfile.write_or_check(OUT, document)


if __name__ == "__main__":
    main()
