"""The ``boundcheck`` command line.

Each command family lives in its own module and adds itself to the group through
``register(cli)``:

- :mod:`boundcheck.cli.theory_cmds`: ``theorems``, ``show``, ``bound`` (the theory layer)
- :mod:`boundcheck.cli.run_cmd`: ``run`` (the simulation engine)
- :mod:`boundcheck.cli.constants_cmd`: ``constants`` (problem constants)
- :mod:`boundcheck.cli.verify_cmd`: ``verify``, ``sweep`` (bound vs empirical)

Errors: any :class:`boundcheck.validation.InputError` or click usage error becomes one
line on stderr, ``boundcheck: error: ...``, and exit code 2; no traceback unless
``--debug`` is given.
"""

from __future__ import annotations

import os
import sys

import click

from boundcheck import __version__
from boundcheck.validation import InputError

from . import constants_cmd, run_cmd, theory_cmds, verify_cmd

_COMMAND_MODULES = (theory_cmds, run_cmd, constants_cmd, verify_cmd)


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


def _main(argv: list[str] | None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        rv = _invoke(args)
    except InputError as err:
        if debug:
            raise
        click.echo(f"boundcheck: error: {_one_line(err)}", err=True)
        sys.exit(2)
    except _NO_ARGS_IS_HELP as err:  # click >= 8.2: a group called with no arguments
        click.echo(err.ctx.get_help() if err.ctx else str(err))
        sys.exit(0)
    except click.UsageError as err:
        if debug:
            raise
        hint = f" (see 'boundcheck {err.ctx.command_path.split(' ', 1)[-1]} --help')" if (
            err.ctx is not None and " " in err.ctx.command_path) else " (see 'boundcheck --help')"
        click.echo(f"boundcheck: error: {_one_line(err.format_message())}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as err:
        if debug:
            raise
        click.echo(f"boundcheck: error: {_one_line(err.format_message())}", err=True)
        sys.exit(err.exit_code if err.exit_code else 1)
    except click.exceptions.Abort:
        click.echo("boundcheck: aborted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("boundcheck: interrupted", err=True)
        sys.exit(130)
    except _Terminated:
        click.echo("boundcheck: terminated", err=True)
        sys.exit(143)
    except MemoryError as err:  # a size the machine cannot hold: one line, not a traceback
        if debug:
            raise
        detail = _one_line(err) or "MemoryError"
        click.echo(f"boundcheck: error: out of memory ({detail}); allowed: a smaller problem "
                   "(d, n, T, M or --seeds)", err=True)
        sys.exit(2)
    except BrokenPipeError:  # e.g. `boundcheck theorems | head -1`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)


__all__ = ["cli", "main"]
