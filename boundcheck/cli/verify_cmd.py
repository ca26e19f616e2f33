"""``boundcheck verify`` and ``boundcheck sweep batch|dimension|T``: bound vs empirical.

Both build a list of cells (:mod:`boundcheck.verify.cells`), run the missing ones (every
finished cell goes to the results store at once), summarise them into one tidy row per
cell and print / write them. Exit code: 0 when nothing is violated, 1 when something is,
2 on a usage error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from boundcheck.validation import InputError, choice, integer, probability_open

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


def parse_params(items: tuple[str, ...]) -> dict:
    """``--param KEY=VALUE`` pairs (numbers parsed) for problem parameters."""
    out = {}
    for item in items:
        if "=" not in item or not item.split("=", 1)[0].strip():
            raise InputError(f"--param {item!r}: expected KEY=VALUE")
        k, v = item.split("=", 1)
        k = k.strip().replace("-", "_")
        try:
            num = float(v)
            out[k] = int(num) if num.is_integer() and "." not in v and "e" not in v.lower() else num
        except ValueError:
            out[k] = v
    return out


def problem_options(f):
    """Options choosing the problem (``--problem NAME ...`` or ``--data FILE --loss ...``)."""
    opts = [
        click.option("--problem", "problem_name", metavar="NAME",
                     help="Problem family from the registry (e.g. exptail-logistic, nonconvex-aniso)."),
        click.option("--d", "dim", type=str, metavar="D",
                     help="Problem dimension (with --data: the dimension the file must have)."),
        click.option("--n", "n_samples", type=str, metavar="N", help="Number of samples (finite sums)."),
        click.option("--tau", type=str, metavar="TAU", help="Exponential-tail rate (Assumption B.2; tau > 1/d)."),
        click.option("--noise", type=str, metavar="S", help="Oracle noise scale (oracle problems)."),
        click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
                     help="Further problem parameter (repeatable)."),
        click.option("--data", metavar="FILE", help="libsvm/svmlight file, or sklearn:breast_cancer|digits|wine."),
        click.option("--loss", metavar="LOSS", help="Loss for --data: logistic or squared."),
        click.option("--l2", type=str, metavar="X", help="Ridge coefficient (logistic data needs l2 > 0)."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def output_options(f):
    opts = [
        click.option("--seeds", type=str, default=None, metavar="R",
                     help="Replicas per cell (default: 32 for verify and sweep T, 8 batch, 16 dimension)."),
        click.option("--seed", type=str, default="0", show_default=True, metavar="S", help="Master seed."),
        click.option("--confidence", type=str, default="0.99", show_default=True, metavar="C",
                     help="Confidence level of the intervals, in (0, 1)."),
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
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def problem_from_options(problem_name, dim, n_samples, tau, noise, params, data, loss, l2) -> dict | None:
    """The user's problem spec, or None when no problem option is given (defaults)."""
    from boundcheck.verify import instances

    if data is not None and problem_name is not None:
        raise InputError("--problem and --data are mutually exclusive; give one")
    extra = parse_params(params)
    if data is not None:
        if loss is None:
            raise InputError("--data needs --loss logistic|squared")
        choice("--loss", loss, ("logistic", "squared"))
        for name, val in (("--n", n_samples), ("--tau", tau), ("--noise", noise)):
            if val is not None:
                raise InputError(f"{name} applies to --problem, not to --data")
        expected_d = None if dim is None else integer("--d", dim, low=1)  # with --data: checked
        l2v = None
        if l2 is not None:
            from boundcheck.validation import nonnegative

            l2v = nonnegative("--l2", l2)
        if loss == "logistic" and (l2v is None or l2v <= 0):
            raise InputError("--data with --loss logistic needs --l2 > 0 (a strongly convex objective, "
                             "so f* and w* exist); e.g. --l2 0.01")
        spec = instances.data_spec(data, loss, l2v, d=expected_d)
        instances.build(spec)  # read the data at the door: a bad file is exit 2, not an error row per cell
        return spec
    if loss is not None:
        raise InputError("--loss applies to --data only")
    given = {"d": dim, "n": n_samples, "tau": tau, "noise": noise, "l2": l2}
    if problem_name is None:
        if any(v is not None for v in given.values()) or extra:
            raise InputError("problem parameters (--d --n --tau --noise --l2 --param) need --problem NAME")
        return None
    from boundcheck.verify.defaults import problem_spec_for_user

    return problem_spec_for_user(problem_name, {**{k: v for k, v in given.items() if v is not None}, **extra})


