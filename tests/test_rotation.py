"""The ``rotate`` problem transform (boundcheck.problems.rotation): Q, the rotated problem's
values, gradients, noise and feasible set, the constants recomputed on it, and the
equivariance facts the rotation sweep reports (SGD and AdaSGD are rotation-equivariant;
AdaGrad and Adam are permutation-equivariant only)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck.constants.provider import Assembly
from boundcheck.engine import RunConfig, run
from boundcheck.problems import make_problem, problem_parameters
from boundcheck.problems.base import Ball, Box
from boundcheck.problems.rotation import Rotation, RotatedProblem, rotated_domain
from boundcheck.sampling import ReplicaStreams
from boundcheck.validation import InputError
from boundcheck.verify.tolerance import rounding_tolerance

KINDS = [("haar", None), ("blocks", 3), ("permutation", None)]


@pytest.mark.parametrize("kind, k", KINDS)
def test_Q_is_orthogonal_and_the_row_maps_agree_with_it(kind, k):
    d = 10
    rot = Rotation(kind, d, seed=7, k=k)
    Q = rot.matrix()
    np.testing.assert_allclose(Q.T @ Q, np.eye(d), atol=1e-13)
    W = np.random.default_rng(0).standard_normal((5, d))
    np.testing.assert_allclose(rot.to_base(W), W @ Q, atol=1e-14)  # rows w -> Q^T w
    np.testing.assert_allclose(rot.from_base(W), W @ Q.T, atol=1e-14)  # rows g -> Q g
    np.testing.assert_allclose(rot.to_base(rot.from_base(W)), W, atol=1e-14)
    if kind == "permutation":
        assert set(np.abs(Q).ravel()) == {0.0, 1.0} and np.array_equal(rot.to_base(rot.from_base(W)), W)
    if kind == "blocks":  # block diagonal over the contiguous split 4, 3, 3
        mask = np.zeros((d, d), bool)
        for a, b in ((0, 4), (4, 7), (7, 10)):
            mask[a:b, a:b] = True
        assert np.all(Q[~mask] == 0) and np.all(np.abs(Q[mask]).sum() > 0)
    # seeded: same seed, same Q; another seed, another Q
    np.testing.assert_array_equal(Rotation(kind, d, 7, k).matrix(), Q)
    assert not np.array_equal(Rotation(kind, d, 8, k).matrix(), Q)


def test_haar_first_column_is_uniform_on_the_sphere():
    """The sign fix of Mezzadri (2007) matters: numpy's QR alone gives a biased Q[0, 0].
    Over 3000 seeds at d = 3: E Q_00 = 0 and E Q_00^2 = 1/3 within 4.5 standard errors."""
    x = np.array([Rotation("haar", 3, s).matrix()[0, 0] for s in range(3000)])
    se = x.std() / math.sqrt(x.size)
    assert abs(x.mean()) <= 4.5 * se
    x2 = x * x
    assert abs(x2.mean() - 1 / 3) <= 4.5 * x2.std() / math.sqrt(x.size)


@pytest.mark.parametrize("name, params", [("quadratic-oracle", {"d": 8, "rank": 2}),
                                          ("exptail-logistic", {"d": 7, "n": 50}),
                                          ("exptail-linear", {"d": 6, "n": 40, "l2": 0.01})])
@pytest.mark.parametrize("rotation", ["haar", "blocks:2", "permutation"])
def test_f_Q_of_Qw_is_f_of_w_and_the_gradients_rotate(name, params, rotation):
    base = make_problem(name, **params)
    p = make_problem(name, **params, rotation=rotation, seed_rotation=2)
    assert isinstance(p, RotatedProblem) and p.describe()["rotation"] == rotation
    Q = p.rotation.matrix()
    W = np.random.default_rng(1).uniform(-1, 1, (4, base.d))
    WQ = W @ Q.T  # rows Q w
    np.testing.assert_allclose(p.loss(WQ), base.loss(W), rtol=1e-12)
    np.testing.assert_allclose(p.grad(WQ), base.grad(W) @ Q.T, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(p.smoothness_matrix(), Q @ base.smoothness_matrix() @ Q.T, atol=1e-13)
    np.testing.assert_allclose(p.w_star, Q @ base.w_star, atol=1e-13)
    assert p.f_star == base.f_star
    # the stochastic gradient uses the base problem's draw at Q^T w: same indices / normals
    g0 = base.stochastic_grad(W, 3, ReplicaStreams(5, range(4)))
    g1 = p.stochastic_grad(WQ, 3, ReplicaStreams(5, range(4)))
    np.testing.assert_allclose(g1, g0 @ Q.T, rtol=1e-11, atol=1e-13)
    if base.features() is not None:
        np.testing.assert_allclose(p.features(), base.features() @ Q.T, atol=1e-14)


def test_oracle_noise_sigma_is_recomputed_exactly():
    """sigma_Q,j^2 = sum_k Q_jk^2 sigma_k^2 (the diagonal of Q diag(sigma^2) Q^T): the empirical
    per-coordinate variance matches it (equality, not only a bound), ||sigma||_2 is invariant and
    ||sigma||_1 is not."""
    base = make_problem("quadratic-oracle", d=6, tau=0.8, noise=2.0)
    p = make_problem("quadratic-oracle", d=6, tau=0.8, noise=2.0, rotation="haar", seed_rotation=3)
    sig = p.exact_constants()["sigma"]
    Q = p.rotation.matrix()
    np.testing.assert_allclose(sig ** 2, np.diag(Q @ np.diag(base.sigma ** 2) @ Q.T), rtol=1e-13)
    assert np.linalg.norm(sig) == pytest.approx(np.linalg.norm(base.sigma), rel=1e-13)
    s2 = np.linalg.norm(base.sigma)  # ||sigma_Q||_1 moves inside [||sigma||_2, sqrt(d) ||sigma||_2]
    assert s2 <= np.sum(sig) <= math.sqrt(6) * s2 and abs(np.sum(sig) / np.sum(base.sigma) - 1) > 0.1
    R = 40000
    w = np.linspace(-0.5, 0.5, 6)
    G = p.stochastic_grad(np.tile(w, (R, 1)), 1, ReplicaStreams(11, range(R)))
    emp = G.var(axis=0)
    se = np.sqrt(((G - G.mean(0)) ** 4).mean(0) - emp ** 2) / math.sqrt(R)
    assert np.all(np.abs(emp - sig ** 2) <= 4.5 * se), (emp, sig ** 2)
    # Assembly: sigma is the problem's exact statement; L is certified again (not carried)
    a, a0 = Assembly(p), Assembly(base)
    np.testing.assert_allclose(a.require("sigma").value, sig)
    assert a.require("L").kind == "certified"
    assert a.require("L_norm1").value > 1.5 * a0.require("L_norm1").value  # diagonal H, rotated
    assert a.require("trace_H").value == pytest.approx(a0.require("trace_H").value, rel=1e-12)
    assert a.require("lambda_max_H").value == pytest.approx(a0.require("lambda_max_H").value, rel=1e-10)


def test_finite_sum_sigma_is_certified_on_the_rotated_data_and_domain():
    base = make_problem("exptail-linear", d=6, n=40, l2=0.01)
    p = make_problem("exptail-linear", d=6, n=40, l2=0.01, rotation="haar", seed_rotation=1)
    a = Assembly(p)
    s = a.require("sigma")
    assert s.kind == "certified" and "sigma" not in p.exact_constants()
    # per-sample noise variance at points of the rotated W, from the rotated features
    X, y = p.features(), p.labels()
    rng = np.random.default_rng(3)
    lo, hi = p.domain.lower, p.domain.upper
    for _ in range(200):
        w = rng.uniform(lo, hi) if rng.random() < 0.5 else np.where(rng.random(6) < 0.5, lo, hi)
        Gi = (X @ w - y)[:, None] * X
        assert np.all(Gi.var(axis=0) <= np.asarray(s.value) ** 2 * (1 + 1e-12))
    assert not np.allclose(s.value, Assembly(base).require("sigma").value)


def test_rotated_domain_rules():
    rot = Rotation("haar", 4, seed=0)
    ball = Ball(center=np.array([1.0, 0, 0, 0]), radius=0.5)
    nb = rotated_domain(ball, rot, None)
    assert nb.radius == 0.5 and np.allclose(nb.center, rot.matrix()[:, 0])
    box = Box(lower=-np.ones(4), upper=np.ones(4))
    assert rotated_domain(box, rot, np.full(4, 0.79)) is box  # inside with the 1.25 margin: kept
    big = rotated_domain(box, rot, np.array([0.1, -1.3, 0.0, 0.2]))
    assert np.all(big.upper == 1.75) and np.all(big.lower == -1.75)  # 1.25 * 1.3 = 1.625 -> 1.75
    perm = Rotation("permutation", 4, seed=1)
    pb = rotated_domain(Box(lower=np.array([0., 1, 2, 3]), upper=np.array([1., 2, 3, 4])), perm, None)
    np.testing.assert_array_equal(pb.lower, perm.vector(np.array([0., 1, 2, 3])))
    # the rotated problem's minimiser is inside its W (Assumption 3.1), for every test instance
    for name, params in (("quadratic-oracle", {"d": 64}), ("exptail-logistic", {"d": 16, "n": 100})):
        p = make_problem(name, **params, rotation="haar")
        assert p.domain.contains(p.w_star)


def test_transform_parameters_are_declared_and_validated():
    assert {"rotation", "seed_rotation"} <= set(problem_parameters("quadratic-oracle"))
    assert {"rotation", "seed_rotation"} <= set(problem_parameters("exptail-logistic"))
    assert "rotation" not in problem_parameters("nonconvex-aniso")
    assert not isinstance(make_problem("quadratic-oracle", d=4, rotation="none"), RotatedProblem)
    for bad, msg in (("spin", "rotation='spin' is not allowed"), ("blocks:0", "blocks:K"),
                     ("blocks:9", "out of range for d=4")):
        with pytest.raises(InputError, match=msg) as err:
            make_problem("quadratic-oracle", d=4, rotation=bad)
        assert "\n" not in str(err.value)
    with pytest.raises(InputError, match="needs d <= 5000"):
        make_problem("quadratic-oracle", d=6000, rotation="haar")
    with pytest.raises(InputError, match="seed_rotation"):
        make_problem("quadratic-oracle", d=4, rotation="haar", seed_rotation=-1)
    with pytest.raises(InputError, match="no parameter 'rotation'"):
        make_problem("nonconvex-aniso", d=4, rotation="haar")
    # a permutation of a large structured quadratic needs no dense matrix
    p = make_problem("quadratic-oracle", d=20000, rank=2, rotation="permutation")
    A = p.smoothness_structure()
    assert A is not None and A.d == 20000


# --------------------------------------------------------------------------- engine on rotated problems
@pytest.mark.parametrize("name, params", [("quadratic-oracle", {"d": 8, "rank": 2}),
                                          ("exptail-logistic", {"d": 6, "n": 50})])
@pytest.mark.parametrize("alg", ["sgd", "adagrad", "adam"])
def test_engine_invariants_on_rotated_problems(name, params, alg):
    p = make_problem(name, **params, rotation="haar", seed_rotation=1)
    cfg = RunConfig(algorithm=alg, option="I", T=60, batch_size=2, eta=0.3, seeds=8, seed=4)
    together = run(p, cfg)
    for r in (0, 5):
        alone = run(p, cfg, replicas=[r])
        np.testing.assert_array_equal(together.final_iterate[r], alone.final_iterate[0])
    chunked = run(p, RunConfig(**{**cfg.__dict__, "chunk": 3}))
    np.testing.assert_array_equal(together.final_iterate, chunked.final_iterate)
    pytest.importorskip("array_api_strict")
    strict = run(p, RunConfig(**{**cfg.__dict__, "backend": "array-api-strict", "seeds": 3}))
    np.testing.assert_allclose(strict.final_iterate, together.final_iterate[:3], rtol=1e-12, atol=1e-13)


def _pair(name, params, rotation, alg, T=300, M=2, seeds=6, option="II", eta=None, hyper=None):
    base = make_problem(name, **params)
    p = make_problem(name, **params, rotation=rotation, seed_rotation=5)
    if eta is None:
        eta = 1.0 / Assembly(base).require("lambda_max_H").value
    kw = dict(algorithm=alg, option=option, T=T, batch_size=M, eta=eta, seeds=seeds, seed=2,
              init="uniform:0.5", metrics=("avg_iterate_gap", "last_iterate_gap"), hyperparameters=hyper)
    a = run(base, RunConfig(**kw))
    # the same initial points, rotated: init from the base run's draws
    w0 = ReplicaStreams(2, range(seeds)).uniform(-0.5, 0.5, base.d)
    b_runs = [run(p, RunConfig(**{**kw, "init": p.rotation.vector(w0[r]), "seeds": 1, "seed": 2}),
                  replicas=[r]) for r in range(seeds)]
    wQ = np.vstack([b.final_iterate for b in b_runs])
    gaps = np.concatenate([b.metrics["avg_iterate_gap"][-1] for b in b_runs])
    return a, wQ, gaps, p.rotation.matrix()


@pytest.mark.parametrize("name, params", [("quadratic-oracle", {"d": 12, "rank": 2, "noise": 0.5}),
                                          ("exptail-logistic", {"d": 8, "n": 80})])
@pytest.mark.parametrize("alg", ["sgd", "adasgd"])
def test_sgd_and_adasgd_are_rotation_equivariant_to_rounding(name, params, alg):
    """Same draws, w_0^Q = Q w_0: w_T^Q = Q w_T within the rounding rule of
    boundcheck.verify.tolerance (T steps of 3 length-d products: rounding_tolerance(T, 3d, M))."""
    eta = None if alg == "sgd" else 0.05
    a, wQ, gaps, Q = _pair(name, params, "haar", alg, eta=eta)
    T, M, d = 300, 2, params["d"]
    tol = rounding_tolerance(T=T, d=3 * d, M=M)
    scale = np.max(np.abs(a.final_iterate))
    assert np.max(np.abs(wQ - a.final_iterate @ Q.T)) <= tol.absolute(scale)
    g = a.metrics["avg_iterate_gap"][-1]
    fs = abs(make_problem(name, **params).f_star)
    kappa = np.max((np.abs(g + fs) + fs) / g)  # the gap's cancellation f(w) - f*
    assert np.max(np.abs(gaps - g)) <= kappa * tol.rtol * np.max(np.abs(g))


@pytest.mark.parametrize("alg, hyper", [("adagrad", None), ("adam", None), ("blockwise-adam", {"blocks": 3})])
def test_coordinate_wise_methods_are_permutation_equivariant_bit_for_bit_and_not_rotation_equivariant(alg, hyper):
    params = {"d": 12, "rank": 2, "noise": 0.5}
    a, wQ, gaps, Q = _pair("quadratic-oracle", params, "permutation", alg, eta=0.05, hyper=hyper)
    if alg != "blockwise-adam":  # a permutation mixes blocks: blockwise Adam is equivariant only within them
        np.testing.assert_array_equal(wQ, a.final_iterate @ Q.T)
        np.testing.assert_array_equal(gaps, a.metrics["avg_iterate_gap"][-1])
    a, wQ, gaps, Q = _pair("quadratic-oracle", params, "haar", alg, eta=0.05, hyper=hyper)
    tol = rounding_tolerance(T=300, d=36, M=2)
    assert np.max(np.abs(wQ - a.final_iterate @ Q.T)) > 1e6 * tol.absolute(np.max(np.abs(a.final_iterate)))


def test_blockwise_adam_is_equivariant_under_rotations_within_its_blocks():
    """A rotation inside each block leaves each block's mean square unchanged: blockwise Adam with
    the same blocks is equivariant under blocks:K (to rounding), Adam is not."""
    params = {"d": 12, "rank": 2, "noise": 0.5}
    a, wQ, _, Q = _pair("quadratic-oracle", params, "blocks:3", "blockwise-adam", eta=0.05, hyper={"blocks": 3})
    tol = rounding_tolerance(T=300, d=36, M=2)
    assert np.max(np.abs(wQ - a.final_iterate @ Q.T)) <= tol.absolute(np.max(np.abs(a.final_iterate)))
    a, wQ, _, Q = _pair("quadratic-oracle", params, "blocks:3", "adam", eta=0.05)
    assert np.max(np.abs(wQ - a.final_iterate @ Q.T)) > 1e6 * tol.absolute(np.max(np.abs(a.final_iterate)))
