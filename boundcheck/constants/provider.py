"""One constants assembly: named providers with provenance, resolved on demand.

Every constant a theorem, an assumption check or ``boundcheck constants`` needs (``L``,
``sigma``, ``D_inf``, ``Delta``, ``L_norm1`` ...) comes from a registered :class:`Provider`
(kind ``constant`` in :mod:`boundcheck.registry`). A provider declares the names it
``provides`` and computes them from the problem and from other constants it asks the
:class:`Assembly` for; it raises :class:`NotApplicable` (with the reason) when it does not
apply to a problem (e.g. the closed-form ``L_*`` needs a least-squares finite sum).

For each name the assembly tries its providers in registration order (boundcheck's manifest,
then plugins) and keeps the first that applies; everything that provider returns is cached
with it, so a provider that gives several names runs once. Each value is a :class:`Constant`
carrying its provenance: ``kind`` (``exact``, ``certified`` bound, ``bound``, ``estimate``,
``derived``) and ``how`` (one line). Asking for a constant that no provider gives is an
:class:`~boundcheck.validation.InputError` naming the providers tried and why each did not
apply, never a silent gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from boundcheck.validation import InputError

#: Provenance kinds.
KINDS = ("exact", "certified", "bound", "estimate", "derived", "measured")


@dataclass(frozen=True)
class Constant:
    """A constant's value with its provenance (see the module docstring)."""

    name: str
    value: Any
    kind: str
    how: str
    certificate: Any = None
    #: a remark to show wherever the constant is used (e.g. "(L0, L1) = (L, 0): ...")
    note: str = ""
    #: "W" when the value holds on the feasible set only (e.g. a noise bound over W)
    valid_on: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"constant {self.name!r}: kind {self.kind!r} not in {KINDS}")

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "how": self.how}


class NotApplicable(Exception):
    """A provider does not apply to this problem; ``str(err)`` says why (one line)."""


@dataclass(frozen=True)
class Provider:
    """A named source of constants (see the module docstring).

    ``compute(assembly) -> {name: Constant}``; it may call ``assembly.require(other)`` (or
    ``assembly.get``) for the constants it builds on and raise :class:`NotApplicable`.
    """

    name: str
    provides: tuple[str, ...]
    compute: Callable[["Assembly"], Mapping[str, Constant]] = field(repr=False, compare=False)
    doc: str = ""


def providers_of(name: str) -> list[Provider]:
    from boundcheck import registry

    return [p for p in registry.all("constant") if name in p.provides]


def known_names() -> list[str]:
    from boundcheck import registry

    out: list[str] = []
    for p in registry.all("constant"):
        out += [n for n in p.provides if n not in out]
    return out


class Assembly:
    """The constants of one problem, computed on demand and cached (see the module docstring).

    Options read by providers: ``w0`` (the initial point of Delta; default: the problem's
    ``w0`` attribute, else zeros), ``solver`` and ``solver_options`` (the optimal diagonal),
    ``estimate_generalized`` (estimate (L0, L1) of a nonconvex problem that states none).
    """

    def __init__(self, problem, *, w0=None, solver: str = "auto", solver_options: Mapping | None = None,
                 estimate_generalized: bool = True):
        self.problem = problem
        self.w0 = w0
        self.solver = solver
        self.solver_options = dict(solver_options or {})
        self.estimate_generalized = estimate_generalized
        self.notes: list[str] = []
        self._values: dict[str, Constant] = {}
        self._missing: dict[str, str] = {}
        self._resolving: list[str] = []
        self._exact: dict[str, Any] | None = None
        #: ``on_compute(name, provider_name)`` before a provider computes (progress reporting)
        self.on_compute = None

    # ------------------------------------------------------------------ problem facts
    @property
    def exact(self) -> dict[str, Any]:
        """``problem.exact_constants()`` (called once)."""
        if self._exact is None:
            self._exact = dict(self.problem.exact_constants() or {})
        return self._exact

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # ------------------------------------------------------------------ resolution
    def get(self, name: str) -> Constant | None:
        """The constant ``name``, or None when no provider applies (:meth:`why_missing`)."""
        if name in self._values:
            return self._values[name]
        if name in self._missing:
            return None
        if name in self._resolving:
            raise RuntimeError(f"constant providers depend on each other in a cycle: "
                               f"{' -> '.join(self._resolving + [name])}")
        self._resolving.append(name)
        reasons = []
        try:
            for provider in providers_of(name):
                if self.on_compute is not None:
                    self.on_compute(name, provider.name)
                try:
                    out = provider.compute(self)
                except NotApplicable as why:
                    reasons.append(f"{provider.name}: {why}")
                    continue
                for key, const in out.items():
                    self._values.setdefault(key, const)
                if name in out:
                    return self._values[name]
                reasons.append(f"{provider.name}: gave no {name}")
        finally:
            self._resolving.pop()
        self._missing[name] = "; ".join(reasons) if reasons else "no provider declares it"
        return None

    def require(self, name: str, why: str = "") -> Constant:
        """The constant ``name``; an InputError naming the providers tried otherwise. Inside a
        provider (a constant built on another one) a missing dependency makes that provider
        :class:`NotApplicable` instead, so the next provider is tried."""
        c = self.get(name)
        if c is None and self._resolving:
            raise NotApplicable(f"needs {name}, which no provider gives ({self.why_missing(name)})")
        if c is None:
            who = f" (needed by {why})" if why else ""
            raise InputError(f"no constant provider gives {name} for problem "
                             f"{getattr(self.problem, 'name', 'problem')!r}{who}: {self.why_missing(name)}")
        return c

    def value(self, name: str, default: Any = None) -> Any:
        c = self.get(name)
        return default if c is None else c.value

    def why_missing(self, name: str) -> str:
        return self._missing.get(name, "")

    def known(self) -> dict[str, Constant]:
        """Every constant resolved so far."""
        return dict(self._values)

    def scalars(self, names) -> dict[str, float]:
        """``{name: float}`` for the names some provider gives (others left out)."""
        out = {}
        for n in names:
            c = self.get(n)
            if c is not None and c.value is not None and np.ndim(c.value) == 0:
                out[n] = float(c.value)
        return out

    def vectors(self, names) -> dict[str, np.ndarray]:
        out = {}
        for n in names:
            c = self.get(n)
            if c is not None and c.value is not None:
                out[n] = np.asarray(c.value, dtype=float).reshape(-1)
        return out


def constant(name: str, value: Any, kind: str, how: str, certificate: Any = None, note: str = "",
             valid_on: str | None = None) -> Constant:
    return Constant(name, value, kind, how, certificate, note, valid_on)


__all__ = ["Constant", "Provider", "Assembly", "NotApplicable", "KINDS", "providers_of", "known_names",
           "constant"]
