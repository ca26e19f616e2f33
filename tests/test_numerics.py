"""Numerics (issue 6): logistic losses and gradients are exact and warning-free at huge margins
(|margin| ~ 1e4, where exp overflows), in float64 and float32, through the problem, the engine,
the constants layer, a verify cell and the real CLI (``python -W error::RuntimeWarning``);
float32 runs are flagged when their rounding could exceed the statistic's interval (rule:
:mod:`boundcheck.engine.precision`).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from boundcheck.cli import main
from boundcheck.problems.finite_sum import FiniteSumProblem

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def big_margin_problem(l2=0.01):
    """40 samples, d = 3, features of size ~1e4: margins y x^T w ~ +-1e4 at |w_j| ~ 1."""
    rng = np.random.default_rng(0)
    X = rng.choice([-1.0, 1.0], size=(40, 3)) * rng.uniform(5e3, 1e4, size=(40, 3))
    y = np.where(np.arange(40) % 2 == 0, -1.0, 1.0)
    return FiniteSumProblem(X, y, "logistic", l2=l2, domain="auto", name="big-margins")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logistic_loss_and_gradient_exact_at_margins_1e4(dtype):
    # signed margins y x w: +1e4 for the first sample, -1e4 for the second
    p = FiniteSumProblem(np.array([[1e4], [1e4]]), np.array([1.0, -1.0]), "logistic")
    W = np.ones((1, 1), dtype=dtype)
    # loss = (log(1 + e^-1e4) + log(1 + e^1e4)) / 2 = (0 + 1e4) / 2 up to e^-1e4
    assert float(p.loss(W)[0]) == pytest.approx(5000.0, rel=1e-6)
    # grad = (1/2) sum_i -sigma(-m_i) y_i x_i = (1/2) (0 * 1e4 + (-1)(-1e4)) = 5000
    g = p.grad(W)
    assert g.dtype == dtype and float(g[0, 0]) == pytest.approx(5000.0, rel=1e-6)
    f, g2 = p.value_and_grad(W)
    assert float(f[0]) == pytest.approx(5000.0, rel=1e-6) and float(g2[0, 0]) == pytest.approx(5000.0, rel=1e-6)
    W = np.full((1, 1), -1.0, dtype=dtype)  # margins flip: the same values by symmetry
    assert float(p.loss(W)[0]) == pytest.approx(5000.0, rel=1e-6)
    assert float(p.grad(W)[0, 0]) == pytest.approx(-5000.0, rel=1e-6)
    assert np.all(np.isfinite(p.grad(np.full((1, 1), 1e6, dtype=dtype))))  # margins 1e10


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("algorithm", ["adagrad", "sgd", "adagrad-norm"])
def test_engine_on_huge_margins_runs_clean(algorithm, dtype):
    from boundcheck.engine import RunConfig, run

    p = big_margin_problem()
    res = run(p, RunConfig(algorithm=algorithm, T=60, batch_size=4, eta=1.0, seeds=4, seed=3, init="uniform:1",
                           dtype=dtype, metrics=["avg_iterate_gap", "last_iterate_gap", "mean_gap", "grad_l2_sq",
                                                 "mean_grad_l2_sq", "noise_sqrt_sum"]))
    assert not res.diverged.any()
    for name, arr in res.metrics.items():
        assert np.all(np.isfinite(arr)), name
    full = run(p, RunConfig(algorithm=algorithm, T=20, batch_size=None, eta=1.0, seeds=2, init="uniform:1",
                            dtype=dtype))
    assert np.all(np.isfinite(full.metrics["last_iterate_gap"]))


def test_constants_and_a_verify_cell_on_huge_margins(tmp_path):
    """The minimizer (Newton), the constants layer (GLM bounds) and a theorem check, with
    RuntimeWarnings as errors."""
    from boundcheck.constants.assemble import problem_constants
    from boundcheck.verify import cells, theorem_check
    from boundcheck.verify.instances import data_spec
    from sklearn.datasets import dump_svmlight_file

    p = big_margin_problem()
    pc = problem_constants(p)
    assert math.isfinite(pc.f_star) and np.all(np.isfinite(pc.as_dict()["L"]))
    path = tmp_path / "big.svm"
    dump_svmlight_file(p.features(), p.labels(), str(path))
    spec = theorem_check.spec("thm4.1", data_spec(str(path), "logistic", 0.01), T=40, M=4, seeds=3, seed=0)
    (o,) = cells.execute([spec])
    assert o.failure is None and "error" not in o.result, o.result
    row = cells.summarise(o, 0.99)
    assert row["verdict"] in ("holds", "inconclusive") and math.isfinite(row["empirical"])


def test_cli_run_with_runtime_warnings_as_errors(tmp_path):
    """The real process: any RuntimeWarning would be an uncaught exception (exit 1)."""
    from sklearn.datasets import dump_svmlight_file

    p = big_margin_problem()
    path = tmp_path / "big.svm"
    dump_svmlight_file(p.features(), p.labels(), str(path))
    for dtype in ("float64", "float32"):
        r = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", "boundcheck", "run", "--data",
                            str(path), "--loss", "logistic", "--l2", "0.01", "--T", "50", "--eta", "10", "--init",
                            "uniform:1", "--algorithm", "sgd", "--dtype", dtype, "--seeds", "3", "--format", "json"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert r.returncode == 0 and r.stderr == "", r.stderr
        assert not json.loads(r.stdout)["diverged"][0]


# ---------------------------------------------------------------------- float32 flag
def run_json(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--problem", "exptail-logistic", "--d", "10", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert exc.value.code == 0, err
    return json.loads(out)


def test_float32_flag_follows_the_documented_rule(capsys):
    from boundcheck.engine.precision import EPS_FLOAT32, float32_budget, half_width

    # full batch from w_0 = 0: every replica is the same, the interval has width 0 -> flagged
    res = run_json(capsys, "--T", "300", "--seeds", "4", "--batch-size", "full", "--dtype", "float32")
    assert all(s["float32_warning"] for k, s in res["summary"].items() if k != "diverged")
    # noisy minibatch runs: the interval is wide, the float32 budget is not -> not flagged
    res = run_json(capsys, "--T", "400", "--seeds", "8", "--dtype", "float32")
    summ = res["summary"]
    for name, s in summ.items():
        if name == "diverged":
            continue
        vals = res["metrics"][name][-1]
        expected = float32_budget(vals, 400, res["f_star"], gap=name.endswith("gap")) > half_width(vals)
        assert s["float32_warning"] == expected
    assert not summ["avg_iterate_gap"]["float32_warning"]
    gap = np.array(res["metrics"]["avg_iterate_gap"][-1])
    assert EPS_FLOAT32 * 400 * (np.abs(gap).max() + res["f_star"]) < half_width(gap)
    # float64: no flag field at all (the rule concerns float32 only)
    res = run_json(capsys, "--T", "300", "--seeds", "4", "--batch-size", "full")
    assert all("float32_warning" not in s for s in res["summary"].values())


def test_float32_flag_in_the_table(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--problem", "exptail-logistic", "--d", "10", "--T", "300", "--seeds", "4", "--batch-size",
              "full", "--dtype", "float32"])
    out = capsys.readouterr().out
    assert "float32 warning" in " ".join(out.split()) and "--dtype float64" in out
