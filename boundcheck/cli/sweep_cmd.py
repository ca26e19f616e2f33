"""``boundcheck sweep NAME``: one subcommand per registered sweep (:class:`boundcheck.verify.sweep.Sweep`).

The group is lazy: ``boundcheck --help`` loads no sweep; ``boundcheck sweep --help`` lists the
registered ones (boundcheck's ``T``, ``batch``, ``dimension`` ... and any plugin's), and each
subcommand is built from its declaration: the sweep's own options, the problem options when it
takes a problem, and the common output options. Exit codes as for ``verify``.
"""

from __future__ import annotations

import click

from .options import (Common, add_debug_option, command_line, emit, execute_plan, output_options, problem_options,
                      problem_spec_from_options, report_counts, summarise_outcomes)
from .completion import names_of
from .problem_options import ProblemCommand, pop_problem_options, with_default


def _default_text(value) -> str:
    """A declared default as it is typed on the command line (``16,64,256``; ``0.1,0.5,2``)."""
    if isinstance(value, (list, tuple)):
        return ",".join(_default_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


#: A sweep whose estimate exceeds this many seconds says so before it starts.
HINT_AFTER_SECONDS = 60.0


def _time_hint(sweep, specs: list[dict], common: Common) -> None:
    """One line on stderr before a run the sweep estimates to take over a minute."""
    if sweep.estimate is None or common.quiet or common.collect_only:
        return
    seconds = sweep.estimate(specs)
    if seconds is None or seconds < HINT_AFTER_SECONDS:
        return
    from boundcheck.constants.progress import _fmt_seconds

    cached = " (cells already in the results store are not recomputed)" if common.cache else ""
    click.echo(f"boundcheck: sweep {sweep.name}: {len(specs)} cells, roughly {_fmt_seconds(seconds)} on a "
               f"2-core machine{cached}; the progress bar gives a live ETA", err=True)


def _command(sweep) -> click.Command:
    option_names = [o.name for o in sweep.options]

    @click.pass_context
    def callback(ctx, **kwargs):
        from boundcheck.validation import InputError

        problem = None
        if sweep.problem:
            problem = problem_spec_from_options(**pop_problem_options(kwargs))
        parsed = {}
        for opt in sweep.options:
            text = kwargs.pop(opt.name)
            if text is None:
                if opt.default is not None:
                    parsed[opt.name] = opt.default
                continue
            parsed[opt.name] = opt.parse(text) if opt.parse is not None else text
        argument = kwargs.pop(sweep.argument) if sweep.argument else None
        common = Common(**kwargs)
        if argument is not None:
            parsed[sweep.argument] = argument
        if sweep.problem:
            parsed["problem"] = problem
        specs = sweep.plan(seeds=common.seeds, seed=common.seed, **parsed)
        if not specs:
            raise InputError(f"sweep {sweep.name}: nothing to run with these options")
        _time_hint(sweep, specs, common)
        debug = bool((ctx.find_root().obj or {}).get("debug"))
        outcomes = execute_plan(specs, common, description=f"sweep {sweep.name}", debug=debug)
        report_counts(outcomes, common)
        rows = sweep.rows(outcomes, common.confidence)
        summarise_outcomes([o for o in outcomes if o.result is None or o.failure], common)
        ctx.exit(emit(rows, common, command=command_line(ctx), title=sweep.title or f"boundcheck sweep {sweep.name}",
                      failures=sum(1 for o in outcomes if o.failure)))

    f = output_options(callback, seeds_default=sweep.seeds_default)
    for opt in reversed(sweep.options):
        help_ = opt.help if opt.default is None else with_default(opt.help, _default_text(opt.default))
        f = click.option(*opt.flags, opt.name, type=str, default=None, metavar=opt.metavar or None,
                         help=help_)(f)
    if sweep.problem:
        f = problem_options(f, l2_note="; the logistic loss needs l2 > 0 (the theorems need w*)")
    if sweep.argument:
        f = click.argument(sweep.argument, required=False, metavar=sweep.argument_metavar or None,
                           shell_complete=names_of("theorem"))(f)
    assert len(set(option_names)) == len(option_names)
    cls = ProblemCommand if sweep.problem else click.Command
    return cls(sweep.name, callback=f, params=getattr(f, "__click_params__", [])[::-1],
                         help=sweep.help, short_help=sweep.help.strip().splitlines()[0])


class SweepGroup(click.Group):
    """The ``sweep`` group; subcommands come from the registry on first use."""

    def list_commands(self, ctx):
        from boundcheck import registry

        return registry.names("sweep")

    def get_command(self, ctx, name):
        from boundcheck import registry

        if not registry.has("sweep", name):
            return None
        return add_debug_option(_command(registry.get("sweep", name)))


@click.group("sweep", cls=SweepGroup)
def sweep_group():
    """Sweeps: rates in T, batch size at a fixed budget, AdaGrad vs SGD across dimensions, and any
    registered sweep (plugins add theirs)."""


def register(cli: click.Group) -> None:
    """Add ``sweep`` to the ``boundcheck`` group."""
    cli.add_command(sweep_group)
