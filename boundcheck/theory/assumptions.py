"""The paper's assumptions as objects, with numeric checks on a concrete problem.

Liu, Pan, Zhang (ICLR 2025), Assumptions 3.1-3.5 (Section 3.2), 5.1 (Section 5), B.2
(Appendix B), E.3 and E.4 (Appendix E.1), plus one *proof condition* the convex proofs use
without naming it (``stationary-minimiser``: grad f(w*) = 0).

Each :class:`Assumption` carries its id, title, LaTeX statement, the constants it introduces
(theory-layer symbol names and the vector names of :meth:`Problem.exact_constants`), and a
``check(problem, constants=None, *, rng=None, samples=...) -> CheckResult`` hook. A check
returns ``holds`` (certified, or no violation among the sampled points: ``reason`` says
which), ``violated`` (with the witness), or ``unchecked`` (with the reason it cannot be
checked numerically).

Readings (see /work/shared/THEORY.md):

- **3.3** for twice-differentiable f: ``-diag(L) <= Hess f(w) <= diag(L)`` in the PSD order.
  Convex problems only need the upper side, certified from ``problem.smoothness_matrix()``
  (``Hess f <= H``): ``diag(L) - H >= 0``. For nonconvex problems the lower side is checked
  on sampled pairs through the defining inequality ``||grad f(w)-grad f(w')||_{L^{-1}} <=
  ||w-w'||_L``.
- **5.1** closeness condition (garbled in the paper as "w w L1 d"): read as
  ``||w - w'||_inf <= 1/||L1||_inf``, the anisotropic analogue of Zhang et al. 2020a's
  ``||w - w'|| <= 1/L1``; it is what Lemma C.3 needs for the step ``eta <= 1/||L1||_inf``
  (then ``||w_{t+1} - w_t||_inf <= eta <= 1/||L1||_inf`` since ``|g_j| <= lambda_j``).
- **B.2** "sum_i x_ij^2 <~ exp(-tau j)": read as: with coordinates sorted by decreasing
  ``H_jj``, ``s_j = sum_i x_ij^2 <= C exp(-tau j)`` for some tau > 1/d; ``C`` defaults to
  ``s_1 exp(tau)`` (the tightest constant fixing the first coordinate).
- **E.4** needs the stochastic oracle at the same sample xi at two points: the sampling
  contract gives it (:mod:`boundcheck.sampling`: a finite sum is enumerated sample by sample at
  both points, exactly; an oracle's streams are replayed with the same seed at both points).

Every random draw of a check goes through :mod:`boundcheck.sampling` (per-row replica streams
for the problem's ``stochastic_grad``; :func:`boundcheck.sampling.generator` for sample points),
so every check works on every problem that follows the contract, and is deterministic.
"""

from __future__ import annotations

import numpy as np

from boundcheck import sampling
from boundcheck.theory.assumption import Assumption, CheckResult
from boundcheck.validation import InputError

__all__ = ["Assumption", "CheckResult", "ASSUMPTIONS", "BUILTIN", "get", "all_assumptions"]


def _holds(reason, **details):
    return CheckResult("holds", reason, details)


def _violated(reason, **details):
    return CheckResult("violated", reason, details)


def _unchecked(reason, **details):
    return CheckResult("unchecked", reason, details)


# ---------------------------------------------------------------------- sampling helpers
def _points(problem, n: int, gen: np.random.Generator) -> np.ndarray:
    """``n`` points in the domain (box: uniform; ball: uniform in the ball), else around
    w* / the origin with unit scale."""
    d = problem.d
    dom = problem.domain
    if dom is not None and hasattr(dom, "lower"):
        lo, hi = np.asarray(dom.lower, float), np.asarray(dom.upper, float)
        return lo + (hi - lo) * gen.random((n, d))
    if dom is not None and hasattr(dom, "radius"):
        u = gen.standard_normal((n, d))
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        r = float(dom.radius) * gen.random((n, 1)) ** (1.0 / d)
        return np.asarray(dom.center, float) + r * u
    center = np.zeros(d) if problem.w_star is None else np.asarray(problem.w_star, float)
    return center + gen.standard_normal((n, d))


