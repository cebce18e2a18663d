"""Outcome measures a researcher defines, beside the built-in ones of :mod:`sim.measures`.

In a sweep file, an ``[outcomes]`` table names each one and says what it is::

    [outcomes]
    net_harvest = { season = "harvest - labour - conflict" }          # a new season measure, every season
    well_share = { season = "invested / (harvest + 1e-9)", over = ["mean", "end"] }
    welfare_per_season = { run = "total_welfare_sum / 40" }            # a run measure, from run measures

A *season* outcome is an expression over the season table's measures, worked out every season; like a built-in
season measure it is kept per season (``keep = "seasons"``) and summarised over the run as ``NAME_sum``,
``NAME_mean``, ``NAME_end`` (or what ``over`` asks for: sum, mean, end, max). A *run* outcome is an expression over
run measures (built-in or custom), one value per run. From Python, ``sim.sweep(spec, outcomes={"NAME": function})``
adds run outcomes that are functions of a run's season table (``function(seasons) -> float``; with workers, a
function defined at module level, so that it can be sent to them).

Every outcome is computed inside the run, beside the built-in measures, so the results table holds it like any
other measure: ``analyze`` summarises it, draws it and gives its indices, and ``discover`` can ask where it is low.
Expressions are those of :mod:`sim.experiments.expressions`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.experiments.expressions import Expression
from sim.measures import HOW, RUN_MEASURES, SEASON_MEASURES

HOWS = ("sum", "mean", "end", "max")
DEFAULT_OVER = ("sum", "mean", "end")


@dataclass(frozen=True)
class Outcome:
    """One custom outcome: a season expression, a run expression, or a Python function of the season table."""

    name: str
    per: str  # "season" | "run"
    text: str = ""  # the expression, as written
    over: tuple[str, ...] = ()  # season outcomes: how they are summarised over a run
    function: Callable[[pd.DataFrame], float] | None = field(default=None, compare=False)

    @property
    def columns(self) -> list[str]:
        """The run measures it gives (one per run)."""
        return [f"{self.name}_{how}" for how in self.over] if self.per == "season" else [self.name]

    def describe(self) -> str:
        if self.function is not None:
            return f"custom: Python {getattr(self.function, '__module__', '?')}.{getattr(self.function, '__qualname__', '?')}"
        return f"custom ({self.per} outcome): {self.text}"

    def record(self) -> dict:
        """What a manifest keeps of it (a function by its name: resuming with another one is refused)."""
        if self.function is not None:
            return {"per": "run", "python": self.describe().removeprefix("custom: Python ")}
        return {"per": self.per, "expression": self.text, **({"over": list(self.over)} if self.over else {})}


def parse_outcomes(raw: Any, problems: list[tuple[str, str]]) -> dict[str, Outcome]:
    """The ``[outcomes]`` table of a sweep file, checked: names that are new, expressions over known measures."""
    from sim.suggest import did_you_mean

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(("outcomes", 'must be a table: [outcomes] with NAME = { run = "..." } or { season = "..." }'))
        return {}
    found: dict[str, Outcome] = {}
    season_known = set(SEASON_MEASURES)
    run_known = set(RUN_MEASURES)
    for name, spec in raw.items():
        where = f"outcomes.{name}"
        if not name.isidentifier() or name.startswith("_"):
            problems.append((where, "a name is letters, digits and _ (e.g. net_harvest)"))
            continue
        if name in SEASON_MEASURES or name in RUN_MEASURES:
            problems.append((where, f"is a built-in measure already; choose another name"))
            continue
        if not isinstance(spec, dict) or len({"run", "season"} & set(spec)) != 1:
            problems.append((where, 'give one of run = "expression over run measures" or season = "expression over '
                                    'season measures"'))
            continue
        extra = set(spec) - {"run", "season", "over"}
        if extra:
            problems.append((where, f"{', '.join(sorted(extra))} is not a key of an outcome{did_you_mean(sorted(extra)[0], ['run', 'season', 'over'])} (allowed: run, season, over)"))
            continue
        per = "season" if "season" in spec else "run"
        over = spec.get("over", list(DEFAULT_OVER) if per == "season" else [])
        if per == "run" and "over" in spec:
            problems.append((f"{where}.over", "applies to season outcomes only"))
            continue
        if per == "season" and (not isinstance(over, list) or not over or any(h not in HOWS for h in over)):
            problems.append((f"{where}.over", f"{over!r}: a list of {', '.join(HOWS)}"))
            continue
        try:
            expression = Expression(spec[per], f"{where}.{per}")
            expression.check_names(season_known if per == "season" else run_known,
                                   "a season measure (or an earlier season outcome)" if per == "season"
                                   else "a run measure (or an earlier outcome)")
        except InputError as error:
            problems.append((error.field, error.problem + (f" (allowed: {error.allowed})" if error.allowed and
                                                            "did you mean" not in error.problem else "")))
            continue
        outcome = Outcome(name, per, expression.text, tuple(dict.fromkeys(over)))
        found[name] = outcome
        if per == "season":
            season_known.add(name)
            run_known.update(outcome.columns)
        else:
            run_known.add(name)
    return found


def python_outcomes(functions: Mapping[str, Callable] | None, existing: Mapping[str, Outcome]) -> dict[str, Outcome]:
    """Run outcomes given as Python functions of the season table (``sim.sweep(..., outcomes={...})``)."""
    found: dict[str, Outcome] = {}
    for name, function in (functions or {}).items():
        if not isinstance(name, str) or not name.isidentifier():
            raise InputError("outcomes", f"{name!r} is not a name", "letters, digits and _")
        if name in existing or name in SEASON_MEASURES or name in RUN_MEASURES:
            raise InputError("outcomes", f"{name!r} is already a measure or an outcome of the sweep file", "a new name")
        if not callable(function):
            raise InputError(f"outcomes.{name}", f"{function!r} is not a function", "a function of the season table")
        found[name] = Outcome(name, "run", function=function)
    return found


def _summaries(values: np.ndarray, hows: tuple[str, ...]) -> list[float]:
    """A season outcome over one run, as sim.measures summarises a built-in one (NaN skipped, except at the end)."""
    finite = values[~np.isnan(values)]
    out = []
    for how in hows:
        if how == "end":
            out.append(float(values[-1]) if values.size else float("nan"))
        elif finite.size == 0:
            out.append(float("nan"))
        else:
            out.append(float({"sum": finite.sum, "mean": finite.mean, "max": finite.max}[how]()))
    return out


def add_season_outcomes(seasons: pd.DataFrame, outcomes: Mapping[str, Outcome]) -> pd.DataFrame:
    """The season table with every season outcome as a column (in the order they were written)."""
    out = seasons
    for outcome in outcomes.values():
        if outcome.per == "season":
            if out is seasons:
                out = seasons.copy()
            out[outcome.name] = np.asarray(Expression(outcome.text, f"outcomes.{outcome.name}").evaluate(out),
                                           dtype=float) * np.ones(len(out))
    return out


def run_outcomes(seasons: pd.DataFrame, run_row: dict[str, float], outcomes: Mapping[str, Outcome]) -> dict[str, float]:
    """Every custom run measure of one run: season outcomes summarised, run expressions, Python functions."""
    values: dict[str, float] = {}
    for outcome in outcomes.values():
        if outcome.per == "season":
            column = seasons[outcome.name].to_numpy(dtype=float)
            values.update(zip(outcome.columns, _summaries(column, outcome.over), strict=True))
        elif outcome.function is not None:
            values[outcome.name] = float(outcome.function(seasons))
        else:
            known = {**run_row, **values}
            result = Expression(outcome.text, f"outcomes.{outcome.name}").evaluate(
                {k: np.array([v], dtype=float) for k, v in known.items()})
            values[outcome.name] = float(np.asarray(result, dtype=float).reshape(-1)[0])
    return values


def describe(outcomes: Mapping[str, Outcome]) -> dict[str, str]:
    """Each custom run measure's meaning, for legends and labels."""
    meanings: dict[str, str] = {}
    for outcome in outcomes.values():
        if outcome.per == "season":
            for how, column in zip(outcome.over, outcome.columns, strict=True):
                meanings[column] = f"{outcome.describe()}, {HOW[how][0]}"
            meanings[outcome.name] = outcome.describe()
        else:
            meanings[outcome.name] = outcome.describe()
    return meanings
