r"""Block constants of Subset-Norm AdaGrad (issue 11; the bounds ``thmSN.convex``, ``thmSN.nonconvex``).

The constants depend on the partition ``B_1 .. B_k`` of the coordinates that the algorithm
shares step sizes over, a hyperparameter (``blocks=k``). Every provider here reads it from the
*configured* assembly (``a.algorithm.partition(d)``, :meth:`Assembly.configured`), so it is the
partition of the run, and its values are cached per configuration while the problem constants
they build on (``H``, ``L``, ``sigma``) are computed once per problem. What the proofs need
(:mod:`boundcheck.theory.proofs.subset_norm`):

- ``partition`` (the (d,) block labels) and ``blocks = k`` (exact);
- ``L_blk`` (per block) and ``L_blk_norm1 = sum_B L_B``: block-scalar smoothness
  ``-diag(L_B I_B) <= Hess f <= diag(L_B I_B)``. For a smoothness matrix ``H`` (PSD, ``Hess f <= H``)
  the optimal choice is the SDP ``min sum_B L_B s.t. Diag(L_B I_B) >= H``: the block-tied
  optimal diagonal with weight 1 per block (:func:`boundcheck.constants.diagonal.optimal_diagonal`,
  ``block_weights``; CVXPY up to d = 40, the certified fast solver above; from the dense H or its
  diagonal-plus-low-rank structure), certified (a feasible L always, and a dual bound). The lower
  side ``-diag(L_B) <= Hess f`` is automatic for convex f; for a nonconvex problem the problem's
  H must dominate ``|Hess f|`` (its contract) and the assumption ``3.3-block`` samples the lower
  side. Singleton blocks reuse the certified ``L`` itself (the diagonal problem: so ``k = d`` gives
  Theorem 4.1/4.3's ``||L||_1`` exactly). Fallbacks: block Gershgorin ``L_B = ||H_BB||_2 +
  sum_{C != B} ||H_BC||_2`` (certified, not optimal) when the SDP cannot run, and
  ``L_B = max_{j in B} L_j`` from a stated vector L (valid for Assumption 3.3 vectors);
- ``sigma_blk`` and ``sigma_blk_norm1 = sum_B sigma_B`` with ``E||n_B||^2 <= sigma_B^2``: from the
  noise vector of Assumption 3.5, ``sigma_B = ||sigma_B||_2`` (exact for independent coordinate
  noise, e.g. the Gaussian oracles; a certified bound when sigma is one);
- ``D_blk = max_B D_B``, ``D_B`` the l2 diameter of W's projection on the block: a box gives
  ``||sides_B||_2``, an l2 ball of radius R gives ``2 R``.
"""

from __future__ import annotations

import numpy as np

from boundcheck.constants.provider import Assembly, NotApplicable, Provider, constant


def _partition(a: Assembly):
    alg = a.algorithm
    if alg is None:
        raise NotApplicable("no configured algorithm (block constants need its partition; "
                            "ask assembly.configured(algorithm, hyperparameters))")
    if getattr(alg, "partition", None) is None:
        raise NotApplicable(f"algorithm {a.algorithm_name!r} shares no step sizes over blocks (no partition)")
    p = alg.partition(int(a.problem.d))
    how = (f"the partition of {a.algorithm_name} ({p.layout}, k={p.k}, sizes "
           f"{int(p.sizes.min())}..{int(p.sizes.max())})")
    return {"partition": constant("partition", p.labels.copy(), "exact", how),
            "blocks": constant("blocks", int(p.k), "exact", how)}


def _labels(a: Assembly) -> np.ndarray:
    return np.asarray(a.require("partition").value, dtype=np.int64)


def _per_block(labels: np.ndarray, per_coordinate: np.ndarray) -> np.ndarray:
    """The value of a block-constant per-coordinate vector on each block."""
    first = np.zeros(int(labels.max()) + 1, dtype=np.int64)
    first[labels[::-1]] = np.arange(labels.size)[::-1]
    return np.asarray(per_coordinate, dtype=float)[first]


def _L_blk(values, kind, how, note="", certificate=None):
    values = np.asarray(values, dtype=float)
    return {"L_blk": constant("L_blk", values, kind, how, certificate, note),
            "L_blk_norm1": constant("L_blk_norm1", float(np.sum(values)), kind, "sum_B L_B of " + how,
                                    certificate, note)}


def _L_blk_singletons(a: Assembly):
    labels = _labels(a)
    if int(labels.max()) + 1 != labels.size:
        raise NotApplicable("not singleton blocks")
    L = a.require("L")
    return _L_blk(_per_block(labels, L.value), L.kind, f"singleton blocks: the smoothness vector L ({L.how})",
                  L.note, L.certificate)


