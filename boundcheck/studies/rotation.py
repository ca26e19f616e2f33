r"""``boundcheck sweep rotation``: geometry under rotations (Xie, Mohamadi, Li, ICLR 2025; seed 003).

For each dimension d of the problem (default ``quadratic-oracle`` with noise 0.1: a diagonal,
exponential-tail H, the axis-aligned geometry where per-coordinate steps help) and each rotation
(``none``, ``permutation``, ``blocks:4``, ``haar``; :mod:`boundcheck.problems.rotation`; the
rotated problem's constants are recomputed by the constants layer), it runs every algorithm in
one **shared configuration** - Option II (unconstrained), ``w_0 = 0``, the same seeds, and a step
size fixed from rotation-invariant quantities of the unrotated problem (:data:`STEPS`: SGD
``eta = 1/lambda_max(H)``; AdaGrad-type ``eta = D_inf``, Theorem 4.1's; Adam-type
``eta_t = D_inf/sqrt(t+1)``; ``--eta``/``--schedule`` override) - and reports:

``rotation`` rows (one per algorithm and rotation)
    ``empirical`` = E f(w_bar_T) - f* with its interval, and the rotated problem's ``L_norm1``
    (certified optimal diagonal), ``H_norm11``, ``lambda_max_H``, ``trace_H``, ``sigma_norm1``. A
    measurement, not a bound: ``bound`` null, verdict ``inconclusive`` (like ``sweep batch``'s grid).
``rotation-theorem`` rows ("bound where a theorem applies")
    The algorithm's convex theorem (the first registered one with an explicit bound on
    E f(w_bar_T) - f*: Theorem 4.1 for AdaGrad, D.1 for SGD, ...) checked on the rotated problem
    as ``boundcheck verify`` checks it (its own Option I, step size and constants, the rotated
    problem's W; assumptions re-checked): bound and ``holds``/``violated``.
``rotation-equivariance`` rows (claim (a): SGD is rotation-equivariant)
    For algorithms without a preconditioner (plain gradient steps): with the same draws (the
    rotated oracle's noise is Q times the base's) the iterates on f_Q, mapped back by Q^T, equal
    those on f. ``empirical`` = max over replicas of ``max_j |Q^T w^Q_T - w_T|_j / max|w_T|``,
    ``bound`` = the rounding tolerance ``rounding_tolerance(T, 3d, M)`` of
    :mod:`boundcheck.verify.tolerance` (three length-d products per step); the errors
    ``f(w_bar_T) - f*`` must agree within ``kappa`` times it (``kappa`` the gap's cancellation).
    ``holds`` when both do, ``violated`` otherwise.
``rotation-sensitivity`` rows (claim (b): coordinate-wise methods are permutation- but not
rotation-equivariant)
    For algorithms with a preconditioner: the paired ratio E gap(rotated) / E gap(unrotated) (same
    seeds; :func:`boundcheck.verify.comparisons.ratio_interval`), with ``L_norm1``/``H_norm11``
    before and after. The prediction: under a permutation the ratio is 1 within rounding
    (equivariance, pathwise: there ``ci_low``/``ci_high`` are the range of the per-replica ratios);
    under a rotation the error moves in the direction ||L_opt||_1 moves.
    ``agrees``/``disagrees``/``inconclusive``.
``rotation-prediction`` rows (question (c))
    For algorithms with a preconditioner and each rotation other than a permutation: does the
    ratio of ``L_norm1`` (resp. ``H_norm11``) after/before predict the observed error ratio within a
    factor :data:`PREDICTION_FACTOR`? (Theorem 4.1's bias term is proportional to ||L||_1; Xie et al.'s
    rate for Adam to the (1,1)-norm, whose constants could not be read.)

Only the abstract of Xie et al. could be read (docs/research/neighbouring_results.md, section 5):
no bound of theirs is encoded; the rows are measurements and the predictions are ours.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from boundcheck.validation import InputError
from boundcheck.verify.cells import CellKind
from boundcheck.verify.sweep import Sweep, SweepOption, integer_list_option, integer_option, names_option, positive_option

DIMS = (16, 64)
ROTATIONS = ("none", "permutation", "blocks:4", "haar")
ALGORITHMS = ("adagrad", "adam", "subset-norm", "sgd")
DEFAULT_PROBLEM = "quadratic-oracle"
DEFAULT_PARAMS = {"noise": 0.1}
T_DEFAULT, M_DEFAULT, SEEDS_DEFAULT = 1000, 8, 16
#: (eta rule, schedule) of the shared configuration; rules read the *unrotated* problem's constants
STEPS = {"sgd": ("1/lambda_max_H", "constant"), "adam": ("D_inf", "sqrt-decay"),
         "adasgd": ("D_inf", "sqrt-decay"), "blockwise-adam": ("D_inf", "sqrt-decay")}
DEFAULT_STEP = ("D_inf", "constant")
#: a predicted ratio "agrees" when the observed interval lies within this factor of it
PREDICTION_FACTOR = 2.0
CONSTANTS = ("L_norm1", "L_norminf", "H_norm11", "lambda_max_H", "trace_H", "sigma_norm1", "sigma_norm2", "D_inf")
QUANTITY = "avg_iterate_gap"


# ---------------------------------------------------------------------- measurement cells
def _eta(rule: str, assembly) -> float:
    if rule == "1/lambda_max_H":
        return 1.0 / float(assembly.require("lambda_max_H", why="sweep rotation").value)
    if rule == "D_inf":
        c = assembly.get("D_inf")
        return 1.0 if c is None else float(c.value)
    raise ValueError(f"unknown step rule {rule!r}")


def measure_compute(spec: dict) -> dict:
    """Run one algorithm at the shared configuration on one (rotated) problem."""
    from boundcheck.engine import RunConfig, run
    from boundcheck.verify import instances

    problem, _ = instances.instance(spec["problem"])
    _, base_assembly = instances.instance(spec["base"])
    eta = spec["eta"] if spec["eta"] is not None else _eta(spec["eta_rule"], base_assembly)
    cfg = RunConfig(algorithm=spec["algorithm"], option="II", T=spec["T"], batch_size=spec["M"], eta=eta,
                    schedule=spec["schedule"], seeds=spec["seeds"], seed=spec["seed"], init="zeros",
                    checkpoints=[spec["T"]], metrics=[QUANTITY], hyperparameters=spec.get("hyperparameters"))
    res = run(problem, cfg)
    gaps = np.asarray(res.metrics[QUANTITY][-1], float)
    ok = ~np.asarray(res.diverged, bool) & np.isfinite(gaps)
    final = np.asarray(res.final_iterate, float)
    rot = getattr(problem, "rotation", None)
    back = final if rot is None else rot.to_base(final)
    return {"problem": spec["problem"]["label"], "d": int(problem.d), "algorithm": spec["algorithm"],
            "rotation": spec["rotation"], "T": spec["T"], "M": spec["M"], "eta": eta, "schedule": spec["schedule"],
            "gaps": [float(g) if k else None for g, k in zip(gaps, ok)], "n_diverged": int(np.sum(~ok)),
            "final_base": back.tolist(), "f_star": float(problem.f_star),
            "has_preconditioner": _has_preconditioner(spec)}


def _has_preconditioner(spec: dict) -> bool:
    from boundcheck import registry

    return registry.get("algorithm", spec["algorithm"]).build(spec.get("hyperparameters")).preconditioner is not None


def _samples(result) -> np.ndarray:
    return np.array([g for g in result["gaps"] if g is not None], float)


def measure_summarise(spec: dict, result: dict, confidence: float) -> dict:
    from boundcheck.verify.stats import MAX_DIVERGED_FRACTION, NOT_APPLICABLE, mean_interval

    x = _samples(result)
    row: dict[str, Any] = {
        "check": "rotation", "theorem": "rotation", "algorithm": result["algorithm"], "problem": result["problem"],
        "rotation": result["rotation"], "d": result["d"], "T": result["T"], "M": result["M"], "seeds": int(x.size),
        "n_diverged": result["n_diverged"], "quantity": QUANTITY, "confidence": confidence, "eta": result["eta"],
        "schedule": result["schedule"], "option": "II", "empirical": None, "ci_low": None, "ci_high": None,
        "bound": None, "ratio": None,
    }
    if x.size == 0 or result["n_diverged"] / max(spec["seeds"], 1) > MAX_DIVERGED_FRACTION:
        row.update(verdict="diverged", note=f"{result['n_diverged']} of {spec['seeds']} replicas diverged")
        return row
    iv = mean_interval(x, confidence) if x.size > 1 else None
    row.update(empirical=float(x.mean()), ci_low=iv.low if iv else None, ci_high=iv.high if iv else None,
               verdict=NOT_APPLICABLE,
               note="measurement at the shared configuration (Option II, same eta on every rotation): no bound; "
                    "the algorithm's theorem, if any, is the rotation-theorem row")
    return row


MEASURE = CellKind(measure_compute, measure_summarise)


# ---------------------------------------------------------------------- plan
def theorem_for(algorithm: str, convex: bool):
    """The first registered theorem about ``algorithm`` with an explicit expectation bound on
    E f(w_bar_T) - f* in the problem's setting (None when there is none)."""
    from boundcheck.theory.theorem import all_theorems

    for t in all_theorems():
        if (t.algorithm == algorithm and t.kind == "expectation-upper" and not t.o_form_only and not t.measured
                and not t.full_batch and t.quantity_id == QUANTITY
                and t.setting.startswith("convex") == bool(convex)):
            return t
    return None


