"""``boundcheck run``: one algorithm on one problem over R seeded replicas (issue 3).

::

    boundcheck run --algorithm adagrad|sgd|adagrad-norm|... [-H KEY=VALUE ...] [--option I|II]
                   (--problem NAME [-p KEY=VALUE ...] [--d D]
                    | --data FILE|sklearn:NAME [--loss logistic|squared] [--l2 X] [--d D])
                   --T N --M M|full --eta X --schedule constant|sqrt-decay|theorem
                   [--theorem ID] --eps X --seeds R --seed S --init zeros|uniform:A
                   [--format table|json] [--dtype float64|float32] [--backend numpy|cupy]
                   [--metrics a,b,...] [--checkpoints 10,100,...]

JSON output: ``{"config", "problem", "f_star", "checkpoints", "replicas", "metrics":
{name: [[value per replica] per checkpoint]}, "summary": {name: {mean, std, sem, min, max,
n, n_diverged[, float32_warning]}} at T (float32_warning with --dtype float32: see
boundcheck.engine.precision), "diverged", "diverged_at", "final_iterate", "average_iterate",
"wall_time_s"}`` (one list per replica for the iterates; NaN is written as null).
"""

from __future__ import annotations

import json
import math
from typing import Any

import click
import numpy as np

from boundcheck.manifest import DEFAULT_ALGORITHM
from boundcheck.validation import InputError, choice, int_list, integer

from .completion import names_of
from .problem_options import ProblemCommand, problem_from_options, problem_options

from .options import assumption_options

SCHEDULE_CHOICES = ("constant", "sqrt-decay", "theorem")


def _theorem_schedule(theorem_id: str | None, problem, init_points: np.ndarray, T: int,
                      M: int, eps: float, eta: float, hyperparameters: dict | None = None,
                      allow_violation: bool = False):
    """The theorem's step-size rule as a callable t -> eta_t, with the problem's constants from
    the constants layer (the same assembly verify uses). Delta = f(w_0) - f* at the replica
    with the largest f(w_0), so every replica follows the same rule. Constants that depend on
    the algorithm's configuration (Subset-Norm's blocks) follow the run's ``hyperparameters``.
    The theorem's assumptions are checked on the problem first: a violated one refuses the run
    unless ``allow_violation`` (then the violations are returned for the output to mark)."""
    from boundcheck.constants.provider import Assembly
    from boundcheck.theory.theorem import get
    from boundcheck.verify.instances import check_assumptions, theorem_constants

    if theorem_id is None:
        raise InputError("--schedule theorem needs --theorem ID (e.g. --theorem thm4.1)")
    thm = get(theorem_id)
    if not thm.checkable or thm.step_size is None:
        raise InputError(f"--theorem {thm.id} has no step-size rule to run"
                         + (f" ({thm.not_checkable})" if thm.not_checkable else ""))
    f0 = np.asarray(problem.loss(init_points))
    assembly = Assembly(problem, w0=init_points[int(np.argmax(f0))])
    checks = check_assumptions(thm, problem, assembly, hyperparameters, allow_violation=allow_violation)
    violated = [f"{c['id']}: {c['reason']}" for c in checks if c["status"] == "violated"]
    consts = dict(theorem_constants(thm, assembly, exclude=set(thm.measured) | set(thm.prepared),
                                    hyperparameters=hyperparameters)[0])
    consts.update({"T": float(T), "M": float(M), "eps": float(eps), "eta": float(eta),
                   "d": float(problem.d)})
    return thm, thm.step_size_function(consts), consts, violated


def _json_num(x):
    x = float(x)
    return x if math.isfinite(x) else None


def _nested(arr):
    """Nested lists of JSON numbers (non-finite -> null) for an array of any rank."""
    a = np.asarray(arr)
    if a.ndim == 0:
        return _json_num(float(a))
    return [_nested(x) for x in a]


