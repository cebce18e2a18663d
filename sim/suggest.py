"""'Did you mean ...?' for a mistyped name (a setting, a scenario, a measure), from the standard library's difflib."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, known: Iterable[str], n: int = 1) -> list[str]:
    """The known names nearest to ``word`` (difflib's ratio of at least 0.6; case is ignored), best first."""
    known = list(dict.fromkeys(known))
    lowered = {k.lower(): k for k in known}
    return [lowered[m] for m in difflib.get_close_matches(str(word).lower(), list(lowered), n=n, cutoff=0.6)]


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'trust.initial'?)`` or '' when nothing is near: text to append to an error message."""
    found = closest(word, known)
    return f" (did you mean {found[0]!r}?)" if found else ""


def unreadable(path, error: OSError) -> str:
    """Why ``path`` cannot be read, with the nearest file in its folder when it is missing (a typo in a name)."""
    from pathlib import Path

    path = Path(path)
    message = f"cannot be read: {error.strerror or error}"
    if isinstance(error, FileNotFoundError) and path.parent.is_dir():
        message += did_you_mean(path.name, (p.name for p in path.parent.iterdir() if p.is_file()))
    return message
