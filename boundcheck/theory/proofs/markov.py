r"""High-probability readings of expectation bounds by Markov's inequality (issue 12).

**boundcheck's derivation, not a cited paper's.** For a non-negative quantity Q with an explicit
expectation bound ``E Q <= B_exp`` (a theorem boundcheck checks), Markov's inequality gives, for
every delta in (0, 1)::

    P(Q > B_exp / delta) <= E Q / (B_exp / delta) <= delta.

It needs exactly the expectation theorem's assumptions - finite noise variance, no tail
condition - so it stays valid under heavy-tailed noise (Student-t with 3 degrees of freedom has a
variance) where the sub-Gaussian bound of :mod:`.hp_quadratic` fails. The price is the ``1/delta``
growth (against ``log(1/delta)`` for sub-Gaussian noise). Readings registered:

- ``sgd-hp-markov``: Theorem D.1 (SGD, convex, Option I) with ``Q = f(w_bar_T) - f*``;
- ``adagradnorm-hp-markov``: AdaGrad-Norm's convex bound as boundcheck derives it (the Subset-Norm
  block bound at k = 1, :func:`boundcheck.theory.proofs.subset_norm.subset_norm_convex_bound`:
  ``(9/2) ||L||_inf D_2^2/T + 3 D_2 ||sigma||_2/sqrt(MT) + eps D_2/T`` at ``eta = D_2``), Q the
  same. The cited AdaGrad-Norm results give no constant, so the derived one is used;
- ``subsetnorm-hp-markov``: Subset-Norm's convex block bound (``thmSN.convex``, boundcheck's
  derivation) with its k blocks - a high-probability statement for Subset-Norm whose every
  constant is explicit, where Nguyen & Nguyen's own guarantee could not be read.
"""

from __future__ import annotations

import sympy as sp

from boundcheck.theory.derivation import Derivation, Step, is_nonnegative
from boundcheck.theory.proofs.high_probability import delta_symbol
from boundcheck.theory.theorem import Symbolic

_q, _a = sp.symbols("q a", positive=True)
_u = sp.Symbol("u", nonnegative=True)


def _prove_indicator() -> bool:
    """``1{Q > a} <= Q/a`` for ``Q >= 0``: on ``Q = a (1 + u)`` (> a) ``1 <= Q/a``; on ``Q = a u/(1 + u)``
    (< a) ``0 <= Q/a``. Taking expectations: ``P(Q > a) <= E Q / a``."""
    above = is_nonnegative((_a * (1 + _u)) / _a - 1)
    below = is_nonnegative((_a * _u / (1 + _u)) / _a)
    return bool(above and below)


def _prove_level() -> bool:
    """``E Q/(B/delta) <= delta`` when ``E Q <= B``: ``delta - delta E Q/B = delta (B - E Q)/B >= 0``."""
    B, d = sp.symbols("B delta_", positive=True)
    gap = sp.Symbol("gap", nonnegative=True)  # B - E Q
    EQ = B - gap
    return bool(is_nonnegative(d - EQ / (B / d)))


def markov_reading(base: Symbolic, base_id: str) -> Symbolic:
    """The Markov reading of an expectation theorem's SymPy parts: every term divided by delta,
    the base derivation followed by the two Markov steps."""
    delta = delta_symbol()
    terms = {f"{k}/delta": v / delta for k, v in base.terms.items()}
    steps = list(base.derivation.steps) if base.derivation is not None else []
    steps += [
        Step("markov", f"Q >= 0: 1{{Q > a}} <= Q/a, so P(Q > a) <= E Q/a (Markov's inequality); E Q <= B_exp is "
             f"{base_id}'s bound (the steps above)", prover=_prove_indicator),
        Step("markov_level", "a = B_exp/delta: P(Q > B_exp/delta) <= delta E Q/B_exp <= delta", prover=_prove_level),
    ]
    return Symbolic(o_form=base.o_form / delta, step_size=base.step_size, terms=terms,
                    derivation=Derivation(tuple(steps)),
                    notes=f"Markov's inequality applied to {base_id}'s expectation bound (boundcheck's reading): "
                          "valid whenever that bound is, under finite noise variance, with no tail condition.")


def sgd_markov() -> Symbolic:
    from boundcheck.theory.proofs.sgd import thmD1

    return markov_reading(thmD1(), "Theorem D.1")


def adagradnorm_markov() -> Symbolic:
    from boundcheck.theory.proofs import subset_norm as sn

    derivation, step, terms, _ = sn.subset_norm_convex_bound()
    k1 = sn.LIMIT_K_EQ_1
    base = Symbolic(o_form=sn.CONVEX_O_FORM.subs(k1), step_size=sp.sympify(step).subs(k1),
                    terms={k: sp.sympify(v).subs(k1) for k, v in terms.items()}, derivation=derivation)
    return markov_reading(base, "AdaGrad-Norm's convex bound (Subset-Norm at k = 1, boundcheck's derivation)")


def subsetnorm_markov() -> Symbolic:
    from boundcheck.theory.proofs import subset_norm as sn

    derivation, step, terms, _ = sn.subset_norm_convex_bound()
    base = Symbolic(o_form=sn.CONVEX_O_FORM, step_size=step, terms=terms, derivation=derivation)
    return markov_reading(base, "thmSN.convex (Subset-Norm's convex block bound, boundcheck's derivation)")


__all__ = ["markov_reading", "sgd_markov", "adagradnorm_markov", "subsetnorm_markov"]
