"""Cells: cached one by one, resumed after an interruption, identical for any worker count.

A fake cell kind stands in for the expensive theorem checks: its result is a deterministic
function of the spec, and every call is logged to a file so the tests can see which cells
were really computed (also from worker processes).
"""

import json
import os

import numpy as np
import pytest

from boundcheck.store import ResultStore
from boundcheck.validation import InputError
from boundcheck.verify import cells

LOG_ENV = "BOUNDCHECK_TEST_CELL_LOG"


def fake_compute(spec):
    log = os.environ.get(LOG_ENV)
    if log:
        with open(log, "a") as fh:
            fh.write(json.dumps(spec["i"]) + "\n")
    if spec.get("refuse"):
        raise InputError(f"cell {spec['i']} refused: assumption X fails")
    if spec.get("crash"):
        raise RuntimeError("boom")
    if spec.get("interrupt_at") == spec["i"]:
        raise KeyboardInterrupt
    rng = np.random.default_rng(spec["i"])
    return {"samples": rng.normal(1.0, 0.1, size=spec["R"]), "i": spec["i"], "tuple": (1, 2)}


def fake_summarise(spec, result, confidence):
    x = np.asarray(result["samples"])
    return {"theorem": "fake", "algorithm": "-", "problem": "p", "d": 1, "T": spec["i"], "M": 1,
            "seeds": x.size, "empirical": float(x.mean()), "ci_low": None, "ci_high": None,
            "bound": 2.0, "ratio": float(x.mean()) / 2.0, "verdict": "holds", "confidence": confidence}


#: The fake kind, named by reference so spawned workers find it too.
FAKE = cells.CellKind(fake_compute, fake_summarise)
KIND = "test_verify_cells:FAKE"


def specs(n, **extra):
    return [{"kind": KIND, "i": i, "R": 5, **extra} for i in range(n)]


def computed(log):
    return sorted(json.loads(line) for line in log.read_text().splitlines()) if log.exists() else []


@pytest.fixture
def log(tmp_path, monkeypatch):
    path = tmp_path / "calls.log"
    monkeypatch.setenv(LOG_ENV, str(path))
    return path


def test_fresh_results_are_normalised_like_stored_ones(tmp_path, log):
    with ResultStore(tmp_path / "s.sqlite") as store:
        fresh = cells.execute(specs(3), store=store)
        again = cells.execute(specs(3), store=store)
    assert [o.cached for o in fresh] == [False] * 3
    assert [o.cached for o in again] == [True] * 3
    assert [o.result for o in fresh] == [o.result for o in again]
    assert fresh[0].result["tuple"] == [1, 2]  # JSON round trip applied to fresh results too
    assert computed(log) == [0, 1, 2]  # the second run computed nothing


def test_rerun_after_interruption_computes_only_missing_cells(tmp_path, log):
    path = tmp_path / "s.sqlite"
    plan = specs(6)
    with ResultStore(path) as store:
        with pytest.raises(KeyboardInterrupt):
            cells.execute([dict(s, interrupt_at=3) if s["i"] == 3 else s for s in plan], store=store)
    assert computed(log) == [0, 1, 2, 3]  # 0..2 finished and were stored; 3 was interrupted
    log.unlink()
    with ResultStore(path) as store:
        resumed = cells.execute(plan, store=store)
    assert computed(log) == [3, 4, 5]
    uninterrupted = cells.execute(plan, store=None)
    assert [o.result for o in resumed] == [o.result for o in uninterrupted]


def test_collect_only_computes_nothing_and_reports_missing(tmp_path, log):
    with ResultStore(tmp_path / "s.sqlite") as store:
        cells.execute(specs(2), store=store)
        log.unlink()
        out = cells.execute(specs(4), store=store, collect_only=True)
    assert not log.exists()
    assert [o.result is not None for o in out] == [True, True, False, False]
    assert [cells.summarise(o, 0.99) is None for o in out] == [False, False, True, True]


def test_results_do_not_depend_on_worker_count(log):
    one = cells.execute(specs(5), workers=1)
    two = cells.execute(specs(5), workers=2)
    assert [o.result for o in one] == [o.result for o in two]
    assert [o.spec for o in one] == [o.spec for o in two]  # plan order, not finishing order


def test_refusal_is_an_error_row_and_cached_but_a_crash_is_not(tmp_path, log):
    plan = [{"kind": KIND, "i": 0, "R": 3, "refuse": True}, {"kind": KIND, "i": 1, "R": 3, "crash": True},
            {"kind": KIND, "i": 2, "R": 3}]
    with ResultStore(tmp_path / "s.sqlite") as store:
        out = cells.execute(plan, store=store)
        rows = [cells.summarise(o, 0.99) for o in out]
        assert rows[0]["verdict"] == "error" and "assumption X fails" in rows[0]["note"]
        assert rows[1]["verdict"] == "error" and "internal error" in rows[1]["note"]
        assert rows[2]["verdict"] == "holds"
        assert store.get(cells.normalise(plan[0])) == {"error": "cell 0 refused: assumption X fails"}
        assert store.get(cells.normalise(plan[1])) is None  # a bug is never cached
    with pytest.raises(RuntimeError, match="boom"):
        cells.execute(plan[1:2], debug=True)


def test_identical_specs_are_computed_once(log):
    out = cells.execute(specs(2) + specs(2))
    assert computed(log) == [0, 1]
    assert [o.result for o in out[:2]] == [o.result for o in out[2:]]


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="no cell kind"):
        cells.compute_cell({"kind": "nope"})
