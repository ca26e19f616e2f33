"""Subset-Norm end to end (issue 11, part B): the registered algorithm, its partition, the
group-norm metric, the constants of a configured algorithm, the block constants, the block
assumptions, the declared theorems thmSN.* and the blocks sweep.

The two ends of the family are checked bit for bit against the existing algorithms through the
engine and through the CLI (``blocks=d`` is ``adagrad``, ``blocks=1`` is ``adagrad-norm``); in between,
against an independent loop implementation.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundcheck import registry
from boundcheck.algorithms import partition as P
from boundcheck.constants.provider import Assembly, NotApplicable, Provider, constant
from boundcheck.engine import RunConfig, run
from boundcheck.problems import make_problem
from boundcheck.problems.base import Ball
from boundcheck.validation import InputError


def _same(a, b):
    np.testing.assert_array_equal(a.final_iterate, b.final_iterate)
    np.testing.assert_array_equal(a.average_iterate, b.average_iterate)
    assert a.metrics.keys() == b.metrics.keys()
    for k in a.metrics:
        np.testing.assert_array_equal(a.metrics[k], b.metrics[k])


def _logistic(d=10):
    from boundcheck.problems.exptail import exptail_features
    from boundcheck.problems.finite_sum import FiniteSumProblem

    rng = np.random.default_rng(1)
    X = exptail_features(60, d, 0.5, 0.0, rng)
    y = np.sign(X @ rng.uniform(-1, 1, d) + 0.3 * rng.standard_normal(60))
    y[y == 0] = 1
    return FiniteSumProblem(X, y, "logistic", l2=0.01, name="t-logistic")


def _ball_quadratic(d):
    p = make_problem("quadratic-oracle", d=d, rank=2)
    p.domain = Ball(center=np.zeros(d), radius=0.4)
    return p


CASES = {
    "quadratic-box-I": (lambda: make_problem("quadratic-oracle", d=12, rank=2, rotate=1), "I"),
    "quadratic-ball-I": (lambda: _ball_quadratic(9), "I"),
    "logistic-II": (lambda: _logistic(), "II"),
    "nonconvex-II": (lambda: make_problem("nonconvex-aniso", d=10), "II"),
}


# ----------------------------------------------------------------------------- the two ends, bit for bit
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_blocks_d_is_adagrad_and_blocks_1_is_adagrad_norm_bit_for_bit(case, dtype):
    make, option = CASES[case]
    p = make()
    kw = dict(option=option, T=120, batch_size=3, eta=0.4, seeds=5, seed=11, dtype=dtype,
              init="zeros" if option == "I" else "uniform:0.2")
    for ref, k in (("adagrad", p.d), ("adagrad-norm", 1)):
        a = run(p, RunConfig(algorithm=ref, **kw))
        b = run(p, RunConfig(algorithm="subset-norm", hyperparameters={"blocks": k}, **kw))
        _same(a, b)  # iterates, averages and every default metric (trace_lambda included)
    mid = run(p, RunConfig(algorithm="subset-norm", hyperparameters={"blocks": 3}, **kw))
    assert not np.array_equal(mid.final_iterate, a.final_iterate)  # the ends are not the whole family


def test_given_partition_equal_to_singletons_or_one_block_is_the_same_bits():
    p = make_problem("nonconvex-aniso", d=6)
    kw = dict(option="II", T=80, batch_size=2, eta=0.5, seeds=3, seed=2, init="uniform:0.3")
    _same(run(p, RunConfig(algorithm="adagrad", **kw)),
          run(p, RunConfig(algorithm="subset-norm", hyperparameters={"partition": "0/1/2/3/4/5"}, **kw)))
    _same(run(p, RunConfig(algorithm="adagrad-norm", **kw)),
          run(p, RunConfig(algorithm="subset-norm", hyperparameters={"partition": "0-5"}, **kw)))


def _reference(p, blocks, T, eta, eps, seeds, seed, M):
    """Subset-Norm written as a loop over blocks, fed the engine's own gradient draws."""
    from boundcheck.sampling import ReplicaStreams

    streams = ReplicaStreams(seed, range(seeds))
    W = np.zeros((seeds, p.d))
    v = np.full((seeds, len(blocks)), eps * eps)
    for _ in range(T):
        g = p.stochastic_grad(W, M, streams)
        for i, b in enumerate(blocks):
            v[:, i] += np.sum(g[:, b] ** 2, axis=1)
            W[:, b] -= eta * g[:, b] / np.sqrt(v[:, i:i + 1])
    return W


