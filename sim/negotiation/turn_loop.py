"""A meeting's whole turn loop, compiled (numba): the same negotiations as :func:`sim.negotiation.engine.negotiate`'s
numpy loop, to the bit, in one call.

The numpy engine is the reference and the readable version: each turn it runs a few dozen numpy operations over
every negotiation at once, and at a meeting's size (a few hundred negotiations) calling numpy costs more than the
arithmetic. Here each step is one loop over the negotiations, each doing its own arithmetic in registers.

Same numbers, to the bit, because every value is worked out by the same IEEE operations in the same order (numba
without fastmath contracts nothing into fused multiply-adds), and because the loop follows the engine's schedule,
not just its rules:

- Steps run in the engine's order over every negotiation still in its working arrays, settled or not: a settled
  negotiation keeps proposing and learning from offers until the engine drops it, which decides whether it ends up
  having noticed a shared issue. Dropping happens where the engine's does (:data:`COMPACT_MIN`, :data:`COMPACT_BELOW`).
- A sum over issues is added in the order numpy adds it. numpy adds issue by issue, except where an array it sums
  holds one negotiation in contiguous memory: then ``einsum`` adds in two SIMD lanes (even and odd issues, blocks of
  eight in reverse) and ``sum`` pairwise (:func:`_sum`). Which one applies follows from the number of negotiations
  in the working arrays and in each strategy's group, as in the engine. (numpy's x86-64 build; the differential test
  in ``tests/negotiation/test_turn_loop.py`` checks every case, one-negotiation batches included.)

Only the two built-in strategies that play (``Distributive`` and ``Integrative``; ``Reciprocal`` hands each
negotiation to one of them) are here; a batch with any other strategy runs the numpy loop. The disclosures, the
strategies' preparation and the facilitator's text are worked out by the engine before the loop, in numpy.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.negotiation.beliefs import _FLOOR
from sim.negotiation.concession import _ATANH_TERMS, _EXP_TERMS, _LN2, _LN2_HI, _LN2_LO, _SQRT_HALF

SEQUENTIAL, EINSUM_ONE, SUM_ONE = 0, 1, 2  # the order numpy adds a sum over issues in (see _sum)
DISTRIBUTIVE, INTEGRATIVE = 0, 1  # who plays a side of a negotiation
CLOSED, BLENDED, OPEN = 0, 1, 2  # an integrative group's openness: none, some, all fully open (its memory flags)
COMPACT_MIN, COMPACT_BELOW = 2048, 0.5  # the engine's _COMPACT_MIN and _COMPACT_BELOW
_ACCEPT_SLACK = 1e-12
_TINY = 1e-12
MAX_ISSUES = 15  # SUM_ONE follows numpy's pairwise sum for up to 15 values


def _compiled(function):
    """Compiled with numba's cache (beside this file, or in the user's cache), or without one where neither is
    writable (a read-only container): then each process compiles. Without numba's reference counting: every array
    is allocated by :func:`run` before the loop, and counting the references of each array handed to a helper (two
    atomic operations each) took half the loop's time."""
    try:
        return njit(cache=True, nogil=True, _nrt=False)(function)
    except RuntimeError:
        return njit(nogil=True, _nrt=False)(function)


ATANH = np.array(_ATANH_TERMS)
EXP = np.array(_EXP_TERMS)


@_compiled
def _horner(x, coefficients):
    acc = coefficients[coefficients.shape[0] - 1]
    for c in range(coefficients.shape[0] - 2, -1, -1):
        acc = acc * x + coefficients[c]
    return acc


@_compiled
def _unit_power(tau, exponent, atanh, exp):  # sim.negotiation.concession.unit_power, one value
    if not tau > 0.0:
        return 0.0
    m, e = math.frexp(tau)
    e = float(e)
    if m < _SQRT_HALF:
        m = m * 2.0
        e = e - 1.0
    s = (m - 1.0) / (m + 1.0)
    log_m = s * _horner(s * s, atanh)
    y = exponent * (e * _LN2 + log_m)
    k = np.rint(y / _LN2)
    r = (y - k * _LN2_HI) - k * _LN2_LO
    return math.ldexp(_horner(r, exp), int(k))


