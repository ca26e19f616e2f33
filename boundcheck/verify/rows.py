"""``boundcheck verify`` as a function: the same rows, as Python dicts.

:func:`verify_rows` builds the same plan as the command (:func:`boundcheck.verify.plan.verify_plan`),
runs its cells (:func:`boundcheck.verify.cells.execute`, optionally against a results store) and
summarises them as the command does, so ``verify_rows(["thm4.1"], T=[100], seeds=8)`` equals the
``rows`` of ``boundcheck verify thm4.1 --T 100 --seeds 8 --format json`` (provenance aside).

The problem is chosen with the words of the command line (:mod:`boundcheck.problems.choice`):
``problem="exptail-logistic", params={"d": 16}`` or ``data="sklearn:wine", loss="logistic",
l2=0.01``; None runs each theorem on its declared default problem. Errors are
:class:`~boundcheck.validation.InputError` with one line naming the value and what is allowed.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from boundcheck.validation import InputError, integer, probability_open

#: Largest T (the engine's limit; the command line checks the same).
MAX_T = 10**9


def _int_list(name: str, value, *, high: int | None = None) -> list[int] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, (int, str)) else list(value)
    if not values:
        raise InputError(f"{name}=[] is empty; allowed: a positive integer or a list of them")
    out = [integer(name, v, low=1, high=high) for v in values]
    if len(set(out)) != len(out):
        raise InputError(f"{name}={values!r} lists a value twice")
    return out


def verify_rows(ids: str | Iterable[str] = (), *, problem: Any = None, params: Mapping[str, Any] | None = None,
                data: str | None = None, loss: str | None = None, l2: Any = None, d: Any = None,
                T: int | Iterable[int] | None = None, M: int | Iterable[int] | None = None,
                seeds: int | None = None, seed: int = 0, confidence: float = 0.99,
                family: str = "holm", family_alpha: float | None = None,
                cache: str | None = None, workers: int = 1, scheduler: str = "local") -> list[dict]:
    """The rows of ``boundcheck verify IDS ...`` (see the module docstring).

    ``ids``: theorem and lemma-check ids (empty: all of them, like bare ``verify``); ``T`` and
    ``M``: one value or a list (defaults 100,1000 and 8); ``seeds``: replicas per cell
    (default 32); ``family``/``family_alpha``: the family-wise decision over the rows (``--family``,
    ``--family-alpha``; default Holm at ``(1 - confidence)/2``); ``cache``: a results-store path
    (default None: nothing is read or written);
    ``workers``: processes; ``scheduler``: where cells run (``--scheduler``: ``local``,
    ``local-dask`` or a Dask address). A theorem whose assumptions the chosen problem fails is an
    InputError when it is the only id, an ``error`` row among others (as on the command line).
    """
    from boundcheck.problems.choice import ProblemChoice, choose
    from boundcheck.report.rows import clean
    from boundcheck.validation import choice
    from boundcheck.verify import cells, instances, plan
    from boundcheck.verify.decisions import FAMILY_METHODS, apply_family, default_family_alpha

    id_list = [ids] if isinstance(ids, str) else list(ids)
    if isinstance(problem, ProblemChoice):
        chosen = problem
    else:
        chosen = choose(problem, params, data=data, loss=loss, l2=l2, d=d, minimizer=True)
    problem_spec = None if chosen is None else instances.spec_of(chosen)
    Ts = _int_list("T", T, high=MAX_T)
    Ms = _int_list("M", M)
    R = None if seeds is None else integer("seeds", seeds, low=2, high=100000)
    seed = integer("seed", seed, low=0, high=2**63 - 1)
    confidence = probability_open("confidence", confidence)
    workers = integer("workers", workers, low=1, high=256)
    family = choice("family", family, FAMILY_METHODS)
    family_alpha = (default_family_alpha(confidence) if family_alpha is None
                    else probability_open("family_alpha", family_alpha))
    specs = plan.verify_plan(id_list, problem=problem_spec, Ts=Ts, Ms=Ms, seeds=R, seed=seed)
    store = None
    if cache is not None:
        from boundcheck.store import ResultStore

        store = ResultStore(str(cache))
    try:
        outcomes = cells.execute(specs, store=store, workers=workers, scheduler=scheduler)
    finally:
        if store is not None:
            store.close()
    reason = plan.refusal(id_list, problem_spec, outcomes)
    if reason is not None:
        raise InputError(reason)
    rows = [r for r in (cells.summarise(o, confidence) for o in outcomes) if r is not None]
    apply_family(rows, family_alpha, family)  # as the command does before it prints
    return [clean(r) for r in rows]


__all__ = ["verify_rows"]
