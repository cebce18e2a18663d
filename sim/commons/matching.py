"""Who meets whom at the yearly meeting.

Four ways a pair forms, in this order:

0. **Partners who kept faith stay together.** A pair whose last agreement held, and whose members still trust each
   other at least as much as they trusted strangers, meets again (partnerships persist while both cooperate, and
   are cut when one defects: Rand, Arbesman & Christakis 2011; the source's *kerjasama khusus*).
1. **A broker** bridges two communities that otherwise never meet: it pairs a share of each across the divide.
2. **A backbone supporting aligned activities** convenes a share of organisations with partners whose interests
   complement theirs (where logrolling creates value), in meetings it facilitates.
3. **Everyone else chooses.** Each organisation considers a few possible partners (anyone on the river, or its
   neighbours along it), prefers those it regards well (its own trust in them, blended with their public record),
   and refuses any that exploited its openness before. Mutual trust is the precondition of collaboration (the seed
   on inter-organisation collaboration: *saling percaya*), and partner choice is how conditional cooperators keep
   claimers out (Axelrod 1984; Nowak & Sigmund 2005; Rand, Arbesman & Christakis 2011). Pairs form by mutual
   regard in a few rounds of asking around: each round, two organisations that are each other's best remaining
   choice pair up (run to the end, this is the greedy matching). Whoever is left is paired with whoever else is
   left (at random, or the nearest along the river) and will have them; an organisation nobody will have sits the
   meeting out.

Every function returns pairs as an (P, 2) array of organisation indices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

CHOSEN, CONVENED, BRIDGED = 0, 1, 2
"""How a pair first formed: chosen by its members, convened by a backbone, bridged by a broker."""

Regard = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""regard(rows, cols): how well each organisation in ``rows`` regards the one in ``cols`` (0..1)."""

