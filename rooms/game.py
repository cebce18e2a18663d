"""A room's village: the model replayed from the room's record, so every page sees the same river.

A room is a seeded scenario plus the decisions its participants made. Nothing else is stored: the state of the
village at any moment is the model run from the start with those decisions (:class:`sim.commons.people.People`), which
is what makes a room survive a server restart and what lets a researcher replay it from its export. Replaying a room
of 60 organisations over 12 seasons takes a few hundredths of a second.

A room's round is one meeting, in stages the facilitator moves through:

``talk``    each participant with a partner decides whether to tell their priorities;
``offer``   each answers their partner: accept the partner's offer, or counter with one of a few packages (cards);
``act``     each in an agreement decides whether to pay their part of the well and whether to keep the agreement;
``results`` the meeting's seasons are played: water, harvest, trust; the projector shows the river.

A meeting covers ``negotiation.term`` seasons (one by default; a room may meet once a year or less often, so that
wells pay back within a workshop's few meetings). The room's ``season`` is the season its meeting opens; the
answers given there stand for every season of the agreement.

Bots (the model's own negotiators) play every empty seat, and every seat whose participant has dropped out, through
the same engine as any simulation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.commons import CommonsConfig, CommonsModel
from sim.commons.model import INVESTMENT, LABOUR, SCHEDULE, VOLUME
from sim.commons.people import ROOM_SEASONS, Held, People, room_config
from sim.negotiation.domain import to_frame

STAGES = ("lobby", "talk", "offer", "act", "results", "debrief")

CARDS = ("accept", "half", "more", "swap", "well")
"""The packages a participant may answer with: the partner's own offer, or a counter (see :func:`cards`)."""

ASKED = {"talk": ("disclose",), "offer": ("offer",), "act": ("invest", "keep")}


def cards(weights: np.ndarray, partner_offer: np.ndarray | None) -> dict[str, list[float]]:
    """The packages a participant chooses from, each in their own frame (1 = best for them on every issue: the water
    share, the dry-season turns, the partner doing the canal work, building the well).

    - ``accept``: the partner's offer as it stands (only when the partner is a bot whose offer is known);
    - ``half``: everything half and half, no well;
    - ``more``: most of everything for us (claiming value, the fixed-pie view);
    - ``swap``: all of the share that matters most to us, none of the one that matters least (logrolling), and the
      well in full if it is what matters most to us, else half of it;
    - ``well``: half and half, and build the well together (expanding the pie).
    """
    opposed = [VOLUME, SCHEDULE, LABOUR]
    by_weight = sorted(opposed, key=lambda i: (-float(weights[i]), i))
    well_first = float(weights[INVESTMENT]) >= float(np.max(weights))
    swap = [0.5, 0.5, 0.5, 1.0 if well_first else 0.5]
    swap[by_weight[0]], swap[by_weight[-1]] = 1.0, 0.0
    out: dict[str, list[float]] = {}
    if partner_offer is not None:
        out["accept"] = [round(float(v), 4) for v in partner_offer]
    out.update(half=[0.5, 0.5, 0.5, 0.0], more=[0.8, 0.8, 0.8, 0.0], swap=swap, well=[0.5, 0.5, 0.5, 1.0])
    return out


def _seat_in(pairs: np.ndarray, seat: int) -> tuple[int, int] | None:
    """(pair row, side: 0 = A, 1 = B) of ``seat`` among a meeting's ``pairs``, or None when it has no partner."""
    rows, cols = np.nonzero(pairs == seat)
    return (int(rows[0]), int(cols[0])) if rows.size else None


