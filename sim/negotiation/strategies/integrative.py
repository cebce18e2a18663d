"""Integrative (interest-based) bargaining: expand the pie, then divide it."""

from __future__ import annotations

import numpy as np

from sim.negotiation import kernels
from sim.negotiation.offers import concede_in_order, concession_order_by_cost, inverse_cost, tie_break
from sim.negotiation.strategies.base import ACTED_INTEGRATIVE, Disclosure, SideView, Stance, Strategy


def estimate_partner_weights(view: SideView) -> np.ndarray:
    """Partner priorities as this side believes them (K, n), up to a positive factor per negotiation (only their
    ratios matter to a trade-off): its announcement if any, else read from its offers.

    From offers: an issue on which the partner has moved little since its opening matters more to it
    (a frequency model in the spirit of the ANAC agents). With no offers yet every issue looks equally important.
    """
    learned = 1.05 - np.abs(view.received_last - view.received_first)
    if not view.memory["any_disclosed"]:
        return learned
    return np.where(view.memory["partner_disclosed"], view.memory["partner_disclosure"], learned)


class Integrative(Strategy):
    """Interest-based problem-solver: firm on goals, flexible on means (Pruitt's dual concern).

    Never offers less than its current aspiration, but among packages worth that much to itself it proposes the one
    best for the partner as it understands the partner's priorities (a trade-off / logrolling offer), and it keeps
    issues it believes shared (the joint investment, once it has noticed the partner wants it too) at the shared ideal. It announces its own priorities with probability
    equal to its trust in the partner, and how far it moves from a split-the-difference package towards the
    trade-off package (its openness) is that same trust: with no trust it bargains positionally, exactly as a
    distributive negotiator that is not exploiting anyone does (fixed-pie perception included).

    Sources: Walton & McKersie (1965) integrative bargaining; Pruitt (1981), Pruitt & Rubin (1986) dual concern;
    Fisher & Ury (1981) interests not positions; Faratin, Sierra & Jennings (2002) trade-off offers;
    Kimmel, Pruitt et al. (1980) trust and information exchange.
    """

    name = "integrative"
    family = "integrative"
    description = "Interest-based: shares priorities when it trusts, offers packages good for both, builds the well together."
    sources = ("Walton & McKersie 1965", "Pruitt 1981", "Fisher & Ury 1981", "Faratin et al. 2002", "Kimmel et al. 1980")
    classifier = {"discloses": True, "learns_from_offers": True, "exploits_disclosure": False, "stochastic": True}

    def __init__(self, concession: float = 1.0) -> None:
        super().__init__(concession)

    def disclose(self, view: SideView, rng: np.random.Generator) -> Disclosure:
        announced = rng.random(view.size) < view.trust
        return Disclosure(
            announced=announced,
            priorities=np.where(announced, view.weights, np.nan),
            truthful=announced.copy(),
        )

    def prepare(self, view: SideView) -> Stance:
        openness = view.trust.copy()
        view.memory["openness"] = openness
        view.memory["guardedness"] = 1.0 - openness
        view.memory["fully_open"] = bool(np.all(openness >= 1.0))
        view.memory["closed"] = bool(np.all(openness <= 0.0))
        view.memory["partner_disclosed"] = view.partner_disclosed
        view.memory["partner_disclosure"] = view.partner_disclosure
        view.memory["any_disclosed"] = bool(view.partner_disclosed.any())
        view.memory["inverse_weights"] = inverse_cost(view.weights, np.ones(view.weights.shape, dtype=bool))
        return Stance(acts_as=np.full(view.size, ACTED_INTEGRATIVE, dtype=np.int8), claims=np.zeros(view.size, bool))

    def propose(self, view: SideView, tau: np.ndarray) -> np.ndarray:
        target = self.aspiration(view, tau)
        if view.memory["closed"]:
            return view.fixed_pie(target)
        # Trade-off offer: concede first where the partner gains most per unit of its own cost, on the issues it
        # believes contested (those it believes shared it keeps at its ideal).
        memory = view.memory
        cost = view.contested_cost()
        compiled = kernels.use(view.size)
        if compiled:  # the same numbers in one compiled loop (sim.negotiation.kernels)
            before = kernels.learned_tradeoff_order(
                view.received_last, view.received_first, memory["partner_disclosed"], memory["partner_disclosure"],
                memory["inverse_weights"], cost, *tie_break(view.issues),
            )
        else:
            priority = estimate_partner_weights(view) * memory["inverse_weights"]
            before = concession_order_by_cost(cost, priority)
        cost_inverse = view.contested_inverse_cost()
        if memory["fully_open"]:
            return concede_in_order(cost_inverse, before, target)
        # Blend towards the guarded, positional package (the fixed-pie compromise) by (1 - openness).
        if compiled:
            return kernels.concede_blended(cost_inverse, before, target, memory["openness"], memory["guardedness"],
                                           view.fixed_pie_parts())
        package = concede_in_order(cost_inverse, before, target)
        package *= memory["openness"]
        view.add_fixed_pie(package, target, memory["guardedness"])
        return package
