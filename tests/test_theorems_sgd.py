"""SGD theorems (thmD.1, thmD.3): proof steps, property tests, both readings of D.3's step
size, metamorphic checks and simulations. Also: every property step of every registered
theorem names a test that exists."""

from __future__ import annotations

import math
import pathlib
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from boundcheck.validation import InputError
from boundcheck.theory import symbols as S
from boundcheck.theory.theorem import all_theorems, explicit_ge_generic, get
from boundcheck.theory.proofs import sgd as SG

ROOT = pathlib.Path(__file__).resolve().parents[1]


def vec(n, lo=-10.0, hi=10.0):
    return st.lists(st.floats(min_value=lo, max_value=hi, allow_nan=False), min_size=n, max_size=n)


# ---------------------------------------------------------------------- project-wide
@pytest.mark.parametrize("thm", all_theorems(), ids=lambda t: t.id)
def test_property_steps_name_existing_tests(thm):
    if thm.derivation is None:
        assert thm.o_form_only and thm.explicit is None
        return
    for step in thm.derivation:
        if step.how != "property":
            continue
        assert step.test, f"{thm.id}:{step.name} has no covering test"
        path, _, name = step.test.partition("::")
        src = (ROOT / path).read_text()
        assert re.search(rf"^def {re.escape(name)}\(", src, re.M), f"{step.test} does not exist"


def _draw_value(data, thm, name):
    """A value of symbol ``name`` inside the theorem's declared domain (and delta in (0, 1))."""
    from boundcheck.theory.symbols import by_name
    from boundcheck.theory.theorem import Domain

    dom = thm.domain.get(name, Domain(0.0, 1.0, False, False) if name == "delta" else Domain())
    if by_name(name).is_integer:
        lo = max(1, int(math.ceil(dom.low))) if dom.low is not None else 1
        hi = min(10**5, int(dom.high)) if dom.high is not None else 10**5
        return data.draw(st.integers(lo, hi), label=name)
    lo = 1e-6 if dom.low is None else max(dom.low, 1e-6)
    hi = 1e4 if dom.high is None else min(dom.high, 1e4)
    return data.draw(st.floats(lo, hi, exclude_min=not dom.closed_low, exclude_max=not dom.closed_high), label=name)


@pytest.mark.parametrize("thm", [t for t in all_theorems() if t.explicit is not None or t.o_form is not None],
                         ids=lambda t: t.id)
@settings(max_examples=10)  # the exact side is a slow 30-digit SymPy substitution
@given(data=st.data())
def test_fast_evaluation_matches_exact_sympy(thm, data):
    """evaluate() (cached lambdify) agrees with 30-digit SymPy substitution, inside the
    statement's declared domain."""
    from boundcheck.theory.symbols import by_name

    c = {n: _draw_value(data, thm, n) for n in thm.required()}
    assume(thm.in_domain(c) is None)
    r = thm.evaluate(c)
    subs = {by_name(n): sp.Float(v, 30) for n, v in c.items()}
    target = thm.explicit if thm.explicit is not None else thm.o_form
    exact = float(sp.N(target.subs(subs), 30))
    got = r["explicit"] if thm.explicit is not None else r["o_form"]
    assert got == pytest.approx(exact, rel=1e-9)


def test_evaluation_refuses_values_outside_the_domain():
    thm = get("sgd-lower-l1-min")
    base = dict(L_norminf=1.0, c0=1.0, T=10, eta=1.0)
    assert thm.evaluate({**base, "d": 5, "rho_flat": 0.8})["explicit"] > 0
    for bad, text in (({"d": 1, "rho_flat": 0.5}, "2 <= d"), ({"d": 5, "rho_flat": 1.5}, "rho_flat <= 1"),
                      ({"d": 2, "rho_flat": 0.8}, "rho_flat <= (d - 1)/2")):
        with pytest.raises(InputError, match=re.escape(text)):
            thm.evaluate({**base, **bad})
    with pytest.raises(InputError, match="0 < delta < 1"):
        get("sgd-hp-markov").evaluate({n: 1.0 for n in get("sgd-hp-markov").required()})


# ---------------------------------------------------------------------- SymPy steps
@pytest.mark.parametrize("tid", ["thmD.1", "thmD.3"])
def test_every_sympy_step_is_proven(tid):
    thm = get(tid)
    res = thm.derivation.check()
    assert all(res[s.name] is True for s in thm.derivation if s.how == "sympy"), res


def test_d1_explicit():
    t = get("thmD.1")
    expected = S.L_norminf * S.D_2**2 / S.T + 2 * sp.sqrt(2) * S.D_2 * S.sigma_norm2 / sp.sqrt(S.M * S.T)
    assert sp.simplify(t.explicit - expected) == 0
    assert t.consistency() == {}  # D.1's step size varies with t: checked through its proof steps


