"""Share the room: a QR code of the page's current address, so a room opens the same scenario on their phones."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
import streamlit as st

from ui.text import t

FALLBACK_URL = "http://localhost:8501/"


def current_link() -> str:
    """The address this page is at, with the settings the page address holds (scenario, language, knobs, view)."""
    base = (st.context.url or FALLBACK_URL).split("?")[0]
    query = urlencode({key: st.query_params.get(key) for key in st.query_params})
    return f"{base}?{query}" if query else base


@st.cache_data(max_entries=256, show_spinner=False)
def qr_png(link: str) -> bytes:
    """The QR code of ``link`` as a PNG (error correction M: still readable from the back of a room)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def qr_code(lang: str, width: int) -> None:
    link = current_link()
    st.image(qr_png(link), width=width, caption=t("share.qr", lang))
