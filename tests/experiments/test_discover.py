"""Scenario discovery: PRIM finds where a condition holds, says it in plain words with coverage and density, and the
same folder gives the same boxes wherever it is moved; the shipped question, run small on a test seed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import sim
from sim.experiments import parse_sweep
from sim.experiments.analyze import end_of_runs
from sim.experiments.discover import discover

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "sweeps" / "when_expanding_does_not_pay.toml"
TEST_SEED = 5  # the shipped file's own master seed (its answer in docs/research.md) is never used by a test

SPEC = """
[sweep]
scenario = "mixed_village"
master_seed = 12
metrics = ["total_welfare_sum", "collapsed_max"]
[sweep.sampling]
method = "latin"
samples = 120
[parameters]
"water.inflow" = { low = 0.5, high = 1.5 }
"trust.initial" = { low = 0.0, high = 1.0 }
"backbone.present" = { values = [false, true] }
"world.seasons" = { values = [2] }
"world.organisations" = { values = [6] }
"""


def rembug(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def small():
    sweep = parse_sweep(SPEC)
    return sweep, end_of_runs(sweep, sim.sweep(sweep))


def test_prim_finds_a_box_that_is_known_to_be_there(small):
    """The condition is a range of one setting, so the right box is known: inflow below 0.8, whatever the rest."""
    sweep, end = small
    found = discover(sweep, end, "water.inflow < 0.8 and collapsed_max >= 0", threshold=1.0)
    box = found.boxes[0]
    assert [r.parameter for r in box.restrictions] == ["water.inflow"]
    assert box.restrictions[0].high < 0.8 and box.restrictions[0].high > 0.7
    assert box.density == 1.0 and box.coverage > 0.9 and box.meets_threshold
    truth = int((end["water.inflow"] < 0.8).sum())
    assert found.cases == truth and found.runs == len(end) == 120
    sentence = found.sentences()[1]
    assert sentence.startswith("Box 1: when water.inflow <= 0.7") and "density 1.00" in sentence
    assert f"coverage {box.coverage:.2f}" in sentence


def test_a_yes_no_setting_is_a_category(small):
    sweep, end = small
    found = discover(sweep, end, "backbone.present and water.inflow > 1.2", threshold=0.9)
    words = found.sentences()[1]
    assert "backbone.present is true" in words and "water.inflow >= 1.1" in words, words
    flag = next(r for r in found.boxes[0].restrictions if r.parameter == "backbone.present")
    assert flag.values == (True,) and found.boxes[0].coverage == 1.0


@pytest.mark.parametrize(("where", "fragment"), [
    ("total_welfare_summ > 0", "(did you mean 'total_welfare_sum'?)"),
    ("total_welfare_sum + 1", "is a number, not a condition"),
    ("import os", "is not an expression"),
])
def test_bad_conditions_are_named(small, where, fragment):
    sweep, end = small
    with pytest.raises(sim.InputError) as caught:
        discover(sweep, end, where)
    assert fragment in str(caught.value) and caught.value.field == "--where", str(caught.value)


def shrunk(path: Path) -> str:
    """The shipped sweep made small for a test: 60 worlds of 8 organisations over 4 to 10 seasons, the test's seed."""
    import tomli_w

    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    assert spec["sweep"]["master_seed"] != TEST_SEED
    spec["sweep"]["master_seed"] = TEST_SEED
    spec["sweep"]["sampling"]["samples"] = 60
    spec["parameters"]["world.seasons"] = {"low": 4, "high": 10}
    spec["parameters"]["world.organisations"] = {"values": [8]}
    return tomli_w.dumps(spec)


def test_the_shipped_question_gives_the_same_boxes_after_the_folder_is_moved(tmp_path):
    """`rembug discover` on the shipped sweep (small, on a test seed) writes boxes in words and as data; moved
    elsewhere, the folder gives the very same boxes."""
    spec = tmp_path / "expanding.toml"
    spec.write_text(shrunk(SHIPPED), encoding="utf-8")
    out = tmp_path / "expanding"
    assert rembug("sweep", spec, "--out", out, "--quiet", "--workers", "2").returncode == 0
    where = "expand.total_welfare_sum <= slice.total_welfare_sum"
    first = rembug("discover", out, "--where", where, "--threshold", "0.5", "--quiet")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"{where} holds in ") and "coverage" in first.stdout, first.stdout
    before = json.loads((out / "discovery" / "boxes.json").read_text())
    moved = tmp_path / "elsewhere" / "moved"
    moved.parent.mkdir()
    shutil.move(out, moved)
    spec.unlink()
    again = rembug("discover", moved, "--where", where, "--threshold", "0.5", "--quiet")
    assert again.returncode == 0, again.stderr
    after = json.loads((moved / "discovery" / "boxes.json").read_text())
    assert {k: v for k, v in before.items() if k != "sweep"} == {k: v for k, v in after.items() if k != "sweep"}
    assert first.stdout.splitlines()[:-1] == again.stdout.splitlines()[:-1]
    assert before["runs"] == 60 and before["master_seed"] == TEST_SEED
    assert (moved / "discovery" / "boxes.csv").exists() and (moved / "discovery" / "discovery.md").exists()


def test_the_shipped_sweep_asks_a_facilitators_question():
    spec = parse_sweep(SHIPPED.read_text(encoding="utf-8"))
    assert set(spec.policies) == {"expand", "slice"}
    assert spec.policies["expand"]["mix.integrative"] == 1.0 and spec.policies["slice"]["mix.distributive"] == 1.0
    for knob in ("water.inflow", "trust.initial", "negotiation.rounds", "organisations.diversity",
                 "strategies.fixed_pie", "backbone.present", "world.seasons"):
        assert knob in spec.parameters, knob
    assert "when_expanding_does_not_pay.toml" in (ROOT / "docs" / "research.md").read_text(encoding="utf-8")
