"""Reciprocal (conditional) bargaining: cooperate with those you trust, defend against those who exploited you."""

from __future__ import annotations

import numpy as np

from sim.errors import check_range
from sim.negotiation.strategies.base import (
    ACTED_DISTRIBUTIVE,
    ACTED_INTEGRATIVE,
    Disclosure,
    SideView,
    Stance,
    Strategy,
)
from sim.negotiation.strategies.distributive import Distributive
from sim.negotiation.strategies.integrative import Integrative


class Reciprocal(Strategy):
    """Integrative towards a partner it trusts (trust at least ``threshold``) and that has not exploited it
    before; distributive towards everyone else. The negotiation analogue of tit-for-tat.

    Sources: Axelrod (1984) reciprocity; Pruitt & Kimmel (1977) goal/expectation theory;
    Lax & Sebenius (1986) the negotiator's dilemma.
    """

    name = "reciprocal"
    family = "conditional"
    description = "Conditional: problem-solves with partners it trusts, bargains hard with those who exploited it."
    sources = ("Axelrod 1984", "Pruitt & Kimmel 1977", "Lax & Sebenius 1986")
    classifier = {"discloses": True, "learns_from_offers": True, "exploits_disclosure": True, "stochastic": True}

    def __init__(self, concession: float = 1.0, threshold: float = 0.5) -> None:
        super().__init__(concession)
        self.threshold = check_range(f"{self.name}.threshold", threshold, 0.0, 1.0)
        self._open = Integrative(concession)
        self._guarded = Distributive(concession)

    def params(self) -> dict[str, float]:
        return {"concession": self.concession, "threshold": self.threshold}

    def disclose(self, view: SideView, rng: np.random.Generator) -> Disclosure:
        cooperative = (view.trust >= self.threshold) & ~view.exploited_before
        view.memory["cooperative"] = cooperative
        disclosure = self._open.disclose(view, rng)
        announced = disclosure.announced & cooperative
        return Disclosure(announced, np.where(announced, disclosure.priorities, np.nan), announced.copy())

    def prepare(self, view: SideView) -> Stance:
        cooperative = view.memory["cooperative"]
        self._open.prepare(view)
        guarded = self._guarded.prepare(view)
        acts_as = np.where(cooperative, ACTED_INTEGRATIVE, ACTED_DISTRIBUTIVE).astype(np.int8)
        return Stance(acts_as=acts_as, claims=guarded.claims & ~cooperative)

    def propose(self, view: SideView, tau: np.ndarray) -> np.ndarray:
        cooperative = view.memory["cooperative"]
        if cooperative.all():
            return self._open.propose(view, tau)
        if not cooperative.any():
            return self._guarded.propose(view, tau)
        return np.where(cooperative, self._open.propose(view, tau), self._guarded.propose(view, tau))
