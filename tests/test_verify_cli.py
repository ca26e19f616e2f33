"""``boundcheck verify`` / ``sweep`` as a user meets them: exit codes, output schema,
determinism, the results store, ``--data FILE`` for any libsvm file, plots."""

import json
import subprocess
import sys

import numpy as np
import pytest

from boundcheck.cli import main
from boundcheck.report.rows import FIELDS, REQUIRED

SMALL = ["--problem", "exptail-logistic", "--d", "6", "--n", "64", "--T", "30", "--M", "4", "--seeds", "4",
         "--quiet"]


def run(capsys, *args):
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def one_line_error(err):
    lines = err.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("boundcheck: error:") and "Traceback" not in err


@pytest.mark.parametrize("args, needle", [
    (["verify", "thm9.9"], "unknown theorem or lemma 'thm9.9'"),
    (["verify", "--T", "0"], "--T='0'"),
    (["verify", "--T", "100,abc"], "--T='abc'"),
    (["verify", "--T", "100,100"], "lists a value twice"),
    (["verify", "--M", "0"], "--M='0'"),
    (["verify", "--seeds", "1"], "--seeds='1'"),
    (["verify", "--confidence", "1"], "--confidence='1'"),
    (["verify", "--format", "xml"], "unknown --format 'xml'"),
    (["verify", "--out", "result.xyz"], "unknown extension '.xyz'"),
    (["verify", "--plot", "p.jpg"], "allowed extensions .png"),
    (["verify", "--workers", "0"], "--workers='0'"),
    (["verify", "--no-cache", "--collect-only"], "cannot be combined"),
    (["verify", "--problem", "nosuch"], "unknown problem 'nosuch'"),
    (["verify", "--problem", "exptail-logistic", "--d", "0"], "d=0"),
    (["verify", "--d", "8"], "problem parameters (d) need a problem; allowed: --problem NAME"),
    (["verify", "-p", "n=8"], "problem parameters (n) need a problem"),
    (["verify", "--problem", "exptail-logistic", "--d", "6", "--param", "d=8"], "--d 6 and -p d=8 disagree"),
    (["verify", "--problem", "exptail-logistic", "-p", "d=6", "-p", "d=8"], "-p d=6 and -p d=8 disagree"),
    (["verify", "--problem", "exptail-logistic", "-p", "dd=6"], "has no parameter 'dd' (did you mean 'd'?)"),
    (["verify", "--data", "sklearn:wine", "-p", "n=6"], "apply to a registered problem, not to data"),
    (["sweep", "T", "--problem", "exptail-logistic", "--d", "6", "-p", "d=8"], "--d 6 and -p d=8 disagree"),
    (["sweep", "batch", "--problem", "exptail-logistic", "--n", "60", "-p", "n=80"], "--n 60 and -p n=80 disagree"),
    (["verify", "--data", "no/such/file.svm", "--loss", "logistic", "--l2", "0.1"], "no such file"),
    (["verify", "--data", "sklearn:wine"], "l2=0 with the logistic loss"),  # --loss defaults to logistic
    (["verify", "--data", "sklearn:wine", "--loss", "hinge"], "unknown loss 'hinge'; allowed: logistic, squared"),
    (["verify", "--data", "sklearn:wine", "--loss", "logistic"], "allowed: l2 > 0"),
    (["verify", "--problem", "exptail-logistic", "--data", "sklearn:wine", "--loss", "squared"], "allowed: exactly one of them"),
    (["verify", "thmE.1", "--data", "sklearn:wine", "--loss", "squared"], "--data supports"),
    (["sweep", "T", "--T", "100"], "at least two values"),
    (["sweep", "T", "lemmaE.2"], "takes a theorem id"),
    (["sweep", "batch", "--budget", "64", "--M", "128"], "exceeds the budget"),
    (["sweep", "batch", "--step", "tuned"], "unknown --step 'tuned'"),
    (["sweep", "dimension", "--d", "16", "--tau", "0.05"], "must be > 1/d"),
    (["sweep", "dimension", "--tau", "-1"], "--tau='-1'"),
])
def test_usage_errors_are_one_line_exit_2(capsys, args, needle):
    code, out, err = run(capsys, *args, "--no-cache" if "--collect-only" not in args and "--no-cache" not in args else "--quiet")
    assert code == 2, err
    assert one_line_error(err), err
    assert needle in err


def test_refused_problem_is_exit_2_alone_and_an_error_row_among_others(capsys, tmp_path):
    code, _, err = run(capsys, "verify", "thm4.1", "--problem", "nonconvex-aniso", "--d", "4", "--T", "20",
                       "--seeds", "3", "--no-cache", "--quiet")
    assert code == 2 and one_line_error(err)
    assert "assumption 3.1" in err and "nonconvex" in err
    code, out, err = run(capsys, "verify", "thm4.1", "thmD.3", "--problem", "nonconvex-aniso", "--d", "4",
                         "--T", "20", "--seeds", "3", "--no-cache", "--quiet", "--format", "json")
    assert code == 0, err
    rows = {r["theorem"]: r for r in json.loads(out)["rows"]}
    assert rows["thm4.1"]["verdict"] == "error" and "assumption 3.1" in rows["thm4.1"]["note"]
    assert rows["thmD.3"]["verdict"] in ("holds", "inconclusive")


