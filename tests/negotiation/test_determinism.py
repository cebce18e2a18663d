"""Same inputs and seed give identical results, in this process and in a fresh one; different seeds differ."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim import PairBatch, make_strategy, negotiate
from sim.negotiation.concession import aspiration, unit_power

SCRIPT = """
import numpy as np, pandas as pd
from sim import PairBatch, negotiate
rng = np.random.default_rng({seed})
batch = PairBatch.sample(500, rng, strategy_a=["integrative", "distributive", "reciprocal"] * 166 + ["integrative"] * 2,
                         strategy_b="integrative", trust_a=0.5, trust_b=rng.random(500))
print(pd.util.hash_pandas_object(negotiate(batch, rng).to_frame(), index=False).sum())
"""


def frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    batch = PairBatch.sample(
        500,
        rng,
        strategy_a=["integrative", "distributive", "reciprocal"] * 166 + ["integrative"] * 2,
        strategy_b="integrative",
        trust_a=0.5,
        trust_b=rng.random(500),
    )
    return negotiate(batch, rng).to_frame()


def test_same_seed_same_results_in_process():
    pd.testing.assert_frame_equal(frame(11), frame(11))


def test_same_seed_same_results_in_another_process():
    here = int(pd.util.hash_pandas_object(frame(11), index=False).sum())
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(seed=11)], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) == here


def test_different_seeds_differ():
    a, b = frame(11), frame(12)
    assert not a["utility_a"].equals(b["utility_a"])


def test_only_the_seed_drives_disclosure():
    batch = PairBatch.sample(300, np.random.default_rng(3), trust_a=0.5, trust_b=0.5)
    first, second, other = negotiate(batch, 5), negotiate(batch, 5), negotiate(batch, 6)
    assert np.array_equal(first.disclosed_a, second.disclosed_a)
    assert not np.array_equal(first.disclosed_a, other.disclosed_a)


def test_results_do_not_depend_on_where_strategies_live_in_memory():
    """Regression: groups were once ordered by object address, which reordered the random disclosure draws."""
    from sim import make_strategy

    def batch(order):
        made = {name: make_strategy(name) for name in order}  # allocation order differs between the two calls
        names = ["integrative", "distributive", "reciprocal"] * 100
        return PairBatch.sample(
            300, np.random.default_rng(1), strategy_a=[made[n] for n in names], strategy_b="integrative", trust_a=0.5, trust_b=0.5
        )

    first = negotiate(batch(["integrative", "distributive", "reciprocal"]), 2).to_frame()
    second = negotiate(batch(["reciprocal", "distributive", "integrative"]), 2).to_frame()
    pd.testing.assert_frame_equal(first, second)


# The concession curve at a tempo other than 1, pinned bit for bit (reservation 0.3, opening 1). These are the values
# on every machine: the curve uses exactly rounded arithmetic only (sim.negotiation.concession.unit_power).
PINNED_CURVES = [
    (0.5, ["0x1.0000000000000p+0", "0x1.fa66666666666p-1", "0x1.dfbe76c8b4394p-1", "0x1.a666666666666p-1",
           "0x1.50624dd2f1aa0p-1", "0x1.bb645a1cac082p-2", "0x1.3333333333333p-2"]),
    (2.0, ["0x1.0000000000000p+0", "0x1.814955c2044acp-1", "0x1.3bb23c7b87016p-1", "0x1.0292ab8408958p-1",
           "0x1.a848373edd23ep-2", "0x1.57fbdb19b6694p-2", "0x1.3333333333333p-2"]),
    (3.0, ["0x1.0000000000000p+0", "0x1.4ccccccccccccp-1", "0x1.101342518b91dp-1", "0x1.c713518a9ff44p-2",
           "0x1.838ce7c57a78ep-2", "0x1.4befecefc1156p-2", "0x1.3333333333333p-2"]),
]


@pytest.mark.parametrize(("tempo", "expected"), PINNED_CURVES)
def test_concession_curves_are_pinned_to_exact_values(tempo, expected):
    tau = np.array([0.0, 0.125, 0.3, 0.5, 0.7, 0.9, 1.0])
    curve = aspiration(tau, tempo, np.full(tau.size, 0.3), 1.0)
    assert [float(v).hex() for v in curve] == expected


def test_unit_power_is_close_to_a_correctly_rounded_power():
    tau = np.random.default_rng(5).uniform(1e-3, 1.0, 5000)
    for exponent in (0.1, 0.5, 1 / 3, 2.0, 10.0):
        exact = np.array([math.pow(t, exponent) for t in tau])
        assert np.max(np.abs(unit_power(tau, exponent) - exact) / exact) < 2e-14
    assert unit_power(np.array([0.0, 1.0]), 0.5).tolist() == [0.0, 1.0]


def test_no_cpu_dependent_transcendental_decides_an_offer(monkeypatch):
    """numpy's power, exp and log differ between instruction sets; a negotiation at a tempo other than 1 must not
    call them (an AVX-512 machine and an older one would then make different offers)."""

    def refuse(*args, **kwargs):
        raise AssertionError("a CPU-dependent numpy transcendental was called")

    for name in ("power", "float_power", "exp", "exp2", "expm1", "log", "log2", "log1p", "log10"):
        monkeypatch.setattr(np, name, refuse)
    rng = np.random.default_rng(2)
    for tempo in (0.5, 2.0):
        strategies = [make_strategy(name, concession=tempo) for name in ("integrative", "distributive", "reciprocal")]
        batch = PairBatch.sample(90, rng, strategy_a=strategies * 30, strategy_b=strategies[1], trust_a=0.5, trust_b=0.5)
        assert negotiate(batch, rng).agreed.any()
