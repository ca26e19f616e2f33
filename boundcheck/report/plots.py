"""Plots of verification rows (matplotlib, Agg backend): each command's claim, drawn.

Every function takes the tidy rows of the JSON schema (README, "Output schema") and a path
(.png, .pdf or .svg), and writes the file with :func:`boundcheck.report.export.atomic_write`
(through symlinks, never to a device or FIFO). :func:`plot` picks the right one from the rows'
``check`` field.

- :func:`plot_rows` (``verify``): one log-log panel per (theorem, algorithm, problem, d, M)
  with several T: the empirical mean and its confidence band against T, the explicit bound
  dashed; a panel of ``empirical / bound`` with interval whiskers for single-T rows.
- :func:`plot_T_sweep` (``sweep T``): per theorem, the data with its band, the fitted
  log-log slope with its interval (a wedge through the data's centre), the bound and its
  slope, and the bound's bias/variance crossover T.
- :func:`plot_batch_sweep` (``sweep batch``): error against M at the fixed budget, per
  algorithm with bands: the paper's grid (best step size, which is annotated) and the
  theorems' step sizes beside their explicit bounds.
- :func:`plot_dimension_sweep` (``sweep dimension``): the comparison rows on their own axis
  (observed AdaGrad/SGD error ratio against the ratio of the bounds, against d, per tau),
  and the theorem checks behind them.

Conventions: the y label is the bounded quantity's math (mathtext, from the theorem's
``quantity_latex``); a panel without a bound says why ("O-form only: no explicit bound");
on a log axis an interval end <= 0 is clipped to the positive data range and the panel says
so, so it never stretches the axis.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from boundcheck.report.rows import clean
from boundcheck.validation import InputError

_EXTENSIONS = (".png", ".pdf", ".svg")
_ALGO_COLOR = {"adagrad": "C0", "sgd": "C1", "adagrad-norm": "C2"}
_BAND_ALPHA = 0.3
#: Quantities that are not a theorem's (their LaTeX is not on a Theorem object).
_EXTRA_LATEX = {"last_iterate_gap": r"\mathbb{E} f(w_T) - f_*"}
#: Lemma rows measure one side of the lemma along a run (boundcheck.verify.lemma_check).
_LEMMA_LATEX = {
    "lemmaE.2": r"\mathbb{E}\sum_j \sqrt{\sum_{t<T} n_{t,j}^2}",
    "lemma(17)": r"\sum_{t<T} \|g_t\|^2_{\Lambda_t^{-1}}",
    "lemmaF.4": r"\mathbb{E}\,\mathrm{tr}(\Lambda_{T-1})",
    "lemmaC.2": r"\sum_j \mathbb{E}\, n_j^2",
}
_NO_BOUND = "O-form only: no explicit bound"


# ---------------------------------------------------------------------- labels
def to_mathtext(latex: str) -> str:
    """LaTeX of the theory layer in the subset matplotlib's mathtext parses (``\\Big(`` ->
    ``\\left(``, ``\\frac1T`` -> ``\\frac{1}{T}``, ``\\mathbb E`` -> ``\\mathbb{E}``, ...)."""
    s = latex
    s = re.sub(r"\\mathbb\s*([A-Za-z])", r"\\mathbb{\1}", s)
    s = re.sub(r"\\[Bb]igg?\(", r"\\left(", s)
    s = re.sub(r"\\[Bb]igg?\)", r"\\right)", s)
    s = re.sub(r"\\[Bb]igg?\[", r"\\left[", s)
    s = re.sub(r"\\[Bb]igg?\]", r"\\right]", s)
    s = s.replace(r"\tfrac", r"\frac").replace(r"\dfrac", r"\frac").replace(r"\textstyle", "")
    s = re.sub(r"\\frac\s*([A-Za-z0-9])\s*([A-Za-z0-9])", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\tr(?![A-Za-z])", r"\\mathrm{tr}", s)
    return s


@lru_cache(maxsize=None)
def _parses(math: str) -> bool:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("agg").parse(f"${math}$")
    except Exception:  # noqa: BLE001 - any parse failure means: use the plain text
        return False
    return True


@lru_cache(maxsize=None)
def _theorem_latex() -> dict[str, str]:
    from boundcheck.theory.theorem import all_theorems

    out = dict(_EXTRA_LATEX)
    for thm in all_theorems():
        out.setdefault(thm.quantity_id, thm.quantity_latex)
        out.setdefault(thm.id, thm.quantity_latex)
    return out


def quantity_label(row: dict) -> str:
    """The axis label of a row's quantity: its math as mathtext (``$...$``) when known and
    parseable, else the row's own quantity text."""
    latex = _theorem_latex()
    qid, theorem = row.get("quantity"), row.get("theorem")
    source = latex.get(qid) or _LEMMA_LATEX.get(theorem) or latex.get(theorem)
    if source:
        math = to_mathtext(source)
        if _parses(math):
            return f"${math}$"
    text = str(qid or "quantity")
    return text.replace("$", r"\$")