@_compiled
def _sum(p, k, order):
    """``p[0] + ... + p[k-1]`` in the order numpy adds them (see the module docstring)."""
    if order == SEQUENTIAL or (order == SUM_ONE and k < 8):
        total = 0.0
        for i in range(k):
            total += p[i]
        return total
    if order == SUM_ONE:  # pairwise: eight partial sums, then a tree, then the rest one by one
        total = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]))
        for i in range(8, k):
            total += p[i]
        return 0.0 + total
    lane0 = 0.0  # EINSUM_ONE: two lanes, blocks of eight added last to first, then the rest in pairs
    lane1 = 0.0
    i = 0
    while k - i >= 8:
        for j in (6, 4, 2, 0):
            lane0 = p[i + j] + lane0
            lane1 = p[i + j + 1] + lane1
        i += 8
    while i < k:
        lane0 = lane0 + p[i]
        if i + 1 < k:
            lane1 = lane1 + p[i + 1]
        i += 2
    return lane0 + lane1


@_compiled
def _fixed_pie(out, target, weights, held, s, p, k, side_order, scratch):
    """The positional compromise worth ``target`` (sim.negotiation.offers.fixed_pie_from) of side ``s`` in
    negotiation ``p``, issues believed shared at the ideal; ``target`` on every issue where none is. (Arrays are
    indexed where they lie, never sliced: a view costs numba two reference counts, more than this arithmetic.)"""
    any_held = False
    for i in range(k):
        scratch[i] = weights[s, p, i] * (1.0 if held[s, p, i] else 0.0)
        any_held = any_held or held[s, p, i]
    if not any_held:
        for i in range(k):
            out[i] = target
        return
    kept = _sum(scratch, k, side_order)
    rest = 1.0 - kept
    inverse_rest = 1.0 / (rest if rest >= _TINY or rest != rest else _TINY)
    level = (target - kept) * inverse_rest
    for i in range(k):
        h = 1.0 if held[s, p, i] else 0.0
        out[i] = level if (level >= h or level != level) else h


@_compiled
def _concede(out, inverse_cost, before, target, k):
    """sim.negotiation.offers.concede_in_order for one negotiation."""
    for i in range(k):
        share = ((1.0 - target) - before[i]) * inverse_cost[i]
        if share < 0.0:
            share = 0.0
        if share > 1.0:
            share = 1.0
        out[i] = 1.0 - share


@_compiled
def _before(before, ranked, cost, k, order, scratch):
    """For each issue, the cost of the issues ranked above it (sim.negotiation.offers.concession_order_by_cost)."""
    for i in range(k):
        for j in range(k):
            scratch[j] = cost[j] if ranked[j] > ranked[i] else 0.0
        before[i] = _sum(scratch, k, order)


