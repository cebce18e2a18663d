"""Time-dependent concession (Faratin, Sierra & Jennings 1998): how a negotiator's aspiration falls towards its BATNA."""

from __future__ import annotations

import numpy as np


def aspiration(tau: np.ndarray, exponent: float | np.ndarray, reservation: np.ndarray) -> np.ndarray:
    """Utility a negotiator still demands at normalised time ``tau`` in [0, 1].

    Starts at 1 (its ideal package) and reaches its reservation value at its deadline. ``exponent`` < 1 is
    Boulware (holds firm, concedes late), 1 is linear, > 1 is Conceder (gives ground early).
    """
    conceded = tau if exponent == 1.0 else np.power(tau, 1.0 / exponent)
    return reservation + (1.0 - reservation) * (1.0 - conceded)
