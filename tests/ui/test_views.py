"""The comparison's sentence says how expanding compares with slicing, truthfully in every case."""

from __future__ import annotations

import pytest

from ui.views import welfare_difference


@pytest.mark.parametrize(
    ("expand", "slice_", "en", "id_"),
    [
        (1200, 500, "2.4 times", "2,4 kali"),
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


def test_validation_messages_in_indonesian():
    from ui.text import problem_text

    assert problem_text("Input should be less than or equal to 5; you wrote 9", "id") == (
        "harus lebih kecil dari atau sama dengan 5; Anda menulis 9")
    assert problem_text("Input should be less than or equal to 5; you wrote 9", "en").startswith("Input should")
    assert problem_text("something new", "id") == "something new"  # never lost


def test_the_gap_between_best_and_worst_off_quarters():
    import pandas as pd

    from ui.views import quarter_gap

    orgs = pd.DataFrame({"organisation": [0, 1, 2, 3, 0, 1, 2, 3], "payoff": [1, 2, 3, 4, 1, 2, 3, 4]})
    assert quarter_gap(orgs) == 4.0
    orgs.loc[orgs.organisation == 0, "payoff"] = -1
    assert quarter_gap(orgs) != quarter_gap(orgs)  # NaN: no ratio of a loss



def test_the_data_table_shows_each_column_in_the_unit_its_name_says():
    from sim.scenarios import build_config
    from ui.runs import simulate
    from ui.views import DATA_COLUMNS, data_table, village_harvest

    config = build_config({"world": {"organisations": 12, "seasons": 6}})
    run = simulate.__wrapped__(config.model_dump_json())
    shown = data_table(run, config, "en")
    assert len(shown.columns) == len(DATA_COLUMNS) and len(shown) == 6
    first = run.seasons.iloc[0]
    need = run.organisations[run.organisations.season == 0].need.sum()
    assert shown["Net harvest (% of a full harvest)"][0] == f"{first.total_welfare / village_harvest(config):.0%}"
    assert shown["Water the river brought (% of what all need)"][0] == f"{first.inflow / need:.0%}"
    assert shown["Trust between partners (%)"][0] == f"{first.mean_trust:.0%}"
    assert shown["Season"].tolist() == [str(s) for s in range(6)]
    expert = data_table(run, config, "en", expert=True)
    assert list(expert.columns) == list(DATA_COLUMNS)
