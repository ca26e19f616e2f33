r"""Theorem 4.3 (Liu, Pan, Zhang 2025): nonconvex convergence of AdaGrad, Option II.

Assumptions 3.2-3.5; constant step ``eta = sqrt(Delta/||L||_1)``::

    (E sqrt((1/T) sum_{t<T} ||grad f(w_t)||_1^2))^2
        = ~O( sqrt(Delta ||L||_1) ||sigma||_1/sqrt(MT) + ||sigma||_1^2/(M sqrt T) + Delta ||L||_1/T ).

The explicit bound is Theorem 5.3's derivation with ``L1 = 0``, ``L0 = L`` (App. F)
(:mod:`boundcheck.theory.proofs.adagrad_nonconvex`). Checked by default on ``nonconvex-aniso``;
a rate-sweep default.
"""

from boundcheck.problems.standard import NONCONVEX
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.adagrad_nonconvex import thm43

    return thm43()


THEOREM = Theorem(
    id="thm4.3",
    title="Nonconvex convergence of AdaGrad (anisotropic L-smoothness)",
    reference="Liu et al. 2025, Thm 4.3",
    method="AdaGrad", algorithm="adagrad", option="II", setting="nonconvex",
    assumptions=("3.2", "3.3", "3.4", "3.5"),
    quantity_id="sq_mean_rms_grad_l1",
    step_size_text="eta = sqrt(Delta/||L||_1) (constant)",
    build=_build,
    problems=(NONCONVEX,), data=True, rate_sweep=True,
    notes="Theorem 5.3's derivation with L1 = 0 and L0 = L.",
)
