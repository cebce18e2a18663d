"""Numbers as each language writes them, through Babel's locale data (CLDR), never by hand.

Indonesian writes a decimal comma and a thousands point (``1.234,5``); English the reverse. Every figure a
participant reads passes through here, so a test can check that the Indonesian page shows no decimal point.
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

LOCALES = {"en": "en_GB", "id": "id_ID"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x: float | None, lang: str, digits: int = 0) -> str:
    """``x`` with exactly ``digits`` decimals and the language's separators; a dash when there is no figure."""
    if _missing(x):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    value = round(float(x), digits) + 0.0  # + 0.0 turns -0.0 into 0.0: no "-0" on the page
    return format_decimal(value if value else 0.0, format=pattern, locale=_locale(lang))


def percent(x: float | None, lang: str) -> str:
    """A share as a whole percentage (0.273 -> 27%)."""
    if _missing(x):
        return "–"
    value = float(x)
    if -0.005 < value < 0.0:  # shown as a whole percentage it is 0: never "-0%"
        value = 0.0
    return format_percent(value, format="#,##0%", locale=_locale(lang))


def times(x: float, lang: str) -> str:
    """A ratio read aloud: one decimal (1,8 in Indonesian)."""
    return number(x, lang, 1)
