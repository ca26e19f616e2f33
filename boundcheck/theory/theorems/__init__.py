"""The theorems, one module per theorem: each declares its whole story in one
:class:`~boundcheck.theory.theorem.Theorem` (``THEOREM``), registered in :mod:`boundcheck.manifest`.

==========================  ==============================  =========================================
module                      theorem id                      statement
==========================  ==============================  =========================================
:mod:`.thm4_1`              ``thm4.1``                      AdaGrad I, convex (Liu et al. 2025, Thm 4.1)
:mod:`.thmD_1`              ``thmD.1``                      SGD I, convex (Thm D.1)
:mod:`.adagradnorm_convex`  ``adagradnorm-convex``          AdaGrad-Norm I, convex (cited, O-form)
:mod:`.thmE_1`              ``thmE.1``                      AdaGrad I, convex nonsmooth (Thm E.1)
:mod:`.thmE_interp`         ``thmE.interp``                 AdaGrad I, interpolation (App. E.1)
:mod:`.thm4_3`              ``thm4.3``                      AdaGrad II, nonconvex (Thm 4.3)
:mod:`.thm5_3`              ``thm5.3``                      AdaGrad II, (L0, L1)-smooth (Thm 5.3)
:mod:`.thmD_3`              ``thmD.3``                      SGD II, nonconvex (Thm D.3)
:mod:`.adagradnorm_nonconvex` ``adagradnorm-nonconvex``     AdaGrad-Norm II, (L0, L1) (cited, O-form)
:mod:`.thmSN_convex`        ``thmSN.convex``                Subset-Norm I, convex, blocks (derived, issue 11)
:mod:`.thmSN_nonconvex`     ``thmSN.nonconvex``             Subset-Norm II, nonconvex, blocks (derived)
==========================  ==============================  =========================================

The SymPy proof chains live in :mod:`boundcheck.theory.proofs` and are built on first use.
"""
