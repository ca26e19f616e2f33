"""The optimal diagonal smoothness vector: certified properties (issue 4, "Done when").

Random PSD matrices ``H = A A^T`` come from Hypothesis-drawn factors (any rank, scales
spread over several orders of magnitude). Every property below is a theorem about the
SDP ``min sum(L) s.t. Diag(L) >= H`` plus the solver's certificate, so tolerances are
the certified gap (``rel_gap``) or the eigensolver's error bound, not guesses.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from boundcheck.constants import comparators
from boundcheck.constants.diagonal import (
    certified_shift,
    check_psd_matrix,
    dual_lower_bound,
    eig_error_bound,
    make_feasible,
    optimal_diagonal,
)
from boundcheck.validation import InputError


@st.composite
def psd_matrices(draw, max_d=10):
    d = draw(st.integers(1, max_d))
    r = draw(st.integers(1, d + 2))
    A = draw(arrays(np.float64, (d, r), elements=st.floats(-4, 4, allow_subnormal=False)))
    logscale = draw(arrays(np.float64, (d,), elements=st.floats(-3, 3)))
    A = A * np.exp(logscale)[:, None]
    H = A @ A.T
    return 0.5 * (H + H.T)


def min_eig_lapack(S):
    # an eigensolver independent of the one used inside the certificate (syevd vs syevr)
    return float(np.linalg.eigvalsh(S)[0])


def assert_feasible(H, L):
    S = np.diag(L) - H
    # the true lambda_min is >= 0; an independent eigensolver sees it within its error
    assert min_eig_lapack(S) >= -eig_error_bound(S)


@given(psd_matrices())
def test_fast_solution_is_feasible_and_between_trace_and_simple_bounds(H):
    res = optimal_diagonal(H, solver="fast")
    assert_feasible(H, res.L)
    d = H.shape[0]
    lam_max = float(np.linalg.eigvalsh(H)[-1])
    # L_j >= H_jj for every feasible L (diagonal of a PSD matrix is >= 0)
    assert np.all(res.L >= np.diag(H) - 2 * eig_error_bound(np.diag(res.L) - H))
    assert res.primal >= comparators.trace(H) * (1 - 1e-12) - 1e-300
    # the certificate: primal <= optimum / (1 - rel_gap) <= each feasible comparator / (1 - gap)
    upper = min(d * lam_max + d * eig_error_bound(H), float(np.sum(np.abs(H))))
    assert res.primal <= upper / (1 - res.rel_gap) * (1 + 1e-12) + 1e-300
    assert res.dual <= res.primal
    assert res.status == ("optimal" if res.rel_gap <= 1e-7 else "feasible")


@given(psd_matrices(), st.randoms(use_true_random=False))
def test_permuting_coordinates_permutes_L(H, rnd):
    d = H.shape[0]
    perm = np.array(rnd.sample(range(d), d))
    a = optimal_diagonal(H, solver="fast")
    b = optimal_diagonal(H[np.ix_(perm, perm)], solver="fast")
    # permuting is a symmetry of the SDP: each run's certified lower bound must lie below the
    # other run's certified feasible value (weak duality across the two problems), and the two
    # objectives agree within their certified gaps
    assert a.dual <= b.primal * (1 + 1e-12) + 1e-300
    assert b.dual <= a.primal * (1 + 1e-12) + 1e-300
    assert abs(a.primal - b.primal) <= (a.rel_gap + b.rel_gap) * max(a.primal, b.primal) * (1 + 1e-12) + 1e-300
    # (the vectors themselves are not pinned by the certificate: see the next test)


def test_permuting_a_generic_matrix_permutes_the_vector():
    # generic H: the optimum is unique and well conditioned, so near-optimal vectors agree
    H = wishart(30, seed=5)
    perm = np.random.default_rng(1).permutation(30)
    a = optimal_diagonal(H, solver="fast", tol=1e-10)
    b = optimal_diagonal(H[np.ix_(perm, perm)], solver="fast", tol=1e-10)
    np.testing.assert_allclose(b.L, a.L[perm], rtol=1e-5)


@given(psd_matrices(), st.integers(-20, 20))
def test_scaling_H_by_a_power_of_two_scales_L_exactly(H, k):
    c = 2.0 ** k
    # exact only when no entry of c H leaves the normal range (subnormals lose bits)
    nz = np.abs(H[H != 0])
    assume(nz.size == 0 or (c * nz.min() >= np.finfo(float).tiny and np.isfinite(c * nz.max())))
    a = optimal_diagonal(H, solver="fast")
    tiny = np.finfo(float).tiny
    Lnz = a.L[a.L != 0]  # L too: a coordinate of L far below H's entries may be subnormal
    assume(Lnz.size == 0 or (Lnz.min() >= tiny and c * Lnz.min() >= tiny))
    b = optimal_diagonal(c * H, solver="fast")
    np.testing.assert_array_equal(b.L, c * a.L)  # the solver works on H / 2^m: same bits


@given(psd_matrices(), st.floats(0.01, 100))
def test_scaling_H_scales_L(H, c):
    a = optimal_diagonal(H, solver="fast")
    b = optimal_diagonal(c * H, solver="fast")
    assert b.primal <= c * a.primal / (1 - b.rel_gap) * (1 + 1e-9) + 1e-300
    assert c * a.primal <= b.primal / (1 - a.rel_gap) * (1 + 1e-9) + 1e-300


@given(st.integers(1, 10), st.data())
def test_nonnegative_H_gives_the_row_sum_vector(d, data):
    A = data.draw(arrays(np.float64, (d, d + 1), elements=st.floats(0, 4, allow_subnormal=False)))
    H = A @ A.T
    H = 0.5 * (H + H.T)
    res = optimal_diagonal(H, solver="fast")
    r = comparators.rowsum(H)
    total = float(np.sum(r))
    # sum(r) is the optimum (Y = 1 1^T is dual feasible with value sum(H)) ...
    assert res.dual <= total * (1 + 1e-12) + 1e-300
    assert res.primal <= total / (1 - res.rel_gap) * (1 + 1e-12) + 1e-300
    assert res.primal >= total * (1 - 1e-12)
    # ... and r is the unique optimal vector. Quantitatively: S = Diag(L) - H is PSD,
    # S 1 = L - r and 1^T S 1 = sum(L) - sum(r) =: e, so ||L - r||_2^2 <= ||S||_2 e.
    # (The certificate bounds the objective, not single coordinates: coordinates far
    # below rel_gap * sum(L) are free to be off by 100%; Hypothesis found such an H.)
    S = np.diag(res.L) - H
    e = max(res.primal - total, 0.0) + 1e-12 * total
    assert np.linalg.norm(res.L - r) <= np.sqrt(np.linalg.norm(S, 2) * e) * (1 + 1e-9) + 1e-300


@given(psd_matrices(), st.integers(0, 2**32 - 1))
def test_any_unit_column_factor_gives_a_lower_bound(H, seed):
    d = H.shape[0]
    V = np.random.default_rng(seed).standard_normal((3, d))
    low = dual_lower_bound(H, V)
    # <= the value of two feasible primal vectors
    assert low <= float(np.sum(comparators.rowsum(H))) * (1 + 1e-12) + 1e-300
    assert low <= d * float(np.linalg.eigvalsh(H)[-1]) + d * eig_error_bound(H) + 1e-300


@given(psd_matrices(), st.integers(0, 2**32 - 1))
def test_make_feasible_repairs_any_vector(H, seed):
    L = np.random.default_rng(seed).standard_normal(H.shape[0])
    L2, t, lam = make_feasible(H, L)
    assert t >= 0
    assert np.all(L2 - L >= t)
    assert_feasible(H, L2)


def wishart(d, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2 * d, d)) * np.exp(-2.5 * np.arange(1, d + 1) / d)
    return X.T @ X / (2 * d)


def test_uncertified_answer_is_not_called_optimal():
    H = wishart(120)
    res = optimal_diagonal(H, solver="fast", time_limit=1e-9)  # no iterations at all
    assert_feasible(H, res.L)
    assert res.rel_gap > 1e-7 and res.status == "feasible"


def test_low_starting_rank_escapes_saddles_to_the_optimum():
    H = wishart(40, seed=3)
    a = optimal_diagonal(H, solver="fast", rank=1)
    b = optimal_diagonal(H, solver="fast")
    assert a.status == "optimal" and a.info["k"] > 1
    assert abs(a.primal - b.primal) <= (a.rel_gap + b.rel_gap) * b.primal * (1 + 1e-9)


def test_same_seed_same_bits():
    H = wishart(50)
    a = optimal_diagonal(H, solver="fast", seed=7)
    b = optimal_diagonal(H, solver="fast", seed=7)
    np.testing.assert_array_equal(a.L, b.L)


@pytest.mark.parametrize("d", [5, 20, pytest.param(60, marks=pytest.mark.slow)])
@pytest.mark.parametrize("cvxpy_solver", ["CLARABEL"])
def test_fast_and_cvxpy_agree(d, cvxpy_solver):
    H = wishart(d, seed=d)
    a = optimal_diagonal(H, solver="fast")
    b = optimal_diagonal(H, solver="cvxpy", cvxpy_solver=cvxpy_solver)
    assert a.status == "optimal" and b.status == "optimal"
    assert abs(a.primal - b.primal) <= 1e-6 * b.primal
    assert_feasible(H, b.L)


@settings(max_examples=15)
@given(psd_matrices(max_d=12))
def test_fast_and_cvxpy_certificates_are_consistent_on_random_matrices(H):
    a = optimal_diagonal(H, solver="fast")
    b = optimal_diagonal(H, solver="cvxpy")
    assert_feasible(H, b.L)
    # weak duality across solvers: each dual bound is below the other's feasible value
    assert a.dual <= b.primal * (1 + 1e-12) + 1e-300
    assert b.dual <= a.primal * (1 + 1e-12) + 1e-300
    # both certified optimal, hence in agreement (issue 4: to 1e-6 relative for d <= 60)
    assert a.status == "optimal" and b.status == "optimal"
    assert abs(a.primal - b.primal) <= 1e-6 * max(a.primal, b.primal)


def test_cvxpy_scs_is_certified_too():
    H = wishart(8, seed=1)
    b = optimal_diagonal(H, solver="cvxpy", cvxpy_solver="SCS")
    assert_feasible(H, b.L)
    a = optimal_diagonal(H, solver="fast")
    # whatever SCS's accuracy, its certified interval [dual, primal] contains the optimum
    assert b.dual <= a.primal * (1 + 1e-12) and a.dual <= b.primal * (1 + 1e-12)


def test_auto_rule():
    assert optimal_diagonal(wishart(40), solver="auto").solver.startswith("cvxpy")
    assert optimal_diagonal(wishart(41), solver="auto").solver == "fast"


def test_zero_and_diagonal_matrices():
    z = optimal_diagonal(np.zeros((3, 3)), solver="fast")
    assert np.all(z.L >= 0) and z.primal <= 1e-300 and z.status == "optimal"
    D = np.diag([3.0, 1.0, 0.0, 2.0])
    r = optimal_diagonal(D, solver="fast")
    np.testing.assert_allclose(r.L, np.diag(D), atol=1e-12)


@pytest.mark.parametrize(
    "H, message",
    [
        (np.array([[1.0, 2.0], [0.0, 1.0]]), "not symmetric"),
        (np.array([[1.0, np.nan], [np.nan, 1.0]]), "non-finite"),
        (np.array([[1.0, 2.0], [2.0, 1.0]]), "not positive semidefinite"),
        (np.array([[-1.0]]), "not positive semidefinite"),
        (np.ones((2, 3)), "square"),
        ("abc", "numeric"),
    ],
)
def test_bad_matrices_are_one_line_input_errors(H, message):
    with pytest.raises(InputError, match=message) as err:
        check_psd_matrix(H)
    assert "\n" not in str(err.value)


def test_bad_solver_names():
    with pytest.raises(InputError, match="allowed: auto, cvxpy, fast"):
        optimal_diagonal(np.eye(2), solver="fastest")
    with pytest.raises(InputError, match="CLARABEL, SCS"):
        optimal_diagonal(np.eye(2), solver="cvxpy", cvxpy_solver="MOSEK")


@given(psd_matrices(), st.floats(-1, 1))
def test_certified_shift_makes_the_matrix_psd_whatever_the_estimate(H, guess):
    # the Cholesky certificate does not trust the eigenvalue estimate it is given
    d = H.shape[0]
    S = np.diag(np.diag(H)) - H  # indefinite in general (zero diagonal, minus off-diagonal)
    scale = max(float(np.max(np.abs(S))), 1e-300)
    t = certified_shift(S, guess * scale)
    assert t >= 0
    assert min_eig_lapack(S + t * np.eye(d)) >= -eig_error_bound(S + t * np.eye(d))


def test_arpack_estimates_above_the_dense_limit(monkeypatch):
    import boundcheck.constants.diagonal as D

    H = wishart(120, seed=2)
    dense = optimal_diagonal(H, solver="fast")
    monkeypatch.setattr(D, "EIGH_MAX_D", 50)
    sparse = optimal_diagonal(H, solver="fast")
    assert_feasible(H, sparse.L)
    assert sparse.status == "optimal"
    assert abs(sparse.primal - dense.primal) <= (sparse.rel_gap + dense.rel_gap) * dense.primal * (1 + 1e-9)


# --------------------------------------------------------------------------------------
# issue 17: eigenvalue methods, block-tied problem, memory refusal, progress
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["eigh", "shift-invert", "lobpcg"])
def test_each_eigenvalue_method_gives_the_certified_optimum(method):
    H = wishart(150, seed=4)
    ref = optimal_diagonal(H, solver="fast", eig_method="eigh")
    res = optimal_diagonal(H, solver="fast", eig_method=method)
    assert {e["method"] for e in res.info["eig"]} == {method}
    assert_feasible(H, res.L)
    assert res.status == "optimal" and ref.status == "optimal"
    # weak duality across the two runs, and agreement within the certified gaps
    assert res.dual <= ref.primal * (1 + 1e-12) and ref.dual <= res.primal * (1 + 1e-12)
    assert abs(res.primal - ref.primal) <= (res.rel_gap + ref.rel_gap) * ref.primal * (1 + 1e-9)


def _near_critical_S(d=200, seed=6):
    """S = Diag(mu) - H at the fast solver's answer: the clustered spectrum the methods face."""
    H = wishart(d, seed=seed)
    res = optimal_diagonal(H, solver="fast")
    return H, res.L - res.shift


