"""Bad input is refused with a message that names the field and the allowed range."""

from __future__ import annotations

import numpy as np
import pytest

from sim import InputError, PairBatch, WATER, draw_weights, make_strategy

W = np.array([[0.4, 0.2, 0.2, 0.2]])


@pytest.mark.parametrize(
    ("kwargs", "field", "allowed"),
    [
        ({"trust_a": 1.5}, "trust_a[0]", "0 to 1"),
        ({"trust_b": float("nan")}, "trust_b[0]", "0 to 1"),
        ({"reservation_a": -0.1}, "reservation_a[0]", "0 to 1"),
        ({"deadline_a": 0}, "deadline_a[0]", "1 to 10000"),
        ({"deadline_b": 2.5}, "deadline_b", "1 to 10000"),
        ({"strategy_a": "haggler"}, "strategy", "distributive, integrative, reciprocal"),
        ({"trust_a": [0.5, 0.5]}, "trust_a", "one value per pair"),
    ],
)
def test_bad_settings_name_the_field(kwargs, field, allowed):
    with pytest.raises(InputError) as info:
        PairBatch.build(W, W, **kwargs)
    assert info.value.field == field
    assert allowed in str(info.value)


@pytest.mark.parametrize("bad", [[[0.5, 0.5, 0.5, 0.5]], [[1.0, 0.0, 0.0]], [[-0.2, 0.4, 0.4, 0.4]], [[np.nan, 0.5, 0.25, 0.25]]])
def test_weights_must_be_a_distribution_over_the_issues(bad):
    with pytest.raises(InputError) as info:
        PairBatch.build(bad, W)
    assert info.value.field.startswith("weights_a")


def test_strategy_parameters_are_checked():
    with pytest.raises(InputError, match=r"distributive.misreport.*0 to 1"):
        make_strategy("distributive", misreport=2)
    with pytest.raises(InputError, match="unexpected keyword"):
        make_strategy("integrative", bluff=0.3)


def test_diversity_mixes_profile_and_independent_priorities():
    rng = np.random.default_rng(0)
    same = draw_weights(WATER, 0.0, 5, rng)
    assert np.allclose(same, WATER.profile)
    diverse = draw_weights(WATER, 1.0, 2000, rng)
    assert np.allclose(diverse.sum(axis=1), 1.0)
    assert diverse.std(axis=0).min() > 0.1
    with pytest.raises(InputError, match="interest diversity"):
        draw_weights(WATER, 1.2, 5, rng)


def test_sample_checks_its_ranges():
    with pytest.raises(InputError, match="reservation"):
        PairBatch.sample(5, np.random.default_rng(0), reservation=(0.5, 0.2))
    with pytest.raises(InputError, match="pairs"):
        PairBatch.sample(0, np.random.default_rng(0))
