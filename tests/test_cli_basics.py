"""The CLI's error contract: user errors are one line on stderr and exit code 2."""

import subprocess
import sys


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "boundcheck", *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0
    assert "boundcheck" in r.stdout


def test_unknown_command_is_one_line_exit_2():
    r = run("no-such-command")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boundcheck: error:")
    assert "Traceback" not in r.stderr
