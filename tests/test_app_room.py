"""Live rooms in the app (first part): create, join, a seat that survives a reload, nobody where they do not belong."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rooms import Store

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "rooms.sqlite"
    monkeypatch.setenv("REMBUG_ROOMS_DB", str(path))
    return path


def open_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    return at.run()


def ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_a_facilitator_creates_a_room_from_the_app(db):
    at = open_app()
    at.number_input(key="room_seats").set_value(12).run()
    at.button(key="room_create").click().run()
    ok(at)
    code, host = at.query_params["room"], at.query_params["host"]
    code, host = (code[0] if isinstance(code, list) else code), (host[0] if isinstance(host, list) else host)
    assert Store(db).is_facilitator(code, host)
    assert any(f"Room {code}" in m.value for m in at.markdown)
    assert at.metric[0].value == "0 / 12"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_participant_joins_learns_who_they_are_and_keeps_the_seat_on_reload(db, lang):
    keys = Store(db).create_room("mixed_village", {"world": {"seed": 3}}, 5, {"integrative": 1.0})
    at = open_app(room=keys.code.lower(), lang=lang)
    ok(at)
    at.text_input(key="room_name").set_value("Bu *Sri*")
    at.button[0].click().run()
    ok(at)
    token = at.query_params["seat"]
    token = token[0] if isinstance(token, list) else token
    assert Store(db).seat_of(keys.code, token) == 0
    heading = at.subheader[0].value
    assert "Bu \\*Sri\\*" in heading  # shown as typed, never as formatting
    assert ("organisation 1" if lang == "en" else "organisasi 1") in heading
    again = open_app(room=keys.code, seat=token, lang=lang)  # a reload: the same seat
    ok(again)
    assert again.subheader[0].value == heading
    lobby = open_app(room=keys.code, host=keys.facilitator_secret, lang=lang)
    ok(lobby)
    assert lobby.metric[0].value == "1 / 5"


def test_nobody_acts_where_they_do_not_belong(db):
    keys = Store(db).create_room("mixed_village", {}, 3, {})
    seat = Store(db).join(keys.code, "A")
    as_host = open_app(room=keys.code, host=seat.token)  # a participant trying the facilitator's page
    assert not as_host.exception and any("facilitator's link" in e.value for e in as_host.error)
    forged = open_app(room=keys.code, seat="forged")
    assert not forged.exception and any("does not open a seat" in e.value for e in forged.error)
    unknown = open_app(room="ZZZZZZ")
    assert not unknown.exception and any("no such room" in e.value for e in unknown.error)
