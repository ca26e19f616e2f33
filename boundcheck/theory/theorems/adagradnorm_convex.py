r"""AdaGrad-Norm, convex (Levy et al. 2018, as quoted in eq. (6) of Liu et al. 2025): O-form only.

Algorithm 3, Option I::

    E f(w_bar_T) - f* = O(D_2 ||sigma||_2 / sqrt(MT) + ||L||_inf D_2^2 / T).

The paper gives no explicit constants or step size; ``eta = D_2`` is our reading by analogy with
Theorem 4.1 (``eta = D_inf`` with the l2 geometry a scalar step sees), so the check can run the
algorithm; its verdict is never ``holds`` (no explicit bound).
"""

from boundcheck.problems.standard import CONVEX
from boundcheck.theory.theorem import Symbolic, Theorem

CITED = ("The paper quotes this result in O-form only: no explicit constants (o_form_only, explicit = None). "
         "'bound' reports the O-form with every hidden constant set to 1, for orientation only.")


def _build():
    import sympy as sp

    from boundcheck.theory import symbols as S

    return Symbolic(o_form=S.D_2 * S.sigma_norm2 / sp.sqrt(S.M * S.T) + S.L_norminf * S.D_2**2 / S.T,
                    step_size=S.D_2)


THEOREM = Theorem(
    id="adagradnorm-convex",
    title="Convex convergence of AdaGrad-Norm (cited)",
    reference="Levy et al. 2018, as quoted in Liu et al. 2025, eq. (6)",
    method="AdaGrad-Norm", algorithm="adagrad-norm", option="I", setting="convex, L-smooth",
    assumptions=("3.1", "3.3", "3.4", "3.5"),
    quantity_id="avg_iterate_gap",
    step_size_text="eta = D_2 (reading by analogy with Thm 4.1; the paper says only 'tuned')",
    build=_build, o_form_only=True,
    problems=(CONVEX,), data=True,
    notes=CITED + " Step size eta = D_2 is our reading by analogy with Thm 4.1 (eta = D_inf), not Levy et "
                  "al.'s choice; the O-form is the same as SGD's (Thm D.1).",
)
