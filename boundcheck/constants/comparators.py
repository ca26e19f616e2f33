"""Simple smoothness vectors reported beside the optimal diagonal (Liu et al. 2025, App. B).

For a PSD smoothness matrix ``H`` (``Hess f <= H`` on W) and the optimum ``L*`` of
``min sum(L) s.t. Diag(L) >= H`` (:mod:`boundcheck.constants.diagonal`):

- ``trace(H)``: a lower bound, ``sum(L*) >= tr(H)`` (the diagonal of the PSD matrix
  ``Diag(L) - H`` is non-negative, so ``L_j >= H_jj``).
- ``rowsum(H)``: ``L_j = sum_k |H_jk|`` is feasible (``Diag(L) - H`` is diagonally
  dominant with a non-negative diagonal, hence PSD; Gershgorin); it is the l_inf /
  (1,1)-norm smoothness constant of Xie et al. (2024). Optimal when H >= 0 entrywise
  (then ``Y = 1 1^T`` is dual feasible with ``<H, Y> = sum_jk H_jk``).
- ``lambda_max(H) 1``: feasible, the isotropic choice (``||L||_1 = d lambda_max``).
- ``diagonal_dominance(H) = 2 diag(H)``: the paper's example choice ``L = 2 G2 diag(H)``
  (Example B.1 with ``H`` there the data Gram matrix and the factor ``G2`` folded into our
  smoothness matrix). It is feasible **only** when H is diagonally dominant
  (``2 Diag(H) - H = Diag(H) - offdiag(H)``); in general it is not (``H = 1 1^T``,
  ``d >= 3``), so :func:`is_feasible` is reported with it.
"""

from __future__ import annotations

import numpy as np

from boundcheck.constants.diagonal import eig_error_bound, lambda_min


def trace(H: np.ndarray) -> float:
    """``tr(H)``: a lower bound on ``||L||_1`` for every feasible L."""
    return float(np.trace(H))


def rowsum(H: np.ndarray) -> np.ndarray:
    """``L_j = sum_k |H_jk|`` (always feasible)."""
    return np.sum(np.abs(H), axis=1)


def lambda_max(H: np.ndarray) -> float:
    """Largest eigenvalue of the symmetric H (``lambda_max 1`` is feasible)."""
    import scipy.linalg

    d = H.shape[0]
    return float(scipy.linalg.eigh(H, eigvals_only=True, subset_by_index=[d - 1, d - 1],
                                   check_finite=False)[0])


def diagonal_dominance(H: np.ndarray) -> np.ndarray:
    """``2 diag(H)`` (feasible when H is diagonally dominant; see module docstring)."""
    return 2.0 * np.diag(H).copy()


def is_feasible(H: np.ndarray, L: np.ndarray) -> bool:
    """Whether ``Diag(L) - H`` is PSD up to the eigensolver's error bound."""
    S = np.diag(L) - H
    return lambda_min(S) >= -eig_error_bound(S)


__all__ = ["diagonal_dominance", "is_feasible", "lambda_max", "rowsum", "trace"]
