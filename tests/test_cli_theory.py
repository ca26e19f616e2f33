"""CLI contract of ``boundcheck theorems``, ``show`` and ``bound`` (issue 2)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from boundcheck.cli import main
from boundcheck.theory.theorem import THEOREM_IDS, all_theorems

#: One set of constants that every theorem can take (extra names are ignored).
COMMON = ["D_inf=1", "D_2=10", "L_norm1=5", "L_norminf=2", "sigma_norm1=2", "sigma_norm2=1", "M=8",
          "T=1000", "eps=1e-8", "Delta=3", "d=10", "L0_norm1=4", "L1_norminf=0.3", "L0=1", "L1=0.5",
          "G_sum=50", "eta=0.5", "L_star_norm1=3", "sigma_star_norm1=0.5"]


def cli(capsys, *args):
    """Run the CLI in-process; (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def assert_one_line_error(code, err, *needles):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boundcheck: error:"), err
    assert "Traceback" not in err
    for n in needles:
        assert n in lines[0], (n, lines[0])


def test_theorems_lists_every_contract_id(capsys):
    code, out, _ = cli(capsys, "theorems", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    ids = [r["id"] for r in rows]
    assert set(ids[: len(THEOREM_IDS)]) == set(THEOREM_IDS)  # the contract ids come first ...
    assert ids == [t.id for t in all_theorems()]  # ... in the one registration order
    for r in rows:
        assert {"id", "method", "setting", "quantity", "reference", "kind"} <= set(r)
        assert r["kind"] == "expectation-upper" or r["id"] not in THEOREM_IDS
    code, out, _ = cli(capsys, "theorems")
    assert code == 0
    for tid in THEOREM_IDS:
        assert tid in out


@pytest.mark.parametrize("tid", THEOREM_IDS)
def test_show_every_theorem(capsys, tid):
    code, out, _ = cli(capsys, "show", tid)
    assert code == 0
    for section in ("assumptions:", "quantity", "step size:", "O-form:", "explicit bound:", "proof chain:"):
        assert section in out
    assert "FAILED" not in out
    code, out, _ = cli(capsys, "show", tid, "--latex")
    assert code == 0 and "\\" in out


def test_done_when_command_prints_finite_explicit():
    r = subprocess.run([sys.executable, "-m", "boundcheck", "bound", "thm4.1", "D_inf=1", "D_2=10", "L_norm1=5",
                        "sigma_norm1=2", "M=8", "T=1000", "eps=1e-8", "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"theorem", "quantity", "explicit", "terms", "step_size", "constants"} <= set(data)
    assert data["theorem"] == "thm4.1" and math.isfinite(data["explicit"])
    assert data["explicit"] == pytest.approx(4.5 * 5 / 1000 + 3 * 2 / math.sqrt(8000) + 1e-8 * 100 / 1000)
    assert data["explicit"] == pytest.approx(sum(data["terms"].values()))
    assert data["step_size"] == 1.0
    assert data["constants"] == {"D_2": 10, "D_inf": 1, "L_norm1": 5, "M": 8, "T": 1000, "eps": 1e-8,
                                 "sigma_norm1": 2}


@pytest.mark.parametrize("thm", all_theorems(), ids=lambda t: t.id)
def test_common_constants_work_for_every_theorem(capsys, thm):
    given = {a.split("=")[0] for a in COMMON}
    extra = [f"{n}=2" for n in thm.required() if n not in given]  # symbols a theorem declares itself
    code, out, err = cli(capsys, "bound", thm.id, *COMMON, *extra, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    if data["o_form_only"]:
        assert data["explicit"] is None and math.isfinite(data["o_form"])
    else:
        assert math.isfinite(data["explicit"]) and data["explicit"] > 0
        assert data["explicit"] == pytest.approx(sum(data["terms"].values()), rel=1e-12)
    assert set(data["constants"]) == set(thm.required())
    code, out, _ = cli(capsys, "bound", thm.id, *COMMON, *extra)
    assert code == 0 and "step size" in out


def test_schedule_step_size_values_in_json(capsys):
    code, out, _ = cli(capsys, "bound", "thmD.1", *COMMON, "--format", "json")
    data = json.loads(out)
    assert isinstance(data["step_size"], str) and "t" in data["step_size"]
    assert set(data["step_size_at"]) == {"t=0", "t=T-1"}
    assert data["step_size_at"]["t=0"] == pytest.approx(0.5)


def test_missing_constants_are_all_named(capsys):
    code, _, err = cli(capsys, "bound", "thm4.1", "D_inf=1", "T=10")
    assert_one_line_error(code, err, "D_2", "L_norm1", "M", "eps", "sigma_norm1")


def test_missing_with_a_typo_suggests_the_name(capsys):
    code, _, err = cli(capsys, "bound", "thmD.3", "L_norminf=1", "Delta=1", "sigma_norm2=1", "M=1", "t=10")
    assert_one_line_error(code, err, "needs T", "did you mean 'T'")


@pytest.mark.parametrize("token,needle", [("D_inf=-1", "D_inf='-1' is negative"),
                                          ("D_inf=abc", "D_inf='abc' is not a number"),
                                          ("D_inf=nan", "D_inf='nan' must be finite"),
                                          ("T=10.5", "T='10.5' is not an integer"),
                                          ("M=0", "M='0' is out of range")])
def test_bad_values_exit_2_naming_them(capsys, token, needle):
    args = [a for a in ["D_inf=1", "D_2=10", "L_norm1=5", "sigma_norm1=2", "M=8", "T=1000", "eps=1e-8"]
            if a.split("=")[0] != token.split("=")[0]]
    code, _, err = cli(capsys, "bound", "thm4.1", *args, token)
    assert_one_line_error(code, err, needle)


def test_negative_unused_constant_is_still_refused(capsys):
    code, _, err = cli(capsys, "bound", "thmE.1", "D_inf=1", "D_2=1", "G_sum=1", "T=1", "eps=0", "eta=1",
                       "Delta=-2")
    assert_one_line_error(code, err, "Delta='-2' is negative")


@pytest.mark.parametrize("token", ["D_inf", "=3", "1x=2", "D_inf=", "a b=1"])
def test_malformed_tokens(capsys, token):
    code, _, err = cli(capsys, "bound", "thm4.1", token)
    assert_one_line_error(code, err, "malformed constant")


def test_repeated_constant(capsys):
    code, _, err = cli(capsys, "bound", "thm4.1", "T=1", "T=2")
    assert_one_line_error(code, err, "T given twice")


@pytest.mark.parametrize("cmd", [["show", "thm41"], ["bound", "thm41", "T=1"]])
def test_unknown_id_suggests_closest(capsys, cmd):
    code, _, err = cli(capsys, *cmd)
    assert_one_line_error(code, err, "unknown theorem 'thm41'", "did you mean 'thm4.1'")


def test_unused_constants_are_ignored(capsys):
    base = ["D_inf=1", "D_2=10", "L_norm1=5", "sigma_norm1=2", "M=8", "T=1000", "eps=1e-8"]
    _, a, _ = cli(capsys, "bound", "thm4.1", *base, "--format", "json")
    _, b, _ = cli(capsys, "bound", "thm4.1", *base, "Delta=7", "whatever=3", "--format", "json")
    assert json.loads(a) == json.loads(b)


def test_zero_noise_gives_one_over_T_bound(capsys):
    code, out, _ = cli(capsys, "bound", "thmD.3", "L_norminf=2", "Delta=3", "sigma_norm2=0", "M=1", "T=100",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["explicit"] == pytest.approx(2 * 2 * 3 / 100) and data["step_size"] == 0.5


def test_api_ignores_non_symbol_entries():
    """Verify passes problem constants dicts: vectors under non-symbol names are ignored."""
    import numpy as np

    from boundcheck.theory.theorem import get

    c = dict(D_inf=1, D_2=10, L_norm1=5, sigma_norm1=2, M=np.int64(8), T=1000, eps=1e-8,
             L=np.ones(3), sigma=[1.0, 2.0], certificate={"gap": 0})
    assert get("thm4.1").evaluate(c)["explicit"] == pytest.approx(0.08958204032499367)
