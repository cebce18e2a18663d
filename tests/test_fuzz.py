"""Bad input everywhere: fuzzed scenario and sweep files always end in a message naming a setting, never a crash.

Only TOML is ever parsed from a user file: nothing in it is executed or unpickled.
"""

from __future__ import annotations

import copy
import math
import tomllib
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.commons import CommonsModel
from sim.experiments.spec import parse_sweep
from sim.scenarios import ScenarioError, parse_scenario, with_changes

ROOT = Path(__file__).resolve().parent.parent
BASE = tomllib.loads((ROOT / "scenarios" / "backbone.toml").read_text())
SWEEP = {
    "sweep": {"scenario": "mixed_village", "replications": 2, "master_seed": 1, "keep": "end",
              "sampling": {"method": "latin", "samples": 4}},
    "parameters": {"trust.initial": {"low": 0.1, "high": 0.9}, "water.inflow": {"values": [0.8, 1.0]}},
}

nasty = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from([1e308, -1e308, 10**19, -1, 0, 2**63, float("nan"), float("inf"), "", "0.5", [0.5]]),
)


def paths(data: dict, prefix: tuple = ()) -> list[tuple]:
    out = []
    for key, value in data.items():
        out.append((*prefix, key))
        if isinstance(value, dict):
            out += paths(value, (*prefix, key))
    return out


def mutate(data: dict, draw) -> dict:
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(paths(data)))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "unknown"]))
        if action == "replace":
            parent[where[-1]] = draw(nasty)
        elif action == "delete":
            del parent[where[-1]]
        else:
            parent[draw(st.text(min_size=1, max_size=12))] = draw(nasty)
        if not data:
            break
    return data


def to_toml(data: dict) -> str:
    def clean(value):  # TOML has no null; a None becomes an empty table, which is still wrong input
        if value is None:
            return {}
        if isinstance(value, dict):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value if v is not None]
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            return float(value)
        return value

    return tomli_w.dumps(clean(data))


def assert_readable(error: ScenarioError) -> None:
    assert error.problems
    for field, message in error.problems:
        assert field and message and "Traceback" not in message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_scenarios_are_refused_or_run(data):
    text = to_toml(mutate(BASE, data.draw))
    try:
        scenario = parse_scenario(text, "fuzz.toml")
    except ScenarioError as error:
        assert_readable(error)
        return
    short = with_changes(scenario.config, {"world.seasons": 2, "world.organisations": min(scenario.config.world.organisations, 12)})
    table = CommonsModel(short).run().season_table()
    assert len(table) == 2 and all(math.isfinite(v) for v in table.water_stock)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sweeps_are_refused_or_valid(data):
    text = to_toml(mutate(SWEEP, data.draw))
    try:
        parse_sweep(text, "fuzz.toml")
    except ScenarioError as error:
        assert_readable(error)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_any_bytes_get_a_message(raw):
    for parse in (parse_scenario, parse_sweep):
        try:
            parse(raw, "upload.toml")
        except ScenarioError as error:
            assert_readable(error)


def test_empty_and_huge_files():
    for raw, fragment in ((b"", "empty"), (b"   \n", "empty"), (b"x" * (50 * 2**20), "at most"), (b"\xff\xfe\x00", "UTF-8")):
        for parse in (parse_scenario, parse_sweep):
            try:
                parse(raw, "upload.toml")
            except ScenarioError as error:
                assert fragment in error.describe() or fragment.lower() in error.describe().lower(), error.describe()
            else:
                raise AssertionError("accepted")
