"""Write verification rows as JSON (``{"rows": [...], "provenance": {...}}``), CSV or a table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterable

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


def write(rows: list[dict], provenance: dict, path: str | Path, fmt: str | None = None) -> Path:
    """Write rows to ``path`` (format from ``fmt`` or the extension). Never overwrites a file
    with partial output: writes a temporary file, then renames it."""
    path = Path(path)
    fmt = fmt or format_for_path(path)
    text = render(rows, provenance, fmt)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text + ("\n" if not text.endswith("\n") else ""))
        tmp.replace(path)
    except OSError as err:
        raise InputError(f"cannot write {str(path)!r}: {err.strerror or err}") from None
    return path
