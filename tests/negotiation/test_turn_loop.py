"""The compiled turn loop (sim/negotiation/turn_loop.py) negotiates exactly as the numpy engine, to the bit, traces
included: the differential test of the two."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import PairBatch, make_strategy, negotiate
from sim.negotiation import kernels
from sim.negotiation.domain import Domain, Issue

PLAYERS = [
    "integrative", "distributive", "reciprocal",
    make_strategy("integrative", concession=0.5), make_strategy("distributive", concession=2.0, matching=0.8),
    make_strategy("distributive", misreport=0.5),
    make_strategy("reciprocal", misreport=0.3, threshold=0.4, concession=3.0),
]
ROLES = ("distributive", "logrolling", "compatible")


def run(batch: PairBatch, seed: int, mode: str) -> object:
    """``negotiate`` in one kernel mode (``compiled``: the turn loop from the first meeting; ``numpy``: no kernel)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernels, "_mode", mode)
        if mode == "compiled":
            assert kernels.turn_loop() is not None, "numba did not load"  # a dependency: this test never skips
        return negotiate(batch, seed, trace="offers")


def assert_identical(got, reference) -> None:
    """Every result array equal to the bit (NaN where NaN), the traced offers and utilities included."""
    for field in dataclasses.fields(reference):
        if field.name in ("batch", "trace"):
            continue
        a, b = np.asarray(getattr(got, field.name)), np.asarray(getattr(reference, field.name))
        assert a.dtype == b.dtype and a.shape == b.shape, field.name
        assert a.tobytes() == b.tobytes(), field.name
    for name in ("utility_a", "utility_b", "offers"):
        a, b = getattr(got.trace, name), getattr(reference.trace, name)
        assert a.shape == b.shape and a.tobytes() == b.tobytes(), f"trace.{name}"


def domain_of(roles: list[str]) -> Domain:
    profile = np.full(len(roles), 1.0 / len(roles))
    profile[-1] = 1.0 - profile[:-1].sum()
    return Domain(tuple(Issue(f"issue_{i}", role) for i, role in enumerate(roles)), tuple(profile))


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    seed=st.integers(0, 2**32 - 1),
    players_a=st.lists(st.integers(0, len(PLAYERS) - 1), min_size=1, max_size=3),
    players_b=st.lists(st.integers(0, len(PLAYERS) - 1), min_size=1, max_size=3),
    trust=st.sampled_from(["random", 0.0, 1.0, "levels"]),
    deadlines=st.tuples(st.integers(1, 15), st.integers(1, 15), st.booleans()),
    fixed_pie=st.tuples(st.sampled_from([0.5, 0.68, 0.9, 1.0]), st.sampled_from([0.5, 0.68, 1.0])),
    facilitated=st.sampled_from([0.0, 0.3, 1.0]),
    exploited=st.booleans(),
    variation=st.sampled_from([0.0, 0.2, 1.0]),
    roles=st.one_of(st.none(), st.lists(st.sampled_from(ROLES), min_size=1, max_size=9)),
)
def test_the_compiled_loop_negotiates_as_the_numpy_engine(
    n, seed, players_a, players_b, trust, deadlines, fixed_pie, facilitated, exploited, variation, roles
):
    """Hypothesis over batch size (one negotiation, where numpy sums in another order, included), strategies and
    their parameters, trust, deadlines, fixed-pie belief, facilitation, earlier exploitation, individual variation
    and domains of 1 to 9 issues of any kind."""
    rng = np.random.default_rng(seed)
    low, high, varied = deadlines
    trusts = {"random": lambda: rng.random(n), "levels": lambda: rng.choice([0.0, 0.5, 1.0], n)}
    kwargs = {} if roles is None else {"domain": domain_of(roles)}
    batch = PairBatch.sample(
        n, rng,
        strategy_a=[PLAYERS[players_a[i]] for i in rng.integers(0, len(players_a), n)],
        strategy_b=[PLAYERS[players_b[i]] for i in rng.integers(0, len(players_b), n)],
        trust_a=trusts[trust]() if isinstance(trust, str) else trust,
        trust_b=trusts["random"]() if isinstance(trust, str) else trust,
        deadline_a=rng.integers(min(low, high), max(low, high) + 1, n) if varied else low,
        deadline_b=rng.integers(1, 16, n) if varied else high,
        fixed_pie_a=fixed_pie[0], fixed_pie_b=rng.choice(fixed_pie, n), facilitated=rng.random(n) < facilitated,
        exploited_a=rng.random(n) < 0.5 if exploited else False, variation=variation, **kwargs,
    )
    reference = run(batch, seed, "numpy")
    assert_identical(run(batch, seed, "compiled"), reference)


