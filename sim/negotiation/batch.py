"""The input of a batch of negotiations: who negotiates with whom, with what interests, BATNAs, trust and deadlines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.errors import InputError, check_range
from sim.negotiation.domain import WATER, Domain
from sim.negotiation.preferences import draw_weights
from sim.negotiation.strategies import Strategy, make_strategy

MAX_DEADLINE = 10_000

FIXED_PIE = 0.68
"""How firmly a negotiator believes, before bargaining, that each issue is opposed (what it wants, the partner wants
the opposite): its prior credence, which it then updates from the partner's offers (see
:mod:`sim.negotiation.beliefs`). 0.5 is no bias at all, 1 a belief no offer can shake. Thompson & Hastie (1990) found
68% of negotiators assuming opposed interests on an issue where both wanted the same thing."""

VARIATION = 0.2
"""How much negotiators differ from one another: each opens up to this share of the way from its ideal towards its
BATNA, and plans to reach its BATNA up to this share of its deadline early (a faster tempo)."""

StrategyLike = Strategy | str


def _strategies(
    field: str, value: StrategyLike | Sequence[StrategyLike], n: int, table: list[Strategy]
) -> np.ndarray:
    """Codes into ``table`` (distinct strategies, extended in place) for one side's strategies."""

    def code_of(item: StrategyLike) -> int:
        strategy = make_strategy(item) if isinstance(item, str) else item
        if not isinstance(strategy, Strategy):
            raise InputError(field, f"{item!r} is not a strategy", "a strategy name or Strategy object")
        for i, known in enumerate(table):
            if known == strategy:
                return i
        table.append(strategy)
        return len(table) - 1

    if isinstance(value, (Strategy, str)):
        return np.full(n, code_of(value), dtype=np.int64)
    items = list(value)
    if len(items) != n:
        raise InputError(field, f"has {len(items)} entries for {n} pairs", "one strategy per pair, or a single one")
    seen: dict[object, int] = {}
    codes = np.empty(n, dtype=np.int64)
    for i, item in enumerate(items):
        key = item if isinstance(item, str) else id(item)
        if key not in seen:
            seen[key] = code_of(item)
        codes[i] = seen[key]
    return codes


def _vector(field: str, value: float | Sequence[float] | np.ndarray, n: int, low: float, high: float) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise InputError(field, f"has shape {arr.shape} for {n} pairs", "one value per pair, or a single one")
    bad = ~((arr >= low) & (arr <= high))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{field}[{i}]", f"{arr[i]!r} is out of range", f"{low:g} to {high:g}")
    arr.setflags(write=False)
    return arr


