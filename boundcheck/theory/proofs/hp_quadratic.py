r"""An explicit high-probability bound for SGD on separable quadratics with sub-Gaussian noise (issue 12).

**boundcheck's derivation, not the cited paper's.** The high-probability statements of seed 002
(Liu, Nguyen, Nguyen, Ene, Nguyen 2023 and others) could not be read beyond their abstracts, so
boundcheck derives an explicit one it can check, every step a
:class:`~boundcheck.theory.derivation.Step` proven by SymPy or named with its property test.

**Setting.** ``f(w) = f* + (1/2) sum_j h_j (w_j - w*_j)^2`` (assumption ``separable-quadratic``),
an oracle ``g = grad f(w) + n`` whose noise coordinates are independent, mean zero and
sub-Gaussian with variance proxy ``sigma_j^2/M`` for a minibatch of M (assumption
``subgaussian-noise``; Gaussian noise with standard deviation sigma_j is the equality case), SGD
Option II with a constant step eta from ``w_0``. With ``e_t = w_t - w*``::

    e_{t+1,j} = (1 - eta h_j) e_{t,j} - eta n_{t,j},
    e_{T,j}   = mu_j + sqrt(c_j) z_j,   mu_j = (1 - eta h_j)^T e_{0,j},
    c_j = (eta^2 sigma_j^2/M) sum_{k<T} (1 - eta h_j)^{2k} = (eta^2 sigma_j^2/M)(1 - r_j^T)/(1 - r_j),  r_j = (1 - eta h_j)^2,

where ``z_j`` (a normalised weighted sum of independent proxy-1 variables) is sub-Gaussian with
proxy 1, independent over j. The quantity is ``Q = f(w_T) - f* = sum_j a_j (z_j + m_j)^2`` with
``a_j = h_j c_j/2`` and ``m_j = mu_j/sqrt(c_j)``.

**Chernoff bound.** For ``0 <= lam < 1/2`` and z sub-Gaussian with proxy 1,
``E exp(lam (z + m)^2) <= (1 - 2 lam)^{-1/2} exp(lam m^2/(1 - 2 lam))`` (write ``exp(lam y^2) =
E_g exp(sqrt(2 lam) g y)`` with ``g ~ N(0, 1)``, use the sub-Gaussian MGF, integrate the Gaussian;
equality for Gaussian z). With ``u = 2 s a_j`` and ``-log(1 - u)/2 - u/2 <= u^2/(4(1 - u))``
(Laurent & Massart 2000, Lemma 1's inequality)::

    log E exp(s Q) - s Qbar <= s^2 v / (1 - 2 s b),   Qbar = sum_j (h_j/2)(c_j + mu_j^2),
    v = sum_j (h_j^2/4)(c_j^2 + 2 c_j mu_j^2),   b = max_j h_j c_j / 2,

and with ``x = log(1/delta)``, ``s* = sqrt(x)/(sqrt(v) + 2 b sqrt(x))`` (inside ``(0, 1/(2b))``)
the exponent ``s* r - s*^2 v/(1 - 2 b s*)`` equals x exactly at ``r = 2 sqrt(v x) + 2 b x``, so

    P( f(w_T) - f* > Qbar + 2 sqrt(v log(1/delta)) + 2 b log(1/delta) ) <= delta     for every delta in (0, 1).

``Qbar = E Q`` for Gaussian noise (for sub-Gaussian noise ``E Q <= Qbar``). The bound uses
nothing but the MGF: under heavy tails (Student-t, Pareto, sub-Weibull theta > 1/2) the
assumption fails and the bound does (``boundcheck verify sgd-hp-quadratic --problem
quadratic-oracle -p noise_shape=student-t -p noise_tail=3 --allow-assumption-violation``).
The constants ``Q_mean = Qbar``, ``Q_var = v``, ``Q_scale = b`` are closed forms of ``(h, sigma,
w_0 - w*, eta, T, M)`` (:func:`moments`), computed for a run by the theorem's ``prepare``.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from boundcheck.theory import symbols as S
from boundcheck.theory.derivation import Derivation, Step
from boundcheck.theory.proofs.high_probability import delta_symbol
from boundcheck.theory.theorem import Symbolic

TESTS = "tests/test_high_probability.py"

MEANINGS = {
    "Q_mean": "sum_j (h_j/2)(c_j + mu_j^2): E[f(w_T) - f*] under Gaussian noise (an upper bound under sub-Gaussian)",
    "Q_var": "sum_j (h_j^2/4)(c_j^2 + 2 c_j mu_j^2): the variance factor of the Chernoff bound",
    "Q_scale": "max_j h_j c_j/2: the scale factor of the Chernoff bound",
}


def q_symbols():
    return tuple(S.symbol(n, m) for n, m in MEANINGS.items())


def bound_terms() -> dict:
    Q_mean, Q_var, Q_scale = q_symbols()
    x = sp.log(1 / delta_symbol())
    return {"mean": Q_mean, "deviation": 2 * sp.sqrt(Q_var * x), "scale": 2 * Q_scale * x}


# ---------------------------------------------------------------------- provers
_g = sp.Symbol("g", real=True)
_b = sp.Symbol("b", real=True)
_m = sp.Symbol("m", real=True)
_u, _x, _v, _bb, _lam = sp.symbols("u x v b_s lam", positive=True)
_tt = sp.Symbol("t", integer=True, nonnegative=True)


def _gauss(expr):
    return sp.integrate(expr * sp.exp(-_g**2 / 2), (_g, -sp.oo, sp.oo)) / sp.sqrt(2 * sp.pi)


def _prove_gaussian_trick() -> bool:
    """``E_g exp(b g) = exp(b^2/2)``: with ``b = sqrt(2 lam) y``, ``exp(lam y^2) = E_g exp(sqrt(2 lam) g y)``."""
    return sp.simplify(_gauss(sp.exp(_b * _g)) - sp.exp(_b**2 / 2)) == 0


def _prove_gaussian_integral() -> bool:
    """``E_g exp(b g + a g^2) = (1 - 2a)^{-1/2} exp(b^2/(2(1 - 2a)))`` for ``a = u/(2(1 + u))`` in (0, 1/2)."""
    a = _u / (2 * (1 + _u))
    lhs = _gauss(sp.exp(_b * _g + a * _g**2))
    rhs = (1 - 2 * a) ** sp.Rational(-1, 2) * sp.exp(_b**2 / (2 * (1 - 2 * a)))
    return sp.simplify(lhs / rhs) == 1


def _prove_noncentral_mgf() -> bool:
    """At ``a = lam``, ``b = sqrt(2 lam) m``: ``exp(b^2/(2(1 - 2a))) = exp(lam m^2/(1 - 2 lam))``."""
    return sp.simplify((2 * _lam * _m**2) / (2 * (1 - 2 * _lam)) - _lam * _m**2 / (1 - 2 * _lam)) == 0


def _prove_log_inequality() -> bool:
    """``g(u) = u^2/(4(1-u)) + log(1-u)/2 + u/2 >= 0`` on [0, 1): ``g(0) = 0``, ``g'(u) = u^2/(4(1-u)^2) >= 0``."""
    u = sp.Symbol("u", real=True)
    g = u**2 / (4 * (1 - u)) + sp.log(1 - u) / 2 + u / 2
    return g.subs(u, 0) == 0 and sp.simplify(sp.diff(g, u) - u**2 / (4 * (1 - u) ** 2)) == 0


