r"""Assumptions of boundcheck's own lower and high-probability statements (issue 12), with checks.

- ``subgaussian-noise``: the oracle's noise coordinates are independent (across coordinates and
  calls), mean zero, and sub-Gaussian with variance proxy ``sigma_j^2`` (``E exp(lam n_j) <=
  exp(lam^2 sigma_j^2/2)`` for one call; the mean of M calls then has proxy ``sigma_j^2/M``).
  Checked from the problem's declared noise law (:mod:`boundcheck.problems.noise_laws`): the
  Gaussian and the sub-Weibull law with ``theta <= 1/2`` hold (proofs there); Student-t, Pareto and
  sub-Weibull with ``theta > 1/2`` are violated (heavy tails). A problem without a declared law (a
  finite sum) is ``unchecked``: its noise is bounded, so sub-Gaussian with *some* proxy
  (Hoeffding), but not necessarily ``sigma_j^2``, and its coordinates are dependent.
- ``separable-quadratic``: ``f(w) = f* + (1/2) sum_j h_j (w_j - w*_j)^2`` (diagonal Hessian
  ``diag(h)``, known minimiser). Checked: the smoothness structure (or matrix) is diagonal, and f
  and its gradient agree with the formula at sampled points (to rounding).
- ``stiff-flat-construction``: the named construction of the lower bound
  (``stiff-flat-quadratic``): separable quadratic with ``L = (L, l, ..., l)``, ``l = rho L/(d - 1)
  <= L/2``, ``0 < rho <= 1``, ``w_0 - w* = c 1`` (from ``w_0 = 0``). Checked from the stated
  ``rho_flat``, ``c0`` and the sampled values.
"""

from __future__ import annotations

import numpy as np

from boundcheck import sampling
from boundcheck.theory.assumption import Assumption, CheckResult

_REL = 1e-9


def _diagonal_hessian(problem):
    """The diagonal h of a problem whose smoothness matrix is diagonal (None otherwise), and how."""
    structure = None
    try:
        structure = problem.smoothness_structure()
    except (NotImplementedError, AttributeError):
        structure = None
    if structure is not None:
        U, s = np.asarray(structure.U), np.asarray(structure.s)
        if U.size == 0 or not np.any(s > 0):
            return np.asarray(structure.diag, float), "structure diag + rank 0"
        return None, "the smoothness structure has a low-rank part"
    try:
        H = np.asarray(problem.smoothness_matrix(), float)
    except Exception:  # noqa: BLE001 - any refusal (size, not implemented) means: no dense H
        return None, "no smoothness matrix or structure"
    off = H - np.diag(np.diag(H))
    if np.max(np.abs(off), initial=0.0) > 1e-12 * max(1.0, float(np.max(np.abs(H)))):
        return None, "the smoothness matrix is not diagonal"
    return np.diag(H).copy(), "dense diagonal smoothness matrix"


def _points(problem, n, center, gen):
    return center + gen.standard_normal((n, problem.d))


def _check_separable(problem, c, *, rng=None, samples=64):
    w_star = getattr(problem, "w_star", None)
    f_star = c.get("f_star", getattr(problem, "f_star", None))
    if w_star is None or f_star is None:
        return CheckResult("unchecked", "needs a known minimiser w* and f*")
    h, how = _diagonal_hessian(problem)
    if h is None:
        return CheckResult("violated", f"not a separable (diagonal) quadratic: {how}")
    w_star = np.asarray(w_star, float)
    W = _points(problem, samples, w_star, sampling.generator(0))
    E = W - w_star
    f_formula = float(f_star) + 0.5 * np.sum(h * E * E, axis=1)
    f = np.asarray(problem.loss(W), float)
    G = np.asarray(problem.grad(W), float)
    scale = 1.0 + np.abs(f_formula)
    if np.any(np.abs(f - f_formula) > 1e3 * _REL * scale) or \
            np.any(np.abs(G - h * E) > 1e3 * _REL * (1.0 + np.abs(h * E))):
        return CheckResult("violated", "f(w) differs from f* + (1/2) sum_j h_j (w_j - w*_j)^2 at a sampled point")
    return CheckResult("holds", f"diagonal Hessian ({how}); f and grad f equal the separable quadratic at "
                                f"{samples} sampled points")


