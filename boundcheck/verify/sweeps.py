"""Sweeps: rates in T, batch size at a fixed budget, AdaGrad vs SGD across dimensions.

**Rates** (``boundcheck sweep T``). The theorem check at log-spaced T (one cell per T), then
one summary row per theorem: the log-log slope of the empirical quantity in T with a
bootstrap interval (:func:`boundcheck.verify.stats.fit_rate`; for ``(E Y)^2`` quantities the
slope of ``E Y`` doubled), the explicit bound's own slope over the same T range, and the
predicted bias/variance crossover: the T at which the bound's variance-type terms (those
decaying like ``T^{-1/2}``, local slope > -3/4) equal its bias-type terms (``T^{-1}``),
solved numerically (Brent's method on log T) from the theory layer's terms. A slope is
not a bound, so a rate row is ``holds`` when the empirical quantity decays at least as
fast as the bound over the range... as a *comparison* (:mod:`boundcheck.verify.comparisons`):
``agrees`` when the interval of the slope lies at or below the bound's slope, ``disagrees``
when it lies entirely above, ``inconclusive`` otherwise - never ``holds``/``violated`` (the
per-T rows carry the verdicts).

The paper-specific choices (which theorems, algorithms and problems) come from declarations:
the rate sweep's default theorems declare ``rate_sweep``; the batch and dimension sweeps read
the default :class:`~boundcheck.theory.comparison.Comparison` (Remark 4.2: Theorem 4.1 vs D.1).

**Batch size at a fixed budget** (``boundcheck sweep batch``; the paper's Table 3). For
each M, ``T = N / M`` iterations of the comparison's two algorithms (AdaGrad and SGD; Option
II, unconstrained like the paper's logistic regressions) with the paper's grid (Appendix A): ``eta in {10, 1, 0.1,
0.01}`` x ``{constant, eta/sqrt(t+1)}``, ``w_0 ~ U(-0.05, 0.05)^d``; the row per (problem,
algorithm, M) is the grid point with the best mean final loss gap ``f(w_T) - f*`` (the
table's quantity). No bound applies to a tuned grid, so those rows read ``n/a`` (not
applicable: a measurement, not a check) with the note "grid: no bound". ``T = floor(N / M)``: when N is not a multiple of M the row
says so in its note and its ``samples`` field (``M T < N``). With ``--step theorem`` (or ``both``) the comparison's
theorem checks (Thm 4.1 and D.1) at ``T = N/M`` are added, with their bounds.

**AdaGrad vs SGD across d** (``boundcheck sweep dimension``; Example B.1, Remark 4.2). For
each (d, tau): the comparison's two theorem checks on its instance (``exptail-logistic(d, tau)``),
then one row with the observed error ratio ``E gap(AdaGrad) / E gap(SGD)`` (delta-method
interval on the log ratio) next to the ratio of the two explicit bounds, with
``R1 = C_var = D_inf ||sigma||_1 / (D_2 ||sigma||_2)`` and ``R2 = C_bias = ||L||_1 D_inf^2 /
(||L||_inf D_2^2)``. The ratio row's verdict is that of the two theorem checks together
as a *comparison* (:mod:`boundcheck.verify.comparisons`): the ratio of the bounds predicts the
ordering of the two methods (below 1: the first is better); the row ``agrees`` when the
interval of the observed ratio lies on the predicted side of 1, ``disagrees`` when it lies
entirely on the other side, ``inconclusive`` otherwise. Never ``holds``/``violated``: a ratio of
upper bounds is not a bound on the ratio of errors.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from boundcheck.validation import InputError
from boundcheck.verify import cells, defaults, instances, theorem_check
from boundcheck.verify.stats import MAX_DIVERGED_FRACTION, NOT_APPLICABLE, fit_rate, loglog_slope, mean_interval
from boundcheck.verify.sweep import Sweep, SweepOption, integer_list_option, integer_option, positive_list_option

# ---------------------------------------------------------------------- rates in T
T_SWEEP_DEFAULT = (100, 316, 1000, 3162, 10000)


def rate_theorems() -> list[str]:
    """The rate sweep's default theorems (those declaring ``rate_sweep``)."""
    from boundcheck.theory.theorem import all_theorems

    return [t.id for t in all_theorems() if t.rate_sweep]


