"""Engine throughput (issue 3): batched replicas vs a straightforward per-replica loop.

W1 = AdaGrad (Option I) on exptail-logistic, n=8192, d=1000, M=32, R=64, T=2000, float64.
W2 = AdaGrad (Option I) on quadratic-oracle, d=1e5, R=32, T=1e4, M=1.
Reference: a plain per-replica Python loop (one replica at a time, NumPy per step) on W1,
timed on fewer steps and extrapolated linearly (said so in the output).

Prints wall time, replica-steps per second and the ratio. Problem construction and f*
(Newton) are setup, timed separately. Run: ``python benchmarks/engine.py [--full-w2]``.
Timings on a shared machine are noisy: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from boundcheck.engine import RunConfig, run
from boundcheck.problems import make_problem


def per_replica_loop(p, R: int, T: int, M: int, eta: float, eps: float, seed: int) -> float:
    """The straightforward version: for each replica, for each step, sample, gather,
    compute the logistic minibatch gradient and take an AdaGrad Option-I step."""
    X, y = p.features(), p.labels()
    A = y[:, None] * X
    lo, hi = p.domain.lower, p.domain.upper
    t0 = time.perf_counter()
    for r in range(R):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(r, 0)))
        w = np.zeros(p.d)
        v = np.full(p.d, eps * eps)
        wsum = np.zeros(p.d)
        for _ in range(T):
            idx = rng.integers(0, p.n, size=M)
            Ab = A[idx]
            m = Ab @ w
            g = -(1.0 / (1.0 + np.exp(m))) @ Ab / M + p.l2 * w
            wsum += w
            v += g * g
            w = np.clip(w - eta * g / np.sqrt(v), lo, hi)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full-w2", action="store_true", help="run W2 for all 1e4 steps (default: 1000, extrapolated)")
    ap.add_argument("--ref-steps", type=int, default=100, help="steps of the per-replica loop (extrapolated to T)")
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()}  (2-core machine shared with other jobs)")

    # ---------------------------------------------------------------- W1
    t0 = time.perf_counter()
    p = make_problem("exptail-logistic", d=1000, n=8192, l2=1e-3)
    _ = p.f_star, p.domain
    setup = time.perf_counter() - t0
    R, T, M = 64, 2000, 32
    cfg = RunConfig(algorithm="adagrad", option="I", T=T, batch_size=M, eta=1.0, seeds=R, seed=0)
    res = run(p, cfg)
    w1 = res.wall_time
    cps = len(res.checkpoints)
    print(f"W1 exptail-logistic n=8192 d=1000 M=32 R=64 T=2000 float64 (setup incl. f* {setup:.1f} s)")
    print(f"   batched engine : {w1:7.2f} s  {R * T / w1:12.0f} replica-steps/s"
          f"  ({cps} checkpoints, metrics: {', '.join(res.metrics)})")
    cfg_min = RunConfig(**{**cfg.__dict__, "metrics": ("avg_iterate_gap",), "checkpoints": [T]})
    w1m = run(p, cfg_min).wall_time
    print(f"   batched, 1 checkpoint: {w1m:7.2f} s  {R * T / w1m:12.0f} replica-steps/s")
    Tr = min(args.ref_steps, T)
    ref = per_replica_loop(p, R, Tr, M, 1.0, 1e-8, 0) * (T / Tr)
    print(f"   per-replica loop: {ref:7.2f} s  {R * T / ref:12.0f} replica-steps/s"
          f"  (EXTRAPOLATED from {Tr} of {T} steps per replica)")
    print(f"   speed-up batched vs per-replica loop: {ref / w1:.1f}x (1 checkpoint: {ref / w1m:.1f}x)")
    print(f"   target W1 <= 10 s: {'met' if w1 <= 10 else 'NOT met'}")

    # ---------------------------------------------------------------- W2
    q = make_problem("quadratic-oracle", d=100_000)
    R2, T2 = 32, 10_000
    steps = T2 if args.full_w2 else 1000
    cfg2 = RunConfig(algorithm="adagrad", option="I", T=steps, batch_size=1, eta=2.0, seeds=R2, seed=0,
                     metrics=("avg_iterate_gap", "last_iterate_gap", "trace_lambda", "g_sqrt_sum",
                              "noise_sqrt_sum", "mean_gap"))
    w2 = run(q, cfg2).wall_time
    tot = w2 * T2 / steps
    note = "" if steps == T2 else f"  (EXTRAPOLATED from {steps} of {T2} steps; --full-w2 runs all)"
    print(f"W2 quadratic-oracle d=1e5 R=32 T=1e4 float64: {tot:7.1f} s  {R2 * T2 / tot:10.0f} replica-steps/s{note}")
    # where W2's time goes: the Gaussian noise alone (R*d normals per step)
    from boundcheck.sampling import ReplicaStreams

    s = ReplicaStreams(0, range(R2))
    t0 = time.perf_counter()
    for _ in range(50):
        s.standard_normal(q.d)
    noise = (time.perf_counter() - t0) / 50
    print(f"   of which drawing R*d = {R2 * q.d:.1e} normals per step: {noise * 1e3:.1f} ms/step"
          f" = {noise * T2:.0f} s over T")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
