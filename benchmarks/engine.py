"""Engine throughput (issues 3 and 16): W1 and W2 against references measured in the same run.

W1 = AdaGrad (Option I) on exptail-logistic, n = 8192, d = 1000, M = 32, R = 64, T = 2000,
float64, the engine's default metrics (11 log-spaced checkpoints: f(w_t), f(w_bar_t),
grad f(w_t)). References, all on the same minibatch indices (the engine's streams):

- **floor**: the memory-bandwidth floor, measured here: a gather of the same R T M rows
  without arithmetic (each row read once and added into a per-replica buffer), as a compiled
  loop with the engine's thread count, and as ``np.take`` into a buffer; the faster one counts;
- **plain loop**: a straightforward per-replica NumPy loop (one replica at a time, BLAS
  GEMVs), timed on ``--ref-steps`` steps and extrapolated linearly (said so in the output);
- **JAX** (when importable; not a dependency): ``vmap`` over replicas + ``lax.scan`` over
  steps, jit-compiled, float64, computing the same checkpoint metrics; compile time is
  reported apart and the best of two warm runs counts.

W2 = AdaGrad (Option I) on quadratic-oracle, d = 1e5, R = 32, M = 1, the benchmark's metric set
(per step: f, grad f, the noise, sum g^2, sum n^2). Reference: the 0.1.0 engine's step
(per-replica PCG64 ziggurat normals, NumPy elementwise work), re-implemented here, on the
same number of steps.

Targets (issue 16): W1 <= 0.5x JAX and <= 1.5x the floor; W2 >= 4x faster than the 0.1.0 step.
Timings on a shared machine are noisy: the load average is printed with every figure, and the
references run interleaved with the engine.

    python benchmarks/engine.py [--ref-steps 100] [--w2-steps 200] [--threads N] [--no-jax]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

# Running this file puts benchmarks/ first on sys.path, where coverage.py (the interval study)
# would shadow the ``coverage`` package that numba imports: drop the script's folder.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import numpy as np  # noqa: E402

from boundcheck.engine import RunConfig, run  # noqa: E402
from boundcheck.problems import make_problem  # noqa: E402
from boundcheck.sampling import ReplicaStreams  # noqa: E402


def load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


# ------------------------------------------------------------------------------------ W1
def w1_indices(n: int, M: int, R: int, T: int) -> np.ndarray:
    """(T, R, M) minibatch indices: the engine's own streams (seed 0)."""
    s = ReplicaStreams(0, range(R))
    return np.stack([s.indices(n, M) for _ in range(T)])


def floor_numpy(A: np.ndarray, idx: np.ndarray) -> float:
    """Seconds to gather every minibatch row once (``np.take`` into a reused buffer)."""
    T, R, M = idx.shape
    buf = np.empty((R * M, A.shape[1]))
    flat = idx.reshape(T, R * M)
    t0 = time.perf_counter()
    for t in range(T):
        np.take(A, flat[t], axis=0, out=buf)
    return time.perf_counter() - t0


def floor_compiled(A: np.ndarray, idx: np.ndarray) -> float | None:
    """Seconds for a compiled gather of the same rows: each row read once and added into its
    replica's buffer (replicas over the engine's threads); None without numba."""
    from boundcheck.jit import numba_module

    nb = numba_module()
    if nb is None:
        return None

    @nb.njit(parallel=True, nogil=True)
    def gather(A, idx, out):
        T, R, M = idx.shape
        d = A.shape[1]
        for r in nb.prange(R):
            g = out[r]
            for t in range(T):
                for k in range(M):
                    a = A[idx[t, r, k]]
                    for j in range(d):
                        g[j] += a[j]

    out = np.zeros((idx.shape[1], A.shape[1]))
    gather(A, idx[:2], out)  # compile
    t0 = time.perf_counter()
    gather(A, idx, out)
    return time.perf_counter() - t0


def per_replica_loop(p, idx: np.ndarray, eta: float, eps: float) -> float:
    """The straightforward version: for each replica, for each step, gather, compute the
    logistic minibatch gradient with two GEMVs and take an AdaGrad Option-I step."""
    A = np.ascontiguousarray(p._A)
    lo, hi = p.domain.lower, p.domain.upper
    T, R, M = idx.shape
    t0 = time.perf_counter()
    for r in range(R):
        w = np.zeros(p.d)
        v = np.full(p.d, eps * eps)
        wsum = np.zeros(p.d)
        for t in range(T):
            Ab = A[idx[t, r]]
            m = Ab @ w
            g = -(1.0 / (1.0 + np.exp(m))) @ Ab / M + p.l2 * w
            wsum += w
            v += g * g
            w = np.clip(w - eta * g / np.sqrt(v), lo, hi)
    return time.perf_counter() - t0


