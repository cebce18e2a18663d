"""The walk-away value (BATNA) of an organisation at a meeting, worked out from the same water model it lives in.

A negotiator's walk-away is what not agreeing is expected to give it (Fisher & Ury 1981; Raiffa 1982). Here not
agreeing means an impasse: each side takes water unilaterally (a grab of ``grab`` x need, less under a backbone's
cap) at the water there is now, shared by rationing with everyone else at the river; it may be seen taking more than
its fair share and fined; the pair has no irrigation turns (half the turns each) and nobody maintains the canals;
and the quarrel costs ``conflict_cost``. That is a material payoff per season. The negotiator's utility is on another
scale (0 = its worst package, 1 = its ideal on every issue), so the walk-away is placed on that scale by where the
impasse payoff lies between the material payoffs of its worst and its best division of the contested issues (water,
turns, maintenance), with no well in either (an impasse builds none):

    rho = (M_impasse - M_worst) / (M_best - M_worst),   r = (1 - w_well) * rho,  clipped to [0, 1].

An organisation that grabs as much as it needs while the stock is full walks away easily; when the river runs low,
a grab is rationed like everyone else's and an agreement is worth more. Scarcity, position on the river (with a
river order, upstream organisations draw first) and a cap on grabbing enter through the water, not through
constants. What an impasse does to later seasons (trust lost, the stock drawn down) is not foreseen: organisations
weigh one season at a time, which ``docs/model/ODD.md`` states as an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SeasonValue:
    """The material payoff of a season for some organisations, averaged over a wet and a dry season (a term is
    made of both): water up to need at ``water_value``, beyond it at ``surplus_value``; in the dry season water is
    lost without irrigation turns; maintenance costs what an organisation carries."""

    need: np.ndarray
    dry_loss: np.ndarray  # water lost in a dry season with no turns at all (dry_loss x stake in turns x need)
    labour: np.ndarray  # cost of carrying all of a pair's maintenance (labour_cost x stake in maintenance)
    water_value: float
    surplus_value: float

    def harvest(self, water: np.ndarray) -> np.ndarray:
        within = np.minimum(water, self.need)
        return self.water_value * (within + self.surplus_value * (water - within))

    def __call__(self, water: np.ndarray, turns: np.ndarray | float, carried: np.ndarray | float) -> np.ndarray:
        dry = np.maximum(water - self.dry_loss * (1.0 - turns), 0.0)
        return 0.5 * (self.harvest(water) + self.harvest(dry)) - self.labour * carried


def impasse_water(
    grab: np.ndarray, partner_grab: np.ndarray, expected: np.ndarray, partner_expected: np.ndarray,
    total_expected: float, available: float, ahead: np.ndarray | None,
) -> np.ndarray:
    """The water a grab yields: everyone else is expected to draw what they drew last season (``expected``), the
    pair itself grabs; shortfalls are shared in proportion to demand or, with a river order, those upstream
    (``ahead``: what they are expected to draw before this organisation) take first."""
    if ahead is not None:
        return np.clip(available - ahead, 0.0, grab)
    demand = total_expected - expected - partner_expected + grab + partner_grab
    share = np.minimum(1.0, available / np.maximum(demand, 1e-12))
    return grab * share


def walk_away(
    value: SeasonValue, *, fair: np.ndarray, pool: np.ndarray, volume_range: float, alone: np.ndarray,
    conflict_cost: float, well_weight: np.ndarray,
) -> np.ndarray:
    """Walk-away utility (see the module docstring). ``fair``: each organisation's fair share of the season's
    allocation; ``pool``: its pair's pooled fair shares; ``alone``: what deciding alone is expected to give it in a
    season (a grab or its fair share, as it would choose); an impasse adds the quarrel's cost."""
    worst = value(fair * (1.0 - volume_range), 0.0, 1.0)
    best = value(np.minimum(pool, fair * (1.0 + volume_range)), 1.0, 0.0)
    span = np.maximum(best - worst, 1e-12)
    rho = (alone - conflict_cost - worst) / span
    return np.clip((1.0 - well_weight) * rho, 0.0, 1.0)
