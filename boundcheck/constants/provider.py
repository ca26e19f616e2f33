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

**Constants of a configured algorithm.** Some constants depend on how the algorithm is
configured, not on the problem alone: Subset-Norm's block constants (``L_blk_norm1``,
``sigma_blk_norm1``, ``D_blk``, ``blocks``) depend on its partition of the coordinates, a
hyperparameter (``blocks=k``). Such constants are asked of a *configured view*,
``assembly.configured(algorithm, hyperparameters)`` (the verification layer makes one for every
theorem, from the theorem's algorithm and the run's hyperparameters:
:func:`boundcheck.verify.instances.theorem_assembly`). A provider reads the configuration through
``a.algorithm`` (the configured :class:`~boundcheck.algorithms.base.Algorithm`, e.g. its
``partition(d)`` capability; None on an unconfigured assembly) or ``a.hyperparameters``.
Resolution tracks those reads: a value whose computation read the configuration (directly or
through another such value) is cached in the view; every other value is cached once in the
problem's assembly and shared by all its views, so the expensive problem constants (the certified
``L``) are computed once whatever the number of configurations. No provider declares anything:
the tracking is automatic, so a provider cannot leak a configuration-dependent value into the
shared cache.
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
        # problem-only values, shared by every configured view of this problem's assembly
        self._shared_values: dict[str, Constant] = {}
        self._shared_missing: dict[str, str] = {}
        # values whose computation read the configuration: this assembly's own
        self._values: dict[str, Constant] = {}
        self._missing: dict[str, str] = {}
        self._resolving: list[str] = []
        self._exact: dict[str, Any] | None = None
        #: ``on_compute(name, provider_name)`` before a provider computes (progress reporting)
        self.on_compute = None
        # configuration (a view made by ``configured``): the problem's assembly it shares with
        self._root: Assembly = self
        self._algorithm_name: str | None = None
        self._hyperparameters: dict[str, Any] = {}
        self._algorithm = None
        self._views: dict[str, Assembly] = {}
        self._reads: list[bool] = []  # per resolution frame: did it read the configuration?

    # ------------------------------------------------------------------ configuration
    def configured(self, algorithm: str, hyperparameters: Mapping | None = None) -> "Assembly":
        """The view of this problem's constants for ``algorithm`` with ``hyperparameters``
        (validated and completed with the declared defaults; see the module docstring). Views
        are cached per configuration; problem-only constants are shared with this assembly."""
        from boundcheck import registry
        from boundcheck.store import canonical

        root = self._root
        bound = registry.get("algorithm", algorithm).bind(dict(hyperparameters or {}))
        key = canonical([algorithm, bound])
        view = root._views.get(key)
        if view is None:
            view = Assembly.__new__(Assembly)
            view.__dict__.update(root.__dict__)
            view._values, view._missing, view._resolving, view._reads = {}, {}, [], []
            view._views = {}
            view._root = root
            view._algorithm_name, view._hyperparameters, view._algorithm = algorithm, bound, None
            root._views[key] = view
        return view

    @property
    def algorithm(self):
        """The configured :class:`~boundcheck.algorithms.base.Algorithm` (None when this
        assembly is not configured). Reading it makes the value being computed configuration-
        dependent."""
        self._mark_read()
        if self._algorithm_name is None:
            return None
        if self._algorithm is None:
            from boundcheck import registry

            self._algorithm = registry.get("algorithm", self._algorithm_name).build(self._hyperparameters)
        return self._algorithm

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """The configured algorithm's validated hyperparameters ({} when not configured)."""
        self._mark_read()
        return dict(self._hyperparameters)

    @property
    def algorithm_name(self) -> str | None:
        self._mark_read()
        return self._algorithm_name

    def _mark_read(self) -> None:
        if self._reads:
            self._reads[-1] = True

    # ------------------------------------------------------------------ problem facts
    @property
    def exact(self) -> dict[str, Any]:
        """``problem.exact_constants()`` (called once per problem)."""
        root = self._root
        if root._exact is None:
            root._exact = dict(self.problem.exact_constants() or {})
        return root._exact

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # ------------------------------------------------------------------ resolution
    def get(self, name: str) -> Constant | None:
        """The constant ``name``, or None when no provider applies (:meth:`why_missing`)."""
        if name in self._values or name in self._missing:  # configuration-dependent
            self._mark_read()
            return self._values.get(name)
        if name in self._shared_values or name in self._shared_missing:
            return self._shared_values.get(name)
        if name in self._resolving:
            raise RuntimeError(f"constant providers depend on each other in a cycle: "
                               f"{' -> '.join(self._resolving + [name])}")
        self._resolving.append(name)
        self._reads.append(False)
        reasons = []
        found = None
        try:
            for provider in providers_of(name):
                if self.on_compute is not None:
                    self.on_compute(name, provider.name)
                try:
                    out = provider.compute(self)
                except NotApplicable as why:
                    reasons.append(f"{provider.name}: {why}")
                    continue
                # a value is configuration-dependent when its provider, or a provider tried
                # before it (which might apply under another configuration), read the configuration
                values = self._values if self._reads[-1] else self._shared_values
                for key, const in out.items():
                    values.setdefault(key, const)
                if name in out:
                    found = values[name]
                    break
                reasons.append(f"{provider.name}: gave no {name}")
        finally:
            self._resolving.pop()
            read = self._reads.pop()
        if read:
            self._mark_read()
        if found is not None:
            return found
        (self._missing if read else self._shared_missing)[name] = (
            "; ".join(reasons) if reasons else "no provider declares it")
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
        return self._missing.get(name, self._shared_missing.get(name, ""))

    def known(self) -> dict[str, Constant]:
        """Every constant resolved so far (the problem's, then this configuration's own)."""
        out = dict(self._shared_values)
        out.update(self._values)
        return out

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
