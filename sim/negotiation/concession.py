"""Time-dependent concession (Faratin, Sierra & Jennings 1998): how a negotiator's aspiration falls towards its BATNA."""

from __future__ import annotations

import numpy as np


def aspiration(tau: np.ndarray, exponent: float, reservation: np.ndarray, opening: np.ndarray | float = 1.0) -> np.ndarray:
    """Utility a negotiator still demands at normalised time ``tau`` in [0, 1].

    Starts at ``opening`` (1: its ideal package; negotiators differ in how high they open) and reaches its
    reservation value at the end of its planned horizon. ``exponent`` < 1 is Boulware (holds firm, concedes late),
    1 is linear, > 1 is Conceder (gives ground early).
    """
    conceded = tau if exponent == 1.0 else np.power(tau, 1.0 / exponent)
    return reservation + (opening - reservation) * (1.0 - conceded)
