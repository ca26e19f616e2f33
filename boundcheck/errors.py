"""Errors a user can act on, and the exit code of each (the CLI's contract).

====  =====================================================================================
code  meaning
====  =====================================================================================
0     done; nothing violated
1     done; some row is ``violated``
2     usage error: a bad option, value or input file (:class:`~boundcheck.validation.InputError`)
3     internal error: a bug (one line; ``--debug`` shows the traceback)
4     an output cannot be written: ``--out``/``--plot`` is not a regular file or not
      writable, or standard output fails (e.g. a full disk) (:class:`OutputError`)
5     the results store is damaged: a stored cell fails its checksum or is not JSON, or the
      store's tables are not the schema this boundcheck writes (:class:`StoreError`)
130   interrupted (Ctrl-C); 141 standard output closed early (broken pipe); 143 terminated
====  =====================================================================================

A results store that cannot be *written* (read-only file or file system) is not an error:
the run goes on, prints every computed row, and says on stderr how many cells were not
stored. Both error classes are :class:`InputError` subclasses (one-line messages), so API
callers catching ``InputError`` keep working.
"""

from __future__ import annotations

from boundcheck.validation import InputError

EXIT_OK = 0
EXIT_VIOLATED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_OUTPUT = 4
EXIT_STORE = 5
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
EXIT_TERMINATED = 143


class OutputError(InputError):
    """An output (``--out``, ``--plot``, standard output) cannot be written."""

    exit_code = EXIT_OUTPUT


class StoreError(InputError):
    """The results store's content is damaged (see :mod:`boundcheck.store`)."""

    exit_code = EXIT_STORE


def exit_code(err: BaseException) -> int:
    """The exit code of a user-level error (2 unless the error says otherwise)."""
    return int(getattr(err, "exit_code", EXIT_USAGE))


def run_exit_code(verdicts, *, internal_errors: int = 0) -> int:
    """The exit code of a finished ``verify``/``sweep`` run from its rows' verdicts (issue 13):
    3 when any cell failed with an internal error (a crash is never reported as 1, and a
    violation next to it does not hide it); 1 when a row is ``violated``; 2 when *every* row is
    ``error`` (the inputs were refused: nothing was checked, so the run cannot pass); else 0.
    Comparison rows (``agrees``/``disagrees``) never fail a run. An empty run (collect-only on
    an empty store) is 0: nothing was claimed."""
    if internal_errors:
        return EXIT_INTERNAL
    v = list(verdicts)
    if "violated" in v:
        return EXIT_VIOLATED
    if v and all(x == "error" for x in v):
        return EXIT_USAGE
    return EXIT_OK


__all__ = ["EXIT_OK", "EXIT_VIOLATED", "EXIT_USAGE", "EXIT_INTERNAL", "EXIT_OUTPUT", "EXIT_STORE",
           "EXIT_INTERRUPTED", "EXIT_BROKEN_PIPE", "EXIT_TERMINATED", "OutputError", "StoreError",
           "exit_code", "run_exit_code"]
