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
        "shown": {"partner_trust": 0.5}, "at": None, "by_default": False, "person": 1, "lang": None}
    assert again.people(keys.code).name.tolist() == ["Bu Sri"]  # who sat there, kept beside the decisions


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


# -- issue 20: the facilitator in control, names, the server's clock, the record ------------------------------------
def test_the_facilitator_removes_a_participant_whose_decisions_stay_in_the_record(store, room):
    """Finding 1: a seat can be freed. The removed link opens nothing; the seat is the computer's again and can be
    taken by someone else; what the removed participant decided stays, under their name."""
    prank = store.join(room.code, "Prank")
    store.advance(room.code, room.facilitator_secret, "talk")
    store.decide(room.code, prank.token, "disclose", False, {})
    with pytest.raises(Refused):
        store.remove(room.code, prank.token, prank.seat)  # a participant cannot free seats
    store.remove(room.code, room.facilitator_secret, prank.seat)
    with pytest.raises(Refused):
        store.seat_of(room.code, prank.token)
    assert prank.seat not in set(store.seats(room.code).query("taken").seat)
    after = store.join(room.code, "Bu Sri")
    assert after.seat == prank.seat  # the freed seat is the first free one again
    people = store.people(room.code).set_index("person")
    decision = store.decisions(room.code).iloc[0]
    assert people.loc[decision.person, "name"] == "Prank" and people.loc[decision.person, "left"] is not None
    with pytest.raises(RoomError, match="nobody sits at seat"):
        store.remove(room.code, room.facilitator_secret, 3)


def test_the_facilitator_renames_a_participant_everywhere(store, room):
    seat = store.join(room.code, ":skull: $x$")
    other = store.join(room.code, "Budi")
    store.rename(room.code, room.facilitator_secret, seat.seat, "Seat 1")
    assert store.seats(room.code).set_index("seat").name[seat.seat] == "Seat 1"
    assert store.people(room.code).name.tolist() == ["Seat 1", "Budi"]
    with pytest.raises(RoomError, match="looks like"):
        store.rename(room.code, room.facilitator_secret, seat.seat, "Вudi")
    store.rename(room.code, room.facilitator_secret, other.seat, "budi")  # one's own name in another case is fine
    with pytest.raises(Refused):
        store.rename(room.code, seat.token, other.seat, "X")


def test_a_locked_room_takes_nobody_new_and_a_pin_is_asked_when_set(tmp_path):
    now = [1000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 6, {}, pin="4821")
    assert store.room(keys.code)["pin"] is True  # says there is one, never which
    with pytest.raises(RoomError, match="needs the PIN"):
        store.join(keys.code, "A")
    with pytest.raises(RoomError, match="wrong PIN"):
        store.join(keys.code, "A", pin="1111")
    seated = store.join(keys.code, "A", pin=" 4821 ")
    store.lock(keys.code, keys.facilitator_secret, True)
    with pytest.raises(RoomError, match="joining is closed"):
        store.join(keys.code, "B", pin="4821")
    assert store.seat_of(keys.code, seated.token) == seated.seat  # those seated stay
    store.lock(keys.code, keys.facilitator_secret, False)
    store.set_pin(keys.code, keys.facilitator_secret, None)
    store.join(keys.code, "B")
    with pytest.raises(RoomError, match="pin: 3 to 8 digits"):
        store.set_pin(keys.code, keys.facilitator_secret, "12ab")


def test_guessing_a_pin_is_slowed_down(tmp_path):
    now = [1000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 6, {}, pin="482193")
    for guess in range(20):
        with pytest.raises(RoomError, match="wrong PIN"):
            store.join(keys.code, "A", pin=f"{guess:06d}")
    with pytest.raises(RoomError, match="too many wrong PINs"):
        store.join(keys.code, "A", pin="482193")  # even the right one, for the rest of the minute
    now[0] += 61
    store.join(keys.code, "A", pin="482193")


def test_look_alike_names_are_refused(store, room):
    """Finding 7: look-alikes of a name already in the room are refused (UTS #39 skeletons)."""
    store.join(room.code, "Budi")
    for look_alike in ("Вudi", "Ｂｕｄｉ", "Budi\u2800", "BUDI"):
        with pytest.raises(RoomError, match="name"):
            store.join(room.code, look_alike)
    assert store.seats(room.code).name.dropna().tolist() == ["Budi"]
    store.join(room.code, "Budiman")


