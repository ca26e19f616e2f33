"""Adam, AdaSGD and blockwise Adam (boundcheck.algorithms.adam) against literal transcriptions of
Kingma and Ba's Algorithm 1, their closed-form limits, and each other.

The engine invariants (replicas together = alone = chunked, array-api-strict = NumPy,
divergence) run for these algorithms in tests/test_engine.py, parametrised over the registry.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck.algorithms.adam import make_adam, make_adasgd, make_blockwise
from boundcheck.engine import RunConfig, run
from boundcheck.problems import make_problem
from boundcheck.validation import InputError


# --------------------------------------------------------------------------- references
def kingma_ba(grads, w0, etas, beta1, beta2, eps, groups=None):
    """Algorithm 1 of Kingma and Ba (2015), one replica, Python loops; ``groups``: a list of
    coordinate lists sharing one second moment (fed with their mean square); None: Adam."""
    d = len(w0)
    groups = [[j] for j in range(d)] if groups is None else groups
    w = list(w0)
    m = [0.0] * d
    v = [0.0] * len(groups)
    out = []
    for t, g in enumerate(grads, start=1):
        for j in range(d):
            m[j] = beta1 * m[j] + (1 - beta1) * g[j]
        for b, idx in enumerate(groups):
            v[b] = beta2 * v[b] + (1 - beta2) * sum(g[j] * g[j] for j in idx) / len(idx)
        for b, idx in enumerate(groups):
            vhat = v[b] / (1 - beta2 ** t)
            for j in idx:
                mhat = m[j] / (1 - beta1 ** t)
                w[j] = w[j] - etas[t - 1] * mhat / (math.sqrt(vhat) + eps)
        out.append(list(w))
    return out


def run_update(alg, grads, w0, etas):
    """The algorithm's own update on one replica, fed the same gradients."""
    w = np.asarray(w0, float)[None, :]
    state = alg.init(w, np)
    out = []
    for t, g in enumerate(grads):
        w, state = alg.update(w, np.asarray(g, float)[None, :], state, etas[t], None, np)
        out.append(w[0].copy())
    return np.array(out)


def _grads(T, d, seed=0):
    rng = np.random.default_rng(seed)
    scale = np.exp(-0.7 * np.arange(d))
    return [list(rng.standard_normal(d) * scale + 0.1) for _ in range(T)]


@pytest.mark.parametrize("beta1, beta2", [(0.9, 0.999), (0.0, 0.99), (0.5, 0.5), (0.95, 0.9999)])
def test_adam_matches_kingma_ba_algorithm_1(beta1, beta2):
    d, T = 5, 200
    grads = _grads(T, d)
    etas = [0.01 / math.sqrt(t + 1) for t in range(T)]
    ref = np.array(kingma_ba(grads, [0.3] * d, etas, beta1, beta2, 1e-8))
    got = run_update(make_adam(beta1, beta2, 1e-8), grads, [0.3] * d, etas)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("k", [1, 2, 3, 7])
def test_blockwise_and_adasgd_match_kingma_ba_with_shared_moments(k):
    d, T = 7, 120
    grads = _grads(T, d, seed=1)
    etas = [0.02] * T
    sizes = [len(a) for a in np.array_split(np.arange(d), k)]
    groups, s = [], 0
    for n in sizes:
        groups.append(list(range(s, s + n)))
        s += n
    ref = np.array(kingma_ba(grads, [0.0] * d, etas, 0.9, 0.99, 1e-8, groups))
    got = run_update(make_blockwise(k, 0.9, 0.99, 1e-8), grads, [0.0] * d, etas)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)
    if k == 1:
        np.testing.assert_allclose(run_update(make_adasgd(0.9, 0.99, 1e-8), grads, [0.0] * d, etas), ref,
                                   rtol=1e-12, atol=1e-14)


def test_first_step_with_and_without_bias_correction():
    """t = 0: with correction m_hat = g, v_hat = g^2, so the step is eta g/(|g| + eps) (|step| <= eta,
    Kingma and Ba Sec. 2.1); without it m = (1-b1) g, v = (1-b2) g^2."""
    g = np.array([[3.0, -0.5, 1e-3, 0.0]])
    w = np.zeros_like(g)
    for corrected in (True, False):
        alg = make_adam(0.9, 0.999, 1e-8, corrected)
        w1, _ = alg.update(w, g, alg.init(w, np), 0.1, None, np)
        if corrected:
            expected = -0.1 * g / (np.abs(g) + 1e-8)
        else:
            expected = -0.1 * 0.1 * g / (math.sqrt(0.001) * np.abs(g) + 1e-8)
        np.testing.assert_allclose(w1, expected, rtol=1e-14, atol=0)


# --------------------------------------------------------------------------- the beta2 -> 1 limit
def _limit_reference(problem, w0, T, eta, eps):
    """beta1 = 0, beta2 -> 1 with bias correction (module docstring of boundcheck.algorithms.adam):
    w_{t+1} = w_t - eta sqrt(t+1) g_t / (sqrt(sum_{s<=t} g_s^2) + eps sqrt(t+1)), exact gradients."""
    w = np.asarray(w0, float).copy()
    S = np.zeros_like(w)
    out = []
    for t in range(T):
        g = problem.grad(w[None, :])[0]
        S += g * g
        w = w - eta * math.sqrt(t + 1) * g / (np.sqrt(S) + eps * math.sqrt(t + 1))
        out.append(w.copy())
    return np.array(out)


