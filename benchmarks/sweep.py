"""Runs per second of a 1,000-run sweep of the default scenario, with 1 and with 2 local workers.

    python benchmarks/sweep.py [--runs 1000]

Targets: 2 workers at least 1.7x one worker (issue 5), and the whole 1,000-run sweep on 2 workers in under 40 s on
this 2-core machine (issue 14). Each line is a complete sweep written to a temporary directory (chunks, manifest, final table),
timed from the call to the final table; worker start-up is included.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from sim.experiments import sweep

SPEC = """
[sweep]
scenario = "mixed_village"
replications = {reps}
master_seed = 1

[sweep.sampling]
method = "grid"

[parameters]
"trust.initial" = {{ values = [0.2, 0.4, 0.6, 0.8] }}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    text = SPEC.format(reps=max(1, args.runs // 4))
    rates = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            table = sweep(text, out=f"{out}/sweep", workers=workers)
            seconds = time.perf_counter() - start
        rates[workers] = len(table) / seconds
        print(f"{workers} worker{'s' if workers > 1 else ' '}: {len(table)} runs in {seconds:6.1f} s = {rates[workers]:6.1f} runs/s")
    print(f"speed-up with 2 workers: {rates[2] / rates[1]:.2f}x (target >= 1.7x); "
          f"1,000 runs with 2 workers: {1000 / rates[2]:.1f} s (target < 40 s)")


if __name__ == "__main__":
    main()
