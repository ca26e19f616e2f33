"""Decided runs (``verify --until-decided``): blocks of replicas concatenate to one run, rows
stop at the first decisive look, and the replicas used are reported."""

import json

import numpy as np
import pytest

from boundcheck.cli import main
from boundcheck.problems.standard import instance
from boundcheck.verify import cells, theorem_check
from boundcheck.verify.decided import decided_rows, merge

PROBLEM = instance("quadratic-oracle", d=1, tau=2.0, noise=1.0)


def _execute(specs):
    return cells.execute(specs)


def test_blocks_concatenate_to_one_run_bit_for_bit():
    one = cells.execute([theorem_check.spec("thmD.3", PROBLEM, T=20, M=1, seeds=24, seed=3)])[0].result
    parts = [cells.execute([theorem_check.spec("thmD.3", PROBLEM, T=20, M=1, seeds=n, seed=3, replicas_from=a)])[0].result
             for a, n in ((0, 8), (8, 16))]
    merged = merge(parts)
    assert merged["samples"] == one["samples"] and merged["seeds_requested"] == 24
    assert merged["bound"] == one["bound"]


def test_a_close_row_takes_more_replicas_a_clear_one_stops_at_the_first_look():
    specs = [theorem_check.spec("thmD.3", PROBLEM, T=20, M=1, seeds=8, seed=0),
             theorem_check.spec("thmD.3", instance("quadratic-oracle", d=1, tau=2.0, noise=3.0), T=20, M=1,
                                seeds=8, seed=0)]
    rows, outcomes = decided_rows(specs, _execute, confidence=0.99, first=8, max_replicas=128)
    assert [r["replicas_used"] for r in rows][1] >= 8
    for r in rows:
        assert r["replicas_used"] in (8, 16, 32, 64, 128) and r["looks"] >= 1
        assert r["verdict"] in ("holds", "inconclusive")
        assert r["seeds"] + r["n_diverged"] == r["replicas_used"]
    assert len(outcomes) >= len(specs)
    # the row's samples are exactly a fixed-size run with that many replicas
    n = rows[0]["replicas_used"]
    fixed = cells.execute([theorem_check.spec("thmD.3", PROBLEM, T=20, M=1, seeds=n, seed=0)])[0]
    row = theorem_check.summarise(fixed.spec, fixed.result, 0.99)
    assert row["empirical"] == pytest.approx(rows[0]["empirical"], rel=1e-15)


def test_cli_until_decided(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["verify", "thmD.3", "--problem", "quadratic-oracle", "--d", "1", "--tau", "2", "--noise", "1",
              "--T", "20", "--M", "1", "--seeds", "8", "--until-decided", "--max-replicas", "64",
              "--cache", str(tmp_path / "s.sqlite"), "--format", "json", "--quiet"])
    assert exc.value.code == 0
    (row,) = json.loads(capsys.readouterr().out)["rows"]
    assert row["replicas_used"] in (8, 16, 32, 64) and "looks" in row
    with pytest.raises(SystemExit) as exc:  # the budget must cover the first round
        main(["verify", "thmD.3", "--seeds", "32", "--until-decided", "--max-replicas", "8"])
    assert exc.value.code == 2
