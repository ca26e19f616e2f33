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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from boundcheck.params import Param, bind


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

    def build(self, **params) -> Any:
        """The problem instance for ``params`` (None values mean "default"); an unknown name
        or a bad value is an InputError naming the allowed ones."""
        given = {k: v for k, v in params.items() if v is not None}
        bind(self.params, given, f"problem {self.name!r}", fill_defaults=False)
        return self.make(**given)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


__all__ = ["ProblemSpec"]
