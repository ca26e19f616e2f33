"""``lemma(17)`` (Liu et al. 2025, identity (17), with the factor 2 the text lost), pathwise.

    ||g_t||^2_{Lambda_t^{-1}}  <=  2 tr(Lambda_t - Lambda_{t-1})      at every AdaGrad step

along AdaGrad (Option I if the problem has W, else II; ``eta = D_inf`` or 1) with the algorithm's
own pure steps; deterministic, so the verdict is ``holds`` iff every step of every replica
satisfies it (rounding allowance 1e-12 relative). The row's empirical value and bound are the
telescoped sums ``sum_t lhs_t`` and ``sum_t rhs_t`` (replica means); ``max_step_ratio`` and
``worst_step`` locate the tightest step. One T (the largest) is enough: every step is checked.
"""

from __future__ import annotations

import numpy as np

from boundcheck.problems.standard import CONVEX
from boundcheck.validation import InputError
from boundcheck.verify.check import Check, base_row

ALGORITHM = "adagrad"


def _plan(problem, Ts, Ms, seeds, seed):
    return [CHECK.cell(problem, T=int(max(Ts)), M=int(M), seeds=int(seeds), seed=int(seed), eps=1e-8)
            for M in Ms]


def _compute(spec):
    from boundcheck import registry
    from boundcheck.algorithms.projections import make_projector
    from boundcheck.sampling import ReplicaStreams
    from boundcheck.theory.lemmas import identity17
    from boundcheck.verify import instances

    problem, assembly = instances.instance(spec["problem"])
    T, M, R, eps = spec["T"], spec["M"], spec["seeds"], spec["eps"]
    option = "I" if problem.domain is not None else "II"
    eta = assembly.value("D_inf") or 1.0
    alg = registry.get("algorithm", ALGORITHM).build({"eps": eps})
    streams = ReplicaStreams(spec["seed"], range(R))
    projector = make_projector(problem.domain, np, np.float64) if option == "I" else None
    w = np.zeros((R, problem.d))
    state = alg.init(w, np)
    lhs_sum = np.zeros(R)
    rhs_sum = np.zeros(R)
    worst = (0.0, -1)  # (max ratio lhs/rhs over replicas, step)
    violations = 0
    for t in range(T):
        g = np.asarray(problem.stochastic_grad(w, M, streams), dtype=np.float64)
        lhs, rhs = identity17.slack(g, state.v)
        lhs_sum += lhs
        rhs_sum += rhs
        ratio = np.where(rhs > 0, lhs / np.where(rhs > 0, rhs, 1.0), np.where(lhs > 0, np.inf, 0.0))
        violations += int(np.sum(lhs > rhs * (1 + 1e-12)))
        r_max = float(np.max(ratio))
        if r_max > worst[0]:
            worst = (r_max, t)
        w, state = alg.update(w, g, state, eta, projector, np)
        if not np.all(np.isfinite(w)):
            raise InputError("lemma (17) check: the AdaGrad run diverged")
    return {"lemma": "(17)", "problem": instances.label(spec["problem"]), "d": int(problem.d), "T": T, "M": M,
            "seeds_requested": R, "context": f"AdaGrad {option}, eta = {eta:.4g}", "algorithm": ALGORITHM,
            "option": option, "quantity": "sum_t ||g_t||^2_{Lambda_t^-1}", "pathwise": True,
            "lhs_sum": lhs_sum.tolist(), "rhs_sum": rhs_sum.tolist(), "violations": violations,
            "max_step_ratio": worst[0], "worst_step": worst[1], "n_diverged": 0}


def _summarise(spec, result, confidence):
    row = base_row(CHECK, spec, result, confidence)
    lhs = np.asarray(result["lhs_sum"], float)
    rhs = np.asarray(result["rhs_sum"], float)
    row.update(seeds=int(lhs.size), empirical=float(lhs.mean()), bound=float(rhs.mean()),
               max_step_ratio=result["max_step_ratio"], worst_step=result["worst_step"],
               violations=result["violations"])
    row["ratio"] = row["empirical"] / row["bound"] if row["bound"] > 0 else None
    row["verdict"] = "holds" if result["violations"] == 0 else "violated"
    row["note"] = (f"pathwise, every step checked; tightest step t={result['worst_step']} "
                   f"(lhs/rhs = {result['max_step_ratio']:.4g}); violations: {result['violations']}")
    return row


CHECK = Check(id="lemma(17)", lemma="(17)", title="identity (17) at every AdaGrad step, pathwise",
              used_by="thmE.1, thm4.1, thmE.interp", problems=(CONVEX,), plan=_plan, compute=_compute,
              summarise=_summarise)
