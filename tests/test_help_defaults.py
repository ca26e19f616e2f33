"""Every default a ``--help`` documents is the default the command uses (issue 15, point 3).

The documented defaults are read from the help text as a user reads them (``[default: X]``,
the problem listing ``NAME=DEFAULT``, the free-text ones); what the command actually does is
observed: the cells it would run (the plan, captured just before execution), the ``run`` JSON
echo of its configuration, the built problem's own description. Nothing is compared with a
copy of itself.
"""

from __future__ import annotations

import json
import re

import click
import pytest

from boundcheck.cli import cli, main


def help_text(capsys, *command: str) -> str:
    with pytest.raises(SystemExit) as ex:
        main([*command, "--help"])
    assert ex.value.code == 0
    return capsys.readouterr().out


def documented(text: str) -> dict[str, str]:
    """``{flag: default}`` from click's ``[default: X]`` markers, for every flag of the option
    row that carries the marker (wrapped lines joined)."""
    out = {}
    rows: list[list[str]] = []
    for line in text.splitlines():
        if re.match(r"^  -", line):
            rows.append([line])
        elif rows and line.startswith("   "):
            rows[-1].append(line)
        else:
            rows.append([]) if rows and rows[-1] else None
    for row in rows:
        if not row:
            continue
        flat = " ".join(re.sub(r"-\n\s+", "-", "\n".join(row)).split())
        m = re.search(r"\[default: ([^\]]+)\]", flat)
        if m is None:
            continue
        head = re.split(r"\s{2,}", row[0].strip())[0]
        for flag in re.findall(r"--[A-Za-z][\w-]*", head):
            out[flag] = m.group(1)
    return out


class _Planned(BaseException):
    def __init__(self, specs):
        self.specs = specs


def planned(monkeypatch, *args: str) -> list[dict]:
    """The cell specs a verify/sweep command would run (execution replaced by a capture)."""
    from boundcheck.cli import sweep_cmd, verify_cmd

    def capture(specs, common, **kw):
        raise _Planned((specs, common))

    monkeypatch.setattr(verify_cmd, "execute_plan", capture)
    monkeypatch.setattr(sweep_cmd, "execute_plan", capture)
    with pytest.raises(_Planned) as ex:
        cli.main(list(args), standalone_mode=False, prog_name="boundcheck")
    return ex.value.specs


def _ints(text: str) -> set[int]:
    return {int(x) for x in text.split(",")}


def _floats(text: str) -> set[float]:
    return {float(x) for x in text.split(",")}


# ---------------------------------------------------------------------- verify and the sweeps
def test_verify_defaults(capsys, monkeypatch):
    doc = documented(help_text(capsys, "verify"))
    specs, common = planned(monkeypatch, "verify")
    theorem_cells = [s for s in specs if s.get("kind") == "theorem"]
    assert {s["T"] for s in theorem_cells} == _ints(doc["--T"])
    assert {s["M"] for s in theorem_cells if s["M"] is not None} == _ints(doc["--M"])
    assert {s["seeds"] for s in specs if "seeds" in s} == {int(doc["--seeds"])}
    assert common.seed == int(doc["--seed"]) and common.confidence == float(doc["--confidence"])
    assert common.workers == int(doc["--workers"]) and common.cache == doc["--cache"]


def test_verify_data_defaults_loss_and_l2(capsys, monkeypatch):
    doc = documented(help_text(capsys, "verify"))
    from boundcheck.verify import instances

    specs, _ = planned(monkeypatch, "verify", "thm4.1", "--data", "sklearn:wine", "--l2", "0.1")
    assert {s["problem"]["loss"] for s in specs} == {doc["--loss"]}
    text = " ".join(help_text(capsys, "verify").split())
    l2_default = float(re.search(r"With --data: default ([\d.e-]+)", text).group(1))
    specs, _ = planned(monkeypatch, "verify", "thm4.1", "--data", "sklearn:wine", "--loss", "squared")
    assert instances.build(specs[0]["problem"]).l2 == l2_default


