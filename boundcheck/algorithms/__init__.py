"""The paper's algorithms as pure, batched, array-namespace-agnostic steps.

Each module follows optax's shape: a tiny ``NamedTuple`` state, ``init(w0, ...) -> state``
and ``update(w, g, state, eta_t, projector, xp) -> (w_next, state)``. Arrays are batches of
replicas of shape ``(R, d)``; ``xp`` is any array-API namespace (NumPy, CuPy,
array-api-strict). No I/O, no randomness, no hidden globals.

- :mod:`.adagrad`       AdaGrad (Liu et al. 2025, Alg. 1), Options I and II
- :mod:`.sgd`           SGD (Alg. 2), Options I and II
- :mod:`.adagrad_norm`  AdaGrad-Norm (Alg. 3), Options I and II
- :mod:`.projections`   Proj_W in the Euclidean and diagonal (Lambda) norms, box and l2 ball
- :mod:`.schedules`     eta_t: constant, eta/sqrt(t+1), a callable, or an array
"""

from __future__ import annotations

from . import adagrad, adagrad_norm, sgd

#: Engine names of the algorithms (a contract) -> module with ``init``/``update``.
ALGORITHMS = {"adagrad": adagrad, "sgd": sgd, "adagrad-norm": adagrad_norm}
#: Option I: projected onto W; Option II: unconstrained.
OPTIONS = ("I", "II")

__all__ = ["ALGORITHMS", "OPTIONS", "adagrad", "sgd", "adagrad_norm"]
