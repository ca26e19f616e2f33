"""Plots of verification rows: bound lines and confidence bands (matplotlib, Agg backend).

- Rows of one (theorem, algorithm, problem, M) group with several T values: a log-log panel of
  the empirical mean with its confidence band against T and the explicit bound as a dashed line.
- Rows with a single T: a panel of ``empirical / bound`` with interval whiskers and the line
  ``ratio = 1`` (the bound): a point left of the line holds.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from boundcheck.report.rows import clean
from boundcheck.validation import InputError


def _group_key(r: dict) -> tuple:
    return (r.get("theorem"), r.get("algorithm"), r.get("problem"), r.get("M"), r.get("d"))


def plot_rows(rows: list[dict], path: str | Path, title: str | None = None) -> Path:
    """Draw ``rows`` to ``path`` (PNG/PDF/SVG by extension). Returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InputError(f"--plot {str(path)!r}: allowed extensions .png, .pdf, .svg")
    rows = [clean(r) for r in rows if r.get("empirical") is not None]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[_group_key(r)].append(r)
    series = {k: sorted(v, key=lambda r: r["T"]) for k, v in groups.items()
              if len({r["T"] for r in v}) >= 2}
    singles = [r for k, v in groups.items() if k not in series for r in v]

    n_panels = len(series) + (1 if singles else 0)
    if n_panels == 0:
        raise InputError("nothing to plot: no row has an empirical value")
    ncols = min(3, n_panels)
    nrows = -(-n_panels // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 3.9 * nrows), squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax, (key, rs) in zip(flat, series.items()):
        T = [r["T"] for r in rs]
        emp = [r["empirical"] for r in rs]
        lo = [r["ci_low"] if r["ci_low"] is not None else r["empirical"] for r in rs]
        hi = [r["ci_high"] if r["ci_high"] is not None else r["empirical"] for r in rs]
        ax.plot(T, emp, "o-", color="C0", label="empirical mean")
        ax.fill_between(T, [max(v, 1e-300) for v in lo], hi, color="C0", alpha=0.25,
                        label=f"{int(100 * (rs[0].get('confidence') or 0.99))}% interval")
        bT = [r["T"] for r in rs if r.get("bound") is not None]
        if bT:
            ax.plot(bT, [r["bound"] for r in rs if r.get("bound") is not None], "--", color="C3",
                    label="explicit bound")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("T (iterations)")
        ax.set_ylabel(str(rs[0].get("quantity") or "quantity"))
        theorem, algorithm, problem, M, d = key
        ax.set_title(f"{theorem}: {algorithm} on {problem}\nd={d}, M={M}", fontsize=9)
        ax.legend(fontsize=7)
        ax.grid(True, which="both", alpha=0.3)
    if singles:
        ax = flat[len(series)]
        labels, ratios, errs_lo, errs_hi = [], [], [], []
        for r in singles:
            if r.get("bound") in (None, 0):
                continue
            b = r["bound"]
            labels.append(f"{r['theorem']} {r['algorithm']}\n{r['problem']} T={r['T']}")
            ratio = r["empirical"] / b
            ratios.append(ratio)
            errs_lo.append(max(ratio - (r["ci_low"] / b if r["ci_low"] is not None else ratio), 0))
            errs_hi.append(max((r["ci_high"] / b if r["ci_high"] is not None else ratio) - ratio, 0))
        y = list(range(len(ratios)))
        ax.errorbar(ratios, y, xerr=[errs_lo, errs_hi], fmt="o", color="C0", capsize=3,
                    label="empirical / bound (interval)")
        ax.axvline(1.0, color="C3", linestyle="--", label="bound")
        ax.set_yticks(y)
        ax.set_yticklabels(labels, fontsize=7)
        # log scale only when the ratios span decades; a narrow range on a log axis crowds
        # its minor tick labels into an unreadable smear
        span = [v for v in ratios + [1.0] if v > 0]
        if span and max(span) / min(span) > 20:
            ax.set_xscale("log")
        ax.set_xlabel("empirical / explicit bound")
        ax.legend(fontsize=7)
        ax.grid(True, axis="x", which="both", alpha=0.3)
    for ax in flat[n_panels:]:
        ax.axis("off")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
    except OSError as err:
        raise InputError(f"cannot write plot {str(path)!r}: {err.strerror or err}") from None
    finally:
        plt.close(fig)
    return path
