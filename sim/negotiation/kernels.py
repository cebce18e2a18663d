"""Compiled code for the negotiation engine (numba), and when to run it: the whole turn loop, and the offer kernels.

The turn loop (:mod:`sim.negotiation.turn_loop`, loaded by :func:`turn_loop`) runs a meeting's every turn in one
compiled call, the same numbers as the engine's numpy loop to the bit; it plays the built-in strategies, and the
offer kernels below serve the numpy loop where another strategy plays (and in mode ``numpy`` nothing is compiled).
Loading the turn loop costs a process about 0.5 s from numba's cache (0.9 s of CPU measured on a loaded machine,
0.6 s of it importing numba). The first time on a machine compiling it takes about 130 s of CPU (39 s before it was
also compiled for four issues as a constant), so ``make install`` compiles it into the cache (:func:`warm`). Mode
``auto`` loads it once it would have saved about as much as loading costs (:data:`LOOP_AFTER_SECONDS`, estimated from
the turns the numpy loop has run: some 16 runs of the default scenario, or 10 runs of 20 seasons at 1,000
organisations), and never where numba cannot keep its cache (every process would compile); mode ``compiled`` at the
first meeting. A single run stays on numpy; a sweep, a session or a benchmark switches.

The offer kernels:

At a meeting's size (a few hundred negotiations per strategy) a numpy operation costs about as much to call as to
compute, and a trade-off offer takes some twenty of them per turn. Each function here is one compiled loop over the
negotiations doing the same arithmetic as its numpy reference in :mod:`sim.negotiation.offers`, operation by
operation and in the same order (no fused multiply-add, no reordered sums: numba's default, without fastmath), so
its results are identical to the bit; ``tests/negotiation/test_kernels.py`` checks that on random and adversarial
inputs, and whole negotiations with and without the kernels. (Verified on x86-64. The numpy references avoid
``einsum`` where it multiplies, since numpy may fuse its multiply-add on CPUs that have one, as on aarch64.)

Where they run: for groups of :data:`COMPILED_FROM` to :data:`COMPILED_UP_TO` negotiations. Below that a numpy call
costs no more than a compiled one; beyond it each numpy call has enough to do that its vectorised inner loops beat
these scalar loops over the engine's strided views (in whole runs at 4,000 organisations, groups of about 1,000,
numpy was already ahead).

When they start: loading them costs a process about 0.35 s (0.1 s to import numba, 0.25 s for its code generator to
start; compiling them the first time on a machine adds under a second, after which numba keeps them in a cache beside
this file, or in the user's cache, or nowhere when neither is writable). They save about 4.5 ms in a 20-season run
at 1,000 organisations, so a process gains only after some 80 such runs. In mode ``auto`` (the default) a process
therefore runs the numpy references until :func:`use` has counted :data:`TIER_UP_AFTER` calls the kernels could have
taken (about 1,170 in each such run), and the kernels after that: as a JIT tiers up, and never worse than twice the
better choice made in hindsight (the ski-rental rule). A single run stays on numpy; a long sweep or session
switches. ``compiled`` loads them at the first large meeting (the steady state, as benchmarks/model.py
measures it); ``numpy`` never does. The mode comes from the environment variable ``REMBUG_KERNELS`` (read at the first
large meeting; sweep workers read their own) and can be changed for this process with :func:`set_mode`. Results are
the same in every mode, even when a run switches part way.
"""

from __future__ import annotations

import os

import numpy as np

from sim.errors import InputError

COMPILED_FROM, COMPILED_UP_TO = 64, 768  # negotiations in one strategy's group (measured in whole runs, 2026-11-30)
TIER_UP_AFTER = 90_000  # counted calls before mode "auto" loads the kernels: ~80 runs of 20 seasons at 1,000 organisations
MODES = ("auto", "compiled", "numpy")
_available: bool | None = None  # numba loaded (None: not tried yet)
_mode: str | None = None  # None: read REMBUG_KERNELS at the first large meeting
_eligible = 0  # calls the kernels could have taken so far in this process
LOOP_MAX_ISSUES = 15  # the compiled turn loop takes domains of up to this many issues (see sim.negotiation.turn_loop)
# Mode "auto" loads the compiled turn loop once it would have saved about what loading it costs (0.5 s from numba's
# cache), estimated from the numpy loop's turns and their negotiations (deterministic, unlike a clock). The saving per
# turn, numpy loop minus compiled, measured 2026-12-07 on mixed batches of 15 and 500 negotiations (a loaded machine,
# its figures halved): 60 us per turn plus 0.3 us per negotiation.
LOOP_AFTER_SECONDS = 0.5
TURN_SECONDS, PAIR_TURN_SECONDS = 60e-6, 0.3e-6
_numpy_seconds = 0.0  # what the numpy loop is estimated to have spent in this process
_turn_loop = None  # the compiled turn loop once loaded (False: numba is missing)


def set_mode(mode: str) -> None:
    """``auto`` (load the kernels once they would pay back), ``compiled`` (at the first large meeting) or ``numpy``
    (never); the same numbers in every mode."""
    global _mode
    if mode not in MODES:
        raise InputError("REMBUG_KERNELS", f"{mode!r} is not a kernel mode", "auto, compiled or numpy")
    _mode = mode


