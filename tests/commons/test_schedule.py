"""The season's processes run in the order docs/model/ODD.md gives them (section 3), so ODD and code read side by side."""

from __future__ import annotations

import re
from pathlib import Path

from sim.commons import CommonsModel
from sim.scenarios import build_config

ODD = Path(__file__).resolve().parents[2] / "docs" / "model" / "ODD.md"


def odd_process_order() -> list[str]:
    """The method names section 3 of ODD names, in the order it names them (each process's first mention)."""
    text = ODD.read_text(encoding="utf-8")
    section = text[text.index("## 3. Process overview and scheduling"): text.index("## 4. Design concepts")]
    names = [m for m in re.findall(r"\(`([a-z_]+)`", section)]
    return list(dict.fromkeys(names))


def test_odd_names_the_processes_in_the_schedules_order():
    assert odd_process_order() == list(CommonsModel.SCHEDULE)


def run_recording(config, seasons: int, planner: bool = False) -> list[list[str]]:
    model = CommonsModel(config, planner=planner)
    calls: list[str] = []
    for name in CommonsModel.SCHEDULE:
        method = getattr(model, name)

        def recorded(*args, _method=method, _name=name, **kwargs):
            calls.append(_name)
            return _method(*args, **kwargs)

        setattr(model, name, recorded)
    seasons_calls = []
    for _ in range(seasons):
        calls.clear()
        model.step()
        seasons_calls.append(list(calls))
    return seasons_calls


def test_step_runs_the_processes_in_that_order():
    """A meeting season runs all five; the term's other season skips the meeting; the planner neither learns nor
    updates trust; and the season is recorded last, after trust and learning have moved."""
    config = build_config({"world": {"organisations": 10, "seasons": 4}, "learning": {"rate": 0.5},
                           "negotiation": {"term": 2}})
    seasons = run_recording(config, 4)
    assert seasons[0] == list(CommonsModel.SCHEDULE)
    assert seasons[1] == [p for p in CommonsModel.SCHEDULE if p != "meet"]
    assert seasons[2] == list(CommonsModel.SCHEDULE)
    planner = run_recording(config, 2, planner=True)
    assert planner[0] == ["meet", "act", "record"]


def test_the_record_shows_trust_as_the_season_ends():
    """Recorded trust between partners is the trust after this season's update, not before it."""
    config = build_config({"world": {"organisations": 20, "seasons": 3, "seed": 4}})
    model = CommonsModel(config)
    for _ in range(3):
        model.step()
        assert model.last["mean_trust"] == model.trust_between_partners()
