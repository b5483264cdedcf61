"""cxm.nps_by / csat_by / ces_by: each row is the NPS of its rows, compared with the rest by
cxm.compare_nps, p-values adjusted as statsmodels' multipletests does; pandas, polars and arrays
agree; periods are ISO labels with each against the one before; trailing windows; charts."""

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from statsmodels.stats.multitest import multipletests

import cxm


@pytest.fixture(scope="module")
def survey():
    rng = np.random.default_rng(5)
    n = 4000
    region = rng.choice(["North", "South", "East", "West"], n)
    score = rng.integers(0, 11, n)
    score = np.where(region == "East", np.maximum(score, 7), score)  # East has no detractors
    return pd.DataFrame({
        "score": score,
        "region": region,
        "channel": pd.Categorical(rng.choice(["phone", "chat", "email"], n)),
        "when": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 181, n), unit="D"),
        "w": rng.uniform(0.2, 3.0, n),
    })


@pytest.mark.parametrize("weights", [None, "w"])
def test_rows_are_the_groups_own_nps_against_the_rest(survey, weights):
    table = cxm.nps_by(survey, score="score", by="region", weights=weights)
    frame = table.to_pandas()
    p = []
    for _, row in frame.iterrows():
        inside = survey.region == row.region
        w = (lambda m: survey.w[m].to_numpy()) if weights else (lambda m: None)
        mine = cxm.nps(survey.score[inside].to_numpy(), weights=w(inside))
        rest = cxm.nps(survey.score[~inside].to_numpy(), weights=w(~inside))
        c = cxm.compare_nps(mine, rest)
        lower, upper = mine.confidence_interval()
        assert (row.estimate, row.lower, row.upper, row.n) == (mine.score, lower, upper, mine.n)
        assert (row.difference, row.p_value) == (c.estimate, c.p_value)
        p.append(c.p_value)
    # statsmodels' Holm, to the bit (the core follows its arithmetic).
    assert frame.p_adjusted.tolist() == multipletests(p, method="holm")[1].tolist()
    assert frame.set_index("region").p_adjusted["East"] < 1e-6
    assert table.overall["n"] == len(survey)
    assert table.overall["estimate"] == cxm.nps(survey.score, weights=survey[weights] if weights else None).score


def test_benjamini_hochberg_and_baseline(survey):
    table = cxm.nps_by(survey, score="score", by="region", adjust="fdr_bh")
    p = table.columns["p_value"]
    assert table.columns["p_adjusted"].tolist() == multipletests(p, method="fdr_bh")[1].tolist()
    base = cxm.nps_by(survey, score="score", by="region", compare="baseline", baseline="North")
    frame = base.to_pandas().set_index("region")
    assert math.isnan(frame.p_value["North"])
    south = cxm.compare_nps(cxm.nps(survey.score[survey.region == "South"]),
                            cxm.nps(survey.score[survey.region == "North"]))
    assert frame.p_value["South"] == south.p_value
    with pytest.raises(cxm.CxmError) as e:
        cxm.nps_by(survey, score="score", by="region", compare="baseline", baseline="Mars")
    assert "Mars" in str(e.value)


def test_pandas_polars_and_arrays_agree(survey):
    by_pandas = cxm.nps_by(survey, score="score", by=["region", "channel"])
    by_polars = cxm.nps_by(pl.from_pandas(survey), score="score", by=["region", "channel"])
    by_arrays = cxm.nps_by(score=survey.score.to_numpy(), by=[survey.region.tolist(), survey.channel])
    assert by_pandas.labels == by_polars.labels == by_arrays.labels
    for name in by_pandas.columns:  # arrays, NaN where equal (p-values without a comparison)
        for other in (by_polars, by_arrays):
            np.testing.assert_array_equal(np.asarray(by_pandas.columns[name], dtype=object),
                                          np.asarray(other.columns[name], dtype=object))
    assert isinstance(by_polars.to_frame(), pl.DataFrame)
    assert isinstance(by_pandas.to_frame(), pd.DataFrame)
    assert list(by_pandas.to_polars().columns)[:2] == ["region", "channel"]


