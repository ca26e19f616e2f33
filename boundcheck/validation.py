"""One validation layer shared by the CLI and the Python API.

Every public entry point checks its parameters here, once, at the door (the scikit-learn
way); the math below trusts its inputs. A failed check raises :class:`InputError` whose
message is one line naming the bad value and what is allowed. The CLI turns it into a
one-line message on stderr and exit code 2, with no traceback (``--debug`` shows one).
"""

from __future__ import annotations

import difflib
import math
from numbers import Integral, Real
from typing import Iterable, Sequence


class InputError(ValueError):
    """Bad user input. ``str(err)`` is a single line fit for the user."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


def suggest(value: str, allowed: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest allowed name, or an empty string."""
    close = difflib.get_close_matches(str(value), list(allowed), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def choice(name: str, value: str, allowed: Sequence[str]) -> str:
    """``value`` if it is one of ``allowed``; otherwise an InputError naming the choices."""
    if value in allowed:
        return value
    raise InputError(
        f"unknown {name} {value!r}{suggest(value, allowed)}; allowed: {', '.join(map(str, allowed))}"
    )


def as_float(name: str, value) -> float:
    """Parse ``value`` as a finite real number."""
    if isinstance(value, bool):
        raise InputError(f"{name}={value!r} is not a number")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}={value!r} is not a number") from None
    if not math.isfinite(x):
        raise InputError(f"{name}={value!r} must be finite")
    return x


def real(
    name: str,
    value,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A finite real in the interval given by ``low``/``high`` (closed unless ``*_open``)."""
    x = as_float(name, value)
    bad = (
        (low is not None and (x < low or (low_open and x == low)))
        or (high is not None and (x > high or (high_open and x == high)))
    )
    if bad:
        lo = "(-inf" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + (")" if high_open else "]")
        raise InputError(f"{name}={value!r} is out of range; allowed: {lo}, {hi}")
    return x


def positive(name: str, value) -> float:
    """A finite real > 0."""
    return real(name, value, low=0.0, low_open=True)


def nonnegative(name: str, value) -> float:
    """A finite real >= 0."""
    return real(name, value, low=0.0)


def integer(name: str, value, *, low: int | None = None, high: int | None = None) -> int:
    """An integer in [low, high]. Accepts ints and integral strings/floats ('1000', 1e3)."""
    if isinstance(value, bool):
        raise InputError(f"{name}={value!r} is not an integer")
    if isinstance(value, Integral):
        k = int(value)
    else:
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{name}={value!r} is not an integer") from None
        if not math.isfinite(x) or x != int(x):
            raise InputError(f"{name}={value!r} is not an integer")
        k = int(x)
    if (low is not None and k < low) or (high is not None and k > high):
        lo = "-inf" if low is None else str(low)
        hi = "inf" if high is None else str(high)
        raise InputError(f"{name}={value!r} is out of range; allowed: integers in [{lo}, {hi}]")
    return k


def probability_open(name: str, value) -> float:
    """A real strictly between 0 and 1 (e.g. a confidence level)."""
    return real(name, value, low=0.0, high=1.0, low_open=True, high_open=True)


def int_list(name: str, text, *, low: int | None = 1, high: int | None = None) -> list[int]:
    """A comma-separated list of integers (``"100,1000,1e4"``), each checked by :func:`integer`.

    An empty list or an empty entry (``"100,,1000"``, ``"100,"``) is refused, not skipped."""
    parts = [p.strip() for p in str(text).split(",")]
    if any(p == "" for p in parts):
        raise InputError(f"{name}={text!r} has an empty entry; allowed: comma-separated integers, e.g. 100,1000")
    return [integer(name, p, low=low, high=high) for p in parts]


def regular_file(name: str, path, allowed: str = "a regular file") -> str:
    """``path`` as a string if it names an existing regular file (symlinks followed);
    otherwise an InputError naming it and what it is. Directories, FIFOs, sockets and devices
    are refused before anything opens them: reading a FIFO that has no writer blocks forever,
    and a device is not data."""
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{name} {str(path)!r}: no such file") from None
    except OSError as err:
        raise InputError(f"{name} {str(path)!r} cannot be read: {err.strerror or err}") from None
    if stat.S_ISREG(mode):
        return str(path)
    kind = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a regular file")
    raise InputError(f"{name} {str(path)!r} is {kind}; allowed: {allowed}")


def finite_array(name: str, array):
    """``array`` (dense NumPy or SciPy sparse) if every entry is finite; otherwise an
    InputError naming the first non-finite entry and its (0-based) index."""
    import numpy as np

    if hasattr(array, "tocoo"):  # SciPy sparse: only stored entries can be non-finite
        coo = array.tocoo()
        bad = np.flatnonzero(~np.isfinite(coo.data))
        if bad.size:
            k = bad[0]
            raise InputError(f"{name} has a non-finite entry {float(coo.data[k])!r} at [{coo.row[k]}, {coo.col[k]}]; "
                             "allowed: finite numbers")
        return array
    a = np.asarray(array)
    if a.dtype.kind in "biu":
        return array
    bad = np.argwhere(~np.isfinite(a))
    if bad.size:
        idx = tuple(int(i) for i in bad[0])
        where = ", ".join(map(str, idx))
        raise InputError(f"{name} has a non-finite entry {float(a[idx])!r} at [{where}]; allowed: finite numbers")
    return array


__all__ = [
    "InputError",
    "suggest",
    "choice",
    "as_float",
    "real",
    "positive",
    "nonnegative",
    "integer",
    "probability_open",
    "int_list",
    "regular_file",
    "finite_array",
    "Real",
]
