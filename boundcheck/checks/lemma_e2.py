"""``lemmaE.2`` (Liu et al. 2025, Lemma E.2) along Theorem 4.1's run.

    E sum_j sqrt(sum_{t<T} n_{t,j}^2)  <=  ||sigma||_1 sqrt(T/M)

measured on AdaGrad, Option I, ``eta = D_inf`` (Theorem 4.1's run; engine metric
``noise_sqrt_sum``); t-interval of the mean, verdict against the bound.
"""

from __future__ import annotations

import math

import numpy as np

from boundcheck.problems.standard import CONVEX
from boundcheck.validation import InputError
from boundcheck.verify.check import Check, samples_vs_bound, trajectory

THEOREM = "thm4.1"


def _plan(problem, Ts, Ms, seeds, seed):
    return [CHECK.cell(problem, T=int(T), M=int(M), seeds=int(seeds), seed=int(seed), eps=1e-8)
            for M in Ms for T in Ts]


def _compute(spec):
    from boundcheck.theory.theorem import get
    from boundcheck.verify import instances

    problem, assembly = instances.instance(spec["problem"])
    if problem.domain is None:
        raise InputError("lemma E.2 is checked along Thm 4.1's run (Option I), which needs a feasible set W")
    thm = get(THEOREM)
    sigma_norm1 = assembly.require("sigma_norm1", why="lemma E.2").value
    D_inf = assembly.require("D_inf", why="lemma E.2").value
    T, M = spec["T"], spec["M"]
    vals, ok = trajectory(problem, algorithm=thm.algorithm, option=thm.option, T=T, M=M, eta=D_inf,
                          eps=spec["eps"], seeds=spec["seeds"], seed=spec["seed"], metrics=["noise_sqrt_sum"])
    x = vals["noise_sqrt_sum"]
    ok &= np.isfinite(x)
    return {"lemma": "E.2", "problem": instances.label(spec["problem"]), "d": int(problem.d), "T": T, "M": M,
            "seeds_requested": spec["seeds"], "context": "thm4.1 run (AdaGrad I, eta = D_inf)",
            "algorithm": thm.algorithm, "quantity": "E sum_j sqrt(sum_t n_tj^2)", "samples": x[ok].tolist(),
            "n_diverged": int(np.sum(~ok)), "bound": sigma_norm1 * math.sqrt(T / M)}


def _summarise(spec, result, confidence):
    return samples_vs_bound(CHECK, spec, result, confidence)


CHECK = Check(id="lemmaE.2", lemma="E.2", title="noise sum along AdaGrad (Lemma E.2)",
              used_by="thm4.1", problems=(CONVEX,), plan=_plan, compute=_compute,
              summarise=_summarise)