def _check_stiff_flat(problem, c, *, rng=None, samples=64):
    if "rho_flat" not in c or "c0" not in c:
        return CheckResult("violated", "the statement holds on the construction stiff-flat-quadratic only "
                                       "(the problem states no rho_flat, c0)")
    sep = _check_separable(problem, c, samples=samples)
    if sep.status != "holds":
        return sep
    d, rho, c0 = problem.d, float(c["rho_flat"]), float(c["c0"])
    h, _ = _diagonal_hessian(problem)
    L = float(h[0])
    ell = rho * L / (d - 1)
    expected = np.full(d, ell)
    expected[0] = L
    if not (0 < rho <= 1 and ell <= L / 2 * (1 + 1e-12)):
        return CheckResult("violated", f"rho = {rho:g} must satisfy 0 < rho <= 1 and rho <= (d - 1)/2")
    if not np.allclose(h, expected, rtol=1e-12, atol=0.0):
        return CheckResult("violated", "the Hessian is not diag(L, l, ..., l) with l = rho L/(d - 1)")
    if not np.allclose(np.asarray(problem.w_star, float), -c0, rtol=1e-12, atol=0.0):
        return CheckResult("violated", "w* is not -c0 (1, ..., 1): w_0 = 0 would not have w_0 - w* = c0 1")
    return CheckResult("holds", f"the construction with d = {d}, L = {L:g}, l = {ell:.4g}, rho = {rho:g}, c = {c0:g}")


def _check_subgaussian(problem, c, *, rng=None, samples=64):
    law = getattr(problem, "noise_law", None)
    if law is None:
        return CheckResult("unchecked", "the problem declares no noise law (e.g. a finite sum: bounded noise is "
                                        "sub-Gaussian with some proxy, not necessarily sigma_j^2, and its "
                                        "coordinates are dependent)")
    ok, why = law.subgaussian()
    return CheckResult("holds" if ok else "violated", why + "; coordinates independent across coordinates and "
                       "calls (the oracle draws them so)" if ok else why)


ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption(
        "subgaussian-noise", "Independent sub-Gaussian noise (variance proxy sigma_j^2)",
        "boundcheck's derivation (issue 12); the cited high-probability results assume sub-Gaussian noise",
        r"n_j(w;\xi)\ \text{independent over } j \text{ and calls},\ \mathbb E n_j = 0,\ "
        r"\mathbb E e^{\lambda n_j} \le e^{\lambda^2\sigma_j^2/2}\ \forall \lambda",
        ("sigma_norm2",), ("sigma",), _check_subgaussian,
        notes="Checked from the oracle's declared noise law (boundcheck.problems.noise_laws)."),
    Assumption(
        "separable-quadratic", "Separable (diagonal) quadratic",
        "boundcheck's derivation (issue 12)",
        r"f(w) = f_* + \tfrac12 \sum_j h_j (w_j - w_{*,j})^2",
        (), ("f_star",), _check_separable),
    Assumption(
        "stiff-flat-construction", "The named lower-bound construction stiff-flat-quadratic",
        "boundcheck's construction (issue 12)",
        r"f(w) = \tfrac12\sum_i L_i (w_i - w_{*,i})^2,\ L = (L, \ell, \dots, \ell),\ \ell = \rho L/(d-1) \le L/2,"
        r"\ 0 < \rho \le 1,\ w_0 - w_* = c\mathbf 1",
        ("rho_flat", "c0"), ("rho_flat", "c0"), _check_stiff_flat),
)

__all__ = ["ASSUMPTIONS"]
