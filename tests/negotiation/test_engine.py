"""The alternating-offers protocol: acceptance, deadlines, impasse, traces, and batching that changes nothing."""

from __future__ import annotations

import numpy as np
import pytest

from sim import PairBatch, make_strategy, negotiate
from sim.negotiation import engine
from sim.negotiation.concession import aspiration


def mixed_batch(n=400, seed=1, trust=1.0, **kwargs):
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
        **kwargs,
    )


@pytest.mark.parametrize(("trust", "fixed_pie"), [(0.0, 0.68), (0.0, 1.0), (1.0, 0.5), (1.0, 0.68)])
def test_a_batch_gives_what_each_pair_gives_alone(trust, fixed_pie):
    """Grouping by strategy and dropping finished pairs must not change any outcome (individual variation off, so
    that no random draw differs between a batch and a pair alone)."""
    batch = mixed_batch(trust=trust, variation=0.0, fixed_pie_a=fixed_pie, fixed_pie_b=fixed_pie)
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
            fixed_pie_a=fixed_pie,
            fixed_pie_b=fixed_pie,
            variation=0.0,
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
    batch = mixed_batch(n=300, trust=0.7, variation=0.5)
    result = negotiate(batch, 2, trace=True)
    ua = result.trace.utility_a
    steps = np.arange(0, ua.shape[0], 2)  # A's offers
    for i in range(batch.size):
        strategy = batch.strategy_a[i]
        planned = max(1.0, result.horizon_a[i] * (batch.deadline_a[i] - 1))
        tau = np.minimum(1.0, (steps // 2) / planned)
        floor = aspiration(tau, strategy.concession, batch.reservation_a[i], result.opening_a[i])
        made = ua[steps, i]
        ok = ~np.isnan(made)
        assert np.all(made[ok] >= floor[ok] - 1e-6)


def test_opening_offers_are_worth_each_sides_opening_aspiration():
    """Worth exactly the opening aspiration, or more where no package is worth that little to the proposer (a
    claimer that keeps a heavily weighted well at its ideal cannot concede enough on the rest)."""
    batch = mixed_batch(n=200)
    result = negotiate(batch, 0, trace="offers")
    assert np.allclose(result.trace.utility_a[0], result.opening_a, atol=1e-6)  # A knows nothing yet; float32 traces
    answered = ~np.isnan(result.trace.utility_b[1])
    b_open = result.trace.utility_b[1][answered]
    assert np.all(b_open >= result.opening_b[answered] - 1e-6)
    assert np.mean(np.abs(b_open - result.opening_b[answered]) < 1e-6) > 0.95


def test_negotiators_vary_individually_within_the_stated_spread():
    batch = mixed_batch(n=2000, variation=0.3)
    result = negotiate(batch, 0)
    for opening, reservation in ((result.opening_a, batch.reservation_a), (result.opening_b, batch.reservation_b)):
        assert np.all(opening <= 1.0) and np.all(opening >= 1.0 - 0.3 * (1.0 - reservation) - 1e-12)
        assert opening.std() > 0.01
    assert np.all((result.horizon_a >= 0.7) & (result.horizon_a <= 1.0)) and result.horizon_a.std() > 0.01
    same = negotiate(mixed_batch(n=2000, variation=0.0), 0)
    assert np.all(same.opening_a == 1.0) and np.all(same.horizon_b == 1.0)


def test_the_same_two_organisations_reach_many_different_packages():
    """Negotiators differ in opening, tempo and perception, so one pair meeting again and again (different seeds)
    does not settle the same way every time."""
    wa, wb = np.array([[0.4, 0.3, 0.1, 0.2]]), np.array([[0.3, 0.1, 0.4, 0.2]])
    for strategy, trust in (("distributive", 0.0), ("integrative", 0.5)):
        packages = set()
        for seed in range(200):
            batch = PairBatch.build(wa, wb, strategy_a=strategy, strategy_b=strategy, trust_a=trust, trust_b=trust,
                                    deadline_a=12, deadline_b=12)
            result = negotiate(batch, seed)
            if result.agreed[0]:
                packages.add(tuple(np.round(result.agreement[0], 4)))
        assert len(packages) >= 50, (strategy, len(packages))


@pytest.mark.parametrize("strategy", ["distributive", "integrative"])
def test_a_single_round_can_reach_agreement(strategy):
    """With one round, the side answering last has no next offer to compare with: it accepts anything at least
    worth its BATNA (a one-round meeting used never to agree)."""
    rng = np.random.default_rng(11)
    batch = PairBatch.sample(500, rng, strategy_a=strategy, strategy_b=strategy, deadline_a=1, deadline_b=1,
                             reservation=(0.0, 0.2))
    result = negotiate(batch, rng)
    assert result.agreed.mean() > 0.2
    assert np.all(result.utility_b[result.agreed] >= batch.reservation_b[result.agreed] - 1e-12)
    rejected = ~result.agreed
    assert np.all(result.rounds[rejected] == 1)


def test_at_the_last_answer_a_side_accepts_what_beats_its_batna():
    rng = np.random.default_rng(12)
    batch = PairBatch.sample(1000, rng, strategy_a=make_strategy("distributive", concession=0.2),
                             strategy_b=make_strategy("distributive", concession=0.2), deadline_a=8, deadline_b=8,
                             reservation=(0.3, 0.5))
    result = negotiate(batch, rng, trace=True)
    last = 2 * 8 - 2  # A's final offer; B answers it at the last step
    assert result.trace.utility_b.shape[0] > last, "some pairs must reach the last step for this test"
    offered_b = result.trace.utility_b[last]
    made = ~np.isnan(offered_b)
    worth_it = made & (offered_b >= batch.reservation_b + 1e-6)
    assert worth_it.any()
    assert np.all(result.agreed[worth_it])


def test_a_facilitator_keeps_confidences_and_drafts_one_text():
    """The single negotiating text: each side tells the facilitator what it would tell the partner (a trusting
    problem-solver its priorities, a claimer nothing), the partner learns nothing of it, so nobody's openness is
    claimed; most pairs accept the facilitator's text before any offer, and a problem-solver facing a claimer does
    better facilitated than alone with it."""
    rng = np.random.default_rng(13)
    n = 3000
    batch = PairBatch.sample(n, rng, strategy_a="integrative", strategy_b=["integrative", "distributive"] * (n // 2),
                             trust_a=1.0, trust_b=1.0, facilitated=True)
    result = negotiate(batch, rng)
    frame = result.to_frame()
    cooperative = np.arange(n) % 2 == 0
    assert result.disclosed_a.all() and result.disclosed_b[cooperative].all()  # told the facilitator
    assert not result.disclosed_b[~cooperative].any()
    assert not result.claimed_b.any()  # nobody's openness can be exploited
    assert frame.by_text.mean() > 0.5 and (result.rounds[frame.by_text] == 0).all()
    assert frame.noticed_a.all() and frame.noticed_b.all()  # the facilitator says which issues are shared
    plain = negotiate(PairBatch.sample(n, np.random.default_rng(13), strategy_a="integrative",
                                       strategy_b=["integrative", "distributive"] * (n // 2), trust_a=1.0, trust_b=1.0),
                      np.random.default_rng(13))
    assert plain.claimed_b[~cooperative].all()
    assert result.utility_a[~cooperative].mean() > plain.utility_a[~cooperative].mean()


def test_facilitation_does_not_make_strangers_trust():
    """With no trust at all a problem-solver confides nothing, so a facilitated meeting of problem-solvers goes
    exactly as one of claimers: the facilitator's help (the shared issues, an even text) is the same for both."""
    outcomes = []
    for strategy in ("integrative", "distributive"):
        batch = PairBatch.sample(1000, np.random.default_rng(17), strategy_a=strategy, strategy_b=strategy,
                                 trust_a=0.0, trust_b=0.0, facilitated=True)
        outcomes.append(negotiate(batch, 5))
    np.testing.assert_array_equal(outcomes[0].agreement, outcomes[1].agreement)
    assert not outcomes[0].disclosed_a.any()


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


def test_no_impasse_leaves_an_offer_both_prefer_to_walking_away():
    """The deadline's last offer is answered: an impasse never ends with an offer on the table that both sides value
    at least at their BATNA (the app's dance once showed such an 'impasse')."""
    for seed in range(3):
        batch = mixed_batch(n=400, seed=seed, trust=0.3)
        result = negotiate(batch, seed, trace=True)
        for i in np.flatnonzero(~result.agreed):
            last = result.trace.pair(int(i)).iloc[-1]
            assert not (last["utility_a"] >= batch.reservation_a[i] and last["utility_b"] >= batch.reservation_b[i])
