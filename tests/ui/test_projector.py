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
