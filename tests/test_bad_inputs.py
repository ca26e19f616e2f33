"""Bad input across every command (issue 6): exit code 2, ONE line on stderr naming the bad
value and what is allowed, no traceback, no warning noise; ``--debug`` shows the traceback.

Each case runs the real CLI entry point (:func:`boundcheck.cli.main`) in-process with
RuntimeWarnings turned into errors, so a case that only "works" after numpy warned about an
empty or non-finite array fails here. Every verify/sweep case runs with ``--no-cache`` or a
cache path in tmp, in a tmp working directory, so nothing is written to the repository.

Unreadable files: as root, ``chmod 000`` does not stop reading (root bypasses permission
bits), so the portable unreadable case is a directory given as a file; the ``chmod 000``
case runs only for non-root users.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from boundcheck.cli import main

C41 = ["D_2=1", "D_inf=1", "L_norm1=1", "sigma_norm1=1", "M=1", "T=10", "eps=1e-8"]  # thm4.1's constants


def _without(names, extra):
    """thm4.1's constants with ``names`` replaced by the tokens in ``extra``."""
    return [c for c in C41 if c.split("=")[0] not in names] + list(extra)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Bad (and one good) input files; returns {placeholder: path}."""
    root = tmp_path_factory.mktemp("bad_inputs")
    f = {}

    def text(name, content):
        p = root / name
        p.write_text(content)
        f[name] = str(p)

    good = "".join(f"{1 if i % 2 else -1} 1:{i * 0.1:.2f} 2:{(i % 3) * 0.3:.2f} 3:0.5\n" for i in range(30))
    text("good.svm", good)
    text("empty.svm", "")
    text("blank.svm", "\n# only a comment\n\n")
    text("malformed.svm", "1 1:0.5 2:abc\n-1 1:0.2\n")
    text("nan.svm", "1 1:nan 2:1\n-1 1:0.2 2:0.1\n")
    text("inf.svm", "1 1:0.5 2:1\n-1 1:0.2 2:inf\n")
    text("labels3.svm", "1 1:0.5\n2 1:0.2\n3 1:0.1\n")
    text("nanlabel.svm", "nan 1:1\n1 1:2\n")
    text("labelsonly.svm", "1\n-1\n1\n-1\n")  # issue 15: once read as d = 1 and 'holds'
    text("hugelabel.svm", "1e300 1:1\n-1e300 1:2\n3 2:1\n")  # issue 15: once RuntimeWarnings and an error row
    text("text.npy", "not a numpy file\n")
    text("corrupt.sqlite", "this is not an SQLite database")
    (root / "adir").mkdir()
    f["adir"] = str(root / "adir")
    for name, arr in {"nonsquare.npy": np.ones((3, 4)), "nonsym.npy": np.array([[1.0, 2.0], [0.0, 1.0]]),
                      "nanmat.npy": np.diag([1.0, np.nan, 1.0]),
                      "notpsd.npy": np.array([[1.0, 2.0], [2.0, 1.0]])}.items():
        np.save(root / name, arr)
        f[name] = str(root / name)
    foreign = root / "foreign.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    f["foreign.sqlite"] = str(foreign)
    f["missing.svm"] = str(root / "missing.svm")
    f["missing.npy"] = str(root / "missing.npy")
    return f


def _path(files, name):
    """``files[name]``, or for ``'file/rest'`` that file's path with ``/rest`` appended."""
    head, _, rest = name.partition("/")
    return files[head] + (f"/{rest}" if rest else "")


V = ["--no-cache", "--quiet"]
SMALLV = ["--problem", "exptail-logistic", "--d", "6", "--n", "32", "--T", "20", "--seeds", "3", "--quiet"]

