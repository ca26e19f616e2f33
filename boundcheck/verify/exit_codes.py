"""Exit-code policy of ``boundcheck verify`` / ``sweep`` (issue 13), as a pure function.

====  =====================================================================================
code  meaning
====  =====================================================================================
0     every row was checked and none is ``violated`` (rows may be ``holds``,
      ``inconclusive``, ``diverged``, or some ``error`` rows among checked ones)
1     at least one row is ``violated`` (after family-wise control) and nothing crashed
2     usage error: bad input, or a run in which *every* row is ``error`` because the inputs
      were refused (e.g. the problem fails every requested theorem's assumptions): nothing
      was checked, so the run cannot pass
3     internal error: a crash, or any cell that failed with an unexpected exception; it
      takes precedence over 1 (a crash is never reported as a violation, and a violation
      next to a crash does not hide the crash)
====  =====================================================================================

Interrupts keep their own codes (130 for Ctrl-C, 143 for SIGTERM; see :mod:`boundcheck.cli`).
"""

from __future__ import annotations

from typing import Iterable

EXIT_OK = 0
EXIT_VIOLATED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def exit_code(verdicts: Iterable[str], *, internal_errors: int = 0, usage_error: bool = False) -> int:
    """The exit code of a run with these row ``verdicts`` (see the table above).

    ``internal_errors``: cells that failed with an unexpected exception (their rows read
    ``error``); ``usage_error``: the run was refused at the door. An empty run (no rows, e.g.
    collect-only on an empty store) is 0: nothing was claimed."""
    if usage_error:
        return EXIT_USAGE
    if internal_errors:
        return EXIT_INTERNAL
    v = list(verdicts)
    if "violated" in v:
        return EXIT_VIOLATED
    if v and all(x == "error" for x in v):
        return EXIT_USAGE
    return EXIT_OK


def exit_code_for_exception(err: BaseException) -> int:
    """The code of a run that ended with ``err``: a user-level error (``InputError``, a click
    usage error) is 2; Ctrl-C is 130; anything else is an internal error, 3 (never 1)."""
    from boundcheck.validation import InputError

    if isinstance(err, KeyboardInterrupt):
        return 130
    if isinstance(err, InputError):
        return EXIT_USAGE
    try:
        import click

        if isinstance(err, click.UsageError):
            return EXIT_USAGE
    except ImportError:  # pragma: no cover - click is a core dependency
        pass
    return EXIT_INTERNAL


__all__ = ["EXIT_OK", "EXIT_VIOLATED", "EXIT_USAGE", "EXIT_INTERNAL", "exit_code", "exit_code_for_exception"]
