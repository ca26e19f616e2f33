"""Providers of the smoothness constants (Liu et al. 2025, Assumption 3.3, Appendix B).

- ``H_structure``: the same H as diagonal plus low rank
  (:class:`~boundcheck.constants.structured.DiagonalPlusLowRank`), when the problem offers
  ``smoothness_structure()``; then ``L`` and the comparators come from it without forming H
  (any d; issue 17), before the dense providers are tried;
- ``H``: the problem's smoothness matrix (``Hess f <= H`` on W), when it can form one;
- ``L`` (with ``diagonal``, the full certified result): the optimal diagonal of
  ``min sum(L) s.t. Diag(L) >= H`` (:mod:`.diagonal`), certified; otherwise the problem's own
  ``L`` (a bound it states, without certificate: e.g. d too large for a dense H);
- the comparators beside it (:mod:`.comparators`): ``trace_H``, ``lambda_max_H``,
  ``L_rowsum_norm1``, ``L_diag_dominance_norm1`` and ``diag_dominance_feasible``;
- ``H_norm11 = ||H||_{1,1} = sum_jk |H_jk|``, the (1,1)-norm that governs Adam's rate in the
  l_inf geometry of Xie, Mohamadi, Li (ICLR 2025; only the abstract could be read), of the same
  H: exact from the dense H (for a quadratic H is the Hessian; for a finite sum the bound
  ``G2 X^T X / n + l2 I``), from a structure ``D + U S U^T`` exactly when every column of U has
  one sign (``1^T H 1``) and otherwise the certified upper bound ``sum_j D_j + sum_l s_l
  ||u_l||_1^2`` (rounded up); with neither, the bound ``(sum_j sqrt(L_j))^2`` from a stated L
  (``|H_jk| <= sqrt(L_j L_k)`` whenever ``-Diag(L) <= H <= Diag(L)``). For PSD H:
  ``tr H <= ||L_opt||_1 <= ||H||_{1,1}`` (the rowsum vector is feasible; property-tested in
  tests/test_norm11.py).
"""

from __future__ import annotations

import numpy as np

from boundcheck.constants.provider import Assembly, Provider, NotApplicable, constant


def _matrix(a: Assembly):
    from boundcheck.constants.diagonal import check_psd_matrix

    try:
        H = a.problem.smoothness_matrix()
    except NotImplementedError as err:  # includes DenseTooLarge
        raise NotApplicable(f"the problem has no dense smoothness matrix ({' '.join(str(err).split()) or 'not implemented'})")
    if H is None:
        raise NotApplicable("the problem has no smoothness matrix")
    H = check_psd_matrix(H, "smoothness matrix")
    return {"H": constant("H", H, "bound", "problem.smoothness_matrix(): Hess f <= H on W")}


def _optimal_diagonal(a: Assembly):
    from boundcheck.constants.diagonal import optimal_diagonal

    H = a.require("H").value
    res = optimal_diagonal(H, solver=a.solver, **a.solver_options)
    kind = "certified"
    how = f"optimal diagonal of H ({res.solver}, certified rel_gap {res.rel_gap:.2g})"
    if res.status != "optimal":
        a.note(f"L is feasible but not certified optimal (rel_gap {res.rel_gap:.3g})")
        how = f"feasible diagonal of H ({res.solver}, rel_gap {res.rel_gap:.3g}, not certified optimal)"
    return {"L": constant("L", np.asarray(res.L, float), kind, how, res.certificate()),
            "diagonal": constant("diagonal", res, kind, how)}


def _problem_L(a: Assembly):
    if "L" not in a.exact:
        raise NotApplicable("the problem states no smoothness vector L")
    a.note("L from the problem (no smoothness matrix, no certificate)")
    return {"L": constant("L", np.asarray(a.exact["L"], float), "bound",
                          "stated by the problem (no smoothness matrix, no certificate)")}


def _comparators(a: Assembly):
    from boundcheck.constants import comparators

    H = a.require("H").value
    dd = comparators.diagonal_dominance(H)
    feasible = comparators.is_feasible(H, dd)
    if not feasible:
        a.note("2 diag(H) is not feasible here (H is not diagonally dominant)")
    return {
        "L_diag_dominance_norm1": constant("L_diag_dominance_norm1", float(np.sum(dd)), "derived",
                                           "||2 diag(H)||_1 (Example B.1's choice)"),
        "diag_dominance_feasible": constant("diag_dominance_feasible", bool(feasible), "certified",
                                            "lambda_min(2 Diag(H) - H) >= -eigensolver error"),
        "L_rowsum_norm1": constant("L_rowsum_norm1", float(np.sum(comparators.rowsum(H))), "derived",
                                   "sum_jk |H_jk| (always feasible)"),
        "trace_H": constant("trace_H", comparators.trace(H), "exact", "tr(H): a lower bound on ||L||_1"),
        "lambda_max_H": constant("lambda_max_H", comparators.lambda_max(H), "exact",
                                 "largest eigenvalue of H (d lambda_max is the isotropic ||L||_1)"),
    }


def _h_norm11(a: Assembly):
    H = a.require("H").value
    return {"H_norm11": constant("H_norm11", float(np.abs(H).sum()), "exact",
                                 "sum_jk |H_jk| of the smoothness matrix H")}