def _prove_per_coordinate() -> bool:
    """``u^2/(4(1-u)) + m^2 u^2/(2(1-u)) = s^2 a^2 (1 + 2 m^2)/(1 - 2 s a)`` at ``u = 2 s a``, and
    ``s a m^2/(1 - u) - s a m^2 = m^2 u^2/(2(1-u))``."""
    s, a = sp.symbols("s a", positive=True)
    u = 2 * s * a
    one = sp.simplify(u**2 / (4 * (1 - u)) + _m**2 * u**2 / (2 * (1 - u)) - s**2 * a**2 * (1 + 2 * _m**2) / (1 - u))
    two = sp.simplify(s * a * _m**2 / (1 - u) - s * a * _m**2 - _m**2 * u**2 / (2 * (1 - u)))
    return one == 0 and two == 0


def _prove_inversion() -> bool:
    """``s* r - s*^2 v/(1 - 2 b s*) = x`` at ``r = 2 sqrt(v x) + 2 b x``, ``s* = sqrt(x)/(sqrt(v) + 2 b sqrt(x))``,
    and ``1 - 2 b s* = sqrt(v)/(sqrt(v) + 2 b sqrt(x)) > 0``."""
    s = sp.sqrt(_x) / (sp.sqrt(_v) + 2 * _bb * sp.sqrt(_x))
    r = 2 * sp.sqrt(_v * _x) + 2 * _bb * _x
    exponent = s * r - s**2 * _v / (1 - 2 * _bb * s)
    inside = sp.simplify(1 - 2 * _bb * s - sp.sqrt(_v) / (sp.sqrt(_v) + 2 * _bb * sp.sqrt(_x))) == 0
    return sp.simplify(exponent - _x) == 0 and inside


