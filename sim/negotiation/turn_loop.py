"""A meeting's whole turn loop, compiled (numba): the same negotiations as :func:`sim.negotiation.engine.negotiate`'s
numpy loop, to the bit, in one call.

The numpy engine is the reference and the readable version: each turn it runs a few dozen numpy operations over
every negotiation at once, and at a meeting's size (a few hundred negotiations) calling numpy costs more than the
arithmetic. Here each step is one loop over the negotiations, each doing its own arithmetic in registers.

Same numbers, to the bit, because every value is worked out by the same IEEE operations in the same order (numba
without fastmath contracts nothing into fused multiply-adds), and because the loop follows the engine's schedule,
not just its rules:

- Each negotiation runs through the engine's steps, settled or not: a settled negotiation keeps proposing and
  learning from offers until the engine drops it from its working arrays, which decides whether it ends up having
  noticed a shared issue. Dropping happens where the engine's does (:data:`COMPACT_MIN`, :data:`COMPACT_BELOW`).
  Since negotiations do not interact, the loop takes them one at a time (each one's turns in a row, its numbers in
  cache), works out the engine's schedule from when each stopped bargaining, then lets each settled one go on
  learning until the step the engine would drop it at (:func:`_run`); where a drop would change the order of a sum
  (below) for one still bargaining, it runs step by step over all of them, as the engine (:func:`_run_by_step`).
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
# The loop's arrays, packed so that a helper takes a few arrays (numba passes each array as a dozen values):
# per negotiation and side, issue by issue: x[side, pair, WHAT, issue]
WEIGHTS, BELIEF, LAST, FIRST, TOLD, HELD = range(6)  # HELD: 1.0 where the issue is believed shared, else 0.0
# per negotiation and side, one value: f[side, pair, WHAT] (floats) and c[side, pair, WHAT] (whole numbers)
TEMPO, POWER, MATCHING, RESERVATION, OPENING, TIME_SCALE, OPENNESS = range(7)
KIND, MODE, EXPLOIT, GROUP, RECEIVED, DISCLOSED = range(6)
# rows of the workspace w[ROW, issue]
(COST, INVERSE, BEFORE, RANKED, SCRATCH, COMPROMISE, OFFER, SENT, FLIP, FLIP_BASE, TIE_SCALE, TIE_SHIFT,
 TABLE) = range(13)


CACHED = True  # False where numba has nowhere to keep its cache: every process then compiles (see kernels.turn_loop)


def _inlined(function):
    """Compiled into each function that calls it (numba inlines it before compiling): the turn's helpers, which
    called one by one, each with its arrays as a dozen arguments, took half the loop's time."""
    global CACHED
    try:
        return njit(cache=True, nogil=True, _nrt=False, inline="always")(function)
    except RuntimeError:
        CACHED = False
        return njit(nogil=True, _nrt=False, inline="always")(function)


def _compiled(function):
    """Compiled with numba's cache (beside this file, or in the user's cache), or without one where neither is
    writable (a read-only container): then each process compiles. Without numba's reference counting: every array
    is allocated by :func:`run` before the loop, and counting the references of each array handed to a helper (two
    atomic operations each) took half the loop's time."""
    global CACHED
    try:
        return njit(cache=True, nogil=True, _nrt=False)(function)
    except RuntimeError:
        CACHED = False
        return njit(nogil=True, _nrt=False)(function)


ATANH = np.array(_ATANH_TERMS)
EXP = np.array(_EXP_TERMS)


@_inlined
def _horner(x, coefficients):
    acc = coefficients[coefficients.shape[0] - 1]
    for c in range(coefficients.shape[0] - 2, -1, -1):
        acc = acc * x + coefficients[c]
    return acc


@_inlined
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


@_inlined
def _sum(w, row, k, order):
    """``w[row, 0] + ... + w[row, k-1]`` in the order numpy adds them (see the module docstring)."""
    if order == SEQUENTIAL or (order == SUM_ONE and k < 8):
        total = 0.0
        for i in range(k):
            total += w[row, i]
        return total
    return _sum_one(w, row, k, order)


@_compiled
def _sum_one(w, row, k, order):
    """:func:`_sum` where one negotiation is alone in contiguous memory."""
    p = w[row]
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


