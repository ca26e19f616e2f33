"""boundcheck: check optimization theorems against computation.

First subject: Liu, Pan, Zhang, *AdaGrad under Anisotropic Smoothness* (ICLR 2025),
and the SGD / AdaGrad-Norm baselines it compares against.

Layers (data flows one way):
    theory     -> symbolic assumptions, lemmas, theorems with explicit-constant bounds
    problems   -> problem families that satisfy the assumptions
    constants  -> a problem's L, sigma, D_inf, D_2, Delta (with certificates)
    algorithms -> AdaGrad / SGD / AdaGrad-Norm as pure batched steps
    engine     -> seeded replicas, checkpoints, metrics
    verify     -> bound vs empirical, confidence intervals, verdicts
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("boundcheck")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+local"

__all__ = ["__version__"]
