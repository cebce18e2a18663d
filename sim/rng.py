"""One place that turns any seed into an owned numpy Generator (never the global ``random``)."""

from __future__ import annotations

import numpy as np

from sim.errors import InputError

SeedLike = int | np.integer | np.random.SeedSequence | np.random.Generator | None


def as_generator(seed: SeedLike) -> np.random.Generator:
    """A Generator from a seed, a SeedSequence or a Generator (returned as is, so callers can share one stream)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("seed", f"{seed!r} is not a whole number >= 0", "0 or more")
    return np.random.default_rng(int(seed))
