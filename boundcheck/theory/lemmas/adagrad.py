"""AdaGrad's accumulator lemmas (Liu et al. 2025, identity (17), Lemmas F.1-F.4).

Notation (Algorithm 1): ``v_{-1} = eps^2 1``, ``v_t = v_{t-1} + g_t*g_t``,
``lambda_{t,j} = sqrt(v_{t,j})`` (so ``Lambda_{-1} = eps I``), and the auxiliary
``lambda~_{t,j}^2 = lambda_{t-1,j}^2 + E_t g_{t,j}^2`` of (20). ``E_t`` is the expectation over
the minibatch at step t given the past; ``grad f(w_t) = E_t g_t`` (Assumption 3.4) and
``Var_t(g_{t,j}) <= sigma_j^2/M <= sigma_j^2`` (Assumption 3.5 with Lemma C.2).

Numeric checkers (pure NumPy):

- ``identity17.slack(g, v_prev)`` -> per-step ``(||g_t||^2_{Lambda_t^{-1}}, 2 tr(Lambda_t - Lambda_{t-1}))``.
- ``F1.lhs_rhs(values, probs, lam_prev, sigma)`` and ``F2.lhs_rhs(values, probs, lam_prev, sigma, L1)``:
  both sides with the conditional expectation computed *exactly* for a discrete law of g_t
  (atoms ``values`` (K, d) with probabilities ``probs`` (K,)), e.g. a finite sum with M = 1.
- ``F3.pathwise(G, eps)``: per path, ``sum_t g_tj^2/lambda_tj^2`` against ``2 ln(lambda_{T-1,j}/eps)``
  and ``2 ln(tr Lambda_{T-1}/eps)``; ``F3.expected(G, eps)``: the lemma's expected form over replicas.
- ``F4.bound(d, eps, eta, Delta, L0_norm1, sigma_norm1, T, M)`` and ``F4.trace(G, eps)``
  (``tr Lambda_{T-1}`` per replica); ``F4.expr`` is the SymPy bound in the public symbols.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from boundcheck.theory import symbols as S
from boundcheck.theory.derivation import Derivation, Step
from boundcheck.theory.lemma import Lemma, as_array
from boundcheck.validation import InputError, choice, integer, nonnegative, positive

TESTS = "tests/test_lemmas.py"


# --------------------------------------------------------------------------- (17)
def identity17_slack(g, v_prev, factor=2.0):
    """Per step: ``(sum_j g_j^2/lambda_{t,j}, factor * sum_j (lambda_{t,j} - lambda_{t-1,j}))`` with
    ``lambda_{t-1} = sqrt(v_prev)``, ``lambda_t = sqrt(v_prev + g^2)``. Shapes ``(..., d)``.
    ``factor=2`` is the true identity; ``factor=1`` is the paper's printed text (false)."""
    g = as_array("g", g, ndim=(1, 2, 3))
    v_prev = as_array("v_prev", v_prev, ndim=(1, 2, 3), positive=True)
    if g.shape != v_prev.shape:
        raise InputError(f"g has shape {g.shape} and v_prev {v_prev.shape}; they must match")
    lam_prev = np.sqrt(v_prev)
    lam = np.sqrt(v_prev + g**2)
    # lambda_t - lambda_{t-1} = g^2/(lambda_t + lambda_{t-1}): no cancellation for tiny g.
    return (g**2 / lam).sum(axis=-1), factor * (g**2 / (lam + lam_prev)).sum(axis=-1)


def accumulate(G, eps):
    """``(v_prev, v)`` along a gradient path ``G`` of shape ``(..., T, d)``: ``v_prev[t] = v_{t-1}``."""
    G = as_array("G", G, ndim=(2, 3))
    eps = positive("eps", eps)
    v = eps**2 + np.cumsum(G**2, axis=-2)
    v_prev = np.concatenate([np.full_like(v[..., :1, :], eps**2), v[..., :-1, :]], axis=-2)
    return v_prev, v


