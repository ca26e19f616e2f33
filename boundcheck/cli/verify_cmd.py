"""``boundcheck verify``: theorems and lemma checks, bound vs empirical.

It builds a list of cells (:mod:`boundcheck.verify.cells`), runs the missing ones (every
finished cell goes to the results store at once), summarises them into one tidy row per cell
and prints / writes them. The sweeps are in :mod:`boundcheck.cli.sweep_cmd`.
"""

from __future__ import annotations

import click

from boundcheck.validation import InputError

from boundcheck.verify import defaults

from .options import (MAX_T, Common, assumption_options, command_line, emit, execute_plan, output_options,
                      parse_float_list, parse_int_list, problem_options, problem_spec_from_options,
                      report_counts, summarise_outcomes)
from .completion import names_of
from .problem_options import ProblemCommand, pop_problem_options, with_default


@click.command("verify", cls=ProblemCommand)
@click.argument("ids", nargs=-1, metavar="[THEOREM|LEMMA ...]", shell_complete=names_of("theorem", "check"))
@problem_options(l2_note="; the logistic loss needs l2 > 0 (the theorems need w*)")
@click.option("--T", "T_list", type=str, default=None, metavar="T1,T2,...",
              help=with_default("Iteration counts (comma list), e.g. 100,1000,10000.",
                                ",".join(map(str, defaults.T_DEFAULT))))
@click.option("--M", "M_list", type=str, default=None, metavar="M1,M2,...",
              help=with_default("Batch sizes (comma list).", str(defaults.M_DEFAULT)))
@click.option("--until-decided", is_flag=True,
              help="Add replicas in rounds (doubling, error spent across looks) until every theorem row "
                   "holds or is violated, or --max-replicas is reached; rows report the replicas used.")
@click.option("--max-replicas", type=str, default="1024", show_default=True, metavar="N",
              help="Replica budget per row of --until-decided.")
@click.option("--delta", "delta_list", type=str, default=None, metavar="D1,D2,...",
              help="Failure probabilities of high-probability theorems (comma list in (0, 1); default each "
                   "theorem's, 0.1,0.01,0.001); one row per delta, ceil(20/delta) replicas unless --seeds.")
@assumption_options
@output_options(seeds_default=defaults.SEEDS_DEFAULT)
@click.pass_context
def verify_command(ctx, ids, T_list, M_list, until_decided, max_replicas, delta_list, allow_violation,
                   **common_opts):
    """Check theorems (and lemmas along trajectories) against computation.

    With no arguments: every registered theorem on its default problem (those of Liu, Pan,
    Zhang, ICLR 2025, and any plugin's), plus the lemma checks (E.2, (17), F.4, C.2). Ids:
    'boundcheck theorems' lists the theorems (thm4.1 thm4.3 thm5.3 thmD.1 thmD.3 thmE.1
    thmE.interp adagradnorm-convex adagradnorm-nonconvex ...); lemma checks: lemmaE.2
    lemma(17) lemmaF.4 lemmaC.2.

    Verdicts: holds (interval below the bound), violated (above), inconclusive, diverged,
    error; a lower bound holds when the interval lies above it, a high-probability bound when
    the exceedances of B(delta) are significantly rarer than delta (exact binomial test).
    Exit 0 when nothing is violated, 1 when something is, 2 on a usage error.
    """
    from boundcheck.verify import plan

    problem_opts = pop_problem_options(common_opts)
    common = Common(**common_opts)
    problem = problem_spec_from_options(**problem_opts)
    Ts = parse_int_list("T", T_list, high=MAX_T)
    Ms = parse_int_list("M", M_list)
    deltas = parse_float_list("delta", delta_list, low=0.0, high=1.0)
    specs = plan.verify_plan(list(ids), problem=problem, Ts=Ts, Ms=Ms, seeds=common.seeds, seed=common.seed,
                             deltas=deltas, allow_violation=allow_violation)
    debug = bool((ctx.obj or {}).get("debug"))
    if until_decided:
        from boundcheck.validation import integer
        from boundcheck.verify.decided import decided_rows
        from boundcheck.verify.defaults import SEEDS_DEFAULT

        first = common.seeds or SEEDS_DEFAULT
        budget = integer("--max-replicas", max_replicas, low=first, high=10**6)
        rows, outcomes = decided_rows(
            specs, lambda s: execute_plan(s, common, description="verify (until decided)", debug=debug),
            confidence=common.confidence, first=first, max_replicas=budget)
        report_counts(outcomes, common)
        reason = plan.refusal(list(ids), problem, outcomes[:len(specs)])
        if reason is not None:
            raise InputError(reason)
        summarise_outcomes([o for o in outcomes if o.result is None or o.failure], common)
    else:
        outcomes = execute_plan(specs, common, description="verify", debug=debug)
        report_counts(outcomes, common)
        reason = plan.refusal(list(ids), problem, outcomes)
        if reason is not None:
            raise InputError(reason)
        rows = summarise_outcomes(outcomes, common)
    code = emit(rows, common, command=command_line(ctx), title="boundcheck verify: bound vs empirical",
                failures=sum(1 for o in outcomes if o.failure),
                provenance_extra={"allow_assumption_violation": True} if allow_violation else None)
    ctx.exit(code)


def register(cli: click.Group) -> None:
    """Add ``verify`` to the ``boundcheck`` group."""
    cli.add_command(verify_command)
