"""Confidence intervals, verdicts and rate fits for bound-vs-empirical checks.

The theorems bound *expectations* over the algorithm's randomness. boundcheck estimates
each expectation from R independent seeded replicas and reports a two-sided confidence
interval at level ``confidence`` (default 0.99).

Interval method (documented contract)
-------------------------------------
Student-t interval for the mean of the per-replica values, ``mean +/- t_{1-a/2, R-1} s/sqrt(R)``
with ``a = 1 - confidence``. For quantities of the form ``(E Y)^2`` with ``Y >= 0`` (Theorems
4.3/5.3 and AdaGrad-Norm's nonconvex result) the interval for ``E Y`` is computed and mapped
through the monotone ``y -> y^2`` (clipped at 0), which keeps its coverage.

Verdicts
--------
``holds``         the whole interval lies below the bound (``ci_high < bound``);
``violated``      the whole interval lies above the bound (``ci_low > bound``);
``inconclusive``  the interval contains the bound;
``diverged``      more than ``max_diverged_fraction`` of the replicas diverged;
``error``         the check could not be computed (reason given);
``n/a``           not a check: a row that has no bound by design (e.g. ``sweep batch``'s tuned
                  grid, the paper's Table 3), reported for its measurement only.

If the true mean is ``m <= bound``, ``violated`` needs ``ci_low > bound >= m``, which happens
with probability at most ``(1 - confidence)/2`` (one tail of the interval): the false-violation
rate is at most the nominal rate, and far below it when ``m`` is well under the bound.

Issue 13 (verdicts a referee can trust) replaces these rules, module by module, kept apart
from this one so that existing callers keep working until they switch:

- :mod:`.intervals`: one-sided limits chosen by ``benchmarks/coverage.py`` (Cantelli upper
  limit for ``holds``, Student-t lower limit and p-value for ``violated``);
- :mod:`.tolerance`: the rounding tolerance of an exact comparison;
- :mod:`.decisions`: a row's decision (rounding, diverged replicas at the worst case) and the
  family-wise ``violated`` (Holm);
- :mod:`.sequential`: ``--until-decided``; :mod:`.comparisons`: ``agrees``/``disagrees`` rows;
  :mod:`.exit_codes`: the exit-code policy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats as _st

#: A cell whose diverged replicas exceed this fraction gets the verdict ``diverged``.
MAX_DIVERGED_FRACTION = 0.1

Verdict = Literal["holds", "violated", "inconclusive", "diverged", "error", "n/a"]
#: Every row verdict. ``n/a`` (added by issue 15, after the others: nothing was renamed) marks
#: rows without a bound by design; it never counts as a check (exit code 0 alone).
NOT_APPLICABLE = "n/a"
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


def squared_mean_interval(values, confidence: float = 0.99) -> Interval:
    """Interval for ``(E Y)^2`` from samples of ``Y >= 0``: the t-interval for ``E Y``
    mapped through ``y -> max(y, 0)^2`` (monotone on ``y >= 0``, so coverage is kept)."""
    iv = mean_interval(values, confidence)
    sq = lambda y: max(y, 0.0) ** 2  # noqa: E731
    return Interval(iv.estimate**2, sq(iv.low), sq(iv.high) if math.isfinite(iv.high) else math.inf,
                    iv.n, confidence, method="student-t, squared")


def verdict(interval: Interval | None, bound: float | None, *, n_diverged: int = 0,
            n_total: int | None = None, max_diverged_fraction: float = MAX_DIVERGED_FRACTION) -> Verdict:
    """The verdict of an interval against an upper bound (see module docstring)."""
    if n_total is not None and n_total > 0 and n_diverged / n_total > max_diverged_fraction:
        return "diverged"
    if interval is None or bound is None or math.isnan(bound):
        return "error"
    if interval.high < bound:
        return "holds"
    if interval.low > bound:
        return "violated"
    return "inconclusive"


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
    return SlopeFit(slope, float(lo), float(hi), intercept, confidence)


def interval_for(quantity, samples, confidence: float) -> Interval:
    """The interval of a quantity's form (:class:`boundcheck.theory.quantity.Quantity`): the mean
    interval for ``E Y``, the squared one for ``(E Y)^2``."""
    return (squared_mean_interval if quantity.squared_mean else mean_interval)(samples, confidence)


__all__ = ["Interval", "Verdict", "VERDICTS", "NOT_APPLICABLE", "mean_interval", "squared_mean_interval", "verdict", "interval_for",
           "SlopeFit", "loglog_slope", "fit_rate"]
