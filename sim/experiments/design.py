"""The design of a sweep: its points (settings), and its runs (points x replications), each with its own seed.

Every run's seed comes from the master seed and the run's number alone (``numpy.random.SeedSequence`` with the run
as spawn key), so results never depend on the number of workers or on the order runs finish.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.experiments.spec import Parameter, Sweep

DTYPES = {"number": "float64", "whole number": "int64", "yes/no": "bool", "choice": "object"}
"""Column types of parameters in a design and a results table: settings keep their own type."""


@dataclass(frozen=True)
class Design:
    """Points (one row per setting combination, typed) and what SALib needs to analyse them."""

    points: pd.DataFrame  # columns: the parameter names; index: point number
    method: str
    problem: dict  # SALib problem definition (names, bounds)
    matrix: np.ndarray  # the sampled numbers behind the points (SALib's input for Morris), one column per name


def varied(sweep: Sweep) -> list[str]:
    """Parameters a sampled design varies; a single value is held constant."""
    return [name for name, p in sweep.parameters.items() if p.varies()]


def salib_problem(sweep: Sweep) -> dict:
    names = varied(sweep)
    return {"num_vars": len(names), "names": names, "bounds": [list(sweep.parameters[n].bounds()) for n in names]}


def _column(parameter: Parameter, values: list) -> pd.Series:
    return pd.Series(values, dtype=DTYPES[parameter.kind])


def build_design(sweep: Sweep) -> Design:
    sampling = sweep.settings.sampling
    params = sweep.parameters
    names = list(params)
    problem = salib_problem(sweep)
    seed = sweep.settings.master_seed
    if sampling.method == "grid":
        rows = list(itertools.product(*(p.grid() for p in params.values())))
        points = pd.DataFrame({n: _column(params[n], [row[i] for row in rows]) for i, n in enumerate(names)})
        return Design(points, "grid", problem, np.empty((len(rows), 0)))
    if not problem["names"]:
        matrix = np.empty((1, 0))
    elif sampling.method == "latin":
        unit = qmc.LatinHypercube(d=problem["num_vars"], seed=np.random.default_rng(seed)).random(sweep.samples)
        lows, highs = np.array(problem["bounds"]).T
        matrix = qmc.scale(unit, lows, highs)
    elif sampling.method == "sobol":
        from SALib.sample import sobol as saltelli

        with warnings.catch_warnings():  # samples are a power of two (Sweep.samples); nothing else is warned of
            warnings.simplefilter("ignore", UserWarning)
            matrix = saltelli.sample(problem, sweep.samples, calc_second_order=False, seed=seed % 2**32)
    else:  # morris
        from SALib.sample import morris

        with warnings.catch_warnings():  # an odd number of levels is a note of the sweep (Sweep.notes)
            warnings.simplefilter("ignore", UserWarning)
            matrix = morris.sample(problem, sweep.samples, num_levels=sampling.levels, seed=seed % 2**32)
    columns = {}
    for name in names:
        p = params[name]
        if name in problem["names"]:
            columns[name] = _column(p, p.from_unit(matrix[:, problem["names"].index(name)]))
        else:  # held constant
            constant = p.grid()[0] if p.values is not None else p.low
            columns[name] = _column(p, [constant] * len(matrix))
    return Design(pd.DataFrame(columns), sampling.method, problem, matrix)


def run_seed(master_seed: int, run_id: int) -> int:
    """The seed of run ``run_id``: a function of the master seed and the run number only."""
    return int(np.random.SeedSequence(master_seed, spawn_key=(run_id,)).generate_state(1, dtype=np.uint32)[0])


def runs_table(sweep: Sweep, design: Design) -> pd.DataFrame:
    """One row per run: run id, point, replication, seed and the point's settings (with their types)."""
    reps = sweep.settings.replications
    n_points = len(design.points)
    run_id = np.arange(n_points * reps)
    table = pd.DataFrame({"run": run_id, "point": run_id // reps, "replication": run_id % reps})
    table["seed"] = [run_seed(sweep.settings.master_seed, int(r)) for r in run_id]
    for name in design.points.columns:
        table[name] = design.points[name].to_numpy()[table["point"].to_numpy()]
        table[name] = table[name].astype(design.points[name].dtype)
    return table
