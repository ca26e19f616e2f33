"""What a comparison is: two theorems' bounds put against two algorithms' observed errors.

A :class:`Comparison` (kind ``comparison`` in :mod:`boundcheck.registry`) declares a prediction
the theory makes about two methods, and where to test it:

- ``theorems = (a, b)``: the ratio of their explicit bounds predicts the ratio of the two
  algorithms' observed errors (``sweep dimension`` runs both theorem checks per instance and
  puts observed and predicted ratios side by side);
- ``family`` and ``instance(d, tau)``: the problem family swept across dimension and tail rate;
- ``constants``: further constants reported in each comparison row (e.g. Example B.1's ``R1``,
  ``R2`` and their closed forms);
- ``batch_problems``: the default problems of the fixed-budget batch-size sweep (Table 3),
  which runs the two theorems' algorithms on a step-size grid and the two theorem checks.

The paper's comparison (Remark 4.2, Example B.1, Table 3) is in
:mod:`boundcheck.theory.comparisons`; the sweeps read only this declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Comparison:
    id: str
    title: str
    reference: str
    theorems: tuple[str, str]
    instance: Callable[[int, float], dict] = field(repr=False, compare=False)
    constants: tuple[str, ...] = ()
    batch_problems: tuple[dict, ...] = ()
    note: str = ""

    @property
    def algorithms(self) -> tuple[str, str]:
        """The two theorems' algorithms (registered names)."""
        from boundcheck.theory.theorem import get

        return tuple(get(t).algorithm for t in self.theorems)


def default() -> Comparison:
    """The first registered comparison (the sweeps' default)."""
    from boundcheck import registry

    comps = registry.all("comparison")
    if not comps:
        from boundcheck.validation import InputError

        raise InputError("no comparison is registered")
    return comps[0]


__all__ = ["Comparison", "default"]
