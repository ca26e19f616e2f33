r"""High-probability statements of seed 002 (issue 12), as far as they could be read: O-forms only.

What we read (``docs/research/neighbouring_results.md`` has the sources and the details): for
every paper below only the abstract (and, for Subset-Norm, the authors' code) was stored; no
theorem statement with its constants, step size or exact quantity. So nothing here has an
explicit bound; each :class:`~boundcheck.theory.proofs.cited.CitedStatement` carries the O-form
the abstract prints (or None) and the reason it is O-form only. They are registered as theorems
of kind ``probability-upper`` by :mod:`boundcheck.theory.theorems.seed002` (listed, shown and
evaluated in O-form; ``verify`` reports them as not checkable, with the reason). SymPy is
imported on first use only (``delta``, ``sigma_subG``, ``SGD_HP_T_KNOWN``, ``SGD_HP_T_UNKNOWN``
are built when first read).

- ``sgd-hp-subgaussian`` (Liu, Nguyen, Nguyen, Ene, Nguyen, ICML 2023): SGD with sub-Gaussian
  noise, T known: ``O((1 + sigma^2 log(1/delta))/T + sigma/sqrt(T))``; T unknown:
  ``O((1 + sigma^2 log(T/delta))/sqrt(T))`` (:data:`SGD_HP_T_UNKNOWN`). The abstract does not
  say which quantity (convex gap or nonconvex stationarity) or hide which problem constants.
- ``adagradnorm-hp-subgaussian`` (same paper): a high-probability bound for AdaGrad-Norm without
  bounded gradients; no rate in the abstract.
- ``subsetnorm-hp-subgaussian`` (Nguyen & Nguyen, ICML 2025): noise-adapted high-probability
  guarantee for Subset-Norm, nonconvex smooth, coordinate-wise sub-gaussian noise; no rate in the
  abstract.
- ``sgd-hp-subweibull`` (Madden, Dall'Anese, Becker, JMLR 2024): nonconvex smooth SGD with
  norm-sub-Weibull noise, bound for the best iterate (plus a post-processing rule that selects
  one iterate); no rate in the abstract.
"""

from __future__ import annotations

from boundcheck.theory import symbols as S
from boundcheck.theory.proofs.cited import CitedStatement

DELTA_MEANING = "failure probability of a high-probability statement, 0 < delta < 1"
SIGMA_SUBG_MEANING = ("sub-Gaussian noise parameter of the cited statement (its exact definition, e.g. "
                      "E exp(||n||^2/sigma^2) <= e, was not read)")


def delta_symbol():
    """The failure probability ``delta`` (a public symbol: ``boundcheck bound ID delta=0.01``)."""
    return S.symbol("delta", DELTA_MEANING)


def _sgd_hp_t_known():
    import sympy as sp

    sig, delta = S.symbol("sigma_subG", SIGMA_SUBG_MEANING), delta_symbol()
    return (1 + sig**2 * sp.log(1 / delta)) / S.T + sig / sp.sqrt(S.T)


def _sgd_hp_t_unknown():
    import sympy as sp

    sig, delta = S.symbol("sigma_subG", SIGMA_SUBG_MEANING), delta_symbol()
    return (1 + sig**2 * sp.log(S.T / delta)) / sp.sqrt(S.T)


