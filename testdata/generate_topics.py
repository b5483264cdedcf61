#!/usr/bin/env python3
"""Writes testdata/topics.json: the impact of comment topics on the NPS of seeded surveys.

For each topic (a flag per response; topics overlap):
- impact three ways that must agree to 1e-12: the vendors' formula (Thematic, zenloop,
  Qualtrics) NPS(all) − NPS(responses not mentioning the topic); share × (NPS(topic) −
  NPS(rest)); and from the six cell counts directly;
- standard_error: the delta method, its gradient taken by central finite differences of the
  impact as a function of the six cells' shares (not the analytic gradient cxm uses), with the
  multinomial covariance diag(π) − ππᵀ, over n; lower and upper its Wald limits at 0.95;
- bootstrap_se: the standard deviation of the impact over 20 000 multinomial resamples of the
  six counts (numpy, seeded), which the delta method must match to 5%: the check that the
  share is rightly treated as random.

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
VALUES = np.array([-100.0, 0.0, 100.0])  # detractor, passive, promoter


def category(scores):
    return np.where(scores >= 9, 2, np.where(scores >= 7, 1, 0))


def nps(counts):
    return float(VALUES @ counts / counts.sum())


def impact_of_shares(pi):
    """The impact as a function of the six cells' shares (topic d, p, P; rest d, p, P)."""
    topic, rest = pi[:3], pi[3:]
    return VALUES @ (topic + rest) / (topic + rest).sum() - VALUES @ rest / rest.sum()


def topic(name, scores, flags, rng):
    cells = np.concatenate([np.bincount(category(scores[flags]), minlength=3),
                            np.bincount(category(scores[~flags]), minlength=3)]).astype(float)
    n = cells.sum()
    all_, t, r = nps(cells[:3] + cells[3:]), nps(cells[:3]), nps(cells[3:])
    share = cells[:3].sum() / n
    ways = [all_ - r, share * (t - r), impact_of_shares(cells / n)]
    assert max(ways) - min(ways) < 1e-12, (name, ways)
    pi = cells / n
    step = 1e-6
    gradient = np.array([(impact_of_shares(pi + step * e) - impact_of_shares(pi - step * e)) / (2 * step)
                         for e in np.eye(6)])
    se = float(np.sqrt(gradient @ (np.diag(pi) - np.outer(pi, pi)) @ gradient / n))
    resampled = rng.multinomial(int(n), pi, size=20_000) / n
    boot = float(np.std([impact_of_shares(p) for p in resampled], ddof=1))
    assert abs(boot / se - 1) < 0.05, (name, se, boot)
    z = norm.ppf(0.975)
    return {"topic": name, "n": int(n), "mentions": int(cells[:3].sum()), "share": share, "nps_topic": t,
            "nps_rest": r, "impact": ways[0], "standard_error": se, "lower": ways[0] - z * se,
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
    for n in (400, 5_000):
        scores, topics = survey(rng, n)
        cases.append({
            "scores": scores.tolist(),
            "topics": {name: flags.astype(int).tolist() for name, flags in topics.items()},
            "names": list(topics),
            "expected": [topic(name, scores, flags, rng) for name, flags in topics.items()],
        })
    vectorfile.write_or_check(OUT, {
        "source": "testdata/generate_topics.py: numpy finite-difference delta method, multinomial bootstrap",
        "level": 0.95,
        "tolerance": 1e-12,
        "se_tolerance": 1e-7,
        "cases": cases,
    })


if __name__ == "__main__":
    main()
