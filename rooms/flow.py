"""How a room moves: participants answer, the facilitator (or the timer) closes a stage, the season is played.

Every page calls these, never the store and the model separately, so the rules live in one place:

- a participant's answer is checked against what their seat is asked now, and recorded with what they were shown;
- a stage closes when the facilitator says so, when its timer runs out, or once every participant present has
  answered; then each present participant who did not answer gets the default answer (recorded as such, and shown
  to them), and a seat whose phone has dropped out is played by a bot;
- the village is the replay of the record (:mod:`rooms.game`), cached per version of the room.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any

import pandas as pd

from rooms.game import ROOM_SEASONS, Village, room_config, season_frame, village_outcome, villages
from rooms.store import ASKED, AlreadyAnswered, NotNow, Refused, RoomError, Store, check_seats
from sim.commons import CommonsConfig

NEXT = {"lobby": "talk", "talk": "offer", "offer": "act", "act": "results", "results": "talk"}


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

    @property
    def answered(self) -> frozenset[tuple[int, str]]:
        """(seat, kind) answered in the room's current season."""
        now = self.decisions[self.decisions.season == self.room["season"]]
        return frozenset(zip(now.seat.astype(int), now.kind, strict=True))

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

    def seat_answers(self, seat: int) -> pd.DataFrame:
        """``seat``'s decisions in the current season."""
        d = self.decisions
        return d[(d.season == self.room["season"]) & (d.seat == seat)]


_CACHE: OrderedDict[tuple, Any] = OrderedDict()
_LOCK = Lock()


def _cached(key: tuple, make):
    """One computation per version of a room, shared by every page (the last 64 kept)."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = make()
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > 64:
            _CACHE.popitem(last=False)
    return value


def settings(room: dict[str, Any]) -> CommonsConfig:
    return CommonsConfig.model_validate(room["config"])


def village_of(store: Store, room: dict[str, Any]) -> Village:
    """The room's village at its stage, replayed from its record (one replay per version, shared by every page)."""
    stage = room["phase"]
    season = room["season"]
    if stage == "debrief":
        stage, season = "lobby", played(room)
    key = ("village", store.path, room["code"], season, stage, store.version(room["code"])[4])
    return _cached(key, lambda: Village.replay(settings(room), store.decisions(room["code"]).to_dict("records"),
                                               season, stage))


def played(room: dict[str, Any]) -> int:
    """Seasons the room has played to the end."""
    return room["season"] + 1 if room["phase"] in ("results", "debrief") else room["season"]


def state(store: Store, code: str) -> RoomState:
    room = store.room(code)
    seats = store.seats(room["code"])
    names = {int(r.seat): str(r.name) for r in seats.itertuples() if r.taken}
    return RoomState(room, settings(room), village_of(store, room), names, frozenset(store.present(room["code"])),
                     store.decisions(room["code"]))


def answer(store: Store, code: str, token: str | None, kind: str, value: Any) -> int:
    """Record a participant's answer for their own seat, checked against what the seat is asked now."""
    seat = store.seat_of(code, token)
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
    return store.decide(code, token, kind, value, shown, partner=partner)


def waiting_for(store: Store, code: str) -> tuple[set[int], set[int]]:
    """(present seats still to answer at this stage, present seats asked something)."""
    return state(store, code).waiting()


CLOSED_BY = ("facilitator", "timer", "everyone")  # who ended a stage: recorded with each default answer it gave


def close_stage(store: Store, code: str, secret: str | None, by: str = "facilitator") -> str:
    """End the stage: default answers for present participants who did not answer (and, at the offers, for anyone
    who already spoke in this meeting: their partner was told a person sits there), then the next stage (or the
    debrief after the last season). Returns the new stage."""
    if by not in CLOSED_BY:
        raise ValueError(f"by: one of {', '.join(CLOSED_BY)}; not {by!r}")
    if not store.is_facilitator(code, secret):
        raise Refused("only the facilitator's link can do this")
    st = state(store, code)
    room, village = st.room, st.village
    stage, season = room["phase"], room["season"]
    if stage in ASKED:
        answered = st.answered
        for seat in sorted(st.present | (st.spoke if stage == "offer" else set())):
            for kind in village.asked(seat):
                if (seat, kind) in answered:
                    continue
                try:
                    store.decide_by_default(code, secret, seat, kind, village.default(seat, kind),
                                            {**village.shown(seat), "closed_by": by}, partner=village.partner(seat))
                except AlreadyAnswered:  # the participant answered at the last instant: theirs counts
                    pass
    if stage == "debrief":
        return stage
    if stage == "results" and season + 1 >= st.config.world.seasons:
        new, season_after = "debrief", season
    else:
        new, season_after = NEXT[stage], season + 1 if stage == "results" else season
    moved = store.advance(code, secret, new, season=season_after, expect=(stage, season))
    return new if moved else store.room(code)["phase"]


