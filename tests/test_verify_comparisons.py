"""Comparison rows (issue 13): agrees / disagrees / inconclusive, never holds."""

import math

import numpy as np
import pytest

from boundcheck.verify.comparisons import Prediction, compare, ratio_interval


def test_ordering():
    p = Prediction.ordering("<", "AdaGrad", "SGD")
    assert compare(0.3, 0.8, p).verdict == "agrees"
    assert compare(1.2, 8.0, p).verdict == "disagrees"
    assert compare(0.9, 1.1, p).verdict == "inconclusive"
    assert p.text == "AdaGrad < SGD"


def test_issue13_ratio_row_disagrees_with_a_bound_ratio():
    # sweep dimension: observed error ratio 8.0 against a bound ratio of 1.18
    assert compare(6.5, 9.7, Prediction.at_most(1.18), estimate=8.0).verdict == "disagrees"
    assert compare(0.4, 1.1, Prediction.at_most(1.18)).verdict == "agrees"
    near = Prediction.near(1.18, 2.0)
    assert compare(0.7, 2.0, near).verdict == "agrees"
    assert compare(1.5, 3.0, near).verdict == "inconclusive"
    with pytest.raises(ValueError):
        compare(2.0, 1.0, near)


def test_ratio_interval_covers():
    rng = np.random.default_rng(0)
    true = 0.5
    hits, reps = 0, 2000
    for _ in range(reps):
        x = rng.normal(1.0, 0.2, 32)
        y = rng.normal(2.0, 0.4, 32)
        r = ratio_interval(x, y, confidence=0.9)
        hits += r.low <= true <= r.high
    assert abs(hits / reps - 0.9) < 3 * math.sqrt(0.09 / reps) + 0.01


def test_paired_ratio_interval_is_narrower_for_correlated_samples():
    rng = np.random.default_rng(1)
    z = rng.normal(0, 0.3, 32)
    x, y = 1.0 + z, 2.0 + 2 * z
    paired, indep = ratio_interval(x, y, paired=True), ratio_interval(x, y)
    assert paired.high - paired.low < 0.2 * (indep.high - indep.low)
    assert paired.low <= 0.5 <= paired.high


def test_rounding_cannot_decide_an_ordering():
    # Subset-Norm under a rotation inside its own blocks, same draws: the ratio is 1 to rounding
    # (1.0000000000000056, zero-width interval). Without a tolerance the last bits "agree" with
    # A > B; with the rounding tolerance equality is what it is: not A > B.
    pred = Prediction.ordering(">")
    r = 1.0000000000000056
    assert compare(r, r, pred).verdict == "agrees"
    assert compare(r, r, pred, rtol=1e-11).verdict == "disagrees"
    assert compare(r, r, Prediction.ordering("<"), rtol=1e-11).verdict == "disagrees"
    # a real difference is still decided, and a non-strict region is only widened
    assert compare(1.001, 1.002, pred, rtol=1e-11).verdict == "agrees"
    assert compare(0.998, 0.999, pred, rtol=1e-11).verdict == "disagrees"
    assert compare(r, r, Prediction.near(1.0, 1.1), rtol=1e-11).verdict == "agrees"
    assert compare(1.1 * (1 + 1e-13), 1.1 * (1 + 1e-13), Prediction.near(1.0, 1.1), rtol=1e-11).verdict == "inconclusive"
