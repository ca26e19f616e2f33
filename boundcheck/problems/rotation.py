r"""The ``rotate`` transform: a problem seen in rotated coordinates, :math:`f_Q(w) = f(Q^\top w)`.

Declared once (:data:`ROTATE`, a :class:`~boundcheck.problems.spec.ProblemTransform`) and
accepted by every family that lists it in its ``transforms`` (the quadratic and the finite
sums): ``-p rotation=haar|blocks:K|permutation|none -p seed_rotation=S``.

Q is orthogonal, drawn from the instance stream ``SeedSequence(seed_rotation, spawn_key=(105,))``:

- ``haar``: Haar-distributed on O(d) (QR of a Gaussian matrix with the signs of R's diagonal
  moved into Q; Mezzadri 2007, Notices AMS 54:592);
- ``blocks:K``: block diagonal, one Haar block per each of K contiguous blocks
  (:mod:`boundcheck.algorithms.partition`'s split): rotates within blocks only;
- ``permutation``: a uniform random permutation matrix (applied by indexing, exactly).

What the rotated problem is, and which constants survive (the constants layer recomputes
everything else on the rotated problem; nothing is carried over that is not exact):

- :math:`\nabla f_Q(w) = Q \nabla f(Q^\top w)`, :math:`\nabla^2 f_Q(w) = Q \nabla^2 f(Q^\top w) Q^\top`,
  so the smoothness matrix is :math:`H_Q = Q H Q^\top` (:meth:`RotatedProblem.smoothness_matrix`;
  under a permutation also the diagonal-plus-low-rank structure, permuted). The smoothness
  vector L is **not** carried: the optimal diagonal of :math:`H_Q` is certified again (it is
  what rotation changes). The two-sided reading of a nonconvex family's H carries over too.
- :math:`w^*_Q = Q w^*`, :math:`f^*_Q = f^*` (exact).
- **Stochastic gradients**: :math:`g_Q(w) = Q\, g(Q^\top w; \xi)` with the base problem's draw
  :math:`\xi` from the same sampler, so replica r sees the same minibatch indices / Gaussian
  vectors on f and on f_Q (this is what makes SGD's iterates correspond: :math:`w^Q_t = Q w_t`
  up to rounding). The noise is :math:`n_Q = Q n`.
- **Noise vector sigma.** An oracle problem (:class:`~boundcheck.problems.oracle.OracleProblem`:
  :math:`n = \operatorname{diag}(\sigma)\xi/\sqrt M`, independent coordinates) has noise covariance
  :math:`Q \operatorname{diag}(\sigma^2) Q^\top/M`, whose diagonal gives the **exact**
  per-coordinate :math:`\sigma_{Q,j} = (\sum_k Q_{jk}^2 \sigma_k^2)^{1/2}`
  (:math:`\|\sigma_Q\|_2 = \|\sigma\|_2` is invariant, :math:`\|\sigma_Q\|_1` is not). A finite sum
  exposes its rotated features :math:`X Q^\top` (row i is :math:`Q x_i`), so the constants
  layer certifies sigma from the data over the rotated problem's W. A problem of another kind
  states no sigma after rotation (its noise coordinates may be correlated; a bound would have to
  come from its family).
- **Feasible set.** :math:`Q W` is not a box, and Option I projects coordinate-wise, so the
  rotated problem does not rotate W: a ball keeps its radius and moves its centre to Qc (exact:
  :math:`Q W` is that ball); under a permutation a box is permuted (exact); otherwise the base box
  is kept when it still contains :math:`w^*_Q` with the 1.25 margin of
  :class:`~boundcheck.problems.finite_sum.FiniteSumProblem` (``|w*_Q - c| <= 0.8 h``
  coordinate-wise), else it becomes the cube ``[-B, B]^d``, ``B = max(max h, 1.25 ||w*_Q||_inf)``
  rounded up to a multiple of 0.25. D_inf, D_2 follow the new W.

Cost: a dense Q costs O(d^2) per row and step, so ``haar`` and ``blocks:K`` are limited to
d <= :data:`ROTATE_D_LIMIT`; a permutation costs O(d).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from boundcheck.params import Param
from boundcheck.validation import InputError, integer

from .base import Ball, Box, Problem
from .oracle import OracleProblem
from .rowstable import row_matmul
from .spec import ProblemTransform

#: Dense rotations (haar, blocks:K) only up to this dimension.
ROTATE_D_LIMIT = 5000
#: The instance stream of the rotation (the second key of its SeedSequence).
SPAWN_KEY = 105
KINDS = ("none", "haar", "permutation", "blocks:K")


def parse(text: str) -> tuple[str, int | None]:
    """``"haar"`` -> ("haar", None); ``"blocks:4"`` -> ("blocks", 4); InputError otherwise."""
    t = str(text).strip().lower()
    if t in ("none", "haar", "permutation"):
        return t, None
    if t.startswith("blocks:"):
        return "blocks", integer("rotation blocks:K", t.split(":", 1)[1], low=1)
    raise InputError(f"rotation={text!r} is not allowed; allowed: {', '.join(KINDS)}")


def haar(d: int, rng: np.random.Generator) -> np.ndarray:
    """A Haar-distributed orthogonal d x d matrix (Mezzadri 2007)."""
    Z = rng.standard_normal((d, d))
    Q, R = np.linalg.qr(Z)
    s = np.sign(np.diag(R))
    s[s == 0] = 1.0
    return Q * s


class Rotation:
    """An orthogonal Q in row form: :meth:`to_base` maps rows w to Q^T w, :meth:`from_base` rows g to Q g.

    ``perm`` (permutations): Q^T w = w[perm]; ``Q`` (dense) otherwise.
    """

    def __init__(self, kind: str, d: int, seed: int, k: int | None = None):
        from boundcheck.algorithms.partition import contiguous

        self.kind, self.d, self.seed, self.k = kind, int(d), int(seed), k
        rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(SPAWN_KEY,)))
        self.perm = self.inv = self.Q = None
        if kind == "permutation":
            self.perm = rng.permutation(d).astype(np.int64)
            self.inv = np.argsort(self.perm).astype(np.int64)
        else:
            if d > ROTATE_D_LIMIT:
                raise InputError(f"rotation={self.label} needs d <= {ROTATE_D_LIMIT} (a dense Q); got d={d}")
            if kind == "haar":
                self.Q = haar(d, rng)
            else:
                part = contiguous(d, k, "rotation blocks:K")
                Q = np.zeros((d, d))
                s = 0
                for size in part.sizes:
                    Q[s:s + size, s:s + size] = haar(size, rng)
                    s += size
                self.Q = Q
        self._cache: dict = {}

    @property
    def label(self) -> str:
        return f"blocks:{self.k}" if self.kind == "blocks" else self.kind

    def matrix(self) -> np.ndarray:
        """The dense Q (d x d)."""
        if self.Q is not None:
            return self.Q.copy()
        return np.eye(self.d)[self.inv, :]  # (Q g)_j = g_{inv_j}: rows of I reordered

    def _arr(self, xp, dtype):
        key = (getattr(xp, "__name__", str(xp)), str(dtype))
        if key not in self._cache:
            if self.Q is not None:
                self._cache[key] = (xp.asarray(np.ascontiguousarray(self.Q), dtype=dtype),
                                    xp.asarray(np.ascontiguousarray(self.Q.T), dtype=dtype))
            else:
                self._cache[key] = (xp.asarray(self.perm), xp.asarray(self.inv))
        return self._cache[key]

    def to_base(self, W, xp=np):
        """Rows w -> Q^T w (row form ``W Q``)."""
        a, _ = self._arr(xp, W.dtype)
        return xp.take(W, a, axis=1) if self.Q is None else row_matmul(W, a, xp)

    def from_base(self, G, xp=np):
        """Rows g -> Q g (row form ``G Q^T``)."""
        _, b = self._arr(xp, G.dtype)
        return xp.take(G, b, axis=1) if self.Q is None else row_matmul(G, b, xp)

    def conjugate(self, H: np.ndarray) -> np.ndarray:
        """``Q H Q^T`` for a symmetric H (symmetrised; exact reindexing for a permutation)."""
        if self.Q is None:
            return H[np.ix_(self.inv, self.inv)].copy()
        A = self.Q @ H @ self.Q.T
        return 0.5 * (A + A.T)

    def vector(self, v: np.ndarray) -> np.ndarray:
        """``Q v`` for one (d,) vector."""
        return self.from_base(np.asarray(v, float)[None, :])[0]


def rotated_domain(domain, rot: Rotation, w_star_q):
    """The rotated problem's W (module docstring)."""
    if domain is None:
        return None
    if isinstance(domain, Ball):
        return Ball(center=rot.vector(domain.center), radius=domain.radius)
    if rot.kind == "permutation":
        return Box(lower=rot.vector(domain.lower), upper=rot.vector(domain.upper))
    if w_star_q is None:
        return None
    c = 0.5 * (domain.lower + domain.upper)
    h = 0.5 * (domain.upper - domain.lower)
    if np.all(np.abs(w_star_q - c) <= h / 1.25):
        return domain
    B = max(float(np.max(h)), 1.25 * float(np.max(np.abs(w_star_q))))
    B = math.ceil(B * 4.0) / 4.0
    d = w_star_q.size
    return Box(lower=-B * np.ones(d), upper=B * np.ones(d))


