"""Rooms, seats and decisions in an embedded SQLite database: nothing is lost to a server restart or a reload.

Every write is one transaction (``BEGIN IMMEDIATE``: writers queue, readers never see half a write). A decision is
unique per room, season, meeting, seat and kind, so two answers for the same seat at the same instant cannot both
count: the second is refused with :class:`AlreadyAnswered`, whatever the timing. The database runs in WAL mode, so
the projector can read while phones write.

Who may do what is decided here, not in the pages: an action for a seat needs that seat's token, a facilitator's
action needs the room's secret; forged, missing or other seats' tokens are :class:`Refused`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from rooms.keys import digest, matches, new_room_code, new_secret, normalise_code

MAX_SEATS = 60
MAX_NAME = 24
ROOM_HOURS = 12.0  # a room lives for a workshop day, then expires
PHASES = ("lobby", "talk", "offer", "act", "results", "debrief")  # a season's stages: see rooms.game
ASKED = {"talk": ("disclose",), "offer": ("offer",), "act": ("invest", "keep")}  # what each stage asks of a seat
HEARTBEAT = 3.0  # a page polling once a second records that it is there at most this often (a write each time)
TIMER = 60.0  # seconds a stage gives participants before the default answers are taken
PRESENT = 20.0  # a participant whose phone has not been heard from for this long has dropped out (a bot plays)
PRESENT_VARIABLE = "REMBUG_ROOM_PRESENT_SECONDS"  # overrides PRESENT (tests: a drop without a 20 s wait)

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY,
    facilitator TEXT NOT NULL,          -- SHA-256 of the facilitator's secret
    scenario TEXT NOT NULL,
    config TEXT NOT NULL,               -- the room's settings (JSON), seed included
    seats INTEGER NOT NULL,
    bots TEXT NOT NULL,                 -- the strategy mix of the bots that fill empty seats (JSON)
    created REAL NOT NULL,
    expires REAL NOT NULL,
    season INTEGER NOT NULL DEFAULT 0,
    meeting INTEGER NOT NULL DEFAULT 0,
    phase TEXT NOT NULL DEFAULT 'lobby',
    timer REAL NOT NULL DEFAULT 60,     -- seconds per stage
    deadline REAL,                      -- when the stage's time runs out (NULL: no timer running)
    paused REAL                         -- seconds left when the facilitator paused (NULL: running)
);
CREATE TABLE IF NOT EXISTS seats (
    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
    seat INTEGER NOT NULL,
    token TEXT,                         -- SHA-256 of the seat's token; NULL while a bot holds the seat
    name TEXT,
    joined REAL,
    last_seen REAL,
    PRIMARY KEY (room, seat)
);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
    season INTEGER NOT NULL,
    meeting INTEGER NOT NULL,
    seat INTEGER NOT NULL,
    partner INTEGER,
    kind TEXT NOT NULL,                 -- disclose, answer, invest, keep
    value TEXT NOT NULL,                -- JSON
    shown TEXT NOT NULL,                -- JSON: what the participant saw when deciding
    at REAL NOT NULL,
    by_default INTEGER NOT NULL DEFAULT 0,  -- 1 when the timer ran out and the default answer was taken
    UNIQUE (room, season, meeting, seat, kind)
);
"""

KINDS = ("disclose", "offer", "invest", "keep")
ADDED_COLUMNS = {"timer": "REAL NOT NULL DEFAULT 60", "deadline": "REAL", "paused": "REAL"}


def check_seats(seats: int) -> None:
    """A room holds 2 to MAX_SEATS seats (said before anything is built for it)."""
    if not 2 <= seats <= MAX_SEATS:
        raise RoomError(f"seats: between 2 and {MAX_SEATS}; you asked for {seats}")


