"""Default sizes of ``boundcheck verify``, and the user's problem choice.

Which problems a theorem (or a trajectory check) is checked on by default is part of its own
declaration (``Theorem.problems``, ``Check.problems``; the shared instances are in
:mod:`boundcheck.problems.standard`). Sizes are modest so that ``boundcheck verify`` with no
arguments finishes within two minutes on two cores; every size is an option
(``--d --T --M --seeds``).
"""

from __future__ import annotations

#: Default sizes of a theorem check.
T_DEFAULT = (100, 1000)
M_DEFAULT = 8
SEEDS_DEFAULT = 32


def problem_names() -> tuple[str, ...]:
    from boundcheck.problems import problem_names as names

    return tuple(names())


def problem_spec_for_user(name: str, params: dict) -> dict:
    """Spec of a user-chosen registered problem; its declared parameters are validated at the
    door (exit 2 on a bad one, not inside a cell). The shared parser:
    :func:`boundcheck.problems.choice.choose`."""
    from boundcheck.problems.choice import choose
    from boundcheck.verify import instances

    return instances.spec_of(choose(name, params))


__all__ = ["T_DEFAULT", "M_DEFAULT", "SEEDS_DEFAULT", "problem_spec_for_user", "problem_names"]
