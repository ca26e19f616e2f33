"""Terminal tables (rich) of verification rows."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table

_VERDICT_STYLE = {"holds": "green", "violated": "bold red", "inconclusive": "yellow",
                  "diverged": "magenta", "error": "red"}


def fmt_num(x) -> str:
    """Compact number: 4 significant digits, '-' for missing."""
    if x is None:
        return "-"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            return "-"
        return f"{x:.4g}"
    return str(x)


def interval_text(row: dict) -> str:
    e, lo, hi = row.get("empirical"), row.get("ci_low"), row.get("ci_high")
    if e is None:
        return "-"
    if lo is None or hi is None:
        return fmt_num(e)
    return f"{fmt_num(e)} [{fmt_num(lo)}, {fmt_num(hi)}]"


def seeds_text(row: dict) -> str:
    """Replicas used, and how many diverged (excluded from the statistic) when any did."""
    n_div = row.get("n_diverged")
    if isinstance(n_div, int) and n_div > 0:
        return f"{fmt_num(row.get('seeds'))} ({n_div} diverged)"
    return fmt_num(row.get("seeds"))


COLUMNS = ("theorem", "algorithm", "problem", "d", "T", "M", "seeds", "empirical (interval)",
           "bound", "ratio", "verdict")


def build_table(rows: list[dict], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in COLUMNS:
        numeric = c in ("d", "T", "M", "seeds", "bound", "ratio")
        table.add_column(c, justify="right" if numeric else "left", overflow="fold",
                         no_wrap=numeric or c == "verdict")
    for r in rows:
        verdict = str(r.get("verdict") or "-")
        style = _VERDICT_STYLE.get(verdict, "")
        table.add_row(
            str(r.get("theorem", "-")), str(r.get("algorithm", "-")), str(r.get("problem", "-")),
            fmt_num(r.get("d")), fmt_num(r.get("T")), fmt_num(r.get("M")), seeds_text(r),
            interval_text(r), fmt_num(r.get("bound")), fmt_num(r.get("ratio")),
            f"[{style}]{verdict}[/{style}]" if style else verdict,
        )
    return table


def table_text(rows: list[dict], title: str | None = None, width: int = 220) -> str:
    """The table rendered to plain text (no colour codes), for files and tests."""
    console = Console(width=width, record=True, color_system=None, file=_Null())
    console.print(build_table(rows, title))
    return console.export_text()


def print_table(rows: list[dict], title: str | None = None) -> None:
    """Print to stdout: the terminal's width on a terminal; when piped (rich would assume 80
    columns and fold every number) wide enough that each row stays on one line."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=200)
    console.print(build_table(rows, title))


class _Null:
    def write(self, *_):
        return 0

    def flush(self):
        pass
