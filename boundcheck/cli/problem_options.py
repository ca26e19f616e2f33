"""The problem options, the same on every command that chooses a problem.

``run``, ``constants``, ``verify``, ``sweep T`` and ``sweep batch`` take::

    --problem NAME -p KEY=VALUE ...      a registered family and its declared parameters
    --d D                                -p d=D (with --data: the features the data must have)
    --data FILE|sklearn:NAME [--loss logistic|squared] [--l2 X]

and, as older spellings of ``-p NAME=VALUE`` (accepted, not listed in ``--help``): ``--n --tau
--noise --sparsity --rank --coupling --rotate --kappa --radius --seed-problem``. Everything is
validated by :func:`boundcheck.problems.choice.choose` against the problems' declared
parameters; the help lists each registered problem's parameters and defaults from the same
declarations (:class:`ProblemCommand`, built when help is asked for, so ``boundcheck --help``
loads no problem).
"""

from __future__ import annotations

import click

from boundcheck.problems.choice import DEFAULT_L2, DEFAULT_LOSS

from .completion import names_of

#: Older spellings of ``-p NAME=VALUE`` (hidden options); ``--d`` and ``--l2`` are listed.
SHORTCUTS = ("n", "tau", "noise", "sparsity", "rank", "coupling", "rotate", "kappa", "radius", "seed_problem")
#: The keyword names the options are passed to the command as (see :func:`problem_from_options`).
PROBLEM_ARGS = ("problem_name", "params", "dim", "data", "loss", "l2") + tuple(f"p_{k}" for k in SHORTCUTS)


def with_default(text: str, default: str) -> str:
    """``text  [default: DEFAULT]``, the way click shows a default (for defaults click cannot
    show itself: a value decided after parsing, or a list)."""
    return f"{text}  [default: {default}]"


def problem_options(f=None, *, l2_note: str = ""):
    """Decorator: the problem options (see the module docstring). ``l2_note``: what the command
    adds about ``--l2`` (e.g. that the theorems need l2 > 0 for logistic data)."""
    def decorate(g):
        opts = [
            click.option("--problem", "problem_name", metavar="NAME", shell_complete=names_of("problem"),
                         help="A registered problem (listed below with its parameters)."),
            click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
                         help="Problem parameter (repeatable), e.g. -p d=64 -p tau=0.1; the names and "
                              "defaults each problem declares are listed below. Older spellings, still "
                              "accepted: " + ", ".join("--" + k.replace("_", "-") for k in SHORTCUTS) + " X."),
            click.option("--d", "dim", type=str, metavar="D",
                         help="Problem dimension: same as -p d=D. With --data: the number of features the "
                              "data must have."),
            click.option("--data", metavar="FILE",
                         help="A libsvm/svmlight file, or sklearn:breast_cancer|digits|wine (instead of --problem)."),
            click.option("--loss", metavar="logistic|squared",
                         help=with_default("Loss for --data.", DEFAULT_LOSS)),
            click.option("--l2", type=str, metavar="X",
                         help=f"Ridge coefficient. With --data: default {DEFAULT_L2:g}{l2_note}. With --problem: "
                              "same as -p l2=X (the problem's declared default)."),
        ]
        opts += [click.option(f"--{k.replace('_', '-')}", f"p_{k}", type=str, hidden=True, metavar="X",
                              help=f"Same as -p {k}=X.") for k in SHORTCUTS]
        for o in reversed(opts):
            g = o(g)
        return g
    return decorate if f is None else decorate(f)


def problem_from_options(problem_name=None, params=(), dim=None, data=None, loss=None, l2=None, *,
                         required: bool = False, minimizer: bool = False, **shortcuts):
    """The validated :class:`~boundcheck.problems.choice.ProblemChoice` of the options (None when
    no problem is chosen and ``required`` is false)."""
    from boundcheck.problems.choice import choose, merge_assignments

    named = {k[2:]: v for k, v in shortcuts.items() if k.startswith("p_")}
    unknown = [k for k in shortcuts if not k.startswith("p_")]
    if unknown:
        raise TypeError(f"problem_from_options: unexpected {unknown}")
    if data is None:  # --d and --l2 are problem parameters: one merge names the clashing spellings
        named = {"d": dim, "l2": l2, **named}
        dim = l2 = None
    merged = merge_assignments(params, named, flag="-p")
    return choose(problem_name, merged, data=data, loss=loss, l2=l2, d=dim, required=required,
                  minimizer=minimizer)


def pop_problem_options(kwargs: dict) -> dict:
    """Remove the problem options from a command's keyword arguments; return them."""
    return {k: kwargs.pop(k) for k in PROBLEM_ARGS if k in kwargs}


class ProblemCommand(click.Command):
    """A command whose help ends with the registered problems and their declared parameters."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        from boundcheck.problems.choice import declared_parameters

        try:
            listing = declared_parameters()
        except Exception:  # noqa: BLE001 - a broken plugin must not break --help
            return
        with formatter.section("Problems (--problem NAME) and their parameters (-p KEY=VALUE, default)"):
            formatter.write_dl(listing)


__all__ = ["problem_options", "problem_from_options", "pop_problem_options", "ProblemCommand", "PROBLEM_ARGS",
           "SHORTCUTS", "with_default"]
