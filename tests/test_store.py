"""The embedded results store: round trips, keys by spec and code version, clear errors."""

import sqlite3

import numpy as np
import pytest

from boundcheck.store import ResultStore, cell_key
from boundcheck.validation import InputError


def test_round_trip_and_persistence(tmp_path):
    path = tmp_path / "r.sqlite"
    spec = {"theorem": "thm4.1", "T": 100, "seed": 0, "d": np.int64(8)}
    with ResultStore(path) as s:
        assert s.get(spec) is None
        s.put(spec, {"empirical": 0.5, "verdict": "holds"})
    with ResultStore(path) as s:  # a new process would see the same
        assert s.get(spec) == {"empirical": 0.5, "verdict": "holds"}
        assert len(s) == 1
        assert s.get({**spec, "seed": 1}) is None


def test_key_depends_on_spec_and_code_version():
    spec = {"a": 1, "b": [1, 2]}
    assert cell_key(spec, "v1") == cell_key({"b": [1, 2], "a": 1}, "v1")  # order-free
    assert cell_key(spec, "v1") != cell_key(spec, "v2")
    assert cell_key(spec, "v1") != cell_key({"a": 2, "b": [1, 2]}, "v1")


def test_foreign_sqlite_file_is_a_clear_error(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE users (name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="not a boundcheck results store"):
        ResultStore(path)


def test_corrupted_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(InputError, match="not a boundcheck store or is corrupted"):
        ResultStore(path)


def test_code_version_hashes_every_computing_source():
    """A listed source that does not exist would be skipped silently and the cache would serve
    results from old code (the engine package was once missed this way)."""
    from pathlib import Path

    import boundcheck.store as st

    root = Path(st.__file__).resolve().parent
    for f in st._SOURCE_FILES:
        assert (root / f).is_file(), f
    for d in st._SOURCE_DIRS:
        assert any((root / d).rglob("*.py")), d
    assert "engine" in st._SOURCE_DIRS
