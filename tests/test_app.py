"""The app through Streamlit's AppTest: the story's every step, every control and view, both languages, uploads,
links, isolation."""

from __future__ import annotations

import html

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.controls import CONTROLS, MIX_KEYS
from ui.state import PRESETS
from ui.text import t

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 120


def open_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at.run()


def query(at: AppTest, key: str):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def chart(at: AppTest, key: str) -> dict:
    """The figure JSON of the Plotly chart with widget key ``key``."""
    for element in at.get("plotly_chart"):
        if key in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key}")


def comparison_data(at: AppTest) -> list:
    return [trace.get("y") for trace in chart(at, "chart_compare")["data"]]


def ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def session() -> AppTest:
    return open_app(view="compare")


def test_opens_on_the_story_already_run():
    at = open_app()
    ok(at)
    assert at.title[0].value == "Rembug: slice the pie or expand it?"
    assert len(at.get("plotly_chart")) == 1 and len(at.metric) == 1  # one chart, one figure
    assert any("Step 1 of 6" in m.value for m in at.markdown)
    assert query(at, "step") == "1"


def test_the_comparison_opens_on_the_default_scenario(session):
    at = session
    ok(at)
    assert at.subheader[0].value == "Mixed village"
    assert len(at.get("plotly_chart")) == 1
    assert len(at.metric) == 15  # five headline cards for each of three ways of bargaining
    assert query(at, "scenario") == "mixed_village" and query(at, "view") == "compare"


def test_the_phone_table_holds_the_same_figures_as_the_cards(session):
    at = session
    table = next(m.value for m in at.markdown if m.value.startswith("|  | Slice | Expand | Yours |"))
    cells = [line.strip("| ").split(" | ") for line in table.splitlines()[2:]]  # under the header and the rule
    rows = {measure: figures for measure, *figures in cells}
    cards: dict[str, list[str]] = {}
    for metric in at.metric:
        cards.setdefault(metric.label, []).append(metric.value)
    assert rows == cards and len(rows) == 5
    assert "Net harvest (% of a full harvest)" in rows and not any("Gini" in label for label in rows)


def test_the_comparison_says_where_expanding_gains(session):
    """The table, conduct, investment: the three places the model says expanding can gain, with the same run's
    figures as the model's own tables."""
    from sim.commons import CommonsModel
    from sim.scenarios import default_scenario

    config = default_scenario().config
    expand = CommonsModel(config.model_copy(update={"strategies": config.strategies.model_copy(
        update={"mix": {"integrative": 1.0}})})).run().season_table()
    where = next(m.value for m in session.markdown if "Where expanding gains" in m.value)
    assert f"get {expand.value_created.mean():.0%} of what" in where
    assert f"{expand.breaches.mean():.1f} promises broken per season" in where
    assert f"on average {expand.infrastructure.mean():.0f}" in where
    harvest = expand.total_welfare.sum() / (config.world.organisations * len(expand) * config.organisations.need)
    assert any(f"gives each organisation {harvest:.0%} of a full harvest" in m.value for m in session.markdown)


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.setting)
def test_every_control_reruns_and_lands_in_the_address(session, control):
    at = session
    if control.setting == "water.river_order":  # the order of drawing matters where the water runs short
        at.select_slider(key="w:water.inflow:en").set_value(0.6).run()
    before = comparison_data(at)
    if control.kind == "toggle":
        at.toggle(key=control.key).set_value(not at.toggle(key=control.key).value).run()
    elif control.kind == "select":
        current = at.selectbox(key=f"{control.key}:en").value
        at.selectbox(key=f"{control.key}:en").set_value([o for o in control.options if o != current][0]).run()
    elif control.kind == "number":
        at.number_input(key=control.key).set_value(int(at.number_input(key=control.key).value) + 1).run()
    else:
        widget = at.slider(key=control.key) if control.kind == "int" else at.select_slider(key=f"{control.key}:en")
        current = widget.value
        new = current - control.step if current + control.step > control.high else current + control.step
        widget.set_value(int(new) if control.kind == "int" else round(new, 6)).run()
    ok(at)
    assert control.setting in at.query_params
    if not control.backbone_function:  # backbone functions only act once a backbone is present
        assert comparison_data(at) != before



