"""Example B.1, Remark 4.2 and Table 1's threshold (Liu et al. 2025, Appendix B, Sec. 4).

Closed forms are compared with brute-force sums over the example's vectors (relative 1e-9:
the sums have up to 5000 terms, so rounding stays below ~1e-12; the closed forms use expm1
and have no cancellation), and with the SymPy expressions evaluated at 30 digits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from boundcheck.theory import examples as E
from boundcheck.validation import InputError

D = st.integers(1, 5000)
TAU = st.builds(lambda m, e: m * 10.0**e, st.floats(1.0, 9.99), st.integers(-6, 1))
RTOL = 1e-12


def brute(d, tau):
    sigma, h = E.exponential_tail(d, tau)
    D_inf = 1.0
    D_2 = math.sqrt(d) * D_inf  # hypercube [0, 1]^d
    G2 = 0.37  # any curvature bound: it cancels
    return E.R1(D_inf, D_2, sigma), E.R2(2 * G2 * h, D_inf, D_2)


def test_derivation_steps_are_proven():
    results = E.derivation().check()
    for step in E.derivation():
        assert results[step.name] is (True if step.how == "sympy" else None), step.name


def test_sympy_equality_check_rejects_the_approximations():
    """Negative control: the exact R1, R2 are not the printed approximations."""
    c = E.closed_forms()
    assert not E._same(c["R1"], c["R1_paper"])
    assert not E._same(c["R2"], c["R2_paper"])


@given(D, TAU)
def test_closed_forms_match_brute_force(d, tau):
    r1, r2 = brute(d, tau)
    assert math.isclose(E.R1_closed(d, tau), r1, rel_tol=1e-9)
    assert math.isclose(E.R2_closed(d, tau), r2, rel_tol=1e-9)


@pytest.mark.parametrize("d,tau", [(1, 0.5), (7, 1.0), (50, 0.03), (1000, 2.0), (3, 1e-4)])
def test_closed_forms_match_sympy_expressions(d, tau):
    c = E.closed_forms()
    for name, fn in (("R1", E.R1_closed), ("R2", E.R2_closed), ("R1_paper", E.R1_paper), ("R2_paper", E.R2_paper)):
        exact = float(c[name].subs({E.d: d, E.tau: sp.Rational(str(tau))}).evalf(30))
        assert math.isclose(fn(d, tau), exact, rel_tol=RTOL), name


@given(TAU)
def test_limits(tau):
    """sqrt(d) R1 and d R2 increase with d towards the SymPy limits (geometric convergence)."""
    ds = np.array([1, 2, 5, 10, 100, 10**4, 10**7])
    a = np.sqrt(ds) * E.R1_closed(ds, tau)
    b = ds * E.R2_closed(ds, tau)
    assert np.all(np.diff(a) >= -RTOL * a[1:]) and np.all(np.diff(b) >= -RTOL * b[1:])
    assert np.all(a <= E.sqrtd_R1_limit(tau) * (1 + RTOL)) and np.all(b <= E.d_R2_limit(tau) * (1 + RTOL))
    big = int(200 / tau) + 1  # q^d = exp(-tau d/2) < e^-100: at the limit to rounding
    assert math.isclose(math.sqrt(big) * E.R1_closed(big, tau), E.sqrtd_R1_limit(tau), rel_tol=1e-9)
    assert math.isclose(big * E.R2_closed(big, tau), E.d_R2_limit(tau), rel_tol=1e-9)


def test_sympy_limits_are_the_documented_ones():
    c = E.closed_forms()
    for tau in (0.1, 1.0, 4.0):
        lim = float(c["sqrtd_R1_limit"].subs(E.tau, tau))
        assert math.isclose(lim, math.sqrt(1 / math.tanh(tau / 4)), rel_tol=RTOL)
        assert math.isclose(float(c["d_R2_limit"].subs(E.tau, tau)), 1 / (1 - math.exp(-tau)), rel_tol=RTOL)


@given(D, TAU)
def test_paper_approximations_are_upper_bounds(d, tau):
    assert E.R1_closed(d, tau) <= E.R1_paper(d, tau) * (1 + RTOL)
    assert E.R2_closed(d, tau) <= E.R2_paper(d, tau) * (1 + RTOL)


def test_paper_approximations_at_the_b2_boundary():
    """FINDING (a quantified caveat): at tau = 1/d (B.2's boundary) the printed approximations
    overstate the exact ratios by 1/sqrt((1-e^-1/2)/(1+e^-1/2)) ~ 2.02 (R1) and 1/(1-e^-1) ~ 1.58
    (R2), whatever d is; for tau d >= 10 they are within 0.7% (R1) and 0.005% (R2)."""
    for d in (10, 1000, 10**6):
        r1 = E.R1_closed(d, 1 / d) / E.R1_paper(d, 1 / d)
        r2 = E.R2_closed(d, 1 / d) / E.R2_paper(d, 1 / d)
        assert math.isclose(r1, math.sqrt((1 - math.exp(-0.5)) / (1 + math.exp(-0.5))), rel_tol=1e-9)
        assert math.isclose(r2, 1 - math.exp(-1), rel_tol=1e-9)
        assert E.R1_closed(d, 10 / d) / E.R1_paper(d, 10 / d) > 0.993
        assert E.R2_closed(d, 10 / d) / E.R2_paper(d, 10 / d) > 0.99995


@given(st.integers(1, 60).flatmap(lambda d: st.tuples(
    st.lists(st.floats(0, 1e8), min_size=d, max_size=d), st.lists(st.floats(0, 1e8), min_size=d, max_size=d))),
    st.floats(1e-6, 1e6))
def test_ratios_in_range(vecs, D_inf):
    """Hypercube (D_2 = sqrt(d) D_inf): 1/sqrt(d) <= R1 <= 1 and 1/d <= R2 <= 1 for all sigma, L."""
    sigma, L = map(np.array, vecs)
    d = sigma.size
    D_2 = math.sqrt(d) * D_inf
    if sigma.max() > 0:
        r1 = E.R1(D_inf, D_2, sigma)
        assert 1 / math.sqrt(d) * (1 - RTOL) <= r1 <= 1 + RTOL
    if L.max() > 0:
        r2 = E.R2(L, D_inf, D_2)
        assert 1 / d * (1 - RTOL) <= r2 <= 1 + RTOL


@given(D, TAU)
def test_closed_forms_in_range(d, tau):
    assert 1 / math.sqrt(d) * (1 - RTOL) <= E.R1_closed(d, tau) <= 1 + RTOL
    assert 1 / d * (1 - RTOL) <= E.R2_closed(d, tau) <= 1 + RTOL


@given(D, TAU, TAU)
def test_monotone_in_tau(d, t1, t2):
    """Steeper tails (larger tau) make both ratios smaller (R2: d R2 = sum_{k<d} e^{-tau k})."""
    lo, hi = sorted((t1, t2))
    assert E.R1_closed(d, hi) <= E.R1_closed(d, lo) * (1 + RTOL)
    assert E.R2_closed(d, hi) <= E.R2_closed(d, lo) * (1 + RTOL)


@pytest.mark.parametrize("d", [1, 2, 16, 1024])
def test_remark_4_2_extremes(d):
    """One-hot sigma: R1 = 1/sqrt(d); one-hot L: R2 = 1/d; uniform: both 1. Under B.2 the
    tau -> oo and tau -> 0 limits reach the same extremes."""
    e1 = np.zeros(d)
    e1[0] = 3.0
    D_inf, D_2 = 2.0, 2.0 * math.sqrt(d)
    assert math.isclose(E.R1(D_inf, D_2, e1), 1 / math.sqrt(d), rel_tol=RTOL)
    assert math.isclose(E.R2(e1, D_inf, D_2), 1 / d, rel_tol=RTOL)
    assert math.isclose(E.R1(D_inf, D_2, np.ones(d)), 1.0, rel_tol=RTOL)
    assert math.isclose(E.R2(np.ones(d), D_inf, D_2), 1.0, rel_tol=RTOL)
    assert math.isclose(E.R1_closed(d, 80.0), 1 / math.sqrt(d), rel_tol=1e-9)
    assert math.isclose(E.R2_closed(d, 80.0), 1 / d, rel_tol=1e-9)
    assert math.isclose(E.R1_closed(d, 1e-9), 1.0, rel_tol=1e-6)
    assert math.isclose(E.R2_closed(d, 1e-9), 1.0, rel_tol=1e-6)


@pytest.mark.parametrize("tau", [0.5, 1.0, 3.0])
def test_remark_4_2_rates_under_b2(tau):
    """Fixed tau: R1 = Theta(1/sqrt d) and R2 = Theta(1/d), so the bias gap is sqrt(d) times the
    variance gap: R2/R1 -> 0 like 1/sqrt(d)."""
    ds = np.array([10, 100, 1000, 10**4])
    a = np.sqrt(ds) * E.R1_closed(ds, tau)
    b = ds * E.R2_closed(ds, tau)
    assert np.all((a >= 1) & (a <= E.sqrtd_R1_limit(tau) * (1 + RTOL)))
    assert np.all((b >= 1) & (b <= E.d_R2_limit(tau) * (1 + RTOL)))
    ratio = E.R2_closed(ds, tau) / E.R1_closed(ds, tau) * np.sqrt(ds)
    # sqrt(d) R2/R1 tends to the ratio of the two limits (to rounding once the tail is resolved)
    limit = E.d_R2_limit(tau) / E.sqrtd_R1_limit(tau)
    assert ratio[1:] == pytest.approx(limit, rel=1e-9)


@given(st.floats(1e-6, 1e6), st.floats(1e-6, 1e6), st.floats(1e-6, 1e6), st.floats(1, 1e9), st.floats(1e-3, 1e3))
def test_batch_threshold(sig, L, Delta, T, k):
    """At M = M* the two variance terms of Thm 4.3 are equal; for M = k M* their ratio is 1/sqrt(k)."""
    Ms = E.batch_threshold(sig, L, Delta)
    first = lambda M: math.sqrt(Delta * L) * sig / math.sqrt(M * T)  # noqa: E731
    second = lambda M: sig**2 / (M * math.sqrt(T))  # noqa: E731
    assert math.isclose(first(Ms), second(Ms), rel_tol=1e-12)
    assert math.isclose(second(k * Ms) / first(k * Ms), 1 / math.sqrt(k), rel_tol=1e-12)


def test_bad_inputs_are_one_line_errors():
    for call in (lambda: E.R1_closed(10, 0.0), lambda: E.R2_closed(0, 1.0), lambda: E.R1_closed(2.5, 1.0),
                 lambda: E.R1(1, 1, [0.0, 0.0]), lambda: E.R2([-1.0], 1, 1), lambda: E.batch_threshold(1, 0, 1)):
        with pytest.raises(InputError) as err:
            call()
        assert "\n" not in str(err.value)


def test_R1_is_scale_free_down_to_underflow():
    # hypothesis found sigma = [9.3e-188]: its square underflows, and R1 refused it as all zeros
    for scale in (9.322721105588125e-188, 1.0, 1e150):
        assert E.R1(1.0, 1.0, np.array([scale])) == 1.0
        assert math.isclose(E.R1(1.0, 2.0, scale * np.array([1.0, 1.0, 2.0])), 4 / (2 * math.sqrt(6)), rel_tol=1e-15)
