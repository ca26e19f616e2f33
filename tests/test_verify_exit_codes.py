"""Exit-code policy (issue 13) as a pure function."""

import click

from boundcheck.validation import InputError
from boundcheck.verify.exit_codes import exit_code, exit_code_for_exception


def test_policy():
    assert exit_code(["holds", "inconclusive", "diverged"]) == 0
    assert exit_code(["holds", "violated"]) == 1
    assert exit_code(["holds"], usage_error=True) == 2
    assert exit_code(["error", "error"]) == 2  # nothing was checked: never 0
    assert exit_code(["holds", "error"]) == 0
    assert exit_code(["violated", "error"], internal_errors=1) == 3  # a crash is never exit 1
    assert exit_code(["error"], internal_errors=1) == 3
    assert exit_code([]) == 0


def test_exceptions():
    assert exit_code_for_exception(InputError("bad")) == 2
    assert exit_code_for_exception(click.UsageError("bad")) == 2
    assert exit_code_for_exception(ZeroDivisionError()) == 3
    assert exit_code_for_exception(KeyboardInterrupt()) == 130
