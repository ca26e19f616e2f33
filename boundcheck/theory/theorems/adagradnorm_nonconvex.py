r"""AdaGrad-Norm under scalar (L0, L1)-smoothness (Faw et al. 2023, Thm 3, as quoted in Liu et al.
2025, Section 5 and Table 1): O-form only.

Algorithm 3, Option II; eq. (8): ``||grad f(w) - grad f(w')||_2 <= (L0 + L1 ||grad f(w)||_2) ||w - w'||_2``
for ``||w - w'||_2 <= 1/L1``::

    (E (1/T) sum_t ||grad f(w_t)||_2)^2 = O~(sqrt(L0 Delta) ||sigma||_2 / sqrt(MT) + L0 Delta / T
                                            + L1^2 Delta^2 / T).

What the extracted text shows is "(E[||grad f(w)||_2])^2 <= O(sqrt(L0 Delta) sigma_2/sqrt(MT) +
L1^2 Delta^2/T)" (symbols lost); we add ``L0 Delta / T``, the deterministic term every such bound
has (without it the bound would vanish at sigma = 0, L1 = 0; Table 1's anisotropic-smooth column
for AdaGrad-Norm is the SGD-type ``sqrt(L Delta) sigma/sqrt(MT) + L Delta/T``). The paper shows no
``sigma^2/(M sqrt(T))`` term (Table 1 assumes large M). Quantity (our reading of
"(E||grad f(w)||_2)^2" with w uniform over the iterates): ``(E (1/T) sum_{t<T} ||grad f(w_t)||_2)^2``.
The step size ``eta = min{1/(4 L1), sqrt(Delta/L0)}`` is a reading by analogy with Theorem 5.3.
The scalar (L0, L1) come from the constants layer: on every problem satisfying 3.3,
eq. (8) holds with ``(L0, L1) = (||L||_inf, 0)``.
"""

from boundcheck.problems.standard import NONCONVEX
from boundcheck.theory import symbols as _S
from boundcheck.theory.theorem import Symbolic, Theorem

from .adagradnorm_convex import CITED

_S.declare("L0", "scalar L0 of (L0, L1)-smoothness, eq. (8) (Zhang et al. 2019; AdaGrad-Norm)",
           constant="L0_scalar")
_S.declare("L1", "scalar L1 of (L0, L1)-smoothness, eq. (8) (Zhang et al. 2019; AdaGrad-Norm)",
           constant="L1_scalar")


def _build():
    import sympy as sp

    from boundcheck.theory import symbols as S

    L0 = S.symbol("L0", S.MEANING["L0"])
    L1 = S.symbol("L1", S.MEANING["L1"])
    return Symbolic(o_form=(sp.sqrt(L0 * S.Delta) * S.sigma_norm2 / sp.sqrt(S.M * S.T) + L0 * S.Delta / S.T
                            + L1**2 * S.Delta**2 / S.T),
                    step_size=sp.Min(1 / (4 * L1), sp.sqrt(S.Delta / L0)))


THEOREM = Theorem(
    id="adagradnorm-nonconvex",
    title="Nonconvex convergence of AdaGrad-Norm under (L0, L1)-smoothness (cited)",
    reference="Faw et al. 2023, Thm 3, as quoted in Liu et al. 2025, Section 5 and Table 1",
    method="AdaGrad-Norm", algorithm="adagrad-norm", option="II", setting="nonconvex (L0,L1), scalar",
    assumptions=("3.2", "3.4", "3.5", "eq8"),
    quantity_id="sq_mean_mean_grad_l2",
    step_size_text="eta = min{1/(4 L1), sqrt(Delta/L0)} (reading by analogy with Thm 5.3)",
    build=_build, o_form_only=True,
    problems=(NONCONVEX,),
    notes=CITED + " Assumption: scalar (L0, L1)-smoothness, eq. (8), in place of 3.3 / 5.1. The text shows "
                  "sqrt(L0 Delta) ||sigma||_2/sqrt(MT) + L1^2 Delta^2/T; we add the deterministic term "
                  "L0 Delta/T (lost in extraction, needed at sigma = 0, L1 = 0). Logarithmic factors hidden. "
                  "Quantity read as (E (1/T) sum_t ||grad f(w_t)||_2)^2. Step size is our reading by analogy "
                  "with Thm 5.3, not Faw et al.'s tuned choice.",
)
