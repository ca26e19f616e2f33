"""``lemmaF.4`` (Liu et al. 2025, Lemma F.4) along Theorem 5.3's run: the step the theorem uses.

    E tr(Lambda_{T-1})  <=  eps x_bar

where ``eps x_bar`` is exactly the trace bound Theorems 4.3 / 5.3 are assembled from
(:func:`boundcheck.theory.proofs.adagrad_nonconvex.bound_parts`, key ``trace_bound``: F.4 via
Lemma G.4, ``x_bar = 2 C0 + 5 C1 ln(C1 + e)``), evaluated at the theorem's own constants and step
size, so the row traces the step the theorem's bound contains. (The lemma module's standalone
statement, :data:`boundcheck.theory.lemmas.F4`, is a separate derivation with other constants;
both hold and both are tested there.) Measured on AdaGrad, Option II, with Theorem 5.3's step
size (Theorem 4.3's when the problem states no (L0, L1) of its own); engine metric
``trace_lambda``; verdict as for a theorem row.
"""

from __future__ import annotations

import numpy as np

from boundcheck.problems.standard import NONCONVEX
from boundcheck.verify.check import Check, samples_vs_bound, trajectory


def _plan(problem, Ts, Ms, seeds, seed):
    return [CHECK.cell(problem, T=int(T), M=int(M), seeds=int(seeds), seed=int(seed), eps=1e-8)
            for M in Ms for T in Ts]


def trace_bound(theorem_id: str, const: dict) -> float:
    """The theorem's own bound on E tr(Lambda_{T-1}) (``bound_parts(...)["trace_bound"]``)."""
    import sympy as sp

    from boundcheck.theory.proofs import adagrad_nonconvex as nc
    from boundcheck.theory.symbols import by_name

    expr = (nc.PARTS_53 if theorem_id == "thm5.3" else nc.PARTS_43)["trace_bound"]
    subs = {s: const[s.name] for s in expr.free_symbols}
    return float(sp.N(expr.subs({k: sp.Float(v, 30) for k, v in subs.items()}), 20))


def _compute(spec):
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
    vals, ok = trajectory(problem, algorithm=thm.algorithm, option=thm.option, T=T, M=M, eta=eta, eps=eps,
                          seeds=spec["seeds"], seed=spec["seed"], metrics=["trace_lambda"])
    x = vals["trace_lambda"]
    ok &= np.isfinite(x)
    bound = trace_bound(thm.id, const)
    return {"lemma": "F.4", "problem": instances.label(spec["problem"]), "d": int(problem.d), "T": T, "M": M,
            "seeds_requested": spec["seeds"], "context": f"{thm.id} run (AdaGrad II, eta = {eta:.4g})",
            "algorithm": thm.algorithm, "quantity": "E tr(Lambda_{T-1})", "samples": x[ok].tolist(),
            "n_diverged": int(np.sum(~ok)), "bound": float(bound)}


def _summarise(spec, result, confidence):
    return samples_vs_bound(CHECK, spec, result, confidence)


CHECK = Check(id="lemmaF.4", lemma="F.4", title="E tr(Lambda_{T-1}) along AdaGrad (Lemma F.4)",
              used_by="thm4.3, thm5.3", problems=(NONCONVEX,), plan=_plan, compute=_compute,
              summarise=_summarise)
