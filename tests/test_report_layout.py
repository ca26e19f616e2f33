"""Tables that fit a width (boundcheck.report.layout and the verify table): at every width
the text stays inside it and no number or id is split across lines."""

from __future__ import annotations

import re

import pytest

from boundcheck.report import layout
from boundcheck.report.layout import Column, Grid
from boundcheck.report.table import fmt_num, grids, table_text

ROWS = [
    {"theorem": "adagradnorm-nonconvex", "algorithm": "adagrad-norm", "problem": "exptail-logistic(d=256, tau=0.5)",
     "d": 256, "T": 10000, "M": 64, "seeds": 32, "n_diverged": 2, "empirical": 0.0012599745578301307,
     "ci_low": -0.0012086317168006643, "ci_high": 0.001311317398859597, "bound": 206438.79754571433,
     "ratio": 1.0727899454497174e-05, "verdict": "inconclusive"},
    {"theorem": "thm4.1/thmD.1", "algorithm": "adagrad/sgd", "problem": "sklearn:breast_cancer",
     "d": 30, "T": None, "M": 8, "seeds": 16, "empirical": 8.029990767303456, "ci_low": 6.756429666300015,
     "ci_high": 9.543613255474021, "bound": None, "ratio": None, "verdict": "holds"},
    {"theorem": "lemma(17)", "algorithm": "adagrad", "problem": "exptail-linear (consistent)", "d": 32, "T": 1000,
     "M": 8, "seeds": 32, "empirical": 76.73236588638134, "ci_low": None, "ci_high": None,
     "bound": 81.64362468776841, "ratio": 0.9398, "verdict": "violated"},
]

#: A token is whole when it is bounded by whitespace, brackets, commas or the line's ends.
_LEFT, _RIGHT = r"(?:^|(?<=[\s\[(,]))", r"(?=$|[\s\]),])"


def whole(token: str, text: str) -> bool:
    return re.search(_LEFT + re.escape(token) + _RIGHT, text, flags=re.M) is not None


def numbers_of(row: dict) -> list[str]:
    return [fmt_num(row[k]) for k in ("empirical", "ci_low", "ci_high", "bound", "ratio", "d", "T", "M")
            if row.get(k) is not None]


@pytest.mark.parametrize("width", [60, 72, 80, 90, 100, 120, 160])
def test_verify_table_fits_and_keeps_numbers_and_ids_whole(width):
    text = table_text(ROWS, title="boundcheck verify: bound vs empirical", width=width)
    lines = text.splitlines()
    assert max(map(len, lines)) <= width, (width, text)
    for r in ROWS:
        for tok in numbers_of(r) + [r["theorem"], r["algorithm"], r["verdict"]]:
            assert whole(tok, text), (width, tok, text)
        # a problem name (it has spaces) is on one line: in the table, the records or the legend
        assert any(r["problem"] in line for line in lines), (width, r["problem"], text)
    assert "(2 diverged)" in text


def test_unbounded_width_is_one_line_per_row():
    text = table_text(ROWS, title="t")
    body = [ln for ln in text.splitlines()[3:] if ln.strip()]
    assert len(body) == len(ROWS)
    for r, line in zip(ROWS, body):
        assert line.split()[0] == r["theorem"] and line.split()[-1] == r["verdict"]


def test_layouts_are_tried_widest_first():
    cands = grids(ROWS, "t")
    wide = layout.one_line_width(cands[0])
    assert layout.choose(cands, wide)[0] == "one-line" and layout.choose(cands, wide)[1] is cands[0]
    # values every row shares are lifted above the table (ROWS share none: take two alike rows)
    alike = [dict(ROWS[0], T=100), dict(ROWS[0], T=1000)]
    c2 = grids(alike, "t")
    assert c2[1].before and "problem exptail-logistic(d=256, tau=0.5)" in c2[1].before[0]
    assert layout.choose(c2, layout.one_line_width(c2[1]))[1] is c2[1]
    # codes for long problem names, with a legend
    assert c2[2].after == [] and any(a.startswith("P1 = ") for a in cands[2].after)
    name, _, _ = layout.choose(cands, 50)
    assert name == "records"


def test_shared_values_are_said_once_and_not_repeated_per_row():
    rows = [dict(ROWS[2], T=T) for T in (100, 1000, 10000)]
    text = table_text(rows, width=100)
    assert text.count("exptail-linear (consistent)") == 1
    assert "every row:" in text and "d 32" in text