@pytest.mark.parametrize("alone", [None, "last", "group"])
def test_the_compiled_loop_drops_finished_pairs_where_the_engine_does(alone, monkeypatch):
    """Batches large enough that the engine drops finished negotiations mid-way (which decides how long a settled
    one keeps learning from offers), one where a single negotiation is left in the working arrays and one where a
    strategy's group is left with one (numpy then sums in another order: the compiled loop then runs step by step,
    as the engine does, instead of negotiation by negotiation)."""
    from sim.negotiation import turn_loop

    rng = np.random.default_rng(5)
    n = 2100
    deadline = {None: rng.integers(2, 60, n), "last": np.where(np.arange(n) == 7, 40, 2),
                "group": np.where(np.arange(n) < 100, 40, 2)}[alone]
    players = [PLAYERS[i] for i in rng.integers(0, len(PLAYERS), n)]
    if alone == "group":  # a strategy that plays two negotiations, one of which ends at once
        players = ["distributive"] * n
        players[0] = players[200] = PLAYERS[3]
    batch = PairBatch.sample(
        n, rng, strategy_a=players,
        strategy_b=[PLAYERS[i] for i in rng.integers(0, len(PLAYERS), n)], trust_a=rng.random(n),
        trust_b=rng.choice([0.0, 1.0], n), deadline_a=deadline, deadline_b=deadline,
        facilitated=(rng.random(n) < 0.2) & ((np.arange(n) > 200) if alone else True),  # not the ones left
    )
    by_step = []
    step_by_step = turn_loop._run_by_step
    monkeypatch.setattr(turn_loop, "_run_by_step", lambda *arrays: by_step.append(1) or step_by_step(*arrays))
    reference = run(batch, 2, "numpy")
    assert_identical(run(batch, 2, "compiled"), reference)
    assert bool(by_step) == (alone is not None)


def test_other_strategies_run_the_numpy_loop(monkeypatch):
    """A strategy the compiled loop does not know (here a subclass) is played by the numpy loop, in any mode."""
    from sim.negotiation.strategies.integrative import Integrative

    class Patient(Integrative):
        name = ""  # not registered

    rng = np.random.default_rng(1)
    batch = PairBatch.sample(30, rng, strategy_a=Patient(), strategy_b="distributive", deadline_a=5, deadline_b=5)
    calls = []
    monkeypatch.setattr(kernels, "_turn_loop", lambda *arrays: calls.append(1))
    reference = run(batch, 1, "numpy")
    assert_identical(run(batch, 1, "compiled"), reference)
    assert not calls


def test_auto_mode_loads_the_turn_loop_once_numpy_has_spent_what_loading_costs(monkeypatch):
    """Mode auto runs the numpy loop until its turns are estimated to have cost LOOP_AFTER_SECONDS, then the compiled
    loop; mode numpy never loads it, mode compiled at once."""
    monkeypatch.setattr(kernels, "_turn_loop", None)
    monkeypatch.setattr(kernels, "_numpy_seconds", 0.0)
    monkeypatch.setattr(kernels, "_mode", "numpy")
    kernels.count_numpy_turns(10**9, 500)
    assert kernels.turn_loop() is None
    monkeypatch.setattr(kernels, "_mode", "auto")
    monkeypatch.setattr(kernels, "_numpy_seconds", kernels.LOOP_AFTER_SECONDS - 1e-9)
    batch = PairBatch.sample(20, np.random.default_rng(2), deadline_a=6, deadline_b=6)
    assert kernels.turn_loop() is None
    first = negotiate(batch, 0, trace="offers")  # numpy: its turns tip the estimate over
    assert kernels.turn_loop() is not None
    assert_identical(negotiate(batch, 0, trace="offers"), first)

