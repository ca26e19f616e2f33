"""The paper's lemmas (Liu, Pan, Zhang 2025), one module per topic; each a
:class:`~boundcheck.theory.lemma.Lemma` with statement, proof steps and numeric checkers.

Modules: :mod:`.noise` (C.2, E.2), :mod:`.descent` (C.3), :mod:`.adagrad` ((17), F.1-F.4),
:mod:`.inequalities` (G.1, G.3, G.4, G.5). They are registered in :mod:`boundcheck.manifest`;
``boundcheck.theory.lemma.get(ID)`` looks one up, and the objects are importable from here.
"""

from __future__ import annotations

from boundcheck.theory.lemma import Lemma, all_lemmas, as_array, get

from .adagrad import F1, F2, F3, F4, identity17
from .descent import C3
from .inequalities import G1, G3, G4, G5
from .noise import C2, E2

#: The paper's lemmas in registration order.
BUILTIN = (C2, C3, E2, identity17, F1, F2, F3, F4, G1, G3, G4, G5)

__all__ = ["Lemma", "get", "all_lemmas", "as_array", "BUILTIN", "C2", "C3", "E2", "identity17", "F1", "F2",
           "F3", "F4", "G1", "G3", "G4", "G5"]
