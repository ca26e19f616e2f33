"""The exact quantity each theorem bounds, computed per replica from the engine's metrics.

The theorems bound expectations over the algorithm's randomness. For each quantity id (a
contract with the theory layer, see :class:`boundcheck.theory.theorem.Theorem.quantity_id`)
this module says which engine metric at checkpoint ``T`` gives one replica's sample ``Y_r``
and how the expectation is formed from the samples:

=========================  ==========================================  ===================
quantity id                bounded quantity                            per replica / form
=========================  ==========================================  ===================
``avg_iterate_gap``        E f(w_bar_T) - f*                           ``avg_iterate_gap``, E Y
``mean_gap``               (1/T) sum_{t<T} E f(w_t) - f*               ``mean_gap``, E Y
``mean_grad_l2_sq``        (1/T) sum_{t<T} E ||grad f(w_t)||_2^2       ``mean_grad_l2_sq``, E Y
``sq_mean_rms_grad_l1``    (E sqrt((1/T) sum_t ||grad f(w_t)||_1^2))^2 sqrt(``mean_grad_l1_sq``), (E Y)^2
``sq_mean_mean_grad_l2``   (E (1/T) sum_t ||grad f(w_t)||_2)^2         ``mean_grad_l2``, (E Y)^2
=========================  ==========================================  ===================

The engine's metric at checkpoint ``t`` is over the first ``t`` iterates ``w_0 .. w_{t-1}``
(COMMON contract), which is exactly the theorems' ``sum_{t=0}^{T-1}`` at checkpoint ``T``.

Intervals (see :mod:`boundcheck.verify.stats`): Student-t for ``E Y``; for ``(E Y)^2`` with
``Y >= 0`` the t-interval of ``E Y`` mapped through ``y -> y^2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from boundcheck.verify.stats import Interval, mean_interval, squared_mean_interval


@dataclass(frozen=True)
class Quantity:
    id: str
    text: str
    metric: str  # engine metric at checkpoint T
    squared_mean: bool  # True: the quantity is (E Y)^2, Y = transform(metric)
    transform: Callable[[np.ndarray], np.ndarray] = staticmethod(lambda x: x)

    def samples(self, metric_values) -> np.ndarray:
        """Per-replica samples ``Y_r`` from the metric's values at checkpoint T (shape (R,))."""
        x = np.asarray(metric_values, dtype=np.float64)
        return self.transform(x)

    def estimate(self, samples) -> float:
        m = float(np.mean(samples))
        return m * m if self.squared_mean else m

    def interval(self, samples, confidence: float) -> Interval:
        return (squared_mean_interval if self.squared_mean else mean_interval)(samples, confidence)


def _sqrt_nonneg(x: np.ndarray) -> np.ndarray:
    return np.sqrt(np.maximum(x, 0.0))


QUANTITIES: dict[str, Quantity] = {q.id: q for q in (
    Quantity("avg_iterate_gap", "E f(w_bar_T) - f*", "avg_iterate_gap", False),
    Quantity("mean_gap", "(1/T) sum_t E f(w_t) - f*", "mean_gap", False),
    Quantity("mean_grad_l2_sq", "(1/T) sum_t E ||grad f(w_t)||_2^2", "mean_grad_l2_sq", False),
    Quantity("sq_mean_rms_grad_l1", "(E sqrt((1/T) sum_t ||grad f(w_t)||_1^2))^2", "mean_grad_l1_sq",
             True, _sqrt_nonneg),
    Quantity("sq_mean_mean_grad_l2", "(E (1/T) sum_t ||grad f(w_t)||_2)^2", "mean_grad_l2", True),
    # Not a theorem's quantity: the final training-loss gap of the paper's Table 3.
    Quantity("last_iterate_gap", "E f(w_T) - f*", "last_iterate_gap", False),
)}


def get(quantity_id: str) -> Quantity:
    try:
        return QUANTITIES[quantity_id]
    except KeyError:
        raise ValueError(f"unknown quantity id {quantity_id!r}; known: {', '.join(QUANTITIES)}") from None


__all__ = ["Quantity", "QUANTITIES", "get"]
