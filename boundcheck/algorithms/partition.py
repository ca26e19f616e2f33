r"""Partitions of the coordinates into blocks, and the batched block sums and broadcasts.

Subset-Norm AdaGrad (Nguyen & Nguyen 2025; :mod:`boundcheck.algorithms.subset_norm`) shares one
step size per block ``B_1 .. B_k`` of a partition of ``{0, ..., d-1}``. The same partition is read
by the constants layer (the block constants ``L_B``, ``sigma_B``, ``D_B``) and by the group-norm
metric ``||x||_{B,1} = sum_B ||x_B||_2``, always through the configured algorithm's ``partition(d)``
capability, so the three can never disagree.

- :func:`contiguous` (the default): k contiguous blocks with the sizes of ``numpy.array_split``
  (the first ``d mod k`` blocks one longer), the same as
  :func:`boundcheck.theory.proofs.subset_norm.contiguous_partition`;
- :func:`parse` a given partition from text: blocks separated by ``/``, each a comma list of
  indices or inclusive ranges ``a-b`` (``"0-3/4-7"``, ``"0,2/1,3"``); every coordinate exactly once.

:meth:`Partition.sums` maps rows ``(R, d) -> (R, k)`` (``sum_{j in B} x_j``) and
:meth:`Partition.broadcast` maps ``(R, k) -> (R, d)`` (``y_{B(j)}``), in any array-API namespace.
Their arithmetic is chosen so that the two ends of the family reproduce the existing algorithms
bit for bit:

- singletons in order (``k = d``): ``sums`` returns x itself and ``broadcast`` y itself (no
  arithmetic at all: AdaGrad's per-coordinate ``v + g^2``);
- one block (``k = 1``): ``sums`` is ``xp.sum(x, axis=-1, keepdims=True)``, the exact call
  AdaGrad-Norm makes (NumPy's pairwise summation over the row), and ``broadcast`` leaves the
  ``(R, 1)`` column to NumPy broadcasting, as AdaGrad-Norm does;
- contiguous ``array_split`` layouts: at most two reshapes ``(R, r, q + 1)`` and ``(R, k - r, q)``
  summed over the last axis (vectorised; no Python loop over blocks);
- any other partition: a product with the ``(d, k)`` 0/1 block-indicator matrix (row-stable:
  the engine pads every batch to full BLAS tiles, :data:`boundcheck.engine.runner.ROW_PAD`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from boundcheck.validation import InputError, integer

#: Blocks are separated by this character in a partition given as text (no shell quoting needed).
SEPARATOR = "/"


@dataclass(frozen=True, eq=False)
class Partition:
    """A partition of ``0..d-1`` into k non-empty blocks.

    ``labels``: (d,) int array, ``labels[j]`` the block of coordinate j (blocks numbered in the
    order given); ``sizes``: (k,) int array ``|B|``; ``layout``: ``"singletons"``, ``"one"``,
    ``"contiguous"`` (the ``array_split`` layout) or ``"general"``.
    """

    labels: np.ndarray
    sizes: np.ndarray
    layout: str
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def d(self) -> int:
        return int(self.labels.size)

    @property
    def k(self) -> int:
        return int(self.sizes.size)

    def blocks(self) -> list[np.ndarray]:
        """The blocks as index arrays, in block order."""
        return [np.flatnonzero(self.labels == b) for b in range(self.k)]

    def text(self) -> str:
        """The partition in the text form :func:`parse` reads (ranges where contiguous)."""
        parts = []
        for idx in self.blocks():
            runs, start = [], int(idx[0])
            for a, b in zip(idx[:-1], idx[1:]):
                if b != a + 1:
                    runs.append((start, int(a)))
                    start = int(b)
            runs.append((start, int(idx[-1])))
            parts.append(",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs))
        return SEPARATOR.join(parts)

    # ------------------------------------------------------------------ batched operations
    def _arrays(self, xp, dtype):
        key = (getattr(xp, "__name__", str(xp)), str(dtype))
        if key not in self._cache:
            onehot = np.zeros((self.d, self.k))
            onehot[np.arange(self.d), self.labels] = 1.0
            self._cache[key] = {
                "labels": xp.asarray(self.labels.astype(np.int64)),
                "sizes": xp.asarray(self.sizes.astype(np.float64), dtype=dtype),
                "onehot": xp.asarray(onehot, dtype=dtype),
            }
        return self._cache[key]

    def _reduce(self, x, xp, op):
        """``(R, d) -> (R, k)`` with the reduction ``op`` (``xp.sum`` or ``xp.mean``) over each
        block; the arithmetic per layout is the module docstring's."""
        if self.layout == "singletons":
            return x
        if self.layout == "one":
            return op(x, axis=-1, keepdims=True)
        R = x.shape[0]
        if self.layout == "contiguous":
            q, r = divmod(self.d, self.k)
            cut = r * (q + 1)
            parts = []
            if r:
                parts.append(op(xp.reshape(x[:, :cut], (R, r, q + 1)), axis=-1))
            if self.k - r:
                parts.append(op(xp.reshape(x[:, cut:], (R, self.k - r, q)), axis=-1))
            return parts[0] if len(parts) == 1 else xp.concat(parts, axis=1)
        sums = x @ self._arrays(xp, x.dtype)["onehot"]
        return sums if op is xp.sum else sums / self._arrays(xp, x.dtype)["sizes"]

    def sums(self, x, xp):
        """``(R, d) -> (R, k)``: ``sum_{j in B} x_j`` per row (see the module docstring)."""
        return self._reduce(x, xp, xp.sum)

    def means(self, x, xp):
        """``(R, d) -> (R, k)``: the mean ``|B|^-1 sum_{j in B} x_j`` per row (blockwise Adam's
        second-moment statistic). A singleton block returns its coordinate exactly; one block is
        ``xp.mean(x, axis=-1, keepdims=True)`` (AdaSGD's ``||g||^2 / d`` call), so blockwise Adam's
        ends equal Adam and AdaSGD bit for bit."""
        return self._reduce(x, xp, xp.mean)

    def broadcast(self, y, xp):
        """``(R, k) -> (R, d)``: ``y_{B(j)}`` per coordinate (``(R, 1)`` stays a column for one
        block: NumPy broadcasting does the rest, as in AdaGrad-Norm)."""
        if self.layout in ("singletons", "one"):
            return y
        return xp.take(y, self._arrays(xp, y.dtype)["labels"], axis=1)

    def expand(self, y, xp):
        """``(R, k) -> (R, d)`` always as a full array (``broadcast`` may leave a column)."""
        if self.layout == "singletons":
            return y
        return xp.take(y, self._arrays(xp, y.dtype)["labels"], axis=1)

    def weighted_total(self, y, xp):
        """``(R, k) -> (R,)``: ``sum_B |B| y_B`` (the trace of a block-scalar diagonal)."""
        return xp.sum(self._arrays(xp, y.dtype)["sizes"] * y, axis=-1)


