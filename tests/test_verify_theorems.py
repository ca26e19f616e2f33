"""Theorem checks: verdict logic on constructed results, and every theorem on its defaults.

The constructed cases go through the same ``summarise`` the CLI uses, so they test the
integration of quantities, intervals, paired differences and verdicts, not just stats.
"""

import math

import numpy as np
import pytest

from boundcheck.problems.standard import INTERPOLATION, NONCONVEX
from boundcheck.theory import quantity as quantities
from boundcheck.theory.theorem import get
from boundcheck.verify import cells, theorem_check
from boundcheck.verify.plan import theorem_ids

SPEC = {"kind": "theorem", "seed": 0}


def result(samples, bound, *, quantity="avg_iterate_gap", n_div=0, **extra):
    samples = np.asarray(samples, float)
    return {"theorem": "t", "algorithm": "a", "option": "I", "problem": "p", "d": 2, "T": 10, "M": 1,
            "seeds_requested": samples.size + n_div, "quantity": quantity, "samples": samples.tolist(),
            "n_diverged": n_div, "bound": bound, "terms": {}, "assumptions": [], "o_form_only": False, **extra}


def test_known_mean_above_bound_is_violated_and_below_holds():
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 0.1, size=64)
    assert theorem_check.summarise(SPEC, result(x, 1.0), 0.99)["verdict"] == "violated"
    row = theorem_check.summarise(SPEC, result(x, 3.0), 0.99)
    assert row["verdict"] == "holds" and row["ratio"] == pytest.approx(x.mean() / 3.0)
    assert theorem_check.summarise(SPEC, result(x, float(x.mean())), 0.99)["verdict"] == "inconclusive"


@pytest.mark.parametrize("quantity", ["avg_iterate_gap", "sq_mean_rms_grad_l1"])
def test_false_violation_rate_at_point_nine_bound_is_at_most_nominal(quantity):
    """True quantity = 0.9 x bound: 'violated' at most at the one-sided nominal rate (plus a
    binomial allowance), for a mean and for a squared-mean quantity."""
    conf, bound, n_exp, R = 0.99, 1.0, 3000, 8
    rng = np.random.default_rng(1)
    q = quantities.get(quantity)
    if q.squared_mean:  # per-replica Y >= 0 with (E Y)^2 = 0.9 bound; skewed like real errors
        Y = rng.exponential(math.sqrt(0.9 * bound), size=(n_exp, R)) ** 2
        metric = Y  # metric = mean_grad_l1_sq; the quantity takes sqrt -> Y ~ Exp
    else:
        metric = rng.exponential(0.9 * bound, size=(n_exp, R))
    calls = 0
    for row in metric:
        samples = q.samples(row)
        calls += theorem_check.summarise(SPEC, result(samples, bound, quantity=quantity), conf)["verdict"] == "violated"
    nominal = (1 - conf) / 2
    assert calls / n_exp <= nominal + 4 * math.sqrt(nominal * (1 - nominal) / n_exp)


def test_squared_mean_quantity_uses_the_square_of_the_mean():
    metric = np.array([1.0, 4.0, 9.0, 16.0])  # mean_grad_l1_sq per replica -> Y = 1, 2, 3, 4
    q = quantities.get("sq_mean_rms_grad_l1")
    row = theorem_check.summarise(SPEC, result(q.samples(metric), 100.0, quantity=q.id), 0.95)
    assert row["empirical"] == pytest.approx(2.5**2)
    assert row["ci_low"] <= 2.5**2 <= row["ci_high"]


def test_paired_verdict_for_a_bound_with_a_measured_expectation():
    """E.1-style: the bound varies per replica; quantity_r = bound_r - 0.05 always. Unpaired,
    the two noisy means overlap; paired, the difference is certainly negative: holds."""
    rng = np.random.default_rng(2)
    b = rng.normal(1.0, 0.3, size=16)
    q = b - 0.05
    row = theorem_check.summarise(SPEC, result(q, float(b.mean()), bound_samples=b.tolist(),
                                               measured={"G_sum": 1.0}), 0.99)
    assert row["verdict"] == "holds"
    assert row["diff_ci_high"] < 0
    unpaired = theorem_check.summarise(SPEC, result(q, float(b.mean())), 0.99)
    assert unpaired["verdict"] == "inconclusive"
    # and the paired rule calls a real excess a violation
    row = theorem_check.summarise(SPEC, result(b + 0.05, float(b.mean()), bound_samples=b.tolist(),
                                               measured={"G_sum": 1.0}), 0.99)
    assert row["verdict"] == "violated"


