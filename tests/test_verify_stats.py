"""Verdict logic on constructed cases (issue 5): the statistics can fail in both directions."""

import math

import numpy as np
import pytest

from boundcheck.verify.stats import (fit_rate, mean_interval, squared_mean_interval, verdict)


def test_known_mean_above_bound_is_violated():
    rng = np.random.default_rng(1)
    x = rng.normal(loc=2.0, scale=0.1, size=200)
    assert verdict(mean_interval(x), bound=1.0) == "violated"


def test_known_mean_below_bound_holds_and_close_is_inconclusive():
    rng = np.random.default_rng(2)
    x = rng.normal(loc=1.0, scale=0.5, size=50)
    assert verdict(mean_interval(x), bound=3.0) == "holds"
    assert verdict(mean_interval(x), bound=float(np.mean(x))) == "inconclusive"


def test_false_violation_rate_at_point_nine_bound_is_below_nominal():
    """True mean = 0.9 x bound: over many seeded experiments the rate of 'violated' must not
    exceed the nominal one-sided rate (1-C)/2 plus a binomial allowance."""
    conf, bound, n_exp, R = 0.99, 1.0, 4000, 8
    rng = np.random.default_rng(3)
    # exponential samples (skewed, like optimization errors) with mean 0.9
    data = rng.exponential(scale=0.9 * bound, size=(n_exp, R))
    calls = sum(verdict(mean_interval(row, conf), bound) == "violated" for row in data)
    nominal = (1 - conf) / 2
    allowance = 4 * math.sqrt(nominal * (1 - nominal) / n_exp)
    assert calls / n_exp <= nominal + allowance


def test_coverage_of_t_interval_is_near_nominal():
    conf, R, n_exp = 0.9, 30, 3000
    rng = np.random.default_rng(4)
    data = rng.normal(loc=5.0, scale=2.0, size=(n_exp, R))
    covered = sum(iv.low <= 5.0 <= iv.high for iv in (mean_interval(r, conf) for r in data))
    assert abs(covered / n_exp - conf) < 4 * math.sqrt(conf * (1 - conf) / n_exp)


def test_squared_interval_maps_endpoints():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    iv, sq = mean_interval(x, 0.95), squared_mean_interval(x, 0.95)
    assert sq.estimate == pytest.approx(iv.estimate**2)
    assert sq.high == pytest.approx(iv.high**2)
    assert sq.low == pytest.approx(max(iv.low, 0) ** 2)


def test_diverged_and_error_verdicts():
    iv = mean_interval([1.0, 1.1, 0.9])
    assert verdict(iv, 10.0, n_diverged=5, n_total=10) == "diverged"
    assert verdict(iv, 10.0, n_diverged=1, n_total=10) == "holds"
    assert verdict(None, 10.0) == "error"
    with pytest.raises(ValueError):
        mean_interval([1.0, float("nan")])


def test_single_value_is_never_conclusive():
    assert verdict(mean_interval([0.5]), 1.0) == "inconclusive"


def test_rate_fit_recovers_known_slope():
    rng = np.random.default_rng(5)
    T = np.array([100, 300, 1000, 3000, 10000], float)
    samples = (3.0 * T**-0.5)[:, None] * rng.lognormal(0, 0.1, size=(T.size, 64))
    fit = fit_rate(T, samples, confidence=0.99)
    assert fit.low <= -0.5 <= fit.high
    assert fit.high - fit.low < 0.2
    assert fit_rate(T, samples, seed=7) == fit_rate(T, samples, seed=7)
