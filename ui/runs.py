"""Model runs for the app: cached by their settings, shared read-only between sessions, bounded in number."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from sim.commons import CommonsConfig, CommonsModel, Meeting

MAX_CACHED_RUNS = 64  # each run of a workshop-sized world is well under a megabyte


@dataclass(frozen=True)
class Run:
    """What the views need from one run of the commons model."""

    seasons: pd.DataFrame
    organisations: pd.DataFrame
    meetings: tuple[Meeting, ...]
    links: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]
    strategy_names: tuple[str, ...]
    position: np.ndarray
    community: np.ndarray


@st.cache_data(max_entries=MAX_CACHED_RUNS, show_spinner=False)
def simulate(config_json: str, negotiations: bool = True) -> Run:
    """Run the model for settings given as JSON (hashable, so identical settings are computed once).

    ``negotiations=False`` skips recording every meeting's offers (the negotiation view needs them only for the
    user's own mix; the comparison runs need the season table alone)."""
    config = CommonsConfig.model_validate_json(config_json)
    model = CommonsModel(config, record_negotiations=negotiations).run()
    return Run(
        seasons=model.season_table(),
        organisations=model.organisation_table(),
        meetings=tuple(model.meetings),
        links=tuple(model.links),
        strategy_names=tuple(model.strategy_names),
        position=model.position.copy(),
        community=model.community.copy(),
    )


def variants(config: CommonsConfig) -> dict[str, CommonsConfig]:
    """The same world and seed bargaining three ways: all distributive, all integrative, and the user's mix."""
    def with_mix(mix: dict[str, float]) -> CommonsConfig:
        return config.model_copy(update={"strategies": config.strategies.model_copy(update={"mix": mix})})

    return {"slice": with_mix({"distributive": 1.0}), "expand": with_mix({"integrative": 1.0}), "yours": config}
