"""The vocabulary of settings and measures: complete, in both languages, and the same as the model's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.commons import CommonsConfig, CommonsModel
from sim.measures import RUN_MEASURES, SEASON_MEASURES, run_measures, summary
from sim.negotiation.strategies import REGISTRY
from sim.scenarios import ScenarioError, default_scenario, with_changes
from sim.settings import DETAILS, SETTINGS, UNITS, apply


def test_every_setting_has_a_unit_and_an_indonesian_meaning_and_no_entry_is_stale():
    config_keys = {f"{s}.{k}" for s, f in CommonsConfig.model_fields.items() for k in f.annotation.model_fields}
    assert set(DETAILS) == config_keys
    for key, (unit, meaning_id) in DETAILS.items():
        assert unit in UNITS and meaning_id.strip(), key
    for key, setting in SETTINGS.items():
        assert setting.meaning[0] and setting.meaning[1] and setting.unit[0], key
    assert {f"mix.{s}" for s in REGISTRY} <= set(SETTINGS)


def test_ranges_come_from_the_validated_configuration():
    assert SETTINGS["trust.initial"].range_text() == "0 to 1"
    assert SETTINGS["water.capacity"].range_text() == "above 0 to 1,000,000"
    assert SETTINGS["negotiation.matching"].choices == ("random", "neighbours")
    assert SETTINGS["world.organisations"].default == 30 and SETTINGS["backbone.present"].kind == "yes/no"


def test_apply_takes_mix_keys_and_reports_every_problem():
    config = apply(default_scenario().config, {"mix.integrative": 0.9, "negotiation.matching": "neighbours"})
    assert config.strategies.mix["integrative"] == 0.9 and config.negotiation.matching == "neighbours"
    with pytest.raises(ScenarioError) as caught:
        apply(default_scenario().config, {"mix.integrativ": 1, "trust.initial": 3, "trust.level": 1})
    assert [f for f, _ in caught.value.problems] == ["mix.integrativ", "trust.level", "trust.initial"]


def test_every_measure_the_model_records_is_in_the_vocabulary_and_nothing_else():
    config = with_changes(default_scenario().config, {"world.seasons": 2, "world.organisations": 6,
                                                      "strategies.mix": {s: 1.0 for s in REGISTRY}})
    model = CommonsModel(config).run()
    recorded = set(model.reporter_keys())
    assert recorded == set(SEASON_MEASURES)
    assert set(model.season_table().columns) - {"season"} == set(SEASON_MEASURES)
    for measure in RUN_MEASURES.values():
        assert measure.of in SEASON_MEASURES and measure.per == "run"
        assert measure.name.startswith(measure.of) or measure.name == "collapse_season"


def test_run_measures_summarise_as_their_names_say():
    seasons = pd.DataFrame({"season": [0, 1, 2], "total_welfare": [1.0, 2.0, 4.0], "stock_share": [0.5, 0.4, 0.3],
                            "collapsed": [0.0, 1.0, 0.0], "welfare_integrative": [np.nan, 1.0, 3.0]})
    got = summary(seasons)
    assert got["total_welfare_sum"] == 7.0 and got["stock_share_end"] == 0.3 and got["stock_share_mean"] == pytest.approx(0.4)
    assert got["collapsed_max"] == 1.0 and got["collapse_season"] == 1.0 and got["welfare_integrative_mean"] == 2.0
    two = pd.concat([seasons.assign(run=1), seasons.assign(run=0, total_welfare=[0.0, 0.0, 1.0])])
    by_run = run_measures(two, by="run")
    assert by_run["run"].tolist() == [0, 1] and by_run["total_welfare_sum"].tolist() == [1.0, 7.0]


def test_ranges_in_indonesian_words_and_numbers_as_one_types_them():
    from sim.settings import SETTINGS

    assert SETTINGS["trust.initial"].range_text("id") == "0 sampai 1"
    assert SETTINGS["water.capacity"].range_text("id") == "lebih dari 0 sampai 1000000"  # no comma to misread
    assert SETTINGS["negotiation.matching"].range_text("id") == "'random' atau 'neighbours'"


def test_summaries_of_indicators_say_what_they_count():
    from sim.measures import RUN_MEASURES

    assert RUN_MEASURES["collapsed_max"].describe() == "1 if the commons failed its users in any season"
    assert RUN_MEASURES["drought_mean"].describe() == "share of seasons: the season had a drought"
    assert RUN_MEASURES["drought_mean"].describe("id") == "bagian musim: musim itu kering"


# -- the participants' words: one name for each way of bargaining ------------------------------------------------------
# A new user read "berebut kue" in the story's steps 2 and 3 and "pencari untung sendiri" in step 4 and the Learn view
# for the same organisations. Each family of strategies has one name on the participants' screens in each language;
# the analysis terms (distributive, integrative, claimer) belong to the expert view and the research documents.
FAMILY_NAMES = {
    "distributive": {"en": "slice", "id": "berebut kue"},
    "integrative": {"en": "expand", "id": "memperbesar kue"},
    "reciprocal": {"en": "return", "id": "timbal balik"},
}
OTHER_NAMES = {
    "en": ("claimer", "claiming", "claim value", "cooperator", "problem-solver", "slicer", "distributive",
           "integrative"),
    "id": ("pencari untung", "untung sendiri", "yang bekerja sama", "mengiris", "distributif", "integratif",
           "resiprokal"),
}

EXPERTS_WORD = {"learn.slice.body": ("distributive", "integrative", "distributif", "integratif")}  # given once, there


def participant_texts(lang: str) -> dict[str, str]:
    """Every text a participant can read in ``lang``: the app's (but the expert view's own) and the preset
    scenarios' titles and descriptions, placeholders taken out (``{harvest_claimer}`` is code, not a word)."""
    import re

    from sim.scenarios import builtin_scenarios
    from ui.text import TEXT

    texts = {key: entry[lang] for key, entry in TEXT.items() if not key.endswith(".expert")}
    for sid, scenario in builtin_scenarios().items():
        texts[f"scenario {sid} title"] = scenario.title(lang)
        texts[f"scenario {sid} description"] = scenario.description(lang)
    return {key: re.sub(r"\{\w+\}", "", text) for key, text in texts.items()}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_each_way_of_bargaining_has_one_name_on_the_participants_screens(lang):
    texts = participant_texts(lang)
    found = {key: [name for name in OTHER_NAMES[lang] if name in text.lower() and name not in EXPERTS_WORD.get(key, ())]
             for key, text in texts.items()}
    assert not {key: names for key, names in found.items() if names}, f"another name for a way of bargaining ({lang})"
    for strategy, names in FAMILY_NAMES.items():  # the strategy's labels carry its one name
        for key in (f"strategy.{strategy}", f"mix.{strategy}"):
            assert names[lang] in texts[key].lower(), (key, texts[key])
    for key in ("run.slice", "run.slice.short", "story.slice.title"):
        assert FAMILY_NAMES["distributive"][lang] in texts[key].lower(), (key, texts[key])
    # the step with one family among the other names both by those names (it once had names of its own)
    for key in ("story.claimer.title", "story.claimer.sentence", "story.claimer.sentence.one"):
        for family in ("distributive", "integrative"):
            assert FAMILY_NAMES[family][lang] in texts[key].lower(), (key, family, texts[key])
    for key in ("story.claimer.headline", "story.knob.claimers", "chart.claimers", "story.claimer.knob_does"):
        assert FAMILY_NAMES["distributive"][lang] in texts[key].lower(), (key, texts[key])


# -- the participants' words: one unit of time -------------------------------------------------------------------------
# A model step is a season (sim.commons: a year is a wet and a dry season), and the charts count seasons. The story's
# first step once said "20 tahun" under a sentence and an axis in seasons; a year is named only where it says what a
# season is.
YEAR = {"en": r"\byears?\b|yearly|annual", "id": r"tahun"}
DEFINES_A_SEASON = {"en": "two per year", "id": "dua per tahun"}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_time_on_the_participants_screens_is_counted_in_seasons(lang):
    import re

    counted_in_years = {key: text for key, text in participant_texts(lang).items()
                        if re.search(YEAR[lang], text.lower().replace(DEFINES_A_SEASON[lang], ""))}
    assert not counted_in_years, counted_in_years
