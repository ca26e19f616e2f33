"""``boundcheck theorems``, ``boundcheck show ID``, ``boundcheck bound ID NAME=VALUE ...``.

The theory layer on the command line (see :mod:`boundcheck.theory`):

- ``theorems [--format table|json]``: id, method, setting, quantity, reference of every
  registered theorem (modules registering later appear automatically).
- ``show ID [--latex]``: a theorem's assumptions, step size, quantity, O-form, explicit
  bound and proof chain with each step's check status; or a lemma's statement, hypotheses,
  proof chain and property tests (``show lemmaE.2``, ``show E.2``).
- ``bound ID [--constants FILE.json] NAME=VALUE ... [--format table|json]``: the explicit
  bound, its terms and the step size at the given constants. ``--constants`` takes the
  output of ``boundcheck constants --format json`` (its fields named as the theory's symbols,
  :data:`CONSTANTS_JSON_SYMBOLS`; NAME=VALUE tokens override them). JSON: ``{"theorem",
  "quantity", "explicit", "terms", "step_size", "constants", ...}``. Missing constants (all
  named), negative or non-numeric values and malformed tokens exit 2 with one line; unused
  constants are ignored.
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
            "quantifier": thm.quantifier_text, "instance": thm.instance or None,
            "checkable": thm.checkable, "source": registry.origin("theorem", thm.id)}


def _expr(e, latex: bool) -> str:
    import sympy as sp

    if e is None:
        return "(none: O-form only)"
    return sp.latex(e) if latex else sp.sstr(e)


def _width() -> int:
    """Standard output's width, as the tables take it (``COLUMNS``, a terminal, else 80)."""
    from boundcheck.report.layout import console

    return console().width


def wrap_text(text: str, width: int) -> str:
    """Each line wrapped at spaces to ``width``, continuation lines indented 4 more than the
    line's own indent; a word (a number, an id, a formula without spaces) is never split."""
    import textwrap

    out = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        out += textwrap.wrap(line.strip(), width=width, initial_indent=indent, subsequent_indent=indent + "    ",
                             break_long_words=False, break_on_hyphens=False) or [line]
    return "\n".join(out)


def show_text(thm: Theorem, latex: bool = False) -> str:
    """The ``boundcheck show`` text of one theorem."""
    how = (f"algorithm {thm.algorithm}, option {thm.option}" if thm.option in ("I", "II")
           else f"algorithm {thm.algorithm or '(a class of methods)'}")
    lines = [f"{thm.id}: {thm.title}", f"  reference: {thm.reference}",
             f"  method: {thm.method} ({how}), setting: {thm.setting}",
             "", f"statement ({thm.kind}):", f"  {thm.statement()}"]
    if thm.instance:
        lines.append(f"  {'on the construction' if thm.kind == 'expectation-lower' else 'instances'}: {thm.instance}")
    if thm.kind == "probability-upper":
        lines.append("  verify checks delta in {" + ", ".join(f"{x:g}" for x in thm.verify_deltas) +
                     "} (boundcheck bound ID delta=... evaluates B(delta))")
    if not thm.checkable:
        lines.append(f"  verify: not checkable: {thm.not_checkable}")
    lines += ["", "assumptions:"]
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
    lines += ["", f"quantity ({thm.quantity_id or 'as read, not registered'}): "
              + (thm.quantity_latex if latex else thm.quantity),
              f"step size: {thm.step_size_text}"]
    if thm.step_size is not None:
        lines.append(f"  = {_expr(thm.step_size, latex)}")
    o_form = "(no rate could be read)" if thm.o_form is None else f"O({_expr(thm.o_form, latex)})"
    lines += [f"O-form: {o_form}", f"explicit bound: {_expr(thm.explicit, latex)}"]
    for name, term in thm.terms.items():
        lines.append(f"  {name}: {_expr(term, latex)}")
    if thm.generic is not None:
        lines.append(f"generic bound in eta ({thm.generic_condition}): {_expr(thm.generic, latex)}")
    checks = thm.consistency() if thm.explicit is not None else {}
    if checks:  # only theorems with a generic bound at a constant step size have checks
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


def _derivation_lines(derivation, latex: bool) -> list[str]:
    lines = []
    for i, step in enumerate(derivation, 1):
        lines.append(f"  {i:2d}. {step.name} [{step.status()}]")
        lines.append(f"      {step.statement}")
        if latex and step.latex():
            lines.append(f"      $ {step.latex()} $")
    return lines


def lemma_show_text(lemma, latex: bool = False) -> str:
    """The ``boundcheck show`` text of one lemma (``show lemmaE.2`` or ``show E.2``). Its
    statement exists only in LaTeX (the extracted paper text lost its symbols)."""
    lines = [f"lemma{lemma.id}: {lemma.title}", f"  reference: {lemma.reference}", "",
             "statement (LaTeX):", f"  {lemma.statement_latex}", "", "hypotheses:"]
    lines += [f"  {h}" for h in lemma.hypotheses] or ["  (none)"]
    lines += ["", "proof chain:"]
    lines += _derivation_lines(lemma.derivation, latex) if lemma.derivation is not None else ["  (none)"]
    if lemma.property_tests:
        lines += ["", "property tests:"] + [f"  {t}" for t in lemma.property_tests]
    if lemma.notes:
        lines += ["", "notes:", f"  {lemma.notes}"]
    return "\n".join(lines)


