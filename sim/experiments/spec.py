"""A sweep specification: which scenario, which settings vary and how, how many replications, what to keep.

Written as TOML (``sweeps/`` has three complete examples)::

    [sweep]
    scenario = "mixed_village"      # a preset id, or a path to a scenario file (relative to the spec)
    replications = 5
    master_seed = 42
    keep = "end"                    # "end": one row per run (run measures); "seasons": one row per run and season
    metrics = ["total_welfare", "collapsed"]   # optional: default, every measure (see sim.measures)

    [sweep.sampling]
    method = "grid"                 # grid | latin | sobol | morris
    samples = 64                    # points (latin), base samples (sobol: a power of two), trajectories (morris)

    [parameters]
    "trust.initial" = { values = [0.2, 0.5, 0.8] }        # explicit values, of the setting's own type
    "water.inflow" = { low = 0.7, high = 1.2, levels = 3 } # a range: a grid needs levels; other methods sample it
    "negotiation.matching" = { values = ["random", "neighbours"] }
    "backbone.present" = { values = [false, true] }

Two optional tables::

    [policies.expand]                # every run is run once under each policy, with the same seed (common random
    "mix.integrative" = 1.0          # numbers), so policies are compared world by world; the table gets a policy
    "mix.distributive" = 0.0         # column. (EMA Workbench's word: uncertainties are sampled, policies compared.)
    [policies.slice]
    "mix.integrative" = 0.0
    "mix.distributive" = 1.0

    [outcomes]                       # measures of your own (sim.experiments.outcomes)
    net_harvest = { season = "harvest - labour - conflict" }
    welfare_per_season = { run = "total_welfare_sum / 40" }

Parameters are the keys of ``rembug settings``: ``section.key`` or ``mix.<strategy>`` (a strategy's weight in the
starting mix). Values keep their type: whole numbers stay whole, yes/no settings stay true or false, and choices
stay words, in the design and in the results table. In a sampled design (latin, sobol, morris) a range of a number
is sampled continuously, and a list of values (or a range of whole numbers) is sampled as equally likely levels.

Every problem in a file is reported at once: the table layout, the scenario, each parameter's key, type and range,
and the measures.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.commons import CommonsConfig
from sim.measures import MEASURES, RUN_MEASURES, SEASON_MEASURES
from sim.scenarios import (
    Scenario,
    ScenarioError,
    _describe_pydantic,
    _reject_non_finite,
    default_scenario,
    find_scenario,
    read_text,
    validate_table,
)
from sim.settings import SETTINGS, Setting, apply

MAX_RUNS = 1_000_000
Value = bool | int | float | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class _RawParameter(_Strict):
    values: tuple[Value, ...] | None = Field(None, min_length=1, max_length=1000)
    low: float | None = None
    high: float | None = None
    levels: int | None = Field(None, ge=2, le=1000)


@dataclass(frozen=True)
class Parameter:
    """One setting a sweep varies, with its type: explicit ``values``, or a range ``low``..``high``."""

    key: str
    kind: str  # the setting's kind: number | whole number | yes/no | choice
    values: tuple[Value, ...] | None = None
    low: float | None = None
    high: float | None = None
    levels: int | None = None

    @property
    def continuous(self) -> bool:
        """A range of a real number: sampled designs draw any value in it."""
        return self.values is None and self.kind == "number"

    def grid(self) -> list[Value]:
        """The values a grid takes."""
        if self.values is not None:
            return list(self.values)
        assert self.levels is not None and self.low is not None and self.high is not None  # checked on parsing
        points = [self.low + (self.high - self.low) * i / (self.levels - 1) for i in range(self.levels)]
        # 12 significant digits: 0.1 .. 0.9 in 5 levels gives 0.3, not 0.30000000000000004, in every table and key
        return [int(round(p)) for p in points] if self.kind == "whole number" else [float(f"{p:.12g}") for p in points]

    def choices(self) -> list[Value]:
        """The levels a sampled design picks from (a discrete parameter)."""
        if self.values is not None:
            return list(self.values)
        return list(range(int(self.low), int(self.high) + 1))

    def bounds(self) -> tuple[float, float]:
        """What SALib samples: the range of a real number, else [0, 1] mapped to equally likely levels."""
        return (self.low, self.high) if self.continuous else (0.0, 1.0)

    def varies(self) -> bool:
        return (self.low is not None and self.low < self.high) or len(set(self.values or ())) > 1

    def from_unit(self, column: np.ndarray) -> list[Value]:
        """Sampled numbers in :meth:`bounds` as the setting's values."""
        if self.continuous:
            return [float(v) for v in column]
        levels = self.choices()
        index = np.minimum((np.asarray(column, dtype=float) * len(levels)).astype(int), len(levels) - 1)
        return [levels[i] for i in index]


