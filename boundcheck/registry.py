"""Components by kind: the one place boundcheck finds its algorithms, problems, theorems ...

A *component* is a declared object (an :class:`~boundcheck.algorithms.base.AlgorithmSpec`, a
:class:`~boundcheck.problems.spec.ProblemSpec`, a :class:`~boundcheck.theory.theorem.Theorem`,
...). Components come from *manifests*: a mapping ``{kind: ["module:attribute", ...]}`` of
lazy references.

- boundcheck's own manifest is :data:`boundcheck.manifest.MANIFEST`;
- a plugin is any installed distribution with an entry point in the group
  ``boundcheck.plugins`` whose value is its manifest (e.g.
  ``example = "boundcheck_example:MANIFEST"``, see ``examples/plugin/``).

Nothing registers by importing a module: a kind's references are imported the first time the
kind is asked for (so ``boundcheck --help`` imports no theorem and no SymPy), in manifest
order, boundcheck first, then plugins by entry-point name. A reference may name one
component or a sequence of them.

A plugin that fails to load (its manifest, or one of its references: an import error, a
wrong type, an id that is already taken) is reported once on stderr in one line naming the
plugin and the reason; its other components and the rest of boundcheck keep working
(:func:`plugin_errors` lists the reports).

Components registered from Python with :func:`register` live in this process only (worker
processes of ``--workers N`` import manifests afresh, so use a plugin for those).
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from boundcheck.validation import InputError, suggest

#: The kinds of components, and the attribute that names each (its key).
KINDS: dict[str, str] = {
    "algorithm": "name",
    "problem": "name",
    "metric": "name",
    "quantity": "id",
    "assumption": "id",
    "constant": "name",
    "theorem": "id",
    "lemma": "id",
    "check": "id",
    "comparison": "id",
}
#: Plural nouns for messages.
_NOUN = {"algorithm": "algorithm", "problem": "problem", "metric": "metric", "quantity": "quantity",
         "assumption": "assumption", "constant": "constant provider", "theorem": "theorem",
         "lemma": "lemma", "check": "check", "comparison": "comparison"}

ENTRY_POINT_GROUP = "boundcheck.plugins"
BUILTIN = "boundcheck"


@dataclass(frozen=True)
class Entry:
    """A loaded component and where it came from (``boundcheck`` or the plugin's name)."""

    component: Any
    origin: str


_LOADED: dict[str, dict[str, Entry]] = {}
_MANIFESTS: list[tuple[str, Mapping[str, Any]]] | None = None
_ERRORS: list[str] = []
_REPORTED: set[str] = set()


def _report(message: str) -> None:
    """One line on stderr, once per message and process."""
    _ERRORS.append(message)
    if message not in _REPORTED:
        _REPORTED.add(message)
        print(f"boundcheck: {message}", file=sys.stderr)


def _resolve(ref: str) -> Any:
    if not isinstance(ref, str) or ":" not in ref:
        return ref  # an object given directly
    module, _, attr = ref.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _manifests() -> list[tuple[str, Mapping[str, Any]]]:
    """(origin, manifest) pairs: boundcheck's, then each plugin's (loaded once)."""
    global _MANIFESTS
    if _MANIFESTS is not None:
        return _MANIFESTS
    from boundcheck.manifest import MANIFEST

    out: list[tuple[str, Mapping[str, Any]]] = [(BUILTIN, MANIFEST)]
    try:
        from importlib.metadata import entry_points

        eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    except Exception as err:  # pragma: no cover - a broken metadata installation
        _report(f"plugins could not be listed ({type(err).__name__}: {err}); continuing without them")
        eps = []
    for ep in eps:
        try:
            manifest = ep.load()
            if callable(manifest):
                manifest = manifest()
            if not isinstance(manifest, Mapping):
                raise TypeError(f"its entry point {ep.value!r} is not a manifest (a mapping kind -> references)")
            unknown = [k for k in manifest if k not in KINDS]
            if unknown:
                raise TypeError(f"unknown component kind {unknown[0]!r}{suggest(unknown[0], KINDS)}; "
                                f"allowed: {', '.join(KINDS)}")
        except Exception as err:  # noqa: BLE001 - any failure of a plugin is reported, never fatal
            _report(f"plugin {ep.name!r} could not be loaded ({type(err).__name__}: {_one_line(err)}); "
                    "continuing without it")
            continue
        out.append((ep.name, manifest))
    _MANIFESTS = out
    return out


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:300]


def _key(kind: str, component: Any) -> str:
    attr = KINDS[kind]
    key = getattr(component, attr, None)
    if not isinstance(key, str) or not key:
        raise TypeError(f"a {_NOUN[kind]} component needs a non-empty string attribute {attr!r}; "
                        f"got {type(component).__name__}")
    return key