def _prove_moments() -> bool:
    """``mu_{t+1} = (1 - eta h) mu_t`` and ``c_{t+1} = (1 - eta h)^2 c_t + eta^2 sigma^2/M`` hold for
    ``mu_t = (1 - eta h)^t e_0`` and ``c_t = (eta^2 sigma^2/M)(1 - r^t)/(1 - r)``, ``r = (1 - eta h)^2``."""
    eta, h, sig, M, e0 = sp.symbols("eta h sigma M e_0", positive=True)
    rho = 1 - eta * h
    r = rho**2
    mu = lambda t: rho**t * e0  # noqa: E731
    c = lambda t: eta**2 * sig**2 / M * (1 - r**t) / (1 - r)  # noqa: E731
    ok_mu = sp.simplify(sp.powsimp(mu(_tt + 1) - rho * mu(_tt), force=True)) == 0
    ok_c = sp.simplify(sp.expand(sp.powsimp(c(_tt + 1) - (r * c(_tt) + eta**2 * sig**2 / M), force=True))) == 0
    return ok_mu and ok_c and sp.simplify(c(0)) == 0


def _steps() -> list[Step]:
    t = lambda name: f"{TESTS}::{name}"  # noqa: E731
    return [
        Step("moments", "e_{T,j} = mu_j + sqrt(c_j) z_j with mu_j = (1 - eta h_j)^T e_{0,j}, c_j = (eta^2 sigma_j^2/M)"
             "(1 - r_j^T)/(1 - r_j): the closed forms satisfy the recursions", prover=_prove_moments),
        Step("normalised_noise", "z_j = (e_{T,j} - mu_j)/sqrt(c_j) is a weighted sum of independent proxy-1 variables "
             "with weights squared summing to 1: sub-Gaussian with proxy 1, independent over j",
             how="property", test=t("test_normalised_last_iterate_noise_is_subgaussian")),
        Step("gaussian_trick", "exp(lam y^2) = E_g exp(sqrt(2 lam) g y), g ~ N(0, 1) (E_g exp(b g) = exp(b^2/2))",
             prover=_prove_gaussian_trick),
        Step("gaussian_integral", "E_g exp(b g + a g^2) = (1 - 2a)^{-1/2} exp(b^2/(2(1 - 2a))) for 0 < a < 1/2",
             prover=_prove_gaussian_integral),
        Step("noncentral_mgf", "E exp(lam (z + m)^2) <= (1 - 2 lam)^{-1/2} exp(lam m^2/(1 - 2 lam)) for sub-Gaussian z "
             "(proxy 1; equality for Gaussian z): the two steps above with a = lam, b = sqrt(2 lam) m",
             prover=_prove_noncentral_mgf),
        Step("mgf_numeric", "the MGF bound, checked by quadrature for Gaussian (equality) and sub-Weibull(1/2) z",
             how="property", test=t("test_noncentral_mgf_bound_by_quadrature")),
        Step("log_inequality", "-log(1 - u)/2 - u/2 <= u^2/(4(1 - u)) on [0, 1) (Laurent & Massart 2000)",
             prover=_prove_log_inequality),
        Step("per_coordinate", "log E exp(s a (z + m)^2) - s a (1 + m^2) <= s^2 a^2 (1 + 2 m^2)/(1 - 2 s a)",
             prover=_prove_per_coordinate),
        Step("sum_coordinates", "independence over j and a_j <= b: log E exp(s (Q - Qbar)) <= s^2 v/(1 - 2 s b)",
             how="property", test=t("test_chernoff_exponent_bounds_the_log_mgf")),
        Step("inversion", "at s* = sqrt(x)/(sqrt(v) + 2 b sqrt(x)) the Chernoff exponent is exactly x = log(1/delta) "
             "for r = 2 sqrt(v x) + 2 b x: P(Q > Qbar + r) <= delta", prover=_prove_inversion),
        Step("simulation", "Gaussian noise: the empirical (1 - delta)-quantile of f(w_T) - f* stays below B(delta)",
             how="property", test=t("test_hp_quadratic_bound_holds_by_simulation")),
    ]


