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