# (id, argv with {file} placeholders, fragments the one-line message must contain)
CASES = [
    # theorems / show / bound
    ("theorems-format", ["theorems", "--format", "jsn"], ["--format 'jsn'", "did you mean 'json'", "table, json"]),
    ("bound-format", ["bound", "thm4.1", *C41, "--format", "xml"], ["--format 'xml'", "allowed: table, json"]),
    ("show-unknown", ["show", "thm9.1"], ["unknown theorem 'thm9.1'", "did you mean 'thmE.1'", "known:"]),
    ("bound-unknown", ["bound", "thm41", "T=1"], ["unknown theorem 'thm41'", "did you mean"]),
    ("bound-T0", ["bound", "thm4.1", *_without(["T"], ["T=0"])], ["T='0'", "integers in [1, inf]"]),
    ("bound-M-float", ["bound", "thm4.1", *_without(["M"], ["M=1.5"])], ["M='1.5' is not an integer"]),
    ("bound-eps0", ["bound", "thm4.1", *_without(["eps"], ["eps=0"])], ["eps='0'", "eps > 0"]),
    ("bound-unused-d0", ["bound", "thm4.1", *C41, "d=0"], ["d='0'", "integers in [1, inf]"]),
    ("bound-nan", ["bound", "thm4.1", *_without(["sigma_norm1"], ["sigma_norm1=nan"])],
     ["sigma_norm1='nan' must be finite"]),
    ("bound-negative", ["bound", "thm4.1", *_without(["D_inf"], ["D_inf=-1"])], ["D_inf='-1'", ">= 0"]),
    ("bound-malformed", ["bound", "thm4.1", "T"], ["malformed constant 'T'", "NAME=VALUE"]),
    # run: types and ranges
    ("run-algorithm", ["run", "--problem", "exptail-logistic", "--T", "5", "--algorithm", "sgdd"],
     ["unknown algorithm 'sgdd'", "did you mean 'sgd'", "adagrad-norm"]),
    ("run-problem", ["run", "--problem", "exptail-logisitc", "--T", "5"],
     ["unknown problem 'exptail-logisitc'", "did you mean 'exptail-logistic'"]),
    ("run-T0", ["run", "--problem", "exptail-logistic", "--T", "0"], ["T='0'", "[1, inf]"]),
    ("run-d0", ["run", "--problem", "exptail-logistic", "--T", "5", "--d", "0"], ["d=0 is out of range", "integers in [1,"]),
    ("run-M0", ["run", "--problem", "exptail-logistic", "--T", "5", "--batch-size", "0"],
     ["--batch-size='0'", "positive integer or 'full'"]),
    ("run-eps0", ["run", "--problem", "exptail-logistic", "--T", "5", "--eps", "0"], ["eps='0'", "> 0"]),
    ("run-eta0", ["run", "--problem", "exptail-logistic", "--T", "5", "--eta", "0"], ["eta='0'", "(0, inf)"]),
    ("run-eta-inf", ["run", "--problem", "exptail-logistic", "--T", "5", "--eta", "inf"], ["eta='inf' must be finite"]),
    ("run-tau", ["run", "--problem", "exptail-logistic", "--T", "5", "--d", "10", "--tau", "0.05"],
     ["tau=0.05", "> 1/d = 0.1", "B.2"]),
    ("run-seeds0", ["run", "--problem", "exptail-logistic", "--T", "5", "--seeds", "0"], ["seeds='0'", "[1,"]),
    ("run-checkpoints", ["run", "--problem", "exptail-logistic", "--T", "20", "--checkpoints", "10,,20"],
     ["'10,,20'", "empty entry"]),
    ("run-dtype", ["run", "--problem", "exptail-logistic", "--T", "5", "--dtype", "float16"],
     ["unknown dtype 'float16'", "float64, float32"]),
    # run: files
    ("data-missing", ["run", "--data", "{missing.svm}", "--T", "5"], ["missing.svm", "no such file"]),
    ("data-directory", ["run", "--data", "{adir}", "--T", "5"], ["adir", "is a directory", "libsvm"]),
    ("data-empty", ["run", "--data", "{empty.svm}", "--T", "5"], ["empty.svm", "holds no samples"]),
    ("data-blank", ["run", "--data", "{blank.svm}", "--T", "5"], ["blank.svm", "holds no samples"]),
    ("data-malformed", ["run", "--data", "{malformed.svm}", "--T", "5"],
     ["malformed.svm", "not a libsvm/svmlight file", "abc"]),
    ("data-nan", ["run", "--data", "{nan.svm}", "--T", "5"], ["nan.svm", "non-finite feature value nan",
                                                               "sample 1", "finite numbers"]),
    ("data-inf", ["run", "--data", "{inf.svm}", "--loss", "squared", "--T", "5"],
     ["inf.svm", "non-finite feature value inf", "sample 2"]),
    ("data-nan-label", ["run", "--data", "{nanlabel.svm}", "--loss", "squared", "--T", "5"],
     ["non-finite label nan", "sample 1"]),
    ("data-labels", ["run", "--data", "{labels3.svm}", "--T", "5"],
     ["labels {1, 2, 3}", "allowed for the logistic loss: {-1, +1} or {0, 1}"]),
    ("data-labels-only", ["verify", "thm4.1", "--data", "{labelsonly.svm}", "--l2", "0.1", *V],
     ["labelsonly.svm", "no nonzero feature value", "allowed: lines 'LABEL INDEX:VALUE"]),
    ("data-labels-only-run", ["run", "--data", "{labelsonly.svm}", "--T", "5"], ["no nonzero feature value"]),
    ("data-huge-label", ["verify", "thm4.1", "--data", "{hugelabel.svm}", "--loss", "squared", *V],
     ["hugelabel.svm", "label 1e+300 (sample 1)", "allowed: |value| <= 1e+50"]),
    ("data-huge-label-constants", ["constants", "--data", "{hugelabel.svm}", "--loss", "squared"],
     ["label 1e+300"]),
    ("problem-d-twice", ["verify", "thm4.1", "--problem", "exptail-logistic", "--d", "6", "--param", "d=8", *V],
     ["--d 6 and -p d=8 disagree"]),
    ("problem-d-twice-constants", ["constants", "--problem", "exptail-logistic", "--d", "6", "-p", "d=8"],
     ["--d 6 and -p d=8 disagree"]),
    # constants: matrices, files, problems
    ("matrix-nonsquare", ["constants", "--matrix", "{nonsquare.npy}"], ["square", "(3, 4)"]),
    ("matrix-nonsymmetric", ["constants", "--matrix", "{nonsym.npy}"], ["not symmetric", "H[0,1]=2.0"]),
    ("matrix-nonfinite", ["constants", "--matrix", "{nanmat.npy}"], ["non-finite entry nan", "[1,1]"]),
    ("matrix-not-psd", ["constants", "--matrix", "{notpsd.npy}"], ["not positive semidefinite"]),
    ("matrix-not-npy", ["constants", "--matrix", "{text.npy}"], ["cannot read matrix file", "text.npy"]),
    ("matrix-missing", ["constants", "--matrix", "{missing.npy}"], ["missing.npy", "No such file"]),
    ("constants-tau", ["constants", "--problem", "exptail-logistic", "-p", "d=10", "-p", "tau=0.01"],
     ["tau=0.01", "> 1/d = 0.1"]),
    ("constants-param", ["constants", "--problem", "exptail-logistic", "-p", "dd=10"],
     ["no parameter 'dd'", "did you mean 'd'"]),
    ("constants-data-empty", ["constants", "--data", "{empty.svm}", "--loss", "logistic", "--l2", "0.1"],
     ["holds no samples"]),
    # verify
    ("verify-unknown", ["verify", "thm41", *V], ["unknown theorem or lemma 'thm41'", "did you mean 'thm4.1'"]),
    ("verify-confidence1", ["verify", "thm4.1", "--confidence", "1", *V], ["--confidence='1'", "(0, 1)"]),
    ("verify-confidence0", ["verify", "thm4.1", "--confidence", "0", *V], ["--confidence='0'", "(0, 1)"]),
    ("verify-seeds", ["verify", "thm4.1", "--seeds", "1", *V], ["--seeds='1'", "[2, 100000]"]),
    ("verify-T-list", ["verify", "thm4.1", "--T", "100,,1000", *V], ["'100,,1000'", "comma-separated"]),
    ("verify-M0", ["verify", "thm4.1", "--M", "0", *V], ["--M='0'", "[1, inf]"]),
    ("verify-T-huge", ["verify", "thm4.1", "--T", "1e15", *V], ["--T='1e15'", "[1, 1000000000]"]),
    ("constants-dense-d", ["constants", "--problem", "exptail-logistic", "-p", "d=30000", "-p", "n=50"],
     ["dense 30000 x 30000", "refusing for d > 20000"]),
    ("verify-tau", ["verify", "thm4.1", "--problem", "exptail-logistic", "--d", "10", "--tau", "0.05", *V],
     ["tau=0.05", "> 1/d = 0.1"]),
    ("verify-noise", ["verify", "thm4.1", "--problem", "exptail-logistic", "--noise", "-1", *V],
     ["noise=-1", "[0, inf)"]),
    ("verify-feature-count", ["verify", "thm4.1", "--data", "{good.svm}", "--loss", "logistic", "--l2", "0.1",
                              "--d", "2", "--T", "10", "--seeds", "3", *V],
     ["good.svm", "more features than the expected d=2"]),
    ("verify-all-bad-data", ["verify", "--data", "{nan.svm}", "--loss", "squared", *V],  # no ids: all theorems
     ["nan.svm", "non-finite feature value nan"]),
    ("verify-sklearn-name", ["verify", "thm4.1", "thmD.1", "--data", "sklearn:wines", "--loss", "logistic",
                             "--l2", "0.1", *V], ["unknown sklearn data set 'wines'", "did you mean 'wine'"]),
    ("verify-data-dir", ["verify", "thm4.1", "--data", "{adir}", "--loss", "logistic", "--l2", "0.1", *V],
     ["is a directory", "libsvm/svmlight file"]),
    ("cache-corrupt", ["verify", "thm4.1", *SMALLV, "--cache", "{corrupt.sqlite}"],
     ["corrupt.sqlite", "not a boundcheck store or is corrupted", "--no-cache"]),
    ("cache-foreign", ["verify", "thm4.1", *SMALLV, "--cache", "{foreign.sqlite}"],
     ["foreign.sqlite", "not a boundcheck results store"]),
    ("cache-directory", ["verify", "thm4.1", *SMALLV, "--cache", "{adir}"], ["is a directory, not a file"]),
    ("cache-parent-is-file", ["verify", "thm4.1", *SMALLV, "--cache", "{good.svm/x.sqlite}"],
     ["good.svm' is not a directory", "--no-cache"]),
    ("cache-uncreatable-dir", ["sweep", "T", *SMALLV[:-3], "--T", "10,20", "--cache", "{good.svm/sub/x.sqlite}"],
     ["cannot create its directory", "--no-cache"]),
    # sweep
    ("sweep-T-one", ["sweep", "T", "--T", "100", *V], ["at least two values of --T"]),
    ("sweep-T-workers", ["sweep", "T", "--workers", "0", *V], ["--workers='0'", "[1, 256]"]),
    ("sweep-dimension-tau", ["sweep", "dimension", "--d", "16", "--tau", "0.05", *V], ["0.05", "> 1/d"]),
    ("sweep-batch-eta0", ["sweep", "batch", "--eta", "0", *V], ["--eta='0'", "(0, inf)"]),
    ("sweep-batch-eta-list", ["sweep", "batch", "--eta", "1,,0.1", *V], ["'1,,0.1'", "empty entry"]),
    ("sweep-batch-M", ["sweep", "batch", "--budget", "64", "--M", "128", *V], ["128", "exceeds the budget"]),
]


