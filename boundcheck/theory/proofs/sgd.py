"""SGD baselines: Theorems D.1 (convex, Option I) and D.3 (nonconvex, Option II).
Liu, Pan, Zhang, *AdaGrad under Anisotropic Smoothness*, ICLR 2025, Appendix D.

Algorithm 2: ``w_{t+1} = Proj_W(w_t - eta_t g_t)`` (Option I) or ``w_t - eta_t g_t`` (II).
Assumption 3.3 implies standard smoothness with ``||L||_inf``, so these are the textbook
results with ``L = ||L||_inf`` and ``E||n||_2^2 <= ||sigma||_2^2 / M``.

**Theorem D.1** (Assumptions 3.1, 3.3, 3.4, 3.5 and grad f(w*) = 0)::

    eta_t = min{1/||L||_inf, p sqrt(D_2^2 M / (||sigma||_2^2 (t+1)))},  p = 1/sqrt(2)
    E f(w_bar_T) - f*  <=  D_2^2 / (eta_{T-1} T) + ||sigma||_2^2/(M T) sum_{t<T} eta_t      (generic)
                       <=  ||L||_inf D_2^2 / T + 2 sqrt(2) D_2 ||sigma||_2 / sqrt(MT).

Reading of the garbled step size "D2 2M 2 sigma2 2(t+1)": ``sqrt(D_2^2 M / (2 ||sigma||_2^2
(t+1)))``, i.e. ``p = 1/sqrt(2)``, which is also the p minimising ``1/p + 2p`` (the proof's
constant); the proof's "taking p = 1/sqrt 2" agrees.

**Theorem D.3** (Assumptions 3.2, 3.3, 3.4, 3.5)::

    (1/T) sum_{t<T} E||grad f(w_t)||_2^2  <=  2 Delta/(eta T) + ||L||_inf eta ||sigma||_2^2 / M      (eta <= 1/||L||_inf)
    eta = min{1/||L||_inf, sqrt(2 Delta M / (||L||_inf ||sigma||_2^2 T))}                   (statement reading)
    =>  <=  2 ||L||_inf Delta / T + 2 sqrt(2) sqrt(||L||_inf Delta) ||sigma||_2 / sqrt(MT).

The step size is ambiguous in the text: the statement reads like ``sqrt(2 Delta M/(...))``
(b = 2, our theorem), the proof's last line like ``sqrt(Delta M/(...))`` (b = 1), which gives
``2 ||L||_inf Delta/T + 3 sqrt(||L||_inf Delta) ||sigma||_2/sqrt(MT)``. b = 2 minimises
``2/sqrt(b) + sqrt(b)``. :func:`sgd_nonconvex_bound` derives both.
"""

from __future__ import annotations

import sympy as sp

from boundcheck.theory import symbols as S
from boundcheck.theory.derivation import Derivation, Step, le_by_squares, le_in_every_case
from boundcheck.theory.theorem import Symbolic, schedule_t

_TESTS = "tests/test_theorems_sgd.py"

t = schedule_t()  # the iteration counter of the D.1 schedule
_T, _k = S.T, sp.Symbol("k", nonnegative=True)
_p_sym, _b_sym = sp.symbols("p b", positive=True)
_a = sp.Symbol("a", real=True)
_g = sp.Symbol("g", real=True)
_q, _u, _v, _G = sp.symbols("q u v G", nonnegative=True)
_eta_last = sp.Symbol("eta_last", positive=True)
_F = sp.Function("F")
_j = sp.Symbol("j", integer=True, nonnegative=True)


