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

from boundcheck.params import Param, bind
from boundcheck.validation import InputError

from .finite_sum import FiniteSumProblem
from .rotation import ROTATE
from .spec import ProblemSpec


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


def _declared(noise: float, l2: float, l2_doc: str) -> tuple[Param, ...]:
    return (
        Param("d", "int", 50, "dimension", low=1, high=10**6, search=(1, 256, "log")),
        Param("n", "int", 1000, "number of samples", low=1, high=10**8, search=(16, 4096, "log")),
        Param("tau", "float", None, "exponential-tail rate: (1/n) sum_i x_ij^2 = exp(-tau j) (> 1/d, "
              "Assumption B.2)", low=0.0, low_open=True, default_text="5/d", search=(0.01, 4.0, "log")),
        Param("sparsity", "float", 0.0, "probability that a feature entry is zero", low=0.0, high=1.0,
              high_open=True, search=(0.0, 0.95, "linear")),
        Param("noise", "float", noise, "label noise scale", low=0.0, search=(0.0, 2.0, "linear")),
        Param("l2", "float", l2, l2_doc, low=0.0, search=(1e-4, 1.0, "log")),
        Param("radius", "float", 1.0, "minimum half-width B of the box W = [-B, B]^d", low=0.0, low_open=True,
              search=(0.5, 4.0, "log")),
        Param("seed_problem", "int", 0, "seed of the instance (features, planted w, labels)", low=0,
              search=(0, 10**6, "linear")),
    )


LINEAR_PARAMS = _declared(0.1, 0.0, "ridge coefficient l2 >= 0")
LOGISTIC_PARAMS = _declared(0.5, 1e-3, "ridge coefficient l2 > 0 (so that the minimizer exists)")


def _params(declared, owner, d, n, tau, sparsity, noise, l2, radius, seed_problem):
    p = bind(declared, dict(d=d, n=n, tau=tau, sparsity=sparsity, noise=noise, l2=l2, radius=radius,
                            seed_problem=seed_problem), owner)
    d, n = p["d"], p["n"]
    if n * d > 2 * 10**8:
        raise InputError(f"n*d={n * d} is too large for a dense synthetic problem (max 2e8)")
    tau = 5.0 / d if p.get("tau") is None else p["tau"]
    if tau <= 1.0 / d:
        raise InputError(f"tau={tau!r} must be > 1/d = {1.0 / d:g} (Assumption B.2)")
    return d, n, tau, p["sparsity"], p["noise"], p["l2"], p["radius"], p["seed_problem"]


def exptail_linear(d: int = 50, n: int = 1000, tau: float | None = None, sparsity: float = 0.0,
                   noise: float = 0.1, l2: float = 0.0, radius: float = 1.0,
                   seed_problem: int = 0) -> FiniteSumProblem:
    """Least squares ``(1/(2n)) ||X w - y||^2 + (l2/2)||w||^2`` on exponential-tail features."""
    d, n, tau, sparsity, noise, l2, radius, seed_problem = _params(
        LINEAR_PARAMS, "problem 'exptail-linear'", d, n, tau, sparsity, noise, l2, radius, seed_problem)
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
        LOGISTIC_PARAMS, "problem 'exptail-logistic'", d, n, tau, sparsity, noise, l2, radius, seed_problem)
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


LINEAR = ProblemSpec(
    name="exptail-linear",
    title="Least squares on exponential-tail features",
    make=exptail_linear,
    params=LINEAR_PARAMS,
    doc="(1/(2n)) ||X w - y||^2 + (l2/2)||w||^2, y = X w_o + noise xi; W = [-B, B]^d around w*",
    reference="Liu et al. 2025, Assumption B.2 / Example B.1",
    test_params=({"d": 8, "n": 60, "sparsity": 0.3, "l2": 0.01}, {"d": 6, "n": 40, "noise": 0.0},
                 {"d": 6, "n": 40, "l2": 0.01, "rotation": "haar"}),
    transforms=(ROTATE,),
)
LOGISTIC = ProblemSpec(
    name="exptail-logistic",
    title="l2-regularized logistic regression on exponential-tail features",
    make=exptail_logistic,
    params=LOGISTIC_PARAMS,
    doc="(1/n) sum_i log(1 + exp(-y_i x_i^T w)) + (l2/2)||w||^2, y = sign(X w_o + noise xi); "
        "W = [-B, B]^d around w*",
    reference="Liu et al. 2025, Assumption B.2 / Example B.1",
    test_params=({"d": 8, "n": 60}, {"d": 8, "n": 60, "rotation": "blocks:2", "seed_rotation": 4}),
    transforms=(ROTATE,),
)
