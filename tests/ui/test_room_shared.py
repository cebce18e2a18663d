"""How often a phone polls its room: every second in a room of up to 30, then less often, so one room's phones ask
the server about 30 times a second whatever its size."""

from __future__ import annotations

from ui.room_shared import POLLS, poll_every


def test_a_phone_polls_every_second_up_to_30_seats_and_a_room_never_asks_more_than_30_times_a_second():
    assert [poll_every(n) for n in (2, 12, 30)] == [1.0, 1.0, 1.0]
    assert poll_every(60) == 2.0 and poll_every(45) == 1.5
    for seats in range(2, 61):
        assert seats / poll_every(seats) <= POLLS + 1e-9
        assert poll_every(seats) <= max(1.0, seats / POLLS) + 1e-9  # never slower than the rate needs
