"""Minibatch noise lemmas (Liu et al. 2025, Lemma C.2 and Lemma E.2).

Notation: a minibatch ``B_t`` of ``M`` indices drawn uniformly *with replacement*, the noise
``n_t = g_t - grad f(w_t) = (1/M) sum_{xi in B_t} n(w_t; xi)`` and Assumption 3.5
``E n_j(w; xi)^2 <= sigma_j^2``.

Numeric checkers (pure NumPy):

- ``C2.exact(per_sample_grads, M)``: the exact ``E_t n_{t,j}^2`` for a finite sum (the population
  variance of coordinate j divided by M), from the per-sample gradients at one point;
  ``C2.enumerate(per_sample_grads, M)``: the same by enumerating all ``n^M`` batches (small n, M);
  ``C2.lhs_rhs(n, sigma, M)``: the empirical mean of ``n_j^2`` over samples ``n`` (``(..., d)``)
  and ``sigma_j^2/M``.
- ``E2.lhs_rhs(n, sigma, M)``: for noise ``n`` of shape ``(S, T, d)`` (S replicas), the
  empirical ``E sum_j sqrt(sum_t n_{t,j}^2)`` (mean over S), its standard error, and the bound
  ``||sigma||_1 sqrt(T/M)``.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
from sympy import stats

from boundcheck.theory.derivation import Derivation, Step
from boundcheck.theory.lemma import Lemma, as_array
from boundcheck.validation import InputError, integer

TESTS = "tests/test_lemmas.py"


def _sigma_M(sigma, M, d: int):
    sigma = as_array("sigma", sigma, ndim=1, nonnegative=True)
    if sigma.shape[0] != d:
        raise InputError(f"sigma has {sigma.shape[0]} entries but the noise has d={d}; they must match")
    return sigma, integer("M", M, low=1)


# --------------------------------------------------------------------------- C.2
def c2_exact(per_sample_grads, M):
    """Exact ``E_t n_{t,j}^2`` for a uniform with-replacement batch of size M from a finite sum:
    the population variance ``(1/n) sum_i (grad_i - mean)^2`` of each coordinate, over M."""
    G = as_array("per_sample_grads", per_sample_grads, ndim=2)
    M = integer("M", M, low=1)
    return G.var(axis=0) / M


def c2_enumerate(per_sample_grads, M):
    """``E_t n_{t,j}^2`` by enumerating all ``n^M`` equally likely ordered batches (n^M <= 1e6)."""
    G = as_array("per_sample_grads", per_sample_grads, ndim=2)
    M = integer("M", M, low=1)
    n = G.shape[0]
    if n**M > 10**6:
        raise InputError(f"n^M = {n}^{M} batches is too many to enumerate; allowed: n^M <= 1e6")
    mean = G.mean(axis=0)
    total = np.zeros(G.shape[1])
    for batch in itertools.product(range(n), repeat=M):
        noise = G[list(batch)].mean(axis=0) - mean
        total += noise**2
    return total / n**M


def c2_lhs_rhs(n, sigma, M):
    """Empirical ``E n_j^2`` (mean over all leading axes of ``n``, shape ``(..., d)``) and ``sigma_j^2/M``."""
    n = as_array("n", n, ndim=(1, 2, 3))
    sigma, M = _sigma_M(sigma, M, n.shape[-1])
    return (n**2).reshape(-1, n.shape[-1]).mean(axis=0), sigma**2 / M


def _c2_derivation() -> Derivation:
    a, b = sp.symbols("a b", positive=True)
    Mval = 3
    # a zero-mean two-point per-sample noise with variance a*b, M = 3 independent copies.
    xs = [stats.FiniteRV(f"X{i}", {-a: b / (a + b), b: a / (a + b)}) for i in range(Mval)]
    second_moment = sp.simplify(stats.E(sum(xs) ** 2) / Mval**2)
    M = sp.Symbol("M", positive=True, integer=True)
    s2 = sp.Symbol("s2", positive=True)
    return Derivation((
        Step("independence_kills_cross_terms",
             "E[((1/M) sum_i X_i)^2] = Var(X)/M for independent zero-mean X_i (SymPy stats, M=3, "
             "two-point law with variance ab)", lhs=second_moment, rhs=a * b / Mval, kind="eq"),
        Step("assumption_3_5", "E n_j(w;xi)^2 = s2 <= sigma_j^2 gives s2/M <= sigma_j^2/M",
             lhs=s2 / M, rhs=(s2 + sp.Symbol("gap", nonnegative=True)) / M, kind="le"),
        Step("finite_sum_exact", "exact finite-sum value Var_pop/M, by enumeration of all batches: "
             "property test", how="property", test=f"{TESTS}::test_c2_exact_enumeration"),
        Step("monte_carlo", "Monte-Carlo estimate with a CI below sigma^2/M: property test",
             how="property", test=f"{TESTS}::test_c2_monte_carlo"),
    ))


C2 = (Lemma(
    id="C.2",
    title="Variance reduced by batch size",
    reference="Liu et al. 2025, Lemma C.2",
    statement_latex=r"\mathbb{E}_t\, n_{t,j}^2 \le \frac{\sigma_j^2}{M}\quad\forall j\in[d]",
    hypotheses=("Assumption 3.4 (unbiased, independent samples)", "Assumption 3.5 (E n_j^2 <= sigma_j^2)",
                "minibatch of M samples drawn uniformly with replacement"),
    derivation=_c2_derivation(),
    property_tests=(f"{TESTS}::test_c2_exact_enumeration", f"{TESTS}::test_c2_monte_carlo"),
    checks={"exact": c2_exact, "enumerate": c2_enumerate, "lhs_rhs": c2_lhs_rhs},
    notes="For a finite sum with replacement the lemma is an equality with sigma_j^2 the population "
          "variance of coordinate j at w_t. Sampling without replacement would give the smaller "
          "(n-M)/(n-1) factor; the paper's Algorithm 1 says 'uniformly' and Appendix B 'with replacement'.",
))


# --------------------------------------------------------------------------- E.2
def e2_lhs_rhs(n, sigma, M):
    """For noise ``n`` of shape ``(S, T, d)``: ``(mean_S sum_j sqrt(sum_t n_tj^2), its standard
    error, ||sigma||_1 sqrt(T/M))``. Lemma E.2 says the expectation is <= the bound."""
    n = as_array("n", n, ndim=3)
    sigma, M = _sigma_M(sigma, M, n.shape[-1])
    S, T, _ = n.shape
    per_replica = np.sqrt((n**2).sum(axis=1)).sum(axis=-1)
    se = per_replica.std(ddof=1) / np.sqrt(S) if S > 1 else np.inf
    return float(per_replica.mean()), float(se), float(sigma.sum() * np.sqrt(T / M))


def _e2_derivation() -> Derivation:
    T = sp.Symbol("T", positive=True, integer=True)
    M = sp.Symbol("M", positive=True, integer=True)
    sig = sp.Symbol("sigma_j", positive=True)
    gap = sp.Symbol("gap", nonnegative=True)
    return Derivation((
        Step("jensen_sqrt", "E sqrt(X) <= sqrt(E X) (sqrt is concave): property test",
             how="property", test=f"{TESTS}::test_e2_noise_sum"),
        Step("lemma_c2", "sum_{t<T} E n_{t,j}^2 = T sigma_j^2/M - gap <= T sigma_j^2/M (Lemma C.2); "
             "sqrt is increasing", lhs=T * sig**2 / M - gap, rhs=T * sig**2 / M, kind="le"),
        Step("sqrt_form", "sqrt(T sigma_j^2/M) = sigma_j sqrt(T/M)",
             lhs=sp.sqrt(T * sig**2 / M), rhs=sig * sp.sqrt(T / M), kind="eq"),
        Step("sum_over_j", "sum_j sigma_j sqrt(T/M) = ||sigma||_1 sqrt(T/M)", kind="definition",
             how="definition"),
    ))


E2 = (Lemma(
    id="E.2",
    title="Variance bound (noise summation)",
    reference="Liu et al. 2025, Lemma E.2",
    statement_latex=r"\mathbb{E}\sum_{j=1}^d \sqrt{\sum_{t=0}^{T-1} n_{t,j}^2} \le \|\sigma\|_1\sqrt{T/M}",
    hypotheses=("Assumption 3.4", "Assumption 3.5", "minibatches as in Lemma C.2"),
    derivation=_e2_derivation(),
    property_tests=(f"{TESTS}::test_e2_noise_sum", f"{TESTS}::test_e2_tight_for_rademacher"),
    checks={"lhs_rhs": e2_lhs_rhs},
    notes="Tight when n_{t,j}^2 is deterministic (Rademacher per-sample noise with M = 1).",
))
