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
# # Exponential-tail data: AdaGrad's advantage grows with the dimension
#
# **Claim** (Liu, Pan, Zhang 2025, Sec. 4.1, Remark 4.2 and Appendix B, Example B.1). Compare
# AdaGrad's convex bound (Thm 4.1) with SGD's (eq. (6), our Thm D.1) through the ratios
#
# $$R_1 = C_{var} = \frac{D_\infty \|\sigma\|_1}{D_2 \|\sigma\|_2},\qquad
#   R_2 = C_{bias} = \frac{\|L\|_1 D_\infty^2}{\|L\|_\infty D_2^2}.$$
#
# Under the exponential-tail Assumption B.2 ($\sum_i x_{ij}^2 \sim e^{-\tau j}$) on a hypercube,
# $R_1 \sim 1/\sqrt d$ and $R_2 \sim 1/d$: AdaGrad's bias term is smaller than SGD's by a
# factor of order $d$, its variance term by order $\sqrt d$.
#
# This notebook
# 1. evaluates the closed forms (derived by SymPy in `boundcheck.theory.examples`) across $d$ and
#    $\tau$ and checks the $1/\sqrt d$, $1/d$ scaling;
# 2. measures $R_1$, $R_2$ on generated `exptail-logistic` data from the constants layer
#    ($\sigma$ certified over $W$, $L = 2\,\mathrm{diag}(H)$ as in Example B.1, and the certified
#    optimal diagonal $L$);
# 3. runs AdaGrad with Thm 4.1's step size and SGD with Thm D.1's on the same data, and puts the
#    observed errors next to both bounds.

# %% tags=["parameters"]
import os

SIZE = os.environ.get("BOUNDCHECK_NOTEBOOK_SIZE", "full")
if SIZE == "small":  # CI: well under a minute on two cores
    D_DATA = (16, 32, 64)  # dimensions of the generated data sets
    TAUS = (0.1, 0.5, 2.0)  # tails (generated data needs tau > 1/d)
    D_RUN = (16, 32, 64)  # dimensions of the AdaGrad/SGD runs
    T, M, SEEDS = 300, 8, 8
else:  # paper-like sizes (minutes; the optimal diagonal at d = 1024 takes a while)
    D_DATA = (16, 64, 256, 1024)
    TAUS = (0.1, 0.5, 2.0)
    D_RUN = (16, 64, 256, 1024)
    T, M, SEEDS = 2000, 8, 32
TAU_RUN = 0.5
L2 = 1e-6  # tiny ridge: keeps the minimizer finite without adding an l2 floor to diag(H)
CONFIDENCE = 0.99
FIG_DIR = os.environ.get("BOUNDCHECK_FIGURES")

# %%
import matplotlib.pyplot as plt
import numpy as np

from boundcheck.constants import comparators, geometry, noise
from boundcheck.constants.diagonal import optimal_diagonal
from boundcheck.problems import make_problem
from boundcheck.theory import examples
from boundcheck.theory.theorem import get
from boundcheck.verify import instances, theorem_check


def savefig(fig, name):
    """Keep the figure for CI artefacts when BOUNDCHECK_FIGURES is set."""
    if FIG_DIR:
        fig.savefig(os.path.join(FIG_DIR, f"02_{name}.png"), dpi=110, bbox_inches="tight")


# %% [markdown]
# ## 1. Closed forms
#
# The SymPy derivation first (every step must be proven or name the property test covering it):

# %%
chain = examples.derivation()
status = chain.check()
for step in chain:
    print(f"{step.name:32s} {step.status()}")
assert all(v is not False for v in status.values()), "a SymPy step of Example B.1 failed"
assert sum(v is True for v in status.values()) >= 7

# %% [markdown]
# $\sqrt d\,R_1$ and $d\,R_2$ tend to $\sqrt{\coth(\tau/4)}$ and $1/(1-e^{-\tau})$ (dashed), from
# below: the paper's approximations are these limits, so they are upper bounds for every finite $d$.