@pytest.mark.parametrize("method", ["shift-invert", "lobpcg"])
def test_iterative_methods_match_lapack_on_the_clustered_spectrum(method):
    from boundcheck.constants import eigen

    H, mu = _near_critical_S()
    S = np.diag(mu) - H
    spectrum = np.linalg.eigvalsh(S)
    if method == "shift-invert":
        w, U, info = eigen.shift_invert_lowest(H, mu, 3, np.empty_like(H))
        assert info["factorizations"] >= 1
    else:
        w, U, info = eigen.lobpcg_lowest(H, mu, 3)
    res = np.asarray(info["residuals"])
    rounding = 1e-12 * np.linalg.norm(S, 2)
    np.testing.assert_allclose(np.linalg.norm(U, axis=0), 1.0, rtol=1e-8)
    # each Ritz pair: an eigenvalue lies within its residual (Weyl / Kato), and its residual
    # is what the method reports
    for i in range(3):
        assert np.min(np.abs(spectrum - w[i])) <= res[i] + rounding
        assert np.linalg.norm(S @ U[:, i] - w[i] * U[:, i]) <= res[i] * (1 + 1e-6) + rounding
    # the smallest Ritz value is a Rayleigh quotient: never below lambda_min
    assert w[0] >= spectrum[0] - rounding
    if method == "shift-invert":  # converged: the three smallest eigenvalues themselves
        np.testing.assert_allclose(w, spectrum[:3], atol=1e-9 * np.linalg.norm(S, 2))


