"""Row-stable products: ``rows @ B`` whose row i does not depend on how many rows there are.

A BLAS product of R stacked points ``W @ B`` may round a row differently depending on R (NumPy
sends one row to GEMV and several to GEMM; GEMM kernels treat edge tiles separately). The
engine pads every batch itself (:data:`boundcheck.engine.runner.ROW_PAD`), so replicas are
bit-identical however they are chunked without this module. It is for the *other* callers: a
finite sum evaluates f at one point (f* at the minimiser, Delta at w_0) through
:func:`row_matmul`, which pads the rows to a multiple of :data:`ROW_PAD` (full GEMM tiles,
never GEMV), so f at a point is the same number whether it is computed alone or inside an
engine batch (a gap ``f(w) - f*`` at ``w = w*`` is exactly 0, not a rounding residue).
Non-NumPy namespaces use a plain ``@``.
"""

from __future__ import annotations

import numpy as np

#: Rows are padded to a multiple of this (covers the GEMM register-tile sizes in use).
ROW_PAD = 8


def row_matmul(X, B, xp=np):
    """``X @ B`` for X of shape (R, k), computed so that row i depends only on X[i] and B."""
    if xp is not np:
        return X @ B
    R = X.shape[0]
    Rp = -(-max(R, 1) // ROW_PAD) * ROW_PAD
    if Rp == R:
        return X @ B
    Xp = np.zeros((Rp, X.shape[1]), dtype=X.dtype)
    Xp[:R] = X
    return (Xp @ B)[:R]
