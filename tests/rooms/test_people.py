"""People playing their own seats (sim.commons.people): their decisions replace the model's, and only theirs."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rooms.game import room_config
from sim.commons import CommonsConfig, CommonsModel
from sim.commons.people import KINDS, Held, People
from sim.negotiation.domain import to_frame
from sim.negotiation.strategies import REGISTRY
from sim.scenarios import find_scenario

WELL = [0.5, 0.5, 0.5, 1.0]  # half and half, and build the well together: a package a slicing bot accepts
EVERYTHING = [1.0, 1.0, 1.0, 1.0]


def config(seats: int = 10, seasons: int = 3, seed: int = 5, mix: dict[str, float] | None = None) -> CommonsConfig:
    data = room_config(find_scenario("mixed_village").config, seats, seasons, seed=seed).model_dump()
    if mix is not None:
        data["strategies"]["mix"] = mix
    return CommonsConfig.model_validate(data)


def seat_row(model: CommonsModel, seat: int) -> tuple[int, int]:
    """(pair row, side) of ``seat`` in the model's last meeting."""
    rows, sides = np.nonzero(model.pairs == seat)
    return int(rows[0]), int(sides[0])


def own_frame(model: CommonsModel, seat: int) -> np.ndarray:
    row, side = seat_row(model, seat)
    x = np.asarray(model.package[row], dtype=float)
    return x if side == 0 else to_frame(x[:, None], model.domain.opposed)[:, 0]


def test_nobody_at_the_table_is_a_plain_run():
    for seed in (1, 5):
        cfg = config(seed=seed, seasons=6)
        plain = CommonsModel(cfg).run().season_table()
        pd.testing.assert_frame_equal(CommonsModel(cfg, people=People()).run().season_table(), plain)
        # Decisions for other seasons than those played, or kinds people are never asked, change nothing either.
        stray = People.from_records([{"season": 99, "seat": 0, "kind": "keep", "value": False},
                                     {"season": 0, "seat": 0, "kind": "vote", "value": 1}])
        pd.testing.assert_frame_equal(CommonsModel(cfg, people=stray).run().season_table(), plain)


def meet_once(seed: int, package: list[float], seat: int = 0):
    cfg = config(seasons=1, seed=seed, mix={"distributive": 1.0})
    model = CommonsModel(cfg, people=People({(0, seat, "disclose"): False, (0, seat, "offer"): package}),
                         record_negotiations=True)
    model.meet()
    row, _ = seat_row(model, seat)
    return model, row


def bot_can_accept(model: CommonsModel, row: int, package: list[float]) -> bool:
    """Whether the person's package is worth at least the bot partner's walk-away value to the bot (model v3: what
    an impasse would give it, worked out from the water), in the bot's own frame."""
    meeting = model.meetings[-1]
    bot_is_b = meeting.pairs[row, 0] == 0
    weights = (meeting.weights_b if bot_is_b else meeting.weights_a)[row]
    walk_away = (meeting.reservation_b if bot_is_b else meeting.reservation_a)[row]
    theirs = to_frame(np.asarray(package, dtype=float)[:, None], model.domain.opposed)[:, 0]  # the bot's frame
    return float(weights @ theirs) >= walk_away


def test_a_package_the_bot_can_accept_becomes_the_agreement():
    """Half and half with the well becomes the agreement wherever it beats the bot's walk-away value, and only there:
    a bot that would get more by taking water alone walks away (it did in 2 of these 20 worlds)."""
    acceptable = 0
    for seed in range(20):
        model, row = meet_once(seed, WELL)
        assert model.agreed[row] == bot_can_accept(model, row, WELL)
        if model.agreed[row]:
            acceptable += 1
            np.testing.assert_allclose(own_frame(model, 0), WELL, atol=1e-9)
    assert acceptable >= 15


def test_a_persons_offer_is_their_last_word():
    """A person is never settled below their own package: against a slicing bot, holding out for everything ends in
    impasse unless the bot could get no more alone than the well (a bot at the deadline takes anything better than
    walking away; a person was never asked about less), while half-and-half-with-the-well is accepted wherever the
    bot cannot do better alone."""
    impasses = 0
    for seed in range(20):
        model, row = meet_once(seed, EVERYTHING)
        assert model.agreed[row] == bot_can_accept(model, row, EVERYTHING)
        if model.agreed[row]:
            assert float(model.weights[0] @ own_frame(model, 0)) >= float(model.weights[0] @ np.ones(4)) - 1e-9
        else:
            impasses += 1
        well, well_row = meet_once(seed, WELL)
        assert well.agreed[well_row] == bot_can_accept(well, well_row, WELL)
    assert impasses >= 10  # most of the time


def one_season(decisions: dict, seed: int) -> CommonsModel:
    cfg = config(seasons=1, seed=seed, mix={"distributive": 1.0})
    base = {(0, 0, "disclose"): True, (0, 0, "offer"): WELL}
    return CommonsModel(cfg, people=People(base | decisions)).run()


