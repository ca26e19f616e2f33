"""The run loop: R replicas advance together; metrics are streamed at checkpoints.

Per iteration t = 0 .. T-1, for every replica (Liu et al. 2025, Alg. 1-3, or any registered
algorithm):

1. draw g_t: the minibatch gradient (M samples uniform with replacement, each replica from
   its own stream, :mod:`boundcheck.sampling`) or the exact gradient (full batch);
2. accumulate what the requested metrics need over w_t (the running sum of iterates for
   w_bar, and each per-step metric's increment: :mod:`boundcheck.engine.metrics`);
3. take the algorithm's step ``w_{t+1}, state = update(w_t, g_t, state, eta_t, Proj_W)``;
4. divergence guard: a replica whose new iterate or state is non-finite, or whose
   ``|w|_inf`` exceeds :data:`W_LIMIT`, is frozen at its last finite iterate and flagged
   (``diverged_at = t``); at checkpoints, a loss above :data:`LOSS_BLOWUP` times
   ``max(|f(w_0)|, 1)`` also stops it. Other replicas go on: never the run.

**Bit-identity is the engine's job.** Replica r's randomness comes only from the streams of
``(seed, r)``, and every batch the engine hands to a problem or an algorithm has a multiple of
:data:`ROW_PAD` rows (padding rows replay replica ``reps[0]``'s draws and are dropped at the
end), so BLAS products over the rows (``W @ A.T``, ``g @ B``) take the same kernels whatever
R or the chunking is: replicas run together, alone or chunked give the same bits, without
any care from the author of a problem or an algorithm (the invariant tests check it for
every registered one).

Memory is O(R d) plus the problem's data: no trajectory is stored.

Optional problem hooks the loop uses when present (beyond :class:`~boundcheck.problems.base.Problem`):
``stochastic_grad_and_grad(W, M, sampler, xp) -> (g, grad f(W))`` (oracle problems: the exact
gradient for per-step metrics comes free) and ``value_and_grad(W, xp)`` (finite sums: one
pass over the data for f and grad f at checkpoints).
"""

from __future__ import annotations

import contextlib
import math
import time
from typing import Callable, Sequence

import numpy as np

from boundcheck import registry
from boundcheck.algorithms.projections import make_projector
from boundcheck.algorithms.schedules import step_sizes
from boundcheck.sampling import ReplicaStreams
from boundcheck.validation import InputError, integer

from .backend import dtype_of, namespace, to_numpy
from .config import RunConfig
from .metrics import DIVERGED, CheckpointData, StepData, default_metrics, f_star_known, unavailable
from .result import RunResult

#: An iterate with a coordinate beyond this magnitude counts as diverged (float64; float32
#: uses :data:`W_LIMIT_F32`).
W_LIMIT = 1e150
W_LIMIT_F32 = 1e30
#: A loss above this multiple of max(|f(w_0)|, 1) counts as diverged (checked at checkpoints).
LOSS_BLOWUP = 1e12
#: Every batch has a multiple of this many rows (full BLAS register tiles, never GEMV), so a
#: row's arithmetic does not depend on how many replicas run together.
ROW_PAD = 8


