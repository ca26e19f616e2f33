r"""``sgd-hp-markov``: Theorem D.1 read with probability 1 - delta by Markov's inequality.

**boundcheck's reading** (:mod:`boundcheck.theory.proofs.markov`): ``P(f(w_bar_T) - f* > B_D1/delta)
<= delta`` for every delta in (0, 1), under D.1's assumptions only (finite noise variance; no tail
condition), so it holds under heavy-tailed noise with a variance too. Checked like every
probability-upper statement: exceedances of B(delta) over ceil(20/delta) replicas.
"""

from boundcheck.problems.standard import instance
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.markov import sgd_markov

    return sgd_markov()


THEOREM = Theorem(
    id="sgd-hp-markov",
    title="SGD, convex: Theorem D.1 with probability 1 - delta (Markov's inequality; boundcheck's reading)",
    reference="Liu et al. 2025, Thm D.1 + Markov's inequality (boundcheck's reading, issue 12)",
    method="SGD", algorithm="sgd", option="I", setting="convex, L-smooth, finite noise variance",
    assumptions=("3.1", "3.3", "3.4", "3.5"),
    proof_conditions=("stationary-minimiser",),
    quantity_id="replica_avg_iterate_gap",
    step_size_text="Theorem D.1's: eta_t = min{1/||L||_inf, sqrt(D_2^2 M / (2 ||sigma||_2^2 (t+1)))}",
    build=_build, kind="probability-upper",
    instance="every problem satisfying Theorem D.1's assumptions (finite variance: heavy tails allowed)",
    problems=(instance("quadratic-oracle", d=16),), Ts=(100,), verify_default=False,
)
