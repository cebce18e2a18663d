"""Scenarios are data: TOML files with a title and description in English and Bahasa Indonesia, and the model's
settings. This module parses them in one place and turns every problem into a message a facilitator can act on:
the setting, what is wrong, and what is allowed. Nothing in a scenario file is ever executed.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.commons.config import REMOVED, CommonsConfig
from sim.errors import InputError

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "scenarios"
MAX_SCENARIO_BYTES = 256 * 1024  # a scenario is a page of settings; anything larger is not one
LANGUAGES = ("en", "id")


class ScenarioError(InputError):
    """A scenario (or settings change) that cannot be used; ``problems`` lists (setting, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]], source: str = "scenario") -> None:
        self.problems = problems
        self.source = source
        field, problem = problems[0]
        super().__init__(field, problem)
        self.args = (self.describe(),)

    def describe(self) -> str:
        lines = [f"{self.source} cannot be used:"] + [f"  - {field}: {message}" for field, message in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


class Texts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str = Field(min_length=1, max_length=2000)
    id: str = Field(min_length=1, max_length=2000)


class ScenarioMeta(BaseModel):
    """The ``[scenario]`` table: how the scenario introduces itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")
    title: Texts
    description: Texts
    default: bool = False


@dataclass(frozen=True)
class Scenario:
    """A named, described set of model settings."""

    meta: ScenarioMeta
    config: CommonsConfig

    @property
    def id(self) -> str:
        return self.meta.id

    def title(self, language: str = "en") -> str:
        return getattr(self.meta.title, language if language in LANGUAGES else "en")

    def description(self, language: str = "en") -> str:
        return getattr(self.meta.description, language if language in LANGUAGES else "en")


def _describe_pydantic(error: ValidationError, prefix: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors(include_url=False):
        loc = ".".join(str(part) for part in (*prefix, *item["loc"]) if part != "__root__") or "scenario"
        message = item["msg"].replace("Value error, ", "")
        kind = item["type"]
        if kind == "extra_forbidden" and loc.startswith("sweep."):
            message = "is not a key of a sweep file (see the files in sweeps/ and the README's sweep example)"
        elif kind == "extra_forbidden":
            from sim.suggest import did_you_mean

            known = [f"{s}.{k}" for s, f in CommonsConfig.model_fields.items() for k in f.annotation.model_fields]
            message = REMOVED.get(loc, f"is not a setting{did_you_mean(loc, known)} (check the spelling; "
                                       "`rembug settings` lists every setting that exists)")
        elif kind == "missing":
            message = "is missing"
        elif "input" in item and kind not in ("model_type", "dict_type"):
            shown = repr(item["input"])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            message = f"{message}; you wrote {shown}"
        problems.append((loc, message))
    return problems


def _reject_non_finite(data: Any, path: str = "") -> list[tuple[str, str]]:
    """TOML allows nan and inf; no setting means anything with them."""
    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            problems += _reject_non_finite(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            problems += _reject_non_finite(value, f"{path}[{i}]")
    elif isinstance(data, float) and not math.isfinite(data):
        problems.append((path, f"must be a finite number; you wrote {data}"))
    return problems


def validate_table(model: type[BaseModel], data: Any, name: str, needs: str, problems: list[tuple[str, str]]):
    """``data`` (a TOML table) validated as ``model``, or None with its problems added to ``problems``."""
    if not isinstance(data, dict):
        problems.append((name, f"table is missing: {needs}"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems += _describe_pydantic(error, (name,))
        return None


def build_config(data: dict[str, Any], source: str = "settings") -> CommonsConfig:
    """Validate model settings given as nested dicts (sections of a scenario file)."""
    problems = _reject_non_finite(data)
    if problems:
        raise ScenarioError(problems, source)
    try:
        return CommonsConfig.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_describe_pydantic(error), source) from None


def read_text(raw: str | bytes, source: str, kind: str = "scenario", needs: str = "") -> str:
    """The text of an uploaded or read file, refused when it is too large, not UTF-8 or empty."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", errors="replace"))
    if size > MAX_SCENARIO_BYTES:
        raise ScenarioError([("file", f"is {size:,} bytes; a {kind} is at most {MAX_SCENARIO_BYTES:,}")], source)
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ScenarioError([("file", f"is not UTF-8 text (byte {error.start}); save it as UTF-8")], source) from None
    if not raw.strip():
        raise ScenarioError([("file", f"is empty; a {kind} needs {needs}")], source)
    return raw


