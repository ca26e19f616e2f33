"""Benchmark: the certified fast diagonal solver vs CVXPY (issue 4).

One run prints, for an exponential-spectrum Wishart matrix ``H = X^T X / n`` (``n = 2 d``,
column j of X scaled by ``exp(-tau j / 2)`` with ``tau = 5 / d``: an exponential tail as
in Assumption B.2), the fast solver's wall time and certified relative gap at
d = 200, 1000, 2000, and CVXPY + SCS's time (and certified gap) at d = 200, with the ratio.

Targets on the 2-core machine: gap <= 1e-6; d = 1000 in <= 10 s; d = 2000 in <= 60 s.
Timings are wall-clock and noisy when other jobs share the cores; the load average is
printed with them.

    python benchmarks/diagonal.py [--sizes 200,1000,2000] [--no-cvxpy]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from boundcheck.constants.diagonal import optimal_diagonal


def wishart_exptail(d: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = 2 * d
    X = rng.standard_normal((n, d)) * np.exp(-(5.0 / d) * np.arange(1, d + 1) / 2)
    H = X.T @ X / n
    return 0.5 * (H + H.T)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200,1000,2000")
    ap.add_argument("--cvxpy-d", type=int, default=200)
    ap.add_argument("--no-cvxpy", action="store_true")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"load average before: {os.getloadavg()}  (2 cores shared; timings are noisy)")
    print(f"{'solver':<16}{'d':>6}{'seconds':>10}{'rel_gap':>12}{'status':>10}{'target':>10}")
    fast_times = {}
    targets = {1000: 10.0, 2000: 60.0}
    for d in sizes:
        H = wishart_exptail(d)
        t0 = time.perf_counter()
        r = optimal_diagonal(H, solver="fast")
        sec = time.perf_counter() - t0
        fast_times[d] = sec
        ok = "ok" if (r.rel_gap <= 1e-6 and sec <= targets.get(d, float("inf"))) else "MISS"
        print(f"{'fast':<16}{d:>6}{sec:>10.2f}{r.rel_gap:>12.2e}{r.status:>10}{ok:>10}")
    if not args.no_cvxpy:
        d = args.cvxpy_d
        H = wishart_exptail(d)
        t0 = time.perf_counter()
        r = optimal_diagonal(H, solver="cvxpy", cvxpy_solver="SCS")
        sec = time.perf_counter() - t0
        print(f"{'cvxpy-SCS':<16}{d:>6}{sec:>10.2f}{r.rel_gap:>12.2e}{r.status:>10}{'-':>10}")
        if d not in fast_times:
            t0 = time.perf_counter()
            optimal_diagonal(H, solver="fast")
            fast_times[d] = time.perf_counter() - t0
        print(f"ratio cvxpy-SCS / fast at d = {d}: {sec / fast_times[d]:.1f}x")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
