r"""``boundcheck sweep blocks``: Subset-Norm across the number of blocks k, at an equal budget (issue 11).

Between AdaGrad-Norm (k = 1: one accumulator) and AdaGrad (k = d: d accumulators) Subset-Norm
keeps k accumulators. For each k of ``--blocks`` (default 1, 4, 16, ... up to d, and d) the sweep
runs the theorem check of ``--theorem`` (``thmSN.convex`` by default, or ``thmSN.nonconvex``) with
``blocks=k`` on the same problem, the same T and M (the same number of gradient samples, N = T M)
and the same seeds: one row per k (algorithm label ``subset-norm(k=K)``, fields ``blocks`` and ``state_floats``)
with the measured quantity (interval), the explicit bound (its
block constants follow the partition), its verdict, and the optimizer-state memory
``state_floats = k`` per replica.

Then one summary row (``check: "blocks"``) answers: where does the bound put the best k, and where
is the observed best? The prediction "the bound's best k is the observed best k" is checked as a
comparison (:mod:`boundcheck.verify.comparisons`): for every other k, the ratio of mean errors
``E err(k_bound) / E err(k)`` (delta-method interval on the log ratio, paired per replica since the
runs share their seeds) must lie in ``[0, 1]``. ``agrees`` when every interval lies inside, ``disagrees``
when some interval lies entirely above 1 (another k is significantly better), ``inconclusive``
otherwise; each interval at level ``1 - (1 - confidence)/m`` for m comparisons (Bonferroni), so the
row's answer is wrong with probability at most ``1 - confidence``.

With ``thmSN.nonconvex`` the quantity is measured in each k's own group norm ``||.||_{B,1}`` (it
grows with k, from ``||.||_2`` to ``||.||_1``): errors of different k are then not comparable, and the
summary row reports the comparison (``comparison_verdict``) with verdict ``inconclusive``. The convex
quantity ``E f(w_bar_T) - f*`` does not depend on the partition.

Default problems (convex / nonconvex): ``quadratic-oracle`` (d, rank 2: a coupled, anisotropic
H; exact constants; W = [-1, 1]^d) and ``nonconvex-aniso`` (d).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from boundcheck.validation import InputError
from boundcheck.verify import cells, theorem_check
from boundcheck.verify.sweep import Sweep, SweepOption, integer_list_option, integer_option

THEOREMS = ("thmSN.convex", "thmSN.nonconvex")
D_DEFAULT = 256
T_DEFAULT = 1000
M_DEFAULT = 8
SEEDS_DEFAULT = 16
MAX_D = 4096


def default_blocks(d: int) -> list[int]:
    """1, 4, 16, ... (powers of 4 below d) and d."""
    out, k = [], 1
    while k < d:
        out.append(k)
        k *= 4
    return out + [d]


def default_problem(theorem: str, d: int) -> dict:
    from boundcheck.problems.standard import instance

    if theorem == "thmSN.convex":
        return instance("quadratic-oracle", d=d, rank=2)
    return instance("nonconvex-aniso", d=d)


def plan(*, theorem: str | None = None, d: int | None = None, blocks: list[int] | None = None,
         T: int | None = None, M: int | None = None, seeds: int | None = None, seed: int = 0) -> list[dict]:
    from boundcheck.validation import choice

    tid = choice("--theorem", theorem or THEOREMS[0], THEOREMS)
    d = d or D_DEFAULT
    ks = sorted(blocks or default_blocks(d))
    bad = [k for k in ks if k > d]
    if bad:
        raise InputError(f"--blocks {bad[0]} exceeds --d {d}; allowed: 1 <= k <= d")
    prob = default_problem(tid, d)
    return [theorem_check.spec(tid, prob, T=T or T_DEFAULT, M=M or M_DEFAULT, seeds=seeds or SEEDS_DEFAULT,
                               seed=seed, hyperparameters={"blocks": k}) for k in ks]


def rows(outcomes, confidence: float) -> list[dict]:
    """One row per k (the theorem check, with ``blocks`` and ``state_floats``), then the summary."""
    out, done = [], []
    for o in outcomes:
        row = cells.summarise(o, confidence)
        if row is None:
            continue
        k = int((o.spec.get("hyperparameters") or {}).get("blocks"))
        row["check"] = "blocks-theorem"
        row["algorithm"] = f"subset-norm(k={k})"  # the table's only per-row label besides the theorem
        row["blocks"] = k
        row["state_floats"] = k
        d = row.get("d")
        name = "AdaGrad-Norm" if k == 1 else "AdaGrad" if d is not None and k == d else None
        if name:
            row["note"] = "; ".join(x for x in (f"k = {'1' if k == 1 else 'd'}: {name}", row.get("note")) if x)
        out.append(row)
        if o.result is not None and "error" not in o.result and not o.failure and row.get("empirical") is not None:
            done.append((k, o, row))
    if len(done) >= 2:
        out.append(_summary(done, confidence))
    return out


def _summary(done, confidence: float) -> dict:
    from boundcheck.theory.quantity import get as get_quantity
    from boundcheck.verify.comparisons import Prediction, compare, ratio_interval

    done = sorted(done, key=lambda x: x[0])
    first = done[0][2]
    q = get_quantity(first["quantity"])
    row: dict[str, Any] = {
        "check": "blocks", "theorem": first["theorem"], "algorithm": "subset-norm", "problem": first["problem"],
        "d": first["d"], "T": first["T"], "M": first["M"], "seeds": min(r["seeds"] for _, _, r in done),
        "quantity": f"E err(k_bound) / E err(k), {q.id}", "confidence": confidence,
        "blocks_tried": [k for k, _, _ in done], "empirical": None, "ci_low": None, "ci_high": None,
        "bound": None, "ratio": None,
    }
    bounds = {k: r.get("bound") for k, _, r in done}
    if any(b is None for b in bounds.values()):
        row.update(verdict="inconclusive", note="a bound is missing: no predicted best k")
        return row
    k_bound = min(bounds, key=lambda k: bounds[k])
    means = {k: r["empirical"] for k, _, r in done}
    k_obs = min(means, key=lambda k: means[k])
    row.update(best_k_bound=k_bound, best_k_observed=k_obs, state_floats_best_bound=k_bound,
               state_floats_best_observed=k_obs,
               algorithm=f"best k: bound {k_bound}, observed {k_obs}")
    # samples of the error E Y (for (E Y)^2 quantities: Y, whose mean orders the same way)
    samples = {k: np.asarray(o.result["samples"], float) for k, o, _ in done}
    others = [k for k in samples if k != k_bound]
    level = 1.0 - (1.0 - confidence) / max(len(others), 1)
    verdicts, worst = [], None
    for k in others:
        x, y = samples[k_bound], samples[k]
        paired = x.size == y.size and x.size >= 2
        try:
            iv = ratio_interval(x, y, level, paired=paired)
        except ValueError:  # a non-positive mean: no ratio
            verdicts.append("inconclusive")
            continue
        power = 2.0 if q.squared_mean else 1.0  # (E Y)^2 quantities: the ratio of the squares
        c = compare(iv.low ** power, iv.high ** power, Prediction.ordering("<", f"k={k_bound}", f"k={k}"),
                    iv.estimate ** power)
        verdicts.append(c.verdict)
        if worst is None or c.high > worst[1].high:
            worst = (k, c)
    row["verdict"] = ("disagrees" if "disagrees" in verdicts else
                      "agrees" if verdicts and all(v == "agrees" for v in verdicts) else "inconclusive")
    from boundcheck import registry

    norm_moves = "partition" in registry.get("metric", q.metric).needs
    if norm_moves:  # each k measures (and bounds) the error in its own group norm
        row["comparison_verdict"] = row["verdict"]
        row["verdict"] = "inconclusive"
    if worst is not None:
        k, c = worst
        row.update(empirical=c.estimate, ci_low=c.low, ci_high=c.high, compared_with=k)
    row["note"] = (f"bound's best k = {k_bound} ({k_bound} floats of state), observed best k = {k_obs}; "
                   f"k = 1 is AdaGrad-Norm, k = d AdaGrad; prediction: err(k={k_bound}) < err(k) for every other "
                   f"k (paired ratio intervals at {level:.4g} each, Bonferroni); shown: the least favourable, "
                   f"k = {row.get('compared_with')}")
    if norm_moves:
        row["note"] += (f"; not comparable across k: {q.id} is measured in each k's own group norm "
                        f"||.||_(B,1), which grows from ||.||_2 (k = 1) to ||.||_1 (k = d), so the comparison "
                        f"({row['comparison_verdict']}) is reported but the verdict is inconclusive")
    return row




SWEEP = Sweep(
    name="blocks",
    help="""Subset-Norm across the number of blocks k at an equal budget (AdaGrad-Norm k=1 .. AdaGrad k=d).

    For each k: the theorem check (thmSN.convex by default) with blocks=k on one problem, same T, M
    and seeds, with the optimizer-state memory (k floats); then the bound's best k against the
    observed best k (agrees / disagrees / inconclusive).""",
    plan=lambda *, problem=None, **kw: plan(**kw), rows=rows, title="boundcheck sweep blocks: Subset-Norm across k",
    problem=False,
    options=(
        SweepOption("d", ("--d",), f"Dimension (default {D_DEFAULT}; in [1, {MAX_D}]).", "D", integer_option("--d", high=MAX_D)),
        SweepOption("blocks", ("--blocks",), "Numbers of blocks k (default 1,4,16,...,d; each <= d).", "K1,K2,...",
                    integer_list_option("--blocks", high=MAX_D)),
        SweepOption("theorem", ("--theorem",), "thmSN.convex (default) or thmSN.nonconvex.", "ID"),
        SweepOption("T", ("--T",), f"Iterations (default {T_DEFAULT}).", "T", integer_option("--T", high=10**9)),
        SweepOption("M", ("--M",), f"Batch size (default {M_DEFAULT}).", "M", integer_option("--M")),
    ),
    seeds_default=SEEDS_DEFAULT,
)

__all__ = ["SWEEP", "default_blocks", "plan", "rows"]
