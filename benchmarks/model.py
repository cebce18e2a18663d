"""Agent-seasons per second of the commons model, beside Mesa's own Boltzmann wealth example in the same run.

    python benchmarks/model.py [--seasons 20] [--sizes 100 1000 10000]

Targets (issue 3): at 1,000 organisations the model runs at least 3x the agent-steps per second of Mesa's
Boltzmann wealth example, and the default scenario (its own size and horizon) runs in under 0.2 s.
Both models run with their data collection on, as shipped. Best of three runs per line.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

from sim.commons import CommonsModel
from sim.scenarios import default_scenario, with_changes


def best_of(runs: int, make, steps: int) -> float:
    best = float("inf")
    for _ in range(runs):
        model = make()
        start = time.perf_counter()
        for _ in range(steps):
            model.step()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seasons", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    scenario = default_scenario()

    start = time.perf_counter()
    CommonsModel(scenario.config).run()
    default_seconds = time.perf_counter() - start
    world = scenario.config.world
    print(f"default scenario '{scenario.id}' ({world.organisations} organisations, {world.seasons} seasons): "
          f"{default_seconds:.3f} s (target < 0.2 s)")
    print(f"{'organisations':>13} {'commons agent-seasons/s':>24} {'Boltzmann agent-steps/s':>24} {'ratio':>7} {'peak MiB':>9}")
    for n in args.sizes:
        steps = args.seasons if n < 10_000 else max(3, args.seasons // 4)
        config = with_changes(scenario.config, {"world.organisations": n, "world.seasons": steps})
        commons = best_of(3 if n < 10_000 else 1, lambda: CommonsModel(config), steps)
        side = max(10, int(n**0.5))
        boltzmann = best_of(3 if n < 10_000 else 1, lambda: BoltzmannWealth(BoltzmannScenario(n=n, width=side, height=side, rng=1)), steps)
        tracemalloc.start()
        CommonsModel(config).run(steps)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        c_rate, b_rate = n * steps / commons, n * steps / boltzmann
        print(f"{n:>13,} {c_rate:>24,.0f} {b_rate:>24,.0f} {c_rate / b_rate:>7.2f} {peak / 2**20:>9.1f}")


if __name__ == "__main__":
    main()
