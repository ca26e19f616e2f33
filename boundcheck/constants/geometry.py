"""Diameters of the feasible set W (Liu et al. 2025, Assumption 3.1).

``D_inf = max_{w, w' in W} ||w - w'||_inf`` and ``D_2 = max ||w - w'||_2``:

- box ``[lower, upper]``: ``D_inf = max_j (upper_j - lower_j)``, ``D_2 = ||upper - lower||_2``
  (both attained at opposite vertices);
- l2 ball of radius R: ``D_2 = 2 R`` and ``D_inf = 2 R`` (attained at ``c +- R e_j``);
- no domain (Option II): both undefined (None).
"""

from __future__ import annotations

import numpy as np

from boundcheck.problems.base import Ball, Box
from boundcheck.validation import InputError, integer, positive


def diameters(domain) -> tuple[float | None, float | None]:
    """``(D_inf, D_2)`` of the domain, ``(None, None)`` when it is unbounded."""
    if domain is None:
        return None, None
    if isinstance(domain, Box):
        width = np.asarray(domain.upper, float) - np.asarray(domain.lower, float)
        return float(np.max(width)), float(np.linalg.norm(width))
    if isinstance(domain, Ball):
        return 2.0 * float(domain.radius), 2.0 * float(domain.radius)
    raise InputError(f"unsupported domain {type(domain).__name__}; allowed: Box, Ball, None")


def cube(d, radius) -> Box:
    """The hypercube ``[-radius, radius]^d`` (``D_inf = 2 radius``, ``D_2 = 2 radius sqrt(d)``)."""
    d = integer("d", d, low=1)
    radius = positive("radius", radius)
    return Box(lower=np.full(d, -radius), upper=np.full(d, radius))


def _diameters(a):
    from boundcheck.constants.provider import NotApplicable, constant

    D_inf, D_2 = diameters(a.problem.domain)
    out = {}
    for name, value in (("D_inf", D_inf), ("D_2", D_2)):
        if name in a.exact and a.exact[name] is not None:
            out[name] = constant(name, float(a.exact[name]), "exact", "stated by the problem")
        elif value is not None:
            out[name] = constant(name, float(value), "exact", f"diameter of W ({type(a.problem.domain).__name__})")
    if not out:
        raise NotApplicable("the problem has no feasible set W (unbounded: no diameters)")
    return out


def _providers():
    from boundcheck.constants.provider import Provider

    return (Provider("diameters", ("D_inf", "D_2"), _diameters, "l_inf and l_2 diameters of W (Assumption 3.1)"),)


PROVIDERS = _providers()

__all__ = ["cube", "diameters", "PROVIDERS"]
