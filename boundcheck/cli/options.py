"""Options and machinery shared by the commands that run cells (``verify``, ``sweep ...``).

- :func:`problem_options` / :func:`problem_spec_from_options`: the problem (``--problem NAME -p K=V``
  or ``--data FILE --loss ...``; :mod:`boundcheck.cli.problem_options`, shared with ``run`` and
  ``constants``);
- :func:`output_options` / :class:`Common`: seeds, confidence, output format and destination,
  results store, workers and scheduler (:mod:`boundcheck.verify.schedulers`), progress;
- :func:`assumption_options`: ``--allow-assumption-violation`` (issue 12), for every command
  that checks a theorem's assumptions on a problem (``verify``, ``run --schedule theorem``, the
  tightness search): without it a problem that fails an assumption is refused (exit 2, one
  line naming the assumption); with it the run goes on and every row it touches is marked
  (JSON field ``assumption_violation``, a ``!`` after the theorem id in tables, provenance
  ``allow_assumption_violation``);
- :func:`execute_plan`, :func:`summarise_outcomes`, :func:`emit`: run the cells, make the rows,
  print/write them and return the exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from boundcheck.validation import InputError, choice, integer, probability_open

from .problem_options import problem_from_options, problem_options  # noqa: F401 - the shared problem options

DEFAULT_CACHE = os.path.join(".boundcheck", "results.sqlite")
#: Largest T (the engine's own limit, boundcheck.engine.config.MAX_T), checked at the door:
#: a step-size schedule of T entries is formed before the engine would refuse it.
MAX_T = 10**9
FORMATS = ("table", "json", "csv")


# ---------------------------------------------------------------------- option parsing
def parse_int_list(name: str, text: str | None, *, low: int = 1, high: int | None = None) -> list[int] | None:
    """``"100,1000,1e4"`` -> [100, 1000, 10000]; InputError naming the bad entry."""
    if text is None:
        return None
    parts = [p.strip() for p in str(text).split(",")]
    if not parts or any(p == "" for p in parts):
        raise InputError(f"--{name} {text!r}: expected a comma-separated list of integers, e.g. 100,1000")
    out = []
    for p in parts:
        out.append(integer(f"--{name}", p, low=low, high=high))
    if len(set(out)) != len(out):
        raise InputError(f"--{name} {text!r} lists a value twice")
    return out


def output_options(f=None, *, seeds_default: int | None = None):
    """Decorator: the common output options. ``seeds_default``: the command's number of replicas
    per cell when ``--seeds`` is not given (shown in ``--help``; None: the command decides)."""
    if f is None:
        return lambda g: output_options(g, seeds_default=seeds_default)
    seeds_help = "Replicas per cell." if seeds_default is None else f"Replicas per cell.  [default: {seeds_default}]"
    opts = [
        click.option("--seeds", type=str, default=None, metavar="R", help=seeds_help),
        click.option("--seed", type=str, default="0", show_default=True, metavar="S", help="Master seed."),
        click.option("--confidence", type=str, default="0.99", show_default=True, metavar="C",
                     help="Confidence level of the intervals, in (0, 1)."),
        click.option("--family-alpha", "family_alpha", type=str, default=None, metavar="A",
                     help="Family-wise error level of the run's 'violated' verdicts, in (0, 1) "
                          "(default (1 - confidence)/2: one row alone decides as before)."),
        click.option("--family", "family_method", type=str, default="holm", show_default=True,
                     metavar="holm|none", help="Family-wise control over the run's rows (Holm's method) or none."),
        click.option("--format", "fmt", type=str, default=None, metavar="table|json|csv",
                     help="Output format (default: table; with --out, from the file's extension)."),
        click.option("--out", type=str, default=None, metavar="FILE",
                     help="Write the output to FILE (format from --format, else the extension)."),
        click.option("--plot", type=str, default=None, metavar="FILE.png",
                     help="Draw bound lines and confidence bands to FILE (.png/.pdf/.svg)."),
        click.option("--cache", type=str, default=DEFAULT_CACHE, show_default=True, metavar="PATH",
                     help="Results store (SQLite): finished cells are kept and reused."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the results store."),
        click.option("--collect-only", is_flag=True,
                     help="Report what is in the results store; compute nothing."),
        click.option("--workers", type=str, default="1", show_default=True, metavar="N",
                     help="Worker processes (results are identical for any N)."),
        click.option("--scheduler", type=str, default="local", show_default=True,
                     metavar="local|local-dask|dask://HOST:PORT",
                     help="Where cells run: here (--workers processes), a Dask LocalCluster of --workers "
                          "processes, or an existing Dask cluster (needs boundcheck[dask]); "
                          "the results store is written here either way."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


ALLOW_VIOLATION_HELP = ("Run even on a problem that fails an assumption of the theorem (breaking it on purpose, "
                        "e.g. heavy-tailed noise against a sub-Gaussian bound); every row it touches is marked.")


def assumption_options(f):
    """``--allow-assumption-violation`` (passed as ``allow_violation``; see the module docstring)."""
    return click.option("--allow-assumption-violation", "allow_violation", is_flag=True,
                        help=ALLOW_VIOLATION_HELP)(f)


def parse_float_list(name: str, text: str | None, *, low: float, high: float) -> list[float] | None:
    """``"0.1,0.01"`` -> [0.1, 0.01], each in the open interval (low, high); InputError naming
    the bad entry."""
    if text is None:
        return None
    from boundcheck.validation import real

    parts = [p.strip() for p in str(text).split(",")]
    if any(p == "" for p in parts):
        raise InputError(f"--{name} {text!r}: expected a comma-separated list of numbers, e.g. 0.1,0.01")
    out = [real(f"--{name}", p, low=low, high=high, low_open=True, high_open=True) for p in parts]
    if len(set(out)) != len(out):
        raise InputError(f"--{name} {text!r} lists a value twice")
    return out


def problem_spec_from_options(**options) -> dict | None:
    """The cell spec of the problem options of ``verify`` / ``sweep ...`` (None: the defaults).
    One parser for every command: :mod:`boundcheck.cli.problem_options`."""
    from boundcheck.verify import instances

    chosen = problem_from_options(**options, minimizer=True)
    return None if chosen is None else instances.spec_of(chosen)


class Common:
    """Validated common options."""

    def __init__(self, seeds, seed, confidence, fmt, out, plot, cache, no_cache, collect_only, workers,
                 quiet, family_alpha=None, family_method="holm", scheduler="local"):
        from boundcheck.verify.decisions import FAMILY_METHODS, default_family_alpha

        self.seeds = None if seeds is None else integer("--seeds", seeds, low=2, high=100000)
        self.seed = integer("--seed", seed, low=0, high=2**63 - 1)
        self.confidence = probability_open("--confidence", confidence)
        self.family_alpha = (default_family_alpha(self.confidence) if family_alpha is None
                             else probability_open("--family-alpha", family_alpha))
        self.family_method = choice("--family", family_method, FAMILY_METHODS)
        self.out = out
        if fmt is not None:
            self.fmt = choice("--format", fmt, FORMATS)
        elif out is not None:
            from boundcheck.report.export import format_for_path

            self.fmt = format_for_path(out)
        else:
            self.fmt = "table"
        self.plot = plot
        if plot is not None and Path(plot).suffix.lower() not in (".png", ".pdf", ".svg"):
            raise InputError(f"--plot {plot!r}: allowed extensions .png, .pdf, .svg")
        from boundcheck.report.export import check_destination  # at the door: exit 4 before computing

        for option, path in (("--out", out), ("--plot", plot)):
            if path is not None:
                check_destination(option, path)
        if no_cache and collect_only:
            raise InputError("--collect-only reads the results store; it cannot be combined with --no-cache")
        self.cache = None if no_cache else cache
        self.collect_only = collect_only
        self.workers = integer("--workers", workers, low=1, high=256)
        from boundcheck.verify.schedulers import parse as parse_scheduler

        self.scheduler = parse_scheduler(scheduler)
        self.quiet = quiet


def command_line(ctx: click.Context) -> str:
    """The command as parsed (for provenance): path, arguments, and the options that differ
    from their defaults, spelled as on the command line."""
    parts = [ctx.command_path]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if value in (None, False, ()) or value == param.default:
            continue
        values = value if isinstance(value, tuple) else (value,)
        if isinstance(param, click.Argument):
            parts += [str(v) for v in values]
        elif value is True:
            parts.append(param.opts[0])
        else:
            parts += [f"{param.opts[0]} {v}" for v in values]
    return " ".join(parts)


# ---------------------------------------------------------------------- running a plan
#: Without a terminal on stderr (piped, logged), a long run says where it is once a minute.
PROGRESS_LINE_INTERVAL = 60.0


def _progress_bar(quiet: bool):
    """A rich progress bar with the elapsed time and an ETA on stderr, or None when quiet or
    stderr is not a terminal (then :func:`_progress_lines`)."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=Console(stderr=True),
                    transient=True)


