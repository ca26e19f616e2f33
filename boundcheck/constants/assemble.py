"""All constants of one problem, as the theorems consume them (Liu et al. 2025, Sec. 3-5).

:func:`constants_from_matrix`, :func:`constants_from_data` and :func:`problem_constants`
build a :class:`ProblemConstants`; its :meth:`~ProblemConstants.as_dict` is the JSON of
``boundcheck constants`` (fields exactly as issue 4 names them; ``None`` where a field
does not apply) and :meth:`~ProblemConstants.theory_constants` maps the theory layer's
symbol names to floats for ``Theorem.evaluate``.

Conventions
-----------
- ``H`` is the smoothness matrix the vector L is fitted to (``Hess f <= H`` on W); for
  the finite sums of Example B.1 ``H = G2 X^T X / n + l2 I`` (:mod:`.glm`), so ``trace_H``,
  ``lambda_max_H`` and the comparators refer to it (the paper's ``H`` is ``X^T X / n``).
- ``L``: the certified optimal diagonal (:mod:`.diagonal`); ``L_diag_dominance_norm1 =
  2 tr(H)``, ``L_rowsum_norm1 = sum_jk |H_jk|`` (:mod:`.comparators`); ``H_norm11 = ||H||_{1,1}``
  is the same number under its own name (Xie et al.'s (1,1)-norm), with its own provenance: also
  given, exact or as a certified bound, where the comparators are not (a structured H that is not
  entrywise non-negative; a problem that only states L).
- ``sigma``: exact when the problem states it; for finite sums the certified bound over
  W (:mod:`.noise`); None when no finite bound exists (squared loss on unbounded W).
- ``Delta = f(w_0) - f*`` with ``w_0 = 0`` unless given (the problem's ``w0`` attribute
  when it has one).
- ``R1 = C_var = D_inf ||sigma||_1 / (D_2 ||sigma||_2)`` and ``R2 = C_bias = ||L||_1
  D_inf^2 / (||L||_inf D_2^2)`` (Appendix B), from these constants; None if a factor is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from boundcheck.constants import glm
from boundcheck.constants.diagonal import DiagonalResult, check_psd_matrix
from boundcheck.constants.provider import Assembly

#: The JSON fields of ``boundcheck constants`` (issue 4), in order.
FIELDS = (
    "d", "n", "L", "L_norm1", "L_norminf", "L_diag_dominance_norm1", "L_rowsum_norm1",
    "trace_H", "lambda_max_H", "H_norm11", "sigma", "sigma_norm1", "sigma_norm2", "D_inf", "D_2",
    "Delta", "f_star", "R1", "R2", "certificate",
)


def _f(x):
    return None if x is None else float(x)


def _vec(x):
    return None if x is None else [float(v) for v in np.asarray(x).ravel()]


@dataclass
class ProblemConstants:
    """The constants of one problem (see the module docstring for conventions).

    Beyond the JSON fields: ``sigma_star`` (finite sums: the exact per-coordinate noise
    standard deviation at the minimizer, Assumption E.3's sigma_*), ``R1_closed``/``R2_closed`` (Example B.1's closed forms for
    exponential-tail problems, :mod:`boundcheck.theory.examples`), ``diagonal`` (the full
    :class:`DiagonalResult`),
    ``diag_dominance_feasible``, ``sigma_kind`` ("exact" | "certified bound" | None),
    ``L0``/``L1`` (nonconvex), ``generalized`` (estimate with Figure-1 scatter), ``notes``.
    """

    d: int
    n: int | None = None
    diagonal: DiagonalResult | None = None
    L: np.ndarray | None = None
    L_diag_dominance_norm1: float | None = None
    L_rowsum_norm1: float | None = None
    trace_H: float | None = None
    lambda_max_H: float | None = None
    H_norm11: float | None = None
    sigma: np.ndarray | None = None
    D_inf: float | None = None
    D_2: float | None = None
    Delta: float | None = None
    f_star: float | None = None
    diag_dominance_feasible: bool | None = None
    sigma_kind: str | None = None
    nonconvex: bool = False
    L0: np.ndarray | None = None
    L1: np.ndarray | None = None
    generalized: Any = None
    R1_closed: float | None = None
    R2_closed: float | None = None
    sigma_star: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    # -- derived --------------------------------------------------------------------
    @property
    def L_norm1(self):
        return None if self.L is None else float(np.sum(self.L))

    @property
    def L_norminf(self):
        return None if self.L is None else float(np.max(self.L))

    @property
    def sigma_norm1(self):
        return None if self.sigma is None else float(np.sum(np.abs(self.sigma)))

    @property
    def sigma_norm2(self):
        return None if self.sigma is None else float(np.linalg.norm(self.sigma))

    def _named(self) -> dict[str, float]:
        names = ("D_inf", "D_2", "sigma_norm1", "sigma_norm2", "L_norm1", "L_norminf")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    @property
    def R1(self):
        from boundcheck.theory.examples import ratios

        return ratios(self._named()).get("R1")

    @property
    def R2(self):
        from boundcheck.theory.examples import ratios

        return ratios(self._named()).get("R2")

    @property
    def L0_norm1(self):
        return None if self.L0 is None else float(np.sum(self.L0))

    @property
    def L1_norminf(self):
        return None if self.L1 is None else float(np.max(self.L1))

    # -- output ---------------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        """The JSON object of ``boundcheck constants`` (exactly :data:`FIELDS`)."""
        return {
            "d": int(self.d),
            "n": None if self.n is None else int(self.n),
            "L": _vec(self.L),
            "L_norm1": _f(self.L_norm1),
            "L_norminf": _f(self.L_norminf),
            "L_diag_dominance_norm1": _f(self.L_diag_dominance_norm1),
            "L_rowsum_norm1": _f(self.L_rowsum_norm1),
            "trace_H": _f(self.trace_H),
            "lambda_max_H": _f(self.lambda_max_H),
            "H_norm11": _f(self.H_norm11),
            "sigma": _vec(self.sigma),
            "sigma_norm1": _f(self.sigma_norm1),
            "sigma_norm2": _f(self.sigma_norm2),
            "D_inf": _f(self.D_inf),
            "D_2": _f(self.D_2),
            "Delta": _f(self.Delta),
            "f_star": _f(self.f_star),
            "R1": _f(self.R1),
            "R2": _f(self.R2),
            "certificate": None if self.diagonal is None else self.diagonal.certificate(),
        }

    def theory_constants(self) -> dict[str, float]:
        """Theory-layer symbol names -> floats (only the ones known), for
        ``Theorem.evaluate``: ``d, L_norm1, L_norminf, sigma_norm1, sigma_norm2, D_inf,
        D_2, Delta`` and, for nonconvex problems, ``L0_norm1, L1_norminf``."""
        names = ["L_norm1", "L_norminf", "sigma_norm1", "sigma_norm2", "D_inf", "D_2", "Delta"]
        if self.nonconvex:
            names += ["L0_norm1", "L1_norminf"]
        out = {"d": float(self.d)}
        for name in names:
            v = getattr(self, name)
            if v is not None:
                out[name] = float(v)
        return out


# --------------------------------------------------------------------------------------
#: The constants :func:`from_assembly` asks for, in order (its progress reports the stage).
_STAGES = ("L", "H_structure", "H", "diagonal", "L_diag_dominance_norm1", "L_rowsum_norm1", "trace_H",
           "lambda_max_H", "diag_dominance_feasible", "D_inf", "D_2", "sigma", "f_star", "Delta", "sigma_star",
           "R1_closed", "R2_closed", "L0", "L1", "generalized")


class _Staged:
    """The assembly seen through a progress line: each constant asked for is a stage
    (``constants (d=3000): f_star (13/20), 40 s elapsed, ETA ~25 s``; the ETA extrapolates the
    stages done, so it is a rough estimate: stages differ in cost)."""

    def __init__(self, a: Assembly, progress):
        from boundcheck.constants.progress import Progress

        self.a = a
        self.prog = Progress(f"constants (d={a.problem.d})", progress)
        self.status = ("starting", 0.0)
        self.stage = ""
        a.on_compute = self._computing  # which provider is at work inside a stage
        self.stop = self.prog.heartbeat(lambda: self.status)  # a long stage still says it is alive

    def _stage(self, name: str) -> None:
        k = _STAGES.index(name) if name in _STAGES else 0
        self.stage = f"{name} ({k + 1}/{len(_STAGES)})"
        self.status = (self.stage, k / len(_STAGES))
        self.prog.update(*self.status)

    def _computing(self, name: str, provider: str) -> None:
        self.status = (f"{self.stage}: {name} by provider {provider}", self.status[1])

    def close(self) -> None:
        self.stop()
        self.a.on_compute = None
        self.prog.close()

    def get(self, name: str):
        self._stage(name)
        return self.a.get(name)

    def value(self, name: str, default: Any = None):
        self._stage(name)
        return self.a.value(name, default)


def from_assembly(a: Assembly, progress: bool | None = None) -> ProblemConstants:
    """The :class:`ProblemConstants` of ``boundcheck constants`` from an :class:`Assembly`
    (every field resolved by its provider; ``None`` where none applies). ``progress``: a
    progress line with an ETA on stderr (None: when stderr is a terminal and the work takes
    over 2 s; :mod:`boundcheck.constants.progress`)."""
    assembly, a = a, _Staged(a, progress)
    try:
        return _from_assembly(assembly, a)
    finally:
        a.close()


def _from_assembly(assembly: Assembly, a: "_Staged") -> ProblemConstants:
    problem = assembly.problem
    pc = ProblemConstants(d=int(problem.d), n=problem.n, nonconvex=not bool(problem.convex))
    L = a.get("L")
    if L is not None:
        pc.L = np.asarray(L.value, float)
    # issue 17 hook: the certified diagonal of H or of its structure (checked first: a problem
    # with a structure never forms the dense H here)
    has_H = a.get("H_structure") is not None or a.get("H") is not None
    diag = a.get("diagonal") if L is not None and has_H else None
    if diag is not None:
        pc.diagonal = diag.value
        for name in ("L_diag_dominance_norm1", "L_rowsum_norm1", "trace_H", "lambda_max_H",
                     "diag_dominance_feasible"):
            setattr(pc, name, a.value(name))
    pc.H_norm11 = a.value("H_norm11")
    pc.D_inf, pc.D_2 = a.value("D_inf"), a.value("D_2")
    sigma = a.get("sigma")
    if sigma is not None:
        pc.sigma = np.asarray(sigma.value, float)
        pc.sigma_kind = "certified bound" if sigma.kind == "certified" else sigma.kind
    pc.f_star = a.value("f_star")
    if pc.f_star is not None:
        pc.Delta = a.value("Delta")
    star = a.get("sigma_star")
    if star is not None:
        pc.sigma_star = np.asarray(star.value, float)
    pc.R1_closed, pc.R2_closed = a.value("R1_closed"), a.value("R2_closed")
    if pc.nonconvex:
        L0 = a.get("L0")
        if L0 is not None:
            pc.L0, pc.L1 = np.asarray(L0.value, float), np.asarray(a.value("L1"), float)
            gen = a.get("generalized")
            pc.generalized = None if gen is None else gen.value
    pc.notes.extend(assembly.notes)
    return pc


def constants_from_matrix(H, solver: str = "auto", **solver_kw) -> ProblemConstants:
    """Constants of a bare smoothness matrix (L, comparators, certificate)."""
    from boundcheck.problems.base import Problem

    H = check_psd_matrix(H)

    class _Matrix(Problem):
        name = "matrix"
        d = H.shape[0]
        f_star = None

        def smoothness_matrix(self):
            return H

    a = Assembly(_Matrix(), solver=solver, solver_options=solver_kw)
    pc = from_assembly(a)
    pc.f_star = pc.Delta = None
    pc.notes.append("matrix input: sigma, D, Delta, f* do not apply")
    return pc


def constants_from_data(X, y, loss: str, l2: float = 0.0, domain=None, w0=None,
                        solver: str = "auto", **solver_kw) -> ProblemConstants:
    """Constants of the finite sum ``(1/n) sum phi(x_i^T w; y_i) + l2 ||w||^2 / 2`` (the same
    assembly as every problem: a :class:`~boundcheck.problems.finite_sum.FiniteSumProblem`)."""
    from boundcheck.problems.finite_sum import FiniteSumProblem

    X, y, loss, l2 = glm.check_data(X, y, loss, l2)
    problem = FiniteSumProblem(X, y, loss, l2=l2, domain=domain, name="data")
    return problem_constants(problem, solver=solver, w0=w0, **solver_kw)


def problem_constants(problem, solver: str = "auto", w0=None, estimate_generalized=True,
                      progress: bool | None = None, **solver_kw) -> ProblemConstants:
    """Constants of a :class:`boundcheck.problems.base.Problem`, each from its provider
    (:mod:`boundcheck.constants.provider`): exact values the problem states win where they
    are exact (``sigma`` of an oracle, ``L0``/``L1``, ``D``, ``f*``); for finite sums the
    problem's sigma and ours are both certified upper bounds and the smaller is kept, and f*
    is recomputed over W when the minimiser lies outside W. L is the certified optimal
    diagonal of ``smoothness_matrix()`` (the problem's own ``L`` is used, without certificate,
    only when it has no smoothness matrix, e.g. d too large for a dense one). ``progress``: the
    stages on stderr with an ETA (None: on a terminal, after 2 s; True always; False never)."""
    a = Assembly(problem, w0=w0, solver=solver, solver_options=solver_kw,
                 estimate_generalized=estimate_generalized)
    return from_assembly(a, progress=progress)


__all__ = ["FIELDS", "ProblemConstants", "constants_from_data", "constants_from_matrix",
           "problem_constants", "from_assembly"]