def _rotation_label(text: str) -> str:
    from boundcheck.problems.rotation import parse

    kind, k = parse(text)
    return f"blocks:{k}" if kind == "blocks" else kind


def plan(*, problem: dict | None = None, algorithms: list[str] | None = None, rotations: list[str] | None = None,
         dims: list[int] | None = None, T: int | None = None, M: int | None = None, eta: float | None = None,
         schedule: str | None = None, seed_rotation: int = 0, bounds: str = "theorem", seeds: int | None = None,
         seed: int = 0) -> list[dict]:
    from boundcheck import registry
    from boundcheck.problems import problem_spec
    from boundcheck.validation import choice
    from boundcheck.verify import instances, theorem_check

    choice("--bounds", bounds, ("theorem", "none"))
    if schedule is not None:
        from boundcheck.algorithms.schedules import SCHEDULE_NAMES

        choice("--schedule", schedule, SCHEDULE_NAMES)
    if algorithms is None:
        algorithms = [a for a in ALGORITHMS if registry.has("algorithm", a)]
        for a in ALGORITHMS:
            if a not in algorithms:
                import sys

                print(f"boundcheck: sweep rotation: algorithm {a!r} is not registered; skipped", file=sys.stderr)
    for a in algorithms:
        registry.get("algorithm", a)
    rots = [_rotation_label(r) for r in (rotations or ROTATIONS)]
    rots = ["none"] + [r for r in dict.fromkeys(rots) if r != "none"]
    if len(rots) < 2:
        raise InputError("--rotations needs at least one rotation besides none")
    if problem is not None and "name" not in problem:
        raise InputError("sweep rotation needs a registered problem family that accepts rotation= "
                         "(e.g. quadratic-oracle, exptail-logistic); --data is not supported")
    name = DEFAULT_PROBLEM if problem is None else problem["name"]
    params = dict(DEFAULT_PARAMS) if problem is None else dict(problem.get("params", {}))
    fam = problem_spec(name)
    if not any(t.name == "rotate" for t in fam.transforms):
        raise InputError(f"problem {name!r} does not accept rotation=; families that do: "
                         + ", ".join(s.name for s in registry.all("problem") if any(t.name == "rotate"
                                                                                     for t in s.transforms)))
    if "rotation" in params or "seed_rotation" in params:
        raise InputError("give the rotations with --rotations and --seed-rotation, not -p rotation=")
    if dims is not None and "d" in params and problem is not None:
        raise InputError("give the dimensions with --dims or --d, not both")
    ds = dims or ([params["d"]] if "d" in params else list(DIMS))
    T = T or T_DEFAULT
    M = M or M_DEFAULT
    R = seeds or SEEDS_DEFAULT
    out: list[dict] = []
    for d in ds:
        base_params = {**params, "d": d}
        base = instances.registry_spec(name, base_params, label=f"{name}(d={d})")
        specs = {}
        for rot in rots:
            if rot == "none":
                specs[rot] = base
            else:
                specs[rot] = instances.registry_spec(
                    name, {**base_params, "rotation": rot, "seed_rotation": int(seed_rotation)},
                    label=f"{name}(d={d}) {rot}")
            instances.build(specs[rot])  # refuse a bad rotation for this d at the door (e.g. blocks:K > d)
            out.append(instances.constants_spec(specs[rot], CONSTANTS))
        convex = bool(instances.build(base).convex)
        for alg in algorithms:
            rule, sched = STEPS.get(alg, DEFAULT_STEP)
            for rot in rots:
                out.append({"kind": f"{__name__}:MEASURE", "problem": specs[rot], "base": base, "rotation": rot,
                            "algorithm": alg, "eta_rule": rule, "eta": None if eta is None else float(eta),
                            "schedule": schedule or sched, "T": int(T), "M": int(M), "seeds": int(R),
                            "seed": int(seed)})
            thm = theorem_for(alg, convex) if bounds == "theorem" else None
            if thm is not None:
                for rot in rots:
                    s = theorem_check.spec(thm.id, specs[rot], T=T, M=M, seeds=R, seed=seed)
                    s["rotation"] = rot
                    out.append(s)
    return out