def test_shift_invert_recovers_from_failed_factorizations():
    from boundcheck.constants import eigen

    H = wishart(120, seed=8)
    mu = np.diag(H) * 1.0  # far from feasible: lambda_min(Diag(mu) - H) << 0
    w, U, info = eigen.shift_invert_lowest(H, mu, 2, np.empty_like(H), sigma0=1e-12)
    assert info["factorizations"] > 1  # the ladder sigma -> 16 sigma was climbed
    exact = np.linalg.eigvalsh(np.diag(mu) - H)[0]
    assert abs(w[0] - exact) <= info["residuals"][0] + 1e-8 * abs(exact)


def test_lowest_eigs_above_the_dense_limit_uses_no_arpack(monkeypatch):
    import boundcheck.constants.diagonal as D

    H, mu = _near_critical_S(d=120, seed=2)
    S = np.diag(mu) - H
    monkeypatch.setattr(D, "EIGH_MAX_D", 50)
    w, U = D.lowest_eigs(S, 2)
    assert abs(w[0] - np.linalg.eigvalsh(S)[0]) <= 1e-8 * np.linalg.norm(S, 2)


@st.composite
def partitions(draw, d):
    m = draw(st.integers(1, d))
    labels = draw(arrays(np.int64, (d,), elements=st.integers(0, m - 1)))
    return labels


