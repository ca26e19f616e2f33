"""What a sweep is: a declared family of cells with its own options and summary rows.

A :class:`Sweep` (kind ``sweep`` in :mod:`boundcheck.registry`) is one ``boundcheck sweep NAME``
subcommand: its options (:class:`SweepOption`: flags, help, a parser from the command-line
text), whether it takes a problem (``--problem``/``--data``) and a positional argument, a
``plan`` that turns the parsed options into cell specs, and ``rows`` that turns the finished
cells into output rows (often with summary rows of its own: a rate fit, a ratio, a comparison).
The CLI builds the subcommand from the declaration; a plugin adds a sweep the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class SweepOption:
    """One option of a sweep: ``flags`` (``("--d",)``), the keyword ``name`` it is passed to
    ``plan`` as, ``parse(text) -> value`` (InputError on a bad value; None: keep the text) and
    ``default`` (used when the option is not given, and shown in ``--help`` as typed on the
    command line; None means "the sweep's own default", then say it in ``help``)."""

    name: str
    flags: tuple[str, ...]
    help: str
    metavar: str = ""
    parse: Callable[[str], Any] | None = field(default=None, compare=False)
    default: Any = None


@dataclass(frozen=True)
class Sweep:
    """A registered sweep (see the module docstring).

    ``plan(problem=..., seeds=..., seed=..., **options) -> [cell spec]``;
    ``rows(outcomes, confidence) -> [row]`` (cells that are missing or failed are reported by
    the CLI and may be skipped here). ``problem``: takes ``--problem``/``--data``;
    ``argument``: the name of an optional positional argument (e.g. a theorem id).
    """

    name: str
    help: str
    plan: Callable[..., list[dict]] = field(repr=False, compare=False)
    rows: Callable[[list, float], list[dict]] = field(repr=False, compare=False)
    title: str = ""
    options: tuple[SweepOption, ...] = ()
    problem: bool = True
    argument: str | None = None
    argument_metavar: str = ""
    #: replicas per cell when ``--seeds`` is not given (stated in ``--help``; the plan uses it)
    seeds_default: int | None = None
    #: ``estimate(specs) -> seconds`` (rough, on a 2-core machine) for a time hint before a long run;
    #: None: no hint
    estimate: Callable[[list[dict]], float] | None = field(default=None, repr=False, compare=False)


# ---------------------------------------------------------------------- option parsers
# ``SweepOption.parse`` factories every sweep declaration uses: each returns ``parse(text)``
# that raises an InputError naming the flag, the bad entry and what is allowed.
def integer_option(flag: str, low: int = 1, high: int | None = None) -> Callable[[str], int]:
    """One integer in ``[low, high]``."""
    def parse(text: str) -> int:
        from boundcheck.validation import integer

        return integer(flag, text, low=low, high=high)
    return parse


def integer_list_option(flag: str, low: int = 1, high: int | None = None) -> Callable[[str], list[int]]:
    """A comma list of distinct integers in ``[low, high]`` (``1e4`` accepted)."""
    def parse(text: str) -> list[int]:
        from boundcheck.validation import InputError, int_list

        out = int_list(flag, text, low=low, high=high)
        if len(set(out)) != len(out):
            raise InputError(f"{flag} {text!r} lists a value twice")
        return out
    return parse


def positive_option(flag: str) -> Callable[[str], float]:
    """One number > 0."""
    def parse(text: str) -> float:
        from boundcheck.validation import positive

        return positive(flag, text)
    return parse


def positive_list_option(flag: str) -> Callable[[str], list[float]]:
    """A comma list of numbers > 0."""
    def parse(text: str) -> list[float]:
        from boundcheck.validation import InputError, positive

        parts = [p.strip() for p in str(text).split(",")]
        if any(p == "" for p in parts):
            raise InputError(f"{flag}={text!r} has an empty entry; allowed: comma-separated numbers > 0")
        return [positive(flag, p) for p in parts]
    return parse


def names_option(flag: str) -> Callable[[str], list[str]]:
    """A comma list of distinct non-empty names."""
    def parse(text: str) -> list[str]:
        from boundcheck.validation import InputError

        parts = [p.strip() for p in str(text).split(",")]
        if not parts or any(p == "" for p in parts):
            raise InputError(f"{flag} {text!r} has an empty entry; allowed: a comma-separated list")
        if len(set(parts)) != len(parts):
            raise InputError(f"{flag} {text!r} lists a value twice")
        return parts
    return parse


__all__ = ["Sweep", "SweepOption", "integer_option", "integer_list_option", "positive_option",
           "positive_list_option", "names_option"]
