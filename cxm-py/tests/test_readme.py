"""The README's Python example runs as written."""

import re

from conftest import ROOT


def test_readme_python_examples_run(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples read examples/survey.csv, as from a clone's root
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "the README has no Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "score_out_of_range score 11 at index 1 is outside 0..=10" in out
    # Adjusted Wald by hand: (260.75 - 100.75)/503 - (230.75 - 120.75)/503 = 0.0994..., and the
    # SE from the two adjusted multinomial variances gives 0.1 to 19.8 and p = 0.048.
    assert "+10.0 points, 95% CI 0.1 to 19.8, p = 0.048 (nps_adjusted_wald)" in out
