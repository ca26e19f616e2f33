"""Default problems and sizes of ``boundcheck verify`` (each chosen to satisfy the theorem).

Every theorem is checked on a problem that satisfies its assumptions (the cell checks them
again and refuses a problem that fails one):

========================  =====================  ==============================================
theorem                   default problem        why it satisfies the assumptions
========================  =====================  ==============================================
thm4.1, thmD.1,           exptail-logistic       convex, smooth (Hess <= X^T X/(4n) + l2 I), l2 > 0
adagradnorm-convex,                              so w* exists; the box W = [-B, B]^d has
thmE.1                                           B >= 1.25 ||w*||_inf, so w* is an interior,
                                                 stationary minimiser (grad f(w*) = 0, which the
                                                 convex proofs need); sigma certified over W
thmE.interp               exptail-linear,        consistent least squares (y = X w_o exactly,
                          noise = 0, l2 = 0      so every per-sample gradient vanishes at w*:
                                                 sigma_* = 0 up to rounding); L_* in closed form
                                                 (see :mod:`boundcheck.verify.interpolation`)
thm4.3, thm5.3, thmD.3,   nonconvex-aniso        lower bounded, anisotropic L- and (L0, L1)-
adagradnorm-nonconvex                            smooth with known vectors, per-coordinate noise
========================  =====================  ==============================================

Sizes are modest so that ``boundcheck verify`` with no arguments finishes within two
minutes on two cores; every size is an option (``--d --T --M --seeds``).
"""

from __future__ import annotations

from boundcheck.validation import InputError, choice
from boundcheck.verify import instances

#: Default sizes of a theorem check.
T_DEFAULT = (100, 1000)
M_DEFAULT = 8
SEEDS_DEFAULT = 32

CONVEX = instances.registry_spec("exptail-logistic", {"d": 32, "n": 512})
INTERPOLATION = instances.registry_spec("exptail-linear", {"d": 32, "n": 512, "noise": 0.0, "l2": 0.0},
                                        label="exptail-linear (consistent)")
NONCONVEX = instances.registry_spec("nonconvex-aniso", {"d": 32})

THEOREM_PROBLEMS: dict[str, dict] = {
    "thm4.1": CONVEX,
    "thmD.1": CONVEX,
    "adagradnorm-convex": CONVEX,
    "thmE.1": CONVEX,
    "thmE.interp": INTERPOLATION,
    "thm4.3": NONCONVEX,
    "thm5.3": NONCONVEX,
    "thmD.3": NONCONVEX,
    "adagradnorm-nonconvex": NONCONVEX,
}

#: Order of the default table (the paper's order).
THEOREM_ORDER = ("thm4.1", "thmD.1", "adagradnorm-convex", "thmE.1", "thmE.interp", "thm4.3", "thm5.3",
                 "thmD.3", "adagradnorm-nonconvex")

#: Theorems ``--data FILE`` supports (convex finite sums; the nonconvex theorems hold on
#: convex data with f_* = f(w*) and L from the constants layer).
DATA_THEOREMS = ("thm4.1", "thmD.1", "adagradnorm-convex", "thm4.3", "thmD.3")


def problem_names() -> tuple[str, ...]:
    from boundcheck.problems.registry import PROBLEM_NAMES

    return tuple(PROBLEM_NAMES)


def problem_spec_for_user(name: str, params: dict) -> dict:
    """Spec of a user-chosen registry problem (the name checked, the parameters passed on;
    the registry validates them when the cell builds the problem)."""
    choice("problem", name, problem_names())
    clean = {}
    for k, v in params.items():
        if isinstance(v, str):
            try:
                x = float(v)
                v = int(x) if x.is_integer() and "." not in v and "e" not in v.lower() else x
            except ValueError:
                pass
        clean[k] = v
    spec = instances.registry_spec(name, clean)
    instances.build(spec)  # fail at the door (exit 2) on a bad parameter, not inside a cell
    return spec


def default_problem(theorem_id: str) -> dict:
    try:
        return THEOREM_PROBLEMS[theorem_id]
    except KeyError:
        raise InputError(f"no default problem for {theorem_id!r}") from None


__all__ = ["T_DEFAULT", "M_DEFAULT", "SEEDS_DEFAULT", "THEOREM_PROBLEMS", "THEOREM_ORDER", "DATA_THEOREMS",
           "problem_spec_for_user", "default_problem"]
