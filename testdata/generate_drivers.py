#!/usr/bin/env python3
"""Writes testdata/drivers.json: key-driver analyses (LMG and Johnson's relative weights) of
public and seeded data, from three independent references that must agree:

- pingouin 0.7's ``linear_regression(X, y, relimp=True)`` ("relimp": LMG's R² contributions,
  which pingouin documents as matching R's relaimpo ``calc.relimp(type="lmg")``), for the
  unweighted cases (pingouin refuses weights with relimp);
- a brute-force Shapley value over every subset, here: each subset's regression fitted on the
  rows themselves (numpy ``lstsq`` with an intercept, weighted least squares with weights),
  each driver's contribution averaged over the p! orders through the subset-size weights
  k!(p−k−1)!/p!, and its conditional (per subset size) and complete dominance from the same
  fits (Azen and Budescu 2003);
- relativeImp 0.0.2's ``relativeImp`` (Johnson's 2000 relative weights, eigen-decomposition of
  the correlation matrix) for the unweighted cases, and the same algebra on the weighted
  correlation matrix (``numpy.linalg.eigh``) for the weighted ones.

R², and each driver's standardized coefficient in the full model, from statsmodels' OLS/WLS.

Data: statsmodels' public-domain ``stackloss`` (Brownlee 1965; 21 rows, 3 drivers) and
``longley`` (Longley 1967; 16 rows, 6 highly collinear drivers), and seeded surveys: 1 500
responses (0–10 score, five 1–5 ratings; with and without weights) and 400 rows of ten
continuous drivers.

R's relaimpo and domir are not in Debian's packages and CRAN is out of this machine's reach;
pingouin is the relaimpo-matching reference used instead.

    python3 testdata/generate_drivers.py   # in an environment with numpy, pandas, statsmodels,
                                           # pingouin==0.7.0 and relativeImp==0.0.2
"""

import itertools
import math
import pathlib
import sys

import numpy as np
import pandas as pd
import pingouin
import statsmodels.api as sm
from relativeImp import relativeImp

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import vectorfile  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "drivers.json"
AGREE = 1e-9


def r_squared(y, x, w):
    """R² of the (weighted) least-squares fit of y on the columns x with an intercept."""
    design = np.column_stack([np.ones(len(y)), x]) if x.shape[1] else np.ones((len(y), 1))
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(design * sw[:, None], y * sw, rcond=None)
    residual = y - design @ beta
    mean = np.average(y, weights=w)
    return 1.0 - np.sum(w * residual**2) / np.sum(w * (y - mean) ** 2)


def brute_force(y, x, w):
    """LMG contributions, conditional dominance and complete dominance from every subset's fit."""
    p = x.shape[1]
    table = {}
    for k in range(p + 1):
        for subset in itertools.combinations(range(p), k):
            table[subset] = r_squared(y, x[:, list(subset)], w) if subset else 0.0
    conditional = [[0.0] * p for _ in range(p)]
    lmg = [0.0] * p
    for j in range(p):
        others = [i for i in range(p) if i != j]
        for k in range(p):
            gains = [table[tuple(sorted(s + (j,)))] - table[s] for s in itertools.combinations(others, k)]
            conditional[j][k] = float(np.mean(gains))
            lmg[j] += math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p) * sum(gains)
    complete = [[0] * p for _ in range(p)]
    for i, j in itertools.permutations(range(p), 2):
        rest = [m for m in range(p) if m not in (i, j)]
        diffs = [table[tuple(sorted(s + (i,)))] - table[tuple(sorted(s + (j,)))]
                 for k in range(len(rest) + 1) for s in itertools.combinations(rest, k)]
        complete[i][j] = 1 if all(d > 0 for d in diffs) else -1 if all(d < 0 for d in diffs) else 0
    return lmg, conditional, complete


def weighted_correlation(data, w):
    mean = np.average(data, axis=0, weights=w)
    centred = data - mean
    cov = (centred * w[:, None]).T @ centred / w.sum()
    scale = np.sqrt(np.diag(cov))
    return cov / np.outer(scale, scale)


