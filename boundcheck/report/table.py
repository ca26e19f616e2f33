"""The terminal table of verification rows (``verify``, ``sweep T|batch|dimension``).

The layouts, widest first (:mod:`boundcheck.report.layout` takes the first that fits the
width; numbers and ids are never split):

1. one line per row: theorem, algorithm, problem, d, T, M, seeds, [step,] empirical
   (interval), bound, ratio, verdict (``step``: the row's own step size, for rows that carry
   one: ``sweep batch``'s winning grid point);
2. the same with the values every row shares (algorithm, problem, d, T, M, seeds) said once
   above the table;
3. the same with long problem names as ``P1``, ``P2`` ... and a legend below;
4. two-line rows: theorem over algorithm, the interval under the mean, the ratio under the
   bound;
5. records: one block per row (ids and verdict first, then ``name value`` items).

Numbers have 4 significant digits in every layout. Below the table: the problem legend of
layout 3, then each distinct row note once, with the ids of its rows. A row computed on a problem
that fails an assumption of its theorem (``--allow-assumption-violation``, issue 12) has ``!``
after its theorem id and a legend line below the table; a high-probability row (issue 12) shows its
``delta`` after the theorem id (its empirical value is the (1 - delta)-quantile, its bound B(delta)).
"""

from __future__ import annotations

import math

from boundcheck.report import layout
from boundcheck.report.layout import Column, Grid

_VERDICT_STYLE = {"holds": "green", "violated": "bold red", "inconclusive": "yellow",
                  "diverged": "magenta", "error": "red", "agrees": "green", "disagrees": "bold yellow",
                  "n/a": "dim"}

#: Columns whose value, when shared by every row, layout 2 states once above the table.
_LIFTABLE = ("algorithm", "problem", "d", "T", "M", "seeds")
#: Problem names longer than this become legend codes in layout 3.
_CODE_PROBLEMS_LONGER_THAN = 8


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


def interval_text(row: dict, sep: str = " ") -> str:
    """``mean [low, high]`` (``sep`` between the mean and the interval)."""
    e, lo, hi = row.get("empirical"), row.get("ci_low"), row.get("ci_high")
    if e is None:
        return "-"
    if lo is None or hi is None:
        return fmt_num(e)
    return f"{fmt_num(e)}{sep}[{fmt_num(lo)}, {fmt_num(hi)}]"


def seeds_text(row: dict) -> str:
    """Replicas used, and how many diverged (excluded from the statistic) when any did."""
    n_div = row.get("n_diverged")
    if isinstance(n_div, int) and n_div > 0:
        return f"{fmt_num(row.get('seeds'))} ({n_div} diverged)"
    return fmt_num(row.get("seeds"))


COLUMNS = ("theorem", "algorithm", "problem", "d", "T", "M", "seeds", "empirical (interval)",
           "bound", "ratio", "verdict")
#: Tables of rows that carry a step size of their own (``sweep batch``'s grid: the winning
#: ``eta`` and schedule) show it in a ``step`` column after ``seeds``.
STEP_COLUMNS = COLUMNS[:7] + ("step",) + COLUMNS[7:]
_SCHEDULE_SHORT = {"constant": "const", "sqrt-decay": "/sqrt(t+1)"}


def step_text(row: dict) -> str:
    """``0.1 const``, ``1 /sqrt(t+1)``: the row's own step size (eta and schedule), or '-'."""
    eta, schedule = row.get("eta"), row.get("schedule")
    if eta is None:
        return "-"
    return f"{fmt_num(eta)} {_SCHEDULE_SHORT.get(schedule, schedule or '')}".strip()


def note_lines(rows: list[dict]) -> list[str]:
    """The rows' notes below the table: each distinct part of a note (notes are ``"; "``-joined
    parts) once, after the rows it belongs to: a theorem id when every row of that id has it,
    else the row itself (``thm4.1 adagrad T=100 M=8``). Parts of the same rows share a line."""
    def tag(r: dict) -> str:
        where = [f"{k}={fmt_num(r.get(k))}" for k in ("T", "M") if r.get(k) is not None]
        return " ".join(x for x in [str(r.get("theorem") or "-"), str(r.get("algorithm") or "")] + where
                        if x and x != "-")

    parts: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        for part in str(r.get("note") or "").split("; "):
            if part.strip():
                parts.setdefault(part.strip(), []).append(i)
    by_id: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_id.setdefault(str(r.get("theorem") or "-"), []).append(i)
    lines: dict[tuple, list[str]] = {}
    for part, where in parts.items():
        tags: list[str] = []
        for k in ("M", "T"):  # exactly the rows of one M (or T): say that
            values = {rows[i].get(k) for i in where}
            v = values.pop() if len(values) == 1 else None
            if v is not None and len({rows[i].get("theorem") for i in where}) > 1 and set(where) == {i for i, r in enumerate(rows) if r.get(k) == v}:
                tags = [f"every row with {k}={fmt_num(v)}"]
                break
        for i in ([] if tags else where):
            theorem = str(rows[i].get("theorem") or "-")
            t = theorem if set(by_id[theorem]) <= set(where) else tag(rows[i])
            if t not in tags:
                tags.append(t)
        lines.setdefault(tuple(tags), []).append(part)
    return [f"note ({', '.join(tags)}): {'; '.join(ps)}" for tags, ps in lines.items()]


_NUMERIC = {"d", "T", "M", "seeds", "bound", "ratio"}
_KEYS = {"theorem", "algorithm", "problem", "verdict"}
_LABELS = {"empirical (interval)": "empirical"}