def run(problem, cfg: RunConfig, replicas: Sequence[int] | None = None,
        progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Run ``cfg.algorithm`` on ``problem`` for replicas ``replicas`` (default: all
    ``0..cfg.seeds-1``) and return their checkpointed metrics.

    Replica r's randomness comes only from the streams of ``(cfg.seed, r)``, so any subset
    or chunking of replicas gives bit-identical per-replica results. ``progress(t, T)`` is
    called at each checkpoint. Raises :class:`~boundcheck.validation.InputError` for bad
    configuration before any computation.
    """
    cfg = cfg.validated()
    if replicas is None:
        reps = tuple(range(cfg.seeds))
    else:
        reps = tuple(integer("replica", r, low=0) for r in replicas)
        if not reps or len(set(reps)) != len(reps):
            raise InputError("replicas must be a non-empty sequence of distinct ids >= 0")
    xp = namespace(cfg.backend)
    dtype = dtype_of(xp, cfg.dtype)
    alg = registry.get("algorithm", cfg.algorithm).build(cfg.hyperparameters)
    metrics = tuple(cfg.metrics) if cfg.metrics is not None else default_metrics(problem, alg)
    _check_metrics(problem, alg, metrics)
    if cfg.option == "I" and problem.domain is None:
        raise InputError(
            f"option I projects onto W, but problem {problem.name!r} has no feasible set; use --option II"
        )
    n = getattr(problem, "n", None)
    if n is not None and cfg.batch_size is not None and cfg.batch_size > 10**7:
        raise InputError(f"batch_size={cfg.batch_size} is too large; use 'full' for the exact gradient")
    etas = step_sizes(cfg.schedule, cfg.eta, cfg.T)
    w0 = initial_points(problem, cfg, reps)
    if cfg.option == "I" and not all(problem.domain.contains(w, tol=1e-12) for w in w0):
        raise InputError(f"init {cfg.init!r} is outside the feasible set W of {problem.name!r}")
    chunk = cfg.chunk or len(reps)
    t0 = time.perf_counter()
    parts = []
    # overflow / NaN in a diverging replica is detected and handled below: no warnings
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), _blas_threads(cfg.blas_threads):
        for start in range(0, len(reps), chunk):
            sl = slice(start, start + chunk)
            parts.append(_run_block(problem, cfg, alg, reps[sl], w0[sl], xp, dtype, metrics, etas, progress))
    wall = time.perf_counter() - t0
    res = _concat(parts)
    res.config = cfg
    res.problem = problem.describe()
    res.f_star = float(problem.f_star) if f_star_known(problem) else math.nan
    res.wall_time = wall
    return res


@contextlib.contextmanager
def _blas_threads(n):
    """Limit BLAS threads for the run (None: leave as is). The hot path is many small
    products, for which BLAS threading costs more than it gains (measured in
    benchmarks/engine.py; badly so on a loaded machine)."""
    if n is None:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        yield
        return
    with threadpool_limits(limits=n, user_api="blas"):
        yield


def _check_metrics(problem, alg, metrics) -> None:
    for name in metrics:
        why = unavailable(registry.get("metric", name), problem, alg)
        if why is not None:
            raise InputError(why)


def initial_points(problem, cfg: RunConfig, reps) -> np.ndarray:
    """w_0 of each replica in ``reps`` (zeros, a fixed array, or uniform from its INIT stream)."""
    d = problem.d
    init = cfg.init
    if isinstance(init, str):  # "zeros"
        return np.zeros((len(reps), d))
    if isinstance(init, tuple):  # ("uniform", A): each replica from its own INIT stream
        a = init[1]
        return ReplicaStreams(cfg.seed, reps).uniform(-a, a, d)
    arr = np.asarray(init, dtype=np.float64)
    if arr.shape != (d,):
        raise InputError(f"init array has shape {arr.shape}; the problem needs ({d},)")
    return np.tile(arr, (len(reps), 1))


def _tree_where(mask, new, old, xp):
    return type(new)(*(xp.where(_bcast(mask, a), a, b) for a, b in zip(new, old)))


def _bcast(mask, a):
    return mask[:, None] if a.ndim == 2 else mask


def _f64(x, xp):
    """x as float64, without a copy when it already is."""
    return x if x.dtype == xp.float64 else xp.astype(x, xp.float64)


def _rows_ok(w, limit, xp):
    """(R,) bool: every entry of the row is finite with |entry| <= limit. Reductions only (no
    (R, d) temporaries): a NaN propagates through max/min and fails both comparisons."""
    return (xp.max(w, axis=-1) <= limit) & (xp.min(w, axis=-1) >= -limit)


def _state_finite(state, xp):
    """(R,) bool: the state's rows are finite (a non-finite entry makes the row sum inf/NaN;
    the accumulators are non-negative, so a finite sum means finite entries)."""
    ok = None
    for leaf in state:
        f = xp.isfinite(xp.sum(leaf, axis=-1))
        ok = f if ok is None else (ok & f)
    return ok


class _PaddedSampler:
    """The sampler of a padded batch: the real replicas' streams, then ``pad`` rows that
    replay the first replica's draws (copies; no extra random numbers are drawn)."""

    def __init__(self, inner: ReplicaStreams, pad: int):
        self.inner, self.pad = inner, pad
        #: the replica each row draws for (padding rows: the first replica's)
        self.replicas = tuple(inner.replicas) + (inner.replicas[0],) * pad

    def __len__(self) -> int:
        return len(self.replicas)

    def _padded(self, a: np.ndarray) -> np.ndarray:
        return np.concatenate([a, np.repeat(a[:1], self.pad, axis=0)])

    def indices(self, n: int, m: int) -> np.ndarray:
        return self._padded(self.inner.indices(n, m))

    def standard_normal(self, size: int, dtype=np.float64) -> np.ndarray:
        return self._padded(self.inner.standard_normal(size, dtype=dtype))

    def uniform(self, low: float, high: float, size: int) -> np.ndarray:
        return self._padded(self.inner.uniform(low, high, size))


