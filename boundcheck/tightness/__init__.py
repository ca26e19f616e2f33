"""How tight is a bound? Worst cases over a theorem's whole assumption class.

- :mod:`boundcheck.tightness.pep`: PEPit's exact (semidefinite) worst case for the
  deterministic specialisations of the SGD theorems (sigma = 0, full batch: gradient
  descent), next to the theorem's explicit bound. Optional extra: ``pip install
  'boundcheck[pep]'``; importing it without PEPit raises a one-line InputError.
- :mod:`boundcheck.tightness.witness`: explicit one-dimensional instances that attain those
  worst cases (no PEPit needed): the targets a worst-case search must reach.

Nothing is imported here eagerly, so ``import boundcheck.tightness`` never needs PEPit.
"""
