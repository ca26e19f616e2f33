"""AdaGrad (Option I, projected) in the convex case: Theorems E.1, 4.1 and the interpolation
result of Appendix E.1. Liu, Pan, Zhang, *AdaGrad under Anisotropic Smoothness*, ICLR 2025.

Algorithm 1, Option I: ``v_{-1} = eps^2 1``, ``v_t = v_{t-1} + g_t * g_t``,
``Lambda_t = diag(sqrt(v_t))``, ``w_{t+1} = Proj_W^{Lambda_t}(w_t - eta Lambda_t^{-1} g_t)``.

**Theorem E.1** (convex, possibly nonsmooth; Assumptions 3.1, 3.4; constant eta > 0)::

    (1/T) sum_{t<T} E f(w_t) - f*  <=  (D_inf^2/(2 eta) + eta) G_sum / T + eps D_2^2 / (2 eta T),
    G_sum = E sum_j sqrt(sum_{t<T} g_{t,j}^2).

Our reading of identity (17) keeps a factor 2 the extracted text lost:
``||g_t||^2_{Lambda_t^{-1}} <= 2 tr(Lambda_t - Lambda_{t-1})`` (``g^2/lambda_t =
(lambda_t - lambda_{t-1})(lambda_t + lambda_{t-1})/lambda_t <= 2 (lambda_t - lambda_{t-1})``);
hence the coefficient ``eta`` (not ``eta/2``) in front of G_sum.

**Theorem 4.1** (Assumptions 3.1, 3.3, 3.4, 3.5 and grad f(w*) = 0; eta = D_inf)::

    E f(w_bar_T) - f*  <=  (9/2) ||L||_1 D_inf^2 / T + 3 D_inf ||sigma||_1 / sqrt(MT) + eps D_2^2 / (D_inf T).

From E.1 by Minkowski, Lemma E.2, Lemma G.1 + Jensen, ``||grad f||^2_{L^{-1}} <= 2 (f - f*)``,
and solving ``A <= C sqrt(C1 A) + C0`` as ``A <= C^2 C1 + 2 C0``.

**Interpolation (Appendix E.1)** (Assumptions 3.1, 3.4, E.3, E.4; eta = D_inf)::

    (1/T) sum_{t<T} E f(w_t) - f*  <=  9 ||L_*||_1 D_inf^2 / T + 3 sqrt(2) D_inf ||sigma_*||_1 / sqrt(MT)
                                       + eps D_2^2 / (D_inf T),

O(1/T) when sigma_* = 0. Every explicit bound below is assembled from the proof steps in
:func:`_e1_steps`, :func:`_thm41_steps` and :func:`_interp_steps`, each checked by SymPy or
named property test.
"""

from __future__ import annotations

import sympy as sp

from boundcheck.theory import symbols as S
from boundcheck.theory.derivation import Derivation, Step, is_nonnegative, le_by_squares
from boundcheck.theory.theorem import Symbolic

G_sum = S.symbol("G_sum", "E sum_j sqrt(sum_{t<T} g_{t,j}^2), measured along the run (Thm E.1)")
L_star_norm1 = S.symbol("L_star_norm1", "||L_*||_1, expected anisotropic smoothness (Assumption E.4)")
sigma_star_norm1 = S.symbol("sigma_star_norm1", "||sigma_*||_1, noise at minimisers (Assumption E.3)")

_TESTS = "tests/test_theorems_convex.py"

# coordinate-level atoms of the proof (not public constants)
_a, _g, _b = sp.symbols("a g b", real=True)
_lam, _lam_prev, _s = sp.symbols("lambda_t lambda_tm1 s", positive=True)
_delta = sp.Symbol("delta", nonnegative=True)
_A, _C, _C1, _C0, _x = sp.symbols("A C C_1 C_0 x", nonnegative=True)
_u, _v = sp.symbols("u v", nonnegative=True)
_t = sp.Symbol("t", integer=True, nonnegative=True)
_X = sp.Function("X")


def _prove_telescoping() -> bool:
    return sp.simplify(sp.Sum(_X(_t) - _X(_t + 1), (_t, 0, S.T - 1)).doit() - (_X(0) - _X(S.T))) == 0


