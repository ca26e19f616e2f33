"""The :class:`Theorem` object and the registry of theorems by id.

A theorem carries, in one place (the PEPit way): its id and reference, the algorithm and
option it is about, its assumptions, the exact quantity bounded, the step-size rule, the
O-form, the explicit-constant bound (the sum of named ``terms``) and the derivation that
builds it. :meth:`Theorem.evaluate` evaluates everything numerically.

Theorem ids (a contract): ``thm4.1 thm4.3 thm5.3 thmD.1 thmD.3 thmE.1 thmE.interp
adagradnorm-convex adagradnorm-nonconvex``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import sympy as sp

from boundcheck.theory.derivation import Derivation
from boundcheck.theory.symbols import MEANING, by_name
from boundcheck.validation import InputError, as_float, suggest


@dataclass(frozen=True)
class Theorem:
    id: str
    title: str
    reference: str  # e.g. "Liu et al. 2025, Thm 4.1"
    method: str  # "AdaGrad" | "SGD" | "AdaGrad-Norm"
    algorithm: str  # engine name: "adagrad" | "sgd" | "adagrad-norm"
    option: str  # "I" (projected) | "II" (unconstrained)
    setting: str  # "convex", "nonconvex", "nonconvex (L0,L1)", ...
    assumptions: tuple[str, ...]
    quantity: str  # plain text, e.g. "E f(w_bar_T) - f*"
    quantity_latex: str
    quantity_id: str  # machine id the verification layer measures, e.g. "avg_iterate_gap"
    o_form: sp.Expr
    step_size: sp.Expr | None  # the rule (may contain the symbol t for schedules)
    step_size_text: str
    explicit: sp.Expr | None  # None when the paper gives only an O-form
    terms: Mapping[str, sp.Expr] = field(default_factory=dict)
    derivation: Derivation | None = None
    notes: str = ""  # readings, ambiguities, differences from the paper's text
    o_form_only: bool = False  # True: cited result, only the O-form is given

    # ------------------------------------------------------------------ symbols
    def required(self) -> list[str]:
        """Names of the constants the explicit bound (or O-form) and step size need."""
        exprs = [self.explicit if self.explicit is not None else self.o_form]
        if self.step_size is not None:
            exprs.append(self.step_size)
        names = set()
        for e in exprs:
            names |= {s.name for s in sp.sympify(e).free_symbols if s.name != "t"}
        return sorted(names)

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, constants: Mapping[str, Any]) -> dict[str, Any]:
        """Evaluate the explicit bound, each term and the step size.

        ``constants`` maps symbol names to numbers; names the theorem does not use are
        accepted and ignored. Raises :class:`InputError` naming every missing symbol, or
        a negative / non-numeric value.
        """
        values: dict[str, float] = {}
        for name, raw in constants.items():
            x = as_float(name, raw)
            if x < 0:
                raise InputError(f"{name}={raw!r} is negative; constants must be >= 0")
            values[name] = x
        need = self.required()
        missing = [n for n in need if n not in values]
        if missing:
            raise InputError(
                f"{self.id} needs {', '.join(missing)}; pass them as NAME=VALUE"
            )
        subs = {by_name(n): values[n] for n in need if by_name(n) is not None}

        def num(expr):
            if expr is None:
                return None
            v = sp.sympify(expr).subs(subs)
            if v.free_symbols:  # e.g. the schedule variable t: report the expression
                return str(v)
            v = float(sp.N(v, 30))
            return v if math.isfinite(v) else float("inf")

        explicit = num(self.explicit)
        return {
            "theorem": self.id,
            "quantity": self.quantity,
            "explicit": explicit,
            "o_form_only": self.o_form_only or self.explicit is None,
            "terms": {k: num(v) for k, v in self.terms.items()},
            "step_size": num(self.step_size),
            "constants": {n: values[n] for n in need},
        }

    def describe_symbols(self) -> dict[str, str]:
        return {n: MEANING.get(n, "") for n in self.required()}


_REGISTRY: dict[str, Theorem] = {}


def register(theorem: Theorem) -> Theorem:
    if theorem.id in _REGISTRY:
        raise ValueError(f"theorem id {theorem.id!r} registered twice")
    _REGISTRY[theorem.id] = theorem
    return theorem


def get(theorem_id: str) -> Theorem:
    """The theorem with this id; an InputError suggesting the closest id otherwise."""
    _load()
    try:
        return _REGISTRY[theorem_id]
    except KeyError:
        raise InputError(
            f"unknown theorem {theorem_id!r}{suggest(theorem_id, _REGISTRY)}; "
            f"known: {', '.join(_REGISTRY)}"
        ) from None


def all_theorems() -> list[Theorem]:
    _load()
    return list(_REGISTRY.values())


def _load() -> None:
    """Import the theorem modules (each registers its theorems on import)."""
    import boundcheck.theory.theorems  # noqa: F401
