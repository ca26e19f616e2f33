r"""Theorem E.1 (Liu, Pan, Zhang 2025; Duchi et al. 2011): convex, possibly nonsmooth AdaGrad, Option I.

Assumptions 3.1, 3.4; any constant step size ``eta > 0``::

    (1/T) sum_{t<T} E f(w_t) - f*  <=  (D_inf^2/(2 eta) + eta) G_sum / T + eps D_2^2 / (2 eta T),
    G_sum = E sum_j sqrt(sum_{t<T} g_{t,j}^2)   (measured along the run: engine metric g_sqrt_sum).

The bound contains a measured expectation, so the check evaluates it per replica and decides on
the paired differences. It is run at Theorem 4.1's ``eta = D_inf`` (``eta_default``), so its row
is the first step of 4.1's proof measured on the same run.
"""

from boundcheck.problems.standard import CONVEX
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.adagrad_convex import e1

    return e1()


THEOREM = Theorem(
    id="thmE.1",
    title="Convex nonsmooth AdaGrad",
    reference="Liu et al. 2025, Thm E.1 (App. E); Duchi et al. 2011",
    method="AdaGrad", algorithm="adagrad", option="I", setting="convex, nonsmooth",
    assumptions=("3.1", "3.4"),
    quantity_id="mean_gap",
    step_size_text="any constant eta > 0",
    build=_build,
    problems=(CONVEX,), measured={"G_sum": "g_sqrt_sum"}, eta_default="D_inf",
    notes=("G_sum = E sum_j sqrt(sum_{t<T} g_{t,j}^2) is data dependent: pass its measured value "
           "(engine metric g_sqrt_sum at t = T). Identity (17) is read with the factor 2 the extracted "
           "text lost (||g_t||^2_{Lambda_t^-1} <= 2 tr(Lambda_t - Lambda_{t-1})), so the coefficient "
           "of G_sum/T is D_inf^2/(2 eta) + eta. Needs w_0 in W."),
)
