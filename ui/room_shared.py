"""What the live room's pages share (the projector, a phone, the join form): the store, names as text, the room's
errors in the page's language, the refresh, and the style sheet. Below both ui/room.py and ui/projector.py, so the
two do not import each other.
"""

from __future__ import annotations

import html
import os
import time
from pathlib import Path
from threading import Lock

import streamlit as st

from rooms import Refused, RoomError, Store, clock, flow
from ui.text import t

ROOT = Path(__file__).resolve().parent.parent
ROOM_CSS = """
<style>
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 1.2rem !important;
  padding-bottom: 2rem !important;}
.room-card {border: 1px solid #ccc; border-radius: 0.6rem; padding: 0.5rem 0.7rem; margin-bottom: 0.3rem;}
.room-card .row {display: flex; align-items: center; gap: 0.4rem; font-size: 0.95rem; margin: 0.15rem 0;}
.room-card .label {flex: 0 0 48%;}
.room-card .bar {flex: 1; height: 0.8rem; background: #e0e0e0; border-radius: 0.4rem; overflow: hidden;}
.room-card .fill {height: 100%; background: #1976d2;}
[data-testid="stMarkdownContainer"] p.room-big {font-size: 2rem; font-weight: 700; line-height: 1.15; margin: 0;}
[data-testid="stMarkdownContainer"] p.room-timer {font-size: 1.6rem; font-weight: 700; margin: 0;}
[data-testid="stMarkdownContainer"] p.room-link {font-size: 1.1rem; word-break: break-all; font-family: monospace;}
[data-testid="stMarkdownContainer"] p.room-corner {font-size: 0.9rem; word-break: break-all; font-family: monospace;
  margin: 0;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 1.05rem !important;}
[data-testid="stMarkdownContainer"] p.story-sentence {font-size: 1.45rem; line-height: 1.35;}
div[data-testid="stButton"] button {min-height: 3rem; font-size: 1.05rem;}
.st-key-room_controls div[data-testid="stButton"] button, .st-key-room_controls [data-testid="stPopover"] button
  {min-height: 2.6rem;}
@media (max-width: 640px) {
  .block-container, [data-testid="stMainBlockContainer"] {padding-top: 0.75rem !important;}
  [data-testid="stMarkdownContainer"] p.room-big {font-size: 1.5rem;}
  [data-testid="stMarkdownContainer"] p.room-timer {font-size: 1.2rem;}
  [data-testid="stMarkdownContainer"] p.story-sentence {font-size: 1.2rem;}
}
</style>
"""


def store() -> Store:
    """The rooms database next to the app (or $REMBUG_ROOMS_DB), the same file `rembug room create` writes; its
    rooms run on the server's clock from the first page that opens it."""
    path = os.environ.get("REMBUG_ROOMS_DB", str(ROOT / "rooms.sqlite"))
    return _store(path)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    opened = Store(path)
    clock.watch(opened)
    return opened


def plain(text: str) -> str:
    """A participant's name (or a sentence holding one) as text in Markdown: every character Markdown, HTML, LaTeX
    (``$``) or Streamlit's emoji and colour directives (``:skull:``, ``:red[...]``) could act on is escaped."""
    return "".join(f"\\{ch}" if ch in "\\`*_{}[]()#+-.!|<>~$:" else ch for ch in str(text))


def who(seat: int, names: dict[int, str], lang: str) -> str:
    """A seat as the room knows it: the participant's name, or 'organisation 7 (computer)'."""
    return names.get(seat) or t("room.computer", lang, seat=seat + 1)


def when(room: dict, seasons: int, lang: str) -> str:
    """Where the room is in its game: "Season 2 of 6", or "Meeting 2 of 6 · seasons 4–6 of 18" when a meeting
    covers several seasons."""
    term = flow.term_of(room)
    if term == 1:
        return t("room.season", lang, season=room["season"] + 1, seasons=seasons)
    return t("room.meeting", lang, meeting=room["season"] // term + 1, meetings=seasons // term,
             first=room["season"] + 1, last=room["season"] + term, seasons=seasons)


def counted(key: str, n: int, lang: str, **values) -> str:
    """A sentence with a count in it, in its singular form for one ("1 seat", never "1 seats")."""
    single = f"{key}.one"
    from ui.text import TEXT

    return t(single if n == 1 and single in TEXT else key, lang, **values)


PROBLEMS = (("already taken", "room.error.name_taken"), ("looks like", "room.error.name_alike"),
            ("at most", "room.error.name_long"), ("name:", "room.error.name_length"),
            ("every seat is taken", "room.error.full"), ("game has ended", "room.error.ended"),
            ("joining is closed", "room.error.locked"), ("needs the PIN", "room.error.pin_needed"),
            ("wrong PIN", "room.error.pin_wrong"), ("too many wrong PINs", "room.error.pin_tries"),
            ("pin: 3 to 8", "room.error.pin_format"), ("no such room", "room.error.no_room"))