def T_plan(theorem: str | None, *, problem: dict | None, Ts: list[int] | None, M: int | None,
           seeds: int | None, seed: int) -> list[dict]:
    from boundcheck.verify.plan import split_ids

    if theorem is not None:
        ids, lemmas = split_ids([theorem])
        if lemmas:
            raise InputError(f"sweep T takes a theorem id, not {theorem!r}")
    else:
        ids = rate_theorems()
    Ts = sorted(Ts or T_SWEEP_DEFAULT)
    if len(Ts) < 2:
        raise InputError("sweep T needs at least two values of --T to fit a rate")
    from boundcheck.theory.theorem import get

    out = []
    for tid in ids:
        prob = problem if problem is not None else get(tid).problems[0]
        for T in Ts:
            out.append(theorem_check.spec(tid, prob, T=T, M=M or defaults.M_DEFAULT,
                                          seeds=seeds or defaults.SEEDS_DEFAULT, seed=seed))
    return out


def _terms_of_T(theorem_id: str, constants: dict):
    """The bound's terms as functions of T (other constants substituted), or None when the
    bound contains measured quantities or is O-form only."""
    import sympy as sp

    from boundcheck.theory.theorem import get

    thm = get(theorem_id)
    if thm.explicit is None or not thm.terms:
        return None
    T = sp.Symbol("T", positive=True, integer=True)
    funcs = {}
    for name, expr in thm.terms.items():
        e = sp.sympify(expr)
        subs = {s: constants[s.name] for s in e.free_symbols if s.name != "T" and s.name in constants}
        e = e.subs(subs)
        if e.free_symbols - {T}:
            return None
        funcs[name] = sp.lambdify(T, e, "math")
    return funcs


def crossover(theorem_id: str, constants: dict) -> dict:
    """Bias/variance split of the bound's terms by their slope in T, and the T at which the
    two groups are equal (None when one group is empty or they never cross)."""
    from scipy.optimize import brentq

    funcs = _terms_of_T(theorem_id, constants)
    if not funcs:
        return {"crossover_T": None, "variance_terms": [], "bias_terms": []}
    var, bias = [], []
    for name, f in funcs.items():
        a, b = float(f(1e8)), float(f(1e9))
        if a <= 0 or b <= 0:
            continue  # a vanishing term (e.g. sigma = 0) belongs to neither group
        slope = (math.log(b) - math.log(a)) / math.log(10.0)
        (var if slope > -0.75 else bias).append(name)
    if not var or not bias:
        return {"crossover_T": None, "variance_terms": var, "bias_terms": bias}

    def h(logT):
        T = math.exp(logT)
        return math.log(sum(float(funcs[n](T)) for n in bias)) - math.log(sum(float(funcs[n](T)) for n in var))

    lo, hi = 0.0, math.log(1e18)
    if h(lo) * h(hi) > 0:
        return {"crossover_T": None, "variance_terms": var, "bias_terms": bias}
    return {"crossover_T": math.exp(brentq(h, lo, hi, xtol=1e-12)), "variance_terms": var, "bias_terms": bias}