@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_sidebars_sliders_speak_in_percent_where_the_page_does(lang):
    """Trust, what it grows and loses by, the river's water, drought, learning and the backbone's fee: shown as
    percentages, as the story's sentences and knobs say them (trust growth and loss once read 0.05 and 0.50)."""
    at = open_app(view="compare", lang=lang)
    ok(at)
    for setting in ("trust.initial", "trust.growth", "trust.cut", "water.inflow", "water.drought_probability",
                    "water.drought_severity", "learning.rate", "backbone.cost"):
        shown = at.select_slider(key=f"w:{setting}:{lang}").options
        assert shown and all(option.endswith("%") for option in shown), (setting, shown[:3])
    assert at.select_slider(key=f"w:backbone.cost:{lang}").options[5] == "5%"

def test_strategy_mix_changes_only_your_run(session):
    at = session
    before = comparison_data(at)
    at.select_slider(key=MIX_KEYS["distributive"] + ":en").set_value(1.0).run()
    at.select_slider(key=MIX_KEYS["integrative"] + ":en").set_value(0.0).run()
    ok(at)
    after = comparison_data(at)
    assert "mix" in at.query_params
    # Traces come four per run (slice, expand, yours): the same world, so only "your mix" may move.
    assert after[:8] == before[:8] and after[8:] != before[8:]


@pytest.mark.parametrize("scenario_id", sorted(PRESETS))
def test_every_preset_opens(scenario_id):
    at = open_app(view="compare")
    at.selectbox(key="scenario_id:en").set_value(scenario_id).run()
    ok(at)
    assert at.subheader[0].value == PRESETS[scenario_id].title("en")
    assert query(at, "scenario") == scenario_id


def test_language_switch_translates_and_keeps_the_view():
    at = open_app(view="compare")
    at.segmented_control(key="lang").set_value("id").run()
    ok(at)
    assert at.title[0].value == "Rembug: berebut kue atau memperbesar kue bersama?"
    assert query(at, "view") == "compare" and len(at.metric) == 15  # still on the comparison
    views = at.segmented_control(key="view:id:0")
    assert list(views.options) == ["Cerita", "Berebut atau memperbesar kue", "Tonton", "Satu pertemuan", "Belajar", "Data"]
    assert at.subheader[0].value == "Desa dengan beragam cara berunding"
    assert query(at, "lang") == "id"
    titles = [a["text"].replace("<br>", " ") for a in chart(at, "chart_compare")["layout"]["annotations"]]
    assert "Sisa air di sungai (% dari sungai penuh)" in titles


def test_indonesian_figures_use_a_decimal_comma():
    at = open_app(view="compare", lang="id", expert="1")
    ok(at)
    values = [m.value for m in at.metric]
    assert any("," in v for v in values) and not any(re_decimal_point(v) for v in values)
    assert chart(at, "chart_compare")["layout"]["separators"] == ",."


def re_decimal_point(text: str) -> bool:
    import re

    return re.search(r"\d\.\d", text) is not None and re.search(r"\d\.\d{3}(?!\d)", text) is None


def test_a_link_opens_the_same_scenario_and_figures():
    at = open_app(view="compare")
    at.selectbox(key="scenario_id:en").set_value("upstream_downstream").run()
    at.select_slider(key="w:trust.initial:en").set_value(0.8).run()
    at.toggle(key="w:backbone.present").set_value(True).run()
    ok(at)
    shared = {k: query(at, k) for k in at.query_params}
    elsewhere = open_app(**shared)
    ok(elsewhere)
    assert elsewhere.subheader[0].value == "Upstream and downstream"
    assert elsewhere.select_slider(key="w:trust.initial:en").value == 0.8
    assert comparison_data(elsewhere) == comparison_data(at)