def tick(store: Store, code: str, secret: str | None) -> str | None:
    """Called by the projector as it refreshes: close the stage when its time is up or everyone present has
    answered (None when nothing changed)."""
    room = store.room(code)
    if room["phase"] not in ASKED or room["paused"] is not None:
        return None
    left = store.time_left(room)
    st = state(store, code)
    missing, _ = st.waiting()
    everyone_answered = bool(st.present) and not missing  # nobody present left to answer (not: nobody there at all)
    if (left is not None and left <= 0) or everyone_answered:
        return close_stage(store, code, secret, by="everyone" if everyone_answered else "timer")
    return None


def reveal_debrief(store: Store, code: str, secret: str | None) -> None:
    """The facilitator ends the game early (after at least one season), or after the last."""
    room = store.room(code)
    if played(room) < 1:
        raise RoomError("debrief: play at least one season first")
    season = room["season"] if room["phase"] == "results" else room["season"] - 1
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


def record(store: Store, code: str, secret: str | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The room's data for research: one tidy row per decision (when, season, seat, name, partner, what was asked,
    the answer, what the seat was shown, whether the answer was a default and who closed the stage then), and the
    room's settings, seed and provenance. An expired room's record can still be exported (by its facilitator)."""
    from sim import __version__

    if not store.is_facilitator(code, secret):
        raise Refused("only the facilitator's link can do this")
    room = store.room(code, expired=True)
    frame = store.decisions(code).drop(columns=["meeting"])  # one meeting per season: the season says it
    names = store.seats(code).set_index("seat").name
    frame.insert(0, "room", room["code"])
    frame.insert(3, "name", frame.seat.map(names))
    frame.insert(frame.columns.get_loc("at") + 1, "time",
                 pd.to_datetime(frame["at"], unit="s", utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    frame["card"] = [v.get("card") if isinstance(v, dict) else None for v in frame["value"]]
    frame["value"] = frame["value"].map(json.dumps)
    frame["shown"] = frame["shown"].map(json.dumps)
    meta = {"room": room["code"], "scenario": room["scenario"], "seed": room["config"]["world"]["seed"],
            "seasons_played": played(room), "settings": room["config"], "version": __version__,
            "commit": code_commit(), "created": _iso(room["created"]), "exported": _iso(time.time())}
    return frame, meta


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


RECORD_COLUMNS = ("scenario", "seed", "seasons_played", "settings", "version", "commit", "created", "exported")
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
    text = {c: str for c in ("room", "kind", "name", "value", "shown", "settings", "scenario", "card", "time",
                             "version", "commit", "created", "exported")}
    # answers stay JSON text ("true" must not become a bool), and an empty partner is missing
    frame = pd.read_csv(io.BytesIO(data), dtype=text, keep_default_na=False, na_values={"partner": [""]})
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
    for key in ("seed", "seasons_played", "settings"):
        if frame[key].nunique() > 1:
            raise RoomError(f"column {key}: rows disagree (one room's record has one {key})")
    return frame.drop(columns=[c for c in RECORD_COLUMNS if c in frame]), meta


def check_record(frame: pd.DataFrame, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's decisions as the model reads them, after checking every row against the room's settings: a
    hand-edited or mismatched record is refused with the row and column at fault, never replayed into a different
    village without a word."""
    from sim.commons.people import KINDS

    if not isinstance(meta.get("settings"), dict) or not meta["settings"].get("world"):
        raise RoomError("settings: the room's settings are missing or empty (they say how many seats, which seed)")
    config = CommonsConfig.model_validate(meta["settings"])
    if config.world.seed != int(meta["seed"]):
        raise RoomError(f"seed: the record says {meta['seed']}, its settings {config.world.seed}")
    played_ = int(meta["seasons_played"])
    if not 0 <= played_ <= config.world.seasons:
        raise RoomError(f"seasons_played: 0 to {config.world.seasons} (the settings' seasons); not {played_}")
    rows, seen = [], set()
    for i, row in enumerate(frame.to_dict("records")):
        where = f"row {i + 2}"  # as a spreadsheet numbers it, under the header
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


def create(store: Store, scenario_id: str, config: CommonsConfig, seats: int, seasons: int = ROOM_SEASONS,
           seed: int | None = None, hours: float = 12.0):
    """A room for ``seats`` organisations playing ``seasons`` seasons of the scenario (bots: the scenario's mix)."""
    if not 1 <= seasons <= 20:
        raise RoomError(f"seasons: between 1 and 20; you asked for {seasons}")
    check_seats(seats)
    played_config = room_config(config, seats, seasons, seed)
    return store.create_room(scenario_id, played_config.model_dump(mode="json"), seats,
                             dict(played_config.strategies.mix), hours=hours)
