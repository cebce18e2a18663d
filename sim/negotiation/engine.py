"""The alternating-offers protocol, run for a whole batch of negotiations at once.

Rubinstein-style alternating offers with deadlines (Faratin et al. 1998): A opens, then the sides take turns. On its
turn a side first works out its next offer; it accepts the offer on the table if that is worth at least as much to
it as its own next offer (the AC_next rule), otherwise it sends its offer. A pair that reaches the shorter of the two
deadlines without agreement ends in impasse and both sides fall back on their BATNA.

How it stays fast: the only Python loop is over turns, and each turn handles every pair at once. Each side keeps its
negotiations sorted by the strategy that plays them, so a strategy works on one contiguous slice of memory; one
permutation per turn carries offers across to the other side. Finished negotiations are dropped from the working
arrays whenever they make up half of them, so a batch costs in proportion to the rounds actually bargained.

This numpy loop is the reference. Where the kernel mode says so (:func:`sim.negotiation.kernels.turn_loop`), the
same loop runs compiled instead (:mod:`sim.negotiation.turn_loop`, one call per batch): everything before it
(individual draws, disclosures, strategies' preparation, the facilitator's text) and after it (the results) is this
module's, and the numbers are the same to the bit (``tests/negotiation/test_turn_loop.py``). A change to the loop's
arithmetic or schedule here is a change there too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim._allocator import keep_freed_memory
from sim.negotiation import kernels
from sim.negotiation.batch import PairBatch
from sim.negotiation.beliefs import believes_shared, evidence, known, noticed, prior_odds
from sim.negotiation.domain import columns, to_frame
from sim.negotiation.facilitation import single_text
from sim.negotiation.offers import fixed_pie_parts, inverse_cost, tie_break
from sim.negotiation.results import TEXT_STEP, NegotiationResult, Trace, build_result
from sim.negotiation.strategies.base import SideView, Strategy
from sim.negotiation.strategies.distributive import Distributive
from sim.negotiation.strategies.integrative import Integrative
from sim.rng import as_generator

_ACCEPT_SLACK = 1e-12
_PER_PAIR = ("reservation", "trust", "deadline", "exploited_before", "opening", "horizon", "has_received",
             "partner_disclosed")  # one value per negotiation: reordered and dropped together
_COMPACT_BELOW = 0.5  # drop finished negotiations once fewer than this share of the working arrays is live
_COMPACT_MIN = 2048  # below this every numpy call costs about the same whatever its length: not worth it
_CLOCK_TURNS = 64  # turns of the clock (and of each aspiration) worked out at once; most pairs settle well before


@dataclass(eq=False)
class _Group:
    """The negotiations on one side spoken for by one strategy."""

    strategy: Strategy
    index: slice | np.ndarray  # into the side's working arrays
    view: SideView
    _time_scale: np.ndarray | None = field(default=None, init=False)

    @property
    def time_scale(self) -> np.ndarray:
        """1 / (deadline - 1), turns to normalised time: a negotiator plans to reach its BATNA at ``horizon`` of its
        deadline (negotiators differ in tempo). Worked out when first needed (groups that only disclose never are)."""
        if self._time_scale is None:
            self._time_scale = 1.0 / np.maximum(1.0, self.view.horizon * (self.view.deadline - 1))
        return self._time_scale

    def clock(self, turn: int) -> np.ndarray:
        """Normalised time of this side's ``turn``: 0 at its first offer, 1 at its deadline."""
        return np.minimum(1.0, turn * self.time_scale)

    def start_turn(self, turn: int) -> np.ndarray:
        """The clock for ``turn``, noted on the view (see :attr:`SideView.clocks`). The first :data:`_CLOCK_TURNS`
        turns (every turn of a meeting in the commons, whose deadline is at most 200 rounds) are worked out in one
        operation the first time; later turns of a long deadline one at a time, so a table never grows with it."""
        view = self.view
        if view.clocks is None:
            turns = min(int(view.deadline.max()), _CLOCK_TURNS) if view.size else 0
            view.clocks = np.minimum(1.0, np.arange(turns)[:, None] * self.time_scale)
        tau = view.clocks[turn] if turn < view.clocks.shape[0] else self.clock(turn)
        view.turn, view.tau = turn, tau
        return tau


