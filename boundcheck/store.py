"""An embedded results store so interrupted runs lose nothing (SQLite, standard library).

``verify`` and ``sweep`` compute a table of independent *cells* (one theorem x problem x T x M x
seeds ... each). Each finished cell is written here at once, keyed by

    sha256(canonical JSON of the cell's full specification, its seed, and the code version)

where the code version is the package version plus a hash of the source files that compute a
cell. Re-running an interrupted command finds the finished cells and computes only the missing
ones; a change to the code changes every key, so stale results are never reused.

Each row also carries a checksum, ``sha256(key, spec, result, code)``, checked on every read.

Failures, each one line naming the store and what to do, never a traceback:

- a path that is not a boundcheck store (foreign SQLite, a text file, a corrupted database,
  a directory): :class:`~boundcheck.validation.InputError` (exit 2: choose another
  ``--cache`` path or pass ``--no-cache``);
- a boundcheck store whose content was changed outside boundcheck (a row failing its
  checksum, a result that is not a JSON object, tables with other columns):
  :class:`~boundcheck.errors.StoreError` (exit 5: delete the file or pass ``--no-cache``). A
  damaged row is never used, so it can never produce a wrong result;
- a store that cannot be *written* (a read-only file or file system, a directory that cannot
  be created, a full disk): not an error. Cells already stored are still read, computed cells
  are returned as usual, and :attr:`ResultStore.unstored` counts the cells that could not be
  written (:meth:`ResultStore.unstored_message` says so in one line).

Schema version 1 stores (no checksum column) are upgraded in place when writable; their rows
belong to older code versions and are never read.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from boundcheck import __version__
from boundcheck.errors import StoreError
from boundcheck.validation import InputError

SCHEMA = "boundcheck-results"
SCHEMA_VERSION = 2
_CELLS_COLUMNS = ("key", "spec", "result", "code", "created", "digest")
#: errno values meaning "the path is right, but this process may not write there".
_UNWRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}
_SOURCE_DIRS = ("algorithms", "checks", "engine", "problems", "constants", "theory", "verify")
_SOURCE_FILES = ("store.py", "validation.py", "sampling.py", "normal_streams.py", "jit.py", "registry.py", "manifest.py",
                 "params.py")


@lru_cache(maxsize=1)
def code_version() -> str:
    """``<package version>+<12 hex digits of the hash of the computing source files>``."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    paths = [root / f for f in _SOURCE_FILES]
    for d in _SOURCE_DIRS:
        paths += sorted((root / d).rglob("*.py"))
    for p in sorted(paths):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    for name, files in _plugin_sources():
        h.update(name.encode())
        for p in files:
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def _plugin_sources() -> list[tuple[str, list[Path]]]:
    """Each installed plugin's source files (its entry point's top-level package), so a changed
    plugin never meets results its old code computed. Found without importing the plugin."""
    import importlib.util
    from importlib.metadata import entry_points

    from boundcheck.registry import ENTRY_POINT_GROUP

    out = []
    try:
        eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    except Exception:  # pragma: no cover - broken metadata: the registry reports it
        return out
    for ep in eps:
        top = ep.value.split(":", 1)[0].split(".", 1)[0]
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            spec = None
        files: list[Path] = []
        if spec is not None and spec.submodule_search_locations:
            for loc in spec.submodule_search_locations:
                files += sorted(Path(loc).rglob("*.py"))
        elif spec is not None and spec.origin:
            files = [Path(spec.origin)]
        out.append((f"{ep.name}={ep.value}", files))
    return out


