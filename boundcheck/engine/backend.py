"""Array backends: the array-API namespace the engine computes in.

- ``numpy`` (default): NumPy >= 2 is itself an array-API namespace (older NumPy goes
  through ``array_api_compat.numpy``);
- ``cupy``: ``array_api_compat.cupy``, only when CuPy imports and sees a GPU; otherwise a
  one-line :class:`~boundcheck.validation.InputError`;
- ``array-api-strict``: the reference namespace, for tests proving no NumPy-only call leaks
  into the math.

Random numbers are drawn host-side (NumPy) and moved with :func:`asarray`.
"""

from __future__ import annotations

import numpy as np

from boundcheck.validation import InputError, choice

BACKENDS = ("numpy", "cupy", "array-api-strict")


def namespace(name: str):
    """The array namespace for backend ``name``."""
    choice("backend", name, BACKENDS)
    if name == "numpy":
        if int(np.__version__.split(".")[0]) >= 2:
            return np
        import array_api_compat.numpy as xnp

        return xnp
    if name == "array-api-strict":
        try:
            import array_api_strict
        except ImportError:
            raise InputError("backend 'array-api-strict' needs the array-api-strict package") from None
        return array_api_strict
    try:
        import cupy
    except Exception:  # ImportError, or a broken CUDA install
        raise InputError(
            "backend 'cupy' is unavailable: CuPy is not installed (pip install 'boundcheck[gpu]')"
        ) from None
    try:
        ngpu = cupy.cuda.runtime.getDeviceCount()
    except Exception:
        ngpu = 0
    if ngpu < 1:
        raise InputError("backend 'cupy' is unavailable: CuPy found no GPU")
    import array_api_compat.cupy as xcp

    return xcp


def dtype_of(xp, name: str):
    """``xp.float64`` or ``xp.float32`` for ``name`` in {'float64', 'float32'}."""
    choice("dtype", name, ("float64", "float32"))
    return getattr(xp, name)


def to_numpy(x) -> np.ndarray:
    """Any backend array -> a NumPy array (copying from the device if needed)."""
    if isinstance(x, np.ndarray):
        return x
    if hasattr(x, "get"):  # CuPy
        return x.get()
    try:
        return np.asarray(x)
    except Exception:
        # array-api-strict: go through DLPack / its buffer
        return np.from_dlpack(x)


def is_numpy(xp) -> bool:
    """True when ``xp`` computes on NumPy arrays (fast paths may use NumPy-only calls)."""
    return xp is np or getattr(xp, "__name__", "") in ("numpy", "array_api_compat.numpy")
