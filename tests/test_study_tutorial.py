"""Seed 004's claims (boundcheck.studies.tutorial), the per-coordinate metrics they read
(boundcheck.engine.coordinate_metrics) and the rare-feature problem (boundcheck.problems.sparse)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck.engine import RunConfig, run
from boundcheck.problems import make_problem
from boundcheck.problems.base import Problem
from boundcheck.sampling import ReplicaStreams
from boundcheck.studies import tutorial
from boundcheck.validation import InputError
from boundcheck.verify import cells


class Linear(Problem):
    """f(w) = c^T w: a constant gradient c (zero in some coordinates), no noise."""

    name, n, domain, f_star, convex = "linear", None, None, 0.0, True

    def __init__(self, c):
        self.c = np.asarray(c, float)
        self.d = self.c.size

    def loss(self, W, xp=np):
        return W @ self.c

    def grad(self, W, xp=np):
        return np.tile(self.c, (W.shape[0], 1))

    def stochastic_grad(self, W, M, sampler, xp=np):
        return self.grad(W)


def test_constant_gradient_gives_the_closed_form_effective_step():
    """AdaGrad with g_t = c: v_{t-1} = eps^2 + t c^2, so 1/Lambda_{t-1} = 1/sqrt(eps^2 + t c^2) exactly
    (to rounding); the gradient frequency is 1 where c != 0 and 0 where c = 0."""
    c = np.array([2.0, 0.5, 0.0, 1e-3])
    cps = [1, 2, 10, 100, 1000]
    res = run(Linear(c), RunConfig(algorithm="adagrad", T=1000, batch_size=1, eta=0.1, eps=1e-8, seeds=3,
                                   checkpoints=cps, metrics=("inverse_preconditioner", "gradient_frequency")))
    inv, freq = res.metrics["inverse_preconditioner"], res.metrics["gradient_frequency"]
    assert inv.shape == (5, 3, 4) and freq.shape == (5, 3, 4)
    for k, t in enumerate(cps):
        expected = 1.0 / np.sqrt(1e-16 + t * c * c)
        np.testing.assert_allclose(inv[k], np.tile(expected, (3, 1)), rtol=4 * t * np.finfo(float).eps)
        np.testing.assert_array_equal(freq[k], np.tile((c != 0).astype(float), (3, 1)))
    # the law is 1/sqrt(t): the slope of log(1/Lambda) in log t is -1/2 on coordinates with c != 0
    slope = np.diff(np.log(inv[-2:, 0, 0])) / np.diff(np.log(cps[-2:]))
    assert slope[0] == pytest.approx(-0.5, abs=1e-9)


def test_per_coordinate_metrics_keep_the_engine_invariants_and_need_a_preconditioner():
    p = make_problem("sparse-linear", d=10, n=200)
    cfg = RunConfig(algorithm="adam", option="II", T=40, batch_size=1, eta=0.05, seeds=8, seed=3,
                    checkpoints=[5, 40], metrics=("inverse_preconditioner", "gradient_frequency"))
    a = run(p, cfg)
    b = run(p, RunConfig(**{**cfg.__dict__, "chunk": 3}))
    for m in cfg.metrics:
        np.testing.assert_array_equal(a.metrics[m], b.metrics[m])
        np.testing.assert_array_equal(a.select([6, 1]).metrics[m], run(p, cfg, replicas=[6, 1]).metrics[m])
    with pytest.raises(InputError, match="diagonal preconditioner"):
        run(p, RunConfig(algorithm="sgd", T=3, metrics=("inverse_preconditioner",)))


def test_sparse_linear_frequencies_and_sparse_stochastic_gradients():
    p = make_problem("sparse-linear", d=20, n=4000, zipf=1.0, p_max=0.5)
    X = p.features()
    emp = np.mean(X != 0, axis=0)
    q = p.feature_frequency
    assert np.all(np.abs(emp - q) <= 4.5 * np.sqrt(q * (1 - q) / 4000) + 1.0 / 4000)
    G = p.stochastic_grad(np.zeros((6, 20)), 1, ReplicaStreams(2, range(6)))
    idx = ReplicaStreams(2, range(6)).indices(4000, 1)[:, 0]
    assert np.all((G != 0) <= (X[idx] != 0))  # zero outside the sample's support (l2 = 0)


@pytest.fixture(scope="module")
def rows():
    outcomes = cells.execute(tutorial.plan(T=3000, seeds=8, seed=1))
    assert not any(o.failure for o in outcomes), [o.failure for o in outcomes if o.failure]
    return tutorial.rows(outcomes, 0.99)


def test_rare_coordinates_keep_larger_steps(rows):
    sparse = [r for r in rows if r["check"] == "sparse-steps"]
    assert sparse and all(r["T"] >= 30 for r in sparse)
    last = max(sparse, key=lambda r: r["T"])
    assert last["verdict"] == "agrees" and last["ci_low"] > 1 and last["rare_frequency"] < last["frequent_frequency"]
    vs = max((r for r in rows if r["check"] == "sparse-vs-sgd"), key=lambda r: r["T"])
    assert vs["verdict"] == "agrees" and vs["ci_low"] > 1 and vs["frequent_over_sgd"] > 0


def test_the_step_freezes_like_one_over_sqrt_t_only_with_noise(rows):
    rate = {r["noise"]: r for r in rows if r["check"] == "freezing-rate"}
    assert rate[1.0]["verdict"] == "agrees" and -0.55 <= rate[1.0]["ci_low"] <= rate[1.0]["ci_high"] <= -0.45
    assert rate[0.0]["verdict"] == "disagrees" and abs(rate[0.0]["empirical"]) < 1e-6  # the step stops shrinking
    (closed,) = [r for r in rows if r["check"] == "freezing-closed-form"]
    assert closed["verdict"] == "agrees" and abs(closed["empirical"] - 1) < 0.1


def test_bad_tutorial_plans():
    with pytest.raises(InputError, match="--claims 'sparsity'"):
        tutorial.plan(claims=["sparsity"])
    with pytest.raises(InputError, match="convex"):
        tutorial.plan(problem={"name": "nonconvex-aniso", "params": {"d": 4}, "label": "x"}, claims=["sparse"])
    with pytest.raises(InputError, match="--data"):
        tutorial.plan(problem={"data": "sklearn:wine", "loss": "logistic"}, claims=["sparse"])


class _Breaks(Linear):
    """Linear, but replica id 1's gradient is inf at step 3 (it must be frozen and its metrics NaN after)."""

    def __init__(self, c):
        super().__init__(c)
        self.calls = 0

    def stochastic_grad(self, W, M, sampler, xp=np):
        G = self.grad(W)
        if self.calls == 3:
            G[[k for k, r in enumerate(sampler.replicas) if r == 1]] = np.inf
        self.calls += 1
        return G


