r"""An explicit SGD lower bound in the l1 gradient norm on a named construction (issue 12).

**boundcheck's derivation, not the cited paper's.** The SGD lower bound of Maladkar / Jiang,
Mokhtari (seed 002) could not be read beyond its abstract (no construction, no constant:
``docs/research/neighbouring_results.md``), so boundcheck derives its own, on a construction it
names and registers (problem ``stiff-flat-quadratic``), every step a
:class:`~boundcheck.theory.derivation.Step` proven by SymPy or named with its property test.

**Construction** (``stiff-flat-quadratic``; parameters d >= 2, L > 0, 0 < rho <= 1 with
rho <= (d-1)/2, c > 0)::

    f(w) = (1/2) sum_i L_i (w_i - w*_i)^2,   L = (L, l, ..., l),   l = rho L / (d - 1),
    w_0 - w* = c 1   (boundcheck runs from w_0 = 0, so w* = -c 1),   f* = 0.

One stiff coordinate and d - 1 flat ones that share the l1 smoothness budget: ``||L||_1 = (1 +
rho) L`` and ``||L||_inf = L`` for every d. SGD's stable step is set by the stiff coordinate,
and with it the flat ones decay at the rate ``1 - 2 rho/(d - 1)``: that is the factor d.

**SGD / GD** with a constant step ``eta > 0`` (``g_t = grad f(w_t) + n_t``, ``E n_t = 0``)::

    e_{t+1,i} = (1 - eta L_i) e_{t,i} - eta n_{t,i},   e_t = w_t - w*,
    without noise:  e_{t,i} = (1 - eta L_i)^t c,   |d_i f(w_t)| = L_i |1 - eta L_i|^t c.

Let ``q = 1 - 2 rho/(d - 1) = 1 - 2 l/L`` (``0 <= q < 1``).

- Stable steps ``0 < eta < 2/L``: ``1 - eta l`` lies in ``[q, 1]``, so each flat gradient is at
  least ``l q^t c`` and ``||grad f(w_t)||_1 >= (d - 1) l c q^t = rho L c q^t``.
- Unstable steps ``eta >= 2/L``: ``|1 - eta L| >= 1``, the stiff gradient never decreases,
  ``||grad f(w_t)||_1 >= L c >= rho L c >= rho L c q^t`` (this is where ``rho <= 1`` is used).

Hence, for **every** constant step eta > 0 (and every schedule with ``0 < eta_t < 2/L``)::

    min_{t<T} ||grad f(w_t)||_1        >=  B_min(T) = rho L c q^{T-1}                  (exact gradients)
    (1/T) sum_{t<T} E||grad f(w_t)||_1  >=  B_avg(T) = (d - 1) L c (1 - q^T) / (2 T)     (any unbiased noise)

The average holds with any unbiased oracle noise (heavy tails included): the mean iterate follows
the noiseless recursion (linearity) and ``E|X| >= |E X|`` (Jensen). The minimum over t does not
(``E min <= min E``), so ``B_min`` is stated for exact gradients only.

**Schedules that exceed 2/L break it**: ``eta_0 = 1/L, eta_1 = 1/l`` solves the construction
exactly in two steps (the property test shows it); the statement is about constant steps.

**The factor-d gap.** ``T B_avg(T) -> (d - 1) L c / 2`` as ``T -> infinity``: at a fixed l1 budget
``||L||_1 = (1 + rho) L`` SGD's 1/T constant grows linearly in d. AdaGrad (Algorithm 1, eps -> 0)
is scale-free per coordinate: its step ``x - eta (L_i x)/sqrt(sum_s (L_i x_s)^2)`` does not depend
on ``L_i`` (SymPy), so every coordinate follows the same one-dimensional sequence ``u_t``
(``u_0 = 1``) and ``||grad f(w_t)||_1 = ||L||_1 c |u_t|`` with ``u`` free of d:
:func:`adagrad_profile` computes it, and ``(1/T) sum_t ||grad f(w_t)||_1 = (1 + rho) L c S_T / T``
with ``S_T = sum_{t<T} |u_t|`` bounded. The ratio ``B_avg / AdaGrad`` is then ``~ (d - 1)/(2 (1 +
rho) S_inf)``: linear in d. :func:`predicted_crossing` gives the first T at which AdaGrad's
predicted value falls below ``B_avg`` (``sweep lower-bound`` checks both predictions).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from boundcheck.theory import symbols as S
from boundcheck.theory.derivation import Derivation, Step, is_nonnegative
from boundcheck.theory.theorem import Symbolic

TESTS = "tests/test_lower_bound_l1.py"

RHO_MEANING = "flat coordinates' share of the l1 smoothness budget: l = rho L/(d - 1), 0 < rho <= 1"
C0_MEANING = "initial offset of the construction: w_0 - w* = c0 (1, ..., 1)"


def rho_flat():
    return S.symbol("rho_flat", RHO_MEANING)


def c0():
    return S.symbol("c0", C0_MEANING)


def _t(name: str) -> str:
    return f"{TESTS}::{name}"


def q_rate():
    """``q = 1 - 2 rho/(d - 1)``: the slowest rate a stable step leaves the flat coordinates."""
    return 1 - 2 * rho_flat() / (S.d - 1)


def bound_min():
    """``B_min(T) = rho L c q^{T-1}`` (``L = ||L||_inf``)."""
    return rho_flat() * S.L_norminf * c0() * q_rate() ** (S.T - 1)


def bound_avg():
    """``B_avg(T) = (d - 1) L c (1 - q^T) / (2 T)``."""
    return (S.d - 1) * S.L_norminf * c0() * (1 - q_rate() ** S.T) / (2 * S.T)


def bound_avg_stable():
    """``B_avg`` written for floating point: ``1 - q^T = -expm1(T log1p(-2 rho/(d - 1)))``.
    As printed, ``1 - q^T`` cancels when q is close to 1 (d = 4810, rho = 6e-5, T = 1 lost
    1e-9 relative); the two forms are equal (step ``stable_form``)."""
    from sympy.codegen.cfunctions import expm1, log1p

    one_minus_qT = -expm1(S.T * log1p(-2 * rho_flat() / (S.d - 1)))
    return (S.d - 1) * S.L_norminf * c0() * one_minus_qT / (2 * S.T)


def _prove_stable_form() -> bool:
    """``-expm1(T log1p(-x)) = 1 - (1 - x)^T``: both are ``1 - exp(T log(1 - x))``."""
    a = sp.expand_func(bound_avg_stable())
    b = bound_avg().rewrite(sp.exp)
    return sp.simplify(a - b) == 0


# ---------------------------------------------------------------------- provers
_x, _a, _c, _e = sp.symbols("x a c e", positive=True)
_u, _m, _r, _k = sp.symbols("u m r k", nonnegative=True)
_tt = sp.Symbol("t", integer=True, nonnegative=True)


def _prove_closed_form() -> bool:
    """``(1 - a)^{t+1} c = (1 - a) (1 - a)^t c``: the closed form satisfies the recursion."""
    lhs = (1 - _a) ** (_tt + 1) * _c
    rhs = (1 - _a) * ((1 - _a) ** _tt * _c)
    return sp.simplify(sp.powsimp(lhs - rhs, force=True)) == 0


def _params():
    """d = 3 + m (m >= 0), rho = 1/(1 + r) in (0, 1]: the parameter range as substitutions."""
    return {S.d: 3 + _m, rho_flat(): 1 / (1 + _r)}


def _prove_q_in_unit_interval() -> bool:
    """``0 <= q <= 1`` for d >= 3, 0 < rho <= 1 (d = 2 needs rho <= 1/2: checked at the door)."""
    q = q_rate().subs(_params())
    return bool(is_nonnegative(q) and is_nonnegative(1 - q))


def _prove_stable_factor() -> bool:
    """``q <= 1 - eta l <= 1`` for ``eta = 2 theta/L``, ``theta = u/(1 + u)`` in (0, 1)."""
    theta = _u / (1 + _u)
    L = S.L_norminf
    ell = rho_flat() * L / (S.d - 1)
    factor = 1 - (2 * theta / L) * ell
    p = _params()
    return bool(is_nonnegative((factor - q_rate()).subs(p)) and is_nonnegative((1 - factor).subs(p)))


def _prove_unstable_stiff() -> bool:
    """``eta = (2 + u)/L`` (u >= 0): ``|1 - eta L| = 1 + u >= 1``."""
    L = S.L_norminf
    return sp.simplify(sp.Abs(1 - (2 + _u) / L * L) - (1 + _u)) == 0


def _prove_flat_budget() -> bool:
    """``(d - 1) l = rho L`` and ``||L||_1 = (1 + rho) L``."""
    L, d, rho = S.L_norminf, S.d, rho_flat()
    ell = rho * L / (d - 1)
    return sp.simplify((d - 1) * ell - rho * L) == 0 and sp.simplify(L + (d - 1) * ell - (1 + rho) * L) == 0


def _prove_monotone_in_t() -> bool:
    """``q^t - q^{t+1} = q^t (1 - q) >= 0`` on the parameter range: the minimum is at t = T - 1."""
    q = q_rate().subs(_params())
    return bool(is_nonnegative(q ** _tt * (1 - q)))


def _prove_geometric_average() -> bool:
    """``(1/T) sum_{t<T} rho L c q^t = (d - 1) L c (1 - q^T)/(2T)`` (geometric sum, q != 1)."""
    x = sp.Symbol("x", positive=True)
    total = sp.summation(x ** _tt, (_tt, 0, S.T - 1))
    if isinstance(total, sp.Piecewise):  # (T, x = 1), ((1 - x^T)/(1 - x), otherwise)
        total = next(e for e, cond in total.args if cond == sp.true)
    geometric = sp.simplify(total - (1 - x**S.T) / (1 - x)) == 0
    q = q_rate()
    avg = rho_flat() * S.L_norminf * c0() * ((1 - q**S.T) / (1 - q)) / S.T
    return geometric and sp.simplify(avg - bound_avg()) == 0


def _prove_adagrad_scale_free() -> bool:
    """AdaGrad's coordinate step (eps = 0) ``x - eta L x / sqrt(L^2 s)`` equals ``x - eta x/sqrt(s)``."""
    L, s, x, eta = _a, _e, sp.Symbol("x", real=True), S.eta
    return sp.simplify((x - eta * L * x / sp.sqrt(L**2 * s)) - (x - eta * x / sp.sqrt(s))) == 0


