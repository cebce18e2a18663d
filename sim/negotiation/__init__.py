"""The negotiation engine: many two-party, multi-issue water negotiations at once."""

from sim.negotiation.analysis import (
    Frontier,
    Point,
    is_pareto_optimal,
    kalai_smorodinsky_point,
    max_joint_utility,
    max_welfare_point,
    nash_point,
    pareto_frontier,
)
from sim.negotiation.batch import PairBatch
from sim.negotiation.domain import WATER, Domain, Issue
from sim.negotiation.engine import negotiate
from sim.negotiation.preferences import draw_weights
from sim.negotiation.results import LOSE_LOSE_SHORTFALL, PARETO_TOLERANCE, NegotiationResult, Trace
from sim.negotiation.strategies import REGISTRY, Strategy, filter_strategies, make_strategy, strategy_names

__all__ = [
    "LOSE_LOSE_SHORTFALL",
    "PARETO_TOLERANCE",
    "REGISTRY",
    "WATER",
    "Domain",
    "Frontier",
    "Issue",
    "NegotiationResult",
    "PairBatch",
    "Point",
    "Strategy",
    "Trace",
    "draw_weights",
    "filter_strategies",
    "is_pareto_optimal",
    "kalai_smorodinsky_point",
    "make_strategy",
    "max_joint_utility",
    "max_welfare_point",
    "nash_point",
    "negotiate",
    "pareto_frontier",
    "strategy_names",
]
