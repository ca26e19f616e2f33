"""An embedded results store so interrupted runs lose nothing (SQLite, standard library).

``verify`` and ``sweep`` compute a table of independent *cells* (one theorem x problem x T x M x
seeds ... each). Each finished cell is written here at once, keyed by

    sha256(canonical JSON of the cell's full specification, its seed, and the code version)

where the code version is the package version plus a hash of the source files that compute a
cell. Re-running an interrupted command finds the finished cells and computes only the missing
ones; a change to the code changes every key, so stale results are never reused.

A file that is not a boundcheck store (foreign SQLite, a text file, a corrupted database) raises
:class:`~boundcheck.validation.InputError` with a one-line message, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from boundcheck import __version__
from boundcheck.validation import InputError

SCHEMA = "boundcheck-results"
SCHEMA_VERSION = 1
_SOURCE_DIRS = ("algorithms", "checks", "engine", "problems", "constants", "theory", "verify")
_SOURCE_FILES = ("store.py", "validation.py", "sampling.py", "registry.py", "manifest.py", "params.py")


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


class ResultStore:
    """A SQLite file of finished cells. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.exists() and self.path.is_dir():
            raise InputError(f"results store {str(self.path)!r} is a directory, not a file")
        if self.path.parent and not self.path.parent.exists():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise InputError(f"results store {str(self.path)!r}: cannot create its directory "
                                 f"({err.strerror or err}); choose another --cache path or pass --no-cache") from None
        elif self.path.parent.exists() and not self.path.parent.is_dir():
            raise InputError(f"results store {str(self.path)!r}: {str(self.path.parent)!r} is not a directory; "
                             "choose another --cache path or pass --no-cache")
        try:
            self._db = sqlite3.connect(str(self.path), timeout=30)
            self._init()
        except sqlite3.DatabaseError as err:
            raise InputError(
                f"results store {str(self.path)!r} is not a boundcheck store or is corrupted "
                f"({err}); delete it or pass --no-cache"
            ) from None

    def _init(self) -> None:
        cur = self._db.cursor()
        tables = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            cur.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            cur.execute(
                "CREATE TABLE cells (key TEXT PRIMARY KEY, spec TEXT NOT NULL, result TEXT NOT NULL,"
                " code TEXT NOT NULL, created REAL NOT NULL)"
            )
            cur.executemany("INSERT INTO meta VALUES (?, ?)",
                            [("schema", SCHEMA), ("schema_version", str(SCHEMA_VERSION))])
            self._db.commit()
            return
        meta = dict(cur.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        if meta.get("schema") != SCHEMA or "cells" not in tables:
            raise InputError(f"{str(self.path)!r} is not a boundcheck results store "
                             "(foreign SQLite file); choose another --cache path")
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise InputError(f"results store {str(self.path)!r} has schema version "
                             f"{meta.get('schema_version')}, this boundcheck reads {SCHEMA_VERSION}")

    # ------------------------------------------------------------------ access
    def get(self, spec: dict) -> dict | None:
        """The stored result of this cell under the current code version, or None."""
        row = self._db.execute("SELECT result FROM cells WHERE key = ?", (cell_key(spec),)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, spec: dict, result: dict) -> None:
        """Store a finished cell (committed at once, so a killed process keeps it)."""
        self._db.execute(
            "INSERT OR REPLACE INTO cells VALUES (?, ?, ?, ?, ?)",
            (cell_key(spec), canonical(spec), canonical(result), code_version(), time.time()),
        )
        self._db.commit()

    def __contains__(self, spec: dict) -> bool:
        return self.get(spec) is not None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM cells").fetchone()[0])

    def items(self) -> Iterator[tuple[dict, dict]]:
        """All stored (spec, result) pairs of the current code version."""
        for spec, result in self._db.execute(
            "SELECT spec, result FROM cells WHERE code = ? ORDER BY created", (code_version(),)
        ):
            yield json.loads(spec), json.loads(result)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["ResultStore", "cell_key", "code_version", "canonical"]
