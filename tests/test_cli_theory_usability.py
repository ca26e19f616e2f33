"""``bound --constants FILE.json``, ``show`` for lemmas, and help texts that work (issue 15,
point 5; point 8: no empty "consistency:" line)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from boundcheck.cli import main
from boundcheck.cli.theory_cmds import BOUND_HELP, CONSTANTS_JSON_SYMBOLS
from boundcheck.theory import lemmas
from boundcheck.theory.theorem import all_theorems


def cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def one_line_error(code, err, *needles):
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boundcheck: error:") and "Traceback" not in err, err
    for n in needles:
        assert n in lines[0], (n, lines[0])


@pytest.fixture(scope="module")
def constants_json(tmp_path_factory):
    """``boundcheck constants --format json`` of a small exptail problem, as a file."""
    path = tmp_path_factory.mktemp("consts") / "c.json"
    r = subprocess.run([sys.executable, "-m", "boundcheck", "constants", "--problem", "exptail-logistic",
                        "-p", "d=8", "-p", "n=64", "--format", "json"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    path.write_text(r.stdout)
    return path


def test_bound_takes_the_constants_output(constants_json, capsys):
    data = json.loads(constants_json.read_text())
    given = {sym: data[field] for field, sym in CONSTANTS_JSON_SYMBOLS.items() if data.get(field) is not None}
    assert {"L_norm1", "L_norminf", "sigma_norm1", "sigma_norm2", "D_inf", "D_2", "Delta", "d"} <= set(given)
    extra = ["T=1000", "M=8", "eps=1e-8"]
    for thm in ("thm4.1", "thmD.1", "thm4.3", "thmD.3", "adagradnorm-convex"):
        code, out, err = cli(capsys, "bound", thm, "--constants", str(constants_json), *extra, "--format", "json")
        assert code == 0, err
        from_file = json.loads(out)
        tokens = [f"{k}={v!r}" for k, v in given.items()]
        _, out2, _ = cli(capsys, "bound", thm, *tokens, *extra, "--format", "json")
        assert from_file == json.loads(out2), thm
        for name, value in from_file["constants"].items():
            if name in given:
                assert value == pytest.approx(given[name], rel=1e-15)


def test_tokens_override_the_file(constants_json, capsys):
    base = ["bound", "thm4.1", "--constants", str(constants_json), "T=1000", "M=8", "eps=1e-8", "--format", "json"]
    _, a, _ = cli(capsys, *base)
    _, b, _ = cli(capsys, *base, "D_inf=0.5")
    assert json.loads(b)["constants"]["D_inf"] == 0.5 != json.loads(a)["constants"]["D_inf"]
    assert json.loads(b)["explicit"] < json.loads(a)["explicit"]


def test_a_null_constant_is_named(tmp_path, capsys):
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"d": 8, "L_norm1": 1.0, "sigma_norm1": 1.0, "D_inf": None, "D_2": None}))
    code, _, err = cli(capsys, "bound", "thm4.1", "--constants", str(f), "T=10", "M=1", "eps=1e-8")
    one_line_error(code, err, "needs D_2, D_inf", "null in", "NAME=VALUE")


@pytest.mark.parametrize("content,needle", [("{not json", "is not JSON"), ("[1, 2]", "not an object"),
                                            ('{"x": 1}', "has none of the fields"),
                                            ('{"L_norm1": "big"}', "L_norm1 = 'big' is not a number"),
                                            ('{"L_norm1": NaN}', "is not JSON")])
def test_bad_constants_files_are_one_line(content, needle, tmp_path, capsys):
    f = tmp_path / "c.json"
    f.write_text(content)
    code, _, err = cli(capsys, "bound", "thm4.1", "--constants", str(f), "T=10")
    one_line_error(code, err, "--constants", needle)


def test_constants_file_that_is_missing_or_a_fifo(tmp_path, capsys):
    code, _, err = cli(capsys, "bound", "thm4.1", "--constants", str(tmp_path / "no.json"))
    one_line_error(code, err, "no such file")
    fifo = tmp_path / "c.json"
    os.mkfifo(fifo)
    code, _, err = cli(capsys, "bound", "thm4.1", "--constants", str(fifo))
    one_line_error(code, err, "is a FIFO")


@pytest.mark.parametrize("lemma", lemmas.all_lemmas(), ids=lambda lem: lem.id)
def test_show_every_lemma_by_either_id(lemma, capsys):
    for ident in (f"lemma{lemma.id}", lemma.id):
        code, out, err = cli(capsys, "show", ident)
        assert code == 0, err
        assert out.startswith(f"lemma{lemma.id}: {lemma.title}")
        for section in ("statement (LaTeX):", "hypotheses:", "proof chain:"):
            assert section in out
        # show wraps at the output's width (at spaces only; LaTeX does not care)
        assert " ".join(lemma.statement_latex.split()) in " ".join(out.split())


def test_show_unknown_lemma_suggests(capsys):
    code, _, err = cli(capsys, "show", "lemmaE2")
    one_line_error(code, err, "unknown theorem 'lemmaE2'", "did you mean 'lemmaE.2'", "lemmas:")


@pytest.mark.parametrize("thm", all_theorems(), ids=lambda t: t.id)
def test_show_has_no_empty_consistency_line(thm, capsys):
    code, out, _ = cli(capsys, "show", thm.id)
    assert code == 0
    for line in out.splitlines():
        if line.startswith("consistency:"):
            assert line.split(":", 1)[1].strip(), out
    has_checks = bool(thm.consistency()) if thm.explicit is not None else False
    assert ("consistency:" in out) == has_checks


def test_bound_help_examples_run(tmp_path, capsys, monkeypatch):
    """Every example line of 'bound --help' works as written (the constants one writes c.json)."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli(capsys, "bound", "--help")
    assert code == 0
    examples = [ln.strip() for ln in out.splitlines() if ln.strip().startswith("boundcheck ")]
    assert len(examples) == 3 and examples == [ln.strip() for ln in BOUND_HELP.splitlines()
                                               if ln.strip().startswith("boundcheck ")]
    for line in examples:
        argv = shlex.split(line)[1:]
        target = None
        if ">" in argv:
            target = argv[argv.index(">") + 1]
            argv = argv[: argv.index(">")]
        code, out, err = cli(capsys, *argv)
        assert code == 0, (line, err)
        if target:
            (tmp_path / target).write_text(out)
        else:
            assert "explicit" in out
