"""What a negotiation strategy is: one small class with metadata and three vectorised decisions.

A strategy never sees one negotiation at a time. The engine hands it a :class:`SideView` of every negotiation in
which it speaks for the same side, and each decision returns arrays for all of them at once. This is what lets a
batch of thousands of pairs run as a handful of numpy operations per round.

Writing a new strategy: subclass :class:`Strategy`, set ``name``, ``family``, ``description`` and ``classifier``,
implement :meth:`propose` (and :meth:`disclose` / :meth:`prepare` if it needs them), and put the file in this
package: the registry finds it by its metadata, the engine needs no change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np

from sim.errors import check_range
from sim.negotiation.concession import conceded
from sim.negotiation.domain import columns
from sim.negotiation.offers import fixed_pie_from, split_the_difference

Family = Literal["distributive", "integrative", "conditional"]
FAMILIES: tuple[str, ...] = ("distributive", "integrative", "conditional")

# Codes for the family a strategy actually acted as in one negotiation (a conditional strategy picks one).
ACTED_DISTRIBUTIVE = 0
ACTED_INTEGRATIVE = 1


@dataclass(eq=False)
class SideView:
    """One side of a group of negotiations, as the strategy speaking for it sees them.

    Static arrays are gathered once; offers received are read from the engine's live arrays on each access.
    Positions are issue-major (K, n) and in this side's own frame (1 = this side's ideal on every issue).
    """

    opposed: np.ndarray  # (K,) bool, the true structure of the domain (who wants what is learnt, not known)
    weights: np.ndarray  # (K, n) own interest weights
    reservation: np.ndarray  # (n,) own BATNA utility
    trust: np.ndarray  # (n,) trust in this partner, 0..1
    deadline: np.ndarray  # (n,) own deadline in rounds
    exploited_before: np.ndarray  # (n,) whether this partner exploited this party in an earlier negotiation
    opening: np.ndarray  # (n,) utility this negotiator opens at (1 = its ideal; negotiators differ)
    horizon: np.ndarray  # (n,) share of its deadline by which it plans to reach its BATNA (its tempo)
    _side: Any = field(repr=False)
    _index: slice | np.ndarray = field(repr=False)
    memory: dict[str, Any] = field(default_factory=dict)
    """The strategy's own per-negotiation state: arrays whose last axis is the negotiations (see Strategy.compact)."""
    _openings: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    # The clock as the engine runs it: normalised time at each of this side's turns (T, n), the current turn and
    # its row (the ``tau`` handed to propose). Strategies that plan by the clock can work out every turn at once.
    clocks: np.ndarray | None = field(default=None, repr=False)
    turn: int = field(default=-1, repr=False)
    tau: np.ndarray | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return self.weights.shape[1]

    @property
    def issues(self) -> int:
        return self.weights.shape[0]

    # What this side has learnt about its partner (filled by the engine).
    @property
    def partner_disclosed(self) -> np.ndarray:
        """(n,) whether the partner announced its priorities before bargaining."""
        return self._side.partner_disclosed[self._index]

    @property
    def partner_disclosure(self) -> np.ndarray:
        """(K, n) the priorities the partner announced (true or not); zeros where it announced nothing."""
        return columns(self._side.partner_disclosure, self._index)

    def _opening_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        # Openings never change once both sides have opened: gather them once per view.
        if self._openings is not None:
            return self._openings
        arrays = (self._side.has_received[self._index], columns(self._side.received_first, self._index))
        if self._side.openings_complete:
            self._openings = arrays
        return arrays

    @property
    def has_received(self) -> np.ndarray:
        """(n,) whether the partner has made any offer yet."""
        return self._opening_arrays()[0]

    @property
    def received_first(self) -> np.ndarray:
        """(K, n) the partner's opening offer in this side's frame (zeros before it arrives: see has_received)."""
        return self._opening_arrays()[1]

    def believed_shared(self) -> np.ndarray | None:
        """(K, n) issues this side now believes the partner wants the same end of (its fixed-pie belief, revised by
        the offers received: :mod:`sim.negotiation.beliefs`); ``None`` while it believes none shared in this group.
        What a strategy works out from it is kept in ``memory`` until the belief changes (``DERIVED_FROM_BELIEF``)."""
        memory = self.memory
        if memory.get("held_version") != self._side.held_version:
            memory["held_version"] = self._side.held_version
            held = columns(self._side.held, self._index)
            memory["believed_shared"] = held if held.any() else None
            for key in self.DERIVED_FROM_BELIEF:
                memory.pop(key, None)
        return memory["believed_shared"]

    DERIVED_FROM_BELIEF: tuple[str, ...] = ("claim_before", "claim_inverse_cost", "partner_signed_weights", "partner_base")
    """Memory entries a strategy works out from the belief, dropped whenever it changes."""

    def believed_opposed(self) -> np.ndarray:
        """(K, n) issues this side believes contested (every issue it does not believe shared)."""
        return ~columns(self._side.held, self._index)

    def contested_cost(self) -> np.ndarray:
        """(K, n) the cost of conceding each issue believed contested in full (its weight; 0 for one believed
        shared), and its inverse: worked out by the engine for the whole side whenever the belief changes."""
        return columns(self._side.derived()[1], self._index)

    def contested_inverse_cost(self) -> np.ndarray:
        """(K, n) 1 / :meth:`contested_cost` where contested, else 0 (see :func:`~sim.negotiation.offers.inverse_cost`)."""
        return columns(self._side.derived()[2], self._index)

    def fixed_pie(self, target: np.ndarray) -> np.ndarray:
        """This side's positional compromise worth ``target``: the same fraction conceded on every issue except those
        it believes the partner wants too (see :func:`~sim.negotiation.offers.fixed_pie_offer`)."""
        parts = self.fixed_pie_parts()
        return split_the_difference(target, self.issues) if parts is None else fixed_pie_from(target, parts)

    def fixed_pie_parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The parts of the fixed-pie compromise for :func:`~sim.negotiation.offers.fixed_pie_from` (None: nothing
        believed shared in this group, the plain split), sliced from the engine's for the whole side."""
        if self.believed_shared() is None:
            return None
        held, kept, inverse = self._side.derived()[0]
        return columns(held, self._index), kept[self._index], inverse[self._index]

    def add_fixed_pie(self, package: np.ndarray, target: np.ndarray, share: np.ndarray) -> None:
        """``package += share * fixed_pie(target)``, in place; where nothing is held the compromise is ``target`` on
        every issue, so the product is taken once per negotiation rather than once per issue (same numbers)."""
        parts = self.fixed_pie_parts()
        package += target * share if parts is None else fixed_pie_from(target, parts) * share

    @property
    def received_last(self) -> np.ndarray:
        """(K, n) the partner's latest offer in this side's frame (zeros before any arrives: see has_received)."""
        return columns(self._side.received_last, self._index)