def test_a_bad_link_opens_anyway_and_says_what_was_dropped():
    at = open_app(scenario="mixed_village", view="compare", **{"trust.initial": "7", "water.inflow": "lots", "trust.growth": "0.3"})
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "trust.initial" in message and "water.inflow" in message
    assert at.select_slider(key="w:trust.growth:en").value == 0.3  # the good setting was kept


def test_uploading_a_scenario(tmp_path):
    at = open_app(view="compare")
    text = (Path(__file__).resolve().parent.parent / "scenarios" / "drought_year.toml").read_bytes()
    at.file_uploader(key="upload").set_value(("mine.toml", text.replace(b'id = "drought_year"', b'id = "mine"'), "text/plain")).run()
    ok(at)
    assert any("Frequent droughts" in i.value for i in at.info)
    assert at.subheader[0].value == "Frequent droughts"


def test_a_bad_upload_gets_a_readable_message_and_the_app_stays_usable():
    at = open_app(view="compare")
    at.file_uploader(key="upload").set_value(("bad.toml", b'[scenario]\nid = "x"\n[water]\ninflow = 9\n', "text/plain")).run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "water.inflow" in message and "less than or equal to 5" in message
    assert at.subheader[0].value == "Mixed village"  # still on the preset
    at.select_slider(key="w:trust.initial:en").set_value(0.7).run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_presenter_mode_puts_the_live_knobs_on_the_page():
    at = open_app(view="compare")
    at.toggle(key="present").set_value(True).run()
    ok(at)
    assert query(at, "present") == "1" and query(at, "view") == "compare"
    views = at.segmented_control(key="view:en:1")
    assert list(views.options) == ["Story", "Slice or expand", "Watch"]
    assert len(at.get("plotly_chart")) == 1
    # trust, water and the backbone on the page (the sidebar is hidden in presenter mode and does not draw them)
    sidebar_keys = {getattr(w, "key", None) for w in at.sidebar.slider} | {getattr(w, "key", None) for w in at.sidebar.toggle}
    assert not {"w:trust.initial", "w:water.inflow", "w:backbone.present"} & sidebar_keys
    at.select_slider(key="w:trust.initial:en").set_value(0.9).run()
    ok(at)
    assert query(at, "trust.initial") == "0.9"
    views.set_value("story").run()
    ok(at)
    views = at.segmented_control(key="view:en:1")
    views.set_value("compare").run()
    assert at.select_slider(key="w:trust.initial:en").value == 0.9  # kept while the knob was not drawn


def test_opening_a_negotiation():
    at = open_app(view="negotiation")
    seasons = at.selectbox(key="neg_season:en").options
    at.selectbox(key="neg_season:en").set_value(int(seasons[2])).run()
    at.selectbox(key="neg_pair:en").set_value(3).run()
    ok(at)
    names = {trace.get("name") for trace in chart(at, "chart_dance")["data"]}
    assert {"Best deals for both", "Walk-away: what each gets with no deal"} <= names
    assert not names & {"Pareto frontier", "Nash point"}
    text = " ".join(m.value for m in at.markdown)
    assert "round" in text or "No deal" in text
    for word in ("Pareto", "BATNA", "utility", "Nash"):
        assert word not in text


def test_the_expert_view_shows_the_analysis_terms():
    at = open_app(view="negotiation", expert="1")
    ok(at)
    names = {trace.get("name") for trace in chart(at, "chart_dance")["data"]}
    assert {"Pareto frontier", "BATNAs (walk-away)", "Nash point"} <= names
    at = open_app(view="compare", expert="1")
    assert any(m.label == "Inequality (Gini)" for m in at.metric)
    assert any(m.label == "Total welfare" for m in at.metric)


