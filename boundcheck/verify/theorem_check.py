"""Theorem checks: the explicit bound next to the measured quantity, with an interval.

One cell = one theorem x problem x T x M x R replicas x seed. Computing it (``compute``):

1. build the problem and its constants (:mod:`boundcheck.verify.instances`);
2. check the theorem's assumptions and proof conditions on the problem; a violated one
   refuses the cell with the reason (never silently used);
3. evaluate the theorem's step-size rule on the constants (a schedule ``eta_t`` when the
   rule depends on t) and run the theorem's algorithm/option from ``w_0 = 0`` on R seeded
   replicas (:mod:`boundcheck.engine`);
4. keep the per-replica samples of the theorem's exact quantity at checkpoint T
   (:mod:`boundcheck.verify.quantities`) and the explicit bound.

Summarising (``summarise``, at report time) forms the interval (:mod:`.stats`), the ratio
empirical / bound and the verdict:

- a constant bound B: ``holds`` iff the interval of the quantity lies below B;
- a bound containing a measured expectation (Theorem E.1: ``G = E sum_j sqrt(sum_t
  g_{t,j}^2)``): the bound is affine in G, ``B = a G + b``, and the quantity is a mean, so
  ``quantity - bound = E[Y_r - (a G_r + b)]``; the verdict is decided on the paired
  per-replica differences ``D_r = Y_r - B_r`` (t-interval of ``E D``: ``holds`` iff it lies
  below 0). Pairing accounts for the noise on both sides at once;
- an O-form-only (cited) theorem: the empirical value with bound null, verdict
  ``inconclusive`` and the note "O-form only" (never ``holds``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from boundcheck.verify import cells, instances, quantities
from boundcheck.verify.stats import mean_interval, verdict

KIND = "theorem"

#: Bound symbols that stand for a measured expectation -> the engine metric measuring it
#: per replica at checkpoint T (the bound is then evaluated per replica and paired).
MEASURED_SYMBOLS = {"G_sum": "g_sqrt_sum"}

#: Default AdaGrad epsilon of the checks (v_{-1} = eps^2).
DEFAULT_EPS = 1e-8


def spec(theorem_id: str, problem: dict, *, T: int, M: int, seeds: int, seed: int,
         eps: float = DEFAULT_EPS, eta: float | None = None) -> dict:
    """The cell specification of one theorem check (everything that determines the result).

    ``eta`` is used only by theorems whose step size is a free constant (Theorem E.1: "any
    constant eta > 0"); None then means ``eta = D_inf``, Theorem 4.1's step size, so that the
    E.1 row on 4.1's default problem is the first step of 4.1's proof measured on the same
    run (E.1 -> Minkowski + Lemma E.2 -> G.1 + smoothness -> 4.1): the lemma rows and the
    two theorem rows then show which step loses the most.
    """
    from boundcheck.theory.theorem import get

    thm = get(theorem_id)
    out = {"kind": KIND, "theorem": thm.id, "algorithm": thm.algorithm, "option": thm.option,
           "problem": problem, "T": int(T), "M": int(M), "seeds": int(seeds), "seed": int(seed),
           "eps": float(eps), "init": "zeros"}
    if _free_eta(thm):
        out["eta"] = None if eta is None else float(eta)
    return out


def _free_eta(thm) -> bool:
    import sympy as sp

    return thm.step_size is not None and "eta" in {s.name for s in sp.sympify(thm.step_size).free_symbols}


def _bound_free_symbols(thm) -> set[str]:
    import sympy as sp

    if thm.explicit is None:
        return set()
    return {s.name for s in sp.sympify(thm.explicit).free_symbols}


def _bound_function(thm, const: dict, measured: list[str]):
    """The explicit bound as a fast function of the measured symbols, every other constant
    substituted. Checked against :meth:`Theorem.evaluate` at two points (so the fast path can
    never silently differ from the theory layer's evaluation)."""
    import sympy as sp

    from boundcheck.theory.symbols import by_name

    expr = sp.sympify(thm.explicit)
    syms = [by_name(m) for m in measured]
    subs = {s: const[s.name] for s in expr.free_symbols if s.name in const and s.name not in measured}
    f = sp.lambdify(syms, expr.subs(subs), "math")
    for x in (1.0, 10.0):
        ref = thm.evaluate({**const, **{m: x for m in measured}})["explicit"]
        got = float(f(*([x] * len(syms))))
        if not math.isclose(got, ref, rel_tol=1e-9, abs_tol=1e-300):
            return lambda *v: thm.evaluate({**const, **dict(zip(measured, v))})["explicit"]
    return lambda *v: float(f(*v))


def compute(spec: dict) -> dict:
    from boundcheck.engine import RunConfig, run
    from boundcheck.theory.theorem import get

    thm = get(spec["theorem"])
    T, M, R, S, eps = spec["T"], spec["M"], spec["seeds"], spec["seed"], spec["eps"]
    problem, scalars, vectors, cert = instances.instance(spec["problem"])
    extra_checks = []
    if "L_star_norm1" in thm.required() or "sigma_star_norm1" in thm.required():
        from boundcheck.verify import interpolation

        star = interpolation.least_squares_star_constants(problem)
        vectors.update(star)
        scalars.update(instances.norms(star))
        ratio = interpolation.expected_smoothness_ratio(problem.features(), star["L_star"])
        if ratio > 1 + 1e-12:  # cannot happen for the closed form; guards the derivation
            from boundcheck.validation import InputError

            raise InputError(f"{thm.id}: closed-form L_* fails Assumption E.4 (max_i s_i = {ratio:.6g} > 1)")
        extra_checks.append({"id": "E.4", "status": "holds",
                             "reason": f"closed-form L_* for least squares: max_i sum_j x_ij^2/L*_j = {ratio:.4g} <= 1"})
    const = {**scalars, "T": T, "M": M, "d": problem.d, "eps": eps}
    generalized_from_L = False
    if ({"L0_norm1", "L1_norminf"} & set(thm.required())) and "L0" not in vectors and "L" in vectors:
        # Assumption 5.1 with L0 = L, L1 = 0 is exactly Assumption 3.3 (Liu et al. 2025, Sec. 5):
        # a problem that states only L satisfies 5.1 with these vectors (checked below).
        vectors["L0"], vectors["L1"] = vectors["L"], np.zeros_like(vectors["L"])
        scalars.update(instances.norms({"L0": vectors["L0"], "L1": vectors["L1"]}))
        const.update(L0_norm1=scalars["L0_norm1"], L1_norminf=scalars["L1_norminf"])
        generalized_from_L = True
    extra = {}
    if {"L0", "L1"} <= set(thm.required()) and "L_norminf" in scalars:
        # Scalar (L0, L1) of eq. (8) for the cited AdaGrad-Norm result: Assumption 3.3 gives
        # -diag(L) <= Hess f <= diag(L), so ||grad f(w) - grad f(w')||_2 <= ||L||_inf ||w - w'||_2:
        # eq. (8) holds with L0 = ||L||_inf, L1 = 0 on every problem satisfying 3.3.
        const["L0"], const["L1"] = scalars["L_norminf"], 0.0
        extra = {"L0_scalar": const["L0"], "L1_scalar": const["L1"]}
    checks = instances.check_assumptions(thm, problem, vectors, scalars, extra)
    if extra_checks:
        checks = [c for c in checks if c["id"] not in {e["id"] for e in extra_checks}] + extra_checks
    if "eta" in spec:
        const["eta"] = spec["eta"] if spec["eta"] is not None else scalars["D_inf"]

    eta_of = thm.step_size_function(const)
    etas = np.array([eta_of(t) for t in range(T)], dtype=np.float64)
    if not np.all(np.isfinite(etas)) or np.any(etas <= 0):
        from boundcheck.validation import InputError

        raise InputError(f"{thm.id}: the step-size rule gives a non-positive or non-finite step on "
                         f"{instances.label(spec['problem'])}")
    q = quantities.get(thm.quantity_id)
    measured = {s: MEASURED_SYMBOLS[s] for s in _bound_free_symbols(thm) if s in MEASURED_SYMBOLS}
    metrics = sorted({q.metric, *measured.values()})
    cfg = RunConfig(algorithm=thm.algorithm, option=thm.option, T=T, batch_size=M, eta=float(etas[0]),
                    schedule=etas, eps=eps, seeds=R, seed=S, init=spec.get("init", "zeros"),
                    checkpoints=[T], metrics=metrics)
    res = run(problem, cfg)
    ok = ~np.asarray(res.diverged, dtype=bool)
    values = np.asarray(res.metrics[q.metric][-1], dtype=np.float64)
    ok &= np.isfinite(values)
    samples = q.samples(values[ok])

    result: dict[str, Any] = {
        "theorem": thm.id, "algorithm": thm.algorithm, "option": thm.option,
        "problem": instances.label(spec["problem"]), "d": int(problem.d), "T": T, "M": M,
        "seeds_requested": R, "quantity": thm.quantity_id, "samples": samples.tolist(),
        "n_diverged": int(R - np.sum(ok)), "step_size": {"t=0": float(etas[0]), "t=T-1": float(etas[-1])},
        "constants": {k: v for k, v in const.items() if isinstance(v, (int, float))},
        "constants_source": cert.get("source"), "assumptions": checks,
        "o_form_only": bool(thm.o_form_only or thm.explicit is None),
        "generalized_from_L": generalized_from_L,
        "convex_problem_nonconvex_theorem": bool(problem.convex and "3.1" not in thm.assumptions),
    }
    if thm.option == "II" and problem.domain is not None and getattr(problem, "loss_name", None) == "squared":
        # sigma of a squared loss is certified over W only (the residual is unbounded outside)
        final = np.asarray(res.final_iterate, dtype=np.float64)[ok]
        left = int(sum(not problem.domain.contains(w, tol=1e-12) for w in final))
        result["left_W"] = left
    if result["o_form_only"]:
        result["bound"] = None
        result["terms"] = {}
        return result
    if not measured:
        ev = thm.evaluate(const)
        result["bound"] = ev["explicit"]
        result["terms"] = {k: v for k, v in ev["terms"].items() if isinstance(v, (int, float))}
        return result
    # A bound containing measured expectations: evaluate it per replica (same replicas).
    meas_vals = {s: np.asarray(res.metrics[m][-1], dtype=np.float64)[ok] for s, m in measured.items()}
    bound_of = _bound_function(thm, const, list(measured))
    per_rep = [bound_of(*(float(v[r]) for v in meas_vals.values())) for r in range(int(np.sum(ok)))]
    ev = thm.evaluate({**const, **{s: float(np.mean(v)) for s, v in meas_vals.items()}})
    result["bound_samples"] = per_rep
    result["bound"] = float(np.mean(per_rep)) if per_rep else None
    result["terms"] = {k: v for k, v in ev["terms"].items() if isinstance(v, (int, float))}
    result["measured"] = {s: float(np.mean(v)) if v.size else None for s, v in meas_vals.items()}
    return result


def summarise(spec: dict, result: dict, confidence: float) -> dict:
    q = quantities.get(result["quantity"])
    samples = np.asarray(result["samples"], dtype=np.float64)
    n_div, n_req = int(result["n_diverged"]), int(result["seeds_requested"])
    row: dict[str, Any] = {
        "check": "theorem",
        "theorem": result["theorem"], "algorithm": result["algorithm"], "option": result["option"],
        "problem": result["problem"], "d": result["d"], "T": result["T"], "M": result["M"],
        "seeds": int(samples.size), "n_diverged": n_div, "seed": spec.get("seed"),
        "quantity": q.id, "confidence": confidence,
        "empirical": None, "ci_low": None, "ci_high": None,
        "bound": result.get("bound"), "ratio": None, "terms": result.get("terms") or {},
        "step_size": result.get("step_size"),
    }
    notes = []
    unchecked = [a["id"] for a in result.get("assumptions", []) if a["status"] == "unchecked"]
    if unchecked:
        notes.append("not checkable numerically: " + ", ".join(unchecked))
    if samples.size == 0:
        row["verdict"] = "diverged" if n_div else "error"
        row["note"] = "; ".join(notes + [f"{n_div} of {n_req} replicas diverged"])
        return row
    iv = q.interval(samples, confidence)
    row.update(empirical=iv.estimate, ci_low=iv.low, ci_high=iv.high)
    bound = result.get("bound")
    if result.get("o_form_only"):
        row["bound"] = None
        row["verdict"] = verdict(iv, None, n_diverged=n_div, n_total=n_req)
        if row["verdict"] == "error":
            row["verdict"] = "inconclusive"
        notes.insert(0, "O-form only")
    elif result.get("bound_samples") is not None:
        bs = np.asarray(result["bound_samples"], dtype=np.float64)
        diff = mean_interval(samples - bs, confidence)  # paired: quantity_r - bound_r
        row["diff_ci_low"], row["diff_ci_high"] = diff.low, diff.high
        row["verdict"] = verdict(diff, 0.0, n_diverged=n_div, n_total=n_req)
        notes.append("bound contains measured " + ", ".join(result.get("measured", {})) +
                     "; verdict on paired per-replica differences quantity - bound")
    else:
        row["verdict"] = verdict(iv, bound, n_diverged=n_div, n_total=n_req)
    if bound is not None and bound > 0 and not result.get("o_form_only"):
        row["ratio"] = iv.estimate / bound
    if n_div:
        notes.append(f"{n_div} of {n_req} replicas diverged (excluded)")
    if result.get("convex_problem_nonconvex_theorem"):
        notes.append("convex problem: Assumption 3.2 with f_* = f(w*), L from the constants layer")
    if result.get("generalized_from_L"):
        notes.append("(L0, L1) = (L, 0): Assumption 5.1 reduces to 3.3")
    if result.get("left_W"):
        notes.append(f"sigma is certified over W only; {result['left_W']} final iterates of this "
                     "unconstrained run left W")
    if notes:
        row["note"] = "; ".join(notes)
    return row


cells.register(KIND, compute, summarise)

__all__ = ["KIND", "spec", "compute", "summarise", "MEASURED_SYMBOLS"]
