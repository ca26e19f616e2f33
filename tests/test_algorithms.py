"""The engine's algorithms against independent, line-by-line transcriptions of the paper's
pseudocode (Liu, Pan, Zhang 2025, Algorithms 1-3), to 1e-12.

The reference below is deliberately plain: one replica at a time, Python loops over samples
and coordinates, per-sample gradients written from the loss formulas, and its own
projections (clipping; a scalar root find with ``scipy.optimize.brentq`` for the ball in the
Lambda-norm). It shares with the engine only the *random numbers*, which it re-derives
from the stream contract of :mod:`boundcheck.sampling`: replica r's minibatch indices
come from ``SeedSequence(seed, spawn_key=(r, 0))`` in blocks of 64 steps, oracle noise from
``spawn_key=(r, 1)``, one ``standard_normal(d)`` per step.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from boundcheck import normal_streams
from boundcheck.algorithms import adagrad, adagrad_norm, projections, sgd
from boundcheck.engine import RunConfig, run
from boundcheck.sampling import INDEX_BLOCK
from boundcheck.problems.base import Ball, Box, Problem
from boundcheck.problems.exptail import exptail_features
from boundcheck.problems.finite_sum import FiniteSumProblem
from boundcheck.problems.quadratic import QuadraticOracle

TOL = 1e-12


# --------------------------------------------------------------------------- reference
def _gen(seed, r, purpose):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(r, purpose))))


class RefSampler:
    """Re-derives replica r's random numbers from the documented stream contract."""

    def __init__(self, seed, r, n=None, M=None):
        self.batch = _gen(seed, r, 0)
        # the NOISE stream: call t of the counter-based normal stream keyed by (seed, r, 1)
        self.key = np.random.SeedSequence(seed, spawn_key=(r, 1)).generate_state(2, np.uint32).astype(np.uint64)
        self.calls = 0
        self.n, self.M = n, M
        self.block, self.pos = None, INDEX_BLOCK

    def normal(self, d):
        z = normal_streams.reference(self.key[None, :], self.calls, d)[0]
        self.calls += 1
        return z

    def indices(self):
        if self.pos >= INDEX_BLOCK:
            self.block = self.batch.integers(0, self.n, size=(INDEX_BLOCK, self.M), dtype=np.int64)
            self.pos = 0
        out = self.block[self.pos]
        self.pos += 1
        return out


def ref_sample_grad_finite(X, y, loss, l2, w, i):
    """grad f_i(w), written from the loss formula, coordinate by coordinate."""
    d = len(w)
    m = sum(X[i, j] * w[j] for j in range(d))
    if loss == "logistic":
        coef = -y[i] / (1.0 + math.exp(y[i] * m))
    else:
        coef = m - y[i]
    return [coef * X[i, j] + l2 * w[j] for j in range(d)]


def ref_full_grad_finite(X, y, loss, l2, w):
    n = X.shape[0]
    gs = [ref_sample_grad_finite(X, y, loss, l2, w, i) for i in range(n)]
    return [sum(g[j] for g in gs) / n for j in range(len(w))]


def ref_proj_box(y, lo, hi):
    return [min(max(y[j], lo[j]), hi[j]) for j in range(len(y))]


def ref_proj_ball_weighted(y, lam, c, r):
    """argmin_{||z-c|| <= r} sum_j lam_j (z_j - y_j)^2 by the KKT scalar equation."""
    u = [y[j] - c[j] for j in range(len(y))]
    if math.sqrt(sum(x * x for x in u)) <= r:
        return list(y)

    def gap(mu):
        return math.sqrt(sum((lam[j] * u[j] / (lam[j] + mu)) ** 2 for j in range(len(u)))) - r

    hi = 1.0
    while gap(hi) > 0:
        hi *= 2.0
    mu = brentq(gap, 0.0, hi, xtol=1e-300, rtol=1e-15, maxiter=500)
    return [c[j] + lam[j] * u[j] / (lam[j] + mu) for j in range(len(u))]


def ref_proj_ball_euclid(y, c, r):
    u = [y[j] - c[j] for j in range(len(y))]
    nrm = math.sqrt(sum(x * x for x in u))
    if nrm <= r:
        return list(y)
    return [c[j] + r * u[j] / nrm for j in range(len(y))]


