r"""Subset-Norm AdaGrad: one step size per block of coordinates (Nguyen & Nguyen 2025).

For a partition ``B_1 .. B_k`` of the d coordinates (:mod:`.partition`; hyperparameter
``blocks=k``, contiguous ``numpy.array_split`` blocks by default, or ``partition="0-3/4-7"``):

.. math::

    v_{B,-1} = \epsilon^2, \qquad v_{B,t} = v_{B,t-1} + \|g_{B,t}\|_2^2, \qquad
    \Lambda_t = \operatorname{diag}\bigl(\sqrt{v_{B(j),t}}\bigr)_{j},

    \text{Option I:}\quad w_{t+1} = \operatorname{Proj}_W^{\Lambda_t}\bigl(w_t - \eta_t \Lambda_t^{-1} g_t\bigr),
    \qquad
    \text{Option II:}\quad w_{t+1} = w_t - \eta_t \Lambda_t^{-1} g_t .

The accumulator starts at ``eps^2`` as in Liu et al.'s Algorithm 1 (the authors' code puts eps
outside the root with the accumulator at 0: ``docs/research/neighbouring_results.md``, section 2),
so that ``k = d`` singletons *is* AdaGrad (Algorithm 1) and ``k = 1`` *is* AdaGrad-Norm
(Algorithm 3), bit for bit (tested through the engine and the CLI). The optimizer state is the
k accumulators per replica (shape ``(R, k)``): ``k`` floats instead of AdaGrad's ``d``.

**Option I** projects in the block-scalar :math:`\Lambda_t`-norm: on a box that is clipping (any
diagonal norm); on a ball the weights :math:`\sqrt{v_{B(j)}}` are broadcast per coordinate. With
one block the :math:`\Lambda_t`-norm is a multiple of the Euclidean norm, so the projection is the
Euclidean one (computed as such, exactly as AdaGrad-Norm does).

**Identical arithmetic at the two ends** (:class:`~.partition.Partition`): the block sums of
``g * g`` are ``g * g`` itself for singletons and ``xp.sum(g * g, axis=-1, keepdims=True)`` for
one block (AdaGrad-Norm's own call); the step is ``(g / Lambda) * eta_t`` with the per-block
root broadcast by indexing (for singletons no broadcast, for one block NumPy broadcasting of the
``(R, 1)`` column); ``v_t = v_{t-1} + s`` (IEEE addition is commutative, so this equals AdaGrad's
``g * g + v``). The trace ``tr Lambda = sum_B |B| sqrt(v_B)`` multiplies by ``|B|`` as a float
(1.0 for singletons: exact) and sums over blocks (one term for one block: exact, AdaGrad-Norm's
``d sqrt(v)``).

References: Nguyen & Nguyen, *Lean and Mean Adaptive Optimization via Subset-Norm and
Subspace-Momentum with Convergence Guarantees*, ICML 2025 (step-size sharing); Liu, Pan, Zhang
2025, Algorithms 1 and 3 (the two limits); the block bounds: ``thmSN.convex``, ``thmSN.nonconvex``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from boundcheck.params import Param
from boundcheck.validation import InputError

from . import partition as _partition
from .base import EPS, Algorithm, AlgorithmSpec


class SubsetNormState(NamedTuple):
    """``v``: the block accumulators :math:`v_{B,t-1}`, shape (R, k); :math:`v_{B,-1} = \\epsilon^2`."""

    v: Any


BLOCKS = Param("blocks", "int", None,
               "k, the number of blocks (one accumulator each): k = d is AdaGrad, k = 1 AdaGrad-Norm",
               low=1, default_text="round(sqrt(d)) contiguous blocks (Nguyen & Nguyen's O(sqrt d) memory)",
               allowed="integers 1 <= blocks <= d")
PARTITION = Param("partition", "str", None,
                  f"a given partition: blocks separated by '{_partition.SEPARATOR}', each a comma list of "
                  f"indices or ranges a-b, covering 0..d-1 once (e.g. 0-3{_partition.SEPARATOR}4-7)",
                  default_text="contiguous (numpy.array_split sizes)")


def make(eps: float = 1e-8, blocks: int | None = None, partition: str | None = None) -> Algorithm:
    """Subset-Norm AdaGrad with ``v_{B,-1} = eps^2`` on the partition of ``blocks`` / ``partition``
    (resolved when the dimension is known: :func:`.partition.resolve`)."""
    if partition is not None:
        _partition.parse(partition)  # syntax at the door; coverage needs d
    memo: dict[tuple[int, int], _partition.Partition] = {}
    dims_of_k: dict[int, set] = {}

    def part(d: int, k: int | None = None) -> _partition.Partition:
        key = (int(d), -1 if k is None else int(k))
        p = memo.get(key)
        if p is None:
            p = _partition.resolve(int(d), blocks, partition)
            if k is not None and p.k != k:
                raise InputError(f"subset-norm state has {k} blocks but the partition of d={d} has {p.k}")
            memo[(int(d), p.k)] = memo[(int(d), -1)] = p
            dims_of_k.setdefault(p.k, set()).add(int(d))
        return p

    def init(w0, xp) -> SubsetNormState:
        """``v_{B,-1} = eps^2`` for each block of each replica (dtype of ``w0``)."""
        p = part(w0.shape[-1])
        return SubsetNormState(v=xp.full((w0.shape[0], p.k), eps * eps, dtype=w0.dtype))

    def update(w, g, state: SubsetNormState, eta_t, projector, xp):
        """One step on a batch ``w`` (R, d) with minibatch gradients ``g`` (R, d)."""
        p = part(w.shape[-1], state.v.shape[-1])
        v = state.v + p.sums(g * g, xp)  # v_{B,t} = v_{B,t-1} + ||g_{B,t}||^2
        lam = p.broadcast(xp.sqrt(v), xp)
        step = g / lam
        step *= eta_t
        y = w - step
        if projector is not None:
            y = projector.project(y, None if p.k == 1 else lam, xp)
        return y, SubsetNormState(v=v)

    def trace(state: SubsetNormState, d: int, xp):
        """``tr Lambda_{t-1} = sum_B |B| sqrt(v_{B,t-1})`` per replica, shape (R,)."""
        return part(d, state.v.shape[-1]).weighted_total(xp.sqrt(state.v), xp)

    def preconditioner(state: SubsetNormState, xp):
        """The diagonal of ``Lambda_{t-1}``, shape (R, d): each block's ``sqrt(v_B)`` broadcast.
        The dimension is the one this configured algorithm was initialised with."""
        k = state.v.shape[-1]
        dims = dims_of_k.get(k, set())
        if len(dims) != 1:
            raise InputError(f"subset-norm: the dimension of a state with {k} blocks is unknown "
                             f"(initialised with d in {sorted(dims) or 'none'}); build one algorithm per problem")
        return part(next(iter(dims)), k).expand(xp.sqrt(state.v), xp)

    def partition_of(d: int) -> _partition.Partition:
        """The partition of ``0..d-1`` this configuration shares step sizes over."""
        return part(d)

    return Algorithm(init=init, update=update, trace=trace, preconditioner=preconditioner,
                     partition=partition_of)


SPEC = AlgorithmSpec(
    name="subset-norm",
    title="Subset-Norm AdaGrad (one step size per block)",
    reference="Nguyen & Nguyen 2025 (ICML), step-size sharing; Liu, Pan, Zhang 2025, Alg. 1 (k = d), Alg. 3 (k = 1)",
    make=make,
    params=(EPS, BLOCKS, PARTITION),
    doc="v_B += ||g_B||_2^2 (v_{B,-1} = eps^2), w_B -= eta_t g_B / sqrt(v_B); blocks=d is adagrad, blocks=1 "
        "adagrad-norm (bit for bit)",
    test_params=({}, {"blocks": 1}, {"blocks": 3}),
)

__all__ = ["SPEC", "SubsetNormState", "make"]
