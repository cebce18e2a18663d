"""The shared water resource: seasonal inflow, capture by infrastructure, rationing, and a conserved stock.

Water balance every season (checked by the tests): ``stock + captured = extracted + spilled + next stock``.
Inflow that is not captured flows past and is not part of the commons. Nobody extracts water that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.commons.config import Infrastructure, Water


def capture_share(infrastructure: float, water: Water, build: Infrastructure) -> float:
    """Share of inflow captured: ``base_capture`` with no infrastructure, rising linearly as wells and canals are
    built until all inflow is captured (so every unit invested pays until then: the pie really grows)."""
    return min(1.0, water.base_capture + build.capture_per_unit * infrastructure)


def usable_capacity(infrastructure: float, water: Water, build: Infrastructure) -> float:
    """Storage grows with infrastructure (tanks, small dams), by at most ``max_storage_gain`` of natural capacity."""
    return water.capacity * (1.0 + min(build.max_storage_gain, build.storage_per_unit * infrastructure))


def seasonal_inflow(season: int, total_need: float, water: Water, drought: bool) -> float:
    """Inflow this season: wet (even) seasons bring more, dry (odd) seasons less, droughts take a share away."""
    wet = season % 2 == 0
    flow = water.inflow * total_need * (1.0 + water.seasonality if wet else 1.0 - water.seasonality)
    return flow * (1.0 - water.drought_severity) if drought else flow


def ration(demand: np.ndarray, available: float, upstream_first: np.ndarray | None) -> np.ndarray:
    """Water each organisation actually gets when demands may exceed what is available.

    With a river order (``upstream_first`` lists organisations from the head of the river down) each takes its
    demand in turn until the water runs out; without one, shortfalls are shared in proportion to demand.
    """
    total = float(demand.sum())
    if total <= available:
        return demand.copy()
    if available <= 0.0:
        return np.zeros_like(demand)
    if upstream_first is None:
        return demand * (available / total)
    ordered = demand[upstream_first]
    before = np.cumsum(ordered) - ordered
    granted = np.clip(available - before, 0.0, ordered)
    out = np.empty_like(demand)
    out[upstream_first] = granted
    return out


@dataclass(frozen=True)
class Balance:
    """One season of the resource, for the records and the conservation check."""

    stock_before: float
    inflow: float
    captured: float
    demanded: float
    extracted: float
    spilled: float
    stock_after: float
    capacity: float


def update_stock(
    stock: float, inflow: float, captured: float, extracted: np.ndarray, capacity: float, demanded: float
) -> Balance:
    """Apply a season's extraction to the stock; what exceeds capacity spills."""
    total = float(extracted.sum())
    remaining = stock + captured - total
    if remaining < -1e-9:
        raise ValueError("extraction exceeds the water available")  # ration() makes this impossible
    remaining = max(remaining, 0.0)
    spilled = max(remaining - capacity, 0.0)
    return Balance(
        stock_before=stock,
        inflow=inflow,
        captured=captured,
        demanded=demanded,
        extracted=total,
        spilled=spilled,
        stock_after=remaining - spilled,
        capacity=capacity,
    )
