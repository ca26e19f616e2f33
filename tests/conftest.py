"""Test configuration: Hypothesis profiles.

- ``ci``: derandomized, no example database, 200 examples (lemma properties need at
  least 200 in CI). Chosen automatically when the ``CI`` environment variable is set.
- ``dev``: quick, 30 examples.

Override with ``BOUNDCHECK_HYPOTHESIS_PROFILE=ci|dev``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)

_default = "ci" if os.environ.get("CI") else "dev"
settings.load_profile(os.environ.get("BOUNDCHECK_HYPOTHESIS_PROFILE", _default))


def registered(kind: str) -> list:
    """Every registered component of ``kind`` (boundcheck's and installed plugins'): the
    contract tests are parametrised over these, so a new component is tested without edits."""
    from boundcheck import registry

    return registry.all(kind)


def problem_cases() -> list[tuple[str, dict]]:
    """(name, params) of every registered problem's declared ``test_params``."""
    return [(p.name, dict(tp)) for p in registered("problem") for tp in p.test_params]


def algorithm_cases() -> list[tuple[str, dict]]:
    """(name, hyperparameters) of every registered algorithm's declared ``test_params``."""
    return [(a.name, dict(tp)) for a in registered("algorithm") for tp in a.test_params]


def case_id(case) -> str:
    name, params = case
    return name + ("" if not params else "[" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + "]")
