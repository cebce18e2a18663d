"""Organisations played by people (a live room): their recorded decisions replace the model's for their seats.

In a live rembug some organisations are played by workshop participants and the rest by the model. A person's
decisions are data (who decided what, in which season); the model reads them through :class:`People` at the four
points where an organisation chooses, and plays every other seat, and every seat a person left unanswered, exactly
as it would in a simulation:

- **disclose**: whether the organisation tells its partner its priorities before bargaining;
- **offer**: the package it holds out for (in its own frame: 1 is its ideal on every issue). In the engine it is
  played by :class:`Held`: it proposes that package on every turn and accepts any offer worth at least as much to it,
  so "accept the partner's offer" is holding out for exactly that offer, and a bot partner answers through the same
  alternating-offers engine as in any run. The package is the person's last word: at the deadline, where a bot
  takes any offer better than walking away, a person takes only what is worth their package to them (the engine
  reads it as their walk-away value, :meth:`People.floors`), because they were never asked about anything less;
- **invest**: whether it pays its promised part of the well;
- **keep**: whether it keeps the agreement or takes more water than agreed.

A room may meet every season, or once for several seasons (``negotiation.term``: an agreement covers that many
seasons, so wells have time to pay back within a workshop's few meetings). A person answers once per meeting: their
answers are recorded at the meeting's season and stand for every season of the agreement.

Same scenario, same seed and the same decisions give the same village: a room is a replay of its record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.commons.config import CommonsConfig
from sim.negotiation.strategies.base import ACTED_DISTRIBUTIVE, ACTED_INTEGRATIVE, Disclosure, SideView, Stance, Strategy

KINDS = ("disclose", "offer", "invest", "keep")

ROOM_SEASONS = 6
"""Seasons a room plays by default: three years, enough for trust to build or break, short enough for a workshop."""

PLACEHOLDER = (0.5, 0.5, 0.5, 0.5)
"""The package a person is assumed to hold out for while their offer is not made yet (a preview of the meeting)."""


MAX_TERM = 4
"""Seasons one meeting's agreement may cover in a room (two years)."""


def room_config(config: CommonsConfig, seats: int, seasons: int = ROOM_SEASONS, seed: int | None = None,
                term: int = 1, mix: bool = False) -> CommonsConfig:
    """The scenario as a live room plays it: one organisation per seat, a meeting every ``term`` seasons (1 to
    :data:`MAX_TERM`; ``seasons`` is then a multiple of it), and with ``mix`` partners drawn afresh at random at
    every meeting (anyone on the river, nobody staying with a partner they trust), so participants meet different
    people instead of good pairs staying together."""
    if not 1 <= term <= MAX_TERM:
        raise ValueError(f"term: 1 to {MAX_TERM} seasons per meeting; not {term}")
    if seasons % term:
        raise ValueError(f"seasons: a multiple of the seasons per meeting ({term}); not {seasons}")
    data = config.model_dump()
    data["world"].update(organisations=seats, seasons=seasons)
    if seed is not None:
        data["world"]["seed"] = seed
    data["negotiation"]["term"] = term
    if mix:
        data["negotiation"].update(partner_choice=0.0, matching="random")
    return CommonsConfig.model_validate(data)


def scripted(seats: Iterable[int], seasons: int, policy: str) -> People:
    """People who play the same way every season, for measuring what a room can show (the pattern catalogue):
    ``cooperate`` tells its priorities, offers half and half with the well, pays for it and keeps its word; ``claim``
    keeps quiet, asks most of everything for itself, skips the well and takes more water than agreed."""
    if policy not in ("cooperate", "claim"):
        raise ValueError(f"policy: cooperate or claim; not {policy!r}")
    open_ = policy == "cooperate"
    package = [0.5, 0.5, 0.5, 1.0] if open_ else [0.8, 0.8, 0.8, 0.0]
    decisions: dict[tuple[int, int, str], Any] = {}
    for season in range(seasons):
        for seat in seats:
            decisions.update({(season, seat, "disclose"): open_, (season, seat, "offer"): package,
                              (season, seat, "invest"): open_, (season, seat, "keep"): open_})
    return People(decisions)


