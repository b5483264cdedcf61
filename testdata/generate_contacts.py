#!/usr/bin/env python3
"""Writes testdata/contacts.json: contact-centre figures from contact records (a wait in
seconds, answered or abandoned), computed independently with numpy, scipy and statsmodels.

- Counts by numpy: short abandons (abandoned at or within the threshold), left out of both
  counts when a threshold is given; offered = answered + abandoned.
- Abandonment and the three service levels (answered within T over offered; over answered and
  abandoned after T; over answered): statsmodels proportion_confint(method="wilson").
- Speed of answer (the answered waits): numpy.mean, numpy.std(ddof=1), the t interval of
  scipy.stats.ttest_1samp(x, 0).confidence_interval(level), numpy.percentile and
  scipy.stats.quantile_test(x, p=q/100).confidence_interval(level).

    python3 testdata/generate_contacts.py          # rewrite the file
    python3 testdata/generate_contacts.py --check  # exit 1 if out of date (run by pytest)
"""

import pathlib
import sys

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import vectorfile  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "contacts.json"
PERCENTS = [50.0, 90.0]


def nullable(x):
    return None if not np.isfinite(x) else float(x)


def share(count, of, level):
    if of == 0:
        return {"count": count, "of": of, "share": None, "lower": None, "upper": None}
    lo, hi = proportion_confint(count, of, alpha=1 - level, method="wilson")
    return {"count": int(count), "of": int(of), "share": count / of, "lower": float(lo), "upper": float(hi)}


def expected(waits, answered, short, t, level):
    waits, answered = np.asarray(waits, dtype=float), np.asarray(answered, dtype=bool)
    is_short = ~answered & (waits <= short) if short is not None else np.zeros(waits.size, dtype=bool)
    abandoned = ~answered & ~is_short
    n_answered, n_abandoned = int(answered.sum()), int(abandoned.sum())
    in_time = int((answered & (waits <= t)).sum())
    late = int((abandoned & (waits > t)).sum())
    out = {"level": level, "offered": n_answered + n_abandoned, "answered": n_answered, "abandoned": n_abandoned,
           "short_abandons": int(is_short.sum()),
           "abandonment": share(n_abandoned, n_answered + n_abandoned, level),
           "service_levels": {"offered": share(in_time, n_answered + n_abandoned, level),
                              "answered_and_late_abandons": share(in_time, n_answered + late, level),
                              "answered": share(in_time, n_answered, level)}}
    x = waits[answered]
    if x.size:
        speed = {"mean": float(np.mean(x)), "percentiles": []}
        if x.size > 1:
            ci = stats.ttest_1samp(x, 0.0).confidence_interval(level)
            speed.update(standard_deviation=float(np.std(x, ddof=1)), mean_interval=[float(ci.low), float(ci.high)])
        for q in PERCENTS:
            ci = stats.quantile_test(x, p=q / 100).confidence_interval(level)
            speed["percentiles"].append({"percent": q, "estimate": float(np.percentile(x, q)),
                                         "lower": nullable(ci.low), "upper": nullable(ci.high)})
        out["speed_of_answer"] = speed
    else:
        out["speed_of_answer"] = None
    return out


def cases():
    rng = np.random.default_rng(20261207)
    yield "one answered call", [12.0], [True], None, 20.0
    yield "all abandoned", [30.0, 3.0, 50.0], [False, False, False], 5.0, 20.0
    yield "a morning of calls", np.round(rng.exponential(25.0, 300)).tolist(), (rng.random(300) < 0.85).tolist(), \
        5.0, 20.0
    yield "chats, no short abandons", np.round(rng.exponential(60.0, 500), 1).tolist(), \
        (rng.random(500) < 0.9).tolist(), None, 60.0
    yield "waits on the threshold", [20.0, 20.0, 21.0, 5.0, 5.0, 19.0], [True, False, False, False, True, True], \
        5.0, 20.0


def main():
    document = {"about": __doc__.split("\n\n")[0], "cases": []}
    for name, waits, answered, short, t in cases():
        document["cases"].append({
            "name": name,
            "input": {"wait_seconds": waits, "answered": answered, "short_abandon_seconds": short,
                      "service_level_seconds": t, "percents": PERCENTS},
            "expected": [expected(waits, answered, short, t, level) for level in (0.95, 0.9)],
        })
    vectorfile.write_or_check(OUT, document)


if __name__ == "__main__":
    main()