# %%
ds = 2 ** np.arange(4, 13)  # 16 .. 4096
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
for k, tau in enumerate(TAUS):
    r1, r2 = examples.R1_closed(ds, tau), examples.R2_closed(ds, tau)
    axes[0].loglog(ds, r1, "o-", color=f"C{k}", label=f"R1, tau={tau:g}")
    axes[0].loglog(ds, r2, "s--", color=f"C{k}", label=f"R2, tau={tau:g}")
    axes[1].semilogx(ds, np.sqrt(ds) * r1, "o-", color=f"C{k}", label=f"tau={tau:g}")
    axes[1].axhline(examples.sqrtd_R1_limit(tau), color=f"C{k}", ls=":")
    axes[2].semilogx(ds, ds * r2, "s-", color=f"C{k}", label=f"tau={tau:g}")
    axes[2].axhline(examples.d_R2_limit(tau), color=f"C{k}", ls=":")
axes[0].loglog(ds, 1 / np.sqrt(ds), "k:", label="1/sqrt(d)")
axes[0].loglog(ds, 1.0 / ds, "k-.", label="1/d")
axes[0].set(xlabel="d", ylabel="ratio", title="R1 = C_var and R2 = C_bias (closed form)")
axes[1].set(xlabel="d", ylabel="sqrt(d) R1", title="sqrt(d) R1 -> sqrt(coth(tau/4)) (dotted)")
axes[2].set(xlabel="d", ylabel="d R2", title="d R2 -> 1/(1 - exp(-tau)) (dotted)")
for ax in axes:
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
fig.tight_layout()
savefig(fig, "closed_forms")
plt.show()

# %% [markdown]
# Checks: the rescaled ratios increase towards their limits and stay below them; at $d = 4096$ the
# log-log slopes are $-1/2$ and $-1$.

# %%
for tau in TAUS:
    s1 = np.sqrt(ds) * examples.R1_closed(ds, tau)
    s2 = ds * examples.R2_closed(ds, tau)
    assert np.all(np.diff(s1) >= 0) and np.all(np.diff(s2) >= 0), tau
    assert np.all(s1 <= examples.sqrtd_R1_limit(tau) * (1 + 1e-12)), tau
    assert np.all(s2 <= examples.d_R2_limit(tau) * (1 + 1e-12)), tau
    slope1 = np.log(examples.R1_closed(4096, tau) / examples.R1_closed(2048, tau)) / np.log(2)
    slope2 = np.log(examples.R2_closed(4096, tau) / examples.R2_closed(2048, tau)) / np.log(2)
    print(f"tau={tau:g}: slope of R1 {slope1:.4f}, slope of R2 {slope2:.4f}")
    assert abs(slope1 + 0.5) < 1e-3 and abs(slope2 + 1.0) < 1e-3

# %% [markdown]
# ## 2. Measured on generated data
#
# `exptail-logistic(d, tau)` has columns with $\frac1n\sum_i x_{ij}^2 = e^{-\tau j}$ exactly, and
# the box $W = [-B, B]^d$ (so $D_2 = \sqrt d D_\infty$). The constants layer gives $\sigma$ (a
# certified bound over $W$: $\sigma_j^2 = \frac1n\sum_i \sup_W \ell'^2 x_{ij}^2$), the smoothness
# matrix $H = X^\top X/(4n) + \ell_2 I$, Example B.1's $L = 2\,\mathrm{diag}(H)$ and the certified
# optimal diagonal $L$ (an SDP).

# %%
measured = []
for tau in TAUS:
    for d in D_DATA:
        if tau <= 1.0 / d:
            continue  # Assumption B.2 needs tau > 1/d
        p = make_problem("exptail-logistic", d=d, n=max(4 * d, 256), tau=tau, l2=L2)
        X, y = p.features(), p.labels()
        D_inf, D_2 = geometry.diameters(p.domain)
        sigma = noise.sigma_bound(X, y, "logistic", p.domain)
        H = p.smoothness_matrix()
        L_dd = comparators.diagonal_dominance(H)
        L_opt = optimal_diagonal(H).L
        measured.append(dict(
            tau=tau, d=d, R1=examples.R1(D_inf, D_2, sigma),
            R2_dd=examples.R2(L_dd, D_inf, D_2), R2_opt=examples.R2(L_opt, D_inf, D_2),
            R1_closed=float(examples.R1_closed(d, tau)), R2_closed=float(examples.R2_closed(d, tau)),
        ))
