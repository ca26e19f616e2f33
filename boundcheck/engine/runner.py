"""The run loop: R replicas advance together; metrics are streamed at checkpoints.

Per iteration t = 0 .. T-1, for every replica (Liu et al. 2025, Alg. 1-3):

1. draw g_t: the minibatch gradient (M samples uniform with replacement, each replica from
   its own stream, :mod:`boundcheck.engine.streams`) or the exact gradient (full batch);
2. accumulate what the requested metrics need over w_t (the running sum of iterates for
   w_bar, sums of g_t^2, and only when asked for: f(w_t), grad f(w_t));
3. take the algorithm's step ``w_{t+1}, state = update(w_t, g_t, state, eta_t, Proj_W)``;
4. divergence guard: a replica whose new iterate or state is non-finite, or whose
   ``|w|_inf`` exceeds :data:`W_LIMIT`, is frozen at its last finite iterate and flagged
   (``diverged_at = t``); at checkpoints, a loss above :data:`LOSS_BLOWUP` times
   ``max(|f(w_0)|, 1)`` also stops it. Other replicas go on: never the run.

Memory is O(R d) plus the problem's data: no trajectory is stored.

Optional problem hooks the loop uses when present (beyond :class:`~boundcheck.problems.base.Problem`):
``stochastic_grad_and_grad(W, M, rng, xp) -> (g, grad f(W))`` (oracle problems: the exact
gradient for per-step metrics comes free) and ``value_and_grad(W, xp)`` (finite sums: one
pass over the data for f and grad f at checkpoints).
"""

from __future__ import annotations

import contextlib
import math
import time
from typing import Callable, Sequence

import numpy as np

from boundcheck.algorithms import ALGORITHMS
from boundcheck.algorithms.projections import make_projector
from boundcheck.algorithms.schedules import step_sizes
from boundcheck.validation import InputError, integer

from .backend import dtype_of, namespace, to_numpy
from .config import RunConfig
from .metrics import NEED_F_STAR, PER_STEP_GRAD, PER_STEP_LOSS, default_metrics, f_star_known
from .result import RunResult
from .streams import ReplicaStreams

#: An iterate with a coordinate beyond this magnitude counts as diverged (float64; float32
#: uses :data:`W_LIMIT_F32`).
W_LIMIT = 1e150
W_LIMIT_F32 = 1e30
#: A loss above this multiple of max(|f(w_0)|, 1) counts as diverged (checked at checkpoints).
LOSS_BLOWUP = 1e12


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
    metrics = tuple(cfg.metrics) if cfg.metrics is not None else default_metrics(problem, cfg.algorithm)
    _check_metrics(problem, cfg, metrics)
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
            parts.append(_run_block(problem, cfg, reps[sl], w0[sl], xp, dtype, metrics, etas, progress))
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


def _check_metrics(problem, cfg: RunConfig, metrics) -> None:
    if "trace_lambda" in metrics and cfg.algorithm == "sgd":
        raise InputError("metric 'trace_lambda' is not defined for sgd (no preconditioner)")
    if any(m in NEED_F_STAR for m in metrics) and not f_star_known(problem):
        bad = [m for m in metrics if m in NEED_F_STAR]
        raise InputError(f"metrics {', '.join(bad)} need f*, which problem {problem.name!r} does not know")


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


