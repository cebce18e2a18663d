"""A whole room through rooms.flow: answers checked, stages closed, defaults for the silent, bots for the dropped,
and the room rebuilt from its record alone."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from rooms import Refused, RoomError, Store
from rooms import flow
from rooms.store import PRESENT
from sim.scenarios import find_scenario


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    return Store(tmp_path / "rooms.sqlite", clock=clock)


@pytest.fixture
def room(store):
    keys = flow.create(store, "mixed_village", find_scenario("mixed_village").config, seats=6, seasons=2, seed=5)
    tokens = [store.join(keys.code, name).token for name in ("Bu Sri", "Pak Budi", "Ani")]
    return keys.code, keys.facilitator_secret, tokens


def answers(store, code, token, choose=None) -> list[str]:
    """The participant answers everything their seat is asked now (the first card on offer, keep and pay)."""
    seat = store.seat_of(code, token)
    village = flow.village_of(store, store.room(code))
    kinds = list(village.asked(seat))
    for kind in kinds:
        if kind == "offer":
            value = choose or next(iter(village.cards(seat)))
        else:
            value = True
        flow.answer(store, code, token, kind, value)
    return kinds


def of_season(store, code, season) -> pd.DataFrame:
    frame = store.decisions(code)
    return frame[frame.season == season]


def test_create_plays_one_organisation_per_seat_and_a_meeting_every_season(store, room):
    code, _, _ = room
    config = store.room(code)["config"]
    assert config["world"]["organisations"] == 6 and config["world"]["seasons"] == 2
    assert config["negotiation"]["term"] == 1 and config["world"]["seed"] == 5
    with pytest.raises(RoomError, match="seasons: between 1 and 20"):
        flow.create(store, "x", find_scenario("mixed_village").config, seats=6, seasons=21)
    with pytest.raises(RoomError, match="seats: between 2 and 60"):
        flow.create(store, "x", find_scenario("mixed_village").config, seats=61)


def test_a_whole_room_from_lobby_to_debrief_and_back_from_its_record(store, room, clock):
    code, secret, tokens = room
    assert flow.tick(store, code) is None  # the lobby waits for the facilitator
    assert flow.close_stage(store, code, secret) == "talk"

    # talk: the stage closes by itself once every participant present has answered.
    seats = [store.seat_of(code, token) for token in tokens]
    assert store.present(code) == set(seats) and len(set(seats)) == 3
    for token in tokens[:2]:
        assert answers(store, code, token) == ["disclose"]  # six seats: everyone has a partner
        assert flow.tick(store, code) is None
    missing, asked = flow.waiting_for(store, code)
    assert missing == {seats[2]} and asked == set(seats)
    answers(store, code, tokens[2])
    assert store.room(code)["phase"] == "offer"  # the last answer the stage waited for closes it at once

    # offer: only what is asked now, only a card on offer, and a participant cannot close the stage.
    with pytest.raises(RoomError, match="not asked"):
        flow.answer(store, code, tokens[0], "keep", True)
    with pytest.raises(RoomError, match="offer: one of"):
        flow.answer(store, code, tokens[0], "offer", "everything")
    with pytest.raises(Refused):
        flow.close_stage(store, code, tokens[0])
    with pytest.raises(Refused):
        flow.record(store, code, tokens[0])
    answers(store, code, tokens[0])
    answers(store, code, tokens[1])
    # seat 2 stays on the page (present) but does not answer: the facilitator closes the stage, the default counts.
    store.seat_of(code, tokens[2])
    assert flow.close_stage(store, code, secret) == "act"
    offers = of_season(store, code, 0).query("kind == 'offer'").set_index("seat")
    a, b, c = seats
    assert offers.loc[c, "by_default"] and not offers.loc[a, "by_default"] and not offers.loc[b, "by_default"]
    assert offers.loc[c, "value"]["card"] == "half"

    # act, then results: the season is played.
    asked = [answers(store, code, token) for token in tokens]
    assert all(kinds for kinds in asked)  # every participant reached an agreement (seed 5): each is asked to keep it
    assert store.room(code)["phase"] == "results"
    village = flow.village_of(store, store.room(code))
    assert village.result(a)["season"] == 0
    assert flow.close_stage(store, code, secret) == "talk"
    assert store.room(code)["season"] == 1

    # season 1: two phones drop out (not heard from for longer than PRESENT); a bot plays their seats. The one that
    # stays is a participant with a partner this season (word of a claim can leave a seat without one).
    meeting = flow.village_of(store, store.room(code))
    stay = next(i for i, seat in enumerate(seats) if meeting.partner(seat) >= 0)
    stayer, a = tokens[stay], seats[stay]
    b, c = (seat for seat in seats if seat != a)
    clock.now += PRESENT + 1
    assert answers(store, code, stayer) == ["disclose"]  # seat a is still there (answering is being heard from)
    assert store.present(code) == {a}
    assert store.room(code)["phase"] == "offer"  # everyone present has answered
    talk = of_season(store, code, 1).query("kind == 'disclose'")
    assert talk.seat.tolist() == [a]  # no default for the dropped seats
    village = flow.village_of(store, store.room(code))
    assert not village.is_person(b) and not village.is_person(c)
    answers(store, code, stayer)
    if store.room(code)["phase"] == "act":  # it agreed, so it is asked to keep its word (and pay for the well)
        acting = flow.village_of(store, store.room(code))
        assert answers(store, code, stayer) == list(acting.asked(a)) != []
    assert store.room(code)["phase"] == "results"
    assert set(of_season(store, code, 1).seat) == {a}
    assert flow.close_stage(store, code, secret) == "debrief"  # the last season was played
    assert flow.close_stage(store, code, secret) == "debrief"  # and it stays there

    # The promise: a room can be replayed from its record alone.
    final = flow.village_of(store, store.room(code))
    assert final.model.season == 2
    frame, meta = flow.record(store, code, secret)
    assert meta["seasons_played"] == 2 and meta["seed"] == 5 and meta["room"] == code
    decided = frame[frame.chosen_by.isin(["person", "timer"])]
    assert set(decided.name) == {"Bu Sri", "Pak Budi", "Ani"}
    assert frame.by_default.sum() == 1 and (decided.chosen_by == "timer").sum() == 1
    bots = frame[frame.chosen_by == "computer"]  # what the computer's negotiators offered, from the replay
    assert len(bots) and bots.kind.eq("offer").all() and bots["round"].min() == 1 and bots.name.isna().all()
    assert not set(zip(bots.season, bots.seat)) & set(zip(decided.query("kind == 'offer'").season,
                                                         decided.query("kind == 'offer'").seat))
    stages = frame[frame.kind == "stage"]  # the timeline: every stage opened and closed, by whom
    assert set(stages.event) >= {"open", "close"} and set(stages.chosen_by) >= {"facilitator", "everyone"}
    frame = pd.DataFrame(json.loads(frame.to_json(orient="records")))  # as it would come back from a file
    replayed = flow.replay_record(frame, json.loads(json.dumps(meta)))
    pd.testing.assert_frame_equal(replayed.model.season_table(), final.model.season_table())
    pd.testing.assert_frame_equal(replayed.model.organisation_table(), final.model.organisation_table())
    debrief = flow.debrief_of(store, code)
    assert set(debrief) == {"room", "slice", "expand"}


def test_the_timer_closes_a_stage_with_defaults_for_everyone_present(store, room, clock):
    code, secret, tokens = room
    flow.close_stage(store, code, secret)
    answers(store, code, tokens[0])
    clock.now += 15  # the others are still on the page but silent
    for token in tokens[1:]:
        store.seat_of(code, token)
    assert flow.tick(store, code) is None
    clock.now += 50  # past the 60-second timer, and everyone was heard from within PRESENT
    store.seat_of(code, tokens[1])
    store.seat_of(code, tokens[2])
    assert flow.tick(store, code) == "offer"
    talk = of_season(store, code, 0).set_index("seat")
    seats = [store.seat_of(code, token) for token in tokens]
    assert talk.by_default.to_dict() == {seats[0]: False, seats[1]: True, seats[2]: True}
    assert talk.value.to_dict() == {seats[0]: True, seats[1]: False, seats[2]: False}  # the default: stay quiet


def test_a_paused_stage_waits(store, room, clock):
    code, secret, tokens = room
    flow.close_stage(store, code, secret)
    store.pause(code, secret, True)
    for token in tokens:
        answers(store, code, token)
    assert flow.tick(store, code) is None  # everyone answered, but the facilitator paused the room
    store.pause(code, secret, False)
    assert flow.tick(store, code) == "offer"


def test_a_debrief_needs_a_season_played(store, room):
    code, secret, _ = room
    with pytest.raises(RoomError, match="play at least one season"):
        flow.reveal_debrief(store, code, secret)


def test_who_spoke_in_a_meeting_stays_a_person_in_it_and_defaults_say_who_closed_the_stage(store, clock, room):
    """A participant who told (or not) and then dropped keeps their place in this meeting (their partner was told a
    person sits there): the offers close with the default for them. Every default says who ended the stage."""
    code, secret, tokens = room
    flow.close_stage(store, code, secret)  # talk
    village = flow.village_of(store, store.room(code))
    talkers = [t for t in tokens if village.asked(store.seat_of(code, t))]
    if len(talkers) < 2:
        pytest.skip("this seed pairs too few participants")
    leaver, stayer = talkers[0], talkers[1]
    leaver_seat = store.seat_of(code, leaver)  # (asking for a seat is a phone polling: only before it goes dark)
    for token in (leaver, stayer):
        flow.answer(store, code, token, "disclose", True)
    flow.close_stage(store, code, secret)  # offers
    clock.now += PRESENT + 1  # the leaver's phone goes dark; the stayer's keeps polling
    store.seat_of(code, stayer)
    flow.close_stage(store, code, secret, by="timer")
    offers = of_season(store, code, 0).query("kind == 'offer'")
    mine = offers[offers.seat == leaver_seat]
    assert len(mine) == 1 and mine.by_default.item() and mine.shown.item()["closed_by"] == "timer"
    state = flow.state(store, code)
    assert state.person_at(leaver_seat)  # part of this meeting still
    store.advance(code, secret, "talk", season=1)  # a new meeting: the dark phone's seat is the computer's
    assert not flow.state(store, code).person_at(leaver_seat)


# -- issue 20 -------------------------------------------------------------------------------------------------------
def run_clock(store, clock, seconds: float, polling=()) -> list[str]:
    """The server's clock running for ``seconds`` (a round a second) while the phones of ``polling`` tokens poll;
    the codes of the rooms it moved."""
    from rooms.clock import tick_all

    moved = []
    for _ in range(int(seconds)):
        clock.now += 1
        for code, token in polling:
            store.seat_of(code, token)
        moved += tick_all(store)
    return moved


def test_the_servers_clock_closes_stages_without_any_page(store, room, clock):
    """Finding 2: the timer, and everyone present having answered, close a stage with no projector open: the
    server's clock does (rooms.clock.tick_all is one of its rounds; no facilitator's secret is involved)."""
    code, secret, tokens = room
    flow.close_stage(store, code, secret)  # talk
    assert run_clock(store, clock, 59, [(code, t) for t in tokens]) == []
    assert run_clock(store, clock, 2, [(code, t) for t in tokens]) == [code]  # past the 60-second timer
    assert store.room(code)["phase"] == "offer"
    closed = store.events(code).query("event == 'close' and phase == 'talk'")
    assert closed.by.tolist() == ["timer"]
    assert of_season(store, code, 0).by_default.all()


def test_after_an_outage_the_first_phones_back_do_not_close_the_stage_on_the_others(store, room, clock):
    """Finding 9: a stage closed 5 s after a 48 s outage, giving a participant the default."""
    from rooms.clock import tick_all

    code, secret, tokens = room
    flow.close_stage(store, code, secret)  # talk, 60 s
    tick_all(store)
    run_clock(store, clock, 12, [(code, t) for t in tokens])
    clock.now += 48  # the server was down: the stage's time ran out meanwhile, and every phone looks dropped
    store.seat_of(code, tokens[0])  # the first phone back
    answers(store, code, tokens[0])  # its answer is all "everyone present" is waiting for, on the face of it
    assert tick_all(store) == []  # the outage is found: time given back, and the others get to come back
    assert store.room(code)["phase"] == "talk"
    assert run_clock(store, clock, 5, [(code, tokens[0])]) == []
    for token in tokens[1:]:
        store.seat_of(code, token)
        answers(store, code, token)
    assert store.room(code)["phase"] == "talk"  # still settling: the clock closes it once the window has passed
    assert run_clock(store, clock, PRESENT, [(code, t) for t in tokens]) == [code]
    assert not of_season(store, code, 0).by_default.any()  # nobody got a default for the outage


def test_nobody_is_named_for_what_the_timer_or_the_computer_chose(store, room, clock):
    """Finding 3: who chose what is kept apart: the person, the timer, or the computer (nobody at the seat)."""
    code, secret, tokens = room
    flow.close_stage(store, code, secret)  # talk
    seats = [store.seat_of(code, token) for token in tokens]
    flow.answer(store, code, tokens[0], "disclose", True)
    flow.close_stage(store, code, secret)  # the other two get the timer's answer
    by = flow.state(store, code).played_by()
    assert by[(0, seats[0])]["chose"] == {"disclose"} and by[(0, seats[0])]["name"] == "Bu Sri"
    assert by[(0, seats[1])]["chose"] == set() and by[(0, seats[1])]["timer"] == {"disclose"}
    store.remove(code, secret, seats[2])  # Ani is removed: her timer answer stays hers, under her name
    by = flow.state(store, code).played_by()
    assert by[(0, seats[2])]["name"] == "Ani"
    assert all((0, s) not in by for s in range(6) if s not in seats)  # the computer's seats: nobody


def test_a_room_can_meet_once_for_several_seasons(store):
    """A meeting's agreement covers ``term`` seasons: answers stand for all of them, results show them all."""
    keys = flow.create(store, "mixed_village", find_scenario("mixed_village").config, seats=6, seasons=6, seed=5,
                       term=3)
    code, secret = keys.code, keys.facilitator_secret
    token = store.join(code, "Bu Sri").token
    seat = store.seat_of(code, token)
    assert store.room(code)["config"]["negotiation"]["term"] == 3
    flow.close_stage(store, code, secret)
    meetings = 0
    while store.room(code)["phase"] != "debrief":
        room = store.room(code)
        if room["phase"] == "talk":
            meetings += 1
        answers(store, code, token, choose="well")
        if (store.room(code)["phase"], store.room(code)["season"]) == (room["phase"], room["season"]):
            flow.close_stage(store, code, secret)
        if store.room(code)["phase"] == "results":
            village = flow.village_of(store, store.room(code))
            result = village.result(seat)
            assert result["seasons"] == 3 and result["season"] == store.room(code)["season"]
    assert meetings == 2
    record = store.decisions(code)
    assert set(record.season) == {0, 3}  # one meeting every three seasons
    final = flow.village_of(store, store.room(code))
    assert final.model.season == 6 and len(final.history(seat)) == 2
    keeps = record.query("kind == 'keep'")
    if len(keeps):  # the keep answer stands for the whole term: the person never breaks in between
        assert not final.model.organisation_table().query(f"organisation == {seat}").breached.any() or \
            not keeps.value.iloc[0]
    with pytest.raises(RoomError, match="a multiple of 3"):
        flow.create(store, "x", find_scenario("mixed_village").config, seats=6, seasons=7, term=3)