@_inlined
def _fixed_pie(w, out, target, x, s, p, k, side_order):
    """The positional compromise worth ``target`` (sim.negotiation.offers.fixed_pie_from) of side ``s`` in
    negotiation ``p`` into row ``out``, issues believed shared at the ideal; ``target`` on every issue where none is."""
    any_held = False
    for i in range(k):
        w[SCRATCH, i] = x[s, p, WEIGHTS, i] * x[s, p, HELD, i]
        any_held = any_held or x[s, p, HELD, i] > 0.0
    if not any_held:
        for i in range(k):
            w[out, i] = target
        return
    kept = _sum(w, SCRATCH, k, side_order)
    rest = 1.0 - kept
    inverse_rest = 1.0 / (rest if rest >= _TINY or rest != rest else _TINY)
    level = (target - kept) * inverse_rest
    for i in range(k):
        h = x[s, p, HELD, i]
        w[out, i] = level if (level >= h or level != level) else h


@_inlined
def _concede(w, target, k):
    """sim.negotiation.offers.concede_in_order for one negotiation, into row OFFER."""
    for i in range(k):
        share = ((1.0 - target) - w[BEFORE, i]) * w[INVERSE, i]
        if share < 0.0:
            share = 0.0
        if share > 1.0:
            share = 1.0
        w[OFFER, i] = 1.0 - share


@_inlined
def _before(w, k, order):
    """For each issue, the cost of the issues ranked above it (sim.negotiation.offers.concession_order_by_cost)."""
    for i in range(k):
        if order == SEQUENTIAL:  # the zeros numpy adds for the issues not ranked above change nothing: costs are >= 0
            # and finite (PairBatch checks the weights), so cost * 0 adds +0.0 and leaves the sum as it is: no branch,
            # whose outcome no predictor can guess (3-5% of the mixed batch; a select compiled slower here)
            total = 0.0
            mine = w[RANKED, i]
            for j in range(k):
                total += w[COST, j] * (w[RANKED, j] > mine)
            w[BEFORE, i] = total
            continue
        for j in range(k):
            w[SCRATCH, j] = w[COST, j] if w[RANKED, j] > w[RANKED, i] else 0.0
        w[BEFORE, i] = _sum(w, SCRATCH, k, order)


@_inlined
def _dot(x, s, p, w, row, k, order):
    """The utility to side ``s`` of negotiation ``p`` of the package in row ``row``: its weights times the package,
    summed as numpy's einsum sums them."""
    if order == SEQUENTIAL:
        total = 0.0
        for i in range(k):
            total += x[s, p, WEIGHTS, i] * w[row, i]
        return total
    for i in range(k):
        w[SCRATCH, i] = x[s, p, WEIGHTS, i] * w[row, i]
    return _sum(w, SCRATCH, k, order)


@_inlined
def _propose(w, x, f, c, s, p, turn, side_order, group_order, view_order, atanh, exp, k):
    """The offer side ``s`` makes in negotiation ``p`` at its ``turn``, into row OFFER (Strategy.aspiration, then
    Distributive.propose or Integrative.propose)."""
    tau = turn * f[s, p, TIME_SCALE]
    if not tau <= 1.0:
        tau = 1.0
    conceded = tau if f[s, p, TEMPO] == 1.0 else _unit_power(tau, f[s, p, POWER], atanh, exp)
    r = f[s, p, RESERVATION]
    target = r + (f[s, p, OPENING] - r) * (1.0 - conceded)
    if c[s, p, KIND] == DISTRIBUTIVE:
        if not c[s, p, EXPLOIT]:
            _fixed_pie(w, OFFER, target, x, s, p, k, side_order)
            return
        for i in range(k):
            weight = x[s, p, WEIGHTS, i]
            floor = weight if weight >= _TINY or weight != weight else _TINY
            contested = 1.0 - x[s, p, HELD, i]
            w[COST, i] = weight * contested
            w[INVERSE, i] = contested * (1.0 / floor)
            w[RANKED, i] = -(x[s, p, TOLD, i] / floor) * w[TIE_SCALE, i] + w[TIE_SHIFT, i]
        _before(w, k, group_order)
        sum_order = group_order if group_order != EINSUM_ONE else SUM_ONE
        for i in range(k):
            w[SCRATCH, i] = x[s, p, TOLD, i] * (1.0 - x[s, p, HELD, i])
        base = _sum(w, SCRATCH, k, sum_order)
        demand = 1.0
        if c[s, p, RECEIVED]:
            for i in range(k):
                signed = x[s, p, TOLD, i] * (1.0 if x[s, p, HELD, i] > 0.0 else -1.0)
                w[SCRATCH, i] = signed * x[s, p, LAST, i]
            demand = base + _sum(w, SCRATCH, k, sum_order)
        limit = f[s, p, OPENING] - f[s, p, MATCHING] * (1.0 - demand)
        if not (limit <= 1.0 or limit != limit):
            limit = 1.0
        if not (target >= limit or target != target):
            target = limit
        _concede(w, target, k)
        return
    if c[s, p, MODE] == CLOSED:
        _fixed_pie(w, OFFER, target, x, s, p, k, side_order)
        return
    disclosed = c[s, p, DISCLOSED]
    for i in range(k):
        weight = x[s, p, WEIGHTS, i]
        contested = 1.0 - x[s, p, HELD, i]
        floor = weight if weight >= _TINY or weight != weight else _TINY
        w[COST, i] = weight * contested
        reciprocal = 1.0 / floor
        w[INVERSE, i] = contested * reciprocal  # contested is 0.0 or 1.0: exactly contested / floor, one division
        if disclosed:
            believed = x[s, p, TOLD, i]
        else:
            believed = 1.05 - abs(x[s, p, LAST, i] - x[s, p, FIRST, i])
        w[RANKED, i] = (believed * reciprocal) * w[TIE_SCALE, i] + w[TIE_SHIFT, i]
    _before(w, k, view_order)
    _concede(w, target, k)
    if c[s, p, MODE] == OPEN:
        return
    _fixed_pie(w, COMPROMISE, target, x, s, p, k, side_order)
    open_ = f[s, p, OPENNESS]
    guard = 1.0 - open_
    for i in range(k):
        w[OFFER, i] = w[OFFER, i] * open_ + w[COMPROMISE, i] * guard


