"""Contract tests every registered component gets without editing a test file (issue 10).

Parametrised over the registry (boundcheck's components and any installed plugin's):

- every problem (with each declared ``test_params``): every registered assumption's check
  returns a real answer through the sampling contract (no crash, no "could not be sampled"),
  the stochastic gradient is unbiased (3.4) and its noise within the constants layer's sigma
  (3.5), and the constants assembly resolves L, sigma, D, f*, Delta where they apply;
- every algorithm: its declared parameters validate, ``make`` returns the contract's pure
  functions, ``init`` gives one state row per replica (the engine invariants are in
  test_engine.py, parametrised the same way);
- every theorem: registered algorithm, quantity, assumptions and default problem; ``show``-able
  SymPy parts; its bound evaluates at a common set of constants; its listing needs no SymPy;
- every trajectory check and comparison: plans cells on its default problem.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.constants.provider import Assembly
from boundcheck.problems import make_problem

from conftest import algorithm_cases, case_id, problem_cases, registered

PROBLEMS = problem_cases()


@pytest.fixture(scope="module")
def assemblies():
    return {}


def _instance(case, cache):
    key = case_id(case)
    if key not in cache:
        name, params = case
        p = make_problem(name, **params)
        cache[key] = (p, Assembly(p))
    return cache[key]


@pytest.mark.parametrize("case", PROBLEMS, ids=case_id)
def test_every_assumption_check_gives_a_real_answer_on_every_problem(case, assemblies):
    p, a = _instance(case, assemblies)
    for assumption in registered("assumption"):
        given = {n: a.value(n) for n in (*assumption.vectors, "D_inf", "D_2", "f_star") if a.get(n) is not None}
        res = assumption.check(p, given)
        assert res.status in ("holds", "violated", "unchecked"), (assumption.id, res)
        assert "could not be sampled" not in res.reason, (assumption.id, res.reason)
    # the sampling contract: unbiased minibatch gradients, noise within the certified sigma
    assert registry.get("assumption", "3.4").check(p).status == "holds"
    sigma = a.get("sigma")
    if sigma is not None:
        assert registry.get("assumption", "3.5").check(p, {"sigma": sigma.value}).status == "holds"


@pytest.mark.parametrize("case", PROBLEMS, ids=case_id)
def test_constants_assembly_resolves_with_provenance(case, assemblies):
    p, a = _instance(case, assemblies)
    L = a.require("L")
    assert L.kind in ("certified", "bound", "exact") and np.all(np.asarray(L.value) > 0) and L.how
    for name in ("L_norm1", "L_norminf"):
        assert a.require(name).value > 0
    if p.domain is not None:
        assert a.require("D_inf").value > 0 and a.require("D_2").value >= a.require("D_inf").value
    if a.get("f_star") is not None:
        assert a.require("Delta").value >= 0
    with pytest.raises(Exception, match="no constant provider gives no_such_constant"):
        a.require("no_such_constant")


@pytest.mark.parametrize("alg", algorithm_cases(), ids=case_id)
def test_algorithm_declaration(alg):
    name, hyper = alg
    spec = registry.get("algorithm", name)
    assert spec.title and spec.reference
    built = spec.build(hyper)
    w = np.zeros((3, 4))
    state = built.init(w, np)
    for leaf in state:
        assert np.shape(leaf)[0] == 3  # one state row per replica
    w1, _ = built.update(w, np.ones((3, 4)), state, 0.1, None, np)
    assert w1.shape == (3, 4) and np.all(np.isfinite(w1))
    for p in spec.params:
        assert p.describe() and p.doc


@pytest.mark.parametrize("thm", [t for t in registered("theorem") if not t.checkable], ids=lambda t: t.id)
def test_not_checkable_theorem_is_listed_shown_and_reported(thm):
    """Listed, shown and bound-evaluated in O-form; verify reports it with the reason (no run)."""
    from boundcheck.cli.theory_cmds import show_text, theorem_summary
    from boundcheck.verify import cells, plan

    assert theorem_summary(thm)["checkable"] is False
    assert "not checkable" in show_text(thm)
    if thm.o_form is not None:
        consts = {n: 0.01 if n == "delta" else 2.0 for n in thm.required()}
        assert math.isfinite(thm.evaluate(consts)["o_form"])
    specs = plan.verify_plan([thm.id], seeds=4)
    assert len(specs) == 1
    row = cells.summarise(cells.execute(specs)[0], 0.99)
    assert row["verdict"] == "inconclusive" and row["verdict_detail"] == "not checkable"
    assert "abstract" in row["note"] and row["bound"] is None


def _common_constants():
    return {"D_inf": 1, "D_2": 10, "L_norm1": 5, "L_norminf": 2, "sigma_norm1": 2, "sigma_norm2": 1, "M": 8,
            "T": 1000, "eps": 1e-8, "Delta": 3, "d": 10, "L0_norm1": 4, "L1_norminf": 0.3, "L0": 1, "L1": 0.5,
            "G_sum": 50, "eta": 0.5, "L_star_norm1": 3, "sigma_star_norm1": 0.5}


@pytest.mark.parametrize("thm", registered("theorem"), ids=lambda t: t.id)
def test_theorem_declaration(thm):
    from boundcheck.theory.theorem import KINDS

    assert thm.kind in KINDS and thm.quantifier_text and thm.statement()
    if thm.kind == "expectation-lower":
        assert thm.instance, "a lower bound names its construction"
    if thm.kind == "probability-upper":
        assert thm.verify_deltas and all(0 < x < 1 for x in thm.verify_deltas)
    if not thm.checkable:
        # a cited statement verify cannot run: O-form only, with the reason, never a constant
        assert thm.o_form_only and thm.explicit is None and len(thm.not_checkable) > 20
        assert thm.quantity
        return
    assert registry.has("algorithm", thm.algorithm)
    assert registry.has("quantity", thm.quantity_id)
    for aid in thm.assumptions + thm.proof_conditions:
        assert registry.has("assumption", aid), aid
    assert thm.problems, f"{thm.id} declares no default problem for verify"
    for metric in (*thm.measured.values(), thm.quantity_object.metric):
        assert registry.has("metric", metric)
    # SymPy parts: O-form always; explicit bound = sum of terms unless O-form only
    assert thm.o_form is not None
    assert (thm.explicit is None) == (not thm.has_explicit)
    consts = {n: v for n, v in _common_constants().items()}
    if thm.kind == "probability-upper":
        consts["delta"] = 0.01
    missing = [n for n in thm.required() if n not in consts]
    consts.update({n: 1.0 for n in missing})
    ev = thm.evaluate(consts)
    if thm.has_explicit:
        assert math.isfinite(ev["explicit"]) and ev["explicit"] > 0
        assert ev["explicit"] == pytest.approx(sum(v for v in ev["terms"].values()), rel=1e-12)
    else:
        assert ev["o_form_only"] and ev["explicit"] is None


@pytest.mark.parametrize("check", registered("check"), ids=lambda c: c.id)
def test_check_declaration(check):
    assert check.used_by and check.problems
    specs = check.plan(check.problems[0], [10, 20], [2], 3, 0)
    assert specs and all(s["kind"] == "check" and s["check"] == check.id for s in specs)


@pytest.mark.parametrize("comp", registered("comparison"), ids=lambda c: c.id)
def test_comparison_declaration(comp):
    a, b = comp.theorems
    assert registry.has("theorem", a) and registry.has("theorem", b)
    inst = comp.instance(16, 0.5)
    assert make_problem(inst["name"], **inst["params"]).d == 16


def test_listing_theorems_imports_no_sympy():
    """`boundcheck theorems` reads declarations only (the SymPy parts are built on demand)."""
    code = ("import sys; from boundcheck.cli import main\n"
            "try:\n    main(['theorems', '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "print('SYMPY' if 'sympy' in sys.modules else 'NOSYMPY', file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stderr.strip().endswith("NOSYMPY"), r.stderr


def test_registration_has_no_import_side_effects():
    """Importing a component module registers nothing: only the manifests do."""
    code = ("import boundcheck.theory.theorems.thm4_1, boundcheck.algorithms.adagrad\n"
            "from boundcheck import registry\n"
            "print(sorted(registry._LOADED))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr
