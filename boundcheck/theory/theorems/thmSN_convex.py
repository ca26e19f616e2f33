r"""Subset-Norm AdaGrad, convex, Option I: the block version of Theorem 4.1 (derived here, issue 11).

Partition ``B_1 .. B_k`` (hyperparameter ``blocks=k`` of ``subset-norm``); Assumptions 3.1, 3.4,
block-scalar smoothness (``3.3-block``), block noise (``3.5-block``) and grad f(w*) = 0; constant
step ``eta = D_blk``::

    E f(w_bar_T) - f*  <=  (9/2) L_blk_norm1 D_blk^2 / T + 3 D_blk sigma_blk_norm1 / sqrt(MT)
                          + eps D_2^2 / (D_blk T),

``L_blk_norm1 = sum_B L_B``, ``sigma_blk_norm1 = sum_B sigma_B``, ``D_blk = max_B`` (l2 diameter of
W on block B). Derivation: :func:`boundcheck.theory.proofs.subset_norm.subset_norm_convex_bound`
(Theorem 4.1's chain with per-block identity (17), block trace, Lemma G.1 over blocks); with k = d
singleton blocks it *is* Theorem 4.1 (SymPy, and numerically on the same problem), with k = 1 the
cited AdaGrad-Norm O-form with constants 9/2 and 3. Not a published statement: Nguyen & Nguyen's
own guarantee (high probability, nonconvex) could not be read (``docs/research/neighbouring_results.md``).
Checked by default on Theorem 4.1's problem with k = 4 blocks of 8.
"""

from boundcheck.problems.standard import CONVEX
from boundcheck.theory.theorem import Symbolic, Theorem

#: The default number of blocks of the check (d = 32: blocks of 8).
BLOCKS = 4


def _build():
    from boundcheck.theory.proofs import subset_norm as sn

    derivation, step, terms, _ = sn.subset_norm_convex_bound()
    return Symbolic(o_form=sn.CONVEX_O_FORM, step_size=step, terms=terms, derivation=derivation,
                    generic=sn.CONVEX_GENERIC, generic_condition="any eta > 0")


THEOREM = Theorem(
    id="thmSN.convex",
    title="Convex convergence of Subset-Norm AdaGrad (block Theorem 4.1)",
    reference="derived here from Liu et al. 2025, Thm 4.1 (App. E) for Nguyen & Nguyen 2025's Subset-Norm step size",
    method="Subset-Norm", algorithm="subset-norm", option="I", setting="convex, block-smooth",
    assumptions=("3.1", "3.3-block", "3.4", "3.5-block"),
    proof_conditions=("stationary-minimiser",),
    quantity_id="avg_iterate_gap",
    step_size_text="eta = D_blk = max_B D_B (constant)",
    build=_build,
    hyperparameters={"blocks": BLOCKS},
    problems=(CONVEX,),
    notes=("Our derivation (no published constant): Theorem 4.1's proof with one accumulator per block. "
           "Block constants: L_blk_norm1 = sum_B L_B of the block-scalar smoothness -diag(L_B I_B) <= Hess f <= "
           "diag(L_B I_B) (weight 1 per block, not |B|), sigma_blk_norm1 = sum_B sigma_B with E||n_B||^2 <= "
           "sigma_B^2, D_blk = max_B l2 diameter of W on B; they follow the run's partition (blocks=k). "
           "k = d is Theorem 4.1, k = 1 the AdaGrad-Norm O-form with constants 9/2 and 3 (+ eps term)."),
)
