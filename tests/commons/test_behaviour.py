"""What the commons model's mechanisms do, pinned on the test suite's seeds (all below 1,000; the pattern catalogue
measures the model's claims on seeds from 10,000 on). Figures are printed under "measured figures"."""

from __future__ import annotations

import numpy as np
import pytest

from sim.commons import CommonsModel, planner_welfare
from sim.scenarios import build_config, builtin_scenarios, with_changes

SCENARIOS = builtin_scenarios()
SEEDS = range(6)


def runs(scenario: str, changes: dict, seeds=SEEDS):
    base = SCENARIOS[scenario].config
    return [CommonsModel(with_changes(base, {"world.seed": s, **changes})).run().season_table() for s in seeds]


def mean(tables, column, how="mean"):
    return float(np.mean([getattr(t[column], how)() for t in tables]))


SCARCE = {"water.inflow": 0.9}
SLICE = {"strategies.mix": {"distributive": 1.0}}
EXPAND = {"strategies.mix": {"integrative": 1.0}}


@pytest.fixture(scope="module")
def zero_sum():
    return runs("mixed_village", {**SCARCE, **SLICE, "trust.initial": 0.2})


@pytest.fixture(scope="module")
def gotong_royong():
    return runs("mixed_village", {**SCARCE, **EXPAND, "trust.initial": 0.9})


def test_claimers_grab_and_run_a_scarce_commons_down(zero_sum, gotong_royong, figures):
    grabs = figures.record("scarce, all distributive, trust 0.2: organisations grabbing per season", mean(zero_sum, "grab_rate"), "> problem-solvers'")
    assert grabs > mean(gotong_royong, "grab_rate") + 0.05
    figures.record("scarce, all distributive, trust 0.2: runs that collapse", mean(zero_sum, "collapsed", "max"), "(measured in the pattern catalogue)")
    stock_end = figures.record("scarce, all distributive: water left in the last decade", float(np.mean([t.stock_share.iloc[-10:].mean() for t in zero_sum])), "< problem-solvers'")
    assert stock_end < np.mean([t.stock_share.iloc[-10:].mean() for t in gotong_royong])
    assert mean(zero_sum, "need_met") < mean(gotong_royong, "need_met")


def test_trusting_problem_solvers_collapse_less_and_build_more(zero_sum, gotong_royong, figures):
    """A scarce river tempts everyone to grab while the stock is high (the walk-away is what a grab yields); trusting
    problem-solvers agree more often, so their river collapses in fewer worlds and later, and they build."""
    collapsed = figures.record("scarce, all integrative, trust 0.9: runs that collapse", mean(gotong_royong, "collapsed", "max"), "< claimers'")
    assert collapsed < mean(zero_sum, "collapsed", "max")
    seasons = figures.record("scarce, all integrative, trust 0.9: seasons collapsed", mean(gotong_royong, "collapsed", "sum"), "< claimers' / 2")
    assert seasons < mean(zero_sum, "collapsed", "sum") / 2
    for expand, slice_ in zip(gotong_royong, zero_sum, strict=True):  # the same river and years
        assert expand.infrastructure.mean() > slice_.infrastructure.mean()
    welfare_i = figures.record("scarce, all integrative: total welfare over 40 seasons", mean(gotong_royong, "total_welfare", "sum"), "> all distributive")
    figures.record("scarce, all distributive: total welfare over 40 seasons", mean(zero_sum, "total_welfare", "sum"), "")
    assert all(i.total_welfare.sum() > d.total_welfare.sum() for i, d in zip(gotong_royong, zero_sum, strict=True))
    assert welfare_i > mean(zero_sum, "total_welfare", "sum")


def test_an_abundant_river_does_not_count_as_collapsed(figures):
    tables = runs("mixed_village", {"water.inflow": 5.0, **EXPAND}, seeds=range(4))
    assert mean(tables, "collapsed", "max") == 0.0
    assert figures.record("inflow 5: need met", mean(tables, "need_met"), "> 0.9") > 0.9


def test_collapse_means_failing_users_not_an_empty_tank():
    """A depleted river that still meets most need has not collapsed; one that meets little of it has."""
    model = CommonsModel(build_config({"world": {"seasons": 1}, "water": {"initial_stock": 0.0, "inflow": 5.0}}))
    model.run()
    last = model.season_table().iloc[-1]
    assert last.need_met > 0.5 and last.collapsed == 0.0
    dry = CommonsModel(build_config({"world": {"seasons": 1}, "water": {"initial_stock": 0.0, "inflow": 0.05}}))
    dry.run()
    row = dry.season_table().iloc[-1]
    assert row.depleted == 1.0 and row.need_met < 0.5 and row.collapsed == 1.0