# ---------------------------------------------------------------------- helpers
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _check_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in _EXTENSIONS:
        raise InputError(f"--plot {str(path)!r}: allowed extensions .png, .pdf, .svg")
    return path


def _save(fig, path: Path) -> Path:
    from boundcheck.report.export import atomic_write

    plt = _pyplot()
    try:
        return atomic_write("--plot", path,
                            lambda tmp: fig.savefig(tmp, dpi=110, format=path.suffix.lower()[1:]))
    finally:
        plt.close(fig)


def _positive(values) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v) and v > 0]


def _band(ax, x, mean, lo, hi, color, label, *, log_y: bool) -> bool:
    """Mean line with markers and a shaded interval with edge lines. On a log axis, interval
    ends <= 0 are clipped to the smallest positive value drawn; returns True if any was."""
    lo = [m if v is None else v for v, m in zip(lo, mean)]
    hi = [m if v is None else v for v, m in zip(hi, mean)]
    clipped = False
    if log_y:
        floor = min(_positive(list(mean) + lo + hi) or [1.0])
        clipped = any(v <= 0 for v in lo)
        lo = [v if v > 0 else floor for v in lo]
    ax.fill_between(x, lo, hi, color=color, alpha=_BAND_ALPHA, linewidth=0)
    ax.plot(x, lo, color=color, alpha=0.7, linewidth=0.8)
    ax.plot(x, hi, color=color, alpha=0.7, linewidth=0.8)
    ax.plot(x, mean, "o-", color=color, label=label, linewidth=1.8, markersize=4)
    return clipped


def _say_clipped(ax) -> None:
    ax.text(0.02, 0.98, "interval ends <= 0 clipped to the\nsmallest positive value (log axis)",
            transform=ax.transAxes, fontsize=7, color="0.35", va="top")


