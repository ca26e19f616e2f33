"""What a lemma is: statement, symbolic proof, property tests and numeric checkers in one object.

A :class:`Lemma` carries, in one place:

- ``id`` (a contract for the paper's: ``C.2 C.3 E.2 F.1 F.2 F.3 F.4 G.1 G.3 G.4 G.5 (17)``), title
  and reference ("Liu et al. 2025, Lemma G.4");
- the statement in LaTeX and its hypotheses, as *we read them* (``notes`` says where our reading
  differs from, or repairs, the printed text);
- the proof as :class:`~boundcheck.theory.derivation.Step` objects where it can be written
  symbolically (SymPy-checked steps, plus steps covered by named property tests);
- ``property_tests``: the tests that exercise the statement;
- ``checks``: pure NumPy functions of arrays that evaluate both sides of the lemma on concrete
  data, so the verification layer can check the lemma along real trajectories. They are
  reachable as attributes: ``lemmas.G4.solve_bound(C0, C1)``.

The paper's lemmas are in :mod:`boundcheck.theory.lemmas` (registered in :mod:`boundcheck.manifest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from boundcheck.theory.derivation import Derivation
from boundcheck.validation import InputError


@dataclass(frozen=True)
class Lemma:
    id: str
    title: str
    reference: str
    statement_latex: str
    hypotheses: tuple[str, ...]
    derivation: Derivation | None = None
    property_tests: tuple[str, ...] = ()
    checks: Mapping[str, Any] = field(default_factory=dict, compare=False)  # callables (and F.4's expr)
    notes: str = ""

    def __getattr__(self, name: str):
        # Only called when normal lookup fails: expose the numeric checkers as attributes.
        checks = self.__dict__.get("checks") or {}
        if name in checks:
            return checks[name]
        raise AttributeError(f"lemma {self.__dict__.get('id')!r} has no attribute or check {name!r}")

    def check_symbolic(self) -> dict[str, bool | None]:
        """Each proof step's SymPy result (None: covered by a property test or definitional)."""
        return self.derivation.check() if self.derivation is not None else {}


def get(lemma_id: str) -> Lemma:
    """The registered lemma with this id; an InputError suggesting the closest id otherwise."""
    from boundcheck import registry

    return registry.get("lemma", lemma_id)


def all_lemmas() -> list[Lemma]:
    from boundcheck import registry

    return registry.all("lemma")


def as_array(name: str, value, *, ndim: int | tuple[int, ...], nonnegative: bool = False,
             positive: bool = False) -> np.ndarray:
    """``value`` as a finite float array of the given rank(s); InputError otherwise.

    The door check of every numeric lemma checker (the math below trusts its inputs).
    """
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} is not a numeric array") from None
    ranks = (ndim,) if isinstance(ndim, int) else ndim
    if a.ndim not in ranks:
        raise InputError(f"{name} has shape {a.shape}; allowed: arrays of rank {' or '.join(map(str, ranks))}")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name} has non-finite entries; allowed: finite numbers")
    if positive and not np.all(a > 0):
        raise InputError(f"{name} has entries <= 0 (min {a.min():g}); allowed: entries > 0")
    if nonnegative and not np.all(a >= 0):
        raise InputError(f"{name} has negative entries (min {a.min():g}); allowed: entries >= 0")
    return a


__all__ = ["Lemma", "get", "all_lemmas", "as_array"]
