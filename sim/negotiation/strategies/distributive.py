"""Distributive (positional) bargaining: claim value and assume a fixed pie."""

from __future__ import annotations

import numpy as np

from sim.errors import check_range
from sim.negotiation import kernels
from sim.negotiation.offers import concede_in_order, inverse_cost, issues_ahead, tradeoff_priority
from sim.negotiation.strategies.base import ACTED_DISTRIBUTIVE, Disclosure, SideView, Stance, Strategy


class Distributive(Strategy):
    """Hard, positional bargainer ("get as much as you can from limited resources").

    Opens near its ideal package and concedes the same fraction on every issue it believes contested: like every
    negotiator it starts out assuming whatever it wants the other side wants the opposite (the fixed-pie perception)
    and revises that from the partner's offers (:mod:`sim.negotiation.beliefs`); an issue it comes to believe shared it
    keeps at the shared ideal. It never reveals its
    true priorities; with probability ``misreport`` it announces false ones (its ranking reversed). Once the partner
    has announced priorities it exploits them: it concedes first where the partner gains least and holds what the
    partner values most.

    Sources: Walton & McKersie (1965) distributive bargaining; Lax & Sebenius (1986) claiming value;
    Thompson & Hastie (1990) fixed-pie perception and lose-lose agreements; Thompson & Hrebec (1996) how often.
    """

    name = "distributive"
    family = "distributive"
    description = "Positional: opens high, splits the difference on every issue, never shares priorities, exploits those shared with it."
    sources = ("Walton & McKersie 1965", "Lax & Sebenius 1986", "Thompson & Hastie 1990", "Thompson & Hrebec 1996")
    classifier = {"discloses": False, "learns_from_offers": False, "exploits_disclosure": True, "stochastic": True}

    def __init__(self, concession: float = 1.0, misreport: float = 0.0, matching: float = 0.5) -> None:
        super().__init__(concession)
        self.misreport = check_range(f"{self.name}.misreport", misreport, 0.0, 1.0)
        self.matching = check_range(f"{self.name}.matching", matching, 0.0, 1.0)

    def params(self) -> dict[str, float]:
        return {"concession": self.concession, "misreport": self.misreport, "matching": self.matching}

    def disclose(self, view: SideView, rng: np.random.Generator) -> Disclosure:
        silent = super().disclose(view, rng)
        if self.misreport == 0.0:
            return silent
        bluff = rng.random(view.size) < self.misreport
        # Claim to care most about what it cares least about: swap the i-th largest weight with the i-th smallest.
        order = np.argsort(view.weights, axis=0, kind="stable")
        ranked = np.take_along_axis(view.weights, order, axis=0)
        fake = np.empty_like(view.weights)
        np.put_along_axis(fake, order, ranked[::-1], axis=0)
        return Disclosure(announced=bluff, priorities=np.where(bluff, fake, np.nan), truthful=np.zeros(view.size, bool))

    def prepare(self, view: SideView) -> Stance:
        exploit = view.partner_disclosed.copy()
        view.memory["exploit"] = exploit
        view.memory["any_exploit"] = bool(exploit.any())
        if view.memory["any_exploit"]:
            told = view.partner_disclosure
            view.memory["partner_priorities"] = told
            # The order in which it would give ground is fixed by what the partner announced (worst for the partner
            # first: where the partner gains least per unit of its own cost); which issues it gives ground on follows
            # its belief. Which issue comes before which is worked out once (the comparisons concession_order makes).
            view.memory["claim_ahead"] = issues_ahead(-tradeoff_priority(view.weights, told))
            view.memory["inverse_weights"] = inverse_cost(view.weights, np.ones(view.weights.shape, dtype=bool))
        return Stance(acts_as=np.full(view.size, ACTED_DISTRIBUTIVE, dtype=np.int8), claims=exploit)

    @staticmethod
    def _claim_plan(view: SideView) -> dict:
        """What exploiting the partner's announced priorities takes, as far as this side believes issues contested:
        the order in which it gives ground (worst for the partner first: where the partner gains least per unit of
        its own cost; issues it believes shared are kept), and how to read what an offer is worth to the partner in
        the partner's own frame (base + signed · position). Kept while the belief stays as it is."""
        memory = view.memory
        view.believed_shared()  # drops an older plan when the belief has changed
        if "claim_before" not in memory:
            contested = view.believed_opposed()
            told = memory["partner_priorities"]
            memory["claim_before"] = np.einsum("ijn,jn->in", memory["claim_ahead"], view.weights * contested, dtype=float)
            memory["claim_inverse_cost"] = contested * memory["inverse_weights"]
            memory["partner_signed_weights"] = told * np.where(contested, -1.0, 1.0)
            memory["partner_base"] = (told * contested).sum(axis=0)
        return memory

    def propose(self, view: SideView, tau: np.ndarray) -> np.ndarray:
        target = self.aspiration(view, tau)
        if not view.memory["any_exploit"]:
            return view.fixed_pie(target)
        exploit = view.memory["exploit"]
        plan = self._claim_plan(view)
        # Knowing the partner's priorities it can measure the partner's concessions in the partner's own terms,
        # and it gives back only `matching` of them: its demand never falls faster than that.
        if kernels.use(view.size):  # the same numbers in one compiled loop (sim.negotiation.kernels)
            target = kernels.claimer_target(plan["partner_signed_weights"], plan["partner_base"],
                                            view.received_last, view.has_received, view.opening, self.matching,
                                            exploit, target)
        else:
            # A product then a sum, issue by issue (einsum may fuse them on some CPUs, and the kernel never does).
            demanded = plan["partner_base"] + (plan["partner_signed_weights"] * view.received_last).sum(axis=0)
            partner_demand = np.where(view.has_received, demanded, 1.0)
            held = view.opening - self.matching * (1.0 - partner_demand)
            target = np.where(exploit, np.maximum(target, np.minimum(held, 1.0)), target)
        # Among packages worth `target` to itself, the worst for the partner: hold what the partner values most.
        claim = concede_in_order(plan["claim_inverse_cost"], plan["claim_before"], target)
        return np.where(exploit, claim, view.fixed_pie(target))
