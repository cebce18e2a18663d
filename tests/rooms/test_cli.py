"""`rembug room create / export / replay`: a room made on the command line, played, exported and replayed from
the file alone; bad input is one line naming the option, exit status 2."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from rooms import Store, flow
from rooms.game import ROOM_SEASONS
from sim.cli import main


def create(capsys, db, *extra) -> dict:
    assert main(["room", "create", "--db", str(db), *map(str, extra)]) == 0
    return json.loads(capsys.readouterr().out)


def error(capsys, argv) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def played(tmp_path, capsys):
    """A room created on the command line (6 seats, 2 seasons, seed 7), played to the end by three participants."""
    db = tmp_path / "rooms.sqlite"
    made = create(capsys, db, "--seats", 6, "--seasons", 2, "--seed", 7)
    code, secret = made["code"], made["facilitator_link"].split("host=")[1]
    store = Store(db)
    tokens = [store.join(code, name).token for name in ("Bu Sri", "Pak Budi", "Ani")]
    flow.close_stage(store, code, secret)
    while store.room(code)["phase"] != "debrief":
        room = store.room(code)
        village = flow.village_of(store, room)
        for token in tokens:
            seat = store.seat_of(code, token)
            for kind in village.asked(seat):
                flow.answer(store, code, token, kind, "more" if kind == "offer" else seat != 1)
        if (store.room(code)["phase"], store.room(code)["season"]) == (room["phase"], room["season"]):
            flow.close_stage(store, code, secret)  # (the last answer a stage waits for closes it by itself)
    final = flow.village_of(store, store.room(code)).model.season_table()
    return db, code, secret, final


def test_create_makes_a_room_that_meets_every_season(tmp_path, capsys):
    db = tmp_path / "rooms.sqlite"
    made = create(capsys, db, "--seats", 8, "--seasons", 3, "--seed", 11)
    assert (made["seats"], made["seasons"], made["seed"], made["scenario"]) == (8, 3, 11, "mixed_village")
    assert made["join_link"].endswith(f"/?room={made['code']}") and "host=" in made["facilitator_link"]
    config = Store(db).room(made["code"])["config"]
    assert config["negotiation"]["term"] == 1
    assert (config["world"]["organisations"], config["world"]["seasons"], config["world"]["seed"]) == (8, 3, 11)
    default = create(capsys, db)
    assert default["seasons"] == ROOM_SEASONS
    assert Store(db).room(default["code"])["config"]["world"]["seasons"] == ROOM_SEASONS


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--seasons", 21, "error: --seasons: between 1 and 20; you asked for 21"),
    ("--seasons", 0, "error: --seasons: between 1 and 20; you asked for 0"),
    ("--seats", 61, "error: --seats: between 2 and 60; you asked for 61"),
    ("--hours", 100, "error: --hours: between 0 and 72; you asked for 100.0"),
])
def test_create_refuses_what_is_out_of_range(tmp_path, capsys, option, value, says):
    assert error(capsys, ["room", "create", "--db", str(tmp_path / "r.sqlite"), option, str(value)]) == says


def test_a_room_exported_as_csv_replays_to_the_same_village(played, tmp_path, capsys):
    db, code, secret, final = played
    out = tmp_path / "room.csv"
    assert main(["room", "export", code.lower(), "--secret", secret, "--out", str(out), "--db", str(db)]) == 0
    said = capsys.readouterr().out
    assert str(out) in said and "settings and seed" in said
    frame = pd.read_csv(out)  # one file is enough: the settings and seed are columns
    assert len(frame) > 0 and {"room", "season", "seat", "name", "kind", "value", "shown", "by_default"} <= set(frame)
    assert set(frame.seed) == {7} and set(frame.seasons_played) == {2} and set(frame.room) == {code}
    assert json.loads(frame.settings.iloc[0])["world"]["seed"] == 7

    seasons = tmp_path / "seasons.csv"
    assert main(["room", "replay", str(out), "--out", str(seasons)]) == 0
    said = capsys.readouterr().out
    assert f"room {code}" in said and "seed 7" in said and "2 seasons played" in said and "3 played by people" in said
    table = pd.read_csv(seasons)
    assert set(table.room) == {code} and set(table.seed) == {7}
    pd.testing.assert_frame_equal(table.drop(columns=["room", "seed"]), final, check_dtype=False)
    for row in final.itertuples():  # one line per season: water left as a percentage of capacity
        assert f"{row.stock_share:.0%}" in said


def test_a_room_exported_as_parquet_carries_its_settings_and_replays(played, tmp_path, capsys):
    db, code, secret, final = played
    out = tmp_path / "room.parquet"
    assert main(["room", "export", code, "--secret", secret, "--out", str(out), "--db", str(db)]) == 0
    capsys.readouterr()
    assert pd.read_parquet(out).attrs["rembug"]["seed"] == 7  # the house style: pandas attrs in the file's metadata
    assert pq.read_schema(out).metadata  # key-value metadata is there for any Parquet reader
    seasons = tmp_path / "seasons.parquet"
    assert main(["room", "replay", str(out), "--out", str(seasons)]) == 0
    assert f"room {code}" in capsys.readouterr().out
    pd.testing.assert_frame_equal(pd.read_parquet(seasons).drop(columns=["room", "seed"]), final)


def test_export_refuses_a_wrong_secret_an_unknown_room_and_an_unknown_format(played, tmp_path, capsys):
    db, code, secret, _ = played
    base = ["room", "export", code, "--db", str(db)]
    assert error(capsys, [*base, "--secret", "guess", "--out", str(tmp_path / "r.csv")]) == \
        "error: --secret: not this room's facilitator key (the host=... part of the facilitator's link, or " \
        "`rembug room link CODE` for a new one)"
    assert not (tmp_path / "r.csv").exists()
    unknown = error(capsys, ["room", "export", "ZZZZZZ", "--db", str(db), "--secret", secret,
                             "--out", str(tmp_path / "r.csv")])
    assert unknown == "error: room ZZZZZZ: no such room (check the code, or it has expired)"
    for name in ("r.txt", "r.xlsx", "r"):
        said = error(capsys, [*base, "--secret", secret, "--out", str(tmp_path / name)])
        assert said.startswith("error: --out:") and ".csv" in said and ".parquet" in said
    said = error(capsys, [*base[:3], "--db", str(tmp_path / "none.sqlite"), "--secret", secret,
                          "--out", str(tmp_path / "r.csv")])
    assert said.startswith("error: --db:") and not (tmp_path / "none.sqlite").exists()


def test_replay_says_what_is_missing(played, tmp_path, capsys):
    db, code, secret, _ = played
    out = tmp_path / "room.csv"
    assert main(["room", "export", code, "--secret", secret, "--out", str(out), "--db", str(db)]) == 0
    capsys.readouterr()
    pd.read_csv(out).drop(columns=["settings"]).to_csv(out, index=False)  # a record stripped of its settings
    assert "no settings column" in error(capsys, ["room", "replay", str(out)])
    assert "does not exist" in error(capsys, ["room", "replay", str(tmp_path / "nothing.parquet")])
    assert error(capsys, ["room", "replay", str(tmp_path / "room.json")]).startswith("error: FILE:")
    plain = tmp_path / "plain.parquet"
    pd.DataFrame({"season": [0]}).to_parquet(plain)
    assert "no room settings" in error(capsys, ["room", "replay", str(plain)])


def test_a_record_of_yes_and_no_answers_only_reads_back_from_csv(tmp_path, capsys):
    """A record whose answers are all true/false (a room stopped after its first talk) must not come back from the
    CSV as booleans: the answers are JSON."""
    db = tmp_path / "rooms.sqlite"
    made = create(capsys, db, "--seats", 4, "--seasons", 1, "--seed", 3)
    code, secret = made["code"], made["facilitator_link"].split("host=")[1]
    store = Store(db)
    token = store.join(code, "Bu Sri").token
    flow.close_stage(store, code, secret)
    flow.answer(store, code, token, "disclose", True)
    flow.close_stage(store, code, secret)
    out = tmp_path / "talk.csv"
    assert main(["room", "export", code, "--secret", secret, "--out", str(out), "--db", str(db)]) == 0
    assert main(["room", "replay", str(out)]) == 0
    said = capsys.readouterr().out
    assert "0 seasons played" in said and "no season was played" in said


def test_the_record_carries_its_provenance_and_an_expired_room_can_still_be_exported(played, tmp_path, capsys):
    db, code, secret, _ = played
    import sqlite3

    with sqlite3.connect(db) as con:  # the workshop day is over: the room has expired
        con.execute("UPDATE rooms SET expires = 0")
    out = tmp_path / "late.CSV"  # a suffix in capitals is still CSV
    assert main(["room", "export", code, "--secret", secret, "--out", str(out), "--db", str(db)]) == 0
    capsys.readouterr()
    frame = pd.read_csv(tmp_path / "late.csv")
    from sim import __version__

    assert set(frame.version) == {__version__} and frame.created.str.endswith("Z").all()
    assert frame.time.str.match(r"\d{4}-\d\d-\d\dT").all() and "meeting" not in frame
    assert set(frame.card.dropna()) == {"more"}  # the offer's card has its own column


def test_replay_refuses_a_record_edited_by_hand_and_names_the_row(played, tmp_path, capsys):
    db, code, secret, _ = played
    out = tmp_path / "room.csv"
    assert main(["room", "export", code, "--secret", secret, "--out", str(out), "--db", str(db)]) == 0
    capsys.readouterr()
    good = pd.read_csv(out, dtype=str, keep_default_na=False)
    first = int(good.index[good.chosen_by == "person"][0])  # the first decision (the timeline's rows come first)
    row = f"row {first + 2}"

    def edit(column: str, value: str) -> pd.DataFrame:
        return good.assign(**{column: [value if i == first else v for i, v in enumerate(good[column])]})

    decision = good.chosen_by.isin(["person", "timer"])
    cases = {
        "duplicate": (pd.concat([good.iloc[[first]], good]), f"row {first + 3}: a second"),
        "kind": (edit("kind", "vote"), f"{row}, kind: one of"),
        "seat": (edit("seat", "99"), f"{row}, seat: 0 to 5"),
        "yes/no": (good.assign(value=[v if k == "offer" or not d else '"false"'
                                      for k, v, d in zip(good.kind, good.value, decision)]), "is true or false"),
        "seed": (good.assign(seed="8"), "seed: the record says 8"),
    }
    for label, (edited, says) in cases.items():
        edited.to_csv(out, index=False)
        assert says in error(capsys, ["room", "replay", str(out)]), label


def test_replay_writes_each_seat_with_who_played_it(played, tmp_path, capsys):
    db, code, secret, _ = played
    out = tmp_path / "room.parquet"
    assert main(["room", "export", code, "--secret", secret, "--out", str(out), "--db", str(db)]) == 0
    seats = tmp_path / "seats.csv"
    assert main(["room", "replay", str(out), "--organisations", str(seats)]) == 0
    table = pd.read_csv(seats)
    assert len(table) == 6 * 2 and {"seat", "season", "person", "bot_strategy", "payoff", "water"} <= set(table)
    people = Store(db).decisions(code)
    offered = {(int(r.season), int(r.seat)) for r in people.itertuples() if r.kind == "offer"}
    assert {(int(r.season), int(r.seat)) for r in table.itertuples() if r.person} == offered


def test_room_list_and_link_are_the_way_back_into_a_room(tmp_path, capsys):
    """Issue 20: a facilitator whose tab is lost gets back in from the laptop running the app."""
    db = tmp_path / "rooms.sqlite"
    made = create(capsys, db, "--seats", 8, "--pin", "4821", "--term", 2, "--seasons", 6, "--mix")
    assert made["pin"] is True and made["seasons_per_meeting"] == 2
    assert main(["room", "list", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert made["code"] in listed and "0/8" in listed and "PIN" in listed and "lobby" in listed
    assert main(["room", "link", made["code"].lower(), "--db", str(db), "--url", "http://10.0.0.2:8501/"]) == 0
    link = capsys.readouterr().out.strip().splitlines()[-1]
    secret = link.split("host=")[1]
    assert link.startswith(f"http://10.0.0.2:8501/?room={made['code']}&host=")
    store = Store(db)
    assert store.is_facilitator(made["code"], secret) and not store.is_facilitator(made["code"], made["secret"])
    assert "no such room" in error(capsys, ["room", "link", "ZZZZZZ", "--db", str(db)])
    assert "--term: 1 to 4" in error(capsys, ["room", "create", "--db", str(db), "--term", "5"])
    assert "a multiple of 2" in error(capsys, ["room", "create", "--db", str(db), "--term", "2", "--seasons", "5"])
    assert "--pin: 3 to 8 digits" in error(capsys, ["room", "create", "--db", str(db), "--pin", "12"])


def test_export_can_pseudonymise(played, tmp_path, capsys):
    db, code, secret, _ = played
    out = tmp_path / "room.csv"
    assert main(["room", "export", code, "--secret", secret, "--out", str(out), "--db", str(db),
                 "--pseudonymise"]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    text = out.read_text()
    assert not any(name in text for name in ("Bu Sri", "Pak Budi", "Ani"))
    assert set(frame[frame.chosen_by == "person"].name) == {"P01", "P02", "P03"}
    assert main(["room", "replay", str(out)]) == 0


@pytest.mark.parametrize("url", ["localhost", "http://localhost:8501", "http://127.0.0.1:8501/"])
def test_create_with_localhost_prints_links_the_phones_can_open(tmp_path, capsys, monkeypatch, url):
    """A phone cannot open "localhost" (it is the phone itself): the links name the laptop's network address, as
    the projector's page does, and stderr says so (a new user's phones could not join from the printed link)."""
    from rooms import links

    monkeypatch.setattr(links, "lan_address", lambda: "192.168.1.20")
    assert main(["room", "create", "--db", str(tmp_path / "r.sqlite"), "--url", url]) == 0
    captured = capsys.readouterr()
    made = json.loads(captured.out)
    assert made["join_link"] == f"http://192.168.1.20:8501/?room={made['code']}"
    assert made["facilitator_link"].startswith(f"http://192.168.1.20:8501/?room={made['code']}&host=")
    assert "192.168.1.20" in captured.err
    assert "port 8501" in captured.err and "--url localhost:PORT" in captured.err  # the app may serve another port
    assert main(["room", "link", made["code"], "--db", str(tmp_path / "r.sqlite"), "--url", url]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("http://192.168.1.20:8501/?room=")


def test_create_without_a_network_warns_that_localhost_links_open_only_on_this_laptop(tmp_path, capsys, monkeypatch):
    from rooms import links

    monkeypatch.setattr(links, "lan_address", lambda: None)
    made = create(capsys, tmp_path / "r.sqlite", "--url", "http://localhost:8501")
    assert made["join_link"] == f"http://localhost:8501/?room={made['code']}"
    assert main(["room", "create", "--db", str(tmp_path / "r.sqlite")]) == 0
    assert "only on this laptop" in capsys.readouterr().err


def test_create_keeps_an_address_the_phones_can_reach(tmp_path, capsys, monkeypatch):
    from rooms import links

    monkeypatch.setattr(links, "lan_address", lambda: "192.168.1.20")
    assert main(["room", "create", "--db", str(tmp_path / "r.sqlite"), "--url", "https://rembug.example.org/"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["join_link"].startswith("https://rembug.example.org/?room=") and not captured.err