@pytest.mark.parametrize("hyper, blocks", [
    ({"blocks": 3}, [[0, 1, 2], [3, 4, 5], [6, 7]]),
    ({"blocks": 5}, [[0, 1], [2, 3], [4, 5], [6], [7]]),
    ({"partition": "0,5/1-3/4,6,7"}, [[0, 5], [1, 2, 3], [4, 6, 7]]),
])
def test_intermediate_k_matches_a_loop_reference(hyper, blocks):
    p = make_problem("quadratic-oracle", d=8, rank=1)
    p.domain = None  # Option II
    res = run(p, RunConfig(algorithm="subset-norm", hyperparameters=hyper, option="II", T=60, batch_size=2,
                           eta=0.3, seeds=8, seed=4))
    ref = _reference(p, [np.array(b) for b in blocks], 60, 0.3, 1e-8, 8, 4, 2)
    np.testing.assert_allclose(res.final_iterate, ref, rtol=1e-12, atol=1e-14)


def _main(capsys, *args):
    from boundcheck.cli import main

    with pytest.raises(SystemExit) as ex:
        main(list(args))
    out = capsys.readouterr()
    return ex.value.code, out.out, out.err


def _rows(text):
    data = json.loads(text)
    return data["rows"] if isinstance(data, dict) else data


