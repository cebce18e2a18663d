"""Live rooms in the app (issue 13, first part): a facilitator creates a room, the room joins from their phones,
and each participant learns which organisation they are. The meeting itself is not built yet.

The page address carries who one is: ``?room=CODE`` (joining), ``?room=CODE&seat=TOKEN`` (a participant: a reload
gets the same seat back), ``?room=CODE&host=SECRET`` (the facilitator). Every check is the store's (``rooms``); a
name is shown as text, never as markup.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import numpy as np
import streamlit as st

from rooms import Refused, RoomError, Store
from sim.commons import CommonsConfig, CommonsModel
from ui import fmt, share
from ui.text import t

ROOT = Path(__file__).resolve().parent.parent
ISSUES = ("volume_share", "dry_season_schedule", "maintenance_labour", "joint_investment")


def store() -> Store:
    """The rooms database next to the app (or $REMBUG_ROOMS_DB), the same file `rembug room create` writes."""
    path = os.environ.get("REMBUG_ROOMS_DB", str(ROOT / "rooms.sqlite"))
    return _store(path)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def create_room(config: CommonsConfig, scenario_id: str, seats: int) -> None:
    """The facilitator's button: a room for the current scenario; the page becomes the facilitator's."""
    keys = store().create_room(scenario_id, config.model_dump(mode="json"), seats, dict(config.strategies.mix))
    st.query_params.from_dict({"room": keys.code, "host": keys.facilitator_secret,
                               "lang": st.session_state.get("lang", "en")})


def organisation(config: CommonsConfig, seat: int) -> dict[str, float]:
    """What a participant is told about their organisation: its place on the river, its need and what matters most
    to it, from the room's own world (the model draws them from the room's seed)."""
    model = CommonsModel(config)
    weights = model.weights[seat]
    return {"position": float(model.position[seat]), "need": float(model.need[seat] / model.need.mean()),
            "first": int(np.argmax(weights)), "weights": weights.tolist()}


def plain(text: str) -> str:
    """A participant's name as text in Markdown: every character Markdown or HTML could act on is escaped."""
    return "".join(f"\\{ch}" if ch in "\\`*_{}[]()#+-.!|<>~" else ch for ch in str(text))


def _place(position: float, lang: str) -> str:
    return t("room.place.head" if position < 1 / 3 else "room.place.middle" if position < 2 / 3 else "room.place.tail", lang)


def page(lang: str) -> None:
    """The room page for whoever this address says one is."""
    query = st.query_params
    code, host, token = query.get("room", ""), query.get("host"), query.get("seat")
    try:
        room = store().room(code)
    except RoomError as error:
        st.error(t("room.missing", lang, problem=str(error)))
        return
    if host is not None:
        if not store().is_facilitator(room["code"], host):
            st.error(t("room.not_facilitator", lang))
            return
        lobby(room, lang)
    elif token is not None:
        seat_page(room, token, lang)
    else:
        join_form(room, lang)


def lobby(room: dict, lang: str) -> None:
    """The projector before the meeting: the room code large, the QR code of the join link, who has joined."""
    seats = store().seats(room["code"])
    st.markdown(f"<p class='story-sentence'>{t('room.lobby', lang, code=room['code'])}</p>", unsafe_allow_html=True)
    left, right = st.columns([1, 2])
    with left:
        join = share.link_for(st.context.url or share.FALLBACK_URL, {"room": room["code"], "lang": lang},
                              share.lan_address())
        st.image(share.qr_png(join), width=220, caption=t("room.scan", lang))
        st.code(join, language=None)
    with right:
        taken = int(seats.taken.sum())
        st.metric(t("room.joined", lang), f"{taken} / {room['seats']}")
        names = [plain(n) for n in seats.name.dropna().tolist()]
        st.markdown(", ".join(names) if names else t("room.nobody", lang))
        st.caption(t("room.bots", lang, bots=room["seats"] - taken))
    st.info(t("room.next", lang))


def join_form(room: dict, lang: str) -> None:
    st.subheader(t("room.join.title", lang, code=room["code"]))
    with st.form("join"):
        name = st.text_input(t("room.name", lang), max_chars=24, key="room_name")
        joined = st.form_submit_button(t("room.join", lang), type="primary")
    if joined:
        try:
            keys = store().join(room["code"], name)
        except RoomError as error:
            st.error(t("room.cannot_join", lang, problem=str(error)))
            return
        st.query_params.from_dict({"room": keys.code, "seat": keys.token, "lang": lang})
        st.rerun()


def seat_page(room: dict, token: str, lang: str) -> None:
    """A participant's phone: who they are on the river, in plain words."""
    try:
        seat = store().seat_of(room["code"], token)
    except Refused:
        st.error(t("room.bad_seat", lang))
        return
    name = store().seats(room["code"]).name.iloc[seat]
    about = organisation(CommonsConfig.model_validate(room["config"]), seat)
    st.subheader(t("room.you", lang, name=plain(name), seat=seat + 1))
    sentence = t("room.about", lang, place=_place(about["position"], lang), need=fmt.percent(about["need"], lang),
                 first=t(f"room.issue.{ISSUES[about['first']]}", lang))
    st.markdown(f"<p class='story-sentence'>{html.escape(sentence)}</p>", unsafe_allow_html=True)
    for i, weight in enumerate(about["weights"]):
        st.progress(min(1.0, float(weight) / max(about["weights"])), text=t(f"room.issue.{ISSUES[i]}", lang))
    st.info(t("room.wait", lang))
