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

Kinds of statement (issue 12)
-----------------------------
:func:`decide` is the rule of an ``expectation-upper`` statement (``E Q <= B``). The other kinds
of :data:`boundcheck.theory.theorem.KINDS` have their own rule, chosen by :func:`decide_statement`
from the kind (never from a theorem's id):

- ``expectation-lower`` (``E Q >= B`` on a named construction), :func:`decide_lower`: the
  mirror image of :func:`decide` (rules 1-4 applied to ``-Q`` against ``-B``). ``holds`` when
  the interval for ``E Q`` lies entirely above B (its *lower* limit above ``B + tau``),
  ``violated`` when it lies entirely below (the p-value of ``H0: E Q >= B - tau`` at most
  alpha). Both limits are **Cantelli's** (``mean -/+ sqrt((1-alpha)/alpha) s/sqrt(R)``): the
  upper limit that decides ``violated`` here is the side on which a Student-t limit
  under-covers for right-skewed quantities (the coverage study of :mod:`.intervals`), which
  would lean towards a false ``violated``; Cantelli's lower limit, which decides ``holds``, is
  as conservative as the upper limit of rule 4. A diverged replica counts at 0 for ``holds``
  (least favourable to a lower bound) and prevents ``violated`` (its value may be +inf).
  Deterministic runs are compared exactly under the rounding tolerance (an equality is
  ``holds (tight)``).
- ``probability-upper`` (``P(Q > B(delta)) <= delta``), :func:`decide_exceedance`: the k of R
  replicas with ``Q_r > B(delta)`` and an **exact binomial test** (Clopper & Pearson 1934,
  Biometrika 26:404; :func:`scipy.stats.binomtest`): the p-value of ``H0: P(Q > B) <= delta``
  is ``P(Bin(R, delta) >= k)``, and ``violated`` when it is at most alpha; ``holds`` when the
  one-sided Clopper-Pearson upper limit of the exceedance probability (level ``1 - alpha``) is
  at most delta. The interval of the exceedance probability is Clopper-Pearson's (each side
  one-sided at alpha); the interval of the ``(1 - delta)``-quantile of Q is the dual
  distribution-free order-statistic interval (``holds`` iff its upper end is at most B,
  ``violated`` iff its lower end is above B). A diverged replica counts as an exceedance
  for ``holds`` and as none for ``violated``. A deterministic run (every replica equal) has
  exceedance probability 0 or 1 and is compared exactly.
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
    #: kind-specific row fields (``probability-upper``: delta, exceedances, quantile, ...)
    extra: dict = field(default_factory=dict)

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


# ---------------------------------------------------------------------------- other kinds
#: Interval methods of a lower-bound decision (see the module docstring).
LOWER_BOUND_METHOD = "cantelli"


def decide_lower(samples, bound: float | None, context: Context | None = None) -> Decision:
    """The decision of ``E Q >= bound`` (an ``expectation-lower`` statement on a named
    construction): :func:`decide` on ``-Q`` against ``-bound`` with Cantelli limits on both
    sides and the support mirrored (module docstring)."""
    ctx = context or Context()
    if ctx.squared_mean:
        raise ValueError("a lower bound on (E Y)^2 is not supported; state it on E Y")
    lo, hi = ctx.support
    mirrored = replace(ctx, support=(-hi, -lo), upper_method=LOWER_BOUND_METHOD, lower_method=LOWER_BOUND_METHOD)
    x = -np.asarray(samples, dtype=np.float64).ravel()
    neg_bound = None if bound is None else -float(bound)
    d = decide(x, neg_bound, mirrored)
    if d.estimate is None:
        return replace(d, bound=bound, method="lower bound: " + d.method)
    est = -d.estimate
    method = ("exact (rounding tolerance)" if d.exact else
              f"lower bound: holds by the {LOWER_BOUND_METHOD} lower limit, violated by the "
              f"{LOWER_BOUND_METHOD} upper limit")
    return replace(d, estimate=est, low=-d.high, high=-d.low, bound=float(bound),
                   ratio=_ratio(est, float(bound)), method=method)