@settings(max_examples=15, deadline=None)
@given(psd_matrices(max_d=9), st.data())
def test_block_tied_fast_and_cvxpy_agree_on_random_partitions(H, data):
    d = H.shape[0]
    labels = data.draw(partitions(d))
    a = optimal_diagonal(H, solver="fast", blocks=labels)
    b = optimal_diagonal(H, solver="cvxpy", blocks=labels)
    for r in (a, b):
        assert_feasible(H, r.L)
        for lab in np.unique(labels):  # constant on every block, bit for bit
            assert np.unique(r.L[labels == lab]).size == 1
    assert a.dual <= b.primal * (1 + 1e-12) + 1e-300
    assert b.dual <= a.primal * (1 + 1e-12) + 1e-300
    assert a.status == "optimal" and b.status == "optimal"
    assert abs(a.primal - b.primal) <= 1e-6 * max(a.primal, b.primal) + 1e-300


def test_block_tied_limits_singletons_one_block_and_monotonicity():
    H = wishart(60, seed=9)
    d = H.shape[0]
    free = optimal_diagonal(H, solver="fast", tol=1e-9)
    single = optimal_diagonal(H, solver="fast", blocks=np.arange(d), tol=1e-9)
    assert abs(single.primal - free.primal) <= (single.rel_gap + free.rel_gap) * free.primal * (1 + 1e-9)
    one = optimal_diagonal(H, solver="fast", blocks=np.zeros(d, dtype=int), tol=1e-9)
    lam_max = float(np.linalg.eigvalsh(H)[-1])
    assert abs(one.primal - d * lam_max) <= one.rel_gap * one.primal + 1e-9 * d * lam_max
    # coarser partitions constrain more: the optima are ordered (within the certified gaps)
    four = optimal_diagonal(H, solver="fast", blocks=[list(range(i, d, 4)) for i in range(4)], tol=1e-9)
    assert free.dual <= four.primal * (1 + 1e-12)
    assert four.dual <= one.primal * (1 + 1e-12)
    assert four.primal >= free.dual and four.primal <= one.primal / (1 - one.rel_gap) * (1 + 1e-12)