def _padded_rows(R: int) -> int:
    return -(-max(R, 1) // ROW_PAD) * ROW_PAD


def _run_block(problem, cfg, alg, reps, w0, xp, dtype, metrics, etas, progress) -> RunResult:
    R_real, d = w0.shape
    Rp = _padded_rows(R_real)
    streams = ReplicaStreams(cfg.seed, reps)
    sampler = streams if Rp == R_real else _PaddedSampler(streams, Rp - R_real)
    if Rp != R_real:
        w0 = np.concatenate([w0, np.repeat(w0[:1], Rp - R_real, axis=0)])
    R = Rp
    T = cfg.T
    cps = np.asarray(cfg.checkpoints, dtype=np.int64)
    projector = make_projector(problem.domain, xp, dtype) if cfg.option == "I" else None
    f64 = xp.float64
    f_star = float(problem.f_star) if f_star_known(problem) else math.nan

    specs = {m: registry.get("metric", m) for m in metrics if m != DIVERGED}
    stepwise = {m: s for m, s in specs.items() if s.per_step}
    needs = frozenset().union(*(s.needs for s in specs.values())) if specs else frozenset()
    need_grad = "grad" in needs
    need_grad_w = "grad_w" in needs
    need_wbar = "loss_wbar" in needs
    w_limit = W_LIMIT if cfg.dtype == "float64" else W_LIMIT_F32
    M = cfg.batch_size

    w = xp.asarray(w0, dtype=dtype)
    state = alg.init(w, xp)
    f0 = to_numpy(problem.loss(w, xp)).astype(np.float64)
    blowup = LOSS_BLOWUP * np.maximum(np.abs(f0), 1.0)

    sum_w = xp.zeros((R, d), dtype=f64)
    count = np.zeros(R, dtype=np.int64)  # iterates accumulated per replica
    acc = {}
    for m, s in stepwise.items():
        if s.shape == "matrix":
            acc[m] = xp.zeros((R, d), dtype=f64)
        elif s.reduce == "min":
            acc[m] = xp.full((R,), math.inf, dtype=f64)
        else:
            acc[m] = xp.zeros((R,), dtype=f64)

    active_np = np.ones(R, dtype=bool)
    active = xp.asarray(active_np)
    all_active = True
    diverged_at = np.full(R, -1, dtype=np.int64)
    out = {m: np.full((len(cps), R) + ((d,) if m in specs and specs[m].coordinates else ()), np.nan)
           for m in metrics}
    k = 0

    for t in range(T):
        # ---- gradients at w_t
        if M is None:
            G = problem.grad(w, xp)
            g = G
        elif need_grad and hasattr(problem, "stochastic_grad_and_grad"):
            g, G = problem.stochastic_grad_and_grad(w, M, sampler, xp)  # oracle: free
        else:
            g = problem.stochastic_grad(w, M, sampler, xp)
            G = problem.grad(w, xp) if need_grad else None
        # ---- running sums over the iterates w_0 .. w_t (active replicas only)
        mask = None if all_active else active
        _add(sum_w, _f64(w, xp), mask, xp)
        count += active_np
        if stepwise:
            data = StepData(problem, w, g, G, xp, alg)
            for m, s in stepwise.items():
                x = s.step(data, xp)
                if s.shape == "matrix":
                    _add(acc[m], x, mask, xp)
                elif s.reduce == "min":
                    acc[m] = _reduced_min(acc[m], x, mask, xp)
                else:
                    acc[m] = _added(acc[m], x, mask, xp)
        # ---- the step
        w_new, state_new = alg.update(w, g, state, float(etas[t]), projector, xp)
        ok = _rows_ok(w_new, w_limit, xp)
        sf = _state_finite(state_new, xp)
        if sf is not None:
            ok = ok & sf
        if all_active and bool(xp.all(ok)):
            w, state = w_new, state_new
        else:
            ok_np = np.asarray(to_numpy(ok), dtype=bool)
            newly = active_np & ~ok_np
            diverged_at[newly] = t
            active_np = active_np & ok_np
            active = xp.asarray(active_np)
            all_active = bool(active_np.all())
            w = xp.where(active[:, None], w_new, w)
            state = _tree_where(active, state_new, state, xp)
        # ---- checkpoint after t+1 updates
        if k < len(cps) and t + 1 == cps[k]:
            tc = t + 1
            data = _checkpoint_data(problem, alg, xp, w, state, sum_w, count, f_star, d,
                                    need_grad_w, need_wbar)
            vals = {m: s.value(acc.get(m), data, xp) for m, s in specs.items()}
            # loss blow-up stops the replica here
            fw = data.loss_w
            blown = active_np & ~(np.isfinite(fw) & (fw <= blowup))
            if blown.any():
                diverged_at[blown] = tc
                active_np = active_np & ~blown
                active = xp.asarray(active_np)
                all_active = bool(active_np.all())
            valid = (diverged_at < 0) | ((diverged_at >= tc) & ~blown)
            for m in metrics:
                if m == DIVERGED:
                    out[m][k] = (~active_np).astype(np.float64)
                else:
                    row = np.asarray(vals[m], dtype=np.float64)
                    out[m][k] = np.where(valid if row.ndim == 1 else valid[:, None], row, np.nan)
            if progress is not None:
                progress(tc, T)
            k += 1

    w_np = to_numpy(xp.astype(w, f64)).astype(np.float64, copy=True)
    avg = to_numpy(sum_w).astype(np.float64) / np.maximum(count, 1)[:, None]
    r = slice(0, R_real)
    return RunResult(
        checkpoints=cps.copy(),
        metrics={m: v[:, r].copy() for m, v in out.items()},
        final_iterate=w_np[r].copy(),
        average_iterate=avg[r].copy(),
        diverged=diverged_at[r] >= 0,
        diverged_at=diverged_at[r].copy(),
        replicas=tuple(reps),
    )


def _add(acc, x, mask, xp):
    """acc += x on active rows, in place when the namespace allows it."""
    if mask is not None:
        x = xp.where(_bcast(mask, x), x, xp.zeros_like(x))
    try:
        acc += x
    except (TypeError, ValueError, AttributeError):  # pragma: no cover - immutable namespaces
        acc[...] = acc + x


def _added(acc, x, mask, xp):
    if mask is not None:
        x = xp.where(mask, x, xp.zeros_like(x))
    return acc + x


def _reduced_min(acc, x, mask, xp):
    new = xp.minimum(acc, x)
    return new if mask is None else xp.where(mask, new, acc)


def _checkpoint_data(problem, alg, xp, w, state, sum_w, count, f_star, d, need_grad_w, need_wbar):
    """f(w_t), grad f(w_t) and f(w_bar_t) as the requested metrics need them."""
    f64 = xp.float64
    cnt = xp.asarray(np.maximum(count, 1).astype(np.float64))
    G = None
    if need_grad_w and hasattr(problem, "value_and_grad"):
        f_w, G = problem.value_and_grad(w, xp)
    else:
        f_w = problem.loss(w, xp)
        G = problem.grad(w, xp) if need_grad_w else None
    fw = to_numpy(xp.astype(f_w, f64)).astype(np.float64)
    loss_wbar = None
    if need_wbar:
        wbar = xp.astype(sum_w / cnt[:, None], w.dtype)
        loss_wbar = to_numpy(xp.astype(problem.loss(wbar, xp), f64))
    return CheckpointData(w=w, state=state, algorithm=alg, count=cnt, loss_w=fw, grad_w=G,
                          loss_wbar=loss_wbar, f_star=f_star, d=d)


def _concat(parts: list[RunResult]) -> RunResult:
    if len(parts) == 1:
        return parts[0]
    return RunResult(
        checkpoints=parts[0].checkpoints,
        metrics={m: np.concatenate([p.metrics[m] for p in parts], axis=1) for m in parts[0].metrics},
        final_iterate=np.concatenate([p.final_iterate for p in parts]),
        average_iterate=np.concatenate([p.average_iterate for p in parts]),
        diverged=np.concatenate([p.diverged for p in parts]),
        diverged_at=np.concatenate([p.diverged_at for p in parts]),
        replicas=tuple(r for p in parts for r in p.replicas),
    )
