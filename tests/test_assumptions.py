"""Assumption objects and their numeric checks: each holds on a problem built to satisfy
it, and is reported violated when a constant is wrong or the problem breaks it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck.problems.base import Box, Problem
from boundcheck.theory import assumptions as A
from boundcheck.theory.theorem import all_theorems
from boundcheck.validation import InputError


class Quadratic(Problem):
    """f(w) = 1/2 (w - a)' H (w - a) on a box, additive Gaussian noise of std sigma per sample."""

    name = "test-quadratic"

    def __init__(self, d=4, seed=0, a=None, lo=-1.0, hi=1.0, bias=0.0):
        rng = np.random.default_rng(seed)
        B = rng.normal(size=(d, d)) * np.geomspace(2, 0.1, d)
        self.d, self.H = d, B @ B.T
        self.a = np.full(d, 0.2) if a is None else np.asarray(a, float)
        self.domain = Box(np.full(d, lo), np.full(d, hi))
        self.w_star = np.clip(self.a, lo, hi)
        self.f_star = float(self.loss(self.w_star[None, :])[0])
        self.sigma = np.geomspace(1.0, 0.05, d)
        self.bias = bias

    def loss(self, W, xp=np):
        D = np.atleast_2d(W) - self.a
        return 0.5 * np.einsum("ri,ij,rj->r", D, self.H, D)

    def grad(self, W, xp=np):
        return (np.atleast_2d(W) - self.a) @ self.H

    def stochastic_grad(self, W, batch_size, sampler, xp=np):
        W = np.atleast_2d(W)
        return self.grad(W) + self.bias + self.sigma / math.sqrt(batch_size) * sampler.standard_normal(W.shape[1])

    def smoothness_matrix(self):
        return self.H

    def exact_constants(self):
        return {"L": np.sum(np.abs(self.H), axis=1), "sigma": self.sigma, "f_star": self.f_star,
                "sigma_star": self.sigma, "D_inf": self.domain.D_inf, "D_2": self.domain.D_2}


class CoshSum(Problem):
    """f(w) = sum_j a_j cosh(w_j): (L0, L1)-smooth (Assumption 5.1) with L0 = e a, L1 = e 1
    (|f''| = a cosh(x) <= e a cosh(w_j) <= e (a + |f'(w_j)|) within ||w - w'||_inf <= 1)."""

    name = "test-cosh"
    convex = False  # exercise the sampled (nonconvex) path of 3.3

    def __init__(self, d=3):
        self.d = d
        self.a = np.geomspace(1, 0.1, d)
        self.w_star = np.zeros(d)
        self.f_star = float(self.a.sum())

    def loss(self, W, xp=np):
        return np.atleast_2d(W) @ np.zeros(self.d) + np.sum(self.a * np.cosh(np.atleast_2d(W)), axis=1)

    def grad(self, W, xp=np):
        return self.a * np.sinh(np.atleast_2d(W))


class Features(Quadratic):
    """A finite-sum stand-in whose feature columns have sum_i x_ij^2 = exp(-tau j)."""

    def __init__(self, tau, d=8, n=50):
        super().__init__(d=d)
        rng = np.random.default_rng(1)
        X = rng.normal(size=(n, d))
        X /= np.linalg.norm(X, axis=0)
        self.X = X * np.exp(-tau * np.arange(1, d + 1) / 2)
        self.H = self.X.T @ self.X / n

    def features(self):
        return self.X


def test_registry_ids_and_fields():
    assert set(A.ASSUMPTIONS) >= {"3.1", "3.2", "3.3", "3.4", "3.5", "5.1", "B.2", "E.3", "E.4"}
    for a in A.all_assumptions():
        assert a.title and a.statement_latex and a.reference
    with pytest.raises(InputError, match="did you mean '3.3'"):
        A.get("3.33")


@pytest.mark.parametrize("thm", all_theorems(), ids=lambda t: t.id)
def test_every_theorem_assumption_exists(thm):
    for aid in tuple(thm.assumptions) + tuple(getattr(thm, "proof_conditions", ())):
        assert aid in {a.id for a in A.all_assumptions()}, f"{thm.id} cites unknown assumption {aid}"


@pytest.mark.parametrize("aid", ["3.1", "3.2", "3.3", "3.4", "3.5", "E.3", "stationary-minimiser"])
def test_holds_on_a_problem_built_for_it(aid):
    r = A.get(aid).check(Quadratic())
    assert r.status == "holds" and r.ok is True, r.reason


@pytest.mark.parametrize("aid,constants,needle", [
    ("3.1", {"D_inf": 1.0}, "below the diameter"),
    ("3.2", {"f_star": 0.5}, "< f_*"),
    ("3.3", {"L": None}, "no smoothness vector"),
    ("3.5", {"sigma": None}, "no noise vector"),
])
def test_missing_or_wrong_constants(aid, constants, needle):
    r = A.get(aid).check(Quadratic(), constants)
    assert needle in r.reason
    assert r.status in ("violated", "unchecked")


def test_smoothness_vector_too_small_is_violated():
    p = Quadratic()
    r = A.get("3.3").check(p, {"L": np.diag(p.H) / 2})
    assert r.status == "violated" and "not PSD" in r.reason


