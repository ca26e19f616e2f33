"""The theory layer: the paper's assumptions, lemmas and theorems as SymPy objects.

- :mod:`~boundcheck.theory.symbols`: the public symbol names used everywhere.
- :mod:`~boundcheck.theory.derivation`: proof steps encoded as SymPy relations, and how each
  step is checked (symbolically, or by a named property test).
- :mod:`~boundcheck.theory.theorem`: the :class:`Theorem` object and the registry.
"""
