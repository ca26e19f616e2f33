"""Per-replica metrics streamed at checkpoints (never full trajectories), as declared components.

At checkpoint t (after t updates; the first t iterates are w_0 .. w_{t-1}), for each replica
(Liu et al. 2025 notation; names are a cross-layer contract):

=================== ==================================================================
name                value at checkpoint t
=================== ==================================================================
avg_iterate_gap     f(w_bar_t) - f*,  w_bar_t = (1/t) sum_{s<t} w_s           (Thm 4.1, D.1)
last_iterate_gap    f(w_t) - f*
mean_gap            (1/t) sum_{s<t} f(w_s) - f*                               (Thm E.1)
grad_l1_sq          ||grad f(w_t)||_1^2
grad_l2_sq          ||grad f(w_t)||_2^2
mean_grad_l1_sq     (1/t) sum_{s<t} ||grad f(w_s)||_1^2                         (Thm 4.3, 5.3)
mean_grad_l2_sq     (1/t) sum_{s<t} ||grad f(w_s)||_2^2                         (Thm D.3)
mean_grad_l2        (1/t) sum_{s<t} ||grad f(w_s)||_2                           (AdaGrad-Norm)
mean_grad_l1        (1/t) sum_{s<t} ||grad f(w_s)||_1                  (l1 stationarity, average)
mean_grad_blk_sq    (1/t) sum_{s<t} ||grad f(w_s)||_{B,1}^2, ||x||_{B,1} = sum_B ||x_B||_2 over the
                    algorithm's partition (Subset-Norm, thmSN.nonconvex)
min_grad_l1         min_{s<t} ||grad f(w_s)||_1                           (l1 stationarity, best)
trace_lambda        tr Lambda_{t-1} (algorithms with a preconditioner; AdaGrad-Norm: d b_{t-1})
g_sqrt_sum          sum_j sqrt(sum_{s<t} g_{s,j}^2)                            (Thm E.1)
noise_sqrt_sum      sum_j sqrt(sum_{s<t} n_{s,j}^2),  n_s = g_s - grad f(w_s)    (Lemma E.2)
diverged            1.0 if the replica has been stopped for divergence, else 0.0
=================== ==================================================================

A metric is a :class:`Metric`: an optional per-step *increment* (a function of the step's
:class:`StepData`) that the engine accumulates over the replica's active steps with a declared
reduction (``sum``, ``min``), and a *value* at each checkpoint (a function of the accumulator
and the :class:`CheckpointData`). The engine does the masking (a stopped replica accumulates
nothing) and never looks at a metric's name; new metrics are components like any other
(:mod:`boundcheck.registry`, kind ``metric``).

Metrics over *every* step need f or grad f at each iterate: on a finite sum that is a full
pass per step, so such metrics are computed only when asked for; on oracle problems
(``problem.n is None``) they are cheap and on by default (``default`` metrics).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import numpy as np

from .backend import to_numpy

#: Per-step inputs a metric may need: f(w_t), grad f(w_t), the stochastic gradient g_t, the
#: configured algorithm's partition of the coordinates into blocks (``Algorithm.partition``).
STEP_NEEDS = ("loss", "grad", "g", "partition")
#: Checkpoint inputs: grad f(w_t), f(w_bar_t), f*, the algorithm's trace of Lambda, its diagonal.
CHECKPOINT_NEEDS = ("grad_w", "loss_wbar", "f_star", "trace", "preconditioner")


@dataclass(frozen=True)
class Metric:
    """A declared per-replica metric (see the module docstring).

    ``step(data, xp)`` returns this step's increment, shape (R,) or (R, d) (``shape``);
    ``reduce`` says how increments accumulate (``"sum"`` or ``"min"``); ``value(acc, data, xp)``
    returns the (R,) NumPy float64 value at a checkpoint (``acc`` is None for metrics without a
    per-step part). ``needs``: names from :data:`STEP_NEEDS` and :data:`CHECKPOINT_NEEDS`.
    ``default``: part of the cheap default set (subject to availability on the problem).
    ``coordinates``: the value is one number per coordinate, shape (R, d) (stored (K, R, d) in
    the run's metrics); otherwise (R,).
    """

    name: str
    doc: str
    value: Callable[[Any, "CheckpointData", Any], np.ndarray]
    step: Callable[["StepData", Any], Any] | None = None
    reduce: str = "sum"
    shape: str = "row"
    needs: frozenset = frozenset()
    default: bool = True
    coordinates: bool = False

    @property
    def per_step(self) -> bool:
        return self.step is not None

    @property
    def per_step_exact(self) -> bool:
        """Needs f or grad f at every iterate (a full data pass per step on finite sums)."""
        return bool(self.needs & {"loss", "grad"})


class StepData:
    """What one step offers the per-step metrics; shared pieces computed once, on demand."""

    def __init__(self, problem, w, g, G, xp, algorithm=None):
        self.problem, self.w, self.g, self.G, self.xp = problem, w, g, G, xp
        self.algorithm = algorithm  # the configured Algorithm (capabilities such as ``partition``)

    def f64(self, x):
        xp = self.xp
        return x if x.dtype == xp.float64 else xp.astype(x, xp.float64)

    @cached_property
    def loss(self):
        return self.f64(self.problem.loss(self.w, self.xp))

    @cached_property
    def G64(self):
        return self.f64(self.G)

    @cached_property
    def grad_l1(self):
        return self.xp.sum(self.xp.abs(self.G64), axis=-1)

    @cached_property
    def grad_l2sq(self):
        return self.xp.sum(self.G64 * self.G64, axis=-1)

    @cached_property
    def partition(self):
        """The configured algorithm's partition of the d coordinates (``Algorithm.partition``)."""
        return self.algorithm.partition(self.w.shape[-1])

    @cached_property
    def g64(self):
        return self.f64(self.g)


@dataclass
class CheckpointData:
    """What a checkpoint offers the metrics (built by the engine)."""

    w: Any
    state: Any
    algorithm: Any  # the configured Algorithm (its ``trace`` may be None)
    count: Any  # (R,) float64 in the namespace: iterates accumulated, at least 1
    loss_w: np.ndarray  # f(w_t), NumPy (R,)
    grad_w: Any  # grad f(w_t) or None
    loss_wbar: np.ndarray | None
    f_star: float
    d: int


# ---------------------------------------------------------------------- built-in metrics
def _mean(acc, c, xp):
    return to_numpy(acc / c.count)


def _gap_mean(acc, c, xp):
    return to_numpy(acc / c.count) - c.f_star


def _grad_sq(norm):
    def value(acc, c, xp):
        G = xp.astype(c.grad_w, xp.float64)
        if norm == 1:
            l1 = xp.sum(xp.abs(G), axis=-1)
            return to_numpy(l1 * l1)
        return to_numpy(xp.sum(G * G, axis=-1))
    return value


def _sqrt_sum(acc, c, xp):
    return to_numpy(xp.sum(xp.sqrt(acc), axis=-1))


def _trace(acc, c, xp):
    return to_numpy(xp.astype(c.algorithm.trace(c.state, c.d, xp), xp.float64))


def _grad_blk_sq(s, xp):
    """``||grad f(w)||_{B,1}^2`` with ``||x||_{B,1} = sum_B ||x_B||_2`` (the group norm of the
    algorithm's partition; singletons: ``||x||_1``, one block: ``||x||_2``)."""
    G = s.G64
    norm = xp.sum(xp.sqrt(s.partition.sums(G * G, xp)), axis=-1)
    return norm * norm


def _noise_sq(s, xp):
    nz = s.g64 - s.G64
    return nz * nz


BUILTIN: tuple[Metric, ...] = (
    Metric("avg_iterate_gap", "f(w_bar_t) - f*, w_bar_t the average of w_0..w_{t-1} (Thm 4.1, D.1)",
           value=lambda acc, c, xp: c.loss_wbar - c.f_star, needs=frozenset({"loss_wbar", "f_star"})),
    Metric("last_iterate_gap", "f(w_t) - f*", value=lambda acc, c, xp: c.loss_w - c.f_star,
           needs=frozenset({"f_star"})),
    Metric("mean_gap", "(1/t) sum_{s<t} f(w_s) - f* (Thm E.1)", value=_gap_mean,
           step=lambda s, xp: s.loss, needs=frozenset({"loss", "f_star"})),
    Metric("grad_l1_sq", "||grad f(w_t)||_1^2", value=_grad_sq(1), needs=frozenset({"grad_w"})),
    Metric("grad_l2_sq", "||grad f(w_t)||_2^2", value=_grad_sq(2), needs=frozenset({"grad_w"})),
    Metric("mean_grad_l1_sq", "(1/t) sum_{s<t} ||grad f(w_s)||_1^2 (Thm 4.3, 5.3)", value=_mean,
           step=lambda s, xp: s.grad_l1 * s.grad_l1, needs=frozenset({"grad"})),
    Metric("mean_grad_l2_sq", "(1/t) sum_{s<t} ||grad f(w_s)||_2^2 (Thm D.3)", value=_mean,
           step=lambda s, xp: s.grad_l2sq, needs=frozenset({"grad"})),
    Metric("mean_grad_l2", "(1/t) sum_{s<t} ||grad f(w_s)||_2 (AdaGrad-Norm)", value=_mean,
           step=lambda s, xp: xp.sqrt(s.grad_l2sq), needs=frozenset({"grad"})),
    Metric("mean_grad_l1", "(1/t) sum_{s<t} ||grad f(w_s)||_1 (l1 stationarity, average)", value=_mean,
           step=lambda s, xp: s.grad_l1, needs=frozenset({"grad"}), default=False),
    Metric("min_grad_l1", "min_{s<t} ||grad f(w_s)||_1 (l1 stationarity, best iterate)",
           value=lambda acc, c, xp: to_numpy(acc), step=lambda s, xp: s.grad_l1, reduce="min",
           needs=frozenset({"grad"}), default=False),
    Metric("trace_lambda", "tr Lambda_{t-1} = sum_j sqrt(v_{t-1,j}) (AdaGrad-Norm: d b_{t-1}; Lemma F.4)",
           value=_trace, needs=frozenset({"trace"})),
    Metric("g_sqrt_sum", "sum_j sqrt(sum_{s<t} g_{s,j}^2) (Thm E.1)", value=_sqrt_sum,
           step=lambda s, xp: s.g64 * s.g64, shape="matrix", needs=frozenset({"g"})),
    Metric("noise_sqrt_sum", "sum_j sqrt(sum_{s<t} n_{s,j}^2), n_s = g_s - grad f(w_s) (Lemma E.2)",
           value=_sqrt_sum, step=_noise_sq, shape="matrix", needs=frozenset({"g", "grad"})),
    # the engine fills ``diverged`` itself (it owns the divergence guard)
    Metric("diverged", "1.0 if the replica has been stopped for divergence, else 0.0",
           value=lambda acc, c, xp: None),
)

#: Metrics of algorithms with a partition of the coordinates (``Algorithm.partition``; Subset-Norm),
#: registered beside :data:`BUILTIN` (they are unavailable for the others).
PARTITION_METRICS: tuple[Metric, ...] = (
    Metric("mean_grad_blk_sq", "(1/t) sum_{s<t} ||grad f(w_s)||_{B,1}^2, ||x||_{B,1} = sum_B ||x_B||_2 over the "
           "algorithm's partition (Subset-Norm; thmSN.nonconvex)", value=_mean, step=_grad_blk_sq,
           needs=frozenset({"grad", "partition"}), default=False),
)

#: The built-in metric names, in table order.
METRIC_NAMES = tuple(m.name for m in BUILTIN)
DIVERGED = "diverged"


def get(name: str) -> Metric:
    from boundcheck import registry

    return registry.get("metric", name)


def names() -> list[str]:
    from boundcheck import registry

    return registry.names("metric")


def f_star_known(problem) -> bool:
    f = getattr(problem, "f_star", None)
    return f is not None and math.isfinite(float(f))


def unavailable(metric: Metric, problem, algorithm) -> str | None:
    """Why ``metric`` cannot be computed for ``problem`` with the configured ``algorithm``
    (None when it can)."""
    if "trace" in metric.needs and algorithm.trace is None:
        return f"metric {metric.name!r} needs a preconditioner, which this algorithm does not have"
    if "partition" in metric.needs and getattr(algorithm, "partition", None) is None:
        return (f"metric {metric.name!r} needs a partition of the coordinates into blocks, which this "
                "algorithm does not have (e.g. subset-norm has one)")
    if "preconditioner" in metric.needs and algorithm.preconditioner is None:
        return f"metric {metric.name!r} needs a diagonal preconditioner, which this algorithm does not expose"
    if "f_star" in metric.needs and not f_star_known(problem):
        return f"metric {metric.name!r} needs f*, which problem {problem.name!r} does not know"
    return None


def default_metrics(problem, algorithm) -> tuple[str, ...]:
    """The cheap default metrics that make sense for ``problem`` and ``algorithm``.

    Drops per-step exact metrics on finite sums (a full pass per step), metrics the algorithm
    cannot provide (``trace_lambda`` without a preconditioner) and the gap metrics when f* is
    unknown.
    """
    oracle = getattr(problem, "n", None) is None
    out = []
    for m in all_metrics():
        if not m.default or (not oracle and m.per_step_exact):
            continue
        if unavailable(m, problem, algorithm) is not None:
            continue
        out.append(m.name)
    return tuple(out)


def all_metrics() -> list[Metric]:
    from boundcheck import registry

    return registry.all("metric")


__all__ = ["Metric", "StepData", "CheckpointData", "BUILTIN", "PARTITION_METRICS", "METRIC_NAMES", "DIVERGED", "get", "names",
           "f_star_known", "unavailable", "default_metrics", "all_metrics"]
