"""Write verification rows as JSON (``{"rows": [...], "provenance": {...}}``), CSV or a table.

Files are written by :func:`atomic_write`: through symlinks (the link's target is written,
the link stays), never a partial file (a temporary file beside the target, then a rename),
and only to a regular file or a new path: a directory, FIFO, socket or device (``/dev/full``)
is refused with :class:`~boundcheck.errors.OutputError` (exit code 4), before anything is
computed when the command calls :func:`check_destination` at its door.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path
from typing import Callable, Iterable

from boundcheck.errors import OutputError
from boundcheck.report.rows import clean, columns
from boundcheck.validation import InputError

FORMATS = ("table", "json", "csv")


def to_json(rows: Iterable[dict], provenance: dict) -> str:
    rows = [clean(r) for r in rows]
    return json.dumps({"rows": rows, "provenance": provenance}, indent=2, allow_nan=False)


def to_csv(rows: Iterable[dict]) -> str:
    """CSV with a header; list/dict fields are JSON-encoded; None is an empty cell. Provenance
    is not part of CSV (use JSON for it)."""
    rows = [clean(r) for r in rows]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns(rows), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: (json.dumps(v) if isinstance(v, (list, dict)) else ("" if v is None else v))
                    for k, v in r.items()})
    return buf.getvalue()


def format_for_path(path: str | Path) -> str:
    """The output format implied by a file's extension (.json, .csv, .txt/.table)."""
    suffix = Path(path).suffix.lower()
    fmt = {".json": "json", ".csv": "csv", ".txt": "table", ".table": "table"}.get(suffix)
    if fmt is None:
        raise InputError(f"--out {str(path)!r}: unknown extension {suffix or '(none)'!r}; "
                         "allowed: .json, .csv, .txt")
    return fmt


def render(rows: list[dict], provenance: dict, fmt: str, title: str | None = None) -> str:
    """Rows in the requested format, as text."""
    if fmt == "json":
        return to_json(rows, provenance)
    if fmt == "csv":
        return to_csv(rows)
    from boundcheck.report.table import table_text

    return table_text(rows, title=title)


def check_destination(option: str, path: str | Path) -> Path:
    """The file ``path`` will write (symlinks resolved), if it can be written: an existing
    regular file or a new name in a directory that exists or can be created. Otherwise an
    :class:`OutputError` naming ``option``, the path and what it is."""
    target = Path(os.path.realpath(path))
    shown = str(path) if str(path) == str(target) else f"{str(path)} (-> {target})"
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise OutputError(f"{option} {shown!r} cannot be written: {err.strerror or err}") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "not a regular file")
        raise OutputError(f"{option} {shown!r} is {kind}; allowed: a regular file or a new file name")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{option} {shown!r} cannot be written: {str(parent)!r} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {shown!r} cannot be written: directory {str(parent)!r} is not writable")
    return target


def atomic_write(option: str, path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file beside ``path``'s target, then rename it
    over the target (keeping an existing file's permission bits). Returns ``path``."""
    target = check_destination(option, path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass
        os.replace(tmp, target)
    except OSError as err:
        raise OutputError(f"cannot write {option} {str(path)!r}: {err.strerror or err}") from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return Path(path)


def write(rows: list[dict], provenance: dict, path: str | Path, fmt: str | None = None) -> Path:
    """Write rows to ``path`` (format from ``fmt`` or the extension) with :func:`atomic_write`
    (tables at their natural width: one line per row)."""
    fmt = fmt or format_for_path(path)
    text = render(rows, provenance, fmt)
    data = text + ("\n" if not text.endswith("\n") else "")
    return atomic_write("--out", path, lambda tmp: tmp.write_text(data))
