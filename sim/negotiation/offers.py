"""Offer kernels shared by strategies: every function works on many negotiations at once.

Positions are in the proposer's own frame (1 = its ideal on every issue), issue-major arrays of shape (K, n).
Splitting the difference and conceding in an order (``concession_order`` then ``concede_in_order``: the trade-off
offer, or its reverse for a claimer) both return a package worth exactly ``target`` to the proposer whenever that
is feasible; they differ only in *which* package of that worth they pick, which is what separates positional from
interest-based bargaining.
"""

from __future__ import annotations

import numpy as np

from sim.negotiation import kernels

_TINY = 1e-12


def split_the_difference(target: np.ndarray, size: int) -> np.ndarray:
    """Concede the same fraction on every issue (the fixed-pie compromise): every position equals ``target``.

    Returns a read-only broadcast view (no copy); copy it before writing into it.
    """
    return np.broadcast_to(target, (size, target.shape[0]))


def fixed_pie_offer(target: np.ndarray, weights: np.ndarray, held: np.ndarray | None) -> np.ndarray:
    """The positional compromise of a negotiator who believes the pie is fixed: the same fraction conceded on every
    issue, except the issues in ``held`` ((K, n) bool), which it has found the partner wants too and keeps at its
    ideal. Worth exactly ``target`` to the proposer whenever that is feasible. With nothing held this is
    :func:`split_the_difference` (a read-only view)."""
    if held is None:
        return split_the_difference(target, weights.shape[0])
    return fixed_pie_from(target, fixed_pie_parts(weights, held))


def fixed_pie_parts(weights: np.ndarray, held: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What :func:`fixed_pie_from` needs, fixed for a negotiation once the partner has opened: the held issues as
    1.0/0.0, their weight, and 1 / the weight of the rest."""
    kept = np.einsum("kn,kn->n", weights, held)
    return held.astype(float), kept, 1.0 / np.maximum(1.0 - kept, _TINY)


def fixed_pie_from(target: np.ndarray, parts: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """The fixed-pie compromise from precomputed parts: every free issue at the level that makes the package worth
    ``target``, held issues at 1 (the level never exceeds 1, so a maximum does the choosing)."""
    held, kept, inverse_rest = parts
    level = target - kept
    level *= inverse_rest  # never above 1, since the target never is
    return np.maximum(level, held)  # held issues at 1; the others floored at 0, as held is 0 there


def concession_order(weights: np.ndarray, priority: np.ndarray, concedable: np.ndarray) -> np.ndarray:
    """For each issue, the proposer's cost of all concedable issues it would concede *before* this one.

    Issues are conceded in decreasing ``priority``; exact ties go to the lower issue index (a perturbation of
    relative size 1e-9 breaks them, so priorities closer than that may be taken in either order, which changes an
    offer by a negligible amount). One broadcast comparison over all issue pairs: K is small, so this costs a
    handful of numpy calls however many negotiations there are. Shapes: all (K, n). Kept separate from
    :func:`concede_in_order` so that strategies whose order is fixed for a negotiation compute it once.
    """
    return concession_order_by_cost(weights * concedable, priority)


def concession_order_by_cost(cost: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """:func:`concession_order` from the cost of conceding each issue (weights where concedable, else 0), for a
    strategy that keeps that cost while the order changes from turn to turn."""
    k = cost.shape[0]
    if cost.shape == priority.shape and priority.dtype == cost.dtype == np.float64 and kernels.use(cost.shape[1]):
        return kernels.tradeoff_order(cost, priority, *tie_break(k))
    return np.einsum("ijn,jn->in", issues_ahead(priority), cost, dtype=float)


def issues_ahead(priority: np.ndarray) -> np.ndarray:
    """(K, K, n) bool: ``[i, j]`` is True where issue j is conceded before issue i (decreasing ``priority``, exact ties
    to the lower index): what :func:`concession_order` sums the costs over, for a strategy whose order stays fixed."""
    k = priority.shape[0]
    scale, shift = _TIE_BREAK[k] if k in _TIE_BREAK else _tie_break(k)
    ranked = priority * scale + shift
    return ranked[None, :, :] > ranked[:, None, :]


def tie_break(k: int) -> tuple[np.ndarray, np.ndarray]:
    """The perturbation :func:`concession_order` ranks by, ``priority * scale + shift``, as two (k,) arrays."""
    scale, shift = _TIE_BREAK[k] if k in _TIE_BREAK else _tie_break(k)
    return scale[:, 0], shift[:, 0]


def _tie_break(k: int) -> tuple[np.ndarray, np.ndarray]:
    rank = (k - 1 - np.arange(k, dtype=float))[:, None]
    return 1.0 + 1e-9 * rank, 1e-12 * rank


_TIE_BREAK = {k: _tie_break(k) for k in range(1, 9)}


def concede_in_order(inverse_cost: np.ndarray, before: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Concede whole issues in the order :func:`concession_order` describes until utility falls to ``target``.

    ``inverse_cost`` is 1 / cost of conceding each issue fully (0 for issues that are not concedable,
    a huge number for free ones). Returns positions (K, n) in the proposer's frame.
    """
    if _plain(inverse_cost, before, target) and kernels.use(before.shape[1]):
        return kernels.concede(inverse_cost, before, target)
    share = ((1.0 - target) - before) * inverse_cost
    np.maximum(share, 0.0, out=share)  # two ufuncs: np.clip costs several times more per call at these sizes
    np.minimum(share, 1.0, out=share)
    return np.subtract(1.0, share, out=share)


def _plain(inverse_cost: np.ndarray, before: np.ndarray, target: np.ndarray) -> bool:
    """Whether the compiled kernel takes these as they are: float64, (K, n), (K, n) and (n,), nothing to broadcast."""
    return (
        isinstance(target, np.ndarray) and target.dtype == before.dtype == inverse_cost.dtype == np.float64
        and inverse_cost.shape == before.shape and target.shape == before.shape[1:]
    )


def inverse_cost(weights: np.ndarray, concedable: np.ndarray) -> np.ndarray:
    """1 / weight where the issue may be conceded (huge for a weightless issue, so it is given away first), else 0."""
    return concedable / np.maximum(weights, _TINY)


def tradeoff_priority(weights: np.ndarray, partner_weights: np.ndarray) -> np.ndarray:
    """Partner's gain per unit of the proposer's own cost, the order in which a logroller concedes issues."""
    return partner_weights / np.maximum(weights, _TINY)