def canonical(obj: Any) -> str:
    """Canonical JSON (sorted keys, no whitespace) of a specification."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=_jsonable)


def _jsonable(x):
    try:
        import numpy as np

        if isinstance(x, np.generic):
            return x.item()
        if isinstance(x, np.ndarray):
            return x.tolist()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(x, (set, tuple)):
        return list(x)
    raise TypeError(f"not JSON serializable: {type(x).__name__}")


def cell_key(spec: dict, version: str | None = None) -> str:
    """The store key of a cell specification under a code version."""
    payload = canonical({"spec": spec, "code": version or code_version()})
    return hashlib.sha256(payload.encode()).hexdigest()


def row_digest(key: str, spec: str, result: str, code: str) -> str:
    """The checksum stored with a row: sha256 over its key, spec, result and code texts."""
    h = hashlib.sha256()
    for part in (key, spec, result, code):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


class ResultStore:
    """A SQLite file of finished cells. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.unstored = 0  # computed cells put() could not write
        self.write_error: str | None = None  # why (None while every write succeeded)
        self._db: sqlite3.Connection | None = None
        if self.path.exists() and self.path.is_dir():
            raise InputError(f"results store {str(self.path)!r} is a directory, not a file")
        if self.path.parent and not self.path.parent.exists():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                if err.errno in _UNWRITABLE:
                    self.write_error = f"cannot create its directory: {err.strerror}"
                    return
                raise InputError(f"results store {str(self.path)!r}: cannot create its directory "
                                 f"({err.strerror or err}); choose another --cache path or pass --no-cache") from None
        elif self.path.parent.exists() and not self.path.parent.is_dir():
            raise InputError(f"results store {str(self.path)!r}: {str(self.path.parent)!r} is not a directory; "
                             "choose another --cache path or pass --no-cache")
        if not self.path.exists() and not os.access(self.path.parent, os.W_OK | os.X_OK):
            self.write_error = f"cannot create it: directory {str(self.path.parent)!r} is not writable"
            return
        try:
            self._db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self._init()
        except (InputError, StoreError):
            self.close()
            raise
        except sqlite3.OperationalError as err:
            self.close()
            if _is_unwritable(err):  # e.g. a new store on a read-only file system
                self.write_error = str(err)
                return
            raise InputError(f"results store {str(self.path)!r} is not a boundcheck store or is corrupted "
                             f"({err}); delete it or pass --no-cache") from None
        except sqlite3.DatabaseError as err:
            self.close()
            raise InputError(
                f"results store {str(self.path)!r} is not a boundcheck store or is corrupted "
                f"({err}); delete it or pass --no-cache"
            ) from None

    # ------------------------------------------------------------------ schema
    def _tables(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def _init(self) -> None:
        db = self._db
        if not self._tables():
            try:
                db.execute("BEGIN IMMEDIATE")  # one creator at a time (concurrent first runs)
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute("CREATE TABLE IF NOT EXISTS cells (key TEXT PRIMARY KEY, spec TEXT NOT NULL, "
                           "result TEXT NOT NULL, code TEXT NOT NULL, created REAL NOT NULL, digest TEXT)")
                db.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)",
                               [("schema", SCHEMA), ("schema_version", str(SCHEMA_VERSION))])
                db.execute("COMMIT")
            except sqlite3.Error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        tables = self._tables()
        meta = dict(db.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        if meta.get("schema") != SCHEMA or "cells" not in tables:
            raise InputError(f"{str(self.path)!r} is not a boundcheck results store "
                             "(foreign SQLite file); choose another --cache path")
        version = meta.get("schema_version")
        if version == "1":
            self._upgrade_from_1()
        elif version != str(SCHEMA_VERSION):
            raise InputError(f"results store {str(self.path)!r} has schema version "
                             f"{version}, this boundcheck reads {SCHEMA_VERSION}")
        if self._db is None:
            return
        columns = tuple(r[1] for r in db.execute("PRAGMA table_info(cells)"))
        if sorted(columns) != sorted(_CELLS_COLUMNS):
            raise StoreError(f"results store {str(self.path)!r} is damaged: table 'cells' has columns "
                             f"({', '.join(columns)}), expected ({', '.join(_CELLS_COLUMNS)}); "
                             "delete the file or pass --no-cache")

    def _upgrade_from_1(self) -> None:
        """Add the checksum column (schema 1 -> 2). Old rows keep a null checksum: they were
        written by older code versions, so no current cell key finds them."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            columns = {r[1] for r in db.execute("PRAGMA table_info(cells)")}
            if "digest" not in columns:
                db.execute("ALTER TABLE cells ADD COLUMN digest TEXT")
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
            db.execute("COMMIT")
        except sqlite3.OperationalError as err:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if not _is_unwritable(err):
                raise
            # read-only schema-1 store: nothing in it can match this code version
            self.write_error = str(err)
            self.close()

    # ------------------------------------------------------------------ access
    def _damaged(self, what: str) -> StoreError:
        return StoreError(f"results store {str(self.path)!r} is damaged: {what}; "
                          "delete the file or pass --no-cache")

    def _checked(self, key: str, spec: str, result: str, code: str, digest: str | None) -> dict | None:
        """The result of a row, after its checksum; None for a row without one (schema 1)."""
        if digest is None:
            return None
        if not isinstance(result, str) or digest != row_digest(key, spec, result, code):
            raise self._damaged(f"cell {key[:12]} does not match its checksum (changed outside boundcheck)")
        try:
            value = json.loads(result)
        except ValueError:
            raise self._damaged(f"cell {key[:12]} is not JSON") from None
        if not isinstance(value, dict):
            raise self._damaged(f"cell {key[:12]} is not a JSON object")
        return value

    def _read(self, sql: str, args: tuple) -> list[tuple]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as err:
            raise self._damaged(f"it cannot be read ({err})") from None

    def get(self, spec: dict) -> dict | None:
        """The stored result of this cell under the current code version, or None."""
        if self._db is None:
            return None
        key = cell_key(spec)
        rows = self._read("SELECT key, spec, result, code, digest FROM cells WHERE key = ?", (key,))
        return None if not rows else self._checked(*rows[0])

    def put(self, spec: dict, result: dict) -> None:
        """Store a finished cell (committed at once, so a killed process keeps it). A store
        that cannot be written counts the cell in :attr:`unstored` instead of raising."""
        if self._db is None:
            self.unstored += 1
            return
        key, spec_text, result_text, code = cell_key(spec), canonical(spec), canonical(result), code_version()
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO cells (key, spec, result, code, created, digest) VALUES (?, ?, ?, ?, ?, ?)",
                (key, spec_text, result_text, code, time.time(), row_digest(key, spec_text, result_text, code)),
            )
        except sqlite3.Error as err:
            self.unstored += 1
            self.write_error = self.write_error or str(err)

    def unstored_message(self) -> str | None:
        """One line saying how many computed cells were not stored and why (None if none)."""
        if not self.unstored:
            return None
        cells = "cell was" if self.unstored == 1 else "cells were"
        return (f"results store {str(self.path)!r} cannot be written ({self.write_error}): "
                f"{self.unstored} computed {cells} not stored (the output has them; a re-run "
                "computes them again)")

    def __contains__(self, spec: dict) -> bool:
        return self.get(spec) is not None

    def __len__(self) -> int:
        if self._db is None:
            return 0
        return int(self._read("SELECT COUNT(*) FROM cells", ())[0][0])

    def items(self) -> Iterator[tuple[dict, dict]]:
        """All stored (spec, result) pairs of the current code version (checksums checked)."""
        if self._db is None:
            return
        for key, spec, result, code, digest in self._read(
            "SELECT key, spec, result, code, digest FROM cells WHERE code = ? ORDER BY created", (code_version(),)
        ):
            value = self._checked(key, spec, result, code, digest)
            if value is not None:
                try:
                    yield json.loads(spec), value
                except ValueError:
                    raise self._damaged(f"cell {key[:12]} has a spec that is not JSON") from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_unwritable(err: sqlite3.Error) -> bool:
    """An sqlite error that means "cannot write here" rather than "this is not a store"."""
    text = str(err).lower()
    return any(s in text for s in ("readonly", "read-only", "unable to open database file",
                                   "disk i/o error", "database or disk is full", "attempt to write"))


__all__ = ["ResultStore", "cell_key", "code_version", "canonical", "row_digest"]