def _result_json(res, cfg_echo: dict) -> dict:
    return {
        "config": cfg_echo,
        "problem": {k: (v if not isinstance(v, float) else _json_num(v)) for k, v in res.problem.items()},
        "f_star": _json_num(res.f_star),
        "checkpoints": [int(c) for c in res.checkpoints],
        "replicas": [int(r) for r in res.replicas],
        "metrics": {m: _nested(arr) for m, arr in res.metrics.items()},  # (K, R) or per coordinate (K, R, d)
        "summary": {m: {k: (_json_num(v) if isinstance(v, float) else v) for k, v in s.items()}
                    for m, s in res.summary().items()},  # an overflowing std is null, not a crash
        "diverged": [bool(b) for b in res.diverged],
        "diverged_at": [int(s) for s in res.diverged_at],
        "final_iterate": [[_json_num(v) for v in row] for row in res.final_iterate],
        "average_iterate": [[_json_num(v) for v in row] for row in res.average_iterate],
        "wall_time_s": res.wall_time,
    }


def _table(res, title: str) -> None:
    from boundcheck.report import layout
    from boundcheck.report.layout import Column, Grid

    summ = res.summary()
    fmt = lambda v: "-" if v is None or not math.isfinite(v) else f"{v:.6g}"  # noqa: E731
    rows = [[name, fmt(s["mean"]), fmt(s["sem"]), fmt(s["min"]), fmt(s["max"]), str(s["n"])]
            for name, s in summ.items()]
    after = [f"{res.R} replicas, {int(np.sum(res.diverged))} diverged; checkpoints "
             f"{', '.join(map(str, res.checkpoints))}; {res.wall_time:.2f} s"]
    flagged = [name for name, s in summ.items() if s.get("float32_warning")]
    if flagged:
        after.append(f"float32 warning: rounding (eps_32 x T x magnitude) could exceed the 99% interval of "
                     f"{', '.join(flagged)}; use --dtype float64")
    cols = [Column("metric (at T)", key=True)]
    cols += [Column(h, justify="right") for h in ("mean", "sem", "min", "max", "n")]
    layout.show(Grid(cols, rows, title=title, after=after))


def _int_list(name: str, text: str | None):
    if text is None:
        return None
    return int_list(name, text, low=1)  # an empty entry ("1,,5") is refused, not skipped


@click.command("run", cls=ProblemCommand)
@click.option("--algorithm", default=DEFAULT_ALGORITHM, show_default=True, shell_complete=names_of("algorithm"),
              help="A registered algorithm: adagrad (Alg. 1) | sgd (Alg. 2) | adagrad-norm (Alg. 3) | ... "
                   "(plugins add more).")
@click.option("--hyper", "-H", "hyper", multiple=True, metavar="KEY=VALUE",
              help="Algorithm hyperparameter (repeatable), e.g. -H eps=1e-6.")
@click.option("--option", "option", default="II", show_default=True,
              help="I: projected onto the problem's W | II: unconstrained.")
@problem_options
@click.option("--T", "T", required=True, help="Number of iterations T.")
@click.option("--M", "--batch-size", "batch_size", default="1", show_default=True, metavar="M|full",
              help="Minibatch size M (uniform with replacement) or 'full' (exact gradient); --batch-size is "
                   "the older spelling.")
@click.option("--eta", default="1.0", show_default=True, help="Base step size eta.")
@click.option("--schedule", default="constant", show_default=True,
              help="constant | sqrt-decay (eta/sqrt(t+1)) | theorem (needs --theorem ID).")