def test_labels_alone_change_nothing_when_trust_is_frozen_at_zero(figures):
    """With no trust, an integrative bargains exactly as a claimer, and conduct depends on incentives, not labels:
    the two villages differ only by chance."""
    frozen = {"trust.initial": 0.0, "trust.growth": 0.0, "trust.gossip": 0.0}
    seeds = range(8)
    expand = runs("mixed_village", {**frozen, **EXPAND}, seeds)
    slice_ = runs("mixed_village", {**frozen, **SLICE}, seeds)
    diff = np.array([e.total_welfare.sum() - s.total_welfare.sum() for e, s in zip(expand, slice_, strict=True)])
    se = diff.std(ddof=1) / np.sqrt(diff.size)
    figures.record("trust frozen at 0: all integrative minus all distributive, welfare", diff.mean(), f"within 2.5 SE ({se:.1f})")
    assert abs(diff.mean()) < 2.5 * se + 1e-9
    assert abs(mean(expand, "breaches") - mean(slice_, "breaches")) < 1.0


# -- conduct: incentives, for every organisation --------------------------------------------------------------------
def breach_share(changes: dict, short: float, trust: float = 0.5, grievance: bool = False, n: int = 4000) -> float:
    """Share of organisations in agreements that break them, given how short of their need the agreement leaves
    them and how much they trust their partner."""
    config = build_config({"world": {"organisations": n, "seasons": 1}, **changes})
    model = CommonsModel(config)
    model.run(1)  # a meeting: pairs and agreements in force
    model.trust[:] = trust
    if grievance:
        a, b = model.pairs[:, 0], model.pairs[:, 1]
        model.exploited.record(a, b, np.ones(a.size, dtype=bool))
        model.exploited.record(b, a, np.ones(a.size, dtype=bool))
    demand = model.need * (1.0 - short)
    term = model.term
    chosen = model.decide_breaches(demand, term.invest, term.in_agreement, term.partner, config.conduct.monitoring)
    return float(chosen[term.in_agreement].mean())


def test_breaking_an_agreement_follows_need_risk_and_the_relationship(figures):
    base = breach_share({}, short=0.3)
    figures.record("breaches, 30% short, partner trusted at 0.5", base, "between the cases below")
    assert base > breach_share({}, short=0.15) > breach_share({}, short=0.0)  # a breach takes up to 0.3 of need
    assert breach_share({"conduct": {"fine": 2.0}, "backbone": {"present": True, "shared_measurement": 1.0}}, short=0.3) < base
    assert breach_share({}, short=0.3, trust=1.0) < base < breach_share({}, short=0.3, trust=0.0)
    assert breach_share({}, short=0.3, trust=1.0, grievance=True) > breach_share({}, short=0.3, trust=1.0)
    assert breach_share({"backbone": {"present": True, "public_will": 1.0}}, short=0.3) < base


def test_the_strategy_label_plays_no_part_in_breaking_agreements():
    """Same incentives, same chance: conduct is the same function for a claimer and a problem-solver."""
    shares = [breach_share({"strategies": {"mix": {name: 1.0}}}, short=0.3) for name in ("distributive", "integrative")]
    assert abs(shares[0] - shares[1]) < 0.03


# -- partners: choice, refusal, staying together ----------------------------------------------------------------------
def test_an_organisation_never_meets_again_one_that_exploited_it():
    model = CommonsModel(with_changes(SCENARIOS["mixed_village"].config, {"world.seed": 3}))
    checked = 0
    for _ in range(40):
        meeting = model.term_left == 0
        before = model.exploited.to_matrix()  # grievances from earlier meetings (this one's are recorded after it)
        model.step()
        if meeting:
            a, b = model.pairs[:, 0], model.pairs[:, 1]
            assert not (before[a, b] | before[b, a]).any()
            checked += int(before.sum() > 0)
    assert checked > 5  # exploitation did happen, and those pairs were kept apart


def test_partners_who_kept_faith_stay_together(figures):
    tables = runs("mixed_village", {})
    kept = figures.record("mixed village: pairs that stay together at a meeting", float(np.nanmean([t.kept_rate.iloc[2:].mean() for t in tables])), "> 0.3")
    assert kept > 0.3
    random = runs("mixed_village", {"negotiation.partner_choice": 0.0})
    assert np.nanmax([t.kept_rate.max() for t in random]) == 0.0


def test_partner_choice_brings_cooperators_together():
    """Organisations that regard each other well pair up: cooperators meet cooperators more than chance would."""
    alike, chance = [], []
    for seed in range(4):
        model = CommonsModel(with_changes(SCENARIOS["mixed_village"].config, {"world.seed": seed}))
        names = np.asarray(model.strategy_names)
        for season in range(40):
            model.step()
            if season >= 10 and model.term_left == model.config.negotiation.term - 1:
                cooperative = np.isin(names[model.strategy_code], ["integrative", "reciprocal"])
                a, b = model.pairs[:, 0], model.pairs[:, 1]
                alike.append(np.mean(cooperative[a] & cooperative[b]))
                chance.append(cooperative.mean() ** 2)
    assert np.mean(alike) > np.mean(chance) + 0.05


