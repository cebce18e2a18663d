"""Distributive: positional, fixed-pie, never truthful about priorities, exploits what is disclosed."""

from __future__ import annotations

import numpy as np
import pytest

from sim import PairBatch, make_strategy, negotiate


def test_never_discloses_and_bluffs_with_its_ranking_reversed():
    rng = np.random.default_rng(0)
    silent = negotiate(PairBatch.sample(200, rng, strategy_a="distributive"), rng)
    assert not silent.disclosed_a.any()
    bluffer = make_strategy("distributive", misreport=1.0)
    result = negotiate(PairBatch.sample(200, rng, strategy_a=bluffer, strategy_b="integrative"), rng)
    assert result.disclosed_a.all() and result.misreported_a.all()


def test_bluff_announces_the_reverse_ranking():
    from sim.negotiation.engine import _Side
    from sim import WATER

    w = np.array([[0.5, 0.3, 0.15, 0.05]])
    one = np.ones(1)
    side = _Side(w.T.copy(), np.array([0.3]), one, np.array([10]), np.array([False]), one, one, np.ones((4, 1)), WATER.opposed)
    side.sort([make_strategy("distributive", misreport=1.0)], np.zeros(1, dtype=np.int64))
    group = side.groups[0]
    disclosure = group.strategy.disclose(group.view, np.random.default_rng(0))
    assert np.allclose(disclosure.priorities[:, 0], [0.05, 0.15, 0.3, 0.5])


def test_splits_the_difference_on_every_issue_including_the_well():
    """The fixed-pie perception: a claimer whose belief no offer shakes concedes on the well too."""
    w = np.array([[0.4, 0.2, 0.2, 0.2]])
    batch = PairBatch.build(w, w, strategy_a="distributive", strategy_b="distributive", deadline_a=10, deadline_b=10,
                            fixed_pie_a=1.0, fixed_pie_b=1.0)
    result = negotiate(batch, 0, trace="offers")
    offers = result.trace.offers[:, 0, :]
    a_offers = offers[0::2]
    a_offers = a_offers[~np.isnan(a_offers[:, 0])]
    assert np.allclose(a_offers, a_offers[:, :1])  # every issue at the same level
    assert result.lose_lose[0]  # the well ends half-built


def test_exploits_disclosed_priorities_by_holding_what_the_partner_values_most():
    """(A claimer that never revises its fixed-pie belief, so that the order it gives ground in shows alone: one that
    learns may take the volume B gives it in full for a shared issue, and hold it too.)"""
    wa = np.array([[0.25, 0.25, 0.25, 0.25]])
    wb = np.array([[0.1, 0.6, 0.1, 0.2]])  # B cares most about the dry-season schedule
    batch = PairBatch.build(wa, wb, strategy_a="distributive", strategy_b="integrative", trust_b=1.0, deadline_a=40,
                            deadline_b=40, fixed_pie_a=1.0)
    result = negotiate(batch, 0, trace="offers")
    assert result.claimed_a[0] and result.disclosed_b[0]
    a_offers = result.trace.offers[2::2, 0, :]
    a_offers = a_offers[~np.isnan(a_offers[:, 0])]
    schedule, volume = a_offers[:, 1], a_offers[:, 0]
    assert np.all(schedule >= volume - 1e-12)  # concedes volume before the schedule B prizes
    assert schedule[len(schedule) // 2] == pytest.approx(1.0)


def test_claiming_returns_only_part_of_the_partners_concessions():
    rng = np.random.default_rng(4)
    batch = PairBatch.sample(2000, rng, strategy_a="distributive", strategy_b="integrative", trust_b=1.0)
    greedy = negotiate(batch, 1)
    matching = PairBatch.sample(2000, np.random.default_rng(4), strategy_a=make_strategy("distributive", matching=1.0),
                                strategy_b="integrative", trust_b=1.0)
    fair = negotiate(matching, 1)
    assert greedy.utility_a.mean() > fair.utility_a.mean() + 0.02
    assert greedy.utility_b.mean() < fair.utility_b.mean() - 0.02


def test_a_claimer_that_notices_the_shared_interest_keeps_the_well():
    """A claimer with no fixed-pie bias reads the partner's opening, which asks for the well, as a shared interest: it
    stops conceding on it and concedes the same fraction on the contested issues only; its offers are still worth its
    aspiration."""
    w = np.array([[0.4, 0.2, 0.2, 0.2]])
    batch = PairBatch.build(w, w, strategy_a="distributive", strategy_b="distributive", deadline_a=10, deadline_b=10,
                            fixed_pie_a=0.5, fixed_pie_b=1.0, variation=0.0)
    result = negotiate(batch, 0, trace="offers")
    a_offers = result.trace.offers[2::2, 0, :]  # after B's opening has arrived
    a_offers = a_offers[~np.isnan(a_offers[:, 0])]
    assert np.all(a_offers[:, 3] == 1.0)
    assert np.allclose(a_offers[:, :3], a_offers[:, :1])
    assert not result.lose_lose[0]


def lose_lose(strategy: str, rounds: int, fixed_pie: float = 0.68, seed: int = 21) -> float:
    rng = np.random.default_rng(seed)
    batch = PairBatch.sample(3000, rng, strategy_a=strategy, strategy_b=strategy, deadline_a=rounds, deadline_b=rounds,
                             fixed_pie_a=fixed_pie, fixed_pie_b=fixed_pie, trust_a=0.5, trust_b=0.5)
    return negotiate(batch, rng).summary()["lose_lose_rate"]


@pytest.mark.parametrize("strategy", ["distributive", "integrative"])
def test_lose_lose_comes_from_the_dance_and_falls_with_more_offers_and_less_bias(strategy):
    """Fixed-pie perception is a belief offers revise: a short meeting leaves the well half-built more often than a
    long one, and a weaker starting belief (a common agenda) less often; a belief no offer shakes keeps it
    half-built however long they talk."""
    short, long_ = lose_lose(strategy, 2), lose_lose(strategy, 12)
    assert short > long_ + 0.2
    assert lose_lose(strategy, 2, fixed_pie=0.55) < short - 0.2
    assert lose_lose(strategy, 12, fixed_pie=1.0) > long_ + 0.2
