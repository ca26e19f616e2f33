r"""``nonconvex-aniso``: a separable nonconvex function with anisotropic (L0, L1)-smoothness.

.. math::

    f(w) = \sum_{j} a_j\, \psi\bigl(b_j (w_j - m_j)\bigr),\qquad
    \psi(u) = C_U(u) + \kappa \cos u,

where :math:`C_U` is cosh on :math:`[-U, U]` continued quadratically (C^2) outside:
:math:`C_U(u) = \cosh U + \sinh U\,(|u|-U) + \tfrac12\cosh U\,(|u|-U)^2` for :math:`|u| > U`.
Defaults :math:`\kappa = 2, U = 3`; :math:`a_j = e^{-\tau j/2}`, :math:`b_j = e^{-\tau j/4}`,
:math:`m \sim U(-1, 1)^d`. Oracle: :math:`g = \nabla f(w) + \operatorname{diag}(\sigma)\xi/\sqrt M`,
:math:`\sigma_j = \text{noise}\cdot e^{-\tau j/2}`.

**Nonconvex**: :math:`\psi''(0) = 1 - \kappa < 0` for :math:`\kappa > 1`.

**Why Assumption 3.3 holds** (bounded curvature): f is separable, so its Hessian is diagonal
with :math:`|\partial_j^2 f| = a_j b_j^2 |\psi''| \le a_j b_j^2 (\cosh U + \kappa) =: L_j`
(:math:`C_U'' = \cosh(\min(|u|, U)) \le \cosh U`).

**Why Assumption 5.1 holds.** Pointwise: :math:`C_U'' \le 1 + |C_U'|` (inside:
:math:`\cosh u \le 1 + |\sinh u|`; outside: :math:`C_U'' = \cosh U \le 1 + \sinh U \le 1 + |C_U'|`)
and :math:`|C_U'| \le |\psi'| + \kappa`, so
:math:`|\psi''| \le C_U'' + \kappa \le (1 + 2\kappa) + |\psi'|`, and for
:math:`\varphi_j(x) = a_j\psi(b_j(x - m_j))`:

.. math::  |\varphi_j''| \le \ell_{0,j} + \ell_{1,j} |\varphi_j'|,\qquad
           \ell_{0,j} = a_j b_j^2 (1 + 2\kappa),\ \ \ell_{1,j} = b_j .

Grönwall on :math:`|\varphi'| + \ell_0/\ell_1` gives, for :math:`|x' - x| = \delta \le 1/\ell_1`,
:math:`|\varphi'(x') - \varphi'(x)| \le (\ell_0 + \ell_1|\varphi'(x)|)(e^{\ell_1\delta}-1)/\ell_1
\le (e - 1)(\ell_0 + \ell_1|\varphi'(x)|)\,\delta` (convexity of exp on [0, 1]). With
:math:`L_0 = (e-1)\ell_0`, :math:`L_1 = (e-1)\ell_1` and :math:`[L(w)]_j = L_{0,j} + L_{1,j}|\partial_j f(w)|`,
each coordinate obeys :math:`|\Delta_j| \le [L(w)]_j \delta_j` whenever
:math:`\|w - w'\|_\infty \le 1/\|L_1\|_\infty` (our reading of 5.1's closeness condition; it
implies :math:`\delta_j \le 1/\ell_{1,j}`), hence
:math:`\|\nabla f(w) - \nabla f(w')\|^2_{L(w)^{-1}} = \sum_j \Delta_j^2/[L(w)]_j \le \sum_j [L(w)]_j\delta_j^2
= \|w - w'\|^2_{L(w)}`. The factor e - 1 is the price of the literal inequality with
constant 1; ``exact_constants`` also returns the pointwise ``l0``, ``l1``.

**Lower bound**: :math:`f_* = \sum_j a_j \psi_{\min}` with :math:`\psi_{\min} = \min_u \psi(u)`
(attained at :math:`\pm u^*`, found by a bracketed 1-d solve of :math:`\psi'(u) = 0` on
:math:`(0, \pi)`; :math:`\psi` is even, and for :math:`|u| \ge \pi`,
:math:`\psi(u) \ge \cosh\pi - \kappa > \psi(0)`), so :math:`w^*_j = m_j + u^*/b_j` is a
global minimizer and f_* is exact up to rounding.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from boundcheck.params import Param, bind
from boundcheck.validation import InputError

from .limits import refuse_dense
from .oracle import OracleProblem
from .spec import ProblemSpec


def _psi_parts(u, U: float, kappa: float, xp):
    """psi(u), psi'(u), psi''(u) for arrays u."""
    au = xp.abs(u)
    inside = au <= U
    cu = xp.minimum(au, U * xp.ones_like(au))
    over = au - cu  # |u| - U outside, 0 inside
    chU, shU = math.cosh(U), math.sinh(U)
    C = xp.where(inside, xp.cosh(cu), chU + shU * over + 0.5 * chU * over * over)
    sgn = xp.sign(u)
    dC = sgn * xp.where(inside, xp.sinh(cu), shU + chU * over)
    d2C = xp.cosh(cu)
    return C + kappa * xp.cos(u), dC - kappa * xp.sin(u), d2C - kappa * xp.cos(u)


