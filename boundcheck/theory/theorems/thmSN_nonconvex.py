r"""Subset-Norm AdaGrad, nonconvex, Option II: the block version of Theorem 4.3 (derived here, issue 11).

Partition ``B_1 .. B_k`` (hyperparameter ``blocks=k`` of ``subset-norm``); Assumptions 3.2, 3.4,
block-scalar smoothness (``3.3-block``), block noise (``3.5-block``); constant step
``eta = sqrt(Delta / L_blk_norm1)``::

    (E sqrt((1/T) sum_{t<T} ||grad f(w_t)||_{B,1}^2))^2  <=  U V / T,     ||x||_{B,1} = sum_B ||x_B||_2,

with U, V Theorem 4.3's after ``||sigma||_1 -> sum_B sigma_B``, ``||L||_1 -> sum_B L_B``, ``d -> k``
(:func:`boundcheck.theory.proofs.subset_norm.subset_norm_nonconvex_bound`). The quantity is
measured with the run's own partition (metric ``mean_grad_blk_sq``, which reads the algorithm's
``partition`` capability). k = d is Theorem 4.3 (SymPy); k = 1 has the cited AdaGrad-Norm O-form's
terms plus a ``||sigma||_2^2/(M sqrt T)`` term the O-form does not show (a finding). Checked by
default on Theorem 4.3's problem with k = 4 blocks of 8.
"""

from boundcheck.problems.standard import NONCONVEX
from boundcheck.theory.theorem import Symbolic, Theorem

#: The default number of blocks of the check (d = 32: blocks of 8).
BLOCKS = 4


def _build():
    from boundcheck.theory.proofs import subset_norm as sn

    derivation, step, terms, _ = sn.subset_norm_nonconvex_bound()
    return Symbolic(o_form=sn.NONCONVEX_O_FORM, step_size=step, terms=terms, derivation=derivation)


THEOREM = Theorem(
    id="thmSN.nonconvex",
    title="Nonconvex convergence of Subset-Norm AdaGrad (block Theorem 4.3)",
    reference="derived here from Liu et al. 2025, Thm 4.3 (App. F) for Nguyen & Nguyen 2025's Subset-Norm step size",
    method="Subset-Norm", algorithm="subset-norm", option="II", setting="nonconvex, block-smooth",
    assumptions=("3.2", "3.3-block", "3.4", "3.5-block"),
    quantity_id="sq_mean_rms_grad_blk",
    step_size_text="eta = sqrt(Delta/L_blk_norm1) (constant)",
    build=_build,
    hyperparameters={"blocks": BLOCKS},
    problems=(NONCONVEX,),
    notes=("Our derivation (no published constant): Theorem 4.3's proof (5.3 with L1 = 0) with one accumulator "
           "per block; ||sigma||_1 -> sum_B sigma_B, ||L||_1 -> sum_B L_B (block-scalar smoothness), d -> k, the "
           "l1 norm of the quantity -> the group norm sum_B ||grad_B f||_2 of the run's partition. k = 1 adds a "
           "||sigma||_2^2/(M sqrt T) term absent from the cited AdaGrad-Norm O-form."),
)