def parse_scenario(text: str | bytes, source: str = "scenario") -> Scenario:
    """Parse and validate a scenario from TOML text (or bytes, which must be UTF-8)."""
    text = read_text(text, source, "scenario", "a [scenario] table with id, title and description")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([("file", f"is not valid TOML: {error}")], source) from None
    problems: list[tuple[str, str]] = []
    meta = validate_table(ScenarioMeta, data.pop("scenario", None), "scenario",
                          "add [scenario] with id, title.en/.id and description.en/.id", problems)
    try:
        config = build_config(data, source)
    except ScenarioError as error:
        problems += error.problems
        config = None
    if problems:
        raise ScenarioError(problems, source)
    return Scenario(meta=meta, config=config)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate one scenario file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SCENARIO_BYTES:
            raise ScenarioError([("file", f"is {size:,} bytes; a scenario is at most {MAX_SCENARIO_BYTES:,}")], path.name)
        raw = path.read_bytes()
    except OSError as error:
        from sim.suggest import unreadable

        raise ScenarioError([("file", unreadable(path, error))], str(path)) from None
    return parse_scenario(raw, path.name)


def builtin_scenarios(directory: str | Path = DEFAULT_DIRECTORY) -> dict[str, Scenario]:
    """Every preset scenario, by id, in file-name order."""
    found: dict[str, Scenario] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        scenario = load_scenario(path)
        if scenario.id in found:
            raise ScenarioError([("scenario.id", f"{scenario.id!r} is used by two files")], path.name)
        found[scenario.id] = scenario
    return found


def find_scenario(name: str, base_dir: Path | None = None, field: str = "scenario") -> Scenario:
    """A preset by id, or a scenario file by path (relative to ``base_dir``); ``field`` names the setting that
    asked for it in the error."""
    presets = builtin_scenarios(DEFAULT_DIRECTORY)
    if name in presets:
        return presets[name]
    path = Path(name)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if path.is_file():
        return load_scenario(path)
    from sim.suggest import did_you_mean

    allowed = ", ".join(presets) + ", or a .toml path"
    raise ScenarioError([(field, f"{name!r} is neither a preset nor a file{did_you_mean(name, presets)} "
                                 f"(allowed: {allowed})")])


def default_scenario(directory: str | Path = DEFAULT_DIRECTORY) -> Scenario:
    """The scenario the app and the command line open with (the one marked ``default = true``)."""
    scenarios = builtin_scenarios(directory)
    defaults = [s for s in scenarios.values() if s.meta.default]
    if len(defaults) != 1:
        raise ScenarioError([("scenario.default", f"exactly one preset must be the default; found {len(defaults)}")])
    return defaults[0]


def with_changes(config: CommonsConfig, changes: dict[str, Any], source: str = "settings") -> CommonsConfig:
    """A copy of ``config`` with dotted settings replaced (``{"trust.initial": 0.9}``), validated again."""
    data = config.model_dump()
    problems = []
    for dotted, value in changes.items():
        section, _, key = dotted.partition(".")
        if section not in data or not key or key not in data[section]:
            problems.append((dotted, REMOVED.get(dotted, "is not a setting (use section.key, e.g. trust.initial)")))
            continue
        data[section][key] = value
    if problems:
        raise ScenarioError(problems, source)
    return build_config(data, source)


def provenance(scenario_id: str, config: CommonsConfig, version: str) -> dict[str, Any]:
    """What a saved run must carry to be reproduced: the scenario, the seed, every setting and the package version."""
    return {"scenario": scenario_id, "seed": config.world.seed, "settings": config.model_dump(mode="json"),
            "version": version}
