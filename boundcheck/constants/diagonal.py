"""The optimal diagonal smoothness vector, with a certificate.

Liu, Pan, Zhang 2025, Appendix B (Example B.1): for a PSD matrix ``H`` with
``Hess f(w) <= H`` on W, any ``L`` with ``diag(L) >= H`` (PSD order) satisfies the
anisotropic smoothness Assumption 3.3, and the best such vector for the bounds
(which carry ``||L||_1``) solves the semidefinite program

.. math::

    p^\\star = \\min_{L \\in \\mathbb{R}^d} \\mathbf{1}^\\top L
    \\quad\\text{s.t.}\\quad \\mathrm{Diag}(L) - H \\succeq 0,

the optimal diagonal scaling problem of Qu, Gao, Hinder, Ye, Zhou (2022). Its dual is a
max-cut-like program over the elliptope,

.. math::

    d^\\star = \\max_{Y} \\langle H, Y \\rangle
    \\quad\\text{s.t.}\\quad \\mathrm{diag}(Y) = \\mathbf{1},\\; Y \\succeq 0 .

Weak duality: for feasible ``L`` and ``Y``, ``1^T L - <H, Y> = <Diag(L) - H, Y> >= 0``;
the primal is strictly feasible (``L = (lambda_max + 1) 1``), so ``p* = d*``.

Two solvers:

- ``"cvxpy"``: the SDP in CVXPY (Clarabel by default, SCS selectable); the reference.
- ``"fast"``: Burer-Monteiro on the dual. ``Y = V^T V`` with ``V`` in R^{k x d} of unit
  columns (the oblique manifold), ``k >= ceil(sqrt(2 d))`` suffices (an optimal ``Y`` of rank
  ``r`` with ``r (r + 1) / 2 <= d`` exists, Pataki 1998; for such ``k`` second-order
  critical points are optimal for generic ``H``, Boumal, Voroninski, Bandeira 2016).
  (We start at about a quarter of that rank and add rank when the certificate asks for
  it, :func:`default_rank`.) We maximize ``F(V) = <H, V^T V>`` with a Riemannian
  trust-region method (Absil, Baker, Gallivan 2007; truncated CG inner solver,
  Jacobi-preconditioned and capped at :data:`MAX_INNER` steps). With ``mu_j = v_j^T (V H)_j``
  and ``S = Diag(mu) - H``: ``rgrad F = -2 V S`` and ``Hess F[U] = -2 Proj_V(U S)``.
  The primal vector is read off complementary slackness ``(Diag(L) - H) Y = 0`` with
  ``Y_jj = 1``: ``L_j = (H Y)_jj = mu_j`` (so before certification ``sum(mu) = F(V)``).
  H enters only through products ``V H``, so H may be dense or a structure
  (:class:`~boundcheck.constants.structured.DiagonalPlusLowRank`, never formed).

Certification (both solvers): whatever the solver returned, ``lambda_min(Diag(L) - H)``
is estimated (:mod:`.eigen`: LAPACK ``eigh`` up to ``EIGH_MAX_D``, shift-invert subspace
iteration above, chosen and switched by measured cost) and ``L <- L + t 1`` with a
shift ``t`` *proven* sufficient by a Cholesky factorization and its backward-error bound
(:func:`certified_shift`, Higham 2002 Thm 10.3; for a structured H an r x r Schur
complement, :meth:`DiagonalPlusLowRank.certify`), so ``Diag(L) - H`` is PSD: **the
returned L is always feasible**. The dual value ``<H, Y>`` of a
unit-diagonal PSD ``Y`` is a lower bound on ``p*``; its floating-point rounding is
bounded (``gamma_{d+k}`` times ``sum |H_ij|``) and subtracted. ``rel_gap = (primal -
dual) / primal`` is then a certified bound on the relative suboptimality of ``L``, and
``status`` is ``"optimal"`` only when ``rel_gap <= tol``; otherwise ``"feasible"`` (``"inconsistent"``
if the dual bound exceeds the certified primal beyond rounding: a certification bug, never hidden).

Block-tied variant (``blocks=``, for Subset-Norm, issue 11). For a partition of the
coordinates into blocks B, L constant on each block (``L_j = L_B`` for j in B):

.. math::

    \\min_{L_B} \\sum_j L_j = \\sum_B |B| L_B
    \\quad\\text{s.t.}\\quad \\mathrm{Diag}(L) - H \\succeq 0,
    \\qquad\\text{dual}\\quad \\max_{Y \\succeq 0} \\langle H, Y \\rangle
    \\ \\text{s.t.}\\ \\mathrm{tr}\\, Y_{BB} = |B| .

The objective is the same ``||L||_1`` the bounds carry (each block's value counted once
per coordinate). Same machinery: Burer-Monteiro on the product of spheres ``||V_B||_F^2
= |B|``, ``L_B`` = block mean of ``mu_j`` (complementary slackness), the same Cholesky
certificate (a uniform shift keeps L block-constant) and the dual bound with
``|Y_ij| <= ||v_i|| ||v_j||``. Singleton blocks give the diagonal problem, one block gives
``d lambda_max(H)``.

Per-block objective weights (``block_weights=w``): ``min sum_B w_B L_B`` over the same feasible
set, dual ``max <H, Y>`` s.t. ``tr Y_BB = w_B`` (weak duality: ``sum_B w_B L_B - <H, Y> =
<Diag(L) - H, Y> >= 0``); the spheres get radius ``sqrt(w_B)``, ``L_B = sum_{j in B} m_j / w_B``
and ``primal = sum_B w_B L_B``. The default ``w_B = |B|`` is the problem above; ``w_B = 1`` is
Subset-Norm's block smoothness ``sum_B L_B`` (``L_blk_norm1``, the bounds of ``thmSN.*``: the
step size is shared within a block, so each block counts once).

Scale and resources (issue 17): one work array of size d x d besides the checked copy of
H (the certificate, eigh and the shift-invert factor all work in place), refused with one
line before allocating when the machine has not the memory (:mod:`.memory`); progress
with an ETA on stderr on a terminal or when asked (:mod:`.progress`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.linalg

from boundcheck.constants import memory
from boundcheck.constants.eigen import (
    EIGH_MAX_D,
    METHODS,
    LowestEigs,
    cholesky_inplace,
    fill_shifted,
    shift_invert_lowest,
)
from boundcheck.constants.progress import Progress
from boundcheck.constants.structured import DiagonalPlusLowRank
from boundcheck.validation import InputError, choice, integer, positive

SOLVERS = ("auto", "cvxpy", "fast")
CVXPY_SOLVERS = ("CLARABEL", "SCS")

#: first gradient tolerance of the fast solver (times sqrt(d), on H scaled to max diag ~ 1);
#: tightened by 100x per round until the certified gap meets ``tol``
GTOL0 = 1e-6

#: ``solver="auto"`` uses the CVXPY reference up to this dimension and the fast solver above.
AUTO_CVXPY_MAX_D = 40

_EPS = float(np.finfo(float).eps)
_TINY = float(np.finfo(float).tiny)


@dataclass(frozen=True)
class DiagonalResult:
    """A certified diagonal smoothness vector.

    ``L`` is feasible (``Diag(L) - H`` PSD, certified as above); ``primal = sum(L)`` (with
    ``block_weights``: ``sum_B w_B L_B``);
    ``dual`` a certified lower bound on the optimum; ``rel_gap = (primal - dual) /
    primal``; ``lambda_min`` the computed ``lambda_min(Diag(L) - H)`` of the returned L;
    ``shift`` the amount added to every coordinate to make it feasible.
    """

    L: np.ndarray
    primal: float
    dual: float
    rel_gap: float
    lambda_min: float
    solver: str
    seconds: float
    status: str
    shift: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)

    def certificate(self) -> dict[str, Any]:
        """The JSON ``certificate`` object of ``boundcheck constants``."""
        return {
            "primal": self.primal,
            "dual": self.dual,
            "rel_gap": self.rel_gap,
            "lambda_min": self.lambda_min,
            "solver": self.solver,
            "seconds": self.seconds,
        }


# --------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------
def _row_blocks(d: int, target: int = 1 << 21):
    """Row ranges of about ``target`` entries of a d x d array (memory-lean passes)."""
    step = max(1, target // max(d, 1))
    for i in range(0, d, step):
        yield i, min(d, i + step)


def check_psd_matrix(H, name: str = "H") -> np.ndarray:
    """``H`` as a float (d, d) array if square, finite, symmetric and PSD; else InputError.

    Symmetry is checked to ``1e-10`` relative to ``max |H_ij|`` (then symmetrized);
    PSD-ness by a Cholesky factorization of ``H + 1e-9 max_j H_jj I``, which tolerates the
    rounding-level negative eigenvalues of a computed Gram matrix ``X^T X / n``.

    The returned array is always a new one (the solver scales it in place). Memory: the
    copy plus one d x d work array for the Cholesky test (the checks run in row blocks),
    so d = 10000 peaks at 1.6 GB beyond the caller's matrix.
    """
    try:
        A = np.array(H, dtype=float, copy=True)
    except (TypeError, ValueError):
        raise InputError(f"{name} is not a numeric matrix") from None
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise InputError(f"{name} must be a non-empty square matrix, got shape {A.shape}")
    d = A.shape[0]
    A = np.ascontiguousarray(A)
    scale = 0.0
    for i0, i1 in _row_blocks(d):
        blk = A[i0:i1]
        if not np.all(np.isfinite(blk)):
            bad = np.argwhere(~np.isfinite(blk))[0]
            raise InputError(f"{name} has a non-finite entry {float(blk[tuple(bad)])} at "
                             f"[{int(bad[0]) + i0},{int(bad[1])}]; entries must be finite")
        scale = max(scale, float(np.max(np.abs(blk))))
    asym, where = 0.0, (0, 0)
    for i0, i1 in _row_blocks(d):
        diff = np.abs(A[i0:i1] - A[:, i0:i1].T)
        m = float(np.max(diff))
        if m > asym:
            asym = m
            r, c = np.unravel_index(int(np.argmax(diff)), diff.shape)
            where = (int(r) + i0, int(c))
    if asym > 1e-10 * max(scale, 1e-300):
        i, j = where
        raise InputError(
            f"{name} is not symmetric: {name}[{i},{j}]={float(A[i, j])!r} but "
            f"{name}[{j},{i}]={float(A[j, i])!r}"
        )
    # A <- 0.5 (A + A^T) in place, block pair by block pair (same roundings as the formula)
    b = 512
    for i0 in range(0, d, b):
        i1 = min(d, i0 + b)
        for j0 in range(i0, d, b):
            j1 = min(d, j0 + b)
            X = 0.5 * (A[i0:i1, j0:j1] + A[j0:j1, i0:i1].T)
            A[i0:i1, j0:j1] = X
            A[j0:j1, i0:i1] = X.T
    dA = np.diagonal(A)
    if np.any(dA < 0):
        j = int(np.argmin(dA))
        raise InputError(f"{name} is not positive semidefinite: diagonal entry "
                         f"{name}[{j},{j}]={float(A[j, j])!r} < 0")
    delta = 1e-9 * float(np.max(dA))
    if scale > 0:
        buf = A.copy()  # fast path: Cholesky of a slightly shifted H
        buf.flat[:: d + 1] += delta
        ok = cholesky_inplace(buf)
        del buf
        if not ok:  # decide with the eigenvalue (Cholesky fails on singular H)
            lam = lambda_min(A)
            tol = delta + eig_error_bound(A)
            if lam < -tol:
                raise InputError(
                    f"{name} is not positive semidefinite: lambda_min={lam:.6g} "
                    f"(tolerance {-tol:.3g})"
                )
    return A


def check_blocks(blocks, d: int) -> np.ndarray | None:
    """A partition of the d coordinates as an int label array (labels 0..m-1, each used),
    from a length-d sequence of labels or a sequence of index lists; None stays None."""
    if blocks is None:
        return None
    try:
        arr = np.asarray(blocks)
    except (TypeError, ValueError):
        arr = None
    if arr is not None and arr.dtype != object and arr.ndim == 1 and arr.dtype.kind in "iu":
        if arr.size != d:
            raise InputError(f"blocks as labels must label all d={d} coordinates, got {arr.size}")
        labels = arr.astype(np.int64)
    else:
        try:
            groups = [np.asarray(g, dtype=np.int64).ravel() for g in blocks]
        except (TypeError, ValueError):
            raise InputError("blocks must be d block labels or a list of index lists") from None
        labels = np.full(d, -1, dtype=np.int64)
        for b, g in enumerate(groups):
            if g.size == 0:
                raise InputError(f"blocks: block {b} is empty")
            if np.any((g < 0) | (g >= d)):
                raise InputError(f"blocks: block {b} has an index outside 0..{d - 1}")
            if np.any(labels[g] >= 0) or np.unique(g).size != g.size:
                j = int(g[np.argmax(labels[g] >= 0)]) if np.any(labels[g] >= 0) else int(g[0])
                raise InputError(f"blocks: coordinate {j} is in more than one block")
            labels[g] = b
        if np.any(labels < 0):
            raise InputError(f"blocks: coordinate {int(np.argmin(labels))} is in no block "
                             "(the blocks must partition 0..d-1)")
    if labels.size != d:
        raise InputError(f"blocks must label all d={d} coordinates, got {labels.size}")
    if labels.min() < 0:
        raise InputError(f"blocks: label {int(labels.min())} < 0")
    uniq, inv = np.unique(labels, return_inverse=True)
    return inv.astype(np.int64)


# --------------------------------------------------------------------------------------
# certification
# --------------------------------------------------------------------------------------
def eig_error_bound(A: np.ndarray) -> float:
    """Bound on the error of LAPACK's computed eigenvalues of the symmetric ``A``.

    LAPACK Users' Guide, Sec. 4.7: ``|lambda_hat - lambda| <= p(d) eps ||A||_2`` with
    ``p(d)`` "a modestly growing function of d" (not given explicitly). We take
    ``p(d) = 8 d + 32`` and ``||A||_2 <= ||A||_F``, plus ``eps max_j |A_jj|`` for the
    rounding of forming ``Diag(L) - H`` itself. The constant is a documented safety
    factor, not a proof: Hypothesis found ``d = 2`` matrices where LAPACK's error
    exceeds ``d eps ||A||_F`` (about ``8 eps ||A||_2``), so smaller factors are unsafe.
    The relative bound assumes no underflow; ``d * tiny`` (smallest normal double) covers
    matrices with subnormal entries (also found by Hypothesis).
    """
    d = A.shape[0]
    return float((8 * d + 32) * _EPS * np.linalg.norm(A, "fro")
                 + _EPS * np.max(np.abs(np.diag(A))) + d * _TINY)


def lambda_min(A: np.ndarray) -> float:
    """Smallest eigenvalue of the symmetric matrix ``A`` (LAPACK, via scipy)."""
    return float(scipy.linalg.eigh(A, eigvals_only=True, subset_by_index=[0, 0],
                                   check_finite=False)[0])


def shift_up(L: np.ndarray, t: float) -> np.ndarray:
    """``L + t 1`` rounded so that every coordinate really grows by at least ``t``.

    ``fl(L_j + t)`` can lose the shift (``L_j = 1``, ``t = 1e-38``: found by Hypothesis).
    Knuth's TwoSum gives the rounding error ``e`` of ``s = fl(L_j + t)`` exactly
    (``s + e = L_j + t``); where ``e > 0`` (rounded down) we step ``s`` up one ulp, which
    exceeds ``|e| <= ulp / 2``. So ``L'_j >= L_j + t`` holds exactly. Equal coordinates
    stay equal (a block-constant L stays block-constant)."""
    L = np.asarray(L, float)
    if t <= 0:
        return L + t
    s = L + t
    bb = s - L
    e = (L - (s - bb)) + (t - bb)
    low = e > 0
    s[low] = np.nextafter(s[low], np.inf)
    return s


def _gamma(n: int) -> float:
    return n * _EPS / (1 - n * _EPS)


def lowest_eigs(S: np.ndarray, n: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Estimates of the ``n`` smallest eigenpairs of the symmetric S: LAPACK for
    ``d <= EIGH_MAX_D``, else shift-invert subspace iteration (:mod:`.eigen`; ARPACK's
    ``eigsh(which="SA")``, used here before, stalled for 25 minutes at d = 4000). Only
    estimates: the certificate is :func:`certified_shift`."""
    d = S.shape[0]
    n = max(1, min(n, d))
    if d <= EIGH_MAX_D:
        return scipy.linalg.eigh(S, subset_by_index=[0, n - 1], check_finite=False)
    mu = np.zeros(d)
    w, U, info = shift_invert_lowest(-S, mu, n, np.empty_like(S))
    return w, U


