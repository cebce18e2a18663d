"""The commons model: organisations sharing a river, season after season (Mesa 3)."""

from sim.commons.config import CommonsConfig
from sim.commons.model import CommonsModel, Meeting, Organisation, efficiency, gini, no_rembug_welfare, planner_welfare

__all__ = ["CommonsConfig", "CommonsModel", "Meeting", "Organisation", "efficiency", "gini", "no_rembug_welfare", "planner_welfare"]
