"""The simulation engine: the paper's algorithms on R seeded replicas at once.

Public API (a contract with the verification layer)::

    from boundcheck.engine import RunConfig, run, RunResult
    cfg = RunConfig(algorithm="adagrad", option="I", T=1000, batch_size=8, eta=1.0,
                    schedule="constant", eps=1e-8, seeds=64, seed=0, init="zeros")
    res = run(problem, cfg)            # or run(problem, cfg, replicas=[3, 5])
    res.checkpoints                    # (K,) ints, last = T
    res.metrics["avg_iterate_gap"]     # (K, R) float64
    res.final_iterate, res.average_iterate, res.diverged, res.diverged_at

Modules: :mod:`.config` (RunConfig, validation, checkpoints), :mod:`.backend` (array
namespaces), :mod:`.metrics` (declared metrics), :mod:`.runner` (the loop, padding for
bit-identity), :mod:`.result` (RunResult, summaries); randomness: :mod:`boundcheck.sampling`.
"""

from .config import RunConfig, log_checkpoints
from .metrics import METRIC_NAMES, default_metrics
from .result import RunResult
from .runner import run

__all__ = ["RunConfig", "RunResult", "run", "METRIC_NAMES", "default_metrics", "log_checkpoints"]
