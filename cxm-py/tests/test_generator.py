"""The checked-in vectors are exactly what the mpmath generator writes today."""

import subprocess
import sys

from conftest import ROOT


def test_nps_vectors_are_up_to_date():
    script = ROOT / "testdata" / "generate_nps.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
