"""Memory a solve will need, estimated before allocating, against what the machine has.

A refusal is one line (:class:`boundcheck.validation.InputError`, exit 2 in the CLI) that
names the size, the estimate and what is available, instead of a process that grows for
minutes and is killed (issue 17: ``constants -p d=15000`` grew to 7 GB with no progress).
"""

from __future__ import annotations

import os

from boundcheck.validation import InputError


def available_bytes() -> int | None:
    """``MemAvailable`` from ``/proc/meminfo`` (Linux), else free physical pages from
    ``sysconf``; None when neither is known (then nothing is refused)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _gb(n: float) -> str:
    return f"{n / 2**30:.1f} GB"


def require(need: int, what: str, available: int | None = None) -> None:
    """InputError if ``need`` bytes exceed the available memory."""
    avail = available_bytes() if available is None else available
    if avail is not None and need > avail:
        raise InputError(f"{what} needs about {_gb(need)} of memory but {_gb(avail)} is "
                         "available; refusing before allocating")


__all__ = ["available_bytes", "require"]
