"""The alternating-offers protocol: acceptance, deadlines, impasse, traces, and batching that changes nothing."""

from __future__ import annotations

import numpy as np
import pytest

from sim import PairBatch, make_strategy, negotiate
from sim.negotiation import engine
from sim.negotiation.concession import aspiration


def mixed_batch(n=400, seed=1, trust=1.0):
    rng = np.random.default_rng(seed)
    names = ["integrative", "distributive", "reciprocal"]
    return PairBatch.sample(
        n,
        rng,
        strategy_a=[names[i % 3] for i in range(n)],
        strategy_b=[names[(i // 3) % 3] for i in range(n)],
        trust_a=trust,
        trust_b=trust,
        deadline_a=rng.integers(5, 120, n),
        deadline_b=rng.integers(5, 120, n),
    )


@pytest.mark.parametrize("trust", [0.0, 1.0])
def test_a_batch_gives_what_each_pair_gives_alone(trust):
    """Grouping by strategy and dropping finished pairs must not change any outcome."""
    batch = mixed_batch(trust=trust)
    together = negotiate(batch, 0)
    for i in range(0, batch.size, 7):
        alone = PairBatch.build(
            batch.weights_a[i : i + 1],
            batch.weights_b[i : i + 1],
            reservation_a=batch.reservation_a[i : i + 1],
            reservation_b=batch.reservation_b[i : i + 1],
            strategy_a=batch.strategy_a[i],
            strategy_b=batch.strategy_b[i],
            trust_a=trust,
            trust_b=trust,
            deadline_a=batch.deadline_a[i : i + 1],
            deadline_b=batch.deadline_b[i : i + 1],
        )
        single = negotiate(alone, 0)
        assert single.agreed[0] == together.agreed[i]
        assert single.rounds[0] == together.rounds[i]
        assert single.utility_a[0] == pytest.approx(together.utility_a[i], abs=1e-12)
        assert single.utility_b[0] == pytest.approx(together.utility_b[i], abs=1e-12)


def test_every_rejected_offer_was_worth_less_than_the_receivers_next_offer():
    """AC_next: an offer is turned down only when the receiver's own next offer is worth more to it."""
    batch = mixed_batch(n=200, trust=0.5)
    result = negotiate(batch, 3, trace=True)
    ua, ub = result.trace.utility_a, result.trace.utility_b
    for step in range(ua.shape[0] - 1):
        receiver = ub if step % 2 == 0 else ua  # A offers at even steps, B answers at the next
        made, countered = receiver[step], receiver[step + 1]
        both = ~np.isnan(made) & ~np.isnan(countered)
        assert np.all(made[both] < countered[both] + 1e-6)


def test_trace_ends_at_the_agreement():
    result = negotiate(mixed_batch(n=200), 4, trace=True)
    for i in np.flatnonzero(result.agreed)[:50]:
        dance = result.trace.pair(i)
        accepted = dance.iloc[-1]  # the last offer made is the one accepted
        assert accepted["utility_a"] == pytest.approx(result.utility_a[i], abs=1e-6)
        assert accepted["utility_b"] == pytest.approx(result.utility_b[i], abs=1e-6)
        assert accepted["step"] == result.agreed_at[i] - 1  # made on the turn before it was accepted


def test_impasse_when_no_package_meets_both_batnas():
    w = np.array([[1.0, 0.0, 0.0, 0.0]])  # both care only about volume: a pure fixed pie
    batch = PairBatch.build(w, w, reservation_a=0.7, reservation_b=0.7, deadline_a=30, deadline_b=30)
    result = negotiate(batch, 0)
    assert not result.agreed[0]
    assert result.utility_a[0] == 0.7 and result.utility_b[0] == 0.7
    assert result.rounds[0] == 30


def test_the_side_with_the_nearer_deadline_concedes_more():
    rng = np.random.default_rng(9)
    batch = PairBatch.sample(1000, rng, strategy_a="distributive", strategy_b="distributive", deadline_a=20, deadline_b=100)
    result = negotiate(batch, rng)
    assert result.rounds.max() <= 20
    assert result.utility_b.mean() > result.utility_a.mean() + 0.1


def test_offers_never_ask_less_than_the_proposers_aspiration():
    batch = mixed_batch(n=300, trust=0.7)
    result = negotiate(batch, 2, trace=True)
    ua = result.trace.utility_a
    steps = np.arange(0, ua.shape[0], 2)  # A's offers
    for i in range(batch.size):
        strategy = batch.strategy_a[i]
        tau = np.minimum(1.0, (steps // 2) / max(1, batch.deadline_a[i] - 1))
        floor = aspiration(tau, strategy.concession, batch.reservation_a[i])
        made = ua[steps, i]
        ok = ~np.isnan(made)
        assert np.all(made[ok] >= floor[ok] - 1e-6)


def test_opening_offers_are_each_sides_ideal():
    batch = mixed_batch(n=50)
    result = negotiate(batch, 0, trace="offers")
    assert np.allclose(result.trace.utility_a[0], 1.0)
    assert np.allclose(result.trace.utility_b[1][~np.isnan(result.trace.utility_b[1])], 1.0)


def test_distributive_concession_tempo():
    """A Boulware claimer (exponent < 1) holds out longer and gets more than a Conceder."""
    rng = np.random.default_rng(5)
    batch = PairBatch.sample(
        1000, rng, strategy_a=make_strategy("distributive", concession=0.3),
        strategy_b=make_strategy("distributive", concession=3.0),
    )
    result = negotiate(batch, rng)
    assert result.utility_a.mean() > result.utility_b.mean() + 0.1


@pytest.mark.parametrize("trust", [0.0, 1.0])
def test_dropping_finished_pairs_changes_nothing(trust, monkeypatch):
    """The working arrays shrink as pairs settle (only in large batches by default): force it on a small one."""
    batch = mixed_batch(trust=trust)
    monkeypatch.setattr(engine, "_COMPACT_MIN", 10**9)
    kept = negotiate(batch, 0, trace=True)
    monkeypatch.setattr(engine, "_COMPACT_MIN", 1)
    dropped = negotiate(batch, 0, trace=True)
    np.testing.assert_array_equal(kept.agreed_at, dropped.agreed_at)
    np.testing.assert_array_equal(kept.agreement, dropped.agreement)
    np.testing.assert_array_equal(kept.trace.utility_a, dropped.trace.utility_a)
    np.testing.assert_array_equal(kept.trace.utility_b, dropped.trace.utility_b)
