"""The (1,1)-norm H_norm11 = sum_jk |H_jk| beside trace_H, lambda_max_H and the optimal diagonal L,
through the constants layer, and how far rotations move ||L_opt||_1 towards d lambda_max.

Properties (PSD H): tr H <= ||L_opt||_1 <= ||H||_{1,1} (L_j >= H_jj; the row sums are feasible),
||L_opt||_1 <= d lambda_max (lambda_max 1 is feasible), ||L_opt||_1 and ||H||_{1,1} invariant under
permutations. Worst case over rotations: sup_Q ||L_opt(Q H Q^T)||_1 = d lambda_max(H), attained by
any Q that maps a top eigenvector to the flat vector 1/sqrt(d) (the dual point Y = 1 1^T gives
<Q H Q^T, 1 1^T> = d u^T H u with u = Q^T 1/sqrt(d)); a Haar Q gets only part of the way
(measured below and in benchmarks/rotation_norm11.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from boundcheck.constants.assemble import constants_from_matrix, problem_constants
from boundcheck.constants.diagonal import optimal_diagonal
from boundcheck.constants.provider import Assembly
from boundcheck.constants.structured import DiagonalPlusLowRank
from boundcheck.problems import make_problem
from boundcheck.problems.base import Problem
from boundcheck.problems.rotation import haar


@st.composite
def psd_matrices(draw, max_d=8):
    d = draw(st.integers(1, max_d))
    r = draw(st.integers(1, d + 2))
    A = draw(arrays(np.float64, (d, r), elements=st.floats(-4, 4, allow_subnormal=False)))
    logscale = draw(arrays(np.float64, (d,), elements=st.floats(-3, 3)))
    A = A * np.exp(logscale)[:, None]
    H = A @ A.T
    return 0.5 * (H + H.T)


class _StructureOnly(Problem):
    """A problem that offers its smoothness matrix as a structure only."""

    name = "structure-only"

    def __init__(self, A):
        self.A, self.d = A, A.d

    def smoothness_structure(self):
        return self.A


class _OnlyL(Problem):
    """A problem that states L and has no smoothness matrix."""

    name = "only-L"

    def __init__(self, L):
        self.L, self.d = np.asarray(L, float), len(L)

    def exact_constants(self):
        return {"L": self.L}


def _fast(H):
    return constants_from_matrix(H, solver="fast")


@given(psd_matrices())
def test_trace_le_L_opt_le_H_norm11_and_d_lambda_max(H):
    pc = _fast(H)
    d = H.shape[0]
    gap = pc.diagonal.rel_gap
    assert pc.H_norm11 == float(np.abs(H).sum())
    assert pc.H_norm11 == pytest.approx(pc.L_rowsum_norm1, rel=4 * d * d * np.finfo(float).eps)  # summation order
    # L_norm1 is the certified feasible value: >= the optimum, <= optimum / (1 - gap)
    assert pc.trace_H <= pc.L_norm1 * (1 + 1e-12) + 1e-300
    assert pc.L_norm1 * (1 - gap) <= pc.H_norm11 * (1 + 1e-12) + 1e-300
    assert pc.L_norm1 * (1 - gap) <= d * pc.lambda_max_H * (1 + 1e-9) + 1e-300
    assert pc.trace_H <= pc.H_norm11 * (1 + 1e-12) + 1e-300


@given(psd_matrices(), st.randoms(use_true_random=False))
def test_L_opt_and_H_norm11_are_permutation_invariant(H, rnd):
    d = H.shape[0]
    perm = np.array(rnd.sample(range(d), d))
    a, b = _fast(H), _fast(H[np.ix_(perm, perm)])
    assert a.H_norm11 == pytest.approx(b.H_norm11, rel=1e-14)
    assert a.diagonal.dual <= b.L_norm1 * (1 + 1e-12) + 1e-300
    assert b.diagonal.dual <= a.L_norm1 * (1 + 1e-12) + 1e-300


def test_structured_H_norm11_exact_for_one_signed_columns_and_a_bound_otherwise():
    rng = np.random.default_rng(0)
    d, r = 30, 3
    diag = np.exp(-0.1 * np.arange(d))
    s = np.array([0.5, 0.2, 0.1])
    Upos = np.abs(rng.standard_normal((d, r)))
    Umix = rng.standard_normal((d, r))
    for U, exact in ((Upos, True), (Umix, False)):
        A = DiagonalPlusLowRank(diag, U, s)
        c = Assembly(_StructureOnly(A)).require("H_norm11")
        dense = float(np.abs(A.to_dense()).sum())
        if exact:
            assert c.kind == "exact" and c.value == pytest.approx(dense, rel=1e-13)
        else:
            assert c.kind == "certified" and c.value >= dense
            assert c.value <= 2.0 * dense  # the bound sum D + sum_l s_l ||u_l||_1^2 is not vacuous here


def test_bound_from_a_stated_L_when_no_matrix():
    """(sum_j sqrt(L_j))^2 >= sum_jk |H_jk| whenever -Diag(L) <= H <= Diag(L)."""
    p = make_problem("quadratic-oracle", d=300, rank=2, rotate=1)  # rotated: no structure
    L = p.exact_constants()["L"]

    c = Assembly(_OnlyL(L)).require("H_norm11")
    assert c.kind == "bound" and c.note
    assert c.value >= float(np.abs(p.smoothness_matrix()).sum())


def test_constants_command_reports_H_norm11_with_the_existing_fields():
    pc = problem_constants(make_problem("quadratic-oracle", d=8, rotation="haar"))
    out = pc.as_dict()
    for name in ("trace_H", "lambda_max_H", "L_rowsum_norm1", "H_norm11", "L_norm1"):
        assert out[name] is not None
    assert out["trace_H"] <= out["L_norm1"] <= out["H_norm11"] * (1 + 1e-9)


# --------------------------------------------------------------------------- worst case over rotations
def _flat_rotation(u):
    """A Householder Q with Q u = 1/sqrt(d) (u a unit vector)."""
    d = u.size
    f = np.ones(d) / math.sqrt(d)
    v = u - f
    if np.linalg.norm(v) < 1e-15:
        return np.eye(d)
    v /= np.linalg.norm(v)
    return np.eye(d) - 2 * np.outer(v, v)


@pytest.mark.parametrize("d", [4, 16, 32])
def test_the_worst_rotation_attains_d_lambda_max(d):
    """H = diag(exp(-tau j)): ||L_opt||_1 = tr H unrotated; with Q mapping e_0 (the top eigenvector)
    to the flat vector, ||L_opt(Q H Q^T)||_1 = d lambda_max within the certified gap."""
    h = np.exp(-(5.0 / d) * np.arange(d))
    Q = _flat_rotation(np.eye(d)[0])
    res = optimal_diagonal(Q @ np.diag(h) @ Q.T, solver="cvxpy")
    assert res.dual <= d * h[0] * (1 + 1e-9)
    assert res.primal >= d * h[0] * (1 - 1e-9)
    assert optimal_diagonal(np.diag(h), solver="cvxpy").primal == pytest.approx(h.sum(), rel=1e-7)


def test_haar_rotations_move_L_opt_part_of_the_way_to_d_lambda_max():
    """Measured over 20 Haar rotations of H = diag(exp(-5 j/d)), d = 32: the ratio
    ||L_opt||_1 / (d lambda_max) stays strictly between tr H/(d lambda_max) (no rotation) and 1 (the
    worst rotation). Stated margins: the largest sampled ratio is below 0.95 and the smallest above
    tr/(d lambda_max) + 0.05, so sampling does not find the worst case; rank one (h = e_0), where
    L_opt = ||Q e_0||_1^2 exactly, gives E ratio = 2/pi (Gaussian l1 norm) up to O(1/d)."""
    d = 32
    h = np.exp(-(5.0 / d) * np.arange(d))
    base = h.sum() / (d * h[0])
    rng = np.random.default_rng(0)
    ratios = []
    for _ in range(20):
        Q = haar(d, rng)
        ratios.append(optimal_diagonal(Q @ np.diag(h) @ Q.T, solver="fast").primal / (d * h[0]))
    assert base + 0.05 < min(ratios) and max(ratios) < 0.95, (base, ratios)
    # rank one: closed form ||q||_1^2 with q a uniform unit vector; E ||q||_1^2 = 1 + (d-1) 2/pi ... / d
    q = haar(d, rng)[:, 0]
    assert optimal_diagonal(np.outer(q, q), solver="cvxpy").primal == pytest.approx(np.sum(np.abs(q)) ** 2, rel=1e-6)
    e = np.array([np.sum(np.abs(haar(d, rng)[:, 0])) ** 2 / d for _ in range(400)])
    expected = (1 + (d - 1) * 2 / math.pi) / d  # E|q_i||q_j| = 2/(pi d) for i != j, E q_i^2 = 1/d (exact)
    assert abs(e.mean() - expected) <= 4.5 * e.std() / math.sqrt(e.size)
