"""The compiled kernels give the numpy references' numbers to the bit, alone and inside whole negotiations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import PairBatch, make_strategy, negotiate
from sim.errors import InputError
from sim.negotiation import kernels, offers



@pytest.fixture(autouse=True)
def compiled(monkeypatch):
    """Kernels from the first large meeting, whatever REMBUG_KERNELS says (numba is a dependency: no skipping)."""
    monkeypatch.setattr(kernels, "_mode", "compiled")
    assert kernels.use(kernels.COMPILED_FROM), "numba did not load"


@pytest.fixture
def numpy_only(monkeypatch):
    """Run the numpy references whatever the size."""

    def switch(on: bool) -> None:
        if on:
            monkeypatch.setattr(kernels, "use", lambda negotiations: False)
        else:
            monkeypatch.undo()

    return switch


def arrays(rng: np.random.Generator, k: int, n: int, ties: bool) -> dict[str, np.ndarray]:
    coarse = (lambda a: np.round(a, 1)) if ties else (lambda a: a)  # rounded values make exact ties common
    return {
        "cost": coarse(rng.random((k, n))) * (rng.random((k, n)) < 0.8),
        "priority": coarse(rng.random((k, n)) * 3.0),
        "inverse": 1.0 / np.maximum(coarse(rng.random((k, n))), 1e-12) * (rng.random((k, n)) < 0.9),
        "target": coarse(rng.random(n)),
        "last": coarse(rng.random((k, n))),
        "first": coarse(rng.random((k, n))),
        "disclosed": rng.random(n) < 0.4,
        "disclosure": rng.random((k, n)),
        "share": rng.random(n),
    }


@settings(max_examples=80, deadline=None)
@given(k=st.integers(1, 6), n=st.integers(2, 300), seed=st.integers(0, 2**32 - 1), ties=st.booleans(),
       sliced=st.booleans())
def test_each_kernel_matches_its_numpy_reference(k, n, seed, ties, sliced):
    """From two negotiations on (with one, einsum sums in another order and can differ in the last bit; the kernels
    only ever run for groups of COMPILED_FROM or more)."""
    a = arrays(np.random.default_rng(seed), k, n, ties)
    if sliced:  # views into wider arrays, as the engine's groups are
        a = {key: value[..., n // 3 :] for key, value in a.items()}
    scale, shift = offers.tie_break(k)
    ranked = a["priority"] * scale[:, None] + shift[:, None]
    before = np.einsum("ijn,jn->in", ranked[None, :, :] > ranked[:, None, :], a["cost"], dtype=float)
    np.testing.assert_array_equal(kernels.tradeoff_order(a["cost"], a["priority"], scale, shift), before)

    learned = np.where(a["disclosed"], a["disclosure"], 1.05 - np.abs(a["last"] - a["first"])) * a["priority"]
    ranked = learned * scale[:, None] + shift[:, None]
    expected = np.einsum("ijn,jn->in", ranked[None, :, :] > ranked[:, None, :], a["cost"], dtype=float)
    got = kernels.learned_tradeoff_order(a["last"], a["first"], a["disclosed"], a["disclosure"], a["priority"], a["cost"],
                                         scale, shift)
    np.testing.assert_array_equal(got, expected)

    share = ((1.0 - a["target"]) - before) * a["inverse"]
    positions = 1.0 - np.minimum(np.maximum(share, 0.0), 1.0)
    np.testing.assert_array_equal(kernels.concede(a["inverse"], before, a["target"]), positions)
    openness = a["share"]
    blended = positions * openness + a["target"] * (1.0 - openness)
    np.testing.assert_array_equal(
        kernels.concede_blended(a["inverse"], before, a["target"], openness, 1.0 - openness, None), blended
    )
    held = a["disclosed"][None, :] & (a["last"] > 0.7)  # issues noticed as shared: kept at the ideal
    parts = offers.fixed_pie_parts(a["first"], held)
    guarded = positions * openness + offers.fixed_pie_from(a["target"], parts) * (1.0 - openness)
    np.testing.assert_array_equal(
        kernels.concede_blended(a["inverse"], before, a["target"], openness, 1.0 - openness, parts), guarded
    )

    base = a["disclosure"].sum(axis=0)
    demanded = base + (a["disclosure"] * a["last"]).sum(axis=0)  # as Distributive.propose's numpy reference
    held = 0.9 - 0.5 * (1.0 - np.where(a["disclosed"], demanded, 1.0))
    aim = np.where(a["disclosed"] | (a["share"] < 0.5), np.maximum(a["target"], np.minimum(held, 1.0)), a["target"])
    exploit = a["disclosed"] | (a["share"] < 0.5)
    got = kernels.claimer_target(a["disclosure"], base, a["last"], a["disclosed"], np.full(a["target"].size, 0.9), 0.5,
                                 exploit, a["target"])
    np.testing.assert_array_equal(got, aim)


def test_nan_and_signed_zero_pass_through_as_in_numpy():
    """np.maximum and np.minimum keep a NaN and a -0.0: so do the kernels."""
    before = np.array([[np.nan, 0.0, 2.0]])
    inverse = np.array([[1.0, 1.0, 1.0]])
    target = np.array([0.5, 1.0, 0.0])
    share = ((1.0 - target) - before) * inverse
    expected = 1.0 - np.minimum(np.maximum(share, 0.0), 1.0)
    got = kernels.concede(inverse, before, target)
    np.testing.assert_array_equal(got, expected)
    assert np.signbit(got).tolist() == np.signbit(expected).tolist()


@pytest.mark.parametrize("trust", [0.0, 0.4, 1.0])
def test_whole_negotiations_are_identical_compiled_or_not(trust, numpy_only):
    """Large mixed batches (bluffing reciprocals, claimers, facilitated meetings, noticed shared interests; large
    enough that finished pairs are dropped mid-way) with every offer traced: the kernels change nothing but the time."""
    rng = np.random.default_rng(3)
    n = 2200
    players = [make_strategy("reciprocal", misreport=0.3, threshold=0.4), make_strategy("distributive", misreport=0.5),
               "integrative", "distributive"]
    batch = PairBatch.sample(n, rng, strategy_a=[players[i] for i in rng.integers(0, 4, n)],
                             strategy_b=[players[i] for i in rng.integers(0, 4, n)], trust_a=trust, trust_b=rng.random(n),
                             fixed_pie_a=0.6, fixed_pie_b=0.68)
    batch = dataclasses.replace(batch, facilitated=rng.random(n) < 0.3)
    compiled = negotiate(batch, 11, trace="offers")
    numpy_only(True)
    reference = negotiate(batch, 11, trace="offers")
    for name in ("agreement", "agreed_at", "utility_a", "utility_b", "claimed_a", "claimed_b"):
        np.testing.assert_array_equal(getattr(compiled, name), getattr(reference, name))
    np.testing.assert_array_equal(compiled.trace.offers, reference.trace.offers)


def test_offer_functions_still_broadcast_where_the_kernels_would_not(numpy_only):
    """Public offer functions at kernel sizes: shapes to broadcast, or float32, go to numpy, never to a kernel that
    would read them wrongly."""
    rng = np.random.default_rng(4)
    k, n = 4, 200
    before = rng.random((k, n))
    cases = [(rng.random((k, 1)), before, rng.random(n)), (rng.random((k, n)), before, np.float64(0.3)),
             (rng.random((k, n)), before, rng.random(n).astype(np.float32))]
    got = [offers.concede_in_order(*case) for case in cases]
    numpy_only(True)
    for case, value in zip(cases, got, strict=True):
        np.testing.assert_array_equal(value, offers.concede_in_order(*case))


def test_kernels_compile_without_a_cache_when_nowhere_is_writable(monkeypatch):
    """numba refuses cache=True when neither the package nor the home directory is writable (a read-only
    container): the kernels, and the turn loop's functions, then compile in each process instead of failing the
    first large meeting."""
    import numba

    from sim.negotiation import turn_loop

    real = numba.njit

    def no_cache(*args, **kwargs):
        if kwargs.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return real(*args, **kwargs)

    monkeypatch.setattr(numba, "njit", no_cache)
    for name in ("_available", "_order_compiled", "_concede_compiled", "claimer_target"):
        monkeypatch.setattr(kernels, name, None)
    assert kernels.use(kernels.COMPILED_FROM)
    target = np.array([0.5, 0.25])
    positions = kernels.concede(np.ones((1, 2)), np.zeros((1, 2)), target)
    np.testing.assert_array_equal(positions, 1.0 - (1.0 - target)[None, :])

    def total(values):
        result = 0.0
        for value in values:
            result += value
        return result

    monkeypatch.setattr(turn_loop, "njit", no_cache)
    monkeypatch.setattr(turn_loop, "CACHED", True)  # restored after the test: the flag is the module's for good
    assert turn_loop._compiled(total)(np.ones(3)) == 3.0
    assert not turn_loop.CACHED  # so mode auto will not load the loop (every process would compile it)


def test_a_long_deadline_does_not_grow_the_clock_tables():
    """Clocks and aspirations are tabled for the first turns only: a 10,000-round deadline costs no table of
    10,000 turns per negotiation (a reviewer measured 466 MiB for 500 pairs before the bound)."""
    import tracemalloc

    rng = np.random.default_rng(2)
    players = {"strategy_a": make_strategy("integrative", concession=0.5), "strategy_b": "distributive", "trust_a": 0.5}
    negotiate(PairBatch.sample(200, rng, deadline_a=50, deadline_b=3, **players), 0)  # kernels loaded before measuring
    batch = PairBatch.sample(500, rng, deadline_a=10_000, deadline_b=3, **players)
    tracemalloc.start()
    negotiate(batch, 0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 2**20  # 64 turns x 500 negotiations x 8 bytes is 0.25 MiB a table


def test_auto_mode_tiers_up_once_the_kernels_would_pay_back(monkeypatch):
    """Mode auto runs numpy until the process has made TIER_UP_AFTER calls the kernels could take, then the kernels;
    small groups and mode numpy never count or load; a mistyped mode is named with the allowed ones."""
    monkeypatch.setattr(kernels, "_available", None)
    monkeypatch.setattr(kernels, "_eligible", 0)
    monkeypatch.setattr(kernels, "TIER_UP_AFTER", 3)
    kernels.set_mode("numpy")
    assert not any(kernels.use(100) for _ in range(5)) and kernels._eligible == 0
    kernels.set_mode("auto")
    assert not kernels.use(kernels.COMPILED_FROM - 1) and not kernels.use(kernels.COMPILED_UP_TO + 1)
    assert [kernels.use(100) for _ in range(4)] == [False, False, True, True]
    with pytest.raises(InputError, match="REMBUG_KERNELS.*auto, compiled or numpy"):
        kernels.set_mode("off")


def test_warm_loads_the_turn_loop_and_keeps_the_mode(monkeypatch):
    """``kernels.warm`` (what ``make install`` runs) leaves the compiled turn loop loaded, so a process in mode auto
    that later tiers up finds it in numba's cache, and it leaves the mode in force as it was."""
    monkeypatch.setattr(kernels, "_turn_loop", None)
    monkeypatch.setattr(kernels, "_mode", "auto")
    monkeypatch.setattr(kernels, "_numpy_seconds", 0.0)
    assert kernels.warm()
    assert kernels._turn_loop not in (None, False)
    assert kernels._mode == "auto"


def test_auto_mode_stays_on_numpy_where_the_loop_cannot_be_cached(monkeypatch):
    """Where numba has nowhere to keep its cache every process would compile the turn loop (minutes of CPU): mode
    auto then never loads it, however much numpy has run; mode compiled still does."""
    from sim.negotiation import turn_loop

    monkeypatch.setattr(turn_loop, "CACHED", False)
    monkeypatch.setattr(kernels, "_turn_loop", None)
    monkeypatch.setattr(kernels, "_numpy_seconds", 10 * kernels.LOOP_AFTER_SECONDS)
    monkeypatch.setattr(kernels, "_mode", "auto")
    assert kernels.turn_loop() is None
    monkeypatch.setattr(kernels, "_mode", "compiled")
    assert kernels.turn_loop() is turn_loop.run
