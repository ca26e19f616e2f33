"""Progress lines with an ETA for long solves, on stderr.

Shown only when asked (``enabled=True``) or, by default (``enabled=None``), when stderr is
a terminal and the job has run for 2 s: a piped or captured run (tests, ``--format json >
file``) and a short solve stay silent. On a
terminal the line is rewritten in place (``\\r``); otherwise each update is a new line.
Updates are throttled (one per ``min_interval`` seconds) so that a fast solve prints
nothing at all.

The ETA is the caller's estimate of the seconds left (the diagonal solver extrapolates the
measured rate of decrease of its log gradient norm, see :mod:`boundcheck.constants.diagonal`)
or ``elapsed (1 - f) / f`` for an estimated fraction ``f`` done; it is labelled "ETA ~"
because it is an estimate.
"""

from __future__ import annotations

import sys
import time


def _fmt_seconds(s: float) -> str:
    if s < 60:
        return f"{s:.0f} s"
    if s < 3600:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


class Progress:
    """Throttled progress reporting (see the module docstring)."""

    #: when any Progress last wrote (so a heartbeat can yield to a more detailed line)
    last_write = -float("inf")

    def __init__(self, label: str, enabled: bool | None = None, stream=None,
                 min_interval: float = 1.0, delay: float | None = None):
        self.stream = sys.stderr if stream is None else stream
        # on a terminal by default, but silent for the first 2 s: short solves print nothing
        self.delay = (2.0 if enabled is None else 0.0) if delay is None else delay
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = bool(enabled)
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.min_interval = min_interval
        self.t0 = time.perf_counter()
        self._last = -float("inf")
        self._printed = False

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def update(self, message: str, fraction: float | None = None, force: bool = False,
               eta: float | None = None, yield_to_others: float | None = None) -> None:
        """Write ``message`` (throttled). ``yield_to_others``: skip it when another Progress wrote
        within that many seconds (a heartbeat under a more detailed line)."""
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.t0 < self.delay or (not force and now - self._last < self.min_interval):
            return
        if yield_to_others is not None and Progress.last_write > self._last and \
                now - Progress.last_write < yield_to_others:
            return
        self._last = now
        el = now - self.t0
        line = f"{self.label}: {message}, {_fmt_seconds(el)} elapsed"
        if eta is not None and eta >= 0:
            line += f", ETA ~{_fmt_seconds(eta)}"
        elif fraction is not None and 0.02 <= fraction < 1:
            line += f", ETA ~{_fmt_seconds(el * (1 - fraction) / fraction)}"
        if self.tty:
            self.stream.write("\r\x1b[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self._printed = True
        Progress.last_write = now

    def heartbeat(self, status, interval: float = 1.0) -> "callable":
        """Re-write ``status() -> (message, fraction)`` every ``interval`` seconds from a daemon
        thread while a long step gives no update of its own (yielding to other progress lines);
        returns ``stop()``."""
        import threading

        if not self.enabled:
            return lambda: None
        done = threading.Event()

        def beat():
            while not done.wait(interval):
                message, fraction = status()
                self.update(message, fraction=fraction, yield_to_others=3 * interval)

        thread = threading.Thread(target=beat, name="boundcheck-progress", daemon=True)
        thread.start()

        def stop():
            done.set()
            thread.join()
        return stop

    def close(self, message: str | None = None) -> None:
        if not self.enabled:
            return
        if message is not None:
            self.update(message, force=True)
        if self._printed and self.tty:
            self.stream.write("\n")
            self.stream.flush()


__all__ = ["Progress"]
