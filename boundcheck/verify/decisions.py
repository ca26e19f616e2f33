"""The verdict of one row, and of a run's rows together (issue 13).

:func:`decide` turns a row's replica samples, its bound and a :class:`Context` into a
:class:`Decision`; :func:`apply_family` then decides ``violated`` for the rows of one
command together (Holm's method). The rules, in the order they apply:

1. **Too many diverged replicas.** More than ``max_diverged_fraction`` of the requested
   replicas diverged: verdict ``diverged`` (as before).
2. **Exact comparison.** If the run is deterministic (``Context.deterministic``: noise 0 or
   full batches) or the replicas agree to rounding (:func:`.tolerance.agree_to_rounding`),
   there is no sampling error and the quantity ``v`` is compared with the bound ``B`` under the
   rounding tolerance of :mod:`.tolerance` (``tau = rtol * max(|v|, |B|)``):
   ``|v - B| <= tau`` is ``holds (tight)`` with ratio exactly 1; ``v < B - tau`` is ``holds``;
   ``v > B + tau`` is ``violated`` (p-value 0). Only when no replica diverged.
3. **Diverged replicas count against the bound** (worst case). A diverged replica has no
   finite value, so the mean of a quantity with no known upper bound is, in the worst case,
   ``+inf``: with ``k > 0`` diverged replicas such a row cannot ``hold``; it reads
   ``inconclusive (k diverged)``. Where the per-replica quantity has a known range
   ``support = (lo, hi)`` the diverged replicas enter the upper limit at ``hi`` and the
   lower limit (the violation test) at ``lo`` - the values least favourable to each claim -
   and the statistics use all R replicas. Every quantity of boundcheck is ``>= 0``
   (``support = (0, inf)``): diverged replicas then count as 0 for ``violated`` (a violation is
   never claimed from a divergence) and make ``holds`` impossible.
4. **Sampling.** ``holds`` iff the one-sided upper limit at level ``1 - alpha`` (``alpha =
   (1 - confidence)/2``) lies below ``B - tau``; the row's p-value of ``H0: quantity <= B +
   tau`` (:func:`.intervals.p_value_exceeds`) decides ``violated`` at ``alpha`` for the row
   alone; the upper and lower limits are those of :mod:`.intervals` (Cantelli, Student-t). For
   ``(E Y)^2`` with ``Y >= 0`` the limits of ``E Y`` are squared (after clipping at 0) and the
   p-value is that of ``E Y <= sqrt(B + tau)``: the same events, so the same coverage.
5. **Family.** :func:`apply_family` keeps ``violated`` only for the rows Holm's
   step-down procedure rejects at the family level ``family_alpha`` (Holm 1979, Scand. J.
   Statist. 6:65): the probability that any row of the command is falsely ``violated`` is at
   most ``family_alpha`` whatever the number of rows. A row the family does not reject reads
   ``inconclusive (not significant at family level)``. Rows without a p-value (``diverged``,
   ``error``, O-form only) are not in the family.

Verdicts keep the vocabulary of :data:`.stats.VERDICTS`; the qualifier (``tight``, ``k
diverged``, ...) is :attr:`Decision.detail` and :attr:`Decision.label` joins them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from boundcheck.verify import intervals
from boundcheck.verify.stats import MAX_DIVERGED_FRACTION
from boundcheck.verify.tolerance import RoundingTolerance, agree_to_rounding, rounding_tolerance



@dataclass(frozen=True)
class Context:
    """What :func:`decide` needs besides the samples and the bound.

    ``confidence``: the two-sided level; each one-sided claim is made at ``alpha = (1 -
    confidence)/2``. ``squared_mean``: the quantity is ``(E Y)^2`` of samples ``Y >= 0``.
    ``n_diverged``/``n_requested``: diverged replicas (not in ``samples``) and the replicas
    asked for (default ``len(samples) + n_diverged``). ``support``: known range of one
    replica's ``Y`` (default ``(0, inf)``: every quantity of boundcheck is non-negative; pass
    ``(-inf, inf)`` for a paired difference). ``deterministic``: the replicas are identical by
    construction. ``tolerance``: the rounding rule (:func:`.tolerance.rounding_tolerance`; the
    default assumes one step). ``scale``: magnitude for the absolute tolerance when the bound
    is 0 (paired differences ``Y_r - B_r``: the mean of ``|B_r|``)."""

    confidence: float = 0.99
    squared_mean: bool = False
    n_diverged: int = 0
    n_requested: int | None = None
    max_diverged_fraction: float = MAX_DIVERGED_FRACTION
    support: tuple[float, float] = (0.0, math.inf)
    deterministic: bool = False
    tolerance: RoundingTolerance = field(default_factory=rounding_tolerance)
    scale: float | None = None
    upper_method: str = intervals.UPPER_METHOD
    lower_method: str = intervals.LOWER_METHOD

    @property
    def alpha(self) -> float:
        return (1.0 - self.confidence) / 2.0


@dataclass(frozen=True)
class Decision:
    """One row's decision. ``low``/``high``: limits of the quantity (lower: ``lower_method``,
    upper: ``upper_method``, each one-sided at ``alpha``, so ``[low, high]`` is a two-sided
    interval at level ``>= confidence``). ``p_value``: of ``H0: quantity <= bound`` (None
    when the row is not tested). ``exact``: decided by the rounding rule."""

    verdict: str
    detail: str | None
    estimate: float | None
    low: float | None
    high: float | None
    bound: float | None
    ratio: float | None
    p_value: float | None
    n: int
    n_diverged: int
    exact: bool = False
    rtol: float = 0.0
    method: str = ""

    @property
    def label(self) -> str:
        """``verdict`` or ``verdict (detail)``, e.g. ``holds (tight)``."""
        return f"{self.verdict} ({self.detail})" if self.detail else self.verdict


def _ratio(est: float | None, bound: float | None) -> float | None:
    if est is None or bound is None or not bound > 0 or not math.isfinite(est):
        return None
    return est / bound


def decide(samples, bound: float | None, context: Context | None = None) -> Decision:
    """The row-level decision of ``samples`` (finite per-replica values; diverged replicas
    are counted in ``context.n_diverged``, not passed) against ``bound`` (module docstring)."""
    ctx = context or Context()
    x = np.asarray(samples, dtype=np.float64).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError("non-finite samples; pass diverged replicas as context.n_diverged")
    k = int(ctx.n_diverged)
    R = int(ctx.n_requested) if ctx.n_requested is not None else x.size + k
    method = f"upper: {ctx.upper_method}, lower: {ctx.lower_method}"
    base = dict(n=int(x.size), n_diverged=k, rtol=ctx.tolerance.rtol, method=method)
    if R > 0 and k / R > ctx.max_diverged_fraction:
        return Decision("diverged", f"{k} of {R} diverged", None, None, None, bound, None, None, **base)
    if x.size == 0:
        return Decision("error", "no samples", None, None, None, bound, None, None, **base)
    if bound is None or (isinstance(bound, float) and math.isnan(bound)):
        return Decision("error", "no bound", None, None, None, bound, None, None, **base)
    bound = float(bound)
    m = float(x.mean())
    est = m * m if ctx.squared_mean else m
    lo_sup, hi_sup = ctx.support
    scale_vals = [est, bound] + ([ctx.scale] if ctx.scale is not None else [])
    tau = ctx.tolerance.absolute(*scale_vals)

    # 2. exact comparison
    if k == 0 and (ctx.deterministic or agree_to_rounding(x, ctx.tolerance)):
        base["method"] = "exact (rounding tolerance)"
        if abs(est - bound) <= tau:
            return Decision("holds", "tight", est, est, est, bound, 1.0, 1.0, exact=True, **base)
        if est < bound:
            return Decision("holds", None, est, est, est, bound, _ratio(est, bound), 1.0, exact=True, **base)
        return Decision("violated", None, est, est, est, bound, _ratio(est, bound), 0.0, exact=True, **base)

    # 3./4. sampling, diverged replicas at the least favourable end of the support
    a = ctx.alpha
    n_all = x.size + k
    if k and not math.isfinite(hi_sup):
        hi_mean = math.inf
    else:
        xh = np.concatenate([x, np.full(k, hi_sup)]) if k else x
        hi_mean = float(intervals.upper_limit(xh, a, ctx.upper_method)) if xh.size >= 2 else math.inf
    if k and not math.isfinite(lo_sup):
        lo_mean, p_mean = -math.inf, 1.0
        xl = None
    else:
        xl = np.concatenate([x, np.full(k, lo_sup)]) if k else x
        lo_mean = float(intervals.lower_limit(xl, a, ctx.lower_method)) if xl.size >= 2 else -math.inf
    b_test = bound + tau
    if ctx.squared_mean:
        sq = lambda y: max(y, 0.0) ** 2 if math.isfinite(y) else (math.inf if y > 0 else 0.0)  # noqa: E731
        low, high = sq(lo_mean), sq(hi_mean)
        b_mean = math.sqrt(b_test) if b_test >= 0 else None
    else:
        low, high = lo_mean, hi_mean
        b_mean = b_test
    if xl is None or xl.size < 2:
        p = 1.0
    elif b_mean is None:  # (E Y)^2 >= 0 > bound
        p = 0.0
    else:
        p = float(intervals.p_value_exceeds(xl, b_mean, ctx.lower_method))
    ratio = _ratio(est, bound)
    if high < bound - tau:
        verdict, detail = "holds", None
    elif p <= a:
        verdict, detail = "violated", None
    elif low >= bound - tau and high <= bound + tau:
        verdict, detail, ratio = "holds", "tight", 1.0
    else:
        verdict = "inconclusive"
        detail = f"{k} diverged" if k and not math.isfinite(hi_mean) else None
        if n_all < 2:
            detail = "one replica"
    return Decision(verdict, detail, est, low, high, bound, ratio, p, **base)


# ---------------------------------------------------------------------------- family
def holm(p_values: Sequence[float | None], alpha: float) -> list[bool]:
    """Holm's step-down procedure (Holm 1979): sort the ``m`` p-values, reject the i-th
    smallest (1-based) while ``p_(i) <= alpha / (m - i + 1)``, stop at the first that is not.
    Controls the family-wise error rate at ``alpha`` under any dependence. ``None`` entries
    are not tested (not in ``m``, never rejected). Returns one bool per input (rejected)."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"family alpha must be in (0, 1), got {alpha!r}")
    tested = [(p, i) for i, p in enumerate(p_values) if p is not None]
    for p, _ in tested:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p-values must be in [0, 1], got {p!r}")
    m = len(tested)
    out = [False] * len(p_values)
    for rank, (p, i) in enumerate(sorted(tested)):
        if p <= alpha / (m - rank):
            out[i] = True
        else:
            break
    return out


