"""Pareto frontier and bargaining solutions for many pairs at once.

With weighted-additive linear utilities the frontier has a closed form: every compatible issue sits at its shared
ideal, and the opposed issues go to A in decreasing order of A's weight relative to B's (the "logrolling order").
The frontier is therefore a concave polyline with one vertex per opposed issue plus one, and the Nash,
Kalai–Smorodinsky and max-welfare points are found exactly on its segments, with no grid search.

Arrays here are pair-major: weights (N, K), utilities (N,), vertices (N, V).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

_EPS = 1e-12


@dataclass(frozen=True)
class Frontier:
    """Vertices of each pair's Pareto frontier, ordered by A's utility ascending (B's descending).

    The packages at the vertices (``x``) are built only when asked for: most uses (is an agreement
    Pareto-optimal? how much could the pair have had?) need the utilities alone."""

    ua: np.ndarray  # (N, V)
    ub: np.ndarray  # (N, V)
    given_x: np.ndarray | None = None  # (N, V, K) when known up front
    _layout: tuple[np.ndarray, np.ndarray, int] | None = field(default=None, repr=False, compare=False)

    @property
    def vertices(self) -> int:
        return self.ua.shape[1]

    @property
    def x(self) -> np.ndarray:
        """(N, V, K) package at each vertex, in A's frame."""
        if self.given_x is None:
            issue_of_rank, comp, k = self._layout
            object.__setattr__(self, "given_x", _vertex_packages(issue_of_rank, comp, k))
        return self.given_x


@dataclass(frozen=True)
class Point:
    """A point of utility space for each pair, with the package that reaches it (NaN where undefined)."""

    ua: np.ndarray  # (N,)
    ub: np.ndarray  # (N,)
    x: np.ndarray  # (N, K)


def pareto_frontier(weights_a: np.ndarray, weights_b: np.ndarray, opposed: np.ndarray) -> Frontier:
    """Exact Pareto frontier of each pair."""
    weights_a = np.atleast_2d(np.asarray(weights_a, dtype=float))
    weights_b = np.atleast_2d(np.asarray(weights_b, dtype=float))
    n, k = weights_a.shape
    opp = np.flatnonzero(opposed)
    comp = np.flatnonzero(~np.asarray(opposed))
    wa_opp, wb_opp = weights_a[:, opp], weights_b[:, opp]
    # A takes first the issues it values most per unit B gives up; issues nobody values go last.
    ratio = np.where(wb_opp > _EPS, wa_opp / np.maximum(wb_opp, _EPS), np.where(wa_opp > _EPS, np.inf, -1.0))
    order = np.argsort(-ratio, axis=1, kind="stable")
    wa_sorted = np.take_along_axis(wa_opp, order, axis=1)
    wb_sorted = np.take_along_axis(wb_opp, order, axis=1)
    base_a = weights_a[:, comp].sum(axis=1)
    zeros = np.zeros((n, 1))
    ua = base_a[:, None] + np.concatenate([zeros, np.cumsum(wa_sorted, axis=1)], axis=1)
    ub = 1.0 - np.concatenate([zeros, np.cumsum(wb_sorted, axis=1)], axis=1)
    return Frontier(ua=ua, ub=ub, _layout=(opp[order], comp, k))


def _vertex_packages(issue_of_rank: np.ndarray, comp: np.ndarray, k: int) -> np.ndarray:
    """Packages at the frontier's vertices: compatible issues at the shared ideal, and at vertex v the v opposed
    issues A values most relative to B given to A (``issue_of_rank``: (N, opposed) issue given at each rank)."""
    n, n_opp = issue_of_rank.shape
    vertices = n_opp + 1
    x = np.zeros((n, vertices, k))
    x[:, :, comp] = 1.0
    given = np.arange(n_opp)[None, None, :] < np.arange(vertices)[None, :, None]  # (1, V, n_opp)
    rows = np.arange(n)[:, None, None]
    cols = np.arange(vertices)[None, :, None]
    x[rows, cols, issue_of_rank[:, None, :]] = np.broadcast_to(given, (n, vertices, n_opp)).astype(float)
    return x


def frontier_value(frontier: Frontier, ua: np.ndarray) -> np.ndarray:
    """Most B can get while A gets at least ``ua`` (−inf where A's demand is beyond the frontier)."""
    ua = np.asarray(ua, dtype=float)
    va, vb = frontier.ua, frontier.ub
    n = va.shape[0]
    j = np.sum(va < ua[:, None] - 1e-12, axis=1)  # first vertex with va >= ua
    rows = np.arange(n)
    inside = j < va.shape[1]
    jj = np.clip(j, 1, va.shape[1] - 1) if va.shape[1] > 1 else np.zeros(n, dtype=int)
    left_a, left_b = va[rows, jj - 1], vb[rows, jj - 1]
    right_a, right_b = va[rows, jj], vb[rows, jj]
    width = right_a - left_a
    t = np.where(width > _EPS, (ua - left_a) / np.maximum(width, _EPS), 1.0)
    value = np.where(j == 0, vb[:, 0], left_b + np.clip(t, 0.0, 1.0) * (right_b - left_b))
    return np.where(inside, value, -np.inf)


def is_pareto_optimal(frontier: Frontier, ua: np.ndarray, ub: np.ndarray, tolerance: float = 0.01) -> np.ndarray:
    """True where no package gives B more than ``tolerance`` extra utility without A losing any."""
    return np.asarray(ub) >= frontier_value(frontier, np.asarray(ua)) - tolerance


def _segments(frontier: Frontier):
    a0, a1 = frontier.ua[:, :-1], frontier.ua[:, 1:]
    b0, b1 = frontier.ub[:, :-1], frontier.ub[:, 1:]
    return a0, a1, b0, b1


def _point_on(frontier: Frontier, segment: np.ndarray, t: np.ndarray, valid: np.ndarray) -> Point:
    """Interpolate a point on segment ``segment`` (vertex index of its left end) at parameter ``t``."""
    n = frontier.ua.shape[0]
    rows = np.arange(n)
    last = frontier.vertices - 1
    left = np.clip(segment, 0, last)
    right = np.clip(segment + 1, 0, last)
    t = np.where(valid, t, np.nan)
    ua = frontier.ua[rows, left] + t * (frontier.ua[rows, right] - frontier.ua[rows, left])
    ub = frontier.ub[rows, left] + t * (frontier.ub[rows, right] - frontier.ub[rows, left])
    x = frontier.x[rows, left] + t[:, None] * (frontier.x[rows, right] - frontier.x[rows, left])
    return Point(ua=ua, ub=ub, x=x)


def max_welfare_point(frontier: Frontier) -> Point:
    """The package with the highest joint utility (a frontier vertex, since utilities are linear)."""
    best = np.argmax(frontier.ua + frontier.ub, axis=1)
    return _point_on(frontier, best, np.zeros(best.shape), np.ones(best.shape, dtype=bool))


def max_joint_utility(frontier: Frontier) -> np.ndarray:
    """Largest joint utility any package reaches for each pair."""
    return np.max(frontier.ua + frontier.ub, axis=1)


def nash_point(frontier: Frontier, reservation_a: np.ndarray, reservation_b: np.ndarray) -> Point:
    """Nash bargaining solution: maximise the product of gains over the BATNAs (NaN where no deal beats both BATNAs)."""
    da = np.asarray(reservation_a, dtype=float)[:, None]
    db = np.asarray(reservation_b, dtype=float)[:, None]
    n = frontier.ua.shape[0]
    if frontier.vertices == 1:
        ok = (frontier.ua >= da) & (frontier.ub >= db)
        return _point_on(frontier, np.zeros(n, dtype=int), np.zeros(n), ok[:, 0])
    a0, a1, b0, b1 = _segments(frontier)
    alpha, beta = a0 - da, b0 - db
    d_a, d_b = a1 - a0, b1 - b0
    denom = 2.0 * d_a * d_b
    stationary = np.where(np.abs(denom) > _EPS, -(d_a * beta + d_b * alpha) / np.where(denom == 0, 1.0, denom), 0.0)
    candidates = np.stack([np.zeros_like(a0), np.ones_like(a0), np.clip(stationary, 0.0, 1.0)], axis=2)  # (N, S, 3)
    ga = alpha[:, :, None] + candidates * d_a[:, :, None]
    gb = beta[:, :, None] + candidates * d_b[:, :, None]
    feasible = (ga >= -1e-12) & (gb >= -1e-12)
    product = np.where(feasible, ga * gb, -np.inf).reshape(n, -1)
    best = np.argmax(product, axis=1)
    valid = np.isfinite(product[np.arange(n), best])
    segment = best // 3
    t = candidates.reshape(n, -1)[np.arange(n), best]
    return _point_on(frontier, segment, t, valid)


def kalai_smorodinsky_point(frontier: Frontier, reservation_a: np.ndarray, reservation_b: np.ndarray) -> Point:
    """Kalai–Smorodinsky solution: gains proportional to each party's best individually rational gain."""
    da = np.asarray(reservation_a, dtype=float)
    db = np.asarray(reservation_b, dtype=float)
    n = frontier.ua.shape[0]
    if frontier.vertices == 1:
        ok = (frontier.ua[:, 0] >= da) & (frontier.ub[:, 0] >= db)
        return _point_on(frontier, np.zeros(n, dtype=int), np.zeros(n), ok)
    a0, a1, b0, b1 = _segments(frontier)
    # A's ideal: the most A can get while B keeps its BATNA; B's ideal likewise.
    t_a = np.where(b1 >= db[:, None], 1.0, np.where(b0 > b1, (b0 - db[:, None]) / np.maximum(b0 - b1, _EPS), 0.0))
    ideal_a = np.max(np.where(b0 >= db[:, None] - 1e-12, a0 + np.clip(t_a, 0, 1) * (a1 - a0), -np.inf), axis=1)
    ideal_b = frontier_value(frontier, da)
    ga, gb = ideal_a - da, ideal_b - db
    valid_game = (ga > _EPS) & (gb > _EPS)
    ga_s, gb_s = ga[:, None], gb[:, None]
    denom = (a1 - a0) * gb_s - (b1 - b0) * ga_s
    t = np.where(np.abs(denom) > _EPS, ((b0 - db[:, None]) * ga_s - (a0 - da[:, None]) * gb_s) / np.where(denom == 0, 1.0, denom), np.nan)
    on_segment = (t >= -1e-9) & (t <= 1 + 1e-9)
    segment = np.argmax(on_segment, axis=1)
    found = on_segment[np.arange(n), segment] & valid_game
    return _point_on(frontier, segment, np.clip(t[np.arange(n), segment], 0.0, 1.0), found)
