"""Terminal tables that fit a width without splitting a number or an id.

A :class:`Grid` is a table of plain-text cells. :func:`fit` turns it into something rich can
print in ``width`` columns, taking the first layout that fits:

1. **one line per row**, every column at its natural width;
2. **wrapped**: columns marked ``wrap`` (free text: a setting, a reference) wrap at spaces,
   each given at least its longest word, so words stay whole; accepted while no row takes
   more than :data:`MAX_ROW_LINES` lines;
3. **records**: one block per row, the ``key`` columns (ids) on its first line and
   ``header value`` items below, wrapped between items (an item never splits unless it is
   wider than the whole width).

Several grids can be offered (e.g. the verify table, then the same with the values common
to every row lifted above it): layouts 1 and 2 are tried on each in turn, records last (on
the last grid offered). Cells may hold several lines (``"0.043\\n[0.038, 0.049]"``); each
line is a unit that is never split.

Width and colour are rich's own detection (:func:`console`): ``COLUMNS`` when set (also when
output is piped), else the width of a terminal on stdin/stdout/stderr, else 80 columns; colour
on a terminal or with ``FORCE_COLOR``, none with ``NO_COLOR``. ``width=None`` means unbounded
(files): layout 1 always.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

#: A wrapped row may take at most this many lines; beyond it the records layout reads better.
MAX_ROW_LINES = 3
#: Columns are separated by two spaces (one of padding, one of the box's blank rule).
_PADDING = (0, 1, 0, 0)


@dataclass(frozen=True)
class Column:
    """One column: ``justify`` ``"right"`` for numbers; ``wrap``: free text that may wrap at
    spaces; ``key``: shown on the first line of a record (an id); ``label``: the shorter
    name used in records (default: the header)."""

    header: str
    justify: str = "left"
    wrap: bool = False
    key: bool = False
    label: str | None = None


@dataclass
class Grid:
    """A table of plain-text cells, with optional rich styles per cell and lines printed
    before the table (e.g. values common to every row) and after it (a legend, notes)."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[str]]
    title: str | None = None
    styles: Sequence[Sequence[str | None]] | None = None
    before: Sequence[str] = field(default_factory=tuple)
    after: Sequence[str] = field(default_factory=tuple)
    leading: int = 0  # blank lines between rows (1 for rows of several lines)

    def style(self, i: int, j: int) -> str | None:
        return None if self.styles is None else self.styles[i][j]


def console(**kwargs) -> Console:
    """The console of standard output, with rich's own width and colour detection."""
    return Console(**kwargs)


def _cell(text: str, style: str | None) -> Text:
    return Text(text, style=style or "")


def _natural(grid: Grid, j: int) -> int:
    cells = [grid.columns[j].header] + [r[j] for r in grid.rows]
    return max((len(line) for c in cells for line in str(c).split("\n")), default=0)


def _longest_word(grid: Grid, j: int) -> int:
    cells = [grid.columns[j].header] + [r[j] for r in grid.rows]
    return max((len(w) for c in cells for w in str(c).split()), default=1)


def _table(grid: Grid, widths: Sequence[int] | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=_PADDING, header_style="bold", title_justify="left", leading=grid.leading)
    for j, col in enumerate(grid.columns):
        wrap = widths is not None and col.wrap
        table.add_column(col.header, justify=col.justify, no_wrap=not wrap, overflow="fold",
                         width=None if widths is None else widths[j])
    for i, row in enumerate(grid.rows):
        table.add_row(*(_cell(str(c), grid.style(i, j)) for j, c in enumerate(row)))
    return table


def _overhead(n_columns: int) -> int:
    """Width the table adds to its columns: one padding space after each column and a
    one-space rule between neighbours."""
    return 2 * n_columns - 1


def one_line_width(grid: Grid) -> int:
    """Width of layout 1 (every row on one line)."""
    return sum(_natural(grid, j) for j in range(len(grid.columns))) + _overhead(len(grid.columns))


