"""``lemmaC.2`` (Liu et al. 2025, Lemma C.2): minibatch variance ``E n_{t,j}^2 <= sigma_j^2 / M``.

At ``w_0 = 0``, for each M: Monte Carlo over the replicas' minibatches of ``sum_j n_j^2``
(t-interval) against ``||sigma||_2^2 / M``; on finite sums also the exact value
``sum_j Var_j / M`` (C.2 holds with equality there), from every per-sample gradient enumerated
through the problem's own sampler (:class:`boundcheck.sampling.EverySample`), and the worst
coordinate's ratio.
"""

from __future__ import annotations

import numpy as np

from boundcheck.problems.standard import CONVEX
from boundcheck.verify.check import Check, samples_vs_bound

#: Batch sizes of the check (variance reduction by M).
BATCHES = (1, 8, 64)
#: Draws per replica of the Monte Carlo.
DRAWS = 64
#: Largest n enumerated for the exact value.
ENUMERATE_LIMIT = 4096


def _plan(problem, Ts, Ms, seeds, seed):
    return [CHECK.cell(problem, M=int(M), T=0, seeds=int(seeds), seed=int(seed), eps=1e-8)
            for M in sorted(set(BATCHES) | set(Ms))]


def _compute(spec):
    from boundcheck.sampling import EverySample, ReplicaStreams
    from boundcheck.theory.lemmas import C2
    from boundcheck.verify import instances

    problem, assembly = instances.instance(spec["problem"])
    sigma = np.asarray(assembly.require("sigma", why="lemma C.2").value, dtype=np.float64)
    M, R = spec["M"], spec["seeds"]
    w = np.zeros((R, problem.d))
    full = np.asarray(problem.grad(w[:1]), dtype=np.float64)[0]
    streams = ReplicaStreams(spec["seed"], range(R))
    n2 = np.zeros((R, problem.d))
    for _ in range(DRAWS):
        g = np.asarray(problem.stochastic_grad(w, M, streams), dtype=np.float64)
        n2 += (g - full) ** 2
    n2 /= DRAWS  # per replica: mean over its draws of n_j^2 (independent across replicas)
    out = {"lemma": "C.2", "problem": instances.label(spec["problem"]), "d": int(problem.d), "T": spec["T"],
           "M": M, "seeds_requested": R, "context": "at w_0 = 0", "algorithm": None, "quantity": "sum_j E n_j^2",
           "samples": n2.sum(axis=1).tolist(), "n_diverged": 0, "bound": float(np.sum(sigma**2) / M),
           "coord_mean": n2.mean(axis=0).tolist(), "sigma_sq_over_M": (sigma**2 / M).tolist()}
    n = getattr(problem, "n", None)
    if n is not None and 0 < n <= ENUMERATE_LIMIT:
        per_sample = np.asarray(problem.stochastic_grad(np.zeros((n, problem.d)), 1, EverySample()),
                                dtype=np.float64)
        out["exact"] = float(np.sum(C2.exact(per_sample, M)))
    return out


def _summarise(spec, result, confidence):
    cm, b = np.asarray(result["coord_mean"]), np.asarray(result["sigma_sq_over_M"])
    ratios = np.where(b > 0, cm / np.where(b > 0, b, 1.0), 0.0)
    j = int(np.argmax(ratios))
    row = samples_vs_bound(CHECK, spec, result, confidence)
    notes = [row["note"]] if row.get("note") else []
    if "exact" in result:
        row["exact"] = result["exact"]
        inside = row["ci_low"] is not None and row["ci_low"] <= result["exact"] <= row["ci_high"]
        notes.insert(0, f"exact finite-sum value sum_j Var_j/M = {result['exact']:.4g} "
                        f"({'inside' if inside else 'OUTSIDE'} the interval)")
    row["max_coord_ratio"] = float(ratios[j])
    notes.append(f"worst coordinate j={j}: E n_j^2 / (sigma_j^2/M) = {ratios[j]:.3g}")
    row["note"] = "; ".join(notes)
    return row


CHECK = Check(id="lemmaC.2", lemma="C.2", title="minibatch variance sigma^2/M (Lemma C.2)",
              used_by="every theorem with minibatches", problems=(CONVEX,), plan=_plan, compute=_compute,
              summarise=_summarise)