def _prove_factor_d() -> bool:
    """``lim_{T -> oo} T B_avg(T) = (d - 1) L c / 2`` (0 <= q < 1)."""
    qq = sp.Symbol("q", positive=True)
    e = (S.d - 1) * S.L_norminf * c0() * (1 - qq**S.T) / 2
    # with 0 < q < 1, q^T -> 0: write q = 1/(1 + k), k > 0
    lim = sp.limit(e.subs(qq, 1 / (1 + _x)), S.T, sp.oo)
    return sp.simplify(lim - (S.d - 1) * S.L_norminf * c0() / 2) == 0


# ---------------------------------------------------------------------- the derivation
def _steps(kind: str) -> list[Step]:
    steps = [
        Step("construction", "f = (1/2) sum_i L_i (w_i - w*_i)^2, L = (L, l, ..., l), l = rho L/(d-1); "
             "(d - 1) l = rho L and ||L||_1 = (1 + rho) L, ||L||_inf = L", prover=_prove_flat_budget),
        Step("gd_recursion", "e_{t+1,i} = (1 - eta L_i) e_{t,i} - eta n_{t,i}; without noise "
             "e_{t,i} = (1 - eta L_i)^t c (the closed form satisfies the recursion)", prover=_prove_closed_form),
        Step("q_range", "q = 1 - 2 rho/(d - 1) lies in [0, 1] (d >= 3, 0 < rho <= 1; d = 2 needs rho <= 1/2)",
             prover=_prove_q_in_unit_interval),
        Step("stable_factor", "0 < eta < 2/L: q <= 1 - eta l <= 1, so |1 - eta l|^t >= q^t",
             prover=_prove_stable_factor),
        Step("power_monotone", "0 <= y <= x implies y^t <= x^t (t >= 0): |d_i f(w_t)| = l |1 - eta l|^t c >= "
             "l q^t c for every flat i", how="property", test=_t("test_power_monotone_and_flat_gradients")),
        Step("l1_stable", "stable eta: ||grad f(w_t)||_1 >= sum_{i>=2} l q^t c = rho L c q^t (the stiff term >= 0 "
             "dropped)", how="property", test=_t("test_stable_steps_stay_above_the_flat_floor")),
        Step("unstable", "eta >= 2/L: |1 - eta L| >= 1, so ||grad f(w_t)||_1 >= L c >= rho L c >= rho L c q^t "
             "(rho <= 1)", prover=_prove_unstable_stiff),
    ]
    if kind == "min":
        steps += [
            Step("min_over_t", "q^t is nonincreasing in t, so min_{t<T} rho L c q^t = rho L c q^{T-1} = B_min",
                 prover=_prove_monotone_in_t),
        ]
    else:
        steps += [
            Step("average_over_t", "(1/T) sum_{t<T} rho L c q^t = (d - 1) L c (1 - q^T)/(2T) = B_avg "
                 "(geometric sum)", prover=_prove_geometric_average),
            Step("stable_form", "1 - q^T = -expm1(T log1p(-2 rho/(d - 1))): the form B_avg is evaluated in "
                 "(no cancellation when q is close to 1)", prover=_prove_stable_form),
            Step("unstable_average", "B_avg <= rho L c (an average of terms rho L c q^t <= rho L c), so the "
                 "unstable steps' floor L c covers it", how="property",
                 test=_t("test_average_bound_is_below_the_unstable_floor")),
            Step("noise_jensen", "unbiased noise: E e_t follows the noiseless recursion (linearity) and "
                 "E|d_i f(w_t)| >= |E d_i f(w_t)| (Jensen), so the average bound holds in expectation for any "
                 "unbiased oracle", how="property", test=_t("test_average_bound_holds_in_expectation_with_noise")),
        ]
    steps += [
        Step("adagrad_scale_free", "AdaGrad (eps -> 0): x - eta L_i x / sqrt(sum_s L_i^2 x_s^2) = x - eta x / "
             "sqrt(sum_s x_s^2): every coordinate follows the same d-free sequence u_t, ||grad f(w_t)||_1 = "
             "||L||_1 c |u_t|", prover=_prove_adagrad_scale_free),
        Step("factor_d", "lim_{T -> oo} T B_avg(T) = (d - 1) L c / 2: at a fixed ||L||_1 = (1 + rho) L SGD's "
             "1/T constant grows linearly in d, AdaGrad's (1 + rho) L c sum_t |u_t| does not",
             prover=_prove_factor_d),
        Step("schedules", "a schedule exceeding 2/L can do better (eta_0 = 1/L, eta_1 = 1/l solves the "
             "construction in two steps): the statement is for constant steps and schedules below 2/L",
             how="property", test=_t("test_a_schedule_above_two_over_L_escapes_the_bound")),
    ]
    return steps


