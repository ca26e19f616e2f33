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

from boundcheck.theory.derivation import Derivation, is_nonnegative
from boundcheck.theory.symbols import MEANING, by_name
from boundcheck.theory.symbols import eta as _ETA
from boundcheck.validation import InputError, as_float, integer, suggest

#: The iteration counter of step-size schedules (``eta_t``); never a user constant.
_SCHEDULE_T = sp.Symbol("t", integer=True, nonnegative=True)


def schedule_t() -> sp.Symbol:
    """The symbol ``t`` that step-size schedules must use (so evaluation can find it)."""
    return _SCHEDULE_T


def _substitute(expr: sp.Expr, subs: Mapping[sp.Symbol, float]) -> sp.Expr:
    """``expr.subs(subs)``; where a value 0 makes it undefined (0/0, c/0), the limit as
    those constants tend to 0 from above."""
    exact = {k: sp.nsimplify(v) if float(v).is_integer() else sp.Float(v, 30) for k, v in subs.items()}
    # min/max rules (step sizes): evaluate each argument on its own, so a limit such as
    # min(1/L, c/sigma) -> 1/L at sigma = 0 never has to pass through Min
    minmax = {m: m.func(*[_substitute(a, subs) for a in m.args])
              for m in expr.atoms(sp.Min, sp.Max)}
    if minmax:
        expr = expr.xreplace(minmax)
    v = expr.subs(exact)
    if not v.has(sp.nan, sp.zoo) and v.is_finite is not False:
        return v
    zeros = [k for k, val in subs.items() if val == 0]
    if not zeros:
        return v
    h = sp.Symbol("h_limit", positive=True)
    rest = {k: val for k, val in exact.items() if k not in zeros}
    e = expr.subs(rest).subs({k: h for k in zeros})
    return sp.limit(e, h, 0, "+")


_COMPILED: dict = {}


def _fast_value(expr: sp.Expr, subs: Mapping[sp.Symbol, float]) -> float | None:
    """Float evaluation through a cached ``lambdify`` when every value is positive and the
    result is finite; None tells the caller to take the exact SymPy route (zeros as limits,
    overflow, expressions with symbols left)."""
    syms = sorted(expr.free_symbols, key=lambda x: x.name)
    if any(x not in subs for x in syms) or any(not subs[x] > 0 for x in syms):
        return None
    try:
        fn = _COMPILED[expr]
    except KeyError:
        fn = _COMPILED[expr] = sp.lambdify(syms, expr, "math")
    try:
        v = float(fn(*[float(subs[x]) for x in syms]))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return v if math.isfinite(v) else None


