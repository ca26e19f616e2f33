"""What an assumption is: a declared statement with a numeric check on a concrete problem.

An :class:`Assumption` carries its id, title, reference, LaTeX statement, the constants it
introduces (theory-layer symbol names and the vector names of :meth:`Problem.exact_constants`),
and a ``check(problem, constants=None, *, samples=...) -> CheckResult`` hook. A check returns
``holds`` (certified, or no violation among the sampled points: ``reason`` says which),
``violated`` (with the witness), or ``unchecked`` (with the reason it cannot be checked
numerically). The paper's assumptions are in :mod:`boundcheck.theory.assumptions`; plugins
register theirs the same way (kind ``assumption``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a numeric assumption check: ``status`` in holds / violated / unchecked."""

    status: str
    reason: str
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool | None:
        """True: holds; False: violated; None: not checkable numerically."""
        return {"holds": True, "violated": False}.get(self.status)


@dataclass(frozen=True)
class Assumption:
    id: str
    title: str
    reference: str
    statement_latex: str
    constants: tuple[str, ...]  # theory-layer symbols it introduces
    vectors: tuple[str, ...]  # exact_constants() keys the numeric check reads
    checker: Callable[..., CheckResult] = field(repr=False, compare=False)
    notes: str = ""

    def check(self, problem, constants: Mapping[str, Any] | None = None, *, rng=None,
              samples: int = 64) -> CheckResult:
        """Check this assumption on ``problem``.

        ``constants`` maps vector names (``L``, ``sigma``, ``L0``, ``L1``, ``tau``,
        ``sigma_star``, ``L_star``, ``f_star``, ``D_inf``, ``D_2``) to values; missing ones
        come from ``problem.exact_constants()``. Stochastic gradients are drawn through the
        sampling contract (:mod:`boundcheck.sampling`: one replica stream per row, seeded, so a
        check is deterministic); ``rng`` replaces that sampler (an object with the contract's
        ``indices``/``standard_normal``). Points are drawn from
        :func:`boundcheck.sampling.generator`.
        """
        c = dict(problem.exact_constants() or {})
        c.update(constants or {})
        return self.checker(problem, c, rng=rng, samples=samples)


__all__ = ["Assumption", "CheckResult"]
