"""Outputs of every command (issue 15, points 1, 6, 8): tables fit COLUMNS=80 and 100 (also
piped) with no number or id split; colour follows FORCE_COLOR / NO_COLOR; --out writes
through symlinks and refuses non-regular files; a full stdout, a misplaced --debug, a crash and
a FIFO given as data are one line each, with the documented exit codes; shell completion."""

from __future__ import annotations

import json
import math
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from boundcheck.cli import main
from boundcheck.errors import EXIT_INTERNAL, EXIT_OUTPUT
from boundcheck.report.table import fmt_num

SMALL = ["--problem", "exptail-logistic", "--d", "6", "--n", "32", "--seeds", "3", "-q"]
VERIFY_LIKE = {
    "verify": ["verify", "thm4.1", "thmD.1", "adagradnorm-convex", "lemmaE.2", *SMALL, "--T", "20,30"],
    "sweep-T": ["sweep", "T", "thm4.1", *SMALL, "--T", "20,40"],
    "sweep-batch": ["sweep", "batch", *SMALL, "--budget", "64", "--M", "1,4"],
    "sweep-dimension": ["sweep", "dimension", "--d", "8,16", "--tau", "0.5,1", "--T", "20", "--M", "2",
                        "--seeds", "3", "-q"],
}
_LEFT, _RIGHT = r"(?:^|(?<=[\s\[(,=]))", r"(?=$|[\s\]),])"


def whole(token: str, text: str) -> bool:
    """``token`` appears bounded by blanks, brackets or commas: not split over two lines."""
    return re.search(_LEFT + re.escape(token) + _RIGHT, text, flags=re.M) is not None


def cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def run(*args, env=None, **kw):
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "boundcheck", *args], capture_output=True, text=True,
                          timeout=300, env=full, **kw)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("outputs") / "cache.sqlite")


@pytest.fixture(scope="module")
def json_rows(cache):
    """The rows of each verify-like command, computed once into the module's store."""
    out = {}
    for name, argv in VERIFY_LIKE.items():
        r = run(*argv, "--cache", cache, "--format", "json")
        assert r.returncode in (0, 1), r.stderr
        out[name] = json.loads(r.stdout)["rows"]
    return out


