"""Divergence (issue 6): SGD with a far too large step. A replica whose iterate or loss becomes
non-finite or explodes is stopped and counted; statistics use the other replicas; no NaN or
inf reaches a table, JSON, CSV or plot; a cell with too many diverged replicas (> 10%) has
the verdict ``diverged`` and says how many.
"""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pytest

from boundcheck.cli import main

NONFINITE = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)


def cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def strict_json(text: str):
    """json.loads that refuses NaN / Infinity (which Python's json would otherwise accept)."""
    def bad(token):
        raise AssertionError(f"non-finite {token} in JSON output")
    return json.loads(text, parse_constant=bad)


def test_run_all_replicas_diverge_counted_and_clean(capsys):
    args = ["run", "--algorithm", "sgd", "--eta", "1e6", "--problem", "exptail-logistic", "--d", "8",
            "--T", "200", "--seeds", "6"]
    code, out, err = cli(capsys, *args, "--format", "json")
    assert code == 0, err
    res = strict_json(out)
    assert res["diverged"] == [True] * 6 and all(0 <= t < 200 for t in res["diverged_at"])
    for name, s in res["summary"].items():
        assert s["n_diverged"] == 6
        if name != "diverged":
            assert s["n"] == 0 and s["mean"] is None  # no replica left: no statistic, not NaN
    assert all(v is None for v in res["metrics"]["avg_iterate_gap"][-1])
    assert all(np.isfinite(res["final_iterate"]).ravel())  # last finite iterates
    code, out, _ = cli(capsys, *args)  # the table
    assert code == 0 and "6 diverged" in out and not NONFINITE.search(out)


def test_run_partial_divergence_statistics_use_the_rest(capsys):
    """Least squares, SGD with eta = 1 (the edge of stability for these samples): with these
    seeds some replicas diverge and some do not."""
    code, out, err = cli(capsys, "run", "--algorithm", "sgd", "--eta", "1", "--problem", "exptail-linear",
                         "--d", "8", "--n", "64", "--T", "100", "--seeds", "16", "--format", "json")
    assert code == 0, err
    res = strict_json(out)
    div = np.array(res["diverged"])
    assert 0 < div.sum() < div.size
    for name in ("avg_iterate_gap", "last_iterate_gap", "grad_l2_sq"):
        at_T = res["metrics"][name][-1]
        assert all((v is None) == d for v, d in zip(at_T, div))  # exactly the diverged ones are null
        kept = np.array([v for v in at_T if v is not None])
        s = res["summary"][name]
        assert s["n"] == kept.size == div.size - div.sum() and s["n_diverged"] == div.sum()
        assert s["mean"] == pytest.approx(kept.mean(), rel=1e-12)


BATCH = ["sweep", "batch", "--problem", "exptail-logistic", "--d", "8", "--n", "64", "--budget", "64",
         "--M", "1,4", "--step", "grid", "--seeds", "4", "--no-cache", "--quiet"]


def test_sweep_cells_with_a_huge_step_are_diverged_rows_with_counts(capsys, tmp_path):
    code, out, err = cli(capsys, *BATCH, "--eta", "1e6", "--format", "json")
    assert code == 0, err
    rows = strict_json(out)["rows"]
    sgd = [r for r in rows if r["algorithm"] == "sgd"]
    assert {r["M"] for r in sgd} == {1, 4}  # the rows are there, not dropped
    for r in sgd:
        assert r["verdict"] == "diverged" and r["n_diverged"] == 4 and r["seeds"] == 0
        assert r["empirical"] is None and "4 of 4 replicas diverged" in r["note"]
    adagrad = [r for r in rows if r["algorithm"] == "adagrad"]
    assert adagrad and all(r["verdict"] != "diverged" and np.isfinite(r["empirical"]) for r in adagrad)

    code, out, _ = cli(capsys, *BATCH, "--eta", "1e6", "--format", "csv")
    assert code == 0 and not NONFINITE.search(out)
    by_alg = {(r["algorithm"], r["M"]): r for r in csv.DictReader(io.StringIO(out))}
    assert by_alg[("sgd", "1")]["n_diverged"] == "4" and by_alg[("sgd", "1")]["empirical"] == ""

    svg = tmp_path / "plot.svg"
    code, out, err = cli(capsys, *BATCH, "--eta", "1e6", "--format", "table", "--plot", str(svg))
    assert code == 0, err
    assert "(4 diverged)" in out and "diverged" in out and not NONFINITE.search(out)
    assert svg.exists() and not NONFINITE.search(svg.read_text())


def test_cell_verdict_diverged_above_ten_percent_and_statistic_below():
    """The batch cell's own summary: > 10% diverged -> 'diverged'; otherwise the statistic is
    over the finite replicas only (the verdict threshold of boundcheck.verify.stats)."""
    from boundcheck.verify import cells, sweeps
    from boundcheck.verify.instances import registry_spec

    spec = {"kind": sweeps.BATCH_KIND, "problem": registry_spec("exptail-linear", {"d": 8, "n": 64}),
            "algorithm": "sgd", "option": "II", "M": 1, "T": 100, "budget": 100, "eta": 1.0,
            "schedule": "constant", "init": "zeros", "eps": 1e-8, "seeds": 16, "seed": 0}
    (o,) = cells.execute([spec])
    n_div = o.result["n_diverged"]
    assert 0 < n_div < 16 and len(o.result["last"]) == 16 - n_div
    row = cells.summarise(o, 0.99)
    assert n_div / 16 > 0.1 and row["verdict"] == "diverged" and row["n_diverged"] == n_div
    assert f"{n_div} of 16 replicas diverged" in row["note"]
    # the same finite replicas with the diverged ones dropped from the requested count: a statistic
    few = dict(o.result, n_diverged=1, seeds_requested=len(o.result["last"]) + 1)
    row = sweeps.batch_summarise(spec, few, 0.99)
    assert row["verdict"] == "n/a" and row["seeds"] == len(o.result["last"])
    assert row["empirical"] == pytest.approx(np.mean(o.result["last"]), rel=1e-12)


def test_bound_overflow_is_named_not_printed_as_inf(capsys):
    """Constants whose bound exceeds float64 (~1e900 here): the table says overflow, JSON null."""
    args = ["bound", "thm4.1", "D_2=1e300", "D_inf=1e300", "L_norm1=1e300", "sigma_norm1=1", "M=1", "T=10",
            "eps=1e-8"]
    code, out, _ = cli(capsys, *args)
    assert code == 0 and "overflow" in out and not NONFINITE.search(out)
    code, out, _ = cli(capsys, *args, "--format", "json")
    res = strict_json(out)
    assert res["explicit"] is None and res["terms"]["bias"] is None and res["terms"]["variance"] > 0