class Sweep:
    """A validated sweep with its base scenario resolved. ``notes`` says what was adjusted (and why)."""

    def __init__(self, settings: SweepSettings, parameters: dict[str, Parameter], scenario: Scenario, text: str,
                 base_dir: Path | None = None, notes: list[str] | None = None,
                 policies: dict[str, dict[str, Value]] | None = None, outcomes: dict | None = None) -> None:
        self.spec_settings = settings
        self.parameters = parameters
        self.policies = policies or {}  # name -> settings; every run is run under each, with its seed
        self.outcomes = outcomes or {}  # name -> sim.experiments.outcomes.Outcome
        self.scenario = scenario
        self.text = text
        self.base_dir = base_dir
        self.names = list(parameters)
        self.notes = notes or []

    @property
    def settings(self) -> SweepSettings:
        return self.spec_settings

    @property
    def samples(self) -> int:
        """Samples the design uses: Sobol's rounded up to a power of two (see ``notes``)."""
        n = self.settings.sampling.samples
        return 1 << (n - 1).bit_length() if self.settings.sampling.method == "sobol" else n

    def apply(self, config: CommonsConfig, point: dict[str, Value]) -> CommonsConfig:
        """The base scenario with one design point's settings (validated)."""
        return apply(config, point, "sweep parameters")

    def with_outcomes(self, functions) -> Sweep:
        """This sweep with run outcomes given as Python functions of the season table (see
        sim.experiments.outcomes)."""
        from sim.experiments.outcomes import python_outcomes

        if not functions:
            return self
        added = python_outcomes(functions, self.outcomes)
        return Sweep(self.spec_settings, self.parameters, self.scenario, self.text, self.base_dir, self.notes,
                     self.policies, {**self.outcomes, **added})

    @property
    def policy_names(self) -> list[str]:
        return list(self.policies)

    def kept(self) -> list[str]:
        """The measures each run keeps: run measures (keep = "end") or season measures (keep = "seasons")."""
        from sim.measures import run_names_for, season_names_for

        metrics = self.settings.metrics
        if self.settings.keep == "seasons":
            return season_names_for(metrics) if metrics else list(SEASON_MEASURES)
        return run_names_for(metrics) if metrics else list(RUN_MEASURES)


