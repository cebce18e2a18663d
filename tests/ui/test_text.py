"""Every text exists in both languages, and every placeholder is filled the same way in both."""

from __future__ import annotations

import re

import pytest

from ui.text import LANGUAGES, TEXT, t

PLACEHOLDER = re.compile(r"\{(\w+)")


@pytest.mark.parametrize("key", sorted(TEXT))
def test_both_languages_with_the_same_placeholders(key):
    entry = TEXT[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert set(PLACEHOLDER.findall(entry["en"])) == set(PLACEHOLDER.findall(entry["id"]))


def test_indonesian_is_not_a_copy_of_english():
    same = [k for k, v in TEXT.items() if v["en"] == v["id"] and len(v["en"]) > 12]
    assert not same, same


def test_every_control_and_strategy_has_a_label():
    from sim.negotiation import strategy_names
    from ui.controls import CONTROLS, GROUPS

    for control in CONTROLS:
        assert control.setting in TEXT
    for group in GROUPS:
        assert f"group.{group}" in TEXT
    for name in strategy_names():
        assert f"strategy.{name}" in TEXT and f"mix.{name}" in TEXT


def test_unknown_language_falls_back_to_english():
    assert t("app.title", "fr") == TEXT["app.title"]["en"]


def test_each_backbone_task_has_one_name():
    """The sidebar, the Learn view and the story's step 5 (its sentence and its chart) call a task the same."""
    from ui import story
    from ui.charts import backbone_task

    for task in story.FUNCTIONS:
        assert f"story.fn.{task}" not in TEXT, task
        for lang in LANGUAGES:
            assert backbone_task(task, lang) == t(f"backbone.{task}", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_facilitators_room_menu_is_named_for_what_it_holds(lang):
    """The projector's menu holds the participants (rename, remove), joining (close it, a PIN) and the downloads of
    the record; its label names those, in the words of its own sections ("Pengaturan", settings, told a
    facilitator nothing)."""
    label = t("room.control.room", lang).lower()
    sections = {"room.people.title": {"en": "participants", "id": "peserta"},
                "room.lock": {"en": "joining", "id": "pendaftaran"},
                "room.control.export": {"en": "download", "id": "unduh"}}
    for key, word in sections.items():
        assert word[lang] in t(key, lang).lower(), (key, lang)
        assert word[lang] in label, (label, key)


def test_the_upstream_question_names_the_head_and_the_tail_as_its_sentence_does():
    """Step 6's question where the head is not better off, reviewed as a village facilitator reads it: the people at
    either end ("orang hulu", "orang hilir"), as the step's sentence calls them, not the river's ends; it read "sampai
    hilir yang rugi", which turned the question round."""
    sentence, question = t("story.upstream.sentence", "id"), t("story.upstream.ask.not_ahead", "id")
    for people in ("orang hulu", "orang hilir"):
        assert people in sentence and people in question, people
    assert "sampai hilir" not in question


@pytest.mark.parametrize("key", ["room.result", "room.result.term"])
def test_a_phones_harvest_line_does_not_bill_everyone_for_the_well_and_a_quarrel(key):
    """Every phone read "after paying for canal work, the well and quarrels", also those who built nothing and
    quarrelled with nobody (a new user's trial): the well and a quarrel are costs only where one had them."""
    assert "where you had them" in t(key, "en") and "the well and quarrels" not in t(key, "en")
    assert "kalau ada" in t(key, "id") and "sumur dan pertengkaran" not in t(key, "id")


def test_the_wall_does_not_name_anyone_for_grabbing_the_computer_decided():
    """At an impasse what an organisation takes is decided for it (deciding alone), not asked of the person: the
    debrief's wall named "Wayan grabbed without agreement" for a man who had only offered half and half (a new
    user's trial). It names what the person did: reached no agreement."""
    assert "grab" not in t("room.deed.grabbed", "en") and "menyerobot" not in t("room.deed.grabbed", "id")
    assert "no agreement" in t("room.deed.grabbed", "en") and "tidak mencapai kesepakatan" in t("room.deed.grabbed", "id")