# ---------------------------------------------------------------------- tables at 80 and 100
@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("name", list(VERIFY_LIKE))
def test_verify_and_sweep_tables_fit_columns(name, width, json_rows, cache, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = cli(capsys, *VERIFY_LIKE[name], "--cache", cache)
    assert code in (0, 1), err
    lines = out.splitlines()
    assert max(map(len, lines)) <= width, out
    for r in json_rows[name]:
        for tok in (r["theorem"], r["algorithm"], r["verdict"], *(fmt_num(r[k]) for k in
                    ("empirical", "ci_low", "ci_high", "bound", "ratio") if r.get(k) is not None)):
            assert whole(tok, out), (name, width, tok, out)
        assert any(r["problem"] in line for line in lines), (r["problem"], out)


def test_piped_output_follows_COLUMNS(json_rows, cache):
    narrow = run(*VERIFY_LIKE["sweep-dimension"], "--cache", cache, env={"COLUMNS": "80"})
    wide = run(*VERIFY_LIKE["sweep-dimension"], "--cache", cache, env={"COLUMNS": "250"})
    assert narrow.returncode == wide.returncode == 0, narrow.stderr
    assert max(map(len, narrow.stdout.splitlines())) <= 80
    assert max(map(len, wide.stdout.splitlines())) > 100  # one line per row when there is room
    rows = json_rows["sweep-dimension"]
    body = [ln for ln in wide.stdout.splitlines() if ln.startswith(("thm4.1", "thmD.1"))]
    assert len(body) == len(rows)


def test_colour_follows_FORCE_COLOR_and_NO_COLOR(json_rows, cache):
    argv = [*VERIFY_LIKE["verify"], "--cache", cache]
    plain = run(*argv, env={"COLUMNS": "100"})
    assert "\x1b[" not in plain.stdout
    forced = run(*argv, env={"COLUMNS": "100", "FORCE_COLOR": "1"})
    assert "\x1b[32m" in forced.stdout  # 'holds' in green, though stdout is a pipe
    no_colour = run(*argv, env={"COLUMNS": "100", "FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not re.search(r"\x1b\[3\dm", no_colour.stdout)
    json_out = run(*argv, "--format", "json", env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in json_out.stdout and json.loads(json_out.stdout)["rows"] == json_rows["verify"]


@pytest.mark.parametrize("width", [80, 100])
def test_theory_tables_fit_columns(width, capsys, monkeypatch):
    from boundcheck.theory.theorem import all_theorems

    monkeypatch.setenv("COLUMNS", str(width))
    code, out, _ = cli(capsys, "theorems")
    assert code == 0 and max(map(len, out.splitlines())) <= width
    for thm in all_theorems():
        assert whole(thm.id, out)
    consts = ["D_inf=1", "D_2=10", "L_norm1=5", "sigma_norm1=2", "M=8", "T=1000", "eps=1e-8"]
    code, out, _ = cli(capsys, "bound", "thm4.1", *consts)
    assert code == 0 and max(map(len, out.splitlines())) <= width
    code, js, _ = cli(capsys, "bound", "thm4.1", *consts, "--format", "json")
    assert whole(f"{json.loads(js)['explicit']:.6g}", out)


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("ident", ["thm4.1", "thm4.3", "lemmaE.2", "lemma(17)"])
def test_show_wraps_at_columns_without_splitting_a_word(ident, width, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100000")
    code, wide, _ = cli(capsys, "show", ident)
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, _ = cli(capsys, "show", ident)
    assert code == 0
    for line in out.splitlines():  # a longer line is one word that cannot be split (a test path)
        assert len(line) <= width or len(line.split()) == 1, line
    assert out.split() == wide.split()  # the same words in the same order: wrapped at spaces only


@pytest.mark.parametrize("width", [80, 100])
def test_constants_and_run_tables_fit_columns(width, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    argv = ["constants", "--problem", "nonconvex-aniso", "-p", "d=8"]
    code, out, _ = cli(capsys, *argv)
    assert code == 0 and max(map(len, out.splitlines())) <= width, out
    _, js, _ = cli(capsys, *argv, "--format", "json")
    for key in ("L_norm1", "sigma_norm2", "Delta"):
        assert whole(f"{json.loads(js)[key]:.6g}", out), key
    argv = ["run", "--problem", "exptail-logistic", "--d", "6", "--n", "32", "--T", "20", "--seeds", "3"]
    code, out, _ = cli(capsys, *argv)
    assert code == 0 and max(map(len, out.splitlines())) <= width, out
    _, js, _ = cli(capsys, *argv, "--format", "json")
    for name, s in json.loads(js)["summary"].items():
        assert whole(name, out)
        if s["mean"] is not None and math.isfinite(s["mean"]):
            assert whole(f"{s['mean']:.6g}", out), (name, out)


def test_run_table_at_60_columns_is_records_not_cut(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = cli(capsys, "run", "--problem", "exptail-logistic", "--d", "6", "--n", "32", "--T", "20",
                       "--seeds", "3", "--metrics", "avg_iterate_gap,last_iterate_gap,grad_l2_sq")
    assert code == 0 and max(map(len, out.splitlines())) <= 60
    assert "…" not in out and whole("last_iterate_gap", out)


def test_top_level_help_keeps_whole_command_descriptions(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = cli(capsys, "--help")
    listing = out.split("Commands:")[1]
    assert code == 0 and not re.search(r"\.\.\.$", listing, flags=re.M)  # click cut descriptions so
    flat = " ".join(out.split())
    for phrase in ("Evaluate a theorem's explicit bound at NAME=VALUE constants.",
                   "Check theorems (and lemmas along trajectories) against computation.",
                   "see boundcheck.engine.metrics)."):
        assert phrase in flat, phrase
    code, out, _ = cli(capsys, "sweep", "--help")
    assert not re.search(r"\.\.\.$", out.split("Commands:")[1], flags=re.M)
    assert "compare it with the bound's." in " ".join(out.split())


# ---------------------------------------------------------------------- --out, stdout, exit codes
def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boundcheck: error:") and "Traceback" not in err, err
    return lines[0]


def test_out_writes_through_a_symlink(tmp_path, capsys, json_rows, cache):
    target = tmp_path / "real.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    code, _, err = cli(capsys, *VERIFY_LIKE["verify"], "--cache", cache, "--out", str(link))
    assert code in (0, 1), err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["rows"] == json_rows["verify"]
    assert (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("kind", ["device", "fifo", "directory", "link-to-directory"])
@pytest.mark.parametrize("option", ["--out", "--plot"])
def test_out_refuses_non_regular_files_before_computing(kind, option, tmp_path, capsys):
    ext = ".json" if option == "--out" else ".png"
    path = tmp_path / f"dest{ext}"
    if kind == "device":  # through a symlink, as the extension decides the format
        device = "/dev/full" if os.path.exists("/dev/full") else "/dev/null"
        path.symlink_to(device)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        (tmp_path / "real").mkdir()
        path.symlink_to(tmp_path / "real")
    code, out, err = cli(capsys, "verify", "thm4.1", *SMALL, "--T", "20", "--no-cache", option, str(path))
    line = _one_line(err)
    assert code == EXIT_OUTPUT and option in line and " is a" in line, line
    assert out == ""
    if kind == "device":
        assert path.is_symlink() and not os.path.isfile(path)  # the device was not replaced by a file


def test_full_stdout_is_one_line_exit_4():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    for argv in (["theorems"], ["theorems", "--format", "json"], ["show", "thm4.1"]):
        with open("/dev/full", "w") as full:
            r = subprocess.run([sys.executable, "-m", "boundcheck", *argv], stdout=full, stderr=subprocess.PIPE,
                               text=True, timeout=120)
        assert r.returncode == EXIT_OUTPUT, r.stderr
        assert "cannot write to standard output" in _one_line(r.stderr)


def test_misplaced_debug_is_accepted(capsys):
    code, out, err = cli(capsys, "theorems", "--debug")
    assert code == 0 and "thm4.1" in out and err == ""
    code, _, _ = cli(capsys, "sweep", "T", "--debug", "--help")
    assert code == 0
    r = run("bound", "thm41", "T=1", "--debug")
    assert r.returncode != 0 and "Traceback" in r.stderr  # --debug after the command is honoured
    r = run("bound", "thm41", "T=1")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_crash_is_one_line_exit_3(capsys, monkeypatch):
    import boundcheck.cli.theory_cmds as tc

    def broken():
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(tc, "all_theorems", broken)
    code, _, err = cli(capsys, "theorems")
    assert code == EXIT_INTERNAL
    assert "internal error: RuntimeError: simulated bug" in _one_line(err) and "--debug" in err


def test_broken_pipe_is_exit_141_without_noise(capsys, monkeypatch):
    import click

    def closed(*a, **k):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(click, "echo", closed)
    with pytest.raises(SystemExit) as exc:
        main(["theorems", "--format", "json"])
    assert exc.value.code == 141
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv", [["verify", "thm4.1", "--loss", "squared", "--no-cache", "-q"],
                                  ["run", "--T", "5"], ["constants", "--loss", "squared"]])
def test_a_fifo_as_data_is_refused_not_read(argv, tmp_path):
    fifo = tmp_path / "data.svm"
    os.mkfifo(fifo)
    r = run(*argv, "--data", str(fifo), cwd=tmp_path)  # hangs (timeout) if the FIFO were opened
    assert r.returncode == 2
    assert "is a FIFO" in _one_line(r.stderr) and "data.svm" in r.stderr


# ---------------------------------------------------------------------- shell completion
def _complete(shell: str, words: str, cword: int | str) -> list[str]:
    env = {"_BOUNDCHECK_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    r = run(env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


@pytest.mark.parametrize("shell,marker", [("bash", "complete -o nosort -F _boundcheck_completion boundcheck"),
                                          ("zsh", "compdef _boundcheck_completion boundcheck"),
                                          ("fish", "complete --no-files --command boundcheck")])
def test_completion_scripts_for_each_shell(shell, marker):
    r = run(env={"_BOUNDCHECK_COMPLETE": f"{shell}_source"})
    assert r.returncode == 0 and marker in r.stdout, r.stdout[:300]
    assert "Usage:" not in r.stdout


def test_completion_answers_commands_options_and_ids():
    assert "plain,verify" in _complete("bash", "boundcheck ver", 1)
    assert "plain,batch" in _complete("bash", "boundcheck sweep b", 2)
    assert {"plain,thm4.1", "plain,thm4.3"} <= set(_complete("bash", "boundcheck show thm4", 2))
    assert "plain,lemmaE.2" in _complete("bash", "boundcheck show lemmaE", 2)
    zsh = _complete("zsh", "boundcheck sweep d", 2)
    assert "dimension" in zsh
    fish = _complete("fish", "boundcheck verify --no-c", "--no-c")
    # click < 8.5 answers fish with "plain" and the value on separate lines, newer clicks with
    # "plain,VALUE<TAB>help": either way the option is offered
    values = [ln.split("\t")[0].removeprefix("plain,") for ln in fish]
    assert any(ln.startswith("plain") for ln in fish) and "--no-cache" in values


@pytest.mark.parametrize("words, expected", [
    ("boundcheck verify thm4", {"plain,thm4.1", "plain,thm4.3"}),
    ("boundcheck verify lemmaE", {"plain,lemmaE.2"}),
    ("boundcheck sweep T thmD", {"plain,thmD.1", "plain,thmD.3"}),
    ("boundcheck run --problem quad", {"plain,quadratic-oracle"}),
    ("boundcheck constants --problem exptail-l", {"plain,exptail-linear", "plain,exptail-logistic"}),
    ("boundcheck run --algorithm adagrad-", {"plain,adagrad-norm"}),
    ("boundcheck run --theorem thmD", {"plain,thmD.1", "plain,thmD.3"}),
])
def test_completion_of_registered_names(words, expected):
    assert set(_complete("bash", words, len(words.split()) - 1)) == expected


def test_bash_completion_end_to_end():
    bash = shutil.which("bash")
    bin_dir = os.path.dirname(sys.executable)
    if bash is None or shutil.which("boundcheck", path=bin_dir) is None:
        pytest.skip("needs bash and the boundcheck script beside this Python")
    script = ('eval "$(_BOUNDCHECK_COMPLETE=bash_source boundcheck)"; COMP_WORDS=(boundcheck sweep ba); '
              'COMP_CWORD=2; _boundcheck_completion boundcheck; echo "${COMPREPLY[@]}"')
    r = subprocess.run([bash, "-c", script], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")})
    assert r.stdout.split() == ["batch"], (r.stdout, r.stderr)


# ---------------------------------------------------------------------- one CSV header (issue 15)
def test_every_command_writes_the_same_csv_header_and_declares_its_fields(json_rows):
    """The CSV header is the declared schema for every command, and every field a command's rows
    carry is declared (a new field must be added to report/rows.FIELDS and the README schema)."""
    import csv
    import io

    from boundcheck.report.export import to_csv
    from boundcheck.report.rows import FIELDS

    headers = {}
    for name, rows in json_rows.items():
        undeclared = {k for r in rows for k in r} - set(FIELDS)
        assert not undeclared, (name, undeclared)
        headers[name] = next(csv.reader(io.StringIO(to_csv(rows))))
    assert all(h == list(FIELDS) for h in headers.values()), headers


def test_the_readme_schema_lists_every_declared_field():
    from boundcheck.report.rows import FIELDS

    readme = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text()
    schema = readme.split("## Output schema", 1)[1].split("\n## ", 1)[0]
    table_fields = re.findall(r"`([A-Za-z_0-9]+)`", "\n".join(ln.split("|")[1] for ln in schema.splitlines()
                                                               if ln.startswith("| `")))
    assert table_fields == list(FIELDS)