# ---------------------------------------------------------------------- rows
def _constants_by_problem(outcomes) -> dict[str, dict]:
    out = {}
    for o in outcomes:
        if o.spec.get("kind") == "constants" and o.result is not None and "error" not in o.result:
            out[o.result["problem"]] = o.result["constants"]
    return out


def _paired(a: dict, b: dict):
    """Per-replica gaps of two measurement results, on the replicas finite in both."""
    xa, xb = a["gaps"], b["gaps"]
    keep = [i for i in range(min(len(xa), len(xb))) if xa[i] is not None and xb[i] is not None]
    return np.array([xa[i] for i in keep], float), np.array([xb[i] for i in keep], float), keep


def _equivariance_row(base: dict, rot: dict, consts: dict, confidence: float) -> dict:
    from boundcheck.verify.tolerance import rounding_tolerance

    d, T, M = rot["d"], rot["T"], rot["M"]
    tol = rounding_tolerance(T=T, d=3 * d, M=M)
    g_rot, g_base, keep = _paired(rot, base)
    wb = np.asarray(base["final_base"], float)[keep]
    wr = np.asarray(rot["final_base"], float)[keep]
    scale = float(np.max(np.abs(wb))) if wb.size else 0.0
    dev = float(np.max(np.abs(wr - wb))) / scale if scale > 0 else float(np.max(np.abs(wr - wb), initial=0.0))
    fs = abs(base["f_star"])
    kappa = float(np.max((np.abs(g_base + fs) + fs) / np.maximum(g_base, 1e-300))) if g_base.size else 1.0
    gap_dev = float(np.max(np.abs(g_rot - g_base))) / float(np.max(np.abs(g_base))) if g_base.size else math.nan
    ok = dev <= tol.rtol and gap_dev <= kappa * tol.rtol
    row = {
        "check": "rotation-equivariance", "theorem": "rotation-equivariance", "algorithm": rot["algorithm"],
        "problem": rot["problem"], "rotation": rot["rotation"], "d": d, "T": T, "M": M, "seeds": len(keep), "confidence": confidence,
        "quantity": "max_r max_j |Q^T w^Q_T - w_T|_j / max |w_T|", "empirical": dev, "ci_low": None, "ci_high": None,
        "bound": tol.rtol, "ratio": dev / tol.rtol, "gap_rel_deviation": gap_dev, "gap_tolerance": kappa * tol.rtol,
        "E_gap_before": float(g_base.mean()) if g_base.size else None,
        "E_gap_after": float(g_rot.mean()) if g_rot.size else None,
        "verdict": "holds" if ok else "violated",
        "note": (f"same draws, w_0 = 0; bound = rounding tolerance {tol.rule()} (T steps, 3 length-d products each); "
                 f"the errors f(w_bar_T) - f* agree within kappa = {kappa:.3g} times it"),
    }
    row.update({k: consts.get(k) for k in ("L_norm1", "H_norm11", "lambda_max_H")})
    return row


