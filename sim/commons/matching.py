"""Who meets whom at the yearly meeting.

Three ways a pair forms, in this order:

1. **A broker** bridges two communities that otherwise never meet: it pairs a share of each across the divide.
2. **A backbone supporting aligned activities** convenes a share of organisations with partners whose interests
   complement theirs (where logrolling creates value), in meetings it facilitates.
3. **Everyone else chooses.** Each organisation considers a few possible partners (anyone on the river, or its
   neighbours along it), prefers those it regards well (its own trust in them, blended with their public record),
   and refuses those that exploited it before or whose public record is bad. Mutual trust is the precondition of
   collaboration (the seed on inter-organisation collaboration: *saling percaya*), and partner choice is how
   conditional cooperators keep claimers out (Axelrod 1984; Nowak & Sigmund 2005; Rand, Arbesman & Christakis 2011).
   Pairs form greedily by mutual regard (a locally dominant matching, found in a few array passes); whoever is left
   is paired at random with whoever else is left and will have them. An organisation nobody will have sits the
   meeting out.

Every function returns pairs as an (P, 2) array of organisation indices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

CHOSEN, CONVENED, BRIDGED = 0, 1, 2
"""How a pair formed: chosen by its members, convened by a backbone, bridged by a broker."""

Regard = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""regard(rows, cols): how well each organisation in ``rows`` regards the one in ``cols`` (0..1)."""

Refuses = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""refuses(rows, cols): whether each organisation in ``rows`` refuses to meet the one in ``cols``."""

_MAX_ROUNDS = 64


def random_pairs(members: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pair ``members`` uniformly at random."""
    shuffled = rng.permutation(members)
    half = shuffled.size // 2
    return np.stack([shuffled[:half], shuffled[half : 2 * half]], axis=1)