def _weights(field: str, value: np.ndarray, n: int | None, k: int) -> np.ndarray:
    arr = np.atleast_2d(np.asarray(value, dtype=float))
    if arr.ndim != 2 or arr.shape[1] != k or (n is not None and arr.shape[0] != n):
        raise InputError(field, f"has shape {arr.shape}", f"(pairs, {k}) weights, one column per issue")
    bad_rows = ~np.all(np.isfinite(arr) & (arr >= 0), axis=1) | ~np.isclose(arr.sum(axis=1), 1.0, atol=1e-6)
    if bad_rows.any():
        i = int(np.flatnonzero(bad_rows)[0])
        raise InputError(f"{field}[{i}]", f"{arr[i].tolist()} must be non-negative and sum to 1", "weights 0 to 1, sum 1")
    arr = arr.copy()
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class PairBatch:
    """Many independent two-party negotiations; build it with :meth:`build` or :meth:`sample`, which validate.

    Side A makes the opening offer. ``trust_a`` is A's trust in B; ``exploited_a`` says B exploited A before.
    ``fixed_pie_a`` is A's prior credence that each issue is opposed (see FIXED_PIE);
    ``variation`` how much individual negotiators differ in opening and tempo (see VARIATION); ``facilitated``
    marks meetings a facilitator convenes (see :mod:`sim.negotiation.facilitation`).
    """

    domain: Domain
    weights_a: np.ndarray
    weights_b: np.ndarray
    reservation_a: np.ndarray
    reservation_b: np.ndarray
    strategies: tuple[Strategy, ...]  # the distinct strategies playing in this batch
    strategy_code_a: np.ndarray  # (N,) index into ``strategies`` for side A
    strategy_code_b: np.ndarray
    trust_a: np.ndarray
    trust_b: np.ndarray
    deadline_a: np.ndarray
    deadline_b: np.ndarray
    exploited_a: np.ndarray
    exploited_b: np.ndarray
    fixed_pie_a: np.ndarray
    fixed_pie_b: np.ndarray
    facilitated: np.ndarray
    variation: float = VARIATION

    @property
    def size(self) -> int:
        return self.weights_a.shape[0]

    @property
    def strategy_a(self) -> tuple[Strategy, ...]:
        """Side A's strategy in each negotiation."""
        return tuple(self.strategies[c] for c in self.strategy_code_a)

    @property
    def strategy_b(self) -> tuple[Strategy, ...]:
        """Side B's strategy in each negotiation."""
        return tuple(self.strategies[c] for c in self.strategy_code_b)

    def __len__(self) -> int:
        return self.size

    @classmethod
    def build(
        cls,
        weights_a: np.ndarray,
        weights_b: np.ndarray,
        *,
        domain: Domain = WATER,
        reservation_a: float | Sequence[float] = 0.3,
        reservation_b: float | Sequence[float] = 0.3,
        strategy_a: StrategyLike | Sequence[StrategyLike] = "integrative",
        strategy_b: StrategyLike | Sequence[StrategyLike] = "integrative",
        trust_a: float | Sequence[float] = 1.0,
        trust_b: float | Sequence[float] = 1.0,
        deadline_a: int | Sequence[int] = 100,
        deadline_b: int | Sequence[int] = 100,
        exploited_a: bool | Sequence[bool] = False,
        exploited_b: bool | Sequence[bool] = False,
        fixed_pie_a: float | Sequence[float] = FIXED_PIE,
        fixed_pie_b: float | Sequence[float] = FIXED_PIE,
        variation: float = VARIATION,
        facilitated: bool | Sequence[bool] = False,
    ) -> PairBatch:
        """Validate and broadcast the inputs; scalars apply to every pair."""
        wa = _weights("weights_a", weights_a, None, domain.size)
        n = wa.shape[0]
        wb = _weights("weights_b", weights_b, n, domain.size)
        deadlines = []
        for name, value in (("deadline_a", deadline_a), ("deadline_b", deadline_b)):
            d = _vector(name, value, n, 1, MAX_DEADLINE)
            if np.any(d != np.round(d)):
                raise InputError(name, "must be whole rounds", f"1 to {MAX_DEADLINE}")
            deadlines.append(d.astype(np.int64))
        flags = []
        for name, value in (("exploited_a", exploited_a), ("exploited_b", exploited_b), ("facilitated", facilitated)):
            e = np.asarray(value, dtype=bool)
            if e.ndim and e.shape != (n,):
                raise InputError(name, f"has shape {e.shape} for {n} pairs", "one value per pair, or a single one")
            e = np.broadcast_to(e, (n,)).copy()
            e.setflags(write=False)
            flags.append(e)
        table: list[Strategy] = []
        code_a = _strategies("strategy_a", strategy_a, n, table)
        code_b = _strategies("strategy_b", strategy_b, n, table)
        return cls(
            domain=domain,
            weights_a=wa,
            weights_b=wb,
            reservation_a=_vector("reservation_a", reservation_a, n, 0.0, 1.0),
            reservation_b=_vector("reservation_b", reservation_b, n, 0.0, 1.0),
            strategies=tuple(table),
            strategy_code_a=code_a,
            strategy_code_b=code_b,
            trust_a=_vector("trust_a", trust_a, n, 0.0, 1.0),
            trust_b=_vector("trust_b", trust_b, n, 0.0, 1.0),
            deadline_a=deadlines[0],
            deadline_b=deadlines[1],
            exploited_a=flags[0],
            exploited_b=flags[1],
            fixed_pie_a=_vector("fixed_pie_a", fixed_pie_a, n, 0.5, 1.0),
            fixed_pie_b=_vector("fixed_pie_b", fixed_pie_b, n, 0.5, 1.0),
            facilitated=flags[2],
            variation=check_range("variation", variation, 0.0, 1.0),
        )

    @classmethod
    def from_arrays(
        cls,
        *,
        domain: Domain,
        weights_a: np.ndarray,
        weights_b: np.ndarray,
        reservation_a: np.ndarray,
        reservation_b: np.ndarray,
        strategies: tuple[Strategy, ...],
        strategy_code_a: np.ndarray,
        strategy_code_b: np.ndarray,
        trust_a: np.ndarray,
        trust_b: np.ndarray,
        deadline: int,
        exploited_a: np.ndarray,
        exploited_b: np.ndarray,
        fixed_pie_a: np.ndarray,
        fixed_pie_b: np.ndarray,
        facilitated: np.ndarray,
        variation: float,
    ) -> PairBatch:
        """Assemble a batch from arrays a caller has already validated (the commons model does, once, at set-up);
        only shapes are checked. Values outside the documented ranges give meaningless results."""
        n = weights_a.shape[0]
        for name, arr in (("weights_b", weights_b), ("reservation_a", reservation_a), ("reservation_b", reservation_b),
                          ("strategy_code_a", strategy_code_a), ("strategy_code_b", strategy_code_b),
                          ("trust_a", trust_a), ("trust_b", trust_b), ("exploited_a", exploited_a),
                          ("exploited_b", exploited_b), ("fixed_pie_a", fixed_pie_a),
                          ("fixed_pie_b", fixed_pie_b), ("facilitated", facilitated)):  # fmt: skip
            if arr.shape[0] != n:
                raise InputError(name, f"has {arr.shape[0]} rows for {n} pairs", "one row per pair")
        deadlines = np.full(n, int(deadline), dtype=np.int64)
        return cls(
            domain=domain,
            weights_a=weights_a,
            weights_b=weights_b,
            reservation_a=reservation_a,
            reservation_b=reservation_b,
            strategies=tuple(strategies),
            strategy_code_a=strategy_code_a,
            strategy_code_b=strategy_code_b,
            trust_a=trust_a,
            trust_b=trust_b,
            deadline_a=deadlines,
            deadline_b=deadlines,
            exploited_a=exploited_a,
            exploited_b=exploited_b,
            fixed_pie_a=fixed_pie_a,
            fixed_pie_b=fixed_pie_b,
            facilitated=facilitated,
            variation=float(variation),
        )

    @classmethod
    def sample(
        cls,
        n: int,
        rng: np.random.Generator,
        *,
        domain: Domain = WATER,
        diversity: float = 1.0,
        reservation: tuple[float, float] = (0.2, 0.4),
        **kwargs,
    ) -> PairBatch:
        """Draw ``n`` pairs with weights around the domain's profile (``diversity`` 0..1) and BATNAs uniform in
        ``reservation``; other keyword arguments go to :meth:`build`."""
        if not (isinstance(n, (int, np.integer)) and n >= 1):
            raise InputError("pairs", f"{n!r} is not a positive whole number", "1 or more")
        low, high = reservation
        if not (0.0 <= low <= high < 1.0):
            raise InputError("reservation", f"({low}, {high}) is not a range inside [0, 1)", "0 <= low <= high < 1")
        wa = draw_weights(domain, diversity, n, rng)
        wb = draw_weights(domain, diversity, n, rng)
        ra = rng.uniform(low, high, n)
        rb = rng.uniform(low, high, n)
        return cls.build(wa, wb, domain=domain, reservation_a=ra, reservation_b=rb, **kwargs)