def test_wrapped_free_text_keeps_words_and_numbers_whole():
    words = "Faw et al. 2023, Thm 3, as quoted in Liu et al. 2025, Section 5 and Table 1"
    grid = Grid([Column("id", key=True), Column("value", justify="right"), Column("reference", wrap=True)],
                [["adagradnorm-nonconvex", "1.234567e-05", words], ["thm4.1", "42", "Liu et al. 2025, Thm 4.1"]])
    for width in (40, 50, 60, 70, 80, 100, 140):
        text = layout.text(grid, width)
        assert max(map(len, text.splitlines())) <= width, (width, text)
        for tok in ("adagradnorm-nonconvex", "1.234567e-05", "thm4.1", "2025,", "Section"):
            assert whole(tok, text), (width, tok, text)
        assert " ".join(text.split()).count("Faw et al. 2023, Thm 3, as quoted") <= 1


def test_wrapped_layout_is_refused_when_a_row_would_take_too_many_lines():
    long = " ".join(["word"] * 60)
    grid = Grid([Column("id", key=True), Column("text", wrap=True)], [["a", long]])
    name, _, _ = layout.choose([grid], 60)
    assert name == "records"
    name, _, _ = layout.choose([grid], 120)
    assert name == "wrapped"  # 60 words of 5 characters wrap into 3 lines of ~110


def test_verdict_colour_only_in_colour_mode():
    import io

    from rich.console import Console

    buf = io.StringIO()
    layout.show(grids(ROWS[:1]), out=Console(file=buf, width=100, force_terminal=True, color_system="standard"))
    assert "\x1b[33m" in buf.getvalue()  # yellow: inconclusive
    assert "\x1b[" not in table_text(ROWS[:1], width=100)


# ---------------------------------------------------------------------- notes, step column (issue 15)
def _batch_row(algorithm, M, eta, schedule, note, T=None, theorem="table3-grid", verdict="n/a"):
    return {"theorem": theorem, "algorithm": algorithm, "problem": "exptail-logistic", "d": 8, "T": T or 12 // M,
            "M": M, "seeds": 3, "empirical": 0.25, "ci_low": 0.2, "ci_high": 0.3, "bound": None, "ratio": None,
            "verdict": verdict, "eta": eta, "schedule": schedule, "note": note}


BATCH = [_batch_row("adagrad", 1, 0.1, "sqrt-decay", "grid: no bound; best of 8"),
         _batch_row("sgd", 1, 10.0, "constant", "grid: no bound; best of 8"),
         _batch_row("sgd", 5, 1.0, "constant", "M T = 10 samples, not the budget 12; grid: no bound; best of 8"),
         {**_batch_row("adagrad", 5, None, None, "M T = 10 samples, not the budget 12", theorem="thm4.1",
                       verdict="holds"), "bound": 3.0, "ratio": 0.08}]


@pytest.mark.parametrize("width", [80, 100, None])
def test_batch_table_shows_the_winning_step_size_and_each_note_once(width):
    text = table_text(BATCH, title="batch", width=width)
    if width:
        assert max(map(len, text.splitlines())) <= width
    flat = " ".join(text.split())
    for step in ("0.1 /sqrt(t+1)", "10 const", "1 const"):
        assert step in flat, (step, text)
    assert flat.count("grid: no bound; best of 8") == 1
    assert "note (table3-grid): grid: no bound; best of 8" in flat
    assert flat.count("M T = 10 samples, not the budget 12") == 1
    assert "note (every row with M=5): M T = 10 samples" in flat
    assert " n/a" in flat


def test_verify_rows_without_eta_have_no_step_column_and_no_notes_line_without_notes():
    text = table_text(ROWS, title="t", width=None)
    assert "step" not in text.splitlines()[1] and "note" not in text


def test_notes_of_one_id_are_told_apart_by_their_rows():
    rows = [dict(ROWS[2], M=M, note=f"exact value {M}") for M in (1, 8)] + [dict(ROWS[0], note="O-form only")]
    text = table_text(rows, title="t", width=None)
    assert "note (lemma(17) adagrad T=1000 M=1): exact value 1" in text
    assert "note (lemma(17) adagrad T=1000 M=8): exact value 8" in text
    assert "note (adagradnorm-nonconvex): O-form only" in text
