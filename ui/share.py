"""Share the room: a QR code of the page's current address, so a room opens the same scenario on their phones."""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st

from rooms.links import LOCAL, lan_address
from ui.text import t

__all__ = ["FALLBACK_URL", "current_link", "lan_address", "link_for", "qr_code", "qr_png"]

FALLBACK_URL = "http://localhost:8501/"


PERSONAL = ("present", "expert")  # the facilitator's own display choices: a phone opens the plain page


def link_for(page_url: str, query: dict[str, str], lan: str | None) -> str:
    """The address a room should open: the page's, with the settings its address holds (scenario, language, knobs,
    view, story step) but not the facilitator's presenter or expert display, and with the laptop's network address
    ``lan`` in place of "localhost"."""
    parts = urlsplit(page_url)
    host = parts.hostname or "localhost"
    if host in LOCAL and lan:
        host = lan
    netloc = f"{host}:{parts.port}" if parts.port else host
    kept = urlencode({key: value for key, value in query.items() if key not in PERSONAL})
    return urlunsplit((parts.scheme or "http", netloc, parts.path or "/", kept, ""))


def current_link() -> str:
    return link_for(st.context.url or FALLBACK_URL, {k: st.query_params.get(k) for k in st.query_params}, lan_address())


@st.cache_data(max_entries=256, show_spinner=False)
def qr_png(link: str) -> bytes:
    """The QR code of ``link`` as a PNG (error correction M: still readable from the back of a room)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def qr_code(lang: str, width: int) -> None:
    link = current_link()
    st.image(qr_png(link), width=width, caption=t("share.qr", lang))
    if "localhost" in link or "127.0.0.1" in link:
        st.caption(t("share.localhost", lang))