def test_per_coordinate_metrics_of_a_diverged_replica_are_nan_after_it_stops():
    res = run(_Breaks([1.0, 2.0]), RunConfig(algorithm="adagrad", T=10, batch_size=1, seeds=3, checkpoints=[2, 10],
                                             metrics=("inverse_preconditioner", "gradient_frequency")))
    assert res.diverged.tolist() == [False, True, False]
    for m in ("inverse_preconditioner", "gradient_frequency"):
        v = res.metrics[m]
        assert np.all(np.isfinite(v[0])) and np.all(np.isnan(v[1, 1])) and np.all(np.isfinite(v[1, [0, 2]]))


def test_run_command_writes_per_coordinate_metrics_as_nested_json(capsys):
    import json

    from boundcheck.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["run", "--problem", "sparse-linear", "--d", "6", "--n", "100", "--T", "20", "--seeds", "2",
              "--metrics", "inverse_preconditioner,gradient_frequency", "--format", "json"])
    out, err = capsys.readouterr()
    assert exc.value.code == 0, err
    d = json.loads(out)
    freq = np.array(d["metrics"]["gradient_frequency"])
    assert freq.shape == (5, 2, 6) and np.all((0 <= freq) & (freq <= 1))
    assert d["summary"]["gradient_frequency"]["n"] == 2  # replicas, each the mean over coordinates


def test_tiny_runs_say_why_a_row_has_no_value_without_warnings(recwarn):
    # T = 50, 3 replicas: at the first checkpoints no replica has seen both coordinate groups yet
    # (found by the usability review: "Mean of empty slice" warnings instead of a reason)
    from boundcheck import registry
    from boundcheck.verify import cells

    sweep = registry.get("sweep", "tutorial")
    specs = sweep.plan(T=50, seeds=3, seed=0, claims=["sparse"])
    rows = sweep.rows(cells.execute(specs), 0.99)
    empty = [r for r in rows if r["check"] == "sparse-vs-sgd" and r["empirical"] is None]
    assert empty and all("replicas have seen both coordinate groups" in r["note"] for r in empty)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