def _vector(c, name, d):
    if name not in c or c[name] is None:
        return None
    v = np.asarray(c[name], dtype=float).reshape(-1)
    if v.size == 1 and d != 1:
        v = np.full(d, float(v[0]))
    if v.size != d:
        raise InputError(f"{name} has {v.size} entries; the problem has d={d}")
    if np.any(~np.isfinite(v)) or np.any(v < 0):
        raise InputError(f"{name} must be a finite non-negative vector")
    return v


#: Seed of the per-row streams the checks hand to ``stochastic_grad``.
_SAMPLER_SEED = 0


def _stochastic(problem, W, rng=None, batch_size=1):
    """Stochastic gradients at the rows of W, one independent replica stream per row (the
    problems' sampling contract); ``rng`` overrides the sampler (tests, enumeration)."""
    sampler = rng if rng is not None else sampling.ReplicaStreams(_SAMPLER_SEED, range(int(np.shape(W)[0])))
    return np.asarray(problem.stochastic_grad(W, batch_size, sampler))


_REL = 1e-9  # relative slack for floating-point rounding in sampled inequalities


# ---------------------------------------------------------------------- checkers
def _check_convex(problem, c, *, rng=None, samples=64):
    if not problem.convex:
        return _violated("the problem is declared nonconvex")
    dom = problem.domain
    if dom is None:
        return _violated("Assumption 3.1 needs a closed convex feasible set W (Option I); domain is None")
    if problem.w_star is None:
        return _unchecked("no minimiser w* is known, so 'w* in W' cannot be checked")
    if not dom.contains(problem.w_star, tol=1e-12):
        return _violated("the minimiser w* lies outside W")
    for name in ("D_inf", "D_2"):
        if name in c and c[name] is not None and float(c[name]) < getattr(dom, name) * (1 - 1e-12):
            return _violated(f"{name}={float(c[name]):g} is below the diameter of W ({getattr(dom, name):g})")
    gen = sampling.generator(0)
    W1, W2 = _points(problem, samples, gen), _points(problem, samples, gen)
    f1, f2 = problem.loss(W1), problem.loss(W2)
    g1 = problem.grad(W1)
    gap = f2 - f1 - np.sum(g1 * (W2 - W1), axis=1)
    slack = _REL * (1 + np.abs(f1) + np.abs(f2))
    if np.any(gap < -slack):
        i = int(np.argmin(gap + slack))
        return _violated("first-order convexity fails at a sampled pair", pair=i, gap=float(gap[i]))
    return _holds(f"w* in W; first-order convexity holds on {samples} sampled pairs in W")


def _check_lower_bounded(problem, c, *, rng=None, samples=64):
    f_star = c.get("f_star", problem.f_star)
    if f_star is None:
        return _unchecked("no f_* given")
    gen = sampling.generator(0)
    W = _points(problem, samples, gen)
    if problem.w_star is not None:
        W = np.vstack([W, np.asarray(problem.w_star, float)[None, :]])
    f = problem.loss(W)
    worst = float(np.min(f))
    if worst < float(f_star) - _REL * (1 + abs(float(f_star))):
        return _violated(f"a sampled point has f = {worst:.6g} < f_* = {float(f_star):.6g}")
    return _holds(f"f >= f_* = {float(f_star):.6g} on {len(W)} sampled points")


def _sampled_aniso_smooth(problem, L_of, pairs, gen, radius_inf=None):
    """Largest ratio ||grad f(w)-grad f(w')||_{L(w)^{-1}} / ||w-w'||_{L(w)} on sampled pairs."""
    W1 = _points(problem, pairs, gen)
    step = gen.standard_normal(W1.shape)
    if radius_inf is not None:
        step = radius_inf * np.clip(step / np.max(np.abs(step), axis=1, keepdims=True), -1, 1)
        step *= gen.random((pairs, 1))
    W2 = W1 + step
    G1, G2 = problem.grad(W1), problem.grad(W2)
    Lw = L_of(G1)
    num = np.sqrt(np.sum((G1 - G2) ** 2 / Lw, axis=1))
    den = np.sqrt(np.sum(Lw * (W1 - W2) ** 2, axis=1))
    ok = den > 0
    return float(np.max(num[ok] / den[ok])) if np.any(ok) else 0.0