def default_family_alpha(confidence: float) -> float:
    """``(1 - confidence)/2``: one row alone is then decided exactly as before."""
    return (1.0 - confidence) / 2.0


FAMILY_METHODS = ("holm", "none")


def apply_family(rows: list[dict], family_alpha: float, method: str = "holm") -> dict:
    """Rule 5 over a command's output rows (dicts with ``verdict`` and ``p_value``): a row
    reads ``violated`` only where Holm rejects it at ``family_alpha`` among the rows that carry
    a p-value; a row-level violation the family does not reject becomes ``inconclusive (not
    significant at family level)``, and an ``inconclusive`` row the family rejects becomes
    ``violated`` (possible only when ``family_alpha`` exceeds the rows' own alpha, e.g.
    ``--family-alpha 0.05`` at ``--confidence 0.99``; with the default ``family_alpha =
    (1 - confidence)/2`` a one-row command decides exactly as the row does). Exact (rounding)
    comparisons keep their verdicts. Rows change in place; returns the provenance record
    ``{"family_method", "family_alpha", "family_size"}``."""
    if method not in FAMILY_METHODS:
        raise ValueError(f"family method must be one of {FAMILY_METHODS}, got {method!r}")
    tested = [i for i, r in enumerate(rows) if r.get("p_value") is not None
              and r.get("verdict") in ("holds", "violated", "inconclusive")]
    record = {"family_method": method, "family_alpha": family_alpha, "family_size": len(tested)}
    if method == "none" or not tested:
        return record
    rejected = holm([rows[i]["p_value"] for i in tested], family_alpha)
    for i, rej in zip(tested, rejected):
        row = rows[i]
        if row.get("rtol"):
            continue
        if row.get("verdict") == "violated" and not rej:
            row["verdict"] = "inconclusive"
            row["verdict_detail"] = "not significant at family level"
        elif row.get("verdict") == "inconclusive" and rej:
            row["verdict"] = "violated"
            row.pop("verdict_detail", None)
    return record


__all__ = ["MAX_DIVERGED_FRACTION", "Context", "Decision", "decide", "holm", "default_family_alpha",
           "apply_family", "FAMILY_METHODS"]
