"""How a room moves: participants answer, the facilitator (or the timer) closes a stage, the season is played.

Every page calls these, never the store and the model separately, so the rules live in one place:

- a participant's answer is checked against what their seat is asked now, and recorded with what they were shown;
- a stage closes when the facilitator says so, when its timer runs out, or once every participant present has
  answered, whether or not any page is open: the server's own clock (:mod:`rooms.clock`) closes it; then each
  present participant who did not answer gets the default answer (recorded as such, and shown to them), and a seat
  whose phone has dropped out is played by a bot;
- the village is the replay of the record (:mod:`rooms.game`), cached per version of the room;
- who chose what is kept apart everywhere: a person, the timer (a default answer) or the computer (a seat nobody
  played), so nobody is held to account for a choice they did not make (:func:`played_by`).
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from rooms.game import ROOM_SEASONS, Village, room_config, season_frame, village_outcome, villages
from rooms.store import (ASKED, ASLEEP, OUTAGE, AlreadyAnswered, NotNow, Refused, RoomError, Store, check_seats,
                         present_seconds)
from sim.commons import CommonsConfig
from sim.commons.people import MAX_TERM

NEXT = {"lobby": "talk", "talk": "offer", "offer": "act", "act": "results", "results": "talk"}


class Answer(NamedTuple):
    """One decision of a seat in the current season: what was asked, the answer, whether the timer gave it, and
    who sat at the seat (None: nobody)."""

    kind: str
    value: Any
    by_default: bool
    person: int | None


@dataclass(frozen=True)
class RoomState:
    """One read of a room: its row, its settings, the village at its current stage, who is there, and every
    decision so far (pages and rules derive what they need from this one read)."""

    room: dict[str, Any]
    config: CommonsConfig
    village: Village
    names: dict[int, str]
    present: frozenset[int]
    decisions: pd.DataFrame
    people: pd.DataFrame  # everyone who has sat in the room (Store.people), removed participants included
    sitting: dict[int, int]  # seat -> people id of who sits there now
    derived: dict[str, Any] = field(default_factory=dict, compare=False)  # see _derived: shared per room version

    def _derived(self) -> dict[str, Any]:
        """What pages ask of the decisions again and again (this season's answers by seat, who played what), worked
        out once per version of the room for every page, in plain Python over the columns (a pandas filter and
        group-by per version was a tenth of the server's time with sixty phones answering)."""
        if "played_by" not in self.derived:  # filled in one step (pages read it from several threads)
            d, season = self.decisions, self.room["season"]
            by_seat: dict[int, list[Answer]] = {}
            for row in zip(d.season, d.seat, d.kind, d.value, d.by_default, d.person, strict=True):
                if int(row[0]) == season:
                    person = int(row[5]) if pd.notna(row[5]) else None
                    by_seat.setdefault(int(row[1]), []).append(Answer(row[2], row[3], bool(row[4]), person))
            answered = frozenset((seat, a.kind) for seat, answers in by_seat.items() for a in answers)
            self.derived.update({"answered": answered, "by_seat": by_seat, "played_by": played_by(self)})
        return self.derived

    @property
    def answered(self) -> frozenset[tuple[int, str]]:
        """(seat, kind) answered in the room's current season."""
        return self._derived()["answered"]

    @property
    def spoke(self) -> frozenset[int]:
        """Seats that answered something in the current season."""
        return frozenset(seat for seat, _ in self.answered)

    def person_at(self, seat: int) -> bool:
        """Whether a person sits at ``seat`` now, as a partner should be told: there, or already part of this
        meeting. A seat whose phone has dropped out is the computer's until it is back."""
        return seat in self.names and (seat in self.present or seat in self.spoke)

    def waiting(self) -> tuple[set[int], set[int]]:
        """(present seats still to answer at this stage, present seats asked something)."""
        if self.room["phase"] not in ASKED:
            return set(), set()
        answered = self.answered
        asked = {s for s in self.present if self.village.asked(s)}
        missing = {s for s in asked if any((s, k) not in answered for k in self.village.asked(s))}
        return missing, asked

    def half_way(self) -> set[int]:
        """Present seats that answered part of what this stage asks them (paid for the well, not yet said whether
        they keep the agreement)."""
        if self.room["phase"] not in ASKED:
            return set()
        answered = self.answered
        out = set()
        for s in self.present:
            kinds = self.village.asked(s)
            done = sum((s, k) in answered for k in kinds)
            if 0 < done < len(kinds):
                out.add(s)
        return out

    def seat_answers(self, seat: int) -> list[Answer]:
        """``seat``'s decisions in the current season, in the order they were made."""
        return self._derived()["by_seat"].get(int(seat), [])

    def played_by(self) -> dict[tuple[int, int], dict[str, Any]]:
        """Who played each seat at each meeting, by (season, seat): ``person`` (their id), ``name``, ``chose``
        (what they answered themselves) and ``timer`` (what the timer answered for them). A seat and meeting not
        here was the computer's."""
        return self._derived()["played_by"]


_CACHE: OrderedDict[tuple, Any] = OrderedDict()
_LOCK = Lock()
_MAKING: dict[tuple, Lock] = {}


def _cached(key: tuple, make):
    """One computation per version of a room, shared by every page (the last 64 kept). When the room changes, the
    thirty pages that redraw at once wait for the first one's computation instead of each doing it again (a replay
    each, all fighting for the same two cores)."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        making = _MAKING.setdefault(key, Lock())
    with making:
        with _LOCK:
            if key in _CACHE:  # made while this page waited
                _CACHE.move_to_end(key)
                return _CACHE[key]
        value = make()
        with _LOCK:
            _CACHE[key] = value
            _MAKING.pop(key, None)
            while len(_CACHE) > 64:
                _CACHE.popitem(last=False)
    return value


def settings(room: dict[str, Any]) -> CommonsConfig:
    return CommonsConfig.model_validate(room["config"])


def village_of(store: Store, room: dict[str, Any]) -> Village:
    """The room's village at its stage, replayed from its record (one replay per change that shapes it, shared by
    every page: at the offers and at keeping one's word, the answers coming in do not change the meeting under way,
    so they cost no replay; see :meth:`rooms.store.Store.shaping`)."""
    stage = room["phase"]
    season = room["season"]
    if stage == "debrief":
        stage, season = "lobby", played(room)
    key = ("village", store.path, room["code"], season, stage, store.shaping(room["code"], season, stage))
    return _cached(key, lambda: Village.replay(settings(room), store.decisions(room["code"]).to_dict("records"),
                                               season, stage))


def played(room: dict[str, Any]) -> int:
    """Seasons the room has played to the end."""
    return room["season"] + term_of(room) if room["phase"] in ("results", "debrief") else room["season"]


def term_of(room: dict[str, Any]) -> int:
    """Seasons one meeting of the room covers (its ``negotiation.term``)."""
    return int(room["config"].get("negotiation", {}).get("term", 1))


def state(store: Store, code: str) -> RoomState:
    """One read of the room. What only changes with the room's version (names, decisions, who sat where, the
    village) is read once per version for every page; the room's row (its clock) and who is present are read
    afresh."""
    room = store.room(code)
    version = store.version(room["code"])

    def read() -> tuple[dict[int, str], pd.DataFrame, pd.DataFrame, dict[int, int], dict[str, Any]]:
        seats = store.seats(room["code"])
        taken = [r for r in seats.itertuples() if r.taken]
        names = {int(r.seat): str(r.name) for r in taken}
        sitting = {int(r.seat): int(r.person) for r in taken if pd.notna(r.person)}
        return names, store.decisions(room["code"]), store.people(room["code"]), sitting, {}

    names, decisions, people, sitting, derived = _cached(("state", store.path, room["code"], version), read)
    return RoomState(room, settings(room), village_of(store, room), names,
                     frozenset(store.present(room["code"])), decisions, people, sitting, derived)


def played_by(st: RoomState) -> dict[tuple[int, int], dict[str, Any]]:
    """See :meth:`RoomState.played_by`."""
    names = {int(p): str(n) for p, n in zip(st.people.person, st.people.name, strict=True)}
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for season, seat, person, kind, by_default in zip(st.decisions.season, st.decisions.seat, st.decisions.person,
                                                      st.decisions.kind, st.decisions.by_default, strict=True):
        person = int(person) if pd.notna(person) else None
        entry = out.setdefault((int(season), int(seat)), {"person": person, "name": names.get(person),
                                                          "chose": set(), "timer": set()})
        entry["timer" if by_default else "chose"].add(kind)
    return out


def answer(store: Store, code: str, token: str | None, kind: str, value: Any, lang: str | None = None) -> int:
    """Record a participant's answer for their own seat, checked against what the seat is asked now. When it was
    the last answer the stage waited for, the stage closes at once (the server's clock would a moment later)."""
    seat = store.seat_of(code, token, lang=lang)
    st = state(store, code)
    village = st.village
    if kind not in village.asked(seat):
        raise NotNow(f"{kind}: your seat is not asked this now")
    if kind == "offer":
        cards = village.cards(seat)
        card = value.get("card") if isinstance(value, dict) else value
        if card not in cards:
            raise RoomError(f"offer: one of {', '.join(cards)}; not {card!r}")
        value = {"card": card, "package": cards[card]}
    else:
        value = bool(value)
    shown = village.shown(seat)
    partner = village.partner(seat)
    if partner >= 0 and st.room["phase"] == "talk":  # who the phone said the partner was (a person or the computer)
        shown["partner_is_person"] = st.person_at(partner)
    done = store.decide(code, token, kind, value, shown, partner=partner, lang=lang)
    try:
        tick(store, code)
    except RoomError:  # the answer is in; the clock closes the stage a moment later
        pass
    return done


def waiting_for(store: Store, code: str) -> tuple[set[int], set[int]]:
    """(present seats still to answer at this stage, present seats asked something)."""
    return state(store, code).waiting()


CLOSED_BY = ("facilitator", "timer", "everyone")  # who ended a stage: recorded with each default answer it gave


def close_stage(store: Store, code: str, secret: str | None, by: str = "facilitator",
                expect: tuple[str, int] | None = None) -> str:
    """The facilitator ends the stage (see :func:`_close`); with ``expect`` (phase, season), only that stage (the
    one their page showed: a Next tapped on a page a moment old never closes the stage after it). Returns the new
    stage."""
    if by not in CLOSED_BY:
        raise ValueError(f"by: one of {', '.join(CLOSED_BY)}; not {by!r}")
    if not store.is_facilitator(code, secret):
        raise Refused("only the facilitator's link can do this")
    return _close(store, code, secret, by, expect=expect)


def _close(store: Store, code: str, secret: str | None, by: str, server: bool = False,
           expect: tuple[str, int] | None = None, st: RoomState | None = None) -> str:
    """End the stage: default answers for present participants who did not answer (and, at the offers, for anyone
    who already spoke in this meeting: their partner was told a person sits there), then the next stage (or the
    debrief after the last meeting). ``server``: the server's clock closes it (no secret). ``expect`` (phase,
    season): close only that stage, whatever another closer did meanwhile; ``st``: the read the decision to close
    was made on. Returns the new stage."""
    st = st or state(store, code)
    room, village = st.room, st.village
    stage, season = room["phase"], room["season"]
    if expect is not None and (stage, season) != tuple(expect):
        return stage  # another closer (the clock, the last answer, a second tab) moved the room on meanwhile
    expect = (stage, season)
    if stage in ASKED:
        answered = st.answered
        for seat in sorted(st.present | (st.spoke if stage == "offer" else set())):
            for kind in village.asked(seat):
                if (seat, kind) in answered:
                    continue
                try:
                    store.decide_by_default(code, secret, seat, kind, village.default(seat, kind),
                                            {**village.shown(seat), "closed_by": by}, partner=village.partner(seat),
                                            server=server, expect=expect)
                except AlreadyAnswered:  # the participant answered at the last instant: theirs counts
                    pass
                except NotNow:  # another closer (the clock, a second tab) moved the room on meanwhile
                    return store.room(code)["phase"]
    if stage == "debrief":
        return stage
    term = st.config.negotiation.term
    if stage == "results" and season + term >= st.config.world.seasons:
        new, season_after = "debrief", season
    else:
        new, season_after = NEXT[stage], season + term if stage == "results" else season
    moved = store.advance(code, secret, new, season=season_after, expect=(stage, season), by=by, server=server)
    return new if moved else store.room(code)["phase"]


def tick(store: Store, code: str) -> str | None:
    """The server's clock (:mod:`rooms.clock`), and each answer as it comes in: close the stage when its time is
    up or everyone present has answered (None when nothing changed). No page needs to be open. For a while after
    the server was down (the dropped-out window), "everyone present" does not count: phones are still coming back,
    and the first few back must not close the stage on the others. Nor does anything close in a server just
    started, before its clock has ticked (it is about to give the stage its time back)."""
    st = state(store, code)
    room = st.room
    if room["phase"] not in ASKED or room["paused"] is not None:
        return None
    from rooms.clock import PROCESS

    beat, resumed, process = store.server_clock()
    now = store.clock()
    if beat is not None and now - beat > (OUTAGE if process != PROCESS else ASLEEP):
        return None  # the server just started, or woke up: its clock's next round gives the stages their time back
    left = store.time_left(room)
    missing, _ = st.waiting()
    settling = resumed is not None and now - resumed < present_seconds()
    everyone_answered = bool(st.present) and not missing and not settling  # not: nobody there at all
    if (left is not None and left <= 0) or everyone_answered:
        return _close(store, code, None, by="everyone" if everyone_answered else "timer", server=True, st=st)
    return None


def reveal_debrief(store: Store, code: str, secret: str | None) -> None:
    """The facilitator ends the game early (after at least one meeting), or after the last."""
    room = store.room(code)
    if played(room) < 1:
        raise RoomError("debrief: play at least one season first")
    season = room["season"] if room["phase"] == "results" else room["season"] - term_of(room)
    store.advance(code, secret, "debrief", season=season, expect=(room["phase"], room["season"]))


def _debrief_villages(store: Store, code: str) -> dict[str, Any]:
    """The room's village and the two bot villages over the seasons played, run once per version of the room (the
    room's own is the replay the pages already share, when the room is at its debrief)."""
    room = store.room(code)
    seasons = played(room)

    def make() -> dict[str, Any]:
        own = village_of(store, room).model if room["phase"] == "debrief" else None
        models = villages(settings(room), store.decisions(code).to_dict("records"), seasons, own)
        return {"outcome": {label: village_outcome(m) for label, m in models.items()},
                "seasons": season_frame(models)}

    return _cached(("debrief", store.path, room["code"], seasons, store.version(room["code"])[4]), make)


def debrief_of(store: Store, code: str) -> dict[str, dict[str, float]]:
    """Each village's outcome: the room's, everyone slicing, everyone expanding (see :func:`rooms.game.villages`)."""
    return _debrief_villages(store, code)["outcome"]


def debrief_seasons_of(store: Store, code: str) -> pd.DataFrame:
    """The same villages season by season (see :func:`rooms.game.season_frame`)."""
    return _debrief_villages(store, code)["seasons"]


CHOSEN_BY = ("person", "timer", "computer")
"""Who chose a row of the record: the participant, the timer (a default answer, ``closed_by`` says who closed the
stage), or the computer (a bot's own offers in the meetings, from the replay)."""


def record(store: Store, code: str, secret: str | None, pseudonymise: bool = False,
           computer: bool = True, timeline: bool = True) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The room's data for research, one tidy row each:

    - every decision: when, season, seat, who sat there (``name``, ``person``), partner, what was asked, the answer,
      what the seat was shown, the phone's language, and ``chosen_by`` (``person`` or ``timer``; for a default,
      ``closed_by`` says who closed the stage);
    - with ``computer``, every offer the computer's negotiators made in the meetings (``chosen_by`` "computer",
      ``round``), from the replay of the record: what a person's partner put on the table;
    - with ``timeline``, the room's timeline (``kind`` "stage": ``event`` open, close, pause, resume, timer, remove,
      rename, ... and ``phase``; ``chosen_by`` says by whom);

    and the room's settings, seed and provenance. ``pseudonymise``: names become P01, P02, ... (one per person, in
    the order they joined); nothing else in the record names anyone. An expired room's record can still be exported
    (by its facilitator)."""
    from sim import __version__

    if not store.is_facilitator(code, secret):
        raise Refused("only the facilitator's link can do this")
    room = store.room(code, expired=True)
    people = store.people(code)
    alias = {int(p): f"P{i + 1:02d}" for i, p in enumerate(people.person)}
    names = {int(r.person): (alias[int(r.person)] if pseudonymise else r.name) for r in people.itertuples()}
    seats = store.seats(code).set_index("seat")
    decisions = store.decisions(code)
    # a record from before people were kept: the seat's current occupant
    person = [int(p) if pd.notna(p) else (int(seats.person[s]) if pd.notna(seats.person.get(s)) else None)
              for p, s in zip(decisions.person, decisions.seat, strict=True)]
    frame = pd.DataFrame({
        "room": room["code"], "season": decisions.season, "seat": decisions.seat,
        "name": [names.get(p) if p is not None else None for p in person],
        "person": [alias.get(p) if pseudonymise and p is not None else p for p in person],
        "partner": decisions.partner, "kind": decisions.kind, "value": decisions.value, "shown": decisions.shown,
        "at": decisions["at"], "by_default": decisions.by_default,
        "chosen_by": ["timer" if d else "person" for d in decisions.by_default],
        "closed_by": [v.get("closed_by") if d and isinstance(v, dict) else None
                      for v, d in zip(decisions.shown, decisions.by_default, strict=True)],
        "lang": decisions.lang, "round": None, "event": None, "phase": None,
    })
    parts = [frame]
    if computer:
        parts.append(_computer_offers(store, room))
    if timeline:
        events = store.events(code)
        parts.append(pd.DataFrame({
            "room": room["code"], "season": events.season, "seat": events.seat, "name": None, "person": None,
            "partner": None, "kind": "stage", "value": events.detail, "shown": None, "at": events["at"],
            "by_default": False, "chosen_by": events.by, "closed_by": None, "lang": None, "round": None,
            "event": events.event, "phase": events.phase}))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else frame
    frame = frame.sort_values("at", kind="stable", ignore_index=True)
    frame.insert(frame.columns.get_loc("at") + 1, "time",
                 pd.to_datetime(frame["at"], unit="s", utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    frame["card"] = [v.get("card") if isinstance(v, dict) else None for v in frame["value"]]
    frame["value"] = frame["value"].map(json.dumps)
    frame["shown"] = frame["shown"].map(json.dumps)
    for column in ("seat", "partner", "round"):
        frame[column] = frame[column].astype("Int64")
    if not pseudonymise:
        frame["person"] = frame["person"].astype("Int64")
    meta = {"room": room["code"], "scenario": room["scenario"], "seed": room["config"]["world"]["seed"],
            "seasons_played": played(room), "settings": room["config"], "version": __version__,
            "commit": code_commit(), "created": _iso(room["created"]), "exported": _iso(time.time()),
            "pseudonymised": pseudonymise}
    return frame, meta


def _computer_offers(store: Store, room: dict[str, Any]) -> pd.DataFrame:
    """Every offer the computer's negotiators made in the room's meetings so far, each in its maker's own frame
    (1 = best for the seat that made it), from the replay: one row per offer, with its round."""
    from sim.negotiation.domain import to_frame

    village = village_of(store, room)
    model, people = village.model, village.people
    rows = []
    for meeting in model.meetings:
        trace = meeting.result.trace if meeting.result is not None else None
        if trace is None or trace.offers is None:
            continue
        preview = village.stage in ("talk", "offer") and meeting is model.meetings[-1]
        if preview:
            continue  # the meeting under way: its offers are not made yet
        offers = trace.offers
        for row, (a, b) in enumerate(meeting.pairs.tolist()):
            for step in range(offers.shape[0]):
                x = offers[step, row].astype(float)
                if not np.all(np.isfinite(x)):
                    break
                maker, other = (a, b) if step % 2 == 0 else (b, a)
                if people.held(meeting.season, maker) is not None:
                    continue  # a person's offer is in the record as their decision
                own = x if step % 2 == 0 else to_frame(x[:, None], model.domain.opposed)[:, 0]
                rows.append({"room": room["code"], "season": meeting.season, "seat": maker, "name": None,
                             "person": None, "partner": other, "kind": "offer",
                             "value": {"package": [round(float(v), 4) for v in own]}, "shown": None,
                             "at": None, "by_default": False, "chosen_by": "computer", "closed_by": None,
                             "lang": None, "round": step // 2 + 1, "event": None, "phase": None})
    frame = pd.DataFrame(rows)
    if len(frame):  # when the meeting's offers were settled: the close of its offers stage, in the timeline
        closes = store.events(room["code"]).query("event == 'close' and phase == 'offer'")
        at = closes.groupby("season")["at"].first()
        frame["at"] = frame.season.map(at).astype(float)
    return frame


def _iso(seconds: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def code_commit() -> str | None:
    """The git commit of the code that ran the room (None outside a git checkout): a replay by other code may
    differ, and the record says which code made it."""
    import subprocess
    from pathlib import Path

    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent, capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


RECORD_COLUMNS = ("scenario", "seed", "seasons_played", "settings", "version", "commit", "created", "exported",
                  "pseudonymised")
"""Columns a CSV record carries on every row, so that one file (a browser download) is enough to replay the room."""


def export_bytes(frame: pd.DataFrame, meta: dict[str, Any], kind: str) -> bytes:
    """The record as a file, the same from the app's download buttons and ``rembug room export``: Parquet with the
    settings and seed in its metadata (``pandas.read_parquet(...).attrs["rembug"]``, as every Parquet file the
    command line writes), or CSV with the scenario, seed, seasons played and settings (JSON) as columns."""
    import io

    buffer = io.BytesIO()
    if kind == "parquet":
        frame = frame.copy()
        frame.attrs["rembug"] = meta
        frame.to_parquet(buffer, index=False)
    elif kind == "csv":
        out = frame.assign(**{key: meta.get(key) for key in RECORD_COLUMNS if key != "settings"},
                           settings=json.dumps(meta["settings"], separators=(",", ":")))
        out.to_csv(buffer, index=False)
    else:
        raise RoomError(f"format: csv or parquet; not {kind!r}")
    return buffer.getvalue()


def read_export(data: bytes, kind: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """An exported record back as (frame, meta); RoomError when it is not a room's record."""
    import io

    if kind == "parquet":
        frame = pd.read_parquet(io.BytesIO(data))
        meta = frame.attrs.get("rembug")
        if not meta or "settings" not in meta:
            raise RoomError("the file carries no room settings in its metadata: export it with Rembug")
        frame.attrs = {}
        return frame, meta
    text = {c: str for c in ("room", "kind", "name", "person", "value", "shown", "settings", "scenario", "card",
                             "time", "version", "commit", "created", "exported", "chosen_by", "closed_by", "lang",
                             "event", "phase", "pseudonymised")}
    # answers stay JSON text ("true" must not become a bool), and an empty number is missing
    frame = pd.read_csv(io.BytesIO(data), dtype=text, keep_default_na=False,
                        na_values={c: [""] for c in ("partner", "seat", "round", "at")})
    missing = [c for c in ("scenario", "seed", "seasons_played", "settings") if c not in frame]
    if missing:
        raise RoomError(f"the file has no {', '.join(missing)} column: export it with Rembug")
    if frame.empty:
        raise RoomError("the file has no decisions")
    first = frame.iloc[0]
    try:
        meta = {"room": first["room"], "scenario": first["scenario"], "seed": int(first["seed"]),
                "seasons_played": int(first["seasons_played"]), "settings": json.loads(first["settings"])}
    except (ValueError, TypeError) as error:
        raise RoomError(f"the file's settings cannot be read ({error})") from None
    for key in ("version", "commit", "created", "exported"):
        if key in frame and first[key] not in ("", None):
            meta[key] = first[key]
    if "pseudonymised" in frame:
        meta["pseudonymised"] = first["pseudonymised"] == "True"
    for key in ("seed", "seasons_played", "settings"):
        if frame[key].nunique() > 1:
            raise RoomError(f"column {key}: rows disagree (one room's record has one {key})")
    return frame.drop(columns=[c for c in RECORD_COLUMNS if c in frame]), meta


