r"""Theorem D.3 (Liu, Pan, Zhang 2025, App. D): nonconvex convergence of SGD, Option II.

Assumptions 3.2, 3.3, 3.4, 3.5::

    eta = min{1/||L||_inf, sqrt(2 Delta M / (||L||_inf ||sigma||_2^2 T))}      (statement reading)
    (1/T) sum_{t<T} E||grad f(w_t)||_2^2  <=  2 ||L||_inf Delta / T + 2 sqrt(2) sqrt(||L||_inf Delta) ||sigma||_2 / sqrt(MT).

Derivation (both readings of the step size): :func:`boundcheck.theory.proofs.sgd.sgd_nonconvex_bound`.
"""

from boundcheck.problems.standard import NONCONVEX
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.sgd import thmD3

    return thmD3()


THEOREM = Theorem(
    id="thmD.3",
    title="Nonconvex convergence of SGD",
    reference="Liu et al. 2025, Thm D.3 (App. D)",
    method="SGD", algorithm="sgd", option="II", setting="nonconvex, L-smooth",
    assumptions=("3.2", "3.3", "3.4", "3.5"),
    quantity_id="mean_grad_l2_sq",
    step_size_text="eta = min{1/||L||_inf, sqrt(2 Delta M / (||L||_inf ||sigma||_2^2 T))}",
    build=_build,
    problems=(NONCONVEX,), data=True,
    notes=("Step size ambiguous in the text. Statement reading (ours): eta = min{1/||L||_inf, "
           "sqrt(2 Delta M/(||L||_inf ||sigma||_2^2 T))}, giving 2 ||L||_inf Delta/T + 2 sqrt(2) "
           "sqrt(||L||_inf Delta) ||sigma||_2/sqrt(MT); b = 2 is the optimum of the proof's constant "
           "2/sqrt(b) + sqrt(b). Proof's last line: eta = min{1/||L||_inf, sqrt(Delta M/(||L||_inf "
           "||sigma||_2^2 T))}, with constant 3 instead of 2 sqrt(2) (below); the 2 sqrt(2) bound "
           "does not dominate the generic bound at that step size when the noise term dominates. The "
           "statement's first argument prints as '1 2 L' and might be 1/(2||L||_inf), which would double "
           "the bias constant; we follow the proof (eta <= 1/||L||_inf)."),
)