def test_d1_schedule_constant_p_matters():
    """p != 1/sqrt(2) gives the larger constant 1/p + 2p (the derivation is generic in p)."""
    _, _, terms = SG.sgd_convex_bound(p=sp.Integer(1))
    assert sp.simplify(terms["variance"] - 3 * S.D_2 * S.sigma_norm2 / sp.sqrt(S.M * S.T)) == 0


_D1_ARGS = (S.L_norminf, S.D_2, S.sigma_norm2, S.M, S.T)
_D1_STEP = sp.lambdify(_D1_ARGS + (SG.t,), get("thmD.1").step_size, "numpy")
_D1_EXPLICIT = sp.lambdify(_D1_ARGS, get("thmD.1").explicit, "math")


@given(L=st.floats(1e-3, 1e3), D=st.floats(1e-3, 1e3), sig=st.floats(1e-4, 1e3),
       M=st.integers(1, 1024), T=st.integers(1, 3000))
def test_d1_explicit_dominates_generic_with_the_actual_schedule(L, D, sig, M, T):
    """Generic D.1 bound D_2^2/(eta_{T-1} T) + sigma^2/(MT) sum_t eta_t, with the theorem's
    schedule summed numerically, is below the theorem's explicit bound."""
    etas = np.array([_D1_STEP(L, D, sig, M, T, t) for t in range(T)], dtype=float)
    assert np.all(np.diff(etas) <= 1e-15) and etas[0] <= 1 / L * (1 + 1e-12)
    generic = D**2 / (etas[-1] * T) + sig**2 / (M * T) * etas.sum()
    assert generic <= _D1_EXPLICIT(L, D, sig, M, T) * (1 + 1e-9)


def test_d1_step_size_function_and_evaluate_agree():
    c = dict(L_norminf=0.5, D_2=3.0, sigma_norm2=2.0, M=4, T=1000)
    eta = get("thmD.1").step_size_function(c)
    r = get("thmD.1").evaluate(c)
    expected = [min(1 / 0.5, math.sqrt(9 * 4 / (2 * 4 * (t + 1)))) for t in (0, 999)]
    assert [eta(0), eta(999)] == pytest.approx(expected, rel=1e-12)
    assert [r["step_size_at"]["t=0"], r["step_size_at"]["t=T-1"]] == pytest.approx(expected, rel=1e-12)
    assert r["explicit"] == pytest.approx(_D1_EXPLICIT(0.5, 3.0, 2.0, 4, 1000), rel=1e-12)


@pytest.mark.parametrize("b", [2, 1])
def test_d3_both_readings_explicit_dominates_generic(b):
    derivation, step, generic, terms = SG.sgd_nonconvex_bound(b)
    explicit = sum(terms.values())
    assert explicit_ge_generic(explicit, generic, step)
    assert all(v is True for k, v in derivation.check().items()
               if next(s for s in derivation if s.name == k).how == "sympy")


def test_d3_reading_constants():
    _, _, _, t2 = SG.sgd_nonconvex_bound(2)
    _, _, _, t1 = SG.sgd_nonconvex_bound(1)
    root = sp.sqrt(S.L_norminf * S.Delta) * S.sigma_norm2 / sp.sqrt(S.M * S.T)
    assert sp.simplify(t2["variance"] - 2 * sp.sqrt(2) * root) == 0
    assert sp.simplify(t1["variance"] - 3 * root) == 0
    assert sp.simplify(get("thmD.3").explicit - sum(t2.values())) == 0


def test_d3_statement_bound_does_not_cover_the_proof_step_size():
    """Finding: at the proof's step size (b = 1) the generic bound can exceed the
    statement-reading explicit bound (2 sqrt 2 < 3), so the two readings differ in constant."""
    _, step1, generic, _ = SG.sgd_nonconvex_bound(1)
    c = {S.L_norminf: 1, S.Delta: 1, S.sigma_norm2: 100, S.M: 1, S.T: 100}
    at_proof_step = float(generic.subs(S.eta, step1).subs(c))
    statement_explicit = float(get("thmD.3").explicit.subs(c))
    assert at_proof_step > statement_explicit
    # ... and it is covered by that reading's own explicit bound
    _, _, _, t1 = SG.sgd_nonconvex_bound(1)
    assert at_proof_step <= float(sum(t1.values()).subs(c)) * (1 + 1e-12)


@given(L=st.floats(1e-3, 1e3), Delta=st.floats(1e-4, 1e4), sig=st.floats(1e-4, 1e3),
       M=st.integers(1, 1024), T=st.integers(1, 10**6), b=st.sampled_from([1, 2]))
