r"""``adagradnorm-hp-markov``: AdaGrad-Norm's convex bound read with probability 1 - delta (Markov).

**boundcheck's reading** (:mod:`boundcheck.theory.proofs.markov`): the cited AdaGrad-Norm
results (convex and high-probability) give no constant, so the expectation bound used is
boundcheck's own derivation (the Subset-Norm block bound at k = 1: ``(9/2) ||L||_inf D_2^2/T + 3
D_2 ||sigma||_2/sqrt(MT) + eps D_2/T`` at ``eta = D_2``); Markov's inequality turns it into
``P(f(w_bar_T) - f* > B/delta) <= delta``. Valid under finite noise variance (no tail condition).
"""

from boundcheck.problems.standard import instance
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.markov import adagradnorm_markov

    return adagradnorm_markov()


THEOREM = Theorem(
    id="adagradnorm-hp-markov",
    title="AdaGrad-Norm, convex, with probability 1 - delta (Markov's inequality; boundcheck's derivation)",
    reference="boundcheck's derivation (Subset-Norm block bound at k = 1, theory/proofs/subset_norm.py) + Markov's "
              "inequality (issue 12); not a cited constant",
    method="AdaGrad-Norm", algorithm="adagrad-norm", option="I", setting="convex, L-smooth, finite noise variance",
    assumptions=("3.1", "3.3", "3.4", "3.5"),
    proof_conditions=("stationary-minimiser",),
    quantity_id="replica_avg_iterate_gap",
    step_size_text="eta = D_2 (the k = 1 block diameter: Theorem 4.1's eta = D_inf for one block)",
    build=_build, kind="probability-upper",
    instance="every problem satisfying the convex assumptions (finite variance: heavy tails allowed)",
    problems=(instance("quadratic-oracle", d=16),), Ts=(100,), verify_default=False,
)
