"""Compiled kernels: numba when it is importable, a NumPy reference with the same bits otherwise.

The engine's hot paths (the fused minibatch GLM gradient, the per-replica normal streams, the
AdaGrad step) each have two implementations: a numba kernel and a NumPy *reference* that
performs the same floating-point operations in the same order, so a result never depends on
whether numba is installed (the tests compare the two bit for bit). The kernels are compiled
without ``fastmath`` (no reassociation, no FMA contraction): every sum's order is the one the
code writes down, on every CPU.

``BOUNDCHECK_THREADS=N`` lets the replica-parallel kernels use N threads (default 1, see
:func:`set_threads`); ``BOUNDCHECK_JIT=0`` in the environment forces the NumPy references (for tests, and to rule
the compiler out when hunting a discrepancy). numba is imported lazily, on the first call of a
hot path, so commands that never run the engine (``boundcheck --help``, ``theorems``) do not
pay for it. Compiled kernels are cached on disk (numba's ``cache=True``, next to the sources
or in ``NUMBA_CACHE_DIR``), so a new process loads them instead of compiling them again.
"""

from __future__ import annotations

import os
from typing import Callable

_NUMBA = None  # None: not looked up yet; False: unavailable or disabled; else the module


def numba_module():
    """The numba module, or None when it is not installed or ``BOUNDCHECK_JIT=0``."""
    global _NUMBA
    if _NUMBA is None:
        if os.environ.get("BOUNDCHECK_JIT", "1").strip().lower() in ("0", "false", "no", "off"):
            _NUMBA = False
        else:
            try:
                import numba
            except Exception:  # ImportError, or a numba that does not match this NumPy
                _NUMBA = False
            else:
                _NUMBA = numba
                set_threads(_env_threads())
    return _NUMBA or None


def enabled() -> bool:
    """True when the compiled kernels are used."""
    return numba_module() is not None


class Kernel:
    """A function compiled by numba on first use, or None.

    Options: ``cache=True`` (compiled once per machine), ``nogil=True``, and
    ``error_model="numpy"``: division and square root follow IEEE 754 (inf/NaN) instead of
    raising Python's ZeroDivisionError, which is what NumPy does and what lets the compiler
    vectorize loops that divide (measured: the AdaGrad step stayed scalar without it).

    ``Kernel(py_func).get()`` returns the compiled function, or None when numba is unavailable
    (the caller then runs its NumPy reference). Compilation errors propagate: a kernel that
    does not compile is a bug, not a reason to fall back silently.
    """

    def __init__(self, func: Callable, parallel: bool = False):
        self.func = func
        self.parallel = parallel
        self._compiled = None

    def get(self):
        if self._compiled is None:
            nb = numba_module()
            if nb is None:
                return None
            func = self.func
            # kernels a kernel calls are compiled first and seen compiled; ``prange`` is the
            # module-level ``range`` until numba is imported
            subs = {name: val.get() for name, val in func.__globals__.items()
                    if isinstance(val, Kernel) and val is not self and name in func.__code__.co_names}
            if self.parallel:
                subs["prange"] = nb.prange
            if subs:
                import types

                func = types.FunctionType(func.__code__, {**func.__globals__, **subs},
                                          func.__name__, func.__defaults__, func.__closure__)
                func.__module__, func.__qualname__ = self.func.__module__, self.func.__qualname__
            self._compiled = nb.njit(cache=True, nogil=True, error_model="numpy", parallel=self.parallel)(func)
        return self._compiled

    def __call__(self, *args):
        """The plain Python function (the NumPy references call kernels' helpers this way)."""
        return self.func(*args)


def kernel(func: Callable) -> Kernel:
    """Decorator: wrap ``func`` (numba-compatible Python) as a lazily compiled :class:`Kernel`."""
    return Kernel(func)


def parallel_kernel(func: Callable) -> Kernel:
    """Like :func:`kernel`, compiled with ``parallel=True``: its ``prange`` loops over replicas
    run on numba's threads (``NUMBA_NUM_THREADS``; :func:`set_threads`). Such a loop must
    compute each iteration the same way whatever thread runs it, so the thread count never
    changes a bit."""
    return Kernel(func, parallel=True)


#: ``range`` for the NumPy references and the type checker; numba compiles it as a parallel loop.
prange = range


def _env_threads() -> int | None:
    """``BOUNDCHECK_THREADS`` (default 1; ``all``: every core numba sees)."""
    raw = os.environ.get("BOUNDCHECK_THREADS", "1").strip().lower()
    if raw in ("all", ""):
        return None
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


def set_threads(n: int | None) -> None:
    """Use at most ``n`` threads in the parallel kernels (None: every core numba sees).

    The default is 1 (``BOUNDCHECK_THREADS``): on a machine shared with other jobs, threads
    that wait for each other's descheduled partner made the W1 kernel 2-3x *slower*
    (measured with ``benchmarks/engine.py --threads 2`` at load 7 on 2 cores), and ``--workers``
    already spreads cells over processes. Results never depend on it."""
    nb = numba_module()
    if nb is None:
        return
    nb.set_num_threads(nb.config.NUMBA_NUM_THREADS if n is None else max(1, min(int(n), nb.config.NUMBA_NUM_THREADS)))


__all__ = ["numba_module", "enabled", "Kernel", "kernel", "parallel_kernel", "prange", "set_threads"]
