"""``boundcheck run``: JSON contract, table output, one-line errors with exit code 2."""

from __future__ import annotations

import json

import numpy as np
import pytest

from boundcheck.cli import main
from boundcheck.engine import RunConfig, run
from boundcheck.problems import make_problem


def _run(capsys, *args):
    with pytest.raises(SystemExit) as ex:
        main(list(args))
    out = capsys.readouterr()
    return ex.value.code, out.out, out.err


def test_json_output_holds_metrics_summary_and_iterates(capsys):
    code, out, err = _run(capsys, "run", "--algorithm", "adagrad", "--option", "I", "--problem",
                          "quadratic-oracle", "--d", "5", "--T", "40", "--batch-size", "2", "--eta", "0.5",
                          "--seeds", "3", "--seed", "7", "--init", "uniform:0.1", "--format", "json")
    assert code == 0, err
    d = json.loads(out)
    assert d["checkpoints"] == [1, 2, 5, 10, 20, 40]
    assert d["replicas"] == [0, 1, 2]
    assert len(d["final_iterate"]) == 3 and len(d["final_iterate"][0]) == 5
    assert len(d["average_iterate"]) == 3
    gaps = d["metrics"]["avg_iterate_gap"]
    assert len(gaps) == 6 and len(gaps[0]) == 3
    assert d["summary"]["avg_iterate_gap"]["n"] == 3
    assert d["config"]["batch_size"] == 2 and d["config"]["schedule"] == "constant"
    # the CLI runs exactly what the Python API runs
    res = run(make_problem("quadratic-oracle", d=5),
              RunConfig(algorithm="adagrad", option="I", T=40, batch_size=2, eta=0.5, seeds=3, seed=7,
                        init="uniform:0.1"))
    np.testing.assert_array_equal(np.array(d["final_iterate"]), res.final_iterate)
    assert d["summary"]["avg_iterate_gap"]["mean"] == pytest.approx(res.metrics["avg_iterate_gap"][-1].mean(), rel=1e-15)


def test_table_output_and_full_batch_on_sklearn_data(capsys):
    code, out, err = _run(capsys, "run", "--algorithm", "sgd", "--option", "I", "--data", "sklearn:wine",
                          "--loss", "logistic", "--l2", "0.01", "--T", "20", "--batch-size", "full",
                          "--eta", "0.1")
    assert code == 0, err
    assert "avg_iterate_gap" in out and "8 replicas, 0 diverged" in out


def test_data_file_in_libsvm_format(tmp_path, capsys):
    f = tmp_path / "toy.svm"
    f.write_text("".join(f"{1 if i % 3 else -1} 1:{0.1 * i:.2f} 2:{1 - 0.05 * i:.2f}\n" for i in range(20)))
    code, out, err = _run(capsys, "run", "--algorithm", "adagrad-norm", "--data", str(f), "--loss", "squared",
                          "--T", "30", "--format", "json", "--seeds", "2")
    assert code == 0, err
    d = json.loads(out)
    assert d["problem"]["n"] == 20 and d["problem"]["d"] == 2


def test_diverged_replicas_are_null_in_json(capsys):
    code, out, err = _run(capsys, "run", "--algorithm", "sgd", "--problem", "quadratic-oracle", "--d", "3",
                          "--noise", "0", "--T", "3000", "--eta", "10", "--seeds", "2", "--init", "uniform:0.5",
                          "--format", "json")
    assert code == 0, err
    d = json.loads(out)  # strict JSON: no NaN tokens
    assert d["diverged"] == [True, True]
    assert d["metrics"]["avg_iterate_gap"][-1] == [None, None]
    assert d["summary"]["avg_iterate_gap"]["mean"] is None


def test_schedule_theorem_uses_the_theorems_rule(capsys):
    code, out, err = _run(capsys, "run", "--problem", "quadratic-oracle", "--d", "6", "--option", "I",
                          "--T", "20", "--seeds", "2", "--schedule", "theorem", "--theorem", "thm4.1",
                          "--format", "json")
    assert code == 0, err
    d = json.loads(out)
    assert d["config"]["theorem"] == "thm4.1"
    # Theorem 4.1's step size is eta = D_inf (= 2 on the box [-1, 1]^d)
    assert d["config"]["eta_0"] == pytest.approx(d["config"]["theorem_constants"]["D_inf"])


