r"""Exponential-tail finite sums (Liu et al. 2025, Assumption B.2): ``exptail-linear`` and
``exptail-logistic``.

Feature model: :math:`X_{ij} = s_j Z_{ij} / \mathrm{rms}_i(Z_{\cdot j})` where Z has i.i.d.
standard normal entries, each zeroed independently with probability ``sparsity`` (at least
one entry per column is kept), and :math:`s_j^2 = e^{-\tau j}` (j = 0..d-1). Each column
is normalized exactly, so

.. math::  \frac1n \sum_i x_{ij}^2 = e^{-\tau j}, \qquad H_{jj} \propto e^{-\tau j},

coordinates sorted by decreasing :math:`H_{jj}` as B.2 requires (B.2 states
:math:`\sum_i x_{ij}^2 \sim e^{-\tau j}`; we divide by n so that the scale is independent
of n). B.2 asks :math:`\tau > 1/d`; we enforce it. Default :math:`\tau = 5/d` (the last
coordinate is :math:`e^{-5}` times the first).

Labels from a planted :math:`w_\circ \sim U(-1, 1)^d`:
``exptail-linear``: :math:`y = X w_\circ + \text{noise}\cdot\xi`;
``exptail-logistic``: :math:`y = \operatorname{sign}(X w_\circ + \text{noise}\cdot\xi)` with
:math:`\xi \sim N(0, I)`; ``l2 > 0`` is required for logistic so the minimizer exists.
Feasible set: the box :math:`[-B, B]^d` with :math:`B \ge 1.25\|w^*\|_\infty` (``"auto"``,
see :class:`~boundcheck.problems.finite_sum.FiniteSumProblem`), containing the minimizer.
"""

from __future__ import annotations

import numpy as np

from boundcheck.validation import InputError, integer, nonnegative, positive, real

from .finite_sum import FiniteSumProblem


def exptail_features(n: int, d: int, tau: float, sparsity: float, rng: np.random.Generator) -> np.ndarray:
    """(n, d) features with ``(1/n) sum_i x_ij^2 = exp(-tau j)`` exactly."""
    Z = rng.standard_normal((n, d))
    if sparsity > 0:
        keep = rng.random((n, d)) >= sparsity
        keep[rng.integers(0, n, size=d), np.arange(d)] = True
        Z *= keep
    rms = np.sqrt(np.mean(Z * Z, axis=0))
    scale = np.exp(-0.5 * tau * np.arange(d)) / rms
    return Z * scale


def _params(d, n, tau, sparsity, noise, l2, radius, seed_problem):
    d = integer("d", d, low=1, high=10**6)
    n = integer("n", n, low=1, high=10**8)
    if n * d > 2 * 10**8:
        raise InputError(f"n*d={n * d} is too large for a dense synthetic problem (max 2e8)")
    tau = 5.0 / d if tau is None else positive("tau", tau)
    if tau <= 1.0 / d:
        raise InputError(f"tau={tau!r} must be > 1/d = {1.0 / d:g} (Assumption B.2)")
    sparsity = real("sparsity", sparsity, low=0.0, high=1.0, high_open=True)
    noise = nonnegative("noise", noise)
    l2 = nonnegative("l2", l2)
    radius = positive("radius", radius)
    seed_problem = integer("seed_problem", seed_problem, low=0)
    return d, n, tau, sparsity, noise, l2, radius, seed_problem


def exptail_linear(d: int = 50, n: int = 1000, tau: float | None = None, sparsity: float = 0.0,
                   noise: float = 0.1, l2: float = 0.0, radius: float = 1.0,
                   seed_problem: int = 0) -> FiniteSumProblem:
    """Least squares ``(1/(2n)) ||X w - y||^2 + (l2/2)||w||^2`` on exponential-tail features."""
    d, n, tau, sparsity, noise, l2, radius, seed_problem = _params(
        d, n, tau, sparsity, noise, l2, radius, seed_problem)
    rng = np.random.default_rng(np.random.SeedSequence(seed_problem, spawn_key=(101,)))
    X = exptail_features(n, d, tau, sparsity, rng)
    w0 = rng.uniform(-1.0, 1.0, size=d)
    y = X @ w0 + noise * rng.standard_normal(n)
    params = dict(tau=tau, sparsity=sparsity, noise=noise, radius=radius, seed_problem=seed_problem)
    return FiniteSumProblem(X, y, "squared", l2=l2, domain="auto", name="exptail-linear",
                            params=params, radius=radius)


def exptail_logistic(d: int = 50, n: int = 1000, tau: float | None = None, sparsity: float = 0.0,
                     noise: float = 0.5, l2: float = 1e-3, radius: float = 1.0,
                     seed_problem: int = 0) -> FiniteSumProblem:
    """Logistic regression ``(1/n) sum log(1 + exp(-y_i x_i^T w)) + (l2/2)||w||^2``, l2 > 0."""
    d, n, tau, sparsity, noise, l2, radius, seed_problem = _params(
        d, n, tau, sparsity, noise, l2, radius, seed_problem)
    if l2 <= 0:
        raise InputError(f"l2={l2!r} must be > 0 for exptail-logistic (so that the minimizer exists)")
    rng = np.random.default_rng(np.random.SeedSequence(seed_problem, spawn_key=(102,)))
    X = exptail_features(n, d, tau, sparsity, rng)
    w0 = rng.uniform(-1.0, 1.0, size=d)
    y = np.sign(X @ w0 + noise * rng.standard_normal(n))
    y[y == 0] = 1.0
    params = dict(tau=tau, sparsity=sparsity, noise=noise, radius=radius, seed_problem=seed_problem)
    return FiniteSumProblem(X, y, "logistic", l2=l2, domain="auto", name="exptail-logistic",
                            params=params, radius=radius)
