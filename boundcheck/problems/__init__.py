"""Problem families that satisfy the paper's assumptions (see :mod:`boundcheck.problems.base`).

- :mod:`.registry`: ``make_problem(name, **params)``, ``PROBLEM_NAMES``, ``load_data``
- :mod:`.finite_sum`: logistic / least-squares finite sums with certified constants
- :mod:`.exptail`: ``exptail-linear``, ``exptail-logistic`` (Assumption B.2 features)
- :mod:`.quadratic`: ``quadratic-oracle`` (exact constants, scales to d = 1e5)
- :mod:`.nonconvex`: ``nonconvex-aniso`` (Assumptions 3.3 and 5.1, with proofs)
- :mod:`.data`: libsvm files and the scikit-learn data sets
- :mod:`.rowstable`, :mod:`.limits`: row-stable BLAS products; the "too large to form" error
"""