def run(x, f, c, group_count, end_step, live, opposed, tie_scale, tie_shift, agreement, agreed_at, noticed, trace,
        keep_trace):
    """Run every negotiation's turns, as the engine's loop does, from the arrays packed as laid out above (the
    engine's ``_turns_compiled`` packs them; ``x`` and ``c`` are worked in place). Fills ``agreement`` (A's frame),
    ``agreed_at``, ``noticed`` and, with ``keep_trace``, ``trace`` (steps, issues, pairs); returns the last step run.

    Negotiation by negotiation (:func:`_run`); where the engine's dropping of finished negotiations would change the
    order of a sum for one still bargaining (its working arrays or a strategy's group down to one negotiation), step
    by step over all of them, as the engine (:func:`_run_by_step`)."""
    n, k = end_step.shape[0], x.shape[3]
    sizes = np.zeros((2, group_count), dtype=np.int64)  # negotiations of each strategy group in the working arrays
    for s in range(2):
        sizes[s] = np.bincount(c[s, :, GROUP], minlength=group_count)
    w = np.zeros((13, k))
    w[FLIP] = np.where(opposed, -1.0, 1.0)
    w[FLIP_BASE] = np.where(opposed, 1.0, 0.0)
    w[TIE_SCALE], w[TIE_SHIFT] = tie_scale, tie_shift
    saved = (x.copy(), c.copy(), live.copy(), agreement.copy(), agreed_at.copy()) if n >= COMPACT_MIN else None
    steps = int(end_step.max()) if n else 0
    last = _run(x, f, c, w, end_step, live, opposed, agreement, agreed_at, noticed, trace, keep_trace,
                np.empty(n, dtype=np.int64), np.zeros(steps + 1, dtype=np.int64), np.zeros(max(steps, 1), dtype=np.bool_),
                sizes == 1, sizes.copy(), ATANH, EXP)
    if last != _BY_STEP:
        return last
    for array, before in zip((x, c, live, agreement, agreed_at), saved):
        array[...] = before
    if keep_trace:
        trace[...] = np.nan  # as the engine's recorder made it
    return _run_by_step(x, f, c, w, end_step, live, opposed, agreement, agreed_at, noticed, trace, keep_trace,
                        np.ones(n, dtype=np.bool_), sizes, ATANH, EXP)


_BY_STEP = -2  # _run's answer where the negotiations must be run step by step instead


@_inlined
def _order(size):
    return EINSUM_ONE if size == 1 else SEQUENTIAL


