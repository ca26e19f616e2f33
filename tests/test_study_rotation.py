"""``boundcheck sweep rotation`` (boundcheck.studies.rotation): its rows on a small instance, and
its refusals. The claims: SGD's iterates are rotation-equivariant (to rounding); AdaGrad's and
Adam's errors are equal under a permutation and grow under a Haar rotation of a diagonal H."""

from __future__ import annotations

import json

import pytest

from boundcheck.cli import main
from boundcheck.studies import rotation as study
from boundcheck.validation import InputError
from boundcheck.verify import cells


@pytest.fixture(scope="module")
def rows():
    specs = study.plan(algorithms=["adagrad", "adam", "sgd"], rotations=["permutation", "haar"], dims=[12],
                       T=300, M=4, seeds=8, seed=1)
    outcomes = cells.execute(specs)
    assert not any(o.failure for o in outcomes), [o.failure for o in outcomes if o.failure]
    return study.rows(outcomes, 0.99)


def _pick(rows, check, algorithm, rotation):
    out = [r for r in rows if r["check"] == check and r["algorithm"] == algorithm and r.get("rotation") == rotation]
    assert out, (check, algorithm, rotation)
    return out


def test_measurement_rows_carry_the_rotated_constants(rows):
    for alg in ("adagrad", "adam", "sgd"):
        for rot in ("none", "permutation", "haar"):
            (r,) = _pick(rows, "rotation", alg, rot)
            assert r["ci_low"] <= r["empirical"] <= r["ci_high"] and r["bound"] is None
            for k in ("L_norm1", "H_norm11", "lambda_max_H"):
                assert r[k] is not None and r[k] > 0
    base, haar = _pick(rows, "rotation", "sgd", "none")[0], _pick(rows, "rotation", "sgd", "haar")[0]
    assert haar["L_norm1"] > 1.5 * base["L_norm1"] and haar["H_norm11"] > haar["L_norm1"]
    assert haar["lambda_max_H"] == pytest.approx(base["lambda_max_H"], rel=1e-9)


def test_sgd_is_rotation_equivariant_to_rounding(rows):
    for rot in ("permutation", "haar"):
        (r,) = _pick(rows, "rotation-equivariance", "sgd", rot)
        assert r["verdict"] == "holds" and r["empirical"] <= r["bound"] < 1e-9 and r["seeds"] == 8
        assert r["gap_rel_deviation"] <= r["gap_tolerance"]


def test_adaptive_methods_permutation_equal_and_haar_worse(rows):
    for alg in ("adagrad", "adam"):
        (p,) = _pick(rows, "rotation-sensitivity", alg, "permutation")
        assert p["verdict"] == "agrees" and p["ci_low"] == pytest.approx(1.0, abs=1e-12)
        (h,) = _pick(rows, "rotation-sensitivity", alg, "haar")
        assert h["verdict"] == "agrees" and h["ci_low"] > 1.0 and h["L_norm1"] > h["L_norm1_before"]
        preds = _pick(rows, "rotation-prediction", alg, "haar")
        assert {r["predictor"] for r in preds} == {"L_norm1", "H_norm11"}
        for r in preds:
            assert r["verdict"] in ("agrees", "disagrees", "inconclusive") and r["predicted"] > 1
        assert not _pick(rows, "rotation-sensitivity", alg, "haar")[0].get("bound")
    assert not [r for r in rows if r["check"] == "rotation-prediction" and r["rotation"] == "permutation"]


def test_theorem_rows_check_the_bounds_on_the_rotated_problems(rows):
    for alg, thm in (("adagrad", "thm4.1"), ("sgd", "thmD.1")):
        for rot in ("none", "permutation", "haar"):
            (r,) = _pick(rows, "rotation-theorem", alg, rot)
            assert r["theorem"] == thm and r["bound"] > 0 and r["verdict"] == "holds"
    a0, ah = (_pick(rows, "rotation-theorem", "adagrad", rot)[0] for rot in ("none", "haar"))
    assert ah["bound"] > a0["bound"]  # ||L||_1 grows: Theorem 4.1's bound grows
    assert not [r for r in rows if r["check"] == "rotation-theorem" and r["algorithm"] == "adam"]


@pytest.mark.parametrize("kw, msg", [
    (dict(problem={"name": "nonconvex-aniso", "params": {"d": 8}, "label": "x"}), "does not accept rotation"),
    (dict(problem={"data": "sklearn:wine", "loss": "logistic"}), "--data is not supported"),
    (dict(rotations=["blocks:40"], dims=[16]), "out of range for d=16"),
    (dict(rotations=["none"]), "at least one rotation"),
    (dict(algorithms=["adamm"]), "unknown algorithm 'adamm'"),
    (dict(bounds="maybe"), "--bounds"),
    (dict(problem={"name": "quadratic-oracle", "params": {"rotation": "haar"}, "label": "x"}), "--rotations"),
])
def test_bad_plans_are_one_line_errors(kw, msg):
    with pytest.raises(InputError, match=msg) as err:
        study.plan(**kw)
    assert "\n" not in str(err.value)


def test_cli_json_rows_carry_the_declared_fields(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["sweep", "rotation", "--algorithms", "adagrad,sgd", "--rotations", "haar", "--dims", "6", "--T", "60",
              "--M", "2", "--seeds", "3", "--bounds", "none", "--no-cache", "--quiet", "--format", "json"])
    out, err = capsys.readouterr()
    assert exc.value.code == 0, err
    rows = json.loads(out)["rows"]
    checks = {r["check"] for r in rows}
    assert checks == {"rotation", "rotation-equivariance", "rotation-sensitivity", "rotation-prediction"}
    for r in rows:
        for k in ("empirical", "ci_low", "ci_high", "bound", "verdict", "L_norm1", "H_norm11"):
            assert k in r
    with pytest.raises(SystemExit) as exc:
        main(["sweep", "rotation", "--rotations", "spin", "--no-cache", "--quiet"])
    assert exc.value.code == 2 and "rotation='spin' is not allowed" in capsys.readouterr().err
