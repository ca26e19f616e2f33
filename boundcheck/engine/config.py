"""What to run: :class:`RunConfig`, validated once at the door (:meth:`RunConfig.validated`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np

from boundcheck.algorithms import OPTIONS
from boundcheck.algorithms.schedules import SCHEDULE_NAMES
from boundcheck.validation import InputError, choice, integer, nonnegative, positive

from .backend import BACKENDS

#: Hard caps that keep a typo from allocating the machine away.
MAX_T = 10**9
MAX_SEEDS = 10**6


@dataclass(frozen=True)
class RunConfig:
    """One run of one algorithm on one problem, over replicas ``0..seeds-1``.

    Parameters
    ----------
    algorithm : a registered algorithm name (``"adagrad" | "sgd" | "adagrad-norm"``: Liu et al.
        2025, Alg. 1 / 2 / 3; ``boundcheck.registry.names("algorithm")`` lists all)
    hyperparameters : the algorithm's declared hyperparameters (e.g. ``{"blocks": 4}``); its
        ``eps``, when it declares one, defaults to the ``eps`` field
    option : ``"I"`` (projected onto the problem's W) or ``"II"`` (unconstrained)
    T : number of iterations (iterates w_0 .. w_T are produced; metrics use w_0..w_{t-1})
    batch_size : M, minibatch size (sampled uniformly with replacement), or None for the
        exact gradient (full batch, M = n; on oracle problems: no noise)
    eta : base step size
    schedule : ``"constant"`` | ``"sqrt-decay"`` (eta/sqrt(t+1)) | callable ``t -> eta_t`` |
        array of T step sizes (then ``eta`` is ignored)
    eps : the epsilon of accumulator methods, v_{-1} = eps^2 (passed to algorithms that declare
        an ``eps`` hyperparameter; ignored by the others, e.g. SGD)
    seeds : number of replicas R
    seed : master seed S; replica r uses the streams of ``(S, r)``
    init : ``"zeros"`` | ``"uniform:A"`` (w_0 ~ U(-A, A)^d, per replica) | a (d,) array
    dtype : ``"float64"`` (default) or ``"float32"``
    backend : ``"numpy"`` | ``"cupy"`` | ``"array-api-strict"``
    checkpoints : None (log-spaced 1-2-5 per decade, plus T) or increasing ints in [1, T]
    metrics : registered metric names (:mod:`boundcheck.engine.metrics`), or None for the
        cheap default set (see :func:`boundcheck.engine.metrics.default_metrics`)
    chunk : replicas per vectorized block (memory/cache knob; never changes results)
    blas_threads : BLAS threads during the run (default 1: the per-step products are small;
        None leaves the BLAS setting alone). Multi-threaded BLAS may change the full-loss /
        full-gradient checkpoint metrics in the last bits; the bit-identity of replicas run
        together, alone or chunked is guaranteed (and tested) with the default 1.
    """

    algorithm: str = "adagrad"
    option: str = "II"
    T: int = 1000
    batch_size: int | None = 1
    eta: float = 1.0
    schedule: Any = "constant"
    eps: float = 1e-8
    seeds: int = 8
    seed: int = 0
    init: Any = "zeros"
    dtype: str = "float64"
    backend: str = "numpy"
    checkpoints: Sequence[int] | None = None
    metrics: Sequence[str] | None = None
    chunk: int | None = None
    blas_threads: int | None = 1
    hyperparameters: Any = None

    def validated(self) -> "RunConfig":
        """A copy with every field checked and normalized; InputError names the bad value."""
        from boundcheck import registry

        spec = registry.get("algorithm", self.algorithm)
        choice("option", self.option, OPTIONS)
        T = integer("T", self.T, low=1, high=MAX_T)
        M = None if self.batch_size is None else integer("batch_size", self.batch_size, low=1)
        eta = positive("eta", self.eta)
        if isinstance(self.schedule, str):
            choice("schedule", self.schedule, SCHEDULE_NAMES)
        elif not callable(self.schedule):
            arr = np.asarray(self.schedule, dtype=float).reshape(-1)
            if arr.shape[0] < T:
                raise InputError(f"schedule has {arr.shape[0]} step sizes; need T={T}")
        eps = nonnegative("eps", self.eps)
        hyper = dict(self.hyperparameters or {})
        if spec.has_param("eps") and "eps" not in hyper:
            hyper["eps"] = self.eps  # as given, so a refusal names the user's value
        hyper = spec.bind(hyper)
        seeds = integer("seeds", self.seeds, low=1, high=MAX_SEEDS)
        seed = integer("seed", self.seed, low=0, high=2**63 - 1)
        init = parse_init(self.init)
        choice("dtype", self.dtype, ("float64", "float32"))
        choice("backend", self.backend, BACKENDS)
        cps = checkpoints_for(T, self.checkpoints)
        metrics = None if self.metrics is None else tuple(self.metrics)
        if metrics is not None:
            for m in metrics:
                registry.get("metric", m)
        chunk = None if self.chunk is None else integer("chunk", self.chunk, low=1)
        bt = None if self.blas_threads is None else integer("blas_threads", self.blas_threads, low=1, high=1024)
        return replace(self, T=T, batch_size=M, eta=eta, eps=eps, seeds=seeds, seed=seed,
                       init=init, checkpoints=cps, metrics=metrics, chunk=chunk, blas_threads=bt,
                       hyperparameters=hyper)


def parse_init(init) -> Any:
    """``"zeros"``, ``("uniform", A)`` from ``"uniform:A"``, or a float64 (d,) array."""
    if isinstance(init, str):
        if init == "zeros":
            return "zeros"
        if init.startswith("uniform:"):
            a = init.split(":", 1)[1]
            return ("uniform", positive("init uniform half-width A", a))
        raise InputError(f"init={init!r} is not allowed; allowed: zeros, uniform:A (A > 0), or an array")
    if isinstance(init, tuple) and len(init) == 2 and init[0] == "uniform":
        return ("uniform", positive("init uniform half-width A", init[1]))
    arr = np.asarray(init, dtype=np.float64)
    if arr.ndim != 1 or not np.all(np.isfinite(arr)):
        raise InputError("init array must be a finite vector of shape (d,)")
    return arr


def log_checkpoints(T: int) -> np.ndarray:
    """1, 2, 5, 10, 20, 50, ... below T, then T: about 3 checkpoints per decade."""
    out = []
    k = 0
    while True:
        base = 10**k
        for m in (1, 2, 5):
            c = m * base
            if c >= T:
                out.append(T)
                return np.array(sorted(set(out)), dtype=np.int64)
            out.append(c)
        k += 1


def checkpoints_for(T: int, checkpoints) -> np.ndarray:
    """Validated, strictly increasing (K,) int64 checkpoints in [1, T] (default: log-spaced)."""
    if checkpoints is None:
        return log_checkpoints(T)
    cps = [integer("checkpoint", c, low=1, high=T) for c in checkpoints]
    if not cps:
        raise InputError("checkpoints must not be empty")
    arr = np.array(sorted(set(cps)), dtype=np.int64)
    return arr


