"""The robustness screen: exact decompositions, a named mechanism where the gap moves most, and the command."""

from __future__ import annotations

import numpy as np
import pytest

from sim import robustness
from sim.cli import main

FACTORS = (robustness.Factor("water.inflow", (0.7, 1.2), "scarcity"),)


@pytest.fixture(scope="module")
def frame():
    return robustness.screen("mixed_village", FACTORS, seeds=range(3))


def test_both_decompositions_add_up_to_the_gap(frame):
    np.testing.assert_allclose(frame.collapse_avoided + frame.everyday, frame.gap, atol=1e-9)
    accounts = sum(frame[f"by_{a}"] for a in robustness.ACCOUNTS)
    np.testing.assert_allclose(accounts, frame.gap, atol=1e-6)


def test_one_row_per_level_and_seed_and_a_summary_with_intervals(frame):
    assert len(frame) == 2 * 3 and set(frame.level) == {0.7, 1.2}
    summary = robustness.summarise(frame)
    assert list(summary.level) == [0.7, 1.2]
    assert (summary.ci_low <= summary.gap).all() and (summary.gap <= summary.ci_high).all()


def test_where_the_gap_moves_most_a_mechanism_is_named(frame):
    tip = robustness.tips(frame).iloc[0]
    assert (tip["from"], tip["to"]) == (0.7, 1.2)
    assert tip.mechanism and tip.moved_by_spreads > 0


def test_the_screen_moves_at_least_twelve_settings_each_through_the_presets_value():
    from sim.scenarios import builtin_scenarios

    assert len(robustness.FACTORS) >= 12
    config = builtin_scenarios()["mixed_village"].config.model_dump()
    for factor in robustness.FACTORS:
        section, key = factor.key.split(".")
        assert config[section][key] in factor.levels, factor.key


def test_the_command_writes_tables_curves_and_refuses_bad_input(tmp_path, capsys):
    out = tmp_path / "screen"
    assert main(["robustness", "--seeds", "2", "--only", "trust.initial", "--out", str(out), "--workers", "1",
                 "--quiet"]) == 0
    for name in ("robustness.csv", "robustness_summary.csv", "robustness_tips.csv", "robustness.md", "robustness.png"):
        assert (out / name).exists(), name
    assert "trust.initial" in (out / "robustness.md").read_text()
    assert main(["robustness", "--seeds", "1"]) == 2
    assert "--seeds" in capsys.readouterr().err
    assert main(["robustness", "--only", "trust.intial"]) == 2
    assert "trust.initial" in capsys.readouterr().err  # the message lists the factors there are
