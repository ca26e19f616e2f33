"""A bounded quantity: what a theorem bounds, and the engine metric that measures it.

One object per quantity carries its text and LaTeX (for ``show``, tables and plot labels),
the engine metric whose value at checkpoint T gives one replica's sample ``Y_r``, and the
form of the expectation the theorem bounds:

- ``"mean"``: the quantity is ``E Y`` (estimated by the mean of the replicas' ``Y_r``);
- ``"squared-mean"``: the quantity is ``(E Y)^2`` with ``Y >= 0`` (e.g. Theorems 4.3/5.3,
  ``(E sqrt((1/T) sum_t ||grad f(w_t)||_1^2))^2``), ``Y = transform(metric)``;
- ``"replica"``: the quantity is the per-replica random variable ``Y`` itself (a
  high-probability statement ``P(Y > B(delta)) <= delta``, issue 12): its exceedances of the
  bound and its empirical ``(1 - delta)``-quantile are taken, not its mean.

The engine's metric at checkpoint ``t`` is over the first ``t`` iterates ``w_0 .. w_{t-1}``, which
is exactly the theorems' ``sum_{t=0}^{T-1}`` at checkpoint ``T``. Intervals and verdicts for each
form live in :mod:`boundcheck.verify.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FORMS = ("mean", "squared-mean", "replica")
TRANSFORMS = (None, "sqrt")


@dataclass(frozen=True)
class Quantity:
    """See the module docstring. ``id`` is a contract (JSON field ``quantity`` of verify rows)."""

    id: str
    text: str
    latex: str
    metric: str
    form: str = "mean"
    transform: str | None = None

    def __post_init__(self):
        if self.form not in FORMS:
            raise ValueError(f"quantity {self.id!r}: form {self.form!r} not in {FORMS}")
        if self.transform not in TRANSFORMS:
            raise ValueError(f"quantity {self.id!r}: transform {self.transform!r} not in {TRANSFORMS}")

    @property
    def squared_mean(self) -> bool:
        return self.form == "squared-mean"

    @property
    def per_replica(self) -> bool:
        """The quantity is the per-replica variable itself (probability statements)."""
        return self.form == "replica"

    def samples(self, metric_values) -> np.ndarray:
        """Per-replica samples ``Y_r`` from the metric's values at checkpoint T (shape (R,))."""
        x = np.asarray(metric_values, dtype=np.float64)
        if self.transform == "sqrt":
            return np.sqrt(np.maximum(x, 0.0))
        return x

    def estimate(self, samples) -> float:
        m = float(np.mean(samples))
        return m * m if self.squared_mean else m


def get(quantity_id: str) -> Quantity:
    from boundcheck import registry

    return registry.get("quantity", quantity_id)


__all__ = ["Quantity", "FORMS", "get"]
