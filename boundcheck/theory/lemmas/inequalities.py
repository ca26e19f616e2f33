"""Appendix G's elementary inequalities (Liu et al. 2025, Lemmas G.1, G.3, G.4, G.5).

Numeric checkers (pure NumPy; reductions run over the *last* axis for G.1/G.3 and over the
last two axes ``(T, d)`` for G.5, so a batch of replicas can be checked at once):

- ``G1.lhs_rhs(x, s)``  -> ``((sum x)^2, S sum x^2/s)``
- ``G3.lhs_rhs(a, eps)`` -> ``(sum_t a_t/(b_t+eps), ln((b_N+eps)/eps))``
- ``G4.solve_bound(C0, C1)`` -> ``2 C0 + 5 C1 ln(C1 + e)``; ``G4.largest_root(C0, C1)``: the
  largest ``x > 0`` with ``x <= C0 + C1 ln x`` (what the lemma bounds);
  ``G4.intermediate(C0, C1)``: both sides of the proof's middle step.
- ``G5.lhs_rhs(a)`` -> ``(sum_t ||a_t||_1^2, (sum_j sqrt(sum_t a_tj^2))^2)``
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy.optimize import brentq

from boundcheck.theory.derivation import Derivation, Step
from boundcheck.theory.lemma import Lemma, as_array
from boundcheck.validation import InputError, as_float, nonnegative

TESTS = "tests/test_lemmas.py"


# --------------------------------------------------------------------------- SymPy helpers
def _nonneg_by_monotone(phi: sp.Expr, var: sp.Symbol, at: float | sp.Expr = 0) -> bool:
    """``phi >= 0`` on ``var >= at``: phi(at) == 0 and phi' written over ``var = at + p``
    (p >= 0) is non-negative by SymPy's assumptions."""
    p = sp.Symbol("p", nonnegative=True)
    if sp.simplify(phi.subs(var, at)) != 0:
        return False
    deriv = sp.simplify(sp.diff(phi, var).subs(var, at + p))
    return bool(deriv.is_nonnegative or sp.factor(deriv).is_nonnegative)


def _nonneg_poly(expr: sp.Expr) -> bool:
    """``expr >= 0`` because it is a polynomial in non-negative symbols whose coefficients
    (numbers such as ``4 - ln 5``, evaluated exactly by SymPy) are all non-negative."""
    expr = sp.expand(expr)
    syms = sorted(expr.free_symbols, key=str)
    if not all(x.is_nonnegative for x in syms):
        return False
    if not syms:
        return bool(expr.is_nonnegative)
    return all(bool(c.is_nonnegative) for c in sp.Poly(expr, *syms).coeffs())


# --------------------------------------------------------------------------- G.1
def g1_lhs_rhs(x, s):
    """Both sides of Lemma G.1 along the last axis: ``(sum_j x_j)^2`` and ``S sum_j x_j^2/s_j``."""
    x = as_array("x", x, ndim=(1, 2, 3), nonnegative=True)
    s = as_array("s", s, ndim=(1, 2, 3), positive=True)
    if x.shape[-1] != s.shape[-1]:
        raise InputError(f"x has {x.shape[-1]} entries and s has {s.shape[-1]}; they must match")
    S = s.sum(axis=-1)
    return x.sum(axis=-1) ** 2, S * (x**2 / s).sum(axis=-1)


def _g1_derivation() -> Derivation:
    steps = []
    for n in (2, 3, 4):
        x = sp.symbols(f"x1:{n + 1}", nonnegative=True)
        s = sp.symbols(f"s1:{n + 1}", positive=True)
        S = sum(s)
        gap = S * sum(xi**2 / si for xi, si in zip(x, s)) - sum(x) ** 2
        lagrange = sum(
            (x[i] * s[j] - x[j] * s[i]) ** 2 / (s[i] * s[j]) for i in range(n) for j in range(i + 1, n)
        )
        steps.append(Step(
            f"lagrange_identity_n{n}",
            f"S sum x^2/s - (sum x)^2 = sum_(i<j) (x_i s_j - x_j s_i)^2/(s_i s_j), n={n}",
            lhs=gap, rhs=lagrange, kind="eq"))
        steps.append(Step(
            f"sum_of_squares_nonneg_n{n}",
            "a sum of squares over positive weights is >= 0 (equality iff x_i/s_i is constant)",
            lhs=sp.Integer(0), rhs=lagrange, kind="le"))
    steps.append(Step("general_n", "the identity for every n (the same algebra): property test",
                      how="property", test=f"{TESTS}::test_g1_weighted_cauchy_schwarz"))
    return Derivation(tuple(steps))


