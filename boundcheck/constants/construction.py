"""Constants of the named lower-bound construction, and the textbook step 1/||L||_inf (issue 12).

- ``rho_flat``, ``c0``: the parameters of ``stiff-flat-quadratic`` (its flat coordinates' share
  of the l1 smoothness budget, ``l = rho L/(d - 1)``, and the initial offset ``w_0 - w* = c0 1``),
  stated exactly by the problem (:mod:`boundcheck.problems.stiff_flat`); they enter the explicit
  lower bounds of :mod:`boundcheck.theory.proofs.lower_l1`.
- ``inv_L_norminf = 1/||L||_inf``: the step a statement "for every constant eta" is run at by
  default (``Theorem.eta_default``; gradient descent's textbook step, stable for every problem
  satisfying Assumption 3.3).
"""

from __future__ import annotations


def _construction(a):
    from boundcheck.constants.provider import NotApplicable, constant

    if "rho_flat" not in a.exact or "c0" not in a.exact:
        raise NotApplicable("not the stiff-flat construction (the problem states no rho_flat, c0)")
    return {n: constant(n, float(a.exact[n]), "exact", "parameter of the construction, stated by the problem")
            for n in ("rho_flat", "c0")}


def _inv_L(a):
    from boundcheck.constants.provider import constant

    L = a.require("L_norminf")
    return {"inv_L_norminf": constant("inv_L_norminf", 1.0 / float(L.value), "derived",
                                      f"1/||L||_inf ({L.kind}: {L.how})")}


def _providers():
    from boundcheck.constants.provider import Provider

    return (
        Provider("stiff-flat-construction", ("rho_flat", "c0"), _construction,
                 "parameters of the lower-bound construction stiff-flat-quadratic"),
        Provider("inverse-L-norminf", ("inv_L_norminf",), _inv_L, "the textbook constant step 1/||L||_inf"),
    )


PROVIDERS = _providers()

__all__ = ["PROVIDERS"]
