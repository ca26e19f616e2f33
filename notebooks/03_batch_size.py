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
# # Batch size at a fixed budget: AdaGrad is robust to large batches, SGD less so
#
# **Claim** (Liu, Pan, Zhang 2025, Sec. 6 and Table 3). At a fixed number of stochastic gradients
# $N = MT$, AdaGrad's training loss is nearly flat in the batch size $M$ while SGD's grows at large
# $M$: "when the batch size increases and the bias term becomes dominant, Adagrad is affected less
# than SGD". The theory behind it (Thm 4.1 vs Thm D.1 at $T = N/M$):
#
# $$\text{AdaGrad: } \tfrac92\|L\|_1 D_\infty^2 \tfrac{M}{N} + 3 D_\infty\|\sigma\|_1 \tfrac{1}{\sqrt N},\qquad
#   \text{SGD: } \|L\|_\infty D_2^2 \tfrac{M}{N} + 2\sqrt2 D_2\|\sigma\|_2 \tfrac{1}{\sqrt N}:$$
#
# the variance terms do not depend on $M$, the bias terms grow linearly in $M$, AdaGrad's with the
# smaller coefficient when $\tfrac92 R_2 < 1$ ($R_2 = C_{bias}$, Example B.1).
#
# This notebook runs `boundcheck sweep batch` (Python API) on a synthetic exponential-tail problem and
# on bundled real data: (a) the paper's protocol (grid $\eta \in \{10, 1, 0.1, 0.01\}$ x {constant,
# $\eta/\sqrt{t+1}$}, $w_0 \sim U(-0.05, 0.05)^d$, best final loss gap per $(M,$ algorithm$)$), and
# (b) the theorems' own step sizes with their explicit bounds.

# %% tags=["parameters"]
import os

SIZE = os.environ.get("BOUNDCHECK_NOTEBOOK_SIZE", "full")
if SIZE == "small":  # CI: well under a minute on two cores
    BUDGET = 4096
    MS = (1, 8, 64, 256)
    SEEDS = 8
    DATA = ("sklearn:breast_cancer",)
    SYNTH_D = 64
else:  # closer to the paper (Table 3: M = 1..1024); minutes
    BUDGET = 65536
    MS = (1, 4, 16, 64, 256, 1024)
    SEEDS = 32
    DATA = ("sklearn:breast_cancer", "sklearn:digits")
    SYNTH_D = 256
SYNTH_TAU = 0.5
CONFIDENCE = 0.99
FIG_DIR = os.environ.get("BOUNDCHECK_FIGURES")

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from boundcheck.theory import examples
from boundcheck.verify import cells, instances, sweeps


def savefig(fig, name):
    """Keep the figure for CI artefacts when BOUNDCHECK_FIGURES is set."""
    if FIG_DIR:
        fig.savefig(os.path.join(FIG_DIR, f"03_{name}.png"), dpi=110, bbox_inches="tight")


problems = [instances.registry_spec("exptail-logistic", {"d": SYNTH_D, "n": 8 * SYNTH_D, "tau": SYNTH_TAU},
                                    label=f"exptail-logistic(d={SYNTH_D}, tau={SYNTH_TAU:g})")]
problems += [instances.data_spec(src, "logistic", 1e-3) for src in DATA]

# %% [markdown]
# ## Run the sweep
# Both modes for every problem (`step_mode="both"`): grid cells (no bound applies to a tuned grid)
# and theorem cells (`thm4.1` AdaGrad and `thmD.1` SGD, Option I, with their bounds).

# %%
outcomes, rows = [], []
for prob in problems:
    specs = sweeps.batch_plan(problem=prob, budget=BUDGET, Ms=list(MS), step_mode="both", seeds=SEEDS, seed=0)
    outs = cells.execute(specs, debug=True)
    outcomes += outs
    rows += sweeps.batch_rows(outs, CONFIDENCE)
labels = [instances.label(p) for p in problems]


def series(problem, check, algorithm, key="empirical"):
    rs = sorted((r for r in rows if r["problem"] == problem and r["check"] == check and r["algorithm"] == algorithm),
                key=lambda r: r["M"])
    return np.array([r["M"] for r in rs]), np.array([np.nan if r[key] is None else r[key] for r in rs]), rs


print(f"{'problem':34s} {'mode':14s} {'alg':8s}  " + "  ".join(f"M={M:<7d}" for M in MS))
for lab in labels:
    for check in ("batch-grid", "batch-theorem"):
        for alg in ("adagrad", "sgd"):
            _, emp, _ = series(lab, check, alg)
            print(f"{lab:34s} {check:14s} {alg:8s}  " + "  ".join(f"{v:<9.3g}" for v in emp))