def _parameter(key: str, raw: Any, method: str) -> tuple[Parameter | None, list[tuple[str, str]]]:
    """A typed parameter, or the problems with its form and type (all of them; ranges are checked later)."""
    field = f"parameters.{key}"
    setting: Setting | None = SETTINGS.get(key)
    problems: list[tuple[str, str]] = []
    if setting is None:
        from sim.settings import not_a_setting

        problems.append((field, not_a_setting(key)))
    elif setting.kind in ("weights", "shares"):
        problems.append((field, f"cannot be swept as a whole; sweep its parts ({', '.join(k for k in SETTINGS if k.startswith('mix.'))})"
                         if key == "strategies.mix" else "cannot be swept (four weights that must sum to 1)"))
    if isinstance(raw, dict) and "steps" in raw:
        problems.append((f"{field}.steps", "is now called levels: write levels = N (how many evenly spaced values)"))
        raw = {k: v for k, v in raw.items() if k != "steps"}
    try:
        parsed = _RawParameter.model_validate(raw)
    except ValidationError as error:
        return None, problems + _describe_pydantic(error, ("parameters", key))
    if parsed.values is None and (parsed.low is None or parsed.high is None):
        problems.append((field, "give either values = [...] or low and high"))
    if parsed.values is not None and (parsed.low is not None or parsed.high is not None):
        problems.append((field, "give values = [...] or low and high, not both"))
    if parsed.low is not None and parsed.high is not None and not parsed.low < parsed.high:
        problems.append((field, f"low ({parsed.low:g}) must be below high ({parsed.high:g})"))
    if setting is None or problems:
        return None, problems
    kind = setting.kind
    values = parsed.values
    if values is not None:
        typed = []
        for v in values:
            ok = {
                "number": isinstance(v, (int, float)) and not isinstance(v, bool),
                "whole number": (isinstance(v, int) and not isinstance(v, bool))
                or (isinstance(v, float) and v.is_integer()),
                "yes/no": isinstance(v, bool),
                "choice": isinstance(v, str) and v in setting.choices,
            }[kind]
            if not ok:
                problems.append((field, f"{v!r} is not {_kind_text(setting)}"))
                continue
            typed.append(int(v) if kind == "whole number" else float(v) if kind == "number" else v)
        values = tuple(typed)
    elif kind in ("yes/no", "choice"):
        problems.append((field, f"is {_kind_text(setting)}: list them, values = [{_example(setting)}]"))
    elif kind == "whole number" and not (float(parsed.low).is_integer() and float(parsed.high).is_integer()):
        problems.append((field, f"is a whole number: low and high must be whole ({parsed.low:g}, {parsed.high:g})"))
    if problems:
        return None, problems
    parameter = Parameter(key, kind, values, parsed.low, parsed.high, parsed.levels)
    if method == "grid" and values is None:
        if parsed.levels is None:
            return None, [(field, f"a grid over low..high needs levels = N, how many evenly spaced values from "
                                  f"{parsed.low:g} to {parsed.high:g} (e.g. levels = 5)")]
        grid = parameter.grid()
        if len(set(grid)) < len(grid):
            return None, [(field, f"{parsed.levels} levels of a whole number from {parsed.low:g} to {parsed.high:g} "
                                  f"repeat values; use at most {int(parsed.high - parsed.low) + 1}")]
    return parameter, problems


def _written_method(raw_settings: Any) -> str:
    """The design the file asks for even when [sweep] has other problems, so a Sobol file with, say, replications = 0
    is not also told that its ranges need grid levels."""
    sampling = raw_settings.get("sampling") if isinstance(raw_settings, dict) else None
    method = sampling.get("method") if isinstance(sampling, dict) else None
    return method if method in ("grid", "latin", "sobol", "morris") else "grid"


def _check_range(parameter: Parameter, method: str, base: CommonsConfig) -> list[tuple[str, str]]:
    """Every value the sweep can reach must be a valid setting (with the sweep's constants applied), so no run fails
    for a range the user mistyped."""
    extremes = parameter.grid() if method == "grid" else (
        parameter.choices() if not parameter.continuous else [parameter.low, parameter.high])
    if parameter.values is None and parameter.low is not None:  # a range: its ends first, as the user wrote them
        extremes = [parameter.low, parameter.high, *extremes]
    for value in dict.fromkeys(extremes):
        try:
            apply(base, {parameter.key: value})
        except ScenarioError as error:
            setting = SETTINGS.get(parameter.key)
            if setting is not None and isinstance(value, int | float) and not isinstance(value, bool):
                return [(f"parameters.{parameter.key}", f"the sweep reaches {value:g} (allowed: {setting.range_text()})")]
            return [(f"parameters.{parameter.key}", message.replace("you wrote", "the sweep reaches"))
                    for _, message in error.problems]
    return []


def _kind_text(setting: Setting) -> str:
    return {
        "number": "a number",
        "whole number": "a whole number",
        "yes/no": "true or false",
        "choice": f"one of {', '.join(repr(c) for c in setting.choices)}",
    }[setting.kind]


def _example(setting: Setting) -> str:
    return "false, true" if setting.kind == "yes/no" else ", ".join(f'"{c}"' for c in setting.choices)


