"""Who meets whom at the yearly meeting: random partners, river neighbours, complementary partners (a backbone
supporting aligned activities), and pairs across two communities (a broker). Every function returns pairs as an
(P, 2) array of organisation indices; an organisation left over sits the meeting out."""

from __future__ import annotations

import numpy as np


def random_pairs(members: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pair ``members`` uniformly at random."""
    shuffled = rng.permutation(members)
    half = shuffled.size // 2
    return np.stack([shuffled[:half], shuffled[half : 2 * half]], axis=1)


def neighbour_pairs(members: np.ndarray, position: np.ndarray, season: int) -> np.ndarray:
    """Pair each organisation with its neighbour along the river; the pairing shifts by one every other meeting,
    so news travels along the river as it does in practice."""
    ordered = members[np.argsort(position[members], kind="stable")]
    start = season % 2 if ordered.size > 2 else 0
    usable = ordered[start:]
    half = usable.size // 2
    return np.stack([usable[0 : 2 * half : 2], usable[1 : 2 * half : 2]], axis=1)


def complementary_pairs(members: np.ndarray, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pair organisations whose priorities differ most on the tradeable issues, which is where logrolling creates
    value: rank by (schedule priority - maintenance priority) and pair the two ends of the ranking."""
    jitter = rng.random(members.size) * 1e-9  # a seeded tie-break
    score = weights[members, 1] - weights[members, 2] + jitter
    ordered = members[np.argsort(score, kind="stable")]
    half = ordered.size // 2
    return np.stack([ordered[:half], ordered[::-1][:half]], axis=1)


def form_pairs(
    *,
    rng: np.random.Generator,
    season: int,
    position: np.ndarray,
    weights: np.ndarray,
    community: np.ndarray,
    rule: str,
    aligned: float,
    bridging: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs for this meeting and whether each crosses between communities.

    ``aligned`` is the share of organisations a backbone matches by complementary interests; ``bridging`` the share
    a broker pairs across the two communities (0 when there is no broker: the communities never meet).
    """
    everyone = np.arange(position.size)
    pairs: list[np.ndarray] = []
    crossing = 0
    groups = [everyone[community == c] for c in np.unique(community)]
    if len(groups) == 2 and bridging > 0:
        crossing = int(round(bridging * min(g.size for g in groups)))
        chosen = [rng.permutation(g)[:crossing] for g in groups]
        pairs.append(np.stack(chosen, axis=1))
        groups = [np.setdiff1d(g, c, assume_unique=True) for g, c in zip(groups, chosen, strict=True)]
    for group in groups:
        if aligned > 0 and group.size >= 2:
            chosen = rng.permutation(group)[: int(round(aligned * group.size))]
            pairs.append(complementary_pairs(np.sort(chosen), weights, rng))
            group = np.setdiff1d(group, chosen, assume_unique=True)
        if group.size >= 2:
            pairs.append(neighbour_pairs(group, position, season) if rule == "neighbours" else random_pairs(group, rng))
    result = np.concatenate(pairs, axis=0).astype(np.int64) if pairs else np.empty((0, 2), dtype=np.int64)
    is_cross = np.zeros(result.shape[0], dtype=bool)
    is_cross[:crossing] = True  # cross-community pairs come first
    return result, is_cross