@pytest.mark.parametrize("args, fragment", [
    (["--problem", "quadratic-oracle", "--T", "0"], "T="),
    (["--problem", "quadratic-oracle", "--T", "5", "--eta", "abc"], "eta"),
    (["--problem", "quadratic-oracle", "--T", "5", "--batch-size", "half"], "positive integer or 'full'"),
    (["--problem", "quadratic-oracle", "--T", "5", "--algorithm", "adamm"], "algorithm"),
    (["--problem", "quadratic-oracle", "--T", "5", "--option", "3"], "option"),
    (["--problem", "quadratic-oracle", "--T", "5", "--schedule", "cosine"], "schedule"),
    (["--problem", "quadratic-oracle", "--T", "5", "--schedule", "theorem"], "--theorem"),
    (["--problem", "quadratic-oracle", "--T", "5", "--init", "ones"], "init"),
    (["--problem", "quadratic-oracle", "--T", "5", "--format", "xml"], "format"),
    (["--problem", "quadratic-oracle", "--T", "5", "--n", "10"], "no parameter 'n'"),
    (["--problem", "quadratic-oracle", "--T", "5", "--tau", "0.001", "--d", "10"], "tau"),
    (["--problem", "nonconvex-aniso", "--T", "5", "--option", "I"], "feasible set"),
    (["--problem", "quadrtic-oracle", "--T", "5"], "did you mean 'quadratic-oracle'"),
    (["--T", "5"], "no problem given; allowed: exactly one of a registered problem (--problem NAME"),
    (["--problem", "quadratic-oracle", "--data", "sklearn:wine", "--T", "5"], "exactly one of"),
    (["--data", "sklearn:wine", "--d", "3", "--T", "5"], "not the expected d=3"),  # --d with --data: its features
    (["--data", "sklearn:wine", "--n", "3", "--T", "5"], "apply to a registered problem, not to data"),
    (["--problem", "quadratic-oracle", "--d", "6", "-p", "d=8", "--T", "5"], "--d 6 and -p d=8 disagree"),
    (["--problem", "quadratic-oracle", "--tau", "0.5", "--param", "tau=0.6", "--T", "5"], "--tau 0.5 and -p tau=0.6"),
    (["--problem", "quadratic-oracle", "--T", "5", "--schedule", "theorem", "--theorem", "thmD.1"],
     "--theorem thmD.1 is about 'sgd', not 'adagrad'; allowed: --algorithm sgd"),
    (["--data", "/nonexistent.svm", "--T", "5"], "no such file"),
    (["--problem", "quadratic-oracle", "--T", "5", "--backend", "cupy"], "cupy"),
    (["--problem", "quadratic-oracle", "--T", "5", "--metrics", "foo"], "metric"),
    (["--problem", "quadratic-oracle", "--T", "5", "--seeds", "0"], "seeds"),
])
def test_bad_values_exit_2_with_one_line(capsys, args, fragment):
    try:
        import cupy  # noqa: F401

        if "cupy" in args:
            pytest.skip("CuPy installed")
    except Exception:
        pass
    code, out, err = _run(capsys, "run", *args)
    assert code == 2
    assert err.startswith("boundcheck: error:") and err.count("\n") == 1, err
    assert fragment in err
    assert "Traceback" not in err


def test_help_documents_the_problem_parameters(capsys):
    import re

    code, out, _ = _run(capsys, "run", "--help")
    assert code == 0
    flat = re.sub(r"-\n\s+", "-", out)  # click may wrap a long flag after its hyphen
    for flag in ("--tau", "--noise", "--sparsity", "--rotate", "--seed-problem", "--batch-size", "--M",
                 "-p, --param", "--d", "--schedule", "--theorem", "--init", "--format"):
        assert flag in flat
    # every declared parameter of every registered problem is listed with its default
    from boundcheck import registry

    for name in registry.names("problem"):
        assert name in out
        for p in registry.get("problem", name).params:
            assert f"{p.name}=" in flat


@pytest.mark.parametrize("old, new", [
    (["--seed-problem", "3"], ["-p", "seed_problem=3"]),
    (["--tau", "0.5"], ["--param", "tau=0.5"]),
    (["--noise", "0.2", "--d", "7"], ["-p", "noise=0.2", "-p", "d=7"]),
    (["--batch-size", "2"], ["--M", "2"]),
])
def test_old_spellings_are_aliases(capsys, old, new):
    base = ["run", "--problem", "quadratic-oracle", "--T", "10", "--seeds", "2", "--format", "json"]
    outs = []
    for extra in (old, new):
        code, out, err = _run(capsys, *base, *extra)
        assert code == 0, err
        d = json.loads(out)
        d.pop("wall_time_s")
        outs.append(d)
    assert outs[0] == outs[1]
    assert outs[0]["problem"] != json.loads(_run(capsys, *base)[1])["problem"] or old[0] == "--batch-size"
