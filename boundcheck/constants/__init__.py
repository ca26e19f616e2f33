"""Problem constants with certificates (Liu, Pan, Zhang 2025, Appendix B and Section 3).

- :mod:`.diagonal`: the optimal diagonal smoothness vector L (CVXPY reference and a fast
  certified Burer-Monteiro solver);
- :mod:`.comparators`: the simple feasible (or lower-bound) alternatives reported beside it;
- :mod:`.glm`: the finite sums of Example B.1 (losses, smoothness matrix, derivative bounds);
- :mod:`.noise`: the anisotropic noise vector sigma;
- :mod:`.geometry`: the diameters D_inf and D_2 of W;
- :mod:`.optimum`: f* and Delta = f(w_0) - f*;
- :mod:`.generalized`: per-coordinate (L0, L1) estimates for nonconvex problems;
- :mod:`.assemble`: everything for one problem (``problem_constants``).
"""
