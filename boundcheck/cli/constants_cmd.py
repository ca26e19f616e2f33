"""``boundcheck constants``: the problem constants with certificates (issue 4).

::

    boundcheck constants (--problem NAME [-p KEY=VALUE ...]
                          | --data FILE --loss logistic|squared [--l2 X] [--box R]
                          | --matrix FILE.npy)
                         [--solver auto|cvxpy|fast] [--format table|json]

``--solver auto`` uses the CVXPY reference (Clarabel) for ``d <= 40`` and the fast
certified solver above (:data:`boundcheck.constants.diagonal.AUTO_CVXPY_MAX_D`).
``--data`` takes a libsvm file or ``sklearn:breast_cancer|digits|wine`` (read by
:func:`boundcheck.problems.load_data`); ``--box auto`` (default) is the problems
layer's box around the minimizer, ``--box R`` sets ``W = [-R, R]^d``, ``--box none`` no
domain (then D_inf, D_2 and the squared loss's sigma are null).
"""

from __future__ import annotations

import json
import math

import click
import numpy as np

from boundcheck.validation import InputError, choice, nonnegative, positive

def _read_matrix(path: str) -> np.ndarray:
    try:
        A = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as err:
        raise InputError(f"cannot read matrix file {path!r}: {err}") from None
    if not isinstance(A, np.ndarray):
        raise InputError(f"matrix file {path!r} holds several arrays (.npz); give one .npy array")
    if A.dtype.kind not in "biuf":
        raise InputError(f"matrix file {path!r} is not numeric (dtype {A.dtype})")
    return A


def _data_problem(source: str, loss: str, l2: float, box: str):
    """The finite-sum problem of ``--data`` (the problems layer's reader and conventions:
    :func:`boundcheck.problems.load_data`), on the requested box."""
    from boundcheck.problems.finite_sum import FiniteSumProblem
    from boundcheck.problems import load_data

    problem = load_data(source, loss, l2)
    if box == "auto":
        return problem
    domain = None
    if box != "none":
        from boundcheck.constants.geometry import cube

        domain = cube(problem.d, positive("box", box))
    return FiniteSumProblem(problem.features(), problem.labels(), loss, l2=l2, domain=domain,
                            name=problem.name, params=problem.describe())


def _parse_params(items) -> dict:
    out = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"problem parameter {item!r} is not KEY=VALUE")
        k, v = item.split("=", 1)
        out[k.strip().replace("-", "_")] = v.strip()
    return out


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def _fmt_vec(v) -> str:
    if v is None:
        return "-"
    head = ", ".join(f"{x:.4g}" for x in v[:4])
    return f"[{head}{', ...' if len(v) > 4 else ''}] (d={len(v)})"


def _print_table(pc) -> None:
    from rich.console import Console
    from rich.table import Table

    data = pc.as_dict()
    table = Table(title="problem constants", show_header=True)
    table.add_column("field")
    table.add_column("value")
    for key, value in data.items():
        if key == "certificate":
            continue
        table.add_row(key, _fmt_vec(value) if isinstance(value, list) else _fmt(value))
    cert = data["certificate"]
    if cert is not None:
        status = pc.diagonal.status
        table.add_row("certificate", f"{status}: primal {cert['primal']:.10g}, dual "
                      f"{cert['dual']:.10g}, rel_gap {cert['rel_gap']:.3g}, lambda_min "
                      f"{cert['lambda_min']:.3g}, {cert['solver']}, {cert['seconds']:.3g} s")
    if pc.sigma_star is not None:
        table.add_row("sigma_star_norm1 (exact, at w*)", _fmt(float(np.sum(pc.sigma_star))))
    if pc.nonconvex and pc.L0 is not None:
        how = "estimated" if pc.generalized is not None else "from the problem"
        table.add_row("L0_norm1, L1_norminf", f"{pc.L0_norm1:.6g}, {pc.L1_norminf:.6g} ({how})")
    if pc.R1_closed is not None:
        table.add_row("R1, R2 (Example B.1 closed form)", f"{pc.R1_closed:.6g}, {pc.R2_closed:.6g}")
    if pc.diag_dominance_feasible is not None:
        table.add_row("2 diag(H) feasible", str(pc.diag_dominance_feasible))
    if pc.sigma_kind:
        table.add_row("sigma kind", pc.sigma_kind)
    console = Console(width=120)
    console.print(table)
    for note in pc.notes:
        console.print(f"note: {note}")


@click.command("constants")
@click.option("--problem", "problem_name", metavar="NAME", help="A registered problem.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Problem parameter (repeatable), e.g. -p d=100 -p tau=0.1.")
@click.option("--data", "data", metavar="FILE", help="libsvm file or sklearn:breast_cancer|digits|wine.")
@click.option("--loss", type=str, default=None, help="logistic | squared (with --data).")
@click.option("--l2", default="0", show_default=True, help="Ridge coefficient (with --data).")
@click.option("--box", default=None, metavar="auto|none|R",
              help="W for --data: auto (a box around the minimizer, the default), none, or [-R, R]^d.")
@click.option("--matrix", "matrix", metavar="FILE.npy", help="A PSD smoothness matrix H.")
@click.option("--solver", default="auto", show_default=True,
              help="auto (CVXPY for d <= 40, fast above) | cvxpy | fast.")
@click.option("--cvxpy-solver", default="CLARABEL", show_default=True, help="CLARABEL | SCS.")
@click.option("--tol", default="1e-7", show_default=True, help="Relative-gap target for 'optimal'.")
@click.option("--format", "fmt", default="table", show_default=True, help="table | json.")
def constants_command(problem_name, params, data, loss, l2, box, matrix, solver, cvxpy_solver,
                      tol, fmt):
    """Smoothness vector L (certified optimal diagonal), comparators, sigma, D, Delta, f*."""
    from boundcheck.constants import assemble
    from boundcheck.constants.diagonal import CVXPY_SOLVERS, SOLVERS

    fmt = choice("format", fmt, ("table", "json"))
    solver = choice("solver", solver, SOLVERS)
    cvxpy_solver = choice("cvxpy-solver", str(cvxpy_solver).upper(), CVXPY_SOLVERS)
    tol = positive("tol", tol)
    given = [name for name, v in (("--problem", problem_name), ("--data", data),
                                  ("--matrix", matrix)) if v]
    if len(given) != 1:
        raise InputError("give exactly one of --problem, --data, --matrix"
                         + (f" (got {', '.join(given)})" if given else ""))
    if params and not problem_name:
        raise InputError("-p/--param needs --problem")
    if (loss is not None or box is not None) and not data:
        raise InputError("--loss and --box need --data")
    kw = {"solver": solver, "cvxpy_solver": cvxpy_solver, "tol": tol}
    if matrix:
        pc = assemble.constants_from_matrix(_read_matrix(matrix), **kw)
    elif data:
        if loss is None:
            raise InputError("--data needs --loss logistic|squared")
        loss = choice("loss", loss, ("logistic", "squared"))
        l2 = nonnegative("l2", l2)
        problem = _data_problem(data, loss, l2, "auto" if box is None else str(box))
        pc = assemble.problem_constants(problem, **kw)
    else:
        from boundcheck.problems import make_problem

        problem = make_problem(problem_name, **_parse_params(params))
        pc = assemble.problem_constants(problem, **kw)
    if fmt == "json":
        click.echo(json.dumps(_finite(pc.as_dict()), allow_nan=False))
    else:
        _print_table(pc)


def _finite(x):
    """JSON has no inf/nan: non-finite numbers become null."""
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_finite(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``boundcheck`` group."""
    cli.add_command(constants_command)
