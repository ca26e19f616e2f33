"""``boundcheck theorems``, ``boundcheck show ID``, ``boundcheck bound ID NAME=VALUE ...``.

The theory layer on the command line (see :mod:`boundcheck.theory`):

- ``theorems [--format table|json]``: id, method, setting, quantity, reference of every
  registered theorem (modules registering later appear automatically).
- ``show ID [--latex]``: assumptions, step size, quantity, O-form, explicit bound and the
  proof chain with each step's check status.
- ``bound ID NAME=VALUE ... [--format table|json]``: the explicit bound, its terms and the
  step size at the given constants. JSON: ``{"theorem", "quantity", "explicit", "terms",
  "step_size", "constants", ...}``. Missing constants (all named), negative or non-numeric
  values and malformed tokens exit 2 with one line; unused constants are ignored.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import click

from boundcheck.theory import symbols as S
from boundcheck.theory.theorem import Theorem, all_theorems, get
from boundcheck.validation import InputError, choice, suggest

_TOKEN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.+)$")


def parse_constants(tokens: tuple[str, ...]) -> dict[str, str]:
    """``NAME=VALUE`` tokens -> ``{NAME: VALUE}``; InputError on a malformed or repeated token."""
    out: dict[str, str] = {}
    for tok in tokens:
        m = _TOKEN.match(tok.strip())
        if not m:
            raise InputError(f"malformed constant {tok!r}; expected NAME=VALUE, e.g. T=1000")
        name, value = m.group(1), m.group(2)
        if name in out:
            raise InputError(f"constant {name} given twice ({out[name]!r} and {value!r})")
        out[name] = value
    return out


def _json_safe(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json_safe(v) for v in x]
    return x


def _fmt(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and not math.isfinite(x):  # never print inf/nan as a value
        return "> 1.8e308 (overflow)" if x > 0 else "-"
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def _unknown_hint(constants: dict[str, str], missing: list[str]) -> str:
    """`` (ignored unknown: x (did you mean 'y'?))`` for given names no theorem uses; the
    suggestion prefers a missing name of the same spelling up to case (``t`` -> ``T``)."""
    known = set(S.all_names())
    unknown = [n for n in constants if n not in known]
    if not unknown:
        return ""
    parts = []
    for n in unknown:
        same_case = [m for m in missing if m.lower() == n.lower()]
        hint = f" (did you mean {same_case[0]!r}?)" if same_case else (suggest(n, missing) or suggest(n, known))
        parts.append(f"{n}{hint}")
    return f" (ignored unknown: {', '.join(parts)})"


def theorem_summary(thm: Theorem) -> dict[str, Any]:
    """The listing fields of a theorem (no SymPy needed)."""
    from boundcheck import registry

    return {"id": thm.id, "method": thm.method, "option": thm.option, "setting": thm.setting,
            "quantity": thm.quantity, "quantity_id": thm.quantity_id, "reference": thm.reference,
            "o_form_only": not thm.has_explicit, "kind": thm.kind, "algorithm": thm.algorithm,
            "source": registry.origin("theorem", thm.id)}


def _expr(e, latex: bool) -> str:
    import sympy as sp

    if e is None:
        return "(none: O-form only)"
    return sp.latex(e) if latex else sp.sstr(e)


def show_text(thm: Theorem, latex: bool = False) -> str:
    """The ``boundcheck show`` text of one theorem."""
    lines = [f"{thm.id}: {thm.title}", f"  reference: {thm.reference}",
             f"  method: {thm.method} (algorithm {thm.algorithm}, option {thm.option}), setting: {thm.setting}",
             "", "assumptions:"]
    from boundcheck import registry

    for aid in thm.assumptions + thm.proof_conditions:
        a = registry.get("assumption", aid) if registry.has("assumption", aid) else None
        if a is None:
            lines.append(f"  {aid}")
            continue
        stmt = a.statement_latex if latex else a.title
        kind = "proof condition" if aid in thm.proof_conditions else "Assumption"
        lines.append(f"  {kind} {aid}: {stmt}")
    lines += ["", "constants needed: " + ", ".join(f"{n} ({m})" if m else n
                                                   for n, m in thm.describe_symbols().items())]
    lines += ["", f"quantity ({thm.quantity_id}): " + (thm.quantity_latex if latex else thm.quantity),
              f"step size: {thm.step_size_text}"]
    if thm.step_size is not None:
        lines.append(f"  = {_expr(thm.step_size, latex)}")
    lines += [f"O-form: O({_expr(thm.o_form, latex)})", f"explicit bound: {_expr(thm.explicit, latex)}"]
    for name, term in thm.terms.items():
        lines.append(f"  {name}: {_expr(term, latex)}")
    if thm.generic is not None:
        lines.append(f"generic bound in eta ({thm.generic_condition}): {_expr(thm.generic, latex)}")
    if thm.explicit is not None:
        checks = thm.consistency()
        lines.append("consistency: " + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in checks.items()))
    lines += ["", "proof chain:"]
    if thm.derivation is None:
        lines.append("  (none: cited result)")
    else:
        for i, step in enumerate(thm.derivation, 1):
            lines.append(f"  {i:2d}. {step.name} [{step.status()}]")
            lines.append(f"      {step.statement}")
            if latex and step.latex():
                lines.append(f"      $ {step.latex()} $")
    if thm.full_notes:
        lines += ["", "notes:", f"  {thm.full_notes}"]
    return "\n".join(lines)


def register(cli: click.Group) -> None:
    """Add ``theorems``, ``show`` and ``bound`` to the ``boundcheck`` group."""

    @cli.command("theorems")
    @click.option("--format", "fmt", default="table", show_default=True, metavar="table|json")
    def theorems_cmd(fmt: str) -> None:
        """List the theorems: id, method, setting, quantity, reference."""
        choice("--format", fmt, ("table", "json"))
        rows = [theorem_summary(t) for t in all_theorems()]
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title="boundcheck theorems")
        for col in ("id", "method", "setting", "quantity", "reference"):
            table.add_column(col, overflow="fold")
        for r in rows:
            method = f"{r['method']} ({r['option']})"
            table.add_row(r["id"], method, r["setting"], r["quantity"], r["reference"])
        Console(width=max(160, Console().width)).print(table)

    @cli.command("show")
    @click.argument("theorem_id")
    @click.option("--latex", is_flag=True, help="Print formulas as LaTeX.")
    def show_cmd(theorem_id: str, latex: bool) -> None:
        """Show a theorem: assumptions, step size, quantity, O-form, explicit bound, proof chain."""
        click.echo(show_text(get(theorem_id), latex=latex))

    @cli.command("bound", context_settings={"ignore_unknown_options": True})
    @click.argument("theorem_id")
    @click.argument("constants", nargs=-1, type=click.UNPROCESSED)
    @click.option("--format", "fmt", default="table", show_default=True, metavar="table|json")
    def bound_cmd(theorem_id: str, constants: tuple[str, ...], fmt: str) -> None:
        """Evaluate a theorem's explicit bound at NAME=VALUE constants (e.g. T=1000 M=8).

        Constants the theorem does not use are ignored, so one set can be passed to every
        theorem. 'boundcheck show ID' lists the symbols a theorem needs.
        """
        choice("--format", fmt, ("table", "json"))
        thm = get(theorem_id)
        values = parse_constants(constants)
        try:
            result = thm.evaluate(values)
        except InputError as err:
            missing = [n for n in thm.required() if n not in values]
            raise InputError(f"{err}{_unknown_hint(values, missing)}") from None
        if fmt == "json":
            click.echo(json.dumps(_json_safe(result), indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{thm.id}: {thm.quantity} <= ...")
        table.add_column("item")
        table.add_column("value", justify="right")
        if result["o_form_only"]:
            table.add_row("explicit", "- (O-form only)")
            table.add_row("O-form, constants = 1", _fmt(result.get("o_form")))
        else:
            table.add_row("explicit", _fmt(result["explicit"]))
            for k, v in result["terms"].items():
                table.add_row(f"  term {k}", _fmt(v))
        table.add_row("step size", _fmt(result["step_size"]))
        for k, v in result.get("step_size_at", {}).items():
            table.add_row(f"  step size at {k}", _fmt(v))
        for k, v in result["constants"].items():
            table.add_row(f"constant {k}", _fmt(v))
        Console(width=max(100, Console().width)).print(table)