# -- the backbone's levers ----------------------------------------------------------------------------------------------
NONE = {"backbone.present": True, "backbone.common_agenda": 0.0, "backbone.aligned_activities": 0.0,
        "backbone.shared_measurement": 0.0, "backbone.public_will": 0.0, "backbone.communication": 0.0,
        "backbone.policy": 0.0, "backbone.funding": 0.0}


@pytest.fixture(scope="module")
def backbone_baseline():
    return runs("mixed_village", NONE)


@pytest.mark.parametrize(
    ("function", "column", "direction", "label"),
    [
        ("common_agenda", "lose_lose_rate", -1, "wells left half-built"),
        ("aligned_activities", "value_created", +1, "value created at the table"),
        ("aligned_activities", "facilitated_rate", +1, "meetings facilitated"),
        ("shared_measurement", "undetected_breaches", -1, "undetected breaches"),
        ("public_will", "breaches", -1, "breaches"),
        ("communication", "mean_trust", +1, "mean trust between partners"),
        ("funding", "infrastructure", +1, "infrastructure"),
    ],
)
def test_each_backbone_lever_moves_its_own_outcome(backbone_baseline, function, column, direction, label, figures):
    switched = runs("mixed_village", {**NONE, f"backbone.{function}": 1.0})
    before, after = mean(backbone_baseline, column), mean(switched, column)
    figures.record(f"backbone {function} alone: {label}, change", after - before, "up" if direction > 0 else "down")
    assert direction * (after - before) > 0, (before, after)


def test_policy_caps_grabbing_where_there_are_grabs(figures):
    """Advancing policy caps what a grab takes. In the mixed village every pair now agrees (no grabs to cap), so the
    lever is measured where impasses happen: scarce water among claimers."""
    where = {**SCARCE, **SLICE, "trust.initial": 0.2}
    before = mean(runs("mixed_village", {**where, **NONE}), "grab_rate")
    after = mean(runs("mixed_village", {**where, **NONE, "backbone.policy": 1.0}), "grab_rate")
    figures.record("backbone policy alone, scarce claimers: organisations grabbing, change", after - before, "down")
    assert before > 0 and after < before, (before, after)


def test_a_common_agenda_keeps_priorities_diverse(backbone_baseline):
    """A common understanding of the problem is not identical interests: what there is to trade stays."""
    agenda = runs("mixed_village", {**NONE, "backbone.common_agenda": 1.0})
    assert abs(mean(agenda, "pair_diversity") - mean(backbone_baseline, "pair_diversity")) < 0.02


def test_the_backbone_never_arbitrates():
    """Every pair bargains with its own strategy, facilitated or not: no agreement is written for them."""
    config = with_changes(SCENARIOS["backbone"].config, {"world.seasons": 6})
    model = CommonsModel(config, record_negotiations=True).run()
    for meeting in model.meetings:
        assert meeting.result is not None and meeting.direct.size == meeting.pairs.shape[0]
        np.testing.assert_array_equal(np.nan_to_num(meeting.result.agreement), np.nan_to_num(meeting.package))


# -- references and fixes --------------------------------------------------------------------------------------------
def test_the_planner_is_a_reference_runs_rarely_beat(figures):
    shares = []
    for seed in range(4):
        config = with_changes(SCENARIOS["mixed_village"].config, {"world.seed": seed})
        shares.append(CommonsModel(config).run().season_table().total_welfare.sum() / planner_welfare(config))
    efficiency = figures.record("mixed village: efficiency (welfare / the planner's)", float(np.mean(shares)), "0..1")
    assert 0.0 < efficiency < 1.0


def test_the_head_tail_ratio_is_never_negative():
    tables = runs("upstream_downstream", {"organisations.conflict_cost": 5.0, "water.inflow": 0.3}, seeds=range(3))
    assert all((t.head_tail_ratio >= 0).all() for t in tables)


def test_the_community_profile_shapes_priorities_and_stakes_stay_finite():
    config = build_config({"organisations": {"profile": (1.0, 0.0, 0.0, 0.0), "diversity": 0.0}, "world": {"seasons": 6}})
    model = CommonsModel(config).run()
    assert np.allclose(model.weights, [1.0, 0.0, 0.0, 0.0])
    assert np.isfinite(model.season_table().total_welfare).all()
    assert abs(model.season_table().total_welfare.sum()) < 1e3
    diverse = CommonsModel(build_config({"organisations": {"profile": (0.1, 0.1, 0.1, 0.7), "diversity": 0.3}}))
    assert diverse.weights[:, 3].mean() > 0.4  # drawn around the profile given, not the default one


def test_a_one_round_meeting_can_reach_agreement():
    tables = runs("mixed_village", {"negotiation.rounds": 1}, seeds=range(2))
    assert mean(tables, "agreement_rate") > 0.0