def ref_run(algorithm, option, domain, grad_fn, w0, T, etas, eps):
    """Algorithms 1-3 for one replica; returns (w_T, w_bar_T, sum_j sqrt(sum_t g_tj^2),
    number of steps where the projection moved the point)."""
    d = len(w0)
    w = list(w0)
    v = [eps * eps] * d  # AdaGrad: v_{-1} = eps^2 1
    vs = eps * eps  # AdaGrad-Norm: v_{-1} = eps^2
    sum_w = [0.0] * d
    g2 = [0.0] * d
    moved = 0
    for t in range(T):
        g = grad_fn(w, t)
        for j in range(d):
            sum_w[j] += w[j]
            g2[j] += g[j] * g[j]
        if algorithm == "adagrad":
            for j in range(d):
                v[j] = v[j] + g[j] * g[j]
            lam = [math.sqrt(v[j]) for j in range(d)]
            yv = [w[j] - etas[t] * g[j] / lam[j] for j in range(d)]
        elif algorithm == "sgd":
            lam = None
            yv = [w[j] - etas[t] * g[j] for j in range(d)]
        else:
            vs = vs + sum(g[j] * g[j] for j in range(d))
            b = math.sqrt(vs)
            lam = None
            yv = [w[j] - etas[t] * g[j] / b for j in range(d)]
        if option == "I":
            if isinstance(domain, Box):
                z = ref_proj_box(yv, domain.lower, domain.upper)
            elif lam is not None:
                z = ref_proj_ball_weighted(yv, lam, domain.center, domain.radius)
            else:
                z = ref_proj_ball_euclid(yv, domain.center, domain.radius)
            moved += any(abs(z[j] - yv[j]) > 0 for j in range(d))
            w = z
        else:
            w = yv
    wbar = [s / T for s in sum_w]
    return np.array(w), np.array(wbar), sum(math.sqrt(x) for x in g2), moved


# --------------------------------------------------------------------------- problems
def small_logistic(domain="auto"):
    rng = np.random.default_rng(7)
    X = exptail_features(40, 5, 0.4, 0.0, rng)
    y = np.sign(X @ rng.uniform(-1, 1, 5) + 0.3 * rng.standard_normal(40))
    y[y == 0] = 1
    return FiniteSumProblem(X, y, "logistic", l2=0.05, domain=domain, name="small-logistic")


def small_linear(domain):
    rng = np.random.default_rng(8)
    X = exptail_features(30, 4, 0.5, 0.2, rng)
    y = X @ rng.uniform(-2, 2, 4) + 0.1 * rng.standard_normal(30)
    return FiniteSumProblem(X, y, "squared", l2=0.0, domain=domain, name="small-linear")


def small_quadratic(domain=None):
    p = QuadraticOracle(d=6, tau=0.5, noise=0.7, rank=1, coupling=0.5, rotate=1, seed_problem=3)
    if domain is not None:
        p.domain = domain
    return p


def finite_grad_fn(p, sampler, M):
    X, y = p.features(), p.labels()

    def fn(w, t):
        if M is None:
            return ref_full_grad_finite(X, y, p.loss_name, p.l2, w)
        idx = sampler.indices()
        gs = [ref_sample_grad_finite(X, y, p.loss_name, p.l2, w, int(i)) for i in idx]
        return [sum(g[j] for g in gs) / M for j in range(len(w))]

    return fn


def oracle_grad_fn(p, sampler, M):
    H = p.smoothness_matrix()  # the dense H: a separate code path from the engine's
    ws, sig = p.w_star, p.sigma

    def fn(w, t):
        d = len(w)
        g = [sum(H[j, k] * (w[k] - ws[k]) for k in range(d)) for j in range(d)]
        if M is None:
            return g
        z = sampler.normal(d)
        return [g[j] + sig[j] / math.sqrt(M) * z[j] for j in range(d)]

    return fn


CASES = [
    # (problem factory, option, M, eta, schedule)
    ("logistic-box", lambda: small_logistic(Box(lower=-0.25 * np.ones(5), upper=0.2 * np.ones(5))), "I", 3, 2.0, "constant"),
    ("logistic-free", lambda: small_logistic(None), "II", 3, 0.5, "sqrt-decay"),
    ("logistic-ball", lambda: small_logistic(Ball(center=np.zeros(5), radius=0.3)), "I", 2, 1.0, "constant"),
    ("linear-ball-full", lambda: small_linear(Ball(center=np.zeros(4), radius=0.5)), "I", None, 0.8, "constant"),
    ("linear-box", lambda: small_linear(Box(lower=-0.4 * np.ones(4), upper=0.3 * np.ones(4))), "I", 4, 1.0, "sqrt-decay"),
    ("quadratic-box", lambda: small_quadratic(Box(lower=-0.2 * np.ones(6), upper=0.25 * np.ones(6))), "I", 2, 1.5, "constant"),
    ("quadratic-free", lambda: small_quadratic(), "II", 1, 0.3, "sqrt-decay"),
    ("quadratic-ball", lambda: small_quadratic(Ball(center=0.1 * np.ones(6), radius=0.25)), "I", 1, 1.0, "constant"),
]


