"""A sweep folder is a record one can trust: resuming refuses to mix two worlds and names what changed; the folder
holds its resolved scenario and is analysed wherever it is moved; manifest and results carry their provenance."""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.store import Store, open_sweep

SPEC = """
[sweep]
scenario = "{scenario}"
replications = 2
master_seed = {seed}
metrics = ["total_welfare", "stock_share_end"]

[parameters]
"trust.initial" = {{ values = [0.2, 0.8] }}
"world.seasons" = {{ values = [4] }}
"world.organisations" = {{ values = [8] }}
"""


def rembug(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True, text=True)


@pytest.fixture
def own_scenario(tmp_path) -> Path:
    """A scenario file of the researcher's own (a river with inflow 1.0), beside the spec."""
    text = ('[scenario]\nid = "my_river"\ntitle = { en = "My river", id = "Sungaiku" }\n'
            'description = { en = "A river of my own.", id = "Sungai milikku." }\n\n[water]\ninflow = 1.0\n')
    path = tmp_path / "my_river.toml"
    path.write_text(text, encoding="utf-8")
    return path


def write_spec(tmp_path: Path, scenario: str = "my_river.toml", seed: int = 5) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(scenario=scenario, seed=seed), encoding="utf-8")
    return path


def test_resume_refuses_when_the_scenario_file_changed_and_names_the_setting(tmp_path, own_scenario):
    """The issue's case: the scenario's inflow changed 1.0 -> 1.3 between the start and the resume. The spec's text is
    the same, so the old check (a hash of the spec) let 15 old runs and 65 new ones into one table."""
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    sim.sweep(spec, out=out)
    own_scenario.write_text(own_scenario.read_text().replace("inflow = 1.0", "inflow = 1.3"), encoding="utf-8")
    with pytest.raises(sim.InputError, match=r"the scenario \(settings\.water\.inflow 1\.0 → 1\.3\)"):
        sim.sweep(spec, out=out, resume=True)
    done = rembug("sweep", spec, "--out", out, "--resume", "--quiet")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "water.inflow 1.0 → 1.3" in done.stderr and "another --out" in done.stderr, done.stderr


def test_resume_refuses_another_model_version_master_seed_or_design(tmp_path, own_scenario):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    sim.sweep(spec, out=out)
    with pytest.raises(sim.InputError, match=rf"the model version \({re.escape(sim.MODEL_VERSION)} → 9\.9\.9\)"):
        sim.sweep(spec, out=out, resume=True, version="9.9.9")
    with pytest.raises(sim.InputError, match=r"the master seed \(5 → 6\).*seeds"):
        sim.sweep(write_spec(tmp_path, seed=6), out=out, resume=True)
    changed = SPEC.format(scenario="my_river.toml", seed=5).replace("[0.2, 0.8]", "[0.2, 0.9]")
    (tmp_path / "spec.toml").write_text(changed, encoding="utf-8")
    with pytest.raises(sim.InputError, match=r"the sweep's settings \(parameters\.trust\.initial\.values"):
        sim.sweep(tmp_path / "spec.toml", out=out, resume=True)
    # and the same sweep resumes as before
    sim.sweep(write_spec(tmp_path), out=out, resume=True)


def test_a_moved_folder_is_analysed_with_the_scenario_it_kept(tmp_path, own_scenario):
    """The manifest used to keep an absolute spec_directory and read the scenario from there again: moved elsewhere
    (and the scenario file gone), `rembug analyze` failed."""
    spec = write_spec(tmp_path)
    sim.sweep(spec, out=tmp_path / "out")
    moved = tmp_path / "elsewhere" / "sweep"
    moved.parent.mkdir()
    shutil.move(tmp_path / "out", moved)
    own_scenario.unlink()
    kept, manifest, table = open_sweep(moved)
    assert kept.scenario.id == "my_river" and kept.scenario.config.water.inflow == 1.0 and len(table) == 4
    done = rembug("analyze", moved, "--pattern-seeds", "0")
    assert done.returncode == 0, done.stderr
    assert (moved / "report.html").exists() and "my_river" in (moved / "report.html").read_text()


def test_manifest_and_results_carry_their_provenance(tmp_path):
    spec = write_spec(tmp_path, scenario="mixed_village")
    out = tmp_path / "out"
    sim.sweep(spec, out=out)
    manifest = Store(out).manifest()
    about = pd.read_parquet(out / "results.parquet").attrs["rembug"]
    for record in (manifest, about):
        env = record["provenance"]
        assert record["model_version"] == sim.MODEL_VERSION == env["rembug"]
        assert env["python"] == platform.python_version()
        assert env["libraries"]["numpy"] == np.__version__ and env["libraries"]["mesa"] not in ("", "not installed")
        assert env["cpu"] and env["cores"] >= 1
        assert record["started"].endswith("Z") and record["finished"] >= record["started"]
        assert record["scenario"]["id"] == "mixed_village" and record["scenario"]["settings"]["water"]["inflow"] == 1.0
        assert record["master_seed"] == 5 and record["spec"].strip().startswith("[sweep]")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(sim.__file__).parent, capture_output=True, text=True)
    expected = head.stdout.strip() if head.returncode == 0 else "not a checkout"
    assert manifest["provenance"]["git_commit"] == expected
    assert (out / "scenario.toml").read_text().count("[water]") == 1


def test_an_installed_copy_says_it_is_not_a_checkout(tmp_path, monkeypatch):
    from sim.experiments import provenance

    provenance.code_commit.cache_clear()
    monkeypatch.setattr(provenance, "__file__", str(tmp_path / "provenance.py"))
    try:
        assert provenance.code_commit() == ("not a checkout", False)
    finally:
        provenance.code_commit.cache_clear()
