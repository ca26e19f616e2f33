r"""``stiff-flat-quadratic``: the named construction of boundcheck's SGD lower bound (issue 12).

.. math::

    f(w) = \tfrac12 \sum_i L_i (w_i - w^*_i)^2,\qquad L = (L, \ell, \dots, \ell),\quad
    \ell = \frac{\rho L}{d - 1},\qquad w^* = -c\,\mathbf 1,\ f_* = 0,

with an additive-noise oracle ``g = grad f(w) + noise 1 xi/sqrt(M)`` (``noise = 0`` by default:
exact gradients). boundcheck runs from ``w_0 = 0``, so ``w_0 - w* = c 1``. One stiff coordinate and
``d - 1`` flat ones share the l1 smoothness budget ``||L||_1 = (1 + rho) L`` (``||L||_inf = L``)
for every d: the lower bound of :mod:`boundcheck.theory.proofs.lower_l1` shows SGD's average l1
gradient norm is at least ``(d - 1) L c (1 - q^T)/(2T)``, ``q = 1 - 2 rho/(d - 1)``, for every
constant step, while AdaGrad's is d-free.

Parameters (declared, validated at the door): ``d >= 2``; ``L > 0``; ``0 < rho <= 1`` with
``rho <= (d - 1)/2`` (so ``l <= L/2``: the flat coordinates are the slow ones; ``rho <= 1`` makes the
bound hold for unstable steps too); ``c > 0``; ``noise >= 0`` (per-coordinate standard deviation),
and the oracle's noise law (``noise_shape``, ``noise_tail``).

Constants (all exact): the smoothness vector ``L`` (the Hessian is ``diag(L)``: Assumption 3.3
with equality on both sides), ``sigma = noise 1``, ``f* = 0``, and the construction's own
``rho_flat = rho`` and ``c0 = c`` (provider ``stiff-flat-construction``). Unconstrained (no W:
Option II).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from boundcheck.params import Param, bind
from boundcheck.validation import InputError

from .limits import refuse_dense
from .oracle import NOISE_PARAMS, OracleProblem, noise_law
from .spec import ProblemSpec

#: smoothness_matrix() (dense) only up to this dimension.
DENSE_D_LIMIT = 20000

PARAMS = (
    Param("d", "int", 64, "dimension (one stiff and d - 1 flat coordinates)", low=2, high=10**7,
          search=(2, 4096, "log")),
    Param("L", "float", 1.0, "curvature of the stiff coordinate (= ||L||_inf)", low=0.0, low_open=True,
          search=(0.1, 10.0, "log")),
    Param("rho", "float", 1.0, "flat coordinates' share of the l1 budget: l = rho L/(d - 1); 0 < rho <= 1, "
          "rho <= (d - 1)/2", low=0.0, high=1.0, low_open=True, search=(0.05, 1.0, "linear")),
    Param("c", "float", 1.0, "initial offset: w_0 - w* = c (1, ..., 1)", low=0.0, low_open=True,
          search=(0.1, 10.0, "log")),
    Param("noise", "float", 0.0, "oracle noise: per-coordinate standard deviation (0: exact gradients)",
          low=0.0, search=(0.0, 1.0, "linear")),
    *NOISE_PARAMS,
)


class StiffFlatQuadratic(OracleProblem):
    """See the module docstring. Parameters: :data:`PARAMS`."""

    name = "stiff-flat-quadratic"

    def __init__(self, d: int = 64, L: float = 1.0, rho: float = 1.0, c: float = 1.0, noise: float = 0.0,
                 noise_shape: str = "gaussian", noise_tail: float | None = None):
        p = bind(PARAMS, dict(d=d, L=L, rho=rho, c=c, noise=noise, noise_shape=noise_shape,
                              noise_tail=noise_tail), f"problem {self.name!r}")
        d = p["d"]
        if p["rho"] > (d - 1) / 2:
            raise InputError(f"rho={p['rho']!r} is out of range for d={d}; allowed: 0 < rho <= (d - 1)/2 = "
                             f"{(d - 1) / 2:g} (the flat curvature l = rho L/(d - 1) must be at most L/2)")
        self.d, self.n, self.convex = d, None, True
        self.L_stiff, self.rho, self.c, self.noise = p["L"], p["rho"], p["c"], p["noise"]
        self.noise_law = noise_law(p["noise_shape"], p.get("noise_tail"))
        self.ell = self.rho * self.L_stiff / (d - 1)
        self.L_vec = np.full(d, self.ell)
        self.L_vec[0] = self.L_stiff
        self.w_star = np.full(d, -self.c)
        self.f_star = 0.0
        self.domain = None
        self.sigma = np.full(d, self.noise)
        self._cache: dict = {}

    def describe(self) -> dict[str, Any]:
        out = {"name": self.name, "d": self.d, "n": None, "L": self.L_stiff, "rho": self.rho, "c": self.c,
               "noise": self.noise}
        if not self.noise_law.gaussian:
            out.update(noise_shape=self.noise_law.shape, noise_tail=self.noise_law.tail)
        return out

    def _arrays(self, xp, dtype):
        key = (getattr(xp, "__name__", str(xp)), str(dtype))
        if key not in self._cache:
            self._cache[key] = (xp.asarray(self.L_vec, dtype=dtype), xp.asarray(self.w_star, dtype=dtype))
        return self._cache[key]

    def loss(self, W, xp=np):
        h, ws = self._arrays(xp, W.dtype)
        e = W - ws
        return 0.5 * xp.sum(h * e * e, axis=-1)

    def grad(self, W, xp=np):
        h, ws = self._arrays(xp, W.dtype)
        return h * (W - ws)

    def smoothness_matrix(self) -> np.ndarray:
        refuse_dense("smoothness_matrix()", self.d, DENSE_D_LIMIT, "use exact_constants()['L'] instead")
        return np.diag(self.L_vec)

    def smoothness_structure(self):
        """``H = diag(L)`` exactly (rank-0 structure: never formed densely)."""
        from boundcheck.constants.structured import DiagonalPlusLowRank

        return DiagonalPlusLowRank(self.L_vec.copy(), np.zeros((self.d, 0)), np.zeros(0))

    def exact_constants(self) -> dict[str, Any]:
        return {"L": self.L_vec.copy(), "L_exact": True, "sigma": self.sigma.copy(), "f_star": 0.0,
                "rho_flat": self.rho, "c0": self.c}


SPEC = ProblemSpec(
    name="stiff-flat-quadratic",
    title="Stiff-flat quadratic: the construction of boundcheck's SGD lower bound in the l1 gradient norm",
    make=StiffFlatQuadratic,
    params=PARAMS,
    doc="f(w) = sum_i L_i (w_i - w*_i)^2/2, L = (L, l, ..., l), l = rho L/(d - 1), w_0 - w* = c 1; "
        "exact gradients unless noise > 0; unconstrained",
    reference="boundcheck's construction (issue 12), not the cited paper's (which could not be read)",
    test_params=({"d": 6}, {"d": 5, "rho": 0.5, "noise": 0.3}, {"d": 3, "L": 2.0, "c": 0.5}),
)

__all__ = ["StiffFlatQuadratic", "SPEC", "PARAMS"]
