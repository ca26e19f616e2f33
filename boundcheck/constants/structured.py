r"""Smoothness matrices given by structure: ``H = D + U S U^T`` (diagonal plus low rank).

A problem whose Hessian bound is a diagonal plus a rank-r PSD term (``quadratic-oracle``
without rotation; the W2 workload at d = 1e5) has a smoothness matrix that is never formed
(80 GB at d = 1e5). The optimal-diagonal solver (:mod:`boundcheck.constants.diagonal`)
needs from it only

- products ``V H`` for a k x d factor V (``O(k d r)``: :meth:`DiagonalPlusLowRank.apply_rows`),
- a certificate that ``Diag(L) - H`` is PSD for a given float vector L,
- a certified lower bound on ``<H, Y>`` for the dual factor, and
- estimates of ``lambda_min(Diag(mu) - H)`` and its eigenvector (saddle escape),

all computed here from ``(diag, U, s)`` in ``O(d r^2)``.

Certificate (exact, with rounding accounted for). Let ``e = L - diag`` (exact reals), ``Z``
the coordinates whose row of U (restricted to the columns with ``s_l > 0``) is zero, and
``N`` the others. ``Diag(L) - H`` is block diagonal over ``Z`` and ``N``; on ``Z`` it is
``Diag(e_Z)``, PSD iff ``e_Z >= 0``. On ``N``, if ``e_N > 0``, with ``W = U S^{1/2}`` (the columns
with ``s_l > 0``), the Schur complement of the block matrix ``[[E, W], [W^T, I]]`` gives

.. math::

    E - W W^\top \succeq 0 \iff T := I - W^\top E^{-1} W \succeq 0

(an r x r matrix; Boyd and Vandenberghe 2004, App. A.5.5). We compute T in floating point,
bound the difference to the exact T entrywise (dot products: Higham 2002, Sec. 3.1,
``|fl(x^T y) - x^T y| <= gamma_n |x|^T |y|``; the one rounding of ``e_j = fl(L_j - diag_j)``
and of the division enter as three more factors ``(1 + u)``), so that ``||T - T_c||_2 <=
m`` with ``m`` the Frobenius norm of the bound, and prove ``lambda_min(T_c) >= m`` with a
Cholesky factorization of ``T_c - c I`` (:func:`boundcheck.constants.diagonal.certified_shift`).
The signs of ``fl(L_j - diag_j)`` are exact (rounding is monotone), so ``e_N > 0`` and
``e_Z >= 0`` are checked exactly.

Lowest eigenvalue (estimate). For ``t > -min_N e``, ``T(t) = I - W^T (E + t I)^{-1} W``
increases with t (Loewner order); the smallest eigenvalue of ``Diag(e) - U S U^T`` is
``-t*`` with ``t* = max(root of lambda_min(T(t)) = 0, -min_Z e)`` (a secular equation, as
for rank-one updates: Golub 1973), found by Brent's method on ``lambda_min(T(t))``; its
eigenvector is ``(E + t* I)^{-1} U y`` with ``T(t*) y = 0``.
"""

from __future__ import annotations

import math

import numpy as np

from boundcheck.validation import InputError

_EPS = float(np.finfo(float).eps)
_U = _EPS / 2
_TINY = float(np.finfo(float).tiny)


def _gamma(n: int) -> float:
    return n * _U / (1 - n * _U)