def _progress_lines(quiet: bool, description: str):
    """``progress(done, total, spec)`` printing one line a minute on stderr (``boundcheck: verify:
    12/40 cells, 2.0 min elapsed, ETA ~4.7 min``) when stderr is not a terminal; None when quiet.
    Silent for the first minute, so short runs print nothing."""
    if quiet:
        return None
    from boundcheck.constants.progress import Progress

    lines = Progress(f"boundcheck: {description}", enabled=True, min_interval=PROGRESS_LINE_INTERVAL,
                     delay=PROGRESS_LINE_INTERVAL)
    return lambda done, total, spec: lines.update(f"{done}/{total} cells", fraction=done / max(total, 1))


def execute_plan(specs: list[dict], common: Common, *, description: str, debug: bool = False):
    """Run (or collect) the cells; return their outcomes in plan order."""
    from boundcheck.verify import cells

    store = None
    if common.cache is not None:
        from boundcheck.store import ResultStore

        store = ResultStore(common.cache)
    bar = _progress_bar(common.quiet)
    try:
        if bar is None:
            return cells.execute(specs, store=store, workers=common.workers, scheduler=common.scheduler,
                                 collect_only=common.collect_only, debug=debug,
                                 progress=_progress_lines(common.quiet, description))
        with bar:
            task = bar.add_task(description, total=len(specs))
            return cells.execute(specs, store=store, workers=common.workers, scheduler=common.scheduler,
                                 collect_only=common.collect_only, debug=debug,
                                 progress=lambda done, total, spec: bar.update(task, completed=done))
    finally:
        if store is not None:
            if store.unstored:  # a read-only store: the rows are printed, the run says so
                click.echo(f"boundcheck: warning: {store.unstored_message()}", err=True)
            store.close()