class Held(Strategy):
    """A person at the table: discloses as they chose and holds out for the package they chose.

    Nameless on purpose, so the strategy registry (and every list of strategies a user picks from) never offers it.
    One instance per seat: equal parameters would merge two people into one group in the engine.
    """

    family = "integrative"
    description = "a person's own choices in a live room"

    def __init__(self, seat: int, disclose: bool, package: tuple[float, ...] | None) -> None:
        super().__init__(concession=1.0)
        self.seat = seat
        self.tells = bool(disclose)
        self.package = np.asarray(PLACEHOLDER if package is None else package, dtype=float)

    def params(self) -> dict[str, Any]:
        return {"seat": self.seat, "disclose": self.tells, "package": tuple(self.package.tolist())}

    def disclose(self, view: SideView, rng: np.random.Generator) -> Disclosure:
        n = view.size
        said = np.full(n, self.tells)
        return Disclosure(announced=said, priorities=np.where(said, view.weights, np.nan), truthful=said.copy())

    def prepare(self, view: SideView) -> Stance:
        acts = ACTED_INTEGRATIVE if self.tells else ACTED_DISTRIBUTIVE
        return Stance(acts_as=np.full(view.size, acts, dtype=np.int8), claims=np.zeros(view.size, dtype=bool))

    def propose(self, view: SideView, tau: np.ndarray) -> np.ndarray:
        return np.repeat(self.package[:, None], view.size, axis=1)


@dataclass
class People:
    """The decisions people made, by (season, organisation). ``preview`` plays the meeting under way while offers
    are being made: a seat that has chosen whether to disclose counts as a person holding :data:`PLACEHOLDER`, whatever
    offers are in already, so what a bot partner opens with does not change while a participant decides."""

    decisions: dict[tuple[int, int, str], Any] = field(default_factory=dict)
    preview: bool = False
    term: int = 1  # seasons a meeting's answers stand for (the room's negotiation.term)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], preview: bool = False, term: int = 1) -> People:
        """From rows with ``season``, ``seat``, ``kind`` and ``value`` (a room's decision table); the first
        decision of a kind counts."""
        decisions: dict[tuple[int, int, str], Any] = {}
        for row in records:
            if row["kind"] in KINDS:
                decisions.setdefault((int(row["season"]), int(row["seat"]), str(row["kind"])), row["value"])
        return cls(decisions, preview, term)

    def get(self, season: int, seat: int, kind: str) -> Any:
        """The answer standing in ``season``: the one given at the meeting that opened its agreement's term."""
        return self.decisions.get((season - season % self.term, seat, kind))

    def held(self, season: int, seat: int) -> Held | None:
        """The person at ``seat`` this season, or None where the model plays it."""
        offer = self.get(season, seat, "offer")
        disclose = self.get(season, seat, "disclose")
        if self.preview:  # offers are being made: everyone who chose whether to disclose holds the placeholder
            return None if disclose is None else Held(seat, bool(disclose), None)
        if offer is None:
            return None
        return Held(seat, bool(disclose), tuple(_package(offer)))

    def seat(self, season: int, table: list[Strategy], who: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Strategy codes for one side of the pairs, with each person's :class:`Held` (appended to ``table``)."""
        out = codes
        for row, org in enumerate(who.tolist()):
            held = self.held(season, org)
            if held is None:
                continue
            if out is codes:
                out = codes.copy()
            table.append(held)
            out[row] = len(table) - 1
        return out

    def floors(self, season: int, who: np.ndarray, reservation: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Walk-away values for one side of the pairs, raised for each person to what their package is worth to them
        (``weights``: that side's interest weights), so the engine never settles them below their own offer."""
        out = reservation
        for row, org in enumerate(who.tolist()):
            held = self.held(season, org)
            if held is None or self.get(season, org, "offer") is None:
                continue  # a bot, or a preview's placeholder (nobody has offered it)
            if out is reservation:
                out = reservation.copy()
            out[row] = max(float(out[row]), float(weights[row] @ held.package))
        return out

    def conduct(self, season: int, breach: np.ndarray, in_agreement: np.ndarray,
                promised: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(breaks its word, takes more water, keeps back its investment) with people's choices in place of the
        model's. A person answers the two separately: taking more water and skipping the promised investment each
        break one's word, and one does not imply the other (a bot that breaks its word does both). A choice a person
        did not make counts as keeping it."""
        breach, more, skip = breach.copy(), breach.copy(), breach.copy()
        for org in np.flatnonzero(in_agreement).tolist():
            keep, invest = self.get(season, org, "keep"), self.get(season, org, "invest")
            if keep is None and invest is None:
                continue  # the model plays this seat
            takes = keep is not None and not bool(keep)
            skips = bool(promised[org] > 0) and invest is not None and not bool(invest)
            more[org], skip[org], breach[org] = takes, skips, takes or skips
        return breach, more, skip


def _package(offer: Any) -> list[float]:
    """An offer decision's package: a list, or a mapping with a ``package`` entry (a room stores the card too)."""
    if isinstance(offer, Mapping):
        offer = offer["package"]
    values = [float(v) for v in offer]
    if len(values) != 4 or not all(0.0 <= v <= 1.0 for v in values):
        raise ValueError(f"offer package: four numbers from 0 to 1; got {values}")
    return values
