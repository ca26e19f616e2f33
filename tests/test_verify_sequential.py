"""Decided runs (issue 13): error control under the null and quick decisions."""

import math

import numpy as np
import pytest

from boundcheck.verify.decisions import Context, decide
from boundcheck.verify.sequential import SequentialDecider, doubling_schedule


def _run(dec, draw):
    while not dec.done:
        dec.update(draw(dec.next_round()))
    return dec.decision


def test_doubling_schedule():
    assert doubling_schedule(8, 64) == [8, 16, 32, 64]
    assert doubling_schedule(32, 100) == [32, 64, 100]
    with pytest.raises(ValueError):
        doubling_schedule(1, 8)


def _error_rates(reps, alpha, mean, seed, methods=("student-t", "student-t"), spending=True):
    """(false holds, false violated) rates at true mean == bound == 1 on normal data."""
    rng = np.random.default_rng(seed)
    holds = viol = 0
    for _ in range(reps):
        if spending:
            dec = SequentialDecider(1.0, alpha=alpha, first=8, max_replicas=64, upper_method=methods[0],
                                    lower_method=methods[1])
            d = _run(dec, lambda k: rng.normal(mean, 1.0, k))
            v = d.verdict
        else:  # naive: the fixed-size test repeated at every look
            x, v = np.empty(0), "inconclusive"
            for n in (8, 16, 32, 64):
                x = np.concatenate([x, rng.normal(mean, 1.0, n - x.size)])
                v = decide(x, 1.0, Context(confidence=1 - 2 * alpha, support=(-math.inf, math.inf),
                                           upper_method=methods[0], lower_method=methods[1])).verdict
                if v in ("holds", "violated"):
                    break
        holds += v == "holds"
        viol += v == "violated"
    return holds / reps, viol / reps


def test_error_rate_controlled_under_the_null():
    """At the boundary (mean = bound) every 'holds' and every 'violated' is an error; each
    must stay at or below alpha over 4 looks. Student-t on normal data is exact per look, so
    only the spending protects: without it the same looks exceed alpha (checked)."""
    alpha, reps = 0.05, 2000
    allowance = 3 * math.sqrt(alpha * (1 - alpha) / reps)
    h, v = _error_rates(reps, alpha, 1.0, seed=11)
    assert h <= alpha + allowance and v <= alpha + allowance
    h0, v0 = _error_rates(reps, alpha, 1.0, seed=12, spending=False)
    assert h0 > alpha + allowance and v0 > alpha + allowance


def test_default_methods_control_the_error_on_skewed_data():
    rng = np.random.default_rng(13)
    alpha, reps, false_holds = 0.05, 1500, 0
    for _ in range(reps):  # lognormal with mean exactly 1 = bound
        dec = SequentialDecider(1.0, alpha=alpha, first=8, max_replicas=128)
        false_holds += _run(dec, lambda k: rng.lognormal(-0.5, 1.0, k)).verdict == "holds"
    assert false_holds / reps <= alpha + 3 * math.sqrt(alpha * (1 - alpha) / reps)


def test_clearly_separated_cases_decide_at_the_first_look():
    rng = np.random.default_rng(14)
    dec = SequentialDecider(1.0, first=32, max_replicas=1024)
    d = _run(dec, lambda k: rng.lognormal(math.log(0.1), 0.3, k))  # ratio ~0.1, CV ~0.3
    assert d.verdict == "holds" and dec.n_used == 32 and dec.looks == 1
    dec = SequentialDecider(1.0, first=32, max_replicas=1024)
    d = _run(dec, lambda k: rng.normal(2.0, 0.3, k))
    assert d.verdict == "violated" and dec.n_used == 32
    assert d.p_value <= 0.005  # Bonferroni-adjusted over the 6 planned looks


def test_closer_case_needs_more_replicas_and_budget_ends_inconclusive():
    rng = np.random.default_rng(15)
    dec = SequentialDecider(1.0, first=32, max_replicas=4096)
    d = _run(dec, lambda k: rng.normal(0.7, 0.3, k))
    assert d.verdict == "holds" and dec.n_used > 32
    dec = SequentialDecider(1.0, first=8, max_replicas=32)
    d = _run(dec, lambda k: rng.normal(1.0, 1.0, k))
    assert d.verdict == "inconclusive" and "budget" in d.detail and dec.n_used == 32
    with pytest.raises(RuntimeError):
        dec.update([1.0])


def test_deterministic_rows_decide_at_once_and_diverged_rows_stop():
    dec = SequentialDecider(1.0, first=2, max_replicas=64, deterministic=True)
    assert dec.update([1.0, 1.0]).label == "holds (tight)"
    dec = SequentialDecider(1.0, first=8, max_replicas=64)
    d = dec.update(np.full(4, 0.5), n_diverged=4)
    assert d.verdict == "diverged" and dec.n_used == 8
