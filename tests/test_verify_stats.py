"""Descriptive intervals and rate fits (the verdict rules are tested in test_verify_decisions.py)."""

import math

import numpy as np
import pytest

from boundcheck.verify.stats import fit_rate, mean_interval


def test_coverage_of_t_interval_is_near_nominal():
    conf, R, n_exp = 0.9, 30, 3000
    rng = np.random.default_rng(4)
    data = rng.normal(loc=5.0, scale=2.0, size=(n_exp, R))
    covered = sum(iv.low <= 5.0 <= iv.high for iv in (mean_interval(r, conf) for r in data))
    assert abs(covered / n_exp - conf) < 4 * math.sqrt(conf * (1 - conf) / n_exp)


def test_nonfinite_and_single_values():
    with pytest.raises(ValueError):
        mean_interval([1.0, float("nan")])
    iv = mean_interval([0.5])
    assert iv.low == -math.inf and iv.high == math.inf


def test_rate_fit_recovers_known_slope():
    rng = np.random.default_rng(5)
    T = np.array([100, 300, 1000, 3000, 10000], float)
    samples = (3.0 * T**-0.5)[:, None] * rng.lognormal(0, 0.1, size=(T.size, 64))
    fit = fit_rate(T, samples, confidence=0.99)
    assert fit.low <= -0.5 <= fit.high
    assert fit.high - fit.low < 0.2
    assert fit_rate(T, samples, seed=7) == fit_rate(T, samples, seed=7)


def test_fit_rate_interval_contains_its_estimate_when_replicas_agree():
    # identical replicas: the point slope and the bootstrap slopes are both rounding noise, computed
    # by two routines; the interval must still contain the estimate (a noiseless AdaGrad run gave
    # slope 1.8e-16 with the interval [4.8e-32, 4.8e-32] before)
    T = np.array([20.0, 50.0, 100.0, 200.0, 2000.0])
    samples = np.tile((11.830184854593357 * np.ones_like(T))[:, None], (1, 8))
    fit = fit_rate(T, samples)
    assert fit.low <= fit.slope <= fit.high
    assert abs(fit.slope) < 1e-12 and abs(fit.low) < 1e-12 and abs(fit.high) < 1e-12
