"""What ``boundcheck verify`` computes: the list of cells for the ids and options given.

- No ids: every registered theorem that declares ``verify_default`` (all but those run by id
  only) on its default problem (its declaration's first ``problems`` entry) at each T and M, then every registered trajectory check
  (:mod:`boundcheck.checks`), in registration order.
- Theorem ids and check ids (``thm4.1 ... lemmaE.2 ...``): those only.
- ``--problem`` / ``--data``: the user's problem replaces the defaults. A theorem whose
  assumptions the problem fails is refused: with one theorem id that is a usage error
  (exit 2, the reason named); in a multi-theorem run it becomes that row's ``error``
  verdict with the reason, the other rows are unaffected. ``--data`` runs the theorems and
  checks that declare ``data``.
- Kinds of statement (issue 12): a probability-upper theorem gets one cell per failure
  probability delta (``--delta``, else the theorem's declared deltas), each with
  ``ceil(20/delta)`` replicas unless ``--seeds`` says otherwise; a theorem may declare its own
  default iteration counts (``Theorem.Ts``); a statement ``verify`` cannot check (a cited O-form
  whose quantity could not be read) gets one cell that reports why.
- ``allow_violation`` (``--allow-assumption-violation``): cells run even on a problem that
  fails an assumption of the theorem; their rows are marked.
"""

from __future__ import annotations

from boundcheck import registry
from boundcheck.validation import InputError, suggest
from boundcheck.verify import defaults, theorem_check


def theorem_ids() -> list[str]:
    """Every registered theorem id, in registration order."""
    return registry.names("theorem")


def check_ids() -> list[str]:
    """Every registered trajectory-check id (``lemmaE.2`` ...), in registration order."""
    return registry.names("check")


def split_ids(ids: list[str]) -> tuple[list[str], list[str]]:
    """(theorem ids, check ids), each validated (unknown ids: InputError with a suggestion)."""
    theorems, checks = [], []
    known_t = theorem_ids()
    known_c = check_ids()
    for i in ids:
        if i in known_t:
            theorems.append(i)
        elif i in known_c:
            checks.append(i)
        else:
            raise InputError(f"unknown theorem or lemma {i!r}{suggest(i, known_t + known_c)}; "
                             f"known: {', '.join(known_t + known_c)}")
    return list(dict.fromkeys(theorems)), list(dict.fromkeys(checks))


def verify_plan(ids: list[str], *, problem: dict | None = None, Ts: list[int] | None = None,
                Ms: list[int] | None = None, seeds: int | None = None, seed: int = 0,
                deltas: list[float] | None = None, allow_violation: bool = False) -> list[dict]:
    """The cell specs of ``boundcheck verify IDS [options]``, in output order."""
    from boundcheck.verify.decisions import replicas_for_delta

    from boundcheck.theory.theorem import get

    theorems, checks = split_ids(ids)
    on_data = problem is not None and "data" in problem
    if not ids:
        theorems, checks = [t for t in theorem_ids() if get(t).verify_default], check_ids()
        if on_data:
            theorems = [t for t in theorems if get(t).data]
            checks = [c for c in checks if registry.get("check", c).data]
    elif on_data:
        bad = [t for t in theorems if not get(t).data]
        if bad:
            ok = [t for t in theorem_ids() if get(t).data]
            raise InputError(f"--data supports {', '.join(ok)}; not {', '.join(bad)}")
    if deltas is not None and not any(get(t).kind == "probability-upper" for t in theorems):
        raise InputError("--delta applies to high-probability (probability-upper) theorems; "
                         f"none among {', '.join(theorems) or 'the ids given'}")
    user_Ts = Ts
    Ms = list(Ms or [defaults.M_DEFAULT])
    R = seeds or defaults.SEEDS_DEFAULT
    specs = []
    for tid in theorems:
        thm = get(tid)
        if not thm.checkable:
            prob = problem if problem is not None else (thm.problems[0] if thm.problems else {"label": "-"})
            specs.append(theorem_check.spec(tid, prob, T=0, M=None, seeds=0, seed=seed))
            continue
        if problem is None and not thm.problems:
            raise InputError(f"{tid} declares no default problem; give one with --problem NAME or --data FILE")
        prob = problem if problem is not None else thm.problems[0]
        Ts = list(user_Ts or thm.Ts or defaults.T_DEFAULT)
        # a probability-upper statement: one cell per delta, ceil(20/delta) replicas by default
        hp_deltas = (deltas or thm.verify_deltas) if thm.kind == "probability-upper" else ()
        per_delta = [(d, seeds or replicas_for_delta(d)) for d in hp_deltas] or [(None, R)]
        for M in ([None] if thm.full_batch else Ms):
            for T in Ts:
                for delta, n in per_delta:
                    specs.append(theorem_check.spec(tid, prob, T=T, M=M, seeds=n, seed=seed, delta=delta,
                                                    allow_violation=allow_violation))
    for cid in checks:
        check = registry.get("check", cid)
        prob = problem if problem is not None else check.problems[0]
        specs.extend(check.plan(prob, Ts, Ms, R, seed))
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


__all__ = ["verify_plan", "split_ids", "theorem_ids", "check_ids", "refusal"]
