r"""AdaGrad with a diagonal preconditioner (Liu, Pan, Zhang 2025, Algorithm 1).

.. math::

    v_{-1} = \epsilon^2 \mathbf 1_d, \qquad
    v_t = v_{t-1} + g_t \odot g_t, \qquad
    \Lambda_t = \operatorname{diag}(\sqrt{v_t}),

    \text{Option I:}\quad w_{t+1} = \operatorname{Proj}_W^{\Lambda_t}\!\bigl(w_t - \eta_t \Lambda_t^{-1} g_t\bigr),
    \qquad
    \text{Option II:}\quad w_{t+1} = w_t - \eta_t \Lambda_t^{-1} g_t,

where :math:`\operatorname{Proj}_W^{\Lambda}(y) = \arg\min_{z\in W} \|z - y\|_{\Lambda}^2` and
:math:`\|x\|_\Lambda^2 = \sum_j \Lambda_{jj} x_j^2`. Note that :math:`\Lambda_t` already
contains the current gradient :math:`g_t` (the accumulator is updated before the step).

References: Liu, Pan, Zhang, *AdaGrad under Anisotropic Smoothness*, ICLR 2025, Alg. 1;
Duchi, Hazan, Singer 2011.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from boundcheck.jit import kernel

from .base import EPS, Algorithm, AlgorithmSpec


class AdaGradState(NamedTuple):
    """``v``: the accumulator :math:`v_{t-1}` (shape (R, d)), :math:`v_{-1} = \\epsilon^2`."""

    v: Any


def make(eps: float = 1e-8) -> Algorithm:
    """Algorithm 1 with accumulator start :math:`v_{-1} = \\epsilon^2 \\mathbf 1`."""

    def init(w0, xp) -> AdaGradState:
        """:math:`v_{-1} = \\epsilon^2 \\mathbf 1` for each replica (same shape and dtype as ``w0``)."""
        return AdaGradState(v=xp.full(w0.shape, eps * eps, dtype=w0.dtype))

    return Algorithm(init=init, update=update, trace=trace_lambda, preconditioner=preconditioner)


def preconditioner(state: AdaGradState, xp):
    """The diagonal of :math:`\\Lambda = \\operatorname{diag}(\\sqrt{v})` of the state, shape (R, d)."""
    return xp.sqrt(state.v)


def update(w, g, state: AdaGradState, eta_t, projector, xp):
    """One step of Algorithm 1 on a batch ``w`` (R, d) with minibatch gradients ``g`` (R, d).

    ``projector`` is None (Option II) or a projection with ``project(y, weights, xp)``
    (Option I), called with the weights :math:`\\sqrt{v_t}` of the :math:`\\Lambda_t`-norm
    (computed only for a projector that uses them: clipping onto a box is the projection in
    every diagonal norm). Returns ``(w_next, new_state)``.

    On NumPy the elementwise step runs as one compiled pass (:func:`_step`) when numba is
    available: the same IEEE operations in the same order (``v = g*g + v``, ``y = w -
    (g/sqrt(v))*eta``), so the same bits as the NumPy expression below.
    """
    f = _step.get() if xp is np else None
    if f is not None and w.flags.c_contiguous and g.flags.c_contiguous and state.v.flags.c_contiguous:
        y = np.empty_like(w)
        v = np.empty_like(w)
        f(w, g, state.v, w.dtype.type(eta_t), y, v)
    else:
        v = g * g
        v += state.v  # v_t = v_{t-1} + g_t * g_t (fresh array: in-place is safe and saves a pass)
        step = g / xp.sqrt(v)
        step *= eta_t
        y = w - step
    if projector is not None:
        lam = xp.sqrt(v) if getattr(projector, "weighted", True) else None
        y = projector.project(y, lam, xp)
    return y, AdaGradState(v=v)


@kernel
def _step(w, g, v_prev, eta, y, v):  # pragma: no cover - compiled by numba
    R, d = w.shape
    for r in range(R):
        for j in range(d):
            gj = g[r, j]
            vj = gj * gj + v_prev[r, j]
            v[r, j] = vj
            y[r, j] = w[r, j] - (gj / np.sqrt(vj)) * eta


def trace_lambda(state: AdaGradState, d: int, xp):
    """:math:`\\operatorname{tr}\\Lambda_{t-1} = \\sum_j \\sqrt{v_{t-1,j}}` per replica, shape (R,)."""
    return xp.sum(xp.sqrt(state.v), axis=-1)


SPEC = AlgorithmSpec(
    name="adagrad",
    title="AdaGrad (diagonal)",
    reference="Liu, Pan, Zhang 2025, Algorithm 1; Duchi, Hazan, Singer 2011",
    make=make,
    params=(EPS,),
    doc="v_t = v_{t-1} + g_t^2, w_{t+1} = Proj^{Lambda_t}(w_t - eta_t g_t / sqrt(v_t)); Lambda_t includes g_t",
)
