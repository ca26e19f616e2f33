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
positive integers. Theorems may declare further symbols with :func:`symbol`.

The SymPy objects are made on first use (``S.L_norm1`` or :func:`by_name`), so listing
theorems or printing ``--help`` never imports SymPy. :data:`NORMS` says which vector each norm
symbol is computed from: the constants layer derives every norm from it (one table, used
everywhere).
"""

from __future__ import annotations

from typing import Any

#: The public constants: name -> (meaning, SymPy assumptions).
_PUBLIC_DECL: dict[str, tuple[str, dict[str, bool]]] = {
    "d": ("dimension", {"positive": True, "integer": True}),
    "T": ("number of iterations", {"positive": True, "integer": True}),
    "M": ("batch size", {"positive": True, "integer": True}),
    "eps": ("AdaGrad epsilon (v_{-1} = eps^2 1)", {"positive": True}),
    "eta": ("base step size", {"positive": True}),
    "D_inf": ("l_inf diameter of W", {"positive": True}),
    "D_2": ("l_2 diameter of W", {"positive": True}),
    "L_norm1": ("||L||_1, anisotropic smoothness vector", {"positive": True}),
    "L_norminf": ("||L||_inf", {"positive": True}),
    "L0_norm1": ("||L0||_1, (L0, L1)-smoothness", {"positive": True}),
    "L1_norminf": ("||L1||_inf, (L0, L1)-smoothness", {"positive": True}),
    "sigma_norm1": ("||sigma||_1, anisotropic noise", {"positive": True}),
    "sigma_norm2": ("||sigma||_2", {"positive": True}),
    "Delta": ("f(w_0) - f_*", {"positive": True}),
}

#: Norm symbols and the constant vector (and order) each is computed from.
NORMS: dict[str, tuple[str, float]] = {
    "L_norm1": ("L", 1),
    "L_norminf": ("L", float("inf")),
    "sigma_norm1": ("sigma", 1),
    "sigma_norm2": ("sigma", 2),
    "L0_norm1": ("L0", 1),
    "L1_norminf": ("L1", float("inf")),
    "L_star_norm1": ("L_star", 1),
    "sigma_star_norm1": ("sigma_star", 1),
}

#: One-line meaning of every declared symbol, for docs and ``boundcheck show``.
MEANING: dict[str, str] = {k: v[0] for k, v in _PUBLIC_DECL.items()}
#: Further symbols theorems introduce: name -> SymPy assumptions.
_EXTRA_DECL: dict[str, dict[str, bool]] = {}
#: Symbols whose value is a constant of another name in the constants layer (eq. (8)'s scalar
#: ``L0`` is the constant ``L0_scalar``: the vector ``L0`` of Assumption 5.1 is another thing).
_CONSTANT_OF: dict[str, str] = {}
_MADE: dict[str, Any] = {}


def _make(name: str, assumptions: dict[str, bool]):
    import sympy as sp

    if name not in _MADE:
        _MADE[name] = sp.Symbol(name, **assumptions)
    return _MADE[name]


def declare(name: str, meaning: str, constant: str | None = None, **assumptions) -> None:
    """Declare a further public symbol (positive unless told otherwise) without SymPy.
    ``constant``: the constants layer's name for its value, when it differs from ``name``."""
    if constant is not None:
        _CONSTANT_OF[name] = constant
    if name in _PUBLIC_DECL:
        return
    if name not in _EXTRA_DECL:
        assumptions.setdefault("positive", True)
        _EXTRA_DECL[name] = assumptions
        MEANING[name] = meaning


def constant_name(name: str) -> str:
    """The constants layer's name of the value of symbol ``name`` (usually ``name`` itself)."""
    return _CONSTANT_OF.get(name, name)


def symbol(name: str, meaning: str, **assumptions):
    """Declare (or fetch) a further public symbol, positive unless told otherwise."""
    if name in _PUBLIC_DECL:
        return _make(name, _PUBLIC_DECL[name][1])
    declare(name, meaning, **assumptions)
    return _make(name, _EXTRA_DECL[name])


def by_name(name: str):
    """The public symbol called ``name`` (a SymPy Symbol), or None."""
    if name in _PUBLIC_DECL:
        return _make(name, _PUBLIC_DECL[name][1])
    if name in _EXTRA_DECL:
        return _make(name, _EXTRA_DECL[name])
    return None


def is_integer(name: str) -> bool:
    """Whether the symbol called ``name`` is an integer (T, M, d)."""
    decl = _PUBLIC_DECL.get(name, (None, _EXTRA_DECL.get(name, {})))[1]
    return bool(decl.get("integer"))


def is_known(name: str) -> bool:
    return name in _PUBLIC_DECL or name in _EXTRA_DECL


def public_names() -> list[str]:
    return list(_PUBLIC_DECL)


def extra_names() -> list[str]:
    return list(_EXTRA_DECL)


def all_names() -> list[str]:
    """Every symbol name of every registered theorem (builds the theorems' SymPy parts, so
    the symbols they declare are known)."""
    from boundcheck import registry

    for thm in registry.all("theorem"):
        thm.symbolic  # noqa: B018 - building declares the theorem's symbols
    return public_names() + extra_names()


def __getattr__(name: str):
    """``S.L_norm1`` and ``from boundcheck.theory.symbols import eta``: the SymPy symbol."""
    if name in _PUBLIC_DECL:
        return _make(name, _PUBLIC_DECL[name][1])
    raise AttributeError(f"module 'boundcheck.theory.symbols' has no attribute {name!r}")