def _to_float(v: sp.Expr) -> float:
    x = complex(sp.N(v, 30)) if not v.is_real else float(sp.N(v, 30))
    if isinstance(x, complex):
        x = x.real if abs(x.imag) < 1e-300 else float("nan")
    return x if math.isfinite(x) else float("inf")


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
    explicit: sp.Expr | None = field(default=None, init=False)  # the sum of ``terms`` (None: O-form only)
    terms: Mapping[str, sp.Expr] = field(default_factory=dict)
    derivation: Derivation | None = None
    notes: str = ""  # readings, ambiguities, differences from the paper's text
    o_form_only: bool = False  # True: cited result, only the O-form is given
    # The bound as a function of a free constant step size ``eta`` (valid for every
    # admissible eta, see ``generic_condition``) before the theorem's step size is put in;
    # None when the step size is a schedule or the result is cited.
    generic: sp.Expr | None = None
    generic_condition: str = ""  # which eta the generic bound allows, e.g. "eta <= 1/L_norminf"
    # Conditions the proof uses beyond the numbered assumptions (ids in
    # boundcheck.theory.assumptions.ASSUMPTIONS), e.g. "stationary-minimiser".
    proof_conditions: tuple[str, ...] = ()

    # ------------------------------------------------------------------ symbols
    def __post_init__(self) -> None:
        # The explicit bound IS the sum of its named terms: derived here, never passed twice.
        if self.terms:
            object.__setattr__(self, "explicit", sum(self.terms.values()))

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
    def _values(self, constants: Mapping[str, Any], need: list[str]) -> dict[str, float | int]:
        """Validate ``constants`` at the door: numbers >= 0; T, M, d integers >= 1."""
        values: dict[str, float] = {}
        for name, raw in constants.items():
            if by_name(name) is None and name not in need:
                continue  # not a theory symbol (e.g. a vector 'L' from a problem): ignored
            x = as_float(name, raw)
            if x < 0:
                raise InputError(f"{name}={raw!r} is negative; constants must be >= 0")
            values[name] = x
        missing = [n for n in need if n not in values]
        if missing:
            raise InputError(
                f"{self.id} needs {', '.join(missing)}; pass them as NAME=VALUE"
            )
        for n in list(values):  # given but unused integer symbols too (d=0 is never valid)
            sym = by_name(n)
            if sym is not None and sym.is_integer:
                values[n] = integer(n, constants[n], low=1)
        if "eps" in need and values["eps"] == 0:  # ln((b + eps)/eps), v_{-1} = eps^2: no eps -> 0 limit
            raise InputError(f"eps={constants['eps']!r} is out of range; allowed: eps > 0 "
                             "(AdaGrad's v_{-1} = eps^2)")
        return values

    def evaluate(self, constants: Mapping[str, Any]) -> dict[str, Any]:
        """Evaluate the explicit bound, each term and the step size.

        ``constants`` maps symbol names to numbers; names the theorem does not use are
        accepted and ignored (values of other theory symbols are still checked, so a typo'd
        negative value is not silently dropped). Raises :class:`InputError` naming every
        missing symbol, or a negative / non-numeric value (T, M, d must be integers >= 1).

        A constant equal to 0 (e.g. ``sigma_norm1=0``) is taken as the limit from above, so
        a step size such as ``min(1/L, c/sigma)`` evaluates to ``1/L``. When the step size
        is a schedule in ``t`` its expression is returned, and ``step_size_at`` gives its
        values at ``t = 0`` and ``t = T - 1`` (when T is known).
        """
        need = self.required()
        values = self._values(constants, need)
        subs = {by_name(n): values[n] for n in need if by_name(n) is not None}

        def num(expr):
            if expr is None:
                return None
            expr = sp.sympify(expr)
            if _SCHEDULE_T not in expr.free_symbols:
                fast = _fast_value(expr, subs)
                if fast is not None:
                    return fast
            try:
                v = _substitute(expr, subs)
            except Exception as err:  # a limit SymPy cannot take: say which zeros caused it
                zeros = [n for n in need if values.get(n) == 0]
                raise InputError(
                    f"{self.id}: cannot evaluate with {', '.join(f'{n}=0' for n in zeros) or 'these constants'} "
                    f"({type(err).__name__}); pass a small positive value instead"
                ) from None
            if v.free_symbols:  # e.g. the schedule variable t: report the expression
                return str(v)
            return _to_float(v)

        explicit = num(self.explicit)
        result = {
            "theorem": self.id,
            "quantity": self.quantity,
            "quantity_id": self.quantity_id,
            "explicit": explicit,
            "o_form_only": self.o_form_only or self.explicit is None,
            "terms": {k: num(v) for k, v in self.terms.items()},
            "step_size": num(self.step_size),
            "constants": {n: values[n] for n in need},
        }
        o_names = {s.name for s in sp.sympify(self.o_form).free_symbols}
        if o_names <= set(values):
            o_subs = {by_name(n): values[n] for n in o_names if by_name(n) is not None}
            # the O-form with every hidden constant set to 1 (for orientation only)
            o_expr = sp.sympify(self.o_form)
            fast = _fast_value(o_expr, o_subs)
            result["o_form"] = fast if fast is not None else _to_float(_substitute(o_expr, o_subs))
        if self.step_size is not None and _SCHEDULE_T in sp.sympify(self.step_size).free_symbols:
            at = {"0": 0}
            if "T" in values:
                at["T-1"] = int(values["T"]) - 1
            rule = sp.sympify(self.step_size)
            result["step_size_at"] = {}
            for k, v in at.items():
                point = {**subs, _SCHEDULE_T: float(v)}
                fast = _fast_value(rule, point)
                result["step_size_at"][f"t={k}"] = (
                    fast if fast is not None else _to_float(_substitute(rule, point)))
        return result

    def step_size_function(self, constants: Mapping[str, Any]):
        """The step size as a function of the iteration t (constant rules ignore t).

        For the engine and verify: ``eta = thm.step_size_function(c); eta(0), eta(T - 1)``.
        """
        if self.step_size is None:
            raise InputError(f"{self.id} has no step-size rule")
        need = sorted({s.name for s in sp.sympify(self.step_size).free_symbols} - {"t"})
        values = self._values(constants, need)
        subs = {by_name(n): values[n] for n in need if by_name(n) is not None}
        rule = _substitute(sp.sympify(self.step_size), subs)
        if _SCHEDULE_T not in rule.free_symbols:
            const = _to_float(rule)
            return lambda t: const
        f = sp.lambdify(_SCHEDULE_T, rule, "math")
        return lambda t: float(f(t))

    def consistency(self) -> dict[str, bool]:
        """SymPy checks every explicit theorem must pass (the docs and tests run them):

        - ``explicit_ge_generic``: ``explicit >= generic`` at the theorem's step size
          (only when ``generic`` is given and the step size is a constant rule).
        """
        out: dict[str, bool] = {}
        if self.explicit is None:
            return out
        if self.generic is not None and self.step_size is not None:
            out["explicit_ge_generic"] = explicit_ge_generic(self.explicit, self.generic, self.step_size)
        return out

    def describe_symbols(self) -> dict[str, str]:
        return {n: MEANING.get(n, "") for n in self.required()}