def solve_quadratic_step() -> Step:
    """``A >= 0, A <= C sqrt(C1 A) + C0  =>  A <= C^2 C1 + 2 C0`` (proof of Thm 4.1).

    With ``x = sqrt(A)``, ``b = C sqrt(C1)``, ``c = C0``: ``x^2 - b x - c <= 0``. The roots
    ``r, r' = (b +- sqrt(b^2 + 4c))/2`` have ``r' <= 0 <= x`` so ``x <= r``, and
    ``r^2 <= b^2 + 2c`` because ``4(b^2 + 2c) - (b + s)^2 = (s - b)^2`` with ``s^2 = b^2 + 4c``.
    The prover checks each of these facts with SymPy.
    """

    def prove() -> bool:
        b = _C * sp.sqrt(_C1)
        s = sp.sqrt(b**2 + 4 * _C0)
        r, r2 = (b + s) / 2, (b - s) / 2
        factors = sp.expand((_x - r) * (_x - r2) - (_x**2 - b * _x - _C0)) == 0
        r2_nonpos = le_by_squares(b, s)  # b <= s  <=>  r' <= 0
        r_nonneg = bool(is_nonnegative(r))
        # 4(b^2 + 2c) - (b + s)^2 = 2b^2 + 4c - 2bs >= 0  <=>  2bs <= 2b^2 + 4c (compare squares)
        r_sq = sp.expand(4 * (b**2 + 2 * _C0) - (b + s) ** 2 - (2 * b**2 + 4 * _C0 - 2 * b * s)) == 0
        r_sq = r_sq and le_by_squares(2 * b * s, 2 * b**2 + 4 * _C0)
        target = sp.simplify(b**2 + 2 * _C0 - (_C**2 * _C1 + 2 * _C0)) == 0
        return factors and r2_nonpos and r_nonneg and r_sq and target

    return Step(
        "solve_quadratic",
        "A <= C sqrt(C1 A) + C0 with A >= 0 implies A <= C^2 C1 + 2 C0 (positive root of the "
        "quadratic in sqrt(A), then (a+b)^2 <= 2a^2 + 2b^2); proof of Thm 4.1, App. E",
        lhs=_A, rhs=_C**2 * _C1 + 2 * _C0, prover=prove,
    )