NOTES = ("boundcheck's derivation, not the cited paper's (Maladkar/Jiang/Mokhtari's construction and constants "
         "could not be read). Valid for every constant step eta > 0 (stable or not) and every schedule with "
         "0 < eta_t < 2/L.")


def lower_min() -> Symbolic:
    """``sgd-lower-l1-min``'s SymPy parts."""
    B = bound_min()
    return Symbolic(o_form=S.L_norminf * (1 - 2 / S.d) ** S.T, step_size=S.eta,
                    terms={"flat_floor": B}, derivation=Derivation(tuple(_steps("min"))), notes=NOTES)


def lower_avg() -> Symbolic:
    """``sgd-lower-l1-avg``'s SymPy parts."""
    B = bound_avg_stable()
    return Symbolic(o_form=S.d * S.L_norminf / S.T, step_size=S.eta,
                    terms={"flat_floor": B}, derivation=Derivation(tuple(_steps("avg"))), notes=NOTES)


# ---------------------------------------------------------------------- numeric predictions
def bound_min_value(T: int, d: int, L: float, rho: float, c: float) -> float:
    """``B_min`` as a float (the same formula as :func:`bound_min`)."""
    return rho * L * c * (1.0 - 2.0 * rho / (d - 1)) ** (T - 1)


def bound_avg_value(T: int, d: int, L: float, rho: float, c: float) -> float:
    """``B_avg`` as a float (the same formula as :func:`bound_avg`; ``1 - q^T`` as
    ``-expm1(T log1p(-2 rho/(d-1)))``, which does not cancel when q is close to 1)."""
    x = 2.0 * rho / (d - 1)
    one_minus_qT = 1.0 if x >= 1.0 else -math.expm1(T * math.log1p(-x))
    return (d - 1) * L * c * one_minus_qT / (2.0 * T)


