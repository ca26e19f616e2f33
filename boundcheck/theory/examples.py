"""Example B.1, Remark 4.2 and Table 1's batch threshold (Liu et al. 2025, Appendix B, Sec. 4).

**AdaGrad / SGD ratios** (Sec. 4.1, Appendix B). Comparing Theorem 4.1 with SGD's (6):

.. math::
    R_1 = C_{var} = \\frac{D_\\infty\\|\\sigma\\|_1}{D_2\\|\\sigma\\|_2},\\qquad
    R_2 = C_{bias} = \\frac{\\|L\\|_1 D_\\infty^2}{\\|L\\|_\\infty D_2^2}.

**Example B.1 under Assumption B.2** (exponential tail ``sum_i x_ij^2 ~ exp(-tau j)``,
coordinates sorted so ``H_11 >= H_22 >= ...``, tau > 1/d), with W a hypercube
(``D_2^2 = d D_inf^2``), ``sigma_j ~ sqrt(sum_i x_ij^2) ~ exp(-tau j/2)`` and the
diagonal-dominance choice ``L = 2 G2 diag(H)``, ``H_jj ~ exp(-tau j)`` (all scale factors
cancel). :func:`closed_forms` derives, by SymPy summation of the geometric sums,

- ``R1(d, tau) = (1/sqrt d) sqrt((1+q)/(1-q)) sqrt((1-q^d)/(1+q^d))``, ``q = exp(-tau/2)``;
- ``R2(d, tau) = (1/d) (1 - exp(-tau d))/(1 - exp(-tau))``;
- limits ``sqrt(d) R1 -> sqrt((1+q)/(1-q)) = sqrt(coth(tau/4))`` and
  ``d R2 -> 1/(1 - exp(-tau))`` as d -> oo (fixed tau); both approach from below (monotone in d).

The paper's printed approximations (garbled in the extraction; our reading)
``R1 ~ (1/sqrt d) sqrt(1-exp(-tau))/(1-exp(-tau/2))`` and ``R2 ~ 1/(d (1-exp(-tau)))`` are
exactly these d -> oo limits, hence *upper bounds* for every finite d: the exact values are
smaller by the factors ``sqrt((1-q^d)/(1+q^d))`` and ``(1 - exp(-tau d))``.

**Remark 4.2.** On a hypercube ``R1 in [1/sqrt d, 1]`` (``||sigma||_2 <= ||sigma||_1 <= sqrt d
||sigma||_2``; one-hot sigma gives 1/sqrt d) and ``R2 in [1/d, 1]`` (one-hot L gives 1/d):
the bias ratio can reach Theta(1/d), the variance ratio only Theta(1/sqrt d).

**Table 1.** The nonconvex AdaGrad bound's variance terms ``sqrt(Delta ||L||_1) ||sigma||_1/sqrt(MT)``
and ``||sigma||_1^2/(M sqrt T)`` are equal exactly at ``M* = ||sigma||_1^2/(||L||_1 Delta)``;
for ``M >= M*`` the second is at most the first (their ratio is ``sqrt(M*/M)``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from boundcheck.theory import symbols as S
from boundcheck.theory.derivation import Derivation, Step
from boundcheck.theory.lemmas import as_array
from boundcheck.validation import InputError, integer, positive

TESTS = "tests/test_examples.py"

d = S.d
tau = S.symbol("tau", "exponential-tail rate of Assumption B.2 (sum_i x_ij^2 ~ exp(-tau j))")
_j = sp.Symbol("j", positive=True, integer=True)
_q = sp.exp(-tau / 2)


def _geometric(term: sp.Expr) -> sp.Expr:
    """``sum_{j=1}^d term`` by SymPy; the generic branch (ratio != 1, true for tau > 0)."""
    s = sp.summation(term, (_j, 1, d))
    if isinstance(s, sp.Piecewise):
        (_, _), (generic, cond) = s.args
        if cond is not sp.true:
            raise AssertionError(f"unexpected summation branches: {s}")
        s = generic
    return s


@lru_cache(maxsize=1)
def closed_forms() -> dict[str, sp.Expr]:
    """SymPy-derived closed forms in (d, tau): the sums, R1, R2, their limits, the paper's
    approximations (our reading) and the factored forms used numerically."""
    sigma1 = _geometric(sp.exp(-tau * _j / 2))  # ||sigma||_1 (up to scale)
    sigma2_sq = _geometric(sp.exp(-tau * _j))  # ||sigma||_2^2 = ||L||_1/(2 G2) (same sum)
    L_inf = sp.exp(-tau)  # H_11, the largest diagonal entry
    R1 = sigma1 / (sp.sqrt(d) * sp.sqrt(sigma2_sq))  # D_inf/D_2 = 1/sqrt(d)
    R2 = sigma2_sq / (L_inf * d)  # D_inf^2/D_2^2 = 1/d
    sqrtd_R1_limit = sp.limit(sp.sqrt(d) * R1, d, sp.oo)
    d_R2_limit = sp.limit(d * R2, d, sp.oo)
    return {
        "sigma_norm1": sigma1,
        "sigma_norm2_sq": sigma2_sq,
        "R1": R1,
        "R2": R2,
        "sqrtd_R1_limit": sqrtd_R1_limit,
        "d_R2_limit": d_R2_limit,
        "R1_factored": sp.sqrt((1 + _q) / (1 - _q)) * sp.sqrt((1 - _q**d) / (1 + _q**d)) / sp.sqrt(d),
        "R2_factored": (1 - sp.exp(-tau * d)) / (d * (1 - sp.exp(-tau))),
        "R1_paper": sp.sqrt(1 - sp.exp(-tau)) / (1 - sp.exp(-tau / 2)) / sp.sqrt(d),
        "R2_paper": 1 / (d * (1 - sp.exp(-tau))),
    }


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """``a == b`` for positive expressions in (d, tau > 0): substitute ``tau = -2 ln x``
    (x = exp(-tau/2) = q in (0, 1)), which turns both squares into rational functions of x and
    x^d, and cancel ``a^2 - b^2``."""
    x = sp.Symbol("x", positive=True)

    def to_x(e):
        e = sp.expand_power_exp(e.subs(tau, -2 * sp.log(x)))
        return sp.powsimp(sp.expand_power_base(e, force=True), force=True)

    return sp.cancel(sp.together(to_x(a**2) - to_x(b**2))) == 0


def _le_factor_one() -> bool:
    """(1 - p)/(1 + p) <= 1 and (1 - p^2) <= 1 for p = q^d in (0, 1)."""
    p = sp.Symbol("p", positive=True)
    return bool(sp.factor(1 - (1 - p) / (1 + p)).is_nonnegative) and bool((p**2).is_nonnegative)


def derivation() -> Derivation:
    c = closed_forms()
    n = sp.Symbol("n", positive=True, integer=True)
    s_ = sp.Symbol("s", positive=True)
    Lsym, Dsym, sig, T, M = S.L_norm1, S.Delta, S.sigma_norm1, S.T, S.M
    Mstar = sp.solve(sp.Eq(sig**2 / (M * sp.sqrt(T)), sp.sqrt(Dsym * Lsym) * sig / sp.sqrt(M * T)), M)
    return Derivation((
        Step("R1_closed_form", "R1 = sum_j e^{-tau j/2}/(sqrt(d) sqrt(sum_j e^{-tau j})) (SymPy sums) "
             "= (1/sqrt d) sqrt((1+q)/(1-q)) sqrt((1-q^d)/(1+q^d))", lhs=c["R1"], rhs=c["R1_factored"],
             kind="eq", prover=lambda: _same(c["R1"], c["R1_factored"])),
        Step("R2_closed_form", "R2 = sum_j e^{-tau j}/(d e^{-tau}) = (1 - e^{-tau d})/(d (1 - e^{-tau}))",
             lhs=c["R2"], rhs=c["R2_factored"], kind="eq", prover=lambda: _same(c["R2"], c["R2_factored"])),
        Step("sqrtd_R1_limit", "sqrt(d) R1 -> sqrt((1+q)/(1-q)) = paper's sqrt(1-e^-tau)/(1-e^{-tau/2})",
             lhs=c["sqrtd_R1_limit"], rhs=c["R1_paper"] * sp.sqrt(d), kind="eq",
             prover=lambda: _same(c["sqrtd_R1_limit"], c["R1_paper"] * sp.sqrt(d))),
        Step("d_R2_limit", "d R2 -> 1/(1 - e^-tau) = paper's approximation times d",
             lhs=c["d_R2_limit"], rhs=c["R2_paper"] * d, kind="eq",
             prover=lambda: _same(c["d_R2_limit"], c["R2_paper"] * d)),
        Step("approximations_are_upper_bounds", "R1/R1_paper = sqrt((1-q^d)/(1+q^d)) <= 1, "
             "R2/R2_paper = 1 - e^{-tau d} <= 1", kind="le", prover=_le_factor_one),
        Step("R2_le_1", "d R2 = sum_{k<d} e^{-tau k} <= d (each term <= 1); general d: property test",
             how="property", test=f"{TESTS}::test_ratios_in_range"),
        Step("R1_le_1", "||sigma||_1 <= sqrt(d) ||sigma||_2 (Cauchy-Schwarz): property test", how="property",
             test=f"{TESTS}::test_ratios_in_range"),
        Step("one_hot_sigma", "sigma = s e_1: R1 = D_inf s/(sqrt(d) D_inf s) = 1/sqrt(d)",
             lhs=s_ / (sp.sqrt(n) * s_), rhs=1 / sp.sqrt(n), kind="eq"),
        Step("one_hot_L", "L = s e_1: R2 = s D_inf^2/(s d D_inf^2) = 1/d", lhs=s_ / (s_ * n), rhs=1 / n, kind="eq"),
        Step("table1_threshold", "||sigma||_1^2/(M sqrt T) = sqrt(Delta ||L||_1)||sigma||_1/sqrt(MT) "
             "iff M = ||sigma||_1^2/(||L||_1 Delta)", lhs=Mstar[0] if len(Mstar) == 1 else sp.nan,
             rhs=sig**2 / (Lsym * Dsym), kind="eq"),
        Step("table1_ratio", "(||sigma||_1^2/(M sqrt T)) / (sqrt(Delta ||L||_1)||sigma||_1/sqrt(MT)) = sqrt(M*/M)",
             lhs=(sig**2 / (M * sp.sqrt(T))) / (sp.sqrt(Dsym * Lsym) * sig / sp.sqrt(M * T)),
             rhs=sp.sqrt(sig**2 / (Lsym * Dsym) / M), kind="eq",
             prover=lambda: sp.simplify(((sig**2 / (M * sp.sqrt(T))) / (sp.sqrt(Dsym * Lsym) * sig / sp.sqrt(M * T)))**2
                                        - sig**2 / (Lsym * Dsym) / M) == 0),
    ))


# --------------------------------------------------------------------------- numeric
def _d_tau(d_, tau_):
    d_ = np.asarray(d_)
    tau_ = np.asarray(tau_, dtype=float)
    if not np.all(np.isfinite(tau_)) or not np.all(tau_ > 0):
        raise InputError(f"tau={tau_!r} is out of range; allowed: tau > 0")
    if not np.all((d_ >= 1) & (d_ == np.floor(d_))):
        raise InputError(f"d={d_!r} is out of range; allowed: integers >= 1")
    return d_.astype(float), tau_


def R1_closed(d_, tau_):
    """``R1 = C_var`` under Assumption B.2 on a hypercube (closed form; no cancellation for tiny tau)."""
    dd, t = _d_tau(d_, tau_)
    one_minus_q = -np.expm1(-t / 2)
    one_minus_qd = -np.expm1(-t * dd / 2)
    return np.sqrt((2 - one_minus_q) / one_minus_q * one_minus_qd / (2 - one_minus_qd) / dd)


def R2_closed(d_, tau_):
    """``R2 = C_bias`` under Assumption B.2 with ``L = 2 G2 diag(H)`` on a hypercube (closed form)."""
    dd, t = _d_tau(d_, tau_)
    return np.expm1(-t * dd) / np.expm1(-t) / dd


def sqrtd_R1_limit(tau_):
    """``lim_{d->oo} sqrt(d) R1 = sqrt((1+q)/(1-q)) = sqrt(coth(tau/4))``."""
    _, t = _d_tau(1, tau_)
    one_minus_q = -np.expm1(-t / 2)
    return np.sqrt((2 - one_minus_q) / one_minus_q)


def d_R2_limit(tau_):
    """``lim_{d->oo} d R2 = 1/(1 - exp(-tau))``."""
    _, t = _d_tau(1, tau_)
    return -1.0 / np.expm1(-t)


def R1_paper(d_, tau_):
    """The paper's approximation (our reading) ``(1/sqrt d) sqrt(1-e^-tau)/(1-e^{-tau/2})``: the limit form."""
    dd, _ = _d_tau(d_, tau_)
    return sqrtd_R1_limit(tau_) / np.sqrt(dd)


