"""The command line end to end, and the messages it gives for bad input."""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import sim
from sim.cli import main

SPEC = """
[sweep]
scenario = "mixed_village"
replications = 1
master_seed = 3
metrics = ["total_welfare", "stock_share_end", "share_integrative", "welfare_integrative", "welfare_distributive"]

[sweep.sampling]
method = "{method}"
samples = {samples}

[parameters]
"trust.initial" = {{ low = 0.1, high = 0.9 }}
"organisations.diversity" = {{ low = 0.0, high = 1.0 }}
"world.seasons" = {{ values = [6] }}
"world.organisations" = {{ values = [8] }}
"""


def rembug_process(*args, cwd=None) -> subprocess.CompletedProcess:
    """The command as a user types it: its own process, so what reaches the terminal is exactly what they see
    (Python's own warnings included, which pytest would otherwise catch)."""
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def rembug(*args) -> SimpleNamespace:
    """The command in this process (a new process costs seconds of imports per call): its exit code, and what it
    printed. For messages and tables; what the entry point itself does is checked with :func:`rembug_process`."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse's own refusals and --help
            code = exit_.code if isinstance(exit_.code, int) else 2
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def test_run_prints_a_summary_and_writes_the_table(tmp_path):
    out = tmp_path / "run.parquet"
    done = rembug("run", "backbone", "--seed", "4", "--seasons", "6", "--set", "trust.initial=0.7", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Backbone organisation" in done.stdout
    table = pd.read_parquet(out)
    assert len(table) == 6 and "water_stock" in table
    # The summary's welfare is the run measure total_welfare_sum: the per-season total_welfare summed, and says so.
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith("total_welfare_sum"))
    assert float(line.split()[1]) == pytest.approx(table.total_welfare.sum(), abs=0.051)
    assert "summed over the run" in line


def test_a_saved_run_carries_its_seed_scenario_settings_and_version(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "run.parquet"
    assert rembug("run", "backbone", "--seed", "4", "--seasons", "3", "--set", "trust.initial=0.7", "--out", out).returncode == 0
    about = pd.read_parquet(out).attrs["rembug"]
    assert about["scenario"] == "backbone" and about["seed"] == 4 and about["version"] == sim.__version__
    assert about["settings"]["trust"]["initial"] == 0.7 and about["settings"]["world"]["seasons"] == 3
    assert b"PANDAS_ATTRS" in pq.read_schema(out).metadata  # in the file itself, for any Parquet reader


def test_run_help_describes_every_option():
    done = rembug("run", "--help")
    largest = 2**32 - 1
    for fragment in ("--seed SEED", f"0 to {largest}", "--seasons SEASONS", "1 to 2000", "mix.integrative=0.9"):
        assert fragment in " ".join(done.stdout.split()), fragment


def test_set_takes_the_keys_of_sweep_files():
    for key, value in (("mix.integrative", "0.9"), ("negotiation.matching", "neighbours"), ("backbone.present", "true")):
        done = rembug("run", "mixed_village", "--seasons", "2", "--set", f"{key}={value}")
        assert done.returncode == 0, (key, done.stderr)
    done = rembug("run", "mixed_village", "--seasons", "2", "--set", "mix.integrative=0.9", "--all")
    assert "share_integrative_end" in done.stdout and "welfare_integrative_mean" in done.stdout


@pytest.mark.parametrize(("args", "fragment"), [
    (["--seed", "-1"], "error: --seed: -1 is out of range (allowed: 0 to 4,294,967,295)"),
    (["--seasons", "0"], "error: --seasons: 0 is out of range (allowed: 1 to 2,000)"),
])
def test_seed_and_seasons_errors_name_the_option(args, fragment):
    done = rembug("run", "mixed_village", *args)
    assert done.returncode == 2 and fragment in done.stderr and "--set" not in done.stderr, done.stderr


def test_scenarios_and_validate(tmp_path):
    listing = rembug("scenarios")
    assert "mixed_village" in listing.stdout and "(default)" in listing.stdout
    assert "Desa dengan beragam cara berunding" in rembug("scenarios", "--lang", "id").stdout
    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "broker.toml"
    assert "valid scenario" in rembug("validate", scenario).stdout
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC.format(method="latin", samples=5))
    assert "valid sweep of 5 runs" in rembug("validate", spec).stdout


@pytest.mark.parametrize("method", ["sobol", "morris", "grid"])
def test_sweep_then_analyze(tmp_path, method):
    spec = tmp_path / "s.toml"
    text = SPEC.format(method=method, samples=8)  # Sobol points balance at powers of two
    if method == "grid":
        text = text.replace("low = 0.1, high = 0.9", "values = [0.2, 0.8]").replace("low = 0.0, high = 1.0", "values = [0.0, 1.0]")
    spec.write_text(text)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet", "--workers", "2"]) == 0
    done = rembug_process("analyze", tmp_path / "out", "--pattern-seeds", "0")
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr  # no library's raw warning reaches the terminal
    report = (tmp_path / "out" / "report.html").read_text()
    assert "plotly" in report.lower() and "Means and 95% confidence intervals" in report
    if method == "grid":
        assert "Phase diagram" in report
    else:
        assert (tmp_path / "out" / "sensitivity_total_welfare_sum.csv").exists()
        assert "sensitivity of total_welfare_sum" in done.stdout
        if method == "sobol":  # 8 base samples cannot pin Sobol indices down, and the researcher is told so
            assert "are uncertain" in done.stdout and "raise sweep.sampling.samples (now 8)" in done.stdout
            assert "raise sweep.sampling.samples (now 8)" in report  # the report says it too


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        (SPEC.format(method="grid", samples=1).replace("organisations.diversity", "organisations.diversty"),
         ["parameters.organisations.diversty", "not a setting"]),
        (SPEC.format(method="latin", samples=4).replace("high = 0.9", "high = 1.5"),
         ["parameters.trust.initial", "allowed: 0 to 1", "the sweep reaches 1.5"]),
        (SPEC.format(method="latin", samples=4).replace("[sweep.sampling]", "[sweep.sampling"), ["not valid TOML"]),
        (SPEC.format(method="bayesian", samples=4), ["sweep.sampling.method", "'grid', 'latin', 'sobol' or 'morris'"]),
        (SPEC.format(method="latin", samples=4).replace('"mixed_village"', '"atlantis"'), ["sweep.scenario", "atlantis"]),
        (SPEC.format(method="latin", samples=4).replace('"total_welfare"', '"happiness"'), ["sweep.metrics", "happiness"]),
        (SPEC.format(method="latin", samples=4).replace("low = 0.1", "low = 0.95"), ["low (0.95) must be below high"]),
        (SPEC.format(method="grid", samples=1), ["parameters.trust.initial", "a grid over low..high needs levels = N"]),
        (SPEC.format(method="grid", samples=1).replace("high = 0.9", "high = 0.9, steps = 3"),
         ["parameters.trust.initial.steps", "is now called levels"]),
        (SPEC.format(method="grid", samples=1).replace('{ values = [6] }', '{ values = ["six"] }'),
         ["parameters.world.seasons", "'six' is not a whole number"]),
    ],
)
def test_bad_specs_say_what_is_wrong(tmp_path, capsys, spec, fragments):
    """In this process (the entry point's own handling of errors is checked once, below, as a subprocess)."""
    path = tmp_path / "bad.toml"
    path.write_text(spec)
    for command in ("validate", "sweep"):
        code = main([command, str(path), "--quiet"] if command == "sweep" else [command, str(path)])
        stderr = capsys.readouterr().err
        assert code == 2
        assert "Traceback" not in stderr
        for fragment in fragments:
            assert fragment in stderr, stderr


def test_a_bad_spec_through_the_entry_point_is_one_clean_message(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[sweep]\nscenario = "mixed_village"\n[parameters]\n"trust.intial" = [0.1, 0.2]\n')
    done = rembug_process("sweep", path, "--quiet")
    assert done.returncode == 2 and done.stderr.startswith("error") and "Traceback" not in done.stderr, done.stderr
    assert "(did you mean 'trust.initial'?)" in done.stderr, done.stderr


def test_bad_run_arguments(tmp_path):
    for args, fragment in (
        (["run", "atlantis"], "neither a preset nor a file"),
        (["run", "mixed_village", "--set", "trust.initial=2"], "trust.initial"),
        (["run", "mixed_village", "--set", "trust.level=0.2"], "not a setting"),
        (["run", "mixed_village", "--set", "trust.initial"], "key=value"),
        (["run", "mixed_village", "--out", tmp_path / "x.xlsx"], ".csv or .parquet"),
        (["analyze", tmp_path], "holds no sweep"),
    ):
        done = rembug(*args)
        assert done.returncode == 2 and fragment in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)


SIX_ERRORS = """
[sweep]
scenario = "atlantis"
replications = 0
metrics = ["happiness"]

[sweep.sampling]
method = "grid"

[parameters]
"trust.level" = { values = [0.2, 0.8] }
"water.inflow" = { low = 0.7, high = 9.0, levels = 3 }
"world.organisations" = { values = [10.5] }
"""


def test_every_problem_of_a_sweep_file_in_one_pass(tmp_path):
    """Schema errors, the scenario, unknown parameters and measures, types and ranges: one run of validate lists
    them all, so a researcher fixes the file in one round."""
    path = tmp_path / "six.toml"
    path.write_text(SIX_ERRORS)
    done = rembug("validate", path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    problems = [line for line in done.stderr.splitlines() if line.startswith("  - ")]
    for fragment in ("sweep.replications", "sweep.metrics: unknown happiness", "sweep.scenario: 'atlantis'",
                     "parameters.trust.level: is not a setting", "parameters.water.inflow", "the sweep reaches 9",
                     "parameters.world.organisations: 10.5 is not a whole number"):
        assert any(fragment in p for p in problems), (fragment, done.stderr)
    assert len(problems) == 6


def test_analyze_refuses_an_unknown_metric_and_lists_the_valid_ones(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC.format(method="latin", samples=3))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    for metric, fragment in (("welfare", "'welfare' is not a measure"),
                             ("total_welfare", "total_welfare is a season measure; over the run it is total_welfare_sum")):
        done = rembug("analyze", tmp_path / "out", "--metric", metric, "--pattern-seeds", "0")
        assert done.returncode == 2 and "KeyError" not in done.stderr, done.stderr
        assert fragment in done.stderr and "(allowed: stock_share_end, total_welfare_sum, " in done.stderr, done.stderr
        assert not (tmp_path / "out" / "report.html").exists()


def test_settings_lists_every_setting_with_default_range_unit_and_meaning():
    from sim.settings import SETTINGS

    english, indonesian = rembug("settings").stdout, rembug("settings", "--lang", "id").stdout
    for key in SETTINGS:
        assert f"\n{key} " in english and f"\n{key} " in indonesian, key
    line = next(x for x in english.splitlines() if x.startswith("trust.initial "))
    assert line.split()[1:5] == ["0.5", "0", "to", "1"] and "level, 0 to 1" in line and "trust between organisations" in line
    line = next(x for x in indonesian.splitlines() if x.startswith("trust.initial "))
    assert "kepercayaan antara organisasi" in line
    assert "'random' or 'neighbours'" in english and "water.river_order" in english


def test_library_warnings_become_plain_notes(tmp_path):
    """Sobol's 'n not a power of two' is resolved (rounded up, and said); an output that is the same at every point
    gets a plain note; no raw UserWarning with a file path reaches the terminal."""
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC.format(method="sobol", samples=6))
    done = rembug_process("sweep", spec, "--out", tmp_path / "out", "--quiet", "--workers", "2")
    assert done.returncode == 0 and "rounded up to 8" in done.stderr and "Warning" not in done.stderr, done.stderr
    done = rembug_process("analyze", tmp_path / "out", "--pattern-seeds", "0")
    assert done.returncode == 0 and "Warning" not in done.stderr and ".py:" not in done.stderr, done.stderr
    assert "no sensitivity indices for share_integrative_end" in done.stdout  # the same 0.4 at every point


def test_a_sobol_file_with_another_problem_is_not_told_about_grid_levels(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text('[sweep]\nscenario = "mixed_village"\nreplications = 0\n[sweep.sampling]\nmethod = "sobol"\n'
                    'samples = 8\n[parameters]\n"trust.initial" = { low = 0.1, high = 0.9 }\n'
                    '"water.inflow" = { low = 0.7, high = 9 }\n"colour" = { values = [1] }\n', encoding="utf-8")
    done = rembug("validate", str(spec))
    assert done.returncode == 2
    assert "sweep.replications" in done.stderr and "levels" not in done.stderr
    assert "the sweep reaches 9 (allowed: 0 to 5)" in done.stderr  # the bound as written, and the whole range
    assert "colour" in done.stderr


def test_a_set_out_of_range_names_the_whole_range():
    done = rembug("run", "mixed_village", "--seasons", "2", "--set", "trust.initial=3")
    assert done.returncode == 2 and "trust.initial" in done.stderr and "(allowed: 0 to 1)" in done.stderr


HEAVY = ("pandas", "numpy", "mesa", "pydantic", "scipy", "sim.commons", "sim.negotiation", "sim.scenarios")


@pytest.mark.parametrize("command", [[], ["run"], ["sweep"], ["analyze"], ["patterns"], ["room"], ["validate"],
                                     ["settings"]])  # `room create --help` shows the model's room length: it loads it
def test_help_loads_no_heavy_module(command):
    """`--help` answers at once because it imports neither pandas, numpy nor the model (they took 2-6 s under load).
    Checked by what is imported, not by a clock, so the test does not depend on the machine's load."""
    probe = ("import sys\nfrom sim.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, *command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-500:]


def test_the_version_is_the_models_and_the_packages():
    """One version, in sim/__init__.py, that the installed package reports too (pyproject reads it)."""
    from importlib.metadata import version

    assert sim.__version__ == sim.MODEL_VERSION == version("rembug")
    assert sim.MODEL_VERSION != "0.1.0"
    assert rembug_process("--version").stdout.strip() == f"rembug {sim.MODEL_VERSION}"


def test_output_paths_are_made_or_refused_in_plain_words(tmp_path):
    """`run --out` makes its folder as `sweep --out` does; a file where a folder should be, or a folder that cannot
    be made, is a message naming --out (exit 2), never `OSError`/`NotADirectoryError`, and costs no run."""
    deep = tmp_path / "new" / "deeper" / "run.parquet"
    done = rembug("run", "mixed_village", "--seasons", "2", "--out", deep)
    assert done.returncode == 0 and deep.exists(), done.stderr
    a_file = tmp_path / "README.md"
    a_file.write_text("not a folder")
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC.format(method="latin", samples=2))
    for args, fragment in (
        (["run", "mixed_village", "--seasons", "2", "--out", a_file / "run.parquet"], "is a file, not a folder"),
        (["run", "mixed_village", "--seasons", "2", "--out", a_file / "x" / "run.parquet"], "cannot be made"),
        (["run", "mixed_village", "--seasons", "2", "--out", tmp_path / "new"], "unknown format"),
        (["run", "mixed_village", "--seasons", "2", "--out", deep.parent], "unknown format"),
        (["sweep", spec, "--out", a_file, "--quiet"], "is a file, not a folder"),
        (["sweep", spec, "--out", a_file / "results", "--quiet"], "cannot be made"),
        (["sweep", spec, "--out", tmp_path / "x.parquet", "--quiet"], "names a file, but a sweep writes a folder"),
        (["patterns", "--seeds", "2", "--only", "engine.", "--out", a_file, "--quiet"], "is a file, not a folder"),
    ):
        done = rembug(*args)
        assert done.returncode == 2, (args, done.returncode, done.stderr)
        assert done.stderr.startswith("error: --out: ") and fragment in done.stderr, (args, done.stderr)
        assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize(("args", "fragment"), [
    (["run", "mixed_vilage", "--seasons", "2"], "(did you mean 'mixed_village'?)"),
    (["run", "mixed_village", "--seasons", "2", "--set", "trust.intial=0.3"], "(did you mean 'trust.initial'?)"),
    (["run", "mixed_village", "--seasons", "2", "--set", "mix.integrativ=0.3"], "(did you mean 'mix.integrative'?)"),
    (["patterns", "--seeds", "2", "--only", "preset.mixed_vilage"], "(did you mean 'preset.mixed_village'?)"),
    (["validate", "sweeps/trust_water_phas.toml"], "(did you mean 'trust_water_phase.toml'?)"),
])
def test_a_mistyped_name_gets_a_did_you_mean(args, fragment):
    done = rembug(*args)
    assert done.returncode == 2 and fragment in done.stderr, done.stderr


def test_did_you_mean_in_sweep_files_and_analyze(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC.format(method="latin", samples=2).replace('"trust.initial"', '"trust.intial"')
                    .replace('"total_welfare"', '"total_welfar"'))
    done = rembug("validate", spec)
    assert "parameters.trust.intial: is not a setting (did you mean 'trust.initial'?)" in done.stderr, done.stderr
    assert "unknown total_welfar (did you mean 'total_welfare'?)" in done.stderr, done.stderr
    spec.write_text(SPEC.format(method="latin", samples=2))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"]) == 0
    done = rembug("analyze", tmp_path / "out", "--metric", "total_welfare_sun", "--pattern-seeds", "0")
    assert done.returncode == 2 and "(did you mean 'total_welfare_sum'?)" in done.stderr, done.stderr


def test_every_command_has_a_description_and_one_workers_default():
    """`sweep --help` had no description; --workers defaulted to 1 in sweep and analyze and to every core in
    patterns. Now one option, defined once, with its default shown."""
    import os

    from sim.cli import parser

    top = parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices
    cores = os.cpu_count() or 1
    for name in ("sweep", "analyze", "patterns", "run", "discover"):
        sub = commands[name]
        assert sub.description and len(sub.description) > 40, name
        workers = [a for a in sub._actions if "--workers" in a.option_strings]
        if name in ("sweep", "analyze", "patterns"):  # the commands that run models in processes
            assert workers and workers[0].default == cores, name
            assert f"every core of this machine, here {cores}" in " ".join(sub.format_help().split()), name


def test_analyze_says_what_it_is_doing(tmp_path):
    """analyze ran for a minute with no output; now each step is announced on stderr (--quiet for none)."""
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC.format(method="latin", samples=3))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"]) == 0
    done = rembug("analyze", tmp_path / "out", "--pattern-seeds", "2", "--workers", "1")
    assert done.returncode == 0, done.stderr
    steps = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert len(steps) >= 4 and "reading the sweep" in steps[0] and "pattern catalogue" in done.stderr, done.stderr
    quiet = rembug("analyze", tmp_path / "out", "--pattern-seeds", "0", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr


@pytest.mark.parametrize(("setting", "said"), [
    ("mix.integrative=-1", "mix.integrative: -1 is out of range (allowed: 0 to 1)"),
    ("trust.initial=abc", "trust.initial: 'abc' is not a number (allowed: 0 to 1)"),
])
def test_a_bad_share_or_a_word_for_a_number_is_said_plainly(setting, said):
    """A new user saw the whole mix as a truncated dictionary, and the validation library's own words for 'abc'."""
    done = rembug("run", "mixed_village", "--seasons", "2", "--set", setting)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert "{" not in done.stderr and "Input should" not in done.stderr, done.stderr
