"""Proof steps encoded as SymPy relations, each with how it is checked.

A :class:`Step` states one link of a proof chain (``lhs <= rhs``, ``lhs == rhs``, or a
definition) and names how it is verified:

- ``"sympy"``: :meth:`Step.check` proves it with SymPy (e.g. ``rhs - lhs`` simplifies to an
  expression SymPy can show non-negative under the symbols' assumptions);
- ``"property"``: SymPy cannot prove it; ``test`` names the hypothesis / simulation test
  (``tests/...::name``) that covers it instead;
- ``"definition"``: a substitution or choice (a step size, a named constant), nothing to prove.

A :class:`Derivation` is the ordered chain that builds a theorem's explicit bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import sympy as sp

Kind = Literal["le", "eq", "definition"]
How = Literal["sympy", "property", "definition"]


def is_nonnegative(expr: sp.Expr) -> bool | None:
    """True if SymPy can show ``expr >= 0`` from the symbols' assumptions, else None/False.

    Tries, in order: the assumption system on the expression, on its simplification, on
    its factorization and on the numerator/denominator of its ``together`` form.
    """
    expr = sp.sympify(expr)
    candidates = [expr]
    for transform in (sp.simplify, sp.factor, sp.together, sp.expand):
        try:
            candidates.append(transform(expr))
        except Exception:  # pragma: no cover - SymPy transform failure is not a proof
            pass
    for e in candidates:
        if e.is_nonnegative:
            return True
        if e == 0:
            return True
        num, den = sp.fraction(sp.together(e))
        if (sp.factor(num).is_nonnegative and den.is_positive) or (
            sp.factor(num).is_nonpositive and den.is_negative
        ):
            return True
    return None


def le_by_squares(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """Prove ``lhs <= rhs`` by comparing squares: ``rhs >= 0`` and ``rhs**2 - lhs**2 >= 0``.

    Sound for any real ``lhs`` (``rhs >= |lhs|`` follows). Used for square-root
    inequalities SymPy's assumption system cannot see through directly, e.g.
    ``sqrt(a + b) <= sqrt(a) + sqrt(b)``.
    """
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    if not is_nonnegative(rhs):
        return False
    return bool(is_nonnegative(sp.expand(rhs**2 - lhs**2)))


def le_in_every_case(lhs: sp.Expr, rhs: sp.Expr, cases: list[dict]) -> bool:
    """Prove ``lhs <= rhs`` by cases: ``rhs - lhs >= 0`` after each substitution in ``cases``.

    Used for ``Min``/``Max`` step sizes: ``min(a, b)`` is ``a`` or ``b``, so an inequality
    shown for both substitutions (without using which one is smaller) holds for the min.
    """
    for case in cases:
        diff = sp.sympify(rhs).subs(case) - sp.sympify(lhs).subs(case)
        if not is_nonnegative(diff):
            return False
    return True


#: Results of :meth:`Step.check` by step (the same claim is proven once per process).
_PROVEN: dict = {}


@dataclass(frozen=True)
class Step:
    """One step of a proof chain. ``lhs <= rhs`` (``kind='le'``) or ``lhs == rhs`` (``'eq'``)."""

    name: str
    statement: str  # human readable, with the paper reference
    lhs: sp.Expr | None = None
    rhs: sp.Expr | None = None
    kind: Kind = "le"
    how: How = "sympy"
    test: str | None = None  # for how="property": the covering test, tests/...::name
    prover: Callable[[], bool] | None = field(default=None, compare=False)  # custom SymPy proof

    def check(self) -> bool | None:
        """Run the SymPy proof. True: proven. None: not a SymPy step (see ``test``).
        False: the SymPy proof failed (a bug, or a step that needs a property test)."""
        if self.how != "sympy":
            return None
        try:
            return _PROVEN[self]
        except (KeyError, TypeError):
            pass
        result = self._prove()
        try:
            _PROVEN[self] = result
        except TypeError:  # pragma: no cover - unhashable expression
            pass
        return result

    def _prove(self) -> bool:
        if self.prover is not None:
            return bool(self.prover())
        if self.lhs is None or self.rhs is None:
            return False
        diff = sp.sympify(self.rhs) - sp.sympify(self.lhs)
        if self.kind == "eq":
            return sp.simplify(diff) == 0
        return bool(is_nonnegative(diff))

    def status(self) -> str:
        """How this step stands, in words: for ``boundcheck show`` and the docs."""
        if self.how == "definition":
            return "definition"
        if self.how == "property":
            return f"property test {self.test}"
        return "proven by SymPy" if self.check() else "SymPy proof FAILED"

    def latex(self) -> str:
        if self.lhs is None or self.rhs is None:
            return ""
        op = {"le": r"\le", "eq": "=", "definition": ":="}[self.kind]
        return f"{sp.latex(self.lhs)} {op} {sp.latex(self.rhs)}"


@dataclass(frozen=True)
class Derivation:
    """An ordered chain of steps building an explicit bound."""

    steps: tuple[Step, ...]

    def check(self) -> dict[str, bool | None]:
        """Each step's :meth:`Step.check` result, by name."""
        return {s.name: s.check() for s in self.steps}

    def unproven(self) -> list[Step]:
        """Steps SymPy does not prove (property-tested or definitional)."""
        return [s for s in self.steps if s.how != "sympy"]

    def __iter__(self):
        return iter(self.steps)
