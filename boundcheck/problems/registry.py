"""Problems by name: :func:`make_problem`, :data:`PROBLEM_NAMES`, and :func:`load_data`.

=================== =================================================================
name                family (module)
=================== =================================================================
exptail-linear      least squares on exponential-tail features (:mod:`.exptail`)
exptail-logistic    l2-regularized logistic regression, same features (:mod:`.exptail`)
quadratic-oracle    quadratic + Gaussian oracle noise, exact constants (:mod:`.quadratic`)
nonconvex-aniso     separable nonconvex, (L0, L1)-smooth, oracle noise (:mod:`.nonconvex`)
=================== =================================================================
"""

from __future__ import annotations

import inspect

from boundcheck.validation import InputError, choice, suggest

from .data import load_data
from .exptail import exptail_linear, exptail_logistic
from .nonconvex import NonconvexAniso
from .quadratic import QuadraticOracle

_FACTORIES = {
    "exptail-linear": exptail_linear,
    "exptail-logistic": exptail_logistic,
    "quadratic-oracle": QuadraticOracle,
    "nonconvex-aniso": NonconvexAniso,
}
PROBLEM_NAMES = tuple(_FACTORIES)


def problem_parameters(name: str) -> tuple[str, ...]:
    """The parameter names ``make_problem(name, ...)`` accepts."""
    choice("problem", name, PROBLEM_NAMES)
    return tuple(inspect.signature(_FACTORIES[name]).parameters)


def make_problem(name: str, **params):
    """Build problem ``name`` with ``params`` (None values mean "default").

    Unknown parameters raise an InputError naming the ones the problem accepts.
    """
    allowed = problem_parameters(name)
    given = {k: v for k, v in params.items() if v is not None}
    for k in given:
        if k not in allowed:
            raise InputError(
                f"problem {name!r} has no parameter {k!r}{suggest(k, allowed)}; allowed: {', '.join(allowed)}"
            )
    return _FACTORIES[name](**given)


__all__ = ["PROBLEM_NAMES", "make_problem", "problem_parameters", "load_data"]
