"""Figure builders draw what they say, from run data alone."""

from __future__ import annotations

import json
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from sim.scenarios import build_config
from ui import charts
from ui.runs import simulate, variants


def validated(spec: dict) -> go.Figure:
    """Plotly's own validation of a builder's plain-data figure: raises on any property Plotly does not know."""
    return go.Figure(spec)


FULL = 12.0  # the fixture village's harvest in a season with every need met: 12 organisations, each needing 1 worth 1


@pytest.fixture(scope="module")
def runs():
    config = build_config({"world": {"organisations": 12, "seasons": 8}})
    return {label: simulate.__wrapped__(cfg.model_dump_json()) for label, cfg in variants(config).items()}


def test_comparison_has_one_line_per_way_and_metric(runs):
    fig = validated(charts.comparison({k: r.seasons for k, r in runs.items()}, "id", full_harvest=FULL))
    assert len(fig.data) == 3 * 4
    assert {tr.name for tr in fig.data} == {"Semua berebut kue", "Semua memperbesar kue", "Desa Anda"}


def test_variants_share_world_and_seed_but_not_the_mix(runs):
    config = build_config({"world": {"organisations": 12, "seasons": 8}})
    v = variants(config)
    assert v["slice"].strategies.mix == {"distributive": 1.0} and v["expand"].strategies.mix == {"integrative": 1.0}
    assert v["slice"].world == v["expand"].world == config.world and v["slice"].water == config.water


def test_river_animation_has_a_frame_per_season_and_play_controls(runs):
    fig = validated(charts.river(runs["yours"], "en"))
    assert len(fig.frames) == 8
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert labels == ["Play", "Pause"]
    first = fig.frames[0].data
    sizes = np.concatenate([np.atleast_1d(tr.marker.size) for tr in first if tr.mode == "markers"])
    assert sizes.size == 12  # every organisation drawn


def test_river_names_its_ends_and_gives_the_controls_their_own_rows(runs):
    layout = validated(charts.river(runs["yours"], "id")).layout
    assert {(a.text, a.x) for a in layout.annotations} == {("hulu", 0.0), ("hilir", 1.0)}
    buttons, slider = layout.updatemenus[0], layout.sliders[0]
    # On a phone the buttons are wider than a fifth of the figure: beside the slider they covered its label.
    assert slider.x == 0 and slider.len == 1 and slider.y < buttons.y


def test_dance_shows_frontier_walk_away_and_outcome_in_plain_words(runs):
    run = runs["yours"]
    meeting = run.meetings[0]
    fig = validated(charts.dance(meeting, 0, "en", ("Organisation 1", "Organisation 2")))
    names = {tr.name for tr in fig.data}
    assert {"Best deals for both", "Walk-away: what each gets with no deal"} <= names
    assert not names & {"Pareto frontier", "Nash point", "Kalai–Smorodinsky point"}
    assert ("Agreement" in names) == bool(meeting.agreed[0])
    expert = {tr.name for tr in validated(charts.dance(meeting, 0, "en", ("A", "B"), expert=True)).data}
    assert {"Pareto frontier", "BATNAs (walk-away)", "Nash point"} <= expert


@pytest.mark.parametrize("strategies", [("distributive", "integrative"), ("integrative", "distributive"),
                                        ("reciprocal", "reciprocal")])
def test_dance_colours_each_side_by_its_strategy(runs, strategies):
    meeting = runs["yours"].meetings[0]
    fig = validated(charts.dance(meeting, 0, "en", ("A", "B"), strategies=strategies))
    offers = [tr for tr in fig.data if tr.name and tr.name.startswith("Offers by")]
    assert [tr.marker.color for tr in offers] == [charts.STRATEGY_COLOURS[s] for s in strategies]
    if strategies[0] == strategies[1]:  # the same colour twice: the second side is told apart by its shape
        assert offers[0].marker.symbol != offers[1].marker.symbol


def test_timeseries_stacks_strategy_shares(runs):
    run = runs["yours"]
    fig = validated(charts.timeseries(run.seasons, run.strategy_names, "en", season=3, full_harvest=FULL))
    stacked = [tr for tr in fig.data if tr.stackgroup == "shares"]
    assert len(stacked) == len(run.strategy_names)
    season_lines = [shape for shape in fig.layout.shapes if shape.x0 == 3 and shape.line.color == "#555"]
    assert len(season_lines) == 6  # the chosen season marked in every panel


def _collapsed(table, season: int):
    table = table.copy()
    table["collapsed"] = (table.season >= season).astype(float)
    return table


