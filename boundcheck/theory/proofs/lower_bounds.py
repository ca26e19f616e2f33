r"""The l1-stationarity statements of Maladkar / Jiang, Mokhtari (seed 002, issue 12): O-forms only.

The work exists in two versions with different claims, and we could read only their abstracts:

- arXiv 2406.04592 v1 (Maladkar, Jiang, Mokhtari, *Convergence Analysis of Adaptive Gradient
  Methods under Refined Smoothness and Noise Assumptions*): AdaGrad in the l1 gradient norm under
  L-Lipschitz gradients and variance sigma^2, worst case ``O~(sqrt(d) L/sqrt(T) + sqrt(d)
  sigma/T^{1/4})`` (:data:`ADAGRAD_L1_UPPER_V1`); a deterministic lower bound ``Omega(sqrt(d)/sqrt(T))``
  for the l1 gradient norm (:data:`DETERMINISTIC_L1_LOWER_V1`); under refined assumptions AdaGrad
  "can potentially shave a factor of sqrt(d)" against SGD.
- COLT 2025 (Jiang, Maladkar, Mokhtari, *Provable Complexity Improvement of AdaGrad over SGD: Upper
  and Lower Bounds in Stochastic Non-Convex Optimization*, PMLR 291:3124-3158; the seed's text): an
  AdaGrad upper bound and an SGD lower bound in the l1 norm under refined (coordinate-wise)
  smoothness and noise assumptions; for "certain configurations of problem parameters" AdaGrad's
  iteration complexity beats SGD's by a factor d; an AdaGrad-specific lower bound and a lower
  bound for deterministic first-order methods show the upper bound is tight up to a log factor
  "under certain conditions". No formula is in this abstract.

So the hard instance of the SGD lower bound (its parameters) could not be read: ``construction``
says so, and the lead cannot register it as a problem family from what we read. The v1 O-forms
hide L and Delta (or their refined vectors) and absolute constants; the quantity (min over t or
average, in expectation) is not stated in either abstract. They are registered as theorems by
:mod:`boundcheck.theory.theorems.seed002` (listed, shown and evaluated in O-form; ``verify``
reports them as not checkable, with the reason). boundcheck's *own* explicit lower bound on a
named construction is :mod:`boundcheck.theory.proofs.lower_l1` (our derivation, not theirs).
SymPy is imported on first use only (``L_smooth`` and the O-forms are built when first read).
"""

from __future__ import annotations

from boundcheck.theory import symbols as S
from boundcheck.theory.proofs.cited import CitedStatement

L_SMOOTH_MEANING = "scalar smoothness: ||grad f(w) - grad f(w')||_2 <= L ||w - w'||_2"


def _adagrad_l1_upper_v1():
    import sympy as sp

    L = S.symbol("L_smooth", L_SMOOTH_MEANING)
    return sp.sqrt(S.d) * L / sp.sqrt(S.T) + sp.sqrt(S.d) * S.sigma_norm2 / S.T ** sp.Rational(1, 4)


def _deterministic_l1_lower_v1():
    import sympy as sp

    return sp.sqrt(S.d) / sp.sqrt(S.T)


