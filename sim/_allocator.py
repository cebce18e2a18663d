"""Keep freed heap memory in the process so numpy temporaries are not page-faulted in on every operation.

Each turn of a batched negotiation makes dozens of short-lived arrays of a few hundred kB. With glibc's defaults
the heap top is handed back to the kernel after they are freed and faulted in again on the next operation, which
made composite expressions 7-9x slower on this project's machines (see numpy/numpy#8783 for the mechanism).
Padding the heap top keeps up to ``pad`` bytes mapped. This affects only how much freed memory the process keeps;
set ``REMBUG_MALLOC_TUNING=0`` to leave the allocator alone.
"""

from __future__ import annotations

import ctypes
import os
import sys

_M_TOP_PAD = -2  # glibc mallopt parameter number
_applied = False


def keep_freed_memory(pad: int = 64 << 20) -> bool:
    """Apply the padding once per process; returns True if glibc accepted it."""
    global _applied
    if _applied:
        return True
    if not sys.platform.startswith("linux") or os.environ.get("REMBUG_MALLOC_TUNING", "1") == "0":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        _applied = libc.mallopt(_M_TOP_PAD, ctypes.c_int(pad)) == 1
    except (OSError, AttributeError):
        return False
    return _applied