def test_a_collapse_is_marked_on_every_time_series(runs):
    tables = {k: r.seasons for k, r in runs.items()}
    tables["slice"] = _collapsed(tables["slice"], 5)
    fig = validated(charts.comparison(tables, "en", full_harvest=FULL))
    marks = [shape for shape in fig.layout.shapes if shape.x0 == 5]
    assert len(marks) == 4 and {shape.line.color for shape in marks} == {charts.RUN_COLOURS["slice"]}
    assert any(a.text.strip() == "river dry" for a in fig.layout.annotations)
    run = runs["yours"]
    series = validated(charts.timeseries(_collapsed(run.seasons, 6), run.strategy_names, "id", full_harvest=FULL))
    assert len([shape for shape in series.layout.shapes if shape.x0 == 6]) == 6
    assert any(a.text.strip() == "sungai kering" for a in series.layout.annotations)


def test_axes_start_at_zero_and_shares_run_to_one(runs):
    """A change of 0.05 in trust must not fill a whole panel."""
    for spec in (charts.comparison({k: r.seasons for k, r in runs.items()}, "en", full_harvest=FULL),
                 charts.timeseries(runs["yours"].seasons, runs["yours"].strategy_names, "en", full_harvest=FULL)):
        y_axes = {name: axis for name, axis in validated(spec).layout.to_plotly_json().items() if name.startswith("yaxis")}
        assert y_axes and all(axis.get("rangemode") == "tozero" for axis in y_axes.values())
        first = y_axes.get("yaxis") or y_axes["yaxis1"]
        assert list(first["range"]) == [0, 1.05]  # water in storage, a share


def test_the_river_dries_and_turns_brown_once_collapsed(runs):
    run = runs["yours"]
    seasons = run.seasons.copy()
    seasons["stock_share"] = np.linspace(1.0, 0.0, len(seasons))
    seasons["collapsed"] = (seasons.season >= 6).astype(float)
    dry = type(run)(**{**run.__dict__, "seasons": seasons})
    fig = validated(charts.river(dry, "en"))
    widths = [frame.data[0].line.width for frame in fig.frames]
    assert widths[0] > widths[5] and fig.frames[0].data[0].line.color.startswith("rgba(52,152,219")
    assert fig.frames[7].data[0].line.color.startswith("rgba(139,69,19")
    assert "river dry" in fig.frames[7].layout.title.text and "river dry" not in fig.frames[0].layout.title.text


def test_neighbours_on_the_river_do_not_sit_on_one_line(runs):
    run = runs["yours"]
    order = np.argsort(run.position)
    y = charts._river_y(run.position, run.community)[order]
    assert np.all(np.abs(np.diff(y)) > 0.1)  # alternately above and below the river


def test_plain_charts_hide_the_toolbar_that_covered_legends_on_a_phone():
    assert charts.config(expert=False)["displayModeBar"] is False
    assert charts.config(expert=True)["displayModeBar"] == "hover"


def test_indonesian_charts_write_a_decimal_comma(runs):
    spec = charts.localised(charts.comparison({k: r.seasons for k, r in runs.items()}, "id", full_harvest=FULL), "id")
    assert validated(spec).layout.separators == ",."
    assert "separators" not in charts.comparison({k: r.seasons for k, r in runs.items()}, "id", full_harvest=FULL)["layout"]  # cache untouched


def test_plotly_rejects_what_it_does_not_know():
    """The check the builders rely on: a misspelt property fails validation."""
    with pytest.raises(ValueError):
        validated({"data": [{"type": "scatter", "x": [1], "y": [1], "colour": "red"}]})


@pytest.mark.parametrize("big", [False, True])
def test_chart_hands_streamlit_the_same_figure_plotly_would(runs, big):
    """What Streamlit serialises from a Chart equals what it would from the validated go.Figure."""
    spec = charts.river(runs["yours"], "id", big)
    ours = json.loads(pio.to_json(charts.Chart(spec).to_dict(), validate=False))
    plotly_s = json.loads(pio.to_json(validated(spec).to_dict(), validate=False))
    assert ours["frames"] and len(ours["frames"]) == len(plotly_s["frames"])
    assert ours["data"] == plotly_s["data"]
    assert ours["layout"]["sliders"] == plotly_s["layout"]["sliders"]


def test_cached_layouts_are_not_changed_by_a_figure(runs):
    run = runs["yours"]
    charts.timeseries(_collapsed(run.seasons, 2), run.strategy_names, "en", season=3, full_harvest=FULL)
    plain = charts.timeseries(run.seasons, run.strategy_names, "en", full_harvest=FULL)
    collapsed = bool(run.seasons.collapsed.max())
    assert collapsed or not plain["layout"]["shapes"]
    assert not any(shape["x0"] == 3 for shape in plain["layout"]["shapes"])


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("big", [False, True])
def test_panel_titles_fit_a_phone_and_the_gap_between_rows(runs, lang, big):
    """Two panels side by side on a 390-pixel phone are ~160 pixels wide: no title line may be longer than the wrap
    width, and the gap between rows (in pixels) must hold the tallest title, or it runs into the panel above."""
    for spec in (charts.comparison({k: r.seasons for k, r in runs.items()}, lang, big, full_harvest=FULL),
                 charts.timeseries(runs["yours"].seasons, runs["yours"].strategy_names, lang, big=big, full_harvest=FULL)):
        layout = validated(spec).layout
        lines = [title.text.split("<br>") for title in layout.annotations]
        assert all(len(line) <= 22 for title in lines for line in title if " " in line)
        font = layout.font.size
        panels_px = layout.height - layout.margin.t - layout.margin.b
        y_axes = [axis for name, axis in spec["layout"].items() if name.startswith("yaxis")]
        tops = sorted({round(axis["domain"][1], 6) for axis in y_axes})
        bottoms = sorted({round(axis["domain"][0], 6) for axis in y_axes})
        gap_px = (bottoms[1] - tops[0]) * panels_px
        assert gap_px >= max(len(title) for title in lines) * font * 1.3 + 20  # the title and some clear space
        assert layout.legend.yref == "container" and layout.margin.t >= 2 * font * 1.6