def clopper_pearson(k: int, n: int, alpha: float) -> tuple[float, float]:
    """One-sided Clopper-Pearson limits ``(lower, upper)`` of a binomial proportion, each at
    level ``1 - alpha`` (so ``[lower, upper]`` is the two-sided interval at ``1 - 2 alpha``):
    ``lower = Beta^-1(alpha; k, n - k + 1)`` (0 at k = 0), ``upper = Beta^-1(1 - alpha; k + 1,
    n - k)`` (1 at k = n)."""
    from scipy.stats import beta

    lower = 0.0 if k <= 0 else float(beta.ppf(alpha, k, n - k + 1))
    upper = 1.0 if k >= n else float(beta.ppf(1.0 - alpha, k + 1, n - k))
    return lower, upper


def binomial_p_exceeds(k: int, n: int, delta: float) -> float:
    """Exact one-sided p-value of ``H0: p <= delta`` against ``p > delta`` from ``k``
    exceedances in ``n`` trials: ``P(Bin(n, delta) >= k)`` (:func:`scipy.stats.binomtest`)."""
    from scipy.stats import binomtest

    if k <= 0:
        return 1.0
    return float(binomtest(int(k), int(n), float(delta), alternative="greater").pvalue)


def replicas_for_delta(delta: float, per_delta: float = 20.0) -> int:
    """The default replica count of a probability-upper check: ``ceil(per_delta / delta)``
    (20/delta: about 20 exceedances are expected at the boundary ``P(Q > B) = delta``)."""
    return int(math.ceil(per_delta / float(delta) - 1e-9))


def min_replicas_to_hold(delta: float, alpha: float) -> int:
    """The fewest replicas with which ``holds`` is possible at all (no exceedance and the
    Clopper-Pearson upper limit ``1 - alpha^(1/R)`` at most delta)."""
    return int(math.ceil(math.log(alpha) / math.log1p(-float(delta)) - 1e-12))


def _largest_k_holding(n: int, delta: float, alpha: float) -> int:
    """``max{k : CP-upper(k, n) <= delta}`` (-1 when even k = 0 is too many): the largest
    exceedance count that still shows ``holds`` (the upper limit is increasing in k)."""
    if clopper_pearson(0, n, alpha)[1] > delta:
        return -1
    lo, hi = 0, n - 1  # CP-upper(n) = 1 > delta
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if clopper_pearson(mid, n, alpha)[1] <= delta:
            lo = mid
        else:
            hi = mid - 1
    return lo