def check_record(frame: pd.DataFrame, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's decisions as the model reads them, after checking every row against the room's settings: a
    hand-edited or mismatched record is refused with the row and column at fault, never replayed into a different
    village without a word. Rows that are not a seat's decision (the computer's offers, the timeline) are not
    replayed: they are what the replay gives, and what happened around it."""
    from sim.commons.people import KINDS

    if not isinstance(meta.get("settings"), dict) or not meta["settings"].get("world"):
        raise RoomError("settings: the room's settings are missing or empty (they say how many seats, which seed)")
    config = CommonsConfig.model_validate(meta["settings"])
    if config.world.seed != int(meta["seed"]):
        raise RoomError(f"seed: the record says {meta['seed']}, its settings {config.world.seed}")
    played_ = int(meta["seasons_played"])
    if not 0 <= played_ <= config.world.seasons:
        raise RoomError(f"seasons_played: 0 to {config.world.seasons} (the settings' seasons); not {played_}")
    term = config.negotiation.term
    rows, seen = [], set()
    for i, row in enumerate(frame.to_dict("records")):
        where = f"row {i + 2}"  # as a spreadsheet numbers it, under the header
        if row.get("kind") == "stage" or row.get("chosen_by") == "computer":
            continue
        try:
            season, seat = int(row["season"]), int(row["seat"])
            value = json.loads(row["value"]) if isinstance(row["value"], str) else row["value"]
        except (ValueError, TypeError) as error:
            raise RoomError(f"{where}: season, seat and value must be numbers and JSON ({error})") from None
        kind = row["kind"]
        if kind not in KINDS:
            raise RoomError(f"{where}, kind: one of {', '.join(KINDS)}; not {kind!r}")
        if not 0 <= seat < config.world.organisations:
            raise RoomError(f"{where}, seat: 0 to {config.world.organisations - 1}; not {seat}")
        if not 0 <= season < config.world.seasons:
            raise RoomError(f"{where}, season: 0 to {config.world.seasons - 1}; not {season}")
        if season % term:
            raise RoomError(f"{where}, season: a meeting's season (a multiple of {term}, the seasons per meeting); "
                            f"not {season}")
        if (season, seat, kind) in seen:
            raise RoomError(f"{where}: a second {kind!r} for seat {seat} in season {season} (one answer each)")
        seen.add((season, seat, kind))
        if kind == "offer":
            package = value.get("package") if isinstance(value, dict) else None
            if not (isinstance(package, list) and len(package) == 4 and all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in package)):
                raise RoomError(f"{where}, value: an offer is {{\"card\": ..., \"package\": four numbers 0 to 1}}")
        elif not isinstance(value, bool):
            raise RoomError(f"{where}, value: {kind} is true or false; not {row['value']!r}")
        rows.append({"season": season, "seat": seat, "kind": kind, "value": value})
    return rows


def replay_record(frame: pd.DataFrame, meta: dict[str, Any]) -> Village:
    """A room's village at the end of what it played, rebuilt from its exported record alone (checked first)."""
    records = check_record(frame, meta)
    return Village.replay(CommonsConfig.model_validate(meta["settings"]), records, int(meta["seasons_played"]), "lobby")


