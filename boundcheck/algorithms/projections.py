r"""Projections onto the feasible set W, in the Euclidean or a diagonal norm.

For a positive weight vector :math:`\lambda` (AdaGrad's :math:`\Lambda_t = \operatorname{diag}(\lambda)`),

.. math::  \operatorname{Proj}_W^{\Lambda}(y) = \arg\min_{z \in W} \sum_j \lambda_j (z_j - y_j)^2 .

**Box** :math:`W = [l, u]`: the objective is separable and each term is minimized by
clipping, for any positive weights, so :math:`\operatorname{Proj}^\Lambda_W(y) = \operatorname{clip}(y, l, u)`.

**l2 ball** :math:`W = \{z: \|z - c\|_2 \le r\}`, :math:`u = y - c`. If :math:`\|u\|_2 \le r`
the answer is y. Otherwise the constraint is active and the KKT conditions with multiplier
:math:`\mu > 0` read :math:`\lambda_j (z_j - y_j) + \mu (z_j - c_j) = 0`, i.e.

.. math::  z_j(\mu) = \frac{\lambda_j y_j + \mu c_j}{\lambda_j + \mu},\qquad
           z_j(\mu) - c_j = \frac{\lambda_j u_j}{\lambda_j + \mu},

and :math:`\mu` solves :math:`\varphi(\mu) = \sum_j \lambda_j^2 u_j^2 / (\lambda_j+\mu)^2 = r^2`.
:math:`\varphi` is strictly decreasing from :math:`\|\lambda\odot u\|^2/\lambda^2`-like values
at 0 to 0 at infinity, so the root is unique. This is the trust-region secular equation; we
solve :math:`h(\mu) = \varphi(\mu)^{-1/2} - 1/r = 0` by Newton's method from
:math:`\mu = 0` (h is increasing and concave, so Newton from the left is monotone; Moré and
Sorensen 1983), safeguarded by bisection on the bracket

.. math::  \mu \in \Bigl[\max\bigl(0, \tfrac{\lambda_{\min}\|u\|}{r} - \lambda_{\max}\bigr),\;
                        \tfrac{\lambda_{\max}\|u\|}{r} - \lambda_{\min}\Bigr],

(from :math:`\lambda_{\min}\|u\|/(\lambda_{\max}+\mu) \le \sqrt{\varphi(\mu)} \le
\lambda_{\max}\|u\|/(\lambda_{\min}+\mu)`), until the step is below machine precision.
With equal weights the root is :math:`\mu = \lambda(\|u\|/r - 1)` and z is the radial
(Euclidean) projection, which is what ``weights=None`` computes directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Newton iterations are capped here; convergence takes ~5-30 in practice.
MAX_ITER = 200


@dataclass(frozen=True)
class BoxProjection:
    """Clip to ``[lower, upper]`` (exact in every diagonal norm). ``lower``/``upper``: (d,) arrays."""

    lower: object
    upper: object
    #: clipping is the projection in every diagonal norm: the weights are not used
    weighted = False

    def project(self, y, weights, xp):
        """``clip(y, lower, upper)``; on NumPy ``y`` is clipped in place (callers pass a fresh
        array they do not keep)."""
        if xp is np:
            return np.clip(y, self.lower, self.upper, out=y)
        return xp.clip(y, self.lower, self.upper)

    def contains(self, w, xp, tol: float = 0.0):
        """(R,) bool: rows inside the box up to ``tol``."""
        return xp.all((w >= self.lower - tol) & (w <= self.upper + tol), axis=-1)


@dataclass(frozen=True)
class BallProjection:
    """Projection onto ``{z : ||z - center||_2 <= radius}`` in the Euclidean or a diagonal norm."""

    center: object
    radius: float
    #: the projection depends on the weights of the norm
    weighted = True

    def project(self, y, weights, xp):
        u = y - self.center
        nrm = xp.sqrt(xp.sum(u * u, axis=-1, keepdims=True))
        outside = nrm > self.radius
        if weights is None:
            scale = xp.where(outside, self.radius / xp.where(outside, nrm, 1.0), 1.0)
            return self.center + scale * u
        mu = _secular_root(u, weights, nrm, self.radius, outside, xp)
        z = self.center + (weights * u) / (weights + mu)
        return xp.where(outside, z, y)

    def contains(self, w, xp, tol: float = 0.0):
        u = w - self.center
        return xp.sqrt(xp.sum(u * u, axis=-1)) <= self.radius + tol


def _secular_root(u, lam, nrm, r: float, outside, xp):
    """Per row, the multiplier mu >= 0 with ||lam*u/(lam+mu)||_2 = r (rows with ``outside``).

    Returns an (R, 1) array; rows not outside get mu = 0. Safeguarded Newton on
    h(mu) = phi(mu)^{-1/2} - 1/r, see the module docstring.
    """
    a2 = (lam * u) ** 2
    lam_min = xp.min(lam, axis=-1, keepdims=True)
    lam_max = xp.max(lam, axis=-1, keepdims=True)
    lo = xp.clip(lam_min * nrm / r - lam_max, 0.0, None)
    hi = lam_max * nrm / r - lam_min
    lo = xp.where(outside, lo, 0.0)
    hi = xp.where(outside, xp.clip(hi, 0.0, None), 0.0)
    mu = lo
    tiny = float(np.finfo(np.float64).tiny)
    ulp = float(np.finfo(np.float64).eps)
    for _ in range(MAX_ITER):
        q = lam + mu
        phi = xp.sum(a2 / (q * q), axis=-1, keepdims=True)
        dphi = -2.0 * xp.sum(a2 / (q * q * q), axis=-1, keepdims=True)
        s = xp.sqrt(phi)
        h = 1.0 / s - 1.0 / r
        # maintain the bracket: h < 0 means mu is left of the root
        lo = xp.where(h < 0, mu, lo)
        hi = xp.where(h > 0, mu, hi)
        dh = -0.5 * dphi / (phi * s)  # h'(mu) > 0
        step = h / xp.where(dh > tiny, dh, tiny)
        cand = mu - step
        bad = (cand <= lo) | (cand >= hi) | ~(dh > tiny)
        new = xp.where(bad, 0.5 * (lo + hi), cand)
        new = xp.where(outside, new, 0.0)
        done = xp.abs(new - mu) <= 4.0 * ulp * xp.abs(new) + tiny
        mu = new
        if bool(xp.all(done)):
            break
    return mu


def make_projector(domain, xp, dtype=None):
    """The projector for a problem's ``domain`` (a :class:`~boundcheck.problems.base.Box` or
    :class:`~boundcheck.problems.base.Ball`) with arrays in namespace ``xp``; None for None."""
    from boundcheck.problems.base import Ball, Box

    if domain is None:
        return None
    if isinstance(domain, Box):
        return BoxProjection(
            lower=xp.asarray(np.asarray(domain.lower, dtype=np.float64), dtype=dtype),
            upper=xp.asarray(np.asarray(domain.upper, dtype=np.float64), dtype=dtype),
        )
    if isinstance(domain, Ball):
        return BallProjection(
            center=xp.asarray(np.asarray(domain.center, dtype=np.float64), dtype=dtype),
            radius=float(domain.radius),
        )
    raise TypeError(f"unknown domain type {type(domain).__name__}")