@_inlined
def _step(x, f, c, w, p, step, end_step, live, opposed, agreement, agreed_at, trace, keep_trace, side_order,
          group_order, view_order, atanh, exp, k):
    """One step of negotiation ``p``: the engine's loop body for one negotiation (settled ones only propose and
    learn). Sums are added in the orders given, for the side that moves."""
    me = step & 1
    other = 1 - me
    _propose(w, x, f, c, me, p, step >> 1, side_order, group_order, view_order, atanh, exp, k)
    if step > 0 and live[p]:
        own_next = _dot(x, me, p, w, OFFER, k, side_order)
        for i in range(k):
            w[TABLE, i] = x[me, p, LAST, i]
        on_table = _dot(x, me, p, w, TABLE, k, side_order)
        if end_step[p] == step + 1:
            own_next = f[me, p, RESERVATION]
        if on_table >= own_next - _ACCEPT_SLACK and (step >= 3 or c[me, p, RECEIVED]):
            for i in range(k):
                value = x[me, p, LAST, i]
                agreement[i, p] = value if me == 0 else (1.0 - value if opposed[i] else value)
            agreed_at[p] = step
            live[p] = False
    for i in range(k):
        sent = w[OFFER, i] * w[FLIP, i] + w[FLIP_BASE, i]
        w[SENT, i] = sent
        x[other, p, LAST, i] = sent
        evidence = 2.0 * sent
        odds = x[other, p, BELIEF, i] * (evidence if evidence >= _FLOOR or evidence != evidence else _FLOOR)
        x[other, p, BELIEF, i] = odds
        x[other, p, HELD, i] = 1.0 if odds > 1.0 else 0.0
    if not live[p]:
        return
    if step < 2:
        for i in range(k):
            x[other, p, FIRST, i] = w[SENT, i]
        c[other, p, RECEIVED] = 1
    if keep_trace:
        for i in range(k):
            trace[step, i, p] = np.float32(w[OFFER, i] if me == 0 else w[SENT, i])
    if end_step[p] == step + 1:
        if _dot(x, other, p, w, SENT, k, side_order) >= f[other, p, RESERVATION] - _ACCEPT_SLACK:
            for i in range(k):
                value = w[SENT, i]
                agreement[i, p] = value if other == 0 else (1.0 - value if opposed[i] else value)
            agreed_at[p] = step + 1
            live[p] = False
            return
    if step + 1 >= end_step[p]:
        live[p] = False


@_inlined
def _engine_orders(c, p, single):
    """The order A's and B's group sums of negotiation ``p`` are added in (``single``: the groups of one)."""
    return (EINSUM_ONE if single[0, c[0, p, GROUP]] else SEQUENTIAL,
            EINSUM_ONE if single[1, c[1, p, GROUP]] else SEQUENTIAL)


@_inlined
def _bargain_k(x, f, c, w, p, step, until, while_live, end_step, live, opposed, agreement, agreed_at, trace, keep_trace,
               side_order, group_a, group_b, view_a, view_b, atanh, exp, k):
    """:func:`_bargain` for ``k`` issues: inlined where ``k`` is a constant, every loop over issues is unrolled."""
    while step <= until or (while_live and live[p]):
        odd = step & 1
        _step(x, f, c, w, p, step, end_step, live, opposed, agreement, agreed_at, trace, keep_trace, side_order,
              group_b if odd else group_a, view_b if odd else view_a, atanh, exp, k)
        step += 1
    return step


@_compiled
def _bargain(x, f, c, w, p, step, until, while_live, end_step, live, opposed, agreement, agreed_at, trace, keep_trace,
             side_order, group_a, group_b, view_a, view_b, atanh, exp):
    """Negotiation ``p``'s steps from ``step`` up to step ``until`` and, ``while_live``, on while it is live, each
    side's sums added in the orders given; returns the step after the last it ran. The one function that compiles
    a turn's code (the loops call it). Compiled twice: for the water domain's four issues as a constant, so that
    each loop over issues is unrolled (1.3-1.6x the mixed batch: the loops' set-up and exits cost more than their
    four rounds), and for any number of issues."""
    if w.shape[1] == 4:
        return _bargain_k(x, f, c, w, p, step, until, while_live, end_step, live, opposed, agreement, agreed_at,
                          trace, keep_trace, side_order, group_a, group_b, view_a, view_b, atanh, exp, 4)
    return _bargain_k(x, f, c, w, p, step, until, while_live, end_step, live, opposed, agreement, agreed_at, trace,
                      keep_trace, side_order, group_a, group_b, view_a, view_b, atanh, exp, w.shape[1])


