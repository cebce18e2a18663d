"""The record of who exploited whom, dense or packed, reads back exactly what a dense boolean matrix would."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.commons.grievances import Grievances


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    writes=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39), st.booleans()), max_size=120),
    seed=st.integers(0, 2**32 - 1),
    packed=st.booleans(),
)
def test_matches_a_dense_matrix(n: int, writes: list[tuple[int, int, bool]], seed: int, packed: bool) -> None:
    dense = np.zeros((n, n), dtype=bool)
    record = Grievances(n, packed=packed)
    batch = [(i % n, j % n, flag) for i, j, flag in writes]
    for chunk in (batch[: len(batch) // 2], batch[len(batch) // 2 :]):  # repeated pairs within one call included
        if not chunk:
            continue
        victim, culprit, flag = (np.array(column) for column in zip(*chunk))
        record.record(victim, culprit, flag.astype(bool))
        for i, j, f in chunk:
            dense[i, j] |= f
    assert np.array_equal(record.to_matrix(), dense)
    rng = np.random.default_rng(seed)
    rows, cols = rng.integers(0, n, 50), rng.integers(0, n, 50)
    assert np.array_equal(record[rows, cols], dense[rows, cols])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 40), seed=st.integers(0, 2**32 - 1), packed=st.booleans())
def test_word_heard_is_recorded_as_each_deed_would_be(n: int, seed: int, packed: bool) -> None:
    """record_heard (word of exploiters getting around) sets exactly what recording each (listener, deed) would."""
    rng = np.random.default_rng(seed)
    culprits = rng.permutation(n)[: rng.integers(1, n + 1)]
    heard = rng.random((culprits.size, n)) < 0.4
    before = rng.random((n, n)) < 0.1
    got, expected = Grievances(n, packed=packed), Grievances(n, packed=packed)
    for record in (got, expected):
        victim, culprit = np.nonzero(before)
        record.record(victim, culprit, np.ones(victim.size, dtype=bool))
    got.record_heard(culprits, heard)
    listener, deed = np.nonzero(heard.T)
    expected.record(listener, culprits[deed], np.ones(listener.size, dtype=bool))
    assert np.array_equal(got.to_matrix(), expected.to_matrix())
    dense = before.copy()
    dense[:, culprits] |= heard.T
    assert np.array_equal(got.to_matrix(), dense)


def test_uses_a_bit_per_pair_beyond_a_few_thousand() -> None:
    assert Grievances(10_000)._bits.nbytes == 10_000 * 1_250
    assert Grievances(1_000)._bits.nbytes == 1_000 * 1_000  # a byte per pair reads back in one gather
