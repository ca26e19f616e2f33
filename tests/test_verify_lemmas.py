"""Lemma checks along trajectories: each verdict, slack ratio and the C.2 exact value."""

import pytest

from boundcheck import registry
from boundcheck.verify import cells


def check(check_id, **kw):
    c = registry.get("check", check_id)
    specs = c.plan(c.problems[0], kw.pop("Ts", [60]), kw.pop("Ms", [4]), kw.pop("seeds", 8), kw.pop("seed", 1))
    outs = cells.execute(specs)
    return [cells.summarise(o, 0.99) for o in outs]


@pytest.mark.parametrize("lemma_id", ["lemmaE.2", "lemmaF.4"])
def test_expectation_lemmas_hold_with_a_slack_ratio(lemma_id):
    (row,) = check(lemma_id)
    assert row["verdict"] == "holds", row
    assert 0 < row["ratio"] < 1 and row["ci_high"] < row["bound"]
    assert row["used_by"]


def test_identity_17_holds_at_every_step_and_reports_the_tightest():
    (row,) = check("lemma(17)", Ts=[80])
    assert row["verdict"] == "holds" and row["violations"] == 0
    assert 0 < row["max_step_ratio"] <= 1 and 0 <= row["worst_step"] < 80
    assert row["empirical"] <= row["bound"]


def test_identity_17_verdict_is_violated_when_a_step_fails():
    res = {"lemma": "(17)", "problem": "p", "d": 2, "T": 5, "M": 1, "seeds_requested": 2, "pathwise": True,
           "lhs_sum": [1.0, 1.0], "rhs_sum": [2.0, 2.0], "violations": 1, "max_step_ratio": 1.3,
           "worst_step": 2, "algorithm": "adagrad"}
    assert registry.get("check", "lemma(17)").summarise({}, res, 0.99)["verdict"] == "violated"


def test_c2_variance_is_reduced_by_M_and_matches_the_exact_finite_sum_value():
    rows = check("lemmaC.2", Ms=[8], seeds=16)
    assert [r["M"] for r in rows] == [1, 8, 64]
    for r in rows:
        assert r["verdict"] == "holds"
        assert r["ci_low"] <= r["exact"] <= r["ci_high"], r  # C.2 is an equality for finite sums
    e1, e8, e64 = (r["exact"] for r in rows)
    assert e8 == pytest.approx(e1 / 8, rel=1e-12) and e64 == pytest.approx(e1 / 64, rel=1e-12)
    # the Monte Carlo estimates scale like 1/M within their intervals
    assert rows[1]["ci_low"] * 8 <= rows[0]["ci_high"] and rows[0]["ci_low"] <= rows[1]["ci_high"] * 8


def test_lemma_cells_are_deterministic():
    a = check("lemmaE.2", seeds=4)
    b = check("lemmaE.2", seeds=4)
    assert a == b
    c = check("lemmaE.2", seeds=4, seed=2)
    assert c[0]["empirical"] != a[0]["empirical"]