def test_sweep_T_defaults(capsys, monkeypatch):
    doc = documented(help_text(capsys, "sweep", "T"))
    specs, _ = planned(monkeypatch, "sweep", "T")
    assert {s["T"] for s in specs} == _ints(doc["--T"])
    assert {s["M"] for s in specs if s["M"] is not None} == {int(doc["--M"])}
    assert {s["seeds"] for s in specs} == {int(doc["--seeds"])}


def test_sweep_batch_defaults(capsys, monkeypatch):
    text = help_text(capsys, "sweep", "batch")
    doc = documented(text)
    specs, _ = planned(monkeypatch, "sweep", "batch")
    grid = [s for s in specs if s.get("kind") == "batch"]
    theorem = [s for s in specs if s.get("kind") == "theorem"]
    assert grid and theorem  # --step both
    assert doc["--step"] == "both"
    assert {s["budget"] for s in grid} == {int(doc["--budget"])}
    assert {s["M"] for s in specs} == _ints(doc["--M"])
    assert {s["eta"] for s in grid} == _floats(doc["--eta"])
    assert {s["seeds"] for s in specs} == {int(doc["--seeds"])}
    flat = " ".join(re.sub(r"-\n\s+", "-", text).split())
    # the description's grid and default problems, as the plan runs them
    etas = re.search(r"eta in \{([^}]*)\}", flat).group(1)
    assert {s["eta"] for s in grid} == _floats(etas.replace(" ", ""))
    assert {s["schedule"] for s in grid} == {"constant", "sqrt-decay"} and "{constant, eta/sqrt(t+1)}" in flat
    init = re.search(r"init U\(-([\d.]+), ([\d.]+)\)", flat)
    assert {s["init"] for s in grid} == {f"uniform:{init.group(2)}"}
    named = re.search(r"Default problems: (.*?)\.(?: |$)", flat).group(1)
    from boundcheck.verify import instances

    assert {instances.label(s["problem"]) for s in specs} == set(named.split(" and "))


def test_sweep_dimension_defaults(capsys, monkeypatch):
    doc = documented(help_text(capsys, "sweep", "dimension"))
    specs, _ = planned(monkeypatch, "sweep", "dimension")
    problems = [s["problem"] for s in specs if s.get("kind") == "theorem"]
    assert {p["params"]["d"] for p in problems} == _ints(doc["--d"])
    assert {p["params"]["tau"] for p in problems} == _floats(doc["--tau"])
    theorem = [s for s in specs if s.get("kind") == "theorem"]
    assert {s["T"] for s in theorem} == {int(doc["--T"])}
    assert {s["M"] for s in theorem} == {int(doc["--M"])}
    assert {s["seeds"] for s in theorem} == {int(doc["--seeds"])}


def test_sweep_dimension_documented_range_is_the_validated_one(capsys):
    text = " ".join(help_text(capsys, "sweep", "dimension").split())
    lo, hi = map(int, re.search(r"each in \[(\d+), (\d+)\]", text).groups())
    for d, ok in ((lo, True), (hi, True), (lo - 1, False), (hi + 1, False)):
        with pytest.raises(SystemExit) as ex:
            main(["sweep", "dimension", "--d", str(d), "--collect-only", "-q", "--cache",
                  "/nonexistent-dir/none.sqlite"])
        err = capsys.readouterr().err
        assert (f"--d='{d}'" in err) != ok, err


# ---------------------------------------------------------------------- run and constants
_RUN_ECHO = {"--algorithm": "algorithm", "--option": "option", "--M": "batch_size", "--eta": "eta",
             "--schedule": "schedule", "--eps": "eps", "--seeds": "seeds", "--seed": "seed", "--init": "init",
             "--dtype": "dtype", "--backend": "backend"}