def test_learn_lists_the_functions_in_the_controls_words():
    at = open_app(view="learn", lang="id")
    ok(at)
    assert any("Collective Impact" in e.label for e in at.expander)
    body = next(m.value for m in at.markdown if "Menggalang dukungan warga" in m.value)
    assert "\n1. **Menyepakati tujuan bersama**" in body  # a list, in the sidebar's words
    assert "Terus saling memberi kabar secara terbuka" in body


def test_the_data_view_speaks_the_participants_words_and_keeps_the_research_names_for_the_expert():
    """The table's columns once were the research names the command line shares (and their meanings as the
    measures' vocabulary writes them); a participant reads the charts' names in the page's language, each column in
    the unit its name says. The expert view shows the research names, as the downloaded file has them."""
    from ui.views import DATA_COLUMNS

    at = open_app(view="data", lang="id")
    ok(at)
    assert len(at.get("download_button")) == 2
    table = at.dataframe[0].value
    assert not set(table.columns) & set(DATA_COLUMNS)  # no research name
    for name in ("Musim", "Panen bersih (% dari panen penuh)", "Sisa air di sungai (% dari sungai penuh)",
                 "Organisasi yang menyerobot air (%)", "Sungai kering"):
        assert name in table.columns, (name, list(table.columns))
    assert all(v.endswith("%") and "." not in v for v in table["Sisa air di sungai (% dari sungai penuh)"])
    assert set(table["Sungai kering"]) <= {"ya", "tidak"}
    at = open_app(view="data", lang="id", expert="1")
    ok(at)
    assert list(at.dataframe[0].value.columns) == list(DATA_COLUMNS)


def test_sessions_do_not_see_each_others_settings():
    first, second = open_app(view="compare"), open_app(view="compare")
    first.select_slider(key="w:trust.initial:en").set_value(0.95).run()
    first.segmented_control(key="lang").set_value("id").run()
    second.run()
    assert second.select_slider(key="w:trust.initial:en").value != 0.95
    assert second.title[0].value.startswith("Rembug: slice")
    assert comparison_data(first) != comparison_data(second)


def test_a_failing_run_is_reported_and_the_session_goes_on(monkeypatch):
    from sim.commons import model

    at = open_app(view="compare")
    original = model.CommonsModel.act

    def broken(self):
        raise FloatingPointError("degenerate water balance")

    monkeypatch.setattr(model.CommonsModel, "act", broken)
    at.number_input(key="w:world.seed").set_value(987).run()  # a new seed, so nothing is cached
    assert not at.exception
    assert any("could not run" in e.value and "degenerate water balance" in e.value for e in at.error)
    monkeypatch.setattr(model.CommonsModel, "act", original)
    at.number_input(key="w:world.seed").set_value(988).run()
    ok(at)
    assert len(at.get("plotly_chart")) == 1


def test_a_50_mb_upload_is_refused_and_the_app_stays_usable():
    """The server refuses uploads over 1 MB (.streamlit/config.toml); the app checks again itself."""
    at = open_app(view="compare")
    at.file_uploader(key="upload").set_value(("huge.toml", b"#" * (50 * 2**20), "text/plain")).run()
    assert not at.exception
    assert any("at most" in e.value for e in at.error)
    at.select_slider(key="w:trust.initial:en").set_value(0.65).run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_a_non_utf8_upload_is_refused():
    at = open_app()
    at.file_uploader(key="upload").set_value(("latin1.toml", "[scenario]\nid = 'café'".encode("latin-1"), "text/plain")).run()
    assert not at.exception
    assert any("UTF-8" in e.value for e in at.error)


