"""The research path (docs/research.md, of which the README's research block is a part), run line by line as a
researcher would type it, and the sweep files it ships."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
SWEEPS = ROOT / "sweeps"


def commands(block: str) -> list[str]:
    """The commands of a ```bash block, without their comments."""
    lines = block.split("```bash")[1].split("```")[0].strip().splitlines()
    return [re.sub(r"\s+#.*$", "", line).strip() for line in lines if line.strip()]


def research_path() -> list[str]:
    """The commands between docs/research.md's research-path markers."""
    text = (ROOT / "docs" / "research.md").read_text(encoding="utf-8")
    return commands(text.split("<!-- research-path:start -->")[1].split("<!-- research-path:end -->")[0])


def test_the_readmes_research_block_is_part_of_the_path_this_module_runs():
    """The README's one research block is run here too: each of its commands is a line of the path, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = commands(text.split("### Research")[1])
    path = research_path()
    assert len(readme) >= 6 and all(line in path for line in readme), [c for c in readme if c not in path]
    assert [path.index(line) for line in readme] == sorted(path.index(line) for line in readme)


def test_the_research_path_names_every_step():
    commands = research_path()
    assert commands[0] == "make install" and commands[1] == "source .venv/bin/activate"
    for step in ("rembug settings", "rembug validate sweeps/", "--workers 2", "--resume", "--dask tcp://",
                 "rembug analyze results", "rembug discover results", "rembug patterns", "results/report.html"):
        assert any(step in c for c in commands), step


def test_the_research_path_runs_as_written(tmp_path):
    """Every line of the README's research path, in order, in one bash session, from a directory holding the
    shipped sweeps and the installed environment. `make install` is checked as a dry run (the environment these
    tests run in is the one it built); the report is opened through a BROWSER that records what it was given."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    port = _free_port()
    work = tmp_path / "clone"
    work.mkdir()
    shutil.copytree(SWEEPS, work / "sweeps")
    shutil.copy2(ROOT / "Makefile", work / "Makefile")
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
    (work / ".venv").symlink_to(Path(sys.prefix))
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    lines = []
    for command in research_path():
        command = command.replace("8786", str(port))
        if command == "make install":
            command = "make --dry-run --always-make install | grep -q 'pip install'"
        lines.append(command)
    script = "set -e\n" + "\n".join(lines) + "\n"
    env = {**os.environ, "BROWSER": str(browser)}
    # Output goes to files: the background Dask processes keep a pipe open after bash has finished.
    with open(tmp_path / "out.txt", "w") as stdout, open(tmp_path / "err.txt", "w") as stderr:
        proc = subprocess.Popen(["bash", "-c", script], cwd=work, env=env, stdout=stdout, stderr=stderr,
                                start_new_session=True)
        try:
            proc.wait(timeout=600)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the Dask scheduler and worker the path started in the background
            except ProcessLookupError:
                pass
    out, err = (tmp_path / "out.txt").read_text(), (tmp_path / "err.txt").read_text()
    assert proc.returncode == 0, err[-3000:]
    assert "trust.initial" in out and "total_welfare_sum" in out  # settings, measures and the run's summary
    assert "a valid sweep of 60 runs" in out
    local = pd.read_parquet(work / "results" / "results.parquet")
    pd.testing.assert_frame_equal(local, pd.read_parquet(work / "results-dask" / "results.parquet"))
    assert (work / "results" / "report.html").exists() and (work / "run.parquet").exists()
    assert opened.read_text().strip().endswith("results/report.html")
    report = (work / "results" / "report.html").read_text()
    assert "Phase diagram" in report and "season by season" in report and "Pattern catalogue" in report
    assert (work / "results" / "discovery" / "boxes.csv").exists() and "Box 1" in out
    assert (work / "patterns" / "patterns.md").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("path", sorted(SWEEPS.glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_sweep_validates(path):
    assert main(["validate", str(path)]) == 0
    assert path.name in (ROOT / "docs" / "research.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["backbone_sobol.toml", "morris_all_settings.toml"])
def test_the_sensitivity_sweeps_run_and_analyse(tmp_path, name):
    """The shipped Sobol and Morris sweeps, made small (2 base samples or 1 trajectory, 3 seasons, 8 organisations),
    run and give indices with confidence intervals in the report."""
    spec = tomllib.loads((SWEEPS / name).read_text(encoding="utf-8"))
    spec["sweep"]["sampling"]["samples"] = 2 if "sobol" in name else 1
    spec["parameters"]["world.seasons"] = {"values": [3]}
    spec["parameters"]["world.organisations"] = {"values": [8]}
    table = sim.sweep(spec, out=tmp_path / "out", workers=2)
    assert (table["status"] == "ok").all(), table["error"].unique()[:3]
    assert main(["analyze", str(tmp_path / "out"), "--pattern-seeds", "0"]) == 0
    report = (tmp_path / "out" / "report.html").read_text()
    assert "95% confidence intervals" in report and "Sensitivity of total_welfare_sum" in report


def test_the_morris_screening_covers_every_setting():
    spec = tomllib.loads((SWEEPS / "morris_all_settings.toml").read_text(encoding="utf-8"))
    left_out = {"world.seed", "organisations.profile", "strategies.mix"}  # each explained in the file's header
    assert set(spec["parameters"]) == set(SETTINGS) - left_out
    header = (SWEEPS / "morris_all_settings.toml").read_text(encoding="utf-8").split("[sweep]")[0]
    assert all(key in header for key in left_out)


def test_the_build_uses_an_spdx_license_without_deprecation():
    """setuptools >= 77 warns about `license = { text = ... }`; an SPDX string is the current form."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert "setuptools>=77" in project["build-system"]["requires"]
