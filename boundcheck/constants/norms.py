"""Derived scalar constants: the norms of the constant vectors, and Example B.1's ratios.

- Norms: each symbol of :data:`boundcheck.theory.symbols.NORMS` (``L_norm1 = ||L||_1``,
  ``sigma_norm2 = ||sigma||_2`` ...) from its vector, one provider each (the only place a norm
  of a constant is taken).
- ``R1 = C_var`` and ``R2 = C_bias`` of Appendix B (:func:`boundcheck.theory.examples.ratios`)
  from the certified constants, and their closed forms
  ``R1_closed``/``R2_closed`` for exponential-tail problems (hypercube, ``L = 2 G2 diag(H)``).
"""

from __future__ import annotations

import numpy as np

from boundcheck.constants.provider import NotApplicable, Provider, constant
from boundcheck.theory.symbols import NORMS


def _norm_provider(symbol: str, vector: str, order: float) -> Provider:
    def compute(a):
        v = a.get(vector)
        if v is None:
            raise NotApplicable(f"no {vector} ({a.why_missing(vector)})")
        x = np.abs(np.asarray(v.value, dtype=float).reshape(-1))
        value = float(np.linalg.norm(x, ord=order)) if x.size else 0.0
        norm = "l_inf" if order == np.inf else f"l_{order:g}"
        return {symbol: constant(symbol, value, v.kind, f"{norm} norm of {vector} ({v.kind}: {v.how})",
                                 note=v.note, valid_on=v.valid_on)}

    return Provider(f"norm:{symbol}", (symbol,), compute, f"{symbol} = ||{vector}||")


def _ratios(a):
    from boundcheck.theory.examples import ratios

    how = {"R1": "C_var = D_inf ||sigma||_1 / (D_2 ||sigma||_2) (App. B)",
           "R2": "C_bias = ||L||_1 D_inf^2 / (||L||_inf D_2^2) (App. B)"}
    c = a.scalars(("D_inf", "D_2", "sigma_norm1", "sigma_norm2", "L_norm1", "L_norminf"))
    out = {k: constant(k, v, "derived", how[k]) for k, v in ratios(c).items()}
    if not out:
        raise NotApplicable("needs D_inf, D_2 and sigma or L")
    return out


def _closed(a):
    from boundcheck.theory import examples

    desc = a.problem.describe() if hasattr(a.problem, "describe") else {}
    tau = desc.get("tau")
    if tau is None or a.problem.features() is None:
        raise NotApplicable("Example B.1's closed forms are for exponential-tail finite sums (a parameter tau)")
    d = int(a.problem.d)
    how = "Example B.1's closed form (hypercube, L = 2 G2 diag(H))"
    return {"R1_closed": constant("R1_closed", float(examples.R1_closed(d, float(tau))), "derived", how),
            "R2_closed": constant("R2_closed", float(examples.R2_closed(d, float(tau))), "derived", how)}


PROVIDERS = tuple(_norm_provider(s, v, o) for s, (v, o) in NORMS.items()) + (
    Provider("example-B1-ratios", ("R1", "R2"), _ratios, "R1 = C_var, R2 = C_bias (Liu et al. 2025, App. B)"),
    Provider("example-B1-closed-forms", ("R1_closed", "R2_closed"), _closed,
             "closed forms of R1, R2 for exponential-tail features (Example B.1)"),
)

__all__ = ["PROVIDERS"]
