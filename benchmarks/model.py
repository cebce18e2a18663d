"""Agent-seasons per second of the commons model, beside Mesa's own Boltzmann wealth example in the same run.

    python benchmarks/model.py [--seasons 20] [--sizes 100 1000 10000]

Targets (issue 24): at 1,000 organisations the model runs at least 3x the agent-steps per second of Mesa's
Boltzmann wealth example, and the default scenario (its own size and horizon) runs in under 0.1 s.
Both models run with their data collection on, as shipped. Best of five runs per line (one at 10,000), the two
models taking turns.

Compiled code: a meeting's whole turn loop can run compiled (numba, see sim/negotiation/kernels.py and
turn_loop.py). By default this benchmark measures the steady state of a long process, with it loaded
(``--kernels compiled``); ``--kernels numpy`` measures the numpy engine, which is what a short process runs (mode
``auto`` loads the compiled loop only once a process has negotiated enough to repay loading it). The line "first
run" shows the one-off cost: the first 1,000-organisation run in this process, which loads it; the default scenario
is timed after it (best and median of fifteen runs).

Where the time goes: the column "in negotiate" is the share of the commons run spent inside the negotiation engine
(timed around each call), and "ratio without it" is the ratio the model would reach if negotiating cost nothing,
an upper bound on what any speed-up of the engine alone can give (Amdahl's law).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
import warnings
from collections.abc import Callable

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

import sim.commons.model as commons_model
from sim.commons import CommonsModel
from sim.negotiation import kernels
from sim.scenarios import default_scenario, with_changes


class NegotiationClock:
    """Wraps the negotiation engine as the commons model calls it and adds up the time spent inside."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._negotiate = commons_model.negotiate

    def __enter__(self) -> NegotiationClock:
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return self._negotiate(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        commons_model.negotiate = timed
        return self

    def __exit__(self, *exc: object) -> None:
        commons_model.negotiate = self._negotiate


def timed_run(make: Callable, steps: int) -> tuple[float, float]:
    """Seconds to run ``steps`` steps of a fresh model (set-up not counted), and the seconds spent negotiating."""
    model = make()
    with NegotiationClock() as clock:
        start = time.perf_counter()
        for _ in range(steps):
            model.step()
        return time.perf_counter() - start, clock.seconds


def best_of(runs: int, contenders: list[Callable], steps: int) -> list[tuple[float, float]]:
    """Fastest of ``runs`` runs for each contender. The contenders take turns, so a machine that speeds up or slows
    down during the benchmark (a shared or throttled CPU) moves both figures alike and leaves the ratio fair."""
    best = [(float("inf"), 0.0)] * len(contenders)
    for _ in range(runs):
        for i, make in enumerate(contenders):
            best[i] = min(best[i], timed_run(make, steps))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seasons", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--default-runs", type=int, default=15,
                        help="runs of the default scenario (a run is 0.07 s; the machine's speed drifts, so several)")
    parser.add_argument("--kernels", choices=kernels.MODES, default="compiled",
                        help="compiled: a long process's steady state (default); numpy: a short process's")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    kernels.set_mode(args.kernels)
    scenario = default_scenario()

    first_config = with_changes(scenario.config, {"world.organisations": 1000, "world.seasons": args.seasons})
    start = time.perf_counter()
    CommonsModel(first_config).run()
    loads = " (loads the compiled turn loop once)" if kernels.mode() == "compiled" else ""
    print(f"first run at 1,000 organisations in this process, kernels {kernels.mode()}{loads}: "
          f"{time.perf_counter() - start:.3f} s")
    default_seconds = []
    for _ in range(args.default_runs):  # after the first run: the steady state (mode auto would run the numpy loop)
        start = time.perf_counter()
        CommonsModel(scenario.config).run()
        default_seconds.append(time.perf_counter() - start)
    world = scenario.config.world
    print(f"default scenario '{scenario.id}' ({world.organisations} organisations, {world.seasons} seasons), "
          f"{args.default_runs} runs: best {min(default_seconds):.3f} s, median {statistics.median(default_seconds):.3f} s "
          f"(target < 0.1 s)")
    print(f"{'organisations':>13} {'commons agent-seasons/s':>24} {'Boltzmann agent-steps/s':>24} {'ratio':>7} "
          f"{'in negotiate':>13} {'ratio without it':>17} {'peak MiB':>9}")
    for n in args.sizes:
        steps = args.seasons if n < 10_000 else max(3, args.seasons // 4)
        runs = 5 if n < 10_000 else 1
        config = with_changes(scenario.config, {"world.organisations": n, "world.seasons": steps})
        side = max(10, int(n**0.5))
        (commons, negotiating), (boltzmann, _) = best_of(
            runs,
            [lambda: CommonsModel(config), lambda: BoltzmannWealth(BoltzmannScenario(n=n, width=side, height=side, rng=1))],
            steps,
        )
        tracemalloc.start()
        CommonsModel(config).run(steps)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        c_rate, b_rate = n * steps / commons, n * steps / boltzmann
        bound = boltzmann / (commons - negotiating)
        print(f"{n:>13,} {c_rate:>24,.0f} {b_rate:>24,.0f} {c_rate / b_rate:>7.2f} "
              f"{negotiating / commons:>12.0%} {bound:>17.2f} {peak / 2**20:>9.1f}")


if __name__ == "__main__":
    main()
