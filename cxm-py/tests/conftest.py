import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def nps_vectors():
    return json.loads((ROOT / "testdata" / "nps.json").read_text())