def test_wrap_breaks_at_the_space_nearest_the_middle():
    assert charts._wrap("Wells and canals") == "Wells and canals"  # 16 characters: one line
    # 22 characters ran past a 160 px panel's edge on a phone (tests/test_story_browser.py): two lines
    assert charts._wrap("Kepercayaan antarmitra") == "Kepercayaan<br>antarmitra"
    assert charts._wrap("Persediaan air (bagian dari tampungan)") == "Persediaan air (bagian<br>dari tampungan)"
    assert charts._wrap("Tanpaspasiyangsangatpanjangsekali") == "Tanpaspasiyangsangatpanjangsekali"


# Machado, Oliveira & Fernandes (2009): full protanopia and deuteranopia as matrices on linear RGB.
_COLOUR_BLINDNESS = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
}


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(linear_rgb, 0, 1)
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _linear(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


@pytest.mark.parametrize("palette", [charts.STRATEGY_COLOURS, charts.RUN_COLOURS])
@pytest.mark.parametrize("vision", list(_COLOUR_BLINDNESS))
def test_colours_stay_apart_for_red_green_colour_blindness(palette, vision):
    """Every pair of colours that tells strategies or ways of bargaining apart differs by a CIE76 ΔE of at least 30
    as a person with full protanopia or deuteranopia sees it (the old red and green: 14)."""
    seen = {name: _lab(_COLOUR_BLINDNESS[vision] @ _linear(colour)) for name, colour in palette.items()}
    names = list(seen)
    gaps = {(a, b): float(np.linalg.norm(seen[a] - seen[b])) for i, a in enumerate(names) for b in names[i + 1 :]}
    assert min(gaps.values()) >= 30, gaps


# -- units --------------------------------------------------------------------------------------------------------------
UNIT = re.compile(r"%|\((number|jumlah)\)|\(0 = |percent|persentase", re.IGNORECASE)


def titles_without_unit(spec: dict, lang: str) -> list[str]:
    """The titles of a figure's axes and of its small multiples' panels that do not say their unit (a percentage, a
    number, a scale from 0); the seasons' axis is its own unit."""
    from ui.text import t

    layout = spec["layout"]
    titles = [axis.get("title", {}).get("text") for name, axis in layout.items()
              if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict) and axis.get("visible", True)]
    titles += [note["text"] for note in layout.get("annotations", [])  # the panels' titles (make_subplots')
               if note.get("xref") == "paper" and note.get("yref") == "paper"]
    return [title for title in titles
            if title and title != t("axis.season", lang) and not UNIT.search(title.replace("<br>", " "))]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_axis_and_panel_says_its_unit(runs, lang):
    """The Watch view's panel of the village's harvest had no unit (a new user could not tell 15 of what), nor did
    its trust, wells and strategies panels, or the meeting's axes."""
    run = runs["yours"]
    specs = {"comparison": charts.comparison({k: r.seasons for k, r in runs.items()}, lang, full_harvest=FULL),
             "timeseries": charts.timeseries(run.seasons, run.strategy_names, lang, full_harvest=FULL),
             "dance": charts.dance(run.meetings[0], 0, lang, ("A", "B")),
             "dance, expert": charts.dance(run.meetings[0], 0, lang, ("A", "B"), expert=True)}
    for name, spec in specs.items():
        assert not titles_without_unit(spec, lang), (name, titles_without_unit(spec, lang))


def test_the_village_harvest_is_each_ones_share_of_a_full_harvest(runs):
    """The panel of the village's harvest says it as every harvest on the page is said: per organisation and
    season, a share of a full harvest."""
    run = runs["yours"]
    for spec, panel in ((charts.comparison({"yours": run.seasons}, "en", full_harvest=FULL), "y2"),
                        (charts.timeseries(run.seasons, run.strategy_names, "en", full_harvest=FULL), "y3")):
        line = next(trace for trace in spec["data"] if trace["yaxis"] == panel)
        assert line["y"] == charts.values(run.seasons.total_welfare / FULL)
        assert spec["layout"][panel.replace("y", "yaxis")]["tickformat"] == ".0%"
