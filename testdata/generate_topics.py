#!/usr/bin/env python3
"""Writes testdata/topics.json: the impact of comment topics on the NPS, and on the CSAT share,
of seeded surveys, with and without weights.

For each topic (a flag per response; topics overlap):
- impact three ways that must agree to 1e-12: the vendors' formula (Thematic, zenloop,
  Qualtrics) score(all) − score(responses not mentioning the topic); share × (score(topic) −
  score(rest)); and from the cells (topic or not × category) directly; with weights, the cells
  are weight sums;
- standard_error: the delta method, its gradient taken by central finite differences of the
  impact as a function of the cells' shares (not the analytic gradient cxm uses), with the
  multinomial covariance diag(π) − ππᵀ, over n (with weights, Kish's effective n); lower and
  upper its Wald limits at 0.95;
- bootstrap_se: the standard deviation of the impact over 20 000 resamples (numpy, seeded):
  multinomial resamples of the cells without weights, resamples of the rows with them; the
  delta method must match it to 5% (unweighted) or 10% (weighted, where Kish's n is an
  approximation): the check that the share is rightly treated as random.

    python3 testdata/generate_topics.py          # rewrite the file
    python3 testdata/generate_topics.py --check  # exit 1 if out of date (run by pytest)
"""

import pathlib
import sys

import numpy as np
from scipy.stats import norm

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import vectorfile  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "topics.json"
NPS_VALUES = np.array([-100.0, 0.0, 100.0])  # detractor, passive, promoter
CSAT_VALUES = np.array([0.0, 0.0, 0.0, 1.0, 1.0])  # 1–5, satisfied 4–5


def category(scores, metric):
    if metric == "nps":
        return np.where(scores >= 9, 2, np.where(scores >= 7, 1, 0))
    return scores.astype(int) - 1


def impact_of_shares(pi, values):
    """The impact as a function of the cells' shares (topic's categories, then the rest's)."""
    k = len(values)
    topic, rest = pi[:k], pi[k:]
    return values @ (topic + rest) / (topic + rest).sum() - values @ rest / rest.sum()


def cells_of(scores, flags, weights, metric, k):
    c = category(scores, metric)
    return np.concatenate([np.bincount(c[flags], weights=weights[flags], minlength=k),
                           np.bincount(c[~flags], weights=weights[~flags], minlength=k)]).astype(float)


def topic(name, scores, flags, weights, metric, rng):
    values = NPS_VALUES if metric == "nps" else CSAT_VALUES
    k = len(values)
    w = np.ones(len(scores)) if weights is None else weights
    cells = cells_of(scores, flags, w, metric, k)
    total = cells.sum()
    effective_n = total ** 2 / (w ** 2).sum()
    score = lambda c: float(values @ c / c.sum())  # noqa: E731
    all_, t, r = score(cells[:k] + cells[k:]), score(cells[:k]), score(cells[k:])
    share = cells[:k].sum() / total
    ways = [all_ - r, share * (t - r), impact_of_shares(cells / total, values)]
    assert max(ways) - min(ways) < 1e-12 * max(1.0, abs(ways[0])), (name, ways)
    pi = cells / total
    step = 1e-6
    gradient = np.array([(impact_of_shares(pi + step * e, values) - impact_of_shares(pi - step * e, values))
                         / (2 * step) for e in np.eye(2 * k)])
    se = float(np.sqrt(gradient @ (np.diag(pi) - np.outer(pi, pi)) @ gradient / effective_n))
    if weights is None:
        resampled = rng.multinomial(int(total), pi, size=20_000) / total
        boot = float(np.std([impact_of_shares(p, values) for p in resampled], ddof=1))
        assert abs(boot / se - 1) < 0.05, (name, se, boot)
    else:
        n = len(scores)
        draws = [rng.integers(0, n, n) for _ in range(2_000)]
        boot = float(np.std([impact_of_shares(cells_of(scores[i], flags[i], w[i], metric, k), values)
                             for i in draws], ddof=1))
        assert abs(boot / se - 1) < 0.10, (name, se, boot)
    z = norm.ppf(0.975)
    return {"topic": name, "n": len(scores), "mentions": int(flags.sum()), "share": share, "topic_score": t,
            "rest_score": r, "impact": ways[0], "standard_error": se, "lower": ways[0] - z * se,
            "upper": ways[0] + z * se, "bootstrap_se": boot}


def survey(rng, n):
    scores = rng.choice(11, size=n, p=[.04, .02, .03, .04, .05, .08, .09, .15, .17, .15, .18])
    unhappy = scores <= 6
    topics = {
        "price": rng.random(n) < np.where(unhappy, 0.45, 0.15),
        "support": rng.random(n) < np.where(unhappy, 0.30, 0.10),
        "delivery": rng.random(n) < 0.12,
        "praise": rng.random(n) < np.where(scores >= 9, 0.5, 0.05),
    }
    return scores, topics


def main():
    rng = np.random.default_rng(20261204)
    cases = []
    for n, metric, weighted in ((400, "nps", False), (5_000, "nps", False), (3_000, "nps", True),
                                (2_000, "csat", False), (3_000, "csat", True)):
        scores, topics = survey(rng, n)
        if metric == "csat":  # 0–10 folded onto 1–5: 0–2 → 1, …, 9–10 → 5
            scores = np.array([1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5])[scores]
        weights = rng.lognormal(0.0, 0.5, n) if weighted else None
        case = {
            "metric": metric,
            "scores": scores.tolist(),
            "topics": {name: flags.astype(int).tolist() for name, flags in topics.items()},
            "names": list(topics),
            "expected": [topic(name, scores, flags, weights, metric, rng) for name, flags in topics.items()],
        }
        if weighted:
            case["weights"] = weights.tolist()
        cases.append(case)
    vectorfile.write_or_check(OUT, {
        "source": "testdata/generate_topics.py: numpy finite-difference delta method, multinomial and row bootstraps",
        "level": 0.95,
        "tolerance": 1e-12,
        "se_tolerance": 1e-7,
        "cases": cases,
    })


if __name__ == "__main__":
    main()