def adagrad_profile(eta_over_c: float, T: int, eps_over_c: float = 0.0) -> np.ndarray:
    """``|u_t|`` for t < T: AdaGrad's normalised coordinate (``u_0 = 1``) on the construction,
    ``u_{t+1} = u_t (1 - (eta/c) / sqrt((eps/c)^2 + sum_{s<=t} u_s^2))`` - the same for every
    coordinate when ``eps_over_c`` is negligible (step ``adagrad_scale_free``)."""
    u = np.empty(int(T))
    x, acc = 1.0, (eps_over_c * eps_over_c)
    for t in range(int(T)):
        u[t] = abs(x)
        acc += x * x
        x = x * (1.0 - eta_over_c / math.sqrt(acc))
    return u


def adagrad_avg_prediction(T: int, L: float, rho: float, c: float, eta: float) -> float:
    """AdaGrad's ``(1/T) sum_{t<T} ||grad f(w_t)||_1`` on the construction, predicted from the
    d-free profile: ``(1 + rho) L c S_T / T``."""
    return (1.0 + rho) * L * c * float(np.sum(adagrad_profile(eta / c, T))) / T


def predicted_crossing(d: int, L: float, rho: float, c: float, eta: float, T_max: int = 10**5) -> int | None:
    """The first T at which AdaGrad's predicted average falls below ``B_avg(T)`` (None if not
    before ``T_max``)."""
    u = adagrad_profile(eta / c, T_max)
    S_T = np.cumsum(u)
    Ts = np.arange(1, T_max + 1)
    x = 2.0 * rho / (d - 1)
    B = (d - 1) * L * c * (1.0 if x >= 1.0 else -np.expm1(Ts * np.log1p(-x))) / (2.0 * Ts)
    A = (1.0 + rho) * L * c * S_T / Ts
    below = np.nonzero(A < B)[0]
    return int(Ts[below[0]]) if below.size else None


__all__ = ["bound_min", "bound_avg", "bound_min_value", "q_rate", "rho_flat", "c0", "lower_min", "lower_avg", "bound_avg_value",
           "adagrad_profile", "adagrad_avg_prediction", "predicted_crossing", "NOTES"]