def _ratio(rot: dict, base: dict, confidence: float):
    from boundcheck.verify.comparisons import ratio_interval

    x, y, keep = _paired(rot, base)
    if x.size < 2:
        return None, "fewer than two paired replicas"
    try:
        return ratio_interval(x, y, confidence, paired=True), None
    except ValueError as err:
        return None, str(err)


def _sensitivity_row(base: dict, rot: dict, cb: dict, cr: dict, confidence: float) -> dict:
    from boundcheck.verify.comparisons import Prediction, compare
    from boundcheck.verify.tolerance import rounding_tolerance

    iv, why = _ratio(rot, base, confidence)
    Lb, Lr = cb.get("L_norm1"), cr.get("L_norm1")
    row = {
        "check": "rotation-sensitivity", "theorem": "rotation-sensitivity", "algorithm": rot["algorithm"],
        "problem": rot["problem"], "rotation": rot["rotation"], "d": rot["d"], "T": rot["T"], "M": rot["M"], "confidence": confidence,
        "quantity": "E gap(rotated) / E gap(unrotated)", "seeds": len(_paired(rot, base)[2]),
        "empirical": None, "ci_low": None, "ci_high": None, "bound": None, "ratio": None,
        "L_norm1_before": Lb, "L_norm1": Lr, "H_norm11_before": cb.get("H_norm11"), "H_norm11": cr.get("H_norm11"),
        "lambda_max_H": cr.get("lambda_max_H"),
    }
    if rot["rotation"] == "permutation":
        tol = rounding_tolerance(T=rot["T"], d=rot["d"], M=rot["M"])
        pred = Prediction(1.0 - tol.rtol, 1.0 + tol.rtol, f"= 1 within rounding ({tol.rtol:.2g}): permutation-equivariant")
    elif Lb is None or Lr is None:
        pred = None
    elif Lr > Lb * (1 + 1e-6):
        pred = Prediction.ordering(">", "gap(rotated)", "gap(unrotated)")
    elif Lr < Lb * (1 - 1e-6):
        pred = Prediction.ordering("<", "gap(rotated)", "gap(unrotated)")
    else:
        pred = Prediction.near(1.0, 1.1)
    if rot["rotation"] == "permutation":
        # equivariance is pathwise (same draws): the per-replica ratios, not an interval of means
        x, y, _ = _paired(rot, base)
        if x.size and np.all(y > 0):
            r = x / y
            row.update(empirical=float(x.mean() / y.mean()), ci_low=float(r.min()), ci_high=float(r.max()),
                       prediction=pred.text, verdict=compare(float(r.min()), float(r.max()), pred).verdict,
                       note="ci_low/ci_high: the range of the per-replica ratios (same draws: equivariance is pathwise)")
            return row
    if iv is None or pred is None:
        row.update(verdict="inconclusive", note=why or "no L_norm1 for the prediction")
        return row
    # same draws: an invariant method gives the ratio 1 to rounding, which no ordering may read
    tol = rounding_tolerance(T=rot["T"], d=rot["d"], M=rot["M"])
    c = compare(iv.low, iv.high, pred, iv.estimate, rtol=tol.rtol)
    row.update(empirical=iv.estimate, ci_low=iv.low, ci_high=iv.high, prediction=pred.text, verdict=c.verdict,
               note=f"paired ratio (same seeds); prediction from ||L_opt||_1 {Lb:.4g} -> {Lr:.4g}"
               if Lb is not None and Lr is not None else "paired ratio (same seeds)")
    return row


