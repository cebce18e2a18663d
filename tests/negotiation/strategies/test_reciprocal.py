"""Reciprocal: integrative with partners it trusts, distributive with those who exploited it."""

from __future__ import annotations

import numpy as np

from sim import PairBatch, make_strategy, negotiate


def test_acts_on_trust_and_history():
    rng = np.random.default_rng(0)
    n = 400
    trust = np.where(np.arange(n) % 2 == 0, 0.9, 0.2)
    exploited = np.arange(n) % 4 == 0
    batch = PairBatch.sample(n, rng, strategy_a="reciprocal", strategy_b="integrative", trust_a=trust, exploited_a=exploited)
    result = negotiate(batch, rng)
    expected = (trust >= 0.5) & ~exploited
    assert np.array_equal(result.integrative_a, expected)
    assert not result.disclosed_a[~expected].any()


def test_threshold_is_a_parameter():
    rng = np.random.default_rng(1)
    strict = make_strategy("reciprocal", threshold=0.95)
    result = negotiate(PairBatch.sample(100, rng, strategy_a=strict, trust_a=0.9), rng)
    assert not result.integrative_a.any()


def test_reciprocal_pairs_match_integrative_pairs_when_trusting():
    rng = np.random.default_rng(2)
    batch = PairBatch.sample(500, rng, strategy_a="reciprocal", strategy_b="reciprocal")
    twin = PairBatch.sample(500, np.random.default_rng(2), strategy_a="integrative", strategy_b="integrative")
    assert np.allclose(negotiate(batch, 3).utility_a, negotiate(twin, 3).utility_a)


def test_guarding_denies_a_claimer_its_gains():
    """Retaliation is deterrence: against a guard the claimer gets what it would against a partner that never opened
    up, which is well below what it took from an open one; and the guard does better than when it was open (two
    positional bargainers still learn from each other's offers that both want the well)."""
    def sample(**kwargs):
        return PairBatch.sample(2000, np.random.default_rng(3), strategy_b="distributive", **kwargs)
    guarded = negotiate(sample(strategy_a="reciprocal", exploited_a=True), 1)
    open_ = negotiate(sample(strategy_a="integrative"), 1)
    closed = negotiate(sample(strategy_a="integrative", trust_a=0.0), 1)
    assert not guarded.disclosed_a.any() and not guarded.claimed_b.any()
    np.testing.assert_array_equal(guarded.utility_b, closed.utility_b)
    assert guarded.utility_b.mean() < open_.utility_b.mean() - 0.1  # the claimer's gain is gone
    assert guarded.utility_a.mean() > open_.utility_a.mean()  # and being open to a claimer was what cost the guard
