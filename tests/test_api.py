"""The Python API (issue 15): the names exported from ``boundcheck``, lazily; the documented
examples (every ```python block of docs/api.md and the README) run as written; ``verify_rows``
returns the rows ``boundcheck verify --format json`` prints."""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys

import pytest

import boundcheck

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _blocks(path: pathlib.Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", path.read_text(), re.S | re.M)


DOCUMENTED = [(name, i, code) for name in ("docs/api.md", "README.md") for i, code in enumerate(_blocks(ROOT / name))]


def test_the_docs_have_examples():
    names = {name for name, _, _ in DOCUMENTED}
    assert names == {"docs/api.md", "README.md"}
    flow = "".join(code for name, _, code in DOCUMENTED if name == "docs/api.md")
    for step in ("make_problem", "problem_constants", "bc.run(", "evaluate(", "verify_rows("):
        assert step in flow


@pytest.mark.parametrize("name, index, code", DOCUMENTED, ids=[f"{n}#{i}" for n, i, _ in DOCUMENTED])
def test_documented_example_runs(name, index, code, tmp_path):
    """Each block in a fresh interpreter, in an empty directory (no store is written there)."""
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"{name} block {index} failed:\n{r.stderr}"
    assert not (tmp_path / ".boundcheck").exists()


def test_import_is_cheap_and_names_resolve():
    code = ("import sys, boundcheck; heavy = [m for m in ('numpy', 'scipy', 'sympy', 'click') if m in sys.modules];"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert out.strip() == "[]"
    for name in boundcheck.__all__:
        assert getattr(boundcheck, name) is not None
    with pytest.raises(AttributeError, match="the API: .*verify_rows"):
        boundcheck.no_such_name  # noqa: B018


def test_verify_rows_equal_the_commands_json_rows(capsys):
    from boundcheck.cli import main

    args = ["thm4.1", "lemmaE.2", "--problem", "exptail-logistic", "--d", "8", "-p", "n=64", "--T", "30,60",
            "--seeds", "3", "--no-cache", "-q", "--format", "json"]
    with pytest.raises(SystemExit) as ex:
        main(["verify", *args])
    assert ex.value.code == 0
    cli_rows = json.loads(capsys.readouterr().out)["rows"]
    api_rows = boundcheck.verify_rows(["thm4.1", "lemmaE.2"], problem="exptail-logistic", params={"n": 64}, d=8,
                                      T=[30, 60], seeds=3)
    assert json.loads(json.dumps(api_rows)) == cli_rows


@pytest.mark.parametrize("call, fragment", [
    (lambda: boundcheck.verify_rows("thm4.1", T=0), "T=0 is out of range"),
    (lambda: boundcheck.verify_rows("thm9", T=10), "unknown theorem or lemma 'thm9'"),
    (lambda: boundcheck.verify_rows("thm4.1", problem="exptail-logistic", d=6, params={"d": 8}), "disagree"),
    (lambda: boundcheck.verify_rows("thm4.1", data="sklearn:wine"), "allowed: l2 > 0"),
    (lambda: boundcheck.verify_rows("thm4.1", seeds=1), "seeds=1 is out of range"),
    (lambda: boundcheck.evaluate("thm4.1", {"T": 10}), "allowed: a number for each of"),
    (lambda: boundcheck.make_problem("quadratic-oracle", dd=3), "allowed: d, tau"),
    (lambda: boundcheck.load_data("/no/such/file.svm"), "data '/no/such/file.svm'"),
])
def test_api_errors_name_what_is_allowed_without_cli_phrases(call, fragment):
    with pytest.raises(boundcheck.InputError) as err:
        call()
    msg = str(err.value)
    assert fragment in msg and "\n" not in msg
    assert "NAME=VALUE" not in msg and "--data" not in msg