def _cholesky_shift(fill, d: int, sdiag: np.ndarray, rowmax: float, lam_hat: float,
                    buf: np.ndarray) -> float:
    """The proof of :func:`certified_shift`: ``fill(t0, buf)`` writes ``fl(S + t0 I)``
    (exact off-diagonal, diagonal ``fl(S_jj + t0)``) into ``buf``, which is factorized in
    place; ``sdiag = |S_jj|``, ``rowmax`` the largest absolute row sum of S."""
    g = _gamma(d + 1)
    cushion = g * float(np.sum(sdiag)) + d * _TINY
    t0 = max(0.0, -float(lam_hat)) + cushion
    smax = float(np.max(sdiag)) if sdiag.size else 0.0
    # on failure, double (starting at least at 16 eps times the Gershgorin radius, so a bad
    # estimate costs at most ~60 factorizations: S + 2 rowmax I is diagonally dominant)
    for _ in range(200):
        fill(t0, buf)
        amax = float(np.max(np.abs(np.diagonal(buf))))
        if not cholesky_inplace(buf):
            t0 = max(2.0 * t0, 16 * _EPS * rowmax)
            continue
        rr = float(np.vdot(buf.ravel(), buf.ravel()))
        if not math.isfinite(rr):
            t0 = max(2.0 * t0, 16 * _EPS * rowmax)
            continue
        rr *= 1 + 2 * d * d * _EPS
        b = g * rr + _EPS * amax + _EPS * smax + 2 * d * _TINY
        return t0 + b
    raise RuntimeError("certified_shift: Cholesky never succeeded (non-finite matrix?)")


