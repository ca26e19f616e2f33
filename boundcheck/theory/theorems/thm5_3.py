r"""Theorem 5.3 (Liu, Pan, Zhang 2025): AdaGrad, Option II, under anisotropic (L0, L1)-smoothness.

Assumptions 3.2, 3.4, 3.5, 5.1; ``eta = min{1/(4||L1||_inf), sqrt(Delta/||L0||_1)}``::

    (E sqrt((1/T) sum_{t<T} ||grad f(w_t)||_1^2))^2
        = ~O( sqrt(Delta ||L0||_1) ||sigma||_1/sqrt(MT) + ||sigma||_1^2/(M sqrt T) + Delta ||L0||_1/T
              + ||L1||_inf Delta ||sigma||_1/sqrt(MT) + ||L1||_inf^2 Delta^2/T ).

On a problem that states only L, the constants layer gives (L0, L1) = (L, 0), for which
Assumption 5.1 is Assumption 3.3 (Sec. 5).
"""

from boundcheck.problems.standard import NONCONVEX
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.adagrad_nonconvex import thm53

    return thm53()


THEOREM = Theorem(
    id="thm5.3",
    title="Convergence of AdaGrad under anisotropic (L0, L1)-smoothness",
    reference="Liu et al. 2025, Thm 5.3",
    method="AdaGrad", algorithm="adagrad", option="II", setting="nonconvex, anisotropic (L0,L1)-smooth",
    assumptions=("3.2", "3.4", "3.5", "5.1"),
    quantity_id="sq_mean_rms_grad_l1",
    step_size_text="eta = min{1/(4||L1||_inf), sqrt(Delta/||L0||_1)} (constant)",
    build=_build,
    problems=(NONCONVEX,),
)
