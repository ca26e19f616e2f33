r"""Theorem D.1 (Liu, Pan, Zhang 2025, App. D): convex convergence of SGD, Option I.

Assumptions 3.1, 3.3, 3.4, 3.5 and grad f(w*) = 0::

    eta_t = min{1/||L||_inf, p sqrt(D_2^2 M / (||sigma||_2^2 (t+1)))},  p = 1/sqrt(2)
    E f(w_bar_T) - f*  <=  ||L||_inf D_2^2 / T + 2 sqrt(2) D_2 ||sigma||_2 / sqrt(MT).

Derivation: :func:`boundcheck.theory.proofs.sgd.sgd_convex_bound`.
"""

from boundcheck.problems.standard import CONVEX
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.sgd import thmD1

    return thmD1()


THEOREM = Theorem(
    id="thmD.1",
    title="Convex convergence of SGD",
    reference="Liu et al. 2025, Thm D.1 (App. D)",
    method="SGD", algorithm="sgd", option="I", setting="convex, L-smooth",
    assumptions=("3.1", "3.3", "3.4", "3.5"),
    proof_conditions=("stationary-minimiser",),
    quantity_id="avg_iterate_gap",
    step_size_text="eta_t = min{1/||L||_inf, sqrt(D_2^2 M / (2 ||sigma||_2^2 (t+1)))}",
    build=_build,
    problems=(CONVEX,), data=True,
    notes=("Step size read from the garbled 'D2 2M 2 sigma2 2(t+1)' as sqrt(D_2^2 M/(2 ||sigma||_2^2 (t+1))), "
           "i.e. p = 1/sqrt(2) in the proof, which is also the p minimising its constant 1/p + 2p. "
           "The co-coercivity step <grad f(w), w - w*> >= ||grad f(w)||^2/||L||_inf needs grad f(w*) = 0 "
           "(proof condition 'stationary-minimiser'). The step size is a schedule in t; the generic bound "
           "D_2^2/(eta_{T-1} T) + ||sigma||_2^2/(MT) sum_t eta_t is bounded through 1/eta_{T-1} <= "
           "||L||_inf + sqrt(T)||sigma||_2/(p D_2 sqrt(M)) and sum_{t<T} 1/sqrt(t+1) <= 2 sqrt(T)."),
)