G1 = (Lemma(
    id="G.1",
    title="A useful inequality (weighted Cauchy-Schwarz)",
    reference="Liu et al. 2025, Lemma G.1",
    statement_latex=r"\Big(\sum_{j=1}^n x_j\Big)^2 \le S \sum_{j=1}^n \frac{x_j^2}{s_j},\quad S=\sum_j s_j,"
                    r"\ \text{equality iff } x_i/s_i = x_j/s_j\ \forall i,j",
    hypotheses=("x_j >= 0", "s_j > 0"),
    derivation=_g1_derivation(),
    property_tests=(f"{TESTS}::test_g1_weighted_cauchy_schwarz", f"{TESTS}::test_g1_equality_case"),
    checks={"lhs_rhs": g1_lhs_rhs},
    notes="Proof (ours, equivalent to the paper's): Lagrange's identity. x_j >= 0 is not needed "
          "(the identity holds for real x); we keep the paper's hypothesis.",
))


# --------------------------------------------------------------------------- G.3
def g3_lhs_rhs(a, eps):
    """Both sides of Lemma G.3 along the last axis (t = 1..N):
    ``sum_t a_t/(b_t + eps)`` and ``ln((b_N + eps)/eps)``, ``b_t = a_1 + ... + a_t``."""
    a = as_array("a", a, ndim=(1, 2, 3), nonnegative=True)
    eps = nonnegative("eps", eps)
    if eps == 0:
        raise InputError("eps=0 is out of range; allowed: eps > 0")
    b = np.cumsum(a, axis=-1)
    lhs = (a / (b + eps)).sum(axis=-1)
    return lhs, np.log1p(b[..., -1] / eps) if a.shape[-1] else np.zeros(a.shape[:-1])


def _g3_derivation() -> Derivation:
    u = sp.Symbol("u", nonnegative=True)  # u = a_t/(b_t + eps) in [0, 1)
    a, b, e = sp.symbols("a b epsilon", positive=True)
    p = sp.Symbol("p", nonnegative=True)  # u = p/(1+p) sweeps [0, 1) as p sweeps [0, inf)
    one_step = Step(
        "u_le_minus_log_one_minus_u",
        "u <= -ln(1-u) on [0, 1), u = a_t/(b_t+eps): with u = p/(1+p), -ln(1-u) - u = ln(1+p) - p/(1+p), "
        "zero at p=0 with derivative p/(1+p)^2 >= 0",
        kind="le",
        prover=lambda: _frac_check() and sp.simplify(
            (-sp.log(1 - u) - u).subs(u, p / (1 + p)) - (sp.log(1 + p) - p / (1 + p))) == 0
        and _nonneg_by_monotone(sp.log(1 + p) - p / (1 + p), p),
    )
    per_term = Step(
        "per_term_telescopes",
        "-ln(1 - a_t/(b_t+eps)) = ln(b_t+eps) - ln(b_{t-1}+eps)",
        lhs=-sp.log(1 - a / (a + b + e)), rhs=sp.log(a + b + e) - sp.log(b + e), kind="eq",
        prover=lambda: sp.simplify(sp.expand_log(sp.log(1 - a / (a + b + e)) + sp.log(a + b + e)
                                                 - sp.log(b + e), force=True)) == 0,
    )
    bs = sp.symbols("b1:6", positive=True)
    tele = sum(sp.log(bs[i] + e) - (sp.log(bs[i - 1] + e) if i else sp.log(e)) for i in range(5))
    telescoping = Step("telescoping_N5", "sum_t [ln(b_t+eps) - ln(b_{t-1}+eps)] = ln((b_N+eps)/eps) (N=5)",
                       lhs=tele, rhs=sp.log(bs[-1] + e) - sp.log(e), kind="eq")
    general = Step("general_N", "the whole chain for all N and a_t >= 0: property test",
                   how="property", test=f"{TESTS}::test_g3_sum_of_ratios")
    return Derivation((one_step, per_term, telescoping, general))


def _frac_check() -> bool:
    """a/(b+eps) is in [0, 1) when b = b_prev + a, b_prev >= 0, eps > 0: 1 - u = (b_prev+eps)/(b+eps) > 0."""
    a, bp = sp.symbols("a b_prev", nonnegative=True)
    e = sp.Symbol("epsilon", positive=True)
    return bool(sp.simplify(1 - a / (bp + a + e) - (bp + e) / (bp + a + e)) == 0)