#: The table's marker of a row run on a problem that fails an assumption (see the module docstring).
VIOLATION_MARK = "!"
VIOLATION_LEGEND = (f"{VIOLATION_MARK} = run with --allow-assumption-violation on a problem that fails an "
                    "assumption of the theorem (field assumption_violation)")


def _values(r: dict) -> dict[str, str]:
    mark = VIOLATION_MARK if r.get("assumption_violation") else ""
    at = f" delta={fmt_num(r['delta'])}" if r.get("delta") is not None else ""  # a probability-upper row
    return {"theorem": str(r.get("theorem") or "-") + mark + at, "algorithm": str(r.get("algorithm") or "-"),
            "problem": str(r.get("problem") or "-"), "d": fmt_num(r.get("d")), "T": fmt_num(r.get("T")),
            "M": fmt_num(r.get("M")), "seeds": seeds_text(r), "empirical (interval)": interval_text(r),
            "bound": fmt_num(r.get("bound")), "ratio": fmt_num(r.get("ratio")),
            "verdict": verdict_text(r), "step": step_text(r)}


def verdict_text(r: dict) -> str:
    """The verdict with its qualifier, e.g. ``holds (tight)``, ``inconclusive (2 diverged)``."""
    v = str(r.get("verdict") or "-")
    return f"{v} ({r['verdict_detail']})" if r.get("verdict_detail") else v


def _problem_codes(cells: list[dict[str, str]]) -> dict[str, str]:
    """``{problem name: "P1", ...}`` when some name is long, else empty."""
    problems = list(dict.fromkeys(c["problem"] for c in cells))
    if max(map(len, problems)) <= _CODE_PROBLEMS_LONGER_THAN:
        return {}
    return {p: f"P{k}" for k, p in enumerate(problems, 1)}


#: Layout 3's stacked cells: header -> (top column, bottom column).
_STACKS = {"theorem\nalgorithm": ("theorem", "algorithm"), "empirical\n(interval)": None,
           "bound\nratio": ("bound", "ratio")}


def _grid(rows: list[dict], cells: list[dict[str, str]], names: list[str], title: str | None, *,
          shared: list[str], codes: dict[str, str], stacked: bool) -> Grid:
    cells = [dict(c, problem=codes.get(c["problem"], c["problem"])) for c in cells]
    if stacked:
        for r, c in zip(rows, cells):
            c["theorem\nalgorithm"] = f"{c['theorem']}\n{c['algorithm']}"
            c["empirical\n(interval)"] = interval_text(r, sep="\n")
            c["bound\nratio"] = f"{c['bound']}\n{c['ratio']}"
        merged = []
        for n in names:
            if n == "theorem" and "algorithm" in names:
                merged.append("theorem\nalgorithm")
            elif n == "empirical (interval)":
                merged.append("empirical\n(interval)")
            elif n == "bound" and "ratio" in names:
                merged.append("bound\nratio")
            elif n not in ("algorithm", "ratio") or n == "algorithm" and "theorem" not in names:
                merged.append(n)
        names = merged
    cols = [Column(n, justify="right" if n in _NUMERIC or n == "bound\nratio" else "left",
                   key=n in _KEYS, label=_LABELS.get(n)) for n in names]
    before = ["every row: " + ", ".join(f"{n} {cells[0][n] if n != 'problem' else _first(rows)}"
                                        for n in shared)] if shared else []
    after = [f"{k} = {p}" for p, k in codes.items()] + note_lines(rows)
    if any(r.get("assumption_violation") for r in rows):
        after.append(VIOLATION_LEGEND)
    return Grid(cols, [[c[n] for n in names] for c in cells], title=title,
                styles=[[_VERDICT_STYLE.get(c["verdict"].split(" (")[0]) if n == "verdict" else None for n in names]
                        for c in cells],
                before=before, after=after, leading=1 if stacked else 0)


def _first(rows: list[dict]) -> str:
    return str(rows[0].get("problem") or "-")


def grids(rows: list[dict], title: str | None = None) -> list[Grid]:
    """The candidate layouts of the module docstring, widest first; the records layout
    (the last resort) reads the second one."""
    cells = [_values(r) for r in rows]
    columns = STEP_COLUMNS if any(r.get("eta") is not None for r in rows) else COLUMNS
    shared = [n for n in _LIFTABLE
              if len(cells) >= 2 and len({c[n] for c in cells}) == 1 and cells[0][n] != "-"]
    names = [n for n in columns if n not in shared]
    codes = _problem_codes(cells) if "problem" in names else {}
    return [
        _grid(rows, cells, list(columns), title, shared=[], codes={}, stacked=False),
        _grid(rows, cells, names, title, shared=shared, codes={}, stacked=False),
        _grid(rows, cells, names, title, shared=shared, codes=codes, stacked=False),
        _grid(rows, cells, names, title, shared=shared, codes=codes, stacked=True),
    ]


def _records_grid(candidates: list[Grid]) -> Grid:
    """Records are read best from layout 2 (shared values once, full names)."""
    return candidates[1]


def table_text(rows: list[dict], title: str | None = None, width: int | None = None) -> str:
    """The table as plain text (no colour codes): ``width=None`` (files) one line per row
    at natural widths; otherwise the first layout that fits ``width`` columns."""
    candidates = grids(rows, title)
    return layout.text(candidates, width, records=_records_grid(candidates))


def print_table(rows: list[dict], title: str | None = None) -> None:
    """Print to standard output at its width: the terminal's, or ``COLUMNS`` (also when
    piped), else 80; colour per rich's detection (``FORCE_COLOR``, ``NO_COLOR``)."""
    candidates = grids(rows, title)
    layout.show(candidates, records=_records_grid(candidates))