def test_the_table_is_large_and_covers_every_command():
    commands = {argv[0] for _, argv, _ in CASES}
    assert len(CASES) >= 30
    assert commands == {"theorems", "show", "bound", "run", "constants", "verify", "sweep"}


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("argv, needles", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_exit_2(argv, needles, files, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = [_path(files, a[1:-1]) if a.startswith("{") else a for a in argv]
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    assert exc.value.code == 2, err
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("boundcheck: error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, (needle, err)
    assert not (tmp_path / ".boundcheck").exists()  # nothing was cached by a refused command


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads chmod-000 files; the directory case covers unreadable paths")
def test_unreadable_file_is_one_line_exit_2(tmp_path, capsys):
    p = tmp_path / "locked.npy"
    np.save(p, np.eye(2))
    p.chmod(0)
    try:
        with pytest.raises(SystemExit) as exc:
            main(["constants", "--matrix", str(p)])
    finally:
        p.chmod(0o600)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1 and "locked.npy" in err


def _console(*args, cwd):
    return subprocess.run([sys.executable, "-m", "boundcheck", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_debug_flag_shows_the_traceback_and_plain_run_does_not(files, tmp_path):
    """The real console entry point (a fresh process: no pytest capture, real warnings)."""
    plain = _console("run", "--data", files["empty.svm"], "--T", "5", cwd=tmp_path)
    assert plain.returncode == 2
    assert plain.stderr.count("\n") == 1 and "holds no samples" in plain.stderr
    assert "Traceback" not in plain.stderr and "Warning" not in plain.stderr
    debug = _console("--debug", "run", "--data", files["empty.svm"], "--T", "5", cwd=tmp_path)
    assert debug.returncode != 0
    assert "Traceback (most recent call last)" in debug.stderr
    assert "InputError" in debug.stderr and "holds no samples" in debug.stderr


def test_api_shares_the_validation_layer(files):
    """The same checks guard the Python API (one layer for CLI and API)."""
    from boundcheck.problems import load_data, make_problem
    from boundcheck.validation import InputError

    with pytest.raises(InputError, match="holds no samples"):
        load_data(files["empty.svm"])
    with pytest.raises(InputError, match="non-finite feature value nan"):
        load_data(files["nan.svm"], "squared")
    with pytest.raises(InputError, match="expected d=2"):
        load_data(files["good.svm"], "logistic", 0.1, n_features=2)
    assert load_data(files["good.svm"], "logistic", 0.1, n_features=5).d == 5  # libsvm pads trailing zeros
    with pytest.raises(InputError, match="did you mean 'exptail-linear'"):
        make_problem("exptail-linaer")


def test_real_labels_are_allowed_for_the_squared_loss(tmp_path):
    """Labels outside {-1, +1}/{0, 1} are outside the logistic loss's set only."""
    from boundcheck.problems import load_data

    p = tmp_path / "reg.svm"
    p.write_text("".join(f"{0.37 * i:.2f} 1:{i * 0.1:.2f} 2:{(i % 3) * 0.3:.2f}\n" for i in range(20)))
    prob = load_data(str(p), "squared", 0.0)
    np.testing.assert_allclose(prob.labels()[:3], [0.0, 0.37, 0.74])


def test_out_of_memory_is_one_line_exit_2(monkeypatch, capsys):
    """A size the machine cannot hold (NumPy raises MemoryError) is reported, not a traceback."""
    import boundcheck.engine

    def too_big(*_, **__):
        raise MemoryError("Unable to allocate 745. GiB for an array with shape (1000000, 100000)")

    monkeypatch.setattr(boundcheck.engine, "run", too_big)
    with pytest.raises(SystemExit) as exc:
        main(["run", "--problem", "quadratic-oracle", "--d", "8", "--T", "5"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "out of memory" in err and "745. GiB" in err and "smaller problem" in err


def test_finite_sum_api_refuses_nonfinite_and_empty_arrays():
    from boundcheck.problems.finite_sum import FiniteSumProblem
    from boundcheck.validation import InputError

    X = np.eye(3)
    X[2, 1] = np.inf
    with pytest.raises(InputError, match=r"features X has a non-finite entry inf at \[2, 1\]"):
        FiniteSumProblem(X, np.ones(3), "squared")
    with pytest.raises(InputError, match=r"labels y has a non-finite entry nan at \[1\]"):
        FiniteSumProblem(np.eye(3), np.array([1.0, np.nan, 1.0]), "squared")
    with pytest.raises(InputError, match="no samples"):
        FiniteSumProblem(np.zeros((0, 3)), np.zeros(0), "squared")