@pytest.mark.parametrize(
    "blocks, message",
    [
        ([[0, 1], [1, 2]], "more than one block"),
        ([[0, 1]], "in no block"),
        ([[0, 1, 2], []], "empty"),
        ([[0, 5], [1, 2]], "outside"),
        (np.array([0, 1]), "all d=3"),
    ],
)
def test_bad_partitions_are_one_line_input_errors(blocks, message):
    with pytest.raises(InputError, match=message) as err:
        optimal_diagonal(np.eye(3), solver="fast", blocks=blocks)
    assert "\n" not in str(err.value)


def test_memory_refusal_is_one_line_before_allocating(monkeypatch):
    from boundcheck.constants import memory

    monkeypatch.setattr(memory, "available_bytes", lambda: 10_000_000)  # 10 MB
    big = np.lib.stride_tricks.as_strided(np.zeros(1), shape=(3000, 3000), strides=(0, 0))
    with pytest.raises(InputError, match=r"d=3000 needs about .* GB .* available") as err:
        optimal_diagonal(big, solver="fast")  # a zero-stride view: refused before any copy
    assert "\n" not in str(err.value)


def test_progress_goes_to_stderr_only_when_asked(capsys):
    H = wishart(60, seed=1)
    optimal_diagonal(H, solver="fast", progress=False)
    assert capsys.readouterr().err == ""
    optimal_diagonal(H, solver="fast")  # default: only on a terminal (pytest captures)
    assert capsys.readouterr().err == ""
    optimal_diagonal(H, solver="fast", progress=True)
    err = capsys.readouterr().err
    assert "optimal diagonal (d=60)" in err and "certified gap" in err and "elapsed" in err


