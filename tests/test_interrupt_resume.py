"""Interrupted runs lose nothing (issue 6): a sweep killed mid-run (SIGKILL), interrupted
(SIGINT, i.e. Ctrl-C) or terminated (SIGTERM) keeps its finished cells; re-running the same command computes only
the missing ones and prints exactly the rows of an uninterrupted run.

Real processes (``python -m boundcheck``), a results store in tmp. The T values grow
geometrically, so the first cell finishes fast and the last one takes most of the time: the
signal is sent as soon as the store holds one finished cell, well before the run ends (the
test checks that it was indeed mid-run).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

SWEEP = ["sweep", "T", "thm4.1", "--problem", "exptail-logistic", "--d", "6", "--n", "64",
         "--T", "200,400,800,1600,6400", "--seeds", "6", "--format", "json"]
N_CELLS = 5
COUNTS = re.compile(r"(\d+) cells computed, (\d+) read from the results store")


def _start(args, cwd):
    """A new session, so a signal can go to the whole process group as Ctrl-C in a terminal does."""
    return subprocess.Popen([sys.executable, "-m", "boundcheck", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _run(args, cwd):
    p = subprocess.run([sys.executable, "-m", "boundcheck", *args], cwd=cwd, capture_output=True, text=True,
                       timeout=600)
    return p.returncode, p.stdout, p.stderr


def _cells(store) -> dict[str, float]:
    """key -> created timestamp of every finished cell in the store (empty if not readable yet)."""
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5) as db:
            return dict(db.execute("SELECT key, created FROM cells"))
    except sqlite3.Error:
        return {}


def _wait_for_a_finished_cell(proc, store, timeout=300.0) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if os.path.exists(store) and _cells(store):
            return
        if proc.poll() is not None:
            pytest.fail(f"the sweep ended before a cell was stored: {proc.stderr.read()}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("no cell finished in time")


def _children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (Linux /proc; empty elsewhere)."""
    out = []
    for d in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _rows(stdout: str) -> list[dict]:
    return json.loads(stdout)["rows"]  # provenance (date, command, cache path) aside


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted run's rows."""
    cwd = tmp_path_factory.mktemp("reference")
    code, out, err = _run([*SWEEP, "--cache", str(cwd / "ref.sqlite")], cwd)
    assert code == 0, err
    m = COUNTS.search(err)
    assert m and (int(m[1]), int(m[2])) == (N_CELLS, 0), err
    return _rows(out)


@pytest.mark.parametrize("how, workers", [("SIGKILL", "1"), ("SIGINT", "1"), ("SIGINT", "2"), ("SIGTERM", "2")])
def test_interrupted_sweep_resumes_without_recomputing(how, workers, reference, tmp_path):
    store = tmp_path / "results.sqlite"
    args = [*SWEEP, "--cache", str(store), "--workers", workers]
    proc = _start(args, tmp_path)
    _wait_for_a_finished_cell(proc, store)
    workers_before = _children(proc.pid)
    if how == "SIGINT":  # Ctrl-C in a terminal: SIGINT to the whole process group (workers included)
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, how))
    _, err = proc.communicate(timeout=120)
    if how == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
    else:  # exit 130 / 143, exactly one line, no traceback (from the parent or a worker)
        assert proc.returncode == (130 if how == "SIGINT" else 143), err
        assert err == ("boundcheck: interrupted\n" if how == "SIGINT" else "boundcheck: terminated\n"), err
        t0 = time.monotonic()  # and no worker process is left computing
        while any(_alive(p) for p in workers_before) and time.monotonic() - t0 < 10:
            time.sleep(0.1)
        left = [p for p in workers_before if _alive(p)]
        for p in left:  # clean up what this test started before failing
            os.kill(p, signal.SIGKILL)
        assert not left, f"worker processes still running after the parent exited: {left}"
    kept = _cells(store)
    assert 1 <= len(kept) < N_CELLS, "the signal did not arrive mid-run"

    code, out, err = _run(args, tmp_path)
    assert code == 0, err
    assert _rows(out) == reference  # equal to an uninterrupted run
    m = COUNTS.search(err)
    assert m, err
    assert (int(m[1]), int(m[2])) == (N_CELLS - len(kept), len(kept))  # only the missing cells computed
    after = _cells(store)
    assert len(after) == N_CELLS
    assert {k: after[k] for k in kept} == kept  # finished cells untouched (same created stamps)
