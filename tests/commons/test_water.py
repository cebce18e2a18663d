"""The water resource: rationing never hands out water that is not there, and the stock is conserved."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.commons.config import Infrastructure, Water
from sim.commons.water import capture_share, ration, seasonal_inflow, update_stock, usable_capacity

demands = st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=40).map(np.array)


@settings(max_examples=200, deadline=None)
@given(demand=demands, available=st.floats(0, 500), river=st.booleans())
def test_rationing_gives_no_more_than_demanded_or_available(demand, available, river):
    order = np.arange(demand.size) if river else None
    got = ration(demand, available, order)
    assert np.all(got >= 0) and np.all(got <= demand + 1e-9)
    assert got.sum() <= available + 1e-6
    if demand.sum() <= available:
        assert np.allclose(got, demand)
    else:
        assert got.sum() == pytest.approx(available, rel=1e-9, abs=1e-9)


def test_upstream_takes_first():
    got = ration(np.array([5.0, 5.0, 5.0]), 7.0, np.arange(3))
    assert got.tolist() == [5.0, 2.0, 0.0]
    shared = ration(np.array([5.0, 5.0, 5.0]), 7.0, None)
    assert np.allclose(shared, 7.0 / 3)


@settings(max_examples=200, deadline=None)
@given(stock=st.floats(0, 100), captured=st.floats(0, 100), capacity=st.floats(1, 200), demand=demands)
def test_stock_update_conserves_water(stock, captured, capacity, demand):
    stock = min(stock, capacity)
    extracted = ration(demand, stock + captured, None)
    b = update_stock(stock, captured, captured, extracted, capacity, float(demand.sum()))
    assert b.stock_before + b.captured == pytest.approx(b.extracted + b.spilled + b.stock_after, abs=1e-6)
    assert 0 <= b.stock_after <= capacity + 1e-9


def test_infrastructure_captures_more_and_stores_more():
    water, build = Water(), Infrastructure()
    assert capture_share(0, water, build) == water.base_capture
    assert capture_share(20, water, build) > capture_share(0, water, build)
    assert capture_share(1e6, water, build) == 1.0
    assert usable_capacity(1e6, water, build) == pytest.approx(water.capacity * (1 + build.max_storage_gain))


def test_wet_and_dry_seasons_and_droughts():
    water = Water(inflow=1.0, seasonality=0.4, drought_severity=0.5)
    assert seasonal_inflow(0, 10, water, False) == pytest.approx(14)
    assert seasonal_inflow(1, 10, water, False) == pytest.approx(6)
    assert seasonal_inflow(1, 10, water, True) == pytest.approx(3)