MAX_SEASONS = 40
"""Seasons a room may play (20 meetings of one season, or 10 meetings of two, ...)."""
MAX_MEETINGS = 20


def most_meetings(term: int) -> int:
    """The most meetings a room of ``term`` seasons per meeting may play (the room's form and :func:`create` both
    ask this)."""
    return min(MAX_MEETINGS, MAX_SEASONS // term)


def create(store: Store, scenario_id: str, config: CommonsConfig, seats: int, seasons: int = ROOM_SEASONS,
           seed: int | None = None, hours: float = 12.0, term: int = 1, mix: bool = False, pin: str | None = None):
    """A room for ``seats`` organisations playing ``seasons`` seasons of the scenario (bots: the scenario's mix),
    meeting every ``term`` seasons (at most 20 meetings), with partners drawn afresh at every meeting when ``mix``,
    and a joining PIN when ``pin``."""
    if not 1 <= term <= MAX_TERM:
        raise RoomError(f"term: 1 to {MAX_TERM} seasons per meeting; you asked for {term}")
    most = most_meetings(term) * term
    if not 1 <= seasons <= most or seasons % term:
        raise RoomError(f"seasons: between 1 and 20; you asked for {seasons}" if term == 1 else
                        f"seasons: a multiple of {term} (the seasons per meeting) between {term} and {most}; "
                        f"you asked for {seasons}")
    check_seats(seats)
    played_config = room_config(config, seats, seasons, seed, term=term, mix=mix)
    return store.create_room(scenario_id, played_config.model_dump(mode="json"), seats,
                             dict(played_config.strategies.mix), hours=hours, pin=pin)
