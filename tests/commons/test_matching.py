"""Who meets whom: disjoint pairs, candidates, partner choice by regard, refusals, complementary partners convened by
a backbone, communities that only a broker bridges."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.commons.matching import (
    BRIDGED,
    CHOSEN,
    CONVENED,
    candidate_edges,
    choose_partners,
    complementary_pairs,
    form_pairs,
    greedy_matching,
)
from sim.negotiation import WATER, draw_weights
from sim.negotiation.preferences import interest_diversity


def indifferent(rows, cols):
    return np.full(np.shape(rows), 0.5)


def nobody(rows, cols):
    return np.zeros(np.shape(rows), dtype=bool)


def pairs_for(n=30, communities=1, seed=0, **kwargs):
    rng = np.random.default_rng(seed)
    community = (np.arange(n) >= n / 2).astype(int) if communities == 2 else np.zeros(n, int)
    defaults = dict(rule="random", count=6, choice=1.0, regard=indifferent, refuses=nobody, aligned=0.0, bridging=0.0)
    defaults.update(kwargs)
    pairing = form_pairs(
        rng=rng,
        position=(np.arange(n) + 0.5) / n,
        weights=draw_weights(WATER, 1.0, n, rng),
        community=community,
        **defaults,
    )
    return pairing, community


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 60), rule=st.sampled_from(["random", "neighbours"]), count=st.integers(1, 10),
       choice=st.floats(0, 1), aligned=st.floats(0, 1), seed=st.integers(0, 2**16))
def test_pairs_are_disjoint_and_nobody_willing_is_left_out(n, rule, count, choice, aligned, seed):
    """Whatever the settings, an organisation is in at most one pair, and with no refusals at most one is left."""
    pairing, _ = pairs_for(n, seed=seed, rule=rule, count=count, choice=choice, aligned=aligned)
    flat = pairing.pairs.ravel()
    assert flat.size == len(set(flat.tolist()))
    assert np.all(pairing.pairs[:, 0] != pairing.pairs[:, 1])
    assert flat.size >= n - 1 - (1 if aligned > 0 else 0)  # a convened group and the rest may each leave one out
    assert pairing.kind.shape == (pairing.pairs.shape[0],)


def test_neighbours_consider_only_organisations_near_them_on_the_river():
    members = np.arange(20)
    position = (members + 0.5) / 20
    edges = candidate_edges(members, position, "neighbours", 4, np.random.default_rng(0))
    assert np.all(np.abs(edges[:, 0] - edges[:, 1]) <= 2)
    pairing, _ = pairs_for(20, rule="neighbours", count=2)
    distance = np.abs(pairing.pairs[:, 0] - pairing.pairs[:, 1])
    assert np.mean(distance == 1) >= 0.7  # most meet the next organisation along the river
    # Those left over meet the nearest other one left, never someone with a closer leftover between them.
    left = np.sort(pairing.pairs[distance > 1].ravel())
    far = pairing.pairs[distance > 1]
    for a, b in far:
        between = left[(left > min(a, b)) & (left < max(a, b))]
        assert between.size == 0


def test_random_candidates_are_others():
    members = np.arange(50)
    edges = candidate_edges(members, (members + 0.5) / 50, "random", 6, np.random.default_rng(1))
    assert np.all(edges[:, 0] != edges[:, 1])
    degree = np.bincount(edges.ravel(), minlength=50)
    assert edges.shape == (150, 2) and degree.mean() == 6  # each considers 6 others on average, not 6 + 6


def test_greedy_matching_takes_the_heaviest_pair_first():
    edges = np.array([[0, 1], [1, 2], [2, 3], [0, 3]])
    weight = np.array([0.1, 0.9, 0.2, 0.3])
    pairs = greedy_matching(edges, weight, 4)
    assert {tuple(sorted(p)) for p in pairs.tolist()} == {(1, 2), (0, 3)}


def test_organisations_pair_with_those_they_regard_well():
    """Two kinds of organisation that regard their own kind highly end up with their own kind."""
    n = 40
    kind = np.arange(n) % 2

    def regard(rows, cols):
        return np.where(kind[rows] == kind[cols], 0.9, 0.1)

    chosen = choose_partners(np.arange(n), rng=np.random.default_rng(2), position=(np.arange(n) + 0.5) / n,
                             rule="random", count=8, choice=1.0, regard=regard, refuses=nobody)
    alike = np.mean(kind[chosen[:, 0]] == kind[chosen[:, 1]])
    at_random = choose_partners(np.arange(n), rng=np.random.default_rng(2), position=(np.arange(n) + 0.5) / n,
                                rule="random", count=8, choice=0.0, regard=regard, refuses=nobody)
    assert alike > 0.85
    assert np.mean(kind[at_random[:, 0]] == kind[at_random[:, 1]]) < 0.75


def test_a_refused_partner_is_never_met():
    n = 30
    culprit = 7

    def refuses(rows, cols):
        return (cols == culprit) | (rows == culprit)  # everyone refuses 7 (and 7, knowing it, stays away)

    pairing, _ = pairs_for(n, refuses=refuses)
    assert culprit not in pairing.pairs.ravel()
    assert pairing.pairs.size == 2 * ((n - 1) // 2)


def test_complementary_partners_differ_more():
    rng = np.random.default_rng(1)
    w = draw_weights(WATER, 1.0, 400, rng)
    matched = complementary_pairs(np.arange(400), w, rng)
    random = rng.permutation(400).reshape(-1, 2)
    assert interest_diversity(w[matched[:, 0]], w[matched[:, 1]]).mean() > interest_diversity(w[random[:, 0]], w[random[:, 1]]).mean()


def test_a_backbone_convenes_its_share_of_organisations():
    pairing, _ = pairs_for(30, aligned=0.4)
    assert pairing.convened.sum() == 6  # 12 of 30 organisations
    assert set(np.unique(pairing.kind).tolist()) == {CHOSEN, CONVENED}


def test_two_communities_never_meet_without_a_broker():
    pairing, community = pairs_for(30, communities=2)
    assert not pairing.bridged.any()
    assert np.all(community[pairing.pairs[:, 0]] == community[pairing.pairs[:, 1]])
    pairing, community = pairs_for(30, communities=2, bridging=0.4)
    cross = pairing.kind == BRIDGED
    assert cross.sum() == 6
    assert np.all(community[pairing.pairs[cross, 0]] != community[pairing.pairs[cross, 1]])
    assert np.all(community[pairing.pairs[~cross, 0]] == community[pairing.pairs[~cross, 1]])