def _identity17_derivation() -> Derivation:
    l0 = sp.Symbol("lambda_prev", positive=True)
    delta = sp.Symbol("delta", nonnegative=True)  # lambda_t - lambda_{t-1} >= 0
    lam = l0 + delta
    g2 = lam**2 - l0**2  # g_{t,j}^2
    return Derivation((
        Step("square_difference", "g_{t,j}^2/(lambda_t + lambda_{t-1}) = lambda_t - lambda_{t-1}",
             lhs=g2 / (lam + l0), rhs=delta, kind="eq"),
        Step("factor_two", "g^2/lambda_t <= 2 g^2/(lambda_t + lambda_{t-1}) since lambda_t >= lambda_{t-1}: "
             "2(lambda_t - lambda_{t-1}) - g^2/lambda_t = delta^2/lambda_t >= 0",
             lhs=g2 / lam, rhs=2 * delta, kind="le"),
        Step("lower_direction", "g^2/lambda_t >= g^2/(lambda_t+lambda_{t-1}) = lambda_t - lambda_{t-1} "
             "(the direction Lemma F.4 uses)", lhs=delta, rhs=g2 / lam, kind="le"),
        Step("printed_version_false", "the printed g^2/lambda_t <= lambda_t - lambda_{t-1} fails: "
             "xfail property test", how="property",
             test=f"{TESTS}::test_identity17_printed_without_factor_two"),
    ))


identity17 = (Lemma(
    id="(17)",
    title="AdaGrad's gradient norm against the trace increment",
    reference="Liu et al. 2025, eq. (17) in the proof of Theorem E.1",
    statement_latex=r"\tr(\Lambda_t-\Lambda_{t-1}) \le \|g_t\|^2_{\Lambda_t^{-1}} = \sum_j \frac{g_{t,j}^2}{\lambda_{t,j}}"
                    r" \le 2\,\tr(\Lambda_t-\Lambda_{t-1})",
    hypotheses=("lambda_{t,j}^2 = lambda_{t-1,j}^2 + g_{t,j}^2, lambda_{t-1,j} > 0",),
    derivation=_identity17_derivation(),
    property_tests=(f"{TESTS}::test_identity17", f"{TESTS}::test_identity17_printed_without_factor_two",
                    f"{TESTS}::test_identity17_along_adagrad_path"),
    checks={"slack": identity17_slack, "accumulate": accumulate},
    notes="FINDING: the extracted text reads ||g_t||^2_{Lambda_t^{-1}} <= sum g^2/(lambda_t + lambda_{t-1}) "
          "= tr(Lambda_t - Lambda_{t-1}); the first inequality is reversed (lambda_t + lambda_{t-1} >= "
          "lambda_t). The correct upper bound carries a factor 2 (tight as g/lambda_{t-1} -> 0). "
          "The factor 2 is what makes Theorem E.1's eta term come out as eta (not eta/2).",
))


# --------------------------------------------------------------------------- F.1, F.2 (exact E_t)
def _discrete_law(values, probs, lam_prev):
    values = as_array("values", values, ndim=2)
    probs = as_array("probs", probs, ndim=1, nonnegative=True)
    lam_prev = as_array("lam_prev", lam_prev, ndim=1, positive=True)
    if values.shape[0] != probs.shape[0] or values.shape[1] != lam_prev.shape[0]:
        raise InputError(f"shapes do not match: values {values.shape}, probs {probs.shape}, "
                         f"lam_prev {lam_prev.shape}")
    if not math.isclose(probs.sum(), 1.0, rel_tol=1e-9):
        raise InputError(f"probs sum to {probs.sum():g}; allowed: probabilities summing to 1")
    grad = probs @ values  # grad f(w_t) = E_t g_t
    second = probs @ values**2  # E_t g_t^2
    lam = np.sqrt(lam_prev**2 + values**2)  # lambda_t for each atom, (K, d)
    lam_tilde = np.sqrt(lam_prev**2 + second)
    ratio = probs @ (values**2 / lam**2)  # E_t g^2/lambda^2, (d,)
    var = np.maximum(second - grad**2, 0.0)
    return values, probs, grad, lam, lam_tilde, ratio, var


def _sigma_default(sigma, var, d):
    if sigma is None:
        return np.sqrt(var)
    sigma = as_array("sigma", sigma, ndim=1, nonnegative=True)
    if sigma.shape[0] != d:
        raise InputError(f"sigma has {sigma.shape[0]} entries, expected d={d}")
    return sigma