def _e1_steps() -> tuple[list[Step], sp.Expr]:
    """Steps of Theorem E.1 and the bound they assemble (as a function of eta)."""
    eta, D_inf, D_2, eps, T = S.eta, S.D_inf, S.D_2, S.eps, S.T
    lam_t = _lam_prev + _delta
    g2 = sp.expand(lam_t**2 - _lam_prev**2)  # identity: g_{t,j}^2 = lambda_t^2 - lambda_{t-1}^2
    steps = [
        Step("projection",
             "E_t||w_{t+1}-w*||^2_{Lambda_t} <= E_t||w_t - eta Lambda_t^{-1} g_t - w*||^2_{Lambda_t}: "
             "projection in the Lambda_t-norm is non-expansive towards w* in W (Lemma C.1)",
             how="property", test=f"{_TESTS}::test_projection_nonexpansive_in_lambda_norm"),
        Step("expand_square",
             "||a - eta Lambda^{-1} g||^2_Lambda = ||a||^2_Lambda - 2 eta <g, a> + eta^2 ||g||^2_{Lambda^{-1}} "
             "(per coordinate)",
             lhs=_lam * (_a - eta * _g / _lam) ** 2,
             rhs=_lam * _a**2 - 2 * eta * _g * _a + eta**2 * _g**2 / _lam, kind="eq"),
        Step("identity_17",
             "g_{t,j}^2 / lambda_{t,j} <= 2 (lambda_{t,j} - lambda_{t-1,j}) since "
             "g^2 = lambda_t^2 - lambda_{t-1}^2 and lambda_t >= lambda_{t-1} (eq. (17) with the factor 2)",
             lhs=g2 / lam_t, rhs=2 * _delta),
        Step("unbiased",
             "E_t <g_t, w_t - w*> = <grad f(w_t), w_t - w*> (Assumption 3.4; w_t is F_t-measurable)",
             how="definition"),
        Step("convexity",
             "<grad f(w_t), w_t - w*> >= f(w_t) - f* (Assumption 3.1)",
             how="property", test=f"{_TESTS}::test_first_order_convexity"),
        Step("diameter",
             "||w_t - w*||^2_{Lambda_t - Lambda_{t-1}} <= D_inf^2 tr(Lambda_t - Lambda_{t-1}) "
             "(per coordinate, (w_t - w*)_j^2 = D_inf^2 - s with s >= 0 since w_t, w* in W)",
             lhs=_delta * (D_inf**2 - _s), rhs=_delta * D_inf**2),
        Step("telescoping",
             "sum_{t<T} (X_t - X_{t+1}) = X_0 - X_T <= X_0 with X_t = E||w_t - w*||^2_{Lambda_{t-1}}",
             lhs=sp.Sum(_X(_t) - _X(_t + 1), (_t, 0, T - 1)), rhs=_X(0) - _X(T), kind="eq",
             prover=_prove_telescoping),
        Step("initial_distance",
             "||w_0 - w*||^2_{Lambda_{-1}} = eps ||w_0 - w*||_2^2 <= eps D_2^2 (Lambda_{-1} = eps I)",
             lhs=eps * (D_2**2 - _s), rhs=eps * D_2**2),
        Step("trace_bound",
             "tr(Lambda_{T-1}) - d eps <= sum_j sqrt(sum_t g_{t,j}^2): per coordinate "
             "sqrt(eps^2 + S_j) <= eps + sqrt(S_j)",
             lhs=sp.sqrt(eps**2 + _s), rhs=eps + sp.sqrt(_s),
             prover=lambda: le_by_squares(sp.sqrt(eps**2 + _s), eps + sp.sqrt(_s))),
    ]
    # Assemble: per iteration, 2 eta (f_t - f*) <= X_t - X_{t+1} + (D_inf^2 + 2 eta^2) E tr(Lambda_t - Lambda_{t-1});
    # sum over t, telescope, bound X_0 and the trace difference:
    per_step_trace_coeff = D_inf**2 + eta**2 * (steps[2].rhs / _delta)  # diameter + eta^2 * identity (17)
    summed = steps[7].rhs.subs(_s, 0) + per_step_trace_coeff * G_sum
    generic = sp.expand(summed / (2 * eta * T))
    paper_form = (D_inf**2 / (2 * eta) + eta) * G_sum / T + eps * D_2**2 / (2 * eta * T)
    steps.append(Step(
        "assemble_E1",
        "2 eta T A <= eps D_2^2 + (D_inf^2 + 2 eta^2) G_sum, i.e. "
        "A <= (D_inf^2/(2 eta) + eta) G_sum / T + eps D_2^2 / (2 eta T)",
        lhs=generic, rhs=paper_form, kind="eq"))
    return steps, generic


def _recursion_to_bound(steps: list[Step], C1: sp.Expr, C0: sp.Expr, chain_rhs: sp.Expr,
                        name: str) -> sp.Expr:
    """Append the steps that turn ``A <= chain_rhs`` into ``A <= C^2 C1 + 2 C0``; return that."""
    C = S.D_inf**2 / (2 * S.eta) + S.eta
    steps.append(Step(
        f"recursion_{name}",
        "the chain gives A <= C sqrt(C1 A) + C0 with C = D_inf^2/(2 eta) + eta",
        lhs=chain_rhs, rhs=C * sp.sqrt(C1 * _A) + C0, kind="eq"))
    steps.append(solve_quadratic_step())
    return sp.expand(C**2 * C1 + 2 * C0)


def _at_step_size(steps, generic_terms: dict[str, sp.Expr], step_size: sp.Expr) -> dict[str, sp.Expr]:
    steps.append(Step("step_size", f"eta = {step_size} (the theorem's step size)", how="definition"))
    return {k: sp.simplify(v.subs(S.eta, step_size)) for k, v in generic_terms.items()}


def _optimal_eta_step() -> Step:
    C = S.D_inf**2 / (2 * S.eta) + S.eta
    best = [r for r in sp.solve(sp.diff(C, S.eta), S.eta) if r.is_positive]
    return Step(
        "optimal_eta_note",
        "C(eta) = D_inf^2/(2 eta) + eta is minimised at eta = D_inf/sqrt(2) (C = sqrt(2) D_inf), not at "
        "the paper's eta = D_inf (C = 3 D_inf / 2): an alternative reading, not the theorem's step size",
        lhs=best[0] if best else sp.nan, rhs=S.D_inf / sp.sqrt(2), kind="eq")


