"""Theorems 4.3 and 5.3 (AdaGrad, nonconvex): the derivation's steps, metamorphic properties of
the explicit bounds, and a simulation of Algorithm 1 Option II below the bound.

Property tests of the form "inequality in expectation" use *exact* expectations over finite
discrete distributions (hypothesis draws the support and the weights), so no Monte-Carlo error
enters; the only tolerance is floating-point rounding, ``REL = 1e-9`` relative to the size of
the terms compared.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, example, given
from hypothesis import strategies as st

from boundcheck.theory import symbols as S
from boundcheck.theory.proofs import adagrad_nonconvex as nc
from boundcheck.theory.theorem import get

REL = 1e-9  # floating-point rounding only


def _le(lhs: float, rhs: float, *scale: float) -> bool:
    size = max([abs(lhs), abs(rhs), *map(abs, scale)])
    return lhs <= rhs + REL * size


# ----------------------------------------------------------------------------- strategies
def _log_uniform(lo: float, hi: float):
    return st.floats(math.log10(lo), math.log10(hi)).map(lambda e: 10.0**e)


@st.composite
def _coordinate(draw):
    """One coordinate at one iteration: gradient, previous lambda, a finite noise law, s >= sd."""
    k = draw(st.integers(1, 6))
    scale = draw(_log_uniform(1e-4, 1e4))
    vals = np.array(draw(st.lists(st.floats(-1, 1), min_size=k, max_size=k))) * scale
    w = np.array(draw(st.lists(st.floats(1e-3, 1), min_size=k, max_size=k)))
    p = w / w.sum()
    noise = vals - p @ vals  # centred: E n = 0
    grad = draw(st.floats(-1, 1)) * draw(_log_uniform(1e-4, 1e4))
    lam_prev = draw(_log_uniform(1e-6, 1e4))
    sd = math.sqrt(float(p @ noise**2))
    s = sd * (1 + draw(st.sampled_from([0.0, 0.0, 0.1, 1.0, 10.0])))
    return grad, noise, p, lam_prev, s


def _expectations(grad, noise, p, lam_prev):
    g = grad + noise
    lam = np.sqrt(lam_prev**2 + g**2)
    r = math.sqrt(float(p @ g**2))  # sqrt(E_t g^2)
    lam_t = math.sqrt(lam_prev**2 + r**2)  # auxiliary lambda~ (20)
    a = g**2 / lam**2
    return g, lam, r, lam_t, a


# ----------------------------------------------------------------------------- structure
SYMPY_STEPS = [s for s in nc.DERIVATION if s.how == "sympy"]
PROPERTY_STEPS = [s for s in nc.DERIVATION if s.how == "property"]


@pytest.mark.parametrize("step", SYMPY_STEPS, ids=[s.name for s in SYMPY_STEPS])
def test_sympy_step_checks(step):
    assert step.check() is True


@pytest.mark.parametrize("step", PROPERTY_STEPS, ids=[s.name for s in PROPERTY_STEPS])
def test_property_step_names_a_test_here(step):
    path, name = step.test.split("::")
    assert path == "tests/test_theorems_nonconvex.py"
    assert callable(globals().get(name)), f"{step.name}: no test {name}"


def test_theorem_fields():
    for thm, ref, assumptions in (
        (get("thm4.3"), "Liu et al. 2025, Thm 4.3", ("3.2", "3.3", "3.4", "3.5")),
        (get("thm5.3"), "Liu et al. 2025, Thm 5.3", ("3.2", "3.4", "3.5", "5.1")),
    ):
        assert thm.reference == ref and thm.assumptions == assumptions
        assert (thm.algorithm, thm.option, thm.method) == ("adagrad", "II", "AdaGrad")
        assert thm.quantity_id == "sq_mean_rms_grad_l1"
        assert sp.simplify(thm.explicit - sum(thm.terms.values())) == 0
        assert "NOT" in thm.full_notes  # the reading that is not implied is stated
    assert set(get("thm4.3").required()) == {"Delta", "L_norm1", "M", "T", "d", "eps", "sigma_norm1"}
    assert set(get("thm5.3").required()) == {"Delta", "L0_norm1", "L1_norminf", "M", "T", "d", "eps",
                                         "sigma_norm1"}


# ----------------------------------------------------------------------------- Lemma F.1 pieces
@given(_coordinate())
def test_abs_deviation_bound(coord):
    """E_t(|g| - sqrt(E_t g^2))^2 <= 2 s sqrt(E_t g^2) whenever Var(g) <= s^2."""
    grad, noise, p, lam_prev, s = coord
    g, _, r, _, _ = _expectations(grad, noise, p, lam_prev)
    lhs = float(p @ (np.abs(g) - r) ** 2)
    assert _le(lhs, 2 * s * r, r**2)


@given(_coordinate())
def test_lemma_F1_exact_expectations(coord):
    """Lemma F.1 per coordinate: E_t[grad g (1/lambda~ - 1/lambda)] <= grad^2/(2 lambda~) + s E_t a."""
    grad, noise, p, lam_prev, s = coord
    g, lam, _, lam_t, a = _expectations(grad, noise, p, lam_prev)
    lhs = float(p @ (grad * g * (1 / lam_t - 1 / lam)))
    rhs = grad**2 / (2 * lam_t) + s * float(p @ a)
    assert _le(lhs, rhs, float(p @ np.abs(grad * g / lam)))


@given(_coordinate())
def test_F2_concave_jensen(coord):
    grad, noise, p, lam_prev, _ = coord
    g, _, r, lam_t, a = _expectations(grad, noise, p, lam_prev)
    assert _le(float(p @ a), r**2 / lam_t**2, 1.0)


@given(_coordinate())
def test_lemma_F2_exact_expectations(coord):
    """Lemma F.2 per coordinate (the factor L1_j >= 0 multiplies both sides):
    |grad| E_t a <= 2 grad^2/lambda~ + s E_t a."""
    grad, noise, p, lam_prev, s = coord
    *_, lam_t, a = _expectations(grad, noise, p, lam_prev)
    Ea = float(p @ a)
    assert _le(abs(grad) * Ea, 2 * grad**2 / lam_t + s * Ea)


@given(_coordinate(), st.floats(0, 0.25), _log_uniform(1e-3, 1e3))
def test_one_step_combination(coord, kappa, eta):
    """The one-step inequality's right-hand side, coordinate by coordinate, after F.1 and F.2:
    -eta E<grad, Lambda^{-1} g> + (eta^2/2) L1 |grad| E a
       <= -eta (1/2 - kappa) grad^2/lambda~ + eta (1 + kappa/2) s E a   (L1 = kappa/eta)."""
    grad, noise, p, lam_prev, s = coord
    g, lam, _, lam_t, a = _expectations(grad, noise, p, lam_prev)
    L1 = kappa / eta
    lhs = -eta * float(p @ (grad * g / lam)) + eta**2 / 2 * L1 * abs(grad) * float(p @ a)
    rhs = -eta * (0.5 - kappa) * grad**2 / lam_t + eta * (1 + kappa / 2) * s * float(p @ a)
    assert _le(lhs, rhs, eta * grad**2 / lam_t, eta * float(p @ np.abs(grad * g / lam)))


# ----------------------------------------------------------------------------- F.3, G.4, G.5
@st.composite
def _paths(draw, max_T=40, max_d=4):
    T = draw(st.integers(1, max_T))
    d = draw(st.integers(1, max_d))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scales = 10.0 ** rng.uniform(-4, 4, size=d)
    x = rng.standard_normal((T, d)) * scales
    x[rng.random((T, d)) < draw(st.sampled_from([0.0, 0.3]))] = 0.0  # sparse / zero entries
    return x


@given(_paths(), _log_uniform(1e-8, 1e2))
def test_lemma_F3_pathwise(g, eps):
    """sum_t g_t^2/(eps^2 + sum_{s<=t} g_s^2) <= 2 ln(lambda_{T-1}/eps) (Lemma G.3), per coordinate."""
    v = eps**2 + np.cumsum(g**2, axis=0)
    A = (g**2 / v).sum(axis=0)
    bound = np.log(v[-1] / eps**2)
    assert np.all(A <= bound + REL * (1 + bound))


def _g4_gap(C0: float, C1: float) -> tuple[mpmath.mpf, mpmath.mpf]:
    with mpmath.workdps(60):
        C0, C1 = mpmath.mpf(C0), mpmath.mpf(C1)
        z = 2 * C0 + 5 * C1 * mpmath.log(C1 + mpmath.e)
        return z, z - C0 - C1 * mpmath.log(z)


@given(st.one_of(st.just(0.0), _log_uniform(1e-8, 1e12)),
       st.one_of(st.just(0.0), _log_uniform(1e-8, 1e12)),
       st.floats(1.0, 1e6))
def test_lemma_G4_without_C1_ge_C0(C0, C1, factor):
    """G.4 with only C0, C1 >= 0 (C0 > C1 allowed): with z = 2 C0 + 5 C1 ln(C1 + e), z >= C1 and
    g(z) = z - C0 - C1 ln z >= 0, so g > 0 beyond z (g convex, minimal at C1) and every x with
    x <= C0 + C1 ln x has x <= z. Points beyond z are checked directly too."""
    assume(C0 + C1 > 0)
    z, gap = _g4_gap(C0, C1)
    assert z >= C1 and gap >= 0
    with mpmath.workdps(60):
        x = z * (1 + mpmath.mpf(factor) * mpmath.mpf("1e-6"))
        assert x - C0 - C1 * mpmath.log(x) > 0


def test_G4_use_has_C0_above_C1():
    """In the use of G.4 (Lemma F.4), C0 > C1 happens (Theorem 4.3, sigma = 0: C0 - C1 = d), so the
    reading 'C1 >= C0' of G.4's garbled hypothesis would not cover the proof; the test above shows
    G.4 does not need it."""
    num = {S.Delta: 1, S.L_norm1: 5, S.sigma_norm1: 0, S.M: 8, S.T: 100, S.d: 10, S.eps: 1e-3}
    C0 = float(nc.PARTS_43["C0"].subs(num))
    C1 = float(nc.PARTS_43["C1"].subs(num))
    assert C0 > C1
    assert _g4_gap(C0, C1)[1] >= 0


@given(_paths())
def test_lemma_G5(a):
    lhs = math.sqrt(float((np.abs(a).sum(axis=1) ** 2).sum()))
    rhs = float(np.sqrt((a**2).sum(axis=0)).sum())
    assert _le(lhs, rhs)


# ----------------------------------------------------------------------------- expectation steps
@given(st.integers(0, 2**32 - 1), st.integers(1, 30), st.integers(1, 30), st.integers(1, 5),
       _log_uniform(1e-6, 1e2))
@example(seed=3293, R=1, T=1, d=1, eps=1.0)  # v - eps^2 cancelled to 1.2e-9 relative here
def test_expectation_steps_on_empirical_measures(seed, R, T, d, eps):
    """Jensen and Cauchy-Schwarz steps, on the empirical measure of R random scenarios (any
    probability measure must satisfy them): F.3's E sum_t a <= 2 ln(E tr Lambda/eps), F.4's
    E[sqrt(S_j) sqrt(2 ln(tr/eps))] <= sqrt(E S_j) sqrt(2 ln(E tr/eps)), and (28)'s
    (sum_j E R_j)^2 <= (sum_j E[R_j^2/sqrt Q_j]) (sum_j E sqrt Q_j)."""
    rng = np.random.default_rng(seed)
    scales = 10.0 ** rng.uniform(-3, 3, size=d)
    g = rng.standard_normal((R, T, d)) * scales * 10.0 ** rng.uniform(-2, 2, size=(R, 1, 1))
    sq = np.cumsum(g**2, axis=1)
    v = eps**2 + sq
    lam_last = np.sqrt(v[:, -1])
    tr = lam_last.sum(axis=1)
    A = (g**2 / v).sum(axis=1)  # (R, d)
    # ln(E tr/eps) = log1p((E tr - eps)/eps), with lambda - eps = sum g^2/(lambda + eps) (no
    # cancellation: the sum of squares itself, never v - eps^2, which lost 1e-9 relative at seed 3293)
    tr_minus_eps = (d - 1) * eps + (sq[:, -1] / (lam_last + eps)).sum(axis=1)
    log_ratio = math.log1p(tr_minus_eps.mean() / eps)
    assert np.all(A.mean(axis=0) <= 2 * log_ratio * (1 + REL))

    n = rng.standard_normal((R, T, d)) * scales
    Sj = (n**2).sum(axis=1)
    lhs = (np.sqrt(Sj) * np.sqrt(2 * np.log1p(tr_minus_eps / eps))[:, None]).mean(axis=0)
    rhs = np.sqrt(Sj.mean(axis=0)) * math.sqrt(2 * log_ratio)
    assert np.all(lhs <= rhs * (1 + REL))

    grad = rng.standard_normal((R, T, d)) * scales
    Rj = np.sqrt((grad**2).sum(axis=1))
    Q = lam_last**2 + (grad**2).sum(axis=1) + rng.random(d) * scales**2
    left = Rj.mean(axis=0).sum() ** 2
    right = (Rj**2 / np.sqrt(Q)).mean(axis=0).sum() * np.sqrt(Q).mean(axis=0).sum()
    assert _le(left, right)


@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(1, 5), _log_uniform(1e-6, 1e2))
def test_final_chain_pathwise(seed, T, d, eps):
    """(28) lambda~_{t,j} <= sqrt(Q_j) and (29) sqrt(Q_j) <= sqrt(3) lambda_{T-1,j} +
    sqrt(2 sum_s n_{s,j}^2 + s_j^2), on random gradient / noise paths with E_t n^2 = var <= s^2."""
    rng = np.random.default_rng(seed)
    scales = 10.0 ** rng.uniform(-3, 3, size=d)
    grad = rng.standard_normal((T, d)) * scales
    s = rng.random(d) * scales * 3
    var = s**2 * rng.random((T, d))  # E_t n_{t,j}^2 <= s_j^2
    n = rng.standard_normal((T, d)) * np.sqrt(var)
    g = grad + n
    v = eps**2 + np.cumsum(g**2, axis=0)
    lam_prev = np.sqrt(np.vstack([np.full((1, d), eps**2), v[:-1]]))
    lam_tilde = np.sqrt(lam_prev**2 + grad**2 + var)
    Q = v[-1] + (grad**2).sum(axis=0) + s**2
    assert np.all(lam_tilde <= np.sqrt(Q) * (1 + REL))
    rhs = math.sqrt(3) * np.sqrt(v[-1]) + np.sqrt(2 * (n**2).sum(axis=0) + s**2)
    assert np.all(np.sqrt(Q) <= rhs * (1 + REL))


# ----------------------------------------------------------------------------- metamorphic
def _num(expr, **values) -> float:
    subs = {S.by_name(k): v for k, v in values.items()}
    return float(sp.N(sp.sympify(expr).subs(subs), 30))


def _mp_bound(thm, names):
    f = sp.lambdify([S.by_name(n) for n in names], thm.explicit, "mpmath")
    return lambda *args: f(*map(mpmath.mpf, args))  # every operation in mpmath precision


_BOUND_43 = _mp_bound(get("thm4.3"), ["Delta", "L_norm1", "sigma_norm1", "M", "T", "d", "eps"])
_BOUND_53 = _mp_bound(get("thm5.3"), ["Delta", "L0_norm1", "L1_norminf", "sigma_norm1", "M", "T", "d", "eps"])


def _constants():
    return st.fixed_dictionaries({
        "Delta": _log_uniform(1e-4, 1e4), "L": _log_uniform(1e-4, 1e4),
        "sigma": _log_uniform(1e-4, 1e4), "M": st.integers(1, 4096), "T": st.integers(1, 10**9),
        "d": st.integers(1, 10**6), "eps": _log_uniform(1e-10, 1e2),
    })


@given(_constants(), _log_uniform(1e-14, 1e-10))
def test_thm53_at_L1_to_0_is_thm43(c, L1):
    with mpmath.workdps(40):
        b43 = _BOUND_43(c["Delta"], c["L"], c["sigma"], c["M"], c["T"], c["d"], c["eps"])
        b53 = _BOUND_53(c["Delta"], c["L"], L1, c["sigma"], c["M"], c["T"], c["d"], c["eps"])
        # kappa = eta L1 <= sqrt(Delta/L) * 1e-10: the bound moves by O(kappa) relative.
        kappa = math.sqrt(c["Delta"] / c["L"]) * L1
        assert abs(b53 / b43 - 1) <= 10 * kappa + 1e-30


def test_sigma_zero_removes_variance_terms():
    for thm in (get("thm4.3"), get("thm5.3")):
        at0 = {k: v.subs(S.sigma_norm1, 0) for k, v in thm.terms.items()}
        assert at0["variance_cross"] == 0 and at0["variance"] == 0  # exactly, no simplification
        assert thm.explicit.subs(S.sigma_norm1, 0) - at0["bias"] == 0
        # the bias term itself is positive and finite
        v = _num(at0["bias"], Delta=1, L_norm1=2, L0_norm1=2, L1_norminf=0.3, M=1, T=10, d=3, eps=1e-3)
        assert 0 < v < math.inf


def test_T_scaling_without_noise_is_exactly_one_over_T():
    """At sigma = 0 nothing in T * bound depends on T (no log in T either): O(Delta L/T) exactly."""
    for thm in (get("thm4.3"), get("thm5.3")):
        b0 = thm.explicit.subs(S.sigma_norm1, 0)
        assert sp.simplify(sp.diff(b0 * S.T, S.T)) == 0


def test_T_scaling_with_noise_is_log_squared_over_sqrt_T():
    """With noise the bound is Theta(ln(T)^2/sqrt(T)): the O-form's sigma^2/(M sqrt T) term times
    the two hidden log factors (ln x_bar and ln(C1 + e), each ~ (1/2) ln T)."""
    num = {S.Delta: 1, S.L_norm1: 5, S.sigma_norm1: 2, S.M: 8, S.d: 10, S.eps: sp.Rational(1, 1000)}
    b = get("thm4.3").explicit.subs(num)
    lim = sp.limit(b * sp.sqrt(S.T) / sp.log(S.T) ** 2, S.T, sp.oo)
    # leading coefficient from the derivation: U_var V_var (5 sqrt(3) s^2 / 2, s^2 = 1/2) plus
    # U_bias V_var (sqrt(Delta L) sqrt(3) s * 5/2): 5 sqrt(3)/2 + 5 sqrt(30)/4
    assert sp.simplify(lim - (5 * sp.sqrt(3) / 2 + 5 * sp.sqrt(30) / 4)) == 0
    o = nc.O_FORM_43.subs(num)
    assert 0 < sp.limit(b / (o * sp.log(S.T) ** 2), S.T, sp.oo) < sp.oo


def test_eps_enters_only_through_logs_and_a_vanishing_term():
    """The O-forms hide eps: as eps -> 0 the explicit bound grows like ln(1/eps)^2 (ln x_bar and
    ln(C1 + e) each ~ ln(1/eps)); the d eps terms vanish."""
    e = S.eps
    for thm, extra in ((get("thm4.3"), {S.L_norm1: 5}), (get("thm5.3"), {S.L0_norm1: 5, S.L1_norminf: 2})):
        b = thm.explicit.subs({S.Delta: 1, S.sigma_norm1: 2, S.M: 8, S.T: 1000, S.d: 10, **extra})
        lim = sp.limit(b / sp.log(1 / e) ** 2, e, 0, "+")
        assert 0 < lim < sp.oo


@given(_constants(), _log_uniform(1e-3, 1e3))
def test_sigma_and_M_enter_only_as_sigma_over_sqrt_M(c, k):
    with mpmath.workdps(40):
        b1 = _BOUND_43(c["Delta"], c["L"], c["sigma"], c["M"], c["T"], c["d"], c["eps"])
        k = mpmath.mpf(k)  # exact products in 40 digits, not rounded doubles
        b2 = _BOUND_43(c["Delta"], c["L"], c["sigma"] * k, c["M"] * k**2, c["T"], c["d"], c["eps"])
        assert abs(b2 / b1 - 1) < 1e-25


def test_M_scaling_first_order_in_sigma_over_sqrt_M():
    """As M -> oo the bound tends to the sigma = 0 bound, and the excess is first order in
    sigma/sqrt(M) (the O-form's sqrt(Delta L) sigma/sqrt(MT) term): d bound/d s at s = 0 is > 0."""
    u = sp.Symbol("u", positive=True)  # u = 1/sqrt(M)
    for thm, extra in ((get("thm4.3"), {S.L_norm1: 5}), (get("thm5.3"), {S.L0_norm1: 5, S.L1_norminf: 2})):
        b = thm.explicit.subs({S.Delta: 1, S.sigma_norm1: 2, S.T: 1000, S.d: 10, S.eps: sp.Rational(1, 100),
                               **extra}).subs(S.M, 1 / u**2)
        b0 = b.subs(u, 0)
        assert sp.simplify(b0 - thm.explicit.subs({S.Delta: 1, S.sigma_norm1: 0, S.T: 1000, S.d: 10,
                                                   S.eps: sp.Rational(1, 100), **extra})) == 0
        slope = sp.N(sp.diff(b, u).subs(u, 0))
        assert 0 < slope < sp.oo


@given(_constants(), _log_uniform(1e-3, 1e3), _log_uniform(1e-3, 1e3))
def test_bound_is_homogeneous_under_scaling_f(c, k, L1):
    """f -> k f scales Delta, L0 (L), sigma, eps by k and leaves L1 and AdaGrad's iterates (with
    eps -> k eps) unchanged; the quantity (a squared gradient norm) scales by k^2; so must the bound."""
    with mpmath.workdps(40):
        k = mpmath.mpf(k)  # exact products in 40 digits, not rounded doubles
        args = (c["Delta"], c["L"], L1, c["sigma"], c["M"], c["T"], c["d"], c["eps"])
        scaled = (k * c["Delta"], k * c["L"], L1, k * c["sigma"], c["M"], c["T"], c["d"], k * c["eps"])
        assert abs(_BOUND_53(*scaled) / (k**2 * _BOUND_53(*args)) - 1) < 1e-25


def test_L1_dominated_regime_is_L1_squared_Delta_squared_over_T():
    """Theorem 5.3 at sigma = 0 and large ||L1||_inf (eta = 1/(4||L1||_inf)): bound * T/(L1^2 Delta^2)
    tends to a finite positive constant (the O-form's ||L1||_inf^2 Delta^2/T, no log left)."""
    L1 = S.L1_norminf
    b = get("thm5.3").explicit.subs({S.Delta: 1, S.L0_norm1: 5, S.sigma_norm1: 0, S.d: 10,
                                 S.eps: sp.Rational(1, 100)})
    # for L1 > sqrt(L0/Delta)/4 the Min (the step size) is its argument 1/(4 L1)
    mins = b.atoms(sp.Min)
    assert mins and all(1 / (4 * L1) in m.args for m in mins)
    b = b.replace(lambda e: isinstance(e, sp.Min), lambda *args: 1 / (4 * L1))
    lim = sp.limit(b * S.T / L1**2, L1, sp.oo)
    assert 0 < lim < sp.oo


def test_bias_ratio_to_thmD3():
    """At sigma = 0 both thm4.3 and thmD.3 are O(Delta L/T) (||L||_1 and ||L||_inf): the ratio of
    bias terms is constant in T, and times ||L||_inf/||L||_1 it does not depend on ||L||_inf."""
    from boundcheck.theory.theorem import get

    d3 = get("thmD.3")
    common = {S.Delta: 2, S.sigma_norm1: 0, S.sigma_norm2: 0, S.M: 4, S.d: 10, S.eps: sp.Rational(1, 100),
              S.L_norm1: 7}
    vals = {}
    for Linf in (1, 3):
        for T in (10**3, 10**6, 10**9):
            c = {**common, S.L_norminf: Linf, S.T: T}
            vals[Linf, T] = float(sp.N(get("thm4.3").explicit.subs(c))) / float(sp.N(d3.explicit.subs(c)))
    for Linf in (1, 3):
        assert vals[Linf, 10**9] == pytest.approx(vals[Linf, 10**6], rel=1e-9)
    assert vals[1, 10**9] * 1 == pytest.approx(vals[3, 10**9] * 3, rel=1e-9)


# ----------------------------------------------------------------------------- test problems
class _Problem:
    """Separable nonconvex test problems with known constants.

    ``cos``:  f(w) = sum_j (L_j/4)(1 - cos 2 w_j); f''_j = L_j cos 2 w_j, so -diag(L) <= Hess <= diag(L)
              (Assumption 3.3 with L; L1 = 0). f* = 0.
    ``cosh``: f(w) = sum_j c_j (cosh(b_j w_j) - 1) + (a_j/4)(1 - cos 2 w_j), nonconvex when a_j > c_j b_j^2.
              For |w'_j - w_j| <= 1/||L1||_inf with L1_j = 2 b_j: |sinh(u') - sinh(u)| <=
              |u' - u| (cosh(1/2) + e^{1/2} |sinh u|) (|u' - u| <= 1/2), hence Assumption 5.1 with
              L0_j = c_j b_j^2 cosh(1/2) + a_j + a_j b_j, L1_j = 2 b_j. f* = 0 at w = 0.
    Noise: per-sample gradient grad f(w) + xi, xi ~ N(0, diag(sigma^2)) (Assumption 3.5 with sigma).
    """

    def __init__(self, kind: str, d: int = 6):
        j = np.arange(d)
        self.kind, self.d = kind, d
        self.sigma = 0.5 * 0.6**j
        if kind == "cos":
            self.L = 4.0 * 0.5**j
            self.L0, self.L1 = self.L, np.zeros(d)
            self.w0 = np.full(d, 1.2)
        else:
            self.b = 1.0 + 0.5 * (j % 3)
            self.c = 0.3 * 0.5**j
            self.a = 2.0 * 0.7**j
            self.L0 = self.c * self.b**2 * math.cosh(0.5) + self.a + self.a * self.b
            self.L1 = 2 * self.b
            self.w0 = 1.5 / self.b

    def f(self, w):
        if self.kind == "cos":
            return (self.L / 4 * (1 - np.cos(2 * w))).sum(axis=-1)
        return (self.c * (np.cosh(self.b * w) - 1) + self.a / 4 * (1 - np.cos(2 * w))).sum(axis=-1)

    def grad(self, w):
        if self.kind == "cos":
            return self.L / 2 * np.sin(2 * w)
        return self.c * self.b * np.sinh(self.b * w) + self.a / 2 * np.sin(2 * w)

    def constants(self, M, T, eps):
        return dict(Delta=float(self.f(self.w0)), L_norm1=float(self.L0.sum()), L0_norm1=float(self.L0.sum()),
                    L1_norminf=float(self.L1.max()), sigma_norm1=float(self.sigma.sum()), M=M, T=T,
                    d=self.d, eps=eps)


PROBLEMS = {"cos": _Problem("cos"), "cosh": _Problem("cosh")}


@pytest.mark.parametrize("kind", ["cos", "cosh"])
def test_descent_lemma_on_test_problems(kind):
    """The test problems satisfy Assumption 5.1 (3.3 for cos) with their constants, and the descent
    inequality (15) of Lemma C.3 holds, on random pairs with ||w' - w||_inf <= 1/||L1||_inf."""
    P = PROBLEMS[kind]
    rng = np.random.default_rng(7)
    radius = 1 / P.L1.max() if P.L1.max() > 0 else 3.0
    w = rng.uniform(-3, 3, size=(20000, P.d)) / (P.b if kind == "cosh" else 1)
    w2 = w + rng.uniform(-1, 1, size=w.shape) * radius
    gw = P.grad(w)
    Lw = P.L0 + P.L1 * np.abs(gw)
    dg, dw = P.grad(w2) - gw, w2 - w
    assert np.all(np.abs(dg) <= Lw * np.abs(dw) * (1 + REL) + 1e-15)  # 5.1, coordinate-wise
    rhs = P.f(w) + (gw * dw).sum(axis=1) + 0.5 * (Lw * dw**2).sum(axis=1)
    assert np.all(P.f(w2) <= rhs + REL * np.abs(rhs) + 1e-15)
    if kind == "cosh":
        assert np.any(P.a > P.c * P.b**2)  # nonconvex somewhere


def _per_sample_noise(rng, shape, sigma, law: str):
    """Mean-zero per-sample noise with E xi_j^2 = sigma_j^2: Gaussian, or a skewed two-point law
    (sigma sqrt((1-p)/p) with probability p = 0.1, else -sigma sqrt(p/(1-p)))."""
    if law == "gauss":
        return rng.standard_normal(shape) * sigma
    p = 0.1
    up = rng.random(shape) < p
    return np.where(up, math.sqrt((1 - p) / p), -math.sqrt(p / (1 - p))) * sigma


def _adagrad_option_II(P: _Problem, eta: float, eps: float, M: int, T: int, R: int, seed: int,
                       law: str = "gauss"):
    """Algorithm 1, Option II, written out for R independent replicas (plain NumPy)."""
    rng = np.random.default_rng(seed)
    w = np.tile(P.w0, (R, 1))
    v = np.full((R, P.d), eps**2)
    out = {k: np.zeros((R, P.d)) for k in ("R2", "A", "S", "G", "lam_prev_hist")}
    out["l1sq"] = np.zeros(R)
    out["l1"] = np.zeros(R)
    out["G_total"] = np.zeros(R)
    for _ in range(T):
        grad = P.grad(w)
        g = grad + _per_sample_noise(rng, (R, M, P.d), P.sigma, law).mean(axis=1)  # minibatch mean
        n = g - grad
        lam_tilde = np.sqrt(v + grad**2 + P.sigma**2 / M)  # (20): E_t g^2 = grad^2 + sigma^2/M
        out["G_total"] += (grad**2 / lam_tilde).sum(axis=1)
        v = v + g * g
        lam = np.sqrt(v)
        out["A"] += g**2 / lam**2
        out["S"] += n**2
        out["R2"] += grad**2
        out["l1sq"] += np.abs(grad).sum(axis=1) ** 2
        out["l1"] += np.abs(grad).sum(axis=1)
        w = w - eta * g / lam
    out["trace"] = np.sqrt(v).sum(axis=1)
    out["lam_last"] = np.sqrt(v)
    out["f_T"] = P.f(w)
    return out


def _step_size(thm, consts):
    return _num(thm.step_size, **consts)


@pytest.mark.parametrize("kind, thm", [("cos", get("thm4.3")), ("cosh", get("thm5.3"))], ids=["thm4.3", "thm5.3"])
def test_lemma_F4_pathwise_on_test_problem(kind, thm):
    """F.4's pathwise inequality, replica by replica (no expectation involved):
    tr Lambda_{T-1} - d eps <= [f(w_0) - f(w_T) + (eta^2/2) sum_j L0_j A_j + eta (1 + kappa/2) sum_j
    sqrt(S_j A_j)] / (eta (1 - kappa/2))."""
    P = PROBLEMS[kind]
    consts = P.constants(M=2, T=300, eps=1e-3)
    eta = _step_size(thm, consts)
    run = _adagrad_option_II(P, eta, 1e-3, M=2, T=300, R=64, seed=11)
    kappa = eta * P.L1.max()
    rhs = (P.f(P.w0) - run["f_T"] + eta**2 / 2 * (P.L0 * run["A"]).sum(axis=1)
           + eta * (1 + kappa / 2) * np.sqrt(run["S"] * run["A"]).sum(axis=1)) / (eta * (1 - kappa / 2))
    lhs = run["trace"] - P.d * 1e-3
    assert np.all(lhs <= rhs * (1 + REL))
    assert np.all(run["A"] <= 2 * np.log(run["lam_last"] / 1e-3) + REL)  # F.3 along the run


@pytest.mark.parametrize("kind, thm, M, T, eps", [
    ("cos", get("thm4.3"), 4, 400, 1e-3),
    ("cos", get("thm4.3"), 1, 1000, 1e-6),
    ("cosh", get("thm5.3"), 4, 400, 1e-3),
    ("cosh", get("thm5.3"), 16, 1000, 1e-6),
], ids=["4.3-M4", "4.3-M1", "5.3-M4", "5.3-M16"])
def test_simulation_below_bound(kind, thm, M, T, eps):
    """Algorithm 1 Option II on the test problems: the measured quantity, and each intermediate
    quantity of the chain, stays below its bound. Monte Carlo: R replicas, estimates + 4 standard
    errors on the left (a one-sided bound that a true violation would exceed)."""
    P = PROBLEMS[kind]
    R = 200
    consts = P.constants(M=M, T=T, eps=eps)
    eta = _step_size(thm, consts)
    run = _adagrad_option_II(P, eta, eps, M=M, T=T, R=R, seed=2025)

    def upper(x):
        return x.mean() + 4 * x.std(ddof=1) / math.sqrt(len(x))

    L_in = P.L0.sum()
    L1_in = 0 if thm is get("thm4.3") else P.L1.max()
    parts = nc.bound_parts(sp.Float(eta), sp.Float(L_in), sp.Float(L1_in))
    vals = {k: _num(v, **consts) for k, v in parts.items()}
    # F.4: E tr(Lambda_{T-1}) <= eps x_bar
    trace_up = upper(run["trace"])
    assert trace_up <= vals["trace_bound"]
    # (27) at the measured trace: sum_t E G_t <= [Delta + (...) ln(E tr/eps)]/(eta (1/2 - kappa))
    kappa = eta * L1_in
    s1 = P.sigma.sum() / math.sqrt(M)
    U_meas = (consts["Delta"] + (2 * eta * (1 + kappa / 2) * s1 + eta**2 * L_in) * math.log(trace_up / eps)) / (
        eta * (0.5 - kappa))
    assert upper(run["G_total"]) <= U_meas <= vals["U"] * (1 + REL)
    # (28)-(29): (sum_j E R_j)^2 <= U V
    sum_ER = upper(np.sqrt(run["R2"]).sum(axis=1))
    assert sum_ER**2 <= vals["U"] * vals["V"]
    # the theorem's quantity: (E sqrt((1/T) sum_t ||grad f(w_t)||_1^2))^2 <= explicit bound
    q = np.sqrt(run["l1sq"] / T)
    explicit = thm.evaluate(consts)["explicit"]
    assert explicit == pytest.approx(vals["bound"], rel=1e-9)
    assert upper(q) ** 2 <= explicit
    # G.5 along the run: the quantity's root is below sum_j R_j / sqrt(T), replica by replica
    assert np.all(q <= np.sqrt(run["R2"]).sum(axis=1) / math.sqrt(T) * (1 + REL))


def test_quantity_readings_are_ordered_along_the_run():
    """The three readings of THEORY.md, on one simulated run: (E (1/T) sum ||grad||_1)^2 <=
    (E sqrt((1/T) sum ||grad||_1^2))^2 (the proven one) <= (1/T) sum E ||grad||_1^2 (not implied by the
    proof). Exact for the empirical measure of the replicas (Jensen twice)."""
    P = PROBLEMS["cos"]
    consts = P.constants(M=1, T=300, eps=1e-3)
    run = _adagrad_option_II(P, _step_size(get("thm4.3"), consts), 1e-3, M=1, T=300, R=100, seed=5)
    weakest = (run["l1"] / 300).mean() ** 2
    proven = np.sqrt(run["l1sq"] / 300).mean() ** 2
    strongest = (run["l1sq"] / 300).mean()
    assert weakest <= proven * (1 + REL) and proven <= strongest * (1 + REL)


@pytest.mark.parametrize("law", ["gauss", "skewed"])
@pytest.mark.parametrize("eta_factor", [0.01, 0.1, 1.0, 10.0, 100.0])
def test_any_step_size_bound_for_L1_zero(law, eta_factor):
    """With L1 = 0 the derivation holds for every constant eta (kappa = 0): the bound of
    :func:`bound_for_step_size` at eta = factor * sqrt(Delta/||L||_1) stays above the simulated
    quantity, for Gaussian and skewed two-point noise."""
    P = PROBLEMS["cos"]
    M, T, eps, R = 2, 300, 1e-3, 100
    consts = P.constants(M=M, T=T, eps=eps)
    eta = eta_factor * _step_size(get("thm4.3"), consts)
    run = _adagrad_option_II(P, eta, eps, M=M, T=T, R=R, seed=17, law=law)
    q = np.sqrt(run["l1sq"] / T)
    upper = q.mean() + 4 * q.std(ddof=1) / math.sqrt(R)
    bound = _num(nc.bound_for_step_size(sp.Float(eta), S.L_norm1, 0), **consts)
    assert upper**2 <= bound


@pytest.mark.parametrize("law", ["gauss", "skewed"])
@pytest.mark.parametrize("kappa", [0.01, 0.1, 0.25])
def test_any_step_size_bound_for_L0_L1(law, kappa):
    """Theorem 5.3's derivation for any constant eta with kappa = eta ||L1||_inf <= 1/4, on the
    (L0, L1)-smooth test problem."""
    P = PROBLEMS["cosh"]
    M, T, eps, R = 2, 300, 1e-3, 100
    consts = P.constants(M=M, T=T, eps=eps)
    eta = kappa / P.L1.max()
    run = _adagrad_option_II(P, eta, eps, M=M, T=T, R=R, seed=19, law=law)
    q = np.sqrt(run["l1sq"] / T)
    upper = q.mean() + 4 * q.std(ddof=1) / math.sqrt(R)
    bound = _num(nc.bound_for_step_size(sp.Float(eta), S.L0_norm1, S.L1_norminf), **consts)
    assert upper**2 <= bound
