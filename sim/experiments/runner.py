"""Running one run of a sweep: a pure function of its settings and seed, safe to ship to any worker process.

A run that raises is returned as a row with ``status = "error"`` and the error, so a sweep goes on and the failure is
recorded with its parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.commons import CommonsConfig, CommonsModel


@dataclass(frozen=True)
class RunTask:
    run: int
    point: int
    replication: int
    seed: int
    settings: tuple[tuple[str, float], ...]  # the design point: (parameter, value)


@dataclass(frozen=True)
class RunContext:
    """What every run of a sweep shares (sent once per batch)."""

    base_config_json: str
    keep: str  # "end" or "seasons"
    metrics: tuple[str, ...] | None
    sweep_text: str  # to rebuild the parameter mapping in the worker
    base_dir: str | None


def execute(context: RunContext, tasks: list[RunTask]) -> pd.DataFrame:
    """Run ``tasks`` and return their rows (one per run, or per run and season)."""
    from pathlib import Path

    from sim.experiments.spec import parse_sweep

    sweep = parse_sweep(context.sweep_text, "sweep", Path(context.base_dir) if context.base_dir else None)
    base = CommonsConfig.model_validate_json(context.base_config_json)
    frames = []
    for task in tasks:
        identity = {"run": task.run, "point": task.point, "replication": task.replication, "seed": task.seed}
        identity.update(dict(task.settings))
        try:
            config = sweep.apply(base, dict(task.settings))
            config = config.model_copy(update={"world": config.world.model_copy(update={"seed": task.seed})})
            table = CommonsModel(config).run().season_table()
            if context.metrics:
                table = table[["season", *context.metrics]]
            if context.keep == "end":
                table = table.iloc[[-1]]
            frame = table.reset_index(drop=True)
            for key, value in reversed(list(identity.items())):
                frame.insert(0, key, value)
            frame["status"] = "ok"
            frame["error"] = ""
        except Exception as error:  # recorded with its parameters; the sweep goes on
            frame = pd.DataFrame([{**identity, "season": np.nan, "status": "error", "error": f"{type(error).__name__}: {error}"}])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
