r"""Oracle problems: an exact gradient plus independent noise drawn through the sampling contract.

.. math::  g(w) = \nabla f(w) + \frac{1}{\sqrt M}\operatorname{diag}(\sigma)\,\xi,\qquad
           \xi \sim N(0, I_d) .

The minibatch of M i.i.d. oracle calls is drawn in one go: the mean of M independent
:math:`N(0, \sigma_j^2)` is exactly :math:`N(0, \sigma_j^2/M)` (Lemma C.2 holds with equality),
so Assumptions 3.4 (unbiased, independent) and 3.5 (:math:`E n_j^2 = \sigma_j^2`, exact) hold.

A subclass defines ``grad(W, xp)`` and the noise vector ``sigma`` (a (d,) NumPy array); this
class gives ``stochastic_grad`` and ``stochastic_grad_and_grad`` (the engine's per-step
exact-gradient metrics then cost nothing extra).

**Heavy-tailed noise** (issue 12): a subclass may set ``noise_law`` to a
:class:`~boundcheck.problems.noise_laws.NoiseLaw` (Student-t, Pareto, sub-Weibull): each
coordinate of ``xi`` is then a standardised draw of that law (variance 1, so ``sigma_j`` is still
the standard deviation) and a minibatch is the mean of M draws. The Gaussian default keeps its
code path and its bits. :data:`NOISE_PARAMS` are the declared parameters a family adds to offer it
(``noise_shape``, ``noise_tail``); the moments are constants (``noise_kurtosis``,
``noise_moment_order``: provider ``noise-law-moments``) and the sub-Gaussian assumption is
checked from the law (``subgaussian-noise``).
"""

from __future__ import annotations

import numpy as np

from boundcheck.params import Param

from .base import Problem
from .noise_laws import GAUSSIAN, SHAPES, NoiseLaw

#: Declared parameters of the noise law (a family adds them to its PARAMS to offer heavy tails).
NOISE_PARAMS = (
    Param("noise_shape", "str", "gaussian", "law of each noise coordinate (standardised: sigma_j stays the "
          "standard deviation)", choices=SHAPES),
    Param("noise_tail", "float", None, "tail parameter of noise_shape: nu of student-t (> 2), alpha of pareto "
          "(> 2), theta of sub-weibull (> 0; sub-Gaussian iff <= 1/2)", low=0.0, low_open=True,
          default_text="none (gaussian)"),
)


def noise_law(shape: str = "gaussian", tail: float | None = None) -> NoiseLaw:
    """The law of ``noise_shape``/``noise_tail`` (InputError for a bad combination)."""
    if shape == "gaussian" and tail is not None:
        from boundcheck.validation import InputError

        raise InputError(f"noise_tail={tail!r} applies to student-t, pareto, sub-weibull, not to gaussian noise")
    return GAUSSIAN if shape == "gaussian" else NoiseLaw(shape, float(tail) if tail is not None else None)


class OracleProblem(Problem):
    """Base class of problems with an additive-noise first-order oracle (see the module docstring)."""

    sigma: np.ndarray
    noise_law: NoiseLaw = GAUSSIAN

    def _noise_scale(self, xp, dtype):
        """``sigma`` in the namespace and dtype (cached per (namespace, dtype))."""
        cache = self.__dict__.setdefault("_sigma_cache", {})
        key = (getattr(xp, "__name__", str(xp)), str(dtype))
        if key not in cache:
            cache[key] = xp.asarray(np.ascontiguousarray(self.sigma), dtype=dtype)
        return cache[key]

    def stochastic_grad_and_grad(self, W, batch_size: int, sampler, xp=np):
        """``(g, grad f(W))`` with ``g = grad f(W) + sigma xi / sqrt(M)``, xi from ``sampler``'s
        normal stream (one row per replica); for a non-Gaussian law, ``sigma`` times the mean of M
        standardised draws."""
        if not self.noise_law.gaussian:
            z = self.noise_law.minibatch(sampler, self.d, int(batch_size))
            xi = xp.asarray(z, dtype=W.dtype) if xp is not np else z.astype(W.dtype, copy=False)
            xi *= self._noise_scale(xp, W.dtype)
            G = self.grad(W, xp)
            xi += G
            return xi, G
        z = sampler.standard_normal(self.d, dtype=np.float64)
        xi = xp.asarray(z, dtype=W.dtype) if xp is not np else z.astype(W.dtype, copy=False)
        xi *= self._noise_scale(xp, W.dtype)  # fresh arrays: scale in place (d = 1e5 x R rows per step)
        xi *= 1.0 / float(np.sqrt(batch_size))
        G = self.grad(W, xp)
        xi += G
        return xi, G

    def stochastic_grad(self, W, batch_size: int, sampler, xp=np):
        return self.stochastic_grad_and_grad(W, batch_size, sampler, xp)[0]


__all__ = ["OracleProblem", "NOISE_PARAMS", "noise_law"]
