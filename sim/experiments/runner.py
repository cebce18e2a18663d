"""Running one run of a sweep: a pure function of its settings and seed, safe to ship to any worker process.

A run that raises is returned as a row with ``status = "error"`` and the error, so a sweep goes on and the failure is
recorded with its parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.commons import CommonsConfig, CommonsModel
from sim.measures import SEASON_MEASURES, run_measures
from sim.settings import apply

Value = bool | int | float | str


@dataclass(frozen=True)
class RunTask:
    run: int
    point: int
    replication: int
    seed: int
    settings: tuple[tuple[str, Value], ...]  # the design point: (parameter, value), values of the setting's type


@dataclass(frozen=True)
class RunContext:
    """What every run of a sweep shares (sent once per batch)."""

    base_config_json: str
    keep: str  # "end": run measures, one row per run; "seasons": season measures, one row per season
    measures: tuple[str, ...]  # the measures kept (run or season measures, as ``keep`` says)


def execute(context: RunContext, tasks: list[RunTask]) -> pd.DataFrame:
    """Run ``tasks`` and return their rows (one per run, or per run and season)."""
    base = CommonsConfig.model_validate_json(context.base_config_json)
    frames = []
    for task in tasks:
        identity = {"run": task.run, "point": task.point, "replication": task.replication, "seed": task.seed}
        identity.update(dict(task.settings))
        try:
            config = apply(base, {**dict(task.settings), "world.seed": task.seed}, "sweep parameters")
            seasons = CommonsModel(config).run().season_table()
            if context.keep == "end":
                frame = run_measures(seasons, list(context.measures))
            else:
                kept = [m for m in context.measures if m in SEASON_MEASURES and m in seasons.columns]
                frame = seasons[["season", *kept]].reset_index(drop=True)
            for key, value in reversed(list(identity.items())):
                frame.insert(0, key, value)
            frame["status"] = "ok"
            frame["error"] = ""
        except Exception as error:  # recorded with its parameters; the sweep goes on
            frame = pd.DataFrame([{**identity, "status": "error", "error": f"{type(error).__name__}: {error}"}])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
