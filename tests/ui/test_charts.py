"""Figure builders draw what they say, from run data alone."""

from __future__ import annotations

import numpy as np
import pytest

from sim.scenarios import build_config
from ui import charts
from ui.runs import simulate, variants


@pytest.fixture(scope="module")
def runs():
    config = build_config({"world": {"organisations": 12, "seasons": 8}})
    return {label: simulate.__wrapped__(cfg.model_dump_json()) for label, cfg in variants(config).items()}


def test_comparison_has_one_line_per_way_and_metric(runs):
    fig = charts.comparison({k: r.seasons for k, r in runs.items()}, "id")
    assert len(fig.data) == 3 * 4
    assert {tr.name for tr in fig.data} == {"Mengiris kue (semua distributif)", "Memperbesar kue (semua integratif)", "Campuran Anda"}


def test_variants_share_world_and_seed_but_not_the_mix(runs):
    config = build_config({"world": {"organisations": 12, "seasons": 8}})
    v = variants(config)
    assert v["slice"].strategies.mix == {"distributive": 1.0} and v["expand"].strategies.mix == {"integrative": 1.0}
    assert v["slice"].world == v["expand"].world == config.world and v["slice"].water == config.water


def test_river_animation_has_a_frame_per_season_and_play_controls(runs):
    fig = charts.river(runs["yours"], "en")
    assert len(fig.frames) == 8
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert labels == ["Play", "Pause"]
    first = fig.frames[0].data
    sizes = np.concatenate([np.atleast_1d(tr.marker.size) for tr in first if tr.mode == "markers"])
    assert sizes.size == 12  # every organisation drawn


def test_dance_shows_frontier_batnas_and_outcome(runs):
    run = runs["yours"]
    meeting = run.meetings[0]
    fig = charts.dance(meeting, 0, "en", ("Organisation 1", "Organisation 2"))
    names = {tr.name for tr in fig.data}
    assert {"Pareto frontier", "BATNAs (walk-away)"} <= names
    assert ("Agreement" in names) == bool(meeting.agreed[0])


def test_timeseries_stacks_strategy_shares(runs):
    run = runs["yours"]
    fig = charts.timeseries(run.seasons, run.strategy_names, "en", season=3)
    stacked = [tr for tr in fig.data if tr.stackgroup == "shares"]
    assert len(stacked) == len(run.strategy_names)