def f1_lhs_rhs(values, probs, lam_prev, sigma=None, coef=2.0):
    """Lemma F.1 with ``E_t`` exact for a discrete law of g_t:
    ``E_t <grad f, (Lambda~^{-1} - Lambda^{-1}) g>`` and
    ``(1/2) <grad f, Lambda~^{-1} grad f> + coef * sum_j sigma_j E_t[g_j^2/lambda_j^2]``.
    ``sigma`` defaults to the exact conditional standard deviation of g_t (the smallest valid
    sigma). ``coef=2`` is the paper's constant; our proof gives ``coef=1``."""
    values, probs, grad, lam, lam_tilde, ratio, var = _discrete_law(values, probs, lam_prev)
    sigma = _sigma_default(sigma, var, values.shape[1])
    lhs = probs @ ((grad * (1.0 / lam_tilde - 1.0 / lam) * values).sum(axis=1))
    rhs = 0.5 * (grad**2 / lam_tilde).sum() + coef * (sigma * ratio).sum()
    return float(lhs), float(rhs)


def f2_lhs_rhs(values, probs, lam_prev, L1, sigma=None):
    """Lemma F.2 with ``E_t`` exact: ``sum_j L1_j |grad_j| E_t[g_j^2/lambda_j^2]`` and
    ``2 ||L1||_inf <grad f, Lambda~^{-1} grad f> + sum_j L1_j sigma_j E_t[g_j^2/lambda_j^2]``."""
    values, probs, grad, lam, lam_tilde, ratio, var = _discrete_law(values, probs, lam_prev)
    sigma = _sigma_default(sigma, var, values.shape[1])
    L1 = as_array("L1", L1, ndim=1, nonnegative=True)
    lhs = (L1 * np.abs(grad) * ratio).sum()
    rhs = 2 * L1.max() * (grad**2 / lam_tilde).sum() + (L1 * sigma * ratio).sum()
    return float(lhs), float(rhs)


def _f1_derivation() -> Derivation:
    g2, e2 = sp.symbols("g2 Eg2", nonnegative=True)
    lp = sp.Symbol("lambda_prev", positive=True)
    s, m = sp.symbols("s m", nonnegative=True)  # s = sqrt(E g^2), m = E|g| <= s
    k = sp.Symbol("k", nonnegative=True)  # s - m
    u, v = sp.symbols("u v", nonnegative=True)
    return Derivation((
        Step("difference_of_inverses", "1/lambda~ - 1/lambda = (g^2 - E g^2)/(lambda lambda~ (lambda + lambda~))",
             lhs=1 / sp.sqrt(lp**2 + e2) - 1 / sp.sqrt(lp**2 + g2),
             rhs=(g2 - e2) / (sp.sqrt(lp**2 + g2) * sp.sqrt(lp**2 + e2) * (sp.sqrt(lp**2 + g2) + sp.sqrt(lp**2 + e2))),
             kind="eq", prover=lambda: _inverse_difference(lp, g2, e2)),
        Step("denominator", "|g^2 - E g^2|/(lambda + lambda~) <= ||g| - s| since lambda >= |g|, lambda~ >= s",
             how="property", test=f"{TESTS}::test_f1_exact_expectation"),
        Step("young", "u v <= u^2 beta/2 + v^2/(2 beta) with u = |grad| ||g|-s|/lambda~, v = |g|/lambda, "
             "beta = 2 s (s - E|g|)/lambda~ (F_t-measurable)",
             lhs=u * v, rhs=u**2 * sp.Symbol("beta", positive=True) / 2 + v**2 / (2 * sp.Symbol("beta", positive=True)),
             kind="le"),
        Step("second_moment_of_abs", "E(|g| - s)^2 = 2 s (s - E|g|)", lhs=(s**2 - 2 * s * m + s**2),
             rhs=2 * s * (s - m), kind="eq"),
        Step("gap_le_sd", "s - E|g| <= sqrt(s^2 - (E|g|)^2) = sd(|g|) <= sd(g) <= sigma (m <= s)",
             lhs=k**2, rhs=k * (k + 2 * m), kind="le"),
        Step("assemble", "E_t[...] <= grad^2/(2 lambda~) + (s - E|g|) E_t g^2/lambda^2 "
             "<= grad^2/(2 lambda~) + sigma E_t g^2/lambda^2 (coefficient 1 <= the paper's 2)",
             how="property", test=f"{TESTS}::test_f1_exact_expectation"),
    ))


