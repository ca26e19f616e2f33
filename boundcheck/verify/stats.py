"""Descriptive intervals and log-log rate fits (the verdict rules are in :mod:`.decisions`).

- :func:`mean_interval`: the two-sided Student-t interval of a mean, used where no bound is
  decided (the batch sweep's grid rows describe the best step size found);
- :func:`fit_rate`: the log-log slope of a quantity in T with a percentile bootstrap interval
  (``sweep T``'s rate rows, which :mod:`.comparisons` then compares with the bound's slope).

How a row is decided against its bound (one-sided limits chosen by a coverage study, the
rounding tolerance, diverged replicas at the worst end, Holm over a command's rows) is
:mod:`.decisions`, with :mod:`.intervals`, :mod:`.tolerance`, :mod:`.sequential` (decided runs)
and :mod:`.comparisons` (prediction rows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

#: A cell whose diverged replicas exceed this fraction gets the verdict ``diverged``.
MAX_DIVERGED_FRACTION = 0.1

#: A row that has no bound by design (``sweep batch``'s tuned grid, the paper's Table 3): a
#: measurement, not a check. Added by issue 15 after the others (nothing was renamed); it never
#: counts as a check (a run of such rows only exits 0).
NOT_APPLICABLE = "n/a"
#: The verdicts of a row checked against a bound, and ``n/a`` (comparison rows: ``.comparisons``).
VERDICTS: tuple[str, ...] = ("holds", "violated", "inconclusive", "diverged", "error", NOT_APPLICABLE)


@dataclass(frozen=True)
class Interval:
    """An estimate with a two-sided confidence interval."""

    estimate: float
    low: float
    high: float
    n: int
    confidence: float
    method: str = "student-t"


def mean_interval(values, confidence: float = 0.99) -> Interval:
    """Student-t interval for the mean of ``values`` (1-d, finite). With one value the
    interval is unbounded on both sides (nothing can be concluded)."""
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        raise ValueError("no values to estimate a mean from")
    if not np.all(np.isfinite(x)):
        raise ValueError("non-finite values; drop diverged replicas first")
    m = float(np.mean(x))
    if x.size == 1:
        return Interval(m, -math.inf, math.inf, 1, confidence)
    s = float(np.std(x, ddof=1))
    half = float(_st.t.ppf(0.5 + confidence / 2.0, df=x.size - 1)) * s / math.sqrt(x.size)
    return Interval(m, m - half, m + half, int(x.size), confidence)


@dataclass(frozen=True)
class SlopeFit:
    """A log-log slope ``log y = a + slope * log x`` with a bootstrap interval."""

    slope: float
    low: float
    high: float
    intercept: float
    confidence: float


def loglog_slope(x, y) -> tuple[float, float]:
    """Least-squares slope and intercept of log(y) against log(x)."""
    lx, ly = np.log(np.asarray(x, float)), np.log(np.asarray(y, float))
    A = np.vstack([np.ones_like(lx), lx]).T
    (a, b), *_ = np.linalg.lstsq(A, ly, rcond=None)
    return float(b), float(a)


def fit_rate(x, samples, confidence: float = 0.99, n_boot: int = 2000, seed: int = 0) -> SlopeFit:
    """Fit the log-log slope of the mean of ``samples`` (shape (K, R): K values of ``x``, R
    replicas per value) against ``x``, with a percentile bootstrap interval over replicas.

    Replicas are resampled independently per ``x`` value; the bootstrap's own randomness is
    seeded, so the same inputs give the same interval.
    """
    s = np.asarray(samples, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if s.ndim != 2 or s.shape[0] != x.size or x.size < 2:
        raise ValueError("samples must have shape (len(x), R) with at least two x values")
    means = s.mean(axis=1)
    if np.any(means <= 0):
        raise ValueError("a log-log fit needs positive means")
    slope, intercept = loglog_slope(x, means)
    rng = np.random.default_rng(seed)
    K, R = s.shape
    idx = rng.integers(0, R, size=(n_boot, K, R))
    boot_means = np.take_along_axis(s[None, :, :], idx, axis=2).mean(axis=2)
    boot_means = np.where(boot_means > 0, boot_means, np.nan)
    lx = np.log(x)
    lxc = lx - lx.mean()
    ly = np.log(boot_means)
    slopes = (ly - np.nanmean(ly, axis=1, keepdims=True)) @ lxc / (lxc @ lxc)
    slopes = slopes[np.isfinite(slopes)]
    a = 1.0 - confidence
    lo, hi = np.quantile(slopes, [a / 2, 1 - a / 2]) if slopes.size else (-math.inf, math.inf)
    # The point slope (lstsq) and the bootstrap slopes (centred formula) round differently; when
    # every replica is identical both are rounding noise (1.8e-16 vs 4.8e-32 on a noiseless
    # AdaGrad run) and the interval would miss its own estimate. It must contain it.
    lo, hi = min(float(lo), slope), max(float(hi), slope)
    return SlopeFit(slope, lo, hi, intercept, confidence)


__all__ = ["NOT_APPLICABLE", "MAX_DIVERGED_FRACTION", "Interval", "VERDICTS", "mean_interval", "SlopeFit", "loglog_slope",
           "fit_rate"]
