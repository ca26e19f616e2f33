"""What a problem exposes to the engine, the constants layer and verification.

This module is the contract between layers (data flows one way):

- the **engine** calls ``loss``, ``grad`` and ``stochastic_grad`` on batches of replicas;
- the **constants** layer reads ``smoothness_matrix`` (a PSD matrix ``H`` with
  ``Hess f(w) <= H`` for every ``w`` in the domain) or, when a problem offers it, the
  optional ``smoothness_structure`` (the same H as diagonal plus low rank), the finite-sum data
  (``features``, ``labels``, ``loss_name``, ``l2``) and ``domain`` to compute
  L, sigma, D_inf, D_2, Delta with certificates;
- **verify** reads ``exact_constants`` (what the problem knows exactly, or a certified
  upper bound) and the assumption facts (``convex``, ``w_star``, ``f_star``).

Shapes: a batch of iterates is ``(R, d)`` (R replicas); losses are ``(R,)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Box:
    """The box ``W = {w : lower <= w <= upper}`` (Assumption 3.1's feasible set).

    Its diameters are ``D_inf = max_j (upper_j - lower_j)`` and
    ``D_2 = ||upper - lower||_2``. The projection in any diagonal norm is clipping.
    """

    lower: np.ndarray
    upper: np.ndarray

    @property
    def d(self) -> int:
        return int(np.size(self.lower))

    @property
    def D_inf(self) -> float:
        return float(np.max(self.upper - self.lower))

    @property
    def D_2(self) -> float:
        return float(np.linalg.norm(self.upper - self.lower))

    def contains(self, w: np.ndarray, tol: float = 0.0) -> bool:
        w = np.asarray(w)
        return bool(np.all(w >= self.lower - tol) and np.all(w <= self.upper + tol))


@dataclass(frozen=True)
class Ball:
    """The l2 ball ``W = {w : ||w - center||_2 <= radius}``: ``D_2 = D_inf = 2 radius``."""

    center: np.ndarray
    radius: float

    @property
    def d(self) -> int:
        return int(np.size(self.center))

    @property
    def D_inf(self) -> float:
        return 2.0 * float(self.radius)

    @property
    def D_2(self) -> float:
        return 2.0 * float(self.radius)

    def contains(self, w: np.ndarray, tol: float = 0.0) -> bool:
        return bool(np.linalg.norm(np.asarray(w) - self.center) <= self.radius + tol)


Domain = Box | Ball | None


class Problem:
    """Base class of every problem family. Subclasses fill in the attributes and methods.

    Attributes
    ----------
    name : str            registry name, e.g. ``"exptail-logistic"``
    d : int               dimension
    n : int | None        number of samples of a finite sum (None for an oracle problem)
    convex : bool         whether Assumption 3.1's convexity holds
    domain : Domain       feasible set W for Option I (None: unconstrained)
    w_star : ndarray|None a minimizer (None if unknown, e.g. nonconvex)
    f_star : float        f(w_star) for convex problems, a certified lower bound otherwise
    loss_name : str|None  "logistic" | "squared" for finite sums, None otherwise
    l2 : float            ridge coefficient included in f
    """

    name: str = "problem"
    d: int
    n: int | None = None
    convex: bool = True
    domain: Domain = None
    w_star: np.ndarray | None = None
    f_star: float = 0.0
    loss_name: str | None = None
    l2: float = 0.0

    # --- values and gradients on a batch of replicas -------------------------------
    def loss(self, W, xp=np):
        """f(w) for each row of ``W`` (shape (R, d)) -> (R,)."""
        raise NotImplementedError

    def grad(self, W, xp=np):
        """Full gradient for each row of ``W`` -> (R, d)."""
        raise NotImplementedError

    def stochastic_grad(self, W, batch_size: int, rng: Any, xp=np):
        """Minibatch gradients ``g_t = (1/M) sum_{xi in B_t} grad f(w_t; xi)`` -> (R, d).

        Batches are sampled uniformly with replacement (Lemma C.2). ``rng`` carries one
        independent stream per replica (see :mod:`boundcheck.engine`).
        """
        raise NotImplementedError

    # --- what the constants layer and verify read -----------------------------------
    def smoothness_matrix(self) -> np.ndarray:
        """PSD ``H`` with ``Hess f(w) <= H`` on the domain (dense, (d, d))."""
        raise NotImplementedError

    def smoothness_structure(self):
        """Optional: the smoothness matrix by structure, never formed. Return a
        :class:`boundcheck.constants.structured.DiagonalPlusLowRank` ``(diag, U, s)`` with
        ``Hess f(w) <= Diag(diag) + U Diag(s) U^T`` on the domain (the same H as
        :meth:`smoothness_matrix`), or None (the default) when H has no such structure.
        The constants layer then certifies the optimal L from products with H and an
        r x r Schur complement (O(d r^2)), at sizes where the dense H cannot be formed."""
        return None

    def features(self) -> np.ndarray | None:
        """Finite sums: the (n, d) feature matrix X (as used in f, no implicit scaling)."""
        return None

    def labels(self) -> np.ndarray | None:
        """Finite sums: the (n,) labels y."""
        return None

    def exact_constants(self) -> dict[str, Any]:
        """Constants the problem knows exactly (or a certified upper bound), by the theory
        layer's symbol names: ``L`` (vector), ``sigma`` (vector), ``L0``, ``L1`` (vectors),
        ``f_star``, ``D_inf``, ``D_2`` ... Missing keys are computed by the constants layer."""
        return {}

    def describe(self) -> dict[str, Any]:
        """Parameters that identify this problem instance (for provenance and caching)."""
        return {"name": self.name, "d": self.d, "n": self.n}
