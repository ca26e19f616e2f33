r"""The fused minibatch gradient of a dense GLM finite sum (the engine's W1 hot path).

For replica r with iterate :math:`w_r` and minibatch indices :math:`i_{r,1..M}` (Lemma C.2:
uniform with replacement), on signed rows :math:`a_i` (logistic: :math:`a_i = y_i x_i`) or
rows :math:`a_i = x_i` (squared):

.. math::

    m_{r,k} = a_{i_{r,k}}^\top w_r,\qquad c_{r,k} = \ell'(m_{r,k}),\qquad
    g_r = \frac1M \sum_{k=1}^M c_{r,k}\, a_{i_{r,k}} + \lambda_2 w_r ,

with :math:`\ell'(m) = -1/(1 + e^m)` (logistic) or :math:`m - y_i` (squared).

**The arithmetic, fixed once** (so that a compiled kernel and the NumPy reference give the same
bits, on any CPU and for any chunking of replicas): the margin is a 64-lane dot product, lane
``q`` summing the products :math:`a_j w_j` with :math:`j \equiv q \pmod{64}` sequentially in
j (starting from the first product; a lane without any product, when d < 64, is 0), then the
lanes are added pairwise by halving (``s[q] += s[q + h]`` for h = 32, 16, ..., 1); the
exponential is the C library's double ``exp`` (rounded to the run's dtype); the gradient sums
:math:`c_k a_k` sequentially over k starting from ``c_1 a_1``, then multiplies by ``1/M`` (in
the run's dtype) and adds :math:`\lambda_2 w` (no fused multiply-add anywhere).
This replaced BLAS GEMVs (whose summation order is the BLAS build's) in version 0.2.0.

**Why fused** (measured with ``benchmarks/engine.py``, W1 = n 8192, d 1000, M 32, R 64): the
time is the memory traffic of the R M gathered rows (~33 GB per run, more than the last-level
cache holds). The kernel reads each row from memory once (the margin) and once more from the
L1/L2 cache (the gradient), with no gathered copy and no temporaries; the former path copied
the rows (``A[idx]``) and ran two GEMVs over the copy.
"""

from __future__ import annotations

import math

import numpy as np

from boundcheck.jit import parallel_kernel, prange

#: Lanes of the margin's dot product (part of the arithmetic's definition, see module docstring).
#: 64 = eight 8-wide vectors: the compiler's loop vectorizer turns the lane loop into SIMD code
#: on its own (an 8-lane scalar version stayed scalar), whatever the vector width.
LANES = 64


@parallel_kernel
def _fused(A, y, W, idx, logistic, one, inv_m, l2, out):  # pragma: no cover - compiled by numba
    # ``one``, ``inv_m``, ``l2``: scalars of W's dtype, so float32 runs round like NumPy's float32.
    # Replicas are independent: prange spreads them over threads, and a replica's arithmetic is
    # the same whichever thread runs it (the bits do not depend on the thread count).
    R, M = idx.shape
    d = W.shape[1]
    nb = d // 64
    tail = 64 * nb
    for r in prange(R):
        s = np.empty(64, dtype=W.dtype)
        c = np.empty(M, dtype=W.dtype)
        e = np.empty(1, dtype=W.dtype)
        w = W[r]
        for k in range(M):
            a = A[idx[r, k]]
            if nb > 0:
                for q in range(64):
                    s[q] = a[q] * w[q]
                for b in range(1, nb):
                    o = 64 * b
                    for q in range(64):
                        s[q] += a[o + q] * w[o + q]
                for q in range(d - tail):
                    s[q] += a[tail + q] * w[tail + q]
            else:
                for q in range(64):
                    s[q] = 0.0
                for q in range(d):
                    s[q] = a[q] * w[q]
            h = 32
            while h >= 1:
                for q in range(h):
                    s[q] = s[q] + s[q + h]
                h //= 2
            m = s[0]
            if logistic:
                e[0] = math.exp(np.float64(m))  # the C library's double exp, rounded to the dtype
                c[k] = -one / (one + e[0])
            else:
                c[k] = m - y[idx[r, k]]
        g = out[r]
        a = A[idx[r, 0]]
        c0 = c[0]
        for j in range(d):
            g[j] = c0 * a[j]
        for k in range(1, M):
            a = A[idx[r, k]]
            ck = c[k]
            for j in range(d):
                g[j] += ck * a[j]
        if l2 != 0.0:
            for j in range(d):
                g[j] = g[j] * inv_m + l2 * w[j]
        else:
            for j in range(d):
                g[j] = g[j] * inv_m


_EXP = np.frompyfunc(math.exp, 1, 1)


def margins_reference(A, W, idx) -> np.ndarray:
    """(R, M) margins ``a_{i_{r,k}}^T w_r`` with the kernel's 64-lane order, in NumPy."""
    R, M = idx.shape
    d = W.shape[1]
    L = LANES
    nb = d // L
    Ab = A[idx]  # (R, M, d)
    Wb = W[:, None, :]
    if nb > 0:
        s = Ab[..., :L] * Wb[..., :L]
        for b in range(1, nb):  # sequential over blocks, per lane
            s += Ab[..., b * L:(b + 1) * L] * Wb[..., b * L:(b + 1) * L]
        s[..., :d - nb * L] += Ab[..., nb * L:] * Wb[..., nb * L:]
    else:
        s = np.zeros((R, M, L), dtype=W.dtype)
        s[..., :d] = Ab * Wb
    h = L // 2
    while h >= 1:
        s = s[..., :h] + s[..., h:2 * h]
        h //= 2
    return s[..., 0]


def reference(A, y, W, idx, logistic: bool, l2: float) -> np.ndarray:
    """The same arithmetic as the compiled kernel, in NumPy (see the module docstring)."""
    M = idx.shape[1]
    m = margins_reference(A, W, idx)
    if logistic:
        with np.errstate(over="ignore"):  # exp(m) beyond the dtype's range is inf: c = -0
            e = _EXP(m).astype(W.dtype)
        c = -1.0 / (1.0 + e)
    else:
        c = m - y[idx]
    G = c[:, 0, None] * A[idx[:, 0]]
    for k in range(1, M):
        G += c[:, k, None] * A[idx[:, k]]
    G *= W.dtype.type(1.0 / M)
    if l2 != 0.0:
        G += W.dtype.type(l2) * W
    return G


def minibatch_grad(A, y, W, idx, logistic: bool, l2: float) -> np.ndarray:
    """``g`` (R, d) for iterates ``W`` (R, d) and indices ``idx`` (R, M) on the C-contiguous
    rows ``A`` (n, d); compiled when numba is available, else :func:`reference`."""
    f = _fused.get()
    if f is None:
        return reference(A, y, W, idx, logistic, l2)
    W = np.ascontiguousarray(W)
    out = np.empty(W.shape, dtype=W.dtype)
    with np.errstate(over="ignore"):
        t = W.dtype.type
        f(A, y, W, np.ascontiguousarray(idx), bool(logistic), t(1.0), t(1.0 / idx.shape[1]), t(l2), out)
    return out


__all__ = ["LANES", "margins_reference", "reference", "minibatch_grad"]
