"""Sweeps: rate fits against the bound's slope, the bias/variance crossover, the batch-size
table's best grid point, the AdaGrad/SGD ratio rows."""

import math

import numpy as np
import pytest

from boundcheck.verify import cells, sweeps


def theorem_outcome(T, samples, bound, theorem="thm4.1", quantity="avg_iterate_gap", constants=None, **extra):
    spec = {"kind": "theorem", "theorem": theorem, "T": T, "seed": 0}
    res = {"theorem": theorem, "algorithm": "adagrad", "option": "I", "problem": "p", "d": 3, "T": T, "M": 2,
           "seeds_requested": len(samples), "quantity": quantity, "samples": list(samples), "n_diverged": 0,
           "bound": bound, "terms": {}, "assumptions": [], "o_form_only": bound is None,
           "constants": constants or {}, **extra}
    return cells.Outcome(spec, res)


def test_rate_fit_recovers_a_known_slope_and_compares_with_the_bound():
    rng = np.random.default_rng(0)
    Ts = [100, 300, 1000, 3000, 10000]
    outs = [theorem_outcome(T, 5.0 * T**-0.5 * rng.lognormal(0, 0.05, 32), 50.0 * T**-0.5) for T in Ts]
    (row,) = sweeps.T_summary(outs, 0.99)
    assert row["check"] == "rate" and row["T"] is None and row["T_range"] == [100, 10000]
    assert row["ci_low"] <= -0.5 <= row["ci_high"]
    assert row["bound"] == pytest.approx(-0.5)
    # a rate row is a comparison: slower decay than the bound disagrees (never 'violated': a
    # slope is not a bound), faster agrees (never 'holds')
    slow = [theorem_outcome(T, 5.0 * T**-0.3 * rng.lognormal(0, 0.05, 32), 50.0 * T**-1.0) for T in Ts]
    (row,) = sweeps.T_summary(slow, 0.99)
    assert row["verdict"] == "disagrees" and "not a violation" in row["note"]
    fast = [theorem_outcome(T, 5.0 * T**-1.0 * rng.lognormal(0, 0.05, 32), 50.0 * T**-0.5) for T in Ts]
    assert sweeps.T_summary(fast, 0.99)[0]["verdict"] == "agrees"


def test_squared_mean_quantity_slope_is_doubled():
    rng = np.random.default_rng(1)
    Ts = [100, 1000, 10000]
    # Y = sqrt(mean_grad_l1_sq) ~ T^-0.25  ->  (E Y)^2 ~ T^-0.5
    outs = [theorem_outcome(T, T**-0.25 * rng.lognormal(0, 0.02, 16), 1.0, theorem="thm4.3",
                            quantity="sq_mean_rms_grad_l1") for T in Ts]
    (row,) = sweeps.T_summary(outs, 0.99)
    assert row["empirical"] == pytest.approx(-0.5, abs=0.02)


def test_crossover_is_where_bias_and_variance_terms_are_equal():
    from boundcheck.theory.theorem import get

    c = {"D_inf": 2.0, "D_2": 8.0, "L_norm1": 5.0, "L_norminf": 2.0, "sigma_norm1": 3.0, "sigma_norm2": 1.5,
         "M": 4, "d": 16, "eps": 1e-8, "Delta": 1.0}
    cx = sweeps.crossover("thm4.1", c)
    T = cx["crossover_T"]
    assert T is not None and cx["variance_terms"] and cx["bias_terms"]
    terms = get("thm4.1").evaluate({**c, "T": 1})["terms"]  # T = 1 only to get the term names
    assert set(cx["variance_terms"]) | set(cx["bias_terms"]) <= set(terms)
    import sympy as sp

    thm = get("thm4.1")
    Tsym = sp.Symbol("T", positive=True, integer=True)

    def group(names, at):
        total = sum(sp.sympify(thm.terms[n]) for n in names)
        return float(total.subs({s: c[s.name] for s in total.free_symbols if s.name in c}).subs(Tsym, at))

    bias, var = cx["bias_terms"], cx["variance_terms"]
    assert math.isfinite(T) and group(bias, T) == pytest.approx(group(var, T), rel=1e-8)
    # bias dominates before the crossover, variance after
    assert group(bias, T / 10) > group(var, T / 10)
    assert group(bias, 10 * T) < group(var, 10 * T)


