"""Negotiations per second and peak memory of the batched engine (issue 24 target: the mixed population at
300,000 per second or more on one core).

    python benchmarks/negotiation.py [--pairs 10000] [--rounds 100] [--repeat 3]

Each line negotiates a fresh batch of four-issue water pairs with a 100-round deadline and prints the best of
``--repeat`` runs. The "mixed" line draws both sides' strategies from the registry and trust uniformly in [0, 1].
Peak memory is what numpy and Python allocated during one run (tracemalloc), beyond the batch itself.

By default the compiled turn loop is loaded first and every line measures it (``--kernels compiled``, a long
process's steady state); ``--kernels numpy`` measures the numpy engine (see sim/negotiation/kernels.py).
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target says

import numpy as np  # noqa: E402

from sim import PairBatch, negotiate, strategy_names  # noqa: E402
from sim._allocator import keep_freed_memory  # noqa: E402
from sim.negotiation import kernels  # noqa: E402


def batch_for(label: str, pairs: int, rounds: int, rng: np.random.Generator) -> PairBatch:
    if label == "mixed":
        names = strategy_names()
        return PairBatch.sample(
            pairs,
            rng,
            strategy_a=list(rng.choice(names, pairs)),
            strategy_b=list(rng.choice(names, pairs)),
            trust_a=rng.random(pairs),
            trust_b=rng.random(pairs),
            deadline_a=rounds,
            deadline_b=rounds,
        )
    a, b, trust = label.split(":")
    return PairBatch.sample(
        pairs, rng, strategy_a=a, strategy_b=b, trust_a=float(trust), trust_b=float(trust), deadline_a=rounds, deadline_b=rounds
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kernels", choices=kernels.MODES, default="compiled",
                        help="compiled: a long process's steady state (default); numpy: the numpy engine")
    args = parser.parse_args()
    kernels.set_mode(args.kernels)
    negotiate(batch_for("mixed", 10, args.rounds, np.random.default_rng(0)), 0)  # loads the compiled loop, if any
    tuned = keep_freed_memory()
    print(f"{args.pairs:,} pairs, 4 issues, {args.rounds}-round deadline, best of {args.repeat}; "
          f"allocator padding: {tuned}; kernels {kernels.mode()}")
    print(f"{'matchup':42s} {'negotiations/s':>15s} {'ms':>8s} {'rounds':>7s} {'peak MiB':>9s}")
    labels = [
        "mixed",
        "integrative:integrative:1.0",
        "integrative:integrative:0.5",
        "distributive:distributive:0.5",
        "distributive:integrative:1.0",
        "reciprocal:distributive:0.5",
    ]
    for label in labels:
        batch = batch_for(label, args.pairs, args.rounds, np.random.default_rng(0))
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = negotiate(batch, 1)
            best = min(best, time.perf_counter() - start)
        tracemalloc.start()
        negotiate(batch, 1)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{label:42s} {args.pairs / best:>15,.0f} {best * 1000:>8.1f} {result.rounds.mean():>7.1f} {peak / 2**20:>9.1f}"
        )


if __name__ == "__main__":
    main()