NOTES = ("boundcheck's derivation, not the cited paper's (whose statements could not be read). Holds for any "
         "constant step eta (no stability condition: the moments are exact), from any w_0; verify runs "
         "eta = 1/||L||_inf from w_0 = 0.")


def hp_quadratic() -> Symbolic:
    """``sgd-hp-quadratic``'s SymPy parts."""
    Q_mean, Q_var, Q_scale = q_symbols()
    x = sp.log(1 / delta_symbol())
    return Symbolic(o_form=Q_mean + sp.sqrt(Q_var * x) + Q_scale * x, step_size=S.eta, terms=bound_terms(),
                    derivation=Derivation(tuple(_steps())), notes=NOTES)


# ---------------------------------------------------------------------- numbers
def moments(h, sigma, e0, eta: float, T: int, M: int) -> dict[str, float]:
    """``Q_mean``, ``Q_var``, ``Q_scale`` (module docstring) for vectors h, sigma, e0 = w_0 - w*."""
    h, sigma, e0 = (np.asarray(v, dtype=np.float64) for v in (h, sigma, e0))
    rho = 1.0 - eta * h
    mu = rho**T * e0
    r = rho * rho
    one_minus_r = 1.0 - r
    with np.errstate(divide="ignore", invalid="ignore"):
        # (1 - r^T)/(1 - r) = sum_{k<T} r^k; near r = 1 the closed form cancels: use -expm1(T log r)/(1 - r)
        geo = np.where(np.abs(one_minus_r) > 1e-6, (1.0 - r**T) / one_minus_r,
                       np.where(r > 0, -np.expm1(T * np.log(np.where(r > 0, r, 1.0))) / np.where(
                           one_minus_r != 0, one_minus_r, 1.0), 1.0))
        geo = np.where(one_minus_r == 0, float(T), geo)
    c = eta * eta * sigma * sigma / M * geo
    return {"Q_mean": float(np.sum(0.5 * h * (c + mu * mu))),
            "Q_var": float(np.sum(0.25 * h * h * (c * c + 2.0 * c * mu * mu))),
            "Q_scale": float(np.max(0.5 * h * c)) if h.size else 0.0}


def bound_value(moments_: dict[str, float], delta: float) -> float:
    """``B(delta)`` as a float (the same formula as the SymPy terms)."""
    x = math.log(1.0 / delta)
    return moments_["Q_mean"] + 2.0 * math.sqrt(moments_["Q_var"] * x) + 2.0 * moments_["Q_scale"] * x


def prepare(problem, constants: dict) -> dict[str, float]:
    """The theorem's ``prepare`` hook: the three constants from the problem (diagonal Hessian,
    sigma, w* with ``w_0 = 0``) and the run (eta, T, M)."""
    from boundcheck.theory.statement_assumptions import _diagonal_hessian
    from boundcheck.validation import InputError

    h, how = _diagonal_hessian(problem)
    if h is None or getattr(problem, "w_star", None) is None:
        raise InputError(f"sgd-hp-quadratic needs a separable quadratic with a known minimiser ({how})")
    sigma = np.asarray(problem.exact_constants().get("sigma", np.zeros(problem.d)), float)
    e0 = -np.asarray(problem.w_star, float)  # w_0 = 0
    return moments(h, sigma, e0, float(constants["eta"]), int(constants["T"]), int(constants.get("M") or 1))


__all__ = ["hp_quadratic", "moments", "bound_value", "prepare", "q_symbols", "bound_terms", "MEANINGS", "NOTES"]