@_compiled
def _propose(out, s, p, turn, kind, concession, power_exponent, matching, mode, exploit, weights, reservation, opening,
             time_scale, openness, held, received_last, received_first, has_received, partner_disclosed,
             partner_disclosure, tie_scale, tie_shift, side_order, group_order, view_order, cost, inverse, before,
             ranked, scratch, compromise, atanh, exp):
    """The offer side ``s`` makes in negotiation ``p`` at its ``turn`` (Strategy.aspiration, then
    Distributive.propose or Integrative.propose)."""
    k = weights.shape[2]
    tau = turn * time_scale[s, p]
    if not tau <= 1.0:
        tau = 1.0
    tempo = concession[s, p]
    conceded = tau if tempo == 1.0 else _unit_power(tau, power_exponent[s, p], atanh, exp)
    r = reservation[s, p]
    target = r + (opening[s, p] - r) * (1.0 - conceded)
    if kind[s, p] == DISTRIBUTIVE:
        if not exploit[s, p]:
            _fixed_pie(out, target, weights, held, s, p, k, side_order, scratch)
            return
        for i in range(k):
            w = weights[s, p, i]
            floor = w if w >= _TINY or w != w else _TINY
            contested = 0.0 if held[s, p, i] else 1.0
            cost[i] = w * contested
            inverse[i] = contested * (1.0 / floor)
            ranked[i] = -(partner_disclosure[s, p, i] / floor) * tie_scale[i] + tie_shift[i]
        _before(before, ranked, cost, k, group_order, scratch)
        for i in range(k):
            scratch[i] = partner_disclosure[s, p, i] * (0.0 if held[s, p, i] else 1.0)
        base = _sum(scratch, k, group_order if group_order != EINSUM_ONE else SUM_ONE)
        demand = 1.0
        if has_received[s, p]:
            for i in range(k):
                signed = partner_disclosure[s, p, i] * (1.0 if held[s, p, i] else -1.0)
                scratch[i] = signed * received_last[s, p, i]
            demand = base + _sum(scratch, k, group_order if group_order != EINSUM_ONE else SUM_ONE)
        limit = opening[s, p] - matching[s, p] * (1.0 - demand)
        if not (limit <= 1.0 or limit != limit):
            limit = 1.0
        if not (target >= limit or target != target):
            target = limit
        _concede(out, inverse, before, target, k)
        return
    open_ = openness[s, p]
    if mode[s, p] == CLOSED:
        _fixed_pie(out, target, weights, held, s, p, k, side_order, scratch)
        return
    disclosed = partner_disclosed[s, p]
    for i in range(k):
        w = weights[s, p, i]
        contested = 0.0 if held[s, p, i] else 1.0
        floor = w if w >= _TINY or w != w else _TINY
        cost[i] = w * contested
        inverse[i] = contested / floor
        if disclosed:
            believed = partner_disclosure[s, p, i]
        else:
            believed = 1.05 - abs(received_last[s, p, i] - received_first[s, p, i])
        ranked[i] = (believed * (1.0 / floor)) * tie_scale[i] + tie_shift[i]
    _before(before, ranked, cost, k, view_order, scratch)
    _concede(out, inverse, before, target, k)
    if mode[s, p] == OPEN:
        return
    _fixed_pie(compromise, target, weights, held, s, p, k, side_order, scratch)
    guard = 1.0 - open_
    for i in range(k):
        out[i] = out[i] * open_ + compromise[i] * guard


def run(kind, concession, power_exponent, matching, mode, exploit, group, group_count, weights, reservation, opening,
        time_scale, openness, belief, partner_disclosed, partner_disclosure, end_step, live, opposed, tie_scale,
        tie_shift, agreement, agreed_at, noticed, trace, keep_trace):
    """Run every negotiation's turns, as the engine's loop does. Arrays are negotiation-major: ``[side, pair]`` or
    ``[side, pair, issue]``. Fills ``agreement`` (A's frame), ``agreed_at``, ``noticed`` and, with ``keep_trace``,
    ``trace`` (steps, issues, pairs); returns the last step run. (Allocates the loop's arrays, then runs it.)"""
    n, k = end_step.shape[0], weights.shape[2]
    sizes = np.zeros((2, group_count), dtype=np.int64)  # negotiations of each strategy group in the working arrays
    for s in range(2):
        sizes[s] = np.bincount(group[s], minlength=group_count)
    state = (belief > 1.0, np.zeros((2, n, k)), np.zeros((2, n, k)), np.zeros((2, n), dtype=np.bool_), np.zeros((n, k)),
             np.ones(n, dtype=np.bool_), np.zeros(n, dtype=np.bool_), sizes)
    return _run(kind, concession, power_exponent, matching, mode, exploit, group, weights, reservation, opening,
                time_scale, openness, belief, partner_disclosed, partner_disclosure, end_step, live, opposed, tie_scale,
                tie_shift, agreement, agreed_at, noticed, trace, keep_trace, *state, np.empty((10, k)), ATANH, EXP)


