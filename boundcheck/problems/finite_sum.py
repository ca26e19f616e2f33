r"""Finite-sum problems: regularized logistic regression and least squares.

.. math::

    f(w) = \frac1n \sum_{i=1}^n \ell(x_i^\top w; y_i) + \frac{\lambda_2}{2}\|w\|_2^2,
    \quad \ell_{\rm logistic}(m; y) = \log(1 + e^{-y m}),
    \quad \ell_{\rm squared}(m; y) = \tfrac12 (m - y)^2 .

Minibatch gradient (Liu et al. 2025, Sec. 3): :math:`g = \frac1M \sum_{i \in B} \nabla f_i(w)`
with :math:`\nabla f_i(w) = \ell'(x_i^\top w; y_i)\, x_i + \lambda_2 w` and B drawn uniformly
with replacement (Lemma C.2: the noise variance of coordinate j is
:math:`\operatorname{Var}_i[\partial_j f_i(w)]/M`).

Curvature: :math:`\nabla^2 f(w) = \frac1n X^\top \operatorname{diag}(\ell'') X + \lambda_2 I
\preceq H := \frac{c}{n} X^\top X + \lambda_2 I` with :math:`c = 1/4` (logistic,
:math:`\ell'' = s(1-s) \le 1/4`) or :math:`c = 1` (squared); :meth:`smoothness_matrix` returns H.

Certified constants (:meth:`exact_constants`):

- ``L``: :math:`L_j = \sum_k |H_{jk}|`; :math:`\operatorname{diag}(L) - H` is diagonally
  dominant with a non-negative diagonal, hence PSD, so :math:`-\operatorname{diag}(L) \preceq
  0 \preceq \nabla^2 f \preceq \operatorname{diag}(L)` (Assumption 3.3). The constants layer
  computes the optimal (SDP) vector; this one is an upper bound.
- ``sigma`` (per-sample noise, Assumption 3.5 with M = 1): the noise is
  :math:`\partial_j f_i(w) - \partial_j f(w)` (the ridge term cancels), whose variance is at
  most the second moment :math:`\frac1n\sum_i \ell'(x_i^\top w; y_i)^2 x_{ij}^2`. Logistic:
  :math:`|\ell'| \le 1`, so :math:`\sigma_j^2 = \frac1n\sum_i x_{ij}^2` for every w.
  Squared: :math:`|\ell'| = |x_i^\top w - y_i| \le \rho_i := |x_i^\top c - y_i| + \max_{w\in W}
  |x_i^\top (w - c)|` on W (box: :math:`\sum_j |x_{ij}| h_j`; ball: :math:`r\|x_i\|_2`), so
  :math:`\sigma_j^2 = \frac1n \sum_i \rho_i^2 x_{ij}^2` (needs a bounded W).
- ``f_star``: squared loss by a solve of the normal equations plus refinement; logistic
  (needs l2 > 0) by Newton's method with a certificate
  :math:`f(\hat w) - f_* \le \|\nabla f(\hat w)\|^2 / (2\lambda_2)` (strong convexity).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from boundcheck.validation import InputError, finite_array

from . import losses, minibatch
from .base import Box, Problem
from .limits import refuse_dense
from .losses import LOSSES, sig_neg
from .rowstable import row_matmul

#: Largest d for which a dense (d, d) smoothness matrix is formed.
DENSE_D_LIMIT = 20000


class FiniteSumProblem(Problem):
    """``f(w) = (1/n) sum_i loss(x_i^T w; y_i) + (l2/2)||w||^2`` on data (X, y).

    ``X``: (n, d) dense NumPy array or SciPy sparse matrix (used as given: no scaling, no
    intercept). ``y``: labels in {-1, +1} (logistic) or reals (squared). ``domain``: Box,
    Ball, or None; the string ``"auto"`` picks the box ``[-B, B]^d`` with
    ``B = max(radius, 1.25 ||w*||_inf)`` rounded up to a multiple of 0.25 so that it
    contains the minimizer (Assumption 3.1).
    """

    def __init__(self, X, y, loss: str, l2: float = 0.0, domain: Any = None,
                 name: str = "finite-sum", params: dict | None = None, radius: float = 1.0):
        import scipy.sparse as sps

        if loss not in LOSSES:
            raise InputError(f"unknown loss {loss!r}; allowed: {', '.join(LOSSES)}")
        self.name = name
        self.loss_name = loss
        self.l2 = float(l2)
        self.sparse = sps.issparse(X)
        self._X = sps.csr_matrix(X, dtype=np.float64) if self.sparse else np.ascontiguousarray(X, dtype=np.float64)
        self._y = np.asarray(y, dtype=np.float64).reshape(-1)
        self.n, self.d = self._X.shape
        if self._y.shape[0] != self.n:
            raise InputError(f"{self.n} feature rows but {self._y.shape[0]} labels")
        if self.n == 0:
            raise InputError("no samples (n = 0); allowed: at least one row of features")
        finite_array("features X", self._X)
        finite_array("labels y", self._y)
        if loss == "logistic":
            if not np.all(np.isin(self._y, (-1.0, 1.0))):
                raise InputError("logistic loss needs labels in {-1, +1}")
            # signed rows a_i = y_i x_i: the margin is a_i^T w
            self._A = (sps.diags(self._y) @ self._X).tocsr() if self.sparse else self._y[:, None] * self._X
        else:
            self._A = self._X
        self.convex = True
        self._domain_spec = domain
        self._radius = float(radius)
        self._params = dict(params or {})
        self._w_star: np.ndarray | None = None
        self._f_star: float | None = None
        self._f_star_err = math.nan
        self._cache: dict = {}

    # ----------------------------------------------------------------- data access
    def features(self):
        return self._X

    def labels(self):
        return self._y

    def describe(self) -> dict[str, Any]:
        out = {"name": self.name, "d": self.d, "n": self.n, "loss": self.loss_name, "l2": self.l2}
        out.update(self._params)
        return out

    # ----------------------------------------------------------------- minimizer
    def _solve(self) -> None:
        if self._f_star is not None:
            return
        if self.d > DENSE_D_LIMIT:  # the solvers need a dense d x d Hessian: f* unknown
            self._w_star, self._f_star = None, math.nan
        elif self.loss_name == "squared":
            self._w_star, self._f_star, self._f_star_err = self._solve_squared()
        elif self.l2 > 0:
            self._w_star, self._f_star, self._f_star_err = self._solve_logistic()
        else:  # logistic without ridge: the minimizer may not exist (separable data)
            self._w_star, self._f_star = None, math.nan

    @property
    def w_star(self):
        self._solve()
        return self._w_star

    @property
    def f_star(self) -> float:
        self._solve()
        return self._f_star

    @property
    def f_star_error_bound(self) -> float:
        """Certified bound on f(w_star) - f* (logistic), or the refinement residual (squared)."""
        self._solve()
        return self._f_star_err

    def _gram(self, weights=None) -> np.ndarray:
        """(1/n) X^T diag(weights) X (dense)."""
        X = self._X
        if self.sparse:
            Xw = X if weights is None else X.multiply(weights[:, None]).tocsr()
            return np.asarray((X.T @ Xw).todense()) / self.n
        Xw = X if weights is None else X * weights[:, None]
        return (X.T @ Xw) / self.n

    def _check_dense_d(self, what: str) -> None:
        refuse_dense(what, self.d, DENSE_D_LIMIT)

    def _solve_squared(self):
        self._check_dense_d("the least-squares minimizer")
        Hm = self._gram() + self.l2 * np.eye(self.d)
        b = np.asarray(self._X.T @ self._y).reshape(-1) / self.n
        w, *_ = np.linalg.lstsq(Hm, b, rcond=None)
        for _ in range(3):  # iterative refinement
            r = b - Hm @ w
            dw, *_ = np.linalg.lstsq(Hm, r, rcond=None)
            w = w + dw
        f = float(self._loss_np(w[None, :])[0])
        return w, f, float(np.linalg.norm(b - Hm @ w))

    def _solve_logistic(self):
        self._check_dense_d("the logistic minimizer (Newton)")
        d = self.d
        w = np.zeros(d)
        f = float(self._loss_np(w[None, :])[0])
        for _ in range(100):
            m = np.asarray(self._A @ w).reshape(-1)
            s = sig_neg(m, np)
            g = -np.asarray(self._A.T @ s).reshape(-1) / self.n + self.l2 * w
            # certified gap f(w) - f* <= ||g||^2 / (2 l2): stop far below the 1e-12 target
            if float(g @ g) / (2.0 * self.l2) <= 1e-16 * max(abs(f), 1e-300):
                break
            Hm = self._gram(s * (1.0 - s)) + self.l2 * np.eye(d)
            step = np.linalg.solve(Hm, g)
            a = 1.0
            while True:  # backtracking (Armijo) on f
                wn = w - a * step
                fn = float(self._loss_np(wn[None, :])[0])
                if fn <= f - 1e-4 * a * float(g @ step) or a < 1e-10:
                    break
                a *= 0.5
            if fn >= f and a < 1e-10:
                break
            done = abs(f - fn) <= 1e-16 * abs(f) and a == 1.0
            w, f = wn, fn
            if done:
                break
        m = np.asarray(self._A @ w).reshape(-1)
        g = -np.asarray(self._A.T @ sig_neg(m, np)).reshape(-1) / self.n + self.l2 * w
        # strong convexity: f(w) - ||grad f(w)||^2 / (2 l2) <= f* <= f(w)
        return w, f, float(g @ g) / (2.0 * self.l2)

    # ----------------------------------------------------------------- domain
    @property
    def domain(self):
        spec = self._domain_spec
        if spec == "auto":
            w = self.w_star
            if w is None:
                return None
            B = max(self._radius, 1.25 * float(np.max(np.abs(w))))
            B = math.ceil(B * 4.0) / 4.0
            self._domain_spec = Box(lower=-B * np.ones(self.d), upper=B * np.ones(self.d))
            return self._domain_spec
        return spec

    # ----------------------------------------------------------------- values and gradients
    def _arrays(self, xp, dtype):
        key = (getattr(xp, "__name__", str(xp)), str(dtype))
        if key not in self._cache:
            if self.sparse:
                if xp is not np:
                    raise InputError("sparse data sets run on the numpy backend only")
                A = self._A.astype(dtype)
                self._cache[key] = (A, self._y.astype(dtype), A.T.tocsr())
            else:
                self._cache[key] = (xp.asarray(self._A, dtype=dtype), xp.asarray(self._y, dtype=dtype), None)
        return self._cache[key]

    def _dloss(self, m, yb, xp):
        """l'(m) per sample: -sigma(-m) on signed margins (logistic), m - y (squared)."""
        return losses.derivative(m, yb, self.loss_name, xp)

    def _margins(self, W, xp):
        A, y, At = self._arrays(xp, W.dtype)
        if self.sparse:
            return np.ascontiguousarray(np.asarray(A @ W.T).T), y, A
        return row_matmul(W, A.T, xp), y, A

    def _loss_np(self, W):
        return np.asarray(self.loss(np.asarray(W, dtype=np.float64), np))

    def _value(self, W, m, y, xp):
        f = xp.mean(losses.value(m, y, self.loss_name, xp), axis=-1)
        return f + 0.5 * self.l2 * xp.sum(W * W, axis=-1) if self.l2 else f

    def _gradient(self, W, m, y, A, xp):
        c = self._dloss(m, y, xp)
        if self.sparse:
            G = np.ascontiguousarray(np.asarray(A.T @ c.T).T) / self.n
        else:
            G = row_matmul(c, A, xp) / self.n
        return G + self.l2 * W if self.l2 else G

    def loss(self, W, xp=np):
        m, y, _ = self._margins(W, xp)
        return self._value(W, m, y, xp)

    def grad(self, W, xp=np):
        m, y, A = self._margins(W, xp)
        return self._gradient(W, m, y, A, xp)

    def value_and_grad(self, W, xp=np):
        """``(loss(W), grad(W))`` from one computation of the margins (checkpoints use it)."""
        m, y, A = self._margins(W, xp)
        return self._value(W, m, y, xp), self._gradient(W, m, y, A, xp)

    def stochastic_grad(self, W, batch_size: int, rng, xp=np):
        """``g_r = (1/M) sum_{m} grad f_{i_{r,m}}(w_r)`` with ``i ~ U{0..n-1}`` i.i.d. per replica.

        ``rng`` is a :class:`boundcheck.engine.streams.ReplicaStreams`; the indices are the
        (R, M) array ``rng.indices(n, M)``.
        """
        M = int(batch_size)
        idx = rng.indices(self.n, M)
        A, y, _ = self._arrays(xp, W.dtype)
        if xp is np and not self.sparse:
            return self._sgrad_dense_numpy(W, idx, A, y)  # ridge term included
        if self.sparse:
            G = self._sgrad_sparse(W, idx, A, y)
        else:
            R = idx.shape[0]
            flat = xp.asarray(np.ascontiguousarray(idx.reshape(-1)))
            Ab = xp.reshape(xp.take(A, flat, axis=0), (R, M, self.d))
            m = xp.sum(Ab * W[:, None, :], axis=-1)
            yb = xp.reshape(xp.take(y, flat, axis=0), (R, M))
            c = self._dloss(m, yb, xp)
            G = xp.sum(c[:, :, None] * Ab, axis=1) / M
        if self.l2:
            G = G + self.l2 * W
        return G

    def _sgrad_dense_numpy(self, W, idx, A, y):
        """Hot path (NumPy): the fused minibatch gradient of :mod:`boundcheck.problems.minibatch`
        (a numba kernel, or its NumPy reference with the same bits). Each replica's arithmetic involves only
        its own rows and iterate, so results do not depend on which replicas run together.
        Includes the ridge term ``l2 w``."""
        return minibatch.minibatch_grad(A, y, W, idx, self.loss_name == "logistic", self.l2)

    def _sgrad_sparse(self, W, idx, A, y):
        R, M = idx.shape
        ii = idx.reshape(-1)
        Ab = A[ii]  # (R*M, d) CSR, rows in replica-major order
        rows = np.repeat(np.arange(R * M), np.diff(Ab.indptr))
        rep = rows // M
        m = np.bincount(rows, weights=Ab.data * W[rep, Ab.indices], minlength=R * M).reshape(R, M)
        c = self._dloss(m, y[ii].reshape(R, M) if self.loss_name == "squared" else None, np)
        G = np.bincount(rep * self.d + Ab.indices, weights=Ab.data * c.reshape(-1)[rows],
                        minlength=R * self.d).reshape(R, self.d)
        return (G / M).astype(W.dtype, copy=False)

    # ----------------------------------------------------------------- constants
    def smoothness_matrix(self) -> np.ndarray:
        """Dense ``H = (c/n) X^T X + l2 I`` (c = 1/4 logistic, 1 squared) with Hess f <= H."""
        self._check_dense_d("smoothness_matrix()")
        c = 0.25 if self.loss_name == "logistic" else 1.0
        return c * self._gram() + self.l2 * np.eye(self.d)

    def per_sample_sigma(self) -> np.ndarray | None:
        """Certified per-coordinate noise bound sigma (M = 1); see the module docstring."""
        X = self._X
        sq = X.multiply(X) if self.sparse else X * X
        if self.loss_name == "logistic":
            return np.sqrt(np.asarray(sq.mean(axis=0)).reshape(-1))
        dom = self.domain
        if dom is None:
            return None
        if isinstance(dom, Box):
            c = 0.5 * (dom.lower + dom.upper)
            h = 0.5 * (dom.upper - dom.lower)
            absX = abs(X)
            rho = np.abs(np.asarray(X @ c).reshape(-1) - self._y) + np.asarray(absX @ h).reshape(-1)
        else:
            c = np.asarray(dom.center, dtype=np.float64)
            rn = np.sqrt(np.asarray(sq.sum(axis=1)).reshape(-1))
            rho = np.abs(np.asarray(X @ c).reshape(-1) - self._y) + dom.radius * rn
        wsq = sq.multiply((rho * rho)[:, None]) if self.sparse else sq * (rho * rho)[:, None]
        return np.sqrt(np.asarray(wsq.mean(axis=0)).reshape(-1))

    def exact_constants(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.d <= DENSE_D_LIMIT:
            H = self.smoothness_matrix()
            out["L"] = np.sum(np.abs(H), axis=1)
            self._solve()
            if math.isfinite(self._f_star):
                out["f_star"] = self._f_star
        sig = self.per_sample_sigma()
        if sig is not None:
            out["sigma"] = sig
        dom = self.domain
        if dom is not None:
            out["D_inf"] = dom.D_inf
            out["D_2"] = dom.D_2
        return out