def R2_paper(d_, tau_):
    """The paper's approximation (our reading) ``1/(d (1-e^-tau))``: the limit form."""
    dd, _ = _d_tau(d_, tau_)
    return d_R2_limit(tau_) / dd


def C_var(D_inf, D_2, sigma_norm1, sigma_norm2) -> float:
    """``R1 = C_var = D_inf ||sigma||_1/(D_2 ||sigma||_2)`` (Appendix B): the one formula."""
    return D_inf * sigma_norm1 / (D_2 * sigma_norm2)


def C_bias(D_inf, D_2, L_norm1, L_norminf) -> float:
    """``R2 = C_bias = ||L||_1 D_inf^2/(||L||_inf D_2^2)`` (Appendix B): the one formula."""
    return L_norm1 * D_inf ** 2 / (L_norminf * D_2 ** 2)


def R1(D_inf, D_2, sigma):
    """``C_var`` from the diameters and the noise vector (validated)."""
    D_inf, D_2 = positive("D_inf", D_inf), positive("D_2", D_2)
    sigma = as_array("sigma", sigma, ndim=1, nonnegative=True)
    top = float(sigma.max(initial=0.0))
    if top == 0:
        raise InputError("sigma is all zeros; R1 needs a non-zero noise vector")
    # ||sigma||_1 / ||sigma||_2 is scale-free: computed on sigma / max(sigma), so a tiny vector
    # (1e-188: its squares underflow) or a huge one (overflow) gives the same ratio
    s = sigma / top
    return C_var(D_inf, D_2, float(s.sum()), float(np.linalg.norm(s)))


