#!/usr/bin/env python3
"""Writes testdata/segments.json: grouped and periodised cases that Rust, C and Python compute
through their own surfaces and must match bit for bit (scripts/test.sh compares the bits).

Two sections, each computed here, never typed in:

- groups: scores (None missing), optional weights and a group number per row, with the metric
  (NPS, or a rating scale), the table's options and each group's n and estimate computed here
  with plain Python (math.fsum, no cxm): the NPS in points, or the favourable share. The
  surfaces match those to 1e-12 and write every number of their segment table; the Python test
  also holds the table's adjusted p-values to statsmodels' multipletests.
- periods: times (seconds since the epoch) with a UTC offset and a period length, and each
  time's period label from Python's datetime (isocalendar for ISO weeks).

    python3 testdata/generate_segments.py          # rewrite the file
    python3 testdata/generate_segments.py --check  # exit 1 if out of date (run by pytest)
"""

import datetime as dt
import math
import pathlib
import random

import vectorfile

OUT = pathlib.Path(__file__).resolve().parent / "segments.json"


def estimate(metric, scale, scores, weights):
    rows = [(s, w) for s, w in zip(scores, weights) if s is not None]
    total = math.fsum(w for _, w in rows)
    if metric == "nps":
        promoters = math.fsum(w for s, w in rows if s >= 9)
        detractors = math.fsum(w for s, w in rows if s <= 6)
        return 100 * (promoters / total - detractors / total)
    low, high, threshold, higher = scale
    good = math.fsum(w for s, w in rows if (s >= threshold if higher else s <= threshold))
    return good / total


def group_case(rng, name, metric, n, groups, weighted, missing, options, method, scale=None):
    low, high = (0, 10) if metric == "nps" else scale[:2]
    scores = [rng.randint(low, high) for _ in range(n)]
    if missing == "skip":
        for i in rng.sample(range(n), n // 20):
            scores[i] = None
    # Skewed groups: half the rows in group 0.
    rows = [0 if rng.random() < 0.5 else rng.randrange(groups) for _ in range(n)]
    weights = [rng.uniform(0.1, 3.0) * 2.0 ** rng.randint(-8, 8) for _ in range(n)] if weighted else None
    expected = []
    for g in range(groups):
        mine = [i for i in range(n) if rows[i] == g]
        s = [scores[i] for i in mine]
        w = [weights[i] for i in mine] if weighted else [1.0] * len(mine)
        count = sum(1 for x in s if x is not None)
        expected.append({"n": count, "estimate": estimate(metric, scale, s, w) if count else None})
    case = {"name": name, "metric": metric, "scores": scores, "groups": rows, "group_count": groups,
            "missing": missing, "options": options, "method": method, "expected": expected}
    if weighted:
        case["weights"] = weights
    if scale:
        case["scale"] = list(scale)
    return case


def period_case(rng, name, freq, offset, span_days):
    start = int(dt.datetime(2025, 11, 20, tzinfo=dt.timezone.utc).timestamp())
    times = sorted(start + rng.randrange(span_days * 86_400) for _ in range(60))
    rng.shuffle(times)
    zone = dt.timezone(dt.timedelta(seconds=offset))
    labels = []
    for t in times:
        d = dt.datetime.fromtimestamp(t, zone)
        iso_year, iso_week, _ = d.isocalendar()
        labels.append({"day": d.date().isoformat(), "week": f"{iso_year}-W{iso_week:02d}",
                       "month": f"{d.year}-{d.month:02d}", "quarter": f"{d.year}-Q{(d.month - 1) // 3 + 1}",
                       "year": f"{d.year}"}[freq])
    return {"name": name, "times": times, "freq": freq, "utc_offset": offset, "labels": labels}


def main():
    rng = random.Random(16)
    rest = {"level": 0.95, "compare": "rest", "adjustment": "holm", "min_n": 30}
    groups = [
        group_case(rng, "nps unweighted, 6 skewed groups", "nps", 900, 6, False, "reject", rest, "adjusted_wald"),
        group_case(rng, "nps weighted over 16 binary orders, missing skipped, BH", "nps", 1200, 5, True, "skip",
                   {**rest, "adjustment": "fdr_bh"}, "wald"),
        group_case(rng, "nps against group 2, small groups", "nps", 150, 8, False, "reject",
                   {**rest, "compare": "baseline", "baseline": 2}, "adjusted_wald"),
        group_case(rng, "nps against the overall, 90% level", "nps", 600, 3, True, "reject",
                   {**rest, "compare": "overall", "level": 0.9, "min_n": 100}, "score"),
        group_case(rng, "csat weighted", "rating", 800, 4, True, "reject", rest, "wilson", scale=(1, 5, 4, True)),
        group_case(rng, "ces effort scale, lower is easier", "rating", 500, 3, False, "reject",
                   {**rest, "adjustment": "none"}, "jeffreys", scale=(1, 5, 2, False)),
    ]
    periods = [
        period_case(rng, "days at +05:30", "day", 19_800, 9),
        period_case(rng, "ISO weeks across the new year at -05:00", "week", -18_000, 60),
        period_case(rng, "months in UTC", "month", 0, 200),
        period_case(rng, "quarters at +14:00", "quarter", 50_400, 400),
        period_case(rng, "years at -12:00", "year", -43_200, 800),
    ]
    vectorfile.write_or_check(OUT, {
        "comment": __doc__.strip().splitlines()[0],
        "groups": groups,
        "periods": periods,
    })


if __name__ == "__main__":
    main()
