"""When is a float32 run too imprecise for its own confidence interval?

The interval of a run's statistic reflects sampling noise only. Rounding adds an error the
interval does not see. boundcheck flags a float32 statistic when a first-order worst-case
rounding budget exceeds the interval's half-width:

.. math::

    \\text{budget} = \\epsilon_{32}\\, T\\, \\text{magnitude}, \\qquad
    \\text{half-width} = t_{1-a/2,\\,n-1}\\, s / \\sqrt{n},

with :math:`\\epsilon_{32} = 2^{-23}` (float32 machine epsilon), T the number of iterations
(each update of the iterate rounds once per coordinate; a worst-case recursive sum of T
terms carries a relative error up to :math:`(T-1) u`, Higham 2002, eq. (4.4)), and the
t-interval at ``confidence`` (default 0.99, the verify layer's default) over the n finite
replicas. *magnitude* is ``max_r |value_r|``; for a gap metric ``f(w) - f*`` the loss is
rounded as ``f(w)``, not as the gap, so ``|f*|`` is added. With fewer than two finite
replicas the interval is unbounded and nothing is flagged.

The rule is a heuristic warning (the budget is a worst case; typical errors grow like
``sqrt(T) u``), never a change to the numbers: the fix is ``--dtype float64``.
"""

from __future__ import annotations

import math

import numpy as np

EPS_FLOAT32 = float(np.finfo(np.float32).eps)


def float32_budget(values, T: int, f_star: float | None = None, gap: bool = False) -> float:
    """``eps_32 * T * magnitude`` of per-replica ``values`` (see module docstring)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    mag = float(np.max(np.abs(v))) if v.size else 0.0
    if gap and f_star is not None and math.isfinite(f_star):
        mag += abs(float(f_star))
    return EPS_FLOAT32 * int(T) * mag


def half_width(values, confidence: float = 0.99) -> float:
    """Half-width of the Student-t interval of the mean of the finite ``values`` (inf if n < 2)."""
    from scipy import stats

    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size < 2:
        return math.inf
    return float(stats.t.ppf(0.5 + confidence / 2.0, df=v.size - 1)) * float(np.std(v, ddof=1)) / math.sqrt(v.size)


def float32_warning(values, T: int, f_star: float | None = None, gap: bool = False,
                    confidence: float = 0.99) -> bool:
    """True when the float32 rounding budget exceeds the interval half-width."""
    return float32_budget(values, T, f_star, gap) > half_width(values, confidence)


__all__ = ["EPS_FLOAT32", "float32_budget", "half_width", "float32_warning"]