def problem(error: Exception, lang: str) -> str:
    """A room's error in the page's language: the store's messages are English (they name the field for a
    researcher); a participant reads these instead."""
    message = str(error)
    for marker, key in PROBLEMS:
        if marker in message:
            if key == "room.error.name_long":
                return t(key, lang, n=message.rsplit(" ", 1)[-1])
            return t(key, lang)
    return message


def sentence(text: str) -> None:
    st.markdown(f"<p class='story-sentence'>{html.escape(text)}</p>", unsafe_allow_html=True)


# -- refreshing ----------------------------------------------------------------------------------------------------
_SHARED: dict[tuple[str, str], tuple[float, tuple, dict[int, tuple], dict]] = {}
_SHARED_LOCK = Lock()
_READING = Lock()
FRESH = 0.3  # seconds a read of a room's versions serves every page that polls it


def versions(s: Store, code: str) -> tuple[tuple, dict[int, tuple], dict]:
    """The room's version, every seat's, and its row, read at most once every :data:`FRESH` seconds for all the
    pages of the process: sixty phones polling once a second cost about three reads a second, not sixty."""
    key = (s.path, code)
    with _SHARED_LOCK:
        cached = _SHARED.get(key)
        if cached is not None and time.monotonic() - cached[0] < FRESH:
            return cached[1], cached[2], cached[3]
    with _READING:  # one page reads for all: the others wait for its read (sixty at once each read it themselves)
        with _SHARED_LOCK:
            cached = _SHARED.get(key)
            if cached is not None and time.monotonic() - cached[0] < FRESH:
                return cached[1], cached[2], cached[3]
        now = time.monotonic()
        room_version, seat_versions = s.versions(code)
        room = s.room(code)
        with _SHARED_LOCK:
            _SHARED[key] = (now, room_version, seat_versions, room)
    return room_version, seat_versions, room


def forget(s: Store, code: str) -> None:
    """Drop the shared read of a room (after a tap: the page that tapped must see its own change at once)."""
    with _SHARED_LOCK:
        _SHARED.pop((s.path, code), None)


POLLS = 30.0  # polls a second the phones of one room ask of the server, at most (see poll_every)


def poll_every(seats: int) -> float:
    """Seconds between a phone's checks of its room: every second up to 30 seats, then less often, so one room's
    phones ask the server about 30 times a second whatever its size (every 2 s at 60 seats). With sixty phones
    polling every second, answering the polls took most of the server, and a stage change waited behind them."""
    return max(1.0, seats / POLLS)


def watch(code: str, version: tuple, lang: str, token: str | None = None, seat: int | None = None,
          every: float = 1.0) -> None:
    """Poll the room every ``every`` seconds (the projector every second; a phone by :func:`poll_every`): a
    participant's page says it is still there (a phone not heard from for a while has dropped out and a bot plays
    its seat) and in which language; redraw the page when anything it shows changed; otherwise only the clock
    moves. Nothing here moves the room: the server's clock does."""

    inline = [True]  # the run inside the page's own run compares nothing: the page was drawn from this version

    @st.fragment(run_every=every)
    def poll() -> None:
        s = store()
        try:
            if token is not None:
                s.seat_of(code, token, lang=lang)
            room_version, seat_versions, room = versions(s, code)
        except (RoomError, Refused):
            if not inline[0]:
                st.rerun(scope="app")  # the seat was removed, or the room expired: the page says so
            return
        now = room_version if seat is None else seat_versions.get(seat, ())
        if now != version and not inline[0]:
            st.rerun(scope="app")
        left = s.time_left(room)
        if room["paused"] is not None:
            st.markdown(f"<p class='room-timer'>⏸ {html.escape(t('room.paused', lang))}</p>", unsafe_allow_html=True)
        elif left is not None:
            st.markdown(f"<p class='room-timer'>⏱ {html.escape(t('room.timer', lang, seconds=int(round(left))))}</p>",
                        unsafe_allow_html=True)

    poll()
    inline[0] = False


def act(action) -> None:
    """A tap's callback (the page then draws once, already moved on); a room's refusal is said on the page."""
    try:
        action()
    except (RoomError, Refused) as error:
        st.session_state["room_problem"] = problem(error, st.session_state.get("lang", "en"))
    with _SHARED_LOCK:  # every page's next poll reads the room afresh
        _SHARED.clear()


def how_broken(how: tuple[bool, bool] | None) -> str:
    """"broke" (took more water and did not pay for the well), "took_more", "did_not_pay" or "kept", from ``how``
    as :meth:`rooms.game.Village.broke_how` gives it: the end of a text's key, so every screen says exactly which."""
    took, unpaid = how or (False, False)
    return "broke" if took and unpaid else "took_more" if took else "did_not_pay" if unpaid else "kept"
