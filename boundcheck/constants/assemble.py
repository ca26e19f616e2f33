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
  2 tr(H)``, ``L_rowsum_norm1 = sum_jk |H_jk|`` (:mod:`.comparators`).
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

from boundcheck.constants import comparators, geometry, glm, noise, optimum
from boundcheck.constants.diagonal import DiagonalResult, check_psd_matrix, optimal_diagonal

#: The JSON fields of ``boundcheck constants`` (issue 4), in order.
FIELDS = (
    "d", "n", "L", "L_norm1", "L_norminf", "L_diag_dominance_norm1", "L_rowsum_norm1",
    "trace_H", "lambda_max_H", "sigma", "sigma_norm1", "sigma_norm2", "D_inf", "D_2",
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

    @property
    def R1(self):
        if self.D_inf is None or self.D_2 is None or self.sigma is None or not self.sigma_norm2 or not self.D_2:
            return None
        return self.D_inf * self.sigma_norm1 / (self.D_2 * self.sigma_norm2)

    @property
    def R2(self):
        if self.D_inf is None or self.D_2 is None or self.L is None or not self.L_norminf or not self.D_2:
            return None
        return self.L_norm1 * self.D_inf ** 2 / (self.L_norminf * self.D_2 ** 2)

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
def _fill_matrix(pc: ProblemConstants, H: np.ndarray, solver: str, **solver_kw) -> None:
    res = optimal_diagonal(H, solver=solver, **solver_kw)
    pc.diagonal = res
    pc.L = res.L
    dd = comparators.diagonal_dominance(H)
    pc.L_diag_dominance_norm1 = float(np.sum(dd))
    pc.diag_dominance_feasible = comparators.is_feasible(H, dd)
    if not pc.diag_dominance_feasible:
        pc.notes.append("2 diag(H) is not feasible here (H is not diagonally dominant)")
    pc.L_rowsum_norm1 = float(np.sum(comparators.rowsum(H)))
    pc.trace_H = comparators.trace(H)
    pc.lambda_max_H = comparators.lambda_max(H)
    if res.status != "optimal":
        pc.notes.append(f"L is feasible but not certified optimal (rel_gap {res.rel_gap:.3g})")


# ---- issue 17 hook (structured H): begin -------------------------------------------------
def _fill_structure(pc: ProblemConstants, A, solver: str, **solver_kw) -> None:
    """Like :func:`_fill_matrix` for ``H = D + U S U^T`` given by structure
    (:class:`boundcheck.constants.structured.DiagonalPlusLowRank`), never forming H."""
    res = optimal_diagonal(A, solver=solver, **solver_kw)
    pc.diagonal = res
    pc.L = res.L
    dd = 2.0 * A.diagonal()
    pc.L_diag_dominance_norm1 = float(np.sum(dd))
    lam, _ = A.lowest_eig(dd)
    pc.diag_dominance_feasible = lam >= -64 * A.d * np.finfo(float).eps * float(np.max(dd))
    if not pc.diag_dominance_feasible:
        pc.notes.append("2 diag(H) is not feasible here (H is not diagonally dominant)")
    pc.L_rowsum_norm1 = A.abs_sum()
    if pc.L_rowsum_norm1 is None:
        pc.notes.append("L_rowsum_norm1 not computed (H given by structure with mixed-sign U)")
    pc.trace_H = A.trace()
    pc.lambda_max_H = A.lambda_max()
    if res.status != "optimal":
        pc.notes.append(f"L is feasible but not certified optimal (rel_gap {res.rel_gap:.3g})")
# ---- issue 17 hook (structured H): end ---------------------------------------------------


def constants_from_matrix(H, solver: str = "auto", **solver_kw) -> ProblemConstants:
    """Constants of a bare smoothness matrix (L, comparators, certificate)."""
    H = check_psd_matrix(H)
    pc = ProblemConstants(d=H.shape[0])
    _fill_matrix(pc, H, solver, **solver_kw)
    pc.notes.append("matrix input: sigma, D, Delta, f* do not apply")
    return pc


def constants_from_data(X, y, loss: str, l2: float = 0.0, domain=None, w0=None,
                        solver: str = "auto", **solver_kw) -> ProblemConstants:
    """Constants of the finite sum ``(1/n) sum phi(x_i^T w; y_i) + l2 ||w||^2 / 2``."""
    X, y, loss, l2 = glm.check_data(X, y, loss, l2)
    n, d = X.shape
    pc = ProblemConstants(d=d, n=n)
    _fill_matrix(pc, glm.smoothness_matrix(X, loss, l2), solver, **solver_kw)
    pc.D_inf, pc.D_2 = geometry.diameters(domain)
    pc.sigma = noise.sigma_bound(X, y, loss, domain)
    pc.sigma_kind = None if pc.sigma is None else "certified bound"
    if pc.sigma is None:
        pc.notes.append("squared loss on an unbounded domain: no finite sigma bound (give a box)")
    f_star, w_star, info = optimum.minimize(X, y, loss, l2, domain)
    pc.f_star = f_star
    if not info.get("constrained"):
        pc.sigma_star = noise.sigma_at(w_star, X, y, loss)
    w0 = np.zeros(d) if w0 is None else np.asarray(w0, float)
    pc.Delta = optimum.delta(glm.value(w0, X, y, loss, l2), f_star)
    if info.get("constrained"):
        pc.notes.append("the unconstrained minimizer lies outside W: f* is the minimum over W")
    return pc


def problem_constants(problem, solver: str = "auto", w0=None, estimate_generalized=True,
                      **solver_kw) -> ProblemConstants:
    """Constants of a :class:`boundcheck.problems.base.Problem`.

    Exact values the problem states (``exact_constants()``: ``sigma``, ``L0``, ``L1``,
    ``D_inf``, ``D_2``, ``f_star``) win over computed ones, except that for finite sums
    the problem's sigma and ours are both certified upper bounds and the smaller is kept,
    and f* is recomputed over W when the minimizer lies outside W. L is always the
    certified optimal diagonal of ``smoothness_matrix()`` (the problem's own ``L`` is
    used, without certificate, only when it has no smoothness matrix, e.g. d too large
    for a dense one)."""
    exact = dict(problem.exact_constants() or {})
    d = int(problem.d)
    pc = ProblemConstants(d=d, n=problem.n, nonconvex=not bool(problem.convex))
    # ---- issue 17 hook (structured H): a problem that exposes H as diagonal plus low rank
    # is certified from that structure (no dense H, any d); the others as before
    structure = getattr(problem, "smoothness_structure", lambda: None)()
    H = None
    if structure is None:
        try:
            H = problem.smoothness_matrix()
        except NotImplementedError:
            H = None
    if structure is not None:
        _fill_structure(pc, structure, solver, **solver_kw)
    # ---- end of the issue 17 hook
    elif H is not None:
        _fill_matrix(pc, check_psd_matrix(H, "smoothness matrix"), solver, **solver_kw)
    elif "L" in exact:
        pc.L = np.asarray(exact["L"], float)
        pc.notes.append("L from the problem (no smoothness matrix, no certificate)")
    pc.D_inf, pc.D_2 = geometry.diameters(problem.domain)
    pc.D_inf = exact.get("D_inf", pc.D_inf)
    pc.D_2 = exact.get("D_2", pc.D_2)
    X, y = problem.features(), problem.labels()
    finite_sum = X is not None and y is not None and problem.loss_name in glm.LOSSES
    if finite_sum:
        # both the problem's sigma (if any) and ours are certified upper bounds: keep the
        # smaller, coordinate-wise
        X, y, loss, l2 = glm.check_data(X, y, problem.loss_name, problem.l2)
        pc.sigma = noise.sigma_bound(X, y, loss, problem.domain)
        if "sigma" in exact:
            theirs = np.asarray(exact["sigma"], float)
            pc.sigma = theirs if pc.sigma is None else np.minimum(pc.sigma, theirs)
        pc.sigma_kind = None if pc.sigma is None else "certified bound"
    elif "sigma" in exact:
        pc.sigma, pc.sigma_kind = np.asarray(exact["sigma"], float), "exact"
    # f* and Delta
    if w0 is None:
        w0 = getattr(problem, "w0", None)
    w0 = np.zeros(d) if w0 is None else np.asarray(w0, float)
    f_star = exact.get("f_star", getattr(problem, "f_star", None))
    if f_star is not None and not np.isfinite(f_star):
        f_star = None
    w_star = getattr(problem, "w_star", None)
    outside = (problem.domain is not None and w_star is not None
               and not problem.domain.contains(np.asarray(w_star), tol=1e-12))
    if finite_sum and outside:
        fs, _, _ = optimum.minimize(X, y, loss, l2, problem.domain)
        pc.notes.append("the minimizer lies outside W (Assumption 3.1 fails): f* is the minimum over W")
        f_star = fs
    elif finite_sum and "f_star" not in exact:
        fs, _, _ = optimum.minimize(X, y, loss, l2, problem.domain)
        if f_star is not None and abs(fs - f_star) > 1e-8 * max(1.0, abs(fs)):
            pc.notes.append(f"problem.f_star={f_star!r} differs from the computed f*={fs!r}; "
                            "using the smaller (a valid lower bound)")
        f_star = fs if f_star is None else min(fs, float(f_star))
    pc.f_star = None if f_star is None else float(f_star)
    if finite_sum and w_star is not None and not outside:
        pc.sigma_star = noise.sigma_at(np.asarray(w_star, float), X, y, loss)
    if pc.f_star is not None:
        f0 = float(np.asarray(problem.loss(w0[None, :])).ravel()[0])
        pc.Delta = optimum.delta(f0, pc.f_star)
    # Example B.1's closed forms (exponential tail, hypercube, L = 2 G2 diag(H))
    desc = problem.describe() if hasattr(problem, "describe") else {}
    if str(desc.get("name", "")).startswith("exptail") and desc.get("tau") is not None:
        from boundcheck.theory import examples

        pc.R1_closed = float(examples.R1_closed(d, float(desc["tau"])))
        pc.R2_closed = float(examples.R2_closed(d, float(desc["tau"])))
    # generalized smoothness (nonconvex)
    if pc.nonconvex:
        if "L0" in exact and "L1" in exact:
            pc.L0, pc.L1 = np.asarray(exact["L0"], float), np.asarray(exact["L1"], float)
        elif estimate_generalized:
            from boundcheck.constants.generalized import estimate_l0l1

            step = 1.0 / pc.L_norminf if pc.L_norminf else 1e-2
            est = estimate_l0l1(lambda W: np.asarray(problem.grad(W)), w0, steps=100,
                                step_size=step)
            pc.L0, pc.L1, pc.generalized = est.L0, est.L1, est
            pc.notes.append("L0, L1 estimated from a gradient-descent trajectory (not certified)")
    return pc


__all__ = ["FIELDS", "ProblemConstants", "constants_from_data", "constants_from_matrix",
           "problem_constants"]
