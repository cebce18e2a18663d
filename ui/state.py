"""What a session has chosen: scenario, language, presenter mode and knob values, mirrored in the page address.

The address holds the preset's id and only the settings that differ from it, so a facilitator can send a link that
opens the same scenario and the same figures. A link with a setting out of range opens anyway, without it, and says so.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from sim.commons import CommonsConfig
from sim.scenarios import Scenario, ScenarioError, builtin_scenarios, default_scenario, with_changes
from ui.controls import BY_SETTING, CONTROLS, MIX_KEYS, STRATEGIES, Control
from ui.text import LANGUAGES

PRESETS: dict[str, Scenario] = builtin_scenarios()
DEFAULT_ID = default_scenario().id


def _parse(control: Control, raw: str) -> Any:
    if control.kind == "toggle":
        return raw.lower() in ("1", "true", "yes", "on")
    if control.kind in ("int", "number"):
        return int(float(raw))
    if control.kind == "select":
        return raw
    return float(raw)


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _parse_mix(raw: str) -> dict[str, float]:
    mix = {}
    for part in raw.split(","):
        name, _, share = part.partition(":")
        mix[name.strip()] = float(share)
    return mix


def scenario() -> Scenario:
    """The scenario this session works from: an uploaded one, else the chosen preset."""
    return st.session_state.get("uploaded") or PRESETS[st.session_state.get("scenario_id", DEFAULT_ID)]


def base_value(config: CommonsConfig, setting: str) -> Any:
    section, key = setting.split(".")
    return getattr(getattr(config, section), key)


def reset_knobs() -> None:
    """Forget knob values so they show the (new) scenario's own settings."""
    for control in CONTROLS:
        st.session_state.pop(control.key, None)
    for key in MIX_KEYS.values():
        st.session_state.pop(key, None)


def fill_knobs(config: CommonsConfig) -> None:
    """Give every knob the scenario's value unless the session already moved it. A moved value is written back:
    Streamlit forgets a widget's value in a run that does not draw it (presenter mode draws three knobs only in some
    views), and the session must not lose what the facilitator set."""
    for control in CONTROLS:
        if control.key in st.session_state:
            st.session_state[control.key] = st.session_state[control.key]
        else:
            st.session_state[control.key] = base_value(config, control.setting)
    mix = config.strategies.mix
    total = sum(mix.values())
    for name, key in MIX_KEYS.items():
        st.session_state.setdefault(key, round(mix.get(name, 0.0) / total, 2))


def browser_language() -> str:
    """The language the visitor's browser asks for first, when the app speaks it (a join link carries no language:
    each phone opens in its own); English otherwise."""
    try:
        locale = (st.context.locale or "").lower()
    except Exception:  # no browser behind the session (a test harness)
        return "en"
    return "id" if locale.startswith(("id", "in")) else "en"


def start_session() -> None:
    """On a session's first run, read the page address into the session (once)."""
    if st.session_state.get("started"):
        return
    st.session_state["started"] = True
    query = st.query_params
    lang = query.get("lang") or browser_language()
    st.session_state["lang"] = lang if lang in LANGUAGES else "en"
    chosen = query.get("scenario", DEFAULT_ID)
    st.session_state["scenario_id"] = chosen if chosen in PRESETS else DEFAULT_ID
    st.session_state["present"] = query.get("present") == "1"
    st.session_state["expert"] = query.get("expert") == "1"
    st.session_state["view"] = query.get("view", "story")
    try:
        st.session_state["story_step"] = max(0, int(query.get("step", "1")) - 1)
    except ValueError:
        st.session_state["story_step"] = 0
    problems: list[tuple[str, str]] = []
    if chosen not in PRESETS:
        problems.append(("scenario", f"{chosen!r} is not a preset; opened {DEFAULT_ID!r}"))
    base = scenario().config
    for setting, raw in query.items():
        control = BY_SETTING.get(setting)
        try:
            if control is not None:
                value = _parse(control, raw)
                with_changes(base, {setting: value})  # validate alone, so one bad value does not drop the rest
                st.session_state[control.key] = value
            elif setting == "mix":
                mix = _parse_mix(raw)
                with_changes(base, {"strategies.mix": mix})
                for name in STRATEGIES:
                    st.session_state[MIX_KEYS[name]] = float(mix.get(name, 0.0))
        except ScenarioError as error:
            problems += error.problems
        except ValueError:
            problems.append((setting, f"{raw!r} is not a value this setting takes"))
    st.session_state["address_problems"] = problems


def mix_from_knobs() -> dict[str, float]:
    mix = {name: float(st.session_state[key]) for name, key in MIX_KEYS.items() if st.session_state[key] > 0}
    return mix or {"integrative": 1.0}


def chosen_config() -> tuple[CommonsConfig, list[tuple[str, str]]]:
    """The scenario with the session's knob values applied, and any problems (then the scenario's own values)."""
    base = scenario().config
    changes = {c.setting: st.session_state[c.key] for c in CONTROLS}
    changes["strategies.mix"] = mix_from_knobs()
    try:
        return with_changes(base, changes, "settings"), []
    except ScenarioError as error:
        return base, error.problems


def write_address(config: CommonsConfig) -> None:
    """Put the scenario, language, presenter mode and changed settings in the page address."""
    base = scenario().config
    wanted: dict[str, str] = {"lang": st.session_state["lang"]}
    if st.session_state.get("uploaded") is None:
        wanted["scenario"] = st.session_state.get("scenario_id", DEFAULT_ID)
    if st.session_state.get("present"):
        wanted["present"] = "1"
    if st.session_state.get("expert"):
        wanted["expert"] = "1"
    view = st.session_state.get("view", "story")
    if view != "story":
        wanted["view"] = view
    else:
        wanted["step"] = str(int(st.session_state.get("story_step", 0)) + 1)
    for control in CONTROLS:
        value = base_value(config, control.setting)
        if value != base_value(base, control.setting):
            wanted[control.setting] = _format(value)
    mix, base_mix = config.strategies.mix, base.strategies.mix
    if _normalised(mix) != _normalised(base_mix):
        wanted["mix"] = ",".join(f"{k}:{v:g}" for k, v in sorted(mix.items()))
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def _normalised(mix: dict[str, float]) -> dict[str, float]:
    total = sum(mix.values()) or 1.0
    return {k: round(v / total, 6) for k, v in mix.items() if v > 0}