def test_o_form_only_is_never_holds_and_diverged_replicas_are_counted():
    row = theorem_check.summarise(SPEC, result([1e-9, 2e-9, 3e-9], None, o_form_only=True), 0.99)
    assert row["verdict"] == "inconclusive" and row["bound"] is None and row["note"].startswith("O-form only")
    row = theorem_check.summarise(SPEC, result([0.1, 0.2, 0.1], 1.0, n_div=2), 0.99)
    assert row["verdict"] == "diverged" and row["n_diverged"] == 2 and row["seeds"] == 3
    row = theorem_check.summarise(SPEC, result([], 1.0, n_div=5), 0.99)
    assert row["verdict"] == "diverged" and row["empirical"] is None


@pytest.mark.parametrize("tid", [t for t in theorem_ids() if get(t).checkable])
def test_every_theorem_holds_on_its_default_problem(tid):
    """Small version of `boundcheck verify`: each registered theorem on its default problem.
    Explicit bounds must hold; O-form-only results are inconclusive (never holds). By kind: an
    upper bound lies above the quantity (ratio < 1), a lower bound below it (ratio > 1), a
    high-probability bound above the (1 - delta)-quantile (issue 12)."""
    thm = get(tid)
    delta = 0.1 if thm.kind == "probability-upper" else None
    seeds = 200 if delta else 12  # 20/delta replicas for a probability-upper statement
    spec = theorem_check.spec(tid, thm.problems[0], T=200, M=4, seeds=seeds, seed=3, delta=delta)
    res = cells.compute_cell(spec)
    assert "error" not in res, res.get("error")
    row = theorem_check.summarise(spec, res, 0.99)
    assert row["n_diverged"] == 0
    if res["o_form_only"]:
        assert row["verdict"] == "inconclusive" and row["bound"] is None
    else:
        assert row["verdict"] == "holds", row
        assert (row["ratio"] > 1) if thm.kind == "expectation-lower" else (0 < row["ratio"] < 1)
    statuses = {a["id"]: a["status"] for a in res["assumptions"]}
    assert "violated" not in statuses.values()


def test_assumption_failure_is_refused_with_the_reason():
    spec = theorem_check.spec("thm4.1", NONCONVEX, T=10, M=1, seeds=2, seed=0)
    res = cells.compute_cell(spec)
    assert "assumption 3.1" in res["error"]
    row = cells.summarise(cells.Outcome(cells.normalise(spec), res), 0.99)
    assert row["verdict"] == "error" and "assumption 3.1" in row["note"]


def test_interpolation_constants_satisfy_e4_and_sigma_star_vanishes():
    from boundcheck.constants import interpolation
    from boundcheck.verify import instances

    prob = instances.build(INTERPOLATION)
    star = interpolation.least_squares_star_constants(prob)
    X = np.asarray(prob.features())
    assert interpolation.expected_smoothness_ratio(X, star["L_star"]) <= 1 + 1e-12
    # E.4 directly: (1/2) E_i ||g_i(w) - g_i(w*)||^2_{L*^-1} <= f(w) - f(w*) at random points
    rng = np.random.default_rng(0)
    ws = np.asarray(prob.w_star)
    for _ in range(20):
        w = ws + rng.normal(size=ws.size)
        diff = X * (X @ (w - ws))[:, None]
        lhs = 0.5 * np.mean(np.sum(diff**2 / star["L_star"], axis=1))
        rhs = float(prob.loss(w[None, :])[0] - prob.loss(ws[None, :])[0])
        assert lhs <= rhs * (1 + 1e-9) + 1e-15
    assert np.max(star["sigma_star"]) < 1e-8  # consistent data: no noise at the minimiser
