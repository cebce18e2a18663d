"""A room's links as the phones can open them: "localhost" means the phone itself, so a link made on the laptop
running the app names the laptop's address on the local network instead (the projector's page and the command line
make the same links)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit, urlunsplit

LOCAL = ("localhost", "127.0.0.1", "::1")
APP_PORT = 8501  # Streamlit's, and `make app`'s


def lan_address() -> str | None:
    """This machine's address on the local network, for phones: they cannot open "localhost"."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent, the route picks the interface
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def is_local(url: str) -> bool:
    """Whether ``url`` names this machine only (localhost), which no phone can open."""
    return (urlsplit(_with_scheme(url)).hostname or "localhost") in LOCAL


def reachable(url: str, lan: str | None) -> str:
    """``url`` (the app's address; "localhost" or "localhost:8501" will do) with the laptop's network address
    ``lan`` in place of localhost, and the app's port when a local address names none. Any other address is kept
    as given (the app behind a proxy or on a server)."""
    parts = urlsplit(_with_scheme(url))
    host = parts.hostname or "localhost"
    port = parts.port
    if host in LOCAL:
        port = port or APP_PORT
        if lan:
            host = lan
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _with_scheme(url: str) -> str:
    return url if "://" in url else f"http://{url}"
