"""The tidy row schema of verification output (one row per cell), and its sanitation.

Every row carries at least :data:`REQUIRED` (a contract relied on by users' scripts):

============ ===============================================================
field        meaning
============ ===============================================================
theorem      theorem (or lemma / sweep) id, e.g. ``thm4.1``, ``lemmaE.2``
algorithm    ``adagrad`` | ``sgd`` | ``adagrad-norm``
problem      problem name (``exptail-logistic``, ``sklearn:wine``, a file name ...)
d            dimension
T            iterations
M            batch size
seeds        replicas used in the statistic (diverged replicas excluded)
empirical    estimate of the bounded quantity
ci_low       lower end of its confidence interval
ci_high      upper end
bound        the explicit bound (null when only an O-form exists)
ratio        empirical / bound (null without a bound)
verdict      holds | violated | inconclusive | diverged | error | n/a (no bound by design)
============ ===============================================================

Rows may add fields (``check``, ``quantity``, ``confidence``, ``n_diverged``, ``note``, ...).
Non-finite floats never reach output: :func:`clean` turns them into ``None`` (JSON null, empty
CSV cell) so no NaN or inf is ever printed as a result.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

REQUIRED: tuple[str, ...] = (
    "theorem", "algorithm", "problem", "d", "T", "M", "seeds",
    "empirical", "ci_low", "ci_high", "bound", "ratio", "verdict",
)


def clean_value(v: Any) -> Any:
    """Plain-Python value with non-finite floats as None (numpy scalars unwrapped)."""
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: clean_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean_value(x) for x in v]
    return v


def clean(row: dict) -> dict:
    """A row with every required field present (None if missing) and no non-finite floats."""
    out = {k: clean_value(row.get(k)) for k in REQUIRED}
    for k, v in row.items():
        if k not in out:
            out[k] = clean_value(v)
    return out


#: Every declared row field, in the order of the README's output schema: the CSV header of
#: every command (``verify``, each sweep) is this list, so their files line up column for column
#: (a field a row does not carry is an empty cell).
FIELDS: tuple[str, ...] = REQUIRED + (
    "verdict_detail", "p_value", "interval_method", "rtol",
    "kind", "delta", "exceedances", "exceedance_rate", "exceedance_ci_low", "exceedance_ci_high", "quantile",
    "replicas", "assumption_violation", "replicas_used", "looks", "prediction",
    "check", "quantity", "confidence", "seed", "n_diverged", "option", "terms", "step_size",
    "diff_ci_low", "diff_ci_high",
    "used_by", "context", "max_step_ratio", "worst_step", "violations", "exact", "max_coord_ratio",
    "T_range", "crossover_T", "bias_terms", "variance_terms",
    "budget", "samples", "eta", "schedule", "init", "avg_iterate_gap",
    "tau", "R1", "R2", "R1_closed", "R2_closed",
    "note",
)


def columns(rows: Iterable[dict]) -> list[str]:
    """The CSV header: every declared field (:data:`FIELDS`, the same for every command), then
    any undeclared field the rows carry (a plugin's), sorted."""
    extra = sorted({k for r in rows for k in r} - set(FIELDS))
    return list(FIELDS) + extra
