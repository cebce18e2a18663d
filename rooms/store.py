"""Rooms, seats and decisions in an embedded SQLite database: nothing is lost to a server restart or a reload.

Every write is one transaction (``BEGIN IMMEDIATE``: writers queue, readers never see half a write). A decision is
unique per room, season, meeting, seat and kind, so two answers for the same seat at the same instant cannot both
count: the second is refused with :class:`AlreadyAnswered`, whatever the timing. The database runs in WAL mode, so
the projector can read while phones write.

Who may do what is decided here, not in the pages: an action for a seat needs that seat's token, a facilitator's
action needs the room's secret; forged, missing or other seats' tokens are :class:`Refused`. The facilitator can
remove or rename a participant (the seat goes back to the computer; what they decided stays in the record under the
name they had), lock joining, and ask for a PIN on top of the room code. Only the server's own clock
(:mod:`rooms.clock`) acts without a key, and only to close a stage whose time is up or that everyone has answered.

The record keeps who played each seat when (``people``: a row per person who sat there, with the phone's language),
and every stage's timeline (``events``: opened, closed and by whom, paused, resumed, the timer changed, a seat
removed or renamed). The file is readable by its owner only (0600), with its WAL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any

import pandas as pd

from rooms.keys import digest, matches, new_room_code, new_secret, normalise_code
from rooms.names import MAX_NAME, BadName, looks_like
from rooms.names import clean as _clean

MAX_SEATS = 60
ROOM_HOURS = 12.0  # a room lives for a workshop day, then expires
PHASES = ("lobby", "talk", "offer", "act", "results", "debrief")  # a season's stages: see rooms.game
ASKED = {"talk": ("disclose",), "offer": ("offer",), "act": ("invest", "keep")}  # what each stage asks of a seat
HEARTBEAT = 3.0  # a page polling once a second records that it is there at most this often (a write each time)
TIMER = 60.0  # seconds a stage gives participants before the default answers are taken
PRESENT = 20.0  # a participant whose phone has not been heard from for this long has dropped out (a bot plays)
POOL = 8  # connections a store keeps open between calls (more callers at once open and close their own)
PRESENT_VARIABLE = "REMBUG_ROOM_PRESENT_SECONDS"  # overrides PRESENT (tests: a drop without a 20 s wait)
OUTAGE = 5.0  # a new server process whose clock was not heard from for longer than this: the server was down
ASLEEP = 30.0  # the same process's clock silent this long: the laptop slept (a slow round never takes this long)
PIN_TRIES = 20  # wrong PINs a room takes in a minute before it refuses PINs for the rest of that minute
LANGUAGES = ("en", "id")

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
    paused REAL,                        -- seconds left when the facilitator paused (NULL: running)
    opened REAL,                        -- when the stage opened
    locked INTEGER NOT NULL DEFAULT 0,  -- 1: nobody new may join
    pin TEXT,                           -- SHA-256 of the room code and its joining PIN (NULL: no PIN)
    pin_misses INTEGER NOT NULL DEFAULT 0,  -- wrong PINs since pin_window
    pin_window REAL,
    revision INTEGER NOT NULL DEFAULT 0 -- moves with each facilitator change the pages show (names, lock, PIN)
);
CREATE TABLE IF NOT EXISTS seats (
    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
    seat INTEGER NOT NULL,
    token TEXT,                         -- SHA-256 of the seat's token; NULL while a bot holds the seat
    name TEXT,
    joined REAL,
    last_seen REAL,
    person INTEGER,                     -- people.id of who sits there now
    lang TEXT,                          -- the language their phone shows
    PRIMARY KEY (room, seat)
);
CREATE TABLE IF NOT EXISTS people (     -- everyone who has sat at a seat, kept after they leave or are removed
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
    seat INTEGER NOT NULL,
    name TEXT NOT NULL,
    joined REAL NOT NULL,
    left REAL,                          -- when the facilitator removed them (NULL: still there)
    lang TEXT
);
CREATE TABLE IF NOT EXISTS events (     -- the room's timeline
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
    season INTEGER NOT NULL,
    phase TEXT NOT NULL,
    event TEXT NOT NULL,                -- open, close, pause, resume, timer, lock, unlock, pin, remove, rename, outage
    by TEXT,                            -- facilitator, timer, everyone, server
    seat INTEGER,
    detail TEXT,                        -- JSON
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS server (     -- the server's clock: when it last ticked (an outage is a gap in these)
    id INTEGER PRIMARY KEY CHECK (id = 1),
    beat REAL,
    resumed REAL,
    process TEXT                        -- which server process ticked (a new one after a restart)
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
    person INTEGER,                     -- people.id of who sat at the seat (NULL in records from before it was kept)
    lang TEXT,                          -- the language the phone showed
    UNIQUE (room, season, meeting, seat, kind)
);
"""