def complementary_pairs(members: np.ndarray, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pair organisations whose priorities differ most on the tradeable issues, which is where logrolling creates
    value: rank by (schedule priority - maintenance priority) and pair the two ends of the ranking."""
    jitter = rng.random(members.size) * 1e-9  # a seeded tie-break
    score = weights[members, 1] - weights[members, 2] + jitter
    ordered = members[np.argsort(score, kind="stable")]
    half = ordered.size // 2
    return np.stack([ordered[:half], ordered[::-1][:half]], axis=1)


def candidate_edges(
    members: np.ndarray, position: np.ndarray, rule: str, count: int, rng: np.random.Generator
) -> np.ndarray:
    """The possible pairs an organisation considers: ``count`` others drawn from anyone (``rule="random"``), or its
    nearest ``count`` neighbours along the river (``"neighbours"``). Undirected, each pair once, as (E, 2)."""
    m = members.size
    if m < 2:
        return np.empty((0, 2), dtype=np.int64)
    if rule == "neighbours":
        ordered = members[np.argsort(position[members], kind="stable")]
        reach = max(1, (count + 1) // 2)
        parts = [np.stack([ordered[:-d], ordered[d:]], axis=1) for d in range(1, min(reach, m - 1) + 1)]
        return np.concatenate(parts, axis=0)
    offsets = rng.integers(1, m, size=(m, min(count, m - 1)))  # never oneself
    ends = members[(np.arange(m)[:, None] + offsets) % m]
    edges = np.stack([np.repeat(members, ends.shape[1]), ends.ravel()], axis=1)
    edges.sort(axis=1)
    n = int(position.size)
    codes = np.unique(edges[:, 0] * n + edges[:, 1])
    return np.stack([codes // n, codes % n], axis=1)


def greedy_matching(edges: np.ndarray, weight: np.ndarray, size: int) -> np.ndarray:
    """The greedy maximum-weight matching of ``edges`` (heaviest pair first, each organisation at most once),
    found as a locally dominant matching: in each pass every edge that is the heaviest free edge of both its ends
    is taken. Ties are broken by edge order, so pass a jittered ``weight``."""
    if edges.shape[0] == 0:
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(-weight, kind="stable")
    u, v = edges[order, 0], edges[order, 1]
    rank = np.arange(order.size)
    free = np.ones(size, dtype=bool)
    taken = []
    alive = rank
    for _ in range(_MAX_ROUNDS):
        if alive.size == 0:
            break
        uu, vv = u[alive], v[alive]
        best = np.full(size, order.size)
        np.minimum.at(best, uu, alive)
        np.minimum.at(best, vv, alive)
        chosen = alive[(best[uu] == alive) & (best[vv] == alive)]
        taken.append(chosen)
        free[u[chosen]] = False
        free[v[chosen]] = False
        alive = alive[free[uu] & free[vv]]
    chosen = np.concatenate(taken) if taken else np.empty(0, dtype=np.int64)
    return np.stack([u[chosen], v[chosen]], axis=1)


def choose_partners(
    members: np.ndarray,
    *,
    rng: np.random.Generator,
    position: np.ndarray,
    rule: str,
    count: int,
    choice: float,
    regard: Regard,
    refuses: Refuses,
) -> np.ndarray:
    """Pairs the ``members`` form by choosing each other (see the module docstring). ``choice`` in [0, 1] is how far
    they pick by mutual regard rather than at random."""
    n = int(position.size)
    edges = candidate_edges(members, position, rule, count, rng)
    first, second = edges[:, 0], edges[:, 1]
    acceptable = ~(refuses(first, second) | refuses(second, first))
    edges = edges[acceptable]
    first, second = edges[:, 0], edges[:, 1]
    luck = rng.random(edges.shape[0])
    mutual = np.minimum(regard(first, second), regard(second, first)) if choice > 0 else 0.0
    weight = choice * mutual + (1.0 - choice) * luck + 1e-9 * luck
    pairs = greedy_matching(edges, weight, n)
    # Whoever is left meets whoever else is left, if they will have each other.
    matched = np.zeros(n, dtype=bool)
    matched[pairs.ravel()] = True
    left = members[~matched[members]]
    if left.size >= 2:
        extra = random_pairs(left, rng)
        ok = ~(refuses(extra[:, 0], extra[:, 1]) | refuses(extra[:, 1], extra[:, 0]))
        pairs = np.concatenate([pairs, extra[ok]], axis=0)
    return pairs.astype(np.int64)


@dataclass(frozen=True)
class Pairing:
    """The pairs of one meeting and how each formed (CHOSEN, CONVENED or BRIDGED)."""

    pairs: np.ndarray
    kind: np.ndarray

    @property
    def convened(self) -> np.ndarray:
        return self.kind == CONVENED

    @property
    def bridged(self) -> np.ndarray:
        return self.kind == BRIDGED


def form_pairs(
    *,
    rng: np.random.Generator,
    position: np.ndarray,
    weights: np.ndarray,
    community: np.ndarray,
    rule: str,
    count: int,
    choice: float,
    regard: Regard,
    refuses: Refuses,
    aligned: float,
    bridging: float,
) -> Pairing:
    """Pairs for this meeting (see the module docstring).

    ``aligned`` is the share of organisations a backbone convenes by complementary interests; ``bridging`` the share
    a broker pairs across the two communities (0 when there is no broker: the communities never meet).
    """
    everyone = np.arange(position.size)
    pairs: list[np.ndarray] = []
    kinds: list[np.ndarray] = []

    def add(found: np.ndarray, kind: int) -> None:
        pairs.append(found)
        kinds.append(np.full(found.shape[0], kind, dtype=np.int8))

    groups = [everyone[community == c] for c in np.unique(community)]
    if len(groups) == 2 and bridging > 0:
        crossing = int(round(bridging * min(g.size for g in groups)))
        chosen = [rng.permutation(g)[:crossing] for g in groups]
        add(np.stack(chosen, axis=1), BRIDGED)
        groups = [np.setdiff1d(g, c, assume_unique=True) for g, c in zip(groups, chosen, strict=True)]
    for group in groups:
        if aligned > 0 and group.size >= 2:
            chosen = rng.permutation(group)[: int(round(aligned * group.size))]
            add(complementary_pairs(np.sort(chosen), weights, rng), CONVENED)
            group = np.setdiff1d(group, chosen, assume_unique=True)
        if group.size >= 2:
            add(
                choose_partners(group, rng=rng, position=position, rule=rule, count=count, choice=choice,
                                regard=regard, refuses=refuses),
                CHOSEN,
            )
    if not pairs:
        return Pairing(np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int8))
    return Pairing(np.concatenate(pairs, axis=0).astype(np.int64), np.concatenate(kinds))