def T_summary(outcomes, confidence: float) -> list[dict]:
    """One rate row per (theorem, problem, M) group of theorem cells with >= 2 values of T."""
    groups: dict[tuple, list] = defaultdict(list)
    for o in outcomes:
        if o.result is None or "error" in o.result or o.spec.get("kind") != theorem_check.KIND:
            continue
        r = o.result
        groups[(r["theorem"], r["problem"], r["M"])].append(o)
    rows = []
    for (tid, prob, M), os_ in groups.items():
        os_ = sorted(os_, key=lambda o: o.result["T"])
        Ts = [o.result["T"] for o in os_]
        if len(set(Ts)) < 2:
            continue
        r0 = os_[-1].result
        from boundcheck.theory.quantity import get as get_quantity

        q = get_quantity(r0["quantity"])
        samples = [np.asarray(o.result["samples"], float) for o in os_]
        n = min(s.size for s in samples)
        row: dict[str, Any] = {
            "check": "rate", "theorem": tid, "algorithm": r0["algorithm"], "problem": prob, "d": r0["d"],
            "T": None, "T_range": [min(Ts), max(Ts)], "M": M, "seeds": n, "quantity": f"slope of {q.id} in T",
            "confidence": confidence, "empirical": None, "ci_low": None, "ci_high": None, "bound": None,
            "ratio": None,
        }
        if n < 2:
            row.update(verdict="error", note="fewer than two finite replicas at some T")
            rows.append(row)
            continue
        S = np.vstack([s[:n] for s in samples])
        if np.any(S.mean(axis=1) <= 0):
            row.update(verdict="inconclusive", note="a mean is 0: no log-log fit")
            rows.append(row)
            continue
        fit = fit_rate(Ts, S, confidence=confidence)
        k = 2.0 if q.squared_mean else 1.0
        row.update(empirical=k * fit.slope, ci_low=k * fit.low, ci_high=k * fit.high)
        bounds = [o.result.get("bound") for o in os_]
        notes = []
        if all(b is not None and b > 0 for b in bounds):
            b_slope, _ = loglog_slope(Ts, bounds)
            row["bound"] = b_slope
            from boundcheck.verify.comparisons import Prediction, compare

            pred = Prediction(-math.inf, b_slope + 1e-12, f"slope <= the bound's {b_slope:.3g}")
            row["verdict"] = compare(row["ci_low"], row["ci_high"], pred, row["empirical"]).verdict
            row["prediction"] = pred.text
            if row["verdict"] != "agrees":
                notes.append("not decaying as fast as the bound over this T range is not a violation: a slope "
                             "is not a bound (the per-T rows compare values)")
        else:
            row["verdict"] = "inconclusive"
            notes.append("no explicit bound (O-form only)" if r0.get("o_form_only") else "no bound slope")
        cx = crossover(tid, r0.get("constants", {}))
        row["crossover_T"] = cx["crossover_T"]
        row["variance_terms"], row["bias_terms"] = cx["variance_terms"], cx["bias_terms"]
        if cx["crossover_T"] is not None:
            notes.append(f"bound's bias = variance at T ~ {cx['crossover_T']:.3g}")
        if notes:
            row["note"] = "; ".join(notes)
        rows.append(row)
    return rows


# ---------------------------------------------------------------------- batch size
BATCH_KIND = "batch"
BATCH_BUDGET = 4096
BATCH_MS = (1, 4, 16, 64, 256)
BATCH_SEEDS = 8
GRID_ETAS = (10.0, 1.0, 0.1, 0.01)
GRID_SCHEDULES = ("constant", "sqrt-decay")
GRID_INIT = "uniform:0.05"


def batch_problems() -> list[dict]:
    from boundcheck.theory.comparison import default

    return list(default().batch_problems)


