"""Coverage study of one-sided limits for a mean at small R (issue 13).

Chooses the interval method of :mod:`boundcheck.verify.intervals`. For each distribution and
each R in {8, 32, 128} it draws ``sims`` samples of R values, computes the one-sided *upper*
limit of the mean with each method, and reports the fraction of samples whose limit is at or
above the true mean (the coverage), at the nominal levels 0.995 (``boundcheck verify``'s
default: confidence 0.99, each side 0.005) and 0.95. A second table gives the coverage of the
*lower* limit of the method that decides ``violated`` (Student-t), on the same distributions
and on their mirror images (left-skewed), and the last column of the first table the mean
width ``U - mean`` relative to Student-t's.

Distributions: lognormal(0, 1), gamma(shape 0.5), Pareto with tail index 3 (``x_m = 1``),
and the project's own per-replica values, generated here by the engine (no data committed):
Theorem 4.1 (AdaGrad) and D.1 (SGD) optimality gaps on ``sklearn:breast_cancer`` (logistic,
l2 = 0.01, M = 1, T = 100), and the squared-mean quantity of Theorem 4.3 on the same data
(``(E Y)^2``: the limits of ``E Y`` squared). A project pool of 2048 replicas is the population:
samples are drawn from it with replacement and its mean is the true mean.

Done when (issue 13): the chosen upper method's coverage at R = 32 is within 1 percentage
point of nominal, or above it, on every distribution. The script prints that check.

    python benchmarks/coverage.py            # ~2-3 minutes on an idle core
    python benchmarks/coverage.py --full     # 10x the simulations, B = 1999 resamples
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from boundcheck.verify import intervals

LEVELS = (0.995, 0.95)
RS = (8, 32, 128)
UPPER_METHODS = ("student-t", "bca", "bootstrap-t", "cantelli")
CHOSEN = intervals.UPPER_METHOD
LOWER = intervals.LOWER_METHOD


def synthetic():
    """name -> (sampler(rng, shape), true mean, transform for the squared-mean form or None)."""
    return {
        "lognormal(0,1)": (lambda rng, shape: rng.lognormal(0.0, 1.0, size=shape), float(np.exp(0.5))),
        "gamma(0.5)": (lambda rng, shape: rng.gamma(0.5, 1.0, size=shape), 0.5),
        "Pareto(3)": (lambda rng, shape: rng.pareto(3.0, size=shape) + 1.0, 1.5),
    }


def project_pools(n: int = 2048) -> dict:
    """Per-replica samples of the current engine (see module docstring)."""
    from boundcheck.verify import cells, instances, plan

    prob = instances.data_spec("sklearn:breast_cancer", "logistic", 0.01)
    specs = plan.verify_plan(["thm4.1", "thmD.1", "thm4.3"], problem=prob, Ts=[100], Ms=[1], seeds=n, seed=0)
    out = {}
    for o in cells.execute(specs):
        if o.result is None or "samples" not in o.result:
            raise RuntimeError(f"engine cell failed: {o.failure or o.result}")
        x = np.asarray(o.result["samples"], dtype=np.float64)
        name = {"thm4.1": "gap thm4.1 (bc, M=1)", "thmD.1": "gap thmD.1 (bc, M=1)",
                "thm4.3": "(E Y)^2 thm4.3 (bc, M=1)"}[o.spec["theorem"]]
        out[name] = x
    return out


def upper(x, alpha, name, B):
    if name == "bootstrap-t":
        return intervals.bootstrap_t_upper(x, alpha, n_resamples=B)
    if name == "bca":
        return np.concatenate([intervals.bca_limit(x[i:i + 200], alpha, "upper", n_resamples=B)
                               for i in range(0, x.shape[0], 200)])
    return intervals.upper_limit(x, alpha, name)


def skewness(x) -> float:
    x = np.asarray(x, float)
    return float(np.mean((x - x.mean()) ** 3) / x.std() ** 3)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", action="store_true", help="10x the simulations and B = 1999 resamples")
    ap.add_argument("--sims", type=int, default=None, help="simulations per cell (default 2000; --full 20000)")
    ap.add_argument("--no-project", action="store_true", help="skip the engine's own samples")
    args = ap.parse_args(argv)
    sims = args.sims or (20000 if args.full else 2000)
    B = 1999 if args.full else 999
    t_start = time.perf_counter()
    print(f"load average at start: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"simulations per cell: {sims}; bootstrap resamples: {B}; seed 0\n")

    dists = {}
    for name, (draw, mu) in synthetic().items():
        dists[name] = (draw, mu, False)
    if not args.no_project:
        t0 = time.perf_counter()
        for name, pool in project_pools().items():
            sq = name.startswith("(E Y)^2")
            draw = (lambda pool: (lambda rng, shape: pool[rng.integers(0, pool.size, size=shape)]))(pool)
            dists[name] = (draw, float(pool.mean()), sq)
            print(f"  pool {name}: 2048 replicas, skewness {skewness(pool):.2f}")
        print(f"  (engine pools: {time.perf_counter() - t0:.1f} s)\n")

    rng = np.random.default_rng(0)
    rows, lower_rows = [], []
    for name, (draw, mu, sq) in dists.items():
        for R in RS:
            x = draw(rng, (sims, R))
            res = {}
            t_u = {a: intervals.student_t_upper(x, a) for a in (0.005, 0.05)}
            for meth in UPPER_METHODS:
                for level in LEVELS:
                    a = 1.0 - level
                    u = upper(x, a, meth, B)
                    if sq:  # (E Y)^2 with Y >= 0: the event {U >= mu} is {max(U,0)^2 >= mu^2}
                        cov = np.mean(np.maximum(u, 0.0) ** 2 >= mu * mu)
                    else:
                        cov = np.mean(u >= mu)
                    m = x.mean(axis=1)
                    width = float(np.mean(u - m) / np.mean(t_u[round(a, 3)] - m))
                    res[(meth, level)] = (float(cov), width)
            rows.append((name, R, res))
            lo = {}
            for sign, label in ((1, name), (-1, f"-({name})")):
                if sq and sign < 0:
                    continue
                for level in LEVELS:
                    low = intervals.lower_limit(sign * x, 1.0 - level, LOWER)
                    lo[(label, level)] = float(np.mean(low <= sign * mu))
            lower_rows.append((name, R, lo))

    # ---------------------------------------------------------------- report
    for level in LEVELS:
        se = np.sqrt(level * (1 - level) / sims)
        print(f"UPPER limit coverage, nominal {level} (one-sided; simulation s.e. {se:.4f}); "
              f"width = mean (U - mean) / Student-t's")
        print(f"{'distribution':28s} {'R':>4s} " + " ".join(f"{m:>12s}" for m in UPPER_METHODS)
              + f" {'width(' + CHOSEN + ')':>16s}")
        for name, R, res in rows:
            cells_ = " ".join(f"{res[(m, level)][0]:12.4f}" for m in UPPER_METHODS)
            print(f"{name:28s} {R:4d} {cells_} {res[(CHOSEN, level)][1]:16.2f}")
        print()
    print(f"LOWER limit coverage of {LOWER} (decides 'violated'; '-(...)' = mirrored, left-skewed)")
    print(f"{'distribution':30s} {'R':>4s} " + " ".join(f"{'nominal ' + str(lv):>14s}" for lv in LEVELS))
    for name, R, lo in lower_rows:
        for label in sorted({k[0] for k in lo}, key=lambda s: s.startswith("-")):
            print(f"{label:30s} {R:4d} " + " ".join(f"{lo[(label, lv)]:14.4f}" for lv in LEVELS))
    print()

    ok = True
    for name, R, res in rows:
        if R != 32:
            continue
        for level in LEVELS:
            cov = res[(CHOSEN, level)][0]
            if cov < level - 0.01:
                ok = False
                print(f"FAIL: {CHOSEN} at R=32 on {name}: coverage {cov:.4f} < nominal {level} - 0.01")
    print(f"done-when (chosen upper method '{CHOSEN}' within 1 point of nominal or above, at R = 32, "
          f"every distribution, both levels): {'MET' if ok else 'NOT MET'}")
    print(f"elapsed {time.perf_counter() - t_start:.0f} s; load average at end: "
          f"{os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
