"""What a trajectory check is: a lemma (or any claim) checked along real runs, as one component.

A :class:`Check` (kind ``check`` in :mod:`boundcheck.registry`) owns its whole story: its id
(a contract, e.g. ``lemmaE.2``), the lemma it checks and the theorems whose proofs use it, the
problems it runs on by default, how its cells are planned, computed and summarised into rows.
``boundcheck verify`` runs every registered check after the theorems and takes their ids like
theorem ids; nothing in :mod:`boundcheck.verify` knows a particular check.

Helpers every check may use: :func:`trajectory` (one engine run, the per-replica values of some
metrics at T) and :func:`samples_vs_bound` (the row of "the mean of per-replica samples is at most
a bound": interval, ratio, verdict).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


KIND = "check"


@dataclass(frozen=True)
class Check:
    """A registered trajectory check (see the module docstring).

    ``plan(problem, Ts, Ms, seeds, seed) -> [cell spec]`` (use :meth:`cell` for each);
    ``compute(spec) -> result`` (JSON-able raw values); ``summarise(spec, result, confidence)
    -> row``. ``problems``: default problem specs; ``data``: runs on ``--data`` problems.
    """

    id: str
    lemma: str
    title: str
    used_by: str
    problems: tuple[dict, ...]
    plan: Callable[..., list[dict]] = field(repr=False, compare=False)
    compute: Callable[[dict], dict] = field(repr=False, compare=False)
    summarise: Callable[[dict, dict, float], dict] = field(repr=False, compare=False)
    data: bool = False

    def cell(self, problem: dict, **params: Any) -> dict:
        """A cell spec of this check (``params``: T, M, seeds, seed, eps ...)."""
        return {"kind": KIND, "check": self.id, "problem": problem, **params}


def get(check_id: str) -> Check:
    from boundcheck import registry

    return registry.get("check", check_id)


def trajectory(problem, *, algorithm: str, option: str, T: int, M: int | None, eta: float, eps: float,
               seeds: int, seed: int, metrics: list[str], hyperparameters=None):
    """One engine run (constant step ``eta`` from ``w_0 = 0``): ``({metric: (R,) values at T},
    ok)`` with ``ok`` the replicas that did not diverge."""
    from boundcheck.engine import RunConfig, run

    cfg = RunConfig(algorithm=algorithm, option=option, T=T, batch_size=M, eta=eta, schedule="constant",
                    eps=eps, seeds=seeds, seed=seed, init="zeros", checkpoints=[T], metrics=metrics,
                    hyperparameters=hyperparameters)
    res = run(problem, cfg)
    ok = ~np.asarray(res.diverged, dtype=bool)
    return {m: np.asarray(res.metrics[m][-1], dtype=np.float64) for m in metrics}, ok


def base_row(check: Check, spec: dict, result: dict, confidence: float) -> dict[str, Any]:
    """The fields every check row carries (the REQUIRED fields of :mod:`boundcheck.report.rows`)."""
    return {
        "check": "lemma", "theorem": check.id, "algorithm": result.get("algorithm") or "-",
        "problem": result["problem"], "d": result["d"], "T": result["T"] or None, "M": result["M"],
        "seeds": None, "seed": spec.get("seed"), "quantity": result.get("quantity"), "confidence": confidence,
        "empirical": None, "ci_low": None, "ci_high": None, "bound": result.get("bound"), "ratio": None,
        "used_by": check.used_by, "context": result.get("context"),
    }


def samples_vs_bound(check: Check, spec: dict, result: dict, confidence: float,
                     notes: list[str] | None = None) -> dict:
    """The row of "E[sample] <= bound", decided like a theorem row
    (:func:`boundcheck.verify.decisions.decide`: upper limit, p-value, rounding tolerance,
    diverged replicas at the worst end); ``notes`` are appended (with the diverged count)."""
    from boundcheck.verify.decisions import Context, decide
    from boundcheck.verify.theorem_check import decision_fields
    from boundcheck.verify.tolerance import rounding_tolerance

    row = base_row(check, spec, result, confidence)
    notes = list(notes or [])
    x = np.asarray(result["samples"], dtype=np.float64)
    n_div, n_req = int(result.get("n_diverged", 0)), int(result["seeds_requested"])
    row["seeds"] = int(x.size)
    row["n_diverged"] = n_div
    if x.size == 0:
        row["verdict"] = "diverged" if n_div else "error"
        return row
    bound = result.get("bound")
    tol = rounding_tolerance(T=max(int(result.get("T") or 1), 1), d=int(result["d"]), M=int(result.get("M") or 1))
    dec = decide(x, math.inf if bound is None else float(bound),
                 Context(confidence=confidence, n_diverged=n_div, n_requested=n_req, tolerance=tol))
    row.update(empirical=dec.estimate, ci_low=dec.low, ci_high=dec.high)
    row.update(decision_fields(dec))
    if bound is None:
        row["verdict"] = "error"
    elif bound:
        row["ratio"] = dec.ratio if dec.ratio is not None else dec.estimate / bound
    if n_div:
        notes.append(f"{n_div} of {n_req} replicas diverged (each counted at the worst end)")
    if notes:
        row["note"] = "; ".join(notes)
    return row


__all__ = ["Check", "KIND", "get", "trajectory", "base_row", "samples_vs_bound"]
