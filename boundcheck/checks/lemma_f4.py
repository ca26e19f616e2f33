"""``lemmaF.4`` (Liu et al. 2025, Lemma F.4) along Theorem 5.3's run.

    E tr(Lambda_{T-1})  <=  F.4's bound      (:data:`boundcheck.theory.lemmas.F4`)

measured on AdaGrad, Option II, with Theorem 5.3's step size (Theorem 4.3's when the problem
states no (L0, L1) of its own); engine metric ``trace_lambda``; t-interval, verdict against the
bound.
"""

from __future__ import annotations

import numpy as np

from boundcheck.problems.standard import NONCONVEX
from boundcheck.verify.check import Check, samples_vs_bound, trajectory


def _plan(problem, Ts, Ms, seeds, seed):
    return [CHECK.cell(problem, T=int(T), M=int(M), seeds=int(seeds), seed=int(seed), eps=1e-8)
            for M in Ms for T in Ts]


def _compute(spec):
    from boundcheck.theory.lemmas import F4
    from boundcheck.theory.theorem import get
    from boundcheck.verify import instances

    problem, assembly = instances.instance(spec["problem"])
    T, M, eps = spec["T"], spec["M"], spec["eps"]
    L0 = assembly.get("L0")
    own_l0l1 = L0 is not None and not L0.note  # stated or estimated, not (L, 0)
    thm = get("thm5.3" if own_l0l1 else "thm4.3")
    scalars, _ = instances.theorem_constants(thm, assembly)
    const = {**scalars, "T": T, "M": M, "d": problem.d, "eps": eps}
    eta = thm.step_size_function(const)(0)
    L0_norm1 = scalars["L0_norm1"] if own_l0l1 else scalars["L_norm1"]
    vals, ok = trajectory(problem, algorithm=thm.algorithm, option=thm.option, T=T, M=M, eta=eta, eps=eps,
                          seeds=spec["seeds"], seed=spec["seed"], metrics=["trace_lambda"])
    x = vals["trace_lambda"]
    ok &= np.isfinite(x)
    bound = F4.bound(problem.d, eps, eta, scalars["Delta"], L0_norm1, scalars["sigma_norm1"], T, M)
    return {"lemma": "F.4", "problem": instances.label(spec["problem"]), "d": int(problem.d), "T": T, "M": M,
            "seeds_requested": spec["seeds"], "context": f"{thm.id} run (AdaGrad II, eta = {eta:.4g})",
            "algorithm": thm.algorithm, "quantity": "E tr(Lambda_{T-1})", "samples": x[ok].tolist(),
            "n_diverged": int(np.sum(~ok)), "bound": float(bound)}


def _summarise(spec, result, confidence):
    return samples_vs_bound(CHECK, spec, result, confidence)


CHECK = Check(id="lemmaF.4", lemma="F.4", title="E tr(Lambda_{T-1}) along AdaGrad (Lemma F.4)",
              used_by="thm4.3, thm5.3", problems=(NONCONVEX,), plan=_plan, compute=_compute,
              summarise=_summarise)
