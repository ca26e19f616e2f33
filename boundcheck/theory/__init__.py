"""The theory layer: the paper's assumptions, lemmas and theorems as SymPy objects.

- :mod:`~boundcheck.theory.symbols`: the public symbol names used everywhere.
- :mod:`~boundcheck.theory.derivation`: proof steps encoded as SymPy relations, and how each
  step is checked (symbolically, or by a named property test).
- :mod:`~boundcheck.theory.assumptions`: Assumptions 3.1-3.5, 5.1, B.2, E.3, E.4 with numeric
  check hooks.
- :mod:`~boundcheck.theory.lemmas`: Lemmas C.2, C.3, E.2, F.1-F.4, G.1, G.3-G.5 and identity (17),
  with SymPy proof steps and NumPy checkers for use along trajectories.
- :mod:`~boundcheck.theory.theorem`: the :class:`Theorem` object and the registry; the theorems
  themselves live in :mod:`~boundcheck.theory.theorems` (one module per method family).
- :mod:`~boundcheck.theory.examples`: Example B.1 (R1 = C_var, R2 = C_bias in closed form),
  Remark 4.2 and Table 1's batch threshold.
- :mod:`~boundcheck.theory.docs`: renders docs/theorems.md.
"""