def _thm41() -> tuple[Derivation, sp.Expr, dict[str, sp.Expr]]:
    eta, T, M = S.eta, S.T, S.M
    steps, e1 = _e1_steps()
    steps += [
        Step("minkowski",
             "sqrt(sum_t g_{t,j}^2) <= sqrt(sum_t (grad_j f(w_t))^2) + sqrt(sum_t n_{t,j}^2) (g = grad f + n)",
             how="property", test=f"{_TESTS}::test_minkowski_split"),
        Step("lemma_E2",
             "E sum_j sqrt(sum_t n_{t,j}^2) <= sum_j sqrt(T sigma_j^2 / M) = ||sigma||_1 sqrt(T/M) "
             "(Jensen, Lemma C.2; Lemma E.2)",
             how="property", test=f"{_TESTS}::test_jensen_sqrt_exact_expectation"),
        Step("lemma_G1",
             "(sum_j x_j)^2 <= (sum_j L_j) sum_j x_j^2 / L_j (Lemma G.1, weighted Cauchy-Schwarz)",
             how="property", test=f"{_TESTS}::test_weighted_cauchy_schwarz"),
        Step("jensen_bias",
             "E sqrt(||L||_1 sum_t ||grad f(w_t)||^2_{L^{-1}}) <= sqrt(||L||_1 sum_t E||grad f(w_t)||^2_{L^{-1}})",
             how="property", test=f"{_TESTS}::test_jensen_sqrt_exact_expectation"),
        Step("smooth_gap",
             "||grad f(w)||^2_{L^{-1}} <= 2 (f(w) - f*) (Assumption 3.3, convexity and grad f(w*) = 0)",
             how="property", test=f"{_TESTS}::test_smooth_gap_inequality"),
    ]
    C = S.D_inf**2 / (2 * eta) + eta
    # A <= C/T (bias + noise) + eps-term, with bias <= sqrt(||L||_1 * 2 T A), noise <= ||sigma||_1 sqrt(T/M)
    bias = sp.sqrt(S.L_norm1 * 2 * T * _A)
    noise = S.sigma_norm1 * sp.sqrt(T / M)
    eps_term = e1.coeff(S.eps) * S.eps  # the eps D_2^2/(2 eta T) part of E.1
    chain = C / T * (bias + noise) + eps_term
    C1 = 2 * S.L_norm1 / T
    C0 = C * S.sigma_norm1 / sp.sqrt(M * T) + eps_term
    _recursion_to_bound(steps, C1, C0, chain, "41")
    generic_terms = {"bias": C**2 * C1, "variance": 2 * C * S.sigma_norm1 / sp.sqrt(M * T),
                     "eps": 2 * eps_term}
    terms = _at_step_size(steps, generic_terms, S.D_inf)
    steps.append(Step("jensen_average",
                      "f(w_bar_T) <= (1/T) sum_t f(w_t) (convexity), so E f(w_bar_T) - f* <= A",
                      how="property", test=f"{_TESTS}::test_jensen_average_iterate"))
    steps.append(_optimal_eta_step())
    generic = sp.expand(sum(generic_terms.values()))
    return Derivation(tuple(steps)), generic, terms