def _prediction_rows(base: dict, rot: dict, cb: dict, cr: dict, confidence: float) -> list[dict]:
    from boundcheck.verify.comparisons import Prediction, compare

    iv, why = _ratio(rot, base, confidence)
    rows = []
    for name in ("L_norm1", "H_norm11"):
        b, r = cb.get(name), cr.get(name)
        row = {
            "check": "rotation-prediction", "theorem": "rotation-prediction", "algorithm": rot["algorithm"],
            "problem": rot["problem"], "rotation": rot["rotation"], "d": rot["d"], "T": rot["T"], "M": rot["M"],
            "confidence": confidence, "seeds": len(_paired(rot, base)[2]), "predictor": name,
            "quantity": "E gap(rotated) / E gap(unrotated)", "empirical": None, "ci_low": None, "ci_high": None,
            "bound": None, "ratio": None, "L_norm1_before": cb.get("L_norm1"), "L_norm1": cr.get("L_norm1"),
            "H_norm11_before": cb.get("H_norm11"), "H_norm11": cr.get("H_norm11"), "lambda_max_H": cr.get("lambda_max_H"),
        }
        if iv is None or not b or not r:
            row.update(verdict="inconclusive", note=why or f"no {name}")
            rows.append(row)
            continue
        predicted = r / b
        c = compare(iv.low, iv.high, Prediction.near(predicted, PREDICTION_FACTOR), iv.estimate)
        row.update(empirical=iv.estimate, ci_low=iv.low, ci_high=iv.high, predicted=predicted,
                   observed_over_predicted=iv.estimate / predicted, verdict=c.verdict,
                   prediction=f"ratio = {name} ratio {predicted:.4g} within x{PREDICTION_FACTOR:g}")
        rows.append(row)
    return rows


