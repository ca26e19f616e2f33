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
# # Quickstart: from a theorem to a verdict
#
# **Claim tested** (Liu, Pan, Zhang 2025, Theorem 4.1): AdaGrad (Algorithm 1, Option I, $\eta = D_\infty$)
# on a convex, anisotropically smooth problem satisfies
# $$E f(\bar w_T) - f^* \le \tfrac92 \|L\|_1 D_\infty^2/T + 3 D_\infty \|\sigma\|_1/\sqrt{MT}
#   + \epsilon D_2^2/(D_\infty T).$$
#
# The tour: list the theorems (`boundcheck theorems`), read one (`boundcheck show`), get the constants of a
# problem (`boundcheck constants`), evaluate the bound (`boundcheck bound`), check it against computation
# (`boundcheck verify`), and read the table. Each CLI call has a Python-API twin; the notebook asserts they
# agree, and that the theorem holds.

# %% tags=["parameters"]
import os

SIZE = os.environ.get("BOUNDCHECK_NOTEBOOK_SIZE", "full")
if SIZE == "small":  # CI: well under a minute on two cores
    TS, SEEDS = (100, 1000), 16
else:
    TS, SEEDS = (100, 1000, 10000), 64
M = 8
PROBLEM = {"d": 32, "n": 512}  # exptail-logistic: the default problem of `boundcheck verify thm4.1`
FIG_DIR = os.environ.get("BOUNDCHECK_FIGURES")

# %%
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from boundcheck.theory.theorem import THEOREM_IDS, all_theorems, get

OUT = Path(FIG_DIR) if FIG_DIR else Path(tempfile.mkdtemp(prefix="boundcheck-quickstart-"))
CLI = [sys.executable, "-m", "boundcheck"]  # the `boundcheck` command, from this kernel's Python


def sh(*args, check=True):
    """Run the boundcheck CLI; return (exit code, stdout, stderr)."""
    p = subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "160"})
    if check and p.returncode not in (0, 1):
        raise RuntimeError(f"boundcheck {' '.join(map(str, args))} exited {p.returncode}: {p.stderr}")
    return p.returncode, p.stdout, p.stderr


# %% [markdown]
# ## 1. The theorems
# Every theorem of the paper (and the SGD / AdaGrad-Norm baselines it compares with), by contract id.

# %%
code, out, _ = sh("theorems")
print(out)
ids = [t.id for t in all_theorems()]
assert code == 0 and set(THEOREM_IDS) <= set(ids), ids
for tid in THEOREM_IDS:
    assert tid in out

# %% [markdown]
# ## 2. One theorem in full
# `show` prints the assumptions, the constants the bound needs, the exact quantity, the step size, the
# explicit bound (sum of named terms) and the proof chain: each step is proven by SymPy, or names the
# property test that checks it.

# %%
code, out, _ = sh("show", "thm4.1")
print(out[:3000], "..." if len(out) > 3000 else "")
thm = get("thm4.1")
steps = thm.derivation.check()
print({k: v for k, v in steps.items()})
assert code == 0
assert all(v is not False for v in steps.values()), "a SymPy step of Thm 4.1 fails"
assert all(thm.consistency().values()), thm.consistency()

# %% [markdown]
# ## 3. Constants of a problem, then the bound
# `boundcheck constants` computes what the theorems consume, with certificates: the optimal diagonal $L$
# (an SDP, with duality gap), $\sigma$ (certified over $W$), the diameters of the box $W$, $\Delta$, $f^*$.
# They go straight into `boundcheck bound`.

# %%
code, out, _ = sh("constants", "--problem", "exptail-logistic", *[x for k, v in PROBLEM.items()
                                                                 for x in ("-p", f"{k}={v}")], "--format", "json")
const = json.loads(out)
print({k: const[k] for k in ("d", "n", "L_norm1", "L_norminf", "sigma_norm1", "sigma_norm2", "D_inf", "D_2",
                             "Delta", "R1", "R2")})
print("certificate:", const["certificate"])
assert code == 0 and const["certificate"]["rel_gap"] <= 1e-6

names = ("L_norm1", "sigma_norm1", "D_inf", "D_2")
code, out, _ = sh("bound", "thm4.1", f"T={max(TS)}", f"M={M}", "eps=1e-8",
                  *[f"{k}={const[k]!r}" for k in names], "--format", "json")
cli_bound = json.loads(out)
print(json.dumps(cli_bound["terms"], indent=1))
print("explicit:", cli_bound["explicit"], " step size:", cli_bound["step_size"])

