"""The README's Python example runs as written."""

import re

from conftest import ROOT


def test_readme_python_examples_run(capsys):
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "the README has no Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert "score_out_of_range score 11 at index 1 is outside 0..=10" in capsys.readouterr().out