# A theorem cell on a problem that fails one of the theorem's assumption checks is refused (verdict
# `error`, reason in the note), never silently used: such a problem keeps only its grid rows here.
refused = {r["problem"]: r.get("note", "") for r in rows if r["check"] == "batch-theorem" and r["verdict"] == "error"}
checked = [lab for lab in labels if lab not in refused]
for lab, note in refused.items():
    print(f"theorem cells refused on {lab}: {note[:300]}")

# %% [markdown]
# ## The bounds' prediction
# From each problem's constants (the same ones the theorem cells used): the bias/variance crossover
# batch size $M^*$ of each bound at this budget (bias = variance), and $\tfrac92 R_2$, the ratio of
# AdaGrad's bias coefficient to SGD's.

# %%
pred = {}
for lab in checked:
    prob = problems[labels.index(lab)]
    _, assembly = instances.instance(prob)  # the certified constants the checks used
    c = {**assembly.scalars(("D_inf", "D_2", "sigma_norm1", "sigma_norm2", "L_norm1", "L_norminf")),
         "d": instances.instance(prob)[0].d}
    R1, R2 = (examples.ratios(c)[k] for k in ("R1", "R2"))
    M_ada = (2 / 3) * c["sigma_norm1"] * math.sqrt(BUDGET) / (c["D_inf"] * c["L_norm1"])
    M_sgd = 2 * math.sqrt(2) * c["sigma_norm2"] * math.sqrt(BUDGET) / (c["D_2"] * c["L_norminf"])
    pred[lab] = dict(R1=R1, R2=R2, M_ada=M_ada, M_sgd=M_sgd)
    print(f"{lab:34s} d={c['d']:<4.0f} R1={R1:.3f} R2={R2:.3f} (9/2) R2={4.5 * R2:.3f}  "
          f"M*(AdaGrad)={M_ada:.3g}  M*(SGD)={M_sgd:.3g}")

# %%
fig, axes = plt.subplots(len(labels), 2, figsize=(12, 4.0 * len(labels)), squeeze=False)
for i, lab in enumerate(labels):
    ax = axes[i][0]
    for alg, c in (("adagrad", "C0"), ("sgd", "C3")):
        Ms, emp, rs = series(lab, "batch-grid", alg)
        lo = np.array([r["ci_low"] for r in rs], float)
        hi = np.array([r["ci_high"] for r in rs], float)
        ax.plot(Ms, emp, "o-", color=c, label=f"{alg} (best of grid)")
        ax.fill_between(Ms, np.maximum(lo, 1e-12), hi, color=c, alpha=0.25)
    ax.set(xscale="log", yscale="log", xlabel=f"batch size M (T = {BUDGET}/M)", ylabel="E f(w_T) - f*",
           title=f"{lab}: paper's grid protocol (99% bands)")
    ax = axes[i][1]
    if lab in refused:
        ax.text(0.5, 0.5, f"theorem cells refused:\n{refused[lab][:80]}", ha="center", va="center",
                transform=ax.transAxes, fontsize=8, wrap=True)
        ax.set_axis_off()
        axes[i][0].legend(fontsize=7)
        axes[i][0].grid(True, which="both", alpha=0.3)
        continue
    for alg, c in (("adagrad", "C0"), ("sgd", "C3")):
        Ms, emp, rs = series(lab, "batch-theorem", alg)
        lo = np.array([r["ci_low"] for r in rs], float)
        hi = np.array([r["ci_high"] for r in rs], float)
        name = "thm4.1 AdaGrad" if alg == "adagrad" else "thmD.1 SGD"
        ax.plot(Ms, emp, "o-", color=c, label=f"{name}: observed")
        ax.fill_between(Ms, np.maximum(lo, 1e-12), hi, color=c, alpha=0.25)
        ax.plot(Ms, [r["bound"] for r in rs], "--", color=c, label=f"{name}: explicit bound")
        Mstar = pred[lab]["M_ada" if alg == "adagrad" else "M_sgd"]
        if MS[0] <= Mstar <= MS[-1]:
            ax.axvline(Mstar, color=c, ls=":", lw=1)
    ax.set(xscale="log", yscale="log", xlabel=f"batch size M (T = {BUDGET}/M)", ylabel="E f(w_bar_T) - f*",
           title=f"{lab}: theorem step sizes vs bounds (dotted: M*)")
    for ax in axes[i]:
        ax.legend(fontsize=7)
        ax.grid(True, which="both", alpha=0.3)
fig.tight_layout()
savefig(fig, "batch")
plt.show()

# %% [markdown]
# Degradation at a fixed budget: the loss gap at the largest $M$ over the best gap across $M$ (1 = flat),
# observed, next to the same ratio of the explicit bounds.

