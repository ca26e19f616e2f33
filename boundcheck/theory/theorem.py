"""The :class:`Theorem` declaration: one object owns a theorem's whole story.

A theorem module (one per theorem, :mod:`boundcheck.theory.theorems`) declares, in one place
(the PEPit way): its id and reference, the algorithm (and hyperparameters) and option it is
about, its kind of statement, its assumptions, the quantity bounded (a registered
:class:`~boundcheck.theory.quantity.Quantity`), the default problems ``boundcheck verify`` checks
it on, what it measures along the run (e.g. Theorem E.1's ``G_sum``), and a builder of its
SymPy parts: step-size rule, O-form, the explicit-constant bound (the sum of named ``terms``)
and the derivation that builds it. The SymPy parts are built on first use
(:attr:`Theorem.symbolic`), so listing theorems never imports SymPy.

:meth:`Theorem.evaluate` evaluates everything numerically. The verification layer only reads
these declarations: nothing outside a theorem's module branches on its id.

Theorem ids (a contract): ``thm4.1 thm4.3 thm5.3 thmD.1 thmD.3 thmE.1 thmE.interp
adagradnorm-convex adagradnorm-nonconvex`` (and whatever plugins add).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Mapping

from boundcheck.theory import symbols as _symbols
from boundcheck.validation import InputError, as_float, integer

#: Kinds of statement (issue 12 adds lower and high-probability bounds):
#:
#: - ``expectation-upper``: for every problem satisfying the assumptions, ``E Q <= B``;
#: - ``expectation-lower``: for the named method (or every method of a class) there is an
#:   instance - here always a *named construction* - with ``E Q >= B``;
#: - ``probability-upper``: for every delta in a range, ``P(Q > B(delta)) <= delta``.
KINDS = ("expectation-upper", "expectation-lower", "probability-upper")
#: The quantifier each kind states when a theorem does not spell out its own.
QUANTIFIERS = {
    "expectation-upper": "for every problem satisfying the assumptions, in expectation",
    "expectation-lower": "there exists an instance (the construction below) such that, in expectation",
    "probability-upper": "for every delta in (0, 1), with probability at least 1 - delta",
}
#: Failure probabilities a probability-upper theorem is checked at when it declares none.
DEFAULT_DELTAS = (0.1, 0.01, 0.001)
#: Contract ids of the paper's theorems (listing order is the registration order).
THEOREM_IDS = ("thm4.1", "thm4.3", "thm5.3", "thmD.1", "thmD.3", "thmE.1", "thmE.interp",
               "adagradnorm-convex", "adagradnorm-nonconvex")

def schedule_t():
    """The symbol ``t`` that step-size schedules must use (so evaluation can find it); the
    iteration counter of ``eta_t``, never a user constant."""
    import sympy as sp

    return sp.Symbol("t", integer=True, nonnegative=True)


def _substitute(expr, subs):
    """``expr.subs(subs)``; where a value 0 makes it undefined (0/0, c/0), the limit as
    those constants tend to 0 from above."""
    import sympy as sp

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


def _fast_value(expr, subs) -> float | None:
    """Float evaluation through a cached ``lambdify`` when every value is positive and the
    result is finite; None tells the caller to take the exact SymPy route (zeros as limits,
    overflow, expressions with symbols left)."""
    import sympy as sp

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


def _to_float(v) -> float:
    import sympy as sp

    x = complex(sp.N(v, 30)) if not v.is_real else float(sp.N(v, 30))
    if isinstance(x, complex):
        x = x.real if abs(x.imag) < 1e-300 else float("nan")
    return x if math.isfinite(x) else float("inf")


@dataclass(frozen=True)
class Symbolic:
    """A theorem's SymPy parts (what :attr:`Theorem.symbolic` builds).

    ``terms``: the explicit bound's named terms (their sum *is* the explicit bound; empty for
    an O-form-only result); ``generic``: the bound as a function of a free constant step size
    ``eta``, valid for every admissible eta (``generic_condition``), before the theorem's step
    size is put in (None when the step size is a schedule or the result is cited);
    ``notes``: readings that come with the derivation (appended to the declaration's notes).
    """

    o_form: Any
    step_size: Any = None
    terms: Mapping[str, Any] = field(default_factory=dict)
    derivation: Any = None
    generic: Any = None
    generic_condition: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Domain:
    """An interval of valid values of one symbol: ``low < x`` (``low <= x`` when
    ``closed_low``), likewise ``high``; None is unbounded."""

    low: float | None = None
    high: float | None = None
    closed_low: bool = True
    closed_high: bool = True

    def contains(self, x: float) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.closed_low)):
            return False
        if self.high is not None and (x > self.high or (x == self.high and not self.closed_high)):
            return False
        return True

    def text(self, name: str) -> str:
        parts = []
        if self.low is not None:
            parts.append(f"{self.low:g} {'<=' if self.closed_low else '<'} ")
        parts.append(name)
        if self.high is not None:
            parts.append(f" {'<=' if self.closed_high else '<'} {self.high:g}")
        return "".join(parts)


@dataclass(frozen=True)
class Theorem:
    """A theorem's declaration (see the module docstring).

    Statement: ``id, title, reference, method, algorithm (+ hyperparameters), option, setting,
    kind, assumptions, proof_conditions, quantity_id, step_size_text, notes, o_form_only`` and
    ``build`` (returns the :class:`Symbolic` parts; called once, on first use).

    Verification (read by :mod:`boundcheck.verify`, never special-cased there):

    - ``problems``: default problem specs of ``boundcheck verify`` (dicts of
      :func:`boundcheck.problems.standard.instance`); the first is the default;
    - ``data``: ``--data FILE`` (a convex finite sum) is a problem this theorem can be checked on;
    - ``measured``: bound symbols that stand for a measured expectation -> the engine metric
      measuring it per replica (Theorem E.1: ``{"G_sum": "g_sqrt_sum"}``); the bound is then
      evaluated per replica and the verdict is paired;
    - ``eta_default``: for a statement "for any constant eta", the constant whose value the
      check uses for eta (Theorem E.1: ``"D_inf"``, Theorem 4.1's step size);
    - ``full_batch``: a deterministic statement (exact gradients: gradient descent);
    - ``rate_sweep``: part of ``boundcheck sweep T``'s defaults;
    - ``prepare(problem, constants) -> dict``: optional theorem-specific preparation returning
      further named constants (e.g. closed forms only this theorem needs), named in
      ``prepared``; it sees the run's constants (T, M, d, eps, and eta for ``eta_default``
      theorems).
    """

    id: str
    title: str
    reference: str
    method: str  # "AdaGrad" | "SGD" | "AdaGrad-Norm" | ...
    algorithm: str | None  # a registered algorithm name: "adagrad" | "sgd" | ...; None: a class of methods
    option: str  # "I" (projected) | "II" (unconstrained)
    setting: str  # "convex", "nonconvex", "nonconvex (L0,L1)", ...
    assumptions: tuple[str, ...]
    quantity_id: str | None  # a registered quantity id, e.g. "avg_iterate_gap"; None: unread (cited)
    step_size_text: str
    build: Callable[[], Symbolic] = field(compare=False, repr=False, default=None)
    notes: str = ""  # readings, ambiguities, differences from the paper's text
    o_form_only: bool = False  # True: cited result, only the O-form is given
    # Conditions the proof uses beyond the numbered assumptions (registered assumption ids),
    # e.g. "stationary-minimiser".
    proof_conditions: tuple[str, ...] = ()
    hyperparameters: Mapping[str, Any] = field(default_factory=dict)
    kind: str = "expectation-upper"
    problems: tuple[Mapping[str, Any], ...] = ()
    data: bool = False
    measured: Mapping[str, str] = field(default_factory=dict)
    eta_default: str | None = None
    full_batch: bool = False
    rate_sweep: bool = False
    prepare: Callable[[Any, dict], dict] | None = field(compare=False, repr=False, default=None)
    #: the constants ``prepare`` returns (never looked up in the constants layer)
    prepared: tuple[str, ...] = ()
    # Issue 12: the statement's quantifier and the instance (family) it quantifies over, in words
    # (``quantifier`` defaults to the kind's, :data:`QUANTIFIERS`); for probability-upper
    # statements the failure probabilities ``verify`` checks (default :data:`DEFAULT_DELTAS`);
    # ``Ts``: verify's default iteration counts for this theorem (empty: verify's defaults);
    # ``not_checkable``: why ``verify`` cannot check it (a cited statement whose quantity or
    # constants could not be read), reported instead of a run; ``quantity_text``: the quantity
    # in words when no registered quantity states it (``quantity_id`` None).
    quantifier: str = ""
    instance: str = ""
    deltas: tuple[float, ...] = ()
    Ts: tuple[int, ...] = ()
    not_checkable: str = ""
    quantity_text: str = ""
    #: part of bare ``boundcheck verify`` (no ids); a theorem with False is run by id only
    verify_default: bool = True
    #: where the statement is valid beyond "constants >= 0": symbol name -> :class:`Domain`
    #: (e.g. a construction's ``d >= 3`` and ``0 < rho <= 1``); ``evaluate`` refuses values
    #: outside it in one line, and the tests draw inside it
    domain: Mapping[str, "Domain"] = field(default_factory=dict)
    #: joint conditions on several symbols: (text, predicate(values) -> bool), e.g.
    #: ``("rho_flat <= (d - 1)/2", lambda v: ...)``; refused like ``domain``
    conditions: tuple[tuple[str, Callable[[Mapping[str, float]], bool]], ...] = field(default=(), compare=False)

    def in_domain(self, values: Mapping[str, float]) -> str | None:
        """None when ``values`` lie in the statement's domain, else the first failed condition
        as ``"allowed: ..."`` text (symbols not in ``values`` are not judged)."""
        for n, dom in self.domain.items():
            if n in values and not dom.contains(values[n]):
                return f"{n}={values[n]!r} is out of range for {self.id}; allowed: {dom.text(n)}"
        for text, ok in self.conditions:
            try:
                good = ok(values)
            except KeyError:
                continue
            if not good:
                shown = ", ".join(f"{k}={v!r}" for k, v in values.items() if k in text)
                return f"{shown} is out of range for {self.id}; allowed: {text}"
        return None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"theorem {self.id!r}: kind {self.kind!r} not in {KINDS}")
        if self.build is None:
            raise ValueError(f"theorem {self.id!r} needs build= (its SymPy parts)")
        if self.kind == "expectation-lower" and not self.instance:
            raise ValueError(f"theorem {self.id!r}: a lower bound names the instance it holds on (instance=)")
        if any(not 0.0 < float(x) < 1.0 for x in self.deltas):
            raise ValueError(f"theorem {self.id!r}: deltas must lie in (0, 1), got {self.deltas!r}")
        if self.quantity_id is None and not (self.not_checkable and self.quantity_text):
            raise ValueError(f"theorem {self.id!r}: without a registered quantity it must say why it is not "
                             "checkable (not_checkable=) and state its quantity in words (quantity_text=)")

    # ------------------------------------------------------------------ the statement
    @property
    def quantifier_text(self) -> str:
        """The statement's quantifier (its own, or its kind's)."""
        return self.quantifier or QUANTIFIERS[self.kind]

    @property
    def checkable(self) -> bool:
        """Whether ``verify`` can run it (a cited statement may not be: :attr:`not_checkable`)."""
        return not self.not_checkable

    @property
    def verify_deltas(self) -> tuple[float, ...]:
        """The failure probabilities ``verify`` checks a probability-upper statement at."""
        if self.kind != "probability-upper":
            return ()
        return tuple(self.deltas) or DEFAULT_DELTAS

    def statement(self) -> str:
        """The statement in one line: quantifier, quantity, relation, bound's name."""
        rel = ">=" if self.kind == "expectation-lower" else "<="
        bound = "B(delta)" if self.kind == "probability-upper" else "B"
        q = self.quantity
        if self.kind == "probability-upper" and q.startswith("P("):
            return f"{self.quantifier_text}: {q}"
        return f"{self.quantifier_text}: {q} {rel} {bound}"

    # ------------------------------------------------------------------ lazy SymPy parts
    @cached_property
    def symbolic(self) -> Symbolic:
        """The SymPy parts, built once (importing SymPy and the proof modules)."""
        return self.build()

    @property
    def o_form(self):
        return self.symbolic.o_form

    @property
    def step_size(self):
        return self.symbolic.step_size

    @property
    def terms(self) -> Mapping[str, Any]:
        return self.symbolic.terms

    @cached_property
    def explicit(self):
        """The explicit bound: the sum of the named terms (None: O-form only)."""
        terms = self.symbolic.terms
        return sum(terms.values()) if terms else None

    @property
    def derivation(self):
        return self.symbolic.derivation

    @property
    def generic(self):
        return self.symbolic.generic

    @property
    def generic_condition(self) -> str:
        return self.symbolic.generic_condition

    @property
    def full_notes(self) -> str:
        """The declaration's notes and the derivation's readings."""
        extra = self.symbolic.notes
        return f"{self.notes} {extra}".strip() if extra else self.notes

    # ------------------------------------------------------------------ quantity
    @property
    def quantity_object(self):
        from boundcheck.theory.quantity import get

        if self.quantity_id is None:
            return None
        return get(self.quantity_id)

    @property
    def quantity(self) -> str:
        """The bounded quantity in plain text (from the registered quantity, else as read)."""
        q = self.quantity_object
        return self.quantity_text if q is None else q.text

    @property
    def quantity_latex(self) -> str:
        q = self.quantity_object
        return self.quantity_text if q is None else q.latex

    @property
    def has_explicit(self) -> bool:
        """An explicit-constant bound exists (without building the SymPy parts)."""
        return not self.o_form_only

    # ------------------------------------------------------------------ symbols
    def required(self) -> list[str]:
        """Names of the constants the explicit bound (or O-form) and step size need."""
        import sympy as sp

        exprs = [self.explicit if self.explicit is not None else self.o_form]
        exprs = [e for e in exprs if e is not None]  # a cited statement may have no readable rate
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
            if _symbols.by_name(name) is None and name not in need:
                continue  # not a theory symbol (e.g. a vector 'L' from a problem): ignored
            x = as_float(name, raw)
            if x < 0:
                raise InputError(f"{name}={raw!r} is negative; constants must be >= 0")
            values[name] = x
        missing = [n for n in need if n not in values]
        if missing:
            raise InputError(
                f"{self.id} needs {', '.join(missing)} (missing from the constants given); allowed: "
                f"a number for each of {', '.join(need)} (other names are ignored)"
            )
        for n in list(values):  # given but unused integer symbols too (d=0 is never valid)
            if _symbols.is_integer(n):
                values[n] = integer(n, constants[n], low=1)
        if "delta" in values and not 0.0 < values["delta"] < 1.0:
            raise InputError(f"delta={constants['delta']!r} is out of range; allowed: 0 < delta < 1 "
                             "(the failure probability of a high-probability statement)")
        bad = self.in_domain(values)
        if bad:
            raise InputError(bad)
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
        import sympy as sp

        by_name = _symbols.by_name
        t_sym = schedule_t()
        need = self.required()
        values = self._values(constants, need)
        subs = {by_name(n): values[n] for n in need if by_name(n) is not None}

        def num(expr):
            if expr is None:
                return None
            expr = sp.sympify(expr)
            if t_sym not in expr.free_symbols:
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
        o_names = {s.name for s in sp.sympify(self.o_form).free_symbols} if self.o_form is not None else None
        result["kind"] = self.kind
        if self.kind == "probability-upper" and "delta" in values:
            result["delta"] = values["delta"]
        if o_names is not None and o_names <= set(values):
            o_subs = {by_name(n): values[n] for n in o_names if by_name(n) is not None}
            # the O-form with every hidden constant set to 1 (for orientation only)
            o_expr = sp.sympify(self.o_form)
            fast = _fast_value(o_expr, o_subs)
            result["o_form"] = fast if fast is not None else _to_float(_substitute(o_expr, o_subs))
        if self.step_size is not None and t_sym in sp.sympify(self.step_size).free_symbols:
            at = {"0": 0}
            if "T" in values:
                at["T-1"] = int(values["T"]) - 1
            rule = sp.sympify(self.step_size)
            result["step_size_at"] = {}
            for k, v in at.items():
                point = {**subs, t_sym: float(v)}
                fast = _fast_value(rule, point)
                result["step_size_at"][f"t={k}"] = (
                    fast if fast is not None else _to_float(_substitute(rule, point)))
        return result

    def step_size_function(self, constants: Mapping[str, Any]):
        """The step size as a function of the iteration t (constant rules ignore t).

        For the engine and verify: ``eta = thm.step_size_function(c); eta(0), eta(T - 1)``.
        """
        import sympy as sp

        by_name = _symbols.by_name
        t_sym = schedule_t()
        if self.step_size is None:
            raise InputError(f"{self.id} has no step-size rule")
        need = sorted({s.name for s in sp.sympify(self.step_size).free_symbols} - {"t"})
        values = self._values(constants, need)
        subs = {by_name(n): values[n] for n in need if by_name(n) is not None}
        rule = _substitute(sp.sympify(self.step_size), subs)
        if t_sym not in rule.free_symbols:
            const = _to_float(rule)
            return lambda t: const
        f = sp.lambdify(t_sym, rule, "math")
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
        return {n: _symbols.MEANING.get(n, "") for n in self.required()}


def explicit_ge_generic(explicit, generic, step) -> bool:
    """SymPy proof that ``explicit >= generic(eta = step)``.

    Directly when SymPy can; for a rule ``step = min(a_1, ..., a_k)`` and a generic bound
    ``sum_p c_p eta^p`` with every ``c_p >= 0``, through the upper bounds
    ``eta^-p <= (sum_i 1/a_i)^p`` (as ``1/min <= sum of 1/a_i``) and ``eta^p <= a_i^p`` for
    one chosen ``a_i`` (as ``min <= a_i``), trying each choice.
    """
    import sympy as sp

    from boundcheck.theory.derivation import is_nonnegative

    _ETA = _symbols.eta
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


def get(theorem_id: str) -> Theorem:
    """The registered theorem with this id; an InputError suggesting the closest id otherwise."""
    from boundcheck import registry

    return registry.get("theorem", theorem_id)


def all_theorems() -> list[Theorem]:
    """Every registered theorem, in registration order (boundcheck's manifest, then plugins)."""
    from boundcheck import registry

    return registry.all("theorem")


__all__ = ["Theorem", "Domain", "Symbolic", "KINDS", "THEOREM_IDS", "get", "all_theorems", "schedule_t",
           "explicit_ge_generic"]