def explicit_ge_generic(explicit: sp.Expr, generic: sp.Expr, step: sp.Expr) -> bool:
    """SymPy proof that ``explicit >= generic(eta = step)``.

    Directly when SymPy can; for a rule ``step = min(a_1, ..., a_k)`` and a generic bound
    ``sum_p c_p eta^p`` with every ``c_p >= 0``, through the upper bounds
    ``eta^-p <= (sum_i 1/a_i)^p`` (as ``1/min <= sum of 1/a_i``) and ``eta^p <= a_i^p`` for
    one chosen ``a_i`` (as ``min <= a_i``), trying each choice.
    """
    explicit, generic, step = sp.sympify(explicit), sp.sympify(generic), sp.sympify(step)
    if is_nonnegative(explicit - generic.subs(_ETA, step)):
        return True
    if not isinstance(step, sp.Min):
        return False
    parts = [t.as_coeff_exponent(_ETA) for t in sp.Add.make_args(sp.expand(generic))]
    if any(not is_nonnegative(c) or _ETA in c.free_symbols for c, _ in parts):
        return False
    inv_sum = sum(1 / a for a in step.args)
    for choice in step.args:
        upper = sum(c * (inv_sum ** (-p) if p < 0 else choice**p) for c, p in parts)
        if is_nonnegative(explicit - upper):
            return True
    return False


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


#: The contract ids, in the order listings use (theorems registered under other ids follow).
THEOREM_IDS = ("thm4.1", "thm4.3", "thm5.3", "thmD.1", "thmD.3", "thmE.1", "thmE.interp",
               "adagradnorm-convex", "adagradnorm-nonconvex")


def all_theorems() -> list[Theorem]:
    """Every registered theorem, contract ids first in :data:`THEOREM_IDS` order."""
    _load()
    rank = {tid: i for i, tid in enumerate(THEOREM_IDS)}
    return sorted(_REGISTRY.values(), key=lambda t: rank.get(t.id, len(rank)))


def _load() -> None:
    """Import the theorem modules (each registers its theorems on import)."""
    import boundcheck.theory.theorems  # noqa: F401
