"""Outcomes a researcher defines (expressions over the season table or over run measures, or Python functions), and
policies compared world by world on the same seeds: in sweeps, in the results table, and in reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments import parse_sweep
from sim.experiments.analyze import analyse, envelopes, report_html
from sim.experiments.expressions import Expression
from sim.measures import run_measures

SPEC = """
[sweep]
scenario = "mixed_village"
replications = 2
master_seed = 9
keep = "{keep}"
metrics = ["total_welfare", "harvest", "labour", "conflict"]

[parameters]
"water.inflow" = {{ values = [0.8, 1.2] }}
"world.seasons" = {{ values = [5] }}
"world.organisations" = {{ values = [10] }}

[outcomes]
net_harvest = {{ season = "harvest - labour - conflict", over = ["sum", "end"] }}
per_season = {{ run = "total_welfare_sum / 5" }}
net_share = {{ run = "net_harvest_sum / (harvest_sum + 1e-9)" }}
"""


def per_organisation(seasons: pd.DataFrame) -> float:
    """A Python outcome: welfare per organisation over the run (10 organisations)."""
    return float(seasons["total_welfare"].sum() / 10)


@pytest.mark.parametrize("keep", ["end", "seasons"])
def test_custom_outcomes_are_computed_in_each_run(keep):
    table = sim.sweep(SPEC.format(keep=keep), outcomes={"per_organisation": per_organisation}, workers=2)
    assert (table["status"] == "ok").all(), table["error"].unique()
    sweep = parse_sweep(SPEC.format(keep=keep))
    end = analyse(sweep.with_outcomes({"per_organisation": per_organisation}), table).end
    if keep == "seasons":
        assert np.allclose(table["net_harvest"], table["harvest"] - table["labour"] - table["conflict"])
    plain = sim.sweep(SPEC.format(keep="seasons").split("[outcomes]")[0])  # the same runs, no outcomes
    expected = run_measures(plain, by="run")
    net = plain.assign(net=plain.harvest - plain.labour - plain.conflict).groupby("run").net
    assert np.allclose(end["net_harvest_sum"], net.sum().to_numpy())
    assert np.allclose(end["net_harvest_end"], net.last().to_numpy())
    assert np.allclose(end["per_season"], expected["total_welfare_sum"] / 5)
    assert np.allclose(end["net_share"], net.sum().to_numpy() / (expected["harvest_sum"] + 1e-9))
    assert np.allclose(end["per_organisation"], expected["total_welfare_sum"] / 10)


def test_outcomes_are_in_the_report_and_its_envelopes(tmp_path):
    sweep = parse_sweep(SPEC.format(keep="seasons"))
    analysis = analyse(sweep, sim.sweep(sweep), outcomes={"gain": "per_season - 1"})
    for name in ("net_harvest_sum", "net_harvest_end", "per_season", "net_share", "gain"):
        assert name in analysis.metrics and f"{name}_mean" in analysis.by_point
    assert "net_harvest" in set(envelopes(analysis)["measure"])
    report = report_html(analysis, "net_share")
    assert "custom (run outcome): net_harvest_sum / (harvest_sum + 1e-9)" in report
    assert "net_harvest season by season" in report


@pytest.mark.parametrize(("outcomes", "fragment"), [
    ('x = { run = "total_welfare_summ / 2" }', "'total_welfare_summ' (did you mean 'total_welfare_sum'?)"),
    ('x = { season = "harvest_sum * 2" }', "'harvest_sum'"),
    ('x = { run = "__import__(1)" }', "cannot be used in an expression"),
    ('x = { run = "total_welfare_sum.real" }', "'total_welfare_sum.real'"),
    ('x = { run = "1 +" }', "is not an expression"),
    ('total_welfare = { run = "1" }', "is a built-in measure already"),
    ('x = { season = "harvest", over = ["median"] }', "outcomes.x.over"),
    ('x = "harvest"', "give one of run ="),
])
def test_bad_outcomes_are_named(outcomes, fragment):
    text = SPEC.format(keep="end").split("[outcomes]")[0] + "[outcomes]\n" + outcomes + "\n"
    with pytest.raises(sim.InputError) as caught:
        parse_sweep(text)
    assert fragment in str(caught.value), str(caught.value)


def test_expressions_read_dotted_names_and_never_execute_anything():
    frame = pd.DataFrame({"water.inflow": [0.5, 1.0, 1.5], "expand.w": [3.0, 1.0, 2.0], "slice.w": [1.0, 2.0, 2.0]})
    where = Expression("water.inflow < 1.2 and expand.w <= slice.w")
    assert where.names == ["water.inflow", "expand.w", "slice.w"]
    assert where.evaluate(frame).tolist() == [False, True, False]
    assert Expression("max(expand.w - slice.w, 0) + abs(-1)").evaluate(frame).tolist() == [3.0, 1.0, 1.0]
    for text in ("open('x')", "().__class__", "[x for x in y]", "lambda: 1", "a if b else c", "'text'"):
        with pytest.raises(sim.InputError):
            Expression(text)


POLICIES = """
[sweep]
scenario = "mixed_village"
replications = 2
master_seed = 4
metrics = ["total_welfare_sum", "share_integrative_end"]

