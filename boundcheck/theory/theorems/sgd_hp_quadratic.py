r"""``sgd-hp-quadratic``: SGD's last iterate on a separable quadratic, with probability 1 - delta.

**boundcheck's derivation, not the cited paper's** (:mod:`boundcheck.theory.proofs.hp_quadratic`):
for a separable quadratic and independent sub-Gaussian noise (proxy sigma_j^2/M), SGD Option II
with any constant step eta from w_0 satisfies, for every delta in (0, 1)::

    P( f(w_T) - f* > Q_mean + 2 sqrt(Q_var log(1/delta)) + 2 Q_scale log(1/delta) ) <= delta,

with ``Q_mean, Q_var, Q_scale`` closed forms of (h, sigma, w_0 - w*, eta, T, M) computed for the
run (``prepare``). ``verify`` checks delta in {0.1, 0.01, 0.001} with ceil(20/delta) replicas each
(exceedances of B(delta), exact binomial test); on heavy-tailed noise the sub-Gaussian assumption
fails, and with ``--allow-assumption-violation`` the bound is seen to fail at small delta.
"""

from boundcheck.problems.standard import instance
from boundcheck.theory.theorem import Theorem


def _build():
    from boundcheck.theory.proofs.hp_quadratic import hp_quadratic

    return hp_quadratic()


def _prepare(problem, constants):
    from boundcheck.theory.proofs.hp_quadratic import prepare

    return prepare(problem, constants)


THEOREM = Theorem(
    id="sgd-hp-quadratic",
    title="High-probability bound for SGD on separable quadratics with sub-Gaussian noise (boundcheck's derivation)",
    reference="boundcheck's derivation (issue 12; Chernoff bound with Laurent & Massart 2000's inequality), not "
              "the cited papers': the high-probability statements of seed 002 could not be read beyond abstracts",
    method="SGD", algorithm="sgd", option="II", setting="separable quadratic, sub-Gaussian noise",
    assumptions=("separable-quadratic", "subgaussian-noise", "3.4"),
    quantity_id="replica_last_gap",
    step_size_text="any constant eta > 0 (verify runs eta = 1/||L||_inf)",
    build=_build, kind="probability-upper",
    instance="every separable quadratic f = f* + sum_j h_j (w_j - w*_j)^2/2 with independent sub-Gaussian noise "
             "(variance proxy sigma_j^2/M per coordinate), SGD from w_0 = 0",
    problems=(instance("quadratic-oracle", d=16),), eta_default="inv_L_norminf",
    prepare=_prepare, prepared=("Q_mean", "Q_var", "Q_scale"), Ts=(100,), verify_default=False,
)