def test_json_schema_determinism_cache_and_workers(capsys, tmp_path):
    cache = str(tmp_path / "r.sqlite")
    args = ["verify", "thm4.1", "thmD.3", *SMALL, "--format", "json", "--cache", cache]
    code, out1, _ = run(capsys, *args)
    assert code == 0
    obj = json.loads(out1)
    assert set(obj) == {"rows", "provenance"}
    assert len(obj["rows"]) == 2
    for r in obj["rows"]:
        assert set(REQUIRED) <= set(r)
        assert r["verdict"] in ("holds", "violated", "inconclusive", "diverged", "error")
    for k in ("boundcheck_version", "code_version", "seed", "date", "platform"):
        assert k in obj["provenance"]
    assert "NaN" not in out1 and "Infinity" not in out1
    # the same command twice: identical rows (from the store); collect-only: the same rows
    _, out2, _ = run(capsys, *args)
    _, out3, _ = run(capsys, *args, "--collect-only")
    assert json.loads(out2)["rows"] == obj["rows"] == json.loads(out3)["rows"]
    # computed afresh, with two workers: identical rows
    _, out4, _ = run(capsys, "verify", "thm4.1", "thmD.3", *SMALL, "--format", "json", "--no-cache",
                     "--workers", "2")
    assert json.loads(out4)["rows"] == obj["rows"]


def test_collect_only_on_an_empty_store_reports_missing_cells(capsys, tmp_path):
    code, out, err = run(capsys, "verify", "thm4.1", *SMALL, "--format", "csv", "--collect-only",
                         "--cache", str(tmp_path / "empty.sqlite"))
    assert code == 0
    assert out.strip().splitlines() == [",".join(FIELDS)]  # the declared header, even without rows
    assert "1 of 1 cells are not in the results store" in err


def test_foreign_store_file_is_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database " * 200)
    code, _, err = run(capsys, "verify", "thm4.1", *SMALL, "--cache", str(bad))
    assert code == 2 and one_line_error(err) and "not a boundcheck store" in err


def write_libsvm(path, n=40, d=5, seed=0, regression=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.exp(-0.3 * np.arange(d))
    X[rng.random((n, d)) < 0.3] = 0.0
    y = X @ rng.uniform(-1, 1, d) + 0.1 * rng.normal(size=n) if regression else np.where(
        X @ rng.uniform(-1, 1, d) + 0.3 * rng.normal(size=n) > 0, 1, -1)
    with open(path, "w") as fh:
        for i in range(n):
            feats = " ".join(f"{j + 1}:{X[i, j]:.6g}" for j in range(d) if X[i, j] != 0)
            fh.write(f"{y[i]:g} {feats}\n")
    return path


@pytest.mark.parametrize("loss, extra", [("logistic", ["--l2", "0.01"]), ("squared", [])])
def test_data_file_works_for_the_five_theorems(capsys, tmp_path, loss, extra):
    path = write_libsvm(tmp_path / f"tiny_{loss}.svm")
    code, out, err = run(capsys, "verify", "--data", str(path), "--loss", loss, *extra, "--T", "40", "--M", "4",
                         "--seeds", "4", "--no-cache", "--quiet", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert [r["theorem"] for r in rows] == ["thm4.1", "thmD.1", "adagradnorm-convex", "thm4.3", "thmD.3"]
    for r in rows:
        assert r["problem"] == path.name
        assert r["verdict"] in ("holds", "inconclusive"), r
        assert r["empirical"] is not None and r["d"] == 5
    assert {r["verdict"] for r in rows if r["theorem"] == "adagradnorm-convex"} == {"inconclusive"}


def test_data_file_with_real_labels_and_squared_loss(capsys, tmp_path):
    path = write_libsvm(tmp_path / "regression.svm", regression=True)
    code, out, err = run(capsys, "verify", "thm4.1", "--data", str(path), "--loss", "squared", "--T", "40",
                         "--seeds", "4", "--no-cache", "--quiet", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["rows"][0]["verdict"] in ("holds", "inconclusive")


def test_plot_is_written(capsys, tmp_path):
    png = tmp_path / "p.png"
    code, _, err = run(capsys, "verify", "thm4.1", *SMALL[:-5], "--T", "20,60", "--seeds", "4", "--quiet",
                       "--no-cache", "--plot", str(png), "--format", "csv")
    assert code == 0, err
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_exit_code_is_1_when_a_row_is_violated(capsys):
    from boundcheck.cli.options import Common, emit

    common = Common(seeds=None, seed="0", confidence="0.99", fmt="json", out=None, plot=None, cache=None,
                    no_cache=True, collect_only=False, workers="1", quiet=True)
    base = {"theorem": "t", "algorithm": "a", "problem": "p", "d": 1, "T": 1, "M": 1, "seeds": 2,
            "empirical": 2.0, "ci_low": 1.5, "ci_high": 2.5, "bound": 1.0, "ratio": 2.0}
    assert emit([dict(base, verdict="holds")], common, command="x", title="t") == 0
    assert emit([dict(base, verdict="holds"), dict(base, verdict="violated")], common, command="x", title="t") == 1
    capsys.readouterr()


def test_console_script_runs_and_exits_2_without_traceback():
    r = subprocess.run([sys.executable, "-m", "boundcheck", "verify", "--T", "-5"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2 and one_line_error(r.stderr)
