"""Fixed-pie perception as a belief that offers update (Thompson & Hastie 1990; Bazerman & Neale 1983).

Every negotiator, whatever its strategy, starts out believing that each issue is opposed (what it wants, the partner
wants the opposite) with credence ``fixed_pie``, and revises that belief, issue by issue, from the offers it
receives. It holds the belief as odds that the issue is *shared* (both want the same end). An offer's position
``y`` on an issue, in the receiver's own frame (1 = its ideal), is evidence with likelihood ratio ``2y``:

- if the issue is shared, the offer shows the partner's own aspiration on it, which negotiators expect to be high
  more often than low (they open high and give ground from there): density ``2y``;
- if the issue is opposed, the partner may hold out on it or trade it away, so the receiver expects any position
  as much as any other: density 1.

So an offer at the receiver's ideal doubles the odds that the issue is shared, one half way says nothing, one at the
partner's own end rules it out. A negotiator *notices* a shared interest when its odds pass one, and from
then on keeps that issue at its ideal; a negotiator that never receives telling offers (a short meeting, a partner
that gives ground fast) stays blind. Lose-lose settlements and blindness therefore come from the dance: they depend
on the rounds, on the tempo of both sides and on where the prior starts (a backbone's common agenda moves it towards
no bias). A facilitator who hears both sides knows which issues are shared and says so (:mod:`.facilitation`).
"""

from __future__ import annotations

import numpy as np

# Odds, not log-odds: Bayes' rule is then a product, which IEEE arithmetic rounds the same on every CPU (numpy's log
# does not: its vectorised versions differ between instruction sets, and a belief decides offers).
_FLOOR = 1e-12  # an offer at the partner's own end: as good as certain evidence of an opposed issue, but not zero


def prior_odds(fixed_pie: np.ndarray) -> np.ndarray:
    """Odds that an issue is shared, from the credence ``fixed_pie`` (0.5..1) that it is opposed (0 at 1)."""
    return (1.0 - fixed_pie) / fixed_pie


def evidence(offer: np.ndarray) -> np.ndarray:
    """Likelihood ratio, shared against opposed, of an offer's positions (receiver's frame): 2y."""
    return np.maximum(2.0 * offer, _FLOOR)


def known(opposed: np.ndarray, n: int) -> np.ndarray:
    """The belief of a negotiator who knows which issues are shared (a facilitator told it): odds of infinity or 0."""
    return np.repeat(np.where(opposed, 0.0, np.inf)[:, None], n, axis=1)


def believes_shared(odds: np.ndarray) -> np.ndarray:
    """Issues believed shared: odds above one."""
    return odds > 1.0


def noticed(odds: np.ndarray, opposed: np.ndarray) -> np.ndarray:
    """(n,) whether a negotiator has noticed every shared issue there is (and believes it shared)."""
    compatible = ~opposed
    if not compatible.any():
        return np.ones(odds.shape[1], dtype=bool)
    return np.all(believes_shared(odds[compatible]), axis=0)