def _h_norm11_structured(a: Assembly):
    A = a.require("H_structure").value
    total = A.abs_sum()
    if total is not None:
        return {"H_norm11": constant("H_norm11", total, "exact",
                                     "sum_jk |H_jk| = 1^T H 1 (one-signed columns of U: H >= 0 entrywise)")}
    return {"H_norm11": constant("H_norm11", A.abs_mass(), "certified",
                                 "certified upper bound sum_j D_j + sum_l s_l ||u_l||_1^2 (rounded up)")}


def _h_norm11_from_L(a: Assembly):
    L = a.require("L")
    v = np.sqrt(np.asarray(L.value, float))
    total = float(np.sum(v)) ** 2 * (1 + 4 * (v.size + 2) * np.finfo(float).eps)
    return {"H_norm11": constant("H_norm11", total, "bound",
                                 f"(sum_j sqrt(L_j))^2 >= sum_jk |H_jk| for -Diag(L) <= H <= Diag(L) (L: {L.how})",
                                 note="H_norm11 is a bound from L (no smoothness matrix)")}


# ---- issue 17: H given by structure (diagonal plus low rank), never formed --------------
def _structure(a: Assembly):
    get = getattr(a.problem, "smoothness_structure", None)
    A = get() if get is not None else None
    if A is None:
        raise NotApplicable("the problem exposes no diagonal-plus-low-rank smoothness structure")
    return {"H_structure": constant("H_structure", A, "bound",
                                    "problem.smoothness_structure(): Hess f <= D + U S U^T on W")}


def _optimal_diagonal_structured(a: Assembly):
    from boundcheck.constants.diagonal import optimal_diagonal

    A = a.require("H_structure").value
    res = optimal_diagonal(A, solver=a.solver, **a.solver_options)
    how = (f"optimal diagonal of H = D + U S U^T (rank {A.rank}, never formed; {res.solver}, "
           f"certified rel_gap {res.rel_gap:.2g})")
    if res.status != "optimal":
        a.note(f"L is feasible but not certified optimal (rel_gap {res.rel_gap:.3g})")
        how = f"feasible diagonal of H = D + U S U^T ({res.solver}, rel_gap {res.rel_gap:.3g}, not certified optimal)"
    return {"L": constant("L", np.asarray(res.L, float), "certified", how, res.certificate()),
            "diagonal": constant("diagonal", res, "certified", how)}


def _comparators_structured(a: Assembly):
    A = a.require("H_structure").value
    dd = 2.0 * A.diagonal()
    lam, _ = A.lowest_eig(dd)
    feasible = bool(lam >= -64 * A.d * np.finfo(float).eps * float(np.max(dd)))
    if not feasible:
        a.note("2 diag(H) is not feasible here (H is not diagonally dominant)")
    out = {
        "L_diag_dominance_norm1": constant("L_diag_dominance_norm1", float(np.sum(dd)), "derived",
                                           "||2 diag(H)||_1 (Example B.1's choice)"),
        "diag_dominance_feasible": constant("diag_dominance_feasible", feasible, "certified",
                                            "lambda_min(2 Diag(H) - H) (secular equation) >= -rounding"),
        "trace_H": constant("trace_H", A.trace(), "exact", "tr(D) + sum_l s_l ||u_l||^2"),
        "lambda_max_H": constant("lambda_max_H", A.lambda_max(), "exact",
                                 "largest eigenvalue of D + U S U^T (secular equation)"),
    }
    total = A.abs_sum()
    if total is not None:  # one-signed columns of U: sum |H_jk| = 1^T H 1
        out["L_rowsum_norm1"] = constant("L_rowsum_norm1", total, "derived",
                                         "sum_jk |H_jk| = 1^T H 1 (H >= 0 entrywise)")
    return out
# ---- end of issue 17 -------------------------------------------------------------------


PROVIDERS = (
    Provider("smoothness-structure", ("H_structure",), _structure,
             "the problem's smoothness matrix as diagonal plus low rank (never formed)"),
    Provider("smoothness-matrix", ("H",), _matrix, "the problem's dense smoothness matrix H >= Hess f"),
    Provider("optimal-diagonal-structured", ("L", "diagonal"), _optimal_diagonal_structured,
             "certified optimal diagonal L of min sum(L) s.t. Diag(L) >= D + U S U^T, from products and an r x r certificate"),
    Provider("comparators-structured", ("L_diag_dominance_norm1", "diag_dominance_feasible", "trace_H",
                                        "lambda_max_H", "L_rowsum_norm1"), _comparators_structured,
             "simple smoothness vectors and bounds from D + U S U^T"),
    Provider("optimal-diagonal", ("L", "diagonal"), _optimal_diagonal,
             "certified optimal diagonal L of min sum(L) s.t. Diag(L) >= H"),
    Provider("problem-L", ("L",), _problem_L, "the smoothness vector the problem states (no certificate)"),
    Provider("comparators", ("L_diag_dominance_norm1", "diag_dominance_feasible", "L_rowsum_norm1", "trace_H",
                             "lambda_max_H"), _comparators, "simple smoothness vectors and bounds from H"),
    Provider("h-norm11-structured", ("H_norm11",), _h_norm11_structured,
             "||H||_{1,1} of D + U S U^T: exact for one-signed U, else a certified upper bound"),
    Provider("h-norm11", ("H_norm11",), _h_norm11, "||H||_{1,1} = sum_jk |H_jk| of the smoothness matrix (exact)"),
    Provider("h-norm11-from-L", ("H_norm11",), _h_norm11_from_L,
             "upper bound (sum_j sqrt(L_j))^2 on ||H||_{1,1} from a smoothness vector"),
)

__all__ = ["PROVIDERS"]
