"""A room's village (rooms.game): what each stage asks of a seat, what it shows, and the debrief's bot villages."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from rooms.game import CARDS, ROOM_SEASONS, Village, debrief, room_config, village_outcome
from sim.commons import CommonsConfig, CommonsModel
from sim.commons.model import INVESTMENT
from sim.scenarios import find_scenario

PEOPLE = (0, 1, 2, 3)


def config(seats: int = 8, seasons: int = 3, seed: int = 5) -> CommonsConfig:
    return room_config(find_scenario("mixed_village").config, seats, seasons, seed=seed)


def play(cfg: CommonsConfig, seasons: int, people=PEOPLE, offer: str = "half", keep: bool = True,
         invest: bool = True) -> list[dict]:
    """A record of ``people`` deciding through every stage of ``seasons`` seasons (as rooms.flow would write it)."""
    records: list[dict] = []
    for season in range(seasons):
        for stage in ("talk", "offer", "act"):
            village = Village.replay(cfg, records, season, stage)
            for seat in people:
                for kind in village.asked(seat):
                    if kind == "disclose":
                        value = seat % 2 == 0
                    elif kind == "offer":
                        value = {"card": offer, "package": village.cards(seat)[offer]}
                    else:
                        value = keep if kind == "keep" else invest
                    records.append({"season": season, "seat": seat, "kind": kind, "value": value})
    return records


def test_room_config_is_one_organisation_per_seat_and_a_meeting_every_season():
    cfg = config(seats=12, seasons=4, seed=9)
    assert (cfg.world.organisations, cfg.world.seasons, cfg.world.seed, cfg.negotiation.term) == (12, 4, 9, 1)
    assert ROOM_SEASONS == 6


def test_talk_knows_the_pairs_and_asks_only_paired_seats_to_disclose():
    cfg = config(seats=7)  # an odd number: one seat has no partner
    village = Village.replay(cfg, [], 0, "talk")
    pairs = village.model.pairs
    assert pairs.shape == (3, 2)
    paired = set(pairs.ravel().tolist())
    (alone,) = set(range(7)) - paired
    for a, b in pairs.tolist():
        assert village.partner(a) == b and village.partner(b) == a
        assert village.asked(a) == village.asked(b) == ("disclose",)
    assert village.partner(alone) == -1 and village.asked(alone) == ()
    assert village.shown(alone) == {"stage": "talk", "partner": -1}
    assert village.default(0, "disclose") is False


def test_offer_cards_include_accept_only_when_the_partner_is_a_bot():
    seen = {"bot": 0, "person": 0}
    for seed in range(6):
        cfg = config(seed=seed)
        records = [{"season": 0, "seat": s, "kind": "disclose", "value": True} for s in PEOPLE]
        village = Village.replay(cfg, records, 0, "offer")
        for seat in PEOPLE:
            assert village.asked(seat) == ("offer",)
            partner = village.partner(seat)
            cards = village.cards(seat)
            assert set(cards) <= set(CARDS) and {"half", "more", "swap", "well"} <= set(cards)
            if partner in PEOPLE:  # a person answers at the same time: their offer is not known
                assert village.is_person(partner) and "accept" not in cards
                seen["person"] += 1
            else:
                assert not village.is_person(partner)
                assert "accept" in cards  # the bot's opening offer, in the seat's own frame
                assert all(0.0 <= v <= 1.0 for v in cards["accept"])
                seen["bot"] += 1
    assert seen["bot"] and seen["person"]  # both cases were met


def test_act_asks_to_invest_only_where_something_was_promised():
    asked = {"invest": 0, "keep only": 0, "nothing": 0}
    for seed in range(8):
        cfg = config(seats=7, seed=seed)  # an odd seat out has no agreement to keep
        for card in ("well", "half", "more"):
            records = play(cfg, 1, offer=card)
            records = [r for r in records if r["kind"] in ("disclose", "offer")]  # up to the act stage
            village = Village.replay(cfg, records, 0, "act")
            term = village.model.term
            for seat in range(cfg.world.organisations):
                kinds = village.asked(seat)
                promised = village.promised(seat)
                if not term.in_agreement[seat]:
                    assert kinds == () and village.agreement(seat) is None
                    asked["nothing"] += 1
                elif promised > 0:
                    assert kinds == ("invest", "keep")
                    asked["invest"] += 1
                else:
                    assert kinds == ("keep",)
                    asked["keep only"] += 1
                shown = village.shown(seat)
                assert shown["promised"] == round(promised, 4)
    assert all(asked.values()), asked


def test_results_give_each_seat_its_season():
    cfg = config()
    records = play(cfg, 1)
    village = Village.replay(cfg, records, 0, "results")
    assert village.model.season == 1
    for seat in range(cfg.world.organisations):
        result = village.result(seat)
        assert result["season"] == 0 and result["partner"] == village.partner(seat)
        assert math.isfinite(result["payoff"]) and math.isfinite(result["total"]) and result["water"] >= 0
        assert 1 <= result["rank"] <= cfg.world.organisations
    river = village.river()
    assert len(river["status"]) == cfg.world.organisations and 0 <= river["stock_share"] <= 1
    assert Village.replay(cfg, records, 0, "lobby").result(0) == {}  # nothing played yet


def test_a_season_under_way_is_played_on_the_river_the_last_results_left():
    """Regression: the talk and offer stages preview the meeting under way with placeholder offers; earlier seasons
    must keep the offers people actually made, or the river (and the pairs) change between talk and act."""
    cfg = config(seasons=3)
    records = play(cfg, 2, offer="more", keep=False)
    before = Village.replay(cfg, records, 1, "results").model
    stages = {stage: Village.replay(cfg, records, 2, stage).model for stage in ("talk", "offer", "act")}
    for stage, model in stages.items():
        pd.testing.assert_frame_equal(model.season_table(), before.season_table(), obj=stage)
        assert model.stock == before.stock
    np.testing.assert_array_equal(stages["talk"].pairs, stages["act"].pairs)
    np.testing.assert_array_equal(stages["offer"].pairs, stages["act"].pairs)


def test_replay_is_deterministic():
    cfg = config()
    records = play(cfg, 3, offer="well")
    a = Village.replay(cfg, records, 3, "lobby").model.season_table()
    b = Village.replay(cfg, [dict(r) for r in reversed(records)], 3, "lobby").model.season_table()  # order aside
    pd.testing.assert_frame_equal(a, b)


def test_debrief_sets_the_room_beside_the_slicing_and_expanding_villages():
    cfg = config(seats=10, seasons=4)
    records = play(cfg, 4, offer="more", keep=False)
    out = debrief(cfg, records, 4)
    assert set(out) == {"room", "slice", "expand"}
    assert set(out["room"]) == set(out["slice"]) == set(out["expand"])
    room = CommonsModel(cfg, people=Village.replay(cfg, records, 4, "lobby").people).run(4)
    assert out["room"] == pytest.approx(village_outcome(room), nan_ok=True)
    # The slicing village is a plain run of the same world and seed with every organisation distributive.
    data = cfg.model_dump()
    data["strategies"]["mix"] = {"distributive": 1.0}
    plain = CommonsModel(CommonsConfig.model_validate(data)).run(4)
    assert out["slice"] == pytest.approx(village_outcome(plain), nan_ok=True)
    assert out["slice"] != pytest.approx(out["expand"], nan_ok=True)  # the two bot villages are not the same run


def test_an_empty_room_is_the_plain_run_of_its_settings():
    cfg = config(seasons=4)
    assert debrief(cfg, [], 4)["room"] == pytest.approx(village_outcome(CommonsModel(cfg).run(4)), nan_ok=True)


def test_a_stage_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="stage"):
        Village.replay(config(), [], 0, "vote")


def test_answers_that_do_not_shape_the_meeting_under_way_cost_no_replay(tmp_path):
    """Load: while offers come in (and while people decide whether to keep their word), the village the pages show
    is the same; the replay is shared until something that shapes it changes."""
    from rooms import Store, flow
    from sim.scenarios import default_scenario

    store = Store(tmp_path / "rooms.sqlite")
    keys = flow.create(store, "default", default_scenario().config, seats=6, seasons=2, seed=5)
    tokens = [store.join(keys.code, name).token for name in ("A", "B", "C")]
    flow.close_stage(store, keys.code, keys.facilitator_secret)
    for token in tokens:
        flow.answer(store, keys.code, token, "disclose", True)  # the last one closes the talk
    assert store.room(keys.code)["phase"] == "offer"
    first = flow.village_of(store, store.room(keys.code))
    flow.answer(store, keys.code, tokens[0], "offer", "half")
    assert flow.village_of(store, store.room(keys.code)) is first  # an offer does not change the preview
    replayed = flow.Village.replay(flow.settings(store.room(keys.code)), store.decisions(keys.code).to_dict("records"),
                                   0, "offer")
    assert replayed.river() == first.river()


@pytest.mark.parametrize(("keep", "invest"), [(False, True), (True, False), (False, False), (True, True)])
def test_a_result_says_how_a_person_broke_their_word(keep, invest):
    """Taking more water and not paying for the well are two answers; the result says which a person gave (a new
    user's phone said "took more water, or did not pay" whichever it was)."""
    seen = 0
    for seed in range(4):
        cfg = config(seed=seed)
        records = play(cfg, 1, offer="well", keep=keep, invest=invest)
        village = Village.replay(cfg, records, 0, "results")
        asked = {(r["seat"], r["kind"]) for r in records}
        for seat in PEOPLE:
            if (seat, "keep") not in asked:
                continue  # no agreement to keep
            paying = (seat, "invest") in asked
            result = village.result(seat)
            assert result["broke_how"] == (not keep, paying and not invest), (seed, seat)
            assert result["broke"] == any(result["broke_how"])
            seen += paying
    assert seen  # some agreements had a well to pay for


@pytest.mark.parametrize(("keep", "invest"), [(False, True), (True, False), (False, False)])
def test_a_past_meeting_says_how_each_side_broke_their_word(keep, invest):
    """The debrief and a phone's memory of a partner said "took more" (or "took more or did not pay") for a past
    meeting whichever it was (a new user's trial): a person's past meeting says what they answered, and a seat the
    computer played, which breaks both when it breaks its word, the well only where that pair agreed to build one."""
    seen, computer = 0, 0
    for seed in range(4):
        cfg = config(seed=seed)
        records = play(cfg, 2, offer="well", keep=keep, invest=invest)
        village = Village.replay(cfg, records, 1, "results")
        asked = {(r["seat"], r["kind"]) for r in records if r["season"] == 0}
        meeting = village.model.meetings[0]
        for seat in PEOPLE:
            past = village.history(seat)[0]
            assert past["season"] == 0
            if (seat, "keep") in asked:
                paying = (seat, "invest") in asked
                assert past["broke_how"] == (not keep, paying and not invest), (seed, seat)
                seen += paying
            partner = past["partner"]
            if partner >= 0 and partner not in PEOPLE and past["partner_broke"]:
                row = int(np.nonzero((meeting.pairs == seat).any(axis=1))[0][0])
                assert past["partner_broke_how"] == (True, bool(meeting.package[row, INVESTMENT] > 0)), (seed, seat)
                computer += 1
    assert seen and computer  # some agreements had a well to pay for; some computer partners broke their word
