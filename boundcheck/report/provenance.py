"""Provenance attached to every output: what produced these numbers, where and when."""

from __future__ import annotations

import datetime as _dt
import platform
import sys

from boundcheck import __version__


def provenance(command: str | None = None, seed: int | None = None, **extra) -> dict:
    """boundcheck version, code version, seed, UTC date, platform, Python and key libraries."""
    import numpy
    import scipy
    import sympy

    from boundcheck.store import code_version

    info = {
        "boundcheck_version": __version__,
        "code_version": code_version(),
        "command": command,
        "seed": seed,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "sympy": sympy.__version__,
    }
    info.update(extra)
    return info