def jax_reference(p, idx: np.ndarray, checkpoints, eta: float, eps: float):
    """(compile seconds, best warm seconds, final iterates) of the JAX version, or None when
    JAX is not importable. Same steps and the same checkpoint metrics as the engine."""
    try:
        import jax
        import jax.numpy as jnp
    except Exception:
        return None
    jax.config.update("jax_enable_x64", True)
    A = jnp.asarray(np.ascontiguousarray(p._A))
    lo, hi = jnp.asarray(p.domain.lower), jnp.asarray(p.domain.upper)
    l2, n = p.l2, p.n
    T, R, M = idx.shape

    def one(w, v, ii):
        Ab = A[ii]
        c = -1.0 / (1.0 + jnp.exp(Ab @ w))
        g = (c @ Ab) / M + l2 * w
        v = v + g * g
        return jnp.clip(w - eta * g / jnp.sqrt(v), lo, hi), v

    def step(carry, ii):
        w, v, sw = carry
        sw = sw + w
        w, v = jax.vmap(one)(w, v, ii)
        return (w, v, sw), None

    @jax.jit
    def segment(carry, ii):
        return jax.lax.scan(step, carry, ii)[0]

    @jax.jit
    def metrics(w, v, sw, cnt):
        def f(W):
            m = W @ A.T
            return jnp.mean(jnp.logaddexp(0.0, -m), axis=1) + 0.5 * l2 * jnp.sum(W * W, axis=1), m
        fw, m = f(w)
        fb, _ = f(sw / cnt)
        G = (-1.0 / (1.0 + jnp.exp(m))) @ A / n + l2 * w
        return fw, fb, jnp.sum(jnp.abs(G), 1) ** 2, jnp.sum(G * G, 1), jnp.sum(jnp.sqrt(v), 1)

    segs = [(a, b) for a, b in zip([0, *checkpoints[:-1]], checkpoints)]
    idx_j = jnp.asarray(idx)

    def go():
        w = jnp.zeros((R, p.d))
        v = jnp.full((R, p.d), eps * eps)
        sw = jnp.zeros((R, p.d))
        out = []
        for a, b in segs:
            w, v, sw = segment((w, v, sw), idx_j[a:b])
            out.append(metrics(w, v, sw, float(b)))
        jax.block_until_ready(out)
        return np.asarray(w)

    t0 = time.perf_counter()
    go()
    first = time.perf_counter() - t0
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        w = go()
        times.append(time.perf_counter() - t0)
    best = min(times)
    return first - best, best, w


def bench_w1(args) -> None:
    t0 = time.perf_counter()
    p = make_problem("exptail-logistic", d=1000, n=8192, l2=1e-3)
    _ = p.f_star, p.domain
    setup = time.perf_counter() - t0
    R, T, M = 64, 2000, 32
    cfg = RunConfig(algorithm="adagrad", option="I", T=T, batch_size=M, eta=1.0, seeds=R, seed=0)
    idx = w1_indices(p.n, M, R, T)
    A = np.ascontiguousarray(p._A)
    print(f"W1 exptail-logistic n=8192 d=1000 M=32 R=64 T=2000 float64 (setup incl. f* {setup:.1f} s)  [{load()}]")
    run(make_problem("exptail-logistic", d=16, n=64), RunConfig(T=2, seeds=8, batch_size=2))  # compile/load kernels

    res = run(p, cfg)
    eng = res.wall_time
    print(f"   engine          : {eng:7.2f} s  {R * T / eng:10.0f} replica-steps/s  ({len(res.checkpoints)} "
          f"checkpoints, metrics: {', '.join(res.metrics)})  [{load()}]")
    fl_c = floor_compiled(A, idx)
    fl_n = floor_numpy(A, idx)
    fl = min(x for x in (fl_c, fl_n) if x is not None)
    fc = "n/a (no numba)" if fl_c is None else f"{fl_c:.2f} s"
    print(f"   floor (gather)  : {fl:7.2f} s  (compiled {fc}, np.take {fl_n:.2f} s; "
          f"{8 * R * T * M * p.d / fl / 1e9:.1f} GB/s)  [{load()}]")
    Tr = min(args.ref_steps, T)
    loop = per_replica_loop(p, idx[:Tr], 1.0, 1e-8) * (T / Tr)
    print(f"   plain loop      : {loop:7.2f} s  (EXTRAPOLATED from {Tr} of {T} steps)  [{load()}]")
    jx = None if args.no_jax else jax_reference(p, idx, [int(c) for c in res.checkpoints], 1.0, 1e-8)
    if jx is None:
        print("   JAX             :     n/a (not importable; pip install jax jaxlib to compare)")
    else:
        comp, best, wj = jx
        agree = float(np.max(np.abs(wj - res.final_iterate)))
        print(f"   JAX             : {best:7.2f} s  (compile {comp:.1f} s; final iterates agree to {agree:.1e})"
              f"  [{load()}]")
    res2 = run(p, cfg)
    eng = min(eng, res2.wall_time)
    print(f"   engine (again)  : {res2.wall_time:7.2f} s  [{load()}]")
    print(f"   ratios (best engine {eng:.2f} s): engine/floor {eng / fl:.2f} (target <= 1.5), "
          f"engine/plain loop {eng / loop:.2f}" + ("" if jx is None else
                                                   f", engine/JAX {eng / jx[1]:.2f} (target <= 0.5)"))


