"""Time-dependent concession (Faratin, Sierra & Jennings 1998): how a negotiator's aspiration falls towards its BATNA.

The curve ``tau ** (1 / tempo)`` decides offers, so it must come out the same on every machine. numpy's ``power``
(and ``exp``, ``log``) pick an implementation by instruction set: on AVX-512 they differ from libm by an ULP in a few
per cent of values, and a run on a mixed Dask cluster would depend on which machine drew which run. :func:`unit_power`
is built from IEEE-754's exactly rounded operations only (``frexp``/``ldexp``, +, -, *, /, ``rint``) in a fixed
order, so its result is a function of its inputs alone; it agrees with a correctly rounded power to about 1e-15.
"""

from __future__ import annotations

import math

import numpy as np

_LN2_HI = 6.93147180369123816490e-01  # ln 2 split so that k * _LN2_HI is exact for |k| < 2**20 (fdlibm's constants)
_LN2_LO = 1.90821492927058770002e-10
_LN2 = _LN2_HI + _LN2_LO
_SQRT_HALF = math.sqrt(0.5)  # sqrt is exactly rounded by IEEE 754
_ATANH_TERMS = tuple(2.0 / (2 * k + 1) for k in range(12))  # ln m = sum 2 s^(2k+1) / (2k+1), s = (m - 1) / (m + 1)
_EXP_TERMS = tuple(1.0 / math.factorial(k) for k in range(18))  # e^r = sum r^k / k!, |r| <= ln(2) / 2


def _horner(x: np.ndarray, coefficients: tuple[float, ...]) -> np.ndarray:
    acc = np.full_like(x, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        acc = acc * x + c  # two ufuncs: each rounds once, on any CPU (numpy never fuses them)
    return acc


def unit_power(tau: np.ndarray, exponent: float) -> np.ndarray:
    """``tau ** exponent`` for ``tau`` in [0, 1] and ``exponent`` > 0, identical on every CPU (see the module)."""
    x = np.asarray(tau, dtype=float)
    positive = x > 0.0
    m, e = np.frexp(np.where(positive, x, 1.0))  # x = m 2^e, m in [0.5, 1): exact
    low = m < _SQRT_HALF
    m = np.where(low, m * 2.0, m)  # m in [sqrt(1/2), sqrt(2)): the series below converges fast
    e = np.where(low, e - 1, e).astype(float)
    s = (m - 1.0) / (m + 1.0)
    log_m = s * _horner(s * s, _ATANH_TERMS)
    y = exponent * (e * _LN2 + log_m)  # y = exponent * ln x <= 0
    k = np.rint(y / _LN2)
    r = (y - k * _LN2_HI) - k * _LN2_LO  # |r| <= ln(2) / 2
    result = np.ldexp(_horner(r, _EXP_TERMS), k.astype(np.int64))
    return np.where(positive, result, 0.0)


def conceded(tau: np.ndarray, tempo: float) -> np.ndarray:
    """Share of the way from opening to reservation a negotiator with concession ``tempo`` has gone at ``tau``."""
    return tau if tempo == 1.0 else unit_power(tau, 1.0 / tempo)


def aspiration(tau: np.ndarray, exponent: float, reservation: np.ndarray, opening: np.ndarray | float = 1.0) -> np.ndarray:
    """Utility a negotiator still demands at normalised time ``tau`` in [0, 1].

    Starts at ``opening`` (1: its ideal package; negotiators differ in how high they open) and reaches its
    reservation value at the end of its planned horizon. ``exponent`` < 1 is Boulware (holds firm, concedes late),
    1 is linear, > 1 is Conceder (gives ground early).
    """
    return reservation + (opening - reservation) * (1.0 - conceded(tau, exponent))
