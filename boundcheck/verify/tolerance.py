"""Rounding tolerance of a bound-vs-quantity comparison (issue 13, "rounding at equality").

When every replica gives the same value (a deterministic run: noise 0, or full batches) the
sampling interval has zero width and the comparison ``quantity <= bound`` is decided by the
last bits of two floating-point computations that are equal in exact arithmetic (Theorem D.3
on a one-dimensional quadratic with step 1/L: 1.0445313903531876 vs 1.0445313903531874).
Neither side is exact, so the comparison needs a tolerance derived from their rounding errors.

Rule
----
With unit roundoff ``u = 2^-53`` (IEEE double) and ``gamma_n = n u / (1 - n u)`` (the a-priori
relative error of n floating-point operations on non-negative terms; Higham, *Accuracy and
Stability of Numerical Algorithms*, 2nd ed., 2002, Lemma 3.1 and Sec. 3.1)::

    rtol = k * ( kappa * gamma_{n_q} + gamma_{n_b} + e_b )

- ``n_q = T * (d + M + c_step) + d``: operations behind one replica's quantity. A step of a
  first-order method on ``d`` coordinates forms a minibatch average of ``M`` gradients and
  updates each coordinate with ``c_step = 8`` operations (square, accumulate, sqrt, divide,
  multiply, subtract, and two for the gradient of a separable term); its coordinates are
  dot products of length ``d``. Over ``T`` steps of a non-expansive iteration (step <= 1/L,
  AdaGrad's diagonal preconditioner) the perturbations add rather than multiply, so the
  count is linear in ``T``; the final average or norm adds ``d`` (its ``T`` terms are in the
  ``T`` factor already).
- ``kappa >= 1``: condition factor of the quantity's last cancellation, e.g. ``(|f(w_T)| +
  |f*|) / (f(w_T) - f*)`` for an optimality gap, 1 for a sum of non-negative terms (a norm,
  a mean of squared norms). An expansive iteration or an ill-conditioned problem must pass
  its own ``kappa``; the rule is a model of rounding, not a proof for every engine path.
- ``n_b``: operations in the bound's closed form (``sympy.count_ops``), and ``e_b`` the
  propagated relative error of its constants, ``sum_c |d log B / d log c| * err_c``, where each
  constant is at least one rounding (``err_c = u``; a constant read from a decimal option,
  4.492, or formed as 1 + 4.492 = 5.492000000000001, is exactly that) or a solver's stated
  relative accuracy. :func:`bound_relative_error` computes ``(n_b, e_b)`` from a SymPy bound.
- ``k = 4``: a safety factor for operations that cost more than one rounding (sqrt and
  pow are correctly rounded or within 1 ulp in IEEE libms, exp/log within a few ulps) and
  for summation orders the count does not see.

On Theorem D.3's case (T in {1, 2, 5}, d = M = 1, kappa = 1) ``rtol`` is a few 1e-14, while the two
values differ by 2e-16 relative: an equality. A real violation of one part in 1e8 is still
``violated``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Unit roundoff of IEEE double precision.
UNIT_ROUNDOFF = 2.0 ** -53
#: Operations per coordinate per step besides the dot product and minibatch (see module docstring).
STEP_OPS = 8
#: Safety factor k of the rule.
SAFETY = 4.0


def gamma(n: float, u: float = UNIT_ROUNDOFF) -> float:
    """Higham's ``gamma_n = n u / (1 - n u)`` (requires ``n u < 1``)."""
    if n < 0:
        raise ValueError(f"operation count must be >= 0, got {n!r}")
    if n * u >= 1.0:
        return math.inf
    return n * u / (1.0 - n * u)


