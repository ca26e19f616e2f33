"""Decided runs (``--until-decided``): add replicas in rounds until the row is decided.

Looking at the data after every round and stopping at the first decision inflates the error
of a fixed-size test (each look is another chance of a false decision). The procedure here
spends the error across looks (Bonferroni alpha spending; e.g. Jennison & Turnbull, *Group
Sequential Methods with Applications to Clinical Trials*, 2000, ch. 7, for spending
functions, of which this is the simplest, valid under any dependence between looks):

- the planned looks are at the cumulative replica counts ``first, 2 first, 4 first, ...,
  max_replicas`` (doubling: each round costs as much as everything before it, so the work
  is at most twice that of the look that decides), ``K`` looks in all;
- look ``j`` decides at ``alpha_j = alpha / K`` per side with :func:`.decisions.decide` (the
  same rules and interval methods as a fixed-size row: Cantelli upper limit for ``holds``,
  Student-t p-value for ``violated``, the rounding rule, diverged replicas at the worst end);
- it stops at the first look whose decision is ``holds`` or ``violated``, or that finds too
  many diverged replicas, and at the last look in any case (``inconclusive`` there: the
  budget is spent).

Error control: a false ``holds`` needs some look's upper limit below the bound while the mean
is above it; the probability is at most ``sum_j alpha_j = alpha`` (per look, the coverage of the
limit at ``alpha_j``); the same holds for ``violated``. The reported p-value is the
Bonferroni-adjusted ``min(1, K * p)`` of the stopping look (a valid p-value for Holm across
rows: ``P(min_j K p_j <= a) <= sum_j P(p_j <= a/K) <= a``).

Anytime-valid confidence sequences (Howard et al. 2021, Ann. Statist. 49:1055; Waudby-Smith
& Ramdas 2024, JRSS-B 86:1) need a bounded or sub-Gaussian quantity; boundcheck's gaps are
neither, hence the spending approach.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from boundcheck.verify import intervals
from boundcheck.verify.decisions import MAX_DIVERGED_FRACTION, Context, Decision, decide
from boundcheck.verify.tolerance import RoundingTolerance, rounding_tolerance


def doubling_schedule(first: int, max_replicas: int) -> list[int]:
    """Cumulative replica counts of the planned looks: ``first, 2 first, ...`` capped at and
    ending with ``max_replicas``."""
    if first < 2 or max_replicas < first:
        raise ValueError(f"need 2 <= first <= max_replicas, got first={first!r}, max_replicas={max_replicas!r}")
    out, n = [], first
    while n < max_replicas:
        out.append(n)
        n *= 2
    out.append(max_replicas)
    return out


class SequentialDecider:
    """Decide one row from replicas given in rounds (module docstring).

    >>> dec = SequentialDecider(bound=1.0, alpha=0.005, first=32, max_replicas=512)
    >>> dec.next_round()            # replicas to run now
    32
    >>> # decision = dec.update(samples_of_those_32)  -> Decision, or None: run dec.next_round() more

    ``alpha`` is the error per side (default ``(1 - 0.99)/2``, the fixed-size default).
    ``squared_mean``, ``support``, ``deterministic``, ``tolerance``, the methods: as in
    :class:`.decisions.Context`.
    """

    def __init__(self, bound: float, *, alpha: float = 0.005, first: int = 32, max_replicas: int = 1024,
                 squared_mean: bool = False, support: tuple[float, float] = (0.0, math.inf),
                 deterministic: bool = False, tolerance: RoundingTolerance | None = None,
                 max_diverged_fraction: float = MAX_DIVERGED_FRACTION,
                 upper_method: str = intervals.UPPER_METHOD, lower_method: str = intervals.LOWER_METHOD):
        if not 0.0 < alpha < 0.5:
            raise ValueError(f"alpha must be in (0, 0.5), got {alpha!r}")
        self.bound = float(bound)
        self.alpha = float(alpha)
        self.schedule = doubling_schedule(int(first), int(max_replicas))
        self.looks_planned = len(self.schedule)
        self.alpha_per_look = self.alpha / self.looks_planned
        self._ctx = Context(confidence=1.0 - 2.0 * self.alpha_per_look, squared_mean=squared_mean,
                            support=support, deterministic=deterministic,
                            tolerance=tolerance or rounding_tolerance(),
                            max_diverged_fraction=max_diverged_fraction,
                            upper_method=upper_method, lower_method=lower_method)
        self._samples: list[float] = []
        self.n_diverged = 0
        self.looks = 0
        self.decision: Decision | None = None

    @property
    def n_used(self) -> int:
        """Replicas consumed so far (finite samples plus diverged ones)."""
        return len(self._samples) + self.n_diverged

    @property
    def done(self) -> bool:
        return self.decision is not None

    def next_round(self) -> int:
        """How many new replicas to run before the next :meth:`update` (0 when done)."""
        if self.done:
            return 0
        return self.schedule[self.looks] - self.n_used

    def update(self, new_samples, n_diverged: int = 0) -> Decision | None:
        """Add a round's finite samples (and its count of diverged replicas); return the
        final :class:`Decision` when the row is decided or the budget is spent, else None."""
        if self.done:
            raise RuntimeError("the row is already decided")
        x = np.asarray(new_samples, dtype=np.float64).ravel()
        if not np.all(np.isfinite(x)):
            raise ValueError("non-finite samples; count diverged replicas in n_diverged")
        self._samples.extend(x.tolist())
        self.n_diverged += int(n_diverged)
        if self.n_used < self.schedule[self.looks]:
            return None  # not yet at the next planned look
        self.looks += 1
        ctx = replace(self._ctx, n_diverged=self.n_diverged, n_requested=self.n_used)
        d = decide(np.asarray(self._samples), self.bound, ctx)
        last = self.looks >= self.looks_planned or self.n_used >= self.schedule[-1]
        if d.verdict in ("holds", "violated", "diverged", "error") or last:
            p = None if d.p_value is None else min(1.0, self.looks_planned * d.p_value)
            detail = d.detail
            if d.verdict == "inconclusive" and last and detail is None:
                detail = f"budget of {self.n_used} replicas spent"
            self.decision = replace(d, p_value=p, detail=detail,
                                    method=d.method + f"; sequential, {self.looks} of {self.looks_planned} "
                                    f"looks, alpha/look = {self.alpha_per_look:.3g}")
            return self.decision
        return None


__all__ = ["doubling_schedule", "SequentialDecider"]