def _run_block(problem, cfg, reps, w0, xp, dtype, metrics, etas, progress) -> RunResult:
    R, d = w0.shape
    T = cfg.T
    cps = np.asarray(cfg.checkpoints, dtype=np.int64)
    alg = ALGORITHMS[cfg.algorithm]
    projector = make_projector(problem.domain, xp, dtype) if cfg.option == "I" else None
    streams = ReplicaStreams(cfg.seed, reps)
    f64 = xp.float64
    f_star = float(problem.f_star) if f_star_known(problem) else math.nan

    w_limit = W_LIMIT if cfg.dtype == "float64" else W_LIMIT_F32
    need_loss = any(m in PER_STEP_LOSS for m in metrics)
    need_grad = any(m in PER_STEP_GRAD for m in metrics)
    need_g2 = "g_sqrt_sum" in metrics
    need_n2 = "noise_sqrt_sum" in metrics
    M = cfg.batch_size

    w = xp.asarray(w0, dtype=dtype)
    state = alg.init(w, cfg.eps, xp)
    f0 = to_numpy(problem.loss(w, xp)).astype(np.float64)
    blowup = LOSS_BLOWUP * np.maximum(np.abs(f0), 1.0)

    sum_w = xp.zeros((R, d), dtype=f64)
    count = np.zeros(R, dtype=np.int64)  # iterates accumulated per replica
    acc = {}
    if need_loss:
        acc["loss"] = xp.zeros((R,), dtype=f64)
    if need_grad:
        for k in ("l1sq", "l2sq", "l2"):
            acc[k] = xp.zeros((R,), dtype=f64)
    g2 = xp.zeros((R, d), dtype=f64) if need_g2 else None
    n2 = xp.zeros((R, d), dtype=f64) if need_n2 else None

    active_np = np.ones(R, dtype=bool)
    active = xp.asarray(active_np)
    all_active = True
    diverged_at = np.full(R, -1, dtype=np.int64)
    out = {m: np.full((len(cps), R), np.nan) for m in metrics}
    k = 0

    for t in range(T):
        # ---- gradients at w_t
        if M is None:
            G = problem.grad(w, xp)
            g = G
        elif need_grad and hasattr(problem, "stochastic_grad_and_grad"):
            g, G = problem.stochastic_grad_and_grad(w, M, streams, xp)  # oracle: free
        else:
            g = problem.stochastic_grad(w, M, streams, xp)
            G = problem.grad(w, xp) if need_grad else None
        # ---- running sums over the iterates w_0 .. w_t (active replicas only)
        mask = None if all_active else active
        _add(sum_w, _f64(w, xp), mask, xp)
        count += active_np
        if need_loss:
            acc["loss"] = _added(acc["loss"], _f64(problem.loss(w, xp), xp), mask, xp)
        if need_grad:
            G64 = _f64(G, xp)
            l1 = xp.sum(xp.abs(G64), axis=-1)
            l2sq = xp.sum(G64 * G64, axis=-1)
            acc["l1sq"] = _added(acc["l1sq"], l1 * l1, mask, xp)
            acc["l2sq"] = _added(acc["l2sq"], l2sq, mask, xp)
            acc["l2"] = _added(acc["l2"], xp.sqrt(l2sq), mask, xp)
        if need_g2:
            g64 = _f64(g, xp)
            _add(g2, g64 * g64, mask, xp)
        if need_n2:
            nz = _f64(g, xp) - _f64(G, xp)
            _add(n2, nz * nz, mask, xp)
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
            vals = _checkpoint_values(problem, cfg, metrics, xp, w, state, sum_w, count, acc,
                                      g2, n2, f_star, d)
            # loss blow-up stops the replica here
            fw = vals.pop("_loss_w")
            blown = active_np & ~(np.isfinite(fw) & (fw <= blowup))
            if blown.any():
                diverged_at[blown] = tc
                active_np = active_np & ~blown
                active = xp.asarray(active_np)
                all_active = bool(active_np.all())
            valid = (diverged_at < 0) | ((diverged_at >= tc) & ~blown)
            for m in metrics:
                if m == "diverged":
                    out[m][k] = (~active_np).astype(np.float64)
                else:
                    row = np.asarray(vals[m], dtype=np.float64)
                    out[m][k] = np.where(valid, row, np.nan)
            if progress is not None:
                progress(tc, T)
            k += 1

    w_np = to_numpy(xp.astype(w, f64)).astype(np.float64, copy=True)
    avg = to_numpy(sum_w).astype(np.float64) / np.maximum(count, 1)[:, None]
    return RunResult(
        checkpoints=cps.copy(),
        metrics=out,
        final_iterate=w_np,
        average_iterate=avg,
        diverged=diverged_at >= 0,
        diverged_at=diverged_at,
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


def _checkpoint_values(problem, cfg, metrics, xp, w, state, sum_w, count, acc, g2, n2, f_star, d):
    """Per-replica metric values (NumPy float64) at the current checkpoint."""
    f64 = xp.float64
    vals = {}
    cnt = xp.asarray(np.maximum(count, 1).astype(np.float64))
    need_g = "grad_l1_sq" in metrics or "grad_l2_sq" in metrics
    if need_g and hasattr(problem, "value_and_grad"):
        f_w, G = problem.value_and_grad(w, xp)
    else:
        f_w = problem.loss(w, xp)
        G = problem.grad(w, xp) if need_g else None
    fw = to_numpy(xp.astype(f_w, f64)).astype(np.float64)
    vals["_loss_w"] = fw
    if "last_iterate_gap" in metrics:
        vals["last_iterate_gap"] = fw - f_star
    if "avg_iterate_gap" in metrics:
        wbar = xp.astype(sum_w / cnt[:, None], w.dtype)
        vals["avg_iterate_gap"] = to_numpy(xp.astype(problem.loss(wbar, xp), f64)) - f_star
    if need_g:
        G = xp.astype(G, f64)
        l1 = xp.sum(xp.abs(G), axis=-1)
        vals["grad_l1_sq"] = to_numpy(l1 * l1)
        vals["grad_l2_sq"] = to_numpy(xp.sum(G * G, axis=-1))
    if "mean_gap" in metrics:
        vals["mean_gap"] = to_numpy(acc["loss"] / cnt) - f_star
    for name, key in (("mean_grad_l1_sq", "l1sq"), ("mean_grad_l2_sq", "l2sq"), ("mean_grad_l2", "l2")):
        if name in metrics:
            vals[name] = to_numpy(acc[key] / cnt)
    if "trace_lambda" in metrics:
        vals["trace_lambda"] = to_numpy(xp.astype(ALGORITHMS[cfg.algorithm].trace_lambda(state, d, xp), f64))
    if "g_sqrt_sum" in metrics:
        vals["g_sqrt_sum"] = to_numpy(xp.sum(xp.sqrt(g2), axis=-1))
    if "noise_sqrt_sum" in metrics:
        vals["noise_sqrt_sum"] = to_numpy(xp.sum(xp.sqrt(n2), axis=-1))
    return vals


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
