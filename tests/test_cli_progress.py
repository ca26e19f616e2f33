"""Long commands say where they are (issue 15, point 7): a progress bar with an ETA on a
terminal, a line a minute with an ETA otherwise, the constants' stages with an ETA, and a
time hint before a large ``sweep dimension``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from boundcheck.cli import main

SMALL = ["thm4.1", "--problem", "exptail-logistic", "--d", "6", "-p", "n=48", "--T", "20,40", "--seeds", "3",
         "--no-cache"]


def test_piped_run_prints_progress_lines_with_an_eta(capsys, monkeypatch):
    from boundcheck.cli import options

    monkeypatch.setattr(options, "PROGRESS_LINE_INTERVAL", 0.0)  # a line per cell instead of per minute
    with pytest.raises(SystemExit) as ex:
        main(["verify", *SMALL, "--format", "json"])
    assert ex.value.code == 0
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("boundcheck: verify: ")]
    assert lines and re.search(r"1/2 cells, \d+ s elapsed, ETA ~\d+ s", lines[0]), err


def test_quiet_and_short_runs_print_no_progress_line(capsys):
    for extra in (["--quiet"], []):  # short: under a minute
        with pytest.raises(SystemExit):
            main(["verify", *SMALL, "--format", "json", *extra])
        assert "cells," not in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
def test_terminal_shows_a_bar_with_an_eta(tmp_path):
    cmd = " ".join([sys.executable, "-m", "boundcheck", "verify", *SMALL, "--out", str(tmp_path / "r.json")])
    r = subprocess.run(["script", "-qc", cmd, "/dev/null"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "COLUMNS": "120"})
    assert r.returncode == 0, r.stdout
    assert "ETA" in r.stdout and "verify" in r.stdout


def test_constants_stages_with_an_eta(capfd, monkeypatch):
    from boundcheck.constants import progress
    from boundcheck.constants.assemble import problem_constants
    from boundcheck.problems import make_problem

    enabled, stream, _, delay = progress.Progress.__init__.__defaults__
    monkeypatch.setattr(progress.Progress.__init__, "__defaults__", (enabled, stream, 0.0, delay))  # no throttle

    problem_constants(make_problem("exptail-logistic", d=12, n=40), progress=True)
    err = capfd.readouterr().err
    stages = re.findall(r"constants \(d=12\): (\w+) \((\d+)/(\d+)\)", err)
    assert [s[0] for s in stages][:2] == ["L", "H_structure"] and {s[2] for s in stages} == {"20"}
    assert any("ETA ~" in ln for ln in err.splitlines())
    problem_constants(make_problem("exptail-logistic", d=12, n=40))  # not a terminal: silent
    assert "constants (d=12)" not in capfd.readouterr().err


class _Stop(BaseException):
    pass


@pytest.mark.parametrize("ds, hinted", [("16", False), ("16,64,256,1024", True), ("4096", True)])
def test_sweep_dimension_gives_a_time_hint_before_a_long_run(ds, hinted, capsys, monkeypatch):
    from boundcheck.cli import cli, sweep_cmd

    def stop(*a, **k):
        raise _Stop()

    monkeypatch.setattr(sweep_cmd, "execute_plan", stop)
    with pytest.raises(_Stop):
        cli.main(["sweep", "dimension", "--d", ds, "--no-cache"], standalone_mode=False, prog_name="boundcheck")
    err = capsys.readouterr().err
    hint = re.search(r"boundcheck: sweep dimension: (\d+) cells, roughly ([\d.]+) (s|min|h) on a 2-core machine", err)
    assert (hint is not None) == hinted, err
    if hinted and ds == "4096":
        assert hint.group(3) == "min" and float(hint.group(2)) > 5


def test_dimension_estimate_follows_the_measured_costs():
    """The cost model against the measurements it was fitted to (DIM_COST_1024's comment)."""
    from boundcheck.verify import sweeps

    for d, measured in ((64, 5.7), (512, 13.1), (1024, 31.9), (2048, 106.5)):
        specs = sweeps.dimension_plan(ds=[d], taus=[0.5], T=None, M=None, seeds=None, seed=0)
        assert 0.6 * measured < sweeps.dimension_estimate(specs) < 1.6 * measured


def test_heartbeat_keeps_a_long_stage_alive_and_yields_to_detailed_lines():
    import io
    import time

    from boundcheck.constants.progress import Progress

    out = io.StringIO()
    prog = Progress("constants (d=9)", enabled=True, stream=out, min_interval=0.0, delay=0.0)
    stop = prog.heartbeat(lambda: ("L (1/20): H by provider smoothness-matrix", 0.0), interval=0.05)
    time.sleep(0.4)
    stop()
    beats = out.getvalue().splitlines()
    assert len(beats) >= 3 and all("H by provider smoothness-matrix" in b for b in beats)
    # a more detailed line (the diagonal solver's) silences the heartbeat while it is fresh
    out2, detail = io.StringIO(), io.StringIO()
    prog = Progress("constants", enabled=True, stream=out2, min_interval=0.0, delay=0.0)
    solver = Progress("optimal diagonal", enabled=True, stream=detail, min_interval=0.0, delay=0.0)
    stop = prog.heartbeat(lambda: ("L (1/20)", 0.0), interval=0.05)
    for _ in range(8):
        solver.update("round 1")
        time.sleep(0.05)
    stop()
    assert len(out2.getvalue().splitlines()) <= 1 and len(detail.getvalue().splitlines()) == 8
