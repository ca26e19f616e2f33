"""Per-coordinate (L0, L1) estimates for Assumption 5.1 (Liu et al. 2025, Sec. 5, Fig. 1).

Assumption 5.1 (anisotropic (L0, L1)-smoothness) holds in particular when, for every
coordinate j and nearby ``w, w'``,

.. math::

    |\\partial_j f(w) - \\partial_j f(w')| \\le (L_{0,j} + L_{1,j} |\\partial_j f(w)|)\\, |w - w'|_j

(squaring and summing over j with weights ``1 / L_j(w)`` gives the assumption's norm
inequality; this is the per-coordinate form the paper's Figure 1 plots: x-axis
``a = |d_j f(w)|``, y-axis the local smoothness ``b = |d_j f(w) - d_j f(w')| / |w - w'|_j``).

Given sample pairs, the *smallest values consistent with the samples* solve, per j, the
two-variable linear program

.. math::

    \\min_{L_0, L_1 \\ge 0} L_0 + c_j L_1 \\quad\\text{s.t.}\\quad b_p \\le L_0 + L_1 a_p
    \\;\\; \\forall p,

with ``c_j`` = the mean of the ``a_p`` (so the objective is the average predicted local
smoothness over the samples). These are **estimates** (lower bounds on any valid pair
with this trade-off), not certified constants: a new pair can violate them.

Pairs come from a plain gradient-descent trajectory ``w_{t+1} = w_t - h grad f(w_t)``:
``(w_t, w_s)`` with ``0 < s - t <= window`` and ``||w_t - w_s||_inf <= max_dist`` (the
assumption is local; THEORY.md's reading of the closeness condition is
``||w - w'||_inf <= 1 / ||L1||_inf``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.optimize

from boundcheck.validation import integer, positive


@dataclass(frozen=True)
class GeneralizedSmoothness:
    """Estimated ``L0``, ``L1`` (vectors) and the Figure-1 scatter data.

    ``scatter`` has equal-length arrays ``coord`` (j), ``grad_abs`` (``|d_j f(w)|``),
    ``local_smoothness`` and ``t`` (iteration index of ``w``)."""

    L0: np.ndarray
    L1: np.ndarray
    scatter: dict[str, np.ndarray]

    @property
    def L0_norm1(self) -> float:
        return float(np.sum(self.L0))

    @property
    def L1_norminf(self) -> float:
        return float(np.max(self.L1)) if self.L1.size else 0.0


def fit_l0l1(a: np.ndarray, b: np.ndarray, c: float | None = None) -> tuple[float, float]:
    """Smallest ``(L0, L1) >= 0`` (in ``L0 + c L1``) with ``b <= L0 + L1 a`` on all samples."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    if a.size == 0:
        return 0.0, 0.0
    if c is None:
        c = float(np.mean(a)) if np.mean(a) > 0 else 1.0
    res = scipy.optimize.linprog(
        c=[1.0, c], A_ub=np.column_stack([-np.ones_like(a), -a]), b_ub=-b,
        bounds=[(0, None), (0, None)], method="highs",
    )
    if res.status != 0:  # cannot happen for finite data (L0 = max b is feasible)
        return float(np.max(b)), 0.0
    L0, L1 = (float(v) for v in res.x)
    # HiGHS works to a feasibility tolerance; make every sample hold exactly
    slack = float(np.max(b - (L0 + L1 * a)))
    return L0 + max(0.0, slack), L1


def scatter_from_pairs(grad_fn, W: np.ndarray, Wp: np.ndarray, t: np.ndarray | None = None,
                       min_step: float = 1e-12) -> dict[str, np.ndarray]:
    """Figure-1 points from pairs ``(W[p], Wp[p])`` (rows) for every coordinate with
    ``|w - w'|_j > min_step``."""
    G, Gp = grad_fn(W), grad_fn(Wp)
    dw = np.abs(W - Wp)
    ok = dw > min_step
    P, d = W.shape
    coord = np.broadcast_to(np.arange(d), (P, d))[ok]
    tt = np.broadcast_to((np.arange(P) if t is None else np.asarray(t))[:, None], (P, d))[ok]
    return {
        "coord": coord.astype(int),
        "grad_abs": np.abs(G)[ok],
        "local_smoothness": (np.abs(G - Gp)[ok] / dw[ok]),
        "t": tt.astype(int),
    }


