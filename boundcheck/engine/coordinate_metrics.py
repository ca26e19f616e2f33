"""Per-coordinate metrics (declared with ``coordinates=True``: one value per coordinate, (R, d)).

================================ ==========================================================
name                             value at checkpoint t, per replica and coordinate j
================================ ==========================================================
inverse_preconditioner           1 / Lambda_{t-1, jj}: the diagonal the last step divided by,
                                 inverted; the effective step of coordinate j is eta_t times it
                                 (AdaGrad: 1/sqrt(v_{t-1,j}); Adam: 1/(sqrt(v_hat) + eps))
gradient_frequency               (1/t) #{s < t : g_{s,j} != 0}: how often coordinate j of the
                                 stochastic gradient was non-zero (rare features: small)
================================ ==========================================================

Neither is in the cheap default set; ask for them with ``metrics=(...)``. The first needs an
algorithm that exposes its diagonal (the ``preconditioner`` capability), the engine checks it.
Used by ``boundcheck sweep tutorial`` (:mod:`boundcheck.studies.tutorial`; seed 004's claims).
"""

from __future__ import annotations

from .backend import to_numpy
from .metrics import Metric


def _inverse_preconditioner(acc, c, xp):
    lam = xp.astype(c.algorithm.preconditioner(c.state, xp), xp.float64)
    return to_numpy(1.0 / lam)


def _nonzero(s, xp):
    return xp.astype(s.g != 0, xp.float64)


def _frequency(acc, c, xp):
    return to_numpy(acc / c.count[:, None])


METRICS = (
    Metric("inverse_preconditioner", "1/Lambda_{t-1,jj} per coordinate (effective step / eta_t)",
           value=_inverse_preconditioner, needs=frozenset({"preconditioner"}), default=False, coordinates=True),
    Metric("gradient_frequency", "fraction of steps s < t with g_{s,j} != 0, per coordinate",
           value=_frequency, step=_nonzero, shape="matrix", needs=frozenset({"g"}), default=False,
           coordinates=True),
)

__all__ = ["METRICS"]
