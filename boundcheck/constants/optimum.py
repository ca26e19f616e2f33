"""``f*`` of the finite sums of Example B.1 to high accuracy, and ``Delta = f(w_0) - f*``.

``f* = min_{w in W} f(w)`` (Assumption 3.1 asks W to contain a minimizer; when the
unconstrained minimizer lies outside a box W we report the constrained minimum, which
is what Option I converges to, and say so in ``info["constrained"]``).

- squared loss: ``f(w) = ||A w - b||^2 / 2`` with ``A = [X / sqrt(n); sqrt(l2) I]``,
  ``b = [y / sqrt(n); 0]``: a (bounded) linear least-squares problem, solved directly
  (LAPACK ``gelsd`` / ``scipy.optimize.lsq_linear`` with BVLS on a box).
- logistic loss: damped Newton's method with backtracking (convex, ``Hess f =
  X^T diag(s (1 - s)) X / n + l2 I``), stopped when the Newton decrement
  ``lambda^2 / 2 <= 1e-20 max(1, f)``; for ``l2 > 0``, ``f`` is ``l2``-strongly convex and
  ``f(w) - f* <= ||grad f(w)||^2 / (2 l2)`` is reported as a certified accuracy
  (``info["certified_accuracy"]``). On a box that excludes the unconstrained minimizer:
  L-BFGS-B with tight tolerances (accuracy then not certified).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.optimize
import scipy.sparse
from scipy.special import expit

from boundcheck.constants import glm
from boundcheck.problems.base import Ball, Box


def _dense(X):
    return X.toarray() if scipy.sparse.issparse(X) else np.asarray(X)


def _inside(domain, w, tol=1e-12) -> bool:
    return domain is None or domain.contains(w, tol=tol)


def _squared(X, y, l2, domain):
    n, d = X.shape
    Xd = _dense(X)
    A = Xd / np.sqrt(n)
    b = y / np.sqrt(n)
    if l2 > 0:
        A = np.vstack([A, np.sqrt(l2) * np.eye(d)])
        b = np.concatenate([b, np.zeros(d)])
    w = scipy.linalg.lstsq(A, b, lapack_driver="gelsd")[0]
    info = {"method": "lstsq", "constrained": False}
    if not _inside(domain, w):
        if isinstance(domain, Box):
            res = scipy.optimize.lsq_linear(A, b, bounds=(domain.lower, domain.upper),
                                            method="bvls", tol=1e-14, max_iter=100 * d)
            w = res.x
            info = {"method": "lsq_linear-bvls", "constrained": True, "status": int(res.status)}
        else:
            w, info = _constrained_generic(X, y, "squared", l2, domain, w)
    return w, info


def _newton_logistic(X, y, l2, w0, max_iter=200):
    n, d = X.shape
    w = np.array(w0, dtype=float)
    f = glm.value(w, X, y, "logistic", l2)
    converged = False
    for it in range(max_iter):
        t = np.asarray(X @ w).ravel()
        g = glm.grad(w, X, y, "logistic", l2)
        s = expit(t) * expit(-t)
        Xs = X.multiply(s[:, None]) if scipy.sparse.issparse(X) else X * s[:, None]
        Hm = np.asarray((X.T @ Xs).toarray() if scipy.sparse.issparse(Xs) else X.T @ Xs) / n
        Hm[np.diag_indices(d)] += l2
        try:
            step = scipy.linalg.solve(Hm, -g, assume_a="pos")
        except (np.linalg.LinAlgError, scipy.linalg.LinAlgError):
            step = -scipy.linalg.lstsq(Hm, g)[0]
        dec2 = float(-g @ step)
        if dec2 / 2 <= 1e-20 * max(1.0, abs(f)):
            converged = True
            break
        a = 1.0
        while True:
            wn = w + a * step
            fn = glm.value(wn, X, y, "logistic", l2)
            if fn <= f - 0.25 * a * dec2 or a < 1e-12:
                break
            a /= 2
        if fn >= f:  # no progress possible in floating point
            converged = True
            break
        w, f = wn, fn
    g = glm.grad(w, X, y, "logistic", l2)
    info = {"method": "newton", "iterations": it + 1, "converged": converged,
            "grad_norm": float(np.linalg.norm(g)), "constrained": False}
    if l2 > 0:
        info["certified_accuracy"] = float(g @ g) / (2 * l2)
    return w, info


def _constrained_generic(X, y, loss, l2, domain, w_start):
    d = X.shape[1]
    fun = lambda w: glm.value(w, X, y, loss, l2)  # noqa: E731
    jac = lambda w: glm.grad(w, X, y, loss, l2)  # noqa: E731
    if isinstance(domain, Box):
        x0 = np.clip(w_start, domain.lower, domain.upper)
        res = scipy.optimize.minimize(fun, x0, jac=jac, method="L-BFGS-B",
                                      bounds=list(zip(domain.lower, domain.upper)),
                                      options={"ftol": 0.0, "gtol": 1e-12, "maxiter": 20000,
                                               "maxcor": 30})
        return res.x, {"method": "L-BFGS-B", "constrained": True, "converged": bool(res.success)}
    if isinstance(domain, Ball):
        c, R = np.asarray(domain.center, float), float(domain.radius)
        x0 = c + (w_start - c) * min(1.0, R / max(np.linalg.norm(w_start - c), 1e-300))
        cons = {"type": "ineq", "fun": lambda w: R * R - (w - c) @ (w - c),
                "jac": lambda w: -2 * (w - c)}
        res = scipy.optimize.minimize(fun, x0, jac=jac, method="SLSQP", constraints=[cons],
                                      options={"ftol": 1e-15, "maxiter": 2000})
        return res.x, {"method": "SLSQP", "constrained": True, "converged": bool(res.success)}
    return w_start, {"method": "none", "constrained": False}


def minimize(X, y, loss: str, l2: float, domain=None) -> tuple[float, np.ndarray, dict]:
    """``(f*, w*, info)`` for the finite sum ``(X, y, loss, l2)`` over the domain.

    Both solvers form dense (d, d) matrices: above the problems layer's dense limit this is
    refused with a one-line :class:`~boundcheck.problems.limits.DenseTooLarge` (an
    InputError), not attempted until memory runs out."""
    from boundcheck.problems.finite_sum import DENSE_D_LIMIT
    from boundcheck.problems.limits import refuse_dense

    refuse_dense("computing f* (the minimizer)", int(X.shape[1]), DENSE_D_LIMIT)
    if loss == "squared":
        w, info = _squared(X, y, l2, domain)
    else:
        w, info = _newton_logistic(X, y, l2, np.zeros(X.shape[1]))
        if not _inside(domain, w):
            w, info2 = _constrained_generic(X, y, loss, l2, domain, w)
            info = {**info2, "unconstrained": info}
    return glm.value(w, X, y, loss, l2), w, info


def delta(f_w0: float, f_star: float) -> float:
    """``Delta = f(w_0) - f*`` (Assumption 3.2's gap at the start), clipped at 0."""
    return max(0.0, float(f_w0) - float(f_star))


def _f_star(a):
    """f* as :func:`boundcheck.constants.assemble.problem_constants` always did: the problem's
    exact value when it states one; for finite sums the minimum over W (recomputed when the
    unconstrained minimiser lies outside W, or when the problem states none)."""
    from boundcheck.constants.noise import _finite_sum
    from boundcheck.constants.provider import NotApplicable, constant

    problem, exact = a.problem, a.exact
    f_star = exact.get("f_star", getattr(problem, "f_star", None))
    if f_star is not None and not np.isfinite(f_star):
        f_star = None
    how = "stated by the problem"
    data = _finite_sum(problem)
    w_star = getattr(problem, "w_star", None)
    outside = (problem.domain is not None and w_star is not None
               and not problem.domain.contains(np.asarray(w_star), tol=1e-12))
    if data is not None and outside:
        X, y, loss, l2 = data
        f_star, _, _ = minimize(X, y, loss, l2, problem.domain)
        a.note("the minimizer lies outside W (Assumption 3.1 fails): f* is the minimum over W")
        how = "minimum over W (the unconstrained minimiser lies outside W)"
    elif data is not None and "f_star" not in exact:
        X, y, loss, l2 = data
        fs, _, _ = minimize(X, y, loss, l2, problem.domain)
        if f_star is not None and abs(fs - f_star) > 1e-8 * max(1.0, abs(fs)):
            a.note(f"problem.f_star={f_star!r} differs from the computed f*={fs!r}; "
                   "using the smaller (a valid lower bound)")
        f_star = fs if f_star is None else min(fs, float(f_star))
        how = "minimum of the finite sum (solved)"
    if f_star is None:
        raise NotApplicable("f* is unknown for this problem")
    return {"f_star": constant("f_star", float(f_star), "exact" if how == "stated by the problem" else "certified",
                               how)}


def _delta(a):
    from boundcheck.constants.provider import constant

    f_star = a.require("f_star", "Delta").value
    w0 = a.w0 if a.w0 is not None else getattr(a.problem, "w0", None)
    w0 = np.zeros(int(a.problem.d)) if w0 is None else np.asarray(w0, float)
    f0 = float(np.asarray(a.problem.loss(w0[None, :])).ravel()[0])
    return {"Delta": constant("Delta", delta(f0, f_star), "derived", "f(w_0) - f* (w_0 = 0 unless given)")}


def _providers():
    from boundcheck.constants.provider import Provider

    return (
        Provider("minimum", ("f_star",), _f_star, "f* = min_W f (Assumptions 3.1, 3.2)"),
        Provider("initial-gap", ("Delta",), _delta, "Delta = f(w_0) - f* (Assumption 3.2)"),
    )


PROVIDERS = _providers()

__all__ = ["delta", "minimize", "PROVIDERS"]