def _argmin_positive(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    roots = [r for r in sp.solve(sp.diff(expr, x), x) if r.is_positive]
    return roots[0] if len(roots) == 1 else sp.nan


# ---------------------------------------------------------------------- Theorem D.1
def sgd_convex_bound(p: sp.Expr = 1 / sp.sqrt(2)) -> tuple[Derivation, sp.Expr, dict[str, sp.Expr]]:
    """Derivation, step-size schedule and explicit terms of Thm D.1 for the schedule constant p."""
    L, D_2, sig, M, eta = S.L_norminf, S.D_2, S.sigma_norm2, S.M, S.eta
    a_rule = 1 / L
    b_rule = p * sp.sqrt(D_2**2 * M / (sig**2 * (t + 1)))
    step = sp.Min(a_rule, b_rule)
    steps = [
        Step("projection", "E_t||w_{t+1} - w*||_2^2 <= E_t||w_t - eta_t g_t - w*||_2^2 (Lemma C.1 with Lambda = I)",
             how="property", test=f"{_TESTS}::test_projection_nonexpansive_euclidean"),
        Step("expand_square", "(a - eta g)^2 = a^2 - 2 eta g a + eta^2 g^2 (per coordinate)",
             lhs=(_a - eta * _g) ** 2, rhs=_a**2 - 2 * eta * _g * _a + eta**2 * _g**2, kind="eq"),
        Step("second_moment",
             "E_t||g_t||^2 = ||grad f(w_t)||^2 + E_t||n_t||^2 <= ||grad f(w_t)||^2 + ||sigma||_2^2/M "
             "(Assumption 3.4, 3.5, Lemma C.2)",
             how="property", test=f"{_TESTS}::test_minibatch_variance_exact"),
        Step("convexity", "<grad f(w), w - w*> >= f(w) - f* (Assumption 3.1)",
             how="property", test=f"{_TESTS}::test_first_order_convexity_and_cocoercivity"),
        Step("cocoercivity",
             "<grad f(w), w - w*> >= ||grad f(w)||_2^2 / ||L||_inf (convex, ||L||_inf-smooth, grad f(w*) = 0)",
             how="property", test=f"{_TESTS}::test_first_order_convexity_and_cocoercivity"),
        # with P = <grad f, w - w*> = q + u (q = f - f*), G = ||grad f||^2 = ||L|| P - v, eta ||L|| = 2 - k:
        Step("combine",
             "-2 eta <grad f, w - w*> + eta^2 ||grad f||^2 <= -eta (2 - eta ||L||_inf)(f(w) - f*) "
             "for eta ||L||_inf <= 2 (convexity + co-coercivity)",
             lhs=(-2 * eta * (_q + _u) + eta**2 * (((2 - _k) / eta) * (_q + _u) - _v)),
             rhs=-eta * _k * _q),
        Step("step_le_inverse_L", "eta_t <= 1/||L||_inf gives 2 - eta_t ||L||_inf >= 1, so f - f* <= "
             "(2 - eta_t ||L||_inf)(f - f*)", lhs=_q, rhs=(1 + _k) * _q),
        Step("weighted_telescoping",
             "sum_t (a_t - a_{t+1}) / eta_t <= D_2^2 / eta_{T-1} for non-increasing eta_t and "
             "a_t = E||w_t - w*||^2 in [0, D_2^2] (Abel summation)",
             how="property", test=f"{_TESTS}::test_weighted_telescoping"),
        Step("jensen_average", "f(w_bar_T) <= (1/T) sum_t f(w_t) (convexity)",
             how="property", test=f"{_TESTS}::test_jensen_average_iterate"),
        Step("generic",
             "E f(w_bar_T) - f* <= D_2^2 / (eta_{T-1} T) + ||sigma||_2^2/(M T) sum_{t<T} eta_t "
             "(eta_t <= 1/||L||_inf, non-increasing)", how="definition"),
        Step("step_size", f"eta_t = {step} (non-increasing in t)", how="definition"),
        Step("inverse_last_step",
             "1/eta_{T-1} = max{||L||_inf, sqrt(T) ||sigma||_2/(p D_2 sqrt(M))} <= ||L||_inf + "
             "sqrt(T) ||sigma||_2/(p D_2 sqrt(M)) (each case of the min)",
             lhs=1 / _eta_last, rhs=1 / a_rule + 1 / b_rule.subs(t, _T - 1),
             prover=lambda: le_in_every_case(1 / _eta_last, 1 / a_rule + 1 / b_rule.subs(t, _T - 1),
                                             [{_eta_last: a_rule}, {_eta_last: b_rule.subs(t, _T - 1)}])),
        Step("step_le_schedule", "eta_t = min{...} <= p sqrt(D_2^2 M/(||sigma||_2^2 (t+1))) (a minimum is at "
             "most each argument), so sum_t eta_t <= p D_2 sqrt(M)/||sigma||_2 sum_{t<T} 1/sqrt(t+1)",
             how="definition"),
        Step("harmonic_sqrt_term",
             "1/sqrt(j+1) <= 2 (sqrt(j+1) - sqrt(j)) for j >= 0 (the integral of s^(-1/2) over [j, j+1])",
             lhs=1 / sp.sqrt(_j + 1), rhs=2 * (sp.sqrt(_j + 1) - sp.sqrt(_j)),
             prover=lambda: sp.expand(sp.sqrt(_j + 1) * (2 * (sp.sqrt(_j + 1) - sp.sqrt(_j)) - 1 / sp.sqrt(_j + 1))
                                      - (2 * _j + 1 - 2 * sp.sqrt(_j) * sp.sqrt(_j + 1))) == 0
             and le_by_squares(2 * sp.sqrt(_j) * sp.sqrt(_j + 1), 2 * _j + 1)),
        Step("harmonic_sqrt_sum",
             "sum_{j<T} 2 (sqrt(j+1) - sqrt(j)) = 2 sqrt(T) (telescoping), so sum_{t<T} 1/sqrt(t+1) <= 2 sqrt(T)",
             lhs=sp.Sum(2 * (sp.sqrt(_j + 1) - sp.sqrt(_j)), (_j, 0, _T - 1)), rhs=2 * sp.sqrt(_T), kind="eq",
             prover=lambda: sp.simplify(sp.Sum(2 * (sp.sqrt(_j + 1) - sp.sqrt(_j)), (_j, 0, _T - 1)).doit()
                                        - 2 * sp.sqrt(_T)) == 0),
    ]
    inv_last = steps[11].rhs
    sum_eta = p * D_2 * sp.sqrt(M) / sig * 2 * sp.sqrt(_T)  # sum_t b_rule(t) <= p D_2 sqrt(M)/sigma * 2 sqrt(T)
    upper = sp.expand(D_2**2 * inv_last / _T + sig**2 / (M * _T) * sum_eta)
    terms = _split_terms(upper, sig)
    steps.append(Step("assemble_D1",
                      "generic bound with 1/eta_{T-1} and sum_t eta_t bounded as above = "
                      "||L||_inf D_2^2/T + (1/p + 2p) D_2 ||sigma||_2/sqrt(MT)",
                      lhs=upper, rhs=L * D_2**2 / _T + (1 / p + 2 * p) * D_2 * sig / sp.sqrt(M * _T),
                      kind="eq"))
    steps.append(Step("optimal_p", "1/p + 2p is minimised at p = 1/sqrt(2) (value 2 sqrt(2))",
                      lhs=_argmin_positive(1 / _p_sym + 2 * _p_sym, _p_sym), rhs=1 / sp.sqrt(2), kind="eq"))
    return Derivation(tuple(steps)), step, terms


# ---------------------------------------------------------------------- Theorem D.3
def sgd_nonconvex_bound(b: sp.Expr = 2) -> tuple[Derivation, sp.Expr, sp.Expr, dict[str, sp.Expr]]:
    """Derivation, step size, generic bound (in eta) and explicit terms of Thm D.3 for the
    step ``min{1/||L||_inf, sqrt(b Delta M / (||L||_inf ||sigma||_2^2 T))}``.

    b = 2 is the statement's reading (our theorem), b = 1 the proof's last line.
    """
    L, Delta, sig, M, eta = S.L_norminf, S.Delta, S.sigma_norm2, S.M, S.eta
    s_rule = sp.sqrt(b * Delta * M / (L * sig**2 * _T))
    step = sp.Min(1 / L, s_rule)
    steps = [
        Step("descent", "f(w') <= f(w) + <grad f(w), w' - w> + ||L||_inf/2 ||w' - w||_2^2 (Assumption 3.3)",
             how="property", test=f"{_TESTS}::test_descent_lemma_linf"),
        Step("second_moment",
             "E_t||g_t||^2 <= ||grad f(w_t)||^2 + ||sigma||_2^2/M (Assumptions 3.4, 3.5, Lemma C.2)",
             how="property", test=f"{_TESTS}::test_minibatch_variance_exact"),
        # with eta ||L|| = 1 - k, k >= 0:
        Step("halve", "-eta (1 - eta ||L||_inf / 2) G <= -(eta/2) G for eta <= 1/||L||_inf",
             lhs=-eta * (1 - (1 - _k) / 2) * _G, rhs=-eta * _G / 2),
        Step("telescoping", "sum_{t<T} (F_t - F_{t+1}) = F_0 - F_T <= Delta (F_t = E f(w_t); f >= f*, Assumption 3.2)",
             lhs=sp.Sum(_F(_j) - _F(_j + 1), (_j, 0, _T - 1)), rhs=_F(0) - _F(_T), kind="eq",
             prover=lambda: sp.simplify(sp.Sum(_F(_j) - _F(_j + 1), (_j, 0, _T - 1)).doit()
                                        - (_F(0) - _F(_T))) == 0),
    ]
    # (eta/2) sum_t E||grad f||^2 <= Delta + T ||L|| eta^2 sigma^2 / (2M)  => divide by eta T / 2
    generic = sp.expand((Delta + _T * L * eta**2 * sig**2 / (2 * M)) / (eta * _T / 2))
    steps.append(Step("generic", "(1/T) sum_t E||grad f(w_t)||^2 <= 2 Delta/(eta T) + ||L||_inf eta ||sigma||_2^2/M",
                      lhs=generic, rhs=2 * Delta / (eta * _T) + L * eta * sig**2 / M, kind="eq"))
    steps.append(Step("step_size", f"eta = {step}", how="definition"))
    upper = sp.expand(2 * Delta / _T * (L + 1 / s_rule) + L * s_rule * sig**2 / M)
    steps.append(Step("at_step_size",
                      "1/eta <= ||L||_inf + 1/s and eta <= s (s the second argument of the min) in the generic bound",
                      lhs=generic.subs(eta, step), rhs=upper,
                      prover=lambda: _min_bound_ok(generic, step, upper)))
    coeff = sp.simplify(2 / sp.sqrt(b) + sp.sqrt(b))
    steps.append(Step("assemble_D3",
                      "= 2 ||L||_inf Delta/T + (2/sqrt(b) + sqrt(b)) sqrt(||L||_inf Delta) ||sigma||_2/sqrt(MT)",
                      lhs=upper, rhs=2 * L * Delta / _T + coeff * sp.sqrt(L * Delta) * sig / sp.sqrt(M * _T),
                      kind="eq"))
    steps.append(Step("optimal_b", "2/sqrt(b) + sqrt(b) is minimised at b = 2 (value 2 sqrt(2)): the statement's reading",
                      lhs=_argmin_positive(2 / sp.sqrt(_b_sym) + sp.sqrt(_b_sym), _b_sym), rhs=2, kind="eq"))
    terms = _split_terms(upper, sig)
    return Derivation(tuple(steps)), step, generic, terms


def _split_terms(upper: sp.Expr, sig: sp.Symbol) -> dict[str, sp.Expr]:
    """``bias`` (free of sigma) and ``variance`` (the rest) parts of an expanded bound."""
    parts = sp.Add.make_args(sp.expand(upper))
    return {"bias": sp.simplify(sp.Add(*[x for x in parts if sig not in x.free_symbols])),
            "variance": sp.simplify(sp.Add(*[x for x in parts if sig in x.free_symbols]))}


def _min_bound_ok(generic, step, upper) -> bool:
    from boundcheck.theory.theorem import explicit_ge_generic

    return explicit_ge_generic(upper, generic, step)


# ---------------------------------------------------------------------- builders
def thmD1() -> Symbolic:
    """Theorem D.1's SymPy parts (the schedule eta_t with p = 1/sqrt(2))."""
    derivation, step, terms = sgd_convex_bound()
    return Symbolic(
        o_form=S.D_2 * S.sigma_norm2 / sp.sqrt(S.M * S.T) + S.L_norminf * S.D_2**2 / S.T,
        step_size=step, terms=terms, derivation=derivation,
    )


def thmD3() -> Symbolic:
    """Theorem D.3's SymPy parts (the statement's reading b = 2); the notes give the proof's
    reading b = 1 and its constant."""
    derivation, step, generic, terms = sgd_nonconvex_bound(2)
    _, _, _, alt = sgd_nonconvex_bound(1)
    alt_text = " + ".join(str(v) for v in alt.values())
    return Symbolic(
        o_form=sp.sqrt(S.L_norminf * S.Delta) * S.sigma_norm2 / sp.sqrt(S.M * S.T) + S.L_norminf * S.Delta / S.T,
        step_size=step, terms=terms, derivation=derivation,
        generic=generic, generic_condition="eta <= 1/L_norminf",
        notes=f"Proof's-last-line reading (b = 1) gives: {alt_text}.",
    )