@click.option("--theorem", "theorem_id", default=None, shell_complete=names_of("theorem"), help="Theorem id whose step-size rule --schedule theorem uses.")
@click.option("--eps", default="1e-8", show_default=True, help="AdaGrad epsilon: v_{-1} = eps^2.")
@click.option("--seeds", default="8", show_default=True, help="Number of replicas R.")
@click.option("--seed", default="0", show_default=True, help="Master seed S (replica r uses (S, r)).")
@click.option("--init", default="zeros", show_default=True, help="zeros | uniform:A (w_0 ~ U(-A, A)^d).")
@click.option("--dtype", default="float64", show_default=True, help="float64 | float32.")
@click.option("--backend", default="numpy", show_default=True, help="numpy | cupy.")
@click.option("--metrics", default=None, help="Comma-separated metric names (default: the cheap ones).")
@click.option("--checkpoints", default=None, help="Comma-separated checkpoints in [1, T] (default: 1-2-5 log-spaced).")
@click.option("--format", "fmt", default="table", show_default=True, help="table | json.")
@assumption_options
def run_command(algorithm, hyper, option, T, batch_size, eta, schedule, theorem_id, eps, seeds, seed, init,
                dtype, backend, metrics, checkpoints, fmt, allow_violation, **problem_opts):
    """Run an algorithm of Liu, Pan, Zhang (2025) on R seeded replicas and report the
    checkpointed metrics (avg_iterate_gap = f(w_bar_t) - f*, ...; see boundcheck.engine.metrics)."""
    from boundcheck.engine import RunConfig, run
    from boundcheck.engine.runner import initial_points

    from boundcheck import registry
    from boundcheck.params import parse_assignments

    registry.get("algorithm", algorithm)
    hyperparameters = parse_assignments(hyper, "--hyper")  # validated with the config (-H eps= wins over --eps)
    choice("option", option, ("I", "II"))
    choice("schedule", schedule, SCHEDULE_CHOICES)
    choice("format", fmt, ("table", "json"))
    choice("backend", backend, ("numpy", "cupy"))
    if theorem_id is not None and schedule != "theorem":
        raise InputError("--theorem is used only with --schedule theorem")
    T_ = integer("T", T, low=1)
    try:
        M = None if batch_size == "full" else integer("batch-size", batch_size, low=1)
    except InputError:
        raise InputError(f"--M/--batch-size={batch_size!r}: allowed a positive integer or 'full'") from None
    metric_list = None
    if metrics is not None:
        metric_list = [m.strip() for m in metrics.split(",") if m.strip()]
        for m in metric_list:
            registry.get("metric", m)
    if theorem_id is not None:  # refused before any constant is computed
        from boundcheck.theory.theorem import get

        thm = get(theorem_id)
        if thm.algorithm != algorithm:
            raise InputError(f"--theorem {thm.id} is about {thm.algorithm!r}, not {algorithm!r}; "
                             f"allowed: --algorithm {thm.algorithm} (its step-size rule is for that method)")
    prob = problem_from_options(**problem_opts, required=True).build()
    cfg = RunConfig(algorithm=algorithm, option=option, T=T_, batch_size=M, eta=eta,
                    schedule=schedule if schedule != "theorem" else "constant", eps=eps,
                    seeds=seeds, seed=seed, init=init, dtype=dtype, backend=backend,
                    checkpoints=_int_list("checkpoint", checkpoints), metrics=metric_list,
                    hyperparameters=hyperparameters).validated()
    echo: dict[str, Any] = {
        "algorithm": algorithm, "hyperparameters": dict(cfg.hyperparameters), "option": option, "problem": prob.name, "T": cfg.T,
        "batch_size": "full" if M is None else M, "eta": cfg.eta, "schedule": schedule,
        "eps": cfg.eps, "seeds": cfg.seeds, "seed": cfg.seed, "init": init, "dtype": dtype,
        "backend": backend,
    }
    if schedule == "theorem":
        w0 = initial_points(prob, cfg, range(cfg.seeds))
        M_eff = prob.n if (M is None and prob.n is not None) else (M or 1)
        thm, rule, consts, violated = _theorem_schedule(theorem_id, prob, w0, cfg.T, M_eff, cfg.eps, cfg.eta,
                                                        dict(cfg.hyperparameters),  # same algorithm: checked at the door
                                                        allow_violation=allow_violation)
        etas = np.array([rule(t) for t in range(cfg.T)], dtype=np.float64)
        cfg = RunConfig(**{**cfg.__dict__, "schedule": etas})
        echo["theorem"] = thm.id
        echo["theorem_constants"] = {k: _json_num(v) for k, v in consts.items()}
        echo["eta_0"] = float(etas[0])
        echo["eta_T-1"] = float(etas[-1])
        if violated:
            echo["assumption_violation"] = violated
    res = run(prob, cfg)
    if fmt == "json":
        click.echo(json.dumps(_result_json(res, echo), allow_nan=False))
    else:
        title = f"{algorithm} option {option} on {prob.name} (d={prob.d}, T={cfg.T}, M={echo['batch_size']})"
        if echo.get("assumption_violation"):
            title += " ! assumption violated on purpose: " + "; ".join(echo["assumption_violation"])
        _table(res, title)


def register(cli: click.Group) -> None:
    """Add ``boundcheck run`` to the ``boundcheck`` group."""
    cli.add_command(run_command)