def _check_metrics(metrics: object) -> list[tuple[str, str]]:
    """Unknown measures (checked even when the rest of [sweep] is wrong, so every problem shows at once)."""
    if not isinstance(metrics, list):
        return []  # missing (every measure) or not a list (the schema says so)
    from sim.suggest import did_you_mean

    unknown = [m for m in metrics if isinstance(m, str) and m not in MEASURES]
    if not unknown:
        return []
    named = ", ".join(f"{m}{did_you_mean(m, MEASURES)}" for m in unknown)
    return [("sweep.metrics", f"unknown {named}; a season measure ({', '.join(SEASON_MEASURES)}) or one "
                              "of its run measures (e.g. total_welfare_sum; all of them: `rembug measures`)")]


def _nest_dotted(data: dict) -> dict:
    """A dict written as a sweep file reads: ``{"sweep.sampling": {...}}`` is ``[sweep.sampling]``, the table
    ``sampling`` inside ``sweep`` (not a table whose name has a dot). Keys inside [parameters] stay dotted."""
    nested: dict = {}
    for key, value in data.items():
        head, dot, rest = key.partition(".") if isinstance(key, str) else (key, "", "")
        if dot and head in ("sweep", "policies", "outcomes") and rest:
            inner = nested.setdefault(head, {})
            if isinstance(inner, dict):
                for part in rest.split(".")[:-1]:
                    inner = inner.setdefault(part, {})
                inner[rest.split(".")[-1]] = value
                continue
        if isinstance(value, dict) and isinstance(nested.get(key), dict):
            nested[key] = {**value, **nested[key]}
        else:
            nested[key] = value
    return nested


def _dict_text(data: dict) -> str:
    import tomli_w

    data = _nest_dotted(data)
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError) as error:
        raise ScenarioError([("sweep", f"cannot be written as TOML: {error}")], "sweep") from None


def parse_sweep(text: str | bytes | dict, source: str = "sweep", base_dir: Path | None = None,
                scenario: Scenario | None = None) -> Sweep:
    """Parse and validate a sweep spec (TOML text, bytes, or the same structure as a dict). Every problem comes back
    at once, as one ScenarioError listing each. ``scenario``: the base scenario already resolved (a sweep folder
    keeps its own), used instead of looking up ``sweep.scenario``."""
    if isinstance(text, dict):
        text = _dict_text(text)
    text = read_text(text, source, "sweep spec", "[sweep] and [parameters] tables")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([("file", f"is not valid TOML: {error}")], source) from None
    problems = _reject_non_finite(data)
    if problems:
        raise ScenarioError(problems, source)
    for key in data:
        if key not in ("sweep", "parameters", "policies", "outcomes"):
            quoted = key.startswith("sweep.") or key.startswith("policies.") or key.startswith("parameters.")
            problems.append((key, f'is not part of a sweep: write [{key}] without quotes, a table inside '
                                  f'[{key.split(".")[0]}]' if quoted else
                                  "is not part of a sweep (a sweep has [sweep], [sweep.sampling], [parameters], "
                                  "and optionally [policies.NAME] and [outcomes])"))
    raw_settings = data.get("sweep")
    settings = validate_table(SweepSettings, raw_settings, "sweep", 'add [sweep] with scenario = "..."', problems)
    if isinstance(raw_settings, dict):
        problems += _check_metrics(raw_settings.get("metrics"))
    if scenario is None and isinstance(raw_settings, dict) and isinstance(raw_settings.get("scenario"), str) \
            and raw_settings["scenario"]:
        try:
            scenario = find_scenario(raw_settings["scenario"], base_dir, field="sweep.scenario")
        except ScenarioError as error:
            problems += error.problems
    base = scenario.config if scenario is not None else default_scenario().config
    method = settings.sampling.method if settings else _written_method(raw_settings)
    parameters: dict[str, Parameter] = {}
    raw_parameters = data.get("parameters")
    if not isinstance(raw_parameters, dict) or not raw_parameters:
        problems.append(("parameters", "table is missing or empty: add [parameters] with at least one setting, "
                                       "e.g. \"trust.initial\" = { values = [0.2, 0.8] }"))
    else:
        for key, raw in raw_parameters.items():
            parameter, found = _parameter(key, raw, method)
            problems += found
            if parameter is not None:
                parameters[key] = parameter
        constants = {k: p.values[0] for k, p in parameters.items() if not p.varies() and p.values}
        try:
            with_constants = apply(base, constants, "sweep constants")
        except ScenarioError as error:
            problems += [(f"parameters.{f}" if f in parameters else f, m) for f, m in error.problems]
            with_constants = base
        for parameter in parameters.values():
            if parameter.varies():
                problems += _check_range(parameter, method, with_constants)
    policies = _policies(data.get("policies"), parameters, base, problems)
    from sim.experiments.outcomes import parse_outcomes

    outcomes = parse_outcomes(data.get("outcomes"), problems)
    notes: list[str] = []
    if settings is not None and not problems:
        notes = _notes(settings, parameters)
        runs = _run_count(settings, parameters) * max(1, len(policies))
        if runs > MAX_RUNS:
            problems.append(("sweep", f"makes {runs:,} runs; at most {MAX_RUNS:,}"))
    if problems:
        raise ScenarioError(problems, source)
    return Sweep(settings, parameters, scenario, text, base_dir, notes, policies, outcomes)


