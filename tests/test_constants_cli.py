"""``boundcheck constants``: JSON contract, certificates, one-line errors (issue 4)."""

import contextlib
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from boundcheck.cli import main
from boundcheck.constants.assemble import FIELDS


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run(*args):
    """Run the CLI in-process (same entry point as the console script; no interpreter
    start-up per case). One subprocess test below checks the real executable."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["constants", *map(str, args)])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


def test_console_script_end_to_end(files):
    r = subprocess.run([sys.executable, "-m", "boundcheck", "constants", "--matrix",
                        str(files / "indef.npy")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def ok_json(*args):
    r = run(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert tuple(out) == FIELDS
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("constants")
    rng = np.random.default_rng(0)
    A = rng.standard_normal((40, 12))
    np.save(tmp / "H.npy", A.T @ A / 40)
    np.save(tmp / "nonsym.npy", A[:12, :12])
    bad = A.T @ A / 40
    bad[0, 0] = np.inf
    np.save(tmp / "inf.npy", bad)
    np.save(tmp / "indef.npy", np.array([[1.0, 2.0], [2.0, 1.0]]))
    (tmp / "garbage.npy").write_text("not an array")
    from sklearn.datasets import dump_svmlight_file

    X = rng.standard_normal((150, 8))
    dump_svmlight_file(X, np.sign(X[:, 0] + rng.standard_normal(150)), str(tmp / "data.libsvm"))
    return tmp


def test_matrix_json_has_every_field_and_a_certificate(files):
    out = ok_json("--matrix", files / "H.npy")
    assert out["d"] == 12 and len(out["L"]) == 12
    cert = out["certificate"]
    assert cert["rel_gap"] <= 1e-7 and cert["solver"].startswith("cvxpy")  # auto: d <= 40
    assert cert["dual"] <= cert["primal"] == pytest.approx(out["L_norm1"])
    assert out["sigma"] is None and out["Delta"] is None


def test_fast_solver_on_request(files):
    assert ok_json("--matrix", files / "H.npy", "--solver", "fast")["certificate"]["solver"] == "fast"


@pytest.mark.parametrize("source", ["data.libsvm", "sklearn:breast_cancer", "sklearn:digits", "sklearn:wine"])
def test_data_squared_loss_with_certificates(files, source):
    path = files / source if source.endswith("libsvm") else source
    out = ok_json("--data", path, "--loss", "squared")
    assert out["n"] > 0 and out["certificate"]["rel_gap"] <= 1e-7
    # the auto box holds the minimizer, so sigma, D, Delta and the ratios are all known
    for k in ("sigma_norm1", "D_inf", "D_2", "Delta", "f_star", "R1", "R2"):
        assert out[k] is not None


def test_data_logistic_and_box_options(files):
    out = ok_json("--data", files / "data.libsvm", "--loss", "logistic", "--l2", "0.01", "--box", "0.5")
    assert out["D_inf"] == 1.0
    none = ok_json("--data", files / "data.libsvm", "--loss", "squared", "--box", "none")
    assert none["D_inf"] is None and none["sigma"] is None


def test_d_and_param_are_one_parameter_and_data_loss_defaults_to_logistic(files):
    a = ok_json("--problem", "exptail-linear", "--d", "6", "-p", "n=40")
    b = ok_json("--problem", "exptail-linear", "-p", "d=6", "--param", "n=40")
    c = ok_json("--problem", "exptail-linear", "--d", "6", "-p", "d=6", "--n", "40")  # agreeing spellings
    for x in (b, c):
        assert x["L"] == a["L"] and x["d"] == 6
    implicit, explicit = (ok_json("--data", files / "data.libsvm", "--l2", "0.01", *loss)
                          for loss in ((), ("--loss", "logistic")))
    for x in (implicit, explicit):
        x["certificate"].pop("seconds")
    assert implicit == explicit


def test_table_output(files):
    r = run("--matrix", files / "H.npy")
    assert r.returncode == 0 and "certificate" in r.stdout and "optimal" in r.stdout


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--matrix", "nonsym.npy"], "not symmetric"),
        (["--matrix", "inf.npy"], "non-finite"),
        (["--matrix", "indef.npy"], "not positive semidefinite"),
        (["--matrix", "garbage.npy"], "cannot read matrix file"),
        (["--matrix", "missing.npy"], "cannot read matrix file"),
        (["--data", "missing.libsvm", "--loss", "squared"], "no such file"),
        (["--data", "garbage.npy", "--loss", "squared"], "not a libsvm"),
        (["--data", "data.libsvm", "--n", "5"], "apply to a registered problem, not to data"),
        (["--problem", "exptail-linear", "--d", "6", "-p", "d=8"], "--d 6 and -p d=8 disagree"),
        (["--problem", "exptail-linear", "--box", "2"], "--box applies to --data only"),
        (["--data", "data.libsvm", "--d", "2"], "more features than the expected d=2"),
        (["--data", "data.libsvm", "--loss", "hinge"], "loss"),
        (["--matrix", "H.npy", "--solver", "fastest"], "solver"),
        (["--matrix", "H.npy", "--format", "xml"], "format"),
        (["--matrix", "H.npy", "--problem", "exptail-linear"], "exactly one"),
        ([], "exactly one"),
        (["--problem", "no-such-problem"], "unknown problem"),
    ],
)
def test_bad_input_is_one_line_exit_2(files, args, fragment):
    args = [str(files / a) if a.endswith((".npy", ".libsvm")) else a for a in args]
    r = run(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boundcheck: error:") and fragment in lines[0]
    assert "Traceback" not in r.stderr
