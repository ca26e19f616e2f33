"""Studies: claims of the neighbouring work checked as rows, declared as sweeps.

Each module declares one :class:`~boundcheck.verify.sweep.Sweep` (registered in
:mod:`boundcheck.manifest`) and the cell kinds it computes (``"module:attribute"``
:class:`~boundcheck.verify.cells.CellKind` objects, found by :mod:`boundcheck.verify.cells`
without registration). The paper-specific choices (which algorithms, step sizes, problems)
live here, never in :mod:`boundcheck.verify`.

- :mod:`.rotation`: ``boundcheck sweep rotation``: SGD is rotation-equivariant, AdaGrad and Adam
  are permutation-equivariant only; does the change of ||L_opt||_1 or ||H||_{1,1} under rotation
  predict the change of their error? (Xie, Mohamadi, Li, ICLR 2025; seed 003)
- :mod:`.blocks`: ``boundcheck sweep blocks``: Subset-Norm across the number of blocks k at equal
  budget: where between AdaGrad-Norm (k = 1) and AdaGrad (k = d) does the bound put the best k,
  and where is the observed best? (Nguyen & Nguyen, ICML 2025; seed 002)
- :mod:`.tutorial`: ``boundcheck sweep tutorial``: the AdaGrad tutorial's claims (seed 004):
  rare coordinates keep large steps; the effective step freezes like 1/sqrt(t).
"""
