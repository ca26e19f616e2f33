"""Determinism (issue 6): the same command twice gives identical results (timestamps and
timings aside), in the same process and in fresh processes with different hash seeds, and
results do not depend on the number of worker processes (--workers 1 vs 2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from boundcheck.cli import main

#: fields that are times, not results
TIMING = {"wall_time_s", "seconds", "date"}


def strip_timing(obj):
    if isinstance(obj, dict):
        return {k: strip_timing(v) for k, v in obj.items() if k not in TIMING}
    if isinstance(obj, list):
        return [strip_timing(v) for v in obj]
    return obj


def cli_json(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    assert exc.value.code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("extra", [
    ["--algorithm", "adagrad", "--batch-size", "4", "--init", "uniform:0.5"],
    ["--algorithm", "sgd", "--schedule", "sqrt-decay", "--eta", "0.5"],
    ["--algorithm", "adagrad-norm", "--option", "I"],
    ["--algorithm", "adagrad", "--dtype", "float32"],
])
def test_run_twice_is_bit_identical(capsys, extra):
    args = ["run", "--problem", "exptail-logistic", "--d", "10", "--n", "64", "--T", "150", "--seeds", "5",
            "--format", "json", *extra]
    a, b = cli_json(capsys, *args), cli_json(capsys, *args)
    assert "wall_time_s" in a  # the only field allowed to differ ...
    assert strip_timing(a) == strip_timing(b)  # ... every number else is equal bit for bit
    other = cli_json(capsys, *args, "--seed", "7")
    assert strip_timing(other)["metrics"] != strip_timing(a)["metrics"]  # the seed does matter


def test_constants_twice_identical(capsys):
    args = ["constants", "--problem", "exptail-logistic", "-p", "d=12", "--format", "json"]
    assert strip_timing(cli_json(capsys, *args)) == strip_timing(cli_json(capsys, *args))


SWEEP_T = ["sweep", "T", "thm4.1", "--problem", "exptail-logistic", "--d", "6", "--n", "48", "--T", "40,80,160",
           "--seeds", "4", "--format", "json", "--no-cache", "--quiet"]
BATCH = ["sweep", "batch", "--problem", "exptail-logistic", "--d", "6", "--n", "48", "--budget", "64",
         "--M", "1,4", "--eta", "1,0.1", "--step", "both", "--seeds", "3", "--format", "json", "--no-cache",
         "--quiet"]


@pytest.mark.parametrize("args", [SWEEP_T, BATCH], ids=["sweep-T", "sweep-batch"])
def test_fresh_runs_identical_and_independent_of_workers(capsys, args):
    one = cli_json(capsys, *args, "--workers", "1")
    again = cli_json(capsys, *args, "--workers", "1")
    two = cli_json(capsys, *args, "--workers", "2")
    assert one["rows"] and one["rows"] == again["rows"] == two["rows"]
    assert one["provenance"]["workers"] == 1 and two["provenance"]["workers"] == 2


def test_fresh_processes_with_different_hash_seeds_agree(tmp_path):
    """Set/dict iteration order depends on PYTHONHASHSEED in a new process: results must not."""
    cmd = [sys.executable, "-m", "boundcheck", "verify", "thm4.1", "thmD.3", "--problem", "exptail-logistic",
           "--d", "6", "--n", "48", "--T", "60", "--seeds", "4", "--format", "json", "--no-cache", "--quiet"]
    outs = []
    for hs in ("1", "12345"):
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=600,
                           env={**os.environ, "PYTHONHASHSEED": hs})
        assert p.returncode == 0, p.stderr
        outs.append(json.loads(p.stdout))
    assert outs[0]["rows"] and all(r["verdict"] not in ("error", "diverged") for r in outs[0]["rows"])
    assert outs[0]["rows"] == outs[1]["rows"]
    assert strip_timing(outs[0]["provenance"]) == strip_timing(outs[1]["provenance"])
