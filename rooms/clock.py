"""The server's clock: closes a room's stage when its time is up or everyone present has answered, with no page open.

A room must not depend on any particular tab: the projector is a view, and a facilitator may close it, lose it or
put the laptop's lid down. So the server process that serves the rooms runs one thread that, every
:data:`TICK` seconds, notes that it is alive (:meth:`rooms.store.Store.beat`, which gives running stages their time
back after an outage) and closes the stage of every room that is due (:func:`rooms.flow.tick`). Closing twice is
harmless: the store moves a room one step from the stage it expects, however many closers try at once.

One thread watches every rooms database the process has opened (tests open many); it stops watching a database
whose file is gone. The thread keeps the list of databases it watches itself, so a module reloaded by Streamlit's
file watcher (a developer editing the code) finds the running clock instead of starting a second one.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from rooms.store import RoomError, Store

TICK = 0.5  # seconds between the clock's rounds
PROCESS = f"{os.getpid()}@{time.time():.3f}"
"""This server process, as its clock's ticks name it: a tick from another process means the server restarted."""
_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
NAME = "rembug-room-clock"


def tick_all(store: Store) -> list[str]:
    """One round for one database: note the server is alive, then close every stage that is due. Returns the codes
    of the rooms it moved."""
    from rooms import flow

    store.beat(PROCESS)
    moved = []
    for code in store.asking():
        try:
            if flow.tick(store, code) is not None:
                moved.append(code)
        except RoomError:  # expired between the two reads: nothing to close
            continue
    return moved


def watch(store: Store) -> None:
    """Keep ``store``'s rooms moving on the server's clock (starts the clock's thread once per process)."""
    if store.path == ":memory:":
        return
    with _LOCK:
        running = next((t for t in threading.enumerate() if t.name == NAME and t.is_alive()), None)
        if running is None:
            watched: dict[str, Store] = {}
            running = threading.Thread(target=_run, args=(watched,), name=NAME, daemon=True)
            running.watched = watched  # type: ignore[attr-defined]
            running.start()
        running.watched[store.path] = store  # type: ignore[attr-defined]


def _run(watched: dict[str, Store]) -> None:
    while True:
        started = time.monotonic()
        stores = list(watched.values())
        for store in stores:
            if not os.path.exists(store.path):
                watched.pop(store.path, None)
                continue
            try:
                tick_all(store)
            except Exception:  # the clock must outlive one bad round (a locked file, a room mid-migration)
                _LOG.exception("room clock: a round failed on %s", store.path)
        time.sleep(max(0.05, TICK - (time.monotonic() - started)))
