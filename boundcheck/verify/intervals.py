"""One-sided confidence limits for a mean from R replicas, and the matching p-values.

A theorem bounds an expectation ``mu = E Y`` over the algorithm's randomness; boundcheck sees
R independent replicas ``Y_1..Y_R``. Two different claims are made from them, and each uses
its own one-sided limit at level ``1 - alpha``:

``holds``     needs an *upper* limit ``U`` with ``P(mu <= U) >= 1 - alpha``: an upper limit
              that under-covers leans towards ``holds`` (issue 13).
``violated``  needs a *lower* limit ``L`` with ``P(mu >= L) >= 1 - alpha``, equivalently a
              p-value for ``H0: mu <= b`` (``p <= alpha`` iff ``L > b``); these p-values are
              combined family-wise (Holm, :mod:`.decisions`).

Chosen methods (by the coverage study ``benchmarks/coverage.py``)
-----------------------------------------------------------------
Upper limit: **Cantelli** (one-sided Chebyshev), ``U = mean + sqrt((1-alpha)/alpha) s/sqrt(R)``.
  Cantelli's inequality (Cantelli 1928; e.g. Grimmett & Stirzaker, *Probability and Random
  Processes*, 3rd ed., ex. 7.11.9) gives ``P(mean - mu <= -k sigma/sqrt(R)) <= 1/(1+k^2)``
  for *any* distribution with variance ``sigma^2``; with ``k = sqrt((1-alpha)/alpha)`` the
  right side is ``alpha``. The sample standard deviation ``s`` replaces ``sigma`` (the US EPA's
  ProUCL "Chebyshev (mean, sd) UCL" is this limit). No upper limit for the mean of an unbounded
  variable has guaranteed coverage (Bahadur & Savage 1956, Ann. Math. Stat. 27:1115), so the
  choice is empirical: of Student-t, BCa, studentized bootstrap and Hall's (1992) transformation,
  Cantelli is the only method whose simulated coverage at R = 32 was within 1 percentage point
  of nominal (in fact above it) on lognormal(0, 1), gamma(0.5), Pareto(3) and the project's own
  gaps; the studentized bootstrap, the best of the others, was 1.7 points short at the 0.995
  level and 4.5-5.5 points short at 0.95 on lognormal and Pareto(3) (2000 simulations/cell). The price is width: at ``alpha = 0.005`` the Cantelli
  multiplier is 14.1 against Student-t's 2.7 at R = 32 (see the benchmark's width column).

Lower limit and p-value: **Student-t**, ``L = mean - t_{1-alpha, R-1} s/sqrt(R)`` and
  ``p = P(t_{R-1} >= (mean - b) sqrt(R)/s)``. The replica quantities of boundcheck are
  non-negative and right-skewed (gaps, norms); under right skew the t lower limit over-covers
  (false ``violated`` is rarer than nominal; measured in the benchmark), and its p-values are
  continuous, so Holm's thresholds ``alpha/m`` are reachable for any family size ``m`` (a
  bootstrap p-value is limited to ``1/(B+1)``). Under *left* skew it under-covers (the
  benchmark's mirrored rows show by how much); a quantity with a heavy left tail should pass
  ``lower_method="bootstrap-t"``.

The other methods are kept for the coverage study and as options:
``student-t`` (both sides), ``bootstrap-t`` (studentized bootstrap, Efron & Tibshirani 1993,
*An Introduction to the Bootstrap*, ch. 12.5; Hall 1988, Ann. Statist. 16:927), ``bca``
(bias-corrected and accelerated, Efron 1987, JASA 82:171, via :func:`scipy.stats.bootstrap`).

Every function works on the last axis of ``x`` (shape ``(..., R)``), so a coverage study can
pass thousands of simulated samples at once. The bootstrap methods are seeded: the same data
give the same limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import special as _sp
from scipy import stats as _st

#: Resamples of the bootstrap methods.
N_RESAMPLES = 1999
#: Seed of the bootstrap methods (a limit is a deterministic function of the data).
BOOTSTRAP_SEED = 20250113


def _mean_sd(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    if n < 2:
        raise ValueError("a one-sided limit needs at least two replicas")
    return x.mean(axis=-1), x.std(axis=-1, ddof=1), n


def _check_alpha(alpha: float) -> None:
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")


# ---------------------------------------------------------------------------- Student-t
def student_t_upper(x, alpha: float):
    """``mean + t_{1-alpha, R-1} s/sqrt(R)``."""
    _check_alpha(alpha)
    m, s, n = _mean_sd(x)
    return m + _sp.stdtrit(n - 1, 1.0 - alpha) * s / math.sqrt(n)


def student_t_lower(x, alpha: float):
    """``mean - t_{1-alpha, R-1} s/sqrt(R)``."""
    _check_alpha(alpha)
    m, s, n = _mean_sd(x)
    return m - _sp.stdtrit(n - 1, 1.0 - alpha) * s / math.sqrt(n)


def student_t_p_exceeds(x, bound):
    """One-sided p-value of ``H0: mu <= bound`` against ``mu > bound``: ``P(t_{R-1} >= t_obs)``
    with ``t_obs = (mean - bound) sqrt(R)/s``; ``p <= alpha`` iff ``student_t_lower(x, alpha) >
    bound``. Zero spread: ``p = 0`` if ``mean > bound`` else 1."""
    m, s, n = _mean_sd(x)
    b = np.asarray(bound, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (m - b) * math.sqrt(n) / s
    p = _sp.stdtr(n - 1, -t)  # P(t_{n-1} >= t)
    return np.where(s > 0, p, np.where(m > b, 0.0, 1.0))


# ---------------------------------------------------------------------------- Cantelli
def cantelli_multiplier(alpha: float) -> float:
    """``k = sqrt((1 - alpha)/alpha)``: Cantelli's bound ``1/(1 + k^2)`` equals ``alpha``."""
    _check_alpha(alpha)
    return math.sqrt((1.0 - alpha) / alpha)


