"""The checked-in vectors are exactly what their generators write today."""

import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.parametrize("generator", ["generate_nps.py", "generate_proportions.py", "generate_ratings.py", "generate_comparisons.py", "generate_churn.py", "generate_segments.py", "generate_durations.py", "generate_lift.py", "generate_contacts.py", "generate_topics.py"])
def test_vectors_are_up_to_date(generator):
    script = ROOT / "testdata" / generator
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