@dataclass
class Disclosure:
    """What a side announces about its priorities before bargaining starts."""

    announced: np.ndarray  # (n,) bool: it announced priorities
    priorities: np.ndarray  # (K, n): the weights it announced
    truthful: np.ndarray  # (n,) bool: the announcement was its true weights


@dataclass
class Stance:
    """How a side enters each negotiation once disclosures are known (reported in the results)."""

    acts_as: np.ndarray  # (n,) int8: ACTED_DISTRIBUTIVE or ACTED_INTEGRATIVE
    claims: np.ndarray  # (n,) bool: it uses the partner's announced priorities to claim value


class Strategy:
    """Base class of all negotiation strategies (see the module docstring for how to write one)."""

    name: ClassVar[str] = ""
    family: ClassVar[Family]
    description: ClassVar[str] = ""
    sources: ClassVar[tuple[str, ...]] = ()
    classifier: ClassVar[dict[str, Any]] = {}

    def __init__(self, concession: float = 1.0) -> None:
        self.concession = check_range(f"{self.name}.concession", concession, 0.01, 100.0)

    # -- identity: equal parameters make equal strategies, so the engine batches them together -------------
    def params(self) -> dict[str, Any]:
        """The constructor arguments that define this player."""
        return {"concession": self.concession}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.params() == self.params()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(self.params().items()))))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"

    # -- decisions ---------------------------------------------------------------------------------------
    def aspiration(self, view: SideView, tau: np.ndarray) -> np.ndarray:
        """Utility this side still demands at normalised time ``tau`` (time-dependent concession).

        At the engine's own clock (``tau`` is ``view.tau``) it is read from a table of the first turns, worked out
        once per negotiation (read-only: copy before writing into it); at any other time it is worked out afresh.
        A subclass that overrides :meth:`_aspiration` must make it depend on the view and ``tau`` alone."""
        if tau is view.tau and view.clocks is not None:
            table = view.memory.get("aspirations")
            if table is None:
                table = view.memory["aspirations"] = self._aspiration(view, view.clocks)
                table.flags.writeable = False
            if view.turn < table.shape[0]:
                return table[view.turn]
        return self._aspiration(view, tau)

    def _aspiration(self, view: SideView, tau: np.ndarray) -> np.ndarray:
        span = view.memory.get("span")
        if span is None:
            span = view.memory["span"] = view.opening - view.reservation
        return view.reservation + span * (1.0 - conceded(tau, self.concession))  # sim.negotiation.concession.aspiration, its span kept

    def disclose(self, view: SideView, rng: np.random.Generator) -> Disclosure:
        """Decide, before bargaining, whether to announce priorities. Default: stay silent."""
        n = view.size
        return Disclosure(
            announced=np.zeros(n, dtype=bool),
            priorities=np.full((view.issues, n), np.nan),
            truthful=np.zeros(n, dtype=bool),
        )

    def delegate(self, view: SideView) -> list[tuple[Strategy, np.ndarray]] | None:
        """A conditional strategy may hand each negotiation to the strategy it will play there, as
        ``[(strategy, mask), ...]`` after it has decided what to disclose; the engine then runs those negotiations
        with that strategy (from :meth:`prepare` on). Default: play them itself."""
        return None

    def prepare(self, view: SideView) -> Stance:
        """Set up per-negotiation state once the partner's announcement is known. Must be overridden."""
        raise NotImplementedError

    def propose(self, view: SideView, tau: np.ndarray) -> np.ndarray:
        """Return this side's next offer (K, n) in its own frame at normalised time ``tau`` (n,)."""
        raise NotImplementedError

    def compact(self, memory: dict[str, Any], keep: np.ndarray) -> dict[str, Any]:
        """Keep the state of the negotiations where ``keep`` is True when the engine drops finished ones.

        Convention: per-negotiation state is an array whose *last* axis is the negotiations; anything else
        (flags, scalars) is kept as it is. Override if a strategy stores state differently.
        """
        n = keep.shape[0]
        return {
            key: np.compress(keep, value, axis=-1) if isinstance(value, np.ndarray) and value.ndim and value.shape[-1] == n else value
            for key, value in memory.items()
        }