# the same through the Python API, and by hand from the formula
api = thm.evaluate({**{k: const[k] for k in names}, "T": max(TS), "M": M, "eps": 1e-8})
T_, D, D2, L1, s1 = max(TS), const["D_inf"], const["D_2"], const["L_norm1"], const["sigma_norm1"]
by_hand = 4.5 * L1 * D**2 / T_ + 3 * D * s1 / (M * T_) ** 0.5 + 1e-8 * D2**2 / (D * T_)
assert abs(cli_bound["explicit"] - api["explicit"]) <= 1e-12 * api["explicit"]
assert abs(api["explicit"] - by_hand) <= 1e-12 * by_hand
assert cli_bound["step_size"] == D  # eta = D_inf

# %% [markdown]
# Bad input never produces a traceback: one line naming the value and what is allowed, exit code 2.

# %%
code, out, err = sh("bound", "thm4.1", "T=-3", f"M={M}", check=False)
print("exit", code, "|", err.strip())
assert code == 2 and len(err.strip().splitlines()) == 1 and "T" in err and "Traceback" not in err

# %% [markdown]
# ## 4. Verify: the bound against computation
# `boundcheck verify thm4.1` runs AdaGrad with the theorem's step size on its default problem for R seeded
# replicas per T, and prints one row per cell. `--format json` (used here) gives the same rows plus
# provenance; without `--no-cache`, finished cells are kept in a results store and reused. `--plot` draws
# the empirical mean with its confidence band and the bound as a dashed line.

# %%
plot = OUT / "01_verify_thm41.png"
args = ["verify", "thm4.1", "--T", ",".join(map(str, TS)), "--M", M, "--seeds", SEEDS, "--no-cache", "-q"]
code, out, _ = sh(*args, "--format", "json", "--plot", plot)
report = json.loads(out)
rows = report["rows"]
# the table `boundcheck verify` prints by default (--format table), rendered from the same rows
from boundcheck.report.export import render  # noqa: E402

print(render(rows, report["provenance"], "table"))
print("provenance:", {k: report["provenance"][k] for k in ("boundcheck_version", "seed", "date", "platform")})

# %%
from IPython.display import Image, display  # noqa: E402

display(Image(filename=str(plot)))

# %% [markdown]
# ## 5. Reading the table
#
# | column | meaning |
# |---|---|
# | theorem, algorithm | the result checked and the algorithm it is about (Option I = projected onto W) |
# | problem, d | the problem (chosen to satisfy the assumptions, which are checked before running) |
# | T, M, seeds | iterations, batch size, number of seeded replicas R |
# | empirical (interval) | mean over replicas of the theorem's exact quantity, here $f(\bar w_T) - f^*$, with a 99% Student-t interval |
# | bound | the explicit bound evaluated on the problem's constants |
# | ratio | empirical / bound: how tight the bound is (1 = tight) |
# | verdict | `holds`: whole interval below the bound; `violated`: whole interval above; else `inconclusive` (or `diverged`/`error`) |
#
# Checks: exit code 0 (nothing violated), every row `holds`, the interval contains the estimate, ratio is
# empirical/bound, the bound at the largest T is the one `boundcheck bound` gave from `boundcheck constants`,
# and the Python API reproduces the CLI's row exactly (same seed, same bits).

# %%
import boundcheck  # noqa: E402  (the Python API, docs/api.md)

assert code == 0
for r in rows:
    print(f"T={r['T']:<6d} empirical {r['empirical']:.4g} in [{r['ci_low']:.4g}, {r['ci_high']:.4g}]  "
          f"bound {r['bound']:.4g}  ratio {r['ratio']:.3g}  -> {r['verdict']}")
    assert r["verdict"] == "holds" and r["ci_high"] < r["bound"]
    assert r["ci_low"] <= r["empirical"] <= r["ci_high"]
    assert abs(r["ratio"] - r["empirical"] / r["bound"]) <= 1e-12 * r["ratio"]
last = max(rows, key=lambda r: r["T"])
assert abs(last["bound"] - cli_bound["explicit"]) <= 1e-9 * cli_bound["explicit"], \
    (last["bound"], cli_bound["explicit"])

(row,) = boundcheck.verify_rows(["thm4.1"], T=last["T"], M=M, seeds=SEEDS)  # = boundcheck verify thm4.1 ...
assert (row["empirical"], row["ci_low"], row["ci_high"], row["bound"], row["verdict"]) == \
    (last["empirical"], last["ci_low"], last["ci_high"], last["bound"], last["verdict"])
print("Python API row == CLI row:", row["verdict"], row["empirical"])
