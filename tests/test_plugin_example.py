"""The example plugin (examples/plugin) installed for real, and a broken plugin next to it.

A throw-away virtual environment (sharing this one's site-packages) gets boundcheck (editable,
this checkout) and the example plugin installed with pip; then the commands a user would type
run in it: ``theorems``, ``show``, ``verify ID``, bare ``verify``, ``run`` with the plugin's
algorithm and problem. A second, broken plugin (its entry point names a missing module) must be
reported in one line while everything else keeps working. The rest of the suite never sees
either plugin (they live only in the throw-away environment).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "examples" / "plugin"

pytestmark = pytest.mark.slow


def _pip(venv: Path, *args: str) -> None:
    r = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
                        "--no-build-isolation", *args], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    base = tmp_path_factory.mktemp("plugin")
    env = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(env)], check=True, timeout=300)
    _pip(env, "-e", str(ROOT))
    _pip(env, str(PLUGIN))
    broken = base / "broken"
    (broken / "broken_plugin").mkdir(parents=True)
    (broken / "broken_plugin" / "__init__.py").write_text("MANIFEST = {'theorem': ['broken_plugin.missing:THEOREM']}\n")
    (broken / "pyproject.toml").write_text(textwrap.dedent("""
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "boundcheck-broken-plugin"
        version = "0.0.1"
        [project.entry-points."boundcheck.plugins"]
        broken = "broken_plugin:MANIFEST"
        [tool.setuptools]
        packages = ["broken_plugin"]
    """))
    _pip(env, str(broken))
    return env


def bc(venv: Path, *args: str, cwd=None):
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([str(venv / "bin" / "boundcheck"), *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd, env=env)


def test_plugin_theorem_is_listed_shown_and_verified(venv, tmp_path):
    r = bc(venv, "theorems", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {t["id"]: t for t in json.loads(r.stdout)}
    assert rows["signgd-l1"]["source"] == "example" and rows["thm4.1"]["source"] == "boundcheck"
    # the broken plugin is one line on stderr, naming it; the rest works
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "'broken'" in lines[0] and "Traceback" not in r.stderr, r.stderr

    r = bc(venv, "show", "signgd-l1")
    assert r.returncode == 0 and "proof chain:" in r.stdout and "FAILED" not in r.stdout, r.stdout + r.stderr

    r = bc(venv, "verify", "signgd-l1", "--no-cache", "--format", "json", "--seeds", "4", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)["rows"]
    assert [row["theorem"] for row in out] == ["signgd-l1", "signgd-l1"]
    assert all(row["verdict"] == "holds" and 0 < row["ratio"] <= 1 for row in out), out

    r = bc(venv, "run", "--algorithm", "sign-descent", "--problem", "logcosh-separable", "-p", "d=6",
           "--T", "30", "--batch-size", "full", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["config"]["algorithm"] == "sign-descent"


def test_bare_verify_includes_the_plugin_theorem(venv, tmp_path):
    r = bc(venv, "verify", "--no-cache", "--format", "json", "--T", "50", "--seeds", "4", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    ids = [row["theorem"] for row in json.loads(r.stdout)["rows"]]
    assert "signgd-l1" in ids and "thm4.1" in ids and "lemmaE.2" in ids


def test_nothing_under_boundcheck_names_the_plugin_components():
    names = ("sign-descent", "logcosh-separable", "signgd-l1", "boundcheck_example")
    for path in (ROOT / "boundcheck").rglob("*.py"):
        text = path.read_text()
        for n in names:
            assert n not in text, (path, n)


def test_the_plugin_components_are_one_file_each():
    files = sorted(p.name for p in (PLUGIN / "boundcheck_example").glob("*.py"))
    assert files == ["__init__.py", "logcosh.py", "sign_descent.py", "signgd_theorem.py"]


def test_the_plugins_own_property_tests_pass_in_its_environment(venv):
    """The steps of signgd-l1's derivation that SymPy does not prove name these tests."""
    r = subprocess.run([str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        str(PLUGIN / "tests")], capture_output=True, text=True, timeout=600, cwd=str(PLUGIN))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 passed" in r.stdout
