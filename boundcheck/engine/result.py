"""What a run returns: :class:`RunResult` (NumPy arrays, backend-independent)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class RunResult:
    """Checkpointed per-replica metrics and the final iterates of one run.

    Attributes
    ----------
    checkpoints : (K,) int64, increasing, the last one is T
    metrics : name -> (K, R) float64, or (K, R, d) for a per-coordinate metric
        (``Metric.coordinates``); NaN only for a replica at checkpoints after it was
        stopped for divergence (``diverged`` itself is never NaN)
    final_iterate : (R, d) float64, w_T (a diverged replica: its last finite iterate)
    average_iterate : (R, d) float64, w_bar_T = (1/T) sum_{t<T} w_t (a diverged replica: the
        average of the iterates it produced)
    diverged : (R,) bool
    diverged_at : (R,) int64, the iteration whose update failed (or the checkpoint at which
        the loss exploded); -1 if the replica never diverged
    replicas : the replica ids (seed streams) of the R columns
    """

    checkpoints: np.ndarray
    metrics: dict[str, np.ndarray]
    final_iterate: np.ndarray
    average_iterate: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    replicas: tuple[int, ...]
    config: Any = None
    problem: dict[str, Any] = field(default_factory=dict)
    f_star: float = math.nan
    wall_time: float = 0.0

    @property
    def R(self) -> int:
        return len(self.replicas)

    def summary(self, checkpoint: int = -1) -> dict[str, dict[str, float]]:
        """Mean, standard deviation, standard error, min, max over replicas that did not
        diverge, per metric, at checkpoint index ``checkpoint`` (default: the last, T).

        Diverged replicas are excluded (and counted in ``n_diverged``), so no NaN leaks in;
        a metric with no finite value reports None. A per-coordinate metric (K, R, d) is
        summarised by each replica's mean over the coordinates.

        A float32 run adds ``float32_warning`` per metric: True when the rounding budget
        ``eps_32 * t * magnitude`` exceeds the 99% interval's half-width
        (:mod:`boundcheck.engine.precision` states the rule).
        """
        out: dict[str, dict[str, float]] = {}
        n_div = int(np.sum(self.diverged))
        f32 = getattr(self.config, "dtype", None) == "float32"
        for name, arr in self.metrics.items():
            col = np.asarray(arr[checkpoint], dtype=np.float64)
            if col.ndim == 2:  # a per-coordinate metric: each replica's mean over coordinates
                col = col.mean(axis=1)
            if name == "diverged":
                vals = col
            else:
                vals = col[np.isfinite(col)]
            n = int(vals.size)
            if n == 0:
                out[name] = {"mean": None, "std": None, "sem": None, "min": None, "max": None,
                             "n": 0, "n_diverged": n_div}
                continue
            std = float(np.std(vals, ddof=1)) if n > 1 else 0.0
            out[name] = {
                "mean": float(np.mean(vals)),
                "std": std,
                "sem": std / math.sqrt(n),
                "min": float(np.min(vals)),
                "max": float(np.max(vals)),
                "n": n,
                "n_diverged": n_div,
            }
            if f32 and name != "diverged":
                from .precision import float32_warning

                out[name]["float32_warning"] = bool(float32_warning(
                    vals, int(self.checkpoints[checkpoint]), self.f_star, gap=name.endswith("gap")))
        return out

    def select(self, positions) -> "RunResult":
        """The sub-result for replica positions ``positions`` (columns)."""
        pos = np.asarray(positions, dtype=np.int64)
        return RunResult(
            checkpoints=self.checkpoints,
            metrics={k: v[:, pos] for k, v in self.metrics.items()},
            final_iterate=self.final_iterate[pos],
            average_iterate=self.average_iterate[pos],
            diverged=self.diverged[pos],
            diverged_at=self.diverged_at[pos],
            replicas=tuple(self.replicas[i] for i in pos),
            config=self.config,
            problem=self.problem,
            f_star=self.f_star,
            wall_time=self.wall_time,
        )
