"""Live rooms: a workshop where each participant plays an organisation from their phone.

This package holds what a room must never lose: rooms, seats and every decision, in an embedded SQLite database
(:mod:`rooms.store`), with the keys that decide who may act for whom (:mod:`rooms.keys`); the room's village, replayed
from its record through the model (:mod:`rooms.game`); and the rules of a room's flow (:mod:`rooms.flow`). It is a
thin layer beside the model: ``sim`` stays a pure library, and the app and the command line call this package.
"""

from rooms.keys import new_room_code, new_secret
from rooms.store import AlreadyAnswered, NotNow, Refused, RoomError, RoomKeys, SeatKeys, Store

__all__ = ["AlreadyAnswered", "NotNow", "Refused", "RoomError", "RoomKeys", "SeatKeys", "Store", "new_room_code", "new_secret"]
