"""Participants' names: what a room accepts, and which names it refuses as look-alikes of one already there.

A name is shown on the projector to the whole room and in the debrief, so it must be one person's, readable, and
impossible to pass off as another's. What a phone sends is made a name in three steps:

1. NFKC normalisation: full-width ``Ｂｕｄｉ`` is ``Budi``, ligatures and compatibility forms become plain letters;
2. everything that shows nothing is removed: control and format characters, Unicode's default-ignorable code points
   (zero-width spaces and joiners, variation selectors, Hangul fillers, ...), and blanks that are not spaces (the
   Braille blank U+2800); runs of spaces become one space; long stacks of combining marks are cut;
3. 1 to :data:`MAX_NAME` characters, counted after the first two steps.

Two names are look-alikes when their UTS #39 confusable skeletons are equal, as ICU's SpoofChecker computes them, or
equal after case folding: ``Вudi`` (Cyrillic В) and ``BUD1`` beside ``Budi``/``BUDI``. The name is stored as
normalised, and every page shows it as text (never Markdown, LaTeX or HTML: see ``ui.room.plain``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MAX_NAME = 24
MAX_MARKS = 2  # combining marks kept on one letter (Vietnamese needs two; "zalgo" text stacks dozens)

BLANKS = frozenset({0x2800, 0x3164, 0x115F, 0x1160, 0xFFA0, 0x1CBB, 0x1CBC})
"""Characters that draw nothing but are not in category C: the Braille blank, Hangul fillers and the like."""

_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
"""Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt): characters a renderer shows as nothing."""


class BadName(ValueError):
    """A name a room cannot take; the message names the field and says what to do (``name: ...``)."""


def _ignorable(ch: str) -> bool:
    point = ord(ch)
    return any(low <= point <= high for low, high in _IGNORABLE) or point in BLANKS


def normalise(raw: str) -> str:
    """What a typed name becomes (steps 1 and 2 of the module docstring), before its length is checked."""
    text = unicodedata.normalize("NFKC", str(raw))
    out: list[str] = []
    marks = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category.startswith("Z") or ch in "\t\n\r\v\f":
            if out and out[-1] != " ":
                out.append(" ")
            marks = 0
            continue
        if category.startswith("C") or _ignorable(ch):
            continue
        if category.startswith("M"):
            marks += 1
            if marks > MAX_MARKS or not out:
                continue
        else:
            marks = 0
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out).strip())


def clean(raw: str) -> str:
    """A name a room can take, or :class:`BadName` with a message that says how long it may be."""
    name = normalise(raw)
    if not name:
        raise BadName(f"name: write a name of 1 to {MAX_NAME} characters")
    if len(name) > MAX_NAME:
        raise BadName(f"name: at most {MAX_NAME} characters; yours has {len(name)}")
    return name


@lru_cache(maxsize=1)
def _checker():
    import icu  # PyICU: ICU's own UTS #39 implementation and confusables data

    return icu.SpoofChecker()


@lru_cache(maxsize=4096)
def skeleton(name: str) -> str:
    """The UTS #39 confusable skeleton of ``name`` (two names that look alike have the same one)."""
    return _checker().getSkeleton(0, name)


def looks_like(name: str, other: str) -> bool:
    """Whether two names could be taken for each other on a projector: the same letters in another case, or the
    same confusable skeleton (in either case)."""
    a, b = normalise(name), normalise(other)
    if a.casefold() == b.casefold():
        return True
    return skeleton(a) == skeleton(b) or skeleton(a.casefold()) == skeleton(b.casefold())
