"""The closed-form frontier and bargaining solutions against hand-worked cases and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim import WATER, kalai_smorodinsky_point, max_welfare_point, nash_point, pareto_frontier
from sim.negotiation.analysis import frontier_value, is_pareto_optimal, max_joint_utility
from sim.negotiation.preferences import utility_a, utility_b

OPPOSED = WATER.opposed


def grid(levels: int = 11) -> np.ndarray:
    """Every package on a grid, (K, G)."""
    points = np.array(list(itertools.product(np.linspace(0, 1, levels), repeat=WATER.size)))
    return points.T


def test_frontier_of_a_hand_worked_pair():
    wa = np.array([[0.4, 0.3, 0.1, 0.2]])
    wb = np.array([[0.4, 0.1, 0.3, 0.2]])
    f = pareto_frontier(wa, wb, OPPOSED)
    # A first takes the schedule (ratio 3), then volume (1), then labour (1/3); the well is always built.
    assert np.allclose(f.ua[0], [0.2, 0.5, 0.9, 1.0])
    assert np.allclose(f.ub[0], [1.0, 0.9, 0.5, 0.2])
    assert np.allclose(f.x[0, 1], [0, 1, 0, 1])
    assert max_joint_utility(f)[0] == pytest.approx(1.4)
    nash = nash_point(f, np.array([0.3]), np.array([0.3]))
    assert nash.ua[0] == pytest.approx(0.7) and nash.ub[0] == pytest.approx(0.7)
    ks = kalai_smorodinsky_point(f, np.array([0.3]), np.array([0.3]))
    assert ks.ua[0] == pytest.approx(0.7) and ks.ub[0] == pytest.approx(0.7)
    best = max_welfare_point(f)
    assert best.ua[0] + best.ub[0] == pytest.approx(1.4)


@pytest.mark.parametrize("seed", range(25))
def test_nash_point_beats_every_grid_package(seed):
    rng = np.random.default_rng(seed)
    wa, wb = rng.dirichlet(np.ones(4), 1), rng.dirichlet(np.ones(4), 1)
    da, db = rng.uniform(0, 0.5, 1), rng.uniform(0, 0.5, 1)
    f = pareto_frontier(wa, wb, OPPOSED)
    nash = nash_point(f, da, db)
    x = grid()
    ua = utility_a(x, np.repeat(wa.T, x.shape[1], 1))
    ub = utility_b(x, np.repeat(wb.T, x.shape[1], 1), OPPOSED)
    ok = (ua >= da) & (ub >= db)
    brute = np.max(np.where(ok, (ua - da) * (ub - db), -np.inf))
    assert (nash.ua[0] - da[0]) * (nash.ub[0] - db[0]) >= brute - 1e-9
    # The reported package really reaches the reported utilities.
    px = nash.x[0][:, None]
    assert utility_a(px, wa.T)[0] == pytest.approx(nash.ua[0])
    assert utility_b(px, wb.T, OPPOSED)[0] == pytest.approx(nash.ub[0])


@pytest.mark.parametrize("seed", range(25))
def test_kalai_smorodinsky_gains_are_proportional(seed):
    rng = np.random.default_rng(100 + seed)
    wa, wb = rng.dirichlet(np.ones(4), 1), rng.dirichlet(np.ones(4), 1)
    da, db = rng.uniform(0, 0.5, 1), rng.uniform(0, 0.5, 1)
    f = pareto_frontier(wa, wb, OPPOSED)
    ks = kalai_smorodinsky_point(f, da, db)
    ideal_b = frontier_value(f, da)[0]
    # A's ideal: the most A gets while B keeps its BATNA, by brute force along the frontier.
    u = np.linspace(0, 1, 100001)
    ideal_a = u[frontier_value(type(f)(np.repeat(f.ua, u.size, 0), np.repeat(f.ub, u.size, 0), np.repeat(f.x, u.size, 0)), u) >= db[0]].max()
    ratio_a = (ks.ua[0] - da[0]) / (ideal_a - da[0])
    ratio_b = (ks.ub[0] - db[0]) / (ideal_b - db[0])
    assert ratio_a == pytest.approx(ratio_b, abs=1e-4)
    assert is_pareto_optimal(f, ks.ua, ks.ub, tolerance=1e-9)[0]


def test_no_bargaining_zone_gives_no_nash_point():
    wa = np.array([[1.0, 0, 0, 0]])
    wb = np.array([[1.0, 0, 0, 0]])
    f = pareto_frontier(wa, wb, OPPOSED)
    nash = nash_point(f, np.array([0.6]), np.array([0.6]))
    assert np.isnan(nash.ua[0])


def test_pareto_check_rejects_a_dominated_package():
    wa = np.array([[0.4, 0.3, 0.1, 0.2]])
    wb = np.array([[0.4, 0.1, 0.3, 0.2]])
    f = pareto_frontier(wa, wb, OPPOSED)
    x = np.array([[0.5], [0.5], [0.5], [0.5]])  # split everything, half a well
    ua, ub = utility_a(x, wa.T), utility_b(x, wb.T, OPPOSED)
    assert not is_pareto_optimal(f, ua, ub)[0]