@_compiled
def _run(x, f, c, w, end_step, live, opposed, agreement, agreed_at, noticed, trace, keep_trace, stopped, ends, drop,
         single, sizes, atanh, exp):
    """The engine's steps, negotiation by negotiation: each one's turns in a row, in registers and cache, rather
    than every negotiation's turn in a row. The negotiations do not interact, except through the engine's working
    arrays: the order of a sum depends on whether those, or a strategy's group in them, hold a single negotiation,
    and a settled negotiation keeps proposing and learning until the engine drops it, which depends on how many are
    still bargaining. So: (1) every live negotiation is bargained to its end with the orders of the full arrays;
    (2) the engine's schedule follows from when each stopped: the steps where it would drop the finished ones, and
    its last step; :data:`_BY_STEP` if a drop would change the orders of one still bargaining; (3) every finished
    negotiation keeps proposing and learning until the step it would be dropped at, then notes what it noticed."""
    n = end_step.shape[0]
    total_steps = 0
    for p in range(n):
        total_steps = max(total_steps, end_step[p])
    if total_steps == 0:
        for p in range(n):
            _notice(noticed, x, opposed, p)
        return -1
    side_order = _order(n)  # ``single``: the groups of one negotiation in the full arrays (einsum's order)
    for p in range(n):  # (1) stopped[p]: the step it stopped bargaining at (-1: before the first)
        group_a, group_b = _engine_orders(c, p, single)
        view_a, view_b = (group_a, group_b) if n == 1 else (SEQUENTIAL, SEQUENTIAL)
        stopped[p] = _bargain(x, f, c, w, p, 0, -1, True, end_step, live, opposed, agreement, agreed_at, trace,
                              keep_trace, side_order, group_a, group_b, view_a, view_b, atanh, exp) - 1
    for p in range(n):  # (2) ends[t + 1]: negotiations that stopped at step t; drop[t]: the engine drops after t
        ends[stopped[p] + 1] += 1
    count = n
    finished = ends[0]
    last = total_steps - 1
    for t in range(total_steps):
        finished += ends[t + 1]
        remaining = n - finished
        if remaining == 0:
            last = t
            break
        if count >= COMPACT_MIN and remaining < COMPACT_BELOW * count:
            drop[t] = True
            if remaining == 1:
                return _BY_STEP
            sizes[:, :] = 0
            for p in range(n):
                if stopped[p] > t:
                    for s in range(2):
                        sizes[s, c[s, p, GROUP]] += 1
            for s in range(2):
                for g in range(sizes.shape[1]):
                    if sizes[s, g] == 1 and not single[s, g]:
                        return _BY_STEP
            count = remaining
    drop[last] = True
    for p in range(n):  # (3)
        until = max(stopped[p], 0)
        while not drop[until]:
            until += 1
        group_a, group_b = _engine_orders(c, p, single)
        view_a, view_b = (group_a, group_b) if n == 1 else (SEQUENTIAL, SEQUENTIAL)
        _bargain(x, f, c, w, p, stopped[p] + 1, until, False, end_step, live, opposed, agreement, agreed_at, trace,
                 keep_trace, side_order, group_a, group_b, view_a, view_b, atanh, exp)
        _notice(noticed, x, opposed, p)
    return last


@_compiled
def _run_by_step(x, f, c, w, end_step, live, opposed, agreement, agreed_at, noticed, trace, keep_trace, working, sizes,
                 atanh, exp):
    """The engine's loop as it runs: every step over every negotiation in the working arrays, dropping the finished
    ones where the engine does (and summing in the orders that follow from what is left)."""
    n = end_step.shape[0]
    total_steps = 0
    for p in range(n):
        total_steps = max(total_steps, end_step[p])
    count = n
    last_step = -1
    for step in range(total_steps):
        me = step & 1
        side_order = EINSUM_ONE if count == 1 else SEQUENTIAL
        remaining = 0
        for p in range(n):
            if not working[p]:
                continue
            group_order = EINSUM_ONE if sizes[me, c[me, p, GROUP]] == 1 else SEQUENTIAL
            view_order = group_order if count == 1 else SEQUENTIAL  # a slice of the side's arrays
            _bargain(x, f, c, w, p, step, step, False, end_step, live, opposed, agreement, agreed_at, trace,
                     keep_trace, side_order, group_order, group_order, view_order, view_order, atanh, exp)
            if live[p]:
                remaining += 1
        last_step = step
        if remaining == 0:
            break
        if count >= COMPACT_MIN and remaining < COMPACT_BELOW * count:
            for p in range(n):
                if working[p] and not live[p]:
                    working[p] = False
                    _notice(noticed, x, opposed, p)
                    for s in range(2):
                        sizes[s, c[s, p, GROUP]] -= 1
            count = remaining
    for p in range(n):
        if working[p]:
            _notice(noticed, x, opposed, p)
    return last_step


@_compiled
def _notice(noticed, x, opposed, p):
    """Whether each side believes every shared issue shared (sim.negotiation.beliefs.noticed)."""
    for s in range(2):
        every = True
        for i in range(opposed.shape[0]):
            if not opposed[i] and not x[s, p, HELD, i] > 0.0:
                every = False
        noticed[s, p] = every
