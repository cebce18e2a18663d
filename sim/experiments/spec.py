"""A sweep specification: which scenario, which settings vary and how, how many replications, what to keep.

Written as TOML::

    [sweep]
    scenario = "mixed_village"      # a preset id, or a path to a scenario file (relative to the spec)
    replications = 5
    master_seed = 42
    keep = "end"                    # "end": one row per run; "seasons": one row per run and season
    metrics = ["total_welfare", "collapsed"]   # optional: default, every recorded measure

    [sweep.sampling]
    method = "latin"                # grid | latin | sobol | morris
    samples = 64                    # points (latin), base samples (sobol), trajectories (morris)

    [parameters]
    "trust.initial" = { values = [0.2, 0.5, 0.8] }        # grid: the values
    "water.inflow" = { low = 0.7, high = 1.2, steps = 3 }  # grid: evenly spaced; sampled methods: the range

Parameters are any numeric model setting (``section.key``) or ``mix.<strategy>``, the relative weight of a strategy
in the starting mix.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sim.commons import CommonsConfig
from sim.errors import InputError
from sim.negotiation.strategies import REGISTRY
from sim.scenarios import (
    Scenario,
    ScenarioError,
    _describe_pydantic,
    _reject_non_finite,
    find_scenario,
    read_text,
    with_changes,
)

MAX_RUNS = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Strict):
    """How one setting varies: explicit ``values``, or a range ``low``..``high`` (with ``steps`` for a grid)."""

    values: tuple[float, ...] | None = Field(None, min_length=1, max_length=1000)
    low: float | None = None
    high: float | None = None
    steps: int | None = Field(None, ge=2, le=1000)

    @model_validator(mode="after")
    def _one_form(self) -> Parameter:
        if self.values is None and (self.low is None or self.high is None):
            raise ValueError("give either values = [...] or low and high")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    def grid(self) -> list[float]:
        if self.values is not None:
            return list(self.values)
        steps = self.steps or 3
        return [self.low + (self.high - self.low) * i / (steps - 1) for i in range(steps)]

    def bounds(self) -> tuple[float, float]:
        if self.low is not None and self.high is not None:
            return self.low, self.high
        return min(self.values), max(self.values)


class Sampling(_Strict):
    method: Literal["grid", "latin", "sobol", "morris"] = "grid"
    samples: int = Field(16, ge=1, le=100_000)
    levels: int = Field(4, ge=2, le=20, description="grid levels of a Morris design")


class SweepSettings(_Strict):
    scenario: str = Field(min_length=1, max_length=500)
    replications: int = Field(1, ge=1, le=10_000)
    master_seed: int = Field(0, ge=0, le=2**63 - 1)
    keep: Literal["end", "seasons"] = "end"
    metrics: tuple[str, ...] | None = None
    sampling: Sampling = Field(default_factory=Sampling)


class SweepSpec(_Strict):
    sweep: SweepSettings
    parameters: dict[str, Parameter] = Field(min_length=1)

    @field_validator("parameters")
    @classmethod
    def _known_settings(cls, value: dict[str, Parameter]) -> dict[str, Parameter]:
        for name in value:
            if name.startswith("mix."):
                if name[4:] not in REGISTRY:
                    raise ValueError(f"{name}: unknown strategy; known: {', '.join(REGISTRY)}")
            elif name.count(".") != 1:
                raise ValueError(f"{name}: a parameter is section.key (e.g. trust.initial) or mix.<strategy>")
        return value


class Sweep:
    """A validated sweep with its base scenario resolved."""

    def __init__(self, spec: SweepSpec, scenario: Scenario, text: str, base_dir: Path | None = None) -> None:
        self.spec = spec
        self.scenario = scenario
        self.text = text
        self.base_dir = base_dir
        self.names = list(spec.parameters)
        self._check_ranges()

    @property
    def settings(self) -> SweepSettings:
        return self.spec.sweep

    def apply(self, config: CommonsConfig, point: dict[str, float]) -> CommonsConfig:
        """The base scenario with one design point's settings (validated)."""
        changes: dict[str, object] = {}
        mix = dict(config.strategies.mix)
        for name, value in point.items():
            if name.startswith("mix."):
                mix[name[4:]] = float(value)
            else:
                changes[name] = _typed(config, name, value)
        if any(name.startswith("mix.") for name in point):
            changes["strategies.mix"] = mix
        return with_changes(config, changes, "sweep parameters")

    def _check_ranges(self) -> None:
        """Every parameter's extremes must be valid settings, so no run fails for a range the user mistyped."""
        base = self.scenario.config
        problems: list[tuple[str, str]] = []
        for name, parameter in self.spec.parameters.items():
            for value in (parameter.grid() if self.settings.sampling.method == "grid" else parameter.bounds()):
                try:
                    self.apply(base, {name: value})
                except ScenarioError as error:
                    problems += [(f"parameters.{name}", message.replace("you wrote", "the sweep reaches")) for _, message in error.problems]
                    break
                except InputError as error:
                    problems.append((f"parameters.{name}", str(error)))
                    break
        metrics = self.settings.metrics
        if metrics:
            from sim.commons import CommonsModel

            known = set(CommonsModel(with_changes(base, {"world.seasons": 1, "world.organisations": 2})).reporter_keys())
            unknown = [m for m in metrics if m not in known]
            if unknown:
                problems.append(("sweep.metrics", f"unknown {', '.join(unknown)}; known: {', '.join(sorted(known))}"))
        if problems:
            raise ScenarioError(problems, "sweep")


def _typed(config: CommonsConfig, name: str, value: float) -> object:
    section, _, key = name.partition(".")
    current = getattr(getattr(config, section, None), key, None)
    if isinstance(current, bool):
        return bool(round(value))
    if isinstance(current, int):
        return int(round(value))  # sampled designs give floats; integer settings take the nearest whole number
    return float(value)


def parse_sweep(text: str | bytes, source: str = "sweep", base_dir: Path | None = None) -> Sweep:
    """Parse and validate a sweep spec; problems come back as one ScenarioError listing each."""
    text = read_text(text, source, "sweep spec", "[sweep] and [parameters] tables")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([("file", f"is not valid TOML: {error}")], source) from None
    problems = _reject_non_finite(data)
    if problems:
        raise ScenarioError(problems, source)
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_describe_pydantic(error), source) from None
    scenario = find_scenario(spec.sweep.scenario, base_dir, field="sweep.scenario")
    return Sweep(spec, scenario, text, base_dir)


def load_sweep(path: str | Path) -> Sweep:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError([("file", f"cannot be read: {error.strerror or error}")], str(path)) from None
    return parse_sweep(raw, path.name, path.parent)
