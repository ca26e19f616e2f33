r"""``signgd-l1``: deterministic sign descent in the l1 gradient norm (derived here; the exact-gradient
case of Bernstein et al. 2018, Thm 1).

Assumptions 3.2 (``f >= f_*``, ``Delta = f(w_0) - f_*``) and 3.3 (anisotropic smoothness with the
vector L; only the descent side is used); exact gradients (full batch); constant step size::

    eta = sqrt(2 Delta / (||L||_1 T))
    (1/T) sum_{t<T} ||grad f(w_t)||_1  <=  sqrt(2 Delta ||L||_1 / T).

Proof (each step below is a :class:`~boundcheck.theory.derivation.Step`): the descent lemma of
Assumption 3.3, ``f(w + u) <= f(w) + <grad f(w), u> + (1/2) sum_j L_j u_j^2``, at
``u = -eta sign(grad f(w_t))`` gives ``f(w_{t+1}) <= f(w_t) - eta ||grad f(w_t)||_1 + eta^2 ||L||_1 / 2``
(``g sign(g) = |g|``, ``sign(g)^2 <= 1``); telescoping over t and ``f >= f_*`` give
``(1/T) sum_t ||grad f(w_t)||_1 <= Delta/(eta T) + eta ||L||_1/2``, minimised at the stated eta.
"""

from __future__ import annotations

from boundcheck.problems.standard import instance
from boundcheck.theory.theorem import Symbolic, Theorem

_TESTS = "examples/plugin/tests/test_signgd.py"


def _build() -> Symbolic:
    import sympy as sp

    from boundcheck.theory import symbols as S
    from boundcheck.theory.derivation import Derivation, Step

    g = sp.Symbol("g", real=True)
    eta, L1, Delta, T = S.eta, S.L_norm1, S.Delta, S.T
    F, j = sp.Function("F"), sp.Symbol("j", integer=True, nonnegative=True)
    generic = Delta / (eta * T) + eta * L1 / 2
    step = sp.sqrt(2 * Delta / (L1 * T))
    explicit = sp.sqrt(2 * Delta * L1 / T)
    steps = (
        Step("descent", "f(w + u) <= f(w) + <grad f(w), u> + (1/2) sum_j L_j u_j^2 (Assumption 3.3)",
             how="property", test=f"{_TESTS}::test_descent_lemma"),
        Step("sign_inner", "g sign(g) = |g| (so <grad f, -eta sign grad f> = -eta ||grad f||_1)",
             lhs=g * sp.sign(g), rhs=sp.Abs(g), kind="eq",
             prover=lambda: all(sp.simplify((g * sp.sign(g) - sp.Abs(g)).subs(g, v)) == 0
                                for v in (sp.Symbol("p", positive=True), -sp.Symbol("p", positive=True), 0))),
        Step("sign_square", "sign(g)^2 <= 1, so (1/2) sum_j L_j eta^2 sign(g_j)^2 <= eta^2 ||L||_1 / 2",
             how="property", test=f"{_TESTS}::test_sign_square_and_step_bound"),
        Step("telescoping", "sum_{t<T} (F_t - F_{t+1}) = F_0 - F_T <= Delta (f >= f_*, Assumption 3.2)",
             lhs=sp.Sum(F(j) - F(j + 1), (j, 0, T - 1)), rhs=F(0) - F(T), kind="eq",
             prover=lambda: sp.simplify(sp.Sum(F(j) - F(j + 1), (j, 0, T - 1)).doit() - (F(0) - F(T))) == 0),
        Step("generic", "(1/T) sum_t ||grad f(w_t)||_1 <= Delta/(eta T) + eta ||L||_1 / 2 (divide by eta T)",
             how="definition"),
        Step("at_step_size", "at eta = sqrt(2 Delta/(||L||_1 T)) the generic bound is sqrt(2 Delta ||L||_1 / T)",
             lhs=generic.subs(eta, step), rhs=explicit, kind="eq"),
        Step("optimal_eta", "the step size minimises the generic bound over eta > 0",
             lhs=sp.solve(sp.diff(generic, eta), eta)[0], rhs=step, kind="eq"),
    )
    return Symbolic(o_form=sp.sqrt(Delta * L1 / T), step_size=step, terms={"bias": explicit},
                    derivation=Derivation(steps), generic=generic, generic_condition="any eta > 0")


THEOREM = Theorem(
    id="signgd-l1",
    title="Deterministic sign descent in the l1 gradient norm",
    reference="derived in the boundcheck example plugin; exact-gradient case of Bernstein et al. 2018, Thm 1",
    method="sign descent", algorithm="sign-descent", option="II", setting="nonconvex, L-smooth, exact gradients",
    assumptions=("3.2", "3.3"),
    quantity_id="mean_grad_l1",
    step_size_text="eta = sqrt(2 Delta / (||L||_1 T)) (constant)",
    build=_build,
    problems=(instance("logcosh-separable", d=16),),
    full_batch=True,
    notes="Exact gradients (full batch): sign descent's step does not shrink with the noise, so the "
          "stochastic version needs large batches (Bernstein et al. 2018).",
)
