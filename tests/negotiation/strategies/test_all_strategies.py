"""Checks every registered strategy the same way, so a new strategy file is covered without editing this test."""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest

import sim.negotiation.strategies as package
from sim import REGISTRY, PairBatch, Strategy, filter_strategies, make_strategy, negotiate, strategy_names
from sim.negotiation.strategies.base import FAMILIES

NAMES = strategy_names()


def test_registry_holds_the_three_families():
    assert {"distributive", "integrative", "reciprocal"} <= set(NAMES)
    assert {cls.family for cls in REGISTRY.values()} <= set(FAMILIES)


def test_every_strategy_module_in_the_package_is_registered():
    """Dropping a module with a Strategy subclass into the package is all it takes to register it."""
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Strategy) and obj.__module__ == module.__name__ and obj.name:
                assert REGISTRY[obj.name] is obj


def test_names_are_unique_and_readable():
    assert len(NAMES) == len(set(NAMES))
    assert all(name.isidentifier() and name.islower() for name in NAMES)


def test_strategies_are_listed_by_metadata():
    assert [c.name for c in filter_strategies(family="integrative")] == ["integrative"]
    exploiters = {c.name for c in filter_strategies(exploits_disclosure=True)}
    assert "distributive" in exploiters and "integrative" not in exploiters


@pytest.mark.parametrize("name", NAMES)
class TestEveryStrategy:
    def test_declares_metadata(self, name):
        cls = REGISTRY[name]
        assert cls.description and cls.sources and cls.__doc__
        assert {"discloses", "learns_from_offers", "exploits_disclosure", "stochastic"} <= set(cls.classifier)

    def test_parameters_round_trip(self, name):
        player = make_strategy(name)
        clone = type(player)(**player.params())
        assert clone == player and hash(clone) == hash(player)
        assert name in repr(player) or type(player).__name__ in repr(player)

    @pytest.mark.parametrize("partner", NAMES)
    def test_plays_every_strategy_reproducibly_within_bounds(self, name, partner):
        rng = np.random.default_rng(1)
        batch = PairBatch.sample(300, rng, strategy_a=name, strategy_b=partner, trust_a=rng.random(300), trust_b=0.6)
        first, second = negotiate(batch, 5), negotiate(batch, 5)
        assert np.array_equal(first.utility_a, second.utility_a)
        assert np.all(first.utility_a >= batch.reservation_a - 1e-9)
        assert np.all(first.utility_b >= batch.reservation_b - 1e-9)
        assert first.agreed.mean() > 0.5