G3 = (Lemma(
    id="G.3",
    title="Sum of ratios with the denominator being the sum of past numerators",
    reference="Liu et al. 2025, Lemma G.3",
    statement_latex=r"a_t\ge 0,\ b_n=\sum_{i\le n}a_i,\ \epsilon>0:\quad "
                    r"\sum_{t=1}^N \frac{a_t}{b_t+\epsilon} \le \ln\frac{b_N+\epsilon}{\epsilon}",
    hypotheses=("a_t >= 0", "eps > 0"),
    derivation=_g3_derivation(),
    property_tests=(f"{TESTS}::test_g3_sum_of_ratios", f"{TESTS}::test_g3_single_term_tight"),
    checks={"lhs_rhs": g3_lhs_rhs},
    notes="The paper's proof says 'x <= ln(1+x) for x > -1' (garbled); the correct inequality used "
          "is x <= -ln(1-x) for x in [0,1), i.e. ln(1+y) >= y/(1+y).",
))


# --------------------------------------------------------------------------- G.4
ZETA = 5


def g4_solve_bound(C0, C1, zeta=ZETA):
    """Lemma G.4's bound ``2 C0 + zeta C1 ln(C1 + e)`` (array-friendly)."""
    C0 = np.asarray(as_array("C0", C0, ndim=(0, 1)))
    C1 = np.asarray(as_array("C1", C1, ndim=(0, 1), nonnegative=True))
    return 2 * C0 + zeta * C1 * np.log(C1 + math.e)


