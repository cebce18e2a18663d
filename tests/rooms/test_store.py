"""The rooms database: nothing lost, nobody acting where they do not belong, no double answers."""

from __future__ import annotations

import threading

import pytest

from rooms import AlreadyAnswered, Refused, RoomError, Store
from rooms.keys import CODE_ALPHABET, CODE_LENGTH


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "rooms.sqlite")


@pytest.fixture
def room(store):
    return store.create_room("mixed_village", {"world": {"seed": 7}}, seats=4, bots={"integrative": 1.0})


def test_a_room_and_its_seats_survive_a_restart(tmp_path):
    path = tmp_path / "rooms.sqlite"
    first = Store(path)
    keys = first.create_room("mixed_village", {"world": {"seed": 7}}, seats=3, bots={"distributive": 1.0})
    seat = first.join(keys.code, "Bu Sri")
    first.advance(keys.code, keys.facilitator_secret, "talk")
    first.decide(keys.code, seat.token, "disclose", True, {"partner_trust": 0.5}, partner=1)
    again = Store(path)  # a new process, the same file
    assert again.room(keys.code)["config"] == {"world": {"seed": 7}}
    assert again.seat_of(keys.code, seat.token) == seat.seat  # a reload gets its own seat back
    decisions = again.decisions(keys.code)
    assert decisions.to_dict("records")[0] | {"at": None} == {
        "season": 0, "meeting": 0, "seat": 0, "partner": 1, "kind": "disclose", "value": True,
        "shown": {"partner_trust": 0.5}, "at": None, "by_default": False}


