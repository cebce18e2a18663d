"""Names a room takes (issue 20, finding 7): one person's, readable, and never a look-alike of one already there."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rooms.names import MAX_NAME, BadName, clean, looks_like, normalise


@pytest.mark.parametrize("typed, name", [
    ("Ｂｕｄｉ", "Budi"),  # full-width letters are the same letters (NFKC)
    ("Budi\u2800", "Budi"),  # the Braille blank draws nothing
    ("Bu\u200bdi\u200d", "Budi"),  # zero-width space and joiner
    ("\u3164Budi", "Budi"),  # a Hangul filler
    ("Bu\x00di\x07", "Budi"),  # control characters
    ("  Bu   Sri\t", "Bu Sri"),  # runs of spaces are one space
    ("ﬁtri", "fitri"),  # a ligature
    ("Nguyễn", "Nguyễn"),  # letters with marks stay
    ("$x^2$ :skull:", "$x^2$ :skull:"),  # kept as typed: pages show it as text
])
def test_a_name_is_normalised_and_nothing_invisible_is_kept(typed, name):
    assert clean(typed) == name


def test_stacks_of_combining_marks_are_cut():
    import unicodedata

    for stacked in ("a" + "\u0300" * 40, "e" + "\u0301\u0300\u0302\u0303" * 5):
        assert len(unicodedata.normalize("NFD", normalise(stacked))) <= 4  # the letter, its own mark and two more


@pytest.mark.parametrize("typed", ["", "   ", "\u200b\u2800", "\x00"])
def test_an_empty_name_is_refused_with_what_to_write(typed):
    with pytest.raises(BadName, match=f"name: write a name of 1 to {MAX_NAME} characters"):
        clean(typed)


def test_a_long_name_is_refused_with_how_long_it_is():
    with pytest.raises(BadName, match=f"name: at most {MAX_NAME} characters; yours has 31"):
        clean("Bapak Budi Santoso dari Sumbawa")


@pytest.mark.parametrize("other", ["Вudi", "Ｂｕｄｉ", "Budi\u2800", "budi", "BUDI", "Bud\u0456"])
def test_look_alikes_of_a_name_are_found(other):
    assert looks_like(other, "Budi")


def test_look_alikes_by_skeleton_in_capitals():
    assert looks_like("BUD1", "BUDI")  # digit one and capital I share a skeleton
    assert looks_like("rnaya", "maya")  # r+n looks like m


@pytest.mark.parametrize("other", ["Bud", "Budiman", "Ani", "Bu Sri", "Dewi"])
def test_different_names_are_not_look_alikes(other):
    assert not looks_like(other, "Budi")


@given(st.text(max_size=40))
def test_normalising_is_idempotent_and_leaves_nothing_invisible(raw):
    once = normalise(raw)
    assert normalise(once) == once
    assert once == once.strip() and "  " not in once
    assert not any(ch in once for ch in "\u200b\u200c\u200d\u2060\ufeff\u2800\x00")
