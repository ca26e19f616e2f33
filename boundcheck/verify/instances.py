"""The concrete problem of a cell: built from its spec, its constants, its assumption checks.

A problem spec is a small JSON-able dict, part of every cell's key:

- ``{"name": "exptail-logistic", "params": {"d": 32, ...}, "label": ...}`` for a problem of
  the registry (:func:`boundcheck.problems.registry.make_problem`);
- ``{"data": "/abs/path", "sha256": ..., "loss": "logistic", "l2": 0.01, "label": ...}`` for
  a libsvm file (``--data FILE``) or ``{"data": "sklearn:wine", ...}`` for bundled data
  (:func:`boundcheck.problems.registry.load_data`). The file's content hash is in the spec,
  so an edited file is never matched with stale cached results.

Constants (Liu et al. 2025, Sections 3-5) come from the constants layer
(:func:`boundcheck.constants.assemble.problem_constants`: optimal diagonal L with a
certificate, sigma, D_inf, D_2, Delta, f*), as theory-layer symbol names for
:meth:`Theorem.evaluate`, plus the vectors the assumption checks read.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import numpy as np

from boundcheck.validation import InputError, regular_file


# ---------------------------------------------------------------------- problem specs
def registry_spec(name: str, params: dict | None = None, label: str | None = None) -> dict:
    """Spec of a registry problem; parameters with value None are dropped."""
    params = {k: v for k, v in (params or {}).items() if v is not None}
    return {"name": name, "params": params, "label": label or name}


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
    regular_file("--data", source, "a libsvm/svmlight file")  # a FIFO is refused, not read (it would block)
    path = Path(source)
    if not path.exists():
        raise InputError(f"--data {source!r}: no such file")
    if path.is_dir():
        raise InputError(f"--data {source!r} is a directory; allowed: a libsvm/svmlight file")
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as err:
        raise InputError(f"--data {source!r} cannot be read: {err.strerror or err}") from None
    spec.update(data=str(path.resolve()), sha256=digest, label=path.name)
    return spec


def label(pspec: dict) -> str:
    return str(pspec.get("label") or pspec.get("name") or pspec.get("data"))


def build(pspec: dict):
    """The Problem object of a spec (InputError for a bad name, parameter or file)."""
    from boundcheck.problems import registry

    if "data" in pspec:
        kwargs = {"l2": pspec["l2"]} if "l2" in pspec else {}
        if "d" in pspec:
            kwargs["n_features"] = pspec["d"]
        return registry.load_data(pspec["data"], pspec["loss"], **kwargs)
    return registry.make_problem(pspec["name"], **pspec.get("params", {}))


# ---------------------------------------------------------------------- constants
#: theory symbol names the verification layer may need (vectors handled separately)
SCALARS = ("L_norm1", "L_norminf", "sigma_norm1", "sigma_norm2", "D_inf", "D_2", "Delta",
           "L0_norm1", "L1_norminf", "L_star_norm1", "sigma_star_norm1")
VECTORS = ("L", "sigma", "L0", "L1", "L_star", "sigma_star")


def constants(problem, *, w0=None) -> tuple[dict[str, float], dict[str, Any], dict[str, Any]]:
    """``(scalars, vectors, certificate)`` of ``problem``.

    ``scalars`` maps theory symbol names to floats; ``vectors`` holds ``L``, ``sigma`` (and
    ``L0``, ``L1`` ...) as float arrays; ``certificate`` says where each came from. ``Delta``
    is ``f(w0) - f*`` at the run's initial point (default: zeros, the theorem checks' init).
    """
    exact = dict(problem.exact_constants() or {})
    scalars: dict[str, float] = {}
    vectors: dict[str, Any] = {}
    cert: dict[str, Any] = {}
    assembled = _assembled(problem, w0)
    if assembled is not None:
        tc = assembled.theory_constants()
        scalars.update({k: float(v) for k, v in tc.items() if v is not None and k in SCALARS})
        as_dict = assembled.as_dict()
        for name in VECTORS:
            if as_dict.get(name) is not None:
                vectors[name] = np.asarray(as_dict[name], dtype=float)
        cert = {"source": "boundcheck.constants", "certificate": as_dict.get("certificate")}
    # The assembler already prefers the problem's exact values (sigma, L0, L1, f*, D) and
    # certifies L; vectors it does not know (L_star, sigma_star ...) come from the problem.
    for name in VECTORS:
        if name not in vectors and exact.get(name) is not None:
            vectors[name] = np.asarray(exact[name], dtype=float).reshape(-1)
    for name, value in norms(vectors).items():
        scalars[name] = value
    for name in ("D_inf", "D_2"):
        if name not in scalars and exact.get(name) is not None:
            scalars[name] = float(exact[name])
        elif name not in scalars and problem.domain is not None:
            scalars[name] = float(getattr(problem.domain, name))
    if assembled is not None and assembled.f_star is not None:
        scalars["f_star"] = float(assembled.f_star)
    elif exact.get("f_star", problem.f_star) is not None:
        scalars["f_star"] = float(exact.get("f_star", problem.f_star))
    if "Delta" not in scalars and "f_star" in scalars and math.isfinite(scalars["f_star"]):
        w = np.zeros((1, problem.d)) if w0 is None else np.asarray(w0, float).reshape(1, problem.d)
        scalars["Delta"] = max(float(np.asarray(problem.loss(w)).ravel()[0]) - scalars["f_star"], 0.0)
    if not cert:
        cert = {"source": "problem.exact_constants"}
    return scalars, vectors, cert


def norms(vectors: dict[str, Any]) -> dict[str, float]:
    """The theory layer's norms of the constant vectors."""
    out = {}
    table = {"L": (("L_norm1", 1), ("L_norminf", np.inf)),
             "sigma": (("sigma_norm1", 1), ("sigma_norm2", 2)),
             "L0": (("L0_norm1", 1),), "L1": (("L1_norminf", np.inf),),
             "L_star": (("L_star_norm1", 1),), "sigma_star": (("sigma_star_norm1", 1),)}
    for vec, pairs in table.items():
        if vec in vectors:
            v = np.abs(np.asarray(vectors[vec], dtype=float).reshape(-1))
            for name, order in pairs:
                out[name] = float(np.linalg.norm(v, ord=order)) if v.size else 0.0
    return out


