"""Output schema: required fields, no NaN/inf anywhere, CSV/JSON round trips."""

import csv
import io
import json

import pytest

from boundcheck.report.export import format_for_path, render, to_csv, to_json, write
from boundcheck.report.rows import REQUIRED, clean
from boundcheck.validation import InputError

ROW = {"theorem": "thm4.1", "algorithm": "adagrad", "problem": "exptail-logistic", "d": 8, "T": 100,
       "M": 4, "seeds": 16, "empirical": 0.1, "ci_low": 0.08, "ci_high": 0.12, "bound": 1.5,
       "ratio": 0.1 / 1.5, "verdict": "holds", "note": "x"}


def test_clean_fills_required_and_drops_non_finite():
    r = clean({"theorem": "t", "empirical": float("nan"), "bound": float("inf"), "extra": [1.0, float("-inf")]})
    assert set(REQUIRED) <= set(r)
    assert r["empirical"] is None and r["bound"] is None and r["extra"] == [1.0, None]


def test_json_has_rows_and_provenance_and_no_nan():
    bad = dict(ROW, ratio=float("nan"))
    text = to_json([ROW, bad], {"seed": 0})
    obj = json.loads(text)
    assert set(obj) == {"rows", "provenance"}
    assert obj["rows"][1]["ratio"] is None
    assert "NaN" not in text and "Infinity" not in text


def test_csv_round_trip():
    rows = list(csv.DictReader(io.StringIO(to_csv([ROW, dict(ROW, bound=None)]))))
    assert rows[0]["verdict"] == "holds" and float(rows[0]["bound"]) == 1.5
    assert rows[1]["bound"] == ""


def test_table_text_shows_interval_and_verdict():
    text = render([ROW], {}, "table")
    assert "thm4.1" in text and "holds" in text and "[0.08, 0.12]" in text


def test_write_by_extension_and_bad_extension(tmp_path):
    p = write([ROW], {"seed": 1}, tmp_path / "out.json")
    assert json.loads(p.read_text())["provenance"]["seed"] == 1
    assert format_for_path("x.csv") == "csv"
    with pytest.raises(InputError, match="unknown extension"):
        format_for_path("x.xlsx")


def test_plot_series_and_singles(tmp_path):
    from boundcheck.report.plots import plot_rows

    series = [dict(ROW, T=T, empirical=1 / T**0.5, ci_low=0.8 / T**0.5, ci_high=1.2 / T**0.5,
                   bound=10 / T**0.5) for T in (10, 100, 1000)]
    single = dict(ROW, theorem="thmD.1", algorithm="sgd")
    p = plot_rows(series + [single], tmp_path / "p.png")
    assert p.exists() and p.stat().st_size > 1000
    with pytest.raises(InputError):
        plot_rows(series, tmp_path / "p.jpg")
