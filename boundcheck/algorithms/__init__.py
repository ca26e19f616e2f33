"""Optimization algorithms as declared factories of pure, batched, array-namespace-agnostic steps.

Each module declares one :class:`~boundcheck.algorithms.base.AlgorithmSpec` (``SPEC``),
registered in :mod:`boundcheck.manifest`; ``SPEC.build(hyperparameters)`` returns the pure
``init``/``update`` pair (optax's shape, NamedTuple states). Arrays are batches of replicas of
shape ``(R, d)``; ``xp`` is any array-API namespace (NumPy, CuPy, array-api-strict). No I/O,
no randomness, no hidden globals.

- :mod:`.base`          the contract: :class:`~.base.Algorithm`, :class:`~.base.AlgorithmSpec`
- :mod:`.adagrad`       AdaGrad (Liu et al. 2025, Alg. 1), Options I and II
- :mod:`.sgd`           SGD (Alg. 2), Options I and II
- :mod:`.adagrad_norm`  AdaGrad-Norm (Alg. 3), Options I and II
- :mod:`.adam`          Adam (Kingma and Ba 2015), AdaSGD, blockwise Adam (Xie et al. 2025's family)
- :mod:`.partition`     contiguous blocks of coordinates and per-block means
- :mod:`.projections`   Proj_W in the Euclidean and diagonal (Lambda) norms, box and l2 ball
- :mod:`.schedules`     eta_t: constant, eta/sqrt(t+1), a callable, or an array

Look an algorithm up by name with ``boundcheck.registry.get("algorithm", name)``.
"""

from __future__ import annotations

#: Option I: projected onto W; Option II: unconstrained.
OPTIONS = ("I", "II")

__all__ = ["OPTIONS"]
