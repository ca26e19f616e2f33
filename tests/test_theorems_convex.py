"""AdaGrad convex theorems (thmE.1, thm4.1, thmE.interp): proof steps, property tests for
the steps SymPy cannot prove, metamorphic checks and small simulations.

Property tests named by the derivations (``how="property"``) live here; a test in
test_theorems_sgd.py checks every named test exists.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from boundcheck.theory import symbols as S
from boundcheck.theory.theorem import get
from boundcheck.theory.proofs import adagrad_convex as AC

IDS = ("thmE.1", "thm4.1", "thmE.interp")
pos = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)


def vec(n, lo=-10.0, hi=10.0):
    return st.lists(st.floats(min_value=lo, max_value=hi, allow_nan=False), min_size=n, max_size=n)


# ---------------------------------------------------------------------- SymPy steps
@pytest.mark.parametrize("tid", IDS)
def test_every_sympy_step_is_proven(tid):
    thm = get(tid)
    results = thm.derivation.check()
    sympy_steps = [s.name for s in thm.derivation if s.how == "sympy"]
    assert sympy_steps, "a derivation without any SymPy-checked step"
    assert all(results[name] is True for name in sympy_steps), results


@pytest.mark.parametrize("tid", IDS)
def test_explicit_dominates_generic(tid):
    checks = get(tid).consistency()
    assert checks == {"explicit_ge_generic": True}


def test_thm41_constants_are_the_derived_ones():
    t = get("thm4.1")
    expected = (sp.Rational(9, 2) * S.L_norm1 * S.D_inf**2 / S.T + 3 * S.D_inf * S.sigma_norm1 / sp.sqrt(S.M * S.T)
                + S.eps * S.D_2**2 / (S.D_inf * S.T))
    assert sp.simplify(t.explicit - expected) == 0
    # the generic bound at the optimum eta = D_inf/sqrt(2) has bias constant 4 (the paper's printed 4)
    at_opt = sp.expand(t.generic.subs(S.eta, S.D_inf / sp.sqrt(2)))
    assert sp.simplify(at_opt.coeff(S.L_norm1) * S.T / S.D_inf**2) == 4
    # and eta = D_inf/sqrt(2) does beat eta = D_inf on the generic bound (smaller C)
    C = S.D_inf**2 / (2 * S.eta) + S.eta
    assert sp.simplify(C.subs(S.eta, S.D_inf / sp.sqrt(2)) - sp.sqrt(2) * S.D_inf) == 0


def test_interp_constants_are_the_derived_ones():
    t = get("thmE.interp")
    expected = (9 * AC.L_star_norm1 * S.D_inf**2 / S.T
                + 3 * sp.sqrt(2) * S.D_inf * AC.sigma_star_norm1 / sp.sqrt(S.M * S.T)
                + S.eps * S.D_2**2 / (S.D_inf * S.T))
    assert sp.simplify(t.explicit - expected) == 0


def test_broken_step_is_not_proven():
    """The provers can fail: identity (17) without the factor 2 is false and must not pass."""
    from boundcheck.theory.derivation import Step

    lam = AC._lam_prev + AC._delta
    bad = Step("bad17", "g^2/lambda_t <= lambda_t - lambda_{t-1}",
               lhs=sp.expand(lam**2 - AC._lam_prev**2) / lam, rhs=AC._delta)
    assert bad.check() is False


@given(A=st.floats(0, 1e6), C=pos, C1=pos, C0=st.floats(0, 1e6))
def test_solve_quadratic_numerically(A, C, C1, C0):
    assume(A <= C * math.sqrt(C1 * A) + C0)
    assert A <= (C**2 * C1 + 2 * C0) * (1 + 1e-12) + 1e-300


# ---------------------------------------------------------------------- property steps
@given(d=st.integers(1, 6), data=st.data())
def test_projection_nonexpansive_in_lambda_norm(d, data):
    """Lemma C.1 for a box: the Lambda-norm projection (coordinate clipping) is
    non-expansive towards any z in W."""
    lo = np.array(data.draw(vec(d, -5, 0)))
    width = np.array(data.draw(vec(d, 0, 5)))
    hi = lo + width
    lam = np.array(data.draw(st.lists(st.floats(1e-6, 1e6), min_size=d, max_size=d)))
    x = np.array(data.draw(vec(d, -50, 50)))
    u = np.array(data.draw(st.lists(st.floats(0, 1), min_size=d, max_size=d)))
    z = lo + u * width
    p = np.clip(x, lo, hi)
    assert np.sum(lam * (p - z) ** 2) <= np.sum(lam * (x - z) ** 2) * (1 + 1e-12) + 1e-12


def _logistic(w, X, y):
    m = X @ w
    return float(np.mean(np.logaddexp(0, -y * m))), X.T @ (-y / (1 + np.exp(y * m))) / len(y)


@given(seed=st.integers(0, 2**32 - 1))
def test_first_order_convexity(seed):
    """<grad f(w), w - w'> >= f(w) - f(w') for a convex logistic loss (Assumption 3.1)."""
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(20, 4)), rng.choice([-1.0, 1.0], 20)
    w, w2 = rng.normal(size=4) * 3, rng.normal(size=4) * 3
    f1, g1 = _logistic(w, X, y)
    f2, _ = _logistic(w2, X, y)
    assert g1 @ (w - w2) >= f1 - f2 - 1e-12 * (1 + abs(f1) + abs(f2))


@given(T=st.integers(1, 8), data=st.data())
def test_minkowski_split(T, data):
    a = np.array(data.draw(vec(T, -1e3, 1e3)))
    b = np.array(data.draw(vec(T, -1e3, 1e3)))
    lhs = np.sqrt(np.sum((a + b) ** 2))
    assert lhs <= (np.sqrt(np.sum(a**2)) + np.sqrt(np.sum(b**2))) * (1 + 1e-12) + 1e-12


@given(data=st.data(), n=st.integers(1, 12))
def test_jensen_sqrt_exact_expectation(data, n):
    """E sqrt(X) <= sqrt(E X) for X >= 0, with E exact over an empirical distribution
    (Lemma E.2's and Thm 4.1's Jensen steps)."""
    x = np.array(data.draw(st.lists(st.floats(0, 1e8), min_size=n, max_size=n)))
    p = np.array(data.draw(st.lists(st.floats(1e-3, 1), min_size=n, max_size=n)))
    p /= p.sum()
    assert p @ np.sqrt(x) <= math.sqrt(p @ x) * (1 + 1e-12) + 1e-12


@given(d=st.integers(1, 8), data=st.data())
def test_weighted_cauchy_schwarz(d, data):
    """Lemma G.1: (sum_j x_j)^2 <= (sum_j s_j) sum_j x_j^2/s_j for x >= 0, s > 0."""
    x = np.array(data.draw(st.lists(st.floats(0, 1e4), min_size=d, max_size=d)))
    s = np.array(data.draw(st.lists(st.floats(1e-4, 1e4), min_size=d, max_size=d)))
    assert x.sum() ** 2 <= s.sum() * np.sum(x**2 / s) * (1 + 1e-10) + 1e-12


@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 6))
def test_smooth_gap_inequality(seed, d):
    """||grad f(w)||^2_{L^{-1}} <= 2 (f(w) - f*) for convex f = 1/2 (w-w*)' H (w-w*) with
    diag(L) >= H (L_j = sum_k |H_jk|) and grad f(w*) = 0."""
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(d, d)) * rng.lognormal(0, 2, size=d)
    H = B @ B.T
    L = np.sum(np.abs(H), axis=1) + 1e-12
    w_star, w = rng.normal(size=d), rng.normal(size=d) * 10
    g = H @ (w - w_star)
    gap = 0.5 * (w - w_star) @ H @ (w - w_star)
    assert np.sum(g**2 / L) <= 2 * gap * (1 + 1e-9) + 1e-12


def test_smooth_gap_needs_stationary_minimiser():
    """Counter-example: a constrained minimiser with grad f(w*) != 0 breaks the step."""
    # f(w) = w on W = [0, 1]: w* = 0, f* = 0, L can be anything (f is linear)
    w, L = 0.0, 1.0
    grad, gap = 1.0, w - 0.0
    assert grad**2 / L > 2 * gap


@given(seed=st.integers(0, 2**32 - 1), T=st.integers(1, 20))
def test_jensen_average_iterate(seed, T):
    """f(w_bar) <= mean f(w_t) for convex f (the output step of Thms 4.1, D.1)."""
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(15, 3)), rng.choice([-1.0, 1.0], 15)
    W = rng.normal(size=(T, 3)) * 2
    assert _logistic(W.mean(axis=0), X, y)[0] <= np.mean([_logistic(w, X, y)[0] for w in W]) + 1e-12


@given(n=st.integers(1, 4), M=st.integers(1, 3), data=st.data())
def test_minibatch_variance_exact(n, M, data):
    """Lemma C.2 exactly: batches of M samples drawn uniformly with replacement from n
    per-sample gradients; E n_j^2 over all n^M batches equals Var_j / M <= sigma_j^2 / M."""
    G = np.array(data.draw(st.lists(vec(2, -100, 100), min_size=n, max_size=n)))
    mean = G.mean(axis=0)
    var = ((G - mean) ** 2).mean(axis=0)
    second = np.zeros(2)
    for batch in itertools.product(range(n), repeat=M):
        second += (G[list(batch)].mean(axis=0) - mean) ** 2
    second /= n**M
    np.testing.assert_allclose(second, var / M, rtol=1e-9, atol=1e-9)


@given(M=st.integers(1, 6), data=st.data())
def test_norm_of_mean_le_mean_of_norms(M, data):
    """||(1/M) sum_i v_i||^2_{L^-1} <= (1/M) sum_i ||v_i||^2_{L^-1} (E.4 for minibatches)."""
    V = np.array(data.draw(st.lists(vec(3, -1e3, 1e3), min_size=M, max_size=M)))
    L = np.array(data.draw(st.lists(st.floats(1e-3, 1e3), min_size=3, max_size=3)))
    lhs = np.sum(V.mean(axis=0) ** 2 / L)
    assert lhs <= np.mean(np.sum(V**2 / L, axis=1)) * (1 + 1e-12) + 1e-12


# ---------------------------------------------------------------------- metamorphic
def _ratio_bounds(explicit, o_form):
    """Positive constants c_lo <= explicit / o_form <= c_hi, proven by SymPy."""
    from boundcheck.theory.derivation import is_nonnegative

    ex_terms = sp.Add.make_args(sp.expand(explicit))
    o_terms = sp.Add.make_args(sp.expand(o_form))
    ratios = []
    for o in o_terms:
        match = [e for e in ex_terms if (sp.simplify(e / o)).is_number]
        assert len(match) == 1, (o, ex_terms)
        ratios.append(sp.simplify(match[0] / o))
    lo, hi = min(ratios), max(ratios)
    assert lo > 0
    assert is_nonnegative(sp.expand(explicit - lo * o_form))
    assert is_nonnegative(sp.expand(hi * o_form - explicit))
    return lo, hi


@pytest.mark.parametrize("tid", ["thm4.1", "thmE.interp", "thmE.1"])
def test_o_form_equals_explicit_up_to_constants(tid):
    t = get(tid)
    lo, hi = _ratio_bounds(t.explicit, t.o_form)
    assert 0 < lo <= hi < 10


@pytest.mark.parametrize("tid,sigma", [("thm4.1", S.sigma_norm1), ("thmE.interp", AC.sigma_star_norm1)])
def test_zero_noise_removes_variance(tid, sigma):
    t = get(tid)
    assert t.terms["variance"].subs(sigma, 0) == 0
    assert all(v.subs(sigma, 0) == v for k, v in t.terms.items() if k != "variance")
    # with sigma = 0 the bound is O(1/T): T * bound has a finite positive limit
    lim = sp.limit(t.explicit.subs(sigma, 0) * S.T, S.T, sp.oo)
    assert lim.is_positive and lim.is_finite


@pytest.mark.parametrize("tid", ["thm4.1", "thmE.interp"])
def test_variance_term_scales_as_inverse_sqrt_MT(tid):
    v = get(tid).terms["variance"]
    scaled = sp.simplify(v * sp.sqrt(S.M * S.T))
    assert S.M not in scaled.free_symbols and S.T not in scaled.free_symbols
    # the other terms do not depend on M, and decay like 1/T
    for k, e in get(tid).terms.items():
        if k != "variance":
            assert S.M not in e.free_symbols
            assert sp.simplify(e * S.T).free_symbols.isdisjoint({S.T})


def test_e1_bound_is_minimised_at_d_inf_over_sqrt2_without_eps():
    t = get("thmE.1")
    e = t.explicit.subs(S.eps, 0)
    crit = [r for r in sp.solve(sp.diff(e, S.eta), S.eta) if r.is_positive]
    assert crit == [S.D_inf / sp.sqrt(2)]


# ---------------------------------------------------------------------- simulations
def _adagrad_box(grad_fn, w0, lo, hi, eta, eps, T, noise, rng):
    """AdaGrad Option I (Alg. 1) on a box, batch of replicas: W (R, d). Returns iterates
    (T, R, d) and the per-step stochastic gradients (T, R, d)."""
    W = np.array(w0, dtype=float)
    v = np.full_like(W, eps**2)
    iters, grads = [], []
    for _ in range(T):
        g = grad_fn(W) + noise * rng.standard_normal(W.shape)
        v = v + g * g
        iters.append(W.copy())
        grads.append(g)
        W = np.clip(W - eta * g / np.sqrt(v), lo, hi)
    return np.array(iters), np.array(grads)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_e1_chain_holds_pathwise(seed):
    """The E.1 chain holds path by path with <g_t, w_t - w*> in place of f(w_t) - f*:
    sum_t <g_t, w_t - w*> <= (eps D_2^2 + (D_inf^2 + 2 eta^2) G) / (2 eta), G = sum_j sqrt(sum_t g_tj^2).
    Exercises projection, identity (17), diameter, telescoping, initial distance, trace steps."""
    rng = np.random.default_rng(seed)
    d, T, R, eta, eps = 6, 300, 16, 0.7, 1e-3
    lo, hi = -np.ones(d), np.ones(d) * rng.uniform(0.5, 2, d)
    H = np.diag(rng.lognormal(0, 1.5, d))
    w_star = rng.uniform(lo, hi)
    W0 = rng.uniform(lo, hi, size=(R, d))
    iters, grads = _adagrad_box(lambda W: (W - w_star) @ H, W0, lo, hi, eta, eps, T, 0.5, rng)
    D_inf, D_2 = float(np.max(hi - lo)), float(np.linalg.norm(hi - lo))
    lhs = np.sum(np.einsum("trd,trd->tr", grads, iters - w_star), axis=0)
    G = np.sum(np.sqrt(np.sum(grads**2, axis=0)), axis=1)
    rhs = (eps * D_2**2 + (D_inf**2 + 2 * eta**2) * G) / (2 * eta)
    assert np.all(lhs <= rhs * (1 + 1e-12))


def test_thm41_holds_on_a_noisy_quadratic():
    """E f(w_bar_T) - f* (Monte Carlo over replicas) stays below thm4.1 at eta = D_inf on a
    quadratic with w* inside the box and Gaussian noise of known per-coordinate sigma."""
    rng = np.random.default_rng(7)
    d, T, R, M, eps = 5, 400, 200, 4, 1e-8
    lo, hi = -np.ones(d), np.ones(d)
    h = np.array([4.0, 1.0, 0.25, 0.06, 0.015])
    sigma = np.array([1.0, 0.5, 0.2, 0.1, 0.05])
    w_star = np.full(d, 0.1)
    W0 = np.tile(np.full(d, -0.9), (R, 1))
    D_inf, D_2 = 2.0, float(np.linalg.norm(hi - lo))

    def f(W):
        return 0.5 * np.sum(h * (W - w_star) ** 2, axis=-1)

    iters, _ = _adagrad_box(lambda W: (W - w_star) * h, W0, lo, hi, D_inf, eps, T, sigma / math.sqrt(M), rng)
    gap = f(iters.mean(axis=0))  # f(w_bar_T) - f*, per replica
    bound = get("thm4.1").evaluate(dict(D_inf=D_inf, D_2=D_2, L_norm1=h.sum(), sigma_norm1=sigma.sum(),
                                        M=M, T=T, eps=eps))["explicit"]
    mean, se = gap.mean(), gap.std(ddof=1) / math.sqrt(R)
    assert mean + 4 * se < bound


def test_interp_holds_on_an_interpolating_least_squares():
    """y = X w* exactly (sigma_* = 0). With L_*j = d max_i x_ij^2, ||x_i||^2_{L_*^-1} <= 1, so
    1/2 E||g_xi(w) - g_xi(w*)||^2_{L_*^-1} = 1/2 E (x'(w-w*))^2 ||x||^2_{L_*^-1} <= f(w) - f*
    (Assumption E.4). The mean gap of AdaGrad (Option I, eta = D_inf) stays below thmE.interp."""
    rng = np.random.default_rng(11)
    n, d, T, R, M, eps = 40, 5, 300, 100, 2, 1e-8
    X = rng.normal(size=(n, d)) * np.geomspace(1, 0.05, d)
    w_star = rng.uniform(-0.5, 0.5, d)
    y = X @ w_star
    lo, hi = -np.ones(d), np.ones(d)
    L_star = d * np.max(X**2, axis=0)
    assert np.all(np.sum(X**2 / L_star, axis=1) <= 1 + 1e-12)

    def f(W):
        return 0.5 * np.mean((W @ X.T - y) ** 2, axis=-1)

    W = np.tile(np.full(d, 0.9), (R, 1))
    v = np.full_like(W, eps**2)
    gaps = np.zeros(R)
    for _ in range(T):
        gaps += f(W)
        idx = rng.integers(0, n, size=(R, M))
        Xb, yb = X[idx], y[idx]  # (R, M, d), (R, M)
        g = np.einsum("rm,rmd->rd", np.einsum("rmd,rd->rm", Xb, W) - yb, Xb) / M
        v += g * g
        W = np.clip(W - 2.0 * g / np.sqrt(v), lo, hi)
    mean_gap = gaps / T
    bound = get("thmE.interp").evaluate(dict(D_inf=2.0, D_2=float(np.linalg.norm(hi - lo)), L_star_norm1=L_star.sum(),
                                             sigma_star_norm1=0, M=M, T=T, eps=eps))
    assert bound["terms"]["variance"] == 0
    assert mean_gap.mean() + 4 * mean_gap.std(ddof=1) / math.sqrt(R) < bound["explicit"]


def test_provers_reject_false_claims():
    from boundcheck.theory.derivation import le_by_squares, le_in_every_case

    u, v, a, b, m = sp.symbols("u v a b m", positive=True)
    assert le_by_squares(sp.sqrt(u + v), sp.sqrt(u) + sp.sqrt(v))
    assert not le_by_squares(sp.sqrt(u) + sp.sqrt(v), sp.sqrt(u + v))
    assert le_in_every_case(1 / m, 1 / a + 1 / b, [{m: a}, {m: b}])
    assert not le_in_every_case(m, a, [{m: a}, {m: b}])  # min(a, b) <= a is not shown by cases


def test_explicit_is_derived_from_terms_and_cannot_be_passed():
    import dataclasses

    from boundcheck.theory.theorem import Symbolic

    t = get("thm4.1")
    assert sp.simplify(t.explicit - sum(t.terms.values())) == 0
    one = dataclasses.replace(t.symbolic, terms={"bias": t.terms["bias"]})
    smaller = dataclasses.replace(t, build=lambda: one)
    assert smaller.explicit == t.terms["bias"]
    with pytest.raises(TypeError):  # no field: the explicit bound cannot be given, only derived
        dataclasses.replace(t, explicit=t.explicit)
    with pytest.raises(TypeError):
        Symbolic(o_form=t.o_form, explicit=t.explicit)
