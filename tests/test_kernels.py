"""The compiled hot paths (issue 16): each kernel against its NumPy reference bit for bit,
the counter-based normal streams against Random123's known answers and N(0, 1), and whole
engine runs with and without numba (``BOUNDCHECK_JIT=0``) bit for bit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from scipy import stats

from boundcheck import jit, normal_streams
from boundcheck.algorithms import adagrad
from boundcheck.problems import minibatch
from boundcheck.sampling import ReplicaStreams

needs_numba = pytest.mark.skipif(not jit.enabled(), reason="numba not importable: only the references run")


def _bits(a) -> bytes:
    return np.ascontiguousarray(a).tobytes()


# ------------------------------------------------------------------- minibatch gradient
@needs_numba
@pytest.mark.parametrize("d", [1, 5, 63, 64, 130, 1000])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("logistic", [True, False])
def test_minibatch_kernel_equals_reference(d, dtype, logistic):
    rng = np.random.default_rng(d)
    n, R, M = 50, 9, 7
    A = rng.standard_normal((n, d)).astype(dtype)
    y = rng.standard_normal(n).astype(dtype)
    W = (rng.standard_normal((R, d)) * 3).astype(dtype)
    W[0, : min(d, 3)] = 40.0  # large margins: exp overflows to inf, c = -0
    idx = rng.integers(0, n, size=(R, M))
    for l2 in (0.0, 1e-3):
        g = minibatch.minibatch_grad(A, y, W, idx, logistic, l2)
        ref = minibatch.reference(A, y, W, idx, logistic, l2)
        assert g.dtype == dtype and _bits(g) == _bits(ref)


def test_minibatch_reference_is_the_minibatch_gradient():
    """The fixed summation order computes (1/M) sum_k l'(a_k^T w) a_k + l2 w (to rounding)."""
    rng = np.random.default_rng(0)
    n, d, R, M = 40, 150, 4, 5
    A, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    W, idx = rng.standard_normal((R, d)) * 0.1, rng.integers(0, n, size=(R, M))
    for logistic in (True, False):
        g = minibatch.reference(A, y, W, idx, logistic, 0.01)
        for r in range(R):
            m = A[idx[r]] @ W[r]
            c = -1.0 / (1.0 + np.exp(m)) if logistic else m - y[idx[r]]
            np.testing.assert_allclose(g[r], c @ A[idx[r]] / M + 0.01 * W[r], rtol=1e-12, atol=1e-14)


# ------------------------------------------------------------------- AdaGrad step
@needs_numba
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adagrad_step_kernel_equals_numpy_expression(dtype):
    rng = np.random.default_rng(1)
    w, g = rng.standard_normal((16, 33)).astype(dtype), rng.standard_normal((16, 33)).astype(dtype)
    v = rng.random((16, 33)).astype(dtype)
    g[0, 0] = 0.0
    v[0, 0] = 0.0  # 0/0: NaN in both
    y, st = adagrad.update(w, g, adagrad.AdaGradState(v=v), 0.7, None, np)
    vv = g * g
    vv += v
    step = g / np.sqrt(vv)
    step *= 0.7
    assert _bits(st.v) == _bits(vv) and _bits(y) == _bits(w - step)


# ------------------------------------------------------------------- normal streams
def test_philox_known_answers():
    """Random123's known-answer vectors for Philox4x32-10."""
    u = np.uint64
    cases = [
        ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
        ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
        ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
         (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
    ]
    for ctr, key, want in cases:
        got = normal_streams.philox(*(u(c) for c in ctr), *(u(k) for k in key))
        assert tuple(int(x) for x in got) == want


def test_ziggurat_tables_close_the_top_layer():
    """The layers have equal areas v: the top layer x_1 (1 - f(x_1)) = v to float precision."""
    k, w, f = normal_streams.tables()
    x1 = w[1] * 2.0**52
    v = w[0] * 2.0**52 * f[-1]  # base strip width q = v / f(r)
    assert abs(x1 * (1.0 - f[1]) - v) <= 1e-12 * v
    assert k[1] == 0 and f[0] == 1.0 and np.all(np.diff(f[1:]) < 0)


@needs_numba
def test_normal_kernel_equals_reference_including_slow_paths():
    keys = np.array([[1, 2], [3, 4], [0xFFFFFFFF, 7]], dtype=np.uint64)
    a = normal_streams.normals(keys, 5, 40_000)
    b = normal_streams.reference(keys, 5, 40_000)
    assert _bits(a) == _bits(b)
    assert np.sum(np.abs(a) > 3.6541528853610088) > 0  # the tail algorithm ran
    big = normal_streams.normals(keys, 2**33 + 1, 300)  # a counter above 2^32
    assert _bits(big) == _bits(normal_streams.reference(keys, 2**33 + 1, 300))


def test_normals_are_standard_normal():
    keys = np.random.default_rng(3).integers(0, 2**32, size=(8, 2), dtype=np.uint64)
    z = np.concatenate([normal_streams.normals(keys, t, 125_000).ravel() for t in range(4)])  # 4e6
    n = z.size
    assert abs(z.mean()) < 4.5 / np.sqrt(n)
    assert abs(z.var() - 1.0) < 4.5 * np.sqrt(2.0 / n)
    assert abs(stats.kurtosis(z)) < 4.5 * np.sqrt(24.0 / n)
    assert stats.kstest(z[:1_000_000], "norm").pvalue > 1e-4
    p_tail = 2 * stats.norm.sf(3.0)
    assert abs(np.mean(np.abs(z) > 3.0) - p_tail) < 4.5 * np.sqrt(p_tail / n)


def test_replica_streams_are_independent_and_replica_local():
    """Row r depends only on (seed, r) and the call count; rows are uncorrelated across
    replicas and across calls."""
    s_all = ReplicaStreams(7, range(6))
    s_one = ReplicaStreams(7, [4])
    for _ in range(3):
        a, b = s_all.standard_normal(5000), s_one.standard_normal(5000)
        assert _bits(a[4]) == _bits(b[0])
    z = ReplicaStreams(7, range(6)).standard_normal(20_000)
    c = np.corrcoef(np.vstack([z, ReplicaStreams(8, range(6)).standard_normal(20_000)]))
    off = np.abs(c - np.eye(12))
    assert off.max() < 4.5 / np.sqrt(20_000)


# ------------------------------------------------------------------- with and without numba
_SCRIPT = textwrap.dedent("""
    import hashlib, numpy as np
    from boundcheck.engine import RunConfig, run
    from boundcheck.problems import make_problem
    h = hashlib.sha256()
    for name, params, M, dtype in (("exptail-logistic", {"d": 70, "n": 90}, 4, "float64"),
                                   ("exptail-linear", {"d": 9, "n": 30}, 3, "float32"),
                                   ("quadratic-oracle", {"d": 20, "rank": 2}, 2, "float64")):
        p = make_problem(name, **params)
        res = run(p, RunConfig(algorithm="adagrad", option="I", T=60, batch_size=M, seeds=5, dtype=dtype))
        h.update(res.final_iterate.tobytes())
        for k in sorted(res.metrics):
            h.update(np.ascontiguousarray(res.metrics[k]).tobytes())
    print(h.hexdigest())
""")


@needs_numba
def test_engine_same_bits_with_and_without_numba():
    def digest(jit_flag: str) -> str:
        env = {**os.environ, "BOUNDCHECK_JIT": jit_flag}
        out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True,
                             timeout=600, check=True)
        return out.stdout.strip()

    assert digest("1") == digest("0")