def _inverse_difference(lp, g2, e2) -> bool:
    A, B = sp.sqrt(lp**2 + g2), sp.sqrt(lp**2 + e2)
    lhs = 1 / B - 1 / A
    rhs = (g2 - e2) / (A * B * (A + B))
    # (A - B)(A + B) = g2 - e2, so (A - B)/(A B) = (g2 - e2)/(A B (A + B)).
    return sp.simplify(sp.expand((A - B) * (A + B)) - (g2 - e2)) == 0 and sp.simplify(
        lhs - (A - B) / (A * B)) == 0 and sp.simplify(rhs * (A + B) - (A - B) / (A * B) * (A + B)) == 0


F1 = (Lemma(
    id="F.1",
    title="Bound of <grad f(w_t), (Lambda~_t^{-1} - Lambda_t^{-1}) g_t>",
    reference="Liu et al. 2025, Lemma F.1",
    statement_latex=r"\mathbb{E}_t\langle\nabla f(w_t),(\tilde\Lambda_t^{-1}-\Lambda_t^{-1})g_t\rangle \le "
                    r"\frac12\langle\nabla f(w_t),\tilde\Lambda_t^{-1}\nabla f(w_t)\rangle + "
                    r"2\sum_j\sigma_j\,\mathbb{E}_t\Big[\frac{g_{t,j}^2}{\lambda_{t,j}^2}\Big]",
    hypotheses=("Assumption 3.4", "Var_t(g_{t,j}) <= sigma_j^2 (3.5 with C.2)", "Lambda~ as in (20)"),
    derivation=_f1_derivation(),
    property_tests=(f"{TESTS}::test_f1_exact_expectation", f"{TESTS}::test_f1_f2_along_adagrad_path"),
    checks={"lhs_rhs": f1_lhs_rhs},
    notes="Coefficients reconstructed (the printed (21) lost them): (1/2) on the Lambda~ term and 2 on "
          "the sigma term (consistent with the 12||sigma||_1 of (27)). Our Young split with "
          "beta = 2s(s - E|g|)/lambda~ and s - E|g| <= sd(g) <= sigma gives coefficient 1; the tests "
          "check coefficient 1, which implies the paper's 2.",
))


def _f2_derivation() -> Derivation:
    a, x, y = sp.symbols("a x y", positive=True)
    gr, sg, k = sp.symbols("grad sigma k", positive=True)
    return Derivation((
        Step("case_small_gradient", "|grad_j| <= sigma_j: L1_j |grad_j| E[.] <= L1_j sigma_j E[.]",
             how="property", test=f"{TESTS}::test_f2_exact_expectation"),
        Step("concavity", "h(x) = x/(a^2 + x) is concave on x >= 0 (Jensen: E h(g^2) <= h(E g^2))",
             lhs=sp.diff(x / (a**2 + x), x, 2), rhs=sp.Integer(0), kind="le"),
        Step("second_moment", "E g^2 = grad^2 + Var <= grad^2 + sigma^2 < 2 grad^2 when |grad| > sigma "
             "(write grad = sigma + k, k > 0)", lhs=(sg + k) ** 2 + sg**2, rhs=2 * (sg + k) ** 2, kind="le"),
        Step("grad_le_lambda_tilde", "|grad_j| = |E g_j| <= sqrt(E g_j^2) <= lambda~_j, so "
             "|grad| grad^2/lambda~^2 <= grad^2/lambda~", lhs=y * gr**2 / (y + a) ** 2,
             rhs=gr**2 / (y + a), kind="le", prover=lambda: bool(
                 sp.factor(gr**2 / (y + a) - y * gr**2 / (y + a) ** 2).is_nonnegative)),
    ))


