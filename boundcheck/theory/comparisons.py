"""The paper's comparison of AdaGrad with SGD (Liu et al. 2025, Remark 4.2, Example B.1, Table 3).

Remark 4.2: Theorem 4.1's bound over Theorem D.1's is governed by ``R1 = C_var = D_inf
||sigma||_1/(D_2 ||sigma||_2)`` (noise terms) and ``R2 = C_bias = ||L||_1 D_inf^2/(||L||_inf
D_2^2)`` (bias terms); Example B.1 computes both in closed form for exponential-tail features
(``R1 ~ 1/sqrt(d)``, ``R2 ~ 1/d``). ``sweep dimension`` checks the prediction on
``exptail-logistic(d, tau)``; ``sweep batch`` runs the two methods at a fixed budget on the
convex default problem and on ``sklearn:breast_cancer`` (the paper's Table 3 analog).
"""

from __future__ import annotations

from boundcheck.problems.standard import CONVEX, instance
from boundcheck.theory.comparison import Comparison


def _instance(d: int, tau: float) -> dict:
    return instance("exptail-logistic", label=f"exptail-logistic(d={d}, tau={tau:g})", d=int(d),
                    n=max(4 * int(d), 256), tau=float(tau))


BREAST_CANCER = {"data": "sklearn:breast_cancer", "loss": "logistic", "l2": 1e-3, "label": "sklearn:breast_cancer"}

ADAGRAD_VS_SGD = Comparison(
    id="adagrad-vs-sgd",
    title="AdaGrad (Thm 4.1) vs SGD (Thm D.1) across dimension and tail rate",
    reference="Liu et al. 2025, Remark 4.2, Example B.1, Table 3",
    theorems=("thm4.1", "thmD.1"),
    instance=_instance,
    constants=("R1", "R2", "R1_closed", "R2_closed"),
    batch_problems=(CONVEX, BREAST_CANCER),
    note=("R1 = C_var, R2 = C_bias from the certified constants; R1_closed, R2_closed: Example B.1's closed "
          "forms (diagonal-dominance L, hypercube)"),
)

__all__ = ["ADAGRAD_VS_SGD"]
