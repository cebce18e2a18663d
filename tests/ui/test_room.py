"""The room's phone page (ui.room): what it tells a participant about keeping the agreement."""

from __future__ import annotations

import re

import pytest

from ui.room import conduct_key
from ui.text import t

WATER = {"en": "water", "id": "air"}
WELL = {"en": "well", "id": "sumur"}


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("who", ["you", "partner"])
@pytest.mark.parametrize(("took", "unpaid"), [(False, False), (True, False), (False, True), (True, True)])
def test_the_phone_says_exactly_what_was_done_with_the_agreement(lang, who, took, unpaid):
    """Took more water, did not pay for the well, both, or neither: the sentence names what was done and nothing
    else (it said "took more water, or did not pay for the well" for either, or both)."""
    words = t(conduct_key(who, (took, unpaid)), lang).lower()
    assert (WATER[lang] in words) == took, words
    assert (WELL[lang] in words) == unpaid, words
    assert " or " not in words and " atau " not in words
    if not (took or unpaid):
        assert words == t(f"room.result.{who}_kept", lang).lower()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_partners_first_need_is_told_in_the_partners_words(lang):
    """What the partner told is their own first need: "their share of the water", never the participant's "your
    share" (room.issue.* speak to the participant; the sentence said "what matters most to them: your share")."""
    from ui.room import ISSUES

    you = {"en": r"\byour?\b", "id": r"\bAnda\b"}[lang]
    for issue in ISSUES:
        told = t("room.partner.told", lang, first=t(f"room.partner_issue.{issue}", lang))
        assert not re.search(you, told.split(":", 1)[1]), told
