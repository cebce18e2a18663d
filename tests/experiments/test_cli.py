"""The command line end to end, and the messages it gives for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main

SPEC = """
[sweep]
scenario = "mixed_village"
replications = 1
master_seed = 3
metrics = ["total_welfare", "stock_share", "share_integrative", "welfare_integrative", "welfare_distributive"]

[sweep.sampling]
method = "{method}"
samples = {samples}

[parameters]
"trust.initial" = {{ low = 0.1, high = 0.9 }}
"organisations.diversity" = {{ low = 0.0, high = 1.0 }}
"world.seasons" = {{ values = [6] }}
"world.organisations" = {{ values = [8] }}
"""


def rembug(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_run_prints_a_summary_and_writes_the_table(tmp_path):
    out = tmp_path / "run.parquet"
    done = rembug("run", "backbone", "--seed", "4", "--seasons", "6", "--set", "trust.initial=0.7", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Backbone organisation" in done.stdout and "total welfare" in done.stdout
    table = pd.read_parquet(out)
    assert len(table) == 6 and "water_stock" in table


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
    done = rembug("analyze", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    report = (tmp_path / "out" / "report.html").read_text()
    assert "plotly" in report.lower() and "Means and 95% confidence intervals" in report
    if method == "grid":
        assert "Phase diagram" in report
    else:
        assert (tmp_path / "out" / "sensitivity_total_welfare.csv").exists()
        assert "sensitivity of total_welfare" in done.stdout
        if method == "sobol":  # 8 base samples cannot pin Sobol indices down, and the researcher is told so
            assert "are uncertain" in done.stdout and "raise sweep.sampling.samples (now 8)" in done.stdout


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        (SPEC.format(method="grid", samples=1).replace("organisations.diversity", "organisations.diversty"),
         ["parameters.organisations.diversty", "not a setting"]),
        (SPEC.format(method="latin", samples=4).replace("high = 0.9", "high = 1.5"),
         ["parameters.trust.initial", "less than or equal to 1", "the sweep reaches 1.5"]),
        (SPEC.format(method="latin", samples=4).replace("[sweep.sampling]", "[sweep.sampling"), ["not valid TOML"]),
        (SPEC.format(method="bayesian", samples=4), ["sweep.sampling.method", "'grid', 'latin', 'sobol' or 'morris'"]),
        (SPEC.format(method="latin", samples=4).replace('"mixed_village"', '"atlantis"'), ["sweep.scenario", "atlantis"]),
        (SPEC.format(method="latin", samples=4).replace('"total_welfare"', '"happiness"'), ["sweep.metrics", "happiness"]),
        (SPEC.format(method="latin", samples=4).replace("low = 0.1", "low = 0.95"), ["low (0.95) must be below high"]),
    ],
)
def test_bad_specs_say_what_is_wrong(tmp_path, spec, fragments):
    path = tmp_path / "bad.toml"
    path.write_text(spec)
    for command in ("validate", "sweep"):
        done = rembug(command, path, "--quiet") if command == "sweep" else rembug(command, path)
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        for fragment in fragments:
            assert fragment in done.stderr, done.stderr


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