def _check_aniso_smooth(problem, c, *, rng=None, samples=64):
    L = _vector(c, "L", problem.d)
    if L is None:
        return _unchecked("no smoothness vector L given")
    if np.any(L <= 0):
        return _violated("L must be a positive vector")
    parts = []
    try:
        H = np.asarray(problem.smoothness_matrix(), float)
    except (NotImplementedError, InputError, MemoryError):
        H = None
    if H is not None:
        s = 1.0 / np.sqrt(L)
        top = float(np.linalg.eigvalsh(s[:, None] * H * s[None, :])[-1])
        if top > 1 + 1e-9:
            return _violated(f"diag(L) - H is not PSD: lambda_max(L^-1/2 H L^-1/2) = {top:.6g} > 1")
        parts.append(f"Hess f <= H <= diag(L) certified (lambda_max(L^-1/2 H L^-1/2) = {top:.4g})")
    if problem.convex and H is not None:
        parts.append("-diag(L) <= 0 <= Hess f by convexity")
        return _holds("; ".join(parts))
    ratio = _sampled_aniso_smooth(problem, lambda G: L, samples, sampling.generator(0))
    if ratio > 1 + 1e-9:
        return _violated(f"||grad f(w)-grad f(w')||_(L^-1) / ||w-w'||_L = {ratio:.6g} > 1 at a sampled pair")
    parts.append(f"defining inequality holds on {samples} sampled pairs (max ratio {ratio:.4g})")
    return _holds("; ".join(parts))


_ENUMERATE_LIMIT = 4096  # samples; beyond this the Monte Carlo check is used


def _check_unbiased(problem, c, *, rng=None, samples=64):
    w = _points(problem, 1, sampling.generator(0))
    n = getattr(problem, "n", None)
    if n is not None and 0 < n <= _ENUMERATE_LIMIT and problem.features() is not None:
        # Finite sum sampled uniformly: E g = (1/n) sum_i grad f_i(w) exactly. Enumerate the
        # samples through the problem's own sampler instead of a Monte Carlo t-test, which is
        # invalid for heavy-tailed per-sample gradients (rare non-zero standardized features
        # gave a false '21 standard errors' refusal on sklearn:digits).
        try:
            G = np.asarray(problem.stochastic_grad(np.repeat(w, n, axis=0), 1, sampling.EverySample()))
        except (NotImplementedError, TypeError, AttributeError, ValueError) as err:
            return _unchecked(f"the problem's stochastic_grad could not enumerate its samples ({err})")
        true = problem.grad(w)[0]
        scale = np.abs(G).mean(axis=0) + np.abs(true)
        err = np.abs(G.mean(axis=0) - true)
        tol = 64 * np.finfo(np.float64).eps * np.sqrt(n) * scale + 1e-300
        worst = float(np.max(err / tol))
        if worst > 1.0:
            j = int(np.argmax(err / tol))
            return _violated(f"the mean over all {n} samples of the stochastic gradient differs from "
                             f"grad f in coordinate {j} by {float(err[j]):.3g} (beyond rounding)")
        return _holds(f"exact: the mean over all {n} per-sample gradients equals grad f to rounding "
                      "(uniform sampling with replacement is unbiased; independence: Lemma C.2)")
    reps = max(samples, 256)
    try:
        G = _stochastic(problem, np.repeat(w, reps, axis=0), rng)
    except (NotImplementedError, TypeError, AttributeError) as err:
        return _unchecked(f"the problem's stochastic_grad could not be sampled ({err})")
    true = problem.grad(w)[0]
    se = G.std(axis=0, ddof=1) / np.sqrt(reps)
    # Floating-point floor: a coordinate whose noise is far below the rounding of its
    # deterministic part (e.g. l2 * w_j next to a data term ~1e-28 on exponential-tail
    # features) differs from grad f by rounding alone; count that as 64 ulps of |g_j|.
    ulp = 64 * np.finfo(np.float64).eps * np.max(np.abs(G), axis=0)
    se = np.sqrt(se**2 + ulp**2)
    z = np.abs(G.mean(axis=0) - true) / np.where(se > 0, se, np.inf)
    zmax = float(np.max(z)) if z.size else 0.0
    if zmax > 6.0:  # Bonferroni-safe for any realistic d
        return _violated(f"Monte Carlo mean of the stochastic gradient is {zmax:.3g} standard errors from grad f")
    return _holds(f"statistical: mean of {reps} stochastic gradients within {zmax:.3g} s.e. of grad f "
                  "(independence is a property of the sampler: uniform with replacement, Lemma C.2)")


