"""Invariants that must hold for any inputs (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import WATER, PairBatch, negotiate, pareto_frontier, strategy_names
from sim.negotiation.analysis import frontier_value
from sim.negotiation.preferences import utility_a, utility_b

weights = st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4).filter(lambda w: sum(w) > 1e-3)


def normalise(w):
    w = np.asarray(w, dtype=float)
    return w / w.sum()


@st.composite
def batches(draw):
    n = draw(st.integers(1, 12))
    wa = np.array([normalise(draw(weights)) for _ in range(n)])
    wb = np.array([normalise(draw(weights)) for _ in range(n)])
    names = strategy_names()
    return PairBatch.build(
        wa,
        wb,
        reservation_a=draw(st.lists(st.floats(0.0, 0.95), min_size=n, max_size=n)),
        reservation_b=draw(st.lists(st.floats(0.0, 0.95), min_size=n, max_size=n)),
        strategy_a=draw(st.lists(st.sampled_from(names), min_size=n, max_size=n)),
        strategy_b=draw(st.lists(st.sampled_from(names), min_size=n, max_size=n)),
        trust_a=draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)),
        trust_b=draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)),
        deadline_a=draw(st.lists(st.integers(1, 40), min_size=n, max_size=n)),
        deadline_b=draw(st.lists(st.integers(1, 40), min_size=n, max_size=n)),
        exploited_a=draw(st.lists(st.booleans(), min_size=n, max_size=n)),
    )


@settings(max_examples=150, deadline=None)
@given(batch=batches(), seed=st.integers(0, 2**32 - 1))
def test_utilities_in_range_and_never_below_a_batna(batch, seed):
    result = negotiate(batch, seed, trace="offers")
    for u in (result.utility_a, result.utility_b):
        assert np.all((u >= -1e-12) & (u <= 1 + 1e-12))
    agreed = result.agreed
    assert np.all(result.utility_a[agreed] >= batch.reservation_a[agreed] - 1e-9)
    assert np.all(result.utility_b[agreed] >= batch.reservation_b[agreed] - 1e-9)
    assert np.all((result.agreement[agreed] >= -1e-12) & (result.agreement[agreed] <= 1 + 1e-12))
    # Every offer made is a package inside the issue space.
    offers = result.trace.offers
    made = offers[~np.isnan(offers)]
    assert np.all((made >= -1e-6) & (made <= 1 + 1e-6))
    # Impasse means both get their BATNA; rounds never exceed the shorter deadline.
    assert np.all(result.utility_a[~agreed] == batch.reservation_a[~agreed])
    assert np.all(result.rounds <= np.minimum(batch.deadline_a, batch.deadline_b))


@settings(max_examples=200, deadline=None)
@given(wa=weights, wb=weights, seed=st.integers(0, 2**32 - 1))
def test_pareto_frontier_dominates_every_sampled_outcome(wa, wb, seed):
    wa, wb = normalise(wa)[None, :], normalise(wb)[None, :]
    frontier = pareto_frontier(wa, wb, WATER.opposed)
    x = np.random.default_rng(seed).random((WATER.size, 500))
    ua = utility_a(x, np.repeat(wa.T, 500, axis=1))
    ub = utility_b(x, np.repeat(wb.T, 500, axis=1), WATER.opposed)
    best_b = frontier_value(
        type(frontier)(np.repeat(frontier.ua, 500, 0), np.repeat(frontier.ub, 500, 0), np.repeat(frontier.x, 500, 0)), ua
    )
    assert np.all(ub <= best_b + 1e-9)
    # The frontier's own vertices are real packages with the utilities it claims.
    vx = frontier.x[0].T
    assert np.allclose(utility_a(vx, np.repeat(wa.T, vx.shape[1], 1)), frontier.ua[0])
    assert np.allclose(utility_b(vx, np.repeat(wb.T, vx.shape[1], 1), WATER.opposed), frontier.ub[0])
