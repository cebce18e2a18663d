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