def test_progress_eta_is_printed_from_the_fraction():
    import io

    from boundcheck.constants.progress import Progress

    buf = io.StringIO()
    p = Progress("job", enabled=True, stream=buf, min_interval=0.0)
    p.update("half", fraction=0.5, force=True)
    p.update("no fraction", force=True)
    lines = buf.getvalue().splitlines()
    assert "ETA ~" in lines[0] and "ETA" not in lines[1]


def test_auto_switches_to_eigh_when_shift_invert_measured_slower(monkeypatch):
    import boundcheck.constants.diagonal as D
    from boundcheck.constants import eigen

    H = wishart(120, seed=2)
    monkeypatch.setattr(D, "EIGH_MAX_D", 50)  # shift-invert first ...
    monkeypatch.setattr(eigen, "eigh_cost_ratio", lambda: 0.0)  # ... then eigh "predicted" free
    res = optimal_diagonal(H, solver="fast", tol=1e-12)  # several rounds
    methods = [e["method"] for e in res.info["eig"]]
    assert methods[0] == "shift-invert" and len(methods) >= 2
    assert set(methods[1:]) == {"eigh"}  # switched after the first measured call
    assert_feasible(H, res.L)
    monkeypatch.setattr(eigen, "eigh_cost_ratio", lambda: 1e9)  # eigh predicted hopeless
    kept = optimal_diagonal(H, solver="fast", tol=1e-12)
    assert {e["method"] for e in kept.info["eig"]} == {"shift-invert"}


def test_rotated_quadratic_has_no_structure_and_uses_the_dense_matrix():
    from boundcheck.constants.assemble import problem_constants
    from boundcheck.problems.quadratic import QuadraticOracle

    pc = problem_constants(QuadraticOracle(d=80, rank=2, rotate=3))
    assert pc.diagonal is not None and pc.diagonal.info["structure"] == "dense"
    assert pc.diagonal.status == "optimal"