Refuses = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""refuses(rows, cols): whether each organisation in ``rows`` refuses to meet the one in ``cols``."""

PASSES = 4
"""Rounds of asking around at a meeting: in each, every two organisations that are each other's best remaining
choice pair up. Most pairs form in the first rounds; four leave a few percent to the final pairing of leftovers."""


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
    """The possible pairs an organisation considers: ``count`` others on average drawn from anyone
    (``rule="random"``: ``count`` x members / 2 pairs drawn at random, so each organisation is in ``count`` of them on
    average), or its nearest neighbours along the river, ``ceil(count / 2)`` on each side (``"neighbours"``).
    Undirected, as (E, 2); a random pair may appear twice."""
    m = members.size
    if m < 2:
        return np.empty((0, 2), dtype=np.int64)
    if rule == "neighbours":
        ordered = members[np.argsort(position[members], kind="stable")]
        reach = max(1, (count + 1) // 2)
        parts = [np.stack([ordered[:-d], ordered[d:]], axis=1) for d in range(1, min(reach, m - 1) + 1)]
        return np.concatenate(parts, axis=0)
    drawn = max(1, round(m * min(count, m - 1) / 2))
    starts = rng.integers(0, m, size=drawn)
    offsets = rng.integers(1, m, size=drawn)  # never oneself
    # A pair drawn twice stays in twice: the matching takes at most one of the copies, so removing them would only
    # cost time.
    return np.stack([members[starts], members[(starts + offsets) % m]], axis=1)


def greedy_matching(edges: np.ndarray, weight: np.ndarray, size: int, passes: int = PASSES) -> np.ndarray:
    """Pairs by mutual best choice: in each pass every edge that is the heaviest free edge of both its ends is taken
    (each organisation at most once). Run to the end this is the greedy maximum-weight matching (a locally dominant
    matching); ``passes`` bounds it. Ties are broken by edge order, so pass a jittered ``weight``."""
    if edges.shape[0] == 0:
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(-weight)  # weights carry a random jitter, so ties (and the sort's handling of them) are moot
    u, v = edges[order, 0], edges[order, 1]
    free = np.ones(size, dtype=bool)
    taken = []
    alive = np.arange(order.size)
    for _ in range(passes):
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
    e = edges.shape[0]
    # Both directions of every edge in one call each: these run at every meeting over thousands of pairs.
    rows, cols = edges.T.ravel(), edges[:, ::-1].T.ravel()
    refused = refuses(rows, cols)
    acceptable = ~(refused[:e] | refused[e:])
    luck = rng.random(e)
    if choice > 0:
        both = regard(rows, cols)
        weight = choice * np.minimum(both[:e], both[e:]) + (1.0 - choice) * luck + 1e-9 * luck
    else:
        weight = luck
    edges, weight = edges[acceptable], weight[acceptable]
    pairs = greedy_matching(edges, weight, n)
    # Whoever is left meets whoever else is left, if they will have each other.
    matched = np.zeros(n, dtype=bool)
    matched[pairs.ravel()] = True
    left = members[~matched[members]]
    if left.size >= 2:
        if rule == "neighbours":  # the nearest of those left along the river
            ordered = left[np.argsort(position[left], kind="stable")]
            half = ordered.size // 2
            extra = np.stack([ordered[0 : 2 * half : 2], ordered[1 : 2 * half : 2]], axis=1)
        else:
            extra = random_pairs(left, rng)
        ok = ~(refuses(extra[:, 0], extra[:, 1]) | refuses(extra[:, 1], extra[:, 0]))
        pairs = np.concatenate([pairs, extra[ok]], axis=0)
    return pairs.astype(np.int64)


@dataclass(frozen=True)
class Pairing:
    """The pairs of one meeting, how each first formed (CHOSEN, CONVENED or BRIDGED), and which were kept from the
    last term."""

    pairs: np.ndarray
    kind: np.ndarray
    kept: np.ndarray | None = None

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
    kept: np.ndarray | None = None,
    kept_kind: np.ndarray | None = None,
) -> Pairing:
    """Pairs for this meeting (see the module docstring).

    ``aligned`` is the share of organisations a backbone convenes by complementary interests; ``bridging`` the share
    a broker pairs across the two communities (0 when there is no broker: the communities never meet). ``kept`` are
    last term's pairs that stay together (with how each first formed, ``kept_kind``); everyone else looks again.
    """
    everyone = np.arange(position.size)
    pairs: list[np.ndarray] = []
    kinds: list[np.ndarray] = []

    def add(found: np.ndarray, kind: int | np.ndarray) -> None:
        pairs.append(found)
        kinds.append(np.broadcast_to(np.asarray(kind, dtype=np.int8), (found.shape[0],)).copy())

    looking = np.ones(position.size, dtype=bool)
    kept_kinds = np.empty(0, dtype=np.int8)
    if kept is not None and kept.size:
        kept_kinds = kept_kind if kept_kind is not None else np.full(kept.shape[0], CHOSEN, dtype=np.int8)
        add(kept, kept_kinds)
        looking[kept.ravel()] = False
    members = [everyone[community == c] for c in np.unique(community)]
    groups = [group[looking[group]] for group in members]
    if len(groups) == 2 and bridging > 0:
        # A broker keeps its share of bridges: new ones replace those that broke up.
        crossing = int(round(bridging * min(g.size for g in members))) - int(np.sum(kept_kinds == BRIDGED))
        crossing = max(0, min(crossing, *(g.size for g in groups)))
        bridges = np.stack([rng.permutation(g)[:crossing] for g in groups], axis=1)
        bridges = bridges[~(refuses(bridges[:, 0], bridges[:, 1]) | refuses(bridges[:, 1], bridges[:, 0]))]
        add(bridges, BRIDGED)
        groups = [np.setdiff1d(g, bridges[:, i], assume_unique=True) for i, g in enumerate(groups)]
    for group, everyone_here in zip(groups, members, strict=True):
        if aligned > 0 and group.size >= 2:
            # A backbone convenes its share of the community, counting the convened pairs still together.
            in_kept = np.isin(kept[kept_kinds == CONVENED, 0], everyone_here).sum() if kept_kinds.size else 0
            wanted = int(round(aligned * everyone_here.size / 2)) - int(in_kept)
            wanted = max(0, min(wanted, group.size // 2))
            chosen = rng.permutation(group)[: 2 * wanted]
            convened = complementary_pairs(np.sort(chosen), weights, rng)
            # Convened or not, nobody meets a partner who exploited it: those two look for partners themselves.
            refused = refuses(convened[:, 0], convened[:, 1]) | refuses(convened[:, 1], convened[:, 0])
            add(convened[~refused], CONVENED)
            group = np.setdiff1d(group, convened[~refused].ravel(), assume_unique=True)
        if group.size >= 2:
            add(
                choose_partners(group, rng=rng, position=position, rule=rule, count=count, choice=choice,
                                regard=regard, refuses=refuses),
                CHOSEN,
            )
    if not pairs:
        return Pairing(np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int8), np.empty(0, dtype=bool))
    found = np.concatenate(pairs, axis=0).astype(np.int64)
    staying = np.zeros(found.shape[0], dtype=bool)
    staying[: kept_kinds.size] = True  # kept pairs come first
    return Pairing(found, np.concatenate(kinds), staying)
