"""boundcheck's high-probability statements (issue 12): the derivation of sgd-hp-quadratic step by
step, the Markov readings, and verify's probability-upper rows (JSON fields, heavy tails)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import integrate, special

from boundcheck.theory.proofs import hp_quadratic as hq


def test_every_sympy_step_is_proven_and_every_property_test_exists():
    sym = hq.hp_quadratic()
    for step in sym.derivation:
        if step.how == "sympy":
            assert step.check() is True, step.name
        else:
            assert step.test.split("::")[1] in globals(), step.name


def _sim_last_iterate(h, sigma, e0, eta, T, M, R, rng, law="gaussian"):
    """SGD's e_T = w_T - w* on the separable quadratic (vectorised over R replicas)."""
    e = np.tile(np.asarray(e0, float), (R, 1))
    for _ in range(T):
        if law == "gaussian":
            z = rng.standard_normal(e.shape)
        else:  # sub-Weibull(1/2), standardised: sign * sqrt(Exp(1))
            z = rng.choice([-1.0, 1.0], size=e.shape) * np.sqrt(rng.exponential(size=e.shape))
        e = (1 - eta * h) * e - eta * sigma * z / math.sqrt(M)
    return e


def test_normalised_last_iterate_noise_is_subgaussian():
    """The closed-form moments match simulation, and (e_T - mu)/sqrt(c) has the MGF of a proxy-1
    variable (checked at a few lambda for sub-Weibull(1/2) noise, whose steps are sub-Gaussian)."""
    rng = np.random.default_rng(0)
    h, sigma, e0 = np.array([1.0, 0.3]), np.array([0.5, 1.0]), np.array([0.4, -0.2])
    eta, T, M = 0.8, 12, 2
    e = _sim_last_iterate(h, sigma, e0, eta, T, M, 200000, rng, law="sub-weibull")
    rho = 1 - eta * h
    mu = rho**T * e0
    c = eta**2 * sigma**2 / M * (1 - rho ** (2 * T)) / (1 - rho**2)
    assert np.allclose(e.mean(axis=0), mu, atol=5 * np.sqrt(c / e.shape[0]))
    assert np.allclose(e.var(axis=0), c, rtol=0.02)
    z = (e - mu) / np.sqrt(c)
    for lam in (0.5, 1.0, 1.5):
        assert np.all(np.mean(np.exp(lam * z), axis=0) <= math.exp(lam**2 / 2) * 1.02)


def _mgf_quad(lam, m, log_density):
    f = lambda z: math.exp(lam * (z + m) ** 2 + log_density(z))  # noqa: E731
    return sum(integrate.quad(f, a, b, limit=200)[0] for a, b in ((-np.inf, -m), (-m, np.inf)))


def test_noncentral_mgf_bound_by_quadrature():
    gauss = lambda z: -z * z / 2 - 0.5 * math.log(2 * math.pi)  # noqa: E731
    # sub-Weibull(1/2): |X| = sqrt(E), density of |X| = 2x exp(-x^2); symmetric: |z| exp(-z^2)
    subw = lambda z: (math.log(abs(z)) if z != 0 else -math.inf) - z * z  # noqa: E731
    for lam in (0.05, 0.2, 0.4):
        for m in (0.0, 0.7, -2.0):
            bound = (1 - 2 * lam) ** -0.5 * math.exp(lam * m * m / (1 - 2 * lam))
            assert _mgf_quad(lam, m, gauss) == pytest.approx(bound, rel=1e-7)  # equality for Gaussian z
            assert _mgf_quad(lam, m, subw) <= bound * (1 + 1e-9)


def test_chernoff_exponent_bounds_the_log_mgf():
    """For Gaussian z the log MGF of Q - Qbar is explicit; it stays below s^2 v/(1 - 2 s b) on (0, 1/(2b))."""
    h, c, mu = np.array([1.0, 0.5, 0.2]), np.array([0.3, 0.8, 0.1]), np.array([0.2, 0.0, 1.0])
    a, m2 = h * c / 2, mu**2 / c
    Qbar = np.sum(a * (1 + m2))
    v = np.sum(a**2 * (1 + 2 * m2))
    b = np.max(a)
    for s in np.linspace(0.01, 0.999, 50) / (2 * b):
        u = 2 * s * a
        log_mgf = np.sum(-0.5 * np.log1p(-u) + s * a * m2 / (1 - u)) - s * Qbar
        assert log_mgf <= s * s * v / (1 - 2 * s * b) + 1e-12