def _inverse(permutation: np.ndarray) -> np.ndarray:
    """The inverse of a permutation of 0..n-1 (what ``argsort`` gives, by one scatter instead of a sort)."""
    inverse = np.empty_like(permutation)
    inverse[permutation] = np.arange(permutation.size, dtype=permutation.dtype)
    return inverse


def _group_rows(codes: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Rows of each strategy code, in order of first appearance (random draws are made group by group, so the
    order must depend on the batch, never on anything else). A batch holds a handful of codes: one pass each."""
    if codes.size == 0:
        return []
    first = int(codes[0])
    if codes.size and np.all(codes == first):
        return [(first, np.arange(codes.size))]
    found = []
    for code in range(int(codes.max()) + 1):
        rows = np.flatnonzero(codes == code)
        if rows.size:
            found.append((int(rows[0]), code, rows))
    found.sort(key=lambda item: item[0])
    return [(code, rows) for _, code, rows in found]


def _code_of(strategy: Strategy, table: list[Strategy]) -> int:
    for i, known in enumerate(table):
        if known == strategy:
            return i
    table.append(strategy)
    return len(table) - 1


@dataclass(eq=False)
class _Side:
    """Working arrays for one side of the live negotiations, issue-major (K, m), in that side's own frame.

    Columns are this side's positions; ``pair_at[p]`` is the working pair at position ``p``. Until :meth:`sort`
    positions are the pairs themselves. The offer arrays hold zeros until the partner's first offer arrives
    (see ``has_received``).
    """

    weights: np.ndarray
    reservation: np.ndarray
    trust: np.ndarray
    deadline: np.ndarray
    exploited_before: np.ndarray
    opening: np.ndarray
    horizon: np.ndarray
    belief: np.ndarray  # (K, n) odds that each issue is shared (see sim.negotiation.beliefs)
    opposed: np.ndarray
    partner_disclosed: np.ndarray = field(init=False)
    partner_disclosure: np.ndarray = field(init=False)
    has_received: np.ndarray = field(init=False)
    received_first: np.ndarray = field(init=False)
    received_last: np.ndarray = field(init=False)
    accepted: np.ndarray = field(init=False)  # the partner's offer this side accepted, where it accepted one
    held: np.ndarray = field(init=False)  # (K, n) issues it believes shared (odds above one), kept at its ideal
    held_version: int = field(init=False, default=0)  # counts changes of ``held``, so strategies know to look again
    # What the offers need from the belief, worked out for the whole side whenever it changes (once per step at most,
    # not once per strategy): the fixed-pie compromise's parts, and the cost of conceding each contested issue.
    _derived: tuple | None = field(init=False, default=None)  # see _derive: worked out when first needed
    openings_complete: bool = field(init=False, default=False)
    pair_at: np.ndarray = field(init=False)
    position_of: np.ndarray = field(init=False)
    in_pair_order: bool = field(init=False, default=True)
    groups: list[_Group] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        k, n = self.weights.shape
        self.has_received = np.zeros(n, dtype=bool)
        self.received_first = np.zeros((k, n))
        self.received_last = np.zeros((k, n))
        self.accepted = np.zeros((k, n))
        self.partner_disclosed = np.zeros(n, dtype=bool)
        self.partner_disclosure = np.zeros((k, n))
        self.pair_at = np.arange(n)
        self.position_of = np.arange(n)
        self.held = believes_shared(self.belief)
        self._derive()

    def _derive(self) -> None:
        """Forget what offers need from the belief (``held``): worked out again, for every negotiation of the side at
        once, when first needed (the compiled turn loop never needs it)."""
        self._derived = None

    def derived(self) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, np.ndarray]:
        """What offers need from the belief: the fixed-pie compromise's parts
        (:func:`~sim.negotiation.offers.fixed_pie_parts`), the (K, n) weight of each issue believed contested (else
        0) and 1 / that weight where contested (else 0)."""
        if self._derived is None:
            contested = ~self.held
            self._derived = (fixed_pie_parts(self.weights, self.held), self.weights * contested,
                             inverse_cost(self.weights, contested))
        return self._derived

    def learn(self, offer: np.ndarray) -> None:
        """Update the belief about which issues are shared from an offer just received (this side's frame)."""
        self.belief *= evidence(offer)
        held = believes_shared(self.belief)
        if not np.array_equal(held, self.held):
            self.held = held
            self.held_version += 1
            self._derive()

    def _view(self, index: slice | np.ndarray, memory: dict | None = None) -> SideView:
        return SideView(
            opposed=self.opposed,
            weights=columns(self.weights, index),
            reservation=self.reservation[index],
            trust=self.trust[index],
            deadline=self.deadline[index],
            exploited_before=self.exploited_before[index],
            opening=self.opening[index],
            horizon=self.horizon[index],
            _side=self,
            _index=index,
            memory=memory if memory is not None else {},
        )

    def effective_codes(self, table: list[Strategy], codes: np.ndarray) -> np.ndarray:
        """The strategy that will play each pair (pair order), after conditional strategies hand theirs over
        (``table`` grows with any strategy they hand over to). ``codes`` itself when nobody hands anything over."""
        effective = codes
        for group in self.groups:
            handed = group.strategy.delegate(group.view)
            if not handed:
                continue
            if effective is codes:
                effective = codes.copy()
            rows = self.pair_at[group.index]
            for strategy, mask in handed:
                effective[rows[mask]] = _code_of(strategy, table)
        return effective

    def sort(self, table: list[Strategy], codes: np.ndarray) -> None:
        """Reorder the columns so each strategy's negotiations (``codes``, in pair order) are contiguous, in order
        of first appearance and in pair order within each, and give each a slice view with a fresh memory. Used
        before bargaining starts (once for the declared strategies, again if some hand negotiations over), when
        nothing has been received yet: the offer arrays are zeros in any order."""
        grouped = _group_rows(codes)
        in_pair_order = len(grouped) == 1
        order = np.arange(codes.size) if in_pair_order else np.concatenate([rows for _, rows in grouped])
        if not (in_pair_order and self.in_pair_order):
            moved = order if self.in_pair_order else self.position_of[order]  # current column of each new one
            for name in ("weights", "partner_disclosure", "belief", "held"):
                setattr(self, name, columns(getattr(self, name), moved))
            self._derive()
            for name in _PER_PAIR:
                if name != "has_received":
                    setattr(self, name, getattr(self, name)[moved])
        self.in_pair_order = in_pair_order
        self.pair_at = order
        self.position_of = order if in_pair_order else _inverse(order)
        self.groups = []
        start = 0
        for code, rows in grouped:
            index = slice(start, start + rows.size)
            self.groups.append(_Group(table[code], index, self._view(index)))
            start += rows.size

    def fresh_memory(self) -> None:
        """Empty every strategy's memory (what a strategy noted while disclosing is not carried into bargaining)."""
        for group in self.groups:
            group.view.memory = {}

    def keep(self, keep_pairs: np.ndarray) -> None:
        """Drop the pairs where ``keep_pairs`` (in pair order) is False from every array and strategy memory."""
        keep = keep_pairs[self.pair_at]
        for name in ("weights", "received_first", "received_last", "partner_disclosure", "belief", "held"):
            setattr(self, name, columns(getattr(self, name), keep))
        self._derive()
        self.accepted = np.zeros_like(self.received_last)  # pairs kept are live: nothing accepted yet
        for name in _PER_PAIR:
            setattr(self, name, getattr(self, name)[keep])
        renumber = np.cumsum(keep_pairs) - 1
        self.pair_at = renumber[self.pair_at[keep]]
        self.position_of = _inverse(self.pair_at) if not self.in_pair_order else self.pair_at
        groups, self.groups = self.groups, []
        start = 0
        for group in groups:
            kept = keep[group.index]
            count = int(np.count_nonzero(kept))
            if count:
                index = slice(start, start + count)
                memory = group.strategy.compact(group.view.memory, kept)
                self.groups.append(_Group(group.strategy, index, self._view(index, memory)))
            start += count

    def columns_of(self, pairs: np.ndarray) -> np.ndarray:
        """This side's columns of the working pairs ``pairs`` (positions)."""
        return pairs if self.in_pair_order else self.position_of[pairs]

    def live(self, live_pairs: np.ndarray) -> np.ndarray:
        """A pair-order mask (or any per-pair values) in this side's column order (itself when they match)."""
        return live_pairs if self.in_pair_order else live_pairs[self.pair_at]


def _settle(
    sides: tuple[_Side, _Side],
    settled_at: np.ndarray,
    rows: np.ndarray,
    agreement: np.ndarray,
    agreed_at: np.ndarray,
    opposed: np.ndarray,
) -> None:
    """Move the agreements noted in the working arrays (``settled_at`` >= 0) into ``agreement`` (A's frame, one
    column per original pair) and ``agreed_at``."""
    done = settled_at >= 0
    if not done.any():
        return
    for me, side in enumerate(sides):
        pairs = np.flatnonzero(done & ((settled_at & 1) == me))  # even steps are A's answers, odd ones B's
        if pairs.size:
            x = columns(side.accepted, side.columns_of(pairs))
            agreement[:, rows[pairs]] = x if me == 0 else to_frame(x, opposed)
    agreed_at[rows[done]] = settled_at[done]


def _route(sender: _Side, receiver: _Side) -> np.ndarray | None:
    """Columns of the sender's arrays that feed each of the receiver's columns (None when they already match)."""
    if sender.in_pair_order and receiver.in_pair_order:
        return None
    return sender.position_of[receiver.pair_at]


def negotiate(
    batch: PairBatch,
    rng: np.random.Generator | int | None = None,
    *,
    trace: bool | str = False,
) -> NegotiationResult:
    """Negotiate every pair of ``batch`` and return tidy results.

    ``rng`` (a Generator or a seed) drives every random choice (how each negotiator opens, its tempo, who discloses,
    who bluffs); the same batch and seed give the same result in any process. ``trace=True`` records every offer's utilities for both sides (the
    negotiation dance); ``trace="offers"`` also keeps the packages themselves.
    """
    keep_freed_memory()  # once per process; see sim/_allocator.py
    generator = as_generator(rng)
    opposed = batch.domain.opposed
    n, k = batch.size, batch.domain.size
    # Individual negotiators: how high each opens, how fast it plans to concede. Drawn for every pair whatever its
    # strategies, so that strategies never shift the random stream.
    if batch.variation > 0.0:
        spread = batch.variation * generator.random((4, n))
        reservations = np.stack([batch.reservation_a, batch.reservation_b])
        openings = 1.0 - spread[:2] * (1.0 - reservations)
        horizons = 1.0 - spread[2:]
    else:
        openings = horizons = np.ones((2, n))
    # What each believes about which issues are shared: the fixed-pie prior, or the truth where a facilitator says it.
    facilitated = batch.facilitated
    beliefs = []
    for fixed_pie in (batch.fixed_pie_a, batch.fixed_pie_b):
        belief = np.repeat(prior_odds(fixed_pie)[None, :], k, axis=0)
        if facilitated.any():
            belief[:, facilitated] = known(opposed, int(facilitated.sum()))
        beliefs.append(belief)
    sides = tuple(
        _Side(
            np.ascontiguousarray(weights.T),
            reservation,
            trust,
            deadline,
            exploited,
            openings[i],
            horizons[i],
            beliefs[i],
            opposed,
        )
        for i, (weights, reservation, trust, deadline, exploited) in enumerate(
            (
                (batch.weights_a, batch.reservation_a, batch.trust_a, batch.deadline_a, batch.exploited_a),
                (batch.weights_b, batch.reservation_b, batch.trust_b, batch.deadline_b, batch.exploited_b),
            )
        )
    )
    table = list(batch.strategies)
    declared = (batch.strategy_code_a, batch.strategy_code_b)

    # Before bargaining: each side decides what to announce, then learns what the other announced. In a facilitated
    # meeting what a side says goes to the facilitator in confidence: the partner learns nothing of it.
    announced = [np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)]
    truthful = [np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)]
    confided = [np.zeros((k, n)), np.zeros((k, n))]  # pair order, what each side told (zeros: nothing)
    for me, side in enumerate(sides):
        side.sort(table, declared[me])
    for me, side in enumerate(sides):
        partner = sides[1 - me]
        for group in side.groups:
            disclosure = group.strategy.disclose(group.view, generator)
            pairs = side.pair_at[group.index]
            announced[me][pairs] = disclosure.announced
            truthful[me][pairs] = disclosure.truthful
            said = np.where(disclosure.announced, disclosure.priorities, 0.0)
            confided[me][:, pairs] = said
            partner.partner_disclosure[:, partner.columns_of(pairs)] = said
    told = [announced[0] & ~facilitated, announced[1] & ~facilitated]
    if facilitated.any():
        for me in (0, 1):
            sides[1 - me].partner_disclosure[:, sides[1 - me].live(facilitated)] = 0.0
    for me in (0, 1):
        sides[1 - me].partner_disclosed = sides[1 - me].live(told[me]).copy()
    acts_as = [np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int8)]
    claims = [np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)]
    for me, side in enumerate(sides):
        effective = side.effective_codes(table, declared[me])
        if effective is declared[me]:
            side.fresh_memory()
        else:
            side.sort(table, effective)
        for group in side.groups:
            stance = group.strategy.prepare(group.view)
            pairs = side.pair_at[group.index]
            acts_as[me][pairs] = stance.acts_as
            claims[me][pairs] = stance.claims
    routes = (_route(sides[0], sides[1]), _route(sides[1], sides[0]))  # A's columns to B's, B's to A's

    rows = np.arange(n)  # original pair of each working pair
    live = np.ones(n, dtype=bool)  # working pairs neither settled nor past their deadline
    agreed_at = np.full(n, -1, dtype=np.int64)
    agreement = np.full((k, n), np.nan)
    if facilitated.any():
        _facilitate(batch, confided, announced, agreement, agreed_at, live)
    end_step = 2 * np.minimum(batch.deadline_a, batch.deadline_b)
    deadlines = set(np.unique(end_step).tolist())  # the steps at which some pairs run out of time
    total_steps = int(end_step.max())
    noticed_by = np.zeros((2, n), dtype=bool)  # per original pair: each side noticed every shared issue
    # Agreements are noted where they happen (the offer accepted, in the accepting side's own frame and column order,
    # and the step, whose parity names that side) and moved into ``agreement`` only before working arrays shrink
    # and at the end: a handful of operations per turn fewer than gathering them as they come.
    settled_at = np.full(n, -1, dtype=np.int64)  # per working pair
    flip = np.where(opposed, -1.0, 1.0)[:, None]  # to_frame as x * flip + flip_base: 1 - x on opposed issues
    flip_base = opposed.astype(float)[:, None]
    recorder = _TraceRecorder(batch, total_steps, keep_offers=trace == "offers") if trace else None

    loop = kernels.turn_loop() if k <= kernels.LOOP_MAX_ISSUES else None
    compiled = loop is not None and _turns_compiled(loop, sides, live, end_step, agreement, agreed_at, noticed_by,
                                                    opposed, recorder)
    if not compiled:
        step = -1
        for step in range(total_steps):
            mover_index = step & 1
            mover, other = sides[mover_index], sides[1 - mover_index]
            turn = step >> 1
            offer = np.empty_like(mover.received_last)
            for group in mover.groups:
                offer[:, group.index] = group.strategy.propose(group.view, group.start_turn(turn))
            if step > 0:
                table = mover.received_last
                own_next = np.einsum("kn,kn->n", mover.weights, offer)
                on_table = np.einsum("kn,kn->n", mover.weights, table)
                if step + 1 in deadlines:
                    # A side answering for the last time has no next offer: the alternative is its BATNA.
                    final = end_step[mover.pair_at] == step + 1
                    own_next = np.where(final, mover.reservation, own_next)
                accept = mover.live(live) & (on_table >= own_next - _ACCEPT_SLACK)
                if step < 3:  # from the third step on, every live pair has both openings
                    accept &= mover.has_received
                if accept.any():
                    np.copyto(mover.accepted, table, where=accept)
                    pairs = mover.pair_at[accept]
                    settled_at[pairs] = step
                    live[pairs] = False
            sent = offer * flip  # the offer in the partner's frame (see to_frame), in the mover's column order
            sent += flip_base
            route = routes[mover_index]
            delivered = sent if route is None else np.take(sent, route, axis=1)
            other.received_last = delivered  # settled or expired pairs receive it too: nothing reads it again
            other.learn(delivered)
            if step < 2:
                other.received_first = np.where(other.live(live), delivered, other.received_first)
                other.has_received = other.has_received | other.live(live)
                other.openings_complete = True  # B has A's opening after step 0, A has B's after step 1
            if recorder is not None:
                a_frame = offer if mover_index == 0 else sent
                in_pairs = a_frame if mover.in_pair_order else np.take(a_frame, mover.position_of, axis=1)
                recorder.record(step, rows, live, in_pairs)
            if step + 1 in deadlines:
                # The last offer gets an answer too: the side receiving it will make no offer of its own, so it
                # weighs the offer against its BATNA (before, the deadline's last offer went unanswered, and a pair
                # could end in impasse with an offer on the table that both preferred to walking away).
                last = other.live(live) & (end_step[other.pair_at] == step + 1)
                if last.any():
                    value = np.einsum("kn,kn->n", other.weights, delivered)
                    take = last & (value >= other.reservation - _ACCEPT_SLACK)
                    if take.any():
                        np.copyto(other.accepted, delivered, where=take)
                        pairs = other.pair_at[take]
                        settled_at[pairs] = step + 1  # answered after the last step (by the side this parity names)
                        live[pairs] = False
            still = live & (step + 1 < end_step) if step + 1 in deadlines else live
            remaining = int(np.count_nonzero(still))
            if remaining == 0:
                break
            if rows.size >= _COMPACT_MIN and remaining < _COMPACT_BELOW * rows.size:
                _settle(sides, settled_at, rows, agreement, agreed_at, opposed)
                _note_noticed(sides, rows, ~still, noticed_by, opposed)
                for side in sides:
                    side.keep(still)
                routes = (_route(sides[0], sides[1]), _route(sides[1], sides[0]))
                rows, end_step, still = rows[still], end_step[still], still[still]
                settled_at = np.full(rows.size, -1, dtype=np.int64)
            live = still
        _settle(sides, settled_at, rows, agreement, agreed_at, opposed)
        _note_noticed(sides, rows, np.ones(rows.size, dtype=bool), noticed_by, opposed)
        kernels.count_numpy_turns(step + 1, n)

    return build_result(
        batch=batch,
        agreement=agreement.T.copy(),
        agreed_at=agreed_at,
        announced=announced,
        truthful=truthful,
        acts_as=acts_as,
        claims=claims,
        openings=openings,
        horizons=horizons,
        noticed=noticed_by,
        trace=recorder.finish() if recorder is not None else None,
    )


