"""Decision rules of the statement kinds (issue 12), on constructed distributions (pure decision layer)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from boundcheck.verify.decisions import (Context, clopper_pearson, decide_exceedance, decide_lower, decide_statement,
                                         min_replicas_to_hold, replicas_for_delta)

ALPHA = (1 - 0.99) / 2


def _rates(p_true: float, delta: float, sims: int, seed: int = 0):
    """Verdict frequencies of P(Q > B) <= delta when the true exceedance probability is p_true
    (Q uniform on (0, 1), B = 1 - p_true), R = 20/delta replicas, over ``sims`` seeds."""
    R = replicas_for_delta(delta)
    rng = np.random.default_rng(seed)
    counts = {"holds": 0, "violated": 0, "inconclusive": 0}
    for _ in range(sims):
        q = rng.random(R)
        counts[decide_exceedance(q, 1.0 - p_true, delta).verdict] += 1
    return counts


@pytest.mark.parametrize("factor", [1.0, 0.9])
def test_binomial_false_alarm_rate_is_at_most_nominal(factor):
    """True exceedance probability exactly delta (and 0.9 delta): 'violated' is a false alarm; its
    frequency over many seeds stays at most alpha (up to the simulation's own 99.9% binomial slack)."""
    delta, sims = 0.1, 3000
    c = _rates(factor * delta, delta, sims, seed=int(factor * 100))
    assert c["violated"] <= stats.binom.ppf(0.999, sims, ALPHA), c


def test_binomial_test_has_power_and_can_hold():
    """The same rule is not vacuous: a true rate of 2 delta is flagged, 0.1 delta is shown to hold."""
    delta, sims = 0.1, 300
    assert _rates(2 * delta, delta, sims, seed=1)["violated"] > 0.9 * sims
    assert _rates(0.1 * delta, delta, sims, seed=2)["holds"] > 0.9 * sims


def test_quantile_interval_is_dual_to_the_binomial_verdict():
    rng = np.random.default_rng(3)
    x = rng.exponential(size=500)
    for B in np.quantile(x, np.linspace(0.8, 0.999, 40)):
        d = decide_exceedance(x, float(B), 0.05)
        assert (d.verdict == "holds") == (d.high <= B)
        assert (d.verdict == "violated") == (d.low > B)
        assert d.low <= d.estimate <= d.high
        assert d.extra["exceedances"] == int(np.sum(x > B)) and d.extra["replicas"] == 500


def test_clopper_pearson_limits_and_the_replicas_needed():
    lo, hi = clopper_pearson(0, 100, 0.005)
    assert lo == 0.0 and hi == pytest.approx(1 - 0.005 ** (1 / 100))
    assert clopper_pearson(100, 100, 0.005)[1] == 1.0
    for delta in (0.1, 0.01, 0.001):
        n = min_replicas_to_hold(delta, ALPHA)
        assert clopper_pearson(0, n, ALPHA)[1] <= delta < clopper_pearson(0, n - 1, ALPHA)[1]
        assert replicas_for_delta(delta) >= n  # the default R can show 'holds'


def test_too_few_replicas_say_so():
    d = decide_exceedance(np.linspace(0, 1, 10), 2.0, 0.001)
    assert d.verdict == "inconclusive" and "cannot show holds" in d.detail


def test_exceedance_deterministic_runs_compare_exactly():
    assert decide_exceedance(np.full(4, 1.0), 2.0, 0.01, Context(deterministic=True)).verdict == "holds"
    d = decide_exceedance(np.full(4, 3.0), 2.0, 0.01, Context(deterministic=True))
    assert d.verdict == "violated" and d.exact and d.p_value == 0.0


def test_diverged_replicas_count_as_exceedances_for_holds_only():
    x = np.linspace(0, 1, 2000)
    clean = decide_exceedance(x, 5.0, 0.01)
    assert clean.verdict == "holds"
    d = decide_exceedance(x, 5.0, 0.01, Context(n_diverged=100, n_requested=2100))
    assert d.verdict != "holds" and d.verdict != "violated"  # 100 possible exceedances, none observed


# ---------------------------------------------------------------------------- lower bounds
def test_lower_bound_reverses_the_direction():
    rng = np.random.default_rng(4)
    x = rng.normal(10.0, 1.0, size=64)
    assert decide_lower(x, 5.0).verdict == "holds"  # the interval lies above the bound
    assert decide_lower(x, 15.0).verdict == "violated"  # entirely below
    assert decide_lower(x, 10.0).verdict == "inconclusive"
    d = decide_lower(x, 5.0)
    assert d.low < d.estimate < d.high and d.ratio == pytest.approx(d.estimate / 5.0)
    assert "cantelli" in d.method


def test_lower_bound_exact_comparison_and_tightness():
    assert decide_lower(np.full(3, 2.0), 2.0, Context(deterministic=True)).label == "holds (tight)"
    assert decide_lower(np.full(3, 2.0), 1.0, Context(deterministic=True)).verdict == "holds"
    assert decide_lower(np.full(3, 1.0), 2.0, Context(deterministic=True)).verdict == "violated"


def test_lower_bound_false_violation_rate_is_at_most_nominal():
    """True mean exactly at the bound, right-skewed samples: 'violated' (a false alarm) stays rare."""
    rng = np.random.default_rng(5)
    sims, hits = 2000, 0
    for _ in range(sims):
        x = rng.exponential(1.0, size=32)
        hits += decide_lower(x, 1.0).verdict == "violated"
    assert hits <= stats.binom.ppf(0.999, sims, ALPHA)


def test_lower_bound_diverged_replicas_never_support_holds_or_violated():
    x = np.full(10, 5.0) + np.linspace(0, 1e-3, 10)
    d = decide_lower(x, 1.0, Context(n_diverged=1, n_requested=11))
    assert d.verdict != "violated"
    d = decide_lower(np.linspace(0, 0.1, 10), 1.0, Context(n_diverged=1, n_requested=11))
    assert d.verdict != "violated"  # a diverged replica may be +inf: no violation claimed


def test_dispatch_by_kind():
    x = np.linspace(1, 2, 60)  # 60 >= 51 replicas: 'holds' is reachable at delta = 0.1
    assert decide_statement("expectation-upper", x, 10.0).verdict == "holds"
    assert decide_statement("expectation-lower", x, 0.1).verdict == "holds"
    assert decide_statement("probability-upper", x, 10.0, delta=0.1).verdict == "holds"
    with pytest.raises(ValueError, match="delta"):
        decide_statement("probability-upper", x, 10.0)
    with pytest.raises(ValueError, match="no decision rule"):
        decide_statement("expectation-sideways", x, 1.0)
    assert math.isfinite(decide_statement("probability-upper", x, 10.0, delta=0.1).p_value)
