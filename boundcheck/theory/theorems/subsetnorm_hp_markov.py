r"""``subsetnorm-hp-markov``: Subset-Norm's convex block bound read with probability 1 - delta (Markov).

**boundcheck's reading** (:mod:`boundcheck.theory.proofs.markov`): Nguyen & Nguyen's
high-probability guarantee for Subset-Norm could not be read (``subsetnorm-hp-subgaussian`` is
O-form-less and not checkable), so the high-probability statement checked here is Markov's
inequality on ``thmSN.convex`` (boundcheck's block version of Theorem 4.1)::

    P( f(w_bar_T) - f* > B_SN / delta ) <= delta,   B_SN = (9/2) L_blk_norm1 D_blk^2/T + 3 D_blk sigma_blk_norm1/sqrt(MT)
                                                             + eps D_2^2/(D_blk T),

valid under finite noise variance (no tail condition), with the run's k blocks.
"""

from boundcheck.problems.standard import instance
from boundcheck.theory.theorem import Theorem
from boundcheck.theory.theorems.thmSN_convex import BLOCKS


def _build():
    from boundcheck.theory.proofs.markov import subsetnorm_markov

    return subsetnorm_markov()


THEOREM = Theorem(
    id="subsetnorm-hp-markov",
    title="Subset-Norm, convex, with probability 1 - delta (Markov's inequality on thmSN.convex; boundcheck's)",
    reference="boundcheck's derivation (thmSN.convex, theory/proofs/subset_norm.py) + Markov's inequality "
              "(issue 12); Nguyen & Nguyen 2025's own high-probability guarantee could not be read",
    method="Subset-Norm", algorithm="subset-norm", option="I", setting="convex, block-smooth, finite noise variance",
    assumptions=("3.1", "3.3-block", "3.4", "3.5-block"),
    proof_conditions=("stationary-minimiser",),
    quantity_id="replica_avg_iterate_gap",
    step_size_text="eta = D_blk = max_B D_B (constant), as thmSN.convex",
    build=_build, kind="probability-upper", hyperparameters={"blocks": BLOCKS},
    instance="every problem satisfying thmSN.convex's assumptions (finite variance: heavy tails allowed)",
    problems=(instance("quadratic-oracle", d=16),), Ts=(100,), verify_default=False,
)
