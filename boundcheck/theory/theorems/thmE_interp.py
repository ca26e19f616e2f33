r"""Interpolation (Liu, Pan, Zhang 2025, App. E.1): AdaGrad, Option I, under relaxed noise.

Assumptions 3.1, 3.4, E.3, E.4 and grad f(w*) = 0; ``eta = D_inf``::

    (1/T) sum_{t<T} E f(w_t) - f*  <=  9 ||L_*||_1 D_inf^2 / T + 3 sqrt(2) D_inf ||sigma_*||_1 / sqrt(MT)
                                       + eps D_2^2 / (D_inf T),

O(1/T) when sigma_* = 0. ``L_*`` (Assumption E.4) and ``sigma_*`` (E.3) come from the constants
layer (closed forms for least squares: :mod:`boundcheck.constants.interpolation`). Checked by
default on consistent least squares (sigma_* = 0).
"""

from boundcheck.problems.standard import INTERPOLATION
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.adagrad_convex import interpolation

    return interpolation()


THEOREM = Theorem(
    id="thmE.interp",
    title="AdaGrad under relaxed noise (interpolation)",
    reference="Liu et al. 2025, App. E.1 (Relaxation of the noise assumption)",
    method="AdaGrad", algorithm="adagrad", option="I", setting="convex, interpolation",
    assumptions=("3.1", "3.4", "E.3", "E.4"),
    proof_conditions=("stationary-minimiser",),
    quantity_id="mean_gap",
    step_size_text="eta_t = eta = D_inf (as in Thm 4.1)",
    build=_build,
    problems=(INTERPOLATION,),
    notes=("Constants derived from the App. E.1 chain: E g_j^2 <= 2E|g(w_t)-g(w*)|_j^2 + 2E|g(w*)|_j^2 "
           "gives C1 = 4 ||L_*||_1 / T and a sqrt(2) on the noise, so 9 ||L_*||_1 D_inf^2/T + "
           "3 sqrt(2) D_inf ||sigma_*||_1/sqrt(MT) + eps D_2^2/(D_inf T); O(1/T) when sigma_* = 0. "
           "E|g(w*)|_j^2 <= sigma_{*,j}^2/M needs grad f(w*) = 0 (otherwise grad_j f(w*)^2 adds), "
           "and E.4 is used for minibatch gradients (Jensen: ||mean||^2 <= mean ||.||^2)."),
)