def johnson(y, x, w):
    r = weighted_correlation(np.column_stack([y, x]), w)
    values, vectors = np.linalg.eigh(r[1:, 1:])
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    beta = np.linalg.solve(lam, r[1:, 0])
    return (lam**2) @ (beta**2)


def case(name, frame, score, drivers, weights=None):
    y = frame[score].to_numpy(dtype=float)
    x = frame[drivers].to_numpy(dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    lmg, conditional, complete = brute_force(y, x, w)
    raw = johnson(y, x, w)
    model = (sm.WLS(y, sm.add_constant(x), weights=w) if weights is not None else sm.OLS(y, sm.add_constant(x))).fit()
    sd = lambda v: math.sqrt(np.average((v - np.average(v, weights=w)) ** 2, weights=w))  # noqa: E731
    coefficients = [float(model.params[j + 1]) * sd(x[:, j]) / sd(y) for j in range(len(drivers))]
    if weights is None:
        theirs = pingouin.linear_regression(frame[drivers], frame[score], relimp=True)
        for j, d in enumerate(drivers):
            mine = float(theirs.loc[theirs.names == d, "relimp"].iloc[0])
            assert abs(mine - lmg[j]) < AGREE, (name, d, mine, lmg[j])
        their_weights = relativeImp(frame[[score] + drivers], outcomeName=score, driverNames=list(drivers))
        assert np.allclose(their_weights.rawRelaImpt.to_numpy(dtype=float), raw, rtol=0, atol=AGREE), name
    assert abs(sum(lmg) - model.rsquared) < AGREE and abs(sum(raw) - model.rsquared) < AGREE, name
    return {
        "name": name,
        "score": y.tolist(),
        "names": list(drivers),
        "drivers": {d: x[:, j].tolist() for j, d in enumerate(drivers)},
        "weights": None if weights is None else w.tolist(),
        "r_squared": float(model.rsquared),
        "lmg": lmg,
        "conditional": conditional,
        "complete": complete,
        "johnson": [float(v) for v in raw],
        "coefficients": coefficients,
    }


def survey(rng, n):
    latent = rng.normal(size=(n, 1))
    ratings = np.clip(np.round(3 + latent + rng.normal(size=(n, 5))), 1, 5)
    effect = np.array([0.9, 0.6, 0.3, 0.1, -0.2])
    score = np.clip(np.round(1.2 * ratings @ effect / 1.7 + rng.normal(0, 1.5, n)), 0, 10)
    names = ["price", "support", "delivery", "app", "wait"]
    return pd.DataFrame(np.column_stack([score, ratings]), columns=["nps"] + names), names


def main():
    rng = np.random.default_rng(20261204)
    stackloss = sm.datasets.stackloss.load_pandas().data
    longley = sm.datasets.longley.load_pandas().data
    answers, ratings = survey(rng, 1_500)
    weights = rng.uniform(0.5, 2.0, len(answers))
    wide = pd.DataFrame(rng.normal(size=(400, 10)) @ rng.normal(size=(10, 10)) * 0.3 + rng.normal(size=(400, 10)),
                        columns=[f"x{i}" for i in range(10)])
    wide["y"] = wide.to_numpy() @ rng.normal(size=10) + rng.normal(0, 3, 400)
    cases = [
        case("stackloss", stackloss, "STACKLOSS", ["AIRFLOW", "WATERTEMP", "ACIDCONC"]),
        case("longley", longley, "TOTEMP", ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]),
        case("survey", answers, "nps", ratings),
        case("survey weighted", answers, "nps", ratings, weights),
        case("ten drivers", wide, "y", [f"x{i}" for i in range(10)]),
    ]
    vectorfile.write_or_check(OUT, {
        "source": "testdata/generate_drivers.py: pingouin 0.7.0 relimp, relativeImp 0.0.2, brute-force "
                  "subsets with numpy lstsq, statsmodels OLS/WLS",
        "agree": AGREE,
        "cases": cases,
    })


if __name__ == "__main__":
    main()