# -- the guided story ------------------------------------------------------------------------------------------------------
STEP_WORDS = {  # a word each step's sentence must contain, in each language
    "en": ["organisations need", "take water by force", "build wells and canals together", "that expand it",
           "backbone doing all six tasks", "head of the river"],
    "id": ["kebutuhan", "menyerobot air", "membangun sumur serta saluran bersama", "organisasi yang memperbesar kue",
           "keenam tugas", "hulu"],
}


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("step", range(1, 7))
def test_every_story_step_has_a_sentence_a_figure_a_chart_a_knob_and_a_question(lang, step):
    from ui import story

    at = open_app(lang=lang, step=str(step))
    ok(at)
    sentence = [m.value for m in at.markdown if "class='story-sentence'" in m.value]
    assert len(sentence) == 1 and STEP_WORDS[lang][step - 1] in sentence[0]
    assert len(at.metric) == 1 and len(at.get("plotly_chart")) == 1
    key = story.STEPS[step - 1].key
    knob = story.STEPS[step - 1].knob
    widget = at.slider(key=f"story:{key}") if knob.integer else at.select_slider(key=f"story:{key}:{lang}")
    assert widget.value == knob.default
    question = " ".join(i.value for i in at.info)
    assert ("ask the room" if lang == "en" else "Pertanyaan untuk peserta") in question
    assert query(at, "step") == str(step)
    chart_json = chart(at, "chart_story")
    assert chart_json["data"], "an empty chart"
    if lang == "id":
        assert chart_json["layout"]["separators"] == ",."
        assert not re_decimal_point(sentence[0])
    for word in ("Gini", "Pareto", "Nash", "BATNA", "utility", "utilitas", "welfare"):
        assert word not in sentence[0]



@pytest.mark.parametrize("lang", ["en", "id"])
def test_step_6s_question_follows_what_its_sentence_found(lang):
    """Step 6 found the head not better off for taking first, then asked what the head could offer the tail (a new
    user's trial): the question now asks what the sentence leaves open, whichever way the village came out."""
    at = open_app(lang=lang, step="6")
    ok(at)
    sentence = next(m.value for m in at.markdown if "class='story-sentence'" in m.value)
    question = " ".join(i.value for i in at.info)
    ahead = html.escape(t("story.upstream.head_ahead", lang).strip()) in sentence
    assert ahead or html.escape(t("story.upstream.head_not_ahead", lang).strip()) in sentence
    assert (t("story.upstream.ask", lang) in question) == ahead
    assert (t("story.upstream.ask.not_ahead", lang) in question) == (not ahead)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_story_counts_its_time_in_the_models_seasons(lang):
    """Step 1's note, its sentence and its chart's axis in one unit: a model step is a season (the note once said
    20 years under an axis of 40 seasons)."""
    from ui import story

    at = open_app(lang=lang, step="1")
    ok(at)
    seasons = story.world().world.seasons
    note = next(c.value for c in at.caption if c.value.startswith(("The same village", "Desa yang sama")))
    assert (f"for {seasons} seasons" if lang == "en" else f"selama {seasons} musim") in note, note
    assert chart(at, "chart_story")["layout"]["xaxis"]["title"]["text"].startswith("Season" if lang == "en" else "Musim")


def test_the_story_moves_forward_and_back_and_its_knob_changes_its_figures():
    at = open_app()
    at.button(key="story_next").click().run()
    ok(at)
    assert any("Step 2 of 6" in m.value for m in at.markdown) and query(at, "step") == "2"
    before = chart(at, "chart_story")["data"]
    at.select_slider(key="story:slice:en").set_value(0.9).run()
    ok(at)
    assert chart(at, "chart_story")["data"] != before
    at.button(key="story_back").click().run()
    assert any("Step 1 of 6" in m.value for m in at.markdown)
    assert at.button(key="story_back").disabled


def test_language_switch_keeps_the_story_step():
    at = open_app(step="4")
    at.segmented_control(key="lang").set_value("id").run()
    ok(at)
    assert any("Langkah 4 dari 6" in m.value for m in at.markdown)


