"""The standard problem instances theorems are checked on by default (``boundcheck verify``).

A problem instance spec is a small JSON-able dict, part of every verification cell's key:
``{"name": registered family, "params": {...}, "label": shown in tables}``
(:func:`instance`). A theorem declares its default instances (``Theorem.problems``); these are
the ones the paper's theorems share, each chosen to satisfy the assumptions of the theorems
that use it (the cell checks them again and refuses a problem that fails one):

========================  ====================================================================
instance                  why it satisfies the assumptions
========================  ====================================================================
``CONVEX``                ``exptail-logistic`` (d = 32, n = 512): convex, smooth (Hess <= X^T X/(4n)
                          + l2 I), l2 > 0 so w* exists; the box W = [-B, B]^d has B >= 1.25
                          ||w*||_inf, so w* is an interior, stationary minimiser (grad f(w*) = 0,
                          which the convex proofs need); sigma certified over W
``INTERPOLATION``         ``exptail-linear`` (d = 32, n = 512, noise = 0, l2 = 0): consistent least
                          squares (y = X w_o exactly, so every per-sample gradient vanishes at w*:
                          sigma_* = 0 up to rounding); L_* in closed form
``NONCONVEX``             ``nonconvex-aniso`` (d = 32): lower bounded, anisotropic L- and (L0, L1)-
                          smooth with known vectors, per-coordinate noise
========================  ====================================================================

Sizes are modest so that ``boundcheck verify`` with no arguments finishes within two minutes on
two cores; every size is an option (``--d --T --M --seeds``).
"""

from __future__ import annotations

from typing import Any


def instance(name: str, label: str | None = None, **params: Any) -> dict:
    """The spec of an instance of the registered family ``name`` (None parameters dropped)."""
    params = {k: v for k, v in params.items() if v is not None}
    return {"name": name, "params": params, "label": label or name}


CONVEX = instance("exptail-logistic", d=32, n=512)
INTERPOLATION = instance("exptail-linear", label="exptail-linear (consistent)", d=32, n=512, noise=0.0, l2=0.0)
NONCONVEX = instance("nonconvex-aniso", d=32)

__all__ = ["instance", "CONVEX", "INTERPOLATION", "NONCONVEX"]