def rows(outcomes, confidence: float) -> list[dict]:
    from boundcheck.verify import cells

    consts = _constants_by_problem(outcomes)
    keys = ("L_norm1", "H_norm11", "lambda_max_H", "trace_H", "sigma_norm1")
    out: list[dict] = []
    measured: dict[tuple, dict] = defaultdict(dict)  # (base label, algorithm) -> rotation -> result
    for o in outcomes:
        kind = o.spec.get("kind")
        if kind == "constants":
            continue
        row = cells.summarise(o, confidence)
        if row is None:
            continue
        label = (o.spec.get("problem") or {}).get("label")
        row.update({k: consts.get(label, {}).get(k) for k in keys})
        if kind == "theorem":
            row["check"] = "rotation-theorem"
            row["rotation"] = o.spec.get("rotation")
        out.append(row)
        if kind.endswith(":MEASURE") and o.result is not None and "error" not in o.result and not o.failure:
            measured[(o.spec["base"]["label"], o.spec["algorithm"])][o.spec["rotation"]] = (o.spec, o.result)
    for (base_label, alg), by_rot in measured.items():
        if "none" not in by_rot:
            continue
        bspec, base = by_rot["none"]
        cb = consts.get(base_label, {})
        for rot, (spec, res) in by_rot.items():
            if rot == "none":
                continue
            cr = consts.get(spec["problem"]["label"], {})
            if not res["has_preconditioner"]:
                out.append(_equivariance_row(base, res, cr, confidence))
                continue
            out.append(_sensitivity_row(base, res, cb, cr, confidence))
            if rot != "permutation":
                out.extend(_prediction_rows(base, res, cb, cr, confidence))
    order = {"rotation": 0, "rotation-theorem": 1, "rotation-equivariance": 2, "rotation-sensitivity": 3,
             "rotation-prediction": 4}
    return sorted(out, key=lambda r: (order.get(r.get("check"), 9), r.get("d") or 0, str(r.get("algorithm")),
                                      str(r.get("rotation")), str(r.get("predictor", ""))))


