"""docs/theorems.md is generated from the theory layer and must not go stale."""

import functools
import pathlib

from boundcheck.theory import docs

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "theorems.md"


@functools.lru_cache(maxsize=1)
def render():
    return docs.render()


def test_docs_theorems_md_is_fresh():
    assert DOC.exists(), "docs/theorems.md missing: run python -m boundcheck.theory.docs > docs/theorems.md"
    assert DOC.read_text() == render(), (
        "docs/theorems.md is stale: run python -m boundcheck.theory.docs > docs/theorems.md")


def test_docs_cover_every_theorem_and_no_failed_proof():
    from boundcheck.theory.theorem import all_theorems

    text = render()
    for t in all_theorems():
        assert f"### `{t.id}`" in text
    assert "FAILED" not in text
