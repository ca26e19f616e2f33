"""A theorem's explicit bound on a problem, from Python.

:func:`bound_constants` gives the constants a theorem's bound and step size need on a problem,
each from its provider in the constants assembly (the values ``boundcheck verify`` uses;
:func:`boundcheck.verify.instances.theorem_constants`), by symbol name; :func:`evaluate` puts
them, with the run's own ``T``, ``M``, ``eps`` ..., into the theorem's bound
(:meth:`boundcheck.theory.theorem.Theorem.evaluate`)::

    c = bound_constants("thm4.1", problem)
    evaluate("thm4.1", {**c, "T": 1000, "M": 8, "eps": 1e-8})["bound"]
"""

from __future__ import annotations

from typing import Any, Mapping


def _theorem(theorem):
    from boundcheck.theory.theorem import Theorem, get

    return theorem if isinstance(theorem, Theorem) else get(str(theorem))


def bound_constants(theorem, problem, *, w0=None) -> dict[str, float]:
    """``{symbol: value}`` of the problem constants ``theorem`` (an id or a Theorem) needs on
    ``problem`` (a Problem or a :class:`~boundcheck.constants.provider.Assembly`); ``w0``: the
    initial point of Delta (default: the problem's, else zeros). The run's symbols (T, M, d,
    eps, eta) are not included: give them to :func:`evaluate`."""
    from boundcheck.constants.provider import Assembly
    from boundcheck.verify.instances import theorem_constants

    assembly = problem if isinstance(problem, Assembly) else Assembly(problem, w0=w0)
    values, _ = theorem_constants(_theorem(theorem), assembly)
    return values


def evaluate(theorem, constants: Mapping[str, Any]) -> dict[str, Any]:
    """The theorem's explicit bound, its terms and step size at ``constants`` (symbol name ->
    number; names the theorem does not use are ignored). An InputError names every missing
    symbol."""
    return _theorem(theorem).evaluate(constants)


__all__ = ["bound_constants", "evaluate"]
