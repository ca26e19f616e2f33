"""Row decisions (issue 13): rounding at equality, diverged replicas, family-wise control."""

import math

import numpy as np
import pytest

from boundcheck.errors import run_exit_code
from boundcheck.verify.decisions import Context, apply_family, decide, default_family_alpha, holm
from boundcheck.verify.theorem_check import decision_fields
from boundcheck.verify.tolerance import (UNIT_ROUNDOFF, agree_to_rounding, bound_relative_error, gamma,
                                         rounding_tolerance)

# ---------------------------------------------------------------- rounding at equality
# `boundcheck verify thmD.3 --no-cache --problem quadratic-oracle --d 1 --tau 2 --noise 0
#  --param rank=1 --param coupling=4.492 --param seed_problem=2 --T 1,2,5 --M 1 --seeds 2`
# (engine at commit 89c6c38): per-replica samples and bounds, printed 'violated' three times.
D3_ROWS = [(1, 1.0445313903531876, 1.0445313903531874),
           (2, 0.5222656951765938, 0.5222656951765937),
           (5, 0.20890627807063752, 0.2089062780706375)]
D3_BOUND = "2*sqrt(2)*sqrt(Delta)*sqrt(L_norminf)*sigma_norm2/(sqrt(M)*sqrt(T)) + 2*Delta*L_norminf/T"
D3_CONST = {"L_norminf": 5.492000000000001, "Delta": 0.09509572017053781, "M": 1, "sigma_norm2": 0.0}


def _d3_tolerance(T):
    nb, eb = bound_relative_error(D3_BOUND, {**D3_CONST, "T": T})
    return rounding_tolerance(T=T, d=1, M=1, bound_ops=nb, bound_rel_error=eb)


@pytest.mark.parametrize("T, value, bound", D3_ROWS)
def test_issue13_rounding_rows_hold_tight(T, value, bound):
    d = decide([value, value], bound, Context(tolerance=_d3_tolerance(T)))
    assert (d.verdict, d.detail, d.ratio, d.exact) == ("holds", "tight", 1.0, True)
    assert d.label == "holds (tight)"
    # the same numbers with no tolerance are the old 'violated' (the test can fail)
    no_tol = decide([value, value], bound, Context(tolerance=rounding_tolerance(safety=0.0)))
    assert no_tol.verdict == "violated"


def test_tolerance_rule_numbers():
    tol = _d3_tolerance(5)
    # n_q = T (d + M + 8) + d = 51; bound: count_ops and one rounding per float constant
    assert tol.quantity_ops == 51
    assert tol.rtol == pytest.approx(4 * (gamma(51) + gamma(tol.bound_ops) + tol.bound_rel_error))
    assert 1e-15 < tol.rtol < 1e-13
    # elasticities of 2 Delta L / T in Delta and L are 1 each (sigma = 0): e_b = 2u
    assert tol.bound_rel_error == pytest.approx(2 * UNIT_ROUNDOFF)


def test_bound_relative_error_elasticity():
    # B = c x^3: elasticity 3 in x, 1 in c
    nb, eb = bound_relative_error("c*x**3", {"c": 2.0, "x": 1.5}, {"x": 1e-6, "c": 1e-9})
    assert eb == pytest.approx(3e-6 + 1e-9)
    assert nb >= 2


def test_constructed_equality_cases():
    tol = rounding_tolerance(T=100, d=10, M=4)
    b = 0.1 + 0.2  # 0.30000000000000004
    assert decide([0.3] * 8, b, Context(tolerance=tol)).label == "holds (tight)"
    assert decide([0.3], b, Context(tolerance=tol, deterministic=True)).label == "holds (tight)"
    # replicas that differ by rounding only
    x = 0.3 * (1 + np.array([0, 1, -1, 2]) * UNIT_ROUNDOFF)
    assert agree_to_rounding(x, tol)
    assert decide(x, 0.3, Context(tolerance=tol)).label == "holds (tight)"
    # squared mean: (E Y)^2 equal to the bound to rounding
    assert decide([math.sqrt(2.0)] * 4, 2.0, Context(tolerance=tol, squared_mean=True)).label == "holds (tight)"


