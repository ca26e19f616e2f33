"""Plots (issue 15, point 2): math labels, bands, explained panels without a bound, log axes
that a negative interval end cannot stretch, and one plot per sweep that shows its claim."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from boundcheck.report import plots  # noqa: E402
from boundcheck.theory.theorem import all_theorems  # noqa: E402

BASE = {"algorithm": "adagrad", "problem": "exptail-logistic", "d": 6, "M": 8, "seeds": 3, "confidence": 0.99,
        "check": "theorem", "verdict": "holds"}


def series(theorem="thm4.1", quantity="avg_iterate_gap", bound=True, low_negative=False):
    out = []
    for T in (20, 40, 80, 160):
        e = 0.3 / T ** 0.75
        out.append(dict(BASE, theorem=theorem, quantity=quantity, T=T, empirical=e,
                        ci_low=-e if low_negative and T == 20 else 0.8 * e, ci_high=1.2 * e,
                        bound=(10 / T ** 0.5) if bound else None, ratio=None))
    return out


def texts(fig) -> str:
    return " | ".join(t.get_text() for ax in fig.axes for t in ax.texts)


@pytest.mark.parametrize("thm", [t for t in all_theorems() if t.checkable], ids=lambda t: t.id)
def test_every_theorem_quantity_is_labelled_with_its_math(thm):
    # (a not-checkable cited statement has no registered quantity and no rows to plot)
    label = plots.quantity_label({"theorem": thm.id, "quantity": thm.quantity_id})
    assert label.startswith("$") and label.endswith("$"), label  # mathtext, not the id
    assert thm.quantity_id not in label


@pytest.mark.parametrize("lemma", ["lemmaE.2", "lemma(17)", "lemmaF.4", "lemmaC.2"])
def test_lemma_and_grid_rows_have_math_labels(lemma):
    assert plots.quantity_label({"theorem": lemma, "quantity": "whatever text"}).startswith("$")
    assert plots.quantity_label({"theorem": "table3-grid", "quantity": "last_iterate_gap"}).startswith("$")
    assert plots.quantity_label({"theorem": "x", "quantity": "odd $ text"}) == r"odd \$ text"


def test_verify_plot_labels_bands_and_unexplained_panels():
    rows = series() + series("adagradnorm-convex", bound=False)
    fig = plots.figure_rows(rows)
    try:
        ax0, ax1 = fig.axes[:2]
        assert ax0.get_ylabel() == plots.quantity_label(rows[0]) and ax0.get_ylabel().startswith("$")
        assert any(c.get_alpha() and c.get_alpha() >= 0.3 for c in ax0.collections)  # a visible band
        assert "explicit bound" in [ln.get_label() for ln in ax0.get_lines()]
        assert "O-form only: no explicit bound" in texts(fig)
        assert "explicit bound" not in [ln.get_label() for ln in ax1.get_lines()]
    finally:
        plt.close(fig)


def test_a_negative_interval_end_does_not_stretch_a_log_axis():
    rows = series(low_negative=True)
    fig = plots.figure_rows(rows)
    try:
        ax = fig.axes[0]
        smallest = min(r["empirical"] for r in rows)
        assert ax.get_ylim()[0] > smallest / 10  # not 1e-300
        assert "clipped" in texts(fig)
    finally:
        plt.close(fig)
    fig = plots.figure_rows(series())
    try:
        assert "clipped" not in texts(fig)
    finally:
        plt.close(fig)


def test_single_T_rows_get_one_line_labels_and_no_bound_explained():
    rows = [dict(BASE, theorem="thm4.1", quantity="avg_iterate_gap", T=100, empirical=0.01, ci_low=0.008,
                 ci_high=0.012, bound=1.0, ratio=0.01),
            dict(BASE, theorem="adagradnorm-convex", algorithm="adagrad-norm", quantity="avg_iterate_gap", T=100,
                 empirical=0.01, ci_low=0.008, ci_high=0.012, bound=None, ratio=None)]
    fig = plots.figure_rows(rows)
    try:
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert labels == ["thm4.1 · adagrad · T=100, M=8"]
        assert "adagradnorm-convex" in texts(fig) and "no explicit bound" in texts(fig)
    finally:
        plt.close(fig)


@pytest.fixture(scope="module")
def sweep_T_rows(tmp_path_factory):
    """Rows of a real (small) ``sweep T`` run."""
    r = subprocess.run([sys.executable, "-m", "boundcheck", "sweep", "T", "thm4.1", "--problem", "exptail-logistic",
                        "--d", "6", "--n", "32", "--T", "20,40,80", "--seeds", "4", "--no-cache", "-q", "--format",
                        "json"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["rows"]


def test_sweep_T_plot_draws_the_fitted_slope_bound_and_crossover(sweep_T_rows):
    rate = next(r for r in sweep_T_rows if r["check"] == "rate")
    fig = plots.figure_T_sweep(sweep_T_rows)
    try:
        ax = fig.axes[0]
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        fit = next(ln for lab, ln in lines.items() if lab.startswith("fitted slope"))
        (x0, x1), (y0, y1) = fit.get_xdata(), fit.get_ydata()
        assert math.log(y1 / y0) / math.log(x1 / x0) == pytest.approx(rate["empirical"], rel=1e-9)
        assert f"[{rate['ci_low']:.3g}, {rate['ci_high']:.3g}]" in fit.get_label()
        bound = next(lab for lab in lines if lab.startswith("explicit bound"))
        assert f"slope {rate['bound']:.3g}" in bound
        cx = f"{rate['crossover_T']:.3g}"
        assert any(cx in lab for lab in lines) or cx in texts(fig)
        assert ax.get_ylabel().startswith("$") and ax.get_xscale() == ax.get_yscale() == "log"
    finally:
        plt.close(fig)


def _batch_rows():
    rows = []
    for prob in ("exptail-logistic", "sklearn:wine"):
        for algo, thm, eta in (("adagrad", "thm4.1", 1.0), ("sgd", "thmD.1", 10.0)):
            for M in (1, 4, 16):
                e = 0.01 * (1 + M / 16)
                rows.append(dict(BASE, problem=prob, theorem="table3-grid", algorithm=algo, check="batch-grid",
                                 quantity="last_iterate_gap", T=64 // M, M=M, empirical=e, ci_low=0.5 * e,
                                 ci_high=1.5 * e, bound=None, ratio=None, eta=eta, schedule="sqrt-decay",
                                 budget=64, verdict="inconclusive"))
                rows.append(dict(BASE, problem=prob, theorem=thm, algorithm=algo, check="batch-theorem",
                                 quantity="avg_iterate_gap", T=64 // M, M=M, empirical=e, ci_low=0.9 * e,
                                 ci_high=1.1 * e, bound=5 * (1 + M), ratio=None, budget=64))
    return rows


def test_sweep_batch_plot_error_vs_M_per_algorithm_beside_bounds():
    fig = plots.figure_batch_sweep(_batch_rows())
    try:
        assert len(fig.axes) == 4  # (grid, theorem) x 2 problems
        grid, theorem = fig.axes[0], fig.axes[1]
        assert {"adagrad, best of the grid", "sgd, best of the grid"} <= {ln.get_label() for ln in grid.get_lines()}
        assert "η=1/√t" in texts(fig) and "η=10/√t" in texts(fig)  # the winning step sizes
        labels = {ln.get_label() for ln in theorem.get_lines()}
        assert {"thm4.1's explicit bound", "thmD.1's explicit bound", "adagrad (thm4.1)", "sgd (thmD.1)"} <= labels
        assert list(grid.get_lines()[2].get_xdata()) == [1, 4, 16]
        assert "no bound applies" in " ".join(grid.get_title().split())
        assert "N = 64" in grid.get_xlabel()
        for ax in (grid, theorem):  # legends below the panels, clear of the notes and labels
            assert ax.get_legend().get_bbox_to_anchor().transformed(ax.transAxes.inverted()).y1 <= 0
    finally:
        plt.close(fig)


def test_sweep_dimension_plot_puts_comparisons_on_their_own_axis():
    rows = []
    for tau in (0.5, 1.0):
        for d in (8, 16, 32):
            prob = f"exptail-logistic(d={d}, tau={tau:g})"
            rows.append(dict(BASE, theorem="thm4.1/thmD.1", algorithm="adagrad/sgd", problem=prob, d=d, T=100,
                             check="dimension", tau=tau, empirical=2.0 / tau, ci_low=1.5 / tau, ci_high=2.5 / tau,
                             bound=0.5 / tau, ratio=4.0))
            for algo, thm in (("adagrad", "thm4.1"), ("sgd", "thmD.1")):
                rows.append(dict(BASE, theorem=thm, algorithm=algo, problem=prob, d=d, T=100,
                                 check="dimension-theorem", quantity="avg_iterate_gap", empirical=0.01,
                                 ci_low=0.008, ci_high=0.012, bound=1.0, ratio=0.01))
    fig = plots.figure_dimension_sweep(rows)
    try:
        ratio_ax, checks_ax = fig.axes
        labels = {ln.get_label(): ln for ln in ratio_ax.get_lines()}
        obs = labels["τ=0.5: observed"]
        pred = labels["τ=0.5: predicted (ratio of bounds)"]
        assert list(obs.get_xdata()) == [8, 16, 32] and list(obs.get_ydata()) == [4.0, 4.0, 4.0]
        assert list(pred.get_ydata()) == [1.0, 1.0, 1.0]
        assert "AdaGrad = SGD" in labels
        assert all("observed" in lab or lab.startswith("_") or "explicit" in lab
                   for lab in (ln.get_label() for ln in checks_ax.get_lines()))
        assert "gap" in ratio_ax.get_ylabel()
    finally:
        plt.close(fig)


def test_plot_dispatches_on_the_rows_and_writes_through_symlinks(tmp_path, sweep_T_rows):
    target = tmp_path / "real.png"
    link = tmp_path / "link.png"
    link.symlink_to(target)
    plots.plot(sweep_T_rows, link)
    assert link.is_symlink() and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for rows, name in ((_batch_rows(), "b.svg"), (series(), "v.pdf")):
        p = plots.plot(rows, tmp_path / name)
        assert p.stat().st_size > 1000
    from boundcheck.validation import InputError

    with pytest.raises(InputError, match="allowed extensions"):
        plots.plot(series(), tmp_path / "x.jpg")
    with pytest.raises(InputError, match="nothing to plot"):
        plots.plot_rows([], tmp_path / "x.png")