def test_noise_vector_too_small_is_violated():
    p = Quadratic()
    r = A.get("3.5").check(p, {"sigma": p.sigma / 3})
    assert r.status == "violated"
    assert A.get("E.3").check(p, {"sigma_star": p.sigma / 3}).status == "violated"


def test_biased_oracle_is_violated():
    assert A.get("3.4").check(Quadratic(bias=0.5)).status == "violated"


def test_convexity_failures():
    p = Quadratic(a=[3.0, 0, 0, 0])  # constrained minimiser on the boundary ...
    assert A.get("3.1").check(p).status == "holds"  # ... is fine for 3.1 (w* = clip(a) in W) ...
    r = A.get("stationary-minimiser").check(p)  # ... but not for the smooth proofs
    assert r.status == "violated" and "grad f(w*) = 0" in r.reason
    q = Quadratic()
    object.__setattr__(q, "w_star", np.full(4, 5.0))
    assert A.get("3.1").check(q).status == "violated"
    nc = Quadratic()
    nc.convex = False
    assert A.get("3.1").check(nc).status == "violated"


def test_generalized_smoothness():
    p = CoshSum()
    ok = A.get("5.1").check(p, {"L0": math.e * p.a, "L1": np.full(p.d, math.e)}, samples=256)
    assert ok.status == "holds", ok.reason
    bad = A.get("5.1").check(p, {"L0": p.a / 10, "L1": np.full(p.d, 0.01)}, samples=256)
    assert bad.status == "violated"
    # anisotropic L-smoothness fails for cosh (unbounded Hessian), found on sampled pairs
    assert A.get("3.3").check(p, {"L": p.a}, samples=256).status == "violated"


def test_exponential_tail():
    d = 8
    good = A.get("B.2").check(Features(tau=1.0, d=d))
    assert good.status == "holds" and good.details["tau_fit"] == pytest.approx(1.0, rel=1e-6)
    small = A.get("B.2").check(Features(tau=1.0, d=d), {"tau": 0.5 / d})
    assert small.status == "violated" and "1/d" in small.reason
    flat = A.get("B.2").check(Features(tau=0.0, d=d))
    assert flat.status == "violated"
    assert A.get("B.2").check(Quadratic()).status == "unchecked"


def test_expected_smoothness_is_checked_with_the_same_sample_at_both_points():
    """E.4 needs g(w; xi) and g(w*; xi) at the same xi: the sampling contract replays the
    oracle's streams (Monte Carlo) and enumerates a finite sum's samples (exact). With L_* = L
    (diag(L) >= H) E.4 holds on the quadratic; a tenth of it fails; no L_* is 'unchecked'."""
    p = Quadratic()
    L = p.exact_constants()["L"]
    assert A.get("E.4").check(p).status == "unchecked"
    assert A.get("E.4").check(p, {"L_star": L}).status == "holds"
    bad = A.get("E.4").check(p, {"L_star": L / 10})
    assert bad.status == "violated" and "replayed streams" in bad.reason
    from boundcheck.constants.interpolation import least_squares_star_constants
    from boundcheck.problems import make_problem

    ls = make_problem("exptail-linear", d=6, n=40, noise=0.0, l2=0.0)
    star = least_squares_star_constants(ls)["L_star"]
    ok = A.get("E.4").check(ls, {"L_star": star})
    assert ok.status == "holds" and "exact" in ok.reason
    assert A.get("E.4").check(ls, {"L_star": star / 100}).status == "violated"


def test_bad_vector_length_is_an_input_error():
    with pytest.raises(InputError, match="has 2 entries"):
        A.get("3.3").check(Quadratic(), {"L": [1.0, 2.0]})


def test_scalar_generalized_smoothness_eq8():
    p = CoshSum()
    ok = A.get("eq8").check(p, {"L0_scalar": math.e * p.a.max(), "L1_scalar": math.e}, samples=256)
    assert ok.status == "holds", ok.reason
    bad = A.get("eq8").check(p, {"L0_scalar": 0.01, "L1_scalar": 0.01}, samples=256)
    assert bad.status == "violated"
    assert A.get("eq8").check(p).status == "unchecked"


def test_unbiasedness_of_finite_sums_is_checked_exactly():
    """3.4 on a finite sum enumerates every sample (no Monte Carlo): it holds on real data whose
    rare non-zero standardized features made a t-test refuse it, and it catches a sampler that
    is biased in a single coordinate by far less than a Monte Carlo check could see."""
    from boundcheck.problems import load_data

    p = load_data("sklearn:digits", "logistic", l2=1e-3)
    assert A.get("3.4").check(p, {}).status == "holds"

    class Biased(type(p)):
        def stochastic_grad(self, W, batch_size, rng, xp=np):
            G = super().stochastic_grad(W, batch_size, rng, xp)
            G = G.copy()
            G[:, 5] += 1e-6
            return G

    q = Biased(p.features(), p.labels(), "logistic", l2=1e-3)
    res = A.get("3.4").check(q, {})
    assert res.status == "violated" and "coordinate 5" in res.reason