def trajectory_pairs(grad_fn, w0: np.ndarray, steps: int, step_size: float, window: int = 2,
                     max_dist: float = np.inf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradient-descent iterates and the pairs ``(w_t, w_s)``, ``0 < s - t <= window``."""
    steps = integer("steps", steps, low=1)
    window = integer("window", window, low=1)
    step_size = positive("step_size", step_size)
    w = np.array(w0, dtype=float)
    traj = [w.copy()]
    for _ in range(steps):
        w = w - step_size * grad_fn(w[None, :])[0]
        if not np.all(np.isfinite(w)):
            break
        traj.append(w.copy())
    traj = np.array(traj)
    A, B, T = [], [], []
    for t in range(len(traj)):
        for s in range(t + 1, min(len(traj), t + window + 1)):
            if np.max(np.abs(traj[t] - traj[s])) <= max_dist:
                A.append(traj[t]); B.append(traj[s]); T.append(t)  # noqa: E702
    return np.array(A).reshape(-1, traj.shape[1]), np.array(B).reshape(-1, traj.shape[1]), np.array(T, int)


def estimate_l0l1(grad_fn, w0, steps: int = 100, step_size: float = 1e-2, window: int = 2,
                  max_dist: float = np.inf) -> GeneralizedSmoothness:
    """Estimate per-coordinate (L0, L1) from a gradient-descent trajectory.

    ``grad_fn`` maps a batch ``(R, d)`` of points to their gradients ``(R, d)``."""
    w0 = np.asarray(w0, float)
    A, B, T = trajectory_pairs(grad_fn, w0, steps, step_size, window, max_dist)
    d = w0.size
    if len(A) == 0:
        return GeneralizedSmoothness(np.zeros(d), np.zeros(d),
                                     {k: np.zeros(0) for k in ("coord", "grad_abs", "local_smoothness", "t")})
    # use both orientations: the assumption is stated at w with |d_j f(w)|
    sc = scatter_from_pairs(grad_fn, np.vstack([A, B]), np.vstack([B, A]), np.concatenate([T, T]))
    L0 = np.zeros(d)
    L1 = np.zeros(d)
    for j in range(d):
        m = sc["coord"] == j
        L0[j], L1[j] = fit_l0l1(sc["grad_abs"][m], sc["local_smoothness"][m])
    return GeneralizedSmoothness(L0, L1, sc)


# ---------------------------------------------------------------------- providers
def _exact(a):
    from boundcheck.constants.provider import NotApplicable, constant

    if "L0" not in a.exact or "L1" not in a.exact:
        raise NotApplicable("the problem states no (L0, L1)")
    return {"L0": constant("L0", np.asarray(a.exact["L0"], float), "certified", "stated by the problem (with proof)"),
            "L1": constant("L1", np.asarray(a.exact["L1"], float), "certified", "stated by the problem (with proof)")}


def _estimated(a):
    from boundcheck.constants.provider import NotApplicable, constant

    if a.problem.convex:
        raise NotApplicable("estimated only for nonconvex problems (a convex problem uses (L, 0))")
    if not a.estimate_generalized:
        raise NotApplicable("estimation switched off")
    L = a.get("L")
    L_inf = float(np.max(L.value)) if L is not None else 0.0
    w0 = a.w0 if a.w0 is not None else getattr(a.problem, "w0", None)
    w0 = np.zeros(int(a.problem.d)) if w0 is None else np.asarray(w0, float)
    step = 1.0 / L_inf if L_inf else 1e-2
    est = estimate_l0l1(lambda W: np.asarray(a.problem.grad(W)), w0, steps=100, step_size=step)
    a.note("L0, L1 estimated from a gradient-descent trajectory (not certified)")
    how = "estimated from a gradient-descent trajectory (Figure 1 fit; not certified)"
    return {"L0": constant("L0", est.L0, "estimate", how), "L1": constant("L1", est.L1, "estimate", how),
            "generalized": constant("generalized", est, "estimate", how)}


#: The provenance text of (L0, L1) = (L, 0); verify rows repeat it as a note.
FROM_L = "(L0, L1) = (L, 0): Assumption 5.1 reduces to 3.3"


def _from_L(a):
    from boundcheck.constants.provider import constant

    L = np.asarray(a.require("L", "(L0, L1) = (L, 0)").value, float)
    return {"L0": constant("L0", L, "derived", FROM_L, note=FROM_L),
            "L1": constant("L1", np.zeros_like(L), "derived", FROM_L, note=FROM_L)}


def _scalar_eq8(a):
    from boundcheck.constants.provider import constant

    L = np.asarray(a.require("L", "eq. (8)'s scalar (L0, L1)").value, float)
    how = "eq. (8) holds with (L0, L1) = (||L||_inf, 0) on every problem satisfying Assumption 3.3"
    return {"L0_scalar": constant("L0_scalar", float(np.max(np.abs(L))) if L.size else 0.0, "derived", how),
            "L1_scalar": constant("L1_scalar", 0.0, "derived", how)}


def _providers():
    from boundcheck.constants.provider import Provider

    return (
        Provider("problem-L0-L1", ("L0", "L1"), _exact, "the (L0, L1) vectors the problem states"),
        Provider("estimated-L0-L1", ("L0", "L1", "generalized"), _estimated,
                 "per-coordinate (L0, L1) fitted on a gradient-descent trajectory (nonconvex problems)"),
        Provider("L0-L1-from-L", ("L0", "L1"), _from_L, "(L0, L1) = (L, 0): Assumption 5.1 from 3.3"),
        Provider("eq8-scalars", ("L0_scalar", "L1_scalar"), _scalar_eq8,
                 "scalar (L0, L1) of eq. (8) from Assumption 3.3: (||L||_inf, 0)"),
    )


PROVIDERS = _providers()

__all__ = ["GeneralizedSmoothness", "estimate_l0l1", "fit_l0l1", "scatter_from_pairs",
           "trajectory_pairs", "PROVIDERS", "FROM_L"]
