"""The finite sums of Example B.1 (Liu et al. 2025, App. B), as the constants layer reads them.

.. math::

    f(w) = \\frac1n \\sum_{i=1}^n \\phi(x_i^\\top w; y_i) + \\frac{\\ell_2}{2} \\|w\\|_2^2,
    \\qquad \\nabla f(w; i) = \\phi'(x_i^\\top w; y_i)\\, x_i + \\ell_2 w .

Losses (``G2`` bounds ``phi''``, so ``Hess f <= G2 X^T X / n + l2 I`` everywhere):

========== ============================== ============================== =====
loss       phi(t; y)                      phi'(t; y)                     G2
========== ============================== ============================== =====
logistic   log(1 + exp(-y t)), y = +-1    -y sigmoid(-y t), |.| < 1      1/4
squared    (t - y)^2 / 2                  t - y                          1
========== ============================== ============================== =====

``X`` may be a dense array or a scipy.sparse matrix (libsvm files load sparse).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse
from scipy.special import expit

from boundcheck.problems import losses
from boundcheck.problems.base import Ball, Box
from boundcheck.problems.losses import G2, LOSSES
from boundcheck.validation import InputError, choice, nonnegative


def check_data(X, y, loss: str, l2) -> tuple:
    """Validate ``(X, y, loss, l2)``; logistic labels {0, 1} are mapped to {-1, +1}."""
    loss = choice("loss", loss, LOSSES)
    l2 = nonnegative("l2", l2)
    if not scipy.sparse.issparse(X):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise InputError(f"features must be a 2-d array, got shape {X.shape}")
        finite = np.all(np.isfinite(X))
    else:
        X = scipy.sparse.csr_matrix(X, dtype=float)
        finite = np.all(np.isfinite(X.data))
    if not finite:
        raise InputError("features contain a non-finite value")
    y = np.asarray(y, dtype=float).ravel()
    if y.shape[0] != X.shape[0]:
        raise InputError(f"labels have {y.shape[0]} entries but features have {X.shape[0]} rows")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise InputError(f"empty data set (shape {X.shape})")
    if not np.all(np.isfinite(y)):
        raise InputError("labels contain a non-finite value")
    if loss == "logistic":
        values = set(np.unique(y).tolist())
        if values <= {0.0, 1.0}:
            y = 2.0 * y - 1.0
        elif not values <= {-1.0, 1.0}:
            shown = sorted(values)[:5]
            raise InputError(f"logistic loss needs labels in {{-1, +1}} or {{0, 1}}, got {shown}")
    return X, y, loss, l2


def _sq(X):
    return X.multiply(X) if scipy.sparse.issparse(X) else X * X


def _abs(X):
    return abs(X) if scipy.sparse.issparse(X) else np.abs(X)


def gram(X) -> np.ndarray:
    """``X^T X / n`` as a dense (d, d) array."""
    n = X.shape[0]
    G = X.T @ X
    G = G.toarray() if scipy.sparse.issparse(G) else np.asarray(G)
    G = G / n
    return 0.5 * (G + G.T)


def smoothness_matrix(X, loss: str, l2: float) -> np.ndarray:
    """``G2 X^T X / n + l2 I`` (>= Hess f(w) for every w)."""
    S = G2[loss] * gram(X)
    S[np.diag_indices_from(S)] += l2
    return S


def dphi(t: np.ndarray, y: np.ndarray, loss: str) -> np.ndarray:
    """``phi'(t_i; y_i)`` with respect to ``t = x^T w`` (:mod:`boundcheck.problems.losses`; the
    logistic loss is a function of the signed margin ``y t``, hence the chain-rule factor y)."""
    if loss == "logistic":
        return y * losses.derivative(y * t, y, loss)
    return losses.derivative(t, y, loss)


def phi(t: np.ndarray, y: np.ndarray, loss: str) -> np.ndarray:
    """``phi(t_i; y_i)`` (:mod:`boundcheck.problems.losses`)."""
    return losses.value(y * t if loss == "logistic" else t, y, loss)


def value(w, X, y, loss: str, l2: float) -> float:
    """f(w)."""
    w = np.asarray(w, dtype=float)
    return float(np.mean(phi(X @ w, y, loss)) + 0.5 * l2 * (w @ w))


def grad(w, X, y, loss: str, l2: float) -> np.ndarray:
    """grad f(w)."""
    w = np.asarray(w, dtype=float)
    r = dphi(X @ w, y, loss)
    return np.asarray(X.T @ r).ravel() / X.shape[0] + l2 * w


def margin_range(X, y, domain) -> tuple[np.ndarray, np.ndarray]:
    """Interval ``[lo_i, hi_i]`` containing ``x_i^T w`` for every ``w`` in the domain
    (exact for a box: ``x_i^T c +- sum_j |x_ij| r_j``; a ball: ``x_i^T c +- R ||x_i||_2``).
    ``(-inf, inf)`` without a domain."""
    n = X.shape[0]
    if domain is None:
        return np.full(n, -np.inf), np.full(n, np.inf)
    if isinstance(domain, Box):
        c = 0.5 * (np.asarray(domain.lower, float) + np.asarray(domain.upper, float))
        r = 0.5 * (np.asarray(domain.upper, float) - np.asarray(domain.lower, float))
        mid = np.asarray(X @ c).ravel()
        rad = np.asarray(_abs(X) @ r).ravel()
    elif isinstance(domain, Ball):
        c = np.asarray(domain.center, float)
        mid = np.asarray(X @ c).ravel()
        rad = float(domain.radius) * np.sqrt(np.asarray(_sq(X).sum(axis=1)).ravel())
    else:
        raise InputError(f"unsupported domain {type(domain).__name__}; allowed: Box, Ball, None")
    return mid - rad, mid + rad


def dphi_bound(X, y, loss: str, domain) -> np.ndarray:
    """``B_i >= sup_{w in W} |phi'(x_i^T w; y_i)|`` (certified, per sample).

    logistic: ``|phi'| = sigmoid(-y t)`` is decreasing in ``y t``, so the sup over
    ``t in [lo, hi]`` is ``sigmoid(-min(y lo, y hi))`` (``<= 1``, the bound with no domain).
    squared: ``|t - y|`` is convex in t, so the sup is at an end: ``max(|lo - y|, |hi - y|)``
    (infinite without a bounded domain).
    """
    lo, hi = margin_range(X, y, domain)
    if loss == "logistic":
        m = np.minimum(y * lo, y * hi)
        return expit(-m)
    return np.maximum(np.abs(lo - y), np.abs(hi - y))


def column_sq_means(X, weights=None) -> np.ndarray:
    """``(1/n) sum_i w_i x_ij^2`` for each j (``w_i = 1`` by default)."""
    Q = _sq(X)
    n = X.shape[0]
    if weights is None:
        return np.asarray(Q.sum(axis=0)).ravel() / n
    return np.asarray(Q.T @ np.asarray(weights, float)).ravel() / n


__all__ = [
    "G2", "LOSSES", "check_data", "column_sq_means", "dphi", "dphi_bound", "gram", "grad",
    "margin_range", "phi", "smoothness_matrix", "value",
]