def _noise_second_moment(problem, W, rng, reps):
    """Monte Carlo estimate of E n_j(w; xi)^2 (batch size 1) at each row of W, and its s.e."""
    out, se = [], []
    for w in W:
        G = _stochastic(problem, np.repeat(w[None, :], reps, axis=0), rng)
        n2 = (G - problem.grad(w[None, :])[0]) ** 2
        out.append(n2.mean(axis=0))
        se.append(n2.std(axis=0, ddof=1) / np.sqrt(reps))
    return np.array(out), np.array(se)


def _check_noise(problem, c, *, rng=None, samples=64, name="sigma", at_minimiser=False):
    sigma = _vector(c, name, problem.d)
    if sigma is None:
        return _unchecked(f"no noise vector {name} given")
    if at_minimiser:
        if problem.w_star is None:
            return _unchecked("no minimiser w* known")
        W = np.asarray(problem.w_star, float)[None, :]
    else:
        W = _points(problem, 4, sampling.generator(0))
    try:
        m, se = _noise_second_moment(problem, W, rng, max(samples, 512))
    except (NotImplementedError, TypeError, AttributeError) as err:
        return _unchecked(f"the problem's stochastic_grad could not be sampled ({err})")
    excess = (m - 6.0 * se) - sigma[None, :] ** 2 * (1 + 1e-9)
    if np.any(excess > 0):
        i, j = np.unravel_index(int(np.argmax(excess)), excess.shape)
        return _violated(f"E n_{j}^2 ~ {m[i, j]:.4g} exceeds {name}_{j}^2 = {sigma[j] ** 2:.4g} "
                         "by more than 6 standard errors")
    where = "w*" if at_minimiser else f"{len(W)} sampled points"
    return _holds(f"statistical: E n_j^2 <= {name}_j^2 within 6 s.e. at {where}")


def _check_generalized_smooth(problem, c, *, rng=None, samples=64):
    L0, L1 = _vector(c, "L0", problem.d), _vector(c, "L1", problem.d)
    if L0 is None or L1 is None:
        return _unchecked("needs the vectors L0 and L1")
    if np.any(L0 <= 0):
        return _violated("L0 must be a positive vector")
    l1max = float(np.max(L1))
    radius = 1.0 / l1max if l1max > 0 else 1.0
    ratio = _sampled_aniso_smooth(problem, lambda G: L0 + L1 * np.abs(G), samples,
                                  sampling.generator(0), radius_inf=radius)
    if ratio > 1 + 1e-9:
        return _violated(f"||grad f(w)-grad f(w')||_(L(w)^-1) / ||w-w'||_L(w) = {ratio:.6g} > 1 "
                         "at a sampled pair with ||w-w'||_inf <= 1/||L1||_inf")
    return _holds(f"defining inequality holds on {samples} sampled pairs with "
                  f"||w-w'||_inf <= 1/||L1||_inf (max ratio {ratio:.4g})")