class RotatedProblem(Problem):
    """``f_Q(w) = f(Q^T w)`` for a base problem f (module docstring)."""

    def __init__(self, base: Problem, rotation: Rotation):
        self.base, self.rotation = base, rotation
        self.name = base.name
        self.d = base.d
        self.n = getattr(base, "n", None)
        self.convex = base.convex
        self.loss_name = getattr(base, "loss_name", None)
        self.l2 = getattr(base, "l2", 0.0)
        if hasattr(base, "stochastic_grad_and_grad"):
            self.stochastic_grad_and_grad = self._stochastic_grad_and_grad
        if hasattr(base, "value_and_grad"):
            self.value_and_grad = self._value_and_grad
        self._features = None
        self._domain_done = False
        self._domain = None

    # ------------------------------------------------------------------ facts
    @property
    def w_star(self):
        w = self.base.w_star
        return None if w is None else self.rotation.vector(np.asarray(w, float))

    @property
    def f_star(self):
        return self.base.f_star

    @property
    def domain(self):
        if not self._domain_done:
            self._domain = rotated_domain(self.base.domain, self.rotation, self.w_star)
            self._domain_done = True
        return self._domain

    def describe(self) -> dict[str, Any]:
        out = dict(self.base.describe())
        out.update(rotation=self.rotation.label, seed_rotation=self.rotation.seed)
        return out

    # ------------------------------------------------------------------ values and gradients
    def loss(self, W, xp=np):
        return self.base.loss(self.rotation.to_base(W, xp), xp)

    def grad(self, W, xp=np):
        return self.rotation.from_base(self.base.grad(self.rotation.to_base(W, xp), xp), xp)

    def stochastic_grad(self, W, batch_size: int, sampler, xp=np):
        g = self.base.stochastic_grad(self.rotation.to_base(W, xp), batch_size, sampler, xp)
        return self.rotation.from_base(g, xp)

    def _stochastic_grad_and_grad(self, W, batch_size: int, sampler, xp=np):
        g, G = self.base.stochastic_grad_and_grad(self.rotation.to_base(W, xp), batch_size, sampler, xp)
        return self.rotation.from_base(g, xp), self.rotation.from_base(G, xp)

    def _value_and_grad(self, W, xp=np):
        f, G = self.base.value_and_grad(self.rotation.to_base(W, xp), xp)
        return f, self.rotation.from_base(G, xp)

    # ------------------------------------------------------------------ constants
    def smoothness_matrix(self) -> np.ndarray:
        """``Q H Q^T`` (raises what the base raises when it has no dense H)."""
        return self.rotation.conjugate(np.asarray(self.base.smoothness_matrix(), float))

    def smoothness_structure(self):
        """Under a permutation, the base's ``D + U S U^T`` permuted (still diagonal plus low rank);
        None for a genuine rotation (``Q (D + U S U^T) Q^T`` is not diagonal plus low rank)."""
        get = getattr(self.base, "smoothness_structure", None)
        A = get() if get is not None else None
        if A is None or self.rotation.kind != "permutation":
            return None
        from boundcheck.constants.structured import DiagonalPlusLowRank

        inv = self.rotation.inv
        return DiagonalPlusLowRank(A.diag[inv], A.U[inv, :], A.s)

    def features(self):
        """Finite sums: ``X Q^T`` (row i is ``Q x_i``)."""
        X = self.base.features()
        if X is None:
            return None
        if self._features is None:
            if self.rotation.Q is None:
                self._features = X[:, self.rotation.inv]
            else:
                self._features = np.asarray(X @ self.rotation.Q.T)
        return self._features

    def labels(self):
        return self.base.labels()

    def exact_constants(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        f = self.f_star
        if f is not None and math.isfinite(float(f)):
            out["f_star"] = float(f)  # f*_Q = f* (invariant)
        if isinstance(self.base, OracleProblem):
            sig = np.asarray(self.base.sigma, float)
            Q = self.rotation.matrix()
            out["sigma"] = np.sqrt((Q * Q) @ (sig * sig))
        dom = self.domain
        if dom is not None:
            out["D_inf"], out["D_2"] = dom.D_inf, dom.D_2
        return out


def rotate_problem(problem: Problem, rotation: str = "none", seed_rotation: int = 0) -> Problem:
    """``problem`` seen through the rotation ``rotation`` (module docstring); "none" returns it."""
    kind, k = parse(rotation)
    if kind == "none":
        return problem
    return RotatedProblem(problem, Rotation(kind, problem.d, seed_rotation, k))


PARAMS = (
    Param("rotation", "str", "none", "coordinates of f_Q(w) = f(Q^T w): none, haar (Haar random Q), blocks:K "
          "(Haar within K contiguous blocks) or permutation"),
    Param("seed_rotation", "int", 0, "seed of the rotation Q", low=0, search=(0, 10**6, "linear")),
)

ROTATE = ProblemTransform(
    name="rotate", params=PARAMS,
    apply=rotate_problem,
    identity=lambda p: parse(p.get("rotation", "none"))[0] == "none",
    doc="f_Q(w) = f(Q^T w) with a seeded Haar, block-diagonal or permutation Q; constants recomputed",
)

__all__ = ["ROTATE", "ROTATE_D_LIMIT", "Rotation", "RotatedProblem", "haar", "parse", "rotate_problem",
           "rotated_domain"]
