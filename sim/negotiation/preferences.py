"""Interest weights and utilities: how much each issue matters to a party, and what a package is worth to it."""

from __future__ import annotations

import numpy as np

from sim.errors import check_range
from sim.negotiation.domain import Domain


def draw_weights(domain: Domain, diversity: float, size: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``size`` interest-weight vectors around the community profile; shape (size, K), rows sum to 1.

    ``diversity`` in [0, 1] mixes the shared profile with an independent uniform draw from the simplex:
    0 gives every party the same priorities (nothing to logroll), 1 gives independent priorities.
    """
    diversity = check_range("interest diversity", diversity, 0.0, 1.0)
    profile = np.asarray(domain.profile, dtype=float)
    if diversity == 0.0:
        return np.broadcast_to(profile, (size, domain.size)).copy()
    own = rng.dirichlet(np.ones(domain.size), size=size)
    return (1.0 - diversity) * profile + diversity * own


def utility_a(x: np.ndarray, weights_a: np.ndarray) -> np.ndarray:
    """Utility of packages ``x`` (K, n) in A's frame for party A with weights (K, n)."""
    return np.einsum("kn,kn->n", weights_a, x)


def utility_b(x: np.ndarray, weights_b: np.ndarray, opposed: np.ndarray) -> np.ndarray:
    """Utility of packages ``x`` (K, n) in A's frame for party B with weights (K, n)."""
    own = np.where(opposed[:, None], 1.0 - x, x)
    return np.einsum("kn,kn->n", weights_b, own)


def package_utilities(
    weights_a: np.ndarray, weights_b: np.ndarray, x: np.ndarray, opposed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Both sides' utilities of packages ``x`` (pair-major (N, K), A's frame); NaN positions (no package) count 0."""
    x = np.nan_to_num(x)
    ua = np.einsum("nk,nk->n", weights_a, x)
    ub = np.einsum("nk,nk->n", weights_b, np.where(opposed, 1.0 - x, x))
    return ua, ub


def interest_diversity(weights_a: np.ndarray, weights_b: np.ndarray) -> np.ndarray:
    """Total-variation distance between two parties' priorities (0 = identical, 1 = disjoint); rows are pairs."""
    return 0.5 * np.abs(np.asarray(weights_a) - np.asarray(weights_b)).sum(axis=-1)