KINDS = ("disclose", "offer", "invest", "keep")
ADDED_COLUMNS = {  # a database from an earlier version gains these
    "rooms": {"timer": "REAL NOT NULL DEFAULT 60", "deadline": "REAL", "paused": "REAL", "opened": "REAL",
              "locked": "INTEGER NOT NULL DEFAULT 0", "pin": "TEXT", "pin_misses": "INTEGER NOT NULL DEFAULT 0",
              "pin_window": "REAL", "revision": "INTEGER NOT NULL DEFAULT 0"},
    "seats": {"person": "INTEGER", "lang": "TEXT"},
    "decisions": {"person": "INTEGER", "lang": "TEXT"},
    "server": {"process": "TEXT"},
}


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
    """A display name (see :mod:`rooms.names`): NFKC, nothing invisible, 1 to MAX_NAME characters."""
    try:
        return _clean(raw)
    except BadName as error:
        raise RoomError(str(error)) from None


def check_pin(pin: str) -> str:
    """A joining PIN: 3 to 8 digits (said on the projector, typed on a phone)."""
    pin = "".join(str(pin).split())
    if not (pin.isascii() and pin.isdigit() and 3 <= len(pin) <= 8):
        raise RoomError("pin: 3 to 8 digits")
    return pin


def _pin_digest(code: str, pin: str) -> str:
    return digest(f"{code}:{pin}")


