"""The sampling contract: how problems draw randomness, and the only place generators are made.

A problem's ``stochastic_grad(W, M, sampler, xp)`` draws everything it needs from ``sampler``,
an object with one independent stream per row of ``W`` (replica):

- ``sampler.indices(n, m) -> (R, m) int64``: a minibatch of m sample indices, uniform on
  {0..n-1} with replacement (finite sums; Lemma C.2);
- ``sampler.standard_normal(size) -> (R, size)``: standard normal draws (oracle noise);
- ``sampler.uniform(low, high, size) -> (R, size)``: uniform draws (random initial points).

Two samplers implement it:

- :class:`ReplicaStreams` (the engine's, and every Monte Carlo check's): replica ``r`` of seed
  ``S`` draws from ``numpy.random.Generator(PCG64(SeedSequence(S, spawn_key=(r, purpose))))``,
  one generator per *purpose* (minibatch indices, initial point); its oracle noise is the
  counter-based normal stream of :mod:`boundcheck.normal_streams` keyed by
  ``SeedSequence(S, spawn_key=(r, NOISE))`` (call t of the stream is a pure function of the key
  and t; since version 0.2.0, before which it was a PCG64 generator). A replica never touches
  another replica's generator or key, so running replicas 0..7 together gives the same bits
  as running each alone, and chunking replicas changes nothing. Two samplers built with the
  same seed and rows replay the same draws: that is how a check evaluates the stochastic
  gradient at the *same* sample xi at two points (Assumption E.4).
- :class:`EverySample` (exact expectations over a finite sum): row i of the batch gets sample
  i, so the mean over the rows is ``E_xi`` under uniform sampling, computed, not estimated.

Other randomness (points at which a check samples an inequality) comes from
:func:`generator`, so no layer builds generators of its own.

Minibatch indices are drawn in fixed blocks of :data:`INDEX_BLOCK` steps per replica (one call
per block instead of one per step); the block size is a constant, so the sequence a replica
sees does not depend on T, on R, or on chunking. Random numbers are drawn host-side with NumPy
and converted to the backend by the caller, which makes every backend see the same numbers.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

#: Purposes (the second spawn-key entry). Part of the reproducibility contract.
BATCH, NOISE, INIT = 0, 1, 2
#: Steps of minibatch indices drawn per call and replica.
INDEX_BLOCK = 64


class ReplicaStreams:
    """Per-replica generators for replicas ``replicas`` (ids, not positions) of seed ``seed``."""

    def __init__(self, seed: int, replicas: Sequence[int]):
        self.seed = int(seed)
        self.replicas = tuple(int(r) for r in replicas)
        self._gens: dict[int, list[np.random.Generator]] = {}
        self._index_buf: np.ndarray | None = None
        self._index_key: tuple[int, int] | None = None
        self._index_pos = 0
        self._noise_keys: np.ndarray | None = None
        self._noise_calls = 0

    def __len__(self) -> int:
        return len(self.replicas)

    def generators(self, purpose: int) -> list[np.random.Generator]:
        """The R generators for ``purpose`` (created once, then advanced)."""
        if purpose not in self._gens:
            self._gens[purpose] = [
                np.random.Generator(
                    np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(r, purpose)))
                )
                for r in self.replicas
            ]
        return self._gens[purpose]

    def indices(self, n: int, m: int) -> np.ndarray:
        """(R, m) int64: one minibatch of m indices uniform on {0..n-1}, with replacement."""
        key = (int(n), int(m))
        if self._index_key != key or self._index_pos >= INDEX_BLOCK:
            if self._index_key is not None and self._index_key != key and self._index_pos:
                raise RuntimeError("minibatch shape changed within a run")
            gens = self.generators(BATCH)
            buf = np.empty((INDEX_BLOCK, len(gens), m), dtype=np.int64)
            for k, g in enumerate(gens):
                buf[:, k, :] = g.integers(0, n, size=(INDEX_BLOCK, m), dtype=np.int64)
            self._index_buf, self._index_key, self._index_pos = buf, key, 0
        out = self._index_buf[self._index_pos]
        self._index_pos += 1
        return out

    def noise_keys(self) -> np.ndarray:
        """(R, 2) uint64: the Philox keys (two 32-bit words) of the replicas' normal streams."""
        if self._noise_keys is None:
            self._noise_keys = np.array(
                [np.random.SeedSequence(self.seed, spawn_key=(r, NOISE)).generate_state(2, np.uint32)
                 for r in self.replicas], dtype=np.uint64).reshape(len(self.replicas), 2)
        return self._noise_keys

    def standard_normal(self, size: int, dtype=np.float64) -> np.ndarray:
        """(R, size) standard normal draws (oracle noise), one row per replica: call t of each
        replica's counter-based stream (:mod:`boundcheck.normal_streams`), drawn as float64."""
        from boundcheck.normal_streams import normals

        out = normals(self.noise_keys(), self._noise_calls, int(size), dtype=dtype)
        self._noise_calls += 1
        return out

    def uniform(self, low: float, high: float, size: int) -> np.ndarray:
        """(R, size) uniform draws on [low, high) (random initial points)."""
        gens = self.generators(INIT)
        return np.stack([g.uniform(low, high, size=size) for g in gens])


class EverySample:
    """A sampler that hands a finite sum each of its n samples exactly once: ``indices(n, 1)``
    is the column ``0..n-1`` (row i gets sample i), so the mean of the resulting per-row
    gradients is ``E_xi grad f(w; xi)`` for uniform sampling, exactly."""

    def indices(self, n: int, m: int) -> np.ndarray:
        if m != 1:
            raise ValueError("enumeration is per single sample (M = 1)")
        return np.arange(int(n), dtype=np.int64)[:, None]

    def standard_normal(self, size: int, dtype=np.float64):
        raise NotImplementedError("an oracle with continuous noise has no finite set of samples to enumerate")

    def uniform(self, low: float, high: float, size: int):
        raise NotImplementedError("an oracle with continuous noise has no finite set of samples to enumerate")


def generator(seed: int = 0) -> np.random.Generator:
    """A NumPy Generator for auxiliary draws (e.g. the points at which an assumption check
    samples its inequality): ``PCG64(SeedSequence(seed))``, independent of every replica stream
    (those use the spawn keys ``(replica, purpose)``)."""
    return np.random.default_rng(int(seed))


__all__ = ["ReplicaStreams", "EverySample", "generator", "INDEX_BLOCK", "BATCH", "NOISE", "INIT"]
