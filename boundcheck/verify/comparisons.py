"""Comparison rows: a prediction against an observed ratio with its interval (issue 13).

Some rows do not check an upper bound but a *prediction*: the bounds of Theorem 4.1 and
Theorem D.1 predict that AdaGrad's error is below SGD's (a ratio below 1), or that the ratio
of the errors is near the ratio of the bounds. Such a row is never ``holds``/``violated``; it
reads ``agrees``, ``disagrees`` or ``inconclusive``:

- the prediction is a region ``[p_low, p_high]`` of the ratio (either end may be infinite):
  an ordering ``A < B`` is ``[0, 1]``, "the ratio is at most rho" is ``[-inf, rho]``, "the
  ratio is rho within a factor f" is ``[rho/f, rho*f]``;
- ``agrees`` iff the observed interval ``[lo, hi]`` lies inside the region, ``disagrees`` iff
  it lies entirely outside (the two are disjoint), ``inconclusive`` otherwise. This is the
  interval-inclusion form of an equivalence test (Schuirmann 1987, J. Pharmacokin. Biopharm.
  15:657): each answer is wrong with probability at most the interval's non-coverage.
- rounding (``rtol``, from :mod:`boundcheck.verify.tolerance`): where the two sides are equal
  in exact arithmetic (same draws, an equivariant method) the interval has zero width and its
  last bits would decide (a ratio of 1.0000000000000056 "agreeing" with ``A > B``). The
  interval is widened by ``rtol`` on each side; and an interval that equals the boundary of a
  strict ordering within ``rtol`` is ``disagrees``: equality is not ``A > B``.

:func:`ratio_interval` gives the interval of ``E X / E Y``: the delta method on the log ratio,
``log(mean_x/mean_y) +/- t * sqrt(s_x^2/(n mean_x^2) + s_y^2/(m mean_y^2) - 2 cov)`` with
Student-t quantiles (Welch-Satterthwaite degrees of freedom for independent samples, ``n - 1``
for paired ones, where ``cov`` is the paired covariance term), exponentiated (Casella &
Berger, *Statistical Inference*, 2nd ed., Sec. 5.5.4). It needs positive means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

COMPARISON_VERDICTS = ("agrees", "disagrees", "inconclusive")


@dataclass(frozen=True)
class Prediction:
    """A predicted region ``[low, high]`` of a ratio, with the text shown in the row."""

    low: float
    high: float
    text: str
    #: a strict ordering (``A < B`` or ``A > B``): its boundary value ``1`` is outside the region
    strict: bool = False

    @classmethod
    def ordering(cls, relation: str, a: str = "A", b: str = "B") -> "Prediction":
        """``relation`` '<' (``E A < E B``: ratio in ``[0, 1]``) or '>' (``[1, inf]``)."""
        if relation == "<":
            return cls(0.0, 1.0, f"{a} < {b}", strict=True)
        if relation == ">":
            return cls(1.0, math.inf, f"{a} > {b}", strict=True)
        raise ValueError(f"relation must be '<' or '>', got {relation!r}")

    @classmethod
    def at_most(cls, rho: float) -> "Prediction":
        return cls(-math.inf, float(rho), f"ratio <= {rho:.4g}")

    @classmethod
    def near(cls, rho: float, factor: float) -> "Prediction":
        """The ratio is ``rho`` within a factor ``factor >= 1``."""
        if not rho > 0 or not factor >= 1:
            raise ValueError(f"need rho > 0 and factor >= 1, got {rho!r}, {factor!r}")
        return cls(rho / factor, rho * factor, f"ratio = {rho:.4g} within x{factor:g}")


@dataclass(frozen=True)
class Comparison:
    verdict: str
    prediction: Prediction
    estimate: float | None
    low: float
    high: float


def compare(low: float, high: float, prediction: Prediction, estimate: float | None = None,
            rtol: float = 0.0) -> Comparison:
    """``agrees`` / ``disagrees`` / ``inconclusive`` (module docstring; ``rtol``: the relative
    rounding tolerance of the compared values)."""
    if math.isnan(low) or math.isnan(high) or low > high:
        raise ValueError(f"need an interval low <= high, got [{low!r}, {high!r}]")
    if rtol > 0:
        if prediction.strict:
            edge = 1.0  # the boundary of an ordering region [0, 1] or [1, inf]
            if abs(low - edge) <= rtol * edge and abs(high - edge) <= rtol * edge:
                return Comparison("disagrees", prediction, estimate, float(low), float(high))
        low, high = low - rtol * abs(low), high + rtol * abs(high)
    if prediction.low <= low and high <= prediction.high:
        v = "agrees"
    elif high < prediction.low or low > prediction.high:
        v = "disagrees"
    else:
        v = "inconclusive"
    return Comparison(v, prediction, estimate, float(low), float(high))


@dataclass(frozen=True)
class RatioInterval:
    estimate: float
    low: float
    high: float
    confidence: float


def ratio_interval(x, y, confidence: float = 0.99, paired: bool = False) -> RatioInterval:
    """Two-sided interval of ``E X / E Y`` at ``confidence`` (module docstring)."""
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    n, m = x.size, y.size
    if n < 2 or m < 2:
        raise ValueError("a ratio interval needs at least two samples on each side")
    if paired and n != m:
        raise ValueError(f"paired samples must have equal sizes, got {n} and {m}")
    mx, my = float(x.mean()), float(y.mean())
    if not (mx > 0 and my > 0):
        raise ValueError("a ratio interval needs positive means")
    vx = float(x.var(ddof=1)) / (n * mx * mx)
    vy = float(y.var(ddof=1)) / (m * my * my)
    if paired:
        cov = float(np.cov(x, y, ddof=1)[0, 1]) / (n * mx * my)
        var, df = vx + vy - 2 * cov, n - 1
    else:
        var = vx + vy
        df = var * var / ((vx * vx) / (n - 1) + (vy * vy) / (m - 1)) if var > 0 else n + m - 2
    se = math.sqrt(max(var, 0.0))
    q = float(_st.t.ppf(0.5 + confidence / 2.0, df))
    lr = math.log(mx / my)
    return RatioInterval(mx / my, math.exp(lr - q * se), math.exp(lr + q * se), confidence)


__all__ = ["COMPARISON_VERDICTS", "Prediction", "Comparison", "compare", "RatioInterval", "ratio_interval"]