PARAMS = (
    Param("d", "int", 100, "dimension", low=1, high=10**7, search=(1, 512, "log")),
    Param("tau", "float", None, "exponential-tail rate: a_j = exp(-tau j/2), b_j = exp(-tau j/4) (> 1/d)",
          low=0.0, low_open=True, default_text="5/d", search=(0.01, 4.0, "log")),
    Param("noise", "float", 1.0, "oracle noise scale: sigma_j = noise exp(-tau j/2)", low=0.0,
          search=(0.0, 4.0, "linear")),
    Param("kappa", "float", 2.0, "nonconvexity kappa > 1 of psi(u) = C_U(u) + kappa cos u", low=1.0,
          low_open=True, high=50.0, search=(1.05, 8.0, "log")),
    Param("seed_problem", "int", 0, "seed of the instance (the centres m)", low=0, search=(0, 10**6, "linear")),
)


class NonconvexAniso(OracleProblem):
    """See the module docstring. Parameters: :data:`PARAMS`."""

    name = "nonconvex-aniso"
    U = 3.0

    def __init__(self, d: int = 100, tau: float | None = None, noise: float = 1.0, kappa: float = 2.0,
                 seed_problem: int = 0):
        p = bind(PARAMS, dict(d=d, tau=tau, noise=noise, kappa=kappa, seed_problem=seed_problem),
                 f"problem {self.name!r}")
        d = p["d"]
        tau = 5.0 / d if p.get("tau") is None else p["tau"]
        if tau <= 1.0 / d:
            raise InputError(f"tau={tau!r} must be > 1/d = {1.0 / d:g} (Assumption B.2)")
        self.kappa = p["kappa"]
        self.noise = p["noise"]
        self.seed_problem = p["seed_problem"]
        self.d, self.tau, self.n = d, tau, None
        self.convex = False
        self.domain = None
        rng = np.random.default_rng(np.random.SeedSequence(self.seed_problem, spawn_key=(104,)))
        j = np.arange(d, dtype=np.float64)
        self.a = np.exp(-0.5 * tau * j)
        self.b = np.exp(-0.25 * tau * j)
        self.m = rng.uniform(-1.0, 1.0, size=d)
        self.sigma = self.noise * np.exp(-0.5 * tau * j)
        self.u_star, self.psi_min = self._psi_minimum()
        self.w_star = self.m + self.u_star / self.b
        self.f_star = float(np.sum(self.a) * self.psi_min)
        self._cache: dict = {}

    def _psi_minimum(self) -> tuple[float, float]:
        from scipy.optimize import brentq

        dpsi = lambda u: float(_psi_parts(np.array(u), self.U, self.kappa, np)[1])  # noqa: E731
        # psi'(0+) = 0 with psi''(0) < 0, so psi' < 0 just right of 0; psi'(pi) = sinh(pi) > 0
        lo = 1e-3
        while dpsi(lo) >= 0:
            lo /= 2
        u = brentq(dpsi, lo, math.pi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=200)
        return u, float(_psi_parts(np.array(u), self.U, self.kappa, np)[0])

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "d": self.d, "n": None, "tau": self.tau, "noise": self.noise,
                "kappa": self.kappa, "seed_problem": self.seed_problem}

    def _arrays(self, xp, dtype):
        key = (getattr(xp, "__name__", str(xp)), str(dtype))
        if key not in self._cache:
            c = lambda v: xp.asarray(v, dtype=dtype)  # noqa: E731
            self._cache[key] = dict(a=c(self.a), b=c(self.b), m=c(self.m))
        return self._cache[key]

    def _parts(self, W, xp):
        a = self._arrays(xp, W.dtype)
        return a, _psi_parts(a["b"] * (W - a["m"]), self.U, self.kappa, xp)

    def loss(self, W, xp=np):
        a, (p, _, _) = self._parts(W, xp)
        return xp.sum(a["a"] * p, axis=-1)

    def grad(self, W, xp=np):
        a, (_, dp, _) = self._parts(W, xp)
        return a["a"] * a["b"] * dp

    def hess_diag(self, W, xp=np):
        """The Hessian's diagonal (it is diagonal: f is separable)."""
        a, (_, _, d2p) = self._parts(W, xp)
        return a["a"] * a["b"] * a["b"] * d2p

    # ---------------------------------------------------------------- constants
    def L_vector(self) -> np.ndarray:
        """Assumption 3.3: L_j = a_j b_j^2 (cosh U + kappa)."""
        return self.a * self.b**2 * (math.cosh(self.U) + self.kappa)

    def l0_l1_pointwise(self) -> tuple[np.ndarray, np.ndarray]:
        """|phi_j''| <= l0_j + l1_j |phi_j'| pointwise."""
        return self.a * self.b**2 * (1.0 + 2.0 * self.kappa), self.b.copy()

    def smoothness_matrix(self) -> np.ndarray:
        refuse_dense("smoothness_matrix()", self.d, 20000, "use exact_constants()['L'] instead")
        return np.diag(self.L_vector())

    def exact_constants(self) -> dict[str, Any]:
        l0, l1 = self.l0_l1_pointwise()
        e1 = math.e - 1.0
        return {"L": self.L_vector(), "L0": e1 * l0, "L1": e1 * l1, "l0": l0, "l1": l1,
                "sigma": self.sigma.copy(), "f_star": self.f_star}


SPEC = ProblemSpec(
    name="nonconvex-aniso",
    title="Separable nonconvex, anisotropic (L0, L1)-smooth, Gaussian oracle",
    make=NonconvexAniso,
    params=PARAMS,
    doc="f(w) = sum_j a_j psi(b_j (w_j - m_j)), psi = C_U + kappa cos; Assumptions 3.3 and 5.1 with "
        "certified vectors; f* exact; g = grad f + diag(sigma) xi/sqrt(M)",
    reference="boundcheck's own construction for Liu et al. 2025, Sec. 5 (Figure 1 analog)",
    test_params=({"d": 8},),
)
