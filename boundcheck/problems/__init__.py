"""Problem families that satisfy the paper's assumptions (see :mod:`boundcheck.problems.base`).

Each family is a declared component (:class:`~boundcheck.problems.spec.ProblemSpec`, registered
in :mod:`boundcheck.manifest`); plugins add theirs the same way.

- :mod:`.base`: the contract every problem implements (``loss``, ``grad``, ``stochastic_grad``
  through :mod:`boundcheck.sampling`, ``smoothness_matrix``, ``exact_constants`` ...)
- :mod:`.spec`: :class:`~.spec.ProblemSpec`, a family's declaration (name, parameters, factory)
- :mod:`.finite_sum`: logistic / least-squares finite sums with certified constants
- :mod:`.exptail`: ``exptail-linear``, ``exptail-logistic`` (Assumption B.2 features)
- :mod:`.oracle`: exact gradient + Gaussian oracle noise (shared by the oracle families)
- :mod:`.quadratic`: ``quadratic-oracle`` (exact constants, scales to d = 1e5)
- :mod:`.rotation`: the ``rotate`` transform ``f_Q(w) = f(Q^T w)`` (Haar, block-diagonal, permutation)
- :mod:`.nonconvex`: ``nonconvex-aniso`` (Assumptions 3.3 and 5.1, with proofs)
- :mod:`.data`: libsvm files and the scikit-learn data sets (``load_data``)
- :mod:`.rowstable`, :mod:`.limits`: row-stable BLAS products (f at one point = f in a batch); the "too large to form" error

``make_problem(name, **params)`` builds a registered family; ``problem_names()`` lists them.
"""

from __future__ import annotations

from .data import load_data


def problem_names() -> list[str]:
    """Names of every registered problem family (boundcheck's and plugins')."""
    from boundcheck import registry

    return registry.names("problem")


def problem_spec(name: str):
    """The :class:`~boundcheck.problems.spec.ProblemSpec` called ``name`` (InputError otherwise)."""
    from boundcheck import registry

    return registry.get("problem", name)


def problem_parameters(name: str) -> tuple[str, ...]:
    """The parameter names ``make_problem(name, ...)`` accepts."""
    return tuple(p.name for p in problem_spec(name).declared)


def make_problem(name: str, **params):
    """Build problem ``name`` with ``params`` (None values mean "default"). Unknown parameters
    raise an InputError naming the ones the problem accepts."""
    return problem_spec(name).build(**params)


__all__ = ["problem_names", "problem_spec", "problem_parameters", "make_problem", "load_data"]
