r"""Counter-based standard normal streams: Philox4x32-10 bits, ziggurat transform.

Normal number j of call t of the stream with key :math:`(k_0, k_1)` is a pure function of
:math:`(k_0, k_1, t, j)`:

1. **bits**: the Philox4x32-10 block cipher (Salmon, Moraes, Dror, Shaw, *Parallel random
   numbers: as easy as 1, 2, 3*, SC 2011; the Random123 reference, checked against its
   known-answer vectors in the tests) of the counter :math:`(t \bmod 2^{32},\ \lfloor t/2^{32}
   \rfloor,\ j,\ k)` under the key gives four 32-bit words, read as two 64-bit words
   :math:`u = x_0 + 2^{32} x_1` and :math:`x_2 + 2^{32} x_3`. Draw ``k = 0`` serves almost
   every normal; a rejected ziggurat sample reads the second word of ``k = 0``, then the words
   of ``k = 1, 2, ...``;
2. **normal**: the 256-layer ziggurat of Marsaglia and Tsang (*The ziggurat method for
   generating random variables*, J. Stat. Softw. 2000) in NumPy's 64-bit form: layer
   ``i = u mod 256``, sign bit 8, a 52-bit magnitude; accepted at once with probability
   ~0.99, else the wedge test :math:`f_i + U (f_{i-1} - f_i) < e^{-x^2/2}` or, on layer 0,
   Marsaglia's tail algorithm beyond :math:`r = 3.6541528853610088`. The tables are computed
   once from r (the layer area :math:`v = r f(r) + \int_r^\infty f`, so the top layer closes
   to 3e-14) in 50-digit arithmetic (mpmath) and rounded to float64,
   so they are the same numbers on every machine; the slow paths use the C library's
   ``log1p`` and ``exp``.

Why (issue 16): a per-replica PCG64 generator drew 3.2e6 normals per step of W2 one replica
at a time (~40% of the step). Counter-based draws need no sequential state: the fast path is
a branch-free loop over j that the compiler vectorizes (the cipher's 32x32-bit products are
SIMD instructions), and any replica, chunk or thread computes the same numbers. Replicas are
independent because their keys are (:class:`boundcheck.sampling.ReplicaStreams` derives the
key of replica r from ``SeedSequence(seed, spawn_key=(r, NOISE))``); the tests check the
moments, the Kolmogorov-Smirnov distance and the cross-replica correlation. In use since
version 0.2.0 (0.1.0 drew PCG64 ziggurat normals: every oracle problem's numbers changed).

:func:`normals` uses the compiled kernel when numba is available, else :func:`reference`,
which computes the same bits with NumPy (fast path) and Python (the rare slow path).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from boundcheck.jit import kernel, parallel_kernel, prange

#: Philox4x32 multipliers and Weyl key increments (Random123).
M0, M1 = 0xD2511F53, 0xCD9E8D57
W0, W1 = 0x9E3779B9, 0xBB67AE85
MASK32 = 0xFFFFFFFF
#: Ziggurat: 256 layers starting the tail at r (Marsaglia & Tsang 2000; NumPy's value). The
#: layer area is v = r f(r) + int_r^inf f (the base strip and the tail), computed from r.
LAYERS = 256
ZIG_R = "3.6541528853610087963519472518"
FRAC_BITS = 52


@lru_cache(maxsize=1)
def tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(k, w, f)``: acceptance thresholds (uint64), widths (x_i / 2^52) and densities
    :math:`e^{-x_i^2/2}` of the 256 layers (Marsaglia & Tsang's construction), computed in
    50-digit arithmetic and rounded to float64."""
    import mpmath

    with mpmath.workdps(50):
        m = mpmath.mpf(2) ** FRAC_BITS
        r = mpmath.mpf(ZIG_R)
        f = lambda x: mpmath.exp(-x * x / 2)  # noqa: E731
        v = r * f(r) + mpmath.sqrt(mpmath.pi / 2) * mpmath.erfc(r / mpmath.sqrt(2))
        k = [0] * LAYERS
        w = [mpmath.mpf(0)] * LAYERS
        fv = [mpmath.mpf(0)] * LAYERS
        q = v / f(r)
        k[0] = int(mpmath.floor(r / q * m))
        k[1] = 0
        w[0] = q / m
        w[LAYERS - 1] = r / m
        fv[0] = mpmath.mpf(1)
        fv[LAYERS - 1] = f(r)
        dn = tn = r
        for i in range(LAYERS - 2, 0, -1):
            dn = mpmath.sqrt(-2 * mpmath.log(v / dn + f(dn)))
            k[i + 1] = int(mpmath.floor(dn / tn * m))
            tn = dn
            fv[i] = f(dn)
            w[i] = dn / m
    return (np.array(k, dtype=np.uint64), np.array([float(x) for x in w]),
            np.array([float(x) for x in fv]))