F2 = (Lemma(
    id="F.2",
    title="Bound of the L1 term sum_j L1_j |grad_j f| E_t[g^2/lambda^2]",
    reference="Liu et al. 2025, Lemma F.2",
    statement_latex=r"\sum_j L_{1,j}|\nabla_j f(w_t)|\,\mathbb{E}_t\Big[\frac{g_{t,j}^2}{\lambda_{t,j}^2}\Big] \le "
                    r"2\|L_1\|_\infty\langle\nabla f(w_t),\tilde\Lambda_t^{-1}\nabla f(w_t)\rangle + "
                    r"\sum_j L_{1,j}\sigma_j\,\mathbb{E}_t\Big[\frac{g_{t,j}^2}{\lambda_{t,j}^2}\Big]",
    hypotheses=("Assumption 3.4", "Var_t(g_{t,j}) <= sigma_j^2", "Lambda~ as in (20)"),
    derivation=_f2_derivation(),
    property_tests=(f"{TESTS}::test_f2_exact_expectation", f"{TESTS}::test_f1_f2_along_adagrad_path"),
    checks={"lhs_rhs": f2_lhs_rhs},
    notes="Reading of the case split: |grad_j| <= sigma_j or > sigma_j; the second case uses Jensen on "
          "the concave x/(lambda_{t-1}^2 + x).",
))


# --------------------------------------------------------------------------- F.3
def _two_log_ratio(sum_sq, eps, axis=None):
    """``2 ln(lambda/eps)`` per coordinate (axis None) or ``2 ln(tr Lambda/eps)`` (sum over ``axis``),
    with ``lambda = sqrt(eps^2 + sum_sq)``, computed without cancellation: with ``q = sum_sq/eps^2``,
    ``lambda/eps = 1 + r``, ``r = q/(sqrt(1+q) + 1)``."""
    q = sum_sq / eps**2
    r = q / (np.sqrt(1 + q) + 1)
    if axis is None:
        return 2 * np.log1p(r)
    d = sum_sq.shape[axis]
    return 2 * np.log1p((d - 1) + r.sum(axis=axis))


def f3_pathwise(G, eps):
    """Per path (``G``: ``(..., T, d)``): ``(sum_t g_tj^2/lambda_tj^2, 2 ln(lambda_{T-1,j}/eps),
    2 ln(tr Lambda_{T-1}/eps))`` with shapes ``(..., d)``, ``(..., d)``, ``(...)``."""
    _, v = accumulate(G, eps)
    G = np.asarray(G, dtype=float)
    lhs = (G**2 / v).sum(axis=-2)
    total = (G**2).sum(axis=-2)
    return lhs, _two_log_ratio(total, eps), _two_log_ratio(total, eps, axis=-1)


def f3_expected(G, eps):
    """Lemma F.3 over replicas ``G`` of shape ``(S, T, d)``: per coordinate the mean over S of
    ``sum_t g_tj^2/lambda_tj^2`` (d,) and ``2 ln(E tr Lambda_{T-1}/eps)`` (scalar)."""
    G = as_array("G", G, ndim=3)
    _, v = accumulate(G, eps)
    lhs = (G**2 / v).sum(axis=1).mean(axis=0)
    return lhs, float(2 * np.log(np.sqrt(v[:, -1, :]).sum(axis=-1).mean() / eps))


def _f3_derivation() -> Derivation:
    return Derivation((
        Step("lemma_G3", "sum_t g^2/lambda_t^2 = sum_t a_t/(b_t + eps^2) <= ln(lambda_{T-1}^2/eps^2) "
             "(Lemma G.3 with a_t = g_t^2, b_t + eps^2 = lambda_t^2)", how="property",
             test=f"{TESTS}::test_f3_pathwise"),
        Step("coordinate_le_trace", "lambda_{T-1,j} <= tr Lambda_{T-1}", how="property",
             test=f"{TESTS}::test_f3_pathwise"),
        Step("jensen_log", "E ln X <= ln E X (ln concave)", lhs=sp.diff(sp.log(sp.Symbol("x", positive=True)),
                                                                          sp.Symbol("x", positive=True), 2),
             rhs=sp.Integer(0), kind="le"),
    ))