def batch_plan(*, problem: dict | None, budget: int | None, Ms: list[int] | None, step_mode: str,
               seeds: int | None, seed: int, etas: list[float] | None = None) -> list[dict]:
    """``etas``: the grid's step sizes (default :data:`GRID_ETAS`, the paper's)."""
    N = budget or BATCH_BUDGET
    Ms = sorted(Ms or BATCH_MS)
    bad = [M for M in Ms if M > N]
    if bad:
        raise InputError(f"--M {bad[0]} exceeds the budget N={N}; allowed: M <= N")
    from boundcheck.theory.comparison import default

    comparison = default()
    R = seeds or BATCH_SEEDS
    probs = [problem] if problem is not None else batch_problems()
    out = []
    for prob in probs:
        for M in Ms:
            T = max(N // M, 1)
            if step_mode in ("grid", "both"):
                for alg in comparison.algorithms:
                    for eta in (etas or GRID_ETAS):
                        for sched in GRID_SCHEDULES:
                            out.append({"kind": BATCH_KIND, "problem": prob, "algorithm": alg, "option": "II",
                                        "M": M, "T": T, "budget": N, "eta": eta, "schedule": sched,
                                        "init": GRID_INIT, "eps": 1e-8, "seeds": R, "seed": seed})
            if step_mode in ("theorem", "both"):
                for tid in comparison.theorems:
                    s = theorem_check.spec(tid, prob, T=T, M=M, seeds=R, seed=seed)
                    s["budget"] = N
                    out.append(s)
    return out


def batch_compute(spec: dict) -> dict:
    from boundcheck.engine import RunConfig, run

    problem = instances.build(spec["problem"])
    cfg = RunConfig(algorithm=spec["algorithm"], option=spec["option"], T=spec["T"], batch_size=spec["M"],
                    eta=spec["eta"], schedule=spec["schedule"], eps=spec["eps"], seeds=spec["seeds"],
                    seed=spec["seed"], init=spec["init"], checkpoints=[spec["T"]],
                    metrics=["last_iterate_gap", "avg_iterate_gap"])
    res = run(problem, cfg)
    ok = ~np.asarray(res.diverged, dtype=bool)
    last = np.asarray(res.metrics["last_iterate_gap"][-1], float)
    avg = np.asarray(res.metrics["avg_iterate_gap"][-1], float)
    ok &= np.isfinite(last) & np.isfinite(avg)
    return {"problem": instances.label(spec["problem"]), "d": int(problem.d), "algorithm": spec["algorithm"],
            "T": spec["T"], "M": spec["M"], "eta": spec["eta"], "schedule": spec["schedule"],
            "last": last[ok].tolist(), "avg": avg[ok].tolist(), "n_diverged": int(np.sum(~ok)),
            "seeds_requested": spec["seeds"]}


def batch_summarise(spec: dict, result: dict, confidence: float) -> dict:
    x = np.asarray(result["last"], float)
    row: dict[str, Any] = {
        "check": "batch-grid", "theorem": "table3-grid", "algorithm": result["algorithm"],
        "problem": result["problem"], "d": result["d"], "T": result["T"], "M": result["M"],
        "budget": spec.get("budget"), "seeds": int(x.size), "n_diverged": result["n_diverged"],
        "quantity": "last_iterate_gap", "confidence": confidence, "eta": result["eta"],
        "schedule": result["schedule"], "init": spec.get("init"), "bound": None, "ratio": None,
        "empirical": None, "ci_low": None, "ci_high": None,
    }
    n_req = int(result["seeds_requested"])
    if x.size == 0 or result["n_diverged"] / max(n_req, 1) > MAX_DIVERGED_FRACTION:
        row["verdict"] = "diverged"
        row["note"] = f"{result['n_diverged']} of {n_req} replicas diverged"
        return row
    iv = mean_interval(x, confidence) if x.size > 1 else None
    row.update(empirical=float(x.mean()), ci_low=iv.low if iv else None, ci_high=iv.high if iv else None)
    avg = np.asarray(result["avg"], float)
    row["avg_iterate_gap"] = float(avg.mean()) if avg.size else None
    row["verdict"] = NOT_APPLICABLE  # a tuned grid has no bound: a measurement, not a check
    row["note"] = "grid: no bound"
    return row


def batch_rows(outcomes, confidence: float) -> list[dict]:
    """Best grid point per (problem, algorithm, M) (by mean final loss gap), then the
    theorem-step rows, ordered by problem, algorithm, M."""
    best: dict[tuple, dict] = {}
    failed: dict[tuple, list[dict]] = defaultdict(list)  # grid points that diverged / failed
    n_grid: dict[tuple, int] = defaultdict(int)
    theorem_rows = []
    for o in outcomes:
        row = cells.summarise(o, confidence)
        if row is None:
            continue
        if o.spec.get("kind") == BATCH_KIND:
            key = (row["problem"], row["algorithm"], row["M"])
            n_grid[key] += 1
            if row["verdict"] in ("diverged", "error") or row["empirical"] is None:
                failed[key].append(row)
                continue
            if key not in best or row["empirical"] < best[key]["empirical"]:
                best[key] = row
        else:
            row["check"] = "batch-theorem"
            row["budget"] = o.spec.get("budget")
            theorem_rows.append(row)
    for key, row in best.items():
        row["note"] = f"grid: no bound; best of {n_grid[key]} (eta x schedule) by mean final loss gap"
        if failed[key]:
            row["note"] += f"; {len(failed[key])} grid points diverged or failed"
    for key, rows_ in failed.items():
        if key not in best:  # every grid point diverged: say so instead of dropping the row
            row = dict(rows_[0])
            row["note"] = (f"all {n_grid[key]} grid points diverged or failed; shown: eta={row.get('eta')}, "
                           f"{row.get('schedule')}: {row.get('note', '')}")
            best[key] = row
    rows = list(best.values()) + theorem_rows
    for row in rows:
        N, M, T = row.get("budget"), row.get("M"), row.get("T")
        if N and M and T and M * T != N:  # T = floor(N / M): say what was drawn
            row["samples"] = M * T
            uneven = f"M T = {M * T} samples, not the budget {N} (not a multiple of M={M}: T = floor(N/M) = {T})"
            row["note"] = f"{uneven}; {row['note']}" if row.get("note") else uneven
    return sorted(rows, key=lambda r: (str(r["problem"]), r["check"], str(r["algorithm"]), r["M"] or 0))




# ---------------------------------------------------------------------- dimension
DIM_DS = (16, 64, 256)
DIM_TAUS = (0.1, 0.5, 2.0)
DIM_T = 1000
DIM_M = 8
DIM_SEEDS = 16
#: Largest d of ``sweep dimension`` (its instances are dense n x d logistic regressions).
DIM_MAX_D = 4096


def dimension_problem(d: int, tau: float) -> dict:
    from boundcheck.theory.comparison import default

    return default().instance(d, tau)


def dimension_plan(*, ds: list[int] | None, taus: list[float] | None, T: int | None, M: int | None,
                   seeds: int | None, seed: int) -> list[dict]:
    from boundcheck.theory.comparison import default

    comparison = default()
    ds = sorted(ds or DIM_DS)
    taus = list(taus or DIM_TAUS)
    for d in ds:
        for tau in taus:
            if tau <= 1.0 / d:
                raise InputError(f"--tau {tau:g} must be > 1/d = {1.0 / d:g} for d={d} (Assumption B.2)")
    out = []
    for d in ds:
        for tau in taus:
            prob = dimension_problem(d, tau)
            for tid in comparison.theorems:
                out.append(theorem_check.spec(tid, prob, T=T or DIM_T, M=M or DIM_M, seeds=seeds or DIM_SEEDS,
                                              seed=seed))
            if comparison.constants:
                out.append(instances.constants_spec(prob, comparison.constants))
    return out


#: Measured cost of one (d, tau) instance of ``sweep dimension`` at the defaults (T = 1000, 16
#: replicas; both theorem checks and the constants): 5.7 s at d = 64, 13 s at 512, 32 s at 1024,
#: 107 s at 2048 (2 shared cores, load average ~5-7): ~ DIM_COST_1024 (d/1024)^1.8 above d ~ 256.
DIM_COST_1024 = 32.0
DIM_COST_POWER = 1.8


def dimension_estimate(specs: list[dict]) -> float:
    """Rough seconds to compute ``specs`` of ``sweep dimension`` (the time hint; see
    :data:`DIM_COST_1024`): per instance, a floor of 5 s plus the power law in d, the run's part
    scaled by T x replicas against the measured defaults."""
    total = 0.0
    for s in specs:
        if s.get("kind") != "constants":
            continue
        d = int(s["problem"]["params"]["d"])
        total += 5.0 + DIM_COST_1024 * (d / 1024) ** DIM_COST_POWER
    runs = [s for s in specs if s.get("kind") == theorem_check.KIND]
    if runs:
        scale = sum(s["T"] * s["seeds"] for s in runs) / (len(runs) * DIM_T * DIM_SEEDS)
        total *= max(1.0, scale) ** 0.5  # the runs are a part of each instance's cost only
    return total


def dimension_rows(outcomes, confidence: float) -> list[dict]:
    """The theorem rows, then one ratio row per instance (a over b of the comparison)."""
    from boundcheck.theory.comparison import default
    from boundcheck.theory.theorem import get

    comparison = default()
    a_id, b_id = comparison.theorems
    rows = []
    pairs: dict[str, dict[str, Any]] = defaultdict(dict)
    extra: dict[str, dict] = {}
    for o in outcomes:
        if o.spec.get("kind") == "constants":
            if o.result is not None and "error" not in o.result:
                extra[o.result["problem"]] = o.result["constants"]
            continue
        row = cells.summarise(o, confidence)
        if row is None:
            continue
        row["check"] = "dimension-theorem"
        rows.append(row)
        if o.result is not None and "error" not in o.result and not o.failure:
            pairs[row["problem"]][o.result["theorem"]] = (o, row)
    for prob, pr in pairs.items():
        if a_id not in pr or b_id not in pr:
            continue
        (oa, ra), (os_, rs) = pr[a_id], pr[b_id]
        a = np.asarray(oa.result["samples"], float)
        s = np.asarray(os_.result["samples"], float)
        tau = (oa.spec.get("problem") or {}).get("params", {}).get("tau")
        row: dict[str, Any] = {
            "check": "dimension", "theorem": f"{a_id}/{b_id}", "algorithm": "/".join(comparison.algorithms),
            "problem": prob, "d": ra["d"], "T": ra["T"], "M": ra["M"], "seeds": int(min(a.size, s.size)),
            "quantity": f"E gap({get(a_id).method}) / E gap({get(b_id).method})", "confidence": confidence,
            "tau": tau,
            "empirical": None, "ci_low": None, "ci_high": None, "bound": None, "ratio": None,
        }
        row.update(extra.get(prob, {}))
        if a.size >= 2 and s.size >= 2 and a.mean() > 0 and s.mean() > 0:
            from boundcheck.verify.comparisons import ratio_interval

            # same seeds, but different algorithms' runs: paired replicas (delta method on the log ratio)
            n = min(a.size, s.size)
            iv = ratio_interval(a[:n], s[:n], confidence, paired=True)
            row.update(empirical=iv.estimate, ci_low=iv.low, ci_high=iv.high)
        if ra.get("bound") and rs.get("bound"):
            row["bound"] = ra["bound"] / rs["bound"]
            if row["empirical"] is not None:
                row["ratio"] = row["empirical"] / row["bound"]
        row["verdict"] = "inconclusive"
        if row["bound"] is not None and row["empirical"] is not None:
            from boundcheck.verify.comparisons import Prediction, compare

            pred = Prediction.ordering("<" if row["bound"] < 1 else ">", get(a_id).method, get(b_id).method)
            row["verdict"] = compare(row["ci_low"], row["ci_high"], pred, row["empirical"]).verdict
            row["prediction"] = pred.text
        row["note"] = (f"prediction: bound({a_id})/bound({b_id}) = {row['bound'] if row['bound'] is None else round(row['bound'], 4)}"
                       f" orders the methods; the row compares that ordering with the observed ratio's interval. "
                       + comparison.note)
        rows.append(row)
    return rows




# ---------------------------------------------------------------------- declarations



#: The engine's limit on T, checked at the door (a T-long step-size schedule is formed first).
MAX_T = 10**9


def _rows_then(summary):
    """Rows of every computed cell, then the sweep's own summary rows."""
    def rows(outcomes, confidence):
        out = [r for r in (cells.summarise(o, confidence) for o in outcomes
                           if o.result is not None and not o.failure) if r is not None]
        return out + summary(outcomes, confidence)
    return rows


def _T_plan(*, theorem=None, problem=None, Ts=None, M=None, seeds=None, seed=0):
    return T_plan(theorem, problem=problem, Ts=Ts, M=M, seeds=seeds, seed=seed)


def _batch_plan(*, problem=None, budget=None, Ms=None, step_mode="both", etas=None, seeds=None, seed=0):
    from boundcheck.validation import choice

    choice("--step", step_mode, ("grid", "theorem", "both"))
    if etas is not None and step_mode == "theorem":
        raise InputError("--eta sets the grid's step sizes; it does not apply to --step theorem")
    return batch_plan(problem=problem, budget=budget, Ms=Ms, step_mode=step_mode, seeds=seeds, seed=seed,
                      etas=etas)


def _dimension_plan(*, ds=None, taus=None, T=None, M=None, seeds=None, seed=0, problem=None):
    return dimension_plan(ds=ds, taus=taus, T=T, M=M, seeds=seeds, seed=seed)


RATES = Sweep(
    name="T",
    help="""Rates: fit the log-log slope in T (with an interval) and compare it with the bound's.

    One row per T (the theorem check), then one summary row per theorem with the fitted
    slope, the bound's own slope over the same T range and the predicted crossover T at
    which the bias and variance terms of the bound are equal.""",
    plan=_T_plan, rows=_rows_then(T_summary), title="boundcheck sweep T: rates",
    argument="theorem", argument_metavar="[THEOREM]",
    options=(
        SweepOption("Ts", ("--T",), "Iteration counts (comma list; log-spaced by default).", "T1,T2,...",
                    integer_list_option("--T", high=MAX_T), T_SWEEP_DEFAULT),
        SweepOption("M", ("--M",), "Batch size.", "M", integer_option("--M"), defaults.M_DEFAULT),
    ),
    seeds_default=defaults.SEEDS_DEFAULT,
)

BATCH = Sweep(
    name="batch",
    help=f"""Batch size at a fixed budget N = M T (the paper's Table 3): AdaGrad and SGD across M.

    Grid mode: eta in {{{", ".join(f"{e:g}" for e in GRID_ETAS)}}} x {{constant, eta/sqrt(t+1)}},
    init U(-0.05, 0.05), the best final loss gap per (algorithm, M). Theorem mode: Theorem 4.1's and D.1's step
    sizes (Option I). Default problems: exptail-logistic and sklearn:breast_cancer.""",
    plan=_batch_plan, rows=lambda outcomes, confidence: batch_rows(outcomes, confidence),
    title="boundcheck sweep batch: fixed budget N = M T",
    options=(
        SweepOption("budget", ("--budget",), "Fixed budget N = M T (samples drawn).", "N", integer_option("--budget"),
                    BATCH_BUDGET),
        SweepOption("Ms", ("--M",), "Batch sizes (comma list).", "M1,M2,...", integer_list_option("--M"), BATCH_MS),
        SweepOption("step_mode", ("--step",), "Paper's grid (Appendix A), the theorems' step sizes, or both.",
                    "grid|theorem|both", None, "both"),
        SweepOption("etas", ("--eta",), "Step sizes of the grid (the paper's by default); each > 0.",
                    "ETA1,ETA2,...", positive_list_option("--eta"), GRID_ETAS),
    ),
    seeds_default=BATCH_SEEDS,
)

DIMENSION = Sweep(
    name="dimension",
    help="""AdaGrad vs SGD across d and tau (Example B.1, Remark 4.2).

    For each (d, tau): the ratio of Theorem 4.1's and D.1's bounds (through R1 = C_var and
    R2 = C_bias) against the ratio of the observed errors E f(w_bar_T) - f*.""",
    plan=_dimension_plan, rows=lambda outcomes, confidence: dimension_rows(outcomes, confidence),
    title="boundcheck sweep dimension: AdaGrad vs SGD", problem=False,
    options=(
        SweepOption("ds", ("--d",), f"Dimensions (comma list; each in [2, {DIM_MAX_D}]).", "D1,D2,...",
                    integer_list_option("--d", low=2, high=DIM_MAX_D), DIM_DS),
        SweepOption("taus", ("--tau",), "Exponential-tail rates (comma list).", "TAU1,TAU2,...",
                    positive_list_option("--tau"), DIM_TAUS),
        SweepOption("T", ("--T",), "Iterations.", "T", integer_option("--T", high=MAX_T), DIM_T),
        SweepOption("M", ("--M",), "Batch size.", "M", integer_option("--M"), DIM_M),
    ),
    seeds_default=DIM_SEEDS,
    estimate=dimension_estimate,
)

SWEEPS = (RATES, BATCH, DIMENSION)

__all__ = ["T_plan", "T_summary", "crossover", "rate_theorems", "batch_plan", "batch_rows", "dimension_plan",
           "dimension_rows", "SWEEPS"]
