"""sigma, f*, Delta, diameters and the assembler (issue 4), checked against brute force."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from boundcheck.constants import comparators, geometry, glm, noise, optimum
from boundcheck.constants.assemble import (
    FIELDS,
    constants_from_data,
    constants_from_matrix,
    problem_constants,
)
from boundcheck.constants.diagonal import eig_error_bound
from boundcheck.constants.generalized import estimate_l0l1, fit_l0l1
from boundcheck.problems.base import Ball, Box
from boundcheck.validation import InputError


def data(loss, n=60, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * np.exp(-0.5 * np.arange(d))
    y = np.sign(rng.standard_normal(n)) if loss == "logistic" else rng.standard_normal(n)
    return X, y


def per_sample_grads(w, X, y, loss, l2):
    r = glm.dphi(X @ w, y, loss)
    return X * r[:, None] + l2 * w


@pytest.mark.parametrize("loss", ["logistic", "squared"])
@given(seed=st.integers(0, 2**32 - 1), l2=st.floats(0, 1))
def test_sigma_at_is_the_std_of_single_sample_gradients(loss, seed, l2):
    X, y = data(loss)
    w = np.random.default_rng(seed).uniform(-2, 2, X.shape[1])
    G = per_sample_grads(w, X, y, loss, l2)
    np.testing.assert_allclose(noise.sigma_at(w, X, y, loss), G.std(axis=0), rtol=1e-9, atol=1e-12)
    # and the mean of the per-sample gradients is the full gradient
    np.testing.assert_allclose(G.mean(axis=0), glm.grad(w, X, y, loss, l2), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("loss", ["logistic", "squared"])
@pytest.mark.parametrize("domain", ["box", "ball"])
@given(seed=st.integers(0, 2**32 - 1), radius=st.floats(0.01, 3))
def test_sigma_bound_holds_everywhere_in_W(loss, domain, seed, radius):
    X, y = data(loss)
    d = X.shape[1]
    rng = np.random.default_rng(seed)
    if domain == "box":
        lo = rng.uniform(-1, 0, d) * radius
        W = Box(lower=lo, upper=lo + rng.uniform(0, 2, d) * radius)
        pts = rng.uniform(W.lower, W.upper, size=(20, d))
        pts[:4] = np.where(rng.random((4, d)) < 0.5, W.lower, W.upper)  # vertices too
    else:
        W = Ball(center=rng.standard_normal(d), radius=radius)
        u = rng.standard_normal((20, d))
        pts = W.center + radius * rng.uniform(0, 1, (20, 1)) * u / np.linalg.norm(u, axis=1, keepdims=True)
    bound = noise.sigma_bound(X, y, loss, W)
    B = glm.dphi_bound(X, y, loss, W)
    for w in pts:
        assert np.all(noise.sigma_at(w, X, y, loss) <= bound * (1 + 1e-12))
        assert np.all(np.abs(glm.dphi(X @ w, y, loss)) <= B * (1 + 1e-12))


def test_logistic_sigma_without_domain_is_the_G1_bound():
    X, y = data("logistic")
    np.testing.assert_allclose(noise.sigma_bound(X, y, "logistic", None), np.sqrt(np.mean(X * X, axis=0)))
    assert noise.sigma_bound(*data("squared"), "squared", None) is None


def test_squared_dphi_bound_is_attained_at_a_vertex_of_the_box():
    X, y = data("squared", n=5, d=3)
    W = geometry.cube(3, 0.7)
    B = glm.dphi_bound(X, y, "squared", W)
    vertices = np.array(np.meshgrid(*[[-0.7, 0.7]] * 3)).reshape(3, -1).T
    best = np.max(np.abs(vertices @ X.T - y), axis=0)
    np.testing.assert_allclose(B, best, rtol=1e-12)


@given(seed=st.integers(0, 2**32 - 1), l2=st.floats(0, 0.5))
def test_logistic_hessian_is_below_the_smoothness_matrix(seed, l2):
    X, y = data("logistic")
    w = np.random.default_rng(seed).uniform(-5, 5, X.shape[1])
    t = X @ w
    s = 1 / (1 + np.exp(-t))
    hess = (X * (s * (1 - s))[:, None]).T @ X / X.shape[0] + l2 * np.eye(X.shape[1])
    gap = glm.smoothness_matrix(X, "logistic", l2) - hess
    assert np.linalg.eigvalsh(gap)[0] >= -eig_error_bound(gap)


@pytest.mark.parametrize("loss,l2", [("logistic", 0.01), ("logistic", 0.0), ("squared", 0.0), ("squared", 0.3)])
def test_f_star_is_the_minimum(loss, l2):
    X, y = data(loss, n=80, d=6)
    f, w, info = optimum.minimize(X, y, loss, l2)
    g = glm.grad(w, X, y, loss, l2)
    assert np.linalg.norm(g) <= 1e-9
    rng = np.random.default_rng(1)
    for _ in range(50):
        assert glm.value(w + 1e-3 * rng.standard_normal(6), X, y, loss, l2) >= f
    if loss == "squared":  # closed form
        A = X.T @ X / len(y) + l2 * np.eye(6)
        w_cf = np.linalg.solve(A, X.T @ y / len(y))
        assert abs(glm.value(w_cf, X, y, loss, l2) - f) <= 1e-12 * max(1, abs(f))
    if l2 > 0 and loss == "logistic":
        assert info["certified_accuracy"] <= 1e-20


@pytest.mark.parametrize("loss", ["logistic", "squared"])
def test_f_star_on_a_small_box_is_the_constrained_minimum(loss):
    X, y = data(loss, n=80, d=4)
    W = geometry.cube(4, 0.05)
    f, w, info = optimum.minimize(X, y, loss, 0.0, W)
    assert info["constrained"] and W.contains(w, tol=1e-12)
    rng = np.random.default_rng(2)
    for p in rng.uniform(-0.05, 0.05, size=(200, 4)):
        assert glm.value(p, X, y, loss, 0.0) >= f - 1e-10


def test_diameters():
    assert geometry.diameters(None) == (None, None)
    D_inf, D_2 = geometry.diameters(Box(lower=np.array([0.0, -1.0]), upper=np.array([3.0, 3.0])))
    assert D_inf == 4.0 and D_2 == pytest.approx(5.0)
    assert geometry.diameters(Ball(center=np.zeros(3), radius=2.0)) == (4.0, 4.0)
    D_inf, D_2 = geometry.diameters(geometry.cube(9, 0.5))
    assert D_2 == pytest.approx(np.sqrt(9) * D_inf)  # hypercube: D_2^2 = d D_inf^2


def test_comparators():
    H = np.array([[2.0, -1.0, 0.0], [-1.0, 2.0, 1.0], [0.0, 1.0, 3.0]])
    np.testing.assert_allclose(comparators.rowsum(H), [3, 4, 4])
    assert comparators.trace(H) == 7.0
    assert comparators.is_feasible(H, comparators.rowsum(H))
    assert comparators.is_feasible(H, comparators.lambda_max(H) * np.ones(3))
    assert comparators.is_feasible(H, comparators.diagonal_dominance(H))  # H is diag. dominant
    assert not comparators.is_feasible(np.ones((3, 3)), comparators.diagonal_dominance(np.ones((3, 3))))


def test_assembled_fields_and_ratios():
    X, y = data("logistic", n=100, d=6)
    W = geometry.cube(6, 1.0)
    pc = constants_from_data(X, y, "logistic", 0.01, domain=W, solver="fast")
    out = pc.as_dict()
    assert tuple(out) == FIELDS
    assert set(out["certificate"]) == {"primal", "dual", "rel_gap", "lambda_min", "solver", "seconds"}
    L, s = np.array(out["L"]), np.array(out["sigma"])
    assert out["R1"] == pytest.approx(out["D_inf"] * s.sum() / (out["D_2"] * np.linalg.norm(s)))
    assert out["R2"] == pytest.approx(L.sum() * out["D_inf"] ** 2 / (L.max() * out["D_2"] ** 2))
    assert out["trace_H"] <= out["L_norm1"] <= min(out["L_rowsum_norm1"] * (1 + 1e-7),
                                                   6 * out["lambda_max_H"] * (1 + 1e-7))
    # Delta = f(0) - f* and f* is the (constrained) minimum
    assert out["Delta"] == pytest.approx(np.log(2) - out["f_star"])
    tc = pc.theory_constants()
    assert set(tc) == {"d", "L_norm1", "L_norminf", "sigma_norm1", "sigma_norm2", "D_inf", "D_2", "Delta"}


def test_matrix_only_constants_leave_data_fields_null():
    out = constants_from_matrix(np.array([[2.0, 1.0], [1.0, 2.0]])).as_dict()
    for k in ("n", "sigma", "sigma_norm1", "sigma_norm2", "D_inf", "D_2", "Delta", "f_star", "R1", "R2"):
        assert out[k] is None
    assert out["L_norm1"] == pytest.approx(6.0, rel=1e-7)  # non-negative H: row sums


def test_problem_constants_on_registry_problems():
    from boundcheck.problems import load_data, make_problem

    p = load_data("sklearn:wine", "squared", 0.0)
    pc = problem_constants(p, solver="fast")
    assert pc.sigma_kind == "certified bound" and pc.diagonal.status == "optimal"
    # the SDP vector is never worse than the problem's own (row-sum) vector
    assert pc.L_norm1 <= float(np.sum(p.exact_constants()["L"])) * (1 + 1e-9)
    nc = problem_constants(make_problem("nonconvex-aniso", d=8))
    assert {"L0_norm1", "L1_norminf"} <= set(nc.theory_constants())


def test_fit_l0l1_is_feasible_and_minimal():
    rng = np.random.default_rng(0)
    a = rng.uniform(0, 3, 40)
    b = 0.5 + 2.0 * a - rng.uniform(0, 1, 40)
    L0, L1 = fit_l0l1(a, b)
    assert np.all(b <= L0 + L1 * a + 1e-12)
    c = a.mean()
    # no feasible pair on a fine grid does better
    for g0 in np.linspace(0, 2, 81):
        g1 = max(0.0, np.max((b - g0) / np.where(a > 0, a, np.inf)))
        if np.all(b <= g0 + g1 * a + 1e-12):
            assert L0 + c * L1 <= g0 + c * g1 + 1e-9


def test_estimate_l0l1_on_a_separable_quadratic_finds_the_curvatures():
    h = np.array([3.0, 1.0, 0.2])
    est = estimate_l0l1(lambda W: W * h, np.ones(3), steps=40, step_size=0.1)
    np.testing.assert_allclose(est.L0, h, rtol=1e-6)  # local smoothness is exactly h_j
    np.testing.assert_allclose(est.L1, 0, atol=1e-9)
    assert set(est.scatter) == {"coord", "grad_abs", "local_smoothness", "t"}


def test_bad_data_inputs():
    X, y = data("logistic")
    with pytest.raises(InputError, match="labels"):
        glm.check_data(X, y * 3, "logistic", 0.0)
    with pytest.raises(InputError, match="loss"):
        glm.check_data(X, y, "hinge", 0.0)
    with pytest.raises(InputError, match="l2"):
        glm.check_data(X, y, "logistic", -1)
    with pytest.raises(InputError, match="rows"):
        glm.check_data(X, y[:-1], "logistic", 0.0)


def test_exptail_problems_carry_example_b1_closed_forms():
    from boundcheck.problems import make_problem
    from boundcheck.theory import examples

    p = make_problem("exptail-linear", d=12)
    pc = problem_constants(p, solver="fast")
    tau = p.describe()["tau"]
    assert pc.R1_closed == pytest.approx(float(examples.R1_closed(12, tau)))
    assert pc.R2_closed == pytest.approx(float(examples.R2_closed(12, tau)))
    assert pc.R1 is not None and pc.R2 is not None  # from the computed constants


class _LogBarrierLike:
    """Tiny nonconvex problem without stated (L0, L1): f(w) = sum_j c_j log(1 + w_j^2)."""

    name, convex, domain, loss_name, l2, n = "toy-nonconvex", False, None, None, 0.0, None
    f_star = 0.0

    def __init__(self, c):
        self.c = np.asarray(c, float)
        self.d = self.c.size

    def loss(self, W):
        return np.sum(self.c * np.log1p(W * W), axis=-1)

    def grad(self, W):
        return 2 * self.c * W / (1 + W * W)

    def smoothness_matrix(self):
        return np.diag(2 * self.c)  # |f_j''| = 2 c_j |1 - w^2| / (1 + w^2)^2 <= 2 c_j

    def features(self):
        return None

    def labels(self):
        return None

    def exact_constants(self):
        return {}


def test_nonconvex_problem_without_stated_l0l1_gets_estimates_and_figure1_data():
    p = _LogBarrierLike([4.0, 1.0, 0.25])
    pc = problem_constants(p, w0=np.array([3.0, -2.0, 1.0]))
    assert pc.nonconvex and pc.generalized is not None
    sc = pc.generalized.scatter
    # every sample satisfies the fitted per-coordinate inequality (Figure 1 below the line)
    bound = pc.L0[sc["coord"]] + pc.L1[sc["coord"]] * sc["grad_abs"]
    assert np.all(sc["local_smoothness"] <= bound * (1 + 1e-9) + 1e-12)
    # and the local smoothness never exceeds the global curvature bound 2 c_j
    assert np.all(sc["local_smoothness"] <= 2 * p.c[sc["coord"]] * (1 + 1e-9))
    tc = pc.theory_constants()
    assert tc["L0_norm1"] == pytest.approx(pc.L0.sum()) and tc["L1_norminf"] == pytest.approx(pc.L1.max())
    assert tc["Delta"] == pytest.approx(float(p.loss(np.array([[3.0, -2.0, 1.0]]))[0]))


def test_sigma_star_is_the_noise_at_the_minimizer():
    X, y = data("logistic", n=80, d=5)
    pc = constants_from_data(X, y, "logistic", 0.05, solver="fast")
    _, w, _ = optimum.minimize(X, y, "logistic", 0.05)
    G = per_sample_grads(w, X, y, "logistic", 0.05)
    np.testing.assert_allclose(pc.sigma_star, G.std(axis=0), rtol=1e-9)
    assert np.all(pc.sigma_star <= pc.sigma * (1 + 1e-12))  # sigma_* <= the bound over W
