r"""PEPit cross-check: the exact worst case of the deterministic SGD theorems, next to their bound.

PEPit (Goujaud, Moucer, Glineur, Hendrickx, Taylor, Dieuleveut, *PEPit: computer-assisted
worst-case analyses of first-order optimization methods in Python*, Math. Prog. Comp. 16,
2024) casts "the largest value of a performance measure over all functions of a class, in
any dimension" as a semidefinite program over the Gram matrix of the iterates and
gradients (performance estimation, Drori and Teboulle 2014; Taylor, Hendrickx, Glineur
2017). It cannot express AdaGrad or stochastic noise, but at sigma = 0 and full batch the
SGD theorems of Liu et al. 2025 are about gradient descent with step ``1/||L||_inf`` (both
step rules are ``min{1/||L||_inf, ...}`` with a second argument that is infinite at sigma =
0), which it can.

**The class.** Assumption 3.3 with a vector L gives ``||L||_inf``-smoothness; conversely
the isotropic vector ``L 1`` makes 3.3 exactly standard L-smoothness. So the functions
allowed at a given ``||L||_inf = L`` are exactly the L-smooth ones (convex for D.1), and
PEPit's ``SmoothConvexFunction`` / ``SmoothFunction`` (interpolation conditions that are
necessary and sufficient) describe the theorem's class, in every dimension.

**Theorem D.1** (Option I). PEP (model ``projected``, exact): f L-smooth convex; W a
closed convex set of l2 diameter at most ``D_2`` (``ConvexIndicatorFunction(D=D_2)``,
whose interpolation conditions are exact: Taylor, Hendrickx, Glineur 2017, Thm 3.6);
``w*`` a stationary point of f (``grad f(w*) = 0``, the proof condition) lying in W; ``w_0``
in W; ``w_{t+1} = Proj_W(w_t - grad f(w_t)/L)`` (PEPit's ``proximal_step`` on the
indicator); measure ``f(w_bar_T) - f(w*)`` with ``w_bar_T = (1/T) sum_{t<T} w_t``. Every
condition is the theorem's, so PEPit's value *is* the theorem's worst case at sigma = 0 (up
to the solver's accuracy). Model ``unconstrained`` (a sub-class, so a *lower* bound):
plain GD with ``||w_i - w_j||_2 <= D_2`` for all ``i, j`` in ``{*, 0, .., T-1}``; then
``W = conv{w*, w_0, .., w_{T-1}}`` is closed, convex, of diameter at most ``D_2`` (the
diameter of a polytope is attained at two vertices), contains ``w*`` and every iterate the
quantity uses, so each projection ``Proj_W(w_t - grad f(w_t)/L) = w_{t+1}`` is the
identity and the run is an Option-I run of the theorem. Measured: both models give
``L D_2^2 / (2T)`` (the Huber witness of :mod:`boundcheck.tightness.witness` attains it), half
the explicit bound ``L D_2^2 / T``.

**Theorem D.3** (Option II). The theorem asks ``f >= f*`` (Assumption 3.2) with
``f(w_0) - f* <= Delta``; the infimum need not be attained, so it is not a PEP point. PEP
(model ``lower-bounded``): f L-smooth, ``f*`` a free scalar with ``f(w_0) - f* <= Delta``
and ``f(w_t) - f* >= ||grad f(w_t)||^2 / (2L)`` for ``t = 0..T`` (necessary for every
L-smooth f with infimum ``f*``: the descent lemma at ``w - grad f(w)/L``); measure
``(1/T) sum_{t<T} ||grad f(w_t)||^2``. Every instance of the theorem is feasible, so
PEPit's value is an *upper* bound on the theorem's worst case. (PEPit's own example uses
``f(w_0) - f(w_T) <= Delta``, a weaker relaxation.) Measured: ``2 L Delta / T``, which the
quadratic witness attains, so here the upper bound equals the worst case and the bound is
exact.

**Solver.** SCS (first-order, in boundcheck's core dependencies) at ``eps_abs = eps_rel =
1e-9``: on these PEPs it reaches the closed forms to about 1e-9 relative and is several
times faster than Clarabel, which stops at ``optimal_inaccurate`` from T = 10 on (D.1,
projected). Clarabel and MOSEK (if licensed) can be chosen. PEPit's default with the cvxpy
wrapper is MOSEK when licensed, otherwise SCS at cvxpy's default accuracy (about 1e-5
relative here), too coarse for a tightness check.

``worst`` is PEPit's dual value (the worst-case certificate it reconstructs), ``primal``
the value of the worst-case Gram matrix the solver returned; ``worst - primal`` is the
solver's duality gap.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping

from boundcheck.validation import InputError, choice, integer, positive

try:
    from PEPit import PEP, Expression
    from PEPit.functions import ConvexIndicatorFunction, SmoothConvexFunction, SmoothFunction
    from PEPit.primitive_steps import proximal_step
except ImportError as _err:  # the optional extra is missing (or broken)
    _what = "is not installed" if getattr(_err, "name", None) == "PEPit" else f"failed to import ({_err})"
    raise InputError(f"the PEPit cross-check needs the optional dependency PEPit, which {_what}; "
                     "install it with: pip install 'boundcheck[pep]'") from None

#: Theorems with a PEPit encoding, and the models each allows (the first is the default).
MODELS = {"thmD.1": ("projected", "unconstrained"), "thmD.3": ("lower-bounded",)}
PEP_THEOREMS = tuple(MODELS)
#: SDP solvers (through cvxpy) that PEPit's problems can use.
SOLVERS = ("SCS", "CLARABEL", "MOSEK")
#: SCS settings: tolerances tight enough for 1e-9-relative agreement with the closed forms.
SCS_OPTIONS = {"eps_abs": 1e-9, "eps_rel": 1e-9, "max_iters": 200_000}
#: Largest T accepted: the projected D.1 PEP has O(T^2) constraints (T = 30: ~15 s with SCS).
T_MAX = 60
#: ``worst`` may exceed ``bound`` by this relative amount before it counts as a violation:
#: the solver's accuracy (SCS at 1e-9 reaches the closed forms to ~1e-9 relative on T <= 30;
#: two decades of margin for other constants and machines).
RTOL = 1e-7

RELATIONS = {
    ("thmD.1", "projected"): (
        "exact: PEPit's value is the worst case of f(w_bar_T) - f* over Theorem D.1's class at sigma = 0 "
        "(f L-smooth convex with L = ||L||_inf, W closed convex with l2 diameter <= D_2, w* in W with "
        "grad f(w*) = 0, w_0 in W, w_{t+1} = Proj_W(w_t - grad f(w_t)/L), w_bar_T = (1/T) sum_{t<T} w_t), "
        "by exact interpolation of L-smooth convex functions and of indicators of sets of diameter <= D_2"),
    ("thmD.1", "unconstrained"): (
        "lower bound: PEPit's value is the worst case over the sub-class where the projection never acts "
        "(plain GD with step 1/L, f L-smooth convex, grad f(w*) = 0, ||w_i - w_j||_2 <= D_2 for i, j in "
        "{*, 0..T-1}; W = conv{w*, w_0..w_{T-1}} has diameter <= D_2 and contains every iterate used), "
        "so it is <= the worst case over Theorem D.1's class"),
    ("thmD.3", "lower-bounded"): (
        "upper bound: PEPit's value is the worst case of (1/T) sum_{t<T} ||grad f(w_t)||_2^2 over f "
        "L-smooth (L = ||L||_inf), GD with step 1/L, a scalar f* with f(w_0) - f* <= Delta and "
        "f(w_t) - f* >= ||grad f(w_t)||^2/(2L) for t = 0..T (necessary for inf f = f*), "
        "so it is >= the worst case over Theorem D.3's class at sigma = 0"),
}


@dataclass(frozen=True)
class PepCheck:
    """PEPit's worst case next to the theorem's explicit bound (same quantity, class, step, T)."""

    theorem: str
    T: int
    model: str
    constants: Mapping[str, float]  # what the bound was evaluated at (sigma_norm2 = 0, M = 1)
    worst: float  # PEPit's value (dual: the reconstructed worst-case certificate)
    primal: float  # value of the worst-case Gram matrix returned by the solver
    bound: float  # Theorem.evaluate(...)["explicit"]
    solver: Mapping[str, str]  # wrapper, name, status, pepit version
    relation: str  # "exact: ..." | "lower bound: ..." | "upper bound: ..."
    seconds: float = field(default=math.nan, compare=False)

    @property
    def ratio(self) -> float:
        """``worst / bound``."""
        return self.worst / self.bound

    @property
    def exceeds_bound(self) -> bool:
        """True when PEPit's worst case is above the bound beyond the solver's accuracy
        (:data:`RTOL`): for an ``exact`` or ``lower bound`` relation, a violated theorem."""
        return self.worst > self.bound * (1.0 + RTOL)

    def to_dict(self) -> dict[str, Any]:
        return {"theorem": self.theorem, "T": self.T, "model": self.model, "constants": dict(self.constants),
                "worst": self.worst, "primal": self.primal, "bound": self.bound, "ratio": self.ratio,
                "solver": dict(self.solver), "relation": self.relation, "seconds": self.seconds}


def _d1_projected(problem, L: float, D: float, T: int):
    f = problem.declare_function(SmoothConvexFunction, L=L)
    W = problem.declare_function(ConvexIndicatorFunction, D=D)
    w_star = f.stationary_point()
    f_star = f(w_star)
    W.subgradient(w_star)  # a point of W's interpolation set: w* in W
    w = problem.set_initial_point()
    W.subgradient(w)  # w_0 in W
    iterates = [w]
    for _ in range(T - 1):
        w, _, _ = proximal_step(w - f.gradient(w) / L, W, 1 / L)  # Proj_W(w_t - grad f(w_t)/L)
        iterates.append(w)
    w_bar = _mean(iterates)
    problem.set_performance_metric(f(w_bar) - f_star)


def _d1_unconstrained(problem, L: float, D: float, T: int):
    f = problem.declare_function(SmoothConvexFunction, L=L)
    w_star = f.stationary_point()
    f_star = f(w_star)
    w = problem.set_initial_point()
    iterates = [w]
    for _ in range(T - 1):
        w = w - f.gradient(w) / L
        iterates.append(w)
    points = [w_star] + iterates
    for i in range(len(points)):
        for j in range(i):
            problem.set_initial_condition((points[i] - points[j]) ** 2 <= D**2)
    problem.set_performance_metric(f(_mean(iterates)) - f_star)


def _d3_lower_bounded(problem, L: float, Delta: float, T: int):
    f = problem.declare_function(SmoothFunction, L=L)
    f_star = Expression()  # inf f: a free scalar, tied to the oracle values below
    w = problem.set_initial_point()
    squares = []
    for t in range(T + 1):
        g, fw = f.oracle(w)
        problem.add_constraint(fw - f_star >= g**2 / (2 * L))
        if t == 0:
            problem.set_initial_condition(fw - f_star <= Delta)
        if t < T:
            squares.append(g**2)
            w = w - g / L
    problem.set_performance_metric(_mean(squares))


def _pepit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pepit")
    except PackageNotFoundError:
        return "unknown"


def _mean(items):
    total = items[0]
    for x in items[1:]:
        total = total + x
    return total / len(items)


_BUILDERS = {("thmD.1", "projected"): _d1_projected, ("thmD.1", "unconstrained"): _d1_unconstrained,
             ("thmD.3", "lower-bounded"): _d3_lower_bounded}
_SCALE = {"thmD.1": "D_2", "thmD.3": "Delta"}


def _constants(theorem_id: str, constants: Mapping[str, Any] | None) -> dict[str, float]:
    scale = _SCALE[theorem_id]
    c = {"L_norminf": 1.0, scale: 1.0}
    allowed = ("L_norminf", scale, "sigma_norm2", "M")
    for name, value in (constants or {}).items():
        if name not in allowed:
            raise InputError(f"{theorem_id} --pep takes no constant {name!r}; allowed: {', '.join(allowed)}")
        if name == "sigma_norm2":
            if float(value) != 0.0:
                raise InputError(f"sigma_norm2={value!r}: the PEPit cross-check is deterministic; allowed: 0")
        elif name == "M":
            integer("M", value, low=1)  # irrelevant at sigma = 0 (full batch), but must be valid
        else:
            c[name] = positive(name, value)
    return c


def pep_check(theorem_id: str, T: int, constants: Mapping[str, Any] | None = None, *,
              model: str | None = None, solver: str = "SCS") -> PepCheck:
    """PEPit's worst case for ``theorem_id`` (``thmD.1`` or ``thmD.3``) at sigma = 0.

    ``constants``: ``L_norminf`` and ``D_2`` (D.1) or ``Delta`` (D.3), default 1 each;
    ``sigma_norm2`` may be given only as 0 and ``M`` is ignored (full batch). ``model``: see
    :data:`MODELS` and the module docstring (default: the first). Raises InputError for bad
    input and RuntimeError when the solver finds no finite worst case.
    """
    import time

    from boundcheck.theory import theorem as theorem_registry

    theorem_id = choice("theorem for --pep", theorem_id, PEP_THEOREMS)
    T = integer("T", T, low=1, high=T_MAX)
    model = MODELS[theorem_id][0] if model is None else choice("PEP model", model, MODELS[theorem_id])
    import cvxpy

    solver = choice("SDP solver", str(solver).upper(), [s for s in SOLVERS if s in cvxpy.installed_solvers()])
    c = _constants(theorem_id, constants)
    bound = theorem_registry.get(theorem_id).evaluate({**c, "sigma_norm2": 0.0, "M": 1, "T": T})["explicit"]

    problem = PEP()
    _BUILDERS[(theorem_id, model)](problem, c["L_norminf"], c[_SCALE[theorem_id]], T)
    options = dict(SCS_OPTIONS) if solver == "SCS" else {}
    start = time.perf_counter()
    with warnings.catch_warnings():
        # cvxpy's "Solution may be inaccurate" warning: the status below carries it
        warnings.simplefilter("ignore", UserWarning)
        worst = problem.solve(wrapper="cvxpy", solver=solver, verbose=0, **options)
    seconds = time.perf_counter() - start
    status = str(getattr(getattr(problem.wrapper, "prob", None), "status", "unknown"))
    if worst is None or not math.isfinite(worst):
        raise RuntimeError(f"{theorem_id} T={T}: the SDP solver {solver} found no finite worst case (status {status})")
    return PepCheck(
        theorem=theorem_id, T=T, model=model, constants=c, worst=float(worst),
        primal=float(problem.objective.eval()), bound=float(bound),
        solver={"wrapper": problem.wrapper_name, "name": str(getattr(problem.wrapper, "solver_name", solver)),
                "status": status, "pepit": _pepit_version()},
        relation=RELATIONS[(theorem_id, model)], seconds=seconds)


__all__ = ["MODELS", "PEP_THEOREMS", "PepCheck", "RELATIONS", "RTOL", "SOLVERS", "pep_check"]
