"""Theorem modules, one per method family; importing this package registers them all.

- :mod:`.adagrad_convex`: ``thmE.1``, ``thm4.1``, ``thmE.interp`` (AdaGrad, Option I, convex)
- :mod:`.adagrad_nonconvex`: ``thm4.3``, ``thm5.3`` (AdaGrad, Option II, nonconvex)
- :mod:`.sgd`: ``thmD.1``, ``thmD.3`` (SGD baselines, Appendix D)
- :mod:`.adagrad_norm`: ``adagradnorm-convex``, ``adagradnorm-nonconvex`` (cited, O-forms only)
"""

from . import adagrad_convex, sgd  # noqa: F401

try:  # written in parallel (Theorems 4.3 / 5.3); import plainly once it exists
    from . import adagrad_nonconvex  # noqa: F401
except ModuleNotFoundError as _err:  # pragma: no cover - only while the module is missing
    if _err.name != f"{__name__}.adagrad_nonconvex":
        raise
