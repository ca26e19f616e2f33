"""The ``boundcheck`` command line.

Each command family lives in its own module and adds itself to the group through
``register(cli)``:

- :mod:`boundcheck.cli.theory_cmds`: ``theorems``, ``show``, ``bound`` (the theory layer)
- :mod:`boundcheck.cli.run_cmd`: ``run`` (the simulation engine)
- :mod:`boundcheck.cli.constants_cmd`: ``constants`` (problem constants)
- :mod:`boundcheck.cli.verify_cmd`: ``verify`` (bound vs empirical)
- :mod:`boundcheck.cli.sweep_cmd`: ``sweep NAME``, one subcommand per registered sweep

Errors: every failure is one line on stderr, ``boundcheck: error: ...``, with the exit code
of :mod:`boundcheck.errors` (2 usage, 3 internal error, 4 an output cannot be written, 5 a
damaged results store, 130/141/143 interrupted / broken pipe / terminated); no traceback
unless ``--debug`` is given, before the command or anywhere after it.

Shell completion (bash, zsh, fish) is click's: ``eval "$(_BOUNDCHECK_COMPLETE=bash_source
boundcheck)"`` (``zsh_source``; fish: ``_BOUNDCHECK_COMPLETE=fish_source boundcheck | source``).
"""

from __future__ import annotations

import errno
import os
import sys

import click

from boundcheck import __version__
from boundcheck.errors import (EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OUTPUT,
                               EXIT_TERMINATED, EXIT_USAGE, exit_code)
from boundcheck.validation import InputError

from . import constants_cmd, run_cmd, sweep_cmd, theory_cmds, verify_cmd
from .options import add_debug_option

_COMMAND_MODULES = (theory_cmds, run_cmd, constants_cmd, verify_cmd, sweep_cmd)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="boundcheck")
@click.option("--debug", is_flag=True, help="Show full tracebacks (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """boundcheck: put a theorem's bound next to what the algorithm actually does.

    First subject: Liu, Pan, Zhang, "AdaGrad under Anisotropic Smoothness" (ICLR 2025)
    and its SGD / AdaGrad-Norm baselines.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


for _module in _COMMAND_MODULES:
    _module.register(cli)


def _first_paragraph(text: str | None) -> str | None:
    """A command's first help paragraph on one line (the listing in ``--help``)."""
    if not text:
        return None
    para = text.strip().split("\n\n", 1)[0]
    return " ".join(para.replace("\b", " ").split())


def _finish(command: click.Command) -> None:
    """Every command (and sweep's subcommands): ``--debug`` accepted after the command name
    too (``boundcheck theorems --debug``), and a listing line that is the help's whole first
    paragraph (click cuts it at 45 characters or at the first '.', as in 'e.g.')."""
    add_debug_option(command)
    if command.short_help is None:
        command.short_help = _first_paragraph(command.help)
    for sub in getattr(command, "commands", {}).values():
        _finish(sub)


for _command in cli.commands.values():
    _finish(_command)


# click >= 8.2 raises this when a group is called with no arguments; older clicks exit.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _invoke(args: list[str]):
    """``cli.main(standalone_mode=False)`` without click's own Ctrl-C handling (which writes
    an empty line to stderr before raising Abort): KeyboardInterrupt reaches :func:`main`,
    which prints one line and exits 130. ``ctx.exit(code)`` returns ``code``."""
    try:
        with cli.make_context("boundcheck", args) as ctx:
            return cli.invoke(ctx)
    except click.exceptions.Exit as err:
        return err.exit_code


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so the run unwinds as on Ctrl-C (worker processes
    are stopped, finished cells are already stored). Not an Exception: nothing swallows it."""


def _on_sigterm(signum, frame):
    raise _Terminated()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI, turning user errors into exit code 2.

    SIGTERM is handled like Ctrl-C (one line, exit 143) while the command runs."""
    import signal
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


_COMPLETE_VAR = "_BOUNDCHECK_COMPLETE"

#: errno values that mean "this stream cannot take more output" (a full disk, a quota, an I/O error).
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null so the interpreter's final flush of buffered
    output cannot fail a second time (no 'Exception ignored' noise at exit)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _fail(message: str, code: int) -> None:
    try:
        click.echo(f"boundcheck: error: {_one_line(message)}", err=True)
    except OSError:
        pass
    sys.exit(code)


def _main(argv: list[str] | None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    instruction = os.environ.get(_COMPLETE_VAR)
    if instruction:  # shell completion (click's protocol; see the module docstring)
        from click.shell_completion import shell_complete

        sys.exit(shell_complete(cli, {}, "boundcheck", _COMPLETE_VAR, instruction))
    debug = "--debug" in args
    try:
        rv = _invoke(args)
        sys.stdout.flush()  # a full stdout fails here, inside the handlers below
    except InputError as err:  # OutputError (4) and StoreError (5) are InputErrors too
        if debug:
            raise
        if exit_code(err) == EXIT_OUTPUT:
            _silence_stdout()
        _fail(str(err), exit_code(err))
    except _NO_ARGS_IS_HELP as err:  # click >= 8.2: a group called with no arguments
        click.echo(err.ctx.get_help() if err.ctx else str(err))
        sys.exit(0)
    except click.UsageError as err:
        if debug:
            raise
        hint = f" (see 'boundcheck {err.ctx.command_path.split(' ', 1)[-1]} --help')" if (
            err.ctx is not None and " " in err.ctx.command_path) else " (see 'boundcheck --help')"
        _fail(f"{err.format_message()}{hint}", EXIT_USAGE)
    except click.ClickException as err:
        if debug:
            raise
        _fail(err.format_message(), EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("boundcheck: aborted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("boundcheck: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except _Terminated:
        click.echo("boundcheck: terminated", err=True)
        sys.exit(EXIT_TERMINATED)
    except MemoryError as err:  # a size the machine cannot hold: one line, not a traceback
        if debug:
            raise
        detail = _one_line(err) or "MemoryError"
        _fail(f"out of memory ({detail}); allowed: a smaller problem (d, n, T, M or --seeds)", EXIT_USAGE)
    except BrokenPipeError:  # e.g. `boundcheck theorems | head -1`: the reader left, nothing failed
        _silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except OSError as err:
        if debug:
            raise
        if err.filename is None and err.errno in _WRITE_ERRNOS:  # a stream, not a named file: stdout
            _silence_stdout()
            _fail(f"cannot write to standard output ({err.strerror or err})", EXIT_OUTPUT)
        _fail(f"internal error: {type(err).__name__}: {err} (a bug: rerun with --debug and report the "
              "traceback)", EXIT_INTERNAL)
    except Exception as err:  # noqa: BLE001 - a crash is one line and exit 3, never exit 1
        if debug:
            raise
        _fail(f"internal error: {type(err).__name__}: {err} (a bug: rerun with --debug and report the "
              "traceback)", EXIT_INTERNAL)
    sys.exit(rv if isinstance(rv, int) else 0)


__all__ = ["cli", "main"]