# ---------------------------------------------------------------------- declaration

def _rotations(text: str) -> list[str]:
    return [_rotation_label(r) for r in names_option("--rotations")(text)]





def _plan(*, problem=None, algorithms=None, rotations=None, dims=None, T=None, M=None, eta=None, schedule=None,
          seed_rotation=0, bounds="theorem", seeds=None, seed=0):
    return plan(problem=problem, algorithms=algorithms, rotations=rotations, dims=dims, T=T, M=M, eta=eta,
                schedule=schedule, seed_rotation=seed_rotation, bounds=bounds, seeds=seeds, seed=seed)


SWEEP = Sweep(
    name="rotation",
    help="""Rotations: SGD is rotation-equivariant; AdaGrad and Adam are not (Xie et al. 2025).

    For each d and rotation (none, permutation, blocks:4, haar) of the problem (default
    quadratic-oracle with noise 0.1), every algorithm at one shared configuration (Option II, the same
    eta and seeds on every rotation): E f(w_bar_T) - f* with its interval beside the rotated problem's
    L_norm1, H_norm11, lambda_max_H; each algorithm's convex theorem checked on the rotated problem;
    SGD's iterates against Q times the unrotated ones (rounding); the error ratios of the adaptive
    methods against the ratios of L_norm1 and H_norm11 (agrees/disagrees/inconclusive).""",
    plan=_plan, rows=rows, title="boundcheck sweep rotation: geometry under rotations",
    options=(
        SweepOption("algorithms", ("--algorithms",), "Algorithms (default adagrad,adam,subset-norm,sgd; "
                    "subset-norm when registered).", "A1,A2,...", names_option("--algorithms")),
        SweepOption("rotations", ("--rotations",), "Rotations (default none,permutation,blocks:4,haar; none is "
                    "always the reference).", "R1,R2,...", _rotations),
        SweepOption("dims", ("--dims",), "Dimensions (default 16,64; each in [2, 4096]).", "D1,D2,...",
                    integer_list_option("--dims", low=2, high=4096)),
        SweepOption("T", ("--T",), "Iterations (default 1000).", "T", integer_option("--T", high=10**9)),
        SweepOption("M", ("--M",), "Batch size (default 8).", "M", integer_option("--M")),
        SweepOption("eta", ("--eta",), "One step size for every algorithm (default: per algorithm, from the "
                    "unrotated problem).", "ETA", positive_option("--eta")),
        SweepOption("schedule", ("--schedule",), "constant | sqrt-decay (default: per algorithm).", "S"),
        SweepOption("seed_rotation", ("--seed-rotation",), "Seed of the rotations.", "S",
                    integer_option("--seed-rotation", low=0), 0),
        SweepOption("bounds", ("--bounds",), "theorem (the algorithms' convex theorems on each rotated "
                    "problem) | none.", "theorem|none", None, "theorem"),
    ),
    seeds_default=SEEDS_DEFAULT,
)

__all__ = ["SWEEP", "MEASURE", "plan", "rows", "theorem_for", "STEPS", "ROTATIONS", "ALGORITHMS"]