def test_mixing_draws_partners_afresh_at_every_meeting(store):
    mixed = flow.create(store, "mixed_village", find_scenario("mixed_village").config, seats=20, seasons=6, seed=5,
                        mix=True)
    kept = flow.create(store, "mixed_village", find_scenario("mixed_village").config, seats=20, seasons=6, seed=5)
    negotiation = store.room(mixed.code)["config"]["negotiation"]
    assert negotiation["partner_choice"] == 0 and negotiation["matching"] == "random"

    def repeats(code: str) -> int:
        model = flow.Village.replay(flow.settings(store.room(code)), [], 6, "lobby").model
        seen, again = set(), 0
        for meeting in model.meetings:
            for a, b in meeting.pairs.tolist():
                again += (min(a, b), max(a, b)) in seen
                seen.add((min(a, b), max(a, b)))
        return again

    assert repeats(mixed.code) < repeats(kept.code)


def test_a_pseudonymised_record_names_nobody_and_still_replays(store, room):
    code, secret, tokens = room
    flow.close_stage(store, code, secret)
    for token in tokens:
        answers(store, code, token)
    frame, meta = flow.record(store, code, secret, pseudonymise=True)
    decided = frame[frame.chosen_by.isin(["person", "timer"])]
    assert set(decided.name) == {"P01", "P02", "P03"} and set(decided.person) == {"P01", "P02", "P03"}
    text = frame.to_csv()
    assert not any(name in text for name in ("Bu Sri", "Pak Budi", "Ani")) and meta["pseudonymised"]
    assert set(decided.lang.dropna()) <= {"en", "id"}
    flow.replay_record(frame, meta)


