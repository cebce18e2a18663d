"""The sidebar's knobs, declared once: which setting, which group, which widget and which range.

Slider ranges are the app's choice (what makes sense in a workshop), narrower than what the model accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sim.negotiation.strategies import strategy_names

STRATEGIES = tuple(strategy_names())  # every registered strategy gets a slider (and needs its labels in ui/text.py)


@dataclass(frozen=True)
class Control:
    setting: str  # dotted model setting, e.g. "trust.initial"
    group: str
    kind: Literal["slider", "int", "toggle", "select", "number"]
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    options: tuple[str, ...] = ()
    # Shown as a percentage where the page speaks in percent: a share of what the organisations need or of a full
    # harvest, trust, a chance, a share kept or lost ("trust falls from 90% to 40%", never a bare 0,9). The story's
    # knobs read it from here too (ui.story.Knob.percent): one setting, one way of showing it.
    percent: bool = False

    @property
    def key(self) -> str:
        """Widget key in the session (and the name used in the page address)."""
        return f"w:{self.setting}"

    @property
    def backbone_function(self) -> bool:
        return self.setting.startswith("backbone.") and self.setting != "backbone.present"


CONTROLS: tuple[Control, ...] = (
    Control("trust.initial", "trust", "slider", percent=True),
    Control("trust.growth", "trust", "slider", percent=True),
    Control("trust.cut", "trust", "slider", percent=True),
    Control("water.inflow", "resources", "slider", 0.3, 2.0, 0.05, percent=True),
    Control("water.drought_probability", "resources", "slider", percent=True),
    Control("water.drought_severity", "resources", "slider", percent=True),
    Control("organisations.endowment", "resources", "slider", 0.0, 0.5, 0.01),
    Control("organisations.diversity", "interests", "slider"),
    Control("learning.rate", "strategies", "slider", 0.0, 0.5, 0.05, percent=True),
    Control("water.river_order", "river", "toggle"),
    Control("negotiation.matching", "river", "select", options=("random", "neighbours")),
    Control("backbone.present", "backbone", "toggle"),
    Control("backbone.common_agenda", "backbone", "slider"),
    Control("backbone.aligned_activities", "backbone", "slider"),
    Control("backbone.shared_measurement", "backbone", "slider"),
    Control("backbone.public_will", "backbone", "slider"),
    Control("backbone.communication", "backbone", "slider"),
    Control("backbone.policy", "backbone", "slider"),
    Control("backbone.funding", "backbone", "slider", 0.0, 2.0, 0.1),
    Control("backbone.cost", "backbone", "slider", 0.0, 0.3, 0.01, percent=True),
    Control("world.organisations", "world", "int", 4, 200, 2),
    Control("world.seasons", "world", "int", 4, 120, 2),
    Control("world.seed", "world", "number", 0, 2**31 - 1, 1),
)

GROUPS = ("trust", "resources", "interests", "strategies", "river", "backbone", "world")

BY_SETTING = {c.setting: c for c in CONTROLS}
MIX_KEYS = {name: f"w:mix.{name}" for name in STRATEGIES}