def g4_largest_root(C0, C1) -> float:
    """``sup {x > 0 : x <= C0 + C1 ln x}`` (the largest root of ``x = C0 + C1 ln x``), NaN if the
    set is empty. The feasible set is an interval (``x - C1 ln x`` is convex) whose right end
    lies on the increasing branch ``x >= C1``; found by bracketing and Brent's method (relative
    accuracy ~1e-15)."""
    C0 = as_float("C0", C0)
    C1 = nonnegative("C1", C1)
    if C1 == 0:
        return C0 if C0 > 0 else math.nan
    g = lambda x: x - C1 * math.log(x) - C0  # noqa: E731
    lo = C1
    if g(lo) > 0:  # minimum of g is positive: no x satisfies the inequality
        return math.nan
    hi = 2 * lo
    while g(hi) <= 0:
        hi *= 2
    return brentq(g, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def g4_lhs_rhs(C0, C1):
    """``(largest_root(C0, C1), solve_bound(C0, C1))``: the lemma says lhs <= rhs."""
    return g4_largest_root(C0, C1), float(g4_solve_bound(C0, C1))


def g4_intermediate(C0, C1, zeta=ZETA):
    """Both sides of the proof's middle step (our reading of the garbled text):
    ``C1 ln(2 C0 + zeta C1 ln(C1+e))  <=  (1/2)(2 C0) + C1 ln(zeta C1 ln(C1+e))`` (C0 >= 0, zeta >= 2)."""
    C0 = nonnegative("C0", C0)
    C1 = nonnegative("C1", C1)
    if C1 == 0:
        return 0.0, C0
    b = zeta * C1 * math.log(C1 + math.e)
    return C1 * math.log(2 * C0 + b), C0 + C1 * math.log(b)


def _g4_derivation() -> Derivation:
    C0 = sp.Symbol("C0", nonnegative=True)
    C1, y, r, L, s = sp.symbols("C1 y r L s", positive=True)
    zeta = sp.Integer(ZETA)
    q = sp.Symbol("q", nonnegative=True)

    # --- the paper's route --------------------------------------------------------------
    steps = [
        Step("reduce_to_z", "g(x) = x - C1 ln x - C0 is convex with minimum at C1; z = 2C0 + zeta C1 "
             "ln(C1+e) >= C1, so g(z) >= 0 implies every x with g(x) <= 0 has x <= z",
             lhs=C1, rhs=2 * C0 + zeta * C1 * (1 + sp.log(1 + C1 / sp.E)), kind="le"),
        Step("log_shift", "ln(C1 + e) = 1 + ln(1 + C1/e) (so ln(C1+e) >= 1)", lhs=sp.log(C1 + sp.E),
             rhs=1 + sp.log(1 + C1 / sp.E), kind="eq",
             prover=lambda: sp.simplify(sp.expand_log(sp.log(C1 + sp.E) - 1 - sp.log(1 + C1 / sp.E), force=True)
                                        .rewrite(sp.log)) == 0 or sp.simplify(
                 sp.exp(sp.log(C1 + sp.E)) - sp.exp(1 + sp.log(1 + C1 / sp.E))) == 0),
        Step("log1p_le", "ln(1+r) <= r for r >= 0 (used as ln(a+b) <= ln b + a/b)",
             kind="le", prover=lambda: _nonneg_by_monotone(r - sp.log(1 + r), r)),
        Step("zeta_log_ge_2", "zeta ln(C1+e) >= 2 for zeta >= 2 (ln(C1+e) = 1 + ln(1+C1/e) >= 1), "
             "so C1 a/b <= a/2: the middle step C1 ln(2C0 + zeta C1 ln(C1+e)) <= C0 + C1 ln(zeta C1 ln(C1+e))",
             lhs=sp.Integer(2), rhs=zeta * (1 + sp.log(1 + q)), kind="le"),
        Step("middle_step_numeric", "the middle step itself over wide (C0, C1): property test",
             how="property", test=f"{TESTS}::test_g4_intermediate_step"),
        # h(y) = zeta ln(y+e) - ln(zeta y ln(y+e)) >= 0, y >= 0: our short proof, L = ln(y+e) >= 1.
        Step("h_log_y", "ln y <= ln(y+e) = L: ln(y+e) - ln y = ln(1 + e/y) > 0", kind="le",
             lhs=sp.log(y), rhs=sp.log(y + sp.E),
             prover=lambda: sp.simplify(sp.expand_log(sp.log(y + sp.E) - sp.log(y) - sp.log(1 + sp.E / y),
                                                      force=True)) == 0
             and bool(sp.log(1 + sp.E / y).is_positive)),
        Step("h_loglog", "ln L <= L - 1 for L >= 1 (so ln ln(y+e) <= L - 1)", kind="le",
             prover=lambda: _nonneg_by_monotone(L - 1 - sp.log(L), L, at=1)),
        Step("h_final", "h(y) >= zeta L - ln zeta - L - (L - 1) = (zeta-2) L + 1 - ln zeta >= 0 for L >= 1",
             lhs=sp.Integer(0), rhs=(zeta - 2) * (1 + q) + 1 - sp.log(zeta), kind="le",
             prover=lambda: _nonneg_poly((zeta - 2) * (1 + q) + 1 - sp.log(zeta))),
        Step("h_numeric", "h(y) >= 0 on a dense grid y in [0, 1e12]: property test", how="property",
             test=f"{TESTS}::test_g4_h_nonnegative"),
    ]
    # --- our direct route, valid for every real C0 ----------------------------------------
    # At the largest root s (>= C1) of s = C0 + C1 ln s:  bound - s = s - 2 C1 ln s + zeta C1 ln(C1+e).
    steps += [
        Step("direct_bound_minus_root", "with C0 = s - C1 ln s: (2C0 + zeta C1 ln(C1+e)) - s "
             "= s - 2 C1 ln s + zeta C1 ln(C1+e)",
             lhs=2 * (s - C1 * sp.log(s)) + zeta * C1 * sp.log(C1 + sp.E) - s,
             rhs=s - 2 * C1 * sp.log(s) + zeta * C1 * sp.log(C1 + sp.E), kind="eq"),
        Step("direct_min", "s - 2 C1 ln s >= 2 C1 - 2 C1 ln(2 C1) (convex, minimum at s = 2 C1)",
             kind="le", prover=lambda: _direct_min(C1, s)),
        Step("direct_final", "2 - 2 ln 2 - 2 ln C1 + zeta ln(C1+e) >= 2 - 2 ln 2 + (zeta-2) ln(C1+e) >= 0",
             lhs=sp.Integer(0), rhs=2 - 2 * sp.log(2) + (zeta - 2) * (1 + q), kind="le",
             prover=lambda: _nonneg_poly(2 - 2 * sp.log(2) + (zeta - 2) * (1 + q))),
    ]
    return Derivation(tuple(steps))


def _direct_min(C1: sp.Symbol, s: sp.Symbol) -> bool:
    phi = s - 2 * C1 * sp.log(s)
    d1 = sp.diff(phi, s)
    stationary = sp.solve(sp.Eq(d1, 0), s)
    convex = sp.simplify(sp.diff(phi, s, 2)).is_positive
    value = sp.simplify(phi.subs(s, 2 * C1) - (2 * C1 - 2 * C1 * sp.log(2 * C1)))
    return stationary == [2 * C1] and bool(convex) and value == 0


G4 = (Lemma(
    id="G.4",
    title="Solving inequality x <= C0 + C1 ln x",
    reference="Liu et al. 2025, Lemma G.4",
    statement_latex=r"x>0,\ x \le C_0 + C_1\ln x \;\Rightarrow\; x \le 2C_0 + \zeta C_1 \ln(C_1+e),\ \zeta = 5",
    hypotheses=("C1 >= 0", "C0 real (the paper: C0 >= 0)", "x > 0"),
    derivation=_g4_derivation(),
    property_tests=(f"{TESTS}::test_g4_bound_holds", f"{TESTS}::test_g4_negative_C0",
                    f"{TESTS}::test_g4_needs_C1_nonnegative", f"{TESTS}::test_g4_intermediate_step",
                    f"{TESTS}::test_g4_h_nonnegative", f"{TESTS}::test_g4_smallest_constant"),
    checks={"solve_bound": g4_solve_bound, "largest_root": g4_largest_root,
            "lhs_rhs": g4_lhs_rhs, "intermediate": g4_intermediate},
    notes="The printed hypothesis 'Assume C1 C0 0' is garbled. The paper's proof needs C0 >= 0 (its "
          "middle step) and C1 >= 0. Our direct proof (steps direct_*) shows the conclusion holds for "
          "EVERY real C0 as long as C1 >= 0; C1 < 0 can fail (C1=-1, C0=0, x=0.5). Weakest hypotheses "
          "found: C1 >= 0, x > 0. The constant has room: for C0 >= 0 the smallest valid zeta is "
          "1.44095 (worst case C0 = 0, C1 = 21.42); for real C0 it tends to 2 (C1 -> oo). The paper's "
          "h(y) >= 0 argument checks h(1) and monotonicity; ours bounds h by (zeta-2)L + 1 - ln zeta.",
))


# --------------------------------------------------------------------------- G.5
def g5_lhs_rhs(a):
    """Both sides of Lemma G.5 for ``a`` of shape ``(..., T, d)``:
    ``sum_t ||a_t||_1^2`` and ``(sum_j sqrt(sum_t a_tj^2))^2``."""
    a = as_array("a", a, ndim=(2, 3))
    lhs = (np.abs(a).sum(axis=-1) ** 2).sum(axis=-1)
    rhs = np.sqrt((a**2).sum(axis=-2)).sum(axis=-1) ** 2
    return lhs, rhs


def _g5_derivation() -> Derivation:
    a, b, c, d_ = sp.symbols("a b c d", nonnegative=True)
    # T = 2, d = 2: columns (a, b) and (c, d); lhs = (a+c)^2 + (b+d)^2.
    lhs = (a + c) ** 2 + (b + d_) ** 2
    rhs = (sp.sqrt(a**2 + b**2) + sp.sqrt(c**2 + d_**2)) ** 2
    cs = Step("cauchy_schwarz_lagrange", "(a^2+b^2)(c^2+d^2) - (ac+bd)^2 = (ad-bc)^2 >= 0",
              lhs=(a**2 + b**2) * (c**2 + d_**2) - (a * c + b * d_) ** 2, rhs=(a * d_ - b * c) ** 2, kind="eq")
    expand = Step("expand_T2_d2", "rhs - lhs = 2(sqrt((a^2+b^2)(c^2+d^2)) - (ac+bd)) for T=d=2",
                  lhs=sp.expand(rhs - lhs), rhs=2 * (sp.sqrt(a**2 + b**2) * sp.sqrt(c**2 + d_**2) - a * c - b * d_),
                  kind="eq")
    general = Step("general_T_d", "sum over pairs of coordinates of Cauchy-Schwarz, all T, d: property test",
                   how="property", test=f"{TESTS}::test_g5_comparison_of_measures")
    return Derivation((cs, expand, general))


G5 = (Lemma(
    id="G.5",
    title="Comparison of measures",
    reference="Liu et al. 2025, Lemma G.5",
    statement_latex=r"\sum_{t=1}^T \|a_t\|_1^2 \le \Big(\sum_{j=1}^d \sqrt{\sum_{t=1}^T a_{t,j}^2}\Big)^2",
    hypotheses=("a_{t,j} real",),
    derivation=_g5_derivation(),
    property_tests=(f"{TESTS}::test_g5_comparison_of_measures", f"{TESTS}::test_g5_equality_cases"),
    checks={"lhs_rhs": g5_lhs_rhs},
    notes="Used at the end of Appendix F: sum_t ||grad f(w_t)||_1^2 <= (sum_j sqrt(sum_t grad_j^2))^2.",
))
