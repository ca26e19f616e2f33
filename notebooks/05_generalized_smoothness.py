# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Anisotropic (L0, L1)-smoothness: local smoothness grows with the gradient, per coordinate
#
# **Claim** (Liu, Pan, Zhang 2025, Sec. 5: Assumption 5.1, Figure 1, Theorem 5.3). Along training
# trajectories the local smoothness of coordinate $j$,
# $|\partial_j f(w) - \partial_j f(w')| / |w - w'|_j$, grows roughly linearly with $|\partial_j f(w)|$, so
# $[L(w)]_j = L_{0,j} + L_{1,j} |\partial_j f(w)|$ describes it better than a constant; under this
# assumption AdaGrad (Algorithm 1, Option II) with $\eta = \min\{1/(4\|L_1\|_\infty), \sqrt{\Delta/\|L_0\|_1}\}$
# satisfies Theorem 5.3's bound on $(E\sqrt{\tfrac1T\sum_t \|\nabla f(w_t)\|_1^2})^2$.
#
# On `nonconvex-aniso` (separable, nonconvex, with certified per-coordinate $(L_0, L_1)$ from its
# docstring proof) this notebook
# 1. draws the Figure-1 scatter from gradient-descent trajectories and fits the smallest $(L_{0,j}, L_{1,j})$
#    consistent with the samples (`boundcheck.constants.generalized`);
# 2. checks the problem's certified constants against every sample;
# 3. runs Theorem 5.3's AdaGrad with the certified and with the fitted constants and compares the
#    measured quantity with the bound evaluated on each.

# %% tags=["parameters"]
import os

SIZE = os.environ.get("BOUNDCHECK_NOTEBOOK_SIZE", "full")
if SIZE == "small":  # CI: well under a minute on two cores
    D = 16
    GD_STEPS = 200  # gradient-descent steps per trajectory
    N_STARTS = 6  # trajectories
    TS = (30, 100, 300, 1000)
    SEEDS = 16
else:
    D = 64
    GD_STEPS = 1000
    N_STARTS = 12
    TS = (30, 100, 300, 1000, 3000, 10000)
    SEEDS = 64
M = 8
EPS = 1e-8
CONFIDENCE = 0.99
FIG_DIR = os.environ.get("BOUNDCHECK_FIGURES")

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from boundcheck.constants.assemble import problem_constants
from boundcheck.constants.generalized import fit_l0l1, scatter_from_pairs, trajectory_pairs
from boundcheck.engine import RunConfig, run
from boundcheck.problems import make_problem
from boundcheck.theory.theorem import get
from boundcheck.verify import instances, theorem_check
from boundcheck.verify.decisions import Context, decide


def savefig(fig, name):
    """Keep the figure for CI artefacts when BOUNDCHECK_FIGURES is set."""
    if FIG_DIR:
        fig.savefig(os.path.join(FIG_DIR, f"05_{name}.png"), dpi=110, bbox_inches="tight")


problem = make_problem("nonconvex-aniso", d=D)
exact = problem.exact_constants()
L0_cert, L1_cert = exact["L0"], exact["L1"]
print("certified L0:", np.round(L0_cert[:6], 4), "...")
print("certified L1:", np.round(L1_cert[:6], 4), "...")

# %% [markdown]
# ## 1. Figure-1 scatter and the fitted (L0_j, L1_j)
#
# Gradient descent with step $1/\|L\|_\infty$ from $w_0 = 0$ and from points deep in the $\cosh$ region
# (where gradients are large); pairs $(w_t, w_s)$ with $0 < s - t \le 2$ and
# $\|w_t - w_s\|_\infty \le 1/\|L_1\|_\infty$ (the locality of Assumption 5.1, our reading), both orientations.
# Glue written here: `estimate_l0l1` takes one trajectory, so the pairs of several are pooled and fitted
# with `fit_l0l1` coordinate by coordinate (the same LP: smallest $L_0 + \bar a\,L_1$ covering all samples).

# %%
grad = lambda W: np.asarray(problem.grad(W))  # noqa: E731
step = 1.0 / float(np.max(problem.L_vector()))
max_dist = 1.0 / float(np.max(L1_cert))
rng = np.random.default_rng(0)
starts = [np.zeros(D), problem.m + 4.0 / problem.b, problem.m - 4.0 / problem.b]
starts += [problem.m + rng.uniform(-5, 5, D) / problem.b for _ in range(N_STARTS - len(starts))]
A, B, Tt = [], [], []
for w0 in starts:
    a, b, t = trajectory_pairs(grad, w0, GD_STEPS, step, window=2, max_dist=max_dist)
    A.append(a), B.append(b), Tt.append(t)