#: Per-process memo of (problem, constants) by canonical problem spec: cells of one problem at
#: several T, M (or theorems) build it and solve for its constants once per process. The
#: values are pure functions of the spec, so the memo never changes a result.
_MEMO: dict[str, tuple] = {}
_MEMO_SIZE = 8


def instance(pspec: dict):
    """``(problem, scalars, vectors, certificate)`` of a spec, memoised per process; the
    dicts are fresh copies (callers may add to them)."""
    from boundcheck.store import canonical

    key = canonical(pspec)
    if key not in _MEMO:
        problem = build(pspec)
        scalars, vectors, cert = constants(problem)
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = (problem, scalars, vectors, cert)
    problem, scalars, vectors, cert = _MEMO[key]
    return problem, dict(scalars), {k: np.array(v, copy=True) for k, v in vectors.items()}, dict(cert)


def _assembled(problem, w0):
    """The constants layer's assembly for ``problem``, or None when that layer (or the
    assembler) is not available or cannot handle this problem."""
    try:
        from boundcheck.constants.assemble import problem_constants
    except ImportError:
        return None
    return problem_constants(problem, w0=w0)


# ---------------------------------------------------------------------- assumptions
def check_assumptions(theorem, problem, vectors: dict[str, Any], scalars: dict[str, float],
                      extra: dict[str, Any] | None = None) -> list[dict]:
    """Check every assumption and proof condition of ``theorem`` on ``problem``.

    Returns one record per check (``{"id", "status", "reason"}``); raises
    :class:`InputError` naming the first violated one: a problem that fails an assumption
    is refused, never silently used. ``unchecked`` (not checkable numerically) is recorded
    and reported in the row's note. ``extra`` passes further named constants to the checks
    (e.g. ``L0_scalar``, ``L1_scalar`` of eq. (8)).
    """
    from boundcheck.theory import assumptions as A

    given = dict(vectors)
    for k in ("D_inf", "D_2", "f_star"):
        if k in scalars:
            given[k] = scalars[k]
    given.update(extra or {})
    ids = tuple(theorem.assumptions) + tuple(getattr(theorem, "proof_conditions", ()) or ())
    view = _RowStreamsView(problem)
    records = []
    for aid in ids:
        try:
            a = A.get(aid)
        except InputError:
            records.append({"id": aid, "status": "unchecked", "reason": "no such assumption object"})
            continue
        res = a.check(view, given)
        records.append({"id": aid, "status": res.status, "reason": res.reason})
        if res.status == "violated":
            raise InputError(f"{theorem.id} refused on {getattr(problem, 'name', 'problem')}: "
                             f"assumption {aid} ({a.title}) fails: {res.reason}")
    return records


class _RowStreamsView:
    """Adapter between the assumption checks and the problems' sampling contract.

    The assumption checks (:mod:`boundcheck.theory.assumptions`) call
    ``problem.stochastic_grad(W, M, rng)`` with a NumPy Generator, but the problems expect a
    :class:`boundcheck.engine.streams.ReplicaStreams` with one independent stream per row of
    ``W`` (a finite sum calls ``rng.indices``; an oracle draws ``rng.standard_normal(d)``
    and expects one row per replica). This view hands each call fresh per-row streams (seed
    = the call's ordinal, so the checks stay deterministic) and delegates everything else.
    """

    def __init__(self, problem):
        self._problem = problem
        self._calls = 0

    def stochastic_grad(self, W, batch_size, rng=None, xp=np):
        from boundcheck.engine.streams import ReplicaStreams

        if rng is not None and hasattr(rng, "indices") and not isinstance(rng, np.random.Generator):
            # already a sampler of the problems' contract (e.g. the exact enumeration of a
            # finite sum's samples in the 3.4 check): pass it through
            return self._problem.stochastic_grad(W, batch_size, rng, xp)
        self._calls += 1
        streams = ReplicaStreams(self._calls, range(int(np.shape(W)[0])))
        return self._problem.stochastic_grad(W, batch_size, streams, xp)

    def __getattr__(self, name):
        return getattr(self._problem, name)


__all__ = ["registry_spec", "data_spec", "label", "build", "instance", "constants", "norms", "check_assumptions"]