def certified_shift(S: np.ndarray, lam_hat: float, buf: np.ndarray | None = None) -> float:
    """A ``t >= 0`` with ``S_true + t I`` PSD, proven by a Cholesky factorization.

    ``lam_hat`` is an estimate of ``lambda_min(S)`` (any value works; a good one gives a
    small t). With ``t0 = max(0, -lam_hat) + c`` (a cushion ``c = gamma_{d+1} sum|S_jj|``,
    doubled until the factorization succeeds), floating-point Cholesky of
    ``A = fl(S + t0 I)`` runs to completion, and then (Higham 2002, Thm 10.3)
    ``R^T R = A + E`` with ``|E| <= gamma_{d+1} |R^T| |R|``, so ``||E||_2 <= gamma_{d+1}
    ||R||_F^2`` and ``A >= -||E||_2 I``. Adding the roundings of forming ``A`` and ``S``
    (``u |A_jj|``, ``u |S_jj|`` on the diagonal; ``S = Diag(L) - H`` has exact
    off-diagonal entries) and of summing ``||R||_F^2`` gives ``t = t0 + b`` with
    ``S_true + t I >= 0``. Underflow is covered by ``d * tiny`` terms. ``buf`` (d x d) is
    the work array (allocated when not given).
    """
    d = S.shape[0]
    sdiag = np.abs(np.diag(S))
    rowmax = 0.0
    for i0, i1 in _row_blocks(d):
        rowmax = max(rowmax, float(np.max(np.sum(np.abs(S[i0:i1]), axis=1))))
    buf = np.empty_like(S, dtype=float) if buf is None else buf

    def fill(t0, out):
        out[...] = S
        out.flat[:: d + 1] += t0

    return _cholesky_shift(fill, d, sdiag, rowmax, lam_hat, buf)