A, B, Tt = np.vstack(A), np.vstack(B), np.concatenate(Tt)
sc = scatter_from_pairs(grad, np.vstack([A, B]), np.vstack([B, A]), np.concatenate([Tt, Tt]))
L0_fit, L1_fit = np.zeros(D), np.zeros(D)
for j in range(D):
    m = sc["coord"] == j
    L0_fit[j], L1_fit[j] = fit_l0l1(sc["grad_abs"][m], sc["local_smoothness"][m])
print(f"{len(sc['coord'])} scatter points")
print("fitted L0:", np.round(L0_fit[:6], 4), "...  ||L0||_1 fitted", L0_fit.sum(), "certified", L0_cert.sum())
print("fitted L1:", np.round(L1_fit[:6], 4), "...  ||L1||_inf fitted", L1_fit.max(), "certified", L1_cert.max())

# %%
show = sorted({0, D // 4, D // 2, D - 1})
fig, axes = plt.subplots(1, len(show), figsize=(4.2 * len(show), 3.8))
for ax, j in zip(axes, show):
    m = np.flatnonzero(sc["coord"] == j)
    a, b = sc["grad_abs"][m], sc["local_smoothness"][m]
    ax.scatter(a, b, s=4, alpha=0.4, color="C0", label="samples")
    grid = np.linspace(0, sc["grad_abs"][m].max() * 1.05, 50)
    ax.plot(grid, L0_fit[j] + L1_fit[j] * grid, "-", color="C1", label="fitted L0 + L1 |d_j f|")
    ax.plot(grid, L0_cert[j] + L1_cert[j] * grid, "--", color="C3", label="certified (e-1)(l0 + l1 |d_j f|)")
    ax.plot(grid, np.full_like(grid, sc["local_smoothness"][m].max()), ":", color="k", label="best constant L_j")
    ax.set(xlabel=f"|d_{j} f(w)|", ylabel="local smoothness", title=f"coordinate j = {j}")
    ax.grid(True, alpha=0.3)
axes[0].legend(fontsize=7)
fig.suptitle(f"nonconvex-aniso (d={D}): local smoothness vs gradient magnitude (Figure 1 analog)")
fig.tight_layout()
savefig(fig, "figure1")
plt.show()

# %% [markdown]
# Checks:
# - the problem's **certified** constants cover every sample: $b_p \le L_{0,j} + L_{1,j} a_p$ (the
#   problem's proof, tested on real pairs);
# - the fit is the LP optimum: no larger than the certified pair in the LP's own objective;
# - Figure 1's message, per coordinate (on this problem the growth is linear while $|u| \le U$, where
#   $\psi'' \approx \psi'$ like $\cosh$ vs $\sinh$, and saturates beyond, where $\psi$ is continued
#   quadratically - visible at the right end of the scatter): the fitted slope is positive and, at the largest sampled
#   gradient, the gradient-dependent part $L_{1,j} a_{\max}$ exceeds the constant part $L_{0,j}$; and the
#   linear model is much smaller on average than the best constant (the max of the samples).

# %%
for j in range(D):
    m = sc["coord"] == j
    a, b = sc["grad_abs"][m], sc["local_smoothness"][m]
    assert np.all(b <= L0_cert[j] + L1_cert[j] * a + 1e-12 * (1 + b)), j
    assert np.all(b <= L0_fit[j] + L1_fit[j] * a + 1e-12 * (1 + b)), j
    c = a.mean()
    assert L0_fit[j] + c * L1_fit[j] <= L0_cert[j] + c * L1_cert[j] + 1e-9, j
    assert L1_fit[j] > 0 and L1_fit[j] * a.max() > L0_fit[j], (j, L0_fit[j], L1_fit[j], a.max())
    assert np.mean(L0_fit[j] + L1_fit[j] * a) < 0.75 * b.max(), j

# %% [markdown]
# ## 2. Theorem 5.3 with certified and with fitted constants
#
# AdaGrad, Option II, $w_0 = 0$, batch $M$, Theorem 5.3's step size evaluated on each constant set;
# one run per set with checkpoints at every $T$ (the quantity at checkpoint $T$ is exactly the one for
# horizon $T$: the running average over $w_0..w_{T-1}$; the step size does not depend on $T$). Glue:
# `theorem_check` always takes the problem's own (certified) constants, so the fitted-constant check
# is written here with the theory and engine APIs - and validated by reproducing `theorem_check`'s
# samples with the certified constants.

# %%
thm = get("thm5.3")
q = thm.quantity_object
base = problem_constants(problem).theory_constants()
sets = {
    "certified": {**base, "L0_norm1": float(L0_cert.sum()), "L1_norminf": float(L1_cert.max())},
    "fitted": {**base, "L0_norm1": float(L0_fit.sum()), "L1_norminf": float(L1_fit.max())},
}
results = {}
for name, const in sets.items():
    eta = thm.step_size_function({**const, "M": M, "eps": EPS, "T": max(TS)})(0)
    cfg = RunConfig(algorithm=thm.algorithm, option=thm.option, T=max(TS), batch_size=M, eta=eta, eps=EPS,
                    seeds=SEEDS, seed=0, init="zeros", checkpoints=list(TS), metrics=[q.metric])
    res = run(problem, cfg)
    assert not np.any(res.diverged)
    rows = []
    for k, T in enumerate(res.checkpoints):
        samples = q.samples(res.metrics[q.metric][k])
        iv = decide(samples, math.inf, Context(confidence=CONFIDENCE, squared_mean=q.squared_mean))
        bound = thm.evaluate({**const, "T": int(T), "M": M, "eps": EPS})["explicit"]
        rows.append(dict(T=int(T), empirical=iv.estimate, low=iv.low, high=iv.high, bound=bound, samples=samples))
    results[name] = dict(eta=eta, rows=rows)
    print(f"{name:9s} eta = {eta:.4g}")
    for r in rows:
        print(f"   T={r['T']:<6d} empirical {r['empirical']:.4g} [{r['low']:.4g}, {r['high']:.4g}]"
              f"  bound {r['bound']:.4g}"
              f"  ratio {r['empirical'] / r['bound']:.3g}")

# the glue reproduces the verification layer's theorem check (certified constants, largest T)
spec = theorem_check.spec("thm5.3", instances.registry_spec("nonconvex-aniso", {"d": D}), T=max(TS), M=M,
                          seeds=SEEDS, seed=0, eps=EPS)
ref = theorem_check.compute(spec)
np.testing.assert_allclose(results["certified"]["rows"][-1]["samples"], ref["samples"], rtol=1e-12)
assert np.isclose(results["certified"]["rows"][-1]["bound"], ref["bound"], rtol=1e-9)

# %%
fig, ax = plt.subplots(figsize=(7.5, 4.5))
for (name, r), c in zip(results.items(), ("C3", "C1")):
    Ts = [x["T"] for x in r["rows"]]
    ax.plot(Ts, [x["empirical"] for x in r["rows"]], "o-", color=c,
            label=f"observed, {name} constants (eta={r['eta']:.3g})")
    ax.fill_between(Ts, [max(x["low"], 1e-300) for x in r["rows"]], [x["high"] for x in r["rows"]], color=c, alpha=0.25)
    ax.plot(Ts, [x["bound"] for x in r["rows"]], "--", color=c, label=f"thm5.3 bound, {name} constants")
ax.set(xscale="log", yscale="log", xlabel="T", ylabel="(E sqrt((1/T) sum_t ||grad f(w_t)||_1^2))^2",
       title=f"Theorem 5.3 on nonconvex-aniso (d={D}, M={M}, {SEEDS} seeds, 99% bands)")
ax.legend(fontsize=7)
ax.grid(True, which="both", alpha=0.3)
fig.tight_layout()
savefig(fig, "theorem53")
plt.show()

# %% [markdown]
# Checks: the bound holds (99% interval below it) at every $T$ with both constant sets; the fitted
# constants give a tighter bound than the certified ones (they are smaller where it matters:
# $\|L_0\|_1$), i.e. the estimate is informative - but it is an estimate, not a certificate.

# %%
for name, r in results.items():
    for x in r["rows"]:
        assert x["high"] < x["bound"], (name, x["T"], x["high"], x["bound"])
for xc, xf in zip(results["certified"]["rows"], results["fitted"]["rows"]):
    assert xf["bound"] < xc["bound"], (xc["T"], xf["bound"], xc["bound"])