#: The class each kind's components must be an instance of (imported when the kind loads).
_TYPES: dict[str, str] = {
    "algorithm": "boundcheck.algorithms.base:AlgorithmSpec",
    "problem": "boundcheck.problems.spec:ProblemSpec",
    "metric": "boundcheck.engine.metrics:Metric",
    "quantity": "boundcheck.theory.quantity:Quantity",
    "assumption": "boundcheck.theory.assumption:Assumption",
    "constant": "boundcheck.constants.provider:Provider",
    "theorem": "boundcheck.theory.theorem:Theorem",
    "lemma": "boundcheck.theory.lemma:Lemma",
    "check": "boundcheck.verify.check:Check",
    "comparison": "boundcheck.theory.comparison:Comparison",
}


def _check_type(kind: str, component: Any) -> None:
    expected = _resolve(_TYPES[kind])
    if not isinstance(component, expected):
        raise TypeError(f"{_NOUN[kind]} components must be {expected.__name__} objects; "
                        f"got {type(component).__name__}")


def _load(kind: str) -> dict[str, Entry]:
    if kind not in KINDS:
        raise ValueError(f"unknown component kind {kind!r}; known: {', '.join(KINDS)}")
    if kind in _LOADED:
        return _LOADED[kind]
    table: dict[str, Entry] = {}
    _LOADED[kind] = table  # visible while loading (a component may look up another kind)
    for origin, manifest in _manifests():
        for ref in manifest.get(kind, ()) or ():
            try:
                obj = _resolve(ref)
                items = list(obj) if isinstance(obj, (list, tuple)) else [obj]
                for item in items:
                    _check_type(kind, item)
                    _add(kind, item, origin, table)
            except Exception as err:  # noqa: BLE001
                if origin == BUILTIN:
                    raise  # a bug in boundcheck itself: never hidden
                _report(f"plugin {origin!r}: {_NOUN[kind]} {ref!r} could not be loaded "
                        f"({type(err).__name__}: {_one_line(err)}); skipped")
    return table


def _add(kind: str, component: Any, origin: str, table: dict[str, Entry]) -> None:
    key = _key(kind, component)
    if key in table:
        if table[key].component is component:
            return
        raise ValueError(f"{_NOUN[kind]} {key!r} is already registered by {table[key].origin!r}")
    table[key] = Entry(component, origin)


# ---------------------------------------------------------------------- public API
def all(kind: str) -> list[Any]:  # noqa: A001 - reads as registry.all("theorem")
    """Every component of ``kind``, in registration order (boundcheck's first)."""
    return [e.component for e in _load(kind).values()]


def names(kind: str) -> list[str]:
    """The keys (names / ids) of every component of ``kind``."""
    return list(_load(kind))


def get(kind: str, key: str) -> Any:
    """The component of ``kind`` called ``key``; an InputError naming the known ones."""
    table = _load(kind)
    try:
        return table[key].component
    except (KeyError, TypeError):
        known = list(table)
        raise InputError(f"unknown {_NOUN[kind]} {key!r}{suggest(str(key), known)}; "
                         f"known: {', '.join(known)}") from None


def has(kind: str, key: str) -> bool:
    return key in _load(kind)


def origin(kind: str, key: str) -> str:
    """``"boundcheck"`` or the name of the plugin that registered it."""
    get(kind, key)
    return _load(kind)[key].origin


def register(kind: str, component: Any, origin: str = "api") -> Any:
    """Add a component from Python (this process only); returns it. An id already taken is
    a ValueError."""
    _check_type(kind, component)
    _add(kind, component, origin, _load(kind))
    return component


def unregister(kind: str, key: str) -> None:
    """Remove a component registered with :func:`register` (tests, notebooks)."""
    table = _load(kind)
    if key in table and table[key].origin == BUILTIN:
        raise ValueError(f"{_NOUN[kind]} {key!r} is built in; it cannot be removed")
    table.pop(key, None)


def plugins() -> list[str]:
    """Names of the plugins whose manifests loaded."""
    return [o for o, _ in _manifests() if o != BUILTIN]


def plugin_errors() -> list[str]:
    """The one-line reports of plugins (or plugin components) that failed to load."""
    _manifests()
    return list(_ERRORS)


def iter_entries(kind: str) -> Iterator[tuple[str, Entry]]:
    return iter(_load(kind).items())


def reset() -> None:
    """Forget everything loaded (tests that install a plugin at run time)."""
    global _MANIFESTS
    _LOADED.clear()
    _MANIFESTS = None
    _ERRORS.clear()


__all__ = ["KINDS", "ENTRY_POINT_GROUP", "Entry", "all", "names", "get", "has", "origin", "register",
           "unregister", "plugins", "plugin_errors", "reset"]