def test_the_story_in_presenter_mode_shows_the_qr_code_for_the_room():
    at = open_app(step="3", present="1")
    ok(at)
    assert len(at.get("plotly_chart")) == 1 and len(at.metric) == 1
    assert at.get("image") and any("Scan to open this page" in c.value for c in at.caption)  # the QR code, said so


def test_a_negative_harvest_is_explained_where_it_appears():
    at = open_app(step="1")
    assert not any("Below 0% means" in c.value for c in at.caption)  # nothing negative: no note for nothing
    at = open_app(view="compare")
    assert not any("Below 0% means" in m.value for m in at.markdown)
    at.select_slider(key="w:water.inflow:en").set_value(0.3).run()  # a river with 30% of what is needed
    at.toggle(key="w:backbone.present").set_value(True).run()
    at.select_slider(key="w:backbone.cost:en").set_value(0.3).run()  # and a backbone's fee of 30% a season
    ok(at)
    assert any("Below 0% means" in m.value for m in at.markdown)


def test_the_claimer_step_says_when_claiming_stops_paying():
    from ui import story

    seen = set()
    for claimers in (1, 10):
        at = open_app(step="4")
        at.slider(key="story:claimer").set_value(claimers).run()
        ok(at)
        configs = story.configs(story.BY_KEY["claimer"], claimers)
        runs = {k: __import__("ui.runs", fromlist=["simulate"]).simulate(c.model_dump_json(), negotiations=True)
                for k, c in configs.items()}
        figures = story.BY_KEY["claimer"].measure(runs, configs)
        sentence = next(m.value for m in at.markdown if "class='story-sentence'" in m.value)
        pays = figures["harvest_claimer"] > figures["harvest_others"]
        assert ("still pays" in sentence) == pays and ("no longer pays" in sentence) == (not pays)
        seen.add(pays)
    # Whether ten claimers still gain is the model's answer (in model v3's scarce story world they do); both
    # sentences are checked against figures on either side of the line.
    from ui.views import _story_figures_text

    step = story.BY_KEY["claimer"]
    base = {"claimers": 10.0, "cooperators": 20.0, "trust_start": 0.9, "trust_claimer": 0.4, "alone": 0.3,
            "harvest_others": 0.2}
    for claimer, phrase in ((0.3, "still pays"), (0.1, "no longer pays")):
        text = _story_figures_text(step, {**base, "harvest_claimer": claimer}, story.configs(step, 10), "en")
        assert phrase in text



def test_the_claimer_steps_line_above_a_full_harvest_is_shown_whole_and_explained():
    """Step 4's line of those who slice ran above 100% of a full harvest with nothing said: it is a true value (one
    that sits alone grabs half as much water again as it needs and pays nothing towards canals or wells), so it is
    drawn whole, a dotted line marks 100%, and the page says why; where no line goes above, it says nothing."""
    for lang, words in (("en", "Above 100%"), ("id", "Di atas 100%")):
        at = open_app(step="4", lang=lang)  # one among the others, in the story's village
        ok(at)
        spec = chart(at, "chart_story")
        highest = max(y for trace in spec["data"] for y in trace["y"] if y is not None)
        assert highest > 1 and spec["layout"]["yaxis"]["range"][1] >= highest  # not clipped
        assert any(shape["y0"] == shape["y1"] == 1 for shape in spec["layout"]["shapes"])
        assert any(c.value.startswith(words) for c in at.caption), [c.value for c in at.caption]
    at = open_app(step="4", lang="id", present="1")  # a projector: the reason on the chart (a note would push the
    ok(at)                                            # question off the screen)
    assert any(note["text"].startswith("di atas 100%") for note in chart(at, "chart_story")["layout"]["annotations"])
    assert not any(c.value.startswith("Di atas 100%") for c in at.caption)
    at = open_app(step="4", lang="id")
    at.slider(key="story:claimer").set_value(10).run()
    ok(at)
    highest = max(y for trace in chart(at, "chart_story")["data"] for y in trace["y"] if y is not None)
    assert highest <= 1 and not any(c.value.startswith("Di atas 100%") for c in at.caption)