def _lemma_ids() -> list[str]:
    from boundcheck.theory import lemmas

    return [f"lemma{lem.id}" for lem in lemmas.all_lemmas()]


def resolve(item_id: str):
    """The theorem or lemma ``item_id`` names: a theorem id, ``lemmaE.2`` or ``E.2``. An
    unknown id is an InputError suggesting the closest theorem or lemma id."""
    from boundcheck.theory import lemmas

    known_t = [t.id for t in all_theorems()]
    if item_id in known_t:
        return get(item_id)
    bare = item_id[len("lemma"):] if item_id.startswith("lemma") else item_id
    if bare in {lem.id for lem in lemmas.all_lemmas()}:
        return lemmas.get(bare)
    pool = known_t if not item_id.lower().startswith("lemma") else _lemma_ids()
    hint = suggest(item_id, pool) or suggest(item_id, known_t + _lemma_ids())
    raise InputError(f"unknown theorem {item_id!r}{hint}; known: {', '.join(known_t)}; "
                     f"lemmas: {', '.join(_lemma_ids())}")


#: ``boundcheck constants --format json`` field -> theory symbol (``bound --constants``).
#: The names agree by design; the table is explicit so a renamed field cannot slip in.
CONSTANTS_JSON_SYMBOLS: dict[str, str] = {
    "L_norm1": "L_norm1", "L_norminf": "L_norminf", "sigma_norm1": "sigma_norm1",
    "sigma_norm2": "sigma_norm2", "D_inf": "D_inf", "D_2": "D_2", "Delta": "Delta", "d": "d",
    "L0_norm1": "L0_norm1", "L1_norminf": "L1_norminf",
}


def constants_file(path: str) -> tuple[dict[str, Any], list[str]]:
    """The theory symbols in a ``boundcheck constants --format json`` file: ``(values,
    nulls)`` where ``nulls`` names the fields the file gives as null (e.g. D_inf without a
    bounded domain). Other fields (vectors, f_star, the certificate ...) are ignored."""
    from boundcheck.validation import regular_file

    regular_file("--constants", path, "a JSON file written by 'boundcheck constants --format json'")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh, parse_constant=_refuse_constant)
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"--constants {path!r} cannot be read: {getattr(err, 'strerror', None) or err}") from None
    except ValueError as err:
        raise InputError(f"--constants {path!r} is not JSON ({err}); allowed: the output of "
                         "'boundcheck constants --format json'") from None
    if not isinstance(data, dict):
        raise InputError(f"--constants {path!r} holds a JSON {type(data).__name__}, not an object; "
                         "allowed: the output of 'boundcheck constants --format json'")
    if not any(k in data for k in CONSTANTS_JSON_SYMBOLS):
        raise InputError(f"--constants {path!r} has none of the fields {', '.join(CONSTANTS_JSON_SYMBOLS)}; "
                         "allowed: the output of 'boundcheck constants --format json'")
    values, nulls = {}, []
    for field_name, symbol in CONSTANTS_JSON_SYMBOLS.items():
        if field_name not in data:
            continue
        v = data[field_name]
        if v is None:
            nulls.append(symbol)
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            raise InputError(f"--constants {path!r}: field {field_name} = {v!r} is not a number")
        else:
            values[symbol] = v
    return values, nulls


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _complete_ids(ctx, param, incomplete: str):
    """Shell completion of theorem (and, for ``show``, lemma) ids."""
    ids = [t.id for t in all_theorems()]
    if ctx.command.name == "show":
        ids += _lemma_ids()
    return [i for i in ids if i.startswith(incomplete)]


def _theorem_grids(rows: list[dict]):
    from boundcheck.report.layout import Column, Grid

    cols = [Column("id", key=True), Column("method", key=True), Column("kind", key=True),
            Column("setting", wrap=True), Column("quantity", wrap=True), Column("reference", wrap=True)]
    cells = [[r["id"], f"{r['method']} ({r['option']})" if r["option"] in ("I", "II") else r["method"],
              r["kind"], r["setting"], r["quantity"], r["reference"]]
             for r in rows]
    return Grid(cols, cells, title="boundcheck theorems")


