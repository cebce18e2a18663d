"""The Mesa model: conservation and bounds for any settings, determinism by seed, tidy tables, agents as views."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.commons import CommonsConfig, CommonsModel, Organisation
from sim.scenarios import build_config

unit = st.floats(0.0, 1.0)


@st.composite
def configs(draw):
    mix = draw(st.dictionaries(st.sampled_from(["distributive", "integrative", "reciprocal"]), st.floats(0.1, 1), min_size=1))
    communities = draw(st.sampled_from([1, 2]))
    data = {
        "world": {"organisations": draw(st.integers(2, 40)), "seasons": draw(st.integers(1, 12)), "seed": draw(st.integers(0, 999)), "communities": communities},
        "water": {"inflow": draw(st.floats(0, 2)), "seasonality": draw(unit), "drought_probability": draw(unit),
                  "drought_severity": draw(unit), "initial_stock": draw(unit), "river_order": draw(st.booleans()),
                  "base_capture": draw(unit)},
        "organisations": {"need_spread": draw(unit), "diversity": draw(unit), "grab": draw(st.floats(1, 5)),
                          "grab": draw(st.floats(1, 5))},
        "strategies": {"mix": mix},
        "negotiation": {"rounds": draw(st.integers(1, 30)), "term": draw(st.integers(1, 4)),
                        "matching": draw(st.sampled_from(["random", "neighbours"]))},
        "trust": {"initial": draw(unit), "growth": draw(unit), "cut": draw(unit)},
        "conduct": {"honesty": draw(st.floats(0, 2)), "reciprocity": draw(st.floats(0, 2)), "noise": draw(st.floats(0, 1)),
                    "monitoring": draw(unit)},
        "learning": {"rate": draw(unit)},
        "backbone": {"present": draw(st.booleans()), "shared_measurement": draw(unit), "public_will": draw(unit),
                     "policy": draw(unit), "funding": draw(st.floats(0, 2)), "communication": draw(unit),
                     "common_agenda": draw(unit), "aligned_activities": draw(unit)},
        "broker": {"present": communities == 2 and draw(st.booleans())},
    }
    return build_config(data)


@settings(max_examples=60, deadline=None)
@given(config=configs())
def test_water_is_conserved_and_stays_in_bounds(config):
    model = CommonsModel(config).run()
    t = model.season_table()
    assert len(t) == config.world.seasons
    balance = t.stock_before + t.captured - (t.extracted + t.spilled + t.water_stock)
    assert np.allclose(balance, 0.0, atol=1e-6)
    assert (t.water_stock >= -1e-9).all() and (t.water_stock <= t.capacity + 1e-9).all()
    assert (t.extracted <= t.stock_before + t.captured + 1e-9).all()  # nobody takes water that is not there
    assert (t.extracted <= t.demanded + 1e-9).all()
    assert np.all((model.trust >= 0) & (model.trust <= 1))
    assert np.all((model.reputation >= 0) & (model.reputation <= 1))
    assert t.gini.between(0, 1).all()


def test_same_seed_same_history_different_seed_different():
    config = build_config({"world": {"seasons": 12}})
    a = CommonsModel(config).run().season_table()
    b = CommonsModel(config).run().season_table()
    pd.testing.assert_frame_equal(a, b)
    c = CommonsModel(build_config({"world": {"seasons": 12, "seed": 2}})).run().season_table()
    assert not a.total_welfare.equals(c.total_welfare)


def test_same_seed_same_history_in_another_process():
    code = (
        "import pandas as pd; from sim.commons import CommonsModel; from sim.scenarios import build_config;"
        "t = CommonsModel(build_config({'world': {'seasons': 12}})).run().season_table();"
        "print(pd.util.hash_pandas_object(t, index=False).sum())"
    )
    here = CommonsModel(build_config({"world": {"seasons": 12}})).run().season_table()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) == int(pd.util.hash_pandas_object(here, index=False).sum())


def test_agents_are_views_of_the_models_arrays():
    model = CommonsModel(build_config({"world": {"organisations": 12, "seasons": 3}})).run()
    agents = list(model.agents)
    assert len(agents) == 12 and all(isinstance(a, Organisation) for a in agents)
    first, last = agents[0], agents[-1]
    assert first.position < last.position
    assert first.payoff == model.payoff[first.index]
    assert first.strategy in model.strategy_names
    assert 0.0 <= first.trust_in(last) <= 1.0


def test_tables_are_tidy():
    model = CommonsModel(build_config({"world": {"organisations": 10, "seasons": 6}})).run()
    seasons = model.season_table()
    assert seasons.season.tolist() == list(range(6))
    for column in ("water_stock", "infrastructure", "total_welfare", "gini", "agreement_rate", "pareto_rate",
                   "lose_lose_rate", "breaches", "mean_trust", "head_tail_ratio", "collapsed", "share_integrative",
                   "welfare_distributive"):
        assert column in seasons
    orgs = model.organisation_table()
    assert len(orgs) == 60 and set(orgs.strategy) <= set(model.strategy_names)
    assert orgs.groupby("season").payoff.sum().round(9).tolist() == seasons.total_welfare.round(9).tolist()


def test_the_default_configuration_is_a_valid_run():
    model = CommonsModel(CommonsConfig()).run(3)
    assert model.season == 3


def test_recording_negotiations_changes_no_result():
    config = build_config({"world": {"seasons": 8}})
    plain = CommonsModel(config).run().season_table()
    recorder = CommonsModel(config, record_negotiations=True).run()
    pd.testing.assert_frame_equal(plain, recorder.season_table())
    assert len(recorder.meetings) == 4 and len(recorder.links) == 8
    meeting = recorder.meetings[0]
    assert meeting.result is not None and meeting.result.trace is not None
    assert meeting.pairs.shape[0] == meeting.agreed.size


def test_efficiency_is_a_share_of_a_positive_planner_welfare_only():
    from sim.commons import efficiency

    assert efficiency(50.0, 100.0) == 0.5
    assert np.isnan(efficiency(-5.0, -20.0))  # a share of a loss means nothing
    assert np.isnan(efficiency(5.0, 0.0))
