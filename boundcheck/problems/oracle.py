r"""Oracle problems: an exact gradient plus independent noise drawn through the sampling contract.

.. math::  g(w) = \nabla f(w) + \frac{1}{\sqrt M}\operatorname{diag}(\sigma)\,\xi,\qquad
           \xi \sim N(0, I_d) .

The minibatch of M i.i.d. oracle calls is drawn in one go: the mean of M independent
:math:`N(0, \sigma_j^2)` is exactly :math:`N(0, \sigma_j^2/M)` (Lemma C.2 holds with equality),
so Assumptions 3.4 (unbiased, independent) and 3.5 (:math:`E n_j^2 = \sigma_j^2`, exact) hold.

A subclass defines ``grad(W, xp)`` and the noise vector ``sigma`` (a (d,) NumPy array); this
class gives ``stochastic_grad`` and ``stochastic_grad_and_grad`` (the engine's per-step
exact-gradient metrics then cost nothing extra).
"""

from __future__ import annotations

import numpy as np

from .base import Problem


class OracleProblem(Problem):
    """Base class of problems with a Gaussian first-order oracle (see the module docstring)."""

    sigma: np.ndarray

    def _noise_scale(self, xp, dtype):
        """``sigma`` in the namespace and dtype (cached per (namespace, dtype))."""
        cache = self.__dict__.setdefault("_sigma_cache", {})
        key = (getattr(xp, "__name__", str(xp)), str(dtype))
        if key not in cache:
            cache[key] = xp.asarray(np.ascontiguousarray(self.sigma), dtype=dtype)
        return cache[key]

    def stochastic_grad_and_grad(self, W, batch_size: int, sampler, xp=np):
        """``(g, grad f(W))`` with ``g = grad f(W) + sigma xi / sqrt(M)``, xi from ``sampler``'s
        normal stream (one row per replica)."""
        z = sampler.standard_normal(self.d, dtype=np.float64)
        xi = xp.asarray(z, dtype=W.dtype) if xp is not np else z.astype(W.dtype, copy=False)
        xi *= self._noise_scale(xp, W.dtype)  # fresh arrays: scale in place (d = 1e5 x R rows per step)
        xi *= 1.0 / float(np.sqrt(batch_size))
        G = self.grad(W, xp)
        xi += G
        return xi, G

    def stochastic_grad(self, W, batch_size: int, sampler, xp=np):
        return self.stochastic_grad_and_grad(W, batch_size, sampler, xp)[0]


__all__ = ["OracleProblem"]
