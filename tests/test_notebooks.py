"""Execute every notebook top to bottom (issue 7).

Notebooks are kept as jupytext percent-format ``.py`` files in ``notebooks/`` (diff-friendly, the
source of truth); ``jupytext --to ipynb notebooks/*.py`` makes the ``.ipynb`` files. Here each
one is converted in memory and executed with nbclient at the small CI size (its parameter cell
reads ``BOUNDCHECK_NOTEBOOK_SIZE``; ``full`` reproduces the paper-size runs). Each notebook
asserts its own claim, so a notebook that stops supporting its claim fails this test.
"""

import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_asserts_its_claim(path, tmp_path, monkeypatch):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("BOUNDCHECK_NOTEBOOK_SIZE", "small")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("BOUNDCHECK_FIGURES", str(tmp_path))
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors


def test_there_are_notebooks_to_run():
    assert NOTEBOOKS, "notebooks/ has no NN_name.py notebooks"