@dataclass
class Village:
    """The room's village at one stage of one season (see the module docstring)."""

    config: CommonsConfig
    model: CommonsModel
    season: int
    stage: str
    people: People

    @classmethod
    def replay(cls, config: CommonsConfig, records: Iterable[Mapping[str, Any]], season: int, stage: str) -> Village:
        """The village at ``stage`` of ``season``, from the room's settings and its decisions so far."""
        if stage not in STAGES:
            raise ValueError(f"stage: one of {', '.join(STAGES)}; not {stage!r}")
        term = config.negotiation.term
        people = People.from_records(records, term=term)
        model = CommonsModel(config, people=people, record_negotiations="offers")
        played = season + term * (stage == "results")
        for _ in range(min(played, config.world.seasons)):
            model.step()
        if stage in ("talk", "offer"):  # only the meeting under way is a preview: past seasons keep their offers
            people = model.people = People(people.decisions, preview=True, term=term)
        if stage in ("talk", "offer", "act"):
            model.meet()
        return cls(config, model, season, stage, people)

    # -- who meets whom -------------------------------------------------------------------------------------------
    def partner(self, seat: int) -> int:
        """This season's partner of ``seat`` (-1 without one: an odd seat out takes its fair share alone)."""
        found = _seat_in(self.model.pairs, seat)
        return -1 if found is None else int(self.model.pairs[found[0], 1 - found[1]])

    def _row(self, seat: int) -> tuple[int, int]:
        """(pair row, side: 0 = A, 1 = B) of ``seat`` in this season's meeting."""
        found = _seat_in(self.model.pairs, seat)
        if found is None:
            raise KeyError(seat)
        return found

    def is_person(self, seat: int) -> bool:
        """Whether a person (not a bot) plays ``seat`` in this meeting, by the record."""
        return self.people.held(self.season, seat) is not None

    def trust(self, seat: int, other: int) -> float:
        return float(self.model.trust[seat, other])

    def reputation(self, seat: int) -> float:
        return float(self.model.reputation[seat])

    # -- the meeting ----------------------------------------------------------------------------------------------
    def asked(self, seat: int) -> tuple[str, ...]:
        """What ``seat`` has to decide at this stage (nothing when it has no partner, or no agreement to keep)."""
        if self.stage in ("talk", "offer"):
            return ASKED[self.stage] if self.partner(seat) >= 0 else ()
        if self.stage == "act":
            term = self.model.term
            if not term.in_agreement[seat]:
                return ()
            return ("invest", "keep") if term.invest[seat] > 0 else ("keep",)
        return ()

    def partner_told(self, seat: int) -> bool | None:
        """Whether the partner told their priorities (None before the offers: nobody knows yet)."""
        if self.stage == "talk" or self.partner(seat) < 0:
            return None
        row, side = self._row(seat)
        meeting = self.model.meetings[-1] if self.model.meetings else None
        if meeting is None or meeting.result is None:
            return None
        told = meeting.result.disclosed_b if side == 0 else meeting.result.disclosed_a
        return bool(told[row])

    def partner_offer(self, seat: int) -> np.ndarray | None:
        """The bot partner's opening offer in ``seat``'s frame (None for a person partner, who answers at the same
        time, or when the partner accepted at once)."""
        partner = self.partner(seat)
        if partner < 0 or self.people.held(self.season, partner) is not None:
            return None
        meeting = self.model.meetings[-1] if self.model.meetings else None
        if meeting is None or meeting.result is None or meeting.result.trace is None:
            return None
        offers = meeting.result.trace.offers  # (steps, pairs, K) in A's frame
        row, side = self._row(seat)
        step = 1 if side == 0 else 0  # the partner's opening: B's is step 1, A's step 0
        if offers is None or offers.shape[0] <= step:
            return None
        x = offers[step, row].astype(float)
        if not np.all(np.isfinite(x)):
            return None
        return x if side == 0 else to_frame(x[:, None], self.model.domain.opposed)[:, 0]

    def cards(self, seat: int) -> dict[str, list[float]]:
        offer = self.partner_offer(seat)
        return cards(self.model.weights[seat], offer)

    def agreement(self, seat: int) -> np.ndarray | None:
        """The package ``seat`` agreed this season, in its own frame; None at an impasse (or before the offers)."""
        if self.stage not in ("act", "results") or self.partner(seat) < 0:
            return None
        row, side = self._row(seat)
        if not self.model.agreed[row]:
            return None
        x = np.asarray(self.model.package[row], dtype=float)
        return x if side == 0 else to_frame(x[:, None], self.model.domain.opposed)[:, 0]

    def rank(self, seat: int) -> int:
        """``seat``'s place on the river (1 = best) by the figure its phone shows: harvest so far as a share of its
        own full harvest (so two phones comparing percentages see the same order)."""
        share = self.model.cumulative / self.model.full_harvest
        return int((share > share[seat]).sum()) + 1

    def full_harvest(self, seat: int) -> float:
        """What ``seat`` harvests in a season with all the water it needs and no costs: the unit a participant is
        told their harvest in ("45% of a full harvest"), as the app's story does."""
        return float(self.model.full_harvest[seat])

    def promised(self, seat: int) -> float:
        """What ``seat`` promised to put into the well this season."""
        return float(self.model.term.invest[seat]) if self.stage in ("act", "results") else 0.0

    def default(self, seat: int, kind: str) -> Any:
        """The answer taken when the timer runs out: stay quiet, half and half, pay as promised, keep one's word."""
        if kind == "disclose":
            return False
        if kind == "offer":
            return {"card": "half", "package": cards(self.model.weights[seat], None)["half"]}
        return True

    def shown(self, seat: int) -> dict[str, Any]:
        """What ``seat`` sees at this stage (recorded with each decision: the information it decided on)."""
        partner = self.partner(seat)
        out: dict[str, Any] = {"stage": self.stage, "partner": partner}
        if partner >= 0:
            out.update(trust=round(self.trust(seat, partner), 4), reputation=round(self.reputation(partner), 4),
                       partner_is_person=self.is_person(partner) if self.stage != "talk" else None,
                       partner_told=self.partner_told(seat))
        if self.stage == "offer":
            out["cards"] = self.cards(seat)
        if self.stage == "act":
            agreement = self.agreement(seat)
            out["agreement"] = None if agreement is None else [round(float(v), 4) for v in agreement]
            out["promised"] = round(self.promised(seat), 4)
        return out

    # -- the season's outcome -------------------------------------------------------------------------------------
    @property
    def term(self) -> int:
        """Seasons one meeting's agreement covers."""
        return self.config.negotiation.term

    def _term_rows(self, season: int) -> list[dict[str, np.ndarray]]:
        """The organisation rows of the seasons played under the meeting that opened at ``season``."""
        rows = self.model._organisation_rows
        return rows[season: min(season + self.term, len(rows))]

    def result(self, seat: int) -> dict[str, Any]:
        """``seat``'s last played meeting (its season, or seasons when a meeting covers several): harvest after
        costs and water taken against need (per season), whether it and its partner kept their word; and its total
        so far."""
        played = len(self.model._organisation_rows)
        if not played:
            return {}
        rows = self._term_rows((played - 1) // self.term * self.term)  # the last meeting played
        partner = self.partner(seat)
        row = None
        if partner >= 0:
            row, _ = self._row(seat)
        full = self.full_harvest(seat)
        seasons = len(self.model._organisation_rows)
        payoff = float(np.mean([r["payoff"][seat] for r in rows]))
        return {
            "season": int(rows[0]["season"][seat]),
            "seasons": len(rows),
            "payoff": payoff,
            "total": float(self.model.cumulative[seat]),
            "harvest": payoff / full,  # per season of this meeting, as a share of a full harvest
            "mean_harvest": float(self.model.cumulative[seat]) / (full * seasons),
            "water": float(np.mean([r["water"][seat] / r["need"][seat] for r in rows])),
            "agreed": bool(self.model.agreed[row]) if row is not None else None,
            "broke": any(bool(r["breached"][seat]) for r in rows),
            "broke_how": self.broke_how(seat, rows),
            "partner": partner,
            "partner_broke": any(bool(r["breached"][partner]) for r in rows) if partner >= 0 else None,
            "partner_broke_how": self.broke_how(partner, rows) if partner >= 0 else None,
            "rank": self.rank(seat),
        }

    def broke_how(self, seat: int, rows: list[dict[str, np.ndarray]], well: float | None = None) -> tuple[bool, bool]:
        """How ``seat`` broke its word over a meeting's seasons ``rows``: (took more water, did not pay its part of
        the well). A person's own two answers, as the model counts them (:meth:`People.conduct`); a seat the
        computer played does both when it breaks its word, the well only where it had promised something: ``well``,
        the share of the well the pair agreed to build at that meeting (default: this meeting's promise)."""
        if not any(bool(r["breached"][seat]) for r in rows):
            return False, False
        season = int(rows[0]["season"][seat])
        keep, invest = self.people.get(season, seat, "keep"), self.people.get(season, seat, "invest")
        if keep is None and invest is None:
            if well is not None:
                return True, well > 0
            return True, self.promised(seat) > 0 or self.stage not in ("act", "results")
        return keep is not None and not bool(keep), invest is not None and not bool(invest)

    def history(self, seat: int) -> list[dict[str, Any]]:
        """Every meeting ``seat`` played to the end: its season, its partner, whether they agreed, who broke their
        word (in any season of the agreement) and how (:meth:`broke_how`)."""
        out = []
        for meeting in self.model.meetings:
            rows = self._term_rows(meeting.season)
            if not rows:
                continue  # the meeting under way
            found = _seat_in(meeting.pairs, seat)
            partner, agreed, well = -1, None, 0.0
            if found is not None:
                partner, agreed = int(meeting.pairs[found[0], 1 - found[1]]), bool(meeting.agreed[found[0]])
                if agreed:  # the well is the same issue from either side: what the pair agreed to build
                    well = float(meeting.package[found[0], INVESTMENT])
            out.append({"season": meeting.season, "partner": partner, "agreed": agreed,
                        "broke": any(bool(r["breached"][seat]) for r in rows),
                        "broke_how": self.broke_how(seat, rows, well),
                        "partner_broke": any(bool(r["breached"][partner]) for r in rows) if partner >= 0 else None,
                        "partner_broke_how": self.broke_how(partner, rows, well) if partner >= 0 else None,
                        "payoff": float(sum(r["payoff"][seat] for r in rows))})
        return out

    def river(self) -> dict[str, Any]:
        """What the projector draws: every seat's place, this season's pairs and how each settled, the trust between
        partners, the stock and the wells."""
        m = self.model
        n = m.n
        status = np.full(n, "alone", dtype=object)
        pairs = m.pairs
        agreed = m.agreed if self.stage in ("act", "results", "debrief") else np.zeros(len(pairs), dtype=bool)
        for (a, b), ok in zip(pairs.tolist(), agreed.tolist(), strict=True):
            if self.stage in ("talk", "offer"):
                status[a] = status[b] = "meeting"
            else:
                status[a] = status[b] = "agreed" if ok else "grabbed"
        broke = np.zeros(n, dtype=bool)
        if self.stage in ("results", "debrief") and m._organisation_rows:
            for row in self._term_rows((len(m._organisation_rows) - 1) // self.term * self.term):
                broke |= row["breached"].astype(bool)
            status[broke] = "broke"
        trust = [(float(m.trust[a, b]) + float(m.trust[b, a])) / 2 for a, b in pairs.tolist()]
        capacity = m.balance.capacity if m.balance is not None else m.config.water.capacity
        return {
            "position": m.position.tolist(),
            "status": status.tolist(),
            "pairs": pairs.tolist(),
            "agreed": agreed.tolist(),
            "trust": trust,
            "stock_share": float(m.stock / capacity),
            "wells": float(m.infrastructure),
            "season": self.season,
            "collapsed": bool(m.collapsed),
        }


def village_outcome(model: CommonsModel) -> dict[str, float]:
    """A village's outcome over the seasons it played, in the measures the debrief compares."""
    table = model.season_table()
    if table.empty:
        return {"welfare": 0.0, "harvest": float("nan"), "water_left": float("nan"), "agreements": float("nan"),
                "grabs": 0.0, "broken": 0.0, "ran_dry": 0.0}
    return {
        "welfare": float(table.total_welfare.sum()),
        # harvest after costs as a share of a full harvest
        "harvest": float(table.total_welfare.sum()) / (float(model.full_harvest.sum()) * len(table)),
        "water_left": float(table.stock_share.iloc[-1]),
        "agreements": float(table.agreement_rate.mean()),
        "grabs": float((table.grab_rate * model.n).sum()),
        "broken": float(table.breaches.sum()),
        "ran_dry": float(table.collapsed.max()),
    }


def villages(config: CommonsConfig, records: Iterable[Mapping[str, Any]], seasons: int,
             room: CommonsModel | None = None) -> dict[str, CommonsModel]:
    """The room's village beside bot villages in the same world and seed over the same seasons: everyone slicing
    the pie (distributive) and everyone expanding it (integrative). ``room``: the room's village already played
    that far (a replay of its record), else it is run here."""
    people = People.from_records(records, term=config.negotiation.term)
    out = {"room": room if room is not None else CommonsModel(config, people=people).run(seasons)}
    for label, strategy in (("slice", "distributive"), ("expand", "integrative")):
        data = config.model_dump()
        data["strategies"]["mix"] = {strategy: 1.0}
        out[label] = CommonsModel(CommonsConfig.model_validate(data)).run(seasons)
    return out


def debrief(config: CommonsConfig, records: Iterable[Mapping[str, Any]], seasons: int) -> dict[str, dict[str, float]]:
    """Each village's outcome (see :func:`villages`)."""
    return {label: village_outcome(model) for label, model in villages(config, records, seasons).items()}


def season_frame(models: Mapping[str, CommonsModel]) -> pd.DataFrame:
    """Season by season, for the debrief's chart: each village's harvest (share of a full harvest), agreements,
    grabs, broken promises and water left; ``village`` is the label of :func:`villages`."""
    frames = []
    for label, model in models.items():
        table = model.season_table()
        frames.append(pd.DataFrame({"village": label, "season": table.season,
                                    "harvest": table.total_welfare / float(model.full_harvest.sum()),
                                    "agreements": table.agreement_rate, "grabs": table.grab_rate * model.n,
                                    "broken": table.breaches, "water_left": table.stock_share}))
    return pd.concat(frames, ignore_index=True)


__all__ = ["CARDS", "ROOM_SEASONS", "STAGES", "Held", "Village", "cards", "debrief", "room_config", "season_frame",
           "village_outcome", "villages"]