def test_batch_rows_pick_the_best_grid_point_per_M():
    def grid(M, eta, mean):
        spec = {"kind": "batch", "M": M, "eta": eta, "budget": 64, "init": "uniform:0.05"}
        res = {"problem": "p", "d": 2, "algorithm": "sgd", "T": 64 // M, "M": M, "eta": eta,
               "schedule": "constant", "last": [mean, mean * 1.1, mean * 0.9], "avg": [mean] * 3,
               "n_diverged": 0, "seeds_requested": 3}
        return cells.Outcome(spec, res)

    outs = [grid(1, 1.0, 0.5), grid(1, 0.1, 0.2), grid(4, 1.0, 0.3), grid(4, 10.0, 5.0)]
    rows = sweeps.batch_rows(outs, 0.99)
    assert [(r["M"], r["eta"]) for r in rows] == [(1, 0.1), (4, 1.0)]
    assert all(r["bound"] is None and r["verdict"] == "n/a" for r in rows)  # no bound by design: not a check
    assert all(r["eta"] is not None and r["schedule"] == "constant" for r in rows)  # the winning step size
    assert all("samples" not in r for r in rows)  # T = 64 / M exactly


def test_batch_rows_say_when_the_budget_is_not_a_multiple_of_M():
    spec = {"kind": "batch", "M": 3, "eta": 1.0, "budget": 10, "init": "uniform:0.05"}
    res = {"problem": "p", "d": 2, "algorithm": "sgd", "T": 3, "M": 3, "eta": 1.0, "schedule": "constant",
           "last": [0.2, 0.3, 0.25], "avg": [0.2] * 3, "n_diverged": 0, "seeds_requested": 3}
    (row,) = sweeps.batch_rows([cells.Outcome(spec, res)], 0.99)
    assert row["budget"] == 10 and row["samples"] == 9
    assert row["note"].startswith("M T = 9 samples, not the budget 10")


def test_dimension_row_ratios():
    from boundcheck.theory.examples import ratios

    c = {"D_inf": 2.0, "D_2": 4.0, "sigma_norm1": 3.0, "sigma_norm2": 2.0, "L_norm1": 6.0, "L_norminf": 3.0}
    a = theorem_outcome(100, [0.2, 0.23, 0.18, 0.19, 0.2], 1.0, constants=c)
    s = theorem_outcome(100, [0.4, 0.42, 0.37, 0.41, 0.4], 4.0, theorem="thmD.1", constants=c)
    k = cells.Outcome({"kind": "constants", "names": ["R1", "R2"]}, {"problem": "p", "constants": ratios(c)})
    rows = sweeps.dimension_rows([a, s, k], 0.99)
    ratio = rows[-1]
    assert ratio["check"] == "dimension"
    assert ratio["empirical"] == pytest.approx(1.0 / 2.0, rel=0.02) and ratio["ci_low"] < ratio["empirical"] < ratio["ci_high"]
    assert ratio["bound"] == pytest.approx(0.25) and ratio["ratio"] == pytest.approx(ratio["empirical"] / 0.25)
    assert ratio["R1"] == pytest.approx(2 * 3 / (4 * 2)) and ratio["R2"] == pytest.approx(6 * 4 / (3 * 16))
    # the bounds predict AdaGrad < SGD (ratio 0.25 < 1); the observed ratio's interval lies below 1
    assert ratio["verdict"] == "agrees" and ratio["prediction"] == "AdaGrad < SGD"
    # observed the other way round: a comparison disagrees, it never reads 'violated' or 'holds'
    rows = sweeps.dimension_rows([theorem_outcome(100, [0.8, 0.83, 0.78, 0.79, 0.8], 1.0, constants=c), s, k], 0.99)
    assert rows[-1]["verdict"] == "disagrees"
