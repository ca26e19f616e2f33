"""Cells: the independent units of work of ``verify`` and ``sweep``, cached one by one.

A *cell* is a plain JSON-able specification (a dict with a ``"kind"``) that determines its
result completely: theorem x problem x T x M x replicas x seed, or a lemma check, or one
point of a sweep. Its *result* is a JSON-able dict of raw per-replica measurements (never a
verdict: intervals and verdicts are computed from the raw values at report time, so a
different ``--confidence`` reuses the stored cells).

:func:`execute` runs a list of cells:

- a cell already in the results store (same spec, same seed, same code version) is read,
  not recomputed;
- every finished cell is written to the store at once (``ResultStore.put`` commits), so an
  interrupted run loses nothing and a re-run computes only the missing cells;
- with ``workers > 1`` cells run in worker processes, or on a Dask cluster
  (:mod:`.schedulers`); each cell is a pure function of its
  spec (seeded per replica by the engine), so results do not depend on the number of
  workers or on the order cells finish in;
- fresh results are normalised through the same canonical JSON round trip the store uses,
  so a fresh run, a resumed run and a cached run return identical values.

A cell's ``"kind"`` names how it is computed: :data:`KINDS` maps the verification layer's own
kinds to their modules (``theorem``: :mod:`.theorem_check`; ``batch``: :mod:`.sweeps`), a
``check`` cell is computed by the registered :class:`~boundcheck.verify.check.Check` its spec
names, and a kind written ``"module:attribute"`` names a :class:`CellKind` object directly (a
plugin's own sweep, a test's fake kind); worker processes resolve it the same way. Nothing
registers by import.
"""

from __future__ import annotations

import json
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Callable, Sequence

from boundcheck.store import ResultStore, canonical
from boundcheck.validation import InputError

@dataclass(frozen=True)
class CellKind:
    """How to compute a cell of one kind, and how to turn its raw result into an output row.

    ``compute(spec) -> result`` (JSON-able, raw per-replica values);
    ``summarise(spec, result, confidence) -> row`` (a dict with the REQUIRED fields of
    :mod:`boundcheck.report.rows`; intervals and verdicts live here).
    """

    compute: Callable[[dict], dict]
    summarise: Callable[[dict, dict, float], dict]


#: The verification layer's own cell kinds -> the module with ``compute`` / ``summarise``
#: (``batch``: ``batch_compute`` / ``batch_summarise``).
KINDS: dict[str, tuple[str, str, str]] = {
    "theorem": ("boundcheck.verify.theorem_check", "compute", "summarise"),
    "batch": ("boundcheck.verify.sweeps", "batch_compute", "batch_summarise"),
    "constants": ("boundcheck.verify.instances", "constants_compute", "constants_summarise"),
}


def kind_of(spec: dict) -> CellKind:
    """How to compute and summarise the cell ``spec``."""
    import importlib

    kind = spec.get("kind")
    if isinstance(kind, str) and ":" in kind:
        module, _, attr = kind.partition(":")
        obj = getattr(importlib.import_module(module), attr)
        if not isinstance(obj, CellKind):
            raise ValueError(f"cell kind {kind!r} is not a CellKind")
        return obj
    if kind == "check":
        from boundcheck import registry

        check = registry.get("check", spec.get("check"))
        return CellKind(check.compute, check.summarise)
    try:
        module, compute, summarise = KINDS[kind]
    except KeyError:
        raise ValueError(f"no cell kind {kind!r}; known: {', '.join(KINDS)}, check") from None
    mod = importlib.import_module(module)
    return CellKind(getattr(mod, compute), getattr(mod, summarise))


def normalise(obj):
    """``obj`` after the canonical JSON round trip the store applies (tuples -> lists, numpy
    scalars -> Python numbers, sorted keys). Floats round-trip exactly."""
    return json.loads(canonical(obj))


def compute_cell(spec: dict) -> dict:
    """Compute one cell. A user-level refusal (``InputError``: e.g. the problem fails an
    assumption of the theorem) becomes a result ``{"error": reason}``, which is deterministic
    and therefore cacheable; any other exception propagates (a bug, never cached)."""
    compute = kind_of(spec).compute
    try:
        result = compute(spec)
    except InputError as err:
        result = {"error": str(err)}
    return normalise(result)


def _compute_in_worker(spec: dict) -> tuple[dict | None, str | None]:
    """Worker-process wrapper: never raises across the process boundary (pickling of
    arbitrary exceptions is fragile); returns (result, None) or (None, error text).

    Workers are *spawned* (not forked: a fork taken while BLAS or solver threads hold locks
    can deadlock); a fresh worker finds the cell's kind and components from the manifests."""
    try:
        return compute_cell(spec), None
    except Exception as err:  # noqa: BLE001 - reported to the parent as a failed cell
        return None, f"{type(err).__name__}: {err}\n{traceback.format_exc()}"


