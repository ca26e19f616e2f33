r"""Contiguous partitions of the coordinates into k blocks, and per-block reductions on batches.

The partition of ``d`` coordinates into ``k`` contiguous blocks is NumPy's ``array_split``
convention: with ``d = q k + r`` (``0 <= r < k``) the first r blocks have ``q + 1``
coordinates and the other ``k - r`` have q. Both groups of equal-size blocks are contiguous
slices, so a per-block mean is two reshapes and two means (no index arrays, no matrix
products): row i of the result depends only on row i, and a block of one coordinate returns
that coordinate's value exactly (a mean over one element), which is what makes blockwise
methods with ``k = d`` equal their coordinate-wise versions bit for bit.
"""

from __future__ import annotations

from typing import NamedTuple

from boundcheck.validation import InputError


class Contiguous(NamedTuple):
    """``k`` contiguous blocks of ``d`` coordinates: ``r`` of size ``q + 1``, then ``k - r`` of size q."""

    d: int
    k: int
    q: int
    r: int

    @property
    def split(self) -> int:
        """First coordinate of the size-q group."""
        return self.r * (self.q + 1)

    def sizes(self) -> list[int]:
        return [self.q + 1] * self.r + [self.q] * (self.k - self.r)

    def block_of(self):
        """(d,) list: the block index of each coordinate."""
        out = []
        for b, s in enumerate(self.sizes()):
            out += [b] * s
        return out


def contiguous(d: int, k: int, owner: str = "blocks") -> Contiguous:
    """The partition of ``d`` coordinates into ``k`` contiguous blocks (InputError if k > d)."""
    d, k = int(d), int(k)
    if k < 1 or k > d:
        raise InputError(f"{owner}={k} is out of range for d={d}; allowed: integers in [1, {d}]")
    q, r = divmod(d, k)
    return Contiguous(d, k, q, r)


def block_means(x, part: Contiguous, xp):
    """(R, k): the mean of each block of the rows of ``x`` (R, d)."""
    R = x.shape[0]
    out = []
    if part.r:
        a = xp.reshape(x[:, :part.split], (R, part.r, part.q + 1))
        out.append(xp.mean(a, axis=-1))
    if part.k - part.r:
        b = xp.reshape(x[:, part.split:], (R, part.k - part.r, part.q))
        out.append(xp.mean(b, axis=-1))
    return out[0] if len(out) == 1 else xp.concat(out, axis=-1)


def expand(v, part: Contiguous, xp):
    """(R, d): each block's value of ``v`` (R, k) repeated over the block's coordinates."""
    R = v.shape[0]
    out = []
    if part.r:
        a = xp.broadcast_to(xp.expand_dims(v[:, :part.r], axis=-1), (R, part.r, part.q + 1))
        out.append(xp.reshape(a, (R, part.split)))
    if part.k - part.r:
        b = xp.broadcast_to(xp.expand_dims(v[:, part.r:], axis=-1), (R, part.k - part.r, part.q))
        out.append(xp.reshape(b, (R, part.d - part.split)))
    return out[0] if len(out) == 1 else xp.concat(out, axis=-1)


__all__ = ["Contiguous", "contiguous", "block_means", "expand"]
