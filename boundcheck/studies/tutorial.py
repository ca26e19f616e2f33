r"""``boundcheck sweep tutorial``: the AdaGrad tutorial's claims (seed 004) as rows.

The tutorial says (our summary): (1) for sparse data, a parameter of a rare feature gets a zero
gradient on most steps, so its accumulator barely grows and it keeps a large learning rate,
while with one global rate "rare features barely get updated"; (2) the accumulator only grows,
so "the learning rate for every parameter shrinks continuously" and the algorithm "freezes".

**Rare features** (rows ``sparse-steps`` and ``sparse-vs-sgd``; default problem ``sparse-linear``,
d = 50, Zipf feature frequencies, M = 1). AdaGrad runs at Theorem 4.1's configuration (Option I,
``eta = D_inf``), SGD's step is Theorem D.1's schedule ``eta_t`` (one step for every coordinate;
both evaluated on the problem's certified constants). The effective step of coordinate j is
``eta_t / Lambda_{t,jj}`` (metric ``inverse_preconditioner``); coordinates are grouped by their
measured gradient frequency (metric ``gradient_frequency``, averaged over replicas): ``rare`` = the
lowest quarter, ``frequent`` = the highest quarter. A coordinate whose gradient has always been 0
keeps ``Lambda = eps`` (``v_{-1} = eps^2``), an effective step ``eta/eps`` that is never used: it
is left out of its group's mean until its first non-zero gradient. At each checkpoint t >= T/100:

- ``sparse-steps``: the paired ratio E[mean effective step, rare] / E[mean, frequent] (interval:
  :func:`~boundcheck.verify.comparisons.ratio_interval`); the claim predicts > 1;
- ``sparse-vs-sgd``: AdaGrad's mean rare-coordinate effective step over SGD's step at the same t,
  each at its theorem's step size (our reading of "larger than SGD's": a global rate is the rate
  every coordinate gets); the claim predicts > 1.

**Freezing** (rows ``freezing-rate`` and ``freezing-closed-form``; ``quadratic-oracle``, d = 16,
diagonal H, noise 1 and noise 0, Option II, ``eta = D_inf``, M = 1). Closed form: AdaGrad's
``Lambda_{t-1,jj}^2 = eps^2 + sum_{s<t} g_{s,j}^2`` with ``E g_{s,j}^2 = (d_j f(w_s))^2 + sigma_j^2/M``
(oracle noise independent of the past), so

.. math::  \Lambda_{t-1,jj} = \sigma_j \sqrt{t/M}\,\bigl(1 + o(1)\bigr) \quad\text{when}\quad
           \textstyle\sum_{s<t} (\partial_j f(w_s))^2 = o(t),

i.e. the effective step ``eta/Lambda`` decays like ``eta sqrt(M) / (sigma_j sqrt(t))`` (a coordinate
with a constant gradient magnitude c gives exactly ``eta/sqrt(eps^2 + t c^2)``; tested in
tests/test_study_tutorial.py). Without noise the gradients are square-summable (AdaGrad converges on a
smooth convex problem), so ``Lambda`` converges to a finite limit and the step does **not** go to 0.

- ``freezing-rate``: the log-log slope in t of the geometric mean over coordinates of the effective
  step, fitted over checkpoints t >= T/100 with a bootstrap interval; the tutorial's 1/sqrt(t)
  predicts a slope in [-0.55, -0.45] (a tolerance for the o(1) above);
- ``freezing-closed-form`` (noise > 0): the measured effective step over the closed form
  ``eta sqrt(M)/(sigma_j sqrt(T))`` at T, averaged over coordinates; predicted 1 within x1.1.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from boundcheck.validation import InputError
from boundcheck.verify.cells import CellKind
from boundcheck.verify.sweep import Sweep, SweepOption, integer_option

SPARSE_PROBLEM = ("sparse-linear", {"d": 50, "n": 2000})
FREEZE_PROBLEM = ("quadratic-oracle", {"d": 16})
FREEZE_NOISES = (1.0, 0.0)
T_DEFAULT, SEEDS_DEFAULT = 10000, 16
ADAGRAD_THEOREM, SGD_THEOREM = "thm4.1", "thmD.1"
SLOPE_BAND = (-0.55, -0.45)
CLOSED_FORM_FACTOR = 1.1
QUARTER = 0.25


def _checkpoints(T: int) -> list[int]:
    from boundcheck.engine import log_checkpoints

    return [int(c) for c in log_checkpoints(T)]


def theorem_steps(theorem_id: str, problem, assembly, T: int, M: int | None, eps: float = 1e-8) -> np.ndarray:
    """The T step sizes ``eta_0 .. eta_{T-1}`` of a theorem's rule on a problem's constants (as
    :mod:`boundcheck.verify.theorem_check` evaluates them)."""
    from boundcheck.theory.theorem import get
    from boundcheck.verify import instances

    thm = get(theorem_id)
    scalars, _ = instances.theorem_constants(thm, assembly, exclude=dict(thm.measured))
    const: dict[str, Any] = {**scalars, "T": T, "d": problem.d, "eps": eps}
    if M is not None:
        const["M"] = M
    if thm.eta_default is not None:
        const["eta"] = float(assembly.require(thm.eta_default).value)
    eta_of = thm.step_size_function(const)
    return np.array([eta_of(t) for t in range(T)], dtype=np.float64)


# ---------------------------------------------------------------------- rare features
def sparse_compute(spec: dict) -> dict:
    from boundcheck.engine import RunConfig, run
    from boundcheck.verify import instances

    problem, assembly = instances.instance(spec["problem"])
    T, M = spec["T"], spec["M"]
    cps = _checkpoints(T)
    a_etas = theorem_steps(ADAGRAD_THEOREM, problem, assembly, T, M)
    s_etas = theorem_steps(SGD_THEOREM, problem, assembly, T, M)
    option = "I" if problem.domain is not None else "II"
    res = run(problem, RunConfig(algorithm="adagrad", option=option, T=T, batch_size=M, eta=float(a_etas[0]),
                                 schedule=a_etas, seeds=spec["seeds"], seed=spec["seed"], checkpoints=cps,
                                 metrics=["inverse_preconditioner", "gradient_frequency"]))
    ok = ~np.asarray(res.diverged, bool)
    inv = np.asarray(res.metrics["inverse_preconditioner"], float)[:, ok, :]  # (K, R, d)
    freq = np.asarray(res.metrics["gradient_frequency"], float)[:, ok, :]
    steps = inv * a_etas[np.asarray(cps) - 1][:, None, None]  # eta_{t-1} / Lambda_{t-1}
    return {"problem": spec["problem"]["label"], "d": int(problem.d), "T": T, "M": M, "checkpoints": cps,
            "steps": steps.tolist(), "frequency": freq.tolist(), "sgd_steps": s_etas[np.asarray(cps) - 1].tolist(),
            "eta": float(a_etas[0]), "option": option, "n_diverged": int(np.sum(~ok))}


def _group_mean(steps: np.ndarray, seen: np.ndarray, group: np.ndarray) -> np.ndarray:
    """(R,) mean effective step over the coordinates of ``group`` seen by each replica (NaN: none seen)."""
    s, m = steps[:, group], seen[:, group]
    n = m.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.where(m, s, 0.0).sum(axis=1) / n, np.nan)


def _sparse_rows(spec: dict, result: dict, confidence: float) -> list[dict]:
    from boundcheck.verify.comparisons import Prediction, compare, ratio_interval
    from boundcheck.verify.stats import mean_interval

    steps = np.asarray(result["steps"], float)  # (K, R, d)
    freq = np.asarray(result["frequency"], float)
    d = result["d"]
    q = max(1, int(round(QUARTER * d)))
    order = np.argsort(freq[-1].mean(axis=0), kind="stable")  # by measured frequency at T
    rare, frequent = order[:q], order[-q:]
    rows = []
    T = result["T"]
    for k, t in enumerate(result["checkpoints"]):
        if t < max(T / 100.0, 1.0):
            continue
        # a coordinate whose gradient has always been 0 still has Lambda = eps (v_{-1} = eps^2): its step
        # eta/eps is never used, so it is left out until its first non-zero gradient
        seen = freq[k] * t >= 0.5
        x, y = _group_mean(steps[k], seen, rare), _group_mean(steps[k], seen, frequent)
        keep = np.isfinite(x) & np.isfinite(y)
        x, y = x[keep], y[keep]
        base = {"problem": result["problem"], "d": d, "T": t, "M": result["M"], "seeds": int(x.size),
                "confidence": confidence, "bound": None, "ratio": None, "algorithm": "adagrad",
                "rare_frequency": float(freq[k][:, rare].mean()), "frequent_frequency": float(freq[k][:, frequent].mean()),
                # no replica has seen both groups yet (tiny T): no means, the rows say why below
                "eff_step_rare": float(x.mean()) if x.size else None,
                "eff_step_frequent": float(y.mean()) if y.size else None,
                "sgd_step": result["sgd_steps"][k], "eta": result["eta"], "option": result["option"]}
        row = dict(base, check="sparse-steps", theorem="sparse-steps",
                   quantity="E eff. step (rare quarter) / E eff. step (frequent quarter)")
        try:
            iv = ratio_interval(x, y, confidence, paired=True)
            pred = Prediction.ordering(">", "rare", "frequent")
            row.update(empirical=iv.estimate, ci_low=iv.low, ci_high=iv.high, prediction=pred.text,
                       verdict=compare(iv.low, iv.high, pred, iv.estimate).verdict)
        except ValueError as err:
            row.update(empirical=None, ci_low=None, ci_high=None, verdict="inconclusive", note=str(err))
        row.setdefault("note", f"AdaGrad at {ADAGRAD_THEOREM}'s eta = D_inf (Option {result['option']}); groups by "
                               "measured gradient frequency (quarters)")
        rows.append(row)
        sgd = float(result["sgd_steps"][k])
        row = dict(base, check="sparse-vs-sgd", theorem="sparse-vs-sgd",
                   quantity="E eff. step of AdaGrad (rare quarter) / SGD's step")
        if x.size >= 2:
            iv = mean_interval(x, confidence)
            pred = Prediction.ordering(">", "AdaGrad rare", "SGD")
            row.update(empirical=iv.estimate / sgd, ci_low=iv.low / sgd, ci_high=iv.high / sgd, prediction=pred.text,
                       verdict=compare(iv.low / sgd, iv.high / sgd, pred).verdict,
                       frequent_over_sgd=float(y.mean()) / sgd)
        else:
            row.update(empirical=None, ci_low=None, ci_high=None, verdict="inconclusive",
                       note=f"{x.size} replicas have seen both coordinate groups by t = {t}; need >= 2")
        why = f"each at its theorem's step size: AdaGrad {ADAGRAD_THEOREM} (eta = D_inf), SGD {SGD_THEOREM} " \
              "(eta_t, the same for every coordinate)"
        row["note"] = f"{row['note']}; {why}" if row.get("note") else why
        rows.append(row)
    return rows


SPARSE = CellKind(sparse_compute, lambda spec, result, confidence: None)


# ---------------------------------------------------------------------- freezing
def freeze_compute(spec: dict) -> dict:
    from boundcheck.engine import RunConfig, run
    from boundcheck.verify import instances

    problem, assembly = instances.instance(spec["problem"])
    T, M = spec["T"], spec["M"]
    cps = _checkpoints(T)
    eta = float(assembly.require("D_inf").value)
    res = run(problem, RunConfig(algorithm="adagrad", option="II", T=T, batch_size=M, eta=eta, seeds=spec["seeds"],
                                 seed=spec["seed"], checkpoints=cps, metrics=["inverse_preconditioner"]))
    ok = ~np.asarray(res.diverged, bool)
    inv = np.asarray(res.metrics["inverse_preconditioner"], float)[:, ok, :]
    sigma = assembly.get("sigma")
    return {"problem": spec["problem"]["label"], "d": int(problem.d), "T": T, "M": M, "checkpoints": cps,
            "steps": (eta * inv).tolist(), "eta": eta, "noise": spec["problem"]["params"].get("noise"),
            "sigma": None if sigma is None else np.asarray(sigma.value, float).tolist(),
            "n_diverged": int(np.sum(~ok))}


def _freeze_rows(spec: dict, result: dict, confidence: float) -> list[dict]:
    from boundcheck.verify.comparisons import Prediction, compare
    from boundcheck.verify.stats import fit_rate, mean_interval

    steps = np.asarray(result["steps"], float)  # (K, R, d)
    cps = np.asarray(result["checkpoints"])
    T, M, eta = result["T"], result["M"], result["eta"]
    use = cps >= max(T / 100.0, 1.0)
    gm = np.exp(np.log(steps[use]).mean(axis=2))  # (K', R): geometric mean over coordinates
    base = {"problem": result["problem"], "d": result["d"], "T": T, "M": M, "seeds": int(steps.shape[1]),
            "confidence": confidence, "bound": None, "ratio": None, "algorithm": "adagrad", "eta": eta,
            "noise": result["noise"]}
    rows = []
    row = dict(base, check="freezing-rate", theorem="freezing-rate",
               quantity="slope of log(geometric mean effective step) in log t",
               T_range=[int(cps[use][0]), int(cps[use][-1])])
    pred = Prediction(SLOPE_BAND[0], SLOPE_BAND[1], f"slope in [{SLOPE_BAND[0]}, {SLOPE_BAND[1]}] (1/sqrt(t))")
    if use.sum() >= 2 and gm.shape[1] >= 2:
        fit = fit_rate(cps[use], gm, confidence)
        row.update(empirical=fit.slope, ci_low=fit.low, ci_high=fit.high, prediction=pred.text,
                   verdict=compare(fit.low, fit.high, pred, fit.slope).verdict,
                   eff_step_first=float(gm[0].mean()), eff_step_last=float(gm[-1].mean()))
    else:
        row.update(empirical=None, ci_low=None, ci_high=None, verdict="inconclusive", note="too few checkpoints")
    row.setdefault("note", "Option II, eta = D_inf, w_0 = 0; noise 0: the gradients are square-summable, the "
                           "accumulator converges and the step tends to a positive limit")
    rows.append(row)
    sigma = result.get("sigma")
    if sigma is not None and result["noise"]:
        sig = np.asarray(sigma, float)
        closed = eta * math.sqrt(M) / (sig * math.sqrt(T))  # eta sqrt(M) / (sigma_j sqrt(T))
        r = (steps[-1] / closed).mean(axis=1)  # per replica, mean over coordinates
        iv = mean_interval(r, confidence)
        p = Prediction.near(1.0, CLOSED_FORM_FACTOR)
        rows.append(dict(base, check="freezing-closed-form", theorem="freezing-closed-form",
                         quantity="eff. step at T / (eta sqrt(M) / (sigma_j sqrt(T))), mean over j",
                         empirical=iv.estimate, ci_low=iv.low, ci_high=iv.high, prediction=p.text,
                         verdict=compare(iv.low, iv.high, p, iv.estimate).verdict,
                         note="closed form Lambda_{T-1,jj}^2 = eps^2 + sum_{s<T} g_sj^2 ~ T sigma_j^2 / M"))
    return rows


FREEZE = CellKind(freeze_compute, lambda spec, result, confidence: None)


# ---------------------------------------------------------------------- plan, rows, declaration
def plan(*, problem: dict | None = None, T: int | None = None, M: int | None = None, claims: list[str] | None = None,
         seeds: int | None = None, seed: int = 0) -> list[dict]:
    from boundcheck.verify import instances

    claims = claims or ["sparse", "freezing"]
    bad = [c for c in claims if c not in ("sparse", "freezing")]
    if bad:
        raise InputError(f"--claims {bad[0]!r} is not allowed; allowed: sparse, freezing")
    if problem is not None and "name" not in problem:
        raise InputError("sweep tutorial's --problem must be a registered family (the rare-feature claim); "
                         "--data is not supported")
    T = T or T_DEFAULT
    M = M or 1
    R = seeds or SEEDS_DEFAULT
    out = []
    if "sparse" in claims:
        if problem is None:
            name, params = SPARSE_PROBLEM
            pspec = instances.registry_spec(name, params, label=f"{name}(d={params['d']})")
        else:
            pspec = problem
        if not instances.build(pspec).convex:
            raise InputError("the rare-feature claim runs AdaGrad at Theorem 4.1's step size: give a convex problem")
        out.append({"kind": f"{__name__}:SPARSE", "problem": pspec, "T": int(T), "M": int(M), "seeds": int(R),
                    "seed": int(seed)})
    if "freezing" in claims:
        name, params = FREEZE_PROBLEM
        for noise in FREEZE_NOISES:
            pspec = instances.registry_spec(name, {**params, "noise": noise},
                                            label=f"{name}(d={params['d']}, noise={noise:g})")
            out.append({"kind": f"{__name__}:FREEZE", "problem": pspec, "T": int(T), "M": int(M), "seeds": int(R),
                        "seed": int(seed)})
    return out


def rows(outcomes, confidence: float) -> list[dict]:
    from boundcheck.verify import cells

    out = []
    for o in outcomes:
        if o.failure or o.result is None:
            continue
        if "error" in o.result:
            out.append(cells.error_row(o.spec, o.result["error"]))
            continue
        kind = o.spec["kind"]
        out.extend(_sparse_rows(o.spec, o.result, confidence) if kind.endswith(":SPARSE")
                   else _freeze_rows(o.spec, o.result, confidence))
    return out



def _claims(text: str) -> list[str]:
    parts = [p.strip() for p in str(text).split(",")]
    if any(p == "" for p in parts):
        raise InputError(f"--claims {text!r} has an empty entry; allowed: sparse, freezing")
    return parts


def _plan(*, problem=None, T=None, M=None, claims=None, seeds=None, seed=0):
    return plan(problem=problem, T=T, M=M, claims=claims, seeds=seeds, seed=seed)


SWEEP = Sweep(
    name="tutorial",
    help="""The AdaGrad tutorial's claims (seed 004): rare features keep large steps; steps freeze like 1/sqrt(t).

    Rare features (default sparse-linear, d = 50, Zipf frequencies, M = 1): AdaGrad's effective steps
    eta/Lambda_jj on the rarest quarter of coordinates against the most frequent quarter and against
    SGD's step (each at its theorem's step size). Freezing (quadratic-oracle d = 16, noise 1 and 0):
    the log-log slope of the effective step in t against -1/2, and the closed form
    eta sqrt(M)/(sigma_j sqrt(t)).""",
    plan=_plan, rows=rows, title="boundcheck sweep tutorial: rare features and the freezing step",
    options=(
        SweepOption("T", ("--T",), "Iterations (default 10000).", "T", integer_option("--T", high=10**9)),
        SweepOption("M", ("--M",), "Batch size (default 1).", "M", integer_option("--M")),
        SweepOption("claims", ("--claims",), "sparse,freezing (default both).", "C1,C2", _claims),
    ),
    seeds_default=SEEDS_DEFAULT,
)

__all__ = ["SWEEP", "SPARSE", "FREEZE", "plan", "rows", "theorem_steps"]
