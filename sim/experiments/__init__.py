"""Batch experiments: sweep specifications, designs, runs at any scale, and their analysis."""

from sim.experiments.design import Design, build_design, run_seed, runs_table
from sim.experiments.spec import Sweep, load_sweep, parse_sweep
from sim.experiments.sweep import sweep

__all__ = ["Design", "Sweep", "build_design", "load_sweep", "parse_sweep", "run_seed", "runs_table", "sweep"]
