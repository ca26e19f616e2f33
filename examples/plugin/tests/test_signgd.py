"""The plugin's property tests: the steps of signgd-l1's derivation SymPy does not prove."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from boundcheck_example.logcosh import LogCosh

floats = st.floats(min_value=-5, max_value=5, allow_nan=False)


@given(st.lists(floats, min_size=4, max_size=4), st.lists(floats, min_size=4, max_size=4),
       st.integers(0, 3))
def test_descent_lemma(w, u, seed):
    """f(w + u) <= f(w) + <grad f(w), u> + (1/2) sum_j L_j u_j^2 with L = a (Assumption 3.3)."""
    p = LogCosh(d=4, tau=0.5, seed_problem=seed)
    w, u = np.array([w]), np.array([u])
    L = p.exact_constants()["L"]
    lhs = p.loss(w + u)[0]
    rhs = p.loss(w)[0] + float(p.grad(w)[0] @ u[0]) + 0.5 * float(np.sum(L * u[0] ** 2))
    assert lhs <= rhs + 1e-12 * (1 + abs(rhs))


@given(st.lists(floats, min_size=6, max_size=6), st.floats(min_value=1e-6, max_value=10))
def test_sign_square_and_step_bound(g, eta):
    """(1/2) sum_j L_j (eta sign g_j)^2 <= eta^2 ||L||_1 / 2 for any L > 0."""
    g = np.array(g)
    L = np.exp(-0.3 * np.arange(6))
    assert np.all(np.sign(g) ** 2 <= 1)
    assert 0.5 * np.sum(L * (eta * np.sign(g)) ** 2) <= eta**2 * np.sum(L) / 2 * (1 + 1e-15)