class DiagonalPlusLowRank:
    """``H = Diag(diag) + U Diag(s) U^T`` with ``diag >= 0``, ``s >= 0`` (so H is PSD).

    Parameters
    ----------
    diag : (d,) non-negative finite floats.
    U : (d, r) finite floats (r may be 0).
    s : (r,) non-negative finite floats.
    """

    def __init__(self, diag, U, s):
        diag = np.array(diag, dtype=float, copy=True).ravel()
        d = diag.size
        if d == 0:
            raise InputError("diag must be a non-empty vector")
        U = np.array(U, dtype=float, copy=True)
        if U.ndim == 1 and U.size == 0:
            U = U.reshape(d, 0)
        if U.ndim != 2 or U.shape[0] != d:
            raise InputError(f"U must have shape (d, r) = ({d}, r), got {U.shape}")
        s = np.array(s, dtype=float, copy=True).ravel()
        if s.size != U.shape[1]:
            raise InputError(f"s must have one weight per column of U ({U.shape[1]}), got {s.size}")
        for name, a in (("diag", diag), ("U", U), ("s", s)):
            if not np.all(np.isfinite(a)):
                raise InputError(f"{name} has a non-finite entry; entries must be finite")
        if np.any(diag < 0):
            j = int(np.argmin(diag))
            raise InputError(f"diag[{j}]={float(diag[j])!r} < 0; diag must be >= 0 (H PSD)")
        if np.any(s < 0):
            j = int(np.argmin(s))
            raise InputError(f"s[{j}]={float(s[j])!r} < 0; s must be >= 0 (H PSD)")
        self.diag, self.U, self.s = diag, U, s

    # ---------------------------------------------------------------- basics
    @property
    def d(self) -> int:
        return self.diag.size

    @property
    def rank(self) -> int:
        return self.U.shape[1]

    @property
    def shape(self) -> tuple[int, int]:
        return (self.d, self.d)

    def __repr__(self) -> str:
        if self.d * (self.rank + 1) <= 40:  # small: show the arrays (Hypothesis reports)
            return (f"DiagonalPlusLowRank(diag={self.diag.tolist()!r}, U={self.U.tolist()!r}, "
                    f"s={self.s.tolist()!r})")
        return f"DiagonalPlusLowRank(d={self.d}, rank={self.rank})"

    def diagonal(self) -> np.ndarray:
        """``H_jj = diag_j + sum_l s_l U_jl^2``."""
        return self.diag + (self.U * self.U) @ self.s

    def matvec(self, x) -> np.ndarray:
        """``H x`` (x of shape (d,) or (d, m))."""
        x = np.asarray(x, float)
        dx = self.diag * x if x.ndim == 1 else self.diag[:, None] * x
        return dx + self.U @ (self.s[:, None] * (self.U.T @ x) if x.ndim > 1 else self.s * (self.U.T @ x))

    def apply_rows(self, V: np.ndarray) -> np.ndarray:
        """``V H`` for V of shape (k, d): ``V Diag(diag) + ((V U) Diag(s)) U^T``."""
        out = V * self.diag
        if self.rank:
            out += ((V @ self.U) * self.s) @ self.U.T
        return out

    def to_dense(self) -> np.ndarray:
        """The d x d matrix (tests and small d only)."""
        return np.diag(self.diag) + (self.U * self.s) @ self.U.T

    def divided(self, c: float) -> "DiagonalPlusLowRank":
        """``H / c`` as ``(diag / c, U, s / c)`` (exact when c is a power of two and
        nothing underflows)."""
        out = object.__new__(DiagonalPlusLowRank)
        out.diag, out.U, out.s = self.diag / c, self.U, self.s / c
        return out

    def nbytes(self) -> int:
        return self.diag.nbytes + self.U.nbytes + self.s.nbytes

    def abs_mass(self, n: np.ndarray | None = None) -> float:
        """An upper bound on ``n^T |H| n`` (n >= 0; ``n = 1``: on ``sum_ij |H_ij|``):
        ``sum_j diag_j n_j^2 + sum_l s_l (sum_j |U_jl| n_j)^2``, since ``|H_ij| <=
        diag_i [i = j] + sum_l s_l |U_il| |U_jl|``."""
        n = np.ones(self.d) if n is None else n
        a = float(np.sum(self.diag * n * n))
        if self.rank:
            a += float(np.sum(self.s * (np.abs(self.U).T @ n) ** 2))
        return a * (1 + _gamma(self.d + self.rank + 4))

    # ---------------------------------------------------------------- comparators
    def trace(self) -> float:
        """``tr H = sum diag + sum_l s_l ||u_l||^2`` (a lower bound on ``||L||_1``)."""
        return float(np.sum(self.diag) + np.sum(self.s * np.sum(self.U * self.U, axis=0)))

    def abs_sum(self) -> float | None:
        """``sum_ij |H_ij|`` (the feasible rowsum vector's norm) when every column of U
        has one sign (then H >= 0 entrywise and the sum is ``1^T H 1``); None otherwise
        (O(d^2 r) to compute exactly)."""
        one_sign = np.all((self.U >= 0).all(axis=0) | (self.U <= 0).all(axis=0))
        if not one_sign:
            return None
        return float(np.sum(self.diag) + np.sum(self.s * np.sum(self.U, axis=0) ** 2))

    def lambda_max(self) -> float:
        """Largest eigenvalue of H (an estimate, like the dense comparator), from the same
        secular equation as :meth:`lowest_eig`: ``lambda_max(H) = -lambda_min(Diag(-diag)
        - U S U^T)``. (Lanczos on the operator took minutes at d = 1e5: the top of an
        exponential diagonal is a tight cluster.)"""
        zero = object.__new__(DiagonalPlusLowRank)
        zero.diag, zero.U, zero.s = np.zeros(self.d), self.U, self.s
        return -zero.lowest_eig(-self.diag)[0]

    # ---------------------------------------------------------------- certificate
    def _active(self):
        cols = self.s > 0
        Uc = self.U[:, cols]
        rows = np.any(Uc != 0, axis=1)
        return cols, rows, Uc

    def certify(self, L) -> bool:
        """True only if ``Diag(L) - H`` is PSD, proven (module docstring). False means
        "not proven" (it may still be PSD, e.g. on the boundary).

        Computed in the congruent, overflow-free form ``T' = S^{1/2} T S^{1/2} = I - W^T
        E^{-1} W`` with ``W = U S^{1/2}`` (same inertia as T; no ``1/s`` for tiny s)."""
        from boundcheck.constants.diagonal import certified_shift

        L = np.asarray(L, float)
        e = L - self.diag  # sign exact: rounding is monotone
        cols, rows, Uc = self._active()
        if np.any(e[~rows] < 0) or np.any(e[rows] <= 0):
            return False
        if not np.any(cols) or not np.any(rows):
            return True
        W0 = Uc[rows] * np.sqrt(self.s[cols])
        en = e[rows]
        n, r = W0.shape
        W = W0 / en[:, None]
        with np.errstate(over="ignore", invalid="ignore"):
            K = W.T @ W0
            Kabs = np.abs(W).T @ np.abs(W0)
        if not (np.all(np.isfinite(K)) and np.all(np.isfinite(Kabs))):
            return False
        T = -0.5 * (K + K.T)
        T[np.diag_indices(r)] += 1.0
        # |T_c - T_exact| <= gamma_{n+10} Kabs (1 + gamma): dot products of length n with
        # the rounded e, the division, sqrt(s) and the product U sqrt(s) (Higham 2002,
        # Sec. 3.1); + (n + 10) tiny for underflow; + u |T_c| for the symmetrization and
        # the subtraction from 1. The 1.01 covers the rounding of this bound's evaluation.
        g = _gamma(n + 10)
        bound = g * (1 + g) * Kabs + _U * np.abs(T) + (n + 10) * _TINY
        m = 1.01 * float(np.linalg.norm(bound))
        lam = float(np.linalg.eigvalsh(T)[0])
        if not math.isfinite(lam) or lam <= m:
            return False
        # lambda_min(T_c) >= c - t with t from a Cholesky of fl(T_c - c I)
        c = 0.5 * (lam + m)
        B = T.copy()
        B[np.diag_indices(r)] -= c
        t = certified_shift(B, lam - c)
        return c - t >= m

    def certified_shift(self, mu, lam_hat: float) -> float:
        """A ``t >= 0`` such that ``Diag(shift_up(mu, t)) - H`` is proven PSD (the same
        contract as the dense :func:`boundcheck.constants.diagonal.certified_shift`).
        Starts at ``max(0, -lam_hat)`` plus a rounding cushion and doubles."""
        from boundcheck.constants.diagonal import shift_up

        mu = np.asarray(mu, float)
        scale = max(float(np.max(np.abs(mu))), float(np.max(self.diag)), _TINY)
        cushion = _gamma(self.d + self.rank + 8) * scale * max(1.0, math.sqrt(self.rank))
        t = max(0.0, -float(lam_hat)) + cushion
        floor_step = 16 * _EPS * scale
        for _ in range(400):
            if self.certify(shift_up(mu, t)):
                return t
            t = max(2.0 * t, floor_step)
            if not math.isfinite(t):
                break
        raise RuntimeError("DiagonalPlusLowRank.certified_shift: no shift was certified")

    # ---------------------------------------------------------------- eigen estimate
    @staticmethod
    def _T_min(e, t, W0):
        """Smallest eigenpair of ``I - W^T (E + t I)^{-1} W`` (W = U S^{1/2})."""
        W = W0 / (e + t)[:, None]
        T = -(W.T @ W0)
        T = 0.5 * (T + T.T)
        T[np.diag_indices(T.shape[0])] += 1.0
        w, Y = np.linalg.eigh(T)
        return float(w[0]), Y[:, 0]

    def lowest_eig(self, mu) -> tuple[float, np.ndarray]:
        """Estimate of ``lambda_min(Diag(mu) - H)`` and a unit eigenvector (module docstring)."""
        from scipy.optimize import brentq

        mu = np.asarray(mu, float)
        e = mu - self.diag
        cols, rows, Uc = self._active()
        d = self.d
        best_z = -math.inf
        jz = -1
        if np.any(~rows):
            jz = int(np.flatnonzero(~rows)[np.argmin(e[~rows])])
            best_z = -float(e[jz])
        if not np.any(rows) or not np.any(cols):
            x = np.zeros(d)
            x[max(jz, 0)] = 1.0
            return -best_z if jz >= 0 else float(np.min(e)), x
        en = e[rows]
        W0 = Uc[rows] * np.sqrt(self.s[cols])
        lo = -float(np.min(en))
        width = max(float(np.max(np.abs(en))), float(np.max(np.sum(W0 * W0, axis=0))), _TINY)
        eps_t = 1e-13 * width
        a = lo + eps_t
        fa = self._T_min(en, a, W0)[0]
        if fa >= 0:  # the root is within eps_t of the pole
            root = a
        else:
            b, step = lo + width, width
            fb = self._T_min(en, b, W0)[0]
            while fb < 0:
                step *= 2
                b = lo + step
                fb = self._T_min(en, b, W0)[0]
            root = brentq(lambda t: self._T_min(en, t, W0)[0], a, b, xtol=1e-15 * width,
                          rtol=4 * _EPS, maxiter=200)
        if best_z > root:
            x = np.zeros(d)
            x[jz] = 1.0
            return -best_z, x
        _, y = self._T_min(en, root, W0)
        x = np.zeros(d)
        x[rows] = (W0 @ y) / (en + root)
        nx = float(np.linalg.norm(x))
        return -root, x / (nx if nx > 0 else 1.0)

    # ---------------------------------------------------------------- dual bound
    def dual_value_and_error(self, Vn: np.ndarray, extra_ops: int = 0) -> tuple[float, float]:
        """``<H, Vn^T Vn>`` in floating point and a bound on its rounding error
        (``sum_j diag_j ||v_j||^2 + sum_l s_l ||Vn u_l||^2``; dot products of length d and
        k, squares and sums): ``gamma_{d + k + r + 8}`` times :meth:`abs_mass` of the
        column norms, doubled for the products ``P = Vn U`` whose error enters squared
        (``|P_c^2 - P^2| <= 2 |P| Gamma + Gamma^2``). ``extra_ops``: more roundings in the
        normalization of Vn (``k max|B|`` for the block-tied dual)."""
        k = Vn.shape[0]
        col2 = np.einsum("ij,ij->j", Vn, Vn)
        value = float(np.sum(self.diag * col2))
        if self.rank:
            P = Vn @ self.U
            value += float(np.sum(self.s * np.einsum("ij,ij->j", P, P)))
        n = np.sqrt(col2)
        err = 3.0 * _gamma(self.d + k + self.rank + 8 + extra_ops) * self.abs_mass(n)
        return value, err


__all__ = ["DiagonalPlusLowRank"]
