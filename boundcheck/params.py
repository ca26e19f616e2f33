"""Declared parameters: one declaration drives validation, CLI help, JSON, docs and tests.

Every component with parameters (a problem family's ``d, n, tau ...``, an algorithm's
hyperparameters ``eps, blocks, beta1 ...``) declares them as a tuple of :class:`Param`
(the scikit-learn ``_parameter_constraints`` idea, and benchopt's ``parameters``). The
declaration is the single source of:

- validation at the door (:func:`bind`: unknown names, wrong types and out-of-range values
  are one-line :class:`~boundcheck.validation.InputError` messages naming what is allowed);
- the text of ``--help`` and ``docs/`` (:meth:`Param.describe`);
- search spaces (the tightness search samples declared ranges);
- test configurations (each component's ``test_params``).

A parameter whose default depends on another one (``tau = 5/d``) declares ``default=None``
and says so in ``default_text``; the component computes it after binding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from boundcheck.validation import InputError, choice, integer, real, suggest

#: Parameter types (``bool`` values are given as true/false/1/0 on the command line).
TYPES = ("int", "float", "str", "bool")


@dataclass(frozen=True)
class Param:
    """One declared parameter.

    ``type``: ``"int" | "float" | "str" | "bool"``; ``low``/``high`` bound numbers (closed
    unless ``low_open``/``high_open``); ``choices`` restrict strings; ``default`` None means
    "computed by the component" (explain it in ``default_text``).
    """

    name: str
    type: str
    default: Any
    doc: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] | None = None
    default_text: str | None = None
    #: the search space of the tightness search, when it differs from [low, high]
    #: (e.g. a dimension allowed up to 1e7 but searched up to 512): ``(lo, hi, "log"|"linear")``
    search: tuple | None = None
    #: what the refusal of an out-of-range value says is allowed (default: the interval)
    allowed: str | None = None

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Param {self.name!r}: type {self.type!r} not in {TYPES}")

    def validate(self, value: Any, owner: str = "") -> Any:
        """``value`` converted to the declared type, or an InputError naming it."""
        if self.allowed is None:
            return self._validate(value)
        try:
            return self._validate(value)
        except InputError as err:
            if "out of range" not in str(err):
                raise
            raise InputError(f"{self.name}={value!r} is out of range; allowed: {self.allowed}") from None

    def _validate(self, value: Any) -> Any:
        label = self.name
        if self.type == "int":
            lo = None if self.low is None else int(self.low) + (1 if self.low_open else 0)
            hi = None if self.high is None else int(self.high) - (1 if self.high_open else 0)
            return integer(label, value, low=lo, high=hi)
        if self.type == "float":
            return real(label, value, low=self.low, high=self.high, low_open=self.low_open,
                        high_open=self.high_open)
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise InputError(f"{label}={value!r} is not a boolean; allowed: true, false")
        text = str(value)
        if self.choices is not None:
            return choice(label, text, self.choices)
        return text

    def describe(self) -> str:
        """One line: ``name (type, range, default): doc``."""
        parts = [self.type]
        if self.choices:
            parts.append("one of " + "|".join(self.choices))
        elif self.low is not None or self.high is not None:
            lo = "-inf" if self.low is None else f"{self.low:g}"
            hi = "inf" if self.high is None else f"{self.high:g}"
            parts.append(("(" if self.low_open else "[") + f"{lo}, {hi}" + (")" if self.high_open else "]"))
        default = self.default_text if self.default_text is not None else (
            "computed" if self.default is None else repr(self.default))
        parts.append(f"default {default}")
        return f"{self.name} ({', '.join(parts)}): {self.doc}"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (docs, ``--format json`` listings)."""
        out = {"name": self.name, "type": self.type, "default": self.default, "doc": self.doc}
        for key in ("low", "high", "choices", "default_text"):
            v = getattr(self, key)
            if v is not None:
                out[key] = list(v) if isinstance(v, tuple) else v
        if self.low_open:
            out["low_open"] = True
        if self.high_open:
            out["high_open"] = True
        return out


def names(declared: Sequence[Param]) -> tuple[str, ...]:
    return tuple(p.name for p in declared)


def bind(declared: Sequence[Param], given: Mapping[str, Any], owner: str,
         fill_defaults: bool = True) -> dict[str, Any]:
    """Validate ``given`` against ``declared``: every name known, every value in range.

    Values None mean "default". Returns ``{name: value}`` for every declared parameter (the
    declared default where none was given, when ``fill_defaults``), so the component never
    sees an unvalidated value. ``owner`` names the component in messages
    (``problem 'quadratic-oracle' has no parameter 'x' ...``).
    """
    by_name = {p.name: p for p in declared}
    out: dict[str, Any] = {}
    for key, value in given.items():
        if value is None:
            continue
        if key not in by_name:
            allowed = ", ".join(by_name) or "none"
            raise InputError(f"{owner} has no parameter {key!r}{suggest(key, by_name)}; allowed: {allowed}")
        out[key] = by_name[key].validate(value, owner)
    if fill_defaults:
        for p in declared:
            if p.name not in out and p.default is not None:
                out[p.name] = p.default
    return out


def parse_assignments(items: Iterable[str], flag: str = "--param") -> dict[str, str]:
    """``KEY=VALUE`` strings (``-p d=100``) -> ``{key: value}`` (values stay strings; the
    declaration converts them). Dashes in keys become underscores (``seed-problem``)."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in str(item) or not str(item).split("=", 1)[0].strip():
            raise InputError(f"{flag} {item!r}: expected KEY=VALUE")
        key, value = str(item).split("=", 1)
        key = key.strip().replace("-", "_")
        if key in out and out[key] != value.strip():
            raise InputError(f"{flag} {key} given twice ({out[key]!r} and {value.strip()!r})")
        out[key] = value.strip()
    return out


__all__ = ["Param", "TYPES", "bind", "names", "parse_assignments"]