def spread(seats: int) -> list[int]:
    """The order seats are given out in: spread along the river from the first joiner on (0, the middle, a quarter,
    three quarters, ...: the van der Corput sequence), so a room of a few people is not all at the head."""
    order: list[int] = []
    k = 0
    while len(order) < seats:
        x, f, i = 0.0, 0.5, k
        while i:
            x, i, f = x + f * (i & 1), i >> 1, f / 2
        seat = int(x * seats)
        if seat not in order:
            order.append(seat)
        k += 1
        if k > 64 * seats:  # never needed: every seat is reached long before
            order += [s for s in range(seats) if s not in order]
    return order


class RoomError(ValueError):
    """Something a person asked for that cannot be done, said in words they can act on."""


class Refused(PermissionError):
    """An action without the right key: a forged or missing token, another seat's, or a facilitator action from a
    participant."""


class NotNow(RoomError):
    """An answer to a question the room has moved past (or not reached): the page is redrawn, nothing is recorded."""


class AlreadyAnswered(RoomError):
    """This seat has already decided this (the first answer counts)."""


@dataclass(frozen=True)
class RoomKeys:
    code: str
    facilitator_secret: str


@dataclass(frozen=True)
class SeatKeys:
    code: str
    seat: int
    token: str


def clean_name(raw: str) -> str:
    """A display name: trimmed, control characters dropped, 1 to MAX_NAME characters (escaped when shown)."""
    name = "".join(ch for ch in unicodedata.normalize("NFC", str(raw)) if unicodedata.category(ch)[0] != "C").strip()
    if not name:
        raise RoomError("name: write a name of 1 to 24 characters")
    if len(name) > MAX_NAME:
        raise RoomError(f"name: at most {MAX_NAME} characters; yours has {len(name)}")
    return name


def present_seconds() -> float:
    """How long a phone may stay silent before its seat counts as dropped: ``$REMBUG_ROOM_PRESENT_SECONDS`` when it
    is set (a positive number), else :data:`PRESENT` (20 s)."""
    raw = os.environ.get(PRESENT_VARIABLE, "").strip()
    if not raw:
        return PRESENT
    try:
        seconds = float(raw)
    except ValueError:
        raise RoomError(f"{PRESENT_VARIABLE}: a number of seconds; not {raw!r}") from None
    if not seconds > 0:
        raise RoomError(f"{PRESENT_VARIABLE}: more than 0 seconds; not {raw!r}")
    return seconds


