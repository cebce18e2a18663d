"""Numbers as each language writes them, and the room's QR code."""

from __future__ import annotations

import io

import pytest

from ui import fmt


@pytest.mark.parametrize(("value", "digits", "en", "id_"), [
    (1234.567, 1, "1,234.6", "1.234,6"),
    (0.27, 2, "0.27", "0,27"),
    (-76.4, 0, "-76", "-76"),
    (-0.001, 2, "0.00", "0,00"),  # never "-0"
])
def test_numbers(value, digits, en, id_):
    assert fmt.number(value, "en", digits) == en
    assert fmt.number(value, "id", digits) == id_


def test_percent_times_and_missing():
    assert fmt.percent(0.273, "id") == "27%"
    assert fmt.times(1.84, "id") == "1,8" and fmt.times(1.84, "en") == "1.8"
    assert fmt.number(float("nan"), "id") == "–" and fmt.percent(None, "en") == "–"


def test_the_qr_code_is_a_picture_large_enough_for_a_room():
    from PIL import Image  # Pillow comes with Streamlit

    from ui.share import qr_png

    image = Image.open(io.BytesIO(qr_png.__wrapped__("http://example.org/?lang=id&step=3")))
    assert image.format == "PNG" and image.size[0] == image.size[1] >= 200


def test_the_rooms_link_drops_the_facilitators_display_and_replaces_localhost():
    from ui.share import link_for

    link = link_for("http://localhost:8501/?x=1", {"lang": "id", "step": "3", "present": "1", "expert": "1"}, "192.168.1.20")
    assert link == "http://192.168.1.20:8501/?lang=id&step=3"
    assert link_for("https://rembug.example.org/", {"view": "compare"}, "10.0.0.2") == "https://rembug.example.org/?view=compare"
    assert link_for("http://127.0.0.1:8501", {}, None) == "http://127.0.0.1:8501/"  # no network: said on the page


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_share_that_rounds_to_nothing_is_0_percent_never_minus_0(lang):
    """A phone read "you harvested -0% of a full harvest" (a new user's trial): a small loss shown whole is 0%."""
    assert fmt.percent(-0.004, lang) == fmt.percent(0.0, lang) == "0%"
    assert fmt.percent(-0.006, lang) == "-1%"  # a loss that shows stays shown