def _interp() -> tuple[Derivation, sp.Expr, dict[str, sp.Expr]]:
    eta, T, M = S.eta, S.T, S.M
    steps, e1 = _e1_steps()
    steps += [
        Step("jensen",
             "E sqrt(sum_t g_{t,j}^2) <= sqrt(sum_t E g_{t,j}^2)",
             how="property", test=f"{_TESTS}::test_jensen_sqrt_exact_expectation"),
        Step("split_at_minimiser",
             "g_{t,j}^2 <= 2 |g(w_t) - g(w*)|_j^2 + 2 |g(w*)|_j^2, i.e. (a + b)^2 <= 2a^2 + 2b^2",
             lhs=(_a + _b) ** 2, rhs=2 * _a**2 + 2 * _b**2),
        Step("noise_at_minimiser",
             "E |g(w*)|_j^2 = E n_j(w*)^2 <= sigma_{*,j}^2 / M (grad f(w*) = 0, Assumption E.3, Lemma C.2)",
             how="property", test=f"{_TESTS}::test_minibatch_variance_exact"),
        Step("sqrt_subadditive",
             "sqrt(a + b) <= sqrt(a) + sqrt(b)",
             lhs=sp.sqrt(_u + _v), rhs=sp.sqrt(_u) + sp.sqrt(_v),
             prover=lambda: le_by_squares(sp.sqrt(_u + _v), sp.sqrt(_u) + sp.sqrt(_v))),
        Step("lemma_G1",
             "sum_j sqrt(2 X_j) <= sqrt(2 ||L_*||_1 sum_j X_j / L_{*,j}) (Lemma G.1)",
             how="property", test=f"{_TESTS}::test_weighted_cauchy_schwarz"),
        Step("expected_smoothness",
             "E||g_B(w_t) - g_B(w*)||^2_{L_*^{-1}} <= 2 (E f(w_t) - f*): Assumption E.4 for one sample, "
             "and for a minibatch by ||mean of M vectors||^2 <= mean of ||.||^2",
             how="property", test=f"{_TESTS}::test_norm_of_mean_le_mean_of_norms"),
    ]
    C = S.D_inf**2 / (2 * eta) + eta
    bias = sp.sqrt(4 * L_star_norm1 * T * _A)  # sqrt(2 ||L*||_1 * sum_t 2 E(f - f*)) = sqrt(4 ||L*||_1 T A)
    noise = sp.sqrt(2) * sigma_star_norm1 * sp.sqrt(T / M)  # sum_j sqrt(2 T sigma_*j^2 / M)
    eps_term = e1.coeff(S.eps) * S.eps
    chain = C / T * (bias + noise) + eps_term
    C1 = 4 * L_star_norm1 / T
    C0 = C * sp.sqrt(2) * sigma_star_norm1 / sp.sqrt(M * T) + eps_term
    _recursion_to_bound(steps, C1, C0, chain, "interp")
    generic_terms = {"bias": C**2 * C1, "variance": 2 * sp.sqrt(2) * C * sigma_star_norm1 / sp.sqrt(M * T),
                     "eps": 2 * eps_term}
    terms = _at_step_size(steps, generic_terms, S.D_inf)
    generic = sp.expand(sum(generic_terms.values()))
    return Derivation(tuple(steps)), generic, terms


# ---------------------------------------------------------------------- the theorems
def e1() -> Symbolic:
    """Theorem E.1's SymPy parts (any constant eta > 0; G_sum measured along the run)."""
    steps, generic = _e1_steps()
    terms = {
        "adaptive": (S.D_inf**2 / (2 * S.eta) + S.eta) * G_sum / S.T,
        "eps": S.eps * S.D_2**2 / (2 * S.eta * S.T),
    }
    return Symbolic(
        o_form=(S.D_inf**2 / S.eta + S.eta) * G_sum / S.T + S.eps * S.D_2**2 / (S.eta * S.T),
        step_size=S.eta, terms=terms, derivation=Derivation(tuple(steps)),
        generic=generic, generic_condition="any eta > 0",
    )


def thm41() -> Symbolic:
    """Theorem 4.1's SymPy parts (eta = D_inf)."""
    derivation, generic, terms = _thm41()
    return Symbolic(
        o_form=(S.D_inf * S.sigma_norm1 / sp.sqrt(S.M * S.T) + S.L_norm1 * S.D_inf**2 / S.T
                + S.eps * S.D_2**2 / (S.D_inf * S.T)),
        step_size=S.D_inf, terms=terms, derivation=derivation,
        generic=generic, generic_condition="any eta > 0",
    )


def interpolation() -> Symbolic:
    """The interpolation result's SymPy parts (App. E.1; eta = D_inf)."""
    derivation, generic, terms = _interp()
    return Symbolic(
        o_form=(L_star_norm1 * S.D_inf**2 / S.T + S.D_inf * sigma_star_norm1 / sp.sqrt(S.M * S.T)
                + S.eps * S.D_2**2 / (S.D_inf * S.T)),
        step_size=S.D_inf, terms=terms, derivation=derivation,
        generic=generic, generic_condition="any eta > 0",
    )
