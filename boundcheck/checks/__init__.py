"""Lemma checks along real trajectories, one module per check, each a
:class:`~boundcheck.verify.check.Check` (``CHECK``) registered in :mod:`boundcheck.manifest`.

A loose theorem can be traced to the proof step that loses the most: each row reports the
step's own ``ratio = empirical / bound`` (its slack) and ``used_by`` (the theorems whose proofs
use it). Lemmas: Liu et al. 2025; numeric checkers in :mod:`boundcheck.theory.lemmas`.

=====================  ======================================================================
module                 check
=====================  ======================================================================
:mod:`.lemma_e2`       ``lemmaE.2``: ``E sum_j sqrt(sum_{t<T} n_{t,j}^2) <= ||sigma||_1 sqrt(T/M)``
                       along Theorem 4.1's run
:mod:`.identity17`     ``lemma(17)``: ``||g_t||^2_{Lambda_t^{-1}} <= 2 tr(Lambda_t - Lambda_{t-1})``,
                       every AdaGrad step, pathwise
:mod:`.lemma_f4`       ``lemmaF.4``: ``E tr(Lambda_{T-1}) <= F.4's bound`` along Theorem 5.3's run
                       (4.3's when the problem has no (L0, L1) of its own)
:mod:`.lemma_c2`       ``lemmaC.2``: ``E n_{t,j}^2 <= sigma_j^2 / M`` at ``w_0`` (exact on finite sums)
=====================  ======================================================================
"""
