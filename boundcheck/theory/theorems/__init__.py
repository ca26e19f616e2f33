"""Theorem modules, one per method family; importing this package registers them all.

- :mod:`.adagrad_convex`: ``thmE.1``, ``thm4.1``, ``thmE.interp`` (AdaGrad, Option I, convex)
- :mod:`.adagrad_nonconvex`: ``thm4.3``, ``thm5.3`` (AdaGrad, Option II, nonconvex)
- :mod:`.sgd`: ``thmD.1``, ``thmD.3`` (SGD baselines, Appendix D)
- :mod:`.adagrad_norm`: ``adagradnorm-convex``, ``adagradnorm-nonconvex`` (cited, O-forms only)
"""

from . import adagrad_convex, adagrad_nonconvex, adagrad_norm, sgd  # noqa: F401
