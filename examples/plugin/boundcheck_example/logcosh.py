r"""``logcosh-separable``: a smooth, convex, separable problem with exact constants.

.. math::  f(w) = \sum_j a_j \log\cosh\bigl(w_j - c_j\bigr),\qquad a_j = e^{-\tau j},\ c \sim U(-1, 1)^d .

- :math:`\partial_j f = a_j \tanh(w_j - c_j)`, :math:`\partial_j^2 f = a_j \operatorname{sech}^2(w_j - c_j)
  \in (0, a_j]`, so the Hessian is diagonal with :math:`0 \prec \nabla^2 f \preceq \operatorname{diag}(a)`:
  Assumption 3.3 holds with :math:`L = a`, exactly (the supremum is attained at :math:`w = c`).
- :math:`f_* = 0` at :math:`w^* = c` (an interior stationary minimiser of the box
  :math:`W = [-2, 2]^d`).
- Oracle (when ``noise > 0``): :math:`g = \nabla f(w) + \operatorname{diag}(\sigma)\xi/\sqrt M` with
  :math:`\sigma_j = \text{noise}\cdot e^{-\tau j/2}` (boundcheck's Gaussian oracle, drawn through its
  sampling contract); ``noise = 0`` is the deterministic setting.
"""

from __future__ import annotations

import math

import numpy as np

from boundcheck.params import Param, bind
from boundcheck.problems.base import Box
from boundcheck.problems.oracle import OracleProblem
from boundcheck.problems.spec import ProblemSpec

PARAMS = (
    Param("d", "int", 16, "dimension", low=1, high=10**6, search=(1, 256, "log")),
    Param("tau", "float", 0.2, "decay of the curvatures a_j = exp(-tau j)", low=0.0, search=(0.0, 2.0, "linear")),
    Param("noise", "float", 0.0, "oracle noise scale (0: exact gradients)", low=0.0, search=(0.0, 1.0, "linear")),
    Param("seed_problem", "int", 0, "seed of the centres c", low=0),
)


class LogCosh(OracleProblem):
    """See the module docstring."""

    name = "logcosh-separable"

    def __init__(self, d: int = 16, tau: float = 0.2, noise: float = 0.0, seed_problem: int = 0):
        p = bind(PARAMS, dict(d=d, tau=tau, noise=noise, seed_problem=seed_problem), f"problem {self.name!r}")
        self.d, self.tau, self.noise, self.seed_problem = p["d"], p["tau"], p["noise"], p["seed_problem"]
        self.n, self.convex = None, True
        j = np.arange(self.d, dtype=np.float64)
        self.a = np.exp(-self.tau * j)
        self.sigma = self.noise * np.exp(-0.5 * self.tau * j)
        self.c = np.random.default_rng(np.random.SeedSequence(self.seed_problem, spawn_key=(901,))).uniform(
            -1.0, 1.0, self.d)
        self.w_star, self.f_star = self.c.copy(), 0.0
        self.domain = Box(lower=-2.0 * np.ones(self.d), upper=2.0 * np.ones(self.d))

    def describe(self):
        return {"name": self.name, "d": self.d, "n": None, "tau": self.tau, "noise": self.noise,
                "seed_problem": self.seed_problem}

    def loss(self, W, xp=np):
        u = W - xp.asarray(self.c, dtype=W.dtype)
        # log cosh u = |u| + log1p(exp(-2|u|)) - log 2, without overflow
        au = xp.abs(u)
        return xp.sum(xp.asarray(self.a, dtype=W.dtype) * (au + xp.log1p(xp.exp(-2.0 * au)) - math.log(2.0)),
                      axis=-1)

    def grad(self, W, xp=np):
        return xp.asarray(self.a, dtype=W.dtype) * xp.tanh(W - xp.asarray(self.c, dtype=W.dtype))

    def smoothness_matrix(self):
        return np.diag(self.a)

    def exact_constants(self):
        return {"L": self.a.copy(), "sigma": self.sigma.copy(), "f_star": 0.0, "D_inf": self.domain.D_inf,
                "D_2": self.domain.D_2}


PROBLEM = ProblemSpec(
    name="logcosh-separable",
    title="Separable log-cosh (smooth, convex, exact constants)",
    make=LogCosh,
    params=PARAMS,
    doc="f(w) = sum_j exp(-tau j) log cosh(w_j - c_j); L = a exactly; f* = 0 at w* = c; W = [-2, 2]^d",
    reference="boundcheck example plugin",
    test_params=({"d": 6}, {"d": 5, "noise": 0.3}),
)