def test_hp_quadratic_bound_holds_by_simulation():
    """Gaussian noise: at delta in {0.1, 0.01, 0.001} the empirical (1 - delta)-quantile of
    f(w_T) - f* (sampled from its exact law) stays below B(delta), and the mean equals Q_mean."""
    rng = np.random.default_rng(1)
    h = np.exp(-0.3 * np.arange(8))
    sigma, e0 = 0.7 * np.exp(-0.15 * np.arange(8)), rng.uniform(-0.5, 0.5, 8)
    eta, T, M = 1.0, 30, 4
    mom = hq.moments(h, sigma, e0, eta, T, M)
    rho = 1 - eta * h
    mu = rho**T * e0
    c = eta**2 * sigma**2 / M * (1 - rho ** (2 * T)) / (1 - rho**2)
    e = mu + np.sqrt(c) * rng.standard_normal((400000, 8))
    Q = 0.5 * np.sum(h * e * e, axis=1)
    assert Q.mean() == pytest.approx(mom["Q_mean"], rel=0.01)
    for delta in (0.1, 0.01, 0.001):
        assert np.quantile(Q, 1 - delta) < hq.bound_value(mom, delta)


def test_moments_closed_forms_match_the_engine():
    """prepare() on quadratic-oracle against SGD runs of the engine (Gaussian noise): E Q = Q_mean."""
    from boundcheck.engine import RunConfig, run
    from boundcheck.problems import make_problem

    p = make_problem("quadratic-oracle", d=6)
    T, M = 20, 2
    mom = hq.prepare(p, {"eta": 1.0, "T": T, "M": M})
    res = run(p, RunConfig(algorithm="sgd", option="II", T=T, batch_size=M, eta=1.0, schedule="constant", seeds=4000,
                           seed=0, init="zeros", checkpoints=[T], metrics=["last_iterate_gap"]))
    x = np.asarray(res.metrics["last_iterate_gap"][-1])
    assert abs(x.mean() - mom["Q_mean"]) < 4 * x.std(ddof=1) / math.sqrt(x.size)


def test_moments_near_the_stability_edge_do_not_cancel():
    """r = (1 - eta h)^2 close to 1: the closed form equals the direct geometric sum."""
    for h in (1e-9, 1e-5, 1.0, 2.0 - 1e-9):
        m = hq.moments([h], [1.0], [0.0], 1.0, 50, 1)
        r = (1 - h) ** 2
        direct = 0.5 * h * sum(r**k for k in range(50))
        assert m["Q_mean"] == pytest.approx(direct, rel=1e-9)


def test_markov_readings_are_the_expectation_bounds_over_delta():
    from boundcheck.theory.theorem import get

    consts = {"D_2": 4.0, "L_norminf": 1.0, "sigma_norm2": 1.0, "M": 8, "T": 100, "eps": 1e-8, "D_inf": 2.0}
    base = get("thmD.1").evaluate(consts)["explicit"]
    for delta in (0.1, 0.01):
        assert get("sgd-hp-markov").evaluate({**consts, "delta": delta})["explicit"] == pytest.approx(base / delta)
    ada = get("adagradnorm-hp-markov").evaluate({**consts, "delta": 0.1})["explicit"]
    assert ada == pytest.approx((4.5 * 16 / 100 + 3 * 4 / math.sqrt(800) + 1e-8 * 4 / 100) / 0.1)
    for tid in ("sgd-hp-markov", "adagradnorm-hp-markov"):
        for step in get(tid).derivation:
            if step.name.startswith("markov"):
                assert step.check() is True


# ---------------------------------------------------------------------------- CLI
def _cli(capsys, *args):
    from boundcheck.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_probability_rows_carry_the_kind_fields(capsys):
    code, out, err = _cli(capsys, "verify", "sgd-hp-quadratic", "--delta", "0.1,0.05", "--T", "20", "--no-cache",
                          "--format", "json", "--quiet")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert [r["delta"] for r in rows] == [0.1, 0.05]
    for r in rows:
        assert r["kind"] == "probability-upper" and r["verdict"] == "holds"
        assert r["replicas"] == r["seeds"] == math.ceil(20 / r["delta"])
        assert 0 <= r["exceedances"] <= r["replicas"] and r["quantile"] == r["empirical"] < r["bound"]
        assert r["exceedance_ci_low"] <= r["exceedance_rate"] <= r["exceedance_ci_high"] <= r["delta"]
        assert 0 <= r["p_value"] <= 1 and r["interval_method"].startswith("exact binomial")


def test_verify_delta_option_is_validated(capsys):
    code, _, err = _cli(capsys, "verify", "sgd-hp-quadratic", "--delta", "1.5", "--no-cache")
    assert code == 2 and "--delta" in err
    code, _, err = _cli(capsys, "verify", "thm4.1", "--delta", "0.1", "--no-cache")
    assert code == 2 and "probability-upper" in err


HEAVY = ("--problem", "quadratic-oracle", "--d", "16", "--param", "noise_shape=student-t", "--param",
         "noise_tail=3", "--M", "1", "--T", "100", "--no-cache", "--quiet")


