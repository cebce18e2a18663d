"""Reciprocal (conditional) bargaining: cooperate with those you trust, defend against those who exploited you."""

from __future__ import annotations

import numpy as np

from sim.errors import check_range
from sim.negotiation.strategies.base import Disclosure, SideView, Stance, Strategy
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

    def __init__(self, concession: float = 1.0, threshold: float = 0.5, misreport: float = 0.0, matching: float = 0.5) -> None:
        super().__init__(concession)
        self.threshold = check_range(f"{self.name}.threshold", threshold, 0.0, 1.0)
        self._open = Integrative(concession)
        # Guarded, it bargains as a claimer does, bluffing and matching included.
        self._guarded = Distributive(concession, misreport=misreport, matching=matching)

    def params(self) -> dict[str, float]:
        return {"concession": self.concession, "threshold": self.threshold, "misreport": self._guarded.misreport,
                "matching": self._guarded.matching}

    def disclose(self, view: SideView, rng: np.random.Generator) -> Disclosure:
        cooperative = (view.trust >= self.threshold) & ~view.exploited_before
        view.memory["cooperative"] = cooperative
        disclosure = self._open.disclose(view, rng)
        announced = disclosure.announced & cooperative
        truthful = announced.copy()
        priorities = np.where(announced, disclosure.priorities, np.nan)
        if self._guarded.misreport > 0.0:
            # Guarded, it may bluff as a claimer does (false priorities), never telling the truth.
            bluff = self._guarded.disclose(view, rng)
            bluffing = bluff.announced & ~cooperative
            announced = announced | bluffing
            priorities = np.where(bluffing, bluff.priorities, priorities)
        return Disclosure(announced, priorities, truthful)

    def delegate(self, view: SideView) -> list[tuple[Strategy, np.ndarray]]:
        cooperative = view.memory["cooperative"]
        return [(self._open, cooperative), (self._guarded, ~cooperative)]

    def prepare(self, view: SideView) -> Stance:  # pragma: no cover - every negotiation is delegated
        raise RuntimeError("reciprocal negotiations are played by the strategy it delegates them to")

    def propose(self, view: SideView, tau: np.ndarray) -> np.ndarray:  # pragma: no cover - see prepare
        raise RuntimeError("reciprocal negotiations are played by the strategy it delegates them to")
