r"""``sparse-linear``: least squares on rare features (the AdaGrad tutorial's setting; seed 004).

Feature j of sample i is present with probability :math:`p_j = p_{\max} (j+1)^{-s}` (a Zipf
law, like word frequencies: coordinate 0 the most frequent, d-1 the rarest) and then standard
normal; absent features are exactly 0 (at least one sample carries each feature):

.. math::  x_{ij} = B_{ij} Z_{ij},\quad B_{ij} \sim \mathrm{Bernoulli}(p_j),\ Z_{ij} \sim N(0, 1),
           \qquad y = X w_\circ + \text{noise}\cdot\xi,\ w_\circ \sim U(-1, 1)^d .

:math:`f(w) = \frac1{2n}\|Xw - y\|^2 + \frac{\lambda_2}2\|w\|^2` with :math:`\lambda_2 = 0` by
default, so that a stochastic gradient :math:`(x_i^\top w - y_i) x_i` is zero outside the
support of :math:`x_i`: coordinate j of :math:`g_t` is non-zero in a fraction :math:`\approx p_j`
of the steps (M = 1). (A ridge term :math:`\lambda_2 w` would make every coordinate non-zero at
every step.) :math:`H_{jj} = \frac1n\sum_i x_{ij}^2 \approx p_j`. The constants are those of
:class:`~boundcheck.problems.finite_sum.FiniteSumProblem` (certified L and sigma, f* by the
normal equations, the box W around w*).
"""

from __future__ import annotations

import numpy as np

from boundcheck.params import Param, bind
from boundcheck.validation import InputError

from .finite_sum import FiniteSumProblem
from .rotation import ROTATE
from .spec import ProblemSpec

PARAMS = (
    Param("d", "int", 50, "dimension", low=1, high=10**5, search=(2, 256, "log")),
    Param("n", "int", 2000, "number of samples", low=1, high=10**7, search=(64, 8192, "log")),
    Param("zipf", "float", 1.0, "exponent s of the feature frequencies p_j = p_max (j+1)^-s", low=0.0,
          search=(0.0, 2.0, "linear")),
    Param("p_max", "float", 0.5, "frequency of the most frequent feature", low=0.0, low_open=True, high=1.0,
          search=(0.05, 1.0, "linear")),
    Param("noise", "float", 0.1, "label noise scale", low=0.0, search=(0.0, 2.0, "linear")),
    Param("l2", "float", 0.0, "ridge coefficient l2 >= 0 (0 keeps the stochastic gradients sparse)", low=0.0,
          search=(1e-4, 1.0, "log")),
    Param("radius", "float", 1.0, "minimum half-width B of the box W = [-B, B]^d", low=0.0, low_open=True,
          search=(0.5, 4.0, "log")),
    Param("seed_problem", "int", 0, "seed of the instance (features, planted w, labels)", low=0,
          search=(0, 10**6, "linear")),
)


def frequencies(d: int, zipf: float, p_max: float) -> np.ndarray:
    """``p_j = p_max (j + 1)^-zipf``, j = 0..d-1."""
    return p_max * (np.arange(1, d + 1, dtype=np.float64) ** -zipf)


def sparse_linear(d: int = 50, n: int = 2000, zipf: float = 1.0, p_max: float = 0.5, noise: float = 0.1,
                  l2: float = 0.0, radius: float = 1.0, seed_problem: int = 0) -> FiniteSumProblem:
    """See the module docstring."""
    p = bind(PARAMS, dict(d=d, n=n, zipf=zipf, p_max=p_max, noise=noise, l2=l2, radius=radius,
                          seed_problem=seed_problem), "problem 'sparse-linear'")
    d, n = p["d"], p["n"]
    if n * d > 2 * 10**8:
        raise InputError(f"n*d={n * d} is too large for a dense synthetic problem (max 2e8)")
    rng = np.random.default_rng(np.random.SeedSequence(p["seed_problem"], spawn_key=(106,)))
    freq = frequencies(d, p["zipf"], p["p_max"])
    B = rng.random((n, d)) < freq
    B[rng.integers(0, n, size=d), np.arange(d)] = True
    X = np.where(B, rng.standard_normal((n, d)), 0.0)
    w0 = rng.uniform(-1.0, 1.0, size=d)
    y = X @ w0 + p["noise"] * rng.standard_normal(n)
    params = dict(zipf=p["zipf"], p_max=p["p_max"], noise=p["noise"], radius=p["radius"],
                  seed_problem=p["seed_problem"])
    prob = FiniteSumProblem(X, y, "squared", l2=p["l2"], domain="auto", name="sparse-linear", params=params,
                            radius=p["radius"])
    prob.feature_frequency = freq
    return prob


SPEC = ProblemSpec(
    name="sparse-linear",
    title="Least squares on rare (Zipf-frequency) features",
    make=sparse_linear,
    params=PARAMS,
    doc="(1/(2n)) ||X w - y||^2 + (l2/2)||w||^2, feature j present with probability p_max (j+1)^-zipf; "
        "sparse stochastic gradients (l2 = 0); W = [-B, B]^d around w*",
    reference="seed 004 (AdaGrad tutorial: rare features); Duchi, Hazan, Singer 2011",
    test_params=({"d": 8, "n": 80}, {"d": 6, "n": 60, "zipf": 2.0, "l2": 0.01, "rotation": "permutation"}),
    transforms=(ROTATE,),
)

__all__ = ["SPEC", "sparse_linear", "frequencies"]
