"""Theorem checks: the explicit bound next to the measured quantity, with an interval.

One cell = one theorem x problem x T x M x R replicas x seed. Computing it (``compute``):

1. build the problem and its constants (:mod:`boundcheck.verify.instances`);
2. check the theorem's assumptions and proof conditions on the problem; a violated one
   refuses the cell with the reason (never silently used);
3. evaluate the theorem's step-size rule on the constants (a schedule ``eta_t`` when the
   rule depends on t) and run the theorem's algorithm/option from ``w_0 = 0`` on R seeded
   replicas (:mod:`boundcheck.engine`);
4. keep the per-replica samples of the theorem's exact quantity at checkpoint T (its
   registered :class:`~boundcheck.theory.quantity.Quantity`) and the explicit bound.

Summarising (``summarise``, at report time) decides the row with
:func:`boundcheck.verify.decisions.decide` (documented there and in the README):

- a constant bound B: ``holds`` iff the one-sided upper limit of the quantity (Cantelli,
  chosen by the coverage study in ``benchmarks/coverage.py``) lies below B; ``violated`` when
  the Student-t p-value of "quantity <= B" is below alpha (then, over a command's rows,
  Holm's family-wise step: :func:`~boundcheck.verify.decisions.apply_family`); a
  deterministic run, or replicas equal to rounding, is compared exactly under the rounding
  tolerance of :mod:`boundcheck.verify.tolerance` (an equality is ``holds (tight)``, ratio
  1); a diverged replica counts at the worst end (a row with one cannot hold);
- a bound containing a measured expectation (Theorem E.1: ``G = E sum_j sqrt(sum_t
  g_{t,j}^2)``): the bound is affine in G and the quantity is a mean, so the verdict is
  decided on the paired per-replica differences ``D_r = Y_r - B_r`` against 0;
- an O-form-only (cited) theorem: the empirical value with bound null, verdict
  ``inconclusive`` and the note "O-form only" (never ``holds``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from boundcheck.verify import instances

KIND = "theorem"

#: Default AdaGrad epsilon of the checks (v_{-1} = eps^2).
DEFAULT_EPS = 1e-8


def spec(theorem_id: str, problem: dict, *, T: int, M: int | None, seeds: int, seed: int,
         eps: float = DEFAULT_EPS, eta: float | None = None, hyperparameters: dict | None = None,
         replicas_from: int = 0) -> dict:
    """The cell specification of one theorem check (everything that determines the result).

    ``eta`` is used only by theorems whose statement holds for any constant step size (they
    declare ``eta_default``: Theorem E.1 runs at Theorem 4.1's ``eta = D_inf`` by default, so
    that its row on 4.1's default problem is the first step of 4.1's proof measured on the same
    run). A full-batch (deterministic) theorem has no batch size: ``M`` is None. ``hyperparameters``
    replace the theorem's declared ones for the run and its constants (e.g. ``{"blocks": 16}``
    for Subset-Norm's theorems: the block constants follow the partition).
    ``replicas_from``: the cell runs replicas ``replicas_from .. replicas_from + seeds - 1`` (a
    later block of a decided run, :mod:`boundcheck.verify.decided`; replica r's streams are
    the same in any block, so blocks concatenate to one run).
    """
    from boundcheck.theory.theorem import get

    thm = get(theorem_id)
    out = {"kind": KIND, "theorem": thm.id, "algorithm": thm.algorithm, "option": thm.option,
           "problem": problem, "T": int(T), "M": None if thm.full_batch else int(M), "seeds": int(seeds),
           "seed": int(seed), "eps": float(eps), "init": "zeros"}
    hyper = thm.hyperparameters if hyperparameters is None else hyperparameters
    if hyper:
        out["hyperparameters"] = dict(hyper)
    if thm.eta_default is not None:
        out["eta"] = None if eta is None else float(eta)
    if replicas_from:
        out["replicas_from"] = int(replicas_from)
    return out


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


def _tolerance_inputs(thm, const: dict, samples, deterministic: bool, T: int, d: int, M) -> dict:
    """The rounding-tolerance inputs of the bound (:mod:`boundcheck.verify.tolerance`), computed
    only when the comparison may be exact (deterministic run, or replicas equal to rounding):
    the operation count of the explicit bound and the propagated relative error of its
    constants (each one rounding)."""
    from boundcheck.verify.tolerance import agree_to_rounding, bound_relative_error, rounding_tolerance

    if not deterministic and not agree_to_rounding(samples, rounding_tolerance(T=T, d=d, M=M or 1)):
        return {}
    values = {k: v for k, v in const.items() if isinstance(v, (int, float))}
    n_b, e_b = bound_relative_error(thm.explicit, values)
    return {"bound_ops": n_b, "bound_rel_error": e_b}


def compute(spec: dict) -> dict:
    from boundcheck.engine import RunConfig, run
    from boundcheck.theory.theorem import get
    from boundcheck.validation import InputError

    thm = get(spec["theorem"])
    T, M, R, S, eps = spec["T"], spec["M"], spec["seeds"], spec["seed"], spec["eps"]
    problem, assembly = instances.instance(spec["problem"])
    measured = dict(thm.measured)
    hyper = spec.get("hyperparameters") or {}
    checks = instances.check_assumptions(thm, problem, assembly, hyper)  # first: a refusal names the assumption
    scalars, used = instances.theorem_constants(thm, assembly, exclude=measured, hyperparameters=hyper)
    const: dict[str, Any] = {**scalars, "T": T, "d": problem.d, "eps": eps}
    if M is not None:
        const["M"] = M
    if thm.prepare is not None:
        const.update(thm.prepare(problem, dict(const)))
    if "eta" in spec:
        const["eta"] = spec["eta"] if spec["eta"] is not None else \
            float(assembly.require(thm.eta_default, why=f"{thm.id}'s default step size").value)

    eta_of = thm.step_size_function(const)
    etas = np.array([eta_of(t) for t in range(T)], dtype=np.float64)
    if not np.all(np.isfinite(etas)) or np.any(etas <= 0):
        raise InputError(f"{thm.id}: the step-size rule gives a non-positive or non-finite step on "
                         f"{instances.label(spec['problem'])}")
    q = thm.quantity_object
    metrics = sorted({q.metric, *measured.values()})
    cfg = RunConfig(algorithm=thm.algorithm, option=thm.option, T=T, batch_size=M, eta=float(etas[0]),
                    schedule=etas, eps=eps, seeds=R, seed=S, init=spec.get("init", "zeros"),
                    checkpoints=[T], metrics=metrics, hyperparameters=spec.get("hyperparameters"))
    first = int(spec.get("replicas_from", 0))
    res = run(problem, cfg, replicas=range(first, first + R))
    ok = ~np.asarray(res.diverged, dtype=bool)
    values = np.asarray(res.metrics[q.metric][-1], dtype=np.float64)
    ok &= np.isfinite(values)
    samples = q.samples(values[ok])

    notes = list(dict.fromkeys(c.note for c in used if c.note))
    deterministic = M is None
    result: dict[str, Any] = {
        "theorem": thm.id, "algorithm": thm.algorithm, "option": thm.option,
        "problem": instances.label(spec["problem"]), "d": int(problem.d), "T": T, "M": M,
        "seeds_requested": R, "quantity": thm.quantity_id, "samples": samples.tolist(),
        "n_diverged": int(R - np.sum(ok)), "step_size": {"t=0": float(etas[0]), "t=T-1": float(etas[-1])},
        "constants": {k: v for k, v in const.items() if isinstance(v, (int, float))},
        "provenance": {c.name: c.describe() for c in used}, "assumptions": checks,
        "o_form_only": bool(thm.o_form_only or thm.explicit is None),
        "constant_notes": notes, "deterministic": deterministic,
        "convex_problem_nonconvex_theorem": bool(problem.convex and "3.1" not in thm.assumptions),
    }
    if thm.option == "II" and problem.domain is not None and any(c.valid_on == "W" for c in used):
        # a constant (e.g. sigma) is certified over W only: count the final iterates that left W
        final = np.asarray(res.final_iterate, dtype=np.float64)[ok]
        result["left_W"] = int(sum(not problem.domain.contains(w, tol=1e-12) for w in final))
        result["valid_on_W"] = sorted({c.name.split("_norm")[0] for c in used if c.valid_on == "W"})
    if result["o_form_only"]:
        result["bound"] = None
        result["terms"] = {}
        return result
    if not measured:
        ev = thm.evaluate(const)
        result["bound"] = ev["explicit"]
        result["terms"] = {k: v for k, v in ev["terms"].items() if isinstance(v, (int, float))}
        result.update(_tolerance_inputs(thm, const, samples, deterministic, T, int(problem.d), M))
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


def _context(result: dict, confidence: float, **kw):
    from boundcheck.theory.quantity import get as get_quantity
    from boundcheck.verify.decisions import Context
    from boundcheck.verify.tolerance import rounding_tolerance

    q = get_quantity(result["quantity"])
    tol = rounding_tolerance(T=int(result["T"]), d=int(result["d"]), M=int(result.get("M") or 1),
                             bound_ops=int(result.get("bound_ops", 0)),
                             bound_rel_error=float(result.get("bound_rel_error", 0.0)))
    return Context(confidence=confidence, squared_mean=q.squared_mean, n_diverged=int(result["n_diverged"]),
                   n_requested=int(result["seeds_requested"]), deterministic=bool(result.get("deterministic")),
                   tolerance=tol, **kw)


def decision_fields(dec) -> dict[str, Any]:
    """The row fields of a :class:`~boundcheck.verify.decisions.Decision`."""
    out: dict[str, Any] = {"verdict": dec.verdict, "p_value": dec.p_value, "interval_method": dec.method}
    if dec.detail:
        out["verdict_detail"] = dec.detail
    if dec.exact:
        out["rtol"] = dec.rtol
    return out


def summarise(spec: dict, result: dict, confidence: float) -> dict:
    """The row of a theorem cell: interval, ratio and verdict by the rules of
    :mod:`boundcheck.verify.decisions` (rounding tolerance, Cantelli upper limit, diverged
    replicas at the worst end; the family-wise step is applied over a command's rows by
    :func:`boundcheck.verify.decisions.apply_family`)."""
    from boundcheck.verify.decisions import decide

    samples = np.asarray(result["samples"], dtype=np.float64)
    n_div, n_req = int(result["n_diverged"]), int(result["seeds_requested"])
    row: dict[str, Any] = {
        "check": "theorem",
        "theorem": result["theorem"], "algorithm": result["algorithm"], "option": result["option"],
        "problem": result["problem"], "d": result["d"], "T": result["T"], "M": result["M"],
        "seeds": int(samples.size), "n_diverged": n_div, "seed": spec.get("seed"),
        "quantity": result["quantity"], "confidence": confidence,
        "empirical": None, "ci_low": None, "ci_high": None,
        "bound": result.get("bound"), "ratio": None, "terms": result.get("terms") or {},
        "step_size": result.get("step_size"),
    }
    notes = []
    unchecked = [a["id"] for a in result.get("assumptions", []) if a["status"] == "unchecked"]
    if unchecked:
        notes.append("not checkable numerically: " + ", ".join(unchecked))
    bound = result.get("bound")
    if samples.size == 0:
        row["verdict"] = "diverged" if n_div else "error"
        row["note"] = "; ".join(notes + [f"{n_div} of {n_req} replicas diverged"])
        return row
    if result.get("o_form_only") or bound is None:
        dec = decide(samples, math.inf, _context(result, confidence))
        row.update(empirical=dec.estimate, ci_low=dec.low, ci_high=dec.high, bound=None,
                   verdict="diverged" if dec.verdict == "diverged" else "inconclusive",
                   interval_method=dec.method)
        notes.insert(0, "O-form only")
    elif result.get("bound_samples") is not None:
        bs = np.asarray(result["bound_samples"], dtype=np.float64)
        quantity = decide(samples, float(bound), _context(result, confidence))
        diff = decide(samples - bs, 0.0, _context(result, confidence, support=(-math.inf, math.inf),
                                                  scale=float(np.mean(np.abs(bs)))))
        row.update(empirical=quantity.estimate, ci_low=quantity.low, ci_high=quantity.high)
        row["diff_ci_low"], row["diff_ci_high"] = diff.low, diff.high
        row.update(decision_fields(diff))
        if diff.ratio is None and bound > 0 and quantity.estimate is not None:
            row["ratio"] = quantity.estimate / bound
        notes.append("bound contains measured " + ", ".join(result.get("measured", {})) +
                     "; verdict on paired per-replica differences quantity - bound")
    else:
        dec = decide(samples, float(bound), _context(result, confidence))
        row.update(empirical=dec.estimate, ci_low=dec.low, ci_high=dec.high, ratio=dec.ratio)
        row.update(decision_fields(dec))
    if row.get("ratio") is None and bound is not None and bound > 0 and not result.get("o_form_only") \
            and row["empirical"] is not None:
        row["ratio"] = row["empirical"] / bound
    if n_div:
        notes.append(f"{n_div} of {n_req} replicas diverged (each counted at the worst end: a row with a "
                     "diverged replica cannot hold)")
    if result.get("convex_problem_nonconvex_theorem"):
        notes.append("convex problem: Assumption 3.2 with f_* = f(w*), L from the constants layer")
    notes.extend(result.get("constant_notes") or [])
    if result.get("left_W"):
        notes.append(f"{', '.join(result.get('valid_on_W') or ['sigma'])} is certified over W only; "
                     f"{result['left_W']} final iterates of this unconstrained run left W")
    if notes:
        row["note"] = "; ".join(notes)
    return row


__all__ = ["KIND", "spec", "compute", "summarise", "decision_fields"]
