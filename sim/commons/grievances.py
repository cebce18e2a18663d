"""Who has exploited whom: one entry per ordered pair of organisations.

The record is read at every meeting (a reciprocal negotiator defends against a partner who exploited it before) and
written after every term. Up to a few thousand organisations it is a dense boolean matrix (16 MiB at 4,096), which
reads back with one gather. Beyond that a byte per pair is too much (100 MB at 10,000 organisations) and, since the
pairs met each season are scattered across it, the first write to each of its memory pages costs a page fault:
there the record packs a bit per pair, an eighth of the memory and of the faults.
"""

from __future__ import annotations

import numpy as np

DENSE_UP_TO = 4096  # organisations: above this the record packs bits


class Grievances:
    """``record[i, j]`` is True once organisation ``j`` has exploited organisation ``i`` (it never expires).

    Kept culprit by culprit (``_bits[j]`` holds whom ``j`` exploited), so that word of a culprit's deeds getting
    around is one contiguous row to update, dense or packed."""

    def __init__(self, n: int, packed: bool | None = None) -> None:
        self.n = n
        self.packed = n > DENSE_UP_TO if packed is None else packed
        self._bits = np.zeros((n, (n + 7) // 8), dtype=np.uint8) if self.packed else np.zeros((n, n), dtype=bool)

    def __getitem__(self, pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Whether each ``victim`` in ``pairs[0]`` has been exploited by the matching organisation in ``pairs[1]``."""
        victim, culprit = pairs
        if not self.packed:
            return self._bits[culprit, victim]
        victim, culprit = np.asarray(victim, dtype=np.intp), np.asarray(culprit, dtype=np.intp)
        byte = self._bits[culprit, victim >> 3]
        return ((byte >> (victim & 7).astype(np.uint8)) & 1).astype(bool)

    def record(self, victim: np.ndarray, culprit: np.ndarray, exploited: np.ndarray) -> None:
        """Remember that ``culprit[k]`` exploited ``victim[k]`` wherever ``exploited[k]`` (pairs may repeat)."""
        victim, culprit = np.asarray(victim, dtype=np.intp)[exploited], np.asarray(culprit, dtype=np.intp)[exploited]
        if not self.packed:
            self._bits[culprit, victim] = True
            return
        np.bitwise_or.at(self._bits, (culprit, victim >> 3), (1 << (victim & 7)).astype(np.uint8))

    def record_heard(self, culprits: np.ndarray, heard: np.ndarray) -> None:
        """Remember that ``culprits[j]`` (distinct) exploited every organisation ``i`` where ``heard[j, i]``: word of
        their deeds got around. One row update per culprit (listing who heard what cost ten times as much)."""
        if not self.packed:
            self._bits[culprits] |= heard
            return
        self._bits[culprits] |= np.packbits(heard, axis=1, bitorder="little")

    def to_matrix(self) -> np.ndarray:
        """The whole record as a dense (n, n) boolean matrix, victims by rows (for analysis; costs n² bytes)."""
        if not self.packed:
            return self._bits.T.copy()
        return np.unpackbits(self._bits, axis=1, count=self.n, bitorder="little").astype(bool).T.copy()
