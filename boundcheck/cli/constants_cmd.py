"""``boundcheck constants``: the problem constants with certificates (issue 4).

::

    boundcheck constants (--problem NAME [-p KEY=VALUE ...] [--d D]
                          | --data FILE [--loss logistic|squared] [--l2 X] [--d D] [--box R]
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

from boundcheck.validation import InputError, choice, positive

from boundcheck.problems.choice import DEFAULT_L2

from .problem_options import ProblemCommand, problem_from_options, problem_options

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


def _data_problem(chosen, box: str):
    """The finite-sum problem of ``--data`` (the problems layer's reader and conventions:
    :func:`boundcheck.problems.load_data`), on the requested box."""
    from boundcheck.problems.finite_sum import FiniteSumProblem

    problem = chosen.build()
    if box == "auto":
        return problem
    domain = None
    if box != "none":
        from boundcheck.constants.geometry import cube

        domain = cube(problem.d, positive("box", box))
    l2 = DEFAULT_L2 if chosen.l2 is None else chosen.l2
    return FiniteSumProblem(problem.features(), problem.labels(), chosen.loss, l2=l2, domain=domain,
                            name=problem.name, params=problem.describe())


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
    """The constants as a field/value table at the width of standard output (values wrap
    at spaces; numbers stay whole), then the notes."""
    from boundcheck.report import layout
    from boundcheck.report.layout import Column, Grid

    data = pc.as_dict()
    rows = []
    for key, value in data.items():
        if key == "certificate":
            continue
        rows.append([key, _fmt_vec(value) if isinstance(value, list) else _fmt(value)])
    cert = data["certificate"]
    if cert is not None:
        status = pc.diagonal.status
        rows.append(["certificate", f"{status}: primal {cert['primal']:.10g}, dual "
                     f"{cert['dual']:.10g}, rel_gap {cert['rel_gap']:.3g}, lambda_min "
                     f"{cert['lambda_min']:.3g}, {cert['solver']}, {cert['seconds']:.3g} s"])
    if pc.sigma_star is not None:
        rows.append(["sigma_star_norm1 (exact, at w*)", _fmt(float(np.sum(pc.sigma_star)))])
    if pc.nonconvex and pc.L0 is not None:
        how = "estimated" if pc.generalized is not None else "from the problem"
        rows.append(["L0_norm1, L1_norminf", f"{pc.L0_norm1:.6g}, {pc.L1_norminf:.6g} ({how})"])
    if pc.R1_closed is not None:
        rows.append(["R1, R2 (Example B.1 closed form)", f"{pc.R1_closed:.6g}, {pc.R2_closed:.6g}"])
    if pc.diag_dominance_feasible is not None:
        rows.append(["2 diag(H) feasible", str(pc.diag_dominance_feasible)])
    if pc.sigma_kind:
        rows.append(["sigma kind", pc.sigma_kind])
    grid = Grid([Column("field", key=True), Column("value", wrap=True)], rows, title="problem constants",
                after=[f"note: {note}" for note in pc.notes])
    layout.show(grid)


@click.command("constants", cls=ProblemCommand)
@problem_options
@click.option("--box", default=None, metavar="auto|none|R",
              help="W for --data: auto (a box around the minimizer, the default), none, or [-R, R]^d.")
@click.option("--matrix", "matrix", metavar="FILE.npy", help="A PSD smoothness matrix H.")
@click.option("--solver", default="auto", show_default=True,
              help="auto (CVXPY for d <= 40, fast above) | cvxpy | fast.")
@click.option("--cvxpy-solver", default="CLARABEL", show_default=True, help="CLARABEL | SCS.")
@click.option("--tol", default="1e-7", show_default=True, help="Relative-gap target for 'optimal'.")
@click.option("--format", "fmt", default="table", show_default=True, help="table | json.")
def constants_command(box, matrix, solver, cvxpy_solver, tol, fmt, **problem_opts):
    """Smoothness vector L (certified optimal diagonal), comparators, sigma, D, Delta, f*."""
    from boundcheck.constants import assemble
    from boundcheck.constants.diagonal import CVXPY_SOLVERS, SOLVERS

    fmt = choice("format", fmt, ("table", "json"))
    solver = choice("solver", solver, SOLVERS)
    cvxpy_solver = choice("cvxpy-solver", str(cvxpy_solver).upper(), CVXPY_SOLVERS)
    tol = positive("tol", tol)
    kw = {"solver": solver, "cvxpy_solver": cvxpy_solver, "tol": tol}
    if matrix:
        from .problem_options import PROBLEM_ARGS

        given = [k for k in PROBLEM_ARGS if problem_opts.get(k) not in (None, ())]
        if given:
            raise InputError("--matrix gives H itself; allowed: exactly one of --problem, --data, --matrix "
                             "(problem options do not apply to --matrix)")
        if box is not None:
            raise InputError("--box applies to --data only")
        pc = assemble.constants_from_matrix(_read_matrix(matrix), **kw)
    else:
        chosen = problem_from_options(**problem_opts, required=True)
        if box is not None and not chosen.is_data:
            raise InputError("--box applies to --data only (a registered problem has its own W)")
        problem = _data_problem(chosen, "auto" if box is None else str(box)) if chosen.is_data else chosen.build()
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