class Store:
    """The rooms database in one SQLite file (``:memory:`` for a throwaway one). Safe to open from several threads
    and processes: each call takes its own connection."""

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time) -> None:
        self.path = str(path)
        self.clock = clock
        self._memory = sqlite3.connect(":memory:", check_same_thread=False) if self.path == ":memory:" else None
        with self._connection() as db:
            if self._memory is None:
                db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            known = {row[1] for row in db.execute("PRAGMA table_info(rooms)")}
            for column, kind in ADDED_COLUMNS.items():  # a database from an earlier version gains the new columns
                if column not in known:
                    db.execute(f"ALTER TABLE rooms ADD COLUMN {column} {kind}")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        db = self._memory or sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys=ON")
        try:
            yield db
        finally:
            if self._memory is None:
                db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing; concurrent writers wait their turn."""
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- rooms -------------------------------------------------------------------------------------------------------
    def create_room(self, scenario: str, config: dict[str, Any], seats: int, bots: dict[str, float],
                    hours: float = ROOM_HOURS) -> RoomKeys:
        check_seats(seats)
        if not 0 < hours <= 72:
            raise RoomError(f"hours: between 0 and 72; you asked for {hours}")
        secret = new_secret()
        now = self.clock()
        with self.transaction() as db:
            for _ in range(20):  # a clash among 31**6 codes is rare; never reuse a live code
                code = new_room_code()
                if db.execute("SELECT 1 FROM rooms WHERE code = ?", (code,)).fetchone() is None:
                    break
            else:
                raise RoomError("no free room code: try again")
            db.execute(
                "INSERT INTO rooms (code, facilitator, scenario, config, seats, bots, created, expires) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (code, digest(secret), scenario, json.dumps(config), seats, json.dumps(bots), now, now + hours * 3600),
            )
            db.executemany("INSERT INTO seats (room, seat) VALUES (?, ?)", [(code, s) for s in range(seats)])
        return RoomKeys(code, secret)

    def room(self, code: str, expired: bool = False) -> dict[str, Any]:
        """A live room's public state (never its secret), or RoomError if there is no such room or it expired
        (``expired=True``: an expired room too, whose record a facilitator may still export)."""
        code = normalise_code(code)
        with self._connection() as db:
            row = db.execute("SELECT * FROM rooms WHERE code = ?", (code,)).fetchone()
        if row is None or (row["expires"] <= self.clock() and not expired):
            raise RoomError(f"room {code}: no such room (check the code, or it has expired)")
        out = {key: row[key] for key in row.keys() if key != "facilitator"}
        out["config"], out["bots"] = json.loads(out["config"]), json.loads(out["bots"])
        return out

    def _facilitator(self, db: sqlite3.Connection, code: str, secret: str | None) -> sqlite3.Row:
        row = db.execute("SELECT * FROM rooms WHERE code = ?", (code,)).fetchone()
        if row is None or row["expires"] <= self.clock():
            raise RoomError(f"room {code}: no such room (check the code, or it has expired)")
        if not matches(secret, row["facilitator"]):
            raise Refused("only the facilitator's link can do this")
        return row

    def is_facilitator(self, code: str, secret: str | None) -> bool:
        with self._connection() as db:
            row = db.execute("SELECT facilitator FROM rooms WHERE code = ?", (normalise_code(code),)).fetchone()
        return row is not None and matches(secret, row["facilitator"])

    def advance(self, code: str, secret: str | None, phase: str, season: int | None = None,
                meeting: int | None = None, expect: tuple[str, int] | None = None) -> bool:
        """The facilitator moves the room to ``phase`` (of ``season``); a stage that asks something starts its timer.
        With ``expect`` (phase, season) it moves only from there, so two closers at once (the timer and a tap on
        Next, or two facilitator tabs) move the room one step, not two. Returns whether it moved."""
        if phase not in PHASES:
            raise RoomError(f"phase: one of {', '.join(PHASES)}; not {phase!r}")
        code = normalise_code(code)
        with self.transaction() as db:
            row = self._facilitator(db, code, secret)
            if expect is not None and (row["phase"], row["season"]) != tuple(expect):
                return False
            deadline = self.clock() + row["timer"] if phase in ASKED else None
            db.execute("UPDATE rooms SET phase = ?, season = ?, meeting = ?, deadline = ?, paused = NULL WHERE code = ?",
                       (phase, row["season"] if season is None else season,
                        row["meeting"] if meeting is None else meeting, deadline, code))
        return True

    def pause(self, code: str, secret: str | None, paused: bool) -> None:
        """Stop the stage's clock (the time left is kept) or start it again."""
        code = normalise_code(code)
        with self.transaction() as db:
            row = self._facilitator(db, code, secret)
            now = self.clock()
            if paused and row["paused"] is None:
                left = max(0.0, row["deadline"] - now) if row["deadline"] is not None else None
                db.execute("UPDATE rooms SET paused = ? WHERE code = ?", (-1.0 if left is None else left, code))
            elif not paused and row["paused"] is not None:
                deadline = None if row["paused"] < 0 else now + row["paused"]
                db.execute("UPDATE rooms SET paused = NULL, deadline = ? WHERE code = ?", (deadline, code))

    def set_timer(self, code: str, secret: str | None, seconds: float) -> None:
        """Seconds each stage gives participants from now on (10 to 600)."""
        if not 10 <= seconds <= 600:
            raise RoomError(f"timer: between 10 and 600 seconds; you asked for {seconds}")
        code = normalise_code(code)
        with self.transaction() as db:
            self._facilitator(db, code, secret)
            db.execute("UPDATE rooms SET timer = ? WHERE code = ?", (float(seconds), code))

    def time_left(self, room: dict[str, Any]) -> float | None:
        """Seconds left in the room's stage (None when no timer runs)."""
        if room.get("paused") is not None:
            return None if room["paused"] < 0 else float(room["paused"])
        if room.get("deadline") is None:
            return None
        return max(0.0, room["deadline"] - self.clock())

    def version(self, code: str, seat: int | None = None) -> tuple:
        """A cheap fingerprint of everything a page shows (stage, pause, seats, decisions): pages poll it and redraw
        only when it changes. With ``seat``, the fingerprint of that seat's phone: only the decisions of that seat
        and of those who recorded it as their partner count, so a phone need not redraw each time anyone in the room
        answers (30 phones redrawing on every answer is most of a room's load on the server)."""
        code = normalise_code(code)
        mine = "" if seat is None else " AND (seat = ? OR partner = ?)"
        with self._connection() as db:
            row = db.execute(
                "SELECT phase, season, paused IS NOT NULL, timer, "
                f"(SELECT COUNT(*) FROM decisions WHERE room = ?{mine}), (SELECT COUNT(*) FROM seats WHERE room = ? "
                "AND token IS NOT NULL) FROM rooms WHERE code = ?",
                (code, *(() if seat is None else (seat, seat)), code, code)).fetchone()
        return tuple(row) if row is not None else ()

    # -- seats -------------------------------------------------------------------------------------------------------
    def join(self, code: str, name: str) -> SeatKeys:
        """Take a free seat under ``name`` (seats fill along the whole river, see :func:`spread`); the returned token
        is the participant's key to it. Names are unique in a room (the projector must tell people apart)."""
        code, name = normalise_code(code), clean_name(name)
        token = new_secret()
        now = self.clock()
        with self.transaction() as db:
            room = db.execute("SELECT expires, phase, seats FROM rooms WHERE code = ?", (code,)).fetchone()
            if room is None or room["expires"] <= now:
                raise RoomError(f"room {code}: no such room (check the code, or it has expired)")
            if room["phase"] == "debrief":
                raise RoomError(f"room {code}: the game has ended")
            taken = db.execute("SELECT seat, name FROM seats WHERE room = ? AND token IS NOT NULL", (code,)).fetchall()
            if any((r["name"] or "").casefold() == name.casefold() for r in taken):
                raise RoomError(f"name: {name!r} is already taken in this room; add a letter or your village")
            used = {int(r["seat"]) for r in taken}
            free = next((seat for seat in spread(room["seats"]) if seat not in used), None)
            if free is None:
                raise RoomError(f"room {code}: every seat is taken")
            db.execute("UPDATE seats SET token = ?, name = ?, joined = ?, last_seen = ? WHERE room = ? AND seat = ?",
                       (digest(token), name, now, now, code, free))
        return SeatKeys(code, free, token)

    def seat_of(self, code: str, token: str | None) -> int:
        """The seat a token opens (a reload with the same token gets the same seat back), or Refused."""
        code = normalise_code(code)
        if not token:
            raise Refused("this link has no seat: join the room first")
        with self._connection() as db:
            row = db.execute("SELECT seat, last_seen FROM seats WHERE room = ? AND token = ?",
                             (code, digest(token))).fetchone()
        if row is None:
            raise Refused("this seat key is not valid for this room")
        now = self.clock()
        if row["last_seen"] is None or now - row["last_seen"] >= HEARTBEAT:  # a write only every few seconds
            with self.transaction() as db:
                db.execute("UPDATE seats SET last_seen = ? WHERE room = ? AND seat = ?", (now, code, row["seat"]))
        return int(row["seat"])

    def seats(self, code: str) -> pd.DataFrame:
        """Every seat: its name (None while a bot holds it) and when it was last seen."""
        with self._connection() as db:
            rows = db.execute("SELECT seat, name, joined, last_seen, token IS NOT NULL AS taken FROM seats "
                              "WHERE room = ? ORDER BY seat", (normalise_code(code),)).fetchall()
        return pd.DataFrame([dict(r) for r in rows], columns=["seat", "name", "joined", "last_seen", "taken"])

    def present(self, code: str, within: float | None = None) -> set[int]:
        """Seats taken by a participant whose page was heard from in the last ``within`` seconds (by default
        :data:`PRESENT`, 20 s, or ``$REMBUG_ROOM_PRESENT_SECONDS`` when set; read at each call, so a server started
        with it, as the protocol test does, drops a silent phone after that many seconds)."""
        if within is None:
            within = present_seconds()
        with self._connection() as db:
            rows = db.execute("SELECT seat FROM seats WHERE room = ? AND token IS NOT NULL AND last_seen >= ?",
                              (normalise_code(code), self.clock() - within)).fetchall()
        return {int(r["seat"]) for r in rows}

    # -- decisions ---------------------------------------------------------------------------------------------------
    def decide(self, code: str, token: str | None, kind: str, value: Any, shown: dict[str, Any],
               partner: int | None = None) -> int:
        """Record a participant's decision for their own seat in the room's current season and meeting."""
        seat = self.seat_of(code, token)
        return self._record(normalise_code(code), seat, kind, value, shown, partner, by_default=False)

    def decide_by_default(self, code: str, secret: str | None, seat: int, kind: str, value: Any,
                          shown: dict[str, Any], partner: int | None = None) -> int:
        """The facilitator's timer ran out: the default answer is recorded for ``seat`` (and marked as such)."""
        code = normalise_code(code)
        with self._connection() as db:
            self._facilitator(db, code, secret)
        return self._record(code, seat, kind, value, shown, partner, by_default=True)

    def _record(self, code: str, seat: int, kind: str, value: Any, shown: dict[str, Any], partner: int | None,
                by_default: bool) -> int:
        if kind not in KINDS:
            raise RoomError(f"kind: one of {', '.join(KINDS)}; not {kind!r}")
        with self.transaction() as db:
            room = db.execute("SELECT season, meeting, expires, phase FROM rooms WHERE code = ?", (code,)).fetchone()
            if room is None or room["expires"] <= self.clock():
                raise RoomError(f"room {code}: no such room (check the code, or it has expired)")
            if kind not in ASKED.get(room["phase"], ()):
                raise NotNow(f"{kind}: not asked now (the room is at {room['phase']!r})")
            try:
                cursor = db.execute(
                    "INSERT INTO decisions (room, season, meeting, seat, partner, kind, value, shown, at, by_default) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (code, room["season"], room["meeting"], seat, partner, kind, json.dumps(value), json.dumps(shown),
                     self.clock(), int(by_default)),
                )
            except sqlite3.IntegrityError:
                raise AlreadyAnswered(f"seat {seat} has already answered {kind!r} in this meeting") from None
        return int(cursor.lastrowid)

    def decisions(self, code: str) -> pd.DataFrame:
        """Every decision of the room as one tidy table (oTree-style): when, which seat, with whom, what it chose and
        what it was shown; ``by_default`` marks answers the timer took."""
        with self._connection() as db:
            rows = db.execute("SELECT season, meeting, seat, partner, kind, value, shown, at, by_default "
                              "FROM decisions WHERE room = ? ORDER BY id", (normalise_code(code),)).fetchall()
        frame = pd.DataFrame([dict(r) for r in rows],
                             columns=["season", "meeting", "seat", "partner", "kind", "value", "shown", "at", "by_default"])
        for column in ("value", "shown"):
            frame[column] = frame[column].map(json.loads)
        frame["by_default"] = frame["by_default"].astype(bool)
        return frame

    def remove_expired(self) -> int:
        """Delete rooms past their time (with their seats and decisions); returns how many."""
        with self.transaction() as db:
            return db.execute("DELETE FROM rooms WHERE expires <= ?", (self.clock(),)).rowcount
