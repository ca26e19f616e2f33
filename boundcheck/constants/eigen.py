"""Lowest eigenpairs of ``S = Diag(mu) - H`` for the diagonal solver (estimates only).

The optimal-diagonal solver (:mod:`boundcheck.constants.diagonal`) needs, after each
Burer-Monteiro round, estimates of the few smallest eigenpairs of ``S = Diag(mu) - H``
(dense, symmetric, d x d): the smallest eigenvalue sets the shift of the certificate, the
eigenvectors of negative eigenvalues are the directions of the saddle escape. These are
**estimates**: feasibility is proven separately by a Cholesky factorization
(:func:`boundcheck.constants.diagonal.certified_shift`), which trusts no number from here.

Near the optimum ``S`` has a cluster of about ``rank(Y) <= k`` eigenvalues at zero (the rows
of the factor V span its near-null space, ``S V^T ~ 0``) and the wanted smallest eigenvalue
is a tiny negative number inside or just below that cluster. Methods:

- ``"eigh"``: LAPACK ``syevr`` on the formed S (tridiagonalization, about ``(4/3) d^3``
  flops, half of them in memory-bound BLAS-2). Exact to rounding, no convergence risk;
  about 6x the cost of a Cholesky factorization (measured: d = 4000, one thread, 4.6 s vs
  0.78 s).
- ``"shift-invert"``: subspace iteration with ``(S + sigma I)^{-1}`` through a Cholesky
  factorization of ``S + sigma I`` (``d^3 / 3`` flops). ``sigma`` starts at a small
  positive value and is multiplied by 16 while the factorization fails (then
  ``lambda_min(S) < -sigma``); once it succeeds, the block of ``p > rank(Y)`` vectors
  started from V's rows converges with ratio ``(lambda_p + sigma) / (lambda_{p+1} +
  sigma)``, tiny when sigma is small, and Rayleigh-Ritz resolves the cluster exactly (to
  rounding). Each iteration costs two triangular solves and one product with H
  (``4 d^2 p`` flops, BLAS-3). A failed factorization costs at most one factorization.
- ``"lobpcg"``: SciPy's LOBPCG on ``X -> X mu - H X`` (S is never formed), Jacobi
  preconditioner ``1 / (|S_jj| + delta)``, warm-started from V's rows and the previous
  eigenvectors. No d x d workspace, but it cannot separate a tiny negative eigenvalue
  from the zero cluster quickly (its rate depends on the gap relative to the spectral
  width), so ``"auto"`` never picks it; it is there for H that are only available as
  products, and tested.
- ``"auto"``: ``"eigh"`` up to :data:`EIGH_MAX_D`, where it takes well under a second;
  above, ``"shift-invert"``, switching to ``"eigh"`` for the rest of the solve if a
  shift-invert call took longer than the predicted ``eigh`` time (predicted from the
  measured eigh/Cholesky time ratio at d = 600, :func:`eigh_cost_ratio`, times the
  measured Cholesky time of this solve). The choice and the timings are recorded.
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.linalg
from scipy.linalg import lapack

METHODS = ("auto", "eigh", "shift-invert", "lobpcg")

#: ``method="auto"`` uses dense ``eigh`` up to this dimension (d = 1500: 0.1 s on one core).
EIGH_MAX_D = 1500

_EPS = float(np.finfo(float).eps)


# --------------------------------------------------------------------------------------
# S = Diag(mu) - H into a buffer (exact off-diagonal, one rounding on the diagonal)
# --------------------------------------------------------------------------------------
def fill_shifted(H: np.ndarray, mu: np.ndarray, shift: float, out: np.ndarray,
                 diagH: np.ndarray | None = None) -> np.ndarray:
    """``out <- Diag(mu) - H + shift I`` in place, rounding exactly as
    ``A = np.diag(mu) - H; A[idx] += shift``: off-diagonal ``-H_ij`` (exact), diagonal
    ``fl(fl(mu_j - H_jj) + shift)`` (``shift = 0``: no second rounding)."""
    np.negative(H, out=out)
    dH = np.diagonal(H) if diagH is None else diagH
    dS = mu - dH
    if shift != 0.0:
        dS = dS + shift
    out.flat[:: out.shape[0] + 1] = dS
    return out


def cholesky_inplace(A: np.ndarray) -> bool:
    """Upper Cholesky ``R^T R = A`` of the C-contiguous symmetric ``A``, overwriting it
    (R in the upper triangle, zeros below). ``False`` if the factorization broke down.

    LAPACK works in column-major order: ``A.T`` is a Fortran-contiguous view of the same
    memory, equal to A, whose lower factor L (``L L^T = A``) read back in row-major order
    is ``R = L^T``. No d x d copy is made."""
    c, info = lapack.dpotrf(A.T, lower=1, clean=1, overwrite_a=1)
    if not np.shares_memory(c, A):  # pragma: no cover - LAPACK wrapper copied after all
        A[...] = c.T
    return info == 0


# --------------------------------------------------------------------------------------
# methods
# --------------------------------------------------------------------------------------
def eigh_lowest(H, mu, n, buf, diagH=None):
    """``n`` smallest eigenpairs of ``Diag(mu) - H`` by LAPACK (S formed in ``buf``,
    which is overwritten)."""
    S = fill_shifted(H, mu, 0.0, buf, diagH)
    # S.T: the Fortran-ordered view of the same (symmetric) memory, so LAPACK works in place
    w, U = scipy.linalg.eigh(S.T, subset_by_index=[0, n - 1], overwrite_a=True,
                             check_finite=False)
    return w, U, {}


def _apply_S(H, mu, X):
    return X * mu[:, None] - H @ X


def _rayleigh_ritz(H, mu, Q):
    SQ = _apply_S(H, mu, Q)
    T = Q.T @ SQ
    theta, Z = np.linalg.eigh(0.5 * (T + T.T))
    X = Q @ Z
    R = SQ @ Z - X * theta
    return theta, X, np.linalg.norm(R, axis=0)


def _start_block(d, p, X0, rng):
    cols = [] if X0 is None else [np.asarray(X0, float).reshape(d, -1)]
    have = sum(c.shape[1] for c in cols)
    if have < p:
        cols.append(rng.standard_normal((d, p - have)))
    X = np.hstack(cols)[:, :p]
    Q, _ = np.linalg.qr(X)
    return Q


def shift_invert_lowest(H, mu, n, buf, X0=None, sigma0=None, diagH=None, maxit=12,
                        rtol=0.02, seed=0, deadline_factor=None):
    """``n`` smallest eigenpairs of ``S = Diag(mu) - H`` by subspace iteration with
    ``(S + sigma I)^{-1}`` (Cholesky in ``buf``). See the module docstring.

    ``X0`` (d x m): starting vectors (V's rows, previous eigenvectors). Stops when the
    residual of each wanted Ritz pair is ``<= rtol |theta| +`` a rounding floor, or after
    ``maxit`` iterations; the residuals are returned (``info["residuals"]``) so the caller
    can turn the Ritz value into a lower estimate."""
    d = H.shape[0]
    rng = np.random.default_rng(seed)
    m0 = 0 if X0 is None else np.asarray(X0).reshape(d, -1).shape[1]
    p = min(d, max(n + 8, m0 + 8))
    dH = np.diagonal(H) if diagH is None else diagH
    scale = max(float(np.max(np.abs(mu - dH))), float(np.max(np.abs(dH))), 1e-300)
    floor = 64 * d * _EPS * scale
    sigma = max(floor, sigma0 if sigma0 is not None else 1e-6 * float(np.mean(np.abs(mu))))
    factorizations = 0
    while True:
        fill_shifted(H, mu, sigma, buf, dH)
        factorizations += 1
        if cholesky_inplace(buf):
            break
        sigma *= 16.0
        if not math.isfinite(sigma) or factorizations > 80:
            raise RuntimeError("shift-invert: no shift made S + sigma I positive definite")
    Q = _start_block(d, p, X0, rng)
    theta, X, res = _rayleigh_ritz(H, mu, Q)
    it = 0
    for it in range(1, maxit + 1):
        Y, info = lapack.dpotrs(buf.T, X, lower=1)
        Q, _ = np.linalg.qr(Y)
        theta, X, res = _rayleigh_ritz(H, mu, Q)
        if np.all(res[:n] <= rtol * np.abs(theta[:n]) + floor):
            break
    return theta[:n], X[:, :n], {"sigma": sigma, "factorizations": factorizations,
                                 "iterations": it, "residuals": res[:n]}


def lobpcg_lowest(H, mu, n, X0=None, diagH=None, maxiter=200, tol=None, seed=0):
    """``n`` smallest eigenpairs of ``Diag(mu) - H`` by preconditioned LOBPCG (S never
    formed). See the module docstring for why ``"auto"`` does not use it."""
    from scipy.sparse.linalg import LinearOperator, lobpcg

    d = H.shape[0]
    rng = np.random.default_rng(seed)
    dH = np.diagonal(H) if diagH is None else diagH
    sdiag = np.abs(mu - dH)
    delta = 1e-3 * max(float(np.mean(sdiag)), 1e-300)
    m0 = 0 if X0 is None else np.asarray(X0).reshape(d, -1).shape[1]
    p = min(max(n + 4, m0 + 4), max(1, d // 3))
    X = _start_block(d, p, X0, rng) if d >= 3 * p else None
    if X is None:  # LOBPCG needs d >= 3 p: small problems go to LAPACK
        S = fill_shifted(H, mu, 0.0, np.empty_like(H), dH)
        w, U = scipy.linalg.eigh(S, subset_by_index=[0, n - 1])
        return w, U, {"fallback": "eigh"}
    A = LinearOperator((d, d), matmat=lambda Z: _apply_S(H, mu, np.asarray(Z).reshape(d, -1)),
                       matvec=lambda z: _apply_S(H, mu, np.asarray(z).reshape(d, 1)).ravel(),
                       dtype=float)
    M = LinearOperator((d, d), matmat=lambda Z: np.asarray(Z).reshape(d, -1) / (sdiag + delta)[:, None],
                       matvec=lambda z: np.asarray(z).ravel() / (sdiag + delta), dtype=float)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w, U = lobpcg(A, X, M=M, largest=False, maxiter=maxiter,
                      tol=tol if tol is not None else 1e-9 * max(float(np.max(sdiag)), 1e-300))
    order = np.argsort(w)
    w, U = w[order], U[:, order]
    theta, Xr, res = _rayleigh_ritz(H, mu, np.linalg.qr(U)[0])
    return theta[:n], Xr[:, :n], {"residuals": res[:n]}


# --------------------------------------------------------------------------------------
# choice by measured cost
# --------------------------------------------------------------------------------------
_RATIO: list[float] = []


def eigh_cost_ratio() -> float:
    """Measured time of a partial ``eigh`` over a Cholesky factorization of the same
    matrix (d = 600, median of three; cached per process). The ratio of two O(d^3)
    LAPACK routines is nearly size-independent on one machine (measured 4.6 at d = 2000,
    5.8 at d = 4000 here), so it predicts eigh's time from a Cholesky timed in the solve."""
    if not _RATIO:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((600, 600))
        A = X @ X.T / 600 + np.eye(600)
        te, tc = [], []
        for _ in range(3):
            t = time.perf_counter()
            scipy.linalg.eigh(A, subset_by_index=[0, 3], check_finite=False)
            te.append(time.perf_counter() - t)
            t = time.perf_counter()
            scipy.linalg.cholesky(A, check_finite=False)
            tc.append(time.perf_counter() - t)
        _RATIO.append(max(1.0, float(np.median(te) / max(np.median(tc), 1e-9))))
    return _RATIO[0]


class LowestEigs:
    """The eigenvalue method of one solve, with its record of timings.

    ``method`` is one of :data:`METHODS`; ``"auto"`` is resolved per call (module
    docstring). ``history`` lists ``(method, seconds, extra)`` per call."""

    def __init__(self, method: str = "auto", seed: int = 0, eigh_max_d: int | None = None):
        self.method = method
        self.eigh_max_d = EIGH_MAX_D if eigh_max_d is None else eigh_max_d
        self.seed = seed
        self.history: list[dict] = []
        self._switched = False
        self.chol_seconds: float | None = None  # per factorization, measured in this solve

    def resolve(self, d: int) -> str:
        if self.method != "auto":
            return self.method
        if d <= self.eigh_max_d:
            return "eigh"
        last = [h for h in self.history if h["method"] == "shift-invert"]
        if (not self._switched and last and self.chol_seconds
                and last[-1]["seconds"] > eigh_cost_ratio() * self.chol_seconds):
            self._switched = True  # measured: eigh would have been cheaper
        return "eigh" if self._switched else "shift-invert"

    def __call__(self, H, mu, n, buf, X0=None, hint=None, diagH=None):
        d = H.shape[0]
        n = max(1, min(n, d))
        method = self.resolve(d)
        t = time.perf_counter()
        if method == "eigh":
            w, U, extra = eigh_lowest(H, mu, n, buf, diagH)
        elif method == "shift-invert":
            sigma0 = None if hint is None else 2.0 * abs(hint)
            w, U, extra = shift_invert_lowest(H, mu, n, buf, X0=X0, sigma0=sigma0, diagH=diagH,
                                              seed=self.seed)
        else:
            w, U, extra = lobpcg_lowest(H, mu, n, X0=X0, diagH=diagH, seed=self.seed)
        sec = time.perf_counter() - t
        self.history.append({"method": method, "seconds": sec,
                             **{k: v for k, v in extra.items() if k != "residuals"}})
        res = extra.get("residuals")
        return w, U, (np.zeros_like(w) if res is None else np.asarray(res))


__all__ = ["EIGH_MAX_D", "LowestEigs", "METHODS", "cholesky_inplace", "eigh_cost_ratio",
           "eigh_lowest", "fill_shifted", "lobpcg_lowest", "shift_invert_lowest"]
