"""The negotiation domain: which issues a water agreement is made of, and how parties' interests relate on each.

An agreement is a point ``x`` in [0, 1]^K, written in party A's frame: on an *opposed* issue x = 1 is best for A and
worst for B (what one gains the other loses); on a *compatible* issue x = 1 is best for both (the joint investment:
a shared well is worth more to everyone). Each party values the package with weighted-additive linear utility, so
the weights say how much each issue matters to it; when the two parties weigh the opposed issues differently, trading
them ("logrolling") creates value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from sim.errors import InputError

IssueRole = Literal["distributive", "logrolling", "compatible"]
ROLES: tuple[str, ...] = ("distributive", "logrolling", "compatible")


@dataclass(frozen=True)
class Issue:
    """One issue of the agreement.

    ``role`` is how the negotiation literature (Thompson & Hastie 1990; Lax & Sebenius 1986) classes it:
    ``distributive`` (zero-sum, usually weighed alike), ``logrolling`` (opposed but weighed differently, so it can
    be traded), ``compatible`` (both want the same value). Only compatible versus opposed changes the arithmetic.
    """

    key: str
    role: IssueRole

    @property
    def opposed(self) -> bool:
        """True when the parties want opposite ends of this issue."""
        return self.role != "compatible"


@dataclass(frozen=True)
class Domain:
    """The issues of an agreement and the community's typical interest profile over them."""

    issues: tuple[Issue, ...]
    profile: tuple[float, ...]
    _opposed: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.issues:
            raise InputError("issues", "a domain needs at least one issue", "1 or more issues")
        keys = [issue.key for issue in self.issues]
        if len(set(keys)) != len(keys):
            raise InputError("issues", f"issue names repeat: {keys}", "distinct names")
        for issue in self.issues:
            if issue.role not in ROLES:
                raise InputError(f"issues.{issue.key}.role", f"{issue.role!r} is not a role", ", ".join(ROLES))
        if len(self.profile) != len(self.issues):
            raise InputError(
                "profile", f"has {len(self.profile)} weights for {len(self.issues)} issues", "one weight per issue"
            )
        profile = np.asarray(self.profile, dtype=float)
        if not np.all(np.isfinite(profile)) or np.any(profile < 0) or not np.isclose(profile.sum(), 1.0, atol=1e-6):
            raise InputError("profile", f"{list(self.profile)} must be non-negative and sum to 1", "weights 0 to 1, sum 1")
        opposed = np.array([issue.opposed for issue in self.issues], dtype=bool)
        opposed.setflags(write=False)
        object.__setattr__(self, "_opposed", opposed)

    @property
    def size(self) -> int:
        """Number of issues K."""
        return len(self.issues)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(issue.key for issue in self.issues)

    @property
    def opposed(self) -> np.ndarray:
        """Boolean mask (K,) of issues on which the parties' interests are opposed."""
        return self._opposed

    @property
    def compatible(self) -> np.ndarray:
        """Boolean mask (K,) of issues on which both parties want x = 1."""
        return ~self._opposed

    def index(self, key: str) -> int:
        """Position of the issue named ``key``."""
        try:
            return self.keys.index(key)
        except ValueError:
            raise InputError("issue", f"{key!r} is not an issue of this domain", ", ".join(self.keys)) from None


WATER = Domain(
    issues=(
        Issue("volume_share", "distributive"),
        Issue("dry_season_schedule", "logrolling"),
        Issue("maintenance_labour", "logrolling"),
        Issue("joint_investment", "compatible"),
    ),
    profile=(0.4, 0.2, 0.2, 0.2),
)
"""The default water domain: one season's agreement between two organisations sharing a river.

- ``volume_share``: A's share of the pair's water allocation (zero-sum).
- ``dry_season_schedule``: A's share of the dry-season irrigation turns.
- ``maintenance_labour``: the share of canal maintenance labour B carries (A prefers B to carry more).
- ``joint_investment``: how much of a shared well or canal the pair builds together (both gain from more).
"""


def columns(array: np.ndarray, index: slice | np.ndarray) -> np.ndarray:
    """Negotiations ``index`` (a slice, positions or a boolean mask) of an issue-major array, kept C-ordered.

    Plain ``array[:, index]`` with an index array returns column-major memory, and mixing layouts in later
    arithmetic made every operation several times slower.
    """
    if isinstance(index, slice):
        return array[:, index]
    if index.dtype == bool:
        return np.compress(index, array, axis=1)
    return np.take(array, index, axis=1)


def to_frame(x: np.ndarray, opposed: np.ndarray) -> np.ndarray:
    """Convert positions between A's frame and B's own frame (the map is its own inverse).

    ``x`` is issue-major, shape (K, n). In a party's own frame 1 is that party's ideal on every issue.
    """
    return np.where(opposed[:, None], 1.0 - x, x)
