r"""``sgd-lower-l1-min``: gradient descent's best iterate in the l1 gradient norm on a named construction.

**boundcheck's derivation, not the cited paper's** (:mod:`boundcheck.theory.proofs.lower_l1`).
On ``stiff-flat-quadratic`` (``L = (L, l, ..., l)``, ``l = rho L/(d - 1)``, ``w_0 - w* = c 1``), for
every constant step ``eta > 0``, exact gradients::

    min_{t<T} ||grad f(w_t)||_1  >=  rho L c q^{T-1},     q = 1 - 2 rho/(d - 1).

Run by ``verify`` at ``eta = 1/||L||_inf`` (``--eta`` is not a verify option; ``sweep lower-bound``
runs a grid of steps). A lower bound ``holds`` when the interval of the quantity lies above it.
"""

from boundcheck.problems.standard import instance
from boundcheck.theory.theorem import Domain, Theorem

CONSTRUCTION = ("stiff-flat-quadratic(d, L, rho, c): f(w) = sum_i L_i (w_i - w*_i)^2/2 with L = (L, l, ..., l), "
                "l = rho L/(d - 1) <= L/2, 0 < rho <= 1, w_0 - w* = c (1, ..., 1)")


def _build():
    from boundcheck.theory.proofs.lower_l1 import lower_min

    return lower_min()


THEOREM = Theorem(
    id="sgd-lower-l1-min",
    title="Lower bound for gradient descent in the l1 gradient norm, best iterate (boundcheck's derivation)",
    reference="boundcheck's derivation (issue 12), not the cited paper's: Maladkar/Jiang/Mokhtari's SGD lower "
              "bound (seed 002) could not be read beyond its abstract",
    method="GD (SGD with exact gradients)", algorithm="sgd", option="II", setting="deterministic, separable quadratic",
    assumptions=("stiff-flat-construction",),
    quantity_id="min_grad_l1",
    step_size_text="any constant eta > 0 (verify runs eta = 1/||L||_inf)",
    build=_build, kind="expectation-lower",
    quantifier="for every constant step eta > 0 (and every schedule with 0 < eta_t < 2/L), on the construction",
    instance=CONSTRUCTION,
    problems=(instance("stiff-flat-quadratic", d=64),), full_batch=True, eta_default="inv_L_norminf",
    verify_default=False,
    domain={"d": Domain(2), "rho_flat": Domain(0.0, 1.0, closed_low=False)},
    conditions=(("rho_flat <= (d - 1)/2", lambda v: v["rho_flat"] <= (v["d"] - 1) / 2),),
    notes="Exact gradients only: with noise E min_t <= min_t E, so the best-iterate bound is not claimed "
          "for SGD with noise (sgd-lower-l1-avg is).",
)