def _turns_compiled(
    loop, sides: tuple[_Side, _Side], live: np.ndarray, end_step: np.ndarray, agreement: np.ndarray,
    agreed_at: np.ndarray, noticed_by: np.ndarray, opposed: np.ndarray, recorder: _TraceRecorder | None,
) -> bool:
    """Bargain every pair in the compiled turn loop (:mod:`sim.negotiation.turn_loop`): the loop below, the same
    numbers in one call. Packs each side's arrays in pair order, negotiation-major, with who plays each side, as the
    loop lays them out; False (nothing done) where a strategy other than the two it knows plays."""
    from sim.negotiation import turn_loop as layout  # loaded already: ``loop`` is its run

    n, k = live.size, opposed.size
    x = np.empty((2, n, 6, k))  # issue values, f: one float, c: one whole number per side and negotiation
    f = np.empty((2, n, 7))
    c = np.zeros((2, n, 6), dtype=np.int64)
    for me, side in enumerate(sides):
        # Filled in this side's column order (each strategy's group a slice), then put in pair order at once.
        moved = not side.in_pair_order
        xs, fs, cs = (np.empty((n, 6, k)), np.empty((n, 7)), np.zeros((n, 6), dtype=np.int64)) if moved else (
            x[me], f[me], c[me])
        for number, g in enumerate(side.groups):
            strategy, memory, rows = g.strategy, g.view.memory, g.index
            cs[rows, layout.GROUP] = number
            fs[rows, layout.TEMPO] = strategy.concession
            fs[rows, layout.POWER] = 1.0 / strategy.concession
            if type(strategy) is Distributive:
                cs[rows, layout.KIND] = layout.DISTRIBUTIVE
                fs[rows, layout.MATCHING] = strategy.matching
                cs[rows, layout.EXPLOIT] = memory["exploit"]
            elif type(strategy) is Integrative:
                cs[rows, layout.KIND] = layout.INTEGRATIVE
                cs[rows, layout.MODE] = (layout.CLOSED if memory["closed"] else
                                         layout.OPEN if memory["fully_open"] else layout.BLENDED)
                fs[rows, layout.MATCHING] = 0.0
            else:
                return False
        for index, name in ((layout.WEIGHTS, "weights"), (layout.BELIEF, "belief"),
                            (layout.TOLD, "partner_disclosure")):
            xs[:, index] = getattr(side, name).T
        xs[:, layout.LAST:layout.TOLD] = 0.0  # nothing received yet: offers last and first
        xs[:, layout.HELD] = xs[:, layout.BELIEF] > 1.0
        for index, name in ((layout.RESERVATION, "reservation"), (layout.OPENING, "opening"),
                            (layout.OPENNESS, "trust")):
            fs[:, index] = getattr(side, name)
        fs[:, layout.TIME_SCALE] = 1.0 / np.maximum(1.0, side.horizon * (side.deadline - 1))  # _Group's
        cs[:, layout.DISCLOSED] = side.partner_disclosed
        if moved:  # pair p is this side's column position_of[p]
            for packed, into in ((xs, x[me]), (fs, f[me]), (cs, c[me])):
                np.take(packed, side.position_of, axis=0, out=into)
    trace = recorder.x if recorder is not None else np.empty((0, 0, 0), dtype=np.float32)
    last = loop(x, f, c, max(len(sides[0].groups), len(sides[1].groups), 1), end_step.astype(np.int64), live.copy(),
                np.array(opposed), *tie_break(k), agreement, agreed_at, noticed_by, trace, recorder is not None)
    if recorder is not None:
        recorder.last = last
    return True


