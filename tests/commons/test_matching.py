"""Who meets whom: disjoint pairs, neighbours, complementary partners, communities that only a broker bridges."""

from __future__ import annotations

import numpy as np

from sim.commons.matching import complementary_pairs, form_pairs, neighbour_pairs
from sim.negotiation import WATER, draw_weights
from sim.negotiation.preferences import interest_diversity


def pairs_for(n=30, communities=1, **kwargs):
    rng = np.random.default_rng(0)
    community = (np.arange(n) >= n / 2).astype(int) if communities == 2 else np.zeros(n, int)
    defaults = dict(rule="random", aligned=0.0, bridging=0.0)
    defaults.update(kwargs)
    return form_pairs(
        rng=rng,
        season=0,
        position=(np.arange(n) + 0.5) / n,
        weights=draw_weights(WATER, 1.0, n, rng),
        community=community,
        **defaults,
    ), community


def test_pairs_are_disjoint_and_cover_everyone_but_one():
    for n in (2, 7, 30):
        (pairs, _), _ = pairs_for(n)
        flat = pairs.ravel()
        assert flat.size == len(set(flat.tolist())) == 2 * (n // 2)


def test_neighbours_meet_along_the_river():
    pos = (np.arange(10) + 0.5) / 10
    pairs = neighbour_pairs(np.arange(10), pos, season=0)
    assert np.all(np.abs(pairs[:, 0] - pairs[:, 1]) == 1)
    shifted = neighbour_pairs(np.arange(10), pos, season=1)
    assert shifted[0].tolist() == [1, 2]


def test_complementary_partners_differ_more():
    rng = np.random.default_rng(1)
    w = draw_weights(WATER, 1.0, 400, rng)
    matched = complementary_pairs(np.arange(400), w, rng)
    random = rng.permutation(400).reshape(-1, 2)
    assert interest_diversity(w[matched[:, 0]], w[matched[:, 1]]).mean() > interest_diversity(w[random[:, 0]], w[random[:, 1]]).mean()


def test_two_communities_never_meet_without_a_broker():
    (pairs, cross), community = pairs_for(30, communities=2)
    assert not cross.any()
    assert np.all(community[pairs[:, 0]] == community[pairs[:, 1]])
    (pairs, cross), community = pairs_for(30, communities=2, bridging=0.4)
    assert cross.sum() == 6
    assert np.all(community[pairs[cross, 0]] != community[pairs[cross, 1]])
