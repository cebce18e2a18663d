"""The model as an EMA Workbench model: uncertainties from the settings' ranges, outcomes from the measures, the same
numbers as a run of the same settings, and the shipped example runs."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.experiments.ema import ema_model, ema_name

ROOT = Path(__file__).resolve().parents[2]
workbench = pytest.importorskip("ema_workbench")


def test_uncertainties_take_the_settings_ranges_and_types():
    model = ema_model("mixed_village", uncertainties=["trust.initial", "negotiation.rounds", "backbone.present",
                                                     "negotiation.matching"],
                      levers={"mix.integrative": (0.2, 0.9)})
    by_name = {p.name: p for p in model.uncertainties}
    assert isinstance(by_name["trust_initial"], workbench.RealParameter)
    assert (by_name["trust_initial"].lower_bound, by_name["trust_initial"].upper_bound) == (0.0, 1.0)
    assert isinstance(by_name["negotiation_rounds"], workbench.IntegerParameter)
    assert (by_name["negotiation_rounds"].lower_bound, by_name["negotiation_rounds"].upper_bound) == (1, 200)
    assert isinstance(by_name["backbone_present"], workbench.BooleanParameter)
    assert isinstance(by_name["negotiation_matching"], workbench.CategoricalParameter)
    lever = model.levers["mix_integrative"]
    assert (lever.lower_bound, lever.upper_bound) == (0.2, 0.9)
    assert [o.name for o in model.outcomes][:2] == ["total_welfare_sum", "stock_share_end"]


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"uncertainties": ["trust.intial"]}, "did you mean 'trust.initial'"),
    ({"uncertainties": {"trust.initial": (0.5, 2.0)}}, "outside the setting's range"),
    ({"outcomes": ["total_welfare"]}, "is not a run measure (did you mean 'total_welfare_sum'?)"),
    ({"uncertainties": ["strategies.mix"]}, "cannot be varied alone"),
])
def test_bad_requests_are_named(kwargs, fragment):
    with pytest.raises(sim.InputError) as caught:
        ema_model("mixed_village", **kwargs)
    assert fragment in str(caught.value), str(caught.value)


def test_the_workbench_runs_it_and_gets_what_a_run_gets():
    model = ema_model("mixed_village", uncertainties={"water.inflow": (0.6, 1.4), "trust.initial": (0.1, 0.9)},
                      outcomes=["total_welfare_sum", "collapsed_max"], series=["stock_share"])
    model.constants = [*model.constants, workbench.Constant("world_seasons", 5)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = workbench.perform_experiments(model, scenarios=4)
    # world_seasons is not an uncertainty: the scenario's 40 seasons are played, and the series says so
    assert outcomes["stock_share"].shape == (4, 40) and len(experiments) == 4
    from sim.commons import CommonsModel
    from sim.scenarios import find_scenario
    from sim.settings import apply

    for i, row in experiments.iterrows():
        config = apply(find_scenario("mixed_village").config,
                       {"water.inflow": row["water_inflow"], "trust.initial": row["trust_initial"]})
        seasons = CommonsModel(config).run().season_table()
        assert outcomes["total_welfare_sum"][i] == pytest.approx(seasons.total_welfare.sum())
        assert np.allclose(outcomes["stock_share"][i], seasons.stock_share)


def test_replications_run_each_experiment_on_several_seeds():
    model = ema_model("mixed_village", uncertainties={"trust.initial": (0.1, 0.9)}, outcomes=["total_welfare_sum"],
                      replications=3, master_seed=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, outcomes = workbench.perform_experiments(model, scenarios=2)
    from sim.experiments.design import run_seed
    from sim.experiments.ema import run_experiment

    assert np.asarray(outcomes["total_welfare_sum"]).shape == (2,)
    by_seed = [run_experiment(model.function.args[0], model.function.args[1], ("total_welfare_sum",), (),
                              trust_initial=0.5, world_seed=run_seed(7, i))["total_welfare_sum"] for i in range(3)]
    assert len(set(by_seed)) == 3  # three seeds, three villages; the outcome is their mean
    single = ema_model("mixed_village", uncertainties={"trust.initial": (0.1, 0.9)}, outcomes=["total_welfare_sum"],
                       replications=3, master_seed=7)
    scenario = workbench.Sample(trust_initial=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, again = workbench.perform_experiments(single, scenarios=[scenario])
    assert again["total_welfare_sum"][0] == pytest.approx(np.mean(by_seed))


def test_names_are_python_names_and_distinct():
    from sim.settings import SETTINGS

    names = [ema_name(k) for k in SETTINGS]
    assert all(n.isidentifier() for n in names) and len(set(names)) == len(names)


def test_the_example_runs(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "workbench_prim.py"), "8"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "16 experiments; the river collapsed in" in done.stdout, done.stdout