def test_the_backbone_step_does_not_praise_a_task_that_does_not_pay_its_fee():
    at = open_app(step="5")
    at.select_slider(key="story:backbone:en").set_value(0.3).run()
    ok(at)
    sentence = next(m.value for m in at.markdown if "class='story-sentence'" in m.value)
    bars = chart(at, "chart_story")["data"][0]["x"]
    assert max(bars[1:-1]) <= bars[0]  # at this fee every task alone is below no backbone
    assert "no task pays its fee" in sentence and "helps most" not in sentence


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_backbone_step_names_every_task_whose_bar_reads_the_best(lang):
    """Step 5 said "'Push for water rules' comes closest" beside two bars that both read 40% (a new user's trial):
    tasks whose figures read the same are named together; one best task is named alone, as before."""
    from ui import charts, story
    from ui.views import _story_figures_text

    step = story.BY_KEY["backbone"]
    configs = story.configs(step, 10)
    base = {"none": 0.45, "all": 0.6, "fee": 0.05, "outside": 0.0, "collapse_all": float("nan"),
            **{fn: 0.30 for fn in story.FUNCTIONS}}
    quoted = lambda fn: f"“{charts.backbone_task(fn, lang)}”"  # noqa: E731
    for best in (0.45, 0.5):  # none pays its fee alone, or one does
        tied = {**base, "policy": best - 0.004, "funding": best + 0.004}  # both read the same percentage
        text = _story_figures_text(step, tied, configs, lang)
        assert quoted("policy") in text and quoted("funding") in text, text
        alone = {**base, "funding": best + 0.02}  # one bar above every other
        text = _story_figures_text(step, alone, configs, lang)
        assert quoted("funding") in text and quoted("policy") not in text, text


def test_the_app_says_how_much_money_came_from_outside():
    """Honest accounting: where a backbone brought outside money for the wells, the page says how much, and that the
    harvest already counts it as a cost; where none came, it says nothing of it."""
    for lang, says in (("en", ("Money from outside", "the organisations do not pay it", "count it as a cost")),
                       ("id", ("Dana dari luar", "organisasi tidak membayarnya", "dihitung sebagai biaya"))):
        at = open_app(step="5", lang=lang)  # the backbone step: all six tasks, funding among them
        ok(at)
        sentence = next(m.value for m in at.markdown if "class='story-sentence'" in m.value)
        assert all(words in sentence for words in says), sentence  # once read as: they paid it out of the harvest
    # as the model does it: the organisations' own harvests do not pay for it; the village's figure counts it
    from ui import story
    from ui.runs import simulate

    step = story.BY_KEY["backbone"]
    configs = story.configs(step)
    runs = {label: simulate.__wrapped__(c.model_dump_json(), negotiations=False) for label, c in configs.items()}
    figures = step.measure(runs, configs)
    kept = runs["all"].organisations.payoff.mean() / (configs["all"].organisations.need * configs["all"].organisations.water_value)
    assert figures["outside"] > 0.005 and kept == pytest.approx(figures["all"] + figures["outside"])
    from ui.views import comparison_sentences

    head = {"welfare": 600.0, "harvest": 0.5, "water": 0.5, "gini": 0.2, "gap": 2.0, "agreements": 0.9,
            "collapse": -1, "table": 0.9, "breaks": 1.0, "wells": 20.0, "outside": 0.0, "worst": 0.2}
    plain = comparison_sentences({"slice": head, "expand": head, "yours": head}, "id", expert=False)
    assert not any("Dana dari luar" in s for s in plain)
    funded = comparison_sentences({"slice": head, "expand": {**head, "outside": 0.04}, "yours": head}, "id", expert=False)
    assert any("Dana dari luar" in s and "4%" in s for s in funded)