def test_real_differences_beyond_rounding_still_decide():
    tol = rounding_tolerance(T=100, d=10, M=4)
    assert tol.rtol < 1e-10
    v = decide([1.0 + 1e-8] * 4, 1.0, Context(tolerance=tol))
    assert (v.verdict, v.p_value, v.exact) == ("violated", 0.0, True)
    h = decide([1.0 - 1e-8] * 4, 1.0, Context(tolerance=tol))
    assert (h.verdict, h.detail) == ("holds", None)
    assert h.ratio == pytest.approx(1 - 1e-8)


def test_single_replica_is_inconclusive_unless_deterministic():
    assert decide([0.5], 1.0).verdict == "inconclusive"
    assert decide([0.5], 1.0, Context(deterministic=True)).verdict == "holds"


# ---------------------------------------------------------------- sampling path
def test_sampling_path_holds_violated_inconclusive():
    rng = np.random.default_rng(1)
    x = rng.lognormal(0, 0.5, size=32)
    m = x.mean()
    assert decide(x, 3 * m).verdict == "holds"
    assert decide(x, 0.5 * m).verdict == "violated"
    d = decide(x, m)
    assert d.verdict == "inconclusive" and d.low < m < d.high
    assert d.p_value == pytest.approx(0.5, abs=0.01)


def test_squared_mean_limits_are_squared_limits_of_the_mean():
    rng = np.random.default_rng(2)
    y = rng.gamma(2.0, 1.0, size=16)
    lin = decide(y, 1.0)
    sq = decide(y, 1.0, Context(squared_mean=True))
    assert sq.estimate == pytest.approx(y.mean() ** 2)
    assert sq.high == pytest.approx(lin.high ** 2)
    assert sq.low == pytest.approx(max(lin.low, 0) ** 2)
    # p-value of (E Y)^2 <= B is that of E Y <= sqrt(B)
    assert decide(y, 4.0, Context(squared_mean=True)).p_value == pytest.approx(decide(y, 2.0).p_value)


# ---------------------------------------------------------------- diverged replicas
def test_diverged_replicas_make_holds_impossible_without_an_upper_support():
    rng = np.random.default_rng(3)
    x = rng.normal(1.0, 0.1, size=31)
    assert decide(x, 10.0).verdict == "holds"
    d = decide(x, 10.0, Context(n_diverged=1))
    assert d.label == "inconclusive (1 diverged)"
    assert d.high == math.inf and d.n_diverged == 1 and d.n == 31


def test_diverged_replicas_with_a_bounded_quantity_enter_at_the_worst_end():
    rng = np.random.default_rng(4)
    x = rng.uniform(0.0, 0.2, size=60)
    ctx = Context(n_diverged=2, support=(0.0, 1.0))
    d = decide(x, 0.6, ctx)
    assert d.verdict == "holds"  # two replicas at 1.0 still leave the mean far below 0.6
    assert d.high >= (x.sum() + 2.0) / 62
    assert decide(x, 0.13, ctx).verdict != "holds"  # the worst case moves the mean above 0.13


def test_diverged_replicas_never_create_a_violation():
    # with diverged replicas at the lower end (0) the violation test sees a smaller mean
    rng = np.random.default_rng(5)
    x = rng.normal(1.2, 0.05, size=30)
    without = decide(x, 1.0)
    with_div = decide(x, 1.0, Context(n_diverged=3))
    assert without.verdict == "violated"
    assert with_div.p_value > without.p_value
    # a paired difference has no lower support: no violation can be claimed with diverged replicas
    assert decide(x, 1.0, Context(n_diverged=1, support=(-math.inf, math.inf))).verdict == "inconclusive"


def test_too_many_diverged_is_diverged():
    d = decide([1.0, 1.1, 0.9], 10.0, Context(n_diverged=5, n_requested=8))
    assert d.verdict == "diverged" and d.p_value is None