def test_heavy_tails_are_refused_without_the_flag(capsys):
    code, out, err = _cli(capsys, "verify", "sgd-hp-quadratic", "--delta", "0.1", *HEAVY)
    assert code == 2 and "subgaussian-noise" in err and "--allow-assumption-violation" in err
    assert len(err.strip().splitlines()) == 1


def test_heavy_tails_break_the_subgaussian_bound_at_small_delta_but_not_markov(capsys):
    """Student-t(3) noise of the same variance: the sub-Gaussian bound is violated at delta = 0.001
    (the rows are marked); the Markov reading of Theorem D.1 (finite variance only) holds."""
    code, out, err = _cli(capsys, "verify", "sgd-hp-quadratic", "sgd-hp-markov", "--delta", "0.001", *HEAVY,
                          "--allow-assumption-violation", "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert data["provenance"]["allow_assumption_violation"] is True
    by = {r["theorem"]: r for r in data["rows"]}
    hp = by["sgd-hp-quadratic"]
    assert hp["verdict"] == "violated" and hp["quantile"] > hp["bound"] and hp["exceedance_ci_low"] > 0.001
    assert any("subgaussian-noise" in v for v in hp["assumption_violation"])
    assert by["sgd-hp-markov"]["verdict"] == "holds" and "assumption_violation" not in by["sgd-hp-markov"]
    code, out, err = _cli(capsys, "verify", "sgd-hp-quadratic", "--delta", "0.001", *HEAVY,
                          "--allow-assumption-violation")
    assert "sgd-hp-quadratic!" in out and "--allow-assumption-violation" in out


def test_theorems_show_and_bound_for_the_new_kinds(capsys):
    code, out, _ = _cli(capsys, "theorems", "--format", "json")
    kinds = {r["id"]: r["kind"] for r in json.loads(out)}
    assert kinds["sgd-hp-quadratic"] == "probability-upper" and kinds["sgd-lower-l1-avg"] == "expectation-lower"
    assert kinds["thm4.1"] == "expectation-upper"
    code, out, _ = _cli(capsys, "theorems")
    assert code == 0 and "probability-upper" in out and "expectation-lower" in out
    code, out, _ = _cli(capsys, "show", "sgd-hp-quadratic")
    assert "for every delta in (0, 1), with probability at least 1 - delta" in out and "boundcheck's derivation" in out
    code, out, _ = _cli(capsys, "show", "sgd-lower-l1-min")
    assert "on the construction" in out and "stiff-flat-quadratic" in out and ">= B" in out
    code, out, _ = _cli(capsys, "bound", "sgd-hp-quadratic", "delta=0.01", "Q_mean=1", "Q_var=1", "Q_scale=1", "eta=1",
                        "--format", "json")
    data = json.loads(out)
    x = math.log(100)
    assert data["explicit"] == pytest.approx(1 + 2 * math.sqrt(x) + 2 * x) and data["delta"] == 0.01
    code, _, err = _cli(capsys, "bound", "sgd-hp-quadratic", "delta=1.5", "Q_mean=1", "Q_var=1", "Q_scale=1", "eta=1")
    assert code == 2 and "delta" in err


def test_run_with_a_theorem_schedule_checks_its_assumptions(capsys):
    args = ("run", "--problem", "quadratic-oracle", "--d", "6", "--param", "noise_shape=student-t", "--param",
            "noise_tail=3", "--T", "5", "--seeds", "2", "--schedule", "theorem", "--theorem", "sgd-hp-quadratic",
            "--algorithm", "sgd", "--eta", "1", "--format", "json")
    code, _, err = _cli(capsys, *args)
    assert code == 2 and "subgaussian-noise" in err
    code, out, err = _cli(capsys, *args, "--allow-assumption-violation")
    assert code == 0, err
    assert any("subgaussian-noise" in v for v in json.loads(out)["config"]["assumption_violation"])


def test_quantile_helpers_agree_with_special_functions():
    # the Student-t(3) tail the heavy-tail demonstration relies on, and the sub-Gaussian bound's growth
    assert special.stdtr(3, -7.77) * 2 > 0.001
    m = {"Q_mean": 1.0, "Q_var": 1.0, "Q_scale": 1.0}
    assert hq.bound_value(m, 0.001) > hq.bound_value(m, 0.01) > hq.bound_value(m, 0.1)


def test_delta_applies_to_probability_rows_only_and_plots_one_series_per_delta(capsys, tmp_path):
    png = tmp_path / "hp.png"
    code, out, err = _cli(capsys, "verify", "sgd-hp-quadratic", "sgd-lower-l1-min", "--delta", "0.1", "--T", "10,20",
                          "--seeds", "60", "--no-cache", "--quiet", "--format", "json", "--plot", str(png))
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert {r["theorem"]: r.get("delta") for r in rows} == {"sgd-hp-quadratic": 0.1, "sgd-lower-l1-min": None}
    assert png.stat().st_size > 0