def report_counts(outcomes, common: Common) -> None:
    """One line on stderr: how many cells were computed and how many read from the store."""
    if common.quiet:
        return
    cached = sum(1 for o in outcomes if o.cached)
    computed = sum(1 for o in outcomes if o.result is not None and not o.cached)
    where = f" ({common.cache})" if common.cache else ""
    click.echo(f"boundcheck: {computed} cells computed, {cached} read from the results store{where}", err=True)


def emit(rows: list[dict], common: Common, *, command: str, title: str, failures: int = 0,
         provenance_extra: dict | None = None) -> int:
    """Decide the rows family-wise (Holm), print/write them (and the plot); return the exit
    code of :func:`boundcheck.errors.run_exit_code` (``failures``: cells that crashed)."""
    from boundcheck.errors import run_exit_code
    from boundcheck.report import export
    from boundcheck.report.provenance import provenance
    from boundcheck.report.rows import clean
    from boundcheck.verify.decisions import apply_family

    family = apply_family(rows, common.family_alpha, common.family_method)
    rows = [clean(r) for r in rows]
    prov = provenance(command=command, seed=common.seed, confidence=common.confidence,
                      cache=common.cache, workers=common.workers, **family, **(provenance_extra or {}))
    if common.out is not None:
        export.write(rows, prov, common.out, common.fmt)
        click.echo(f"boundcheck: wrote {len(rows)} rows to {common.out}", err=True)
    elif common.fmt == "table":  # at the width of stdout: terminal, COLUMNS (also piped), else 80
        from boundcheck.report.table import print_table

        print_table(rows, title=title)
    else:
        click.echo(export.render(rows, prov, common.fmt, title=title))
    if common.plot is not None:
        from boundcheck.report.plots import plot

        plot(rows, common.plot, title=title)  # the command's own plot, chosen by the rows' check
        click.echo(f"boundcheck: plot written to {common.plot}", err=True)
    return run_exit_code([r.get("verdict") for r in rows], internal_errors=failures)


def summarise_outcomes(outcomes, common: Common) -> list[dict]:
    from boundcheck.verify import cells

    rows, missing = [], 0
    for o in outcomes:
        row = cells.summarise(o, common.confidence)
        if row is None:
            missing += 1
        else:
            rows.append(row)
    if missing:
        click.echo(f"boundcheck: {missing} of {len(outcomes)} cells are not in the results store "
                   f"{common.cache!r} (collect-only: not computed)", err=True)
    failures = [o for o in outcomes if o.failure]
    if failures:
        click.echo(f"boundcheck: {len(failures)} cell(s) failed with an internal error (verdict 'error'; "
                   "run with --debug for the traceback)", err=True)
    return rows


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        root = ctx.find_root()
        root.ensure_object(dict)
        root.obj["debug"] = True


def add_debug_option(command: click.Command) -> click.Command:
    """``--debug`` accepted after the command name too (``boundcheck theorems --debug``)."""
    if not any(p.name == "debug" for p in command.params):
        command.params.append(click.Option(["--debug"], is_flag=True, expose_value=False, is_eager=True,
                                           callback=_set_debug, help="Show full tracebacks (for bug reports)."))
    return command