def _bound_grid(thm: Theorem, result: dict):
    from boundcheck.report.layout import Column, Grid

    rows = []
    if result["o_form_only"]:
        rows += [["explicit", "- (O-form only)"], ["O-form, constants = 1", _fmt(result.get("o_form"))]]
    else:
        rows.append(["explicit", _fmt(result["explicit"])])
        rows += [[f"  term {k}", _fmt(v)] for k, v in result["terms"].items()]
    rows.append(["step size", _fmt(result["step_size"])])
    rows += [[f"  step size at {k}", _fmt(v)] for k, v in result.get("step_size_at", {}).items()]
    rows += [[f"constant {k}", _fmt(v)] for k, v in result["constants"].items()]
    rel = ">=" if thm.kind == "expectation-lower" else "<="
    what = f"P({thm.quantity} > B(delta)) <= delta" if thm.kind == "probability-upper" else f"{thm.quantity} {rel} ..."
    if thm.kind == "probability-upper" and "delta" in result:
        rows.insert(0, ["delta", _fmt(result["delta"])])
    return Grid([Column("item", key=True), Column("value", justify="right", wrap=True)], rows,
                title=f"{thm.id}: {what}")


BOUND_HELP = """Evaluate a theorem's explicit bound at NAME=VALUE constants.

Constants the theorem does not use are ignored, so one set can be passed to every
theorem; 'boundcheck show ID' lists the symbols a theorem needs. --constants FILE.json
takes the output of 'boundcheck constants --format json' (L_norm1, L_norminf,
sigma_norm1, sigma_norm2, D_inf, D_2, Delta, d); NAME=VALUE tokens override its values.

Examples:

\b
  boundcheck bound thm4.1 D_inf=1 D_2=10 L_norm1=5 sigma_norm1=2 M=8 T=1000 eps=1e-8
  boundcheck constants --problem exptail-logistic --format json > c.json
  boundcheck bound thm4.1 --constants c.json T=1000 M=8 eps=1e-8
"""


def register(cli: click.Group) -> None:
    """Add ``theorems``, ``show`` and ``bound`` to the ``boundcheck`` group."""

    @cli.command("theorems")
    @click.option("--format", "fmt", default="table", show_default=True, metavar="table|json")
    def theorems_cmd(fmt: str) -> None:
        """List the theorems: id, method, kind, setting, quantity, reference.

        kind: expectation-upper (E Q <= B), expectation-lower (E Q >= B on a named
        construction), probability-upper (P(Q > B(delta)) <= delta for every delta).
        """
        from boundcheck.report import layout

        choice("--format", fmt, ("table", "json"))
        rows = [theorem_summary(t) for t in all_theorems()]
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2))
            return
        layout.show(_theorem_grids(rows))

    @cli.command("show")
    @click.argument("theorem_id", metavar="ID", shell_complete=_complete_ids)
    @click.option("--latex", is_flag=True, help="Print formulas as LaTeX.")
    def show_cmd(theorem_id: str, latex: bool) -> None:
        """Show a theorem (assumptions, step size, quantity, bounds, proof chain) or a lemma.

        ID is a theorem id (thm4.1 ...) or a lemma id (lemmaE.2 or E.2, lemma(17) ...).
        """
        item = resolve(theorem_id)
        text = show_text(item, latex=latex) if isinstance(item, Theorem) else lemma_show_text(item, latex)
        click.echo(text if latex else wrap_text(text, _width()))  # --latex: whole lines, for copying

    @cli.command("bound", context_settings={"ignore_unknown_options": True}, help=BOUND_HELP,
                 short_help="Evaluate a theorem's explicit bound at NAME=VALUE constants.")
    @click.argument("theorem_id", metavar="ID", shell_complete=_complete_ids)
    @click.argument("constants", nargs=-1, type=click.UNPROCESSED, metavar="[NAME=VALUE]...")
    @click.option("--constants", "constants_path", default=None, metavar="FILE.json",
                  help="Constants from 'boundcheck constants --format json' (NAME=VALUE overrides).")
    @click.option("--format", "fmt", default="table", show_default=True, metavar="table|json")
    def bound_cmd(theorem_id: str, constants: tuple[str, ...], constants_path: str | None, fmt: str) -> None:
        from boundcheck.report import layout

        choice("--format", fmt, ("table", "json"))
        thm = get(theorem_id)
        values: dict[str, Any] = {}
        nulls: list[str] = []
        if constants_path is not None:
            values, nulls = constants_file(constants_path)
        values.update(parse_constants(constants))
        nulls = [n for n in nulls if n not in values]
        try:
            result = thm.evaluate(values)
        except InputError as err:
            missing = [n for n in thm.required() if n not in values]
            null_hint = ""
            if nulls and set(nulls) & set(missing):
                null_hint = (f" ({', '.join(n for n in nulls if n in missing)} null in {constants_path!r}: "
                             "not defined for that problem; pass a value as NAME=VALUE)")
            how = "; give them as NAME=VALUE or in --constants FILE.json" if missing else ""
            raise InputError(f"{err}{how}{null_hint}{_unknown_hint(values, missing)}") from None
        if fmt == "json":
            click.echo(json.dumps(_json_safe(result), indent=2))
            return
        layout.show(_bound_grid(thm, result))
