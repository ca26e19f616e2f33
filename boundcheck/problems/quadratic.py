r"""``quadratic-oracle``: a quadratic with a stochastic first-order oracle; every constant exact.

.. math::

    f(w) = \tfrac12 (w - w^*)^\top H (w - w^*), \qquad f_* = 0,\qquad
    g(w) = H (w - w^*) + \frac{1}{\sqrt M}\operatorname{diag}(\sigma)\,\xi,\ \ \xi \sim N(0, I_d).

The minibatch of M i.i.d. oracle calls is drawn in one go: the mean of M independent
:math:`N(0, \sigma_j^2)` is exactly :math:`N(0, \sigma_j^2/M)` (Lemma C.2 holds with equality).

Structure (never a dense d x d matrix, so d = 10^5 is fine):
:math:`H = Q (D + U S U^\top) Q^\top` with :math:`D = \operatorname{diag}(h)`,
:math:`h_j = e^{-\tau j}`, an optional low-rank coupling :math:`U \in \mathbb R^{d\times k}`
(unit columns, positive entries) with weights :math:`S = \operatorname{diag}(s)`,
:math:`s_k = \text{coupling}\cdot h_0`, and an optional rotation Q, a product of ``rotate``
random Householder reflections. Noise :math:`\sigma_j = \text{noise}\cdot e^{-\tau j/2}`.
:math:`w^* \sim U(-\tfrac12, \tfrac12)^d`; W is the box :math:`[-1, 1]^d`
(:math:`D_\infty = 2`, :math:`D_2 = 2\sqrt d`).

Smoothness vector L (Assumption 3.3, :math:`-\operatorname{diag}(L) \preceq H \preceq \operatorname{diag}(L)`):

- no coupling, no rotation: :math:`L = h`, exact and optimal (H is diagonal);
- coupling, no rotation: :math:`L_j = h_j + \sum_k s_k \|u_k\|_1 |u_{kj}|`, certified by
  Cauchy-Schwarz :math:`(u^\top x)^2 \le \|u\|_1 \sum_j |u_j| x_j^2`;
- rotation: :math:`L_j = \sum_k |H_{jk}|` from the dense H (diagonal dominance), so rotation
  is limited to :data:`ROTATE_D_LIMIT`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from boundcheck.params import Param, bind
from boundcheck.validation import InputError

from .base import Box
from .limits import refuse_dense
from .oracle import OracleProblem
from .rotation import ROTATE
from .rowstable import row_matmul
from .spec import ProblemSpec

#: Rotations need the dense H for a certified L: only up to this dimension.
ROTATE_D_LIMIT = 5000
#: smoothness_matrix() (dense) only up to this dimension.
DENSE_D_LIMIT = 20000


PARAMS = (
    Param("d", "int", 100, "dimension", low=1, high=10**7, search=(1, 512, "log")),
    Param("tau", "float", None, "exponential-tail rate of the spectrum h_j = exp(-tau j) (> 1/d)",
          low=0.0, low_open=True, default_text="5/d", search=(0.01, 4.0, "log")),
    Param("noise", "float", 1.0, "oracle noise scale: sigma_j = noise exp(-tau j/2)", low=0.0,
          search=(0.0, 4.0, "linear")),
    Param("rank", "int", 0, "rank of the low-rank coupling U S U^T (<= min(d, 64))", low=0, high=64,
          search=(0, 8, "linear")),
    Param("coupling", "float", 0.5, "weight of each coupling direction, relative to h_0", low=0.0,
          search=(0.0, 8.0, "linear")),
    Param("rotate", "int", 0, "number of random Householder reflections Q (d <= 5000)", low=0, high=64,
          search=(0, 4, "linear")),
    Param("seed_problem", "int", 0, "seed of the instance (w*, U, Q)", low=0, search=(0, 10**6, "linear")),
)


class QuadraticOracle(OracleProblem):
    """See the module docstring. Parameters: :data:`PARAMS`."""

    name = "quadratic-oracle"

    def __init__(self, d: int = 100, tau: float | None = None, noise: float = 1.0, rank: int = 0,
                 coupling: float = 0.5, rotate: int = 0, seed_problem: int = 0):
        p = bind(PARAMS, dict(d=d, tau=tau, noise=noise, rank=rank, coupling=coupling, rotate=rotate,
                              seed_problem=seed_problem), f"problem {self.name!r}")
        d = p["d"]
        tau = 5.0 / d if p.get("tau") is None else p["tau"]
        if tau <= 1.0 / d:
            raise InputError(f"tau={tau!r} must be > 1/d = {1.0 / d:g} (Assumption B.2)")
        self.noise = p["noise"]
        if p["rank"] > d:
            raise InputError(f"rank={p['rank']!r} is out of range; allowed: integers in [0, {min(d, 64)}]")
        self.rank = p["rank"]
        self.coupling = p["coupling"]
        self.rotate = p["rotate"]
        if self.rotate and d > ROTATE_D_LIMIT:
            raise InputError(f"rotate={rotate} needs d <= {ROTATE_D_LIMIT} (a certified L needs the dense H); got d={d}")
        self.seed_problem = p["seed_problem"]
        self.d, self.tau = d, tau
        self.n = None
        self.convex = True
        rng = np.random.default_rng(np.random.SeedSequence(self.seed_problem, spawn_key=(103,)))
        j = np.arange(d, dtype=np.float64)
        self.h = np.exp(-tau * j)
        self.sigma = self.noise * np.exp(-0.5 * tau * j)
        self.w_star = rng.uniform(-0.5, 0.5, size=d)
        self.f_star = 0.0
        self.domain = Box(lower=-np.ones(d), upper=np.ones(d))
        if self.rank:
            U = np.abs(rng.standard_normal((d, self.rank)))
            self.U = U / np.linalg.norm(U, axis=0)
            self.s = self.coupling * self.h[0] * np.ones(self.rank)
        else:
            self.U = np.zeros((d, 0))
            self.s = np.zeros(0)
        V = rng.standard_normal((self.rotate, d))
        self.V = V / np.linalg.norm(V, axis=1, keepdims=True) if self.rotate else V
        self._cache: dict = {}

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "d": self.d, "n": None, "tau": self.tau, "noise": self.noise,
                "rank": self.rank, "coupling": self.coupling, "rotate": self.rotate,
                "seed_problem": self.seed_problem}

    # ---------------------------------------------------------------- H applied to rows
    def _arrays(self, xp, dtype):
        key = (getattr(xp, "__name__", str(xp)), str(dtype))
        if key not in self._cache:
            c = lambda a: xp.asarray(np.ascontiguousarray(a), dtype=dtype)  # noqa: E731
            self._cache[key] = dict(h=c(self.h), w_star=c(self.w_star), U=c(self.U), s=c(self.s), V=c(self.V))
        return self._cache[key]

    def _reflect(self, X, v, xp):
        """Rows of X times the Householder reflection I - 2 v v^T."""
        return X - 2.0 * xp.sum(X * v, axis=-1, keepdims=True) * v

    def _apply_H(self, Dw, a, xp):
        """Rows of ``Dw`` (R, d) times H = Q (D + U S U^T) Q^T (H symmetric)."""
        Y = Dw
        for i in range(self.rotate):  # Q^T = P_k ... P_1: apply P_1 first
            Y = self._reflect(Y, a["V"][i, :], xp)
        Z = a["h"] * Y
        if self.rank:
            Z = Z + row_matmul(row_matmul(Y, a["U"], xp) * a["s"], a["U"].T, xp)
        for i in reversed(range(self.rotate)):  # Q = P_1 ... P_k: apply P_k first
            Z = self._reflect(Z, a["V"][i, :], xp)
        return Z

    def loss(self, W, xp=np):
        a = self._arrays(xp, W.dtype)
        Dw = W - a["w_star"]
        return 0.5 * xp.sum(Dw * self._apply_H(Dw, a, xp), axis=-1)

    def grad(self, W, xp=np):
        a = self._arrays(xp, W.dtype)
        return self._apply_H(W - a["w_star"], a, xp)

    # ---------------------------------------------------------------- constants
    def smoothness_matrix(self) -> np.ndarray:
        refuse_dense("smoothness_matrix()", self.d, DENSE_D_LIMIT, "use exact_constants()['L'] instead")
        return self._apply_H(np.eye(self.d), self._arrays(np, np.float64), np)

    def smoothness_structure(self):
        """``H = D + U Diag(s) U^T`` as a :class:`~boundcheck.constants.structured.DiagonalPlusLowRank`
        (exact: the same arrays ``_apply_H`` uses), when there is no rotation (rank 0 or
        more); None when rotated (``Q (D + U S U^T) Q^T`` is not diagonal plus low rank in
        the coordinates). Lets the constants layer certify the optimal L at d = 1e5 without
        the dense H (issue 17)."""
        if self.rotate:
            return None
        from boundcheck.constants.structured import DiagonalPlusLowRank

        return DiagonalPlusLowRank(self.h, self.U, self.s)

    def L_vector(self) -> np.ndarray:
        """Certified (exact when H is diagonal) smoothness vector, see the module docstring."""
        if self.rotate:
            return np.sum(np.abs(self.smoothness_matrix()), axis=1)
        L = self.h.copy()
        for k in range(self.rank):
            u = self.U[:, k]
            L += self.s[k] * np.sum(np.abs(u)) * np.abs(u)
        return L

    def exact_constants(self) -> dict[str, Any]:
        return {
            "L": self.L_vector(),
            "L_exact": not (self.rank or self.rotate),
            "sigma": self.sigma.copy(),
            "f_star": 0.0,
            "D_inf": self.domain.D_inf,
            "D_2": self.domain.D_2,
        }


SPEC = ProblemSpec(
    name="quadratic-oracle",
    title="Quadratic with a Gaussian oracle, exact constants",
    make=QuadraticOracle,
    params=PARAMS,
    doc="f(w) = (w - w*)^T H (w - w*)/2, H = Q(D + U S U^T)Q^T, D = diag(exp(-tau j)); "
        "g = grad f + diag(sigma) xi/sqrt(M); W = [-1, 1]^d; scales to d = 1e5 (no dense H)",
    reference="Liu et al. 2025, Assumption B.2 spectrum; boundcheck's own construction",
    test_params=({"d": 8, "rank": 2, "rotate": 2}, {"d": 12, "rank": 2},
                 {"d": 8, "rank": 1, "rotation": "haar", "seed_rotation": 1},
                 {"d": 9, "rank": 2, "rotation": "blocks:3"}, {"d": 8, "rank": 2, "rotation": "permutation"}),
    transforms=(ROTATE,),
)
