"""The structured path of the optimal diagonal: ``H = D + U S U^T`` never formed (issue 17).

Every check compares with the dense matrix ``to_dense()`` (LAPACK eigenvalues, the dense
fast solver, CVXPY) at sizes where it can be formed; the certificate's soundness is a
Hypothesis property (a vector the Schur-complement certificate accepts is PSD-feasible).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from boundcheck.constants.diagonal import eig_error_bound, optimal_diagonal
from boundcheck.constants.structured import DiagonalPlusLowRank
from boundcheck.validation import InputError


def structure(d, r, seed=0, signed=True, coupling=0.5):
    rng = np.random.default_rng(seed)
    h = np.exp(-5.0 * np.arange(d) / d)
    U = rng.standard_normal((d, r))
    U = U if signed else np.abs(U)
    U /= np.linalg.norm(U, axis=0)
    return DiagonalPlusLowRank(h, U, coupling * np.ones(r))


def assert_feasible(H, L):
    S = np.diag(L) - H
    assert float(np.linalg.eigvalsh(S)[0]) >= -eig_error_bound(S)


@st.composite
def structures(draw, max_d=10, max_r=3):
    d = draw(st.integers(1, max_d))
    r = draw(st.integers(0, max_r))
    h = draw(arrays(np.float64, (d,), elements=st.floats(0, 4, allow_subnormal=False)))
    U = draw(arrays(np.float64, (d, r), elements=st.floats(-3, 3, allow_subnormal=False)))
    s = draw(arrays(np.float64, (r,), elements=st.floats(0, 2, allow_subnormal=False)))
    return DiagonalPlusLowRank(h, U, s)


@pytest.mark.parametrize("signed", [True, False])
def test_structured_and_dense_solvers_agree_at_moderate_d(signed):
    A = structure(400, 6, seed=1, signed=signed)
    H = A.to_dense()
    a = optimal_diagonal(A, solver="fast")
    b = optimal_diagonal(H, solver="fast")
    assert a.info["structure"] == "diagonal+low-rank" and b.info["structure"] == "dense"
    assert a.status == "optimal" and b.status == "optimal"
    assert_feasible(H, a.L)
    # weak duality across the two runs; agreement within the certified gaps
    assert a.dual <= b.primal * (1 + 1e-12) and b.dual <= a.primal * (1 + 1e-12)
    assert abs(a.primal - b.primal) <= (a.rel_gap + b.rel_gap) * b.primal * (1 + 1e-9)


@settings(max_examples=30, deadline=None)
@given(structures())
def test_structured_matches_cvxpy_on_small_random_structures(A):
    H = A.to_dense()
    a = optimal_diagonal(A, solver="fast")
    b = optimal_diagonal(H, solver="cvxpy")
    assert_feasible(H, a.L)
    assert a.dual <= b.primal * (1 + 1e-12) + 1e-300
    assert b.dual <= a.primal * (1 + 1e-12) + 1e-300
    assert a.status == "optimal"
    assert abs(a.primal - b.primal) <= 1e-6 * max(a.primal, b.primal) + 1e-300


@settings(max_examples=60, deadline=None)
@given(structures(), st.floats(-1, 1), st.integers(0, 2**32 - 1))
def test_the_schur_certificate_only_accepts_feasible_vectors(A, shift, seed):
    H = A.to_dense()
    rng = np.random.default_rng(seed)
    base = optimal_diagonal(H, solver="cvxpy").L if A.d > 1 else np.diag(H)
    # vectors near the optimum, on both sides of the feasibility boundary
    L = base * (1 + 1e-3 * shift) + 1e-6 * shift * rng.random(A.d)
    if A.certify(L):
        assert_feasible(H, L)


@settings(max_examples=40, deadline=None)
@given(structures(), st.integers(0, 2**32 - 1))
def test_certified_shift_and_lowest_eigenvalue_agree_with_lapack(A, seed):
    from boundcheck.constants.diagonal import shift_up

    H = A.to_dense()
    mu = np.diag(H) + np.random.default_rng(seed).standard_normal(A.d)
    lam, x = A.lowest_eig(mu)
    S = np.diag(mu) - H
    exact = float(np.linalg.eigvalsh(S)[0])
    assert abs(lam - exact) <= 1e-7 * max(1.0, float(np.max(np.abs(S))))
    t = A.certified_shift(mu, lam)
    L = shift_up(mu, t)
    assert t >= 0 and np.all(L - mu >= t)
    assert_feasible(H, L)


def test_infeasible_vectors_are_rejected():
    A = structure(50, 3, seed=2)
    assert not A.certify(A.diag)  # L = diag(D): misses the low-rank part
    assert not A.certify(A.diagonal())  # diag(H) is not feasible for a coupled H
    lam, _ = A.lowest_eig(A.diagonal())
    assert lam < 0


def test_dual_bound_is_below_the_dense_optimum_for_any_factor():
    A = structure(80, 4, seed=3)
    H = A.to_dense()
    ref = optimal_diagonal(H, solver="fast")
    V = np.random.default_rng(0).standard_normal((5, A.d))
    V /= np.linalg.norm(V, axis=0)
    value, err = A.dual_value_and_error(V)
    dense_value = float(np.sum(V * (V @ H)))
    assert abs(value - dense_value) <= err
    assert value - err <= ref.primal


def test_block_tied_structured_agrees_with_dense():
    A = structure(300, 4, seed=5)
    labels = np.arange(300) // 30
    a = optimal_diagonal(A, solver="fast", blocks=labels)
    b = optimal_diagonal(A.to_dense(), solver="fast", blocks=labels)
    assert a.status == "optimal" and b.status == "optimal"
    assert np.all([np.unique(a.L[labels == i]).size == 1 for i in range(10)])
    assert_feasible(A.to_dense(), a.L)
    assert abs(a.primal - b.primal) <= (a.rel_gap + b.rel_gap) * b.primal * (1 + 1e-9)


def test_products_and_comparators_match_the_dense_matrix():
    A = structure(120, 5, seed=4)
    H = A.to_dense()
    V = np.random.default_rng(1).standard_normal((3, 120))
    np.testing.assert_allclose(A.apply_rows(V), V @ H, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(A.matvec(V[0]), H @ V[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(A.diagonal(), np.diag(H), rtol=1e-14)
    assert A.trace() == pytest.approx(np.trace(H), rel=1e-13)
    assert A.lambda_max() == pytest.approx(np.linalg.eigvalsh(H)[-1], rel=1e-10)
    assert A.abs_sum() is None  # signed U: not computed
    P = structure(120, 5, seed=4, signed=False)
    assert P.abs_sum() == pytest.approx(np.sum(np.abs(P.to_dense())), rel=1e-12)


@pytest.mark.parametrize(
    "args, message",
    [
        ((np.ones(3), np.ones((2, 1)), [1.0]), "shape"),
        ((np.ones(3), np.ones((3, 1)), [1.0, 2.0]), "one weight per column"),
        ((-np.ones(3), np.ones((3, 1)), [1.0]), "diag"),
        ((np.ones(3), np.ones((3, 1)), [-1.0]), "s must be >= 0"),
        ((np.ones(3), np.full((3, 1), np.nan), [1.0]), "non-finite"),
    ],
)
def test_bad_structures_are_one_line_input_errors(args, message):
    with pytest.raises(InputError, match=message) as err:
        DiagonalPlusLowRank(*args)
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------- the problem side
@pytest.mark.parametrize("rank", [0, 3])
def test_quadratic_oracle_structure_is_its_smoothness_matrix(rank):
    from boundcheck.problems.quadratic import QuadraticOracle

    p = QuadraticOracle(d=60, rank=rank)
    A = p.smoothness_structure()
    np.testing.assert_allclose(A.to_dense(), p.smoothness_matrix(), rtol=1e-13, atol=1e-15)
    assert QuadraticOracle(d=60, rank=rank, rotate=2).smoothness_structure() is None


def test_problem_constants_use_the_structure_at_a_size_with_no_dense_H():
    from boundcheck.constants.assemble import problem_constants
    from boundcheck.problems.quadratic import QuadraticOracle

    p = QuadraticOracle(d=30_000, rank=4)
    pc = problem_constants(p)
    assert pc.diagonal.status == "optimal"
    assert pc.diagonal.info["structure"] == "diagonal+low-rank"
    # H >= 0 entrywise here (positive coupling vectors): the optimum is the rowsum vector,
    # which the problem also states as its L; ours is certified within the gap
    ref = float(np.sum(p.exact_constants()["L"]))
    assert pc.L_rowsum_norm1 == pytest.approx(ref, rel=1e-12)
    assert pc.diagonal.dual <= ref * (1 + 1e-12) <= pc.diagonal.primal * (1 + 1e-9)
    assert pc.trace_H <= pc.L_norm1


def test_a_bare_linear_operator_is_refused_with_one_line():
    from scipy.sparse.linalg import aslinearoperator

    with pytest.raises(InputError, match="linear operator cannot be certified") as err:
        optimal_diagonal(aslinearoperator(np.eye(3)))
    assert "\n" not in str(err.value)
