r"""The published statements of seed 002 (issue 12), registered as theorems: O-form only, not checkable.

What could be read of them is in :mod:`boundcheck.theory.proofs.high_probability` and
:mod:`boundcheck.theory.proofs.lower_bounds` (sources and readings:
``docs/research/neighbouring_results.md``): for every paper only the abstract, never a theorem
statement with its constants, its step size or its exact quantity. Each
:class:`~boundcheck.theory.proofs.cited.CitedStatement` becomes a :class:`Theorem` of the kind it
states, with its quantifier and the instance (family) it quantifies over, the O-form as printed
(or none), and the reason it is O-form only:

- ``boundcheck theorems`` lists them (``kind``), ``boundcheck show ID`` prints the statement with
  its quantifier, ``boundcheck bound ID ...`` evaluates the O-form (every hidden constant set to 1,
  for orientation only);
- ``boundcheck verify ID`` reports them as ``inconclusive (not checkable)`` with the reason: the
  quantity (min over t or average, which power, which iterate) could not be read, so no run
  could be said to measure it, and no constant is made up.

boundcheck's own explicit statements of the same kinds (derived in SymPy, checked by ``verify``)
are separate theorems: ``sgd-lower-l1-min``/``sgd-lower-l1-avg`` (a lower bound on a named
construction) and ``sgd-hp-quadratic``/``sgd-hp-markov``/``adagradnorm-hp-markov``
(high-probability bounds).
"""

from __future__ import annotations

from boundcheck.theory.proofs import high_probability as _hp
from boundcheck.theory.proofs import lower_bounds as _lb
from boundcheck.theory.proofs.cited import CitedStatement
from boundcheck.theory.theorem import Symbolic, Theorem


def _builder(statement: CitedStatement):
    def build() -> Symbolic:
        return Symbolic(o_form=statement.o_form, notes="")

    return build


def _why_not_checkable(s: CitedStatement) -> str:
    return (f"cited statement read from the abstract only ({s.o_form_only_reason}); its quantity as read: "
            f"{s.quantity}; boundcheck never makes up a constant or a reading of the quantity to run it")


def as_theorem(s: CitedStatement) -> Theorem:
    """The registered theorem of a cited statement (O-form only, not checkable)."""
    notes = f"Read: {s.read} (source: {s.source}). {s.o_form_only_reason}."
    if s.construction:
        notes += " Construction: " + "; ".join(f"{k}: {v}" for k, v in s.construction.items()) + "."
    if s.notes:
        notes += " " + s.notes
    return Theorem(
        id=s.id, title=s.title + " (cited, O-form only)", reference=s.reference,
        method=s.method, algorithm=s.algorithm, option="-", setting=s.setting,
        assumptions=tuple(s.assumptions), quantity_id=None, quantity_text=s.quantity,
        step_size_text="not read", build=_builder(s), notes=notes, o_form_only=True, kind=s.kind,
        quantifier=s.quantifier, instance=s.instance, not_checkable=_why_not_checkable(s), verify_default=False,
    )


#: Seed 002's statements as theorems (registered in :mod:`boundcheck.manifest`).
THEOREMS: tuple[Theorem, ...] = tuple(as_theorem(s) for s in _lb.STATEMENTS + _hp.STATEMENTS)

__all__ = ["THEOREMS", "as_theorem"]