# %%
degr = {}
for lab in labels:
    for check in ("batch-grid", "batch-theorem") if lab in checked else ("batch-grid",):
        for alg in ("adagrad", "sgd"):
            Ms, emp, rs = series(lab, check, alg)
            degr[(lab, check, alg)] = emp[-1] / np.min(emp)
            if check == "batch-theorem":
                b = np.array([r["bound"] for r in rs])
                degr[(lab, "bound", alg)] = b[-1] / np.min(b)
for key, v in degr.items():
    print(f"{key[0]:34s} {key[1]:14s} {key[2]:8s} gap(M={MS[-1]}) / best = {v:.3g}")

# %% [markdown]
# ## Checks
#
# 1. Every theorem cell **holds** (interval below the explicit bound).
# 2. The bounds' structure at fixed $N$: the bias term scales exactly like $M$, the variance term
#    does not depend on $M$ (up to AdaGrad's $\epsilon$ term).
# 3. Observed, both protocols, every problem: AdaGrad's degradation from its best $M$ to the largest
#    $M$ is smaller than SGD's - the paper's "affected less than SGD".
# 4. "Nearly flat", read as loosely as the paper's own Table 3 (a9a: AdaGrad between 0.12 and 0.20, a
#    factor 1.7): AdaGrad's tuned gap varies by less than a factor 2 over $M \le N/64$ (at least 64
#    iterations); at small size we see factors ~1.3-1.4. At the largest batch size (T = 16 here) it
#    is **not** flat: it grows by ~1.3-2.5x over its best - reported, not asserted away.
#
# Not asserted, because the data do not support it at these sizes (findings): the paper's "Adagrad
# constantly provides faster convergence than SGD" (tuned SGD is sometimes better here, see the table),
# and a bound-level prediction that AdaGrad degrades less: its bound grows by $\tfrac92 R_2$ times
# SGD's growth (asserted exactly), which is < 1 only when $R_2 < 2/9$ - true on the exponential-tail
# problem, not on breast_cancer (printed above).
#
# **Full size is a finding, not a pass.** At `SIZE = "full"` (N = 65536, M up to 1024, 32 seeds) checks
# 3 (grid protocol) and 4 fail on our problems: e.g. on `exptail-logistic(d=256)` AdaGrad's tuned gap
# grows 6.2x from its best M to M = 1024 while SGD's (non-monotone in M) ends 2.1x above its best, and
# AdaGrad is not within 2x of flat over M <= N/64. With the theorems' step sizes AdaGrad still degrades
# far less than SGD (5x vs 64x). So the paper's Table-3 behaviour reproduces at the small budget only;
# the notebook fails at full size on purpose rather than hide that. (Theorem cells on `sklearn:digits`
# used to be refused by a Monte-Carlo check of Assumption 3.4 that is invalid for its heavy-tailed
# per-sample gradients; that check is now exact for finite sums, so they run.)

# %%
theorem_rows = [r for r in rows if r["check"] == "batch-theorem" and r["problem"] in checked]
assert theorem_rows and all(r["verdict"] == "holds" for r in theorem_rows), \
    [(r["problem"], r["algorithm"], r["M"], r["verdict"]) for r in theorem_rows if r["verdict"] != "holds"]
for lab in labels:
    for alg in ("adagrad", "sgd") if lab in checked else ():
        Ms, _, rs = series(lab, "batch-theorem", alg)
        bias = np.array([r["terms"]["bias"] for r in rs])
        var = np.array([r["terms"]["variance"] for r in rs])
        np.testing.assert_allclose(bias / bias[0], Ms / Ms[0], rtol=1e-9)
        np.testing.assert_allclose(var, var[0], rtol=1e-9)
    for check in ("batch-grid", "batch-theorem") if lab in checked else ("batch-grid",):
        a, s = degr[(lab, check, "adagrad")], degr[(lab, check, "sgd")]
        assert a < s, f"{lab} {check}: AdaGrad degrades {a:.3g}x, SGD {s:.3g}x"
    Ms, emp, _ = series(lab, "batch-grid", "adagrad")
    flat = emp[Ms <= BUDGET // 64]
    assert flat.max() / flat.min() < 2.0, (lab, flat)
# the bound-level prediction: the absolute growth of the bound from M = 1 to the largest M is the
# bias coefficient times (M - 1)/N, so AdaGrad's growth / SGD's growth is exactly (9/2) R2
for lab in checked:
    _, _, ra = series(lab, "batch-theorem", "adagrad")
    _, _, rs_ = series(lab, "batch-theorem", "sgd")
    growth = (ra[-1]["bound"] - ra[0]["bound"]) / (rs_[-1]["bound"] - rs_[0]["bound"])
    print(f"{lab}: bound growth AdaGrad / SGD = {growth:.4g}, (9/2) R2 = {4.5 * pred[lab]['R2']:.4g}")
    assert math.isclose(growth, 4.5 * pred[lab]["R2"], rel_tol=1e-6), (lab, growth)