def _L_blk_optimal(a: Assembly):
    from boundcheck.constants.diagonal import optimal_diagonal

    labels = _labels(a)
    H = a.get("H_structure")
    if H is None:
        H = a.require("H")
        what = "H"
    else:
        what = "H = D + U S U^T (never formed)"
    k = int(labels.max()) + 1
    from boundcheck.validation import InputError

    try:
        res = optimal_diagonal(H.value, solver=a.solver, blocks=labels, block_weights=np.ones(k),
                               **a.solver_options)
    except InputError as err:  # e.g. the memory refusal of a large dense solve
        raise NotApplicable(f"the block SDP cannot run here ({err})") from None
    how = (f"optimal block-scalar smoothness min sum_B L_B s.t. Diag(L_B I_B) >= {what} "
           f"({res.solver}, certified rel_gap {res.rel_gap:.2g})")
    if res.status != "optimal":
        a.note(f"L_blk is feasible but not certified optimal (rel_gap {res.rel_gap:.3g})")
        how = how.replace("certified rel_gap", "not certified optimal, rel_gap")
    return _L_blk(_per_block(labels, res.L), "certified", how, certificate=res.certificate())


def block_gershgorin(H: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``L_B = ||H_BB||_2 + sum_{C != B} ||H_BC||_2`` (block Gershgorin; certified:
    ``x^T H x <= sum_{B,C} ||H_BC|| ||x_B|| ||x_C|| <= sum_B L_B ||x_B||^2`` by ``2ab <= a^2 + b^2``,
    so ``-diag(L_B I_B) <= H <= diag(L_B I_B)``). Spectral norms of the blocks of H."""
    H = np.asarray(H, dtype=float)
    k = int(labels.max()) + 1
    idx = [np.flatnonzero(labels == b) for b in range(k)]
    norms = np.array([[np.linalg.norm(H[np.ix_(bi, bj)], 2) for bj in idx] for bi in idx])
    # round up: a few ulps per norm so the bound survives the rounding of the norms
    return norms.sum(axis=1) * (1 + 8 * H.shape[0] * np.finfo(float).eps)


def _L_blk_gershgorin(a: Assembly):
    labels = _labels(a)
    H = a.require("H").value
    return _L_blk(block_gershgorin(H, labels), "certified",
                  "block Gershgorin ||H_BB||_2 + sum_{C != B} ||H_BC||_2 (certified, not optimal)")


def _L_blk_from_L(a: Assembly):
    labels = _labels(a)
    L = a.require("L")
    k = int(labels.max()) + 1
    LB = np.array([np.max(np.asarray(L.value, float)[labels == b]) for b in range(k)])
    return _L_blk(LB, "bound",
                  f"L_B = max_(j in B) L_j from the smoothness vector L ({L.how}); valid, not optimal",
                  L.note)


def _sigma_blk(a: Assembly):
    labels = _labels(a)
    s = a.get("sigma")
    if s is None:
        raise NotApplicable(f"no noise vector sigma ({a.why_missing('sigma')})")
    sig = np.asarray(s.value, dtype=float)
    k = int(labels.max()) + 1
    sB = np.sqrt(np.bincount(labels, weights=sig * sig, minlength=k))
    how = f"sigma_B = ||sigma_B||_2 from the noise vector sigma ({s.kind}: {s.how})"
    return {"sigma_blk": constant("sigma_blk", sB, s.kind, how, note=s.note, valid_on=s.valid_on),
            "sigma_blk_norm1": constant("sigma_blk_norm1", float(np.sum(sB)), s.kind, "sum_B " + how,
                                        note=s.note, valid_on=s.valid_on)}


def _D_blk(a: Assembly):
    from boundcheck.problems.base import Ball, Box

    labels = _labels(a)
    dom = a.problem.domain
    k = int(labels.max()) + 1
    if isinstance(dom, Box):
        sides = np.asarray(dom.upper, float) - np.asarray(dom.lower, float)
        DB = np.sqrt(np.bincount(labels, weights=sides * sides, minlength=k))
        how = "max_B ||sides_B||_2 of the box W"
    elif isinstance(dom, Ball):
        DB = np.full(k, 2.0 * float(dom.radius))
        how = "2 R: every block's projection of the l2 ball W is a ball of radius R"
    else:
        raise NotApplicable("the problem has no feasible set W (no block diameters)")
    return {"D_blk": constant("D_blk", float(np.max(DB)), "exact", how)}


PROVIDERS = (
    Provider("partition", ("partition", "blocks"), _partition,
             "the configured algorithm's partition of the coordinates into blocks (Subset-Norm: blocks=k)"),
    Provider("block-smoothness-singletons", ("L_blk", "L_blk_norm1"), _L_blk_singletons,
             "singleton blocks: L_B = L_j (the certified optimal diagonal itself)"),
    Provider("block-smoothness-optimal", ("L_blk", "L_blk_norm1"), _L_blk_optimal,
             "certified optimal block-scalar smoothness: min sum_B L_B s.t. Diag(L_B I_B) >= H"),
    Provider("block-smoothness-gershgorin", ("L_blk", "L_blk_norm1"), _L_blk_gershgorin,
             "block Gershgorin bound on H (certified, not optimal)"),
    Provider("block-smoothness-from-L", ("L_blk", "L_blk_norm1"), _L_blk_from_L,
             "L_B = max_(j in B) L_j from a stated smoothness vector (valid, not optimal)"),
    Provider("block-noise", ("sigma_blk", "sigma_blk_norm1"), _sigma_blk,
             "sigma_B = ||sigma_B||_2 (E||n_B||^2 <= sigma_B^2 from Assumption 3.5)"),
    Provider("block-diameter", ("D_blk",), _D_blk, "largest l2 diameter of W's projection on a block"),
)

__all__ = ["PROVIDERS", "block_gershgorin"]