def make_feasible(H: np.ndarray, L: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Shift ``L`` by ``t 1`` so that ``Diag(L) - H`` is certifiably PSD.

    Returns ``(L', t, lambda_hat + t)`` with ``L'_j >= L_j + t`` (:func:`shift_up`),
    ``t`` from :func:`certified_shift` and ``lambda_hat`` an estimate of
    ``lambda_min(Diag(L) - H)`` (so the last entry estimates the new lambda_min).
    """
    S = np.diag(L) - H
    lam = float(lowest_eigs(S, 1)[0][0])
    t = certified_shift(S, lam)
    return shift_up(L, t), t, lam + t


def _blocks(labels: np.ndarray, weights=None):
    """``(labels, weights, sizes)`` of a block partition (weights default to the sizes |B|)."""
    sizes = np.bincount(labels).astype(float)
    if weights is None:
        return labels, sizes, sizes
    w = np.asarray(weights, dtype=float).reshape(-1)
    if w.size != sizes.size or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise InputError(f"block_weights must be {sizes.size} finite numbers > 0 (one per block)")
    return labels, w, sizes


def _objective(blocks):
    """Per-coordinate objective coefficients ``w_B/|B|`` (None: the plain ``sum_j L_j``)."""
    if blocks is None or blocks[1] is blocks[2]:
        return None
    labels, w, sizes = blocks
    return (w / sizes)[labels]


def _normalize(V: np.ndarray, blocks=None) -> np.ndarray:
    """Unit columns (blocks None), or each block's columns scaled to Frobenius norm
    ``sqrt(w_B)`` (``w_B = |B|`` by default); a zero column (block) becomes ``e_1`` (``e_1`` in
    every column)."""
    if blocks is None:
        norms = np.linalg.norm(V, axis=0)
        zero = norms == 0
        norms[zero] = 1.0
        Vn = V / norms
        if np.any(zero):  # a zero column is not unit: use any unit vector there
            Vn[:, zero] = 0.0
            Vn[0, zero] = 1.0
        return Vn
    labels, sizes = blocks[0], blocks[1]  # sizes: the squared radii w_B
    sq = np.bincount(labels, weights=np.einsum("ij,ij->j", V, V), minlength=sizes.size)
    zero = sq == 0
    fac = np.sqrt(sizes / np.where(zero, 1.0, sq))
    Vn = V * fac[labels]
    if np.any(zero):
        cols = zero[labels]
        Vn[:, cols] = 0.0
        Vn[0, cols] = 1.0
    return Vn


def dual_lower_bound(H: np.ndarray, V: np.ndarray, blocks=None, block_weights=None) -> float:
    """``<H, V^T V>`` after exact-in-exact-arithmetic normalization of V's columns,
    minus a bound on the rounding of the evaluation (``gamma_{d+k+2} sum_ij |H_ij|``,
    with ``|Y_ij| <= 1`` for a unit-column factor): a valid lower bound on the optimum.

    ``blocks`` (an int label array, :func:`check_blocks`): the block-tied dual, each
    block of columns scaled to Frobenius norm ``sqrt(|B|)`` (``tr Y_BB = |B|``); then
    ``|Y_ij| <= n_i n_j`` (column norms n) and the bound is ``gamma_{d + k max|B| + 2}
    n^T |H| n`` (the normalization's error grows with the block's size). ``block_weights``:
    ``tr Y_BB = w_B`` instead (the weighted block-tied dual)."""
    if blocks is not None:
        blocks = _blocks(check_blocks(blocks, H.shape[0]), block_weights)
    Vn = _normalize(V, blocks)
    value, err = _dense_dual_value(H, Vn, blocks)
    return value - err


def _dense_dual_value(H, Vn, blocks=None):
    k, d = Vn.shape
    value = float(np.sum(Vn * (Vn @ H)))
    if blocks is None:
        mass = 0.0
        for i0, i1 in _row_blocks(d):
            mass += float(np.sum(np.abs(H[i0:i1])))
        n_ops = d + k + 2
    else:
        n = np.linalg.norm(Vn, axis=0)
        mass = 0.0
        for i0, i1 in _row_blocks(d):
            mass += float(n[i0:i1] @ (np.abs(H[i0:i1]) @ n))
        mass *= 1 + _gamma(d + 2)
        n_ops = d + k * int(np.max(blocks[2])) + 2
    gamma = n_ops * _EPS / (1 - n_ops * _EPS)
    return value, gamma * mass


def _finish(H, L, dual, solver, t0, tol, info, feasible=None, objective=None) -> DiagonalResult:
    """Shift L to certified feasibility, then build the certified result. With
    ``feasible = (lambda_min, shift)`` L is already certified (shifted by ``shift``).
    ``objective``: per-coordinate coefficients of the primal (None: ``sum(L)``)."""
    if feasible is None:
        L_feas, shift, lam = make_feasible(H, L)
    else:
        L_feas, (lam, shift) = L, feasible
    primal = float(np.sum(L_feas)) if objective is None else float(objective @ L_feas)
    # Weak duality: a certified lower bound cannot exceed a certified feasible value beyond the
    # rounding of sum(L). Clamp only within that rounding; a larger excess is a certification
    # bug and must surface (status 'inconsistent'), not be turned into a zero gap.
    slack = 2 * max(L_feas.size, 1) * _EPS * abs(primal)
    if dual > primal + slack:
        info = dict(info or {}, inconsistent=f"dual bound {dual!r} exceeds certified primal {primal!r}")
        return DiagonalResult(L=L_feas, primal=primal, dual=float(dual), rel_gap=float("nan"),
                              lambda_min=float(lam), solver=solver,
                              seconds=time.perf_counter() - t0, status="inconsistent",
                              shift=float(shift), info=info)
    dual = min(dual, primal)
    if primal > 0:
        gap = max(0.0, (primal - dual) / primal)
    else:  # H = 0: L = 0 is optimal and certified exactly
        gap = 0.0 if primal == dual else float("inf")
    status = "optimal" if gap <= tol else "feasible"
    return DiagonalResult(L=L_feas, primal=primal, dual=float(dual), rel_gap=float(gap),
                          lambda_min=float(lam), solver=solver,
                          seconds=time.perf_counter() - t0, status=status, shift=float(shift),
                          info=info)


# --------------------------------------------------------------------------------------
# the two kinds of H the fast solver takes: a dense array, or a structure
# --------------------------------------------------------------------------------------
class _Dense:
    """A dense (scaled, owned) H: products, eigen-estimates (:mod:`.eigen`) and the Cholesky
    certificate in one reused d x d work array."""

    def __init__(self, H: np.ndarray, eig: LowestEigs):
        self.H = H
        self.d = H.shape[0]
        self.dH = np.diagonal(H).copy()
        self.eig = eig
        self._buf = None
        off_abs = np.empty(self.d)
        off_f2 = 0.0
        for i0, i1 in _row_blocks(self.d):
            blk = np.abs(H[i0:i1])
            off_abs[i0:i1] = np.sum(blk, axis=1)
            off_f2 += float(np.sum(blk * blk))
        self.off_abs = off_abs - np.abs(self.dH)
        self.off_f2 = max(off_f2 - float(np.sum(self.dH ** 2)), 0.0)

    def buf(self):
        if self._buf is None:
            self._buf = np.empty_like(self.H)
        return self._buf

    def apply_rows(self, V):
        return V @ self.H

    def diagonal(self):
        return self.dH

    def eig_margin(self, mu):
        sd = mu - self.dH
        fro = math.sqrt(self.off_f2 + float(np.sum(sd * sd)))
        return (8 * self.d + 32) * _EPS * fro + _EPS * float(np.max(np.abs(sd))) + self.d * _TINY

    def lowest(self, mu, n, X0=None, hint=None):
        return self.eig(self.H, mu, n, self.buf(), X0=X0, hint=hint, diagH=self.dH)

    def certified_shift(self, mu, lam_hat):
        sd = np.abs(mu - self.dH)
        rowmax = float(np.max(self.off_abs + sd))
        t = time.perf_counter()
        H, dH = self.H, self.dH
        out = _cholesky_shift(lambda t0, buf: fill_shifted(H, mu, t0, buf, dH), self.d, sd,
                              rowmax, lam_hat, self.buf())
        self.eig.chol_seconds = time.perf_counter() - t
        return out

    def dual(self, Vn, blocks):
        if blocks is not None:
            return _dense_dual_value(self.H, Vn, blocks)
        k, d = Vn.shape  # as dual_lower_bound, with sum |H_ij| computed once per solve
        n_ops = d + k + 2
        mass = float(np.sum(self.off_abs + np.abs(self.dH)))
        return float(np.sum(Vn * (Vn @ self.H))), n_ops * _EPS / (1 - n_ops * _EPS) * mass


class _Structured:
    """A :class:`~boundcheck.constants.structured.DiagonalPlusLowRank` (already scaled)."""

    def __init__(self, A):
        self.A = A
        self.d = A.d
        self.dH = A.diagonal()

    def apply_rows(self, V):
        return self.A.apply_rows(V)

    def diagonal(self):
        return self.dH

    def eig_margin(self, mu):
        return 64 * self.d * _EPS * max(float(np.max(np.abs(mu))), float(np.max(self.dH)), _TINY)

    def lowest(self, mu, n, X0=None, hint=None):
        lam, x = self.A.lowest_eig(mu)
        return np.array([lam]), x[:, None], np.zeros(1)

    def certified_shift(self, mu, lam_hat):
        return self.A.certified_shift(mu, lam_hat)

    def dual(self, Vn, blocks):
        extra = 0 if blocks is None else Vn.shape[0] * int(np.max(blocks[2]))
        return self.A.dual_value_and_error(Vn, extra)


# --------------------------------------------------------------------------------------
# fast solver: Burer-Monteiro + Riemannian trust region on a product of spheres
# --------------------------------------------------------------------------------------
def _pow2_floor(x: float) -> float:
    """The largest power of two ``<= x`` (x > 0), exactly: ``frexp`` rather than
    ``floor(log2(x))``, whose rounding near powers of two broke scale covariance
    (``log2(32 - 4 ulp) == 5.0``; found by Hypothesis)."""
    m, e = math.frexp(x)  # x = m 2^e, 0.5 <= m < 1
    return math.ldexp(1.0, e - 1)


#: cap on the inner (truncated CG) iterations per trust-region step in the first round:
#: past ~30 the Jacobi-preconditioned CG mostly wanders to the boundary and the step is
#: rejected (measured at d = 1000-2000: 1100 -> 190 Hessian products, same final gap)
MAX_INNER = 30
#: the cap in the refinement rounds (tightened gradient tolerance, near the optimum): there
#: the capped steps lose the superlinear rate (d = 3000, second round: 31 steps and 930
#: products with cap 30; 2 steps and 173 products with cap 100)
MAX_INNER_REFINE = 100

#: Jacobi preconditioner of the inner CG: ``U -> Proj(U / p)``, ``p_j = max(S_jj, 0) +
#: JACOBI_DELTA mean|S_jj|`` (S = Diag(mu) - H); it removes the column scaling of H
JACOBI_DELTA = 1e-2


class _Spheres:
    """``max <H, V^T V>`` over V with unit columns (the oblique manifold, ``blocks=None``)
    or with each block's columns of Frobenius norm ``sqrt(|B|)`` (a product of spheres:
    the block-tied dual), written as ``min f = -<H, V^T V>``.

    With ``m_j = v_j^T (V H)_j`` and ``mu`` the block means of m broadcast to coordinates
    (``mu = m`` without blocks): ``rgrad f = 2 (V Diag(mu) - V H)`` and ``Hess f[U] =
    2 Proj_V(U Diag(mu) - U H)`` (the sphere's Weingarten term is ``2 mu_B U_B``)."""

    def __init__(self, op, blocks=None):
        self.op = op
        self.blocks = blocks
        self.p = None

    def _bmean(self, c):
        if self.blocks is None:
            return c
        labels, w = self.blocks[0], self.blocks[1]
        return (np.bincount(labels, weights=c, minlength=w.size) / w)[labels]

    def cost(self, V):
        VH = self.op.apply_rows(V)
        m = np.einsum("ij,ij->j", V, VH)
        return -float(m.sum()), VH, self._bmean(m)

    def proj(self, V, Z):
        return Z - V * self._bmean(np.einsum("ij,ij->j", V, Z))

    @staticmethod
    def grad(V, VH, mu):
        return 2.0 * (V * mu - VH)

    def hess(self, V, mu, U):
        return 2.0 * self.proj(V, U * mu - self.op.apply_rows(U))

    def set_preconditioner(self, mu):
        sd = mu - self.op.diagonal()
        self.p = np.maximum(sd, 0.0) + JACOBI_DELTA * max(float(np.mean(np.abs(sd))), _TINY)

    def precondition(self, V, R):
        Z = R / self.p
        return Z if self.blocks is None else self.proj(V, Z)

    def normalize(self, V):
        return _normalize(V, self.blocks)


def _tcg(M, V, mu, g, radius, theta=1.0, kappa=0.1, max_inner=None, floor=0.0):
    """Preconditioned Steihaug-Toint truncated CG for the trust-region subproblem (Absil,
    Baker, Gallivan 2007; the preconditioned recurrences of Manopt's ``trs_tCG``, the
    trust region measured in the preconditioner's norm).

    Stops at residual ``<= max(r0 min(r0^theta, kappa), floor)``: the usual superlinear
    rule, but never solving below ``floor`` (a fraction of the outer gradient target; the
    next gradient is about the residual, so more accuracy is wasted work).

    Returns ``(eta, H eta, hit_boundary, inner_iterations)``."""
    inner = 0
    eta = np.zeros_like(V)
    Heta = np.zeros_like(V)
    r = g
    r0 = math.sqrt(float(np.sum(r * r)))
    z = M.precondition(V, r)
    zr = float(np.sum(z * r))
    d_Pd = zr
    delta = -z
    e_Pe = e_Pd = 0.0
    max_inner = max_inner or V.size
    for inner in range(1, max_inner + 1):
        Hd = M.hess(V, mu, delta)
        dHd = float(np.sum(delta * Hd))
        alpha = zr / dHd if dHd > 0 else math.inf
        new_e_Pe = e_Pe + 2 * alpha * e_Pd + alpha * alpha * d_Pd
        if dHd <= 0 or new_e_Pe >= radius * radius:
            # go to the boundary along delta: ||eta + tau delta||_P = radius
            tau = (-e_Pd + math.sqrt(max(e_Pd * e_Pd + d_Pd * (radius * radius - e_Pe), 0.0))) / d_Pd
            eta = eta + tau * delta
            Heta = Heta + tau * Hd
            return eta, Heta, True, inner
        e_Pe = new_e_Pe
        eta = eta + alpha * delta
        Heta = Heta + alpha * Hd
        r = M.proj(V, r + alpha * Hd)
        if math.sqrt(float(np.sum(r * r))) <= max(r0 * min(r0 ** theta, kappa), floor):
            return eta, Heta, False, inner
        z = M.precondition(V, r)
        zr_old, zr = zr, float(np.sum(z * r))
        beta = zr / zr_old
        delta = M.proj(V, -z + beta * delta)
        e_Pd = beta * (e_Pd + alpha * d_Pd)
        d_Pd = zr + beta * beta * d_Pd
    return eta, Heta, False, inner


def _rtr(M, V, gtol, max_outer=500, deadline=None, report=None, max_inner=None):
    """Riemannian trust region until ``||rgrad|| <= gtol``. Returns ``(V, stats)``."""
    k, d = V.shape
    radius_max = math.pi * math.sqrt(d)
    radius = radius_max / 8
    f, VH, mu = M.cost(V)
    g = M.grad(V, VH, mu)
    gn = float(np.linalg.norm(g))
    outer = hess_calls = 0
    max_inner = min(V.size, max_inner or MAX_INNER)
    while gn > gtol and outer < max_outer:
        if deadline is not None and time.perf_counter() > deadline:
            break
        outer += 1
        M.set_preconditioner(mu)
        eta, Heta, boundary, inner = _tcg(M, V, mu, g, radius, floor=0.3 * gtol,
                                          max_inner=max_inner)
        hess_calls += inner
        model = float(np.sum(g * eta) + 0.5 * np.sum(eta * Heta))
        Vn = M.normalize(V + eta)
        fn, VHn, mun = M.cost(Vn)
        reg = 1e3 * _EPS * max(1.0, abs(f))
        rho = ((f - fn) + reg) / (-model + reg) if model < 0 else -1.0
        if rho < 0.25:
            radius /= 4
        elif rho > 0.75 and boundary:
            radius = min(2 * radius, radius_max)
        if rho > 0.1:
            V, f, VH, mu = Vn, fn, VHn, mun
            g = M.grad(V, VH, mu)
            gn = float(np.linalg.norm(g))
        if report is not None:
            report(gn, outer, hess_calls)
        if radius < 1e-14:
            break
    return V, {"outer": outer, "hess_calls": hess_calls, "grad_norm": gn}


def _escape_saddle(M, V, U_neg):
    """Add rows to V along eigenvectors (columns of ``U_neg``) of negative eigenvalues of
    ``S``: each is a direction of negative curvature of F in rank ``k + 1`` (the tangent
    vector ``[0; u^T]`` has ``<U, Hess f[U]> = 2 u^T S u < 0``). Backtracking on the step
    so that F increases."""
    f0 = M.cost(V)[0]
    p = U_neg.shape[1]
    Vx = np.vstack([V, np.zeros((p, V.shape[1]))])
    for alpha in (1.0, 0.5, 0.25, 0.1, 0.05, 0.01):
        W = Vx.copy()
        W[-p:] = alpha * U_neg.T
        W = M.normalize(W)
        if M.cost(W)[0] < f0:
            return W
    return Vx


def default_rank(d: int) -> int:
    """Starting rank of the fast solver on a dense H: ``max(8, ceil(sqrt(2 d) / 4) + 1)``.

    Pataki's bound ``k (k + 1) / 2 >= d`` (``k ~ sqrt(2 d)``) guarantees that a rank-k
    optimum exists; optimal Y of the exponential-spectrum Wishart benchmarks have rank about
    10-12 at d = 1000, and the cost of every product is linear in k (a quarter of Pataki's k
    was 2x faster at d = 2000 than half of it, issue 17). If k is too small, the certificate
    shows it (``lambda_min(S) < 0`` at a critical point) and the rank is increased along the
    negative eigenvectors (:func:`_escape_saddle`)."""
    return max(8, math.ceil(math.sqrt(2 * d) / 4) + 1)


def structured_rank(A: DiagonalPlusLowRank) -> int:
    """Starting rank for ``H = D + U S U^T``: an optimal Y has rank ``<= r`` when
    ``L > diag(D)`` (its range lies in the null space of ``Diag(L - D) - U S U^T``, which
    is inside ``range(Diag(L - D)^{-1} U)``), so ``r + 2`` (and at least 2)."""
    return max(2, A.rank + 2)


def _memory_needed(d: int, k: int, dense: bool) -> int:
    """Bytes the fast solver allocates beyond the caller's H (estimate, see
    :mod:`.memory`): the checked copy of H and one d x d work array (Cholesky, eigh or the
    shift-invert factor, all in place), about 16 k x d arrays in the trust region, and the
    eigen-method's block and LAPACK workspace (``8 d (k + 16)`` doubles)."""
    vec = 16 * k * d * 8 + 8 * d * (k + 16) * 8
    return vec + (2 * d * d * 8 if dense else 0)


def _solve_fast(H, tol, seed, time_limit, t0, rank=None, blocks=None, method="auto",
                progress=None, block_weights=None):
    structured = isinstance(H, DiagonalPlusLowRank)
    d = H.d if structured else H.shape[0]
    dH = H.diagonal() if structured else np.diagonal(H)
    scale = float(np.max(dH))
    bl = None if blocks is None else _blocks(blocks, block_weights)
    objective = _objective(bl)
    if scale == 0.0:  # PSD with zero diagonal: H = 0, L = 0 is optimal with dual 0
        # Diag(0) - 0 = 0 is PSD exactly: nothing to certify numerically
        return _finish(None, np.zeros(d), 0.0, "fast", t0, tol, {"k": 0}, feasible=(0.0, 0.0),
                       objective=objective)
    scale = _pow2_floor(scale)  # a power of two: H / scale is exact
    eig = LowestEigs(method, seed=seed, eigh_max_d=EIGH_MAX_D)
    if structured:
        op = _Structured(H.divided(scale))
        k0 = structured_rank(H)
    else:
        np.divide(H, scale, out=H)  # our own copy (check_psd_matrix), scaled exactly
        op = _Dense(H, eig)
        k0 = default_rank(d if bl is None else bl[1].size)
    k = min(d, k0) if rank is None else min(d, rank)
    rng = np.random.default_rng(seed)
    M = _Spheres(op, bl)
    V = M.normalize(rng.standard_normal((k, d)))
    deadline = None if time_limit is None else t0 + time_limit
    gtol = GTOL0 * math.sqrt(d)
    prog = Progress(f"optimal diagonal (d={d})", progress)
    rounds = []
    best = None
    prev_lam = None
    eigvecs = None
    state = {"round": 1}

    def report(gn, outer, hess_calls):
        # ETA: the rate at which log |grad| fell in this round, extrapolated to the round's
        # target; plus, in the first round, a refinement round (measured: about half the
        # first) and each round's certificate (two factorizations, timed in this solve)
        now = time.perf_counter()
        first = state.setdefault(("first", state["round"]), (now, gn))
        eta = None
        if now > first[0] and gn < first[1]:
            rate = math.log(first[1] / gn) / (now - first[0])
            eta = math.log(max(gn / gtol, 1.0)) / rate
            cert = 2.0 * (eig.chol_seconds or 0.0)
            eta += cert + (0.5 * (now - first[0] + eta) + cert if state["round"] == 1 else 0.0)
        prog.update(f"round {state['round']}, k={M_k[0]}, |grad| {gn:.2e} (target {gtol:.1e}), "
                    f"{hess_calls} Hessian products", eta=eta)

    M_k = [k]
    try:
        for _ in range(8 + (0 if rank is None else d)):
            M_k[0] = V.shape[0]
            V, stats = _rtr(M, V, gtol, deadline=deadline, report=report,
                            max_inner=MAX_INNER if state["round"] == 1 else MAX_INNER_REFINE)
            _, VH, mu = M.cost(V)
            n_eig = max(1, V.shape[0] // 4)
            X0 = V.T if eigvecs is None else np.hstack([eigvecs, V.T])
            prog.update(f"round {state['round']}: eigenvalue estimate and certificate", force=True)
            w, U, res = op.lowest(mu, n_eig, X0=X0,
                                  hint=None if prev_lam is None else prev_lam / 100)
            lam = float(w[0] - res[0])  # a lower estimate: Ritz value minus its residual
            eigvecs = U
            margin = op.eig_margin(mu)  # only to decide which eigenvalues are negative
            t = op.certified_shift(mu, lam)
            primal = (float(mu.sum()) + d * t if objective is None
                      else float(objective @ mu) + t * float(bl[1].sum()))
            value, err = op.dual(M.normalize(V), bl)
            dual = value - err
            gap = (primal - dual) / primal
            rounds.append({"k": V.shape[0], "gtol": gtol, "lambda_min": float(w[0]),
                           "rel_gap": gap, "eig_method": eig.history[-1]["method"]
                           if eig.history else "structured", **stats})
            prog.update(f"round {state['round']}: certified gap {gap:.2e} (target {tol:.0e})",
                        force=True)
            if best is None or gap < best[0]:
                best = (gap, mu.copy(), V.copy(), float(w[0]), t, dual)
            if gap <= tol or (deadline is not None and time.perf_counter() > deadline):
                break
            # At a (near) critical point the gap is d * (-lambda_min(S)). If it is large, or did
            # not shrink 10x when the gradient tolerance was tightened, the point is a saddle of
            # the rank-k problem: add rank along the negative eigenvectors. Otherwise tighten.
            grad_small = stats["grad_norm"] <= gtol
            lam0 = float(w[0])
            stuck = prev_lam is not None and lam0 < 0 and -lam0 > 0.1 * max(-prev_lam, 0.0)
            state["round"] += 1
            if grad_small and (d * (-lam0) > 1e-3 * primal or stuck) and V.shape[0] < d:
                neg = w < -margin
                V = _escape_saddle(M, V, U[:, neg] if np.any(neg) else U[:, :1])
                prev_lam = None
                eigvecs = None
            else:
                prev_lam = lam0
                gtol /= 100
                if gtol < 1e-15 * math.sqrt(d):
                    break
    finally:
        prog.close()
    _, mu, V, lam, t, dual_s = best
    # Certify in the scaled units (normal numbers, no underflow of the margin), then scale
    # back: multiplying by a power of two is exact, so Diag(scale * L_s) - H =
    # scale (Diag(L_s) - Hs) is PSD exactly when Diag(L_s) - Hs is, and the dual bound
    # scales the same way. (Shifting after scaling made results depend on the scale:
    # a subnormal shift, found by Hypothesis.)
    L_s = shift_up(mu, t)
    L = L_s * scale
    low = L / scale < L_s  # rounded down (only possible in the subnormal range)
    L[low] = np.nextafter(L[low], np.inf)
    dual = scale * dual_s
    info = {"k": V.shape[0], "rounds": rounds, "eig": eig.history,
            "structure": "diagonal+low-rank" if structured else "dense"}
    if bl is not None:
        info["blocks"] = int(bl[1].size)
    return _finish(None, L, dual, "fast", t0, tol, info, feasible=(scale * (lam + t), scale * t),
                   objective=objective)


# --------------------------------------------------------------------------------------
# reference solver: CVXPY
# --------------------------------------------------------------------------------------
def _solve_cvxpy(H, tol, cvxpy_solver, t0, solver_options=None, blocks=None, block_weights=None):
    import cvxpy as cp

    d = H.shape[0]
    top = float(np.max(np.diag(H)))
    bl = None if blocks is None else _blocks(blocks, block_weights)
    objective_c = _objective(bl)
    if top == 0.0:  # H = 0: L = 0 is optimal, certified exactly
        return _finish(H, np.zeros(d), 0.0, f"cvxpy-{cvxpy_solver}", t0, tol, {}, feasible=(0.0, 0.0),
                       objective=objective_c)
    # interior-point and first-order solvers use absolute tolerances (~1e-8): solve on
    # H / 2^m with max diag in [1, 2) and scale back (exact), so the answer does not depend
    # on the units of H (Hypothesis found H ~ 1e-14 * 1 1^T with a 67% certified gap)
    scale = _pow2_floor(top)
    if blocks is None:
        L = cp.Variable(d)
        Lfull = L
        objective = cp.sum(L)
    else:
        import scipy.sparse as sp

        m = int(blocks.max()) + 1
        P = sp.csr_matrix((np.ones(d), (np.arange(d), blocks)), shape=(d, m))
        L = cp.Variable(m)
        Lfull = P @ L
        objective = bl[1] @ L
    psd = cp.diag(Lfull) - H / scale >> 0
    problem = cp.Problem(cp.Minimize(objective), [psd])
    opts = dict(solver_options or {})
    if cvxpy_solver == "SCS":
        # first-order: tighter than its default 1e-4, but each iteration projects onto the
        # PSD cone (an eigendecomposition), so 1e-8 is out of reach at d ~ 200; the
        # certificate reports the accuracy actually reached
        opts.setdefault("eps_abs", 1e-6)
        opts.setdefault("eps_rel", 1e-6)
        opts.setdefault("max_iters", 50_000)
    try:
        problem.solve(solver=cvxpy_solver, **opts)
    except cp.error.SolverError as err:
        raise InputError(f"CVXPY solver {cvxpy_solver} failed: {err}") from None
    if L.value is None:
        raise InputError(f"CVXPY solver {cvxpy_solver} returned no solution (status {problem.status})")
    Lv = np.asarray(L.value, dtype=float).ravel()
    Lv = (Lv if blocks is None else Lv[blocks]) * scale
    # dual: the constraint's multiplier, projected onto the elliptope (PSD, unit diagonal)
    # or, with blocks, onto {Y PSD, tr Y_BB = |B|} (the normalization in the dual bound)
    Y = np.asarray(psd.dual_value, dtype=float) if psd.dual_value is not None else np.eye(d)
    Y = 0.5 * (Y + Y.T)
    w, Q = np.linalg.eigh(Y)
    w = np.clip(w, 0.0, None)
    V = (Q * np.sqrt(w)).T  # Y_psd = V^T V
    if np.any(np.linalg.norm(V, axis=0) == 0):
        V = np.vstack([V, (np.linalg.norm(V, axis=0) == 0).astype(float)])
    dual = dual_lower_bound(H, V, blocks, None if objective_c is None else bl[1])
    if blocks is None:
        return _finish(H, Lv, dual, f"cvxpy-{cvxpy_solver}", t0, tol,
                       {"cvxpy_status": problem.status})
    # block-constant repair: a uniform shift keeps L block-constant
    S = np.diag(Lv) - H
    lam = float(lowest_eigs(S, 1)[0][0])
    t = certified_shift(S, lam)
    return _finish(H, shift_up(Lv, t), dual, f"cvxpy-{cvxpy_solver}", t0, tol,
                   {"cvxpy_status": problem.status, "blocks": int(blocks.max()) + 1},
                   feasible=(lam + t, t), objective=objective_c)


# --------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------
def optimal_diagonal(
    H,
    solver: str = "auto",
    cvxpy_solver: str = "CLARABEL",
    tol: float = 1e-7,
    seed: int = 0,
    time_limit: float | None = None,
    solver_options: dict | None = None,
    rank: int | None = None,
    blas_threads: int | None = 1,
    blocks=None,
    eig_method: str = "auto",
    block_weights=None,
    progress: bool | None = None,
) -> DiagonalResult:
    """Certified solution of ``min sum(L) s.t. Diag(L) >= H`` (Liu et al. 2025, App. B).

    Parameters
    ----------
    H : (d, d) array, symmetric PSD (checked: InputError otherwise), or a
        :class:`~boundcheck.constants.structured.DiagonalPlusLowRank` (never formed; the
        fast solver only, or CVXPY on its dense form when ``d <= AUTO_CVXPY_MAX_D``).
    solver : ``"fast"`` (Burer-Monteiro + Riemannian trust region), ``"cvxpy"`` (SDP
        reference), or ``"auto"``: CVXPY when ``d <= AUTO_CVXPY_MAX_D`` (= 40; there it
        takes about a second), the fast solver otherwise.
    cvxpy_solver : ``"CLARABEL"`` (default) or ``"SCS"``.
    tol : relative-gap target; ``status == "optimal"`` iff the certified gap is <= tol.
    seed : seed of the fast solver's random start (same seed, same bits).
    time_limit : seconds for the fast solver's iterations (certification always runs).
    rank : starting rank k of the fast solver's factor (default :func:`default_rank`);
        a smaller rank exercises the saddle escape (rank increase along the eigenvector
        of ``lambda_min(S) < 0``).
    blas_threads : BLAS threads for the fast solver (default 1; None: leave as is). One
        thread makes the result independent of the machine's thread count (same seed,
        same bits) and avoids OpenBLAS oversubscription: on the shared 2-core machine
        under load 6, d = 500 took 2.2 s with one thread and 25 s with two.
    blocks : None, or a partition of the coordinates (d block labels, or a list of index
        lists): the **block-tied** problem ``min sum_j L_j = sum_B |B| L_B`` over L
        constant on each block, s.t. ``Diag(L) >= H`` (issue 11's block smoothness for
        Subset-Norm). Its dual is ``max <H, Y>`` over ``Y >= 0`` with ``tr Y_BB = |B|``;
        the fast solver runs on the product of spheres ``||V_B||_F^2 = |B|`` and reads
        ``L_B`` off as the block mean of ``v_j^T (V H)_j`` (complementary slackness).
        One block per coordinate is the diagonal problem; one block is ``d lambda_max``.
    block_weights : with ``blocks``: per-block objective weights ``w_B > 0`` (one per block,
        in label order): ``min sum_B w_B L_B`` over the same feasible set (dual ``tr Y_BB =
        w_B``); ``primal`` is then ``sum_B w_B L_B``. Default ``|B|``; ``1`` per block gives
        Subset-Norm's ``sum_B L_B``.
    eig_method : ``"auto"`` | ``"eigh"`` | ``"shift-invert"`` | ``"lobpcg"``: how the
        fast solver estimates ``lambda_min(Diag(mu) - H)`` on a dense H (:mod:`.eigen`).
    progress : progress lines with an ETA on stderr: None (default) when stderr is a
        terminal, True always, False never (:mod:`.progress`).

    Returns
    -------
    DiagonalResult with a feasible ``L`` (always) and its certificate.
    """
    solver = choice("solver", solver, SOLVERS)
    cvxpy_solver = choice("cvxpy_solver", str(cvxpy_solver).upper(), CVXPY_SOLVERS)
    eig_method = choice("eig_method", eig_method, METHODS)
    tol = positive("tol", tol)
    if time_limit is not None:
        time_limit = positive("time_limit", time_limit)
    if rank is not None:
        rank = integer("rank", rank, low=1)
    structured = isinstance(H, DiagonalPlusLowRank)
    if not structured and not isinstance(H, np.ndarray) and hasattr(H, "matvec"):
        raise InputError("H given only as a linear operator cannot be certified; give a dense "
                         "array or a DiagonalPlusLowRank(diag, U, s) structure")
    d = H.d if structured else _square_size(H)
    if solver == "auto":
        solver = "cvxpy" if 0 < d <= AUTO_CVXPY_MAX_D else "fast"
    if d and solver == "fast":  # estimated before anything of size d x d is allocated
        k = rank or (structured_rank(H) if structured else default_rank(d))
        memory.require(_memory_needed(d, k + 8, not structured), f"the optimal diagonal at d={d}")
    if structured:
        if solver == "cvxpy":
            memory.require(4 * d * d * 8, f"CVXPY on the dense form of a d={d} structure")
            H = check_psd_matrix(H.to_dense())
    else:
        H = check_psd_matrix(H)
        d = H.shape[0]
    blocks = check_blocks(blocks, d)
    if block_weights is not None:
        if blocks is None:
            raise InputError("block_weights needs blocks (a partition of the coordinates)")
        _blocks(blocks, block_weights)  # validated at the door
    t0 = time.perf_counter()
    if solver == "cvxpy":
        return _solve_cvxpy(H, tol, cvxpy_solver, t0, solver_options, blocks, block_weights)
    kw = dict(rank=rank, blocks=blocks, method=eig_method, progress=progress, block_weights=block_weights)
    if blas_threads is None:
        return _solve_fast(H, tol, seed, time_limit, t0, **kw)
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    with threadpool_limits(limits=integer("blas_threads", blas_threads, low=1)):
        return _solve_fast(H, tol, seed, time_limit, t0, **kw)


def _square_size(H) -> int:
    shape = getattr(H, "shape", None)
    if shape is not None and len(shape) == 2 and shape[0] == shape[1]:
        return int(shape[0])
    return 0  # checked (with a message) by check_psd_matrix


__all__ = [
    "AUTO_CVXPY_MAX_D",
    "CVXPY_SOLVERS",
    "DiagonalPlusLowRank",
    "DiagonalResult",
    "SOLVERS",
    "check_blocks",
    "check_psd_matrix",
    "dual_lower_bound",
    "EIGH_MAX_D",
    "certified_shift",
    "eig_error_bound",
    "lowest_eigs",
    "lambda_min",
    "make_feasible",
    "optimal_diagonal",
    "shift_up",
]