def test_the_database_and_its_wal_are_private(tmp_path):
    """Finding 9: rooms.sqlite and its WAL hold names and every decision: readable by their owner only."""
    import os
    import sqlite3
    import stat

    path = tmp_path / "rooms.sqlite"
    old = os.umask(0o022)
    try:
        store = Store(path)
        watching = sqlite3.connect(path)  # as the app holds it open: the WAL stays while a connection does
        watching.execute("SELECT COUNT(*) FROM rooms").fetchone()
        keys = store.create_room("x", {}, 2, {})
        store.join(keys.code, "A")
        files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()
                 if p.name.startswith("rooms.sqlite")}
        watching.close()
        assert set(files) >= {"rooms.sqlite", "rooms.sqlite-wal"}
        assert set(files.values()) == {0o600}, {name: oct(mode) for name, mode in files.items()}
        os.chmod(path, 0o644)  # a database from an earlier version
        Store(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_a_new_timer_applies_to_the_stage_under_way(tmp_path):
    """Finding 9: the stage under way keeps the time it used and gets the rest of the new length."""
    now = [1000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 2, {})
    store.set_timer(keys.code, keys.facilitator_secret, 60)
    store.advance(keys.code, keys.facilitator_secret, "talk")
    now[0] += 20
    store.set_timer(keys.code, keys.facilitator_secret, 120)
    assert store.time_left(store.room(keys.code)) == pytest.approx(100)
    store.set_timer(keys.code, keys.facilitator_secret, 30)
    assert store.time_left(store.room(keys.code)) == pytest.approx(10)  # never less than 10 s at once
    store.pause(keys.code, keys.facilitator_secret, True)
    store.set_timer(keys.code, keys.facilitator_secret, 90)
    assert store.time_left(store.room(keys.code)) == pytest.approx(70)


def test_an_outage_gives_the_stage_its_time_back(tmp_path, monkeypatch):
    """Finding 9: after the server was down, a stage does not close at once on whoever could not answer."""
    monkeypatch.setenv("REMBUG_ROOM_PRESENT_SECONDS", "20")
    now = [1000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 2, {})
    store.set_timer(keys.code, keys.facilitator_secret, 60)
    store.advance(keys.code, keys.facilitator_secret, "talk")
    assert store.beat("first") == 0.0
    for _ in range(3):  # the clock ticks (every half second in the app; a busy server's rounds come late)
        now[0] += 12
        assert store.beat("first") == 0.0  # late rounds of a running server are no outage: phones could answer
    now[0] += 48  # the server is down for 48 s: the stage's time runs out meanwhile
    assert store.time_left(store.room(keys.code)) == 0
    assert store.beat("second") == pytest.approx(48)  # a new server process
    assert store.time_left(store.room(keys.code)) == pytest.approx(60 - 36 + 20)  # what it had left, and time to reconnect
    now[0] += 40  # the laptop's lid closed: the same process, silent far longer than a slow round
    assert store.beat("second") == pytest.approx(40)
    assert store.resumed() == now[0]
    outage = store.events(keys.code).query("event == 'outage'")
    assert len(outage) == 2 and outage.detail.iloc[0]["seconds"] == 48


def test_the_timeline_records_every_stage_pause_and_change(tmp_path):
    now = [1000.0]
    store = Store(tmp_path / "rooms.sqlite", clock=lambda: now[0])
    keys = store.create_room("x", {}, 3, {})
    seat = store.join(keys.code, "A")
    store.advance(keys.code, keys.facilitator_secret, "talk")
    now[0] += 5
    store.pause(keys.code, keys.facilitator_secret, True)
    store.pause(keys.code, keys.facilitator_secret, False)
    store.rename(keys.code, keys.facilitator_secret, seat.seat, "B")
    store.advance(keys.code, None, "offer", expect=("talk", 0), by="timer", server=True)
    events = store.events(keys.code)
    assert events[["phase", "event", "by"]].values.tolist() == [
        ["lobby", "open", "facilitator"], ["lobby", "close", "facilitator"], ["talk", "open", "facilitator"],
        ["talk", "pause", "facilitator"], ["talk", "resume", "facilitator"], ["talk", "rename", "facilitator"],
        ["talk", "close", "timer"], ["offer", "open", "timer"]]
    assert events["at"].is_monotonic_increasing


def test_a_lost_facilitator_link_is_reissued_on_the_laptop_and_rooms_are_listed(store, room):
    secret = store.reissue(room.code)
    assert store.is_facilitator(room.code, secret) and not store.is_facilitator(room.code, room.facilitator_secret)
    listed = store.rooms()
    assert listed.code.tolist() == [room.code] and listed.live.all() and listed.joined.tolist() == [0]


def test_one_read_gives_every_seats_version(tmp_path):
    store = Store(tmp_path / "rooms.sqlite")
    keys = store.create_room("x", {}, 4, {})
    a, b, c = (store.join(keys.code, n) for n in "ABC")
    store.advance(keys.code, keys.facilitator_secret, "talk")
    store.decide(keys.code, b.token, "disclose", True, {}, partner=a.seat)
    room, seats = store.versions(keys.code)
    assert room == store.version(keys.code)
    assert seats == {s: store.version(keys.code, s) for s in range(4)}


def test_the_phone_language_is_kept_per_seat_and_decision(store, room):
    seat = store.join(room.code, "Wati", lang="id")
    store.advance(room.code, room.facilitator_secret, "talk")
    store.decide(room.code, seat.token, "disclose", True, {})
    store.seat_of(room.code, seat.token, lang="en")  # she switched her phone to English
    store.advance(room.code, room.facilitator_secret, "offer")
    store.decide(room.code, seat.token, "offer", [0.5] * 4, {})
    assert store.decisions(room.code).lang.tolist() == ["id", "en"]
    assert store.people(room.code).lang.tolist() == ["en"]


def test_with_the_servers_clock_running_phones_heard_from_are_written_in_one_go(tmp_path):
    """Load: a phone's poll writes nothing while the server's clock runs; the clock's tick writes them all."""
    now = [1000.0]
    path = tmp_path / "rooms.sqlite"
    store = Store(path, clock=lambda: now[0])
    keys = store.create_room("x", {}, 3, {})
    a, b = store.join(keys.code, "A"), store.join(keys.code, "B")
    elsewhere = Store(path, clock=lambda: now[0])  # another process reads only what was written

    def written(seat: int) -> float:
        return float(elsewhere.seats(keys.code).set_index("seat").last_seen[seat])

    for _ in range(12):  # the clock ticks; A's page polls (B's phone is dark)
        now[0] += 2
        store.beat("server")
        store.seat_of(keys.code, a.token)
        assert written(a.seat) == now[0] - 2  # this poll is not written yet: the last tick wrote the one before
    assert store.present(keys.code) == {a.seat}  # this process counts what it heard
    store.beat("server")
    assert written(a.seat) == now[0] and elsewhere.present(keys.code) == {a.seat}
    assert b.seat not in store.present(keys.code)