def _facilitate(
    batch: PairBatch, confided: list[np.ndarray], announced: list[np.ndarray], agreement: np.ndarray,
    agreed_at: np.ndarray, live: np.ndarray,
) -> None:
    """The facilitator's single negotiating text (:mod:`sim.negotiation.facilitation`) for the facilitated pairs:
    drafted from what each side confided (the community's usual priorities where it heard nothing), accepted where it
    is worth at least each side's walk-away value; those pairs are settled before any offer."""
    pairs = np.flatnonzero(batch.facilitated)
    profile = np.asarray(batch.domain.profile, dtype=float)[:, None]
    heard = [np.where(announced[me][pairs], confided[me][:, pairs], profile) for me in (0, 1)]
    text = single_text(heard[0].T, heard[1].T, batch.domain.opposed)
    wa, wb = batch.weights_a[pairs], batch.weights_b[pairs]
    theirs = np.where(batch.domain.opposed, 1.0 - text, text)
    accepted = ((wa * text).sum(axis=1) >= batch.reservation_a[pairs] - _ACCEPT_SLACK) & (
        (wb * theirs).sum(axis=1) >= batch.reservation_b[pairs] - _ACCEPT_SLACK)
    settled = pairs[accepted]
    agreement[:, settled] = text[accepted].T
    agreed_at[settled] = TEXT_STEP
    live[settled] = False