for r in measured:
    print("tau={tau:<4g} d={d:<5d} R1 {R1:.4f} (closed {R1_closed:.4f})  R2[2diag H] {R2_dd:.4f} "
          "R2[optimal L] {R2_opt:.4f} (closed {R2_closed:.4f})".format(**r))

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for k, tau in enumerate(TAUS):
    rs = [r for r in measured if r["tau"] == tau]
    dd = np.array([r["d"] for r in rs])
    grid = np.unique(np.geomspace(dd.min(), dd.max(), 50).round().astype(int))
    axes[0].loglog(grid, examples.R1_closed(grid, tau), "-", color=f"C{k}", label=f"closed form, tau={tau:g}")
    axes[0].loglog(dd, [r["R1"] for r in rs], "o", color=f"C{k}", label=f"measured, tau={tau:g}")
    axes[1].loglog(grid, examples.R2_closed(grid, tau), "-", color=f"C{k}", label=f"closed form, tau={tau:g}")
    axes[1].loglog(dd, [r["R2_dd"] for r in rs], "o", color=f"C{k}", label="measured, L = 2 diag(H)")
    axes[1].loglog(dd, [r["R2_opt"] for r in rs], "x", color=f"C{k}", ms=8, label="measured, optimal L")
axes[0].set(xlabel="d", ylabel="R1 = C_var", title="R1 on exptail-logistic: measured vs closed form")
axes[1].set(xlabel="d", ylabel="R2 = C_bias", title="R2 on exptail-logistic: measured vs closed form")
for ax in axes:
    ax.legend(fontsize=6)
    ax.grid(True, which="both", alpha=0.3)
fig.tight_layout()
savefig(fig, "measured_ratios")
plt.show()

# %% [markdown]
# Checks. With $L = 2\,\mathrm{diag}(H)$ (the example's choice) the measured $R_2$ is the closed form
# up to the tiny ridge; $R_1$ uses the certified $\sigma$, which weights each sample by its worst-case
# $|\ell'|$ over $W$ (close to 1 on these large boxes), so it matches the closed form to within 1%.
# The optimal $L$ is a different vector (it is not $2\,\mathrm{diag}(H)$), so its $R_2$ is not the
# closed form; what must hold is that it decays in $d$ like $1/d$ too once the tail is resolved
# ($\tau d_{\min} \ge 4$: log-log slope within 0.25 of $-1$), and decreases in any case.

# %%
for r in measured:
    assert abs(r["R2_dd"] / r["R2_closed"] - 1) < 0.01, r
    assert abs(r["R1"] / r["R1_closed"] - 1) < 0.01, r
for tau in TAUS:
    rs = [r for r in measured if r["tau"] == tau]
    if len(rs) < 2:
        continue
    dd = np.log([r["d"] for r in rs])
    for key, want in (("R1", -0.5), ("R2_dd", -1.0), ("R2_opt", -1.0)):
        slope = np.polyfit(dd, np.log([r[key] for r in rs]), 1)[0]
        print(f"tau={tau:g} {key:7s} slope in d: {slope:+.3f} (Example B.1: {want:+.1f} for large d)")
        if tau * min(r["d"] for r in rs) >= 4:  # the tail is resolved: the asymptotic slope applies
            assert abs(slope - want) < 0.25, (tau, key, slope)
        else:  # short tail relative to d: the ratio is between the two regimes, still decreasing
            assert slope < 0, (tau, key, slope)

# %% [markdown]
# ## 3. AdaGrad vs SGD: bounds against observed errors
#
# For each $d$: `thm4.1` (AdaGrad, Option I, $\eta = D_\infty$) and `thmD.1` (SGD, Option I, Thm
# D.1's step size) on `exptail-logistic(d, tau)`, R seeded replicas, the quantity
# $E f(\bar w_T) - f^*$ with a 99% interval. The two bounds differ term by term exactly through
# the ratios: $\mathrm{bias}_{4.1}/\mathrm{bias}_{D.1} = \tfrac92 R_2$ and
# $\mathrm{var}_{4.1}/\mathrm{var}_{D.1} = \tfrac{3}{2\sqrt2} R_1$ (with the optimal diagonal $L$).

