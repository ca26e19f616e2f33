"""Public symbols of the theory layer. Their *names* are a contract: the CLI
(``boundcheck bound ID NAME=VALUE``), JSON output and docs all use them.

Scalar constants (Liu, Pan, Zhang 2025, Sections 3-5):

========== ===========================================================
name       meaning
========== ===========================================================
d          dimension
T          number of iterations
M          batch size
eps        AdaGrad's epsilon (v_{-1} = eps^2 1)
eta        base step size
D_inf      l_inf diameter of W (Assumption 3.1)
D_2        l_2 diameter of W (Assumption 3.1)
L_norm1    ||L||_1 of the anisotropic smoothness vector (Assumption 3.3)
L_norminf  ||L||_inf
L0_norm1   ||L0||_1 (Assumption 5.1)
L1_norminf ||L1||_inf (Assumption 5.1)
sigma_norm1 ||sigma||_1 (Assumption 3.5)
sigma_norm2 ||sigma||_2
Delta      f(w_0) - f_* (Assumption 3.2)
========== ===========================================================

Everything is declared positive so SymPy can simplify square roots and logs; T, M, d are
positive integers. Theorems may declare further symbols in :data:`EXTRA`.
"""

from __future__ import annotations

import sympy as sp

d, T, M = sp.symbols("d T M", positive=True, integer=True)
eps, eta = sp.symbols("eps eta", positive=True)
D_inf, D_2 = sp.symbols("D_inf D_2", positive=True)
L_norm1, L_norminf = sp.symbols("L_norm1 L_norminf", positive=True)
L0_norm1, L1_norminf = sp.symbols("L0_norm1 L1_norminf", positive=True)
sigma_norm1, sigma_norm2 = sp.symbols("sigma_norm1 sigma_norm2", positive=True)
Delta = sp.symbols("Delta", positive=True)

#: The public constants, by name (the contract).
PUBLIC: dict[str, sp.Symbol] = {
    s.name: s
    for s in (d, T, M, eps, eta, D_inf, D_2, L_norm1, L_norminf, L0_norm1, L1_norminf,
              sigma_norm1, sigma_norm2, Delta)
}

#: Further symbols theorems introduce (name -> Symbol); filled by :func:`symbol`.
EXTRA: dict[str, sp.Symbol] = {}

#: One-line meaning of every symbol, for docs and ``boundcheck show``.
MEANING: dict[str, str] = {
    "d": "dimension",
    "T": "number of iterations",
    "M": "batch size",
    "eps": "AdaGrad epsilon (v_{-1} = eps^2 1)",
    "eta": "base step size",
    "D_inf": "l_inf diameter of W",
    "D_2": "l_2 diameter of W",
    "L_norm1": "||L||_1, anisotropic smoothness vector",
    "L_norminf": "||L||_inf",
    "L0_norm1": "||L0||_1, (L0, L1)-smoothness",
    "L1_norminf": "||L1||_inf, (L0, L1)-smoothness",
    "sigma_norm1": "||sigma||_1, anisotropic noise",
    "sigma_norm2": "||sigma||_2",
    "Delta": "f(w_0) - f_*",
}


def symbol(name: str, meaning: str, **assumptions) -> sp.Symbol:
    """Declare (or fetch) a further public symbol, positive unless told otherwise."""
    if name in PUBLIC:
        return PUBLIC[name]
    if name not in EXTRA:
        assumptions.setdefault("positive", True)
        EXTRA[name] = sp.Symbol(name, **assumptions)
        MEANING[name] = meaning
    return EXTRA[name]


def by_name(name: str) -> sp.Symbol | None:
    """The public symbol called ``name``, or None."""
    return PUBLIC.get(name) or EXTRA.get(name)


def all_names() -> list[str]:
    return list(PUBLIC) + list(EXTRA)
