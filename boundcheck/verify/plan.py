"""What ``boundcheck verify`` computes: the list of cells for the ids and options given.

Importing this module registers every cell kind (theorem checks, lemma checks, sweeps).

- No ids: every theorem on its default problem (:mod:`.defaults`) at each T and M, then the
  lemma checks (:mod:`.lemma_check`).
- Theorem ids (``thm4.1 ...``) and lemma ids (``lemmaE.2 lemma(17) lemmaF.4 lemmaC.2``):
  those only.
- ``--problem`` / ``--data``: the user's problem replaces the defaults. A theorem whose
  assumptions the problem fails is refused: with one theorem id that is a usage error
  (exit 2, the reason named); in a multi-theorem run it becomes that row's ``error``
  verdict with the reason, the other rows are unaffected.
"""

from __future__ import annotations

from boundcheck.validation import InputError, suggest
from boundcheck.verify import defaults, lemma_check, sweeps, theorem_check  # noqa: F401  (registers kinds)


def theorem_ids() -> list[str]:
    from boundcheck.theory.theorem import all_theorems

    known = {t.id for t in all_theorems()}
    ordered = [t for t in defaults.THEOREM_ORDER if t in known]
    return ordered + sorted(known - set(ordered))


def split_ids(ids: list[str]) -> tuple[list[str], list[str]]:
    """(theorem ids, lemma ids), each validated (unknown ids: InputError with a suggestion)."""
    theorems, lemmas = [], []
    known_t = theorem_ids()
    known_l = list(lemma_check.LEMMA_IDS)
    for i in ids:
        if i in known_t:
            theorems.append(i)
        elif i in known_l:
            lemmas.append(i)
        else:
            raise InputError(f"unknown theorem or lemma {i!r}{suggest(i, known_t + known_l)}; "
                             f"known: {', '.join(known_t + known_l)}")
    return list(dict.fromkeys(theorems)), list(dict.fromkeys(lemmas))


def verify_plan(ids: list[str], *, problem: dict | None = None, Ts: list[int] | None = None,
                Ms: list[int] | None = None, seeds: int | None = None, seed: int = 0) -> list[dict]:
    """The cell specs of ``boundcheck verify IDS [options]``, in output order."""
    theorems, lemmas = split_ids(ids)
    if not ids:
        theorems, lemmas = theorem_ids(), list(lemma_check.LEMMA_IDS)
        if problem is not None and "data" in problem:
            theorems = [t for t in theorems if t in defaults.DATA_THEOREMS]
            lemmas = []
    elif problem is not None and "data" in problem:
        bad = [t for t in theorems if t not in defaults.DATA_THEOREMS]
        if bad:
            raise InputError(f"--data supports {', '.join(defaults.DATA_THEOREMS)}; not {', '.join(bad)}")
    Ts = list(Ts or defaults.T_DEFAULT)
    Ms = list(Ms or [defaults.M_DEFAULT])
    R = seeds or defaults.SEEDS_DEFAULT
    specs = []
    for tid in theorems:
        prob = problem if problem is not None else defaults.default_problem(tid)
        for M in Ms:
            for T in Ts:
                specs.append(theorem_check.spec(tid, prob, T=T, M=M, seeds=R, seed=seed))
    for lid in lemmas:
        specs.extend(lemma_check.specs(lid, problem=problem, Ts=Ts, Ms=Ms, seeds=R, seed=seed))
    return specs


def refusal(ids: list[str], problem: dict | None, outcomes) -> str | None:
    """The reason to turn a run into a usage error: one theorem id on a user-chosen problem
    that fails the theorem's assumptions (every cell refused). None otherwise."""
    if problem is None or len(ids) != 1 or not outcomes:
        return None
    reasons = {o.result.get("error") for o in outcomes if o.result is not None}
    if len(reasons) == 1 and None not in reasons and all(o.result is not None for o in outcomes):
        return reasons.pop()
    return None


__all__ = ["verify_plan", "split_ids", "theorem_ids", "refusal"]
