r"""Sign descent (signSGD; Bernstein, Wang, Azizzadenesheli, Anandkumar 2018).

.. math::  w_{t+1} = w_t - \eta_t \operatorname{sign}(g_t)
           \quad(\text{Option I: then the Euclidean projection onto } W),

with :math:`\operatorname{sign}(0) = 0`. Stateless; every coordinate moves by exactly
:math:`\eta_t` (or not at all), which is what makes the l1 norm of the gradient its natural
stationarity measure.
"""

from __future__ import annotations

from typing import NamedTuple

from boundcheck.algorithms.base import Algorithm, AlgorithmSpec


class SignState(NamedTuple):
    """Sign descent carries no state."""


def _init(w0, xp):
    return SignState()


def _update(w, g, state, eta_t, projector, xp):
    y = w - eta_t * xp.sign(g)
    if projector is not None:
        y = projector.project(y, None, xp)
    return y, state


def make() -> Algorithm:
    return Algorithm(init=_init, update=_update)


ALGORITHM = AlgorithmSpec(
    name="sign-descent",
    title="Sign descent (signSGD)",
    reference="Bernstein, Wang, Azizzadenesheli, Anandkumar 2018, Algorithm 1 (signSGD)",
    make=make,
    doc="w_{t+1} = w_t - eta_t sign(g_t) (Option I: Euclidean projection onto W)",
)
