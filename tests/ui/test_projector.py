"""The projector's river, built as plain data for speed: it must still be a figure Plotly accepts, with every seat
on it, coloured by how its meeting went, names only where they fit."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from rooms.game import Village
from tests.rooms.test_game import config, play
from ui.projector import NAMES_ON_RIVER, STATUS_COLOURS, river_figure


@pytest.mark.parametrize("seats", [6, 30])
def test_the_river_is_a_valid_plotly_figure_with_every_seat_once(seats):
    cfg = config(seats=seats, seasons=2)
    village = Village.replay(cfg, play(cfg, 1), 0, "results")
    river = village.river()
    names = {0: "Budi", 3: "Sari <b>"}
    spec = river_figure(river, names, "id").to_dict()
    go.Figure(spec)  # Plotly's own validation: raises on a wrong property or value
    marked = [trace for trace in spec["data"] if trace["mode"] == "markers+text"]
    assert {trace["marker"]["color"] for trace in marked} <= set(STATUS_COLOURS.values())
    assert sum(len(trace["x"]) for trace in marked) == seats
    pairs = [trace for trace in spec["data"] if trace.get("legendgroup") == "trust"]
    assert len(pairs) == len(river["pairs"]) and sum(trace["showlegend"] for trace in pairs) == min(1, len(pairs))
    hover = [h for trace in marked for h in trace["hovertext"]]
    assert "Sari &lt;b&gt;" in hover  # a name is text, never markup
    labels = [x for trace in marked for x in trace["text"]]
    assert any("Budi" in label for label in labels) == (seats <= NAMES_ON_RIVER)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_season_line_says_what_it_counts(tmp_path, lang):
    """A new user's trial read "14 broke their word" and could not tell 14 what: the model counts organisations
    (one a seat) that grabbed and that broke their word, and the line says so, and that the computer's seats count
    too; and "harvest 54%" did not say whose (the whole village's)."""
    from rooms import Store, flow
    from sim.scenarios import find_scenario
    from ui.projector import season_line
    from ui.text import t

    store = Store(tmp_path / "rooms.sqlite")
    keys = flow.create(store, "mixed_village", find_scenario("mixed_village").config, seats=12, seasons=2, seed=5)
    while store.room(keys.code)["phase"] != "results":
        flow.close_stage(store, keys.code, keys.facilitator_secret)
    state = flow.state(store, keys.code)
    last = state.village.model.last
    line = season_line(state, lang)
    unit = {"en": "organisations", "id": "organisasi"}[lang]
    broke = {"en": "broke their word", "id": "ingkar janji"}[lang]
    grabbed = {"en": "grabbed", "id": "menyerobot"}[lang]
    for words, count in ((broke, last["breaches"]), (grabbed, last["grab_rate"] * state.village.model.n)):
        part = next(p for p in line.split(";") if words in p)
        assert unit in part and f"{int(round(count))}" in part, (words, line)
    assert t("room.people.option", lang, name="x", seat=1).split("(")[1].split()[0] in unit  # the seats' own word
    # the counts are of every seat, played by people or by the computer, and the harvest is the whole village's
    # (a trial could not tell either)
    assert {"en": "computer's", "id": "komputer"}[lang] in line
    assert {"en": "whole village", "id": "seluruh desa"}[lang] in line