def _check_scalar_generalized_smooth(problem, c, *, rng=None, samples=64):
    L0, L1 = c.get("L0_scalar"), c.get("L1_scalar")
    if L0 is None or L1 is None:
        return _unchecked("needs the scalars L0_scalar and L1_scalar of eq. (8)")
    L0, L1 = float(L0), float(L1)
    gen = sampling.generator(0)
    W1 = _points(problem, samples, gen)
    step = gen.standard_normal(W1.shape)
    step /= np.linalg.norm(step, axis=1, keepdims=True)
    step *= (1.0 / L1 if L1 > 0 else 1.0) * gen.random((samples, 1))
    G1, G2 = problem.grad(W1), problem.grad(W1 + step)
    lhs = np.linalg.norm(G1 - G2, axis=1)
    rhs = (L0 + L1 * np.linalg.norm(G1, axis=1)) * np.linalg.norm(step, axis=1)
    if np.any(lhs > rhs * (1 + 1e-9) + 1e-300):
        return _violated("||grad f(w) - grad f(w')||_2 > (L0 + L1 ||grad f(w)||_2) ||w - w'||_2 at a sampled pair")
    return _holds(f"eq. (8) holds on {samples} sampled pairs with ||w - w'||_2 <= 1/L1")


def _check_exp_tail(problem, c, *, rng=None, samples=64):
    X = problem.features()
    if X is None:
        return _unchecked("B.2 is about the data matrix; this problem has no features()")
    X = np.asarray(X, float)
    d = X.shape[1]
    s = np.sum(X**2, axis=0)
    try:
        Hdiag = np.diag(np.asarray(problem.smoothness_matrix(), float))
    except (NotImplementedError, InputError, MemoryError):
        Hdiag = s
    order = np.argsort(-Hdiag, kind="stable")
    s = s[order]
    j = np.arange(1, d + 1)
    pos = s > 0
    tau_fit = float(-np.polyfit(j[pos], np.log(s[pos]), 1)[0]) if np.sum(pos) >= 2 else float("nan")
    tau = float(c["tau"]) if c.get("tau") is not None else tau_fit
    if not np.isfinite(tau):
        return _unchecked("too few non-zero feature columns to fit tau")
    if tau <= 1.0 / d:
        return _violated(f"tau = {tau:.4g} <= 1/d = {1 / d:.4g}", tau=tau, tau_fit=tau_fit)
    C = float(c["C"]) if c.get("C") is not None else float(s[0] * np.exp(tau))
    excess = s - C * np.exp(-tau * j)
    if np.any(excess > 1e-9 * C):
        k = int(np.argmax(excess))
        return _violated(f"sum_i x_ij^2 = {s[k]:.4g} > C exp(-tau j) at sorted coordinate j={k + 1}",
                         tau=tau, tau_fit=tau_fit, C=C)
    return _holds(f"sum_i x_ij^2 <= C exp(-tau j) with tau = {tau:.4g} > 1/d, C = {C:.4g}",
                  tau=tau, tau_fit=tau_fit, C=C)


def _check_expected_smooth(problem, c, *, rng=None, samples=64):
    """(1/2) E||g(w; xi) - g(w*; xi)||^2_{L_*^-1} <= f(w) - f(w*) at sampled w in W, with the
    same sample xi at both points: exact by enumeration on finite sums (n <= 4096), Monte Carlo
    with replayed streams otherwise."""
    L_star = _vector(c, "L_star", problem.d)
    if L_star is None:
        return _unchecked("no expected-smoothness vector L_star given")
    if np.any(L_star <= 0):
        return _violated("L_star must be a positive vector")
    if problem.w_star is None:
        return _unchecked("no minimiser w* known")
    w_star = np.asarray(problem.w_star, float)
    points = min(samples, 16)
    W = _points(problem, points, sampling.generator(0))
    f_star = float(problem.loss(w_star[None, :])[0])
    gaps = problem.loss(W) - f_star
    n = getattr(problem, "n", None)
    exact = n is not None and 0 < n <= _ENUMERATE_LIMIT and problem.features() is not None
    worst, where = -np.inf, None
    for i, w in enumerate(W):
        if exact:
            ga = _stochastic(problem, np.repeat(w[None, :], n, axis=0), sampling.EverySample())
            gb = _stochastic(problem, np.repeat(w_star[None, :], n, axis=0), sampling.EverySample())
            vals = 0.5 * np.sum((ga - gb) ** 2 / L_star, axis=1)
            lhs, se = float(np.mean(vals)), 0.0
        else:
            reps = max(samples, 256)
            ga = _stochastic(problem, np.repeat(w[None, :], reps, axis=0))
            gb = _stochastic(problem, np.repeat(w_star[None, :], reps, axis=0))  # same streams: same xi
            vals = 0.5 * np.sum((ga - gb) ** 2 / L_star, axis=1)
            lhs, se = float(np.mean(vals)), float(np.std(vals, ddof=1) / np.sqrt(reps))
        excess = (lhs - 6.0 * se) - float(gaps[i]) * (1 + 1e-9) - 1e-12 * (1 + abs(f_star))
        if excess > worst:
            worst, where = excess, (i, lhs, float(gaps[i]))
    how = "exact over every sample" if exact else "Monte Carlo with replayed streams (6 s.e.)"
    if worst > 0:
        i, lhs, gap = where
        return _violated(f"(1/2) E||g(w;xi) - g(w*;xi)||^2_(L_*^-1) = {lhs:.6g} > f(w) - f(w*) = {gap:.6g} "
                         f"at a sampled point ({how})")
    return _holds(f"(1/2) E||g(w;xi) - g(w*;xi)||^2_(L_*^-1) <= f(w) - f(w*) at {points} sampled points in W "
                  f"({how})")


