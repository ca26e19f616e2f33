r"""Stochastic gradient descent (Liu, Pan, Zhang 2025, Algorithm 2).

.. math::

    \text{Option I:}\quad w_{t+1} = \operatorname{Proj}_W(w_t - \eta_t g_t), \qquad
    \text{Option II:}\quad w_{t+1} = w_t - \eta_t g_t,

with the Euclidean projection onto W. SGD has no state; :class:`SGDState` is empty so that
every algorithm has the same ``init``/``update`` shape.
"""

from __future__ import annotations

from typing import NamedTuple

from .base import Algorithm, AlgorithmSpec


class SGDState(NamedTuple):
    """SGD carries no state."""


def _init(w0, xp) -> SGDState:
    return SGDState()


def update(w, g, state: SGDState, eta_t, projector, xp):
    """One step of Algorithm 2; Euclidean projection when ``projector`` is given (Option I)."""
    y = w - eta_t * g
    if projector is not None:
        y = projector.project(y, None, xp)
    return y, state


def make() -> Algorithm:
    """Algorithm 2 (no hyperparameters; no preconditioner, so no ``trace``)."""
    return Algorithm(init=_init, update=update)


SPEC = AlgorithmSpec(
    name="sgd",
    title="SGD",
    reference="Liu, Pan, Zhang 2025, Algorithm 2",
    make=make,
    doc="w_{t+1} = Proj_W(w_t - eta_t g_t) (Option I) or w_t - eta_t g_t (Option II)",
)