def _wrapped_widths(grid: Grid, width: int) -> list[int] | None:
    """Column widths for layout 2, or None when it does not fit."""
    cols = grid.columns
    if not any(c.wrap for c in cols):
        return None
    natural = [_natural(grid, j) for j in range(len(cols))]
    low = [(_longest_word(grid, j) if c.wrap else natural[j]) for j, c in enumerate(cols)]
    spare = width - _overhead(len(cols)) - sum(low)
    if spare < 0:
        return None
    widths = list(low)
    # water-filling: share the spare width between wrapped columns by what each still lacks
    while spare > 0:
        lacking = [j for j, c in enumerate(cols) if c.wrap and widths[j] < natural[j]]
        if not lacking:
            break
        need = sum(natural[j] - widths[j] for j in lacking)
        given = 0
        for j in lacking:
            share = max(1, (spare * (natural[j] - widths[j])) // need)
            share = min(share, natural[j] - widths[j], spare - given)
            widths[j] += share
            given += share
            if given >= spare:
                break
        spare -= given
        if given == 0:
            break
    measure = Console(width=10_000)
    for i, row in enumerate(grid.rows):
        for j, c in enumerate(cols):
            if c.wrap and len(Text(str(row[j])).wrap(measure, widths[j])) > MAX_ROW_LINES:
                return None
    return widths


def _records(grid: Grid, width: int) -> RenderableType:
    """Layout 3: one block per row: the key columns first (bold), then ``label value`` items,
    two spaces apart and wrapped between items; a free-text item (``wrap``) has a line of its
    own, wrapped at spaces with a hanging indent. An item wider than the whole line is the
    only thing ever wrapped inside (at spaces)."""
    blocks: list[RenderableType] = []
    keys = [j for j, c in enumerate(grid.columns) if c.key] or [0]
    indent, hang = "  ", "      "
    measure = Console(width=10_000)

    def flow(items: list[tuple[Text, bool]], first: str) -> None:
        line, empty = Text(first), True
        for item, alone in items:
            if not empty and (alone or len(line) + 2 + len(item) > width):
                blocks.append(line)
                line, empty = Text(indent), True
            if alone or len(line) + len(item) > width:  # on a line of its own, wrapped at spaces
                prefix = line.plain
                for k, part in enumerate(item.wrap(measure, max(width - len(hang), 10))):
                    part.rstrip()
                    blocks.append(Text(prefix if k == 0 else hang) + part)
                line, empty = Text(indent), True
                continue
            if not empty:
                line.append("  ")
            line.append_text(item)
            empty = False
        if not empty:
            blocks.append(line)

    for i, row in enumerate(grid.rows):
        head = [(Text(str(row[j]).replace("\n", " "), style=grid.style(i, j) or "bold"), False) for j in keys]
        flow(head, "")
        items = []
        for j, col in enumerate(grid.columns):
            if j in keys:
                continue
            item = Text()
            item.append(col.label or col.header.replace("\n", " "), style="dim")
            item.append(" ")
            item.append(str(row[j]).replace("\n", " "), style=grid.style(i, j) or "")
            items.append((item, col.wrap))
        flow(items, indent)
    return Group(*blocks)


def _frame(grid: Grid, body: RenderableType) -> RenderableType:
    parts: list[RenderableType] = []
    if grid.title:
        parts.append(Text(grid.title, style="italic"))
    parts += [Text(line) for line in grid.before]
    parts.append(body)
    parts += [Text(line, style="dim") for line in grid.after]
    return Group(*parts)


def choose(grids: Sequence[Grid], width: int | None,
           records: Grid | None = None) -> tuple[str, Grid, RenderableType]:
    """The first layout that fits: ``(name, grid, renderable)``; name is ``"one-line"``,
    ``"wrapped"`` or ``"records"`` (of ``records``, default the last grid)."""
    if not grids:
        raise ValueError("no grid to lay out")
    if width is None:
        return "one-line", grids[0], _frame(grids[0], _table(grids[0]))
    for grid in grids:
        if one_line_width(grid) <= width:
            return "one-line", grid, _frame(grid, _table(grid))
        widths = _wrapped_widths(grid, width)
        if widths is not None:
            return "wrapped", grid, _frame(grid, _table(grid, widths))
    grid = records or grids[-1]
    return "records", grid, _frame(grid, _records(grid, width))


def fit(grids: Grid | Sequence[Grid], width: int | None, records: Grid | None = None) -> RenderableType:
    """The renderable of the first layout that fits in ``width`` (None: unbounded)."""
    return choose([grids] if isinstance(grids, Grid) else list(grids), width, records)[2]


def text(grids: Grid | Sequence[Grid], width: int | None = None, records: Grid | None = None) -> str:
    """Plain text (no colour) of :func:`fit`, for files and tests. Lines carry no trailing
    blanks."""
    body = fit(grids, width, records)
    out = Console(width=width or 100_000, record=True, color_system=None, file=_Null())
    out.print(body)
    return "\n".join(line.rstrip() for line in out.export_text().splitlines())


def show(grids: Grid | Sequence[Grid], out: Console | None = None, records: Grid | None = None) -> None:
    """Print to standard output at the console's width (see module docstring)."""
    out = out or console()
    out.print(fit(grids, out.width, records))


class _Null:
    def write(self, *_):
        return 0

    def flush(self):
        pass


__all__ = ["Column", "Grid", "MAX_ROW_LINES", "choose", "console", "fit", "one_line_width", "show", "text"]