def test_d3_numeric_explicit_ge_generic(L, Delta, sig, M, T, b):
    eta = min(1 / L, math.sqrt(b * Delta * M / (L * sig**2 * T)))
    generic = 2 * Delta / (eta * T) + L * eta * sig**2 / M
    explicit = 2 * L * Delta / T + (2 / math.sqrt(b) + math.sqrt(b)) * math.sqrt(L * Delta) * sig / math.sqrt(M * T)
    assert generic <= explicit * (1 + 1e-12)


# ---------------------------------------------------------------------- property steps
@given(d=st.integers(1, 6), data=st.data())
def test_projection_nonexpansive_euclidean(d, data):
    lo = np.array(data.draw(vec(d, -5, 0)))
    hi = lo + np.array(data.draw(vec(d, 0, 5)))
    x = np.array(data.draw(vec(d, -50, 50)))
    z = lo + np.array(data.draw(vec(d, 0, 1))) * (hi - lo)
    assert np.linalg.norm(np.clip(x, lo, hi) - z) <= np.linalg.norm(x - z) * (1 + 1e-12) + 1e-12


@given(n=st.integers(1, 5), M=st.integers(1, 3), data=st.data())
def test_minibatch_variance_exact(n, M, data):
    """E_t||g_t||^2 = ||grad f||^2 + Var/M exactly over all n^M batches (with replacement)."""
    import itertools

    G = np.array(data.draw(st.lists(vec(3, -100, 100), min_size=n, max_size=n)))
    mean = G.mean(axis=0)
    var = np.sum((G - mean) ** 2, axis=1).mean()
    second = np.mean([np.sum(G[list(b)].mean(axis=0) ** 2) for b in itertools.product(range(n), repeat=M)])
    assert math.isclose(second, np.sum(mean**2) + var / M, rel_tol=1e-9, abs_tol=1e-9)


@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 6))
def test_first_order_convexity_and_cocoercivity(seed, d):
    """For convex quadratic f with grad f(w*) = 0 and ||L||_inf >= lambda_max(H):
    <grad f, w - w*> >= f - f* and <grad f, w - w*> >= ||grad f||^2 / ||L||_inf."""
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(d, d)) * rng.lognormal(0, 2, size=d)
    H = B @ B.T
    Linf = float(np.max(np.sum(np.abs(H), axis=1)))  # >= lambda_max
    w_star, w = rng.normal(size=d), rng.normal(size=d) * 5
    g = H @ (w - w_star)
    inner = g @ (w - w_star)
    assert inner >= 0.5 * (w - w_star) @ H @ (w - w_star) - 1e-9 * (1 + abs(inner))
    assert inner >= g @ g / Linf * (1 - 1e-9) - 1e-12


@given(T=st.integers(1, 30), data=st.data())
def test_weighted_telescoping(T, data):
    """sum_{t<T} (a_t - a_{t+1})/eta_t <= D^2/eta_{T-1} for non-increasing eta > 0, a in [0, D^2]."""
    D2 = data.draw(st.floats(1e-3, 1e3))
    a = np.array(data.draw(st.lists(st.floats(0, 1), min_size=T + 1, max_size=T + 1))) * D2
    eta = np.sort(np.array(data.draw(st.lists(st.floats(1e-4, 1e4), min_size=T, max_size=T))))[::-1]
    lhs = np.sum((a[:-1] - a[1:]) / eta)
    assert lhs <= D2 / eta[-1] * (1 + 1e-9) + 1e-9


@given(seed=st.integers(0, 2**32 - 1), T=st.integers(1, 20))
def test_jensen_average_iterate(seed, T):
    rng = np.random.default_rng(seed)
    H = rng.normal(size=(3, 3))
    H = H @ H.T
    W = rng.normal(size=(T, 3)) * 3
    f = lambda w: 0.5 * w @ H @ w + np.sum(np.abs(w))  # noqa: E731 - convex, nonsmooth
    assert f(W.mean(axis=0)) <= np.mean([f(w) for w in W]) + 1e-12


@given(T=st.integers(1, 10**6))
def test_harmonic_sqrt_sum(T):
    """sum_{t<T} 1/sqrt(t+1) <= 2 sqrt(T) (D.1's schedule sum), tight to within a constant."""
    s = float(np.sum(1.0 / np.sqrt(np.arange(1, T + 1, dtype=float))))
    assert s <= 2 * math.sqrt(T) * (1 + 1e-12)
    assert s >= 2 * math.sqrt(T + 1) - 2 - 1e-9  # integral lower bound: the bound is not loose in T


