r"""Step-size schedules :math:`\eta_t`, t = 0, 1, ..., T-1.

- ``"constant"``: :math:`\eta_t = \eta`;
- ``"sqrt-decay"``: :math:`\eta_t = \eta / \sqrt{t + 1}` (the paper's Section 6 grid);
- a callable ``t -> eta_t`` (e.g. a theorem's rule from :mod:`boundcheck.theory`);
- an array of T values.

:func:`step_sizes` materializes the T values once (float64), validated finite and > 0.
"""

from __future__ import annotations

from typing import Callable, Sequence, Union

import numpy as np

from boundcheck.validation import InputError, suggest

SCHEDULE_NAMES = ("constant", "sqrt-decay")

Schedule = Union[str, Callable[[int], float], Sequence[float], np.ndarray]


def step_sizes(schedule: Schedule, eta: float, T: int) -> np.ndarray:
    """The (T,) float64 array of :math:`\\eta_0, ..., \\eta_{T-1}`."""
    t = np.arange(T, dtype=np.float64)
    if isinstance(schedule, str):
        if schedule == "constant":
            out = np.full(T, float(eta))
        elif schedule == "sqrt-decay":
            out = float(eta) / np.sqrt(t + 1.0)
        else:
            raise InputError(
                f"unknown schedule {schedule!r}{suggest(schedule, SCHEDULE_NAMES)}; allowed: "
                "constant, sqrt-decay, a callable t -> eta_t, or an array of T step sizes"
            )
    elif callable(schedule):
        out = np.array([float(schedule(int(k))) for k in range(T)], dtype=np.float64)
    else:
        out = np.asarray(schedule, dtype=np.float64).reshape(-1)
        if out.shape[0] < T:
            raise InputError(
                f"schedule has {out.shape[0]} step sizes; need at least T={T}"
            )
        out = out[:T].copy()
    bad = ~(np.isfinite(out) & (out > 0))
    if np.any(bad):
        k = int(np.argmax(bad))
        raise InputError(f"step size eta_{k}={out[k]!r} must be finite and > 0")
    return out


__all__ = ["SCHEDULE_NAMES", "step_sizes", "Schedule"]
