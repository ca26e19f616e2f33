r"""Block versions of Assumptions 3.3 and 3.5 for Subset-Norm AdaGrad (issue 11), with numeric checks.

The block bounds ``thmSN.convex`` / ``thmSN.nonconvex`` (:mod:`boundcheck.theory.proofs.subset_norm`)
replace the anisotropic smoothness and noise of Liu, Pan, Zhang 2025 by their block forms for a
partition ``B_1 .. B_k`` of the coordinates (the partition of the run: the constants layer gives it
as ``partition``, the (d,) block labels, from the configured algorithm):

- **3.3-block** (block-scalar smoothness): ``-diag(L_B I_B) <= Hess f <= diag(L_B I_B)``. It *is*
  Assumption 3.3 with the block-constant vector ``L~_j = L_{B(j)}``, so the check expands the
  per-block ``L_blk`` on the partition and runs 3.3's own check (certified upper side from the
  smoothness matrix; convexity or sampled pairs for the lower side).
- **3.5-block** (block noise): ``E ||n_B(w; xi)||_2^2 <= sigma_B^2`` for every block and every w
  (a batch of M divides it by M). Weaker than 3.5 (only the block sums of ``E n_j^2`` are
  bounded). Checked by Monte Carlo at sampled points, per block, within 6 standard errors
  (as 3.5's check).

Both read ``partition`` plus the per-block vector (``L_blk`` / ``sigma_blk``); without a partition
(no configured algorithm) they are ``unchecked``.
"""

from __future__ import annotations

import numpy as np

from boundcheck import sampling
from boundcheck.theory.assumption import Assumption, CheckResult
from boundcheck.theory.assumptions import _points, _stochastic


def _labels_and_blocks(problem, c, name):
    labels = c.get("partition")
    values = c.get(name)
    if labels is None:
        return None, None, CheckResult("unchecked", "no partition given (block constants need the "
                                       "configured algorithm's partition)")
    if values is None:
        return None, None, CheckResult("unchecked", f"no per-block vector {name} given")
    labels = np.asarray(labels, dtype=float).reshape(-1)
    if labels.size != problem.d or np.any(labels != np.round(labels)) or labels.min() < 0:
        return None, None, CheckResult("violated", f"partition has {labels.size} labels; the problem has d={problem.d}")
    labels = labels.astype(np.int64)
    values = np.asarray(values, dtype=float).reshape(-1)
    if values.size != int(labels.max()) + 1:
        return None, None, CheckResult("violated", f"{name} has {values.size} entries for "
                                       f"{int(labels.max()) + 1} blocks")
    if np.any(~np.isfinite(values)) or np.any(values < 0):
        return None, None, CheckResult("violated", f"{name} must be finite and >= 0")
    return labels, values, None


def _check_block_smooth(problem, c, *, rng=None, samples=64):
    labels, LB, bad = _labels_and_blocks(problem, c, "L_blk")
    if bad is not None:
        return bad
    from boundcheck import registry

    res = registry.get("assumption", "3.3").check(problem, {"L": LB[labels]}, rng=rng, samples=samples)
    return CheckResult(res.status, f"3.3 with the block-constant vector L~_j = L_B(j) ({LB.size} blocks): "
                       + res.reason, res.details)


def _check_block_noise(problem, c, *, rng=None, samples=64):
    labels, sB, bad = _labels_and_blocks(problem, c, "sigma_blk")
    if bad is not None:
        return bad
    k = sB.size
    W = _points(problem, 4, sampling.generator(0))
    reps = max(samples, 512)
    worst = -np.inf
    witness = None
    try:
        for w in W:
            G = _stochastic(problem, np.repeat(w[None, :], reps, axis=0), rng)
            n2 = (G - problem.grad(w[None, :])[0]) ** 2  # (reps, d)
            blk = np.zeros((reps, k))
            np.add.at(blk.T, labels, n2.T)  # per-sample ||n_B||^2
            m, se = blk.mean(axis=0), blk.std(axis=0, ddof=1) / np.sqrt(reps)
            excess = (m - 6.0 * se) - sB**2 * (1 + 1e-9)
            b = int(np.argmax(excess))
            if excess[b] > worst:
                worst, witness = float(excess[b]), (b, float(m[b]), float(sB[b] ** 2))
    except (NotImplementedError, TypeError, AttributeError) as err:
        return CheckResult("unchecked", f"the problem's stochastic_grad could not be sampled ({err})")
    if worst > 0:
        b, m, s2 = witness
        return CheckResult("violated", f"E||n_B||^2 ~ {m:.4g} exceeds sigma_B^2 = {s2:.4g} for block {b} "
                           "by more than 6 standard errors")
    return CheckResult("holds", f"statistical: E||n_B||^2 <= sigma_B^2 within 6 s.e. for all {k} blocks at "
                       f"{len(W)} sampled points")


BUILTIN: tuple[Assumption, ...] = (
    Assumption(
        "3.3-block", "Block-scalar smoothness (Subset-Norm)",
        "Liu et al. 2025, Assumption 3.3 with L constant on each block (issue 11, thmSN.*)",
        r"-\mathrm{diag}(L_B I_B) \preceq \nabla^2 f(w) \preceq \mathrm{diag}(L_B I_B)\ \forall w,"
        r"\quad L_{\mathrm{blk},1} = \sum_B L_B",
        ("L_blk_norm1",), ("L_blk", "partition"), _check_block_smooth,
        notes="The constant in the bounds is sum_B L_B (one per block, not |B| per block): the step size is "
              "shared within a block, so a block-diagonal (non-scalar) smoothness matrix does not fit the proof."),
    Assumption(
        "3.5-block", "Block noise (Subset-Norm)",
        "Liu et al. 2025, Assumption 3.5 summed over blocks (issue 11, thmSN.*)",
        r"\mathbb E\|n_B(w;\xi)\|_2^2 \le \sigma_B^2\ \forall B,\ \forall w,"
        r"\quad \sigma_{\mathrm{blk},1} = \sum_B \sigma_B",
        ("sigma_blk_norm1",), ("sigma_blk", "partition"), _check_block_noise,
        notes="From Assumption 3.5, sigma_B = ||sigma_B||_2; sum_B sigma_B is ||sigma||_1 for singletons and "
              "||sigma||_2 for one block."),
)

__all__ = ["BUILTIN"]
