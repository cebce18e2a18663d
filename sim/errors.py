"""One error type for bad input, so every shell (app, command line) can show it without a traceback."""

from __future__ import annotations


class InputError(ValueError):
    """A value a user supplied is outside what the model accepts.

    ``field`` names the setting as the user wrote it, ``allowed`` says what would be accepted.
    """

    def __init__(self, field: str, problem: str, allowed: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.allowed = allowed
        message = f"{field}: {problem}"
        if allowed:
            message += f" (allowed: {allowed})"
        super().__init__(message)


def check_range(field: str, value: float, low: float, high: float) -> float:
    """Return ``value`` as a float if it lies in [low, high], else raise an InputError naming the field."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(field, f"{value!r} is not a number", f"{low:g} to {high:g}") from None
    if not (low <= number <= high):  # also rejects NaN
        raise InputError(field, f"{value!r} is out of range", f"{low:g} to {high:g}")
    return number
