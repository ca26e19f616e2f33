"""Lemma checks along real trajectories, each with its slack ratio and a verdict.

A loose theorem can be traced to the proof step that loses the most: each row reports the
step's own ``ratio = empirical / bound`` (its slack) and ``used_by`` (the theorems whose
proofs use it). Lemmas (Liu et al. 2025; numeric checkers in :mod:`boundcheck.theory.lemmas`):

=============  =========================================================================
``lemmaE.2``   ``E sum_j sqrt(sum_{t<T} n_{t,j}^2) <= ||sigma||_1 sqrt(T/M)`` along AdaGrad
               (Thm 4.1's run: Option I, eta = D_inf); engine metric ``noise_sqrt_sum``;
               t-interval of the mean, verdict against the bound.
``lemma(17)``  per step, pathwise: ``||g_t||^2_{Lambda_t^{-1}} <= 2 tr(Lambda_t - Lambda_{t-1})``
               along AdaGrad (pure step functions of :mod:`boundcheck.algorithms.adagrad`);
               deterministic, so the verdict is ``holds`` iff every step of every replica
               satisfies it (rounding allowance 1e-12 relative). The row's empirical value
               and bound are the telescoped sums ``sum_t lhs_t`` and ``sum_t rhs_t``
               (replica means); ``max_step_ratio`` and ``worst_step`` locate the tightest step.
``lemmaF.4``   ``E tr(Lambda_{T-1}) <= F.4's bound`` along AdaGrad Option II with Thm 5.3's
               step size (Thm 4.3's when the problem has no (L0, L1)); engine metric
               ``trace_lambda``; t-interval, verdict against the bound.
``lemmaC.2``   ``E n_{t,j}^2 <= sigma_j^2 / M`` at ``w_0``: for each M, Monte Carlo over the
               replicas' minibatches of ``sum_j n_j^2`` (t-interval) against
               ``||sigma||_2^2 / M``; on finite sums also the exact value ``sum_j Var_j / M``
               (C.2 holds with equality there), and the worst coordinate's ratio.
=============  =========================================================================
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from boundcheck.validation import InputError
from boundcheck.verify import cells, defaults, instances
from boundcheck.verify.stats import mean_interval, verdict

KIND = "lemma"
LEMMA_IDS = ("lemmaE.2", "lemma(17)", "lemmaF.4", "lemmaC.2")
USED_BY = {"E.2": "thm4.1, thmE.interp", "(17)": "thmE.1, thm4.1, thmE.interp", "F.4": "thm4.3, thm5.3",
           "C.2": "every theorem with minibatches"}
#: Batch sizes of the C.2 check (variance reduction by M).
C2_BATCHES = (1, 8, 64)
#: Draws per replica of the C.2 Monte Carlo.
C2_DRAWS = 64


def _default_problem(lemma: str) -> dict:
    return defaults.NONCONVEX if lemma == "F.4" else defaults.CONVEX


def specs(lemma_id: str, *, problem: dict | None, Ts: list[int], Ms: list[int], seeds: int,
          seed: int) -> list[dict]:
    """Cells of one lemma check (``lemma_id`` as in :data:`LEMMA_IDS`)."""
    lemma = lemma_id[len("lemma"):]
    prob = problem if problem is not None else _default_problem(lemma)
    base = {"kind": KIND, "lemma": lemma, "problem": prob, "seeds": int(seeds), "seed": int(seed),
            "eps": 1e-8}
    if lemma == "C.2":
        return [{**base, "M": int(M), "T": 0} for M in sorted(set(C2_BATCHES) | set(Ms))]
    if lemma == "(17)":  # pathwise: one T (the largest) is enough, every step is checked
        return [{**base, "T": int(max(Ts)), "M": int(M)} for M in Ms]
    return [{**base, "T": int(T), "M": int(M)} for M in Ms for T in Ts]


# ---------------------------------------------------------------------- compute
def compute(spec: dict) -> dict:
    problem, scalars, vectors, _ = instances.instance(spec["problem"])
    lemma = spec["lemma"]
    out: dict[str, Any] = {"lemma": lemma, "problem": instances.label(spec["problem"]), "d": int(problem.d),
                           "T": spec["T"], "M": spec["M"], "seeds_requested": spec["seeds"]}
    if lemma == "E.2":
        out.update(_e2(problem, scalars, spec))
    elif lemma == "F.4":
        out.update(_f4(problem, scalars, spec))
    elif lemma == "(17)":
        out.update(_identity17(problem, scalars, spec))
    elif lemma == "C.2":
        out.update(_c2(problem, vectors, spec))
    else:
        raise InputError(f"unknown lemma {lemma!r}")
    return out


def _need(scalars: dict, *names: str, lemma: str) -> None:
    missing = [n for n in names if scalars.get(n) is None]
    if missing:
        raise InputError(f"lemma {lemma} needs {', '.join(missing)}, which this problem does not provide")


def _run(problem, *, algorithm, option, T, M, eta, eps, seeds, seed, metrics):
    from boundcheck.engine import RunConfig, run

    cfg = RunConfig(algorithm=algorithm, option=option, T=T, batch_size=M, eta=eta, schedule="constant",
                    eps=eps, seeds=seeds, seed=seed, init="zeros", checkpoints=[T], metrics=metrics)
    res = run(problem, cfg)
    ok = ~np.asarray(res.diverged, dtype=bool)
    return {m: np.asarray(res.metrics[m][-1], dtype=np.float64) for m in metrics}, ok


def _e2(problem, scalars, spec) -> dict:
    if problem.domain is None:
        raise InputError("lemma E.2 is checked along Thm 4.1's run (Option I), which needs a feasible set W")
    _need(scalars, "sigma_norm1", "D_inf", lemma="E.2")
    T, M = spec["T"], spec["M"]
    vals, ok = _run(problem, algorithm="adagrad", option="I", T=T, M=M, eta=scalars["D_inf"], eps=spec["eps"],
                    seeds=spec["seeds"], seed=spec["seed"], metrics=["noise_sqrt_sum"])
    x = vals["noise_sqrt_sum"]
    ok &= np.isfinite(x)
    return {"context": "thm4.1 run (AdaGrad I, eta = D_inf)", "algorithm": "adagrad",
            "quantity": "E sum_j sqrt(sum_t n_tj^2)", "samples": x[ok].tolist(),
            "n_diverged": int(np.sum(~ok)), "bound": scalars["sigma_norm1"] * math.sqrt(T / M)}


def _f4(problem, scalars, spec) -> dict:
    from boundcheck.theory.lemmas import F4
    from boundcheck.theory.theorem import get

    T, M, eps = spec["T"], spec["M"], spec["eps"]
    has_l0l1 = scalars.get("L0_norm1") is not None and scalars.get("L1_norminf") is not None
    thm = get("thm5.3" if has_l0l1 else "thm4.3")
    _need(scalars, "Delta", "sigma_norm1", *(("L0_norm1", "L1_norminf") if has_l0l1 else ("L_norm1",)),
          lemma="F.4")
    const = {**scalars, "T": T, "M": M, "d": problem.d, "eps": eps}
    eta = thm.step_size_function(const)(0)
    L0_norm1 = scalars["L0_norm1"] if has_l0l1 else scalars["L_norm1"]
    vals, ok = _run(problem, algorithm="adagrad", option="II", T=T, M=M, eta=eta, eps=eps, seeds=spec["seeds"],
                    seed=spec["seed"], metrics=["trace_lambda"])
    x = vals["trace_lambda"]
    ok &= np.isfinite(x)
    bound = F4.bound(problem.d, eps, eta, scalars["Delta"], L0_norm1, scalars["sigma_norm1"], T, M)
    return {"context": f"{thm.id} run (AdaGrad II, eta = {eta:.4g})", "algorithm": "adagrad",
            "quantity": "E tr(Lambda_{T-1})", "samples": x[ok].tolist(), "n_diverged": int(np.sum(~ok)),
            "bound": float(bound)}


def _identity17(problem, scalars, spec) -> dict:
    """AdaGrad (Option I if the problem has W, else II) with the pure step functions; every
    step's (17) lhs and rhs from the lemma's numeric checker."""
    from boundcheck.algorithms import adagrad
    from boundcheck.algorithms.projections import make_projector
    from boundcheck.engine.streams import ReplicaStreams
    from boundcheck.theory.lemmas import identity17

    T, M, R, eps = spec["T"], spec["M"], spec["seeds"], spec["eps"]
    option = "I" if problem.domain is not None else "II"
    eta = scalars.get("D_inf") or 1.0
    streams = ReplicaStreams(spec["seed"], range(R))
    projector = make_projector(problem.domain, np, np.float64) if option == "I" else None
    w = np.zeros((R, problem.d))
    state = adagrad.init(w, eps, np)
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
        w, state = adagrad.update(w, g, state, eta, projector, np)
        if not np.all(np.isfinite(w)):
            raise InputError("lemma (17) check: the AdaGrad run diverged")
    return {"context": f"AdaGrad {option}, eta = {eta:.4g}", "algorithm": "adagrad", "option": option,
            "quantity": "sum_t ||g_t||^2_{Lambda_t^-1}", "pathwise": True,
            "lhs_sum": lhs_sum.tolist(), "rhs_sum": rhs_sum.tolist(), "violations": violations,
            "max_step_ratio": worst[0], "worst_step": worst[1], "n_diverged": 0}


def _c2(problem, vectors, spec) -> dict:
    from boundcheck.engine.streams import ReplicaStreams

    if "sigma" not in vectors:
        raise InputError("lemma C.2 needs the noise vector sigma, which this problem does not provide")
    sigma = np.asarray(vectors["sigma"], dtype=np.float64)
    M, R = spec["M"], spec["seeds"]
    w = np.zeros((R, problem.d))
    full = np.asarray(problem.grad(w[:1]), dtype=np.float64)[0]
    streams = ReplicaStreams(spec["seed"], range(R))
    n2 = np.zeros((R, problem.d))
    for _ in range(C2_DRAWS):
        g = np.asarray(problem.stochastic_grad(w, M, streams), dtype=np.float64)
        n2 += (g - full) ** 2
    n2 /= C2_DRAWS  # per replica: mean over its draws of n_j^2 (independent across replicas)
    out = {"context": "at w_0 = 0", "algorithm": None, "quantity": "sum_j E n_j^2",
           "samples": n2.sum(axis=1).tolist(), "n_diverged": 0,
           "bound": float(np.sum(sigma**2) / M),
           "coord_mean": n2.mean(axis=0).tolist(), "sigma_sq_over_M": (sigma**2 / M).tolist()}
    X, y = problem.features(), problem.labels()
    if X is not None and y is not None and getattr(problem, "loss_name", None) in ("logistic", "squared"):
        from boundcheck.constants import glm
        from boundcheck.theory.lemmas import C2

        X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
        margins = X @ w[0]
        per_sample = glm.dphi(margins, np.asarray(y, float), problem.loss_name)[:, None] * X + problem.l2 * w[0]
        out["exact"] = float(np.sum(C2.exact(per_sample, M)))
    return out


# ---------------------------------------------------------------------- summarise
def summarise(spec: dict, result: dict, confidence: float) -> dict:
    lemma = result["lemma"]
    row: dict[str, Any] = {
        "check": "lemma", "theorem": f"lemma{lemma}", "algorithm": result.get("algorithm") or "-",
        "problem": result["problem"], "d": result["d"], "T": result["T"] or None, "M": result["M"],
        "seeds": None, "seed": spec.get("seed"), "quantity": result.get("quantity"), "confidence": confidence,
        "empirical": None, "ci_low": None, "ci_high": None, "bound": result.get("bound"), "ratio": None,
        "used_by": USED_BY.get(lemma), "context": result.get("context"),
    }
    notes = []
    if result.get("pathwise"):
        lhs = np.asarray(result["lhs_sum"], float)
        rhs = np.asarray(result["rhs_sum"], float)
        row.update(seeds=int(lhs.size), empirical=float(lhs.mean()), bound=float(rhs.mean()),
                   max_step_ratio=result["max_step_ratio"], worst_step=result["worst_step"],
                   violations=result["violations"])
        row["ratio"] = row["empirical"] / row["bound"] if row["bound"] > 0 else None
        row["verdict"] = "holds" if result["violations"] == 0 else "violated"
        notes.append(f"pathwise, every step checked; tightest step t={result['worst_step']} "
                     f"(lhs/rhs = {result['max_step_ratio']:.4g}); violations: {result['violations']}")
        row["note"] = "; ".join(notes)
        return row
    x = np.asarray(result["samples"], dtype=np.float64)
    n_div, n_req = int(result.get("n_diverged", 0)), int(result["seeds_requested"])
    row["seeds"] = int(x.size)
    row["n_diverged"] = n_div
    if x.size == 0:
        row["verdict"] = "diverged" if n_div else "error"
        return row
    iv = mean_interval(x, confidence)
    row.update(empirical=iv.estimate, ci_low=iv.low, ci_high=iv.high)
    bound = result.get("bound")
    row["verdict"] = verdict(iv, bound, n_diverged=n_div, n_total=n_req)
    if bound:
        row["ratio"] = iv.estimate / bound
    if "exact" in result:
        row["exact"] = result["exact"]
        inside = iv.low <= result["exact"] <= iv.high
        notes.append(f"exact finite-sum value sum_j Var_j/M = {result['exact']:.4g} "
                     f"({'inside' if inside else 'OUTSIDE'} the interval)")
    if "coord_mean" in result:
        cm, b = np.asarray(result["coord_mean"]), np.asarray(result["sigma_sq_over_M"])
        ratios = np.where(b > 0, cm / np.where(b > 0, b, 1.0), 0.0)
        j = int(np.argmax(ratios))
        row["max_coord_ratio"] = float(ratios[j])
        notes.append(f"worst coordinate j={j}: E n_j^2 / (sigma_j^2/M) = {ratios[j]:.3g}")
    if n_div:
        notes.append(f"{n_div} of {n_req} replicas diverged (excluded)")
    if notes:
        row["note"] = "; ".join(notes)
    return row


cells.register(KIND, compute, summarise)

__all__ = ["KIND", "LEMMA_IDS", "specs", "compute", "summarise"]
