"""Draws the README's two charts from the bundled survey, with cxm.nps_by and matplotlib:

    python scripts/charts.py          (from the repository root; writes docs/img/*.png)

The tests run it into a temporary folder, so the code cannot rot; the committed PNGs are its
output."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

import cxm  # noqa: E402


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    survey = pd.read_csv("examples/survey.csv")
    by_region = cxm.nps_by(survey, score="score", by="region", weights="weight", missing="skip")
    ax = by_region.plot()
    ax.figure.tight_layout()
    ax.figure.savefig(out / "nps-by-region.png", dpi=96)
    trend = cxm.nps_by(survey, score="score", by="channel", period="quarter", freq=None, missing="skip")
    ax = trend.plot()
    ax.figure.tight_layout()
    ax.figure.savefig(out / "nps-trend.png", dpi=96)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/img"))