F3 = (Lemma(
    id="F.3",
    title="Bound of sum_t E[g_tj^2/lambda_tj^2]",
    reference="Liu et al. 2025, Lemma F.3",
    statement_latex=r"\sum_{t=0}^{T-1}\mathbb{E}\Big[\frac{g_{t,j}^2}{\lambda_{t,j}^2}\Big] \le "
                    r"2\ln\frac{\mathbb{E}\,\tr(\Lambda_{T-1})}{\epsilon}\quad\forall j",
    hypotheses=("AdaGrad accumulator with v_{-1} = eps^2 1, eps > 0",),
    derivation=_f3_derivation(),
    property_tests=(f"{TESTS}::test_f3_pathwise", f"{TESTS}::test_f3_expected_simulation"),
    checks={"pathwise": f3_pathwise, "expected": f3_expected},
    notes="Pathwise (before Jensen) it holds for every path: sum_t g^2/lambda^2 <= 2 ln(lambda_{T-1,j}/eps).",
))


# --------------------------------------------------------------------------- F.4
#: 3 sqrt(2u) <= 5u + 9/10 for u >= 0 (Young; equality at u = 0.18).
YOUNG_OFFSET = sp.Rational(9, 10)


def _f4_expr(reading: str = "derived") -> sp.Expr:
    Snoise = S.sigma_norm1 * sp.sqrt(S.T / S.M)
    C1 = 2 * S.eta * S.L0_norm1 + 5 * Snoise
    base = 2 * S.d * S.eps + 4 * S.Delta / S.eta + 5 * C1 * sp.log(C1 / S.eps + sp.E)
    return base + 2 * YOUNG_OFFSET * Snoise if reading == "derived" else base


def f4_bound(d, eps, eta, Delta, L0_norm1, sigma_norm1, T, M, reading="derived"):
    """Lemma F.4's bound on ``E tr(Lambda_{T-1})`` (needs ``eta <= 1/||L1||_inf``).

    ``reading="derived"`` (default, always valid):
    ``2 d eps + 4 Delta/eta + (9/5) S + 5 C1 ln(C1/eps + e)``, ``C1 = 2 eta ||L0||_1 + 5 S``,
    ``S = ||sigma||_1 sqrt(T/M)``. ``reading="paper"`` drops the ``(9/5) S`` term (valid when
    ``E tr(Lambda_{T-1})/eps >= e^{0.72}``, e.g. whenever d >= 3)."""
    d = integer("d", d, low=1)
    eps = positive("eps", eps)
    eta = positive("eta", eta)
    Delta = nonnegative("Delta", Delta)
    L0 = nonnegative("L0_norm1", L0_norm1)
    sig = nonnegative("sigma_norm1", sigma_norm1)
    T = integer("T", T, low=1)
    M = integer("M", M, low=1)
    reading = choice("reading", reading, ["derived", "paper"])
    Sn = sig * math.sqrt(T / M)
    C1 = 2 * eta * L0 + 5 * Sn
    value = 2 * d * eps + 4 * Delta / eta + 5 * C1 * math.log(C1 / eps + math.e)
    return value + (1.8 * Sn if reading == "derived" else 0.0)


def f4_trace(G, eps):
    """``tr Lambda_{T-1} = sum_j sqrt(eps^2 + sum_t g_tj^2)`` per replica, ``G``: ``(..., T, d)``."""
    G = as_array("G", G, ndim=(2, 3))
    eps = positive("eps", eps)
    return np.sqrt(eps**2 + (G**2).sum(axis=-2)).sum(axis=-1)