def _say_no_bound(ax, why: str = _NO_BOUND) -> None:
    ax.text(0.98, 0.97, why, transform=ax.transAxes, fontsize=8, ha="right", va="top",
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.6"})


def _title(text: str, width: int = 48) -> str:
    """A panel title wrapped at spaces so it stays within a panel."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _level(rows) -> int:
    return int(round(100 * float(rows[0].get("confidence") or 0.99)))


def _grid_axes(plt, n: int, *, width: float = 5.4, height: float = 4.0, ncols: int = 2):
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False,
                             layout="constrained")
    flat = [ax for row in axes for ax in row]
    for ax in flat[n:]:
        ax.axis("off")
    return fig, flat[:n]


# ---------------------------------------------------------------------- verify
def _group_key(r: dict) -> tuple:
    theorem = r.get("theorem")
    if r.get("delta") is not None:  # a probability-upper row: one series per delta (issue 12)
        theorem = f"{theorem} delta={r['delta']:g}"
    return (theorem, r.get("algorithm"), r.get("problem"), r.get("M"), r.get("d"))


def plot_rows(rows: list[dict], path: str | Path, title: str | None = None) -> Path:
    """``verify``'s plot (module docstring): series in T, and single-T rows as ratios."""
    path = _check_path(path)
    return _save(figure_rows(rows, title), path)


def figure_rows(rows: list[dict], title: str | None = None):
    """The figure of :func:`plot_rows` (a matplotlib Figure; the caller closes it)."""
    plt = _pyplot()
    rows = [clean(r) for r in rows if r.get("empirical") is not None and isinstance(r.get("T"), int)]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[_group_key(r)].append(r)
    series = {k: sorted(v, key=lambda r: r["T"]) for k, v in groups.items() if len({r["T"] for r in v}) >= 2}
    singles = [r for k, v in groups.items() if k not in series for r in v]
    n_panels = len(series) + (1 if singles else 0)
    if n_panels == 0:
        raise InputError("nothing to plot: no row has an empirical value")
    fig, axes = _grid_axes(plt, n_panels, ncols=3)
    for ax, (key, rs) in zip(axes, series.items()):
        T = [r["T"] for r in rs]
        what = "empirical (1-delta)-quantile" if rs[0].get("delta") is not None else "empirical mean"
        clipped = _band(ax, T, [r["empirical"] for r in rs], [r["ci_low"] for r in rs],
                        [r["ci_high"] for r in rs], "C0", f"{what}, {_level(rs)}% interval", log_y=True)
        bounded = [r for r in rs if r.get("bound") is not None and r["bound"] > 0]
        if bounded:
            ax.plot([r["T"] for r in bounded], [r["bound"] for r in bounded], "--", color="C3", linewidth=1.8,
                    label="explicit bound")
        else:
            _say_no_bound(ax)
        if clipped:
            _say_clipped(ax)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("$T$ (iterations)")
        ax.set_ylabel(quantity_label(rs[0]))
        theorem, algorithm, problem, M, d = key
        ax.set_title(_title(f"{theorem}: {algorithm} on {problem} (d={d}, M={M})"), fontsize=9)
        ax.legend(fontsize=7, loc="lower left" if not clipped else "center left")
        ax.grid(True, which="both", alpha=0.3)
    if singles:
        _ratio_panel(axes[len(series)], singles)
    if title:
        fig.suptitle(title)
    return fig


def _ratio_panel(ax, singles: list[dict]) -> None:
    """``empirical / bound`` per single-T row, one line of label each; rows without a bound
    are listed as such."""
    labels, ratios, lo, hi, unbounded = [], [], [], [], []
    for r in singles:
        label = f"{r['theorem']} · {r['algorithm']} · T={r['T']}, M={r['M']}"
        if not r.get("bound"):
            unbounded.append(label)
            continue
        b = r["bound"]
        labels.append(label)
        ratio = r["empirical"] / b
        ratios.append(ratio)
        lo.append(r["ci_low"] / b if r["ci_low"] is not None else ratio)
        hi.append(r["ci_high"] / b if r["ci_high"] is not None else ratio)
    if ratios:
        positive = _positive(ratios + lo + hi + [1.0])
        log_x = max(positive) / min(positive) > 20
        clipped = log_x and any(v <= 0 for v in lo)
        if log_x:
            lo = [v if v > 0 else min(positive) for v in lo]
        y = list(range(len(ratios)))
        ax.errorbar(ratios, y, xerr=[[max(m - a, 0) for m, a in zip(ratios, lo)],
                                     [max(b - m, 0) for m, b in zip(ratios, hi)]],
                    fmt="o", color="C0", capsize=3, label="empirical / bound (interval)")
        ax.axvline(1.0, color="C3", linestyle="--", label="bound (ratio 1)")
        ax.set_yticks(y)
        ax.set_yticklabels(labels, fontsize=7)
        ax.invert_yaxis()
        if log_x:
            ax.set_xscale("log")
        if clipped:
            _say_clipped(ax)
        ax.set_xlabel("empirical / explicit bound (left of 1: holds)")
        ax.legend(fontsize=7, loc="lower right")
        ax.grid(True, axis="x", which="both", alpha=0.3)
    if unbounded:
        _say_no_bound(ax, _NO_BOUND + ":\n" + "\n".join(unbounded))
    if not ratios:
        ax.set_xticks([])
        ax.set_yticks([])


# ---------------------------------------------------------------------- sweep T
def plot_T_sweep(rows: list[dict], path: str | Path, title: str | None = None) -> Path:
    """``sweep T``'s plot: :func:`figure_T_sweep` written to ``path``."""
    path = _check_path(path)
    return _save(figure_T_sweep(rows, title), path)


def figure_T_sweep(rows: list[dict], title: str | None = None):
    """``sweep T``: per theorem (rate row), the per-T data with its band; the fitted slope
    with its interval, drawn as a line and wedge through the centre of the data in log-log
    coordinates (the least-squares line passes through the mean of log T and log y); the
    explicit bound and its slope; the predicted bias/variance crossover T."""
    plt = _pyplot()
    rows = [clean(r) for r in rows]
    rates = [r for r in rows if r.get("check") == "rate"]
    if not rates:
        raise InputError("nothing to plot: no rate row (sweep T rows have check='rate')")
    fig, axes = _grid_axes(plt, len(rates), width=6.2, height=4.6)
    for ax, rate in zip(axes, rates):
        pts = sorted((r for r in rows if r.get("check") == "theorem" and r.get("theorem") == rate["theorem"]
                      and r.get("problem") == rate["problem"] and r.get("empirical") is not None
                      and isinstance(r.get("T"), int)), key=lambda r: r["T"])
        ax.set_xscale("log")
        ax.set_yscale("log")
        if not pts:
            _say_no_bound(ax, "no per-T rows to draw")
            continue
        T = [r["T"] for r in pts]
        emp = [r["empirical"] for r in pts]
        clipped = _band(ax, T, emp, [r["ci_low"] for r in pts], [r["ci_high"] for r in pts], "C0",
                        f"empirical mean, {_level(pts)}% interval", log_y=True)
        fit_pts = [(t, e) for t, e in zip(T, emp) if e > 0]
        slope, s_lo, s_hi = rate.get("empirical"), rate.get("ci_low"), rate.get("ci_high")
        if slope is not None and fit_pts:
            lx = sum(math.log(t) for t, _ in fit_pts) / len(fit_pts)
            ly = sum(math.log(e) for _, e in fit_pts) / len(fit_pts)
            xs = [min(T), max(T)]

            def line(s):
                return [math.exp(ly + s * (math.log(x) - lx)) for x in xs]

            if s_lo is not None and s_hi is not None:
                fine = [math.exp(math.log(xs[0]) + k * (math.log(xs[1]) - math.log(xs[0])) / 40) for k in range(41)]
                a = [math.exp(ly + s_lo * (math.log(x) - lx)) for x in fine]
                b = [math.exp(ly + s_hi * (math.log(x) - lx)) for x in fine]
                ax.fill_between(fine, [min(u, v) for u, v in zip(a, b)], [max(u, v) for u, v in zip(a, b)],
                                color="C2", alpha=0.18, linewidth=0)
                fit_label = f"fitted slope {slope:.3g} [{s_lo:.3g}, {s_hi:.3g}]"
            else:
                fit_label = f"fitted slope {slope:.3g}"
            ax.plot(xs, line(slope), "-.", color="C2", linewidth=2.2, label=fit_label, zorder=5)
        bounded = [r for r in pts if r.get("bound") is not None and r["bound"] > 0]
        if bounded:
            b_slope = rate.get("bound")
            label = "explicit bound" + (f" (slope {b_slope:.3g} over this range)" if b_slope is not None else "")
            ax.plot([r["T"] for r in bounded], [r["bound"] for r in bounded], "--", color="C3", linewidth=1.8,
                    label=label)
        else:
            _say_no_bound(ax)
        cx = rate.get("crossover_T")
        if cx is not None and cx > 0:
            lo_T, hi_T = min(T), max(T)
            if lo_T / 3 <= cx <= hi_T * 3:
                ax.axvline(cx, color="0.4", linestyle=":", label=f"bound's bias = variance at T = {cx:.3g}")
            else:
                side = "left" if cx < lo_T else "right"
                ax.text(0.02 if side == "left" else 0.98, 0.55,
                        f"bound's bias = variance\nat T = {cx:.3g} ({side} of this range)",
                        transform=ax.transAxes, fontsize=7, color="0.3", ha=side)
        if clipped:
            _say_clipped(ax)
        ax.set_xlabel("$T$ (iterations)")
        ax.set_ylabel(quantity_label(pts[0]))
        ax.set_title(_title(f"{rate['theorem']}: {rate['algorithm']} on {rate['problem']} "
                            f"(d={rate['d']}, M={rate['M']})"), fontsize=9)
        ax.legend(fontsize=7, loc="lower left")
        ax.grid(True, which="both", alpha=0.3)
    if title:
        fig.suptitle(title)
    return fig


# ---------------------------------------------------------------------- sweep batch
def _eta_text(r: dict) -> str:
    eta, sched = r.get("eta"), r.get("schedule")
    if eta is None:
        return ""
    return f"η={eta:g}" + ("/√t" if sched == "sqrt-decay" else "")


def plot_batch_sweep(rows: list[dict], path: str | Path, title: str | None = None) -> Path:
    """``sweep batch``'s plot: :func:`figure_batch_sweep` written to ``path``."""
    path = _check_path(path)
    return _save(figure_batch_sweep(rows, title), path)


def figure_batch_sweep(rows: list[dict], title: str | None = None):
    """``sweep batch``: per problem, two panels against M at the fixed budget N = M T: the
    paper's grid (best step size per point, annotated; the final loss gap E f(w_T) - f*) and
    the theorems' step sizes (their quantity E f(w_bar_T) - f*) with their explicit bounds
    dashed beside the data, per algorithm with bands."""
    plt = _pyplot()
    rows = [clean(r) for r in rows if r.get("check") in ("batch-grid", "batch-theorem")]
    if not rows:
        raise InputError("nothing to plot: no batch row (check 'batch-grid' or 'batch-theorem')")
    problems = list(dict.fromkeys(r["problem"] for r in rows))
    checks = [c for c in ("batch-grid", "batch-theorem") if any(r["check"] == c for r in rows)]
    fig, axes = plt.subplots(len(problems), len(checks), figsize=(6.0 * len(checks), 4.4 * len(problems)),
                             squeeze=False, layout="constrained")
    for i, prob in enumerate(problems):
        for j, check in enumerate(checks):
            ax = axes[i][j]
            rs = [r for r in rows if r["problem"] == prob and r["check"] == check]
            clipped, any_bound = False, False
            for algo in dict.fromkeys(r["algorithm"] for r in rs):
                pts = sorted((r for r in rs if r["algorithm"] == algo and r.get("empirical") is not None),
                             key=lambda r: r["M"])
                if not pts:
                    continue
                color = _ALGO_COLOR.get(algo, "C4")
                name = pts[0]["theorem"] if check == "batch-theorem" else algo
                label = f"{algo} ({name})" if check == "batch-theorem" else f"{algo}, best of the grid"
                Ms = [r["M"] for r in pts]
                clipped |= _band(ax, Ms, [r["empirical"] for r in pts], [r["ci_low"] for r in pts],
                                 [r["ci_high"] for r in pts], color, label, log_y=True)
                if check == "batch-grid":
                    for r in pts:
                        ax.annotate(_eta_text(r), (r["M"], r["empirical"]), textcoords="offset points",
                                    xytext=(0, 6 if algo == "adagrad" else -11), ha="center", fontsize=6,
                                    color=color)
                bounded = [r for r in pts if r.get("bound") is not None and r["bound"] > 0]
                if bounded:
                    any_bound = True
                    ax.plot([r["M"] for r in bounded], [r["bound"] for r in bounded], "--", color=color,
                            linewidth=1.6, label=f"{name}'s explicit bound")
            if check != "batch-grid" and not any_bound:
                _say_no_bound(ax)
            if clipped:
                _say_clipped(ax)
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            budget = next((r.get("budget") for r in rs if r.get("budget")), None)
            ax.set_xlabel(f"batch size $M$ (T = N / M, N = {budget})" if budget else "batch size $M$")
            ax.set_ylabel(quantity_label(rs[0]) if rs else "")
            what = ("paper's grid (Appendix A), best step size: no bound applies" if check == "batch-grid"
                    else "theorems' step sizes and bounds")
            ax.set_title(_title(f"{prob}: {what}", 70), fontsize=9)
            # below the panel: inside it would cover the notes and the step-size labels
            ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
            ax.grid(True, which="both", alpha=0.3)
    if title:
        fig.suptitle(title)
    return fig


# ---------------------------------------------------------------------- sweep dimension
def plot_dimension_sweep(rows: list[dict], path: str | Path, title: str | None = None) -> Path:
    """``sweep dimension``'s plot: :func:`figure_dimension_sweep` written to ``path``."""
    path = _check_path(path)
    return _save(figure_dimension_sweep(rows, title), path)


def figure_dimension_sweep(rows: list[dict], title: str | None = None):
    """``sweep dimension``: left, the comparison rows on their own axis: the observed ratio
    E gap(AdaGrad) / E gap(SGD) with its interval (solid) and the ratio of the explicit
    bounds, the prediction (dashed), against d per tau; below 1 AdaGrad is ahead. Right, the
    theorem checks behind them: observed error and bound against d, per algorithm and tau."""
    plt = _pyplot()
    rows = [clean(r) for r in rows]
    ratios = [r for r in rows if r.get("check") == "dimension"]
    checks = [r for r in rows if r.get("check") == "dimension-theorem" and r.get("empirical") is not None]
    if not ratios and not checks:
        raise InputError("nothing to plot: no dimension row (check 'dimension' or 'dimension-theorem')")
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), squeeze=False, layout="constrained")
    ax = axes[0][0]
    taus = sorted({r.get("tau") for r in ratios if r.get("tau") is not None})
    clipped = False
    for k, tau in enumerate(taus):
        pts = sorted((r for r in ratios if r.get("tau") == tau and r.get("empirical") is not None),
                     key=lambda r: r["d"])
        if not pts:
            continue
        color = f"C{k}"
        ds = [r["d"] for r in pts]
        clipped |= _band(ax, ds, [r["empirical"] for r in pts], [r["ci_low"] for r in pts],
                         [r["ci_high"] for r in pts], color, f"τ={tau:g}: observed", log_y=True)
        pred = [r for r in pts if r.get("bound") is not None and r["bound"] > 0]
        if pred:
            ax.plot([r["d"] for r in pred], [r["bound"] for r in pred], "s--", color=color, markersize=4,
                    label=f"τ={tau:g}: predicted (ratio of bounds)")
    ax.axhline(1.0, color="0.3", linewidth=1, label="AdaGrad = SGD")
    if clipped:
        _say_clipped(ax)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("dimension $d$")
    ax.set_ylabel(r"$\mathbb{E}\,\mathrm{gap}_{\mathrm{AdaGrad}}\,/\,\mathbb{E}\,\mathrm{gap}_{\mathrm{SGD}}$"
                  "  (gap = $f(\\bar w_T) - f_*$)")
    ax.set_title("comparison: observed vs predicted ratio (below 1: AdaGrad ahead)", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    ax.grid(True, which="both", alpha=0.3)

    ax = axes[0][1]
    clipped = False
    tau_of = {}
    for r in ratios:
        tau_of[r["problem"]] = r.get("tau")
    styles = {"adagrad": "-", "sgd": "-."}
    for k, tau in enumerate(taus or [None]):
        for algo in ("adagrad", "sgd"):
            pts = sorted((r for r in checks if r["algorithm"] == algo and tau_of.get(r["problem"]) == tau),
                         key=lambda r: r["d"])
            if not pts:
                continue
            color = f"C{k}"
            ds = [r["d"] for r in pts]
            mark = "o" if algo == "adagrad" else "^"
            ax.plot(ds, [r["empirical"] for r in pts], marker=mark, linestyle=styles[algo], color=color,
                    markersize=4, label=f"τ={tau:g}: {algo} ({pts[0]['theorem']}) observed" if tau is not None
                    else f"{algo} observed")
            bounded = [r for r in pts if r.get("bound") is not None and r["bound"] > 0]
            if bounded:
                ax.plot([r["d"] for r in bounded], [r["bound"] for r in bounded], marker=mark, linestyle="--",
                        color=color, alpha=0.55, markersize=3)
    ax.plot([], [], "k--", alpha=0.55, label="explicit bounds (dashed, same colours)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("dimension $d$")
    ax.set_ylabel(quantity_label(checks[0]) if checks else "")
    ax.set_title("theorem checks behind the ratios (Thm 4.1: AdaGrad, Thm D.1: SGD)", fontsize=9)
    ax.legend(fontsize=6, loc="best", ncol=1)
    ax.grid(True, which="both", alpha=0.3)
    if title:
        fig.suptitle(title)
    return fig


# ---------------------------------------------------------------------- dispatch
def plot(rows: list[dict], path: str | Path, title: str | None = None) -> Path:
    """The plot of the command that produced ``rows``, chosen by their ``check`` field:
    rate rows -> :func:`plot_T_sweep`; batch rows -> :func:`plot_batch_sweep`; dimension
    rows -> :func:`plot_dimension_sweep`; otherwise :func:`plot_rows`."""
    checks = {r.get("check") for r in rows}
    if "rate" in checks:
        return plot_T_sweep(rows, path, title)
    if checks & {"batch-grid", "batch-theorem"}:
        return plot_batch_sweep(rows, path, title)
    if checks & {"dimension", "dimension-theorem"}:
        return plot_dimension_sweep(rows, path, title)
    return plot_rows(rows, path, title)


__all__ = ["plot", "plot_rows", "plot_T_sweep", "plot_batch_sweep", "plot_dimension_sweep", "figure_rows",
           "figure_T_sweep", "figure_batch_sweep", "figure_dimension_sweep", "quantity_label", "to_mathtext"]
