"""Per-replica metrics streamed at checkpoints (never full trajectories).

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
trace_lambda        tr Lambda_{t-1} = sum_j sqrt(v_{t-1,j})  (AdaGrad-Norm: d b_{t-1})
g_sqrt_sum          sum_j sqrt(sum_{s<t} g_{s,j}^2)                            (Thm E.1)
noise_sqrt_sum      sum_j sqrt(sum_{s<t} n_{s,j}^2),  n_s = g_s - grad f(w_s)    (Lemma E.2)
diverged            1.0 if the replica has been stopped for divergence, else 0.0
=================== ==================================================================

Metrics over *every* step (``mean_*`` and ``noise_sqrt_sum``) need f or grad f at each
iterate: on a finite sum that is a full pass per step, so they are computed only when asked
for; on oracle problems (``problem.n is None``) they are cheap and on by default.
"""

from __future__ import annotations

import math

METRIC_NAMES = (
    "avg_iterate_gap",
    "last_iterate_gap",
    "mean_gap",
    "grad_l1_sq",
    "grad_l2_sq",
    "mean_grad_l1_sq",
    "mean_grad_l2_sq",
    "mean_grad_l2",
    "trace_lambda",
    "g_sqrt_sum",
    "noise_sqrt_sum",
    "diverged",
)
#: Need f(w_s) at every step.
PER_STEP_LOSS = frozenset({"mean_gap"})
#: Need grad f(w_s) at every step.
PER_STEP_GRAD = frozenset({"mean_grad_l1_sq", "mean_grad_l2_sq", "mean_grad_l2", "noise_sqrt_sum"})
#: Need f* (the gap metrics).
NEED_F_STAR = frozenset({"avg_iterate_gap", "last_iterate_gap", "mean_gap"})


def f_star_known(problem) -> bool:
    f = getattr(problem, "f_star", None)
    return f is not None and math.isfinite(float(f))


def default_metrics(problem, algorithm: str) -> tuple[str, ...]:
    """The cheap metrics that make sense for ``problem`` and ``algorithm``.

    Drops per-step metrics on finite sums (a full pass per step), ``trace_lambda`` for SGD
    (no preconditioner) and the gap metrics when f* is unknown.
    """
    out = []
    oracle = getattr(problem, "n", None) is None
    for m in METRIC_NAMES:
        if not oracle and (m in PER_STEP_LOSS or m in PER_STEP_GRAD):
            continue
        if m == "trace_lambda" and algorithm == "sgd":
            continue
        if m in NEED_F_STAR and not f_star_known(problem):
            continue
        out.append(m)
    return tuple(out)
