"""The anisotropic noise vector sigma (Liu et al. 2025, Assumption 3.5).

Assumption 3.5: ``E n_j(w; xi)^2 <= sigma_j^2`` for every j and every ``w`` in W, with
``n(w; xi) = grad f(w; xi) - grad f(w)`` the noise of one sample (a minibatch of M
samples drawn with replacement divides the variance by M, Lemma C.2).

For a finite sum (:mod:`boundcheck.constants.glm`) with ``xi`` uniform on {1..n}:
``n_j(w; i) = x_ij phi'_i(w) - (1/n) sum_k x_kj phi'_k(w)`` (the ridge term ``l2 w`` is the
same for every sample and cancels), so

.. math::

    \\mathrm{Var}_j(w) = \\frac1n \\sum_i x_{ij}^2 \\phi_i'(w)^2
        - \\Big(\\frac1n \\sum_i x_{ij} \\phi_i'(w)\\Big)^2
      \\le \\frac1n \\sum_i x_{ij}^2 B_i^2, \\qquad B_i \\ge \\sup_{w \\in W} |\\phi_i'(w)| .

The certified bound drops the (non-negative) squared mean and takes ``B_i`` from
:func:`boundcheck.constants.glm.dphi_bound`:

- logistic: ``B_i = sigmoid(-min_W y_i x_i^T w) <= 1``; with no domain ``B_i = 1``, i.e.
  ``sigma_j^2 <= (1/n) sum_i x_ij^2`` (Example B.1 with ``G1 = 1``);
- squared: ``B_i = max_W |x_i^T w - y_i|`` by interval arithmetic over the box (exact
  for a box, since a linear function attains its range at vertices); unbounded W has no
  finite bound (``None``).
"""

from __future__ import annotations

import numpy as np

from boundcheck.constants import glm


def sigma_at(w, X, y, loss: str) -> np.ndarray:
    """Exact per-coordinate standard deviation of a single-sample gradient at ``w``."""
    w = np.asarray(w, dtype=float)
    r = glm.dphi(np.asarray(X @ w).ravel(), y, loss)
    second = glm.column_sq_means(X, r * r)
    first = np.asarray(X.T @ r).ravel() / X.shape[0]
    return np.sqrt(np.clip(second - first * first, 0.0, None))


def sigma_bound(X, y, loss: str, domain) -> np.ndarray | None:
    """Certified ``sigma`` with ``Var_j(w) <= sigma_j^2`` for all w in W (None if W is
    unbounded and the loss has unbounded ``phi'``)."""
    B = glm.dphi_bound(X, y, loss, domain)
    if not np.all(np.isfinite(B)):
        return None
    return np.sqrt(glm.column_sq_means(X, B * B))


def _finite_sum(problem):
    """``(X, y, loss, l2)`` of a finite-sum problem (validated), or None."""
    X, y = problem.features(), problem.labels()
    if X is None or y is None or getattr(problem, "loss_name", None) not in glm.LOSSES:
        return None
    return glm.check_data(X, y, problem.loss_name, problem.l2)


def _sigma_finite_sum(a):
    from boundcheck.constants.provider import NotApplicable, constant

    data = _finite_sum(a.problem)
    if data is None:
        raise NotApplicable("not a finite sum")
    X, y, loss, _ = data
    sig = sigma_bound(X, y, loss, a.problem.domain)
    how = "certified bound over W: (1/n) sum_i x_ij^2 sup_W phi_i'^2"
    if "sigma" in a.exact:
        theirs = np.asarray(a.exact["sigma"], float)
        if sig is None:
            sig, how = theirs, "certified bound stated by the problem"
        else:  # both are certified upper bounds: keep the smaller, coordinate-wise
            sig, how = np.minimum(sig, theirs), how + " (coordinate-wise min with the problem's bound)"
    if sig is None:
        a.note("squared loss on an unbounded domain: no finite sigma bound (give a box)")
        raise NotApplicable("squared loss on an unbounded W has no finite noise bound")
    over_W = a.problem.domain is not None
    return {"sigma": constant("sigma", sig, "certified", how, valid_on="W" if over_W else None)}


def _sigma_exact(a):
    from boundcheck.constants.provider import NotApplicable, constant

    if "sigma" not in a.exact:
        raise NotApplicable("the problem states no noise vector sigma")
    return {"sigma": constant("sigma", np.asarray(a.exact["sigma"], float), "exact", "stated by the problem")}


def _sigma_star(a):
    from boundcheck.constants.provider import NotApplicable, constant

    data = _finite_sum(a.problem)
    if data is None:
        raise NotApplicable("not a finite sum")
    w_star = getattr(a.problem, "w_star", None)
    dom = a.problem.domain
    if w_star is None:
        raise NotApplicable("no minimiser w* known")
    if dom is not None and not dom.contains(np.asarray(w_star), tol=1e-12):
        raise NotApplicable("the minimiser lies outside W")
    X, y, loss, _ = data
    return {"sigma_star": constant("sigma_star", sigma_at(np.asarray(w_star, float), X, y, loss), "exact",
                                   "per-coordinate standard deviation of a single-sample gradient at w*")}


def _providers():
    from boundcheck.constants.provider import Provider

    return (
        Provider("finite-sum-sigma", ("sigma",), _sigma_finite_sum,
                 "certified per-coordinate noise bound of a finite sum over W (Assumption 3.5)"),
        Provider("problem-sigma", ("sigma",), _sigma_exact, "the noise vector the problem states"),
        Provider("finite-sum-sigma-star", ("sigma_star",), _sigma_star,
                 "exact noise at the minimiser of a finite sum (Assumption E.3)"),
    )


PROVIDERS = _providers()

__all__ = ["sigma_at", "sigma_bound", "PROVIDERS"]