def _policies(raw: Any, parameters: dict[str, Parameter], base: CommonsConfig,
              problems: list[tuple[str, str]]) -> dict[str, dict[str, Value]]:
    """``[policies.NAME]`` tables: settings each run is also run with (checked as a scenario change would be)."""
    from sim.settings import not_a_setting

    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw or not all(isinstance(v, dict) for v in raw.values()):
        problems.append(("policies", 'write each policy as a table of settings: [policies.expand] with '
                                     '"mix.integrative" = 1.0'))
        return {}
    policies: dict[str, dict[str, Value]] = {}
    for name, settings in raw.items():
        where = f"policies.{name}"
        if not name.isidentifier():
            problems.append((where, "a policy's name is letters, digits and _ (it names columns: expand.total_welfare_sum)"))
            continue
        bad = [k for k in settings if k not in SETTINGS]
        for key in bad:
            problems.append((f"{where}.{key}", not_a_setting(key)))
        swept = [k for k in settings if k in parameters]
        for key in swept:
            problems.append((f"{where}.{key}", "is also a parameter of the sweep; a setting is either swept or set by "
                                               "the policies"))
        if bad or swept:
            continue
        try:
            apply(base, settings, where)
        except ScenarioError as error:
            problems += [(f"{where}.{f}" if not f.startswith(where) else f, m) for f, m in error.problems]
            continue
        policies[name] = dict(settings)
    return policies


def _notes(settings: SweepSettings, parameters: dict[str, Parameter]) -> list[str]:
    notes = []
    sampling = settings.sampling
    n = sampling.samples
    if sampling.method == "sobol" and n & (n - 1):
        notes.append(f"sweep.sampling.samples = {n} is rounded up to {1 << (n - 1).bit_length()}: a Sobol' "
                     "sequence is balanced only at powers of two")
    if sampling.method == "morris" and sampling.levels % 2:
        notes.append(f"sweep.sampling.levels = {sampling.levels} is odd; Morris designs are unbiased with an even "
                     "number of levels")
    if sampling.method != "grid":
        ignored = [k for k, p in parameters.items() if p.levels is not None]
        if ignored:
            notes.append(f"levels of {', '.join(ignored)} apply to grids only; a {sampling.method} design samples "
                         "the range")
    return notes


def _run_count(settings: SweepSettings, parameters: dict[str, Parameter]) -> int:
    sampling = settings.sampling
    varied = sum(p.varies() for p in parameters.values())
    if sampling.method == "grid":
        points = math.prod(len(p.grid()) for p in parameters.values())
    elif sampling.method == "latin":
        points = sampling.samples
    elif sampling.method == "sobol":
        points = (1 << (sampling.samples - 1).bit_length()) * (varied + 2) if varied else 1
    else:
        points = sampling.samples * (varied + 1) if varied else 1
    return points * settings.replications


def load_sweep(path: str | Path) -> Sweep:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        from sim.suggest import unreadable

        raise ScenarioError([("file", unreadable(path, error))], str(path)) from None
    return parse_sweep(raw, path.name, path.parent.resolve())