def _engine_trajectory(problem, T, eta, eps, **hyper):
    """w_1 .. w_T from the engine (full batch), one run per T (streams make prefixes exact)."""
    w0 = np.full(problem.d, 0.2)
    cfg = dict(algorithm="adam", option="II", batch_size=None, eta=eta, eps=eps, seeds=1, init=w0,
               hyperparameters=hyper, metrics=("last_iterate_gap",))
    return np.array([run(problem, RunConfig(T=t, **cfg)).final_iterate[0] for t in (1, 2, 5, 10, 40)])


def test_beta2_one_is_adagrad_with_growing_step_to_rounding():
    """Adam(beta1=0, beta2=1) is the closed form above: AdaGrad without v_{-1}, step eta sqrt(t+1),
    eps sqrt(t+1) outside the root. Equal to rounding (the engine keeps the running mean
    v_hat_t = (1 - 1/(t+1)) v_hat_{t-1} + g_t^2/(t+1), the reference the running sum: a few ulps per step)."""
    p = make_problem("quadratic-oracle", d=6, rank=2, noise=0.0)
    T, eta, eps = 40, 0.05, 1e-8
    ref = _limit_reference(p, np.full(6, 0.2), T, eta, eps)[[0, 1, 4, 9, 39]]
    got = _engine_trajectory(p, T, eta, eps, beta1=0.0, beta2=1.0)
    np.testing.assert_allclose(got, ref, rtol=0, atol=64 * T * np.finfo(float).eps)


def test_beta2_to_one_converges_linearly_in_one_minus_beta2():
    """For beta2 = 1 - delta the averaging weights are delta beta2^(t-s)/(1 - beta2^(t+1)) = (1 + O(delta t))/(t+1):
    the distance to the limit trajectory is O(delta) (here T = 40). Measured: dev(delta)/delta is the same
    constant within 10% for delta = 1e-4, 1e-6 (so the rate is linear), and it vanishes with delta."""
    p = make_problem("quadratic-oracle", d=6, rank=2, noise=0.0)
    T, eta, eps = 40, 0.05, 1e-8
    lim = _engine_trajectory(p, T, eta, eps, beta1=0.0, beta2=1.0)
    devs = {}
    for delta in (1e-2, 1e-4, 1e-6):
        got = _engine_trajectory(p, T, eta, eps, beta1=0.0, beta2=1.0 - delta)
        devs[delta] = float(np.max(np.abs(got - lim)))
    assert devs[1e-2] > devs[1e-4] > devs[1e-6] > 0
    c4, c6 = devs[1e-4] / 1e-4, devs[1e-6] / 1e-6
    assert abs(c4 / c6 - 1) < 0.1, devs
    assert devs[1e-6] < 1e-6 * T * 0.2  # |w| <= 0.2 scale: O(delta T |w|)


# --------------------------------------------------------------------------- blocks: k = d, k = 1
@pytest.mark.parametrize("option", ["I", "II"])
def test_blockwise_k_equals_d_is_adam_and_k_one_is_adasgd_bit_for_bit(option):
    p = make_problem("quadratic-oracle", d=10, rank=2, rotate=1)
    kw = dict(option=option, T=150, batch_size=2, eta=0.1, seeds=5, seed=3, schedule="sqrt-decay",
              metrics=("avg_iterate_gap", "last_iterate_gap", "trace_lambda"))
    for k, other in ((10, "adam"), (1, "adasgd")):
        for hyper in ({}, {"beta1": 0.0, "beta2": 1.0}, {"bias_correction": False}):
            a = run(p, RunConfig(algorithm="blockwise-adam", hyperparameters={"blocks": k, **hyper}, **kw))
            b = run(p, RunConfig(algorithm=other, hyperparameters=hyper, **kw))
            np.testing.assert_array_equal(a.final_iterate, b.final_iterate)
            np.testing.assert_array_equal(a.average_iterate, b.average_iterate)
            for m in kw["metrics"]:
                np.testing.assert_array_equal(a.metrics[m], b.metrics[m])
    # and a genuine partition differs from both
    c = run(p, RunConfig(algorithm="blockwise-adam", hyperparameters={"blocks": 3}, **kw))
    assert not np.array_equal(c.final_iterate, a.final_iterate)


def test_adasgd_step_is_a_multiple_of_the_momentum():
    """One shared second moment: every step is (scalar) x m_hat (the reason AdaSGD is rotation-equivariant)."""
    alg = make_adasgd(0.8, 0.99, 1e-8)
    rng = np.random.default_rng(2)
    w = np.zeros((3, 5))
    st = alg.init(w, np)
    for _ in range(6):
        g = rng.standard_normal((3, 5))
        w1, st = alg.update(w, g, st, 0.1, None, np)
        ratio = (w - w1) / st.m
        np.testing.assert_allclose(ratio, ratio[:, :1] * np.ones((1, 5)), rtol=1e-13)
        w = w1


# --------------------------------------------------------------------------- validation
@pytest.mark.parametrize("alg, hyper, msg", [
    ("adam", {"beta1": 1.0}, "beta1"),
    ("adam", {"beta2": 1.5}, "beta2"),
    ("adam", {"eps": 0.0}, "eps"),
    ("adasgd", {"beta1": -0.1}, "beta1"),
    ("blockwise-adam", {"blocks": 0}, "blocks"),
    ("blockwise-adam", {"blocks": 9}, "blocks=9 is out of range for d=4"),
])
def test_bad_hyperparameters_are_one_line_errors(alg, hyper, msg):
    with pytest.raises(InputError, match=msg) as err:
        run(make_problem("quadratic-oracle", d=4), RunConfig(algorithm=alg, T=3, hyperparameters=hyper))
    assert "\n" not in str(err.value)