[policies.expand]
"mix.integrative" = 1.0
"mix.distributive" = 0.0
"mix.reciprocal" = 0.0

[policies.slice]
"mix.integrative" = 0.0
"mix.distributive" = 1.0
"mix.reciprocal" = 0.0

[parameters]
"trust.initial" = { values = [0.2, 0.8] }
"world.seasons" = { values = [4] }
"world.organisations" = { values = [8] }
"""


def test_policies_run_every_world_under_each_with_the_same_seed():
    table = sim.sweep(POLICIES, workers=2)
    assert len(table) == 4 * 2 and table["policy"].tolist()[:2] == ["expand", "slice"]
    assert table.groupby("run")["seed"].nunique().eq(1).all()  # common random numbers: one seed per world
    assert set(table.loc[table.policy == "expand", "share_integrative_end"]) == {1.0}
    assert set(table.loc[table.policy == "slice", "share_integrative_end"]) == {0.0}
    # the same as running each policy's village by hand with that seed
    from sim.commons import CommonsModel
    from sim.scenarios import find_scenario
    from sim.settings import apply

    row = table.iloc[3]
    config = apply(find_scenario("mixed_village").config,
                   {"mix.integrative": 0.0, "mix.distributive": 1.0, "mix.reciprocal": 0.0, "world.seasons": 4,
                    "world.organisations": 8, "trust.initial": row["trust.initial"], "world.seed": int(row["seed"])})
    seasons = CommonsModel(config).run().season_table()
    assert row["policy"] == "slice" and row["total_welfare_sum"] == pytest.approx(seasons.total_welfare.sum())
    analysis = analyse(parse_sweep(POLICIES), table)
    assert analysis.by_point[["point", "policy"]].drop_duplicates().shape[0] == 4


@pytest.mark.parametrize(("change", "fragment"), [
    (('"mix.integrative" = 1.0', '"mix.integrativ" = 1.0'), "policies.expand.mix.integrativ"),
    (('[policies.slice]\n"mix.integrative" = 0.0', '[policies.slice]\n"trust.initial" = 0.5'), "is also a parameter"),
    (('"mix.distributive" = 1.0', '"mix.distributive" = 7.0'), "mix.distributive"),
])
def test_bad_policies_are_named(change, fragment):
    with pytest.raises(sim.InputError) as caught:
        parse_sweep(POLICIES.replace(*change, 1) if "slice" not in change[0] else POLICIES.replace(*change))
    assert fragment in str(caught.value), str(caught.value)


def test_a_dict_may_name_tables_with_dots_as_toml_does():
    """{"sweep.sampling": {...}} is the table [sweep.sampling], as a TOML file writes it; it was refused by a message
    that named [sweep.sampling] as what was missing."""
    spec = {"sweep": {"scenario": "mixed_village", "master_seed": 3},
            "sweep.sampling": {"method": "latin", "samples": 3},
            "parameters": {"trust.initial": {"low": 0.1, "high": 0.9}, "world.seasons": {"values": [2]},
                           "world.organisations": {"values": [6]}}}
    sweep = parse_sweep(spec)
    assert sweep.settings.sampling.method == "latin" and sweep.samples == 3
    with pytest.raises(sim.InputError, match=r"write \[sweep.sampling\] without quotes"):
        parse_sweep('[sweep]\nscenario = "mixed_village"\n["sweep.sampling"]\nmethod = "latin"\n[parameters]\n'
                    '"trust.initial" = { low = 0.1, high = 0.9 }\n')
