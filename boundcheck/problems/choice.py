"""The user's choice of problem, validated once for every command and for the Python API.

A problem is chosen in one of two ways, with the same words everywhere (``boundcheck run``,
``constants``, ``verify``, ``sweep T``, ``sweep batch``, and :func:`boundcheck.verify_rows`):

- **a registered family and its parameters**: ``--problem NAME -p KEY=VALUE ...`` on the command
  line, ``choose("NAME", {"KEY": VALUE})`` from Python. The family's declared parameters
  (:class:`~boundcheck.params.Param` on its :class:`~boundcheck.problems.spec.ProblemSpec`) are
  the only source of names, types, ranges and defaults; values may be strings (``"16"``,
  ``"1e-3"``) or numbers and come back typed. ``--d D`` is ``-p d=D``; the older shortcuts
  (``--n --tau --noise --l2 --sparsity --rank --coupling --rotate --kappa --radius
  --seed-problem``) are ``-p NAME=VALUE`` too. The same parameter given twice with different
  values (``--d 6 -p d=8``) is refused, never silently resolved.
- **a data set**: ``--data FILE|sklearn:NAME [--loss logistic|squared] [--l2 X] [--d D]``
  (``choose(data=..., loss=..., l2=..., d=...)``): the loss defaults to ``logistic``, the ridge
  coefficient to 0, and ``d`` is the number of features the data must have (a libsvm file may
  omit trailing zero features; a larger feature index is refused). Family parameters do not
  apply to data and are refused.

:func:`merge_assignments` is the one parser of ``KEY=VALUE`` assignments and shortcuts;
:func:`choose` validates and returns a :class:`ProblemChoice` (``build()`` gives the problem;
:func:`boundcheck.verify.instances.spec_of` its cell spec).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from boundcheck.validation import InputError, choice, integer, nonnegative

#: Losses a data set can be read with (:func:`boundcheck.problems.load_data`).
DATA_LOSSES = ("logistic", "squared")
DEFAULT_LOSS = "logistic"
DEFAULT_L2 = 0.0


def _same(a: Any, b: Any) -> bool:
    """Two spellings of one value (``"8"`` and ``8.0`` agree; ``"8"`` and ``"9"`` do not)."""
    if str(a).strip() == str(b).strip():
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def _number(value: Any) -> Any:
    """A command-line string that spells a number, as that number (``"16"`` -> 16, ``"0.1"`` ->
    0.1); anything else unchanged (the declaration converts and checks it)."""
    if not isinstance(value, str):
        return value
    try:
        x = float(value)
    except ValueError:
        return value
    if x.is_integer() and "." not in value and "e" not in value.lower() and "inf" not in value.lower():
        return int(x)
    return x


def merge_assignments(assignments: Iterable[str] = (), shortcuts: Mapping[str, Any] | None = None,
                      flag: str = "-p") -> dict[str, Any]:
    """``KEY=VALUE`` strings and shortcut values (``{"d": "6"}`` from ``--d 6``) -> one
    ``{key: value}``. Dashes in keys become underscores; a key given twice with different
    values is an InputError naming both spellings."""
    out: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for key, value in (shortcuts or {}).items():
        if value is None:
            continue
        out[key] = value
        origin[key] = f"--{key.replace('_', '-')} {value}"
    for item in assignments:
        text = str(item)
        if "=" not in text or not text.split("=", 1)[0].strip():
            raise InputError(f"{flag} {text!r}: expected KEY=VALUE, e.g. {flag} d=16")
        key, value = text.split("=", 1)
        key, value = key.strip().replace("-", "_"), value.strip()
        if key in out and not _same(out[key], value):
            raise InputError(f"{origin[key]} and {flag} {key}={value} disagree; give {key} once")
        out.setdefault(key, value)
        origin.setdefault(key, f"{flag} {key}={value}")
    return out


@dataclass(frozen=True)
class ProblemChoice:
    """A validated choice: a registered family with typed parameters (``name``, ``params``)
    or a data set (``data``, ``loss``, ``l2``, ``d``)."""

    name: str | None = None
    params: dict = field(default_factory=dict)
    data: str | None = None
    loss: str | None = None
    l2: float | None = None
    d: int | None = None

    @property
    def is_data(self) -> bool:
        return self.data is not None

    def build(self):
        """The :class:`~boundcheck.problems.base.Problem` (reads the data set, or builds the family)."""
        from boundcheck.problems import load_data, make_problem

        if self.is_data:
            return load_data(self.data, self.loss, DEFAULT_L2 if self.l2 is None else self.l2,
                             n_features=self.d)
        return make_problem(self.name, **self.params)


def choose(problem: str | None = None, params: Mapping[str, Any] | None = None, *, data: str | None = None,
           loss: str | None = None, l2: Any = None, d: Any = None, required: bool = False,
           minimizer: bool = False) -> ProblemChoice | None:
    """Validate a problem choice (see the module docstring); None when nothing is chosen and
    ``required`` is false (the command's default problems).

    ``l2`` and ``d`` with a registered family are its parameters ``l2`` and ``d`` (refused if
    ``params`` says otherwise). ``minimizer``: the caller needs w* and f* (the theorems), so
    logistic data needs ``l2 > 0``."""
    params = dict(params or {})
    if problem is not None and data is not None:
        raise InputError(f"problem {problem!r} and data {data!r} both given; allowed: exactly one of them "
                         "(--problem NAME or --data FILE)")
    if data is not None:
        if params:
            names = ", ".join(sorted(params))
            raise InputError(f"problem parameters ({names}) apply to a registered problem, not to data; "
                             "with data allowed: loss, l2, d")
        loss_ = choice("loss", DEFAULT_LOSS if loss is None else str(loss), DATA_LOSSES)
        l2_ = None if l2 is None else nonnegative("l2", l2)  # None: DEFAULT_L2 (kept apart for cache keys)
        if minimizer and loss_ == "logistic" and not l2_:
            raise InputError(f"l2={l2_ or 0:g} with the logistic loss: the theorems need a minimizer w* and f*; "
                             "allowed: l2 > 0 (e.g. --l2 0.01), or the squared loss")
        d_ = None if d is None else integer("d", d, low=1)
        return ProblemChoice(data=str(data), loss=loss_, l2=l2_, d=d_)
    if loss is not None:
        raise InputError(f"loss {loss!r} applies to data (--data FILE); a registered problem has its own loss")
    merged = merge_assignments(shortcuts={"d": d, "l2": l2})
    for key, value in merged.items():
        if key in params and not _same(params[key], value):
            raise InputError(f"{key}={value} and params {key}={params[key]} disagree; give {key} once")
        params.setdefault(key, value)
    if problem is None:
        if required:
            from boundcheck.problems import problem_names

            raise InputError("no problem given; allowed: exactly one of a registered problem (--problem NAME: "
                             f"{', '.join(problem_names())}) or a data set (--data FILE)")
        if params:
            raise InputError(f"problem parameters ({', '.join(sorted(params))}) need a problem; "
                             "allowed: --problem NAME (or --data FILE with loss, l2, d)")
        return None
    from boundcheck.params import bind
    from boundcheck.problems import problem_spec

    spec = problem_spec(str(problem))
    params = {k: _number(v) for k, v in params.items()}  # messages read d=0, not d='0'
    typed = bind(spec.params, params, f"problem {spec.name!r}", fill_defaults=False)
    return ProblemChoice(name=spec.name, params=typed)


def declared_parameters() -> list[tuple[str, str]]:
    """``[(problem, "d=50, n=1000, tau=5/d, ...")]`` for every registered problem: the names
    and defaults ``-p`` accepts, from the declarations (used by the commands' help)."""
    from boundcheck import registry

    out = []
    for name in registry.names("problem"):
        spec = registry.get("problem", name)
        items = []
        for p in spec.params:
            default = p.default_text if p.default_text is not None else (
                "computed" if p.default is None else f"{p.default:g}" if isinstance(p.default, float)
                else str(p.default))
            items.append(f"{p.name}={default}")
        out.append((name, ", ".join(items) or "(no parameters)"))
    return out


__all__ = ["ProblemChoice", "choose", "merge_assignments", "declared_parameters", "DATA_LOSSES",
           "DEFAULT_LOSS", "DEFAULT_L2"]
