r"""``sgd-lower-l1-avg``: SGD's average l1 gradient norm on a named construction, any unbiased noise.

**boundcheck's derivation, not the cited paper's** (:mod:`boundcheck.theory.proofs.lower_l1`).
On ``stiff-flat-quadratic`` (``L = (L, l, ..., l)``, ``l = rho L/(d - 1)``, ``w_0 - w* = c 1``), for
every constant step ``eta > 0`` and any unbiased oracle::

    (1/T) sum_{t<T} E||grad f(w_t)||_1  >=  (d - 1) L c (1 - q^T) / (2T),     q = 1 - 2 rho/(d - 1),

so ``T B -> (d - 1) L c/2``: at the fixed l1 budget ``||L||_1 = (1 + rho) L`` the constant grows
linearly in d, while AdaGrad's does not (``sweep lower-bound`` shows the factor-d gap).
"""

from boundcheck.problems.standard import instance
from boundcheck.theory.theorem import Domain, Theorem
from boundcheck.theory.theorems.sgd_lower_l1_min import CONSTRUCTION


def _build():
    from boundcheck.theory.proofs.lower_l1 import lower_avg

    return lower_avg()


THEOREM = Theorem(
    id="sgd-lower-l1-avg",
    title="Lower bound for SGD in the average l1 gradient norm (boundcheck's derivation)",
    reference="boundcheck's derivation (issue 12), not the cited paper's: Maladkar/Jiang/Mokhtari's SGD lower "
              "bound (seed 002) could not be read beyond its abstract",
    method="SGD", algorithm="sgd", option="II", setting="stochastic (any unbiased noise), separable quadratic",
    assumptions=("stiff-flat-construction", "3.4"),
    quantity_id="mean_grad_l1",
    step_size_text="any constant eta > 0 (verify runs eta = 1/||L||_inf)",
    build=_build, kind="expectation-lower",
    quantifier="for every constant step eta > 0 (and every schedule with 0 < eta_t < 2/L) and every unbiased "
               "oracle, on the construction, in expectation",
    instance=CONSTRUCTION,
    problems=(instance("stiff-flat-quadratic", d=64, noise=0.5),), eta_default="inv_L_norminf",
    verify_default=False,
    domain={"d": Domain(2), "rho_flat": Domain(0.0, 1.0, closed_low=False)},
    conditions=(("rho_flat <= (d - 1)/2", lambda v: v["rho_flat"] <= (v["d"] - 1) / 2),),
    notes="Holds with heavy-tailed noise too (only unbiasedness is used).",
)
