"""The engine: seeded replicas, chunking, checkpoints, Lemma C.2, backends, divergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck.engine import RunConfig, log_checkpoints, run
from boundcheck.sampling import ReplicaStreams
from boundcheck.problems.base import Ball, Box, Problem
from boundcheck.problems.exptail import exptail_features
from boundcheck.problems.finite_sum import FiniteSumProblem
from boundcheck.problems import make_problem
from boundcheck.validation import InputError


def logistic(d=6, n=50, sparse=False, domain="auto"):
    rng = np.random.default_rng(1)
    X = exptail_features(n, d, 0.5, 0.5 if sparse else 0.0, rng)
    y = np.sign(X @ rng.uniform(-1, 1, d) + 0.3 * rng.standard_normal(n))
    y[y == 0] = 1
    if sparse:
        import scipy.sparse as sps

        X = sps.csr_matrix(X)
    return FiniteSumProblem(X, y, "logistic", l2=0.01, domain=domain, name="t-logistic")


PROBLEMS = {
    "logistic-dense": lambda: logistic(),
    "logistic-sparse": lambda: logistic(sparse=True),
    "quadratic": lambda: make_problem("quadratic-oracle", d=8, rank=2, rotate=1),
    "nonconvex": lambda: make_problem("nonconvex-aniso", d=8),
}


def _same(a, b):
    np.testing.assert_array_equal(a.final_iterate, b.final_iterate)
    np.testing.assert_array_equal(a.average_iterate, b.average_iterate)
    assert a.metrics.keys() == b.metrics.keys()
    for k in a.metrics:
        np.testing.assert_array_equal(a.metrics[k], b.metrics[k])


# --------------------------------------------------------------------------- seeding
@pytest.mark.parametrize("name", list(PROBLEMS))
@pytest.mark.parametrize("algorithm", ["adagrad", "sgd"])
def test_replicas_together_equal_replicas_alone_bit_for_bit(name, algorithm):
    p = PROBLEMS[name]()
    option = "II" if p.domain is None else "I"
    cfg = RunConfig(algorithm=algorithm, option=option, T=150, batch_size=3, eta=0.3, seeds=8, seed=42,
                    init="uniform:0.1" if p.domain is None else "zeros")
    together = run(p, cfg)
    for r in range(8):
        _same(together.select([r]), run(p, cfg, replicas=[r]))
    # chunking never changes results
    _same(together, run(p, RunConfig(**{**cfg.__dict__, "chunk": 3})))
    # a subset in another order is the same columns
    _same(together.select([5, 2]), run(p, cfg, replicas=[5, 2]))


def test_different_seeds_and_replicas_differ():
    p = PROBLEMS["quadratic"]()
    a = run(p, RunConfig(T=20, seeds=2, seed=1, batch_size=1))
    b = run(p, RunConfig(T=20, seeds=2, seed=2, batch_size=1))
    assert not np.array_equal(a.final_iterate[0], a.final_iterate[1])
    assert not np.array_equal(a.final_iterate, b.final_iterate)


def test_large_batch_of_replicas_in_the_numpy_hot_path_matches_chunks():
    """The dense minibatch path blocks replicas for the cache; blocks must not matter."""
    p = logistic(d=30, n=200)
    cfg = RunConfig(algorithm="adagrad", option="II", T=60, batch_size=32, seeds=21, seed=3)
    _same(run(p, cfg), run(p, RunConfig(**{**cfg.__dict__, "chunk": 1})))


def test_prefix_consistency_and_checkpoint_semantics():
    """Metrics at checkpoint t are over the first t iterates w_0..w_{t-1}: rebuild them from
    runs of length s (same streams => w_s is run(T=s).final_iterate)."""
    p = PROBLEMS["nonconvex"]()
    base = dict(algorithm="adagrad", option="II", batch_size=2, eta=0.4, seeds=3, seed=9)
    T = 7
    res = run(p, RunConfig(T=T, checkpoints=range(1, T + 1),
                           metrics=("mean_gap", "avg_iterate_gap", "last_iterate_gap",
                                    "mean_grad_l1_sq", "mean_grad_l2", "grad_l2_sq"), **base))
    iterates = [np.zeros((3, p.d))] + [run(p, RunConfig(T=s, **base)).final_iterate for s in range(1, T + 1)]
    for t in range(1, T + 1):
        ws = iterates[:t]
        f = [p.loss(w) for w in ws]
        gr = [p.grad(w) for w in ws]
        np.testing.assert_allclose(res.metrics["mean_gap"][t - 1], np.mean(f, axis=0) - p.f_star, rtol=1e-12)
        wbar = np.mean(ws, axis=0)
        np.testing.assert_allclose(res.metrics["avg_iterate_gap"][t - 1], p.loss(wbar) - p.f_star, rtol=1e-12)
        np.testing.assert_allclose(res.metrics["last_iterate_gap"][t - 1], p.loss(iterates[t]) - p.f_star, rtol=1e-12)
        np.testing.assert_allclose(res.metrics["mean_grad_l1_sq"][t - 1],
                                   np.mean([np.sum(np.abs(g), axis=1) ** 2 for g in gr], axis=0), rtol=1e-12)
        np.testing.assert_allclose(res.metrics["mean_grad_l2"][t - 1],
                                   np.mean([np.linalg.norm(g, axis=1) for g in gr], axis=0), rtol=1e-12)
        np.testing.assert_allclose(res.metrics["grad_l2_sq"][t - 1],
                                   np.sum(p.grad(iterates[t]) ** 2, axis=1), rtol=1e-12)


def test_noise_sqrt_sum_is_zero_for_full_batch_and_matches_lemma_E2_scale():
    p = make_problem("quadratic-oracle", d=10, noise=1.0)
    full = run(p, RunConfig(T=20, batch_size=None, seeds=2, metrics=("noise_sqrt_sum", "g_sqrt_sum")))
    assert np.all(full.metrics["noise_sqrt_sum"] == 0.0)
    T, M = 400, 4
    res = run(p, RunConfig(T=T, batch_size=M, seeds=64, metrics=("noise_sqrt_sum",), checkpoints=[T]))
    # n_tj ~ N(0, sigma_j^2/M) i.i.d., so sum_t n_tj^2 = (sigma_j^2/M) chi2_T and
    # E sum_j sqrt(.) = ||sigma||_1 / sqrt(M) * sqrt(2) Gamma((T+1)/2) / Gamma(T/2)  (< the
    # Lemma E.2 bound ||sigma||_1 sqrt(T/M) by Jensen)
    expected = np.sum(p.sigma) / math.sqrt(M) * math.sqrt(2.0) * math.exp(
        math.lgamma((T + 1) / 2) - math.lgamma(T / 2))
    vals = res.metrics["noise_sqrt_sum"][0]
    assert abs(vals.mean() - expected) <= 4.5 * vals.std(ddof=1) / math.sqrt(vals.size)
    # Lemma E.2 on the engine's output: E.2 is within 0.1% of tight here (Jensen gap ~ 1/(4T)),
    # so compare the interval's lower end, not the point estimate, with the bound
    se = vals.std(ddof=1) / math.sqrt(vals.size)
    assert vals.mean() - 4.5 * se <= np.sum(p.sigma) * math.sqrt(T / M)


# --------------------------------------------------------------------------- Lemma C.2
def _per_sample_grads(p, w):
    X, y = p.features(), p.labels()
    X = X.toarray() if hasattr(X, "toarray") else X
    m = (X @ w) * y
    coef = -y / (1.0 + np.exp(m))
    return coef[:, None] * X + p.l2 * w


@pytest.mark.parametrize("M", [1, 4, 16])
@pytest.mark.parametrize("sparse", [False, True])
def test_lemma_C2_minibatch_variance_is_sigma2_over_M_finite_sum(M, sparse):
    """Var[g_j] = Var_i[d_j f_i(w)] / M for batches drawn uniformly with replacement."""
    p = logistic(sparse=sparse)
    rng = np.random.default_rng(0)
    w = rng.uniform(-0.5, 0.5, p.d)
    Gi = _per_sample_grads(p, w)
    target = Gi.var(axis=0) / M  # population variance over the n samples
    R, K = 4000, 5
    streams = ReplicaStreams(123, range(R))
    W = np.tile(w, (R, 1))
    draws = np.concatenate([p.stochastic_grad(W, M, streams) for _ in range(K)])
    _check_variance(draws, Gi.mean(axis=0), target)


@pytest.mark.parametrize("M", [1, 8])
def test_lemma_C2_minibatch_variance_is_sigma2_over_M_oracle(M):
    p = make_problem("quadratic-oracle", d=6, noise=2.0, rank=1, rotate=1)
    w = np.linspace(-0.5, 0.5, p.d)
    R = 20000
    draws = p.stochastic_grad(np.tile(w, (R, 1)), M, ReplicaStreams(5, range(R)))
    _check_variance(draws, p.grad(w[None, :])[0], p.sigma ** 2 / M)


def _check_variance(draws, mean, target, z=4.5):
    N = draws.shape[0]
    c = draws - draws.mean(axis=0)
    emp = (c * c).mean(axis=0)
    se_var = np.sqrt(((c * c - emp) ** 2).mean(axis=0) / N)
    assert np.all(np.abs(emp - target) <= z * se_var + 1e-15), (emp, target, se_var)
    se_mean = np.sqrt(emp / N)
    assert np.all(np.abs(draws.mean(axis=0) - mean) <= z * se_mean + 1e-15)  # unbiased


# --------------------------------------------------------------------------- backends, dtypes
@pytest.mark.parametrize("case", ["quadratic-box", "quadratic-ball", "logistic", "nonconvex"])
@pytest.mark.parametrize("algorithm", ["adagrad", "adagrad-norm", "sgd"])
def test_array_api_strict_backend_matches_numpy(case, algorithm):
    """The engine math runs on array-api-strict (no NumPy-only call leaks in)."""
    pytest.importorskip("array_api_strict")
    option = "I"
    if case == "quadratic-box":
        p = make_problem("quadratic-oracle", d=6, rank=1, rotate=1)
    elif case == "quadratic-ball":
        p = make_problem("quadratic-oracle", d=6, rank=1)
        p.domain = Ball(center=np.zeros(6), radius=0.3)
    elif case == "logistic":
        p = logistic(domain=Box(lower=-0.3 * np.ones(6), upper=0.3 * np.ones(6)))
    else:
        p, option = make_problem("nonconvex-aniso", d=6), "II"
    kw = dict(algorithm=algorithm, option=option, T=30, batch_size=2, eta=0.8, seeds=3, seed=4)
    a = run(p, RunConfig(backend="numpy", **kw))
    b = run(p, RunConfig(backend="array-api-strict", **kw))
    np.testing.assert_allclose(b.final_iterate, a.final_iterate, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(b.average_iterate, a.average_iterate, rtol=1e-12, atol=1e-13)
    for k in a.metrics:
        np.testing.assert_allclose(b.metrics[k], a.metrics[k], rtol=1e-10, atol=1e-13)


def test_float32_runs_in_float32_and_tracks_float64():
    p = make_problem("quadratic-oracle", d=20)
    kw = dict(T=200, batch_size=4, eta=0.5, seeds=4, seed=1, option="I")
    a = run(p, RunConfig(dtype="float64", **kw))
    b = run(p, RunConfig(dtype="float32", **kw))
    assert not np.array_equal(a.final_iterate, b.final_iterate)  # really computed in float32
    # rounding budget: eps_32 (1.2e-7) x T (200) x |w| (<= 1 on the box) ~ 2.4e-5; 1e-4 leaves 4x
    np.testing.assert_allclose(b.final_iterate, a.final_iterate, atol=1e-4)


def test_cupy_backend_gives_one_line_error_when_unavailable():
    try:
        import cupy  # noqa: F401

        pytest.skip("CuPy is installed")
    except Exception:
        pass
    with pytest.raises(InputError, match="cupy"):
        run(make_problem("quadratic-oracle", d=4), RunConfig(T=2, backend="cupy"))


# --------------------------------------------------------------------------- divergence
class Exploding(Problem):
    """f = |w|^2/2; the oracle returns inf for replica id 2 at step 5 (and NaN for id 4 at
    step 7): those replicas must be frozen and flagged, the others untouched."""

    name, d, n, domain, f_star = "exploding", 3, None, None, 0.0

    def __init__(self):
        self.calls = 0

    def loss(self, W, xp=np):
        return 0.5 * np.sum(W * W, axis=-1)

    def grad(self, W, xp=np):
        return W.copy()

    def stochastic_grad(self, W, M, rng, xp=np):
        z = rng.standard_normal(self.d)
        g = W + 0.1 * z
        reps = rng.replicas
        step = self.calls
        self.calls += 1
        for k, r in enumerate(reps):
            if r == 2 and step == 5:
                g[k] = np.inf
            if r == 4 and step == 7:
                g[k, 0] = np.nan
        return g


@pytest.mark.parametrize("algorithm", ["adagrad", "sgd", "adagrad-norm"])
def test_divergence_stops_only_that_replica(algorithm):
    cfg = RunConfig(algorithm=algorithm, T=20, batch_size=1, eta=0.1, seeds=6, seed=0, init="uniform:1",
                    checkpoints=[1, 5, 6, 10, 20])
    res = run(Exploding(), cfg)
    assert res.diverged.tolist() == [False, False, True, False, True, False]
    assert res.diverged_at[2] == 5 and res.diverged_at[4] == 7
    assert np.all(np.isfinite(res.final_iterate)) and np.all(np.isfinite(res.average_iterate))
    gap = res.metrics["last_iterate_gap"]
    assert np.all(np.isfinite(gap[:, [0, 1, 3, 5]]))
    assert np.isfinite(gap[1, 2]) and np.all(np.isnan(gap[2:, 2]))  # valid up to t=5, then stopped
    assert res.metrics["diverged"][-1].tolist() == [0, 0, 1, 0, 1, 0]
    assert not np.any(np.isnan(res.metrics["diverged"]))
    s = res.summary()
    assert all(v["mean"] is None or math.isfinite(v["mean"]) for v in s.values())
    assert s["last_iterate_gap"]["n"] == 4 and s["last_iterate_gap"]["n_diverged"] == 2
    # the healthy replicas are exactly what they are in a run without the bad ones
    alone = run(Exploding(), cfg, replicas=[0, 1, 3, 5])
    np.testing.assert_array_equal(alone.final_iterate, res.final_iterate[[0, 1, 3, 5]])


def test_exploding_run_flags_all_replicas_and_finishes():
    p = make_problem("quadratic-oracle", d=5, noise=0.0)
    res = run(p, RunConfig(algorithm="sgd", option="II", T=3000, batch_size=1, eta=10.0, seeds=3,
                           init="uniform:0.5"))
    assert res.diverged.all() and np.all(res.diverged_at >= 0)
    assert np.all(np.isfinite(res.final_iterate))
    assert res.summary()["avg_iterate_gap"]["mean"] is None


# --------------------------------------------------------------------------- configuration
@pytest.mark.parametrize("kw, msg", [
    (dict(algorithm="adam"), "algorithm"),
    (dict(option="III"), "option"),
    (dict(T=0), "T="),
    (dict(batch_size=0), "batch_size"),
    (dict(eta=-1.0), "eta"),
    (dict(eps=0.0), "eps"),
    (dict(schedule="cosine"), "schedule"),
    (dict(init="ones"), "init"),
    (dict(init="uniform:-1"), "half-width"),
    (dict(dtype="float16"), "dtype"),
    (dict(checkpoints=[0, 5]), "checkpoint"),
    (dict(metrics=("avg_gap",)), "metric"),
    (dict(seeds=0), "seeds"),
])
def test_bad_config_is_one_line_input_error(kw, msg):
    with pytest.raises(InputError, match=msg) as err:
        run(make_problem("quadratic-oracle", d=3), RunConfig(**{"T": 5, **kw}))
    assert "\n" not in str(err.value)


def test_option_I_needs_a_domain_and_a_feasible_start():
    with pytest.raises(InputError, match="feasible set"):
        run(make_problem("nonconvex-aniso", d=3), RunConfig(T=5, option="I"))
    with pytest.raises(InputError, match="outside"):
        run(make_problem("quadratic-oracle", d=3), RunConfig(T=5, option="I", init="uniform:3"))
    with pytest.raises(InputError, match="trace_lambda"):
        run(make_problem("quadratic-oracle", d=3), RunConfig(T=5, algorithm="sgd", metrics=("trace_lambda",)))


def test_default_checkpoints_are_log_spaced_and_end_at_T():
    assert log_checkpoints(2000).tolist() == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]
    assert log_checkpoints(1).tolist() == [1]
    assert log_checkpoints(10).tolist() == [1, 2, 5, 10]


def test_schedule_array_and_callable_agree_with_named():
    p = make_problem("quadratic-oracle", d=4)
    kw = dict(T=30, seeds=2, batch_size=1, eta=0.5)
    a = run(p, RunConfig(schedule="sqrt-decay", **kw))
    b = run(p, RunConfig(schedule=lambda t: 0.5 / math.sqrt(t + 1), **kw))
    c = run(p, RunConfig(schedule=0.5 / np.sqrt(np.arange(30) + 1.0), **kw))
    _same(a, b)
    _same(a, c)


def test_progress_is_called_at_each_checkpoint():
    seen = []
    run(make_problem("quadratic-oracle", d=3), RunConfig(T=20, seeds=2), progress=lambda t, T: seen.append((t, T)))
    assert seen == [(1, 20), (2, 20), (5, 20), (10, 20), (20, 20)]


def test_d_1e5_oracle_runs_in_O_Rd_memory():
    """quadratic-oracle at d = 1e5 (W2's size) runs a few steps with every metric."""
    from boundcheck.engine import METRIC_NAMES

    p = make_problem("quadratic-oracle", d=100_000, rank=1)
    res = run(p, RunConfig(T=3, seeds=2, batch_size=1, option="I", metrics=METRIC_NAMES))
    assert res.final_iterate.shape == (2, 100_000)
    assert all(np.all(np.isfinite(v)) for v in res.metrics.values())