def _worker_init() -> None:
    """Worker processes ignore SIGINT: Ctrl-C in a terminal reaches the whole process group,
    and only the parent handles it (it stops the workers; finished cells are stored)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel queued cells and terminate running ones (their results are not wanted: an
    interrupted run keeps only finished cells), so Ctrl-C exits at once."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(timeout=5)


@dataclass
class Outcome:
    """What happened to one cell in :func:`execute`."""

    spec: dict
    result: dict | None  # None: missing (collect-only) or failed
    cached: bool = False
    failure: str | None = None  # traceback text of an unexpected exception (never cached)


def execute(
    specs: Sequence[dict],
    *,
    store: ResultStore | None = None,
    workers: int = 1,
    collect_only: bool = False,
    progress: Callable[[int, int, dict], None] | None = None,
    debug: bool = False,
    scheduler: str | None = None,
) -> list[Outcome]:
    """Results for ``specs``, in the order given (see module docstring).

    ``progress(done, total, spec)`` is called after each cell (cached ones included).
    With ``debug`` an unexpected exception inside a cell propagates (for a traceback);
    otherwise it is reported on the cell's :class:`Outcome` and the run continues.
    ``scheduler``: ``None``/``"local"`` (this process or ``workers`` processes), ``"local-dask"``
    or a Dask scheduler address (:mod:`.schedulers`; only this process writes the store).
    """
    specs = [normalise(s) for s in specs]
    outcomes: list[Outcome | None] = [None] * len(specs)
    todo: list[int] = []
    done = 0
    total = len(specs)
    for i, spec in enumerate(specs):
        cached = store.get(spec) if store is not None else None
        if cached is not None:
            outcomes[i] = Outcome(spec, cached, cached=True)
            done += 1
            if progress:
                progress(done, total, spec)
        elif collect_only:
            outcomes[i] = Outcome(spec, None)
            done += 1
        else:
            todo.append(i)

    def finish(i: int, result: dict | None, failure: str | None) -> None:
        nonlocal done
        if result is not None and store is not None:
            store.put(specs[i], result)
        outcomes[i] = Outcome(specs[i], result, failure=failure)
        done += 1
        if progress:
            progress(done, total, specs[i])

    # Identical specs are computed once.
    first: dict[str, int] = {}
    dupes: dict[int, int] = {}
    unique: list[int] = []
    for i in todo:
        key = canonical(specs[i])
        if key in first:
            dupes[i] = first[key]
        else:
            first[key] = i
            unique.append(i)

    from . import schedulers

    if schedulers.is_dask(scheduler) and unique:
        schedulers.run_dask(specs, unique, finish, scheduler=scheduler, workers=workers)
    elif workers <= 1 or len(unique) <= 1:
        for i in unique:
            if debug:
                finish(i, compute_cell(specs[i]), None)
            else:
                result, failure = _compute_in_worker(specs[i])
                finish(i, result, failure)
    else:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=min(workers, len(unique)), mp_context=ctx,
                                   initializer=_worker_init)
        try:
            futures = {pool.submit(_compute_in_worker, specs[i]): i for i in unique}
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in sorted(finished, key=lambda f: futures[f]):
                    result, failure = fut.result()
                    finish(futures[fut], result, failure)
        except BaseException:
            # Ctrl-C or an error: finished cells are already stored; do not wait for the rest.
            _stop_workers(pool)
            raise
        pool.shutdown(wait=True)
    for i, j in dupes.items():
        o = outcomes[j]
        outcomes[i] = Outcome(specs[i], o.result, cached=o.cached, failure=o.failure)
        done += 1
        if progress:
            progress(done, total, specs[i])
    if debug:
        for o in outcomes:
            if o is not None and o.failure:
                raise RuntimeError(o.failure)
    return [o for o in outcomes if o is not None]


def error_row(spec: dict, reason: str) -> dict:
    """The row of a cell that could not be computed: verdict ``error`` with the reason."""
    row = {k: spec.get(k) for k in ("theorem", "algorithm", "d", "T", "M")}
    if row["theorem"] is None and spec.get("check") is not None:
        row["theorem"] = spec["check"]
    problem = spec.get("problem")
    row["problem"] = problem.get("label") if isinstance(problem, dict) else problem
    row.update(seeds=0, empirical=None, ci_low=None, ci_high=None, bound=None, ratio=None,
               verdict="error", note=" ".join(str(reason).split())[:500])
    return row


def summarise(outcome: Outcome, confidence: float) -> dict | None:
    """The output row of one outcome (None for a cell missing in collect-only mode)."""
    if outcome.failure is not None:
        first = outcome.failure.strip().splitlines()[0]
        return error_row(outcome.spec, f"internal error: {first}")
    if outcome.result is None:
        return None
    if "error" in outcome.result:
        return error_row(outcome.spec, outcome.result["error"])
    return kind_of(outcome.spec).summarise(outcome.spec, outcome.result, confidence)


__all__ = ["CellKind", "KINDS", "kind_of", "compute_cell", "execute", "Outcome", "normalise",
           "summarise", "error_row"]