def test_what_a_phone_is_shown_at_the_talk_is_settled_before_anyone_answers(store, clock, room):
    """The talk stage's village is replayed once per stage, not once per answer (Store.SHAPES): everything a page or
    a rule reads from it then (partner, trust, reputation, what is asked, what the phone shows, the default answer)
    must not depend on who has already told what matters to them. Checked in the second season, against a village
    replayed from the whole record after an answer."""
    code, secret, tokens = room
    from rooms.game import Village

    flow.close_stage(store, code, secret)  # the lobby
    while (store.room(code)["season"], store.room(code)["phase"]) != (1, "talk"):
        phase = store.room(code)["phase"]
        if phase in ("talk", "offer", "act"):
            for token in tokens:
                answers(store, code, token)
        if store.room(code)["phase"] == phase:
            flow.close_stage(store, code, secret)
    room_row = store.room(code)
    cached = flow.village_of(store, room_row)  # before anyone answered
    speaker = next(token for token in tokens if cached.asked(store.seat_of(code, token)))
    assert answers(store, code, speaker) == ["disclose"] and store.room(code)["phase"] == "talk"
    said = of_season(store, code, 1)
    assert len(said) == 1 and bool(said.value.iloc[0]) is True
    assert flow.village_of(store, store.room(code)) is cached  # the answer cost no replay
    fresh = Village.replay(flow.settings(room_row), store.decisions(code).to_dict("records"), 1, "talk")
    for seat in range(6):
        assert cached.partner(seat) == fresh.partner(seat)
        assert cached.asked(seat) == fresh.asked(seat)
        assert cached.shown(seat) == fresh.shown(seat)
        assert cached.default(seat, "disclose") == fresh.default(seat, "disclose")
        for other in range(6):
            assert cached.trust(seat, other) == fresh.trust(seat, other)