def mode() -> str:
    """The mode in force: set by :func:`set_mode`, else the environment's ``REMBUG_KERNELS`` (default ``auto``)."""
    if _mode is None:
        set_mode(os.environ.get("REMBUG_KERNELS", "").strip().lower() or "auto")
    return _mode  # type: ignore[return-value]


def use(negotiations: int) -> bool:
    """Whether to run the compiled kernels for a group of ``negotiations`` (loads them when the mode says so)."""
    global _eligible
    if not COMPILED_FROM <= negotiations <= COMPILED_UP_TO or (_mode or mode()) == "numpy":
        return False
    if _available is not None:
        return _available
    if _mode == "auto":
        _eligible += 1
        if _eligible < TIER_UP_AFTER:
            return False
    return _load()


def turn_loop():
    """The compiled turn loop (:func:`sim.negotiation.turn_loop.run`) if the mode says to run
    it now, loading it if need be; else None (run the numpy loop, and report its turns to :func:`count_numpy_turns`)."""
    global _turn_loop
    current = _mode or mode()
    if current == "numpy" or _turn_loop is False:
        return None
    if _turn_loop is None:
        if current == "auto" and _numpy_seconds < LOOP_AFTER_SECONDS:
            return None
        try:
            from sim.negotiation import turn_loop as compiled
        except ImportError:  # pragma: no cover - numba is a dependency; this keeps a stripped install working
            _turn_loop = False
            return None
        if current == "auto" and not compiled.CACHED:
            # Nowhere to keep numba's cache (a read-only install and home): every process would compile the loop,
            # about two minutes of CPU, far beyond what auto weighs; mode compiled still does.
            return None
        _turn_loop = compiled.run
    return _turn_loop


def warm() -> bool:
    """Compile the turn loop into numba's cache now (``make install`` does), so that no later
    process stops for it: the first time on a machine compiling the turn loop takes two or three minutes, and in
    mode ``auto`` that would fall on whichever request or run first crosses :data:`LOOP_AFTER_SECONDS` (a slider
    moved in a workshop). Negotiates one small batch of the water domain in mode ``compiled``; the mode in force is
    kept. False where numba is missing."""
    global _mode
    from sim.negotiation.batch import PairBatch  # here, not above: the engine imports this module
    from sim.negotiation.engine import negotiate

    before = _mode
    _mode = "compiled"
    try:
        rng = np.random.default_rng(0)
        n = 30
        strategies = ["distributive", "integrative", "reciprocal"]
        batch = PairBatch.sample(n, rng, strategy_a=[strategies[i % 3] for i in range(n)],
                                 strategy_b=[strategies[(i + 1) % 3] for i in range(n)], trust_a=rng.random(n),
                                 trust_b=rng.random(n), deadline_a=12, deadline_b=12)
        negotiate(batch, 0)
        return turn_loop() is not None
    finally:
        _mode = before


def count_numpy_turns(turns: int, negotiations: int) -> None:
    """Note turns the numpy loop has run for a batch of ``negotiations`` (what mode ``auto`` weighs against loading
    the compiled loop, as the time the compiled loop would have saved: the ski-rental rule, never worse than twice
    the better choice made in hindsight)."""
    global _numpy_seconds
    _numpy_seconds += turns * (TURN_SECONDS + PAIR_TURN_SECONDS * negotiations)


def _load() -> bool:
    global _available, _order_compiled, _concede_compiled, claimer_target
    _available = False
    try:
        from numba import njit, types
    except ImportError:  # pragma: no cover - numba is a dependency; this keeps a stripped install working
        return False

    # One signature each, taking any layout and read-only arrays (the kernels only read their inputs): compiled or
    # loaded once, at the first large meeting, however the engine's arrays happen to be laid out after that.
    matrix, vector = types.Array(types.float64, 2, "A", readonly=True), types.Array(types.float64, 1, "A", readonly=True)
    flags = types.Array(types.boolean, 1, "A", readonly=True)
    result_matrix, result_vector = types.Array(types.float64, 2, "C"), types.Array(types.float64, 1, "C")
    signatures = {
        _tradeoff_order: result_matrix(matrix, matrix, vector, vector, types.boolean, matrix, matrix, flags, matrix),
        _concede: result_matrix(matrix, matrix, vector, vector, vector, types.int64, matrix, vector, vector),
        _claimer_target: result_vector(matrix, vector, matrix, flags, vector, types.float64, flags, vector),
    }

    def compiled(function):
        try:
            return njit(signatures[function], cache=True, nogil=True)(function)
        except RuntimeError:  # nowhere to write numba's cache (read-only package and home): compile in each process
            return njit(signatures[function], nogil=True)(function)

    _order_compiled = compiled(_tradeoff_order)
    _concede_compiled = compiled(_concede)
    claimer_target = compiled(_claimer_target)
    _available = True
    return True