# ---------------------------------------------------------------------- constructors
def _layout(labels: np.ndarray, sizes: np.ndarray) -> str:
    d, k = labels.size, sizes.size
    if k == d and np.array_equal(labels, np.arange(d)):
        return "singletons"
    if k == 1:
        return "one"
    if np.array_equal(labels, _contiguous_labels(d, k)):
        return "contiguous"
    return "general"


def _contiguous_labels(d: int, k: int) -> np.ndarray:
    return np.repeat(np.arange(k), [b.size for b in np.array_split(np.arange(d), k)])


def contiguous(d, k, owner: str = "blocks") -> Partition:
    """k contiguous blocks of ``0..d-1`` with ``numpy.array_split`` sizes (InputError naming
    ``owner`` unless ``1 <= k <= d``)."""
    d = integer("d", d, low=1)
    k = integer(owner, k, low=1)
    if k > d:
        raise InputError(f"{owner}={k} is out of range for d={d}; allowed: integers in [1, {d}]")
    return from_labels(_contiguous_labels(d, k))


def from_labels(labels) -> Partition:
    """The partition with ``labels[j]`` = block of j (labels 0..k-1, each used)."""
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    if labels.size == 0:
        raise InputError("a partition needs at least one coordinate")
    uniq, inv = np.unique(labels, return_inverse=True)
    if uniq[0] < 0 or uniq.size != int(uniq[-1]) + 1:
        raise InputError("partition labels must be 0..k-1, each used")
    sizes = np.bincount(inv).astype(np.int64)
    return Partition(labels=inv.astype(np.int64), sizes=sizes, layout=_layout(inv, sizes))