def test_taking_more_water_and_skipping_the_well_are_separate_choices_each_breaking_ones_word():
    checked = 0
    for seed in range(6):
        keeps = one_season({(0, 0, "keep"): True, (0, 0, "invest"): True}, seed)
        row, _ = seat_row(keeps, 0)
        if not keeps.agreed[row] or keeps.term.invest[0] <= 0:
            continue
        checked += 1
        takes = one_season({(0, 0, "keep"): False, (0, 0, "invest"): True}, seed)
        skips = one_season({(0, 0, "keep"): True, (0, 0, "invest"): False}, seed)
        water = {name: m.organisation_table().query("organisation == 0").water.item()
                 for name, m in (("keeps", keeps), ("takes", takes), ("skips", skips))}
        assert water["takes"] > water["keeps"]
        assert water["skips"] == water["keeps"]  # skipping the investment breaks one's word without taking water
        assert keeps.parts["invested"][0] == keeps.term.invest[0] > 0
        assert takes.parts["invested"][0] == keeps.term.invest[0]  # took more water, and still paid as promised
        assert skips.parts["invested"][0] == 0.0
        breached = {name: bool(m.organisation_table().query("organisation == 0").breached.item())
                    for name, m in (("keeps", keeps), ("takes", takes), ("skips", skips))}
        assert breached == {"keeps": False, "takes": True, "skips": True}
    assert checked >= 3


def test_held_is_not_a_strategy_anyone_can_pick():
    assert Held not in REGISTRY.values()
    assert not any(issubclass(cls, Held) for cls in REGISTRY.values())
    assert Held.name == ""
    assert Held(0, True, None) != Held(1, True, None)  # two people are never merged into one group


def test_the_first_decision_of_a_kind_counts():
    people = People.from_records([{"season": 0, "seat": 2, "kind": "keep", "value": False},
                                  {"season": 0, "seat": 2, "kind": "keep", "value": True}])
    assert people.get(0, 2, "keep") is False


def room_records(seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    records = []
    for season in range(3):
        for seat in range(5):
            records.append({"season": season, "seat": seat, "kind": "disclose", "value": bool(rng.random() < 0.5)})
            records.append({"season": season, "seat": seat, "kind": "offer",
                            "value": {"card": "x", "package": rng.random(4).round(3).tolist()}})
            records.append({"season": season, "seat": seat, "kind": "keep", "value": bool(rng.random() < 0.7)})
            records.append({"season": season, "seat": seat, "kind": "invest", "value": bool(rng.random() < 0.7)})
    return records


def test_same_records_same_village_in_this_process_and_another():
    cfg = config(seasons=3, seed=7)
    records = room_records(3)
    a = CommonsModel(cfg, people=People.from_records(records)).run().season_table()
    b = CommonsModel(cfg, people=People.from_records(records)).run().season_table()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(CommonsModel(cfg).run().season_table())  # the records do change the village
    code = (
        "import json, sys, pandas as pd; from sim.commons import CommonsConfig, CommonsModel; "
        "from sim.commons.people import People; cfg, records = json.loads(sys.stdin.read()); "
        "t = CommonsModel(CommonsConfig.model_validate(cfg), people=People.from_records(records)).run()"
        ".season_table(); "
        "print(pd.util.hash_pandas_object(t, index=False).sum())"
    )
    payload = json.dumps([cfg.model_dump(mode="json"), records])
    out = subprocess.run([sys.executable, "-c", code], input=payload, capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) == int(pd.util.hash_pandas_object(a, index=False).sum())


unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def rooms(draw):
    seats = draw(st.integers(2, 12))
    decisions = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(KINDS))
        if kind == "offer":
            value = {"card": "any", "package": draw(st.lists(unit, min_size=4, max_size=4))}
        else:
            value = draw(st.booleans())
        decisions.append({"season": draw(st.integers(0, 2)), "seat": draw(st.integers(0, seats - 1)), "kind": kind,
                          "value": value})
    return config(seats=seats, seasons=3, seed=draw(st.integers(0, 999))), decisions


@settings(max_examples=40, deadline=None)
@given(room=rooms())
def test_any_decisions_conserve_water_and_pay_finite_amounts(room):
    cfg, records = room
    model = CommonsModel(cfg, people=People.from_records(records)).run()
    t = model.season_table()
    assert len(t) == 3
    # The same check as tests/commons/test_model.py: water in = water out + water kept, every season.
    balance = t.stock_before + t.captured - (t.extracted + t.spilled + t.water_stock)
    assert np.allclose(balance, 0.0, atol=1e-6)
    assert (t.water_stock >= -1e-9).all() and (t.water_stock <= t.capacity + 1e-9).all()
    assert (t.extracted <= t.stock_before + t.captured + 1e-9).all()
    orgs = model.organisation_table()
    assert np.isfinite(orgs.payoff).all() and np.isfinite(t.total_welfare).all()
    assert np.isfinite(model.cumulative).all()
