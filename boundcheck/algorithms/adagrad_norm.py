r"""AdaGrad-Norm: AdaGrad with one scalar step size (Liu, Pan, Zhang 2025, Algorithm 3).

.. math::

    v_{-1} = \epsilon^2, \qquad v_t = v_{t-1} + \|g_t\|_2^2, \qquad b_t = \sqrt{v_t},

    \text{Option I:}\quad w_{t+1} = \operatorname{Proj}_W(w_t - (\eta_t / b_t)\, g_t), \qquad
    \text{Option II:}\quad w_{t+1} = w_t - (\eta_t / b_t)\, g_t.

Algorithm 3 prints :math:`\operatorname{Proj}_W^{\Lambda_t}`; with the scalar
:math:`\Lambda_t = b_t I` the :math:`\Lambda_t`-norm is a multiple of the Euclidean norm, so
the projection is the Euclidean one (our reading; both coincide exactly).

References: Liu et al. 2025, Alg. 3; Ward, Wu, Bottou 2019; Levy, Yurtsever, Cevher 2018.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .base import EPS, Algorithm, AlgorithmSpec


class AdaGradNormState(NamedTuple):
    """``v``: the scalar accumulator :math:`v_{t-1}` per replica, shape (R, 1)."""

    v: Any


def make(eps: float = 1e-8) -> Algorithm:
    """Algorithm 3 with :math:`v_{-1} = \\epsilon^2`."""

    def init(w0, xp) -> AdaGradNormState:
        """:math:`v_{-1} = \\epsilon^2` per replica."""
        return AdaGradNormState(v=xp.full((w0.shape[0], 1), eps * eps, dtype=w0.dtype))

    return Algorithm(init=init, update=update, trace=trace_lambda)


def update(w, g, state: AdaGradNormState, eta_t, projector, xp):
    """One step of Algorithm 3 on a batch ``w`` (R, d)."""
    v = state.v + xp.sum(g * g, axis=-1, keepdims=True)
    b = xp.sqrt(v)
    y = w - eta_t * (g / b)
    if projector is not None:
        y = projector.project(y, None, xp)
    return y, AdaGradNormState(v=v)


def trace_lambda(state: AdaGradNormState, d: int, xp):
    """:math:`\\operatorname{tr}\\Lambda_{t-1} = d\\, b_{t-1}` with :math:`\\Lambda = b I_d`, shape (R,)."""
    return d * xp.sqrt(state.v[:, 0])


SPEC = AlgorithmSpec(
    name="adagrad-norm",
    title="AdaGrad-Norm (scalar step)",
    reference="Liu, Pan, Zhang 2025, Algorithm 3; Ward, Wu, Bottou 2019; Levy et al. 2018",
    make=make,
    params=(EPS,),
    doc="v_t = v_{t-1} + ||g_t||_2^2, w_{t+1} = Proj_W(w_t - eta_t g_t / sqrt(v_t))",
)
