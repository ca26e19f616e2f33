"""What an algorithm is: a declared factory of pure batched steps (the optax shape).

An algorithm component is an :class:`AlgorithmSpec`: its name (the engine's contract, e.g.
``"adagrad"``), title and reference, its declared hyperparameters (:class:`~boundcheck.params.Param`)
and a factory ``make(**hyperparameters) -> Algorithm``. The hyperparameters live in the
factory's closure; nothing downstream asks which algorithm it is.

:class:`Algorithm` is the pair of pure functions the engine runs on a batch of replicas
(arrays of shape ``(R, d)`` in any array-API namespace ``xp``), plus what the engine may ask of
it:

- ``init(w0, xp) -> state``: a tiny ``NamedTuple`` of arrays whose rows are replicas;
- ``update(w, g, state, eta_t, projector, xp) -> (w_next, state)``: one step; ``projector`` is
  None (Option II) or the feasible set's projection with ``project(y, weights, xp)`` (Option I;
  ``weights`` None for the Euclidean norm, else the diagonal of the norm, e.g. AdaGrad's
  :math:`\\Lambda_t`);
- ``trace(state, d, xp) -> (R,)`` (optional): :math:`\\operatorname{tr}\\Lambda_{t-1}` of a
  preconditioned method (metric ``trace_lambda``; Lemma F.4); None for methods without one;
- ``preconditioner(state, xp) -> (R, d)`` (optional): the diagonal of :math:`\\Lambda_{t-1}`
  (per-coordinate effective step ``eta_t / Lambda_jj``).
- ``partition(d) -> Partition`` (optional): the partition of the coordinates into blocks over
  which the method shares one step size (:mod:`boundcheck.algorithms.partition`; Subset-Norm).
  The group-norm metric and the block constants read it, so they always use the partition the
  run used; None for methods without blocks.

Rules the engine relies on (and its invariant tests check for every registered algorithm):
row r of every output depends only on row r of the inputs (replicas are independent); no
randomness, no I/O, no hidden state. Bit-identity across chunkings of replicas is the engine's
job: it pads every batch to a multiple of :data:`boundcheck.engine.runner.ROW_PAD` rows, so a
product such as ``g @ B`` is row-stable without any care from the algorithm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

from boundcheck.params import Param, bind


class Algorithm(NamedTuple):
    """The pure functions of one configured algorithm (see the module docstring)."""

    init: Callable[[Any, Any], Any]
    update: Callable[..., tuple]
    trace: Callable[[Any, int, Any], Any] | None = None
    preconditioner: Callable[[Any, Any], Any] | None = None
    partition: Callable[[int], Any] | None = None


@dataclass(frozen=True)
class AlgorithmSpec:
    """A registered algorithm: name, reference, declared hyperparameters and factory.

    ``test_params``: hyperparameter sets the engine's invariant tests run this algorithm with
    (benchopt's ``test_config``); the default is the declared defaults.
    """

    name: str
    title: str
    reference: str
    make: Callable[..., Algorithm]
    params: tuple[Param, ...] = ()
    doc: str = ""
    test_params: tuple[Mapping[str, Any], ...] = field(default_factory=lambda: ({},))

    def bind(self, hyperparameters: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The validated hyperparameters (declared defaults filled in)."""
        return bind(self.params, dict(hyperparameters or {}), f"algorithm {self.name!r}")

    def build(self, hyperparameters: Mapping[str, Any] | None = None) -> Algorithm:
        """``make(**validated hyperparameters)``."""
        return self.make(**self.bind(hyperparameters))

    def has_param(self, name: str) -> bool:
        return any(p.name == name for p in self.params)


def get(name: str) -> AlgorithmSpec:
    """The registered algorithm called ``name`` (InputError with the known names otherwise)."""
    from boundcheck import registry

    return registry.get("algorithm", name)


def names() -> list[str]:
    from boundcheck import registry

    return registry.names("algorithm")


#: The AdaGrad-family epsilon, shared by every method with ``v_{-1} = eps^2``.
EPS = Param("eps", "float", 1e-8, "epsilon of the accumulator: v_{-1} = eps^2 (must be > 0)",
            low=0.0, low_open=True, allowed="eps > 0 (the accumulator starts at v_{-1} = eps^2)")


__all__ = ["Algorithm", "AlgorithmSpec", "EPS", "get", "names"]
