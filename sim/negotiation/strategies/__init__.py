"""The strategy registry: every :class:`Strategy` subclass in this package, found by its metadata.

Adding a strategy is one new module here plus its test (and, for the app, its two labels in ``ui/text.py``); no
other code is edited. Lists of strategies are built by filtering on metadata (``family``, ``classifier``), never kept
by hand.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from sim.errors import InputError
from sim.negotiation.strategies.base import FAMILIES, SideView, Strategy

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def _all_subclasses(cls: type[Strategy]) -> list[type[Strategy]]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


def _build_registry() -> dict[str, type[Strategy]]:
    registry: dict[str, type[Strategy]] = {}
    for cls in _all_subclasses(Strategy):
        if not cls.name:
            continue  # abstract helpers
        if cls.name in registry and registry[cls.name] is not cls:
            raise RuntimeError(f"two strategies are named {cls.name!r}: {registry[cls.name]} and {cls}")
        if getattr(cls, "family", None) not in FAMILIES:
            raise RuntimeError(f"strategy {cls.name!r} declares family {getattr(cls, 'family', None)!r}")
        registry[cls.name] = cls
    return dict(sorted(registry.items()))


REGISTRY: dict[str, type[Strategy]] = _build_registry()


def strategy_names() -> list[str]:
    """Registered strategy names, sorted."""
    return list(REGISTRY)


def make_strategy(name: str, **params: Any) -> Strategy:
    """Build a strategy by its registered name, e.g. ``make_strategy("distributive", misreport=0.2)``."""
    try:
        cls = REGISTRY[name]
    except KeyError:
        raise InputError("strategy", f"{name!r} is not a known strategy", ", ".join(REGISTRY)) from None
    try:
        return cls(**params)
    except TypeError as exc:
        raise InputError(f"strategy {name!r}", str(exc)) from None


def filter_strategies(family: str | None = None, **classifier: Any) -> list[type[Strategy]]:
    """Strategy classes whose family and classifier entries match, e.g. ``filter_strategies(discloses=True)``."""
    return [
        cls
        for cls in REGISTRY.values()
        if (family is None or cls.family == family) and all(cls.classifier.get(k) == v for k, v in classifier.items())
    ]


__all__ = ["REGISTRY", "SideView", "Strategy", "filter_strategies", "make_strategy", "strategy_names"]