def test_run_defaults(capsys):
    text = help_text(capsys, "run")
    doc = documented(text)
    with pytest.raises(SystemExit) as ex:
        main(["run", "--problem", "quadratic-oracle", "--d", "4", "--T", "40", "--format", "json"])
    out = capsys.readouterr().out
    assert ex.value.code == 0
    res = json.loads(out)
    for flag, key in _RUN_ECHO.items():
        value = res["config"][key]
        assert str(value) == doc[flag] or float(value) == float(doc[flag]), (flag, value, doc[flag])
    assert doc["--format"] == "table"
    flat = " ".join(text.split())
    assert "(default: 1-2-5 log-spaced)" in flat and res["checkpoints"] == [1, 2, 5, 10, 20, 40]


def test_every_click_default_is_shown_as_it_is(capsys):
    """Options whose default click shows: the shown text is the value the command receives."""
    from boundcheck import registry

    commands = [(name,) for name in cli.commands if name != "sweep"]
    commands += [("sweep", name) for name in registry.names("sweep")]
    for path in commands:
        doc = documented(help_text(capsys, *path))
        group = cli
        cmd = None
        for part in path:
            cmd = group.get_command(click.Context(group), part)
            group = cmd
        for param in cmd.params:
            if isinstance(param, click.Option) and param.show_default is True and param.default is not None \
                    and not param.is_flag:
                flag = [o for o in param.opts if o.startswith("--")][0]
                assert doc[flag] == str(param.default), (path, flag)


# ---------------------------------------------------------------------- declared problem parameters
def test_problem_listing_matches_each_built_problem(capsys):
    """The listing every problem command prints (``NAME=DEFAULT``) against the problem built
    with no parameters (its own description), for every registered problem."""
    from boundcheck.problems import make_problem, problem_names, problem_spec

    text = help_text(capsys, "constants")
    flat = " ".join(re.sub(r"-\n\s+", "-", text.split("their parameters", 1)[1]).split())
    for name in problem_names():
        listing = re.search(re.escape(name) + r" ((?:\w+=[^,\s]+(?:, )?)+)", flat).group(1)
        built = make_problem(name).describe()
        declared = {p.name: p for p in problem_spec(name).declared}
        for item in listing.split(", "):
            key, default = item.split("=", 1)
            if key not in built:  # a default the description leaves out (Gaussian noise: same cells as before)
                want = declared[key].default
                assert default == ("none" if want is None else str(want)), (name, key, default)
                continue
            actual = built[key]
            if default == "5/d":
                assert actual == pytest.approx(5.0 / built["d"])
            else:
                try:
                    assert float(actual) == float(default), (name, key, actual, default)
                except ValueError:  # a text parameter (a noise shape, a rotation)
                    assert str(actual) == default, (name, key, actual, default)


def test_every_sweep_states_its_seeds_default_and_uses_it(capsys, monkeypatch):
    """Every registered sweep (boundcheck's and any plugin's) says how many replicas it runs."""
    from boundcheck import registry

    for name in registry.names("sweep"):
        doc = documented(help_text(capsys, "sweep", name))
        assert "--seeds" in doc, f"sweep {name}: --seeds states no default"
        specs, _ = planned(monkeypatch, "sweep", name)
        assert {s["seeds"] for s in specs if "seeds" in s} == {int(doc["--seeds"])}, name


def test_sweep_blocks_free_text_defaults(capsys, monkeypatch):
    text = " ".join(help_text(capsys, "sweep", "blocks").split())
    specs, _ = planned(monkeypatch, "sweep", "blocks")
    d = int(re.search(r"Dimension \(default (\d+);", text).group(1))
    assert {s["problem"]["params"]["d"] for s in specs} == {d}
    assert {s["T"] for s in specs} == {int(re.search(r"Iterations \(default (\d+)\)", text).group(1))}
    assert {s["M"] for s in specs} == {int(re.search(r"Batch size \(default (\d+)\)", text).group(1))}
    assert {s["theorem"] for s in specs} == {re.search(r"(\S+) \(default\) or", text).group(1)}
    ks = sorted(s["hyperparameters"]["blocks"] for s in specs)
    assert ks[:3] == [1, 4, 16] and ks[-1] == d  # "1,4,16,...,d"