# %%
print(get("thm4.1").terms)
print(get("thmD.1").terms)
rows = []
for d in D_RUN:
    prob = instances.registry_spec("exptail-logistic", {"d": d, "n": max(4 * d, 256), "tau": TAU_RUN},
                                   label=f"exptail-logistic(d={d}, tau={TAU_RUN:g})")
    for tid in ("thm4.1", "thmD.1"):
        spec = theorem_check.spec(tid, prob, T=T, M=M, seeds=SEEDS, seed=0)
        result = theorem_check.compute(spec)
        row = theorem_check.summarise(spec, result, CONFIDENCE)
        # the problem's certified constants, from the same assembly the check used
        _, assembly = instances.instance(prob)
        row["constants"] = assembly.scalars(("D_inf", "D_2", "sigma_norm1", "sigma_norm2", "L_norm1",
                                             "L_norminf"))
        rows.append(row)
        print(f"{tid:7s} d={d:<5d} empirical {row['empirical']:.4g} [{row['ci_low']:.4g}, {row['ci_high']:.4g}]"
              f"  bound {row['bound']:.4g}  verdict {row['verdict']}")

# %%
ada = [r for r in rows if r["theorem"] == "thm4.1"]
sgd = [r for r in rows if r["theorem"] == "thmD.1"]
dd = np.array([r["d"] for r in ada])
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
for rs, name, c in ((ada, "AdaGrad (thm4.1)", "C0"), (sgd, "SGD (thmD.1)", "C3")):
    emp = np.array([r["empirical"] for r in rs])
    lo, hi = np.array([r["ci_low"] for r in rs]), np.array([r["ci_high"] for r in rs])
    axes[0].plot(dd, emp, "o-", color=c, label=f"{name}: observed E f(w_bar_T) - f*")
    axes[0].fill_between(dd, np.maximum(lo, 1e-12), hi, color=c, alpha=0.25)
    axes[0].plot(dd, [r["bound"] for r in rs], "--", color=c, label=f"{name}: explicit bound")
axes[0].set(xscale="log", yscale="log", xlabel="d", ylabel="E f(w_bar_T) - f*",
            title=f"exptail-logistic, tau={TAU_RUN:g}, T={T}, M={M}, {SEEDS} seeds (99% bands)")
bound_ratio = np.array([a["bound"] / s["bound"] for a, s in zip(ada, sgd)])
obs_ratio = np.array([a["empirical"] / s["empirical"] for a, s in zip(ada, sgd)])
R1m = np.array([examples.ratios(a["constants"])["R1"] for a in ada])
R2m = np.array([examples.ratios(a["constants"])["R2"] for a in ada])
axes[1].plot(dd, bound_ratio, "s--", color="C2", label="bound(4.1) / bound(D.1)")
axes[1].plot(dd, obs_ratio, "o-", color="C1", label="observed AdaGrad / SGD")
axes[1].plot(dd, R1m, ":", color="C4", label="R1 (measured)")
axes[1].plot(dd, R2m, "-.", color="C5", label="R2 (measured)")
axes[1].axhline(1.0, color="k", lw=0.8)
axes[1].set(xscale="log", yscale="log", xlabel="d", ylabel="ratio", title="AdaGrad / SGD")
for ax in axes:
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
fig.tight_layout()
savefig(fig, "adagrad_vs_sgd")
plt.show()
print("bound ratio", np.round(bound_ratio, 4), " observed ratio", np.round(obs_ratio, 4))

# %% [markdown]
# Checks:
# - every theorem check **holds** (99% interval of the observed error below the explicit bound);
# - the bounds' term ratios are exactly $\tfrac92 R_2$ (bias) and $\tfrac{3}{2\sqrt 2} R_1$ (variance);
# - AdaGrad's bound beats SGD's and its advantage grows with $d$ (the paper's prediction).
#
# The *observed* ratio is printed but not asserted to follow the bound ratio: both algorithms are far
# below their bounds (ratios ~1e-3), so the bounds do not determine which one is observed to be
# better at these sizes (a finding reported in the notes).

# %%
for r in rows:
    assert r["verdict"] == "holds", (r["theorem"], r["d"], r["verdict"])
for a, s, r1, r2 in zip(ada, sgd, R1m, R2m):
    assert np.isclose(a["terms"]["bias"] / s["terms"]["bias"], 4.5 * r2, rtol=1e-9)
    assert np.isclose(a["terms"]["variance"] / s["terms"]["variance"], 3 / (2 * np.sqrt(2)) * r1, rtol=1e-9)
assert np.all(bound_ratio < 1.0), bound_ratio
assert np.all(np.diff(bound_ratio) < 0), bound_ratio