def _check_stationary(problem, c, *, rng=None, samples=64):
    if problem.w_star is None:
        return _unchecked("no minimiser w* known")
    g = np.abs(problem.grad(np.asarray(problem.w_star, float)[None, :])[0])
    # compare with the gradient scale over W (or around w*): relative tolerance grad_tol
    G = np.abs(problem.grad(_points(problem, samples, sampling.generator(0))))
    scale = max(1.0, float(np.max(G)))
    tol = float(c.get("grad_tol", 1e-6)) * scale
    if float(np.max(g)) > tol:
        return _violated(f"||grad f(w*)||_inf = {float(np.max(g)):.3g} > {tol:.3g}: w* is not a stationary "
                         "point (a minimiser on the boundary of W); the smooth convex proofs need grad f(w*) = 0")
    return _holds(f"||grad f(w*)||_inf = {float(np.max(g)):.3g} <= {tol:.3g}")


# ---------------------------------------------------------------------- the declarations
_LIST: list[Assumption] = []


def _add(a: Assumption) -> None:
    _LIST.append(a)


_add(Assumption(
    "3.1", "Convexity", "Liu et al. 2025, Assumption 3.1",
    r"f \text{ convex};\ \mathcal W \text{ closed convex},\ \exists w_* \in \arg\min f \cap \mathcal W,\ "
    r"\max_{w,w'\in\mathcal W}\|w-w'\|_\infty \le D_\infty,\ \max_{w,w'\in\mathcal W}\|w-w'\|_2 \le D_2",
    ("D_inf", "D_2"), ("D_inf", "D_2"), _check_convex))
_add(Assumption(
    "3.2", "Lower bounded", "Liu et al. 2025, Assumption 3.2",
    r"f(w) \ge f_* \ \forall w \in \mathbb R^d, \quad \Delta = f(w_0) - f_*",
    ("Delta",), ("f_star",), _check_lower_bounded))
_add(Assumption(
    "3.3", "Anisotropic L-smoothness", "Liu et al. 2025, Assumption 3.3",
    r"\|\nabla f(w) - \nabla f(w')\|_{L^{-1}} \le \|w - w'\|_{L}\ \forall w, w';\ "
    r"\text{for } C^2 f:\ -\mathrm{diag}(L) \preceq \nabla^2 f \preceq \mathrm{diag}(L)",
    ("L_norm1", "L_norminf"), ("L",), _check_aniso_smooth,
    notes="Reading for C^2 f: -diag(L) <= Hess f <= diag(L); implies standard smoothness with ||L||_inf."))
_add(Assumption(
    "3.4", "Unbiased independent gradients", "Liu et al. 2025, Assumption 3.4",
    r"\nabla f(w;\xi) \text{ drawn independently},\ \mathbb E[n(w;\xi)] = 0",
    (), (), _check_unbiased))
_add(Assumption(
    "3.5", "Anisotropic noise", "Liu et al. 2025, Assumption 3.5",
    r"\mathbb E[n_j(w;\xi)^2] \le \sigma_j^2 \ \forall j \in [d]",
    ("sigma_norm1", "sigma_norm2"), ("sigma",), _check_noise))
