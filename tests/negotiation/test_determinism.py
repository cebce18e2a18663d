"""Same inputs and seed give identical results, in this process and in a fresh one; different seeds differ."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd

from sim import PairBatch, negotiate

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
