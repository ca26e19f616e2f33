r"""Explicit instances that attain the deterministic worst cases of Theorems D.1 and D.3.

At sigma = 0 and full batch, the SGD of Liu et al. 2025 (Algorithm 2) is gradient descent
with step ``eta = 1/L`` (``L = ||L||_inf``; both step rules reduce to ``1/||L||_inf`` when
sigma = 0). PEPit (:mod:`boundcheck.tightness.pep`) computes the worst case over the whole
class; the instances here are one-dimensional functions on which plain NumPy gradient
descent reaches the same value, so each is a certified *lower* bound on the class's worst
case, found without an SDP solver, and the target a worst-case search must reach.

**Theorem D.1** (convex, Option I, quantity ``f(w_bar_T) - f*``, ``w_bar_T`` the average of
``w_0 .. w_{T-1}``). The Huber function with threshold ``a``::

    f_a(w) = L w^2 / 2              for |w| <= a/L,
             a |w| - a^2 / (2L)     otherwise;       grad f_a(w) = clip(L w, -a, a),

is convex and L-smooth (``f'' in {0, L}``) with minimiser ``w* = 0``, ``f* = 0``. Take
``W = [0, D_2]`` (l2 diameter ``D_2``, contains ``w*``) and ``w_0 = D_2``. While
``w_t >= a/L`` a step moves by exactly ``a/L``; with ``a = L D_2 / T`` this gives
``w_t = D_2 (T - t)/T >= D_2/T = a/L`` for ``t <= T - 1`` (the projection never acts), so
``w_bar_T = D_2 (T + 1)/(2T)`` lies in the linear part and

    f(w_bar_T) - f* = a w_bar_T - a^2/(2L) = L D_2^2 (T + 1)/(2T^2) - L D_2^2/(2T^2)
                    = L D_2^2 / (2T),

half of the theorem's explicit bound ``L D_2^2 / T``. (For a general ``a`` with the
iterates staying in the linear part, the value ``a D_2 - a^2 T/(2L)`` is maximised at
``a = L D_2/T``; the tests scan ``a``.) PEPit's worst case over the whole class is the same
``L D_2^2/(2T)`` (tests/test_tightness_pep.py): the constant of Theorem D.1 at sigma = 0 is
loose by exactly 2, at every T.

**Theorem D.3** (nonconvex, Option II, quantity ``(1/T) sum_{t<T} ||grad f(w_t)||^2`` with
``f(w_0) - f* <= Delta``). The quadratic ``f(w) = L w^2/2`` with ``w_0 = sqrt(2 Delta/L)``
(so ``f(w_0) - f* = Delta``): the first step lands on the minimiser, so the gradients are
``L w_0, 0, 0, ...`` and the quantity is ``L^2 w_0^2 / T = 2 L Delta / T``, the explicit
bound itself: Theorem D.3 is exact at sigma = 0 for every T (the one-step descent-lemma
equality of the proof is attained, and only one step contributes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from boundcheck.validation import InputError, integer, positive

#: Theorems with a deterministic witness here (and a PEPit encoding in ``tightness.pep``).
WITNESS_THEOREMS = ("thmD.1", "thmD.3")


@dataclass(frozen=True)
class Witness:
    """A one-dimensional instance and the theorem's quantity measured on it.

    ``iterates`` are ``w_0 .. w_{T-1}`` (the points the quantity uses), ``value`` the
    quantity computed from them by running gradient descent (not from a closed form).
    """

    theorem: str
    T: int
    function: str
    params: Mapping[str, float]
    iterates: np.ndarray = field(repr=False)
    value: float

    def to_dict(self) -> dict[str, Any]:
        return {"theorem": self.theorem, "T": self.T, "function": self.function,
                "params": dict(self.params), "iterates": [float(w) for w in self.iterates],
                "value": self.value}


def huber_value(w: np.ndarray, a: float, L: float) -> np.ndarray:
    """``f_a(w)``: ``L w^2/2`` for ``|w| <= a/L``, ``a|w| - a^2/(2L)`` beyond."""
    w = np.asarray(w, dtype=np.float64)
    return np.where(np.abs(w) <= a / L, 0.5 * L * w * w, a * np.abs(w) - a * a / (2.0 * L))


def huber_grad(w: np.ndarray, a: float, L: float) -> np.ndarray:
    """``grad f_a(w) = clip(L w, -a, a)``."""
    return np.clip(L * np.asarray(w, dtype=np.float64), -a, a)


def huber_witness(T: int, L_norminf: float = 1.0, D_2: float = 1.0, a: float | None = None) -> Witness:
    """Projected GD (step ``1/L``) on the Huber function ``f_a`` over ``W = [0, D_2]`` from
    ``w_0 = D_2``; the quantity ``f(w_bar_T) - f*`` of Theorem D.1. ``a`` defaults to the
    maximiser ``L D_2 / T`` (module docstring)."""
    T = integer("T", T, low=1)
    L = positive("L_norminf", L_norminf)
    D = positive("D_2", D_2)
    a = L * D / T if a is None else positive("a", a)
    w = D
    iterates = np.empty(T)
    for t in range(T):
        iterates[t] = w
        w = float(np.clip(w - huber_grad(w, a, L) / L, 0.0, D))  # Proj_[0, D_2]
    w_bar = float(np.mean(iterates))
    value = float(huber_value(w_bar, a, L))  # f* = f(0) = 0
    return Witness("thmD.1", T, "huber: f(w) = L w^2/2 if |w| <= a/L else a|w| - a^2/(2L); W = [0, D_2]",
                   {"L_norminf": L, "D_2": D, "a": a, "w0": D, "w_star": 0.0}, iterates, value)


def quadratic_witness(T: int, L_norminf: float = 1.0, Delta: float = 1.0) -> Witness:
    """GD (step ``1/L``) on ``f(w) = L w^2/2`` from ``w_0 = sqrt(2 Delta/L)``; the quantity
    ``(1/T) sum_{t<T} ||grad f(w_t)||^2`` of Theorem D.3."""
    T = integer("T", T, low=1)
    L = positive("L_norminf", L_norminf)
    Delta = positive("Delta", Delta)
    w = math.sqrt(2.0 * Delta / L)
    iterates = np.empty(T)
    sq = 0.0
    for t in range(T):
        iterates[t] = w
        g = L * w
        sq += g * g
        w = w - g / L
    return Witness("thmD.3", T, "quadratic: f(w) = L w^2/2, w_0 = sqrt(2 Delta/L)",
                   {"L_norminf": L, "Delta": Delta, "w0": float(iterates[0]), "w_star": 0.0},
                   iterates, sq / T)


def witness(theorem_id: str, T: int, constants: Mapping[str, float] | None = None) -> Witness:
    """The witness of ``theorem_id`` (``thmD.1`` or ``thmD.3``) at these constants
    (``L_norminf`` and ``D_2`` or ``Delta``; defaults 1)."""
    c = dict(constants or {})
    if theorem_id == "thmD.1":
        return huber_witness(T, c.get("L_norminf", 1.0), c.get("D_2", 1.0))
    if theorem_id == "thmD.3":
        return quadratic_witness(T, c.get("L_norminf", 1.0), c.get("Delta", 1.0))
    raise InputError(f"no deterministic witness for theorem {theorem_id!r}; allowed: {', '.join(WITNESS_THEOREMS)}")