def _cli_json(capsys, args):
    code, out, err = _main(capsys, "run", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("ref, k", [("adagrad", 16), ("adagrad-norm", 1)])
def test_cli_run_reproduces_adagrad_and_adagrad_norm(capsys, ref, k):
    common = ["--problem", "quadratic-oracle", "--d", "16", "--rank", "2", "--option", "I", "--T", "200",
              "--batch-size", "4", "--eta", "0.5", "--seeds", "4", "--seed", "7"]
    a = _cli_json(capsys, ["--algorithm", ref, *common])
    b = _cli_json(capsys, ["--algorithm", "subset-norm", "-H", f"blocks={k}", *common])
    for key in ("final_iterate", "average_iterate", "metrics", "diverged", "checkpoints"):
        assert a[key] == b[key], key
    assert b["config"]["hyperparameters"]["blocks"] == k


def test_bad_blocks_and_partitions_are_one_line_errors(capsys):
    p = make_problem("quadratic-oracle", d=8)
    with pytest.raises(InputError, match="blocks=9 is out of range for d=8"):
        run(p, RunConfig(algorithm="subset-norm", hyperparameters={"blocks": 9}, option="I", T=5))
    with pytest.raises(InputError, match="coordinate 3 is in no block"):
        run(p, RunConfig(algorithm="subset-norm", hyperparameters={"partition": "0-2/4-7"}, option="I", T=5))
    with pytest.raises(InputError, match="more than one block"):
        P.from_blocks(P.parse("0-4/4-7"), 8)
    with pytest.raises(InputError, match="not an index"):
        registry.get("algorithm", "subset-norm").build({"partition": "0-3/x"})
    with pytest.raises(InputError, match="disagrees with the partition"):
        P.resolve(8, 3, "0-3/4-7")
    with pytest.raises(InputError, match="blocks"):
        registry.get("algorithm", "subset-norm").bind({"blocks": 0})
    code, out, err = _main(capsys, "run", "--algorithm", "subset-norm", "-H", "blocks=40", "--problem",
                           "quadratic-oracle", "--d", "8", "--T", "5")
    assert code == 2 and "blocks=40 is out of range for d=8" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- the partition
@given(st.integers(1, 300), st.data())
@settings(max_examples=60)
def test_contiguous_partition_is_array_split_and_sums_broadcasts_are_right(d, data):
    from boundcheck.theory.proofs.subset_norm import contiguous_partition

    k = data.draw(st.integers(1, d))
    p = P.contiguous(d, k)
    ref = contiguous_partition(d, k)
    assert [list(b) for b in p.blocks()] == [list(b) for b in ref]
    x = np.random.default_rng(d * 1000 + k).standard_normal((8, d))
    s = p.sums(x, np)
    np.testing.assert_allclose(s, np.stack([x[:, b].sum(axis=1) for b in ref], axis=1), rtol=1e-12, atol=1e-12)
    y = np.random.default_rng(k).standard_normal((8, k))
    full = np.empty((8, d))
    for i, b in enumerate(ref):
        full[:, b] = y[:, i:i + 1]
    np.testing.assert_array_equal(p.expand(y, np), full)
    np.testing.assert_array_equal(np.broadcast_to(p.broadcast(y, np), (8, d)), full)
    np.testing.assert_allclose(p.weighted_total(y, np), full.sum(axis=1), rtol=1e-12)
    assert P.from_blocks(P.parse(p.text()), d).layout == p.layout


def test_general_partition_sums_and_text_round_trip():
    p = P.from_blocks(P.parse("0,5/1-3/4,6,7"), 8)
    assert p.layout == "general" and p.k == 3 and p.text() == "0,5/1-3/4,6-7"
    x = np.arange(16.0).reshape(2, 8)
    np.testing.assert_array_equal(p.sums(x, np), [[5, 6, 17], [21, 30, 41]])


# ----------------------------------------------------------------------------- metric, trace, preconditioner
def test_group_norm_metric_limits_and_availability():
    p = make_problem("nonconvex-aniso", d=9)
    kw = dict(option="II", T=40, batch_size=2, eta=0.3, seeds=3, seed=1, init="uniform:0.5",
              metrics=("mean_grad_blk_sq", "mean_grad_l1_sq", "mean_grad_l2_sq"))
    r_d = run(p, RunConfig(algorithm="subset-norm", hyperparameters={"blocks": 9}, **kw))
    np.testing.assert_allclose(r_d.metrics["mean_grad_blk_sq"], r_d.metrics["mean_grad_l1_sq"], rtol=1e-12)
    r_1 = run(p, RunConfig(algorithm="subset-norm", hyperparameters={"blocks": 1}, **kw))
    np.testing.assert_allclose(r_1.metrics["mean_grad_blk_sq"], r_1.metrics["mean_grad_l2_sq"], rtol=1e-12)
    r_3 = run(p, RunConfig(algorithm="subset-norm", hyperparameters={"blocks": 3}, **kw))
    blk, l1, l2 = (r_3.metrics[m] for m in ("mean_grad_blk_sq", "mean_grad_l1_sq", "mean_grad_l2_sq"))
    assert np.all(l2 <= blk * (1 + 1e-12)) and np.all(blk <= l1 * (1 + 1e-12)) and np.any(blk < l1 * 0.999)
    with pytest.raises(InputError, match="needs a partition"):
        run(p, RunConfig(algorithm="adagrad", **kw))


def test_trace_and_preconditioner_are_block_scalar_lambda():
    spec = registry.get("algorithm", "subset-norm")
    alg = spec.build({"blocks": 3})
    w = np.zeros((2, 7))
    state = alg.init(w, np)
    assert state.v.shape == (2, 3)  # k floats of state per replica
    g = np.arange(14.0).reshape(2, 7)
    _, state = alg.update(w, g, state, 0.1, None, np)
    lam = alg.preconditioner(state, np)
    assert lam.shape == (2, 7)
    blocks = P.contiguous(7, 3).blocks()
    for i, b in enumerate(blocks):
        want = np.broadcast_to((1e-16 + (g[:, b] ** 2).sum(axis=1))[:, None], (2, b.size))
        np.testing.assert_allclose(lam[:, b] ** 2, want, rtol=1e-14)
    np.testing.assert_allclose(alg.trace(state, 7, np), lam.sum(axis=1), rtol=1e-14)


# ----------------------------------------------------------------------------- configured assemblies
def test_configured_views_share_problem_constants_and_keep_their_own():
    p = make_problem("quadratic-oracle", d=16, rank=2)
    base = Assembly(p)
    v4, v8 = base.configured("subset-norm", {"blocks": 4}), base.configured("subset-norm", {"blocks": 8})
    assert base.configured("subset-norm", {"blocks": 4}) is v4  # cached per configuration
    assert v4.require("blocks").value == 4 and v8.require("blocks").value == 8
    L = v4.require("L")
    assert v8.require("L") is L and base.require("L") is L  # computed once, shared
    assert v4.require("L_blk_norm1").value != v8.require("L_blk_norm1").value
    assert "L_blk_norm1" not in base.known() and "L_blk_norm1" in v4.known()
    assert base.get("L_blk_norm1") is None and "configured" in base.why_missing("L_blk_norm1")
    with pytest.raises(InputError, match="shares no step sizes over blocks"):
        base.configured("adagrad").require("blocks")


def test_a_value_built_on_a_configured_value_is_cached_per_configuration():
    """Tracking is automatic: a provider that reads no configuration itself but builds on a
    configuration-dependent constant must not leak its value into the shared cache."""
    calls = []

    def derived(a):
        calls.append(1)
        return {"twice_blocks": constant("twice_blocks", 2 * a.require("blocks").value, "derived", "2 k")}

    prov = Provider("test-twice-blocks", ("twice_blocks",), derived)
    registry.register("constant", prov)
    try:
        base = Assembly(make_problem("nonconvex-aniso", d=12))
        assert base.configured("subset-norm", {"blocks": 3}).require("twice_blocks").value == 6
        assert base.configured("subset-norm", {"blocks": 4}).require("twice_blocks").value == 8
        assert base.get("twice_blocks") is None
        assert len(calls) == 3
    finally:
        registry.unregister("constant", prov.name)


# ----------------------------------------------------------------------------- block constants
def test_block_constants_at_the_two_limits_are_the_coordinate_ones():
    p = make_problem("quadratic-oracle", d=24, rank=2, rotate=1)
    base = Assembly(p)
    vd, v1 = base.configured("subset-norm", {"blocks": 24}), base.configured("subset-norm", {"blocks": 1})
    assert vd.require("L_blk_norm1").value == base.require("L_norm1").value  # the same certified L
    assert vd.require("sigma_blk_norm1").value == pytest.approx(base.require("sigma_norm1").value, rel=1e-14)
    assert vd.require("D_blk").value == base.require("D_inf").value
    lmax = base.require("lambda_max_H").value
    assert lmax * (1 - 1e-9) <= v1.require("L_blk_norm1").value <= lmax * (1 + 1e-6)
    assert v1.require("sigma_blk_norm1").value == pytest.approx(base.require("sigma_norm2").value, rel=1e-14)
    assert v1.require("D_blk").value == pytest.approx(base.require("D_2").value, rel=1e-14)


def _psd(d, seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((d, max(1, d // 2))) * np.exp(-np.arange(d) / 3)[:, None]
    return A @ A.T + np.diag(np.exp(-np.arange(d) / 4)) * 0.1


@given(st.integers(2, 14), st.integers(0, 10**6), st.data())
@settings(max_examples=25, deadline=None)
def test_block_sdp_fast_solver_agrees_with_cvxpy_and_is_certified(d, seed, data):
    """min sum_B L_B s.t. Diag(L_B I_B) >= H (weight 1 per block): the fast solver against the
    CVXPY reference, both certified feasible; block Gershgorin is feasible and not better."""
    from boundcheck.constants.blocks import block_gershgorin
    from boundcheck.constants.diagonal import optimal_diagonal

    H = _psd(d, seed)
    labels = np.asarray(data.draw(st.lists(st.integers(0, d - 1), min_size=d, max_size=d)))
    labels = np.unique(labels, return_inverse=True)[1]
    k = int(labels.max()) + 1
    fast = optimal_diagonal(H, solver="fast", blocks=labels, block_weights=np.ones(k))
    ref = optimal_diagonal(H, solver="cvxpy", blocks=labels, block_weights=np.ones(k))
    for r in (fast, ref):
        LB = np.array([r.L[labels == b][0] for b in range(k)])
        assert np.all(r.L == LB[labels])  # block-constant
        assert r.primal == pytest.approx(LB.sum(), rel=1e-12)  # the objective counts each block once
        assert np.linalg.eigvalsh(np.diag(r.L) - H)[0] >= -1e-12 * np.max(np.diag(H))
        assert r.dual <= r.primal
    assert fast.primal == pytest.approx(ref.primal, rel=1e-6)
    assert max(fast.dual, ref.dual) <= min(fast.primal, ref.primal) * (1 + 1e-12)
    G = block_gershgorin(H, labels)
    assert np.linalg.eigvalsh(np.diag(G[labels]) - H)[0] >= -1e-12 and G.sum() >= ref.dual * (1 - 1e-9)


def test_block_weights_are_checked():
    from boundcheck.constants.diagonal import optimal_diagonal

    with pytest.raises(InputError, match="block_weights must be 2"):
        optimal_diagonal(np.eye(3), blocks=[0, 0, 1], block_weights=[1.0])
    with pytest.raises(InputError, match="needs blocks"):
        optimal_diagonal(np.eye(3), block_weights=[1.0, 1.0, 1.0])


# ----------------------------------------------------------------------------- block assumptions
def _given(view, names):
    return {n: np.asarray(view.require(n).value, float) for n in names}


@pytest.mark.parametrize("name, k", [("quadratic-oracle", 4), ("nonconvex-aniso", 3)])
def test_block_assumptions_hold_with_the_constants_and_fail_below_them(name, k):
    p = make_problem(name, d=12, **({"rank": 2} if name == "quadratic-oracle" else {}))
    view = Assembly(p).configured("subset-norm", {"blocks": k})
    smooth, noise = registry.get("assumption", "3.3-block"), registry.get("assumption", "3.5-block")
    c = _given(view, ("L_blk", "partition"))
    assert smooth.check(p, c).status == "holds"
    assert smooth.check(p, {**c, "L_blk": 0.5 * c["L_blk"]}).status == "violated"
    s = _given(view, ("sigma_blk", "partition"))
    assert noise.check(p, s).status == "holds"
    assert noise.check(p, {**s, "sigma_blk": 0.8 * s["sigma_blk"]}).status == "violated"
    assert smooth.check(p, {}).status == "unchecked"


# ----------------------------------------------------------------------------- theorems
def test_declared_theorems_reduce_to_thm41_and_thm43_symbolically():
    import sympy as sp

    from boundcheck.theory.proofs import subset_norm as sn
    from boundcheck.theory.theorem import get

    for sn_id, ref_id in (("thmSN.convex", "thm4.1"), ("thmSN.nonconvex", "thm4.3")):
        a, b = get(sn_id), get(ref_id)
        assert sp.simplify(a.step_size.subs(sn.LIMIT_K_EQ_D) - b.step_size) == 0
        assert set(a.terms) == set(b.terms)
        for key in a.terms:
            assert sp.simplify(a.terms[key].subs(sn.LIMIT_K_EQ_D) - b.terms[key]) == 0, (sn_id, key)
        assert a.algorithm == "subset-norm" and a.hyperparameters["blocks"] >= 1
    assert get("thmSN.convex").consistency() == {"explicit_ge_generic": True}


def test_thmSN_at_k_eq_d_evaluates_to_thm41_and_thm43_on_their_problems():
    """Numerically, through the constants layer: singleton blocks on Theorem 4.1's / 4.3's own
    default problems give their bounds (same certified L, same sigma, D_inf)."""
    from boundcheck.theory.theorem import get
    from boundcheck.verify import instances

    for sn_id, ref_id in (("thmSN.convex", "thm4.1"), ("thmSN.nonconvex", "thm4.3")):
        a, b = get(sn_id), get(ref_id)
        problem, base = instances.instance(b.problems[0])
        run_consts = {"T": 1000, "M": 8, "eps": 1e-8, "d": problem.d}
        ca = {**instances.theorem_constants(a, base, hyperparameters={"blocks": problem.d})[0], **run_consts}
        cb = {**instances.theorem_constants(b, base)[0], **run_consts}
        assert a.evaluate(ca)["explicit"] == pytest.approx(b.evaluate(cb)["explicit"], rel=1e-12)


def test_verify_prints_rows_with_verdicts_for_both_theorems(capsys):
    code, out, err = _main(capsys, "verify", "thmSN.convex", "thmSN.nonconvex", "--T", "60", "--seeds", "4",
                           "--no-cache", "-q", "--format", "json")
    assert code == 0, err
    rows = _rows(out)
    got = {row["theorem"]: row for row in rows}
    assert set(got) == {"thmSN.convex", "thmSN.nonconvex"}
    for row in got.values():
        assert row["verdict"] == "holds" and row["bound"] > row["ci_high"] > 0
    assert got["thmSN.nonconvex"]["quantity"] == "sq_mean_rms_grad_blk"


# ----------------------------------------------------------------------------- the sweep
def test_blocks_sweep_rows_and_prediction(capsys):
    code, out, err = _main(capsys, "sweep", "blocks", "--d", "16", "--blocks", "1,4,16", "--T", "100", "--seeds",
                           "6", "--no-cache", "-q", "--format", "json")
    assert code == 0, err
    rows = _rows(out)
    per_k = [row for row in rows if row["check"] == "blocks-theorem"]
    assert [row["blocks"] for row in per_k] == [1, 4, 16] == [row["state_floats"] for row in per_k]
    assert all(row["verdict"] == "holds" for row in per_k)
    (summary,) = [row for row in rows if row["check"] == "blocks"]
    bounds = {row["blocks"]: row["bound"] for row in per_k}
    assert summary["best_k_bound"] == min(bounds, key=bounds.get)
    means = {row["blocks"]: row["empirical"] for row in per_k}
    assert summary["best_k_observed"] == min(means, key=means.get)
    assert summary["verdict"] in ("agrees", "disagrees", "inconclusive")
    code, _, err = _main(capsys, "sweep", "blocks", "--d", "8", "--blocks", "1,16", "--no-cache")
    assert code == 2 and "--blocks 16 exceeds --d 8" in err


def test_blocks_sweep_nonconvex_is_not_compared_across_norms(capsys):
    """thmSN.nonconvex measures each k in its own group norm: the summary says so and its verdict
    is inconclusive whatever the comparison gives."""
    code, out, err = _main(capsys, "sweep", "blocks", "--theorem", "thmSN.nonconvex", "--d", "8", "--blocks", "1,8",
                           "--T", "50", "--seeds", "4", "--no-cache", "-q", "--format", "json")
    assert code == 0, err
    (summary,) = [row for row in _rows(out) if row["check"] == "blocks"]
    assert summary["verdict"] == "inconclusive" and summary["comparison_verdict"] in ("agrees", "disagrees",
                                                                                       "inconclusive")
    assert "not comparable across k" in summary["note"]