def _f4_derivation() -> Derivation:
    g, eta = sp.symbols("g eta", positive=True)
    u, v = sp.symbols("u v", nonnegative=True)
    Sn, eps = sp.symbols("S epsilon", positive=True)
    dd, De, L0 = sp.symbols("d Delta L0", positive=True)
    c1 = (2 * eta * L0 + 5 * Sn)
    c0 = dd + 2 * De / (eta * eps) + YOUNG_OFFSET * Sn / eps
    return Derivation((
        Step("descent_C3", "Lemma C.3 along the step (||w_{t+1}-w_t||_inf <= eta <= 1/||L1||_inf)",
             how="property", test=f"{TESTS}::test_c3_descent_lemma"),
        Step("cubic_term", "|g|^3/lambda^2 <= g^2/lambda when |g| <= lambda (so eta^2 L1 |g|^3/lambda^2 "
             "<= eta g^2/lambda for eta L1 <= 1)", lhs=g**3 / (g + u) ** 2, rhs=g**2 / (g + u), kind="le",
             prover=lambda: bool(sp.factor(g**2 / (g + u) - g**3 / (g + u) ** 2).is_nonnegative)),
        Step("trace_lower", "<g, Lambda^{-1} g> >= tr(Lambda_t - Lambda_{t-1}) (identity (17), lower side)",
             how="property", test=f"{TESTS}::test_identity17"),
        Step("inequality_24", "tr Lambda_{T-1} <= d eps + (2/eta)(f(w_0)-f(w_T)) + eta sum_j L0_j Q_j "
             "+ 3 sum_j sqrt(N_j Q_j), Q_j = sum_t g^2/lambda^2, N_j = sum_t n_tj^2 (per path)",
             how="property", test=f"{TESTS}::test_f4_inequality_24_pathwise"),
        Step("young_sqrt_log", "3 sqrt(2u) <= 5u + 9/10 for u >= 0: 5u + 9/10 - 3 sqrt(2u) = 5(v - 3 sqrt2/10)^2, v = sqrt u",
             lhs=3 * sp.sqrt(2) * v, rhs=5 * v**2 + YOUNG_OFFSET, kind="le",
             prover=lambda: sp.simplify(5 * v**2 + YOUNG_OFFSET - 3 * sp.sqrt(2) * v
                                        - 5 * (v - 3 * sp.sqrt(2) / 10) ** 2) == 0),
        Step("lemma_G4", "x = E tr/eps <= C0 + C1 ln x with C0 = d + 2 Delta/(eta eps) + (9/10) S/eps, "
             "C1 = (2 eta ||L0||_1 + 5 S)/eps; Lemma G.4 gives x <= 2 C0 + 5 C1 ln(C1 + e)",
             how="property", test=f"{TESTS}::test_g4_bound_holds"),
        Step("assemble", "eps (2 C0 + 5 C1 ln(C1 + e)) = the derived bound",
             lhs=eps * (2 * c0 + 5 * (c1 / eps) * sp.log(c1 / eps + sp.E)),
             rhs=2 * dd * eps + 4 * De / eta + 2 * YOUNG_OFFSET * Sn + 5 * c1 * sp.log(c1 / eps + sp.E),
             kind="eq"),
    ))


F4 = (Lemma(
    id="F.4",
    title="Bound of E tr(Lambda_{T-1})",
    reference="Liu et al. 2025, Lemma F.4",
    statement_latex=r"\mathbb{E}\,\tr(\Lambda_{T-1}) \le 2d\epsilon + \frac{4\Delta}{\eta} + \frac95 S + "
                    r"5C_1\ln\Big(\frac{C_1}{\epsilon}+e\Big),\ C_1 = 2\eta\|L_0\|_1 + 5S,\ "
                    r"S=\|\sigma\|_1\sqrt{T/M}",
    hypotheses=("Assumptions 3.2, 3.4, 3.5, 5.1", "eta <= 1/||L1||_inf", "AdaGrad Option II"),
    derivation=_f4_derivation(),
    property_tests=(f"{TESTS}::test_f4_inequality_24_pathwise", f"{TESTS}::test_f4_simulation",
                    f"{TESTS}::test_f4_paper_reading_simulation"),
    checks={"bound": f4_bound, "trace": f4_trace, "expr": _f4_expr()},
    notes="The printed bound reads '2 d eps + (4/eta)(f(w_0) - f*) + 5 (2 eta ||L0||_1 + 5 ... ||sigma||_1) "
          "ln(... /eps + e)' with the noise factor garbled ('5 T sigma 1'); we read S = ||sigma||_1 sqrt(T/M). "
          "Turning the 3 sum_j sqrt(E N_j) sqrt(2 ln x) term into C1 ln x needs 3 sqrt(2 ln x) <= 5 ln x, "
          "true only for ln x >= 0.72; the derived version adds (9/5) S and holds always; x >= d makes "
          "the paper's form valid for d >= 3. If the printed factor is sqrt(T) ||sigma||_1 (no M: E n^2 <= "
          "sigma^2 used without Lemma C.2), the paper's bound is larger than our 'paper' reading and implied by it.",
))
