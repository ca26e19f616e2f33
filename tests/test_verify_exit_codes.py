"""Exit-code policy of a finished run (issue 13), as a pure function."""

from boundcheck.errors import run_exit_code


def test_policy():
    assert run_exit_code(["holds", "inconclusive", "diverged"]) == 0
    assert run_exit_code(["holds", "violated"]) == 1
    assert run_exit_code(["error", "error"]) == 2  # nothing was checked: never 0
    assert run_exit_code(["holds", "error"]) == 0
    assert run_exit_code(["violated", "error"], internal_errors=1) == 3  # a crash is never exit 1
    assert run_exit_code(["error"], internal_errors=1) == 3
    assert run_exit_code(["agrees", "disagrees"]) == 0  # a prediction that fails is a finding, not a violation
    assert run_exit_code([]) == 0
