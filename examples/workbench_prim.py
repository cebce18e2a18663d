"""The commons model in the EMA Workbench: sample uncertainties and levers with the Workbench, run the experiments
on every core, and ask PRIM where the river collapses. Run it with `python examples/workbench_prim.py [N]`.

Every setting of `rembug settings` can be an uncertainty or a lever (here with narrower ranges than the model
allows); every run measure an outcome, every season measure a series (one value per season).
"""

import sys
import warnings

warnings.filterwarnings("ignore", message="ipyparallel not installed")  # an evaluator this example does not use
from ema_workbench import MultiprocessingEvaluator, Samplers  # noqa: E402
from ema_workbench.analysis import prim  # noqa: E402

from sim.experiments.ema import ema_model  # noqa: E402


def main(scenarios: int = 200) -> None:
    model = ema_model(
        "mixed_village",
        uncertainties={"water.inflow": (0.5, 1.5), "trust.initial": (0.0, 1.0), "water.drought_probability": (0.0, 0.4)},
        levers={"mix.integrative": (0.0, 1.0)},
        outcomes=["total_welfare_sum", "collapsed_max"],
        series=["stock_share"],
    )
    with MultiprocessingEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=scenarios, policies=2,
                                                              uncertainty_sampling=Samplers.LHS)
    collapsed = outcomes["collapsed_max"] > 0
    print(f"{len(experiments)} experiments; the river collapsed in {collapsed.mean():.0%}")
    x = experiments[["water_inflow", "trust_initial", "water_drought_probability", "mix_integrative"]]
    box = prim.Prim(x, collapsed.astype(int), peel_alpha=0.1).find_box()
    print(box.peeling_trajectory.tail(3).to_string())


if __name__ == "__main__":  # the evaluator starts processes: a script needs the guard
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
