"""The results store under damage and without write access (issue 15, point 6): a tampered
row or schema is one line naming the store and what to do (exit 5), never a traceback and
never a wrong result; a store that cannot be written still gives every computed row and says
how many cells were not stored."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest

from boundcheck.cli import main
from boundcheck.errors import EXIT_STORE, StoreError
from boundcheck.store import SCHEMA_VERSION, ResultStore, cell_key, row_digest

SMALL = ["verify", "thm4.1", "--problem", "exptail-logistic", "--d", "6", "--n", "32", "--T", "20",
         "--seeds", "3", "-q", "--format", "json"]


def cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


@pytest.fixture(scope="module")
def good_store(tmp_path_factory):
    """A store holding the cell of SMALL, and that run's rows."""
    path = tmp_path_factory.mktemp("store") / "good.sqlite"
    r = subprocess.run([sys.executable, "-m", "boundcheck", *SMALL, "--cache", str(path)], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return path, json.loads(r.stdout)["rows"]


def _copy(good_store, tmp_path) -> str:
    dst = tmp_path / "s.sqlite"
    shutil.copy(good_store[0], dst)
    return str(dst)


def _edit(path: str, sql: str, *args) -> None:
    with sqlite3.connect(path) as db:
        db.execute(sql, args)


def _damaged(capsys, path: str, needle: str) -> None:
    code, out, err = cli(capsys, *SMALL, "--cache", path)
    lines = err.strip().splitlines()
    assert code == EXIT_STORE, err
    assert len(lines) == 1 and lines[0].startswith("boundcheck: error: results store") and "Traceback" not in err
    assert path in lines[0] and needle in lines[0] and "--no-cache" in lines[0] and "delete" in lines[0]
    assert out == ""  # no row from a damaged store


def test_the_store_replays_the_same_rows(good_store, tmp_path, capsys):
    path = _copy(good_store, tmp_path)
    code, out, err = cli(capsys, *[a for a in SMALL if a != "-q"], "--cache", path)
    assert code == 0 and "0 cells computed, 1 read" in err
    assert json.loads(out)["rows"] == good_store[1]


def test_non_json_result_is_exit_5(good_store, tmp_path, capsys):
    path = _copy(good_store, tmp_path)
    _edit(path, "UPDATE cells SET result = 'not json at all'")
    _damaged(capsys, path, "checksum")


def test_nan_samples_are_exit_5_not_a_result(good_store, tmp_path, capsys):
    path = _copy(good_store, tmp_path)
    with sqlite3.connect(path) as db:
        (result,) = db.execute("SELECT result FROM cells").fetchone()
        tampered = re.sub(r'("samples":\[)[^\]]*', r"\1NaN,NaN,NaN", result)
        assert tampered != result
        db.execute("UPDATE cells SET result = ?", (tampered,))
    _damaged(capsys, path, "checksum")


def test_an_edited_number_is_caught(good_store, tmp_path, capsys):
    """Valid JSON with one value changed would give a wrong row; the checksum refuses it."""
    path = _copy(good_store, tmp_path)
    with sqlite3.connect(path) as db:
        (result,) = db.execute("SELECT result FROM cells").fetchone()
        data = json.loads(result)
        data["samples"] = [x * 0.5 for x in data["samples"]]
        db.execute("UPDATE cells SET result = ?", (json.dumps(data, sort_keys=True, separators=(",", ":")),))
    _damaged(capsys, path, "checksum")


def test_a_dropped_column_is_exit_5(good_store, tmp_path, capsys):
    path = _copy(good_store, tmp_path)
    _edit(path, "ALTER TABLE cells DROP COLUMN code")
    _damaged(capsys, path, "columns")


def test_a_wrong_table_schema_is_exit_5(good_store, tmp_path, capsys):
    path = _copy(good_store, tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE cells")
        db.execute("CREATE TABLE cells (key TEXT, value BLOB)")
    _damaged(capsys, path, "columns")


def test_a_result_that_is_not_an_object_is_refused(tmp_path):
    """Even with a valid checksum (rewritten by hand), a non-object result is never used."""
    path = tmp_path / "s.sqlite"
    spec = {"kind": "x", "i": 1}
    with ResultStore(path) as s:
        s.put(spec, {"a": 1})
        key = cell_key(spec)
        (spec_text, code) = s._db.execute("SELECT spec, code FROM cells").fetchone()
        s._db.execute("UPDATE cells SET result = ?, digest = ?", ("[1, 2]", row_digest(key, spec_text, "[1, 2]", code)))
        with pytest.raises(StoreError, match="not a JSON object"):
            s.get(spec)


def test_schema_1_store_is_upgraded_and_its_rows_never_read(tmp_path):
    path = tmp_path / "old.sqlite"
    spec = {"kind": "x", "i": 1}
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE cells (key TEXT PRIMARY KEY, spec TEXT NOT NULL, result TEXT NOT NULL,"
                   " code TEXT NOT NULL, created REAL NOT NULL)")
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", "boundcheck-results"), ("schema_version", "1")])
        db.execute("INSERT INTO cells VALUES (?, ?, ?, ?, 0)", (cell_key(spec), "{}", '{"stale": true}', "old"))
    with ResultStore(path) as s:
        assert s.get(spec) is None  # no checksum: a schema-1 row is not trusted
        s.put(spec, {"fresh": True})
        assert s.get(spec) == {"fresh": True}
    with sqlite3.connect(path) as db:
        assert dict(db.execute("SELECT key, value FROM meta"))["schema_version"] == str(SCHEMA_VERSION)


# ---------------------------------------------------------------------- not writable
def test_write_failure_counts_unstored_cells_and_keeps_results(tmp_path):
    path = tmp_path / "s.sqlite"
    with ResultStore(path) as s:
        s.put({"i": 0}, {"v": 0})
        s._db.execute("PRAGMA query_only = ON")  # every write now fails as on a read-only file
        s.put({"i": 1}, {"v": 1})
        s.put({"i": 2}, {"v": 2})
        assert s.unstored == 2 and s.get({"i": 0}) == {"v": 0} and s.get({"i": 1}) is None
        msg = s.unstored_message()
        assert str(path) in msg and "2 computed cells were not stored" in msg and "\n" not in msg


def _read_only_bind(directory: str, command: str) -> subprocess.CompletedProcess:
    """Run ``command`` (sh) with ``directory`` bind-mounted read-only, in a private mount
    namespace (user namespaces: no root needed where they are enabled)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("needs unshare (util-linux) for a read-only file system")
    script = (f"mount --bind {directory} {directory} && mount -o remount,ro,bind {directory} {directory} "
              f"|| exit 99; {command}")
    r = subprocess.run([unshare, "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=600)
    if r.returncode == 99 or "unshare:" in r.stderr[:200]:
        pytest.skip(f"cannot mount read-only here: {r.stderr.strip()[:200]}")
    return r


def test_read_only_file_system_prints_rows_and_says_not_stored(good_store, tmp_path):
    directory = tmp_path / "ro"
    directory.mkdir()
    shutil.copy(good_store[0], directory / "s.sqlite")
    py = sys.executable
    args = " ".join(SMALL).replace("--T 20", "--T 20,30")  # one stored cell, one new
    r = _read_only_bind(str(directory), f"cd {directory} && {py} -m boundcheck {args} --cache s.sqlite; "
                                        f"echo EXIT=$?; {py} -m boundcheck {args}; echo EXIT=$?")
    outs = r.stdout.split("EXIT=")
    assert outs[1].startswith("0") and outs[2].startswith("0"), r.stdout + r.stderr
    first = json.loads(outs[0])["rows"]
    assert [row["T"] for row in first] == [20, 30] and first[0] == good_store[1][0]
    assert json.loads(outs[1][outs[1].index("\n") + 1:])["rows"] == first  # no store at all: same rows
    err = r.stderr.splitlines()
    assert any("s.sqlite' cannot be written" in ln and "1 computed cell was not stored" in ln for ln in err), r.stderr
    assert any(".boundcheck/results.sqlite' cannot be written" in ln and "2 computed cells were not stored" in ln
               for ln in err), r.stderr
    assert "Traceback" not in r.stderr
    assert not (directory / ".boundcheck").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only files")
def test_read_only_file_prints_rows_and_says_not_stored(good_store, tmp_path, capsys):
    path = _copy(good_store, tmp_path)
    os.chmod(path, 0o444)
    os.chmod(tmp_path, 0o555)
    try:
        code, out, err = cli(capsys, *[a if a != "20" else "20,30" for a in SMALL], "--cache", path)
    finally:
        os.chmod(tmp_path, 0o755)
    assert code == 0 and len(json.loads(out)["rows"]) == 2
    assert "1 computed cell was not stored" in err