_add(Assumption(
    "5.1", "Anisotropic (L0, L1)-smoothness", "Liu et al. 2025, Assumption 5.1",
    r"\|\nabla f(w)-\nabla f(w')\|_{L(w)^{-1}} \le \|w-w'\|_{L(w)},\ [L(w)]_j = L_{0,j} + L_{1,j}|\partial_j f(w)|,"
    r"\ \forall w, w' : \|w-w'\|_\infty \le 1/\|L_1\|_\infty",
    ("L0_norm1", "L1_norminf"), ("L0", "L1"), _check_generalized_smooth,
    notes="Closeness condition read as ||w-w'||_inf <= 1/||L1||_inf (garbled in the text)."))
_add(Assumption(
    "eq8", "(L0, L1)-smoothness (scalar)", "Zhang et al. 2019/2020a, eq. (8) of Liu et al. 2025",
    r"\|\nabla f(w) - \nabla f(w')\|_2 \le (L_0 + L_1 \|\nabla f(w)\|_2)\|w - w'\|_2\ "
    r"\forall w, w' : \|w - w'\|_2 \le 1/L_1",
    ("L0", "L1"), ("L0_scalar", "L1_scalar"), _check_scalar_generalized_smooth,
    notes="The assumption of the cited AdaGrad-Norm result (Faw et al. 2023)."))
_add(Assumption(
    "B.2", "Exponential tail", "Liu et al. 2025, Assumption B.2",
    r"\sum_{i=1}^n x_{i,j}^2 \lesssim e^{-\tau j}\ \forall j,\ \tau > 1/d,\ H_{jj} \ge H_{kk}\ (j \le k)",
    ("tau",), ("tau",), _check_exp_tail,
    notes="Read as s_j <= C exp(-tau j) with C = s_1 exp(tau) unless given."))
_add(Assumption(
    "E.3", "Anisotropic noise at minimisers", "Liu et al. 2025, Assumption E.3",
    r"\mathbb E[n_j(w_*;\xi)^2] \le \sigma_{*,j}^2\ \forall j,\ \forall w_* \in \arg\min_{\mathcal W} f",
    ("sigma_star_norm1",), ("sigma_star",),
    lambda p, c, **kw: _check_noise(p, c, name="sigma_star", at_minimiser=True, **kw)))
_add(Assumption(
    "E.4", "Expected anisotropic smoothness", "Liu et al. 2025, Assumption E.4",
    r"\tfrac12 \mathbb E\|g(w) - g(w_*)\|_{L_*^{-1}}^2 \le f(w) - f(w_*)\ \forall w \in \mathcal W",
    ("L_star_norm1",), ("L_star",), _check_expected_smooth))
_add(Assumption(
    "stationary-minimiser", "Proof condition: grad f(w*) = 0",
    "used in the proofs of Liu et al. 2025, Thm 4.1 (App. E) and Thm D.1 (App. D)",
    r"\nabla f(w_*) = 0 \quad (w_* \text{ an unconstrained minimiser lying in } \mathcal W)",
    (), ("L",), _check_stationary,
    notes="Not a numbered assumption: ||grad f(w)||^2_{L^-1} <= 2(f(w)-f*) (Thm 4.1) and co-coercivity "
          "<grad f(w), w-w*> >= ||grad f(w)||^2/||L||_inf (Thm D.1) need it."))


#: The paper's assumptions and proof conditions (registered in :mod:`boundcheck.manifest`).
BUILTIN: tuple[Assumption, ...] = tuple(_LIST)
#: By id (the built-ins only; :func:`get` also finds plugins').
ASSUMPTIONS: dict[str, Assumption] = {a.id: a for a in BUILTIN}


def get(assumption_id: str) -> Assumption:
    """The registered assumption with this id (InputError with a suggestion otherwise)."""
    from boundcheck import registry

    return registry.get("assumption", assumption_id)


def all_assumptions() -> list[Assumption]:
    from boundcheck import registry

    return registry.all("assumption")