def _private(path: str) -> None:
    """The database and its WAL readable by their owner only: they hold names and every decision. SQLite gives the
    WAL and shared-memory files the database file's permissions, so the file is created 0600 before SQLite opens it,
    and an older file (or its WAL) is narrowed."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError:
        return  # SQLite says what is wrong with the path when it opens it
    for suffix in ("", "-wal", "-shm"):
        try:
            if os.stat(path + suffix).st_mode & 0o077:
                os.chmod(path + suffix, 0o600)
        except OSError:
            pass


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
        self._heard: dict[tuple[str, int], float] = {}  # phones heard from, not yet written (see seat_of and beat)
        self._heard_lock = Lock()
        self._flushed: float | None = None  # when the server's clock last wrote them (None: no clock on this store)
        self._pool: list[sqlite3.Connection] = []  # open connections, lent one caller at a time (see _connection)
        self._pool_lock = Lock()
        # a decision's value and shown, by id, read from JSON once (see decisions): every answer re-reads the whole
        # record, some 700 decisions by a 60-seat room's third season
        self._parsed: dict[int, tuple[Any, Any]] = {}
        self._parsed_lock = Lock()
        if self._memory is None:
            _private(self.path)
        with self._connection() as db:
            if self._memory is None:
                db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            for table, columns in ADDED_COLUMNS.items():
                known = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                for column, kind in columns.items():
                    if column not in known:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection of this store's own, lent to one caller at a time. Opening one per call cost a sixth of the
        server's CPU with sixty phones polling (py-spy, benchmarks/room.py --seats 60); a few kept open serve every
        page's thread in turn (SQLite allows a connection to move between threads when only one uses it at once)."""
        if self._memory is not None:
            yield self._memory
            return
        with self._pool_lock:
            db = self._pool.pop() if self._pool else None
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys=ON")
            # In WAL mode, NORMAL syncs at checkpoints, not at every commit: a commit survives the server being killed
            # (it is in the operating system's hands), only a power cut may lose the last ones. A sync per commit
            # cost ~30 ms on this machine under load, and every answer queued behind the heartbeats' writes.
            db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield db
        finally:
            if db.in_transaction:  # a caller left a transaction open: never lend it on
                db.close()
            else:
                with self._pool_lock:
                    if len(self._pool) < POOL:
                        self._pool.append(db)
                        db = None
                if db is not None:
                    db.close()

    def close(self) -> None:
        """Close the connections this store keeps open (a store is usable again afterwards: it opens new ones)."""
        with self._pool_lock:
            pool, self._pool = self._pool, []
        for db in pool:
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
                    hours: float = ROOM_HOURS, pin: str | None = None) -> RoomKeys:
        check_seats(seats)
        if not 0 < hours <= 72:
            raise RoomError(f"hours: between 0 and 72; you asked for {hours}")
        pin = check_pin(pin) if pin else None
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
                "INSERT INTO rooms (code, facilitator, scenario, config, seats, bots, created, expires, pin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (code, digest(secret), scenario, json.dumps(config), seats, json.dumps(bots), now, now + hours * 3600,
                 _pin_digest(code, pin) if pin else None),
            )
            db.executemany("INSERT INTO seats (room, seat) VALUES (?, ?)", [(code, s) for s in range(seats)])
            self._event(db, code, 0, "lobby", "open", "facilitator")
        return RoomKeys(code, secret)

    def room(self, code: str, expired: bool = False) -> dict[str, Any]:
        """A live room's public state (never its secret), or RoomError if there is no such room or it expired
        (``expired=True``: an expired room too, whose record a facilitator may still export). ``pin`` says only
        whether joining needs one."""
        code = normalise_code(code)
        with self._connection() as db:
            row = db.execute("SELECT * FROM rooms WHERE code = ?", (code,)).fetchone()
        if row is None or (row["expires"] <= self.clock() and not expired):
            raise RoomError(f"room {code}: no such room (check the code, or it has expired)")
        out = {key: row[key] for key in row.keys() if key not in ("facilitator", "pin_misses", "pin_window")}
        out["config"], out["bots"] = json.loads(out["config"]), json.loads(out["bots"])
        out["pin"], out["locked"] = row["pin"] is not None, bool(row["locked"])
        return out

    def rooms(self) -> pd.DataFrame:
        """Every room in the database, newest first (for ``rembug room list`` on the laptop that runs the app)."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT code, scenario, phase, season, seats, created, expires, locked, pin IS NOT NULL AS pin, "
                "(SELECT COUNT(*) FROM seats s WHERE s.room = r.code AND s.token IS NOT NULL) AS joined "
                "FROM rooms r ORDER BY created DESC").fetchall()
        frame = pd.DataFrame([dict(r) for r in rows], columns=["code", "scenario", "phase", "season", "seats",
                                                               "joined", "created", "expires", "locked", "pin"])
        frame["live"] = frame.expires > self.clock()
        return frame

    def _facilitator(self, db: sqlite3.Connection, code: str, secret: str | None, server: bool = False) -> sqlite3.Row:
        row = db.execute("SELECT * FROM rooms WHERE code = ?", (code,)).fetchone()
        if row is None or row["expires"] <= self.clock():
            raise RoomError(f"room {code}: no such room (check the code, or it has expired)")
        if not server and not matches(secret, row["facilitator"]):
            raise Refused("only the facilitator's link can do this")
        return row

    def is_facilitator(self, code: str, secret: str | None) -> bool:
        with self._connection() as db:
            row = db.execute("SELECT facilitator FROM rooms WHERE code = ?", (normalise_code(code),)).fetchone()
        return row is not None and matches(secret, row["facilitator"])

    def reissue(self, code: str) -> str:
        """A new facilitator's secret for the room (the old link stops working): the way back into one's room when
        the facilitator's tab is lost. No key is asked: whoever can open this database file on the laptop running
        the app (``rembug room link``) owns its rooms."""
        code = normalise_code(code)
        secret = new_secret()
        with self.transaction() as db:
            row = self._facilitator(db, code, None, server=True)
            db.execute("UPDATE rooms SET facilitator = ? WHERE code = ?", (digest(secret), code))
            self._event(db, code, row["season"], row["phase"], "relink", "facilitator")
        return secret

    def _event(self, db: sqlite3.Connection, code: str, season: int, phase: str, event: str, by: str | None,
               seat: int | None = None, detail: dict[str, Any] | None = None) -> None:
        db.execute("INSERT INTO events (room, season, phase, event, by, seat, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (code, season, phase, event, by, seat, json.dumps(detail) if detail else None, self.clock()))

    def advance(self, code: str, secret: str | None, phase: str, season: int | None = None,
                meeting: int | None = None, expect: tuple[str, int] | None = None, by: str = "facilitator",
                server: bool = False) -> bool:
        """The facilitator moves the room to ``phase`` (of ``season``); a stage that asks something starts its timer.
        With ``expect`` (phase, season) it moves only from there, so two closers at once (the timer and a tap on
        Next, or two facilitator tabs) move the room one step, not two. Returns whether it moved. ``server``: the
        server's own clock moves it (no secret: see :mod:`rooms.clock`); ``by`` says who closed the stage."""
        if phase not in PHASES:
            raise RoomError(f"phase: one of {', '.join(PHASES)}; not {phase!r}")
        code = normalise_code(code)
        with self.transaction() as db:
            row = self._facilitator(db, code, secret, server)
            if expect is not None and (row["phase"], row["season"]) != tuple(expect):
                return False
            now = self.clock()
            deadline = now + row["timer"] if phase in ASKED else None
            season = row["season"] if season is None else season
            self._event(db, code, row["season"], row["phase"], "close", by)
            db.execute("UPDATE rooms SET phase = ?, season = ?, meeting = ?, deadline = ?, paused = NULL, opened = ? "
                       "WHERE code = ?", (phase, season, row["meeting"] if meeting is None else meeting, deadline,
                                          now, code))
            self._event(db, code, season, phase, "open", by, detail={"timer": row["timer"]} if deadline else None)
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
                self._event(db, code, row["season"], row["phase"], "pause", "facilitator", detail={"left": left})
            elif not paused and row["paused"] is not None:
                deadline = None if row["paused"] < 0 else now + row["paused"]
                db.execute("UPDATE rooms SET paused = NULL, deadline = ? WHERE code = ?", (deadline, code))
                self._event(db, code, row["season"], row["phase"], "resume", "facilitator")

    def set_timer(self, code: str, secret: str | None, seconds: float) -> None:
        """Seconds each stage gives participants (10 to 600), from now: the stage under way keeps the time it has
        used and gets the rest of the new length (at least 10 s more, so nobody's answer is cut off at once)."""
        if not 10 <= seconds <= 600:
            raise RoomError(f"timer: between 10 and 600 seconds; you asked for {seconds}")
        code = normalise_code(code)
        with self.transaction() as db:
            row = self._facilitator(db, code, secret)
            now = self.clock()
            deadline, paused = row["deadline"], row["paused"]
            if paused is not None and paused >= 0:
                used = row["timer"] - paused
                paused = max(10.0, seconds - used)
            elif paused is None and deadline is not None:
                used = row["timer"] - max(0.0, deadline - now)
                deadline = now + max(10.0, seconds - used)
            db.execute("UPDATE rooms SET timer = ?, deadline = ?, paused = ? WHERE code = ?",
                       (float(seconds), deadline, paused, code))
            self._event(db, code, row["season"], row["phase"], "timer", "facilitator", detail={"seconds": seconds})

    def time_left(self, room: dict[str, Any]) -> float | None:
        """Seconds left in the room's stage (None when no timer runs)."""
        if room.get("paused") is not None:
            return None if room["paused"] < 0 else float(room["paused"])
        if room.get("deadline") is None:
            return None
        return max(0.0, room["deadline"] - self.clock())

    def version(self, code: str, seat: int | None = None) -> tuple:
        """A cheap fingerprint of everything a page shows (stage, pause, timer, seats, names, decisions): pages poll
        it and redraw only when it changes. With ``seat``, the fingerprint of that seat's phone: only the decisions of
        that seat and of those who recorded it as their partner count, so a phone need not redraw each time anyone
        in the room answers (30 phones redrawing on every answer is most of a room's load on the server)."""
        code = normalise_code(code)
        mine = "" if seat is None else " AND (seat = ? OR partner = ?)"
        with self._connection() as db:
            row = db.execute(
                "SELECT phase, season, paused IS NOT NULL, timer, "
                f"(SELECT COUNT(*) FROM decisions WHERE room = ?{mine}), (SELECT COUNT(*) FROM seats WHERE room = ? "
                "AND token IS NOT NULL), revision FROM rooms WHERE code = ?",
                (code, *(() if seat is None else (seat, seat)), code, code)).fetchone()
        return tuple(row) if row is not None else ()

    SHAPES = {"talk": (), "offer": ("disclose",), "act": ("disclose", "offer")}
    """What of the meeting under way its village depends on, by stage: while people decide whether to tell what
    matters to them, nothing of it (what a phone shows then, its partner, trust and reputation, is settled before the
    meeting: a replay per answer made sixty phones wait seconds at every talk after the first season); while offers are
    made, the meeting is a preview that reads only who told their priorities; while people decide whether to keep
    their word, the meeting is settled by the disclosures and offers, and the season is not played yet."""

    def shaping(self, code: str, season: int, stage: str) -> int:
        """How many decisions shape the room's village at ``stage`` of ``season`` (see :data:`SHAPES`): the cache
        key of its replay. At the results and the debrief, every decision does."""
        kinds = self.SHAPES.get(stage)
        with self._connection() as db:
            if kinds is None:
                row = db.execute("SELECT COUNT(*) FROM decisions WHERE room = ?", (normalise_code(code),)).fetchone()
            else:  # the seasons before, and of this one the kinds that shape it (none at the talk)
                these = f" OR kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
                row = db.execute(f"SELECT COUNT(*) FROM decisions WHERE room = ? AND (season < ?{these})",
                                 (normalise_code(code), season, *kinds)).fetchone()
        return int(row[0])

    def versions(self, code: str) -> tuple[tuple, dict[int, tuple]]:
        """The room's fingerprint and every seat's (see :meth:`version`) in one read: what the server's shared poll
        hands each page, so 60 phones polling once a second cost one query a second, not 60."""
        code = normalise_code(code)
        with self._connection() as db:
            room = db.execute(
                "SELECT phase, season, paused IS NOT NULL, timer, (SELECT COUNT(*) FROM decisions WHERE room = ?), "
                "(SELECT COUNT(*) FROM seats WHERE room = ? AND token IS NOT NULL), revision, seats "
                "FROM rooms WHERE code = ?", (code, code, code)).fetchone()
            if room is None:
                return (), {}
            counts = [0] * int(room["seats"])  # counted by SQLite: a Python loop over every decision cost the
            for seat, n in db.execute("SELECT seat, COUNT(*) FROM decisions WHERE room = ? GROUP BY seat", (code,)):
                counts[seat] += n  # server most of a core by the third season of a 60-seat room
            for partner, n in db.execute("SELECT partner, COUNT(*) FROM decisions WHERE room = ? AND partner IS NOT "
                                         "NULL AND partner != seat GROUP BY partner", (code,)):
                if 0 <= partner < len(counts):
                    counts[partner] += n
        head = tuple(room)[:4]
        tail = tuple(room)[5:7]
        return tuple(room)[:7], {s: (*head, n, *tail) for s, n in enumerate(counts)}

    # -- the facilitator's room ------------------------------------------------------------------------------------
    def lock(self, code: str, secret: str | None, locked: bool) -> None:
        """Close joining (nobody new may take a seat; those seated stay) or open it again."""
        code = normalise_code(code)
        with self.transaction() as db:
            row = self._facilitator(db, code, secret)
            if bool(row["locked"]) != bool(locked):
                db.execute("UPDATE rooms SET locked = ?, revision = revision + 1 WHERE code = ?", (int(locked), code))
                self._event(db, code, row["season"], row["phase"], "lock" if locked else "unlock", "facilitator")

    def set_pin(self, code: str, secret: str | None, pin: str | None) -> None:
        """Ask for a PIN (3 to 8 digits) on top of the room code to join, or (``None``) no more."""
        code = normalise_code(code)
        pin = check_pin(pin) if pin else None
        with self.transaction() as db:
            row = self._facilitator(db, code, secret)
            db.execute("UPDATE rooms SET pin = ?, pin_misses = 0, revision = revision + 1 WHERE code = ?",
                       (_pin_digest(code, pin) if pin else None, code))
            self._event(db, code, row["season"], row["phase"], "pin" if pin else "no_pin", "facilitator")

    def remove(self, code: str, secret: str | None, seat: int) -> None:
        """Take a participant off their seat: the computer plays it from now on, their link opens nothing, and what
        they decided stays in the record (and the debrief) under the name they had."""
        code = normalise_code(code)
        with self.transaction() as db:
            row = self._facilitator(db, code, secret)
            taken = self._seated(db, code, seat)
            db.execute("UPDATE seats SET token = NULL, name = NULL, joined = NULL, last_seen = NULL, person = NULL, "
                       "lang = NULL WHERE room = ? AND seat = ?", (code, seat))
            db.execute("UPDATE people SET left = ? WHERE id = ?", (self.clock(), taken["person"]))
            db.execute("UPDATE rooms SET revision = revision + 1 WHERE code = ?", (code,))
            self._event(db, code, row["season"], row["phase"], "remove", "facilitator", seat=seat)

    def rename(self, code: str, secret: str | None, seat: int, name: str) -> None:
        """Give a participant another name, everywhere it is shown, the record's past rows included (a rude or
        look-alike name is gone from the projector and the debrief)."""
        code, name = normalise_code(code), clean_name(name)
        with self.transaction() as db:
            row = self._facilitator(db, code, secret)
            taken = self._seated(db, code, seat)
            self._name_free(db, code, name, but=seat)
            db.execute("UPDATE seats SET name = ? WHERE room = ? AND seat = ?", (name, code, seat))
            db.execute("UPDATE people SET name = ? WHERE id = ?", (name, taken["person"]))
            db.execute("UPDATE rooms SET revision = revision + 1 WHERE code = ?", (code,))
            self._event(db, code, row["season"], row["phase"], "rename", "facilitator", seat=seat)

    @staticmethod
    def _seated(db: sqlite3.Connection, code: str, seat: int) -> sqlite3.Row:
        """Who sits at ``seat`` (their ``person`` id), or RoomError when nobody does."""
        taken = db.execute("SELECT person FROM seats WHERE room = ? AND seat = ? AND token IS NOT NULL",
                           (code, seat)).fetchone()
        if taken is None:
            raise RoomError(f"seat: nobody sits at seat {seat + 1}")
        return taken

    @staticmethod
    def _name_free(db: sqlite3.Connection, code: str, name: str, but: int | None = None) -> None:
        """RoomError when ``name`` is, or looks like, the name of someone seated in the room (other than ``but``)."""
        for r in db.execute("SELECT seat, name FROM seats WHERE room = ? AND token IS NOT NULL", (code,)):
            if r["seat"] != but and looks_like(name, r["name"] or ""):
                same = (r["name"] or "").casefold() == name.casefold()
                raise RoomError(f"name: {name!r} is already taken in this room; add a letter or your village" if same
                                else f"name: {name!r} looks like {r['name']!r}, already in this room; choose another")

    # -- the server's clock ------------------------------------------------------------------------------------------
    def beat(self, process: str = "") -> float:
        """The server's clock ticks (:mod:`rooms.clock`; ``process`` names the server process). After an outage
        (the last tick is from another process, longer than :data:`OUTAGE` ago: the server was down and restarted;
        or from this one, longer than :data:`ASLEEP` ago: the laptop slept) every running stage gets the time back,
        plus the dropped-out window for phones to reconnect, so nobody is given a default answer for time they could
        not use. A busy server whose rounds come late is not down: phones could answer all along. The same write
        records every phone heard from since the last tick (:meth:`seat_of`), so thirty phones cost one write a
        round, not ten a second. Returns the gap (0 without an outage)."""
        now = self.clock()
        with self._heard_lock:
            heard, self._heard = self._heard, {}
        with self.transaction() as db:
            db.executemany("UPDATE seats SET last_seen = MAX(COALESCE(last_seen, 0), ?) WHERE room = ? AND seat = ? "
                           "AND token IS NOT NULL", [(at, room, seat) for (room, seat), at in heard.items()])
            self._flushed = now
            row = db.execute("SELECT beat, process FROM server WHERE id = 1").fetchone()
            gap = 0.0 if row is None or row["beat"] is None else now - row["beat"]
            restarted = row is not None and row["process"] != process
            if gap > (OUTAGE if restarted else ASLEEP):
                back = gap + present_seconds()
                for r in db.execute("SELECT code, season, phase FROM rooms WHERE deadline IS NOT NULL AND paused IS "
                                    "NULL AND expires > ?", (now,)).fetchall():
                    db.execute("UPDATE rooms SET deadline = deadline + ? WHERE code = ?", (back, r["code"]))
                    self._event(db, r["code"], r["season"], r["phase"], "outage", "server",
                                detail={"seconds": round(gap, 1), "given_back": round(back, 1)})
                db.execute("INSERT INTO server (id, beat, resumed, process) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO "
                           "UPDATE SET beat = excluded.beat, resumed = excluded.resumed, process = excluded.process",
                           (now, now, process))
                return gap
            db.execute("INSERT INTO server (id, beat, process) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET beat = "
                       "excluded.beat, process = excluded.process", (now, process))
        return 0.0

    def server_clock(self) -> tuple[float | None, float | None, str | None]:
        """(when the server's clock last ticked, when it last came back from an outage, which process ticked);
        None for never."""
        with self._connection() as db:
            row = db.execute("SELECT beat, resumed, process FROM server WHERE id = 1").fetchone()
        return (None, None, None) if row is None else (row["beat"], row["resumed"], row["process"])

    def resumed(self) -> float | None:
        """When the server last came back from an outage (None: never seen one)."""
        return self.server_clock()[1]

    def asking(self) -> list[str]:
        """Codes of live rooms at a stage that asks something with its clock running (what the server's clock
        watches)."""
        with self._connection() as db:
            rows = db.execute("SELECT code FROM rooms WHERE phase IN ('talk', 'offer', 'act') AND paused IS NULL AND "
                              "expires > ?", (self.clock(),)).fetchall()
        return [r["code"] for r in rows]

    # -- seats -------------------------------------------------------------------------------------------------------
    def join(self, code: str, name: str, pin: str | None = None, lang: str | None = None) -> SeatKeys:
        """Take a free seat under ``name`` (seats fill along the whole river, see :func:`spread`); the returned token
        is the participant's key to it. A name that is, or looks like, one already in the room is refused (the
        projector must tell people apart); so is joining a locked room, or without the room's PIN when it has one."""
        code, name = normalise_code(code), clean_name(name)
        lang = lang if lang in LANGUAGES else None
        token = new_secret()
        now = self.clock()
        with self.transaction() as db:
            room = db.execute("SELECT expires, phase, seats, locked, pin, pin_misses, pin_window, season FROM rooms "
                              "WHERE code = ?", (code,)).fetchone()
            if room is None or room["expires"] <= now:
                raise RoomError(f"room {code}: no such room (check the code, or it has expired)")
            if room["phase"] == "debrief":
                raise RoomError(f"room {code}: the game has ended")
            if room["locked"]:
                raise RoomError(f"room {code}: joining is closed (ask the facilitator)")
            if room["pin"] is not None:
                fresh = room["pin_window"] is None or now - room["pin_window"] >= 60
                misses = 0 if fresh else room["pin_misses"]
                if misses >= PIN_TRIES:
                    raise RoomError("pin: too many wrong PINs; wait a minute and try again")
                if not pin or not matches(f"{code}:{''.join(str(pin).split())}", room["pin"]):
                    db.execute("UPDATE rooms SET pin_misses = ?, pin_window = ? WHERE code = ?",
                               (misses + 1, now if fresh else room["pin_window"], code))
                    db.execute("COMMIT")  # the miss counts, whatever happens next
                    db.execute("BEGIN IMMEDIATE")
                    raise RoomError("pin: this room needs the PIN the facilitator shows" if not pin
                                    else "pin: wrong PIN")
            self._name_free(db, code, name)
            used = {int(r["seat"]) for r in db.execute("SELECT seat FROM seats WHERE room = ? AND token IS NOT NULL",
                                                        (code,))}
            free = next((seat for seat in spread(room["seats"]) if seat not in used), None)
            if free is None:
                raise RoomError(f"room {code}: every seat is taken")
            person = db.execute("INSERT INTO people (room, seat, name, joined, lang) VALUES (?, ?, ?, ?, ?)",
                                (code, free, name, now, lang)).lastrowid
            db.execute("UPDATE seats SET token = ?, name = ?, joined = ?, last_seen = ?, person = ?, lang = ? "
                       "WHERE room = ? AND seat = ?", (digest(token), name, now, now, person, lang, code, free))
        return SeatKeys(code, free, token)

    def seat_of(self, code: str, token: str | None, lang: str | None = None) -> int:
        """The seat a token opens (a reload with the same token gets the same seat back), or Refused. ``lang``: the
        language the phone shows now (kept for the record when it changes)."""
        code = normalise_code(code)
        if not token:
            raise Refused("this link has no seat: join the room first")
        with self._connection() as db:
            row = db.execute("SELECT seat, last_seen, lang, person FROM seats WHERE room = ? AND token = ?",
                             (code, digest(token))).fetchone()
        if row is None:
            raise Refused("this seat key is not valid for this room")
        now = self.clock()
        switched = lang in LANGUAGES and lang != row["lang"]
        clock_writes = self._flushed is not None and now - self._flushed < HEARTBEAT * 3
        if clock_writes and not switched:  # the server's clock writes every phone heard from, in one go
            with self._heard_lock:
                self._heard[(code, int(row["seat"]))] = now
        elif row["last_seen"] is None or now - row["last_seen"] >= HEARTBEAT or switched:  # a write every few s
            with self.transaction() as db:
                db.execute("UPDATE seats SET last_seen = ?, lang = COALESCE(?, lang) WHERE room = ? AND seat = ?",
                           (now, lang if switched else None, code, row["seat"]))
                if switched:
                    db.execute("UPDATE people SET lang = ? WHERE id = ?", (lang, row["person"]))
        return int(row["seat"])

    def seats(self, code: str) -> pd.DataFrame:
        """Every seat: its name (None while a bot holds it), when it was last seen, and its phone's language."""
        with self._connection() as db:
            rows = db.execute("SELECT seat, name, joined, last_seen, token IS NOT NULL AS taken, person, lang "
                              "FROM seats WHERE room = ? ORDER BY seat", (normalise_code(code),)).fetchall()
        frame = pd.DataFrame([dict(r) for r in rows],
                             columns=["seat", "name", "joined", "last_seen", "taken", "person", "lang"])
        frame["taken"] = frame["taken"].astype(bool)
        return frame

    def people(self, code: str) -> pd.DataFrame:
        """Everyone who has sat in the room, with their seat, name, when they joined and left (removed), and the
        language their phone showed last."""
        with self._connection() as db:
            rows = db.execute("SELECT id AS person, seat, name, joined, left, lang FROM people WHERE room = ? "
                              "ORDER BY id", (normalise_code(code),)).fetchall()
        return pd.DataFrame([dict(r) for r in rows], columns=["person", "seat", "name", "joined", "left", "lang"])

    def events(self, code: str) -> pd.DataFrame:
        """The room's timeline: each stage opened and closed (and by whom), pauses, timer changes, seats removed or
        renamed, lock and PIN, outages of the server."""
        with self._connection() as db:
            rows = db.execute("SELECT season, phase, event, by, seat, detail, at FROM events WHERE room = ? "
                              "ORDER BY id", (normalise_code(code),)).fetchall()
        frame = pd.DataFrame([dict(r) for r in rows], columns=["season", "phase", "event", "by", "seat", "detail", "at"])
        frame["detail"] = [json.loads(d) if isinstance(d, str) else None for d in frame["detail"]]
        return frame

    def present(self, code: str, within: float | None = None) -> set[int]:
        """Seats taken by a participant whose page was heard from in the last ``within`` seconds (by default
        :data:`PRESENT`, 20 s, or ``$REMBUG_ROOM_PRESENT_SECONDS`` when set; read at each call, so a server started
        with it, as the protocol test does, drops a silent phone after that many seconds)."""
        if within is None:
            within = present_seconds()
        code = normalise_code(code)
        since = self.clock() - within
        with self._connection() as db:
            rows = db.execute("SELECT seat, last_seen FROM seats WHERE room = ? AND token IS NOT NULL",
                              (code,)).fetchall()
        with self._heard_lock:
            heard = {seat: at for (room, seat), at in self._heard.items() if room == code}
        return {int(r["seat"]) for r in rows if max(r["last_seen"] or 0.0, heard.get(int(r["seat"]), 0.0)) >= since}

    # -- decisions ---------------------------------------------------------------------------------------------------
    def decide(self, code: str, token: str | None, kind: str, value: Any, shown: dict[str, Any],
               partner: int | None = None, lang: str | None = None) -> int:
        """Record a participant's decision for their own seat in the room's current season and meeting."""
        seat = self.seat_of(code, token)
        return self._record(normalise_code(code), seat, kind, value, shown, partner, by_default=False, lang=lang)

    def decide_by_default(self, code: str, secret: str | None, seat: int, kind: str, value: Any,
                          shown: dict[str, Any], partner: int | None = None, server: bool = False,
                          expect: tuple[str, int] | None = None) -> int:
        """The stage closed without this seat's answer: the default answer is recorded for ``seat`` (and marked as
        such). The facilitator's secret, or the server's own clock (``server``), is needed. With ``expect`` (phase,
        season) it is recorded only while the room is still there (NotNow otherwise: another closer moved it on)."""
        code = normalise_code(code)
        with self._connection() as db:
            self._facilitator(db, code, secret, server)
        return self._record(code, seat, kind, value, shown, partner, by_default=True, expect=expect)

    def _record(self, code: str, seat: int, kind: str, value: Any, shown: dict[str, Any], partner: int | None,
                by_default: bool, lang: str | None = None, expect: tuple[str, int] | None = None) -> int:
        if kind not in KINDS:
            raise RoomError(f"kind: one of {', '.join(KINDS)}; not {kind!r}")
        with self.transaction() as db:
            room = db.execute("SELECT season, meeting, expires, phase FROM rooms WHERE code = ?", (code,)).fetchone()
            if room is None or room["expires"] <= self.clock():
                raise RoomError(f"room {code}: no such room (check the code, or it has expired)")
            if kind not in ASKED.get(room["phase"], ()) or (
                    expect is not None and (room["phase"], room["season"]) != tuple(expect)):
                raise NotNow(f"{kind}: not asked now (the room is at {room['phase']!r})")
            sits = db.execute("SELECT person, lang FROM seats WHERE room = ? AND seat = ?", (code, seat)).fetchone()
            person = sits["person"] if sits is not None else None
            lang = lang if lang in LANGUAGES else (sits["lang"] if sits is not None else None)
            try:
                cursor = db.execute(
                    "INSERT INTO decisions (room, season, meeting, seat, partner, kind, value, shown, at, by_default, "
                    "person, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (code, room["season"], room["meeting"], seat, partner, kind, json.dumps(value), json.dumps(shown),
                     self.clock(), int(by_default), person, lang),
                )
            except sqlite3.IntegrityError:
                raise AlreadyAnswered(f"seat {seat} has already answered {kind!r} in this meeting") from None
        return int(cursor.lastrowid)

    def decisions(self, code: str) -> pd.DataFrame:
        """Every decision of the room as one tidy table (oTree-style): when, which seat, with whom, what it chose and
        what it was shown; ``by_default`` marks answers the timer took; ``person`` who sat at the seat (see
        :meth:`people`) and ``lang`` the language of their phone."""
        with self._connection() as db:
            rows = db.execute("SELECT id, season, meeting, seat, partner, kind, value, shown, at, by_default, person, "
                              "lang FROM decisions WHERE room = ? ORDER BY id", (normalise_code(code),)).fetchall()
        records = []
        with self._parsed_lock:
            if len(self._parsed) > 200_000:
                self._parsed.clear()
            for r in rows:
                record = dict(r)
                parsed = self._parsed.get(record.pop("id"))
                if parsed is None:  # a decision is never changed once written: its JSON is read once per store
                    parsed = self._parsed[r["id"]] = (json.loads(r["value"]), json.loads(r["shown"]))
                record["value"], record["shown"] = parsed
                records.append(record)
        frame = pd.DataFrame(records, columns=["season", "meeting", "seat", "partner", "kind", "value", "shown", "at",
                                               "by_default", "person", "lang"])
        frame["by_default"] = frame["by_default"].astype(bool)
        return frame

    def remove_expired(self) -> int:
        """Delete rooms past their time (with their seats and decisions); returns how many."""
        with self.transaction() as db:
            return db.execute("DELETE FROM rooms WHERE expires <= ?", (self.clock(),)).rowcount