def _tradeoff_order(cost, priority, tie_scale, tie_shift, learned, last, first, disclosed, disclosure):  # pragma: no cover
    # learned: ``priority`` is 1 / own weights, times the partner priorities believed (announced, or read from offers)
    k, n = cost.shape
    before = np.empty((k, n))
    ranked = np.empty(k)
    for col in range(n):
        for i in range(k):
            value = priority[i, col]
            if learned:
                if disclosed[col]:
                    believed = disclosure[i, col]
                else:
                    believed = 1.05 - abs(last[i, col] - first[i, col])
                value = believed * value
            ranked[i] = value * tie_scale[i] + tie_shift[i]
        for i in range(k):
            total = 0.0
            for j in range(k):
                if ranked[j] > ranked[i]:
                    total += cost[j, col]
            before[i, col] = total
    return before


def _concede(inverse_cost, before, target, openness, guardedness, blend, held, kept, inverse_rest):  # pragma: no cover
    # blend: 0 none; 1 with the plain split (target on every issue); 2 with the fixed-pie compromise holding ``held``
    k, n = before.shape
    positions = np.empty((k, n))
    for col in range(n):
        rest = 1.0 - target[col]
        guarded = target[col] * guardedness[col] if blend == 1 else 0.0
        level = (target[col] - kept[col]) * inverse_rest[col] if blend == 2 else 0.0
        for i in range(k):
            share = (rest - before[i, col]) * inverse_cost[i, col]
            if share < 0.0:  # as np.maximum and np.minimum: a NaN stays NaN, and -0.0 stays -0.0
                share = 0.0
            if share > 1.0:
                share = 1.0
            position = 1.0 - share
            if blend == 1:
                position = position * openness[col] + guarded
            elif blend == 2:
                compromise = level if (level >= held[i, col] or level != level) else held[i, col]  # np.maximum
                position = position * openness[col] + compromise * guardedness[col]
            positions[i, col] = position
    return positions


def _claimer_target(signed_weights, base, last, has_received, opening, matching, exploit, target):  # pragma: no cover
    n = target.shape[0]
    k = signed_weights.shape[0]
    adjusted = np.empty(n)
    for col in range(n):
        aim = target[col]
        if exploit[col]:
            demand = 1.0
            if has_received[col]:
                total = 0.0
                for i in range(k):
                    total += signed_weights[i, col] * last[i, col]
                demand = base[col] + total
            held = opening[col] - matching * (1.0 - demand)
            if not (held <= 1.0 or held != held):  # np.minimum(held, 1.0)
                held = 1.0
            if not (aim >= held or aim != aim):  # np.maximum(aim, held)
                aim = held
        adjusted[col] = aim
    return adjusted


# The compiled kernels (set by _load; called only after use() has said yes). The pure-Python functions above are
# their sources: each docstring-less loop mirrors its numpy reference.
_order_compiled = _concede_compiled = claimer_target = None
"""_order_compiled and _concede_compiled: what the functions below call. claimer_target: a claimer's aspiration where it has
its partner's priorities (see :meth:`~sim.negotiation.strategies.distributive.Distributive.propose`)."""


def concede(inverse_cost: np.ndarray, before: np.ndarray, target: np.ndarray) -> np.ndarray:
    """:func:`~sim.negotiation.offers.concede_in_order`, compiled."""
    return _concede_compiled(inverse_cost, before, target, target, target, 0, before, target, target)


def concede_blended(
    inverse_cost: np.ndarray,
    before: np.ndarray,
    target: np.ndarray,
    openness: np.ndarray,
    guardedness: np.ndarray,
    fixed_pie: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
) -> np.ndarray:
    """:func:`concede` times ``openness`` plus ``guardedness`` times the fixed-pie compromise worth ``target`` (its
    parts as :func:`~sim.negotiation.offers.fixed_pie_from` takes them; None for the plain split): an integrative
    offer blended with the positional one, as ``Integrative.propose`` does with numpy."""
    if fixed_pie is None:
        return _concede_compiled(inverse_cost, before, target, openness, guardedness, 1, before, target, target)
    held, kept, inverse_rest = fixed_pie
    return _concede_compiled(inverse_cost, before, target, openness, guardedness, 2, held, kept, inverse_rest)


def tradeoff_order(cost: np.ndarray, priority: np.ndarray, tie_scale: np.ndarray, tie_shift: np.ndarray) -> np.ndarray:
    """:func:`~sim.negotiation.offers.concession_order_by_cost`, compiled (the tie-break as two (K,) arrays)."""
    return _order_compiled(cost, priority, tie_scale, tie_shift, False, cost, cost, tie_scale > 0, cost)


def learned_tradeoff_order(
    last: np.ndarray,
    first: np.ndarray,
    disclosed: np.ndarray,
    disclosure: np.ndarray,
    inverse_weights: np.ndarray,
    cost: np.ndarray,
    tie_scale: np.ndarray,
    tie_shift: np.ndarray,
) -> np.ndarray:
    """The same from the priorities an integrative negotiator believes its partner has
    (:func:`~sim.negotiation.strategies.integrative.estimate_partner_weights`) times 1 / its own weights."""
    return _order_compiled(cost, inverse_weights, tie_scale, tie_shift, True, last, first, disclosed, disclosure)

