"""One independent random stream per replica, derived from ``(seed, replica, purpose)``.

Replica ``r`` of a run with seed ``S`` draws everything from
``numpy.random.Generator(PCG64(SeedSequence(S, spawn_key=(r, purpose))))``, one generator per
*purpose* (minibatch indices, oracle noise, initial point). Because a replica never touches
another replica's generator, running replicas 0..7 together gives the same bits as running
each alone, and chunking replicas does not change anything.

Minibatch indices are drawn in fixed blocks of :data:`INDEX_BLOCK` steps per replica (one
call per block instead of one per step); the block size is a constant, so the sequence a
replica sees does not depend on T, on R, or on chunking.

Random numbers are drawn host-side with NumPy and converted to the backend by the caller
(:mod:`boundcheck.engine.backend`), which makes every backend see the same numbers.
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

    def standard_normal(self, size: int, dtype=np.float64) -> np.ndarray:
        """(R, size) standard normal draws (oracle noise), one row per replica."""
        gens = self.generators(NOISE)
        out = np.empty((len(gens), size), dtype=dtype)
        for k, g in enumerate(gens):
            g.standard_normal(size=size, dtype=dtype, out=out[k])
        return out

    def uniform(self, low: float, high: float, size: int) -> np.ndarray:
        """(R, size) uniform draws on [low, high) (random initial points)."""
        gens = self.generators(INIT)
        return np.stack([g.uniform(low, high, size=size) for g in gens])