def cantelli_upper(x, alpha: float):
    """``mean + sqrt((1-alpha)/alpha) s/sqrt(R)`` (see module docstring)."""
    m, s, n = _mean_sd(x)
    return m + cantelli_multiplier(alpha) * s / math.sqrt(n)


def cantelli_lower(x, alpha: float):
    """``mean - sqrt((1-alpha)/alpha) s/sqrt(R)``."""
    m, s, n = _mean_sd(x)
    return m - cantelli_multiplier(alpha) * s / math.sqrt(n)


def cantelli_p_exceeds(x, bound):
    """``p = 1/(1 + t^2)`` for ``t = (mean - bound) sqrt(R)/s > 0``, else 1 (the inversion of
    :func:`cantelli_lower`)."""
    m, s, n = _mean_sd(x)
    b = np.asarray(bound, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (m - b) * math.sqrt(n) / s
    p = np.where(t > 0, 1.0 / (1.0 + t * t), 1.0)
    return np.where(s > 0, p, np.where(m > b, 0.0, 1.0))


# ---------------------------------------------------------------------------- bootstrap
def _bootstrap_t_stats(x: np.ndarray, n_resamples: int, seed: int, chunk: int = 256):
    """Studentized resampled statistics ``t* = (mean* - mean) sqrt(R)/s*`` (shape
    ``(..., B)``), the same resampling indices for every leading index (seeded)."""
    x = np.asarray(x, dtype=np.float64)
    lead, n = x.shape[:-1], x.shape[-1]
    flat = x.reshape(-1, n)
    idx = np.random.default_rng(seed).integers(0, n, size=(n_resamples, n))
    out = np.empty((flat.shape[0], n_resamples))
    m = flat.mean(axis=1)
    for i0 in range(0, flat.shape[0], chunk):
        xs = flat[i0:i0 + chunk][:, idx]  # (c, B, n)
        ms = xs.mean(axis=2)
        ss = xs.std(axis=2, ddof=1)
        d = ms - m[i0:i0 + chunk, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = d * math.sqrt(n) / ss
        # a resample of identical values: t* = 0 if it reproduces the mean, else +-inf
        out[i0:i0 + chunk] = np.where(ss > 0, t, np.where(d == 0, 0.0, np.copysign(np.inf, d)))
    return out.reshape(*lead, n_resamples)


def bootstrap_t_upper(x, alpha: float, n_resamples: int = N_RESAMPLES, seed: int = BOOTSTRAP_SEED):
    """Studentized bootstrap upper limit ``mean - q*_alpha s/sqrt(R)``, ``q*_alpha`` the
    alpha-quantile of the resampled t statistics (Efron & Tibshirani 1993, eq. 12.22)."""
    _check_alpha(alpha)
    m, s, n = _mean_sd(x)
    q = np.quantile(_bootstrap_t_stats(x, n_resamples, seed), alpha, axis=-1, method="inverted_cdf")
    return m - q * s / math.sqrt(n)


def bootstrap_t_lower(x, alpha: float, n_resamples: int = N_RESAMPLES, seed: int = BOOTSTRAP_SEED):
    """Studentized bootstrap lower limit ``mean - q*_{1-alpha} s/sqrt(R)``."""
    _check_alpha(alpha)
    m, s, n = _mean_sd(x)
    q = np.quantile(_bootstrap_t_stats(x, n_resamples, seed), 1.0 - alpha, axis=-1, method="inverted_cdf")
    return m - q * s / math.sqrt(n)


def bootstrap_t_p_exceeds(x, bound, n_resamples: int = N_RESAMPLES, seed: int = BOOTSTRAP_SEED):
    """``p = (1 + #{t* >= t_obs})/(B + 1)``, ``t_obs = (mean - bound) sqrt(R)/s``."""
    m, s, n = _mean_sd(x)
    ts = _bootstrap_t_stats(x, n_resamples, seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (m - np.asarray(bound, dtype=np.float64)) * math.sqrt(n) / s
    p = (1.0 + np.sum(ts >= np.asarray(t)[..., None], axis=-1)) / (n_resamples + 1.0)
    return np.where(s > 0, p, np.where(m > bound, 0.0, 1.0))


def bca_limit(x, alpha: float, side: str, n_resamples: int = N_RESAMPLES, seed: int = BOOTSTRAP_SEED):
    """BCa one-sided limit of the mean via :func:`scipy.stats.bootstrap` (``alternative``
    'less' gives an upper limit, 'greater' a lower one)."""
    _check_alpha(alpha)
    x = np.asarray(x, dtype=np.float64)
    res = _st.bootstrap((x,), np.mean, confidence_level=1.0 - alpha, n_resamples=n_resamples,
                        method="BCa", axis=-1, vectorized=True,
                        alternative="less" if side == "upper" else "greater",
                        random_state=np.random.default_rng(seed))
    ci = res.confidence_interval
    return ci.high if side == "upper" else ci.low


# ---------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Method:
    """A one-sided limit method: ``upper(x, alpha)``, ``lower(x, alpha)``, and
    ``p_exceeds(x, bound)`` (p-value of ``H0: mu <= bound``; None if the method has none)."""

    name: str
    upper: Callable
    lower: Callable
    p_exceeds: Callable | None
    reference: str


METHODS: dict[str, Method] = {m.name: m for m in (
    Method("student-t", student_t_upper, student_t_lower, student_t_p_exceeds, "Student 1908"),
    Method("cantelli", cantelli_upper, cantelli_lower, cantelli_p_exceeds, "Cantelli 1928"),
    Method("bootstrap-t", bootstrap_t_upper, bootstrap_t_lower, bootstrap_t_p_exceeds,
           "Efron & Tibshirani 1993, ch. 12.5"),
    Method("bca", lambda x, a: bca_limit(x, a, "upper"), lambda x, a: bca_limit(x, a, "lower"), None,
           "Efron 1987"),
)}

#: The methods chosen by the coverage study (see module docstring).
UPPER_METHOD = "cantelli"
LOWER_METHOD = "student-t"


def method(name: str) -> Method:
    try:
        return METHODS[name]
    except KeyError:
        raise ValueError(f"unknown interval method {name!r}; known: {', '.join(METHODS)}") from None


def upper_limit(x, alpha: float, method_name: str = UPPER_METHOD):
    """One-sided upper limit of the mean at level ``1 - alpha`` (last axis = replicas)."""
    return method(method_name).upper(x, alpha)


def lower_limit(x, alpha: float, method_name: str = LOWER_METHOD):
    """One-sided lower limit of the mean at level ``1 - alpha`` (last axis = replicas)."""
    return method(method_name).lower(x, alpha)


def p_value_exceeds(x, bound, method_name: str = LOWER_METHOD):
    """One-sided p-value of ``H0: E Y <= bound`` (small: evidence that the mean exceeds the
    bound), consistent with :func:`lower_limit` of the same method: ``p <= alpha`` iff
    ``lower_limit(x, alpha) > bound`` (up to the bootstrap's resolution)."""
    f = method(method_name).p_exceeds
    if f is None:
        raise ValueError(f"method {method_name!r} has no p-value; use one of "
                         f"{', '.join(k for k, v in METHODS.items() if v.p_exceeds)}")
    return f(x, bound)


__all__ = ["N_RESAMPLES", "BOOTSTRAP_SEED", "Method", "METHODS", "UPPER_METHOD", "LOWER_METHOD", "method",
           "upper_limit", "lower_limit", "p_value_exceeds", "student_t_upper", "student_t_lower",
           "student_t_p_exceeds", "cantelli_multiplier", "cantelli_upper", "cantelli_lower",
           "cantelli_p_exceeds", "bootstrap_t_upper", "bootstrap_t_lower", "bootstrap_t_p_exceeds",
           "bca_limit"]