def _note_noticed(sides: tuple[_Side, _Side], rows: np.ndarray, mask: np.ndarray, noticed_by: np.ndarray,
                  opposed: np.ndarray) -> None:
    """Record, for the working pairs in ``mask`` (about to be dropped, or at the end), whether each side has noticed
    every shared issue."""
    pairs = np.flatnonzero(mask)
    if pairs.size == 0:
        return
    for me, side in enumerate(sides):
        noticed_by[me, rows[pairs]] = noticed(columns(side.belief, side.columns_of(pairs)), opposed)


class _TraceRecorder:
    """Keeps the negotiation dance: every offer (in A's frame), turned into both sides' utilities at the end in one
    operation rather than on every turn."""

    def __init__(self, batch: PairBatch, steps: int, keep_offers: bool) -> None:
        self.batch = batch
        self.x = np.full((steps, batch.domain.size, batch.size), np.nan, dtype=np.float32)
        self.keep_offers = keep_offers
        self.last = -1

    def record(self, step: int, rows: np.ndarray, live: np.ndarray, x: np.ndarray) -> None:
        """``x``: the offers in A's frame, one column per working pair."""
        self.x[step][:, rows[live]] = columns(x, live)
        self.last = step

    def finish(self) -> Trace:
        x = self.x[: self.last + 1]
        opposed = self.batch.domain.opposed[None, :, None]
        return Trace(
            utility_a=np.einsum("nk,skn->sn", self.batch.weights_a.astype(np.float32), x),
            utility_b=np.einsum("nk,skn->sn", self.batch.weights_b.astype(np.float32), np.where(opposed, 1.0 - x, x)),
            offers=x.transpose(0, 2, 1).copy() if self.keep_offers else None,
        )
