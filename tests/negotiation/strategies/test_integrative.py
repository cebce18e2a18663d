"""Integrative: discloses with trust, logrolls, keeps the well, bargains positionally with no trust."""

from __future__ import annotations

import numpy as np
import pytest

from sim import PairBatch, negotiate, pareto_frontier
from sim.negotiation.analysis import is_pareto_optimal


@pytest.mark.parametrize("trust", [0.2, 0.5, 0.8])
def test_discloses_with_probability_equal_to_trust(trust):
    rng = np.random.default_rng(1)
    result = negotiate(PairBatch.sample(4000, rng, trust_a=trust, trust_b=trust), rng)
    assert abs(result.disclosed_a.mean() - trust) < 0.03
    assert not result.misreported_a.any()


def test_with_priorities_told_every_offer_that_keeps_the_well_is_on_the_frontier():
    """Priorities told both ways: the trade-off offer gives ground where the partner gains most per unit of its own
    cost, so every offer that keeps the shared well (once a side believes it shared) is Pareto-optimal."""
    rng = np.random.default_rng(2)
    batch = PairBatch.sample(200, rng, fixed_pie_a=0.5, fixed_pie_b=0.5)
    result = negotiate(batch, rng, trace="offers")
    frontier = pareto_frontier(batch.weights_a, batch.weights_b, batch.domain.opposed)
    ua, ub = result.trace.utility_a, result.trace.utility_b
    keeps = result.trace.offers[:, :, 3] == 1.0
    assert keeps[2:][~np.isnan(ua[2:])].mean() > 0.9  # most offers keep it, once both have opened
    for step in range(2, ua.shape[0]):  # after both opening offers
        made = ~np.isnan(ua[step]) & keeps[step]
        on = is_pareto_optimal(
            type(frontier)(frontier.ua[made], frontier.ub[made], frontier.x[made]), ua[step, made], ub[step, made], 1e-5  # traces are float32
        )
        assert on.all(), f"step {step}"


def test_keeps_the_joint_investment_once_the_partner_shows_it_wants_it():
    """From the offer on which its belief turns (the partner's offers, read as evidence, have made the well more
    likely shared than not) the problem-solver keeps the well at the shared ideal, with or without a fixed-pie bias;
    and a bias delays it."""
    turned = {}
    for fixed_pie in (0.5, 0.68):
        batch = PairBatch.sample(300, np.random.default_rng(3), strategy_a="integrative", strategy_b="distributive",
                                 trust_a=1.0, fixed_pie_a=fixed_pie)
        result = negotiate(batch, 3, trace="offers")
        well = result.trace.offers[0::2, :, 3].astype(float)  # A's offers on the well, turn by turn
        b_well = result.trace.offers[1::2, :, 3].astype(float)  # B's, in A's frame as in B's (a shared issue)
        first = []
        for pair in range(300):
            odds = (1.0 - fixed_pie) / fixed_pie
            for turn in range(1, well.shape[0]):
                if np.isnan(well[turn, pair]):
                    break
                odds *= max(2.0 * b_well[turn - 1, pair], 1e-12)
                if odds > 1.0:
                    assert well[turn, pair] == 1.0
                    first.append(turn)
                    break
        turned[fixed_pie] = np.mean(first)
    assert turned[0.68] > turned[0.5]


@pytest.mark.parametrize("partner", ["integrative", "distributive", "reciprocal"])
def test_with_no_trust_it_bargains_exactly_as_a_claimer_that_exploits_nobody(partner):
    """Trust 0: no disclosure, no trade-offs, the same fixed-pie perception: offer for offer a distributive's."""
    batches = [
        PairBatch.sample(300, np.random.default_rng(4), strategy_a=name, strategy_b=partner, trust_a=0.0, trust_b=0.0)
        for name in ("integrative", "distributive")
    ]
    integrative, distributive = (negotiate(batch, 7, trace="offers") for batch in batches)
    np.testing.assert_array_equal(integrative.trace.offers, distributive.trace.offers)
    np.testing.assert_array_equal(integrative.agreement, distributive.agreement)
    assert not integrative.disclosed_a.any()


def test_learns_partner_priorities_from_offers():
    """Silent partners: logrolling from offers alone still beats positional bargaining."""
    rng = np.random.default_rng(5)
    from sim.negotiation.strategies.integrative import Integrative

    class SilentIntegrative(Integrative):
        name = ""

        def disclose(self, view, rng):
            return super(Integrative, self).disclose(view, rng)

    silent = SilentIntegrative()
    batch = PairBatch.sample(2000, rng, strategy_a=silent, strategy_b=silent)
    learned = negotiate(batch, 1).joint_share.mean()
    positional = negotiate(PairBatch.sample(2000, np.random.default_rng(5), trust_a=0.0, trust_b=0.0), 1)
    assert learned > positional.joint_share.mean() + 0.1