def __getattr__(name: str):
    """``L_smooth``, ``ADAGRAD_L1_UPPER_V1``, ``DETERMINISTIC_L1_LOWER_V1``: built on first read."""
    lazy = {"L_smooth": lambda: S.symbol("L_smooth", L_SMOOTH_MEANING),
            "ADAGRAD_L1_UPPER_V1": _adagrad_l1_upper_v1, "DETERMINISTIC_L1_LOWER_V1": _deterministic_l1_lower_v1}
    if name in lazy:
        return lazy[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

_V1 = ("Maladkar, Jiang, Mokhtari, Convergence Analysis of Adaptive Gradient Methods under Refined Smoothness "
       "and Noise Assumptions, arXiv 2406.04592v1 (abstract)")
_COLT = ("Jiang, Maladkar, Mokhtari, Provable Complexity Improvement of AdaGrad over SGD: Upper and Lower Bounds "
         "in Stochastic Non-Convex Optimization, COLT 2025, PMLR 291:3124-3158 (abstract)")
_V1_URL = "https://ar5iv.labs.arxiv.org/html/2406.04592"
_COLT_URL = "https://proceedings.mlr.press/v291/jiang25c.html"
_ABSTRACT_ONLY = "only the abstract was stored; no theorem statement, constant, step size or construction"
_UNREAD_CONSTRUCTION = {"status": "unread: the abstract does not describe the hard instance or its parameters"}

ADAGRAD_UPPER_L1 = CitedStatement(
    id="adagrad-upper-l1",
    kind="expectation-upper",
    title="AdaGrad in the l1 gradient norm, worst case (v1)",
    reference=_V1, source=_V1_URL, read="partly",
    method="AdaGrad", algorithm="adagrad",
    setting="stochastic nonconvex, L-Lipschitz gradient, variance <= sigma^2",
    assumptions=("||grad f(w) - grad f(w')||_2 <= L ||w - w'||_2", "E||n||_2^2 <= sigma^2 (reading of 'variance "
                 "bounded by sigma^2')"),
    quantity="l1 norm of the gradient; min over t / average and expectation not stated in the abstract",
    quantity_id=None,
    quantifier="for every problem in the class",
    instance="every problem satisfying the assumptions",
    rate=_adagrad_l1_upper_v1,
    o_form_only_reason=_ABSTRACT_ONLY + "; O~ hides logarithms, Delta and absolute constants",
    notes="Later version (COLT 2025) replaces this by a bound under refined coordinate-wise assumptions "
          "(formula not read).",
)

DETERMINISTIC_LOWER_L1 = CitedStatement(
    id="deterministic-lower-l1",
    kind="expectation-lower",
    title="Lower bound for deterministic first-order methods in the l1 gradient norm (v1)",
    reference=_V1, source=_V1_URL, read="partly",
    method="any deterministic first-order method", algorithm=None,
    setting="deterministic (noiseless) nonconvex smooth",
    assumptions=("L-Lipschitz gradient (constants hidden)",),
    quantity="l1 norm of the gradient after T first-order queries (which iterate not stated)",
    quantity_id=None,
    quantifier="for every deterministic first-order method there exists an instance in the class",
    instance="a hard smooth function (construction not read)",
    rate=_deterministic_l1_lower_v1,
    o_form_only_reason=_ABSTRACT_ONLY + "; Omega hides L, Delta and absolute constants",
    construction=_UNREAD_CONSTRUCTION,
    notes="With sigma = 0 it matches the sqrt(d) L/sqrt(T) term of adagrad-upper-l1 in T and d (the "
          "abstract's tightness claim).",
)

SGD_LOWER_L1 = CitedStatement(
    id="sgd-lower-l1",
    kind="expectation-lower",
    title="SGD lower bound in the l1 gradient norm under refined assumptions",
    reference=_COLT, source=_COLT_URL, read="no",
    method="SGD", algorithm="sgd",
    setting="stochastic nonconvex, coordinate-wise (refined) smoothness and noise",
    assumptions=("refined smoothness (form not read)", "refined noise variance (form not read)"),
    quantity="l1 norm of the gradient (min over t / average not read)",
    quantity_id=None,
    quantifier="for SGD (any step size in the class considered, not read) there exists an instance",
    instance="a hard instance family (not read)",
    rate=None,
    o_form_only_reason=_ABSTRACT_ONLY + "; the abstract states no formula",
    construction=_UNREAD_CONSTRUCTION,
    notes="The factor-d gap over AdaGrad holds 'for certain configurations of problem parameters' (not read).",
)

ADAGRAD_LOWER_L1 = CitedStatement(
    id="adagrad-lower-l1",
    kind="expectation-lower",
    title="AdaGrad-specific lower bound in the l1 gradient norm",
    reference=_COLT, source=_COLT_URL, read="no",
    method="AdaGrad", algorithm="adagrad",
    setting="stochastic nonconvex, refined assumptions",
    assumptions=("not read",),
    quantity="l1 norm of the gradient",
    quantity_id=None,
    quantifier="for AdaGrad there exists an instance",
    instance="a hard instance (not read)",
    rate=None,
    o_form_only_reason=_ABSTRACT_ONLY + "; the abstract says only that it shows the AdaGrad upper bound tight "
                       "up to a logarithmic factor under certain conditions",
    construction=_UNREAD_CONSTRUCTION,
)

STATEMENTS: tuple[CitedStatement, ...] = (ADAGRAD_UPPER_L1, DETERMINISTIC_LOWER_L1, SGD_LOWER_L1, ADAGRAD_LOWER_L1)
