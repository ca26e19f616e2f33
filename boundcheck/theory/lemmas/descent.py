"""The descent lemma under anisotropic (L0, L1)-smoothness (Liu et al. 2025, Lemma C.3).

Assumption 5.1 (our reading of the garbled closeness condition "w w L1 d"): for w, w' with
``||w' - w||_inf <= 1/||L1||_inf``,
``||grad f(w) - grad f(w')||_{L(w)^{-1}} <= ||w - w'||_{L(w)}``, ``L(w)_j = L0_j + L1_j |d_j f(w)|``.

Lemma C.3: under 5.1, for the same pairs (w, w'),

.. math::
    f(w') \\le f(w) + \\langle \\nabla f(w), w'-w\\rangle
           + \\tfrac12 \\sum_j (L_{0,j} + L_{1,j}|\\partial_j f(w)|)\\,|w'-w|_j^2 .

Role of the closeness condition: the proof applies 5.1 to the pairs (w, w_u),
``w_u = w + u(w' - w)``, u in [0, 1]; ``||w_u - w||_inf <= ||w' - w||_inf``, so closeness of
(w, w') is what makes every intermediate pair admissible. The smoothness vector is
evaluated at the *base point* w only.

Numeric checker: ``C3.lhs_rhs(f_w, f_wp, grad_w, w, wp, L0, L1)`` returns
``(f(w'), upper bound)`` (arrays broadcast over leading axes); ``C3.admissible(w, wp, L1)``
says whether the pair satisfies the closeness condition.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from boundcheck.theory.derivation import Derivation, Step
from boundcheck.theory.lemma import Lemma, as_array
from boundcheck.validation import InputError

TESTS = "tests/test_lemmas.py"


def c3_admissible(w, wp, L1):
    """``||w' - w||_inf <= 1/||L1||_inf`` along the last axis (always true when L1 = 0)."""
    w = as_array("w", w, ndim=(1, 2))
    wp = as_array("wp", wp, ndim=(1, 2))
    L1 = as_array("L1", L1, ndim=1, nonnegative=True)
    L1max = float(L1.max()) if L1.size else 0.0
    step = np.abs(wp - w).max(axis=-1)
    return step * L1max <= 1.0


def c3_lhs_rhs(f_w, f_wp, grad_w, w, wp, L0, L1):
    """``(f(w'), f(w) + <grad f(w), w'-w> + 1/2 sum_j (L0_j + L1_j |grad_j f(w)|) (w'-w)_j^2)``."""
    w = as_array("w", w, ndim=(1, 2))
    wp = as_array("wp", wp, ndim=(1, 2))
    grad_w = as_array("grad_w", grad_w, ndim=(1, 2))
    L0 = as_array("L0", L0, ndim=1, nonnegative=True)
    L1 = as_array("L1", L1, ndim=1, nonnegative=True)
    f_w = as_array("f_w", f_w, ndim=(0, 1))
    f_wp = as_array("f_wp", f_wp, ndim=(0, 1))
    if not (w.shape == wp.shape == grad_w.shape) or w.shape[-1] != L0.shape[0] or L0.shape != L1.shape:
        raise InputError(f"shapes do not match: w {w.shape}, wp {wp.shape}, grad_w {grad_w.shape}, "
                         f"L0 {L0.shape}, L1 {L1.shape}")
    delta = wp - w
    curvature = (L0 + L1 * np.abs(grad_w)) * delta**2
    return f_wp, f_w + (grad_w * delta).sum(axis=-1) + 0.5 * curvature.sum(axis=-1)


def _c3_derivation() -> Derivation:
    u = sp.Symbol("u", nonnegative=True)
    x, y, h = sp.symbols("x y h", positive=True)  # |d_j f(w_u) - d_j f(w)|, |w'-w|_j, L(w)_j
    return Derivation((
        Step("taylor", "f(w') = f(w) + <grad f(w), w'-w> + int_0^1 <grad f(w_u) - grad f(w), w'-w> du",
             how="definition", kind="definition"),
        Step("weighted_cauchy_schwarz", "|<a, b>| <= ||a||_{h^{-1}} ||b||_h (per coordinate: "
             "x y <= (x^2/h + h y^2)/2 after optimizing the split; here the two-sided form)",
             lhs=x * y, rhs=(x**2 / h + h * y**2) / 2, kind="le"),
        Step("assumption_5_1_at_w_u", "||grad f(w_u) - grad f(w)||_{L(w)^{-1}} <= ||w_u - w||_{L(w)} "
             "= u ||w'-w||_{L(w)} (pair (w, w_u) is admissible: ||w_u - w||_inf <= ||w'-w||_inf)",
             how="property", test=f"{TESTS}::test_c3_descent_lemma"),
        Step("integral_u", "int_0^1 u du = 1/2", lhs=sp.integrate(u, (u, 0, 1)), rhs=sp.Rational(1, 2),
             kind="eq"),
        Step("whole_lemma", "the inequality on concrete (L0, L1)-smooth families: property test",
             how="property", test=f"{TESTS}::test_c3_descent_lemma"),
    ))


C3 = (Lemma(
    id="C.3",
    title="Descent lemma under anisotropic (L0, L1)-smoothness",
    reference="Liu et al. 2025, Lemma C.3",
    statement_latex=r"\|w'-w\|_\infty \le 1/\|L_1\|_\infty \Rightarrow f(w') \le f(w) + \langle\nabla f(w),"
                    r" w'-w\rangle + \frac12\sum_j (L_{0,j}+L_{1,j}|\partial_j f(w)|)\,|w'-w|_j^2",
    hypotheses=("Assumption 5.1 with closeness ||w'-w||_inf <= 1/||L1||_inf (reading)",),
    derivation=_c3_derivation(),
    property_tests=(f"{TESTS}::test_c3_descent_lemma", f"{TESTS}::test_c3_quadratic_is_tight"),
    checks={"lhs_rhs": c3_lhs_rhs, "admissible": c3_admissible},
    notes="Tested on separable families with known constants (tests/test_lemmas.py::family): "
          "a cosh(x-c) (L0 = 2a, L1 = 2), a exp(x-c) (L0 = 0, L1 = 2), a x^2/2 (L0 = a, L1 = 0); "
          "e^{1/2} <= 2 makes 5.1 hold within radius 1/||L1||_inf = 1/2; outside it the lemma fails "
          "(exp, step 3). The paper's proof uses Cauchy-Schwarz in the L(w)-weighted norm and then 5.1 at (w, w_u). "
          "With L1 = 0 this is the anisotropic descent lemma under Assumption 3.3.",
))
