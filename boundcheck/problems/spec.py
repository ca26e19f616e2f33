"""What a problem family is: a declared factory of :class:`~boundcheck.problems.base.Problem`.

A problem component is a :class:`ProblemSpec`: its name (``"quadratic-oracle"``), title,
reference, declared parameters (:class:`~boundcheck.params.Param`: name, type, range, default,
doc) and a factory ``make(**params) -> Problem``. The declaration drives the CLI's ``--param``
validation and help, the docs, the tightness search's space and the contract tests (every
registered problem is checked against sampled Hessians, finite differences and the
assumption checks with its ``test_params``).

The factory validates its parameters against the same declaration (:func:`boundcheck.params.bind`),
so the Python API (``QuadraticOracle(d=...)``) and the CLI refuse the same values with the same
one-line message.

A family may also declare **transforms** (:class:`ProblemTransform`): a change of the problem
written once for every family that declares it (``rotate``: ``f_Q(w) = f(Q^T w)``,
:mod:`boundcheck.problems.rotation`). A transform's parameters join the family's
(``-p rotation=haar -p seed_rotation=3``); ``build`` makes the base problem from the family's own
parameters and hands it to the transform when one of the transform's parameters is given and
differs from its identity value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from boundcheck.params import Param, bind


@dataclass(frozen=True)
class ProblemTransform:
    """A transform of built problems (see the module docstring): ``apply(problem, **params) ->
    Problem`` with the declared ``params`` (defaults filled in); ``identity(params) -> bool`` says
    when the given values mean "no transform" (the base problem is returned unchanged)."""

    name: str
    params: tuple[Param, ...]
    apply: Callable[..., Any] = field(repr=False, compare=False)
    identity: Callable[[Mapping[str, Any]], bool] = field(default=lambda p: False, repr=False, compare=False)
    doc: str = ""


@dataclass(frozen=True)
class ProblemSpec:
    """A registered problem family (see the module docstring).

    ``test_params``: small instances the contract tests build (benchopt's ``test_config``).
    """

    name: str
    title: str
    make: Callable[..., Any]
    params: tuple[Param, ...] = ()
    doc: str = ""
    reference: str = ""
    test_params: tuple[Mapping[str, Any], ...] = field(default_factory=lambda: ({},))
    transforms: tuple[ProblemTransform, ...] = ()

    @property
    def declared(self) -> tuple[Param, ...]:
        """The family's parameters, then its transforms' (everything ``build`` accepts)."""
        return self.params + tuple(p for t in self.transforms for p in t.params)

    def build(self, **params) -> Any:
        """The problem instance for ``params`` (None values mean "default"); an unknown name
        or a bad value is an InputError naming the allowed ones."""
        given = {k: v for k, v in params.items() if v is not None}
        bound = bind(self.declared, given, f"problem {self.name!r}", fill_defaults=False)
        own = {p.name for p in self.params}
        problem = self.make(**{k: v for k, v in given.items() if k in own})
        for t in self.transforms:
            names = [p.name for p in t.params]
            if not any(n in bound for n in names):
                continue
            values = bind(t.params, {n: bound[n] for n in names if n in bound}, f"problem {self.name!r}")
            if not t.identity(values):
                problem = t.apply(problem, **values)
        return problem

    def param(self, name: str) -> Param | None:
        return next((p for p in self.declared if p.name == name), None)


__all__ = ["ProblemSpec", "ProblemTransform"]
