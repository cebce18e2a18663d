"""A facilitated meeting: the single negotiating text (Raiffa 1982; Fisher's one-text procedure, used at Camp David).

A facilitator (a backbone convening complementary partners, a broker mediating across communities) does not make
strangers trust each other, and never decides for them. It does three things:

1. **It hears both sides in confidence.** Each side tells the facilitator its priorities as it would tell the partner
   (a problem-solver as far as it trusts the partner, a claimer never, or falsely); the facilitator passes nothing on,
   so nobody's openness can be claimed against them.
2. **It makes the shape of the problem known.** Having heard both sides' positions, it tells them which issues they
   want the same end of (the shared well): nobody settles a shared interest lose-lose for want of seeing it.
3. **It drafts one text and improves it for both.** Starting from the even compromise (half of every contested issue,
   the shared issues at both sides' ideal), it moves the text along the frontier of what both could gain, as it
   understands their priorities (what each confided, or the community's usual profile where it heard nothing), to
   the package with the largest product of both sides' gains over the compromise (Nash 1950): each side gets more on
   what it told the facilitator matters more to it. Each side accepts the text if it is worth at least its walk-away
   value to it; where either refuses, the two bargain as in any meeting, knowing the shared issues.

So facilitation creates value even between strangers (the shared issues, an even text), and more between partners who
trust enough to confide: with trust frozen at zero a problem-solver confides nothing and a meeting of problem-solvers
goes exactly as a meeting of claimers.
"""

from __future__ import annotations

import numpy as np

_TINY = 1e-12


def single_text(weights_a: np.ndarray, weights_b: np.ndarray, opposed: np.ndarray) -> np.ndarray:
    """The facilitator's text (N, K) in A's frame, for priorities as the facilitator understands them ((N, K) each,
    in each side's own frame): the package on the frontier those priorities give that maximises the product of both
    sides' gains over the even compromise, or the compromise itself where no package gains for both."""
    n, k = weights_a.shape
    opp = np.flatnonzero(opposed)
    text = np.ones((n, k))  # shared issues at both sides' ideal
    if opp.size == 0:
        return text
    wa, wb = weights_a[:, opp], weights_b[:, opp]
    # A gets first the issues it values most per unit B gives up (the frontier's order).
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(wb > _TINY, wa / np.maximum(wb, _TINY), np.where(wa > _TINY, np.inf, -1.0))
    order = np.argsort(-ratio, axis=1, kind="stable")
    wa_s, wb_s = np.take_along_axis(wa, order, axis=1), np.take_along_axis(wb, order, axis=1)
    zero = np.zeros((n, 1))
    cum_a = np.concatenate([zero, np.cumsum(wa_s, axis=1)], axis=1)[:, :-1]  # A's weight on issues given before j
    cum_b = np.concatenate([zero, np.cumsum(wb_s, axis=1)], axis=1)[:, :-1]
    # Gains over the compromise at the start of segment j (issues ranked before j to A, the rest to B) and along it
    # (issue j moving from B to A by s).
    gain_a0 = cum_a - 0.5 * wa_s.sum(axis=1, keepdims=True)
    gain_b0 = 0.5 * wb_s.sum(axis=1, keepdims=True) - cum_b
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (wa_s * gain_b0 - wb_s * gain_a0) / (2.0 * wa_s * wb_s)
    s = np.where(wa_s <= _TINY, 0.0, np.where(wb_s <= _TINY, 1.0, s))
    s = np.clip(np.nan_to_num(s, nan=0.0), 0.0, 1.0)
    gain_a, gain_b = gain_a0 + s * wa_s, gain_b0 - s * wb_s
    product = np.where((gain_a > _TINY) & (gain_b > _TINY), gain_a * gain_b, -np.inf)
    best = np.argmax(product, axis=1)
    found = np.isfinite(product[np.arange(n), best])
    rank = np.arange(opp.size)[None, :]
    level = np.where(rank < best[:, None], 1.0, 0.0)
    level[np.arange(n), best] = s[np.arange(n), best]
    positions = np.empty((n, opp.size))
    np.put_along_axis(positions, order, level, axis=1)
    text[:, opp] = np.where(found[:, None], positions, 0.5)
    return text