# ------------------------------------------------------------------------------------ W2
W2_METRICS = ("avg_iterate_gap", "last_iterate_gap", "trace_lambda", "g_sqrt_sum", "noise_sqrt_sum", "mean_gap")


def legacy_w2(q, R: int, T: int, eta: float, eps: float) -> float:
    """Seconds for T steps of the 0.1.0 engine's work on W2 (AdaGrad Option I, M = 1): per
    replica a PCG64 ziggurat draw of d normals, then NumPy elementwise: g = H(w - w*) + sigma
    xi, f(w), the sums of w, g^2 and (g - grad f)^2, the step, the clip, the divergence guard."""
    gens = [np.random.Generator(np.random.PCG64(np.random.SeedSequence(0, spawn_key=(r, 1)))) for r in range(R)]
    d = q.d
    h, ws, sig = q.h, q.w_star, q.sigma
    w = np.zeros((R, d))
    v = np.full((R, d), eps * eps)
    sw, ag, an = np.zeros((R, d)), np.zeros((R, d)), np.zeros((R, d))
    fsum = np.zeros(R)
    t0 = time.perf_counter()
    for _ in range(T):
        z = np.empty((R, d))
        for k, g in enumerate(gens):
            g.standard_normal(size=d, out=z[k])
        z *= sig
        Dw = w - ws
        G = h * Dw
        z += G
        gk = z
        sw += w
        fsum += 0.5 * np.sum(Dw * G, axis=-1)
        ag += gk * gk
        nz = gk - G
        an += nz * nz
        vn = gk * gk
        vn += v
        st = gk / np.sqrt(vn)
        st *= eta
        y = np.clip(w - st, -1.0, 1.0)
        ok = (np.max(y, axis=-1) <= 1e150) & (np.min(y, axis=-1) >= -1e150) & np.isfinite(np.sum(vn, axis=-1))
        if ok.all():
            w, v = y, vn
    return time.perf_counter() - t0


def bench_w2(args) -> None:
    q = make_problem("quadratic-oracle", d=100_000)
    R2, steps = 32, args.w2_steps
    cfg2 = RunConfig(algorithm="adagrad", option="I", T=steps, batch_size=1, eta=2.0, seeds=R2, seed=0,
                     metrics=W2_METRICS)
    print(f"W2 quadratic-oracle d=1e5 R=32 M=1 float64, {steps} steps  [{load()}]")
    run(q, RunConfig(**{**cfg2.__dict__, "T": 2}))  # compile/load kernels
    times_e, times_l = [], []
    for _ in range(2):  # interleaved
        times_e.append(run(q, cfg2).wall_time)
        times_l.append(legacy_w2(q, R2, steps, 2.0, 1e-8))
        print(f"   engine {times_e[-1] / steps * 1e3:6.1f} ms/step   0.1.0 step {times_l[-1] / steps * 1e3:6.1f} "
              f"ms/step  [{load()}]")
    e, lg = min(times_e), min(times_l)
    print(f"   speed-up vs 0.1.0: {lg / e:.1f}x (target >= 4)   T = 1e4 would take {e / steps * 1e4:.0f} s")
    s = ReplicaStreams(0, range(R2))
    s.standard_normal(q.d)
    t0 = time.perf_counter()
    for _ in range(20):
        s.standard_normal(q.d)
    noise = (time.perf_counter() - t0) / 20
    print(f"   of which the R*d = {R2 * q.d:.1e} normals per step: {noise * 1e3:.1f} ms/step  [{load()}]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref-steps", type=int, default=100, help="steps of the plain loop (extrapolated to T)")
    ap.add_argument("--w2-steps", type=int, default=200, help="steps of W2 (engine and 0.1.0 reference)")
    ap.add_argument("--threads", type=int, default=None, help="threads of the engine's kernels (default: BOUNDCHECK_THREADS, else 1)")
    ap.add_argument("--no-jax", action="store_true", help="skip the JAX reference even when JAX is importable")
    ap.add_argument("--only", choices=("w1", "w2"), default=None)
    args = ap.parse_args()
    from boundcheck import jit

    if args.threads is not None:
        jit.set_threads(args.threads)
    nb = jit.numba_module()
    threads = nb.get_num_threads() if nb is not None else 1
    print(f"compiled kernels: {'numba ' + nb.__version__ if nb else 'off (NumPy references)'}, "
          f"{threads} thread(s); 2-core machine shared with other jobs  [{load()}]")
    if args.only in (None, "w1"):
        bench_w1(args)
    if args.only in (None, "w2"):
        bench_w2(args)
    print(f"[{load()}]")


if __name__ == "__main__":
    main()