class Common:
    """Validated common options."""

    def __init__(self, seeds, seed, confidence, fmt, out, plot, cache, no_cache, collect_only, workers,
                 quiet):
        self.seeds = None if seeds is None else integer("--seeds", seeds, low=2, high=100000)
        self.seed = integer("--seed", seed, low=0, high=2**63 - 1)
        self.confidence = probability_open("--confidence", confidence)
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
        if no_cache and collect_only:
            raise InputError("--collect-only reads the results store; it cannot be combined with --no-cache")
        self.cache = None if no_cache else cache
        self.collect_only = collect_only
        self.workers = integer("--workers", workers, low=1, high=256)
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
def _progress_bar(quiet: bool):
    """A rich progress bar on stderr, or None when quiet or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


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
            return cells.execute(specs, store=store, workers=common.workers,
                                 collect_only=common.collect_only, debug=debug)
        with bar:
            task = bar.add_task(description, total=len(specs))
            return cells.execute(specs, store=store, workers=common.workers,
                                 collect_only=common.collect_only, debug=debug,
                                 progress=lambda done, total, spec: bar.update(task, completed=done))
    finally:
        if store is not None:
            store.close()


def report_counts(outcomes, common: Common) -> None:
    """One line on stderr: how many cells were computed and how many read from the store."""
    if common.quiet:
        return
    cached = sum(1 for o in outcomes if o.cached)
    computed = sum(1 for o in outcomes if o.result is not None and not o.cached)
    where = f" ({common.cache})" if common.cache else ""
    click.echo(f"boundcheck: {computed} cells computed, {cached} read from the results store{where}", err=True)


def emit(rows: list[dict], common: Common, *, command: str, title: str) -> int:
    """Print/write rows (and the plot); return the exit code (1 if anything is violated)."""
    from boundcheck.report import export
    from boundcheck.report.provenance import provenance
    from boundcheck.report.rows import clean

    rows = [clean(r) for r in rows]
    prov = provenance(command=command, seed=common.seed, confidence=common.confidence,
                      cache=common.cache, workers=common.workers)
    if common.out is not None:
        export.write(rows, prov, common.out, common.fmt)
        click.echo(f"boundcheck: wrote {len(rows)} rows to {common.out}", err=True)
    elif common.fmt == "table" and sys.stdout.isatty():
        from boundcheck.report.table import print_table

        print_table(rows, title=title)
    else:
        click.echo(export.render(rows, prov, common.fmt, title=title))
    if common.plot is not None:
        from boundcheck.report.plots import plot_rows

        # one point per (cell, T): summary rows (rate fits, T = null) are not plotted
        plot_rows([r for r in rows if isinstance(r.get("T"), int)], common.plot, title=title)
        click.echo(f"boundcheck: plot written to {common.plot}", err=True)
    return 1 if any(r.get("verdict") == "violated" for r in rows) else 0


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


# ---------------------------------------------------------------------- commands
@click.command("verify")
@click.argument("ids", nargs=-1, metavar="[THEOREM|LEMMA ...]")
@problem_options
@click.option("--T", "T_list", type=str, default=None, metavar="T1,T2,...",
              help="Iteration counts (comma list; default 100,1000), e.g. 100,1000,10000.")
@click.option("--M", "M_list", type=str, default=None, metavar="M1,M2,...",
              help="Batch sizes (comma list; default 8).")
@output_options
@click.pass_context
def verify_command(ctx, ids, problem_name, dim, n_samples, tau, noise, params, data, loss, l2, T_list,
                   M_list, **common_opts):
    """Check theorems (and lemmas along trajectories) against computation.

    With no arguments: every registered theorem on its default problem (those of Liu, Pan,
    Zhang, ICLR 2025, and any plugin's), plus the lemma checks (E.2, (17), F.4, C.2). Ids:
    'boundcheck theorems' lists the theorems (thm4.1 thm4.3 thm5.3 thmD.1 thmD.3 thmE.1
    thmE.interp adagradnorm-convex adagradnorm-nonconvex ...); lemma checks: lemmaE.2
    lemma(17) lemmaF.4 lemmaC.2.

    Verdicts: holds (interval below the bound), violated (above), inconclusive, diverged,
    error. Exit 0 when nothing is violated, 1 when something is, 2 on a usage error.
    """
    from boundcheck.verify import plan

    common = Common(**common_opts)
    problem = problem_from_options(problem_name, dim, n_samples, tau, noise, params, data, loss, l2)
    Ts = parse_int_list("T", T_list, high=MAX_T)
    Ms = parse_int_list("M", M_list)
    specs = plan.verify_plan(list(ids), problem=problem, Ts=Ts, Ms=Ms, seeds=common.seeds, seed=common.seed)
    debug = bool((ctx.obj or {}).get("debug"))
    outcomes = execute_plan(specs, common, description="verify", debug=debug)
    report_counts(outcomes, common)
    reason = plan.refusal(list(ids), problem, outcomes)
    if reason is not None:
        raise InputError(reason)
    rows = summarise_outcomes(outcomes, common)
    code = emit(rows, common, command=command_line(ctx),
                title="boundcheck verify: bound vs empirical")
    ctx.exit(code)


@click.group("sweep")
def sweep_group():
    """Sweeps: rates in T, batch size at a fixed budget, AdaGrad vs SGD across dimensions."""


@sweep_group.command("T")
@click.argument("theorem", required=False, metavar="[THEOREM]")
@problem_options
@click.option("--T", "T_list", type=str, default=None, metavar="T1,T2,...",
              help="Iteration counts (default: log-spaced 100 .. 10000).")
@click.option("--M", "M_value", type=str, default=None, metavar="M", help="Batch size.")
@output_options
@click.pass_context
def sweep_T(ctx, theorem, problem_name, dim, n_samples, tau, noise, params, data, loss, l2, T_list, M_value,
            **common_opts):
    """Rates: fit the log-log slope in T (with an interval) and compare it with the bound's.

    One row per T (the theorem check), then one summary row per theorem with the fitted
    slope, the bound's own slope over the same T range and the predicted crossover T at
    which the bias and variance terms of the bound are equal.
    """
    from boundcheck.verify import sweeps

    common = Common(**common_opts)
    problem = problem_from_options(problem_name, dim, n_samples, tau, noise, params, data, loss, l2)
    Ts = parse_int_list("T", T_list, high=MAX_T)
    M = None if M_value is None else integer("--M", M_value, low=1)
    specs = sweeps.T_plan(theorem, problem=problem, Ts=Ts, M=M, seeds=common.seeds, seed=common.seed)
    debug = bool((ctx.obj or {}).get("debug"))
    outcomes = execute_plan(specs, common, description="sweep T", debug=debug)
    report_counts(outcomes, common)
    rows = summarise_outcomes(outcomes, common)
    rows += sweeps.T_summary(outcomes, common.confidence)
    ctx.exit(emit(rows, common, command=command_line(ctx),
                  title="boundcheck sweep T: rates"))


@sweep_group.command("batch")
@problem_options
@click.option("--budget", type=str, default=None, metavar="N", help="Fixed budget N = M T (samples drawn).")
@click.option("--M", "M_list", type=str, default=None, metavar="M1,M2,...", help="Batch sizes (comma list).")
@click.option("--step", "step_mode", type=str, default="both", show_default=True,
              metavar="grid|theorem|both", help="Paper's grid (Appendix A), the theorems' step sizes, or both.")
@click.option("--eta", "eta_list", type=str, default=None, metavar="ETA1,ETA2,...",
              help="Step sizes of the grid (default 10,1,0.1,0.01, the paper's); each > 0.")
@output_options
@click.pass_context
def sweep_batch(ctx, problem_name, dim, n_samples, tau, noise, params, data, loss, l2, budget, M_list,
                step_mode, eta_list, **common_opts):
    """Batch size at a fixed budget N = M T (the paper's Table 3): AdaGrad and SGD across M.

    Grid mode: eta in {10, 1, 0.1, 0.01} x {constant, eta/sqrt(t+1)}, init U(-0.05, 0.05),
    the best final loss gap per (algorithm, M). Theorem mode: Theorem 4.1's and D.1's step
    sizes (Option I). Default problems: exptail-logistic and sklearn:breast_cancer.
    """
    from boundcheck.verify import sweeps

    common = Common(**common_opts)
    problem = problem_from_options(problem_name, dim, n_samples, tau, noise, params, data, loss, l2)
    N = None if budget is None else integer("--budget", budget, low=1)
    Ms = parse_int_list("M", M_list)
    choice("--step", step_mode, ("grid", "theorem", "both"))
    etas = None
    if eta_list is not None:
        from boundcheck.validation import positive

        if any(e.strip() == "" for e in eta_list.split(",")):
            raise InputError(f"--eta={eta_list!r} has an empty entry; allowed: comma-separated numbers > 0")
        etas = [positive("--eta", e.strip()) for e in eta_list.split(",")]
        if step_mode == "theorem":
            raise InputError("--eta sets the grid's step sizes; it does not apply to --step theorem")
    specs = sweeps.batch_plan(problem=problem, budget=N, Ms=Ms, step_mode=step_mode, seeds=common.seeds,
                              seed=common.seed, etas=etas)
    debug = bool((ctx.obj or {}).get("debug"))
    outcomes = execute_plan(specs, common, description="sweep batch", debug=debug)
    report_counts(outcomes, common)
    rows = sweeps.batch_rows(outcomes, common.confidence)
    summarise_outcomes([o for o in outcomes if o.result is None or o.failure], common)
    ctx.exit(emit(rows, common, command=command_line(ctx),
                  title="boundcheck sweep batch: fixed budget N = M T"))


@sweep_group.command("dimension")
@click.option("--d", "d_list", type=str, default=None, metavar="D1,D2,...",
              help="Dimensions (default 16,64,256; up to 4096 allowed).")
@click.option("--tau", "tau_list", type=str, default=None, metavar="TAU1,TAU2,...",
              help="Exponential-tail rates (default 0.05,0.2,1).")
@click.option("--T", "T_value", type=str, default=None, metavar="T", help="Iterations.")
@click.option("--M", "M_value", type=str, default=None, metavar="M", help="Batch size.")
@output_options
@click.pass_context
def sweep_dimension(ctx, d_list, tau_list, T_value, M_value, **common_opts):
    """AdaGrad vs SGD across d and tau (Example B.1, Remark 4.2).

    For each (d, tau): the ratio of Theorem 4.1's and D.1's bounds (through R1 = C_var and
    R2 = C_bias) against the ratio of the observed errors E f(w_bar_T) - f*.
    """
    from boundcheck.verify import sweeps

    common = Common(**common_opts)
    ds = parse_int_list("d", d_list)
    if ds is not None:
        for d in ds:
            integer("--d", d, low=2, high=65536)
    taus = None
    if tau_list is not None:
        from boundcheck.validation import positive

        taus = [positive("--tau", t) for t in tau_list.split(",")]
    T = None if T_value is None else integer("--T", T_value, low=1, high=MAX_T)
    M = None if M_value is None else integer("--M", M_value, low=1)
    specs = sweeps.dimension_plan(ds=ds, taus=taus, T=T, M=M, seeds=common.seeds, seed=common.seed)
    debug = bool((ctx.obj or {}).get("debug"))
    outcomes = execute_plan(specs, common, description="sweep dimension", debug=debug)
    report_counts(outcomes, common)
    rows = sweeps.dimension_rows(outcomes, common.confidence)
    summarise_outcomes([o for o in outcomes if o.result is None or o.failure], common)
    ctx.exit(emit(rows, common, command=command_line(ctx),
                  title="boundcheck sweep dimension: AdaGrad vs SGD"))


def register(cli: click.Group) -> None:
    """Add ``verify`` and ``sweep`` to the ``boundcheck`` group."""
    cli.add_command(verify_command)
    cli.add_command(sweep_group)
