"""The comparison's sentence says how expanding compares with slicing, truthfully in every case."""

from __future__ import annotations

import pytest

from ui.views import welfare_difference


@pytest.mark.parametrize(
    ("expand", "slice_", "en", "id_"),
    [
        (1200, 500, "2.4 times", "2.4 kali"),
        (620, 594, "4% more than", "4% lebih besar"),
        (450, 600, "25% less than", "25% lebih kecil"),
        (601, 600, "about the same as", "kurang lebih sama"),
        (300, -40, "more than", "lebih besar"),  # no ratio of a loss
        (-80, -40, "less than", "lebih kecil"),
        (0, 0, "about the same as", "kurang lebih sama"),
    ],
)
def test_welfare_difference(expand, slice_, en, id_):
    assert welfare_difference(expand, slice_, "en") == en
    assert welfare_difference(expand, slice_, "id") == id_