def decide_exceedance(samples, bound: float | None, delta: float, context: Context | None = None) -> Decision:
    """The decision of ``P(Q > bound) <= delta`` (a ``probability-upper`` statement) from the
    finite per-replica samples of Q (module docstring). ``estimate`` is the empirical
    ``(1 - delta)``-quantile of Q, ``[low, high]`` its distribution-free interval (dual to the
    binomial decision), ``p_value`` the exact binomial p-value; ``extra`` carries ``delta``,
    ``exceedances``, ``exceedance_rate``, ``exceedance_ci_low``/``_high`` (Clopper-Pearson),
    ``quantile`` and ``replicas``."""
    from scipy.stats import binom

    ctx = context or Context()
    if not 0.0 < float(delta) < 1.0:
        raise ValueError(f"delta must be in (0, 1), got {delta!r}")
    delta = float(delta)
    x = np.asarray(samples, dtype=np.float64).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError("non-finite samples; pass diverged replicas as context.n_diverged")
    k_div = int(ctx.n_diverged)
    R = int(ctx.n_requested) if ctx.n_requested is not None else x.size + k_div
    method = "exact binomial (Clopper-Pearson)"
    base = dict(n=int(x.size), n_diverged=k_div, rtol=ctx.tolerance.rtol, method=method)
    extra = {"delta": delta, "replicas": R}
    if R > 0 and k_div / R > ctx.max_diverged_fraction:
        return Decision("diverged", f"{k_div} of {R} diverged", None, None, None, bound, None, None,
                        extra=extra, **base)
    if x.size == 0:
        return Decision("error", "no samples", None, None, None, bound, None, None, extra=extra, **base)
    if bound is None or (isinstance(bound, float) and math.isnan(bound)):
        return Decision("error", "no bound", None, None, None, bound, None, None, extra=extra, **base)
    bound = float(bound)
    a = ctx.alpha
    lo_sup, _ = ctx.support
    x_hi = np.sort(np.concatenate([x, np.full(k_div, math.inf)]))  # diverged: exceedances (holds side)
    x_lo = np.sort(np.concatenate([x, np.full(k_div, lo_sup)]))  # diverged: none (violated side)
    q = float(np.quantile(x_hi, 1.0 - delta, method="inverted_cdf"))
    k = int(np.sum(x > bound))
    extra.update(exceedances=k, exceedance_rate=k / R, quantile=q)
    tau = ctx.tolerance.absolute(q if math.isfinite(q) else 0.0, bound)
    if k_div == 0 and (ctx.deterministic or agree_to_rounding(x, ctx.tolerance)):
        # P(Q > B) is 0 or 1: compare the common value exactly
        base["method"] = "exact (rounding tolerance)"
        est = float(x.mean())
        extra.update(exceedance_ci_low=None, exceedance_ci_high=None)
        if abs(est - bound) <= tau:
            return Decision("holds", "tight", est, est, est, bound, 1.0, 1.0, exact=True, extra=extra, **base)
        if est < bound:
            return Decision("holds", None, est, est, est, bound, _ratio(est, bound), 1.0, exact=True,
                            extra=extra, **base)
        return Decision("violated", None, est, est, est, bound, _ratio(est, bound), 0.0, exact=True,
                        extra=extra, **base)
    k_hi, k_lo = k + k_div, k
    p_low, _ = clopper_pearson(k_lo, R, a)
    _, p_high = clopper_pearson(k_hi, R, a)
    p = binomial_p_exceeds(k_lo, R, delta)
    extra.update(exceedance_ci_low=p_low, exceedance_ci_high=p_high)
    # the dual interval of the (1 - delta)-quantile (order statistics X_(1) <= ... <= X_(R)):
    # holds iff #{X > B} <= k_max = max{k : CP-upper(k) <= delta}, i.e. iff B >= X_(R - k_max) =: high;
    # violated iff #{X > B} >= k* = min{k : P(Bin(R, delta) >= k) <= alpha}, i.e. iff B < X_(R - k* + 1) =: low
    k_max = _largest_k_holding(R, delta, a)
    high = math.inf if k_max < 0 else float(x_hi[R - k_max - 1])
    k_star = int(binom.isf(a, R, delta)) + 1
    while k_star > 1 and binom.sf(k_star - 2, R, delta) <= a:  # guard the discrete isf's convention
        k_star -= 1
    while k_star <= R and binom.sf(k_star - 1, R, delta) > a:
        k_star += 1
    low = float(x_lo[R - k_star]) if k_star <= R else -math.inf
    if p_high <= delta:
        verdict, detail = "holds", None
    elif p <= a:
        verdict, detail = "violated", None
    else:
        verdict, detail = "inconclusive", None
        need = min_replicas_to_hold(delta, a)
        if R < need:
            detail = f"{R} replicas cannot show holds at delta={delta:g}; need >= {need}"
        elif k_div:
            detail = f"{k_div} diverged"
    return Decision(verdict, detail, q, low, high, bound, _ratio(q, bound), p, extra=extra, **base)


#: The decision rule of each statement kind (:data:`boundcheck.theory.theorem.KINDS`).
RULES = {"expectation-upper": decide, "expectation-lower": decide_lower, "probability-upper": decide_exceedance}


def decide_statement(kind: str, samples, bound: float | None, context: Context | None = None, *,
                     delta: float | None = None) -> Decision:
    """The decision of a statement of ``kind`` (module docstring: "Kinds of statement");
    ``delta`` is required for ``probability-upper``."""
    try:
        rule = RULES[kind]
    except KeyError:
        raise ValueError(f"no decision rule for statement kind {kind!r}; known: {', '.join(RULES)}") from None
    if kind == "probability-upper":
        if delta is None:
            raise ValueError("a probability-upper decision needs delta")
        return rule(samples, bound, delta, context)
    return rule(samples, bound, context)


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
           "apply_family", "FAMILY_METHODS", "decide_lower", "decide_exceedance", "decide_statement", "RULES",
           "clopper_pearson", "binomial_p_exceeds", "replicas_for_delta", "min_replicas_to_hold",
           "LOWER_BOUND_METHOD"]
