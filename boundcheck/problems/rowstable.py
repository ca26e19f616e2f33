"""Row-stable products: ``rows @ B`` whose row i does not depend on the other rows.

A BLAS product of R stacked replicas ``W @ B`` may round a row differently depending on R
(NumPy sends one row to GEMV and several to GEMM; GEMM kernels treat edge tiles
separately). The engine promises that replicas run together give the same bits as replicas
run alone, so every product that mixes replicas' rows goes through :func:`row_matmul`,
which pads the rows to a multiple of :data:`ROW_PAD` (full GEMM tiles, never GEMV).
Non-NumPy namespaces use a plain ``@`` (the promise is made for NumPy; other backends are
checked to agree to rounding).
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
