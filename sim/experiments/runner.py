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
    policies: tuple[tuple[str, tuple[tuple[str, Value], ...]], ...] = ()  # each run is run under each, same seed
    outcomes: tuple = ()  # sim.experiments.outcomes.Outcome, computed in the run beside the built-in measures


def _measure(context: RunContext, seasons: pd.DataFrame, outcomes: dict) -> pd.DataFrame:
    """One run's rows: its run measures (keep = "end") or its seasons (keep = "seasons"), with custom outcomes."""
    from sim.experiments.outcomes import add_season_outcomes, run_outcomes

    seasons = add_season_outcomes(seasons, outcomes)
    if context.keep == "end":
        frame = run_measures(seasons, None if outcomes else list(context.measures))
        if outcomes:
            custom = run_outcomes(seasons, frame.iloc[0].to_dict(), outcomes)
            frame = frame[[m for m in context.measures if m in frame]].assign(**custom)
        return frame
    kept = [m for m in context.measures if m in SEASON_MEASURES and m in seasons.columns]
    frame = seasons[["season", *kept, *(o.name for o in outcomes.values() if o.per == "season")]].reset_index(drop=True)
    runs_level = [o for o in outcomes.values() if o.per == "run"]
    if runs_level:  # a run outcome is one value per run: every season row of the run carries it
        custom = run_outcomes(seasons, run_measures(seasons).iloc[0].to_dict(), outcomes)
        frame = frame.assign(**{o.name: custom[o.name] for o in runs_level})
    return frame


def execute(context: RunContext, tasks: list[RunTask]) -> pd.DataFrame:
    """Run ``tasks`` and return their rows (one per run, or per run and season; under each policy, if any)."""
    base = CommonsConfig.model_validate_json(context.base_config_json)
    outcomes = {o.name: o for o in context.outcomes}
    policies = context.policies or ((None, ()),)
    frames = []
    for task in tasks:
        for policy, policy_settings in policies:
            identity = {"run": task.run, "point": task.point, "replication": task.replication, "seed": task.seed}
            if policy is not None:
                identity["policy"] = policy
            identity.update(dict(task.settings))
            try:
                changes = {**dict(task.settings), **dict(policy_settings), "world.seed": task.seed}
                seasons = CommonsModel(apply(base, changes, "sweep parameters")).run().season_table()
                frame = _measure(context, seasons, outcomes)
                for key, value in reversed(list(identity.items())):
                    frame.insert(0, key, value)
                frame["status"] = "ok"
                frame["error"] = ""
            except Exception as error:  # recorded with its parameters; the sweep goes on
                frame = pd.DataFrame([{**identity, "status": "error", "error": f"{type(error).__name__}: {error}"}])
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)
