r"""Adam and its step-size-sharing relatives: ``adam``, ``adasgd``, ``blockwise-adam``.

**Adam** (Kingma and Ba 2015, Algorithm 1), with the step counter starting at t = 0 here:

.. math::

    m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad
    v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t \odot g_t, \qquad m_{-1} = v_{-1} = 0,

    \hat m_t = \frac{m_t}{1 - \beta_1^{t+1}}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^{t+1}}, \qquad
    w_{t+1} = w_t - \eta_t \, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon} .

**Epsilon placement**: :math:`\epsilon` is added to :math:`\sqrt{\hat v_t}`, *outside* the
square root, as in Kingma and Ba's Algorithm 1 (not :math:`\sqrt{\hat v_t + \epsilon}` and not
AdaGrad's :math:`v_{-1} = \epsilon^2`). Option I projects onto W in the norm of
:math:`\Lambda_t = \operatorname{diag}(\sqrt{\hat v_t} + \epsilon)` (clipping on a box), like
AdaGrad's Algorithm 1; Option II does not project.

**The state holds the bias-corrected moments.** Dividing the recursion for :math:`m_t` by
:math:`1 - \beta_1^{t+1}` gives, with :math:`a_t = (1-\beta_1)/(1-\beta_1^{t+1})` and
:math:`c_t = (1-\beta_2)/(1-\beta_2^{t+1})`,

.. math::

    \hat m_t = (1 - a_t)\, \hat m_{t-1} + a_t\, g_t, \qquad
    \hat v_t = (1 - c_t)\, \hat v_{t-1} + c_t\, g_t \odot g_t

(because :math:`\beta (1 - \beta^{t}) = (1 - \beta^{t+1}) - (1 - \beta)`), identical to
Algorithm 1 in exact arithmetic (tested against a literal transcription to rounding).
:math:`1 - \beta^{t+1}` is computed as ``-expm1((t+1) log1p(-(1 - beta)))`` (``1 - beta`` is
exact for beta in [1/2, 1]), so ``beta2`` close to 1 loses no digits.

**The limit** :math:`\beta_2 \to 1`. :math:`c_t \to 1/(t+1)`, so :math:`\hat v_t \to
\frac1{t+1}\sum_{s \le t} g_s^2`, the running mean; ``beta2 = 1`` is allowed and *is* that
limit. With :math:`\beta_1 = 0` (:math:`a_t = 1`, :math:`\hat m_t = g_t` exactly) Adam becomes

.. math::

    w_{t+1} = w_t - \eta_t\, \frac{g_t}{\sqrt{\frac1{t+1}\sum_{s\le t} g_s^2} + \epsilon}
            = w_t - \eta_t\sqrt{t+1}\; \frac{g_t}{\sqrt{\sum_{s\le t} g_s^2} + \epsilon\sqrt{t+1}},

i.e. AdaGrad (coordinate-wise, accumulator starting at 0) with the growing step size
:math:`\eta_t \sqrt{t+1}` and an epsilon :math:`\epsilon\sqrt{t+1}` outside the root ("RMSProp
with the running mean"). For :math:`\beta_2 = 1 - \delta` the weights of the average differ
from 1/(t+1) by a relative :math:`O(\delta t)`, so the trajectories approach the limit at that
rate (tests/test_adam.py).

**AdaSGD** (``adasgd``): one scalar second moment for all coordinates, fed with the mean
square :math:`\|g_t\|_2^2 / d` (so that d = 1 is Adam); the step is a multiple of
:math:`\hat m_t`, hence the method is rotation-equivariant (Xie, Mohamadi, Li, ICLR 2025).
**Blockwise Adam** (``blockwise-adam``, hyperparameter ``blocks = k``): one second moment per
block of k contiguous blocks (:mod:`.partition`), fed with the block's mean square (Adam-mini /
Adalayer style; Xie et al.'s unified framework). ``k = d`` is Adam and ``k = 1`` is AdaSGD, bit
for bit (a mean over one coordinate is exact; the one-block mean is the same reduction as
AdaSGD's). The mean-square statistic is our reading: Xie et al.'s definitions could not be read
(docs/research/neighbouring_results.md, section 5).

References: Kingma and Ba, *Adam: A Method for Stochastic Optimization*, ICLR 2015, Algorithm 1;
Xie, Mohamadi, Li, *Adam Exploits l_inf-geometry of Loss Landscape via Coordinate-wise
Adaptivity*, ICLR 2025 (abstract only); Zhang et al. 2024 (Adam-mini).
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple

from boundcheck.params import Param

from . import partition
from .base import Algorithm, AlgorithmSpec


class AdamState(NamedTuple):
    """``m``: :math:`\\hat m_{t-1}` (R, d); ``v``: :math:`\\hat v_{t-1}` per group (R, k) (k = d
    for Adam, 1 for AdaSGD, the number of blocks for blockwise Adam); ``t``: steps taken (R, 1)."""

    m: Any
    v: Any
    t: Any


BETA1 = Param("beta1", "float", 0.9, "first-moment decay beta1 (0: no momentum, m_hat_t = g_t)",
              low=0.0, high=1.0, high_open=True, search=(0.0, 0.99, "linear"))
BETA2 = Param("beta2", "float", 0.999, "second-moment decay beta2 (1: the running mean of g^2, the beta2 -> 1 "
              "limit with bias correction)", low=0.0, high=1.0, search=(0.9, 1.0, "linear"))
EPS = Param("eps", "float", 1e-8, "epsilon added to sqrt(v_hat), outside the root (Kingma and Ba 2015)",
            low=0.0, low_open=True, allowed="eps > 0 (added to sqrt(v_hat))")
BIAS_CORRECTION = Param("bias_correction", "bool", True, "divide the moments by 1 - beta^(t+1) (Kingma and Ba)")
BLOCKS = Param("blocks", "int", None, "number k of contiguous blocks, one second moment each (1 <= k <= d)",
               low=1, high=10**7, default_text="round(sqrt(d))", search=(1, 64, "log"))


def _correction(beta: float, corrected: bool) -> Callable:
    """``t_next -> (1 - beta) / (1 - beta^t_next)`` per row (or the constant ``1 - beta`` without
    bias correction). ``beta = 1`` gives the limit ``1 / t_next``; ``beta = 0`` gives 1."""
    delta = 1.0 - beta
    if not corrected:
        return lambda t_next, xp: delta
    if delta == 0.0:
        return lambda t_next, xp: 1.0 / t_next
    if delta == 1.0:
        return lambda t_next, xp: 1.0
    log_beta = math.log1p(-delta)
    return lambda t_next, xp: delta / (-xp.expm1(t_next * log_beta))


def _family(statistic, widen, groups, beta1: float, beta2: float, eps: float, bias_correction: bool) -> Algorithm:
    """The shared Adam step (module docstring), given how the second moment is grouped:
    ``statistic(g*g, xp) -> (R, k)``, ``widen(lam_k, d, xp) -> (R, d)`` and ``groups(d) -> k``."""
    a_of = _correction(beta1, bias_correction)
    c_of = _correction(beta2, bias_correction)

    def init(w0, xp) -> AdamState:
        R, d = w0.shape
        return AdamState(m=xp.zeros(w0.shape, dtype=w0.dtype), v=xp.zeros((R, groups(d)), dtype=w0.dtype),
                         t=xp.zeros((R, 1), dtype=w0.dtype))

    def update(w, g, state: AdamState, eta_t, projector, xp):
        t_next = state.t + 1.0
        a = a_of(t_next, xp)
        c = c_of(t_next, xp)
        m = (1.0 - a) * state.m + a * g
        v = (1.0 - c) * state.v + c * statistic(g * g, xp)
        lam = widen(xp.sqrt(v) + eps, w.shape[1], xp)
        step = m / lam
        step *= eta_t
        y = w - step
        if projector is not None:
            y = projector.project(y, xp.broadcast_to(lam, w.shape), xp)
        return y, AdamState(m=m, v=v, t=t_next)

    def preconditioner(state: AdamState, xp):
        """The diagonal of :math:`\\Lambda_{t-1} = \\sqrt{\\hat v_{t-1}} + \\epsilon`, shape (R, d)."""
        return xp.broadcast_to(widen(xp.sqrt(state.v) + eps, state.m.shape[1], xp), state.m.shape)

    def trace(state: AdamState, d: int, xp):
        return xp.sum(preconditioner(state, xp), axis=-1)

    return Algorithm(init=init, update=update, trace=trace, preconditioner=preconditioner)


def make_adam(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, bias_correction: bool = True) -> Algorithm:
    """Adam: one second moment per coordinate."""
    return _family(lambda gg, xp: gg, lambda lam, d, xp: lam, lambda d: d, beta1, beta2, eps, bias_correction)


def make_adasgd(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, bias_correction: bool = True) -> Algorithm:
    """AdaSGD: one scalar second moment, fed with ||g||^2 / d."""
    return _family(lambda gg, xp: xp.mean(gg, axis=-1, keepdims=True), lambda lam, d, xp: lam, lambda d: 1,
                   beta1, beta2, eps, bias_correction)


def make_blockwise(blocks: int | None = None, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                   bias_correction: bool = True) -> Algorithm:
    """Blockwise Adam: one second moment per contiguous block, fed with the block's mean square.
    The partition is fixed on the first call with the dimension (k > d is refused there)."""
    parts: dict[int, partition.Partition] = {}

    def part(d: int) -> partition.Partition:
        if d not in parts:
            parts[d] = partition.contiguous(d, partition.default_blocks(d) if blocks is None else blocks)
        return parts[d]

    return _family(lambda gg, xp: part(gg.shape[1]).means(gg, xp),
                   lambda lam, d, xp: part(d).expand(lam, xp), lambda d: part(d).k,
                   beta1, beta2, eps, bias_correction)


_COMMON = (BETA1, BETA2, EPS, BIAS_CORRECTION)
_TESTS = ({}, {"beta1": 0.0, "beta2": 1.0}, {"bias_correction": False, "beta1": 0.5, "beta2": 0.9})

ADAM = AlgorithmSpec(
    name="adam", title="Adam", reference="Kingma and Ba 2015, Algorithm 1", make=make_adam, params=_COMMON,
    doc="m, v: bias-corrected moment averages of g and g^2; w_{t+1} = Proj^{Lambda_t}(w_t - eta_t m_hat_t / "
        "(sqrt(v_hat_t) + eps)), eps outside the root; beta2 = 1 is the running mean of g^2",
    test_params=_TESTS,
)
ADASGD = AlgorithmSpec(
    name="adasgd", title="AdaSGD (Adam with one scalar second moment)",
    reference="Xie, Mohamadi, Li 2025 (abstract); Kingma and Ba 2015", make=make_adasgd, params=_COMMON,
    doc="Adam with v_hat a scalar average of ||g||^2/d: rotation-equivariant",
    test_params=_TESTS,
)
BLOCKWISE = AlgorithmSpec(
    name="blockwise-adam", title="Blockwise Adam (one second moment per block)",
    reference="Xie, Mohamadi, Li 2025 (abstract); Zhang et al. 2024 (Adam-mini)", make=make_blockwise,
    params=(BLOCKS,) + _COMMON,
    doc="Adam with v_hat per contiguous block, fed with the block's mean of g^2; blocks=d is adam, blocks=1 adasgd",
    test_params=({}, {"blocks": 3}, {"blocks": 1, "beta1": 0.0, "beta2": 1.0}),
)

SPECS = (ADAM, ADASGD, BLOCKWISE)

__all__ = ["AdamState", "make_adam", "make_adasgd", "make_blockwise", "ADAM", "ADASGD", "BLOCKWISE", "SPECS"]