def R2(L, D_inf, D_2):
    """``C_bias`` from the smoothness vector and the diameters (validated)."""
    D_inf, D_2 = positive("D_inf", D_inf), positive("D_2", D_2)
    L = as_array("L", L, ndim=1, nonnegative=True)
    if float(L.max(initial=0.0)) == 0:
        raise InputError("L is all zeros; R2 needs a non-zero smoothness vector")
    return C_bias(D_inf, D_2, float(L.sum()), float(L.max()))


def ratios(c) -> dict[str, float]:
    """``{"R1": ..., "R2": ...}`` from named constants ``c`` (``D_inf, D_2, sigma_norm1,
    sigma_norm2, L_norm1, L_norminf``); a ratio whose inputs are missing or whose denominator is
    0 is left out."""
    out = {}
    try:
        if c["D_2"] * c["sigma_norm2"]:
            out["R1"] = C_var(c["D_inf"], c["D_2"], c["sigma_norm1"], c["sigma_norm2"])
    except (KeyError, TypeError):
        pass
    try:
        if c["L_norminf"] * c["D_2"]:
            out["R2"] = C_bias(c["D_inf"], c["D_2"], c["L_norm1"], c["L_norminf"])
    except (KeyError, TypeError):
        pass
    return out


def batch_threshold(sigma_norm1, L_norm1, Delta):
    """Table 1's ``M* = ||sigma||_1^2/(||L||_1 Delta)``."""
    s = positive("sigma_norm1", sigma_norm1)
    return s**2 / (positive("L_norm1", L_norm1) * positive("Delta", Delta))


def exponential_tail(d_, tau_):
    """The example's vectors (unit scale): ``sigma_j = e^{-tau j/2}``, ``diag(H)_j = e^{-tau j}``, j = 1..d."""
    d_ = integer("d", d_, low=1)
    t = positive("tau", tau_)
    j = np.arange(1, d_ + 1)
    return np.exp(-t * j / 2), np.exp(-t * j)