@kernel
def philox(c0, c1, c2, c3, k0, k1):  # pragma: no cover - compiled by numba (and run by Python)
    """Philox4x32-10 of counter (c0..c3) under key (k0, k1), all < 2**32 in uint64."""
    m32 = np.uint64(MASK32)
    for _ in range(10):
        p0 = np.uint64(M0) * c0
        p1 = np.uint64(M1) * c2
        c0, c1, c2, c3 = ((p1 >> np.uint64(32)) ^ c1 ^ k0, p1 & m32,
                          (p0 >> np.uint64(32)) ^ c3 ^ k1, p0 & m32)
        k0 = (k0 + np.uint64(W0)) & m32
        k1 = (k1 + np.uint64(W1)) & m32
    return c0, c1, c2, c3


@kernel
def _slow(k0, k1, t0, t1, j, u, kt, wt, ft):  # pragma: no cover - compiled by numba (and run by Python)
    """The ziggurat's slow path for normal j, whose first word ``u`` was rejected."""
    pos = 1
    r = 3.6541528853610088
    inv_r = 1.0 / r
    while True:
        i = int(u & np.uint64(255))
        neg = (u >> np.uint64(8)) & np.uint64(1)
        rabs = (u >> np.uint64(9)) & np.uint64((1 << FRAC_BITS) - 1)
        x = float(rabs) * wt[i]
        if neg:
            x = -x
        if rabs < kt[i]:
            return x
        if i == 0:  # Marsaglia's tail beyond r
            while True:
                a0, a1, a2, a3 = philox(t0, t1, j, np.uint64(pos // 2), k0, k1)
                ua = (a0 | (a1 << np.uint64(32))) if pos % 2 == 0 else (a2 | (a3 << np.uint64(32)))
                pos += 1
                b0, b1, b2, b3 = philox(t0, t1, j, np.uint64(pos // 2), k0, k1)
                ub = (b0 | (b1 << np.uint64(32))) if pos % 2 == 0 else (b2 | (b3 << np.uint64(32)))
                pos += 1
                xx = -inv_r * math.log1p(-float(ua >> np.uint64(11)) * (1.0 / 9007199254740992.0))
                yy = -math.log1p(-float(ub >> np.uint64(11)) * (1.0 / 9007199254740992.0))
                if yy + yy > xx * xx:
                    return -(r + xx) if neg else r + xx
        a0, a1, a2, a3 = philox(t0, t1, j, np.uint64(pos // 2), k0, k1)
        ua = (a0 | (a1 << np.uint64(32))) if pos % 2 == 0 else (a2 | (a3 << np.uint64(32)))
        pos += 1
        if (ft[i - 1] - ft[i]) * (float(ua >> np.uint64(11)) * (1.0 / 9007199254740992.0)) + ft[i] \
                < math.exp(-0.5 * x * x):
            return x
        a0, a1, a2, a3 = philox(t0, t1, j, np.uint64(pos // 2), k0, k1)
        u = (a0 | (a1 << np.uint64(32))) if pos % 2 == 0 else (a2 | (a3 << np.uint64(32)))
        pos += 1


@parallel_kernel
def _normals(keys, t, kt, wt, ft, out):  # pragma: no cover - compiled by numba
    R, n = out.shape
    m32 = np.uint64(MASK32)
    s32 = np.uint64(32)
    m0, m1, w0, w1 = np.uint64(M0), np.uint64(M1), np.uint64(W0), np.uint64(W1)
    t0 = np.uint64(t) & m32
    t1 = np.uint64(t) >> s32
    frac = np.uint64((1 << FRAC_BITS) - 1)
    for r in prange(R):
        k0 = keys[r, 0]
        k1 = keys[r, 1]
        bits = out[r].view(np.uint64)
        for j in range(n):  # the cipher, rounds written out: a straight loop the compiler vectorizes
            c0, c1, c2, c3 = t0, t1, np.uint64(j), np.uint64(0)
            a0, a1 = k0, k1
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            a0 = (a0 + w0) & m32
            a1 = (a1 + w1) & m32
            p0 = m0 * c0
            p1 = m1 * c2
            c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ a0, p1 & m32, (p0 >> s32) ^ c3 ^ a1, p0 & m32
            bits[j] = c0 | (c1 << s32)
        row = out[r]
        for j in range(n):  # the ziggurat's fast path, in place
            u = bits[j]
            i = u & np.uint64(255)
            rabs = (u >> np.uint64(9)) & frac
            if rabs < kt[i]:
                x = float(rabs) * wt[i]
                row[j] = -x if (u >> np.uint64(8)) & np.uint64(1) else x
            else:
                row[j] = _slow(k0, k1, t0, t1, np.uint64(j), u, kt, wt, ft)


def reference(keys: np.ndarray, t: int, size: int) -> np.ndarray:
    """(R, size) float64: the same numbers as the compiled kernel, computed with NumPy (fast
    path, vectorized) and Python (slow path)."""
    kt, wt, ft = tables()
    keys = np.asarray(keys, dtype=np.uint64)
    R = keys.shape[0]
    m32 = np.uint64(MASK32)
    with np.errstate(over="ignore"):
        c0 = np.full((R, size), np.uint64(t) & m32, dtype=np.uint64)
        c1 = np.full((R, size), np.uint64(t) >> np.uint64(32), dtype=np.uint64)
        c2 = np.broadcast_to(np.arange(size, dtype=np.uint64), (R, size)).copy()
        c3 = np.zeros((R, size), dtype=np.uint64)
        a0 = keys[:, 0:1].copy()
        a1 = keys[:, 1:2].copy()
        for _ in range(10):
            p0 = np.uint64(M0) * c0
            p1 = np.uint64(M1) * c2
            c0, c1, c2, c3 = ((p1 >> np.uint64(32)) ^ c1 ^ a0, p1 & m32, (p0 >> np.uint64(32)) ^ c3 ^ a1, p0 & m32)
            a0 = (a0 + np.uint64(W0)) & m32
            a1 = (a1 + np.uint64(W1)) & m32
        u = c0 | (c1 << np.uint64(32))
    i = (u & np.uint64(255)).astype(np.intp)
    rabs = (u >> np.uint64(9)) & np.uint64((1 << FRAC_BITS) - 1)
    x = rabs.astype(np.float64) * wt[i]
    x = np.where(((u >> np.uint64(8)) & np.uint64(1)).astype(bool), -x, x)
    rej = ~(rabs < kt[i])
    slow = _slow.func
    tt0, tt1 = np.uint64(t) & m32, np.uint64(t) >> np.uint64(32)
    for r, j in zip(*np.nonzero(rej)):
        x[r, j] = slow(keys[r, 0], keys[r, 1], tt0, tt1, np.uint64(j), u[r, j], kt, wt, ft)
    return x


def normals(keys: np.ndarray, t: int, size: int, dtype=np.float64) -> np.ndarray:
    """(R, size) standard normals of call ``t`` for the streams with ``keys`` ((R, 2) uint64,
    32-bit values), compiled when numba is available (see the module docstring)."""
    f = _normals.get()
    if f is None:
        out = reference(keys, t, size)
    else:
        kt, wt, ft = tables()
        out = np.empty((keys.shape[0], int(size)), dtype=np.float64)
        f(np.ascontiguousarray(keys, dtype=np.uint64), int(t), kt, wt, ft, out)
    return out if dtype == np.float64 else out.astype(dtype)


__all__ = ["tables", "philox", "reference", "normals", "LAYERS"]
