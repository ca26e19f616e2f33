"""Issue 12's cited statements (theorems/high_probability.py, theorems/lower_bounds.py): O-forms only,
with a reason, never an invented constant; the O-forms behave as their kind says."""

from __future__ import annotations

import pytest
import sympy as sp

from boundcheck.theory import symbols as S
from boundcheck.theory.proofs import high_probability as hp
from boundcheck.theory.proofs import lower_bounds as lb
from boundcheck.theory.proofs.cited import KINDS, CitedStatement

ALL = hp.STATEMENTS + lb.STATEMENTS


def test_ids_unique_and_registered_as_not_checkable_theorems():
    from boundcheck import registry

    ids = [s.id for s in ALL]
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(registry.names("theorem"))
    for s in ALL:
        thm = registry.get("theorem", s.id)
        assert thm.kind == s.kind and thm.o_form_only and thm.explicit is None
        assert not thm.checkable and "abstract" in thm.not_checkable
        assert not thm.verify_default  # run by id only: bare verify keeps its rows
        assert thm.quantifier_text == s.quantifier


@pytest.mark.parametrize("s", ALL, ids=[s.id for s in ALL])
def test_statement_is_honest(s):
    assert s.kind in KINDS
    assert s.o_form_only and s.explicit is None
    assert "abstract" in s.o_form_only_reason  # says what was (not) read
    assert s.read in ("yes", "partly", "no")
    assert (s.o_form is None) == (s.read == "no")  # a rate exists exactly when something was read
    if s.o_form is not None:
        for sym in s.o_form.free_symbols:
            assert S.by_name(sym.name) is sym, f"{s.id}: undeclared symbol {sym}"
    if s.kind == "expectation-lower":
        assert s.construction, "a lower bound names its construction (or says it is unread)"
        assert "exists" in s.quantifier
    if s.kind == "probability-upper":
        assert "delta" in s.quantifier


def test_missing_reason_is_refused():
    with pytest.raises(ValueError, match="reason"):
        CitedStatement(id="x", kind="probability-upper", title="", reference="", source="", read="no",
                       method="", algorithm=None, setting="", assumptions=(), quantity="", quantity_id=None,
                       quantifier="", instance="", rate=None, o_form_only_reason=" ")
    with pytest.raises(ValueError, match="kind"):
        CitedStatement(id="x", kind="expectation", title="", reference="", source="", read="no",  # type: ignore
                       method="", algorithm=None, setting="", assumptions=(), quantity="", quantity_id=None,
                       quantifier="", instance="", rate=None, o_form_only_reason="abstract only")


@pytest.mark.parametrize("expr", [hp.SGD_HP_T_KNOWN, hp.SGD_HP_T_UNKNOWN], ids=["T-known", "T-unknown"])
def test_high_probability_o_forms_grow_as_delta_shrinks_and_vanish_in_T(expr):
    assert sp.simplify(sp.diff(expr, hp.delta) * hp.delta).is_negative
    assert sp.limit(expr, S.T, sp.oo) == 0
    # without noise the rate is O(1/T) (T known) or O(1/sqrt(T)) (T unknown), free of delta
    at0 = expr.subs(hp.sigma_subG, 0)
    assert hp.delta not in at0.free_symbols


def test_t_known_rate_has_the_two_regimes():
    """O((1 + sigma^2 log(1/delta))/T + sigma/sqrt(T)): the sigma/sqrt(T) term dominates for large T."""
    e = hp.SGD_HP_T_KNOWN
    lead = sp.limit(e * sp.sqrt(S.T), S.T, sp.oo)
    assert sp.simplify(lead - hp.sigma_subG) == 0


def test_v1_lower_bound_matches_the_upper_bound_without_noise():
    """The v1 abstract's tightness claim in (d, T): upper at sigma = 0 over lower is d- and T-free."""
    ratio = sp.simplify(lb.ADAGRAD_L1_UPPER_V1.subs(S.sigma_norm2, 0) / lb.DETERMINISTIC_L1_LOWER_V1)
    assert ratio.free_symbols == {lb.L_smooth}
