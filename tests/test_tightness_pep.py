"""PEPit cross-check of Theorems D.1 and D.3 at sigma = 0 (boundcheck.tightness.pep), and the
one-dimensional witnesses that attain the same worst cases (boundcheck.tightness.witness).

The PEPit tests are skipped when the optional extra is missing (pip install 'boundcheck[pep]').
Tolerances: ``pep.RTOL`` (1e-7 relative) is the accuracy the SCS settings reach; the solver
test against Drori and Teboulle's closed form checks that claim on a PEP with a known value.
Witness values are computed by running gradient descent in float64, so they are compared
with their closed forms at 1e-12 relative.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec

import numpy as np
import pytest

from boundcheck.theory import theorem as theorems
from boundcheck.tightness import witness as W
from boundcheck.validation import InputError

needs_pepit = pytest.mark.skipif(find_spec("PEPit") is None,
                                 reason="PEPit not installed (optional extra: pip install 'boundcheck[pep]')")

TS = (1, 2, 3, 5, 8)


def _bound(tid, T, **c):
    return theorems.get(tid).evaluate({**c, "sigma_norm2": 0.0, "M": 1, "T": T})["explicit"]


# ---------------------------------------------------------------------------- the optional dependency
def test_import_without_pepit_is_one_line_input_error():
    code = ("import sys; sys.modules['PEPit'] = None\n"
            "from boundcheck.validation import InputError\n"
            "try:\n    import boundcheck.tightness.pep\nexcept InputError as e:\n    print('INPUTERROR', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("INPUTERROR"), out.stdout
    assert "pip install 'boundcheck[pep]'" in lines[0]


def test_tightness_package_imports_without_pepit():
    code = "import sys; sys.modules['PEPit'] = None\nimport boundcheck.tightness, boundcheck.tightness.witness\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


# ---------------------------------------------------------------------------- witnesses (no PEPit)
@pytest.mark.parametrize("T", TS)
@pytest.mark.parametrize("L, D", [(1.0, 1.0), (3.0, 0.5)])
def test_huber_witness_reaches_half_of_d1_bound(T, L, D):
    w = W.huber_witness(T, L, D)
    assert w.value == pytest.approx(L * D**2 / (2 * T), rel=1e-12)
    assert w.value == pytest.approx(0.5 * _bound("thmD.1", T, L_norminf=L, D_2=D), rel=1e-12)
    # the run is an Option-I run: every iterate in W = [0, D_2], w* = 0 in W, the projection never acts
    assert np.all((w.iterates >= 0) & (w.iterates <= D))
    assert np.allclose(w.iterates, D * (T - np.arange(T)) / T, rtol=0, atol=1e-15 * D)


@pytest.mark.parametrize("T", (2, 5, 8))
def test_huber_threshold_maximises_the_average_iterate_gap(T):
    best = W.huber_witness(T).value
    for a in np.linspace(0.05, 3.0, 60) / T:
        assert W.huber_witness(T, a=a).value <= best * (1 + 1e-12)


def test_huber_is_convex_and_l_smooth():
    L, a = 2.0, 0.3
    w = np.linspace(-2, 2, 4001)
    g = W.huber_grad(w, a, L)
    assert np.all(np.diff(g) >= 0)  # convex
    assert np.max(np.abs(np.diff(g)) / np.diff(w)) <= L * (1 + 1e-9)  # L-Lipschitz gradient
    fd = np.gradient(W.huber_value(w, a, L), w)
    assert np.allclose(fd[1:-1], g[1:-1], atol=1e-3)


@pytest.mark.parametrize("T", TS)
def test_quadratic_witness_attains_d3_bound(T):
    w = W.quadratic_witness(T, L_norminf=2.0, Delta=0.7)
    assert w.value == pytest.approx(_bound("thmD.3", T, L_norminf=2.0, Delta=0.7), rel=1e-12)
    assert 0.5 * 2.0 * w.iterates[0] ** 2 == pytest.approx(0.7, rel=1e-12)  # f(w_0) - f* = Delta


def test_witness_refuses_other_theorems():
    with pytest.raises(InputError, match="thmD.1"):
        W.witness("thm4.1", 3)


# ---------------------------------------------------------------------------- PEPit
@needs_pepit
@pytest.mark.parametrize("T", (1, 2, 5, 10))
def test_solver_settings_reach_drori_teboulle_closed_form(T):
    """The SCS settings used by pep_check reach the tight last-iterate worst case
    f(x_T) - f* <= L R^2 / (4T + 2) of GD with step 1/L (Drori and Teboulle 2014, Thm 3.1)
    within pep.RTOL: the accuracy claim behind every other comparison here."""
    from PEPit import PEP
    from PEPit.functions import SmoothConvexFunction

    from boundcheck.tightness import pep

    L, R = 2.0, 1.5
    problem = PEP()
    f = problem.declare_function(SmoothConvexFunction, L=L)
    xs = f.stationary_point()
    x = x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= R**2)
    for _ in range(T):
        x = x - f.gradient(x) / L
    problem.set_performance_metric(f(x) - f(xs))
    value = problem.solve(wrapper="cvxpy", solver="SCS", verbose=0, **pep.SCS_OPTIONS)
    assert value == pytest.approx(L * R**2 / (4 * T + 2), rel=pep.RTOL)


@needs_pepit
@pytest.mark.parametrize("T", TS)
@pytest.mark.parametrize("model", ("projected", "unconstrained"))
def test_d1_pep_equals_huber_witness(T, model):
    from boundcheck.tightness import pep

    r = pep.pep_check("thmD.1", T, {"L_norminf": 3.0, "D_2": 0.5}, model=model)
    assert r.solver["status"] == "optimal"
    assert r.worst == pytest.approx(W.huber_witness(T, 3.0, 0.5).value, rel=pep.RTOL)
    assert r.primal <= r.worst * (1 + pep.RTOL)  # weak duality, up to the solver's accuracy
    assert r.ratio == pytest.approx(0.5, rel=pep.RTOL)


@needs_pepit
@pytest.mark.parametrize("T", (2, 5))
def test_d1_projected_class_contains_unconstrained_subclass(T):
    """Metamorphic: the exact class (projection) can only be worse than the sub-class where
    W is the hull of the trajectory; and both scale as L D_2^2 (homogeneity)."""
    from boundcheck.tightness import pep

    proj = pep.pep_check("thmD.1", T, model="projected").worst
    sub = pep.pep_check("thmD.1", T, model="unconstrained").worst
    assert sub <= proj * (1 + pep.RTOL)
    scaled = pep.pep_check("thmD.1", T, {"L_norminf": 4.0, "D_2": 3.0}).worst
    assert scaled == pytest.approx(4.0 * 9.0 * proj, rel=pep.RTOL)


@needs_pepit
@pytest.mark.parametrize("T", TS)
def test_d3_pep_upper_bound_meets_quadratic_witness(T):
    """PEPit's value is an upper bound on D.3's worst case, the quadratic a lower bound:
    they meet, so the worst case is known exactly (and equals the explicit bound)."""
    from boundcheck.tightness import pep

    r = pep.pep_check("thmD.3", T, {"L_norminf": 2.0, "Delta": 0.7})
    assert r.solver["status"] == "optimal"
    lower = W.quadratic_witness(T, 2.0, 0.7).value
    assert r.worst >= lower * (1 - pep.RTOL)
    assert r.worst == pytest.approx(lower, rel=pep.RTOL)
    assert r.relation.startswith("upper bound")


@needs_pepit
@pytest.mark.parametrize("tid", ("thmD.1", "thmD.3"))
def test_pep_worst_never_exceeds_bound(tid):
    """Issue 14: PEPit's worst case never exceeds the explicit bound (for D.1 'exact', so a
    violation would be a counterexample to the theorem). A failure here is a finding: keep it
    as an xfail with the T and the values, never widen RTOL."""
    from boundcheck.tightness import pep

    for T in range(1, 11):
        r = pep.pep_check(tid, T)
        assert not r.exceeds_bound, (T, r.worst, r.bound)


@needs_pepit
def test_result_fields_and_relation():
    from boundcheck.tightness import pep

    d = pep.pep_check("thmD.1", 3).to_dict()
    assert {"worst", "bound", "ratio", "solver", "relation"} <= set(d)
    assert d["ratio"] == pytest.approx(d["worst"] / d["bound"])
    assert d["bound"] == pytest.approx(_bound("thmD.1", 3, L_norminf=1.0, D_2=1.0))
    assert d["solver"]["name"] == "SCS" and d["solver"]["status"] == "optimal"
    assert d["relation"].startswith("exact")
    assert pep.pep_check("thmD.1", 3, model="unconstrained").relation.startswith("lower bound")


@needs_pepit
@pytest.mark.parametrize("args, kwargs, match", [
    (("thm4.1", 3), {}, "thmD.1"),
    (("thmD.1", 0), {}, "T=0"),
    (("thmD.1", 3, {"sigma_norm2": 0.5}), {}, "deterministic"),
    (("thmD.1", 3, {"Delta": 1.0}), {}, "Delta"),
    (("thmD.1", 3, {"D_2": -1.0}), {}, "D_2"),
    (("thmD.3", 3), {"model": "projected"}, "lower-bounded"),
    (("thmD.1", 3), {"solver": "ECOS"}, "SCS"),
])
def test_bad_input_is_one_line_input_error(args, kwargs, match):
    from boundcheck.tightness import pep

    with pytest.raises(InputError, match=match) as err:
        pep.pep_check(*args, **kwargs)
    assert "\n" not in str(err.value)


@needs_pepit
def test_sigma_zero_and_batch_size_are_accepted():
    from boundcheck.tightness import pep

    r = pep.pep_check("thmD.3", 2, {"sigma_norm2": 0, "M": 16, "L_norminf": 1.0, "Delta": 1.0})
    assert r.bound == pytest.approx(1.0)