def test_room_codes_are_short_readable_and_not_found_by_counting(store):
    codes = [store.create_room("x", {}, 2, {}).code for _ in range(300)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("0O1IL") & set("".join(codes))  # no look-alikes to misread off a projector
    assert sorted(codes) != codes  # not handed out in order


def test_a_participant_types_the_code_loosely(store, room):
    seat = store.join(f"  {room.code.lower()[:3]} {room.code.lower()[3:]} ", "Pak Budi")
    assert seat.code == room.code


def test_forged_missing_and_other_rooms_tokens_are_refused(store, room):
    seat = store.join(room.code, "Pak Budi")
    other = store.create_room("x", {}, 2, {})
    intruder = store.join(other.code, "Someone")
    store.advance(room.code, room.facilitator_secret, "talk")
    for token in ("forged-token", "", None, intruder.token, room.facilitator_secret):
        with pytest.raises(Refused):
            store.decide(room.code, token, "disclose", True, {})
    assert store.decide(room.code, seat.token, "disclose", True, {}) > 0


def test_facilitator_actions_need_the_facilitators_secret(store, room):
    seat = store.join(room.code, "Pak Budi")
    for secret in (seat.token, "guess", None):
        with pytest.raises(Refused):
            store.advance(room.code, secret, "offer", season=1)
        with pytest.raises(Refused):
            store.decide_by_default(room.code, secret, 0, "offer", "accept", {})
        with pytest.raises(Refused):
            store.pause(room.code, secret, True)
        with pytest.raises(Refused):
            store.set_timer(room.code, secret, 30)
    assert not store.is_facilitator(room.code, seat.token)
    store.advance(room.code, room.facilitator_secret, "offer", season=1)
    assert store.room(room.code)["phase"] == "offer" and store.room(room.code)["season"] == 1
    store.decide_by_default(room.code, room.facilitator_secret, 2, "offer", "accept", {"timer": 60})
    assert store.decisions(room.code).by_default.tolist() == [True]


def test_a_seat_answers_once_per_meeting_even_at_the_same_instant(store, room):
    seat = store.join(room.code, "Bu Sri")
    store.advance(room.code, room.facilitator_secret, "offer")
    results: list[str] = []

    def answer(value: str) -> None:
        try:
            store.decide(room.code, seat.token, "offer", value, {})
            results.append("recorded")
        except AlreadyAnswered:
            results.append("refused")

    threads = [threading.Thread(target=answer, args=(v,)) for v in ("accept", "counter") * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["recorded"] + ["refused"] * 7
    assert len(store.decisions(room.code)) == 1
    store.advance(room.code, room.facilitator_secret, "offer", season=1)  # the next season: a new answer
    store.decide(room.code, seat.token, "offer", "accept", {})
    assert len(store.decisions(room.code)) == 2


def test_seats_run_out_and_names_are_checked(store):
    keys = store.create_room("x", {}, 2, {})
    store.join(keys.code, "A")
    store.join(keys.code, "B")
    with pytest.raises(RoomError, match="every seat is taken"):
        store.join(keys.code, "C")
    other = store.create_room("x", {}, 2, {})
    for bad in ("", "   ", "x" * 25, "\x00\x07"):
        with pytest.raises(RoomError, match="name"):
            store.join(other.code, bad)
    seat = store.join(other.code, " <b>Ibu</b>\u200b ")  # kept as typed (escaped when shown), controls dropped
    assert store.seats(other.code).name.tolist()[seat.seat] == "<b>Ibu</b>"
    with pytest.raises(RoomError, match="seats"):
        store.create_room("x", {}, 500, {})


def test_rooms_expire(tmp_path):
    now = [1_000_000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 2, {}, hours=1)
    seat = store.join(keys.code, "A")
    now[0] += 3601
    with pytest.raises(RoomError, match="expired"):
        store.room(keys.code)
    with pytest.raises(RoomError, match="expired"):
        store.join(keys.code, "B")
    with pytest.raises(RoomError, match="expired"):
        store.decide(keys.code, seat.token, "disclose", True, {})
    assert store.remove_expired() == 1
    assert store.seats(keys.code).empty


def test_secrets_are_not_stored_in_the_clear(tmp_path, store, room):
    seat = store.join(room.code, "A")
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("rooms.sqlite*"))  # the file and any WAL
    assert raw
    assert room.facilitator_secret.encode() not in raw and seat.token.encode() not in raw


def test_rembug_room_create_prints_the_code_and_both_links(tmp_path):
    import json
    import subprocess
    import sys

    db = tmp_path / "rooms.sqlite"
    done = subprocess.run([sys.executable, "-m", "sim", "room", "create", "--scenario", "upstream_downstream",
                           "--seats", "12", "--seed", "5", "--db", str(db), "--url", "http://10.0.0.2:8501/"],
                          capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    assert out["join_link"] == f"http://10.0.0.2:8501/?room={out['code']}"
    secret = out["facilitator_link"].split("host=")[1]
    store = Store(db)
    assert store.is_facilitator(out["code"], secret) and not store.is_facilitator(out["code"], "x")
    room = store.room(out["code"])
    assert room["seats"] == 12 and room["scenario"] == "upstream_downstream" and room["config"]["world"]["seed"] == 5
    bad = subprocess.run([sys.executable, "-m", "sim", "room", "create", "--seats", "500", "--db", str(db)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--seats: between 2 and 60" in bad.stderr and "Traceback" not in bad.stderr


def test_a_decision_is_taken_only_at_the_stage_that_asks_it(store, room):
    seat = store.join(room.code, "Bu Sri")
    with pytest.raises(RoomError, match="not asked now"):
        store.decide(room.code, seat.token, "disclose", True, {})  # still in the lobby
    store.advance(room.code, room.facilitator_secret, "talk")
    with pytest.raises(RoomError, match="offer: not asked now"):
        store.decide(room.code, seat.token, "offer", [0.5] * 4, {})
    store.decide(room.code, seat.token, "disclose", True, {})


def test_the_timer_runs_pauses_and_resumes(tmp_path):
    now = [1000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 2, {})
    store.set_timer(keys.code, keys.facilitator_secret, 30)
    store.advance(keys.code, keys.facilitator_secret, "talk")
    now[0] += 10
    assert store.time_left(store.room(keys.code)) == pytest.approx(20)
    store.pause(keys.code, keys.facilitator_secret, True)
    now[0] += 100  # a long discussion in the room
    assert store.time_left(store.room(keys.code)) == pytest.approx(20)
    store.pause(keys.code, keys.facilitator_secret, False)
    now[0] += 5
    assert store.time_left(store.room(keys.code)) == pytest.approx(15)
    with pytest.raises(RoomError, match="timer: between 10 and 600"):
        store.set_timer(keys.code, keys.facilitator_secret, 5)


def test_a_phone_not_heard_from_has_dropped_out(tmp_path):
    now = [1000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 3, {})
    a, b = store.join(keys.code, "A"), store.join(keys.code, "B")
    now[0] += 15
    store.seat_of(keys.code, a.token)  # A's page polls; B's phone went dark
    now[0] += 10
    assert store.present(keys.code) == {a.seat}
    assert b.seat not in store.present(keys.code)


def test_the_dropped_out_window_can_be_set_for_a_server(tmp_path, monkeypatch):
    now = [1000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 3, {})
    a = store.join(keys.code, "A")
    now[0] += 15
    assert store.present(keys.code) == {a.seat}  # the default: 20 s
    monkeypatch.setenv("REMBUG_ROOM_PRESENT_SECONDS", "5")
    assert store.present(keys.code) == set()  # read at each call
    assert store.present(keys.code, within=30) == {a.seat}
    monkeypatch.setenv("REMBUG_ROOM_PRESENT_SECONDS", "soon")
    with pytest.raises(RoomError, match="REMBUG_ROOM_PRESENT_SECONDS: a number"):
        store.present(keys.code)


def test_a_phone_version_moves_with_its_own_and_its_partner_answers_only(tmp_path):
    store = Store(tmp_path / "rooms.sqlite")
    keys = store.create_room("x", {}, 4, {})
    a, b, c = (store.join(keys.code, n) for n in "ABC")
    store.advance(keys.code, keys.facilitator_secret, "talk")
    room_before, a_before, c_before = store.version(keys.code), store.version(keys.code, a.seat), \
        store.version(keys.code, c.seat)
    store.decide(keys.code, b.token, "disclose", True, {}, partner=a.seat)  # B answers; A is B's partner
    assert store.version(keys.code) != room_before  # the projector redraws
    assert store.version(keys.code, a.seat) != a_before  # so does B's partner's phone
    assert store.version(keys.code, c.seat) == c_before  # C's phone need not
    store.advance(keys.code, keys.facilitator_secret, "offer")
    assert store.version(keys.code, c.seat) != c_before  # a new stage: every phone redraws


def test_names_are_unique_seats_spread_along_the_river_and_an_ended_game_takes_nobody(store):
    keys = store.create_room("x", {}, 8, {})
    seats = [store.join(keys.code, name).seat for name in ("Ayu", "Budi", "Citra", "Dewi")]
    assert seats == [0, 4, 2, 6]  # head, middle, then between: not all at the head of the river
    with pytest.raises(RoomError, match="already taken"):
        store.join(keys.code, " ayu ")
    store.advance(keys.code, keys.facilitator_secret, "debrief")
    with pytest.raises(RoomError, match="the game has ended"):
        store.join(keys.code, "Eko")


def test_secrets_never_look_like_a_command_line_option():
    from rooms.keys import new_secret

    assert not any(new_secret().startswith("-") for _ in range(2000))