@given(seed=st.integers(0, 2**32 - 1))
def test_descent_lemma_linf(seed):
    """f(w') <= f(w) + <grad f(w), w'-w> + ||L||_inf/2 ||w'-w||^2 for
    f = sum_j a_j (1 - cos w_j), whose Hessian satisfies -diag(a) <= H <= diag(a)."""
    rng = np.random.default_rng(seed)
    a = rng.lognormal(0, 2, size=4)
    w, w2 = rng.normal(size=4) * 3, rng.normal(size=4) * 3
    f = lambda x: np.sum(a * (1 - np.cos(x)))  # noqa: E731
    rhs = f(w) + (a * np.sin(w)) @ (w2 - w) + a.max() / 2 * np.sum((w2 - w) ** 2)
    assert f(w2) <= rhs + 1e-9 * (1 + abs(rhs))


# ---------------------------------------------------------------------- metamorphic
@pytest.mark.parametrize("tid", ["thmD.1", "thmD.3"])
def test_zero_noise_removes_variance_and_rate_is_1_over_T(tid):
    t = get(tid)
    assert t.terms["variance"].subs(S.sigma_norm2, 0) == 0
    assert t.terms["bias"].subs(S.sigma_norm2, 0) == t.terms["bias"]
    lim = sp.limit(t.explicit.subs(S.sigma_norm2, 0) * S.T, S.T, sp.oo)
    assert lim.is_positive and lim.is_finite
    c = dict(D_2=3, L_norminf=2, sigma_norm2=0, M=4, T=100, Delta=5)
    r = t.evaluate(c)
    assert r["terms"]["variance"] == 0 and r["step_size"] == 0.5  # min(1/L, +inf) = 1/L


@pytest.mark.parametrize("tid", ["thmD.1", "thmD.3"])
def test_scaling_in_M_and_T(tid):
    t = get(tid)
    assert sp.simplify(t.terms["variance"] * sp.sqrt(S.M * S.T)).free_symbols.isdisjoint({S.M, S.T})
    assert sp.simplify(t.terms["bias"] * S.T).free_symbols.isdisjoint({S.M, S.T})


@pytest.mark.parametrize("tid", ["thmD.1", "thmD.3"])
def test_o_form_equals_explicit_up_to_constants(tid):
    from test_theorems_convex import _ratio_bounds

    lo, hi = _ratio_bounds(get(tid).explicit, get(tid).o_form)
    assert 0 < lo <= hi <= 3


# ---------------------------------------------------------------------- simulations
def test_thmD1_holds_on_a_noisy_quadratic():
    rng = np.random.default_rng(3)
    d, T, R, M = 5, 300, 200, 2
    h = np.array([3.0, 1.0, 0.3, 0.1, 0.03])
    sigma = np.array([1.0, 0.6, 0.3, 0.2, 0.1])
    lo, hi = -np.ones(d), np.ones(d)
    w_star = np.full(d, -0.2)
    c = dict(D_2=float(np.linalg.norm(hi - lo)), L_norminf=h.max(), sigma_norm2=float(np.linalg.norm(sigma)),
             M=M, T=T)
    eta = get("thmD.1").step_size_function(c)
    W = np.tile(np.full(d, 0.9), (R, 1))
    total = np.zeros_like(W)
    for t in range(T):
        total += W
        g = (W - w_star) * h + sigma / math.sqrt(M) * rng.standard_normal(W.shape)
        W = np.clip(W - eta(t) * g, lo, hi)
    gap = 0.5 * np.sum(h * (total / T - w_star) ** 2, axis=1)
    assert gap.mean() + 4 * gap.std(ddof=1) / math.sqrt(R) < get("thmD.1").evaluate(c)["explicit"]


def test_thmD3_holds_on_a_nonconvex_problem():
    """f(w) = sum_j a_j (1 - cos w_j): nonconvex, L = a, f* = 0."""
    rng = np.random.default_rng(5)
    d, T, R, M = 4, 300, 200, 1
    a = np.array([2.0, 1.0, 0.5, 0.1])
    sigma = np.array([0.5, 0.3, 0.2, 0.1])
    w0 = np.full(d, 2.5)
    c = dict(L_norminf=a.max(), Delta=float(np.sum(a * (1 - np.cos(w0)))),
             sigma_norm2=float(np.linalg.norm(sigma)), M=M, T=T)
    eta = get("thmD.3").evaluate(c)["step_size"]
    W = np.tile(w0, (R, 1))
    acc = np.zeros(R)
    for _ in range(T):
        grad = a * np.sin(W)
        acc += np.sum(grad**2, axis=1)
        W = W - eta * (grad + sigma / math.sqrt(M) * rng.standard_normal(W.shape))
    stat = acc / T
    assert stat.mean() + 4 * stat.std(ddof=1) / math.sqrt(R) < get("thmD.3").evaluate(c)["explicit"]