@_compiled
def _run(kind, concession, power_exponent, matching, mode, exploit, group, weights, reservation, opening,
         time_scale, openness, belief, partner_disclosed, partner_disclosure, end_step, live, opposed, tie_scale,
         tie_shift, agreement, agreed_at, noticed, trace, keep_trace, held, received_last, received_first,
         has_received, accepted, working, settled, sizes, work, atanh, exp):
    n = end_step.shape[0]
    k = weights.shape[2]
    cost, inverse, before, ranked, scratch, compromise = work[0], work[1], work[2], work[3], work[4], work[5]
    offer, sent, flip, flip_base = work[6], work[7], work[8], work[9]
    for i in range(k):
        flip[i] = -1.0 if opposed[i] else 1.0
        flip_base[i] = 1.0 if opposed[i] else 0.0
    total_steps = 0
    for p in range(n):
        total_steps = max(total_steps, end_step[p])
    count = n
    last_step = -1
    for step in range(total_steps):
        me = step & 1
        other = 1 - me
        turn = step >> 1
        side_order = EINSUM_ONE if count == 1 else SEQUENTIAL
        remaining = 0
        for p in range(n):
            if not working[p]:
                continue
            g_me = sizes[me, group[me, p]]
            group_order = EINSUM_ONE if g_me == 1 else SEQUENTIAL
            view_order = EINSUM_ONE if g_me == 1 and count == 1 else SEQUENTIAL  # a slice of the side's arrays
            _propose(offer, me, p, turn, kind, concession, power_exponent, matching, mode, exploit, weights,
                     reservation, opening, time_scale, openness, held, received_last, received_first, has_received,
                     partner_disclosed, partner_disclosure, tie_scale, tie_shift, side_order, group_order, view_order,
                     cost, inverse, before, ranked, scratch, compromise, atanh, exp)
            if step > 0 and live[p]:
                for i in range(k):
                    scratch[i] = weights[me, p, i] * offer[i]
                own_next = _sum(scratch, k, side_order)
                for i in range(k):
                    scratch[i] = weights[me, p, i] * received_last[me, p, i]
                on_table = _sum(scratch, k, side_order)
                if end_step[p] == step + 1:
                    own_next = reservation[me, p]
                if on_table >= own_next - _ACCEPT_SLACK and (step >= 3 or has_received[me, p]):
                    for i in range(k):
                        x = received_last[me, p, i]
                        accepted[p, i] = x if me == 0 else (1.0 - x if opposed[i] else x)
                    agreed_at[p] = step
                    live[p] = False
                    settled[p] = True
            for i in range(k):
                sent[i] = offer[i] * flip[i] + flip_base[i]
            for i in range(k):
                received_last[other, p, i] = sent[i]
                evidence = 2.0 * sent[i]
                odds = belief[other, p, i] * (evidence if evidence >= _FLOOR or evidence != evidence else _FLOOR)
                belief[other, p, i] = odds
                held[other, p, i] = odds > 1.0
            if step < 2 and live[p]:
                for i in range(k):
                    received_first[other, p, i] = sent[i]
                has_received[other, p] = True
            if keep_trace and live[p]:
                for i in range(k):
                    trace[step, i, p] = np.float32(offer[i] if me == 0 else sent[i])
            if live[p] and end_step[p] == step + 1:
                for i in range(k):
                    scratch[i] = weights[other, p, i] * sent[i]
                if _sum(scratch, k, side_order) >= reservation[other, p] - _ACCEPT_SLACK:
                    for i in range(k):
                        accepted[p, i] = sent[i] if other == 0 else (1.0 - sent[i] if opposed[i] else sent[i])
                    agreed_at[p] = step + 1
                    live[p] = False
                    settled[p] = True
            if live[p] and step + 1 >= end_step[p]:
                live[p] = False
            if live[p]:
                remaining += 1
        last_step = step
        if remaining == 0:
            break
        if count >= COMPACT_MIN and remaining < COMPACT_BELOW * count:
            for p in range(n):
                if working[p] and not live[p]:
                    working[p] = False
                    _notice(noticed, held, opposed, p)
                    for s in range(2):
                        sizes[s, group[s, p]] -= 1
            count = remaining
    for p in range(n):
        if working[p]:
            _notice(noticed, held, opposed, p)
        if settled[p]:
            for i in range(k):
                agreement[i, p] = accepted[p, i]
    return last_step


@_compiled
def _notice(noticed, held, opposed, p):
    """Whether each side believes every shared issue shared (sim.negotiation.beliefs.noticed)."""
    for s in range(2):
        every = True
        for i in range(opposed.shape[0]):
            if not opposed[i] and not held[s, p, i]:
                every = False
        noticed[s, p] = every
