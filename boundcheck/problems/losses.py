r"""The losses of the finite sums (generalized linear models), written once.

.. math::

    \ell_{\rm logistic}(m) = \log(1 + e^{-m}),\quad m = y\,x^\top w \ (\text{signed margin}),\qquad
    \ell_{\rm squared}(t; y) = \tfrac12 (t - y)^2,\quad t = x^\top w,

with derivatives :math:`\ell'_{\rm logistic}(m) = -\sigma(-m) = -1/(1 + e^m)` and
:math:`\ell'_{\rm squared} = t - y`, and curvature bounds :math:`G_2 = \sup \ell'' = 1/4`
(logistic), 1 (squared), so :math:`\nabla^2 f \preceq G_2 X^\top X / n + \ell_2 I`.

Every function takes an array namespace ``xp`` (NumPy, CuPy, array-api-strict) and is evaluated
without overflow (margins of +-1e4 are exact). The problems' engine path
(:mod:`boundcheck.problems.finite_sum`) and the constants layer (:mod:`boundcheck.constants.glm`)
both use these.
"""

from __future__ import annotations

import numpy as np

LOSSES = ("logistic", "squared")
#: sup of the loss's second derivative (the factor of X^T X / n in the smoothness matrix).
G2 = {"logistic": 0.25, "squared": 1.0}


def sig_neg(m, xp=np):
    """sigma(-m) = 1/(1 + e^m), without overflow."""
    e = xp.exp(-xp.abs(m))
    return xp.where(m >= 0, e, xp.ones_like(e)) / (1.0 + e)


def softplus_neg(m, xp=np):
    """log(1 + e^{-m}), without overflow."""
    return xp.clip(-m, 0.0, None) + xp.log1p(xp.exp(-xp.abs(m)))


def value(m, y, loss: str, xp=np):
    """Per-sample loss: ``m`` are signed margins ``y x^T w`` (logistic) or ``x^T w`` (squared)."""
    if loss == "logistic":
        return softplus_neg(m, xp)
    r = m - y
    return 0.5 * r * r


def derivative(m, y, loss: str, xp=np):
    """Per-sample derivative of :func:`value` with respect to its margin ``m``."""
    if loss == "logistic":
        return -sig_neg(m, xp)
    return m - y


__all__ = ["LOSSES", "G2", "sig_neg", "softplus_neg", "value", "derivative"]