def from_blocks(blocks, d) -> Partition:
    """From a list of index lists covering ``0..d-1`` exactly once (InputError otherwise)."""
    d = integer("d", d, low=1)
    labels = np.full(d, -1, dtype=np.int64)
    for b, block in enumerate(blocks):
        idx = np.asarray(block, dtype=np.int64).reshape(-1)
        if idx.size == 0:
            raise InputError(f"partition: block {b} is empty; allowed: non-empty blocks covering 0..{d - 1}")
        if np.any((idx < 0) | (idx >= d)):
            bad = int(idx[(idx < 0) | (idx >= d)][0])
            raise InputError(f"partition: index {bad} is outside 0..{d - 1} (d={d})")
        seen = labels[idx] >= 0
        if np.any(seen) or np.unique(idx).size != idx.size:
            j = int(idx[np.argmax(seen)]) if np.any(seen) else int(idx[0])
            raise InputError(f"partition: coordinate {j} is in more than one block")
        labels[idx] = b
    if np.any(labels < 0):
        raise InputError(f"partition: coordinate {int(np.argmin(labels))} is in no block; allowed: "
                         f"blocks whose union is 0..{d - 1}")
    return from_labels(labels)


def parse(text: str) -> list[list[int]]:
    """``"0-3/4,6/5,7"`` -> ``[[0, 1, 2, 3], [4, 6], [5, 7]]`` (syntax only; coverage is
    checked against d by :func:`from_blocks`)."""
    blocks = []
    for part in str(text).split(SEPARATOR):
        idx: list[int] = []
        for item in part.split(","):
            item = item.strip()
            if not item:
                raise InputError(f"partition={text!r} has an empty entry; allowed: blocks separated by "
                                 f"'{SEPARATOR}', each a comma list of indices or ranges a-b (e.g. 0-3{SEPARATOR}4-7)")
            lo, sep, hi = item.partition("-")
            try:
                a = int(lo)
                b = int(hi) if sep else a
            except ValueError:
                raise InputError(f"partition={text!r}: {item!r} is not an index or a range a-b") from None
            if b < a:
                raise InputError(f"partition={text!r}: range {item!r} is empty (a-b needs a <= b)")
            idx.extend(range(a, b + 1))
        blocks.append(idx)
    return blocks


def resolve(d: int, blocks: int | None = None, partition: str | None = None) -> Partition:
    """The partition of ``0..d-1`` an algorithm with hyperparameters ``blocks`` / ``partition``
    uses: the given partition (its number of blocks must equal ``blocks`` when both are given),
    else ``blocks`` contiguous blocks, else :func:`default_blocks` contiguous blocks."""
    if partition is not None:
        p = from_blocks(parse(partition), d)
        if blocks is not None and int(blocks) != p.k:
            raise InputError(f"blocks={blocks} disagrees with the partition given ({p.k} blocks); "
                             "give one of them")
        return p
    return contiguous(d, default_blocks(d) if blocks is None else blocks)


def default_blocks(d: int) -> int:
    """``round(sqrt(d))``: blocks of size about ``sqrt(d)``, Nguyen & Nguyen's ``O(sqrt d)``
    optimizer-state memory."""
    return max(1, min(int(d), int(round(float(np.sqrt(d))))))


__all__ = ["Partition", "SEPARATOR", "contiguous", "default_blocks", "from_blocks", "from_labels", "parse",
           "resolve"]
