"""The design of a sweep: its points (settings), and its runs (points x replications), each with its own seed.

Every run's seed comes from the master seed and the run's number alone (``numpy.random.SeedSequence`` with the run
as spawn key), so results never depend on the number of workers or on the order runs finish.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.experiments.spec import Sweep


@dataclass(frozen=True)
class Design:
    """Points (one row per setting combination) and what SALib needs to analyse them."""

    points: pd.DataFrame  # columns: the parameter names; index: point number
    method: str
    problem: dict  # SALib problem definition (names, bounds)


def varied(sweep: Sweep) -> list[str]:
    """Parameters a sampled design varies; a single value (equal bounds) is held constant."""
    return [name for name, p in sweep.spec.parameters.items() if p.bounds()[0] < p.bounds()[1]]


def salib_problem(sweep: Sweep) -> dict:
    names = varied(sweep)
    params = sweep.spec.parameters
    return {"num_vars": len(names), "names": names, "bounds": [list(params[n].bounds()) for n in names]}


def build_design(sweep: Sweep) -> Design:
    sampling = sweep.settings.sampling
    params = sweep.spec.parameters
    names = list(params)
    problem = salib_problem(sweep)
    seed = sweep.settings.master_seed
    if sampling.method == "grid":
        rows = list(itertools.product(*(p.grid() for p in params.values())))
        return Design(pd.DataFrame(np.array(rows, dtype=float), columns=names), "grid", problem)
    if not problem["names"]:
        matrix = np.empty((1, 0))
    elif sampling.method == "latin":
        unit = qmc.LatinHypercube(d=problem["num_vars"], seed=np.random.default_rng(seed)).random(sampling.samples)
        lows, highs = np.array(problem["bounds"]).T
        matrix = qmc.scale(unit, lows, highs)
    elif sampling.method == "sobol":
        from SALib.sample import sobol as saltelli

        matrix = saltelli.sample(problem, sampling.samples, calc_second_order=False, seed=seed % 2**32)
    else:  # morris
        from SALib.sample import morris

        matrix = morris.sample(problem, sampling.samples, num_levels=sampling.levels, seed=seed % 2**32)
    points = pd.DataFrame(matrix, columns=problem["names"])
    for name in names:
        if name not in points:
            points[name] = params[name].bounds()[0]
    return Design(points=points[names], method=sampling.method, problem=problem)


def run_seed(master_seed: int, run_id: int) -> int:
    """The seed of run ``run_id``: a function of the master seed and the run number only."""
    return int(np.random.SeedSequence(master_seed, spawn_key=(run_id,)).generate_state(1, dtype=np.uint32)[0])


def runs_table(sweep: Sweep, design: Design) -> pd.DataFrame:
    """One row per run: run id, point, replication, seed and the point's settings."""
    reps = sweep.settings.replications
    n_points = len(design.points)
    run_id = np.arange(n_points * reps)
    table = pd.DataFrame({"run": run_id, "point": run_id // reps, "replication": run_id % reps})
    table["seed"] = [run_seed(sweep.settings.master_seed, int(r)) for r in run_id]
    for name in design.points.columns:
        table[name] = design.points[name].to_numpy()[table["point"].to_numpy()]
    return table
