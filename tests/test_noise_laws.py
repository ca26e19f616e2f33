"""Heavy-tailed oracle noise (issue 12): standardisation, moments, the sub-Gaussian check, and the
Gaussian default's unchanged draws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special

from boundcheck import registry
from boundcheck.problems import make_problem
from boundcheck.problems.noise_laws import NoiseLaw
from boundcheck.sampling import EverySample, ReplicaStreams
from boundcheck.validation import InputError

LAWS = [NoiseLaw("student-t", 5.0), NoiseLaw("pareto", 6.0), NoiseLaw("sub-weibull", 0.5),
        NoiseLaw("sub-weibull", 1.5)]


@pytest.mark.parametrize("law", LAWS, ids=lambda law: law.label)
def test_draws_are_standardised(law):
    x = law.draw(ReplicaStreams(0, range(4)), 100000).ravel()
    assert abs(x.mean()) < 6 * x.std() / math.sqrt(x.size)
    assert x.var() == pytest.approx(1.0, rel=0.08 if law.moment_order < 8 else 0.02)


@pytest.mark.parametrize("law", [NoiseLaw("pareto", 12.0), NoiseLaw("sub-weibull", 0.5), NoiseLaw("student-t", 12.0)],
                         ids=lambda law: law.label)
def test_fourth_moment_matches_the_closed_form(law):
    x = law.draw(ReplicaStreams(1, range(8)), 200000).ravel()
    assert np.mean(x**4) == pytest.approx(law.kurtosis, rel=0.08)


def test_moment_orders_and_infinite_kurtosis():
    assert NoiseLaw("student-t", 3.0).kurtosis == math.inf and NoiseLaw("student-t", 3.0).moment_order == 3.0
    assert NoiseLaw("pareto", 4.0).kurtosis == math.inf
    assert NoiseLaw().kurtosis == 3.0 and NoiseLaw().moment_order == math.inf


@given(st.integers(1, 30), st.floats(0.01, 0.5))
def test_subweibull_below_one_half_is_subgaussian_term_by_term(k, theta):
    """E X^{2k} = Gamma(2k theta + 1)/Gamma(2 theta + 1)^k <= k! <= (2k)!/(2^k k!) = E Z^{2k}."""
    log_m = special.gammaln(2 * k * theta + 1) - k * special.gammaln(2 * theta + 1)
    assert log_m <= special.gammaln(k + 1) + 1e-9
    assert special.gammaln(k + 1) <= special.gammaln(2 * k + 1) - k * math.log(2) - special.gammaln(k + 1) + 1e-9


def test_subgaussian_assumption_is_checked_from_the_law():
    a = registry.get("assumption", "subgaussian-noise")
    assert a.check(make_problem("quadratic-oracle", d=4)).status == "holds"
    ok = make_problem("quadratic-oracle", d=4, noise_shape="sub-weibull", noise_tail=0.5)
    assert a.check(ok).status == "holds"
    for shape, tail in (("student-t", 3), ("pareto", 3), ("sub-weibull", 1.0)):
        res = a.check(make_problem("quadratic-oracle", d=4, noise_shape=shape, noise_tail=tail))
        assert res.status == "violated" and "not sub-Gaussian" in res.reason
    assert a.check(make_problem("exptail-logistic", d=4, n=16)).status == "unchecked"


def test_noise_moments_are_constants():
    from boundcheck.constants.provider import Assembly

    a = Assembly(make_problem("quadratic-oracle", d=4, noise_shape="student-t", noise_tail=3))
    assert a.value("noise_kurtosis") == math.inf and a.value("noise_moment_order") == 3.0
    assert Assembly(make_problem("quadratic-oracle", d=4)).value("noise_kurtosis") == 3.0


def test_gaussian_default_draws_are_unchanged():
    """The Gaussian path is the one it always was: g = grad + (sigma * z) / sqrt(M), z from the
    replica's normal stream, the same bits."""
    p = make_problem("quadratic-oracle", d=5)
    W = np.zeros((3, 5))
    g = p.stochastic_grad(W, 4, ReplicaStreams(7, range(3)))
    z = ReplicaStreams(7, range(3)).standard_normal(5)
    z *= p.sigma
    z *= 1.0 / float(np.sqrt(4))
    z += p.grad(W)
    assert np.array_equal(g, z)
    assert "noise_shape" not in p.describe()


def test_heavy_minibatch_is_the_mean_of_M_draws():
    p = make_problem("quadratic-oracle", d=3, noise_shape="pareto", noise_tail=5)
    W = np.zeros((2, 3))
    g = p.stochastic_grad(W, 4, ReplicaStreams(3, range(2)))
    raw = p.noise_law.draw(ReplicaStreams(3, range(2)), 12).reshape(2, 4, 3).mean(axis=1)
    assert np.allclose(g - p.grad(W), raw * p.sigma, rtol=1e-15, atol=0)


def test_heavy_noise_keeps_the_engine_invariants():
    """Replicas together = alone, bit for bit (row-wise streams), for heavy-tailed noise too."""
    from boundcheck.engine import RunConfig, run

    p = make_problem("quadratic-oracle", d=6, noise_shape="student-t", noise_tail=3)
    cfg = RunConfig(algorithm="sgd", option="II", T=20, batch_size=3, eta=0.5, schedule="constant", seeds=5, seed=2,
                    init="zeros", checkpoints=[20], metrics=["last_iterate_gap"])
    together = np.asarray(run(p, cfg).metrics["last_iterate_gap"][-1])
    alone = [float(run(p, cfg, replicas=[r]).metrics["last_iterate_gap"][-1][0]) for r in range(5)]
    assert np.array_equal(together, np.array(alone))


@pytest.mark.parametrize("shape, tail, fragment", [("student-t", None, "noise_tail"), ("student-t", 2.0, "> 2"),
                                                   ("pareto", 1.5, "> 2"), ("gaussian", 3.0, "applies to"),
                                                   ("cauchy", None, "noise_shape")])
def test_bad_noise_parameters_are_refused(shape, tail, fragment):
    with pytest.raises(InputError, match=fragment.replace("(", r"\(")):
        make_problem("quadratic-oracle", d=4, noise_shape=shape, noise_tail=tail)


def test_enumeration_sampler_refuses_continuous_noise():
    with pytest.raises(NotImplementedError):
        EverySample().standard_t(3.0, 2)
    with pytest.raises(NotImplementedError):
        EverySample().random(2)