def test_periods_changes_and_trailing_windows(survey):
    table = cxm.nps_by(survey, score="score", period="when", freq="month")
    assert [label[0] for label in table.labels] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
                                                      "2026-06"]
    month = survey.when.dt.month
    feb, mar = (cxm.nps(survey.score[month == m]) for m in (2, 3))
    change = table.changes[1]
    c = cxm.compare_nps(mar, feb)
    assert (change["from"], change["to"], change["difference"], change["p_value"]) == ("2026-02", "2026-03",
                                                                                        c.estimate, c.p_value)
    quarterly = cxm.nps_by(survey, score="score", period="when", rolling=3)
    assert quarterly.overall["n"] == len(survey)
    window = cxm.nps(survey.score[month.isin([2, 3, 4])])
    frame = quarterly.to_pandas().set_index("when")
    assert frame.estimate["2026-04"] == window.score
    # The rows say they are windows, and each window is compared with the one three months
    # before, which shares none of its responses: February–April against November–January
    # does not exist, so the first change is May–July... here April (Feb–Apr) against January.
    assert quarterly.rolling == 3 and frame.window_start["2026-04"] == "2026-02"
    assert frame.window_start["2026-01"] == "2026-01" and "trailing windows of 3" in repr(quarterly)
    assert [(c["from"], c["to"]) for c in quarterly.changes] == [("2026-01", "2026-04"), ("2026-02", "2026-05"),
                                                                  ("2026-03", "2026-06")]
    earlier = cxm.nps(survey.score[month.isin([1])])
    c = cxm.compare_nps(window, earlier)
    assert (quarterly.changes[0]["difference"], quarterly.changes[0]["p_value"]) == (c.estimate, c.p_value)
    # A window over every period has no rest to compare with: a note, not a small flag.
    whole = cxm.nps_by(survey, score="score", period="when", rolling=6)
    assert not whole.columns["small"][-1] and whole.columns["note"][-1] == "no comparison: no other responses"
    with pytest.raises(TypeError, match="needs period="):
        cxm.nps_by(survey, score="score", by="region", rolling=3)
    weeks = cxm.nps_by(survey, score="score", by="region", period="when", freq="week")
    assert weeks.labels[0] == ("East", "2026-W01")
    assert all(c["keys"][0] in {"North", "South", "East", "West"} for c in weeks.changes)


def test_column_names_without_data_are_told(survey):
    with pytest.raises(TypeError, match="by='region' names a column, but no data= was given"):
        cxm.nps_by(score=survey.score.to_numpy(), by="region")
    with pytest.raises(TypeError, match="key key0 is the single value 3, not a column"):
        cxm.nps_by(score=[9, 10], by=[3, 4])


def test_missing_keys_small_segments_and_messages(survey):
    df = survey.head(200).copy()
    df.loc[5, "region"] = None
    with pytest.raises(cxm.CxmError) as e:
        cxm.nps_by(df, score="score", by="region")
    assert "key region at index 5 is missing" in str(e.value)
    table = cxm.nps_by(df, score="score", by="region", dropna=True)
    assert sum(table.columns["n"]) == 199
    tiny = cxm.nps_by(survey.head(40), score="score", by="region")
    assert all(tiny.columns["small"]) and "fewer than 30 responses" in tiny.columns["note"][0]
    with pytest.raises(cxm.CxmError) as e:
        cxm.nps_by(survey.assign(score=survey.score + 1), score="score", by="region")
    assert e.value.kind == "score_out_of_range"


def test_csat_and_ces_tables(survey):
    csat = cxm.csat_by(survey.assign(s=survey.score % 5 + 1), score="s", by="channel")
    chat = survey.channel == "chat"
    assert csat.to_pandas().set_index("channel").estimate["chat"] == cxm.csat((survey.score % 5 + 1)[chat]).share
    ces = cxm.ces_by(survey.assign(s=survey.score % 7 + 1), score="s", by="region")
    assert len(ces) == 4 and "ces by region" in repr(ces)


def test_repr_html_and_charts(survey, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    table = cxm.nps_by(survey, score="score", by="region")
    assert "East" in repr(table) and "<table>" in table._repr_html_()
    assert table.plot() is not None
    trend = cxm.nps_by(survey, score="score", by="channel", period="when")
    ax = trend.plot()
    ax.figure.savefig(tmp_path / "trend.png")
    assert (tmp_path / "trend.png").stat().st_size > 1000


def test_the_readme_chart_script_runs(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import runpy

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    script = runpy.run_path(str(ROOT / "scripts" / "charts.py"))
    script["main"](tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"nps-by-region.png", "nps-trend.png"}
