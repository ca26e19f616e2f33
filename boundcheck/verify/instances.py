"""The concrete problem of a cell: built from its spec, its constants, its assumption checks.

A problem spec is a small JSON-able dict, part of every cell's key:

- ``{"name": "exptail-logistic", "params": {"d": 32, ...}, "label": ...}`` for an instance of a
  registered family (:func:`boundcheck.problems.standard.instance`);
- ``{"data": "/abs/path", "sha256": ..., "loss": "logistic", "l2": 0.01, "label": ...}`` for
  a libsvm file (``--data FILE``) or ``{"data": "sklearn:wine", ...}`` for bundled data
  (:func:`boundcheck.problems.load_data`). The file's content hash is in the spec, so an
  edited file is never matched with stale cached results.

Constants come from the one constants assembly (:class:`boundcheck.constants.provider.Assembly`:
every constant from its named provider, with provenance); a theorem's constants are the
symbols its bound and step size need (:func:`theorem_constants`), each looked up under its
constants-layer name (:func:`boundcheck.theory.symbols.constant_name`). Asking for one no
provider gives is an error naming the providers tried.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from boundcheck.problems.standard import instance as _instance
from boundcheck.validation import InputError, regular_file

#: Symbols a check supplies itself (not problem constants).
RUN_SYMBOLS = frozenset({"T", "M", "d", "eps", "eta", "t", "delta"})


# ---------------------------------------------------------------------- problem specs
def registry_spec(name: str, params: dict | None = None, label: str | None = None) -> dict:
    """Spec of an instance of the registered family ``name`` (parameters with value None dropped)."""
    return _instance(name, label, **(params or {}))


def data_spec(source: str, loss: str, l2: float | None = None, d: int | None = None) -> dict:
    """Spec of a data set: a libsvm file (hashed) or ``sklearn:NAME``; ``d``: the dimension
    the data must have (checked when the problem is built)."""
    spec: dict[str, Any] = {"data": source, "loss": loss}
    if l2 is not None:
        spec["l2"] = float(l2)
    if d is not None:
        spec["d"] = int(d)
    if source.startswith("sklearn:"):
        spec["label"] = source
        return spec
    regular_file("data", source, "a libsvm/svmlight file")  # a FIFO is refused, not read (it would block)
    path = Path(source)
    if not path.exists():
        raise InputError(f"data {source!r}: no such file")
    if path.is_dir():
        raise InputError(f"data {source!r} is a directory; allowed: a libsvm/svmlight file")
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as err:
        raise InputError(f"data {source!r} cannot be read: {err.strerror or err}") from None
    spec.update(data=str(path.resolve()), sha256=digest, label=path.name)
    return spec


def spec_of(chosen) -> dict:
    """The cell spec of a validated :class:`~boundcheck.problems.choice.ProblemChoice`; the
    problem is built once here, so a bad file or parameter is a usage error at the door (exit 2),
    not an ``error`` row per cell."""
    if chosen.is_data:
        spec = data_spec(chosen.data, chosen.loss, chosen.l2, d=chosen.d)
    else:
        spec = registry_spec(chosen.name, chosen.params)
    build(spec)
    return spec


def label(pspec: dict) -> str:
    return str(pspec.get("label") or pspec.get("name") or pspec.get("data"))


def build(pspec: dict):
    """The Problem object of a spec (InputError for a bad name, parameter or file)."""
    from boundcheck.problems import load_data, make_problem

    if "data" in pspec:
        kwargs = {"l2": pspec["l2"]} if "l2" in pspec else {}
        if "d" in pspec:
            kwargs["n_features"] = pspec["d"]
        return load_data(pspec["data"], pspec["loss"], **kwargs)
    return make_problem(pspec["name"], **pspec.get("params", {}))


#: Per-process memo of (problem, assembly) by canonical problem spec: cells of one problem at
#: several T, M (or theorems) build it and solve for its constants once per process. The
#: values are pure functions of the spec, so the memo never changes a result.
_MEMO: dict[str, tuple] = {}
_MEMO_SIZE = 8


def instance(pspec: dict):
    """``(problem, assembly)`` of a spec, memoised per process."""
    from boundcheck.constants.provider import Assembly
    from boundcheck.store import canonical

    key = canonical(pspec)
    if key not in _MEMO:
        problem = build(pspec)
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = (problem, Assembly(problem))
    return _MEMO[key]


# ---------------------------------------------------------------------- constants
def theorem_assembly(theorem, assembly, hyperparameters=None):
    """The view of ``assembly`` configured for ``theorem``'s algorithm with the run's
    ``hyperparameters`` (None: the theorem's declared ones): constants that depend on the
    configuration (Subset-Norm's block constants depend on its partition, ``blocks=k``) are
    looked up there; problem-only constants are shared (:meth:`Assembly.configured`)."""
    hyper = theorem.hyperparameters if hyperparameters is None else hyperparameters
    return assembly.configured(theorem.algorithm, hyper)


def theorem_constants(theorem, assembly, *, exclude=(), hyperparameters=None) -> tuple[dict[str, float], list]:
    """``(values, used)``: the problem constants ``theorem``'s bound and step size need, by
    symbol name (each from its provider; InputError naming the missing provider), and the
    :class:`~boundcheck.constants.provider.Constant` objects used (for their provenance).
    ``hyperparameters``: those of the run (None: the theorem's), see :func:`theorem_assembly`."""
    from boundcheck.theory.symbols import constant_name

    assembly = theorem_assembly(theorem, assembly, hyperparameters)
    values, used = {}, []
    for name in theorem.required():
        if name in RUN_SYMBOLS or name in exclude:
            continue
        c = assembly.require(constant_name(name), why=theorem.id)
        values[name] = float(c.value)
        used.append(c)
    return values, used


def named(assembly, names) -> dict[str, float]:
    """Scalars by name, for the names some provider gives (others left out)."""
    return assembly.scalars(names)


def constants_spec(problem: dict, names) -> dict:
    """A cell that reports named constants of a problem (sweeps that need constants beyond a
    theorem's own, e.g. Example B.1's ratios)."""
    return {"kind": "constants", "problem": problem, "names": sorted(names)}


def constants_compute(spec: dict) -> dict:
    problem, assembly = instance(spec["problem"])
    out = {}
    for name in spec["names"]:
        c = assembly.get(name)
        out[name] = None if c is None or c.value is None else float(c.value)
    return {"problem": label(spec["problem"]), "constants": out}


def constants_summarise(spec: dict, result: dict, confidence: float) -> dict | None:
    """Constants cells are read by the sweep that asked for them; they make no row of their own."""
    return None


# ---------------------------------------------------------------------- assumptions
def check_assumptions(theorem, problem, assembly, hyperparameters=None, *,
                      allow_violation: bool = False) -> list[dict]:
    """Check every assumption and proof condition of ``theorem`` on ``problem``, each with the
    constants it reads (:attr:`Assumption.vectors`) from the assembly configured for the run
    (:func:`theorem_assembly`; ``hyperparameters`` None: the theorem's).

    Returns one record per check (``{"id", "status", "reason"}``); raises
    :class:`InputError` naming the first violated one: a problem that fails an assumption
    is refused, never silently used. ``unchecked`` (not checkable numerically) is recorded
    and reported in the row's note. With ``allow_violation`` (``--allow-assumption-violation``:
    breaking an assumption on purpose, e.g. heavy-tailed noise against a sub-Gaussian bound) a
    violated assumption is recorded, not raised; the caller marks the rows.
    """
    from boundcheck import registry

    assembly = theorem_assembly(theorem, assembly, hyperparameters)
    ids = tuple(theorem.assumptions) + tuple(theorem.proof_conditions or ())
    records = []
    for aid in ids:
        if not registry.has("assumption", aid):
            records.append({"id": aid, "status": "unchecked", "reason": "no such assumption object"})
            continue
        a = registry.get("assumption", aid)
        given = {}
        for name in tuple(a.vectors) + ("D_inf", "D_2", "f_star"):
            c = assembly.get(name)
            if c is not None and c.value is not None:
                given[name] = c.value if np.ndim(c.value) == 0 else np.asarray(c.value, float)
        res = a.check(problem, given)
        records.append({"id": aid, "status": res.status, "reason": res.reason})
        if res.status == "violated" and not allow_violation:
            raise InputError(f"{theorem.id} refused on {getattr(problem, 'name', 'problem')}: "
                             f"assumption {aid} ({a.title}) fails: {res.reason} "
                             "(--allow-assumption-violation runs it anyway and marks the rows)")
    return records


__all__ = ["registry_spec", "data_spec", "spec_of", "label", "build", "instance", "theorem_assembly",
           "theorem_constants", "named",
           "check_assumptions", "RUN_SYMBOLS", "constants_spec", "constants_compute", "constants_summarise"]
