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