def __getattr__(name: str):
    """``delta``, ``sigma_subG``, ``SGD_HP_T_KNOWN``, ``SGD_HP_T_UNKNOWN``: built on first read."""
    lazy = {"delta": delta_symbol, "sigma_subG": lambda: S.symbol("sigma_subG", SIGMA_SUBG_MEANING),
            "SGD_HP_T_KNOWN": _sgd_hp_t_known, "SGD_HP_T_UNKNOWN": _sgd_hp_t_unknown}
    if name in lazy:
        return lazy[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

_ABSTRACT_ONLY = ("only the abstract was stored (arXiv/OpenReview/PMLR pages and summaries); no theorem "
                  "statement with constants, step size or quantity could be read")


LIU_2023 = "Liu, Nguyen, Nguyen, Ene, Nguyen, High Probability Convergence of Stochastic Gradient Methods, ICML 2023"

SGD_HP_SUBGAUSSIAN = CitedStatement(
    id="sgd-hp-subgaussian",
    kind="probability-upper",
    title="High-probability convergence of SGD under sub-Gaussian noise (T known)",
    reference=LIU_2023 + " (abstract)",
    source="https://openreview.net/forum?id=Q9SeUwcdfQ",
    read="partly",
    method="SGD", algorithm="sgd",
    setting="stochastic, convex and nonconvex (the abstract treats both); smooth or Lipschitz",
    assumptions=("sub-Gaussian gradient noise with parameter sigma", "T known in advance (step size uses it)"),
    quantity="unread: the abstract gives the rate without saying whether it bounds the convex optimality "
             "gap (in terms of the initial distance) or the nonconvex average squared gradient norm",
    quantity_id=None,
    quantifier="for every delta in (0, 1), with probability at least 1 - delta",
    instance="every problem satisfying the assumptions (upper bound)",
    rate=_sgd_hp_t_known,
    o_form_only_reason=_ABSTRACT_ONLY + "; the O-form hides the problem constants (smoothness, initial "
                       "distance or gap) and the absolute constants, and the step size is not given",
    notes="T unknown: O((1 + sigma^2 log(T/delta))/sqrt(T)) (SGD_HP_T_UNKNOWN). Reading the O-form: at "
          "delta -> 0 the bound grows like sigma^2 log(1/delta)/T, so a check needs R >> 1/delta replicas.",
)

ADAGRADNORM_HP_SUBGAUSSIAN = CitedStatement(
    id="adagradnorm-hp-subgaussian",
    kind="probability-upper",
    title="High-probability convergence of AdaGrad-Norm without bounded gradients",
    reference=LIU_2023 + " (abstract; the full version also treats per-coordinate AdaGrad)",
    source="https://openreview.net/forum?id=Q9SeUwcdfQ",
    read="no",
    method="AdaGrad-Norm", algorithm="adagrad-norm",
    setting="stochastic nonconvex smooth (Ward et al. 2019's setting)",
    assumptions=("sub-Gaussian gradient noise", "no bounded-gradient assumption"),
    quantity="unread",
    quantity_id=None,
    quantifier="for every delta in (0, 1), with probability at least 1 - delta",
    instance="every problem satisfying the assumptions (upper bound)",
    rate=None,
    o_form_only_reason=_ABSTRACT_ONLY + "; the abstract states no rate for AdaGrad-Norm (the O((1 + "
                       "sigma^2 log(1/delta))/T + sigma/sqrt(T)) rate is stated for SGD only)",
)

SUBSETNORM_HP_SUBGAUSSIAN = CitedStatement(
    id="subsetnorm-hp-subgaussian",
    kind="probability-upper",
    title="Noise-adapted high-probability convergence of Subset-Norm AdaGrad",
    reference="Nguyen & Nguyen, Lean and Mean Adaptive Optimization via Subset-Norm and Subspace-Momentum "
              "with Convergence Guarantees, ICML 2025 (PMLR 267:46116-46161; arXiv 2411.07120) (abstract)",
    source="https://proceedings.mlr.press/v267/nguyen25f.html",
    read="no",
    method="AdaGrad-Subset-Norm", algorithm="subset-norm",
    setting="stochastic nonconvex smooth",
    assumptions=("coordinate-wise sub-gaussian gradient noise", "smoothness (form not read)"),
    quantity="unread",
    quantity_id=None,
    quantifier="for every delta in (0, 1), with probability at least 1 - delta",
    instance="every problem satisfying the assumptions (upper bound)",
    rate=None,
    o_form_only_reason=_ABSTRACT_ONLY + "; the abstract claims 'improved dimensional dependence' without a "
                       "formula. The authors' code (timmytonga/sn-sm, subset_norm.py) adds eps outside the "
                       "square root (sqrt(v) + eps), not v_{-1} = eps^2 as in Algorithm 1 of Liu et al.",
    notes="Our own expectation bounds for Subset-Norm (derived, explicit): theorems/subset_norm.py.",
)

SGD_HP_SUBWEIBULL = CitedStatement(
    id="sgd-hp-subweibull",
    kind="probability-upper",
    title="High-probability convergence of nonconvex SGD under sub-Weibull noise",
    reference="Madden, Dall'Anese, Becker, High Probability Convergence Bounds for Non-convex Stochastic "
              "Gradient Descent with Sub-Weibull Noise, JMLR 2024 (arXiv 2006.05610) (abstract)",
    source="https://arxiv.org/abs/2006.05610",
    read="no",
    method="SGD", algorithm="sgd",
    setting="stochastic nonconvex, (strongly) smooth",
    assumptions=("norm sub-Weibull gradient noise (tail parameter not read)", "smoothness"),
    quantity="the (unknown) best iterate's stationarity, min_t of a gradient norm (which power not read); "
             "a post-processing rule selects one iterate with a guarantee",
    quantity_id=None,
    quantifier="for every delta in (0, 1), with probability at least 1 - delta",
    instance="every problem satisfying the assumptions (upper bound)",
    rate=None,
    o_form_only_reason=_ABSTRACT_ONLY + "; the abstract states no rate",
    notes="The abstract's second setting (PL inequality + norm sub-Gaussian noise) is a separate result.",
)

STATEMENTS: tuple[CitedStatement, ...] = (
    SGD_HP_SUBGAUSSIAN, ADAGRADNORM_HP_SUBGAUSSIAN, SUBSETNORM_HP_SUBGAUSSIAN, SGD_HP_SUBWEIBULL,
)
