"""The example notebook (examples/segments.ipynb) runs from top to bottom on a real kernel, so
that it cannot rot."""

import pytest

from conftest import ROOT


def test_the_example_notebook_runs(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.chdir(ROOT)
    notebook = nbformat.read(ROOT / "examples" / "segments.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the charts were drawn"
