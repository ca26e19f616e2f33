"""Decided runs (``boundcheck verify --until-decided``): replicas added in rounds per row.

Each theorem row starts with the run's ``--seeds`` replicas and, while its sequential decision
(:class:`boundcheck.verify.sequential.SequentialDecider`: doubling looks, the error spent across
them) is open, gets the next block of replicas as a new cell (replicas ``n .. 2n - 1``: the
same streams as in one long run, so the blocks concatenate to exactly that run, and every block
is cached like any cell). It stops at ``holds``/``violated``/``diverged`` or when the replica
budget is spent (``inconclusive``, budget spent). The row reports the replicas it needed
(``replicas_used``) and the looks it took. Rows without an explicit bound (O-form only) and
the trajectory checks are run once, as in a fixed-size run.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from boundcheck.verify import theorem_check


def merge(results: list[dict]) -> dict:
    """One theorem cell's result from its blocks' results (in replica order)."""
    out = dict(results[0])
    for key in ("samples", "bound_samples"):
        if results[0].get(key) is not None:
            out[key] = [x for r in results for x in r[key]]
    out["n_diverged"] = sum(int(r["n_diverged"]) for r in results)
    out["seeds_requested"] = sum(int(r["seeds_requested"]) for r in results)
    if out.get("bound_samples") is not None:
        out["bound"] = float(np.mean(out["bound_samples"])) if out["bound_samples"] else None
    return out


def _decider(result: dict, confidence: float, first: int, max_replicas: int):
    from boundcheck.theory.quantity import get as get_quantity
    from boundcheck.verify.sequential import SequentialDecider

    if result.get("o_form_only") or result.get("bound") is None or "error" in result:
        return None
    ctx = theorem_check._context(result, confidence)
    paired = result.get("bound_samples") is not None
    return SequentialDecider(0.0 if paired else float(result["bound"]), alpha=(1 - confidence) / 2,
                             first=first, max_replicas=max_replicas,
                             squared_mean=get_quantity(result["quantity"]).squared_mean,
                             support=(-math.inf, math.inf) if paired else (0.0, math.inf),
                             deterministic=ctx.deterministic, tolerance=ctx.tolerance)


def _samples(result: dict):
    x = np.asarray(result["samples"], dtype=np.float64)
    if result.get("bound_samples") is not None:
        x = x - np.asarray(result["bound_samples"], dtype=np.float64)
    return x


def decided_rows(specs: list[dict], execute: Callable[[list[dict]], list], *, confidence: float,
                 first: int, max_replicas: int) -> tuple[list[dict], list]:
    """``(rows, outcomes)`` of a decided run over ``specs`` (the plan of ``verify``).

    ``execute(specs) -> outcomes`` runs cells (cached, with workers, as the CLI does)."""
    from boundcheck.verify import cells

    outcomes = execute(specs)
    blocks: dict[int, list[dict]] = {}
    deciders = {}
    for i, o in enumerate(outcomes):
        if o.spec.get("kind") != theorem_check.KIND or o.result is None or "error" in o.result:
            continue
        dec = _decider(o.result, confidence, first, max_replicas)
        if dec is None:
            continue
        blocks[i] = [o.result]
        deciders[i] = dec
        dec.update(_samples(o.result), int(o.result["n_diverged"]))
    all_outcomes = list(outcomes)
    while True:
        todo = {i: d.next_round() for i, d in deciders.items() if not d.done}
        if not todo:
            break
        more = []
        for i, n in todo.items():
            base = outcomes[i].spec
            done_so_far = sum(int(r["seeds_requested"]) for r in blocks[i])
            more.append((i, {**base, "seeds": int(n), "replicas_from": int(base.get("replicas_from", 0)) + done_so_far}))
        new = execute([s for _, s in more])
        all_outcomes += new
        for (i, _), o in zip(more, new):
            if o.result is None or "error" in o.result:  # a failed block: stop this row where it is
                deciders[i].decision = deciders[i].decision or None
                del deciders[i]
                continue
            blocks[i].append(o.result)
            deciders[i].update(_samples(o.result), int(o.result["n_diverged"]))
    rows = []
    for i, o in enumerate(outcomes):
        if i in blocks:
            merged = merge(blocks[i])
            row = theorem_check.summarise(o.spec, merged, confidence)
            dec = deciders.get(i)
            if dec is not None and dec.decision is not None:
                d = dec.decision
                row.update(theorem_check.decision_fields(d))
                if merged.get("bound_samples") is None:
                    row.update(ci_low=d.low, ci_high=d.high)
                else:
                    row.update(diff_ci_low=d.low, diff_ci_high=d.high)
                row["looks"] = dec.looks
            row["replicas_used"] = int(merged["seeds_requested"])
            rows.append(row)
        else:
            row = cells.summarise(o, confidence)
            if row is not None:
                rows.append(row)
    return rows, all_outcomes


__all__ = ["decided_rows", "merge"]
