"""Measurement: how far rotations move ||L_opt||_1 and ||H||_{1,1} towards d lambda_max (issue 11).

For H = diag(exp(-tau j)), tau = 5/d (quadratic-oracle's spectrum; ||L_opt||_1 = tr H before any
rotation), prints per d: tr H / (d lambda_max) (the unrotated value), and over K Haar rotations
Q H Q^T the mean and largest ||L_opt||_1 / (d lambda_max) (certified primal of the fast solver,
its largest certified gap) and ||Q H Q^T||_{1,1} / (d lambda_max); then the same for blocks:4
rotations; then the worst rotation (a Householder Q sending the top eigenvector to the flat vector
1/sqrt(d)), which attains d lambda_max exactly (the dual point Y = 1 1^T). The supremum over
rotations is therefore d lambda_max; sampling finds only part of it.

    python benchmarks/rotation_norm11.py [--sizes 8,32,128] [--K 20]
"""

from __future__ import annotations

import argparse
import math
import os

import numpy as np

from boundcheck.constants.diagonal import optimal_diagonal
from boundcheck.problems.rotation import Rotation


def flat_rotation(d: int) -> np.ndarray:
    f = np.ones(d) / math.sqrt(d)
    v = np.eye(d)[0] - f
    v /= np.linalg.norm(v)
    return np.eye(d) - 2 * np.outer(v, v)


def measure(d: int, K: int, kind: str, k: int | None = None):
    h = np.exp(-(5.0 / d) * np.arange(d))
    top = d * h[0]
    Ls, Ns, gaps = [], [], []
    for seed in range(K):
        Q = Rotation(kind, d, seed, k).matrix()
        H = Q @ np.diag(h) @ Q.T
        H = 0.5 * (H + H.T)
        res = optimal_diagonal(H, solver="fast")
        Ls.append(res.primal / top)
        Ns.append(float(np.abs(H).sum()) / top)
        gaps.append(res.rel_gap)
    return h.sum() / top, np.array(Ls), np.array(Ns), max(gaps)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="8,32,128")
    ap.add_argument("--K", type=int, default=20)
    args = ap.parse_args(argv)
    load = lambda: "load %.2f" % os.getloadavg()[0]  # noqa: E731
    print("ratios to d lambda_max; H = diag(exp(-5 j/d)); K =", args.K)
    for d in [int(x) for x in args.sizes.split(",")]:
        for kind, k in (("haar", None), ("blocks", 4)):
            if kind == "blocks" and d < 4:
                continue
            base, L, N, gap = measure(d, args.K, kind, k)
            label = "haar" if kind == "haar" else f"blocks:{k}"
            print(f"d={d:4d} {label:9s} trH/(d lmax)={base:.4f}  L_opt: mean {L.mean():.4f} max {L.max():.4f}"
                  f"  H_norm11: mean {N.mean():.4f} max {N.max():.4f}  (gap <= {gap:.1e}; {load()})")
        h = np.exp(-(5.0 / d) * np.arange(d))
        Q = flat_rotation(d)
        res = optimal_diagonal(Q @ np.diag(h) @ Q.T, solver="fast")
        print(f"d={d:4d} worst     L_opt = {res.primal / (d * h[0]):.6f} of d lambda_max "
              f"(certified dual {res.dual / (d * h[0]):.6f}; {load()})")


if __name__ == "__main__":
    main()