# ---------------------------------------------------------------- family-wise control
def test_holm_steps_down():
    assert holm([0.01, 0.04, 0.03, 0.5], 0.05) == [True, False, False, False]  # 0.01 <= .05/4; 0.03 > .05/3
    assert holm([0.01, 0.02, 0.03], 0.05) == [True, True, True]  # .01<=.0167, .02<=.025, .03<=.05
    assert holm([None, 0.001], 0.01) == [False, True]  # untested rows are not in m
    assert holm([], 0.05) == []
    with pytest.raises(ValueError):
        holm([1.5], 0.05)


def _rows(decisions):
    """Output rows as the verify layer makes them (the family step works on rows)."""
    return [decision_fields(d) for d in decisions]


def _false_alarm_rate(n_rows, reps, alpha, rng, family=True):
    """Fraction of runs whose exit code says 'violated' when every true mean is 0.9 x bound.
    Exponential samples (skewed, like gaps), R = 32, bound = 1/0.9 x mean."""
    R, conf = 32, 1 - 2 * alpha
    alarms = 0
    for _ in range(reps):
        data = rng.exponential(0.9, size=(n_rows, R))
        rows = _rows([decide(row, 1.0, Context(confidence=conf)) for row in data])
        apply_family(rows, alpha, "holm" if family else "none")
        alarms += run_exit_code([r["verdict"] for r in rows]) == 1
    return alarms / reps


@pytest.mark.parametrize("n_rows, reps", [(1, 4000), (30, 600)])
def test_family_false_alarm_rate_at_most_nominal(n_rows, reps):
    """Every true mean is 0.9 x its bound; the run-level false-alarm rate must stay at or
    below the family alpha (plus three binomial standard errors of the simulation)."""
    alpha = 0.1  # large enough that each row alone alarms often: the test can fail
    rng = np.random.default_rng(13 + n_rows)
    rate = _false_alarm_rate(n_rows, reps, alpha, rng)
    assert rate <= alpha + 3 * math.sqrt(alpha * (1 - alpha) / reps)
    if n_rows == 30:
        # without the family step the same runs alarm far above alpha (so the test can fail)
        naive = _false_alarm_rate(n_rows, 200, alpha, np.random.default_rng(99), family=False)
        assert naive > 2 * alpha


def test_family_verdicts_keep_exact_violations_and_record_the_family():
    rng = np.random.default_rng(6)
    decs = [decide(rng.normal(0.5, 0.1, 32), 1.0) for _ in range(5)]
    decs.append(decide([2.0, 2.0], 1.0))  # exact violation, p = 0
    decs.append(decide([1.0], 1.0, Context(n_diverged=5, n_requested=6)))  # diverged: not tested
    rows = _rows(decs)
    fam = apply_family(rows, default_family_alpha(0.99))
    assert fam == {"family_method": "holm", "family_alpha": pytest.approx(0.005), "family_size": 6}
    assert [r["verdict"] for r in rows] == ["holds"] * 5 + ["violated", "diverged"]


def test_row_violated_alone_but_not_in_the_family_reads_inconclusive():
    # one row with p ~ 0.003 < 0.005 alone; among 10 rows Holm needs p <= 0.0005
    rng = np.random.default_rng(7)
    for _ in range(200):
        x = rng.normal(1.0, 1.0, 32)
        d = decide(x, 1.0 - 0.5)
        if 0.0005 < d.p_value < 0.005:
            break
    assert d.verdict == "violated"
    others = [decide(rng.normal(0.1, 0.1, 32), 1.0) for _ in range(9)]
    rows = _rows([d] + others)
    apply_family(rows, 0.005)
    assert (rows[0]["verdict"], rows[0]["verdict_detail"]) == ("inconclusive", "not significant at family level")
    alone = _rows([d])
    apply_family(alone, 0.005)
    assert alone[0]["verdict"] == "violated"
