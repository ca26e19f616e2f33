r"""Constants of the interpolation regime (Liu et al. 2025, Appendix E.1) for least squares.

Assumption E.3 (noise at minimisers) and E.4 (expected anisotropic smoothness) replace 3.5
and 3.3 in ``thmE.interp``. For the least-squares finite sum
``f(w) = (1/(2n)) sum_i (x_i^T w - y_i)^2`` (no ridge) both have closed forms.

**E.4: L_* in closed form.** The per-sample gradient is ``g_i(w) = x_i (x_i^T w - y_i)``, so
``g_i(w) - g_i(w*) = x_i x_i^T u`` with ``u = w - w*``, and

.. math::

    \tfrac12 \mathbb E_i \|g_i(w) - g_i(w^*)\|_{L_*^{-1}}^2
      = \frac1{2n}\sum_i (x_i^\top u)^2 s_i, \qquad s_i = \sum_j x_{ij}^2 / L_{*,j}.

Since ``grad f(w*) = 0`` (an unconstrained minimiser: checked as a proof condition),
``f(w) - f(w*) = (1/(2n)) sum_i (x_i^T u)^2``. Hence E.4 holds for every w as soon as
``s_i <= 1`` for all i. The choice

.. math::  L_{*,j} = \max_i |x_{ij}|\, \|x_i\|_1

gives ``s_i = sum_j x_ij^2 / L_{*,j} <= sum_j x_ij^2 / (|x_ij| ||x_i||_1) = sum_j |x_ij| /
||x_i||_1 = 1`` (terms with ``x_ij = 0`` vanish). A minibatch of M samples only helps:
``||mean_{i in B} a_i||^2 <= mean_{i in B} ||a_i||^2`` (convexity), so the same L_* is valid
for every M. A column of zeros gets ``L_{*,j} = 0`` in the formula; we use the smallest
positive value instead (any positive value keeps ``s_i <= 1``, as that column contributes 0).

**E.3: sigma_* exactly.** At w* the batch-1 noise is ``n_i = g_i(w*) - grad f(w*) = g_i(w*)``,
so ``E n_j^2 = (1/n) sum_i x_ij^2 r_i^2`` with residuals ``r_i = x_i^T w* - y_i``; we take
``sigma_{*,j}`` as its square root, which is exact. For consistent data (``y = X w_o``)
it is 0 up to the rounding of ``w*``.
"""

from __future__ import annotations

import numpy as np

from boundcheck.validation import InputError


def least_squares_star_constants(problem) -> dict[str, np.ndarray]:
    """``{"L_star": ..., "sigma_star": ...}`` for an unregularised least-squares finite sum
    (InputError naming why otherwise)."""
    X, y = problem.features(), problem.labels()
    if X is None or y is None or getattr(problem, "loss_name", None) != "squared":
        raise InputError(f"the closed-form L_* (Assumption E.4) needs a least-squares finite sum; "
                         f"{getattr(problem, 'name', 'this problem')!r} is not one")
    if float(getattr(problem, "l2", 0.0) or 0.0) != 0.0:
        raise InputError("the closed-form L_* (Assumption E.4) is derived for least squares "
                         "without ridge; use l2=0")
    X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    row_l1 = np.sum(np.abs(X), axis=1)
    L_star = np.max(np.abs(X) * row_l1[:, None], axis=0)
    pos = L_star > 0
    if not np.any(pos):
        raise InputError("the closed-form L_* needs a feature matrix that is not all zeros")
    L_star = np.where(pos, L_star, np.min(L_star[pos]))
    w_star = problem.w_star
    if w_star is None:
        raise InputError("the closed-form L_* needs the minimiser w* of the least-squares problem")
    r = X @ np.asarray(w_star, dtype=np.float64) - y
    sigma_star = np.sqrt(np.mean((X * r[:, None]) ** 2, axis=0))
    return {"L_star": L_star, "sigma_star": sigma_star}


def expected_smoothness_ratio(X, L_star) -> float:
    """``max_i s_i`` with ``s_i = sum_j x_ij^2 / L_{*,j}``: E.4 holds iff it is <= 1."""
    X = np.asarray(X, dtype=np.float64)
    return float(np.max(np.sum(X * X / np.asarray(L_star, float)[None, :], axis=1)))


def _provider(a):
    from boundcheck.constants.provider import NotApplicable, constant

    try:
        star = least_squares_star_constants(a.problem)
    except InputError as err:
        raise NotApplicable(str(err)) from None
    ratio = expected_smoothness_ratio(a.problem.features(), star["L_star"])
    if ratio > 1 + 1e-12:  # cannot happen for the closed form; guards the derivation
        raise InputError(f"closed-form L_* fails Assumption E.4 (max_i s_i = {ratio:.6g} > 1)")
    return {"L_star": constant("L_star", star["L_star"], "certified",
                               f"closed form for least squares: L_*j = max_i |x_ij| ||x_i||_1 "
                               f"(max_i sum_j x_ij^2/L_*j = {ratio:.4g} <= 1)"),
            "sigma_star": constant("sigma_star", star["sigma_star"], "exact",
                                   "closed form for least squares: sqrt((1/n) sum_i x_ij^2 r_i^2) at w*")}


def _providers():
    from boundcheck.constants.provider import Provider

    return (Provider("least-squares-interpolation", ("L_star", "sigma_star"), _provider,
                     "closed-form L_* and sigma_* of unregularised least squares (Assumptions E.3, E.4)"),)


PROVIDERS = _providers()

__all__ = ["least_squares_star_constants", "expected_smoothness_ratio", "PROVIDERS"]