@dataclass(frozen=True)
class RoundingTolerance:
    """A relative tolerance with the inputs it came from (kept for the row's provenance)."""

    rtol: float
    quantity_ops: float = 0.0
    bound_ops: float = 0.0
    condition: float = 1.0
    bound_rel_error: float = 0.0
    safety: float = SAFETY

    def absolute(self, *values: float) -> float:
        """``rtol * max |value|`` (0 for an empty or all-zero list)."""
        scale = max((abs(float(v)) for v in values if v is not None and math.isfinite(float(v))), default=0.0)
        return self.rtol * scale

    def rule(self) -> str:
        return (f"rtol = {self.safety:g} * ({self.condition:g} * gamma_{self.quantity_ops:g} + "
                f"gamma_{self.bound_ops:g} + {self.bound_rel_error:.3g}) = {self.rtol:.3g}")


def rounding_tolerance(*, T: int = 1, d: int = 1, M: int = 1, condition: float = 1.0, bound_ops: int = 0,
                       bound_rel_error: float = 0.0, safety: float = SAFETY,
                       u: float = UNIT_ROUNDOFF) -> RoundingTolerance:
    """The rule of the module docstring. ``T``: steps; ``d``: dimension; ``M``: batch size;
    ``condition``: the quantity's ``kappa``; ``bound_ops``, ``bound_rel_error``: from
    :func:`bound_relative_error` (or the caller's own account)."""
    for name, v, low in (("T", T, 0), ("d", d, 1), ("M", M, 1), ("bound_ops", bound_ops, 0)):
        if v < low:
            raise ValueError(f"{name} must be >= {low}, got {v!r}")
    if not condition >= 1.0:
        raise ValueError(f"condition must be >= 1, got {condition!r}")
    if not bound_rel_error >= 0.0:
        raise ValueError(f"bound_rel_error must be >= 0, got {bound_rel_error!r}")
    n_q = float(max(T, 1) * (d + M + STEP_OPS) + d)
    rtol = safety * (condition * gamma(n_q, u) + gamma(float(bound_ops), u) + bound_rel_error)
    return RoundingTolerance(rtol, n_q, float(bound_ops), float(condition), float(bound_rel_error), safety)


def bound_relative_error(expr, values: dict, rel_errors: dict | None = None,
                         u: float = UNIT_ROUNDOFF) -> tuple[int, float]:
    """``(n_b, e_b)`` of a SymPy bound ``expr`` at ``values`` (symbol name -> number).

    ``n_b = sympy.count_ops(expr)``; ``e_b = sum_c |c dB/dc / B| * err_c`` over the free symbols
    (first-order propagation of relative errors; the elasticity ``c dB/dc / B`` is evaluated
    exactly by SymPy). ``rel_errors`` maps a name to its relative error; the default is one
    rounding, ``u``, for a float and 0 for an int (T, M, d are exact). A bound of 0 gives
    ``e_b = inf`` if any elasticity is non-zero (no relative statement is possible), else 0."""
    import sympy as sp

    expr = sp.sympify(expr)
    rel_errors = rel_errors or {}
    n_b = int(sp.count_ops(expr))
    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    subs = {s: values[s.name] for s in syms}
    B = float(expr.subs(subs))
    e_b = 0.0
    for s in syms:
        dB = float(sp.diff(expr, s).subs(subs))
        if dB == 0.0:
            continue
        if B == 0.0:
            return n_b, math.inf
        default = 0.0 if isinstance(values[s.name], (int, np.integer)) else u
        e_b += abs(float(values[s.name]) * dB / B) * float(rel_errors.get(s.name, default))
    return n_b, e_b


def agree_to_rounding(samples, tol: RoundingTolerance) -> bool:
    """True iff at least two samples are given and their spread ``max - min`` is within
    ``rtol * max |sample|`` (the replicas differ by rounding only)."""
    x = np.asarray(samples, dtype=np.float64).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        return False
    return float(x.max() - x.min()) <= tol.absolute(float(np.max(np.abs(x))))


__all__ = ["UNIT_ROUNDOFF", "STEP_OPS", "SAFETY", "gamma", "RoundingTolerance", "rounding_tolerance",
           "bound_relative_error", "agree_to_rounding"]
