"""Proof chains of the paper's theorems (SymPy), one module per method family.

Each module derives explicit-constant bounds from the proof's steps (every step a
:class:`~boundcheck.theory.derivation.Step` proven by SymPy or named with the property test that
covers it) and exposes builder functions returning a theorem's
:class:`~boundcheck.theory.theorem.Symbolic` parts. The statements themselves are declared in
:mod:`boundcheck.theory.theorems` (one module per theorem), which call these builders lazily.

- :mod:`.adagrad_convex`: Theorems E.1, 4.1 and the interpolation result (App. E)
- :mod:`.adagrad_nonconvex`: Theorems 4.3 and 5.3 (App. F, G)
- :mod:`.sgd`: Theorems D.1 and D.3 (App. D)
"""