@pytest.mark.parametrize("algorithm", ["adagrad", "sgd", "adagrad-norm"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_engine_matches_pseudocode_transcription(algorithm, case):
    name, make, option, M, eta, schedule = case
    p = make()
    init = "zeros" if isinstance(p.domain, Ball) else "uniform:0.2"
    T, R, seed, eps = 40, 3, 11, 1e-3
    if algorithm == "sgd":
        eta = eta * 0.3
    res = run(p, RunConfig(algorithm=algorithm, option=option, T=T, batch_size=M, eta=eta,
                           schedule=schedule, eps=eps, seeds=R, seed=seed, init=init,
                           metrics=("g_sqrt_sum", "diverged")))
    assert not res.diverged.any()
    etas = [eta if schedule == "constant" else eta / math.sqrt(t + 1) for t in range(T)]
    moved_total = 0
    for r in range(R):
        if init == "zeros":
            w0 = np.zeros(p.d)
        else:
            w0 = _gen(seed, r, 2).uniform(-0.2, 0.2, size=p.d)  # the INIT stream
        sampler = RefSampler(seed, r, n=p.n, M=M)
        fn = finite_grad_fn(p, sampler, M) if p.n is not None else oracle_grad_fn(p, sampler, M)
        wT, wbar, gsum, moved = ref_run(algorithm, option, p.domain, fn, list(w0), T, etas, eps)
        moved_total += moved
        np.testing.assert_allclose(res.final_iterate[r], wT, rtol=TOL, atol=TOL)
        np.testing.assert_allclose(res.average_iterate[r], wbar, rtol=TOL, atol=TOL)
        assert abs(res.metrics["g_sqrt_sum"][-1, r] - gsum) <= TOL * max(1.0, gsum)
    if option == "I":
        assert moved_total > 0, "the projection never acted: the case does not test Option I"


def test_hand_computed_2d_full_batch_adagrad():
    """f(w) = (w_1^2 + 4 w_2^2)/2, w_0 = (1, 1), eta = 1/2, full batch, eps -> 0.

    t = 0: g_0 = (1, 4), v_0 = (1, 16), Lambda_0 = diag(1, 4), w_1 = (1/2, 1/2).
    t = 1: g_1 = (1/2, 2), v_1 = (5/4, 20), w_2 = 1/2 - (1/2)(1/2)/sqrt(5/4) = 1/2 - 1/(2 sqrt 5)
    in both coordinates (AdaGrad is invariant to the diagonal rescaling).
    w_bar_2 = (w_0 + w_1)/2 = (3/4, 3/4); f(w_bar_2) = (9/16 + 4 * 9/16)/2 = 45/32.
    """

    class Diag2(Problem):
        name, d, n, domain, f_star = "diag2", 2, None, None, 0.0
        h = np.array([1.0, 4.0])

        def loss(self, W, xp=np):
            return 0.5 * xp.sum(self.h * W * W, axis=-1)

        def grad(self, W, xp=np):
            return self.h * W

    res = run(Diag2(), RunConfig(algorithm="adagrad", option="II", T=2, batch_size=None, eta=0.5,
                                 eps=1e-12, seeds=1, init=np.array([1.0, 1.0]),
                                 metrics=("avg_iterate_gap", "trace_lambda"), checkpoints=[1, 2]))
    w2 = 0.5 - 1.0 / (2.0 * math.sqrt(5.0))
    np.testing.assert_allclose(res.final_iterate[0], [w2, w2], rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.average_iterate[0], [0.75, 0.75], rtol=0, atol=1e-12)
    assert abs(res.metrics["avg_iterate_gap"][1, 0] - 45.0 / 32.0) < 1e-12
    # tr Lambda_0 = 1 + 4 at t = 1; tr Lambda_1 = sqrt(5/4) + sqrt(20) at t = 2
    assert abs(res.metrics["trace_lambda"][0, 0] - 5.0) < 1e-9
    assert abs(res.metrics["trace_lambda"][1, 0] - (math.sqrt(1.25) + math.sqrt(20.0))) < 1e-9


def test_adagrad_on_one_coordinate_is_adagrad_norm():
    """Metamorphic: in d = 1, Alg. 1 and Alg. 3 coincide (||g||^2 = g^2)."""
    p = QuadraticOracle(d=1, tau=2.0, noise=0.5)
    cfg = dict(option="I", T=50, batch_size=2, eta=0.7, seeds=4, seed=5, metrics=("trace_lambda",))
    a = run(p, RunConfig(algorithm="adagrad", **cfg))
    b = run(p, RunConfig(algorithm="adagrad-norm", **cfg))
    np.testing.assert_array_equal(a.final_iterate, b.final_iterate)
    np.testing.assert_allclose(a.metrics["trace_lambda"], b.metrics["trace_lambda"], rtol=1e-15)


# --------------------------------------------------------------------------- projections
@pytest.mark.parametrize("seed", range(5))
def test_weighted_ball_projection_is_the_kkt_point(seed):
    """The secular-equation projection solves min sum lam (z-y)^2 s.t. ||z-c|| <= r:
    feasible, on the sphere when y is outside, and optimal against a generic solver."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(seed)
    d, R = 7, 6
    c = rng.normal(size=d)
    r = 0.5
    Y = c + rng.normal(size=(R, d)) * np.array([0.1, 3, 0.5, 1, 2, 0.05, 1])[:d]
    lam = np.exp(rng.uniform(-6, 6, size=(R, d)))  # wildly anisotropic weights
    P = projections.BallProjection(center=c, radius=r)
    Z = P.project(Y, lam, np)
    for k in range(R):
        u = Y[k] - c
        if np.linalg.norm(u) <= r:
            np.testing.assert_array_equal(Z[k], Y[k])
            continue
        assert abs(np.linalg.norm(Z[k] - c) - r) <= 1e-13
        ref = ref_proj_ball_weighted(list(Y[k]), list(lam[k]), list(c), r)
        np.testing.assert_allclose(Z[k], ref, rtol=1e-12, atol=1e-13)
        obj = lambda z: float(np.sum(lam[k] * (z - Y[k]) ** 2))  # noqa: E731
        cons = {"type": "ineq", "fun": lambda z: r * r - np.sum((z - c) ** 2)}
        alt = minimize(obj, c + 0.5 * r * u / np.linalg.norm(u), constraints=[cons], method="SLSQP",
                       options={"ftol": 1e-14, "maxiter": 500})
        assert obj(Z[k]) <= alt.fun * (1 + 1e-8) + 1e-14


def test_box_projection_is_clipping_in_any_diagonal_norm():
    P = projections.BoxProjection(lower=np.array([-1.0, 0.0]), upper=np.array([1.0, 2.0]))
    Y = np.array([[3.0, -1.0], [0.5, 1.0]])
    for lam in (None, np.array([[1.0, 100.0], [1e-3, 5.0]])):
        np.testing.assert_array_equal(P.project(Y, lam, np), [[1.0, 0.0], [0.5, 1.0]])


def test_state_updates_follow_the_definitions():
    """v_t includes the current gradient; AdaGrad-Norm's v_t adds ||g_t||^2."""
    w = np.zeros((1, 3))
    g = np.array([[1.0, -2.0, 0.5]])
    st = adagrad.make(eps=0.1).init(w, np)
    np.testing.assert_array_equal(st.v, [[0.1 * 0.1] * 3])
    w1, st1 = adagrad.update(w, g, st, 1.0, None, np)
    np.testing.assert_allclose(st1.v, 0.01 + g * g)
    np.testing.assert_allclose(w1, -g / np.sqrt(0.01 + g * g))
    sn = adagrad_norm.make(eps=0.1).init(w, np)
    w2, sn1 = adagrad_norm.update(w, g, sn, 2.0, None, np)
    np.testing.assert_allclose(sn1.v, [[0.01 + 5.25]])
    np.testing.assert_allclose(w2, -2.0 * g / math.sqrt(5.26))
    alg = sgd.make()
    w3, _ = alg.update(w, g, alg.init(w, np), 0.5, None, np)
    np.testing.assert_allclose(w3, -0.5 * g)
